/*
 * points_ripley.c
 *		Ripley's K and Besag's L, without correction or with the border
 *		(reduced-sample) correction, counted over the cell index.
 *
 *	 K(r) = A / (n (n - 1)) sum_i sum_{j != i} 1[d_ij <= r]
 *			(Ripley, "The second-order analysis of stationary point
 *			processes", J. Appl. Prob. 13, 1976, eq. 6 without edge weights)
 *	 K_border(r) = A sum_i 1[b_i >= r] sum_{j != i} 1[d_ij <= r]
 *				   / (n sum_i 1[b_i >= r])
 *			(the reduced-sample estimator, Ripley 1988, "Statistical
 *			inference for spatial processes", sec. 3.3; as spatstat's Kest,
 *			Baddeley, Rubak & Turner 2015, "Spatial Point Patterns", 7.4.4),
 *			b_i the distance from point i to the boundary of the window
 *	 L(r) = sqrt(K(r) / pi)	(Besag, discussion of Ripley 1977, JRSS B 39)
 *	 K_csr(r) = pi r^2		(K of complete spatial randomness)
 *
 * On geography, distances are great-circle metres on PostGIS's sphere and
 * A is in square metres; pi r^2 is then the planar CSR value, which the
 * sphere's 2 pi R^2 (1 - cos(r / R)) approaches for r much smaller than R.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "fmgr.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "common/args.h"
#include "points_internal.h"
#include "points_window.h"

/* the number of sorted radii <= b */
static inline int
radius_count_le(const double *r, int n, double b)
{
	int			lo = 0,
				hi = n;

	while (lo < hi)
	{
		int			mid = (lo + hi) >> 1;

		if (r[mid] <= b)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* accumulator of the border correction: numerator by radius as a difference array */
typedef struct KBorder
{
	const double *r;
	int			nr;
	const double *b;			/* per point: distance to the boundary */
	int64	   *diff;			/* nr + 1 */
} KBorder;

/* count the ordered pairs (i, j) and (j, i) for the radii r with d <= r <= b_centre */
static inline void
k_border_pair(void *arg, int32 i, int32 j, double d)
{
	KBorder    *a = arg;
	int			lo = vic_radius_bin(a->r, a->nr, d);
	int			hi;

	hi = radius_count_le(a->r, a->nr, a->b[i]);
	if (lo < hi)
	{
		a->diff[lo]++;
		a->diff[hi]--;
	}
	hi = radius_count_le(a->r, a->nr, a->b[j]);
	if (lo < hi)
	{
		a->diff[lo]++;
		a->diff[hi]--;
	}
}

/*
 * The body of both SQL functions: K at the radii (any order) of pts, with
 * area (> 0) and, when bdist is given, the border correction.
 */
static Datum
ripley_emit(FunctionCallInfo fcinfo, VicPoints *pts, ArrayType *radii_arr,
			double area, const double *bdist)
{
	ReturnSetInfo *rsinfo;
	double	   *radii;
	double	   *sr;
	int			nr = vic_radii_arg(radii_arr, &radii);
	VicPtCoords pc;
	VicCellIndex ix;
	double	   *kval;
	bool	   *knull;
	double		n = pts->npoints;
	MemoryContext scratch,
				old;

	vic_points_need(pts, 2, "Ripley's K");
	if (!(area > 0 && area <= DBL_MAX))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("area must be a finite number > 0")));
	sr = vic_radii_sorted(radii, nr);
	kval = palloc(nr * sizeof(double));
	knull = palloc0(nr * sizeof(bool));
	scratch = vic_points_scratch("vic.ripley");
	old = MemoryContextSwitchTo(scratch);
	vic_pt_coords(pts, &pc);
	if (bdist == NULL)
	{
		int64	   *hist = palloc0((nr + 1) * sizeof(int64));
		double	   *t = palloc(nr * sizeof(double));
		int64		cum = 0;

		/* exact thresholds on squared distances, cells of half the largest radius */
		for (int k = 0; k < nr; k++)
			t[k] = vic_pt_d2_threshold(sr[k], pc.sphere);
		vic_cell_index_build_reach(&ix, &pc, vic_pt_reach(sr[nr - 1], pc.sphere), 2, NULL, 0);
		vic_pairs_histogram(&ix, t, nr, hist);
		for (int k = 0; k < nr; k++)
		{
			cum += hist[k];
			/* ordered pairs are twice the unordered ones */
			kval[k] = area * (2.0 * (double) cum) / (n * (n - 1));
		}
	}
	else
	{
		KBorder		acc = {sr, nr, bdist, palloc0((nr + 1) * sizeof(int64))};
		int64	   *den = palloc0((nr + 1) * sizeof(int64));
		int64		num = 0,
					cnt = 0;

		vic_cell_index_build(&ix, &pc, vic_pt_reach(sr[nr - 1], pc.sphere), NULL, 0);
		vic_pairs_within(&ix, sr[nr - 1], k_border_pair, &acc);
		for (int32 i = 0; i < pts->npoints; i++)
			den[radius_count_le(sr, nr, bdist[i])]++;
		/* den[c]: points whose b reaches exactly the first c radii */
		for (int k = nr; k >= 0; k--)
		{
			cnt += den[k];
			den[k] = cnt;		/* points with b >= r[k] (k < nr) */
		}
		for (int k = 0; k < nr; k++)
		{
			num += acc.diff[k];
			if (den[k + 1] == 0)
				knull[k] = true;
			else
				kval[k] = area * (double) num / (n * (double) den[k + 1]);
		}
	}
	vic_cell_index_free(&ix);
	MemoryContextSwitchTo(old);
	MemoryContextDelete(scratch);

	rsinfo = vic_srf_init(fcinfo);
	for (int i = 0; i < nr; i++)
	{
		int			k = vic_radius_bin(sr, nr, radii[i]);
		Datum		values[4];
		bool		nulls[4] = {false, knull[k], knull[k], false};

		values[0] = Float8GetDatum(radii[i]);
		values[1] = Float8GetDatum(kval[k]);
		values[2] = Float8GetDatum(knull[k] ? 0 : sqrt(kval[k] / M_PI));
		values[3] = Float8GetDatum(M_PI * radii[i] * radii[i]);
		vic_srf_emit(rsinfo, values, nulls);
	}
	return (Datum) 0;
}

