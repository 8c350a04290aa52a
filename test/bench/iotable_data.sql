-- Deterministic input-output tables for test/bench/iotable.sh: a dense :n-sector table in the two
-- plain tables a user holds (flows in long form, sector accounts).  Hash-based randomness
-- (hashint8extended), so every run builds the same tables.  Realistic coefficient sizes: a flow is
-- 1000 u^3 (many small cells, a few large), and total output is the column's intermediate
-- purchases divided by a share between 0.3 and 0.7, so column sums of A lie in [0.3, 0.7].
-- Sector keys have a fixed width ('S0001'), which lets the numpy peer read them with binary COPY.
DROP TABLE IF EXISTS :flow, :account;
CREATE TABLE :flow AS
SELECT format('S%s', lpad(i::text, 4, '0')) AS from_sector, format('S%s', lpad(j::text, 4, '0')) AS to_sector,
       1000 * power((hashint8extended(i * 10000 + j, 21) & 2147483647) / 2147483648.0, 3)::float8 AS value
FROM generate_series(1, :n) i, generate_series(1, :n) j;
CREATE TABLE :account AS
SELECT to_sector AS sector,
       sum(value) / (0.3 + 0.4 * (hashint8extended(min(substr(to_sector, 2)::int), 22) & 2147483647) / 2147483648.0) AS total_output
FROM :flow GROUP BY to_sector;
ANALYZE :flow;
ANALYZE :account;
