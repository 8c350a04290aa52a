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
 *	 int64	nedges			m (distinct directed edges, self-loops included)
 *	 int64	ids[n]			node ids, strictly ascending
 *	 int64	off[n + 1]		CSR row offsets by source: off[0] = 0, off[n] = m
 *	 float8 w[m]			edge weights (parallel edges summed), finite, >= 0
 *	 int32	adj[m]			target node indexes, strictly ascending per row
 *
 * Nodes come only from edges, so every node has at least one incident edge;
 * a graph without edges has no nodes and prints as '{}'.
 */
#include "postgres.h"

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

#define VIC_GRAPH_VERSION	1

struct VicGraph
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;
	uint8		flags;
	uint16		reserved;
	int32		nnodes;
	int64		nedges;
	int64		data[FLEXIBLE_ARRAY_MEMBER];
};

#define GRAPH_HDRSZ			offsetof(VicGraph, data)
#define GRAPH_IDS(g)		((int64 *) (g)->data)
#define GRAPH_OFF(g)		(GRAPH_IDS(g) + (g)->nnodes)
#define GRAPH_W(g)			((double *) (GRAPH_OFF(g) + (g)->nnodes + 1))
#define GRAPH_ADJ(g)		((int32 *) (GRAPH_W(g) + (g)->nedges))
#define GRAPH_SIZE(n, m)	(GRAPH_HDRSZ + (Size) 16 * (n) + 8 + (Size) 12 * (m))

/* most raw (not yet merged) edges one aggregate state may hold */
#define VIC_GRAPH_MAX_RAW	((int64) (PG_INT32_MAX / 2))

/* ----------------------------------------------------------------
 * Raw edge buffer: what graph_agg, '||' and text input collect
 * ----------------------------------------------------------------
 */
typedef struct VicEdgeBuf
{
	MemoryContext cxt;			/* where the arrays live */
	int64		n;
	int64		cap;
	int64	   *src;
	int64	   *dst;
	double	   *w;
} VicEdgeBuf;

/* an empty buffer whose arrays will live in cxt */
static void
edgebuf_init(VicEdgeBuf *b, MemoryContext cxt)
{
	b->cxt = cxt;
	b->n = 0;
	b->cap = 0;
	b->src = NULL;
	b->dst = NULL;
	b->w = NULL;
}

