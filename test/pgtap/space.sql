-- pgTAP: vic.space properties, NULLs, empty input, bad input and error codes; exactness under row
-- and merge order, parallel plans, binary input.  Published-data tests: space_econgeo.sql.
BEGIN;
SELECT plan(94);
SET LOCAL search_path = vic, public;
SET LOCAL extra_float_digits = 0;

-- Binary input through COPY ... (FORMAT binary), as graph.sql does: any byte string reaches
-- vic.space_recv.
CREATE FUNCTION pg_temp.recv(payload bytea) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    f text := current_setting('data_directory') || '/vic_space_recv_test.bin';
    r text;
BEGIN
    CREATE TEMP TABLE IF NOT EXISTS recv_in (b bytea);
    CREATE TEMP TABLE IF NOT EXISTS recv_out (s vic.space);
    TRUNCATE recv_in; TRUNCATE recv_out;
    INSERT INTO recv_in VALUES (payload);
    EXECUTE format('COPY recv_in TO %L (FORMAT binary)', f);
    EXECUTE format('COPY recv_out FROM %L (FORMAT binary)', f);
    SELECT s::text INTO r FROM recv_out;
    RETURN r;
END $$;

-- ---------------------------------------------------------------- NULLs and empty input
SELECT is((SELECT space_agg(u, i) FROM (VALUES ('a', 'C13'::industry)) v(u, i) WHERE false), NULL,
          'space_agg over no rows is NULL');
SELECT is((SELECT space_agg(u, i)::text FROM (VALUES (NULL, 'C13'::industry), ('a', NULL)) v(u, i)), NULL,
          'space_agg over rows with a NULL unit or industry only is NULL');
SELECT is((SELECT space_agg(u, i, w)::text FROM (VALUES ('a', NULL::industry, NULL::float8), ('a', 'C13', 2)) v(u, i, w)),
          '{"a":{C13=2}}', 'a row with a NULL industry is skipped even when its weight is NULL');
SELECT throws_ok($$SELECT space_agg(u, i, w) FROM (VALUES ('a', 'C13'::industry, NULL::float8)) v(u, i, w)$$,
                 '22023', 'null weight for unit "a" industry C13', 'a NULL weight on a real row is 22023');
SELECT throws_ok($$SELECT space_agg('a', 'C13', 'NaN')$$, '22023', 'invalid weight NaN for unit "a" industry C13', 'NaN weight');
SELECT throws_ok($$SELECT space_agg('a', 'C13', 'Infinity')$$, '22023', NULL, 'infinite weight');
SELECT throws_ok($$SELECT space_agg('a', 'C13', -1)$$, '22023', NULL, 'negative weight');
SELECT is((SELECT count(*) FROM rca(NULL)), 0::bigint, 'rca(NULL) is empty');
SELECT is((SELECT count(*) FROM diversity(NULL)), 0::bigint, 'diversity(NULL) is empty');
SELECT is((SELECT count(*) FROM relatedness(NULL)), 0::bigint, 'relatedness(NULL) is empty');
SELECT is((SELECT count(*) FROM relatedness_density(NULL, 'a')), 0::bigint, 'relatedness_density(NULL) is empty');
SELECT is((SELECT count(*) FROM eci(NULL)), 0::bigint, 'eci(NULL) is empty');
SELECT is(coherence(NULL, 'a'), NULL, 'coherence(NULL, unit) is NULL');
SELECT is(coherence('{"a":{C13=1}}', NULL), NULL, 'coherence(s, NULL) is NULL');
SELECT is(space_unit_count('{}'), 0, 'the empty space has no units');
SELECT is((SELECT count(*) FROM rca('{}')) + (SELECT count(*) FROM ubiquity('{}'))
          + (SELECT count(*) FROM relatedness('{}')) + (SELECT count(*) FROM relatedness_density('{}'))
          + (SELECT count(*) FROM diversification_targets('{}')) + (SELECT count(*) FROM eci('{}'))
          + (SELECT count(*) FROM pci('{}')), 0::bigint, 'every function of the empty space is empty');
