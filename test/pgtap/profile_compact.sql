-- pgTAP: the stored layouts of vic.profile: version 1 (0.1.0, the committed
-- fixture test/fixtures/profile/v1.hex) is still read, version 2 (compact) is
-- what this build stores, canonical, read whole or by its leading parts, and
-- corrupt version-2 values are refused (XX001) without crashing the server.
\set ON_ERROR_STOP 1
BEGIN;
SET search_path = vic, public;
SELECT plan(34);

-- The stored bytes of a value, in and out, through bytea's own I/O functions
-- declared on vic.profile (test-only; byteaout prints the bytes after the
-- varlena length word, so the first byte printed is the version).
CREATE FUNCTION pg_temp.raw_in(cstring) RETURNS vic.profile LANGUAGE internal IMMUTABLE STRICT AS 'byteain';
CREATE FUNCTION pg_temp.raw_out(vic.profile) RETURNS cstring LANGUAGE internal IMMUTABLE STRICT AS 'byteaout';
-- byte k (from the version byte) of a stored value, as two hex digits
CREATE FUNCTION pg_temp.raw_byte(p vic.profile, k int) RETURNS text LANGUAGE sql IMMUTABLE STRICT
RETURN substr(pg_temp.raw_out(p)::text, 3 + 2 * k, 2);

\set v1hex `cat test/fixtures/profile/v1.hex`
\set v1txt `cat test/fixtures/profile/v1.txt`
CREATE TEMP TABLE v1 AS SELECT pg_temp.raw_in(:'v1hex') AS p;
CREATE TEMP TABLE v2 AS SELECT p::text::vic.profile AS p FROM v1;

-- ------------------------------------------------------------------
-- version 1, as 0.1.0 stored it (test/fixtures/profile/README.md)
-- ------------------------------------------------------------------
SELECT is(pg_temp.raw_byte(p, 0), '01', 'the fixture is a version-1 value') FROM v1;
SELECT is(p::text, :'v1txt', 'a version-1 value reads to the text 0.1.0 printed for it') FROM v1;
-- hand count of the fixture's rows: ids -5, 1, 2, 3, 9e11; 1 and 2 and 3 and 9e11 located
SELECT is(member_count(p), 5::bigint, 'version 1: member_count (header)') FROM v1;
SELECT is(located_count(p), 4::bigint, 'version 1: located_count (header)') FROM v1;
SELECT is(region_count(p), 3, 'version 1: region_count (region table)') FROM v1;
SELECT is((SELECT array_agg(industry::text ORDER BY industry) FROM industry_shares(p)), '{C1311,C1312,C2011,C3911}',
          'version 1: industry table') FROM v1;
SELECT is((SELECT count(*) FROM members(p)), 6::bigint, 'version 1: member entries (member 2 has two industries)') FROM v1;

-- ------------------------------------------------------------------
-- version 2: what this build stores
-- ------------------------------------------------------------------
SELECT is(pg_temp.raw_byte(p, 0), '02', 'a value built by this build is stored as version 2') FROM v2;
SELECT is(v2.p::text, v1.p::text, 'version 2 holds the same content as version 1') FROM v1, v2;
SELECT ok(v1.p = v2.p AND NOT (v1.p <> v2.p), 'a version-1 and a version-2 value of the same content are equal') FROM v1, v2;
SELECT is(profile_send(v2.p), profile_send(v1.p), 'the binary form does not depend on the stored layout') FROM v1, v2;
SELECT is(get_byte(profile_send(p), 0), 1, 'the binary form keeps its own version byte (1)') FROM v2;
SELECT is((v1.p || v2.p)::text, (v2.p || v2.p)::text, 'merging reads both layouts alike') FROM v1, v2;
SELECT is(hhi(v2.p), hhi(v1.p), 'hhi reads the same industry table from both layouts') FROM v1, v2;
SELECT is(hoover_index(v2.p, v2.p || v1.p), hoover_index(v1.p, v1.p || v1.p), 'hoover_index reads the same cells from both layouts') FROM v1, v2;
SELECT is(jaccard(v2.p, v1.p), 1::float8, 'jaccard reads the same members from both layouts') FROM v1, v2;

