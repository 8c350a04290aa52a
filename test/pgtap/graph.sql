-- pgTAP: vic.graph properties, NULLs, empty input, bad input and error codes.
BEGIN;
SELECT plan(94);
SET LOCAL search_path = vic, public;
SET LOCAL extra_float_digits = 0;

-- Binary input is reached through COPY ... (FORMAT binary): a bytea written out with COPY is read
-- back as a vic.graph, so any byte string can be fed to vic.graph_recv.
CREATE FUNCTION pg_temp.recv(payload bytea) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    f text := current_setting('data_directory') || '/vic_graph_recv_test.bin';
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

-- ---------------------------------------------------------------- NULLs and empty input
SELECT is((SELECT vic.graph_agg(s, d) FROM (VALUES (1::bigint, 2::bigint)) v(s, d) WHERE false), NULL,
          'graph_agg over no rows is NULL');
SELECT is((SELECT vic.graph_agg(s, d)::text FROM (VALUES (NULL::bigint, 2::bigint), (1, NULL)) v(s, d)), NULL,
          'graph_agg over rows with NULL ends only is NULL');
SELECT is((SELECT vic.graph_agg(s, d, w)::text FROM (VALUES (1::bigint, NULL::bigint, NULL::float8), (1, 2, 2)) v(s, d, w)),
          '{1->2:2}', 'a row with a NULL end is skipped even when its weight is NULL');
SELECT throws_ok($$SELECT vic.graph_agg(s, d, w) FROM (VALUES (1::bigint, 2::bigint, NULL::float8)) v(s, d, w)$$,
                 '22023', 'null weight for edge 1 -> 2', 'NULL weight on a real edge is 22023');
SELECT is(vic.node_count(NULL), NULL, 'node_count(NULL) is NULL');
SELECT is((SELECT count(*) FROM vic.edges(NULL)), 0::bigint, 'edges(NULL) is empty');
SELECT is((SELECT count(*) FROM vic.components(NULL)), 0::bigint, 'components(NULL) is empty');
SELECT is((SELECT count(*) FROM vic.pagerank(NULL)), 0::bigint, 'pagerank(NULL) is empty');
SELECT is((SELECT count(*) FROM vic.betweenness(NULL)), 0::bigint, 'betweenness(NULL) is empty');
SELECT is((SELECT count(*) FROM vic.upstream(NULL, 1)), 0::bigint, 'upstream(NULL, node) is empty');
SELECT is((SELECT count(*) FROM vic.upstream('{1->2}', NULL)), 0::bigint, 'upstream(g, NULL) is empty');
SELECT is(('{1->2}'::vic.graph OPERATOR(vic.||) NULL)::text, NULL, 'g || NULL is NULL');
SELECT is((SELECT vic.merge_agg(g)::text FROM (VALUES (NULL::vic.graph), ('{}')) v(g)), '{}',
          'merge_agg skips NULL');
SELECT is(vic.node_count('{}') + vic.edge_count('{}'), 0::bigint, 'empty graph has no nodes or edges');
SELECT is((SELECT count(*) FROM vic.edges('{}')), 0::bigint, 'edges of the empty graph');
SELECT is((SELECT count(*) FROM vic.components('{}', true)), 0::bigint, 'strong components of the empty graph');
SELECT is((SELECT count(*) FROM vic.degrees('{}')), 0::bigint, 'degrees of the empty graph');
SELECT is((SELECT count(*) FROM vic.pagerank('{}')), 0::bigint, 'pagerank of the empty graph');
SELECT is((SELECT count(*) FROM vic.betweenness('{}', false, true, 3)), 0::bigint, 'betweenness of the empty graph');
SELECT is((SELECT count(*) FROM vic.articulation_points('{}')), 0::bigint, 'articulation points of the empty graph');
SELECT is((SELECT count(*) FROM vic.bridges('{}')), 0::bigint, 'bridges of the empty graph');
SELECT is((SELECT count(*) FROM vic.core_numbers('{}')), 0::bigint, 'core numbers of the empty graph');
SELECT is((SELECT count(*) FROM vic.burt_constraint('{}')), 0::bigint, 'constraint of the empty graph');
SELECT is((SELECT count(*) FROM vic.downstream('{}', 1)), 0::bigint, 'downstream in the empty graph');
SELECT is(('{}'::vic.graph OPERATOR(vic.||) '{1->2}')::text, '{1->2:1}', 'empty graph is the identity of ||');
SELECT results_eq($$SELECT node, "constraint", effective_size FROM vic.burt_constraint('{1->1,2->3}')$$,
                  $$VALUES (1::bigint, NULL::float8, NULL::float8), (2, 1, 1), (3, 1, 1)$$,
                  'a node with only a self-loop has NULL constraint and effective size');

