-- vic.profile: worked examples with independently computed results.
--
-- Unless a query says otherwise, the expected numbers were computed by a
-- separate, straightforward numpy implementation of the definitions in
-- doc/profile.md and the papers cited there (dicts of weights -> shares -> formula; Lorenz
-- area by numpy.trapz; standard distance by brute-force RMS of chord
-- lengths to the mean direction), kept in test/bench/profile_reference.py.
SET extra_float_digits = 0;
SET search_path = vic, public;

CREATE TABLE prof_firm (id bigint, ind vic.industry, region text, loc geography, w float8);
INSERT INTO prof_firm VALUES
 (1, 'C1311', 'A', 'POINT(120 30)', 10),
 (2, 'C1312', 'A', 'SRID=4326;POINT(120.5 30.2)', 20),
 (3, 'C1311', 'B', ST_SetSRID(ST_MakePoint(121.0, 31.0), 4326)::geography, 5),
 (4, 'C2011', 'B', ST_GeogFromText('POINT(121.2 31.1)'), 30),
 (5, 'C2011', 'C', 'POINT Z (119 29 100)', 15),
 (6, 'C1411', 'C', ST_SetSRID(ST_MakePoint(119.5, 29.5, 7), 4326)::geography, 10),
 (7, 'C1312', 'A', NULL, 5),
 (8, 'C1411', 'B', 'POINT(121.1 30.9)', 5);

CREATE TABLE prof AS
SELECT vic.profile_agg(id, ind, region, loc, w) FILTER (WHERE id IN (1, 2, 3, 6, 7)) AS p,
       vic.profile_agg(id, ind, region, loc, w) AS ref
FROM prof_firm;

-- the canonical text form
SELECT p FROM prof;
SELECT member_count(p), located_count(p), total_weight(p), region_count(p) FROM prof;
SELECT * FROM members((SELECT p FROM prof));
SELECT industry, weight, round(share::numeric, 10) FROM industry_shares((SELECT ref FROM prof));
SELECT industry, weight, round(share::numeric, 10) FROM industry_shares((SELECT ref FROM prof), 2);
SELECT industry, weight, round(share::numeric, 10) FROM industry_shares((SELECT ref FROM prof), 1);
SELECT region, weight, round(share::numeric, 10) FROM region_shares((SELECT p FROM prof));

-- text and binary forms round-trip bit-exactly
SELECT p::text::vic.profile::text = p::text AS p_text_ok,
       ref::text::vic.profile::text = ref::text AS ref_text_ok
FROM prof;
\copy prof TO 'results/profile.bin' WITH (FORMAT binary)
CREATE TABLE prof_back (LIKE prof);
\copy prof_back FROM 'results/profile.bin' WITH (FORMAT binary)
SELECT a.p::text = b.p::text AS p_binary_ok, a.ref::text = b.ref::text AS ref_binary_ok
FROM prof a, prof_back b;

-- specialisation: numpy gives LQ 2, 2, 1.3333333333, 0 (classes) and
-- 2, 1.3333333333, 0 (divisions); Krugman 0.9; Hachman 0.535714285714
SELECT industry, round(lq::numeric, 10), specialised
FROM location_quotients((SELECT p FROM prof), (SELECT ref FROM prof));
SELECT industry, round(lq::numeric, 10), specialised
FROM location_quotients((SELECT p FROM prof), (SELECT ref FROM prof), 2);
SELECT round(krugman_index(p, ref)::numeric, 10) AS krugman,
       round(krugman_index(p, ref, 2)::numeric, 10) AS krugman_2,
       round(hachman_index(p, ref)::numeric, 10) AS hachman,
       round(hoover_index(p, ref)::numeric, 10) AS hoover,         -- numpy: 0.35
       round(locational_gini(p, ref)::numeric, 10) AS loc_gini     -- numpy: 0.405
FROM prof;

-- concentration and diversity.  numpy: by industry (classes) HHI 0.38,
-- normalised 0.07, equivalent 2.631578947368, entropy 1.485475297227, Gini
-- 0.2; divisions 0.68, 0.36, 1.470588235294, 0.721928094887, 0.3; regions
-- 0.54, 0.31, 1.851851851852, 1.156779649447, 0.4; members 0.26, 0.075,
-- 3.846153846154, 2.121928094887, 0.28.
SELECT by, level,
       round(hhi(p, by, level)::numeric, 10) AS hhi,
       round(hhi_normalized(p, by, level)::numeric, 10) AS normalized,
       round(hhi_equivalent_number(p, by, level)::numeric, 10) AS equivalent,
       round(entropy(p, by, level)::numeric, 10) AS entropy,
       round(gini(p, by, level)::numeric, 10) AS gini
FROM prof, (VALUES ('industry', NULL::int), ('industry', 2), ('region', NULL), ('member', NULL)) v(by, level);

-- Frenken, van Oort & Verburg (2007): UV + RV = entropy at the fine level.
-- numpy: UV 0.721928094887, RV 0.76354720234, sum 1.485475297227.
SELECT round(unrelated_variety(p, 2)::numeric, 10) AS uv,
       round(related_variety(p, 4, 2)::numeric, 10) AS rv,
       round((unrelated_variety(p, 2) + related_variety(p, 4, 2))::numeric, 10) AS uv_plus_rv,
       round(entropy(p, 'industry', 4)::numeric, 10) AS entropy_4
