/*
 * profile_metrics.c
 *		Accessors and metrics read from vic.profile: specialisation,
 *		concentration and diversity, agglomeration, growth decomposition
 *		and openness (centrography: profile_geo.c).  Definitions, with the
 *		paper of each formula: doc/profile.md.
 *
 * Conventions: a metric of an empty profile (total weight 0) is NULL; where
 * a formula divides by zero the result is the documented one (usually NULL).
 * Entropies are in bits (log base 2).
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/lsyscache.h"

#include "common/mem.h"
#include "common/srf.h"
#include "profile.h"

/* ---------------------------------------------------------------------
 * Helpers
 * ---------------------------------------------------------------------
 */

/* sum of a share table's weights */
static float8
table_total(VicShare *t, int n)
{
	float8		s = 0;

	for (int i = 0; i < n; i++)
		s += t[i].weight;
	return s;
}

/*
 * Industry weights of a and b at `level`, aligned over the union of their
 * codes (a merge join of two sorted tables).  Returns the number of codes.
 */
static int
align_industries(VicProfile *a, VicProfile *b, int level,
				 int64 **codes, float8 **wa, float8 **wb)
{
	int			na;
	int			nb;
	VicShare   *ta = profile_industry_table(a, level, &na);
	VicShare   *tb = profile_industry_table(b, level, &nb);
	int			i = 0;
	int			j = 0;
	int			k = 0;

	*codes = palloc(sizeof(int64) * Max(na + nb, 1));
	*wa = palloc(sizeof(float8) * Max(na + nb, 1));
	*wb = palloc(sizeof(float8) * Max(na + nb, 1));
	while (i < na || j < nb)
	{
		if (j >= nb || (i < na && ta[i].key < tb[j].key))
		{
			(*codes)[k] = ta[i].key;
			(*wa)[k] = ta[i++].weight;
			(*wb)[k] = 0;
		}
		else if (i >= na || tb[j].key < ta[i].key)
		{
			(*codes)[k] = tb[j].key;
			(*wa)[k] = 0;
			(*wb)[k] = tb[j++].weight;
		}
		else
		{
			(*codes)[k] = ta[i].key;
			(*wa)[k] = ta[i++].weight;
			(*wb)[k] = tb[j++].weight;
		}
		k++;
	}
	return k;
}

/* region weights of a and b aligned over the union of region names */
static int
align_regions(VicProfile *a, VicProfile *b, float8 **wa, float8 **wb)
{
	VicProfileRegion *ra = PROFILE_REGIONS(a);
	VicProfileRegion *rb = PROFILE_REGIONS(b);
	int			na = a->nregions;
	int			nb = b->nregions;
	int			i = 0;
	int			j = 0;
	int			k = 0;

	*wa = palloc(sizeof(float8) * Max(na + nb, 1));
	*wb = palloc(sizeof(float8) * Max(na + nb, 1));
	while (i < na || j < nb)
	{
		int			c = (i >= na) ? 1 : (j >= nb) ? -1 : profile_region_cmp(a, i, b, j);

		(*wa)[k] = c <= 0 ? ra[i++].weight : 0;
		(*wb)[k] = c >= 0 ? rb[j++].weight : 0;
		k++;
	}
	return k;
}

/* -p log2 p, with 0 log 0 = 0 */
static inline float8
plog2p(float8 p)
{
	return p > 0 ? -p * log2(p) : 0;
}

/* ---------------------------------------------------------------------
 * Accessors
 * ---------------------------------------------------------------------
 */

PG_FUNCTION_INFO_V1(vic_member_count);

/* number of distinct members */
Datum
vic_member_count(PG_FUNCTION_ARGS)
{
	VicProfile *p = PG_GETARG_VIC_PROFILE_PART(0, VIC_PART_HEADER);

	PG_RETURN_INT64(p->ndistinct);
}

PG_FUNCTION_INFO_V1(vic_located_count);

/* number of distinct members with a location */
Datum
vic_located_count(PG_FUNCTION_ARGS)
{
	VicProfile *p = PG_GETARG_VIC_PROFILE_PART(0, VIC_PART_HEADER);

	PG_RETURN_INT64(p->nlocated);
}

PG_FUNCTION_INFO_V1(vic_total_weight);

/* sum of member weights */
Datum
vic_total_weight(PG_FUNCTION_ARGS)
{
	VicProfile *p = PG_GETARG_VIC_PROFILE_PART(0, VIC_PART_HEADER);

	profile_check_not_tally(p);
	PG_RETURN_FLOAT8(p->total);
}

PG_FUNCTION_INFO_V1(vic_region_count);

