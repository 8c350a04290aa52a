/*
 * space_metrics.c
 *		What vic.space says about specialisation and relatedness: RCA and the
 *		binary matrix M, diversity and ubiquity, co-occurrence and
 *		relatedness between industries, relatedness density and coherence.
 *
 * Notation (doc/space.md): x[c,i] the weight of industry i in unit c at
 * the level asked for, x[c,.], x[.,i] and x the row, column and grand
 * totals (exact sums rounded once, space.c); M[c,i] = 1 where RCA >= 1.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "fmgr.h"
#include "port/pg_bitutils.h"
#include "utils/builtins.h"
#include "utils/float.h"

#include "space.h"

/* ----------------------------------------------------------------
 * RCA (Balassa 1965; location quotient, Isard 1960)
 * ----------------------------------------------------------------
 */

/* Dekker's product: *p = fl(a * b), *e = a * b - *p exactly (Dekker 1971, Veltkamp split) */
static inline void
two_prod(double a, double b, double *p, double *e)
{
	const double split = 134217729.0;	/* 2^27 + 1 */
	double		t,
				ah,
				al,
				bh,
				bl;

	*p = a * b;
	t = split * a;
	ah = t - (t - a);
	al = a - ah;
	t = split * b;
	bh = t - (t - b);
	bl = b - bh;
	*e = ((ah * bh - *p) + ah * bl + al * bh) + al * bl;
}

/*
 * RCA[c,i] = (x[c,i] / x[c,.]) / (x[.,i] / x) (Balassa 1965) for a > 0:
 * a = x[c,i], r = x[c,.], q = x[.,i], t = x.  Computed as the double-double
 * quotient of the exact products a*t and r*q, each argument scaled to
 * [0.5, 1) first so that no product overflows or underflows; *present says
 * whether RCA >= 1 exactly (the comparison a*t >= r*q is decided on the
 * exact products, so a cell at exactly 1 is present whatever the rounding).
 */
static void
rca_value(double a, double r, double q, double t, double *val, bool *present)
{
	int			ea,
				er,
				eq,
				et,
				E;
	double		ma = frexp(a, &ea),
				mr = frexp(r, &er),
				mq = frexp(q, &eq),
				mt = frexp(t, &et);
	double		p1,
				e1,
				p2,
				e2,
				quo,
				rem,
				ph,
				pe;

	two_prod(ma, mt, &p1, &e1);
	two_prod(mr, mq, &p2, &e2);
	E = ea + et - er - eq;
	quo = p1 / p2;
	two_prod(quo, p2, &ph, &pe);
	rem = ((p1 - ph) - pe) + (e1 - quo * e2);
	quo += rem / p2;
	*val = ldexp(quo, E);
	if (E > 2)
		*present = true;
	else if (E < -2)
		*present = false;
	else if (fabs(*val - 1.0) > 1e-12)
		*present = *val > 1.0;
	else
	{
		double		v[4] = {ldexp(p1, E), ldexp(e1, E), -p2, -e2};
		double		out[VIC_XSUM_MAXPARTS];
		int			np = vic_xsum_canonical(v, 4, out);

		*present = np == 0 || out[0] > 0;
		if (np == 0)
			*val = 1.0;
	}
}

/*
 * present[e] (and rca[e] when rca is not NULL) for every cell e of mx; a
 * unit whose weights are all 0 has no RCA (NaN here, NULL in SQL)
 */
void
space_rca(const SpaceMatrix *mx, bool *present, double *rca)
{
	for (int32 u = 0; u < mx->n; u++)
	{
		for (int64 e = mx->off[u]; e < mx->off[u + 1]; e++)
		{
			double		v;
			bool		p;

			if (mx->rowsum[u] == 0)
			{
				v = get_float8_nan();
				p = false;
			}
			else if (mx->x[e] == 0)
			{
				v = 0;
				p = false;
			}
			else
				rca_value(mx->x[e], mx->rowsum[u], mx->colsum[mx->col[e]], mx->total, &v, &p);
			present[e] = p;
			if (rca)
				rca[e] = v;
		}
		VIC_POLL_INTERRUPTS(u);
	}
}

