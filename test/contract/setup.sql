-- test/contract/setup.sql: the wrapper aggregates of vic_contract.so (loaded by absolute path, psql
-- variable :so), the check function contract.compare and the edge-case tables.  Run by
-- test/contract/run.sh in the database vic_contract after the sample economy is generated.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS contract CASCADE;
CREATE SCHEMA contract;

-- The same SQL signatures as Citus's pg_catalog.worker_partial_agg / coord_combine_agg
-- (citus--9.0-2--9.1-1.sql): internal state, non-strict transition functions, a cstring partial
-- result, and on the coordinator a null tag of the aggregate's result type with FINALFUNC_EXTRA.
CREATE FUNCTION contract.partial_agg_sfunc(internal, oid, anyelement) RETURNS internal
AS :'so', 'contract_partial_sfunc' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION contract.partial_agg_ffunc(internal) RETURNS cstring
AS :'so', 'contract_partial_ffunc' LANGUAGE C PARALLEL SAFE;
CREATE AGGREGATE contract.partial_agg(oid, anyelement) (
	STYPE = internal,
	SFUNC = contract.partial_agg_sfunc,
	FINALFUNC = contract.partial_agg_ffunc
);
COMMENT ON AGGREGATE contract.partial_agg(oid, anyelement) IS
	'worker side of the Citus contract: the inner aggregate''s state as text (its argument, or ROW() of its arguments)';

CREATE FUNCTION contract.combine_agg_sfunc(internal, oid, cstring, anyelement) RETURNS internal
AS :'so', 'contract_combine_sfunc' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION contract.combine_agg_ffunc(internal, oid, cstring, anyelement) RETURNS anyelement
AS :'so', 'contract_combine_ffunc' LANGUAGE C PARALLEL SAFE;
CREATE AGGREGATE contract.combine_agg(oid, cstring, anyelement) (
	STYPE = internal,
	SFUNC = contract.combine_agg_sfunc,
	FINALFUNC = contract.combine_agg_ffunc,
	FINALFUNC_EXTRA
);
COMMENT ON AGGREGATE contract.combine_agg(oid, cstring, anyelement) IS
	'coordinator side of the Citus contract: parse, combine and finalise partial states; the third argument is NULL::result type';

-- The aggregates the checks covered (contract.compare records each), for the coverage check.
CREATE TABLE contract.covered (agg regprocedure PRIMARY KEY);

-- compare(agg, args, src, grp, shard, k, strategy): the aggregate agg over the rows of
-- "FROM src", grouped by grp (NULL = ungrouped), computed
--   directly:      SELECT grp, agg(args) FROM src GROUP BY grp
--   and as Citus would: for each shard i < k, SELECT grp, partial_agg(agg, ROW(args)) FROM src
--                  WHERE shard % k = i GROUP BY grp (one aggregate per shard), the partial texts
--                  stored as the coordinator's intermediate result, then
--                  SELECT grp, combine_agg(agg, part, NULL::result) FROM parts GROUP BY grp.
-- k = 1 runs the worker query without a shard filter, so its rows reach the aggregate in the
-- same order as the direct query's.  strategy: plain (ungrouped), hash or sort (forced with
-- enable_sort / enable_hashagg; the plans are checked with EXPLAIN).  Both results are compared
-- as text, bit for bit, per group.  An error of the direct query must be matched by an error of
-- the same SQLSTATE on the contract path.  Returns (ok, detail).
CREATE FUNCTION contract.compare(agg regprocedure, args text, src text, grp text, shard text,
								 k int, strategy text, OUT ok bool, OUT detail text)
LANGUAGE plpgsql
AS $fn$
DECLARE
	fname text;
	nargs int;
	restype text;
	argform text;
	gsel text := CASE WHEN grp IS NULL THEN 'NULL::text' ELSE format('(%s)::text', grp) END;
	gby text := CASE WHEN grp IS NULL THEN '' ELSE ' GROUP BY 1' END;
	q_direct text;
	q_parts text := '';
	q_coord text;
	plan text;
	want text;
	other text;
	d_err text;
	d_state text;
	c_err text;
	c_state text;
	n_d bigint;
	n_c bigint;
	n_bad bigint;
	bad record;
	pos int;
	lo int;
	hi int;
	mid int;
