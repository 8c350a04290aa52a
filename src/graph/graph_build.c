/*
 * graph_build.c
 *		Building vic.graph values: the raw edge buffer, exact sums of
 *		parallel edges and their residual parts, the build of the canonical
 *		form, the linear merge of flat graphs, and graph_agg / merge_agg with
 *		an expanded-object state.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "fmgr.h"
#include "utils/expandeddatum.h"

#include "graph_internal.h"
#include "common/args.h"

/* most raw (not yet merged) edges one aggregate state may hold */
#define VIC_GRAPH_MAX_RAW	((int64) (PG_INT32_MAX / 2))

/* ----------------------------------------------------------------
 * Raw edge buffer (VicEdgeBuf, graph_internal.h)
 *
 * Node ids are hashed on arrival to provisional indexes (order of first
 * appearance), so a raw edge takes 16 bytes and the build needs no second
 * pass over 64-bit ids.
 * ----------------------------------------------------------------
 */
/* node id -> provisional index (order of first appearance) */
typedef struct IdEntry
{
	int64		id;
	int32		idx;
	char		status;
} IdEntry;

#define SH_PREFIX		idmap
#define SH_ELEMENT_TYPE IdEntry
#define SH_KEY_TYPE		int64
#define SH_KEY			id
#define SH_HASH_KEY(tb, key) vic_hash64((uint64) (key))
#define SH_EQUAL(tb, a, b) ((a) == (b))
#define SH_SCOPE		static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

/* an empty buffer whose memory will live in cxt */
void
vic_edgebuf_init(VicEdgeBuf *b, MemoryContext cxt)
{
	memset(b, 0, sizeof(VicEdgeBuf));
	b->cxt = cxt;
}

/* release the memory of a buffer, leaving it empty */
void
vic_edgebuf_free(VicEdgeBuf *b)
{
	if (b->map)
		idmap_destroy(b->map);
	if (b->dense)
		pfree(b->dense);
	if (b->ids)
		pfree(b->ids);
	if (b->src)
	{
		pfree(b->src);
		pfree(b->dst);
		pfree(b->w);
	}
	vic_edgebuf_init(b, b->cxt);
}

/* make room for extra more edges, doubling the arrays */
static void
edgebuf_reserve(VicEdgeBuf *b, int64 extra)
{
	int64		need = b->n + extra;
	int64		newcap;

	if (need <= b->cap)
		return;
	if (need > VIC_GRAPH_MAX_RAW)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many edges for one vic.graph"),
				 errdetail("An aggregate state holds at most " INT64_FORMAT " edges before parallel edges are merged.",
						   VIC_GRAPH_MAX_RAW)));
	newcap = Max(need, Max(b->cap * 2, 64));
	newcap = Min(newcap, VIC_GRAPH_MAX_RAW);
	if (b->src == NULL)
	{
		b->src = MemoryContextAllocHuge(b->cxt, newcap * sizeof(int32));
		b->dst = MemoryContextAllocHuge(b->cxt, newcap * sizeof(int32));
		b->w = MemoryContextAllocHuge(b->cxt, newcap * sizeof(double));
	}
	else
	{
		b->src = repalloc_huge(b->src, newcap * sizeof(int32));
		b->dst = repalloc_huge(b->dst, newcap * sizeof(int32));
		b->w = repalloc_huge(b->w, newcap * sizeof(double));
	}
	b->cap = newcap;
}

/* register a new node id under the next provisional index */
static int32
edgebuf_new_node(VicEdgeBuf *b, int64 id)
{
	if (b->nids >= b->capids)
	{
		if (b->nids >= PG_INT32_MAX / 2)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("too many nodes for one vic.graph"),
					 errdetail("A vic.graph holds at most %d nodes.", PG_INT32_MAX / 2)));
		b->capids = Max(64, b->capids * 2);
		b->ids = b->ids ? repalloc_huge(b->ids, (Size) b->capids * sizeof(int64))
			: MemoryContextAllocHuge(b->cxt, (Size) b->capids * sizeof(int64));
	}
	b->ids[b->nids] = id;
	return b->nids++;
}

