-- pgTAP: vic.links properties, NULLs, empty input, bad input and error codes; link lengths
-- against PostGIS on the same points; E-I and assortativity on a published mixing matrix and on a
-- real network with a known group attribute.
BEGIN;
SELECT plan(98);
SET LOCAL search_path = vic, public;
SET LOCAL extra_float_digits = 0;

-- Binary input is reached through COPY ... (FORMAT binary), as in graph.sql: a bytea written out
-- with COPY is read back as a vic.links, so any byte string can be fed to vic.links_recv.
CREATE FUNCTION pg_temp.recv(payload bytea) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    f text := current_setting('data_directory') || '/vic_links_recv_test.bin';
    r text;
BEGIN
    CREATE TEMP TABLE IF NOT EXISTS recv_in (b bytea);
    CREATE TEMP TABLE IF NOT EXISTS recv_out (l vic.links);
    TRUNCATE recv_in; TRUNCATE recv_out;
    INSERT INTO recv_in VALUES (payload);
    EXECUTE format('COPY recv_in TO %L (FORMAT binary)', f);
    EXECUTE format('COPY recv_out FROM %L (FORMAT binary)', f);
    SELECT l::text INTO r FROM recv_out;
    RETURN r;
END $$;

-- A small link table: firms' links with their regions and locations (longitude, latitude).
CREATE TEMP TABLE lk (id int, src text, dst text, sloc geography, dloc geography, w float8);
INSERT INTO lk
SELECT i,
       'R' || (i % 5), 'R' || ((i * 7 + 3) % 6),
       ST_SetSRID(ST_MakePoint(100 + (i % 5) + (i % 13) * 0.01, 30 + (i % 5) * 0.5 + (i % 7) * 0.01), 4326)::geography,
       ST_SetSRID(ST_MakePoint(100 + ((i * 7 + 3) % 6) + (i % 11) * 0.01, 30 + ((i * 7 + 3) % 6) * 0.5), 4326)::geography,
       CASE WHEN i % 3 = 0 THEN 0.1 * i ELSE 1.0 / i END
FROM generate_series(1, 2000) i;

-- ---------------------------------------------------------------- NULLs and empty input
SELECT is((SELECT links_agg(src, dst, sloc, dloc) FROM lk WHERE false), NULL, 'links_agg over no rows is NULL');
SELECT is((SELECT links_agg(s, d, 1.0::float8, 1.0::float8)::text FROM (VALUES (NULL::text, 'a'), ('a', NULL)) v(s, d)), NULL,
          'links_agg over rows with NULL regions only is NULL');
SELECT is((SELECT link_count(links_agg(s, d, x, 1.0::float8)) FROM (VALUES (NULL::text, 'a', NULL::float8), ('a', 'b', 5)) v(s, d, x)),
          1::bigint, 'a row with a NULL region is skipped, even with a NULL distance');
SELECT is(('user {} {} {} [0 0]'::links)::text, 'user {} {} {} [0 0]', 'the empty summary in text');
SELECT is(cross_region_share('user {} {} {} [0 0]'), NULL, 'cross_region_share of the empty summary is NULL');
SELECT is(ei_index('user {} {} {} [0 0]'), NULL, 'ei_index of the empty summary is NULL');
SELECT is(assortativity('user {} {} {} [0 0]'), NULL, 'assortativity of the empty summary is NULL');
SELECT is(mean_link_distance('user {} {} {} [0 0]'), NULL, 'mean_link_distance of the empty summary is NULL');
SELECT is(link_distance_quantile('user {} {} {} [0 0]', 0.5), NULL, 'quantile of the empty summary is NULL');
SELECT is((SELECT count(*) FROM region_flows('user {} {} {} [0 0]')), 0::bigint, 'region_flows of the empty summary is empty');
SELECT is((SELECT count(*) FROM ei_by_region('user {} {} {} [0 0]')), 0::bigint, 'ei_by_region of the empty summary is empty');
SELECT results_eq($$SELECT weight, links FROM distance_decay('user {} {} {} [0 0]', '{0,10,20}')$$,
                  $$VALUES (0::float8, 0::bigint), (0, 0)$$, 'distance_decay of the empty summary: empty intervals');
