/*
 * industry.h
 *		What other families may use of vic.industry: the code layout, schemes,
 *		levels, ancestors and subtree bounds, validation, text form.
 *
 * Every summary that rolls weights up an industry hierarchy (profile,
 * relatedness, input-output) reads this encoding through these functions.
 */
#ifndef VIC_INDUSTRY_H
#define VIC_INDUSTRY_H

#include "common/vic.h"

/* ----------------------------------------------------------------
 * vic.industry: an 8-byte pass-by-value code in a classification tree.
 *
 * Layout (bit 63 first; the value is always non-negative, so plain int64
 * comparison is the btree order):
 *
 *	 63..36  zero
 *	 35..32  scheme (VIC_SCHEME_*)
 *	 31..27  f0: section letter index + 1 (A = 1 ... Z = 26), 0 = absent
 *	 26..20  f1: two-digit division (or NAICS sector) + 1, 0 = absent
 *	 19..16  f2: next digit + 1, 0 = absent
 *	 15..12  f3: next digit + 1
 *	 11..8	 f4: next digit + 1 (NAICS only)
 *	  7..4	 f5: next digit + 1 (NAICS only)
 *	  3..0	 zero
 *
 * Because an absent field is 0 and a present one is at least 1, a code sorts
 * immediately before all of its descendants, and the descendants of c form
 * the contiguous range [c, industry_last_descendant(c)].
 *
 * Four-level schemes (GB/T 4754, ISIC Rev.4, NACE Rev.2) use f0..f3 for
 * levels 1..4 (section, division, group, class).  NAICS has no section:
 * f0 stays 0 and levels 1..5 are f1..f5 (2 to 6 digits).
 * ----------------------------------------------------------------
 */
typedef int64 VicIndustry;

#define VIC_SCHEME_GBT4754	1	/* GB/T 4754-2017, the default (no prefix) */
#define VIC_SCHEME_ISIC4	2	/* ISIC Rev.4, prefix "isic4:" */
#define VIC_SCHEME_NACE2	3	/* NACE Rev.2, prefix "nace2:" */
#define VIC_SCHEME_NAICS	4	/* NAICS 2022, prefix "naics:" */
#define VIC_SCHEME_MAX		4

#define VIC_IND_NFIELDS		6

static const int vic_ind_field_shift[VIC_IND_NFIELDS] = {27, 20, 16, 12, 8, 4};
static const int vic_ind_field_bits[VIC_IND_NFIELDS] = {5, 7, 4, 4, 4, 4};

#define DatumGetVicIndustry(d)	DatumGetInt64(d)
#define VicIndustryGetDatum(c)	Int64GetDatum(c)
#define PG_GETARG_VIC_INDUSTRY(n)	DatumGetVicIndustry(PG_GETARG_DATUM(n))
#define PG_RETURN_VIC_INDUSTRY(c)	return VicIndustryGetDatum(c)

/* scheme tag of a code */
static inline int
industry_scheme(VicIndustry c)
{
	return (int) ((c >> 32) & 0xF);
}

/* raw (stored) value of field f: 0 = absent, otherwise value + 1 */
static inline int
industry_field(VicIndustry c, int f)
{
	return (int) ((c >> vic_ind_field_shift[f]) & ((1 << vic_ind_field_bits[f]) - 1));
}

/* index of the field that holds level 1 of the code's scheme */
static inline int
industry_first_field(int scheme)
{
	return scheme == VIC_SCHEME_NAICS ? 1 : 0;
}

/* deepest level a scheme has: 4, or 5 for NAICS */
static inline int
industry_max_level(int scheme)
{
	return scheme == VIC_SCHEME_NAICS ? 5 : 4;
}

/* level of a code: 1 = section (NAICS: 2-digit sector) ... max_level */
static inline int
industry_level(VicIndustry c)
{
	int			first = industry_first_field(industry_scheme(c));
	int			level = 0;

	for (int f = first; f < VIC_IND_NFIELDS && industry_field(c, f) != 0; f++)
		level++;
	return level;
}

/* bits of all fields below (finer than) level `level` */
static inline int64
industry_mask_below(int scheme, int level)
{
	int			f = industry_first_field(scheme) + level;

	if (level >= industry_max_level(scheme))
		return 0;
	return (INT64CONST(1) << (vic_ind_field_shift[f] + vic_ind_field_bits[f])) - 1;
}

/*
 * Ancestor of c at `level` (1 <= level); a code at or above that level is
 * returned unchanged.
 */
static inline VicIndustry
industry_ancestor(VicIndustry c, int level)
{
	return c & ~industry_mask_below(industry_scheme(c), level);
}

/* greatest value in c's subtree: lower bound c, upper bound this */
static inline VicIndustry
industry_last_descendant(VicIndustry c)
{
	return c | (industry_mask_below(industry_scheme(c), industry_level(c)) & ~INT64CONST(0xF));
}

/* is a equal to b or an ancestor of b? */
static inline bool
industry_contains(VicIndustry a, VicIndustry b)
{
	return industry_scheme(a) == industry_scheme(b) &&
		b >= a && b <= industry_last_descendant(a);
}

/*
 * is c laid out as a vic.industry at all: padding and the bits above the
 * scheme tag zero?  A cheap guard for hot paths that receive a vic.industry
 * datum; industry_code_is_valid checks everything.
 */
static inline bool
industry_code_is_wellformed(VicIndustry c)
{
	return ((uint64) c >> 36) == 0 && (c & 0xF) == 0;
}

/* is c a code of a known scheme that exists there (what input accepts)? */
extern bool industry_code_is_valid(VicIndustry c);

/* the name of a scheme as vic.industry_scheme returns it: gbt4754, isic4, nace2, naics */
extern const char *industry_scheme_name(int scheme);

/* text form of a code into buf (at least VIC_INDUSTRY_MAXLEN bytes) */
#define VIC_INDUSTRY_MAXLEN 32
extern void industry_format(VicIndustry c, char *buf);

/* parse text; NULL escontext = hard error (see compat.h) */
extern bool industry_parse(const char *str, VicIndustry *result, Node *escontext);

#endif							/* VIC_INDUSTRY_H */
