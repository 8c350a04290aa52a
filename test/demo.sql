-- make demo: a tour of vic on the sample economy (test/fixtures/sample.sql, loaded by test/demo.sh).
-- Each section prints its tables and a one-line reading.  A section whose functions are not
-- installed says so and is skipped.
-- Every table printed is also kept in schema vic_report and listed, with the section titles and the
-- readings, in vic_report.toc (in print order): test/report/report.py renders the same tables into
-- report.html.  A line starting with "  ..." is a progress line, before each step that takes more
-- than a second on the 50,000-firm economy.
\set ON_ERROR_STOP 1
\pset null '-'
\pset footer off
SET client_min_messages = warning;
SET extra_float_digits = 0;
-- vic in the search path: the operators (<@, @>) and functions read naturally.
SET search_path = public, vic;

DROP SCHEMA IF EXISTS vic_report CASCADE;
CREATE SCHEMA vic_report;
COMMENT ON SCHEMA vic_report IS 'the tables of the make demo report (test/demo.sql), read by test/report/report.py';
CREATE TABLE vic_report.toc (
	ord serial PRIMARY KEY,
	section int NOT NULL,
	kind text NOT NULL CHECK (kind IN ('section', 'table', 'reading')),
	name text UNIQUE,
	title text,
	body text);
-- :save (section, 'table', 'name', 'title'); lists a kept table vic_report.name
\set save 'INSERT INTO vic_report.toc (section, kind, name, title) VALUES'

SELECT EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
			   WHERE n.nspname = 'vic' AND p.proname = 'profile_agg') AS have_profile,
	   EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
			   WHERE n.nspname = 'vic' AND p.proname = 'graph_agg') AS have_graph,
	   EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
			   WHERE n.nspname = 'vic' AND p.proname = 'communities') AS have_communities
\gset

\echo
\echo '================================================================================'
\echo ' vic demo: virtual industrial clusters on a sample Chinese economy'
\echo '================================================================================'
\echo
\echo '--- 0. The sample economy ---------------------------------------------------------'
INSERT INTO vic_report.toc (section, kind, title) VALUES (0, 'section', 'The sample economy');
CREATE TABLE vic_report.economy AS
SELECT (SELECT count(*) FROM vic_sample.firm) AS firms,
	   (SELECT count(*) FROM vic_sample.city) AS cities,
	   (SELECT count(DISTINCT province_en) FROM vic_sample.city) AS provinces,
	   (SELECT count(DISTINCT industry_code) FROM vic_sample.firm) AS industry_classes,
	   (SELECT count(*) FROM vic_sample.cluster) AS clusters,
	   (SELECT count(*) FROM vic_sample.membership) AS memberships,
	   (SELECT count(*) FILTER (WHERE kind = 'supply') FROM vic_sample.link) AS supply_links,
	   (SELECT count(*) FILTER (WHERE kind = 'cooperation') FROM vic_sample.link) AS cooperation_links;
:save (0, 'table', 'economy', 'The sample economy in numbers');
SELECT * FROM vic_report.economy;

CREATE TABLE vic_report.clusters AS
SELECT c.cluster_id AS id, c.name, c.kind, c.chain, ci.name_en AS home,
	   count(*) FILTER (WHERE m.left_on IS NULL) AS members,
	   count(*) FILTER (WHERE m.left_on IS NOT NULL) AS "left"
FROM vic_sample.cluster c
JOIN vic_sample.city ci ON ci.city_id = c.home_city_id
JOIN vic_sample.membership m ON m.cluster_id = c.cluster_id
GROUP BY c.cluster_id, c.name, c.kind, c.chain, ci.name_en
ORDER BY c.cluster_id
LIMIT 20;
:save (0, 'table', 'clusters', 'The planted clusters: current members and members who left');
SELECT * FROM vic_report.clusters;
INSERT INTO vic_report.toc (section, kind, name, body)
VALUES (0, 'reading', 'reading_clusters', E'Reading: nine traditional clusters anchored in one city each, four platforms (virtual\nclusters) recruiting across the country; memberships start and end over time.')
RETURNING body AS reading_text \gset
\echo :reading_text

