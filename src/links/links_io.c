/*
 * links_io.c
 *		vic.links text and binary I/O.  Both forms are read into an expanded
 *		state and flattened, so any input comes out canonical, and both check
 *		the same invariants afterwards (links_check).
 *
 * Text form (canonical output; input may list entries in any order):
 *
 *	 mode {regions} {pairs} {bins} [dmin dmax]
 *
 * mode is user, sphere or spheroid; a region is "name" weight x y z; a pair
 * is src dst links weight wlength_sum wlength2_sum length_sum (src, dst: 0-based indexes
 * into the region list); a bin is bin links weight.  Entries are separated
 * by commas.  Every float is an exact sum written as its canonical parts
 * c1~c2~..., each in shortest exact form, so the text round-trips bit for
 * bit.  Names are double-quoted with \" and \\ escapes.
 */
#include "postgres.h"

#include <math.h>

#include "common/shortest_dec.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"

#include "links_internal.h"
#include "common/textio.h"

/* a bigint after blanks at p; NULL on error */
static inline const char *
parse_int(const char *p, int64 *out)
{
	return vic_parse_int8(vic_skip_space(p), out);
}

/* a quoted name after blanks at p into buf; NULL on error */
static inline const char *
parse_name(const char *p, StringInfo buf)
{
	return vic_parse_quoted(vic_skip_space(p), buf);
}

/*
 * The invariants of a flat summary that the construction does not give by
 * itself: finite, non-negative weights and moments, links >= 1, as many
 * links in the bins as in the pairs, a sane range.  NULL when it holds.
 */
static const char *
links_check(const VicLinks *l)
{
	const VicLinksRegion *rg = LINKS_REGIONS(l);
	const VicLinksPair *pr = LINKS_PAIRS(l);
	const VicLinksBin *bn = LINKS_BINS(l);
	int64		lp = 0;
	int64		lb = 0;

	for (int32 r = 0; r < l->nregions; r++)
	{
		if (!(rg[r].f[0] >= 0))
			return "A region's weight is negative.";
		for (int f = 0; f < 4; f++)
			if (!isfinite(rg[r].f[f]))
				return "A region moment is not finite.";
	}
	for (int32 p = 0; p < l->npairs; p++)
	{
		if (pr[p].links < 1)
			return "A region pair has no links.";
		if (pg_add_s64_overflow(lp, pr[p].links, &lp))
			return "Link count out of range.";
		for (int f = 0; f < VIC_LINKS_PAIR_FIELDS; f++)
			if (!(pr[p].f[f] >= 0) || !isfinite(pr[p].f[f]))
				return "A pair's weight or length moment is negative or not finite.";
	}
	for (int32 b = 0; b < l->nbins; b++)
	{
		if (bn[b].links < 1)
			return "A histogram bin has no links.";
		if (pg_add_s64_overflow(lb, bn[b].links, &lb))
			return "Link count out of range.";
		if (!(bn[b].f[0] >= 0) || !isfinite(bn[b].f[0]))
			return "A bin's weight is negative or not finite.";
		if (bn[b].bin != VIC_LINKS_ZERO_BIN &&
			(bn[b].bin < -1075 * VIC_LINKS_BINS_PER_OCTAVE || bn[b].bin > 1024 * VIC_LINKS_BINS_PER_OCTAVE))
			return "A bin number is out of range.";
	}
	if (lp != lb)
		return "The histogram does not hold the same links as the pairs.";
	if (!isfinite(l->dmin) || !isfinite(l->dmax) || l->dmin < 0 || l->dmin > l->dmax)
		return "The length range is not 0 <= dmin <= dmax.";
	if (l->npairs > 0 && (vic_links_bin_of(l->dmin) != bn[0].bin ||
						  vic_links_bin_of(l->dmax) != bn[l->nbins - 1].bin))
		return "The length range does not match the histogram.";
	if (l->npairs == 0 && (l->dmin != 0 || l->dmax != 0))
		return "A summary without links has the length range [0 0].";
	return NULL;
}

/* ----------------------------------------------------------------
 * Text input
 * ----------------------------------------------------------------
 */