/* number of named (non-NULL) regions */
Datum
vic_region_count(PG_FUNCTION_ARGS)
{
	VicProfile *p = PG_GETARG_VIC_PROFILE_PART(0, VIC_PART_REGIONS);
	int			n = p->nregions;

	profile_check_not_tally(p);
	if (n > 0 && PROFILE_REGIONS(p)[0].name_off < 0)
		n--;
	PG_RETURN_INT32(n);
}

PG_FUNCTION_INFO_V1(vic_members);

/* SRF: member id, industry, weight, located */
Datum
vic_members(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo;
	VicProfile *p = PG_GETARG_VIC_PROFILE_P(0);
	VicProfileMember *m = PROFILE_MEMBERS(p);
	bool		tally = (p->flags & VIC_PROFILE_TALLY) != 0;

	rsinfo = vic_srf_init(fcinfo);
	for (int i = 0; i < p->nmembers; i++)
	{
		Datum		values[4];
		bool		nulls[4] = {false, tally, false, false};

		VIC_POLL_INTERRUPTS(i);
		values[0] = Int64GetDatum(m[i].id);
		values[1] = VicIndustryGetDatum(VIC_MEMBER_CODE(m[i].code));
		values[2] = Float8GetDatum(m[i].weight);
		values[3] = BoolGetDatum((m[i].code & VIC_MEMBER_LOCATED) != 0);
		vic_srf_emit(rsinfo, values, nulls);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(vic_industry_shares);

/* SRF: industry, weight, share of the total, at a level (NULL = as given) */
Datum
vic_industry_shares(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo;
	VicProfile *p;
	int			level;
	VicShare   *t;
	int			n;
	float8		total = 0;

	if (PG_ARGISNULL(0))
	{
		(void) vic_srf_init(fcinfo);
		return (Datum) 0;
	}
	p = PG_GETARG_VIC_PROFILE_PART(0, VIC_PART_INDUSTRIES);
	profile_check_not_tally(p);
	level = vic_level_arg(fcinfo, 1, profile_max_level(p));
	t = profile_industry_table(p, level, &n);
	for (int i = 0; i < n; i++)
		total += t[i].weight;
	rsinfo = vic_srf_init(fcinfo);
	for (int i = 0; i < n; i++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, total <= 0};

		values[0] = VicIndustryGetDatum(t[i].key);
		values[1] = Float8GetDatum(t[i].weight);
		values[2] = Float8GetDatum(total > 0 ? t[i].weight / total : 0);
		vic_srf_emit(rsinfo, values, nulls);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(vic_region_shares);

/* SRF: region (NULL for the unknown region), weight, share of the total */
Datum
vic_region_shares(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo;
	VicProfile *p = PG_GETARG_VIC_PROFILE_TABLES(0);
	VicProfileRegion *r = PROFILE_REGIONS(p);
	float8		total = 0;

	profile_check_not_tally(p);
	for (int i = 0; i < p->nregions; i++)
		total += r[i].weight;
	rsinfo = vic_srf_init(fcinfo);
	for (int i = 0; i < p->nregions; i++)
	{
		Datum		values[3];
		bool		nulls[3] = {r[i].name_off < 0, false, total <= 0};

		values[0] = r[i].name_off < 0 ? (Datum) 0 :
			PointerGetDatum(cstring_to_text_with_len(PROFILE_POOL(p) + r[i].name_off,
													 r[i].name_len));
		values[1] = Float8GetDatum(r[i].weight);
		values[2] = Float8GetDatum(total > 0 ? r[i].weight / total : 0);
		vic_srf_emit(rsinfo, values, nulls);
	}
	return (Datum) 0;
}

/* ---------------------------------------------------------------------
 * Specialisation against a reference
 * ---------------------------------------------------------------------
 */
PG_FUNCTION_INFO_V1(vic_location_quotients);

/*
 * SRF (industry, lq, specialised): LQ_i = s_i / S_i over the union of the
 * industries of p and ref (Balassa 1965; Isard 1960).  An industry absent
 * from ref but present in p has lq = Infinity; present in neither with
 * weight (weight-0 entries) has lq NULL.  No rows for an empty profile.
 */
Datum
vic_location_quotients(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo;
	VicProfile *p;
	VicProfile *ref;
	int64	   *codes;
	float8	   *wp;
	float8	   *wr;
	float8		tp = 0;
	float8		tr = 0;
	int			n;
	int			level;

	rsinfo = vic_srf_init(fcinfo);
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		return (Datum) 0;
	p = PG_GETARG_VIC_PROFILE_PART(0, VIC_PART_INDUSTRIES);
	ref = PG_GETARG_VIC_PROFILE_PART(1, VIC_PART_INDUSTRIES);
	profile_check_schemes(p, ref);
	level = vic_level_arg(fcinfo, 2, profile_max_level(p));
	profile_check_level(ref, level);
	n = align_industries(p, ref, level, &codes, &wp, &wr);
	for (int i = 0; i < n; i++)
	{
		tp += wp[i];
		tr += wr[i];
	}
	if (tp <= 0 || tr <= 0)
		return (Datum) 0;
	for (int i = 0; i < n; i++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};
		float8		s = wp[i] / tp;
		float8		sref = wr[i] / tr;

		values[0] = VicIndustryGetDatum(codes[i]);
		if (sref > 0)
			values[1] = Float8GetDatum(s / sref);
		else if (s > 0)
			values[1] = Float8GetDatum(get_float8_infinity());
		else
			nulls[1] = nulls[2] = true;
		if (!nulls[1])
			values[2] = BoolGetDatum(DatumGetFloat8(values[1]) >= 1.0);
		vic_srf_emit(rsinfo, values, nulls);
	}
	return (Datum) 0;
}

/* turn two aligned weight vectors into shares; false when either total is zero */
static bool
normalize_share_pairs(int n, float8 *s, float8 *sref)
{
	float8		tp = 0;
	float8		tr = 0;

	for (int i = 0; i < n; i++)
	{
		tp += s[i];
		tr += sref[i];
	}
	if (tp <= 0 || tr <= 0)
		return false;
	for (int i = 0; i < n; i++)
	{
		s[i] /= tp;
		sref[i] /= tr;
	}
	return true;
}

/* shares of p and ref by industry; false when either is empty */
static bool
industry_share_pairs(FunctionCallInfo fcinfo, int *n, float8 **s, float8 **sref)
{
	VicProfile *p = PG_GETARG_VIC_PROFILE_PART(0, VIC_PART_INDUSTRIES);
	VicProfile *ref = PG_GETARG_VIC_PROFILE_PART(1, VIC_PART_INDUSTRIES);
	int64	   *codes;
	int			level;

	profile_check_schemes(p, ref);
	level = vic_level_arg(fcinfo, 2, profile_max_level(p));
	profile_check_level(ref, level);
	*n = align_industries(p, ref, level, &codes, s, sref);
	return normalize_share_pairs(*n, *s, *sref);
}

PG_FUNCTION_INFO_V1(vic_krugman_index);

/* Krugman (1991) specialisation index K = sum_i |s_i - S_i|, 0..2 */
Datum
vic_krugman_index(PG_FUNCTION_ARGS)
{
	int			n;
	float8	   *s;
	float8	   *sr;
	float8		k = 0;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	if (!industry_share_pairs(fcinfo, &n, &s, &sr))
		PG_RETURN_NULL();
	for (int i = 0; i < n; i++)
		k += fabs(s[i] - sr[i]);
	PG_RETURN_FLOAT8(k);
}

PG_FUNCTION_INFO_V1(vic_hachman_index);

/*
 * Hachman index HI = 1 / sum_i s_i LQ_i = 1 / sum_i s_i^2 / S_i (Hachman
 * 1995): 1 when p mirrors ref, towards 0 when specialised.  An industry of p
 * that ref lacks makes the sum infinite and HI = 0.
 */
Datum
vic_hachman_index(PG_FUNCTION_ARGS)
{
	int			n;
	float8	   *s;
	float8	   *sr;
	float8		cs = 0;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	if (!industry_share_pairs(fcinfo, &n, &s, &sr))
		PG_RETURN_NULL();
	for (int i = 0; i < n; i++)
	{
		if (s[i] <= 0)
			continue;
		if (sr[i] <= 0)
			PG_RETURN_FLOAT8(0.0);
		cs += s[i] * s[i] / sr[i];
	}
	PG_RETURN_FLOAT8(1.0 / cs);
}

/* regional shares of p and ref over the union of regions */
static bool
region_share_pairs(VicProfile *p, VicProfile *ref, int *n, float8 **s, float8 **sref)
{
	profile_check_schemes(p, ref);
	*n = align_regions(p, ref, s, sref);
	return normalize_share_pairs(*n, *s, *sref);
}

PG_FUNCTION_INFO_V1(vic_hoover_index);

/* Hoover (1936) index: 1/2 sum_r |p_r/P - ref_r/REF| over regions */
Datum
vic_hoover_index(PG_FUNCTION_ARGS)
{
	int			n;
	float8	   *s;
	float8	   *sr;
	float8		h = 0;

	if (!region_share_pairs(PG_GETARG_VIC_PROFILE_TABLES(0), PG_GETARG_VIC_PROFILE_TABLES(1),
							&n, &s, &sr))
		PG_RETURN_NULL();
	for (int i = 0; i < n; i++)
		h += fabs(s[i] - sr[i]);
	PG_RETURN_FLOAT8(h / 2);
}

/* a region's shares, for sorting by location quotient */
typedef struct LorenzPoint
{
	float8		s;				/* share of p */
	float8		x;				/* share of ref */
} LorenzPoint;

/* order by LQ = s/x ascending, compared as s1*x2 < s2*x1 (x = 0 is +inf) */
static int
lorenz_cmp(const void *a, const void *b)
{
	const LorenzPoint *u = a;
	const LorenzPoint *v = b;
	float8		l = u->s * v->x;
	float8		r = v->s * u->x;

	return l < r ? -1 : (l > r ? 1 : 0);
}

PG_FUNCTION_INFO_V1(vic_locational_gini);

/*
 * Locational Gini (Krugman 1991; Audretsch & Feldman 1996): regions sorted
 * by LQ ascending, Lorenz curve of p's cumulative share against ref's
 * cumulative share, G = 1 - sum_k (X_k - X_{k-1})(Y_k + Y_{k-1}).  0 when p
 * is distributed like ref, towards 1 when concentrated.
 */
Datum
vic_locational_gini(PG_FUNCTION_ARGS)
{
	int			n;
	float8	   *s;
	float8	   *sr;
	LorenzPoint *pts;
	float8		X = 0;
	float8		Y = 0;
	float8		area = 0;

	if (!region_share_pairs(PG_GETARG_VIC_PROFILE_TABLES(0), PG_GETARG_VIC_PROFILE_TABLES(1),
							&n, &s, &sr))
		PG_RETURN_NULL();
	pts = palloc(sizeof(LorenzPoint) * n);
	for (int i = 0; i < n; i++)
	{
		pts[i].s = s[i];
		pts[i].x = sr[i];
	}
	qsort(pts, n, sizeof(LorenzPoint), lorenz_cmp);
	for (int i = 0; i < n; i++)
	{
		float8		X1 = X + pts[i].x;
		float8		Y1 = Y + pts[i].s;

		area += (X1 - X) * (Y1 + Y);
		X = X1;
		Y = Y1;
	}
	PG_RETURN_FLOAT8(1.0 - area);
}

/* ---------------------------------------------------------------------
 * Concentration and diversity of one profile
 * ---------------------------------------------------------------------
 */

/* the words of the `by` argument */
static const VicKeyword by_words[] = {
	{"industry", VIC_BY_INDUSTRY},
	{"region", VIC_BY_REGION},
	{"member", VIC_BY_MEMBER}
};

/* the share table of p along `by` (args 1 and 2); NULL when p is empty */
static float8 *
shares_by(FunctionCallInfo fcinfo, int *n)
{
	VicBy		by = PG_ARGISNULL(1) ? VIC_BY_INDUSTRY :
		vic_keyword_arg(PG_GETARG_TEXT_PP(1), by_words, lengthof(by_words), "dimension");
	VicProfile *p = by == VIC_BY_MEMBER ? PG_GETARG_VIC_PROFILE_P(0) :
		PG_GETARG_VIC_PROFILE_PART(0, by == VIC_BY_INDUSTRY ? VIC_PART_INDUSTRIES : VIC_PART_REGIONS);
	int			level;
	VicShare   *t;
	float8		total;
	float8	   *q;

	profile_check_not_tally(p);
	level = vic_level_arg(fcinfo, 2, profile_max_level(p));
	t = profile_table(p, by, level, n);
	total = table_total(t, *n);
	if (total <= 0)
		return NULL;
	q = palloc(sizeof(float8) * Max(*n, 1));
	for (int i = 0; i < *n; i++)
		q[i] = t[i].weight / total;
	return q;
}

/* Herfindahl-Hirschman sum of squared shares (Hirschman 1964) */
static float8
hhi_of(float8 *q, int n)
{
	float8		h = 0;

	for (int i = 0; i < n; i++)
		h += q[i] * q[i];
	return h;
}

PG_FUNCTION_INFO_V1(vic_hhi);

/* HHI = sum_k q_k^2 over industries, regions or members */
Datum
vic_hhi(PG_FUNCTION_ARGS)
{
	int			n;
	float8	   *q;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	q = shares_by(fcinfo, &n);
	if (q == NULL)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(hhi_of(q, n));
}

PG_FUNCTION_INFO_V1(vic_hhi_normalized);

/* normalised HHI (H - 1/n) / (1 - 1/n); 1 when there is a single category */
Datum
vic_hhi_normalized(PG_FUNCTION_ARGS)
{
	int			n;
	float8	   *q;
	float8		h;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	q = shares_by(fcinfo, &n);
	if (q == NULL)
		PG_RETURN_NULL();
	h = hhi_of(q, n);
	if (n <= 1)
		PG_RETURN_FLOAT8(1.0);
	PG_RETURN_FLOAT8((h - 1.0 / n) / (1.0 - 1.0 / n));
}

PG_FUNCTION_INFO_V1(vic_hhi_equivalent_number);

/* numbers-equivalent 1 / HHI: the count of equal-sized categories with the same HHI */
Datum
vic_hhi_equivalent_number(PG_FUNCTION_ARGS)
{
	int			n;
	float8	   *q;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	q = shares_by(fcinfo, &n);
	if (q == NULL)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(1.0 / hhi_of(q, n));
}

PG_FUNCTION_INFO_V1(vic_entropy);

/* Shannon (1948) entropy in bits: -sum_k q_k log2 q_k */
Datum
vic_entropy(PG_FUNCTION_ARGS)
{
	int			n;
	float8	   *q;
	float8		e = 0;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	q = shares_by(fcinfo, &n);
	if (q == NULL)
		PG_RETURN_NULL();
	for (int i = 0; i < n; i++)
		e += plog2p(q[i]);
	PG_RETURN_FLOAT8(e);
}

/* float8 comparator for qsort */
static int
float8_cmp(const void *a, const void *b)
{
	float8		x = *(const float8 *) a;
	float8		y = *(const float8 *) b;

	return x < y ? -1 : (x > y ? 1 : 0);
}

PG_FUNCTION_INFO_V1(vic_gini);

/*
 * Gini coefficient of the weights across categories: with the shares sorted
 * ascending, G = sum_i (2i - n - 1) q_(i) / n (i = 1..n), the mean absolute
 * difference over twice the mean (Gini 1912; as EconGeo's Gini).  0 for one
 * category.
 */
Datum
vic_gini(PG_FUNCTION_ARGS)
{
	int			n;
	float8	   *q;
	float8		g = 0;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	q = shares_by(fcinfo, &n);
	if (q == NULL)
		PG_RETURN_NULL();
	qsort(q, n, sizeof(float8), float8_cmp);
	for (int i = 0; i < n; i++)
		g += (2.0 * (i + 1) - n - 1) * q[i];
	PG_RETURN_FLOAT8(g / n);
}

/* a level argument that must be given, checked against p's scheme */
static int
required_level(FunctionCallInfo fcinfo, int argno, VicProfile *p)
{
	int			level = PG_GETARG_INT32(argno);

	vic_check_level(level, profile_max_level(p));
	return level;
}

PG_FUNCTION_INFO_V1(vic_related_variety);

/*
 * Related variety (Frenken, van Oort & Verburg 2007, eq. 4-5): with fine
 * shares p_i grouped into coarse groups g of share P_g,
 * RV = sum_g P_g H_g, H_g = sum_{i in g} (p_i/P_g) log2(P_g/p_i).
 */
Datum
vic_related_variety(PG_FUNCTION_ARGS)
{
	VicProfile *p = PG_GETARG_VIC_PROFILE_PART(0, VIC_PART_INDUSTRIES);
	int			fine;
	int			coarse;
	VicShare   *t;
	int			n;
	float8		total;
	float8		rv = 0;
	int			i = 0;

	profile_check_not_tally(p);
	fine = required_level(fcinfo, 1, p);
	coarse = required_level(fcinfo, 2, p);
	if (coarse >= fine)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("coarse level %d must be above fine level %d", coarse, fine),
				 errdetail("Related variety is the entropy within coarse groups of fine industries.")));
	t = profile_industry_table(p, fine, &n);
	total = table_total(t, n);
	if (total <= 0)
		PG_RETURN_NULL();
	/* fine codes of one coarse group are contiguous in code order */
	while (i < n)
	{
		int64		g = industry_ancestor(t[i].key, coarse);
		int			j = i;
		float8		Pg = 0;
		float8		Hg = 0;

		while (j < n && industry_ancestor(t[j].key, coarse) == g)
			Pg += t[j++].weight / total;
		if (Pg > 0)
			for (int k = i; k < j; k++)
				Hg += plog2p(t[k].weight / total / Pg);
		rv += Pg * Hg;
		i = j;
	}
	PG_RETURN_FLOAT8(rv);
}

