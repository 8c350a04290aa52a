/*
 * profile_huff.h
 *		The entropy coder of the compact stored vic.profile (version 2):
 *		canonical prefix codes (Huffman, "A method for the construction of
 *		minimum-redundancy codes", Proc. IRE 40(9), 1952), one per field of a
 *		profile, built from that profile's own symbol counts, with their
 *		code lengths stored in front of the bit stream as in DEFLATE (RFC
 *		1951, sec. 3.2.2: canonical codes are given by their lengths alone).
 *
 * Unsigned integers (gaps between ids, industry indexes, integer-valued
 * weights) are coded as a symbol that holds their bit length and the two
 * bits after their leading one, followed by their remaining bits uncoded
 * (the "extra bits" of DEFLATE's length and distance codes).  Decoding is
 * one table lookup per symbol.  Bits are written most significant first.
 * Needs postgres.h-level definitions, <math.h> and pg_ntoh64 (port/pg_bswap.h)
 * only, so that test/unit/profile_huff_test.c compiles it standalone.
 */
#ifndef VIC_PROFILE_HUFF_H
#define VIC_PROFILE_HUFF_H

#define HUF_UINT_SYMS	252		/* symbols of an unsigned integer */
#define HUF_ESCAPE		252		/* a weight that is not an integer: 64 raw bits */
#define HUF_WEIGHT_SYMS 253
#define HUF_MAX_BITS	24		/* longest code of any alphabet */

/* ---- bytes ---- */

typedef struct HufBytes
{
	uint8	   *b;
	Size		len;
	Size		cap;
} HufBytes;

static inline void
huf_reserve(HufBytes *bb, Size n)
{
	if (bb->len + n > bb->cap)
	{
		Size		cap = bb->cap * 2 > bb->len + n + 64 ? bb->cap * 2 : bb->len + n + 64;

		bb->b = bb->b ? repalloc_huge(bb->b, cap) : palloc_extended(cap, MCXT_ALLOC_HUGE);
		bb->cap = cap;
	}
}

static inline void
huf_varint(HufBytes *bb, uint64 v)
{
	huf_reserve(bb, 10);
	while (v >= 0x80)
	{
		bb->b[bb->len++] = (uint8) (v | 0x80);
		v >>= 7;
	}
	bb->b[bb->len++] = (uint8) v;
}

/* read a varint of huf_varint at b[*pos] (of len bytes); false when there is none */
static inline bool
huf_get_varint(const uint8 *b, Size len, Size *pos, uint64 *v)
{
	*v = 0;
	for (int shift = 0; shift <= 63; shift += 7)
	{
		uint8		c;

		if (*pos >= len)
			return false;
		c = b[(*pos)++];
		*v |= (uint64) (c & 0x7F) << shift;
		if (!(c & 0x80))
			return true;
	}
	return false;
}

/* ---- symbols of unsigned integers ---- */

/* the symbol of v and its number of extra bits */
static inline int
huf_uint_sym(uint64 v, int *nextra)
{
	int			nb;

	if (v < 4)
	{
		*nextra = 0;
		return (int) v;
	}
	nb = 64 - __builtin_clzll(v);
	*nextra = nb - 3;
	return 4 + (nb - 3) * 4 + (int) ((v >> (nb - 3)) & 3);
}

/* v from its symbol (< HUF_UINT_SYMS) and extra bits */
static inline uint64
huf_uint_val(int sym, uint64 extra)
{
	int			k;

	if (sym < 4)
		return (uint64) sym;
	k = sym - 4;
	return ((uint64) (4 | (k & 3)) << (k / 4)) | extra;
}

static inline int
huf_uint_extra(int sym)
{
	return sym < 4 ? 0 : (sym - 4) / 4;
}

/* is w a weight coded as an integer: in [0, 2^64), integral, not -0 */
static inline bool
huf_weight_is_uint(float8 w)
{
	return w >= 0 && w < 18446744073709551616.0 && w == floor(w) && !(w == 0 && signbit(w));
}