/* provisional index of an id, via the hash table */
static int32
edgebuf_hashed_node(VicEdgeBuf *b, int64 id)
{
	bool		found;
	IdEntry    *ent;

	if (b->map == NULL)
		b->map = idmap_create(b->cxt, 64, NULL);
	ent = idmap_insert(b->map, id, &found);
	if (!found)
		ent->idx = edgebuf_new_node(b, id);
	return ent->idx;
}

/*
 * Provisional index of a node id, registering it on first sight.  Small
 * non-negative ids (the usual serial firm ids) go through a direct table
 * that grows with the number of nodes seen (at most 4 entries per node, so
 * a state per group stays small); other ids through a hash table.
 * An id that entered the hash table before the direct table grew over it
 * is found there and then cached in the direct table.
 */
static inline int32
edgebuf_node(VicEdgeBuf *b, int64 id)
{
	if ((uint64) id >= (uint64) b->ndense &&
		id >= 0 && id < 4 * ((int64) b->nids + 256))
	{
		int64		newsize = Max(id + 1, Min(2 * b->ndense, 4 * ((int64) b->nids + 256)));

		b->dense = b->dense ? repalloc_huge(b->dense, (Size) newsize * sizeof(int32))
			: MemoryContextAllocHuge(b->cxt, (Size) newsize * sizeof(int32));
		memset(b->dense + b->ndense, 0xFF, (Size) (newsize - b->ndense) * sizeof(int32));
		b->ndense = newsize;
	}
	if ((uint64) id < (uint64) b->ndense)
	{
		int32		x = b->dense[id];

		if (x < 0)
		{
			if (b->map != NULL)
				x = edgebuf_hashed_node(b, id);
			else
				x = edgebuf_new_node(b, id);
			b->dense[id] = x;
		}
		return x;
	}
	return edgebuf_hashed_node(b, id);
}

/* a sum of parallel edge weights beyond the range of float8 */
static void weight_sum_overflow(int64 src, int64 dst) pg_attribute_noreturn();

static void
weight_sum_overflow(int64 src, int64 dst)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("sum of the weights of edge " INT64_FORMAT " -> " INT64_FORMAT " is out of range",
					src, dst),
			 errdetail("Parallel edges are summed and the sum overflows float8.")));
}

/* vic_xsum_canonical for sums that may leave float8: 22003 naming the edge */
static pg_noinline int
edge_canonical_guarded(const double *v, int n, double *out, int64 src, int64 dst)
{
	int			k = vic_xsum_canonical_checked(v, n, out);

	if (k < 0)
		weight_sum_overflow(src, dst);
	return k;
}

/*
 * The canonical parts (xsum.h) of the exact sum of the n >= 1 contributions
 * v of edge src -> dst (raw weights, and c1 and residual parts of merged
 * graphs) into out, room for VIC_XSUM_MAXPARTS; returns their count, 0 for
 * a zero sum.  22003 naming the edge when the sum overflows float8.
 */
