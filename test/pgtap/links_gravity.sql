-- pgTAP: PPML gravity fits of vic.links against published fits and a peer.
--
-- Data: the Austrian inter-regional migration flows of Dennett (2012), "Estimating flows between
-- geographical locations: get me started in spatial interaction modelling", UCL CASA Working Paper
-- 184, as shipped in the test data of PySAL spint (spint/tests/test_gravity.py: 72 flows between
-- 9 NUTS-2 regions, intra-zonal flows removed, distances dij in km), in
-- test/fixtures/links/austria.csv.
--
-- Published: spint's test_Doubly (Doubly(f, o, d, dij, 'exp')): distance parameter -0.00791533,
-- deviance 9360.482092561484, pseudoR2 (McFadden, 1 - llf/llnull) 0.943539912198 and the 72
-- fitted flows yhat.  spint's Production/Attraction/Gravity tests use the regions' populations as
-- masses, which a vic.links summary does not hold (its masses are the observed totals), so the
-- other forms are checked against R's glm(family = poisson) on the same fixture (R 4.2.2,
-- glm.control(epsilon = 1e-14)), the HC0 sandwich as (X'WX)^-1 X' diag(e^2) X (X'WX)^-1 on
-- model.matrix; computed independently of vic and written down here:
--   doubly exp:      beta -0.00791533316109899  se 0.000699270026047034  dev 9360.48248642072  pr2 0.943539912198134
--   doubly power:    beta -1.26408253318718     se 0.0677170649245948    dev 5655.26285469152  pr2 0.964583436676116
--   production exp:  beta -0.00726170230777318  se 0.000873169376279049  dev 15238.5771439471  pr2 0.910155702595469
--   attraction power beta -1.09251625818345     se 0.110528634656642     dev 10634.0909630495  pr2 0.936306545807706
--   none power:      beta -1.05939577068283     se 0.110525745312563     dev 12718.2301878628  pr2 0.92446982918845
-- (production: origin effects + log inflow of the destination; attraction: destination effects +
-- log outflow of the origin; none: constant + both log masses.)
BEGIN;
SELECT plan(39);
SET LOCAL search_path = vic, public;

CREATE TEMP TABLE at (o text, d text, f float8, dij float8);
\copy at FROM 'test/fixtures/links/austria.csv' CSV HEADER
CREATE TEMP TABLE atl AS SELECT links_agg(o, d, dij, f) l FROM at;

-- relative difference
CREATE FUNCTION pg_temp.rel(a float8, b float8) RETURNS float8 LANGUAGE sql IMMUTABLE
AS $$ SELECT abs(a - b) / abs(b) $$;

-- ---------------------------------------------------------------- published: spint test_Doubly
CREATE TEMP TABLE fit AS SELECT (gravity_fit(l, 'exponential', 'doubly')).* FROM atl;
SELECT ok(abs(beta - (-0.00791533)) < 5e-9, 'doubly exponential: beta is spint''s -0.00791533 (to its 8 decimals)') FROM fit;
SELECT ok(abs(pseudo_r2 - 0.943539912198) < 1e-11, 'doubly exponential: pseudo R2 is spint''s 0.943539912198') FROM fit;
SELECT ok(pg_temp.rel(deviance, 9360.482092561484) < 1e-6,
          'doubly exponential: deviance within 1e-6 of spint''s 9360.482092561484 (R: 9360.48248642072)') FROM fit;
SELECT ok(converged AND iterations < 20 AND separated = '{}', 'doubly exponential: converged, nothing separated') FROM fit;

CREATE TEMP TABLE spint_yhat (k int, yhat float8);
INSERT INTO spint_yhat SELECT k, y FROM unnest('{
  9.78988280e+02, 2.26003279e+03, 1.04038742e+02, 3.38382580e+02, 1.90458075e+02, 8.67908467e+01,
  4.37554720e+01, 1.35532201e+01, 1.02693176e+03, 1.43579537e+04, 5.02646536e+02, 1.61314478e+03,
  1.60124044e+03, 5.84144805e+02, 2.98377549e+02, 9.55604104e+01, 2.92086883e+03, 1.76899160e+04,
  9.49267467e+02, 3.14910952e+03, 2.73315395e+03, 1.01972797e+03, 5.15779061e+02, 1.64177257e+02,
  1.73496758e+02, 7.99088484e+02, 1.22486311e+03, 9.31563443e+02, 6.29698756e+02, 5.91117070e+02,
  4.15424488e+02, 1.31747905e+02, 4.49674437e+02, 2.04361676e+03, 3.23802841e+03, 7.42345992e+02,
  1.00234547e+03, 6.00432512e+02, 3.13590596e+02, 9.69658353e+01, 3.29132064e+02, 2.63792996e+03,
  3.65458094e+03, 6.52540343e+02, 1.30346098e+03, 1.16517842e+03, 6.73203489e+02, 2.21973821e+02,
  1.47356669e+02, 9.45479887e+02, 1.33962391e+03, 6.01828982e+02, 7.67131590e+02, 1.14476805e+03,
  6.43385796e+02, 2.00425139e+02, 7.41169755e+01, 4.81822820e+02, 6.76007805e+02, 4.21969575e+02,
  3.99722086e+02, 6.59873779e+02, 6.41890452e+02, 9.85596546e+02, 2.44225078e+01, 1.64157859e+02,
  2.28909306e+02, 1.42362371e+02, 1.31485029e+02, 2.31461478e+02, 2.12717926e+02, 1.04848355e+03}'::float8[])
  WITH ORDINALITY u(y, k);
-- spint lists the flows origin by origin, destinations in order (the fixture's order, which is
-- also vic.gravity's: regions sorted by name)
CREATE TEMP TABLE vg AS
SELECT row_number() OVER () k, * FROM gravity((SELECT l FROM atl), 'exponential', 'doubly');
SELECT is((SELECT count(*) FROM vg), 72::bigint, 'doubly exponential: 72 pairs');
SELECT ok((SELECT max(pg_temp.rel(g.expected, s.yhat)) FROM vg g JOIN spint_yhat s USING (k)) < 1e-6,
          'doubly exponential: the 72 fitted flows are spint''s yhat to 1e-6');
SELECT ok((SELECT bool_and(g.src_region = a.o AND g.dst_region = a.d AND g.observed = a.f)
           FROM vg g JOIN (SELECT row_number() OVER () k, * FROM at) a USING (k)),
          'gravity rows: the observed flows, in the fixture''s order');
SELECT ok((SELECT bool_and(score = observed / expected) FROM vg), 'score is observed / expected');
-- adding-up (Wilson 1971; a property of Poisson fits with origin and destination effects)
SELECT ok((SELECT max(pg_temp.rel(e, o)) FROM (SELECT sum(expected) e, sum(observed) o FROM vg GROUP BY src_region) s) < 1e-9,
          'doubly: fitted outflows equal the observed ones');
SELECT ok((SELECT max(pg_temp.rel(e, o)) FROM (SELECT sum(expected) e, sum(observed) o FROM vg GROUP BY dst_region) s) < 1e-9,
          'doubly: fitted inflows equal the observed ones');

-- ---------------------------------------------------------------- R glm(family = poisson) and HC0
CREATE TEMP TABLE ref (cost text, con text, beta_r float8, se float8, dev float8, pr2 float8);
INSERT INTO ref VALUES
  ('exponential', 'doubly', -0.00791533316109899, 0.000699270026047034, 9360.48248642072, 0.943539912198134),
  ('power', 'doubly', -1.26408253318718, 0.0677170649245948, 5655.26285469152, 0.964583436676116),
  ('exponential', 'production', -0.00726170230777318, 0.000873169376279049, 15238.5771439471, 0.910155702595469),
  ('power', 'attraction', -1.09251625818345, 0.110528634656642, 10634.0909630495, 0.936306545807706),
  ('power', 'none', -1.05939577068283, 0.110525745312563, 12718.2301878628, 0.92446982918845);
CREATE TEMP TABLE vfit AS SELECT r.*, (gravity_fit((SELECT l FROM atl), r.cost, r.con)).* FROM ref r;
SELECT ok(pg_temp.rel(beta, beta_r) < 1e-9, format('%s %s: beta as R glm to 1e-9', cost, con))
FROM vfit ORDER BY cost, con;
SELECT ok(pg_temp.rel(std_error, se) < 1e-6, format('%s %s: robust (HC0) standard error as R to 1e-6', cost, con))
FROM vfit ORDER BY cost, con;
SELECT ok(pg_temp.rel(deviance, dev) < 1e-9 AND pg_temp.rel(pseudo_r2, pr2) < 1e-9,
          format('%s %s: deviance and pseudo R2 as R to 1e-9', cost, con))
FROM vfit ORDER BY cost, con;
SELECT ok((SELECT max(pg_temp.rel(e, o)) FROM (SELECT sum(expected) e, sum(observed) o
                                               FROM gravity((SELECT l FROM atl), 'power', 'production') GROUP BY src_region) s) < 1e-9,
          'production: fitted outflows equal the observed ones');
SELECT ok((SELECT max(pg_temp.rel(e, o)) FROM (SELECT sum(expected) e, sum(observed) o
                                               FROM gravity((SELECT l FROM atl), 'power', 'attraction') GROUP BY dst_region) s) < 1e-9,
          'attraction: fitted inflows equal the observed ones');
SELECT is((gravity_fit(l)).beta, (gravity_fit(l, 'power', 'doubly', false)).beta, 'defaults: power, doubly, no intra-region pairs') FROM atl;
SELECT is((gravity_fit(l, 'POWER', 'Doubly')).beta, (gravity_fit(l)).beta, 'keywords ignore ASCII case') FROM atl;

-- ---------------------------------------------------------------- separation, zero flows, identification
-- A region that only receives zero-weight links has all-zero flows: it is dropped and named
-- (Santos Silva & Tenreyro 2010, "On the existence of the maximum likelihood estimates in Poisson
-- regression", Econ. Lett. 107), and the fit is the same as without it.
CREATE TEMP TABLE sep AS
SELECT links_agg(o, d, dij, f) l FROM (SELECT * FROM at UNION ALL VALUES ('AT11', 'ZZ', 50.0::float8, 0.0::float8)) s;
SELECT is((gravity_fit(l, 'exponential')).separated, '{ZZ}'::text[], 'a region with all-zero flows is reported as separated') FROM sep;
SELECT ok(pg_temp.rel((gravity_fit(l, 'exponential')).beta, -0.00791533316109899) < 1e-9,
          'and dropped: the fit is the one without it') FROM sep;
-- Zero flows: a pair without links counts as a zero flow (here AT11 -> AT12 removed; its length is
-- then unknown with the caller's distances, so it leaves the fit: the geography form below keeps it).
SELECT is((SELECT count(*) FROM gravity((SELECT links_agg(o, d, dij, f) FROM at WHERE NOT (o = 'AT11' AND d = 'AT12')), 'exponential')),
          71::bigint, 'user distances: a pair without links has no length and leaves the fit');
SELECT is((SELECT observed FROM gravity((SELECT links_agg(o, d, dij, CASE WHEN o = 'AT11' AND d = 'AT12' THEN 0 ELSE f END) FROM at), 'exponential')
            WHERE src_region = 'AT11' AND dst_region = 'AT12'), 0::float8,
          'user distances: a link of weight 0 gives its pair a length, and the pair is a zero flow of the fit');
SELECT throws_ok($$SELECT gravity_fit(links_agg(o, d, 100.0::float8, f)) FROM at$$, '22023',
                 'the gravity model is not identified by these links', 'equal distances: collinear with the effects');
SELECT throws_ok($$SELECT gravity_fit(links_agg(s, d, x, 1.0::float8)) FROM (VALUES ('a', 'b', 1.0::float8), ('b', 'a', 2.0)) v(s, d, x)$$,
                 '22023', 'the gravity model is not identified by these links', 'fewer pairs than parameters');

-- Geography form: region centroids of link ends give the length of every pair, with or without
-- links; zero flows stay in the fit.  Three towns per region around four centres.
CREATE TEMP TABLE geo AS
SELECT i, 'G' || (i % 4) src, 'G' || ((i * 3 + 1) % 4) dst,
       ST_SetSRID(ST_MakePoint(10 * (i % 4) + (i % 3) * 0.1, 45 + (i % 4)), 4326)::geography sl,
       ST_SetSRID(ST_MakePoint(10 * ((i * 3 + 1) % 4) + (i % 3) * 0.1, 45 + ((i * 3 + 1) % 4)), 4326)::geography dl,
       1.0 + (i % 4) + (i % 7) * 0.1 w
FROM generate_series(1, 400) i;
CREATE TEMP TABLE geol AS SELECT links_agg(src, dst, sl, dl, w) l FROM geo;
SELECT is((SELECT count(*) FROM gravity((SELECT l FROM geol), 'power', 'none')), 12::bigint,
          'geography form: all 12 ordered pairs of 4 regions are in the fit, those without links as zero flows');
SELECT ok((SELECT count(*) FROM gravity((SELECT l FROM geol), 'power', 'none') WHERE observed = 0) > 0,
          'geography form: zero flows are fitted');
SELECT ok((gravity_fit(l, 'power', 'none')).converged, 'geography form: the fit converges') FROM geol;
SELECT is((SELECT count(*) FROM gravity((SELECT l FROM geol), 'exponential', 'none', true)), 16::bigint,
          'intra => true adds the intra-region pairs (their length: their own links)');

SELECT * FROM finish();
ROLLBACK;
