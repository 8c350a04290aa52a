/*
 * graph.c
 *		The vic.graph summary: on-disk form, text and binary I/O, graph_agg
 *		with an expanded-object state, merging, accessors and the CSR views
 *		declared in graph.h.
 *
 * On-disk form (one varlena, 8-byte aligned):
 *
 *	 int32	vl_len_
 *	 uint8	version			VIC_GRAPH_VERSION
 *	 uint8	flags			0 (reserved)
 *	 uint16 reserved		0
 *	 int32	nnodes			n
 *	 int32	nresid			r (residual entries; this slot was alignment padding)
 *	 int64	nedges			m (distinct directed edges, self-loops included)
 *	 int64	ids[n]			node ids, strictly ascending
 *	 int64	off[n + 1]		CSR row offsets by source: off[0] = 0, off[n] = m
 *	 float8 w[m]			edge weights, finite, >= 0: the correctly rounded exact
 *							sum of the edge's parallel weights
 *	 int32	adj[m]			target node indexes, strictly ascending per row
 *	 (only when r > 0: zero padding to a multiple of 8, then)
 *	 VicGraphResid resid[r] (edge index int64, part float8), sorted by edge
 *
 * Parallel edges are summed exactly and rounded once (xsum.h): the exact
 * sum v of an edge has the canonical parts c1 = RN(v), c2 = RN(v - c1), ...;
 * w[e] is c1, and every edge whose exact sum is not a single double has its
 * further parts c2, c3, ... in the residual section, in that order.  The
 * algorithms read only w (the CSR views); merging adds the residual parts
 * back, so a graph is the same bytes whatever the plan or merge order.
 * Integer weights (sums below 2^53) never leave residual parts, and the
 * size is then that of the format without the section.
 *
 * Nodes come only from edges, so every node has at least one incident edge;
 * a graph without edges has no nodes and prints as '{}'.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "access/tupdesc.h"
#include "catalog/pg_type.h"
#include "common/shortest_dec.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/expandeddatum.h"
#include "utils/tuplestore.h"

#include "graph_internal.h"
#include "common/xsum.h"

#define VIC_GRAPH_VERSION	1

struct VicGraph
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;
	uint8		flags;
	uint16		reserved;
	int32		nnodes;
	int32		nresid;			/* entries of the residual section */
	int64		nedges;
	int64		data[FLEXIBLE_ARRAY_MEMBER];
};

/* a further canonical part of the exact weight of edge index edge */
typedef struct VicGraphResid
{
	int64		edge;
	double		part;
} VicGraphResid;

#define GRAPH_HDRSZ			offsetof(VicGraph, data)
#define GRAPH_IDS(g)		((int64 *) (g)->data)
#define GRAPH_OFF(g)		(GRAPH_IDS(g) + (g)->nnodes)
#define GRAPH_W(g)			((double *) (GRAPH_OFF(g) + (g)->nnodes + 1))
#define GRAPH_ADJ(g)		((int32 *) (GRAPH_W(g) + (g)->nedges))
/* size without residual section, offset of the section, total size */
#define GRAPH_BASE_SIZE(n, m)	(GRAPH_HDRSZ + (Size) 16 * (n) + 8 + (Size) 12 * (m))
#define GRAPH_RESID_OFFSET(n, m) TYPEALIGN(8, GRAPH_BASE_SIZE(n, m))
#define GRAPH_SIZE(n, m, r) \
	((r) == 0 ? GRAPH_BASE_SIZE(n, m) : GRAPH_RESID_OFFSET(n, m) + (Size) 16 * (r))
#define GRAPH_RESID(g) \
	((VicGraphResid *) ((char *) (g) + GRAPH_RESID_OFFSET((g)->nnodes, (g)->nedges)))

/* binary form: flags bit saying that a residual section follows */
#define GRAPH_MSG_RESID		0x01

/* most raw (not yet merged) edges one aggregate state may hold */
#define VIC_GRAPH_MAX_RAW	((int64) (PG_INT32_MAX / 2))

/* ----------------------------------------------------------------
 * Raw edge buffer: what graph_agg, merge_agg and text input collect
 *
 * Node ids are hashed on arrival to provisional indexes (order of first
 * appearance), so a raw edge takes 16 bytes and the build needs no second
 * pass over 64-bit ids.
 * ----------------------------------------------------------------
 */
/* 64-bit finalizer of MurmurHash3 (Appleby 2011), folded to 32 bits */
static inline uint32
hash_id(int64 id)
{
	uint64		h = (uint64) id;

	h ^= h >> 33;
	h *= UINT64CONST(0xff51afd7ed558ccd);
	h ^= h >> 33;
	h *= UINT64CONST(0xc4ceb9fe1a85ec53);
	h ^= h >> 33;
	return (uint32) h;
}

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
#define SH_HASH_KEY(tb, key) hash_id(key)
#define SH_EQUAL(tb, a, b) ((a) == (b))
#define SH_SCOPE		static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

typedef struct VicEdgeBuf
{
	MemoryContext cxt;			/* where the arrays and the map live */
	idmap_hash *map;			/* id -> provisional index */
	int32	   *dense;			/* the same for 0 <= id < ndense, -1 = unseen */
	int64		ndense;
	int64	   *ids;			/* provisional index -> id */
	int32		nids;
	int32		capids;
	int64		n;				/* raw edges */
	int64		cap;
	int32	   *src;			/* provisional indexes */
	int32	   *dst;
	double	   *w;
} VicEdgeBuf;

