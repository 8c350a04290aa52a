-- test/clients/setup.sql: the data every client of test/clients queries.  Small hand-made profiles
-- (whose numbers are checked by hand in clients.py), a seeded economy, a 10^5-member profile and a
-- 2*10^4-node graph for the server-side cursors.  Loaded by run.sh into the database vic_clients.
SET client_min_messages = warning;

-- firms: member, industry, region, weight, snapshot (0 or 1)
CREATE TABLE firms (id bigint, industry vic.industry, region text, weight float8, t integer);
-- the hand profile (t = 0): C3841 weight 3 (Ningde 2 + 1), C3985 weight 1 (Shenzhen)
INSERT INTO firms VALUES
	(1, 'C3841', 'Ningde', 2, 0), (2, 'C3841', 'Ningde', 1, 0), (3, 'C3985', 'Shenzhen', 1, 0),
	-- t = 1: member 2 left, member 4 entered
	(1, 'C3841', 'Ningde', 3, 1), (3, 'C3985', 'Shenzhen', 1, 1), (4, 'C3985', 'Shenzhen', 2, 1);

-- an economy of 1,000 firms in 4 industries over 5 regions (t = 0) and its growth (t = 1):
-- deterministic (no random()), so every run and every client sees the same values
CREATE TABLE economy AS
SELECT g::bigint AS id,
	   (ARRAY['C3841', 'C3985', 'C2614', 'I6510'])[1 + g % 4]::vic.industry AS industry,
	   'R' || (g % 5) AS region,
	   (1 + g % 7)::float8 AS weight,
	   t
FROM generate_series(1, 1000) g, (VALUES (0), (1)) AS s(t)
WHERE t = 0 OR g % 3 <> 0;

CREATE TABLE profiles (name text PRIMARY KEY, p vic.profile);
INSERT INTO profiles
SELECT 'hand0', vic.profile_agg(id, industry, region, weight) FROM firms WHERE t = 0
UNION ALL
SELECT 'hand1', vic.profile_agg(id, industry, region, weight) FROM firms WHERE t = 1
UNION ALL
SELECT 'economy0', vic.profile_agg(id, industry, region, weight) FROM economy WHERE t = 0
UNION ALL
SELECT 'economy1', vic.profile_agg(id, industry, region, weight) FROM economy WHERE t = 1
UNION ALL
SELECT 'r1_0', vic.profile_agg(id, industry, region, weight) FROM economy WHERE t = 0 AND region = 'R1'
UNION ALL
SELECT 'r1_1', vic.profile_agg(id, industry, region, weight) FROM economy WHERE t = 1 AND region = 'R1'
UNION ALL
SELECT 'c3841', vic.profile_agg(id, industry, region, weight) FROM economy WHERE t = 0 AND industry::text = 'C3841'
UNION ALL
-- 10^5 members of weight 1 in one industry over 10 regions: for the server-side cursor
SELECT 'big', vic.profile_agg(g, 'C3841', 'R' || (g % 10), 1.0) FROM generate_series(1, 100000) g;

CREATE TABLE graphs (name text PRIMARY KEY, g vic.graph);
INSERT INTO graphs
-- the hand graph: a directed 3-cycle 1->2->3->1 plus 3->4 (weight 2) and 5->6
SELECT 'hand', vic.graph_agg(s, d, w)
FROM (VALUES (1, 2, 1.0), (2, 3, 1.0), (3, 1, 1.0), (3, 4, 2.0), (5, 6, 1.0)) AS e(s, d, w)
UNION ALL
-- 2*10^4 nodes, 4*10^4 edges: i -> i+1 and i -> 7i+1 (mod n)
SELECT 'big', vic.graph_agg(i, j)
FROM generate_series(0, 19999) i, LATERAL (VALUES ((i + 1) % 20000), ((7 * i + 1) % 20000)) AS e(j);
ANALYZE;
