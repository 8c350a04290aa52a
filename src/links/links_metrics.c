/*
 * links_metrics.c
 *		What vic.links tells about cooperation across regions: the cross-region
 *		share, the E-I index (overall and by region), categorical
 *		assortativity, region flows, and link lengths (mean, quantiles,
 *		distance decay).  Every function reads the flat form.
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"

#include "links_internal.h"

/* sum of a float column of the pairs, rounded once; only pairs passing keep */
static double
pair_sum(const VicLinks *l, int field, int which)
{
	const VicLinksPair *pr = LINKS_PAIRS(l);
	VicXsumRound t = VIC_XSUM_ROUND_INIT;

	for (int32 p = 0; p < l->npairs; p++)
	{
		bool		intra = pr[p].src == pr[p].dst;

		if (which == 0 || (which == 1 && intra) || (which == 2 && !intra))
			vic_xsum_round_add(&t, pr[p].f[field]);
	}
	return vic_xsum_round_result(&t);
}

PG_FUNCTION_INFO_V1(vic_link_count);
/* number of links summarised */
Datum
vic_link_count(PG_FUNCTION_ARGS)
{
	VicLinks   *l = vic_links_getarg(fcinfo, 0);
	int64		n = 0;

	for (int32 p = 0; p < l->npairs; p++)
		n += LINKS_PAIRS(l)[p].links;
	PG_RETURN_INT64(n);
}

PG_FUNCTION_INFO_V1(vic_cross_region_share);
/* share of link weight whose ends lie in different regions; NULL without weight */
Datum
vic_cross_region_share(PG_FUNCTION_ARGS)
{
	VicLinks   *l = vic_links_getarg(fcinfo, 0);
	double		total = pair_sum(l, 0, 0);

	if (!(total > 0))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(pair_sum(l, 0, 2) / total);
}

PG_FUNCTION_INFO_V1(vic_ei_index);
/*
 * Krackhardt & Stern (1988), "Informal networks and organizational crises:
 * an experimental simulation", Social Psychology Quarterly 51(2): E-I =
 * (E - I) / (E + I) with E the weight of links between regions and I the
 * weight of links inside one; -1 all internal, +1 all external.
 */
Datum
vic_ei_index(PG_FUNCTION_ARGS)
{
	VicLinks   *l = vic_links_getarg(fcinfo, 0);
	double		in = pair_sum(l, 0, 1);
	double		ex = pair_sum(l, 0, 2);

	if (!(in + ex > 0))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((ex - in) / (ex + in));
}

PG_FUNCTION_INFO_V1(vic_ei_by_region);
/*
 * The E-I index of each region as a group (Krackhardt & Stern 1988):
 * internal = weight of links with both ends in the region, external =
 * weight of links with exactly one end in it (either direction).
 */