/* ---- code construction ---- */

/*
 * Code lengths len[0..n) of a prefix code for symbol counts cnt[0..n)
 * (0 for absent symbols), at most `limit` bits.  Huffman's construction by
 * two queues over the leaves sorted by (count, symbol), so that equal
 * counts always give the same code; while the longest code exceeds the
 * limit, the counts are halved (rounding up) and the code rebuilt.  A lone
 * symbol gets one bit.
 */
static inline void
huf_lengths(const uint64 *cnt_in, int n, uint8 *len, int limit)
{
	int			m = 0;
	int		   *leaf = palloc(sizeof(int) * (n > 0 ? n : 1));
	uint64	   *cnt = palloc(sizeof(uint64) * (n > 0 ? n : 1));
	uint64	   *w;
	int		   *parent;
	uint8	   *depth;

	if (n > 0)
		memset(len, 0, (Size) n);
	for (int s = 0; s < n; s++)
	{
		cnt[s] = cnt_in[s];
		if (cnt[s] > 0)
			leaf[m++] = s;
	}
	if (m == 1)
		len[leaf[0]] = 1;
	if (m <= 1)
	{
		pfree(leaf);
		pfree(cnt);
		return;
	}
	w = palloc(sizeof(uint64) * 2 * m);
	parent = palloc(sizeof(int) * 2 * m);
	depth = palloc(2 * m);
	for (;;)
	{
		int			q1 = 0;		/* next leaf */
		int			q2 = m;		/* next internal node */
		int			next = m;	/* internal nodes are m .. 2m-2 */
		int			maxd = 0;

		/* leaves by (count, symbol): insertion sort is fine for few symbols */
		for (int i = 1; i < m; i++)
		{
			int			s = leaf[i];
			int			j = i - 1;

			while (j >= 0 && (cnt[leaf[j]] > cnt[s] || (cnt[leaf[j]] == cnt[s] && leaf[j] > s)))
			{
				leaf[j + 1] = leaf[j];
				j--;
			}
			leaf[j + 1] = s;
		}
		for (int i = 0; i < m; i++)
			w[i] = cnt[leaf[i]];
		while (next < 2 * m - 1)
		{
			int			pick[2];

			for (int k = 0; k < 2; k++)
			{
				if (q1 < m && (q2 >= next || w[q1] <= w[q2]))
					pick[k] = q1++;
				else
					pick[k] = q2++;
			}
			w[next] = w[pick[0]] + w[pick[1]];
			parent[pick[0]] = parent[pick[1]] = next;
			next++;
		}
		depth[2 * m - 2] = 0;
		for (int i = 2 * m - 3; i >= 0; i--)
		{
			depth[i] = depth[parent[i]] + 1;
			if (i < m && depth[i] > maxd)
				maxd = depth[i];
		}
		if (maxd <= limit)
		{
			for (int i = 0; i < m; i++)
				len[leaf[i]] = depth[i];
			break;
		}
		for (int i = 0; i < m; i++)
			cnt[leaf[i]] = (cnt[leaf[i]] + 1) >> 1;
	}
	pfree(w);
	pfree(parent);
	pfree(depth);
	pfree(leaf);
	pfree(cnt);
}

/*
 * Canonical codes from lengths (RFC 1951, sec. 3.2.2); false when the
 * lengths are not those of a prefix code (over-subscribed)
 */
static inline bool
huf_codes(const uint8 *len, int n, uint32 *code)
{
	uint32		count[HUF_MAX_BITS + 1] = {0};
	uint32		next[HUF_MAX_BITS + 2];
	uint64		c = 0;

	for (int s = 0; s < n; s++)
		count[len[s]]++;
	count[0] = 0;
	for (int b = 1; b <= HUF_MAX_BITS; b++)
	{
		c = (c + count[b - 1]) << 1;
		next[b] = (uint32) c;
		if (c + count[b] > ((uint64) 1 << b))
			return false;
	}
	for (int s = 0; s < n; s++)
		code[s] = len[s] ? next[len[s]]++ : 0;
	return true;
}