/* an empty buffer whose memory will live in cxt */
static void
edgebuf_init(VicEdgeBuf *b, MemoryContext cxt)
{
	memset(b, 0, sizeof(VicEdgeBuf));
	b->cxt = cxt;
}

/* release the memory of a buffer */
static void
edgebuf_free(VicEdgeBuf *b)
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
	edgebuf_init(b, b->cxt);
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

/* reject a weight that is not a finite number >= 0, naming the edge */
static inline void
check_weight(int64 src, int64 dst, double w)
{
	if (isnan(w) || isinf(w) || w < 0)
	{
		char		buf[DOUBLE_SHORTEST_DECIMAL_LEN];

		double_to_shortest_decimal_buf(w, buf);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid weight %s for edge " INT64_FORMAT " -> " INT64_FORMAT,
						buf, src, dst),
				 errdetail("Edge weights must be finite numbers greater than or equal to zero.")));
	}
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

/*
 * vic_xsum_canonical for sums that may leave the range of float8: its
 * 22003 becomes the one naming the edge.
 */
static pg_noinline int
edge_canonical_guarded(const double *v, int n, double *out, int64 src, int64 dst)
{
	MemoryContext cxt = CurrentMemoryContext;
	volatile int k = 0;

	PG_TRY();
	{
		k = vic_xsum_canonical(v, n, out);
	}
	PG_CATCH();
	{
		ErrorData  *ed;

		MemoryContextSwitchTo(cxt);
		ed = CopyErrorData();
		if (ed->sqlerrcode != ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE)
			PG_RE_THROW();
		FlushErrorState();
		FreeErrorData(ed);
		weight_sum_overflow(src, dst);
	}
	PG_END_TRY();
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

/* half the gap from x (finite, > 0) to the next double up (0 if < 2^-1074) */
static inline double
half_ulp(double x)
{
	double		up = nextafter(x, INFINITY);

	if (isinf(up))
		return 0x1p970;			/* DBL_MAX: the gap below it */
	return (up - x) * 0.5;
}

/*
 * Are p[0..np-1] (np >= 1, p[0] a finite weight >= 0) the canonical parts
 * of their exact sum: every further part finite, nonzero, at most half an
 * ulp of the one before, and equal to what the exact sum gives?
 */
static bool
parts_canonical(const double *p, int np)
{
	double		canon[VIC_XSUM_MAXPARTS];

	if (np == 1)
		return true;
	if (np > VIC_XSUM_MAXPARTS)
		return false;
	for (int i = 1; i < np; i++)
	{
		double		prev = fabs(p[i - 1]);

		if (!isfinite(p[i]) || p[i] == 0 || prev == 0 || fabs(p[i]) > half_ulp(prev))
			return false;
	}
	/* DBL_MAX + 2^970 or more rounds to infinity: not a float8 sum */
	if (p[0] == DBL_MAX && p[1] >= 0x1p970)
		return false;
	return vic_xsum_canonical(p, np, canon) == np &&
		memcmp(canon, p, sizeof(double) * np) == 0;
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

/*
 * Append all edges of a flat graph: each edge as its c1 plus one raw edge
 * per residual part, so that the build sums the same exact values.
 */
static void
edgebuf_add_graph(VicEdgeBuf *b, const VicGraph *g)
{
	const int64 *ids = GRAPH_IDS(g);
	const int64 *off = GRAPH_OFF(g);
	const double *w = GRAPH_W(g);
	const int32 *adj = GRAPH_ADJ(g);
	const VicGraphResid *resid = GRAPH_RESID(g);
	int64		nresid = g->nresid;
	int64		r = 0;
	int32	   *local = palloc(Max(g->nnodes, 1) * sizeof(int32));

	edgebuf_reserve(b, g->nedges + nresid);
	for (int32 i = 0; i < g->nnodes; i++)
		local[i] = edgebuf_node(b, ids[i]);
	for (int32 i = 0; i < g->nnodes; i++)
	{
		for (int64 e = off[i]; e < off[i + 1]; e++)
		{
			b->src[b->n] = local[i];
			b->dst[b->n] = local[adj[e]];
			b->w[b->n] = w[e];
			b->n++;
			for (; r < nresid && resid[r].edge == e; r++)
			{
				b->src[b->n] = local[i];
				b->dst[b->n] = local[adj[e]];
				b->w[b->n] = resid[r].part;
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

/*
 * 54000 unless a graph of n nodes, m edges and r residual parts fits in one
 * varlena (which also keeps r within int32)
 */
static void
check_graph_size(int64 n, int64 m, int64 r)
{
	if ((Size) GRAPH_SIZE(n, m, r) > MaxAllocSize)
	{
		int64		fit = ((int64) MaxAllocSize - (int64) GRAPH_HDRSZ - 8 - 16 * n -
						   (r > 0 ? 16 * r + 4 : 0)) / 12;

		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("vic.graph too large: " INT64_FORMAT " nodes and " INT64_FORMAT " edges",
						n, m),
				 errdetail("A vic.graph is limited to 1 GB; with " INT64_FORMAT " nodes at most " INT64_FORMAT " distinct edges fit.",
						   n, Max(fit, 0))));
	}
}

/*
 * A graph of n nodes, m edges and r residual parts in CurrentMemoryContext
 * with its header filled in; the header (padding included) and the padding
 * before the residual section are zeroed first so that equal graphs are
 * equal bytes.
 */
static VicGraph *
graph_alloc(int64 n, int64 m, int64 r)
{
	VicGraph   *g;
	Size		size;

	check_graph_size(n, m, r);
	size = GRAPH_SIZE(n, m, r);
	g = palloc(size);
	memset(g, 0, GRAPH_HDRSZ);
	if (r > 0)
		memset((char *) g + GRAPH_BASE_SIZE(n, m), 0,
			   GRAPH_RESID_OFFSET(n, m) - GRAPH_BASE_SIZE(n, m));
	SET_VARSIZE(g, size);
	g->version = VIC_GRAPH_VERSION;
	g->nnodes = (int32) n;
	g->nresid = (int32) r;
	g->nedges = m;
	return g;
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
		: vic_graph_alloc(cap, sizeof(VicGraphResid));
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
 * Build the canonical flat graph from a raw edge buffer, in
 * CurrentMemoryContext; scratch memory is freed before returning.
 *
 * 1. sort the distinct ids and renumber the provisional indexes, 2. bucket
 * the arcs by source (counting sort), 3. sort each row by target and sum
 * runs of parallel edges exactly (edge_exact_sum), 4. copy out.
 */
static VicGraph *
edgebuf_to_graph(const VicEdgeBuf *b)
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
		g = graph_alloc(0, 0, 0);
		GRAPH_OFF(g)[0] = 0;
		return g;
	}

	scratch = vic_scratch_context("vic.graph build");
	MemoryContextSwitchTo(scratch);

	/* 1. final index = rank of the id among the provisional ones */
	n = b->nids;
	byid = vic_graph_alloc(n, sizeof(IdEntry));
	for (int32 i = 0; i < n; i++)
	{
		byid[i].id = b->ids[i];
		byid[i].idx = i;
	}
	sort_id_entries(byid, n);
	remap = vic_graph_alloc(n, sizeof(int32));
	for (int32 i = 0; i < n; i++)
		remap[byid[i].idx] = i;

	/* 2. bucket arcs by source (counting sort) */
	rowoff = vic_graph_alloc0((int64) n + 1, sizeof(int64));
	for (int64 e = 0; e < nraw; e++)
		rowoff[remap[b->src[e]] + 1]++;
	for (int32 i = 0; i < n; i++)
		rowoff[i + 1] += rowoff[i];
	arcs = vic_graph_alloc(nraw, sizeof(RowArc));
	{
		int64	   *cursor = vic_graph_alloc(n, sizeof(int64));

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
					double		parts[VIC_XSUM_MAXPARTS];
					int			np;

					if (j - k > capvals)
					{
						capvals = Max(j - k, Max(2 * capvals, 64));
						if (vals)
							pfree(vals);
						vals = vic_graph_alloc(capvals, sizeof(double));
					}
					for (int64 i = k; i < j; i++)
						vals[i - k] = arcs[i].w;
					np = edge_exact_sum(vals, (int) (j - k), parts,
										byid[u].id, byid[t].id);
					s = np > 0 ? parts[0] : 0;
					if (np > 1)
						resid_append(&resid, out, parts + 1, np - 1);
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
	check_graph_size(n, m, resid.n);

	/* 4. the flat graph */
	MemoryContextSwitchTo(caller);
	g = graph_alloc(n, m, resid.n);
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
 * Shared helpers (graph_internal.h)
 * ----------------------------------------------------------------
 */

/* palloc nelem * elemsize bytes (huge allowed), 54000 on overflow */
void *
vic_graph_alloc(int64 nelem, Size elemsize)
{
	if (nelem < 0 || (nelem > 0 && (Size) nelem > MaxAllocHugeSize / elemsize))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("graph too large to process"),
				 errdetail("An array of " INT64_FORMAT " elements of %zu bytes exceeds the allocation limit.",
						   nelem, elemsize)));
	return MemoryContextAllocHuge(CurrentMemoryContext, Max((Size) nelem * elemsize, 1));
}

/* same, zero-filled */
void *
vic_graph_alloc0(int64 nelem, Size elemsize)
{
	void	   *p = vic_graph_alloc(nelem, elemsize);

	memset(p, 0, Max((Size) nelem * elemsize, 1));
	return p;
}

/* start a materialized SRF */
ReturnSetInfo *
vic_srf_begin(FunctionCallInfo fcinfo)
{
	InitMaterializedSRF(fcinfo, 0);
	return (ReturnSetInfo *) fcinfo->resultinfo;
}

/*
 * Start a materialized SRF returning one bigint column (InitMaterializedSRF
 * insists on a row type).
 */
ReturnSetInfo *
vic_srf_begin_int8(FunctionCallInfo fcinfo, const char *colname)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext old;
	TupleDesc	desc;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) ||
		!(rsinfo->allowedModes & SFRM_Materialize))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("set-valued function called in context that cannot accept a set")));
	old = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	desc = CreateTemplateTupleDesc(1);
	TupleDescInitEntry(desc, (AttrNumber) 1, colname, INT8OID, -1, 0);
	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = tuplestore_begin_heap((rsinfo->allowedModes & SFRM_Materialize_Random) != 0,
											  false, work_mem);
	rsinfo->setDesc = desc;
	MemoryContextSwitchTo(old);
	return rsinfo;
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
	const int64 *ida = GRAPH_IDS(a);
	const int64 *idb = GRAPH_IDS(b);
	const int64 *offa = GRAPH_OFF(a);
	const int64 *offb = GRAPH_OFF(b);
	const int32 *adja = GRAPH_ADJ(a);
	const int32 *adjb = GRAPH_ADJ(b);
	const double *wa = GRAPH_W(a);
	const double *wb = GRAPH_W(b);
	const VicGraphResid *resa = GRAPH_RESID(a);
	const VicGraphResid *resb = GRAPH_RESID(b);
	int64		nresa = a->nresid,
				nresb = b->nresid;
	int32		na = a->nnodes,
				nb = b->nnodes;
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

	MemoryContextSwitchTo(scratch);
	mapa = vic_graph_alloc(na, sizeof(int32));
	mapb = vic_graph_alloc(nb, sizeof(int32));
	ids = vic_graph_alloc((int64) na + nb, sizeof(int64));
	rowa = vic_graph_alloc((int64) na + nb, sizeof(int32));
	rowb = vic_graph_alloc((int64) na + nb, sizeof(int32));
	for (int32 i = 0, j = 0; i < na || j < nb;)
	{
		rowa[n] = rowb[n] = -1;
		if (j >= nb || (i < na && ida[i] < idb[j]))
		{
			ids[n] = ida[i];
			rowa[n] = i;
			mapa[i++] = n;
		}
		else if (i >= na || idb[j] < ida[i])
		{
			ids[n] = idb[j];
			rowb[n] = j;
			mapb[j++] = n;
		}
		else
		{
			ids[n] = ida[i];
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
	soff = vic_graph_alloc((int64) n + 1, sizeof(int64));
	sadj = vic_graph_alloc(a->nedges + b->nedges, sizeof(int32));
	sw = vic_graph_alloc(a->nedges + b->nedges, sizeof(double));
	soff[0] = 0;
	for (int32 c = 0; c < n; c++)
	{
		int64		x = rowa[c] >= 0 ? offa[rowa[c]] : 0;
		int64		xe = rowa[c] >= 0 ? offa[rowa[c] + 1] : 0;
		int64		y = rowb[c] >= 0 ? offb[rowb[c]] : 0;
		int64		ye = rowb[c] >= 0 ? offb[rowb[c] + 1] : 0;

		while (x < xe || y < ye)
		{
			if (y >= ye || (x < xe && mapa[adja[x]] < mapb[adjb[y]]))
			{
				sadj[m] = mapa[adja[x]];
				sw[m] = wa[x];
				for (; ra < nresa && resa[ra].edge == x; ra++)
					resid_append(&resid, m, &resa[ra].part, 1);
				x++;
			}
			else if (x >= xe || mapb[adjb[y]] < mapa[adja[x]])
			{
				sadj[m] = mapb[adjb[y]];
				sw[m] = wb[y];
				for (; rb < nresb && resb[rb].edge == y; rb++)
					resid_append(&resid, m, &resb[rb].part, 1);
				y++;
			}
			else
			{
				int32		t = mapa[adja[x]];
				double		parts[2 * VIC_XSUM_MAXPARTS];
				double		sum[VIC_XSUM_MAXPARTS];
				int			np = 0;

				sadj[m] = t;
				/* two single doubles: fl(a + b) and TwoSum's error are canonical */
				if ((ra >= nresa || resa[ra].edge != x) && (rb >= nresb || resb[rb].edge != y))
				{
					double		e;

					vic_two_sum(wa[x], wb[y], &sw[m], &e);
					if (unlikely(!isfinite(sw[m])))
						weight_sum_overflow(ids[c], ids[t]);
					if (e != 0)
						resid_append(&resid, m, &e, 1);
					x++;
					y++;
					m++;
					continue;
				}
				parts[np++] = wa[x];
				for (; ra < nresa && resa[ra].edge == x; ra++)
					parts[np++] = resa[ra].part;
				parts[np++] = wb[y];
				for (; rb < nresb && resb[rb].edge == y; rb++)
					parts[np++] = resb[rb].part;
				x++;
				y++;
				/* exact: the sum of the parts of both sides, rounded once */
				np = edge_exact_sum(parts, np, sum, ids[c], ids[t]);
				sw[m] = np > 0 ? sum[0] : 0;
				if (np > 1)
					resid_append(&resid, m, sum + 1, np - 1);
			}
			m++;
		}
		soff[c + 1] = m;
		VIC_POLL_INTERRUPTS(c);
	}

	MemoryContextSwitchTo(caller);
	g = graph_alloc(n, m, resid.n);
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
	edgebuf_init(&eg->raw, cxt);
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
		eg->flat = edgebuf_to_graph(&eg->raw);
	else
	{
		VicGraph   *built = edgebuf_to_graph(&eg->raw);
		VicGraph   *merged = graph_merge(eg->flat, built);

		pfree(built);
		pfree(eg->flat);
		eg->flat = merged;
	}
	edgebuf_free(&eg->raw);
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
 * Access for the algorithms (graph.h)
 * ----------------------------------------------------------------
 */

/* XX001 for a graph value of a version this build does not read */
static inline void
check_graph_version(int version)
{
	if (version != VIC_GRAPH_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("unsupported vic.graph version %d", version),
				 errdetail("This build of vic reads version %d.", VIC_GRAPH_VERSION)));
}

/* detoast argument argno as a graph (validates the version byte) */
VicGraph *
vic_graph_getarg(FunctionCallInfo fcinfo, int argno)
{
	VicGraph   *g = (VicGraph *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));

	check_graph_version(g->version);
	return g;
}

