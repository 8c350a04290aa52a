-- a firm joins a cluster, with a supply link; the cluster's summaries take them in by merging
\set c random(0, 19)
\set r random(0, 30)
\set e random(1, 900)
BEGIN;
SELECT 1 FROM cluster_profile WHERE cluster = :c FOR UPDATE;
INSERT INTO firm VALUES (nextval('firm_id'), :c, 'C3841', 'r' || :r,
	ST_SetSRID(ST_MakePoint(100 + :r * 0.3, 25 + :r * 0.2), 4326)::geography, :e);
INSERT INTO link VALUES (currval('firm_id'), :e, :c, 1 + :e % 5);
UPDATE cluster_profile SET
	p = p OPERATOR(vic.||) (SELECT vic.profile_agg(id, industry, region, location, employees) FROM firm WHERE id = currval('firm_id')),
	g = g OPERATOR(vic.||) (SELECT vic.graph_agg(currval('firm_id'), :e, 1 + :e % 5))
	WHERE cluster = :c;
COMMIT;
