/*
 * points_kd.c
 *		Duranton and Overman's Kd, its random-location envelopes, and
 *		Marcon and Puech's M with envelopes.
 *
 * Kd (Duranton & Overman, "Testing for localization using
 * micro-geographic data", Rev. Econ. Stud. 72, 2005, eq. 2 and the
 * reflection of their footnote 12; Silverman 1986, "Density estimation",
 * 2.10 and 3.4.2 eq. 3.31):
 *	 Kd(r) = 1 / (h P) sum_{i<j} w_ij [phi((r - d_ij) / h) + phi((r + d_ij) / h)]
 * with phi the standard normal density, w_ij = 1 (or w_i w_j when weighted),
 * P = sum_{i<j} w_ij, and, unless given, Silverman's bandwidth of the pair
 * distances as R's bw.nrd0: h = 0.9 min(sd, IQR / 1.34) N^(-1/5), N the
 * number of pairs, quantiles of R's type 7 (Hyndman & Fan 1996).  The
 * reflected term makes the density integrate to 1 over r >= 0.  Pairs
 * farther than r + 8h from every radius r are skipped: their kernel is
 * below 1e-14 of its peak.
 *
 * Envelopes (Duranton & Overman 2005, sec. 3.3): each simulation draws as
 * many sites as the cluster has firms, without replacement, from all sites
 * (random location), with the bandwidth of the observed cluster; the global
 * band is the narrowest pair of pointwise order statistics (the k-th
 * smallest and k-th largest simulated value at every radius) that contains
 * a share level of the simulations at all radii at once.
 *
 * M (Marcon & Puech, "Measures of the geographic concentration of
 * industries: improving distance-based methods", J. Econ. Geogr. 10, 2010,
 * eq. 6):
 *	 M(r) = sum_{i in S} [ sum_{j in S, j != i} w_j 1[d_ij <= r]
 *							/ sum_{j != i} w_j 1[d_ij <= r] ]
 *			/ sum_{i in S} (W_S - w_i) / (W - w_i)
 * A firm without any neighbour within r adds 0 to the numerator.  Its
 * envelope permutes the (membership, weight) marks of all firms over their
 * locations (random labelling, as dbmss's rRandomLocation).
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "fmgr.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "common/prng.h"
#include "points_internal.h"

/* kernel cut-off, in bandwidths */
#define KD_CUT	8.0

/* most pair distances the automatic bandwidth keeps in memory */
#define KD_BW_MAX_PAIRS		((int64) 1 << 26)

/* ---------------------------------------------------------------- Kd */

typedef struct KdAcc
{
	const double *r;
	int			nr;
	double		h;
	double		cut;			/* KD_CUT * h */
	double	   *sum;			/* per radius */
	const double *w;			/* weights, or NULL for 1 */
	bool		even;			/* radii r[k] = r[0] + k step */
	double		delta;			/* step / h */
	double		rho;			/* exp(-delta^2) */
} KdAcc;

/* add the kernel of one pair at every radius it reaches */
static inline void
kd_pair(void *arg, int32 i, int32 j, double d)
{
	KdAcc	   *a = arg;
	double		wt = a->w ? a->w[i] * a->w[j] : 1.0;
	int			k = vic_radius_bin(a->r, a->nr, d - a->cut);

	if (a->even && k < a->nr)
	{
		/*
		 * Evenly spaced radii: with u(k+1) = u(k) + delta, phi(u(k+1)) =
		 * phi(u(k)) q(k), q(k) = exp(-u(k) delta - delta^2 / 2) and q(k+1) =
		 * q(k) exp(-delta^2): two products per radius instead of an exp (a
		 * relative error of a few ulps per step, over at most 2 KD_CUT / delta
		 * steps)
		 */
		double		u = (a->r[k] - d) / a->h;
		double		g = exp(-0.5 * u * u);
		double		q = exp(-u * a->delta - 0.5 * a->delta * a->delta);

		for (; k < a->nr && a->r[k] <= d + a->cut; k++)
		{
			a->sum[k] += wt * g;
			g *= q;
			q *= a->rho;
		}
	}
	else
	{
		for (; k < a->nr && a->r[k] <= d + a->cut; k++)
		{
			double		u = (a->r[k] - d) / a->h;

			a->sum[k] += wt * exp(-0.5 * u * u);
		}
	}
	if (d < a->cut)
	{
		for (k = 0; k < a->nr && a->r[k] <= a->cut - d; k++)
		{
			double		u = (a->r[k] + d) / a->h;

			a->sum[k] += wt * exp(-0.5 * u * u);
		}
	}
}