static int
edge_exact_sum(const double *v, int n, double *out, int64 src, int64 dst)
{
	double		s = v[0];
	double		e;
	double		mag = fabs(v[0]);
	bool		exact = true;
	double		x[64];
	int			m = 0;

	/* every partial sum exact: the plain sum is the value */
	for (int i = 1; i < n; i++)
	{
		vic_two_sum(s, v[i], &s, &e);
		exact &= (e == 0);
		mag += fabs(v[i]);
	}
	if (exact && isfinite(s))
	{
		out[0] = s;
		return s != 0 ? 1 : 0;
	}
	/* near DBL_MAX, let xsum.c decide and name the edge if it overflows */
	if (unlikely(mag >= 0x1p1020))
		return edge_canonical_guarded(v, n, out, src, dst);

	/*
	 * Far below DBL_MAX no step can overflow.  Shewchuk's Grow-Expansion
	 * gives nonoverlapping parts whose sum is exact; when at most two are
	 * left (the usual case: two weights, or c1~c2 merged with a weight or
	 * with c1'~c2'), RN of their sum is fl(hi + lo) and the rest is
	 * TwoSum's error, which is the canonical form.  Longer expansions go
	 * through vic_xsum_canonical.
	 */
	for (int i = 0; i < n && m < 62; i++)
		if (v[i] != 0)
			m = vic_expansion_grow(x, m, v[i]);
	if (m <= 2)
	{
		if (m == 0)
			return 0;
		if (m == 1)
		{
			out[0] = x[0];
			return 1;
		}
		vic_two_sum(x[1], x[0], &out[0], &out[1]);
		return out[1] != 0 ? 2 : 1;
	}
	return vic_xsum_canonical(v, n, out);
}

/* append one validated edge */
static inline void
edgebuf_add(VicEdgeBuf *b, int64 src, int64 dst, double w)
{
	int32		s = edgebuf_node(b, src);
	int32		d = edgebuf_node(b, dst);

	if (b->n >= b->cap)
		edgebuf_reserve(b, 1);
	b->src[b->n] = s;
	b->dst[b->n] = d;
	b->w[b->n] = w + 0.0;		/* -0 becomes +0 */
	b->n++;
}

/* append one validated edge (text input; graph_agg inlines edgebuf_add) */
void
vic_edgebuf_add(VicEdgeBuf *b, int64 src, int64 dst, double w)
{
	edgebuf_add(b, src, dst, w);
}

/*
 * Append all edges of a flat graph: each edge as its c1 plus one raw edge
 * per residual part, so that the build sums the same exact values.
 */
static void
edgebuf_add_graph(VicEdgeBuf *b, const VicGraph *g)
{
	VicGraphView v;
	int64		r = 0;
	int32	   *local;

	vic_graph_view(g, &v);
	local = palloc(Max(v.n, 1) * sizeof(int32));
	edgebuf_reserve(b, v.m + v.nresid);
	for (int32 i = 0; i < v.n; i++)
		local[i] = edgebuf_node(b, v.ids[i]);
	for (int32 i = 0; i < v.n; i++)
	{
		for (int64 e = v.off[i]; e < v.off[i + 1]; e++)
		{
			double		parts[VIC_XSUM_MAXPARTS];
			int			np = vic_graph_edge_parts(&v, e, &r, parts);

			for (int k = 0; k < np; k++)
			{
				b->src[b->n] = local[i];
				b->dst[b->n] = local[v.adj[e]];
				b->w[b->n] = parts[k];
				b->n++;
			}
		}
		VIC_POLL_INTERRUPTS(i);
	}
	pfree(local);
}

/* ----------------------------------------------------------------
 * Canonical form: ids, CSR, parallel edges summed
 * ----------------------------------------------------------------
 */

/* one arc of a row under construction */
typedef struct RowArc
{
	int32		t;				/* target index */
	double		w;
} RowArc;

/*
 * arcs ordered by target; the order of parallel arcs does not matter, as
 * their weights are summed exactly
 */
#define ST_SORT			sort_row_arcs
#define ST_ELEMENT_TYPE RowArc
#define ST_COMPARE(a, b) ((a)->t < (b)->t ? -1 : ((a)->t > (b)->t ? 1 : 0))
#define ST_SCOPE		static
#define ST_DECLARE
#define ST_DEFINE
#include "lib/sort_template.h"

/* (id, provisional index) pairs sorted by id */
#define ST_SORT			sort_id_entries
#define ST_ELEMENT_TYPE IdEntry
#define ST_COMPARE(a, b) ((a)->id < (b)->id ? -1 : ((a)->id > (b)->id ? 1 : 0))
#define ST_SCOPE		static
#define ST_DECLARE
#define ST_DEFINE
#include "lib/sort_template.h"

