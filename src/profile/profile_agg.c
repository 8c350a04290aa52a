/*
 * profile_agg.c
 *		vic.profile as an aggregate state: the transition function of
 *		vic.profile_agg, the combine and transition function of
 *		vic.merge_agg (and a || b), the final function, the call-site cache
 *		of region names and industries, the dense cell matrix, the member
 *		array's memory, and vic.multi_membership_share.
 *
 * The aggregate state is vic.profile itself, kept as an expanded object
 * (utils/expandeddatum.h, profile_internal.h) updated in place: a row costs
 * a look-up of its region in the call site's name cache, one append to the
 * member array and either one add to a dense (region, industry) matrix or
 * nothing more (its cell is counted when the group compacts its entries);
 * nothing is copied.  Everything the transition function calls per row is
 * in this file or static inline in a header, so it inlines.
 */
#include "postgres.h"

#include <math.h>
#ifndef WIN32
#include <sys/mman.h>
#endif

#include "catalog/pg_aggregate.h"
#include "miscadmin.h"
#include "nodes/execnodes.h"
#include "nodes/plannodes.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/syscache.h"

#include "common/geo.h"
#include "profile_internal.h"

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
#define SH_HASH_KEY(tb, k)	vic_hash64((uint64) (k))
#define SH_EQUAL(tb, a, b)	((a) == (b))
#define SH_SCOPE		static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

/* stretches from this size on are prefaulted (profile_prefault) */
#define VIC_POPULATE_MIN	((Size) 1 << 20)
/* initial member entries of a group of a grouped aggregate, at most (96 kB) */
#define VIC_GROUP_PRESIZE	4096
/* buffers from this size on get huge pages (profile_advise_huge) */
#define VIC_HUGE_MIN		((Size) 32 << 20)
/* member entries prefaulted at a time ahead of the appends (6 MB) */
#define VIC_POPULATE_STEP	262144

static void profile_exp_merge_run(ProfileExp *ep, const VicProfileMember *b, int64 nb);
static int32 profile_exp_tag_region(ProfileExp *ep, int32 tag);

/*
 * Fold sink of ep's member entries (profile_sort.h): the rounding error of
 * a folded weight becomes a further part of that member's exact sum.
 */
static void
profile_exp_fold_part(void *arg, int64 id, int64 code, float8 err)
{
	profile_exp_add_part((ProfileExp *) arg, VIC_SUM_MEMBER, id, code, err);
}


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
		VIC_POLL_INTERRUPTS(i);
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
void
profile_exp_compact(ProfileExp *ep)
{
	VicFoldSink sink = {profile_exp_fold_part, ep};
	VicProfileMember *pend;
	int64		npend;
	int64		k;

	if (ep->msorted == ep->mcount)
		return;
	profile_exp_count_cells(ep);
	pend = ep->marr + ep->msorted;
	npend = ep->mcount - ep->msorted;
	k = profile_sort_fold_members(&sink, pend, npend);
	ep->fold_pays = k < npend - npend / 4;
	if (ep->msorted == 0 ||
		member_cmp_inline(&ep->marr[ep->msorted - 1], &pend[0]) < 0)
	{
		/* the folded run extends the sorted prefix as it is */
		ep->mcount = ep->msorted = ep->msorted + k;
		return;
	}
	{
		VicProfileMember *run = vic_alloc_array(k, sizeof(VicProfileMember));

		memcpy(run, pend, sizeof(VicProfileMember) * k);
		ep->mcount = ep->msorted;
		profile_exp_merge_run(ep, run, k);
		pfree(run);
	}
}

/*
 * Prefault a stretch of a large buffer about to be written, in one system
 * call where the kernel offers it (Linux 5.14, MADV_POPULATE_WRITE).  On a
 * virtual machine every fault on a fresh 4 kB page is expensive, and a
 * large profile writes hundreds of megabytes of member entries; one call
 * per stretch replaces a fault per page (doc/profile.md discusses the
 * cost).  Advice only: where it is refused nothing changes.
 */
void
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
 * again, as a member array is after the scan that filled it; huge pages
 * avoid most of those faults.  Returns whether the advice was taken.
 */
