/*
 * sphere_test.c
 *		Unit test of src/sphere.h (vic_sincos_deg, vic_unit_vector) against an
 *		independent reference: glibc's long double sinl/cosl (x87 80-bit, a
 *		separate implementation with 11 more bits of precision).  Prints TAP.
 *
 * The reference reduces the angle the same exact way (deg - 90 q is exact in
 * double, Sterbenz 1974) and evaluates sinl/cosl of the remainder in long
 * double, so it measures the error of the kernel and of the conversion to
 * radians, in ulp of the double result.
 */
#include <math.h>
#include <stdio.h>
#include <stdint.h>

#include "tap.h"
#include "common/sphere.h"

/* error of x against ref in ulp of the double nearest ref */
static double
ulps(double x, long double ref)
{
	double		r = (double) ref;
	double		ulp = nextafter(fabs(r), INFINITY) - fabs(r);

	if (r == 0)
		return x == 0 ? 0 : INFINITY;
	return (double) (fabsl((long double) x - ref) / ulp);
}

/*
 * sin and cos of deg degrees in long double: the same exact reduction to
 * r = deg - 90 q, then the angle-addition formulas with the exact sine and
 * cosine of q * 90 degrees.
 */
static void
ref_sincos(double deg, long double *s, long double *c)
{
	static const int cos_q[4] = {1, 0, -1, 0};
	static const int sin_q[4] = {0, 1, 0, -1};
	double		q = rint(deg * (1.0 / 90.0));
	long double r = (long double) (deg - q * 90.0) * 3.14159265358979323846264338327950288L / 180.0L;
	int			k = ((int) q) & 3;

	*s = sinl(r) * cos_q[k] + cosl(r) * sin_q[k];
	*c = cosl(r) * cos_q[k] - sinl(r) * sin_q[k];
}

int
main(void)
{
	double		worst = 0;
	double		worst_near = 0;
	double		worst_norm = 0;
	int			exact = 1;
	int			plus_zero = 1;

	/* 2 * 10^6 angles over the longitude range, and angles within 1e-6 of a multiple of 90 */
	for (int i = 0; i < 2000000; i++)
	{
		double		d = uniform(-180.0, 180.0);
		double		near = 90.0 * (double) ((i % 9) - 4) + uniform(-1e-6, 1e-6);
		double		s;
		double		c;
		long double rs;
		long double rc;

		vic_sincos_deg(d, &s, &c);
		ref_sincos(d, &rs, &rc);
		worst = fmax(worst, fmax(ulps(s, rs), ulps(c, rc)));
		vic_sincos_deg(near, &s, &c);
		ref_sincos(near, &rs, &rc);
		worst_near = fmax(worst_near, fmax(ulps(s, rs), ulps(c, rc)));
	}
	printf("# worst error: %.3f ulp (uniform), %.3f ulp (near multiples of 90 degrees)\n",
		   worst, worst_near);
	check(worst <= 4.0, "sin/cos of degrees within 4 ulp of long double sinl/cosl (2e6 angles)");
	check(worst_near <= 4.0, "within 4 ulp near multiples of 90 degrees, where sin or cos is tiny");

	/* multiples of 90 degrees are exact, and 0 is +0 */
	for (int k = -8; k <= 8; k++)
	{
		double		s;
		double		c;
		double		es = (k & 1) ? ((((k % 4) + 4) % 4) == 1 ? 1.0 : -1.0) : 0.0;
		double		ec = (k & 1) ? 0.0 : ((((k % 4) + 4) % 4) == 0 ? 1.0 : -1.0);

		vic_sincos_deg(90.0 * k, &s, &c);
		if (s != es || c != ec)
			exact = 0;
		if ((s == 0 && signbit(s) && k >= 0) || (c == 0 && signbit(c)))
			plus_zero = 0;
	}
	check(exact, "sin and cos are exactly 0 or +-1 at multiples of 90 degrees (-720..720)");
	check(plus_zero, "cos(90 k) = +0, not -0, and sin(0..720) zeros are +0");

	/* unit vectors have norm 1 */
	for (int i = 0; i < 1000000; i++)
	{
		double		x;
		double		y;
		double		z;

		vic_unit_vector(uniform(-180.0, 180.0), uniform(-90.0, 90.0), &x, &y, &z);
		worst_norm = fmax(worst_norm, fabs(sqrt(x * x + y * y + z * z) - 1.0));
	}
	printf("# worst | |u| - 1 |: %.3g\n", worst_norm);
	check(worst_norm <= 1e-15, "unit vectors have norm 1 within 1e-15 (1e6 points)");

	return tap_done();
}
