-- pgTAP: vic.points against R spatstat 3.0-3 (Debian r-cran-spatstat) on the real point patterns
-- it ships, and against PostGIS: Ripley's K without correction and with the border correction,
-- Clark-Evans, nearest-neighbour distances (to 1e-9), Kd against R's own evaluation of the
-- Duranton-Overman definition, geodesic distances against ST_Distance(a, b, false), and DBSCAN
-- against ST_ClusterDBSCAN.  The patterns are exported by test/fixtures/points/export.R (which
-- names each dataset and its source); every expected number below was printed by that script,
-- with the R call beside it.
BEGIN;
SELECT plan(26);
SET LOCAL search_path = vic, public;

CREATE TEMP TABLE pattern_csv (id bigint, x float8, y float8);
CREATE TEMP TABLE pattern (name text, id bigint, x float8, y float8);

\copy pattern_csv FROM 'test/fixtures/points/swedishpines.csv' CSV HEADER
INSERT INTO pattern SELECT 'swedishpines', * FROM pattern_csv; TRUNCATE pattern_csv;
\copy pattern_csv FROM 'test/fixtures/points/cells.csv' CSV HEADER
INSERT INTO pattern SELECT 'cells', * FROM pattern_csv; TRUNCATE pattern_csv;
\copy pattern_csv FROM 'test/fixtures/points/japanesepines.csv' CSV HEADER
INSERT INTO pattern SELECT 'japanesepines', * FROM pattern_csv; TRUNCATE pattern_csv;

CREATE TEMP TABLE pat AS
SELECT name, vic.points_agg(id, ST_MakePoint(x, y)) AS pts FROM pattern GROUP BY name;
CREATE TEMP TABLE win (name text, area float8, w geometry);

INSERT INTO win VALUES ('swedishpines', 9600, 'POLYGON((0 0, 96 0, 96 100, 0 100, 0 0))');
INSERT INTO win VALUES ('cells', 1, 'POLYGON((0 0, 1 0, 1 1, 0 1, 0 0))');
INSERT INTO win VALUES ('japanesepines', 1, 'POLYGON((0 0, 1 0, 1 1, 0 1, 0 0))');

-- relative agreement to 1e-9 (exact equality for an expected 0)
CREATE FUNCTION pg_temp.close(a float8, e float8) RETURNS boolean LANGUAGE sql IMMUTABLE AS
$$ SELECT a IS NOT NULL AND abs(a - e) <= 1e-9 * abs(e) $$;
SELECT is((SELECT count(*) FROM pattern), 178::bigint, 'the three patterns have 71 + 42 + 65 points');

-- R: Kest(swedishpines, r = sort(c(0, r, r - 0.1)), correction = c("none", "border")), r = c(2.5, 5.5, 7.5, 10.5, 15.5, 20.5)
CREATE TEMP TABLE k_swedishpines (r float8, un float8, border float8);
INSERT INTO k_swedishpines VALUES
  (2.5, 3.8631790744466801, 2.2535211267605635),
  (5.5, 34.768611670020121, 28.973843058350099),
  (7.5, 65.674044265593565, 67.605633802816911),
  (10.5, 216.33802816901408, 229.03133084219604),
  (15.5, 618.10865191146877, 712.59992386752958),
  (20.5, 1031.4688128772636, 1276.9953051643192);
SELECT is((SELECT count(*) FROM k_swedishpines e JOIN pat p ON p.name = 'swedishpines'
           JOIN LATERAL vic.ripley(p.pts, (SELECT array_agg(r) FROM k_swedishpines), 'none', 9600) k ON k.r = e.r
           WHERE pg_temp.close(k.k, e.un) AND pg_temp.close(k.l, sqrt(e.un / pi()))), 6::bigint,
          'swedishpines: K and L without correction equal spatstat''s Kest(correction = "none")');
SELECT is((SELECT count(*) FROM k_swedishpines e JOIN pat p ON p.name = 'swedishpines' JOIN win USING (name)
           JOIN LATERAL vic.ripley(p.pts, (SELECT array_agg(r) FROM k_swedishpines), win.w, 'none') k ON k.r = e.r
           WHERE pg_temp.close(k.k, e.un)), 6::bigint,
          'swedishpines: K in the window without correction (the window gives the area)');
