/*
 * points_window.c
 *		A study-area window for edge corrections: a PostGIS POLYGON or
 *		MULTIPOLYGON geometry read from its serialized form (liblwgeom
 *		gserialized1.c / gserialized2.c), its area, and each point's
 *		distance to its boundary.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "points_window.h"

#define POLYGONTYPE			3
#define MULTIPOLYGONTYPE	6

/* 22023 for a window that is not what vic reads */
static void
window_error(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("window must be a non-empty POLYGON or MULTIPOLYGON geometry"),
			 errdetail("%s", detail)));
}

/* read a uint32 at *off, bounds-checked */
static uint32
read_u32(const uint8 *b, Size len, Size *off)
{
	uint32		v;

	if (*off + 4 > len)
		window_error("The serialized value is truncated.");
	memcpy(&v, b + *off, 4);
	*off += 4;
	return v;
}

/* read one polygon body (rings) at *off into w */
static void
read_polygon(VicWindow *w, const uint8 *b, Size len, Size *off, int ndims)
{
	uint32		nrings = read_u32(b, len, off);
	uint32	   *npts;
	Size		need;

	if (nrings == 0)
		return;
	if (nrings > len / 4)
		window_error("The ring count is larger than the value.");
	npts = palloc(nrings * sizeof(uint32));
	for (uint32 r = 0; r < nrings; r++)
		npts[r] = read_u32(b, len, off);
	if (nrings % 2 == 1)
		*off += 4;				/* padding to a double boundary */
	for (uint32 r = 0; r < nrings; r++)
	{
		double		ringarea = 0;
		int32		first = w->npts;

		need = (Size) npts[r] * ndims * sizeof(double);
		if (npts[r] < 4 || *off + need > len)
			window_error("A ring has fewer than four points or is truncated.");
		if (w->npts + (int64) npts[r] > w->cap)
		{
			w->cap = Max(w->cap * 2, w->npts + (int64) npts[r]);
			w->x = w->x ? repalloc_huge(w->x, w->cap * sizeof(double)) :
				palloc_extended(w->cap * sizeof(double), MCXT_ALLOC_HUGE);
			w->y = w->y ? repalloc_huge(w->y, w->cap * sizeof(double)) :
				palloc_extended(w->cap * sizeof(double), MCXT_ALLOC_HUGE);
		}
		for (uint32 k = 0; k < npts[r]; k++)
		{
			double		x,
						y;

			memcpy(&x, b + *off + (Size) k * ndims * sizeof(double), sizeof(double));
			memcpy(&y, b + *off + (Size) k * ndims * sizeof(double) + sizeof(double), sizeof(double));
			if (!isfinite(x) || !isfinite(y))
				window_error("A vertex is not finite.");
			w->x[w->npts + k] = x;
			w->y[w->npts + k] = y;
		}
		*off += need;
		/* shoelace formula over the closed ring */
		for (uint32 k = 0; k + 1 < npts[r]; k++)
			ringarea += w->x[first + k] * w->y[first + k + 1] - w->x[first + k + 1] * w->y[first + k];
		ringarea = fabs(ringarea) / 2;
		/* the first ring of a polygon is its shell, the others holes */
		w->area += r == 0 ? ringarea : -ringarea;
		w->ring_end = w->ring_end ? repalloc(w->ring_end, (w->nrings + 1) * sizeof(int32)) :
			palloc(sizeof(int32));
		w->npts += npts[r];
		w->ring_end[w->nrings++] = w->npts;
	}
	pfree(npts);
}

/* read a serialized POLYGON or MULTIPOLYGON geometry into w */
void
vic_window_read(Datum d, VicWindow *w)
{
	struct varlena *g = PG_DETOAST_DATUM(d);
	const uint8 *b = (const uint8 *) VARDATA(g);
	Size		len = VARSIZE(g) - VARHDRSZ;
	uint8		gflags;
	int			ndims;
	Size		off = 4;
	uint32		type;
	int32		s;

	memset(w, 0, sizeof(*w));
	if (len < 8)
		window_error("The serialized value is truncated.");
	s = ((b[0] & 0x1F) << 16) | (b[1] << 8) | b[2];
	s = (int32) ((uint32) s << 11) >> 11;
	gflags = b[3];
	if (gflags & 0x08)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("a geography window is not supported"),
				 errdetail("Edge corrections use a planar window in the SRID of the points.")));
	ndims = 2 + ((gflags & 0x01) != 0) + ((gflags & 0x02) != 0);
	if ((gflags & 0x40) && (gflags & 0x10))
		off += 8;
	if (gflags & 0x04)
		off += 2 * ndims * sizeof(float);
	type = read_u32(b, len, &off);
	w->srid = s;
	if (type == POLYGONTYPE)
		read_polygon(w, b, len, &off, ndims);
	else if (type == MULTIPOLYGONTYPE)
	{
		uint32		ngeoms = read_u32(b, len, &off);

		for (uint32 k = 0; k < ngeoms; k++)
		{
			if (read_u32(b, len, &off) != POLYGONTYPE)
				window_error("A part of the multipolygon is not a polygon.");
			read_polygon(w, b, len, &off, ndims);
		}
	}
	else
		window_error(psprintf("Got a geometry of PostGIS type number %u.", type));
	if (w->nrings == 0 || !(w->area > 0))
		window_error("The window is empty or has no area.");
}

/*
 * Is (px, py) inside the window (even-odd rule over all rings: holes and
 * the parts of a multipolygon alike), and its distance to the boundary
 */
bool
vic_window_locate(const VicWindow *w, double px, double py, double *bdist)
{
	bool		inside = false;
	double		best = DBL_MAX;
	int32		start = 0;

	for (int32 r = 0; r < w->nrings; r++)
	{
		for (int32 k = start; k + 1 < w->ring_end[r]; k++)
		{
			double		x1 = w->x[k],
						y1 = w->y[k],
						x2 = w->x[k + 1],
						y2 = w->y[k + 1];
			double		dx = x2 - x1,
						dy = y2 - y1;
			double		l2 = dx * dx + dy * dy;
			double		t = l2 > 0 ? ((px - x1) * dx + (py - y1) * dy) / l2 : 0;
			double		ex,
						ey,
						dd;

			if ((y1 > py) != (y2 > py) &&
				px < x1 + (py - y1) * (x2 - x1) / (y2 - y1))
				inside = !inside;
			t = Max(0.0, Min(1.0, t));
			ex = px - (x1 + t * dx);
			ey = py - (y1 + t * dy);
			/* axis-parallel edges give the exact coordinate difference */
			if (dx == 0 && py >= Min(y1, y2) && py <= Max(y1, y2))
				dd = fabs(px - x1);
			else if (dy == 0 && px >= Min(x1, x2) && px <= Max(x1, x2))
				dd = fabs(py - y1);
			else
				dd = sqrt(ex * ex + ey * ey);
			best = Min(best, dd);
		}
		start = w->ring_end[r];
	}
	*bdist = best;
	return inside || best == 0;
}