/* directed CSR view, copied into CurrentMemoryContext */
void
vic_graph_csr(const VicGraph *g, bool reverse, VicCsr *out)
{
	int32		n = g->nnodes;
	int64		m = g->nedges;
	const int64 *off = GRAPH_OFF(g);
	const int32 *adj = GRAPH_ADJ(g);
	const double *w = GRAPH_W(g);

	out->n = n;
	out->m = m;
	out->ids = GRAPH_IDS(g);
	out->off = vic_graph_alloc((int64) n + 1, sizeof(int64));
	out->adj = vic_graph_alloc(m, sizeof(int32));
	out->w = vic_graph_alloc(m, sizeof(double));
	if (!reverse)
	{
		memcpy(out->off, off, ((Size) n + 1) * sizeof(int64));
		memcpy(out->adj, adj, (Size) m * sizeof(int32));
		memcpy(out->w, w, (Size) m * sizeof(double));
		return;
	}

	/* transpose: sources visited in ascending order keep rows sorted */
	{
		int64	   *pos = vic_graph_alloc0((int64) n + 1, sizeof(int64));

		for (int64 e = 0; e < m; e++)
			pos[adj[e] + 1]++;
		for (int32 i = 0; i < n; i++)
			pos[i + 1] += pos[i];
		memcpy(out->off, pos, ((Size) n + 1) * sizeof(int64));
		for (int32 u = 0; u < n; u++)
		{
			for (int64 e = off[u]; e < off[u + 1]; e++)
			{
				int64		k = pos[adj[e]]++;

				out->adj[k] = u;
				out->w[k] = w[e];
			}
			VIC_POLL_INTERRUPTS(u);
		}
		pfree(pos);
	}
}

