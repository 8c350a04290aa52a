/*
 * profile.c
 *		vic.profile: the mergeable membership summary.  The expanded form used
 *		as an aggregate state, the flat form, the aggregates and the tables the
 *		metrics read.  Text and binary I/O: profile_io.c; accessors and
 *		metrics: profile_metrics.c.
 *
 * The aggregate state is vic.profile itself, kept as an expanded object
 * (utils/expandeddatum.h) updated in place: a row costs a look-up of its
 * region in the call site's name cache, one append to the member array and
 * either one add to a dense (region, industry) matrix or nothing more (its
 * cell is counted when the group compacts its entries); nothing is copied.
 * Flattening sorts every table, so the flat form, and hence the text form,
 * is canonical.  doc/architecture.md walks through the data path.
 */
#include "postgres.h"

#include <math.h>
#ifndef WIN32
#include <sys/mman.h>
#endif

#include "access/detoast.h"
#include "catalog/pg_aggregate.h"
#include "common/hashfn.h"
#include "common/shortest_dec.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "nodes/execnodes.h"
#include "nodes/plannodes.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/memutils.h"
#include "utils/syscache.h"

#include "profile.h"
#include "common/sphere.h"
#include "common/xsum.h"

/* ---------------------------------------------------------------------
 * Expanded form
 * ---------------------------------------------------------------------
 */
/*
 * A cell's key packs (industry code, region id) into one word: a code uses
 * bits 35..4 (vic.h), so code >> 4 fits 32 bits, and region id + 1 (0 for
 * the NULL region) fills the low 32 bits.  A 24-byte entry without a stored
 * hash keeps the per-group tables of a grouped aggregate small.
 */
typedef uint64 CellKey;

#define CELL_KEY(code, region) \
	(((uint64) (code) >> 4) << 32 | (uint64) (uint32) ((region) + 1))
#define CELL_CODE(key)		((int64) (((key) >> 32) << 4))
#define CELL_REGION(key)	((int32) (uint32) (key) - 1)

/*
 * A pending member entry appended by the transition function carries in
 * bits 36..61 of its code word (an industry uses bits 35..4, vic.h; bit 62
 * is VIC_MEMBER_LOCATED) the region of its row: the row's (region,
 * industry) cell is counted when the pending entries are compacted, not
 * when the row arrives.  Tag 0: no cell to count (it is counted already);
 * 1: the NULL region; t >= 2: region number t - 2 of the call-site cache.
 */
#define MEMBER_TAG_SHIFT	36
#define MEMBER_TAG_MAX		((INT64CONST(1) << 26) - 1)
#define MEMBER_TAG_MASK		(MEMBER_TAG_MAX << MEMBER_TAG_SHIFT)
#define MEMBER_TAG(c)		((int32) (((c) & MEMBER_TAG_MASK) >> MEMBER_TAG_SHIFT))
#define MEMBER_TAG_NULL		1

typedef struct CellEntry
{
	CellKey		key;
	VicXsum		sum;			/* exact with the cell's parts in ep->parts */
	char		status;
} CellEntry;

/*
 * A further part of an exact sum in the expanded form: what hi + lo of an
 * accumulator, or a member entry's weight, could not hold (xsum.h), keyed
 * by what it belongs to.  Rare: integer-valued weights never leave any.
 */
typedef struct SumPart
{
	int64		k1;				/* moment index, cell key or member id */
	int64		k2;				/* a member's industry code, else 0 */
	float8		v;
	int32		kind;			/* VIC_SUM_MOMENT, VIC_SUM_CELL, VIC_SUM_MEMBER */
} SumPart;

typedef struct RegionKey
{
	const char *name;
	int			len;
} RegionKey;

typedef struct RegionEntry
{
	RegionKey	key;
	int32		id;
	uint32		hash;
	char		status;
} RegionEntry;

/* the call-site cache of region names of the transition function */
typedef struct RegionIntern RegionIntern;

/* 64-bit finaliser of splitmix64 (Steele, Lea & Flood 2014) folded to 32 bits */
static inline uint32
mix64(uint64 x)
{
	x ^= x >> 30;
	x *= UINT64CONST(0xbf58476d1ce4e5b9);
	x ^= x >> 27;
	x *= UINT64CONST(0x94d049bb133111eb);
	x ^= x >> 31;
	return (uint32) x;
}

/* order of member entries: id, then code without the location bit */
static inline int
member_cmp_inline(const VicProfileMember *x, const VicProfileMember *y)
{
	int64		cx = VIC_MEMBER_CODE(x->code);
	int64		cy = VIC_MEMBER_CODE(y->code);

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	if (cx != cy)
		return cx < cy ? -1 : 1;
	return 0;
}

#define ST_SORT			sort_members
#define ST_ELEMENT_TYPE VicProfileMember
#define ST_COMPARE(a, b)	member_cmp_inline(a, b)
#define ST_SCOPE		static
#define ST_DECLARE
#define ST_DEFINE
#include "lib/sort_template.h"

#define SH_PREFIX		cellh
#define SH_ELEMENT_TYPE CellEntry
#define SH_KEY_TYPE		CellKey
#define SH_KEY			key
#define SH_HASH_KEY(tb, k)	mix64(k)
#define SH_EQUAL(tb, a, b)	((a) == (b))
#define SH_SCOPE		static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

#define SH_PREFIX		regh
#define SH_ELEMENT_TYPE RegionEntry
#define SH_KEY_TYPE		RegionKey
#define SH_KEY			key
#define SH_HASH_KEY(tb, k)	hash_bytes((const unsigned char *) (k).name, (k).len)
#define SH_EQUAL(tb, a, b)	((a).len == (b).len && memcmp((a).name, (b).name, (a).len) == 0)
#define SH_STORE_HASH
#define SH_GET_HASH(tb, a)	((a)->hash)
#define SH_SCOPE		static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

typedef struct IndEntry
{
	int64		code;
	int32		no;
	char		status;
} IndEntry;

#define SH_PREFIX		indh
#define SH_ELEMENT_TYPE IndEntry
#define SH_KEY_TYPE		int64
#define SH_KEY			code
#define SH_HASH_KEY(tb, k)	mix64((uint64) (k))
#define SH_EQUAL(tb, a, b)	((a) == (b))
#define SH_SCOPE		static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

#define VIC_PROFILE_MAGIC	0x56504631	/* "VPF1" */

/* stretches from this size on are prefaulted (profile_prefault) */
#define VIC_POPULATE_MIN	((Size) 1 << 20)
/* initial member entries of a group of a grouped aggregate, at most (96 kB) */
#define VIC_GROUP_PRESIZE	4096
/* buffers from this size on get huge pages (profile_advise_huge) */
#define VIC_HUGE_MIN		((Size) 32 << 20)
/* member entries prefaulted at a time ahead of the appends (6 MB) */
#define VIC_POPULATE_STEP	262144

struct ProfileExp
{
	ExpandedObjectHeader hdr;
	int			magic;
	uint8		flags;
	int			scheme;
	VicProfileMember *marr;		/* member entries, appended per row */
	int64		mcount;
	int64		mcap;
	int64		mlimit;			/* appends up to here need no check (<= mcap) */
	bool		huge;			/* is marr on huge pages (profile_advise_huge)? */
	int64		msorted;		/* prefix that is sorted and free of duplicates */
	bool		fold_pays;		/* did the last compaction fold many duplicates? */
	cellh_hash *cells;
	regh_hash  *regions;		/* name -> id; NULL while every name came
								 * through the call-site cache (distinct) */
	RegionKey  *region_names;	/* by region id */
	int			nregions;
	int			region_cap;
	RegionIntern *intern;		/* the call-site cache the region tags of
								 * pending entries refer to */
	bool		tagged;			/* do pending entries carry region tags? */
	float8	   *dense;			/* cells by (call-site region number, call-site
								 * industry number), -1 where absent; NULL if none */
	int32		dense_r;		/* rows (region numbers) of dense */
	int32		dense_i;		/* columns (industry numbers) of dense */
	int32	   *gmap;			/* call-site region number -> region id, or -1 */
	int32		gmap_len;
	VicXsum4	mom;			/* located weight, sum of w * unit vector */
	SumPart    *parts;			/* further parts of exact sums */
	int64		nparts;
	int64		parts_cap;
	int64		parts_folded;	/* parts left by the last fold */
	VicProfile *flat;			/* cached header and tables of the flat form
								 * (members not included), NULL when stale */
	VicProfileSumPart *flat_parts;	/* the flat form's parts, with flat */
};

static void profile_check_size(uint64 size);
static Size profile_get_flat_size(ExpandedObjectHeader *eohptr);
static void profile_flatten_into(ExpandedObjectHeader *eohptr,
								 void *result, Size allocated_size);

static const ExpandedObjectMethods profile_methods = {
	profile_get_flat_size,
	profile_flatten_into
};

/* a new, empty expanded profile in a child context of parent */
ProfileExp *
profile_exp_new(MemoryContext parent, uint8 flags)
{
	MemoryContext cxt = AllocSetContextCreate(parent, "vic profile",
											  ALLOCSET_DEFAULT_SIZES);
	ProfileExp *ep = MemoryContextAllocZero(cxt, sizeof(ProfileExp));

	EOH_init_header(&ep->hdr, &profile_methods, cxt);
	ep->magic = VIC_PROFILE_MAGIC;
	ep->flags = flags;
	ep->mcap = ep->mlimit = 64;
	ep->fold_pays = true;
	ep->marr = MemoryContextAlloc(cxt, sizeof(VicProfileMember) * ep->mcap);
	ep->cells = cellh_create(cxt, 64, NULL);
	ep->region_cap = 16;
	ep->region_names = MemoryContextAlloc(cxt, sizeof(RegionKey) * ep->region_cap);
	return ep;
}

/* drop the cached flat form after a mutation */
static inline void
profile_exp_dirty(ProfileExp *ep)
{
	if (ep->flat)
	{
		pfree(ep->flat);
		ep->flat = NULL;
		if (ep->flat_parts)
			pfree(ep->flat_parts);
		ep->flat_parts = NULL;
	}
}

/* order of parts: kind, then key */
static int
sum_part_cmp(const void *a, const void *b)
{
	const SumPart *x = a;
	const SumPart *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->k1 != y->k1)
		return x->k1 < y->k1 ? -1 : 1;
	if (x->k2 != y->k2)
		return x->k2 < y->k2 ? -1 : 1;
	return 0;
}

/*
 * Replace the parts of each key by the canonical parts of their exact sum:
 * the list shrinks to a few parts per key, and the value is unchanged.
 */
