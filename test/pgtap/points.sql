-- pgTAP: vic.points properties, hand-computed values, NULLs, empty input, bad input and error codes.
BEGIN;
SELECT plan(99);
SET LOCAL search_path = vic, public;
SET LOCAL client_min_messages = warning;

CREATE FUNCTION pg_temp.plan_text(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text; t text := '';
BEGIN
    FOR r IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP t := t || r || E'\n'; END LOOP;
    RETURN t;
END $$;

-- Binary input through COPY ... (FORMAT binary), as test/pgtap/graph.sql does
CREATE FUNCTION pg_temp.recv(payload bytea) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    f text := current_setting('data_directory') || '/vic_points_recv_test.bin';
    r text;
BEGIN
    CREATE TEMP TABLE IF NOT EXISTS recv_in (b bytea);
    CREATE TEMP TABLE IF NOT EXISTS recv_out (p vic.points);
    TRUNCATE recv_in; TRUNCATE recv_out;
    INSERT INTO recv_in VALUES (payload);
    EXECUTE format('COPY recv_in TO %L (FORMAT binary)', f);
    EXECUTE format('COPY recv_out FROM %L (FORMAT binary)', f);
    SELECT p::text INTO r FROM recv_out;
    RETURN r;
END $$;

-- ---------------------------------------------------------------- building, I/O, merging
SELECT is((SELECT vic.points_agg(id, ST_MakePoint(x, y))::text
           FROM (VALUES (3, 1.5, 2.0), (1, 0.0, 0.0), (2, 3, 4)) v(id, x, y)),
          'geometry(0){1:0 0:1,2:3 4:1,3:1.5 2:1}', 'points_agg on geometry: sorted by id, weight 1');
SELECT is((SELECT vic.points_agg(id, ST_SetSRID(ST_MakePoint(x, y), 3857), w)::text
           FROM (VALUES (2, -0.0, 0.1, 2.5), (1, 1e300, -7.25, 0)) v(id, x, y, w)),
          'geometry(3857){1:1e+300 -7.25:0,2:0 0.1:2.5}', 'points_agg keeps the SRID; -0 becomes 0');
SELECT is((SELECT vic.points_agg(id, ST_SetSRID(ST_MakePoint(x, y), 4326)::geography, 2)::text
           FROM (VALUES (1, 10.5, 45.25), (2, -179.9, -89)) v(id, x, y)),
          'geography{1:10.5 45.25:2,2:-179.9 -89:2}', 'points_agg on geography');
SELECT is((SELECT vic.points_agg(id, g) FROM (VALUES (1::bigint, NULL::geometry), (NULL, 'POINT(1 1)')) v(id, g)),
          NULL, 'rows with a NULL id or location are skipped; none left is NULL');
SELECT is((SELECT vic.points_agg(id, g) FROM (VALUES (1::bigint, 'POINT(1 1)'::geometry)) v(id, g) WHERE false),
          NULL, 'points_agg over no rows is NULL');
SELECT is('geography{2:1 2, 1:0.1 0.2:3}'::vic.points::text, 'geography{1:0.1 0.2:3,2:1 2:1}',
          'text input sorts and defaults the weight');
SELECT is('{}'::vic.points::text, '{}', 'the empty set');
SELECT is(vic.point_count('{}'), 0::bigint, 'the empty set has no points');
SELECT is((SELECT count(*) FROM (
             SELECT t, t::vic.points AS p
             FROM (SELECT format('geometry(0){1:%s %s:%s}', float8out((random() - 0.5) * 10 ^ (i % 40 - 20)),
                                 float8out(random() / 3), float8out(random() * 1e10)) AS t
                   FROM generate_series(1, 200) i) r) s
           WHERE p::text <> t OR p::text::vic.points <> p),
          0::bigint, 'text output round-trips bit for bit (shortest exact numbers, as float8out)');
SELECT is(pg_temp.recv(vic.points_send('geography{1:0.1 0.2:3,7:-1 2:0}')), 'geography{1:0.1 0.2:3,7:-1 2:0}',
          'binary send and receive round-trip');
SELECT is(pg_temp.recv(vic.points_send('{}')), '{}', 'binary round-trip of the empty set');

-- the same bytes whatever the row order, the plan or the merge order
-- a plain table (rolled back): workers cannot read temporary tables
CREATE TABLE points_test_firm AS
SELECT i::bigint AS id, (i % 4) AS part, ST_SetSRID(ST_MakePoint(10 + (i * 0.618034) % 2, 45 + (i * 0.414214) % 1), 4326)::geography AS g,
       (i % 13)::float8 / 7 AS w
FROM generate_series(1, 20000) i;
CREATE TEMP TABLE ref AS SELECT vic.points_agg(id, g, w) AS p FROM points_test_firm;
SELECT ok((SELECT vic.points_agg(id, g, w) FROM (SELECT * FROM points_test_firm ORDER BY random()) s) = (SELECT p FROM ref),
          'row order does not change the value');
SELECT ok((SELECT vic.merge_agg(p) FROM (SELECT vic.points_agg(id, g, w) AS p FROM points_test_firm GROUP BY part) s) = (SELECT p FROM ref),
          'merge_agg of partial sets equals the whole');
SELECT ok((SELECT a OPERATOR(vic.||) b FROM
           (SELECT vic.points_agg(id, g, w) FILTER (WHERE part < 2) a, vic.points_agg(id, g, w) FILTER (WHERE part >= 2) b FROM points_test_firm) s)
          = (SELECT p FROM ref), 'a || b equals the aggregate of the union');
SELECT ok(('{}'::vic.points OPERATOR(vic.||) (SELECT p FROM ref)) = (SELECT p FROM ref), 'the empty set is the identity of ||');
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
ANALYZE points_test_firm;
SELECT ok((SELECT vic.points_agg(id, g, w) FROM points_test_firm) = (SELECT p FROM ref), 'a parallel plan gives the same value');
SELECT ok(EXISTS (SELECT 1 FROM (SELECT pg_temp.plan_text('SELECT vic.points_agg(id, g, w) FROM points_test_firm') t) s WHERE t LIKE '%Partial Aggregate%'),
          'the parallel plan has partial aggregates');
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
SELECT ok((SELECT p FROM ref)::text::vic.points = (SELECT p FROM ref), 'text round-trip of 20,000 points');
SELECT is(vic.point_count((SELECT p FROM ref)), 20000::bigint, 'point_count');

-- ---------------------------------------------------------------- bad input
SELECT throws_ok($$SELECT vic.points_agg(7, 'POINT(NaN 1)'::geometry)$$, '22023',
                 'location of point 7 has a coordinate that is not finite', 'NaN coordinate names the id');
SELECT throws_ok($$SELECT vic.points_agg(7, ST_MakePoint(1, 'Infinity'))$$, '22023', NULL, 'infinite coordinate');
SELECT throws_ok($$SELECT vic.points_agg(8, 'POINT EMPTY'::geometry)$$, '22023',
                 'location of point 8 must not be an empty point', 'empty point');
SELECT throws_ok($$SELECT vic.points_agg(9, 'LINESTRING(0 0, 1 1)'::geometry)$$, '22023',
                 'location of point 9 must be a point', 'a line is not a point');
SELECT throws_ok($$SELECT vic.points_agg(id, g) FROM (VALUES (1, 'SRID=3857;POINT(0 0)'::geometry), (2, 'SRID=4326;POINT(0 0)')) v(id, g)$$,
                 '22023', 'point 2 is on geometry in SRID 4326, the other points on geometry in SRID 3857', 'mixed SRIDs');
SELECT throws_ok($$SELECT vic.points_agg(3, 'SRID=4269;POINT(1 2)'::geography)$$, '0A000',
                 'geography in SRID 4269 is not supported (point 3)', 'geography outside SRID 4326 is not supported');
SELECT throws_ok($$SELECT vic.points_agg(4, 'POINT(1 1)'::geometry, -1)$$, '22023', NULL, 'negative weight');
SELECT throws_ok($$SELECT vic.points_agg(4, 'POINT(1 1)'::geometry, 'NaN')$$, '22023', NULL, 'NaN weight');
SELECT throws_ok($$SELECT vic.points_agg(4, 'POINT(1 1)'::geometry, NULL)$$, '22023', NULL, 'NULL weight');
SELECT throws_ok($$SELECT vic.points_agg(id, g) FROM (VALUES (5, 'POINT(0 0)'::geometry), (5, 'POINT(1 1)')) v(id, g)$$,
                 '22023', 'point id 5 appears more than once', 'duplicate ids');
SELECT throws_ok($$SELECT 'geography{1:0 0}'::vic.points OPERATOR(vic.||) 'geometry(0){2:0 0}'$$, '22023',
                 'cannot combine points on geography with points on geometry in SRID 0', 'merging kinds');
SELECT throws_ok($$SELECT 'geography{1:0 0}'::vic.points OPERATOR(vic.||) 'geography{1:0 0}'$$, '22023',
                 'point id 1 appears more than once', 'merging sets that share an id');
SELECT throws_ok($$SELECT 'geography{1:0 95}'::vic.points$$, '22023', NULL, 'latitude beyond 90 in text');
SELECT throws_ok($$SELECT 'geometry(0){1:NaN 0}'::vic.points$$, '22023', NULL, 'NaN in text');
SELECT throws_ok($$SELECT 'geometry{1:0 0}'::vic.points$$, '22P02', NULL, 'geometry without SRID in text');
SELECT throws_ok($$SELECT '{1:0 0}'::vic.points$$, '22P02', NULL, 'points without a kind in text');
SELECT throws_ok($$SELECT 'geometry(0){1:0 0:1'::vic.points$$, '22P02', NULL, 'unterminated text');
SELECT throws_ok($$SELECT pg_temp.recv('\x0202000000000000000000'::bytea)$$, '22P03', NULL, 'binary: wrong version');
SELECT throws_ok($$SELECT pg_temp.recv('\x0109000000000000000000'::bytea)$$, '22P03', NULL, 'binary: unknown kind');
SELECT throws_ok($$SELECT pg_temp.recv('\x0102000000007fffffff'::bytea)$$, '22P03', NULL, 'binary: count larger than the message');
SELECT throws_ok($$SELECT pg_temp.recv(decode('01020000000000000002' || '0000000000000002' || repeat('00', 24)
                                              || '0000000000000001' || repeat('00', 24), 'hex'))$$,
                 '22P03', NULL, 'binary: ids out of order');
SELECT throws_ok($$SELECT pg_temp.recv(decode('01020000000000000001' || '0000000000000001' || '7ff8000000000000' || repeat('00', 16), 'hex'))$$,
                 '22P03', NULL, 'binary: NaN coordinate');
SELECT throws_ok($$SELECT pg_temp.recv(decode('01010000000000000001' || '0000000000000001' || repeat('00', 24), 'hex'))$$,
                 '22P03', NULL, 'binary: geography outside SRID 4326');

-- ---------------------------------------------------------------- measures: hand-computed values
-- Four points: d(1,3) = d(2,3) = 2.5, d(1,2) = 5, point 4 at (10, 10).  K(2.6) = A 2 * 2 / (n (n-1))
-- = 100 * 4 / 12 with the bounding-box area 100 (Ripley 1976).
CREATE TEMP TABLE four AS SELECT 'geometry(0){1:0 0,2:3 4,3:1.5 2,4:10 10}'::vic.points AS p;
SELECT results_eq($$SELECT r, k, k_csr FROM vic.ripley((SELECT p FROM four), '{5, 2.6, 1}')$$,
                  $$VALUES (5::float8, 100 * 6 / 12.0::float8, pi() * 25), (2.6, 100 * 4 / 12.0, pi() * 2.6 * 2.6), (1, 0, pi())$$,
                  'K without correction by hand, rows in the order of the radii');
-- border: window [-1, 11]^2 (area 144); b = 1, 4, 2.5, 1; at r = 2.6 only point 2 is 2.6 from the
-- border and has one neighbour (3): K = 144 * 1 / (4 * 1) = 36; at r = 5 no point qualifies: NULL
SELECT results_eq($$SELECT k FROM vic.ripley((SELECT p FROM four), '{2.6, 5}', 'POLYGON((-1 -1, 11 -1, 11 11, -1 11, -1 -1))'::geometry)$$,
                  $$VALUES (36::float8), (NULL)$$, 'border-corrected K by hand; NULL where no point is r from the border');
SELECT is((SELECT l FROM vic.ripley((SELECT p FROM four), '{2.6}', 'none', 100)), sqrt(100 * 4 / 12.0::float8 / pi()), 'L = sqrt(K / pi) (Besag 1977)');
-- a window with a hole: the area is the shell minus the hole
SELECT is((SELECT k FROM vic.ripley((SELECT p FROM four), '{2.6}',
           'POLYGON((-1 -1, 11 -1, 11 11, -1 11, -1 -1), (6 6, 8 6, 8 8, 6 8, 6 6))'::geometry, 'none')),
          140 * 4 / 12.0::float8, 'the window''s area excludes its holes');
-- Clark-Evans: the corners of a unit square in area 4: mean NN distance 1, expected 1 / (2 sqrt(1)) (Clark & Evans 1954)
SELECT results_eq($$SELECT r, mean_distance, expected_distance FROM vic.clark_evans('geometry(0){1:0 0,2:1 0,3:0 1,4:1 1}', 4)$$,
                  $$VALUES (2::float8, 1::float8, 0.5::float8)$$, 'Clark-Evans R of a square lattice by hand');
SELECT results_eq($$SELECT * FROM vic.nearest_neighbours('geometry(0){5:0 0,6:1 0,7:0 1,8:3 3}')$$,
                  $$VALUES (5::bigint, 6::bigint, 1::float8), (6, 5, 1), (7, 5, 1), (8, 6, sqrt(13))$$,
                  'nearest neighbours, ties to the smaller id');
SELECT results_eq($$SELECT * FROM vic.nearest_neighbours('geometry(0){5:0 0}')$$,
                  $$VALUES (5::bigint, NULL::bigint, NULL::float8)$$, 'a lone point has no neighbour');
-- Kd of two points 1 apart with h = 0.5 at r = 1: (1/h) (phi(0) + phi(4)) (Duranton & Overman 2005, with reflection)
SELECT ok(abs((SELECT density FROM vic.kd('geometry(0){1:0 0,2:1 0}', '{1}', 0.5)) - 2 * (1 / sqrt(2 * pi()) + exp(-8) / sqrt(2 * pi()))) < 1e-15,
          'Kd of one pair by hand');
-- weighted Kd: pairs weighted w_i w_j: (1,2) weight 2, (1,3) 3, (2,3) 6
SELECT ok(abs((SELECT density FROM vic.kd('geometry(0){1:0 0:1,2:1 0:2,3:0 2:3}', '{1.5}', 0.5, true))
              - (2 * (exp(-0.5) + exp(-12.5)) + 3 * (exp(-0.5) + exp(-24.5)) + 6 * (exp(-0.5 * ((1.5 - sqrt(5)) / 0.5) ^ 2) + exp(-0.5 * ((1.5 + sqrt(5)) / 0.5) ^ 2)))
                / (0.5 * sqrt(2 * pi()) * 11)) < 1e-15,
          'weighted Kd by hand');
-- Kd integrates to 1 over r >= 0 (trapezoid rule on a fine grid)
SELECT ok(abs((SELECT sum(density) * 0.001 - 0.5 * 0.001 * (array_agg(density ORDER BY r))[1]
               FROM vic.kd((SELECT vic.points_agg(id, ST_MakePoint(x, y))
                            FROM (SELECT i, (i * 0.618034) % 1, (i * 0.414214) % 1 FROM generate_series(1, 300) i) s(id, x, y)),
                           (SELECT array_agg(i * 0.001) FROM generate_series(0, 2500) i))) - 1) < 1e-6,
          'Kd integrates to 1 over all distances');
-- M (Marcon & Puech 2010): all = 0, 1, 2, 10 on a line, cluster {0, 1}; at r = 1.5 firm 0 sees only
-- firm 1 (cluster), firm 1 sees 0 (cluster) and 2: (1 + 1/2) / (2 * (2 - 1) / (4 - 1)) = 2.25
SELECT ok(abs((SELECT m FROM vic.m_function('geometry(0){1:0 0,2:1 0}', 'geometry(0){1:0 0,2:1 0,3:2 0,4:10 0}', '{1.5}', 9)) - 2.25) < 1e-15,
          'M by hand');
-- co-location quotient (Leslie & Kronenfeld 2011): both A points have a B nearest neighbour: (2/2) / (2/3)
SELECT ok(abs(vic.colocation_quotient('geometry(0){1:0 0,2:10 0}', 'geometry(0){3:1 0,4:10 2}') - 1.5) < 1e-15, 'CLQ by hand');
-- a tie: A point 1 has A point 2 and B point 3 both at 1 (half a B); point 2's nearest is 1: (0.5 / 2) / (1 / 2)
SELECT is(vic.colocation_quotient('geometry(0){1:0 0,2:-1 0}', 'geometry(0){3:1 0}'), 0.5::float8, 'CLQ splits ties');
SELECT results_eq($$SELECT * FROM vic.dbscan('geometry(0){1:0 0,2:1 0,3:2 0,4:2.5 0,5:10 0,6:10.5 0}', 1, 3)$$,
                  $$VALUES (1::bigint, 0), (2, 0), (3, 0), (4, 0), (5, NULL), (6, NULL)$$,
                  'DBSCAN by hand: 2 and 3 are core, 1 and 4 border, 5 and 6 noise');

-- envelopes: reproducible for a seed, independent of row order
CREATE TEMP TABLE site AS
SELECT i::bigint AS id, ST_MakePoint((i * 0.618034) % 1, (i * 0.414214) % 1) AS g FROM generate_series(1, 2000) i;
CREATE TEMP TABLE env1 AS
SELECT * FROM vic.kd_envelope((SELECT vic.points_agg(id, g) FROM site WHERE id % 10 = 0 AND id < 1500),
                              (SELECT vic.points_agg(id, g) FROM site), '{0.05, 0.1, 0.2, 0.4}', 39, 7);
SELECT results_eq($$SELECT * FROM vic.kd_envelope((SELECT vic.points_agg(id, g) FROM (SELECT * FROM site ORDER BY random()) s WHERE id % 10 = 0 AND id < 1500),
                                                 (SELECT vic.points_agg(id, g) FROM (SELECT * FROM site ORDER BY random()) s), '{0.05, 0.1, 0.2, 0.4}', 39, 7)$$,
                  $$SELECT * FROM env1$$, 'kd_envelope is reproducible for a seed and independent of row order');
SELECT ok((SELECT bool_and(lower <= upper AND lower >= 0) FROM env1), 'the band is ordered');
SELECT ok((SELECT array_agg(lower) FROM env1) IS DISTINCT FROM
          (SELECT array_agg(lower) FROM vic.kd_envelope((SELECT vic.points_agg(id, g) FROM site WHERE id % 10 = 0 AND id < 1500),
                                                        (SELECT vic.points_agg(id, g) FROM site), '{0.05, 0.1, 0.2, 0.4}', 39, 8)),
          'another seed gives another band');
-- a cluster packed in one corner is localised at short distances
SELECT ok((SELECT localised AND NOT dispersed FROM vic.kd_envelope(
             (SELECT vic.points_agg(id, g) FROM site WHERE ST_X(g) < 0.2 AND ST_Y(g) < 0.2),
             (SELECT vic.points_agg(id, g) FROM site), '{0.05}', 19, 1)),
          'a corner cluster is localised');
SELECT results_eq($$SELECT * FROM vic.m_function((SELECT vic.points_agg(id, g) FROM site WHERE id % 10 = 0), (SELECT vic.points_agg(id, g) FROM site), '{0.05, 0.1}', 19, 3)$$,
                  $$SELECT * FROM vic.m_function((SELECT vic.points_agg(id, g) FROM (SELECT * FROM site ORDER BY random()) s WHERE id % 10 = 0),
                                                 (SELECT vic.points_agg(id, g) FROM (SELECT * FROM site ORDER BY random()) s), '{0.05, 0.1}', 19, 3)$$,
                  'm_function is reproducible for a seed and independent of row order');
SELECT ok((SELECT bool_and(lower <= upper)
           FROM vic.m_function((SELECT vic.points_agg(id, g) FROM site WHERE id % 10 = 0), (SELECT vic.points_agg(id, g) FROM site), '{0.05, 0.1}', 19, 3)),
          'the M band is ordered');

-- ---------------------------------------------------------------- NULLs, empty sets, bad parameters
SELECT is((SELECT count(*) FROM vic.ripley(NULL, '{1}')), 0::bigint, 'ripley(NULL) is empty');
SELECT is((SELECT count(*) FROM vic.kd(NULL, '{1}')), 0::bigint, 'kd(NULL) is empty');
SELECT is((SELECT count(*) FROM vic.nearest_neighbours(NULL)), 0::bigint, 'nearest_neighbours(NULL) is empty');
SELECT is((SELECT count(*) FROM vic.nearest_neighbours('{}')), 0::bigint, 'nearest_neighbours of the empty set');
SELECT is((SELECT count(*) FROM vic.dbscan('{}', 1, 1)), 0::bigint, 'dbscan of the empty set');
SELECT ok((SELECT vic.clark_evans(NULL)) IS NULL, 'clark_evans(NULL) is NULL');
SELECT is(vic.colocation_quotient(NULL, '{}'), NULL, 'colocation_quotient with NULL is NULL');
SELECT throws_ok($$SELECT * FROM vic.ripley('{}', '{1}')$$, '22023', 'Ripley''s K needs at least 2 points', 'K of the empty set');
SELECT throws_ok($$SELECT * FROM vic.kd('geometry(0){1:0 0}', '{1}')$$, '22023', 'Kd needs at least 2 points', 'Kd of one point');
SELECT throws_ok($$SELECT vic.clark_evans('geometry(0){1:0 0}')$$, '22023', NULL, 'Clark-Evans of one point');
SELECT throws_ok($$SELECT * FROM vic.ripley((SELECT p FROM four), '{}')$$, '22023', 'radii must not be empty', 'empty radii');
SELECT throws_ok($$SELECT * FROM vic.ripley((SELECT p FROM four), '{1, NaN}')$$, '22023', NULL, 'NaN radius');
SELECT throws_ok($$SELECT * FROM vic.ripley((SELECT p FROM four), '{-1}')$$, '22023', NULL, 'negative radius');
SELECT throws_ok($$SELECT * FROM vic.ripley((SELECT p FROM four), '{1, Infinity}')$$, '22023', NULL, 'infinite radius');
SELECT throws_ok($$SELECT * FROM vic.ripley((SELECT p FROM four), '{1, NULL}')$$, '22004', NULL, 'NULL radius');
SELECT throws_ok($$SELECT * FROM vic.ripley((SELECT p FROM four), '{{1}, {2}}')$$, '22023', NULL, 'two-dimensional radii');
SELECT throws_ok($$SELECT * FROM vic.ripley((SELECT p FROM four), '{1}', 'border')$$, '22023', 'the border correction needs a window', 'border without a window');
SELECT throws_ok($$SELECT * FROM vic.ripley((SELECT p FROM four), '{1}', 'isotropic')$$, '22023', NULL, 'unknown correction');
SELECT throws_ok($$SELECT * FROM vic.ripley((SELECT p FROM four), '{1}', 'none', 0)$$, '22023', 'area must be a finite number > 0', 'zero area');
SELECT throws_ok($$SELECT * FROM vic.ripley((SELECT p FROM four), '{1}', 'none', 'NaN'::float8)$$, '22023', NULL, 'NaN area');
SELECT throws_ok($$SELECT * FROM vic.ripley((SELECT p FROM four), '{1}', 'POLYGON((0 0, 5 0, 5 5, 0 5, 0 0))'::geometry)$$, '22023',
                 'point 4 lies outside the window', 'a point outside the window');
SELECT throws_ok($$SELECT * FROM vic.ripley((SELECT p FROM four), '{1}', 'LINESTRING(0 0, 5 5)'::geometry)$$, '22023', NULL, 'a line is no window');
SELECT throws_ok($$SELECT * FROM vic.ripley((SELECT p FROM four), '{1}', 'SRID=3857;POLYGON((-1 -1, 11 -1, 11 11, -1 11, -1 -1))'::geometry)$$, '22023',
                 'window is in SRID 3857, the points in SRID 0', 'a window in another SRID');
SELECT throws_ok($$SELECT * FROM vic.ripley('geography{1:0 0,2:1 1}', '{1}', 'POLYGON((-1 -1, 11 -1, 11 11, -1 11, -1 -1))'::geometry)$$, '0A000', NULL,
                 'a window for geography is not supported');
SELECT throws_ok($$SELECT * FROM vic.kd((SELECT p FROM four), '{1}', 0)$$, '22023', 'bandwidth must be a finite number > 0', 'zero bandwidth');
SELECT throws_ok($$SELECT * FROM vic.kd((SELECT p FROM four), '{1}', 'NaN')$$, '22023', NULL, 'NaN bandwidth');
SELECT throws_ok($$SELECT * FROM vic.kd_envelope((SELECT p FROM four), (SELECT p FROM four), '{1}', 0)$$, '22023', NULL, 'zero simulations');
SELECT throws_ok($$SELECT * FROM vic.kd_envelope((SELECT p FROM four), (SELECT p FROM four), '{1}', 9, 0, 1)$$, '22023', NULL, 'level 1');
SELECT throws_ok($$SELECT * FROM vic.kd_envelope((SELECT p FROM four), 'geometry(0){1:0 0,2:1 1}', '{1}')$$, '22023', NULL, 'a cluster larger than all sites');
SELECT throws_ok($$SELECT * FROM vic.kd_envelope((SELECT p FROM four), 'geography{1:0 0,2:1 1}', '{1}')$$, '22023', NULL, 'cluster and sites of different kinds');
SELECT throws_ok($$SELECT * FROM vic.m_function('geometry(0){9:0 0}', (SELECT p FROM four), '{1}')$$, '22023',
                 'point 9 of the cluster is not among all points', 'M needs the cluster among all firms');
SELECT throws_ok($$SELECT vic.colocation_quotient('{}', (SELECT p FROM four))$$, '22023', NULL, 'CLQ without A points');
SELECT throws_ok($$SELECT * FROM vic.dbscan((SELECT p FROM four), -1, 2)$$, '22023', 'eps must be a finite number >= 0', 'negative eps');
SELECT throws_ok($$SELECT * FROM vic.dbscan((SELECT p FROM four), 'NaN', 2)$$, '22023', NULL, 'NaN eps');
SELECT throws_ok($$SELECT * FROM vic.dbscan((SELECT p FROM four), 1, 0)$$, '22023', 'min_points must be at least 1', 'min_points 0');

-- ---------------------------------------------------------------- scale: exact counts agree with brute force
CREATE TEMP TABLE many AS
SELECT i::bigint AS id, ST_MakePoint(random(), random()) AS g FROM generate_series(1, 1500) i;
SELECT is((SELECT array_agg(round(k * 1500 * 1499)::bigint ORDER BY r) FROM vic.ripley((SELECT vic.points_agg(id, g) FROM many), '{0.01, 0.03, 0.1}', 'none', 1)),
          (SELECT array_agg(c ORDER BY r) FROM (SELECT r, count(*) FILTER (WHERE ST_Distance(a.g, b.g) <= r) AS c
                                                FROM unnest('{0.01, 0.03, 0.1}'::float8[]) r, many a JOIN many b ON a.id <> b.id GROUP BY r) s),
          'the cell index counts exactly the pairs a brute-force join counts');
SELECT is((SELECT count(*) FROM vic.nearest_neighbours((SELECT vic.points_agg(id, g) FROM many)) v
           JOIN LATERAL (SELECT min(ST_Distance(a.g, b.g)) AS d FROM many a, many b WHERE a.id = v.id AND b.id <> v.id) m ON true
           WHERE v.distance = m.d), 1500::bigint, 'nearest neighbours equal the brute-force minimum');

SELECT * FROM finish();
ROLLBACK;
