-- pgTAP: vic.profile properties, edge cases, error codes, parallel and
-- two-level aggregation, and a 10^6-member profile.
BEGIN;
SET search_path = vic, public;
SELECT plan(106);

CREATE TEMP TABLE f (id bigint, ind vic.industry, region text, loc geography, w float8);
INSERT INTO f VALUES
 (1, 'C1311', 'A', 'POINT(120 30)', 10),
 (2, 'C1312', 'A', 'POINT(120.5 30.2)', 20),
 (1, 'C1311', 'A', NULL, 5),            -- the same member again: weights add up
 (3, 'C2011', NULL, 'POINT(121 31)', 4), -- no region: the NULL region
 (NULL, 'C1311', 'A', NULL, 99),        -- no member: skipped
 (5, NULL, 'A', NULL, 99);              -- no industry: skipped
CREATE TEMP TABLE pp AS SELECT vic.profile_agg(id, ind, region, loc, w) AS p FROM f;

-- ------------------------------------------------------------------
-- rows, duplicates, NULLs
-- ------------------------------------------------------------------
SELECT is(member_count(p), 3::bigint, 'rows with a NULL member or industry are skipped; a repeated member counts once') FROM pp;
SELECT is(total_weight(p), 39::float8, 'repeated member rows add their weights') FROM pp;
SELECT is((SELECT weight FROM members(p) WHERE member = 1), 15::float8, 'member 1 holds the sum of its rows') FROM pp;
SELECT is(located_count(p), 3::bigint, 'a member is located when any of its rows has a location') FROM pp;
SELECT is(region_count(p), 1, 'the NULL region is not counted as a region') FROM pp;
SELECT is((SELECT weight FROM region_shares(p) WHERE region IS NULL), 4::float8, 'rows without a region form the NULL region') FROM pp;
SELECT ok((SELECT vic.profile_agg(id, ind, region, loc, w) FROM f WHERE false) IS NULL, 'profile_agg over no rows is NULL');
SELECT is((SELECT member_count(vic.profile_agg(id, ind, region, w)) FROM f WHERE id IS NULL), 0::bigint,
          'profile_agg over only skipped rows is an empty profile');
SELECT is(vic.profile_agg(1, 'isic4:C1010', 'r', 2) IS NOT NULL, true, 'other classification schemes are accepted');

-- ------------------------------------------------------------------
-- bad weights and locations (22023)
-- ------------------------------------------------------------------
SELECT throws_ok($$SELECT vic.profile_agg(7, 'C1311', 'A', NULL::float8)$$, '22023', 'null weight for member 7', 'NULL weight');
SELECT throws_ok($$SELECT vic.profile_agg(7, 'C1311', 'A', 'NaN'::float8)$$, '22023', 'invalid weight NaN for member 7', 'NaN weight');
SELECT throws_ok($$SELECT vic.profile_agg(7, 'C1311', 'A', 'Infinity'::float8)$$, '22023', NULL, 'infinite weight');
SELECT throws_ok($$SELECT vic.profile_agg(7, 'C1311', 'A', -1::float8)$$, '22023', 'invalid weight -1 for member 7', 'negative weight');
SELECT throws_ok($$SELECT vic.profile_agg(7, 'C1311', 'A', 'LINESTRING(0 0, 1 1)'::geography, 1)$$, '22023', 'location must be a point', 'line location');
SELECT throws_ok($$SELECT vic.profile_agg(7, 'C1311', 'A', 'POLYGON((0 0, 1 0, 1 1, 0 0))'::geography, 1)$$, '22023', 'location must be a point', 'polygon location');
SELECT throws_ok($$SELECT vic.profile_agg(7, 'C1311', 'A', 'POINT EMPTY'::geography, 1)$$, '22023', 'location must not be an empty point', 'empty point');
SELECT throws_ok($$SELECT vic.profile_agg(7, 'C1311', 'A', 'SRID=4269;POINT(1 1)'::geography, 1)$$, '22023', 'location must be in SRID 4326', 'other SRID');
SELECT throws_ok($$SELECT vic.profile_agg(id, ind, 'A', w) FROM (VALUES (1, 'C1311'::vic.industry, 1.0::float8), (2, 'isic4:C1010', 1)) t(id, ind, w)$$,
                 '22023', 'profile mixes industry classification schemes', 'two schemes in one profile');
