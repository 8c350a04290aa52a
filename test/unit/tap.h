/*
 * tap.h
 *		What every C unit test of test/unit shares: TAP output and a
 *		fixed, portable sequence of test inputs.
 */
#ifndef VIC_UNIT_TAP_H
#define VIC_UNIT_TAP_H

#include <stdint.h>
#include <stdio.h>

static int	failed = 0;
static int	testno = 0;

/* print one TAP line */
static inline void
check(int ok, const char *what)
{
	testno++;
	if (!ok)
		failed++;
	printf("%sok %d - %s\n", ok ? "" : "not ", testno, what);
}

/* print the plan; the exit status of the test program */
static inline int
tap_done(void)
{
	printf("1..%d\n", testno);
	return failed ? 1 : 0;
}

/* xorshift64* (Vigna 2016) state; a test may reseed it */
static uint64_t rng = 0x9E3779B97F4A7C15ULL;

/* a uniform double in [lo, hi) from the fixed sequence */
static inline double
uniform(double lo, double hi)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return lo + (hi - lo) * ((rng * 0x2545F4914F6CDD1DULL) >> 11) * (1.0 / 9007199254740992.0);
}

#endif							/* VIC_UNIT_TAP_H */