/* sort a short or long row */
static inline void
sort_row(RowArc *r, int64 len)
{
	if (len < 16)
	{
		for (int64 i = 1; i < len; i++)
		{
			RowArc		x = r[i];
			int64		j = i;

			while (j > 0 && r[j - 1].t > x.t)
			{
				r[j] = r[j - 1];
				j--;
			}
			r[j] = x;
		}
	}
	else
		sort_row_arcs(r, len);
}

/* a growing list of residual parts in CurrentMemoryContext */
typedef struct ResidList
{
	VicGraphResid *items;
	int64		n;
	int64		cap;
} ResidList;

/* make room for np more entries */
static pg_noinline void
resid_grow(ResidList *l, int np)
{
	int64		cap = Max(l->n + np, Max(2 * l->cap, 64));

	l->items = l->items ? repalloc_huge(l->items, (Size) cap * sizeof(VicGraphResid))
		: vic_alloc_array(cap, sizeof(VicGraphResid));
	l->cap = cap;
}

/* append the parts of edge e */
static inline void
resid_append(ResidList *l, int64 e, const double *parts, int np)
{
	if (unlikely(l->n + np > l->cap))
		resid_grow(l, np);
	for (int i = 0; i < np; i++)
	{
		l->items[l->n].edge = e;
		l->items[l->n].part = parts[i];
		l->n++;
	}
}

/*
 * Edge e of the graph being written gets the exact sum of the n
 * contributions v of edge src -> dst (edge_exact_sum): returns c1 and
 * appends the further parts to l.
 */
static inline double
resid_store_sum(ResidList *l, int64 e, const double *v, int n,
				int64 src, int64 dst)
{
	double		sum[VIC_XSUM_MAXPARTS];
	int			np = edge_exact_sum(v, n, sum, src, dst);

	if (np > 1)
		resid_append(l, e, sum + 1, np - 1);
	return np > 0 ? sum[0] : 0;
}

/*
 * Build the canonical flat graph from a raw edge buffer, in
 * CurrentMemoryContext; scratch memory is freed before returning.
 *
 * 1. sort the distinct ids and renumber the provisional indexes, 2. bucket
 * the arcs by source (counting sort), 3. sort each row by target and sum
 * runs of parallel edges exactly (edge_exact_sum), 4. copy out.
 */
