/*
 * industry.c
 *		vic.industry: text and binary I/O, validation against the schemes'
 *		published section/division structure.
 *
 * The bit layout is fixed in vic.h.  This file owns the text grammar:
 *
 *	 GB/T 4754-2017 (default)	C | C38 | C382 | C3825	  (letter optional: 3825)
 *	 ISIC Rev.4					isic4:C | isic4:C26 | isic4:C261 | isic4:C2610
 *	 NACE Rev.2					nace2:C | nace2:C26 | nace2:C26.1 | nace2:C26.11
 *	 NAICS 2022					naics:33 ... naics:334413 (2 to 6 digits)
 *
 * Input ignores surrounding ASCII white space and the case of the prefix and
 * of the section letter; "gbt4754:" is accepted as an explicit prefix for
 * the default scheme.  Output is always the canonical form above, so
 * input -> output -> input is the identity.
 */
#include "postgres.h"

#include "fmgr.h"
#include "libpq/pqformat.h"
#include "nodes/nodes.h"
#include "utils/builtins.h"

#include "common/summary.h"
#include "industry.h"

/* no valid code is longer than this many bytes of input, white space included */
#define VIC_INDUSTRY_MAXINPUT	64

/* version byte of the binary (send/recv) format */
#define VIC_INDUSTRY_BINARY_VERSION 1

/* a section letter and the contiguous range of divisions it covers */
typedef struct VicSection
{
	char		letter;
	uint8		lo;
	uint8		hi;
} VicSection;

/*
 * GB/T 4754-2017, National Bureau of Statistics of China (2017), table of
 * sections and divisions: divisions 01-97 all exist, in contiguous runs.
 * Checked against the published list by test/pgtap/industry.sql.
 */
static const VicSection gbt_sections[] = {
	{'A', 1, 5}, {'B', 6, 12}, {'C', 13, 43}, {'D', 44, 46}, {'E', 47, 50},
	{'F', 51, 52}, {'G', 53, 60}, {'H', 61, 62}, {'I', 63, 65}, {'J', 66, 69},
	{'K', 70, 70}, {'L', 71, 72}, {'M', 73, 75}, {'N', 76, 79}, {'O', 80, 82},
	{'P', 83, 83}, {'Q', 84, 85}, {'R', 86, 90}, {'S', 91, 96}, {'T', 97, 97}
};

/*
 * ISIC Rev.4, United Nations Statistics Division (2008), Statistical Papers
 * M/4/Rev.4, part three: 21 sections, 88 divisions.  NACE Rev.2 (Eurostat
 * 2008) has the same sections and divisions.  Divisions 04, 34, 40, 44, 48,
 * 54, 57, 67, 76, 83 and 89 fall between sections and do not exist.
 */
static const VicSection isic_sections[] = {
	{'A', 1, 3}, {'B', 5, 9}, {'C', 10, 33}, {'D', 35, 35}, {'E', 36, 39},
	{'F', 41, 43}, {'G', 45, 47}, {'H', 49, 53}, {'I', 55, 56}, {'J', 58, 63},
	{'K', 64, 66}, {'L', 68, 68}, {'M', 69, 75}, {'N', 77, 82}, {'O', 84, 84},
	{'P', 85, 85}, {'Q', 86, 88}, {'R', 90, 93}, {'S', 94, 96}, {'T', 97, 98},
	{'U', 99, 99}
};

/* NAICS 2022 (U.S. Census Bureau 2022): the 20 sectors, 31-33, 44-45 and 48-49 split */
static const uint8 naics_sectors[] = {
	11, 21, 22, 23, 31, 32, 33, 42, 44, 45, 48, 49, 51, 52, 53, 54, 55, 56,
	61, 62, 71, 72, 81, 92
};

/* the section table of a four-level scheme */
static const VicSection *
scheme_sections(int scheme, int *n)
{
	if (scheme == VIC_SCHEME_GBT4754)
	{
		*n = lengthof(gbt_sections);
		return gbt_sections;
	}
	*n = lengthof(isic_sections);
	return isic_sections;
}