\echo
\echo '--- 1. The industry type: GB/T 4754-2017 codes as vic.industry ---------------------'
INSERT INTO vic_report.toc (section, kind, title) VALUES (1, 'section', 'The industry type: GB/T 4754-2017 codes as vic.industry');
CREATE TABLE vic_report.industry_codes AS
SELECT c::text AS input, c::vic.industry AS code, vic.industry_scheme(c::vic.industry) AS scheme,
	   vic.industry_level(c::vic.industry) AS level, vic.industry_parent(c::vic.industry) AS parent
FROM unnest(ARRAY['C3841', '3841', 'C38', 'C', 'isic4:2720', 'nace2:C26.11', 'naics:334413']) AS c;
:save (1, 'table', 'industry_codes', 'Codes of several schemes read as vic.industry');
SELECT * FROM vic_report.industry_codes;

-- Class names are not shipped (only sections and divisions): a user adds the ones she needs;
-- they survive pg_dump.
INSERT INTO vic.industry_catalog (code, name_en, name_zh) VALUES
('C3841', 'Lithium-ion batteries', '锂离子电池制造'),
('C3612', 'New-energy vehicles', '新能源车整车制造'),
('C3670', 'Motor vehicle parts and accessories', '汽车零部件及配件制造'),
('C3973', 'Integrated circuits', '集成电路制造'),
('C3985', 'Electronic materials', '电子专用材料制造'),
('C3982', 'Electronic circuits', '电子电路制造'),
('C3922', 'Communication terminal equipment', '通信终端设备制造'),
('C3825', 'Photovoltaic equipment and components', '光伏设备及元器件制造'),
('C2613', 'Inorganic salts', '无机盐制造'),
('C3824', 'Power electronic components', '电力电子元器件制造')
ON CONFLICT (code) DO NOTHING;

\echo 'The hierarchy of a lithium-ion battery maker, with names from vic.industry_catalog:'
CREATE TABLE vic_report.industry_hierarchy AS
SELECT l AS level, vic.industry_ancestor('C3841', l) AS code,
	   vic.industry_name(vic.industry_ancestor('C3841', l), 'en') AS name_en,
	   vic.industry_name(vic.industry_ancestor('C3841', l), 'zh') AS name_zh
FROM generate_series(1, 4) l;
:save (1, 'table', 'industry_hierarchy', 'The hierarchy of a lithium-ion battery maker, with names from vic.industry_catalog');
SELECT * FROM vic_report.industry_hierarchy;

\echo 'How far apart are classes of the same chain? (tree hops through the lowest common ancestor)'
CREATE TABLE vic_report.industry_distance AS
SELECT a AS supplier, b AS buyer, vic.industry_lca(a, b) AS lca, vic.industry_distance(a, b) AS hops
FROM (VALUES ('C2613'::vic.industry, 'C3841'::vic.industry), ('C3841', 'C3612'),
			 ('C3985', 'C3973'), ('C3973', 'C3922'), ('C3825', 'D4416')) v(a, b);
:save (1, 'table', 'industry_distance', 'Tree hops between classes of the same chain, through the lowest common ancestor');
SELECT * FROM vic_report.industry_distance;

\echo 'Firms by division (level 2), largest ten:'
CREATE TABLE vic_report.divisions AS
SELECT vic.industry_ancestor(industry, 2) AS division,
	   vic.industry_name(vic.industry_ancestor(industry, 2), 'en') AS name,
	   count(*) AS firms, round(sum(employees)) AS employees
FROM vic_sample.firm
GROUP BY 1 ORDER BY firms DESC, division LIMIT 10;
:save (1, 'table', 'divisions', 'Firms by division (level 2), largest ten');
SELECT * FROM vic_report.divisions;

CREATE INDEX IF NOT EXISTS firm_industry_idx ON vic_sample.firm (industry);
ANALYZE vic_sample.firm;
\echo 'A subtree lookup uses the btree index (code <@ C38 becomes a range scan):'
EXPLAIN (COSTS OFF) SELECT count(*) FROM vic_sample.firm WHERE industry <@ 'C38';
CREATE TABLE vic_report.subtree AS
SELECT (SELECT count(*) FROM vic_sample.firm WHERE industry <@ 'C38') AS firms_in_c38,
	   (SELECT count(*) FROM vic_sample.firm WHERE industry_code LIKE 'C38%') AS same_by_text_like;
