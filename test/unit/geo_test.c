/*
 * geo_test.c
 *		Unit test of the sphere and ellipsoid distances of src/common/geo.h
 *		against independent values.  Prints TAP.
 *
 *	 - the great-circle arc against the haversine formula evaluated in long
 *	   double (x87 80-bit) from the coordinates (Sinnott, "Virtues of the
 *	   haversine", Sky & Telescope 68, 1984), a formula and precision of its
 *	   own, over random pairs at every separation (beyond a quarter circle
 *	   through the antipode, where the haversine's asin is ill-conditioned);
 *	 - the chord against 2 R sin(arc / 2R) and vic_chord_to_arc;
 *	 - the WGS 84 geodesic against published values: the first four rows of
 *	   Karney's GeodTest.dat (Karney, "Test set for geodesics", 2010,
 *	   doi:10.5281/zenodo.32156; accurate to 0.1 pm, computed with 400-bit
 *	   arithmetic, the test set of "Algorithms for geodesics", J. Geod. 87,
 *	   2013), the JFK-LHR inverse of the GeographicLib documentation
 *	   (s12 = 5551759.400319 m, azi1 = 51.198882845580 deg), the nearly
 *	   antipodal example of Karney (2013) sec. 7 (lat -30 and 29.9, lon
 *	   difference 179.8 deg: s12 = 19989832.827610 m), and closed forms: the
 *	   meridian from pole to pole and between equatorial antipodes (twice the
 *	   WGS 84 quarter meridian, 2 x 10001965.729313 m), and one degree of the
 *	   equator (a pi / 180 m).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "tap.h"
#include "common/geo.h"

#define PI_L 3.14159265358979323846264338327950288L

/* great-circle distance by the haversine formula, in long double */
static long double
haversine_l(long double lon1, long double lat1, long double lon2, long double lat2)
{
	long double r = PI_L / 180.0L;
	long double p1 = lat1 * r;
	long double p2 = lat2 * r;
	long double sdp = sinl((p2 - p1) / 2);
	long double sdl = sinl((lon2 - lon1) * r / 2);
	long double h = sdp * sdp + cosl(p1) * cosl(p2) * sdl * sdl;

	if (h > 1)
		h = 1;
	return 2.0L * VIC_SPHERE_RADIUS * asinl(sqrtl(h));
}

/*
 * The haversine reference, well conditioned everywhere: asin is not near 1,
 * so beyond a quarter circle the distance is pi R less the distance to the
 * antipode of the second point, (lon2 + 180, -lat2), exact in long double.
 */
static long double
ref_arc(double lon1, double lat1, double lon2, double lat2)
{
	long double d = haversine_l(lon1, lat1, lon2, lat2);

	if (d > PI_L / 2 * VIC_SPHERE_RADIUS)
		d = PI_L * VIC_SPHERE_RADIUS - haversine_l(lon1, lat1, lon2 + 180.0L, -(long double) lat2);
	return d;
}

/* one row of GeodTest.dat: lat1 lon1 azi1 lat2 lon2 azi2 s12 (first 7 of 12 columns) */
static const double geodtest[4][7] = {
	{35.60777, -139.44815, 111.098748429560326,
	 -11.17491, -69.95921, 129.289270889708762, 8935244.5604818305},
	{55.52454, 106.05087, 22.020059880982801,
	 77.03196, 197.18234, 109.112041110671519, 4105086.1713924406},
	{-21.97856, 142.59065, -32.44456876433189,
	 41.84138, 98.56635, -41.84359951440466, 8394328.894657671},
	{-66.99028, 112.2363, 173.73491240878403,
	 -12.70631, 285.90344, 2.512956620913668, 11150344.2312080241},
};

/* |x - y| <= tol, with a diagnostic when not */
static int
near(double x, double y, double tol, const char *what)
{
	if (fabs(x - y) <= tol)
		return 1;
	printf("# %s: %.17g != %.17g (+/- %g)\n", what, x, y, tol);
	return 0;
}

