/*
 * summary.h
 *		The summary contract: what every vic summary type (vic.profile,
 *		vic.graph, and those to come) shares, written once.
 *
 * A summary is a varlena whose first bytes are VicSummaryHeader: the varlena
 * length word, a version byte and a flags byte; the type's own fields follow.
 * The stored version names the on-disk layout; a value of a version this
 * build does not read is data corruption (XX001).  Binary input from a client
 * is hostile: a bad version, count or invariant there is 22P03.  A summary
 * that would exceed one varlena is 54000.  Each error has one wording,
 * whichever type raises it; typname is the SQL name ("vic.profile"), and
 * every message reads "... for type vic.profile".
 *
 * A type's aggregate keeps its state expanded (utils/expandeddatum.h); the
 * final function hands it on with vic_expanded_final.
 */
#ifndef VIC_SUMMARY_H
#define VIC_SUMMARY_H

#include "common/vic.h"

#include "lib/stringinfo.h"

/* the leading fields of every summary's on-disk form */
typedef struct VicSummaryHeader
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;		/* on-disk layout of the type */
	uint8		flags;			/* the type's own flag bits */
} VicSummaryHeader;

/* bytes of a summary that hold the common header */
#define VIC_SUMMARY_HDRSZ	(offsetof(VicSummaryHeader, flags) + sizeof(uint8))

/*
 * Compile-time proof that struct type starts with the common header, e.g.
 * VIC_SUMMARY_LAYOUT(VicProfile); at file scope.
 */
#define VIC_SUMMARY_LAYOUT(type) \
	StaticAssertDecl(offsetof(type, vl_len_) == offsetof(VicSummaryHeader, vl_len_) && \
					 offsetof(type, version) == offsetof(VicSummaryHeader, version) && \
					 offsetof(type, flags) == offsetof(VicSummaryHeader, flags), \
					 #type " does not start with VicSummaryHeader")

/* the version byte of a (detoasted) summary */
#define VIC_SUMMARY_VERSION(p)	(((const VicSummaryHeader *) (p))->version)

/*
 * XX001 unless a stored summary of typname, of total size bytes, has the
 * version this build reads (for callers that fetch only a prefix)
 */
extern void vic_check_summary_version(const void *p, Size size, uint8 version,
									  const char *typname);

/*
 * Detoast d (a stored or toasted summary; an expanded one is flattened) and
 * check its version; XX001 for a version this build does not read.
 */
extern void *vic_summary_detoast(Datum d, uint8 version, const char *typname);

/* 54000 when a summary of size bytes cannot be one varlena; hint may be NULL */
extern void vic_check_summary_size(uint64 size, const char *typname, const char *hint);

/* ---- binary receive: the message is hostile until proven otherwise ---- */

/* 22P03 "invalid binary value for type <typname>" with detail */
extern void vic_recv_fail(const char *typname, const char *detail) pg_attribute_noreturn();

/* read the version byte; 22P03 unless it is expected */
extern uint8 vic_recv_version(StringInfo buf, uint8 expected, const char *typname);

/*
 * read an int32 count of entries of entry_size bytes each; 22P03 when it is
 * negative or larger than what is left of the message
 */
extern int32 vic_recv_count(StringInfo buf, Size entry_size, const char *typname);

/* ---- aggregates over expanded states ---- */

/*
 * The aggregate's final value: an expanded state as a read-only expanded
 * pointer of its own, anything else unchanged.  See summary.c.
 */
extern Datum vic_expanded_final(Datum state);

#endif							/* VIC_SUMMARY_H */
