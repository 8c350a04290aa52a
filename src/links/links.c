/*
 * links.c
 *		vic.links: the expanded state, canonical flattening, the aggregates
 *		(links_agg over geography points or the caller's distances,
 *		merge_agg), ||, = and <>.
 *
 * Link lengths on the sphere are great-circle arcs on PostGIS's sphere of
 * radius (2a + b) / 3 = 6371008.7714 m (geo.h), so they equal
 * ST_Distance(a, b, false); on request
 * they are WGS 84 geodesics by PROJ's geod_inverse (Karney, "Algorithms for
 * geodesics", J. Geod. 87, 2013), as PostGIS's ST_Distance(a, b).
 */
#include "postgres.h"

#include <math.h>

#include "common/hashfn.h"
#include "utils/builtins.h"
#include "utils/float.h"

#include "links_internal.h"
#include "common/args.h"
#include "common/geo.h"

/* ----------------------------------------------------------------
 * Small helpers
 * ----------------------------------------------------------------
 */

/* the SQL name of a distance mode */
const char *
vic_links_mode_name(int mode)
{
	switch (mode)
	{
		case VIC_LINKS_USER:
			return "user";
		case VIC_LINKS_SPHERE:
			return "sphere";
		case VIC_LINKS_SPHEROID:
			return "spheroid";
	}
	return "unknown";
}

/* histogram bin of a length d >= 0: floor(64 log2 d), or the zero bin */
int
vic_links_bin_of(double d)
{
	if (d <= 0)
		return VIC_LINKS_ZERO_BIN;
	return (int) floor(log2(d) * VIC_LINKS_BINS_PER_OCTAVE);
}

/* lower edge of a bin (0 for the zero bin) */
double
vic_links_bin_lower(int32 bin)
{
	if (bin == VIC_LINKS_ZERO_BIN)
		return 0.0;
	return exp2((double) bin / VIC_LINKS_BINS_PER_OCTAVE);
}

/* grow an array of elem-sized entries to hold at least need */
static void *
grow_array(void *arr, int64 *cap, int64 need, Size elem, MemoryContext cxt)
{
	int64		ncap;

	if (need <= *cap)
		return arr;
	ncap = Max(*cap * 2, 16);
	while (ncap < need)
		ncap *= 2;
	if ((uint64) ncap > MaxAllocHugeSize / elem)
		vic_alloc_overflow(ncap, elem);
	if (arr == NULL)
		arr = MemoryContextAllocHuge(cxt, ncap * elem);
	else
		arr = repalloc_huge(arr, ncap * elem);
	*cap = ncap;
	return arr;
}

/* ----------------------------------------------------------------
 * Expanded state
 * ----------------------------------------------------------------
 */
static Size links_eoh_flat_size(ExpandedObjectHeader *eohptr);
static void links_eoh_flatten(ExpandedObjectHeader *eohptr, void *result, Size allocated_size);

static const ExpandedObjectMethods links_eoh_methods = {
	links_eoh_flat_size,
	links_eoh_flatten
};

/* a new, empty state in its own child of parent */
VicLinksExpanded *
vic_links_expanded_new(MemoryContext parent)
{
	MemoryContext cxt = AllocSetContextCreate(parent, "vic.links expanded",
											  ALLOCSET_SMALL_SIZES);
	VicLinksExpanded *e = MemoryContextAllocZero(cxt, sizeof(VicLinksExpanded));

	EOH_init_header(&e->hdr, &links_eoh_methods, cxt);
	e->mode = -1;
	e->last_src = e->last_dst = -1;
	return e;
}

/* the state changed: drop the cached flat form */
static inline void
links_touch(VicLinksExpanded *e)
{
	if (unlikely(e->flat != NULL))
	{
		pfree(e->flat);
		e->flat = NULL;
	}
}

/* 22023 unless a state of mode e->mode may take links measured as mode */
void
vic_links_set_mode(VicLinksExpanded *e, int mode)
{
	if (e->mode == mode)
		return;
	if (e->mode == -1)
	{
		e->mode = mode;
		return;
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("cannot merge vic.links summaries whose distances were measured differently"),
			 errdetail("One has %s distances, the other %s distances.",
					   vic_links_mode_name(e->mode), vic_links_mode_name(mode))));
}

/* remember a part an accumulator could not hold */
static void
links_spill(VicLinksExpanded *e, int kind, int32 id, int field, double part)
{
	e->spill = grow_array(e->spill, &e->capspill, e->nspill + 1, sizeof(LinksSpill),
						  e->hdr.eoh_context);
	e->spill[e->nspill].kind = kind;
	e->spill[e->nspill].field = field;
	e->spill[e->nspill].id = id;
	e->spill[e->nspill].part = part;
	e->nspill++;
}

