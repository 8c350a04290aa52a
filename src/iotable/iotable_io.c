/*
 * iotable_io.c
 *		vic.iotable text and binary I/O, and the invariants checked on input.
 *
 * Text form: {"A"->"B":150,"A".total_output:1000,"C"} - flows as
 * "seller"->"buyer":value, accounts as "sector".account:value, and a sector
 * named by nothing else alone.  Names are double-quoted with \" and \\
 * escapes.  Output lists the cells in canonical order, each value in
 * shortest exact form and, when its exact sum is not one double, as its
 * canonical parts c1~c2~... (xsum.h), so the text round-trips bit for bit.
 * Input sums repeated keys exactly, like the aggregates.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "common/shortest_dec.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"

#include "iotable.h"
#include "common/textio.h"

#define IO_SYNTAX_ERROR(str) \
	VIC_ERETURN(escontext, false, \
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION), \
				 errmsg("invalid input syntax for type iotable: \"%s\"", (str))))
#define IO_BAD_PARTS(str) \
	VIC_ERETURN(escontext, false, \
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION), \
				 errmsg("invalid input syntax for type iotable: \"%s\"", (str)), \
				 errdetail("The parts after \"~\" of an exact value must be finite, nonzero and the canonical parts of their sum.")))

/* the text form str into the raw buffer b; false after a soft error */
static bool
iotable_parse(const char *str, IoRaw *b, Node *escontext)
{
	const char *p = vic_skip_space(str);
	StringInfoData n1;
	StringInfoData n2;

	initStringInfo(&n1);
	initStringInfo(&n2);
	if (*p != '{')
		IO_SYNTAX_ERROR(str);
	p = vic_skip_space(p + 1);
	if (*p == '}')
		p++;
	else
	{
		for (;;)
		{
			int32		row;
			int32		col = 0;
			bool		flow = false;
			bool		bare = false;
			double		parts[VIC_XSUM_MAXPARTS];
			int			np = 1;
			int			field = 0;

			if ((p = vic_parse_quoted(p, &n1)) == NULL)
				IO_SYNTAX_ERROR(str);
			p = vic_skip_space(p);
			if (p[0] == '-' && p[1] == '>')
			{
				p = vic_skip_space(p + 2);
				if ((p = vic_parse_quoted(p, &n2)) == NULL)
					IO_SYNTAX_ERROR(str);
				flow = true;
			}
			else if (*p == '.')
			{
				p++;
				for (field = 0; field < IO_NFIELDS; field++)
				{
					size_t		l = strlen(vic_io_field_names[field]);

					if (strncmp(p, vic_io_field_names[field], l) == 0 &&
						!(p[l] >= 'a' && p[l] <= 'z') && p[l] != '_')
					{
						p += l;
						break;
					}
				}
				if (field == IO_NFIELDS)
					IO_SYNTAX_ERROR(str);
			}
			else
				bare = true;
			p = vic_skip_space(p);
			if (!bare)
			{
				if (*p != ':')
					IO_SYNTAX_ERROR(str);
				p = vic_skip_space(p + 1);
				if ((p = vic_parse_float8(p, &parts[0])) == NULL)
					IO_SYNTAX_ERROR(str);
				p = vic_skip_space(p);
				while (*p == '~')
				{
					if (np >= VIC_XSUM_MAXPARTS)
						IO_BAD_PARTS(str);
					p = vic_skip_space(p + 1);
					if ((p = vic_parse_float8(p, &parts[np])) == NULL)
						IO_SYNTAX_ERROR(str);
					np++;
					p = vic_skip_space(p);
				}
				if (!isfinite(parts[0]))
				{
					if (flow)
						VIC_ERETURN(escontext, false,
									(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
									 errmsg("invalid value for flow \"%s\" -> \"%s\"", n1.data, n2.data),
									 errdetail("Flows and accounts must be finite.")));
					VIC_ERETURN(escontext, false,
								(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
								 errmsg("invalid value for %s of sector \"%s\"",
										vic_io_field_names[field], n1.data),
								 errdetail("Flows and accounts must be finite.")));
				}
				if (!vic_parts_canonical(parts, np))
					IO_BAD_PARTS(str);
			}
			if (pg_verifymbstr(n1.data, n1.len, true) != true ||
				(flow && pg_verifymbstr(n2.data, n2.len, true) != true))
				IO_SYNTAX_ERROR(str);
			row = vic_ioraw_sector(b, n1.data, n1.len);
			if (flow)
				col = vic_ioraw_sector(b, n2.data, n2.len);
			else if (!bare)
				col = IO_FIELD_COL(field);
			if (!bare)
				for (int i = 0; i < np; i++)
					vic_ioraw_add(b, row, col, parts[i]);
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
			IO_SYNTAX_ERROR(str);
		}
	}
	p = vic_skip_space(p);
	if (*p != '\0')
		IO_SYNTAX_ERROR(str);
	return true;
}

