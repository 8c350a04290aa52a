-- ====================================================================
-- vic.links: an exact, mergeable summary of cooperation (or supply)
-- links between regions (weight, count and length moments per ordered
-- region pair, a log-binned histogram of link lengths, link-end location
-- moments per region), and what it tells: cross-region share, E-I index,
-- assortativity, distance decay and PPML gravity fits.  See doc/links.md.
-- ====================================================================

-- --------------------------------------------------------------------
-- Type and I/O
-- --------------------------------------------------------------------
CREATE TYPE vic.links;

CREATE FUNCTION vic.links_in(cstring) RETURNS vic.links
AS 'MODULE_PATHNAME', 'vic_links_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 50;
COMMENT ON FUNCTION vic.links_in(cstring) IS 'text input of vic.links: mode {regions} {pairs} {bins} [dmin dmax], canonicalised';

CREATE FUNCTION vic.links_out(vic.links) RETURNS cstring
AS 'MODULE_PATHNAME', 'vic_links_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 50;
COMMENT ON FUNCTION vic.links_out(vic.links) IS 'canonical text output of vic.links, exact sums as their shortest-exact parts';

CREATE FUNCTION vic.links_recv(internal) RETURNS vic.links
AS 'MODULE_PATHNAME', 'vic_links_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 50;
COMMENT ON FUNCTION vic.links_recv(internal) IS 'binary input of vic.links (validates every count and invariant)';

CREATE FUNCTION vic.links_send(vic.links) RETURNS bytea
AS 'MODULE_PATHNAME', 'vic_links_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 50;
COMMENT ON FUNCTION vic.links_send(vic.links) IS 'binary output of vic.links';

