/*
 * profile_io.c
 *		vic.profile text and binary I/O, the validation of values that come
 *		from outside, and equality of the canonical bytes.
 */
#include "postgres.h"

#include <math.h>

#include "access/detoast.h"
#include "common/shortest_dec.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"

#include "common/mem.h"
#include "profile.h"

/* ---------------------------------------------------------------------
 * Validation shared by text and binary input
 * ---------------------------------------------------------------------
 */

/*
 * Check the invariants of a freshly built flat profile that came from
 * outside: tally or not, codes, weights, and that the member codes and cell
 * codes are the same set of one scheme.  Returns why the value is invalid,
 * or NULL; the caller raises 22P02 (text) or 22P03 (binary): it is bad user
 * input, not corruption on disk.
 */
static const char *
profile_invalid_reason(VicProfile *p)
{
	VicProfileMember *m = PROFILE_MEMBERS(p);
	VicProfileIndustry *ind = PROFILE_INDUSTRIES(p);
	bool		tally = (p->flags & VIC_PROFILE_TALLY) != 0;
	char	   *reason = NULL;

	for (int i = 0; i < p->nindustries && !reason; i++)
	{
		if (!industry_code_is_valid(ind[i].code))
			reason = psprintf("Cell industry code %lld is not a valid vic.industry.", (long long) ind[i].code);
		else if (industry_scheme(ind[i].code) != p->scheme)
			reason = "The cells mix industry classification schemes.";
	}
	for (int i = 0; i < p->nmembers && !reason; i++)
	{
		int64		code = VIC_MEMBER_CODE(m[i].code);

		if (!isfinite(m[i].weight) || m[i].weight < 0)
			reason = "A member weight is negative or not finite.";
		else if (tally)
		{
			if (code != 0 || (m[i].code & VIC_MEMBER_LOCATED))
				reason = "A tally's members carry no industry and no location.";
		}
		else
		{
			int			lo = 0;
			int			hi = p->nindustries - 1;
			bool		found = false;

			while (lo <= hi)
			{
				int			mid = lo + (hi - lo) / 2;

				if (ind[mid].code == code)
				{
					found = true;
					break;
				}
				if (ind[mid].code < code)
					lo = mid + 1;
				else
					hi = mid - 1;
			}
			if (!found)
				reason = "A member's industry has no cell.";
		}
	}
	if (!reason)
	{
		bool	   *used = palloc0(sizeof(bool) * Max(p->nregions, 1));

		for (int i = 0; i < p->ncells; i++)
			used[PROFILE_CELLS(p)[i].region] = true;
		for (int i = 0; i < p->nregions; i++)
			if (!used[i])
				reason = "A region has no cell.";
		pfree(used);
	}
	if (!reason && tally && p->ncells != 0)
		reason = "A tally has no cells.";
	if (!reason && !tally && p->nmembers > 0 && p->ncells == 0)
		reason = "A profile with members has no cells.";
	for (int i = 0; i < p->ncells && !reason; i++)
	{
		float8		w = PROFILE_CELLS(p)[i].weight;

		if (!isfinite(w) || w < 0)
			reason = "A cell weight is negative or not finite.";
	}
	if (!reason)
	{
		float8		s = sqrt(p->sx * p->sx + p->sy * p->sy + p->sz * p->sz);

		if (!isfinite(p->loc_weight) || p->loc_weight < 0 || !isfinite(s))
			reason = "The location moments are not finite.";
		else if (p->nlocated == 0 &&
				 (p->loc_weight != 0 || p->sx != 0 || p->sy != 0 || p->sz != 0))
			reason = "A profile without located members has location moments.";
		else if (s > p->loc_weight * (1.0 + 1e-9) + 1e-300)
			reason = "The location resultant is longer than the located weight.";
	}
	return reason;
}

/* ---------------------------------------------------------------------
 * Text I/O
 *
 * {"members":[[id,"industry",weight,located],...],
 *	"cells":[[region or null,"industry",weight],...],
 *	"location":[weight,x,y,z]}
 * A tally starts with "tally":true and its members have a null industry.
 * A weight or moment whose exact sum is not one float8 is written as the
 * array of its canonical parts, [c1,c2,...] (xsum.h); input takes any
 * numbers that add up to the value.
 * ---------------------------------------------------------------------
 */