SELECT is((gravity_fit('user {} {} {} [0 0]')).beta, NULL, 'gravity_fit of the empty summary is NULL');
SELECT is((SELECT count(*) FROM gravity('user {} {} {} [0 0]')), 0::bigint, 'gravity of the empty summary is empty');
SELECT is(cross_region_share(NULL), NULL, 'cross_region_share(NULL) is NULL');
SELECT is((SELECT count(*) FROM region_flows(NULL)), 0::bigint, 'region_flows(NULL) is empty');
SELECT is(link_distance_quantile(links_agg('a', 'b', 1.0::float8, 1.0::float8), NULL), NULL, 'quantile(l, NULL) is NULL');
SELECT is((SELECT merge_agg(l)::text FROM (VALUES (NULL::links), ('user {} {} {} [0 0]')) v(l)), 'user {} {} {} [0 0]',
          'merge_agg skips NULL');
SELECT is(('user {} {} {} [0 0]'::links OPERATOR(vic.||) NULL)::text, NULL, 'l || NULL is NULL');
SELECT is(cross_region_share(links_agg('a', 'b', 1.0::float8, 0.0::float8)), NULL, 'links of weight 0 only: no share');

-- ---------------------------------------------------------------- bad input
SELECT throws_ok($$SELECT links_agg('a', 'b', 1.0::float8, 'NaN')$$, '22023', 'invalid weight NaN for link "a" -> "b"', 'NaN weight');
SELECT throws_ok($$SELECT links_agg('a', 'b', 1.0::float8, '-1')$$, '22023', 'invalid weight -1 for link "a" -> "b"', 'negative weight');
SELECT throws_ok($$SELECT links_agg('a', 'b', 1.0::float8, 'Infinity')$$, '22023', 'invalid weight Infinity for link "a" -> "b"', 'infinite weight');
SELECT throws_ok($$SELECT links_agg('a', 'b', 'NaN'::float8, 1)$$, '22023', 'invalid distance NaN for link "a" -> "b"', 'NaN distance');
SELECT throws_ok($$SELECT links_agg('a', 'b', '-Infinity'::float8, 1)$$, '22023', 'invalid distance -Infinity for link "a" -> "b"', 'infinite distance');
SELECT throws_ok($$SELECT links_agg('a', 'b', -0.5::float8, 1)$$, '22023', 'invalid distance -0.5 for link "a" -> "b"', 'negative distance');
SELECT throws_ok($$SELECT links_agg('a', 'b', NULL::float8, 1)$$, '22023', 'null distance for link "a" -> "b"', 'NULL distance');
SELECT throws_ok($$SELECT links_agg('a', 'b', 1::float8, NULL::float8)$$, '22023', 'null weight for link "a" -> "b"', 'NULL weight');
SELECT throws_ok($$SELECT links_agg('a', 'b', 'SRID=4326;POINT(0 0)'::geography, NULL::geography)$$, '22023',
                 'null dst_location for link "a" -> "b"', 'NULL location');
SELECT throws_ok($$SELECT links_agg('a', 'b', NULL::geography, 'SRID=4326;POINT(0 0)'::geography, 2)$$, '22023',
                 'null src_location for link "a" -> "b"', 'NULL source location');
SELECT throws_ok($$SELECT links_agg('a', 'b', 'SRID=4326;LINESTRING(0 0,1 1)'::geography, 'SRID=4326;POINT(0 0)'::geography)$$,
                 '22023', 'src_location must be a point', 'a line is not a point');
SELECT throws_ok($$SELECT links_agg('a', 'b', 'SRID=4326;POINT(0 0)'::geography, 'SRID=4326;POINT EMPTY'::geography)$$,
                 '22023', 'dst_location must not be an empty point', 'an empty point');
