/*
 * points_nn.c
 *		Nearest neighbours, the Clark-Evans index, the co-location quotient
 *		and DBSCAN, over the cell index.
 *
 * Nearest neighbours search the cells ring by ring around a point's own
 * cell: a point k + 1 rings away is more than k cell sides away, so once
 * the best distance found is at most k sides the search stops; a point far
 * from all others (more rings than cells) is searched exhaustively.  Ties
 * go to the smaller id.  Distances compare squared coordinate distances
 * (chords on the sphere), monotone in the distance returned.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"

#include "points_internal.h"

/* result of one nearest-neighbour search */
typedef struct NnResult
{
	int32		best;			/* point number, -1 when alone */
	double		d2;				/* its squared coordinate distance */
	int32		nties;			/* points at exactly that distance */
	int32		nties_marked;	/* of which marked */
} NnResult;

/* a cell side giving about two points per occupied cell */
static double
nn_cell_side(const VicPtCoords *pc)
{
	double		lo[3] = {0, 0, 0},
				hi[3] = {0, 0, 0},
				e[3] = {0, 0, 0};
	double		s;

	for (int32 i = 0; i < pc->n; i++)
		for (int k = 0; k < pc->dim; k++)
		{
			double		v = pc->c[(Size) i * pc->dim + k];

			if (i == 0 || v < lo[k])
				lo[k] = v;
			if (i == 0 || v > hi[k])
				hi[k] = v;
		}
	for (int k = 0; k < pc->dim; k++)
		e[k] = hi[k] - lo[k];
	/* the two largest extents span the surface the points lie on */
	for (int a = 0; a < 2; a++)
		for (int b = a + 1; b < 3; b++)
			if (e[b] > e[a])
			{
				double		t = e[a];

				e[a] = e[b];
				e[b] = t;
			}
	s = sqrt(e[0] * e[1] / Max(pc->n, 1)) * 1.5;
	if (!(s > 0))
		s = e[0] * 2.0 / Max(pc->n, 1);
	if (!(s > 0))
		s = 1.0;
	return s;
}

/* consider point b (subset position) as a neighbour of i */
static inline void
nn_consider(const VicCellIndex *ix, int32 i, const double *ci, int32 b,
			const bool *mark, NnResult *res)
{
	int32		j = ix->order[b];
	double		d2;

	if (j == i)
		return;
	d2 = vic_pt_d2(ci, ix->sc + (Size) b * ix->pc->dim, ix->pc->dim);
	if (res->best < 0 || d2 < res->d2)
	{
		res->best = j;
		res->d2 = d2;
		res->nties = 1;
		res->nties_marked = mark && mark[j];
	}
	else if (d2 == res->d2)
	{
		if (j < res->best)
			res->best = j;
		res->nties++;
		res->nties_marked += mark && mark[j];
	}
}

/* the nearest neighbour of point i among the indexed points (mark counts ties) */
static void
nn_search(const VicCellIndex *ix, int32 i, const bool *mark, NnResult *res)
{
	const VicPtCoords *pc = ix->pc;
	int			dim = pc->dim;
	const double *ci = pc->c + (Size) i * dim;
	int64		cc[3];
	int64		visited = 0;
	int64		limit = 4 * (int64) ix->ncells + 64;

	res->best = -1;
	res->d2 = 0;
	res->nties = 0;
	res->nties_marked = 0;
	(void) vic_cell_key_of(ix, ci, cc);
	for (int64 k = 0;; k++)
	{
		int64		zr = dim == 3 ? k : 0;

		for (int64 dx = -k; dx <= k; dx++)
			for (int64 dy = -k; dy <= k; dy++)
				for (int64 dz = -zr; dz <= zr; dz++)
				{
					int64		nc[3];
					int32		cell;

					/* only the shell of the ring */
					if (Max(Max(llabs(dx), llabs(dy)), llabs(dz)) != k)
						continue;
					nc[0] = cc[0] + dx;
					nc[1] = cc[1] + dy;
					nc[2] = cc[2] + dz;
					if (nc[0] < 0 || nc[1] < 0 || nc[2] < 0 || nc[0] >= VIC_CELL_AXIS_MAX ||
						nc[1] >= VIC_CELL_AXIS_MAX || nc[2] >= VIC_CELL_AXIS_MAX)
						continue;
					visited++;
					cell = vic_cell_lookup(ix, vic_cell_pack(ix, nc));
					if (cell < 0)
						continue;
					for (int32 b = ix->start[cell]; b < ix->start[cell + 1]; b++)
						nn_consider(ix, i, ci, b, mark, res);
				}
		if (res->best >= 0 && res->d2 <= (k * ix->s) * (k * ix->s))
			return;
		if (visited > limit)
			break;
		CHECK_FOR_INTERRUPTS();
	}
	/* isolated: search every point */
	res->best = -1;
	res->nties = 0;
	res->nties_marked = 0;
	for (int32 b = 0; b < ix->m; b++)
		nn_consider(ix, i, ci, b, mark, res);
}

