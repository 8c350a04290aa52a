-- Checks over postgres_fdw shards.  Every SELECT prints "t|description" or "f|description" (a test)
-- or "#|text" (a diagnostic); run.sh numbers them as TAP.
SET enable_partitionwise_aggregate = on;
SET extra_float_digits = 0;

-- (a) One level: GROUP BY the partition key runs the whole aggregate on each shard.
SELECT plan_of($q$CREATE TEMP TABLE pw_profile AS
	SELECT cluster_id, vic.profile_agg(firm_id, industry, region, location, weight) AS p
	FROM firm GROUP BY cluster_id$q$) AS plan \gset
SELECT lines_matching(:'plan', 'Remote SQL: SELECT .*vic\.profile_agg\(.*GROUP BY') = 2
	   AND lines_matching(:'plan', '(Partial|Finalize|HashAggregate|GroupAggregate)') = 0,
	   'profile_agg grouped by the partition key is pushed to both shards (remote SQL has vic.profile_agg)';
SELECT '#', l FROM regexp_split_to_table(:'plan', E'\n') l WHERE l ~ '(Remote SQL|Relations|Foreign Scan|Append)';
SELECT count(*) = 8 AND bool_and(same_profile(r.p, l.p)),
	   'pushed-down profiles equal the local computation for all 8 clusters'
FROM pw_profile r FULL JOIN (SELECT cluster_id, vic.profile_agg(firm_id, industry, region, location, weight) AS p
							 FROM loc.firm GROUP BY cluster_id) l USING (cluster_id);
SELECT '#', format('pushed-down profiles: %s of 8 bit-identical in full text (location moments included), %s members, %s bytes of text',
				   count(*) FILTER (WHERE r.p::text = l.p::text), sum(vic.member_count(r.p)), sum(length(r.p::text)))
FROM pw_profile r JOIN (SELECT cluster_id, vic.profile_agg(firm_id, industry, region, location, weight) AS p
						FROM loc.firm GROUP BY cluster_id) l USING (cluster_id);

SELECT plan_of($q$CREATE TEMP TABLE pw_graph AS
	SELECT cluster_id, vic.graph_agg(src, dst, weight) AS g FROM edge GROUP BY cluster_id$q$) AS plan \gset
SELECT lines_matching(:'plan', 'Remote SQL: SELECT .*vic\.graph_agg\(.*GROUP BY') = 2
	   AND lines_matching(:'plan', '(Partial|Finalize|HashAggregate|GroupAggregate)') = 0,
	   'graph_agg grouped by the partition key is pushed to both shards';
SELECT count(*) = 8 AND bool_and(r.g::text = l.g::text AND r.g OPERATOR(vic.=) l.g),
	   'pushed-down graphs equal the local computation for all 8 clusters (text identical)'
FROM pw_graph r FULL JOIN (SELECT cluster_id, vic.graph_agg(src, dst, weight) AS g
						   FROM loc.edge GROUP BY cluster_id) l USING (cluster_id);

-- metrics and a vic operator in WHERE are shipped too: only the numbers cross the wire
SELECT plan_of($q$CREATE TEMP TABLE pw_metrics AS
	SELECT cluster_id, vic.hhi(vic.profile_agg(firm_id, industry, region, location, weight)) AS hhi,
		   vic.entropy(vic.profile_agg(firm_id, industry, region, location, weight), 'region') AS entropy,
		   ST_AsText(vic.centroid(vic.profile_agg(firm_id, industry, region, location, weight))) AS centroid,
		   vic.edge_count(vic.graph_agg(firm_id, firm_id + 1)) AS edges
	FROM firm WHERE industry OPERATOR(vic.<@) 'C13' GROUP BY cluster_id$q$) AS plan \gset
SELECT lines_matching(:'plan', 'Remote SQL: SELECT .*vic\.hhi\(vic\.profile_agg\(.*vic\.centroid\(.*vic\.edge_count\(.*WHERE .*vic\.<@.*GROUP BY') = 2,
	   'vic.hhi, vic.entropy, vic.centroid, vic.edge_count and the vic.<@ operator are shipped to both shards';
SELECT count(*) = 8 AND bool_and(close_to(r.hhi, l.hhi) AND close_to(r.entropy, l.entropy)
								  AND r.centroid = l.centroid AND r.edges = l.edges AND r.centroid LIKE 'POINT(%'),
	   'metrics computed on the shards equal the local ones (hhi, entropy within 1e-12; centroid text, edge count equal)'
