-- pgTAP: every vic.profile is the same bytes whatever the plan and the merge
-- order: sums are exact and rounded once (src/xsum.h).  Expected values: the
-- exact sum of the doubles 0.1, 0.2 and 0.3 is 0.6000000000000000055511151231257827...
-- (their decimal expansions), whose nearest double is 0.6, leaving
-- 2^-55 = 2.7755575615628914e-17; Python's math.fsum([0.1, 0.2, 0.3]) (correctly rounded
-- by Shewchuk's algorithm) also gives 0.6, where left-to-right addition gives 0.6000000000000001.
BEGIN;
SET search_path = vic, public;
SELECT plan(19);

SELECT is(total_weight(profile_agg(1, 'C1311', 'A', w)), 0.6::float8,
          'a repeated member: 0.1 + 0.2 + 0.3 rounds once to 0.6 (math.fsum)')
FROM (VALUES (0.1::float8), (0.2), (0.3)) v(w);
SELECT is(profile_agg(1, 'C1311', 'A', w)::text,
          '{"members":[[1,"C1311",[0.6,2.7755575615628914e-17],false]],"cells":[["A","C1311",[0.6,2.7755575615628914e-17]]],"location":[0,0,0,0]}',
          'the text form keeps the exact sum as its canonical parts [c1, c2]')
FROM (VALUES (0.3::float8), (0.1), (0.2)) v(w);
-- 1e16 + 1 + 1 (three members, one cell): 10000000000000002 exactly; sequential addition gives 1e16
SELECT is(total_weight(p), 1e16::float8 + 2, 'cell 1e16 + 1 + 1 is exact (sequential addition loses both ones)')
FROM (SELECT profile_agg(id, 'C1311', 'A', w) p FROM (VALUES (1, 1e16::float8), (2, 1), (3, 1)) v(id, w)) s;

-- any order of rows, any split into partial profiles: the same bytes (a regular
-- table: parallel workers cannot scan temporary tables)
CREATE TABLE fx AS
SELECT id,
       (CASE id % 4 WHEN 0 THEN 'C1311' WHEN 1 THEN 'C3841' WHEN 2 THEN 'C2611' ELSE 'I6510' END)::vic.industry AS ind,
       'R' || (id % 23) AS reg,
       ST_SetSRID(ST_MakePoint(((id * 7.31) % 340) - 170, ((id * 3.7) % 160) - 80), 4326)::geography AS loc,
       ((id * 2654435761) % 1000003) / 997.0 + (id % 5) * 1e-9 AS w
FROM generate_series(1, 60000) id;
INSERT INTO fx SELECT id, ind, reg, loc, w / 3 FROM fx WHERE id % 11 = 0;   -- repeated members
ANALYZE fx;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE ref AS SELECT profile_agg(id, ind, reg, loc, w)::text AS t, profile_agg(id, ind, reg, w)::text AS t4 FROM fx;
CREATE TEMP TABLE ref_reg AS SELECT reg, profile_agg(id, ind, reg, loc, w)::text AS t FROM fx GROUP BY reg;
CREATE FUNCTION pg_temp.plan_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  r text := '';
  l text;
BEGIN
  FOR l IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
    r := r || l || E'\n';
  END LOOP;
  RETURN r;
END $$;

SELECT ok((SELECT t FROM ref) LIKE '%"location":[[%', 'the reference has location moments with further parts');
SELECT is(profile_agg(id, ind, reg, loc, w ORDER BY w)::text, (SELECT t FROM ref), 'rows by weight: same text') FROM fx;
SELECT is(profile_agg(id, ind, reg, loc, w ORDER BY id DESC, w)::text, (SELECT t FROM ref), 'rows in reverse: same text') FROM fx;
SELECT is(profile_agg(id, ind, reg, w ORDER BY md5(id::text))::text, (SELECT t4 FROM ref), 'shuffled rows, four-argument form: same text') FROM fx;
SELECT is(merge_agg(p ORDER BY k DESC)::text, (SELECT t FROM ref), 'merge of 7 partial profiles: same text')
FROM (SELECT id % 7 AS k, profile_agg(id, ind, reg, loc, w) p FROM fx GROUP BY 1) s;
SELECT is(merge_agg(p ORDER BY md5(k::text))::text, (SELECT t FROM ref), 'merge of 101 partial profiles by region and id: same text')
FROM (SELECT (id % 101) AS k, profile_agg(id, ind, reg, loc, w) p FROM fx GROUP BY 1) s;
SELECT is((SELECT p1 || p2 FROM (SELECT profile_agg(id, ind, reg, loc, w) FILTER (WHERE id % 2 = 0) p1,
                                       profile_agg(id, ind, reg, loc, w) FILTER (WHERE id % 2 = 1) p2 FROM fx) s)::text,
          (SELECT t FROM ref), 'a || b of two halves: same text');
SELECT is((SELECT t FROM ref)::vic.profile::text, (SELECT t FROM ref), 'text with parts round-trips');
SELECT ok((SELECT t FROM ref)::vic.profile OPERATOR(vic.=) (SELECT profile_agg(id, ind, reg, loc, w ORDER BY w DESC) FROM fx),
          '= : the profile of the same rows in another order is equal');
SELECT ok((SELECT t FROM ref)::vic.profile OPERATOR(vic.<>) (SELECT profile_agg(id, ind, reg, loc, w) FROM fx WHERE id > 1),
          '<> : one member fewer is a different profile');
SELECT ok(NOT ((SELECT t FROM ref)::vic.profile OPERATOR(vic.=)
               (SELECT profile_agg(id, ind, reg, loc, w + CASE WHEN id = 7 THEN 1e-9 ELSE 0 END) FROM fx)),
          '= : a weight off by 1e-9 makes profiles unequal');
SELECT is(profile_recv_roundtrip, true, 'binary with parts round-trips') FROM
  (SELECT profile_send((SELECT t FROM ref)::vic.profile) = profile_send((SELECT t FROM ref)::vic.profile::text::vic.profile) AS profile_recv_roundtrip) s;

-- a forced parallel plan gives the serial bytes
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT ok(pg_temp.plan_of('SELECT vic.profile_agg(id, ind, reg, loc, w) FROM fx') ~ 'Partial Aggregate',
          'the plan is parallel');
SELECT is(profile_agg(id, ind, reg, loc, w)::text, (SELECT t FROM ref), 'parallel plan: same text as the serial plan') FROM fx;
SELECT ok(pg_temp.plan_of('SELECT reg, vic.profile_agg(id, ind, reg, loc, w) FROM fx GROUP BY reg') ~ 'Partial',
          'the grouped plan is parallel');
SELECT is((SELECT string_agg(p::text, '|' ORDER BY reg) FROM (SELECT reg, profile_agg(id, ind, reg, loc, w) p FROM fx GROUP BY reg) s),
          (SELECT string_agg(t, '|' ORDER BY reg) FROM ref_reg), 'per-region profiles: parallel plan = serial plan');

SELECT * FROM finish();
ROLLBACK;