SELECT throws_ok($$SELECT vic.profile_agg(id, 'C1311', 'A', 1e308) FROM generate_series(1, 2) id$$, '22003', 'sum of weights is out of range for type double precision', 'sums beyond double precision');
SELECT throws_ok($$SELECT vic.profile_agg(1, 'C1311', 'A', 1) || vic.profile_agg(2, 'isic4:C1010', 'A', 1)$$,
                 '22023', NULL, 'merging two schemes');

-- PostGIS point forms read the same (GSERIALIZED with and without Z, built several ways)
SELECT is((SELECT count(DISTINCT (round(ST_X(c::geometry)::numeric, 12), round(ST_Y(c::geometry)::numeric, 12)))
           FROM (SELECT centroid(vic.profile_agg(1, 'C1311', 'A', g, 1)) AS c
                 FROM (VALUES (1, 'POINT(116.4 39.9)'::geography), (2, 'SRID=4326;POINT Z (116.4 39.9 50)'::geography),
                              (3, ST_SetSRID(ST_MakePoint(116.4, 39.9), 4326)::geography),
                              (4, ST_SetSRID(ST_MakePoint(116.4, 39.9, 12), 4326)::geography),
                              (5, ST_GeogFromText('POINT M (116.4 39.9 3)')),
                              (6, ST_GeogFromText('POINT ZM (116.4 39.9 1 2)'))) v(k, g) GROUP BY k) s), 1::bigint,
          'points with and without Z or M give the same centroid');
SELECT is(round(ST_X(centroid(vic.profile_agg(1, 'C1311', 'A', 'POINT(116.4 39.9)'::geography, 1))::geometry)::numeric, 10), 116.4,
          'centroid of one point is the point (longitude)');
SELECT is(round(ST_Distance(centroid(vic.profile_agg(1, 'C1311', 'A', 'POINT(-73.9 40.7)'::geography, 1)), 'POINT(-73.9 40.7)'::geography)::numeric, 3), 0.000,
          'centroid is a geography PostGIS reads back');

-- ------------------------------------------------------------------
-- text input: syntax (22P02) and content (22P02)
-- ------------------------------------------------------------------
SELECT throws_ok($$SELECT '{"members":[]}'::vic.profile$$, '22P02', NULL, 'truncated text');
SELECT throws_ok($$SELECT 'garbage'::vic.profile$$, '22P02', NULL, 'garbage text');
SELECT throws_ok($$SELECT '{"members":[[1,"C13",-1,false]],"cells":[["a","C13",1]],"location":[0,0,0,0]}'::vic.profile$$, '22P02', NULL, 'negative weight in text');
SELECT throws_ok($$SELECT '{"members":[[1,"C13",1e999,false]],"cells":[["a","C13",1]],"location":[0,0,0,0]}'::vic.profile$$, '22P02', NULL, 'infinite weight in text');
SELECT throws_ok($$SELECT '{"members":[[1,"C13",1,false]],"cells":[["a","C13",1]],"location":[0,0,0,0]} junk'::vic.profile$$, '22P02', NULL, 'junk after the value');
SELECT throws_ok($$SELECT '{"members":[[1,"C13",1,false]],"cells":[],"location":[0,0,0,0]}'::vic.profile$$, '22P02', NULL, 'member without a cell');
SELECT throws_ok($$SELECT '{"members":[],"cells":[],"location":[1,0,0,0]}'::vic.profile$$, '22P02', NULL, 'location moments without located members');
SELECT throws_ok($$SELECT '{"members":[[1,"C13",1,true]],"cells":[["a","C13",1]],"location":[1,2,0,0]}'::vic.profile$$, '22P02', NULL, 'resultant longer than the weight');
SELECT throws_ok($$SELECT '{"members":[[1,"C99",1,false]],"cells":[["a","C99",1]],"location":[0,0,0,0]}'::vic.profile$$, '22P02', NULL, 'invalid industry code');
SELECT throws_ok($$SELECT '{"members":[[1,"C13",1,false],[2,"isic4:C10",1,false]],"cells":[["a","C13",1],["a","isic4:C10",1]],"location":[0,0,0,0]}'::vic.profile$$, '22P02', NULL, 'two schemes in text input');
SELECT throws_ok($$SELECT '{"members":[],"cells":[["a","C13",1],["a","naics:311",1]],"location":[0,0,0,0]}'::vic.profile$$, '22P02', NULL, 'two schemes in the cells of text input');
SELECT is('{"members":[[2,"C13",1,false],[1,"C13",2,false]],"cells":[["b\"q","C13",1],["a","C13",2]],"location":[0,0,0,0]}'::vic.profile::text,
          '{"members":[[1,"C13",2,false],[2,"C13",1,false]],"cells":[["a","C13",2],["b\"q","C13",1]],"location":[0,0,0,0]}',
          'text input is put in canonical order; quotes in region names are escaped');
