/*
 * graph_structure.c
 *		Structure of a vic.graph: weak and strong components, degrees,
 *		articulation points, bridges and core numbers.
 *
 * Every result lists nodes in ascending id order; all traversals visit
 * nodes and arcs in index order, so results never depend on input row order.
 * The DFS-based algorithms are iterative (explicit stacks): supply graphs of
 * 10^7 edges would overflow the C stack with recursion.
 */
#include "postgres.h"

#include <math.h>

#include "graph_internal.h"

/* union-find root with path halving */
static inline int32
uf_find(int32 *parent, int32 x)
{
	while (parent[x] != x)
	{
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

/*
 * Enter v in an iterative DFS: next discovery number as its index and
 * lowpoint, and its first arc as the next to scan.
 */
static inline void
dfs_enter(const VicCsr *g, int32 v, int32 *disc, int32 *low, int64 *next,
		  int32 *counter)
{
	disc[v] = low[v] = (*counter)++;
	next[v] = g->off[v];
}

/*
 * Weakly connected components by union-find; the smaller root always wins,
 * so each root is the smallest index (= smallest node id) of its component.
 */
static void
weak_components(const VicCsr *g, int32 *comp)
{
	for (int32 i = 0; i < g->n; i++)
		comp[i] = i;
	for (int32 u = 0; u < g->n; u++)
	{
		for (int64 e = g->off[u]; e < g->off[u + 1]; e++)
		{
			int32		a = uf_find(comp, u);
			int32		b = uf_find(comp, g->adj[e]);

			if (a < b)
				comp[b] = a;
			else if (b < a)
				comp[a] = b;
		}
		VIC_POLL_INTERRUPTS(u);
	}
	for (int32 i = 0; i < g->n; i++)
		comp[i] = uf_find(comp, i);
}

/*
 * Strongly connected components: Tarjan (1972) with an explicit call stack.
 * comp[v] = smallest index in v's component.
 */
static void
strong_components(const VicCsr *g, int32 *comp)
{
	int32		n = g->n;
	int32	   *index = vic_alloc_array(n, sizeof(int32));
	int32	   *low = vic_alloc_array(n, sizeof(int32));
	bool	   *onstack = vic_alloc_array0(n, sizeof(bool));
	int32	   *sstack = vic_alloc_array(n, sizeof(int32));	/* Tarjan's stack */
	int32	   *cstack = vic_alloc_array(n, sizeof(int32));	/* DFS call stack */
	int64	   *next = vic_alloc_array(n, sizeof(int64));	/* next arc to scan */
	int32		counter = 0;
	int32		sp = 0;
	int64		steps = 0;

	for (int32 i = 0; i < n; i++)
		index[i] = -1;
	for (int32 s = 0; s < n; s++)
	{
		int32		top = 0;

		if (index[s] >= 0)
			continue;
		cstack[0] = s;
		dfs_enter(g, s, index, low, next, &counter);
		sstack[sp++] = s;
		onstack[s] = true;
		while (top >= 0)
		{
			int32		v = cstack[top];

			VIC_POLL_INTERRUPTS(++steps);
			if (next[v] < g->off[v + 1])
			{
				int32		w = g->adj[next[v]++];

				if (index[w] < 0)
				{
					dfs_enter(g, w, index, low, next, &counter);
					sstack[sp++] = w;
					onstack[w] = true;
					cstack[++top] = w;
				}
				else if (onstack[w] && index[w] < low[v])
					low[v] = index[w];
				continue;
			}
			/* v is finished */
			top--;
			if (top >= 0 && low[v] < low[cstack[top]])
				low[cstack[top]] = low[v];
			if (low[v] == index[v])
			{
				int32		k = sp;
				int32		minidx = PG_INT32_MAX;

				do
				{
					k--;
					minidx = Min(minidx, sstack[k]);
				} while (sstack[k] != v);
				for (int32 j = k; j < sp; j++)
				{
					comp[sstack[j]] = minidx;
					onstack[sstack[j]] = false;
				}
				sp = k;
			}
		}
	}
	pfree(index);
	pfree(low);
	pfree(onstack);
	pfree(sstack);
	pfree(cstack);
	pfree(next);
}

PG_FUNCTION_INFO_V1(vic_components);
/* (node, component): weak or strong components, id = smallest node id */
Datum
vic_components(PG_FUNCTION_ARGS)
{
	VicGraph   *graph = vic_graph_getarg(fcinfo, 0);
	bool		strong = PG_GETARG_BOOL(1);
	ReturnSetInfo *rsinfo = vic_srf_init(fcinfo);
	MemoryContext scratch = vic_scratch_context("vic.components");
	MemoryContext old = MemoryContextSwitchTo(scratch);
	VicCsr		g;
	int32	   *comp;

	vic_graph_csr_borrow(graph, &g);
	comp = vic_alloc_array(g.n, sizeof(int32));
	if (strong)
		strong_components(&g, comp);
	else
		weak_components(&g, comp);
	MemoryContextSwitchTo(old);
	for (int32 i = 0; i < g.n; i++)
		vic_srf_emit2(rsinfo, Int64GetDatum(g.ids[i]), Int64GetDatum(g.ids[comp[i]]));
	MemoryContextDelete(scratch);
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(vic_degrees);
/* (node, in_degree, out_degree, in_strength, out_strength) */
Datum
vic_degrees(PG_FUNCTION_ARGS)
{
	VicGraph   *graph = vic_graph_getarg(fcinfo, 0);
	ReturnSetInfo *rsinfo = vic_srf_init(fcinfo);
	MemoryContext scratch = vic_scratch_context("vic.degrees");
	MemoryContext old = MemoryContextSwitchTo(scratch);
	VicCsr		out;
	VicCsr		in;
	Datum		values[5];
	bool		nulls[5] = {false, false, false, false, false};

	vic_graph_csr_borrow(graph, &out);
	vic_graph_csr(graph, true, &in);
	MemoryContextSwitchTo(old);
	for (int32 i = 0; i < out.n; i++)
	{
		double		sin = 0,
					sout = 0;

		/* summed in index order: the same result whatever the input order */
		for (int64 e = in.off[i]; e < in.off[i + 1]; e++)
			sin += in.w[e];
		for (int64 e = out.off[i]; e < out.off[i + 1]; e++)
			sout += out.w[e];
		if (isinf(sin) || isinf(sout))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("strength of node %lld is out of range", (long long) out.ids[i]),
					 errdetail("The sum of its edge weights exceeds the range of double precision.")));
		values[0] = Int64GetDatum(out.ids[i]);
		values[1] = Int64GetDatum(in.off[i + 1] - in.off[i]);
		values[2] = Int64GetDatum(out.off[i + 1] - out.off[i]);
		values[3] = Float8GetDatum(sin);
		values[4] = Float8GetDatum(sout);
		vic_srf_emit(rsinfo, values, nulls);
		VIC_POLL_INTERRUPTS(i);
	}
	MemoryContextDelete(scratch);
	return (Datum) 0;
}

/*
 * Hopcroft & Tarjan (1973) lowpoint DFS on the loop-free undirected view,
 * iteratively.  Allocates and fills *isapp (articulation points) and
 * *bridge_childp (for each bridge parent -> child, [child] = true: the tree
 * arc into child) and *parentp (the DFS parent, -1 for roots).
 */
static void
lowpoint_dfs(const VicCsr *g, bool **isapp, bool **bridge_childp, int32 **parentp)
{
	int32		n = g->n;
	bool	   *isap = *isapp = vic_alloc_array0(n, sizeof(bool));
	bool	   *bridge_child = *bridge_childp = vic_alloc_array0(n, sizeof(bool));
	int32	   *parent = *parentp = vic_alloc_array(n, sizeof(int32));
	int32	   *disc = vic_alloc_array(n, sizeof(int32));
	int32	   *low = vic_alloc_array(n, sizeof(int32));
	int32	   *stack = vic_alloc_array(n, sizeof(int32));
	int64	   *next = vic_alloc_array(n, sizeof(int64));
	int32		counter = 0;
	int64		steps = 0;

	for (int32 i = 0; i < n; i++)
		disc[i] = -1;
	for (int32 root = 0; root < n; root++)
	{
		int32		top = 0;
		int32		rootchildren = 0;

		if (disc[root] >= 0)
			continue;
		dfs_enter(g, root, disc, low, next, &counter);
		parent[root] = -1;
		stack[0] = root;
		while (top >= 0)
		{
			int32		v = stack[top];

			VIC_POLL_INTERRUPTS(++steps);
			if (next[v] < g->off[v + 1])
			{
				int32		w = g->adj[next[v]++];

				if (disc[w] < 0)
				{
					dfs_enter(g, w, disc, low, next, &counter);
					parent[w] = v;
					stack[++top] = w;
					if (v == root)
						rootchildren++;
				}
				else if (w != parent[v] && disc[w] < low[v])
					low[v] = disc[w];	/* back edge (no parallel edges here) */
				continue;
			}
			top--;
			if (top >= 0)
			{
				int32		u = stack[top];

				if (low[v] < low[u])
					low[u] = low[v];
				if (low[v] > disc[u])
					bridge_child[v] = true;
				if (u != root && low[v] >= disc[u])
					isap[u] = true;
			}
		}
		if (rootchildren > 1)
			isap[root] = true;
	}
	pfree(disc);
	pfree(low);
	pfree(stack);
	pfree(next);
}

PG_FUNCTION_INFO_V1(vic_articulation_points);
/* nodes whose removal disconnects their component of the undirected view */
Datum
vic_articulation_points(PG_FUNCTION_ARGS)
{
	VicGraph   *graph = vic_graph_getarg(fcinfo, 0);
	ReturnSetInfo *rsinfo = vic_srf_init_scalar(fcinfo);
	MemoryContext scratch = vic_scratch_context("vic.articulation_points");
	MemoryContext old = MemoryContextSwitchTo(scratch);
	VicCsr		g;
	bool	   *isap;
	bool	   *bridge_child;
	int32	   *parent;

	vic_graph_csr_undirected(graph, false, &g);
	lowpoint_dfs(&g, &isap, &bridge_child, &parent);
	MemoryContextSwitchTo(old);
	for (int32 i = 0; i < g.n; i++)
		if (isap[i])
			vic_srf_emit1(rsinfo, Int64GetDatum(g.ids[i]));
	MemoryContextDelete(scratch);
	return (Datum) 0;
}

/* comparator for bridges as (smaller index, larger index) pairs */
static int
cmp_pair(const void *a, const void *b)
{
	const int32 *x = a;
	const int32 *y = b;

	if (x[0] != y[0])
		return x[0] < y[0] ? -1 : 1;
	if (x[1] != y[1])
		return x[1] < y[1] ? -1 : 1;
	return 0;
}

PG_FUNCTION_INFO_V1(vic_bridges);
/* (src, dst) with src < dst: edges whose removal disconnects the undirected view */
Datum
vic_bridges(PG_FUNCTION_ARGS)
{
	VicGraph   *graph = vic_graph_getarg(fcinfo, 0);
	ReturnSetInfo *rsinfo = vic_srf_init(fcinfo);
	MemoryContext scratch = vic_scratch_context("vic.bridges");
	MemoryContext old = MemoryContextSwitchTo(scratch);
	VicCsr		g;
	bool	   *isap;
	bool	   *bridge_child;
	int32	   *parent;
	int32	   *pairs;
	int32		npairs = 0;

	vic_graph_csr_undirected(graph, false, &g);
	lowpoint_dfs(&g, &isap, &bridge_child, &parent);
	pairs = vic_alloc_array(2 * (int64) g.n, sizeof(int32));
	for (int32 v = 0; v < g.n; v++)
	{
		if (!bridge_child[v])
			continue;
		pairs[2 * npairs] = Min(v, parent[v]);
		pairs[2 * npairs + 1] = Max(v, parent[v]);
		npairs++;
	}
	qsort(pairs, npairs, 2 * sizeof(int32), cmp_pair);
	MemoryContextSwitchTo(old);
	for (int32 k = 0; k < npairs; k++)
		vic_srf_emit2(rsinfo, Int64GetDatum(g.ids[pairs[2 * k]]),
					 Int64GetDatum(g.ids[pairs[2 * k + 1]]));
	MemoryContextDelete(scratch);
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(vic_core_numbers);
/*
 * (node, core): Batagelj & Zaversnik (2003) O(m) bucket algorithm on the
 * loop-free undirected view (degree = number of distinct neighbours).
 */
Datum
vic_core_numbers(PG_FUNCTION_ARGS)
{
	VicGraph   *graph = vic_graph_getarg(fcinfo, 0);
	ReturnSetInfo *rsinfo = vic_srf_init(fcinfo);
	MemoryContext scratch = vic_scratch_context("vic.core_numbers");
	MemoryContext old = MemoryContextSwitchTo(scratch);
	VicCsr		g;
	int32		n;
	int32	   *deg;
	int32	   *bin;
	int32	   *pos;
	int32	   *vert;
	int32		maxdeg = 0;

	vic_graph_csr_undirected(graph, false, &g);
	n = g.n;
	deg = vic_alloc_array(n, sizeof(int32));
	pos = vic_alloc_array(n, sizeof(int32));
	vert = vic_alloc_array(n, sizeof(int32));
	for (int32 v = 0; v < n; v++)
	{
		deg[v] = (int32) (g.off[v + 1] - g.off[v]);
		maxdeg = Max(maxdeg, deg[v]);
	}
	bin = vic_alloc_array0((int64) maxdeg + 1, sizeof(int32));
	for (int32 v = 0; v < n; v++)
		bin[deg[v]]++;
	{
		int32		start = 0;

		for (int32 d = 0; d <= maxdeg; d++)
		{
			int32		num = bin[d];

			bin[d] = start;
			start += num;
		}
	}
	for (int32 v = 0; v < n; v++)
	{
		pos[v] = bin[deg[v]];
		vert[pos[v]] = v;
		bin[deg[v]]++;
	}
	for (int32 d = maxdeg; d > 0; d--)
		bin[d] = bin[d - 1];
	if (maxdeg >= 0)
		bin[0] = 0;
	for (int32 i = 0; i < n; i++)
	{
		int32		v = vert[i];

		for (int64 e = g.off[v]; e < g.off[v + 1]; e++)
		{
			int32		u = g.adj[e];

			if (deg[u] > deg[v])
			{
				int32		du = deg[u];
				int32		pu = pos[u];
				int32		pw = bin[du];
				int32		w = vert[pw];

				if (u != w)
				{
					pos[u] = pw;
					vert[pu] = w;
					pos[w] = pu;
					vert[pw] = u;
				}
				bin[du]++;
				deg[u]--;
			}
		}
		VIC_POLL_INTERRUPTS(i);
	}
	MemoryContextSwitchTo(old);
	for (int32 v = 0; v < n; v++)
		vic_srf_emit2(rsinfo, Int64GetDatum(g.ids[v]), Int64GetDatum(deg[v]));
	MemoryContextDelete(scratch);
	return (Datum) 0;
}