SELECT throws_ok($$SELECT links_agg('a', 'b', 'SRID=4326;POINT(0 0)'::geography, 'SRID=4326;POINT(1 1)'::geography, 'NaN')$$,
                 '22023', 'invalid weight NaN for link "a" -> "b"', 'NaN weight with locations');
SELECT throws_ok($$SELECT links_agg('a', 'b', 'SRID=4326;POINT(0 0)'::geography, 'SRID=4326;POINT(1 1)'::geography, 1, NULL)$$,
                 '22023', 'null use_spheroid for link "a" -> "b"', 'NULL use_spheroid');
SELECT throws_ok($$SELECT links_agg('a', 'b', 'SRID=4326;POINT(0 0)'::geography, 'SRID=4326;POINT(1 1)'::geography)
                   OPERATOR(vic.||) links_agg('a', 'b', 1.0::float8, 1.0::float8)$$,
                 '22023', 'cannot merge vic.links summaries whose distances were measured differently',
                 'merging sphere and user distances is an error');
SELECT throws_ok($$SELECT merge_agg(l) FROM (VALUES ((SELECT links_agg('a', 'b', 'SRID=4326;POINT(0 0)'::geography, 'SRID=4326;POINT(1 1)'::geography, 1, true))),
                                           ((SELECT links_agg('a', 'b', 'SRID=4326;POINT(0 0)'::geography, 'SRID=4326;POINT(1 1)'::geography, 1, false)))) v(l)$$,
                 '22023', 'cannot merge vic.links summaries whose distances were measured differently',
                 'merge_agg of spheroid and sphere summaries is an error');
SELECT throws_ok($$SELECT links_agg(s, d, sl, dl, 1, sph) FROM (VALUES ('a', 'b', 'SRID=4326;POINT(0 0)'::geography, 'SRID=4326;POINT(1 1)'::geography, true),
                                                                        ('a', 'b', 'SRID=4326;POINT(0 0)'::geography, 'SRID=4326;POINT(1 1)'::geography, false)) v(s, d, sl, dl, sph)$$,
                 '22023', NULL, 'one aggregate cannot mix spheroid and sphere rows');
SELECT throws_ok($$SELECT link_distance_quantile(links_agg('a', 'b', 1.0::float8, 1.0::float8), 1.5)$$, '22023',
                 'quantile 1.5 is out of range', 'quantile above 1');
SELECT throws_ok($$SELECT link_distance_quantile(links_agg('a', 'b', 1.0::float8, 1.0::float8), -0.1)$$, '22023',
                 'quantile -0.1 is out of range', 'negative quantile');
SELECT throws_ok($$SELECT link_distance_quantile(links_agg('a', 'b', 1.0::float8, 1.0::float8), 'NaN')$$, '22023',
                 'quantile NaN is out of range', 'NaN quantile');
SELECT throws_ok($$SELECT * FROM distance_decay((SELECT links_agg('a', 'b', 1.0::float8, 1.0::float8)), '{0,20,10}')$$, '22023',
                 'invalid break 10', 'breaks not ascending');
SELECT throws_ok($$SELECT * FROM distance_decay((SELECT links_agg('a', 'b', 1.0::float8, 1.0::float8)), '{0,NaN}')$$, '22023',
                 'invalid break NaN', 'NaN break');
SELECT throws_ok($$SELECT * FROM distance_decay((SELECT links_agg('a', 'b', 1.0::float8, 1.0::float8)), '{5}')$$, '22023',
                 'breaks must have at least two elements', 'one break');
SELECT throws_ok($$SELECT * FROM distance_decay((SELECT links_agg('a', 'b', 1.0::float8, 1.0::float8)), '{0,NULL}')$$, '22004',
                 'breaks must not contain NULL', 'NULL break');
SELECT throws_ok($$SELECT * FROM distance_decay((SELECT links_agg('a', 'b', 1.0::float8, 1.0::float8)), '{{0,1},{2,3}}')$$, '22023',
                 'breaks must be a one-dimensional array', 'two-dimensional breaks');
