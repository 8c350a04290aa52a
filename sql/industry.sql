-- vic.industry: text forms, operators, hierarchy functions, index use.
-- Expected values are worked by hand from the published code lists:
-- GB/T 4754-2017 (C = divisions 13-43; C38 electrical machinery; C3825 a class of C382),
-- ISIC Rev.4 (C = 10-33; C2610 electronic components), NACE Rev.2 (C26.11), NAICS 2022 (334413).
-- The operators live in schema vic: put it on the search path (doc/industry.md).
SET search_path TO public, vic;

-- Every scheme, every level: input -> canonical output.
SELECT s AS input, s::vic.industry AS code, vic.industry_scheme(s::vic.industry) AS scheme,
       vic.industry_level(s::vic.industry) AS level
FROM (VALUES ('C'), ('C38'), ('C382'), ('C3825'), ('38'), ('382'), ('3825'), (' c3825 '),
             ('gbt4754:C3825'), ('GBT4754:a0111'), ('T97'), ('A01'), ('S96'),
             ('isic4:C'), ('isic4:C26'), ('isic4:C261'), ('isic4:C2610'), ('isic4:2610'),
             ('ISIC4:u99'), ('isic4:A01'),
             ('nace2:C'), ('nace2:C26'), ('nace2:C26.1'), ('nace2:C26.11'), ('nace2:26.11'),
             ('nace2:C2611'), ('NACE2:c261'),
             ('naics:33'), ('naics:334'), ('naics:3344'), ('naics:33441'), ('naics:334413'),
             ('naics:92')) AS t(s);

-- Round trip: output -> input -> output is the identity.
SELECT bool_and(c::text::vic.industry = c AND c::text::vic.industry::text = c::text) AS round_trip
FROM (VALUES ('C3825'::vic.industry), ('isic4:C2610'), ('nace2:C26.11'), ('naics:334413'),
             ('A'), ('isic4:U'), ('nace2:C26.1'), ('naics:11')) AS t(c);

-- Ordering: a parent sorts right before its descendants; schemes in tag order.
SELECT c FROM (VALUES ('C3825'::vic.industry), ('C38'), ('C'), ('B'), ('C39'), ('C382'),
                      ('C3811'), ('A0111'), ('D'), ('C13'), ('naics:33'), ('isic4:C26'),
                      ('nace2:C26.11'), ('isic4:C'), ('C381'), ('naics:3344')) AS t(c)
ORDER BY c;

-- Comparison operators.
SELECT 'C38'::vic.industry = 'C38' AS eq, 'C38'::vic.industry <> 'C382' AS ne,
       'C38'::vic.industry < 'C382' AS lt, 'C38'::vic.industry <= 'C38' AS le,
       'C39'::vic.industry > 'C3899' AS gt, 'C39'::vic.industry >= 'C39' AS ge,
       'C38'::vic.industry = '38' AS implied_letter;

-- Containment: C38 @> C3825 (ancestor), C3825 <@ C38, not across divisions or schemes.
SELECT 'C38'::vic.industry @> 'C3825' AS anc, 'C3825'::vic.industry <@ 'C38' AS desc_,
       'C38'::vic.industry @> 'C38' AS self, 'C3825'::vic.industry @> 'C38' AS rev,
       'C38'::vic.industry @> 'C3925' AS other_div,
       'C'::vic.industry @> 'isic4:C26' AS other_scheme,
       'naics:33'::vic.industry @> 'naics:334413' AS naics;

-- Hierarchy functions.
SELECT vic.industry_parent('C3825') AS p4, vic.industry_parent('C382') AS p3,
       vic.industry_parent('C38') AS p2, vic.industry_parent('C') IS NULL AS p1_null,
       vic.industry_parent('naics:334413') AS naics_p;
SELECT vic.industry_ancestor('C3825', 1) AS a1, vic.industry_ancestor('C3825', 2) AS a2,
       vic.industry_ancestor('C3825', 3) AS a3, vic.industry_ancestor('C3825', 4) AS a4,
       vic.industry_ancestor('C38', 4) AS deeper_level, vic.industry_ancestor('naics:334413', 5) AS n5;