/* read-only directed view pointing into the graph itself (no copy) */
void
vic_graph_csr_borrow(const VicGraph *g, VicCsr *out)
{
	out->n = g->nnodes;
	out->m = g->nedges;
	out->ids = GRAPH_IDS(g);
	out->off = (int64 *) GRAPH_OFF(g);
	out->adj = (int32 *) GRAPH_ADJ(g);
	out->w = (double *) GRAPH_W(g);
}

/* undirected CSR view: union of out- and in-rows, weights summed */
void
vic_graph_csr_undirected(const VicGraph *g, bool keep_loops, VicCsr *out)
{
	VicCsr		fw;
	VicCsr		bw;
	int32		n = g->nnodes;
	int64		k = 0;

	vic_graph_csr_borrow(g, &fw);
	vic_graph_csr(g, true, &bw);
	out->n = n;
	out->ids = GRAPH_IDS(g);
	out->off = vic_graph_alloc((int64) n + 1, sizeof(int64));
	out->adj = vic_graph_alloc(2 * g->nedges, sizeof(int32));
	out->w = vic_graph_alloc(2 * g->nedges, sizeof(double));
	out->off[0] = 0;
	for (int32 u = 0; u < n; u++)
	{
		int64		a = fw.off[u],
					ae = fw.off[u + 1];
		int64		b = bw.off[u],
					be = bw.off[u + 1];

		while (a < ae || b < be)
		{
			int32		v;
			double		wt;

			if (b >= be || (a < ae && fw.adj[a] < bw.adj[b]))
			{
				v = fw.adj[a];
				wt = fw.w[a++];
			}
			else if (a >= ae || bw.adj[b] < fw.adj[a])
			{
				v = bw.adj[b];
				wt = bw.w[b++];
			}
			else
			{
				/* both directions; a self-loop shows up in both rows once */
				v = fw.adj[a];
				wt = (v == u) ? fw.w[a] : fw.w[a] + bw.w[b];
				a++;
				b++;
			}
			if (v == u && !keep_loops)
				continue;
			out->adj[k] = v;
			out->w[k] = wt;
			k++;
		}
		out->off[u + 1] = k;
		VIC_POLL_INTERRUPTS(u);
	}
	out->m = k;
	vic_csr_free(&bw);
}

