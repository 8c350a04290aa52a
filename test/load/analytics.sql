-- analytics: profiles per cluster from the rows, PageRank of one cluster's graph, metrics of
-- stored summaries against the economy
\set c random(0, 19)
SELECT cluster, vic.hhi(p), vic.entropy(p, 'region')
	FROM (SELECT cluster, vic.profile_agg(id, industry, region, location, employees) AS p FROM firm GROUP BY cluster) s;
SELECT count(*), max(pagerank) FROM cluster_profile, vic.pagerank(g) WHERE cluster = :c;
SELECT sum(vic.krugman_index(c.p, e.p)) FROM cluster_profile c, (SELECT vic.merge_agg(p) AS p FROM cluster_profile) e;
SELECT count(*) FROM cluster_profile, vic.communities(g) WHERE cluster = :c;