FROM pw_metrics r FULL JOIN (
	SELECT cluster_id, vic.hhi(vic.profile_agg(firm_id, industry, region, location, weight)) AS hhi,
		   vic.entropy(vic.profile_agg(firm_id, industry, region, location, weight), 'region') AS entropy,
		   ST_AsText(vic.centroid(vic.profile_agg(firm_id, industry, region, location, weight))) AS centroid,
		   vic.edge_count(vic.graph_agg(firm_id, firm_id + 1)) AS edges
	FROM loc.firm WHERE industry OPERATOR(vic.<@) 'C13' GROUP BY cluster_id) l USING (cluster_id);

-- async_capable: both shards aggregate concurrently
ALTER SERVER shard1 OPTIONS (ADD async_capable 'true');
ALTER SERVER shard2 OPTIONS (ADD async_capable 'true');
SELECT plan_of($q$CREATE TEMP TABLE pw_async AS
	SELECT cluster_id, vic.profile_agg(firm_id, industry, region, location, weight) AS p
	FROM firm GROUP BY cluster_id$q$) AS plan \gset
SELECT lines_matching(:'plan', 'Async Foreign Scan') = 2
	   AND lines_matching(:'plan', 'Remote SQL: SELECT .*vic\.profile_agg\(.*GROUP BY') = 2,
	   'with async_capable the pushed-down aggregates run as two Async Foreign Scans';
SELECT count(*) = 8 AND bool_and(r.p::text = l.p::text),
	   'async pushed-down profiles are text-identical to the synchronous ones'
FROM pw_async r FULL JOIN pw_profile l USING (cluster_id);
ALTER SERVER shard1 OPTIONS (DROP async_capable);
ALTER SERVER shard2 OPTIONS (DROP async_capable);

-- control: without partitionwise aggregation the rows travel and the coordinator aggregates
SET enable_partitionwise_aggregate = off;
SELECT plan_of($q$CREATE TEMP TABLE nopw_profile AS
	SELECT cluster_id, vic.profile_agg(firm_id, industry, region, location, weight) AS p
	FROM firm GROUP BY cluster_id$q$) AS plan \gset
SELECT lines_matching(:'plan', 'Remote SQL: .*vic\.profile_agg') = 0
	   AND lines_matching(:'plan', 'Aggregate') > 0,
	   'control: with enable_partitionwise_aggregate = off the coordinator aggregates fetched rows';
SELECT count(*) = 8 AND bool_and(same_profile(r.p, l.p)),
	   'control: coordinator-side aggregation equals the pushed-down profiles'
FROM nopw_profile r FULL JOIN pw_profile l USING (cluster_id);
SET enable_partitionwise_aggregate = on;

-- (b) Two levels: per-shard summaries merged on the coordinator equal the one-level summary.
SELECT plan_of($q$CREATE TEMP TABLE two_all AS
	SELECT vic.merge_agg(p) AS p FROM (
		SELECT cluster_id, vic.profile_agg(firm_id, industry, region, location, weight) AS p
		FROM firm GROUP BY cluster_id) s$q$) AS plan \gset
SELECT lines_matching(:'plan', 'Remote SQL: SELECT .*vic\.profile_agg\(.*GROUP BY') = 2,
	   'two-level profile: the inner level runs on the shards';
CREATE TEMP TABLE one_all AS
	SELECT vic.profile_agg(firm_id, industry, region, location, weight) AS p FROM loc.firm;
SELECT same_profile(t.p, o.p), 'two-level profile of all firms equals the one-level local profile'
FROM two_all t, one_all o;
SELECT NOT same_profile(o.p, (SELECT p FROM pw_profile WHERE cluster_id = 1))
	   AND NOT same_profile(o.p, regexp_replace(o.p::text, '"location":\[.*\]\}$',
			   format('"location":[%s,%s,%s,%s]}', l[1], l[2] + 1e-9 * abs(l[2]), l[3], l[4]))::vic.profile)
	   AND same_profile(o.p, o.p::text::vic.profile),
	   'control: same_profile rejects another cluster and a location moment off by 1e-9, accepts the value read back'
FROM one_all o, LATERAL (SELECT array_agg(CASE jsonb_typeof(v) WHEN 'array' THEN v ->> 0 ELSE v #>> '{}' END
										 ORDER BY i)::float8[] AS l
						 FROM jsonb_array_elements((o.p::text::jsonb) -> 'location') WITH ORDINALITY x(v, i)) m(l);