SELECT is(p::text::vic.profile::text, p::text, 'text round trip') FROM pp;
SELECT is(vic.profile_send(p::text::vic.profile), vic.profile_send(p), 'binary form of the round-tripped value is identical') FROM pp;

-- ------------------------------------------------------------------
-- binary input: hostile (COPY BINARY files crafted byte by byte)
-- ------------------------------------------------------------------
CREATE TEMP TABLE bin (p vic.profile);
\! /usr/bin/python3 -c "import struct,sys; hdr=b'PGCOPY\n\xff\r\n\x00'+struct.pack('!ii',0,0); tr=struct.pack('!h',-1); w=lambda n,b: open('/tmp/vic_profile_'+n+'.bin','wb').write(hdr+struct.pack('!hi',1,len(b))+b+tr); w('ver', b'\x09\x00'+struct.pack('!i',0)); w('count', b'\x01\x00'+struct.pack('!i',1000000)); w('short', b'\x01\x00'+struct.pack('!i',1)+struct.pack('!q',1)); m=lambda i,c,x: struct.pack('!qqd',i,c,x); code=(1<<32)|(3<<27)|(14<<20); w('order', b'\x01\x00'+struct.pack('!i',2)+m(2,code,1)+m(1,code,1)+struct.pack('!i',1)+struct.pack('!i',1)+b'a'+struct.pack('!i',1)+struct.pack('!iqd',0,code,2)+struct.pack('!ddddi',0,0,0,0,0)); w('code', b'\x01\x00'+struct.pack('!i',1)+m(1,code|1,1)+struct.pack('!i',1)+struct.pack('!i',1)+b'a'+struct.pack('!i',1)+struct.pack('!iqd',0,code|1,1)+struct.pack('!ddddi',0,0,0,0,0)); w('ok', b'\x01\x00'+struct.pack('!i',1)+m(1,code,1)+struct.pack('!i',1)+struct.pack('!i',1)+b'a'+struct.pack('!i',1)+struct.pack('!iqd',0,code,1)+struct.pack('!ddddi',0,0,0,0,0)); w('region', b'\x01\x00'+struct.pack('!i',1)+m(1,code,1)+struct.pack('!i',1)+struct.pack('!i',1)+b'a'+struct.pack('!i',1)+struct.pack('!iqd',5,code,1)+struct.pack('!ddddi',0,0,0,0,0))"
\! chmod a+r /tmp/vic_profile_*.bin
SELECT throws_ok($$COPY bin FROM '/tmp/vic_profile_ver.bin' (FORMAT binary)$$, '22P03', NULL, 'binary: unknown version');
SELECT throws_ok($$COPY bin FROM '/tmp/vic_profile_count.bin' (FORMAT binary)$$, '22P03', NULL, 'binary: count beyond the message');
SELECT throws_ok($$COPY bin FROM '/tmp/vic_profile_short.bin' (FORMAT binary)$$, '22P03', NULL, 'binary: truncated entry');
SELECT throws_ok($$COPY bin FROM '/tmp/vic_profile_order.bin' (FORMAT binary)$$, '22P03', NULL, 'binary: members out of order');
SELECT throws_ok($$COPY bin FROM '/tmp/vic_profile_code.bin' (FORMAT binary)$$, '22P03', NULL, 'binary: invalid industry code');
SELECT throws_ok($$COPY bin FROM '/tmp/vic_profile_region.bin' (FORMAT binary)$$, '22P03', NULL, 'binary: region index out of range');
SELECT lives_ok($$COPY bin FROM '/tmp/vic_profile_ok.bin' (FORMAT binary)$$, 'binary: a well-formed value is read');
SELECT is(p::text, '{"members":[[1,"C13",1,false]],"cells":[["a","C13",1]],"location":[0,0,0,0]}', 'binary: the value read') FROM bin;

