/*
 * graph_io.c
 *		vic.graph text and binary I/O, and the invariants checked on input.
 *
 * Input is hostile: text input accepts only canonical weight part lists,
 * and binary input checks every count against the message before
 * allocating and every invariant of the on-disk form (graph_internal.h).
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "common/shortest_dec.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "graph_internal.h"
#include "common/args.h"
#include "common/textio.h"

/* binary form: flags bit saying that a residual section follows */
#define GRAPH_MSG_RESID		0x01

/* ----------------------------------------------------------------
 * Text I/O: {src->dst:weight,...} in (src, dst) order
 *
 * A weight whose exact sum is not a single double is written as its
 * canonical parts, c1~c2~..., each in shortest exact form, so the text
 * round-trips bit for bit; input accepts only canonical part lists.
 * ----------------------------------------------------------------
 */

/*
 * 22P02 for graph text input: bad syntax, or (GRAPH_BAD_PARTS) weight parts
 * that are not the canonical form of an exact sum.  Both are soft errors
 * when escontext can take them (PG16+): graph_parse returns false.
 */
#define GRAPH_SYNTAX_ERROR(str) \
	VIC_ERETURN(escontext, false, \
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION), \
				 errmsg("invalid input syntax for type graph: \"%s\"", (str))))
#define GRAPH_BAD_PARTS(str) \
	VIC_ERETURN(escontext, false, \
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION), \
				 errmsg("invalid input syntax for type graph: \"%s\"", (str)), \
				 errdetail("The parts after \"~\" of an exact weight must be finite, nonzero and the canonical parts of their sum.")))

/*
 * Parse the text form str into the raw edges of b.  Returns false after a
 * soft error (PG16+, escontext given); otherwise bad input raises 22P02, or
 * 22023 for an invalid weight.
 */