PG_FUNCTION_INFO_V1(vic_unrelated_variety);

/*
 * Unrelated variety (Frenken et al. 2007, eq. 3): the entropy of the coarse
 * groups, UV = sum_g P_g log2(1/P_g).
 */
Datum
vic_unrelated_variety(PG_FUNCTION_ARGS)
{
	VicProfile *p = PG_GETARG_VIC_PROFILE_PART(0, VIC_PART_INDUSTRIES);
	int			coarse;
	VicShare   *t;
	int			n;
	float8		total;
	float8		uv = 0;

	profile_check_not_tally(p);
	coarse = required_level(fcinfo, 1, p);
	t = profile_industry_table(p, coarse, &n);
	total = table_total(t, n);
	if (total <= 0)
		PG_RETURN_NULL();
	for (int i = 0; i < n; i++)
		uv += plog2p(t[i].weight / total);
	PG_RETURN_FLOAT8(uv);
}

/* ---------------------------------------------------------------------
 * Agglomeration
 * ---------------------------------------------------------------------
 */

/* plant Herfindahl H = sum_k z_k^2, z_k = member weight / total */
static float8
plant_herfindahl(VicProfile *p, float8 *total)
{
	int			n;
	VicShare   *t = profile_member_table(p, &n);
	float8		tot = table_total(t, n);
	float8		h = 0;

	for (int i = 0; i < n; i++)
	{
		float8		z = t[i].weight / tot;

		h += z * z;
	}
	*total = tot;
	return h;
}

