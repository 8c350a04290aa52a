-- pgTAP: vic.industry properties, error codes, hostile binary input, and the
-- validation rules and catalogue checked against the published GB/T 4754-2017
-- list in test/fixtures/gbt4754-2017.csv (read from the project root).
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(139);
SET LOCAL search_path TO public, vic;

-- The value a text parses to, or NULL when it is rejected (one subtransaction each).
CREATE FUNCTION pg_temp.industry_try(s text) RETURNS vic.industry LANGUAGE plpgsql AS $$
BEGIN
	RETURN s::vic.industry;
EXCEPTION WHEN invalid_text_representation THEN
	RETURN NULL;
END $$;

-- SQLSTATE, detail and hint of the error a text raises.
CREATE FUNCTION pg_temp.industry_error(s text, OUT state text, OUT detail text, OUT hint text)
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM s::vic.industry;
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
END $$;

-- ---------------------------------------------------------------
-- 1. Malformed text: 22P02, never a crash, never a truncation.
-- ---------------------------------------------------------------
SELECT throws_ok(format('SELECT %L::vic.industry', s), '22P02',
                 format('invalid input syntax for type industry: "%s"', s), 'rejects ' || what)
FROM (VALUES
	('', 'the empty string'),
	('   ', 'white space only'),
	('X', 'a letter that is no GB/T section'),
	('U', 'section U, which GB/T does not have'),
	('Z38', 'an unknown section with a division'),
	('C3', 'a single division digit'),
	('C44', 'a division outside its section (C = 13-43)'),
	('A06', 'division 06 under section A (01-05)'),
	('S97', 'division 97 under section S (91-96)'),
	('T98', 'division 98, which GB/T does not have'),
	('00', 'division 00 without a letter'),
	('98', 'division 98 without a letter'),
	('99', 'division 99 without a letter'),
	('C38255', 'five digits'),
	('382555', 'five digits without a letter'),
	('C38a', 'a letter after the digits'),
	('38C', 'the section letter at the end'),
	('CC38', 'two section letters'),
	('C-38', 'a hyphen'),
	('C 38', 'inner white space'),
	('C38.2', 'a dot in a GB/T code'),
	('+38', 'a sign'),
	('C３８', 'full-width digits'),
	('C38;', 'trailing punctuation'),
	('isic4:', 'an empty code after the prefix'),
	('isic4:C34', 'ISIC division 34, which does not exist'),
	('isic4:04', 'ISIC division 04 without a letter'),
	('isic4:V', 'ISIC section V'),
	('isic4:D36', 'ISIC division 36 under section D (35)'),
	('isic4:C26.1', 'a dot in an ISIC code'),
	('isic4:C26100', 'five ISIC digits'),
	('nace2:C26.', 'a NACE dot with nothing after it'),
	('nace2:C2.611', 'a NACE dot inside the division'),
	('nace2:C26..1', 'two NACE dots'),
	('nace2:C26.111', 'three NACE digits after the dot'),
	('nace2:C26.1.1', 'a second NACE dot'),
	('naics:3', 'a one-digit NAICS code'),
	('naics:10', 'NAICS sector 10, which does not exist'),
	('naics:34', 'NAICS sector 34, which does not exist'),
	('naics:3344130', 'seven NAICS digits'),
	('naics:C33', 'a letter in a NAICS code'),
	('naics:', 'an empty NAICS code'),
	('foo:C38', 'an unknown prefix'),
	(':C38', 'an empty prefix'),
	('isic:C26', 'a misspelt prefix'),
	('isic4:naics:33', 'two prefixes'),
	('isic4 :C26', 'white space before the colon'),
	(repeat('C', 100), 'overlong input'),
	('C3825' || repeat(' ', 70), 'a code padded beyond the input limit')
) AS t(s, what);

-- The detail says what is wrong, the hint shows the expected form.
SELECT is((SELECT ARRAY[state, detail, hint] FROM pg_temp.industry_error('C44')),
          ARRAY['22P02', 'Division 44 is not in section C of GB/T 4754-2017, which covers divisions 13 to 43.',
              'Expected a GB/T 4754-2017 code such as "C3825", "C38" or "C", or a prefixed code such as "isic4:C2610", "nace2:C26.11", "naics:334413".'],
          'a division outside its section names the section''s range');
