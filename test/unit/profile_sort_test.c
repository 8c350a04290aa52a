/*
 * profile_sort_test.c: C unit test of src/profile/profile_sort.c (the
 * member sort engine of vic.profile) against a plain qsort reference.
 *
 * Every result is checked for: entries strictly increasing by (id,
 * industry); one entry per distinct (id, industry) of the input; the
 * location bit the OR of the input's; and exactness: the folded weight plus
 * the errors handed to the fold sink add up to the exact sum of the input
 * weights (compared as canonical parts, vic_xsum_canonical, which
 * xsum_test.c checks against a fixed-point reference).  Inputs: random,
 * sorted, reversed, nearly sorted, two runs, many duplicates, sizes around
 * the radix and insertion thresholds, extreme ids; the merges on their own;
 * and mutations the checker must catch.  Prints TAP.
 */
#include "postgres.h"

#include "tap.h"

#include <math.h>

#include "common/xsum.h"

#include "../../src/common/xsum.c"
#include "../../src/profile/profile_sort.c"


/* xorshift64* (Vigna 2016): a fixed, portable sequence */

/* next pseudo-random 64-bit word */
static uint64
next64(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * UINT64CONST(0x2545F4914F6CDD1D);
}

/* pseudo-random integer in [0, n) */
static int64
below(int64 n)
{
	return (int64) (next64() % (uint64) n);
}

/*
 * A weight that folds with rounding errors: a 53-bit mantissa scaled by
 * 2^-40 .. 2^40, or (one time in four) a small integer, which never leaves
 * an error.
 */
static double
weight(void)
{
	if (below(4) == 0)
		return (double) below(100);
	return ldexp((double) (next64() >> 11), (int) below(81) - 40 - 53);
}

/* an industry code of the layout (bits 35..4) from a small set, maybe located */
static int64
code(int ncodes)
{
	int64		c = (INT64CONST(1) << 32) | ((below(ncodes) + 1) << 20);

	if (below(3) == 0)
		c |= VIC_MEMBER_LOCATED;
	return c;
}

/* ------------------------------------------------------------------ */
/* the fold sink of the test: every error handed over, in a list */

typedef struct Part
{
	int64		id;
	int64		code;
	double		v;
} Part;

typedef struct PartList
{
	Part	   *p;
	int64		n;
	int64		cap;
	bool		drop;			/* mutation: lose the errors */
} PartList;

/* VicFoldSink callback: keep err as a part of (id, code) */
static void
sink_part(void *arg, int64 id, int64 code, float8 err)
{
	PartList   *pl = arg;

	if (pl->drop)
		return;
	if (err == 0 || VIC_MEMBER_CODE(code) != code)
		abort();				/* the contract of the sink */
	if (pl->n >= pl->cap)
	{
		pl->cap = Max(64, pl->cap * 2);
		pl->p = realloc(pl->p, sizeof(Part) * pl->cap);
	}
	pl->p[pl->n].id = id;
	pl->p[pl->n].code = code;
	pl->p[pl->n].v = err;
	pl->n++;
}

/*
 * qsort order of member entries, written independently of the engine's
 * member_cmp_inline: (id, code without the location bit)
 */
static int
ref_cmp(const void *a, const void *b)
{
	const VicProfileMember *x = a;
	const VicProfileMember *y = b;
	int			byid = (x->id > y->id) - (x->id < y->id);
	int64		cx = x->code & ~VIC_MEMBER_LOCATED;
	int64		cy = y->code & ~VIC_MEMBER_LOCATED;

	return byid != 0 ? byid : (cx > cy) - (cx < cy);
}

/* qsort order of parts by key */
static int
part_cmp(const void *a, const void *b)
{
	const Part *x = a;
	const Part *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	if (x->code != y->code)
		return x->code < y->code ? -1 : 1;
	return 0;
}