/* G, sum x^2 and sum s^2 of an industry profile against all activity */
static bool
eg_raw(VicProfile *ind, VicProfile *all, float8 *G, float8 *sx2, float8 *ss2)
{
	int			n;
	float8	   *s;
	float8	   *x;

	if (!region_share_pairs(ind, all, &n, &s, &x))
		return false;
	*G = *sx2 = *ss2 = 0;
	for (int i = 0; i < n; i++)
	{
		*G += (s[i] - x[i]) * (s[i] - x[i]);
		*sx2 += x[i] * x[i];
		*ss2 += s[i] * s[i];
	}
	return true;
}

/*
 * Ellison & Glaeser (1997) gamma, eq. 5:
 * gamma = [G - (1 - sum x^2) H] / [(1 - sum x^2)(1 - H)].  NULL gamma when
 * the denominator is zero (one region, or one plant).
 */
static bool
eg_gamma(VicProfile *ind, VicProfile *all, float8 *gamma, bool *gamma_null,
		 float8 *G, float8 *H)
{
	float8		sx2;
	float8		ss2;
	float8		tot;
	float8		den;

	if (!eg_raw(ind, all, G, &sx2, &ss2))
		return false;
	*H = plant_herfindahl(ind, &tot);
	den = (1.0 - sx2) * (1.0 - *H);
	*gamma_null = !(den > 0);
	*gamma = *gamma_null ? 0 : (*G - (1.0 - sx2) * *H) / den;
	return true;
}