/* human name of a scheme, for messages */
static const char *
scheme_title(int scheme)
{
	switch (scheme)
	{
		case VIC_SCHEME_GBT4754:
			return "GB/T 4754-2017";
		case VIC_SCHEME_ISIC4:
			return "ISIC Rev.4";
		case VIC_SCHEME_NACE2:
			return "NACE Rev.2";
		case VIC_SCHEME_NAICS:
			return "NAICS 2022";
	}
	return "unknown scheme";
}

/* the textual prefix of a scheme ("" for the default) */
static const char *
scheme_prefix(int scheme)
{
	switch (scheme)
	{
		case VIC_SCHEME_ISIC4:
			return "isic4:";
		case VIC_SCHEME_NACE2:
			return "nace2:";
		case VIC_SCHEME_NAICS:
			return "naics:";
	}
	return "";
}

/* errhint text showing the expected form for a scheme (0 = any scheme) */
static const char *
scheme_hint(int scheme)
{
	switch (scheme)
	{
		case VIC_SCHEME_ISIC4:
			return "Expected an ISIC Rev.4 code such as \"isic4:C2610\", \"isic4:C261\", \"isic4:C26\" or \"isic4:C\".";
		case VIC_SCHEME_NACE2:
			return "Expected a NACE Rev.2 code such as \"nace2:C26.11\", \"nace2:C26.1\", \"nace2:C26\" or \"nace2:C\".";
		case VIC_SCHEME_NAICS:
			return "Expected a NAICS 2022 code of 2 to 6 digits such as \"naics:334413\" or \"naics:33\".";
	}
	return "Expected a GB/T 4754-2017 code such as \"C3825\", \"C38\" or \"C\", or a prefixed code such as \"isic4:C2610\", \"nace2:C26.11\", \"naics:334413\".";
}

/* the section of a four-level scheme that holds division div, or NULL */
static const VicSection *
section_of_division(int scheme, int div)
{
	int			n;
	const VicSection *s = scheme_sections(scheme, &n);

	for (int i = 0; i < n; i++)
		if (div >= s[i].lo && div <= s[i].hi)
			return &s[i];
	return NULL;
}

/* the section entry for letter (upper case), or NULL if the scheme has none */
static const VicSection *
section_of_letter(int scheme, char letter)
{
	int			n;
	const VicSection *s = scheme_sections(scheme, &n);

	if (letter < 'A' || letter >= 'A' + n)
		return NULL;
	return &s[letter - 'A'];
}

/* is sector a NAICS 2022 sector? */
static bool
naics_sector_exists(int sector)
{
	for (int i = 0; i < (int) lengthof(naics_sectors); i++)
		if (naics_sectors[i] == sector)
			return true;
	return false;
}

/* ASCII white space (the type is independent of locale) */
static inline bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* ASCII digit */
static inline bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* ASCII letter */
static inline bool
is_letter(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/*
 * Describe the unexpected character at position pos (1-based) of the input.
 * Only printable ASCII is echoed, so a stray byte of a multibyte character
 * never ends up alone in a message.
 */
static char *
unexpected_char(char c, int pos)
{
	if (c > ' ' && c < 0x7f)
		return psprintf("Unexpected character \"%c\" at position %d.", c, pos);
	return psprintf("Unexpected character at position %d.", pos);
}

#define PARSE_FAIL(scheme, ...) \
	VIC_ERETURN(escontext, false, \
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION), \
				 errmsg("invalid input syntax for type %s: \"%s\"", "industry", str), \
				 errdetail_internal("%s", psprintf(__VA_ARGS__)), \
				 errhint("%s", scheme_hint(scheme))))

/*
 * Parse the text form of an industry code into *result.  Returns false after
 * a soft error (PG16+, escontext given); otherwise bad input raises 22P02.
 */