/* k-th smallest of v[0..n-1] (reorders v): Hoare's FIND (CACM 4, 1961) */
static double
select_kth(double *v, int64 n, int64 k)
{
	int64		lo = 0,
				hi = n - 1;

	while (lo < hi)
	{
		double		a = v[lo],
					b = v[(lo + hi) / 2],
					c = v[hi];
		double		pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
		int64		i = lo,
					j = hi;

		while (i <= j)
		{
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j)
			{
				double		t = v[i];

				v[i] = v[j];
				v[j] = t;
				i++;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			break;
		CHECK_FOR_INTERRUPTS();
	}
	return v[k];
}

/* R's quantile(x, p, type = 7) of v[0..n-1] (reorders v) */
static double
quantile7(double *v, int64 n, double p)
{
	double		h = (n - 1) * p;
	int64		j = (int64) floor(h);
	double		g = h - j;
	double		lo = select_kth(v, n, j);
	double		hi = lo;

	if (j + 1 < n && g > 0)
	{
		hi = v[j + 1];
		for (int64 t = j + 2; t < n; t++)
			hi = Min(hi, v[t]);
	}
	return lo + g * (hi - lo);
}

/*
 * Silverman's rule of thumb on all pair distances of pc, as R's bw.nrd0:
 * 0.9 min(sd, IQR / 1.34) N^(-1/5), falling back to sd, |x_1| and 1
 */
static double
silverman_bandwidth(const VicPtCoords *pc)
{
	int64		npairs = (int64) pc->n * (pc->n - 1) / 2;
	double	   *d;
	int64		m = 0;
	double		mean = 0,
				ss = 0,
				sd,
				iqr,
				lo;

	if (npairs > KD_BW_MAX_PAIRS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many pairs for the automatic bandwidth"),
				 errdetail("The set has %d points, " INT64_FORMAT " pairs; the rule of thumb keeps at most " INT64_FORMAT " distances.",
						   pc->n, npairs, KD_BW_MAX_PAIRS),
				 errhint("Give a bandwidth.")));
	d = vic_alloc_array(npairs, sizeof(double));
	for (int32 i = 0; i < pc->n; i++)
	{
		for (int32 j = i + 1; j < pc->n; j++)
			d[m++] = vic_pt_dist(pc, i, j);
		CHECK_FOR_INTERRUPTS();
	}
	for (int64 k = 0; k < m; k++)
		mean += d[k];
	mean /= m;
	for (int64 k = 0; k < m; k++)
		ss += (d[k] - mean) * (d[k] - mean);
	sd = m > 1 ? sqrt(ss / (m - 1)) : 0;
	{
		double		first = d[0];
		double		q1 = quantile7(d, m, 0.25);
		double		q3 = quantile7(d, m, 0.75);

		iqr = q3 - q1;
		lo = Min(sd, iqr / 1.34);
		if (!(lo > 0))
			lo = sd > 0 ? sd : (fabs(first) > 0 ? fabs(first) : 1.0);
	}
	pfree(d);
	return 0.9 * lo * pow((double) m, -0.2);
}

/* Kd at the sorted radii sr of the indexed subset into out; ptotal = P */
static void
kd_compute(const VicCellIndex *ix, const double *sr, int nr, double h,
		   const double *w, double ptotal, double *out)
{
	KdAcc		acc;

	acc.r = sr;
	acc.nr = nr;
	acc.h = h;
	acc.cut = KD_CUT * h;
	acc.sum = out;
	acc.w = w;
	acc.even = nr >= 3;
	acc.delta = nr >= 2 ? (sr[nr - 1] - sr[0]) / (nr - 1) / h : 0;
	for (int k = 0; k < nr && acc.even; k++)
		acc.even = fabs(sr[k] - (sr[0] + k * (acc.delta * h))) <= 1e-12 * (acc.delta * h);
	acc.even = acc.even && acc.delta > 0;
	acc.rho = exp(-acc.delta * acc.delta);
	memset(out, 0, nr * sizeof(double));
	vic_pairs_within(ix, sr[nr - 1] + acc.cut, kd_pair, &acc);
	for (int k = 0; k < nr; k++)
		out[k] = ptotal > 0 ? out[k] / (h * sqrt(2.0 * M_PI) * ptotal) : 0;
}