/* the longest code bits an alphabet of m present symbols may use */
static inline int
huf_limit(int m)
{
	int			b = 0;

	while (b < HUF_MAX_BITS && (1 << b) < m)
		b++;
	return b + 1 > 11 ? b + 1 : 11;
}

/*
 * store the lengths len[0..n): the first and the number of symbols from the
 * first to the last present one, then their lengths in 5 bits each (a byte
 * holds the lengths of two symbols when all are below 16)
 */
static inline void
huf_put_lengths(HufBytes *bb, const uint8 *len, int n)
{
	int			first = 0;
	int			last = n - 1;
	bool		nibbles = true;

	while (first < n && len[first] == 0)
		first++;
	while (last >= first && len[last] == 0)
		last--;
	if (first > last)
	{
		huf_varint(bb, 0);
		return;
	}
	for (int s = first; s <= last; s++)
		if (len[s] > 15)
			nibbles = false;
	huf_varint(bb, (uint64) (last - first + 1) << 1 | (nibbles ? 0 : 1));
	huf_varint(bb, (uint64) first);
	huf_reserve(bb, last - first + 1);
	if (nibbles)
	{
		for (int s = first; s <= last; s += 2)
			bb->b[bb->len++] = (uint8) (len[s] << 4 | (s + 1 <= last ? len[s + 1] : 0));
	}
	else
	{
		for (int s = first; s <= last; s++)
			bb->b[bb->len++] = len[s];
	}
}

/* ---- bit output ---- */

typedef struct HufBitW
{
	HufBytes	out;
	uint64		acc;
	int			nacc;
} HufBitW;

/* nbits (<= 32) low bits of v */
static inline void
huf_put(HufBitW *w, uint64 v, int nbits)
{
	w->acc = (w->acc << nbits) | (v & ((UINT64CONST(1) << nbits) - 1));
	w->nacc += nbits;
	if (w->nacc >= 32)
	{
		huf_reserve(&w->out, 8);
		while (w->nacc >= 8)
		{
			w->nacc -= 8;
			w->out.b[w->out.len++] = (uint8) (w->acc >> w->nacc);
		}
	}
}

/* nbits (<= 64) low bits of v */
static inline void
huf_put_long(HufBitW *w, uint64 v, int nbits)
{
	if (nbits > 32)
	{
		huf_put(w, v >> 32, nbits - 32);
		nbits = 32;
	}
	huf_put(w, v, nbits);
}

static inline void
huf_flush(HufBitW *w)
{
	huf_reserve(&w->out, 8);
	while (w->nacc >= 8)
	{
		w->nacc -= 8;
		w->out.b[w->out.len++] = (uint8) (w->acc >> w->nacc);
	}
	if (w->nacc > 0)
		w->out.b[w->out.len++] = (uint8) (w->acc << (8 - w->nacc));
	w->nacc = 0;
}

/* ---- decoding ---- */

typedef struct HufReader
{
	const uint8 *b;
	Size		pos;			/* next byte to load */
	Size		len;
	uint64		acc;			/* bits, most significant first */
	int			nacc;
	uint64		consumed;		/* bits read */
} HufReader;

static inline void
huf_reader_init(HufReader *r, const uint8 *b, Size len)
{
	r->b = b;
	r->pos = 0;
	r->len = len;
	r->acc = 0;
	r->nacc = 0;
	r->consumed = 0;
}