SELECT '#', format('two-level vs one-level, all firms: text bit-identical in full: %s; without location: %s; %s members, %s regions, total weight %s',
				   t.p::text = o.p::text, sans_location(t.p) = sans_location(o.p),
				   vic.member_count(o.p), vic.region_count(o.p), vic.total_weight(o.p))
FROM two_all t, one_all o;
CREATE TEMP TABLE metric_pairs AS
SELECT v.*
FROM two_all t, one_all o,
	 LATERAL (VALUES ('hhi', vic.hhi(t.p), vic.hhi(o.p)),
					 ('hhi region', vic.hhi(t.p, 'region'), vic.hhi(o.p, 'region')),
					 ('hhi division', vic.hhi(t.p, 'industry', 2), vic.hhi(o.p, 'industry', 2)),
					 ('hhi member', vic.hhi(t.p, 'member'), vic.hhi(o.p, 'member')),
					 ('entropy', vic.entropy(t.p), vic.entropy(o.p)),
					 ('entropy region', vic.entropy(t.p, 'region'), vic.entropy(o.p, 'region')),
					 ('entropy section', vic.entropy(t.p, 'industry', 1), vic.entropy(o.p, 'industry', 1)),
					 ('gini', vic.gini(t.p), vic.gini(o.p)),
					 ('standard distance', vic.standard_distance(t.p), vic.standard_distance(o.p)),
					 ('members', vic.member_count(t.p)::float8, vic.member_count(o.p)::float8),
					 ('total weight', vic.total_weight(t.p), vic.total_weight(o.p))) v(metric, two, one);
SELECT count(*) = 10 AND bool_and(close_to(two, one)) AND bool_and(two IS NOT NULL),
	   'hhi, entropy, gini, counts, total weight of the two-level profile equal the one-level ones within 1e-12 relative'
FROM metric_pairs WHERE metric <> 'standard distance';
-- the standard distance comes from 1 - |mean resultant vector| (cancellation), so the 1e-16 relative
-- rounding differences of the location moments grow to about 1e-13 relative; allow 1e-9
SELECT close_to(two, one, 1e-9) AND two > 0,
	   'standard distance of the two-level profile equals the one-level one within 1e-9 relative'
FROM metric_pairs WHERE metric = 'standard distance';
SELECT '#', format('%s: two-level %s, one-level %s', metric, two, one) FROM metric_pairs;

-- a grouping that is not the partition key: (cluster_id, region) on the shards, region on the coordinator
SELECT plan_of($q$CREATE TEMP TABLE two_region AS
	SELECT region, vic.merge_agg(p) AS p FROM (
		SELECT cluster_id, region, vic.profile_agg(firm_id, industry, region, location, weight) AS p
		FROM firm GROUP BY cluster_id, region) s
	GROUP BY region$q$) AS plan \gset
SELECT lines_matching(:'plan', 'Remote SQL: SELECT .*vic\.profile_agg\(.*GROUP BY') = 2,
	   'two-level by region: the (cluster, region) level runs on the shards';
SELECT count(*) = 10 AND bool_and(same_profile(t.p, o.p)),
	   'two-level profiles by region (9 regions + unknown) equal the one-level local ones'
FROM (SELECT coalesce(region, '(unknown)') AS k, p FROM two_region) t
FULL JOIN (SELECT coalesce(region, '(unknown)') AS k,
				  vic.profile_agg(firm_id, industry, region, location, weight) AS p
		   FROM loc.firm GROUP BY region) o USING (k);

-- summaries read from the shards' views (foreign tables over views), merged by merge_agg and by ||
SELECT same_profile(vic.merge_agg(p), (SELECT p FROM one_all)),
	   'merge_agg of the summaries read from both shards'' views equals the one-level profile'
FROM (SELECT p FROM cluster_profile_s1 UNION ALL SELECT p FROM cluster_profile_s2) s;
SELECT same_profile((SELECT vic.merge_agg(p) FROM cluster_profile_s1) OPERATOR(vic.||)
					(SELECT vic.merge_agg(p) FROM cluster_profile_s2), (SELECT p FROM one_all)),
	   'shard 1 || shard 2 (each merged on the coordinator) equals the one-level profile';
SELECT ((SELECT vic.merge_agg(p) FROM cluster_profile_s2) OPERATOR(vic.||)
		 (SELECT vic.merge_agg(p) FROM cluster_profile_s1))::text
	   = ((SELECT vic.merge_agg(p) FROM cluster_profile_s1) OPERATOR(vic.||)
		  (SELECT vic.merge_agg(p) FROM cluster_profile_s2))::text,
	   '|| of shard profiles is commutative (identical text, location moments included)';