SELECT is(('{}'::space OPERATOR(vic.||) '{"a":{C13=1}}')::text, '{"a":{C13=1}}', 'the empty space is the identity of ||');
SELECT is((SELECT merge_agg(s)::text FROM (VALUES (NULL::space), ('{"b":{C14=1}}'), ('{}')) v(s)),
          '{"b":{C14=1}}', 'merge_agg skips NULL');

-- ---------------------------------------------------------------- text input and output
SELECT is('{ "b" : { C14 = 2 , C13=1 } , "a":{C13=0.5}}'::space::text, '{"a":{C13=0.5},"b":{C13=1,C14=2}}',
          'canonical text: units in byte order, cells in code order, blanks dropped');
SELECT is('{"a\"b\\c":{C13=1}}'::space::text, '{"a\"b\\c":{C13=1}}', 'quotes and backslashes in unit names round-trip');
SELECT is('{"":{C13=1}}'::space::text, '{"":{C13=1}}', 'an empty unit name is a name');
SELECT is('{"a":{C13=1,C13=2}}'::space::text, '{"a":{C13=3}}', 'repeated cells are summed');
SELECT is('{"a":{C13=0.1,C13=0.2}}'::space::text, '{"a":{C13=0.30000000000000004~-2.7755575615628914e-17}}',
          'an exact sum that is not one double keeps its canonical parts');
SELECT is('{"a":{C13=0.30000000000000004~-2.7755575615628914e-17}}'::space::text,
          '{"a":{C13=0.30000000000000004~-2.7755575615628914e-17}}', 'canonical parts round-trip');
SELECT is('{"a":{C13=0}}'::space::text, '{"a":{C13=0}}', 'a cell of weight 0 is kept (the unit has the industry)');
SELECT is('{"a":{naics:3111=1}}'::space::text, '{"a":{naics:3111=1}}', 'codes of another scheme');
SELECT throws_ok($$SELECT '{"a":{C13=1,naics:3111=1}}'::space$$, '22023', 'a vic.space holds industries of one classification scheme',
                 'two schemes in one space');
SELECT throws_ok($$SELECT space_agg(u, i) FROM (VALUES ('a', 'C13'::industry), ('b', 'naics:3111')) v(u, i)$$, '22023', NULL,
                 'two schemes in one aggregate');
SELECT throws_ok($$SELECT '{"a":{C13=1}}'::space OPERATOR(vic.||) '{"a":{naics:3111=1}}'$$, '22023', NULL,
                 'two schemes in one merge');
SELECT throws_ok($$SELECT '{"a":{}}'::space$$, '22P02', NULL, 'a unit without industries');
SELECT throws_ok($$SELECT '{"a":{C13}}'::space$$, '22P02', NULL, 'a cell without a weight');
SELECT throws_ok($$SELECT '{a:{C13=1}}'::space$$, '22P02', NULL, 'an unquoted unit');
SELECT throws_ok($$SELECT '{"a":{C13=1}'::space$$, '22P02', NULL, 'unbalanced braces');
SELECT throws_ok($$SELECT '{"a":{C13=1}} x'::space$$, '22P02', NULL, 'trailing garbage');
SELECT throws_ok($$SELECT '{"a":{Q99=1}}'::space$$, '22P02', NULL, 'an industry code that does not exist');
SELECT throws_ok($$SELECT '{"a":{C13=NaN}}'::space$$, '22023', NULL, 'a NaN weight in text');
SELECT throws_ok($$SELECT '{"a":{C13=-1}}'::space$$, '22023', NULL, 'a negative weight in text');
SELECT throws_ok($$SELECT '{"a":{C13=0.3~0.1}}'::space$$, '22P02', NULL, 'parts that are not canonical');
SELECT throws_ok($$SELECT '{"a":{C13=1e308,C13=1e308}}'::space$$, '22003', NULL, 'a cell sum beyond float8');

-- ---------------------------------------------------------------- exact and canonical
CREATE TEMP TABLE cell AS
SELECT 'u' || (i % 37) AS unit, ('C' || (13 + i % 7) || (1 + i % 3)::text || (1 + i % 5)::text)::industry AS industry,
       (i % 11) * 0.1 + 1e-3 * (i % 7) AS weight, i
