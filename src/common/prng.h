/*
 * prng.h
 *		Seeded shuffles and samples over pg_prng (common/pg_prng.h,
 *		xoroshiro128**), so that a function given the same seed returns the
 *		same result on every platform and every run.
 *
 * Draws use pg_prng_uint64_range, which is unbiased (rejection sampling), so
 * every permutation and every k-subset is equally likely.
 */
#ifndef VIC_PRNG_H
#define VIC_PRNG_H

#include "common/vic.h"

#include "common/pg_prng.h"

/* seed a generator from a user's bigint seed */
static inline void
vic_prng_seed(pg_prng_state *prng, int64 seed)
{
	pg_prng_seed(prng, (uint64) seed);
}

/*
 * Shuffle a[0..n-1] in place, uniformly: Fisher-Yates from the top (Knuth,
 * TAOCP vol. 2, 3rd ed. 1997, 3.4.2, Algorithm P), one draw per position.
 */
static inline void
vic_shuffle_int32(int32 *a, int32 n, pg_prng_state *prng)
{
	for (int32 i = n - 1; i > 0; i--)
	{
		int32		j = (int32) pg_prng_uint64_range(prng, 0, (uint64) i);
		int32		t = a[i];

		a[i] = a[j];
		a[j] = t;
	}
}

/*
 * Move a uniform random k-subset of a[0..n-1] to a[0..k-1], in random order,
 * with k draws: the first k steps of Fisher-Yates from the bottom (Durstenfeld
 * 1964; Knuth, 3.4.2, Algorithm P).  k >= n shuffles nothing and keeps all.
 */
static inline void
vic_sample_int32(int32 *a, int32 n, int32 k, pg_prng_state *prng)
{
	if (k >= n)
		return;
	for (int32 i = 0; i < k; i++)
	{
		int32		j = i + (int32) pg_prng_uint64_range(prng, 0, (uint64) (n - 1 - i));
		int32		t = a[i];

		a[i] = a[j];
		a[j] = t;
	}
}

#endif							/* VIC_PRNG_H */
