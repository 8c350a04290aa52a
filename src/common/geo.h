/*
 * geo.h
 *		Points on the Earth: PostGIS points in and out (geo.c), unit vectors,
 *		chord and great-circle distances on the sphere, and geodesic
 *		distances on the WGS 84 ellipsoid.  C API only; no SQL functions.
 *
 * Longitude comes before latitude everywhere, in degrees, as in PostGIS
 * (x, y).  Sphere distances use PostGIS's sphere, the mean Earth radius
 * R = 6371008.8 m (IUGG; Moritz, "Geodetic Reference System 1980", J. Geod.
 * 74, 2000), so they match ST_Distance(geography, geography, false).  The
 * math and the point parser here are inline and need neither a server nor
 * palloc (only their errors are calls), so that test/unit/geo_test.c checks
 * them standalone and a per-row reader inlines the parse.
 */
#ifndef VIC_GEO_H
#define VIC_GEO_H

#include "postgres.h"

#include <math.h>
#include <geodesic.h>

#include "common/sphere.h"

/* radius of PostGIS's sphere, metres */
#define VIC_SPHERE_RADIUS	6371008.8

/* the WGS 84 ellipsoid: semi-major axis (m) and flattening (NIMA TR8350.2) */
#define VIC_WGS84_A			6378137.0
#define VIC_WGS84_F			(1.0 / 298.257223563)

/* a point as a vector in R^3; on the unit sphere for points of the Earth */
typedef struct VicVec3
{
	double		x;
	double		y;
	double		z;
} VicVec3;

/* ---- PostGIS values ---- */

/* the PostGIS type number of a POINT (liblwgeom.h POINTTYPE) */
#define VIC_POSTGIS_POINTTYPE	1

/* the SRID of WGS 84 longitude/latitude */
#define VIC_SRID_WGS84			4326

/* why serialized bytes are not a point vic reads (vic_point_error) */
typedef enum VicPointError
{
	VIC_POINT_LAYOUT,			/* not a GSERIALIZED point; info: data bytes */
	VIC_POINT_TYPE,				/* another geometry type; info: its number */
	VIC_POINT_EMPTY,			/* POINT EMPTY */
	VIC_POINT_SRID,				/* another SRID; info: the SRID */
	VIC_POINT_RANGE				/* a coordinate out of range or not finite */
} VicPointError;

/* 22023 naming `what` for bytes that are not a point (geo.c) */
extern void vic_point_error(VicPointError why, const char *what, int64 info) pg_attribute_noreturn();

/*
 * Parse the data bytes b[0..len) of a serialized PostGIS POINT, geography or
 * geometry, GSERIALIZED v1 or v2, of any SRID: its SRID (0 when unknown),
 * whether it is geodetic (a geography) and its x, y.  vic_point_error for
 * anything but a non-empty point; coordinates are not range-checked (the
 * caller does, knowing the kind).  The layout (PostGIS liblwgeom
 * gserialized1.c / gserialized2.c): 3-byte SRID, one flag byte; v2 may add 8
 * bytes of extended flags; an optional float bounding box (6 floats for
 * geodetic values, 2 per dimension otherwise); then the type (uint32, 1 =
 * point), the number of points (uint32) and the coordinates as doubles.
 */
static inline void
vic_point_data_srid(const uint8 *b, Size len, const char *what, int32 *srid,
					bool *geodetic, double *x, double *y)
{
	uint8		gflags;
	int			ndims;
	Size		off = 4;
	uint32		type;
	uint32		npoints;
	int32		s;

	if (unlikely(len < 4 + 8))
		vic_point_error(VIC_POINT_LAYOUT, what, (int64) len);
	s = ((b[0] & 0x1F) << 16) | (b[1] << 8) | b[2];
	s = (int32) ((uint32) s << 11) >> 11;	/* sign-extend the 21-bit field */
	gflags = b[3];
	ndims = 2 + ((gflags & 0x01) != 0) + ((gflags & 0x02) != 0);
	if ((gflags & 0x40) && (gflags & 0x10))
		off += 8;				/* v2 extended flags */
	if (gflags & 0x04)
		off += (gflags & 0x08) ? 6 * sizeof(float) : 2 * ndims * sizeof(float);
	if (unlikely(len < off + 8))
		vic_point_error(VIC_POINT_LAYOUT, what, (int64) len);
	memcpy(&type, b + off, 4);
	memcpy(&npoints, b + off + 4, 4);
	if (unlikely(type != VIC_POSTGIS_POINTTYPE))
		vic_point_error(VIC_POINT_TYPE, what, type);
	if (unlikely(npoints == 0))
		vic_point_error(VIC_POINT_EMPTY, what, 0);
	if (unlikely(npoints != 1 || len < off + 8 + ndims * sizeof(double)))
		vic_point_error(VIC_POINT_LAYOUT, what, (int64) len);
	memcpy(x, b + off + 8, sizeof(double));
	memcpy(y, b + off + 16, sizeof(double));
	*srid = s;
	*geodetic = (gflags & 0x08) != 0;
}

/*
 * Parse the data bytes b[0..len) (after the varlena header) of a serialized
 * PostGIS POINT, geography or geometry, in SRID 4326, into degrees;
 * vic_point_error for anything else (vic_point_data_srid's layout).
 */