/* free the arrays of a CSR view (ids belong to the graph) */
void
vic_csr_free(VicCsr *csr)
{
	pfree(csr->off);
	pfree(csr->adj);
	pfree(csr->w);
	csr->off = NULL;
	csr->adj = NULL;
	csr->w = NULL;
}

/* dense index of node id, or -1: binary search over the sorted ids */
int32
vic_csr_index_of(const VicCsr *csr, int64 id)
{
	int32		lo = 0,
				hi = csr->n - 1;

	while (lo <= hi)
	{
		int32		mid = lo + (hi - lo) / 2;

		if (csr->ids[mid] < id)
			lo = mid + 1;
		else if (csr->ids[mid] > id)
			hi = mid - 1;
		else
			return mid;
	}
	return -1;
}

/* ----------------------------------------------------------------
 * Text I/O: {src->dst:weight,...} in (src, dst) order
 *
 * A weight whose exact sum is not a single double is written as its
 * canonical parts, c1~c2~..., each in shortest exact form, so the text
 * round-trips bit for bit; input accepts only canonical part lists.
 * ----------------------------------------------------------------
 */

/* syntax error in graph text input */
#define GRAPH_SYNTAX_ERROR(str) \
	ereport(ERROR, \
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION), \
			 errmsg("invalid input syntax for type graph: \"%s\"", (str))))

