/*
 * profile_sort.c
 *		The member sort engine of vic.profile: member entries sorted by (id,
 *		industry), duplicates folded exactly (profile_sort.h).
 *
 * Input that arrives nearly in id order (a table scanned in storage order,
 * updated rows a few places off, a synchronized scan that starts
 * mid-table) is sorted by bounded insertion and run merges; anything else
 * by an in-place radix sort.  Folding two equal entries adds their weights
 * with TwoSum and gives the rounding error to the caller's fold sink, so no
 * weight is ever rounded twice.  test/unit/profile_sort_test.c checks the
 * engine against qsort.
 */
#include "postgres.h"

#include <math.h>

#include "miscadmin.h"

#include "common/xsum.h"
#include "profile_sort.h"

#define ST_SORT			sort_members
#define ST_ELEMENT_TYPE VicProfileMember
#define ST_COMPARE(a, b)	member_cmp_inline(a, b)
#define ST_SCOPE		static
#define ST_DECLARE
#define ST_DEFINE
#include "lib/sort_template.h"

/* below this many entries a comparison sort (in cache) beats a radix pass */
#define VIC_RADIX_SMALL	64

/*
 * In-place MSD radix sort ("American flag sort": McIlroy, Bostic & McIlroy,
 * Engineering radix sort, Computing Systems 6(1), 1993) of member entries by
 * id - lo, the digit at `shift` first; entries with equal ids end up
 * ordered by code.  No second buffer: on machines where fresh pages are
 * expensive, a buffer as large as the member array costs more than the
 * sort itself.
 */
static void
radix_sort_members_at(VicProfileMember *a, int64 n, uint64 lo, int shift)
{
	int64		count[256] = {0};
	int64		next[256];
	int64		end[256];
	int64		sum = 0;

#define RADIX_DIGIT(e)	(((((uint64) (e).id ^ (UINT64CONST(1) << 63)) - lo) >> shift) & 0xFF)
	if (n < VIC_RADIX_SMALL)
	{
		sort_members(a, n);
		return;
	}
	for (int64 i = 0; i < n; i++)
		count[RADIX_DIGIT(a[i])]++;
	for (int d = 0; d < 256; d++)
	{
		next[d] = sum;
		sum += count[d];
		end[d] = sum;
	}
	/* permute in place: follow each cycle of displaced entries */
	for (int d = 0; d < 256; d++)
	{
		while (next[d] < end[d])
		{
			VicProfileMember e = a[next[d]];
			int			dd = RADIX_DIGIT(e);

			while (dd != d)
			{
				VicProfileMember t = a[next[dd]];

				a[next[dd]++] = e;
				e = t;
				dd = RADIX_DIGIT(e);
			}
			a[next[d]++] = e;
		}
	}
#undef RADIX_DIGIT
	if (n > 1048576)
		CHECK_FOR_INTERRUPTS();
	sum = 0;
	for (int d = 0; d < 256; d++)
	{
		if (count[d] > 1)
		{
			if (shift > 0)
				radix_sort_members_at(a + sum, count[d], lo, shift - 8);
			else
				sort_members(a + sum, count[d]);	/* one id: order by code */
		}
		sum += count[d];
	}
}

/* sort member entries by (id, code) with a radix sort on the bytes the ids span */
static void
radix_sort_members(VicProfileMember *a, int64 n)
{
	uint64		lo = PG_UINT64_MAX;
	uint64		hi = 0;
	int			shift = 0;

	for (int64 i = 0; i < n; i++)
	{
		uint64		k = (uint64) a[i].id ^ (UINT64CONST(1) << 63);

		lo = Min(lo, k);
		hi = Max(hi, k);
	}
	while (shift < 56 && ((hi - lo) >> (shift + 8)) != 0)
		shift += 8;
	radix_sort_members_at(a, n, lo, shift);
}

/* from this many entries on the radix sort beats a comparison sort */
#define VIC_RADIX_MIN	4096