PG_FUNCTION_INFO_V1(vic_ellison_glaeser);

/* (gamma, g, h) of an industry against all activity */
Datum
vic_ellison_glaeser(PG_FUNCTION_ARGS)
{
	TupleDesc	tupdesc;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};
	float8		gamma;
	bool		gnull;
	float8		G;
	float8		H;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	if (!eg_gamma(PG_GETARG_VIC_PROFILE_P(0), PG_GETARG_VIC_PROFILE_TABLES(1),
				  &gamma, &gnull, &G, &H))
		PG_RETURN_NULL();
	values[0] = Float8GetDatum(gamma);
	nulls[0] = gnull;
	values[1] = Float8GetDatum(G);
	values[2] = Float8GetDatum(H);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc),
													  values, nulls)));
}

PG_FUNCTION_INFO_V1(vic_maurel_sedillot);

/*
 * Maurel & Sedillot (1999) gamma:
 * [(sum s^2 - sum x^2)/(1 - sum x^2) - H] / (1 - H); NULL when a denominator
 * is zero.
 */
Datum
vic_maurel_sedillot(PG_FUNCTION_ARGS)
{
	VicProfile *ind = PG_GETARG_VIC_PROFILE_P(0);
	float8		G;
	float8		sx2;
	float8		ss2;
	float8		H;
	float8		tot;

	if (!eg_raw(ind, PG_GETARG_VIC_PROFILE_TABLES(1), &G, &sx2, &ss2))
		PG_RETURN_NULL();
	H = plant_herfindahl(ind, &tot);
	if (!(sx2 < 1.0) || !(H < 1.0))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(((ss2 - sx2) / (1.0 - sx2) - H) / (1.0 - H));
}