/* append a float in shortest exact form */
static void
append_float8(StringInfo buf, float8 v)
{
	char		tmp[DOUBLE_SHORTEST_DECIMAL_LEN];

	double_to_shortest_decimal_buf(v, tmp);
	appendStringInfoString(buf, tmp);
}

/* append a JSON-style quoted string */
static void
append_quoted(StringInfo buf, const char *s, int len)
{
	appendStringInfoChar(buf, '"');
	for (int i = 0; i < len; i++)
	{
		if (s[i] == '"' || s[i] == '\\')
			appendStringInfoChar(buf, '\\');
		appendStringInfoChar(buf, s[i]);
	}
	appendStringInfoChar(buf, '"');
}

/* append an industry code as a quoted string */
static void
append_industry(StringInfo buf, int64 code)
{
	char		tmp[VIC_INDUSTRY_MAXLEN];

	industry_format(code, tmp);
	append_quoted(buf, tmp, strlen(tmp));
}

/*
 * append the value c1 of entry `index` of `kind`, with its further parts
 * (the next ones in parts[*pi..np), which are sorted) as an array
 */
static void
append_sum(StringInfo buf, float8 c1, const VicProfileSumPart *parts, int np,
		   int *pi, int32 kind, int32 index)
{
	if (*pi >= np || parts[*pi].kind != kind || parts[*pi].index != index)
	{
		append_float8(buf, c1);
		return;
	}
	appendStringInfoChar(buf, '[');
	append_float8(buf, c1);
	while (*pi < np && parts[*pi].kind == kind && parts[*pi].index == index)
	{
		appendStringInfoChar(buf, ',');
		append_float8(buf, parts[(*pi)++].value);
	}
	appendStringInfoChar(buf, ']');
}

PG_FUNCTION_INFO_V1(vic_profile_out);

/* text output: canonical, shortest-exact floats */
Datum
vic_profile_out(PG_FUNCTION_ARGS)
{
	VicProfile *p = PG_GETARG_VIC_PROFILE_P(0);
	VicProfileMember *m = PROFILE_MEMBERS(p);
	VicProfileRegion *r = PROFILE_REGIONS(p);
	VicProfileCell *c = PROFILE_CELLS(p);
	char	   *pool = PROFILE_POOL(p);
	const VicProfileSumPart *parts = PROFILE_PARTS(p);
	int			np = p->nparts;
	int			pm = 0;			/* first member part, after moments and cells */
	int			pc = 0;			/* first cell part */
	int			pl = 0;			/* first moment part */
	StringInfoData buf;

	while (pc < np && parts[pc].kind == VIC_SUM_MOMENT)
		pc++;
	pm = pc;
	while (pm < np && parts[pm].kind == VIC_SUM_CELL)
		pm++;
	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	if (p->flags & VIC_PROFILE_TALLY)
		appendStringInfoString(&buf, "\"tally\":true,");
	appendStringInfoString(&buf, "\"members\":[");
	for (int i = 0; i < p->nmembers; i++)
	{
		VIC_POLL_INTERRUPTS(i);
		if (i > 0)
			appendStringInfoChar(&buf, ',');
		appendStringInfo(&buf, "[" INT64_FORMAT ",", m[i].id);
		if (p->flags & VIC_PROFILE_TALLY)
			appendStringInfoString(&buf, "null");
		else
			append_industry(&buf, VIC_MEMBER_CODE(m[i].code));
		appendStringInfoChar(&buf, ',');
		append_sum(&buf, m[i].weight, parts, np, &pm, VIC_SUM_MEMBER, i);
		appendStringInfoString(&buf, (m[i].code & VIC_MEMBER_LOCATED) ? ",true]" : ",false]");
	}
	appendStringInfoString(&buf, "],\"cells\":[");
	for (int i = 0; i < p->ncells; i++)
	{
		VicProfileRegion *rr = &r[c[i].region];

		if (i > 0)
			appendStringInfoChar(&buf, ',');
		appendStringInfoChar(&buf, '[');
		if (rr->name_off < 0)
			appendStringInfoString(&buf, "null");
		else
			append_quoted(&buf, pool + rr->name_off, rr->name_len);
		appendStringInfoChar(&buf, ',');
		append_industry(&buf, c[i].code);
		appendStringInfoChar(&buf, ',');
		append_sum(&buf, c[i].weight, parts, np, &pc, VIC_SUM_CELL, i);
		appendStringInfoChar(&buf, ']');
	}
	appendStringInfoString(&buf, "],\"location\":[");
	append_sum(&buf, p->loc_weight, parts, np, &pl, VIC_SUM_MOMENT, 0);
	appendStringInfoChar(&buf, ',');
	append_sum(&buf, p->sx, parts, np, &pl, VIC_SUM_MOMENT, 1);
	appendStringInfoChar(&buf, ',');
	append_sum(&buf, p->sy, parts, np, &pl, VIC_SUM_MOMENT, 2);
	appendStringInfoChar(&buf, ',');
	append_sum(&buf, p->sz, parts, np, &pl, VIC_SUM_MOMENT, 3);
	appendStringInfoString(&buf, "]}");
	PG_RETURN_CSTRING(buf.data);
}