/* 22023 unless h is a finite bandwidth > 0 */
static void
check_bandwidth(double h)
{
	if (!(h > 0 && h <= DBL_MAX))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bandwidth must be a finite number > 0")));
}

PG_FUNCTION_INFO_V1(vic_kd);
/* kd(pts, radii, bandwidth = NULL, weighted = false): Duranton-Overman density */
Datum
vic_kd(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo;
	VicPoints  *pts;
	double	   *radii,
			   *sr,
			   *kd;
	int			nr;
	bool		weighted;
	double		h,
				ptotal;
	VicPtCoords pc;
	VicCellIndex ix;
	MemoryContext scratch,
				old;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(3))
	{
		vic_srf_init(fcinfo);
		return (Datum) 0;
	}
	pts = vic_points_getarg(fcinfo, 0);
	nr = vic_radii_arg(PG_GETARG_ARRAYTYPE_P(1), &radii);
	weighted = PG_GETARG_BOOL(3);
	vic_points_need(pts, 2, "Kd");
	if (!PG_ARGISNULL(2))
		check_bandwidth(PG_GETARG_FLOAT8(2));
	sr = vic_radii_sorted(radii, nr);
	kd = palloc(nr * sizeof(double));
	scratch = vic_points_scratch("vic.kd");
	old = MemoryContextSwitchTo(scratch);
	vic_pt_coords(pts, &pc);
	h = PG_ARGISNULL(2) ? silverman_bandwidth(&pc) : PG_GETARG_FLOAT8(2);
	if (weighted)
	{
		double		s = 0,
					s2 = 0;

		for (int32 i = 0; i < pc.n; i++)
		{
			s += pc.w[i];
			s2 += pc.w[i] * pc.w[i];
		}
		ptotal = (s * s - s2) / 2;
	}
	else
		ptotal = (double) pc.n * (pc.n - 1) / 2;
	vic_cell_index_build(&ix, &pc, vic_pt_reach(sr[nr - 1] + KD_CUT * h, pc.sphere), NULL, 0);
	kd_compute(&ix, sr, nr, h, weighted ? pc.w : NULL, ptotal, kd);
	MemoryContextSwitchTo(old);
	MemoryContextDelete(scratch);

	rsinfo = vic_srf_init(fcinfo);
	for (int i = 0; i < nr; i++)
		vic_srf_emit2(rsinfo, Float8GetDatum(radii[i]),
					  Float8GetDatum(kd[vic_radius_bin(sr, nr, radii[i])]));
	return (Datum) 0;
}

/* ---------------------------------------------------------------- envelopes */

/* order of doubles */
static int
dbl_cmp(const void *a, const void *b)
{
	double		x = *(const double *) a;
	double		y = *(const double *) b;

	return (x > y) - (x < y);
}

/*
 * The global band of nsim simulations sim[s * nr + k]: lower[k], upper[k]
 * the t-th smallest and t-th largest value at radius k, t the largest for
 * which at least level * nsim simulations lie inside at every radius
 */
