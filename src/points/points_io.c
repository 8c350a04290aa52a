/*
 * points_io.c
 *		vic.points text and binary I/O, and the invariants checked on input.
 *
 * Text: '{}' (no points), 'geography{id:lon lat:weight,...}' or
 * 'geometry(srid){id:x y:weight,...}', points in id order, numbers in
 * shortest exact form, so the text round-trips bit for bit.  Input accepts
 * points in any order (sorted, a duplicate id is an error) and an omitted
 * ':weight' means 1.  Binary input is hostile: every count is checked
 * against the message before allocating, every invariant after reading.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "common/shortest_dec.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "common/args.h"
#include "points_internal.h"
#include "common/textio.h"

#define POINTS_SYNTAX_ERROR(str) \
	VIC_ERETURN(escontext, false, \
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION), \
				 errmsg("invalid input syntax for type points: \"%s\"", (str))))

/* does p start with word (ASCII case ignored)? */
static bool
starts_with(const char *p, const char *word)
{
	return pg_strncasecmp(p, word, strlen(word)) == 0;
}

/* parse str into b; false after a soft error (PG16+) */
static bool
points_parse(const char *str, VicPointBuf *b, Node *escontext)
{
	const char *p = vic_skip_space(str);
	int			kind = POINTS_EMPTY;
	int64		srid = 0;

	if (starts_with(p, "geography"))
	{
		kind = POINTS_GEOGRAPHY;
		srid = VIC_SRID_WGS84;
		p = vic_skip_space(p + 9);
	}
	else if (starts_with(p, "geometry"))
	{
		kind = POINTS_GEOMETRY;
		p = vic_skip_space(p + 8);
		if (*p != '(')
			POINTS_SYNTAX_ERROR(str);
		p = vic_skip_space(p + 1);
		if ((p = vic_parse_int8(p, &srid)) == NULL || srid < 0 || srid > 999999)
			POINTS_SYNTAX_ERROR(str);
		p = vic_skip_space(p);
		if (*p != ')')
			POINTS_SYNTAX_ERROR(str);
		p = vic_skip_space(p + 1);
	}
	if (*p != '{')
		POINTS_SYNTAX_ERROR(str);
	p = vic_skip_space(p + 1);
	if (*p == '}')
		p++;
	else
	{
		if (kind == POINTS_EMPTY)
			POINTS_SYNTAX_ERROR(str);
		for (;;)
		{
			int64		id;
			double		x,
						y,
						w = 1.0;

			if ((p = vic_parse_int8(p, &id)) == NULL)
				POINTS_SYNTAX_ERROR(str);
			p = vic_skip_space(p);
			if (*p != ':')
				POINTS_SYNTAX_ERROR(str);
			p = vic_skip_space(p + 1);
			if ((p = vic_parse_float8(p, &x)) == NULL)
				POINTS_SYNTAX_ERROR(str);
			p = vic_skip_space(p);
			if ((p = vic_parse_float8(p, &y)) == NULL)
				POINTS_SYNTAX_ERROR(str);
			p = vic_skip_space(p);
			if (*p == ':')
			{
				p = vic_skip_space(p + 1);
				if ((p = vic_parse_float8(p, &w)) == NULL)
					POINTS_SYNTAX_ERROR(str);
				p = vic_skip_space(p);
			}
			if (!isfinite(x) || !isfinite(y) ||
				(kind == POINTS_GEOGRAPHY && (fabs(y) > 90.0 || fabs(x) > 360.0)))
				VIC_ERETURN(escontext, false,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("location of point " INT64_FORMAT " is not a valid %s point", id,
									kind == POINTS_GEOGRAPHY ? "longitude/latitude" : "finite")));
			if (!vic_weight_ok(w))
				vic_bad_member_weight(w, id);
			vic_pointbuf_add(b, kind, (int32) srid, id, x, y, w);
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
			POINTS_SYNTAX_ERROR(str);
		}
	}
	p = vic_skip_space(p);
	if (*p != '\0')
		POINTS_SYNTAX_ERROR(str);
	return true;
}

PG_FUNCTION_INFO_V1(vic_points_in);
/* text input: 'geography{1:10.5 45.25:2,2:11 45}', 'geometry(3857){...}', '{}' */
Datum
vic_points_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	VicPointBuf b;

	vic_pointbuf_init(&b, CurrentMemoryContext);
	if (!points_parse(str, &b, VIC_ESCONTEXT(fcinfo)))
		PG_RETURN_NULL();
	PG_RETURN_POINTER(vic_pointbuf_build(&b));
}

/* append the shortest exact form of x */
static inline void
append_float(StringInfo buf, double x)
{
	char		num[DOUBLE_SHORTEST_DECIMAL_LEN];
	int			len = double_to_shortest_decimal_buf(x, num);

	appendBinaryStringInfo(buf, num, len);
}