/* cursor of the text parser */
typedef struct ProfileParser
{
	const char *input;
	char	   *s;
	const char *error;			/* why parsing stopped, for the errdetail */
	Node	   *escontext;		/* soft errors (PG16+), or NULL */
	bool		reported;		/* was the error reported to escontext already? */
	int			scheme;			/* industry scheme of the codes so far, 0 = none */
} ProfileParser;

/* skip blanks */
static void
pp_skip(ProfileParser *pp)
{
	while (*pp->s == ' ' || *pp->s == '\t' || *pp->s == '\n' || *pp->s == '\r')
		pp->s++;
}

/* consume a literal token */
static bool
pp_lit(ProfileParser *pp, const char *lit)
{
	size_t		n = strlen(lit);

	pp_skip(pp);
	if (strncmp(pp->s, lit, n) != 0)
	{
		pp->error = psprintf("Expected \"%s\" at character %d.", lit,
							 (int) (pp->s - pp->input) + 1);
		return false;
	}
	pp->s += n;
	return true;
}

/* does the next token start with c? (consumed when it does) */
static bool
pp_peek(ProfileParser *pp, char c)
{
	pp_skip(pp);
	if (*pp->s != c)
		return false;
	pp->s++;
	return true;
}

/* a quoted string into a palloc'd buffer, or NULL for the null literal */
static bool
pp_string(ProfileParser *pp, char **out, int *outlen, bool allow_null)
{
	StringInfoData buf;

	pp_skip(pp);
	if (allow_null && strncmp(pp->s, "null", 4) == 0)
	{
		pp->s += 4;
		*out = NULL;
		*outlen = 0;
		return true;
	}
	if (*pp->s != '"')
	{
		pp->error = psprintf("Expected a quoted string at character %d.",
							 (int) (pp->s - pp->input) + 1);
		return false;
	}
	pp->s++;
	initStringInfo(&buf);
	while (*pp->s != '"')
	{
		if (*pp->s == '\0')
		{
			pp->error = "Unterminated string.";
			return false;
		}
		if (*pp->s == '\\')
		{
			pp->s++;
			if (*pp->s != '"' && *pp->s != '\\')
			{
				pp->error = "Only \\\" and \\\\ are valid escapes.";
				return false;
			}
		}
		appendStringInfoChar(&buf, *pp->s++);
	}
	pp->s++;
	*out = buf.data;
	*outlen = buf.len;
	return true;
}

/* a signed 64-bit integer */
static bool
pp_int64(ProfileParser *pp, int64 *out)
{
	char	   *end;

	pp_skip(pp);
	errno = 0;
	*out = strtoi64(pp->s, &end, 10);
	if (end == pp->s || errno != 0)
	{
		pp->error = psprintf("Expected an integer at character %d.",
							 (int) (pp->s - pp->input) + 1);
		return false;
	}
	pp->s = end;
	return true;
}

/*
 * a finite float; like float8in, ERANGE only counts when the value overflowed
 * or underflowed to zero, so the subnormals the output writes read back
 */
