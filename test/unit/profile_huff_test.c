/*
 * profile_huff_test.c: C unit test of src/profile/profile_huff.h (the prefix
 * codes of the compact stored vic.profile).
 *
 * Checks the code lengths against the worked example of Cormen, Leiserson,
 * Rivest & Stein, Introduction to Algorithms, 3rd ed., 2009, sec. 16.3
 * (fig. 16.4: frequencies a 45, b 13, c 12, d 16, e 9, f 5 give a code of
 * 224 bits per 100 characters), the canonical codes against the example of
 * RFC 1951 sec. 3.2.2 (lengths 3,3,3,3,3,2,4,4 for A..H give 010, 011, 100,
 * 101, 110, 00, 1110, 1111), the length limit on Fibonacci counts (whose
 * unlimited code is as deep as it can be), Kraft's equality for random
 * counts, and round trips of symbols, integers and raw bits through the bit
 * writer, the stored lengths and the decoding table.  Prints TAP.
 */
#include "postgres.h"

#include "tap.h"

#include <math.h>

/* what profile_huff.h needs beyond the stub */
#define palloc0(n)	calloc(1, (n))
#define repalloc_huge(p, n)	realloc((p), (n))
#define pg_ntoh64(x)	__builtin_bswap64(x)
#define pg_attribute_always_inline __attribute__((always_inline)) inline

#include "../../src/profile/profile_huff.h"

/* sum of 2^-len over the present symbols, times 2^HUF_MAX_BITS */
static uint64
kraft(const uint8 *len, int n)
{
	uint64		k = 0;

	for (int s = 0; s < n; s++)
		if (len[s])
			k += UINT64CONST(1) << (HUF_MAX_BITS - len[s]);
	return k;
}

/* encode syms[0..n) of an alphabet of nsym with counts from them, decode, compare */
static bool
roundtrip(const int *syms, int n, int nsym)
{
	uint64	   *cnt = calloc(nsym, sizeof(uint64));
	uint8	   *len = calloc(nsym, 1);
	uint32	   *code = calloc(nsym, sizeof(uint32));
	HufBitW		w = {{0}};
	HufTable	t;
	HufReader	r;
	Size		pos = 0;
	int			m = 0;
	bool		ok = true;

	for (int i = 0; i < n; i++)
		cnt[syms[i]]++;
	for (int s = 0; s < nsym; s++)
		m += cnt[s] > 0;
	huf_lengths(cnt, nsym, len, huf_limit(m));
	if (!huf_codes(len, nsym, code))
		return false;
	huf_put_lengths(&w.out, len, nsym);
	for (int i = 0; i < n; i++)
	{
		huf_put(&w, code[syms[i]], len[syms[i]]);
		huf_put_long(&w, (uint64) i * UINT64CONST(0x9E3779B97F4A7C15), i % 65);
	}
	huf_flush(&w);
	if (!huf_get_table(w.out.b, w.out.len, &pos, nsym, &t))
		return false;
	huf_reader_init(&r, w.out.b + pos, w.out.len - pos);
	for (int i = 0; i < n && ok; i++)
	{
		int			nb = i % 65;
		uint64		want = (uint64) i * UINT64CONST(0x9E3779B97F4A7C15);
		uint64		got;

		huf_refill(&r);
		ok = huf_sym(&r, &t) == syms[i];
		huf_refill(&r);
		got = nb > 32 ? huf_get(&r, nb - 32) << 32 : 0;
		huf_refill(&r);
		got |= huf_get(&r, nb > 32 ? 32 : nb);
		if (nb < 64)
			want &= (UINT64CONST(1) << nb) - 1;
		ok = ok && got == want;
	}
	ok = ok && huf_reader_ok(&r);
	free(cnt);
	free(len);
	free(code);
	free(w.out.b);
	if (t.e)
		free(t.e);
	return ok;
}

