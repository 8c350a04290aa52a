-- pgTAP: parallel edges are summed exactly and rounded once (issue 15), so a vic.graph is the same
-- bytes whatever the plan, the row order or the merge order; residual parts in text and binary I/O.
-- Expected values are independent of vic: Python 3.11 (/usr/bin/python3) math.fsum, which returns the
-- correctly rounded sum of its float arguments, and fractions.Fraction for the further canonical parts
-- (c1 = float(v), c2 = float(v - c1), ...; float(Fraction) rounds correctly, ties to even).
BEGIN;
SELECT plan(70);
SET LOCAL search_path = vic, public;
SET LOCAL extra_float_digits = 0;
SET LOCAL client_min_messages = warning;

-- Binary input is reached through COPY ... (FORMAT binary), as in graph.sql.
CREATE FUNCTION pg_temp.recv(payload bytea) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    f text := current_setting('data_directory') || '/vic_graph_exact_recv_test.bin';
    r text;
BEGIN
    CREATE TEMP TABLE IF NOT EXISTS recv_in (b bytea);
    CREATE TEMP TABLE IF NOT EXISTS recv_out (g vic.graph);
    TRUNCATE recv_in; TRUNCATE recv_out;
    INSERT INTO recv_in VALUES (payload);
    EXECUTE format('COPY recv_in TO %L (FORMAT binary)', f);
    EXECUTE format('COPY recv_out FROM %L (FORMAT binary)', f);
    SELECT g::text INTO r FROM recv_out;
    RETURN r;
END $$;
-- The binary form of a one-edge graph 1 -> 2: flags byte, optional residual count, weight, section.
CREATE FUNCTION pg_temp.msg(flags text, nresid text, w text, resid text) RETURNS bytea LANGUAGE sql AS $$
    SELECT decode('01' || flags || '00000002' || '0000000000000001' || nresid
                  || '0000000000000001' || '0000000000000002' || '0000000000000001' || '0000000000000001'
                  || '00000001' || w || resid, 'hex')
$$;

-- ---------------------------------------------------------------- 0.1 + 0.2 + 0.3 in every order
-- fsum([0.1, 0.2, 0.3]) = 0.6; Fraction: c2 = 2.7755575615628914e-17 (= 2^-55).  The old summation in
-- ascending order gave 0.6000000000000001.
CREATE TEMP TABLE perm AS
SELECT p, vic.graph_agg(1, 2, w ORDER BY o) AS g,
       (SELECT string_agg('1->2:' || x, ',' ORDER BY n) FROM unnest(ws) WITH ORDINALITY z(x, n)) AS txt
FROM (VALUES (1, '{0.1,0.2,0.3}'::float8[]), (2, '{0.1,0.3,0.2}'), (3, '{0.2,0.1,0.3}'),
             (4, '{0.2,0.3,0.1}'), (5, '{0.3,0.1,0.2}'), (6, '{0.3,0.2,0.1}')) v(p, ws),
     unnest(ws) WITH ORDINALITY u(w, o)
GROUP BY p, ws;
SELECT is((SELECT count(DISTINCT g::text) FROM perm), 1::bigint, 'graph_agg of 0.1, 0.2, 0.3 in 6 orders: one text');
SELECT ok((SELECT bool_and(g = (SELECT g FROM perm WHERE p = 1)) FROM perm), 'graph_agg of 0.1, 0.2, 0.3 in 6 orders: equal graphs');
SELECT ok((SELECT bool_and(('{' || txt || '}')::vic.graph = g) FROM perm), 'text input of 0.1, 0.2, 0.3 in 6 orders: equal graphs');
SELECT is((SELECT g::text FROM perm WHERE p = 1), '{1->2:0.6~2.7755575615628914e-17}',
          'text of 0.1 + 0.2 + 0.3: c1 = fsum = 0.6, then c2 = 2^-55');
SELECT is((SELECT weight FROM perm, vic.edges(g) WHERE p = 4), 0.6::float8, 'vic.edges returns c1 (fsum = 0.6)');
SELECT is((SELECT out_strength FROM perm, vic.degrees(g) WHERE p = 5 AND node = 1), 0.6::float8,
          'algorithms read c1 (out_strength = 0.6)');
