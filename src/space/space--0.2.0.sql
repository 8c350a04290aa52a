-- ====================================================================
-- vic.space: an exact, mergeable sparse matrix of units (regions,
-- clusters, firms) by industry, and what economic geographers read from
-- it: RCA, diversity and ubiquity, relatedness, relatedness density,
-- coherence, economic complexity (ECI, PCI).  See doc/space.md.
-- ====================================================================

-- --------------------------------------------------------------------
-- Type and I/O
-- --------------------------------------------------------------------
CREATE TYPE vic.space;

CREATE FUNCTION vic.space_in(cstring) RETURNS vic.space
AS 'MODULE_PATHNAME', 'vic_space_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 50;
COMMENT ON FUNCTION vic.space_in(cstring) IS 'text input of vic.space: {"unit":{industry=weight,...},...}; repeated cells are summed exactly';

CREATE FUNCTION vic.space_out(vic.space) RETURNS cstring
AS 'MODULE_PATHNAME', 'vic_space_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 50;
COMMENT ON FUNCTION vic.space_out(vic.space) IS 'canonical text output of vic.space: units in byte order, industries in code order, shortest exact weights';

CREATE FUNCTION vic.space_recv(internal) RETURNS vic.space
AS 'MODULE_PATHNAME', 'vic_space_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 50;
COMMENT ON FUNCTION vic.space_recv(internal) IS 'binary input of vic.space (validates every count and invariant)';

CREATE FUNCTION vic.space_send(vic.space) RETURNS bytea
AS 'MODULE_PATHNAME', 'vic_space_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 50;
COMMENT ON FUNCTION vic.space_send(vic.space) IS 'binary output of vic.space';