static bool
pp_float8(ProfileParser *pp, float8 *out)
{
	char	   *end;

	pp_skip(pp);
	errno = 0;
	*out = strtod(pp->s, &end);
	if (end == pp->s || (errno == ERANGE && *out == 0.0) || !isfinite(*out))
	{
		pp->error = psprintf("Expected a finite number at character %d.",
							 (int) (pp->s - pp->input) + 1);
		return false;
	}
	pp->s = end;
	return true;
}

/* most parts a written sum may have */
#define VIC_TEXT_MAXPARTS	64

/* a finite number, or an array of finite numbers that add up to the value */
static bool
pp_sum(ProfileParser *pp, float8 *parts, int *n)
{
	*n = 0;
	if (!pp_peek(pp, '['))
	{
		if (!pp_float8(pp, &parts[0]))
			return false;
		parts[0] += 0.0;		/* -0 reads as 0 */
		*n = 1;
		return true;
	}
	do
	{
		if (*n >= VIC_TEXT_MAXPARTS)
		{
			pp->error = psprintf("A sum has more than %d parts.", VIC_TEXT_MAXPARTS);
			return false;
		}
		if (!pp_float8(pp, &parts[*n]))
			return false;
		parts[*n] += 0.0;
		(*n)++;
	} while (pp_peek(pp, ','));
	return pp_lit(pp, "]");
}

/*
 * Take the scheme of a parsed code: a second scheme is a syntax error here
 * (as in the checks after parsing), never profile_exp_scheme's 22023.
 */
static bool
pp_scheme(ProfileParser *pp, int scheme)
{
	if (scheme == 0 || scheme == pp->scheme)
		return true;
	if (pp->scheme != 0)
	{
		pp->error = psprintf("A profile holds codes of one scheme; a code of %s cannot join codes of %s.",
							 industry_scheme_name(scheme), industry_scheme_name(pp->scheme));
		return false;
	}
	pp->scheme = scheme;
	return true;
}

/* an industry code in quotes (or null when allowed) */
static bool
pp_industry(ProfileParser *pp, int64 *code, bool allow_null)
{
	char	   *s;
	int			len;

	if (!pp_string(pp, &s, &len, allow_null))
		return false;
	if (s == NULL)
	{
		*code = 0;
		return true;
	}
	/* a bad code is reported by industry_parse itself: softly, or raised */
	if (!industry_parse(s, code, pp->escontext))
	{
		pp->error = psprintf("Invalid industry code \"%s\".", s);
		pp->reported = true;
		return false;
	}
	return pp_scheme(pp, industry_scheme(*code));
}

/*
 * Parse the whole text form into ep.  Every syntax error returns false with
 * pp->error set; the only errors raised on the way are those no input can
 * be blamed for or that bad text cannot reach: out of memory, an exact sum
 * beyond the range of float8 (22003), a value beyond 1 GB (54000).
 */
