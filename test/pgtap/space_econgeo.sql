-- pgTAP: vic.space against published examples.
--
-- R EconGeo (github.com/PABalland/EconGeo, version 2.x) documents its functions with example
-- matrices in its help pages (man/*.Rd).  The expected numbers below were computed from those
-- matrices and the documented definitions by test/fixtures/space/econgeo_examples.R (base R, dense,
-- independent of vic; EconGeo itself is not packaged for Debian), and checked by hand where noted.
-- Industries I1..I5 of the examples are the GB/T 4754 divisions C13, C14, C15, C17, C18.
BEGIN;
SELECT plan(16);
SET LOCAL search_path = vic, public;
SET LOCAL extra_float_digits = 0;

-- ---------------------------------------------------------------- location_quotient.Rd
-- The example matrix of man/location_quotient.Rd (5 regions x 5 industries); its LQ, computed as
-- (x_ci / x_c) / (x_i / x) (Balassa 1965).  Every value is a short decimal and exactly a double;
-- the zero cells of the matrix are not cells of the space.  Hand check: R3/I2 = (20/100) /
-- (100/500) = 1, so RCA exactly 1 is present, as EconGeo's binary form has it.
CREATE TEMP TABLE lq AS SELECT '{"R1":{C13=100},"R2":{C14=15,C15=5,C17=70,C18=10},"R3":{C14=20,C15=10,C17=20,C18=50},"R4":{C14=25,C15=30,C17=5,C18=40},"R5":{C14=40,C15=55,C17=5}}'::space AS s;
SELECT results_eq($$SELECT unit, industry::text, rca, present FROM lq, rca(s)$$,
                  $$VALUES ('R1', 'C13', 5::float8, true),
                           ('R2', 'C14', 0.75, false), ('R2', 'C15', 0.25, false), ('R2', 'C17', 3.5, true), ('R2', 'C18', 0.5, false),
                           ('R3', 'C14', 1, true), ('R3', 'C15', 0.5, false), ('R3', 'C17', 1, true), ('R3', 'C18', 2.5, true),
                           ('R4', 'C14', 1.25, true), ('R4', 'C15', 1.5, true), ('R4', 'C17', 0.25, false), ('R4', 'C18', 2, true),
                           ('R5', 'C14', 2, true), ('R5', 'C15', 2.75, true), ('R5', 'C17', 0.25, false)$$,
                  'location_quotient.Rd: the LQ of every cell and its binary form, exactly');

-- ---------------------------------------------------------------- diversity.Rd, ubiquity.Rd
-- The full-count example of man/diversity.Rd and man/ubiquity.Rd: set.seed(31);
-- matrix(sample(0:10, 20, replace = TRUE), ncol = 4) in R >= 3.6 is
--   R1: 0 6 9 4 | R2: 10 10 3 6 | R3: 7 8 1 6 | R4: 9 10 0 5 | R5: 10 0 0 1
-- diversity(mat, rca = TRUE) = 2 2 2 2 1, ubiquity(mat, rca = TRUE) = 3 3 1 2.
CREATE TEMP TABLE full_count AS SELECT '{"R1":{C14=6,C15=9,C17=4},"R2":{C13=10,C14=10,C15=3,C17=6},"R3":{C13=7,C14=8,C15=1,C17=6},"R4":{C13=9,C14=10,C17=5},"R5":{C13=10,C17=1}}'::space AS s;
SELECT results_eq($$SELECT unit, diversity FROM full_count, diversity(s)$$,
                  $$VALUES ('R1', 2), ('R2', 2), ('R3', 2), ('R4', 2), ('R5', 1)$$,
                  'diversity.Rd: diversity(mat, rca = TRUE)');
SELECT results_eq($$SELECT industry::text, ubiquity FROM full_count, ubiquity(s)$$,
                  $$VALUES ('C13', 3), ('C14', 3), ('C15', 1), ('C17', 2)$$,
                  'ubiquity.Rd: ubiquity(mat, rca = TRUE)');

-- The binary example of the same pages and of man/relatedness_density.Rd: set.seed(31);
-- matrix(sample(0:1, 20, replace = TRUE), ncol = 4) is
--   R1: 0 1 0 1 | R2: 0 0 0 1 | R3: 0 0 0 1 | R4: 1 0 0 1 | R5: 1 1 1 0
-- taken as M itself (rca => false, as EconGeo's rca = FALSE): diversity 2 1 1 2 3, ubiquity 2 2 1 4.
CREATE TEMP TABLE bin AS SELECT '{"R1":{C14=1,C17=1},"R2":{C17=1},"R3":{C17=1},"R4":{C13=1,C17=1},"R5":{C13=1,C14=1,C15=1}}'::space AS s;
SELECT results_eq($$SELECT unit, diversity FROM bin, diversity(s, rca => false)$$,
                  $$VALUES ('R1', 2), ('R2', 1), ('R3', 1), ('R4', 2), ('R5', 3)$$,
                  'diversity.Rd: diversity(mat) of the binary matrix');
SELECT results_eq($$SELECT industry::text, ubiquity FROM bin, ubiquity(s, rca => false)$$,
                  $$VALUES ('C13', 2), ('C14', 2), ('C15', 1), ('C17', 4)$$,
                  'ubiquity.Rd: ubiquity(mat) of the binary matrix');

-- ---------------------------------------------------------------- relatedness.Rd
-- EconGeo's pipeline co_occurrence(t(mat)) -> relatedness(., method) on the binary matrix:
-- co-occurrences C13-C14, C13-C15, C13-C17, C14-C15, C14-C17 are 1 (C15-C17 never co-occur), so
-- s = (3, 3, 2, 2), t = 10.  Hand check, association: C t / (s_i s_j) = 10/9 for C13-C14 and
-- 10/6 = 5/3 for the others; cosine 1/3 and 1/sqrt(6); jaccard 1/5 and 1/4; prob 7/9 and 56/45;
-- proximity (Hidalgo et al. 2007) 1/max(u_i, u_j): 1/2 and, with C17 (u = 4), 1/4.
SELECT results_eq($$SELECT industry_a::text, industry_b::text, cooccurrence, round(relatedness::numeric, 12)
                    FROM bin, relatedness(s, 'association', rca => false) WHERE industry_a < industry_b$$,
                  $$VALUES ('C13', 'C14', 1::bigint, 1.111111111111::numeric), ('C13', 'C15', 1, 1.666666666667), ('C13', 'C17', 1, 1.666666666667),
                           ('C14', 'C15', 1, 1.666666666667), ('C14', 'C17', 1, 1.666666666667)$$,
                  'relatedness.Rd: association strength (van Eck & Waltman 2009)');
SELECT results_eq($$SELECT round(relatedness::numeric, 12) FROM bin, relatedness(s, 'prob', rca => false) WHERE industry_a < industry_b$$,
                  $$VALUES (0.777777777778), (1.244444444444), (1.244444444444), (1.244444444444), (1.244444444444)$$,
                  'relatedness.Rd: probability index (Steijn 2017)');
SELECT results_eq($$SELECT round(relatedness::numeric, 12) FROM bin, relatedness(s, 'cosine', rca => false) WHERE industry_a < industry_b$$,
                  $$VALUES (0.333333333333), (0.408248290464), (0.408248290464), (0.408248290464), (0.408248290464)$$,
                  'relatedness.Rd: cosine');
SELECT results_eq($$SELECT relatedness FROM bin, relatedness(s, 'jaccard', rca => false) WHERE industry_a < industry_b$$,
                  $$VALUES (0.2::float8), (0.25), (0.25), (0.25), (0.25)$$,
                  'relatedness.Rd: Jaccard');
SELECT results_eq($$SELECT relatedness FROM bin, relatedness(s, 'proximity', rca => false) WHERE industry_a < industry_b$$,
                  $$VALUES (0.5::float8), (0.5), (0.25), (0.5), (0.25)$$,
                  'proximity (Hidalgo et al. 2007): the minimum of the two conditional probabilities');
SELECT is((SELECT count(*) FROM bin, relatedness(s, rca => false) r1
           JOIN relatedness(s, rca => false) r2 ON r1.industry_a = r2.industry_b AND r1.industry_b = r2.industry_a
                                                AND r1.relatedness = r2.relatedness), 10::bigint,
          'relatedness lists both orders of each pair, with the same value');

-- ---------------------------------------------------------------- relatedness_density.Rd
-- relatedness_density(mat, relatedness(co_occurrence(t(mat)))) of the binary matrix, in percent
-- as EconGeo prints it (vic returns the fraction).  Hand check, R1 (has C14, C17), C13:
-- (10/9 + 5/3) / (10/9 + 5/3 + 5/3) = 25/40 = 62.5 %.
SELECT results_eq($$SELECT unit, industry::text, 100 * density, present FROM bin, relatedness_density(s, rca => false)$$,
                  $$VALUES ('R1', 'C13', 62.5::float8, false), ('R1', 'C14', 37.5, true), ('R1', 'C15', 50, false), ('R1', 'C17', 50, true),
                           ('R2', 'C13', 37.5, false), ('R2', 'C14', 37.5, false), ('R2', 'C15', 0, false), ('R2', 'C17', 0, true),
                           ('R3', 'C13', 37.5, false), ('R3', 'C14', 37.5, false), ('R3', 'C15', 0, false), ('R3', 'C17', 0, true),
                           ('R4', 'C13', 37.5, true), ('R4', 'C14', 62.5, false), ('R4', 'C15', 50, false), ('R4', 'C17', 50, true),
                           ('R5', 'C13', 62.5, true), ('R5', 'C14', 62.5, true), ('R5', 'C15', 100, true), ('R5', 'C17', 100, false)$$,
                  'relatedness_density.Rd: density of every region and industry (association)');
-- coherence (Nesta & Saviotti 2005) of R5 (C13, C14, C15, weight 1 each), by hand: WAR = 25/18,
-- 25/18, 5/3, their mean 40/27.
SELECT is(round(coherence(s, 'R5', rca => false)::numeric, 12), round(40 / 27.0, 12), 'coherence of R5: 40/27 by hand') FROM bin;

-- ---------------------------------------------------------------- KCI.Rd: Hidalgo & Hausmann (2009)
-- The network of Hidalgo & Hausmann (2009, PNAS 106, Supporting Information, Fig. S4), rebuilt in
-- man/KCI.Rd: C1 exports P1..P4, C2 P2, C3 P3 and P4, C4 P4 (P1..P4 = C13, C14, C15, C17).  Their
-- reflections: k_c,0 = (4, 1, 2, 1), k_p,0 = (1, 2, 2, 3), k_c,1 = (2, 2, 2.5, 3).  Expected: the
-- standardised eigenvector of the second eigenvalue (0.5421337) of D^-1 M U^-1 M' from R's eigen()
-- (LAPACK, dense), oriented by diversity, and 20 reflections, by econgeo_examples.R.
CREATE TEMP TABLE hh AS SELECT '{"C1":{C13=1,C14=1,C15=1,C17=1},"C2":{C14=1},"C3":{C15=1,C17=1},"C4":{C17=1}}'::space AS s;
SELECT results_eq($$SELECT unit, round(eci::numeric, 9) FROM hh, eci(s, rca => false)$$,
                  $$VALUES ('C1', -0.065257689::numeric), ('C2', -1.388166033), ('C3', 0.647603580), ('C4', 0.805820143)$$,
                  'Hidalgo & Hausmann (2009) Fig. S4: ECI by the eigenvector');
SELECT results_eq($$SELECT industry::text, round(pci::numeric, 9) FROM hh, pci(s, rca => false)$$,
                  $$VALUES ('C13', 0.105912163::numeric), ('C14', 1.362769854), ('C15', -0.571357107), ('C17', -0.897324910)$$,
                  'Hidalgo & Hausmann (2009) Fig. S4: PCI by the eigenvector');
SELECT results_eq($$SELECT e.unit, round(e.eci::numeric, 9), round(p.pci::numeric, 9)
                    FROM hh, eci(s, method => 'reflections', rca => false) e
                    JOIN LATERAL (SELECT pci FROM pci(hh.s, method => 'reflections', rca => false) q
                                  WHERE q.industry = ('{"C1":"C13","C2":"C14","C3":"C15","C4":"C17"}'::json ->> e.unit)::industry) p ON true$$,
                  $$VALUES ('C1', -0.065797264::numeric, 0.105969446::numeric), ('C2', -1.387931000, 1.362740744),
                           ('C3', 0.647317527, -0.571331586), ('C4', 0.806410737, -0.897378605)$$,
                  'Hidalgo & Hausmann (2009) Fig. S4: 20 reflections, standardised');

SELECT * FROM finish();
ROLLBACK;