BEGIN
	SELECT quote_ident(n.nspname) || '.' || quote_ident(p.proname), p.pronargs,
		   format_type(p.prorettype, NULL)
	INTO fname, nargs, restype
	FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.oid = agg;
	INSERT INTO contract.covered VALUES (agg) ON CONFLICT DO NOTHING;
	argform := CASE WHEN nargs = 1 THEN args ELSE format('ROW(%s)', args) END;

	PERFORM set_config('max_parallel_workers_per_gather', '0', true);
	PERFORM set_config('jit', 'off', true);
	IF strategy = 'hash' THEN
		PERFORM set_config('enable_sort', 'off', true);
		PERFORM set_config('enable_hashagg', 'on', true);
		want := 'HashAggregate';
		other := 'GroupAggregate';
	ELSIF strategy = 'sort' THEN
		PERFORM set_config('enable_sort', 'on', true);
		PERFORM set_config('enable_hashagg', 'off', true);
		want := 'GroupAggregate';
		other := 'HashAggregate';
	ELSE
		want := 'Aggregate';
	END IF;

	q_direct := format('SELECT %s AS g, (%s(%s))::text AS r FROM %s%s', gsel, fname, args, src, gby);
	FOR i IN 0 .. k - 1 LOOP
		q_parts := q_parts || CASE WHEN i > 0 THEN ' UNION ALL ' ELSE '' END ||
			format('(SELECT %s AS shard, %s AS g, (contract.partial_agg(%s::oid, %s))::text AS part FROM %s%s%s)',
				   i, gsel, agg::oid, argform, src,
				   CASE WHEN k = 1 THEN ''
						WHEN src ~* '\mwhere\M' THEN format(' AND coalesce(abs(%s) %% %s, 0) = %s', shard, k, i)
						ELSE format(' WHERE coalesce(abs(%s) %% %s, 0) = %s', shard, k, i) END,
				   CASE WHEN grp IS NULL THEN '' ELSE ' GROUP BY 2' END);
	END LOOP;
	q_coord := format('SELECT %s AS g, (contract.combine_agg(%s::oid, part::cstring, NULL::%s))::text AS r FROM contract_parts%s',
					  CASE WHEN grp IS NULL THEN 'NULL::text' ELSE 'g' END, agg::oid, restype, gby);

	-- the plans: every aggregation node of the chosen strategy, no parallel (partial) ones
	FOREACH plan IN ARRAY ARRAY[q_direct, q_parts] LOOP
		SELECT string_agg(l, E'\n') INTO plan FROM contract.explain(plan) l;
		IF plan ~ 'Partial|Finalize' OR
		   (want = 'HashAggregate' AND (plan !~ 'HashAggregate' OR plan ~ 'GroupAggregate')) OR
		   (want = 'GroupAggregate' AND (plan !~ 'GroupAggregate' OR plan ~ 'HashAggregate')) OR
		   (want = 'Aggregate' AND (plan !~ '\mAggregate' OR plan ~ 'HashAggregate|GroupAggregate')) THEN
			ok := false;
			detail := format('the plan is not %s: %s', want, replace(plan, E'\n', ' / '));
			RETURN;
		END IF;
	END LOOP;

	SET LOCAL client_min_messages = warning;
	DROP TABLE IF EXISTS contract_direct, contract_parts, contract_combined;
	-- the stage reaches psql at once, so that run.sh can tell where a backend crashed
	RAISE WARNING 'contract stage: direct aggregate';
	BEGIN
		EXECUTE 'CREATE TEMP TABLE contract_direct ON COMMIT DROP AS ' || q_direct;
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS d_state = RETURNED_SQLSTATE, d_err = MESSAGE_TEXT;
	END;
	RAISE WARNING 'contract stage: worker partial aggregates';
	BEGIN
		EXECUTE 'CREATE TEMP TABLE contract_parts ON COMMIT DROP AS ' || q_parts;
		IF grp IS NOT NULL THEN
			SELECT string_agg(l, E'\n') INTO plan FROM contract.explain(q_coord) l;
			IF plan !~ want OR plan ~ other THEN
				ok := false;
				detail := format('the coordinator plan is not %s: %s', want, replace(plan, E'\n', ' / '));
				RETURN;
			END IF;
		END IF;
		RAISE WARNING 'contract stage: coordinator combine';
		EXECUTE 'CREATE TEMP TABLE contract_combined ON COMMIT DROP AS ' || q_coord;
		RAISE WARNING 'contract stage: comparison';
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS c_state = RETURNED_SQLSTATE, c_err = MESSAGE_TEXT;
	END;

	IF d_state IS NOT NULL OR c_state IS NOT NULL THEN
		ok := d_state IS NOT DISTINCT FROM c_state;
		detail := format('direct: %s; contract: %s',
						 coalesce(d_state || ' ' || d_err, 'no error'),
						 coalesce(c_state || ' ' || c_err, 'no error'));
		RETURN;
	END IF;

	SELECT count(*) INTO n_d FROM contract_direct;
	SELECT count(*) INTO n_c FROM contract_combined;
	SELECT count(*) INTO n_bad
	FROM contract_direct d FULL JOIN contract_combined c
		 ON coalesce(d.g, E'\x01') = coalesce(c.g, E'\x01')
	WHERE d.r IS DISTINCT FROM c.r OR d.g IS DISTINCT FROM c.g;
	ok := n_bad = 0 AND n_d = n_c;
	detail := format('%s groups', n_d);
	IF ok THEN
		RETURN;
	END IF;

	-- the first differing group: where its texts part, and whether only digits differ
	SELECT d.g AS dg, c.g AS cg, d.r AS dr, c.r AS cr INTO bad
	FROM contract_direct d FULL JOIN contract_combined c
		 ON coalesce(d.g, E'\x01') = coalesce(c.g, E'\x01')
	WHERE d.r IS DISTINCT FROM c.r OR d.g IS DISTINCT FROM c.g
	ORDER BY coalesce(d.g, c.g) LIMIT 1;
	detail := format('%s of %s groups differ (contract path: %s groups)', n_bad, n_d, n_c);
	IF bad.dr IS NULL OR bad.cr IS NULL THEN
		detail := detail || format('; group %s: direct %s, contract %s', coalesce(bad.dg, bad.cg),
								   coalesce(left(bad.dr, 60), 'NULL'), coalesce(left(bad.cr, 60), 'NULL'));
		RETURN;
	END IF;
	-- the longest common prefix, by bisection (the texts can be megabytes)
	lo := 0;
	hi := least(length(bad.dr), length(bad.cr));
	WHILE lo < hi LOOP
		mid := (lo + hi + 1) / 2;
		IF left(bad.dr, mid) = left(bad.cr, mid) THEN lo := mid; ELSE hi := mid - 1; END IF;
	END LOOP;
	pos := lo + 1;
	detail := detail || format('; group %s: lengths %s / %s, first difference at char %s: direct ...%s... contract ...%s...; %s',
		coalesce(bad.dg, '(all)'), length(bad.dr), length(bad.cr), pos,
		substr(bad.dr, greatest(1, pos - 30), 60), substr(bad.cr, greatest(1, pos - 30), 60),
		CASE WHEN regexp_replace(bad.dr, '[-+0-9.eE]+', '#', 'g') = regexp_replace(bad.cr, '[-+0-9.eE]+', '#', 'g')
			 THEN 'only numbers differ' ELSE 'the structure differs' END);