int
main(void)
{
	double		worst_arc = 0;
	double		worst_chord = 0;
	double		worst_back = 0;
	int			sym = 1;
	char		what[200];

	/*
	 * Random pairs at every separation, from about a metre to antipodal: the
	 * second point is the first moved by a random offset whose size is
	 * log-uniform from 1e-5 to 180 degrees.
	 */
	for (int i = 0; i < 200000; i++)
	{
		double		lon1 = uniform(-180, 180);
		double		lat1 = asin(uniform(-1, 1)) * (180.0 / M_PI);
		double		scale = pow(10.0, uniform(-5, log10(180.0)));
		double		lon2 = lon1 + uniform(-1, 1) * scale;
		double		lat2 = lat1 + uniform(-1, 1) * scale;
		double		arc;
		double		chord;
		long double ref;
		double		err;

		if (i % 7 == 0)
		{
			/* near-antipodal pairs */
			lon2 = lon1 + 180.0 - uniform(-1, 1) * scale;
			lat2 = -lat1 + uniform(-1, 1) * scale;
		}
		if (lat2 > 90)
			lat2 = 180 - lat2;
		if (lat2 < -90)
			lat2 = -180 - lat2;
		arc = vic_arc_distance(lon1, lat1, lon2, lat2);
		chord = vic_chord_distance(lon1, lat1, lon2, lat2);
		ref = ref_arc(lon1, lat1, lon2, lat2);

		/*
		 * The unit vectors carry about one ulp (1.1e-16 radii, 0.7 nm) of
		 * error in each component; an arc or chord built from them is good
		 * to a few of those absolutely and to a few ulps relatively.
		 */
		err = (double) fabsl(arc - ref) / (1e-15 * VIC_SPHERE_RADIUS + 4e-16 * (double) ref);
		if (err > worst_arc)
			worst_arc = err;
		err = fabs(chord - 2.0 * VIC_SPHERE_RADIUS * sin(arc / (2.0 * VIC_SPHERE_RADIUS))) /
			(1e-15 * VIC_SPHERE_RADIUS + 4e-16 * chord);
		if (err > worst_chord)
			worst_chord = err;
		err = fabs(vic_chord_to_arc(chord) - arc) / (1e-15 * VIC_SPHERE_RADIUS + 4e-16 * arc);
		if (arc < M_PI / 2 * VIC_SPHERE_RADIUS && err > worst_back)
			worst_back = err;		/* asin is ill-conditioned near 2R */
		if (arc != vic_arc_distance(lon2, lat2, lon1, lat1))
			sym = 0;
	}
	snprintf(what, sizeof(what), "sphere: arc agrees with the long double haversine (worst %.3f of tolerance)", worst_arc);
	check(worst_arc <= 1, what);
	snprintf(what, sizeof(what), "sphere: chord = 2R sin(arc/2R) (worst %.3f of tolerance)", worst_chord);
	check(worst_chord <= 1, what);
	snprintf(what, sizeof(what), "sphere: vic_chord_to_arc inverts the chord up to a quarter circle (worst %.3f of tolerance)", worst_back);
	check(worst_back <= 1, what);
	check(sym, "sphere: arc(a, b) = arc(b, a) bit for bit");

	check(near(vic_arc_distance(0, 90, 0, -90), M_PI * VIC_SPHERE_RADIUS, 1e-8, "pole") &&
		  near(vic_arc_distance(0, 0, 180, 0), M_PI * VIC_SPHERE_RADIUS, 1e-8, "equator") &&
		  near(vic_arc_distance(-73.8, 40.6, 106.2, -40.6), M_PI * VIC_SPHERE_RADIUS, 1e-8, "antipode"),
		  "sphere: antipodal points are pi R apart");
	check(near(vic_chord_distance(0, 90, 0, -90), 2 * VIC_SPHERE_RADIUS, 1e-8, "chord pole") &&
		  near(vic_chord_distance(10, 20, -170, -20), 2 * VIC_SPHERE_RADIUS, 1e-8, "chord antipode"),
		  "sphere: antipodal points are 2R apart by chord");
	check(vic_arc_distance(12.5, 41.9, 12.5, 41.9) == 0 && vic_chord_distance(12.5, 41.9, 12.5, 41.9) == 0 &&
		  vic_arc_distance(0, 90, 123, 90) == 0 && vic_arc_distance(-180, 10, 180, 10) == 0,
		  "sphere: the same point (pole at any longitude, -180 = 180) is at distance 0");
	check(near(vic_arc_distance(0, 0, 0, 90), M_PI / 2 * VIC_SPHERE_RADIUS, 1e-8, "quarter") &&
		  near(vic_arc_distance(0, 89, 180, 89), M_PI / 90 * VIC_SPHERE_RADIUS, 1e-7, "over the pole"),
		  "sphere: a quarter circle, and two points across the pole");

	/* the ellipsoid */
	for (int i = 0; i < 4; i++)
	{
		const double *t = geodtest[i];
		double		s12;
		double		azi1;
		double		azi2;

		vic_geodesic_inverse(t[1], t[0], t[4], t[3], &s12, &azi1, &azi2);
		snprintf(what, sizeof(what), "geodesic: GeodTest.dat row %d, s12 = %.4f m", i + 1, t[6]);
		check(near(s12, t[6], 1e-8, "s12") && near(azi1, t[2], 1e-12, "azi1") &&
			  near(azi2, t[5], 1e-12, "azi2"), what);
		check(near(vic_geodesic_distance(t[4], t[3], t[1], t[0]), t[6], 1e-8, "reverse"),
			  "geodesic: the reverse direction has the same length");
	}
	{
		double		s12;
		double		azi1;
		double		azi2;

		vic_geodesic_inverse(-73.8, 40.6, -0.5, 51.6, &s12, &azi1, &azi2);
		check(near(s12, 5551759.400319, 1e-6, "jfk s12") && near(azi1, 51.198882845580, 1e-11, "jfk azi1") &&
			  near(azi2, 107.821776735514, 1e-11, "jfk azi2"),
			  "geodesic: JFK - LHR, 5551759.400319 m, azimuth 51.19888 deg (GeographicLib docs)");
		vic_geodesic_inverse(0, -30, 179.8, 29.9, &s12, &azi1, &azi2);
		check(near(s12, 19989832.827610, 1e-6, "antipodal s12") &&
			  near(azi1, 161.890524736, 1e-9, "antipodal azi1") &&
			  near(azi2, 18.090737246, 1e-9, "antipodal azi2"),
			  "geodesic: nearly antipodal, Karney (2013) sec. 7: 19989832.827610 m");
	}
	check(near(vic_geodesic_distance(0, 90, 0, -90), 20003931.458625, 1e-6, "pole to pole"),
		  "geodesic: pole to pole is twice the quarter meridian, 20003931.458625 m");
	check(near(vic_geodesic_distance(0, 0, 180, 0), 20003931.458625, 1e-6, "equatorial antipodes"),
		  "geodesic: equatorial antipodes are joined over a pole, 20003931.458625 m");
	check(near(vic_geodesic_distance(0, 0, 1, 0), VIC_WGS84_A * M_PI / 180, 1e-9, "equator degree"),
		  "geodesic: one degree of the equator is a pi / 180 = 111319.490793 m");
	check(vic_geodesic_distance(10, 89.5, 10, 89.5) == 0 && vic_geodesic_distance(0, 90, 77, 90) == 0,
		  "geodesic: the same point, and the pole at two longitudes, are at distance 0");
	{
		/* the sphere of mean radius is within 0.6% of the ellipsoid (Karney 2013, sec. 1) */
		double		worst = 0;

		for (int i = 0; i < 2000; i++)
		{
			double		lon1 = uniform(-180, 180);
			double		lat1 = uniform(-90, 90);
			double		lon2 = uniform(-180, 180);
			double		lat2 = uniform(-90, 90);
			double		g = vic_geodesic_distance(lon1, lat1, lon2, lat2);
			double		s = vic_arc_distance(lon1, lat1, lon2, lat2);

			if (g > 1000 && fabs(s / g - 1) > worst)
				worst = fabs(s / g - 1);
		}
		snprintf(what, sizeof(what), "geodesic vs sphere: relative difference at most %.4f (< 0.0056)", worst);
		check(worst < 0.0056, what);
	}

	return tap_done();
}