SELECT throws_ok($$SELECT gravity_fit(links_agg('a', 'b', 1.0::float8, 1.0::float8), 'linear')$$, '22023', NULL, 'unknown cost');
SELECT throws_ok($$SELECT gravity_fit(links_agg('a', 'b', 1.0::float8, 1.0::float8), 'power', 'triply')$$, '22023', NULL, 'unknown constraint');

-- ---------------------------------------------------------------- text input
SELECT throws_ok($$SELECT 'sphere {"a" 1 0 0 0'::links$$, '22P02', NULL, 'truncated text');
SELECT throws_ok($$SELECT 'cube {} {} {} [0 0]'::links$$, '22P02', NULL, 'unknown mode');
SELECT throws_ok($$SELECT 'user {"a" 1 0 0 0, "a" 1 0 0 0} {} {} [0 0]'::links$$, '22P02', NULL, 'a region listed twice');
SELECT throws_ok($$SELECT 'user {"a" 1 0 0 0} {0 1 1 1 1 1 1} {0 1 1} [1 1]'::links$$, '22P02', NULL, 'a pair naming a missing region');
SELECT throws_ok($$SELECT 'user {"a" 1 0 0 0} {0 0 1 1 1 1 1} {} [1 1]'::links$$, '22P02', NULL, 'a pair without bin');
SELECT throws_ok($$SELECT 'user {"a" 1 0 0 0} {0 0 1 -1 1 1 1} {0 1 -1} [1 1]'::links$$, '22P02', NULL, 'a negative weight');
SELECT throws_ok($$SELECT 'user {"a" 1 0 0 0} {0 0 1 1 1 1 1} {0 1 1} [1 NaN]'::links$$, '22P02', NULL, 'a NaN in the range');
SELECT throws_ok($$SELECT 'user {} {} {} [0 0] x'::links$$, '22P02', NULL, 'trailing garbage');
SELECT is(('user {"b\"q" 2 0 0 0, "a\\" 2 0 0 0} {1 0 2 1 1.5 2.5 3} {64 1 0.5, 0 1 0.5} [1 2]'::links)::text,
          'user {"a\\" 2 0 0 0, "b\"q" 2 0 0 0} {0 1 2 1 1.5 2.5 3} {0 1 0.5, 64 1 0.5} [1 2]',
          'text input is canonicalised: regions sorted, escapes kept, pair indexes remapped');

-- ---------------------------------------------------------------- exactness, merging, I/O
CREATE TEMP TABLE whole AS SELECT links_agg(src, dst, sloc, dloc, w) AS l FROM lk;
SELECT is((SELECT links_agg(src, dst, sloc, dloc, w) FROM (SELECT * FROM lk ORDER BY md5(id::text)) s) OPERATOR(vic.=) l, true,
          'the same summary whatever the row order') FROM whole;
SELECT is((SELECT merge_agg(p) FROM (SELECT links_agg(src, dst, sloc, dloc, w) p FROM lk GROUP BY id % 7) s) OPERATOR(vic.=) l, true,
          'merge_agg of partial summaries is the whole') FROM whole;
SELECT is((SELECT merge_agg(p ORDER BY g DESC) FROM (SELECT id % 3 g, links_agg(src, dst, sloc, dloc, w) p FROM lk GROUP BY 1) s)::text,
          l::text, 'merge order does not matter') FROM whole;
SELECT is(((SELECT links_agg(src, dst, sloc, dloc, w) FROM lk WHERE id <= 1000) OPERATOR(vic.||)
           (SELECT links_agg(src, dst, sloc, dloc, w) FROM lk WHERE id > 1000)) OPERATOR(vic.=) l, true,
          'a || b is the summary of the union') FROM whole;