/* skip blanks */
static inline const char *
skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* parse a bigint node id at p; NULL on error */
static const char *
parse_id(const char *p, int64 *out)
{
	char	   *end;

	if (!(*p == '-' || (*p >= '0' && *p <= '9')))
		return NULL;
	errno = 0;
	*out = strtoi64(p, &end, 10);
	if (errno != 0 || end == p)
		return NULL;
	return end;
}

/* a weight or weight part that is not the canonical form of an exact sum */
#define GRAPH_BAD_PARTS(str) \
	ereport(ERROR, \
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION), \
			 errmsg("invalid input syntax for type graph: \"%s\"", (str)), \
			 errdetail("The parts after \"~\" of an exact weight must be finite, nonzero and the canonical parts of their sum.")))

/* parse a float8 weight (or weight part) at p; NULL on error */
static const char *
parse_weight(const char *p, double *out)
{
	char	   *end;

	if (*p == '\0' || *p == ',' || *p == '}' || *p == '~')
		return NULL;
	errno = 0;
	*out = strtod(p, &end);
	if (end == p || (errno == ERANGE && (*out == 0 || isinf(*out))))
		return NULL;
	return end;
}

PG_FUNCTION_INFO_V1(vic_graph_in);
/*
 * text input: '{1->2:1.5, 2->3, 3->1:0.30000000000000004~-2.7755575615628914e-17}'
 * (weight defaults to 1; parallel edges are summed exactly)
 */
Datum
vic_graph_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	const char *p = skip_space(str);
	VicEdgeBuf	b;
	VicGraph   *g;

	edgebuf_init(&b, CurrentMemoryContext);
	if (*p != '{')
		GRAPH_SYNTAX_ERROR(str);
	p = skip_space(p + 1);
	if (*p == '}')
		p++;
	else
	{
		for (;;)
		{
			int64		src,
						dst;
			double		parts[VIC_XSUM_MAXPARTS];
			int			np = 1;

			if ((p = parse_id(p, &src)) == NULL)
				GRAPH_SYNTAX_ERROR(str);
			p = skip_space(p);
			if (p[0] != '-' || p[1] != '>')
				GRAPH_SYNTAX_ERROR(str);
			p = skip_space(p + 2);
			if ((p = parse_id(p, &dst)) == NULL)
				GRAPH_SYNTAX_ERROR(str);
			p = skip_space(p);
			parts[0] = 1.0;
			if (*p == ':')
			{
				p = skip_space(p + 1);
				if ((p = parse_weight(p, &parts[0])) == NULL)
					GRAPH_SYNTAX_ERROR(str);
				p = skip_space(p);
				/* further canonical parts of an exact weight: c1~c2~c3 */
				while (*p == '~')
				{
					if (np >= VIC_XSUM_MAXPARTS)
						GRAPH_BAD_PARTS(str);
					p = skip_space(p + 1);
					if ((p = parse_weight(p, &parts[np])) == NULL)
						GRAPH_SYNTAX_ERROR(str);
					if (!isfinite(parts[np]) || parts[np] == 0)
						GRAPH_BAD_PARTS(str);
					np++;
					p = skip_space(p);
				}
			}
			check_weight(src, dst, parts[0]);
			if (!parts_canonical(parts, np))
				GRAPH_BAD_PARTS(str);
			for (int i = 0; i < np; i++)
				edgebuf_add(&b, src, dst, parts[i]);
			VIC_POLL_INTERRUPTS(b.n);
			if (*p == ',')
			{
				p = skip_space(p + 1);
				continue;
			}
			if (*p == '}')
			{
				p++;
				break;
			}
			GRAPH_SYNTAX_ERROR(str);
		}
	}
	p = skip_space(p);
	if (*p != '\0')
		GRAPH_SYNTAX_ERROR(str);
	g = edgebuf_to_graph(&b);
	edgebuf_free(&b);
	PG_RETURN_POINTER(g);
}

PG_FUNCTION_INFO_V1(vic_graph_out);
/*
 * canonical text output with shortest-exact weights; a weight with residual
 * parts prints as c1~c2~...
 */