bool
industry_parse(const char *str, VicIndustry *result, Node *escontext)
{
	size_t		len = strlen(str);
	const char *start = str;
	const char *end;
	const char *p;
	const char *colon;
	int			scheme = VIC_SCHEME_GBT4754;
	int			fields[VIC_IND_NFIELDS] = {0};
	int			ndigits = 0;
	int			digits[VIC_IND_NFIELDS + 1];
	VicIndustry code;

	if (len > VIC_INDUSTRY_MAXINPUT)
		PARSE_FAIL(0, "The input is %zu bytes long; no industry code is longer than %d.",
				   len, VIC_INDUSTRY_MAXINPUT);

	while (is_space(*start))
		start++;
	end = str + len;
	while (end > start && is_space(end[-1]))
		end--;
	if (start == end)
		PARSE_FAIL(0, "The input is empty.");

	/* optional scheme prefix */
	colon = memchr(start, ':', end - start);
	if (colon != NULL)
	{
		size_t		plen = colon - start;

		if (plen == 5 && pg_strncasecmp(start, "isic4", 5) == 0)
			scheme = VIC_SCHEME_ISIC4;
		else if (plen == 5 && pg_strncasecmp(start, "nace2", 5) == 0)
			scheme = VIC_SCHEME_NACE2;
		else if (plen == 5 && pg_strncasecmp(start, "naics", 5) == 0)
			scheme = VIC_SCHEME_NAICS;
		else if (plen == 7 && pg_strncasecmp(start, "gbt4754", 7) == 0)
			scheme = VIC_SCHEME_GBT4754;
		else
		{
			bool		printable = plen <= 16;

			for (size_t i = 0; printable && i < plen; i++)
				printable = start[i] > ' ' && start[i] < 0x7f;
			if (printable)
				PARSE_FAIL(0, "Unknown classification scheme prefix \"%.*s:\"; known prefixes are gbt4754:, isic4:, nace2: and naics:.",
						   (int) plen, start);
			PARSE_FAIL(0, "Unknown classification scheme prefix; known prefixes are gbt4754:, isic4:, nace2: and naics:.");
		}
		start = colon + 1;
		if (start == end)
			PARSE_FAIL(scheme, "The code after the prefix \"%s\" is empty.",
					   scheme == VIC_SCHEME_GBT4754 ? "gbt4754:" : scheme_prefix(scheme));
	}
	p = start;

	if (scheme == VIC_SCHEME_NAICS)
	{
		for (; p < end; p++)
		{
			if (!is_digit(*p))
				PARSE_FAIL(scheme, "%s NAICS codes consist of digits only.",
						   unexpected_char(*p, (int) (p - str) + 1));
			if (ndigits == 6)
				PARSE_FAIL(scheme, "The code has more than 6 digits; NAICS 2022 codes have 2 to 6.");
			digits[ndigits++] = *p - '0';
		}
		if (ndigits < 2)
			PARSE_FAIL(scheme, "The code has %d digit; NAICS 2022 codes have 2 to 6.", ndigits);
		fields[1] = digits[0] * 10 + digits[1];
		if (!naics_sector_exists(fields[1]))
			PARSE_FAIL(scheme, "Sector %02d does not exist in NAICS 2022; the sectors are 11, 21, 22, 23, 31-33, 42, 44-45, 48-49, 51, 52, 53, 54, 55, 56, 61, 62, 71, 72, 81 and 92.",
					   fields[1]);
		fields[1]++;
		for (int i = 2; i < ndigits; i++)
			fields[i] = digits[i] + 1;
	}
	else
	{
		char		letter = 0;
		const VicSection *sec = NULL;
		bool		seen_dot = false;

		if (is_letter(*p))
		{
			letter = pg_ascii_toupper((unsigned char) *p);
			p++;
		}
		for (; p < end; p++)
		{
			if (*p == '.' && scheme == VIC_SCHEME_NACE2 && ndigits == 2 && !seen_dot &&
				p + 1 < end && is_digit(p[1]))
			{
				seen_dot = true;
				continue;
			}
			if (!is_digit(*p))
			{
				if (*p == '.' && scheme == VIC_SCHEME_NACE2)
					PARSE_FAIL(scheme, "%s In NACE Rev.2 a dot may only separate the two division digits from the group and class digits.",
							   unexpected_char(*p, (int) (p - str) + 1));
				if (is_letter(*p) && p == start + 1 && letter != 0)
					PARSE_FAIL(scheme, "%s A code has at most one section letter.",
							   unexpected_char(*p, (int) (p - str) + 1));
				PARSE_FAIL(scheme, "%s", unexpected_char(*p, (int) (p - str) + 1));
			}
			if (ndigits == 4)
				PARSE_FAIL(scheme, "The code has more than 4 digits; %s codes have at most 4 (division, group, class).",
						   scheme_title(scheme));
			digits[ndigits++] = *p - '0';
		}
		if (ndigits == 1)
			PARSE_FAIL(scheme, "The code has a single digit; a division has two.");
		if (ndigits == 0 && letter == 0)
			PARSE_FAIL(scheme, "The code has neither a section letter nor digits.");

		if (letter != 0)
		{
			int			n;

			sec = section_of_letter(scheme, letter);
			if (sec == NULL)
			{
				scheme_sections(scheme, &n);
				PARSE_FAIL(scheme, "\"%c\" is not a section of %s; its sections are A to %c.",
						   letter, scheme_title(scheme), 'A' + n - 1);
			}
		}
		if (ndigits >= 2)
		{
			int			div = digits[0] * 10 + digits[1];

			if (letter == 0)
			{
				sec = section_of_division(scheme, div);
				if (sec == NULL)
					PARSE_FAIL(scheme, "Division %02d does not exist in %s.", div, scheme_title(scheme));
			}
			else if (div < sec->lo || div > sec->hi)
			{
				if (sec->lo == sec->hi)
					PARSE_FAIL(scheme, "Division %02d is not in section %c of %s, which has only division %02d.",
							   div, letter, scheme_title(scheme), sec->lo);
				PARSE_FAIL(scheme, "Division %02d is not in section %c of %s, which covers divisions %02d to %02d.",
						   div, letter, scheme_title(scheme), sec->lo, sec->hi);
			}
			fields[1] = div + 1;
			for (int i = 2; i < ndigits; i++)
				fields[i] = digits[i] + 1;
		}
		fields[0] = sec->letter - 'A' + 1;
	}

	code = (VicIndustry) scheme << 32;
	for (int f = 0; f < VIC_IND_NFIELDS; f++)
		code |= (VicIndustry) fields[f] << vic_ind_field_shift[f];
	*result = code;
	return true;
}