-- ------------------------------------------------------------------
-- empty and single-member profiles, denominators that are zero
-- ------------------------------------------------------------------
CREATE TEMP TABLE e AS SELECT '{"members":[],"cells":[],"location":[0,0,0,0]}'::vic.profile AS p,
                             vic.profile_agg(1, 'C1311', 'A', 'POINT(10 10)'::geography, 3) AS one;
SELECT is(member_count(p), 0::bigint, 'empty profile: no members') FROM e;
SELECT ok(hhi(p) IS NULL AND entropy(p) IS NULL AND gini(p) IS NULL AND hhi_normalized(p) IS NULL
          AND hhi_equivalent_number(p) IS NULL, 'empty profile: concentration and diversity are NULL') FROM e;
SELECT ok(related_variety(p, 4, 2) IS NULL AND unrelated_variety(p, 2) IS NULL, 'empty profile: varieties are NULL') FROM e;
SELECT ok(krugman_index(p, one) IS NULL AND hachman_index(p, one) IS NULL AND hoover_index(p, one) IS NULL
          AND locational_gini(one, p) IS NULL, 'empty profile: specialisation is NULL') FROM e;
SELECT is((SELECT count(*) FROM location_quotients(p, one)), 0::bigint, 'empty profile: no location quotients') FROM e;
SELECT ok(centroid(p) IS NULL AND standard_distance(p) IS NULL, 'empty profile: no centroid, no standard distance') FROM e;
SELECT ok(jaccard(p, p) IS NULL AND turnover(p, p) IS NULL AND entries(p, one) = 1 AND exits(p, one) = 0,
          'empty profiles: Jaccard and turnover NULL, entries counted') FROM e;
SELECT ok((ellison_glaeser(p, one)).gamma IS NULL AND maurel_sedillot(p, one) IS NULL, 'empty profile: EG and MS NULL') FROM e;
SELECT ok(hhi(one) = 1 AND hhi_normalized(one) = 1 AND hhi_equivalent_number(one) = 1 AND entropy(one) = 0
          AND gini(one) = 0, 'one member: HHI 1, entropy 0, Gini 0') FROM e;
SELECT ok((ellison_glaeser(one, one)).gamma IS NULL AND (ellison_glaeser(one, one)).h = 1,
          'one plant in one region: EG gamma NULL (zero denominator), H = 1') FROM e;
SELECT ok(standard_distance(one) < 0.2, 'one located member: standard distance 0 within the documented 0.1 m') FROM e;
CREATE TEMP TABLE other AS SELECT vic.profile_agg(2, 'C2011', 'A', 1) AS p;
SELECT is((SELECT lq FROM location_quotients((SELECT one FROM e), (SELECT p FROM other)) WHERE industry = 'C1311'), 'Infinity'::float8,
          'an industry the reference lacks has LQ Infinity');
SELECT is(hachman_index(one, other.p), 0::float8, 'Hachman index 0 when the reference lacks an industry') FROM e, other;
SELECT ok(centroid(vic.profile_agg(id, 'C1311', 'A', g, 1)) IS NULL, 'antipodal points balance out: centroid NULL')
FROM (VALUES (1, 'POINT(0 0)'::geography), (2, 'POINT(180 0)'::geography)) v(id, g);
SELECT is(round(standard_distance(vic.profile_agg(id, 'C1311', 'A', g, 1))::numeric, 3), round((6371008.8 * sqrt(2))::numeric, 3),
          'two antipodal points: RMS chord to any centre R sqrt(2)')
