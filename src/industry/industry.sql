-- ====================================================================
-- vic.industry: a code in an industry classification hierarchy
-- (GB/T 4754-2017 default, ISIC Rev.4, NACE Rev.2, NAICS 2022).
-- An int64 whose plain order is hierarchical (src/industry/industry.h),
-- so equality, ordering and hashing reuse PostgreSQL's own int8 functions.
-- ====================================================================

-- --------------------------------------------------------------------
-- Type and I/O
-- --------------------------------------------------------------------
CREATE TYPE vic.industry;

CREATE FUNCTION vic.industry_in(cstring) RETURNS vic.industry
AS 'MODULE_PATHNAME', 'vic_industry_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.industry_in(cstring) IS 'text input of vic.industry: "C3825", "3825", "isic4:C2610", "nace2:C26.11", "naics:334413"';

CREATE FUNCTION vic.industry_out(vic.industry) RETURNS cstring
AS 'MODULE_PATHNAME', 'vic_industry_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.industry_out(vic.industry) IS 'canonical text output of vic.industry (section letter upper case, scheme prefix except for GB/T 4754-2017)';

CREATE FUNCTION vic.industry_recv(internal) RETURNS vic.industry
AS 'MODULE_PATHNAME', 'vic_industry_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.industry_recv(internal) IS 'binary input of vic.industry: a version byte, then the 8-byte code, validated';

CREATE FUNCTION vic.industry_send(vic.industry) RETURNS bytea
AS 'MODULE_PATHNAME', 'vic_industry_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.industry_send(vic.industry) IS 'binary output of vic.industry: a version byte (1), then the 8-byte code';

CREATE TYPE vic.industry (
	INPUT = vic.industry_in,
	OUTPUT = vic.industry_out,
	RECEIVE = vic.industry_recv,
	SEND = vic.industry_send,
	INTERNALLENGTH = 8,
	PASSEDBYVALUE,
	ALIGNMENT = double,
	STORAGE = plain
);
COMMENT ON TYPE vic.industry IS 'industry code in a classification tree (GB/T 4754-2017 by default; isic4:, nace2:, naics: prefixes); 8 bytes, btree order puts a parent right before its descendants';

CREATE CAST (vic.industry AS text) WITH INOUT AS ASSIGNMENT;
COMMENT ON CAST (vic.industry AS text) IS 'canonical text form of an industry code';
CREATE CAST (text AS vic.industry) WITH INOUT AS ASSIGNMENT;
COMMENT ON CAST (text AS vic.industry) IS 'parse an industry code from text (22P02 on bad input)';

-- --------------------------------------------------------------------
-- Comparison, hashing, min/max and operator classes: PostgreSQL's int8
-- functions, which are exactly the hierarchical order.
-- --------------------------------------------------------------------
CREATE FUNCTION vic.industry_eq(vic.industry, vic.industry) RETURNS boolean
AS 'int8eq' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 1;
COMMENT ON FUNCTION vic.industry_eq(vic.industry, vic.industry) IS 'same industry code (int8eq)';
CREATE FUNCTION vic.industry_ne(vic.industry, vic.industry) RETURNS boolean
AS 'int8ne' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 1;
COMMENT ON FUNCTION vic.industry_ne(vic.industry, vic.industry) IS 'different industry codes (int8ne)';
CREATE FUNCTION vic.industry_lt(vic.industry, vic.industry) RETURNS boolean
AS 'int8lt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 1;
COMMENT ON FUNCTION vic.industry_lt(vic.industry, vic.industry) IS 'sorts before, in hierarchical order (int8lt)';
CREATE FUNCTION vic.industry_le(vic.industry, vic.industry) RETURNS boolean
AS 'int8le' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 1;
COMMENT ON FUNCTION vic.industry_le(vic.industry, vic.industry) IS 'sorts before or equal, in hierarchical order (int8le)';
CREATE FUNCTION vic.industry_gt(vic.industry, vic.industry) RETURNS boolean
AS 'int8gt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 1;
COMMENT ON FUNCTION vic.industry_gt(vic.industry, vic.industry) IS 'sorts after, in hierarchical order (int8gt)';
CREATE FUNCTION vic.industry_ge(vic.industry, vic.industry) RETURNS boolean
AS 'int8ge' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 1;
COMMENT ON FUNCTION vic.industry_ge(vic.industry, vic.industry) IS 'sorts after or equal, in hierarchical order (int8ge)';
CREATE FUNCTION vic.industry_cmp(vic.industry, vic.industry) RETURNS integer
AS 'btint8cmp' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 1;
COMMENT ON FUNCTION vic.industry_cmp(vic.industry, vic.industry) IS 'btree comparison of industry codes: -1, 0, 1 (btint8cmp)';
CREATE FUNCTION vic.industry_sortsupport(internal) RETURNS void
AS 'btint8sortsupport' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION vic.industry_sortsupport(internal) IS 'btree sort support for industry codes (btint8sortsupport)';
CREATE FUNCTION vic.industry_hash(vic.industry) RETURNS integer
AS 'hashint8' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 1;
COMMENT ON FUNCTION vic.industry_hash(vic.industry) IS 'hash of an industry code (hashint8)';
CREATE FUNCTION vic.industry_hash_extended(vic.industry, bigint) RETURNS bigint
AS 'hashint8extended' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 1;
COMMENT ON FUNCTION vic.industry_hash_extended(vic.industry, bigint) IS 'seeded 64-bit hash of an industry code (hashint8extended)';