Datum
vic_ei_by_region(PG_FUNCTION_ARGS)
{
	VicLinks   *l = vic_links_getarg(fcinfo, 0);
	ReturnSetInfo *rsinfo = vic_srf_init(fcinfo);
	const VicLinksPair *pr = LINKS_PAIRS(l);
	VicXsumRound *in = palloc0(sizeof(VicXsumRound) * Max(l->nregions, 1));
	VicXsumRound *ex = palloc0(sizeof(VicXsumRound) * Max(l->nregions, 1));

	for (int32 p = 0; p < l->npairs; p++)
	{
		if (pr[p].src == pr[p].dst)
			vic_xsum_round_add(&in[pr[p].src], pr[p].f[0]);
		else
		{
			vic_xsum_round_add(&ex[pr[p].src], pr[p].f[0]);
			vic_xsum_round_add(&ex[pr[p].dst], pr[p].f[0]);
		}
	}
	for (int32 r = 0; r < l->nregions; r++)
	{
		double		i = vic_xsum_round_result(&in[r]);
		double		x = vic_xsum_round_result(&ex[r]);
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};

		values[0] = PointerGetDatum(cstring_to_text_with_len(LINKS_NAME(l, r),
															 LINKS_REGIONS(l)[r].name_len));
		values[1] = Float8GetDatum(i);
		values[2] = Float8GetDatum(x);
		if (i + x > 0)
			values[3] = Float8GetDatum((x - i) / (x + i));
		else
		{
			values[3] = (Datum) 0;
			nulls[3] = true;
		}
		vic_srf_emit(rsinfo, values, nulls);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(vic_assortativity);
/*
 * Newman (2003), "Mixing patterns in networks", Phys. Rev. E 67, 026126,
 * eq. (2): r = (sum_i e_ii - sum_i a_i b_i) / (1 - sum_i a_i b_i) on the
 * mixing matrix e_ij = weight of links from region i to region j divided
 * by the total weight (so any matrix of weights or counts is normalised
 * first), a_i and b_i its row and column sums.  NULL without weight or
 * when sum_i a_i b_i = 1 (every link in one region).
 */
Datum
vic_assortativity(PG_FUNCTION_ARGS)
{
	VicLinks   *l = vic_links_getarg(fcinfo, 0);
	const VicLinksPair *pr = LINKS_PAIRS(l);
	int32		n = Max(l->nregions, 1);
	VicXsumRound *a = palloc0(sizeof(VicXsumRound) * n);
	VicXsumRound *b = palloc0(sizeof(VicXsumRound) * n);
	VicXsumRound diag = VIC_XSUM_ROUND_INIT;
	VicXsumRound ab = VIC_XSUM_ROUND_INIT;
	double		total = pair_sum(l, 0, 0);
	double		sab;
	double		tr;

	if (!(total > 0))
		PG_RETURN_NULL();
	for (int32 p = 0; p < l->npairs; p++)
	{
		vic_xsum_round_add(&a[pr[p].src], pr[p].f[0]);
		vic_xsum_round_add(&b[pr[p].dst], pr[p].f[0]);
		if (pr[p].src == pr[p].dst)
			vic_xsum_round_add(&diag, pr[p].f[0]);
	}
	for (int32 r = 0; r < l->nregions; r++)
	{
		double		ar = vic_xsum_round_result(&a[r]) / total;
		double		br = vic_xsum_round_result(&b[r]) / total;

		vic_xsum_round_add(&ab, ar * br);
	}
	sab = vic_xsum_round_result(&ab);
	tr = vic_xsum_round_result(&diag) / total;
	if (!(1.0 - sab > 0))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((tr - sab) / (1.0 - sab));
}

PG_FUNCTION_INFO_V1(vic_region_flows);
/* one row per ordered region pair with links: weight, links, weighted mean length (plain mean when the weight is 0) */
Datum
vic_region_flows(PG_FUNCTION_ARGS)
{
	VicLinks   *l = vic_links_getarg(fcinfo, 0);
	ReturnSetInfo *rsinfo = vic_srf_init(fcinfo);
	const VicLinksPair *pr = LINKS_PAIRS(l);
	const VicLinksRegion *rg = LINKS_REGIONS(l);

	for (int32 p = 0; p < l->npairs; p++)
	{
		Datum		values[5];
		bool		nulls[5] = {false, false, false, false, false};

		VIC_POLL_INTERRUPTS(p);
		values[0] = PointerGetDatum(cstring_to_text_with_len(LINKS_NAME(l, pr[p].src), rg[pr[p].src].name_len));
		values[1] = PointerGetDatum(cstring_to_text_with_len(LINKS_NAME(l, pr[p].dst), rg[pr[p].dst].name_len));
		values[2] = Float8GetDatum(pr[p].f[0]);
		values[3] = Int64GetDatum(pr[p].links);
		if (pr[p].f[0] > 0)
			values[4] = Float8GetDatum(pr[p].f[1] / pr[p].f[0]);
		else
			values[4] = Float8GetDatum(pr[p].f[3] / pr[p].links);
		vic_srf_emit(rsinfo, values, nulls);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(vic_mean_link_distance);
/* weighted mean link length: sum(w d) / sum(w); NULL without weight */
Datum
vic_mean_link_distance(PG_FUNCTION_ARGS)
{
	VicLinks   *l = vic_links_getarg(fcinfo, 0);
	double		w = pair_sum(l, 0, 0);

	if (!(w > 0))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(pair_sum(l, 1, 0) / w);
}

PG_FUNCTION_INFO_V1(vic_link_distance_quantile);
/*
 * The weighted q-quantile of link length from the log-binned histogram:
 * the bin where the cumulative weight reaches q times the total, with
 * log-linear interpolation inside it, clamped to the exact shortest and
 * longest lengths.  A bin spans a factor 2^(1/64), so the result is within
 * 1.09% (relative) of the exact weighted quantile.
 */
Datum
vic_link_distance_quantile(PG_FUNCTION_ARGS)
{
	VicLinks   *l = vic_links_getarg(fcinfo, 0);
	double		q = PG_GETARG_FLOAT8(1);
	const VicLinksBin *bn = LINKS_BINS(l);
	VicXsumRound t = VIC_XSUM_ROUND_INIT;
	double		total;
	double		target;
	double		cum = 0;
	double		v = l->dmax;

	if (!(q >= 0 && q <= 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("quantile %s is out of range", float8out_internal(q)),
				 errdetail("A quantile is a number between 0 and 1.")));
	for (int32 b = 0; b < l->nbins; b++)
		vic_xsum_round_add(&t, bn[b].f[0]);
	total = vic_xsum_round_result(&t);
	if (!(total > 0))
		PG_RETURN_NULL();
	target = q * total;
	for (int32 b = 0; b < l->nbins; b++)
	{
		double		w = bn[b].f[0];

		if (w > 0 && cum + w >= target)
		{
			double		frac = Min(Max((target - cum) / w, 0.0), 1.0);

			if (bn[b].bin == VIC_LINKS_ZERO_BIN)
				v = 0;
			else
				v = vic_links_bin_lower(bn[b].bin) * exp2(frac / VIC_LINKS_BINS_PER_OCTAVE);
			break;
		}
		cum += w;
	}
	v = Min(Max(v, l->dmin), l->dmax);
	PG_RETURN_FLOAT8(v);
}

PG_FUNCTION_INFO_V1(vic_distance_decay);
/*
 * Link weight and count per length interval [breaks[k], breaks[k+1]), for
 * decay plots: each histogram bin goes to the interval holding its
 * geometric midpoint (a bin spans a factor 2^(1/64)); zero-length links to
 * the interval holding 0.
 */
Datum
vic_distance_decay(PG_FUNCTION_ARGS)
{
	VicLinks   *l = vic_links_getarg(fcinfo, 0);
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(1);
	ReturnSetInfo *rsinfo;
	Datum	   *elems;
	bool	   *enulls;
	int			n;
	double	   *br;
	double	   *w;
	int64	   *cnt;
	const VicLinksBin *bn = LINKS_BINS(l);

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("breaks must be a one-dimensional array")));
	deconstruct_array(arr, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &elems, &enulls, &n);
	if (n < 2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("breaks must have at least two elements"),
				 errdetail("Intervals are [breaks[k], breaks[k+1]).")));
	br = palloc(sizeof(double) * n);
	for (int k = 0; k < n; k++)
	{
		if (enulls[k])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("breaks must not contain NULL")));
		br[k] = DatumGetFloat8(elems[k]);
		if (!(br[k] >= 0) || isinf(br[k]) || (k > 0 && !(br[k] > br[k - 1])))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid break %s", float8out_internal(br[k])),
					 errdetail("Breaks must be finite, >= 0 and strictly ascending.")));
	}
	w = palloc0(sizeof(double) * n);
	cnt = palloc0(sizeof(int64) * n);
	for (int32 b = 0; b < l->nbins; b++)
	{
		double		mid = bn[b].bin == VIC_LINKS_ZERO_BIN ? 0.0 :
			vic_links_bin_lower(bn[b].bin) * exp2(0.5 / VIC_LINKS_BINS_PER_OCTAVE);
		int			lo = 0,
					hi = n - 1;

		if (mid < br[0] || mid >= br[n - 1])
			continue;
		while (hi - lo > 1)		/* br[lo] <= mid < br[hi] */
		{
			int			m = (lo + hi) / 2;

			if (br[m] <= mid)
				lo = m;
			else
				hi = m;
		}
		w[lo] += bn[b].f[0];
		cnt[lo] += bn[b].links;
	}
	rsinfo = vic_srf_init(fcinfo);
	for (int k = 0; k + 1 < n; k++)
	{
		Datum		values[4] = {Float8GetDatum(br[k]), Float8GetDatum(br[k + 1]),
		Float8GetDatum(w[k]), Int64GetDatum(cnt[k])};
		bool		nulls[4] = {false, false, false, false};

		vic_srf_emit(rsinfo, values, nulls);
	}
	return (Datum) 0;
}