/* acc += x exactly */
static inline void
links_acc(VicLinksExpanded *e, VicXsum *acc, int kind, int32 id, int field, double x)
{
	double		r = vic_xsum_add(acc, x);

	if (unlikely(r != 0))
		links_spill(e, kind, id, field, r);
}

/* rebuild an open-addressing table of n ids at twice the size */
static int32 *
table_new(int32 size, MemoryContext cxt)
{
	int32	   *t = MemoryContextAllocHuge(cxt, (Size) size * sizeof(int32));

	memset(t, 0xFF, (Size) size * sizeof(int32));
	return t;
}

/* the id of region name[0..len), added when new */
int32
vic_links_region_id(VicLinksExpanded *e, const char *name, int len)
{
	uint32		h = hash_bytes((const unsigned char *) name, len);
	uint32		mask;
	uint32		i;

	if (e->rtab == NULL || (int64) e->nregions * 2 >= e->rtabsize)
	{
		int32		nsize = e->rtab == NULL ? 64 : e->rtabsize * 2;
		int32	   *nt;

		if (nsize <= 0)
			vic_alloc_overflow(nsize, sizeof(int32));
		nt = table_new(nsize, e->hdr.eoh_context);
		for (int32 r = 0; r < e->nregions; r++)
		{
			uint32		j = e->regions[r].hash & (nsize - 1);

			while (nt[j] >= 0)
				j = (j + 1) & (nsize - 1);
			nt[j] = r;
		}
		if (e->rtab)
			pfree(e->rtab);
		e->rtab = nt;
		e->rtabsize = nsize;
	}
	mask = e->rtabsize - 1;
	for (i = h & mask;; i = (i + 1) & mask)
	{
		int32		r = e->rtab[i];
		LinksERegion *er;

		if (r < 0)
			break;
		er = &e->regions[r];
		if (er->hash == h && er->name_len == len &&
			memcmp(e->names + er->name_off, name, len) == 0)
			return r;
	}
	/* a new region */
	{
		int64		cap = e->capregions;
		LinksERegion *er;

		if (e->nregions == PG_INT32_MAX / 2)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("too many regions in a vic.links summary")));
		e->regions = grow_array(e->regions, &cap, e->nregions + 1, sizeof(LinksERegion),
								e->hdr.eoh_context);
		e->capregions = (int32) cap;
		if (e->names_len + len > PG_INT32_MAX / 2)
			vic_check_summary_size((uint64) e->names_len + len + MaxAllocSize, VIC_LINKS_TYPNAME, NULL);
		e->names = grow_array(e->names, &e->names_cap, e->names_len + len + 1, 1,
							  e->hdr.eoh_context);
		memcpy(e->names + e->names_len, name, len);
		er = &e->regions[e->nregions];
		memset(er, 0, sizeof(*er));
		er->name_off = (int32) e->names_len;
		er->name_len = len;
		er->hash = h;
		e->names_len += len;
		e->rtab[i] = e->nregions;
		links_touch(e);
		return e->nregions++;
	}
}

/* the pair entry of (src, dst), added when new */
static LinksEPair *
links_pair(VicLinksExpanded *e, int32 src, int32 dst, int32 *id)
{
	uint64		key = ((uint64) (uint32) src << 32) | (uint32) dst;
	uint32		mask;
	uint32		i;

	if (e->ptab == NULL || (int64) e->npairs * 2 >= e->ptabsize)
	{
		int32		nsize = e->ptab == NULL ? 256 : e->ptabsize * 2;
		int32	   *nt;

		if (nsize <= 0)
			vic_alloc_overflow(nsize, sizeof(int32));
		nt = table_new(nsize, e->hdr.eoh_context);
		for (int32 p = 0; p < e->npairs; p++)
		{
			uint32		j = vic_hash64(e->pairs[p].key) & (nsize - 1);

			while (nt[j] >= 0)
				j = (j + 1) & (nsize - 1);
			nt[j] = p;
		}
		if (e->ptab)
			pfree(e->ptab);
		e->ptab = nt;
		e->ptabsize = nsize;
	}
	mask = e->ptabsize - 1;
	for (i = vic_hash64(key) & mask;; i = (i + 1) & mask)
	{
		int32		p = e->ptab[i];

		if (p < 0)
			break;
		if (e->pairs[p].key == key)
		{
			*id = p;
			return &e->pairs[p];
		}
	}
	{
		int64		cap = e->cappairs;
		LinksEPair *ep;

		if (e->npairs == PG_INT32_MAX / 2)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("too many region pairs in a vic.links summary")));
		e->pairs = grow_array(e->pairs, &cap, e->npairs + 1, sizeof(LinksEPair),
							  e->hdr.eoh_context);
		e->cappairs = (int32) cap;
		ep = &e->pairs[e->npairs];
		memset(ep, 0, sizeof(*ep));
		ep->key = key;
		e->ptab[i] = e->npairs;
		*id = e->npairs++;
		return ep;
	}
}