FROM (VALUES (1, 'POINT(0 0)'::geography), (2, 'POINT(180 0)'::geography)) v(id, g);

-- ------------------------------------------------------------------
-- parameters out of range, mismatched profiles (22023)
-- ------------------------------------------------------------------
SELECT throws_ok($$SELECT * FROM industry_shares((SELECT p FROM pp), 0)$$, '22023', NULL, 'level 0');
SELECT throws_ok($$SELECT * FROM industry_shares((SELECT p FROM pp), 5)$$, '22023', NULL, 'level 5 in a four-level scheme');
SELECT throws_ok($$SELECT hhi((SELECT p FROM pp), 'sector')$$, '22023', 'unknown dimension "sector"', 'unknown dimension');
SELECT throws_ok($$SELECT entropy((SELECT p FROM pp), 'region', 2)$$, '22023', NULL, 'a level with by => region');
SELECT throws_ok($$SELECT related_variety((SELECT p FROM pp), 2, 2)$$, '22023', NULL, 'coarse level not above fine level');
SELECT throws_ok($$SELECT unrelated_variety((SELECT p FROM pp), 9)$$, '22023', NULL, 'coarse level out of range');
SELECT throws_ok($$SELECT krugman_index((SELECT p FROM pp), vic.profile_agg(1, 'isic4:C1010', 'A', 1))$$, '22023',
                 'profiles use different industry classification schemes', 'Krugman across schemes');
SELECT throws_ok($$SELECT * FROM location_quotients((SELECT p FROM pp), (SELECT vic.profile_agg(1, 'naics:311111', 'A', 1)))$$, '22023', NULL, 'LQ across schemes');
SELECT throws_ok($$SELECT ellison_glaeser((SELECT p FROM pp), vic.profile_agg(1, 'nace2:C10.11', 'A', 1))$$, '22023', NULL, 'EG across schemes');
SELECT throws_ok($$SELECT coagglomeration(ARRAY[(SELECT p FROM pp)], (SELECT p FROM pp))$$, '22023', NULL, 'coagglomeration of one industry');
SELECT throws_ok($$SELECT coagglomeration(ARRAY[(SELECT p FROM pp), NULL], (SELECT p FROM pp))$$, '22023', NULL, 'coagglomeration with a NULL industry');
SELECT throws_ok($$SELECT shift_share(vic.profile_agg(1, 'C1311', 'A', 1), vic.profile_agg(1, 'C1311', 'A', 2),
                                      vic.profile_agg(2, 'C2011', 'A', 1), vic.profile_agg(2, 'C2011', 'A', 1))$$,
                 '22023', NULL, 'shift-share: the nation lacks the region''s industry');
SELECT ok((shift_share(pp.p, pp.p, e.p, e.p)).total IS NULL, 'shift-share against an empty nation is NULL') FROM pp, e;
SELECT throws_ok($$SELECT hhi('{"tally":true,"members":[[1,null,2,false]],"cells":[],"location":[0,0,0,0]}'::vic.profile)$$,
                 '22023', NULL, 'a membership tally is not a profile');
SELECT is(krugman_index(p, p), 0::float8, 'Krugman index of a profile against itself is 0') FROM pp;
SELECT is((SELECT count(*) FROM location_quotients(NULL, (SELECT p FROM pp))), 0::bigint, 'location_quotients with a NULL profile returns no rows');

-- ------------------------------------------------------------------
-- merge: associative, commutative; serial = parallel = two-level
-- ------------------------------------------------------------------
-- a regular table: parallel workers cannot scan temporary tables
CREATE TABLE vic_profile_big AS
SELECT g AS id,
       (ARRAY['C1311','C1312','C1411','C2011','C2612','C3825']::vic.industry[])[1 + abs(hashint4(g)) % 6] AS ind,
       'R' || (abs(hashint4(g + 7)) % 40) AS region,
       ST_SetSRID(ST_MakePoint(110 + (abs(hashint4(g + 1)) % 1000) / 100.0, 25 + (abs(hashint4(g + 2)) % 1000) / 100.0), 4326)::geography AS loc,
       (1 + abs(hashint4(g + 3)) % 100)::float8 AS w,
       g % 10 AS grp
