/*
 * xsum.h
 *		Exact sums of float8 values, rounded once, so that a summary is the
 *		same bytes whatever order its rows and partial states were added in.
 *
 * An accumulator holds its value as hi + lo plus any further parts it had to
 * spill (the caller keeps those, keyed by what is being summed).  Adding x
 * uses Knuth's TwoSum (The Art of Computer Programming vol. 2, 4.2.2,
 * Theorem B; Møller 1965), which returns fl(a + b) and the exact rounding
 * error, so hi + lo + spills always equals the exact sum of what was added.
 * Integer-valued sums below 2^53 never produce an error and cost one
 * addition and a compare.
 *
 * The canonical form of an exact value v is the sequence c1 = RN(v),
 * c2 = RN(v - c1), c3 = RN(v - c1 - c2), ... (RN: round to nearest, ties to
 * even), computed with Shewchuk's expansion arithmetic (Adaptive precision
 * floating-point arithmetic and fast robust geometric predicates, Discrete
 * & Computational Geometry 18, 1997: Grow-Expansion with zero elimination).
 * c1 is the correctly rounded sum, which every metric reads; the other
 * parts, stored beside it, make merging exact.  The sequence depends only
 * on v, so equal sums are equal bytes.
 *
 * Requires IEEE double arithmetic in round-to-nearest without extended
 * precision (x86-64 SSE2, AArch64) and no -ffast-math.
 */
#ifndef VIC_XSUM_H
#define VIC_XSUM_H

#include <float.h>
#include <math.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* parts an exact sum of finite doubles can need (2098 bits / 53, rounded up) */
#define VIC_XSUM_MAXPARTS	42

typedef struct VicXsum
{
	double		hi;
	double		lo;
} VicXsum;

/* TwoSum: *s = fl(a + b), *e = (a + b) - *s exactly */
static inline void
vic_two_sum(double a, double b, double *s, double *e)
{
	double		x = a + b;
	double		bv = x - a;
	double		av = x - bv;

	*s = x;
	*e = (a - av) + (b - bv);
}

/* the error raised when an exact sum leaves the range of float8 */
extern void vic_xsum_overflow(void) pg_attribute_noreturn();

/*
 * Add x to acc exactly; returns a part (nonzero) the caller must keep
 * beside acc when hi + lo cannot hold the sum, else 0.
 */
static inline double
vic_xsum_add(VicXsum *acc, double x)
{
	double		s;
	double		e;
	double		t;
	double		e2;

	vic_two_sum(acc->hi, x, &s, &e);
	if (unlikely(!isfinite(s)))
		vic_xsum_overflow();
	acc->hi = s;
	if (likely(e == 0))
		return 0;
	vic_two_sum(acc->lo, e, &t, &e2);
	acc->lo = t;
	return e2;
}

/* four accumulators side by side (vic_xsum_add4), e.g. a weight and a 3-D vector */
typedef struct VicXsum4
{
	double		hi[4];
	double		lo[4];
} VicXsum4;

/*
 * Add x[k] to lane k of acc exactly, for k = 0..3, in one branch-free pass
 * the compiler can vectorise; the part each lane could not hold goes to
 * spill[k] (0 when none).  Returns whether any lane spilled.
 */
static inline bool
vic_xsum_add4(VicXsum4 *acc, const double *x, double *spill)
{
#ifdef __SSE2__
	/* the same operations as below, two lanes per instruction */
	__m128d		any = _mm_setzero_pd();
	__m128d		big = _mm_setzero_pd();
	const __m128d absmask = _mm_castsi128_pd(_mm_set1_epi64x(INT64_C(0x7fffffffffffffff)));
	const __m128d maxv = _mm_set1_pd(DBL_MAX);

	for (int k = 0; k < 4; k += 2)
	{
		__m128d		a = _mm_loadu_pd(&acc->hi[k]);
		__m128d		xv = _mm_loadu_pd(&x[k]);
		__m128d		s = _mm_add_pd(a, xv);
		__m128d		bv = _mm_sub_pd(s, a);
		__m128d		e = _mm_add_pd(_mm_sub_pd(a, _mm_sub_pd(s, bv)), _mm_sub_pd(xv, bv));
		__m128d		l = _mm_loadu_pd(&acc->lo[k]);
		__m128d		t = _mm_add_pd(l, e);
		__m128d		bv2 = _mm_sub_pd(t, l);
		__m128d		e2 = _mm_add_pd(_mm_sub_pd(l, _mm_sub_pd(t, bv2)), _mm_sub_pd(e, bv2));

		_mm_storeu_pd(&acc->hi[k], s);
		_mm_storeu_pd(&acc->lo[k], t);
		_mm_storeu_pd(&spill[k], e2);
		any = _mm_or_pd(any, _mm_cmpneq_pd(e2, _mm_setzero_pd()));
		big = _mm_or_pd(big, _mm_cmpnle_pd(_mm_and_pd(s, absmask), maxv));
	}
	if (unlikely(_mm_movemask_pd(big) != 0))
		vic_xsum_overflow();
	return _mm_movemask_pd(any) != 0;
#else
	bool		any = false;
	bool		bad = false;

	for (int k = 0; k < 4; k++)
	{
		double		a = acc->hi[k];
		double		s = a + x[k];
		double		bv = s - a;
		double		e = (a - (s - bv)) + (x[k] - bv);
		double		l = acc->lo[k];
		double		t = l + e;
		double		bv2 = t - l;
		double		e2 = (l - (t - bv2)) + (e - bv2);

		acc->hi[k] = s;
		acc->lo[k] = t;
		spill[k] = e2;
		any |= e2 != 0;
		bad |= !(fabs(s) <= DBL_MAX);
	}
	if (unlikely(bad))
		vic_xsum_overflow();
	return any;
#endif
}

/*
 * A sum rounded once at the end: an accumulator and the parts it spilled,
 * for sums a function computes and returns (totals, tables).
 */
typedef struct VicXsumRound
{
	VicXsum		acc;
	double	   *spill;
	int			nspill;
	int			cap;
} VicXsumRound;

#define VIC_XSUM_ROUND_INIT {{0, 0}, NULL, 0, 0}

extern void vic_xsum_round_spill(VicXsumRound *t, double r);

/* add x to the sum t */
static inline void
vic_xsum_round_add(VicXsumRound *t, double x)
{
	double		r = vic_xsum_add(&t->acc, x);

	if (unlikely(r != 0))
		vic_xsum_round_spill(t, r);
}

/* the correctly rounded value of t; frees what t holds */
extern double vic_xsum_round_result(VicXsumRound *t);

/*
 * Grow the expansion e (n nonoverlapping nonzero parts, increasing
 * magnitude; room for n + 1) by x, in place; returns the new count.
 */
extern int	vic_expansion_grow(double *e, int n, double x);

/*
 * The canonical parts (largest first, all nonzero, at most
 * VIC_XSUM_MAXPARTS) of the exact sum of the n values in v (any order, any
 * signs, zeros allowed) into out; returns their count (0 for a zero sum).
 */
extern int	vic_xsum_canonical(const double *v, int n, double *out);

/* vic_xsum_canonical, returning -1 (and raising nothing) when the sum leaves float8 */
extern int	vic_xsum_canonical_checked(const double *v, int n, double *out);

#endif							/* VIC_XSUM_H */
