-- pgTAP: vic.iotable - the summary (aggregates, merging, exactness, text and binary I/O), NULLs,
-- empty input, bad input and error codes.  Worked examples with published or hand-computed
-- numbers are in iotable_exact.sql.
BEGIN;
SELECT plan(74);
SET LOCAL search_path = vic, public;
SET LOCAL extra_float_digits = 0;
SET LOCAL client_min_messages = warning;

-- Binary input is reached through COPY ... (FORMAT binary): a bytea written out with COPY is read
-- back as a vic.iotable, so any byte string can be fed to vic.iotable_recv.
CREATE FUNCTION pg_temp.recv(payload bytea) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    f text := current_setting('data_directory') || '/vic_iotable_recv_test.bin';
    r text;
BEGIN
    CREATE TEMP TABLE IF NOT EXISTS recv_in (b bytea);
    CREATE TEMP TABLE IF NOT EXISTS recv_out (t vic.iotable);
    TRUNCATE recv_in; TRUNCATE recv_out;
    INSERT INTO recv_in VALUES (payload);
    EXECUTE format('COPY recv_in TO %L (FORMAT binary)', f);
    EXECUTE format('COPY recv_out FROM %L (FORMAT binary)', f);
    SELECT t::text INTO r FROM recv_out;
    RETURN r;
END $$;

