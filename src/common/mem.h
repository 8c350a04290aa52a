/*
 * mem.h
 *		Memory and loop helpers shared by every family: the interrupt poll of
 *		long loops, overflow-checked array allocation and one 64-bit hash.
 */
#ifndef VIC_MEM_H
#define VIC_MEM_H

#include "common/vic.h"

#include "miscadmin.h"
#include "utils/memutils.h"

/*
 * Poll for query cancel and statement_timeout (57014) once every 2^16 values
 * of the loop counter i: cheap enough for the tightest loop, often enough
 * that a cancel lands within milliseconds.  (Token for token the definition
 * graph_internal.h has had, so both may be included during the move.)
 */
#define VIC_POLL_INTERRUPTS(i) \
	do { \
		if (((i) & 0xFFFF) == 0) \
			CHECK_FOR_INTERRUPTS(); \
	} while (0)

extern void vic_alloc_overflow(int64 nelem, Size elemsize) pg_attribute_noreturn();

/*
 * palloc an array of nelem elements of elemsize bytes in CurrentMemoryContext
 * (huge allocations allowed; never 0 bytes); 54000 when the size is negative
 * or exceeds MaxAllocHugeSize
 */
static inline void *
vic_alloc_array(int64 nelem, Size elemsize)
{
	if (unlikely(nelem < 0 || (elemsize > 0 && (uint64) nelem > MaxAllocHugeSize / elemsize)))
		vic_alloc_overflow(nelem, elemsize);
	return MemoryContextAllocHuge(CurrentMemoryContext, Max((Size) nelem * elemsize, 1));
}

/* vic_alloc_array, zero-filled */
static inline void *
vic_alloc_array0(int64 nelem, Size elemsize)
{
	void	   *p = vic_alloc_array(nelem, elemsize);

	memset(p, 0, Max((Size) nelem * elemsize, 1));
	return p;
}

/*
 * The finaliser of splitmix64 (Steele, Lea & Flood, "Fast splittable
 * pseudorandom number generators", OOPSLA 2014; constants of Stafford's
 * Mix13): a bijection of 64-bit words with full avalanche, for hashing ids.
 */
static inline uint64
vic_mix64(uint64 x)
{
	x ^= x >> 30;
	x *= UINT64CONST(0xbf58476d1ce4e5b9);
	x ^= x >> 27;
	x *= UINT64CONST(0x94d049bb133111eb);
	x ^= x >> 31;
	return x;
}

/* a 32-bit hash of a 64-bit key (simplehash's SH_HASH_KEY) */
static inline uint32
vic_hash64(uint64 x)
{
	return (uint32) vic_mix64(x);
}

#endif							/* VIC_MEM_H */