END;
$fn$;

CREATE FUNCTION contract.explain(q text) RETURNS SETOF text
LANGUAGE plpgsql AS $fn$
BEGIN
	RETURN QUERY EXECUTE 'EXPLAIN (COSTS OFF) ' || q;
END;
$fn$;

-- Hand-made edge cases.  Profile rows: NULL member, NULL industry, NULL region, NULL location,
-- zero weight, one member in two industries, a repeated (member, industry), a second scheme is
-- not mixed in (schemes must agree).
CREATE TABLE contract.edge_firm (firm_id bigint, industry vic.industry, province text,
								 location geography, employees float8);
INSERT INTO contract.edge_firm VALUES
	(1, 'C3841', 'Fujian', 'SRID=4326;POINT(119.55 26.66)', 120),
	(2, 'C3841', 'Fujian', NULL, 35),
	(NULL, 'C3841', 'Fujian', 'SRID=4326;POINT(119.5 26.6)', 10),
	(3, NULL, 'Jiangsu', 'SRID=4326;POINT(119.95 31.78)', 10),
	(4, 'C3670', NULL, 'SRID=4326;POINT(119.95 31.78)', 77.5),
	(5, 'C3670', 'Jiangsu', 'SRID=4326;POINT(120.3 31.5)', 0),
	(6, 'C3973', 'Jiangsu', 'SRID=4326;POINT(120.3 31.57)', 12.25),
	(6, 'C3982', 'Jiangsu', 'SRID=4326;POINT(120.3 31.57)', 3.75),
	(7, 'C3922', 'Guangdong', NULL, 1e6),
	(7, 'C3922', 'Guangdong', NULL, 0.1),
	(8, 'C3922', NULL, NULL, 2),
	(NULL, NULL, NULL, NULL, NULL),
	(9, 'C3985', 'Sichuan', 'SRID=4326;POINT(103.77 29.55)', 1.5);