SELECT is((pg_temp.industry_error('K71')).detail,
          'Division 71 is not in section K of GB/T 4754-2017, which has only division 70.',
          'a one-division section says so');
SELECT is((pg_temp.industry_error('98')).detail, 'Division 98 does not exist in GB/T 4754-2017.',
          'an unknown division without a letter');
SELECT is((pg_temp.industry_error('isic4:C34')).hint,
          'Expected an ISIC Rev.4 code such as "isic4:C2610", "isic4:C261", "isic4:C26" or "isic4:C".',
          'an ISIC code gets the ISIC hint');
SELECT is((pg_temp.industry_error('naics:10')).detail,
          'Sector 10 does not exist in NAICS 2022; the sectors are 11, 21, 22, 23, 31-33, 42, 44-45, 48-49, 51, 52, 53, 54, 55, 56, 61, 62, 71, 72, 81 and 92.',
          'an unknown NAICS sector lists the sectors');
SELECT is((pg_temp.industry_error('C38255')).detail,
          'The code has more than 4 digits; GB/T 4754-2017 codes have at most 4 (division, group, class).',
          'digits beyond the scheme''s depth are an error, not truncated');
SELECT is((pg_temp.industry_error('C38a')).detail, 'Unexpected character "a" at position 4.',
          'trailing garbage is pointed at');
SELECT is((pg_temp.industry_error('C３８')).detail, 'Unexpected character at position 2.',
          'a multibyte character is not echoed byte by byte');
SELECT is((pg_temp.industry_error(repeat('C', 100))).detail,
          'The input is 100 bytes long; no industry code is longer than 64.', 'overlong input');
SELECT is((pg_temp.industry_error('foo:C38')).detail,
          'Unknown classification scheme prefix "foo:"; known prefixes are gbt4754:, isic4:, nace2: and naics:.',
          'an unknown prefix is named');

-- Accepted variants all print canonically (input -> output -> input is the identity).
SELECT is(s::vic.industry::text, canonical, format('%s reads as %s', to_json(s), canonical))
FROM (VALUES (' c3825 ', 'C3825'), (E'\tC38\n', 'C38'), ('3825', 'C3825'), ('gbt4754:C3825', 'C3825'),
             ('ISIC4:c2610', 'isic4:C2610'), ('isic4:2610', 'isic4:C2610'), ('Nace2:c2611', 'nace2:C26.11'),
             ('nace2:26.1', 'nace2:C26.1'), ('NAICS:334413', 'naics:334413')) AS t(s, canonical);

-- ---------------------------------------------------------------
-- 2. Function arguments out of range: 22023.
-- ---------------------------------------------------------------
SELECT throws_ok('SELECT vic.industry_ancestor(''C3825'', 0)', '22023', 'industry level 0 is out of range', 'ancestor level 0');
SELECT throws_ok('SELECT vic.industry_ancestor(''C3825'', 5)', '22023', 'industry level 5 is out of range', 'ancestor level 5 in a four-level scheme');
SELECT throws_ok('SELECT vic.industry_ancestor(''naics:33'', 6)', '22023', 'industry level 6 is out of range', 'ancestor level 6 in NAICS');
SELECT throws_ok('SELECT vic.industry_ancestor(''C3825'', -2147483648)', '22023', NULL, 'ancestor level INT_MIN');
SELECT is(vic.industry_ancestor('naics:334413', 5)::text, 'naics:334413', 'NAICS has five levels');
SELECT throws_ok('SELECT vic.industry_distance(''C26'', ''isic4:C26'')', '22023',
                 'cannot measure the distance between industry codes of different schemes', 'distance across schemes');
