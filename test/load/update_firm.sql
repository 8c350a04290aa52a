-- a firm changes size (or moves to another region); the cluster's profile is rebuilt
\set f random(1, 20000)
\set e random(1, 900)
BEGIN;
SELECT 1 FROM cluster_profile WHERE cluster = :f % 20 FOR UPDATE;
UPDATE firm SET employees = :e, region = 'r' || (:e % 31) WHERE id = :f;
UPDATE cluster_profile SET p = (SELECT vic.profile_agg(id, industry, region, location, employees) FROM firm WHERE cluster = :f % 20)
	WHERE cluster = :f % 20;
COMMIT;