SELECT is((l::text::links) OPERATOR(vic.=) l, true, 'text round-trip is bit-exact') FROM whole;
SELECT is(pg_temp.recv(links_send(l)), l::text, 'binary round-trip is bit-exact') FROM whole;
SELECT ok(l::text LIKE '%~%', 'weights 1/i leave residual parts in the text form') FROM whole;
SELECT is(link_count(l), 2000::bigint, 'link_count') FROM whole;
SELECT is((SELECT links_agg(s, d, x, w) FROM (VALUES ('a', 'b', 1::float8, 1e300::float8), ('a', 'b', 1, -0.0), ('a', 'b', 1, 1e-300)) v(s, d, x, w))::text,
          'user {"a" 1e+300~1e-300 0 0 0, "b" 1e+300~1e-300 0 0 0} {0 1 3 1e+300~1e-300 1e+300~1e-300 1e+300~1e-300 3} {0 3 1e+300~1e-300} [1 1]',
          'sums far apart in magnitude are kept exactly');
SELECT throws_ok($$SELECT links_agg(s, d, x, w) FROM (VALUES ('a', 'b', 1::float8, 1e308::float8), ('a', 'b', 1, 1e308)) v(s, d, x, w)$$,
                 '22003', NULL, 'a sum beyond float8 is 22003');

-- parallel plan against the serial one
CREATE TEMP TABLE lkp AS SELECT * FROM lk, generate_series(1, 20) rep;
ANALYZE lkp;
CREATE TEMP TABLE serial AS SELECT links_agg(src, dst, sloc, dloc, w) l FROM lkp;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SELECT is((SELECT links_agg(src, dst, sloc, dloc, w) FROM lkp) OPERATOR(vic.=) l, true,
          'a parallel plan gives the same bytes as the serial one (temp tables scan serially; see test/fdw)') FROM serial;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- ---------------------------------------------------------------- binary input is hostile
SELECT throws_ok($$SELECT pg_temp.recv('\x02'::bytea)$$, '22P03', NULL, 'binary: unknown version');
SELECT throws_ok($$SELECT pg_temp.recv('\x0103'::bytea)$$, '22P03', NULL, 'binary: unknown distance mode');
SELECT throws_ok($$SELECT pg_temp.recv('\x0100000000ff'::bytea)$$, '22P03', NULL, 'binary: truncated header');
SELECT throws_ok($$SELECT pg_temp.recv(overlay(links_send(l) placing '\x7fffffff'::bytea from 3 for 4)) FROM whole$$,
                 '22P03', NULL, 'binary: region count beyond the message');
SELECT throws_ok($$SELECT pg_temp.recv(substr(links_send(l), 1, length(links_send(l)) - 3)) FROM whole$$,
                 '22P03', NULL, 'binary: truncated message');
-- header (2 bytes) + 4 counts + 2 range floats = 26 bytes, then region 0's name length at offset 27
SELECT throws_ok($$SELECT pg_temp.recv(overlay(links_send(l) placing '\xfffffff0'::bytea from 27 for 4)) FROM whole$$,
                 '22P03', NULL, 'binary: negative name length');
SELECT throws_ok($$SELECT pg_temp.recv(links_send('user {"a" 1 0 0 0, "b" 1 0 0 0} {0 1 1 1 1 1 1} {0 1 1} [1 1]'::links) || '\x00'::bytea)$$,
                 '22P03', NULL, 'binary: trailing bytes');
SELECT is(pg_temp.recv(links_send('user {"a" 1 0 0 0, "b" 1 0 0 0} {0 1 1 1 1 1 1} {0 1 1} [1 1]'::links)),
          'user {"a" 1 0 0 0, "b" 1 0 0 0} {0 1 1 1 1 1 1} {0 1 1} [1 1]', 'binary: a valid message is accepted');
-- the pair's weight, at offset 26 + 2 x (4 + 1 + 32) + 16 = 116, made negative
SELECT throws_ok($$SELECT pg_temp.recv(overlay(links_send('user {"a" 1 0 0 0, "b" 1 0 0 0} {0 1 1 1 1 1 1} {0 1 1} [1 1]'::links)
                                              placing float8send(-1) from 117 for 8))$$,
                 '22P03', NULL, 'binary: a negative pair weight');

