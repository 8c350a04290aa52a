-- pgTAP: vic.traits, the four traits of a virtual cluster and its kind (doc/traits.md).
BEGIN;
SET client_min_messages = warning;
\ir ../fixtures/sample.sql
SELECT plan(12);

-- A hand-computed case.  p: two unlocated members of C3841 in region A (region entropy 0, unrelated
-- variety 0); reference: four members in regions A..D with equal weights (entropy ln 4 > 0);
-- l: weight 1 from A to B and 3 inside A (cross-region share 1/4).
-- cross_regional = (1/4 + 0) / 2 = 0.125; cross_industry = 0; openness NULL (no previous);
-- dispersion NULL (nothing located); virtuality = (0.35 * 0.125 + 0.15 * 0) / (0.35 + 0.15) = 0.0875.
CREATE TEMP TABLE hand AS SELECT
	(SELECT vic.profile_agg(i, 'C3841', 'A', 1.0) FROM generate_series(1, 2) i) AS p,
	(SELECT vic.profile_agg(i, (ARRAY['C3841', 'C2614', 'I6510', 'A0111'])[i]::vic.industry,
	                        (ARRAY['A', 'B', 'C', 'D'])[i], 1.0) FROM generate_series(1, 4) i) AS ref,
	(SELECT vic.links_agg(s, d, 0::float8, w) FROM (VALUES ('A', 'B', 1.0), ('A', 'A', 3.0)) v(s, d, w)) AS l;
SELECT is((SELECT t.cross_regional FROM hand, vic.traits(p, l, ref) t), 0.125::float8, 'hand case: cross_regional = (1/4 + 0) / 2');
SELECT is((SELECT t.cross_industry FROM hand, vic.traits(p, l, ref) t), 0::float8, 'hand case: cross_industry 0 (one class)');
SELECT ok((SELECT t.openness IS NULL AND t.dispersion IS NULL FROM hand, vic.traits(p, l, ref) t),
          'hand case: openness NULL without previous, dispersion NULL without located members');
SELECT ok((SELECT abs(t.virtuality - 0.0875) < 1e-15 AND t.kind = 'traditional' FROM hand, vic.traits(p, l, ref) t),
          'hand case: virtuality (0.35 * 0.125) / 0.5 = 0.0875, traditional');
-- openness: previous = members {1, 3}: union {1, 2, 3}, both {1}: 1 - 1/3
SELECT ok((SELECT abs(t.openness - 2.0 / 3) < 1e-15
           FROM hand, vic.traits(p, l, ref, (SELECT vic.profile_agg(i, 'C3841', 'A', 1.0) FROM unnest(ARRAY[1, 3]) i)) t),
          'hand case: openness = 1 - |{1}| / |{1, 2, 3}| = 2/3');
SELECT ok((SELECT t IS NULL OR (t.virtuality IS NULL AND t.kind IS NULL) FROM hand, vic.traits(NULL, l, ref) t),
          'a NULL profile gives NULL traits');
SELECT ok((SELECT t.cross_regional = 0 FROM hand, vic.traits(p, NULL, ref) t),
          'without links cross_regional is the regional spread alone (0)');

-- The sample economy: the planted clusters come out as planted.
SELECT is((SELECT row_count FROM vic_sample.generate(20000, 42) WHERE table_name = 'firm'), 20000::bigint, 'sample economy of 20,000 firms');
CREATE TEMP TABLE economy AS
	SELECT vic.profile_agg(firm_id, industry, province, location, employees) AS p FROM vic_sample.firm;
CREATE TEMP TABLE cl AS
	SELECT c.cluster_id, c.kind,
	       (SELECT vic.profile_agg(f.firm_id, f.industry, f.province, f.location, f.employees)
	        FROM vic_sample.membership m JOIN vic_sample.firm f USING (firm_id)
	        WHERE m.cluster_id = c.cluster_id AND m.left_on IS NULL) AS p,
	       (SELECT vic.profile_agg(f.firm_id, f.industry, f.province, f.location, f.employees)
	        FROM vic_sample.membership m JOIN vic_sample.firm f USING (firm_id)
	        WHERE m.cluster_id = c.cluster_id AND m.joined <= '2023-06-30'
	          AND (m.left_on IS NULL OR m.left_on > '2023-06-30')) AS previous,
	       (SELECT vic.links_agg(s.province, d.province, s.location, d.location, l.weight)
	        FROM vic_sample.link l
	        JOIN vic_sample.membership ms ON ms.firm_id = l.src AND ms.cluster_id = c.cluster_id AND ms.left_on IS NULL
	        JOIN vic_sample.membership md ON md.firm_id = l.dst AND md.cluster_id = c.cluster_id AND md.left_on IS NULL
	        JOIN vic_sample.firm s ON s.firm_id = l.src JOIN vic_sample.firm d ON d.firm_id = l.dst) AS l
	FROM vic_sample.cluster c;
CREATE TEMP TABLE tr AS
	SELECT cl.cluster_id, cl.kind AS planted, t.*
	FROM cl, economy e, vic.traits(cl.p, cl.l, e.p, cl.previous) t;
SELECT is((SELECT count(*) FROM tr WHERE virtuality IS NOT NULL), (SELECT count(*) FROM vic_sample.cluster),
          'every cluster of the sample economy has a virtuality');
SELECT is_empty($$SELECT cluster_id, planted, kind, round(virtuality::numeric, 3) FROM tr
                  WHERE planted = 'traditional' AND kind <> 'traditional'$$,
                'every planted traditional cluster comes out traditional');
SELECT is_empty($$SELECT cluster_id, planted, kind, round(virtuality::numeric, 3) FROM tr
                  WHERE planted = 'virtual' AND kind <> 'virtual'$$,
                'every planted platform comes out virtual');
SELECT ok((SELECT bool_and(cross_regional BETWEEN 0 AND 1 AND cross_industry BETWEEN 0 AND 1
                           AND openness BETWEEN 0 AND 1 AND dispersion BETWEEN 0 AND 1) FROM tr),
          'every trait lies in [0, 1]');

SELECT * FROM finish();
ROLLBACK;
