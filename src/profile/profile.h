/*
 * profile.h
 *		The vic.profile summary: private declarations shared by profile*.c.
 *
 * A profile is an exact, mergeable summary of a set of firms.  Its canonical
 * content is
 *	 - the member entries (member id, industry code, weight, located?), one
 *	   per distinct (member, industry) pair, weights of repeated rows summed;
 *	 - the cells (region, industry, weight), one per distinct pair, where a
 *	   NULL region is a key of its own;
 *	 - the location moments: the summed weight of rows with a location and the
 *	   weighted sum of their unit vectors on the sphere.
 * The industry table, the region table and the total weight are derived from
 * that content in a fixed order whenever a profile is flattened, so equal
 * content always gives the same bytes.
 */
#ifndef VIC_PROFILE_H
#define VIC_PROFILE_H

#include "common/args.h"
#include "common/summary.h"
#include "industry/industry.h"

#include "utils/expandeddatum.h"

#include "profile_sort.h"		/* VicProfileMember, VIC_MEMBER_* */

/*
 * Version 1 is the wide layout below (24 bytes per member): the form every
 * reader works on, and what 0.1.0 stored.  Version 2 is the compact stored
 * layout (profile_compact.c), what this build writes; a read decodes it
 * into the wide form (DatumGetVicProfileP, profile_fetch_part).  The binary
 * send/recv format has a version of its own.
 */
#define VIC_PROFILE_VERSION_WIDE	1
#define VIC_PROFILE_VERSION_COMPACT 2
#define VIC_PROFILE_VERSION		VIC_PROFILE_VERSION_COMPACT
#define VIC_PROFILE_BINARY_VERSION	1

/* the SQL name of the type, as the shared summary errors print it */
#define VIC_PROFILE_TYPNAME		"vic.profile"

/* header flags */
#define VIC_PROFILE_TALLY		0x01	/* a multi_membership_share state */

/* a cell's region index when the region was NULL */
#define VIC_REGION_NULL			(-1)

typedef struct VicProfileIndustry
{
	int64		code;
	float8		weight;
} VicProfileIndustry;

typedef struct VicProfileRegion
{
	int32		name_off;		/* offset in the name pool, or -1 for NULL */
	int32		name_len;
	float8		weight;
} VicProfileRegion;

typedef struct VicProfileCell
{
	int32		region;			/* index into the region table, or -1 */
	int32		pad;
	int64		code;
	float8		weight;
} VicProfileCell;

/*
 * Every sum a profile holds (member weights of repeated rows, cell weights,
 * location moments) is exact: the stored weight is the correctly rounded
 * sum c1 and, when that is not the exact value, its further canonical parts
 * c2, c3, ... (xsum.h) follow the members, sorted by (kind, index), largest
 * first.  So merging profiles in any order gives the same bytes.
 */
#define VIC_SUM_MOMENT			0	/* index: 0 located weight, 1-3 x, y, z */
#define VIC_SUM_CELL			1	/* index into the cells */
#define VIC_SUM_MEMBER			2	/* index into the members */

typedef struct VicProfileSumPart
{
	int32		kind;
	int32		index;
	float8		value;
} VicProfileSumPart;

/*
 * Wide flat form (version 1): what 0.1.0 stored, and what every reader
 * works on (a stored version-2 value is decoded into it; profile_compact.c
 * has the compact layout, whose header is this one).  Arrays follow the
 * header in this order: industries
 * sorted by code, regions sorted by name (NULL first, then byte order),
 * cells sorted by (region, code), the region name pool (names without
 * terminators, padded to 8 bytes), and last the members sorted by (id,
 * code), then the further parts of exact sums.  Members come after the
 * tables so that metrics which read only the tables can fetch a prefix of a
 * toasted value (profile_fetch_part).
 */
typedef struct VicProfile
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;
	uint8		flags;
	uint16		scheme;			/* industry scheme, 0 when no industry yet */
	int32		nmembers;		/* member entries */
	int32		ndistinct;		/* distinct member ids */
	int32		nlocated;		/* distinct member ids with a location */
	int32		nindustries;
	int32		nregions;
	int32		ncells;
	int32		pool_len;
	int32		nparts;			/* further parts of exact sums, after the members */
	float8		total;			/* sum of member weights */
	float8		loc_weight;		/* sum of weights of rows with a location */
	float8		sx;				/* sum of w * unit vector */
	float8		sy;
	float8		sz;
	char		data[FLEXIBLE_ARRAY_MEMBER];
} VicProfile;

VIC_SUMMARY_LAYOUT(VicProfile);

#define VIC_PROFILE_HDRSZ		offsetof(VicProfile, data)
/* a version-2 value: the header, then the lengths of its three streams */
#define VIC_PROFILE_COMPACT_HDRSZ	(VIC_PROFILE_HDRSZ + 3 * sizeof(int32))
#define PROFILE_INDUSTRIES(p)	((VicProfileIndustry *) (p)->data)
#define PROFILE_REGIONS(p)		((VicProfileRegion *) (PROFILE_INDUSTRIES(p) + (p)->nindustries))
#define PROFILE_CELLS(p)		((VicProfileCell *) (PROFILE_REGIONS(p) + (p)->nregions))
#define PROFILE_POOL(p)			((char *) (PROFILE_CELLS(p) + (p)->ncells))
#define PROFILE_TABLES_SIZE(ni, nr, nc, pool) \
	((uint64) VIC_PROFILE_HDRSZ + \
	 (uint64) (ni) * sizeof(VicProfileIndustry) + \
	 (uint64) (nr) * sizeof(VicProfileRegion) + \
	 (uint64) (nc) * sizeof(VicProfileCell) + TYPEALIGN64(8, (uint64) (pool)))