:save (1, 'table', 'subtree', 'A subtree lookup (code <@ C38, an index range) against text LIKE');
SELECT * FROM vic_report.subtree;
INSERT INTO vic_report.toc (section, kind, name, body)
VALUES (1, 'reading', 'reading_industry', E'Reading: one 8-byte code carries scheme and hierarchy; parents sort before their\ndescendants, so "all of division C38" is one index range.')
RETURNING body AS reading_text \gset
\echo :reading_text

\echo
\echo '--- 2. Cluster profiles: specialisation, diversity, agglomeration, dispersion ------'
INSERT INTO vic_report.toc (section, kind, title) VALUES (2, 'section', 'Cluster profiles: specialisation, diversity, agglomeration, dispersion');
\if :have_profile
\echo '  ... profiles of the economy and of each cluster'
CREATE TEMP TABLE economy AS
SELECT vic.profile_agg(firm_id, industry, province, location, employees) AS p FROM vic_sample.firm;
CREATE TEMP TABLE prof AS
SELECT c.cluster_id, c.name, c.kind,
	   vic.profile_agg(f.firm_id, f.industry, f.province, f.location, f.employees) AS p
FROM vic_sample.cluster c
JOIN vic_sample.membership m ON m.cluster_id = c.cluster_id AND m.left_on IS NULL
JOIN vic_sample.firm f ON f.firm_id = m.firm_id
GROUP BY c.cluster_id, c.name, c.kind;

\echo 'Specialisation: the largest class of each cluster (share of its employment) and its'
\echo 'location quotient (LQ = share in the cluster / share in the whole economy, Balassa 1965):'
CREATE TABLE vic_report.specialisation AS
SELECT p.cluster_id AS id, p.name, p.kind, s.industry AS main_class,
	   vic.industry_name(s.industry, 'en') AS name_en,
	   round((100 * s.share)::numeric, 1) AS pct_employment, round(lq.lq::numeric, 1) AS lq,
	   (SELECT count(*) FROM vic.location_quotients(p.p, e.p) x WHERE x.specialised) AS classes_lq_ge_1
FROM prof p, economy e,
	 LATERAL (SELECT industry, share FROM vic.industry_shares(p.p) ORDER BY share DESC, industry LIMIT 1) s,
	 LATERAL (SELECT x.lq FROM vic.location_quotients(p.p, e.p) x WHERE x.industry = s.industry) lq
WHERE p.cluster_id <= 20
ORDER BY p.cluster_id;
:save (2, 'table', 'specialisation', 'Specialisation: the largest class of each cluster and its location quotient (Balassa 1965)');
SELECT * FROM vic_report.specialisation;

\echo 'Structure and geography of each cluster (employment-weighted; distances in km):'
CREATE TABLE vic_report.structure AS
SELECT p.cluster_id AS id, p.name, p.kind,
	   vic.member_count(p.p) AS members,
	   round(vic.hhi(p.p, 'industry')::numeric, 3) AS hhi_ind,
	   round(vic.entropy(p.p, 'industry')::numeric, 2) AS entropy_bits,
	   round(vic.related_variety(p.p, 4, 2)::numeric, 2) AS related_var,
	   round(vic.unrelated_variety(p.p, 2)::numeric, 2) AS unrelated_var,
	   round(vic.hhi(p.p, 'region')::numeric, 3) AS hhi_prov,
	   vic.region_count(p.p) AS provinces,
	   round(ST_X(vic.centroid(p.p)::geometry)::numeric, 2) AS centroid_lon,
	   round(ST_Y(vic.centroid(p.p)::geometry)::numeric, 2) AS centroid_lat,
	   round((vic.standard_distance(p.p) / 1000)::numeric) AS std_dist_km
FROM prof p
WHERE p.cluster_id <= 20
ORDER BY p.cluster_id;
:save (2, 'table', 'structure', 'Structure and geography of each cluster (employment-weighted; distances in km)');
SELECT * FROM vic_report.structure;

CREATE TABLE vic_report.by_kind AS
SELECT p.kind, count(*) AS clusters,
	   round(avg(vic.standard_distance(p.p) / 1000)::numeric) AS mean_std_dist_km,
	   round(avg(vic.hhi(p.p, 'region'))::numeric, 3) AS mean_hhi_provinces,
	   round(avg(vic.region_count(p.p))::numeric, 1) AS mean_provinces
