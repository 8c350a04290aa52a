/*
 * profile.c
 *		vic.profile, the type: the expanded form's basics, flattening into the
 *		canonical flat form, the version check every read goes through, and
 *		the leading parts and tables the metrics read.  The aggregate state
 *		(transition, combine and final functions): profile_agg.c; the member
 *		sort engine: profile_sort.c; text and binary I/O: profile_io.c;
 *		metrics: profile_metrics.c; locations: profile_geo.c.
 *
 * Flattening sorts every table, so the flat form, and hence the text form,
 * is canonical.  doc/architecture.md walks through the data path.
 */
#include "postgres.h"

#include <math.h>

#include "access/detoast.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "profile_internal.h"

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
void
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
			 errdetail("A profile holds codes of one scheme; a code of %s cannot join a profile of %s.",
					   industry_scheme_name(scheme), industry_scheme_name(ep->scheme))));
}

/* append a region name that ep does not hold yet; returns its id */
int32
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

/* add v, a further part of the weight of member (id, code), to ep */
void
profile_exp_add_member_part(ProfileExp *ep, int64 id, int64 code, float8 v)
{
	profile_exp_dirty(ep);
	if (v != 0)
		profile_exp_add_part(ep, VIC_SUM_MEMBER, id, VIC_MEMBER_CODE(code), v);
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
				vic_alloc_array(vcap, sizeof(double));
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
		vic_check_summary_size(PROFILE_SIZE(nm, 0, 0, 0, 0, 0), VIC_PROFILE_TYPNAME,
							   VIC_PROFILE_SIZE_HINT);

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
	bycode = vic_alloc_array(nc, sizeof(VicProfileCell));
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
	c = vic_alloc_array(nc, sizeof(VicProfileCell));
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
	vic_check_summary_size(size, VIC_PROFILE_TYPNAME, VIC_PROFILE_SIZE_HINT);
	p = palloc0(PROFILE_TABLES_SIZE(ni, nr, nc, pool_len));
	SET_VARSIZE(p, size);
	p->version = VIC_PROFILE_VERSION_WIDE;
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

/* the cached header and tables of the wide flat form of ep (built if stale) */
static VicProfile *
profile_exp_tables(ProfileExp *ep)
{
	if (ep->flat == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(ep->hdr.eoh_context);

		ep->flat = profile_build_flat(ep);
		MemoryContextSwitchTo(old);
	}
	return ep->flat;
}

/* copy the wide flat form of ep (tables built) to result, of VARSIZE(ep->flat) bytes */
static void
profile_exp_copy_wide(ProfileExp *ep, void *result)
{
	VicProfile *t = ep->flat;
	Size		tsize;

	Assert(ep->msorted == ep->mcount && ep->mcount == t->nmembers);
	tsize = PROFILE_TABLES_SIZE(t->nindustries, t->nregions, t->ncells, t->pool_len);
	profile_advise_huge(result, VARSIZE(t));
	profile_prefault(result, VARSIZE(t));
	memcpy(result, t, tsize);
	memcpy((char *) result + tsize, ep->marr,
		   sizeof(VicProfileMember) * (Size) t->nmembers);
	if (t->nparts > 0)
		memcpy((char *) result + tsize + sizeof(VicProfileMember) * (Size) t->nmembers,
			   ep->flat_parts, sizeof(VicProfileSumPart) * (Size) t->nparts);
}

/*
 * EOH method: size of the flat form.  A finished value (ep->stored_form:
 * returned by the final function or flattened explicitly) flattens to its
 * stored (version 2) form, encoded here and cached.  A partial aggregate
 * state, which a parallel worker (or the leader's share of a parallel
 * plan, through a sort) flattens on its way to the combine function,
 * flattens to the wide form: the combine function reads it without
 * decoding.
 */
static Size
profile_get_flat_size(ExpandedObjectHeader *eohptr)
{
	ProfileExp *ep = (ProfileExp *) eohptr;
	VicProfile *t;

	Assert(ep->magic == VIC_PROFILE_MAGIC);
	t = profile_exp_tables(ep);
	if (!ep->stored_form)
		return VARSIZE(t);
	if (ep->stored == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(ep->hdr.eoh_context);

		ep->stored = profile_compact_encode(t, ep->marr, ep->flat_parts);
		MemoryContextSwitchTo(old);
	}
	return VARSIZE(ep->stored);
}

/* EOH method: copy the flat form of profile_get_flat_size out */
static void
profile_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	ProfileExp *ep = (ProfileExp *) eohptr;

	if (ep->stored_form)
	{
		Assert(ep->stored != NULL && VARSIZE(ep->stored) == allocated_size);
		memcpy(result, ep->stored, allocated_size);
		return;
	}
	Assert(ep->flat != NULL && VARSIZE(ep->flat) == allocated_size);
	profile_exp_copy_wide(ep, result);
}

