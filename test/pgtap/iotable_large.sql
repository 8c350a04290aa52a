-- pgTAP: vic.iotable numerics at scale - the residual of the Leontief inverse on a dense
-- 1,000-sector table and cancellation during a long factorisation.
BEGIN;
SELECT plan(5);
SET LOCAL search_path = vic, public;

-- A dense, seeded 1,000-sector table with realistic coefficient sizes: flows skewed (cube of a
-- uniform draw: many small cells, a few large), column sums of A between 0.3 and 0.7.
SELECT setseed(0.25);
CREATE TEMP TABLE z AS
SELECT i, j, (random() ^ 3 * 1000)::float8 AS v FROM generate_series(1, 1000) i, generate_series(1, 1000) j;
CREATE TEMP TABLE x AS SELECT j, sum(v) / (0.3 + 0.4 * random()) AS x FROM z GROUP BY j;
CREATE TEMP TABLE big AS
SELECT (SELECT iotable_agg(i::text, j::text, v) FROM z)
       || (SELECT iotable_accounts_agg(j::text, x, NULL, NULL, NULL, NULL) FROM x) AS t;
SELECT is((SELECT sector_count(t) FROM big), 1000, 'a 1,000-sector table');

-- the issue's accuracy goal: || (I - A) L - I ||_inf below 1e-10 (product by a plain loop)
SELECT cmp_ok((SELECT leontief_residual(t) FROM big), '<', 1e-10::float8,
              'residual || (I - A) L - I ||_inf < 1e-10 on 1,000 sectors');

-- an independent check in SQL of three columns of L: max_i |sum_j (delta_ij - a_ij) l_jk - delta_ik|
CREATE TEMP TABLE a AS SELECT row_sector::int r, col_sector::int c, value v FROM technical_coefficients((SELECT t FROM big));
CREATE TEMP TABLE l AS SELECT row_sector::int r, col_sector::int c, value v FROM leontief_inverse((SELECT t FROM big))
WHERE col_sector IN ('1', '500', '1000');
SELECT cmp_ok((SELECT max(abs(s)) FROM (
                 SELECT i.r, l.c, sum(CASE WHEN i.r = l.r THEN 1 ELSE 0 END * l.v) - coalesce(sum(a.v * l.v), 0)
                        - CASE WHEN i.r = l.c THEN 1 ELSE 0 END AS s
                 FROM generate_series(1, 1000) i(r) CROSS JOIN l LEFT JOIN a ON a.r = i.r AND a.c = l.r
                 GROUP BY i.r, l.c) q), '<', 1e-12::float8,
              'three columns of L solve (I - A) l_k = e_k, checked by SQL sums');

-- cancellation: a statement_timeout lands during the factorisation and inversion, long before the
-- computation would end (PL/pgSQL catches query_canceled so the test can time it)
CREATE FUNCTION pg_temp.cancel_elapsed(t vic.iotable) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz := clock_timestamp();
BEGIN
    PERFORM vic.leontief_residual(t);
    RETURN NULL;
EXCEPTION WHEN query_canceled THEN
    RETURN extract(epoch FROM clock_timestamp() - t0);
END $$;
CREATE TEMP TABLE cancel_t (s float8);
SET LOCAL statement_timeout = '100ms';
INSERT INTO cancel_t SELECT pg_temp.cancel_elapsed(t) FROM big;
RESET statement_timeout;
SELECT isnt((SELECT s FROM cancel_t), NULL, 'statement_timeout cancels the computation');
SELECT cmp_ok((SELECT s FROM cancel_t), '<', 2.1::float8, 'and it stops within 2 s of the timeout');

SELECT * FROM finish();
ROLLBACK;
