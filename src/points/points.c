/*
 * points.c
 *		vic.points: an exact, mergeable set of weighted points with ids, on
 *		geography (geodesic metres) or geometry (planar, the SRID's units);
 *		the point buffer and its canonical build, the aggregate state (an
 *		expanded object), merging and equality.
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/expandeddatum.h"
#include "utils/memutils.h"

#include "common/args.h"
#include "points_internal.h"

VIC_SUMMARY_LAYOUT(VicPoints);

/* detoast argument argno (an expanded value is flattened) and check its version */
VicPoints *
vic_points_getarg(FunctionCallInfo fcinfo, int argno)
{
	return (VicPoints *) vic_summary_detoast(PG_GETARG_DATUM(argno), VIC_POINTS_VERSION,
											 VIC_POINTS_TYPNAME);
}

/* XX001 for a stored value that breaks an invariant of its version */
void
vic_points_corrupted(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("corrupted vic.points value"),
			 errdetail_internal("%s", detail)));
}

/* the SQL name of a kind, for messages */
static const char *
kind_name(int kind, int32 srid)
{
	if (kind == POINTS_GEOGRAPHY)
		return "geography";
	if (kind == POINTS_GEOMETRY)
		return psprintf("geometry in SRID %d", srid);
	return "empty";
}

/* 22023 when two non-empty point sets differ in kind or SRID */
void
vic_points_check_kind(int kind1, int32 srid1, int kind2, int32 srid2)
{
	if (kind1 == POINTS_EMPTY || kind2 == POINTS_EMPTY)
		return;
	if (kind1 != kind2 || srid1 != srid2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot combine points on %s with points on %s",
						kind_name(kind1, srid1), kind_name(kind2, srid2)),
				 errdetail("A vic.points value holds points of one kind: geography, or geometry of one SRID.")));
}

/* ----------------------------------------------------------------
 * Point buffer
 * ----------------------------------------------------------------
 */

/* an empty buffer whose array will live in cxt */
void
vic_pointbuf_init(VicPointBuf *b, MemoryContext cxt)
{
	b->cxt = cxt;
	b->kind = POINTS_EMPTY;
	b->srid = 0;
	b->n = 0;
	b->cap = 0;
	b->p = NULL;
	b->sorted = true;
}

/* room for extra more points */
static void
pointbuf_reserve(VicPointBuf *b, int64 extra)
{
	int64		need = b->n + extra;
	int64		cap;

	if (need <= b->cap)
		return;
	if (need > POINTS_MAX)
		vic_check_summary_size(POINTS_SIZE(need), VIC_POINTS_TYPNAME,
							   psprintf("One value holds at most " INT64_FORMAT " points.", POINTS_MAX));
	cap = Max(need, Max(b->cap * 2, 64));
	cap = Min(cap, POINTS_MAX);
	if (b->p == NULL)
		b->p = MemoryContextAllocHuge(b->cxt, cap * sizeof(VicPointRec));
	else
		b->p = repalloc_huge(b->p, cap * sizeof(VicPointRec));
	b->cap = cap;
}

/* append one checked point of kind/srid */
void
vic_pointbuf_add(VicPointBuf *b, int kind, int32 srid, int64 id, double x, double y, double w)
{
	VicPointRec *r;

	if (unlikely(b->kind != kind || b->srid != srid))
	{
		if (b->kind != POINTS_EMPTY)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("point " INT64_FORMAT " is on %s, the other points on %s",
							id, kind_name(kind, srid), kind_name(b->kind, b->srid)),
					 errdetail("A vic.points value holds points of one kind: geography, or geometry of one SRID.")));
		b->kind = kind;
		b->srid = srid;
	}
	if (unlikely(b->n >= b->cap))
		pointbuf_reserve(b, 1);
	if (b->n > 0 && id <= b->p[b->n - 1].id)
		b->sorted = false;
	r = &b->p[b->n++];
	r->id = id;
	r->x = x + 0.0;
	r->y = y + 0.0;
	r->w = w + 0.0;
}

/* append the points of a flat value */
void
vic_pointbuf_add_points(VicPointBuf *b, const VicPoints *p)
{
	const int64 *ids = POINTS_IDS(p);
	const double *x = POINTS_X(p);
	const double *y = POINTS_Y(p);
	const double *w = POINTS_W(p);

	if (p->npoints == 0)
		return;
	if (b->kind != POINTS_EMPTY)
		vic_points_check_kind(b->kind, b->srid, p->flags, p->srid);
	b->kind = p->flags;
	b->srid = p->srid;
	pointbuf_reserve(b, p->npoints);
	for (int32 i = 0; i < p->npoints; i++)
	{
		VicPointRec *r = &b->p[b->n];

		if (b->n > 0 && ids[i] <= b->p[b->n - 1].id)
			b->sorted = false;
		r->id = ids[i];
		r->x = x[i];
		r->y = y[i];
		r->w = w[i];
		b->n++;
	}
}