PG_FUNCTION_INFO_V1(vic_nearest_neighbours);
/* nearest_neighbours(pts): each point's nearest other point and the distance */
Datum
vic_nearest_neighbours(PG_FUNCTION_ARGS)
{
	VicPoints  *pts = vic_points_getarg(fcinfo, 0);
	ReturnSetInfo *rsinfo = vic_srf_init(fcinfo);
	VicPtCoords pc;
	VicCellIndex ix;
	MemoryContext scratch,
				old;

	if (pts->npoints == 0)
		return (Datum) 0;
	scratch = vic_points_scratch("vic.nearest_neighbours");
	old = MemoryContextSwitchTo(scratch);
	vic_pt_coords(pts, &pc);
	vic_cell_index_build(&ix, &pc, nn_cell_side(&pc), NULL, 0);
	for (int32 i = 0; i < pc.n; i++)
	{
		NnResult	res;
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		nn_search(&ix, i, NULL, &res);
		values[0] = Int64GetDatum(pc.ids[i]);
		if (res.best < 0)
			nulls[1] = nulls[2] = true;
		else
		{
			values[1] = Int64GetDatum(pc.ids[res.best]);
			values[2] = Float8GetDatum(vic_pt_d2_to_dist(res.d2, pc.sphere));
		}
		MemoryContextSwitchTo(old);
		vic_srf_emit(rsinfo, values, nulls);
		MemoryContextSwitchTo(scratch);
	}
	MemoryContextSwitchTo(old);
	MemoryContextDelete(scratch);
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(vic_clark_evans);
/*
 * clark_evans(pts, area = NULL): R = mean nearest-neighbour distance over
 * 1 / (2 sqrt(lambda)), lambda = n / area, and Clark and Evans's z =
 * (mean - expected) / (0.26136 / sqrt(n lambda)) (Clark & Evans, "Distance
 * to nearest neighbor as a measure of spatial relationships in
 * populations", Ecology 35, 1954, eqs. 1-4; no edge correction, as
 * spatstat's clarkevans(correction = "none"))
 */
Datum
vic_clark_evans(PG_FUNCTION_ARGS)
{
	VicPoints  *pts;
	double		area;
	TupleDesc	tupdesc;
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};
	VicPtCoords pc;
	VicCellIndex ix;
	double		sum = 0,
				lambda,
				expected,
				mean;
	MemoryContext scratch,
				old;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	pts = vic_points_getarg(fcinfo, 0);
	vic_points_need(pts, 2, "the Clark-Evans index");
	area = PG_ARGISNULL(1) ? vic_points_default_area(pts) : PG_GETARG_FLOAT8(1);
	if (!(area > 0 && area <= DBL_MAX))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("area must be a finite number > 0")));
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "vic_clark_evans must return a row");
	scratch = vic_points_scratch("vic.clark_evans");
	old = MemoryContextSwitchTo(scratch);
	vic_pt_coords(pts, &pc);
	vic_cell_index_build(&ix, &pc, nn_cell_side(&pc), NULL, 0);
	for (int32 i = 0; i < pc.n; i++)
	{
		NnResult	res;

		nn_search(&ix, i, NULL, &res);
		sum += vic_pt_d2_to_dist(res.d2, pc.sphere);
	}
	MemoryContextSwitchTo(old);
	MemoryContextDelete(scratch);
	mean = sum / pts->npoints;
	lambda = pts->npoints / area;
	expected = 0.5 / sqrt(lambda);
	/* an area so small that the density or its z score leave double range */
	if (!isfinite(lambda) || !(expected > 0) || !isfinite(0.26136 / sqrt(pts->npoints * lambda)) ||
		!(0.26136 / sqrt(pts->npoints * lambda) > 0))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("Clark-Evans index is out of range for an area of %g", area),
				 errdetail("The density of %d points in that area exceeds double precision.",
						   (int) pts->npoints)));
	values[0] = Float8GetDatum(mean / expected);
	values[1] = Float8GetDatum(mean);
	values[2] = Float8GetDatum(expected);
	values[3] = Float8GetDatum((mean - expected) / (0.26136 / sqrt(pts->npoints * lambda)));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), values, nulls)));
}