-- ---------------------------------------------------------------- weights
SELECT throws_ok($$SELECT vic.graph_agg(1, 2, 'NaN')$$, '22023', 'invalid weight NaN for edge 1 -> 2', 'NaN weight');
SELECT throws_ok($$SELECT vic.graph_agg(1, 2, 'Infinity')$$, '22023', NULL, 'infinite weight');
SELECT throws_ok($$SELECT vic.graph_agg(1, 2, '-Infinity')$$, '22023', NULL, 'minus infinite weight');
SELECT throws_ok($$SELECT vic.graph_agg(1, 2, -0.5)$$, '22023', 'invalid weight -0.5 for edge 1 -> 2', 'negative weight');
SELECT throws_ok($$SELECT '{1->2:-1}'::vic.graph$$, '22023', NULL, 'negative weight in text');
SELECT throws_ok($$SELECT '{1->2:NaN}'::vic.graph$$, '22023', NULL, 'NaN weight in text');
SELECT throws_ok($$SELECT '{1->2:inf}'::vic.graph$$, '22023', NULL, 'infinite weight in text');
SELECT is(vic.graph_agg(1, 2, '-0')::text, '{1->2:0}', 'minus zero is stored as zero');
SELECT throws_ok($$SELECT '{1->2:1e308,1->2:1e308}'::vic.graph$$, '22003', NULL, 'overflowing sum of parallel edges');

-- ---------------------------------------------------------------- malformed text
SELECT throws_ok($$SELECT ''::vic.graph$$, '22P02', 'invalid input syntax for type graph: ""', 'empty string');
SELECT throws_ok($$SELECT '1->2'::vic.graph$$, '22P02', NULL, 'no braces');
SELECT throws_ok($$SELECT '{1->2'::vic.graph$$, '22P02', NULL, 'unterminated');
SELECT throws_ok($$SELECT '{1-2}'::vic.graph$$, '22P02', NULL, 'no arrow');
SELECT throws_ok($$SELECT '{1->}'::vic.graph$$, '22P02', NULL, 'missing target');
SELECT throws_ok($$SELECT '{->2}'::vic.graph$$, '22P02', NULL, 'missing source');
SELECT throws_ok($$SELECT '{1->2:}'::vic.graph$$, '22P02', NULL, 'missing weight after colon');
SELECT throws_ok($$SELECT '{1->2:abc}'::vic.graph$$, '22P02', NULL, 'weight not a number');
SELECT throws_ok($$SELECT '{1->2,}'::vic.graph$$, '22P02', NULL, 'trailing comma');
SELECT throws_ok($$SELECT '{1->2} x'::vic.graph$$, '22P02', NULL, 'garbage after the closing brace');
SELECT throws_ok($$SELECT '{99999999999999999999->1}'::vic.graph$$, '22P02', NULL, 'id out of bigint range');
SELECT throws_ok($$SELECT '{a->b}'::vic.graph$$, '22P02', NULL, 'ids not numbers');
SELECT throws_ok($$SELECT '{1->2:1e-400}'::vic.graph$$, '22P02', NULL, 'weight underflows');
SELECT throws_ok($$SELECT '{1->2;2->3}'::vic.graph$$, '22P02', NULL, 'wrong separator');
SELECT is(' { 1 -> 2 : 0.5 , 2->1 } '::vic.graph::text, '{1->2:0.5,2->1:1}', 'blanks are allowed between tokens');

