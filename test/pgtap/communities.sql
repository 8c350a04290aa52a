-- vic.communities / vic.modularity: bad input, edge cases, properties, cancellation.
BEGIN;
SELECT plan(47);

-- A random weighted directed graph with loops and reciprocal edges (hash-based, deterministic).
CREATE TEMP TABLE rnd AS
SELECT DISTINCT ON (src, dst) src, dst, w
FROM (SELECT 1 + abs(hashint4(i)) % 400 AS src,
             1 + abs(hashint4(i + 100000)) % 400 AS dst,
             1 + abs(hashint4(i + 200000)) % 7 AS w
      FROM generate_series(1, 3000) AS i) AS e
ORDER BY src, dst;
CREATE TEMP TABLE rg AS SELECT vic.graph_agg(src, dst, w::float8) AS g FROM rnd;

-- NULL and empty input
SELECT is((SELECT count(*) FROM vic.communities(NULL::vic.graph)), 0::bigint,
          'communities of a NULL graph: no rows (STRICT)');
SELECT is(vic.modularity(NULL::vic.graph, '{1}', '{1}'), NULL, 'modularity of a NULL graph is NULL');
SELECT is(vic.modularity('{1->2}'::vic.graph, NULL, '{1,1}'), NULL, 'modularity with NULL nodes is NULL');
SELECT is((SELECT count(*) FROM vic.communities('{}'::vic.graph)), 0::bigint,
          'communities of the empty graph: no rows');
SELECT is(vic.modularity('{}'::vic.graph, '{}', '{}'), NULL,
          'modularity of the empty graph is NULL (no edge weight; NaN in 0.1.0)');
SELECT is(vic.modularity('{1->2:0}'::vic.graph, '{1,2}', '{1,1}'), NULL,
          'modularity of a graph whose weights are all 0 is NULL');
SELECT throws_ok($$SELECT vic.modularity('{1->2:1e308,2->1:1e308,1->3:1e308}'::vic.graph, '{1,2,3}', '{1,1,2}')$$, '22003',
                 NULL, 'modularity: a total weight beyond double range is out of range, not NaN');

-- bad parameters
SELECT throws_ok($$SELECT * FROM vic.communities('{1->2}'::vic.graph, 'spectral')$$, '22023',
                 'unknown community detection method "spectral"', 'unknown method');
SELECT throws_ok($$SELECT * FROM vic.communities('{1->2}'::vic.graph, '')$$, '22023', NULL,
                 'empty method name');
SELECT is((SELECT count(*) FROM vic.communities('{1->2}'::vic.graph, 'LOUVAIN')), 2::bigint,
          'method names are case-insensitive');
SELECT throws_ok($$SELECT * FROM vic.communities('{1->2}'::vic.graph, 'leiden', 0)$$, '22023',
                 'resolution must be a positive finite number', 'resolution 0');
SELECT throws_ok($$SELECT * FROM vic.communities('{1->2}'::vic.graph, 'leiden', -1)$$, '22023',
                 NULL, 'negative resolution');
SELECT throws_ok($$SELECT * FROM vic.communities('{1->2}'::vic.graph, 'louvain', 'NaN')$$, '22023',
                 NULL, 'NaN resolution');
SELECT throws_ok($$SELECT * FROM vic.communities('{1->2}'::vic.graph, 'leiden', 'Infinity')$$, '22023',
                 NULL, 'infinite resolution');
SELECT throws_ok($$SELECT * FROM vic.communities('{1->2}'::vic.graph, 'leiden', '-Infinity')$$, '22023',
                 NULL, 'minus infinite resolution');
SELECT throws_ok($$SELECT vic.modularity('{1->2}'::vic.graph, '{1,2}', '{1,1}', 0)$$, '22023',
                 NULL, 'modularity: resolution 0');
SELECT throws_ok($$SELECT vic.modularity('{1->2}'::vic.graph, '{1,2}', '{1,1}', 'NaN')$$, '22023',
                 NULL, 'modularity: NaN resolution');

-- weights whose total overflows double precision
SELECT throws_ok($$SELECT * FROM vic.communities('{1->2:1e308,2->1:1e308}'::vic.graph)$$, '22003',
                 'total edge weight of the graph is out of range', 'communities: total weight overflows');
-- ... unless they are scaled first: modularity depends only on weight ratios (scale invariance)
SELECT is(vic.modularity('{1->2:1e308,2->3:1e308}'::vic.graph, '{1,2,3}', '{1,2,2}'),
          vic.modularity('{1->2,2->3}'::vic.graph, '{1,2,3}', '{1,2,2}'),
          'modularity: weights near the top of the range are scaled, not overflowed');

-- modularity: partitions that are not partitions of the graph's nodes
SELECT throws_ok($$SELECT vic.modularity('{1->2,2->3}'::vic.graph, '{1,2,3}', '{1,1}')$$, '22023',
                 'nodes and communities must have the same length', 'arrays of different lengths');