CREATE TYPE vic.space (
	INPUT = vic.space_in,
	OUTPUT = vic.space_out,
	RECEIVE = vic.space_recv,
	SEND = vic.space_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON TYPE vic.space IS 'sparse matrix of units (text keys) by industry with weights, cells summed exactly: the input of relatedness and economic complexity';

-- --------------------------------------------------------------------
-- Building, merging, comparing
-- --------------------------------------------------------------------
CREATE FUNCTION vic.space_agg_trans(vic.space, text, vic.industry) RETURNS vic.space
AS 'MODULE_PATHNAME', 'vic_space_agg_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.space_agg_trans(vic.space, text, vic.industry) IS 'transition function of vic.space_agg(unit, industry): adds weight 1 to the cell';

CREATE FUNCTION vic.space_agg_trans(vic.space, text, vic.industry, float8) RETURNS vic.space
AS 'MODULE_PATHNAME', 'vic_space_agg_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.space_agg_trans(vic.space, text, vic.industry, float8) IS 'transition function of vic.space_agg(unit, industry, weight): adds the weight to the cell';

CREATE FUNCTION vic.space_profile_agg_trans(vic.space, text, vic.profile) RETURNS vic.space
AS 'MODULE_PATHNAME', 'vic_space_agg_profile_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;
COMMENT ON FUNCTION vic.space_profile_agg_trans(vic.space, text, vic.profile) IS 'transition function of vic.space_agg(unit, profile): adds the profile''s industry weights to the unit''s cells';

CREATE FUNCTION vic.space_merge_trans(vic.space, vic.space) RETURNS vic.space
AS 'MODULE_PATHNAME', 'vic_space_merge_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;
COMMENT ON FUNCTION vic.space_merge_trans(vic.space, vic.space) IS 'transition function of vic.merge_agg and combine function of the space aggregates';

CREATE FUNCTION vic.space_final(vic.space) RETURNS vic.space
AS 'MODULE_PATHNAME', 'vic_space_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.space_final(vic.space) IS 'final function of the space aggregates: the state itself, passed on without a copy';

CREATE AGGREGATE vic.space_agg(unit text, industry vic.industry) (
	SFUNC = vic.space_agg_trans,
	STYPE = vic.space,
	FINALFUNC = vic.space_final,
	COMBINEFUNC = vic.space_merge_trans,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE vic.space_agg(text, vic.industry) IS 'unit-by-industry matrix, each row weighing 1 (rows with a NULL unit or industry skipped)';

CREATE AGGREGATE vic.space_agg(unit text, industry vic.industry, weight float8) (
	SFUNC = vic.space_agg_trans,
	STYPE = vic.space,
	FINALFUNC = vic.space_final,
	COMBINEFUNC = vic.space_merge_trans,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE vic.space_agg(text, vic.industry, float8) IS 'unit-by-industry matrix of weights, summed exactly per cell (rows with a NULL unit or industry skipped; weights finite and >= 0)';

-- The profile variant has a name of its own: test/pgtap/conventions.sql assigns a routine to the
-- family of its first summary-typed argument, and space_agg over vic.industry and vic.profile would
-- be one name in two families.
CREATE AGGREGATE vic.space_agg(unit text, p vic.profile) (
	SFUNC = vic.space_profile_agg_trans,
	STYPE = vic.space,
	FINALFUNC = vic.space_final,
	COMBINEFUNC = vic.space_merge_trans,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE vic.space_agg(text, vic.profile) IS 'unit-by-industry matrix of the industry weights of profiles (one unit per cluster or region; rows with a NULL unit or profile skipped)';

CREATE AGGREGATE vic.merge_agg(vic.space) (
	SFUNC = vic.space_merge_trans,
	STYPE = vic.space,
	FINALFUNC = vic.space_final,
	COMBINEFUNC = vic.space_merge_trans,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE vic.merge_agg(vic.space) IS 'union of spaces, weights of common cells summed exactly';

CREATE FUNCTION vic.space_merge(vic.space, vic.space) RETURNS vic.space
AS 'MODULE_PATHNAME', 'vic_space_merge'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;
COMMENT ON FUNCTION vic.space_merge(vic.space, vic.space) IS 'union of two spaces, weights of common cells summed exactly (the || operator)';

CREATE OPERATOR vic.|| (
	LEFTARG = vic.space,
	RIGHTARG = vic.space,
	FUNCTION = vic.space_merge,
	COMMUTATOR = OPERATOR(vic.||)
);
COMMENT ON OPERATOR vic.|| (vic.space, vic.space) IS 'union of two spaces, weights of common cells summed';

CREATE FUNCTION vic.space_eq(vic.space, vic.space) RETURNS boolean
AS 'MODULE_PATHNAME', 'vic_space_eq'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 10;
COMMENT ON FUNCTION vic.space_eq(vic.space, vic.space) IS 'true when two spaces have the same units, industries and weights (the = operator)';

CREATE FUNCTION vic.space_ne(vic.space, vic.space) RETURNS boolean
AS 'MODULE_PATHNAME', 'vic_space_ne'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 10;
COMMENT ON FUNCTION vic.space_ne(vic.space, vic.space) IS 'true when two spaces differ (the <> operator)';

CREATE OPERATOR vic.= (
	LEFTARG = vic.space,
	RIGHTARG = vic.space,
	FUNCTION = vic.space_eq,
	COMMUTATOR = OPERATOR(vic.=),
	NEGATOR = OPERATOR(vic.<>),
	RESTRICT = eqsel,
	JOIN = eqjoinsel
);
COMMENT ON OPERATOR vic.= (vic.space, vic.space) IS 'same units, industries and weights';

CREATE OPERATOR vic.<> (
	LEFTARG = vic.space,
	RIGHTARG = vic.space,
	FUNCTION = vic.space_ne,
	COMMUTATOR = OPERATOR(vic.<>),
	NEGATOR = OPERATOR(vic.=),
	RESTRICT = neqsel,
	JOIN = neqjoinsel
);
COMMENT ON OPERATOR vic.<> (vic.space, vic.space) IS 'spaces that differ';

CREATE FUNCTION vic.space_unit_count(s vic.space) RETURNS integer
AS 'MODULE_PATHNAME', 'vic_space_unit_count'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.space_unit_count(vic.space) IS 'number of units of a space';

CREATE FUNCTION vic.space_cells(s vic.space, level integer DEFAULT NULL)
RETURNS TABLE (unit text, industry vic.industry, weight float8)
AS 'MODULE_PATHNAME', 'vic_space_cells'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 100 ROWS 1000;
COMMENT ON FUNCTION vic.space_cells(vic.space, integer) IS 'the cells of a space at an industry level (NULL = as given; finer codes rolled up, weights summed exactly)';

-- --------------------------------------------------------------------
-- Specialisation: RCA, diversity, ubiquity
-- --------------------------------------------------------------------
CREATE FUNCTION vic.rca(s vic.space, level integer DEFAULT NULL)
RETURNS TABLE (unit text, industry vic.industry, rca float8, present boolean)
AS 'MODULE_PATHNAME', 'vic_space_rca'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 100 ROWS 1000;
COMMENT ON FUNCTION vic.rca(vic.space, integer) IS 'revealed comparative advantage / location quotient RCA = (x_ci/x_c)/(x_i/x) of every cell (Balassa 1965); present = RCA >= 1, decided exactly (the binary matrix M)';

CREATE FUNCTION vic.diversity(s vic.space, level integer DEFAULT NULL, rca boolean DEFAULT true)
RETURNS TABLE (unit text, diversity integer)
AS 'MODULE_PATHNAME', 'vic_space_diversity'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 100 ROWS 100;
COMMENT ON FUNCTION vic.diversity(vic.space, integer, boolean) IS 'diversity of each unit: the number of industries with RCA >= 1 (rca = false: with weight > 0) (Hidalgo & Hausmann 2009, k_c,0)';

CREATE FUNCTION vic.ubiquity(s vic.space, level integer DEFAULT NULL, rca boolean DEFAULT true)
RETURNS TABLE (industry vic.industry, ubiquity integer)
AS 'MODULE_PATHNAME', 'vic_space_ubiquity'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 100 ROWS 100;
COMMENT ON FUNCTION vic.ubiquity(vic.space, integer, boolean) IS 'ubiquity of each industry: the number of units where its RCA >= 1 (rca = false: weight > 0) (Hidalgo & Hausmann 2009, k_p,0)';

-- --------------------------------------------------------------------
-- Relatedness
-- --------------------------------------------------------------------
CREATE FUNCTION vic.relatedness(s vic.space, method text DEFAULT 'association',
								level integer DEFAULT NULL, rca boolean DEFAULT true)
RETURNS TABLE (industry_a vic.industry, industry_b vic.industry, cooccurrence bigint,
			   relatedness float8)
AS 'MODULE_PATHNAME', 'vic_space_relatedness'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000 ROWS 10000;
COMMENT ON FUNCTION vic.relatedness(vic.space, text, integer, boolean) IS 'relatedness of every ordered pair of co-occurring industries (co-occurrence = units where both have RCA >= 1): association (van Eck & Waltman 2009), prob (Steijn 2017), cosine, jaccard, proximity (Hidalgo et al. 2007)';

CREATE FUNCTION vic.relatedness_density(s vic.space, unit text DEFAULT NULL,
										method text DEFAULT 'association',
										level integer DEFAULT NULL, rca boolean DEFAULT true)
RETURNS TABLE (unit text, industry vic.industry, density float8, present boolean)
AS 'MODULE_PATHNAME', 'vic_space_relatedness_density'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000 ROWS 1000;
COMMENT ON FUNCTION vic.relatedness_density(vic.space, text, text, integer, boolean) IS 'relatedness density of every industry for a unit (NULL: every unit), in [0, 1]: the share of its relatedness to industries the unit has (Hidalgo et al. 2007); NULL for an industry related to none';

CREATE FUNCTION vic.diversification_targets(s vic.space, top integer DEFAULT 5,
											method text DEFAULT 'association',
											level integer DEFAULT NULL, rca boolean DEFAULT true)
RETURNS TABLE (unit text, rank integer, industry vic.industry, density float8)
AS 'MODULE_PATHNAME', 'vic_space_diversification_targets'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000 ROWS 1000;
COMMENT ON FUNCTION vic.diversification_targets(vic.space, integer, text, integer, boolean) IS 'for every unit, the top industries it lacks with the highest relatedness density (Hidalgo et al. 2007): whom a cluster should recruit next';

CREATE FUNCTION vic.coherence(s vic.space, unit text, method text DEFAULT 'association',
							  level integer DEFAULT NULL, rca boolean DEFAULT true)
RETURNS float8
AS 'MODULE_PATHNAME', 'vic_space_coherence'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION vic.coherence(vic.space, text, text, integer, boolean) IS 'coherence of a unit: the weight-averaged relatedness of its industries to each other (Teece et al. 1994; Nesta & Saviotti 2005); NULL below two industries';

-- --------------------------------------------------------------------
-- Economic complexity
-- --------------------------------------------------------------------
CREATE FUNCTION vic.eci(s vic.space, level integer DEFAULT NULL, method text DEFAULT 'eigenvector',
						iterations integer DEFAULT 20, rca boolean DEFAULT true)
RETURNS TABLE (unit text, eci float8)
AS 'MODULE_PATHNAME', 'vic_space_eci'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000 ROWS 100;
COMMENT ON FUNCTION vic.eci(vic.space, integer, text, integer, boolean) IS 'economic complexity index of each unit, standardised, sign positive with diversity (Hidalgo & Hausmann 2009): eigenvector (power iteration) or reflections (iterations steps)';

CREATE FUNCTION vic.pci(s vic.space, level integer DEFAULT NULL, method text DEFAULT 'eigenvector',
						iterations integer DEFAULT 20, rca boolean DEFAULT true)
RETURNS TABLE (industry vic.industry, pci float8)
AS 'MODULE_PATHNAME', 'vic_space_pci'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000 ROWS 100;
COMMENT ON FUNCTION vic.pci(vic.space, integer, text, integer, boolean) IS 'product (industry) complexity index, standardised, sign negative with ubiquity (Hidalgo & Hausmann 2009): eigenvector (power iteration) or reflections (iterations steps)';
