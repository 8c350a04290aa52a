/*
 * summary.c
 *		The summary contract (summary.h): version, size and binary input
 *		checks with one wording each, and the final function of aggregates
 *		whose state is an expanded summary.
 */
#include "postgres.h"

#include "fmgr.h"
#include "libpq/pqformat.h"
#include "utils/expandeddatum.h"
#include "utils/memutils.h"

#include "common/summary.h"

/* XX001 unless the stored summary p (size bytes) has the version this build reads */
void
vic_check_summary_version(const void *p, Size size, uint8 version, const char *typname)
{
	if (size < VIC_SUMMARY_HDRSZ)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("stored value of type %s is truncated", typname),
				 errdetail("The value has %zu bytes, fewer than its header.", size)));
	if (VIC_SUMMARY_VERSION(p) != version)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("unsupported stored version %d for type %s", VIC_SUMMARY_VERSION(p), typname),
				 errdetail("This build of vic reads version %d.", version)));
}

/* detoast a summary datum and check its version (XX001) */
void *
vic_summary_detoast(Datum d, uint8 version, const char *typname)
{
	struct varlena *p = PG_DETOAST_DATUM(d);

	vic_check_summary_version(p, VARSIZE(p), version, typname);
	return p;
}

/* 54000 for a summary that would exceed one varlena (MaxAllocSize) */
void
vic_check_summary_size(uint64 size, const char *typname, const char *hint)
{
	if (size > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("value of type %s is too large", typname),
				 errdetail("The value would take %llu bytes; one value is limited to %zu bytes.",
						   (unsigned long long) size, (Size) MaxAllocSize),
				 hint ? errhint("%s", hint) : 0));
}

/* 22P03: a binary message that breaks the type's format or an invariant */
void
vic_recv_fail(const char *typname, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid binary value for type %s", typname),
			 errdetail("%s", detail)));
	pg_unreachable();
}

/* the version byte of a binary message; 22P03 unless it is expected */
uint8
vic_recv_version(StringInfo buf, uint8 expected, const char *typname)
{
	int			version = pq_getmsgbyte(buf);

	if (version != expected)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported binary format version %d for type %s", version, typname),
				 errdetail("This build of vic reads version %d.", expected)));
	return (uint8) version;
}

/* a count of entries of entry_size bytes that must fit in the rest of the message */
int32
vic_recv_count(StringInfo buf, Size entry_size, const char *typname)
{
	int32		n = (int32) pq_getmsgint(buf, 4);

	if (n < 0 || (uint64) n * entry_size > (uint64) (buf->len - buf->cursor))
		vic_recv_fail(typname, "A count is negative or larger than the rest of the message.");
	return n;
}

/*
 * Final function of an aggregate whose state is an expanded summary: the
 * state as a read-only expanded pointer of its own, allocated in the current
 * memory context.  PostgreSQL 15 copies an aggregate result that is not a
 * chunk of the current context (finalize_aggregate, datumCopy), and copying
 * an expanded object means flattening it; a fresh read-only pointer to the
 * same object is such a chunk, so functions applied to the aggregate read the
 * expanded object directly and only storing the value flattens it.  The
 * object itself stays where the state lives, in the aggregate's memory
 * context (PostgreSQL 16 returns states without the copy).  A flat state is
 * returned as it is.
 */
Datum
vic_expanded_final(Datum state)
{
	if (VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(state)))
	{
		ExpandedObjectHeader *eoh = DatumGetEOHP(state);
		varattrib_1b_e *ptr = palloc(EXPANDED_POINTER_SIZE);

		SET_VARTAG_EXTERNAL(ptr, VARTAG_EXPANDED_RO);
		memcpy(VARDATA_EXTERNAL(ptr), &eoh, sizeof(eoh));
		return PointerGetDatum(ptr);
	}
	return state;
}
