-- pgTAP: vic.iotable analyses against published worked examples and hand computation.
-- Sources, named beside each test:
--   Miller & Blair (2009), Input-Output Analysis: Foundations and Extensions, 2nd ed.: Table 2.3
--     (2-sector open model), ch. 2 (closed with respect to households), ch. 6
--     (income multipliers), ch. 12 (linkages, Ghosh).  The book prints 3-4 decimals; the
--     1e-9 checks use the exact rational values of the same expressions (hand computation with
--     exact fractions: (I - A)^-1 of Table 2.3 is [[380, 100], [80, 340]] / 303).
--   pymrio (IndEcol/pymrio, tests/test_math.py, fixture td_small_MRIO): a 2-region x 3-sector MRIO
--     whose L and G the pymrio test suite documents.
BEGIN;
SELECT plan(34);
SET LOCAL search_path = vic, public;

-- max |got - want| over (row, col) keys, Infinity when a key is on one side only
CREATE FUNCTION pg_temp.matdiff(got text, want text) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE d float8;
BEGIN
    EXECUTE format('SELECT max(CASE WHEN g.v IS NULL OR w.v IS NULL THEN ''Infinity''::float8 ELSE abs(g.v - w.v) END)
                    FROM (%s) g(r, c, v) FULL JOIN (%s) w(r, c, v) ON g.r = w.r AND g.c = w.c', got, want) INTO d;
    RETURN d;
END $$;
-- the same over single keys
CREATE FUNCTION pg_temp.vecdiff(got text, want text) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE d float8;
BEGIN
    EXECUTE format('SELECT max(CASE WHEN g.v IS NULL OR w.v IS NULL THEN ''Infinity''::float8 ELSE abs(g.v - w.v) END)
                    FROM (%s) g(k, v) FULL JOIN (%s) w(k, v) ON g.k = w.k', got, want) INTO d;
    RETURN d;
END $$;

-- ---------------------------------------------------------------- Miller & Blair Table 2.3
CREATE TEMP TABLE flow (from_sector text, to_sector text, value float8);
INSERT INTO flow VALUES ('1', '1', 150), ('1', '2', 500), ('2', '1', 200), ('2', '2', 100);
-- sector accounts of Table 2.3; labour income 300 and 500 (ch. 6: a_n+1 = (0.3, 0.25))
CREATE TEMP TABLE account (sector text, total_output float8, final_demand float8, value_added float8, income float8);
INSERT INTO account VALUES ('1', 1000, 350, 650, 300), ('2', 2000, 1700, 1400, 500);
CREATE TEMP TABLE mb AS
SELECT (SELECT iotable_agg(from_sector, to_sector, value) FROM flow)
       || (SELECT iotable_accounts_agg(sector, total_output, final_demand, NULL, NULL, value_added, income, NULL)
           FROM account) AS t;

SELECT ok(pg_temp.matdiff($$SELECT * FROM technical_coefficients((SELECT t FROM mb))$$,
                  $$VALUES ('1', '1', 0.15::float8), ('1', '2', 0.25), ('2', '1', 0.2), ('2', '2', 0.05)$$) < 1e-15,
          'A of Table 2.3 (Miller & Blair 2009, ch. 2 and Table 2.4)');
SELECT ok(pg_temp.matdiff($$SELECT * FROM leontief_inverse((SELECT t FROM mb))$$,
                  $$VALUES ('1', '1', 380::float8 / 303), ('1', '2', 100::float8 / 303), ('2', '1', 80::float8 / 303),
                           ('2', '2', 340::float8 / 303)$$) < 1e-9,
          'L of Table 2.3: [[1.2541, 0.3300], [0.2640, 1.1221]] (Miller & Blair 2009, ch. 2)');
SELECT ok(pg_temp.matdiff($$SELECT * FROM allocation_coefficients((SELECT t FROM mb))$$,
                  $$VALUES ('1', '1', 0.15::float8), ('1', '2', 0.5), ('2', '1', 0.1), ('2', '2', 0.05)$$) < 1e-15,
          'B = diag(x)^-1 Z of Table 2.3 (Miller & Blair 2009, ch. 12)');
SELECT ok(pg_temp.matdiff($$SELECT * FROM ghosh_inverse((SELECT t FROM mb))$$,
                  $$VALUES ('1', '1', 380::float8 / 303), ('1', '2', 200::float8 / 303), ('2', '1', 40::float8 / 303),
                           ('2', '2', 340::float8 / 303)$$) < 1e-9,
          'G = (I - B)^-1 = diag(x)^-1 L diag(x) (Miller & Blair 2009, ch. 12)');
SELECT ok(pg_temp.vecdiff($$SELECT sector, multiplier FROM output_multipliers((SELECT t FROM mb))$$,
                  $$VALUES ('1', 460::float8 / 303), ('2', 440::float8 / 303)$$) < 1e-9,
          'output multipliers 1.518 and 1.452 (Miller & Blair 2009, ch. 6)');
SELECT ok(pg_temp.vecdiff($$SELECT sector, income_multiplier FROM output_multipliers((SELECT t FROM mb))$$,
                  $$VALUES ('1', 134::float8 / 303), ('2', 115::float8 / 303)$$) < 1e-9,
          'household income multipliers 0.442 and 0.380 (Miller & Blair 2009, ch. 6)');
SELECT ok(pg_temp.vecdiff($$SELECT sector, income_type_i FROM output_multipliers((SELECT t FROM mb))$$,
                  $$VALUES ('1', 1340::float8 / 909), ('2', 460::float8 / 303)$$) < 1e-9,
          'type I income multipliers 1.474 and 1.518 (Miller & Blair 2009, ch. 6)');
SELECT is((SELECT count(*) FROM output_multipliers((SELECT t FROM mb)) WHERE employment_multiplier IS NULL AND employment_type_i IS NULL),
          2::bigint, 'employment multipliers are NULL without employment accounts');
-- employment 30 and 20 persons, w = (0.03, 0.01): sum_i w_i l_ij = (12.2, 6.4) / 303, type I divided
-- by w_j (hand computation, the employment analogue of Miller & Blair 2009, ch. 6)
SELECT ok(pg_temp.vecdiff($$SELECT sector, employment_multiplier FROM output_multipliers((SELECT t FROM mb) || '{"1".employment:30,"2".employment:20}')$$,
                  $$VALUES ('1', 12.2::float8 / 303), ('2', 6.4::float8 / 303)$$) < 1e-9
          AND pg_temp.vecdiff($$SELECT sector, employment_type_i FROM output_multipliers((SELECT t FROM mb) || '{"1".employment:30,"2".employment:20}')$$,
                  $$VALUES ('1', 1220::float8 / 909), ('2', 640::float8 / 303)$$) < 1e-9,
          'employment multipliers, simple and type I');
SELECT ok(pg_temp.vecdiff($$SELECT sector, output_change FROM impact((SELECT t FROM mb), '{"1".final_demand:600,"2".final_demand:1500}')$$,
                  $$VALUES ('1', 378000::float8 / 303), ('2', 558000::float8 / 303)$$) < 1e-9,
          'x = L f for f = (600, 1500): 1247.5 and 1841.6 (Miller & Blair 2009, ch. 2; pymrio td_IO_Data_Miller xnew)');
SELECT ok(pg_temp.vecdiff($$SELECT sector, output_change FROM impact((SELECT t FROM mb), '{"2".final_demand:-100}')$$,
                  $$VALUES ('1', -10000::float8 / 303), ('2', -34000::float8 / 303)$$) < 1e-9,
          'a shock on one sector: L times (0, -100), the other sector at 0');

-- Rasmussen-Hirschman linkages, hand computation from A, B, L and G above (Miller & Blair 2009,
-- ch. 12): direct = column sums of A / row sums of B, total = column sums of L / row sums of G
SELECT ok(pg_temp.vecdiff($$SELECT sector, backward_direct FROM linkages((SELECT t FROM mb))$$, $$VALUES ('1', 0.35::float8), ('2', 0.3)$$) < 1e-15
          AND pg_temp.vecdiff($$SELECT sector, forward_direct FROM linkages((SELECT t FROM mb))$$, $$VALUES ('1', 0.65::float8), ('2', 0.15)$$) < 1e-15,
          'direct linkages: column sums of A, row sums of B (not the total ones)');
SELECT ok(pg_temp.vecdiff($$SELECT sector, backward_total FROM linkages((SELECT t FROM mb))$$, $$VALUES ('1', 460::float8 / 303), ('2', 440::float8 / 303)$$) < 1e-9
          AND pg_temp.vecdiff($$SELECT sector, forward_total FROM linkages((SELECT t FROM mb))$$, $$VALUES ('1', 580::float8 / 303), ('2', 380::float8 / 303)$$) < 1e-9,
          'total linkages: column sums of L, row sums of G');
SELECT ok(pg_temp.vecdiff($$SELECT sector, backward_index FROM linkages((SELECT t FROM mb))$$, $$VALUES ('1', 92::float8 / 90), ('2', 88::float8 / 90)$$) < 1e-9
          AND pg_temp.vecdiff($$SELECT sector, forward_index FROM linkages((SELECT t FROM mb))$$, $$VALUES ('1', 1160::float8 / 960), ('2', 760::float8 / 960)$$) < 1e-9,
          'Rasmussen indexes n c_j / sum c (Rasmussen 1956)');
SELECT results_eq($$SELECT sector, key_sector FROM linkages((SELECT t FROM mb))$$, $$VALUES ('1'::text, true), ('2', false)$$,
                  'key sector: both indexes above 1 (Hirschman 1958)');

-- Hypothetical extraction (Dietzenbacher, van der Linden & Steenge 1993): hand computation by
-- re-solving the extracted systems with exact fractions (column j of A zeroed with f held; row j of
-- B zeroed with primary inputs held; row and column j of A zeroed), loss of sum_i x_i = 3000
SELECT ok(pg_temp.vecdiff($$SELECT sector, backward_loss FROM extraction((SELECT t FROM mb))$$,
                  $$VALUES ('1', 7850::float8 / 19), ('2', 13700::float8 / 17)$$) < 1e-9, 'backward extraction losses');
SELECT ok(pg_temp.vecdiff($$SELECT sector, forward_loss FROM extraction((SELECT t FROM mb))$$,
                  $$VALUES ('1', 13850::float8 / 19), ('2', 7700::float8 / 17)$$) < 1e-9, 'forward extraction losses');
SELECT ok(pg_temp.vecdiff($$SELECT sector, total_loss FROM extraction((SELECT t FROM mb))$$,
                  $$VALUES ('1', 16350::float8 / 19), ('2', 15100::float8 / 17)$$) < 1e-9, 'total extraction losses');

-- Upstreamness (Antras, Chor, Fally & Hillberry 2012): closed economy = row sums of G; open
-- economy with exports e = (100, 0), imports m = (0, 50): U = (I - D)^-1 1, d_ij = z_ij / (x_i - e_i + m_i),
-- by hand with exact fractions
SELECT ok(pg_temp.vecdiff($$SELECT sector, upstreamness FROM upstreamness((SELECT t FROM mb))$$,
                  $$VALUES ('1', 580::float8 / 303), ('2', 380::float8 / 303)$$) < 1e-9,
          'closed-economy upstreamness = row sums of the Ghosh inverse');
SELECT ok(pg_temp.vecdiff($$SELECT sector, downstreamness FROM upstreamness((SELECT t FROM mb))$$,
                  $$VALUES ('1', 460::float8 / 303), ('2', 440::float8 / 303)$$) < 1e-9,
          'downstreamness = column sums of L (Miller & Temurshoev 2017)');
SELECT ok(pg_temp.vecdiff($$SELECT sector, upstreamness FROM upstreamness((SELECT t FROM mb) || '{"1".exports:100,"2".imports:50}')$$,
                  $$VALUES ('1', 1112::float8 / 545), ('2', 687::float8 / 545)$$) < 1e-9,
          'open-economy upstreamness (ACFH 2012 correction: x_i - e_i + m_i)');

-- ---------------------------------------------------------------- closed model (Miller & Blair 2009, ch. 2)
-- Households as a third sector: labour income row (300, 500, 50), consumption column (50, 400, 50),
-- household total 1000, so A-bar = [[.15,.25,.05],[.2,.05,.4],[.3,.25,.05]].  The book prints
-- L-bar = [[1.3651, .4253, .2509], [.5273, 1.3481, .5954], [.5698, .4890, 1.2885]]; the exact values
-- below are that inverse in fractions (determinant 4703/10000).
CREATE TEMP TABLE closed AS
SELECT (SELECT iotable_agg(from_sector, to_sector, value) FROM flow)
       || '{"1"->"h":50,"2"->"h":400,"h"->"1":300,"h"->"2":500,"h"->"h":50,"1".total_output:1000,"2".total_output:2000,"h".total_output:1000}'::iotable AS t;
SELECT ok(pg_temp.matdiff($$SELECT * FROM leontief_inverse((SELECT t FROM closed))$$,
                  $$VALUES ('1', '1', 6420::float8 / 4703), ('1', '2', 2000::float8 / 4703), ('1', 'h', 1180::float8 / 4703),
                           ('2', '1', 2480::float8 / 4703), ('2', '2', 6340::float8 / 4703), ('2', 'h', 2800::float8 / 4703),
                           ('h', '1', 2680::float8 / 4703), ('h', '2', 2300::float8 / 4703), ('h', 'h', 6060::float8 / 4703)$$) < 1e-9,
          'closed-model L-bar (Miller & Blair 2009, ch. 2)');
SELECT ok(pg_temp.matdiff($$SELECT * FROM leontief_inverse((SELECT t FROM closed))$$,
                  $$VALUES ('1', '1', 1.3651::float8), ('1', '2', .4253), ('1', 'h', .2509), ('2', '1', .5273), ('2', '2', 1.3481),
                           ('2', 'h', .5954), ('h', '1', .5698), ('h', '2', .4890), ('h', 'h', 1.2885)$$) < 5e-5,
          'closed-model L-bar to the book''s four printed decimals');

-- ---------------------------------------------------------------- pymrio's small MRIO
-- IndEcol/pymrio tests/test_math.py, td_small_MRIO: Z (2 regions x 3 sectors), Y (final demand by
-- region, summed here), x = (51, 15, 58, 50, 52, 39); region-qualified keys "reg1.sector1", ...
CREATE TEMP TABLE pz (r int, c int, v float8);
INSERT INTO pz SELECT r, c, (ARRAY[[10, 5, 1, 6, 5, 7], [0, 2, 0, 0, 5, 3], [10, 3, 20, 4, 2, 0],
                                   [5, 0, 0, 1, 10, 9], [0, 10, 1, 0, 20, 1], [5, 0, 0, 1, 10, 10]])[r][c]
FROM generate_series(1, 6) r, generate_series(1, 6) c;
CREATE TEMP TABLE key (i int, k text);
INSERT INTO key SELECT i, format('reg%s.sector%s', (i - 1) / 3 + 1, (i - 1) % 3 + 1) FROM generate_series(1, 6) i;
CREATE TEMP TABLE pm AS
SELECT (SELECT iotable_agg(a.k, b.k, v) FROM pz JOIN key a ON a.i = r JOIN key b ON b.i = c)
       || (SELECT iotable_accounts_agg(k, (ARRAY[51, 15, 58, 50, 52, 39])[i], (ARRAY[17, 5, 19, 25, 20, 13])[i], NULL, NULL, NULL)
           FROM key) AS t;
CREATE TEMP TABLE pl (r int, c int, v float8);
INSERT INTO pl SELECT r, c, (ARRAY[
  [1.3387146304736708, 0.9689762471208287, 0.05036622549592462, 0.17820960407435948, 0.5752019383714646, 0.4985179148178926],
  [0.02200779585580331, 1.3716472861392823, 0.0076800357678581885, 0.006557415453762468, 0.2698335633228079, 0.15854643902810828],
  [0.43290422861412026, 0.8627066565439678, 1.5492942759220427, 0.18491657196329184, 0.44027825642348534, 0.26630955082840885],
  [0.18799498787612925, 0.5244084722329316, 0.020254008037620782, 1.0542007368783255, 0.5816573175534603, 0.44685014763069275],
  [0.04400982046095892, 1.5325472495862535, 0.05259311578831879, 0.014602513642445088, 1.9545285794951548, 0.2410917825607805],
  [0.19294222439918532, 0.5382086951864299, 0.020787008249137116, 0.05562707205933412, 0.596964089068025, 1.4849251515157111]])[r][c]
FROM generate_series(1, 6) r, generate_series(1, 6) c;
CREATE TEMP TABLE pg (r int, c int, v float8);
INSERT INTO pg SELECT r, c, (ARRAY[
  [1.33871463, 0.28499301, 0.05727924, 0.1747153, 0.58648041, 0.38121958],
  [0.07482651, 1.37164729, 0.02969614, 0.02185805, 0.93542302, 0.41222074],
  [0.38065717, 0.22311379, 1.54929428, 0.15941084, 0.39473223, 0.17907022],
  [0.19175489, 0.15732254, 0.02349465, 1.05420074, 0.60492361, 0.34854312],
  [0.04316348, 0.44208094, 0.05866155, 0.01404088, 1.95452858, 0.18081884],
  [0.25230906, 0.20700334, 0.03091401, 0.07131676, 0.79595212, 1.48492515]])[r][c]
FROM generate_series(1, 6) r, generate_series(1, 6) c;
SELECT ok(pg_temp.matdiff($$SELECT * FROM leontief_inverse((SELECT t FROM pm))$$,
                  $$SELECT a.k, b.k, v FROM pl JOIN key a ON a.i = r JOIN key b ON b.i = c$$) < 1e-9,
          'pymrio td_small_MRIO: L to 1e-9');
SELECT ok(pg_temp.matdiff($$SELECT * FROM ghosh_inverse((SELECT t FROM pm))$$,
                  $$SELECT a.k, b.k, v FROM pg JOIN key a ON a.i = r JOIN key b ON b.i = c$$) < 6e-9,
          'pymrio td_small_MRIO: G to its eight printed decimals');
SELECT ok((SELECT bool_and(balanced) FROM io_balance((SELECT t FROM pm))), 'pymrio td_small_MRIO rows balance');

-- ---------------------------------------------------------------- regionalisation (hand computation)
-- National table = Table 2.3 with sectors named as GB/T 4754 divisions C13 and C14.  Nation
-- employment C13 600, C14 400 (NE = 1000); region C13 30, C14 70 (RE = 100).  SLQ = (0.5, 1.75);
-- FLQ lambda = log2(1 + 100/1000)^0.3 (Flegg & Webber 1997); CILQ_ij = SLQ_i / SLQ_j;
-- r_ij = a_ij min(1, LQ_ij); regional output x_j RE_j / NE_j = (50, 350).
CREATE TEMP TABLE nat AS
SELECT t AS t, (SELECT profile_agg(id, ind::industry, 'CN', w) FROM (VALUES (1, 'C13', 600), (2, 'C14', 400)) v(id, ind, w)) AS nation,
       (SELECT profile_agg(id, ind::industry, 'R', w) FROM (VALUES (1, 'C13', 30), (2, 'C14', 70)) v(id, ind, w)) AS region
FROM (SELECT '{"C13"->"C13":150,"C13"->"C14":500,"C14"->"C13":200,"C14"->"C14":100,"C13".total_output:1000,"C14".total_output:2000}'::iotable AS t) s;
SELECT ok(pg_temp.matdiff($$SELECT * FROM technical_coefficients((SELECT regionalize(t, region, nation, 'slq') FROM nat))$$,
                  $$VALUES ('C13', 'C13', 0.075::float8), ('C13', 'C14', 0.125), ('C14', 'C13', 0.2), ('C14', 'C14', 0.05)$$) < 1e-12,
          'SLQ regional coefficients');
SELECT ok(pg_temp.matdiff($$SELECT * FROM technical_coefficients((SELECT regionalize(t, region, nation, 'cilq') FROM nat))$$,
                  $$VALUES ('C13', 'C13', 0.15::float8), ('C13', 'C14', 0.25 * (0.5 / 1.75)), ('C14', 'C13', 0.2), ('C14', 'C14', 0.05)$$) < 1e-12,
          'CILQ regional coefficients');
SELECT ok(pg_temp.matdiff($$SELECT * FROM technical_coefficients((SELECT regionalize(t, region, nation) FROM nat))$$,
                  $$SELECT v.* FROM (VALUES (log(2, 1.1) ^ 0.3)) l(lam),
                    LATERAL (VALUES ('C13', 'C13', 0.15 * lam), ('C13', 'C14', 0.25 * lam * 0.5 / 1.75), ('C14', 'C13', 0.2),
                                    ('C14', 'C14', 0.05 * lam)) v$$) < 1e-12,
          'FLQ regional coefficients, delta 0.3 (lambda = 0.5514)');
SELECT ok(pg_temp.vecdiff($$SELECT sector, total_output FROM iotable_sectors((SELECT regionalize(t, region, nation, 'FLQ', 0.1) FROM nat))$$,
                  $$VALUES ('C13', 50::float8), ('C14', 350)$$) < 1e-12,
          'regional output x_j RE_j / NE_j (method keyword case ignored)');
SELECT throws_ok($$SELECT regionalize(t, region, nation, 'lq') FROM nat$$, '22023', NULL, 'unknown method');
SELECT throws_ok($$SELECT regionalize(t, region, nation, 'flq', 1) FROM nat$$, '22023', 'delta must be in [0, 1) for the FLQ, not 1', 'delta out of range');
SELECT throws_ok($$SELECT regionalize(t || '{"C15".total_output:5}', region, nation) FROM nat$$, '22023',
                 'sectors without national weight: "C15"', 'a sector missing from the nation profile is named');
SELECT throws_ok($$SELECT regionalize('{"x"->"x":1,"x".total_output:4}', region, nation) FROM nat$$, '22P02', NULL,
                 'sector keys must be industry codes');

SELECT * FROM finish();
ROLLBACK;