FROM prof p GROUP BY p.kind ORDER BY p.kind;
:save (2, 'table', 'by_kind', 'Traditional clusters against platforms');
SELECT * FROM vic_report.by_kind;
INSERT INTO vic_report.toc (section, kind, name, body)
VALUES (2, 'reading', 'reading_structure', E'Reading: a traditional cluster is its home city plus spill-over to the neighbours (one\nprovince holds most of it, HHI near 1); a platform spans every province, with several\ntimes the standard distance and a province HHI near that of the whole economy.')
RETURNING body AS reading_text \gset
\echo :reading_text

\echo 'Agglomeration of chain classes versus everyday ones across provinces'
\echo '(Ellison & Glaeser 1997 gamma; > 0.05 = highly agglomerated, < 0.02 = not):'
CREATE TABLE vic_report.agglomeration AS
SELECT i.code, vic.industry_name(i.code, 'en') AS name, i.n AS firms,
	   round((i.eg).gamma::numeric, 3) AS eg_gamma, round((i.eg).g::numeric, 3) AS raw_g,
	   round((i.eg).h::numeric, 4) AS plant_h
FROM (SELECT x.code, x.n, vic.ellison_glaeser(x.p, e.p) AS eg
	  FROM (SELECT industry AS code, count(*) AS n,
				   vic.profile_agg(firm_id, industry, province, location, employees) AS p
			FROM vic_sample.firm
			WHERE industry_code IN ('C3841', 'C2613', 'C3973', 'C3825', 'C3612', 'C1819', 'E4710',
									'I6513', 'G5431')
			GROUP BY industry) x, economy e) i
ORDER BY eg_gamma DESC;
:save (2, 'table', 'agglomeration', 'Agglomeration of chain classes against everyday ones across provinces (Ellison & Glaeser 1997 gamma)');
SELECT * FROM vic_report.agglomeration;
INSERT INTO vic_report.toc (section, kind, name, body)
VALUES (2, 'reading', 'reading_agglomeration', E'Reading: the chain classes concentrate in a few provinces (raw G far above the everyday\nclasses); gamma nets out plant lumpiness H, so a class whose concentration one giant plant\nexplains scores low; garments, construction, software and trucking follow the size of\nthe provinces (gamma near 0).')
RETURNING body AS reading_text \gset
\echo :reading_text
\else
\echo '  (skipped: vic.profile_agg is not installed)'
\endif

\echo
\echo '--- 3. Openness: who joined and who left, and overlap between clusters ---------------'
INSERT INTO vic_report.toc (section, kind, title) VALUES (3, 'section', 'Openness: who joined and who left, and overlap between clusters');
\if :have_profile
\echo '  ... profiles of each cluster at the end of 2022 and mid 2025'
CREATE TEMP TABLE prof_t AS
SELECT c.cluster_id, c.name, c.kind, t.at,
	   vic.profile_agg(f.firm_id, f.industry, f.province, f.location, f.employees) AS p
FROM vic_sample.cluster c
CROSS JOIN (VALUES (date '2022-12-31'), (date '2025-06-30')) t(at)
LEFT JOIN vic_sample.membership m ON m.cluster_id = c.cluster_id AND m.joined <= t.at
	AND (m.left_on IS NULL OR m.left_on > t.at)
LEFT JOIN vic_sample.firm f ON f.firm_id = m.firm_id
GROUP BY c.cluster_id, c.name, c.kind, t.at;

\echo 'Members at the end of 2022 and mid 2025, entries, exits and turnover:'
CREATE TABLE vic_report.openness AS
SELECT a.cluster_id AS id, a.name, a.kind,
	   vic.member_count(a.p) AS members_2022, vic.member_count(b.p) AS members_2025,
	   vic.entries(a.p, b.p) AS entries, vic.exits(a.p, b.p) AS exits,
	   round(vic.turnover(a.p, b.p)::numeric, 2) AS turnover
FROM prof_t a JOIN prof_t b ON b.cluster_id = a.cluster_id AND b.at = date '2025-06-30'
WHERE a.at = date '2022-12-31' AND a.cluster_id <= 20
ORDER BY a.cluster_id;
:save (3, 'table', 'openness', 'Members at the end of 2022 and mid 2025, entries, exits and turnover');
SELECT * FROM vic_report.openness;

