-- One shard: postgis + vic, its slice of firm and edge, and views of its per-cluster summaries with
-- the shard's own text and binary rendering of each (so the coordinator can check what crossed the
-- wire).  psql variables: lo, hi, nf, ne (see data.sql).
CREATE EXTENSION postgis;
CREATE EXTENSION vic;
\ir data.sql
CREATE VIEW cluster_profile AS
SELECT cluster_id, p, p::text AS p_text, vic.profile_send(p) AS p_send
FROM (SELECT cluster_id, vic.profile_agg(firm_id, industry, region, location, weight) AS p
	  FROM firm GROUP BY cluster_id) s;
CREATE VIEW cluster_graph AS
SELECT cluster_id, g, g::text AS g_text, vic.graph_send(g) AS g_send
FROM (SELECT cluster_id, vic.graph_agg(src, dst, weight) AS g FROM edge GROUP BY cluster_id) s;