SELECT ok(('{1->2:0.1}'::vic.graph || '{1->2:0.2}'::vic.graph) || '{1->2:0.3}'::vic.graph = '{1->2:0.1}'::vic.graph || ('{1->2:0.2}'::vic.graph || '{1->2:0.3}'::vic.graph)
          AND '{1->2:0.3}'::vic.graph || ('{1->2:0.1}'::vic.graph || '{1->2:0.2}'::vic.graph) = (SELECT g FROM perm WHERE p = 1),
          '|| is exactly associative: every grouping of 0.1, 0.2, 0.3 gives the same graph');
SELECT is(('{1->2:0.1,1->2:0.2}'::vic.graph)::text, '{1->2:0.30000000000000004~-2.7755575615628914e-17}',
          'fsum([0.1, 0.2]) = 0.30000000000000004, Fraction: c2 = -2^-55');
-- fsum([0.7, 0.2, 0.9]) = 1.8, c2 = -5.551115123125783e-17; ascending order gave 1.7999999999999998.
SELECT is(vic.graph_agg(1, 2, w)::text, '{1->2:1.8~-5.551115123125783e-17}', 'fsum([0.7, 0.2, 0.9]) = 1.8')
FROM unnest('{0.9,0.2,0.7}'::float8[]) w;
-- fsum([1e16, 1, 1]) = 1.0000000000000002e16 = 10000000000000002 exactly (no residual); summed from the
-- left in float8, 1e16 + 1 + 1 = 1e16.
SELECT is(vic.graph_agg(1, 2, w ORDER BY o)::text, '{1->2:1.0000000000000002e+16}', 'fsum([1e16, 1, 1]), 1e16 first')
FROM unnest('{1e16,1,1}'::float8[]) WITH ORDINALITY u(w, o);
SELECT is(vic.graph_agg(1, 2, w ORDER BY o)::text, '{1->2:1.0000000000000002e+16}', 'fsum([1, 1, 1e16]), 1e16 last')
FROM unnest('{1,1,1e16}'::float8[]) WITH ORDINALITY u(w, o);
SELECT is(('{1->2:1e16}'::vic.graph || '{1->2:1}'::vic.graph) || '{1->2:1}'::vic.graph, '{1->2:1e16}'::vic.graph || ('{1->2:1}'::vic.graph || '{1->2:1}'::vic.graph),
          '(1e16 || 1) || 1 = 1e16 || (1 || 1): the exact 1e16 + 1 is kept as 1e16~1');
SELECT is(('{1->2:1e16}'::vic.graph || '{1->2:1}'::vic.graph)::text, '{1->2:1e+16~1}', '1e16 + 1: c1 = 1e16 (tie to even), c2 = 1');

-- ---------------------------------------------------------------- 20 edges of 100 weights each
-- Rows i = 1..2000, edge (i % 4, i % 5), weight ((i * i) % 1009) / 7.0 in float8; the text and the
-- c1 values below come from Python (canonical parts by Fraction, c1 checked against math.fsum).  17
-- of the 20 sums in ascending order differ from fsum.
CREATE TEMP TABLE rows20 AS
SELECT i, (i % 4)::bigint s, (i % 5)::bigint d, ((i * i) % 1009)::float8 / 7 w FROM generate_series(1, 2000) i;
SELECT is((SELECT vic.graph_agg(s, d, w ORDER BY i)::text FROM rows20),
          '{0->0:7755.571428571428~6.211697822777751e-14,0->1:7149.142857142857~2.7822188997106423e-13,'
          '0->2:6855.714285714285~3.701483564100272e-13,0->3:7307.714285714285~3.9895864389905e-13,'
          '0->4:7207.857142857143~-2.0627943797535409e-13,1->0:6793.571428571428~1.539879335155092e-13,'
          '1->1:6748.285714285715~-4.373723605510804e-13,1->2:6789.428571428572~-1.7852386235972517e-13,'
          '1->3:6814.142857142857~2.8321789358187743e-13,1->4:8305~-1.1957101975212936e-13,'
          '2->0:7312.857142857143~-2.494116024820414e-13,2->1:6840.285714285715~-4.105604745063829e-13,'
          '2->2:7113.142857142857~2.802202914153895e-13,2->3:7755.571428571428~6.211697822777751e-14,'
          '2->4:7233.571428571428~1.836308882730009e-13,3->0:7393.285714285715~-3.318456620604593e-13,'
          '3->1:7214.142857142857~2.7067237340361316e-13,3->2:7203.857142857143~-2.4802382370125997e-13,'
          '3->3:7362.428571428572~-7.494005416219807e-14,3->4:7885.428571428572~-1.0813572259849025e-13}',
          'graph_agg text equals the canonical parts computed with Fraction');