static inline void
vic_point_data(const uint8 *b, Size len, const char *what, double *lon, double *lat)
{
	int32		srid;
	bool		geodetic;

	vic_point_data_srid(b, len, what, &srid, &geodetic, lon, lat);
	if (unlikely(srid != VIC_SRID_WGS84))
		vic_point_error(VIC_POINT_SRID, what, srid);
	if (unlikely(!isfinite(*lon) || !isfinite(*lat) || fabs(*lat) > 90.0 || fabs(*lon) > 360.0))
		vic_point_error(VIC_POINT_RANGE, what, 0);
}

/*
 * Read a serialized PostGIS POINT datum (vic_point_data after detoasting;
 * geo.c, needs a server).  A per-row reader detoasts and calls
 * vic_point_data itself, so that the parse inlines.
 */
extern void vic_read_point(Datum d, const char *what, double *lon, double *lat);

/* a geography POINT(lon lat) in SRID 4326, GSERIALIZED v2, palloc'd */
extern Datum vic_geography_point(double lon, double lat);

/* ---- the unit sphere ---- */

/* unit vector of (lon, lat); sphere.h's exact reduction and kernels */
static inline VicVec3
vic_point_vector(double lon, double lat)
{
	VicVec3		u;

	vic_unit_vector(lon, lat, &u.x, &u.y, &u.z);
	return u;
}

/* |a - b|: the chord between two unit vectors, in radii */
static inline double
vic_vec_chord(VicVec3 a, VicVec3 b)
{
	double		dx = a.x - b.x;
	double		dy = a.y - b.y;
	double		dz = a.z - b.z;

	return sqrt(dx * dx + dy * dy + dz * dz);
}

/*
 * The angle between two unit vectors, in radians, as atan2(|a x b|, a . b):
 * well conditioned at every separation, unlike acos(a . b) near 0 and pi or
 * asin |a x b| near pi/2 (the vector form of Vincenty's 1975 sphere formula).
 */
static inline double
vic_vec_angle(VicVec3 a, VicVec3 b)
{
	double		cx = a.y * b.z - a.z * b.y;
	double		cy = a.z * b.x - a.x * b.z;
	double		cz = a.x * b.y - a.y * b.x;

	return atan2(sqrt(cx * cx + cy * cy + cz * cz), a.x * b.x + a.y * b.y + a.z * b.z);
}

/* straight-line (chord) distance in metres between two points of the sphere */
static inline double
vic_chord_distance(double lon1, double lat1, double lon2, double lat2)
{
	return VIC_SPHERE_RADIUS * vic_vec_chord(vic_point_vector(lon1, lat1),
											 vic_point_vector(lon2, lat2));
}

/* great-circle (arc) distance in metres on the sphere of radius R */
static inline double
vic_arc_distance(double lon1, double lat1, double lon2, double lat2)
{
	return VIC_SPHERE_RADIUS * vic_vec_angle(vic_point_vector(lon1, lat1),
											 vic_point_vector(lon2, lat2));
}

/* the arc (m) over a chord of c metres: 2 R asin(c / 2R), c clamped to 2R */
static inline double
vic_chord_to_arc(double c)
{
	double		h = c / (2.0 * VIC_SPHERE_RADIUS);

	return 2.0 * VIC_SPHERE_RADIUS * asin(h < 1.0 ? h : 1.0);
}

/* ---- the WGS 84 ellipsoid ---- */

/* PROJ's geodesic of WGS 84, initialised on first use (one per backend) */
static inline const struct geod_geodesic *
vic_wgs84(void)
{
	static struct geod_geodesic g;
	static bool initialised = false;

	if (!initialised)
	{
		geod_init(&g, VIC_WGS84_A, VIC_WGS84_F);
		initialised = true;
	}
	return &g;
}

/*
 * The inverse geodesic problem on WGS 84 (Karney, "Algorithms for
 * geodesics", J. Geod. 87, 2013, via PROJ's geodesic.c): the length s12 (m)
 * of the shortest path from (lon1, lat1) to (lon2, lat2) and its azimuths
 * at both ends (degrees clockwise from north; either pointer may be NULL).
 * Accurate to about 15 nm, antipodal points included; |lat| <= 90.
 */
static inline void
vic_geodesic_inverse(double lon1, double lat1, double lon2, double lat2,
					 double *s12, double *azi1, double *azi2)
{
	geod_inverse(vic_wgs84(), lat1, lon1, lat2, lon2, s12, azi1, azi2);
}

/* the geodesic distance in metres between two points of WGS 84 */
static inline double
vic_geodesic_distance(double lon1, double lat1, double lon2, double lat2)
{
	double		s12;

	geod_inverse(vic_wgs84(), lat1, lon1, lat2, lon2, &s12, NULL, NULL);
	return s12;
}



/* ---- links (src/links): PostGIS's own sphere ---- */

/*
 * The radius PostGIS gives its sphere when ST_Distance(a, b, false) is asked
 * for: (2a + b) / 3 of the geography's spheroid (liblwgeom lwspheroid.c,
 * spheroid_init), for WGS 84 6371008.7714 m.  VIC_SPHERE_RADIUS (6371008.8)
 * differs from it by 4.5e-9 relative; links uses this one so that its sphere
 * lengths equal PostGIS's to 1e-9.
 */
#define VIC_POSTGIS_SPHERE_RADIUS \
	((2.0 * VIC_WGS84_A + VIC_WGS84_A * (1.0 - VIC_WGS84_F)) / 3.0)

/* great-circle distance in metres on PostGIS's sphere, from unit vectors */
static inline double
vic_postgis_sphere_distance(VicVec3 a, VicVec3 b)
{
	return VIC_POSTGIS_SPHERE_RADIUS * vic_vec_angle(a, b);
}

#endif							/* VIC_GEO_H */