#define LINKS_SYNTAX(str) \
	VIC_ERETURN(escontext, false, \
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION), \
				 errmsg("invalid input syntax for type vic.links: \"%s\"", (str))))

/* parse parts c1~c2~... at p into parts[]; NULL on error */
static const char *
parse_parts(const char *p, double *parts, int *nparts)
{
	int			n = 0;

	p = vic_skip_space(p);
	for (;;)
	{
		char	   *end;

		if (n == VIC_XSUM_MAXPARTS)
			return NULL;
		if (!(*p == '-' || *p == '+' || *p == '.' || (*p >= '0' && *p <= '9') ||
			  *p == 'I' || *p == 'N' || *p == 'i' || *p == 'n'))
			return NULL;
		errno = 0;
		parts[n] = strtod(p, &end);
		if (end == p || !isfinite(parts[n]) ||
			(errno == ERANGE && parts[n] == 0 && strchr("0.-+", *p) == NULL))
			return NULL;
		n++;
		p = end;
		if (*p != '~')
			break;
		p++;
	}
	*nparts = n;
	return p;
}

/* parse a list { entry, entry, ... } calling one entry parser; NULL on error */
#define LIST_OPEN(p) do { p = vic_skip_space(p); if (*p != '{') goto syntax; p = vic_skip_space(p + 1); } while (0)

static bool
links_parse(const char *str, VicLinksExpanded *e, Node *escontext)
{
	const char *p = vic_skip_space(str);
	int			mode;
	StringInfoData name;
	int32	   *map = NULL;
	int32		nmap = 0;
	int32		capmap = 0;
	double		parts[VIC_XSUM_MAXPARTS];
	int			np;
	int64		v;
	double		range[2];

	if (strncmp(p, "user", 4) == 0)
		mode = VIC_LINKS_USER, p += 4;
	else if (strncmp(p, "spheroid", 8) == 0)
		mode = VIC_LINKS_SPHEROID, p += 8;
	else if (strncmp(p, "sphere", 6) == 0)
		mode = VIC_LINKS_SPHERE, p += 6;
	else
		goto syntax;
	vic_links_set_mode(e, mode);
	initStringInfo(&name);

	/* regions */
	LIST_OPEN(p);
	while (*p != '}')
	{
		int32		r;

		if (nmap > 0)
		{
			if (*p != ',')
				goto syntax;
			p++;
		}
		if ((p = parse_name(p, &name)) == NULL)
			goto syntax;
		if (pg_verifymbstr(name.data, name.len, true) == false)
			goto syntax;
		r = vic_links_region_id(e, name.data, name.len);
		if (r != e->nregions - 1 || r != nmap)
			VIC_ERETURN(escontext, false,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type vic.links: \"%s\"", str),
						 errdetail("Region \"%s\" is listed twice.", name.data)));
		if (nmap == capmap)
		{
			capmap = Max(16, capmap * 2);
			map = map ? repalloc(map, capmap * sizeof(int32)) : palloc(capmap * sizeof(int32));
		}
		map[nmap++] = r;
		for (int f = 0; f < VIC_LINKS_REGION_FIELDS; f++)
		{
			if ((p = parse_parts(p, parts, &np)) == NULL)
				goto syntax;
			vic_links_add_region_parts(e, r, f, parts, np);
		}
		p = vic_skip_space(p);
	}
	p++;

	/* pairs */
	LIST_OPEN(p);
	for (bool first = true; *p != '}'; first = false)
	{
		int64		s,
					t,
					links;

		if (!first)
		{
			if (*p != ',')
				goto syntax;
			p++;
		}
		if ((p = parse_int(p, &s)) == NULL || (p = parse_int(p, &t)) == NULL ||
			(p = parse_int(p, &links)) == NULL)
			goto syntax;
		if (s < 0 || s >= nmap || t < 0 || t >= nmap || links < 1)
			VIC_ERETURN(escontext, false,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type vic.links: \"%s\"", str),
						 errdetail("A pair names a region index out of range or has no links.")));
		for (int f = 0; f < VIC_LINKS_PAIR_FIELDS; f++)
		{
			if ((p = parse_parts(p, parts, &np)) == NULL)
				goto syntax;
			vic_links_add_pair_parts(e, map[s], map[t], f == 0 ? links : 0, f, parts, np);
		}
		p = vic_skip_space(p);
	}
	p++;

	/* bins */
	LIST_OPEN(p);
	for (bool first = true; *p != '}'; first = false)
	{
		int64		links;

		if (!first)
		{
			if (*p != ',')
				goto syntax;
			p++;
		}
		if ((p = parse_int(p, &v)) == NULL || (p = parse_int(p, &links)) == NULL)
			goto syntax;
		if (v < PG_INT32_MIN || v > PG_INT32_MAX || links < 1)
			goto syntax;
		if ((p = parse_parts(p, parts, &np)) == NULL)
			goto syntax;
		vic_links_add_bin_parts(e, (int32) v, links, parts, np);
		p = vic_skip_space(p);
	}
	p = vic_skip_space(p + 1);

	/* range */
	if (*p != '[')
		goto syntax;
	for (int k = 0; k < 2; k++)
	{
		if ((p = parse_parts(p + (k == 0), parts, &np)) == NULL || np != 1)
			goto syntax;
		range[k] = parts[0];
	}
	p = vic_skip_space(p);
	if (*p != ']')
		goto syntax;
	p = vic_skip_space(p + 1);
	if (*p != '\0')
		goto syntax;
	if (e->npairs > 0)
		vic_links_add_range(e, range[0], range[1]);
	else if (range[0] != 0 || range[1] != 0)
		goto syntax;
	return true;