static void
global_band(const double *sim, int nsim, int nr, double level, double *lower, double *upper)
{
	double	   *col = palloc(nsim * sizeof(double));
	double	   *sorted = palloc((Size) nsim * nr * sizeof(double));
	int			best = 1;

	for (int k = 0; k < nr; k++)
	{
		for (int s = 0; s < nsim; s++)
			col[s] = sim[(Size) s * nr + k];
		qsort(col, nsim, sizeof(double), dbl_cmp);
		memcpy(sorted + (Size) k * nsim, col, nsim * sizeof(double));
	}
	for (int t = 1; 2 * t <= nsim + 1; t++)
	{
		int			inside = 0;

		for (int s = 0; s < nsim; s++)
		{
			bool		in = true;

			for (int k = 0; k < nr && in; k++)
			{
				double		v = sim[(Size) s * nr + k];

				in = v >= sorted[(Size) k * nsim + t - 1] &&
					v <= sorted[(Size) k * nsim + nsim - t];
			}
			inside += in;
		}
		if (inside < level * nsim)
			break;
		best = t;
	}
	for (int k = 0; k < nr; k++)
	{
		lower[k] = sorted[(Size) k * nsim + best - 1];
		upper[k] = sorted[(Size) k * nsim + nsim - best];
	}
	pfree(col);
	pfree(sorted);
}

/* 54000 when the simulated curves (nsim x nr doubles) would not fit in memory */
static void
check_simulation_size(int32 nsim, int nr)
{
	if ((uint64) nsim * nr > MaxAllocHugeSize / sizeof(double) / 4)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many simulations and radii"),
				 errdetail("%d simulations at %d radii would keep %llu values.",
						   nsim, nr, (unsigned long long) nsim * nr)));
}

/* 22023 unless the simulation count and level are usable */
static void
check_simulations(int32 nsim, double level)
{
	if (nsim < 1 || nsim > 100000)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("simulations must be between 1 and 100000")));
	if (!(level > 0 && level < 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("level must be between 0 and 1 (exclusive)")));
}

PG_FUNCTION_INFO_V1(vic_kd_envelope);
/* kd_envelope(cluster, all, radii, simulations, seed, level): Kd and its global band */
Datum
vic_kd_envelope(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo;
	VicPoints  *cl = vic_points_getarg(fcinfo, 0);
	VicPoints  *all = vic_points_getarg(fcinfo, 1);
	double	   *radii,
			   *sr;
	int			nr = vic_radii_arg(PG_GETARG_ARRAYTYPE_P(2), &radii);
	int32		nsim = PG_GETARG_INT32(3);
	int64		seed = PG_GETARG_INT64(4);
	double		level = PG_GETARG_FLOAT8(5);
	double	   *obs,
			   *lower,
			   *upper,
			   *sim;
	double		h,
				ptotal;
	VicPtCoords pcc,
				pca;
	VicCellIndex ix;
	int32	   *perm;
	pg_prng_state prng;
	MemoryContext scratch,
				old;

	check_simulations(nsim, level);
	vic_points_need(cl, 2, "Kd");
	vic_points_check_kind(cl->flags, cl->srid, all->flags, all->srid);
	if (all->npoints < cl->npoints)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the cluster has more points than all sites"),
				 errdetail("The cluster has %d points, all sites %d.", cl->npoints, all->npoints)));
	check_simulation_size(nsim, nr);
	sr = vic_radii_sorted(radii, nr);
	obs = palloc(nr * sizeof(double));
	lower = palloc(nr * sizeof(double));
	upper = palloc(nr * sizeof(double));
	scratch = vic_points_scratch("vic.kd_envelope");
	old = MemoryContextSwitchTo(scratch);
	sim = vic_alloc_array((int64) nsim * nr, sizeof(double));
	vic_pt_coords(cl, &pcc);
	h = silverman_bandwidth(&pcc);
	ptotal = (double) pcc.n * (pcc.n - 1) / 2;
	vic_cell_index_build(&ix, &pcc, vic_pt_reach(sr[nr - 1] + KD_CUT * h, pcc.sphere), NULL, 0);
	kd_compute(&ix, sr, nr, h, NULL, ptotal, obs);
	vic_cell_index_free(&ix);

	/* one index of all sites; each simulation re-indexes its draw */
	vic_pt_coords(all, &pca);
	perm = vic_alloc_array(pca.n, sizeof(int32));
	for (int32 i = 0; i < pca.n; i++)
		perm[i] = i;
	vic_prng_seed(&prng, seed);
	vic_cell_index_build(&ix, &pca, vic_pt_reach(sr[nr - 1] + KD_CUT * h, pca.sphere),
						 perm, 0);
	for (int32 s = 0; s < nsim; s++)
	{
		/* a fresh uniform draw from the identity, so draws do not depend on each other's order */
		for (int32 i = 0; i < pca.n; i++)
			perm[i] = i;
		vic_sample_int32(perm, pca.n, pcc.n, &prng);
		vic_cell_index_subset(&ix, perm, pcc.n);
		kd_compute(&ix, sr, nr, h, NULL, ptotal, sim + (Size) s * nr);
	}
	global_band(sim, nsim, nr, level, lower, upper);
	MemoryContextSwitchTo(old);
	MemoryContextDelete(scratch);

	rsinfo = vic_srf_init(fcinfo);
	for (int i = 0; i < nr; i++)
	{
		int			k = vic_radius_bin(sr, nr, radii[i]);
		Datum		values[6];
		bool		nulls[6] = {false, false, false, false, false, false};

		values[0] = Float8GetDatum(radii[i]);
		values[1] = Float8GetDatum(obs[k]);
		values[2] = Float8GetDatum(lower[k]);
		values[3] = Float8GetDatum(upper[k]);
		values[4] = BoolGetDatum(obs[k] > upper[k]);
		values[5] = BoolGetDatum(obs[k] < lower[k]);
		vic_srf_emit(rsinfo, values, nulls);
	}
	return (Datum) 0;
}