FROM generate_series(1, 5000) i;
CREATE TEMP TABLE whole AS SELECT space_agg(unit, industry, weight) AS s FROM cell;
SELECT ok((SELECT s FROM whole) OPERATOR(vic.=)
          (SELECT space_agg(unit, industry, weight ORDER BY md5(i::text)) FROM cell),
          'the same bytes whatever the row order');
SELECT ok((SELECT s FROM whole) OPERATOR(vic.=)
          (SELECT merge_agg(p ORDER BY k DESC) FROM (SELECT i % 5 AS k, space_agg(unit, industry, weight) AS p FROM cell GROUP BY 1) x),
          'merge_agg of partial spaces equals the direct aggregate');
SELECT ok((SELECT ((a OPERATOR(vic.||) b) OPERATOR(vic.||) c) OPERATOR(vic.=) (a OPERATOR(vic.||) (b OPERATOR(vic.||) c))
           FROM (SELECT space_agg(unit, industry, weight) FILTER (WHERE i % 3 = 0) a,
                        space_agg(unit, industry, weight) FILTER (WHERE i % 3 = 1) b,
                        space_agg(unit, industry, weight) FILTER (WHERE i % 3 = 2) c FROM cell) x),
          '|| is associative, bit for bit');
SELECT ok((SELECT (a OPERATOR(vic.||) b) OPERATOR(vic.=) (b OPERATOR(vic.||) a)
           FROM (SELECT space_agg(unit, industry, weight) FILTER (WHERE i % 2 = 0) a,
                        space_agg(unit, industry, weight) FILTER (WHERE i % 2 = 1) b FROM cell) x),
          '|| is commutative, bit for bit');
SELECT ok((SELECT s::text::space OPERATOR(vic.=) s FROM whole), 'text round trip, bit for bit');
SELECT is(pg_temp.recv(space_send(s)), s::text, 'binary round trip') FROM whole;
SELECT ok((SELECT s OPERATOR(vic.<>) '{"a":{C13=1}}' FROM whole), '<> of different spaces');
-- the cell sums are exact: 0.1 added ten times in any order is the exact sum of the ten doubles
SELECT is((SELECT weight FROM space_cells((SELECT space_agg('a', 'C13', 0.1) FROM generate_series(1, 10))) ),
          1.0000000000000000::float8, 'ten times 0.1: the exact sum of the doubles, rounded once (1, where the running sum gives 0.9999999999999999)');
-- parallel plan
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SELECT ok((SELECT space_agg(unit, industry, weight) FROM cell) OPERATOR(vic.=) (SELECT s FROM whole),
          'a parallel space_agg equals the serial one');
RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- ---------------------------------------------------------------- binary input is hostile
-- The SQLSTATE and detail of binary input (offsets from the format in space_io.c: a 28-byte header,
-- then each name as int32 length and bytes, codes, row ends, industry indexes, weights).
CREATE FUNCTION pg_temp.recv_error(payload bytea) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    st text;
    d text;
BEGIN
    PERFORM pg_temp.recv(payload);
    RETURN 'accepted';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, d = PG_EXCEPTION_DETAIL;
    RETURN st || ': ' || d;
END $$;
SELECT is(pg_temp.recv_error(''), '22P03: The message is empty.', 'an empty message');
SELECT is(pg_temp.recv_error('\x02'), '22P03: This build of vic reads version 1.', 'an unknown version from a client is 22P03');
SELECT is(pg_temp.recv_error(overlay(space_send('{"a":{C13=1}}') placing '\x07'::bytea from 2 for 1)),
          '22P03: Unknown bits in the flags byte.', 'unknown flag bits');
SELECT is(pg_temp.recv_error(substr(space_send('{"a":{C13=1}}'), 1, 20)),
          '22P03: The message is too short for its header.', 'a truncated header');
SELECT is(pg_temp.recv_error(substr(space_send('{"a":{C13=1}}'), 1, 40)),
          '22P03: The message length does not match its counts.', 'a truncated body');
SELECT is(pg_temp.recv_error(space_send('{"a":{C13=1}}') || '\x00'::bytea),
          '22P03: The message length does not match its counts.', 'trailing bytes');
SELECT is(pg_temp.recv_error(overlay(space_send('{"a":{C13=1}}') placing '\x7fffffff'::bytea from 5 for 4)),
          '22P03: A count is out of range.', 'a huge unit count');