static bool
profile_parse(ProfileParser *pp, ProfileExp *ep)
{
	bool		tally = false;
	float8		parts[VIC_TEXT_MAXPARTS];
	int			np;

	if (!pp_lit(pp, "{"))
		return false;
	pp_skip(pp);
	if (strncmp(pp->s, "\"tally\"", 7) == 0)
	{
		if (!pp_lit(pp, "\"tally\"") || !pp_lit(pp, ":") || !pp_lit(pp, "true") ||
			!pp_lit(pp, ","))
			return false;
		tally = true;
		profile_exp_set_flags(ep, VIC_PROFILE_TALLY);
	}
	if (!pp_lit(pp, "\"members\"") || !pp_lit(pp, ":") || !pp_lit(pp, "["))
		return false;
	if (!pp_peek(pp, ']'))
	{
		do
		{
			int64		id;
			int64		code;
			bool		located;

			CHECK_FOR_INTERRUPTS();
			if (!pp_lit(pp, "[") || !pp_int64(pp, &id) || !pp_lit(pp, ",") ||
				!pp_industry(pp, &code, tally) || !pp_lit(pp, ",") ||
				!pp_sum(pp, parts, &np) || !pp_lit(pp, ","))
				return false;
			pp_skip(pp);
			if (strncmp(pp->s, "true", 4) == 0)
				located = true;
			else if (strncmp(pp->s, "false", 5) == 0)
				located = false;
			else
			{
				pp->error = "Expected true or false.";
				return false;
			}
			pp->s += located ? 4 : 5;
			if (!pp_lit(pp, "]"))
				return false;
			if (np == 1 && parts[0] < 0)
			{
				pp->error = "Member weights must be non-negative.";
				return false;
			}
			if (!tally && code == 0)
			{
				pp->error = "A profile's members have an industry.";
				return false;
			}
			profile_exp_scheme(ep, industry_scheme(code));
			profile_exp_add_member(ep, id, code, parts[0], located);
			for (int k = 1; k < np; k++)
				profile_exp_add_member_part(ep, id, code, parts[k]);
		} while (pp_peek(pp, ','));
		if (!pp_lit(pp, "]"))
			return false;
	}
	if (!pp_lit(pp, ",") || !pp_lit(pp, "\"cells\"") || !pp_lit(pp, ":") ||
		!pp_lit(pp, "["))
		return false;
	if (!pp_peek(pp, ']'))
	{
		do
		{
			char	   *name;
			int			len;
			int64		code;
			int32		region;

			CHECK_FOR_INTERRUPTS();
			if (!pp_lit(pp, "[") || !pp_string(pp, &name, &len, true) ||
				!pp_lit(pp, ",") || !pp_industry(pp, &code, false) ||
				!pp_lit(pp, ",") || !pp_sum(pp, parts, &np) || !pp_lit(pp, "]"))
				return false;
			if (np == 1 && parts[0] < 0)
			{
				pp->error = "Cell weights must be non-negative.";
				return false;
			}
			region = name ? profile_exp_region(ep, name, len) : VIC_REGION_NULL;
			profile_exp_scheme(ep, industry_scheme(code));
			for (int k = 0; k < np; k++)
				profile_exp_add_cell(ep, region, code, parts[k]);
		} while (pp_peek(pp, ','));
		if (!pp_lit(pp, "]"))
			return false;
	}
	if (!pp_lit(pp, ",") || !pp_lit(pp, "\"location\"") || !pp_lit(pp, ":") ||
		!pp_lit(pp, "["))
		return false;
	for (int which = 0; which < 4; which++)
	{
		if ((which > 0 && !pp_lit(pp, ",")) || !pp_sum(pp, parts, &np))
			return false;
		for (int k = 0; k < np; k++)
			profile_exp_add_moment(ep, which, parts[k]);
	}
	if (!pp_lit(pp, "]") || !pp_lit(pp, "}"))
		return false;
	pp_skip(pp);
	if (*pp->s != '\0')
	{
		pp->error = "Junk after the closing brace.";
		return false;
	}
	return true;
}

PG_FUNCTION_INFO_V1(vic_profile_in);

/* text input */
Datum
vic_profile_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	ProfileExp *ep = profile_exp_new(CurrentMemoryContext, 0);
	ProfileParser pp;
	VicProfile *p;
	const char *reason;

	pp.input = str;
	pp.s = str;
	pp.error = NULL;
	pp.escontext = VIC_ESCONTEXT(fcinfo);
	pp.reported = false;
	pp.scheme = 0;
	if (!profile_parse(&pp, ep))
	{
		profile_exp_free(ep);
		if (pp.reported)
			return (Datum) 0;	/* soft error saved by industry_parse */
		VIC_ERETURN(pp.escontext, (Datum) 0,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type profile: \"%.60s%s\"",
							str, strlen(str) > 60 ? "..." : ""),
					 errdetail("%s", pp.error)));
	}
	p = profile_exp_flatten_wide(ep);
	reason = profile_invalid_reason(p);
	if (reason)
	{
		profile_exp_free(ep);
		VIC_ERETURN(pp.escontext, (Datum) 0,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type profile: \"%.60s%s\"",
							str, strlen(str) > 60 ? "..." : ""),
					 errdetail("%s", reason)));
	}
	pfree(p);
	p = profile_exp_flatten(ep);
	profile_exp_free(ep);
	PG_RETURN_POINTER(p);
}

