/*
 * profile_compact.c
 *		The compact stored form of vic.profile (version 2): encoding a
 *		profile's tables and members, and decoding them back into the wide
 *		form (version 1's layout, profile.h) that every reader uses.
 *
 * Layout of a version-2 value: the header of profile.h (every count and sum
 * as in version 1), a directory of three stream lengths, then
 *	 - the tables: the industry table (code gaps as varints, weights as
 *	   "weight varints") and the region table (name length + 1, or 0 for the
 *	   NULL region, the name bytes, the weight), byte-coded so that metrics
 *	   reading industry or region shares decode them at memory speed;
 *	 - the cells, range coded (profile_rc.h): per cell the gap to the
 *	   previous cell's region, its industry as an index into the industry
 *	   table (the gap to the previous index within a region), its weight;
 *	 - the members, range coded: per entry the gap to the previous id, the
 *	   located bit, the industry as an index into the industry table (none
 *	   for a membership tally, whose codes are 0), the weight;
 *	 - the further parts of exact sums, as in version 1 (16 bytes each,
 *	   unaligned).
 * The streams come in the order the readers need them: a metric of the
 * industry or region table fetches (and, for a toasted value, decompresses)
 * the header and the tables; one of the cells adds the cell stream; only
 * readers of members decode the member stream.  Encoding is deterministic,
 * so the compact form is as canonical as the wide one.
 *
 * A "weight varint" is an integer-valued weight w in [0, 2^53] (not -0)
 * as the LEB128 varint of 2w, anything else a 0x01 byte and the 8 bytes of
 * the float8.
 */
#include "postgres.h"

#include <math.h>

#include "access/detoast.h"
#include "access/parallel.h"
#include "utils/memutils.h"

#include "common/mem.h"
#include "profile.h"
#include "profile_rc.h"

/* lengths of the streams of a version-2 value, after the header */
typedef struct VicProfileDir
{
	int32		tables_len;
	int32		cells_len;
	int32		members_len;
	int32		pad;
} VicProfileDir;

#define VIC_COMPACT_DATA	(VIC_PROFILE_HDRSZ + sizeof(VicProfileDir))

StaticAssertDecl(VIC_PROFILE_HDRSZ % 8 == 0, "the profile header is not 8-byte aligned");

/* XX001: a stored compact value whose streams do not decode */
static void
compact_corrupt(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("stored value of type %s is corrupt", VIC_PROFILE_TYPNAME),
			 errdetail("Its %s do not decode.", what)));
}

/* ---- byte-coded tables ---- */

typedef struct ByteBuf
{
	uint8	   *b;
	Size		len;
	Size		cap;
} ByteBuf;

static void
bb_reserve(ByteBuf *bb, Size n)
{
	if (bb->len + n > bb->cap)
	{
		Size		cap = Max(bb->cap * 2, bb->len + n + 64);

		bb->b = bb->b ? repalloc_huge(bb->b, cap) : palloc_extended(cap, MCXT_ALLOC_HUGE);
		bb->cap = cap;
	}
}

static void
bb_varint(ByteBuf *bb, uint64 v)
{
	bb_reserve(bb, 10);
	while (v >= 0x80)
	{
		bb->b[bb->len++] = (uint8) (v | 0x80);
		v >>= 7;
	}
	bb->b[bb->len++] = (uint8) v;
}

static void
bb_bytes(ByteBuf *bb, const void *p, Size n)
{
	bb_reserve(bb, n);
	memcpy(bb->b + bb->len, p, n);
	bb->len += n;
}

static void
bb_weight(ByteBuf *bb, float8 w)
{
	if (w >= 0 && w <= 9007199254740992.0 && w == floor(w) && !(w == 0 && signbit(w)))
		bb_varint(bb, (uint64) w << 1);
	else
	{
		bb_reserve(bb, 9);
		bb->b[bb->len++] = 0x01;
		bb_bytes(bb, &w, sizeof(w));
	}
}