/* the bin entry of bin, added when new */
static LinksEBin *
links_bin(VicLinksExpanded *e, int32 bin, int32 *id)
{
	uint32		mask;
	uint32		i;

	if (e->btab == NULL || (int64) e->nbins * 2 >= e->btabsize)
	{
		int32		nsize = e->btab == NULL ? 256 : e->btabsize * 2;
		int32	   *nt = table_new(nsize, e->hdr.eoh_context);

		for (int32 b = 0; b < e->nbins; b++)
		{
			uint32		j = vic_hash64((uint32) e->bins[b].bin) & (nsize - 1);

			while (nt[j] >= 0)
				j = (j + 1) & (nsize - 1);
			nt[j] = b;
		}
		if (e->btab)
			pfree(e->btab);
		e->btab = nt;
		e->btabsize = nsize;
	}
	mask = e->btabsize - 1;
	for (i = vic_hash64((uint32) bin) & mask;; i = (i + 1) & mask)
	{
		int32		b = e->btab[i];

		if (b < 0)
			break;
		if (e->bins[b].bin == bin)
		{
			*id = b;
			return &e->bins[b];
		}
	}
	{
		int64		cap = e->capbins;
		LinksEBin  *eb;

		e->bins = grow_array(e->bins, &cap, e->nbins + 1, sizeof(LinksEBin),
							 e->hdr.eoh_context);
		e->capbins = (int32) cap;
		eb = &e->bins[e->nbins];
		memset(eb, 0, sizeof(*eb));
		eb->bin = bin;
		e->btab[i] = e->nbins;
		*id = e->nbins++;
		return eb;
	}
}

/* add exact parts to field of pair (src, dst), and links (counted with field 0) */
void
vic_links_add_pair_parts(VicLinksExpanded *e, int32 src, int32 dst, int64 links,
						 int field, const double *parts, int nparts)
{
	int32		id;
	LinksEPair *p = links_pair(e, src, dst, &id);

	if (field == 0)
	{
		if (pg_add_s64_overflow(p->links, links, &p->links))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("link count out of range in a vic.links summary")));
	}
	for (int k = 0; k < nparts; k++)
		links_acc(e, &p->f[field], LINKS_KIND_PAIR, id, field, parts[k]);
	links_touch(e);
}

/* add exact parts to field of region r */
void
vic_links_add_region_parts(VicLinksExpanded *e, int32 r, int field,
						   const double *parts, int nparts)
{
	for (int k = 0; k < nparts; k++)
		links_acc(e, &e->regions[r].f[field], LINKS_KIND_REGION, r, field, parts[k]);
	links_touch(e);
}

/* add exact parts to the weight of a bin, and links */
void
vic_links_add_bin_parts(VicLinksExpanded *e, int32 bin, int64 links,
						const double *parts, int nparts)
{
	int32		id;
	LinksEBin  *b = links_bin(e, bin, &id);

	if (pg_add_s64_overflow(b->links, links, &b->links))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("link count out of range in a vic.links summary")));
	for (int k = 0; k < nparts; k++)
		links_acc(e, &b->f[0], LINKS_KIND_BIN, id, 0, parts[k]);
	links_touch(e);
}

/* widen the length range */
void
vic_links_add_range(VicLinksExpanded *e, double dmin, double dmax)
{
	if (!e->any)
	{
		e->dmin = dmin;
		e->dmax = dmax;
		e->any = true;
	}
	else
	{
		if (dmin < e->dmin)
			e->dmin = dmin;
		if (dmax > e->dmax)
			e->dmax = dmax;
	}
	links_touch(e);
}

/*
 * One link of weight w and length d from region src to dst, the unit
 * vectors of its ends (NULL without locations).  The per-row path.
 */
