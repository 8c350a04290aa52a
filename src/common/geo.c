/*
 * geo.c
 *		PostGIS points in and out (geo.h): the serialized forms read and
 *		written without linking PostGIS.
 */
#include "postgres.h"

#include "fmgr.h"

#include "common/geo.h"

/* the PostGIS type number of a POINT (liblwgeom.h POINTTYPE) */
#define VIC_POSTGIS_POINTTYPE	1

/* the SRID of WGS 84 longitude/latitude */
#define VIC_SRID_WGS84			4326

/*
 * Read a PostGIS POINT (serialized GSERIALIZED v1 or v2) into longitude and
 * latitude in degrees.  The layout (PostGIS liblwgeom gserialized1.c /
 * gserialized2.c): varlena header, 3-byte SRID, one flag byte; v2 may add 8
 * bytes of extended flags; an optional float bounding box (6 floats for
 * geodetic values, 2 per dimension otherwise); then the type (uint32, 1 =
 * point), the number of points (uint32) and the coordinates as doubles.
 */
void
vic_read_point(Datum d, const char *what, double *lon, double *lat)
{
	struct varlena *g = PG_DETOAST_DATUM_PACKED(d);
	const uint8 *b = (const uint8 *) VARDATA_ANY(g);
	Size		len = VARSIZE_ANY_EXHDR(g);
	uint8		gflags;
	int32		srid;
	bool		v2;
	int			ndims;
	Size		off = 4;
	uint32		type;
	uint32		npoints;

	if (len < 4 + 8)
		goto bad;
	srid = ((b[0] & 0x1F) << 16) | (b[1] << 8) | b[2];
	srid = (srid << 11) >> 11;	/* sign-extend the 21-bit field */
	gflags = b[3];
	v2 = (gflags & 0x40) != 0;
	ndims = 2 + ((gflags & 0x01) != 0) + ((gflags & 0x02) != 0);
	if (v2 && (gflags & 0x10))
		off += 8;				/* extended flags */
	if (gflags & 0x04)
		off += (gflags & 0x08) ? 6 * sizeof(float) : 2 * ndims * sizeof(float);
	if (len < off + 8)
		goto bad;
	memcpy(&type, b + off, 4);
	memcpy(&npoints, b + off + 4, 4);
	if (type != VIC_POSTGIS_POINTTYPE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a point", what),
				 errdetail("Got a geometry of PostGIS type number %u.", type)));
	if (npoints == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be an empty point", what),
				 errdetail("A missing %s is NULL.", what)));
	if (srid != VIC_SRID_WGS84)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be in SRID 4326", what),
				 errdetail("Got SRID %d; transform the points to WGS 84 longitude/latitude.", srid)));
	if (npoints != 1 || len < off + 8 + ndims * sizeof(float8))
		goto bad;
	memcpy(lon, b + off + 8, sizeof(float8));
	memcpy(lat, b + off + 16, sizeof(float8));
	if (!isfinite(*lon) || !isfinite(*lat) || fabs(*lat) > 90.0 || fabs(*lon) > 360.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s is not a valid longitude/latitude point", what)));
	if ((Pointer) g != DatumGetPointer(d))
		pfree(g);
	return;

bad:
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s is not a serialized PostGIS point", what),
			 errdetail("The value has %zu bytes of data and an unexpected layout.", len)));
}

/*
 * A PostGIS geography POINT in SRID 4326, serialized in the GSERIALIZED v2
 * layout PostGIS 3 writes: varlena header, SRID in 3 bytes, flags (version
 * bit 0x40, geodetic 0x08), type 1, one point, x and y.
 */
Datum
vic_geography_point(double lon, double lat)
{
	Size		size = VARHDRSZ + 4 + 4 + 4 + 2 * sizeof(float8);
	char	   *g = palloc0(size);
	uint8	   *b = (uint8 *) VARDATA(g);
	uint32		type = VIC_POSTGIS_POINTTYPE;
	uint32		npoints = 1;

	SET_VARSIZE(g, size);
	b[0] = (VIC_SRID_WGS84 >> 16) & 0x1F;
	b[1] = (VIC_SRID_WGS84 >> 8) & 0xFF;
	b[2] = VIC_SRID_WGS84 & 0xFF;
	b[3] = 0x40 | 0x08;
	memcpy(b + 4, &type, 4);
	memcpy(b + 8, &npoints, 4);
	memcpy(b + 12, &lon, sizeof(float8));
	memcpy(b + 20, &lat, sizeof(float8));
	return PointerGetDatum(g);
}