PG_FUNCTION_INFO_V1(vic_colocation_quotient);
/*
 * colocation_quotient(a, b): CLQ_{A->B} = (C_{A->B} / N_A) / (N_B / (N - 1)),
 * C_{A->B} the number of A points whose nearest neighbour among all other
 * points of A and B is a B point, a tie of k nearest neighbours counting
 * 1/k each (Leslie & Kronenfeld, "The colocation quotient: a new measure of
 * spatial association between categorical subsets of points", Geogr.
 * Anal. 43, 2011, eqs. 3-4)
 */
Datum
vic_colocation_quotient(PG_FUNCTION_ARGS)
{
	VicPoints  *a = vic_points_getarg(fcinfo, 0);
	VicPoints  *b = vic_points_getarg(fcinfo, 1);
	VicPointBuf buf;
	VicPoints  *u;
	VicPtCoords pc;
	VicCellIndex ix;
	bool	   *isb;
	double		c = 0;
	double		na = a->npoints,
				nb = b->npoints;
	MemoryContext scratch,
				old;

	if (a->npoints < 1 || b->npoints < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the co-location quotient needs at least one point of each kind"),
				 errdetail("A has %d points, B %d.", a->npoints, b->npoints)));
	vic_points_check_kind(a->flags, a->srid, b->flags, b->srid);
	scratch = vic_points_scratch("vic.colocation_quotient");
	old = MemoryContextSwitchTo(scratch);
	/* the union, whose build rejects an id in both sets */
	vic_pointbuf_init(&buf, scratch);
	vic_pointbuf_add_points(&buf, a);
	vic_pointbuf_add_points(&buf, b);
	u = vic_pointbuf_build(&buf);
	vic_pt_coords(u, &pc);
	isb = palloc0(pc.n * sizeof(bool));
	{
		const int64 *bids = POINTS_IDS(b);
		int32		t = 0;

		for (int32 i = 0; i < pc.n && t < b->npoints; i++)
			if (pc.ids[i] == bids[t])
			{
				isb[i] = true;
				t++;
			}
	}
	vic_cell_index_build(&ix, &pc, nn_cell_side(&pc), NULL, 0);
	for (int32 i = 0; i < pc.n; i++)
	{
		NnResult	res;

		if (isb[i])
			continue;
		nn_search(&ix, i, isb, &res);
		if (res.best >= 0)
			c += (double) res.nties_marked / res.nties;
	}
	MemoryContextSwitchTo(old);
	MemoryContextDelete(scratch);
	PG_RETURN_FLOAT8((c / na) / (nb / (na + nb - 1)));
}

/* ---------------------------------------------------------------- DBSCAN */

typedef struct DbAcc
{
	int32	   *count;			/* neighbours within eps, itself included */
	int32	   *parent;			/* union-find over core points */
	int32		minpts;
	int32	   *border;			/* nearest core point of a non-core point */
	double	   *border_d;
} DbAcc;

/* count a pair for both ends */
static inline void
db_count_pair(void *arg, int32 i, int32 j, double d)
{
	DbAcc	   *a = arg;

	a->count[i]++;
	a->count[j]++;
}

/* root of i, halving the path */
static inline int32
uf_find(int32 *parent, int32 i)
{
	while (parent[i] != i)
	{
		parent[i] = parent[parent[i]];
		i = parent[i];
	}
	return i;
}

