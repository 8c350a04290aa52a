/*
 * profile_internal.h
 *		The expanded form of vic.profile, shared by the files that build it:
 *		profile.c (the type: expanded basics, flattening) and profile_agg.c
 *		(the aggregate state).  Nothing else may look inside a ProfileExp.
 *
 * The hash tables are simplehash instances with static inline scope, so
 * every function on the transition function's path is inlined into
 * profile_agg.c.
 */
#ifndef VIC_PROFILE_INTERNAL_H
#define VIC_PROFILE_INTERNAL_H

#include "common/hashfn.h"

#include "common/mem.h"
#include "common/xsum.h"
#include "profile.h"

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

#define SH_PREFIX		cellh
#define SH_ELEMENT_TYPE CellEntry
#define SH_KEY_TYPE		CellKey
#define SH_KEY			key
#define SH_HASH_KEY(tb, k)	vic_hash64(k)
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

#define VIC_PROFILE_MAGIC	0x56504631	/* "VPF1" */

/* the hint of a profile beyond the varlena limit (vic_check_summary_size) */
#define VIC_PROFILE_SIZE_HINT	"Build profiles of smaller groups and combine their metrics."

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
	bool		stored_form;	/* flatten to the stored (version 2) form?
								 * Set for a finished value (the final
								 * function, an explicit flattening); a
								 * partial aggregate state stays wide */
	VicProfile *stored;			/* that form, cached; NULL when stale */
};

/* profile.c */
extern void profile_exp_finish(ProfileExp *ep);
extern void profile_exp_add_part(ProfileExp *ep, int32 kind, int64 k1, int64 k2, float8 v);
extern int32 profile_exp_region_append(ProfileExp *ep, const char *name, int len);

/* profile_agg.c */
extern void profile_exp_compact(ProfileExp *ep);
extern void profile_exp_flush_dense(ProfileExp *ep);
extern void profile_prefault(void *p, Size len);
extern bool profile_advise_huge(void *p, Size len);

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
	if (ep->stored)
	{
		pfree(ep->stored);
		ep->stored = NULL;
	}
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

#endif							/* VIC_PROFILE_INTERNAL_H */