static void
links_add_link(VicLinksExpanded *e, int32 src, int32 dst, double w, double d,
			   const VicVec3 *us, const VicVec3 *ud)
{
	int32		pid;
	int32		bid;
	LinksEPair *p = links_pair(e, src, dst, &pid);
	LinksEBin  *b;
	LinksERegion *rs;
	LinksERegion *rd;
	double		wd = w * d;

	p->links++;
	links_acc(e, &p->f[0], LINKS_KIND_PAIR, pid, 0, w);
	links_acc(e, &p->f[1], LINKS_KIND_PAIR, pid, 1, wd);
	links_acc(e, &p->f[2], LINKS_KIND_PAIR, pid, 2, wd * d);
	links_acc(e, &p->f[3], LINKS_KIND_PAIR, pid, 3, d);
	b = links_bin(e, vic_links_bin_of(d), &bid);
	b->links++;
	links_acc(e, &b->f[0], LINKS_KIND_BIN, bid, 0, w);
	rs = &e->regions[src];
	links_acc(e, &rs->f[0], LINKS_KIND_REGION, src, 0, w);
	rd = &e->regions[dst];
	links_acc(e, &rd->f[0], LINKS_KIND_REGION, dst, 0, w);
	if (us != NULL)
	{
		links_acc(e, &rs->f[1], LINKS_KIND_REGION, src, 1, w * us->x);
		links_acc(e, &rs->f[2], LINKS_KIND_REGION, src, 2, w * us->y);
		links_acc(e, &rs->f[3], LINKS_KIND_REGION, src, 3, w * us->z);
		links_acc(e, &rd->f[1], LINKS_KIND_REGION, dst, 1, w * ud->x);
		links_acc(e, &rd->f[2], LINKS_KIND_REGION, dst, 2, w * ud->y);
		links_acc(e, &rd->f[3], LINKS_KIND_REGION, dst, 3, w * ud->z);
	}
	if (!e->any)
	{
		e->dmin = e->dmax = d;
		e->any = true;
	}
	else if (d < e->dmin)
		e->dmin = d;
	else if (d > e->dmax)
		e->dmax = d;
	links_touch(e);
}

/* binary search of the residual parts of (kind, id, field) in a flat summary */
int
vic_links_parts(const VicLinks *l, int kind, int32 id, int field, double first, double *out)
{
	const VicLinksResid *rs = LINKS_RESID(l);
	int			lo = 0;
	int			hi = l->nresid;
	int			n = 0;

	out[n++] = first;
	if (l->nresid == 0)
		return n;
	while (lo < hi)
	{
		int			mid = lo + (hi - lo) / 2;
		const VicLinksResid *m = &rs[mid];

		if (m->kind < kind || (m->kind == kind && (m->id < id || (m->id == id && m->field < field))))
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo < l->nresid && rs[lo].kind == kind && rs[lo].id == id && rs[lo].field == field &&
		   n < VIC_XSUM_MAXPARTS)
		out[n++] = rs[lo++].part;
	return n;
}

/* add a whole flat summary to a state (merging) */
void
vic_links_add_summary(VicLinksExpanded *e, const VicLinks *l)
{
	const VicLinksRegion *rg = LINKS_REGIONS(l);
	const VicLinksPair *pr = LINKS_PAIRS(l);
	const VicLinksBin *bn = LINKS_BINS(l);
	int32	   *map;
	double		parts[VIC_XSUM_MAXPARTS];
	MemoryContext old;

	vic_links_set_mode(e, l->flags);
	if (l->nregions == 0)
		return;
	old = MemoryContextSwitchTo(e->hdr.eoh_context);
	map = palloc(sizeof(int32) * l->nregions);
	for (int32 r = 0; r < l->nregions; r++)
	{
		map[r] = vic_links_region_id(e, LINKS_NAME(l, r), rg[r].name_len);
		for (int f = 0; f < VIC_LINKS_REGION_FIELDS; f++)
		{
			int			n = vic_links_parts(l, LINKS_KIND_REGION, r, f, rg[r].f[f], parts);

			vic_links_add_region_parts(e, map[r], f, parts, n);
		}
	}
	for (int32 p = 0; p < l->npairs; p++)
	{
		VIC_POLL_INTERRUPTS(p);
		for (int f = 0; f < VIC_LINKS_PAIR_FIELDS; f++)
		{
			int			n = vic_links_parts(l, LINKS_KIND_PAIR, p, f, pr[p].f[f], parts);

			vic_links_add_pair_parts(e, map[pr[p].src], map[pr[p].dst],
									 f == 0 ? pr[p].links : 0, f, parts, n);
		}
	}
	for (int32 b = 0; b < l->nbins; b++)
	{
		int			n = vic_links_parts(l, LINKS_KIND_BIN, b, 0, bn[b].f[0], parts);

		vic_links_add_bin_parts(e, bn[b].bin, bn[b].links, parts, n);
	}
	if (l->npairs > 0)
		vic_links_add_range(e, l->dmin, l->dmax);
	pfree(map);
	MemoryContextSwitchTo(old);
}

/* ----------------------------------------------------------------
 * Flattening: canonical order and canonical parts
 * ----------------------------------------------------------------
 */
typedef struct PairOrder
{
	int32		src;			/* canonical region index */
	int32		dst;
	int32		id;				/* insertion id */
} PairOrder;