int
main(void)
{
	/* CLRS fig. 16.4 */
	{
		uint64		cnt[6] = {45, 13, 12, 16, 9, 5};
		uint8		len[6];
		uint64		bits = 0;

		huf_lengths(cnt, 6, len, 11);
		for (int s = 0; s < 6; s++)
			bits += cnt[s] * len[s];
		check(bits == 224, "CLRS fig. 16.4: an optimal code takes 224 bits per 100 characters");
		check(len[0] == 1 && len[4] == 4 && len[5] == 4, "CLRS fig. 16.4: a takes 1 bit, e and f 4");
	}
	/* RFC 1951 sec. 3.2.2 */
	{
		uint8		len[8] = {3, 3, 3, 3, 3, 2, 4, 4};
		uint32		code[8];
		uint32		want[8] = {2, 3, 4, 5, 6, 0, 14, 15};
		bool		ok;

		ok = huf_codes(len, 8, code);
		for (int s = 0; s < 8; s++)
			ok = ok && code[s] == want[s];
		check(ok, "RFC 1951 3.2.2: canonical codes from lengths 3,3,3,3,3,2,4,4");
	}
	{
		uint8		len[3] = {1, 1, 1};
		uint32		code[3];

		check(!huf_codes(len, 3, code), "over-subscribed lengths are refused");
	}
	/* Fibonacci counts: the unlimited code would be 39 deep */
	{
		uint64		cnt[40];
		uint8		len[40];
		int			maxl = 0;

		cnt[0] = cnt[1] = 1;
		for (int s = 2; s < 40; s++)
			cnt[s] = cnt[s - 1] + cnt[s - 2];
		huf_lengths(cnt, 40, len, 11);
		for (int s = 0; s < 40; s++)
			maxl = len[s] > maxl ? len[s] : maxl;
		check(maxl <= 11 && kraft(len, 40) == UINT64CONST(1) << HUF_MAX_BITS,
			  "Fibonacci counts: lengths limited to 11 bits, a complete code");
	}
	/* random counts: complete codes */
	{
		bool		ok = true;

		for (int round = 0; round < 200 && ok; round++)
		{
			int			n = 2 + (int) uniform(0, 600);
			uint64	   *cnt = calloc(n, sizeof(uint64));
			uint8	   *len = calloc(n, 1);
			int			m = 0;

			for (int s = 0; s < n; s++)
			{
				cnt[s] = uniform(0, 1) < 0.3 ? 0 : (uint64) pow(10, uniform(0, 6));
				m += cnt[s] > 0;
			}
			huf_lengths(cnt, n, len, huf_limit(m));
			if (m >= 2)
				ok = kraft(len, n) == UINT64CONST(1) << HUF_MAX_BITS;
			else
				ok = m == 0 || kraft(len, n) == UINT64CONST(1) << (HUF_MAX_BITS - 1);
			free(cnt);
			free(len);
		}
		check(ok, "random counts give complete prefix codes (Kraft's equality)");
	}
	/* integer symbols */
	{
		bool		ok = true;
		uint64		vals[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 1000, 123456789,
			UINT64CONST(1) << 53, (UINT64CONST(1) << 63) - 1, UINT64CONST(1) << 63, UINT64_MAX};

		for (int i = 0; i < (int) lengthof(vals); i++)
		{
			int			nextra;
			int			sym = huf_uint_sym(vals[i], &nextra);
			uint64		extra = nextra ? vals[i] & ((UINT64CONST(1) << nextra) - 1) : 0;

			ok = ok && sym < HUF_UINT_SYMS && huf_uint_extra(sym) == nextra &&
				huf_uint_val(sym, extra) == vals[i];
		}
		for (uint64 v = 0; v < 100000; v++)
		{
			int			nextra;
			int			sym = huf_uint_sym(v, &nextra);

			ok = ok && huf_uint_val(sym, nextra ? v & ((UINT64CONST(1) << nextra) - 1) : 0) == v;
		}
		check(ok, "integers round-trip through their symbol and extra bits");
		check(huf_weight_is_uint(3.0) && !huf_weight_is_uint(-0.0) && !huf_weight_is_uint(0.5) &&
			  !huf_weight_is_uint(18446744073709551616.0) && huf_weight_is_uint(1e19),
			  "integer weights: -0, fractions and 2^64 are escaped");
	}
	/* streams */
	{
		int			n = 20000;
		int		   *syms = malloc(sizeof(int) * n);

		for (int i = 0; i < n; i++)
			syms[i] = (int) (uniform(0, 1) * uniform(0, 1) * 300);
		check(roundtrip(syms, n, 300), "20000 skewed symbols and raw bits round-trip");
		for (int i = 0; i < n; i++)
			syms[i] = 7;
		check(roundtrip(syms, 1, 300), "one symbol round-trips");
		check(roundtrip(syms, n, 300), "a lone symbol repeated round-trips (one bit each)");
		for (int i = 0; i < n; i++)
			syms[i] = (int) uniform(0, 5000);
		check(roundtrip(syms, n, 5000), "5000 equiprobable symbols (codes over 11 bits) round-trip");
		free(syms);
	}
	/* hostile lengths */
	{
		uint8		bad[] = {(3 << 1), 0, 0x11, 0x10};	/* lengths 1, 1, 1 */
		Size		pos = 0;
		HufTable	t;

		check(!huf_get_table(bad, sizeof(bad), &pos, 8, &t), "stored over-subscribed lengths are refused");
		pos = 0;
		check(!huf_get_table(bad, 2, &pos, 8, &t), "truncated stored lengths are refused");
	}
	return tap_done();
}
