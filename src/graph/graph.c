/*
 * graph.c
 *		The vic.graph type: the on-disk form (laid out in graph_internal.h),
 *		the entry point that reads a graph argument, equality, accessors and
 *		the CSR views declared in graph.h.
 *
 * Building graphs (raw edges, exact sums, merging, graph_agg) is in
 * graph_build.c, text and binary I/O in graph_io.c.
 */
#include "postgres.h"

#include "fmgr.h"

#include "graph_internal.h"

/* ----------------------------------------------------------------
 * The type: reading a value, allocating one, its invariants
 * ----------------------------------------------------------------
 */

VIC_SUMMARY_LAYOUT(VicGraph);

/* detoast argument argno as a graph (XX001 for a version this build does not read) */
VicGraph *
vic_graph_getarg(FunctionCallInfo fcinfo, int argno)
{
	return (VicGraph *) vic_summary_detoast(PG_GETARG_DATUM(argno), VIC_GRAPH_VERSION,
											VIC_GRAPH_TYPNAME);
}

/* XX001 for a stored graph that breaks an invariant of its version */
void
vic_graph_corrupted(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("corrupted vic.graph value"),
			 errdetail_internal("%s", detail)));
}

/*
 * 54000 unless a graph of n nodes, m edges and r residual parts fits in one
 * varlena (which also keeps r within int32)
 */
void
vic_graph_check_size(int64 n, int64 m, int64 r)
{
	Size		size = GRAPH_SIZE(n, m, r);

	if (size > MaxAllocSize)
	{
		int64		fit = ((int64) MaxAllocSize - (int64) GRAPH_HDRSZ - 8 - 16 * n -
						   (r > 0 ? 16 * r + 4 : 0)) / 12;

		vic_check_summary_size(size, VIC_GRAPH_TYPNAME,
							   psprintf("With " INT64_FORMAT " nodes at most " INT64_FORMAT " distinct edges fit.",
										n, Max(fit, 0)));
	}
}

/*
 * A graph of n nodes, m edges and r residual parts in CurrentMemoryContext
 * with its header filled in; the header (padding included) and the padding
 * before the residual section are zeroed first so that equal graphs are
 * equal bytes.
 */
VicGraph *
vic_graph_new(int64 n, int64 m, int64 r)
{
	VicGraph   *g;
	Size		size;

	vic_graph_check_size(n, m, r);
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

/* ----------------------------------------------------------------
 * CSR views for the algorithms (graph.h)
 * ----------------------------------------------------------------
 */

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
	out->off = vic_alloc_array((int64) n + 1, sizeof(int64));
	out->adj = vic_alloc_array(m, sizeof(int32));
	out->w = vic_alloc_array(m, sizeof(double));
	if (!reverse)
	{
		memcpy(out->off, off, ((Size) n + 1) * sizeof(int64));
		memcpy(out->adj, adj, (Size) m * sizeof(int32));
		memcpy(out->w, w, (Size) m * sizeof(double));
		return;
	}

	/* transpose: sources visited in ascending order keep rows sorted */
	{
		int64	   *pos = vic_alloc_array0((int64) n + 1, sizeof(int64));

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
	out->off = vic_alloc_array((int64) n + 1, sizeof(int64));
	out->adj = vic_alloc_array(2 * g->nedges, sizeof(int32));
	out->w = vic_alloc_array(2 * g->nedges, sizeof(double));
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
 * Equality and accessors
 * ----------------------------------------------------------------
 */

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
	VicGraphView g;
	ReturnSetInfo *rsinfo;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};

	vic_graph_view(vic_graph_getarg(fcinfo, 0), &g);
	rsinfo = vic_srf_init(fcinfo);
	for (int32 i = 0; i < g.n; i++)
	{
		for (int64 e = g.off[i]; e < g.off[i + 1]; e++)
		{
			values[0] = Int64GetDatum(g.ids[i]);
			values[1] = Int64GetDatum(g.ids[g.adj[e]]);
			values[2] = Float8GetDatum(g.w[e]);
			vic_srf_emit(rsinfo, values, nulls);
		}
		VIC_POLL_INTERRUPTS(i);
	}
	return (Datum) 0;
}