\echo 'The most overlapping pairs of clusters (Jaccard of current members):'
CREATE TABLE vic_report.overlap AS
SELECT a.name AS cluster_a, b.name AS cluster_b, round(vic.jaccard(a.p, b.p)::numeric, 3) AS jaccard
FROM prof a JOIN prof b ON a.cluster_id < b.cluster_id
ORDER BY vic.jaccard(a.p, b.p) DESC, a.cluster_id, b.cluster_id LIMIT 5;
:save (3, 'table', 'overlap', 'The most overlapping pairs of clusters (Jaccard of current members)');
SELECT * FROM vic_report.overlap;

CREATE TABLE vic_report.multi_membership AS
SELECT round(vic.multi_membership_share(p)::numeric, 3) AS share_in_two_or_more_clusters FROM prof;
:save (3, 'table', 'multi_membership', 'Share of firms in two clusters or more');
SELECT * FROM vic_report.multi_membership;
INSERT INTO vic_report.toc (section, kind, name, body)
VALUES (3, 'reading', 'reading_openness', E'Reading: platforms grow fast and churn more; their members also belong to the local\ncluster of the same chain (Ningde or Hefei firms on the NEV platform).')
RETURNING body AS reading_text \gset
\echo :reading_text
\else
\echo '  (skipped: vic.profile_agg is not installed)'
\endif

\echo
\echo '--- 4. The supply-chain graph: leaders, single points of failure, tiers ------------'
INSERT INTO vic_report.toc (section, kind, title) VALUES (4, 'section', 'The supply-chain graph: leaders, single points of failure, tiers');
\if :have_graph
\echo '  ... the supply graph and its PageRank'
CREATE TEMP TABLE supply AS
SELECT vic.graph_agg(src, dst, weight) AS g FROM vic_sample.link WHERE kind = 'supply';
CREATE TEMP TABLE pr AS SELECT p.node, p.pagerank FROM supply s, vic.pagerank(s.g) p;

CREATE TABLE vic_report.supply_graph AS
SELECT vic.node_count(g) AS firms, vic.edge_count(g) AS supply_edges,
	   (SELECT count(DISTINCT component) FROM vic.components(g)) AS weak_components,
	   (SELECT max(n) FROM (SELECT count(*) AS n FROM vic.components(g) GROUP BY component) x) AS largest_component
FROM supply;
:save (4, 'table', 'supply_graph', 'The supply graph');
SELECT * FROM vic_report.supply_graph;

\echo 'Top ten firms by PageRank on supplier -> buyer value flows (chain leaders marked):'
CREATE TABLE vic_report.pagerank_top AS
SELECT f.firm_id, f.name, f.industry, ci.name_en AS city, f.chain_leader AS leader,
	   round((pr.pagerank * 1000)::numeric, 2) AS pagerank_permille
FROM pr
JOIN vic_sample.firm f ON f.firm_id = pr.node
JOIN vic_sample.city ci ON ci.city_id = f.city_id
ORDER BY pr.pagerank DESC, f.firm_id LIMIT 10;
:save (4, 'table', 'pagerank_top', 'Top ten firms by PageRank on supplier -> buyer value flows (chain leaders marked)');
SELECT * FROM vic_report.pagerank_top;

\echo 'The chain leader of each cluster: its current member of highest PageRank'
CREATE TABLE vic_report.cluster_leaders AS
SELECT DISTINCT ON (c.cluster_id) c.cluster_id AS id, c.name AS cluster, f.firm_id, f.name,
	   f.industry, f.chain_leader AS planted_leader,
	   round((pr.pagerank * 1000)::numeric, 3) AS pagerank_permille
FROM vic_sample.cluster c
JOIN vic_sample.membership m ON m.cluster_id = c.cluster_id AND m.left_on IS NULL
JOIN pr ON pr.node = m.firm_id
JOIN vic_sample.firm f ON f.firm_id = m.firm_id
WHERE c.cluster_id <= 20
ORDER BY c.cluster_id, pr.pagerank DESC, f.firm_id;
:save (4, 'table', 'cluster_leaders', 'The chain leader of each cluster: its current member of highest PageRank');
SELECT * FROM vic_report.cluster_leaders;