FROM generate_series(1, 100000) g;
ANALYZE vic_profile_big;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
CREATE FUNCTION pg_temp.plan(q text) RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN RETURN QUERY EXECUTE 'EXPLAIN (COSTS OFF) ' || q; END $$;
SELECT ok(EXISTS (SELECT 1 FROM pg_temp.plan('SELECT vic.profile_agg(id, ind, region, loc, w) FROM vic_profile_big') l
                  WHERE l LIKE '%Partial Aggregate%'), 'the planner runs profile_agg as a parallel partial aggregate');
CREATE TEMP TABLE par AS SELECT vic.profile_agg(id, ind, region, loc, w) AS p FROM vic_profile_big;
SET LOCAL max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE ser AS SELECT vic.profile_agg(id, ind, region, loc, w) AS p FROM vic_profile_big;
CREATE TEMP TABLE two AS SELECT vic.merge_agg(p) AS p FROM (SELECT grp, vic.profile_agg(id, ind, region, loc, w) AS p FROM vic_profile_big GROUP BY grp) s;
-- integer weights add up exactly in any order, so everything but the
-- location moments must be identical
SELECT is(regexp_replace(par.p::text, '"location".*', ''), regexp_replace(ser.p::text, '"location".*', ''),
          'parallel and serial profiles are identical (members, cells)') FROM par, ser;
SELECT is(regexp_replace(two.p::text, '"location".*', ''), regexp_replace(ser.p::text, '"location".*', ''),
          'two-level and serial profiles are identical (members, cells)') FROM two, ser;
SELECT ok(abs(standard_distance(par.p) / standard_distance(ser.p) - 1) < 1e-12
          AND abs(standard_distance(two.p) / standard_distance(ser.p) - 1) < 1e-12
          AND ST_Distance(centroid(par.p), centroid(ser.p)) < 1e-3 AND ST_Distance(centroid(two.p), centroid(ser.p)) < 1e-3,
          'location moments agree within 1e-12 relative') FROM par, ser, two;
SELECT ok(abs(entropy(par.p) / entropy(ser.p) - 1) < 1e-12 AND abs(hhi(two.p, 'region') / hhi(ser.p, 'region') - 1) < 1e-12,
          'metrics agree within 1e-12 relative') FROM par, ser, two;
SELECT is(member_count(ser.p), 100000::bigint, '100000 members') FROM ser;
SELECT is(((a.p || b.p) || c.p)::text, (a.p || (b.p || c.p))::text, 'merge is associative (integer weights, no locations)')
FROM (SELECT vic.profile_agg(id, ind, region, w) p FROM vic_profile_big WHERE grp < 3) a,
     (SELECT vic.profile_agg(id, ind, region, w) p FROM vic_profile_big WHERE grp BETWEEN 2 AND 6) b,
     (SELECT vic.profile_agg(id, ind, region, w) p FROM vic_profile_big WHERE grp > 5) c;
SELECT is((a.p || b.p)::text, (b.p || a.p)::text, 'merge is commutative')
FROM (SELECT vic.profile_agg(id, ind, region, loc, w) p FROM vic_profile_big WHERE grp < 5) a,
     (SELECT vic.profile_agg(id, ind, region, loc, w) p FROM vic_profile_big WHERE grp >= 3) b;
SELECT is(multi_membership_share(p), 0.2::float8, 'members in two of the overlapping group profiles: 20000 of 100000')
FROM (SELECT vic.profile_agg(id, ind, region, w) p FROM vic_profile_big WHERE grp < 5
      UNION ALL SELECT vic.profile_agg(id, ind, region, w) FROM vic_profile_big WHERE grp >= 3) s;