static void
profile_exp_fold_parts(ProfileExp *ep)
{
	int64		k = 0;
	int64		i = 0;

	qsort(ep->parts, ep->nparts, sizeof(SumPart), sum_part_cmp);
	while (i < ep->nparts)
	{
		int64		j = i;
		double		out[VIC_XSUM_MAXPARTS];
		double	   *vals;
		int			n;

		while (j < ep->nparts && sum_part_cmp(&ep->parts[i], &ep->parts[j]) == 0)
			j++;
		vals = palloc(sizeof(double) * (j - i));
		for (int64 t = i; t < j; t++)
			vals[t - i] = ep->parts[t].v;
		n = vic_xsum_canonical(vals, (int) (j - i), out);
		pfree(vals);
		for (int t = 0; t < n; t++)
		{
			SumPart		sp = ep->parts[i];

			sp.v = out[t];
			ep->parts[k++] = sp;
		}
		i = j;
		CHECK_FOR_INTERRUPTS();
	}
	ep->nparts = ep->parts_folded = k;
}

/* keep a further part v of the exact sum of kind and key (k1, k2) */
static void
profile_exp_add_part(ProfileExp *ep, int32 kind, int64 k1, int64 k2, float8 v)
{
	SumPart    *sp;

	if (unlikely(ep->nparts >= ep->parts_cap))
	{
		if (ep->nparts >= 4096 && ep->nparts > 2 * ep->parts_folded)
			profile_exp_fold_parts(ep);
		if (ep->nparts >= ep->parts_cap)
		{
			int64		cap = Max(64, ep->parts_cap * 2);

			if (ep->parts == NULL)
				ep->parts = MemoryContextAllocExtended(ep->hdr.eoh_context,
													   sizeof(SumPart) * cap,
													   MCXT_ALLOC_HUGE);
			else
				ep->parts = repalloc_huge(ep->parts, sizeof(SumPart) * cap);
			ep->parts_cap = cap;
		}
	}
	sp = &ep->parts[ep->nparts++];
	sp->kind = kind;
	sp->k1 = k1;
	sp->k2 = k2;
	sp->v = v;
}

/* add v exactly to location moment `which` */
static inline void
profile_moment_add(ProfileExp *ep, int which, float8 v)
{
	double		x[4] = {0, 0, 0, 0};
	double		spill[4];

	x[which] = v;
	if (unlikely(vic_xsum_add4(&ep->mom, x, spill)))
		profile_exp_add_part(ep, VIC_SUM_MOMENT, which, 0, spill[which]);
}

/* add a located row's weight w and w times its unit vector (x, y, z) exactly */
static inline void
profile_moments_add(ProfileExp *ep, double w, double x, double y, double z)
{
	double		v[4] = {w, w * x, w * y, w * z};
	double		spill[4];

	if (unlikely(vic_xsum_add4(&ep->mom, v, spill)))
	{
		for (int k = 0; k < 4; k++)
			if (spill[k] != 0)
				profile_exp_add_part(ep, VIC_SUM_MOMENT, k, 0, spill[k]);
	}
}

/* record the industry scheme, refusing a second one */
void
profile_exp_scheme(ProfileExp *ep, int scheme)
{
	if (ep->scheme == scheme || scheme == 0)
		return;
	if (ep->scheme == 0)
	{
		ep->scheme = scheme;
		return;
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("profile mixes industry classification schemes"),
			 errdetail("A profile holds codes of one scheme; scheme %d cannot join a profile of scheme %d.",
					   scheme, ep->scheme)));
}

/* append a region name that ep does not hold yet; returns its id */
static int32
profile_exp_region_append(ProfileExp *ep, const char *name, int len)
{
	char	   *copy = MemoryContextAlloc(ep->hdr.eoh_context, len + 1);

	memcpy(copy, name, len);
	copy[len] = '\0';
	if (ep->nregions >= ep->region_cap)
	{
		ep->region_cap *= 2;
		ep->region_names = repalloc(ep->region_names,
									sizeof(RegionKey) * ep->region_cap);
	}
	ep->region_names[ep->nregions].name = copy;
	ep->region_names[ep->nregions].len = len;
	return ep->nregions++;
}

/*
 * id of a region name in ep, adding it when new.  The name table is built
 * on first use: names that came through the call-site cache of the
 * transition function are distinct already and need no table.
 */
int32
profile_exp_region(ProfileExp *ep, const char *name, int len)
{
	RegionKey	key;
	RegionEntry *e;
	bool		found;

	if (ep->regions == NULL)
	{
		ep->regions = regh_create(ep->hdr.eoh_context, Max(16, ep->nregions * 2), NULL);
		for (int i = 0; i < ep->nregions; i++)
		{
			e = regh_insert(ep->regions, ep->region_names[i], &found);
			Assert(!found);
			e->id = i;
		}
	}
	key.name = name;
	key.len = len;
	e = regh_insert(ep->regions, key, &found);
	if (!found)
	{
		e->id = profile_exp_region_append(ep, name, len);
		e->key = ep->region_names[e->id];
	}
	return e->id;
}

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
 * exactly, the rounding error becoming a part of e's weight in ep
 */
static inline void
fold_member(ProfileExp *ep, VicProfileMember *e, const VicProfileMember *x)
{
	double		s;
	double		err;

	vic_two_sum(e->weight, x->weight, &s, &err);
	if (unlikely(!isfinite(s)))
		vic_xsum_overflow();
	e->weight = s;
	e->code |= x->code;
	if (unlikely(err != 0))
		profile_exp_add_part(ep, VIC_SUM_MEMBER, e->id, VIC_MEMBER_CODE(e->code), err);
}