static int
cmp_region(const void *a, const void *b, void *arg)
{
	const VicLinksExpanded *e = arg;
	const LinksERegion *x = &e->regions[*(const int32 *) a];
	const LinksERegion *y = &e->regions[*(const int32 *) b];
	int			c = memcmp(e->names + x->name_off, e->names + y->name_off,
						   Min(x->name_len, y->name_len));

	if (c != 0)
		return c;
	return (x->name_len > y->name_len) - (x->name_len < y->name_len);
}

static int
cmp_pair(const void *a, const void *b)
{
	const PairOrder *x = a;
	const PairOrder *y = b;

	if (x->src != y->src)
		return x->src < y->src ? -1 : 1;
	return (x->dst > y->dst) - (x->dst < y->dst);
}

static int
cmp_bin(const void *a, const void *b, void *arg)
{
	const VicLinksExpanded *e = arg;
	int32		x = e->bins[*(const int32 *) a].bin;
	int32		y = e->bins[*(const int32 *) b].bin;

	return (x > y) - (x < y);
}

static int
cmp_spill(const void *a, const void *b)
{
	const LinksSpill *x = a;
	const LinksSpill *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return (x->field > y->field) - (x->field < y->field);
}

typedef struct ResidBuf
{
	VicLinksResid *r;
	int64		n;
	int64		cap;
} ResidBuf;

/*
 * The canonical value of accumulator acc of entry (kind, eid) field f, with
 * its spilled parts; further parts go to rb under the canonical id cid.
 */
static double
links_canonical(VicLinksExpanded *e, const VicXsum *acc, int kind, int32 eid, int f,
				int32 cid, ResidBuf *rb)
{
	double		v[2 + 64];
	double		out[VIC_XSUM_MAXPARTS];
	int			n = 0;
	int			np;
	double	   *vv = v;

	v[n++] = acc->hi;
	v[n++] = acc->lo;
	if (e->nspill > 0)
	{
		LinksSpill key = {kind, f, eid, 0};
		LinksSpill *s = bsearch(&key, e->spill, e->nspill, sizeof(LinksSpill), cmp_spill);

		if (s != NULL)
		{
			LinksSpill *lo = s;
			LinksSpill *hi = s;
			int64		cnt;

			while (lo > e->spill && cmp_spill(lo - 1, &key) == 0)
				lo--;
			while (hi + 1 < e->spill + e->nspill && cmp_spill(hi + 1, &key) == 0)
				hi++;
			cnt = hi - lo + 1;
			if (cnt + 2 > (int64) lengthof(v))
				vv = vic_alloc_array(cnt + 2, sizeof(double));
			vv[0] = acc->hi;
			vv[1] = acc->lo;
			n = 2;
			for (LinksSpill *p = lo; p <= hi; p++)
				vv[n++] = p->part;
		}
	}
	if (n == 2 && acc->lo == 0)
		return acc->hi + 0.0;
	np = vic_xsum_canonical(vv, n, out);
	if (vv != v)
		pfree(vv);
	for (int k = 1; k < np; k++)
	{
		rb->r = grow_array(rb->r, &rb->cap, rb->n + 1, sizeof(VicLinksResid), CurrentMemoryContext);
		rb->r[rb->n].kind = kind;
		rb->r[rb->n].field = f;
		rb->r[rb->n].reserved = 0;
		rb->r[rb->n].id = cid;
		rb->r[rb->n].part = out[k];
		rb->n++;
	}
	return np > 0 ? out[0] : 0.0;
}

