/*
 * graph_centrality.c
 *		Centrality and brokerage on a vic.graph: PageRank, betweenness,
 *		Burt's constraint and effective size.
 *
 * Conventions follow networkx so that results can be compared number for
 * number (see doc/graph.md).  Nodes are visited in index (= ascending id)
 * order and sums are formed in that order, so results do not depend on
 * input row order.
 */
#include "postgres.h"

#include <math.h>

#include "utils/array.h"

#include "graph_internal.h"
#include "common/args.h"
#include "common/prng.h"

/* 22023 for a NULL parameter that has no meaning as NULL */
static void
require_not_null(FunctionCallInfo fcinfo, int argno, const char *name)
{
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be null", name)));
}

/*
 * Personalization vector: 1/k for each of the k distinct listed nodes.
 * Returns p (n entries).
 */
static double *
personalization_vector(ArrayType *arr, const VicCsr *g)
{
	int64	   *nodes;
	int			nelems = vic_int8_array(arr, "personalization", &nodes);
	double	   *p = vic_alloc_array0(Max(g->n, 1), sizeof(double));
	int32		k = 0;

	if (nelems == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("personalization must name at least one node"),
				 errdetail("Pass NULL for the uniform teleport vector.")));
	for (int i = 0; i < nelems; i++)
	{
		int32		idx = vic_csr_index_of(g, nodes[i]);

		if (idx < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("personalization node " INT64_FORMAT " is not in the graph",
							nodes[i])));
		if (p[idx] == 0)
		{
			p[idx] = 1;
			k++;
		}
	}
	for (int32 i = 0; i < g->n; i++)
		p[i] /= k;
	pfree(nodes);
	return p;
}

PG_FUNCTION_INFO_V1(vic_pagerank);
/*
 * (node, pagerank): power iteration of Brin & Page (1998),
 *	 x'_v = d * sum_{u->v} x_u w_uv / s_u + (d * D + (1 - d)) p_v,
 * s_u = out-strength of u, D = sum of x over dangling nodes (s_u = 0),
 * p = personalization (uniform without one), as networkx's pagerank does.
 * Stops when sum_v |x'_v - x_v| < n * tolerance.
 */