#define PROFILE_MEMBERS(p) \
	((VicProfileMember *) ((char *) (p) + \
						   PROFILE_TABLES_SIZE((p)->nindustries, (p)->nregions, (p)->ncells, (p)->pool_len)))
#define PROFILE_PARTS(p) \
	((VicProfileSumPart *) (PROFILE_MEMBERS(p) + (p)->nmembers))
#define PROFILE_SIZE(nm, ni, nr, nc, pool, np) \
	(PROFILE_TABLES_SIZE(ni, nr, nc, pool) + (uint64) (nm) * sizeof(VicProfileMember) + \
	 (uint64) (np) * sizeof(VicProfileSumPart))

/*
 * The one way to read a stored profile: detoasted, its version byte checked
 * (XX001 for a value of unknown version) and, for version 2, decoded: the
 * result is always the wide form.  Partial reads (profile_fetch_part) check
 * the header the same way.
 */
#define DatumGetVicProfileP(d) profile_detoast(d)
#define PG_GETARG_VIC_PROFILE_P(n) DatumGetVicProfileP(PG_GETARG_DATUM(n))

/*
 * The leading parts of a flat profile: a metric fetches only what it reads
 * (the header, then the industry table, the region table, then the cells
 * and the name pool; the members are never part of such a prefix).
 */
typedef enum VicPart
{
	VIC_PART_HEADER,
	VIC_PART_INDUSTRIES,
	VIC_PART_REGIONS,
	VIC_PART_TABLES
} VicPart;

/* header and tables only: PROFILE_MEMBERS() must not be used on the result */
#define PG_GETARG_VIC_PROFILE_TABLES(n) profile_fetch_part_arg(fcinfo, (n), VIC_PART_TABLES)
/* header and leading parts only (VicPart) */
#define PG_GETARG_VIC_PROFILE_PART(n, part) profile_fetch_part_arg(fcinfo, (n), (part))

/* one (key, weight) pair of a share table, used by the metrics */
typedef struct VicShare
{
	int64		key;			/* industry code, region index or member id */
	float8		weight;
} VicShare;

/* the dimension a metric is taken over */
typedef enum VicBy
{
	VIC_BY_INDUSTRY,
	VIC_BY_REGION,
	VIC_BY_MEMBER
} VicBy;

/* the expanded form (profile.c, profile_agg.c; internals: profile_internal.h) */
typedef struct ProfileExp ProfileExp;

extern ProfileExp *profile_exp_new(MemoryContext parent, uint8 flags);
extern void profile_exp_set_flags(ProfileExp *ep, uint8 flags);
extern void profile_exp_scheme(ProfileExp *ep, int scheme);
extern int32 profile_exp_region(ProfileExp *ep, const char *name, int len);
extern void profile_exp_add_member(ProfileExp *ep, int64 id, int64 code, float8 w, bool located);
extern void profile_exp_add_cell(ProfileExp *ep, int32 region, int64 code, float8 w);
extern void profile_exp_add_member_part(ProfileExp *ep, int64 id, int64 code, float8 v);
extern void profile_exp_add_moment(ProfileExp *ep, int which, float8 v);
extern VicProfile *profile_exp_flatten(ProfileExp *ep);
extern void profile_exp_free(ProfileExp *ep);
extern int	region_name_cmp(const char *a, int alen, const char *b, int blen);

/* profile.c */
extern VicProfile *profile_detoast(Datum d);
extern VicProfile *profile_exp_flatten_wide(ProfileExp *ep);
extern VicProfile *profile_fetch_part(Datum d, VicPart part);
extern VicProfile *profile_fetch_part_arg(FunctionCallInfo fcinfo, int argno, VicPart part);
extern VicShare *profile_industry_table(VicProfile *p, int level, int *n);
extern VicShare *profile_region_table(VicProfile *p, int *n);
extern VicShare *profile_member_table(VicProfile *p, int *n);
extern VicShare *profile_table(VicProfile *p, VicBy by, int level, int *n);
extern void profile_check_schemes(VicProfile *a, VicProfile *b);
extern int	profile_region_cmp(VicProfile *a, int ra, VicProfile *b, int rb);
extern void profile_check_not_tally(VicProfile *p);

/* the deepest industry level of p's scheme (NAICS's 5 before any industry) */
static inline int
profile_max_level(const VicProfile *p)
{
	return p->scheme ? industry_max_level(p->scheme) : 5;
}

/* 22023 unless level is 0 (the codes as given) or a level of p's scheme */
static inline void
profile_check_level(const VicProfile *p, int level)
{
	if (level != 0)
		vic_check_level(level, profile_max_level(p));
}

/* profile_compact.c: the version-2 stored form */
extern VicProfile *profile_compact_encode(const VicProfile *t, const VicProfileMember *m,
										  const VicProfileSumPart *parts);
extern VicProfile *profile_compact_decode(const VicProfile *c, Size len, VicPart part,
										  bool members);
extern uint64 profile_compact_part_size(const VicProfile *c, Size len, VicPart part);

/* profile_agg.c */
extern VicProfile *profile_merge_many(VicProfile **ps, int n);

#endif							/* VIC_PROFILE_H */
