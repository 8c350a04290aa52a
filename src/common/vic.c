/*
 * vic.c
 *		Module entry: magic block and version.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"

#include "vic.h"

PG_MODULE_MAGIC;

PG_FUNCTION_INFO_V1(vic_version);

/* vic.version(): the version the shared library was built as (from vic.control) */
Datum
vic_version(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(VIC_VERSION));
}