/* release the arrays of a buffer */
static void
edgebuf_free(VicEdgeBuf *b)
{
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
	newcap = Max(need, Max(b->cap * 2, 1024));
	newcap = Min(newcap, VIC_GRAPH_MAX_RAW);
	if (b->src == NULL)
	{
		b->src = MemoryContextAllocHuge(b->cxt, newcap * sizeof(int64));
		b->dst = MemoryContextAllocHuge(b->cxt, newcap * sizeof(int64));
		b->w = MemoryContextAllocHuge(b->cxt, newcap * sizeof(double));
	}
	else
	{
		b->src = repalloc_huge(b->src, newcap * sizeof(int64));
		b->dst = repalloc_huge(b->dst, newcap * sizeof(int64));
		b->w = repalloc_huge(b->w, newcap * sizeof(double));
	}
	b->cap = newcap;
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

/* append one validated edge */
static inline void
edgebuf_add(VicEdgeBuf *b, int64 src, int64 dst, double w)
{
	if (b->n >= b->cap)
		edgebuf_reserve(b, 1);
	b->src[b->n] = src;
	b->dst[b->n] = dst;
	b->w[b->n] = w + 0.0;		/* -0 becomes +0 */
	b->n++;
}

/* append all edges of a flat graph */
static void
edgebuf_add_graph(VicEdgeBuf *b, const VicGraph *g)
{
	const int64 *ids = GRAPH_IDS(g);
	const int64 *off = GRAPH_OFF(g);
	const double *w = GRAPH_W(g);
	const int32 *adj = GRAPH_ADJ(g);
	int64		k = b->n;

	edgebuf_reserve(b, g->nedges);
	for (int32 i = 0; i < g->nnodes; i++)
	{
		for (int64 e = off[i]; e < off[i + 1]; e++)
		{
			b->src[k] = ids[i];
			b->dst[k] = ids[adj[e]];
			b->w[k] = w[e];
			k++;
		}
		VIC_POLL_INTERRUPTS(i);
	}
	b->n = k;
}

/* ----------------------------------------------------------------
 * Canonical form: ids, CSR, parallel edges summed
 * ----------------------------------------------------------------
 */
typedef struct EndpointKey
{
	uint64		key;			/* id with the sign bit flipped: unsigned order */
	uint32		pos;			/* endpoint: edge e's source is e, target n + e */
} EndpointKey;

/*
 * LSD radix sort by key, 8 bits a pass, skipping the passes in which every
 * key has the same byte (node ids are usually small).  Returns whichever of
 * a and tmp holds the result.
 */
static EndpointKey *
radix_sort_endpoints(EndpointKey *a, EndpointKey *tmp, int64 len)
{
	int64	   *hist = vic_graph_alloc0(8 * 256, sizeof(int64));

	for (int64 i = 0; i < len; i++)
	{
		uint64		k = a[i].key;

		for (int b = 0; b < 8; b++)
			hist[b * 256 + ((k >> (8 * b)) & 0xFF)]++;
		VIC_POLL_INTERRUPTS(i);
	}
	for (int b = 0; b < 8; b++)
	{
		int64	   *h = hist + b * 256;
		int64		sum = 0;
		bool		trivial = false;

		for (int d = 0; d < 256; d++)
		{
			int64		c = h[d];

			if (c == len)
				trivial = true;
			h[d] = sum;
			sum += c;
		}
		if (trivial)
			continue;
		CHECK_FOR_INTERRUPTS();
		for (int64 i = 0; i < len; i++)
			tmp[h[(a[i].key >> (8 * b)) & 0xFF]++] = a[i];
		{
			EndpointKey *t = a;

			a = tmp;
			tmp = t;
		}
	}
	pfree(hist);
	return a;
}

/* comparator for the weights of one run of parallel edges */
static int
cmp_double(const void *a, const void *b)
{
	double		x = *(const double *) a;
	double		y = *(const double *) b;

	return (x > y) - (x < y);
}

/*
 * Sum the weights of a run of parallel edges in ascending order, so that the
 * sum does not depend on input row order.
 */
static double
sum_run(const uint32 *perm, int64 from, int64 to, const double *w,
		double *scratch, const int32 *src_i, const int64 *ids, const int32 *dst_i)
{
	double		s = 0;
	int64		len = to - from;

	if (len == 1)
		return w[perm[from]];
	for (int64 k = 0; k < len; k++)
		scratch[k] = w[perm[from + k]];
	qsort(scratch, len, sizeof(double), cmp_double);
	for (int64 k = 0; k < len; k++)
		s += scratch[k];
	if (isinf(s))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("sum of the weights of edge " INT64_FORMAT " -> " INT64_FORMAT " is out of range",
						ids[src_i[perm[from]]], ids[dst_i[perm[from]]]),
				 errdetail("Parallel edges are summed and the sum overflows float8.")));
	return s;
}

/* 54000 unless a graph of n nodes and m edges fits in one varlena */
static void
check_graph_size(int64 n, int64 m)
{
	if ((Size) GRAPH_SIZE(n, m) > MaxAllocSize)
	{
		int64		fit = ((int64) MaxAllocSize - (int64) GRAPH_HDRSZ - 8 - 16 * n) / 12;

		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("vic.graph too large: " INT64_FORMAT " nodes and " INT64_FORMAT " edges",
						n, m),
				 errdetail("A vic.graph is limited to 1 GB; with " INT64_FORMAT " nodes at most " INT64_FORMAT " distinct edges fit.",
						   n, Max(fit, 0))));
	}
}

/*
 * Build the canonical flat graph from a raw edge buffer, in
 * CurrentMemoryContext; scratch memory is freed before returning.
 */