SELECT is(pg_temp.recv_error(overlay(space_send('{"a":{C13=1},"b":{C13=1}}') placing '\x61'::bytea from 38 for 1)),
          '22P03: Unit names must be distinct and in ascending byte order.', 'a repeated unit name');
SELECT is(pg_temp.recv_error(overlay(space_send('{"a":{C13=1}}') placing '\x00000009'::bytea from 29 for 4)),
          '22P03: A unit name runs past the name pool.', 'a name longer than the pool');
SELECT is(pg_temp.recv_error(overlay(space_send('{"a":{C13=1}}') placing '\xbff0000000000000'::bytea from 54 for 8)),
          '22P03: Cell weights must be finite and non-negative.', 'a negative cell weight');
SELECT is(pg_temp.recv_error(overlay(space_send('{"a":{C13=1}}') placing '\x00000001'::bytea from 50 for 4)),
          '22P03: Industry indexes must be in range and strictly ascending within a unit.', 'an industry index out of range');
SELECT is(pg_temp.recv_error(overlay(space_send('{"a":{C13=1}}') placing '\x0002'::bytea from 3 for 2)),
          '22P03: An industry code is not a valid code of the space''s scheme.', 'a code of another scheme than the header says');
SELECT is(pg_temp.recv_error(overlay(space_send('{"a":{C13=1}}') placing '\x0000000000000000'::bytea from 42 for 8)),
          '22P03: Row ends must be strictly ascending (every unit has a cell) and end at the cell count.', 'a unit without cells');
SELECT is(pg_temp.recv_error(overlay(space_send('{"a":{C13=1}}') placing '\xff'::bytea from 33 for 1)),
          '22P03: A unit name is not valid text in the database encoding.', 'a unit name that is not valid in the encoding');
SELECT is(pg_temp.recv_error(overlay(space_send('{"a":{C13=1}}') placing '\x00'::bytea from 33 for 1)),
          '22P03: A unit name is not valid text in the database encoding.', 'a unit name with a zero byte');
SELECT is(pg_temp.recv_error(space_send('{"a":{C13=1},"b":{C14=2.5}}')), 'accepted', 'a valid message is accepted');

-- ---------------------------------------------------------------- levels
SELECT results_eq($$SELECT unit, industry::text, weight FROM space_cells('{"a":{C1311=1,C1312=2.5,C1411=1},"b":{C1311=4}}', 2)$$,
                  $$VALUES ('a', 'C13', 3.5::float8), ('a', 'C14', 1), ('b', 'C13', 4)$$,
                  'level 2 rolls classes up to divisions, weights summed');
SELECT results_eq($$SELECT unit, industry::text, weight FROM space_cells('{"a":{C1311=1,C13=2}}')$$,
                  $$VALUES ('a', 'C13', 2::float8), ('a', 'C1311', 1)$$, 'level NULL keeps the codes as given');
SELECT throws_ok($$SELECT * FROM rca('{"a":{C13=1}}', 5)$$, '22023', NULL, 'level 5 in a four-level scheme');
SELECT throws_ok($$SELECT * FROM rca('{"a":{C13=1}}', 0)$$, '22023', NULL, 'level 0');
SELECT throws_ok($$SELECT * FROM eci('{"a":{C13=1}}', -1)$$, '22023', NULL, 'a negative level');

