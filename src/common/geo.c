/*
 * geo.c
 *		PostGIS points in and out (geo.h): the serialized forms read and
 *		written without linking PostGIS.
 */
#include "postgres.h"

#include "fmgr.h"

#include "common/geo.h"

/* 22023 naming `what`: the one wording of each way bytes are not a point */
void
vic_point_error(VicPointError why, const char *what, int64 info)
{
	switch (why)
	{
		case VIC_POINT_TYPE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s must be a point", what),
					 errdetail("Got a geometry of PostGIS type number %u.", (uint32) info)));
			break;
		case VIC_POINT_EMPTY:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s must not be an empty point", what),
					 errdetail("A missing %s is NULL.", what)));
			break;
		case VIC_POINT_SRID:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s must be in SRID %d", what, VIC_SRID_WGS84),
					 errdetail("Got SRID %d; transform the points to WGS 84 longitude/latitude.",
							   (int) info)));
			break;
		case VIC_POINT_RANGE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s is not a valid longitude/latitude point", what)));
			break;
		case VIC_POINT_LAYOUT:
			break;
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s is not a serialized PostGIS point", what),
			 errdetail("The value has %lld bytes of data and an unexpected layout.",
					   (long long) info)));
	pg_unreachable();
}

/* a serialized PostGIS POINT datum into degrees (vic_point_data) */
void
vic_read_point(Datum d, const char *what, double *lon, double *lat)
{
	struct varlena *g = PG_DETOAST_DATUM_PACKED(d);

	vic_point_data((const uint8 *) VARDATA_ANY(g), VARSIZE_ANY_EXHDR(g), what, lon, lat);
	if ((Pointer) g != DatumGetPointer(d))
		pfree(g);
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