/* fold adjacent equal entries of a sorted array in place; returns the new count */
static int64
fold_members(ProfileExp *ep, VicProfileMember *m, int64 n)
{
	int64		k = 0;

	for (int64 i = 0; i < n; i++)
	{
		if (k > 0 && member_cmp_inline(&m[k - 1], &m[i]) == 0)
			fold_member(ep, &m[k - 1], &m[i]);
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
split_runs(ProfileExp *ep, VicProfileMember *m, int64 n, int64 *ends, int *nruns)
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
			fold_member(ep, &m[k - 1], &x);
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
			fold_member(ep, &m[j - 1], &x);
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
static void
merge_adjacent_runs(VicProfileMember *m, int64 mid, int64 n)
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
static int64
profile_sort_fold_members(ProfileExp *ep, VicProfileMember *m, int64 n)
{
	int64		ends[VIC_RUNS_MAX];
	int			nr = 0;
	int64		k = split_runs(ep, m, n, ends, &nr);

	if (k < 0)
	{
		n = -k - 1;
		if (n >= VIC_RADIX_MIN)
			radix_sort_members(m, n);
		else
			sort_members(m, n);
		return fold_members(ep, m, n);
	}
	if (nr == 1)
		return k;
	for (int r = 1; r < nr; r++)
	{
		merge_adjacent_runs(m, ends[r - 1], ends[r]);
		CHECK_FOR_INTERRUPTS();
	}
	return fold_members(ep, m, k);
}

static void profile_exp_merge_run(ProfileExp *ep, const VicProfileMember *b, int64 nb);
static int32 profile_exp_tag_region(ProfileExp *ep, int32 tag);
static void profile_exp_flush_dense(ProfileExp *ep);

/*
 * Count the cells of the pending entries that carry a region tag (the rows
 * of the transition function), then clear the tags.  One pass over a
 * group's own rows keeps its cell table in cache, where probing it per row,
 * across a thousand groups, missed the cache on every row.
 */
static void
profile_exp_count_cells(ProfileExp *ep)
{
	VicProfileMember *m = ep->marr;
	int32		last_tag = -1;
	int32		region = VIC_REGION_NULL;

	if (!ep->tagged)
		return;
	for (int64 i = ep->msorted; i < ep->mcount; i++)
	{
		int32		tag = MEMBER_TAG(m[i].code);

		if (tag == 0)
			continue;
		if (tag != last_tag)
		{
			region = profile_exp_tag_region(ep, tag);
			last_tag = tag;
		}
		m[i].code &= ~MEMBER_TAG_MASK;
		profile_exp_add_cell(ep, region, VIC_MEMBER_CODE(m[i].code), m[i].weight);
		if ((i & 0xFFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	ep->tagged = false;
}

/*
 * Count pending cells, sort the pending entries and fold duplicates (same id
 * and industry: weights add up, located if any was) into the sorted prefix.
 * Members are kept as an append-only array rather than a hash table: a row
 * is one 24-byte append, and the sort that the canonical flat form needs
 * anyway doubles as deduplication.
 */
static void
profile_exp_compact(ProfileExp *ep)
{
	VicProfileMember *pend;
	int64		npend;
	int64		k;

	if (ep->msorted == ep->mcount)
		return;
	profile_exp_count_cells(ep);
	pend = ep->marr + ep->msorted;
	npend = ep->mcount - ep->msorted;
	k = profile_sort_fold_members(ep, pend, npend);
	ep->fold_pays = k < npend - npend / 4;
	if (ep->msorted == 0 ||
		member_cmp_inline(&ep->marr[ep->msorted - 1], &pend[0]) < 0)
	{
		/* the folded run extends the sorted prefix as it is */
		ep->mcount = ep->msorted = ep->msorted + k;
		return;
	}
	{
		VicProfileMember *run = palloc_extended(sizeof(VicProfileMember) * k,
												MCXT_ALLOC_HUGE);

		memcpy(run, pend, sizeof(VicProfileMember) * k);
		ep->mcount = ep->msorted;
		profile_exp_merge_run(ep, run, k);
		pfree(run);
	}
}

/*
 * Prefault a stretch of a large buffer about to be written, in one system
 * call where the kernel offers it (Linux 5.14, MADV_POPULATE_WRITE).  On a
 * virtual machine a page fault per fresh 4 kB page costs microseconds: a
 * 10^7-member profile writes 240 MB, and faulting it in page by page cost
 * 0.68 s against 0.39 s prefaulted (measured on the benchmark machine).
 * Advice only: where it is refused nothing changes.
 */
static void
profile_prefault(void *p, Size len)
{
#if !defined(WIN32) && defined(MADV_POPULATE_WRITE)
	uintptr_t	start = TYPEALIGN(4096, (uintptr_t) p);
	uintptr_t	end = TYPEALIGN_DOWN(4096, (uintptr_t) p + len);

	if (end >= start + VIC_POPULATE_MIN)
		(void) madvise((void *) start, end - start, MADV_POPULATE_WRITE);
#endif
}

/*
 * Ask for huge pages for a buffer of its own mapping (at least
 * VIC_HUGE_MIN bytes, above glibc's largest mmap threshold), advising the
 * whole mapping so that it is not split.  With 4 kB pages, a virtual
 * machine re-faults pages that were written long before they are read
 * again: reading back a 240 MB member array after a scan took 0.12 s
 * against 0.01 s with huge pages (measured on the benchmark machine).
 * Returns whether the advice was taken.
 */
static bool
profile_advise_huge(void *p, Size len)
{
#if !defined(WIN32) && defined(MADV_HUGEPAGE)
	uintptr_t	start = TYPEALIGN_DOWN(4096, (uintptr_t) p);
	uintptr_t	end = TYPEALIGN(4096, (uintptr_t) p + len);

	if (len >= VIC_HUGE_MIN)
		return madvise((void *) start, end - start, MADV_HUGEPAGE) == 0;
#endif
	return false;
}

/*
 * Give ep's member array room for cap entries.  A large array (on huge
 * pages, or growing to VIC_HUGE_MIN bytes) is copied to a new one on huge
 * pages rather than reallocated: remapping huge pages (mremap) was slower
 * than the copy, and a remapped array faults again when it is next read.
 */
static void
profile_exp_resize(ProfileExp *ep, int64 cap)
{
	Size		size = sizeof(VicProfileMember) * (Size) cap;

	if (ep->huge || size >= VIC_HUGE_MIN)
	{
		VicProfileMember *arr = MemoryContextAllocExtended(ep->hdr.eoh_context, size,
														   MCXT_ALLOC_HUGE);

		ep->huge = profile_advise_huge(arr, size);
		profile_prefault(arr, sizeof(VicProfileMember) * ep->mcount);
		memcpy(arr, ep->marr, sizeof(VicProfileMember) * ep->mcount);
		pfree(ep->marr);
		ep->marr = arr;
	}
	else
		ep->marr = repalloc_huge(ep->marr, size);
	ep->mcap = cap;
}

/* make room for n more member entries */
static void
profile_exp_reserve(ProfileExp *ep, int64 n)
{
	if (ep->mcount + n <= ep->mcap)
		return;

	/*
	 * Fold duplicates first when the array is mostly unsorted appends and
	 * folding has paid off before (small arrays are always worth a try).
	 */
	if (n == 1 && ep->mcount - ep->msorted > ep->mcount / 2 &&
		(ep->fold_pays || ep->mcap <= 65536))
	{
		profile_exp_compact(ep);
		if (ep->mcount + n <= ep->mcap / 2)
			return;
	}
	/* members alone beyond the varlena limit: fold, and fail if that is not enough */
	if ((uint64) (ep->mcount + n) * sizeof(VicProfileMember) > MaxAllocSize)
	{
		profile_exp_compact(ep);
		profile_check_size(PROFILE_SIZE(ep->mcount + n, 0, 0, 0, 0, 0));
	}
	{
		int64		cap = ep->mcap;

		while (ep->mcount + n > cap)
			cap *= 2;
		profile_exp_resize(ep, Min(cap, (int64) (MaxAllocSize / sizeof(VicProfileMember)) + 1));
	}
}

/*
 * Merge the sorted, folded arrays a and b into out (room for na + nb),
 * folding equal entries; returns the entries written.
 */
static int64
merge_members_into(ProfileExp *ep, VicProfileMember *out, const VicProfileMember *a, int64 na,
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
			fold_member(ep, &out[k - 1], &next);
		else
			out[k++] = next;
	}
	return k;
}

/*
 * Merge a sorted, folded member array into ep's, which must be compacted:
 * one linear pass, so combining parallel partial states does not re-sort
 * what the workers sorted.  When ep's array must grow, the merge writes a
 * new array (on huge pages when large) and the old one is freed: growing
 * first would copy or remap the old entries only to read them again.
 * Otherwise b is appended and the two runs merged in place
 * (merge_adjacent_runs), then equal entries folded.
 */
static void
profile_exp_merge_run(ProfileExp *ep, const VicProfileMember *b, int64 nb)
{
	VicProfileMember *a;
	int64		na = ep->mcount;

	Assert(ep->msorted == ep->mcount);
	if (nb == 0)
		return;
	if ((uint64) (na + nb) * sizeof(VicProfileMember) > MaxAllocHugeSize / 2)
		profile_check_size(PROFILE_SIZE(na + nb, 0, 0, 0, 0, 0));
	if (na + nb > ep->mcap)
	{
		Size		size = sizeof(VicProfileMember) * (Size) (na + nb);
		VicProfileMember *c = MemoryContextAllocExtended(ep->hdr.eoh_context, size,
														 MCXT_ALLOC_HUGE);

		ep->huge = profile_advise_huge(c, size);
		profile_prefault(c, size);
		ep->mcount = ep->msorted = merge_members_into(ep, c, ep->marr, na, b, nb);
		pfree(ep->marr);
		ep->marr = c;
		ep->mcap = na + nb;
		return;
	}
	a = ep->marr;
	profile_prefault(a + na, sizeof(VicProfileMember) * nb);
	memcpy(a + na, b, sizeof(VicProfileMember) * nb);
	if (na == 0 || member_cmp_inline(&a[na - 1], &b[0]) < 0)
		ep->mcount = ep->msorted = na + nb;		/* b follows a */
	else
	{
		merge_adjacent_runs(a, na, na + nb);
		ep->mcount = ep->msorted = fold_members(ep, a, na + nb);
	}
}

/* merge a sorted, folded member array of comparable size into ep's */
static void
profile_exp_merge_sorted(ProfileExp *ep, const VicProfileMember *b, int64 nb)
{
	profile_exp_compact(ep);
	profile_exp_merge_run(ep, b, nb);
}

/* make room for the next appended entry, prefaulting ahead in a large array */
static void
profile_exp_grow(ProfileExp *ep)
{
	if (ep->mcount >= ep->mcap)
		profile_exp_reserve(ep, 1);
	/* ahead by as much as is written already, so a short input prefaults little */
	ep->mlimit = Min(ep->mcap, ep->mcount + Max(Min(ep->mcount, VIC_POPULATE_STEP), 4096));
	profile_prefault(ep->marr + ep->mcount,
					 sizeof(VicProfileMember) * (ep->mlimit - ep->mcount));
}

/* add weight to a member entry */
void
profile_exp_add_member(ProfileExp *ep, int64 id, int64 code, float8 w, bool located)
{
	VicProfileMember *e;

	if (unlikely(ep->mcount >= ep->mlimit))
		profile_exp_grow(ep);
	e = &ep->marr[ep->mcount++];
	e->id = id;
	e->code = code | (located ? VIC_MEMBER_LOCATED : 0);
	e->weight = w;
}

/* add weight to a (region, industry) cell */
void
profile_exp_add_cell(ProfileExp *ep, int32 region, int64 code, float8 w)
{
	CellEntry  *e;
	bool		found;

	if (unlikely((code & 0xF) != 0 || ((uint64) code >> 36) != 0))
		elog(ERROR, "industry code %lld is not a vic.industry value", (long long) code);
	e = cellh_insert(ep->cells, CELL_KEY(code, region), &found);
	if (!found)
	{
		e->sum.hi = w;
		e->sum.lo = 0;
	}
	else
	{
		float8		r = vic_xsum_add(&e->sum, w);

		if (unlikely(r != 0))
			profile_exp_add_part(ep, VIC_SUM_CELL, (int64) e->key, 0, r);
	}
}

/* add v, a further part of the weight of member (id, code), to ep */
void
profile_exp_add_member_part(ProfileExp *ep, int64 id, int64 code, float8 v)
{
	profile_exp_dirty(ep);
	if (v != 0)
		profile_exp_add_part(ep, VIC_SUM_MEMBER, id, VIC_MEMBER_CODE(code), v);
}

/* merge a flat profile into an expanded one */
static void
profile_exp_merge_flat(ProfileExp *ep, VicProfile *p)
{
	VicProfileMember *m = PROFILE_MEMBERS(p);
	VicProfileRegion *r = PROFILE_REGIONS(p);
	VicProfileCell *c = PROFILE_CELLS(p);
	char	   *pool = PROFILE_POOL(p);
	int32	   *rmap;

	if (ep->flags != p->flags)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge a membership tally with a profile"),
				 errdetail("The states of vic.multi_membership_share and vic.profile_agg are different kinds of summary.")));
	profile_exp_scheme(ep, p->scheme);
	profile_exp_dirty(ep);

	if (ep->mcount > 0 && p->nmembers >= ep->mcount / 4)
		profile_exp_merge_sorted(ep, m, p->nmembers);
	else
	{
		/* small inputs are appended and folded later, amortising the sort */
		profile_exp_reserve(ep, p->nmembers);
		profile_prefault(ep->marr + ep->mcount, sizeof(VicProfileMember) * p->nmembers);
		memcpy(ep->marr + ep->mcount, m, sizeof(VicProfileMember) * p->nmembers);
		if (ep->mcount == 0)
			ep->msorted = p->nmembers;	/* a flat profile's members are sorted */
		ep->mcount += p->nmembers;
	}

	rmap = palloc(sizeof(int32) * Max(p->nregions, 1));
	for (int i = 0; i < p->nregions; i++)
		rmap[i] = r[i].name_off < 0 ? VIC_REGION_NULL :
			profile_exp_region(ep, pool + r[i].name_off, r[i].name_len);
	for (int i = 0; i < p->ncells; i++)
		profile_exp_add_cell(ep, rmap[c[i].region], c[i].code, c[i].weight);

	{
		double		v[4] = {p->loc_weight, p->sx, p->sy, p->sz};
		double		spill[4];

		if (vic_xsum_add4(&ep->mom, v, spill))
			for (int k = 0; k < 4; k++)
				if (spill[k] != 0)
					profile_exp_add_part(ep, VIC_SUM_MOMENT, k, 0, spill[k]);
	}
	for (int i = 0; i < p->nparts; i++)
	{
		VicProfileSumPart *sp = &PROFILE_PARTS(p)[i];

		if (sp->kind == VIC_SUM_MOMENT)
			profile_moment_add(ep, sp->index, sp->value);
		else if (sp->kind == VIC_SUM_CELL)
			profile_exp_add_cell(ep, rmap[c[sp->index].region], c[sp->index].code,
								 sp->value);
		else
			profile_exp_add_part(ep, VIC_SUM_MEMBER, m[sp->index].id,
								 VIC_MEMBER_CODE(m[sp->index].code), sp->value);
	}
	pfree(rmap);
}

/* ---------------------------------------------------------------------
 * Flattening
 * ---------------------------------------------------------------------
 */

/* order of region names: NULL first, then bytes, then length */
int
region_name_cmp(const char *a, int alen, const char *b, int blen)
{
	int			r;

	if (a == NULL || b == NULL)
		return (a == NULL && b == NULL) ? 0 : (a == NULL ? -1 : 1);
	r = memcmp(a, b, Min(alen, blen));
	if (r != 0)
		return r;
	return alen < blen ? -1 : (alen > blen ? 1 : 0);
}

/* order of region ids by name (the table holds no NULL name) */
static inline int
region_id_cmp(const int32 *a, const int32 *b, ProfileExp *ep)
{
	const RegionKey *ka = &ep->region_names[*a];
	const RegionKey *kb = &ep->region_names[*b];
	int			r = memcmp(ka->name, kb->name, Min(ka->len, kb->len));

	if (r != 0)
		return r;
	return ka->len < kb->len ? -1 : (ka->len > kb->len ? 1 : 0);
}

#define ST_SORT			sort_region_ids
#define ST_ELEMENT_TYPE int32
#define ST_COMPARE_ARG_TYPE ProfileExp
#define ST_COMPARE(a, b, arg)	region_id_cmp(a, b, arg)
#define ST_SCOPE		static
#define ST_DECLARE
#define ST_DEFINE
#include "lib/sort_template.h"

/* order of cells: code, then region index */
static inline int
cell_code_cmp(const VicProfileCell *x, const VicProfileCell *y)
{
	if (x->code != y->code)
		return x->code < y->code ? -1 : 1;
	if (x->region != y->region)
		return x->region < y->region ? -1 : 1;
	return 0;
}

#define ST_SORT			sort_cells_by_code
#define ST_ELEMENT_TYPE VicProfileCell
#define ST_COMPARE(a, b)	cell_code_cmp(a, b)
#define ST_SCOPE		static
#define ST_DECLARE
#define ST_DEFINE
#include "lib/sort_template.h"

/* refuse a profile that cannot be one varlena */
static void
profile_check_size(uint64 size)
{
	if (size > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("profile is too large"),
				 errdetail("The summary would take %llu bytes; a profile is limited to %zu bytes (about 44 million members).",
						   (unsigned long long) size, (Size) MaxAllocSize),
				 errhint("Build profiles of smaller groups and combine their metrics.")));
}

/* index of the member entry (id, bare code) in ep's compacted array, or -1 */
static int64
profile_exp_find_member(ProfileExp *ep, int64 id, int64 code)
{
	VicProfileMember key;
	int64		lo = 0;
	int64		hi = ep->mcount - 1;

	key.id = id;
	key.code = code;
	while (lo <= hi)
	{
		int64		mid = lo + (hi - lo) / 2;
		int			c = member_cmp_inline(&ep->marr[mid], &key);

		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/*
 * Round every exact sum of ep once: each accumulator and member weight
 * becomes the correctly rounded sum c1, and ep->parts the further canonical
 * parts of each sum (xsum.h), sorted.  The values do not change, so this
 * can run at every flattening.  ep must be compacted, its dense cells
 * flushed.
 */
static void
profile_exp_normalize(ProfileExp *ep)
{
	SumPart    *old = ep->parts;
	int64		nold = ep->nparts;
	int64		i = 0;
	double	   *vals = NULL;
	int64		vcap = 0;
	cellh_iterator ci;
	CellEntry  *ce;

	ep->parts = NULL;
	ep->nparts = ep->parts_cap = ep->parts_folded = 0;
	if (nold > 0)
		qsort(old, nold, sizeof(SumPart), sum_part_cmp);

	/* one key at a time: its accumulator or weight, then its parts */
	for (int which = 0; which < 4 || i < nold;)
	{
		int32		kind;
		int64		k1;
		int64		k2;
		int64		j = i;
		int			n = 0;
		double		out[VIC_XSUM_MAXPARTS];
		int			nout;
		double	   *target;
		int64		mi = -1;

		if (which < 4 && (i >= nold || old[i].kind != VIC_SUM_MOMENT || old[i].k1 >= which))
		{
			kind = VIC_SUM_MOMENT;
			k1 = which++;
			k2 = 0;
		}
		else
		{
			kind = old[i].kind;
			k1 = old[i].k1;
			k2 = old[i].k2;
		}
		while (j < nold && old[j].kind == kind && old[j].k1 == k1 && old[j].k2 == k2)
			j++;
		if (j - i + 2 > vcap)
		{
			vcap = Max(64, 2 * (j - i + 2));
			vals = vals ? repalloc_huge(vals, sizeof(double) * vcap) :
				MemoryContextAllocExtended(CurrentMemoryContext, sizeof(double) * vcap, MCXT_ALLOC_HUGE);
		}
		if (kind == VIC_SUM_MEMBER)
		{
			mi = profile_exp_find_member(ep, k1, k2);
			if (mi < 0)
				elog(ERROR, "a part of an exact sum refers to no member");
			vals[n++] = ep->marr[mi].weight;
			target = &ep->marr[mi].weight;
		}
		else
		{
			double	   *lo;

			if (kind == VIC_SUM_MOMENT)
			{
				target = &ep->mom.hi[k1];
				lo = &ep->mom.lo[k1];
			}
			else
			{
				ce = cellh_lookup(ep->cells, (CellKey) k1);
				if (ce == NULL)
					elog(ERROR, "a part of an exact sum refers to no cell");
				target = &ce->sum.hi;
				lo = &ce->sum.lo;
			}
			vals[n++] = *target;
			vals[n++] = *lo;
			*lo = 0;
		}
		for (int64 t = i; t < j; t++)
			vals[n++] = old[t].v;
		i = j;
		nout = vic_xsum_canonical(vals, n, out);
		*target = nout > 0 ? out[0] : 0.0;
		for (int t = 1; t < nout; t++)
			profile_exp_add_part(ep, kind, k1, k2, out[t]);
		CHECK_FOR_INTERRUPTS();
	}

	/* cells whose sum hi + lo has no parts */
	cellh_start_iterate(ep->cells, &ci);
	while ((ce = cellh_iterate(ep->cells, &ci)) != NULL)
	{
		double		out[VIC_XSUM_MAXPARTS];
		double		v[2];
		int			nout;

		if (ce->sum.lo == 0)
			continue;
		v[0] = ce->sum.hi;
		v[1] = ce->sum.lo;
		nout = vic_xsum_canonical(v, 2, out);
		ce->sum.hi = nout > 0 ? out[0] : 0.0;
		ce->sum.lo = 0;
		for (int t = 1; t < nout; t++)
			profile_exp_add_part(ep, VIC_SUM_CELL, (int64) ce->key, 0, out[t]);
	}
	if (vals)
		pfree(vals);
	if (old)
		pfree(old);
	ep->parts_folded = ep->nparts;
}

/* order of flat parts: kind, index, then largest first (canonical order) */
static int
flat_part_cmp(const void *a, const void *b)
{
	const VicProfileSumPart *x = a;
	const VicProfileSumPart *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->index != y->index)
		return x->index < y->index ? -1 : 1;
	if (fabs(x->value) != fabs(y->value))
		return fabs(x->value) > fabs(y->value) ? -1 : 1;
	return 0;
}

/* bsearch order of an industry code among industry entries */
static int
industry_code_cmp(const void *key, const void *entry)
{
	int64		a = *(const int64 *) key;
	int64		b = ((const VicProfileIndustry *) entry)->code;

	return a < b ? -1 : (a > b ? 1 : 0);
}

/* index of the cell (region index, code) in the sorted flat cells c[0..n) */
static int32
flat_cell_index(const VicProfileCell *c, int n, int32 region, int64 code)
{
	int			lo = 0;
	int			hi = n - 1;

	while (lo <= hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (c[mid].region == region && c[mid].code == code)
			return mid;
		if (c[mid].region < region || (c[mid].region == region && c[mid].code < code))
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	elog(ERROR, "a part of an exact sum refers to no cell");
	return -1;					/* keep the compiler quiet */
}

/*
 * Build the header and tables of the canonical flat form of an expanded
 * profile.  The member array is not copied here: its sorted, folded form is
 * ep->marr itself, and profile_flatten_into copies it straight into the
 * destination, so a flattening writes the (large) member array once.
 */
static VicProfile *
profile_build_flat(ProfileExp *ep)
{
	int64		nm;
	int			nc;
	int			nr;
	bool		has_null = false;
	int32	   *order;
	int32	   *rmap;
	int			pool_len = 0;
	VicProfileMember *m;
	VicProfileCell *c;
	VicProfileCell *bycode;
	VicProfileIndustry *ind;
	VicProfileRegion *reg;
	char	   *pool;
	int			ni;
	VicProfile *p;
	uint64		size;
	cellh_iterator ci;
	CellEntry  *ce;
	int			k;
	int			base;

	/* members, sorted and folded; the cells of pending rows counted */
	profile_exp_compact(ep);
	profile_exp_flush_dense(ep);
	profile_exp_normalize(ep);
	nc = ep->cells->members;
	m = ep->marr;
	nm = ep->mcount;
	if (nm > PG_INT32_MAX)
		profile_check_size(PROFILE_SIZE(nm, 0, 0, 0, 0, 0));

	/* regions, sorted by name; the NULL region (if used) comes first */
	cellh_start_iterate(ep->cells, &ci);
	while ((ce = cellh_iterate(ep->cells, &ci)) != NULL)
		if (CELL_REGION(ce->key) == VIC_REGION_NULL)
			has_null = true;
	order = palloc(sizeof(int32) * Max(ep->nregions, 1));
	for (int i = 0; i < ep->nregions; i++)
	{
		order[i] = i;
		pool_len += ep->region_names[i].len;
	}
	sort_region_ids(order, ep->nregions, ep);
	base = has_null ? 1 : 0;
	nr = ep->nregions + base;
	rmap = palloc(sizeof(int32) * Max(ep->nregions, 1));
	for (int i = 0; i < ep->nregions; i++)
		rmap[order[i]] = i + base;

	/* cells sorted by (code, region): the industries are summed in that order */
	bycode = palloc_extended(sizeof(VicProfileCell) * Max(nc, 1), MCXT_ALLOC_HUGE);
	k = 0;
	cellh_start_iterate(ep->cells, &ci);
	while ((ce = cellh_iterate(ep->cells, &ci)) != NULL)
	{
		int32		region = CELL_REGION(ce->key);

		bycode[k].region = region == VIC_REGION_NULL ? 0 : rmap[region];
		bycode[k].pad = 0;
		bycode[k].code = CELL_CODE(ce->key);
		bycode[k].weight = ce->sum.hi;
		k++;
	}
	sort_cells_by_code(bycode, nc);
	ni = 0;
	for (int i = 0; i < nc; i++)
		if (i == 0 || bycode[i].code != bycode[i - 1].code)
			ni++;

	/*
	 * Cells sorted by (region, code): a stable counting sort of the
	 * code-ordered cells by region index (regions are 0..nr-1), linear
	 * instead of a second comparison sort.
	 */
	c = palloc_extended(sizeof(VicProfileCell) * Max(nc, 1), MCXT_ALLOC_HUGE);
	{
		int		   *start = palloc0(sizeof(int) * (nr + 1));

		for (int i = 0; i < nc; i++)
			start[bycode[i].region + 1]++;
		for (int i = 0; i < nr; i++)
			start[i + 1] += start[i];
		for (int i = 0; i < nc; i++)
			c[start[bycode[i].region]++] = bycode[i];
		pfree(start);
	}

	size = PROFILE_SIZE(nm, ni, nr, nc, pool_len, ep->nparts);
	profile_check_size(size);
	p = palloc0(PROFILE_TABLES_SIZE(ni, nr, nc, pool_len));
	SET_VARSIZE(p, size);
	p->version = VIC_PROFILE_VERSION;
	p->flags = ep->flags;
	p->scheme = ep->scheme;
	p->nmembers = nm;
	p->nindustries = ni;
	p->nregions = nr;
	p->ncells = nc;
	p->pool_len = pool_len;
	p->nparts = ep->nparts;
	p->loc_weight = ep->mom.hi[0];
	p->sx = ep->mom.hi[1];
	p->sy = ep->mom.hi[2];
	p->sz = ep->mom.hi[3];

	/* the further parts of exact sums, by index into the flat arrays */
	ep->flat_parts = NULL;
	if (ep->nparts > 0)
	{
		VicProfileSumPart *fp = palloc(sizeof(VicProfileSumPart) * ep->nparts);

		for (int64 i = 0; i < ep->nparts; i++)
		{
			SumPart    *sp = &ep->parts[i];

			fp[i].kind = sp->kind;
			fp[i].value = sp->v;
			if (sp->kind == VIC_SUM_MOMENT)
				fp[i].index = (int32) sp->k1;
			else if (sp->kind == VIC_SUM_MEMBER)
				fp[i].index = (int32) profile_exp_find_member(ep, sp->k1, sp->k2);
			else
			{
				int32		region = CELL_REGION((CellKey) sp->k1);

				fp[i].index = flat_cell_index(c, nc,
											  region == VIC_REGION_NULL ? 0 : rmap[region],
											  CELL_CODE((CellKey) sp->k1));
			}
		}
		qsort(fp, ep->nparts, sizeof(VicProfileSumPart), flat_part_cmp);
		ep->flat_parts = fp;
	}

	/* derived sums, each rounded once: total, industries, regions */
	{
		VicXsumRound t = VIC_XSUM_ROUND_INIT;

		for (int i = 0; i < nm; i++)
			vic_xsum_round_add(&t, m[i].weight);
		for (int64 i = 0; i < ep->nparts; i++)
			if (ep->flat_parts[i].kind == VIC_SUM_MEMBER)
				vic_xsum_round_add(&t, ep->flat_parts[i].value);
		p->total = vic_xsum_round_result(&t);
	}
	for (int i = 0; i < nm; i++)
	{
		if (i == 0 || m[i].id != m[i - 1].id)
			p->ndistinct++;
		if ((m[i].code & VIC_MEMBER_LOCATED) &&
			(i == 0 || m[i].id != m[i - 1].id ||
			 !(m[i - 1].code & VIC_MEMBER_LOCATED)))
		{
			/* count an id once even when several of its entries are located */
			bool		seen = false;

			for (int j = i - 1; j >= 0 && m[j].id == m[i].id; j--)
				if (m[j].code & VIC_MEMBER_LOCATED)
					seen = true;
			if (!seen)
				p->nlocated++;
		}
	}

	ind = PROFILE_INDUSTRIES(p);
	k = -1;
	for (int i = 0; i < nc; i++)
	{
		if (i == 0 || bycode[i].code != bycode[i - 1].code)
		{
			k++;
			ind[k].code = bycode[i].code;
		}
	}

	reg = PROFILE_REGIONS(p);
	pool = PROFILE_POOL(p);
	k = 0;
	if (has_null)
	{
		reg[0].name_off = -1;
		reg[0].name_len = 0;
	}
	for (int i = 0; i < ep->nregions; i++)
	{
		RegionKey  *rk = &ep->region_names[order[i]];

		reg[i + base].name_off = k;
		reg[i + base].name_len = rk->len;
		memcpy(pool + k, rk->name, rk->len);
		k += rk->len;
	}
	memcpy(PROFILE_CELLS(p), c, sizeof(VicProfileCell) * nc);
	{
		VicXsumRound *is = palloc0(sizeof(VicXsumRound) * Max(ni, 1));
		VicXsumRound *rs = palloc0(sizeof(VicXsumRound) * Max(nr, 1));
		int64		pi = 0;

		while (pi < ep->nparts && ep->flat_parts[pi].kind == VIC_SUM_MOMENT)
			pi++;
		for (int i = 0; i < nc; i++)
		{
			VicProfileIndustry *ik = bsearch(&c[i].code, ind, ni, sizeof(VicProfileIndustry),
											 industry_code_cmp);

			vic_xsum_round_add(&is[ik - ind], c[i].weight);
			vic_xsum_round_add(&rs[c[i].region], c[i].weight);
			for (; pi < ep->nparts && ep->flat_parts[pi].kind == VIC_SUM_CELL &&
				 ep->flat_parts[pi].index == i; pi++)
			{
				vic_xsum_round_add(&is[ik - ind], ep->flat_parts[pi].value);
				vic_xsum_round_add(&rs[c[i].region], ep->flat_parts[pi].value);
			}
		}
		for (int i = 0; i < ni; i++)
			ind[i].weight = vic_xsum_round_result(&is[i]);
		for (int i = 0; i < nr; i++)
			reg[i].weight = vic_xsum_round_result(&rs[i]);
		pfree(is);
		pfree(rs);
	}

	/* weights are non-negative, so finite totals mean finite parts */
	{
		bool		finite = isfinite(p->total) && isfinite(p->loc_weight);

		for (int i = 0; i < ni && finite; i++)
			finite = isfinite(ind[i].weight);
		for (int i = 0; i < nr && finite; i++)
			finite = isfinite(reg[i].weight);
		if (!finite)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("profile weights overflow"),
					 errdetail("A sum of weights exceeds the range of double precision.")));
	}

	pfree(c);
	pfree(bycode);
	pfree(order);
	pfree(rmap);
	return p;
}

/* EOH method: size of the flat form (builds and caches it) */
static Size
profile_get_flat_size(ExpandedObjectHeader *eohptr)
{
	ProfileExp *ep = (ProfileExp *) eohptr;

	Assert(ep->magic == VIC_PROFILE_MAGIC);
	if (ep->flat == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(ep->hdr.eoh_context);

		ep->flat = profile_build_flat(ep);
		MemoryContextSwitchTo(old);
	}
	return VARSIZE(ep->flat);
}

/* EOH method: copy the cached tables and the member array out */
static void
profile_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	ProfileExp *ep = (ProfileExp *) eohptr;
	VicProfile *t = ep->flat;
	Size		tsize;

	Assert(t != NULL && VARSIZE(t) == allocated_size);
	Assert(ep->msorted == ep->mcount && ep->mcount == t->nmembers);
	tsize = PROFILE_TABLES_SIZE(t->nindustries, t->nregions, t->ncells, t->pool_len);
	profile_advise_huge(result, allocated_size);
	profile_prefault(result, allocated_size);
	memcpy(result, t, tsize);
	memcpy((char *) result + tsize, ep->marr,
		   sizeof(VicProfileMember) * (Size) t->nmembers);
	if (t->nparts > 0)
		memcpy((char *) result + tsize + sizeof(VicProfileMember) * (Size) t->nmembers,
			   ep->flat_parts, sizeof(VicProfileSumPart) * (Size) t->nparts);
}