-- ---------------------------------------------------------------- binary
SELECT is(vic.graph_send('{1->2:1}'),
          '\x0100000000020000000000000001000000000000000100000000000000020000000000000001000000000000000100000001'
          '3ff0000000000000'::bytea, 'binary form of {1->2:1}');
SELECT is(pg_temp.recv(vic.graph_send(g)), g::text, 'binary round trip')
FROM (SELECT '{-5->7:0.1,7->7:3,7->-5:1e-300,9223372036854775807->1:2}'::vic.graph g) x;
SELECT is(pg_temp.recv(vic.graph_send('{}')), '{}', 'binary round trip of the empty graph');
SELECT throws_ok($$SELECT pg_temp.recv('\x0200000000000000000000000000'::bytea)$$, '22P03', 'unsupported binary format version 2 for type vic.graph', 'unknown version from a client is 22P03');
SELECT throws_ok($$SELECT pg_temp.recv('\x0101000000000000000000000000'::bytea)$$, '22P03', NULL, 'non-zero flags');
SELECT throws_ok($$SELECT pg_temp.recv('\x01007fffffff7fffffffffffffff'::bytea)$$, '22P03', NULL, 'huge counts without data');
SELECT throws_ok($$SELECT pg_temp.recv('\x0100ffffffff0000000000000000'::bytea)$$, '22P03', NULL, 'negative node count');
SELECT throws_ok($$SELECT pg_temp.recv('\x010000000002000000000000000100000000000000010000000000000002000000000000000100000000000000010000000100'::bytea)$$,
                 '22P03', NULL, 'truncated message');
SELECT throws_ok($$SELECT pg_temp.recv('\x0100000000020000000000000001000000000000000200000000000000010000000000000001000000000000000100000001'
                 '3ff0000000000000'::bytea)$$, '22P03', 'invalid binary value for type vic.graph', 'ids not ascending');
SELECT throws_ok($$SELECT pg_temp.recv('\x0100000000020000000000000001000000000000000100000000000000020000000000000001000000000000000100000002'
                 '3ff0000000000000'::bytea)$$, '22P03', NULL, 'target out of range');
SELECT throws_ok($$SELECT pg_temp.recv('\x0100000000020000000000000001000000000000000100000000000000020000000000000002000000000000000100000001'
                 '3ff0000000000000'::bytea)$$, '22P03', NULL, 'offsets beyond the edge count');
SELECT throws_ok($$SELECT pg_temp.recv('\x0100000000020000000000000001000000000000000100000000000000020000000000000001000000000000000100000001'
                 'bff0000000000000'::bytea)$$, '22P03', NULL, 'negative weight');
SELECT throws_ok($$SELECT pg_temp.recv('\x0100000000020000000000000001000000000000000100000000000000020000000000000001000000000000000100000001'
                 '7ff8000000000000'::bytea)$$, '22P03', NULL, 'NaN weight');
SELECT throws_ok($$SELECT pg_temp.recv('\x0100000000030000000000000001000000000000000100000000000000020000000000000003000000000000000100000000000000010000000000000001000000013ff0000000000000'::bytea)$$,
                 '22P03', 'invalid binary value for type vic.graph', 'a node without edges');

-- ---------------------------------------------------------------- parameters
SELECT throws_ok($$SELECT * FROM vic.pagerank('{1->2}', damping => 1)$$, '22023', NULL, 'damping 1');
SELECT throws_ok($$SELECT * FROM vic.pagerank('{1->2}', damping => -0.1)$$, '22023', NULL, 'negative damping');
SELECT throws_ok($$SELECT * FROM vic.pagerank('{1->2}', damping => 'NaN')$$, '22023', NULL, 'NaN damping');
SELECT throws_ok($$SELECT * FROM vic.pagerank('{1->2}', damping => NULL)$$, '22023', NULL, 'NULL damping');
SELECT throws_ok($$SELECT * FROM vic.pagerank('{1->2}', tolerance => 0)$$, '22023', NULL, 'zero tolerance');
SELECT throws_ok($$SELECT * FROM vic.pagerank('{1->2}', tolerance => 'NaN')$$, '22023', NULL, 'NaN tolerance');
SELECT throws_ok($$SELECT * FROM vic.pagerank('{1->2}', max_iterations => 0)$$, '22023', NULL, 'zero iterations');
SELECT throws_ok($$SELECT * FROM vic.pagerank('{1->2}', personalization => '{3}')$$, '22023',
                 'personalization node 3 is not in the graph', 'unknown personalization node');
