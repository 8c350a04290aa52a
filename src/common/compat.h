/*
 * compat.h
 *		PG_VERSION_NUM guards, so vic builds on PostgreSQL 15 and newer majors.
 */
#ifndef VIC_COMPAT_H
#define VIC_COMPAT_H

#include "postgres.h"

#if PG_VERSION_NUM < 150000
#error "vic requires PostgreSQL 15 or newer"
#endif

#include "fmgr.h"

/*
 * Soft input errors.  PG16 added ereturn()/errsave() so that
 * pg_input_is_valid() and COPY ... ON_ERROR can catch bad input without a
 * subtransaction; on PG15 the same call sites raise an ordinary ERROR.
 * Use as:  VIC_ERETURN(fcinfo, (Datum) 0, (errcode(...), errmsg(...)));
 */
#if PG_VERSION_NUM >= 160000
#include "nodes/miscnodes.h"
#define VIC_ESCONTEXT(fcinfo) ((fcinfo) ? (fcinfo)->context : NULL)
#define VIC_ERETURN(escontext, retval, ...) \
	ereturn((escontext), (retval), __VA_ARGS__)
#define VIC_SOFT_ERROR_OCCURRED(escontext) SOFT_ERROR_OCCURRED(escontext)
#else
#define VIC_ESCONTEXT(fcinfo) ((Node *) NULL)
#define VIC_ERETURN(escontext, retval, ...) \
	do { \
		(void) (escontext); \
		ereport(ERROR, __VA_ARGS__); \
		return (retval); \
	} while (0)
#define VIC_SOFT_ERROR_OCCURRED(escontext) ((void) (escontext), false)
#endif

#endif							/* VIC_COMPAT_H */