/* set the header flags of an expanded profile (before anything is added) */
void
profile_exp_set_flags(ProfileExp *ep, uint8 flags)
{
	ep->flags = flags;
}

/* add v to a location moment: 0 located weight, 1-3 the weighted unit-vector sum */
void
profile_exp_add_moment(ProfileExp *ep, int which, float8 v)
{
	Assert(which >= 0 && which < 4);
	profile_exp_dirty(ep);
	profile_moment_add(ep, which, v);
}

/* free an expanded profile and its memory */
void
profile_exp_free(ProfileExp *ep)
{
	DeleteExpandedObject(EOHPGetRWDatum(&ep->hdr));
}

/* flatten an expanded profile into a palloc'd varlena in the current context */
VicProfile *
profile_exp_flatten(ProfileExp *ep)
{
	Size		size = EOH_get_flat_size(&ep->hdr);
	VicProfile *p = palloc_extended(size, MCXT_ALLOC_HUGE);

	EOH_flatten_into(&ep->hdr, p, size);
	return p;
}

/* ---------------------------------------------------------------------
 * Aggregate support
 * ---------------------------------------------------------------------
 */

/*
 * Is the aggregate being run vic's own, with fcinfo's transition function?
 * Only then do the AggState's plan and group estimates describe the rows
 * this state receives: a wrapper aggregate (Citus's worker_partial_agg, a
 * PL, another extension) calls our transition function under an AggState
 * and an Aggref of its own.
 */
