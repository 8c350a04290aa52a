/*
 * links_internal.h
 *		vic.links: an exact, mergeable summary of cooperation (or supply)
 *		links between regions.  The on-disk form, the expanded form the
 *		aggregate mutates, and what the links files share.
 *
 * links.c: expanded state, canonical flattening, aggregates, merging,
 * equality; links_io.c: text and binary I/O (both parse into an expanded
 * state and flatten it, so every input is canonicalised the same way);
 * links_metrics.c: shares, E-I index, assortativity, flows, distances;
 * links_gravity.c: the PPML gravity fit.
 */
#ifndef VIC_LINKS_INTERNAL_H
#define VIC_LINKS_INTERNAL_H

#include "common/vic.h"
#include "common/mem.h"
#include "common/srf.h"
#include "common/summary.h"
#include "common/xsum.h"
#include "utils/expandeddatum.h"

/* ----------------------------------------------------------------
 * On-disk form (one varlena, 8-byte aligned):
 *
 *	 header			VicLinks (below)
 *	 regions[nregions]	VicLinksRegion, names in strictly ascending byte order
 *	 pairs[npairs]		VicLinksPair, strictly ascending (src, dst) region index
 *	 bins[nbins]		VicLinksBin, strictly ascending bin number
 *	 resid[nresid]		VicLinksResid, ascending (kind, id, field)
 *	 names[names_len]	the region names' bytes, back to back (no terminators)
 *
 * Every float field is an exact sum (xsum.h) stored as its canonical parts:
 * the correctly rounded value in the field itself, the further parts (only
 * when there are any) in the residual section, keyed by the entry and
 * field they belong to, largest first.  Metrics read the fields; merging
 * adds the parts back, so a summary is the same bytes whatever the row
 * order, plan or merge order.
 *
 * A pair exists only when at least one link went into it (links >= 1).  A
 * bin counts links of length in [2^(b/64), 2^((b+1)/64)) metres (or the
 * caller's unit); bin VIC_LINKS_ZERO_BIN holds links of length 0.
 * ----------------------------------------------------------------
 */
#define VIC_LINKS_VERSION	1
#define VIC_LINKS_TYPNAME	"vic.links"

/* how link lengths were measured (the flags byte); merging two modes is an error */
#define VIC_LINKS_USER		0	/* the caller's distances */
#define VIC_LINKS_SPHERE	1	/* great-circle arc on PostGIS's sphere (geo.h) */
#define VIC_LINKS_SPHEROID	2	/* geodesic on WGS 84 (PROJ geod_inverse) */

/* histogram resolution: bins per doubling of length */
#define VIC_LINKS_BINS_PER_OCTAVE	64
#define VIC_LINKS_ZERO_BIN			PG_INT32_MIN

typedef struct VicLinks
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;
	uint8		flags;			/* VIC_LINKS_USER, _SPHERE or _SPHEROID */
	uint16		reserved;
	int32		nregions;
	int32		npairs;
	int32		nbins;
	int32		nresid;
	int32		names_len;
	int32		reserved2;
	double		dmin;			/* shortest link length (0 when there are no links) */
	double		dmax;			/* longest link length */
	char		data[FLEXIBLE_ARRAY_MEMBER];
} VicLinks;

/* a region: its name and the weighted moments of the link ends in it */
typedef struct VicLinksRegion
{
	int32		name_off;		/* into the names section */
	int32		name_len;
	double		f[4];			/* weight of link ends, sum of weight x unit vector (x, y, z) */
} VicLinksRegion;

#define VIC_LINKS_REGION_FIELDS 4

/* an ordered region pair: its links, weight and length moments */
typedef struct VicLinksPair
{
	int32		src;
	int32		dst;
	int64		links;
	double		f[4];			/* weight, sum of weight x length, sum of weight x length^2,
								 * sum of length (unweighted: the length of a pair whose
								 * links all have weight 0) */
} VicLinksPair;

#define VIC_LINKS_PAIR_FIELDS 4

/* one histogram bin of link lengths */
typedef struct VicLinksBin
{
	int32		bin;
	int32		reserved;
	int64		links;
	double		f[1];			/* weight */
} VicLinksBin;

