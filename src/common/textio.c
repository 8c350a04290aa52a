/*
 * textio.c
 *		The scanner pieces of the summaries' text input (textio.h).
 */
#include "common/textio.h"

#include <errno.h>
#include <float.h>
#include <math.h>

#include "common/xsum.h"

/* a bigint at p; NULL on none or overflow */
const char *
vic_parse_int8(const char *p, int64 *out)
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

/* a float8 at p; NULL on none or out of range */
const char *
vic_parse_float8(const char *p, double *out)
{
	char	   *end;

	/* strtod would skip blanks: the grammar does not allow them here */
	if (*p == '\0' || *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		return NULL;
	errno = 0;
	*out = strtod(p, &end);
	if (end == p || (errno == ERANGE && (*out == 0 || isinf(*out))))
		return NULL;
	return end;
}

/* a double-quoted name at p into buf; NULL on error */
const char *
vic_parse_quoted(const char *p, StringInfo buf)
{
	resetStringInfo(buf);
	if (*p != '"')
		return NULL;
	p++;
	while (*p != '"')
	{
		if (*p == '\0')
			return NULL;
		if (*p == '\\')
		{
			p++;
			if (*p != '"' && *p != '\\')
				return NULL;
		}
		appendStringInfoChar(buf, *p++);
	}
	return p + 1;
}

/* half the gap from x (finite, > 0) to the next double up */
static inline double
half_ulp(double x)
{
	double		up = nextafter(x, INFINITY);

	if (isinf(up))
		return 0x1p970;			/* DBL_MAX: the gap below it */
	return (up - x) * 0.5;
}

/* are p[0..np-1] the canonical parts of their exact sum? */
bool
vic_parts_canonical(const double *p, int np)
{
	double		canon[VIC_XSUM_MAXPARTS];

	if (np == 1)
		return true;
	if (np > VIC_XSUM_MAXPARTS)
		return false;
	for (int i = 1; i < np; i++)
	{
		double		prev = fabs(p[i - 1]);

		if (!isfinite(p[i]) || p[i] == 0 || prev == 0 || fabs(p[i]) > half_ulp(prev))
			return false;
	}
	/* DBL_MAX + 2^970 or more rounds to infinity: not a float8 sum */
	if (p[0] == DBL_MAX && p[1] >= 0x1p970)
		return false;
	return vic_xsum_canonical_checked(p, np, canon) == np &&
		memcmp(canon, p, sizeof(double) * np) == 0;
}