/* at least 57 bits in acc (zeros beyond the end of the stream) */
static pg_attribute_always_inline void
huf_refill(HufReader *r)
{
	if (likely(r->pos + 8 <= r->len))
	{
		uint64		v;

		memcpy(&v, r->b + r->pos, 8);
		v = pg_ntoh64(v);
		r->acc |= v >> r->nacc;
		r->pos += (63 - r->nacc) >> 3;
		r->nacc |= 56;
		return;
	}
	while (r->nacc <= 56)
	{
		uint64		c = r->pos < r->len ? r->b[r->pos] : 0;

		r->pos++;
		r->acc |= c << (56 - r->nacc);
		r->nacc += 8;
	}
}

/* nbits (<= 56, after a refill) bits */
static pg_attribute_always_inline uint64
huf_get(HufReader *r, int nbits)
{
	uint64		v;

	if (nbits == 0)
		return 0;
	v = r->acc >> (64 - nbits);
	r->acc <<= nbits;
	r->nacc -= nbits;
	r->consumed += nbits;
	return v;
}

/* did the reads stay within the stream? */
static inline bool
huf_reader_ok(const HufReader *r)
{
	return r->consumed <= (uint64) r->len * 8;
}

/* a decoding table: entry = symbol << 8 | length, by the next `bits` bits */
typedef struct HufTable
{
	uint32	   *e;
	int			bits;
	int			nsym;
} HufTable;

/*
 * read lengths stored by huf_put_lengths for an alphabet of n symbols and
 * build the decoding table; false when they are not valid
 */
static inline bool
huf_get_table(const uint8 *b, Size blen, Size *pos, int n, HufTable *t)
{
	uint64		v = 0;
	uint64		count;
	uint64		first;
	bool		nibbles;
	uint8	   *len;
	uint32	   *code;
	int			maxlen = 0;

	t->e = NULL;
	t->bits = 0;
	t->nsym = n;
	if (!huf_get_varint(b, blen, pos, &v))
		return false;
	if (v == 0)
		return true;			/* no symbols */
	count = v >> 1;
	nibbles = (v & 1) == 0;
	if (!huf_get_varint(b, blen, pos, &first))
		return false;
	if (first >= (uint64) n || count > (uint64) n - first)
		return false;
	if ((uint64) (blen - *pos) < (nibbles ? (count + 1) / 2 : count))
		return false;
	len = palloc0(n);
	for (uint64 i = 0; i < count; i++)
	{
		uint8		l = nibbles ? (uint8) ((i & 1) ? b[*pos + i / 2] & 15 : b[*pos + i / 2] >> 4) :
			b[*pos + i];

		if (l > HUF_MAX_BITS)
		{
			pfree(len);
			return false;
		}
		len[first + i] = l;
		if (l > maxlen)
			maxlen = l;
	}
	*pos += nibbles ? (count + 1) / 2 : count;
	code = palloc(sizeof(uint32) * n);
	if (maxlen == 0 || !huf_codes(len, n, code))
	{
		pfree(len);
		pfree(code);
		return false;
	}
	/* unused table entries (an incomplete code) decode to length 0: invalid */
	t->bits = maxlen;
	t->e = palloc0(sizeof(uint32) << maxlen);
	for (int s = 0; s < n; s++)
	{
		if (len[s] == 0)
			continue;
		for (uint32 k = code[s] << (maxlen - len[s]); k < (code[s] + 1) << (maxlen - len[s]); k++)
			t->e[k] = (uint32) s << 8 | len[s];
	}
	pfree(len);
	pfree(code);
	return true;
}

/* the next symbol (after a refill); -1 when the bits are no code of t */
static pg_attribute_always_inline int
huf_sym(HufReader *r, const HufTable *t)
{
	uint32		e;

	if (unlikely(t->e == NULL))
		return -1;
	e = t->e[r->acc >> (64 - t->bits)];
	if (unlikely((e & 0xFF) == 0))
		return -1;
	(void) huf_get(r, (int) (e & 0xFF));
	return (int) (e >> 8);
}

static inline void
huf_table_free(HufTable *t)
{
	if (t->e)
		pfree(t->e);
}

#endif							/* VIC_PROFILE_HUFF_H */