-- ---------------------------------------------------------------- link lengths against PostGIS
-- Points as ST_Distance sees them: sphere (use_spheroid false) and WGS 84 (PostGIS uses the same
-- PROJ geodesic routines, Karney 2013): antipodal and near-antipodal pairs, both poles, the date
-- line, short links.
CREATE TEMP TABLE pts (a geography, b geography);
INSERT INTO pts VALUES
  ('SRID=4326;POINT(0 0)', 'SRID=4326;POINT(180 0)'),
  ('SRID=4326;POINT(0 0)', 'SRID=4326;POINT(179.5 0.5)'),
  ('SRID=4326;POINT(10 20)', 'SRID=4326;POINT(-170 -20)'),
  ('SRID=4326;POINT(10 20)', 'SRID=4326;POINT(-169.99 -19.99)'),
  ('SRID=4326;POINT(0 90)', 'SRID=4326;POINT(0 -90)'),
  ('SRID=4326;POINT(45 90)', 'SRID=4326;POINT(-120 89.9)'),
  ('SRID=4326;POINT(10 -90)', 'SRID=4326;POINT(116.4 39.9)'),
  ('SRID=4326;POINT(179.9 10)', 'SRID=4326;POINT(-179.9 10)'),
  ('SRID=4326;POINT(116.397 39.908)', 'SRID=4326;POINT(121.473 31.230)'),
  ('SRID=4326;POINT(116.397 39.908)', 'SRID=4326;POINT(116.398 39.909)'),
  ('SRID=4326;POINT(-0.1276 51.5072)', 'SRID=4326;POINT(151.2093 -33.8688)');
CREATE FUNCTION pg_temp.len(a geography, b geography, sph boolean) RETURNS float8 LANGUAGE sql
AS $$ SELECT vic.mean_link_distance(vic.links_agg('a', 'b', a, b, 1, sph)) $$;
SELECT is((SELECT count(*) FROM pts
           WHERE abs(pg_temp.len(a, b, false) - ST_Distance(a, b, false)) > 1e-9 * ST_Distance(a, b, false)),
          0::bigint, 'sphere lengths equal ST_Distance(a, b, false) to 1e-9 relative (antipodes, poles, date line)');
SELECT is((SELECT count(*) FROM pts
           WHERE abs(pg_temp.len(a, b, true) - ST_Distance(a, b)) > 1e-9 * ST_Distance(a, b)),
          0::bigint, 'spheroid lengths equal ST_Distance(a, b) to 1e-9 relative (antipodes, poles, date line)');
SELECT is(mean_link_distance(links_agg('a', 'b', 'SRID=4326;POINT(5 5)'::geography, 'SRID=4326;POINT(5 5)'::geography)), 0::float8,
          'a link to the same point has length 0');
SELECT ok(abs(mean_link_distance(l) - (SELECT sum(w * ST_Distance(sloc, dloc, false)) / sum(w) FROM lk)) <= 1e-9 * mean_link_distance(l),
          'weighted mean link length equals sum(w ST_Distance) / sum(w) to 1e-9') FROM whole;
SELECT ok((SELECT bool_and(abs(f.mean_distance - q.m) <= 1e-9 * q.m AND f.links = q.n AND abs(f.weight - q.sw) <= 1e-12 * q.sw)
           FROM region_flows((SELECT l FROM whole)) f
           JOIN (SELECT src, dst, count(*) n, sum(w) sw, sum(w * ST_Distance(sloc, dloc, false)) / sum(w) m FROM lk GROUP BY 1, 2) q
             ON q.src = f.src_region AND q.dst = f.dst_region)
          AND (SELECT count(*) FROM region_flows((SELECT l FROM whole))) = (SELECT count(DISTINCT (src, dst)) FROM lk),
          'region_flows: weight, links and mean length of every pair as SQL computes them');