/* the binary matrix M of mx: RCA >= 1 (rca) or weight > 0 */
void
space_binary(const SpaceMatrix *mx, bool rca, SpaceBinary *b)
{
	bool	   *present = vic_alloc_array(mx->m, sizeof(bool));
	int64		m = 0;

	if (rca)
		space_rca(mx, present, NULL);
	else
		for (int64 e = 0; e < mx->m; e++)
			present[e] = mx->x[e] > 0;
	b->n = mx->n;
	b->k = mx->k;
	b->off = vic_alloc_array((int64) mx->n + 1, sizeof(int64));
	b->div = vic_alloc_array0(mx->n, sizeof(int32));
	b->ubi = vic_alloc_array0(mx->k, sizeof(int32));
	for (int64 e = 0; e < mx->m; e++)
		m += present[e];
	b->m = m;
	b->col = vic_alloc_array(m, sizeof(int32));
	m = 0;
	for (int32 u = 0; u < mx->n; u++)
	{
		b->off[u] = m;
		for (int64 e = mx->off[u]; e < mx->off[u + 1]; e++)
			if (present[e])
			{
				b->col[m++] = mx->col[e];
				b->ubi[mx->col[e]]++;
			}
		b->div[u] = (int32) (m - b->off[u]);
	}
	b->off[mx->n] = m;
	pfree(present);
}

/* the space argument 0 and its matrix at the level of argument levelarg */
static VicSpace *
space_args(FunctionCallInfo fcinfo, int levelarg, SpaceMatrix *mx)
{
	VicSpace   *s = vic_space_getarg(fcinfo, 0);

	space_matrix(s, space_level_arg(fcinfo, levelarg, s), mx);
	return s;
}