/* are the exact sums of v[0..nv) and w[0..nw) the same (canonical parts)? */
static bool
same_exact_sum(const double *v, int nv, const double *w, int nw)
{
	double		cv[VIC_XSUM_MAXPARTS];
	double		cw[VIC_XSUM_MAXPARTS];
	int			kv = vic_xsum_canonical(v, nv, cv);
	int			kw = vic_xsum_canonical(w, nw, cw);

	if (kv != kw)
		return false;
	for (int i = 0; i < kv; i++)
		if (cv[i] != cw[i])
			return false;
	return true;
}

/*
 * Does out[0..nout), with the parts in pl, hold exactly the content of
 * in[0..nin) sorted and folded?
 */
static bool
verify(const VicProfileMember *in, int64 nin, const VicProfileMember *out, int64 nout,
	  PartList *pl)
{
	VicProfileMember *ref = malloc(sizeof(VicProfileMember) * Max(nin, 1));
	double	   *vals = malloc(sizeof(double) * Max(nin, 1));
	double	   *got = malloc(sizeof(double) * (Max(pl->n, 1) + 1));
	int64		k = 0;
	int64		pi = 0;
	bool		good = true;

	memcpy(ref, in, sizeof(VicProfileMember) * nin);
	qsort(ref, nin, sizeof(VicProfileMember), ref_cmp);
	qsort(pl->p, pl->n, sizeof(Part), part_cmp);
	for (int64 i = 0; i < nin && good;)
	{
		int64		j = i;
		int64		located = 0;
		int			nv = 0;
		int			ng = 0;

		while (j < nin && ref_cmp(&ref[i], &ref[j]) == 0)
		{
			located |= ref[j].code & VIC_MEMBER_LOCATED;
			vals[nv++] = ref[j].weight;
			j++;
		}
		if (k >= nout || out[k].id != ref[i].id ||
			out[k].code != (VIC_MEMBER_CODE(ref[i].code) | located))
		{
			good = false;
			break;
		}
		got[ng++] = out[k].weight;
		while (pi < pl->n && pl->p[pi].id == out[k].id &&
			   pl->p[pi].code == VIC_MEMBER_CODE(out[k].code))
			got[ng++] = pl->p[pi++].v;
		good = same_exact_sum(vals, nv, got, ng);
		k++;
		i = j;
	}
	good = good && k == nout && pi == pl->n;
	for (int64 i = 1; i < nout && good; i++)
		good = ref_cmp(&out[i - 1], &out[i]) < 0;
	free(ref);
	free(vals);
	free(got);
	return good;
}

/* sort and fold a copy of in[0..n) with the engine and check it */
static bool
sort_and_check(const VicProfileMember *in, int64 n)
{
	VicProfileMember *m = malloc(sizeof(VicProfileMember) * Max(n, 1));
	PartList	pl = {0};
	VicFoldSink sink = {sink_part, &pl};
	int64		k;
	bool		good;

	memcpy(m, in, sizeof(VicProfileMember) * n);
	k = profile_sort_fold_members(&sink, m, n);
	good = verify(in, n, m, k, &pl);
	free(m);
	free(pl.p);
	return good;
}

/* n entries with ids below idspan, codes from ncodes */
static VicProfileMember *
random_members(int64 n, int64 idspan, int ncodes)
{
	VicProfileMember *m = malloc(sizeof(VicProfileMember) * Max(n, 1));

	for (int64 i = 0; i < n; i++)
	{
		m[i].id = below(idspan);
		m[i].code = code(ncodes);
		m[i].weight = weight();
	}
	return m;
}

/* n entries with ids 0..n-1 in order (one code each) */
static VicProfileMember *
sorted_members(int64 n)
{
	VicProfileMember *m = malloc(sizeof(VicProfileMember) * Max(n, 1));

	for (int64 i = 0; i < n; i++)
	{
		m[i].id = i;
		m[i].code = code(1);
		m[i].weight = weight();
	}
	return m;
}

/* swap entries i and j */
static void
swap(VicProfileMember *m, int64 i, int64 j)
{
	VicProfileMember t = m[i];

	m[i] = m[j];
	m[j] = t;
}

/* the random cases at one size */
static bool
random_case(int64 n)
{
	VicProfileMember *m = random_members(n, Max(n / 2, 1), 3);
	bool		good = sort_and_check(m, n);

	free(m);
	return good;
}