SELECT is((SELECT count(*) FROM k_swedishpines e JOIN pat p ON p.name = 'swedishpines' JOIN win USING (name)
           JOIN LATERAL vic.ripley(p.pts, (SELECT array_agg(r) FROM k_swedishpines), win.w) k ON k.r = e.r
           WHERE pg_temp.close(k.k, e.border)), 6::bigint,
          'swedishpines: border-corrected K equals spatstat''s Kest(correction = "border")');
-- R: clarkevans(swedishpines, correction = "none") = 1.3600816512459
SELECT ok(pg_temp.close((SELECT (vic.clark_evans(pts, 9600)).r FROM pat WHERE name = 'swedishpines'), 1.3600816512459),
          'swedishpines: Clark-Evans R equals spatstat''s clarkevans(correction = "none")');
-- R: nndist(swedishpines), sum = 561.43537963750009, max = 15.652475842498529
CREATE TEMP TABLE nn_swedishpines (id bigint, distance float8);
INSERT INTO nn_swedishpines VALUES (1, 15.033296378372908),(2, 8.5440037453175304),(3, 10.04987562112089),(4, 9.0553851381374173),(5, 10.770329614269007),(6, 8.5440037453175304),(7, 9.0553851381374173),(8, 9.4868329805051381),(9, 10.440306508910551),(10, 9.4868329805051381),(11, 10.440306508910551),(12, 10.770329614269007),(13, 9.8488578017961039),(14, 7.2801098892805181),(15, 7.2801098892805181),(16, 9.8488578017961039),(17, 10.63014581273465),(18, 3.1622776601683795),(19, 3.1622776601683795),(20, 11.045361017187261),(21, 11),(22, 6.324555320336759),(23, 5),(24, 5),(25, 11.180339887498949),(26, 12.529964086141668),(27, 7.810249675906654),(28, 11.180339887498949),(29, 7.2111025509279782),(30, 7.2111025509279782),(31, 10.04987562112089),(32, 10.04987562112089),(33, 9),(34, 5),(35, 15.652475842498529),(36, 7.0710678118654755),(37, 5),(38, 7.0710678118654755),(39, 9.8994949366116654),(40, 12.041594578792296),(41, 2.8284271247461903),(42, 7),(43, 7),(44, 2.8284271247461903),(45, 8.0622577482985491),(46, 8.0622577482985491),(47, 8.2462112512353212),(48, 12.369316876852981),(49, 2.8284271247461903),(50, 6.324555320336759),(51, 6.0827625302982193),(52, 6.0827625302982193),(53, 2.8284271247461903),(54, 8.9442719099991592),(55, 9.4868329805051381),(56, 8.2462112512353212),(57, 8.5440037453175304),(58, 12.206555615733702),(59, 3.1622776601683795),(60, 10.770329614269007),(61, 9.4868329805051381),(62, 3.1622776601683795),(63, 7.810249675906654),(64, 3.6055512754639891),(65, 7.810249675906654),(66, 2.2360679774997898),(67, 2.2360679774997898),(68, 3.1622776601683795),(69, 3.1622776601683795),(70, 14.035668847618199),(71, 3.6055512754639891);
SELECT is((SELECT count(*) FROM nn_swedishpines e JOIN pat p ON p.name = 'swedishpines'
           JOIN LATERAL vic.nearest_neighbours(p.pts) v ON v.id = e.id
           WHERE pg_temp.close(v.distance, e.distance)), (SELECT count(*) FROM nn_swedishpines),
          'swedishpines: every nearest-neighbour distance equals spatstat''s nndist');

-- R: Kest(cells, r = sort(c(0, r, r - 1e-06)), correction = c("none", "border")), r = c(0.0537, 0.0837, 0.1137, 0.1537, 0.2037, 0.2437)
CREATE TEMP TABLE k_cells (r float8, un float8, border float8);
INSERT INTO k_cells VALUES
  (0.053699999999999998, 0, 0),
  (0.083699999999999997, 0.0011614401858304297, 0.001443001443001443),
  (0.1137, 0.0058072009291521487, 0.0079365079365079361),
  (0.1537, 0.0545876887340302, 0.064625850340136057),
  (0.20369999999999999, 0.11149825783972125, 0.12885154061624648),
  (0.2437, 0.14285714285714285, 0.19047619047619047);
