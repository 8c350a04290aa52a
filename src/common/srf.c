/*
 * srf.c
 *		Materialize-mode set-returning functions (srf.h).
 */
#include "postgres.h"

#include "common/srf.h"

/*
 * Materialize mode with the descriptor of the function's declared row type
 * (OUT parameters, RETURNS TABLE or a composite type).
 */
ReturnSetInfo *
vic_srf_init(FunctionCallInfo fcinfo)
{
	InitMaterializedSRF(fcinfo, 0);
	return (ReturnSetInfo *) fcinfo->resultinfo;
}

/*
 * Materialize mode for SETOF a scalar: get_call_result_type gives no row
 * type then, so the one-column descriptor the executor expects is used (it
 * provides one both in FROM and in a target list).
 */
ReturnSetInfo *
vic_srf_init_scalar(FunctionCallInfo fcinfo)
{
	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	return (ReturnSetInfo *) fcinfo->resultinfo;
}