SELECT throws_ok($$SELECT vic.modularity('{1->2,2->3}'::vic.graph, '{1,2}', '{1,1}')$$, '22023',
                 'node 3 has no community', 'a node of the graph is missing');
SELECT throws_ok($$SELECT vic.modularity('{1->2,2->3}'::vic.graph, '{1,2,3,2}', '{1,1,2,2}')$$, '22023',
                 'node 2 appears more than once', 'a node appears twice');
SELECT throws_ok($$SELECT vic.modularity('{1->2,2->3}'::vic.graph, '{1,2,3,4}', '{1,1,2,2}')$$, '22023',
                 'node 4 is not in the graph', 'a node the graph does not have');
SELECT throws_ok($$SELECT vic.modularity('{1->2,2->3}'::vic.graph, '{1,NULL,3}', '{1,1,2}')$$, '22004',
                 'nodes must not contain NULL', 'NULL node');
SELECT throws_ok($$SELECT vic.modularity('{1->2,2->3}'::vic.graph, '{1,2,3}', '{1,NULL,2}')$$, '22004',
                 'communities must not contain NULL', 'NULL community');
SELECT throws_ok($$SELECT vic.modularity('{1->2,2->3}'::vic.graph, '{{1,2},{3,4}}', '{{1,1},{2,2}}')$$,
                 '22023', 'nodes must be a one-dimensional array', 'two-dimensional arrays');

-- Q of everything in one community is 0 at resolution 1 (sum_ij A_ij = (sum_i k_i)^2 / 2m).
SELECT is(round(vic.modularity((SELECT g FROM rg), array_agg(v), array_agg(0::bigint))::numeric, 12),
          0.000000000000, 'one community: Q = 0')
FROM (SELECT src AS v FROM rnd UNION SELECT dst FROM rnd) AS nodes;

-- Properties on the random graph, both methods.
SELECT is((SELECT count(*) FROM vic.communities((SELECT g FROM rg), m)),
          (SELECT vic.node_count(g)::bigint FROM rg), m || ': one row per node')
FROM (VALUES ('leiden'), ('louvain')) AS mm(m);
SELECT is((SELECT count(*) FROM (SELECT community FROM vic.communities((SELECT g FROM rg), m)
                                 GROUP BY community HAVING min(node) <> community) AS bad),
          0::bigint, m || ': a community is labelled by its smallest node id')
FROM (VALUES ('leiden'), ('louvain')) AS mm(m);

-- Row order does not matter: the weighted graph aggregated in two other orders, same rows.
SELECT is((SELECT count(*) FROM (
             SELECT * FROM vic.communities((SELECT vic.graph_agg(src, dst, w::float8 ORDER BY md5(src || '-' || dst)) FROM rnd), m, 1.0, 11)
             EXCEPT
             SELECT * FROM vic.communities((SELECT vic.graph_agg(src, dst, w::float8 ORDER BY dst DESC, src) FROM rnd), m, 1.0, 11)) AS d),
          0::bigint, m || ': same communities whatever the input row order')
FROM (VALUES ('leiden'), ('louvain')) AS mm(m);

-- vic.modularity agrees with Q computed in plain SQL from the directed edges: symmetrised
-- weights, a loop of weight x counts x inside its community and 2x in the strength:
-- Q = sum_c [ L_c / m - (K_c / 2m)^2 ] (Newman & Girvan 2004).
CREATE TEMP TABLE part AS SELECT * FROM vic.communities((SELECT g FROM rg), 'louvain', 1.0, 5);
SELECT is(round((SELECT vic.modularity((SELECT g FROM rg), array_agg(node), array_agg(community)) FROM part)::numeric, 10),
          round((WITH tot AS (SELECT sum(w)::float8 AS m FROM rnd),
                      inside AS (SELECT sum(w)::float8 AS l FROM rnd JOIN part a ON a.node = src
                                 JOIN part b ON b.node = dst WHERE a.community = b.community),
                      strength AS (SELECT p.community, sum(w)::float8 AS k
                                   FROM (SELECT src AS v, w FROM rnd UNION ALL SELECT dst, w FROM rnd) s
                                   JOIN part p ON p.node = s.v GROUP BY p.community)
                 SELECT (SELECT l FROM inside) / m - sum((k / (2 * m)) ^ 2) FROM tot, strength GROUP BY m)::numeric, 10),
          'modularity matches the definition computed in SQL');
SELECT cmp_ok((SELECT vic.modularity((SELECT g FROM rg), array_agg(node), array_agg(community)) FROM part),
              '>', 0.2::float8, 'louvain on the random graph finds positive modularity');