SELECT throws_ok($$SELECT * FROM vic.pagerank('{1->2}', personalization => '{}')$$, '22023', NULL, 'empty personalization');
SELECT throws_ok($$SELECT * FROM vic.pagerank('{1->2}', personalization => '{1,NULL}')$$, '22004', NULL, 'NULL in personalization');
SELECT throws_ok($$SELECT * FROM vic.betweenness('{1->2}', samples => 0)$$, '22023', NULL, 'zero samples');
SELECT throws_ok($$SELECT * FROM vic.betweenness('{1->2}', directed => NULL)$$, '22023', NULL, 'NULL directed');
SELECT throws_ok($$SELECT * FROM vic.upstream('{1->2}', 2, 0)$$, '22023', NULL, 'max_tier 0');
SELECT throws_ok($$SELECT * FROM vic.downstream('{1->2}', 1, -3)$$, '22023', NULL, 'negative max_tier');

-- ---------------------------------------------------------------- algebra and order independence
CREATE TEMP TABLE rnd AS
SELECT (hashint4(i) & 1023)::bigint AS s, (hashint4(i + 7777) & 1023)::bigint AS d,
       (1 + (hashint4(i + 99) & 7))::float8 AS w, i
FROM generate_series(1, 20000) i;
SELECT is((SELECT vic.graph_agg(s, d, w ORDER BY i)::text FROM rnd),
          (SELECT vic.graph_agg(s, d, w ORDER BY hashint4(i * 31))::text FROM rnd),
          'graph_agg does not depend on row order');
SELECT is((SELECT (a OPERATOR(vic.||) b)::text), (SELECT (b OPERATOR(vic.||) a)::text), '|| is commutative')
FROM (SELECT vic.graph_agg(s, d, w) FILTER (WHERE i % 2 = 0) a, vic.graph_agg(s, d, w) FILTER (WHERE i % 2 = 1) b FROM rnd) x;
SELECT is(((a OPERATOR(vic.||) b) OPERATOR(vic.||) c)::text, (a OPERATOR(vic.||) (b OPERATOR(vic.||) c))::text,
          '|| is associative (integer weights)')
FROM (SELECT vic.graph_agg(s, d, w) FILTER (WHERE i % 3 = 0) a, vic.graph_agg(s, d, w) FILTER (WHERE i % 3 = 1) b,
             vic.graph_agg(s, d, w) FILTER (WHERE i % 3 = 2) c FROM rnd) x;
SELECT is((SELECT vic.merge_agg(g ORDER BY k)::text FROM (SELECT i % 10 k, vic.graph_agg(s, d, w) g FROM rnd GROUP BY 1) y),
          (SELECT vic.graph_agg(s, d, w)::text FROM rnd), 'merge_agg of per-group graphs equals one graph_agg');
SELECT results_eq($$SELECT * FROM vic.pagerank((SELECT vic.graph_agg(s, d, w ORDER BY i) FROM rnd))$$,
                  $$SELECT * FROM vic.pagerank((SELECT vic.graph_agg(s, d, w ORDER BY -i) FROM rnd))$$,
                  'pagerank does not depend on row order');
SELECT results_eq($$SELECT * FROM vic.betweenness((SELECT vic.graph_agg(s, d ORDER BY i) FROM rnd WHERE i <= 3000), samples => 50, seed => 7)$$,
                  $$SELECT * FROM vic.betweenness((SELECT vic.graph_agg(s, d ORDER BY -i) FROM rnd WHERE i <= 3000), samples => 50, seed => 7)$$,
                  'sampled betweenness depends on the seed only');