static VicGraph *
edgebuf_to_graph(const VicEdgeBuf *b)
{
	MemoryContext scratch;
	MemoryContext caller = CurrentMemoryContext;
	int64		nraw = b->n;
	EndpointKey *keys;
	EndpointKey *sorted;
	int32	   *src_i;
	int32	   *dst_i;
	int64	   *ids;
	int32		n = 0;
	int64	   *cnt;
	uint32	   *perm1;
	uint32	   *perm2;
	int64	   *rowstart;
	int64		m = 0;
	double	   *runw;
	VicGraph   *g;
	int64	   *goff;
	double	   *gw;
	int32	   *gadj;
	int64		maxrun = 1;

	if (nraw == 0)
	{
		g = palloc0(GRAPH_SIZE(0, 0));
		SET_VARSIZE(g, GRAPH_SIZE(0, 0));
		g->version = VIC_GRAPH_VERSION;
		return g;
	}

	scratch = vic_scratch_context("vic.graph build");
	MemoryContextSwitchTo(scratch);

	/* 1. dense node indexes: radix-sort all 2 * nraw endpoints by id */
	keys = vic_graph_alloc(2 * nraw, sizeof(EndpointKey));
	for (int64 e = 0; e < nraw; e++)
	{
		keys[e].key = (uint64) b->src[e] ^ (UINT64CONST(1) << 63);
		keys[e].pos = (uint32) e;
		keys[nraw + e].key = (uint64) b->dst[e] ^ (UINT64CONST(1) << 63);
		keys[nraw + e].pos = (uint32) (nraw + e);
	}
	sorted = radix_sort_endpoints(keys, vic_graph_alloc(2 * nraw, sizeof(EndpointKey)),
								  2 * nraw);
	src_i = vic_graph_alloc(2 * nraw, sizeof(int32));
	dst_i = src_i + nraw;
	ids = vic_graph_alloc(2 * nraw, sizeof(int64));
	for (int64 k = 0; k < 2 * nraw; k++)
	{
		if (k == 0 || sorted[k].key != sorted[k - 1].key)
			ids[n++] = (int64) (sorted[k].key ^ (UINT64CONST(1) << 63));
		src_i[sorted[k].pos] = n - 1;	/* src_i and dst_i are contiguous */
		VIC_POLL_INTERRUPTS(k);
	}

	/* 2. order edges by (source, target): counting sort by target, then by source */
	cnt = vic_graph_alloc0((int64) n + 1, sizeof(int64));
	perm1 = vic_graph_alloc(nraw, sizeof(uint32));
	perm2 = vic_graph_alloc(nraw, sizeof(uint32));
	for (int64 e = 0; e < nraw; e++)
		cnt[dst_i[e] + 1]++;
	for (int32 i = 0; i < n; i++)
		cnt[i + 1] += cnt[i];
	for (int64 e = 0; e < nraw; e++)
	{
		perm1[cnt[dst_i[e]]++] = (uint32) e;
		VIC_POLL_INTERRUPTS(e);
	}
	rowstart = vic_graph_alloc0((int64) n + 1, sizeof(int64));
	for (int64 e = 0; e < nraw; e++)
		rowstart[src_i[e] + 1]++;
	for (int32 i = 0; i < n; i++)
		rowstart[i + 1] += rowstart[i];
	memcpy(cnt, rowstart, ((int64) n + 1) * sizeof(int64));
	for (int64 k = 0; k < nraw; k++)
	{
		uint32		e = perm1[k];

		perm2[cnt[src_i[e]]++] = e;
		VIC_POLL_INTERRUPTS(k);
	}

	/* 3. count distinct edges (runs of equal source and target) */
	for (int64 k = 0; k < nraw;)
	{
		int64		j = k + 1;

		while (j < nraw && src_i[perm2[j]] == src_i[perm2[k]] &&
			   dst_i[perm2[j]] == dst_i[perm2[k]])
			j++;
		maxrun = Max(maxrun, j - k);
		m++;
		k = j;
		VIC_POLL_INTERRUPTS(k);
	}
	check_graph_size(n, m);

	/* 4. fill the flat graph */
	MemoryContextSwitchTo(caller);
	g = palloc(GRAPH_SIZE(n, m));
	MemoryContextSwitchTo(scratch);
	SET_VARSIZE(g, GRAPH_SIZE(n, m));
	g->version = VIC_GRAPH_VERSION;
	g->flags = 0;
	g->reserved = 0;
	g->nnodes = n;
	g->nedges = m;
	memcpy(GRAPH_IDS(g), ids, (Size) n * sizeof(int64));
	goff = GRAPH_OFF(g);
	gw = GRAPH_W(g);
	gadj = GRAPH_ADJ(g);
	runw = vic_graph_alloc(maxrun, sizeof(double));
	{
		int64		out = 0;
		int32		row = 0;

		goff[0] = 0;
		for (int64 k = 0; k < nraw;)
		{
			int64		j = k + 1;
			int32		s = src_i[perm2[k]];

			while (j < nraw && src_i[perm2[j]] == s &&
				   dst_i[perm2[j]] == dst_i[perm2[k]])
				j++;
			while (row < s)
				goff[++row] = out;
			gadj[out] = dst_i[perm2[k]];
			gw[out] = sum_run(perm2, k, j, b->w, runw, src_i, ids, dst_i);
			out++;
			k = j;
			VIC_POLL_INTERRUPTS(k);
		}
		while (row < n)
			goff[++row] = out;
		Assert(out == m);
	}

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
 * Expanded object: the aggregate state
 * ----------------------------------------------------------------
 */
typedef struct VicGraphExpanded
{
	ExpandedObjectHeader hdr;
	VicEdgeBuf	raw;			/* edges not yet in flat */
	VicGraph   *flat;			/* canonical form of all edges, or NULL */
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
	MemoryContext cxt = AllocSetContextCreate(parentcxt, "vic.graph expanded",
											  ALLOCSET_DEFAULT_SIZES);
	VicGraphExpanded *eg = MemoryContextAllocZero(cxt, sizeof(VicGraphExpanded));

	EOH_init_header(&eg->hdr, &vic_graph_eoh_methods, cxt);
	edgebuf_init(&eg->raw, cxt);
	eg->flat = NULL;
	return eg;
}

/* move the cached flat form back into the raw buffer before appending */
static void
vic_graph_expanded_thaw(VicGraphExpanded *eg)
{
	if (eg->flat)
	{
		edgebuf_add_graph(&eg->raw, eg->flat);
		pfree(eg->flat);
		eg->flat = NULL;
	}
}

/* size of the flat form: builds and caches it */
static Size
vic_graph_eoh_flat_size(ExpandedObjectHeader *eohptr)
{
	VicGraphExpanded *eg = (VicGraphExpanded *) eohptr;

	Assert(eg->hdr.eoh_methods == &vic_graph_eoh_methods);
	if (eg->flat == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(eg->hdr.eoh_context);

		eg->flat = edgebuf_to_graph(&eg->raw);
		edgebuf_free(&eg->raw);
		MemoryContextSwitchTo(old);
	}
	return VARSIZE(eg->flat);
}

/* copy the cached flat form out */
static void
vic_graph_eoh_flatten(ExpandedObjectHeader *eohptr, void *result,
					  Size allocated_size)
{
	VicGraphExpanded *eg = (VicGraphExpanded *) eohptr;

	Assert(eg->flat != NULL && VARSIZE(eg->flat) == allocated_size);
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
		{
			eg = (VicGraphExpanded *) eoh;
			vic_graph_expanded_thaw(eg);
			return eg;
		}
	}
	eg = vic_graph_expanded_new(aggcxt);
	edgebuf_add_graph(&eg->raw, vic_graph_getarg(fcinfo, argno));
	return eg;
}

