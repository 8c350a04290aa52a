/*
 * graph_internal.h
 *		What the vic.graph files share beyond the CSR contract of graph.h.
 *
 * The on-disk form and the raw edge buffer are for the files of the type
 * (graph.c: layout, accessors and CSR views; graph_build.c: raw edges,
 * exact sums, build, merge and the aggregate; graph_io.c: text and binary
 * I/O); the algorithm files (graph_*.c) read graphs only through the CSR
 * views and use the BFS and scratch-memory helpers at the end.  The summary
 * contract, argument checks, SRFs, allocation and the interrupt poll are the
 * shared core's (src/common).
 */
#ifndef VIC_GRAPH_INTERNAL_H
#define VIC_GRAPH_INTERNAL_H

#include "graph.h"

#include "common/mem.h"
#include "common/srf.h"
#include "common/summary.h"
#include "common/xsum.h"

/* ----------------------------------------------------------------
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
 * ----------------------------------------------------------------
 */
#define VIC_GRAPH_VERSION	1

/* the type's SQL name, as the shared core's errors print it */
#define VIC_GRAPH_TYPNAME	"vic.graph"

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

/* the sections of a flat graph, for reading */
typedef struct VicGraphView
{
	int32		n;				/* nodes */
	int64		m;				/* edges */
	int64		nresid;			/* residual entries */
	const int64 *ids;
	const int64 *off;
	const double *w;
	const int32 *adj;
	const VicGraphResid *resid;
} VicGraphView;

/* point v at the sections of g */
static inline void
vic_graph_view(const VicGraph *g, VicGraphView *v)
{
	v->n = g->nnodes;
	v->m = g->nedges;
	v->nresid = g->nresid;
	v->ids = GRAPH_IDS(g);
	v->off = GRAPH_OFF(g);
	v->w = GRAPH_W(g);
	v->adj = GRAPH_ADJ(g);
	v->resid = GRAPH_RESID(g);
}

/* XX001 for a stored graph that breaks an invariant of its version */
extern void vic_graph_corrupted(const char *detail) pg_attribute_noreturn();

/*
 * The exact weight of edge e as its canonical parts into parts (room for
 * VIC_XSUM_MAXPARTS): w[e], then its residual parts, found at the cursor *r
 * of a walk over the edges in ascending order and stepped over; returns the
 * number of parts.
 */
static inline int
vic_graph_edge_parts(const VicGraphView *v, int64 e, int64 *r, double *parts)
{
	int			np = 1;

	parts[0] = v->w[e];
	for (; *r < v->nresid && v->resid[*r].edge == e; (*r)++)
	{
		if (unlikely(np >= VIC_XSUM_MAXPARTS))
			vic_graph_corrupted("An edge has more residual parts than an exact sum can have.");
		parts[np++] = v->resid[*r].part;
	}
	return np;
}

/*
 * A graph of n nodes, m edges and r residual parts in CurrentMemoryContext,
 * header filled in and padding zeroed; the sections are the caller's to fill.
 */
extern VicGraph *vic_graph_new(int64 n, int64 m, int64 r);

/*
 * 54000 (vic_check_summary_size) unless a graph of n nodes, m edges and r
 * residual parts fits in one varlena; the hint says how many edges would
 */
extern void vic_graph_check_size(int64 n, int64 m, int64 r);

/* ----------------------------------------------------------------
 * Raw edge buffer (graph_build.c): what graph_agg, merge_agg and text
 * input collect before the build sorts it into the canonical form
 * ----------------------------------------------------------------
 */
struct idmap_hash;				/* id -> provisional index, in graph_build.c */

typedef struct VicEdgeBuf
{
	MemoryContext cxt;			/* where the arrays and the map live */
	struct idmap_hash *map;		/* id -> provisional index */
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
extern void vic_edgebuf_init(VicEdgeBuf *b, MemoryContext cxt);

/* release the memory of a buffer, leaving it empty */
extern void vic_edgebuf_free(VicEdgeBuf *b);

/* append one edge whose weight (or weight part) is already validated */
extern void vic_edgebuf_add(VicEdgeBuf *b, int64 src, int64 dst, double w);

/*
 * The canonical flat graph of a buffer's edges, parallel edges summed
 * exactly, in CurrentMemoryContext
 */
extern VicGraph *vic_edgebuf_build(const VicEdgeBuf *b);

/* ----------------------------------------------------------------
 * Helpers for all graph files
 * ----------------------------------------------------------------
 */

/*
 * Directed out-arc view pointing into the graph itself: nothing is copied,
 * and the arrays must be neither modified nor freed.
 */
extern void vic_graph_csr_borrow(const VicGraph *g, VicCsr *out);

/* free a CSR view built by vic_graph_csr / vic_graph_csr_undirected */
extern void vic_csr_free(VicCsr *csr);

/*
 * BFS expansion of v: each arc target w not yet reached (dist[w] < 0) gets
 * dist[v] + 1 and joins queue at *tail; with sigma, the shortest-path counts
 * of the next level also receive sigma[v] (Brandes 2001, Algorithm 1).
 */
static pg_attribute_always_inline void
vic_bfs_expand(const VicCsr *g, int32 v, int32 *dist, int32 *queue,
			   int32 *tail, double *sigma)
{
	for (int64 e = g->off[v]; e < g->off[v + 1]; e++)
	{
		int32		w = g->adj[e];

		if (dist[w] < 0)
		{
			dist[w] = dist[v] + 1;
			queue[(*tail)++] = w;
		}
		if (sigma != NULL && dist[w] == dist[v] + 1)
			sigma[w] += sigma[v];
	}
}

/*
 * A child of CurrentMemoryContext for an algorithm's scratch memory; being
 * a child, it is released with its parent on error.
 */
#define vic_scratch_context(name) \
	AllocSetContextCreate(CurrentMemoryContext, (name), ALLOCSET_DEFAULT_SIZES)

#endif							/* VIC_GRAPH_INTERNAL_H */
