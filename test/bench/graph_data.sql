-- Deterministic benchmark graph for test/bench/graph.sh: :edges supplier -> buyer edges over :nodes firms.
-- Hash-based randomness (hashint8extended), so every run and every machine builds the same table.
-- Structure: sources skewed towards small ids (popular suppliers, u^2), 80% of edges stay inside a
-- community of 100 consecutive ids, the rest go to a skewed random firm; integer weights 1..10.
CREATE EXTENSION IF NOT EXISTS vic CASCADE;
CREATE EXTENSION IF NOT EXISTS pgrouting;
DROP TABLE IF EXISTS vic_bench_graph_edges;
CREATE TABLE vic_bench_graph_edges AS
WITH r AS (
    SELECT i,
           (hashint8extended(i, 11) & 2147483647) / 2147483648.0 AS u1,
           (hashint8extended(i, 12) & 2147483647) / 2147483648.0 AS u2,
           (hashint8extended(i, 13) & 2147483647) / 2147483648.0 AS u3,
           (hashint8extended(i, 14) & 2147483647) / 2147483648.0 AS u4
    FROM generate_series(1, :edges) i
), s AS (
    SELECT i, floor(:nodes * u1 * u1)::bigint AS src, u2, u3, u4 FROM r
)
SELECT i AS id, src,
       CASE WHEN u2 < 0.8
            THEN least((src / 100) * 100 + floor(u3 * 100)::bigint, :nodes - 1)
            ELSE floor(:nodes * power(u3, 1.5))::bigint END AS dst,
       (1 + floor(u4 * 10))::float8 AS weight
FROM s;
ANALYZE vic_bench_graph_edges;