CREATE TYPE vic.links (
	INPUT = vic.links_in,
	OUTPUT = vic.links_out,
	RECEIVE = vic.links_recv,
	SEND = vic.links_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON TYPE vic.links IS 'exact, mergeable summary of links between regions: weight, count and length moments per ordered region pair, log-binned length histogram, link-end moments per region';

-- --------------------------------------------------------------------
-- Building, merging, comparing
-- --------------------------------------------------------------------
CREATE FUNCTION vic.links_agg_trans(vic.links, text, text, geography, geography) RETURNS vic.links
AS 'MODULE_PATHNAME', 'vic_links_agg_trans_geo'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.links_agg_trans(vic.links, text, text, geography, geography) IS 'transition function of vic.links_agg(src_region, dst_region, src_location, dst_location): a link of weight 1, sphere lengths';

CREATE FUNCTION vic.links_agg_trans(vic.links, text, text, geography, geography, float8) RETURNS vic.links
AS 'MODULE_PATHNAME', 'vic_links_agg_trans_geo'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.links_agg_trans(vic.links, text, text, geography, geography, float8) IS 'transition function of vic.links_agg(src_region, dst_region, src_location, dst_location, weight): sphere lengths';

CREATE FUNCTION vic.links_agg_trans(vic.links, text, text, geography, geography, float8, boolean) RETURNS vic.links
AS 'MODULE_PATHNAME', 'vic_links_agg_trans_geo'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.links_agg_trans(vic.links, text, text, geography, geography, float8, boolean) IS 'transition function of vic.links_agg(src_region, dst_region, src_location, dst_location, weight, use_spheroid)';

CREATE FUNCTION vic.links_agg_trans(vic.links, text, text, float8, float8) RETURNS vic.links
AS 'MODULE_PATHNAME', 'vic_links_agg_trans_dist'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.links_agg_trans(vic.links, text, text, float8, float8) IS 'transition function of vic.links_agg(src_region, dst_region, distance, weight): the caller''s distances';

CREATE FUNCTION vic.links_merge_trans(vic.links, vic.links) RETURNS vic.links
AS 'MODULE_PATHNAME', 'vic_links_merge_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;
COMMENT ON FUNCTION vic.links_merge_trans(vic.links, vic.links) IS 'transition function of vic.merge_agg(vic.links) and combine function of the links aggregates';

CREATE AGGREGATE vic.links_agg(src_region text, dst_region text, src_location geography, dst_location geography) (
	SFUNC = vic.links_agg_trans,
	STYPE = vic.links,
	COMBINEFUNC = vic.links_merge_trans,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE vic.links_agg(text, text, geography, geography) IS 'summary of links of weight 1 between regions, lengths as great-circle arcs on the sphere (PostGIS''s, R = 6371008.77 m) (rows with a NULL region skipped)';

CREATE AGGREGATE vic.links_agg(src_region text, dst_region text, src_location geography, dst_location geography, weight float8) (
	SFUNC = vic.links_agg_trans,
	STYPE = vic.links,
	COMBINEFUNC = vic.links_merge_trans,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE vic.links_agg(text, text, geography, geography, float8) IS 'summary of weighted links between regions, lengths on the sphere (PostGIS''s, R = 6371008.77 m) as ST_Distance(a, b, false) (rows with a NULL region skipped)';

CREATE AGGREGATE vic.links_agg(src_region text, dst_region text, src_location geography, dst_location geography, weight float8, use_spheroid boolean) (
	SFUNC = vic.links_agg_trans,
	STYPE = vic.links,
	COMBINEFUNC = vic.links_merge_trans,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE vic.links_agg(text, text, geography, geography, float8, boolean) IS 'summary of weighted links between regions, lengths on WGS 84 (PROJ geodesics, as ST_Distance(a, b)) when use_spheroid, else on the sphere';

CREATE AGGREGATE vic.links_agg(src_region text, dst_region text, distance float8, weight float8) (
	SFUNC = vic.links_agg_trans,
	STYPE = vic.links,
	COMBINEFUNC = vic.links_merge_trans,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE vic.links_agg(text, text, float8, float8) IS 'summary of weighted links between regions with the caller''s distances (road, rail, travel time; rows with a NULL region skipped)';

CREATE AGGREGATE vic.merge_agg(vic.links) (
	SFUNC = vic.links_merge_trans,
	STYPE = vic.links,
	COMBINEFUNC = vic.links_merge_trans,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE vic.merge_agg(vic.links) IS 'summary of the union of links summaries (distances measured the same way)';

CREATE FUNCTION vic.links_merge(vic.links, vic.links) RETURNS vic.links
AS 'MODULE_PATHNAME', 'vic_links_concat'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;
COMMENT ON FUNCTION vic.links_merge(vic.links, vic.links) IS 'summary of the union of two links summaries (the || operator)';

CREATE OPERATOR vic.|| (
	LEFTARG = vic.links,
	RIGHTARG = vic.links,
	FUNCTION = vic.links_merge,
	COMMUTATOR = OPERATOR(vic.||)
);
COMMENT ON OPERATOR vic.|| (vic.links, vic.links) IS 'summary of the union of two links summaries';

CREATE FUNCTION vic.links_eq(vic.links, vic.links) RETURNS boolean
AS 'MODULE_PATHNAME', 'vic_links_eq'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 10;
COMMENT ON FUNCTION vic.links_eq(vic.links, vic.links) IS 'true when two summaries are the same (the = operator)';

CREATE FUNCTION vic.links_ne(vic.links, vic.links) RETURNS boolean
AS 'MODULE_PATHNAME', 'vic_links_ne'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 10;
COMMENT ON FUNCTION vic.links_ne(vic.links, vic.links) IS 'true when two summaries differ (the <> operator)';

CREATE OPERATOR vic.= (
	LEFTARG = vic.links,
	RIGHTARG = vic.links,
	FUNCTION = vic.links_eq,
	COMMUTATOR = OPERATOR(vic.=),
	NEGATOR = OPERATOR(vic.<>),
	RESTRICT = eqsel,
	JOIN = eqjoinsel
);
COMMENT ON OPERATOR vic.= (vic.links, vic.links) IS 'same summary';

CREATE OPERATOR vic.<> (
	LEFTARG = vic.links,
	RIGHTARG = vic.links,
	FUNCTION = vic.links_ne,
	COMMUTATOR = OPERATOR(vic.<>),
	NEGATOR = OPERATOR(vic.=),
	RESTRICT = neqsel,
	JOIN = neqjoinsel
);
COMMENT ON OPERATOR vic.<> (vic.links, vic.links) IS 'different summaries';

-- --------------------------------------------------------------------
-- Cooperation across regions
-- --------------------------------------------------------------------
CREATE FUNCTION vic.link_count(vic.links) RETURNS bigint
AS 'MODULE_PATHNAME', 'vic_link_count'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
COMMENT ON FUNCTION vic.link_count(vic.links) IS 'number of links summarised';

CREATE FUNCTION vic.cross_region_share(vic.links) RETURNS float8
AS 'MODULE_PATHNAME', 'vic_cross_region_share'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
COMMENT ON FUNCTION vic.cross_region_share(vic.links) IS 'share of link weight between different regions (NULL without weight)';

CREATE FUNCTION vic.ei_index(vic.links) RETURNS float8
AS 'MODULE_PATHNAME', 'vic_ei_index'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
COMMENT ON FUNCTION vic.ei_index(vic.links) IS 'E-I index (E - I) / (E + I) of link weight between (E) and inside (I) regions (Krackhardt & Stern 1988)';

CREATE FUNCTION vic.ei_by_region(l vic.links)
RETURNS TABLE (region text, internal float8, external float8, ei float8)
AS 'MODULE_PATHNAME', 'vic_ei_by_region'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 50 ROWS 100;
COMMENT ON FUNCTION vic.ei_by_region(vic.links) IS 'E-I index of each region: internal = links inside it, external = links with one end in it (Krackhardt & Stern 1988)';

CREATE FUNCTION vic.assortativity(vic.links) RETURNS float8
AS 'MODULE_PATHNAME', 'vic_assortativity'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
COMMENT ON FUNCTION vic.assortativity(vic.links) IS 'categorical assortativity r of regions on the normalised mixing matrix (Newman 2003, eq. 2)';

CREATE FUNCTION vic.region_flows(l vic.links)
RETURNS TABLE (src_region text, dst_region text, weight float8, links bigint, mean_distance float8)
AS 'MODULE_PATHNAME', 'vic_region_flows'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100 ROWS 1000;
COMMENT ON FUNCTION vic.region_flows(vic.links) IS 'link weight, count and weighted mean length of every ordered region pair with links';

-- --------------------------------------------------------------------
-- Link lengths
-- --------------------------------------------------------------------
CREATE FUNCTION vic.mean_link_distance(vic.links) RETURNS float8
AS 'MODULE_PATHNAME', 'vic_mean_link_distance'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
COMMENT ON FUNCTION vic.mean_link_distance(vic.links) IS 'weighted mean link length (metres, or the unit of the caller''s distances)';

CREATE FUNCTION vic.link_distance_quantile(vic.links, q float8) RETURNS float8
AS 'MODULE_PATHNAME', 'vic_link_distance_quantile'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
COMMENT ON FUNCTION vic.link_distance_quantile(vic.links, float8) IS 'weighted q-quantile of link length from the histogram (within 1.09% relative: 64 bins per doubling)';

CREATE FUNCTION vic.distance_decay(l vic.links, breaks float8[])
RETURNS TABLE (lower float8, upper float8, weight float8, links bigint)
AS 'MODULE_PATHNAME', 'vic_distance_decay'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 50 ROWS 20;
COMMENT ON FUNCTION vic.distance_decay(vic.links, float8[]) IS 'link weight and count per length interval [breaks[k], breaks[k+1]) from the histogram, for decay plots';

-- --------------------------------------------------------------------
-- Gravity: PPML fits and cooperation scores
-- --------------------------------------------------------------------
CREATE FUNCTION vic.gravity_fit(l vic.links, cost text DEFAULT 'power', constrained text DEFAULT 'doubly',
                                intra boolean DEFAULT false,
                                OUT beta float8, OUT std_error float8, OUT deviance float8,
                                OUT pseudo_r2 float8, OUT iterations integer, OUT converged boolean,
                                OUT separated text[])
RETURNS record
AS 'MODULE_PATHNAME', 'vic_gravity_fit'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10000;
COMMENT ON FUNCTION vic.gravity_fit(vic.links, text, text, boolean) IS 'Poisson pseudo-maximum-likelihood gravity fit (Santos Silva & Tenreyro 2006): distance coefficient, robust (HC0) standard error, deviance, McFadden pseudo R2, convergence and separated regions';

CREATE FUNCTION vic.gravity(l vic.links, cost text DEFAULT 'power', constrained text DEFAULT 'doubly',
                            intra boolean DEFAULT false)
RETURNS TABLE (src_region text, dst_region text, observed float8, expected float8, score float8)
AS 'MODULE_PATHNAME', 'vic_gravity'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10000 ROWS 10000;
COMMENT ON FUNCTION vic.gravity(vic.links, text, text, boolean) IS 'observed and fitted flow of every region pair of the PPML gravity fit, and the cooperation score observed / expected';