/* order of points by id */
static int
pointrec_cmp(const void *a, const void *b)
{
	int64		ia = ((const VicPointRec *) a)->id;
	int64		ib = ((const VicPointRec *) b)->id;

	return (ia > ib) - (ia < ib);
}

/* the canonical flat form of the buffer in CurrentMemoryContext */
VicPoints *
vic_pointbuf_build(VicPointBuf *b)
{
	VicPoints  *p;
	int64	   *ids;
	double	   *x;
	double	   *y;
	double	   *w;

	if (!b->sorted)
	{
		qsort(b->p, b->n, sizeof(VicPointRec), pointrec_cmp);
		for (int64 i = 1; i < b->n; i++)
			if (b->p[i].id == b->p[i - 1].id)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("point id " INT64_FORMAT " appears more than once", b->p[i].id),
						 errdetail("Each id of a vic.points value is one point.")));
		b->sorted = true;
	}
	vic_check_summary_size(POINTS_SIZE(b->n), VIC_POINTS_TYPNAME, NULL);
	p = palloc_extended(POINTS_SIZE(b->n), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	SET_VARSIZE(p, POINTS_SIZE(b->n));
	p->version = VIC_POINTS_VERSION;
	p->flags = b->n > 0 ? b->kind : POINTS_EMPTY;
	p->srid = b->n > 0 ? b->srid : 0;
	p->npoints = (int32) b->n;
	ids = POINTS_IDS(p);
	x = POINTS_X(p);
	y = POINTS_Y(p);
	w = POINTS_W(p);
	for (int64 i = 0; i < b->n; i++)
	{
		ids[i] = b->p[i].id;
		x[i] = b->p[i].x;
		y[i] = b->p[i].y;
		w[i] = b->p[i].w;
		VIC_POLL_INTERRUPTS(i);
	}
	return p;
}

/* ----------------------------------------------------------------
 * Expanded object: the aggregate state
 * ----------------------------------------------------------------
 */
typedef struct VicPointsExpanded
{
	ExpandedObjectHeader hdr;
	VicPointBuf buf;
	VicPoints  *flat;			/* the built form, valid while buf is unchanged */
} VicPointsExpanded;

static Size points_eoh_flat_size(ExpandedObjectHeader *eohptr);
static void points_eoh_flatten(ExpandedObjectHeader *eohptr, void *result, Size allocated_size);

static const ExpandedObjectMethods points_eoh_methods = {
	points_eoh_flat_size,
	points_eoh_flatten
};

/* a new, empty expanded state in its own child of parentcxt */
static VicPointsExpanded *
points_expanded_new(MemoryContext parentcxt)
{
	MemoryContext cxt = AllocSetContextCreate(parentcxt, "vic.points expanded",
											  ALLOCSET_SMALL_SIZES);
	VicPointsExpanded *ep = MemoryContextAllocZero(cxt, sizeof(VicPointsExpanded));

	EOH_init_header(&ep->hdr, &points_eoh_methods, cxt);
	vic_pointbuf_init(&ep->buf, cxt);
	ep->flat = NULL;
	return ep;
}

/* size of the flat form: sorts the buffer and builds it once */
static Size
points_eoh_flat_size(ExpandedObjectHeader *eohptr)
{
	VicPointsExpanded *ep = (VicPointsExpanded *) eohptr;
	MemoryContext old;

	Assert(ep->hdr.eoh_methods == &points_eoh_methods);
	if (ep->flat == NULL)
	{
		old = MemoryContextSwitchTo(ep->hdr.eoh_context);
		ep->flat = vic_pointbuf_build(&ep->buf);
		MemoryContextSwitchTo(old);
	}
	return VARSIZE(ep->flat);
}

/* copy the canonical form out (flat_size has just built it) */
static void
points_eoh_flatten(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	VicPointsExpanded *ep = (VicPointsExpanded *) eohptr;

	Assert(ep->flat != NULL && VARSIZE(ep->flat) == allocated_size);
	memcpy(result, ep->flat, allocated_size);
}

/* the state is about to change: forget the built form */
static inline void
points_expanded_touch(VicPointsExpanded *ep)
{
	if (unlikely(ep->flat != NULL))
	{
		pfree(ep->flat);
		ep->flat = NULL;
	}
}

/*
 * The aggregate state in argument argno, ready to be appended to: our own
 * read-write expanded object as is, anything else turned into a new one in
 * aggcxt.
 */
static VicPointsExpanded *
points_state(FunctionCallInfo fcinfo, int argno, MemoryContext aggcxt)
{
	VicPointsExpanded *ep;
	Datum		d;

	if (PG_ARGISNULL(argno))
		return points_expanded_new(aggcxt);
	d = PG_GETARG_DATUM(argno);
	if (VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(d)))
	{
		ExpandedObjectHeader *eoh = DatumGetEOHP(d);

		if (eoh->eoh_methods == &points_eoh_methods)
			return (VicPointsExpanded *) eoh;
	}
	ep = points_expanded_new(aggcxt);
	vic_pointbuf_add_points(&ep->buf, vic_points_getarg(fcinfo, argno));
	return ep;
}