static bool
profile_agg_is_ours(FunctionCallInfo fcinfo)
{
	Aggref	   *aggref = AggGetAggref(fcinfo);
	HeapTuple	tup;
	bool		ours;

	if (aggref == NULL || fcinfo->flinfo == NULL)
		return false;
	tup = SearchSysCache1(AGGFNOID, ObjectIdGetDatum(aggref->aggfnoid));
	if (!HeapTupleIsValid(tup))
		return false;
	ours = ((Form_pg_aggregate) GETSTRUCT(tup))->aggtransfn == fcinfo->flinfo->fn_oid;
	ReleaseSysCache(tup);
	return ours;
}

/*
 * Size the member array of a new profile for the rows the planner expects.
 * When the aggregate builds one profile (no grouping) the array then never
 * moves while it grows: a moved array is remapped, not copied, but on a
 * virtual machine every page of it faults again when it is next read.  That
 * reservation is virtual; only the pages written are backed, and a failed
 * one changes nothing.  A group of a grouped aggregate starts at its share
 * of the rows, up to VIC_GROUP_PRESIZE entries, which spares the first
 * doublings.  Any other caller gets no hint (the array grows by doubling).
 */
static void
profile_exp_presize(ProfileExp *ep, FunctionCallInfo fcinfo)
{
	AggState   *as;
	Agg		   *agg;
	PlanState  *outer;
	double		rows;
	VicProfileMember *arr;

	if (fcinfo->context == NULL || !IsA(fcinfo->context, AggState) ||
		!profile_agg_is_ours(fcinfo))
		return;
	as = (AggState *) fcinfo->context;
	agg = (Agg *) as->ss.ps.plan;
	outer = outerPlanState(as);
	if (agg == NULL || outer == NULL || outer->plan == NULL ||
		!(outer->plan->plan_rows >= 1.0))
		return;
	rows = outer->plan->plan_rows;
	if (agg->aggstrategy != AGG_PLAIN)
		rows = Min(rows / Max(agg->numGroups, 1), (double) VIC_GROUP_PRESIZE);
	rows = Min(rows, (double) (MaxAllocSize / sizeof(VicProfileMember)));
	if (!(rows > (double) ep->mcap))
		return;
	arr = MemoryContextAllocExtended(ep->hdr.eoh_context,
									 sizeof(VicProfileMember) * (Size) rows,
									 MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);
	if (arr == NULL)
		return;
	pfree(ep->marr);
	ep->marr = arr;
	ep->mcap = (int64) rows;
	ep->mlimit = 0;				/* prefault from the first append on */
	ep->huge = profile_advise_huge(arr, sizeof(VicProfileMember) * (Size) rows);
}

/*
 * The state at argument 0 as a read-write expanded profile in aggcxt: the
 * one we returned last time, or a new one (empty, or expanded from a flat
 * value).
 */
static ProfileExp *
profile_state(FunctionCallInfo fcinfo, MemoryContext aggcxt, uint8 flags)
{
	ProfileExp *ep;
	Datum		d;

	if (PG_ARGISNULL(0))
		return profile_exp_new(aggcxt, flags);
	d = PG_GETARG_DATUM(0);
	if (VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(d)))
	{
		ep = (ProfileExp *) DatumGetEOHP(d);
		if (ep->magic == VIC_PROFILE_MAGIC)
			return ep;
	}
	{
		VicProfile *flat = DatumGetVicProfileP(d);

		ep = profile_exp_new(aggcxt, flat->flags);
		profile_exp_merge_flat(ep, flat);
	}
	return ep;
}