SELECT is((SELECT count(*) FROM k_cells e JOIN pat p ON p.name = 'cells'
           JOIN LATERAL vic.ripley(p.pts, (SELECT array_agg(r) FROM k_cells), 'none', 1) k ON k.r = e.r
           WHERE pg_temp.close(k.k, e.un) AND pg_temp.close(k.l, sqrt(e.un / pi()))), 6::bigint,
          'cells: K and L without correction equal spatstat''s Kest(correction = "none")');
SELECT is((SELECT count(*) FROM k_cells e JOIN pat p ON p.name = 'cells' JOIN win USING (name)
           JOIN LATERAL vic.ripley(p.pts, (SELECT array_agg(r) FROM k_cells), win.w, 'none') k ON k.r = e.r
           WHERE pg_temp.close(k.k, e.un)), 6::bigint,
          'cells: K in the window without correction (the window gives the area)');
SELECT is((SELECT count(*) FROM k_cells e JOIN pat p ON p.name = 'cells' JOIN win USING (name)
           JOIN LATERAL vic.ripley(p.pts, (SELECT array_agg(r) FROM k_cells), win.w) k ON k.r = e.r
           WHERE pg_temp.close(k.k, e.border)), 6::bigint,
          'cells: border-corrected K equals spatstat''s Kest(correction = "border")');
-- R: clarkevans(cells, correction = "none") = 1.671679514841401
SELECT ok(pg_temp.close((SELECT (vic.clark_evans(pts, 1)).r FROM pat WHERE name = 'cells'), 1.671679514841401),
          'cells: Clark-Evans R equals spatstat''s clarkevans(correction = "none")');
-- R: nndist(cells), sum = 5.416860733263686, max = 0.15449595463959567
CREATE TEMP TABLE nn_cells (id bigint, distance float8);
INSERT INTO nn_cells VALUES (1, 0.14583895227270391),(2, 0.11486513831445987),(3, 0.14024621207005913),(4, 0.11180339887498947),(5, 0.11180339887498947),(6, 0.15449595463959567),(7, 0.15449595463959567),(8, 0.11486513831445987),(9, 0.14577379737113247),(10, 0.14243595051811883),(11, 0.15206906325745548),(12, 0.12356779515715254),(13, 0.12356779515715254),(14, 0.125),(15, 0.12356779515715251),(16, 0.1431362986806631),(17, 0.13036103712382777),(18, 0.13036103712382777),(19, 0.1069766329625306),(20, 0.13861096637712317),(21, 0.12224974437601087),(22, 0.15206906325745551),(23, 0.13861096637712322),(24, 0.08363013810822037),(25, 0.13036103712382777),(26, 0.11199999999999999),(27, 0.12224974437601087),(28, 0.15089400253157842),(29, 0.1503761949245957),(30, 0.10662551289442883),(31, 0.11819052415485767),(32, 0.08363013810822037),(33, 0.13462912017836262),(34, 0.11199999999999999),(35, 0.10662551289442883),(36, 0.13852075656738227),(37, 0.1431362986806631),(38, 0.14313629868066313),(39, 0.13953135848260059),(40, 0.12801562404644209),(41, 0.12801562404644209),(42, 0.13852075656738227);
SELECT is((SELECT count(*) FROM nn_cells e JOIN pat p ON p.name = 'cells'
           JOIN LATERAL vic.nearest_neighbours(p.pts) v ON v.id = e.id
           WHERE pg_temp.close(v.distance, e.distance)), (SELECT count(*) FROM nn_cells),
          'cells: every nearest-neighbour distance equals spatstat''s nndist');