/* ----------------------------------------------------------------
 * Access for the algorithms (graph.h)
 * ----------------------------------------------------------------
 */

/* detoast argument argno as a graph (validates the version byte) */
VicGraph *
vic_graph_getarg(FunctionCallInfo fcinfo, int argno)
{
	VicGraph   *g = (VicGraph *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));

	if (g->version != VIC_GRAPH_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("unsupported vic.graph version %d", g->version),
				 errdetail("This build of vic reads version %d.", VIC_GRAPH_VERSION)));
	return g;
}

/* number of nodes */
int32
vic_graph_nnodes(const VicGraph *g)
{
	return g->nnodes;
}

/* number of distinct directed edges */
int64
vic_graph_nedges(const VicGraph *g)
{
	return g->nedges;
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

/* undirected CSR view: union of out- and in-rows, weights summed */
void
vic_graph_csr_undirected(const VicGraph *g, bool keep_loops, VicCsr *out)
{
	VicCsr		fw;
	VicCsr		bw;
	int32		n = g->nnodes;
	int64		k = 0;

	vic_graph_csr(g, false, &fw);
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
	vic_csr_free(&fw);
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

PG_FUNCTION_INFO_V1(vic_graph_in);
/* text input: '{1->2:1.5, 2->3}' (weight defaults to 1) */
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
			double		w = 1.0;

			if ((p = parse_id(p, &src)) == NULL)
				GRAPH_SYNTAX_ERROR(str);
			p = skip_space(p);
			if (p[0] != '-' || p[1] != '>')
				GRAPH_SYNTAX_ERROR(str);
			p = skip_space(p + 2);
			if ((p = parse_id(p, &dst)) == NULL)
				GRAPH_SYNTAX_ERROR(str);
			p = skip_space(p);
			if (*p == ':')
			{
				char	   *end;

				p = skip_space(p + 1);
				if (*p == '\0' || *p == ',' || *p == '}')
					GRAPH_SYNTAX_ERROR(str);
				errno = 0;
				w = strtod(p, &end);
				if (end == p || (errno == ERANGE && (w == 0 || isinf(w))))
					GRAPH_SYNTAX_ERROR(str);
				p = skip_space(end);
			}
			check_weight(src, dst, w);
			edgebuf_add(&b, src, dst, w);
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
/* canonical text output with shortest-exact weights */
Datum
vic_graph_out(PG_FUNCTION_ARGS)
{
	VicGraph   *g = vic_graph_getarg(fcinfo, 0);
	const int64 *ids = GRAPH_IDS(g);
	const int64 *off = GRAPH_OFF(g);
	const double *w = GRAPH_W(g);
	const int32 *adj = GRAPH_ADJ(g);
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
		}
		VIC_POLL_INTERRUPTS(i);
	}
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

/* ----------------------------------------------------------------
 * Binary I/O
 *
 * version byte, flags byte, int32 n, int64 m, n int64 ids, n int64 row
 * ends off[1..n], m int32 targets, m float8 weights.
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
	StringInfoData buf;

	pq_begintypsend(&buf);
	enlargeStringInfo(&buf, (int) Min((Size) 14 + 16 * (Size) g->nnodes + 12 * (Size) g->nedges,
									  MaxAllocSize - 64));
	pq_sendbyte(&buf, g->version);
	pq_sendbyte(&buf, g->flags);
	pq_sendint32(&buf, g->nnodes);
	pq_sendint64(&buf, g->nedges);
	for (int32 i = 0; i < g->nnodes; i++)
		pq_sendint64(&buf, ids[i]);
	for (int32 i = 0; i < g->nnodes; i++)
		pq_sendint64(&buf, off[i + 1]);
	for (int64 e = 0; e < g->nedges; e++)
		pq_sendint32(&buf, adj[e]);
	for (int64 e = 0; e < g->nedges; e++)
		pq_sendfloat8(&buf, w[e]);
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
	int64		remaining;
	VicGraph   *g;
	int64	   *ids;
	int64	   *off;
	double	   *w;
	int32	   *adj;
	bool	   *touched;

	version = pq_getmsgbyte(buf);
	if (version != VIC_GRAPH_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("unsupported vic.graph version %d", version),
				 errdetail("This build of vic reads version %d.", VIC_GRAPH_VERSION)));
	flags = pq_getmsgbyte(buf);
	if (flags != 0)
		GRAPH_BAD_BINARY("The flags byte must be zero.");
	n = (int32) pq_getmsgint(buf, 4);
	m = pq_getmsgint64(buf);
	if (n < 0 || m < 0 || n > PG_INT32_MAX / 2 || m > PG_INT64_MAX / 64)
		GRAPH_BAD_BINARY("Node or edge count out of range.");
	remaining = buf->len - buf->cursor;
	if (remaining != 16 * n + 12 * m)
		GRAPH_BAD_BINARY("The message length does not match the node and edge counts.");
	if ((n == 0) != (m == 0))
		GRAPH_BAD_BINARY("A graph has nodes exactly when it has edges.");
	check_graph_size(n, m);

	g = palloc(GRAPH_SIZE(n, m));
	SET_VARSIZE(g, GRAPH_SIZE(n, m));
	g->version = VIC_GRAPH_VERSION;
	g->flags = 0;
	g->reserved = 0;
	g->nnodes = (int32) n;
	g->nedges = m;
	ids = GRAPH_IDS(g);
	off = GRAPH_OFF(g);
	w = GRAPH_W(g);
	adj = GRAPH_ADJ(g);

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
	edgebuf_add_graph(&eg->raw, vic_graph_getarg(fcinfo, 1));
	PG_RETURN_DATUM(EOHPGetRWDatum(&eg->hdr));
}

PG_FUNCTION_INFO_V1(vic_graph_concat);
/* a || b: the union of two graphs, weights of common edges summed */
Datum
vic_graph_concat(PG_FUNCTION_ARGS)
{
	VicGraph   *a = vic_graph_getarg(fcinfo, 0);
	VicGraph   *b = vic_graph_getarg(fcinfo, 1);
	VicEdgeBuf	buf;
	VicGraph   *g;

	edgebuf_init(&buf, CurrentMemoryContext);
	edgebuf_add_graph(&buf, a);
	edgebuf_add_graph(&buf, b);
	g = edgebuf_to_graph(&buf);
	edgebuf_free(&buf);
	PG_RETURN_POINTER(g);
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
/* the edges as rows (src, dst, weight), in (src, dst) order */
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
