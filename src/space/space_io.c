/*
 * space_io.c
 *		vic.space text and binary I/O, and the invariants checked on input.
 *
 * Text: {"unit":{industry=weight,...},...}, units in name order, cells in
 * code order; a weight whose exact sum is not one double prints as its
 * canonical parts c1~c2~..., each in shortest exact form, so the text
 * round-trips bit for bit.  Input is hostile: text input accepts only
 * canonical part lists, binary input checks every count against the
 * message before allocating and every invariant of the on-disk form.
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
#include "utils/float.h"

#include "space.h"
#include "common/textio.h"

#define SPACE_SYNTAX_ERROR(str) \
	VIC_ERETURN(escontext, false, \
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION), \
				 errmsg("invalid input syntax for type space: \"%s\"", (str))))
#define SPACE_INPUT_ERROR(str, detail) \
	VIC_ERETURN(escontext, false, \
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION), \
				 errmsg("invalid input syntax for type space: \"%s\"", (str)), \
				 errdetail(detail)))

/*
 * Parse the text form into b.  Returns false after a soft error (PG16+,
 * escontext given); otherwise bad input raises 22P02, 22023 for a weight
 * that is not finite and >= 0 or industries of two schemes.
 */
static bool
space_parse(const char *str, SpaceBuf *b, Node *escontext)
{
	const char *p = vic_skip_space(str);
	StringInfoData name;

	if (*p != '{')
		SPACE_SYNTAX_ERROR(str);
	p = vic_skip_space(p + 1);
	if (*p == '}')
	{
		if (*vic_skip_space(p + 1) != '\0')
			SPACE_SYNTAX_ERROR(str);
		return true;
	}
	initStringInfo(&name);
	for (;;)
	{
		int32		u;

		/* "unit name", with \" and \\ escapes */
		if (*p != '"')
			SPACE_SYNTAX_ERROR(str);
		resetStringInfo(&name);
		for (p++; *p != '"'; p++)
		{
			if (*p == '\0')
				SPACE_SYNTAX_ERROR(str);
			if (*p == '\\')
			{
				p++;
				if (*p != '"' && *p != '\\')
					SPACE_SYNTAX_ERROR(str);
			}
			appendStringInfoChar(&name, *p);
		}
		p = vic_skip_space(p + 1);
		if (*p != ':')
			SPACE_SYNTAX_ERROR(str);
		p = vic_skip_space(p + 1);
		if (*p != '{')
			SPACE_SYNTAX_ERROR(str);
		p = vic_skip_space(p + 1);
		if (*p == '}')
			SPACE_INPUT_ERROR(str, "A unit has at least one industry.");
		u = space_buf_unit(b, name.data, name.len);
		for (;;)
		{
			const char *start = p;
			char		codebuf[VIC_INDUSTRY_MAXLEN + 1];
			int64		code;
			double		parts[VIC_XSUM_MAXPARTS];
			int			np = 1;
			int			len;

			while (*p != '=' && *p != '\0' && *p != ',' && *p != '}' && *p != ' ')
				p++;
			len = (int) (p - start);
			if (len == 0 || len > VIC_INDUSTRY_MAXLEN)
				SPACE_SYNTAX_ERROR(str);
			memcpy(codebuf, start, len);
			codebuf[len] = '\0';
			if (!industry_parse(codebuf, &code, escontext))
				return false;
			p = vic_skip_space(p);
			if (*p != '=')
				SPACE_SYNTAX_ERROR(str);
			p = vic_skip_space(p + 1);
			if ((p = vic_parse_float8(p, &parts[0])) == NULL)
				SPACE_SYNTAX_ERROR(str);
			p = vic_skip_space(p);
			while (*p == '~')
			{
				if (np >= VIC_XSUM_MAXPARTS)
					SPACE_INPUT_ERROR(str, "The parts after \"~\" of an exact weight must be the canonical parts of their sum.");
				p = vic_skip_space(p + 1);
				if ((p = vic_parse_float8(p, &parts[np])) == NULL)
					SPACE_SYNTAX_ERROR(str);
				np++;
				p = vic_skip_space(p);
			}
			if (!vic_weight_ok(parts[0]))
			{
				char		ind[VIC_INDUSTRY_MAXLEN];

				industry_format(code, ind);
				VIC_ERETURN(escontext, false,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("invalid weight %s for unit \"%s\" industry %s",
									float8out_internal(parts[0]), name.data, ind),
							 errdetail("Weights must be finite and non-negative.")));
			}
			if (!vic_parts_canonical(parts, np))
				SPACE_INPUT_ERROR(str, "The parts after \"~\" of an exact weight must be the canonical parts of their sum.");
			for (int i = 0; i < np; i++)
				space_buf_add(b, u, code, parts[i]);
			if (*p == ',')
			{
				p = vic_skip_space(p + 1);
				continue;
			}
			if (*p == '}')
				break;
			SPACE_SYNTAX_ERROR(str);
		}
		p = vic_skip_space(p + 1);
		if (*p == ',')
		{
			p = vic_skip_space(p + 1);
			continue;
		}
		if (*p == '}')
			break;
		SPACE_SYNTAX_ERROR(str);
	}
	p = vic_skip_space(p + 1);
	if (*p != '\0')
		SPACE_SYNTAX_ERROR(str);
	pfree(name.data);
	return true;
}