FROM prof;

-- agglomeration: industry profiles of the divisions against all activity.
-- numpy (Ellison & Glaeser 1997 eq. 5; Maurel & Sedillot 1999):
-- C13 gamma 0.43874954562, G 0.41375, H 0.34375, MS 0.491094147583;
-- C20 -0.56106870229, 0.200555555556, 0.555555555556, -0.526717557252.
CREATE TABLE prof_ind AS
SELECT vic.industry_ancestor(ind, 2) AS division, vic.profile_agg(id, ind, region, w) AS p
FROM prof_firm GROUP BY 1;
SELECT division, round((e).gamma::numeric, 10) AS gamma, round((e).g::numeric, 10) AS g,
       round((e).h::numeric, 10) AS h, round(ms::numeric, 10) AS ms
FROM (SELECT division, ellison_glaeser(i.p, ref) AS e, maurel_sedillot(i.p, ref) AS ms
      FROM prof_ind i, prof) s ORDER BY division;
-- coagglomeration of C13 and C14 (EG 1997 eq. 8): numpy -0.411577608142
SELECT round(coagglomeration(ARRAY(SELECT p FROM prof_ind WHERE division IN ('C13', 'C14') ORDER BY division), ref)::numeric, 10)
FROM prof;
-- hand computation: two regions of equal size, two equal plants of the
-- industry both in region X: s = (1, 0), x = (1/2, 1/2), G = 1/2, H = 1/2,
-- sum x^2 = 1/2, gamma = (1/2 - 1/4) / (1/4) = 1; Maurel-Sedillot = 1.
WITH t(id, ind, region, w) AS (VALUES (1, 'C1311', 'X', 1.0), (2, 'C1311', 'X', 1.0),
                                    (3, 'C2011', 'Y', 2.0))
SELECT (ellison_glaeser(i, a)).*, maurel_sedillot(i, a)
FROM (SELECT profile_agg(id, ind::vic.industry, region, w) FILTER (WHERE ind = 'C1311') i,
             profile_agg(id, ind::vic.industry, region, w) a FROM t) s;

-- shift-share (Dunn 1960), by hand: nation A 100 -> 150, B 100 -> 90
-- (g = 1.2, g_A = 1.5, g_B = 0.9); region A 10 -> 20, B 30 -> 24.
-- national = 40 * 0.2 = 8; mix = 10*1.5 + 30*0.9 - 40*1.2 = -6;
-- regional = (20 - 15) + (24 - 27) = 2; total = 44 - 40 = 4.
WITH t(period, geo, id, ind, w) AS (VALUES
  (0, 'r', 1, 'C1311', 10.0), (0, 'r', 2, 'C2011', 30.0),
  (0, 'o', 3, 'C1311', 90.0), (0, 'o', 4, 'C2011', 70.0),
  (1, 'r', 1, 'C1311', 20.0), (1, 'r', 2, 'C2011', 24.0),
  (1, 'o', 3, 'C1311', 130.0), (1, 'o', 4, 'C2011', 66.0))
SELECT (shift_share(r0, r1, n0, n1)).*
FROM (SELECT profile_agg(id, ind::vic.industry, geo, w) FILTER (WHERE period = 0 AND geo = 'r') r0,
             profile_agg(id, ind::vic.industry, geo, w) FILTER (WHERE period = 1 AND geo = 'r') r1,
             profile_agg(id, ind::vic.industry, geo, w) FILTER (WHERE period = 0) n0,
             profile_agg(id, ind::vic.industry, geo, w) FILTER (WHERE period = 1) n1 FROM t) s;

-- openness: p = {1,2,3,6,7}, ref = {1..8}: entries 3, exits 0,
-- turnover 3 / 6.5, Jaccard 5/8
SELECT entries(p, ref), exits(p, ref), round(turnover(p, ref)::numeric, 10), jaccard(p, ref),
       entries(ref, p), exits(ref, p)
FROM prof;
-- members 1..3 in two of three clusters {1,2,3}, {2,3,4}, {1,5}: ids 1,2,3 of 1..5 -> 0.6
WITH t(c, id) AS (VALUES (1, 1), (1, 2), (1, 3), (2, 2), (2, 3), (2, 4), (3, 1), (3, 5))
SELECT multi_membership_share(p)
FROM (SELECT c, profile_agg(id, 'C1311', NULL, 1) p FROM t GROUP BY c) s;

-- centrography: numpy gives the mean direction lon 120.22028565298,
-- lat 30.0897516188934 and a brute-force RMS chord distance 65552.76718564 m.
SELECT round(ST_X(centroid(p)::geometry)::numeric, 9) AS lon,
       round(ST_Y(centroid(p)::geometry)::numeric, 9) AS lat,
       ST_SRID(centroid(p)) AS srid,
       round(standard_distance(p)::numeric, 4) AS sd_m
FROM prof;