CREATE TABLE vic_profile_groups AS
SELECT grp, vic.profile_agg(id, ind, region, w) AS p FROM vic_profile_big GROUP BY grp
UNION ALL SELECT grp + 100, vic.profile_agg(id, ind, region, w) FROM vic_profile_big WHERE id % 3 = 0 GROUP BY grp;
ANALYZE vic_profile_groups;
SET LOCAL max_parallel_workers_per_gather = 2;
SELECT ok(EXISTS (SELECT 1 FROM pg_temp.plan('SELECT vic.multi_membership_share(p) FROM vic_profile_groups') l
                  WHERE l LIKE '%Partial Aggregate%'), 'multi_membership_share runs as a parallel partial aggregate');
SELECT is(multi_membership_share(p), 0.33333::float8, 'multi_membership_share in a parallel plan: the 33333 multiples of 3 of 100000 members are in two profiles')
FROM vic_profile_groups;
SET LOCAL max_parallel_workers_per_gather = 0;

-- ------------------------------------------------------------------
-- a profile of 10^6 members: build, merge, round trips
-- ------------------------------------------------------------------
CREATE TEMP TABLE m6 AS
SELECT vic.profile_agg(g, 'C1311', 'R' || (g % 100), (g % 7)::float8) AS p FROM generate_series(1, 1000000) g;
SELECT is(member_count(p), 1000000::bigint, '10^6 members') FROM m6;
SELECT is((SELECT member_count(a.p || b.p) FROM
             (SELECT vic.profile_agg(g, 'C1311', 'R', 1) p FROM generate_series(1, 600000) g) a,
             (SELECT vic.profile_agg(g, 'C1311', 'R', 1) p FROM generate_series(400001, 1000000) g) b),
          1000000::bigint, 'merging two 600000-member profiles that overlap by 200000');
SELECT ok(p::text::vic.profile::text = p::text, '10^6 members: text round trip') FROM m6;
COPY m6 TO '/tmp/vic_profile_m6.bin' (FORMAT binary);
CREATE TEMP TABLE m6b (p vic.profile);
COPY m6b FROM '/tmp/vic_profile_m6.bin' (FORMAT binary);
SELECT ok(vic.profile_send(a.p) = vic.profile_send(b.p), '10^6 members: binary round trip') FROM m6 a, m6b b;
\! rm -f /tmp/vic_profile_*.bin

-- ------------------------------------------------------------------
-- row order: the profile of a multiset of rows does not depend on the
-- order they arrive in (the flat form is canonical: members sorted by id
-- and industry, duplicates folded).  The orders exercise each path of the
-- member sort: already sorted, local disorder (bounded insertion), a
-- rotation (synchronized scans), far-displaced rows and many runs (run
-- merges), reversed, blocks of 60 reversed (too many moves for insertion)
-- and random (radix sort).
-- ------------------------------------------------------------------
CREATE TEMP TABLE ord_rows AS
SELECT g, (ARRAY['C1311','C1312','C1411'])[1 + g % 3]::vic.industry AS ind,
       CASE WHEN g % 11 = 0 THEN NULL ELSE 'R' || (g % 7) END AS r, (g % 5)::float8 AS w
FROM generate_series(1, 50000) g
UNION ALL SELECT g, 'C1311', 'R1', 1 FROM generate_series(1, 50000, 97) g      -- same member and industry again
UNION ALL SELECT g, 'C2011', 'Rx' || g, 0 FROM generate_series(1, 50000, 13) g;  -- 3847 more regions
CREATE TEMP TABLE ord_ref AS SELECT vic.profile_agg(g, ind, r, w ORDER BY g, ind)::text AS t FROM ord_rows;
SELECT is((SELECT vic.profile_agg(g, ind, r, w ORDER BY k)::text
           FROM (SELECT *, CASE o
                   WHEN 'reversed' THEN -g::float8
                   WHEN 'rotated' THEN ((g + 31234) % 50000)::float8
                   WHEN 'local' THEN g + (hashint4(g) % 50) * 1.0
                   WHEN 'rotated+local' THEN ((g + 31234) % 50000) + (hashint4(g) % 40) * 1.0
                   WHEN 'far' THEN CASE WHEN g % 1000 = 0 THEN -g ELSE g END
                   WHEN 'many runs' THEN (g % 20) * 100000 + g
                   WHEN 'blocks reversed' THEN (g / 60) * 60 + (59 - g % 60)
                   ELSE hashint4(g)::float8 END AS k FROM ord_rows) x),
          (SELECT t FROM ord_ref), 'row order ' || o || ': the same profile')