-- weights the compact coding must escape: beyond 2^53, -0 written as 0, fractional, huge
CREATE TEMP TABLE w AS
SELECT vic.profile_agg(id, 'C1311', 'r', x) AS p
FROM (VALUES (1::bigint, 1e300::float8), (2, 2^60), (3, 0.5), (4, 9007199254740993), (5, 0), (-9223372036854775808, 1),
             (9223372036854775807, 3)) t(id, x);
SELECT is(p::text::vic.profile::text, p::text, 'extreme ids and weights round-trip through version 2') FROM w;
SELECT is((SELECT array_agg(weight ORDER BY member) FROM members(p)),
          '{1,1e300,1152921504606846976,0.5,9007199254740992,0,3}'::float8[], 'extreme weights are stored exactly') FROM w;

-- the empty profile, and one without regions but the NULL one, through version 2
SELECT is(pg_temp.raw_in(pg_temp.raw_out(p))::text, '{"members":[],"cells":[],"location":[0,0,0,0]}', 'the empty profile round-trips through version 2')
FROM (SELECT '{"members":[],"cells":[],"location":[0,0,0,0]}'::vic.profile AS p) e;
SELECT is(p::text, '{"members":[[7,"C1311",2,true]],"cells":[[null,"C1311",2]],"location":[2,0,0,2]}', 'a profile of the NULL region round-trips through version 2')
FROM (SELECT vic.profile_agg(7, 'C1311', NULL, 'POINT(0 90)', 2)::text::vic.profile AS p) n;

-- canonical: the same rows in any order are the same bytes
CREATE TEMP TABLE r AS
SELECT g AS id, (ARRAY['C1311','C1312','C2011','C3911']::vic.industry[])[1 + g % 4] AS ind, 'R' || (g % 7) AS region,
       (1 + (g * 7919) % 97)::float8 AS w
FROM generate_series(1, 20000) g;
SELECT is(pg_temp.raw_out(a.p)::text, pg_temp.raw_out(b.p)::text, 'version 2 is canonical: row order does not change the bytes')
FROM (SELECT vic.profile_agg(id, ind, region, w ORDER BY id) p FROM r) a,
     (SELECT vic.profile_agg(id, ind, region, w ORDER BY hashint8(id)) p FROM r) b;

-- stored (toasted) values: metrics fetch their leading parts, readers of members decode all
CREATE TEMP TABLE s (k int, p vic.profile);
INSERT INTO s SELECT g % 3, vic.profile_agg(id, ind, region, w) FROM r, generate_series(0, 2) g WHERE id % 3 <> g GROUP BY g;
SELECT is((SELECT count(*) FROM s WHERE pg_temp.raw_byte(p, 0) = '02'), 3::bigint, 'stored profiles are version 2');
SELECT is(sum(member_count(p)), 40000::numeric, 'member_count of stored profiles (two thirds of 20000 members each)') FROM s;
SELECT ok(abs(sum(entropy(p)) - 3 * 2) < 0.01, 'entropy of stored profiles: four nearly equal industries, about 2 bits each') FROM s;
SELECT is((SELECT hoover_index(a.p, b.p) FROM s a, s b WHERE a.k = 0 AND b.k = 1),
          (SELECT hoover_index(a.p::text::vic.profile, b.p::text::vic.profile) FROM s a, s b WHERE a.k = 0 AND b.k = 1),
          'hoover_index of stored profiles (cells fetched as a prefix) equals that of values in memory');
-- k = 0 holds ids = 1, 2 (mod 3), k = 1 ids = 0, 2 (mod 3): 6667 of the 20000 ids 1..20000 shared
SELECT is((SELECT jaccard(a.p, b.p) FROM s a, s b WHERE a.k = 0 AND b.k = 1), 6667 / 20000::float8,
          'jaccard of stored profiles (members decoded)');