PG_FUNCTION_INFO_V1(vic_iotable_in);
/* text input: {"A"->"B":150,"A".total_output:1000}; repeated keys are summed */
Datum
vic_iotable_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	IoRaw		b;
	VicIotable *t;

	vic_ioraw_init(&b, CurrentMemoryContext);
	if (!iotable_parse(str, &b, VIC_ESCONTEXT(fcinfo)))
	{
		vic_ioraw_free(&b);
		PG_RETURN_NULL();
	}
	t = vic_ioraw_build(&b);
	vic_ioraw_free(&b);
	PG_RETURN_POINTER(t);
}

/* append a name quoted */
static void
append_name(StringInfo buf, const VicIotable *t, int32 i)
{
	int			len;
	const char *s = iot_name(t, i, &len);

	appendStringInfoChar(buf, '"');
	for (int k = 0; k < len; k++)
	{
		if (s[k] == '"' || s[k] == '\\')
			appendStringInfoChar(buf, '\\');
		appendStringInfoChar(buf, s[k]);
	}
	appendStringInfoChar(buf, '"');
}

PG_FUNCTION_INFO_V1(vic_iotable_out);
/* canonical text output (cells in (row, col) order, shortest exact values) */
Datum
vic_iotable_out(PG_FUNCTION_ARGS)
{
	VicIotable *t = vic_iotable_getarg(fcinfo, 0);
	const VicIoCell *cells = IOT_CELLS(t);
	const VicIoResid *resid = IOT_RESID(t);
	bool	   *named = palloc0(Max(t->nsectors, 1));
	StringInfoData buf;
	char		num[DOUBLE_SHORTEST_DECIMAL_LEN];
	bool		first = true;
	int32		r = 0;

	for (int32 k = 0; k < t->ncells; k++)
	{
		named[cells[k].row] = true;
		if (cells[k].col >= 0)
			named[cells[k].col] = true;
	}
	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (int32 i = 0, k = 0; i < t->nsectors; i++)
	{
		if (!named[i])
		{
			if (!first)
				appendStringInfoChar(&buf, ',');
			first = false;
			append_name(&buf, t, i);
		}
		for (; k < t->ncells && cells[k].row == i; k++)
		{
			if (!first)
				appendStringInfoChar(&buf, ',');
			first = false;
			append_name(&buf, t, i);
			if (cells[k].col >= 0)
			{
				appendBinaryStringInfo(&buf, "->", 2);
				append_name(&buf, t, cells[k].col);
			}
			else
			{
				appendStringInfoChar(&buf, '.');
				appendStringInfoString(&buf, vic_io_field_names[IO_COL_FIELD(cells[k].col)]);
			}
			appendStringInfoChar(&buf, ':');
			appendBinaryStringInfo(&buf, num, double_to_shortest_decimal_buf(cells[k].value, num));
			for (; r < t->nresid && resid[r].cell == k; r++)
			{
				appendStringInfoChar(&buf, '~');
				appendBinaryStringInfo(&buf, num, double_to_shortest_decimal_buf(resid[r].part, num));
			}
		}
		VIC_POLL_INTERRUPTS(i);
	}
	appendStringInfoChar(&buf, '}');
	pfree(named);
	PG_RETURN_CSTRING(buf.data);
}

/* ----------------------------------------------------------------
 * Binary I/O: version byte, flags byte (0), int32 n, n times (int32 length,
 * bytes), int32 c, c times (int32 row, int32 col, float8 value), int32 r,
 * r times (int32 cell, float8 part)
 * ----------------------------------------------------------------
 */