syntax:
	LINKS_SYNTAX(str);
}

PG_FUNCTION_INFO_V1(vic_links_in);
/* text input of vic.links */
Datum
vic_links_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	Node	   *escontext = VIC_ESCONTEXT(fcinfo);
	VicLinksExpanded *e = vic_links_expanded_new(CurrentMemoryContext);
	VicLinks   *l;
	const char *bad;

	if (!links_parse(str, e, escontext))
		PG_RETURN_NULL();
	l = vic_links_flatten(e);
	if ((bad = links_check(l)) != NULL)
		VIC_ERETURN(escontext, (Datum) 0,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type vic.links: \"%s\"", str),
					 errdetail("%s", bad)));
	PG_RETURN_POINTER(l);
}

/* ----------------------------------------------------------------
 * Text output
 * ----------------------------------------------------------------
 */

/* append the canonical parts of one exact sum */
static void
append_parts(StringInfo buf, const VicLinks *l, int kind, int32 id, int field, double first)
{
	double		parts[VIC_XSUM_MAXPARTS];
	int			n = vic_links_parts(l, kind, id, field, first, parts);
	char		num[DOUBLE_SHORTEST_DECIMAL_LEN];

	for (int k = 0; k < n; k++)
	{
		int			len = double_to_shortest_decimal_buf(parts[k], num);

		if (k > 0)
			appendStringInfoChar(buf, '~');
		appendBinaryStringInfo(buf, num, len);
	}
}

