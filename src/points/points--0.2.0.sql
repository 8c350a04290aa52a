-- ====================================================================
-- vic.points: an exact, mergeable set of weighted points with ids, on
-- geography (geodesic metres on PostGIS's sphere) or geometry (planar,
-- the SRID's units), and the distance-based measures of concentration
-- that read it: Ripley's K and L, Duranton-Overman Kd with envelopes,
-- Marcon-Puech M, Clark-Evans, nearest neighbours, the co-location
-- quotient and DBSCAN.  See doc/points.md.
-- ====================================================================

-- --------------------------------------------------------------------
-- Type and I/O
-- --------------------------------------------------------------------
CREATE TYPE vic.points;

CREATE FUNCTION vic.points_in(cstring) RETURNS vic.points
AS 'MODULE_PATHNAME', 'vic_points_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 50;
COMMENT ON FUNCTION vic.points_in(cstring) IS 'text input of vic.points: geography{id:lon lat:weight,...}, geometry(srid){id:x y:weight,...} or {}; weight defaults to 1';

CREATE FUNCTION vic.points_out(vic.points) RETURNS cstring
AS 'MODULE_PATHNAME', 'vic_points_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 50;
COMMENT ON FUNCTION vic.points_out(vic.points) IS 'canonical text output of vic.points, points in id order, shortest exact numbers';

CREATE FUNCTION vic.points_recv(internal) RETURNS vic.points
AS 'MODULE_PATHNAME', 'vic_points_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 50;
COMMENT ON FUNCTION vic.points_recv(internal) IS 'binary input of vic.points (validates every count and invariant)';

CREATE FUNCTION vic.points_send(vic.points) RETURNS bytea
AS 'MODULE_PATHNAME', 'vic_points_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 50;
COMMENT ON FUNCTION vic.points_send(vic.points) IS 'binary output of vic.points';

CREATE TYPE vic.points (
	INPUT = vic.points_in,
	OUTPUT = vic.points_out,
	RECEIVE = vic.points_recv,
	SEND = vic.points_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON TYPE vic.points IS 'set of weighted points with bigint ids, on geography (metres) or geometry of one SRID, sorted by id';

-- --------------------------------------------------------------------
-- Building, merging, comparing
-- --------------------------------------------------------------------
CREATE FUNCTION vic.points_agg_trans(vic.points, bigint, geography) RETURNS vic.points
AS 'MODULE_PATHNAME', 'vic_points_agg_geog_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.points_agg_trans(vic.points, bigint, geography) IS 'transition function of vic.points_agg(id, geography): appends a point of weight 1';

CREATE FUNCTION vic.points_agg_trans(vic.points, bigint, geography, float8) RETURNS vic.points
AS 'MODULE_PATHNAME', 'vic_points_agg_geog_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.points_agg_trans(vic.points, bigint, geography, float8) IS 'transition function of vic.points_agg(id, geography, weight): appends a point';

CREATE FUNCTION vic.points_agg_trans(vic.points, bigint, geometry) RETURNS vic.points
AS 'MODULE_PATHNAME', 'vic_points_agg_geom_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.points_agg_trans(vic.points, bigint, geometry) IS 'transition function of vic.points_agg(id, geometry): appends a point of weight 1';

CREATE FUNCTION vic.points_agg_trans(vic.points, bigint, geometry, float8) RETURNS vic.points
AS 'MODULE_PATHNAME', 'vic_points_agg_geom_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.points_agg_trans(vic.points, bigint, geometry, float8) IS 'transition function of vic.points_agg(id, geometry, weight): appends a point';

CREATE FUNCTION vic.points_merge_trans(vic.points, vic.points) RETURNS vic.points
AS 'MODULE_PATHNAME', 'vic_points_merge_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;
COMMENT ON FUNCTION vic.points_merge_trans(vic.points, vic.points) IS 'transition function of vic.merge_agg and combine function of the points aggregates';

CREATE FUNCTION vic.points_agg_final(vic.points) RETURNS vic.points
AS 'MODULE_PATHNAME', 'vic_points_agg_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.points_agg_final(vic.points) IS 'final function of the points aggregates: the state, without a copy';

CREATE AGGREGATE vic.points_agg(id bigint, location geography) (
	SFUNC = vic.points_agg_trans,
	STYPE = vic.points,
	FINALFUNC = vic.points_agg_final,
	COMBINEFUNC = vic.points_merge_trans,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE vic.points_agg(bigint, geography) IS 'set of points of weight 1 on geography (SRID 4326, geodesic metres); rows with a NULL id or location skipped';

CREATE AGGREGATE vic.points_agg(id bigint, location geography, weight float8) (
	SFUNC = vic.points_agg_trans,
	STYPE = vic.points,
	FINALFUNC = vic.points_agg_final,
	COMBINEFUNC = vic.points_merge_trans,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE vic.points_agg(bigint, geography, float8) IS 'set of weighted points on geography (SRID 4326, geodesic metres); weight finite and >= 0; rows with a NULL id or location skipped';

CREATE AGGREGATE vic.points_agg(id bigint, location geometry) (
	SFUNC = vic.points_agg_trans,
	STYPE = vic.points,
	FINALFUNC = vic.points_agg_final,
	COMBINEFUNC = vic.points_merge_trans,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE vic.points_agg(bigint, geometry) IS 'set of points of weight 1 on planar geometry of one SRID; rows with a NULL id or location skipped';

CREATE AGGREGATE vic.points_agg(id bigint, location geometry, weight float8) (
	SFUNC = vic.points_agg_trans,
	STYPE = vic.points,
	FINALFUNC = vic.points_agg_final,
	COMBINEFUNC = vic.points_merge_trans,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE vic.points_agg(bigint, geometry, float8) IS 'set of weighted points on planar geometry of one SRID; weight finite and >= 0; rows with a NULL id or location skipped';

CREATE AGGREGATE vic.merge_agg(vic.points) (
	SFUNC = vic.points_merge_trans,
	STYPE = vic.points,
	FINALFUNC = vic.points_agg_final,
	COMBINEFUNC = vic.points_merge_trans,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE vic.merge_agg(vic.points) IS 'union of point sets of one kind (an id in two sets is an error)';

CREATE FUNCTION vic.points_merge(vic.points, vic.points) RETURNS vic.points
AS 'MODULE_PATHNAME', 'vic_points_concat'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;
COMMENT ON FUNCTION vic.points_merge(vic.points, vic.points) IS 'union of two point sets of one kind (the || operator)';

CREATE OPERATOR vic.|| (
	LEFTARG = vic.points,
	RIGHTARG = vic.points,
	FUNCTION = vic.points_merge,
	COMMUTATOR = OPERATOR(vic.||)
);
COMMENT ON OPERATOR vic.|| (vic.points, vic.points) IS 'union of two point sets of one kind';

CREATE FUNCTION vic.points_eq(vic.points, vic.points) RETURNS boolean
AS 'MODULE_PATHNAME', 'vic_points_eq'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 10;
COMMENT ON FUNCTION vic.points_eq(vic.points, vic.points) IS 'true when two point sets have the same kind, ids, coordinates and weights (the = operator)';

CREATE FUNCTION vic.points_ne(vic.points, vic.points) RETURNS boolean
AS 'MODULE_PATHNAME', 'vic_points_ne'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 10;
COMMENT ON FUNCTION vic.points_ne(vic.points, vic.points) IS 'true when two point sets differ (the <> operator)';

CREATE OPERATOR vic.= (
	LEFTARG = vic.points,
	RIGHTARG = vic.points,
	FUNCTION = vic.points_eq,
	COMMUTATOR = OPERATOR(vic.=),
	NEGATOR = OPERATOR(vic.<>),
	RESTRICT = eqsel,
	JOIN = eqjoinsel
);
COMMENT ON OPERATOR vic.= (vic.points, vic.points) IS 'same kind, ids, coordinates and weights';

CREATE OPERATOR vic.<> (
	LEFTARG = vic.points,
	RIGHTARG = vic.points,
	FUNCTION = vic.points_ne,
	COMMUTATOR = OPERATOR(vic.<>),
	NEGATOR = OPERATOR(vic.=),
	RESTRICT = neqsel,
	JOIN = neqjoinsel
);
COMMENT ON OPERATOR vic.<> (vic.points, vic.points) IS 'point sets differ';

CREATE FUNCTION vic.point_count(pts vic.points) RETURNS bigint
AS 'MODULE_PATHNAME', 'vic_point_count'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.point_count(vic.points) IS 'number of points of a point set';

-- --------------------------------------------------------------------
-- Second-order measures
-- --------------------------------------------------------------------
CREATE FUNCTION vic.ripley(pts vic.points, radii float8[], correction text DEFAULT 'none',
	area float8 DEFAULT NULL)
RETURNS TABLE (r float8, k float8, l float8, k_csr float8)
AS 'MODULE_PATHNAME', 'vic_ripley'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 100000 ROWS 20;
COMMENT ON FUNCTION vic.ripley(vic.points, float8[], text, float8) IS 'Ripley''s K and Besag''s L at the radii (metres on geography), without edge correction; area defaults to the bounding rectangle (Ripley 1976; Besag 1977)';

CREATE FUNCTION vic.ripley(pts vic.points, radii float8[], "window" geometry,
	correction text DEFAULT 'border')
RETURNS TABLE (r float8, k float8, l float8, k_csr float8)
AS 'MODULE_PATHNAME', 'vic_ripley_window'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100000 ROWS 20;
COMMENT ON FUNCTION vic.ripley(vic.points, float8[], geometry, text) IS 'Ripley''s K and Besag''s L in a planar polygon window, with the border (reduced-sample) correction or none; the window''s area';

CREATE FUNCTION vic.kd(pts vic.points, radii float8[], bandwidth float8 DEFAULT NULL,
	weighted boolean DEFAULT false)
RETURNS TABLE (r float8, density float8)
AS 'MODULE_PATHNAME', 'vic_kd'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 100000 ROWS 20;
COMMENT ON FUNCTION vic.kd(vic.points, float8[], float8, boolean) IS 'Duranton-Overman Kd: Gaussian kernel density of pair distances with reflection at 0, Silverman bandwidth unless given, optionally weighted by w_i w_j (Duranton & Overman 2005)';

CREATE FUNCTION vic.kd_envelope(cluster_pts vic.points, all_pts vic.points, radii float8[],
	simulations integer DEFAULT 99, seed bigint DEFAULT 0, level float8 DEFAULT 0.95)
RETURNS TABLE (r float8, kd float8, lower float8, upper float8, localised boolean, dispersed boolean)
AS 'MODULE_PATHNAME', 'vic_kd_envelope'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1000000 ROWS 20;
COMMENT ON FUNCTION vic.kd_envelope(vic.points, vic.points, float8[], integer, bigint, float8) IS 'Kd of a cluster with the global confidence band of random draws of as many sites from all sites (Duranton & Overman 2005)';

CREATE FUNCTION vic.m_function(cluster_pts vic.points, all_pts vic.points, radii float8[],
	simulations integer DEFAULT 99, seed bigint DEFAULT 0, level float8 DEFAULT 0.95)
RETURNS TABLE (r float8, m float8, lower float8, upper float8)
AS 'MODULE_PATHNAME', 'vic_m_function'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1000000 ROWS 20;
COMMENT ON FUNCTION vic.m_function(vic.points, vic.points, float8[], integer, bigint, float8) IS 'Marcon-Puech M of a cluster among all firms (by id), with the global band of random labelling (Marcon & Puech 2010)';

-- --------------------------------------------------------------------
-- Nearest neighbours and clusters
-- --------------------------------------------------------------------
CREATE FUNCTION vic.clark_evans(pts vic.points, area float8 DEFAULT NULL,
	OUT r float8, OUT mean_distance float8, OUT expected_distance float8, OUT z float8)
RETURNS record
AS 'MODULE_PATHNAME', 'vic_clark_evans'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10000;
COMMENT ON FUNCTION vic.clark_evans(vic.points, float8) IS 'Clark-Evans aggregation index R (mean nearest-neighbour distance over its CSR value 1/(2 sqrt(n/area))) and its z; area defaults to the bounding rectangle (Clark & Evans 1954)';

CREATE FUNCTION vic.nearest_neighbours(pts vic.points)
RETURNS TABLE (id bigint, neighbour bigint, distance float8)
AS 'MODULE_PATHNAME', 'vic_nearest_neighbours'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10000 ROWS 1000;
COMMENT ON FUNCTION vic.nearest_neighbours(vic.points) IS 'each point''s nearest other point (the smaller id on a tie) and its distance (metres on geography)';

CREATE FUNCTION vic.colocation_quotient(a_pts vic.points, b_pts vic.points) RETURNS float8
AS 'MODULE_PATHNAME', 'vic_colocation_quotient'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10000;
COMMENT ON FUNCTION vic.colocation_quotient(vic.points, vic.points) IS 'co-location quotient CLQ A->B: share of A points whose nearest neighbour is a B point over its expectation N_B/(N-1), ties split (Leslie & Kronenfeld 2011)';

CREATE FUNCTION vic.dbscan(pts vic.points, eps float8, min_points integer)
RETURNS TABLE (id bigint, cluster integer)
AS 'MODULE_PATHNAME', 'vic_dbscan'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10000 ROWS 1000;
COMMENT ON FUNCTION vic.dbscan(vic.points, float8, integer) IS 'DBSCAN clusters with eps in metres on geography (PostGIS ST_ClusterDBSCAN rules: min_points includes the point itself); NULL for noise (Ester et al. 1996)';