PG_FUNCTION_INFO_V1(vic_space_rca);
/* rca(s, level): (unit, industry, rca, present) for every cell */
Datum
vic_space_rca(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = vic_srf_init(fcinfo);
	SpaceMatrix mx;
	VicSpace   *s;
	bool	   *present;
	double	   *rca;

	if (PG_ARGISNULL(0))
		return (Datum) 0;
	s = space_args(fcinfo, 1, &mx);
	present = vic_alloc_array(mx.m, sizeof(bool));
	rca = vic_alloc_array(mx.m, sizeof(double));
	space_rca(&mx, present, rca);
	for (int32 u = 0; u < mx.n; u++)
	{
		Datum		name = space_unit_text(s, u);

		for (int64 e = mx.off[u]; e < mx.off[u + 1]; e++)
		{
			Datum		v[4] = {name, Int64GetDatum(mx.codes[mx.col[e]]),
			Float8GetDatum(rca[e]), BoolGetDatum(present[e])};
			bool		nulls[4] = {false, false, isnan(rca[e]), false};

			vic_srf_emit(rsinfo, v, nulls);
		}
		VIC_POLL_INTERRUPTS(u);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(vic_space_diversity);
/* diversity(s, level, rca): (unit, diversity) = Σ_i M[c,i] (Hidalgo & Hausmann 2009, k_c,0) */
Datum
vic_space_diversity(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = vic_srf_init(fcinfo);
	SpaceMatrix mx;
	SpaceBinary b;
	VicSpace   *s;

	if (PG_ARGISNULL(0))
		return (Datum) 0;
	s = space_args(fcinfo, 1, &mx);
	space_binary(&mx, space_bool_arg(fcinfo, 2, true), &b);
	for (int32 u = 0; u < b.n; u++)
		vic_srf_emit2(rsinfo, space_unit_text(s, u), Int32GetDatum(b.div[u]));
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(vic_space_ubiquity);
/* ubiquity(s, level, rca): (industry, ubiquity) = Σ_c M[c,i] (Hidalgo & Hausmann 2009, k_p,0) */
Datum
vic_space_ubiquity(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = vic_srf_init(fcinfo);
	SpaceMatrix mx;
	SpaceBinary b;

	if (PG_ARGISNULL(0))
		return (Datum) 0;
	(void) space_args(fcinfo, 1, &mx);
	space_binary(&mx, space_bool_arg(fcinfo, 2, true), &b);
	for (int32 i = 0; i < b.k; i++)
		vic_srf_emit2(rsinfo, Int64GetDatum(mx.codes[i]), Int32GetDatum(b.ubi[i]));
	return (Datum) 0;
}

/* ----------------------------------------------------------------
 * Co-occurrence and relatedness
 * ----------------------------------------------------------------
 */
static const VicKeyword space_methods[] = {
	{"association", SPACE_ASSOCIATION},
	{"prob", SPACE_PROB},
	{"cosine", SPACE_COSINE},
	{"jaccard", SPACE_JACCARD},
	{"proximity", SPACE_PROXIMITY}
};

/* the method argument argno ('association' when absent or NULL) */
SpaceMethod
space_method_arg(FunctionCallInfo fcinfo, int argno)
{
	if (PG_NARGS() <= argno || PG_ARGISNULL(argno))
		return SPACE_ASSOCIATION;
	return (SpaceMethod) vic_keyword_arg(PG_GETARG_TEXT_PP(argno), space_methods,
										 lengthof(space_methods), "method");
}

/*
 * The co-occurrence matrix C = M'M with a zero diagonal (k x k, dense:
 * the industry space), C[i,j] = the number of units where both i and j are
 * present.  Two ways, the cheaper one chosen: every pair of a unit's
 * present industries (cost Σ_c d_c^2 / 2), or popcounts of the AND of two
 * industries' unit bitsets (cost k^2 / 2 · n / 64 words).
 */
static double *
space_cooccurrence(const SpaceBinary *b)
{
	int32		k = b->k;
	double	   *C = vic_alloc_array0((int64) k * k, sizeof(double));
	double		pairs = 0;
	int64		words = ((int64) b->n + 63) / 64;

	for (int32 u = 0; u < b->n; u++)
		pairs += 0.5 * (double) b->div[u] * b->div[u];
	if (pairs <= 0.5 * (double) k * k * words * 4)
	{
		int32	   *cnt = vic_alloc_array0((int64) k * k, sizeof(int32));

		for (int32 u = 0; u < b->n; u++)
		{
			for (int64 x = b->off[u]; x < b->off[u + 1]; x++)
			{
				int32	   *row = cnt + (int64) b->col[x] * k;

				for (int64 y = x + 1; y < b->off[u + 1]; y++)
					row[b->col[y]]++;
			}
			CHECK_FOR_INTERRUPTS();
		}
		for (int32 i = 0; i < k; i++)
			for (int32 j = i + 1; j < k; j++)
				C[(int64) i * k + j] = C[(int64) j * k + i] = cnt[(int64) i * k + j];
		pfree(cnt);
	}
	else
	{
		uint64	   *bits = vic_alloc_array0((int64) k * words, sizeof(uint64));
		uint64	   *tmp = vic_alloc_array(words, sizeof(uint64));

		for (int32 u = 0; u < b->n; u++)
			for (int64 x = b->off[u]; x < b->off[u + 1]; x++)
				bits[(int64) b->col[x] * words + u / 64] |= UINT64CONST(1) << (u % 64);
		for (int32 i = 0; i < k; i++)
		{
			const uint64 *bi = bits + (int64) i * words;

			if (b->ubi[i] == 0)
				continue;
			for (int32 j = i + 1; j < k; j++)
			{
				const uint64 *bj = bits + (int64) j * words;
				uint64		c;

				if (b->ubi[j] == 0)
					continue;
				for (int64 w = 0; w < words; w++)
					tmp[w] = bi[w] & bj[w];
				c = pg_popcount((const char *) tmp, words * sizeof(uint64));
				C[(int64) i * k + j] = C[(int64) j * k + i] = (double) c;
			}
			CHECK_FOR_INTERRUPTS();
		}
		pfree(bits);
		pfree(tmp);
	}
	return C;
}

/*
 * The relatedness matrix R (k x k, zero diagonal) of co-occurrences C by
 * method, with s_i = Σ_j C[i,j], t = Σ_i s_i and the ubiquities u_i:
 *	association: C t / (s_i s_j)		(van Eck & Waltman 2009, eq. 6: the
 *										 association strength, as EconGeo)
 *	prob: C / (t/2 · (s_i/t · s_j/(t - s_i) + s_j/t · s_i/(t - s_j)))
 *										(Steijn 2017, as EconGeo's "prob")
 *	cosine: C / sqrt(s_i s_j)			(van Eck & Waltman 2009, eq. 3)
 *	jaccard: C / (s_i + s_j - C)		(van Eck & Waltman 2009, eq. 5)
 *	proximity: C / max(u_i, u_j)		(Hidalgo et al. 2007: the minimum of
 *										 P(i|j) and P(j|i))
 * A pair without co-occurrence is 0, as is any pair whose denominator is 0.
 */
static double *
space_relatedness_matrix(const SpaceBinary *b, const double *C, SpaceMethod method)
{
	int32		k = b->k;
	double	   *R = vic_alloc_array0((int64) k * k, sizeof(double));
	double	   *srow = vic_alloc_array0(k, sizeof(double));
	double		t = 0;

	for (int32 i = 0; i < k; i++)
	{
		for (int32 j = 0; j < k; j++)
			srow[i] += C[(int64) i * k + j];
		t += srow[i];
	}
	for (int32 i = 0; i < k; i++)
	{
		double		si = srow[i];

		for (int32 j = 0; j < k; j++)
		{
			double		c = C[(int64) i * k + j];
			double		sj = srow[j];
			double		r = 0;

			if (c == 0 || i == j)
				continue;
			switch (method)
			{
				case SPACE_ASSOCIATION:
					r = (c / t) / ((si / t) * (sj / t));
					break;
				case SPACE_PROB:
					r = c / (((si / t) * (sj / (t - si)) + (sj / t) * (si / (t - sj))) * (t / 2));
					break;
				case SPACE_COSINE:
					r = c / sqrt(si * sj);
					break;
				case SPACE_JACCARD:
					r = c / (si + sj - c);
					break;
				case SPACE_PROXIMITY:
					r = c / (double) Max(b->ubi[i], b->ubi[j]);
					break;
			}
			R[(int64) i * k + j] = isfinite(r) ? r : 0;
		}
		CHECK_FOR_INTERRUPTS();
	}
	pfree(srow);
	return R;
}

PG_FUNCTION_INFO_V1(vic_space_relatedness);
/*
 * relatedness(s, method, level, rca): (industry_a, industry_b, cooccurrence,
 * relatedness) for every ordered pair a <> b that co-occurs in some unit
 */
Datum
vic_space_relatedness(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = vic_srf_init(fcinfo);
	SpaceMatrix mx;
	SpaceBinary b;
	SpaceMethod method;
	double	   *C;
	double	   *R;

	if (PG_ARGISNULL(0))
		return (Datum) 0;
	method = space_method_arg(fcinfo, 1);
	(void) space_args(fcinfo, 2, &mx);
	space_binary(&mx, space_bool_arg(fcinfo, 3, true), &b);
	C = space_cooccurrence(&b);
	R = space_relatedness_matrix(&b, C, method);
	for (int32 i = 0; i < b.k; i++)
	{
		for (int32 j = 0; j < b.k; j++)
		{
			int64		x = (int64) i * b.k + j;
			Datum		v[4];
			bool		nulls[4] = {false, false, false, false};

			if (C[x] == 0)
				continue;
			v[0] = Int64GetDatum(mx.codes[i]);
			v[1] = Int64GetDatum(mx.codes[j]);
			v[2] = Int64GetDatum((int64) C[x]);
			v[3] = Float8GetDatum(R[x]);
			vic_srf_emit(rsinfo, v, nulls);
		}
		CHECK_FOR_INTERRUPTS();
	}
	return (Datum) 0;
}

/* the unit argument argno: its index in s, or -1 (no such unit) */
static int32
space_unit_arg(FunctionCallInfo fcinfo, int argno, const VicSpace *s)
{
	text	   *t = PG_GETARG_TEXT_PP(argno);

	return space_find_unit(s, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
}

/* 22023: the unit named is not in the space */
static void
space_no_unit(FunctionCallInfo fcinfo, int argno)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unit \"%s\" is not in the space", text_to_cstring(PG_GETARG_TEXT_PP(argno)))));
}