SELECT throws_ok('SELECT vic.industry_name(''C38'', ''fr'')', '22023', 'unknown industry name language "fr"', 'unknown name language');
SELECT throws_ok('SELECT vic.industry_name(''C38'', '''')', '22023', 'unknown industry name language ""', 'empty name language');
SELECT throws_ok('SELECT vic.industry_name(''C38'', '' en'')', '22023', 'unknown industry name language " en"', 'a name language is not trimmed');
SELECT is(vic.industry_name('C38', 'EN'), vic.industry_name('C38', 'en'), 'a name language is matched ignoring case');
SELECT is(vic.industry_lca('C26', 'isic4:C26'), NULL, 'no common ancestor across schemes');
SELECT is(vic.industry_lca('naics:31', 'naics:33'), NULL, 'NAICS sectors 31 and 33 have no common ancestor');
SELECT is(vic.industry_distance('naics:311', 'naics:334'), 4, 'NAICS codes without a common sector meet at the root');

-- NULLs: every function is strict.
SELECT ok(vic.industry_level(NULL) IS NULL AND vic.industry_parent(NULL) IS NULL
          AND vic.industry_ancestor(NULL, 2) IS NULL AND vic.industry_ancestor('C38', NULL) IS NULL
          AND vic.industry_scheme(NULL) IS NULL AND vic.industry_lca(NULL, 'C38') IS NULL
          AND vic.industry_distance('C38', NULL) IS NULL AND vic.industry_name('C38', NULL) IS NULL
          AND ('C38'::vic.industry <@ NULL) IS NULL AND (NULL::vic.industry = 'C38') IS NULL
          AND NULL::text::vic.industry IS NULL AND vic.industry_subtree_last(NULL) IS NULL,
          'NULL in, NULL out');
SELECT ok((SELECT vic.min(c) IS NULL AND vic.max(c) IS NULL FROM (SELECT 'C38'::vic.industry WHERE false) t(c))
          AND (SELECT vic.max(c)::text FROM (VALUES ('C38'::vic.industry), (NULL), ('C3825')) t(c)) = 'C3825',
          'min/max of no rows is NULL; NULLs are skipped');

-- ---------------------------------------------------------------
-- 3. Hostile binary input through COPY ... (FORMAT binary).
-- ---------------------------------------------------------------
CREATE TEMP TABLE industry_recv_t (code vic.industry);
-- Write a one-row, one-column binary COPY file holding payload; returns its path.
CREATE FUNCTION pg_temp.industry_copy_file(payload bytea) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	path text := '/tmp/vic_industry_tap_' || current_setting('port') || '.bin';
	lo oid;
BEGIN
	lo := lo_from_bytea(0, '\x5047434f50590aff0d0a00'::bytea || '\x0000000000000000'::bytea
	                       || '\x0001'::bytea || int4send(length(payload)) || payload || '\xffff'::bytea);
	PERFORM lo_export(lo, path);
	PERFORM lo_unlink(lo);
	RETURN path;
END $$;
CREATE FUNCTION pg_temp.industry_copy_code(version int, code bigint) RETURNS text LANGUAGE sql AS $$
	SELECT pg_temp.industry_copy_file(set_byte('\x00'::bytea, 0, version) || int8send(code))
$$;

SELECT lives_ok(format('COPY industry_recv_t FROM %L (FORMAT binary)', pg_temp.industry_copy_code(1, x'011A736000'::bigint)),
                'a valid binary code is accepted');
SELECT is((SELECT code::text FROM industry_recv_t), 'C3825', 'and reads back as C3825');
SELECT throws_ok(format('COPY industry_recv_t FROM %L (FORMAT binary)', pg_temp.industry_copy_code(v, x'011A736000'::bigint)),
                 '22P03', format('unsupported binary format version %s for type vic.industry', v),
                 'binary version ' || v || ' is invalid binary input')
FROM (VALUES (0), (2), (255)) AS t(v);
SELECT throws_ok(format('COPY industry_recv_t FROM %L (FORMAT binary)', pg_temp.industry_copy_code(1, code)),
                 '22P03', 'invalid binary value for type vic.industry', 'recv rejects ' || what)
FROM (VALUES
	(0::bigint, 'zero (no scheme)'),
	(x'0508000000'::bigint, 'scheme 5'),
	(-1::bigint, 'a negative value'),
	(x'1001A736000'::bigint, 'bits above the scheme tag'),
	(x'011A736001'::bigint, 'padding bits'),
	(x'0118030000'::bigint, 'a group without a division'),
	(x'0118000000'::bigint | (6::bigint << 20), 'division 05 under section C'),
	(x'01A8000000'::bigint, 'section U in GB/T'),
	(x'011A7B0000'::bigint, 'a digit field of 11'),
	(x'011A000000'::bigint | (101::bigint << 20), 'division 100'),
	(x'0408000000'::bigint | (34::bigint << 20), 'a NAICS code with a section field'),
	(x'0400000000'::bigint | (11::bigint << 20), 'NAICS sector 10'),
	(x'011A736200'::bigint, 'a fifth level in GB/T'),
	(x'0300000000'::bigint | (27::bigint << 20), 'a NACE division without a section')
) AS t(code, what);
SELECT throws_ok(format('COPY industry_recv_t FROM %L (FORMAT binary)',
                        pg_temp.industry_copy_file('\x01000000011a7360'::bytea)),
                 '08P01', NULL, 'recv rejects a truncated value');
SELECT throws_ok(format('COPY industry_recv_t FROM %L (FORMAT binary)',
                        pg_temp.industry_copy_file('\x01000000011a73600000'::bytea)),
                 '22P03', NULL, 'recv rejects trailing bytes');

-- ---------------------------------------------------------------
-- 4. Against the published standard: test/fixtures/gbt4754-2017.csv.
-- ---------------------------------------------------------------
CREATE TEMP TABLE gbt (code text PRIMARY KEY, level int NOT NULL, name_zh text NOT NULL);
\copy gbt FROM 'test/fixtures/gbt4754-2017.csv' CSV HEADER

SELECT is((SELECT count(*)::int FROM gbt), 1970, 'the standard lists 1,970 codes');
SELECT is((SELECT array_agg(code) FROM gbt WHERE pg_temp.industry_try(code)::text IS DISTINCT FROM code),
          NULL, 'every published code parses and prints back identically');
SELECT is((SELECT array_agg(code) FROM gbt WHERE vic.industry_level(code::vic.industry) <> level),
          NULL, 'every level matches the standard''s');
SELECT is((SELECT array_agg(code) FROM gbt WHERE level > 1
           AND pg_temp.industry_try(substr(code, 2))::text IS DISTINCT FROM code),
          NULL, 'every division, group and class also parses without its section letter');
SELECT is((SELECT array_agg(code) FROM gbt WHERE level > 1
           AND vic.industry_parent(code::vic.industry)::text NOT IN (SELECT code FROM gbt)),
          NULL, 'the parent of every published code is published');
SELECT is((SELECT array_agg(code ORDER BY code::vic.industry) FROM gbt),
          (SELECT array_agg(code ORDER BY code COLLATE "C") FROM gbt),
          'btree order is the standard''s hierarchical order');
SELECT set_eq('SELECT code::text, name_zh FROM vic.industry_catalog WHERE vic.industry_scheme(code) = ''gbt4754''',
              'SELECT code, name_zh FROM gbt WHERE level <= 2',
              'the catalogue holds exactly the standard''s sections and divisions with its Chinese names');