-- R: Kest(japanesepines, r = sort(c(0, r, r - 1e-06)), correction = c("none", "border")), r = c(0.0537, 0.0837, 0.1137, 0.1537, 0.2037, 0.2437)
CREATE TEMP TABLE k_japanesepines (r float8, un float8, border float8);
INSERT INTO k_japanesepines VALUES
  (0.053699999999999998, 0.0091346153846153851, 0.0080128205128205121),
  (0.083699999999999997, 0.018749999999999999, 0.01659919028340081),
  (0.1137, 0.035576923076923075, 0.038694638694638697),
  (0.1537, 0.056250000000000001, 0.062153846153846157),
  (0.20369999999999999, 0.099038461538461534, 0.10850202429149798),
  (0.2437, 0.13750000000000001, 0.15502958579881657);
SELECT is((SELECT count(*) FROM k_japanesepines e JOIN pat p ON p.name = 'japanesepines'
           JOIN LATERAL vic.ripley(p.pts, (SELECT array_agg(r) FROM k_japanesepines), 'none', 1) k ON k.r = e.r
           WHERE pg_temp.close(k.k, e.un) AND pg_temp.close(k.l, sqrt(e.un / pi()))), 6::bigint,
          'japanesepines: K and L without correction equal spatstat''s Kest(correction = "none")');
SELECT is((SELECT count(*) FROM k_japanesepines e JOIN pat p ON p.name = 'japanesepines' JOIN win USING (name)
           JOIN LATERAL vic.ripley(p.pts, (SELECT array_agg(r) FROM k_japanesepines), win.w, 'none') k ON k.r = e.r
           WHERE pg_temp.close(k.k, e.un)), 6::bigint,
          'japanesepines: K in the window without correction (the window gives the area)');
SELECT is((SELECT count(*) FROM k_japanesepines e JOIN pat p ON p.name = 'japanesepines' JOIN win USING (name)
           JOIN LATERAL vic.ripley(p.pts, (SELECT array_agg(r) FROM k_japanesepines), win.w) k ON k.r = e.r
           WHERE pg_temp.close(k.k, e.border)), 6::bigint,
          'japanesepines: border-corrected K equals spatstat''s Kest(correction = "border")');
-- R: clarkevans(japanesepines, correction = "none") = 1.064002055334305
SELECT ok(pg_temp.close((SELECT (vic.clark_evans(pts, 1)).r FROM pat WHERE name = 'japanesepines'), 1.064002055334305),
          'japanesepines: Clark-Evans R equals spatstat''s clarkevans(correction = "none")');
-- R: nndist(japanesepines), sum = 4.2891294074122914, max = 0.12041594578792295
CREATE TEMP TABLE nn_japanesepines (id bigint, distance float8);
INSERT INTO nn_japanesepines VALUES (1, 0.11401754250991379),(2, 0.090553851381374187),(3, 0.090553851381374187),(4, 0.049999999999999989),(5, 0.099999999999999978),(6, 0.11045361017187259),(7, 0.036055512754639904),(8, 0.036055512754639904),(9, 0.059999999999999942),(10, 0.11180339887498947),(11, 0.058309518948453022),(12, 0.058309518948453022),(13, 0.10816653826391966),(14, 0.11401754250991379),(15, 0.11704699910719624),(16, 0.049999999999999989),(17, 0.10000000000000001),(18, 0.058309518948453008),(19, 0.10000000000000001),(20, 0.10440306508910552),(21, 0.031622776601683819),(22, 0.031622776601683819),(23, 0.044721359549995808),(24, 0.10000000000000003),(25, 0.12041594578792295),(26, 0.040000000000000036),(27, 0.039999999999999994),(28, 0.030000000000000027),(29, 0.030000000000000027),(30, 0.070710678118654793),(31, 0.014142135623730963),(32, 0.014142135623730963),(33, 0.10440306508910549),(34, 0.10000000000000003),(35, 0.067082039324993598),(36, 0.067082039324993598),(37, 0.029999999999999971),(38, 0.029999999999999971),(39, 0.050000000000000044),(40, 0.050000000000000044),(41, 0.069999999999999951),(42, 0.070710678118654821),(43, 0.076157731058639044),(44, 0.076157731058639044),(45, 0.064031242374328459),(46, 0.041231056256176644),(47, 0.041231056256176644),(48, 0.07071067811865471),(49, 0.10049875621120888),(50, 0.060827625302982212),(51, 0.060827625302982212),(52, 0.094339811320565986),(53, 0.031622776601683819),(54, 0.031622776601683819),(55, 0.042426406871192854),(56, 0.080622577482985458),(57, 0.094868329805051374),(58, 0.11661903789690606),(59, 0.080000000000000071),(60, 0.080000000000000071),(61, 0.010000000000000009),(62, 0.010000000000000009),(63, 0.030000000000000027),(64, 0.03999999999999998),(65, 0.080622577482985416);
SELECT is((SELECT count(*) FROM nn_japanesepines e JOIN pat p ON p.name = 'japanesepines'
           JOIN LATERAL vic.nearest_neighbours(p.pts) v ON v.id = e.id
           WHERE pg_temp.close(v.distance, e.distance)), (SELECT count(*) FROM nn_japanesepines),
          'japanesepines: every nearest-neighbour distance equals spatstat''s nndist');

