/*
 * graph.h
 *		The vic.graph summary as the algorithms see it: compressed sparse rows.
 *
 * graph.c, graph_build.c and graph_io.c own the on-disk type, its aggregate
 * and I/O; graph.c builds these CSR views, and the algorithm files
 * (graph_centrality.c, graph_community.c, graph_paths.c, graph_structure.c)
 * only read them.  Node ids are
 * bigint; inside the algorithms nodes are dense indexes 0..n-1 in ascending
 * id order, so results never depend on input row order.
 */
#ifndef VIC_GRAPH_H
#define VIC_GRAPH_H

#include "common/vic.h"

typedef struct VicCsr
{
	int32		n;				/* number of nodes */
	int64		m;				/* number of arcs (entries of adj) */
	const int64 *ids;			/* ids[i] = node id of index i, ascending */
	int64	   *off;			/* arcs of node i: off[i] .. off[i + 1] - 1 */
	int32	   *adj;			/* arc target index, ascending within a row */
	double	   *w;				/* arc weight: exact sum of the parallel edges,
								 * correctly rounded (c1 of graph.c) */
} VicCsr;

typedef struct VicGraph VicGraph;	/* detoasted vic.graph; layout in
									 * graph_internal.h */

/*
 * Detoast argument argno as a graph and check its version byte
 * (vic_summary_detoast: XX001 for a version this build does not read):
 * every function that reads a graph argument goes through here.
 */
extern VicGraph *vic_graph_getarg(FunctionCallInfo fcinfo, int argno);

/*
 * Directed views: out-arcs (supplier -> buyer) or, with reverse, in-arcs.
 * Allocated in CurrentMemoryContext.
 */
extern void vic_graph_csr(const VicGraph *g, bool reverse, VicCsr *out);

/*
 * Undirected view: the symmetrised graph, weight(u,v) = w(u->v) + w(v->u).
 * A self-loop u->u appears once in row u with its weight when keep_loops,
 * and is dropped otherwise.
 */
extern void vic_graph_csr_undirected(const VicGraph *g, bool keep_loops, VicCsr *out);

/* dense index of node id, or -1 when the graph has no such node */
extern int32 vic_csr_index_of(const VicCsr *csr, int64 id);

#endif							/* VIC_GRAPH_H */
