/*
 * graph_internal.h
 *		Helpers shared by graph.c and the algorithm files (graph_*.c) beyond
 *		the CSR contract of graph.h.
 */
#ifndef VIC_GRAPH_INTERNAL_H
#define VIC_GRAPH_INTERNAL_H

#include "graph.h"

#include "funcapi.h"
#include "miscadmin.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

/* poll for query cancel every 2^16 iterations of a tight loop */
#define VIC_POLL_INTERRUPTS(i) \
	do { \
		if (((i) & 0xFFFF) == 0) \
			CHECK_FOR_INTERRUPTS(); \
	} while (0)

/* palloc nelem * elemsize bytes (huge allowed), 54000 on overflow */
extern void *vic_graph_alloc(int64 nelem, Size elemsize);

/* same, zero-filled */
extern void *vic_graph_alloc0(int64 nelem, Size elemsize);

/*
 * Directed out-arc view pointing into the graph itself: nothing is copied,
 * and the arrays must be neither modified nor freed.
 */
extern void vic_graph_csr_borrow(const VicGraph *g, VicCsr *out);

/* free a CSR view built by vic_graph_csr / vic_graph_csr_undirected */
extern void vic_csr_free(VicCsr *csr);

/*
 * Start a materialized SRF; returns the ReturnSetInfo whose setResult and
 * setDesc receive the rows.
 */
extern ReturnSetInfo *vic_srf_begin(FunctionCallInfo fcinfo);

/* the same for a function returning SETOF bigint (column colname) */
extern ReturnSetInfo *vic_srf_begin_int8(FunctionCallInfo fcinfo, const char *colname);

/* emit one two-column row (a, b), neither NULL, into a materialized SRF */
static inline void
vic_srf_put2(ReturnSetInfo *rsinfo, Datum a, Datum b)
{
	Datum		values[2] = {a, b};
	bool		nulls[2] = {false, false};

	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

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