/* a further canonical part of an exact sum */
typedef struct VicLinksResid
{
	uint8		kind;			/* 0 region, 1 pair, 2 bin */
	uint8		field;
	uint16		reserved;
	int32		id;				/* index of the entry */
	double		part;
} VicLinksResid;

#define LINKS_KIND_REGION	0
#define LINKS_KIND_PAIR		1
#define LINKS_KIND_BIN		2

#define LINKS_HDRSZ				offsetof(VicLinks, data)
#define LINKS_REGIONS(l)		((VicLinksRegion *) (l)->data)
#define LINKS_PAIRS(l)			((VicLinksPair *) (LINKS_REGIONS(l) + (l)->nregions))
#define LINKS_BINS(l)			((VicLinksBin *) (LINKS_PAIRS(l) + (l)->npairs))
#define LINKS_RESID(l)			((VicLinksResid *) (LINKS_BINS(l) + (l)->nbins))
#define LINKS_NAMES(l)			((char *) (LINKS_RESID(l) + (l)->nresid))
#define LINKS_NAME(l, r)		(LINKS_NAMES(l) + LINKS_REGIONS(l)[r].name_off)

/* ----------------------------------------------------------------
 * Expanded form: hash tables of regions, pairs and bins with exact
 * accumulators, in insertion order; flattened canonically.
 * ----------------------------------------------------------------
 */

typedef struct LinksERegion
{
	int32		name_off;		/* into names arena */
	int32		name_len;
	uint32		hash;
	VicXsum		f[4];
} LinksERegion;

typedef struct LinksEPair
{
	uint64		key;			/* src << 32 | dst (insertion ids) */
	int64		links;
	VicXsum		f[4];
} LinksEPair;

typedef struct LinksEBin
{
	int32		bin;
	int64		links;
	VicXsum		f[1];
} LinksEBin;

typedef struct LinksSpill
{
	uint8		kind;
	uint8		field;
	int32		id;
	double		part;
} LinksSpill;

typedef struct VicLinksExpanded
{
	ExpandedObjectHeader hdr;
	int			mode;			/* -1 until the first link or summary */
	/* regions */
	LinksERegion *regions;
	int32		nregions;
	int32		capregions;
	int32	   *rtab;			/* open addressing: region ids, -1 empty */
	int32		rtabsize;		/* power of two */
	char	   *names;
	int64		names_len;
	int64		names_cap;
	/* pairs */
	LinksEPair *pairs;
	int32		npairs;
	int32		cappairs;
	int32	   *ptab;
	int32		ptabsize;
	/* bins */
	LinksEBin  *bins;
	int32		nbins;
	int32		capbins;
	int32	   *btab;
	int32		btabsize;
	/* spilled parts */
	LinksSpill *spill;
	int64		nspill;
	int64		capspill;
	double		dmin;
	double		dmax;
	bool		any;			/* at least one link */
	/* last looked-up names (rows often repeat them) */
	int32		last_src;
	int32		last_dst;
	VicLinks   *flat;			/* cached flat form, NULL when stale */
} VicLinksExpanded;

/* links.c */
extern VicLinksExpanded *vic_links_expanded_new(MemoryContext parent);
extern int32 vic_links_region_id(VicLinksExpanded *e, const char *name, int len);
extern void vic_links_set_mode(VicLinksExpanded *e, int mode);
extern void vic_links_add_pair_parts(VicLinksExpanded *e, int32 src, int32 dst, int64 links,
									 int field, const double *parts, int nparts);
extern void vic_links_add_region_parts(VicLinksExpanded *e, int32 r, int field,
									   const double *parts, int nparts);
extern void vic_links_add_bin_parts(VicLinksExpanded *e, int32 bin, int64 links,
									const double *parts, int nparts);
extern void vic_links_add_range(VicLinksExpanded *e, double dmin, double dmax);
extern void vic_links_add_summary(VicLinksExpanded *e, const VicLinks *l);
extern VicLinks *vic_links_flatten(VicLinksExpanded *e);
extern VicLinks *vic_links_getarg(FunctionCallInfo fcinfo, int argno);
extern const char *vic_links_mode_name(int mode);
extern int	vic_links_bin_of(double d);
extern double vic_links_bin_lower(int32 bin);
extern int	vic_links_parts(const VicLinks *l, int kind, int32 id, int field,
							double first, double *out);

#endif							/* VIC_LINKS_INTERNAL_H */