/* the canonical flat form of a state, palloc'd in the current context */
VicLinks *
vic_links_flatten(VicLinksExpanded *e)
{
	int32		nr = e->nregions;
	int32		np = e->npairs;
	int32		nb = e->nbins;
	int32	   *rorder = vic_alloc_array(nr, sizeof(int32));
	int32	   *rank = vic_alloc_array(nr, sizeof(int32));
	PairOrder  *porder = vic_alloc_array(np, sizeof(PairOrder));
	int32	   *border = vic_alloc_array(nb, sizeof(int32));
	VicLinksRegion *regs = vic_alloc_array(nr, sizeof(VicLinksRegion));
	VicLinksPair *prs = vic_alloc_array(np, sizeof(VicLinksPair));
	VicLinksBin *bns = vic_alloc_array(nb, sizeof(VicLinksBin));
	ResidBuf	rb = {NULL, 0, 0};
	uint64		size;
	VicLinks   *l;
	char	   *names;
	int64		off = 0;

	if (e->nspill > 1)
		qsort(e->spill, e->nspill, sizeof(LinksSpill), cmp_spill);
	for (int32 r = 0; r < nr; r++)
		rorder[r] = r;
	qsort_arg(rorder, nr, sizeof(int32), cmp_region, e);
	for (int32 r = 0; r < nr; r++)
	{
		LinksERegion *er = &e->regions[rorder[r]];

		rank[rorder[r]] = r;
		regs[r].name_off = (int32) off;
		regs[r].name_len = er->name_len;
		off += er->name_len;
		for (int f = 0; f < VIC_LINKS_REGION_FIELDS; f++)
			regs[r].f[f] = links_canonical(e, &er->f[f], LINKS_KIND_REGION, rorder[r], f, r, &rb);
	}
	for (int32 p = 0; p < np; p++)
	{
		porder[p].src = rank[e->pairs[p].key >> 32];
		porder[p].dst = rank[(uint32) e->pairs[p].key];
		porder[p].id = p;
	}
	qsort(porder, np, sizeof(PairOrder), cmp_pair);
	for (int32 p = 0; p < np; p++)
	{
		LinksEPair *ep = &e->pairs[porder[p].id];

		VIC_POLL_INTERRUPTS(p);
		prs[p].src = porder[p].src;
		prs[p].dst = porder[p].dst;
		prs[p].links = ep->links;
		for (int f = 0; f < VIC_LINKS_PAIR_FIELDS; f++)
			prs[p].f[f] = links_canonical(e, &ep->f[f], LINKS_KIND_PAIR, porder[p].id, f, p, &rb);
	}
	for (int32 b = 0; b < nb; b++)
		border[b] = b;
	qsort_arg(border, nb, sizeof(int32), cmp_bin, e);
	for (int32 b = 0; b < nb; b++)
	{
		LinksEBin  *eb = &e->bins[border[b]];

		bns[b].bin = eb->bin;
		bns[b].reserved = 0;
		bns[b].links = eb->links;
		bns[b].f[0] = links_canonical(e, &eb->f[0], LINKS_KIND_BIN, border[b], 0, b, &rb);
	}

	size = LINKS_HDRSZ + (uint64) nr * sizeof(VicLinksRegion) + (uint64) np * sizeof(VicLinksPair) +
		(uint64) nb * sizeof(VicLinksBin) + (uint64) rb.n * sizeof(VicLinksResid) +
		MAXALIGN(e->names_len);
	vic_check_summary_size(size, VIC_LINKS_TYPNAME, "Summarise fewer region pairs per value.");
	l = palloc0(size);
	SET_VARSIZE(l, size);
	l->version = VIC_LINKS_VERSION;
	l->flags = e->mode < 0 ? VIC_LINKS_USER : e->mode;
	l->nregions = nr;
	l->npairs = np;
	l->nbins = nb;
	l->nresid = (int32) rb.n;
	l->names_len = (int32) e->names_len;
	l->dmin = e->any ? e->dmin + 0.0 : 0.0;
	l->dmax = e->any ? e->dmax + 0.0 : 0.0;
	memcpy(LINKS_REGIONS(l), regs, (Size) nr * sizeof(VicLinksRegion));
	memcpy(LINKS_PAIRS(l), prs, (Size) np * sizeof(VicLinksPair));
	memcpy(LINKS_BINS(l), bns, (Size) nb * sizeof(VicLinksBin));
	if (rb.n > 0)
		memcpy(LINKS_RESID(l), rb.r, (Size) rb.n * sizeof(VicLinksResid));
	names = LINKS_NAMES(l);
	for (int32 r = 0; r < nr; r++)
	{
		LinksERegion *er = &e->regions[rorder[r]];

		memcpy(names + regs[r].name_off, e->names + er->name_off, er->name_len);
	}
	pfree(rorder);
	pfree(rank);
	pfree(porder);
	pfree(border);
	pfree(regs);
	pfree(prs);
	pfree(bns);
	if (rb.r)
		pfree(rb.r);
	return l;
}

static Size
links_eoh_flat_size(ExpandedObjectHeader *eohptr)
{
	VicLinksExpanded *e = (VicLinksExpanded *) eohptr;

	if (e->flat == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(e->hdr.eoh_context);

		e->flat = vic_links_flatten(e);
		MemoryContextSwitchTo(old);
	}
	return VARSIZE(e->flat);
}

static void
links_eoh_flatten(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	VicLinksExpanded *e = (VicLinksExpanded *) eohptr;

	Assert(e->flat != NULL && VARSIZE(e->flat) == allocated_size);
	memcpy(result, e->flat, allocated_size);
}

/*
 * A vic.links argument, detoasted (an expanded one flattened) and checked:
 * the version, and sizes that agree with the counts (XX001 otherwise).
 */