/* ---------------------------------------------------------------------
 * Binary I/O
 *
 * version byte, flags byte, int32 nmembers, members (int64 id, int64 code
 * with the location bit, float8 weight), int32 nregions, regions (int32
 * length or -1 for NULL, bytes), int32 ncells, cells (int32 region index,
 * int64 code, float8 weight), float8 location weight, x, y, z, int32 nparts,
 * parts (int32 kind, int32 index into the members, cells or moments, float8
 * value): the further parts of exact sums, as in the flat form.
 * ---------------------------------------------------------------------
 */
PG_FUNCTION_INFO_V1(vic_profile_send);

/* binary output */
Datum
vic_profile_send(PG_FUNCTION_ARGS)
{
	VicProfile *p = PG_GETARG_VIC_PROFILE_P(0);
	VicProfileMember *m = PROFILE_MEMBERS(p);
	VicProfileRegion *r = PROFILE_REGIONS(p);
	VicProfileCell *c = PROFILE_CELLS(p);
	char	   *pool = PROFILE_POOL(p);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, VIC_PROFILE_BINARY_VERSION);
	pq_sendbyte(&buf, p->flags);
	pq_sendint32(&buf, p->nmembers);
	for (int i = 0; i < p->nmembers; i++)
	{
		pq_sendint64(&buf, m[i].id);
		pq_sendint64(&buf, m[i].code);
		pq_sendfloat8(&buf, m[i].weight);
	}
	pq_sendint32(&buf, p->nregions);
	for (int i = 0; i < p->nregions; i++)
	{
		if (r[i].name_off < 0)
			pq_sendint32(&buf, -1);
		else
#if PG_VERSION_NUM >= 160000
			pq_sendcountedtext(&buf, pool + r[i].name_off, r[i].name_len);
#else
			pq_sendcountedtext(&buf, pool + r[i].name_off, r[i].name_len, false);
#endif
	}
	pq_sendint32(&buf, p->ncells);
	for (int i = 0; i < p->ncells; i++)
	{
		pq_sendint32(&buf, c[i].region);
		pq_sendint64(&buf, c[i].code);
		pq_sendfloat8(&buf, c[i].weight);
	}
	pq_sendfloat8(&buf, p->loc_weight);
	pq_sendfloat8(&buf, p->sx);
	pq_sendfloat8(&buf, p->sy);
	pq_sendfloat8(&buf, p->sz);
	pq_sendint32(&buf, p->nparts);
	for (int i = 0; i < p->nparts; i++)
	{
		VicProfileSumPart *sp = &PROFILE_PARTS(p)[i];

		pq_sendint32(&buf, sp->kind);
		pq_sendint32(&buf, sp->index);
		pq_sendfloat8(&buf, sp->value);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(vic_profile_recv);

/* binary input: hostile until proven otherwise */
Datum
vic_profile_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	ProfileExp *ep = profile_exp_new(CurrentMemoryContext, 0);
	int			flags;
	int32		n;
	int32		nregions;
	int32	   *rmap;
	char	  **rname;
	int		   *rlen;
	VicProfile *p;
	int64		prev_id = 0;
	int64		prev_code = 0;
	const char *reason;
	int32		nmembers;
	int64	   *mid;
	int64	   *mcode;
	int32		ncells;
	int32	   *cregion;
	int64	   *ccode;

	/* a client's bytes, not a stored value: bad input (22P03), not XX001 */
	vic_recv_version(buf, VIC_PROFILE_BINARY_VERSION, VIC_PROFILE_TYPNAME);
	flags = pq_getmsgbyte(buf);
	if (flags & ~VIC_PROFILE_TALLY)
		vic_recv_fail(VIC_PROFILE_TYPNAME, "Unknown flag bits are set.");
	profile_exp_set_flags(ep, flags);

	n = nmembers = vic_recv_count(buf, 24, VIC_PROFILE_TYPNAME);
	mid = vic_alloc_array(n, sizeof(int64));
	mcode = vic_alloc_array(n, sizeof(int64));
	for (int i = 0; i < n; i++)
	{
		int64		id = pq_getmsgint64(buf);
		int64		code = pq_getmsgint64(buf);
		float8		w = pq_getmsgfloat8(buf) + 0.0;	/* -0 reads as 0, as in text */
		int64		bare = VIC_MEMBER_CODE(code);

		VIC_POLL_INTERRUPTS(i);
		if (i > 0 && (id < prev_id || (id == prev_id && bare <= prev_code)))
			vic_recv_fail(VIC_PROFILE_TYPNAME, "Member entries are not in strictly increasing (id, industry) order.");
		if (!(flags & VIC_PROFILE_TALLY) && !industry_code_is_valid(bare))
			vic_recv_fail(VIC_PROFILE_TYPNAME, "A member's industry code is not a valid vic.industry.");
		if (!isfinite(w) || w < 0)
			vic_recv_fail(VIC_PROFILE_TYPNAME, "A member weight is negative or not finite.");
		prev_id = id;
		prev_code = bare;
		mid[i] = id;
		mcode[i] = bare;
		profile_exp_scheme(ep, (flags & VIC_PROFILE_TALLY) ? 0 : industry_scheme(bare));
		profile_exp_add_member(ep, id, bare, w, (code & VIC_MEMBER_LOCATED) != 0);
	}

	/*
	 * every region takes at least its 4-byte length and one 20-byte cell: the
	 * tighter bound keeps the three arrays below under MaxAllocSize (with 4,
	 * a 1 GB message could ask palloc for 2 GB of pointers: XX000)
	 */
	nregions = vic_recv_count(buf, 4 + 20, VIC_PROFILE_TYPNAME);
	rmap = palloc(sizeof(int32) * Max(nregions, 1));
	rname = palloc(sizeof(char *) * Max(nregions, 1));
	rlen = palloc(sizeof(int) * Max(nregions, 1));
	for (int i = 0; i < nregions; i++)
	{
		int32		len = pq_getmsgint(buf, 4);

		if (len == -1)
		{
			if (i != 0)
				vic_recv_fail(VIC_PROFILE_TYPNAME, "Only the first region can be NULL.");
			rmap[i] = VIC_REGION_NULL;
			rname[i] = NULL;
			rlen[i] = 0;
			continue;
		}
		if (len < 0 || len > buf->len - buf->cursor)
			vic_recv_fail(VIC_PROFILE_TYPNAME, "A region name length is out of range.");
		rname[i] = pq_getmsgtext(buf, len, &rlen[i]);
		if ((int) strlen(rname[i]) != rlen[i])
			vic_recv_fail(VIC_PROFILE_TYPNAME, "A region name contains a zero byte.");
		pg_verifymbstr(rname[i], rlen[i], false);
		if (i > 0 && region_name_cmp(rname[i - 1], rlen[i - 1], rname[i], rlen[i]) >= 0)
			vic_recv_fail(VIC_PROFILE_TYPNAME, "Region names are not in strictly increasing order.");
		rmap[i] = profile_exp_region(ep, rname[i], rlen[i]);
	}

	n = ncells = vic_recv_count(buf, 20, VIC_PROFILE_TYPNAME);
	cregion = palloc(sizeof(int32) * Max(n, 1));
	ccode = palloc(sizeof(int64) * Max(n, 1));
	for (int i = 0; i < n; i++)
	{
		int32		region = pq_getmsgint(buf, 4);
		int64		code = pq_getmsgint64(buf);
		float8		w = pq_getmsgfloat8(buf) + 0.0;	/* -0 reads as 0, as in text */

		if (region < 0 || region >= nregions)
			vic_recv_fail(VIC_PROFILE_TYPNAME, "A cell's region index is out of range.");
		if (!industry_code_is_valid(code))
			vic_recv_fail(VIC_PROFILE_TYPNAME, "A cell's industry code is not a valid vic.industry.");
		if (i > 0 && (region < (int32) prev_id ||
					  (region == (int32) prev_id && code <= prev_code)))
			vic_recv_fail(VIC_PROFILE_TYPNAME, "Cells are not in strictly increasing (region, industry) order.");
		if (!isfinite(w) || w < 0)
			vic_recv_fail(VIC_PROFILE_TYPNAME, "A cell weight is negative or not finite.");
		prev_id = region;
		prev_code = code;
		cregion[i] = rmap[region];
		ccode[i] = code;
		profile_exp_scheme(ep, industry_scheme(code));
		profile_exp_add_cell(ep, rmap[region], code, w);
	}
	for (int which = 0; which < 4; which++)
	{
		float8		v = pq_getmsgfloat8(buf) + 0.0;

		if (!isfinite(v))
			vic_recv_fail(VIC_PROFILE_TYPNAME, "A location moment is not finite.");
		profile_exp_add_moment(ep, which, v);
	}
	n = vic_recv_count(buf, 16, VIC_PROFILE_TYPNAME);
	for (int i = 0; i < n; i++)
	{
		int32		kind = pq_getmsgint(buf, 4);
		int32		index = pq_getmsgint(buf, 4);
		float8		v = pq_getmsgfloat8(buf) + 0.0;

		if (!isfinite(v) || v == 0)
			vic_recv_fail(VIC_PROFILE_TYPNAME, "A part of an exact sum is zero or not finite.");
		if (kind == VIC_SUM_MOMENT && index >= 0 && index < 4)
			profile_exp_add_moment(ep, index, v);
		else if (kind == VIC_SUM_CELL && index >= 0 && index < ncells)
			profile_exp_add_cell(ep, cregion[index], ccode[index], v);
		else if (kind == VIC_SUM_MEMBER && index >= 0 && index < nmembers)
			profile_exp_add_member_part(ep, mid[index], mcode[index], v);
		else
			vic_recv_fail(VIC_PROFILE_TYPNAME, "A part of an exact sum refers to no member, cell or moment.");
	}
	if (buf->cursor != buf->len)
		vic_recv_fail(VIC_PROFILE_TYPNAME, "Trailing bytes after the parts of exact sums.");

	p = profile_exp_flatten_wide(ep);
	if (p->nregions != nregions)
		vic_recv_fail(VIC_PROFILE_TYPNAME, "A region has no cell.");
	reason = profile_invalid_reason(p);
	if (reason)
		vic_recv_fail(VIC_PROFILE_TYPNAME, reason);
	pfree(p);
	p = profile_exp_flatten(ep);
	profile_exp_free(ep);
	PG_RETURN_POINTER(p);
}