\echo '  ... articulation points and bridges'
\echo 'Single points of failure: articulation points and bridges of the undirected chain,'
\echo 'the five articulation points with the most trading partners:'
CREATE TABLE vic_report.spof AS
SELECT (SELECT count(*) FROM supply s, vic.articulation_points(s.g)) AS articulation_points,
	   (SELECT count(*) FROM supply s, vic.bridges(s.g)) AS bridges;
:save (4, 'table', 'spof', 'Single points of failure: articulation points and bridges of the undirected chain');
SELECT * FROM vic_report.spof;
CREATE TABLE vic_report.articulation_top AS
SELECT f.firm_id, f.name, f.industry, f.chain_leader AS leader,
	   d.in_degree AS suppliers, d.out_degree AS buyers
FROM supply s
CROSS JOIN LATERAL vic.articulation_points(s.g) ap
JOIN LATERAL vic.degrees(s.g) d ON d.node = ap.node
JOIN vic_sample.firm f ON f.firm_id = ap.node
ORDER BY d.in_degree + d.out_degree DESC, f.firm_id LIMIT 5;
:save (4, 'table', 'articulation_top', 'The five articulation points with the most trading partners');
SELECT * FROM vic_report.articulation_top;

\echo 'k-cores: the dense heart of the chain'
CREATE TABLE vic_report.kcores AS
SELECT core, count(*) AS firms, sum(chain_leader::int) AS leaders
FROM supply s, vic.core_numbers(s.g) c JOIN vic_sample.firm f ON f.firm_id = c.node
GROUP BY core ORDER BY core DESC LIMIT 5;
:save (4, 'table', 'kcores', 'k-cores: the dense heart of the chain');
SELECT * FROM vic_report.kcores;

SELECT f.firm_id AS focal_id,
	   format('Tiers upstream of the largest new-energy vehicle maker, %s (firm %s):', f.name, f.firm_id) AS title
FROM vic_sample.firm f WHERE f.chain_leader AND f.industry_code = 'C3612'
ORDER BY f.employees DESC, f.firm_id LIMIT 1 \gset
\echo :title
CREATE TABLE vic_report.tiers AS
WITH t AS (
	SELECT u.tier, f.industry_code AS code, count(*) AS n
	FROM supply s, vic.upstream(s.g, :focal_id, 3) u
	JOIN vic_sample.firm f ON f.firm_id = u.node
	GROUP BY u.tier, f.industry_code),
r AS (SELECT t.*, row_number() OVER (PARTITION BY tier ORDER BY n DESC, code) AS rk FROM t)
SELECT tier, sum(n) AS suppliers,
	   string_agg(code || ' (' || n || ')', ', ' ORDER BY rk) FILTER (WHERE rk <= 5) AS top_classes
FROM r GROUP BY tier ORDER BY tier;
:save (4, 'table', 'tiers', :'title');
SELECT * FROM vic_report.tiers;

\echo '  ... betweenness'
\echo 'Brokers: highest betweenness (sampled from 200 sources, Brandes & Pich 2007):'
CREATE TABLE vic_report.brokers AS
SELECT f.firm_id, f.name, f.industry, f.chain_leader AS leader, round(b.betweenness::numeric) AS betweenness
FROM supply s, vic.betweenness(s.g, true, false, 200, 42) b
JOIN vic_sample.firm f ON f.firm_id = b.node
ORDER BY b.betweenness DESC, f.firm_id LIMIT 5;
:save (4, 'table', 'brokers', 'Brokers: highest betweenness (sampled from 200 sources, Brandes & Pich 2007)');
SELECT * FROM vic_report.brokers;
INSERT INTO vic_report.toc (section, kind, name, body)
VALUES (4, 'reading', 'reading_graph', E'Reading: value flows end at the vehicle and device makers, the chain leaders among them;\nthousands of small firms hang on a single partner (cut points and bridges); upstream\ntiers run from cells and parts to materials and mining, as in the lithium -> cell ->\npack -> vehicle template; generic suppliers (steel, resin, trucking) broker across chains.')
RETURNING body AS reading_text \gset
\echo :reading_text
\else
\echo '  (skipped: vic.graph_agg is not installed)'
\endif