SELECT is((SELECT mean_distance FROM region_flows((SELECT links_agg('a', 'b', x, 0.0::float8) FROM (VALUES (2.0::float8), (4.0)) v(x)))),
          3::float8, 'region_flows: a pair whose links weigh 0 has their plain mean length');

-- quantiles: within the histogram's resolution (2^(1/64) - 1 = 1.09%) of the exact weighted quantile
CREATE TEMP TABLE len AS SELECT ST_Distance(sloc, dloc, false) d, w FROM lk;
CREATE TEMP TABLE exactq AS
SELECT q, (SELECT d FROM (SELECT d, sum(w) OVER (ORDER BY d) c FROM len) s
           WHERE c >= q * (SELECT sum(w) FROM len) ORDER BY d LIMIT 1) AS d
FROM unnest('{0.1,0.25,0.5,0.75,0.9}'::float8[]) q;
SELECT ok((SELECT bool_and(abs(link_distance_quantile((SELECT l FROM whole), q) / d - 1) <= 0.0109) FROM exactq),
          'link_distance_quantile within 1.09% of the exact weighted quantile');
SELECT ok(abs(link_distance_quantile(l, 0) - (SELECT min(d) FROM len)) <= 1e-9 * (SELECT max(d) FROM len), 'quantile 0 is the shortest link') FROM whole;
SELECT ok(abs(link_distance_quantile(l, 1) / (SELECT max(d) FROM len) - 1) < 1e-9, 'quantile 1 is the longest link') FROM whole;
-- distance_decay: counts per interval as SQL counts them (breaks chosen away from bin edges)
SELECT results_eq($$SELECT links FROM distance_decay((SELECT links_agg('a', 'b', x, 1.0::float8)
                    FROM (VALUES (0::float8), (3), (5), (50), (60), (70), (500)) v(x)), '{0,10,100,1000}')$$,
                  $$VALUES (3::bigint), (3), (1)$$, 'distance_decay counts links per interval, 0 included');
SELECT results_eq($$SELECT lower, upper, weight FROM distance_decay((SELECT links_agg('a', 'b', x, w)
                    FROM (VALUES (3::float8, 2::float8), (50, 0.5), (0.5, 7), (200, 1)) v(x, w)), '{1,10,100}')$$,
                  $$VALUES (1::float8, 10::float8, 2::float8), (10, 100, 0.5)$$, 'distance_decay weights; links outside the breaks left out');

-- ---------------------------------------------------------------- shares, E-I, assortativity
-- Hand computation: links a->a 3, a->b 1, b->a 2, b->b 4 (weights).  I = 7, E = 3:
-- cross-region share 0.3, E-I = (3 - 7) / 10 = -0.4; region a: internal 3, external 1 + 2 = 3,
-- E-I 0; region b: internal 4, external 3, E-I -1/7.  Mixing matrix e = [[.3,.1],[.2,.4]],
-- a = (.4, .6), b = (.5, .5): r = (0.7 - 0.5) / (1 - 0.5) = 0.4 (Newman 2003, eq. 2).
CREATE TEMP TABLE small AS
SELECT links_agg(s, d, 1.0::float8, w) l FROM (VALUES ('a', 'a', 3.0::float8), ('a', 'b', 1), ('b', 'a', 2), ('b', 'b', 4)) v(s, d, w);
SELECT is(round(cross_region_share(l)::numeric, 15), 0.3, 'cross_region_share by hand') FROM small;
SELECT is(round(ei_index(l)::numeric, 15), -0.4, 'ei_index by hand (Krackhardt & Stern 1988)') FROM small;
SELECT results_eq($$SELECT region, internal, external, round(ei::numeric, 15) FROM ei_by_region((SELECT l FROM small))$$,
                  $$VALUES ('a'::text, 3::float8, 3::float8, 0::numeric), ('b', 4, 3, round(-1/7::numeric, 15))$$,
                  'ei_by_region by hand');