CREATE TABLE contract.one_firm AS SELECT * FROM contract.edge_firm WHERE firm_id = 1;
CREATE TABLE contract.bad_firm AS
	SELECT * FROM contract.edge_firm WHERE firm_id IS NOT NULL AND industry IS NOT NULL
	UNION ALL SELECT 10, 'C3841', 'Fujian', NULL, -1;

-- Graph rows: NULL ends, parallel edges, a self loop, zero weight.
CREATE TABLE contract.edge_link (src bigint, dst bigint, weight float8);
INSERT INTO contract.edge_link VALUES
	(1, 2, 1.5), (1, 2, 2.25), (2, 3, 0), (3, 3, 4), (NULL, 4, 1), (4, NULL, 1), (NULL, NULL, 7),
	(5, 1, 0.1), (6, 1, 1e9), (2, 6, 3);
CREATE TABLE contract.one_link AS SELECT * FROM contract.edge_link WHERE src = 5;
CREATE TABLE contract.bad_link AS SELECT * FROM contract.edge_link WHERE src IS NOT NULL AND dst IS NOT NULL
	UNION ALL SELECT 7, 8, NULL;

-- Summaries to merge: profiles per (cluster, province) and graphs per (kind, bucket), each with a
-- NULL summary among them.
CREATE TABLE contract.cluster_profile AS
	SELECT m.cluster_id, f.province,
		   vic.profile_agg(f.firm_id, f.industry, f.province, f.location, f.employees) AS p
	FROM vic_sample.membership m JOIN vic_sample.firm f USING (firm_id)
	GROUP BY 1, 2;
INSERT INTO contract.cluster_profile VALUES (0, 'Beijing', NULL);
CREATE TABLE contract.graph_part AS
	SELECT kind, src % 7 AS bucket, vic.graph_agg(src, dst, weight) AS g
	FROM vic_sample.link GROUP BY 1, 2;
INSERT INTO contract.graph_part VALUES ('supply', 99, NULL);
CREATE TABLE contract.points_part AS
	SELECT province, firm_id % 5 AS bucket, vic.points_agg(firm_id, location, employees) AS p
	FROM vic_sample.firm GROUP BY 1, 2;
INSERT INTO contract.points_part VALUES ('Beijing', 99, NULL);
ANALYZE contract.edge_firm, contract.one_firm, contract.bad_firm, contract.edge_link,
	contract.one_link, contract.bad_link, contract.cluster_profile, contract.graph_part,
	contract.points_part;

-- The crash probe of run.sh: an unlogged table is emptied by the recovery after any backend crash.
CREATE UNLOGGED TABLE contract.alive (one int);
INSERT INTO contract.alive VALUES (1);

-- links: per (kind, bucket) summaries of the sample's links, for merge_agg(vic.links)
CREATE TABLE contract.links_part AS
SELECT l.kind, l.src % 7 AS bucket,
       vic.links_agg(a.province, b.province, a.location::geography, b.location::geography, l.weight) AS s
FROM vic_sample.link l JOIN vic_sample.firm a ON a.firm_id = l.src JOIN vic_sample.firm b ON b.firm_id = l.dst
GROUP BY 1, 2;