PG_FUNCTION_INFO_V1(vic_space_in);
/* text input: '{"R1":{C13=100,C14=5},"R2":{C13=1}}'; repeated cells are summed exactly */
Datum
vic_space_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext, "vic.space input",
											  ALLOCSET_DEFAULT_SIZES);
	SpaceBuf   *b = space_buf_new(cxt);
	VicSpace   *s;

	if (!space_parse(str, b, VIC_ESCONTEXT(fcinfo)))
	{
		MemoryContextDelete(cxt);
		PG_RETURN_NULL();
	}
	s = space_buf_build(b);
	MemoryContextDelete(cxt);
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(vic_space_out);
/* canonical text output: units by name, cells by code, shortest exact weights */
Datum
vic_space_out(PG_FUNCTION_ARGS)
{
	VicSpace   *s = vic_space_getarg(fcinfo, 0);
	const int64 *codes = SPACE_CODES(s);
	const int64 *off = SPACE_ROWOFF(s);
	const int32 *nameoff = SPACE_NAMEOFF(s);
	const int32 *col = SPACE_COL(s);
	const char *pool = SPACE_POOL(s);
	StringInfoData buf;
	char		num[DOUBLE_SHORTEST_DECIMAL_LEN + VIC_INDUSTRY_MAXLEN];
	int64		r = 0;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (int32 u = 0; u < s->nunits; u++)
	{
		if (u > 0)
			appendStringInfoChar(&buf, ',');
		appendStringInfoChar(&buf, '"');
		for (int32 i = nameoff[u]; i < nameoff[u + 1]; i++)
		{
			if (pool[i] == '"' || pool[i] == '\\')
				appendStringInfoChar(&buf, '\\');
			appendStringInfoChar(&buf, pool[i]);
		}
		appendBinaryStringInfo(&buf, "\":{", 3);
		for (int64 c = off[u]; c < off[u + 1]; c++)
		{
			double		parts[VIC_XSUM_MAXPARTS];
			int			np = vic_space_cell_parts(s, c, &r, parts);

			if (c > off[u])
				appendStringInfoChar(&buf, ',');
			industry_format(codes[col[c]], num);
			appendStringInfoString(&buf, num);
			for (int p = 0; p < np; p++)
			{
				int			len = double_to_shortest_decimal_buf(parts[p], num);

				appendStringInfoChar(&buf, p == 0 ? '=' : '~');
				appendBinaryStringInfo(&buf, num, len);
			}
		}
		appendStringInfoChar(&buf, '}');
		VIC_POLL_INTERRUPTS(u);
	}
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

/* ----------------------------------------------------------------
 * Binary I/O
 *
 * version byte, flags byte (0), int16 scheme, int32 n, int32 k, int64 m,
 * int32 r, int32 pool_len; n names (int32 length, bytes in the database
 * encoding, as stored: binary values move between databases of one
 * encoding), k int64 codes, n
 * int64 row ends off[1..n], m int32 industry indexes, m float8 weights, r
 * times (int64 cell, float8 part).
 * ----------------------------------------------------------------
 */
PG_FUNCTION_INFO_V1(vic_space_send);
/* binary output */
Datum
vic_space_send(PG_FUNCTION_ARGS)
{
	VicSpace   *s = vic_space_getarg(fcinfo, 0);
	const int32 *nameoff = SPACE_NAMEOFF(s);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, VIC_SPACE_VERSION);
	pq_sendbyte(&buf, 0);
	pq_sendint16(&buf, s->scheme);
	pq_sendint32(&buf, s->nunits);
	pq_sendint32(&buf, s->nind);
	pq_sendint64(&buf, s->ncells);
	pq_sendint32(&buf, s->nresid);
	pq_sendint32(&buf, s->pool_len);
	for (int32 u = 0; u < s->nunits; u++)
	{
		pq_sendint32(&buf, nameoff[u + 1] - nameoff[u]);
		pq_sendbytes(&buf, SPACE_POOL(s) + nameoff[u], nameoff[u + 1] - nameoff[u]);
	}
	for (int32 i = 0; i < s->nind; i++)
		pq_sendint64(&buf, SPACE_CODES(s)[i]);
	for (int32 u = 0; u < s->nunits; u++)
		pq_sendint64(&buf, SPACE_ROWOFF(s)[u + 1]);
	for (int64 c = 0; c < s->ncells; c++)
		pq_sendint32(&buf, SPACE_COL(s)[c]);
	for (int64 c = 0; c < s->ncells; c++)
		pq_sendfloat8(&buf, SPACE_W(s)[c]);
	for (int32 q = 0; q < s->nresid; q++)
	{
		pq_sendint64(&buf, SPACE_RESID(s)[q].cell);
		pq_sendfloat8(&buf, SPACE_RESID(s)[q].part);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

#define RECV_FAIL(detail) vic_recv_fail(VIC_SPACE_TYPNAME, (detail))

PG_FUNCTION_INFO_V1(vic_space_recv);
/* binary input: every count checked before allocating, every invariant after (22P03) */
Datum
vic_space_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			scheme;
	int64		n,
				k,
				m,
				r,
				pool;
	VicSpace   *s;
	int64	   *codes;
	int64	   *off;
	int32	   *nameoff;
	int32	   *col;
	double	   *w;
	VicSpaceResid *res;
	char	   *pl;
	bool	   *used;

	if (buf->len - buf->cursor < 1)
		RECV_FAIL("The message is empty.");
	vic_recv_version(buf, VIC_SPACE_VERSION, VIC_SPACE_TYPNAME);
	if (buf->len - buf->cursor < 27)
		RECV_FAIL("The message is too short for its header.");
	if (pq_getmsgbyte(buf) != 0)
		RECV_FAIL("Unknown bits in the flags byte.");
	scheme = (int16) pq_getmsgint(buf, 2);
	n = (int32) pq_getmsgint(buf, 4);
	k = (int32) pq_getmsgint(buf, 4);
	m = pq_getmsgint64(buf);
	r = (int32) pq_getmsgint(buf, 4);
	pool = (int32) pq_getmsgint(buf, 4);
	if (n < 0 || k < 0 || m < 0 || r < 0 || pool < 0 ||
		n > PG_INT32_MAX / 2 || k > PG_INT32_MAX / 2 || m > PG_INT32_MAX ||
		r > PG_INT32_MAX / 2 || pool > PG_INT32_MAX / 2)
		RECV_FAIL("A count is out of range.");
	if (buf->len - buf->cursor != 4 * n + pool + 8 * k + 8 * n + 12 * m + 16 * r)
		RECV_FAIL("The message length does not match its counts.");
	if ((n == 0) != (m == 0) || (k == 0) != (m == 0) || m < n || m < k ||
		(uint64) m > (uint64) n * (uint64) k)
		RECV_FAIL("The unit, industry and cell counts are inconsistent.");
	if ((m == 0 && scheme != 0) || (m > 0 && (scheme < 1 || scheme > VIC_SCHEME_MAX)))
		RECV_FAIL("Unknown industry scheme.");
	s = vic_space_new(n, k, m, r, pool);
	s->scheme = (uint16) scheme;
	codes = SPACE_CODES(s);
	off = SPACE_ROWOFF(s);
	nameoff = SPACE_NAMEOFF(s);
	col = SPACE_COL(s);
	w = SPACE_W(s);
	res = SPACE_RESID(s);
	pl = SPACE_POOL(s);

	nameoff[0] = 0;
	for (int64 u = 0; u < n; u++)
	{
		int32		len = (int32) pq_getmsgint(buf, 4);

		if (len < 0 || len > pool - nameoff[u])
			RECV_FAIL("A unit name runs past the name pool.");
		pq_copymsgbytes(buf, pl + nameoff[u], len);
		/* a name becomes a text value: no zero byte, valid in the database encoding */
		if (memchr(pl + nameoff[u], '\0', len) != NULL ||
			!pg_verify_mbstr(GetDatabaseEncoding(), pl + nameoff[u], len, true))
			RECV_FAIL("A unit name is not valid text in the database encoding.");
		nameoff[u + 1] = nameoff[u] + len;
		if (u > 0 && space_name_cmp(pl + nameoff[u - 1], nameoff[u] - nameoff[u - 1],
									pl + nameoff[u], len) >= 0)
			RECV_FAIL("Unit names must be distinct and in ascending byte order.");
	}
	if (nameoff[n] != pool)
		RECV_FAIL("The unit names do not fill the name pool.");
	for (int64 i = 0; i < k; i++)
	{
		codes[i] = pq_getmsgint64(buf);
		if (!industry_code_is_valid(codes[i]) || industry_scheme(codes[i]) != scheme)
			RECV_FAIL("An industry code is not a valid code of the space's scheme.");
		if (i > 0 && codes[i] <= codes[i - 1])
			RECV_FAIL("Industry codes must be strictly ascending.");
	}
	off[0] = 0;
	for (int64 u = 0; u < n; u++)
	{
		off[u + 1] = pq_getmsgint64(buf);
		if (off[u + 1] <= off[u] || off[u + 1] > m)
			RECV_FAIL("Row ends must be strictly ascending (every unit has a cell) and end at the cell count.");
	}
	if (off[n] != m)
		RECV_FAIL("Row ends must end at the cell count.");
	used = palloc0(Max(k, 1));
	for (int64 u = 0; u < n; u++)
	{
		for (int64 c = off[u]; c < off[u + 1]; c++)
		{
			col[c] = (int32) pq_getmsgint(buf, 4);
			if (col[c] < 0 || col[c] >= k || (c > off[u] && col[c] <= col[c - 1]))
				RECV_FAIL("Industry indexes must be in range and strictly ascending within a unit.");
			used[col[c]] = true;
		}
		VIC_POLL_INTERRUPTS(u);
	}
	for (int64 i = 0; i < k; i++)
		if (!used[i])
			RECV_FAIL("Every industry must have a cell.");
	pfree(used);
	for (int64 c = 0; c < m; c++)
	{
		w[c] = pq_getmsgfloat8(buf);
		if (!vic_weight_ok(w[c]))
			RECV_FAIL("Cell weights must be finite and non-negative.");
		w[c] += 0.0;
	}
	for (int64 q = 0; q < r; q++)
	{
		res[q].cell = pq_getmsgint64(buf);
		res[q].part = pq_getmsgfloat8(buf);
		if (res[q].cell < 0 || res[q].cell >= m || (q > 0 && res[q].cell < res[q - 1].cell))
			RECV_FAIL("Residual parts must name cells in range, in ascending order.");
	}
	for (int64 q = 0; q < r;)
	{
		double		parts[VIC_XSUM_MAXPARTS];
		int64		c = res[q].cell;
		int			np = 1;

		parts[0] = w[c];
		for (; q < r && res[q].cell == c; q++)
		{
			if (np >= VIC_XSUM_MAXPARTS)
				RECV_FAIL("Too many residual parts for one cell.");
			parts[np++] = res[q].part;
		}
		if (!vic_parts_canonical(parts, np))
			RECV_FAIL("The weight and residual parts of a cell must be the canonical parts of their exact sum.");
	}
	pq_getmsgend(buf);
	PG_RETURN_POINTER(s);
}