/* refuse a weight that cannot be summed */
static void
profile_check_weight(FunctionCallInfo fcinfo, int argno, int64 member, float8 *w)
{
	float8		v;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weight of member %lld is null", (long long) member),
				 errdetail("Weights must be finite and non-negative.")));
	v = PG_GETARG_FLOAT8(argno);
	if (isnan(v) || isinf(v) || v < 0)
	{
		char		buf[DOUBLE_SHORTEST_DECIMAL_LEN];

		if (isnan(v))
			strcpy(buf, "NaN");
		else if (isinf(v))
			strcpy(buf, v > 0 ? "Infinity" : "-Infinity");
		else
			double_to_shortest_decimal_buf(v, buf);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid weight %s for member %lld", buf, (long long) member),
				 errdetail("Weights must be finite and non-negative.")));
	}
	*w = v + 0.0;				/* folds -0 into +0 */
}

/*
 * Read a PostGIS geography POINT (serialized GSERIALIZED v1 or v2) into
 * longitude and latitude in degrees.  The layout (PostGIS liblwgeom
 * gserialized1.c / gserialized2.c): varlena header, 3-byte SRID, one flag
 * byte; v2 may add 8 bytes of extended flags; an optional float bounding box
 * (6 floats for geodetic values); then the type (uint32, 1 = point), the
 * number of points (uint32) and the coordinates as doubles.
 */
static void
profile_read_point(Datum d, float8 *lon, float8 *lat)
{
	struct varlena *g = PG_DETOAST_DATUM_PACKED(d);
	const uint8 *b = (const uint8 *) VARDATA_ANY(g);
	Size		len = VARSIZE_ANY_EXHDR(g);
	uint8		gflags;
	int32		srid;
	bool		v2;
	int			ndims;
	Size		off = 4;
	uint32		type;
	uint32		npoints;

	if (len < 4 + 8)
		goto bad;
	srid = ((b[0] & 0x1F) << 16) | (b[1] << 8) | b[2];
	srid = (srid << 11) >> 11;	/* sign-extend the 21-bit field */
	gflags = b[3];
	v2 = (gflags & 0x40) != 0;
	ndims = 2 + ((gflags & 0x01) != 0) + ((gflags & 0x02) != 0);
	if (v2 && (gflags & 0x10))
		off += 8;				/* extended flags */
	if (gflags & 0x04)
		off += (gflags & 0x08) ? 6 * sizeof(float) : 2 * ndims * sizeof(float);
	if (len < off + 8)
		goto bad;
	memcpy(&type, b + off, 4);
	memcpy(&npoints, b + off + 4, 4);
	if (type != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("location must be a point"),
				 errdetail("A member's location is a POINT geography; got a geometry of PostGIS type number %u.", type)));
	if (npoints == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("location must not be an empty point"),
				 errdetail("A member without a location takes a NULL location.")));
	if (srid != 4326)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("location must be in SRID 4326"),
				 errdetail("Got SRID %d; transform the points to WGS 84 longitude/latitude.", srid)));
	if (npoints != 1 || len < off + 8 + ndims * sizeof(float8))
		goto bad;
	memcpy(lon, b + off + 8, sizeof(float8));
	memcpy(lat, b + off + 16, sizeof(float8));
	if (!isfinite(*lon) || !isfinite(*lat) || fabs(*lat) > 90.0 || fabs(*lon) > 360.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("location is not a valid longitude/latitude point")));
	return;

bad:
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("location is not a serialized PostGIS point"),
			 errdetail("The value has %zu bytes of data and an unexpected layout.", len)));
}

/*
 * Per-call-site interning of region names.  The transition function turns
 * a region name into a number of the call site's table of names (small and
 * hot) and tags the row's member entry with it; each profile maps the
 * numbers of its pending rows to region ids of its own when it compacts
 * them (profile_exp_tag_region).  Past VIC_INTERN_MAX names the cache stops
 * growing and rows take the direct path.
 */
#define VIC_INTERN_MAX 1000000

/* a direct-mapped front of the region name table: names of up to 16 bytes */
typedef struct RegionFront
{
	uint64		w0;				/* the name's bytes, zero-padded */
	uint64		w1;
	int32		len;			/* -1: empty slot */
	int32		no;
} RegionFront;

/* a direct-mapped front of the industry table */
typedef struct IndFront
{
	int64		code;			/* 0: empty slot (no industry code is 0) */
	int32		no;
} IndFront;

#define VIC_FRONT_SIZE	1024

struct RegionIntern
{
	regh_hash  *names;
	RegionKey  *byno;			/* names by number */
	int32		n;
	int32		cap;
	ProfileExp *last;			/* the profile of the previous row (compared only) */
	indh_hash  *inds;			/* industry code -> number */
	int64	   *codes;			/* codes by number */
	int32		ni;
	int32		icap;
	RegionFront rfront[VIC_FRONT_SIZE];
	IndFront	ifront[VIC_FRONT_SIZE];
};

/* region id in ep of the region tag of a pending entry */
static int32
profile_exp_tag_region(ProfileExp *ep, int32 tag)
{
	int32		g;
	int32		id;
	RegionKey  *name;

	if (tag == MEMBER_TAG_NULL)
		return VIC_REGION_NULL;
	g = tag - 2;
	Assert(ep->intern != NULL && g < ep->intern->n);
	if (g >= ep->gmap_len)
	{
		int32		newlen = Max(64, ep->gmap_len);

		while (newlen <= g)
			newlen *= 2;
		if (ep->gmap == NULL)
			ep->gmap = MemoryContextAlloc(ep->hdr.eoh_context, sizeof(int32) * newlen);
		else
			ep->gmap = repalloc(ep->gmap, sizeof(int32) * newlen);
		for (int32 i = ep->gmap_len; i < newlen; i++)
			ep->gmap[i] = -1;
		ep->gmap_len = newlen;
	}
	id = ep->gmap[g];
	if (id < 0)
	{
		name = &ep->intern->byno[g];
		/* cached names are distinct: no lookup unless names came otherwise too */
		if (ep->regions == NULL)
			id = profile_exp_region_append(ep, name->name, name->len);
		else
			id = profile_exp_region(ep, name->name, name->len);
		ep->gmap[g] = id;
	}
	return id;
}

/* is cxt the context anc or one of its descendants? */
static bool
profile_context_within(MemoryContext cxt, MemoryContext anc)
{
	for (; cxt != NULL; cxt = cxt->parent)
		if (cxt == anc)
			return true;
	return false;
}

/* a new, empty region and industry cache in cxt */
static RegionIntern *
profile_intern_new(MemoryContext cxt)
{
	MemoryContext old = MemoryContextSwitchTo(cxt);
	RegionIntern *in = palloc0(sizeof(RegionIntern));

	in->names = regh_create(cxt, 256, NULL);
	in->cap = 64;
	in->byno = palloc(sizeof(RegionKey) * in->cap);
	in->inds = indh_create(cxt, 256, NULL);
	in->icap = 64;
	in->codes = palloc(sizeof(int64) * in->icap);
	for (int i = 0; i < VIC_FRONT_SIZE; i++)
		in->rfront[i].len = -1;
	MemoryContextSwitchTo(old);
	return in;
}

/*
 * The region and industry cache for a row of ep.  The pending entries and
 * dense cells of ep refer to the numbers of this cache until ep compacts
 * them, so the cache must live as long as ep.  The groups of one aggregate
 * share a cache kept in fn_extra, but only when fn_mcxt outlives the
 * aggregate context (PostgreSQL's executor: the query context); a caller
 * that hands us a fresh FmgrInfo or a short-lived fn_mcxt (Citus's
 * worker_partial_agg builds one per row) gets a cache owned by the state
 * itself, found through ep.
 */
static RegionIntern *
profile_agg_intern(FunctionCallInfo fcinfo, ProfileExp *ep, MemoryContext aggcxt)
{
	FmgrInfo   *fl = fcinfo->flinfo;
	RegionIntern *in = (RegionIntern *) fl->fn_extra;

	if (in != NULL)
		return in;
	if (ep->intern != NULL)
		return ep->intern;
	if (profile_context_within(aggcxt, fl->fn_mcxt))
	{
		in = profile_intern_new(fl->fn_mcxt);
		fl->fn_extra = in;
		return in;
	}
	ep->intern = profile_intern_new(ep->hdr.eoh_context);
	return ep->intern;
}

/*
 * The region tag of the name s (len bytes) for a row of ep, through the
 * call-site cache in; 0 when the cache is full, after counting the row's
 * cell (weight w, industry code) directly.
 */
static int32
profile_agg_region_tag(RegionIntern *in, ProfileExp *ep, const char *s,
					   int len, int64 code, float8 w)
{
	RegionKey	key;
	RegionEntry *e;
	bool		found;
	RegionFront *front = NULL;
	uint64		w0 = 0;
	uint64		w1 = 0;

	if (unlikely(ep->intern != in))
	{
		/* tags of one profile refer to one cache */
		if (ep->intern != NULL)
			goto direct;
		ep->intern = in;
	}
	if (len <= 16)
	{
		uint64		wd[2] = {0, 0};

		memcpy(wd, s, len);
		front = &in->rfront[mix64(wd[0] ^ (wd[1] * UINT64CONST(0x9E3779B97F4A7C15)) ^ len) &
							(VIC_FRONT_SIZE - 1)];
		if (front->len == len && front->w0 == wd[0] && front->w1 == wd[1])
			return front->no + 2;
		w0 = wd[0];
		w1 = wd[1];
	}
	key.name = s;
	key.len = len;
	e = regh_lookup(in->names, key);
	if (e == NULL)
	{
		MemoryContext cxt = GetMemoryChunkContext(in);

		if (in->n >= VIC_INTERN_MAX)
			goto direct;
		if (in->n >= in->cap)
		{
			in->cap *= 2;
			in->byno = repalloc(in->byno, sizeof(RegionKey) * in->cap);
		}
		e = regh_insert(in->names, key, &found);
		e->key.name = MemoryContextAlloc(cxt, len + 1);
		memcpy((char *) e->key.name, s, len);
		((char *) e->key.name)[len] = '\0';
		e->id = in->n;
		in->byno[in->n++] = e->key;
	}
	if (front != NULL)
	{
		front->w0 = w0;
		front->w1 = w1;
		front->len = len;
		front->no = e->id;
	}
	return e->id + 2;

direct:
	profile_exp_add_cell(ep, profile_exp_region(ep, s, len), code, w);
	return 0;
}