/* flatten ep to its stored form from now on (a finished value) */
void
profile_exp_finish(ProfileExp *ep)
{
	ep->stored_form = true;
}

/* the wide flat form of an expanded profile, palloc'd in the current context */
VicProfile *
profile_exp_flatten_wide(ProfileExp *ep)
{
	VicProfile *t = profile_exp_tables(ep);
	VicProfile *p = palloc_extended(VARSIZE(t), MCXT_ALLOC_HUGE);

	profile_exp_copy_wide(ep, p);
	return p;
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

/*
 * flatten an expanded profile into a palloc'd varlena in the current
 * context: its stored form (profile_get_flat_size)
 */
VicProfile *
profile_exp_flatten(ProfileExp *ep)
{
	Size		size;
	VicProfile *p;

	profile_exp_finish(ep);
	size = EOH_get_flat_size(&ep->hdr);
	p = palloc_extended(size, MCXT_ALLOC_HUGE);
	EOH_flatten_into(&ep->hdr, p, size);
	return p;
}

/*
 * XX001 unless a stored profile (of which size bytes are at hand) has a
 * version this build reads: 1 (wide) or 2 (compact)
 */
static void
profile_check_version(const VicProfile *p, Size size)
{
	if (size >= VIC_SUMMARY_HDRSZ && p->version == VIC_PROFILE_VERSION_WIDE)
		return;
	vic_check_summary_version(p, size, VIC_PROFILE_VERSION, VIC_PROFILE_TYPNAME);
}

/*
 * The wide form of a profile datum: an expanded one flattened wide, a stored
 * one detoasted, its version checked and a version-2 value decoded.  The
 * result may be the datum itself (a plain wide value) or palloc'd.
 */
VicProfile *
profile_detoast(Datum d)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(d);
	VicProfile *p;
	VicProfile *w;

	if (VARATT_IS_EXTERNAL_EXPANDED(v))
	{
		ProfileExp *ep = (ProfileExp *) DatumGetEOHP(d);

		if (ep->magic == VIC_PROFILE_MAGIC)
			return profile_exp_flatten_wide(ep);
	}
	p = (VicProfile *) PG_DETOAST_DATUM(d);
	profile_check_version(p, VARSIZE(p));
	if (p->version == VIC_PROFILE_VERSION_WIDE)
		return p;
	w = profile_compact_decode(p, VARSIZE(p), VIC_PART_TABLES, true);
	if ((Pointer) p != (Pointer) v)
		pfree(p);
	return w;
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
			return profile_exp_tables(ep);
	}
	if (!VARATT_IS_EXTENDED(v) || VARATT_IS_EXTERNAL_EXPANDED(v))
	{
		/* a plain value in memory: a wide one as it is */
		h = (VicProfile *) PG_DETOAST_DATUM(d);
		profile_check_version(h, VARSIZE(h));
		if (h->version == VIC_PROFILE_VERSION_WIDE || part == VIC_PART_HEADER)
			return h;
		return profile_compact_decode(h, VARSIZE(h), part, false);
	}
	h = (VicProfile *) PG_DETOAST_DATUM_SLICE(d, 0, VIC_PROFILE_COMPACT_HDRSZ - VARHDRSZ);
	profile_check_version(h, VARSIZE(h));
	if (VARSIZE(h) < VIC_PROFILE_HDRSZ)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("vic.profile header is corrupt"),
				 errdetail("The value has %u bytes; a header takes %zu.",
						   (unsigned int) VARSIZE(h), (Size) VIC_PROFILE_HDRSZ)));
	if (h->version == VIC_PROFILE_VERSION_WIDE)
		len = profile_part_size(h, part);
	else
		len = part == VIC_PART_HEADER ? VIC_PROFILE_HDRSZ :
			profile_compact_part_size(h, VARSIZE(h), part);
	if (len > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("vic.profile header is corrupt"),
				 errdetail("Its tables would take %llu bytes.", (unsigned long long) len)));
	if (len <= VARSIZE(h) && (h->version == VIC_PROFILE_VERSION_WIDE || part == VIC_PART_HEADER))
		return h;
	pfree(h);
	h = (VicProfile *) PG_DETOAST_DATUM_SLICE(d, 0, len - VARHDRSZ);
	if (h->version == VIC_PROFILE_VERSION_WIDE)
		return h;
	{
		VicProfile *w = profile_compact_decode(h, VARSIZE(h), part, false);

		pfree(h);
		return w;
	}
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
				 errdetail("Scheme %s cannot be compared with scheme %s.",
						   industry_scheme_name(a->scheme), industry_scheme_name(b->scheme))));
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
	VicShare   *t = vic_alloc_array(p->ndistinct, sizeof(VicShare));
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
