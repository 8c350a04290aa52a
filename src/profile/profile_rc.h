/*
 * profile_rc.h
 *		The entropy coder of the compact stored vic.profile (version 2): an
 *		adaptive binary range coder, and the codings of unsigned integers and
 *		weights built on it.
 *
 * The range coder is the carry-less one of LZMA (Pavlov, LZMA SDK, 1999-
 * 2013, public domain; the idea is Martin's, "Range encoding: an algorithm
 * for removing redundancy from a digitised message", 1979): a 32-bit range,
 * a 64-bit low whose 33rd bit carries into a cached byte, renormalised a
 * byte at a time.  Each binary decision has its own probability, adapted
 * after every use with a step that shrinks from 1/2 to 1/128 as the
 * decision is seen more often (close to a counting estimator while there is
 * little evidence, then a window of about 128 uses).
 *
 * An unsigned integer is coded as its bit length (a 7-bit tree of
 * decisions), then the first four bits after its leading one (a tree per
 * length), then its remaining bits uncoded: the codings of gaps between
 * member ids, industry indexes and integer-valued weights.  Every model
 * starts from the same state, so the same values always give the same
 * bytes.  Needs only postgres.h-level definitions (the unit test
 * test/unit/profile_rc_test.c compiles it standalone).
 */
#ifndef VIC_PROFILE_RC_H
#define VIC_PROFILE_RC_H

#define RC_PROB_BITS	15
#define RC_PROB_INIT	(1 << (RC_PROB_BITS - 1))
#define RC_TOP			(1u << 24)
#define RC_MANT_BITS	4		/* coded bits after an integer's leading one */
#define RC_UINT_ESCAPE	127		/* bit-length symbol of a raw 64-bit value */

/* the probability (of a 0, in 1/2^15) of one binary decision, and its uses */
typedef struct RcProb
{
	uint16		p;
	uint16		n;
} RcProb;

/* the models of one coded unsigned integer field */
typedef struct RcUint
{
	RcProb		len[128];		/* bit-length tree */
	RcProb		mant[65][1 << RC_MANT_BITS];	/* leading bits, by length */
} RcUint;

/* the growing output of an encoder */
typedef struct RcEnc
{
	uint64		low;
	uint32		range;
	uint8		cache;
	uint64		cache_size;
	uint8	   *buf;
	Size		len;
	Size		cap;
} RcEnc;

typedef struct RcDec
{
	uint32		range;
	uint32		code;
	const uint8 *buf;
	Size		pos;
	Size		len;
	bool		overrun;		/* read beyond the end: the stream is corrupt */
} RcDec;

/* adaptation shift after n uses: about log2(n + 2), at most 7 */
static inline int
rc_shift(int n)
{
	static const uint8 s[16] = {1, 2, 2, 2, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4};

	if (n < 16)
		return s[n];
	if (n < 45)
		return 5;
	if (n < 90)
		return 6;
	return 7;
}

static inline void
rc_probs_init(RcProb *p, int n)
{
	for (int i = 0; i < n; i++)
	{
		p[i].p = RC_PROB_INIT;
		p[i].n = 0;
	}
}

static inline void
rc_uint_init(RcUint *m)
{
	rc_probs_init(m->len, 128);
	rc_probs_init(&m->mant[0][0], 65 << RC_MANT_BITS);
}

/* adapt a probability to the decision just coded */
static inline void
rc_adapt(RcProb *pr, int bit)
{
	int			s = rc_shift(pr->n);

	if (bit)
		pr->p -= pr->p >> s;
	else
		pr->p += ((1 << RC_PROB_BITS) - pr->p) >> s;
	if (pr->n < 127)
		pr->n++;
}

/* ---- encoder ---- */

static inline void
rc_enc_init(RcEnc *e, Size cap)
{
	e->low = 0;
	e->range = 0xFFFFFFFFu;
	e->cache = 0;
	e->cache_size = 1;
	e->cap = cap < 64 ? 64 : cap;
	e->buf = palloc_extended(e->cap, MCXT_ALLOC_HUGE);
	e->len = 0;
}

static inline void
rc_put(RcEnc *e, uint8 b)
{
	if (unlikely(e->len == e->cap))
	{
		if (e->cap >= MaxAllocHugeSize / 2)
			elog(ERROR, "compact profile stream too large");
		e->cap *= 2;
		e->buf = repalloc_huge(e->buf, e->cap);
	}
	e->buf[e->len++] = b;
}

static inline void
rc_shift_low(RcEnc *e)
{
	if ((uint32) e->low < 0xFF000000u || (e->low >> 32) != 0)
	{
		uint8		carry = (uint8) (e->low >> 32);
		uint8		temp = e->cache;

		do
		{
			rc_put(e, (uint8) (temp + carry));
			temp = 0xFF;
		} while (--e->cache_size != 0);
		e->cache = (uint8) ((uint32) e->low >> 24);
	}
	e->cache_size++;
	e->low = (uint64) ((uint32) e->low << 8);
}

static inline void
rc_enc_bit(RcEnc *e, RcProb *pr, int bit)
{
	uint32		bound = (e->range >> RC_PROB_BITS) * pr->p;

	if (bit)
	{
		e->low += bound;
		e->range -= bound;
	}
	else
		e->range = bound;
	rc_adapt(pr, bit);
	while (e->range < RC_TOP)
	{
		e->range <<= 8;
		rc_shift_low(e);
	}
}

/* nbits (<= 64) equiprobable bits of v, most significant first */
static inline void
rc_enc_direct(RcEnc *e, uint64 v, int nbits)
{
	while (nbits-- > 0)
	{
		e->range >>= 1;
		if ((v >> nbits) & 1)
			e->low += e->range;
		while (e->range < RC_TOP)
		{
			e->range <<= 8;
			rc_shift_low(e);
		}
	}
}