Datum
vic_pagerank(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo;
	VicGraph   *graph;
	double		d;
	double		tol;
	int32		maxit;
	MemoryContext scratch;
	MemoryContext old;
	VicCsr		g;
	int32		n;
	double	   *p;
	double	   *inv;
	double	   *x;
	double	   *xn;
	double	   *c;
	bool		converged = false;
	int32		it;
	double		err = 0;

	require_not_null(fcinfo, 1, "damping");
	require_not_null(fcinfo, 3, "tolerance");
	require_not_null(fcinfo, 4, "max_iterations");
	d = PG_GETARG_FLOAT8(1);
	tol = PG_GETARG_FLOAT8(3);
	maxit = PG_GETARG_INT32(4);
	if (isnan(d) || d < 0 || d >= 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("damping must be in [0, 1), not %g", d)));
	if (isnan(tol) || isinf(tol) || tol <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("tolerance must be a finite number greater than zero, not %g", tol)));
	if (maxit < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max_iterations must be at least 1, not %d", maxit)));
	rsinfo = vic_srf_init(fcinfo);
	if (PG_ARGISNULL(0))
		return (Datum) 0;
	graph = vic_graph_getarg(fcinfo, 0);

	scratch = vic_scratch_context("vic.pagerank");
	old = MemoryContextSwitchTo(scratch);
	vic_graph_csr(graph, true, &g);	/* in-arcs: each x'_v is one row */
	n = g.n;
	if (PG_ARGISNULL(2))
	{
		p = vic_alloc_array(Max(n, 1), sizeof(double));
		for (int32 i = 0; i < n; i++)
			p[i] = 1.0 / n;
	}
	else
		p = personalization_vector(PG_GETARG_ARRAYTYPE_P(2), &g);
	if (n == 0)
	{
		MemoryContextSwitchTo(old);
		MemoryContextDelete(scratch);
		return (Datum) 0;
	}

	/*
	 * Arc weights become transition probabilities w / s(u), s(u) the
	 * out-strength of the arc's source; inv[u] is then 1 for nodes with
	 * out-weight and 0 for dangling ones.  Weights are scaled by the largest
	 * out-weight of u first, so neither 1 / s(u) of a subnormal strength nor
	 * s(u) of huge weights overflows.
	 */
	{
		double	   *mx = vic_alloc_array0(n, sizeof(double));

		inv = vic_alloc_array0(n, sizeof(double));
		for (int32 v = 0; v < n; v++)
			for (int64 e = g.off[v]; e < g.off[v + 1]; e++)
				mx[g.adj[e]] = Max(mx[g.adj[e]], g.w[e]);
		for (int32 v = 0; v < n; v++)
			for (int64 e = g.off[v]; e < g.off[v + 1]; e++)
				if (mx[g.adj[e]] > 0)
					inv[g.adj[e]] += g.w[e] / mx[g.adj[e]];
		for (int32 v = 0; v < n; v++)
		{
			for (int64 e = g.off[v]; e < g.off[v + 1]; e++)
				if (inv[g.adj[e]] > 0)
					g.w[e] = (g.w[e] / mx[g.adj[e]]) / inv[g.adj[e]];
			VIC_POLL_INTERRUPTS(v);
		}
		for (int32 u = 0; u < n; u++)
			inv[u] = inv[u] > 0 ? 1.0 : 0.0;
		pfree(mx);
	}

	x = vic_alloc_array(n, sizeof(double));
	xn = vic_alloc_array(n, sizeof(double));
	c = vic_alloc_array(n, sizeof(double));
	for (int32 i = 0; i < n; i++)
		x[i] = 1.0 / n;
	for (it = 0; it < maxit; it++)	/* it < maxit: no wrap at maxit = INT_MAX */
	{
		double		dangling = 0;
		double		teleport;

		CHECK_FOR_INTERRUPTS();
		for (int32 u = 0; u < n; u++)
		{
			if (inv[u] == 0)
				dangling += x[u];
			c[u] = x[u] * inv[u];
		}
		teleport = d * dangling + (1.0 - d);
		err = 0;
		for (int32 v = 0; v < n; v++)
		{
			double		acc = 0;

			for (int64 e = g.off[v]; e < g.off[v + 1]; e++)
				acc += c[g.adj[e]] * g.w[e];
			xn[v] = d * acc + teleport * p[v];
			err += fabs(xn[v] - x[v]);
			VIC_POLL_INTERRUPTS(v);
		}
		{
			double	   *t = x;

			x = xn;
			xn = t;
		}
		if (err < n * tol)
		{
			converged = true;
			break;
		}
	}
	if (!converged)
		ereport(WARNING,
				(errmsg("pagerank did not converge in %d iterations", maxit),
				 errdetail("The last change was %g, above n * tolerance = %g; the last iterate is returned.",
						   err, n * tol),
				 errhint("Raise max_iterations or tolerance.")));
	MemoryContextSwitchTo(old);
	for (int32 i = 0; i < n; i++)
		vic_srf_emit2(rsinfo, Int64GetDatum(g.ids[i]), Float8GetDatum(x[i]));
	MemoryContextDelete(scratch);
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(vic_betweenness);
/*
 * (node, betweenness): Brandes (2001) over unweighted (hop-count) shortest
 * paths, all sources or k sources drawn with pg_prng (Brandes & Pich 2007)
 * and scaled by n / k.  Rescaling as networkx: undirected sums are halved,
 * normalized divides by (n - 1)(n - 2) (directed) or (n - 1)(n - 2) / 2
 * (undirected).  Self-loops never lie on a shortest path.
 */
Datum
vic_betweenness(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo;
	VicGraph   *graph;
	bool		directed;
	bool		normalized;
	int64		seed;
	int32		k = -1;
	MemoryContext scratch;
	MemoryContext old;
	VicCsr		g;
	int32		n;
	int32	   *sources;
	int32		nsources;
	int32	   *dist;
	int32	   *order;
	double	   *sigma;
	double	   *delta;
	double	   *bc;
	double		scale = 1.0;

	require_not_null(fcinfo, 1, "directed");
	require_not_null(fcinfo, 2, "normalized");
	require_not_null(fcinfo, 4, "seed");
	directed = PG_GETARG_BOOL(1);
	normalized = PG_GETARG_BOOL(2);
	seed = PG_GETARG_INT64(4);
	if (!PG_ARGISNULL(3))
	{
		k = PG_GETARG_INT32(3);
		if (k < 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("samples must be at least 1, not %d", k),
					 errdetail("NULL means all nodes are sources (exact betweenness).")));
	}
	rsinfo = vic_srf_init(fcinfo);
	if (PG_ARGISNULL(0))
		return (Datum) 0;
	graph = vic_graph_getarg(fcinfo, 0);

	scratch = vic_scratch_context("vic.betweenness");
	old = MemoryContextSwitchTo(scratch);
	if (directed)
		vic_graph_csr_borrow(graph, &g);
	else
		vic_graph_csr_undirected(graph, false, &g);
	n = g.n;

	/* sources: all nodes, or a seeded partial Fisher-Yates sample of k */
	sources = vic_alloc_array(Max(n, 1), sizeof(int32));
	for (int32 i = 0; i < n; i++)
		sources[i] = i;
	nsources = n;
	if (k > 0 && k < n)
	{
		pg_prng_state rng;

		vic_prng_seed(&rng, seed);
		vic_sample_int32(sources, n, k, &rng);
		nsources = k;
		scale = (double) n / k;
	}

	dist = vic_alloc_array(Max(n, 1), sizeof(int32));
	order = vic_alloc_array(Max(n, 1), sizeof(int32));
	sigma = vic_alloc_array0(Max(n, 1), sizeof(double));
	delta = vic_alloc_array0(Max(n, 1), sizeof(double));
	bc = vic_alloc_array0(Max(n, 1), sizeof(double));
	for (int32 i = 0; i < n; i++)
		dist[i] = -1;

	for (int32 si = 0; si < nsources; si++)
	{
		int32		s = sources[si];
		int32		head = 0,
					tail = 0;

		CHECK_FOR_INTERRUPTS();
		/* BFS counting shortest paths (Brandes 2001, Algorithm 1) */
		dist[s] = 0;
		sigma[s] = 1;
		order[tail++] = s;
		while (head < tail)
		{
			int32		v = order[head++];

			VIC_POLL_INTERRUPTS(head);
			vic_bfs_expand(&g, v, dist, order, &tail, sigma);
		}
		/* dependency accumulation in reverse BFS order, over successors */
		for (int32 q = tail - 1; q >= 0; q--)
		{
			int32		v = order[q];
			double		dv = 0;

			for (int64 e = g.off[v]; e < g.off[v + 1]; e++)
			{
				int32		w = g.adj[e];

				if (dist[w] == dist[v] + 1)
					dv += sigma[v] / sigma[w] * (1.0 + delta[w]);
			}
			delta[v] = dv;
			if (v != s)
				bc[v] += dv;
			VIC_POLL_INTERRUPTS(q);
		}
		for (int32 q = 0; q < tail; q++)
		{
			int32		v = order[q];

			dist[v] = -1;
			sigma[v] = 0;
			delta[v] = 0;
		}
	}

	if (normalized)
	{
		if (n > 2)
			scale /= ((double) (n - 1) * (double) (n - 2));
	}
	else if (!directed)
		scale *= 0.5;
	MemoryContextSwitchTo(old);
	for (int32 i = 0; i < n; i++)
		vic_srf_emit2(rsinfo, Int64GetDatum(g.ids[i]), Float8GetDatum(bc[i] * scale));
	MemoryContextDelete(scratch);
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(vic_burt_constraint);
/*
 * (node, constraint, effective_size): Burt (1992) on the loop-free undirected
 * view with mutual weights a_uv = w(u->v) + w(v->u), as networkx computes
 * them:
 *	 p_uv = a_uv / sum_w a_uw,	 m_vw = a_vw / max_x a_vx
 *	 constraint(u) = sum_{v in N(u)} (p_uv + sum_{w in N(u)} p_uw p_wv)^2
 *	 effective_size(u) = sum_{v in N(u)} (1 - sum_{w in N(u)} p_uw m_vw)
 */
Datum
vic_burt_constraint(PG_FUNCTION_ARGS)
{
	VicGraph   *graph = vic_graph_getarg(fcinfo, 0);
	ReturnSetInfo *rsinfo = vic_srf_init(fcinfo);
	MemoryContext scratch = vic_scratch_context("vic.burt_constraint");
	MemoryContext old = MemoryContextSwitchTo(scratch);
	VicCsr		g;
	int32		n;
	double	   *strength;
	double	   *maxw;
	double	   *pu;
	double	   *con;
	double	   *eff;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};

	vic_graph_csr_undirected(graph, false, &g);
	n = g.n;
	strength = vic_alloc_array0(Max(n, 1), sizeof(double));
	maxw = vic_alloc_array0(Max(n, 1), sizeof(double));
	pu = vic_alloc_array0(Max(n, 1), sizeof(double));
	con = vic_alloc_array0(Max(n, 1), sizeof(double));
	eff = vic_alloc_array0(Max(n, 1), sizeof(double));
	for (int32 u = 0; u < n; u++)
		for (int64 e = g.off[u]; e < g.off[u + 1]; e++)
		{
			strength[u] += g.w[e];
			maxw[u] = Max(maxw[u], g.w[e]);
		}
	for (int32 u = 0; u < n; u++)
		if (isinf(strength[u]))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("strength of node %lld is out of range", (long long) g.ids[u]),
					 errdetail("The sum of its mutual edge weights exceeds the range of double precision.")));

	for (int32 u = 0; u < n; u++)
	{
		if (strength[u] == 0)
		{
			/* networkx: every p_uv is 0, so each neighbour is fully non-redundant */
			eff[u] = (double) (g.off[u + 1] - g.off[u]);
			continue;
		}
		for (int64 e = g.off[u]; e < g.off[u + 1]; e++)
			pu[g.adj[e]] = g.w[e] / strength[u];
		for (int64 e = g.off[u]; e < g.off[u + 1]; e++)
		{
			int32		v = g.adj[e];
			double		indirect = 0;
			double		redundancy = 0;

			/* w runs over N(v); pu[w] is zero unless w is also in N(u) */
			for (int64 f = g.off[v]; f < g.off[v + 1]; f++)
			{
				int32		w = g.adj[f];

				if (pu[w] == 0)
					continue;
				if (strength[w] > 0)
					indirect += pu[w] * g.w[f] / strength[w];
				if (maxw[v] > 0)
					redundancy += pu[w] * g.w[f] / maxw[v];
			}
			con[u] += (pu[v] + indirect) * (pu[v] + indirect);
			eff[u] += 1.0 - redundancy;
			VIC_POLL_INTERRUPTS(e);
		}
		for (int64 e = g.off[u]; e < g.off[u + 1]; e++)
			pu[g.adj[e]] = 0;
		VIC_POLL_INTERRUPTS(u);
	}
	MemoryContextSwitchTo(old);
	for (int32 u = 0; u < n; u++)
	{
		values[0] = Int64GetDatum(g.ids[u]);
		values[1] = Float8GetDatum(con[u]);
		values[2] = Float8GetDatum(eff[u]);
		/* a node whose only edges are self-loops has no ego network */
		nulls[1] = nulls[2] = (g.off[u + 1] == g.off[u]);
		vic_srf_emit(rsinfo, values, nulls);
	}
	MemoryContextDelete(scratch);
	return (Datum) 0;
}