/*
 * fold entry x into e, its equal (same id and industry): the weights add
 * exactly, the rounding error going to the sink
 */
static inline void
fold_member(const VicFoldSink *sink, VicProfileMember *e, const VicProfileMember *x)
{
	double		s;
	double		err;

	vic_two_sum(e->weight, x->weight, &s, &err);
	if (unlikely(!isfinite(s)))
		vic_xsum_overflow();
	e->weight = s;
	e->code |= x->code;
	if (unlikely(err != 0))
		sink->part(sink->arg, e->id, VIC_MEMBER_CODE(e->code), err);
}

/* fold adjacent equal entries of a sorted array in place; returns the new count */
int64
profile_fold_members(const VicFoldSink *sink, VicProfileMember *m, int64 n)
{
	int64		k = 0;

	for (int64 i = 0; i < n; i++)
	{
		if (k > 0 && member_cmp_inline(&m[k - 1], &m[i]) == 0)
			fold_member(sink, &m[k - 1], &m[i]);
		else
			m[k++] = m[i];
	}
	return k;
}

/* places an entry may move back by insertion before it starts a new run */
#define VIC_SHIFT_MAX	64
/* more runs than this, or more entries moved than this many per entry: radix sort instead */
#define VIC_RUNS_MAX	16
#define VIC_SHIFT_BUDGET	4

/*
 * Sort nearly sorted entries in place, the way rows stored in id order
 * arrive: an entry out of order moves back by insertion (folding into an
 * equal one), and one that would have to move back more than VIC_SHIFT_MAX
 * places starts a new sorted run.  Rows updated in place sit a few places
 * off in their page; a synchronized scan, which starts where another scan
 * is, delivers a table as two runs.  Returns the entries kept, with the
 * run ends in ends[0..*nruns), or, past VIC_RUNS_MAX runs or
 * VIC_SHIFT_BUDGET moves per entry (so the pass stays linear),
 * -(count) - 1 with the content kept but unordered.
 */