/* the call-site number of an industry code, or -1 when the table is full */
static inline int32
profile_agg_industry_no(RegionIntern *in, int64 code)
{
	IndFront   *front = &in->ifront[mix64((uint64) code) & (VIC_FRONT_SIZE - 1)];
	IndEntry   *e;
	bool		found;

	if (front->code == code)
		return front->no;
	e = indh_lookup(in->inds, code);
	if (e == NULL)
	{
		if (in->ni >= VIC_INTERN_MAX)
			return -1;
		if (in->ni >= in->icap)
		{
			in->icap *= 2;
			in->codes = repalloc(in->codes, sizeof(int64) * in->icap);
		}
		e = indh_insert(in->inds, code, &found);
		e->no = in->ni;
		in->codes[in->ni++] = code;
	}
	front->code = code;
	front->no = e->no;
	return e->no;
}

/* largest dense cell matrix of a profile, in cells (512 kB) */
#define VIC_DENSE_MAX	65536
/* rows a profile takes before its cells go to a dense matrix (small ones stay in the hash table) */
#define VIC_DENSE_MIN_ROWS	16384

/* move the cells of ep's dense matrix into its cell table and drop the matrix */
static void
profile_exp_flush_dense(ProfileExp *ep)
{
	float8	   *d = ep->dense;

	if (d == NULL)
		return;
	ep->dense = NULL;
	for (int32 r = 0; r < ep->dense_r; r++)
	{
		int32		region = -2;

		for (int32 i = 0; i < ep->dense_i; i++)
		{
			float8		v = d[(Size) r * ep->dense_i + i];

			if (v < 0)
				continue;
			if (region == -2)
				region = profile_exp_tag_region(ep, r + 2);
			profile_exp_add_cell(ep, region, ep->intern->codes[i], v);
		}
	}
	pfree(d);
	ep->dense_r = ep->dense_i = 0;
}

/*
 * Count the cell of a row (call-site region number g, industry code, weight
 * w) of ep in its dense matrix, growing it to the call site's current
 * numbers as needed; false when the matrix would exceed VIC_DENSE_MAX cells
 * or the industry table is full (the caller counts the cell otherwise).
 * An array index in place of a hash probe: with tens of regions and a few
 * hundred industries, the cells of a whole-economy profile fit in cache.
 */
static inline bool
profile_exp_dense_add(ProfileExp *ep, RegionIntern *in, int32 g, int64 code, float8 w)
{
	int32		ino = profile_agg_industry_no(in, code);
	float8	   *c;

	if (ino < 0)
		return false;
	if (unlikely(g >= ep->dense_r || ino >= ep->dense_i))
	{
		int32		nr = Max(ep->dense_r, 16);
		int32		ni = Max(ep->dense_i, 16);
		float8	   *d;

		while (nr <= g)
			nr *= 2;
		while (ni <= ino)
			ni *= 2;
		if ((int64) nr * ni > VIC_DENSE_MAX)
			return false;
		d = MemoryContextAlloc(ep->hdr.eoh_context, sizeof(float8) * nr * ni);
		for (int32 k = 0; k < nr * ni; k++)
			d[k] = -1.0;
		for (int32 r = 0; r < ep->dense_r; r++)
			memcpy(d + (Size) r * ni, ep->dense + (Size) r * ep->dense_i,
				   sizeof(float8) * ep->dense_i);
		if (ep->dense)
			pfree(ep->dense);
		ep->dense = d;
		ep->dense_r = nr;
		ep->dense_i = ni;
	}
	c = &ep->dense[(Size) g * ep->dense_i + ino];
	if (*c < 0)
		*c = w;
	else
	{
		double		s;
		double		err;

		/* exact: the rounding error goes to the cell's own accumulator */
		vic_two_sum(*c, w, &s, &err);
		if (unlikely(!isfinite(s)))
			vic_xsum_overflow();
		*c = s;
		if (unlikely(err != 0))
			profile_exp_add_cell(ep, profile_exp_tag_region(ep, g + 2), code, err);
	}
	return true;
}

PG_FUNCTION_INFO_V1(vic_profile_agg_trans);

/*
 * Transition function of vic.profile_agg(member, industry, region,
 * [location,] weight).
 */
Datum
vic_profile_agg_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	ProfileExp *ep;
	bool		has_loc = PG_NARGS() == 6;
	int			wargno = has_loc ? 5 : 4;
	int64		member;
	int64		code;
	int32		tag;
	RegionIntern *in;
	float8		w;
	bool		located = false;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "vic_profile_agg_trans called in non-aggregate context");
	if (PG_ARGISNULL(0))
	{
		ep = profile_exp_new(aggcxt, 0);
		profile_exp_presize(ep, fcinfo);
	}
	else
		ep = profile_state(fcinfo, aggcxt, 0);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_DATUM(EOHPGetRWDatum(&ep->hdr));

	member = PG_GETARG_INT64(1);
	code = PG_GETARG_VIC_INDUSTRY(2);
	if (unlikely((code & 0xF) != 0 || ((uint64) code >> 36) != 0))
		elog(ERROR, "industry code %lld is not a vic.industry value", (long long) code);
	profile_check_weight(fcinfo, wargno, member, &w);
	if (unlikely(industry_scheme(code) != ep->scheme))
		profile_exp_scheme(ep, industry_scheme(code));
	profile_exp_dirty(ep);

	in = profile_agg_intern(fcinfo, ep, aggcxt);
	if (PG_ARGISNULL(3))
		tag = MEMBER_TAG_NULL;
	else
	{
		text	   *t = PG_GETARG_TEXT_PP(3);

		tag = profile_agg_region_tag(in, ep, VARDATA_ANY(t),
									 VARSIZE_ANY_EXHDR(t), code, w);
	}

	/*
	 * A row for the profile that the previous row went to counts its cell
	 * now, while that profile's cell table is in cache; rows that alternate
	 * between the profiles of many groups leave it to the compaction.
	 */
	if (tag != 0 && ep == in->last)
	{
		if (tag == MEMBER_TAG_NULL || ep->mcount < VIC_DENSE_MIN_ROWS ||
			!profile_exp_dense_add(ep, in, tag - 2, code, w))
			profile_exp_add_cell(ep, profile_exp_tag_region(ep, tag), code, w);
		tag = 0;
	}
	in->last = ep;

	if (has_loc && !PG_ARGISNULL(4))
	{
		float8		lon;
		float8		lat;
		float8		x;
		float8		y;
		float8		z;

		profile_read_point(PG_GETARG_DATUM(4), &lon, &lat);
		vic_unit_vector(lon, lat, &x, &y, &z);
		profile_moments_add(ep, w, x, y, z);
		located = true;
	}

	/* the cell is counted when the pending entries are compacted */
	profile_exp_add_member(ep, member, code | ((int64) tag << MEMBER_TAG_SHIFT),
						   w, located);
	if (tag != 0)
		ep->tagged = true;
	PG_RETURN_DATUM(EOHPGetRWDatum(&ep->hdr));
}

PG_FUNCTION_INFO_V1(vic_profile_merge_trans);

/* transition and combine function of vic.merge_agg(vic.profile) */
Datum
vic_profile_merge_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	ProfileExp *ep;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "vic_profile_merge_trans called in non-aggregate context");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(EOHPGetRWDatum(&profile_state(fcinfo, aggcxt, 0)->hdr));
	}
	if (PG_ARGISNULL(0))
	{
		VicProfile *other = PG_GETARG_VIC_PROFILE_P(1);

		ep = profile_exp_new(aggcxt, other->flags);
		profile_exp_merge_flat(ep, other);
	}
	else
	{
		ep = profile_state(fcinfo, aggcxt, 0);
		profile_exp_merge_flat(ep, PG_GETARG_VIC_PROFILE_P(1));
	}
	PG_RETURN_DATUM(EOHPGetRWDatum(&ep->hdr));
}

PG_FUNCTION_INFO_V1(vic_profile_final);

/*
 * Final function of vic.profile_agg and vic.merge_agg: the state as a
 * read-only expanded pointer of its own, allocated in the current memory
 * context.  PostgreSQL 15 copies an aggregate result that is not a chunk of
 * the current context (finalize_aggregate), and copying an expanded profile
 * means flattening all its members; this way the metrics read the tables of
 * the expanded result directly (profile_fetch_part) and only storing the
 * value flattens it.  PostgreSQL 16 returns states without that copy.
 */
Datum
vic_profile_final(PG_FUNCTION_ARGS)
{
	Datum		d = PG_GETARG_DATUM(0);

	if (VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(d)))
	{
		ExpandedObjectHeader *eoh = DatumGetEOHP(d);
		varattrib_1b_e *ptr = palloc(EXPANDED_POINTER_SIZE);

		SET_VARTAG_EXTERNAL(ptr, VARTAG_EXPANDED_RO);
		memcpy(VARDATA_EXTERNAL(ptr), &eoh, sizeof(eoh));
		PG_RETURN_POINTER(ptr);
	}
	PG_RETURN_DATUM(d);
}

PG_FUNCTION_INFO_V1(vic_profile_merge);

/* a || b: the profile of the union of two sets of rows */
Datum
vic_profile_merge(PG_FUNCTION_ARGS)
{
	VicProfile *a = PG_GETARG_VIC_PROFILE_P(0);
	VicProfile *b = PG_GETARG_VIC_PROFILE_P(1);
	ProfileExp *ep = profile_exp_new(CurrentMemoryContext, a->flags);
	VicProfile *r;

	profile_exp_merge_flat(ep, a);
	profile_exp_merge_flat(ep, b);
	r = profile_exp_flatten(ep);
	DeleteExpandedObject(EOHPGetRWDatum(&ep->hdr));
	PG_RETURN_POINTER(r);
}

PG_FUNCTION_INFO_V1(vic_multi_membership_trans);

/*
 * Transition function of vic.multi_membership_share(vic.profile): a tally
 * profile whose member weights count the input profiles holding each id.
 */
Datum
vic_multi_membership_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	ProfileExp *ep;
	VicProfile *p;
	VicProfileMember *m;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "vic_multi_membership_trans called in non-aggregate context");
	ep = profile_state(fcinfo, aggcxt, VIC_PROFILE_TALLY);
	if (PG_ARGISNULL(1))
		PG_RETURN_DATUM(EOHPGetRWDatum(&ep->hdr));
	p = PG_GETARG_VIC_PROFILE_P(1);
	if (p->flags & VIC_PROFILE_TALLY)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("vic.multi_membership_share takes cluster profiles, not tallies")));
	profile_exp_dirty(ep);
	m = PROFILE_MEMBERS(p);
	for (int i = 0; i < p->nmembers; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (i == 0 || m[i].id != m[i - 1].id)
			profile_exp_add_member(ep, m[i].id, 0, 1.0, false);
	}
	PG_RETURN_DATUM(EOHPGetRWDatum(&ep->hdr));
}

PG_FUNCTION_INFO_V1(vic_multi_membership_final);