/* ---------------------------------------------------------------------
 * Equality
 *
 * The flat form is canonical: equal content (members, cells, moments, exact
 * sums) always flattens to the same bytes, padding included (profile.h), in
 * either layout.  So two stored values of one version are equal exactly when
 * their bytes are; a version-1 value (stored by 0.1.0) is compared with a
 * version-2 one in the wide form.
 * ---------------------------------------------------------------------
 */

/* do arguments 0 and 1 hold the same content? */
static bool
profile_args_equal(FunctionCallInfo fcinfo)
{
	Datum		da = PG_GETARG_DATUM(0);
	Datum		db = PG_GETARG_DATUM(1);
	VicProfile *a;
	VicProfile *b;
	bool		eq;

	/* an expanded argument is compared in its stored form */
	a = (VicProfile *) PG_DETOAST_DATUM(da);
	b = (VicProfile *) PG_DETOAST_DATUM(db);
	if (VARSIZE(a) >= VIC_PROFILE_HDRSZ && VARSIZE(b) >= VIC_PROFILE_HDRSZ &&
		a->version != b->version)
	{
		a = DatumGetVicProfileP(PointerGetDatum(a));
		b = DatumGetVicProfileP(PointerGetDatum(b));
	}
	else
	{
		/* checks the versions */
		(void) profile_fetch_part(PointerGetDatum(a), VIC_PART_HEADER);
		(void) profile_fetch_part(PointerGetDatum(b), VIC_PART_HEADER);
	}
	eq = VARSIZE(a) == VARSIZE(b) && memcmp(a, b, VARSIZE(a)) == 0;
	return eq;
}

PG_FUNCTION_INFO_V1(vic_profile_eq);

/* a = b: the same content (the same canonical bytes) */
Datum
vic_profile_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(profile_args_equal(fcinfo));
}

PG_FUNCTION_INFO_V1(vic_profile_ne);

/* a <> b: different content */
Datum
vic_profile_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!profile_args_equal(fcinfo));
}