Datum
vic_graph_out(PG_FUNCTION_ARGS)
{
	VicGraph   *g = vic_graph_getarg(fcinfo, 0);
	const int64 *ids = GRAPH_IDS(g);
	const int64 *off = GRAPH_OFF(g);
	const double *w = GRAPH_W(g);
	const int32 *adj = GRAPH_ADJ(g);
	const VicGraphResid *resid = GRAPH_RESID(g);
	int64		nresid = g->nresid;
	int64		r = 0;
	StringInfoData buf;
	char		num[DOUBLE_SHORTEST_DECIMAL_LEN + MAXINT8LEN];
	bool		first = true;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (int32 i = 0; i < g->nnodes; i++)
	{
		int			srclen;
		char		srcbuf[MAXINT8LEN + 1];

		srclen = pg_lltoa(ids[i], srcbuf);
		for (int64 e = off[i]; e < off[i + 1]; e++)
		{
			int			len;

			if (!first)
				appendStringInfoChar(&buf, ',');
			first = false;
			appendBinaryStringInfo(&buf, srcbuf, srclen);
			appendBinaryStringInfo(&buf, "->", 2);
			len = pg_lltoa(ids[adj[e]], num);
			appendBinaryStringInfo(&buf, num, len);
			appendStringInfoChar(&buf, ':');
			len = double_to_shortest_decimal_buf(w[e], num);
			appendBinaryStringInfo(&buf, num, len);
			for (; r < nresid && resid[r].edge == e; r++)
			{
				appendStringInfoChar(&buf, '~');
				len = double_to_shortest_decimal_buf(resid[r].part, num);
				appendBinaryStringInfo(&buf, num, len);
			}
		}
		VIC_POLL_INTERRUPTS(i);
	}
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

/* ----------------------------------------------------------------
 * Binary I/O
 *
 * version byte, flags byte (GRAPH_MSG_RESID when r > 0, else 0), int32 n,
 * int64 m, [int64 r when GRAPH_MSG_RESID], n int64 ids, n int64 row ends
 * off[1..n], m int32 targets, m float8 weights, [r times (int64 edge index,
 * float8 part)].  A graph without residual parts has the form it had
 * before the section existed.
 * ----------------------------------------------------------------
 */

PG_FUNCTION_INFO_V1(vic_graph_send);
/* binary output */
Datum
vic_graph_send(PG_FUNCTION_ARGS)
{
	VicGraph   *g = vic_graph_getarg(fcinfo, 0);
	const int64 *ids = GRAPH_IDS(g);
	const int64 *off = GRAPH_OFF(g);
	const double *w = GRAPH_W(g);
	const int32 *adj = GRAPH_ADJ(g);
	const VicGraphResid *resid = GRAPH_RESID(g);
	StringInfoData buf;

	pq_begintypsend(&buf);
	enlargeStringInfo(&buf, (int) Min((Size) 22 + 16 * (Size) g->nnodes + 12 * (Size) g->nedges +
									  16 * (Size) g->nresid,
									  MaxAllocSize - 64));
	pq_sendbyte(&buf, g->version);
	pq_sendbyte(&buf, g->nresid > 0 ? GRAPH_MSG_RESID : 0);
	pq_sendint32(&buf, g->nnodes);
	pq_sendint64(&buf, g->nedges);
	if (g->nresid > 0)
		pq_sendint64(&buf, g->nresid);
	for (int32 i = 0; i < g->nnodes; i++)
		pq_sendint64(&buf, ids[i]);
	for (int32 i = 0; i < g->nnodes; i++)
		pq_sendint64(&buf, off[i + 1]);
	for (int64 e = 0; e < g->nedges; e++)
		pq_sendint32(&buf, adj[e]);
	for (int64 e = 0; e < g->nedges; e++)
		pq_sendfloat8(&buf, w[e]);
	for (int32 k = 0; k < g->nresid; k++)
	{
		pq_sendint64(&buf, resid[k].edge);
		pq_sendfloat8(&buf, resid[k].part);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* 22P03 for a binary value that breaks an invariant */
#define GRAPH_BAD_BINARY(detail) \
	ereport(ERROR, \
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION), \
			 errmsg("invalid binary representation of vic.graph"), \
			 errdetail(detail)))

PG_FUNCTION_INFO_V1(vic_graph_recv);
/* binary input: counts checked against the message before allocating */
Datum
vic_graph_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			version;
	int			flags;
	int64		n;
	int64		m;
	int64		r = 0;
	int64		remaining;
	VicGraph   *g;
	int64	   *ids;
	int64	   *off;
	double	   *w;
	int32	   *adj;
	VicGraphResid *resid;
	bool	   *touched;

	version = pq_getmsgbyte(buf);
	check_graph_version(version);
	flags = pq_getmsgbyte(buf);
	if ((flags & ~GRAPH_MSG_RESID) != 0)
		GRAPH_BAD_BINARY("Unknown bits in the flags byte.");
	if (buf->len - buf->cursor < ((flags & GRAPH_MSG_RESID) ? 20 : 12))
		GRAPH_BAD_BINARY("The message is too short for its header.");
	n = (int32) pq_getmsgint(buf, 4);
	m = pq_getmsgint64(buf);
	if (flags & GRAPH_MSG_RESID)
	{
		r = pq_getmsgint64(buf);
		if (r < 1 || r > PG_INT64_MAX / 64)
			GRAPH_BAD_BINARY("Residual part count out of range (the flag requires at least one).");
	}
	if (n < 0 || m < 0 || n > PG_INT32_MAX / 2 || m > PG_INT64_MAX / 64)
		GRAPH_BAD_BINARY("Node or edge count out of range.");
	remaining = buf->len - buf->cursor;
	if (remaining != 16 * n + 12 * m + 16 * r)
		GRAPH_BAD_BINARY("The message length does not match the node, edge and residual part counts.");
	if ((n == 0) != (m == 0))
		GRAPH_BAD_BINARY("A graph has nodes exactly when it has edges.");
	g = graph_alloc(n, m, r);
	ids = GRAPH_IDS(g);
	off = GRAPH_OFF(g);
	w = GRAPH_W(g);
	adj = GRAPH_ADJ(g);
	resid = GRAPH_RESID(g);

	for (int64 i = 0; i < n; i++)
	{
		ids[i] = pq_getmsgint64(buf);
		if (i > 0 && ids[i] <= ids[i - 1])
			GRAPH_BAD_BINARY("Node ids must be strictly ascending.");
	}
	off[0] = 0;
	for (int64 i = 0; i < n; i++)
	{
		off[i + 1] = pq_getmsgint64(buf);
		if (off[i + 1] < off[i] || off[i + 1] > m)
			GRAPH_BAD_BINARY("Row offsets must be ascending and end at the edge count.");
	}
	if (off[n] != m)
		GRAPH_BAD_BINARY("Row offsets must end at the edge count.");
	touched = palloc0(Max(n, 1) * sizeof(bool));
	for (int64 i = 0; i < n; i++)
	{
		if (off[i + 1] > off[i])
			touched[i] = true;
		for (int64 e = off[i]; e < off[i + 1]; e++)
		{
			adj[e] = (int32) pq_getmsgint(buf, 4);
			if (adj[e] < 0 || adj[e] >= n)
				GRAPH_BAD_BINARY("Edge target index out of range.");
			if (e > off[i] && adj[e] <= adj[e - 1])
				GRAPH_BAD_BINARY("Edge targets must be strictly ascending within a row.");
			touched[adj[e]] = true;
		}
		VIC_POLL_INTERRUPTS(i);
	}
	for (int64 i = 0; i < n; i++)
		if (!touched[i])
			GRAPH_BAD_BINARY("Every node must have an incident edge.");
	pfree(touched);
	for (int64 e = 0; e < m; e++)
	{
		w[e] = pq_getmsgfloat8(buf);
		if (isnan(w[e]) || isinf(w[e]) || w[e] < 0)
			GRAPH_BAD_BINARY("Edge weights must be finite and non-negative.");
		w[e] += 0.0;
	}
	for (int64 k = 0; k < r; k++)
	{
		resid[k].edge = pq_getmsgint64(buf);
		resid[k].part = pq_getmsgfloat8(buf);
		if (resid[k].edge < 0 || resid[k].edge >= m ||
			(k > 0 && resid[k].edge < resid[k - 1].edge))
			GRAPH_BAD_BINARY("Residual parts must name edges in range, in ascending order.");
	}
	/* each edge's weight and residual parts must be a canonical exact sum */
	for (int64 k = 0; k < r;)
	{
		double		parts[VIC_XSUM_MAXPARTS];
		int64		e = resid[k].edge;
		int			np = 1;

		parts[0] = w[e];
		for (; k < r && resid[k].edge == e; k++)
		{
			if (np >= VIC_XSUM_MAXPARTS)
				GRAPH_BAD_BINARY("Too many residual parts for one edge.");
			parts[np++] = resid[k].part;
		}
		if (!parts_canonical(parts, np))
			GRAPH_BAD_BINARY("The weight and residual parts of an edge must be the canonical parts of their exact sum.");
		VIC_POLL_INTERRUPTS(k);
	}
	PG_RETURN_POINTER(g);
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
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("null weight for edge " INT64_FORMAT " -> " INT64_FORMAT, src, dst),
					 errdetail("Edge weights must be finite numbers greater than or equal to zero.")));
		w = PG_GETARG_FLOAT8(3);
	}
	check_weight(src, dst, w);
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

