-- ====================================================================
-- vic.profile: an exact, mergeable summary of a set of firms (members,
-- weights by industry, region and (region, industry), location moments),
-- and the metrics that read it.  See doc/profile.md.
-- ====================================================================

-- --------------------------------------------------------------------
-- Type and I/O
-- --------------------------------------------------------------------
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

CREATE FUNCTION vic.profile_final(vic.profile) RETURNS vic.profile
AS 'MODULE_PATHNAME', 'vic_profile_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION vic.profile_final(vic.profile) IS 'final function of profile_agg and merge_agg: the state itself, passed on without a copy';

CREATE AGGREGATE vic.profile_agg(member bigint, industry vic.industry, region text,
								 location geography, weight float8) (
	SFUNC = vic.profile_agg_trans,
	STYPE = vic.profile,
	FINALFUNC = vic.profile_final,
	COMBINEFUNC = vic.profile_merge_trans,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE vic.profile_agg(bigint, vic.industry, text, geography, float8) IS 'profile of a set of firms: rows with a NULL member or industry are skipped; NULL region = the unknown region; NULL location = not located; weights finite and >= 0';

CREATE AGGREGATE vic.profile_agg(member bigint, industry vic.industry, region text, weight float8) (
	SFUNC = vic.profile_agg_trans,
	STYPE = vic.profile,
	FINALFUNC = vic.profile_final,
	COMBINEFUNC = vic.profile_merge_trans,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE vic.profile_agg(bigint, vic.industry, text, float8) IS 'profile of a set of firms without locations: rows with a NULL member or industry are skipped; NULL region = the unknown region';

CREATE AGGREGATE vic.merge_agg(vic.profile) (
	SFUNC = vic.profile_merge_trans,
	STYPE = vic.profile,
	FINALFUNC = vic.profile_final,
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

CREATE FUNCTION vic.profile_eq(vic.profile, vic.profile) RETURNS boolean
AS 'MODULE_PATHNAME', 'vic_profile_eq'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 10;
COMMENT ON FUNCTION vic.profile_eq(vic.profile, vic.profile) IS 'true when two profiles have the same content: the same canonical bytes (the = operator)';

CREATE FUNCTION vic.profile_ne(vic.profile, vic.profile) RETURNS boolean
AS 'MODULE_PATHNAME', 'vic_profile_ne'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 10;
COMMENT ON FUNCTION vic.profile_ne(vic.profile, vic.profile) IS 'true when two profiles differ (the <> operator)';

CREATE OPERATOR vic.= (
	LEFTARG = vic.profile,
	RIGHTARG = vic.profile,
	FUNCTION = vic.profile_eq,
	COMMUTATOR = OPERATOR(vic.=),
	NEGATOR = OPERATOR(vic.<>),
	RESTRICT = eqsel,
	JOIN = eqjoinsel
);
COMMENT ON OPERATOR vic.= (vic.profile, vic.profile) IS 'same members, cells and location moments';

CREATE OPERATOR vic.<> (
	LEFTARG = vic.profile,
	RIGHTARG = vic.profile,
	FUNCTION = vic.profile_ne,
	COMMUTATOR = OPERATOR(vic.<>),
	NEGATOR = OPERATOR(vic.=),
	RESTRICT = neqsel,
	JOIN = neqjoinsel
);
COMMENT ON OPERATOR vic.<> (vic.profile, vic.profile) IS 'different content';

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

CREATE FUNCTION vic.members(p vic.profile)
RETURNS TABLE (member bigint, industry vic.industry, weight float8, located boolean)
AS 'MODULE_PATHNAME', 'vic_members'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10 ROWS 1000;
COMMENT ON FUNCTION vic.members(vic.profile) IS 'member entries: one row per distinct (member, industry), by member id';

CREATE FUNCTION vic.industry_shares(p vic.profile, level integer DEFAULT NULL)
RETURNS TABLE (industry vic.industry, weight float8, share float8)
AS 'MODULE_PATHNAME', 'vic_industry_shares'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10 ROWS 100;
COMMENT ON FUNCTION vic.industry_shares(vic.profile, integer) IS 'weight and share by industry, rolled up to level (NULL = codes as given; coarser codes stay as they are)';

CREATE FUNCTION vic.region_shares(p vic.profile)
RETURNS TABLE (region text, weight float8, share float8)
AS 'MODULE_PATHNAME', 'vic_region_shares'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10 ROWS 100;
COMMENT ON FUNCTION vic.region_shares(vic.profile) IS 'weight and share by region (NULL = rows without a region), by region name in byte order';

CREATE FUNCTION vic.multi_membership_trans(vic.profile, vic.profile) RETURNS vic.profile
AS 'MODULE_PATHNAME', 'vic_multi_membership_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;
COMMENT ON FUNCTION vic.multi_membership_trans(vic.profile, vic.profile) IS 'transition function of vic.multi_membership_share: counts, per member id, the profiles that hold it';

CREATE FUNCTION vic.multi_membership_final(vic.profile) RETURNS float8
AS 'MODULE_PATHNAME', 'vic_multi_membership_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;
COMMENT ON FUNCTION vic.multi_membership_final(vic.profile) IS 'final function of vic.multi_membership_share';

CREATE AGGREGATE vic.multi_membership_share(vic.profile) (
	SFUNC = vic.multi_membership_trans,
	STYPE = vic.profile,
	FINALFUNC = vic.multi_membership_final,
	COMBINEFUNC = vic.profile_merge_trans,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE vic.multi_membership_share(vic.profile) IS 'share of the distinct members of a set of cluster profiles that belong to two or more of them (NULL for no members)';

-- --------------------------------------------------------------------
-- Specialisation against a reference profile
-- --------------------------------------------------------------------
CREATE FUNCTION vic.location_quotients(p vic.profile, ref vic.profile, level integer DEFAULT NULL)
RETURNS TABLE (industry vic.industry, lq float8, specialised boolean)
AS 'MODULE_PATHNAME', 'vic_location_quotients'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10 ROWS 100;
COMMENT ON FUNCTION vic.location_quotients(vic.profile, vic.profile, integer) IS 'location quotient LQ = s_i / S_i per industry (Balassa 1965), union of both profiles'' industries; specialised = LQ >= 1';

CREATE FUNCTION vic.krugman_index(p vic.profile, ref vic.profile, level integer DEFAULT NULL)
RETURNS float8
AS 'MODULE_PATHNAME', 'vic_krugman_index'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;
COMMENT ON FUNCTION vic.krugman_index(vic.profile, vic.profile, integer) IS 'Krugman (1991) specialisation index sum |s_i - S_i|, 0 to 2';

CREATE FUNCTION vic.hachman_index(p vic.profile, ref vic.profile, level integer DEFAULT NULL)
RETURNS float8
AS 'MODULE_PATHNAME', 'vic_hachman_index'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;
COMMENT ON FUNCTION vic.hachman_index(vic.profile, vic.profile, integer) IS 'Hachman (1995) index 1 / sum s_i LQ_i: 1 = like the reference, towards 0 = specialised';

CREATE FUNCTION vic.hoover_index(p vic.profile, ref vic.profile) RETURNS float8
AS 'MODULE_PATHNAME', 'vic_hoover_index'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
COMMENT ON FUNCTION vic.hoover_index(vic.profile, vic.profile) IS 'Hoover (1936) index over regions: 1/2 sum |p_r/P - ref_r/REF|, 0 to 1';

CREATE FUNCTION vic.locational_gini(p vic.profile, ref vic.profile) RETURNS float8
AS 'MODULE_PATHNAME', 'vic_locational_gini'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
COMMENT ON FUNCTION vic.locational_gini(vic.profile, vic.profile) IS 'locational Gini (Krugman 1991): Lorenz area of p''s regional distribution against ref''s, regions ordered by LQ';

-- --------------------------------------------------------------------
-- Concentration and diversity
-- --------------------------------------------------------------------
CREATE FUNCTION vic.hhi(p vic.profile, by text DEFAULT 'industry', level integer DEFAULT NULL)
RETURNS float8
AS 'MODULE_PATHNAME', 'vic_hhi'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;
COMMENT ON FUNCTION vic.hhi(vic.profile, text, integer) IS 'Herfindahl-Hirschman index sum q_k^2 of shares by industry (at level), region or member (Hirschman 1964)';

CREATE FUNCTION vic.hhi_normalized(p vic.profile, by text DEFAULT 'industry', level integer DEFAULT NULL)
RETURNS float8
AS 'MODULE_PATHNAME', 'vic_hhi_normalized'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;
COMMENT ON FUNCTION vic.hhi_normalized(vic.profile, text, integer) IS 'normalised HHI (H - 1/n)/(1 - 1/n) over the n categories present; 1 for a single category';

CREATE FUNCTION vic.hhi_equivalent_number(p vic.profile, by text DEFAULT 'industry', level integer DEFAULT NULL)
RETURNS float8
AS 'MODULE_PATHNAME', 'vic_hhi_equivalent_number'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;
COMMENT ON FUNCTION vic.hhi_equivalent_number(vic.profile, text, integer) IS 'numbers-equivalent 1 / HHI: how many equal categories give the same concentration';

CREATE FUNCTION vic.entropy(p vic.profile, by text DEFAULT 'industry', level integer DEFAULT NULL)
RETURNS float8
AS 'MODULE_PATHNAME', 'vic_entropy'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;
COMMENT ON FUNCTION vic.entropy(vic.profile, text, integer) IS 'Shannon (1948) entropy in bits of shares by industry (at level), region or member';

CREATE FUNCTION vic.gini(p vic.profile, by text DEFAULT 'industry', level integer DEFAULT NULL)
RETURNS float8
AS 'MODULE_PATHNAME', 'vic_gini'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;
COMMENT ON FUNCTION vic.gini(vic.profile, text, integer) IS 'Gini coefficient of the weights across the categories present (industry at level, region or member); 0 = equal';

CREATE FUNCTION vic.related_variety(p vic.profile, fine_level integer, coarse_level integer)
RETURNS float8
AS 'MODULE_PATHNAME', 'vic_related_variety'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
COMMENT ON FUNCTION vic.related_variety(vic.profile, integer, integer) IS 'related variety (Frenken, van Oort & Verburg 2007): weighted entropy of fine industries within coarse groups, bits';

CREATE FUNCTION vic.unrelated_variety(p vic.profile, coarse_level integer)
RETURNS float8
AS 'MODULE_PATHNAME', 'vic_unrelated_variety'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
COMMENT ON FUNCTION vic.unrelated_variety(vic.profile, integer) IS 'unrelated variety (Frenken et al. 2007): entropy of the coarse industry groups, bits; related_variety + unrelated_variety = entropy at the fine level';

-- --------------------------------------------------------------------
-- Agglomeration
-- --------------------------------------------------------------------
CREATE FUNCTION vic.ellison_glaeser(industry vic.profile, economy vic.profile,
	OUT gamma float8, OUT g float8, OUT h float8)
RETURNS record
AS 'MODULE_PATHNAME', 'vic_ellison_glaeser'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
COMMENT ON FUNCTION vic.ellison_glaeser(vic.profile, vic.profile) IS 'Ellison & Glaeser (1997, eq. 5) agglomeration gamma, raw concentration G over regions and plant Herfindahl H';

CREATE FUNCTION vic.maurel_sedillot(industry vic.profile, economy vic.profile) RETURNS float8
AS 'MODULE_PATHNAME', 'vic_maurel_sedillot'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
COMMENT ON FUNCTION vic.maurel_sedillot(vic.profile, vic.profile) IS 'Maurel & Sedillot (1999) agglomeration gamma';

CREATE FUNCTION vic.coagglomeration(industries vic.profile[], economy vic.profile) RETURNS float8
AS 'MODULE_PATHNAME', 'vic_coagglomeration'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;
COMMENT ON FUNCTION vic.coagglomeration(vic.profile[], vic.profile) IS 'Ellison & Glaeser (1997, eq. 8) coagglomeration gamma_c of two or more industries, each given as a profile';

-- --------------------------------------------------------------------
-- Growth
-- --------------------------------------------------------------------
CREATE FUNCTION vic.shift_share(region_t0 vic.profile, region_t1 vic.profile,
	nation_t0 vic.profile, nation_t1 vic.profile, level integer DEFAULT NULL,
	OUT total float8, OUT national_share float8, OUT industry_mix float8, OUT regional_shift float8)
RETURNS record
AS 'MODULE_PATHNAME', 'vic_shift_share'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;
COMMENT ON FUNCTION vic.shift_share(vic.profile, vic.profile, vic.profile, vic.profile, integer) IS 'shift-share decomposition (Dunn 1960) of the region''s growth: total = national_share + industry_mix + regional_shift';

-- --------------------------------------------------------------------
-- Openness
-- --------------------------------------------------------------------
CREATE FUNCTION vic.entries(p0 vic.profile, p1 vic.profile) RETURNS bigint
AS 'MODULE_PATHNAME', 'vic_entries'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
COMMENT ON FUNCTION vic.entries(vic.profile, vic.profile) IS 'number of members of p1 that are not members of p0';

CREATE FUNCTION vic.exits(p0 vic.profile, p1 vic.profile) RETURNS bigint
AS 'MODULE_PATHNAME', 'vic_exits'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
COMMENT ON FUNCTION vic.exits(vic.profile, vic.profile) IS 'number of members of p0 that are not members of p1';

CREATE FUNCTION vic.turnover(p0 vic.profile, p1 vic.profile) RETURNS float8
AS 'MODULE_PATHNAME', 'vic_turnover'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
COMMENT ON FUNCTION vic.turnover(vic.profile, vic.profile) IS '(entries + exits) / mean member count of p0 and p1; NULL when both are empty';

CREATE FUNCTION vic.jaccard(a vic.profile, b vic.profile) RETURNS float8
AS 'MODULE_PATHNAME', 'vic_jaccard'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
COMMENT ON FUNCTION vic.jaccard(vic.profile, vic.profile) IS 'Jaccard overlap of member sets |A and B| / |A or B|; NULL when both are empty';

-- --------------------------------------------------------------------
-- Centrography
-- --------------------------------------------------------------------
CREATE FUNCTION vic.centroid(p vic.profile) RETURNS geography
AS 'MODULE_PATHNAME', 'vic_centroid'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.centroid(vic.profile) IS 'weighted spherical mean of the located members (SRID 4326); NULL without locations or when they balance out';

CREATE FUNCTION vic.standard_distance(p vic.profile) RETURNS float8
AS 'MODULE_PATHNAME', 'vic_standard_distance'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.standard_distance(vic.profile) IS 'weighted root-mean-square chord distance (metres, sphere R = 6371008.8 m) of located members from their spherical mean: R sqrt(2 - 2 Rbar)';
