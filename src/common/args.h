/*
 * args.h
 *		Argument checks written once: weights, keyword arguments, industry
 *		levels and bigint[] arrays, each with one wording (SQLSTATE 22023
 *		unless noted).
 *
 * Weights: a weight is a finite number >= 0; the error names the member or
 * the edge and prints NaN and infinities as float8out does ("NaN",
 * "Infinity", "-Infinity").  The checks are inline (they run once per input
 * row); only the error paths are calls.  -0 is returned as +0, so that equal
 * sums are equal bytes.
 *
 * Keywords: the argument is matched against the caller's words ignoring ASCII
 * case and nothing else (no trimming: ' region' is an error, as in
 * PostgreSQL's date_trunc), so 'Industry' and 'industry' are one keyword.
 */
#ifndef VIC_ARGS_H
#define VIC_ARGS_H

#include "common/vic.h"

#include <float.h>

#include "utils/array.h"

/* ---- weights ---- */

extern void vic_bad_member_weight(float8 w, int64 member) pg_attribute_noreturn();
extern void vic_bad_edge_weight(float8 w, int64 src, int64 dst) pg_attribute_noreturn();
extern bool vic_bad_edge_weight_soft(float8 w, int64 src, int64 dst, Node *escontext);
extern void vic_null_member_weight(int64 member) pg_attribute_noreturn();
extern void vic_null_edge_weight(int64 src, int64 dst) pg_attribute_noreturn();

/* is w a weight: finite and >= 0 (false for NaN)? */
static inline bool
vic_weight_ok(float8 w)
{
	return w >= 0 && w <= DBL_MAX;
}

/* w, checked finite and >= 0, for member; -0 becomes +0 */
static inline float8
vic_check_member_weight(float8 w, int64 member)
{
	if (unlikely(!vic_weight_ok(w)))
		vic_bad_member_weight(w, member);
	return w + 0.0;
}

/* w, checked finite and >= 0, for edge src -> dst; -0 becomes +0 */
static inline float8
vic_check_edge_weight(float8 w, int64 src, int64 dst)
{
	if (unlikely(!vic_weight_ok(w)))
		vic_bad_edge_weight(w, src, dst);
	return w + 0.0;
}

/* ---- keyword arguments ---- */

/* one accepted word of a keyword argument and the value it stands for */
typedef struct VicKeyword
{
	const char *word;			/* lower case */
	int			value;
} VicKeyword;

/*
 * The value of the keyword arg among words[0..nwords-1], ASCII case
 * ignored; what names the argument in the error ("dimension").
 */
extern int	vic_keyword_arg(text *arg, const VicKeyword *words, int nwords,
							const char *what);

/* ---- industry levels ---- */

/* 22023 unless 1 <= level <= maxlevel */
extern void vic_check_level(int32 level, int maxlevel);

/*
 * An optional level argument: 0 when argument argno is absent or NULL,
 * otherwise checked by vic_check_level.
 */
extern int	vic_level_arg(FunctionCallInfo fcinfo, int argno, int maxlevel);

/* ---- arrays ---- */

/*
 * The elements of a bigint[] (one dimension, or empty) as a palloc'd array
 * in *values; returns their count.  22023 for more dimensions, 22004 for a
 * NULL element; what names the argument ("personalization").
 */
extern int	vic_int8_array(ArrayType *arr, const char *what, int64 **values);

#endif							/* VIC_ARGS_H */
