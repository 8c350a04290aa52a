-- pgTAP: the sample economy generator (test/fixtures/sample.sql): determinism, sizes, invariants.
BEGIN;
SET client_min_messages = warning;
\ir ../fixtures/sample.sql
SELECT plan(49);

-- Order-independent fingerprints of every generated table.
CREATE TEMP TABLE fp (run text, tab text, md5 text);
CREATE FUNCTION pg_temp.fingerprint(run text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO fp
	SELECT run, 'city', md5(string_agg(t::text, '|' ORDER BY t.city_id)) FROM vic_sample.city t
	UNION ALL
	SELECT run, 'firm', md5(string_agg(t::text, '|' ORDER BY t.firm_id)) FROM vic_sample.firm t
	UNION ALL
	SELECT run, 'cluster', md5(string_agg(t::text, '|' ORDER BY t.cluster_id)) FROM vic_sample.cluster t
	UNION ALL
	SELECT run, 'membership', md5(string_agg(t::text, '|' ORDER BY t.cluster_id, t.firm_id)) FROM vic_sample.membership t
	UNION ALL
	SELECT run, 'link', md5(string_agg(t::text, '|' ORDER BY t.src, t.dst, t.kind, t.since, t.weight)) FROM vic_sample.link t;
END;
$$;

-- Run 1: serial plans.
SET max_parallel_workers_per_gather = 0;
SELECT is((SELECT row_count FROM vic_sample.generate(2000, 7) WHERE table_name = 'firm'), 2000::bigint,
		  'generate(2000, 7) reports 2000 firms');
SELECT pg_temp.fingerprint('serial');

-- Run 2: the same seed with parallel plans forced: identical tables.
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SELECT lives_ok($$SELECT vic_sample.generate(2000, 7)$$, 'generate(2000, 7) again, parallel plans');
SELECT pg_temp.fingerprint('parallel');
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;

SELECT is(p.md5, s.md5, 'same seed, serial vs parallel: identical ' || s.tab)
FROM fp s JOIN fp p ON p.tab = s.tab AND p.run = 'parallel'
WHERE s.run = 'serial'
ORDER BY s.tab;

-- Run 3: another seed gives another economy (the cities are fixed reference data).
SELECT lives_ok($$SELECT vic_sample.generate(2000, 8)$$, 'generate(2000, 8)');
SELECT pg_temp.fingerprint('seed8');
SELECT isnt((SELECT md5 FROM fp WHERE run = 'seed8' AND tab = 'firm'),
			(SELECT md5 FROM fp WHERE run = 'serial' AND tab = 'firm'),
			'another seed: other firms');
SELECT isnt((SELECT md5 FROM fp WHERE run = 'seed8' AND tab = 'link'),
			(SELECT md5 FROM fp WHERE run = 'serial' AND tab = 'link'),
			'another seed: other links');

-- Back to seed 7 for the invariants.
SELECT lives_ok($$SELECT vic_sample.generate(2000, 7)$$, 'generate(2000, 7) for the invariants');
SELECT is((SELECT md5 FROM fp WHERE run = 'serial' AND tab = 'firm'),
		  (SELECT md5(string_agg(t::text, '|' ORDER BY t.firm_id)) FROM vic_sample.firm t),
		  'regenerating seed 7 after seed 8 gives the first firms back');

-- Sizes.
SELECT is((SELECT count(*) FROM vic_sample.firm), 2000::bigint, '2000 firms');
SELECT is((SELECT min(firm_id) || '..' || max(firm_id) FROM vic_sample.firm), '1..2000', 'firm ids 1..2000');
SELECT cmp_ok((SELECT count(*) FROM vic_sample.city), '>=', 100::bigint, 'about 100 cities');
SELECT cmp_ok((SELECT count(DISTINCT province_en) FROM vic_sample.city), '>=', 25::bigint,
			  'cities in at least 25 provinces');
SELECT is((SELECT count(*) FROM vic_sample.cluster), 13::bigint, '13 named clusters at 2000 firms');
SELECT ok((SELECT count(*) FILTER (WHERE kind = 'traditional') >= 4
				  AND count(*) FILTER (WHERE kind = 'virtual') >= 3 FROM vic_sample.cluster),
		  'traditional and virtual clusters');
SELECT ok((SELECT count(*) BETWEEN 3 * 2000 AND 10 * 2000 FROM vic_sample.link),
		  'between 3 and 10 links per firm');
SELECT cmp_ok((SELECT count(DISTINCT industry_code) FROM vic_sample.firm), '>=', 100::bigint,
			  'at least 100 distinct industry classes');

-- Referential integrity.
SELECT is((SELECT count(*) FROM vic_sample.firm f LEFT JOIN vic_sample.city c USING (city_id)
		   WHERE c.city_id IS NULL), 0::bigint, 'every firm''s city exists');
SELECT is((SELECT count(*) FROM vic_sample.link l
		   WHERE NOT EXISTS (SELECT 1 FROM vic_sample.firm f WHERE f.firm_id = l.src)
			  OR NOT EXISTS (SELECT 1 FROM vic_sample.firm f WHERE f.firm_id = l.dst)),
		  0::bigint, 'every link''s ends exist');
SELECT is((SELECT count(*) FROM vic_sample.membership m
		   WHERE NOT EXISTS (SELECT 1 FROM vic_sample.firm f WHERE f.firm_id = m.firm_id)
			  OR NOT EXISTS (SELECT 1 FROM vic_sample.cluster c WHERE c.cluster_id = m.cluster_id)),
		  0::bigint, 'every membership''s firm and cluster exist');
SELECT is((SELECT count(*) FROM vic_sample.cluster c
		   WHERE NOT EXISTS (SELECT 1 FROM vic_sample.membership m WHERE m.cluster_id = c.cluster_id)),
		  0::bigint, 'every cluster has members');
SELECT is((SELECT count(*) FROM vic_sample.cluster c LEFT JOIN vic_sample.city ci ON ci.city_id = c.home_city_id
		   WHERE ci.city_id IS NULL), 0::bigint, 'every cluster''s home city exists');
SELECT is((SELECT count(*) FROM vic_sample.firm f JOIN vic_sample.city c USING (city_id)
		   WHERE f.province <> c.province_en), 0::bigint, 'firm.province is its city''s province');

-- Memberships.
SELECT cmp_ok((SELECT count(*) FROM (SELECT firm_id FROM vic_sample.membership GROUP BY firm_id
									 HAVING count(*) >= 2) x), '>', 10::bigint,
			  'some firms are in two or more clusters');
SELECT cmp_ok((SELECT count(*) FROM vic_sample.membership WHERE left_on IS NOT NULL), '>', 20::bigint,
			  'some memberships ended');
SELECT is((SELECT count(*) FROM vic_sample.membership m JOIN vic_sample.firm f USING (firm_id)
		   WHERE m.left_on <= m.joined OR m.joined < f.founded OR m.joined > date '2025-06-30'
			  OR m.left_on > date '2025-06-30'),
		  0::bigint, 'founded <= joined < left_on <= 2025-06-30');

-- Links.
SELECT is((SELECT count(*) FROM vic_sample.link WHERE src = dst), 0::bigint, 'no self-loops');
SELECT is((SELECT count(*) FROM vic_sample.link WHERE kind = 'cooperation' AND src >= dst), 0::bigint,
		  'cooperation links are stored once, src < dst');
SELECT is((SELECT count(*) FROM vic_sample.link WHERE NOT (weight > 0 AND weight < 'infinity')
		   OR since IS NULL OR since > date '2025-06-30'), 0::bigint,
		  'link weights positive and finite, since dates set and not in the future');
SELECT ok((SELECT count(*) FILTER (WHERE kind = 'supply') > 4 * count(*) FILTER (WHERE kind = 'cooperation')
				  AND count(*) FILTER (WHERE kind = 'cooperation') > 0 FROM vic_sample.link),
		  'mostly supply links, some cooperation');
-- A supply link follows a chain template or a generic input in most cases.
SELECT cmp_ok((SELECT avg((EXISTS (SELECT 1 FROM vic_sample.chain_edge_ref e
								   WHERE e.up_code = s.industry_code AND e.down_code = d.industry_code)
						  OR EXISTS (SELECT 1 FROM vic_sample.generic_input_ref g WHERE g.code = s.industry_code))::int)
			   FROM vic_sample.link l JOIN vic_sample.firm s ON s.firm_id = l.src
			   JOIN vic_sample.firm d ON d.firm_id = l.dst WHERE l.kind = 'supply'),
			  '>', 0.99::numeric, 'supply links follow the chain templates');

-- Firms.
SELECT is((SELECT count(*) FROM vic_sample.firm WHERE industry::text <> industry_code), 0::bigint,
		  'industry (vic.industry) and industry_code agree');
SELECT is((SELECT count(*) FROM vic_sample.firm WHERE vic.industry_level(industry) <> 4), 0::bigint,
		  'every firm has a 4-digit GB/T 4754-2017 class');
SELECT is((SELECT count(*) FROM vic_sample.firm f JOIN vic_sample.city c USING (city_id)
		   WHERE NOT ST_DWithin(f.location, c.geog, 7000)), 0::bigint,
		  'every firm lies within 7 km of its city');
SELECT is((SELECT count(*) FROM vic_sample.firm
		   WHERE NOT (employees >= 5 AND employees <= 200000 AND revenue > 0)
			  OR founded NOT BETWEEN date '1978-01-01' AND date '2025-06-30'), 0::bigint,
		  'employees in [5, 200000], revenue > 0, founded 1978..2025-06-30');
SELECT ok((SELECT max(employees) > 50 * percentile_cont(0.5) WITHIN GROUP (ORDER BY employees)
		   FROM vic_sample.firm), 'heavy-tailed firm sizes (max > 50 x median)');
SELECT is((SELECT count(*) FROM vic_sample.firm WHERE chain_leader), 13::bigint,
		  'one chain leader per cluster');
SELECT ok((SELECT avg(d) FILTER (WHERE chain_leader) > 3 * avg(d) FILTER (WHERE NOT chain_leader)
		   FROM (SELECT f.chain_leader, count(l.src) AS d
				 FROM vic_sample.firm f LEFT JOIN vic_sample.link l
				   ON f.firm_id IN (l.src, l.dst) AND l.kind = 'supply'
				 GROUP BY f.firm_id, f.chain_leader) x),
		  'chain leaders have more than three times the supply links of other firms');

-- Traditional clusters are concentrated at home, platforms are spread out.
SELECT ok((SELECT min(s) FILTER (WHERE kind = 'traditional') > 0.6
				  AND max(s) FILTER (WHERE kind = 'virtual') < 0.3
		   FROM (SELECT c.kind, avg((f.city_id = c.home_city_id)::int) AS s
				 FROM vic_sample.cluster c JOIN vic_sample.membership m USING (cluster_id)
				 JOIN vic_sample.firm f USING (firm_id) GROUP BY c.cluster_id, c.kind) x),
		  'traditional clusters mostly in their home city, platforms not');

-- The hash uniforms.
SELECT ok((SELECT min(vic_sample.u(i, 42, 1)) >= 0 AND max(vic_sample.u(i, 42, 1)) < 1
				  AND abs(avg(vic_sample.u(i, 42, 1)) - 0.5) < 0.01
		   FROM generate_series(1, 100000) i), 'u(id, seed, purpose) is uniform on [0, 1)');
SELECT ok((SELECT abs(corr(vic_sample.u(i, 42, 1), vic_sample.u(i, 42, 2))) < 0.01
				  AND abs(corr(vic_sample.u(i, 42, 1), vic_sample.u(i, 43, 1))) < 0.01
		   FROM generate_series(1, 100000) i), 'purposes and seeds give uncorrelated streams');

-- Parameters.
SELECT throws_ok($$SELECT vic_sample.generate(NULL)$$, '22023', NULL, 'NULL n_firms is rejected');
SELECT throws_ok($$SELECT vic_sample.generate(10)$$, '22023', NULL, 'fewer than 100 firms is rejected');
SELECT throws_ok($$SELECT vic_sample.generate(1000, 1, 'NaN')$$, '22023', NULL, 'NaN links_per_firm is rejected');
SELECT throws_ok($$SELECT vic_sample.generate(1000, 1, -1)$$, '22023', NULL, 'negative links_per_firm is rejected');
SELECT is((SELECT row_count FROM vic_sample.generate(1000, 1, 0) WHERE table_name = 'link'), 0::bigint,
		  'links_per_firm = 0: no links');

SELECT * FROM finish();
ROLLBACK;