/* border candidate core for non-core point p at distance d */
static inline void
db_border(DbAcc *a, int32 p, int32 core, double d)
{
	if (a->border[p] < 0 || d < a->border_d[p] ||
		(d == a->border_d[p] && core < a->border[p]))
	{
		a->border[p] = core;
		a->border_d[p] = d;
	}
}

/* union two core points; attach a non-core point to its nearest core */
static inline void
db_link_pair(void *arg, int32 i, int32 j, double d)
{
	DbAcc	   *a = arg;
	bool		ci = a->count[i] >= a->minpts;
	bool		cj = a->count[j] >= a->minpts;

	if (ci && cj)
	{
		int32		ri = uf_find(a->parent, i);
		int32		rj = uf_find(a->parent, j);

		/* the smaller root wins, so roots are the smallest point of a cluster */
		if (ri < rj)
			a->parent[rj] = ri;
		else if (rj < ri)
			a->parent[ri] = rj;
	}
	else if (ci)
		db_border(a, j, i, d);
	else if (cj)
		db_border(a, i, j, d);
}

PG_FUNCTION_INFO_V1(vic_dbscan);
/*
 * dbscan(pts, eps, min_points): DBSCAN (Ester, Kriegel, Sander & Xu, "A
 * density-based algorithm for discovering clusters in large spatial
 * databases with noise", KDD 1996, definitions 1-5) with PostGIS's rules
 * (ST_ClusterDBSCAN): a core point has at least min_points points within
 * eps, itself included; a border point joins the cluster of its nearest
 * core point (the smaller id on a tie); clusters are numbered from 0 in the
 * order of their smallest id; noise is NULL
 */
Datum
vic_dbscan(PG_FUNCTION_ARGS)
{
	VicPoints  *pts = vic_points_getarg(fcinfo, 0);
	double		eps = PG_GETARG_FLOAT8(1);
	int32		minpts = PG_GETARG_INT32(2);
	ReturnSetInfo *rsinfo;
	VicPtCoords pc;
	VicCellIndex ix;
	DbAcc		acc;
	int32	   *label;
	int32		nclusters = 0;
	MemoryContext scratch,
				old;

	if (!(eps >= 0 && eps <= DBL_MAX))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("eps must be a finite number >= 0")));
	if (minpts < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("min_points must be at least 1")));
	rsinfo = vic_srf_init(fcinfo);
	if (pts->npoints == 0)
		return (Datum) 0;
	scratch = vic_points_scratch("vic.dbscan");
	old = MemoryContextSwitchTo(scratch);
	vic_pt_coords(pts, &pc);
	vic_cell_index_build(&ix, &pc, vic_pt_reach(eps, pc.sphere), NULL, 0);
	acc.minpts = minpts;
	acc.count = vic_alloc_array(pc.n, sizeof(int32));
	acc.parent = vic_alloc_array(pc.n, sizeof(int32));
	acc.border = vic_alloc_array(pc.n, sizeof(int32));
	acc.border_d = vic_alloc_array(pc.n, sizeof(double));
	for (int32 i = 0; i < pc.n; i++)
	{
		acc.count[i] = 1;
		acc.parent[i] = i;
		acc.border[i] = -1;
	}
	vic_pairs_within(&ix, eps, db_count_pair, &acc);
	vic_pairs_within(&ix, eps, db_link_pair, &acc);
	label = vic_alloc_array(pc.n, sizeof(int32));
	for (int32 i = 0; i < pc.n; i++)
	{
		label[i] = -1;
		if (acc.count[i] >= minpts)
		{
			int32		r = uf_find(acc.parent, i);

			/* the root is the cluster's smallest point, labelled first */
			label[i] = r == i ? nclusters++ : label[r];
		}
	}
	for (int32 i = 0; i < pc.n; i++)
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};
		int32		l = label[i];

		if (l < 0 && acc.border[i] >= 0)
			l = label[acc.border[i]];
		values[0] = Int64GetDatum(pc.ids[i]);
		values[1] = Int32GetDatum(l);
		nulls[1] = l < 0;
		MemoryContextSwitchTo(old);
		vic_srf_emit(rsinfo, values, nulls);
		MemoryContextSwitchTo(scratch);
	}
	MemoryContextSwitchTo(old);
	MemoryContextDelete(scratch);
	return (Datum) 0;
}
