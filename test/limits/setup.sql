-- test/limits/setup.sql: large inputs for the cancellation cases and small ones for the leak
-- checks of test/limits/run.sh (deterministic: integer hashes, no random()).
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS vic;
SET max_parallel_workers_per_gather = 0;
-- a scale-free-ish graph of 300,000 firms and 1.5 million supply edges
CREATE TABLE big_graph AS
	SELECT vic.graph_agg(s, d, 1 + (s * 7 + d) % 13) AS g
	FROM (SELECT i % 300000 AS s, ((i::bigint * 2654435761) % 300000) / (1 + i % 7) AS d
	      FROM generate_series(1, 1500000) AS i) e;
-- small inputs for the leak checks
CREATE TABLE small AS
	SELECT vic.profile_agg(i, (ARRAY['C3841', 'C3985', 'C2614', 'I6510', 'A0111'])[1 + i % 5]::vic.industry,
	                       'r' || (i % 9), ST_SetSRID(ST_MakePoint(100 + i % 20, 20 + i % 15), 4326)::geography,
	                       1 + i % 17) AS p,
	       vic.graph_agg(i, (i * 7919) % 500 + 1, 1 + i % 5) AS g
	FROM generate_series(1, 500) AS i;
CREATE TABLE small_ref AS
	SELECT vic.profile_agg(i, (ARRAY['C3841', 'C3985', 'C2614', 'I6510', 'A0111', 'C3971'])[1 + i % 6]::vic.industry,
	                       'r' || (i % 11), 1 + i % 23) AS p
	FROM generate_series(1, 3000) AS i;
ANALYZE big_graph; ANALYZE small; ANALYZE small_ref;