FROM unnest(ARRAY['reversed', 'rotated', 'local', 'rotated+local', 'far', 'many runs', 'blocks reversed',
                  'random']) o;
-- rows of many groups in turn (a hash aggregate) count their cells when compacted; rows of one
-- group in a row count them at once (in a dense matrix, or past 262144 cells in the hash table)
SET LOCAL enable_sort = off;	-- a hash aggregate, whose rows alternate between the groups
SELECT is((WITH h AS MATERIALIZED (SELECT g % 4 AS grp, vic.profile_agg(g, ind, r, w) AS p FROM ord_rows GROUP BY 1)
           SELECT count(*) FROM h
           WHERE h.p::text = (SELECT vic.profile_agg(g, ind, r, w)::text FROM ord_rows WHERE g % 4 = h.grp)),
          4::bigint, 'each group of a hash aggregate equals the same rows aggregated alone');
SET LOCAL enable_sort = on;
SELECT is((SELECT vic.region_count(vic.profile_agg(g, ind, 'R' || g, 1)) FROM
             (SELECT g, (ARRAY['C1311','C1312','C1411','C1512','C2011'])[1 + g % 5]::vic.industry AS ind
              FROM generate_series(1, 100000) g) x), 100000,
          '100000 regions x 5 industries: more cells than the dense matrix holds');

-- locations: the unit vector of a point and back (vic.centroid of one point) is the point, at the
-- poles, the antimeridian and multiples of 90 degrees too; the exact reduction of degrees keeps
-- cos(90) at 0 where a libm cos(pi/2) gives 6e-17
SELECT ok(bool_and(abs(ST_X(c::geometry) - lon) < 1e-12 AND abs(ST_Y(c::geometry) - lat) < 1e-12),
          'centroid of one point returns the point (lon, lat on a grid, within 1e-12 degrees)')
FROM (SELECT lon, lat, vic.centroid(vic.profile_agg(1, 'C1311', NULL,
             ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography, 1)) AS c
      FROM generate_series(-179, 179, 7.25) lon, generate_series(-89, 89, 4.5) lat GROUP BY lon, lat) s;
SELECT is(ST_AsText(vic.centroid(vic.profile_agg(1, 'C1311', NULL, 'SRID=4326;POINT(90 0)'::geography, 1))),
          'POINT(90 0)', 'centroid of (90, 0) is exactly (90, 0)');

-- more region names than the call-site cache keeps (10^6): the rest count their cells directly;
-- and an estimate far below the rows (g % 2 = 0 is estimated at 0.5%), so the member array
-- sized from it must grow: both give the profile that merging the halves gives
SELECT is((SELECT vic.region_count(vic.profile_agg(g, 'C1311', 'R' || g, 1)) FROM generate_series(1, 1100000) g),
          1100000, '1.1 million regions: past the call-site cache');
SELECT is((SELECT vic.profile_agg(g, 'C1311', 'R' || (g % 1000), 1)::text FROM generate_series(1, 3000000) g WHERE g % 2 = 0),
          (SELECT (a.p || b.p)::text FROM
             (SELECT vic.profile_agg(g, 'C1311', 'R' || (g % 1000), 1) p FROM generate_series(1, 1500000) g WHERE g % 2 = 0) a,
             (SELECT vic.profile_agg(g, 'C1311', 'R' || (g % 1000), 1) p FROM generate_series(1500001, 3000000) g WHERE g % 2 = 0) b),
          '1.5 million rows where the planner expects 15000: the member array grows past its estimate');

-- ------------------------------------------------------------------
-- beyond the varlena limit: 45 million members (24 bytes each) do not fit
-- in 1 GB
-- ------------------------------------------------------------------
SELECT throws_ok($$SELECT vic.member_count(vic.profile_agg(g, 'C1311', NULL, 1)) FROM generate_series(1, 45000000) g$$,
                 '54000', 'value of type vic.profile is too large', 'a profile of 45 million members fails with 54000');

SELECT * FROM finish();
ROLLBACK;