-- a parallel plan: workers hand their partial states on in the wide form, the leader stores the
-- finished value compact, byte for byte the serial one (integer weights, no locations)
CREATE TABLE vic_compact_par AS SELECT * FROM r;
ANALYZE vic_compact_par;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
CREATE FUNCTION pg_temp.plan(q text) RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN RETURN QUERY EXECUTE 'EXPLAIN (COSTS OFF) ' || q; END $$;
SELECT ok(EXISTS (SELECT 1 FROM pg_temp.plan('SELECT vic.profile_agg(id, ind, region, w) FROM vic_compact_par') l
                  WHERE l LIKE '%Partial Aggregate%'), 'the planner runs profile_agg as a parallel partial aggregate');
CREATE TEMP TABLE par AS SELECT id % 5 AS g, vic.profile_agg(id, ind, region, w) AS p FROM vic_compact_par GROUP BY 1
UNION ALL SELECT -1, vic.profile_agg(id, ind, region, w) FROM vic_compact_par;
SET LOCAL max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE ser AS SELECT id % 5 AS g, vic.profile_agg(id, ind, region, w) AS p FROM vic_compact_par GROUP BY 1
UNION ALL SELECT -1, vic.profile_agg(id, ind, region, w) FROM vic_compact_par;
SELECT is((SELECT count(*) FROM par WHERE pg_temp.raw_byte(p, 0) = '02'), 6::bigint, 'profiles built by a parallel plan are stored as version 2');
SELECT is((SELECT count(*) FROM par JOIN ser USING (g) WHERE pg_temp.raw_out(par.p)::text = pg_temp.raw_out(ser.p)::text), 6::bigint,
          'parallel and serial plans store the same bytes');
-- ids 1..10^4 one apart, one industry, weight 1: almost nothing to code
SELECT ok(pg_column_size(vic.profile_agg(g, 'C1311', 'r', 1)) < 4000, 'a regular profile of 10^4 members takes under 4000 bytes')
FROM generate_series(1, 10000) g;

-- ------------------------------------------------------------------
-- corrupt version-2 values: XX001, never a crash
-- ------------------------------------------------------------------
CREATE TEMP TABLE raw AS SELECT pg_temp.raw_out(p)::text AS h FROM v2;
SELECT throws_ok($$SELECT pg_temp.raw_in(overlay(h placing '03' from 3 for 2)::cstring)::text FROM raw$$,
                 'XX001', 'unsupported stored version 3 for type vic.profile', 'an unknown stored version is XX001');
SELECT throws_ok($$SELECT pg_temp.raw_in(left(h, -4)::cstring)::text FROM raw$$,
                 'XX001', 'stored value of type vic.profile is corrupt', 'a truncated version-2 value is XX001');
-- the tables' length (bytes 76-79 from the version byte) pointing beyond the value
SELECT throws_ok($$SELECT hhi(pg_temp.raw_in(overlay(h placing 'ffffff7f' from 155 for 8)::cstring)) FROM raw$$,
                 'XX001', 'stored value of type vic.profile is corrupt', 'tables beyond the value are XX001');
-- the member stream (after the 88 bytes of header and stream lengths, the tables and the cells)
-- overwritten with 0xff bytes
CREATE TEMP TABLE lens AS
SELECT b, 88 + get_byte(b, 76) + 256 * get_byte(b, 77) + get_byte(b, 80) + 256 * get_byte(b, 81) AS mstart,
       get_byte(b, 84) + 256 * get_byte(b, 85) AS mlen
FROM (SELECT decode(substr(h, 3), 'hex') AS b FROM raw) x;
SELECT throws_ok($$SELECT pg_temp.raw_in(('\x' || encode(overlay(b placing decode(repeat('ff', mlen), 'hex') from mstart + 1), 'hex'))::cstring)::text FROM lens$$,
                 'XX001', NULL, 'a member stream that does not decode is XX001');

SELECT * FROM finish();
ROLLBACK;