CREATE OPERATOR vic.= (
	LEFTARG = vic.industry, RIGHTARG = vic.industry, FUNCTION = vic.industry_eq,
	COMMUTATOR = OPERATOR(vic.=), NEGATOR = OPERATOR(vic.<>),
	RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
COMMENT ON OPERATOR vic.= (vic.industry, vic.industry) IS 'same industry code';
CREATE OPERATOR vic.<> (
	LEFTARG = vic.industry, RIGHTARG = vic.industry, FUNCTION = vic.industry_ne,
	COMMUTATOR = OPERATOR(vic.<>), NEGATOR = OPERATOR(vic.=),
	RESTRICT = neqsel, JOIN = neqjoinsel
);
COMMENT ON OPERATOR vic.<> (vic.industry, vic.industry) IS 'different industry codes';
CREATE OPERATOR vic.< (
	LEFTARG = vic.industry, RIGHTARG = vic.industry, FUNCTION = vic.industry_lt,
	COMMUTATOR = OPERATOR(vic.>), NEGATOR = OPERATOR(vic.>=),
	RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
COMMENT ON OPERATOR vic.< (vic.industry, vic.industry) IS 'sorts before (scheme, then hierarchical order: a parent right before its descendants)';
CREATE OPERATOR vic.<= (
	LEFTARG = vic.industry, RIGHTARG = vic.industry, FUNCTION = vic.industry_le,
	COMMUTATOR = OPERATOR(vic.>=), NEGATOR = OPERATOR(vic.>),
	RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
COMMENT ON OPERATOR vic.<= (vic.industry, vic.industry) IS 'sorts before or equal';
CREATE OPERATOR vic.> (
	LEFTARG = vic.industry, RIGHTARG = vic.industry, FUNCTION = vic.industry_gt,
	COMMUTATOR = OPERATOR(vic.<), NEGATOR = OPERATOR(vic.<=),
	RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
COMMENT ON OPERATOR vic.> (vic.industry, vic.industry) IS 'sorts after';
CREATE OPERATOR vic.>= (
	LEFTARG = vic.industry, RIGHTARG = vic.industry, FUNCTION = vic.industry_ge,
	COMMUTATOR = OPERATOR(vic.<=), NEGATOR = OPERATOR(vic.<),
	RESTRICT = scalargesel, JOIN = scalargejoinsel
);
COMMENT ON OPERATOR vic.>= (vic.industry, vic.industry) IS 'sorts after or equal';

CREATE FUNCTION vic.industry_smaller(vic.industry, vic.industry) RETURNS vic.industry
AS 'int8smaller' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 1;
COMMENT ON FUNCTION vic.industry_smaller(vic.industry, vic.industry) IS 'the code that sorts first (int8smaller)';
CREATE FUNCTION vic.industry_larger(vic.industry, vic.industry) RETURNS vic.industry
AS 'int8larger' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 1;
COMMENT ON FUNCTION vic.industry_larger(vic.industry, vic.industry) IS 'the code that sorts last (int8larger)';

CREATE AGGREGATE vic.min(vic.industry) (
	SFUNC = vic.industry_smaller, STYPE = vic.industry, COMBINEFUNC = vic.industry_smaller,
	SORTOP = OPERATOR(vic.<), PARALLEL = SAFE
);
COMMENT ON AGGREGATE vic.min(vic.industry) IS 'first code in hierarchical order (an index can answer it)';
CREATE AGGREGATE vic.max(vic.industry) (
	SFUNC = vic.industry_larger, STYPE = vic.industry, COMBINEFUNC = vic.industry_larger,
	SORTOP = OPERATOR(vic.>), PARALLEL = SAFE
);
COMMENT ON AGGREGATE vic.max(vic.industry) IS 'last code in hierarchical order (an index can answer it)';

CREATE OPERATOR CLASS vic.industry_ops DEFAULT FOR TYPE vic.industry USING btree AS
	OPERATOR 1 vic.< ,
	OPERATOR 2 vic.<= ,
	OPERATOR 3 vic.= ,
	OPERATOR 4 vic.>= ,
	OPERATOR 5 vic.> ,
	FUNCTION 1 vic.industry_cmp(vic.industry, vic.industry),
	FUNCTION 2 vic.industry_sortsupport(internal),
	FUNCTION 4 btequalimage(oid);
COMMENT ON OPERATOR FAMILY vic.industry_ops USING btree IS 'btree family of vic.industry (one type: codes of all schemes compare by scheme tag, then hierarchically)';
COMMENT ON OPERATOR CLASS vic.industry_ops USING btree IS 'hierarchical order of industry codes; also answers <@ and @> through a planner support function';

CREATE OPERATOR CLASS vic.industry_hash_ops DEFAULT FOR TYPE vic.industry USING hash AS
	OPERATOR 1 vic.= ,
	FUNCTION 1 vic.industry_hash(vic.industry),
	FUNCTION 2 vic.industry_hash_extended(vic.industry, bigint);
COMMENT ON OPERATOR FAMILY vic.industry_hash_ops USING hash IS 'hash family of vic.industry';
COMMENT ON OPERATOR CLASS vic.industry_hash_ops USING hash IS 'hash equality of industry codes';

-- --------------------------------------------------------------------
-- Containment: @> and <@ with btree index support
-- --------------------------------------------------------------------
CREATE FUNCTION vic.industry_contains_support(internal) RETURNS internal
AS 'MODULE_PATHNAME', 'vic_industry_contains_support'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION vic.industry_contains_support(internal) IS 'planner support for @>: btree index conditions (a key range, or = ANY of the ancestors)';
CREATE FUNCTION vic.industry_contained_support(internal) RETURNS internal
AS 'MODULE_PATHNAME', 'vic_industry_contained_support'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION vic.industry_contained_support(internal) IS 'planner support for <@: btree index conditions (a key range, or = ANY of the ancestors)';

CREATE FUNCTION vic.industry_contains(vic.industry, vic.industry) RETURNS boolean
AS 'MODULE_PATHNAME', 'vic_industry_contains'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 1
SUPPORT vic.industry_contains_support;
COMMENT ON FUNCTION vic.industry_contains(vic.industry, vic.industry) IS 'true when the first code is the second or one of its ancestors (operator @>)';
CREATE FUNCTION vic.industry_contained(vic.industry, vic.industry) RETURNS boolean
AS 'MODULE_PATHNAME', 'vic_industry_contained'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 1
SUPPORT vic.industry_contained_support;
COMMENT ON FUNCTION vic.industry_contained(vic.industry, vic.industry) IS 'true when the first code is the second or one of its descendants (operator <@)';

CREATE FUNCTION vic.industry_contsel(internal, oid, internal, integer) RETURNS float8
AS 'MODULE_PATHNAME', 'vic_industry_contsel'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION vic.industry_contsel(internal, oid, internal, integer) IS 'restriction selectivity of @> and <@ on industry codes (operator applied to MCVs and histogram)';

CREATE OPERATOR vic.@> (
	LEFTARG = vic.industry, RIGHTARG = vic.industry, FUNCTION = vic.industry_contains,
	COMMUTATOR = OPERATOR(vic.<@),
	RESTRICT = vic.industry_contsel, JOIN = contjoinsel
);
COMMENT ON OPERATOR vic.@> (vic.industry, vic.industry) IS 'is the same code as or an ancestor of';
CREATE OPERATOR vic.<@ (
	LEFTARG = vic.industry, RIGHTARG = vic.industry, FUNCTION = vic.industry_contained,
	COMMUTATOR = OPERATOR(vic.@>),
	RESTRICT = vic.industry_contsel, JOIN = contjoinsel
);
COMMENT ON OPERATOR vic.<@ (vic.industry, vic.industry) IS 'is the same code as or a descendant of';

-- --------------------------------------------------------------------
-- Hierarchy functions
-- --------------------------------------------------------------------
CREATE FUNCTION vic.industry_subtree_last(code vic.industry) RETURNS vic.industry
AS 'MODULE_PATHNAME', 'vic_industry_subtree_last'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 1;
COMMENT ON FUNCTION vic.industry_subtree_last(vic.industry) IS 'greatest valid code in the subtree of code (the section''s last division, then 9 at each finer level): code <@ c is code BETWEEN c AND industry_subtree_last(c); used by the index support of <@ and @>';

CREATE FUNCTION vic.industry_level(code vic.industry) RETURNS integer
AS 'MODULE_PATHNAME', 'vic_industry_level'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 1;
COMMENT ON FUNCTION vic.industry_level(vic.industry) IS 'depth of the code: 1 section ... 4 class (NAICS: 1 two-digit sector ... 5 six-digit industry)';

CREATE FUNCTION vic.industry_parent(code vic.industry) RETURNS vic.industry
AS 'MODULE_PATHNAME', 'vic_industry_parent'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 1;
COMMENT ON FUNCTION vic.industry_parent(vic.industry) IS 'the code one level up; NULL for a level-1 code';

CREATE FUNCTION vic.industry_ancestor(code vic.industry, level integer) RETURNS vic.industry
AS 'MODULE_PATHNAME', 'vic_industry_ancestor'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.industry_ancestor(vic.industry, integer) IS 'the ancestor at the given level (1 = section); the code itself when it is not deeper than level; level outside the scheme raises 22023';

CREATE FUNCTION vic.industry_scheme(code vic.industry) RETURNS text
AS 'MODULE_PATHNAME', 'vic_industry_scheme'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.industry_scheme(vic.industry) IS 'classification scheme of the code: gbt4754, isic4, nace2 or naics';

CREATE FUNCTION vic.industry_lca(a vic.industry, b vic.industry) RETURNS vic.industry
AS 'MODULE_PATHNAME', 'vic_industry_lca'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 1;
COMMENT ON FUNCTION vic.industry_lca(vic.industry, vic.industry) IS 'lowest common ancestor-or-self of two codes; NULL when they share no section (sector) or differ in scheme';

CREATE FUNCTION vic.industry_distance(a vic.industry, b vic.industry) RETURNS integer
AS 'MODULE_PATHNAME', 'vic_industry_distance'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.industry_distance(vic.industry, vic.industry) IS 'tree hops between two codes through their lowest common ancestor (the virtual root when none): level(a) + level(b) - 2 level(lca); different schemes raise 22023';

-- --------------------------------------------------------------------
-- Catalogue: vic.industry_catalog, names of codes.
-- Shipped with the sections and divisions of GB/T 4754-2017 (English and
-- Chinese) and ISIC Rev.4 (English), from src/industry/industry_catalog.csv
-- (rows generated by make after this fragment).  Rows that users add
-- (groups, classes, other schemes) have user_added = true and are saved by
-- pg_dump.
-- --------------------------------------------------------------------
CREATE TABLE vic.industry_catalog (
	code vic.industry PRIMARY KEY,
	name_en text,
	name_zh text,
	user_added boolean NOT NULL DEFAULT true,
	CHECK (name_en IS NOT NULL OR name_zh IS NOT NULL)
);
COMMENT ON TABLE vic.industry_catalog IS 'names of industry codes: GB/T 4754-2017 and ISIC Rev.4 sections and divisions shipped (user_added = false); rows users add are kept by pg_dump';
COMMENT ON COLUMN vic.industry_catalog.code IS 'the code named';
COMMENT ON COLUMN vic.industry_catalog.name_en IS 'English name';
COMMENT ON COLUMN vic.industry_catalog.name_zh IS 'Chinese name (GB/T 4754-2017 wording for GB/T codes)';
COMMENT ON COLUMN vic.industry_catalog.user_added IS 'false for rows shipped with vic, true (the default) for rows added by users; only these are dumped by pg_dump';

SELECT pg_catalog.pg_extension_config_dump('vic.industry_catalog', 'WHERE user_added');

CREATE FUNCTION vic.industry_name(code vic.industry, lang text DEFAULT 'en') RETURNS text
AS 'MODULE_PATHNAME', 'vic_industry_name'
LANGUAGE C STABLE STRICT PARALLEL SAFE COST 10;
COMMENT ON FUNCTION vic.industry_name(vic.industry, text) IS 'name of the code in vic.industry_catalog (lang ''en'' or ''zh''), else of its nearest named ancestor; NULL when none is named';