VicGraph *
vic_edgebuf_build(const VicEdgeBuf *b)
{
	MemoryContext scratch;
	MemoryContext caller = CurrentMemoryContext;
	int64		nraw = b->n;
	IdEntry    *byid;
	int32	   *remap;
	int32		n = 0;
	int64	   *rowoff;
	RowArc	   *arcs;
	int64		m = 0;
	ResidList	resid = {NULL, 0, 0};
	VicGraph   *g;
	int64	   *goff;
	double	   *gw;
	int32	   *gadj;

	if (nraw == 0)
	{
		g = vic_graph_new(0, 0, 0);
		GRAPH_OFF(g)[0] = 0;
		return g;
	}

	scratch = vic_scratch_context("vic.graph build");
	MemoryContextSwitchTo(scratch);

	/* 1. final index = rank of the id among the provisional ones */
	n = b->nids;
	byid = vic_alloc_array(n, sizeof(IdEntry));
	for (int32 i = 0; i < n; i++)
	{
		byid[i].id = b->ids[i];
		byid[i].idx = i;
	}
	sort_id_entries(byid, n);
	remap = vic_alloc_array(n, sizeof(int32));
	for (int32 i = 0; i < n; i++)
		remap[byid[i].idx] = i;

	/* 2. bucket arcs by source (counting sort) */
	rowoff = vic_alloc_array0((int64) n + 1, sizeof(int64));
	for (int64 e = 0; e < nraw; e++)
		rowoff[remap[b->src[e]] + 1]++;
	for (int32 i = 0; i < n; i++)
		rowoff[i + 1] += rowoff[i];
	arcs = vic_alloc_array(nraw, sizeof(RowArc));
	{
		int64	   *cursor = vic_alloc_array(n, sizeof(int64));

		memcpy(cursor, rowoff, (Size) n * sizeof(int64));
		for (int64 e = 0; e < nraw; e++)
		{
			int64		k = cursor[remap[b->src[e]]]++;

			arcs[k].t = remap[b->dst[e]];
			arcs[k].w = b->w[e];
			VIC_POLL_INTERRUPTS(e);
		}
		pfree(cursor);
	}

	/*
	 * 3. sort rows, sum each run of parallel edges in place, count distinct
	 * edges.  A run whose running sum is exact at every step (always so for
	 * integer weights below 2^53) costs one TwoSum per arc; other runs are
	 * summed exactly and their further parts kept as residual entries.
	 */
	{
		int64		out = 0;
		double	   *vals = NULL;
		int64		capvals = 0;

		for (int32 u = 0; u < n; u++)
		{
			int64		from = rowoff[u],
						to = rowoff[u + 1];

			sort_row(arcs + from, to - from);
			rowoff[u] = out;
			for (int64 k = from; k < to;)
			{
				int32		t = arcs[k].t;
				double		s = arcs[k].w;
				int64		j = k + 1;
				bool		exact = true;

				for (; j < to && arcs[j].t == t; j++)
				{
					double		e;

					vic_two_sum(s, arcs[j].w, &s, &e);
					exact &= (e == 0);
				}
				if (unlikely(!exact))
				{
					if (j - k > capvals)
					{
						capvals = Max(j - k, Max(2 * capvals, 64));
						if (vals)
							pfree(vals);
						vals = vic_alloc_array(capvals, sizeof(double));
					}
					for (int64 i = k; i < j; i++)
						vals[i - k] = arcs[i].w;
					s = resid_store_sum(&resid, out, vals, (int) (j - k),
										byid[u].id, byid[t].id);
				}
				arcs[out].t = t;
				arcs[out].w = s;
				out++;
				k = j;
			}
			VIC_POLL_INTERRUPTS(u);
		}
		rowoff[n] = out;
		m = out;
	}
	vic_graph_check_size(n, m, resid.n);

	/* 4. the flat graph */
	MemoryContextSwitchTo(caller);
	g = vic_graph_new(n, m, resid.n);
	MemoryContextSwitchTo(scratch);
	goff = GRAPH_OFF(g);
	gw = GRAPH_W(g);
	gadj = GRAPH_ADJ(g);
	for (int32 i = 0; i < n; i++)
		GRAPH_IDS(g)[i] = byid[i].id;
	memcpy(goff, rowoff, ((Size) n + 1) * sizeof(int64));
	for (int64 k = 0; k < m; k++)
	{
		gadj[k] = arcs[k].t;
		gw[k] = arcs[k].w;
	}
	if (resid.n > 0)
		memcpy(GRAPH_RESID(g), resid.items, (Size) resid.n * sizeof(VicGraphResid));

	MemoryContextSwitchTo(caller);
	MemoryContextDelete(scratch);
	return g;
}

/* ----------------------------------------------------------------
 * Linear merge of two canonical graphs
 * ----------------------------------------------------------------
 */

/*
 * Union of two canonical graphs, weights of common edges summed exactly, in
 * O(n + m) without hashing or sorting: both id lists and all rows are
 * already sorted, and renumbering into the union preserves order.  The sum
 * of a common edge is the canonical form of the exact sum of both sides'
 * parts, so merge(a, b) = merge(b, a) and (a || b) || c = a || (b || c) bit
 * for bit.
 */
