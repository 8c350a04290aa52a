-- (d) A forced parallel plan: Partial Aggregate in the workers, the combine function in the leader,
-- equal to the serial result.  200,000 firm rows and 200,000 edge rows (schema big).
CREATE SCHEMA big;
SET search_path = big, public;
\set lo 1
\set hi 8
\set nf 25000
\set ne 25000
\ir data.sql
RESET search_path;
VACUUM ANALYZE big.firm, big.edge;
SELECT '#', format('parallel test tables: %s firm rows, %s edge rows',
				   (SELECT count(*) FROM big.firm), (SELECT count(*) FROM big.edge));

SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE ser_profile AS
	SELECT vic.profile_agg(firm_id, industry, region, location, weight) AS p FROM big.firm;
CREATE TEMP TABLE ser_graph AS SELECT vic.graph_agg(src, dst, weight) AS g FROM big.edge;
CREATE TEMP TABLE ser_grouped AS
	SELECT cluster_id, vic.profile_agg(firm_id, industry, region, location, weight) AS p
	FROM big.firm GROUP BY cluster_id;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
-- The workers load postgis, postgres_fdw and vic before they scan; a leader that also scans can
-- finish all 200,000 rows first and leave the workers with empty partial states.  Without leader
-- participation the workers build every partial state and the leader only combines them.
SET parallel_leader_participation = off;
-- A worker that starts late (a busy machine) may still find the scan done; retry the statement up
-- to three times until both workers built a non-empty partial state (the checks below require it).
CREATE FUNCTION plan_two_workers(q text, target text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	plan text;
BEGIN
	FOR attempt IN 1 .. 3 LOOP
		EXECUTE format('DROP TABLE IF EXISTS %I', target);
		plan := plan_of(q);
		EXIT WHEN lines_matching(substring(plan from 'Parallel Seq Scan.*'),
								 'Worker [01]: +actual rows=[1-9]') = 2;
	END LOOP;
	RETURN plan;
END $$;

SELECT plan_two_workers($q$CREATE TEMP TABLE par_profile AS
	SELECT vic.profile_agg(firm_id, industry, region, location, weight) AS p FROM big.firm$q$, 'par_profile') AS plan \gset
SELECT lines_matching(:'plan', 'Partial Aggregate') = 1 AND lines_matching(:'plan', 'Finalize Aggregate') = 1
	   AND lines_matching(:'plan', 'Gather') = 1 AND lines_matching(:'plan', 'Workers Launched: 2') = 1
	   AND lines_matching(substring(:'plan' from 'Parallel Seq Scan.*'), 'Worker [01]: +actual rows=[1-9]') = 2,
	   'profile_agg runs as Finalize Aggregate <- Gather <- Partial Aggregate with 2 workers that both scanned rows';
SELECT '#', l FROM regexp_split_to_table(:'plan', E'\n') l WHERE l ~ '(Aggregate|Gather|Workers|Worker [0-9]|Seq Scan)';
SELECT same_profile(s.p, p.p), 'parallel profile_agg equals the serial result'
FROM ser_profile s, par_profile p;
SELECT '#', format('parallel vs serial profile: text bit-identical in full: %s; without location: %s; %s members, %s bytes of text',
				   s.p::text = p.p::text, sans_location(s.p) = sans_location(p.p),
				   vic.member_count(s.p), length(s.p::text))
FROM ser_profile s, par_profile p;
SELECT close_to(vic.hhi(s.p), vic.hhi(p.p)) AND close_to(vic.entropy(s.p, 'region'), vic.entropy(p.p, 'region'))
	   AND close_to(vic.standard_distance(s.p), vic.standard_distance(p.p)),
	   'parallel profile: hhi, regional entropy, standard distance equal the serial ones within 1e-12'
FROM ser_profile s, par_profile p;

SELECT plan_two_workers($q$CREATE TEMP TABLE par_graph AS
	SELECT vic.graph_agg(src, dst, weight) AS g FROM big.edge$q$, 'par_graph') AS plan \gset
SELECT lines_matching(:'plan', 'Partial Aggregate') = 1 AND lines_matching(:'plan', 'Finalize Aggregate') = 1
	   AND lines_matching(:'plan', 'Gather') = 1 AND lines_matching(:'plan', 'Workers Launched: 2') = 1
	   AND lines_matching(substring(:'plan' from 'Parallel Seq Scan.*'), 'Worker [01]: +actual rows=[1-9]') = 2,
	   'graph_agg runs as Finalize Aggregate <- Gather <- Partial Aggregate with 2 workers that both scanned rows';
SELECT s.g::text = p.g::text AND s.g OPERATOR(vic.=) p.g, 'parallel graph_agg equals the serial result (text identical)'
FROM ser_graph s, par_graph p;
SELECT bool_and(a.pagerank = b.pagerank) AND count(*) = vic.node_count((SELECT g FROM ser_graph)),
	   'PageRank of the parallel graph is identical to that of the serial graph'
FROM vic.pagerank((SELECT g FROM ser_graph)) a FULL JOIN vic.pagerank((SELECT g FROM par_graph)) b USING (node);

SELECT plan_two_workers($q$CREATE TEMP TABLE par_grouped AS
	SELECT cluster_id, vic.profile_agg(firm_id, industry, region, location, weight) AS p
	FROM big.firm GROUP BY cluster_id$q$, 'par_grouped') AS plan \gset
SELECT lines_matching(:'plan', 'Partial (Hash|Group)Aggregate') = 1
	   AND lines_matching(:'plan', 'Finalize (Hash|Group)Aggregate') = 1
	   AND lines_matching(:'plan', 'Workers Launched: 2') = 1
	   AND lines_matching(substring(:'plan' from 'Parallel Seq Scan.*'), 'Worker [01]: +actual rows=[1-9]') = 2,
	   'grouped profile_agg runs as Finalize <- Gather <- Partial (Hash|Group)Aggregate with 2 workers that both scanned rows';
SELECT '#', l FROM regexp_split_to_table(:'plan', E'\n') l WHERE l ~ '(Aggregate|Gather|Workers|Worker [0-9]|Seq Scan)';
SELECT count(*) = 8 AND bool_and(same_profile(s.p, p.p)),
	   'parallel grouped profiles equal the serial ones for all 8 clusters'
FROM ser_grouped s FULL JOIN par_grouped p USING (cluster_id);