-- ---------------------------------------------------------------- RCA decided exactly
-- Unit A: 1 of C13, 9 of C14 (share 1/10); C13 is k = 877441175465180 of the total t = 10k - 1, so
-- RCA = t / (10 k) = 1 - 1/(10k) < 1 exactly, while (x_ci/x_c)/(x_i/x) in floating point (EconGeo's
-- formula) rounds to 1.0 (hand computation, checked with Python's fractions).
SELECT results_eq($$SELECT present, rca FROM rca('{"A":{C13=1,C14=9},"B":{C13=877441175465179,C14=7896970579186610}}')
                    WHERE unit = 'A' AND industry = 'C13'$$,
                  $$VALUES (false, 0.9999999999999999::float8)$$,
                  'an RCA just below 1 is not present even where the float quotient rounds to 1');
-- Exactly 1 is present: two units with the same mix.
SELECT results_eq($$SELECT bool_and(present), min(rca), max(rca) FROM rca('{"A":{C13=1,C14=7},"B":{C13=2,C14=14}}')$$,
                  $$VALUES (true, 1::float8, 1::float8)$$, 'RCA exactly 1 is present (M = RCA >= 1)');
SELECT results_eq($$SELECT unit, rca FROM rca('{"A":{C13=0},"B":{C13=1}}')$$,
                  $$VALUES ('A', NULL::float8), ('B', 1)$$, 'a unit of total weight 0 has no RCA (NULL)');
SELECT results_eq($$SELECT rca, present FROM rca('{"A":{C13=0,C14=1},"B":{C13=1}}') WHERE unit = 'A' AND industry = 'C13'$$,
                  $$VALUES (0::float8, false)$$, 'a cell of weight 0 has RCA 0');

-- ---------------------------------------------------------------- parameters
SELECT throws_ok($$SELECT * FROM relatedness('{"a":{C13=1}}', 'bogus')$$, '22023', NULL, 'an unknown relatedness method');
SELECT is((SELECT count(*) FROM relatedness('{"a":{C13=1,C14=1},"b":{C15=1}}', 'Cosine', rca => false)), 2::bigint,
          'method names ignore case');
SELECT throws_ok($$SELECT * FROM relatedness('{"a":{C13=1}}', ' cosine')$$, '22023', NULL, 'method names are not trimmed');
SELECT throws_ok($$SELECT * FROM relatedness_density('{"a":{C13=1}}', 'b')$$, '22023', 'unit "b" is not in the space',
                 'relatedness density of a unit not in the space');
SELECT throws_ok($$SELECT coherence('{"a":{C13=1}}', 'b')$$, '22023', NULL, 'coherence of a unit not in the space');
SELECT throws_ok($$SELECT * FROM diversification_targets('{"a":{C13=1}}', 0)$$, '22023', NULL, 'top 0');
SELECT throws_ok($$SELECT * FROM eci('{"a":{C13=1}}', method => 'fitness')$$, '22023', NULL, 'an unknown complexity method');
SELECT throws_ok($$SELECT * FROM eci('{"a":{C13=1}}', method => 'reflections', iterations => 0)$$, '22023', NULL, 'iterations 0');
SELECT throws_ok($$SELECT * FROM pci('{"a":{C13=1}}', method => 'reflections', iterations => 1001)$$, '22023', NULL, 'iterations 1001');
-- a space that falls apart has no ECI: EconGeo's location_quotient example, where R1 alone has I1
SELECT throws_ok($$SELECT * FROM eci('{"R1":{C13=100},"R2":{C14=15,C15=5,C17=70,C18=10},"R3":{C14=20,C15=10,C17=20,C18=50}}')$$,
                 '22023', 'economic complexity is undefined for a space that falls apart', 'ECI of a disconnected space');
SELECT is(coherence('{"a":{C13=1},"b":{C13=1,C14=1}}', 'a', rca => false), NULL, 'coherence of a unit with one industry is NULL');
-- relatedness density of an industry related to no other: NULL (EconGeo: NaN)
SELECT results_eq($$SELECT industry::text, density FROM relatedness_density('{"a":{C13=1,C14=1},"b":{C15=1}}', 'b', rca => false)$$,
                  $$VALUES ('C13', 0::float8), ('C14', 0), ('C15', NULL)$$, 'an industry related to none has NULL density');
SELECT is((SELECT count(*) FROM diversification_targets('{"a":{C13=1,C14=1},"b":{C15=1}}', rca => false)), 2::bigint,
          'diversification targets never list an industry of undefined density');

-- ---------------------------------------------------------------- profiles as units
CREATE TEMP TABLE firm AS
SELECT i AS id, (ARRAY['C1311', 'C1312', 'C1411', 'C1511'])[1 + i % 4]::industry AS industry,
       'c' || (i % 3) AS cluster, (1 + i % 5)::float8 AS weight
FROM generate_series(1, 60) i;
SELECT ok((SELECT space_agg(cluster, p) FROM (SELECT cluster, profile_agg(id, industry, NULL::text, weight) AS p FROM firm GROUP BY cluster) x)
          OPERATOR(vic.=) (SELECT space_agg(cluster, industry, weight) FROM firm),
          'space_agg(unit, profile) takes the profile''s industry weights');
SELECT is((SELECT space_agg(c, p)::text FROM (VALUES ('x', NULL::profile)) v(c, p)), NULL, 'a NULL profile is skipped');

-- ---------------------------------------------------------------- ECI sign and order
-- The sign of an eigenvector is arbitrary; vic orients the ECI to correlate positively with
-- diversity.  The same matrix with units renamed so that their order reverses, and built from rows
-- in another order and merged in another order, gives the same ECI for each unit.
CREATE TEMP TABLE nested AS
SELECT 'u' || lpad(u::text, 2, '0') AS unit, 'v' || lpad((40 - u)::text, 2, '0') AS unit_rev,
       ('C' || (13 + j / 10) || (1 + j % 10 / 5)::text || (1 + j % 5)::text)::industry AS industry,
       (1 + (u * j) % 7)::float8 AS weight
FROM generate_series(1, 39) u, generate_series(0, 49) j
WHERE (u * 37 + j * 11) % 100 < 30 + u + (50 - j);
SELECT is((SELECT max(abs(a.eci - b.eci))
           FROM eci((SELECT space_agg(unit, industry, weight) FROM nested)) a
           JOIN (SELECT n.unit, e.eci FROM eci((SELECT merge_agg(p ORDER BY k DESC) FROM
                        (SELECT weight AS k, space_agg(unit_rev, industry, weight ORDER BY md5(unit || industry::text)) AS p
                         FROM nested GROUP BY weight) x)) e
                 JOIN (SELECT DISTINCT unit, unit_rev FROM nested) n ON n.unit_rev = e.unit) b USING (unit)) < 1e-9,
          true, 'the ECI of each unit does not depend on unit names, row order or merge order');
SELECT ok((SELECT corr(e.eci, d.diversity) > 0 FROM eci((SELECT space_agg(unit, industry, weight) FROM nested)) e
           JOIN diversity((SELECT space_agg(unit, industry, weight) FROM nested)) d USING (unit)),
          'the ECI correlates positively with diversity');
SELECT ok((SELECT corr(p.pci, u.ubiquity) < 0 FROM pci((SELECT space_agg(unit, industry, weight) FROM nested)) p
           JOIN ubiquity((SELECT space_agg(unit, industry, weight) FROM nested)) u USING (industry)),
          'the PCI correlates negatively with ubiquity');
SELECT ok((SELECT abs(avg(eci)) < 1e-12 AND abs(stddev_samp(eci) - 1) < 1e-12 FROM eci((SELECT space_agg(unit, industry, weight) FROM nested))),
          'the ECI is standardised (mean 0, sample sd 1)');
-- the method of reflections converges to the eigenvector (Hidalgo & Hausmann 2009; their
-- k_c,N for even N ranks as the ECI) with enough steps
SELECT ok((SELECT corr(a.eci, b.eci) > 0.999999 FROM eci((SELECT space_agg(unit, industry, weight) FROM nested)) a
           JOIN eci((SELECT space_agg(unit, industry, weight) FROM nested), method => 'reflections', iterations => 200) b USING (unit)),
          'reflections (200 steps) agree with the eigenvector');

-- ---------------------------------------------------------------- cancellation
CREATE TEMP TABLE bigspace AS
SELECT space_agg('u' || (i % 3000), ('C' || (13 + i % 20) || (1 + i / 20 % 9)::text || (1 + i / 180 % 9)::text)::industry)
       AS s FROM generate_series(1, 600000) i;
CREATE FUNCTION pg_temp.cancelled(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz := clock_timestamp();
BEGIN
    EXECUTE q;
    RETURN 'finished';
EXCEPTION WHEN query_canceled THEN
    RETURN CASE WHEN clock_timestamp() - t0 < interval '2 s' THEN 'cancelled promptly' ELSE 'cancelled late' END;
END $$;
SET LOCAL statement_timeout = '20ms';
SELECT is(pg_temp.cancelled('SELECT count(*) FROM bigspace, vic.relatedness_density(s)'), 'cancelled promptly',
          'statement_timeout stops relatedness_density of every unit');
RESET statement_timeout;

SELECT * FROM finish();
ROLLBACK;
