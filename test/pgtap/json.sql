-- pgTAP: the readable JSON forms of vic.profile and vic.graph (casts to json and jsonb), for BI
-- tools and drivers.  Expected values are hand computations on the inputs below.
BEGIN;
SELECT plan(14);

CREATE TEMP TABLE jp AS
	SELECT vic.profile_agg(id, code::vic.industry, region, location, w) AS p FROM (VALUES
		(1, 'C3841', 'Ningde', ST_SetSRID(ST_MakePoint(119.52, 26.66), 4326)::geography, 120.5),
		(2, 'C3841', 'Ningde', ST_SetSRID(ST_MakePoint(119.52, 26.66), 4326)::geography, 10),
		(4, 'C2614', NULL, NULL, 3)) AS t(id, code, region, location, w);
CREATE TEMP TABLE jg AS
	SELECT vic.graph_agg(s, d, w) AS g FROM (VALUES (1, 2, 0.5), (1, 2, 0.25), (2, 3, 2), (3, 2, 1), (7, 8, 1)) AS t(s, d, w);

SELECT is((SELECT p::jsonb -> 'members' FROM jp), '3'::jsonb, 'profile json: 3 members');
SELECT is((SELECT p::jsonb -> 'located' FROM jp), '2'::jsonb, 'profile json: 2 located');
SELECT is((SELECT (p::jsonb ->> 'total_weight')::float8 FROM jp), 133.5::float8, 'profile json: total weight 120.5 + 10 + 3');
-- industries largest first: C3841 130.5 / 133.5, then C2614 3 / 133.5
SELECT is((SELECT p::jsonb -> 'industries' -> 0 ->> 'industry' FROM jp), 'C3841', 'profile json: the largest industry first');
SELECT ok((SELECT abs((p::jsonb -> 'industries' -> 1 ->> 'share')::float8 - 3 / 133.5) < 1e-15 FROM jp),
          'profile json: C2614''s share is 3 / 133.5');
SELECT is((SELECT jsonb_array_length(p::jsonb -> 'regions') FROM jp), 2, 'profile json: Ningde and the unknown region');
SELECT ok((SELECT p::jsonb -> 'regions' -> 1 -> 'region' = 'null'::jsonb FROM jp), 'profile json: the unknown region is null');
SELECT ok((SELECT abs((p::jsonb -> 'centroid' ->> 'lon')::float8 - 119.52) < 1e-9
              AND abs((p::jsonb -> 'centroid' ->> 'lat')::float8 - 26.66) < 1e-9 FROM jp),
          'profile json: the centroid of two firms at one place is that place (lon, lat in degrees)');
SELECT is((SELECT (p::json ->> 'members') FROM jp), '3', 'profile cast to json (not jsonb) reads the same');
SELECT is((SELECT vic.profile_agg(1, 'C3841', 'A', 1)::jsonb -> 'centroid'), 'null'::jsonb,
          'profile json: no located member, null centroid');

SELECT is((SELECT g::jsonb - 'top_nodes' FROM jg),
          '{"nodes": 5, "edges": 4, "total_weight": 4.75, "weak_components": 2, "strong_components": 4}'::jsonb,
          'graph json: counts, total weight (0.75 + 2 + 1 + 1), weak {1,2,3}, {7,8}; strong {2,3}, {1}, {7}, {8}');
-- strengths: node 2 in 0.75 + 1, out 2 (3.75); node 3 in 2, out 1 (3); node 1 out 0.75; 7 out 1; 8 in 1
SELECT is((SELECT array_agg((e ->> 'node')::int ORDER BY ord) FROM jg, jsonb_array_elements(g::jsonb -> 'top_nodes') WITH ORDINALITY AS x(e, ord)),
          ARRAY[2, 3, 7, 8, 1], 'graph json: nodes by strength, ties by id');
SELECT is(('{}'::vic.graph)::jsonb -> 'nodes', '0'::jsonb, 'graph json of the empty graph');
SELECT is((NULL::vic.profile)::jsonb, NULL, 'a NULL profile casts to NULL');

SELECT * FROM finish();
ROLLBACK;