PG_FUNCTION_INFO_V1(vic_coagglomeration);

/*
 * Ellison & Glaeser (1997) coagglomeration, eq. 8, of the industries
 * i = 1..r given as profiles: with w_i the industries' shares of their
 * joint weight, G and H of the joint group (H = sum_i w_i^2 H_i),
 * gamma_c = [G/(1 - sum x^2) - H - sum_i gamma_i w_i^2 (1 - H_i)] / (1 - sum w_i^2).
 */
Datum
vic_coagglomeration(PG_FUNCTION_ARGS)
{
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(0);
	VicProfile *all = PG_GETARG_VIC_PROFILE_TABLES(1);
	Datum	   *elems;
	bool	   *enulls;
	int			r;
	int16		typlen;
	bool		typbyval;
	char		typalign;
	VicProfile **ps;
	float8	   *tot;
	float8	   *Hi;
	float8	   *gi;
	float8		W = 0;
	float8		sw2 = 0;
	float8		H = 0;
	float8		corr = 0;
	float8		G;
	float8		sx2;
	float8		ss2;
	VicProfile *joint;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("industries must be a one-dimensional array of profiles")));
	get_typlenbyvalalign(ARR_ELEMTYPE(arr), &typlen, &typbyval, &typalign);
	deconstruct_array(arr, ARR_ELEMTYPE(arr), typlen, typbyval, typalign,
					  &elems, &enulls, &r);
	if (r < 2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("coagglomeration needs at least two industry profiles"),
				 errdetail("Got %d.", r)));
	ps = palloc(sizeof(VicProfile *) * r);
	tot = palloc(sizeof(float8) * r);
	Hi = palloc(sizeof(float8) * r);
	gi = palloc(sizeof(float8) * r);
	for (int i = 0; i < r; i++)
	{
		if (enulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("industry profile %d is null", i + 1)));
		ps[i] = DatumGetVicProfileP(elems[i]);
		profile_check_schemes(ps[i], all);
	}
	for (int i = 0; i < r; i++)
	{
		float8		Gi;
		bool		gnull;

		if (!eg_gamma(ps[i], all, &gi[i], &gnull, &Gi, &Hi[i]))
			PG_RETURN_NULL();
		if (gnull)
			PG_RETURN_NULL();
		tot[i] = ps[i]->total;
		W += tot[i];
	}
	for (int i = 0; i < r; i++)
	{
		float8		w = tot[i] / W;

		sw2 += w * w;
		H += w * w * Hi[i];
		corr += gi[i] * w * w * (1.0 - Hi[i]);
	}
	joint = profile_merge_many(ps, r);
	if (!eg_raw(joint, all, &G, &sx2, &ss2) || !(sx2 < 1.0) || !(sw2 < 1.0))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((G / (1.0 - sx2) - H - corr) / (1.0 - sw2));
}