CREATE FUNCTION pg_temp.plan_has(q text, node text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    FOR r IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
        IF r."QUERY PLAN" LIKE '%' || node || '%' THEN
            RETURN true;
        END IF;
    END LOOP;
    RETURN false;
END $$;

-- The two plain tables a user holds: Miller & Blair (2009), Table 2.3.
CREATE TEMP TABLE flow (from_sector text, to_sector text, value float8);
INSERT INTO flow VALUES ('1', '1', 150), ('1', '2', 500), ('2', '1', 200), ('2', '2', 100);
CREATE TEMP TABLE account (sector text, total_output float8, final_demand float8, exports float8,
                           imports float8, value_added float8);
INSERT INTO account VALUES ('1', 1000, 350, NULL, NULL, 650), ('2', 2000, 1700, NULL, NULL, 1400);
CREATE TEMP TABLE mb AS
SELECT (SELECT iotable_agg(from_sector, to_sector, value) FROM flow)
       || (SELECT iotable_accounts_agg(sector, total_output, final_demand, exports, imports, value_added)
           FROM account) AS t;

-- ---------------------------------------------------------------- the summary
SELECT is((SELECT t::text FROM mb),
          '{"1".value_added:650,"1".final_demand:350,"1".total_output:1000,"1"->"1":150,"1"->"2":500,"2".value_added:1400,"2".final_demand:1700,"2".total_output:2000,"2"->"1":200,"2"->"2":100}',
          'flows || accounts: the canonical text form');
SELECT is((SELECT sector_count(t) FROM mb), 2, 'sector_count');
SELECT results_eq($$SELECT * FROM iotable_flows((SELECT t FROM mb))$$,
                  $$VALUES ('1'::text, '1'::text, 150::float8), ('1', '2', 500), ('2', '1', 200), ('2', '2', 100)$$,
                  'iotable_flows lists the flows in key order');
SELECT results_eq($$SELECT sector, total_output, final_demand, exports, value_added, income FROM iotable_sectors((SELECT t FROM mb))$$,
                  $$VALUES ('1'::text, 1000::float8, 350::float8, NULL::float8, 650::float8, NULL::float8),
                           ('2', 2000, 1700, NULL, 1400, NULL)$$,
                  'iotable_sectors: accounts, NULL where not given');
SELECT ok((SELECT t::text::iotable = t FROM mb), 'text round-trips');
SELECT ok((SELECT pg_temp.recv(iotable_send(t)) = t::text FROM mb), 'binary round-trips');
SELECT ok((SELECT t = (SELECT iotable_accounts_agg(sector, total_output, final_demand, exports, imports, value_added) FROM account)
                      || (SELECT iotable_agg(from_sector, to_sector, value) FROM flow) FROM mb),
          'a || b = b || a');
SELECT ok((SELECT (SELECT merge_agg(x) FROM (SELECT iotable_agg(from_sector, to_sector, value) AS x FROM flow GROUP BY from_sector
                   UNION ALL SELECT iotable_accounts_agg(sector, total_output, final_demand, exports, imports, value_added) FROM account GROUP BY sector) s)
                  = t FROM mb), 'merge_agg of per-sector partials equals the whole');
SELECT ok((SELECT t <> '{"1"->"1":150}'::iotable FROM mb), '<> on different tables');
SELECT is('{"b"->"a":1,"a"->"b":2,"a"->"b":3}'::iotable::text, '{"a"->"b":5,"b"->"a":1}',
          'repeated keys are summed; output in key order');
SELECT is('{"a"->"b":1,"a"->"b":-1}'::iotable::text, '{"a","b"}', 'a flow summing to zero is not stored, its sectors are');
SELECT is('{"a".final_demand:0}'::iotable::text, '{"a".final_demand:0}', 'a given zero account is kept (given differs from missing)');
SELECT is('{"x\"y\\z"->"é":1}'::iotable::text, '{"x\"y\\z"->"é":1}', 'quotes, backslashes and non-ASCII names round-trip');
SELECT is('{"BJ.C13"->"SH.C13":2}'::iotable::text, '{"BJ.C13"->"SH.C13":2}', 'region-qualified keys are plain text keys');

-- ---------------------------------------------------------------- exactness: any order, any plan
CREATE TEMP TABLE tiny (i int, a text, b text, v float8);
INSERT INTO tiny VALUES (1, 'p', 'q', 0.1), (2, 'p', 'q', 0.2), (3, 'p', 'q', 0.3), (4, 'q', 'p', 1e100),
                        (5, 'q', 'p', 1), (6, 'q', 'p', -1e100);
-- expected: the exact rational sum of the three doubles, rounded (c1) and the rest (c2), by Python fractions
SELECT is((SELECT iotable_agg(a, b, v ORDER BY i)::text FROM tiny),
          '{"p"->"q":0.6~2.7755575615628914e-17,"q"->"p":1}',
          'exact sums: 0.1 + 0.2 + 0.3 with its residual part, 1e100 + 1 - 1e100 = 1');
SELECT ok((SELECT iotable_agg(a, b, v ORDER BY i) = iotable_agg(a, b, v ORDER BY -i) FROM tiny),
          'the same bytes in reverse row order');
SELECT ok((SELECT iotable_agg(a, b, v ORDER BY i)::text::iotable = iotable_agg(a, b, v ORDER BY -i) FROM tiny),
          'a value with residual parts round-trips through text');
SELECT ok((SELECT pg_temp.recv(iotable_send(iotable_agg(a, b, v))) = iotable_agg(a, b, v)::text FROM tiny),
          'a value with residual parts round-trips through binary');
SELECT ok((SELECT (x || y) || z = x || (y || z) FROM
            (SELECT iotable_agg(a, b, v) FILTER (WHERE i <= 2) x, iotable_agg(a, b, v) FILTER (WHERE i IN (3, 4)) y,
                    iotable_agg(a, b, v) FILTER (WHERE i >= 5) z FROM tiny) s),
          '|| is associative bit for bit');
SELECT is((SELECT iotable_agg(a, b, v) FROM tiny WHERE false), NULL, 'iotable_agg over no rows is NULL');
SELECT is((SELECT iotable_agg(a, b, v)::text FROM (VALUES (NULL::text, 'b'::text, 1::float8), ('a', NULL, 2)) s(a, b, v)), NULL,
          'rows with a NULL sector are skipped');
SELECT is((SELECT merge_agg(t)::text FROM (VALUES (NULL::iotable), ('{"a"->"b":1}')) s(t)), '{"a"->"b":1}', 'merge_agg skips NULL');
SELECT is(('{"a"->"b":1}'::iotable || NULL::iotable)::text, NULL, 't || NULL is NULL');
SELECT is(('{}'::iotable || '{"a"->"b":1}'::iotable)::text, '{"a"->"b":1}', 'the empty table is the identity of ||');

-- a parallel plan gives the same bytes as a serial one
-- (a plain table: temporary tables are never scanned in parallel; the transaction rolls back)
CREATE TABLE iotable_test_big AS
SELECT (i % 37)::text AS a, (i % 41)::text AS b, (i % 1000) * 0.001 + 0.1 AS v, i FROM generate_series(1, 60000) i;
ANALYZE iotable_test_big;
CREATE TEMP TABLE serial_t AS SELECT iotable_agg(a, b, v) AS t FROM iotable_test_big;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SELECT ok(pg_temp.plan_has('SELECT vic.iotable_agg(a, b, v) FROM iotable_test_big', 'Partial Aggregate'), 'the plan aggregates in parallel workers');
SELECT ok((SELECT iotable_agg(a, b, v) FROM iotable_test_big) = (SELECT t FROM serial_t), 'a parallel plan gives the serial bytes');
RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size;

-- ---------------------------------------------------------------- values: NULL, NaN, infinity
SELECT throws_ok($$SELECT iotable_agg('a', 'b', NULL::float8)$$, '22023', 'null value for flow "a" -> "b"',
                 'a NULL flow value is 22023');
SELECT throws_ok($$SELECT iotable_agg('a', 'b', 'NaN'::float8)$$, '22023', 'invalid value NaN for flow "a" -> "b"', 'NaN flow');
SELECT throws_ok($$SELECT iotable_agg('a', 'b', '-Infinity'::float8)$$, '22023', 'invalid value -Infinity for flow "a" -> "b"',
                 '-Infinity flow');
SELECT throws_ok($$SELECT iotable_accounts_agg('a', 'Infinity'::float8, NULL, NULL, NULL, NULL)$$, '22023',
                 'invalid value Infinity for total_output of sector "a"', 'infinite account');
SELECT throws_ok($$SELECT iotable_agg('a', 'b', v) FROM (VALUES (1.5e308::float8), (1.5e308)) s(v)$$, '22003',
                 'sum of the values of flow "a" -> "b" is out of range', 'a sum beyond float8 is 22003');
SELECT is((SELECT iotable_accounts_agg(s, x, NULL, NULL, NULL, NULL, 5, NULL)::text FROM (VALUES ('a'::text, NULL::float8)) v(s, x)),
          '{"a".income:5}', 'NULL accounts are not given; income from the eight-argument form');

-- ---------------------------------------------------------------- text input
SELECT throws_ok($$SELECT '{'::iotable$$, '22P02', 'invalid input syntax for type iotable: "{"', 'unterminated');
SELECT throws_ok($$SELECT '{"a"->}'::iotable$$, '22P02', NULL, 'flow without a buyer');
SELECT throws_ok($$SELECT '{a->b:1}'::iotable$$, '22P02', NULL, 'unquoted names');
SELECT throws_ok($$SELECT '{"a".bogus:1}'::iotable$$, '22P02', NULL, 'unknown account');
SELECT throws_ok($$SELECT '{"a".total_outputs:1}'::iotable$$, '22P02', NULL, 'account name with a suffix');
SELECT throws_ok($$SELECT '{"a"->"b":1~1}'::iotable$$, '22P02', NULL, 'parts that are not canonical');
SELECT throws_ok($$SELECT '{"a"->"b":NaN}'::iotable$$, '22023', 'invalid value for flow "a" -> "b"', 'NaN in text');
SELECT throws_ok($$SELECT '{"a"->"b":1} x'::iotable$$, '22P02', NULL, 'trailing garbage');
SELECT throws_ok($$SELECT '{"a\q"->"b":1}'::iotable$$, '22P02', NULL, 'unknown escape');

-- ---------------------------------------------------------------- binary input is hostile
-- version 1, flags 0, 2 names ("a", "b"), 1 cell (0 -> 1, 1.0), 0 residual parts
SELECT is(pg_temp.recv('\x010000000002000000016100000001620000000100000000000000013ff000000000000000000000'::bytea),
          '{"a"->"b":1}', 'a well-formed message');
SELECT throws_ok($$SELECT pg_temp.recv('\x020000000002000000016100000001620000000100000000000000013ff000000000000000000000'::bytea)$$,
                 '22P03', NULL, 'unknown version');
SELECT throws_ok($$SELECT pg_temp.recv('\x010100000002000000016100000001620000000100000000000000013ff000000000000000000000'::bytea)$$,
                 '22P03', NULL, 'unknown flag bits');
SELECT throws_ok($$SELECT pg_temp.recv('\x010000000002000000016200000001610000000100000000000000013ff000000000000000000000'::bytea)$$,
                 '22P03', NULL, 'names not ascending');
SELECT throws_ok($$SELECT pg_temp.recv('\x010000000002000000016100000001620000000100000000000000053ff000000000000000000000'::bytea)$$,
                 '22P03', NULL, 'cell column out of range');
SELECT throws_ok($$SELECT pg_temp.recv('\x01000000000200000001610000000162000000010000000000000001000000000000000000000000'::bytea)$$,
                 '22P03', NULL, 'a stored zero flow');
SELECT throws_ok($$SELECT pg_temp.recv('\x010000000002000000016100000001620000000100000000000000017ff800000000000000000000'::bytea)$$,
                 '22P03', NULL, 'a NaN value');
SELECT throws_ok($$SELECT pg_temp.recv('\x01000000000200000001610000000162000000010000000000000001'::bytea)$$,
                 '22P03', NULL, 'truncated message');
SELECT throws_ok($$SELECT pg_temp.recv('\x0100007fffffff'::bytea)$$, '22P03', NULL, 'a count larger than the message');
SELECT throws_ok($$SELECT pg_temp.recv('\x010000000002000000016100000001620000000100000000000000013ff0000000000000000000013ff0000000000000'::bytea)$$,
                 '22P03', NULL, 'length does not match the counts');

-- ---------------------------------------------------------------- functions: NULL and empty input
SELECT is((SELECT count(*) FROM leontief_inverse(NULL)), 0::bigint, 'leontief_inverse(NULL) is empty');
SELECT is((SELECT count(*) FROM linkages('{}')), 0::bigint, 'linkages of the empty table');
SELECT is((SELECT count(*) FROM technical_coefficients('{}')), 0::bigint, 'technical coefficients of the empty table');
SELECT is((SELECT count(*) FROM io_balance('{}')), 0::bigint, 'io_balance of the empty table');
SELECT is((SELECT count(*) FROM impact('{}', '{"a".final_demand:1}')), 0::bigint, 'impact on the empty table');
SELECT is((SELECT count(*) FROM impact((SELECT t FROM mb), NULL)), 0::bigint, 'impact of a NULL shock is empty');
SELECT is((SELECT count(*) FROM technical_coefficients((SELECT t FROM mb), true)), 4::bigint, 'include_zeros keeps every cell');
SELECT is((SELECT count(*) FROM technical_coefficients('{"a"->"b":1,"a".total_output:2,"b".total_output:2}', true)), 4::bigint,
          'include_zeros lists exact zeros');
SELECT is((SELECT count(*) FROM technical_coefficients('{"a"->"b":1,"a".total_output:2,"b".total_output:2}')), 1::bigint,
          'exact zeros are omitted by default');

-- ---------------------------------------------------------------- errors name the sectors (22023)
SELECT throws_ok($$SELECT * FROM leontief_inverse('{"a"->"a":1,"a".total_output:1,"b"->"b":0.5,"b".total_output:1}')$$,
                 '22023', 'I - A is singular: "a"', 'a singular I - A names the sector without leakage');
SELECT throws_ok($$SELECT * FROM linkages('{"a"->"b":0.6,"b"->"a":0.6,"a"->"a":0.4,"b"->"b":0.4,"a".total_output:1,"b".total_output:1}')$$,
                 '22023', 'I - A is singular: "a", "b"', 'a closed pair of sectors is named');
SELECT throws_ok($$SELECT * FROM linkages('{"a"->"b":1,"a".total_output:1}')$$,
                 '22023', 'sectors on one side of the flows only: "b"', 'a sector that only buys and has no accounts');
SELECT throws_ok($$SELECT * FROM linkages('{"a"->"b":1,"a".total_output:1,"b".value_added:3}')$$,
                 '22023', 'missing accounts: "b"', 'a sector without total output or final demand');
SELECT throws_ok($$SELECT * FROM linkages('{"a"->"b":1,"a".total_output:1,"b".total_output:0}')$$,
                 '22023', 'zero or negative total output: "b"', 'zero total output');
SELECT throws_ok($$SELECT * FROM linkages('{"a"->"b":1,"a".total_output:10,"a".final_demand:8,"b".total_output:-2}')$$,
                 '22023', 'zero or negative total output: "b"', 'negative total output');
SELECT throws_ok($$SELECT * FROM leontief_inverse('{"a"->"b":1,"a".total_output:10,"a".final_demand:8,"b".total_output:10,"b".final_demand:10}')$$,
                 '22023', 'row and column totals disagree with total output: "a"', 'an unbalanced row is named');
SELECT results_eq($$SELECT sector, row_gap, column_gap, balanced FROM io_balance('{"a"->"b":1,"a".total_output:10,"a".final_demand:8,"b".total_output:10,"b".final_demand:10,"b".value_added:9}')$$,
                  $$VALUES ('a'::text, -1::float8, NULL::float8, false), ('b', 0, 0, true)$$,
                  'io_balance reports the gaps instead of failing');
SELECT throws_ok($$SELECT * FROM io_balance('{}', -1)$$, '22023', NULL, 'negative tolerance');
SELECT throws_ok($$SELECT * FROM io_balance('{}', 'NaN')$$, '22023', NULL, 'NaN tolerance');
SELECT throws_ok($$SELECT * FROM impact((SELECT t FROM mb), '{"9".final_demand:1}')$$,
                 '22023', 'shock names sectors the table does not have: "9"', 'a shock on an unknown sector');
SELECT throws_ok($$SELECT * FROM impact((SELECT t FROM mb), '{"1".total_output:1}')$$,
                 '22023', 'the shock has no final_demand account', 'a shock without final demand');
SELECT throws_ok($$SELECT * FROM output_multipliers('{"a"->"b":1,"a".total_output:4,"b".total_output:4,"a".income:1}')$$,
                 '22023', 'missing accounts: income: "b"', 'income given for some sectors only');
SELECT throws_ok($$SELECT * FROM upstreamness('{"a"->"b":1,"a".total_output:4,"b".total_output:4,"a".exports:5}')$$,
                 '22023', 'zero or negative domestic absorption: "a"', 'exports beyond output');

SELECT * FROM finish();
ROLLBACK;
