/*
 * graph_paths.c
 *		Supply tiers of a vic.graph: upstream suppliers and downstream
 *		customers of a focal firm by breadth-first search.
 *
 * Edges run supplier -> buyer, so tier-k suppliers of a firm are the nodes
 * at k hops along reverse arcs, tier-k customers the nodes at k hops along
 * forward arcs.  BFS visits each node once, so cycles are harmless.
 */
#include "postgres.h"

#include "graph_internal.h"

/* (node, tier) for nodes within max_tier hops of the focal node */
static Datum
tiers(FunctionCallInfo fcinfo, bool reverse)
{
	ReturnSetInfo *rsinfo;
	VicGraph   *graph;
	int64		focal;
	int32		max_tier = PG_INT32_MAX;
	MemoryContext scratch;
	MemoryContext old;
	VicCsr		g;
	int32		s;
	int32	   *dist;
	int32	   *queue;
	int32		head = 0,
				tail = 0;

	if (!PG_ARGISNULL(2))
	{
		max_tier = PG_GETARG_INT32(2);
		if (max_tier < 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("max_tier must be at least 1, not %d", max_tier),
					 errdetail("Tier 1 holds the direct suppliers or customers; NULL means no limit.")));
	}
	rsinfo = vic_srf_init(fcinfo);
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		return (Datum) 0;
	graph = vic_graph_getarg(fcinfo, 0);
	focal = PG_GETARG_INT64(1);

	scratch = vic_scratch_context("vic tiers");
	old = MemoryContextSwitchTo(scratch);
	if (reverse)
		vic_graph_csr(graph, true, &g);
	else
		vic_graph_csr_borrow(graph, &g);
	s = vic_csr_index_of(&g, focal);
	if (s < 0)
	{
		MemoryContextSwitchTo(old);
		MemoryContextDelete(scratch);
		return (Datum) 0;
	}
	dist = vic_alloc_array(g.n, sizeof(int32));
	queue = vic_alloc_array(g.n, sizeof(int32));
	for (int32 i = 0; i < g.n; i++)
		dist[i] = -1;
	dist[s] = 0;
	queue[tail++] = s;
	while (head < tail)
	{
		int32		v = queue[head++];

		VIC_POLL_INTERRUPTS(head);
		if (dist[v] < max_tier)
			vic_bfs_expand(&g, v, dist, queue, &tail, NULL);
	}
	MemoryContextSwitchTo(old);
	for (int32 i = 0; i < g.n; i++)
		if (dist[i] > 0)
			vic_srf_emit2(rsinfo, Int64GetDatum(g.ids[i]), Int32GetDatum(dist[i]));
	MemoryContextDelete(scratch);
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(vic_upstream);
/* (node, tier): suppliers of the focal firm, tier = hops along reverse arcs */
Datum
vic_upstream(PG_FUNCTION_ARGS)
{
	return tiers(fcinfo, true);
}

PG_FUNCTION_INFO_V1(vic_downstream);
/* (node, tier): customers of the focal firm, tier = hops along forward arcs */
Datum
vic_downstream(PG_FUNCTION_ARGS)
{
	return tiers(fcinfo, false);
}