SELECT is((SELECT array_agg(c ORDER BY c) FROM
             (SELECT chr(65 + i) || lpad(d::text, 2, '0') AS c
              FROM generate_series(0, 25) i, generate_series(0, 99) d) x
           WHERE (pg_temp.industry_try(c) IS NOT NULL) <> (c IN (SELECT code FROM gbt WHERE level = 2))),
          NULL, 'every letter A-Z with every division 00-99 is accepted exactly when the standard has it');
SELECT is((SELECT array_agg(c ORDER BY c) FROM (SELECT chr(65 + i) AS c FROM generate_series(0, 25) i) x
           WHERE (pg_temp.industry_try(c) IS NOT NULL) <> (c IN (SELECT code FROM gbt WHERE level = 1))),
          NULL, 'every letter A-Z is a section exactly when the standard has it');
SELECT is((SELECT array_agg(d ORDER BY d) FROM (SELECT lpad(i::text, 2, '0') AS d FROM generate_series(0, 99) i) x
           WHERE pg_temp.industry_try(d)::text IS DISTINCT FROM (SELECT code FROM gbt WHERE level = 2 AND substr(code, 2) = d)),
          NULL, 'every division 00-99 without a letter gets the standard''s section, or is rejected');
SELECT is((SELECT count(*)::int FROM gbt a, gbt b WHERE b.level <= 3
           AND (a.code::vic.industry <@ b.code::vic.industry) <> (a.code LIKE b.code || '%')),
          0, '<@ is prefix containment on the standard''s codes');