\echo
\echo '--- 5. Communities of the firm network versus the planted clusters ----------------'
INSERT INTO vic_report.toc (section, kind, title) VALUES (5, 'section', 'Communities of the firm network versus the planted clusters');
\if :have_communities
\echo '  ... the firm network and its Leiden communities'
CREATE TEMP TABLE net AS
SELECT vic.graph_agg(src, dst, weight) AS g FROM vic_sample.link;
CREATE TEMP TABLE comm AS
SELECT c.node, c.community FROM net n, vic.communities(n.g, 'leiden', 1.0, 42) c;

CREATE TABLE vic_report.communities AS
WITH pl AS (
	SELECT c.node AS firm_id,
		   coalesce((SELECT min(m.cluster_id) FROM vic_sample.membership m
					 WHERE m.firm_id = c.node AND m.left_on IS NULL), -c.node) AS cl
	FROM comm c)
SELECT (SELECT count(DISTINCT community) FROM comm) AS communities,
	   round(vic.modularity(n.g, (SELECT array_agg(node ORDER BY node) FROM comm),
							(SELECT array_agg(community ORDER BY node) FROM comm))::numeric, 3) AS q_leiden,
	   round(vic.modularity(n.g, (SELECT array_agg(firm_id ORDER BY firm_id) FROM pl),
							(SELECT array_agg(cl ORDER BY firm_id) FROM pl))::numeric, 3) AS q_planted_clusters
FROM net n;
:save (5, 'table', 'communities', 'Communities (Leiden) and modularity against the planted clusters');
SELECT * FROM vic_report.communities;

\echo 'Each planted cluster and the community holding most of its current members:'
CREATE TABLE vic_report.cluster_communities AS
SELECT c.cluster_id AS id, c.name, c.kind, x.members, x.communities,
	   round(x.top_share::numeric, 2) AS share_in_top_community,
	   x.top_size AS top_community_size
FROM vic_sample.cluster c
JOIN LATERAL (
	SELECT sum(n) AS members, count(*) AS communities, max(n)::float8 / sum(n) AS top_share,
		   (SELECT count(*) FROM comm c2 WHERE c2.community =
				(SELECT community FROM (SELECT cm.community, count(*) AS k FROM vic_sample.membership m
										JOIN comm cm ON cm.node = m.firm_id
										WHERE m.cluster_id = c.cluster_id AND m.left_on IS NULL
										GROUP BY cm.community ORDER BY k DESC, cm.community LIMIT 1) t)) AS top_size
	FROM (SELECT cm.community, count(*) AS n FROM vic_sample.membership m
		  JOIN comm cm ON cm.node = m.firm_id
		  WHERE m.cluster_id = c.cluster_id AND m.left_on IS NULL
		  GROUP BY cm.community) y) x ON true
WHERE c.cluster_id <= 20
ORDER BY c.cluster_id;
:save (5, 'table', 'cluster_communities', 'Each planted cluster and the community holding most of its current members');
SELECT * FROM vic_report.cluster_communities;
INSERT INTO vic_report.toc (section, kind, name, body)
VALUES (5, 'reading', 'reading_communities', E'Reading: Leiden finds far more modular groups than the planted clusters; most members of\na traditional cluster fall in one community (neighbouring clusters of one chain may share\nit), while platform members are split among the communities of their local chains.')
RETURNING body AS reading_text \gset
\echo :reading_text
\else
\echo '  (skipped: vic.communities is not installed)'
\endif
\echo

\echo '--- 6. How virtual each cluster is: the four traits ----------------------------------'
INSERT INTO vic_report.toc (section, kind, title) VALUES (6, 'section', 'How virtual each cluster is: the four traits');
\echo '  ... profiles now and two years ago, links among members, the economy as reference'
CREATE TEMP TABLE economy_profile AS
SELECT vic.profile_agg(firm_id, industry, province, location, employees) AS p FROM vic_sample.firm;
CREATE TEMP TABLE cluster_summaries AS
SELECT c.cluster_id,
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
FROM vic_sample.cluster c WHERE c.cluster_id <= 20;
CREATE TABLE vic_report.traits AS
SELECT c.cluster_id AS id, c.name, c.kind AS planted,
	   round(t.cross_regional::numeric, 3) AS cross_regional, round(t.cross_industry::numeric, 3) AS cross_industry,
	   round(t.openness::numeric, 3) AS openness, round(t.dispersion::numeric, 3) AS dispersion,
	   round(t.virtuality::numeric, 3) AS virtuality, t.kind
