/*
 * xsum_test.c: C unit test of src/xsum.c (exact float8 sums and their
 * canonical parts), against an independent reference: every value is
 * added, exactly, into a 2,200-bit two's complement fixed-point integer in
 * units of 2^-1074 (the smallest subnormal), and each canonical part c_k
 * is checked to be the round-to-nearest-even value of the remainder
 * v - c_1 - ... - c_(k-1), computed in that integer.  Prints TAP.
 */
#include "postgres.h"

#include "tap.h"

#include <math.h>

#include "common/xsum.h"

#include "../../src/common/xsum.c"

#define LIMBS	70				/* 70 * 32 = 2240 bits: 2098 + carries */

typedef struct Big
{
	uint32_t	l[LIMBS];		/* two's complement, little endian */
} Big;


/* b += sign * m * 2^shift, m < 2^53, 0 <= shift */
static void
big_add_shifted(Big *b, uint64 m, int shift, int negative)
{
	Big			t;
	uint64		carry = 0;

	memset(&t, 0, sizeof(t));
	for (int i = 0; i < 3; i++)
	{
		int			limb = shift / 32 + i;
		unsigned __int128 v = (unsigned __int128) m << (shift % 32);

		if (limb < LIMBS)
			t.l[limb] = (uint32_t) (v >> (32 * i));
	}
	if (negative)
	{
		/* two's complement of t */
		for (int i = 0; i < LIMBS; i++)
			t.l[i] = ~t.l[i];
		carry = 1;
		for (int i = 0; i < LIMBS && carry; i++)
		{
			uint64		s = (uint64) t.l[i] + carry;

			t.l[i] = (uint32_t) s;
			carry = s >> 32;
		}
	}
	carry = 0;
	for (int i = 0; i < LIMBS; i++)
	{
		uint64		s = (uint64) b->l[i] + t.l[i] + carry;

		b->l[i] = (uint32_t) s;
		carry = s >> 32;
	}
}

/* b += x exactly */
static void
big_add_double(Big *b, double x)
{
	int			e;
	double		f;
	uint64		m;

	if (x == 0)
		return;
	f = frexp(fabs(x), &e);		/* |x| = f * 2^e, 0.5 <= f < 1 */
	m = (uint64) ldexp(f, 53);	/* |x| = m * 2^(e - 53) */
	e = e - 53 + 1074;			/* in units of 2^-1074 */
	while (e < 0)
	{
		m >>= 1;				/* subnormal: the dropped bits are zero */
		e++;
	}
	big_add_shifted(b, m, e, x < 0);
}

/* sign of b: -1, 0, 1 */
static int
big_sign(const Big *b)
{
	if (b->l[LIMBS - 1] & 0x80000000u)
		return -1;
	for (int i = 0; i < LIMBS; i++)
		if (b->l[i])
			return 1;
	return 0;
}

/* b = 2 b */
static void
big_double(Big *b)
{
	uint64		carry = 0;

	for (int i = 0; i < LIMBS; i++)
	{
		uint64		t = ((uint64) b->l[i] << 1) | carry;

		b->l[i] = (uint32_t) t;
		carry = t >> 32;
	}
}

/*
 * Is c = RN(v), ties to even, for the exact value v?  With d = 2 (v - c):
 * c is right when -(c - dn) <= d <= up - c, an end counting only for an
 * even c (dn, up: the neighbours of c).
 */
static int
is_round_to_nearest(const Big *v, double c)
{
	double		up = nextafter(c, INFINITY);
	double		dn = nextafter(c, -INFINITY);
	uint64		bits;
	Big			d = *v;
	Big			a;
	int			s;

	memcpy(&bits, &c, 8);
	big_add_double(&d, -c);
	big_double(&d);
	if (isfinite(up))
	{
		a = d;
		big_add_double(&a, -(up - c));
		s = big_sign(&a);
		if (s > 0 || (s == 0 && (bits & 1)))
			return 0;
	}
	if (isfinite(dn))
	{
		a = d;
		big_add_double(&a, c - dn);
		s = big_sign(&a);
		if (s < 0 || (s == 0 && (bits & 1)))
			return 0;
	}
	return 1;
}