/* v (< 2^nbits) through a tree of decisions probs[1 .. 2^nbits) */
static inline void
rc_enc_tree(RcEnc *e, RcProb *probs, uint32 v, int nbits)
{
	uint32		idx = 1;

	while (nbits-- > 0)
	{
		int			bit = (v >> nbits) & 1;

		rc_enc_bit(e, &probs[idx], bit);
		idx = (idx << 1) | bit;
	}
}

/* an unsigned integer: bit length, leading bits, the rest uncoded */
static inline void
rc_enc_uint(RcEnc *e, RcUint *m, uint64 v)
{
	int			nb = v ? 64 - __builtin_clzll(v) : 0;

	rc_enc_tree(e, m->len, nb, 7);
	if (nb >= 2)
	{
		int			nbits = nb - 1;
		int			top = nbits < RC_MANT_BITS ? nbits : RC_MANT_BITS;
		uint64		rest = v & ((UINT64CONST(1) << nbits) - 1);

		rc_enc_tree(e, m->mant[nb], (uint32) (rest >> (nbits - top)), top);
		rc_enc_direct(e, rest, nbits - top);
	}
}

/*
 * a weight: an integer value in [0, 2^64) (not -0) as rc_enc_uint, anything
 * else as the escape symbol and its 64 bits
 */
static inline void
rc_enc_weight(RcEnc *e, RcUint *m, float8 w)
{
	if (w >= 0 && w < 18446744073709551616.0 && w == floor(w) && !(w == 0 && signbit(w)))
		rc_enc_uint(e, m, (uint64) w);
	else
	{
		uint64		bits;

		memcpy(&bits, &w, sizeof(bits));
		rc_enc_tree(e, m->len, RC_UINT_ESCAPE, 7);
		rc_enc_direct(e, bits, 64);
	}
}

/* flush the coder; the stream is e->buf[0 .. e->len) */
static inline void
rc_enc_finish(RcEnc *e)
{
	for (int i = 0; i < 5; i++)
		rc_shift_low(e);
}

/* ---- decoder ---- */

static inline uint8
rc_get(RcDec *d)
{
	if (likely(d->pos < d->len))
		return d->buf[d->pos++];
	d->overrun = true;
	return 0;
}

static inline void
rc_dec_init(RcDec *d, const uint8 *buf, Size len)
{
	d->buf = buf;
	d->len = len;
	d->pos = 0;
	d->overrun = false;
	d->range = 0xFFFFFFFFu;
	d->code = 0;
	for (int i = 0; i < 5; i++)
		d->code = (d->code << 8) | rc_get(d);
}

static inline int
rc_dec_bit(RcDec *d, RcProb *pr)
{
	uint32		bound = (d->range >> RC_PROB_BITS) * pr->p;
	int			bit;

	if (d->code < bound)
	{
		d->range = bound;
		bit = 0;
	}
	else
	{
		d->code -= bound;
		d->range -= bound;
		bit = 1;
	}
	rc_adapt(pr, bit);
	while (d->range < RC_TOP)
	{
		d->range <<= 8;
		d->code = (d->code << 8) | rc_get(d);
	}
	return bit;
}

static inline uint64
rc_dec_direct(RcDec *d, int nbits)
{
	uint64		v = 0;

	while (nbits-- > 0)
	{
		d->range >>= 1;
		if (d->code >= d->range)
		{
			d->code -= d->range;
			v = (v << 1) | 1;
		}
		else
			v <<= 1;
		while (d->range < RC_TOP)
		{
			d->range <<= 8;
			d->code = (d->code << 8) | rc_get(d);
		}
	}
	return v;
}

static inline uint32
rc_dec_tree(RcDec *d, RcProb *probs, int nbits)
{
	uint32		idx = 1;

	for (int i = 0; i < nbits; i++)
		idx = (idx << 1) | rc_dec_bit(d, &probs[idx]);
	return idx - (1u << nbits);
}

/* the value of rc_enc_uint; *escape is set for the escape symbol (or a bad length) */
static inline uint64
rc_dec_uint_sym(RcDec *d, RcUint *m, int nb)
{
	int			nbits;
	int			top;
	uint64		hi;

	if (nb < 2)
		return (uint64) nb;
	nbits = nb - 1;
	top = nbits < RC_MANT_BITS ? nbits : RC_MANT_BITS;
	hi = rc_dec_tree(d, m->mant[nb], top);
	return (UINT64CONST(1) << nbits) | (hi << (nbits - top)) | rc_dec_direct(d, nbits - top);
}

/* an unsigned integer; false when the stream holds no valid one */
static inline bool
rc_dec_uint(RcDec *d, RcUint *m, uint64 *v)
{
	int			nb = (int) rc_dec_tree(d, m->len, 7);

	if (nb > 64)
		return false;
	*v = rc_dec_uint_sym(d, m, nb);
	return true;
}

/* a weight of rc_enc_weight; false when the stream holds no valid one */
static inline bool
rc_dec_weight(RcDec *d, RcUint *m, float8 *w)
{
	int			nb = (int) rc_dec_tree(d, m->len, 7);

	if (nb == RC_UINT_ESCAPE)
	{
		uint64		bits = rc_dec_direct(d, 64);

		memcpy(w, &bits, sizeof(bits));
		return true;
	}
	if (nb > 64)
		return false;
	*w = (float8) rc_dec_uint_sym(d, m, nb);
	return true;
}

#endif							/* VIC_PROFILE_RC_H */