PG_FUNCTION_INFO_V1(vic_space_relatedness_density);
/*
 * relatedness_density(s, unit, method, level, rca): for every industry i,
 * density[c,i] = Σ_j M[c,j] R[i,j] / Σ_j R[i,j] (Hidalgo et al. 2007,
 * eq. 3, with the proximity φ = R; Boschma, Balland & Kogler 2015), a
 * fraction in [0, 1] (EconGeo prints 100 times it, rounded to 2 digits);
 * NULL for an industry related to no other (EconGeo: NaN).
 */
Datum
vic_space_relatedness_density(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = vic_srf_init(fcinfo);
	SpaceMatrix mx;
	SpaceBinary b;
	SpaceMethod method;
	VicSpace   *s;
	int32		c;
	double	   *C;
	double	   *R;
	bool	   *has;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		return (Datum) 0;
	method = space_method_arg(fcinfo, 2);
	s = space_args(fcinfo, 3, &mx);
	if ((c = space_unit_arg(fcinfo, 1, s)) < 0)
		space_no_unit(fcinfo, 1);
	space_binary(&mx, space_bool_arg(fcinfo, 4, true), &b);
	C = space_cooccurrence(&b);
	R = space_relatedness_matrix(&b, C, method);
	has = vic_alloc_array0(b.k, sizeof(bool));
	for (int64 x = b.off[c]; x < b.off[c + 1]; x++)
		has[b.col[x]] = true;
	for (int32 i = 0; i < b.k; i++)
	{
		const double *row = R + (int64) i * b.k;
		double		num = 0,
					den = 0;
		Datum		v[3];
		bool		nulls[3] = {false, false, false};

		for (int32 j = 0; j < b.k; j++)
		{
			den += row[j];
			if (has[j])
				num += row[j];
		}
		v[0] = Int64GetDatum(mx.codes[i]);
		v[1] = Float8GetDatum(den > 0 ? num / den : 0);
		nulls[1] = !(den > 0);
		v[2] = BoolGetDatum(has[i]);
		vic_srf_emit(rsinfo, v, nulls);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(vic_space_coherence);
/*
 * coherence(s, unit, method, level, rca): the weighted average relatedness
 * of the unit's industries (Teece et al. 1994; Nesta & Saviotti 2005,
 * eq. 1-2): WAR_i = Σ_{j≠i} R[i,j] x_j / Σ_{j≠i} x_j, coherence =
 * Σ_i WAR_i x_i / Σ_i x_i over the industries i of positive weight x_i in
 * the unit; R is the relatedness of the method.  NULL for a unit with
 * fewer than two such industries.
 */
Datum
vic_space_coherence(PG_FUNCTION_ARGS)
{
	SpaceMatrix mx;
	SpaceBinary b;
	SpaceMethod method;
	VicSpace   *s;
	int32		c;
	double	   *C;
	double	   *R;
	double		rowtot = 0;
	double		num = 0;
	int			npos = 0;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	method = space_method_arg(fcinfo, 2);
	s = space_args(fcinfo, 3, &mx);
	if ((c = space_unit_arg(fcinfo, 1, s)) < 0)
		space_no_unit(fcinfo, 1);
	space_binary(&mx, space_bool_arg(fcinfo, 4, true), &b);
	C = space_cooccurrence(&b);
	R = space_relatedness_matrix(&b, C, method);
	for (int64 e = mx.off[c]; e < mx.off[c + 1]; e++)
		if (mx.x[e] > 0)
		{
			rowtot += mx.x[e];
			npos++;
		}
	if (npos < 2)
		PG_RETURN_NULL();
	for (int64 e = mx.off[c]; e < mx.off[c + 1]; e++)
	{
		int32		i = mx.col[e];
		double		war = 0;

		if (mx.x[e] == 0)
			continue;
		for (int64 f = mx.off[c]; f < mx.off[c + 1]; f++)
			if (f != e)
				war += R[(int64) i * b.k + mx.col[f]] * mx.x[f];
		war /= rowtot - mx.x[e];
		num += war * mx.x[e];
	}
	PG_RETURN_FLOAT8(num / rowtot);
}