/* check the canonical parts of v[0..n): exact, each the RN of the remainder */
static int
check_parts(const double *v, int n)
{
	Big			exact;
	double		out[VIC_XSUM_MAXPARTS];
	int			k = vic_xsum_canonical(v, n, out);

	memset(&exact, 0, sizeof(exact));
	for (int i = 0; i < n; i++)
		big_add_double(&exact, v[i]);
	for (int i = 0; i < k; i++)
	{
		if (out[i] == 0 || !is_round_to_nearest(&exact, out[i]))
			return 0;
		big_add_double(&exact, -out[i]);
	}
	return big_sign(&exact) == 0;
}

/* a random double of random sign, magnitude and bit pattern (finite, no overflow in sums) */
static double
random_double(unsigned *seed, int emin, int emax)
{
	uint64		m = ((uint64) rand_r(seed) << 31 | (uint64) rand_r(seed)) & ((UINT64_C(1) << 52) - 1);
	int			e = emin + rand_r(seed) % (emax - emin + 1);
	double		x = ldexp(1.0 + ldexp((double) m, -52), e);

	return (rand_r(seed) & 1) ? -x : x;
}

int
main(void)
{
	unsigned	seed = 20261203;
	int			good;
	double		v[200];
	double		a[VIC_XSUM_MAXPARTS];
	double		b[VIC_XSUM_MAXPARTS];

	/* 0.1 + 0.2 + 0.3: exact sum 0.6000000000000000055511151231257827..., RN = 0.6 */
	v[0] = 0.1;
	v[1] = 0.2;
	v[2] = 0.3;
	good = vic_xsum_canonical(v, 3, a) == 2 && a[0] == 0.6 && a[1] == 0x1p-55;
	check(good, "0.1 + 0.2 + 0.3 = 0.6 + 2^-55 exactly (decimal expansions of the doubles)");

	/* 1e16 + 1 + 1 = 10000000000000002, a double */
	v[0] = 1e16;
	v[1] = 1;
	v[2] = 1;
	check(vic_xsum_canonical(v, 3, a) == 1 && a[0] == 10000000000000002.0,
	   "1e16 + 1 + 1 rounds once (sequential addition gives 1e16)");

	/* ties to even: 2^53 + 1 is halfway between 2^53 and 2^53 + 2 */
	v[0] = 0x1p53;
	v[1] = 1;
	check(vic_xsum_canonical(v, 2, a) == 2 && a[0] == 0x1p53 && a[1] == 1,
	   "2^53 + 1: c1 = 2^53 (tie to even), c2 = 1");
	v[0] = 0x1p53 + 2;
	v[1] = 1;
	check(vic_xsum_canonical(v, 2, a) == 2 && a[0] == 0x1p53 + 4 && a[1] == -1,
	   "2^53 + 3: c1 = 2^53 + 4 (tie to even), c2 = -1");

	/*
	 * double rounding: 2^53 + 1 + 2^-60 lies just above the midpoint of
	 * 2^53 and 2^53 + 2, so RN is 2^53 + 2, where adding in increasing order
	 * rounds 2^-60 + 1 to 1 and then the tie to 2^53
	 */
	v[0] = 0x1p-60;
	v[1] = 1;
	v[2] = 0x1p53;
	check(vic_xsum_canonical(v, 3, a) == 3 && a[0] == 0x1p53 + 2 && a[1] == -1 && a[2] == 0x1p-60,
	   "2^53 + 1 + 2^-60: c1 = 2^53 + 2 (no double rounding), c2 = -1, c3 = 2^-60");

	/* cancellation to zero and subnormals */
	v[0] = 1e300;
	v[1] = -1e300;
	v[2] = 4.9e-324;
	v[3] = 4.9e-324;
	check(vic_xsum_canonical(v, 2, a) == 0, "x - x has no parts");
	check(vic_xsum_canonical(v + 2, 2, a) == 1 && a[0] == 2 * 4.9e-324,
	   "two smallest subnormals add exactly");
	check(vic_xsum_canonical(v, 4, a) == 1 && a[0] == 2 * 4.9e-324,
	   "1e300 - 1e300 + subnormals: only the subnormals remain");

	/* random sums over the whole exponent range, checked against the big integer */
	good = 1;
	for (int t = 0; t < 20000 && good; t++)
	{
		int			n = 1 + rand_r(&seed) % 40;
		int			emin = -1074 + rand_r(&seed) % 1000;
		int			emax = emin + rand_r(&seed) % (1000 - (emin > 0 ? emin : 0));

		if (emax > 1000)
			emax = 1000;
		for (int i = 0; i < n; i++)
			v[i] = random_double(&seed, emin, emax);
		good = check_parts(v, n);
	}
	check(good, "20,000 random sums: parts exact and each the RN of its remainder");

	/* order independence: the parts depend on the value only */
	good = 1;
	for (int t = 0; t < 2000 && good; t++)
	{
		int			n = 2 + rand_r(&seed) % 100;
		int			ka;
		int			kb;

		for (int i = 0; i < n; i++)
			v[i] = random_double(&seed, -60, 60);
		ka = vic_xsum_canonical(v, n, a);
		for (int i = n - 1; i > 0; i--)
		{
			int			j = rand_r(&seed) % (i + 1);
			double		x = v[i];

			v[i] = v[j];
			v[j] = x;
		}
		kb = vic_xsum_canonical(v, n, b);
		good = ka == kb && memcmp(a, b, sizeof(double) * ka) == 0;
	}
	check(good, "2,000 shuffled sums give the same parts");

	/* the running accumulator plus its spilled parts is exact */
	good = 1;
	for (int t = 0; t < 2000 && good; t++)
	{
		VicXsum		acc = {0, 0};
		double		all[400];
		int			na = 0;
		int			n = 1 + rand_r(&seed) % 150;
		Big			ref;

		memset(&ref, 0, sizeof(ref));
		for (int i = 0; i < n; i++)
		{
			double		x = random_double(&seed, -200, 200);
			double		r = vic_xsum_add(&acc, x);

			big_add_double(&ref, x);
			if (r != 0)
				all[na++] = r;
		}
		all[na++] = acc.hi;
		all[na++] = acc.lo;
		for (int i = 0; i < na; i++)
			big_add_double(&ref, -all[i]);
		good = big_sign(&ref) == 0;
	}
	check(good, "2,000 runs of vic_xsum_add: hi + lo + spilled parts equal the exact sum");

	/* four lanes at once (the vectorised path where SSE2 exists) */
	good = 1;
	for (int t = 0; t < 500 && good; t++)
	{
		VicXsum4	acc;
		Big			ref[4];
		int			n = 1 + rand_r(&seed) % 300;

		memset(&acc, 0, sizeof(acc));
		memset(ref, 0, sizeof(ref));
		for (int i = 0; i < n; i++)
		{
			double		x[4];
			double		spill[4];

			for (int k = 0; k < 4; k++)
			{
				x[k] = random_double(&seed, -80, 40);
				big_add_double(&ref[k], x[k]);
			}
			if (vic_xsum_add4(&acc, x, spill))
				for (int k = 0; k < 4; k++)
					big_add_double(&ref[k], -spill[k]);
			else
				for (int k = 0; k < 4; k++)
					good &= spill[k] == 0;
		}
		for (int k = 0; k < 4; k++)
		{
			big_add_double(&ref[k], -acc.hi[k]);
			big_add_double(&ref[k], -acc.lo[k]);
			good &= big_sign(&ref[k]) == 0;
		}
	}
	check(good, "500 runs of vic_xsum_add4: each lane's hi + lo + spilled parts equal its exact sum");

	return tap_done();
}
