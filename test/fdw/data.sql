-- Deterministic firm and edge rows for the clusters :lo .. :hi (psql variables lo, hi, nf = firm rows
-- per cluster, ne = edge rows per cluster), created in the first schema of search_path.  Used for the
-- shards (one slice each), for the coordinator's local copy (all clusters) and for the parallel test.
-- Weights are multiples of 1/4 (firms) and 1/2 (edges), so every partial sum is exact in float8 and a
-- summary's weights do not depend on the order of the rows; location moments are irrational and do.
-- Firm ids overlap between clusters (multi-membership), so merges across shards fold shared members.
CREATE TABLE firm (cluster_id integer NOT NULL, firm_id bigint, industry vic.industry, region text,
				   location geography, weight float8);
INSERT INTO firm
SELECT c, CASE WHEN h % 211 = 0 THEN NULL ELSE (i * 7 + c * 13) % (:nf * 8 / 5) END,
	   CASE WHEN h % 97 = 0 THEN NULL
			ELSE ((ARRAY['C1311', 'C1312', 'C1411', 'C2011', 'C3911', 'C3912', 'F5123', 'I6510',
						 'A0111', 'C2614'])[1 + h % 10])::vic.industry END,
	   CASE WHEN h % 53 = 0 THEN NULL ELSE 'R' || (h / 10 % 9) END,
	   CASE WHEN h % 11 = 0 THEN NULL
			ELSE ST_SetSRID(ST_MakePoint(100 + (h / 7 % 2000) / 97.0, 20 + (h / 3 % 1500) / 89.0),
							4326)::geography END,
	   (h / 13 % 64) / 4.0
FROM generate_series(:lo, :hi) c, generate_series(1, :nf) i,
	 LATERAL (SELECT (i * 2654435761 + c * 40503) % 4294967291 AS h) x;

CREATE TABLE edge (cluster_id integer NOT NULL, src bigint, dst bigint, weight float8);
INSERT INTO edge
SELECT c, (j * 31 + c * 7) % (:ne / 2), (j * 17 + c * 11 + 1) % (:ne / 2), ((j * c) % 16) / 2.0 + 0.5
FROM generate_series(:lo, :hi) c, generate_series(1, :ne) j;
ANALYZE firm, edge;