static VicGraph *
graph_merge(const VicGraph *a, const VicGraph *b)
{
	MemoryContext caller = CurrentMemoryContext;
	MemoryContext scratch = vic_scratch_context("vic.graph merge");
	VicGraphView va;
	VicGraphView vb;
	int32	   *mapa;
	int32	   *mapb;
	int32	   *rowa;			/* union index -> index in a, or -1 */
	int32	   *rowb;
	int64	   *ids;
	int32		n = 0;
	int64		m = 0;
	int64		ra = 0,			/* residual cursors into a and b */
				rb = 0;
	int64	   *soff;
	int32	   *sadj;
	double	   *sw;
	ResidList	resid = {NULL, 0, 0};
	VicGraph   *g;

	vic_graph_view(a, &va);
	vic_graph_view(b, &vb);
	MemoryContextSwitchTo(scratch);
	mapa = vic_alloc_array(va.n, sizeof(int32));
	mapb = vic_alloc_array(vb.n, sizeof(int32));
	ids = vic_alloc_array((int64) va.n + vb.n, sizeof(int64));
	rowa = vic_alloc_array((int64) va.n + vb.n, sizeof(int32));
	rowb = vic_alloc_array((int64) va.n + vb.n, sizeof(int32));
	for (int32 i = 0, j = 0; i < va.n || j < vb.n;)
	{
		rowa[n] = rowb[n] = -1;
		if (j >= vb.n || (i < va.n && va.ids[i] < vb.ids[j]))
		{
			ids[n] = va.ids[i];
			rowa[n] = i;
			mapa[i++] = n;
		}
		else if (i >= va.n || vb.ids[j] < va.ids[i])
		{
			ids[n] = vb.ids[j];
			rowb[n] = j;
			mapb[j++] = n;
		}
		else
		{
			ids[n] = va.ids[i];
			rowa[n] = i;
			rowb[n] = j;
			mapa[i++] = n;
			mapb[j++] = n;
		}
		n++;
	}

	/*
	 * One pass into scratch arrays (a common edge may need an exact sum, too
	 * dear to compute twice), then the flat graph.
	 */
	soff = vic_alloc_array((int64) n + 1, sizeof(int64));
	sadj = vic_alloc_array(va.m + vb.m, sizeof(int32));
	sw = vic_alloc_array(va.m + vb.m, sizeof(double));
	soff[0] = 0;
	for (int32 c = 0; c < n; c++)
	{
		int64		x = rowa[c] >= 0 ? va.off[rowa[c]] : 0;
		int64		xe = rowa[c] >= 0 ? va.off[rowa[c] + 1] : 0;
		int64		y = rowb[c] >= 0 ? vb.off[rowb[c]] : 0;
		int64		ye = rowb[c] >= 0 ? vb.off[rowb[c] + 1] : 0;

		while (x < xe || y < ye)
		{
			/* union index of the next target on each side (past the end: none) */
			int32		ta = x < xe ? mapa[va.adj[x]] : PG_INT32_MAX;
			int32		tb = y < ye ? mapb[vb.adj[y]] : PG_INT32_MAX;
			double		parts[2 * VIC_XSUM_MAXPARTS];
			int			np;

			if (ta != tb)
			{
				/* an edge of one side only keeps its parts */
				sadj[m] = Min(ta, tb);
				if (ta < tb)
					np = vic_graph_edge_parts(&va, x++, &ra, parts);
				else
					np = vic_graph_edge_parts(&vb, y++, &rb, parts);
				sw[m] = parts[0];
				if (np > 1)
					resid_append(&resid, m, parts + 1, np - 1);
			}
			else if ((ra >= va.nresid || va.resid[ra].edge != x) &&
					 (rb >= vb.nresid || vb.resid[rb].edge != y))
			{
				/* two single doubles: fl(a + b) and TwoSum's error are canonical */
				double		e;

				sadj[m] = ta;
				vic_two_sum(va.w[x], vb.w[y], &sw[m], &e);
				if (unlikely(!isfinite(sw[m])))
					weight_sum_overflow(ids[c], ids[ta]);
				if (e != 0)
					resid_append(&resid, m, &e, 1);
				x++;
				y++;
			}
			else
			{
				/* exact: the sum of the parts of both sides, rounded once */
				sadj[m] = ta;
				np = vic_graph_edge_parts(&va, x++, &ra, parts);
				np += vic_graph_edge_parts(&vb, y++, &rb, parts + np);
				sw[m] = resid_store_sum(&resid, m, parts, np, ids[c], ids[ta]);
			}
			m++;
		}
		soff[c + 1] = m;
		VIC_POLL_INTERRUPTS(c);
	}

	MemoryContextSwitchTo(caller);
	g = vic_graph_new(n, m, resid.n);
	memcpy(GRAPH_IDS(g), ids, (Size) n * sizeof(int64));
	memcpy(GRAPH_OFF(g), soff, ((Size) n + 1) * sizeof(int64));
	memcpy(GRAPH_ADJ(g), sadj, (Size) m * sizeof(int32));
	memcpy(GRAPH_W(g), sw, (Size) m * sizeof(double));
	if (resid.n > 0)
		memcpy(GRAPH_RESID(g), resid.items, (Size) resid.n * sizeof(VicGraphResid));
	MemoryContextDelete(scratch);
	return g;
}

