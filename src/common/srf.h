/*
 * srf.h
 *		Set-returning functions in materialize mode, set up by PostgreSQL's
 *		InitMaterializedSRF (funcapi.h) rather than hand-built descriptors.
 *
 * Call vic_srf_init (a function returning SETOF record / RETURNS TABLE / a
 * row type) or vic_srf_init_scalar (SETOF bigint and other scalars) first,
 * then emit rows with vic_srf_emit*, then return (Datum) 0.  The tuplestore
 * and descriptor live in the query's memory; an error in a context that
 * cannot take a set is PostgreSQL's own (0A000).
 */
#ifndef VIC_SRF_H
#define VIC_SRF_H

#include "common/vic.h"

#include "funcapi.h"
#include "utils/tuplestore.h"

/* materialize mode for a function returning rows (descriptor from the catalogue) */
extern ReturnSetInfo *vic_srf_init(FunctionCallInfo fcinfo);

/* materialize mode for a function returning SETOF a scalar type */
extern ReturnSetInfo *vic_srf_init_scalar(FunctionCallInfo fcinfo);

/* emit one row of values / nulls (as many as the descriptor has columns) */
static inline void
vic_srf_emit(ReturnSetInfo *rsinfo, Datum *values, bool *nulls)
{
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

/* emit one non-NULL value of a scalar SRF */
static inline void
vic_srf_emit1(ReturnSetInfo *rsinfo, Datum a)
{
	bool		isnull = false;

	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, &a, &isnull);
}

/* emit one two-column row (a, b), neither NULL */
static inline void
vic_srf_emit2(ReturnSetInfo *rsinfo, Datum a, Datum b)
{
	Datum		values[2] = {a, b};
	bool		nulls[2] = {false, false};

	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

#endif							/* VIC_SRF_H */