SELECT is((SELECT count(*)::int FROM gbt a, gbt b WHERE b.level <= 3
           AND (b.code::vic.industry @> a.code::vic.industry) <> (a.code::vic.industry <@ b.code::vic.industry)),
          0, '@> is the commutator of <@');
SELECT is((SELECT count(*)::int FROM gbt a, gbt b WHERE b.level <= 3
           AND (a.code::vic.industry BETWEEN b.code::vic.industry AND vic.industry_subtree_last(b.code::vic.industry))
               <> (a.code LIKE b.code || '%')),
          0, 'the subtree of c is exactly the key range [c, industry_subtree_last(c)]');
SELECT is((SELECT array_agg(code) FROM gbt
           WHERE pg_temp.industry_try(vic.industry_subtree_last(code::vic.industry)::text)
                 IS DISTINCT FROM vic.industry_subtree_last(code::vic.industry)),
          NULL, 'industry_subtree_last gives valid codes that read back');
-- LCA level from the text: section (1 char), division (3), group (4), class (5).
SELECT is((SELECT count(*)::int FROM gbt a, (SELECT code FROM gbt WHERE level = 4 ORDER BY code LIMIT 60) b
           WHERE vic.industry_distance(a.code::vic.industry, b.code::vic.industry)
              <> a.level + 4 - 2 * (CASE WHEN left(a.code, 1) <> left(b.code, 1) THEN 0
                                         WHEN a.level < 2 OR left(a.code, 3) <> left(b.code, 3) THEN 1
                                         WHEN a.level < 3 OR left(a.code, 4) <> left(b.code, 4) THEN 2
                                         WHEN a.level < 4 OR a.code <> b.code THEN 3 ELSE 4 END)),
          0, 'distance = level(a) + level(b) - 2 level(lca), with the LCA read from the text');
SELECT is((SELECT count(*)::int FROM gbt a, (SELECT code FROM gbt WHERE level = 4 ORDER BY code DESC LIMIT 60) b
           WHERE vic.industry_lca(a.code::vic.industry, b.code::vic.industry) IS DISTINCT FROM
                 (SELECT max(c.code::vic.industry) FROM gbt c WHERE a.code LIKE c.code || '%' AND b.code LIKE c.code || '%')),
          0, 'the LCA is the deepest common prefix code');
SELECT is((SELECT array_agg(code) FROM gbt WHERE level >= 2
           AND vic.industry_ancestor(code::vic.industry, 2)::text <> left(code, 3)),
          NULL, 'ancestor at level 2 is the first three characters');

-- Names: the C lookup agrees with the nearest-named-ancestor rule written in SQL.
INSERT INTO vic.industry_catalog (code, name_en) VALUES ('C3841', 'Lithium-ion battery manufacturing');
SELECT is((SELECT array_agg(code) FROM gbt, (VALUES ('en'), ('zh')) l(lang)
           WHERE vic.industry_name(code::vic.industry, lang) IS DISTINCT FROM
                 (SELECT CASE lang WHEN 'en' THEN c.name_en ELSE c.name_zh END FROM vic.industry_catalog c
                  WHERE c.code @> gbt.code::vic.industry
                    AND CASE lang WHEN 'en' THEN c.name_en ELSE c.name_zh END IS NOT NULL
                  ORDER BY c.code DESC LIMIT 1)),
          NULL, 'industry_name is the name of the deepest named ancestor-or-self, for all 1,970 codes');
SELECT is(ARRAY[vic.industry_name('C3841'), vic.industry_name('C3841', 'zh'), vic.industry_name('C3842')],
          ARRAY['Lithium-ion battery manufacturing', '电气机械和器材制造业', 'Manufacture of electrical machinery and apparatus'],
          'a user row with only an English name: Chinese falls back to the division, siblings to the division');
