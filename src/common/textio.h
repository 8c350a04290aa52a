/*
 * textio.h
 *		The scanner pieces every summary's text input uses, written once:
 *		blanks, bigints, float8s, quoted names, and the check that the parts
 *		of an exact sum written as c1~c2~... are canonical.
 *
 * Each parser takes the position p and returns the position after what it
 * read, or NULL when there is nothing of its kind at p; the caller raises
 * its own type's 22P02.
 */
#ifndef VIC_TEXTIO_H
#define VIC_TEXTIO_H

#include "common/vic.h"

#include "lib/stringinfo.h"

/* skip blanks (space, tab, newline, carriage return) */
static inline const char *
vic_skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* a bigint at p (no leading blank or sign other than '-'); NULL on none or overflow */
extern const char *vic_parse_int8(const char *p, int64 *out);

/*
 * a float8 at p (no leading blank); NULL on none, or on a value out of range
 * (overflow or underflow to 0); NaN and infinities parse, callers check them
 */
extern const char *vic_parse_float8(const char *p, double *out);

/* a double-quoted name at p, with \" and \\ as the only escapes, into buf; NULL on error */
extern const char *vic_parse_quoted(const char *p, StringInfo buf);

/*
 * Are p[0..np-1] (np >= 1, p[0] finite) the canonical parts of their exact
 * sum (Shewchuk 1997, common/xsum.h): every further part finite, nonzero, at
 * most half an ulp of the one before, and equal to what the exact sum gives?
 */
extern bool vic_parts_canonical(const double *p, int np);

#endif							/* VIC_TEXTIO_H */