int
main(void)
{
	VicProfileMember *m;
	bool		good;

	/* random order, duplicates */
	m = random_members(20000, 10000, 4);
	check(sort_and_check(m, 20000), "random 20000 entries, 10000 ids, 4 codes: sorted, folded, exact");
	free(m);

	/* sorted, reversed */
	m = sorted_members(20000);
	check(sort_and_check(m, 20000), "sorted 20000 distinct entries");
	for (int64 i = 0; i < 10000; i++)
		swap(m, i, 19999 - i);
	check(sort_and_check(m, 20000), "reversed 20000 entries");
	free(m);

	/* nearly sorted: neighbours swapped, a few entries far off */
	m = sorted_members(20000);
	for (int i = 0; i < 200; i++)
	{
		int64		a = below(19990);

		swap(m, a, a + 1 + below(8));
	}
	check(sort_and_check(m, 20000), "nearly sorted: 200 entries a few places off");
	for (int i = 0; i < 10; i++)
		swap(m, below(20000), below(20000));
	check(sort_and_check(m, 20000), "nearly sorted plus 10 entries far off (new runs)");
	for (int i = 0; i < 100; i++)
		swap(m, below(20000), below(20000));
	check(sort_and_check(m, 20000), "too many runs: falls back to the radix sort");
	free(m);

	/* two runs: a synchronized scan starting mid-table */
	m = sorted_members(20000);
	{
		VicProfileMember *t = malloc(sizeof(VicProfileMember) * 20000);

		memcpy(t, m + 7000, sizeof(VicProfileMember) * 13000);
		memcpy(t + 13000, m, sizeof(VicProfileMember) * 7000);
		check(sort_and_check(t, 20000), "two disjoint runs (rotation)");
		free(t);
	}
	for (int64 i = 0; i < 20000; i++)
		m[i].id = i < 12000 ? 2 * i : 2 * (i - 12000) + 1;
	check(sort_and_check(m, 20000), "two interleaved runs, the second shorter");
	for (int64 i = 0; i < 20000; i++)
		m[i].id = i < 5000 ? 2 * i : 2 * (i - 5000) + 1;
	check(sort_and_check(m, 20000), "two interleaved runs, the first shorter");
	for (int64 i = 0; i < 20000; i++)
		m[i].id = i < 10000 ? i : i - 10000;
	check(sort_and_check(m, 20000), "two runs of the same ids: every entry folds");
	free(m);

	/* many duplicates: few keys, weights of every magnitude */
	m = random_members(30000, 10, 3);
	check(sort_and_check(m, 30000), "30000 entries on 30 keys: exact folds");
	free(m);
	m = sorted_members(5000);
	for (int64 i = 0; i < 5000; i++)
	{
		m[i].id = i / 50;		/* sorted, 50 entries per id */
		m[i].weight = (i % 2) ? 1e16 : 1.0;
	}
	check(sort_and_check(m, 5000), "sorted runs of equal entries, 1 + 1e16 + ...: folded in the insertion pass, exact");
	free(m);

	/* sizes around the thresholds (VIC_RADIX_SMALL, VIC_RADIX_MIN, VIC_SHIFT_MAX) */
	good = true;
	{
		static const int64 sizes[] = {0, 1, 2, 3, 63, 64, 65, 127, 128, 129, 4095, 4096, 4097, 8191, 8192};

		for (int i = 0; i < lengthof(sizes); i++)
			for (int rep = 0; rep < 3; rep++)
				good &= random_case(sizes[i]);
	}
	check(good, "random inputs of 0 to 8192 entries around the radix thresholds");

	/* ids over the whole int64 range: the radix key flips the sign bit */
	m = random_members(10000, 1, 2);
	for (int64 i = 0; i < 10000; i++)
		m[i].id = (int64) next64() >> (below(4) * 16);
	m[0].id = PG_INT64_MIN;
	m[1].id = PG_INT64_MAX;
	m[2].id = PG_INT64_MIN;
	m[3].id = -1;
	m[4].id = 0;
	check(sort_and_check(m, 10000), "ids over the whole int64 range, negative ones included");
	free(m);

	/* the merge of two sorted, folded arrays */
	{
		VicProfileMember *a = random_members(6000, 5000, 3);
		VicProfileMember *b = random_members(4000, 5000, 3);
		VicProfileMember *all = malloc(sizeof(VicProfileMember) * 10000);
		VicProfileMember *out = malloc(sizeof(VicProfileMember) * 10000);
		PartList	pa = {0};
		PartList	pl = {0};
		VicFoldSink sa = {sink_part, &pa};
		VicFoldSink sink = {sink_part, &pl};
		int64		na;
		int64		nb;
		int64		k;

		memcpy(all, a, sizeof(VicProfileMember) * 6000);
		memcpy(all + 6000, b, sizeof(VicProfileMember) * 4000);
		na = profile_sort_fold_members(&sa, a, 6000);
		nb = profile_sort_fold_members(&sa, b, 4000);
		k = profile_merge_members_into(&sink, out, a, na, b, nb);
		for (int64 i = 0; i < pa.n; i++)
			sink_part(&pl, pa.p[i].id, pa.p[i].code, pa.p[i].v);
		check(verify(all, 10000, out, k, &pl), "merge of two sorted, folded arrays: sorted, folded, exact");

		/* the same content through an in-place merge of adjacent runs */
		memcpy(out, a, sizeof(VicProfileMember) * na);
		memcpy(out + na, b, sizeof(VicProfileMember) * nb);
		profile_merge_adjacent_runs(out, na, na + nb);
		pl.n = 0;
		for (int64 i = 0; i < pa.n; i++)
			sink_part(&pl, pa.p[i].id, pa.p[i].code, pa.p[i].v);
		k = profile_fold_members(&sink, out, na + nb);
		check(verify(all, 10000, out, k, &pl), "merge of adjacent runs in place, then fold: the same content");
		free(a);
		free(b);
		free(all);
		free(out);
		free(pa.p);
		free(pl.p);
	}

	/* mutations the checker must catch */
	{
		VicProfileMember in[3] = {
			{5, INT64CONST(1) << 32 | 1 << 20, 1.0},
			{5, INT64CONST(1) << 32 | 1 << 20 | VIC_MEMBER_LOCATED, 1e-30},
			{3, INT64CONST(1) << 32 | 2 << 20, 2.0}
		};
		VicProfileMember out[3];
		PartList	pl = {0};
		VicFoldSink sink = {sink_part, &pl};
		int64		k;

		memcpy(out, in, sizeof(in));
		k = profile_sort_fold_members(&sink, out, 3);
		check(k == 2 && pl.n == 1 && verify(in, 3, out, k, &pl),
		   "1 + 1e-30 folds to 1 and hands 1e-30 to the sink");

		pl.n = 0;
		pl.drop = true;
		memcpy(out, in, sizeof(in));
		k = profile_sort_fold_members(&sink, out, 3);
		pl.drop = false;
		check(!verify(in, 3, out, k, &pl), "mutation caught: a fold that loses the rounding error");

		pl.n = 0;
		memcpy(out, in, sizeof(in));
		k = profile_sort_fold_members(&sink, out, 3);
		out[1].code &= ~VIC_MEMBER_LOCATED;
		check(!verify(in, 3, out, k, &pl), "mutation caught: a fold that drops the location bit");

		pl.n = 0;
		memcpy(out, in, sizeof(in));
		k = profile_sort_fold_members(&sink, out, 3);
		swap(out, 0, 1);
		check(!verify(in, 3, out, k, &pl), "mutation caught: entries out of order");

		pl.n = 0;
		memcpy(out, in, sizeof(in));
		k = profile_sort_fold_members(&sink, out, 3);
		out[0].weight += 1.0;
		check(!verify(in, 3, out, k, &pl), "mutation caught: a wrong weight");

		pl.n = 0;
		memcpy(out, in, sizeof(in));
		k = profile_sort_fold_members(&sink, out, 3);
		check(!verify(in, 3, out, k - 1, &pl), "mutation caught: an entry lost");
		free(pl.p);
	}

	return tap_done();
}