DELETE FROM vic.industry_catalog WHERE code = 'C3841';

-- Binary round trip of the whole standard.
CREATE TEMP TABLE gbt_bin (code vic.industry);
SELECT '/tmp/vic_industry_tap_all_' || current_setting('port') || '.bin' AS binfile \gset
COPY (SELECT code::vic.industry FROM gbt) TO :'binfile' (FORMAT binary);
COPY gbt_bin FROM :'binfile' (FORMAT binary);
SELECT set_eq('SELECT code::text FROM gbt_bin', 'SELECT code FROM gbt', 'COPY (FORMAT binary) round-trips all 1,970 codes');

-- ---------------------------------------------------------------
-- 5. Index answers equal sequential answers.
-- ---------------------------------------------------------------
CREATE TEMP TABLE ind AS SELECT code::vic.industry AS code FROM gbt, generate_series(1, 3);
INSERT INTO ind SELECT code FROM vic.industry_catalog;
CREATE INDEX ON ind (code);
-- Lines of a query's plan.
CREATE FUNCTION pg_temp.plan_lines(q text) RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN
	RETURN QUERY EXECUTE 'EXPLAIN (COSTS OFF) ' || q;
END $$;
ANALYZE ind;
SET LOCAL enable_seqscan = off;
SET LOCAL enable_bitmapscan = off;
SELECT is((SELECT array_agg(q ORDER BY q) FROM (VALUES ('C38'), ('C'), ('C3825'), ('T'), ('isic4:C'), ('A01'), ('S96')) v(q)
           WHERE (SELECT count(*) FROM ind WHERE code <@ q::vic.industry)
              <> (SELECT count(*) FROM gbt, generate_series(1, 3) WHERE code LIKE q || '%')
                 + (SELECT count(*) FROM vic.industry_catalog WHERE code <@ q::vic.industry)),
          NULL, 'index scans for <@ count what LIKE counts on the text');
-- Estimated rows of a query's top plan node.
CREATE FUNCTION pg_temp.plan_rows(q text) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
	j json;
BEGIN
	EXECUTE 'EXPLAIN (FORMAT JSON) ' || q INTO j;
	RETURN (j -> 0 -> 'Plan' ->> 'Plan Rows')::float8;
END $$;
SELECT is(pg_temp.plan_rows('SELECT * FROM ind WHERE vic.industry_contained(code, ''C38'')'),
          pg_temp.plan_rows('SELECT * FROM ind WHERE code <@ ''C38'''),
          'the function form of <@ is estimated like the operator');
SELECT cmp_ok(abs(pg_temp.plan_rows('SELECT * FROM ind WHERE code <@ ''C''')
                  - (SELECT count(*) FROM ind WHERE code <@ 'C')), '<',
              0.1 * (SELECT count(*) FROM ind WHERE code <@ 'C')::float8,
              'the estimate of <@ is within 10% of the true count on an analysed column');
SELECT is((SELECT count(*)::int FROM ind WHERE code @> 'C3825'), 3 * 4 + 2, '@> on the indexed side finds the four ancestors-or-self');
SELECT is((SELECT count(*)::int FROM pg_temp.plan_lines('SELECT count(*) FROM ind WHERE code <@ ''C38''') l
           WHERE l LIKE '%Index Cond: ((code >= ''C38''::industry) AND (code <= ''C3899''::industry))%'),
          1, 'the planner turns <@ into a btree key range');
SELECT is((SELECT count(*)::int FROM pg_temp.plan_lines('SELECT * FROM ind WHERE ''naics:33'' @> code') l
           WHERE l LIKE '%Index Cond: ((code >= ''naics:33''::industry) AND (code <= ''naics:339999''::industry))%'),
          1, 'and so does @> with the column on the right (NAICS bound: six digits)');
RESET enable_seqscan;
RESET enable_bitmapscan;