-- Kd of cells: d <- as.vector(dist(cbind(cells$x, cells$y))); h <- bw.nrd0(d) = 0.051184825017407738
-- R: sapply(r, function(s) sum(dnorm(s, d, h) + dnorm(s, -d, h)) / length(d))
CREATE TEMP TABLE kd_cells (r float8, kd float8);
INSERT INTO kd_cells VALUES
  (0, 0.036225127824388255),
  (0.050000000000000003, 0.13575212243057183),
  (0.10000000000000001, 0.48313607652649443),
  (0.20000000000000001, 1.0864722518880374),
  (0.34999999999999998, 1.4667863906112275),
  (0.5, 1.5045774862421333),
  (0.80000000000000004, 0.85596646340951554);
SELECT is((SELECT count(*) FROM kd_cells e JOIN pat p ON p.name = 'cells'
           JOIN LATERAL vic.kd(p.pts, (SELECT array_agg(r) FROM kd_cells)) k ON k.r = e.r
           WHERE pg_temp.close(k.density, e.kd)), 7::bigint,
          'cells: Kd with Silverman''s bandwidth equals R''s evaluation of the definition with bw.nrd0');
SELECT is((SELECT count(*) FROM kd_cells e JOIN pat p ON p.name = 'cells'
           JOIN LATERAL vic.kd(p.pts, (SELECT array_agg(r) FROM kd_cells), 0.051184825017407738) k ON k.r = e.r
           WHERE pg_temp.close(k.density, e.kd)), 7::bigint,
          'cells: Kd with that bandwidth given explicitly');

-- ---------------------------------------------------------------- geodesic distances: PostGIS
-- 400 firms in northern Italy (seeded); PostGIS's sphere distance ST_Distance(a, b, false) by brute
-- force is the independent value.
SELECT setseed(0.25);
CREATE TEMP TABLE firm AS
SELECT i::bigint AS id, ST_SetSRID(ST_MakePoint(10 + 2 * random(), 45 + random()), 4326)::geography AS g
FROM generate_series(1, 400) i;
CREATE TEMP TABLE gpts AS SELECT vic.points_agg(id, g) AS pts FROM firm;
CREATE TEMP TABLE brute_nn AS
SELECT a.id, min(ST_Distance(a.g, b.g, false)) AS d FROM firm a JOIN firm b ON a.id <> b.id GROUP BY a.id;
SELECT is((SELECT count(*) FROM gpts, vic.nearest_neighbours(pts) v JOIN brute_nn b USING (id)
           WHERE abs(v.distance - b.d) <= 1e-8 * b.d), 400::bigint,
          'geography: nearest-neighbour distances agree with the brute-force minimum of ST_Distance(a, b, false)');
SELECT is((SELECT count(*) FROM gpts, vic.nearest_neighbours(pts) v
           JOIN firm a ON a.id = v.id JOIN firm b ON b.id = v.neighbour
           WHERE abs(v.distance - ST_Distance(a.g, b.g, false)) <= 1e-8 * v.distance), 400::bigint,
          'geography: each reported distance is ST_Distance(a, b, false) of the reported pair');
