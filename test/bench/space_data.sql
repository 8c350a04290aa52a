-- The space benchmark's table: :units units ("counties") by :industries four-digit GB/T 4754
-- industries, about :cells nonzero cells.  A nested economy (Hidalgo & Hausmann 2009): unit u has
-- capability c_u in (0, 1], industry i needs capability q_i in (0, 1]; the cell is present with a
-- probability that falls with q_i and rises with c_u, its weight (employment) is log-normal and
-- larger in capable units.  Seeded, so every run builds the same table.
SELECT setseed(0.4711);
DROP TABLE IF EXISTS vic_bench_space;
CREATE TABLE vic_bench_space AS
WITH ind AS (
  SELECT row_number() OVER (ORDER BY code) AS i, code
  FROM (SELECT (c.code::text || lpad(g::text, 2, '0'))::vic.industry AS code
        FROM vic.industry_catalog c, generate_series(11, 25) g
        WHERE vic.industry_level(c.code) = 2 AND vic.industry_scheme(c.code) = 'gbt4754') x
  ORDER BY code LIMIT :industries
), u AS (
  SELECT u, u::float8 / :units AS cap FROM generate_series(1, :units) u
)
SELECT 'county ' || lpad(u.u::text, 5, '0') AS unit, ind.code AS industry,
       round((exp(2.5 * random()) * (1 + 4 * u.cap))::numeric, 1)::float8 AS weight
FROM u CROSS JOIN ind
WHERE random() < (:cells::float8 / (:units::float8 * :industries)) * 1.6
                 * (0.25 + 1.5 * u.cap * (1.0 - ind.i::float8 / :industries));
ANALYZE vic_bench_space;