VicLinks *
vic_links_getarg(FunctionCallInfo fcinfo, int argno)
{
	Datum		d = PG_GETARG_DATUM(argno);
	VicLinks   *l;
	uint64		size;

	if (VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(d)))
	{
		ExpandedObjectHeader *eoh = DatumGetEOHP(d);

		if (eoh->eoh_methods == &links_eoh_methods)
		{
			VicLinksExpanded *e = (VicLinksExpanded *) eoh;

			(void) links_eoh_flat_size(eoh);
			return e->flat;
		}
	}
	l = vic_summary_detoast(d, VIC_LINKS_VERSION, VIC_LINKS_TYPNAME);
	if (VARSIZE(l) < LINKS_HDRSZ || l->nregions < 0 || l->npairs < 0 || l->nbins < 0 ||
		l->nresid < 0 || l->names_len < 0 || l->flags > VIC_LINKS_SPHEROID)
		goto corrupt;
	size = LINKS_HDRSZ + (uint64) l->nregions * sizeof(VicLinksRegion) +
		(uint64) l->npairs * sizeof(VicLinksPair) + (uint64) l->nbins * sizeof(VicLinksBin) +
		(uint64) l->nresid * sizeof(VicLinksResid) + MAXALIGN((uint64) l->names_len);
	if (size != VARSIZE(l))
		goto corrupt;
	return l;
corrupt:
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("stored value of type %s is corrupted", VIC_LINKS_TYPNAME),
			 errdetail("Its counts do not match its size.")));
	return NULL;
}

/* ----------------------------------------------------------------
 * Aggregates
 * ----------------------------------------------------------------
 */

/* the state in argument argno, ready to be mutated */
static VicLinksExpanded *
links_state(FunctionCallInfo fcinfo, int argno, MemoryContext aggcxt)
{
	VicLinksExpanded *e;

	if (!PG_ARGISNULL(argno))
	{
		Datum		d = PG_GETARG_DATUM(argno);

		if (VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(d)))
		{
			ExpandedObjectHeader *eoh = DatumGetEOHP(d);

			if (eoh->eoh_methods == &links_eoh_methods)
				return (VicLinksExpanded *) eoh;
		}
		e = vic_links_expanded_new(aggcxt);
		vic_links_add_summary(e, vic_links_getarg(fcinfo, argno));
		return e;
	}
	return vic_links_expanded_new(aggcxt);
}

/* region id of a text argument, with a one-entry cache per end */
static int32
links_region_arg(VicLinksExpanded *e, FunctionCallInfo fcinfo, int argno, int32 *last)
{
	text	   *t = PG_GETARG_TEXT_PP(argno);
	const char *s = VARDATA_ANY(t);
	int			len = VARSIZE_ANY_EXHDR(t);
	int32		r = *last;

	if (r >= 0 && e->regions[r].name_len == len &&
		memcmp(e->names + e->regions[r].name_off, s, len) == 0)
		return r;
	r = vic_links_region_id(e, s, len);
	*last = r;
	return r;
}

/* the text of a region argument, for error messages */
static char *
region_text(FunctionCallInfo fcinfo, int argno)
{
	return text_to_cstring(PG_GETARG_TEXT_PP(argno));
}

/* 22023 for a bad weight or distance of a link */
static void
bad_link_value(FunctionCallInfo fcinfo, const char *what, double v) pg_attribute_noreturn();
static void
bad_link_value(FunctionCallInfo fcinfo, const char *what, double v)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid %s %s for link \"%s\" -> \"%s\"", what,
					float8out_internal(v), region_text(fcinfo, 1), region_text(fcinfo, 2)),
			 errdetail("A link's %s must be a finite number >= 0.", what)));
}

/* 22023 for a NULL argument of a link */
static void
null_link_value(FunctionCallInfo fcinfo, const char *what) pg_attribute_noreturn();
static void
null_link_value(FunctionCallInfo fcinfo, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("null %s for link \"%s\" -> \"%s\"", what,
					region_text(fcinfo, 1), region_text(fcinfo, 2)),
			 errdetail("Only a link with a NULL region is skipped.")));
}

/* a point argument: lon/lat in degrees */
static void
links_point_arg(FunctionCallInfo fcinfo, int argno, const char *what, double *lon, double *lat)
{
	struct varlena *g;

	if (PG_ARGISNULL(argno))
		null_link_value(fcinfo, what);
	g = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(argno));
	vic_point_data((const uint8 *) VARDATA_ANY(g), VARSIZE_ANY_EXHDR(g), what, lon, lat);
}