/* ---------------------------------------------------------------- M */

/*
 * M at the sorted radii sr, for the locations loc[0..ns-1] of the cluster
 * among all indexed points, with per-location weights w and membership
 * in_s; out[k] is NaN when the denominator is 0
 */
static void
m_compute(const VicCellIndex *ix, const double *sr, int nr, const int32 *loc, int32 ns,
		  const double *w, const bool *in_s, double *out)
{
	const VicPtCoords *pc = ix->pc;
	int			dim = pc->dim;
	double		bound = vic_pt_d2_bound(sr[nr - 1], pc->sphere);
	double	   *tot = palloc((nr + 1) * sizeof(double));
	double	   *clu = palloc((nr + 1) * sizeof(double));
	double		wall = 0,
				ws = 0,
				den = 0;
	int32		nb[VIC_CELL_MAX_NEIGHBOURS];

	for (int32 i = 0; i < pc->n; i++)
		wall += w[i];
	for (int32 t = 0; t < ns; t++)
		ws += w[loc[t]];
	memset(out, 0, nr * sizeof(double));
	for (int32 t = 0; t < ns; t++)
	{
		int32		i = loc[t];
		const double *ci = pc->c + (Size) i * dim;
		int32		cell = vic_cell_lookup(ix, ix->cellkey[i]);
		int			nnb = vic_cell_neighbours(ix, cell, false, nb);
		double		ct = 0,
					cc = 0;

		if (wall - w[i] > 0)
			den += (ws - w[i]) / (wall - w[i]);
		memset(tot, 0, (nr + 1) * sizeof(double));
		memset(clu, 0, (nr + 1) * sizeof(double));
		for (int q = 0; q < nnb; q++)
		{
			for (int32 b = ix->start[nb[q]]; b < ix->start[nb[q] + 1]; b++)
			{
				int32		j = ix->order[b];
				double		d2,
							d;
				int			k;

				if (j == i)
					continue;
				d2 = vic_pt_d2(ci, ix->sc + (Size) b * dim, dim);
				if (d2 > bound)
					continue;
				d = vic_pt_d2_to_dist(d2, pc->sphere);
				if (d > sr[nr - 1])
					continue;
				k = vic_radius_bin(sr, nr, d);
				tot[k] += w[j];
				if (in_s[j])
					clu[k] += w[j];
			}
		}
		for (int k = 0; k < nr; k++)
		{
			ct += tot[k];
			cc += clu[k];
			if (ct > 0)
				out[k] += cc / ct;
		}
		VIC_POLL_INTERRUPTS(t);
	}
	for (int k = 0; k < nr; k++)
		out[k] = den > 0 ? out[k] / den : NAN;
	pfree(tot);
	pfree(clu);
}

