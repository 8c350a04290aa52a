/*
 * sphere.h
 *		Unit vectors on the sphere from longitude and latitude in degrees.
 *
 * The aggregates turn every located row into a unit vector, so the sine and
 * cosine of two angles per row sit on the hot path.  Both angles are given
 * in degrees, which allows an exact argument reduction; the kernel is then a
 * short polynomial.  Being plain arithmetic, the result is the same on every
 * platform, unlike a libm call.
 */
#ifndef VIC_SPHERE_H
#define VIC_SPHERE_H

#include <math.h>

/*
 * sin and cos of an angle of `deg` degrees, |deg| <= 720.  The angle is
 * reduced to r = deg - 90 q, |r| <= 45 (plus rounding of deg / 90), and
 * that subtraction is exact: 90 q and deg lie within a factor of two of
 * each other (Sterbenz 1974), or q = 0.  sin r and cos r are the Taylor
 * polynomials of degree 17 and 18 in r radians, whose truncation errors
 * are below 1.3e-19 and 3.3e-21 for |r| <= pi/4 (the next terms,
 * r^19/19! and r^20/20!), far below half an ulp; the quadrant q mod 4
 * picks the signs (Cody & Waite, Software Manual for the Elementary
 * Functions, 1980, ch. 8).  Accurate to about one ulp.
 */
static inline void
vic_sincos_deg(double deg, double *s, double *c)
{
	double		q = rint(deg * (1.0 / 90.0));
	double		r = (deg - q * 90.0) * (M_PI / 180.0);
	double		r2 = r * r;
	double		sr;
	double		cr;

	/* Horner forms of sum (-1)^k r^(2k+1)/(2k+1)! and sum (-1)^k r^(2k)/(2k)! */
	sr = r * (1.0 + r2 * (-1.0 / 6 + r2 * (1.0 / 120 + r2 * (-1.0 / 5040 +
		 r2 * (1.0 / 362880 + r2 * (-1.0 / 39916800 + r2 * (1.0 / 6227020800.0 +
		 r2 * (-1.0 / 1307674368000.0 + r2 * (1.0 / 355687428096000.0)))))))));
	cr = 1.0 + r2 * (-0.5 + r2 * (1.0 / 24 + r2 * (-1.0 / 720 + r2 * (1.0 / 40320 +
		 r2 * (-1.0 / 3628800 + r2 * (1.0 / 479001600 + r2 * (-1.0 / 87178291200.0 +
		 r2 * (1.0 / 20922789888000.0 + r2 * (-1.0 / 6402373705728000.0)))))))));

	switch (((int) q) & 3)
	{
		case 0:
			*s = sr;
			*c = cr;
			break;
		case 1:
			*s = cr;
			*c = 0.0 - sr;		/* +0, not -0, at exactly 90 degrees */
			break;
		case 2:
			*s = 0.0 - sr;
			*c = -cr;
			break;
		default:
			*s = -cr;
			*c = sr;
			break;
	}
}

/* unit vector (x, y, z) of the point at longitude lon, latitude lat (degrees) */
static inline void
vic_unit_vector(double lon, double lat, double *x, double *y, double *z)
{
	double		slon;
	double		clon;
	double		slat;
	double		clat;

	vic_sincos_deg(lon, &slon, &clon);
	vic_sincos_deg(lat, &slat, &clat);
	*x = clat * clon;
	*y = clat * slon;
	*z = slat;
}

#endif							/* VIC_SPHERE_H */
