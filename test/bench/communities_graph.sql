-- Deterministic generated graph with planted communities for the community benchmark.
-- psql variables: nodes, edges.
-- edges: number of edges (drawn from 1.2 times as many candidates, first distinct ones kept).
-- Nodes 1..nodes form groups = nodes/100 contiguous groups (1,000 at 10^5 nodes) whose sizes
-- follow a Zipf law with exponent 0.7 (largest about 130 times the smallest); each candidate edge
-- starts at a uniform node and ends, with probability 0.8, at a uniform node of the same group,
-- else at a uniform node of the whole graph.  Edges are stored once as src < dst (a simple
-- undirected graph: no loops, no parallel or reciprocal edges), with a Pareto(alpha = 1.5)
-- weight w >= 1 for the weighted variant.  Randomness: hashint8extended(row, stream), so the
-- table is the same in every run.
SET client_min_messages = warning;
DROP TABLE IF EXISTS vic_bench_comm_edges;
DROP TABLE IF EXISTS vic_bench_comm_nodes;

CREATE TEMP TABLE vic_bench_comm_groups AS
WITH s AS (
    SELECT j, power(j + 1, -0.7) AS x
    FROM generate_series(0, greatest(:nodes / 100, 2) - 1) AS j
), c AS (
    SELECT j, sum(x) OVER (ORDER BY j) - x AS before, sum(x) OVER () AS total FROM s
)
SELECT j, 1 + floor(:nodes * before / total)::bigint AS lo FROM c;

CREATE TABLE vic_bench_comm_nodes AS
SELECT generate_series(g.lo, g.lo + g.size - 1) AS node, g.j AS grp, g.lo, g.size
FROM (SELECT j, lo, coalesce(lead(lo) OVER (ORDER BY j), :nodes + 1) - lo AS size
      FROM vic_bench_comm_groups) AS g;

CREATE TABLE vic_bench_comm_edges AS
WITH u AS (
    SELECT e,
           1 + floor(:nodes * ((hashint8extended(e, 1) & 4503599627370495)::float8 / 4503599627370496.0))::bigint AS a,
           (hashint8extended(e, 2) & 4503599627370495)::float8 / 4503599627370496.0 AS inside,
           (hashint8extended(e, 3) & 4503599627370495)::float8 / 4503599627370496.0 AS pos,
           (hashint8extended(e, 4) & 4503599627370495)::float8 / 4503599627370496.0 AS wu
    FROM generate_series(1, (:edges * 1.2)::bigint) AS e
), ends AS (
    SELECT u.e, u.a,
           CASE WHEN u.inside < 0.8 THEN n.lo + floor(u.pos * n.size)::bigint
                ELSE 1 + floor(u.pos * :nodes)::bigint END AS b,
           power(1.0 - u.wu, -1.0 / 1.5) AS w
    FROM u JOIN vic_bench_comm_nodes n ON n.node = u.a
)
SELECT src, dst, w
FROM (SELECT DISTINCT ON (least(a, b), greatest(a, b))
             e, least(a, b) AS src, greatest(a, b) AS dst, w
      FROM ends
      WHERE a <> b
      ORDER BY least(a, b), greatest(a, b), e) AS simple
ORDER BY e
LIMIT :edges;

ANALYZE vic_bench_comm_edges;
