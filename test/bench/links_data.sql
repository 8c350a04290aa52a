-- Deterministic benchmark data for test/bench/links.sh (hash-based randomness, as graph_data.sql):
SET client_min_messages = warning;
-- 300 regions ("provinces") with centroids over eastern Asia and masses; :links cooperation links
-- between firms (source region skewed, destination drawn by mass and distance), each end jittered
-- up to 0.5 degrees around its region's centroid, integer weights 1..10; and the 89,700 ordered
-- region pairs with their centroid distance (km) and a gravity-shaped flow (zeros included).
DROP TABLE IF EXISTS vic_bench_regions, vic_bench_links, vic_bench_pairs;
CREATE TABLE vic_bench_regions AS
SELECT r, 'P' || lpad(r::text, 3, '0') AS name,
       75 + 60 * (hashint8extended(r, 21) & 2147483647) / 2147483648.0 AS lon,
       20 + 30 * (hashint8extended(r, 22) & 2147483647) / 2147483648.0 AS lat,
       1 + 3 * (hashint8extended(r, 23) & 2147483647) / 2147483648.0 AS mass
FROM generate_series(0, 299) r;
CREATE TABLE vic_bench_links AS
WITH u AS (
    SELECT i,
           (hashint8extended(i, 31) & 2147483647) / 2147483648.0 AS u1,
           (hashint8extended(i, 32) & 2147483647) / 2147483648.0 AS u2,
           (hashint8extended(i, 33) & 2147483647) / 2147483648.0 AS u3,
           (hashint8extended(i, 34) & 2147483647) / 2147483648.0 AS u4,
           (hashint8extended(i, 35) & 2147483647) / 2147483648.0 AS u5,
           (hashint8extended(i, 36) & 2147483647) / 2147483648.0 AS u6
    FROM generate_series(1, :links) i
)
SELECT i AS id, s.name AS src_region, d.name AS dst_region,
       ST_SetSRID(ST_MakePoint(s.lon + u3 - 0.5, s.lat + u4 - 0.5), 4326)::geography AS src_location,
       ST_SetSRID(ST_MakePoint(d.lon + u5 - 0.5, d.lat + u6 - 0.5), 4326)::geography AS dst_location,
       (1 + floor(u6 * 10))::float8 AS weight
FROM u
JOIN vic_bench_regions s ON s.r = floor(300 * u1 * u1)::int
JOIN vic_bench_regions d ON d.r = CASE WHEN u2 < 0.3 THEN floor(300 * u2 / 0.3 * u2 / 0.3)::int
                                       ELSE floor(300 * (u2 - 0.3) / 0.7)::int END;
ANALYZE vic_bench_links;
CREATE TABLE vic_bench_pairs AS
WITH p AS (
    SELECT a.name AS o, b.name AS d, a.mass + b.mass AS m,
           ST_Distance(ST_SetSRID(ST_MakePoint(a.lon, a.lat), 4326)::geography,
                       ST_SetSRID(ST_MakePoint(b.lon, b.lat), 4326)::geography, false) / 1000 AS dist,
           (hashint8extended(a.r * 1000 + b.r, 41) & 2147483647) / 2147483648.0 AS u
    FROM vic_bench_regions a JOIN vic_bench_regions b ON a.r <> b.r
)
SELECT o, d, dist, floor(exp(m - 1.2 * ln(dist) + 5) * (0.2 + 1.6 * u))::float8 AS flow FROM p;
ANALYZE vic_bench_pairs;