/*
 * Why c is not a valid code, or NULL if it is.  Used on binary input, which
 * may come from anywhere.
 */
static const char *
industry_invalid_reason(VicIndustry c)
{
	int			scheme;
	int			first;
	int			level;
	int			f;

	if (c < 0 || (c >> 36) != 0)
		return "The high bits above the scheme tag are not zero.";
	if ((c & 0xF) != 0)
		return "The low four padding bits are not zero.";
	scheme = industry_scheme(c);
	if (scheme < 1 || scheme > VIC_SCHEME_MAX)
		return "The scheme tag is unknown.";
	first = industry_first_field(scheme);
	for (f = 0; f < first; f++)
		if (industry_field(c, f) != 0)
			return "A NAICS code has a section field.";
	level = industry_level(c);
	if (level == 0)
		return "The code has no level-one field.";
	if (level > industry_max_level(scheme))
		return "A field beyond the scheme's deepest level is set.";
	for (f = first + level; f < VIC_IND_NFIELDS; f++)
		if (industry_field(c, f) != 0)
		{
			if (f >= first + industry_max_level(scheme))
				return "A field beyond the scheme's deepest level is set.";
			return "A field is set below an absent one.";
		}
	for (f = 2; f < VIC_IND_NFIELDS; f++)
		if (industry_field(c, f) > 10)
			return "A digit field is out of range.";
	if (industry_field(c, 1) > 100)
		return "The division field is out of range.";

	if (scheme == VIC_SCHEME_NAICS)
	{
		if (!naics_sector_exists(industry_field(c, 1) - 1))
			return "The NAICS sector does not exist.";
	}
	else
	{
		int			n;
		int			letter = industry_field(c, 0);

		scheme_sections(scheme, &n);
		if (letter > n)
			return "The section letter does not exist in the scheme.";
		if (level >= 2 &&
			section_of_division(scheme, industry_field(c, 1) - 1) !=
			section_of_letter(scheme, 'A' + letter - 1))
			return "The division does not belong to the section.";
	}
	return NULL;
}

/*
 * Is c a valid code: well formed, of a known scheme, its section, division
 * or sector one the scheme has?  Exactly the codes that industry_recv
 * accepts and that industry_in can produce, for other families that check
 * codes they receive from outside.
 */
bool
industry_code_is_valid(VicIndustry c)
{
	return industry_invalid_reason(c) == NULL;
}