/* final function: share of tallied ids counted in two or more profiles */
Datum
vic_multi_membership_final(PG_FUNCTION_ARGS)
{
	VicProfile *p;
	VicProfileMember *m;
	int64		multi = 0;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	p = PG_GETARG_VIC_PROFILE_P(0);
	if (!(p->flags & VIC_PROFILE_TALLY))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("vic.multi_membership_final takes a tally, not a cluster profile"),
				 errdetail("Use the aggregate vic.multi_membership_share over cluster profiles.")));
	if (p->ndistinct == 0)
		PG_RETURN_NULL();
	m = PROFILE_MEMBERS(p);
	for (int i = 0; i < p->nmembers; i++)
		if (m[i].weight >= 2.0)
			multi++;
	PG_RETURN_FLOAT8((float8) multi / (float8) p->ndistinct);
}

/* the profile of the union of n flat profiles (for coagglomeration) */
VicProfile *
profile_merge_many(VicProfile **ps, int n)
{
	ProfileExp *ep = profile_exp_new(CurrentMemoryContext, 0);
	VicProfile *r;

	for (int i = 0; i < n; i++)
		profile_exp_merge_flat(ep, ps[i]);
	r = profile_exp_flatten(ep);
	profile_exp_free(ep);
	return r;
}

/* ---------------------------------------------------------------------
 * Tables the metrics read
 * ---------------------------------------------------------------------
 */

/* bytes of the prefix of a flat profile that holds the given parts */
static uint64
profile_part_size(VicProfile *h, VicPart part)
{
	switch (part)
	{
		case VIC_PART_HEADER:
			return VIC_PROFILE_HDRSZ;
		case VIC_PART_INDUSTRIES:
			return VIC_PROFILE_HDRSZ +
				(uint64) h->nindustries * sizeof(VicProfileIndustry);
		case VIC_PART_REGIONS:
			return VIC_PROFILE_HDRSZ +
				(uint64) h->nindustries * sizeof(VicProfileIndustry) +
				(uint64) h->nregions * sizeof(VicProfileRegion);
		case VIC_PART_TABLES:
			break;
	}
	return PROFILE_TABLES_SIZE(h->nindustries, h->nregions, h->ncells, h->pool_len);
}

/*
 * The header and the leading parts of a profile, up to `part`, without its
 * member array.  For a toasted value only that prefix is fetched (and
 * decompressed: members are stored last and the industry table first), so
 * metrics that read shares do not pay for detoasting millions of members.
 * For an expanded value (a profile_agg result passed straight to a metric)
 * the cached tables of its flat form are returned without flattening the
 * members.  Parts beyond `part` must not be read from the result.
 */
VicProfile *
profile_fetch_part(Datum d, VicPart part)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(d);
	VicProfile *h;
	uint64		len;

	if (VARATT_IS_EXTERNAL_EXPANDED(v))
	{
		ProfileExp *ep = (ProfileExp *) DatumGetEOHP(d);

		if (ep->magic == VIC_PROFILE_MAGIC)
		{
			(void) EOH_get_flat_size(&ep->hdr);
			return ep->flat;
		}
	}
	if (!VARATT_IS_EXTENDED(v) || VARATT_IS_EXTERNAL_EXPANDED(v))
		return DatumGetVicProfileP(d);
	h = (VicProfile *) PG_DETOAST_DATUM_SLICE(d, 0, VIC_PROFILE_HDRSZ - VARHDRSZ);
	if (VARSIZE(h) < VIC_PROFILE_HDRSZ)
		elog(ERROR, "vic.profile value is truncated");
	len = profile_part_size(h, part);
	if (len > MaxAllocSize)
		elog(ERROR, "vic.profile header is corrupt");
	if (len == VIC_PROFILE_HDRSZ)
		return h;
	pfree(h);
	return (VicProfile *) PG_DETOAST_DATUM_SLICE(d, 0, len - VARHDRSZ);
}

#define VIC_TABLES_CACHE_ARGS 5

/* per-call-site cache of the tables of out-of-line profile arguments */
typedef struct TablesCache
{
	Oid			toastrelid[VIC_TABLES_CACHE_ARGS];
	Oid			valueid[VIC_TABLES_CACHE_ARGS];
	VicPart		part[VIC_TABLES_CACHE_ARGS];
	VicProfile *tables[VIC_TABLES_CACHE_ARGS];
} TablesCache;

/*
 * profile_fetch_part of argument argno, remembered across calls of the same
 * call site while the argument is the same stored (out-of-line) value: a
 * reference profile joined to every row is fetched once per query.
 */
VicProfile *
profile_fetch_part_arg(FunctionCallInfo fcinfo, int argno, VicPart part)
{
	Datum		d = PG_GETARG_DATUM(argno);
	struct varlena *v = (struct varlena *) DatumGetPointer(d);
	struct varatt_external ext;
	TablesCache *cache;
	MemoryContext old;

	if (argno >= VIC_TABLES_CACHE_ARGS || !VARATT_IS_EXTERNAL_ONDISK(v))
		return profile_fetch_part(d, part);
	VARATT_EXTERNAL_GET_POINTER(ext, v);
	cache = (TablesCache *) fcinfo->flinfo->fn_extra;
	if (cache == NULL)
		cache = fcinfo->flinfo->fn_extra =
			MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(TablesCache));
	if (cache->tables[argno] != NULL &&
		cache->toastrelid[argno] == ext.va_toastrelid &&
		cache->valueid[argno] == ext.va_valueid &&
		cache->part[argno] >= part)
		return cache->tables[argno];
	if (cache->tables[argno] != NULL)
		pfree(cache->tables[argno]);
	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	cache->tables[argno] = profile_fetch_part(d, part);
	if ((Pointer) cache->tables[argno] == (Pointer) v)
		cache->tables[argno] = (VicProfile *) PG_DETOAST_DATUM_COPY(d);
	MemoryContextSwitchTo(old);
	cache->toastrelid[argno] = ext.va_toastrelid;
	cache->valueid[argno] = ext.va_valueid;
	cache->part[argno] = part;
	return cache->tables[argno];
}

/* check that level is a level of p's scheme (0 = as given) */
void
profile_check_level(VicProfile *p, int level)
{
	int			maxl = p->scheme ? industry_max_level(p->scheme) : 5;

	if (level < 0 || level > maxl)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("industry level %d is out of range", level),
				 errdetail("Levels of this classification run from 1 to %d.", maxl)));
}

/* an optional level argument: 0 when NULL, otherwise checked against p */
int
profile_level_arg(FunctionCallInfo fcinfo, int argno, VicProfile *p)
{
	int			level;

	if (PG_NARGS() <= argno || PG_ARGISNULL(argno))
		return 0;
	level = PG_GETARG_INT32(argno);
	if (level < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("industry level %d is out of range", level),
				 errdetail("Levels start at 1 (the coarsest); NULL keeps the codes as given.")));
	profile_check_level(p, level);
	return level;
}

/* refuse to compare profiles of two industry schemes */
void
profile_check_schemes(VicProfile *a, VicProfile *b)
{
	if ((a->flags | b->flags) & VIC_PROFILE_TALLY)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a membership tally is not a profile")));
	if (a->scheme != 0 && b->scheme != 0 && a->scheme != b->scheme)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("profiles use different industry classification schemes"),
				 errdetail("Scheme %d cannot be compared with scheme %d.",
						   a->scheme, b->scheme)));
}

/*
 * Industry weights of p at `level` (0 = as given), sorted by code.  Codes
 * finer than the level are rolled up to their ancestor; a code already at or
 * above the level stays as it is.  Rolling up keeps the order, because a
 * code's descendants follow it contiguously (vic.h).
 */
VicShare *
profile_industry_table(VicProfile *p, int level, int *n)
{
	VicProfileIndustry *ind = PROFILE_INDUSTRIES(p);
	VicShare   *t = palloc(sizeof(VicShare) * Max(p->nindustries, 1));
	int			k = 0;

	profile_check_level(p, level);
	for (int i = 0; i < p->nindustries; i++)
	{
		int64		code = level > 0 ? industry_ancestor(ind[i].code, level) : ind[i].code;

		if (k > 0 && t[k - 1].key == code)
			t[k - 1].weight += ind[i].weight;
		else
		{
			t[k].key = code;
			t[k].weight = ind[i].weight;
			k++;
		}
	}
	*n = k;
	return t;
}

/* region weights of p, keyed by region index, in name order */
VicShare *
profile_region_table(VicProfile *p, int *n)
{
	VicProfileRegion *r = PROFILE_REGIONS(p);
	VicShare   *t = palloc(sizeof(VicShare) * Max(p->nregions, 1));

	for (int i = 0; i < p->nregions; i++)
	{
		t[i].key = i;
		t[i].weight = r[i].weight;
	}
	*n = p->nregions;
	return t;
}

/* member weights of p (summed over a member's industries), sorted by id */
VicShare *
profile_member_table(VicProfile *p, int *n)
{
	VicProfileMember *m = PROFILE_MEMBERS(p);
	VicShare   *t = palloc_extended(sizeof(VicShare) * Max(p->ndistinct, 1), MCXT_ALLOC_HUGE);
	int			k = 0;

	for (int i = 0; i < p->nmembers; i++)
	{
		if (k > 0 && t[k - 1].key == m[i].id)
			t[k - 1].weight += m[i].weight;
		else
		{
			t[k].key = m[i].id;
			t[k].weight = m[i].weight;
			k++;
		}
	}
	*n = k;
	return t;
}

/* the table of dimension `by` */
VicShare *
profile_table(VicProfile *p, VicBy by, int level, int *n)
{
	if (by != VIC_BY_INDUSTRY && level != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("an industry level applies only to by => 'industry'")));
	switch (by)
	{
		case VIC_BY_INDUSTRY:
			return profile_industry_table(p, level, n);
		case VIC_BY_REGION:
			return profile_region_table(p, n);
		case VIC_BY_MEMBER:
			return profile_member_table(p, n);
	}
	return NULL;				/* keep the compiler quiet */
}

/* parse the `by` argument */
VicBy
profile_parse_by(text *by)
{
	char	   *s = text_to_cstring(by);

	if (strcmp(s, "industry") == 0)
		return VIC_BY_INDUSTRY;
	if (strcmp(s, "region") == 0)
		return VIC_BY_REGION;
	if (strcmp(s, "member") == 0)
		return VIC_BY_MEMBER;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid dimension \"%s\"", s),
			 errdetail("The dimension is one of industry, region, member.")));
	return VIC_BY_INDUSTRY;		/* keep the compiler quiet */
}

/* compare region ra of a with region rb of b by name (NULL first) */
int
profile_region_cmp(VicProfile *a, int ra, VicProfile *b, int rb)
{
	VicProfileRegion *x = &PROFILE_REGIONS(a)[ra];
	VicProfileRegion *y = &PROFILE_REGIONS(b)[rb];

	return region_name_cmp(x->name_off < 0 ? NULL : PROFILE_POOL(a) + x->name_off,
						   x->name_len,
						   y->name_off < 0 ? NULL : PROFILE_POOL(b) + y->name_off,
						   y->name_len);
}

/* refuse a tally where a profile is expected */
void
profile_check_not_tally(VicProfile *p)
{
	if (p->flags & VIC_PROFILE_TALLY)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a membership tally is not a profile")));
}
