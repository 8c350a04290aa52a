/*
 * args.c
 *		Argument checks shared by every family (args.h).
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "common/shortest_dec.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"

#include "common/args.h"

/* the text of a weight as float8out prints it */
static void
weight_text(float8 w, char *buf)
{
	if (isnan(w))
		strcpy(buf, "NaN");
	else if (isinf(w))
		strcpy(buf, w > 0 ? "Infinity" : "-Infinity");
	else
		double_to_shortest_decimal_buf(w, buf);
}

/*
 * the one wording of a bad weight; subject names its member or edge.  Saved
 * in escontext when it takes soft errors (false returned), raised otherwise.
 */
static bool
weight_error_soft(float8 w, const char *subject, Node *escontext)
{
	char		buf[DOUBLE_SHORTEST_DECIMAL_LEN];

	weight_text(w, buf);
	VIC_ERETURN(escontext, false,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid weight %s for %s", buf, subject),
				 errdetail("Weights must be finite and non-negative.")));
}

/* weight_error_soft as a hard error */
static void pg_attribute_noreturn()
weight_error(float8 w, const char *subject)
{
	weight_error_soft(w, subject, NULL);
	pg_unreachable();
}

/* the one wording of a NULL weight */
static void pg_attribute_noreturn()
weight_null_error(const char *subject)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("null weight for %s", subject),
			 errdetail("Weights must be finite and non-negative.")));
	pg_unreachable();
}

/* 22023 for a weight of member that is NaN, infinite or negative */
void
vic_bad_member_weight(float8 w, int64 member)
{
	weight_error(w, psprintf("member " INT64_FORMAT, member));
}

/* 22023 for a weight of edge src -> dst that is NaN, infinite or negative */
void
vic_bad_edge_weight(float8 w, int64 src, int64 dst)
{
	weight_error(w, psprintf("edge " INT64_FORMAT " -> " INT64_FORMAT, src, dst));
}

/* vic_bad_edge_weight, saved in escontext when it takes soft errors (false returned) */
bool
vic_bad_edge_weight_soft(float8 w, int64 src, int64 dst, Node *escontext)
{
	return weight_error_soft(w, psprintf("edge " INT64_FORMAT " -> " INT64_FORMAT, src, dst),
							 escontext);
}

/* 22023 for a NULL weight of member */
void
vic_null_member_weight(int64 member)
{
	weight_null_error(psprintf("member " INT64_FORMAT, member));
}

/* 22023 for a NULL weight of edge src -> dst */
void
vic_null_edge_weight(int64 src, int64 dst)
{
	weight_null_error(psprintf("edge " INT64_FORMAT " -> " INT64_FORMAT, src, dst));
}

/* match a keyword argument, ASCII case ignored, untrimmed */
int
vic_keyword_arg(text *arg, const VicKeyword *words, int nwords, const char *what)
{
	char	   *s = text_to_cstring(arg);
	StringInfoData known;

	for (int i = 0; i < nwords; i++)
		if (pg_strcasecmp(s, words[i].word) == 0)
			return words[i].value;

	initStringInfo(&known);
	for (int i = 0; i < nwords; i++)
		appendStringInfo(&known, "%s\"%s\"", i == 0 ? "" : ", ", words[i].word);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown %s \"%s\"", what, s),
			 errdetail("The %s is %s%s.", what, nwords > 1 ? "one of " : "", known.data)));
	return 0;					/* keep the compiler quiet */
}

/* 22023 unless 1 <= level <= maxlevel */
void
vic_check_level(int32 level, int maxlevel)
{
	if (level < 1 || level > maxlevel)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("industry level %d is out of range", level),
				 errdetail("Levels of this classification run from 1 (the coarsest) to %d.",
						   maxlevel)));
}

/* an optional level argument: 0 when absent or NULL */
int
vic_level_arg(FunctionCallInfo fcinfo, int argno, int maxlevel)
{
	int32		level;

	if (PG_NARGS() <= argno || PG_ARGISNULL(argno))
		return 0;
	level = PG_GETARG_INT32(argno);
	vic_check_level(level, maxlevel);
	return level;
}

/* the elements of a one-dimensional bigint[] without NULLs */
int
vic_int8_array(ArrayType *arr, const char *what, int64 **values)
{
	Datum	   *elems;
	bool	   *nulls;
	int			count;
	int64	   *v;

	if (ARR_ELEMTYPE(arr) != INT8OID)
		elog(ERROR, "%s must be a bigint array, not of type %u", what, ARR_ELEMTYPE(arr));
	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a one-dimensional array", what),
				 errdetail("The array has %d dimensions.", ARR_NDIM(arr))));
	deconstruct_array(arr, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  &elems, &nulls, &count);
	v = palloc(sizeof(int64) * Max(count, 1));
	for (int i = 0; i < count; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s must not contain NULL", what),
					 errdetail("Element %d is NULL.", i + 1)));
		v[i] = DatumGetInt64(elems[i]);
	}
	pfree(elems);
	pfree(nulls);
	*values = v;
	return count;
}