/* "location of point <id>" into buf (room for 40), for point errors */
static const char *
location_what(char *buf, int64 id)
{
	int			len;

	memcpy(buf, "location of point ", 18);
	len = pg_lltoa(id, buf + 18);
	buf[18 + len] = '\0';
	return buf;
}

/* the weight argument of a transition function (argument 3 when given) */
static inline double
trans_weight(FunctionCallInfo fcinfo, int64 id)
{
	if (PG_NARGS() <= 3)
		return 1.0;
	if (PG_ARGISNULL(3))
		vic_null_member_weight(id);
	return vic_check_member_weight(PG_GETARG_FLOAT8(3), id);
}

/* common body of the two transition functions */
static Datum
points_trans(FunctionCallInfo fcinfo, bool geography)
{
	MemoryContext aggcxt;
	VicPointsExpanded *ep;
	int64		id;
	double		x,
				y,
				w;
	int32		srid;
	bool		geodetic;
	char		what[48];
	struct varlena *g;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "vic_points_agg_trans called in non-aggregate context");
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	id = PG_GETARG_INT64(1);
	g = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(2));
	vic_point_data_srid((const uint8 *) VARDATA_ANY(g), VARSIZE_ANY_EXHDR(g),
						location_what(what, id), &srid, &geodetic, &x, &y);
	if (geography)
	{
		if (srid != VIC_SRID_WGS84)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("geography in SRID %d is not supported (point " INT64_FORMAT ")", srid, id),
					 errdetail("vic.points measures geography on PostGIS's sphere in SRID 4326.")));
		if (!isfinite(x) || !isfinite(y) || fabs(y) > 90.0 || fabs(x) > 360.0)
			vic_point_error(VIC_POINT_RANGE, what, 0);
	}
	else if (!isfinite(x) || !isfinite(y))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s has a coordinate that is not finite", what)));
	w = trans_weight(fcinfo, id);
	ep = points_state(fcinfo, 0, aggcxt);
	points_expanded_touch(ep);
	vic_pointbuf_add(&ep->buf, geography ? POINTS_GEOGRAPHY : POINTS_GEOMETRY,
					 srid, id, x, y, w);
	PG_RETURN_DATUM(EOHPGetRWDatum(&ep->hdr));
}

PG_FUNCTION_INFO_V1(vic_points_agg_geog_trans);
/* points_agg(id, geography[, weight]) transition: append a point */
Datum
vic_points_agg_geog_trans(PG_FUNCTION_ARGS)
{
	return points_trans(fcinfo, true);
}

PG_FUNCTION_INFO_V1(vic_points_agg_geom_trans);
/* points_agg(id, geometry[, weight]) transition: append a point */
Datum
vic_points_agg_geom_trans(PG_FUNCTION_ARGS)
{
	return points_trans(fcinfo, false);
}

PG_FUNCTION_INFO_V1(vic_points_merge_trans);
/* merge_agg transition and combine function of the aggregates */
Datum
vic_points_merge_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	VicPointsExpanded *ep;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "vic_points_merge_trans called in non-aggregate context");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	ep = points_state(fcinfo, 0, aggcxt);
	points_expanded_touch(ep);
	vic_pointbuf_add_points(&ep->buf, vic_points_getarg(fcinfo, 1));
	PG_RETURN_DATUM(EOHPGetRWDatum(&ep->hdr));
}

PG_FUNCTION_INFO_V1(vic_points_agg_final);
/* final function: the state, expanded, without a copy */
Datum
vic_points_agg_final(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(vic_expanded_final(PG_GETARG_DATUM(0)));
}

PG_FUNCTION_INFO_V1(vic_points_concat);
/* a || b: the union of two point sets (an id in both is an error) */
Datum
vic_points_concat(PG_FUNCTION_ARGS)
{
	VicPoints  *a = vic_points_getarg(fcinfo, 0);
	VicPoints  *b = vic_points_getarg(fcinfo, 1);
	VicPointBuf buf;

	vic_pointbuf_init(&buf, CurrentMemoryContext);
	vic_pointbuf_add_points(&buf, a);
	vic_pointbuf_add_points(&buf, b);
	PG_RETURN_POINTER(vic_pointbuf_build(&buf));
}

/* same canonical bytes */
static bool
points_equal(const VicPoints *a, const VicPoints *b)
{
	return VARSIZE(a) == VARSIZE(b) && memcmp(a, b, VARSIZE(a)) == 0;
}

PG_FUNCTION_INFO_V1(vic_points_eq);
/* equality on canonical bytes */
Datum
vic_points_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(points_equal(vic_points_getarg(fcinfo, 0), vic_points_getarg(fcinfo, 1)));
}

PG_FUNCTION_INFO_V1(vic_points_ne);
/* inequality */
Datum
vic_points_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!points_equal(vic_points_getarg(fcinfo, 0), vic_points_getarg(fcinfo, 1)));
}

PG_FUNCTION_INFO_V1(vic_point_count);
/* number of points */
Datum
vic_point_count(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(vic_points_getarg(fcinfo, 0)->npoints);
}
