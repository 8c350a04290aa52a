/*
 * mem.c
 *		The out-of-line error of mem.h's allocation helpers.
 */
#include "postgres.h"

#include "common/mem.h"

/* 54000 for an array too large to allocate */
void
vic_alloc_overflow(int64 nelem, Size elemsize)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("array of " INT64_FORMAT " elements of %zu bytes is too large", nelem, elemsize),
			 errdetail("The allocation limit is %zu bytes.", (Size) MaxAllocHugeSize)));
}