PG_FUNCTION_INFO_V1(vic_links_out);
/* canonical text output of vic.links */
Datum
vic_links_out(PG_FUNCTION_ARGS)
{
	VicLinks   *l = vic_links_getarg(fcinfo, 0);
	const VicLinksRegion *rg = LINKS_REGIONS(l);
	const VicLinksPair *pr = LINKS_PAIRS(l);
	const VicLinksBin *bn = LINKS_BINS(l);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoString(&buf, vic_links_mode_name(l->flags));
	appendStringInfoString(&buf, " {");
	for (int32 r = 0; r < l->nregions; r++)
	{
		const char *s = LINKS_NAME(l, r);

		if (r > 0)
			appendStringInfoString(&buf, ", ");
		appendStringInfoChar(&buf, '"');
		for (int k = 0; k < rg[r].name_len; k++)
		{
			if (s[k] == '"' || s[k] == '\\')
				appendStringInfoChar(&buf, '\\');
			appendStringInfoChar(&buf, s[k]);
		}
		appendStringInfoChar(&buf, '"');
		for (int f = 0; f < VIC_LINKS_REGION_FIELDS; f++)
		{
			appendStringInfoChar(&buf, ' ');
			append_parts(&buf, l, LINKS_KIND_REGION, r, f, rg[r].f[f]);
		}
	}
	appendStringInfoString(&buf, "} {");
	for (int32 p = 0; p < l->npairs; p++)
	{
		VIC_POLL_INTERRUPTS(p);
		if (p > 0)
			appendStringInfoString(&buf, ", ");
		appendStringInfo(&buf, "%d %d " INT64_FORMAT, pr[p].src, pr[p].dst, pr[p].links);
		for (int f = 0; f < VIC_LINKS_PAIR_FIELDS; f++)
		{
			appendStringInfoChar(&buf, ' ');
			append_parts(&buf, l, LINKS_KIND_PAIR, p, f, pr[p].f[f]);
		}
	}
	appendStringInfoString(&buf, "} {");
	for (int32 b = 0; b < l->nbins; b++)
	{
		if (b > 0)
			appendStringInfoString(&buf, ", ");
		appendStringInfo(&buf, "%d " INT64_FORMAT " ", bn[b].bin, bn[b].links);
		append_parts(&buf, l, LINKS_KIND_BIN, b, 0, bn[b].f[0]);
	}
	appendStringInfoString(&buf, "} [");
	append_parts(&buf, l, 99, 0, 0, l->dmin);
	appendStringInfoChar(&buf, ' ');
	append_parts(&buf, l, 99, 0, 0, l->dmax);
	appendStringInfoChar(&buf, ']');
	PG_RETURN_CSTRING(buf.data);
}

/* ----------------------------------------------------------------
 * Binary I/O: version byte, mode byte, int32 nregions, npairs, nbins,
 * nresid; float8 dmin, dmax; regions (int32 name length, the bytes, 4
 * float8); pairs (int32 src, dst, int64 links, 4 float8); bins (int32 bin,
 * int64 links, float8); residual parts (byte kind, byte field, int32 id,
 * float8 part), in the flat form's order.
 * ----------------------------------------------------------------
 */