static bool
graph_parse(const char *str, VicEdgeBuf *b, Node *escontext)
{
	const char *p = vic_skip_space(str);

	if (*p != '{')
		GRAPH_SYNTAX_ERROR(str);
	p = vic_skip_space(p + 1);
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

			if ((p = vic_parse_int8(p, &src)) == NULL)
				GRAPH_SYNTAX_ERROR(str);
			p = vic_skip_space(p);
			if (p[0] != '-' || p[1] != '>')
				GRAPH_SYNTAX_ERROR(str);
			p = vic_skip_space(p + 2);
			if ((p = vic_parse_int8(p, &dst)) == NULL)
				GRAPH_SYNTAX_ERROR(str);
			p = vic_skip_space(p);
			parts[0] = 1.0;
			if (*p == ':')
			{
				p = vic_skip_space(p + 1);
				if ((p = vic_parse_float8(p, &parts[0])) == NULL)
					GRAPH_SYNTAX_ERROR(str);
				p = vic_skip_space(p);
				/* further canonical parts of an exact weight: c1~c2~c3 */
				while (*p == '~')
				{
					if (np >= VIC_XSUM_MAXPARTS)
						GRAPH_BAD_PARTS(str);
					p = vic_skip_space(p + 1);
					if ((p = vic_parse_float8(p, &parts[np])) == NULL)
						GRAPH_SYNTAX_ERROR(str);
					if (!isfinite(parts[np]) || parts[np] == 0)
						GRAPH_BAD_PARTS(str);
					np++;
					p = vic_skip_space(p);
				}
			}
			if (!vic_weight_ok(parts[0]))
				return vic_bad_edge_weight_soft(parts[0], src, dst, escontext);
			if (!vic_parts_canonical(parts, np))
				GRAPH_BAD_PARTS(str);
			for (int i = 0; i < np; i++)
				vic_edgebuf_add(b, src, dst, parts[i]);
			VIC_POLL_INTERRUPTS(b->n);
			if (*p == ',')
			{
				p = vic_skip_space(p + 1);
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
	p = vic_skip_space(p);
	if (*p != '\0')
		GRAPH_SYNTAX_ERROR(str);
	return true;
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
	VicEdgeBuf	b;
	VicGraph   *g;

	vic_edgebuf_init(&b, CurrentMemoryContext);
	if (!graph_parse(str, &b, VIC_ESCONTEXT(fcinfo)))
	{
		vic_edgebuf_free(&b);
		PG_RETURN_NULL();
	}
	g = vic_edgebuf_build(&b);
	vic_edgebuf_free(&b);
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
	VicGraphView g;
	int64		r = 0;
	StringInfoData buf;
	char		num[DOUBLE_SHORTEST_DECIMAL_LEN + MAXINT8LEN];
	bool		first = true;

	vic_graph_view(vic_graph_getarg(fcinfo, 0), &g);
	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (int32 i = 0; i < g.n; i++)
	{
		int			srclen;
		char		srcbuf[MAXINT8LEN + 1];

		srclen = pg_lltoa(g.ids[i], srcbuf);
		for (int64 e = g.off[i]; e < g.off[i + 1]; e++)
		{
			double		parts[VIC_XSUM_MAXPARTS];
			int			np = vic_graph_edge_parts(&g, e, &r, parts);
			int			len;

			if (!first)
				appendStringInfoChar(&buf, ',');
			first = false;
			appendBinaryStringInfo(&buf, srcbuf, srclen);
			appendBinaryStringInfo(&buf, "->", 2);
			len = pg_lltoa(g.ids[g.adj[e]], num);
			appendBinaryStringInfo(&buf, num, len);
			for (int k = 0; k < np; k++)
			{
				appendStringInfoChar(&buf, k == 0 ? ':' : '~');
				len = double_to_shortest_decimal_buf(parts[k], num);
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
	VicGraphView g;
	StringInfoData buf;

	vic_graph_view(vic_graph_getarg(fcinfo, 0), &g);
	pq_begintypsend(&buf);
	enlargeStringInfo(&buf, (int) Min((Size) 22 + 16 * (Size) g.n + 12 * (Size) g.m +
									  16 * (Size) g.nresid,
									  MaxAllocSize - 64));
	pq_sendbyte(&buf, VIC_GRAPH_VERSION);
	pq_sendbyte(&buf, g.nresid > 0 ? GRAPH_MSG_RESID : 0);
	pq_sendint32(&buf, g.n);
	pq_sendint64(&buf, g.m);
	if (g.nresid > 0)
		pq_sendint64(&buf, g.nresid);
	for (int32 i = 0; i < g.n; i++)
		pq_sendint64(&buf, g.ids[i]);
	for (int32 i = 0; i < g.n; i++)
		pq_sendint64(&buf, g.off[i + 1]);
	for (int64 e = 0; e < g.m; e++)
		pq_sendint32(&buf, g.adj[e]);
	for (int64 e = 0; e < g.m; e++)
		pq_sendfloat8(&buf, g.w[e]);
	for (int64 k = 0; k < g.nresid; k++)
	{
		pq_sendint64(&buf, g.resid[k].edge);
		pq_sendfloat8(&buf, g.resid[k].part);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(vic_graph_recv);
/*
 * binary input: counts checked against the message before allocating; 22P03
 * (vic_recv_version, vic_recv_fail) for a bad version or a broken invariant
 */
Datum
vic_graph_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
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

	vic_recv_version(buf, VIC_GRAPH_VERSION, VIC_GRAPH_TYPNAME);
	flags = pq_getmsgbyte(buf);
	if ((flags & ~GRAPH_MSG_RESID) != 0)
		vic_recv_fail(VIC_GRAPH_TYPNAME, "Unknown bits in the flags byte.");
	if (buf->len - buf->cursor < ((flags & GRAPH_MSG_RESID) ? 20 : 12))
		vic_recv_fail(VIC_GRAPH_TYPNAME, "The message is too short for its header.");
	n = (int32) pq_getmsgint(buf, 4);
	m = pq_getmsgint64(buf);
	if (flags & GRAPH_MSG_RESID)
	{
		r = pq_getmsgint64(buf);
		if (r < 1 || r > PG_INT64_MAX / 64)
			vic_recv_fail(VIC_GRAPH_TYPNAME, "Residual part count out of range (the flag requires at least one).");
	}
	if (n < 0 || m < 0 || n > PG_INT32_MAX / 2 || m > PG_INT64_MAX / 64)
		vic_recv_fail(VIC_GRAPH_TYPNAME, "Node or edge count out of range.");
	remaining = buf->len - buf->cursor;
	if (remaining != 16 * n + 12 * m + 16 * r)
		vic_recv_fail(VIC_GRAPH_TYPNAME, "The message length does not match the node, edge and residual part counts.");
	if ((n == 0) != (m == 0))
		vic_recv_fail(VIC_GRAPH_TYPNAME, "A graph has nodes exactly when it has edges.");
	g = vic_graph_new(n, m, r);
	ids = GRAPH_IDS(g);
	off = GRAPH_OFF(g);
	w = GRAPH_W(g);
	adj = GRAPH_ADJ(g);
	resid = GRAPH_RESID(g);

	for (int64 i = 0; i < n; i++)
	{
		ids[i] = pq_getmsgint64(buf);
		if (i > 0 && ids[i] <= ids[i - 1])
			vic_recv_fail(VIC_GRAPH_TYPNAME, "Node ids must be strictly ascending.");
	}
	off[0] = 0;
	for (int64 i = 0; i < n; i++)
	{
		off[i + 1] = pq_getmsgint64(buf);
		if (off[i + 1] < off[i] || off[i + 1] > m)
			vic_recv_fail(VIC_GRAPH_TYPNAME, "Row offsets must be ascending and end at the edge count.");
	}
	if (off[n] != m)
		vic_recv_fail(VIC_GRAPH_TYPNAME, "Row offsets must end at the edge count.");
	touched = palloc0(Max(n, 1) * sizeof(bool));
	for (int64 i = 0; i < n; i++)
	{
		if (off[i + 1] > off[i])
			touched[i] = true;
		for (int64 e = off[i]; e < off[i + 1]; e++)
		{
			adj[e] = (int32) pq_getmsgint(buf, 4);
			if (adj[e] < 0 || adj[e] >= n)
				vic_recv_fail(VIC_GRAPH_TYPNAME, "Edge target index out of range.");
			if (e > off[i] && adj[e] <= adj[e - 1])
				vic_recv_fail(VIC_GRAPH_TYPNAME, "Edge targets must be strictly ascending within a row.");
			touched[adj[e]] = true;
		}
		VIC_POLL_INTERRUPTS(i);
	}
	for (int64 i = 0; i < n; i++)
		if (!touched[i])
			vic_recv_fail(VIC_GRAPH_TYPNAME, "Every node must have an incident edge.");
	pfree(touched);
	for (int64 e = 0; e < m; e++)
	{
		w[e] = pq_getmsgfloat8(buf);
		if (!vic_weight_ok(w[e]))
			vic_recv_fail(VIC_GRAPH_TYPNAME, "Edge weights must be finite and non-negative.");
		w[e] += 0.0;
	}
	for (int64 k = 0; k < r; k++)
	{
		resid[k].edge = pq_getmsgint64(buf);
		resid[k].part = pq_getmsgfloat8(buf);
		if (resid[k].edge < 0 || resid[k].edge >= m ||
			(k > 0 && resid[k].edge < resid[k - 1].edge))
			vic_recv_fail(VIC_GRAPH_TYPNAME, "Residual parts must name edges in range, in ascending order.");
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
				vic_recv_fail(VIC_GRAPH_TYPNAME, "Too many residual parts for one edge.");
			parts[np++] = resid[k].part;
		}
		if (!vic_parts_canonical(parts, np))
			vic_recv_fail(VIC_GRAPH_TYPNAME, "The weight and residual parts of an edge must be the canonical parts of their exact sum.");
		VIC_POLL_INTERRUPTS(k);
	}
	PG_RETURN_POINTER(g);
}