/* ----------------------------------------------------------------
 * Expanded object: the aggregate state
 *
 * Rows appended by graph_agg go to a raw edge buffer; graphs merged in by
 * the combine function or merge_agg are merged linearly into a canonical
 * part (small ones go to the raw buffer, so merging many small graphs is
 * not quadratic).  Flattening builds the raw part and merges the two.
 * ----------------------------------------------------------------
 */
typedef struct VicGraphExpanded
{
	ExpandedObjectHeader hdr;
	VicEdgeBuf	raw;			/* edges not yet canonical */
	VicGraph   *flat;			/* canonical part, or NULL */
} VicGraphExpanded;

static Size vic_graph_eoh_flat_size(ExpandedObjectHeader *eohptr);
static void vic_graph_eoh_flatten(ExpandedObjectHeader *eohptr,
								  void *result, Size allocated_size);

static const ExpandedObjectMethods vic_graph_eoh_methods = {
	vic_graph_eoh_flat_size,
	vic_graph_eoh_flatten
};

/* a new, empty expanded graph in its own child of parentcxt */
static VicGraphExpanded *
vic_graph_expanded_new(MemoryContext parentcxt)
{
	/* small: grouped aggregation may keep one state per group */
	MemoryContext cxt = AllocSetContextCreate(parentcxt, "vic.graph expanded",
											  ALLOCSET_SMALL_SIZES);
	VicGraphExpanded *eg = MemoryContextAllocZero(cxt, sizeof(VicGraphExpanded));

	EOH_init_header(&eg->hdr, &vic_graph_eoh_methods, cxt);
	vic_edgebuf_init(&eg->raw, cxt);
	eg->flat = NULL;
	return eg;
}

/* add a whole graph to an expanded state */
static void
vic_graph_expanded_add_graph(VicGraphExpanded *eg, const VicGraph *in)
{
	MemoryContext old;

	if (in->nedges == 0)
		return;
	if (eg->flat != NULL && in->nedges * 4 < eg->flat->nedges)
	{
		edgebuf_add_graph(&eg->raw, in);
		return;
	}
	old = MemoryContextSwitchTo(eg->hdr.eoh_context);
	if (eg->flat == NULL)
	{
		eg->flat = palloc(VARSIZE(in));
		memcpy(eg->flat, in, VARSIZE(in));
	}
	else
	{
		VicGraph   *merged = graph_merge(eg->flat, in);

		pfree(eg->flat);
		eg->flat = merged;
	}
	MemoryContextSwitchTo(old);
}