-- LCA and distance: C3825 and C3811 meet at C38 (level 2): 2 + 2 = 4 hops;
-- C3825 and C1311 meet at C: 3 + 3 = 6; A0111 and C3825 have no common section: 4 + 4 = 8.
SELECT vic.industry_lca('C3825', 'C3811') AS lca1, vic.industry_distance('C3825', 'C3811') AS d1,
       vic.industry_lca('C3825', 'C1311') AS lca2, vic.industry_distance('C3825', 'C1311') AS d2,
       vic.industry_lca('C3825', 'C38') AS lca3, vic.industry_distance('C3825', 'C38') AS d3,
       vic.industry_lca('A0111', 'C3825') IS NULL AS lca4_null, vic.industry_distance('A0111', 'C3825') AS d4,
       vic.industry_distance('C3825', 'C3825') AS d5;

-- Index use: <@ becomes a key range on a btree index.
CREATE TABLE industry_t (code vic.industry);
INSERT INTO industry_t VALUES ('C'), ('C38'), ('C381'), ('C3811'), ('C382'), ('C3825'), ('C39'), ('C3911'), ('B06'), ('D');
CREATE INDEX ON industry_t (code);
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM industry_t WHERE code <@ 'C38';
SELECT code FROM industry_t WHERE code <@ 'C38' ORDER BY code;
EXPLAIN (COSTS OFF) SELECT count(*) FROM industry_t WHERE 'C38' @> code;
EXPLAIN (COSTS OFF) SELECT code FROM industry_t WHERE code @> 'C3825';
SELECT code FROM industry_t WHERE code @> 'C3825' ORDER BY code;
-- A parameter or a join's outer column: the range's upper bound is computed at run time.
PREPARE industry_sub(vic.industry) AS SELECT count(*) FROM industry_t WHERE code <@ $1;
SET plan_cache_mode = force_generic_plan;
EXPLAIN (COSTS OFF) EXECUTE industry_sub('C38');
EXECUTE industry_sub('C38');
RESET plan_cache_mode;
DEALLOCATE industry_sub;
CREATE TABLE industry_q (q vic.industry);
INSERT INTO industry_q VALUES ('C38'), ('C3911'), ('B');
SET enable_hashjoin = off;
SET enable_mergejoin = off;
SET enable_material = off;
EXPLAIN (COSTS OFF) SELECT q, count(code) FROM industry_q LEFT JOIN industry_t ON code <@ q GROUP BY q ORDER BY q;
SELECT q, count(code) FROM industry_q LEFT JOIN industry_t ON code <@ q GROUP BY q ORDER BY q;
RESET enable_hashjoin;
RESET enable_mergejoin;
RESET enable_material;
DROP TABLE industry_q;
SELECT vic.industry_subtree_last('C38') AS c38, vic.industry_subtree_last('C') AS c,
       vic.industry_subtree_last('C3825') AS c3825, vic.industry_subtree_last('naics:33') AS naics;
RESET enable_seqscan;

-- A mixed list in btree order: every parent directly before its descendants.
SELECT code, vic.industry_level(code) AS level FROM industry_t ORDER BY code;

-- Casts to and from text; text, not the int8 inside, is what a user sees.
SELECT 'c38'::text::vic.industry AS from_text, 'nace2:C26.11'::vic.industry::text AS to_text,
       pg_typeof('C38'::vic.industry::text) AS cast_type;
CREATE TABLE industry_cast (code vic.industry);
INSERT INTO industry_cast SELECT '3825'::text;          -- assignment cast from text
SELECT code, code::text || ' ok' AS concatenated FROM industry_cast;

-- Binary round trip: COPY ... (FORMAT binary) to a file and back (send/recv).
CREATE TABLE industry_bin (code vic.industry);
INSERT INTO industry_bin VALUES ('A'), ('C3825'), ('T97'), ('isic4:U99'), ('isic4:C2610'),
                                ('nace2:C26.11'), ('nace2:A01.1'), ('naics:334413'), ('naics:92'), (NULL);