PG_FUNCTION_INFO_V1(vic_points_out);
/* canonical text output, points in id order, shortest exact numbers */
Datum
vic_points_out(PG_FUNCTION_ARGS)
{
	VicPoints  *p = vic_points_getarg(fcinfo, 0);
	const int64 *ids = POINTS_IDS(p);
	const double *x = POINTS_X(p);
	const double *y = POINTS_Y(p);
	const double *w = POINTS_W(p);
	StringInfoData buf;
	char		num[MAXINT8LEN + 1];

	initStringInfo(&buf);
	if (p->flags == POINTS_GEOGRAPHY)
		appendStringInfoString(&buf, "geography");
	else if (p->flags == POINTS_GEOMETRY)
		appendStringInfo(&buf, "geometry(%d)", p->srid);
	appendStringInfoChar(&buf, '{');
	for (int32 i = 0; i < p->npoints; i++)
	{
		int			len;

		if (i > 0)
			appendStringInfoChar(&buf, ',');
		len = pg_lltoa(ids[i], num);
		appendBinaryStringInfo(&buf, num, len);
		appendStringInfoChar(&buf, ':');
		append_float(&buf, x[i]);
		appendStringInfoChar(&buf, ' ');
		append_float(&buf, y[i]);
		appendStringInfoChar(&buf, ':');
		append_float(&buf, w[i]);
		VIC_POLL_INTERRUPTS(i);
	}
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

/* ----------------------------------------------------------------
 * Binary I/O: version byte, kind byte, int32 srid, int32 n, then n times
 * (int64 id, float8 x, float8 y, float8 weight) in id order.
 * ----------------------------------------------------------------
 */

PG_FUNCTION_INFO_V1(vic_points_send);
/* binary output */
Datum
vic_points_send(PG_FUNCTION_ARGS)
{
	VicPoints  *p = vic_points_getarg(fcinfo, 0);
	const int64 *ids = POINTS_IDS(p);
	const double *x = POINTS_X(p);
	const double *y = POINTS_Y(p);
	const double *w = POINTS_W(p);
	StringInfoData buf;

	pq_begintypsend(&buf);
	enlargeStringInfo(&buf, (int) Min((Size) 10 + 32 * (Size) p->npoints, MaxAllocSize - 64));
	pq_sendbyte(&buf, VIC_POINTS_VERSION);
	pq_sendbyte(&buf, p->flags);
	pq_sendint32(&buf, p->srid);
	pq_sendint32(&buf, p->npoints);
	for (int32 i = 0; i < p->npoints; i++)
	{
		pq_sendint64(&buf, ids[i]);
		pq_sendfloat8(&buf, x[i]);
		pq_sendfloat8(&buf, y[i]);
		pq_sendfloat8(&buf, w[i]);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(vic_points_recv);
/* binary input: counts checked before allocating, invariants after reading (22P03) */
Datum
vic_points_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			kind;
	int32		srid;
	int32		n;
	VicPoints  *p;
	int64	   *ids;
	double	   *x;
	double	   *y;
	double	   *w;

	vic_recv_version(buf, VIC_POINTS_VERSION, VIC_POINTS_TYPNAME);
	kind = pq_getmsgbyte(buf);
	if (kind != POINTS_EMPTY && kind != POINTS_GEOGRAPHY && kind != POINTS_GEOMETRY)
		vic_recv_fail(VIC_POINTS_TYPNAME, "Unknown kind of points.");
	if (buf->len - buf->cursor < 8)
		vic_recv_fail(VIC_POINTS_TYPNAME, "The message is too short for its header.");
	srid = (int32) pq_getmsgint(buf, 4);
	n = vic_recv_count(buf, 32, VIC_POINTS_TYPNAME);
	if (buf->len - buf->cursor != 32 * (int64) n)
		vic_recv_fail(VIC_POINTS_TYPNAME, "The message length does not match the point count.");
	if ((kind == POINTS_EMPTY) != (n == 0))
		vic_recv_fail(VIC_POINTS_TYPNAME, "A value has points exactly when it has a kind.");
	if ((kind == POINTS_EMPTY && srid != 0) ||
		(kind == POINTS_GEOGRAPHY && srid != VIC_SRID_WGS84) ||
		(kind == POINTS_GEOMETRY && (srid < 0 || srid > 999999)))
		vic_recv_fail(VIC_POINTS_TYPNAME, "The SRID does not fit the kind of points.");
	p = palloc_extended(POINTS_SIZE(n), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	SET_VARSIZE(p, POINTS_SIZE(n));
	p->version = VIC_POINTS_VERSION;
	p->flags = kind;
	p->srid = srid;
	p->npoints = n;
	ids = POINTS_IDS(p);
	x = POINTS_X(p);
	y = POINTS_Y(p);
	w = POINTS_W(p);
	for (int32 i = 0; i < n; i++)
	{
		ids[i] = pq_getmsgint64(buf);
		x[i] = pq_getmsgfloat8(buf) + 0.0;
		y[i] = pq_getmsgfloat8(buf) + 0.0;
		w[i] = pq_getmsgfloat8(buf) + 0.0;
		if (i > 0 && ids[i] <= ids[i - 1])
			vic_recv_fail(VIC_POINTS_TYPNAME, "Point ids must be strictly ascending.");
		if (!isfinite(x[i]) || !isfinite(y[i]) ||
			(kind == POINTS_GEOGRAPHY && (fabs(y[i]) > 90.0 || fabs(x[i]) > 360.0)))
			vic_recv_fail(VIC_POINTS_TYPNAME, "Coordinates must be finite (and a longitude/latitude for geography).");
		if (!vic_weight_ok(w[i]))
			vic_recv_fail(VIC_POINTS_TYPNAME, "Weights must be finite and non-negative.");
		VIC_POLL_INTERRUPTS(i);
	}
	PG_RETURN_POINTER(p);
}