/* ---------------------------------------------------------------------
 * Growth
 * ---------------------------------------------------------------------
 */
PG_FUNCTION_INFO_V1(vic_shift_share);

/*
 * Shift-share (Dunn 1960) of a region between t0 and t1 against the nation,
 * by industry at `level`, with g = N_t1/N_t0 and g_i = N_i,t1/N_i,t0:
 *	 national	  = E_r0 (g - 1)
 *	 industry_mix = sum_i E_ri0 g_i - E_r0 g
 *	 regional	  = sum_i (E_ri1 - E_ri0 g_i)
 * and total = E_r1 - E_r0 = national + industry_mix + regional (the regional
 * term is written so that industries new to the region are counted).
 */
Datum
vic_shift_share(PG_FUNCTION_ARGS)
{
	VicProfile *pr[4];
	VicShare   *t[4];
	int			n[4];
	int			pos[4] = {0, 0, 0, 0};
	float8		tot[4];
	float8		g;
	float8		mix = 0;
	float8		regional = 0;
	int			level;
	TupleDesc	tupdesc;
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};

	for (int k = 0; k < 4; k++)
		if (PG_ARGISNULL(k))
			PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	for (int k = 0; k < 4; k++)
	{
		pr[k] = PG_GETARG_VIC_PROFILE_TABLES(k);
		if (k > 0)
			profile_check_schemes(pr[0], pr[k]);
	}
	level = vic_level_arg(fcinfo, 4, profile_max_level(pr[0]));
	for (int k = 0; k < 4; k++)
	{
		profile_check_level(pr[k], level);
		t[k] = profile_industry_table(pr[k], level, &n[k]);
		tot[k] = table_total(t[k], n[k]);
	}
	if (tot[2] <= 0)
		PG_RETURN_NULL();
	g = tot[3] / tot[2];

	/* walk the union of the four sorted code lists */
	for (;;)
	{
		int64		code = PG_INT64_MAX;
		float8		w[4];
		bool		any = false;

		for (int k = 0; k < 4; k++)
			if (pos[k] < n[k] && t[k][pos[k]].key <= code)
			{
				code = t[k][pos[k]].key;
				any = true;
			}
		if (!any)
			break;
		for (int k = 0; k < 4; k++)
		{
			w[k] = 0;
			if (pos[k] < n[k] && t[k][pos[k]].key == code)
				w[k] = t[k][pos[k]++].weight;
		}
		if (w[2] > 0)
		{
			float8		gi = w[3] / w[2];

			mix += w[0] * gi;
			regional += w[1] - w[0] * gi;
		}
		else if (w[0] > 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the region has weight at t0 in an industry the nation lacks at t0"),
					 errdetail("The nation's profile must contain the region's industries.")));
		else
			regional += w[1];
	}
	mix -= tot[0] * g;
	values[0] = Float8GetDatum(tot[1] - tot[0]);
	values[1] = Float8GetDatum(tot[0] * (g - 1.0));
	values[2] = Float8GetDatum(mix);
	values[3] = Float8GetDatum(regional);
	for (int k = 0; k < 4; k++)
		if (!isfinite(DatumGetFloat8(values[k])))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("shift-share components overflow"),
					 errdetail("A component exceeds the range of double precision.")));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc),
													  values, nulls)));
}

