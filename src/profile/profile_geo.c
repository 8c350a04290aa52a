/*
 * profile_geo.c
 *		Centrography of vic.profile: the spherical mean and the standard
 *		distance of the located members, from the location moments, and the
 *		geography POINT they are returned as.
 *
 * vic does not link against PostGIS: points are read and written in the
 * serialized GSERIALIZED layout by common/geo.h.
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"

#include "common/geo.h"
#include "profile.h"

/* ---------------------------------------------------------------------
 * Centrography
 * ---------------------------------------------------------------------
 */

/* |resultant| / located weight, or -1 when there is no located weight */
static float8
mean_resultant_length(VicProfile *p)
{
	float8		len;

	profile_check_not_tally(p);
	if (!(p->loc_weight > 0))
		return -1;
	len = sqrt(p->sx * p->sx + p->sy * p->sy + p->sz * p->sz) / p->loc_weight;
	return Min(len, 1.0);
}

PG_FUNCTION_INFO_V1(vic_centroid);

/*
 * Weighted spherical mean (Fisher, Lewis & Embleton 1987, sec. 3.2): the
 * direction of sum_k w_k u_k, u_k the unit vector of member k.  NULL without
 * located weight or when the mean resultant length is below 1e-12 (the
 * points balance out and the mean direction is undefined).
 */
Datum
vic_centroid(PG_FUNCTION_ARGS)
{
	VicProfile *p = PG_GETARG_VIC_PROFILE_PART(0, VIC_PART_HEADER);
	float8		rbar = mean_resultant_length(p);
	float8		lon;
	float8		lat;

	if (rbar < 1e-12)
		PG_RETURN_NULL();
	lon = atan2(p->sy, p->sx) * (180.0 / M_PI);
	lat = atan2(p->sz, sqrt(p->sx * p->sx + p->sy * p->sy)) * (180.0 / M_PI);
	PG_RETURN_DATUM(vic_geography_point(lon, lat));
}

PG_FUNCTION_INFO_V1(vic_standard_distance);

/*
 * Standard distance in metres: the weighted root-mean-square chord distance
 * of the located members from the spherical mean, on the sphere of radius
 * 6371008.8 m.  With unit vectors, sum_k w_k |u_k - m|^2 / W = 2 - 2 Rbar
 * exactly (Mardia & Jupp 2000, sec. 9.2), so the value is computed from the
 * mergeable moments: SD = R sqrt(2 - 2 Rbar).  For spreads much smaller than
 * the Earth the chord equals the arc and this is Bachi's (1963) standard
 * distance.  NULL without located weight.
 */
Datum
vic_standard_distance(PG_FUNCTION_ARGS)
{
	VicProfile *p = PG_GETARG_VIC_PROFILE_PART(0, VIC_PART_HEADER);
	float8		rbar = mean_resultant_length(p);

	if (rbar < 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(VIC_SPHERE_RADIUS * sqrt(2.0 - 2.0 * rbar));
}