/* the name of a scheme as vic.industry_scheme returns it ("unknown" for none) */
const char *
industry_scheme_name(int scheme)
{
	switch (scheme)
	{
		case VIC_SCHEME_GBT4754:
			return "gbt4754";
		case VIC_SCHEME_ISIC4:
			return "isic4";
		case VIC_SCHEME_NACE2:
			return "nace2";
		case VIC_SCHEME_NAICS:
			return "naics";
	}
	return "unknown";
}

/* canonical text of c into buf (VIC_INDUSTRY_MAXLEN bytes) */
void
industry_format(VicIndustry c, char *buf)
{
	int			scheme = industry_scheme(c);
	int			level = industry_level(c);
	int			first = industry_first_field(scheme);
	char	   *p = buf;

	p += strlcpy(p, scheme_prefix(scheme), VIC_INDUSTRY_MAXLEN);
	if (scheme != VIC_SCHEME_NAICS && level >= 1)
		*p++ = 'A' + industry_field(c, 0) - 1;
	for (int f = Max(first, 1); f < first + level; f++)
	{
		int			v = industry_field(c, f) - 1;

		if (f == 1)
		{
			*p++ = '0' + (v / 10) % 10;
			*p++ = '0' + v % 10;
		}
		else
		{
			if (f == 2 && scheme == VIC_SCHEME_NACE2)
				*p++ = '.';
			*p++ = '0' + v % 10;
		}
	}
	*p = '\0';
}

extern VicIndustry industry_subtree_last(VicIndustry c);

/*
 * Greatest valid code in c's subtree: the section's last division, then
 * digit 9 at every finer level (C -> C4399, C38 -> C3899, naics:33 ->
 * naics:339999).  Every valid descendant of c lies in [c, this] and every
 * valid code in that range descends from c; unlike vic.h's
 * industry_last_descendant the bound is itself a valid code, so it prints
 * and reads back (EXPLAIN shows it).  Shared with industry_ops.c.
 */
VicIndustry
industry_subtree_last(VicIndustry c)
{
	int			scheme = industry_scheme(c);
	int			first = industry_first_field(scheme);
	VicIndustry last = c;

	for (int f = first + industry_level(c); f < first + industry_max_level(scheme); f++)
	{
		int			v = 9;

		if (f == 1)
		{
			const VicSection *sec = section_of_letter(scheme, 'A' + industry_field(c, 0) - 1);

			v = sec ? sec->hi : 99;
		}
		last |= (VicIndustry) (v + 1) << vic_ind_field_shift[f];
	}
	return last;
}

PG_FUNCTION_INFO_V1(vic_industry_in);
PG_FUNCTION_INFO_V1(vic_industry_out);
PG_FUNCTION_INFO_V1(vic_industry_recv);
PG_FUNCTION_INFO_V1(vic_industry_send);

/* industry_in(cstring): text input */
Datum
vic_industry_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	VicIndustry result;

	if (!industry_parse(str, &result, VIC_ESCONTEXT(fcinfo)))
		PG_RETURN_NULL();
	PG_RETURN_VIC_INDUSTRY(result);
}

/* industry_out(industry): canonical text output */
Datum
vic_industry_out(PG_FUNCTION_ARGS)
{
	VicIndustry c = PG_GETARG_VIC_INDUSTRY(0);
	char	   *buf = palloc(VIC_INDUSTRY_MAXLEN);

	industry_format(c, buf);
	PG_RETURN_CSTRING(buf);
}

/* industry_recv(internal): binary input, a version byte then the int64; hostile input rejected */
Datum
vic_industry_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	VicIndustry c;
	const char *why;

	vic_recv_version(buf, VIC_INDUSTRY_BINARY_VERSION, "vic.industry");
	c = pq_getmsgint64(buf);
	why = industry_invalid_reason(c);
	if (why != NULL)
		vic_recv_fail("vic.industry", why);
	PG_RETURN_VIC_INDUSTRY(c);
}

/* industry_send(industry): binary output, a version byte then the int64 */
Datum
vic_industry_send(PG_FUNCTION_ARGS)
{
	VicIndustry c = PG_GETARG_VIC_INDUSTRY(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, VIC_INDUSTRY_BINARY_VERSION);
	pq_sendint64(&buf, c);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}
