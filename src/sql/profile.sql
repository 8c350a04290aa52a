
-- ====================================================================
-- vic.profile: an exact, mergeable summary of a set of firms (members,
-- weights by industry, region and (region, industry), location moments),
-- and the metrics that read it.  See doc/profile.md.
-- ====================================================================

CREATE TYPE vic.profile;

CREATE FUNCTION vic.profile_in(cstring) RETURNS vic.profile
AS 'MODULE_PATHNAME', 'vic_profile_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;
COMMENT ON FUNCTION vic.profile_in(cstring) IS 'text input of vic.profile: {"members":[[id,"industry",weight,located],...],"cells":[[region,"industry",weight],...],"location":[weight,x,y,z]}';

CREATE FUNCTION vic.profile_out(vic.profile) RETURNS cstring
AS 'MODULE_PATHNAME', 'vic_profile_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;
COMMENT ON FUNCTION vic.profile_out(vic.profile) IS 'canonical text output of vic.profile (sorted keys, shortest exact floats)';

CREATE FUNCTION vic.profile_recv(internal) RETURNS vic.profile
AS 'MODULE_PATHNAME', 'vic_profile_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;
COMMENT ON FUNCTION vic.profile_recv(internal) IS 'binary input of vic.profile: a version byte, then the sorted tables, all validated';

CREATE FUNCTION vic.profile_send(vic.profile) RETURNS bytea
AS 'MODULE_PATHNAME', 'vic_profile_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;
COMMENT ON FUNCTION vic.profile_send(vic.profile) IS 'binary output of vic.profile: a version byte (1), then the sorted tables';

CREATE TYPE vic.profile (
	INPUT = vic.profile_in,
	OUTPUT = vic.profile_out,
	RECEIVE = vic.profile_recv,
	SEND = vic.profile_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON TYPE vic.profile IS 'exact mergeable summary of a set of firms: member weights, weight by industry (every level), region and (region, industry), location moments on the sphere';

-- --------------------------------------------------------------------
-- Building and merging
-- --------------------------------------------------------------------
CREATE FUNCTION vic.profile_agg_trans(vic.profile, bigint, vic.industry, text, geography, float8)
RETURNS vic.profile
AS 'MODULE_PATHNAME', 'vic_profile_agg_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.profile_agg_trans(vic.profile, bigint, vic.industry, text, geography, float8) IS 'transition function of vic.profile_agg (expanded state updated in place)';

CREATE FUNCTION vic.profile_agg_trans(vic.profile, bigint, vic.industry, text, float8)
RETURNS vic.profile
AS 'MODULE_PATHNAME', 'vic_profile_agg_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.profile_agg_trans(vic.profile, bigint, vic.industry, text, float8) IS 'transition function of vic.profile_agg without locations (expanded state updated in place)';

CREATE FUNCTION vic.profile_merge_trans(vic.profile, vic.profile) RETURNS vic.profile
AS 'MODULE_PATHNAME', 'vic_profile_merge_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;
COMMENT ON FUNCTION vic.profile_merge_trans(vic.profile, vic.profile) IS 'transition and combine function of vic.merge_agg and combine function of vic.profile_agg';

CREATE AGGREGATE vic.profile_agg(member bigint, industry vic.industry, region text,
								 location geography, weight float8) (
	SFUNC = vic.profile_agg_trans,
	STYPE = vic.profile,
	COMBINEFUNC = vic.profile_merge_trans,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE vic.profile_agg(bigint, vic.industry, text, geography, float8) IS 'profile of a set of firms: rows with a NULL member or industry are skipped; NULL region = the unknown region; NULL location = not located; weights finite and >= 0';

CREATE AGGREGATE vic.profile_agg(member bigint, industry vic.industry, region text, weight float8) (
	SFUNC = vic.profile_agg_trans,
	STYPE = vic.profile,
	COMBINEFUNC = vic.profile_merge_trans,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE vic.profile_agg(bigint, vic.industry, text, float8) IS 'profile of a set of firms without locations: rows with a NULL member or industry are skipped; NULL region = the unknown region';

CREATE AGGREGATE vic.merge_agg(vic.profile) (
	SFUNC = vic.profile_merge_trans,
	STYPE = vic.profile,
	COMBINEFUNC = vic.profile_merge_trans,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE vic.merge_agg(vic.profile) IS 'merge profiles: the profile of the union of their rows (associative and commutative)';

CREATE FUNCTION vic.profile_merge(vic.profile, vic.profile) RETURNS vic.profile
AS 'MODULE_PATHNAME', 'vic_profile_merge'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;
COMMENT ON FUNCTION vic.profile_merge(vic.profile, vic.profile) IS 'merge two profiles (the || operator)';

CREATE OPERATOR vic.|| (
	LEFTARG = vic.profile,
	RIGHTARG = vic.profile,
	FUNCTION = vic.profile_merge,
	COMMUTATOR = OPERATOR(vic.||)
);
COMMENT ON OPERATOR vic.|| (vic.profile, vic.profile) IS 'merge two profiles';

-- --------------------------------------------------------------------
-- Accessors
-- --------------------------------------------------------------------
CREATE FUNCTION vic.member_count(p vic.profile) RETURNS bigint
AS 'MODULE_PATHNAME', 'vic_member_count'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.member_count(vic.profile) IS 'number of distinct members';

CREATE FUNCTION vic.located_count(p vic.profile) RETURNS bigint
AS 'MODULE_PATHNAME', 'vic_located_count'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.located_count(vic.profile) IS 'number of distinct members that had a location';

CREATE FUNCTION vic.total_weight(p vic.profile) RETURNS float8
AS 'MODULE_PATHNAME', 'vic_total_weight'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.total_weight(vic.profile) IS 'sum of member weights';

CREATE FUNCTION vic.region_count(p vic.profile) RETURNS integer
AS 'MODULE_PATHNAME', 'vic_region_count'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.region_count(vic.profile) IS 'number of distinct named regions (the NULL region is not counted)';

CREATE FUNCTION vic.members(p vic.profile,
	OUT member bigint, OUT industry vic.industry, OUT weight float8, OUT located boolean)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'vic_members'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10 ROWS 1000;
COMMENT ON FUNCTION vic.members(vic.profile) IS 'member entries: one row per distinct (member, industry), by member id';

CREATE FUNCTION vic.industry_shares(p vic.profile, level integer DEFAULT NULL,
	OUT industry vic.industry, OUT weight float8, OUT share float8)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'vic_industry_shares'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10 ROWS 100;
COMMENT ON FUNCTION vic.industry_shares(vic.profile, integer) IS 'weight and share by industry, rolled up to level (NULL = codes as given; coarser codes stay as they are)';

CREATE FUNCTION vic.region_shares(p vic.profile,
	OUT region text, OUT weight float8, OUT share float8)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'vic_region_shares'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10 ROWS 100;
COMMENT ON FUNCTION vic.region_shares(vic.profile) IS 'weight and share by region (NULL = rows without a region), by region name in byte order';