PG_FUNCTION_INFO_V1(vic_links_agg_trans_geo);
/* links_agg(src, dst, src_location, dst_location [, weight [, use_spheroid]]) transition */
Datum
vic_links_agg_trans_geo(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	VicLinksExpanded *e;
	double		lon1,
				lat1,
				lon2,
				lat2;
	double		w = 1.0;
	double		d;
	int			mode = VIC_LINKS_SPHERE;
	VicVec3		us,
				ud;
	int32		s,
				t;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "vic_links_agg_trans_geo called in non-aggregate context");
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	links_point_arg(fcinfo, 3, "src_location", &lon1, &lat1);
	links_point_arg(fcinfo, 4, "dst_location", &lon2, &lat2);
	if (PG_NARGS() > 5)
	{
		if (PG_ARGISNULL(5))
			null_link_value(fcinfo, "weight");
		w = PG_GETARG_FLOAT8(5);
		if (unlikely(!vic_weight_ok(w)))
			bad_link_value(fcinfo, "weight", w);
		w += 0.0;
	}
	if (PG_NARGS() > 6)
	{
		if (PG_ARGISNULL(6))
			null_link_value(fcinfo, "use_spheroid");
		if (PG_GETARG_BOOL(6))
			mode = VIC_LINKS_SPHEROID;
	}
	us = vic_point_vector(lon1, lat1);
	ud = vic_point_vector(lon2, lat2);
	if (mode == VIC_LINKS_SPHERE)
		d = vic_postgis_sphere_distance(us, ud);
	else
		d = vic_geodesic_distance(lon1, lat1, lon2, lat2);
	d += 0.0;
	e = links_state(fcinfo, 0, aggcxt);
	vic_links_set_mode(e, mode);
	s = links_region_arg(e, fcinfo, 1, &e->last_src);
	t = links_region_arg(e, fcinfo, 2, &e->last_dst);
	links_add_link(e, s, t, w, d, &us, &ud);
	PG_RETURN_DATUM(EOHPGetRWDatum(&e->hdr));
}

PG_FUNCTION_INFO_V1(vic_links_agg_trans_dist);
/* links_agg(src, dst, distance, weight) transition: the caller's distances */
Datum
vic_links_agg_trans_dist(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	VicLinksExpanded *e;
	double		w;
	double		d;
	int32		s,
				t;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "vic_links_agg_trans_dist called in non-aggregate context");
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	if (PG_ARGISNULL(3))
		null_link_value(fcinfo, "distance");
	if (PG_ARGISNULL(4))
		null_link_value(fcinfo, "weight");
	d = PG_GETARG_FLOAT8(3);
	w = PG_GETARG_FLOAT8(4);
	if (unlikely(!vic_weight_ok(d)))
		bad_link_value(fcinfo, "distance", d);
	if (unlikely(!vic_weight_ok(w)))
		bad_link_value(fcinfo, "weight", w);
	e = links_state(fcinfo, 0, aggcxt);
	vic_links_set_mode(e, VIC_LINKS_USER);
	s = links_region_arg(e, fcinfo, 1, &e->last_src);
	t = links_region_arg(e, fcinfo, 2, &e->last_dst);
	links_add_link(e, s, t, w + 0.0, d + 0.0, NULL, NULL);
	PG_RETURN_DATUM(EOHPGetRWDatum(&e->hdr));
}

PG_FUNCTION_INFO_V1(vic_links_merge_trans);
/* merge_agg transition and combine function of the links aggregates */
Datum
vic_links_merge_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	VicLinksExpanded *e;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "vic_links_merge_trans called in non-aggregate context");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	e = links_state(fcinfo, 0, aggcxt);
	vic_links_add_summary(e, vic_links_getarg(fcinfo, 1));
	PG_RETURN_DATUM(EOHPGetRWDatum(&e->hdr));
}

PG_FUNCTION_INFO_V1(vic_links_concat);
/* a || b: the summary of the union of both links */
Datum
vic_links_concat(PG_FUNCTION_ARGS)
{
	VicLinksExpanded *e = vic_links_expanded_new(CurrentMemoryContext);
	VicLinks   *r;

	vic_links_add_summary(e, vic_links_getarg(fcinfo, 0));
	vic_links_add_summary(e, vic_links_getarg(fcinfo, 1));
	r = vic_links_flatten(e);
	PG_RETURN_POINTER(r);
}

PG_FUNCTION_INFO_V1(vic_links_eq);
/* a = b: the same canonical bytes */
Datum
vic_links_eq(PG_FUNCTION_ARGS)
{
	VicLinks   *a = vic_links_getarg(fcinfo, 0);
	VicLinks   *b = vic_links_getarg(fcinfo, 1);

	PG_RETURN_BOOL(VARSIZE(a) == VARSIZE(b) && memcmp(a, b, VARSIZE(a)) == 0);
}

PG_FUNCTION_INFO_V1(vic_links_ne);
/* a <> b */
Datum
vic_links_ne(PG_FUNCTION_ARGS)
{
	VicLinks   *a = vic_links_getarg(fcinfo, 0);
	VicLinks   *b = vic_links_getarg(fcinfo, 1);

	PG_RETURN_BOOL(!(VARSIZE(a) == VARSIZE(b) && memcmp(a, b, VARSIZE(a)) == 0));
}