-- ---------------------------------------------------------------- other aggregate contexts
SELECT results_eq($$SELECT vic.edge_count(vic.graph_agg(i, i + 1) OVER (ORDER BY i)) FROM generate_series(1, 5) i$$,
                  $$VALUES (1::bigint), (2), (3), (4), (5)$$, 'graph_agg as a growing window aggregate');
SELECT results_eq($$SELECT vic.graph_agg(i, i + 1) OVER (ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)::text
                    FROM generate_series(1, 3) i$$,
                  $$VALUES ('{1->2:1}'), ('{1->2:1,2->3:1}'), ('{2->3:1,3->4:1}')$$, 'graph_agg over a moving frame');
SELECT is((SELECT vic.graph_agg(DISTINCT s, d) FROM rnd), (SELECT vic.graph_agg(s, d) FROM (SELECT DISTINCT s, d FROM rnd) x),
          'graph_agg(DISTINCT ...)');
CREATE TEMP TABLE grouped_sorted AS
SELECT i % 20000 AS k, vic.graph_agg(i, i + 1, i % 3)::text AS g FROM generate_series(1, 60000) i GROUP BY 1;
SET LOCAL work_mem = '64kB';
SET LOCAL enable_sort = off;
SELECT is((SELECT count(*) FROM (SELECT i % 20000 AS k, vic.graph_agg(i, i + 1, i % 3)::text AS g
                                 FROM generate_series(1, 60000) i GROUP BY 1) h
           JOIN grouped_sorted USING (k, g)), 20000::bigint,
          'hash aggregation spilling to disk gives the same 20000 graphs');
RESET work_mem; RESET enable_sort;
SELECT ok('{1->2:1,2->3:2}'::vic.graph = '{2->3:1,2->3:1,1->2:1}' AND '{1->2:1}'::vic.graph <> '{1->2:2}', '= and <> compare canonical forms');

-- ---------------------------------------------------------------- deep graphs (no recursion)
CREATE TEMP TABLE chain AS SELECT vic.graph_agg(i, i + 1) AS g FROM generate_series(1, 300000) i;
SELECT is((SELECT count(DISTINCT component) FROM chain, vic.components(g, true)), 300001::bigint,
          'strong components of a 300001-node path');
SELECT is((SELECT count(*) FROM chain, vic.articulation_points(g)), 299999::bigint,
          'articulation points of a 300001-node path');
SELECT is((SELECT max(tier) FROM chain, vic.upstream(g, 300001)), 300000, 'tier of the far end of a path');

-- ---------------------------------------------------------------- parallel plan equals serial
CREATE TEMP TABLE serial_g AS SELECT vic.graph_agg(s, d, w) g FROM rnd;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SELECT is((SELECT vic.graph_agg(s, d, w)::text FROM rnd), (SELECT g::text FROM serial_g), 'parallel graph_agg equals serial');
RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- ---------------------------------------------------------------- cancellation
-- Exact betweenness on a 10^5-node graph needs ~10^10 steps; statement_timeout must stop it promptly.
CREATE TEMP TABLE big AS
SELECT vic.graph_agg(i, j) AS g
FROM generate_series(0, 99999) i, LATERAL (VALUES ((i + 1) % 100000), ((i * 7 + 1) % 100000)) e(j);
CREATE FUNCTION pg_temp.cancelled_betweenness() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz := clock_timestamp();
BEGIN
    PERFORM count(*) FROM big, vic.betweenness(g);
    RETURN 'finished';
EXCEPTION WHEN query_canceled THEN
    RETURN SQLSTATE || CASE WHEN clock_timestamp() - t0 < interval '3 s' THEN ' promptly' ELSE ' late' END;
END $$;
SET LOCAL statement_timeout = '300ms';
SELECT is(pg_temp.cancelled_betweenness(), '57014 promptly', 'statement_timeout cancels betweenness (57014)');
SET LOCAL statement_timeout = 0;

SELECT * FROM finish();
ROLLBACK;