PG_FUNCTION_INFO_V1(vic_m_function);
/* m_function(cluster, all, radii, simulations, seed, level): M and its global band */
Datum
vic_m_function(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo;
	VicPoints  *cl = vic_points_getarg(fcinfo, 0);
	VicPoints  *all = vic_points_getarg(fcinfo, 1);
	double	   *radii,
			   *sr;
	int			nr = vic_radii_arg(PG_GETARG_ARRAYTYPE_P(2), &radii);
	int32		nsim = PG_GETARG_INT32(3);
	int64		seed = PG_GETARG_INT64(4);
	double		level = PG_GETARG_FLOAT8(5);
	double	   *obs,
			   *lower,
			   *upper,
			   *sim;
	VicPtCoords pc;
	VicCellIndex ix;
	const int64 *aids = POINTS_IDS(all);
	const int64 *cids = POINTS_IDS(cl);
	int32	   *loc,
			   *perm;
	bool	   *in_s,
			   *in_p;
	double	   *wp;
	pg_prng_state prng;
	MemoryContext scratch,
				old;

	check_simulations(nsim, level);
	vic_points_need(cl, 1, "M");
	vic_points_check_kind(cl->flags, cl->srid, all->flags, all->srid);
	check_simulation_size(nsim, nr);
	sr = vic_radii_sorted(radii, nr);
	obs = palloc(nr * sizeof(double));
	lower = palloc(nr * sizeof(double));
	upper = palloc(nr * sizeof(double));
	scratch = vic_points_scratch("vic.m_function");
	old = MemoryContextSwitchTo(scratch);
	sim = vic_alloc_array((int64) nsim * nr, sizeof(double));
	vic_pt_coords(all, &pc);
	in_s = vic_alloc_array0(Max(pc.n, 1), sizeof(bool));
	loc = vic_alloc_array(cl->npoints, sizeof(int32));
	/* the cluster's firms among all firms, by id (both sorted) */
	for (int32 t = 0, a = 0; t < cl->npoints; t++)
	{
		while (a < all->npoints && aids[a] < cids[t])
			a++;
		if (a == all->npoints || aids[a] != cids[t])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("point " INT64_FORMAT " of the cluster is not among all points", cids[t]),
					 errdetail("M compares a cluster with all firms, the cluster's included.")));
		loc[t] = a;
		in_s[a] = true;
	}
	vic_cell_index_build(&ix, &pc, vic_pt_reach(sr[nr - 1], pc.sphere), NULL, 0);
	m_compute(&ix, sr, nr, loc, cl->npoints, pc.w, in_s, obs);

	/* random labelling: permute the (membership, weight) marks over the locations */
	perm = vic_alloc_array(pc.n, sizeof(int32));
	in_p = vic_alloc_array0(Max(pc.n, 1), sizeof(bool));
	wp = vic_alloc_array(Max(pc.n, 1), sizeof(double));
	vic_prng_seed(&prng, seed);
	for (int32 s = 0; s < nsim; s++)
	{
		int32		ns = 0;

		for (int32 i = 0; i < pc.n; i++)
			perm[i] = i;
		vic_shuffle_int32(perm, pc.n, &prng);
		for (int32 i = 0; i < pc.n; i++)
		{
			in_p[i] = in_s[perm[i]];
			wp[i] = pc.w[perm[i]];
			if (in_p[i])
				loc[ns++] = i;
		}
		m_compute(&ix, sr, nr, loc, ns, wp, in_p, sim + (Size) s * nr);
	}
	global_band(sim, nsim, nr, level, lower, upper);
	MemoryContextSwitchTo(old);
	MemoryContextDelete(scratch);

	rsinfo = vic_srf_init(fcinfo);
	for (int i = 0; i < nr; i++)
	{
		int			k = vic_radius_bin(sr, nr, radii[i]);
		Datum		values[4];
		bool		nulls[4] = {false, isnan(obs[k]), isnan(lower[k]), isnan(upper[k])};

		values[0] = Float8GetDatum(radii[i]);
		values[1] = Float8GetDatum(obs[k]);
		values[2] = Float8GetDatum(lower[k]);
		values[3] = Float8GetDatum(upper[k]);
		vic_srf_emit(rsinfo, values, nulls);
	}
	return (Datum) 0;
}