SELECT results_eq($$SELECT * FROM vic.edges((SELECT vic.graph_agg(s, d, w ORDER BY -i) FROM rows20))$$,
                  $$VALUES (0::bigint, 0::bigint, 7755.571428571428::float8), (0, 1, 7149.142857142857), (0, 2, 6855.714285714285),
                    (0, 3, 7307.714285714285), (0, 4, 7207.857142857143), (1, 0, 6793.571428571428), (1, 1, 6748.285714285715),
                    (1, 2, 6789.428571428572), (1, 3, 6814.142857142857), (1, 4, 8305), (2, 0, 7312.857142857143),
                    (2, 1, 6840.285714285715), (2, 2, 7113.142857142857), (2, 3, 7755.571428571428), (2, 4, 7233.571428571428),
                    (3, 0, 7393.285714285715), (3, 1, 7214.142857142857), (3, 2, 7203.857142857143), (3, 3, 7362.428571428572),
                    (3, 4, 7885.428571428572)$$,
                  'vic.edges weights equal math.fsum of each edge''s 100 weights');
SELECT is((SELECT vic.merge_agg(g ORDER BY k DESC) FROM (SELECT i % 13 k, vic.graph_agg(s, d, w) g FROM rows20 GROUP BY 1) x),
          (SELECT vic.graph_agg(s, d, w) FROM rows20), 'merge_agg of 13 partial graphs equals graph_agg');

-- ---------------------------------------------------------------- random weights, random splits
SELECT setseed(0.15);
CREATE TEMP TABLE rw AS
SELECT i, (random() * 9)::int::bigint s, (random() * 9)::int::bigint d,
       random() * power(10, random() * 8 - 2) w, random() r
FROM generate_series(1, 2000) i;
CREATE TEMP TABLE rw_all AS SELECT vic.graph_agg(s, d, w ORDER BY i) g FROM rw;
SELECT ok((SELECT g::text FROM rw_all) LIKE '%~%', 'random weights leave residual parts');
SELECT is((SELECT vic.graph_agg(s, d, w ORDER BY r) FROM rw), (SELECT g FROM rw_all), 'graph_agg in random row order');
SELECT is((SELECT vic.merge_agg(g ORDER BY k) FROM (SELECT (r * 2)::int k, vic.graph_agg(s, d, w) g FROM rw GROUP BY 1) x),
          (SELECT g FROM rw_all), 'merge_agg over a random split in 3 equals graph_agg');
SELECT is((SELECT vic.merge_agg(g ORDER BY random()) FROM (SELECT (r * 40)::int k, vic.graph_agg(s, d, w) g FROM rw GROUP BY 1) x),
          (SELECT g FROM rw_all), 'merge_agg over a random split in 41, random merge order');
SELECT is((SELECT vic.merge_agg(g ORDER BY random()) FROM (SELECT i, vic.graph_agg(s, d, w) g FROM rw GROUP BY 1) x),
          (SELECT g FROM rw_all), 'merge_agg of 2000 one-row graphs in random order');
-- a large graph first, then one-edge graphs with residual parts: these go to the raw edge buffer
SELECT is((SELECT vic.merge_agg(g ORDER BY k) FROM
             (SELECT 0 k, vic.graph_agg(s, d, w) g FROM rw WHERE i <= 1000
              UNION ALL
              SELECT 1 + (r * 3)::int, vic.graph_agg(s, d, w) FROM rw WHERE i > 1000 GROUP BY s, d, 1 + (r * 3)::int) x),
          (SELECT g FROM rw_all), 'merge_agg of a large graph and small graphs with residual parts');
