-- ====================================================================
-- vic.iotable: an input-output table (intersectoral flows and sector
-- accounts over text sector keys), its aggregates, and the Leontief and
-- Ghosh analyses that read it.  See doc/iotable.md.
-- ====================================================================

-- --------------------------------------------------------------------
-- Type and I/O
-- --------------------------------------------------------------------
CREATE TYPE vic.iotable;

CREATE FUNCTION vic.iotable_in(cstring) RETURNS vic.iotable
AS 'MODULE_PATHNAME', 'vic_iotable_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 50;
COMMENT ON FUNCTION vic.iotable_in(cstring) IS 'text input of vic.iotable: {"seller"->"buyer":value, "sector".account:value, ...}; repeated keys are summed exactly';

CREATE FUNCTION vic.iotable_out(vic.iotable) RETURNS cstring
AS 'MODULE_PATHNAME', 'vic_iotable_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 50;
COMMENT ON FUNCTION vic.iotable_out(vic.iotable) IS 'canonical text output of vic.iotable, cells in key order, shortest exact values';

CREATE FUNCTION vic.iotable_recv(internal) RETURNS vic.iotable
AS 'MODULE_PATHNAME', 'vic_iotable_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 50;
COMMENT ON FUNCTION vic.iotable_recv(internal) IS 'binary input of vic.iotable (validates every count and invariant)';

CREATE FUNCTION vic.iotable_send(vic.iotable) RETURNS bytea
AS 'MODULE_PATHNAME', 'vic_iotable_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 50;
COMMENT ON FUNCTION vic.iotable_send(vic.iotable) IS 'binary output of vic.iotable';