static const VicKeyword correction_words[] = {
	{"none", 0},
	{"border", 1},
};

PG_FUNCTION_INFO_V1(vic_ripley);
/* ripley(pts, radii, correction = 'none', area = NULL): K and L without a window */
Datum
vic_ripley(PG_FUNCTION_ARGS)
{
	VicPoints  *pts;
	double		area;
	int			correction;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		vic_srf_init(fcinfo);
		return (Datum) 0;
	}
	correction = vic_keyword_arg(PG_GETARG_TEXT_PP(2), correction_words, 2, "correction");
	if (correction == 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the border correction needs a window"),
				 errhint("Call vic.ripley(points, radii, window geometry).")));
	pts = vic_points_getarg(fcinfo, 0);
	vic_points_need(pts, 2, "Ripley's K");
	area = PG_ARGISNULL(3) ? vic_points_default_area(pts) : PG_GETARG_FLOAT8(3);
	return ripley_emit(fcinfo, pts, PG_GETARG_ARRAYTYPE_P(1), area, NULL);
}

PG_FUNCTION_INFO_V1(vic_ripley_window);
/* ripley(pts, radii, window, correction = 'border'): K and L in a planar window */
Datum
vic_ripley_window(PG_FUNCTION_ARGS)
{
	VicPoints  *pts = vic_points_getarg(fcinfo, 0);
	VicWindow	w;
	int			correction = vic_keyword_arg(PG_GETARG_TEXT_PP(3), correction_words, 2,
											 "correction");
	double	   *bdist = NULL;

	vic_window_read(PG_GETARG_DATUM(2), &w);
	if (pts->flags == POINTS_GEOGRAPHY)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("a window for geography points is not supported"),
				 errdetail("Give the area in square metres instead: vic.ripley(points, radii, 'none', area).")));
	if (pts->npoints > 0 && w.srid != pts->srid)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("window is in SRID %d, the points in SRID %d", w.srid, pts->srid)));
	vic_points_need(pts, 2, "Ripley's K");
	bdist = palloc(pts->npoints * sizeof(double));
	for (int32 i = 0; i < pts->npoints; i++)
	{
		if (!vic_window_locate(&w, POINTS_X(pts)[i], POINTS_Y(pts)[i], &bdist[i]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("point " INT64_FORMAT " lies outside the window", POINTS_IDS(pts)[i])));
		VIC_POLL_INTERRUPTS(i);
	}
	return ripley_emit(fcinfo, pts, PG_GETARG_ARRAYTYPE_P(1), w.area,
					   correction == 1 ? bdist : NULL);
}