bool
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
		vic_check_summary_size(PROFILE_SIZE(ep->mcount + n, 0, 0, 0, 0, 0),
							   VIC_PROFILE_TYPNAME, VIC_PROFILE_SIZE_HINT);
	}
	{
		int64		cap = ep->mcap;

		while (ep->mcount + n > cap)
			cap *= 2;
		profile_exp_resize(ep, Min(cap, (int64) (MaxAllocSize / sizeof(VicProfileMember)) + 1));
	}
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
	VicFoldSink sink = {profile_exp_fold_part, ep};
	VicProfileMember *a;
	int64		na = ep->mcount;

	Assert(ep->msorted == ep->mcount);
	if (nb == 0)
		return;
	if ((uint64) (na + nb) * sizeof(VicProfileMember) > MaxAllocHugeSize / 2)
		vic_check_summary_size(PROFILE_SIZE(na + nb, 0, 0, 0, 0, 0),
							   VIC_PROFILE_TYPNAME, VIC_PROFILE_SIZE_HINT);
	if (na + nb > ep->mcap)
	{
		Size		size = sizeof(VicProfileMember) * (Size) (na + nb);
		VicProfileMember *c = MemoryContextAllocExtended(ep->hdr.eoh_context, size,
														 MCXT_ALLOC_HUGE);

		ep->huge = profile_advise_huge(c, size);
		profile_prefault(c, size);
		ep->mcount = ep->msorted = profile_merge_members_into(&sink, c, ep->marr, na, b, nb);
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
		profile_merge_adjacent_runs(a, na, na + nb);
		ep->mcount = ep->msorted = profile_fold_members(&sink, a, na + nb);
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

	if (unlikely(!industry_code_is_wellformed(code)))
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

/*
 * The row's location, in degrees: vic_read_point with its parse inlined
 * (vic_point_data), as it runs once per located row.  No pfree of a
 * detoasted copy: the per-row memory is reset anyway.
 */
static inline void
profile_read_point(Datum d, double *lon, double *lat)
{
	struct varlena *g = PG_DETOAST_DATUM_PACKED(d);

	vic_point_data((const uint8 *) VARDATA_ANY(g), VARSIZE_ANY_EXHDR(g), "location", lon, lat);
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
		front = &in->rfront[vic_mix64(wd[0] ^ (wd[1] * UINT64CONST(0x9E3779B97F4A7C15)) ^ len) &
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
	IndFront   *front = &in->ifront[vic_mix64((uint64) code) & (VIC_FRONT_SIZE - 1)];
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

/*
 * largest dense cell matrix of a profile, in cells (2 MB): room for the 32 x
 * 4096 (region, industry) numbers of a national economy by province at the
 * class level of GB/T 4754 (1,380 classes) or NAICS (about 1,000)
 */
#define VIC_DENSE_MAX	262144
/* rows a profile takes before its cells go to a dense matrix (small ones stay in the hash table) */
#define VIC_DENSE_MIN_ROWS	16384

/* move the cells of ep's dense matrix into its cell table and drop the matrix */
void
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
	if (unlikely(!industry_code_is_wellformed(code)))
		elog(ERROR, "industry code %lld is not a vic.industry value", (long long) code);
	if (unlikely(PG_ARGISNULL(wargno)))
		vic_null_member_weight(member);
	w = vic_check_member_weight(PG_GETARG_FLOAT8(wargno), member);
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
		double		lon;
		double		lat;
		VicVec3		u;

		profile_read_point(PG_GETARG_DATUM(4), &lon, &lat);
		u = vic_point_vector(lon, lat);
		profile_moments_add(ep, w, u.x, u.y, u.z);
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
 * Final function of vic.profile_agg and vic.merge_agg: the expanded state
 * handed on without flattening (vic_expanded_final), so that metrics read
 * the tables of the expanded result directly (profile_fetch_part) and only
 * storing the value flattens it, to its stored form (profile_exp_finish).
 */
Datum
vic_profile_final(PG_FUNCTION_ARGS)
{
	Datum		d = PG_GETARG_DATUM(0);

	if (VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(d)))
	{
		ProfileExp *ep = (ProfileExp *) DatumGetEOHP(d);

		if (ep->magic == VIC_PROFILE_MAGIC)
			profile_exp_finish(ep);
	}
	PG_RETURN_DATUM(vic_expanded_final(d));
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
		VIC_POLL_INTERRUPTS(i);
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
	r = profile_exp_flatten_wide(ep);
	profile_exp_free(ep);
	return r;
}

