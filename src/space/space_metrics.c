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

#ifdef __SSE2__
#include <emmintrin.h>
#endif

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
 * exact products of the correctly rounded cell and totals, so a cell at
 * exactly 1 is present and one a hair below absent, whatever the rounding
 * of the quotient).
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
	if (pairs <= 0.5 * (double) k * k * words)
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

/* units and industry columns per block of space_density_block */
#define DENSITY_UNITS	512
#define DENSITY_COLS	16

/*
 * acc[0..15] = Σ over the unit's present industries j of R[j, i0 .. i0 + 15]
 * (cols: the unit's present industries), in industry order: the 16 sums
 * stay in registers while the rows stream by.
 */
static inline void
density_sum16(const double *R, int32 k, int32 i0, const int32 *cols, int64 ncols,
			  double *acc)
{
#ifdef __SSE2__
	__m128d		a0 = _mm_setzero_pd(),
				a1 = _mm_setzero_pd(),
				a2 = _mm_setzero_pd(),
				a3 = _mm_setzero_pd(),
				a4 = _mm_setzero_pd(),
				a5 = _mm_setzero_pd(),
				a6 = _mm_setzero_pd(),
				a7 = _mm_setzero_pd();

	for (int64 x = 0; x < ncols; x++)
	{
		const double *row = R + (int64) cols[x] * k + i0;

		a0 = _mm_add_pd(a0, _mm_loadu_pd(row));
		a1 = _mm_add_pd(a1, _mm_loadu_pd(row + 2));
		a2 = _mm_add_pd(a2, _mm_loadu_pd(row + 4));
		a3 = _mm_add_pd(a3, _mm_loadu_pd(row + 6));
		a4 = _mm_add_pd(a4, _mm_loadu_pd(row + 8));
		a5 = _mm_add_pd(a5, _mm_loadu_pd(row + 10));
		a6 = _mm_add_pd(a6, _mm_loadu_pd(row + 12));
		a7 = _mm_add_pd(a7, _mm_loadu_pd(row + 14));
	}
	_mm_storeu_pd(acc, a0);
	_mm_storeu_pd(acc + 2, a1);
	_mm_storeu_pd(acc + 4, a2);
	_mm_storeu_pd(acc + 6, a3);
	_mm_storeu_pd(acc + 8, a4);
	_mm_storeu_pd(acc + 10, a5);
	_mm_storeu_pd(acc + 12, a6);
	_mm_storeu_pd(acc + 14, a7);
#else
	for (int i = 0; i < DENSITY_COLS; i++)
		acc[i] = 0;
	for (int64 x = 0; x < ncols; x++)
	{
		const double *row = R + (int64) cols[x] * k + i0;

		for (int i = 0; i < DENSITY_COLS; i++)
			acc[i] += row[i];
	}
#endif
}

/*
 * The relatedness densities of units first .. first + nu - 1 (nu <=
 * DENSITY_UNITS) for every industry into D (nu x k, row-major; NaN for an
 * industry related to none): density[c,i] = Σ_j M[c,j] R[i,j] /
 * Σ_j R[i,j] (Hidalgo et al. 2007, eq. 3, with the proximity φ = R;
 * Boschma, Balland & Kogler 2015), a fraction in [0, 1].  R is symmetric,
 * so a unit's numerators are the sum of the rows of R of its industries,
 * added in industry order (the same bits whatever the row order or the
 * block a unit falls in), 16 columns at a time over a block of units, so
 * that the columns read stay in cache.
 */
static void
space_density_block(const SpaceBinary *b, const double *R, const double *rowR,
					int32 first, int32 nu, double *D)
{
	int32		k = b->k;

	for (int32 i0 = 0; i0 < k; i0 += DENSITY_COLS)
	{
		int32		w = Min(DENSITY_COLS, k - i0);

		for (int32 c = 0; c < nu; c++)
		{
			double	   *out = D + (int64) c * k + i0;
			const int32 *cols = b->col + b->off[first + c];
			int64		ncols = b->off[first + c + 1] - b->off[first + c];

			if (w == DENSITY_COLS)
				density_sum16(R, k, i0, cols, ncols, out);
			else
			{
				for (int32 i = 0; i < w; i++)
					out[i] = 0;
				for (int64 x = 0; x < ncols; x++)
					for (int32 i = 0; i < w; i++)
						out[i] += R[(int64) cols[x] * k + i0 + i];
			}
		}
		CHECK_FOR_INTERRUPTS();
	}
	for (int32 c = 0; c < nu; c++)
		for (int32 i = 0; i < k; i++)
			D[(int64) c * k + i] = rowR[i] > 0 ? D[(int64) c * k + i] / rowR[i] : get_float8_nan();
}

/* the row sums of R, in industry order */
static double *
relatedness_row_sums(const SpaceBinary *b, const double *R)
{
	double	   *rowR = vic_alloc_array0(b->k, sizeof(double));

	for (int32 i = 0; i < b->k; i++)
		for (int32 j = 0; j < b->k; j++)
			rowR[i] += R[(int64) i * b->k + j];
	return rowR;
}

PG_FUNCTION_INFO_V1(vic_space_relatedness_density);
/*
 * relatedness_density(s, unit, method, level, rca): (unit, industry,
 * density, present) for every industry, of one unit or (unit NULL) of every
 * unit; density NULL for an industry related to no other (EconGeo: NaN;
 * EconGeo prints 100 times the fraction, rounded to 2 digits)
 */
