-- test/load/setup.sql: the tables of the load test (test/load/run.sh): firms with clusters,
-- supply links, and per-cluster summaries kept up to date by the writing transactions.
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS vic;
CREATE TABLE firm (
	id bigint PRIMARY KEY, cluster int NOT NULL, industry vic.industry NOT NULL, region text,
	location geography, employees float8 NOT NULL);
CREATE INDEX ON firm (cluster);
CREATE TABLE link (src bigint, dst bigint, cluster int NOT NULL, weight float8 NOT NULL);
CREATE INDEX ON link (cluster);
INSERT INTO firm
	SELECT i, i % 20, (ARRAY['C3841', 'C3985', 'C2614', 'I6510', 'A0111', 'C3971', 'C3825'])[1 + (i * 7) % 7]::vic.industry,
	       'r' || (i % 31), ST_SetSRID(ST_MakePoint(100 + (i % 200) * 0.1, 20 + (i % 150) * 0.1), 4326)::geography,
	       1 + (i * 37) % 500
	FROM generate_series(1, 20000) AS i;
INSERT INTO link SELECT i, (i * 7919) % 20000 + 1, i % 20, 1 + i % 9 FROM generate_series(1, 40000) AS i;
-- summaries per cluster, maintained by the writers (insert: merged in; update: rebuilt)
CREATE TABLE cluster_profile AS
	SELECT c AS cluster,
	       (SELECT vic.profile_agg(id, industry, region, location, employees) FROM firm WHERE firm.cluster = c) AS p,
	       (SELECT vic.graph_agg(src, dst, weight) FROM link WHERE link.cluster = c) AS g
	FROM generate_series(0, 19) AS c;
ALTER TABLE cluster_profile ADD PRIMARY KEY (cluster);
CREATE SEQUENCE firm_id START 1000000;
ANALYZE;