CREATE TYPE vic.iotable (
	INPUT = vic.iotable_in,
	OUTPUT = vic.iotable_out,
	RECEIVE = vic.iotable_recv,
	SEND = vic.iotable_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON TYPE vic.iotable IS 'input-output table: sparse intersectoral flows (seller -> buyer) and per-sector accounts (total output, final demand, exports, imports, value added, income, employment), every value an exact sum';

-- --------------------------------------------------------------------
-- Building, merging, comparing and reading
-- --------------------------------------------------------------------
CREATE FUNCTION vic.iotable_flow_trans(vic.iotable, text, text, float8) RETURNS vic.iotable
AS 'MODULE_PATHNAME', 'vic_iotable_flow_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.iotable_flow_trans(vic.iotable, text, text, float8) IS 'transition function of vic.iotable_agg: adds a flow to the expanded state';

CREATE FUNCTION vic.iotable_accounts_trans(vic.iotable, text, float8, float8, float8, float8, float8) RETURNS vic.iotable
AS 'MODULE_PATHNAME', 'vic_iotable_accounts_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.iotable_accounts_trans(vic.iotable, text, float8, float8, float8, float8, float8) IS 'transition function of vic.iotable_accounts_agg (five accounts): adds the given accounts of a sector';

CREATE FUNCTION vic.iotable_accounts_trans(vic.iotable, text, float8, float8, float8, float8, float8, float8, float8) RETURNS vic.iotable
AS 'MODULE_PATHNAME', 'vic_iotable_accounts_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.iotable_accounts_trans(vic.iotable, text, float8, float8, float8, float8, float8, float8, float8) IS 'transition function of vic.iotable_accounts_agg (seven accounts): adds the given accounts of a sector';

CREATE FUNCTION vic.iotable_merge_trans(vic.iotable, vic.iotable) RETURNS vic.iotable
AS 'MODULE_PATHNAME', 'vic_iotable_merge_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;
COMMENT ON FUNCTION vic.iotable_merge_trans(vic.iotable, vic.iotable) IS 'transition function of vic.merge_agg and combine function of the iotable aggregates';

CREATE AGGREGATE vic.iotable_agg(from_sector text, to_sector text, value float8) (
	SFUNC = vic.iotable_flow_trans,
	STYPE = vic.iotable,
	COMBINEFUNC = vic.iotable_merge_trans,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE vic.iotable_agg(text, text, float8) IS 'input-output table of the flows from_sector -> to_sector (repeated pairs summed exactly, rows with a NULL sector skipped; value must be finite)';

CREATE AGGREGATE vic.iotable_accounts_agg(sector text, total_output float8, final_demand float8,
	exports float8, imports float8, value_added float8) (
	SFUNC = vic.iotable_accounts_trans,
	STYPE = vic.iotable,
	COMBINEFUNC = vic.iotable_merge_trans,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE vic.iotable_accounts_agg(text, float8, float8, float8, float8, float8) IS 'input-output table of sector accounts: total output, final demand (exports included), exports, imports, value added (all primary inputs); NULL = not given';

CREATE AGGREGATE vic.iotable_accounts_agg(sector text, total_output float8, final_demand float8,
	exports float8, imports float8, value_added float8, income float8, employment float8) (
	SFUNC = vic.iotable_accounts_trans,
	STYPE = vic.iotable,
	COMBINEFUNC = vic.iotable_merge_trans,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE vic.iotable_accounts_agg(text, float8, float8, float8, float8, float8, float8, float8) IS 'input-output table of sector accounts, with household income and employment for the type I multipliers; NULL = not given';

CREATE AGGREGATE vic.merge_agg(vic.iotable) (
	SFUNC = vic.iotable_merge_trans,
	STYPE = vic.iotable,
	COMBINEFUNC = vic.iotable_merge_trans,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE vic.merge_agg(vic.iotable) IS 'union of input-output tables: flows and accounts summed exactly';

CREATE FUNCTION vic.iotable_merge(vic.iotable, vic.iotable) RETURNS vic.iotable
AS 'MODULE_PATHNAME', 'vic_iotable_concat'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;
COMMENT ON FUNCTION vic.iotable_merge(vic.iotable, vic.iotable) IS 'union of two input-output tables, flows and accounts summed exactly (the || operator)';

CREATE OPERATOR vic.|| (
	LEFTARG = vic.iotable,
	RIGHTARG = vic.iotable,
	FUNCTION = vic.iotable_merge,
	COMMUTATOR = OPERATOR(vic.||)
);
COMMENT ON OPERATOR vic.|| (vic.iotable, vic.iotable) IS 'union of two input-output tables (e.g. the flows with the accounts), values summed exactly';

CREATE FUNCTION vic.iotable_eq(vic.iotable, vic.iotable) RETURNS boolean
AS 'MODULE_PATHNAME', 'vic_iotable_eq'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 10;
COMMENT ON FUNCTION vic.iotable_eq(vic.iotable, vic.iotable) IS 'true when two tables have the same sectors, flows and accounts (the = operator)';

CREATE FUNCTION vic.iotable_ne(vic.iotable, vic.iotable) RETURNS boolean
AS 'MODULE_PATHNAME', 'vic_iotable_ne'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 10;
COMMENT ON FUNCTION vic.iotable_ne(vic.iotable, vic.iotable) IS 'true when two tables differ (the <> operator)';

CREATE OPERATOR vic.= (
	LEFTARG = vic.iotable,
	RIGHTARG = vic.iotable,
	FUNCTION = vic.iotable_eq,
	COMMUTATOR = OPERATOR(vic.=),
	NEGATOR = OPERATOR(vic.<>),
	RESTRICT = eqsel,
	JOIN = eqjoinsel
);
COMMENT ON OPERATOR vic.= (vic.iotable, vic.iotable) IS 'same sectors, flows and accounts';

CREATE OPERATOR vic.<> (
	LEFTARG = vic.iotable,
	RIGHTARG = vic.iotable,
	FUNCTION = vic.iotable_ne,
	COMMUTATOR = OPERATOR(vic.<>),
	NEGATOR = OPERATOR(vic.=),
	RESTRICT = neqsel,
	JOIN = neqjoinsel
);
COMMENT ON OPERATOR vic.<> (vic.iotable, vic.iotable) IS 'tables differ in a sector, flow or account';

CREATE FUNCTION vic.sector_count(t vic.iotable) RETURNS integer
AS 'MODULE_PATHNAME', 'vic_iotable_sector_count'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.sector_count(vic.iotable) IS 'number of sectors of an input-output table';

CREATE FUNCTION vic.iotable_flows(t vic.iotable)
RETURNS TABLE (from_sector text, to_sector text, value float8)
AS 'MODULE_PATHNAME', 'vic_iotable_flows'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100 ROWS 1000;
COMMENT ON FUNCTION vic.iotable_flows(vic.iotable) IS 'the nonzero flows of a table in (from_sector, to_sector) order, each the correctly rounded exact sum';

CREATE FUNCTION vic.iotable_sectors(t vic.iotable)
RETURNS TABLE (sector text, total_output float8, final_demand float8, exports float8,
	imports float8, value_added float8, income float8, employment float8)
AS 'MODULE_PATHNAME', 'vic_iotable_sectors'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100 ROWS 100;
COMMENT ON FUNCTION vic.iotable_sectors(vic.iotable) IS 'every sector of a table with its accounts (NULL where not given), in sector order';

CREATE FUNCTION vic.io_balance(t vic.iotable, tolerance float8 DEFAULT 1e-6)
RETURNS TABLE (sector text, total_output float8, row_total float8, column_total float8,
	row_gap float8, column_gap float8, balanced boolean)
AS 'MODULE_PATHNAME', 'vic_io_balance'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1000 ROWS 100;
COMMENT ON FUNCTION vic.io_balance(vic.iotable, float8) IS 'row totals (intermediate sales + final demand) and column totals (intermediate purchases + value added) against total output; balanced when every known gap is within tolerance relative to the larger total';

-- --------------------------------------------------------------------
-- Leontief and Ghosh models
-- --------------------------------------------------------------------
CREATE FUNCTION vic.technical_coefficients(t vic.iotable, include_zeros boolean DEFAULT false)
RETURNS TABLE (row_sector text, col_sector text, value float8)
AS 'MODULE_PATHNAME', 'vic_technical_coefficients'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10000 ROWS 10000;
COMMENT ON FUNCTION vic.technical_coefficients(vic.iotable, boolean) IS 'technical coefficients a_ij = z_ij / x_j (Leontief 1936; Miller & Blair 2009, ch. 2); exact zeros omitted unless include_zeros';

CREATE FUNCTION vic.allocation_coefficients(t vic.iotable, include_zeros boolean DEFAULT false)
RETURNS TABLE (row_sector text, col_sector text, value float8)
AS 'MODULE_PATHNAME', 'vic_allocation_coefficients'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10000 ROWS 10000;
COMMENT ON FUNCTION vic.allocation_coefficients(vic.iotable, boolean) IS 'allocation coefficients b_ij = z_ij / x_i (Ghosh 1958; Miller & Blair 2009, ch. 12); exact zeros omitted unless include_zeros';

CREATE FUNCTION vic.leontief_inverse(t vic.iotable, include_zeros boolean DEFAULT false)
RETURNS TABLE (row_sector text, col_sector text, value float8)
AS 'MODULE_PATHNAME', 'vic_leontief_inverse'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100000 ROWS 10000;
COMMENT ON FUNCTION vic.leontief_inverse(vic.iotable, boolean) IS 'Leontief inverse L = (I - A)^-1 (Miller & Blair 2009, ch. 2), LU-factored by LAPACK; exact zeros omitted unless include_zeros';

CREATE FUNCTION vic.ghosh_inverse(t vic.iotable, include_zeros boolean DEFAULT false)
RETURNS TABLE (row_sector text, col_sector text, value float8)
AS 'MODULE_PATHNAME', 'vic_ghosh_inverse'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100000 ROWS 10000;
COMMENT ON FUNCTION vic.ghosh_inverse(vic.iotable, boolean) IS 'Ghosh inverse G = (I - B)^-1 (Ghosh 1958; Miller & Blair 2009, ch. 12); exact zeros omitted unless include_zeros';

CREATE FUNCTION vic.leontief_residual(t vic.iotable) RETURNS float8
AS 'MODULE_PATHNAME', 'vic_leontief_residual'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100000;
COMMENT ON FUNCTION vic.leontief_residual(vic.iotable) IS 'accuracy check of the computed Leontief inverse: || (I - A) L - I || in the infinity norm, the product taken by a plain loop';

CREATE FUNCTION vic.output_multipliers(t vic.iotable)
RETURNS TABLE (sector text, multiplier float8, income_multiplier float8, income_type_i float8,
	employment_multiplier float8, employment_type_i float8)
AS 'MODULE_PATHNAME', 'vic_output_multipliers'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100000 ROWS 100;
COMMENT ON FUNCTION vic.output_multipliers(vic.iotable) IS 'output multipliers sum_i l_ij; household income and employment multipliers sum_i h_i l_ij and their type I forms divided by h_j, when the accounts carry income or employment (Miller & Blair 2009, ch. 6)';

CREATE FUNCTION vic.linkages(t vic.iotable)
RETURNS TABLE (sector text, backward_direct float8, forward_direct float8, backward_total float8,
	forward_total float8, backward_index float8, forward_index float8, key_sector boolean)
AS 'MODULE_PATHNAME', 'vic_linkages'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100000 ROWS 100;
COMMENT ON FUNCTION vic.linkages(vic.iotable) IS 'backward and forward linkages: direct from column sums of A and row sums of B, total from column sums of L and row sums of G, Rasmussen (1956) indexes; key sector where both indexes exceed 1 (Hirschman 1958)';

CREATE FUNCTION vic.extraction(t vic.iotable)
RETURNS TABLE (sector text, backward_loss float8, forward_loss float8, total_loss float8)
AS 'MODULE_PATHNAME', 'vic_extraction'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100000 ROWS 100;
COMMENT ON FUNCTION vic.extraction(vic.iotable) IS 'hypothetical extraction (Dietzenbacher, van der Linden & Steenge 1993): loss of total output when a sector''s purchases, sales, or both are removed';

CREATE FUNCTION vic.upstreamness(t vic.iotable)
RETURNS TABLE (sector text, upstreamness float8, downstreamness float8)
AS 'MODULE_PATHNAME', 'vic_upstreamness'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100000 ROWS 100;
COMMENT ON FUNCTION vic.upstreamness(vic.iotable) IS 'upstreamness U = (I - D)^-1 1, d_ij = z_ij / (x_i - e_i + m_i) (Antras, Chor, Fally & Hillberry 2012); downstreamness = column sums of L (Miller & Temurshoev 2017)';

CREATE FUNCTION vic.impact(t vic.iotable, shock vic.iotable)
RETURNS TABLE (sector text, output_change float8)
AS 'MODULE_PATHNAME', 'vic_impact'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100000 ROWS 100;
COMMENT ON FUNCTION vic.impact(vic.iotable, vic.iotable) IS 'output change dx = L df of a final-demand change df, read from the final_demand accounts of the shock table (Miller & Blair 2009, ch. 2)';

-- --------------------------------------------------------------------
-- Regionalisation
-- --------------------------------------------------------------------
CREATE FUNCTION vic.regionalize(t vic.iotable, region vic.profile, nation vic.profile,
	method text DEFAULT 'flq', delta float8 DEFAULT 0.3)
RETURNS vic.iotable
AS 'MODULE_PATHNAME', 'vic_regionalize'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10000;
COMMENT ON FUNCTION vic.regionalize(vic.iotable, vic.profile, vic.profile, text, float8) IS 'regional table from a national one (sectors = vic.industry codes): r_ij = a_ij min(1, LQ_ij) with the slq, cilq or flq quotient of the region and nation profiles (Flegg, Webber & Elliott 1995; Flegg & Webber 1997), regional output x_j RE_j / NE_j';