Datum
vic_space_relatedness_density(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = vic_srf_init(fcinfo);
	SpaceMatrix mx;
	SpaceBinary b;
	SpaceMethod method;
	VicSpace   *s;
	int32		first = 0,
				last;
	double	   *R;
	double	   *rowR;
	double	   *D;
	bool	   *has;

	if (PG_ARGISNULL(0))
		return (Datum) 0;
	method = space_method_arg(fcinfo, 2);
	s = space_args(fcinfo, 3, &mx);
	last = mx.n - 1;
	if (!PG_ARGISNULL(1))
	{
		if ((first = last = space_unit_arg(fcinfo, 1, s)) < 0)
			space_no_unit(fcinfo, 1);
	}
	space_binary(&mx, space_bool_arg(fcinfo, 4, true), &b);
	R = space_relatedness_matrix(&b, space_cooccurrence(&b), method);
	rowR = relatedness_row_sums(&b, R);
	D = vic_alloc_array((int64) Min(DENSITY_UNITS, Max(last - first + 1, 1)) * b.k, sizeof(double));
	has = vic_alloc_array0(b.k, sizeof(bool));
	for (int32 c = first; c <= last; c++)
	{
		Datum		name = space_unit_text(s, c);
		double	   *dens;

		if ((c - first) % DENSITY_UNITS == 0)
			space_density_block(&b, R, rowR, c, Min(DENSITY_UNITS, last - c + 1), D);
		dens = D + (int64) ((c - first) % DENSITY_UNITS) * b.k;
		for (int64 x = b.off[c]; x < b.off[c + 1]; x++)
			has[b.col[x]] = true;
		for (int32 i = 0; i < b.k; i++)
		{
			Datum		v[4] = {name, Int64GetDatum(mx.codes[i]), Float8GetDatum(dens[i]),
			BoolGetDatum(has[i])};
			bool		nulls[4] = {false, false, isnan(dens[i]), false};

			vic_srf_emit(rsinfo, v, nulls);
		}
		for (int64 x = b.off[c]; x < b.off[c + 1]; x++)
			has[b.col[x]] = false;
		CHECK_FOR_INTERRUPTS();
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(vic_space_diversification_targets);
/*
 * diversification_targets(s, top, method, level, rca): for every unit, the
 * top industries it lacks (M[c,i] = 0) with the highest relatedness
 * density, rank 1 first; ties broken by industry code; industries of
 * undefined density never listed.  Whom a cluster platform should recruit
 * next (Hidalgo et al. 2007: a unit tends to enter the industries of high
 * density).
 */
Datum
vic_space_diversification_targets(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = vic_srf_init(fcinfo);
	SpaceMatrix mx;
	SpaceBinary b;
	SpaceMethod method;
	VicSpace   *s;
	int32		top;
	double	   *R;
	double	   *rowR;
	double	   *D;
	bool	   *has;
	int32	   *best;

	if (PG_ARGISNULL(0))
		return (Datum) 0;
	top = PG_ARGISNULL(1) ? 5 : PG_GETARG_INT32(1);
	if (top < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("top must be at least 1, not %d", top)));
	method = space_method_arg(fcinfo, 2);
	s = space_args(fcinfo, 3, &mx);
	space_binary(&mx, space_bool_arg(fcinfo, 4, true), &b);
	R = space_relatedness_matrix(&b, space_cooccurrence(&b), method);
	rowR = relatedness_row_sums(&b, R);
	D = vic_alloc_array((int64) Min(DENSITY_UNITS, Max(mx.n, 1)) * b.k, sizeof(double));
	has = vic_alloc_array0(b.k, sizeof(bool));
	top = Min(top, Max(b.k, 1));
	best = vic_alloc_array(top, sizeof(int32));
	for (int32 c = 0; c < mx.n; c++)
	{
		Datum		name = space_unit_text(s, c);
		int32		nbest = 0;
		double	   *dens;

		if (c % DENSITY_UNITS == 0)
			space_density_block(&b, R, rowR, c, Min(DENSITY_UNITS, mx.n - c), D);
		dens = D + (int64) (c % DENSITY_UNITS) * b.k;
		for (int64 x = b.off[c]; x < b.off[c + 1]; x++)
			has[b.col[x]] = true;
		/* bounded insertion: the list stays sorted by (density desc, index) */
		for (int32 i = 0; i < b.k; i++)
		{
			int32		pos;

			if (has[i] || isnan(dens[i]))
				continue;
			if (nbest == top && !(dens[i] > dens[best[top - 1]]))
				continue;
			pos = nbest < top ? nbest++ : top - 1;
			while (pos > 0 && dens[i] > dens[best[pos - 1]])
			{
				best[pos] = best[pos - 1];
				pos--;
			}
			best[pos] = i;
		}
		for (int32 r = 0; r < nbest; r++)
		{
			Datum		v[4] = {name, Int32GetDatum(r + 1), Int64GetDatum(mx.codes[best[r]]),
			Float8GetDatum(dens[best[r]])};
			bool		nulls[4] = {false, false, false, false};

			vic_srf_emit(rsinfo, v, nulls);
		}
		for (int64 x = b.off[c]; x < b.off[c + 1]; x++)
			has[b.col[x]] = false;
		CHECK_FOR_INTERRUPTS();
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