-- graphs: two levels equal one level, text identical; PageRank of the merged graph identical
SELECT plan_of($q$CREATE TEMP TABLE two_graph AS
	SELECT vic.merge_agg(g) AS g FROM (
		SELECT cluster_id, vic.graph_agg(src, dst, weight) AS g FROM edge GROUP BY cluster_id) s$q$) AS plan \gset
SELECT lines_matching(:'plan', 'Remote SQL: SELECT .*vic\.graph_agg\(.*GROUP BY') = 2,
	   'two-level graph: the inner level runs on the shards';
CREATE TEMP TABLE one_graph AS SELECT vic.graph_agg(src, dst, weight) AS g FROM loc.edge;
SELECT t.g::text = o.g::text AND t.g OPERATOR(vic.=) o.g AND vic.edge_count(t.g) > 0,
	   'two-level graph of all edges equals the one-level local graph (text identical)'
FROM two_graph t, one_graph o;
SELECT '#', format('graph: %s nodes, %s edges (after summing parallel edges), %s bytes of text',
				   vic.node_count(g), vic.edge_count(g), length(g::text)) FROM one_graph;
SELECT (SELECT vic.merge_agg(g) FROM cluster_graph_s1) OPERATOR(vic.||) (SELECT vic.merge_agg(g) FROM cluster_graph_s2)
	   OPERATOR(vic.=) (SELECT g FROM one_graph),
	   'graph: shard 1 || shard 2 from the shards'' views equals the one-level graph';
SELECT count(*) = vic.node_count((SELECT g FROM one_graph)) AND bool_and(t.pagerank = o.pagerank),
	   'PageRank of the two-level graph is identical to that of the one-level graph'
FROM vic.pagerank((SELECT g FROM two_graph)) t FULL JOIN vic.pagerank((SELECT g FROM one_graph)) o USING (node);
SELECT sum(weight) = (SELECT sum(weight) FROM loc.edge),
	   'the merged graph keeps every edge row''s weight (sums equal)'
FROM vic.edges((SELECT g FROM two_graph));

-- (c) Across the wire: postgres_fdw fetches summaries as text; the coordinator's re-rendering and
-- send bytes equal what the shard itself produced (the shard session runs with extra_float_digits 3).
SELECT count(*) = 8 AND bool_and(p::text = p_text AND vic.profile_send(p) = p_send),
	   'profiles fetched as text from the shards re-render identically (text and send bytes)'
FROM (SELECT * FROM cluster_profile_s1 UNION ALL SELECT * FROM cluster_profile_s2) s;
SELECT count(*) = 8 AND bool_and(g::text = g_text AND vic.graph_send(g) = g_send),
	   'graphs fetched as text from the shards re-render identically (text and send bytes)'
FROM (SELECT * FROM cluster_graph_s1 UNION ALL SELECT * FROM cluster_graph_s2) s;
SELECT count(*) = 8 AND bool_and(s.p_text = l.p::text),
	   'a shard''s profile text equals the coordinator''s local profile text for the same cluster'
FROM (SELECT * FROM cluster_profile_s1 UNION ALL SELECT * FROM cluster_profile_s2) s
JOIN (SELECT cluster_id, vic.profile_agg(firm_id, industry, region, location, weight) AS p
	  FROM loc.firm GROUP BY cluster_id) l USING (cluster_id);

-- the text form does not depend on session settings
CREATE TEMP TABLE text_default AS SELECT p::text AS pt, g::text AS gt FROM two_all, two_graph;
SET extra_float_digits = -15;
SET DateStyle = 'German, DMY';
SET lc_numeric = 'C';
SET search_path = pg_catalog;
SELECT pt = p::text AND gt = g::text AND p::text::vic.profile::text = pt,
	   'text output is independent of extra_float_digits, DateStyle and search_path'
FROM pg_temp.text_default, pg_temp.two_all, pg_temp.two_graph;
RESET extra_float_digits;
RESET DateStyle;
RESET lc_numeric;
RESET search_path;

-- summaries for the COPY round trips done by run.sh
INSERT INTO summaries
SELECT cluster_id, p, g FROM pw_profile JOIN pw_graph USING (cluster_id)
UNION ALL SELECT 0, p, g FROM two_all, two_graph
UNION ALL SELECT -1, vic.profile_agg(f.firm_id, f.industry, f.region, f.location, f.weight),
				 vic.graph_agg(e.src, e.dst) FROM loc.firm f, loc.edge e WHERE false;