/* size of the flat form: builds the raw part and merges it in */
static Size
vic_graph_eoh_flat_size(ExpandedObjectHeader *eohptr)
{
	VicGraphExpanded *eg = (VicGraphExpanded *) eohptr;
	MemoryContext old;

	Assert(eg->hdr.eoh_methods == &vic_graph_eoh_methods);
	if (eg->flat != NULL && eg->raw.n == 0)
		return VARSIZE(eg->flat);
	old = MemoryContextSwitchTo(eg->hdr.eoh_context);
	if (eg->flat == NULL)
		eg->flat = vic_edgebuf_build(&eg->raw);
	else
	{
		VicGraph   *built = vic_edgebuf_build(&eg->raw);
		VicGraph   *merged = graph_merge(eg->flat, built);

		pfree(built);
		pfree(eg->flat);
		eg->flat = merged;
	}
	vic_edgebuf_free(&eg->raw);
	MemoryContextSwitchTo(old);
	return VARSIZE(eg->flat);
}

/* copy the canonical form out (flat_size has just built it) */
static void
vic_graph_eoh_flatten(ExpandedObjectHeader *eohptr, void *result,
					  Size allocated_size)
{
	VicGraphExpanded *eg = (VicGraphExpanded *) eohptr;

	Assert(eg->flat != NULL && eg->raw.n == 0 &&
		   VARSIZE(eg->flat) == allocated_size);
	memcpy(result, eg->flat, allocated_size);
}

/*
 * The aggregate state in argument argno, ready to be appended to: our own
 * read-write expanded object as is, anything else (NULL, a flat graph, a
 * read-only pointer) turned into a new expanded object in aggcxt.
 */
static VicGraphExpanded *
vic_graph_state(FunctionCallInfo fcinfo, int argno, MemoryContext aggcxt)
{
	VicGraphExpanded *eg;
	Datum		d;

	if (PG_ARGISNULL(argno))
		return vic_graph_expanded_new(aggcxt);
	d = PG_GETARG_DATUM(argno);
	if (VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(d)))
	{
		ExpandedObjectHeader *eoh = DatumGetEOHP(d);

		if (eoh->eoh_methods == &vic_graph_eoh_methods)
			return (VicGraphExpanded *) eoh;
	}
	eg = vic_graph_expanded_new(aggcxt);
	vic_graph_expanded_add_graph(eg, vic_graph_getarg(fcinfo, argno));
	return eg;
}

/* ----------------------------------------------------------------
 * Aggregates and merging
 * ----------------------------------------------------------------
 */

PG_FUNCTION_INFO_V1(vic_graph_agg_trans);
/* graph_agg transition: append (src, dst, weight) to the expanded state */
Datum
vic_graph_agg_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	VicGraphExpanded *eg;
	int64		src,
				dst;
	double		w = 1.0;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "vic_graph_agg_trans called in non-aggregate context");
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	src = PG_GETARG_INT64(1);
	dst = PG_GETARG_INT64(2);
	if (PG_NARGS() > 3)
	{
		if (PG_ARGISNULL(3))
			vic_null_edge_weight(src, dst);
		w = vic_check_edge_weight(PG_GETARG_FLOAT8(3), src, dst);
	}
	eg = vic_graph_state(fcinfo, 0, aggcxt);
	edgebuf_add(&eg->raw, src, dst, w);
	PG_RETURN_DATUM(EOHPGetRWDatum(&eg->hdr));
}

PG_FUNCTION_INFO_V1(vic_graph_merge_trans);
/* merge_agg transition and combine function of both aggregates */
Datum
vic_graph_merge_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	VicGraphExpanded *eg;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "vic_graph_merge_trans called in non-aggregate context");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	eg = vic_graph_state(fcinfo, 0, aggcxt);
	vic_graph_expanded_add_graph(eg, vic_graph_getarg(fcinfo, 1));
	PG_RETURN_DATUM(EOHPGetRWDatum(&eg->hdr));
}

PG_FUNCTION_INFO_V1(vic_graph_concat);
/* a || b: the union of two graphs, weights of common edges summed exactly */
Datum
vic_graph_concat(PG_FUNCTION_ARGS)
{
	VicGraph   *a = vic_graph_getarg(fcinfo, 0);
	VicGraph   *b = vic_graph_getarg(fcinfo, 1);

	PG_RETURN_POINTER(graph_merge(a, b));
}