PG_FUNCTION_INFO_V1(vic_iotable_send);
/* binary output */
Datum
vic_iotable_send(PG_FUNCTION_ARGS)
{
	VicIotable *t = vic_iotable_getarg(fcinfo, 0);
	const VicIoCell *cells = IOT_CELLS(t);
	const VicIoResid *resid = IOT_RESID(t);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, VIC_IOTABLE_VERSION);
	pq_sendbyte(&buf, 0);
	pq_sendint32(&buf, t->nsectors);
	for (int32 i = 0; i < t->nsectors; i++)
	{
		int			len;
		const char *s = iot_name(t, i, &len);

		pq_sendint32(&buf, len);
		pq_sendbytes(&buf, s, len);
	}
	pq_sendint32(&buf, t->ncells);
	for (int32 k = 0; k < t->ncells; k++)
	{
		pq_sendint32(&buf, cells[k].row);
		pq_sendint32(&buf, cells[k].col);
		pq_sendfloat8(&buf, cells[k].value);
	}
	pq_sendint32(&buf, t->nresid);
	for (int32 k = 0; k < t->nresid; k++)
	{
		pq_sendint32(&buf, resid[k].cell);
		pq_sendfloat8(&buf, resid[k].part);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* 22P03 unless n more bytes are left (rather than pq_getmsg's 08P01) */
static inline void
recv_need(StringInfo buf, int n)
{
	if (buf->len - buf->cursor < n)
		vic_recv_fail(VIC_IOTABLE_TYPNAME, "The message is truncated.");
}

PG_FUNCTION_INFO_V1(vic_iotable_recv);
/* binary input: counts checked before allocating, every invariant after reading (22P03) */
Datum
vic_iotable_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int32		n;
	int32		c;
	int32		r;
	int			start;
	int64		pool = 0;
	VicIotable *t;
	VicIoCell  *cells;
	VicIoResid *resid;
	int32	   *end;
	char	   *dst;

	recv_need(buf, 6);
	vic_recv_version(buf, VIC_IOTABLE_VERSION, VIC_IOTABLE_TYPNAME);
	if (pq_getmsgbyte(buf) != 0)
		vic_recv_fail(VIC_IOTABLE_TYPNAME, "Unknown bits in the flags byte.");
	n = vic_recv_count(buf, 4, VIC_IOTABLE_TYPNAME);
	/* first pass over the names: their total length */
	start = buf->cursor;
	for (int32 i = 0; i < n; i++)
	{
		int32		len;

		recv_need(buf, 4);
		len = vic_recv_count(buf, 1, VIC_IOTABLE_TYPNAME);

		pq_getmsgbytes(buf, len);
		pool += len;
	}
	/* the cell and residual counts after the names, checked against the rest */
	recv_need(buf, 4);
	c = vic_recv_count(buf, 16, VIC_IOTABLE_TYPNAME);
	pq_getmsgbytes(buf, 16 * c);
	recv_need(buf, 4);
	r = vic_recv_count(buf, 12, VIC_IOTABLE_TYPNAME);
	if (buf->len - buf->cursor != 12 * r)
		vic_recv_fail(VIC_IOTABLE_TYPNAME, "The message length does not match its counts.");
	buf->cursor = start;
	t = vic_iotable_new(n, c, r, pool);
	cells = IOT_CELLS(t);
	resid = IOT_RESID(t);
	end = IOT_NAME_END(t);
	dst = IOT_POOL(t);
	pool = 0;
	for (int32 i = 0; i < n; i++)
	{
		int32		len = pq_getmsgint(buf, 4);
		const char *s = pq_getmsgbytes(buf, len);

		if (memchr(s, '\0', len) != NULL || !pg_verifymbstr(s, len, true))
			vic_recv_fail(VIC_IOTABLE_TYPNAME, "A sector name is not valid text.");
		memcpy(dst + pool, s, len);
		if (i > 0)
		{
			int			plen;
			const char *prev = iot_name(t, i - 1, &plen);

			if (iot_name_cmp(prev, plen, s, len) >= 0)
				vic_recv_fail(VIC_IOTABLE_TYPNAME, "Sector names must be strictly ascending.");
		}
		pool += len;
		end[i] = (int32) pool;
	}
	(void) pq_getmsgint(buf, 4);	/* c, read above */
	for (int32 k = 0; k < c; k++)
	{
		cells[k].row = pq_getmsgint(buf, 4);
		cells[k].col = pq_getmsgint(buf, 4);
		cells[k].value = pq_getmsgfloat8(buf) + 0.0;
		if (cells[k].row < 0 || cells[k].row >= n ||
			cells[k].col < IO_FIELD_COL(IO_NFIELDS - 1) || cells[k].col >= n)
			vic_recv_fail(VIC_IOTABLE_TYPNAME, "A cell's sector or account is out of range.");
		if (k > 0 && (cells[k].row < cells[k - 1].row ||
					  (cells[k].row == cells[k - 1].row && cells[k].col <= cells[k - 1].col)))
			vic_recv_fail(VIC_IOTABLE_TYPNAME, "Cells must be strictly ascending by (row, column).");
		if (!isfinite(cells[k].value) || (cells[k].col >= 0 && cells[k].value == 0))
			vic_recv_fail(VIC_IOTABLE_TYPNAME, "Values must be finite, and flows nonzero.");
		VIC_POLL_INTERRUPTS(k);
	}
	(void) pq_getmsgint(buf, 4);	/* r, read above */
	for (int32 k = 0; k < r; k++)
	{
		resid[k].cell = pq_getmsgint(buf, 4);
		resid[k].part = pq_getmsgfloat8(buf);
		if (resid[k].cell < 0 || resid[k].cell >= c ||
			(k > 0 && resid[k].cell < resid[k - 1].cell))
			vic_recv_fail(VIC_IOTABLE_TYPNAME, "Residual parts must name cells in range, in ascending order.");
	}
	for (int32 k = 0; k < r;)
	{
		double		parts[VIC_XSUM_MAXPARTS];
		int32		cell = resid[k].cell;
		int			np = 1;

		parts[0] = cells[cell].value;
		for (; k < r && resid[k].cell == cell; k++)
		{
			if (np >= VIC_XSUM_MAXPARTS)
				vic_recv_fail(VIC_IOTABLE_TYPNAME, "Too many residual parts for one cell.");
			parts[np++] = resid[k].part;
		}
		if (!vic_parts_canonical(parts, np))
			vic_recv_fail(VIC_IOTABLE_TYPNAME, "The value and residual parts of a cell must be the canonical parts of their exact sum.");
	}
	PG_RETURN_POINTER(t);
}