CREATE TEMP TABLE x AS
SELECT vic.graph_agg(s, d, w) FILTER (WHERE r < 0.3) a, vic.graph_agg(s, d, w) FILTER (WHERE r >= 0.3 AND r < 0.6) b,
       vic.graph_agg(s, d, w) FILTER (WHERE r >= 0.6) c FROM rw;
SELECT ok((SELECT (a || b) || c = a || (b || c) AND a || (b || c) = (c || a) || b AND (b || a) || c = (SELECT g FROM rw_all) FROM x),
          '(a || b) || c = a || (b || c) = (c || a) || b = graph_agg, random weights');
SELECT is((SELECT g::text::vic.graph FROM rw_all), (SELECT g FROM rw_all), 'text round trip with residual parts (=)');
SELECT is((SELECT g::text::vic.graph::text FROM rw_all), (SELECT g::text FROM rw_all), 'text round trip with residual parts (text)');
SELECT is((SELECT pg_temp.recv(vic.graph_send(g)) FROM rw_all), (SELECT g::text FROM rw_all), 'binary round trip with residual parts');

-- 101 powers of two 2^-1000, 2^-980, ..., 2^1000: Fraction gives 34 canonical parts, c1 =
-- 1.0715096290574803e+301 (= math.fsum); the expansion is longer than the two-part fast path.
CREATE TEMP TABLE pow2 AS SELECT j, power(2::float8, -1000 + 20 * j) w, random() r FROM generate_series(0, 100) j;
CREATE TEMP TABLE pow2_g AS SELECT vic.graph_agg(1, 2, w ORDER BY r) g FROM pow2;
SELECT is((SELECT array_length(string_to_array(g::text, '~'), 1) FROM pow2_g), 34, '101 powers of two: 34 parts');
SELECT is((SELECT weight FROM pow2_g, vic.edges(g)), 1.0715096290574803e+301::float8, '101 powers of two: c1 = fsum');
SELECT is((SELECT vic.merge_agg(g ORDER BY random()) FROM (SELECT vic.graph_agg(1, 2, w) g FROM pow2 GROUP BY j % 7) x),
          (SELECT g FROM pow2_g), '101 powers of two: merge_agg of 7 partial sums');
SELECT is((SELECT g::text::vic.graph FROM pow2_g), (SELECT g FROM pow2_g), '101 powers of two: text round trip');
SELECT is((SELECT pg_temp.recv(vic.graph_send(g)) FROM pow2_g), (SELECT g::text FROM pow2_g), '101 powers of two: binary round trip');

-- ---------------------------------------------------------------- forced parallel plan = serial plan
CREATE TABLE vic_exact_par AS
SELECT i, (i % 37)::bigint s, (i % 41)::bigint d, ((i::bigint * i) % 100003)::float8 / 7 w FROM generate_series(1, 300000) i;
ANALYZE vic_exact_par;
SET LOCAL max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE par_serial AS SELECT vic.graph_agg(s, d, w) g FROM vic_exact_par;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
CREATE FUNCTION pg_temp.workers_launched(q text) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
    j json;
BEGIN
    EXECUTE 'EXPLAIN (ANALYZE, FORMAT JSON) ' || q INTO j;
    RETURN coalesce((regexp_match(j::text, '"Workers Launched": ([0-9]+)'))[1]::int, 0);
END $$;
SELECT cmp_ok(pg_temp.workers_launched('CREATE TEMP TABLE par0 AS SELECT vic.graph_agg(s, d, w) g FROM vic_exact_par'), '>=', 1,
              'the parallel plan launches workers');