SELECT is(round(assortativity(l)::numeric, 15), 0.4, 'assortativity by hand (Newman 2003, eq. 2)') FROM small;
SELECT is(assortativity(links_agg('a', 'a', 1.0::float8, 1.0::float8)), NULL, 'assortativity with one region only is NULL');

-- Newman (2003), "Mixing patterns in networks", Phys. Rev. E 67, 026126, Table I: couples by race
-- (rows women, columns men: black, hispanic, white, other).  The printed fractions sum to 0.997;
-- vic normalises by the total, as networkx's test of the same table does (test_correlation.py,
-- attribute_ac: 0.623 to 3 decimals; networkx 3.6.1 prints 0.6229790501899505).  Newman's 0.621
-- is the formula on the unnormalised printed fractions.  The exact value of eq. (2) on the
-- normalised matrix is computed here in numeric, independently of vic.
CREATE TEMP TABLE newman (i int, j int, e numeric);
INSERT INTO newman VALUES
  (1, 1, 0.258), (1, 2, 0.016), (1, 3, 0.035), (1, 4, 0.013),
  (2, 1, 0.012), (2, 2, 0.157), (2, 3, 0.058), (2, 4, 0.019),
  (3, 1, 0.013), (3, 2, 0.023), (3, 3, 0.306), (3, 4, 0.035),
  (4, 1, 0.005), (4, 2, 0.007), (4, 3, 0.024), (4, 4, 0.016);
CREATE TEMP TABLE newman_r AS
WITH t AS (SELECT sum(e) s FROM newman),
     a AS (SELECT i, sum(e) / (SELECT s FROM t) ai FROM newman GROUP BY i),
     b AS (SELECT j, sum(e) / (SELECT s FROM t) bj FROM newman GROUP BY j),
     ab AS (SELECT sum(ai * bj) x FROM a JOIN b ON a.i = b.j)
SELECT ((SELECT sum(e) FROM newman WHERE i = j) / (SELECT s FROM t) - x) / (1 - x) AS r FROM ab;
SELECT ok(abs(assortativity((SELECT links_agg(i::text, j::text, 1.0::float8, e::float8) FROM newman)) - r) < 1e-12,
          'assortativity on Newman''s Table I equals eq. (2) on the normalised matrix') FROM newman_r;
SELECT is(round(assortativity((SELECT links_agg(i::text, j::text, 1.0::float8, e::float8) FROM newman))::numeric, 3), 0.623,
          'assortativity on Newman''s Table I is 0.623 (networkx test_correlation.py)');

-- Zachary (1977), "An information flow model for conflict and fission in small groups", J. Anthropol.
-- Res. 33: the karate club, 78 ties, members' faction after the split ('club'), as shipped in
-- networkx (karate_club_graph; test/fixtures/links/karate.csv).  Each undirected tie is a link in
-- both directions.  networkx 3.6.1: attribute_assortativity_coefficient(G, 'club') =
-- 0.717530864197531; 11 ties between factions, 67 within: E-I = (11 - 67) / 78 = -0.717948717948718.
CREATE TEMP TABLE karate (src int, dst int, sclub text, dclub text);
\copy karate FROM 'test/fixtures/links/karate.csv' CSV HEADER
CREATE TEMP TABLE karate_l AS
SELECT links_agg(a, b, 1.0::float8, 1.0::float8) l
FROM (SELECT sclub a, dclub b FROM karate UNION ALL SELECT dclub, sclub FROM karate) s;
SELECT is(link_count(l), 156::bigint, 'karate: 78 ties in both directions') FROM karate_l;
SELECT ok(abs(assortativity(l) - 0.717530864197531) < 1e-12, 'karate: assortativity by faction as networkx') FROM karate_l;
SELECT ok(abs(ei_index(l) - (-0.717948717948718)) < 1e-12, 'karate: E-I index of the factions (-56/78)') FROM karate_l;
SELECT ok(abs(cross_region_share(l) - 11.0 / 78) < 1e-15, 'karate: 11 of 78 ties cross the factions') FROM karate_l;

SELECT * FROM finish();
ROLLBACK;