static int64
split_runs(const VicFoldSink *sink, VicProfileMember *m, int64 n, int64 *ends, int *nruns)
{
	int64		k = 0;
	int64		rs = 0;
	int			nr = 0;
	int64		moved = 0;
	int64		i;

	for (i = 0; i < n; i++)
	{
		VicProfileMember x = m[i];
		int			c = k > rs ? member_cmp_inline(&m[k - 1], &x) : -1;
		int64		lim;
		int64		j;

		if ((i & 0xFFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (c < 0)
		{
			m[k++] = x;
			continue;
		}
		if (c == 0)
		{
			fold_member(sink, &m[k - 1], &x);
			continue;
		}
		lim = Max(rs, k - VIC_SHIFT_MAX);
		j = k - 1;
		while (j > lim && member_cmp_inline(&m[j - 1], &x) > 0)
			j--;
		if (j == lim && j > rs && member_cmp_inline(&m[j - 1], &x) > 0)
		{
			/* too far back: x starts a new run */
			ends[nr++] = k;
			if (nr >= VIC_RUNS_MAX)
				break;			/* not a few runs after all */
			rs = k;
			m[k++] = x;
			continue;
		}
		if (j > rs && member_cmp_inline(&m[j - 1], &x) == 0)
		{
			fold_member(sink, &m[j - 1], &x);
			continue;
		}
		moved += k - j;
		if (moved > VIC_SHIFT_BUDGET * n)
			break;				/* not nearly sorted after all */
		memmove(m + j + 1, m + j, sizeof(VicProfileMember) * (k - j));
		m[j] = x;
		k++;
	}
	if (i < n)
	{
		memmove(m + k, m + i, sizeof(VicProfileMember) * (n - i));
		return -(k + n - i) - 1;
	}
	ends[nr++] = k;
	*nruns = nr;
	return k;
}

/* reverse m[0..n) in place */
static void
reverse_members(VicProfileMember *m, int64 n)
{
	for (int64 i = 0, j = n - 1; i < j; i++, j--)
	{
		VicProfileMember t = m[i];

		m[i] = m[j];
		m[j] = t;
	}
}

/*
 * Merge the adjacent sorted runs m[0..mid) and m[mid..n) in place, equal
 * entries left adjacent (folded later).  Disjoint runs need no buffer: they
 * are in order already, or swapped by a rotation (three reversals,
 * Bentley, Programming Pearls, 1986, column 2); otherwise the shorter run is copied aside.
 */
void
profile_merge_adjacent_runs(VicProfileMember *m, int64 mid, int64 n)
{
	VicProfileMember *t;

	if (mid == 0 || mid == n || member_cmp_inline(&m[mid - 1], &m[mid]) <= 0)
		return;
	if (member_cmp_inline(&m[n - 1], &m[0]) < 0)
	{
		reverse_members(m, mid);
		reverse_members(m + mid, n - mid);
		reverse_members(m, n);
		return;
	}
	if (n - mid <= mid)
	{
		/* copy the second run aside and merge from the back */
		int64		nb = n - mid;
		int64		i = mid - 1;
		int64		j = nb - 1;
		int64		out = n;

		t = palloc_extended(sizeof(VicProfileMember) * nb, MCXT_ALLOC_HUGE);
		memcpy(t, m + mid, sizeof(VicProfileMember) * nb);
		while (j >= 0)
		{
			if ((j & 0xFFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			if (i >= 0 && member_cmp_inline(&m[i], &t[j]) > 0)
				m[--out] = m[i--];
			else
				m[--out] = t[j--];
		}
	}
	else
	{
		/* copy the first run aside and merge from the front */
		int64		i = 0;
		int64		j = mid;
		int64		out = 0;

		t = palloc_extended(sizeof(VicProfileMember) * mid, MCXT_ALLOC_HUGE);
		memcpy(t, m, sizeof(VicProfileMember) * mid);
		while (i < mid)
		{
			if ((i & 0xFFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			if (j < n && member_cmp_inline(&m[j], &t[i]) < 0)
				m[out++] = m[j++];
			else
				m[out++] = t[i++];
		}
	}
	pfree(t);
}

/* sort n member entries by (id, code) and fold duplicates; returns the new count */
int64
profile_sort_fold_members(const VicFoldSink *sink, VicProfileMember *m, int64 n)
{
	int64		ends[VIC_RUNS_MAX];
	int			nr = 0;
	int64		k = split_runs(sink, m, n, ends, &nr);

	if (k < 0)
	{
		n = -k - 1;
		if (n >= VIC_RADIX_MIN)
			radix_sort_members(m, n);
		else
			sort_members(m, n);
		return profile_fold_members(sink, m, n);
	}
	if (nr == 1)
		return k;
	for (int r = 1; r < nr; r++)
	{
		profile_merge_adjacent_runs(m, ends[r - 1], ends[r]);
		CHECK_FOR_INTERRUPTS();
	}
	return profile_fold_members(sink, m, k);
}

/*
 * Merge the sorted, folded arrays a and b into out (room for na + nb),
 * folding equal entries; returns the entries written.
 */
int64
profile_merge_members_into(const VicFoldSink *sink, VicProfileMember *out, const VicProfileMember *a, int64 na,
				   const VicProfileMember *b, int64 nb)
{
	int64		i = 0;
	int64		j = 0;
	int64		k = 0;

	while (i < na || j < nb)
	{
		VicProfileMember next;

		if (((i + j) & 0xFFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (j >= nb || (i < na && member_cmp_inline(&a[i], &b[j]) <= 0))
			next = a[i++];
		else
			next = b[j++];
		if (k > 0 && member_cmp_inline(&out[k - 1], &next) == 0)
			fold_member(sink, &out[k - 1], &next);
		else
			out[k++] = next;
	}
	return k;
}