SELECT ok((SELECT g::text FROM par_serial) LIKE '%~%', 'the serial graph has residual parts');
-- A query calling pgTAP's (parallel unsafe) functions never runs in parallel: the parallel results are
-- taken with CREATE TABLE AS first (a parallel plan, as workers_launched shows).
CREATE TEMP TABLE par1 AS SELECT vic.graph_agg(s, d, w) g FROM vic_exact_par;
CREATE TEMP TABLE par2 AS SELECT vic.graph_agg(s, d, w) g FROM vic_exact_par;
CREATE TEMP TABLE par3 AS SELECT vic.merge_agg(g) g FROM (SELECT vic.graph_agg(s, d, w) g FROM vic_exact_par GROUP BY i % 5) x;
SELECT is((SELECT g FROM par1), (SELECT g FROM par_serial), 'parallel graph_agg = serial (1)');
SELECT is((SELECT g FROM par2), (SELECT g FROM par_serial), 'parallel graph_agg = serial (2)');
SELECT is((SELECT g::text FROM par1), (SELECT g::text FROM par_serial), 'parallel graph_agg text = serial text');
SELECT is((SELECT g FROM par3), (SELECT g FROM par_serial), 'merge_agg of graphs from a parallel scan = serial');
-- edge 0 -> 0 holds i = 1517 k; its c1 is math.fsum([((i * i) % 100003) / 7 for i in range(1517, 300001, 1517)])
SELECT is((SELECT weight FROM par_serial, vic.edges(g) WHERE src = 0 AND dst = 0), 1348314.4285714286::float8,
          'edge 0 -> 0 weight = math.fsum of its 197 weights');
RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- ---------------------------------------------------------------- text input of residual parts
SELECT is('{1->2:0.30000000000000004~-2.7755575615628914e-17}'::vic.graph, '{1->2:0.1,1->2:0.2}'::vic.graph,
          'a weight with its residual part equals the sum of its rows');
SELECT is(' { 1 -> 2 : 0.6 ~ 2.7755575615628914e-17 } '::vic.graph::text, '{1->2:0.6~2.7755575615628914e-17}',
          'blanks are allowed around ~');
-- Fraction(1) + 2**-60 + 2**-120: c1 = 1, c2 = 2^-60 = 8.673617379884035e-19, c3 = 2^-120 = 7.52316384526264e-37
SELECT is('{1->2:1~8.673617379884035e-19~7.52316384526264e-37}'::vic.graph::text,
          '{1->2:1~8.673617379884035e-19~7.52316384526264e-37}', 'three canonical parts round-trip');
SELECT is(('{1->2:1~8.673617379884035e-19}'::vic.graph || '{1->2:7.52316384526264e-37}'::vic.graph)::text,
          '{1->2:1~8.673617379884035e-19~7.52316384526264e-37}', 'merging adds a third part');
-- 0.30000000000000004 has an even significand, so c1 + 2^-55 (a tie) rounds to c1: canonical
SELECT is('{1->2:0.30000000000000004~2.7755575615628914e-17}'::vic.graph::text,
          '{1->2:0.30000000000000004~2.7755575615628914e-17}', 'a tie to even is canonical');
SELECT isnt('{1->2:0.30000000000000004~-2.7755575615628914e-17}'::vic.graph, '{1->2:0.30000000000000004}'::vic.graph,
            'graphs with the same c1 but different residual parts differ');
SELECT is('{1->2:0.5~1e-300,1->2:0.5~-1e-300}'::vic.graph::text, '{1->2:1}', 'residual parts that cancel leave none');
SELECT is(pg_column_size('{1->2:1,1->2:2}'::vic.graph), 76, 'integer weights: 24 + 16 n + 8 + 12 m bytes, no section');
SELECT is(pg_column_size('{1->2:0.1,1->2:0.2}'::vic.graph), 96, 'one residual part: padded to 8, then 16 bytes');
SELECT throws_ok($$SELECT '{1->2:0.3~NaN}'::vic.graph$$, '22P02', NULL, 'NaN part');
SELECT throws_ok($$SELECT '{1->2:1~Infinity}'::vic.graph$$, '22P02', NULL, 'infinite part');
SELECT throws_ok($$SELECT '{1->2:1~0}'::vic.graph$$, '22P02', NULL, 'zero part');
SELECT throws_ok($$SELECT '{1->2:1~1}'::vic.graph$$, '22P02', 'invalid input syntax for type graph: "{1->2:1~1}"',
                 'part larger than half an ulp');