-- Leiden is at least as good as Louvain here (same seed).
SELECT cmp_ok((SELECT vic.modularity((SELECT g FROM rg), array_agg(node), array_agg(community))
               FROM vic.communities((SELECT g FROM rg), 'leiden', 1.0, 5)),
              '>=', (SELECT vic.modularity((SELECT g FROM rg), array_agg(node), array_agg(community)) FROM part) - 0.01,
              'leiden is not worse than louvain on the random graph');

-- Conventions: isolated-by-weight nodes and loop-only nodes are alone; huge resolution splits all.
SELECT is((SELECT array_agg(community ORDER BY node) FROM vic.communities('{1->2:0,3->3:5,4->5,5->6,6->4}'::vic.graph)),
          '{1,2,3,4,4,4}'::bigint[], 'zero-weight edges and loop-only nodes give singletons');
SELECT is((SELECT array_agg(community ORDER BY node) FROM vic.communities('{1->2:0,2->1:0}'::vic.graph, 'louvain')),
          '{1,2}'::bigint[], 'a graph without weight: every node alone');
-- Nodes whose edges all weigh 0 stay alone under every seed (nobody joins them either).
CREATE TEMP TABLE zg AS
SELECT vic.graph_agg(src, dst, w) AS g FROM (
  SELECT src, dst, w::float8 FROM rnd
  UNION ALL
  SELECT 1000 + i, 1 + abs(hashint4(i + 300000)) % 400, 0 FROM generate_series(1, 100) AS i) AS e;
SELECT is((SELECT count(*) FROM generate_series(0, 9) AS s,
                                LATERAL vic.communities((SELECT g FROM zg), m, 1.0, s)
           WHERE node > 1000 AND community <> node), 0::bigint,
          m || ': weightless nodes are alone for seeds 0-9')
FROM (VALUES ('leiden'), ('louvain')) AS mm(m);

SELECT is((SELECT count(DISTINCT community) FROM vic.communities((SELECT g FROM rg), 'leiden', 1e6)),
          (SELECT vic.node_count(g)::bigint FROM rg), 'resolution 1e6: every node alone');
SELECT is((SELECT count(*) FROM vic.communities((SELECT g FROM rg), 'leiden', 1.0, -9223372036854775808)),
          (SELECT vic.node_count(g)::bigint FROM rg), 'any bigint is a seed');

-- Cancellation: a run on 5 * 10^5 edges stops at statement_timeout, and the next run works.
CREATE TEMP TABLE big AS
SELECT vic.graph_agg(1 + abs(hashint4(i)) % 50000, 1 + abs(hashint4(-i)) % 50000) AS g
FROM generate_series(1, 500000) AS i;
-- PL/pgSQL's WHEN OTHERS (and so throws_ok) does not catch query_canceled: catch it by name.
CREATE FUNCTION pg_temp.sqlstate_of(query text) RETURNS text LANGUAGE plpgsql AS $f$
BEGIN
    EXECUTE query;
    RETURN 'completed';
EXCEPTION WHEN query_canceled THEN
    RETURN SQLSTATE;
END
$f$;
SET LOCAL statement_timeout = '100ms';
SELECT is(pg_temp.sqlstate_of($$SELECT count(*) FROM vic.communities((SELECT g FROM big), 'leiden')$$),
          '57014', 'statement_timeout cancels communities');
SET LOCAL statement_timeout = 0;
SELECT is((SELECT count(*) FROM vic.communities('{1->2,2->3}'::vic.graph)), 3::bigint,
          'communities works after a cancelled run');

-- Modularity is invariant under scaling all weights (Newman 2004, eq. 2: only w / 2m enters), so
-- subnormal and huge weights must give the partition and Q of the same graph with unit weights:
-- the unit-weight graph has two components, {1,2,3} and {4,5}, and each is one community.
SELECT is((SELECT array_agg(community ORDER BY node) FROM vic.communities('{1->2:1e-310,2->3:1e-310,3->1:1e-310,4->5:1e-310}'::vic.graph)),
          (SELECT array_agg(community ORDER BY node) FROM vic.communities('{1->2,2->3,3->1,4->5}'::vic.graph)),
          'communities of subnormal weights are those of the unit-weight graph');
SELECT is((SELECT array_agg(community ORDER BY node) FROM vic.communities('{1->2:1e300,2->3:1e300,3->1:1e300,4->5:1e300}'::vic.graph, 'louvain')),
          (SELECT array_agg(community ORDER BY node) FROM vic.communities('{1->2,2->3,3->1,4->5}'::vic.graph, 'louvain')),
          'communities of huge weights are those of the unit-weight graph');
SELECT is(vic.modularity('{1->2:1e-310,2->1:1e-310,2->3:5e-324,3->1:4.9e-324}'::vic.graph, '{1,2,3}'::bigint[], '{1,1,1}'::bigint[], 0.5),
          0.5::float8, 'modularity of one community of subnormal weights is 1 - gamma (no 0/0)');

SELECT * FROM finish();
ROLLBACK;