SELECT '/tmp/vic_industry_regress_' || current_setting('port') || '.bin' AS binfile \gset
COPY industry_bin TO :'binfile' (FORMAT binary);
CREATE TABLE industry_bin2 (code vic.industry);
COPY industry_bin2 FROM :'binfile' (FORMAT binary);
SELECT a.code, b.code AS copied, a.code IS NOT DISTINCT FROM b.code AS same
FROM (SELECT code, row_number() OVER () AS n FROM industry_bin) a
JOIN (SELECT code, row_number() OVER () AS n FROM industry_bin2) b USING (n) ORDER BY n;
-- The wire format: a version byte 01, then the 8-byte code big-endian.  By hand from vic.h:
-- C3825 = scheme 1 << 32 | (C=3) << 27 | (38+1) << 20 | (2+1) << 16 | (5+1) << 12 = 0x011A736000;
-- naics:334413 = 4 << 32 | (33+1) << 20 | 5 << 16 | 5 << 12 | 2 << 8 | 4 << 4 = 0x0402255240.
SELECT code, vic.industry_send(code) AS wire FROM industry_bin WHERE code IS NOT NULL ORDER BY code;

-- Hash opclass and hash joins / hash aggregation agree with btree equality.
CREATE INDEX industry_t_hash ON industry_t USING hash (code);
SELECT count(*) FROM industry_t a JOIN industry_t b ON a.code = b.code;
SELECT vic.industry_ancestor(code, 1) AS section, count(*) FROM industry_t GROUP BY 1 ORDER BY 1;

-- NULL in, NULL out (all functions are STRICT).
SELECT vic.industry_level(NULL) IS NULL AS level, vic.industry_parent(NULL) IS NULL AS parent,
       vic.industry_ancestor(NULL, 1) IS NULL AS anc, vic.industry_ancestor('C38', NULL) IS NULL AS anc_level,
       vic.industry_lca('C38', NULL) IS NULL AS lca, vic.industry_distance(NULL, 'C38') IS NULL AS dist,
       vic.industry_name(NULL) IS NULL AS name, ('C38'::vic.industry @> NULL) IS NULL AS contains;

-- Catalogue: 20 + 97 GB/T rows, 21 + 88 ISIC Rev.4 rows, none user-added.
SELECT vic.industry_scheme(code) AS scheme, vic.industry_level(code) AS level, count(*),
       count(name_zh) AS with_zh, bool_or(user_added) AS any_user_added
FROM vic.industry_catalog GROUP BY 1, 2 ORDER BY 1, 2;
-- Names fall back to the nearest named ancestor: C3825 (a class) is named by C38.
SELECT vic.industry_name('C38') AS en, vic.industry_name('C38', 'zh') AS zh,
       vic.industry_name('C3825') AS class_en, vic.industry_name('C3825', 'zh') AS class_zh,
       vic.industry_name('isic4:C2610') AS isic, vic.industry_name('naics:334413') IS NULL AS naics_unnamed;
-- A user-added row is found first and is the kind pg_dump keeps.
INSERT INTO vic.industry_catalog (code, name_en, name_zh) VALUES ('C3841', 'Manufacture of lithium-ion batteries', '锂离子电池制造');
SELECT vic.industry_name('C3841') AS en, vic.industry_name('C3841', 'zh') AS zh, user_added
FROM vic.industry_catalog WHERE code = 'C3841';
SELECT e.extcondition[array_position(e.extconfig, 'vic.industry_catalog'::regclass)] AS dump_filter
FROM pg_extension e WHERE e.extname = 'vic';
-- pg_dump saves the user's row and none of the 226 shipped ones.
CREATE TEMP TABLE industry_dump (line text);
SELECT format('COPY industry_dump FROM PROGRAM %L (FORMAT csv, DELIMITER E''\x01'', QUOTE E''\x02'')',
              format('pg_dump --data-only --table=vic.industry_catalog -h %s -p %s -U %s %s',
                     split_part(current_setting('unix_socket_directories'), ',', 1),
                     current_setting('port'), current_user, current_database())) AS dumpcmd \gset
:dumpcmd;
SELECT line FROM industry_dump WHERE line LIKE '%C38%' OR line LIKE 'COPY%';
SELECT count(*) AS data_rows FROM industry_dump WHERE line ~ E'^[A-Za-z0-9:.]+\t';
DELETE FROM vic.industry_catalog WHERE user_added;

DROP TABLE industry_t, industry_cast, industry_bin, industry_bin2;