/* a reader of the byte-coded tables; every read checks the bounds */
typedef struct ByteRd
{
	const uint8 *b;
	Size		pos;
	Size		len;
} ByteRd;

static inline uint64
br_varint(ByteRd *r)
{
	uint64		v = 0;
	int			shift = 0;

	for (;;)
	{
		uint8		c;

		if (unlikely(r->pos >= r->len || shift > 63))
			compact_corrupt("tables");
		c = r->b[r->pos++];
		v |= (uint64) (c & 0x7F) << shift;
		if (!(c & 0x80))
			return v;
		shift += 7;
	}
}

static inline float8
br_weight(ByteRd *r)
{
	uint64		v = br_varint(r);
	float8		w;

	if (!(v & 1))
		return (float8) (v >> 1);
	if (v != 1 || r->len - r->pos < sizeof(w))
		compact_corrupt("tables");
	memcpy(&w, r->b + r->pos, sizeof(w));
	r->pos += sizeof(w);
	return w;
}

/* ---- encoding ---- */

/* index of code in the industry table ind[0..n), or -1 */
static inline int
industry_index(const VicProfileIndustry *ind, int n, int64 code)
{
	int			lo = 0;
	int			hi = n - 1;

	while (lo <= hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (ind[mid].code == code)
			return mid;
		if (ind[mid].code < code)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* bits of an index into a table of n entries */
static inline int
index_bits(int n)
{
	int			b = 0;

	while (b < 31 && (1 << b) < n)
		b++;
	return b;
}

/*
 * The version-2 value of a profile given by its wide header and tables t
 * (profile.h), its members m[0 .. t->nmembers) and the further parts of its
 * exact sums parts[0 .. t->nparts), palloc'd in the current context.
 */
VicProfile *
profile_compact_encode(const VicProfile *t, const VicProfileMember *m,
					   const VicProfileSumPart *parts)
{
	const VicProfileIndustry *ind = PROFILE_INDUSTRIES(t);
	const VicProfileRegion *reg = PROFILE_REGIONS(t);
	const VicProfileCell *cell = PROFILE_CELLS(t);
	const char *pool = PROFILE_POOL(t);
	bool		tally = (t->flags & VIC_PROFILE_TALLY) != 0;
	int			ibits = index_bits(t->nindustries);
	ByteBuf		tb = {0};
	RcEnc		ce;
	RcEnc		me;
	RcUint	   *um;
	RcProb	   *iprobs;
	RcProb		located[2];
	uint64		size;
	VicProfile *p;
	VicProfileDir dir;
	char	   *out;

	um = palloc(sizeof(RcUint) * 4);

	/* tables */
	for (int i = 0; i < t->nindustries; i++)
	{
		bb_varint(&tb, (uint64) ind[i].code - (uint64) (i > 0 ? ind[i - 1].code : 0));
		bb_weight(&tb, ind[i].weight);
	}
	for (int i = 0; i < t->nregions; i++)
	{
		if (reg[i].name_off < 0)
			bb_varint(&tb, 0);
		else
		{
			bb_varint(&tb, (uint64) reg[i].name_len + 1);
			bb_bytes(&tb, pool + reg[i].name_off, reg[i].name_len);
		}
		bb_weight(&tb, reg[i].weight);
	}

	/* cells: region gap, industry index (gap within a region), weight */
	rc_enc_init(&ce, (Size) t->ncells * 3 + 16);
	for (int k = 0; k < 4; k++)
		rc_uint_init(&um[k]);
	for (int i = 0; i < t->ncells; i++)
	{
		int32		rgap = cell[i].region - (i > 0 ? cell[i - 1].region : 0);
		int			idx = industry_index(ind, t->nindustries, cell[i].code);

		if (idx < 0 || rgap < 0)
			elog(ERROR, "a profile cell is out of order or has no industry");
		rc_enc_uint(&ce, &um[0], (uint64) rgap);
		if (i > 0 && rgap == 0)
		{
			int			prev = industry_index(ind, t->nindustries, cell[i - 1].code);

			rc_enc_uint(&ce, &um[1], (uint64) (idx - prev - 1));
		}
		else
			rc_enc_uint(&ce, &um[2], (uint64) idx);
		rc_enc_weight(&ce, &um[3], cell[i].weight);
		VIC_POLL_INTERRUPTS(i);
	}
	rc_enc_finish(&ce);

	/* members: id gap, located bit, industry index, weight */
	rc_enc_init(&me, (Size) t->nmembers * 3 + 16);
	for (int k = 0; k < 2; k++)
		rc_uint_init(&um[k]);
	iprobs = palloc(sizeof(RcProb) * ((Size) 1 << ibits));
	rc_probs_init(iprobs, 1 << ibits);
	rc_probs_init(located, 2);
	for (int64 i = 0; i < t->nmembers; i++)
	{
		int64		code = VIC_MEMBER_CODE(m[i].code);
		int			loc = (m[i].code & VIC_MEMBER_LOCATED) != 0;

		if (i == 0)
			rc_enc_direct(&me, (uint64) m[0].id, 64);
		else
			rc_enc_uint(&me, &um[0], (uint64) m[i].id - (uint64) m[i - 1].id);
		rc_enc_bit(&me, &located[i > 0 && (m[i - 1].code & VIC_MEMBER_LOCATED) ? 1 : 0], loc);
		if (tally)
		{
			if (code != 0)
				elog(ERROR, "a membership tally entry has an industry");
		}
		else
		{
			int			idx = industry_index(ind, t->nindustries, code);

			if (idx < 0)
				elog(ERROR, "a member industry is not in the industry table");
			rc_enc_tree(&me, iprobs, (uint32) idx, ibits);
		}
		rc_enc_weight(&me, &um[1], m[i].weight);
		VIC_POLL_INTERRUPTS(i);
	}
	rc_enc_finish(&me);

#ifdef VIC_COMPACT_STATS
	elog(NOTICE, "compact: tables %zu cells %zu members %zu (ni %d nr %d nc %d nm %d)",
		 tb.len, ce.len, me.len, t->nindustries, t->nregions, t->ncells, t->nmembers);
#endif
	size = (uint64) VIC_COMPACT_DATA + tb.len + ce.len + me.len +
		(uint64) t->nparts * sizeof(VicProfileSumPart);
	vic_check_summary_size(size, VIC_PROFILE_TYPNAME, NULL);
	p = palloc_extended(size, MCXT_ALLOC_HUGE);
	memcpy(p, t, VIC_PROFILE_HDRSZ);
	SET_VARSIZE(p, size);
	p->version = VIC_PROFILE_VERSION_COMPACT;
	dir.tables_len = (int32) tb.len;
	dir.cells_len = (int32) ce.len;
	dir.members_len = (int32) me.len;
	dir.pad = 0;
	out = (char *) p + VIC_PROFILE_HDRSZ;
	memcpy(out, &dir, sizeof(dir));
	out += sizeof(dir);
	if (tb.len)
		memcpy(out, tb.b, tb.len);
	out += tb.len;
	memcpy(out, ce.buf, ce.len);
	out += ce.len;
	memcpy(out, me.buf, me.len);
	out += me.len;
	if (t->nparts > 0)
		memcpy(out, parts, sizeof(VicProfileSumPart) * (Size) t->nparts);

	if (tb.b)
		pfree(tb.b);
	pfree(ce.buf);
	pfree(me.buf);
	pfree(iprobs);
	pfree(um);
	return p;
}

/* ---- decoding ---- */

/* the stream directory of a version-2 value of which len bytes are at hand */
static VicProfileDir
compact_dir(const VicProfile *c, Size len)
{
	VicProfileDir dir;

	if (len < VIC_COMPACT_DATA)
		compact_corrupt("stream lengths");
	memcpy(&dir, (const char *) c + VIC_PROFILE_HDRSZ, sizeof(dir));
	if (dir.tables_len < 0 || dir.cells_len < 0 || dir.members_len < 0 ||
		c->nmembers < 0 || c->nindustries < 0 || c->nregions < 0 ||
		c->ncells < 0 || c->pool_len < 0 || c->nparts < 0)
		compact_corrupt("stream lengths");
	return dir;
}

/*
 * Bytes of the prefix of a version-2 value (whose header and directory are
 * at c) that holds `part`
 */
uint64
profile_compact_part_size(const VicProfile *c, Size len, VicPart part)
{
	VicProfileDir dir = compact_dir(c, len);

	switch (part)
	{
		case VIC_PART_HEADER:
			return VIC_PROFILE_HDRSZ;
		case VIC_PART_INDUSTRIES:
		case VIC_PART_REGIONS:
			return (uint64) VIC_COMPACT_DATA + dir.tables_len;
		case VIC_PART_TABLES:
			break;
	}
	return (uint64) VIC_COMPACT_DATA + dir.tables_len + dir.cells_len;
}

/*
 * Decode a version-2 value c, of which len bytes are at hand, into the wide
 * form: with members (and parts) when `members`, else the header and the
 * leading parts up to `part` only (PROFILE_MEMBERS must not be used on the
 * result, nor the cells unless part is VIC_PART_TABLES).
 */
VicProfile *
profile_compact_decode(const VicProfile *c, Size len, VicPart part, bool members)
{
	VicProfileDir dir = compact_dir(c, len);
	uint64		tsize;
	uint64		size;
	VicProfile *p;
	VicProfileIndustry *ind;
	VicProfileRegion *reg;
	VicProfileCell *cell;
	char	   *pool;
	ByteRd		r;
	int			pool_off = 0;
	const uint8 *cstream;
	RcUint	   *um;
	RcDec		d;

	bool		cells = members || part == VIC_PART_TABLES;

	if ((uint64) VIC_COMPACT_DATA + dir.tables_len + (cells ? dir.cells_len : 0) > len)
		compact_corrupt("tables");
	tsize = PROFILE_TABLES_SIZE(c->nindustries, c->nregions, c->ncells, c->pool_len);
	size = PROFILE_SIZE(c->nmembers, c->nindustries, c->nregions, c->ncells,
						c->pool_len, c->nparts);
	if (size > MaxAllocHugeSize)
		compact_corrupt("counts");
	if (members &&
		(uint64) VIC_COMPACT_DATA + dir.tables_len + dir.cells_len + dir.members_len +
		(uint64) c->nparts * sizeof(VicProfileSumPart) != len)
		compact_corrupt("members");
	p = palloc_extended(members ? size : tsize, MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	memcpy(p, c, VIC_PROFILE_HDRSZ);
	SET_VARSIZE(p, size);
	p->version = VIC_PROFILE_VERSION_WIDE;
	ind = PROFILE_INDUSTRIES(p);
	reg = PROFILE_REGIONS(p);
	cell = PROFILE_CELLS(p);
	pool = PROFILE_POOL(p);

	/* tables */
	r.b = (const uint8 *) c + VIC_COMPACT_DATA;
	r.pos = 0;
	r.len = dir.tables_len;
	for (int i = 0; i < p->nindustries; i++)
	{
		uint64		gap = br_varint(&r);

		if (i > 0 && gap == 0)
			compact_corrupt("tables");
		ind[i].code = (int64) ((uint64) (i > 0 ? ind[i - 1].code : 0) + gap);
		ind[i].weight = br_weight(&r);
	}
	for (int i = 0; i < p->nregions; i++)
	{
		uint64		l = br_varint(&r);

		if (l == 0)
		{
			if (i != 0)
				compact_corrupt("tables");
			reg[i].name_off = -1;
			reg[i].name_len = 0;
		}
		else
		{
			if (l - 1 > (uint64) (p->pool_len - pool_off) || l - 1 > r.len - r.pos)
				compact_corrupt("tables");
			reg[i].name_off = pool_off;
			reg[i].name_len = (int32) (l - 1);
			memcpy(pool + pool_off, r.b + r.pos, l - 1);
			pool_off += (int) (l - 1);
			r.pos += l - 1;
		}
		reg[i].weight = br_weight(&r);
	}
	if (r.pos != r.len || pool_off != p->pool_len)
		compact_corrupt("tables");

	if (!cells)
		return p;

	/* cells */
	um = palloc(sizeof(RcUint) * 4);
	for (int k = 0; k < 4; k++)
		rc_uint_init(&um[k]);
	cstream = (const uint8 *) c + VIC_COMPACT_DATA + dir.tables_len;
	rc_dec_init(&d, cstream, dir.cells_len);
	{
		uint64		region = 0;
		int			idx = -1;

		for (int i = 0; i < p->ncells; i++)
		{
			uint64		gap;
			uint64		v;

			if (!rc_dec_uint(&d, &um[0], &gap) || gap >= (uint64) p->nregions - region)
				compact_corrupt("cells");
			region += gap;
			if (i > 0 && gap == 0)
			{
				if (!rc_dec_uint(&d, &um[1], &v) ||
					v >= (uint64) p->nindustries - (uint64) idx - 1)
					compact_corrupt("cells");
				v += (uint64) idx + 1;
			}
			else if (!rc_dec_uint(&d, &um[2], &v))
				compact_corrupt("cells");
			if (v >= (uint64) p->nindustries)
				compact_corrupt("cells");
			idx = (int) v;
			cell[i].region = (int32) region;
			cell[i].code = ind[idx].code;
			if (!rc_dec_weight(&d, &um[3], &cell[i].weight))
				compact_corrupt("cells");
			VIC_POLL_INTERRUPTS(i);
		}
	}
	if (d.overrun)
		compact_corrupt("cells");
	if (!members)
	{
		pfree(um);
		return p;
	}

	/* members */
	{
		VicProfileMember *m = PROFILE_MEMBERS(p);
		bool		tally = (p->flags & VIC_PROFILE_TALLY) != 0;
		int			ibits = index_bits(p->nindustries);
		RcProb	   *iprobs = palloc(sizeof(RcProb) * ((Size) 1 << ibits));
		RcProb		located[2];
		int			prev_idx = -1;

		for (int k = 0; k < 2; k++)
			rc_uint_init(&um[k]);
		rc_probs_init(iprobs, 1 << ibits);
		rc_probs_init(located, 2);
		rc_dec_init(&d, cstream + dir.cells_len, dir.members_len);
		for (int64 i = 0; i < p->nmembers; i++)
		{
			uint64		gap = 0;
			int			loc;
			int64		code = 0;

			if (i == 0)
				m[0].id = (int64) rc_dec_direct(&d, 64);
			else
			{
				if (!rc_dec_uint(&d, &um[0], &gap) ||
					gap > (uint64) PG_INT64_MAX - (uint64) m[i - 1].id)
					compact_corrupt("members");
				m[i].id = (int64) ((uint64) m[i - 1].id + gap);
			}
			loc = rc_dec_bit(&d, &located[i > 0 && (m[i - 1].code & VIC_MEMBER_LOCATED) ? 1 : 0]);
			if (!tally)
			{
				uint32		idx = rc_dec_tree(&d, iprobs, ibits);

				if (idx >= (uint32) p->nindustries || (i > 0 && gap == 0 && (int) idx <= prev_idx))
					compact_corrupt("members");
				code = ind[idx].code;
				prev_idx = (int) idx;
			}
			else if (i > 0 && gap == 0)
				compact_corrupt("members");
			m[i].code = loc ? (code | VIC_MEMBER_LOCATED) : code;
			if (!rc_dec_weight(&d, &um[1], &m[i].weight))
				compact_corrupt("members");
			VIC_POLL_INTERRUPTS(i);
		}
		if (d.overrun)
			compact_corrupt("members");
		pfree(iprobs);
		if (p->nparts > 0)
			memcpy(PROFILE_PARTS(p), cstream + dir.cells_len + dir.members_len,
				   sizeof(VicProfileSumPart) * (Size) p->nparts);
	}
	pfree(um);
	return p;
}