FROM cluster_summaries s JOIN vic_sample.cluster c USING (cluster_id), economy_profile e,
	 vic.traits(s.p, s.l, e.p, s.previous) t
ORDER BY c.cluster_id;
:save (6, 'table', 'traits', 'The four traits (0 = as a traditional cluster, 1 = as spread as the economy), virtuality and kind');
SELECT * FROM vic_report.traits;
INSERT INTO vic_report.toc (section, kind, name, body)
VALUES (6, 'reading', 'reading_traits', E'Reading: vic.traits (doc/traits.md) sets a cluster''s cross-region links and regional spread,\nvariety across divisions, turnover since 2023-06-30 and spatial spread against the economy''s;\nevery planted traditional cluster comes out traditional and every platform virtual.')
RETURNING body AS reading_text \gset
\echo :reading_text

\echo
\echo '--- 7. Cross-region cooperation: who cooperates more than size and distance predict ---'
INSERT INTO vic_report.toc (section, kind, title) VALUES (7, 'section', 'Cross-region cooperation against a gravity model');
\echo '  ... links of the economy by province, PPML gravity fit (origin and destination effects)'
CREATE TEMP TABLE economy_links AS
SELECT vic.links_agg(s.province, d.province, s.location, d.location, l.weight) AS l
FROM vic_sample.link l JOIN vic_sample.firm s ON s.firm_id = l.src JOIN vic_sample.firm d ON d.firm_id = l.dst
WHERE l.kind = 'cooperation';
CREATE TABLE vic_report.gravity_fit AS
SELECT round(vic.cross_region_share(e.l)::numeric, 3) AS cross_region_share,
	   round((vic.mean_link_distance(e.l) / 1000)::numeric, 0) AS mean_km,
	   round(g.beta::numeric, 3) AS beta, round(g.std_error::numeric, 3) AS std_error,
	   round(g.pseudo_r2::numeric, 3) AS pseudo_r2, g.iterations, g.converged
FROM economy_links e, vic.gravity_fit(e.l) g;
:save (7, 'table', 'gravity_fit', 'Cooperation links by province: distance decay (PPML, doubly constrained, power cost)');
SELECT * FROM vic_report.gravity_fit;
CREATE TABLE vic_report.gravity_pairs AS
SELECT g.src_region AS from_province, g.dst_region AS to_province, round(g.observed::numeric, 0) AS observed,
	   round(g.expected::numeric, 1) AS expected, round(g.score::numeric, 2) AS score
FROM economy_links e, vic.gravity(e.l) g
WHERE g.observed >= 20
ORDER BY g.score DESC, g.src_region, g.dst_region LIMIT 10;
:save (7, 'table', 'gravity_pairs', 'The ten province pairs that cooperate most above what size and distance predict (score = observed / expected)');
SELECT * FROM vic_report.gravity_pairs;

\echo
\echo '--- 8. Whom each platform should recruit next: relatedness density -----------------'
INSERT INTO vic_report.toc (section, kind, title) VALUES (8, 'section', 'Whom each platform should recruit next');
CREATE TABLE vic_report.recruit AS
WITH s AS (SELECT vic.space_agg(unit, industry, employees) AS s FROM (
	SELECT 'city ' || f.city_id AS unit, f.industry, f.employees FROM vic_sample.firm f
	UNION ALL
	SELECT 'cluster ' || m.cluster_id, f.industry, f.employees
	FROM vic_sample.membership m JOIN vic_sample.firm f USING (firm_id) WHERE m.left_on IS NULL) u)
SELECT c.cluster_id AS id, c.name, t.rank, t.industry::text AS industry, vic.industry_name(t.industry) AS industry_name,
	   round(t.density::numeric, 3) AS density
FROM s, vic.diversification_targets(s.s, 5) t JOIN vic_sample.cluster c ON t.unit = 'cluster ' || c.cluster_id
WHERE c.kind = 'virtual' AND c.cluster_id <= 20
ORDER BY c.cluster_id, t.rank;
:save (8, 'table', 'recruit', 'The five industries each platform lacks with the highest relatedness density');
SELECT * FROM vic_report.recruit;