PG_FUNCTION_INFO_V1(vic_links_send);
/* binary output of vic.links */
Datum
vic_links_send(PG_FUNCTION_ARGS)
{
	VicLinks   *l = vic_links_getarg(fcinfo, 0);
	const VicLinksRegion *rg = LINKS_REGIONS(l);
	const VicLinksPair *pr = LINKS_PAIRS(l);
	const VicLinksBin *bn = LINKS_BINS(l);
	const VicLinksResid *rs = LINKS_RESID(l);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, VIC_LINKS_VERSION);
	pq_sendbyte(&buf, l->flags);
	pq_sendint32(&buf, l->nregions);
	pq_sendint32(&buf, l->npairs);
	pq_sendint32(&buf, l->nbins);
	pq_sendint32(&buf, l->nresid);
	pq_sendfloat8(&buf, l->dmin);
	pq_sendfloat8(&buf, l->dmax);
	for (int32 r = 0; r < l->nregions; r++)
	{
		pq_sendint32(&buf, rg[r].name_len);
		pq_sendbytes(&buf, LINKS_NAME(l, r), rg[r].name_len);
		for (int f = 0; f < VIC_LINKS_REGION_FIELDS; f++)
			pq_sendfloat8(&buf, rg[r].f[f]);
	}
	for (int32 p = 0; p < l->npairs; p++)
	{
		pq_sendint32(&buf, pr[p].src);
		pq_sendint32(&buf, pr[p].dst);
		pq_sendint64(&buf, pr[p].links);
		for (int f = 0; f < VIC_LINKS_PAIR_FIELDS; f++)
			pq_sendfloat8(&buf, pr[p].f[f]);
	}
	for (int32 b = 0; b < l->nbins; b++)
	{
		pq_sendint32(&buf, bn[b].bin);
		pq_sendint64(&buf, bn[b].links);
		pq_sendfloat8(&buf, bn[b].f[0]);
	}
	for (int32 k = 0; k < l->nresid; k++)
	{
		pq_sendbyte(&buf, rs[k].kind);
		pq_sendbyte(&buf, rs[k].field);
		pq_sendint32(&buf, rs[k].id);
		pq_sendfloat8(&buf, rs[k].part);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(vic_links_recv);
/* binary input of vic.links: every count checked before allocating, every invariant after */
Datum
vic_links_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			mode;
	int32		nr,
				np,
				nb,
				nres;
	VicLinks   *l;
	VicLinksRegion *rg;
	VicLinksPair *pr;
	VicLinksBin *bn;
	VicLinksResid *rs;
	StringInfoData names;
	uint64		size;
	VicLinksExpanded *e;
	VicLinks   *out;
	const char *bad;

	vic_recv_version(buf, VIC_LINKS_VERSION, VIC_LINKS_TYPNAME);
	mode = pq_getmsgbyte(buf);
	if (mode > VIC_LINKS_SPHEROID)
		vic_recv_fail(VIC_LINKS_TYPNAME, "Unknown distance mode.");
	if (buf->len - buf->cursor < 32)
		vic_recv_fail(VIC_LINKS_TYPNAME, "The message is too short for its header.");
	nr = vic_recv_count(buf, 4 + 32, VIC_LINKS_TYPNAME);
	np = vic_recv_count(buf, 48, VIC_LINKS_TYPNAME);
	nb = vic_recv_count(buf, 20, VIC_LINKS_TYPNAME);
	nres = vic_recv_count(buf, 14, VIC_LINKS_TYPNAME);
	if ((uint64) nr * 36 + (uint64) np * 48 + (uint64) nb * 20 + (uint64) nres * 14 + 16 >
		(uint64) (buf->len - buf->cursor))
		vic_recv_fail(VIC_LINKS_TYPNAME, "The counts exceed the length of the message.");
	size = LINKS_HDRSZ + (uint64) nr * sizeof(VicLinksRegion) + (uint64) np * sizeof(VicLinksPair) +
		(uint64) nb * sizeof(VicLinksBin) + (uint64) nres * sizeof(VicLinksResid);
	l = palloc0(size);			/* names are appended below, after they are read */
	l->version = VIC_LINKS_VERSION;
	l->flags = mode;
	l->nregions = nr;
	l->npairs = np;
	l->nbins = nb;
	l->nresid = nres;
	l->dmin = pq_getmsgfloat8(buf);
	l->dmax = pq_getmsgfloat8(buf);
	rg = LINKS_REGIONS(l);
	pr = LINKS_PAIRS(l);
	bn = LINKS_BINS(l);
	rs = LINKS_RESID(l);
	initStringInfo(&names);
	for (int32 r = 0; r < nr; r++)
	{
		int32		len = (int32) pq_getmsgint(buf, 4);
		const char *s;

		if (len < 0 || (int64) len + 32 > buf->len - buf->cursor)
			vic_recv_fail(VIC_LINKS_TYPNAME, "A region name length is out of range.");
		s = pq_getmsgbytes(buf, len);
		if (!pg_verifymbstr(s, len, true) || memchr(s, '\0', len) != NULL)
			vic_recv_fail(VIC_LINKS_TYPNAME, "A region name is not valid text in the database encoding.");
		rg[r].name_off = names.len;
		rg[r].name_len = len;
		if (r > 0)
		{
			const char *prev = names.data + rg[r - 1].name_off;
			int			c = memcmp(prev, s, Min(len, rg[r - 1].name_len));

			if (c > 0 || (c == 0 && rg[r - 1].name_len >= len))
				vic_recv_fail(VIC_LINKS_TYPNAME, "Region names must be strictly ascending.");
		}
		appendBinaryStringInfo(&names, s, len);
		for (int f = 0; f < VIC_LINKS_REGION_FIELDS; f++)
			rg[r].f[f] = pq_getmsgfloat8(buf);
	}
	if ((uint64) np * 48 + (uint64) nb * 20 + (uint64) nres * 14 != (uint64) (buf->len - buf->cursor))
		vic_recv_fail(VIC_LINKS_TYPNAME, "The message length does not match its counts.");
	for (int32 p = 0; p < np; p++)
	{
		pr[p].src = (int32) pq_getmsgint(buf, 4);
		pr[p].dst = (int32) pq_getmsgint(buf, 4);
		pr[p].links = pq_getmsgint64(buf);
		if (pr[p].src < 0 || pr[p].src >= nr || pr[p].dst < 0 || pr[p].dst >= nr)
			vic_recv_fail(VIC_LINKS_TYPNAME, "A pair names a region index out of range.");
		if (p > 0 && (pr[p - 1].src > pr[p].src ||
					  (pr[p - 1].src == pr[p].src && pr[p - 1].dst >= pr[p].dst)))
			vic_recv_fail(VIC_LINKS_TYPNAME, "Pairs must be strictly ascending.");
		for (int f = 0; f < VIC_LINKS_PAIR_FIELDS; f++)
			pr[p].f[f] = pq_getmsgfloat8(buf);
	}
	for (int32 b = 0; b < nb; b++)
	{
		bn[b].bin = (int32) pq_getmsgint(buf, 4);
		bn[b].links = pq_getmsgint64(buf);
		bn[b].f[0] = pq_getmsgfloat8(buf);
		if (b > 0 && bn[b - 1].bin >= bn[b].bin)
			vic_recv_fail(VIC_LINKS_TYPNAME, "Bins must be strictly ascending.");
	}
	for (int32 k = 0; k < nres; k++)
	{
		rs[k].kind = pq_getmsgbyte(buf);
		rs[k].field = pq_getmsgbyte(buf);
		rs[k].id = (int32) pq_getmsgint(buf, 4);
		rs[k].part = pq_getmsgfloat8(buf);
		if (!isfinite(rs[k].part) ||
			!((rs[k].kind == LINKS_KIND_REGION && rs[k].field < VIC_LINKS_REGION_FIELDS && rs[k].id >= 0 && rs[k].id < nr) ||
			  (rs[k].kind == LINKS_KIND_PAIR && rs[k].field < VIC_LINKS_PAIR_FIELDS && rs[k].id >= 0 && rs[k].id < np) ||
			  (rs[k].kind == LINKS_KIND_BIN && rs[k].field == 0 && rs[k].id >= 0 && rs[k].id < nb)))
			vic_recv_fail(VIC_LINKS_TYPNAME, "A residual part is not finite or names no entry.");
		if (k > 0 && (rs[k - 1].kind > rs[k].kind ||
					  (rs[k - 1].kind == rs[k].kind && (rs[k - 1].id > rs[k].id ||
														(rs[k - 1].id == rs[k].id && rs[k - 1].field > rs[k].field)))))
			vic_recv_fail(VIC_LINKS_TYPNAME, "Residual parts must be in (kind, id, field) order.");
	}
	pq_getmsgend(buf);
	for (int32 r = 0; r < nr; r++)
		for (int f = 0; f < 4; f++)
			if (!isfinite(rg[r].f[f]))
				vic_recv_fail(VIC_LINKS_TYPNAME, "A region moment is not finite.");
	for (int32 p = 0; p < np; p++)
		for (int f = 0; f < VIC_LINKS_PAIR_FIELDS; f++)
			if (!isfinite(pr[p].f[f]))
				vic_recv_fail(VIC_LINKS_TYPNAME, "A pair moment is not finite.");
	for (int32 b = 0; b < nb; b++)
		if (!isfinite(bn[b].f[0]))
			vic_recv_fail(VIC_LINKS_TYPNAME, "A bin weight is not finite.");
	/* append the names and make it a full flat value, then canonicalise it */
	l = repalloc(l, size + MAXALIGN(names.len));
	memset((char *) l + size, 0, MAXALIGN(names.len));
	memcpy((char *) l + size, names.data, names.len);
	l->names_len = names.len;
	SET_VARSIZE(l, size + MAXALIGN(names.len));
	e = vic_links_expanded_new(CurrentMemoryContext);
	vic_links_add_summary(e, l);
	if (np == 0 && (l->dmin != 0 || l->dmax != 0))
		vic_recv_fail(VIC_LINKS_TYPNAME, "A summary without links has the length range [0 0].");
	out = vic_links_flatten(e);
	if ((bad = links_check(out)) != NULL)
		vic_recv_fail(VIC_LINKS_TYPNAME, bad);
	PG_RETURN_POINTER(out);
}