-- ---------------------------------------------------------------
-- 5b. Parallel plans give the serial answers (min/max combine, GROUP BY ancestor, <@ filter).
-- ---------------------------------------------------------------
CREATE TABLE industry_par AS SELECT code FROM ind, generate_series(1, 20);
ANALYZE industry_par;
-- Result of a query as text (run by EXECUTE, so the query itself may go parallel).
CREATE FUNCTION pg_temp.query_text(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	r text;
BEGIN
	EXECUTE q INTO r;
	RETURN r;
END $$;
CREATE TEMP TABLE par_queries (q text);
INSERT INTO par_queries VALUES
	('SELECT vic.min(code)::text || '' '' || vic.max(code)::text || '' '' || count(*) FROM industry_par'),
	('SELECT string_agg(d::text || ''='' || n, '','' ORDER BY d) FROM (SELECT vic.industry_ancestor(code, 2) d, count(*) n FROM industry_par GROUP BY 1) s'),
	('SELECT count(*)::text FROM industry_par WHERE code <@ ''C38'' OR ''isic4:C'' @> code');
CREATE TEMP TABLE par_serial AS SELECT q, pg_temp.query_text(q) AS r FROM par_queries;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL enable_indexscan = off;
SET LOCAL enable_indexonlyscan = off;
SET LOCAL enable_bitmapscan = off;
SELECT is((SELECT count(*)::int FROM par_queries, pg_temp.plan_lines(q) l WHERE l ~ 'Gather'), 3,
          'each query gets a parallel plan');
SELECT is((SELECT array_agg(q) FROM par_serial WHERE pg_temp.query_text(q) IS DISTINCT FROM r), NULL,
          'parallel and serial plans agree');
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET enable_indexscan;
RESET enable_indexonlyscan;
RESET enable_bitmapscan;

-- ---------------------------------------------------------------
-- 6. Other schemes: the catalogue's ISIC codes, NACE and NAICS round trips.
-- ---------------------------------------------------------------
SELECT is((SELECT array_agg(code) FROM vic.industry_catalog WHERE code::text::vic.industry <> code),
          NULL, 'every catalogue code round-trips through text');
SELECT is((SELECT count(*)::int FROM vic.industry_catalog WHERE code::text LIKE 'isic4:%'), 21 + 88,
          'the 109 ISIC Rev.4 codes print with their prefix');
SELECT is((SELECT array_agg(c) FROM (SELECT 'nace2:' || substr(code::text, 7, 3) || coalesce('.' || g || k, '') AS c
           FROM vic.industry_catalog, (VALUES ('1', '1'), ('9', '9'), ('0', '')) d(g, k)
           WHERE vic.industry_scheme(code) = 'isic4' AND vic.industry_level(code) = 2) x
           WHERE pg_temp.industry_try(c)::text IS DISTINCT FROM c),
          NULL, 'NACE codes built on every ISIC division round-trip');
SELECT is((SELECT array_agg(c) FROM (SELECT 'naics:' || s || tail AS c
           FROM unnest(ARRAY['11','21','22','23','31','32','33','42','44','45','48','49','51','52','53','54','55','56','61','62','71','72','81','92']) s,
                unnest(ARRAY['', '1', '12', '123', '1234', '9999', '0000']) tail) x
           WHERE pg_temp.industry_try(c)::text IS DISTINCT FROM c),
          NULL, 'NAICS codes of 2 to 6 digits in every sector round-trip');
SELECT is((SELECT count(*)::int FROM generate_series(0, 99) s
           WHERE pg_temp.industry_try('naics:' || lpad(s::text, 2, '0')) IS NOT NULL), 24, 'NAICS 2022 has 24 two-digit sectors');
SELECT is((SELECT count(*)::int FROM generate_series(0, 99) d
           WHERE pg_temp.industry_try('isic4:' || lpad(d::text, 2, '0')) IS NOT NULL), 88, 'ISIC Rev.4 has 88 divisions');
SELECT is((SELECT count(*)::int FROM generate_series(0, 99) d
           WHERE pg_temp.industry_try('nace2:' || lpad(d::text, 2, '0')) IS NOT NULL), 88, 'NACE Rev.2 has the same 88 divisions');

SELECT * FROM finish();
ROLLBACK;