/* the canonical form is unique, so equal graphs are equal bytes */
static inline bool
graph_equal(const VicGraph *a, const VicGraph *b)
{
	return VARSIZE(a) == VARSIZE(b) && memcmp(a, b, VARSIZE(a)) == 0;
}

PG_FUNCTION_INFO_V1(vic_graph_eq);
/* equality */
Datum
vic_graph_eq(PG_FUNCTION_ARGS)
{
	VicGraph   *a = vic_graph_getarg(fcinfo, 0);
	VicGraph   *b = vic_graph_getarg(fcinfo, 1);

	PG_RETURN_BOOL(graph_equal(a, b));
}

PG_FUNCTION_INFO_V1(vic_graph_ne);
/* inequality */
Datum
vic_graph_ne(PG_FUNCTION_ARGS)
{
	VicGraph   *a = vic_graph_getarg(fcinfo, 0);
	VicGraph   *b = vic_graph_getarg(fcinfo, 1);

	PG_RETURN_BOOL(!graph_equal(a, b));
}

/* ----------------------------------------------------------------
 * Accessors
 * ----------------------------------------------------------------
 */

PG_FUNCTION_INFO_V1(vic_node_count);
/* number of nodes */
Datum
vic_node_count(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(vic_graph_getarg(fcinfo, 0)->nnodes);
}

PG_FUNCTION_INFO_V1(vic_edge_count);
/* number of distinct directed edges */
Datum
vic_edge_count(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(vic_graph_getarg(fcinfo, 0)->nedges);
}

PG_FUNCTION_INFO_V1(vic_edges);
/*
 * the edges as rows (src, dst, weight), in (src, dst) order; weight is c1,
 * the correctly rounded exact sum (residual parts show only in the text)
 */
Datum
vic_edges(PG_FUNCTION_ARGS)
{
	VicGraph   *g = vic_graph_getarg(fcinfo, 0);
	ReturnSetInfo *rsinfo = vic_srf_begin(fcinfo);
	const int64 *ids = GRAPH_IDS(g);
	const int64 *off = GRAPH_OFF(g);
	const double *w = GRAPH_W(g);
	const int32 *adj = GRAPH_ADJ(g);
	Datum		values[3];
	bool		nulls[3] = {false, false, false};

	for (int32 i = 0; i < g->nnodes; i++)
	{
		for (int64 e = off[i]; e < off[i + 1]; e++)
		{
			values[0] = Int64GetDatum(ids[i]);
			values[1] = Int64GetDatum(ids[adj[e]]);
			values[2] = Float8GetDatum(w[e]);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
		VIC_POLL_INTERRUPTS(i);
	}
	return (Datum) 0;
}