-- 0.3 has an odd significand: 0.3 + 2^-55 rounds to 0.30000000000000004, so 0.3~2^-55 is not canonical
SELECT throws_ok($$SELECT '{1->2:0.3~2.7755575615628914e-17}'::vic.graph$$, '22P02', NULL, 'a tie to odd is not canonical');
SELECT throws_ok($$SELECT '{1->2:1~1e-17~1e-17}'::vic.graph$$, '22P02', NULL, 'third part too large');
SELECT throws_ok($$SELECT '{1->2:0~1e-300}'::vic.graph$$, '22P02', NULL, 'part after a zero weight');
SELECT throws_ok($$SELECT '{1->2:1~}'::vic.graph$$, '22P02', NULL, 'missing part');
SELECT throws_ok($$SELECT '{1->2~1}'::vic.graph$$, '22P02', NULL, 'part without a weight');

-- ---------------------------------------------------------------- overflow of an exact sum
SELECT throws_ok($$SELECT '{1->2:1e308,1->2:1e308,1->2:0.5}'::vic.graph$$, '22003',
                 'sum of the weights of edge 1 -> 2 is out of range', 'overflow of three parallel edges names the edge');
SELECT throws_ok($$SELECT '{1->2:1e308}'::vic.graph || '{1->2:1e308}'::vic.graph$$, '22003',
                 'sum of the weights of edge 1 -> 2 is out of range', 'overflow in ||');
-- DBL_MAX + 9e291 is below DBL_MAX + 2^970 (half an ulp, 9.98e291): c1 = DBL_MAX, c2 = 9e291
SELECT is('{1->2:1.7976931348623157e308,1->2:9e291}'::vic.graph::text, '{1->2:1.7976931348623157e+308~9e+291}',
          'an exact sum just below the overflow threshold');
SELECT throws_ok($$SELECT '{1->2:1.7976931348623157e308~9e291}'::vic.graph || '{1->2:9e291}'::vic.graph$$, '22003',
                 'sum of the weights of edge 1 -> 2 is out of range', 'residual parts that reach the threshold overflow');

-- ---------------------------------------------------------------- binary form of residual parts
SELECT is(vic.graph_send('{1->2:0.1,1->2:0.2}'),
          pg_temp.msg('01', '0000000000000001', '3fd3333333333334', '0000000000000000bc80000000000000'),
          'binary form: flag 1, residual count after m, (edge 0, -2^-55) after the weights');
SELECT is(pg_temp.recv(pg_temp.msg('01', '0000000000000001', '3fd3333333333334', '0000000000000000bc80000000000000')),
          '{1->2:0.30000000000000004~-2.7755575615628914e-17}', 'binary input of a residual part');
SELECT throws_ok($$SELECT pg_temp.recv(pg_temp.msg('01', '0000000000000000', '3fd3333333333334', ''))$$,
                 '22P03', NULL, 'flag with zero residual parts');
SELECT throws_ok($$SELECT pg_temp.recv(pg_temp.msg('02', '', '3fd3333333333334', ''))$$, '22P03', NULL, 'unknown flag bit');
SELECT throws_ok($$SELECT pg_temp.recv(pg_temp.msg('00', '', '3fd3333333333334', '0000000000000000bc80000000000000'))$$,
                 '22P03', NULL, 'residual section without the flag');
SELECT throws_ok($$SELECT pg_temp.recv(pg_temp.msg('01', '0000000000000002', '3fd3333333333334', '0000000000000000bc80000000000000'))$$,
                 '22P03', NULL, 'residual count beyond the message');
SELECT throws_ok($$SELECT pg_temp.recv(pg_temp.msg('01', '0000000000000001', '3fd3333333333334', '0000000000000001bc80000000000000'))$$,
                 '22P03', NULL, 'residual part of an edge out of range');
SELECT throws_ok($$SELECT pg_temp.recv(pg_temp.msg('01', '0000000000000001', '3fd3333333333333', '00000000000000003c80000000000000'))$$,
                 '22P03', 'invalid binary value for type vic.graph', 'non-canonical residual part (tie to odd)');
SELECT throws_ok($$SELECT pg_temp.recv(pg_temp.msg('01', '0000000000000001', '3fd3333333333334', '00000000000000007ff8000000000000'))$$,
                 '22P03', NULL, 'NaN residual part');
SELECT throws_ok($$SELECT pg_temp.recv(pg_temp.msg('01', '0000000000000001', '3fd3333333333334', '00000000000000000000000000000000'))$$,
                 '22P03', NULL, 'zero residual part');

SELECT * FROM finish();
ROLLBACK;
