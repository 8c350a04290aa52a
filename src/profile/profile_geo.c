/*
 * profile_geo.c
 *		Centrography of vic.profile: the spherical mean and the standard
 *		distance of the located members, from the location moments, and the
 *		geography POINT they are returned as.
 *
 * vic does not link against PostGIS: points are written in the serialized
 * GSERIALIZED layout documented in PostGIS's liblwgeom (profile_agg.c reads
 * them the same way).
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"

#include "profile.h"

/* ---------------------------------------------------------------------
 * Centrography
 * ---------------------------------------------------------------------
 */

/*
 * A PostGIS geography POINT in SRID 4326, serialized in the GSERIALIZED v2
 * layout PostGIS 3 writes: varlena header, SRID in 3 bytes, flags (version
 * bit 0x40, geodetic 0x08), type 1, one point, x and y.
 */
static Datum
make_geography_point(float8 lon, float8 lat)
{
	Size		size = VARHDRSZ + 4 + 4 + 4 + 2 * sizeof(float8);
	char	   *g = palloc0(size);
	uint8	   *b = (uint8 *) VARDATA(g);
	uint32		type = 1;
	uint32		npoints = 1;

	SET_VARSIZE(g, size);
	b[0] = (4326 >> 16) & 0x1F;
	b[1] = (4326 >> 8) & 0xFF;
	b[2] = 4326 & 0xFF;
	b[3] = 0x40 | 0x08;
	memcpy(b + 4, &type, 4);
	memcpy(b + 8, &npoints, 4);
	memcpy(b + 12, &lon, sizeof(float8));
	memcpy(b + 20, &lat, sizeof(float8));
	return PointerGetDatum(g);
}

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
	PG_RETURN_DATUM(make_geography_point(lon, lat));
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
	PG_RETURN_FLOAT8(VIC_EARTH_RADIUS * sqrt(2.0 - 2.0 * rbar));
}

