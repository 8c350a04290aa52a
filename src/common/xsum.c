/*
 * xsum.c
 *		Exact float8 sums and their canonical parts (xsum.h).
 */
#include "postgres.h"

#include <math.h>
#include <string.h>

#include "xsum.h"

/* report a sum that is out of the range of float8 */
void
vic_xsum_overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("sum of weights is out of range for type double precision"),
			 errdetail("A sum of weights exceeds the range of double precision.")));
}

/* Grow-Expansion that sets *bad instead of raising when the sum leaves float8 */
static int
expansion_grow(double *e, int n, double x, bool *bad)
{
	double		q = x;
	double		h;
	int			k = 0;

	for (int i = 0; i < n; i++)
	{
		vic_two_sum(q, e[i], &q, &h);
		if (h != 0)
			e[k++] = h;
	}
	if (!isfinite(q))
		*bad = true;
	else if (q != 0)
		e[k++] = q;
	return k;
}

/* Shewchuk's Grow-Expansion with zero elimination, in place */
int
vic_expansion_grow(double *e, int n, double x)
{
	bool		bad = false;
	int			k = expansion_grow(e, n, x, &bad);

	if (bad)
		vic_xsum_overflow();
	return k;
}

/* sign of the exact value of a nonoverlapping expansion: its largest part's */
static inline int
expansion_sign(const double *e, int n)
{
	return n == 0 ? 0 : (e[n - 1] > 0 ? 1 : -1);
}

/* sign of (e - y), e an expansion of n parts; scratch has room for n + 1 */
static int
expansion_cmp(const double *e, int n, double y, double *scratch, bool *bad)
{
	memcpy(scratch, e, sizeof(double) * n);
	return expansion_sign(scratch, expansion_grow(scratch, n, -y, bad));
}

/* is the last bit of c's significand set (ties go to the even neighbour)? */
static inline bool
significand_odd(double c)
{
	uint64		bits;

	memcpy(&bits, &c, sizeof(bits));
	return (bits & 1) != 0;
}

/*
 * Canonical parts of the exact sum of v[0..n-1]: c1 = RN(v), then the
 * parts of the remainder v - c1, which is exact and at most half an ulp of
 * c1, so each part starts at least 53 bits below the one before.
 */
int
vic_xsum_canonical(const double *v, int n, double *out)
{
	int			k = vic_xsum_canonical_checked(v, n, out);

	if (k < 0)
		vic_xsum_overflow();
	return k;
}

/* vic_xsum_canonical, but -1 (nothing raised) when the sum leaves float8 */
int
vic_xsum_canonical_checked(const double *v, int n, double *out)
{
	bool		bad = false;
	double		local[3][64];
	double	   *e = local[0];
	double	   *r = local[1];
	double	   *s = local[2];
	int			m = 0;
	int			k = 0;
	double		sum = 0;
	bool		exact = true;

	/* every partial sum exact (the usual case): the plain sum is the one part */
	for (int i = 0; i < n; i++)
	{
		double		err;

		vic_two_sum(sum, v[i], &sum, &err);
		exact &= (err == 0);
	}
	if (exact && isfinite(sum))
	{
		out[0] = sum;
		return sum != 0 ? 1 : 0;
	}

	if (n + 2 > 64)
	{
		e = palloc(sizeof(double) * (n + 2));
		r = palloc(sizeof(double) * (n + 2));
		s = palloc(sizeof(double) * (n + 2));
	}
	for (int i = 0; i < n; i++)
		if (v[i] != 0)
			m = expansion_grow(e, m, v[i], &bad);
	while (m > 0 && !bad)
	{
		double		c = 0;
		int			rm;

		/* the parts in increasing order: an estimate within a few ulps */
		for (int i = 0; i < m; i++)
			c += e[i];
		for (;;)
		{
			double		up = nextafter(c, INFINITY);
			double		dn = nextafter(c, -INFINITY);
			int			cmp;

			memcpy(r, e, sizeof(double) * m);
			rm = expansion_grow(r, m, -c, &bad);
			if (bad || rm == 0)
				break;			/* c is the value itself */
			/* c is RN(v) when -(c - dn)/2 <= v - c <= (up - c)/2, ties to even */
			if (isfinite(up))
			{
				cmp = expansion_cmp(r, rm, (up - c) * 0.5, s, &bad);
				if (bad)
					break;
				if (cmp > 0 || (cmp == 0 && significand_odd(c)))
				{
					c = up;
					continue;
				}
			}
			if (isfinite(dn))
			{
				cmp = expansion_cmp(r, rm, -(c - dn) * 0.5, s, &bad);
				if (bad)
					break;
				if (cmp < 0 || (cmp == 0 && significand_odd(c)))
				{
					c = dn;
					continue;
				}
			}
			break;
		}
		if (bad)
			break;
		if (k >= VIC_XSUM_MAXPARTS)
			elog(ERROR, "exact sum needs more than %d parts", VIC_XSUM_MAXPARTS);
		out[k++] = c;
		memcpy(e, r, sizeof(double) * rm);
		m = rm;
	}
	if (e != local[0])
	{
		pfree(e);
		pfree(r);
		pfree(s);
	}
	return bad ? -1 : k;
}

/* keep a part spilled by a rounded sum, folding the spills when they pile up */
void
vic_xsum_round_spill(VicXsumRound *t, double r)
{
	if (t->nspill >= t->cap)
	{
		if (t->cap >= 256)
		{
			double		out[VIC_XSUM_MAXPARTS];
			int			n = vic_xsum_canonical(t->spill, t->nspill, out);

			memcpy(t->spill, out, sizeof(double) * n);
			t->nspill = n;
		}
		else
		{
			int			cap = t->cap ? t->cap * 4 : 16;
			double	   *s = palloc(sizeof(double) * cap);

			if (t->spill)
			{
				memcpy(s, t->spill, sizeof(double) * t->nspill);
				pfree(t->spill);
			}
			t->spill = s;
			t->cap = cap;
		}
	}
	t->spill[t->nspill++] = r;
}

/* the correctly rounded value of a sum */
double
vic_xsum_round_result(VicXsumRound *t)
{
	double		v[VIC_XSUM_MAXPARTS + 258];
	double		out[VIC_XSUM_MAXPARTS];
	int			n = 0;

	v[n++] = t->acc.hi;
	v[n++] = t->acc.lo;
	for (int i = 0; i < t->nspill; i++)
		v[n++] = t->spill[i];
	if (t->spill)
		pfree(t->spill);
	t->spill = NULL;
	t->nspill = t->cap = 0;
	return vic_xsum_canonical(v, n, out) > 0 ? out[0] : 0.0;
}