/* ---------------------------------------------------------------------
 * Openness: member sets
 * ---------------------------------------------------------------------
 */

/* sizes of A, B and A intersect B over distinct member ids */
static void
member_overlap(VicProfile *a, VicProfile *b, int64 *na, int64 *nb, int64 *both)
{
	VicProfileMember *ma = PROFILE_MEMBERS(a);
	VicProfileMember *mb = PROFILE_MEMBERS(b);
	int			i = 0;
	int			j = 0;

	*na = a->ndistinct;
	*nb = b->ndistinct;
	*both = 0;
	while (i < a->nmembers && j < b->nmembers)
	{
		if (ma[i].id < mb[j].id)
			i++;
		else if (mb[j].id < ma[i].id)
			j++;
		else
		{
			int64		id = ma[i].id;

			(*both)++;
			while (i < a->nmembers && ma[i].id == id)
				i++;
			while (j < b->nmembers && mb[j].id == id)
				j++;
		}
	}
}

PG_FUNCTION_INFO_V1(vic_entries);

/* members of p1 that are not in p0 */
Datum
vic_entries(PG_FUNCTION_ARGS)
{
	int64		n0;
	int64		n1;
	int64		both;

	member_overlap(PG_GETARG_VIC_PROFILE_P(0), PG_GETARG_VIC_PROFILE_P(1), &n0, &n1, &both);
	PG_RETURN_INT64(n1 - both);
}

PG_FUNCTION_INFO_V1(vic_exits);

/* members of p0 that are not in p1 */
Datum
vic_exits(PG_FUNCTION_ARGS)
{
	int64		n0;
	int64		n1;
	int64		both;

	member_overlap(PG_GETARG_VIC_PROFILE_P(0), PG_GETARG_VIC_PROFILE_P(1), &n0, &n1, &both);
	PG_RETURN_INT64(n0 - both);
}

PG_FUNCTION_INFO_V1(vic_turnover);

/* (entries + exits) / mean member count; NULL when both are empty */
Datum
vic_turnover(PG_FUNCTION_ARGS)
{
	int64		n0;
	int64		n1;
	int64		both;

	member_overlap(PG_GETARG_VIC_PROFILE_P(0), PG_GETARG_VIC_PROFILE_P(1), &n0, &n1, &both);
	if (n0 + n1 == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((float8) (n0 + n1 - 2 * both) / ((n0 + n1) / 2.0));
}

PG_FUNCTION_INFO_V1(vic_jaccard);

/* |A and B| / |A or B| of member ids (Jaccard 1901); NULL when both are empty */
Datum
vic_jaccard(PG_FUNCTION_ARGS)
{
	int64		na;
	int64		nb;
	int64		both;

	member_overlap(PG_GETARG_VIC_PROFILE_P(0), PG_GETARG_VIC_PROFILE_P(1), &na, &nb, &both);
	if (na + nb == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((float8) both / (float8) (na + nb - both));
}