SELECT is((SELECT array_agg(round(k.k * 400 * 399 / 1e9)::bigint ORDER BY k.r)
           FROM gpts, vic.ripley(pts, '{2000, 5000, 12000}', 'none', 1e9) k),
          (SELECT array_agg(c ORDER BY r) FROM (
             SELECT r, count(*) FILTER (WHERE ST_Distance(a.g, b.g, false) <= r) AS c
             FROM unnest('{2000, 5000, 12000}'::float8[]) r, firm a JOIN firm b ON a.id <> b.id GROUP BY r) s),
          'geography: K counts the ordered pairs within r metres that ST_Distance(a, b, false) counts');

-- ---------------------------------------------------------------- DBSCAN: ST_ClusterDBSCAN
-- Partitions are compared up to the cluster numbers: the same noise, and as many clusters as
-- distinct (vic, PostGIS) label pairs.
CREATE FUNCTION pg_temp.same_partition(q text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE ok boolean;
BEGIN
  EXECUTE format($f$
    SELECT bool_and(noise_ok) AND (SELECT count(DISTINCT (v, p)) FROM (%1$s) s WHERE v IS NOT NULL)
                                  = (SELECT count(DISTINCT v) FROM (%1$s) s)
                              AND (SELECT count(DISTINCT (v, p)) FROM (%1$s) s WHERE v IS NOT NULL)
                                  = (SELECT count(DISTINCT p) FROM (%1$s) s)
    FROM (SELECT (v IS NULL) = (p IS NULL) AS noise_ok FROM (%1$s) s) t$f$, q) INTO ok;
  RETURN ok;
END $$;
SELECT setseed(0.5);
CREATE TEMP TABLE planar AS
SELECT i::bigint AS id,
       ST_MakePoint((i % 7) * 100 + 30 * random(), (i % 5) * 100 + 30 * random()) AS g
FROM generate_series(1, 600) i
UNION ALL SELECT 1000 + i, ST_MakePoint(700 * random(), 500 * random()) FROM generate_series(1, 60) i;
CREATE TEMP TABLE dbs (min_points int, eps float8);
INSERT INTO dbs VALUES (1, 6.5), (4, 6.5), (10, 9.5);
SELECT ok(pg_temp.same_partition(format(
            'SELECT v.cluster AS v, p.c AS p FROM vic.dbscan((SELECT vic.points_agg(id, g) FROM planar), %s, %s) v
             JOIN (SELECT id, ST_ClusterDBSCAN(g, %s, %s) OVER () AS c FROM planar) p USING (id)',
            eps, min_points, eps, min_points)),
          format('planar DBSCAN (eps %s, min_points %s) partitions as ST_ClusterDBSCAN', eps, min_points))
FROM dbs ORDER BY min_points;
-- on the equator the great-circle distance is R times the longitude difference, so geography
-- points and geometry points x = R lon (radians) have the same distances
SELECT setseed(0.75);
CREATE TEMP TABLE equator AS
SELECT i::bigint AS id, 0.5 * random() AS lon FROM generate_series(1, 500) i;
SELECT ok(pg_temp.same_partition(
            'SELECT v.cluster AS v, p.c AS p
             FROM vic.dbscan((SELECT vic.points_agg(id, ST_SetSRID(ST_MakePoint(lon, 0), 4326)::geography) FROM equator), 95.5, 3) v
             JOIN (SELECT id, ST_ClusterDBSCAN(ST_MakePoint(6371008.8 * radians(lon), 0), 95.5, 3) OVER () AS c FROM equator) p USING (id)'),
          'geodesic DBSCAN (eps in metres) partitions as ST_ClusterDBSCAN on the equivalent planar points');
SELECT ok((SELECT count(DISTINCT cluster) FROM vic.dbscan((SELECT vic.points_agg(id, ST_SetSRID(ST_MakePoint(lon, 0), 4326)::geography) FROM equator), 95.5, 3)) > 3,
          'the equator test has several clusters (it can fail)');

SELECT * FROM finish();
ROLLBACK;
