/*
 * Stand-in for PostgreSQL's postgres.h, so that C unit tests (test/unit) can
 * compile a vic source file that needs only palloc, elog and ereport outside
 * a server (with miscadmin.h and lib/sort_template.h of this directory).
 * An error aborts the test program.
 */
#ifndef VIC_UNIT_POSTGRES_H
#define VIC_UNIT_POSTGRES_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t uint64;
typedef int64_t int64;
typedef int32_t int32;
typedef uint32_t uint32;
typedef uint8_t uint8;
typedef uintptr_t Datum;
typedef double float8;
typedef size_t Size;

#define INT64CONST(x)	INT64_C(x)
#define UINT64CONST(x)	UINT64_C(x)
#define PG_UINT64_MAX	UINT64_MAX
#define PG_INT64_MIN	INT64_MIN
#define PG_INT64_MAX	INT64_MAX
#define lengthof(a)	(sizeof(a) / sizeof((a)[0]))
#define Min(x, y)	((x) < (y) ? (x) : (y))
#define Max(x, y)	((x) > (y) ? (x) : (y))

#define likely(x)	__builtin_expect((x) != 0, 1)
#define unlikely(x) __builtin_expect((x) != 0, 0)
#define pg_attribute_noreturn() __attribute__((noreturn))
#define palloc(n)	malloc(n)
#define pfree(p)	free(p)
#define MCXT_ALLOC_HUGE	0x01
#define palloc_extended(n, flags)	((void) (flags), malloc(n))
#define ERROR		20
#define ereport(level, rest) \
	do { fprintf(stderr, "ereport at %s:%d\n", __FILE__, __LINE__); abort(); } while (0)
#define elog(level, ...) \
	do { fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); abort(); } while (0)

#endif
