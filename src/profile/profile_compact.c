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
 *	 - the cells, entropy-coded with prefix codes of their own
 *	   (profile_huff.h, encode_cells): per cell the gap to the previous
 *	   cell's region, its industry as an index into the industry table (the
 *	   gap to the previous index within a region), its weight;
 *	 - the members, entropy-coded (encode_members): per entry the gap to the
 *	   previous id, the industry as an index into the industry table with
 *	   the located bit when some members are located and some not (none for
 *	   a membership tally, whose codes are 0), the weight;
 *	 - the further parts of exact sums, as in version 1 (16 bytes each,
 *	   unaligned).
 * The streams come in the order the readers need them: a metric of the
 * industry or region table fetches (and, for a toasted value, decompresses)
 * the header and the tables; one of the cells adds the cell stream; only
 * readers of members decode the member stream.  Encoding is deterministic,
 * so the compact form is as canonical as the wide one.
 *
 * A "weight varint" is an integer-valued weight w in [0, 2^63) (not -0)
 * as the LEB128 varint of 2w, anything else a 0x01 byte and the 8 bytes of
 * the float8.
 */
#include "postgres.h"

#include <math.h>

#include "access/detoast.h"
#include "port/pg_bswap.h"
#include "utils/memutils.h"

#include "common/mem.h"
#include "profile.h"
#include "profile_huff.h"

/* lengths of the streams of a version-2 value, after the header */
typedef struct VicProfileDir
{
	int32		tables_len;
	int32		cells_len;
	int32		members_len;
} VicProfileDir;

#define VIC_COMPACT_DATA	VIC_PROFILE_COMPACT_HDRSZ
StaticAssertDecl(VIC_PROFILE_COMPACT_HDRSZ == VIC_PROFILE_HDRSZ + sizeof(VicProfileDir),
				 "the directory of a compact profile is misplaced");

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

static void
bb_bytes(HufBytes *bb, const void *p, Size n)
{
	huf_reserve(bb, n);
	memcpy(bb->b + bb->len, p, n);
	bb->len += n;
}

/* a weight varint */
static void
bb_weight(HufBytes *bb, float8 w)
{
	if (huf_weight_is_uint(w) && w < 9223372036854775808.0)
		huf_varint(bb, (uint64) w << 1);
	else
	{
		huf_reserve(bb, 9);
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
	uint64		v;

	if (unlikely(!huf_get_varint(r->b, r->len, &r->pos, &v)))
		compact_corrupt("tables");
	return v;
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

/* located bits of the members: none, all, or some (coded with the industry) */
#define LOC_NONE	0
#define LOC_ALL		1
#define LOC_MIXED	2

/* symbol counts of one coded field, and its code once built */
typedef struct Field
{
	int			nsym;
	uint64	   *cnt;
	uint8	   *len;
	uint32	   *code;
} Field;

static void
field_init(Field *f, int nsym)
{
	f->nsym = nsym;
	f->cnt = palloc0(sizeof(uint64) * nsym);
	f->len = palloc0(nsym);
	f->code = palloc0(sizeof(uint32) * nsym);
}

static void
field_free(Field *f)
{
	pfree(f->cnt);
	pfree(f->len);
	pfree(f->code);
}

/* count an unsigned integer */
static inline void
field_count_uint(Field *f, uint64 v)
{
	int			nextra;

	f->cnt[huf_uint_sym(v, &nextra)]++;
}

static inline void
field_count_weight(Field *f, float8 w)
{
	int			nextra;

	f->cnt[huf_weight_is_uint(w) ? huf_uint_sym((uint64) w, &nextra) : HUF_ESCAPE]++;
}

/* build the code of f from its counts and store its lengths */
static void
field_build(Field *f, HufBytes *hdr)
{
	int			m = 0;

	for (int s = 0; s < f->nsym; s++)
		if (f->cnt[s])
			m++;
	huf_lengths(f->cnt, f->nsym, f->len, huf_limit(m));
	if (!huf_codes(f->len, f->nsym, f->code))
		elog(ERROR, "could not build a prefix code");
	huf_put_lengths(hdr, f->len, f->nsym);
}

static inline void
field_put_sym(HufBitW *w, const Field *f, int sym)
{
	huf_put(w, f->code[sym], f->len[sym]);
}

static inline void
field_put_uint(HufBitW *w, const Field *f, uint64 v)
{
	int			nextra;
	int			sym = huf_uint_sym(v, &nextra);

	field_put_sym(w, f, sym);
	huf_put_long(w, v, nextra);
}

static inline void
field_put_weight(HufBitW *w, const Field *f, float8 x)
{
	if (huf_weight_is_uint(x))
		field_put_uint(w, f, (uint64) x);
	else
	{
		uint64		bits;

		memcpy(&bits, &x, sizeof(bits));
		field_put_sym(w, f, HUF_ESCAPE);
		huf_put_long(w, bits, 64);
	}
}

/* the industry symbol of a member entry: its index, with its located bit when mixed */
static inline int
member_sym(const VicProfileIndustry *ind, int ni, const VicProfileMember *e, int locmode)
{
	int			idx = industry_index(ind, ni, VIC_MEMBER_CODE(e->code));

	if (idx < 0)
		elog(ERROR, "a member industry is not in the industry table");
	return locmode == LOC_MIXED ? idx * 2 + ((e->code & VIC_MEMBER_LOCATED) ? 1 : 0) : idx;
}

/*
 * The cells stream: the codes of the region gaps, the industry gaps and the
 * weights, then per cell the gap to the previous cell's region, its industry
 * index (after the first cell of a region: the gap to the previous index,
 * less one) and its weight.
 */
static void
encode_cells(const VicProfile *t, HufBitW *w)
{
	const VicProfileIndustry *ind = PROFILE_INDUSTRIES(t);
	const VicProfileCell *cell = PROFILE_CELLS(t);
	int			nc = t->ncells;
	int		   *idx = palloc(sizeof(int) * (nc > 0 ? nc : 1));
	Field		fr,
				fi,
				fw;
	HufBytes	hdr = {0};

	field_init(&fr, HUF_UINT_SYMS);
	field_init(&fi, HUF_UINT_SYMS);
	field_init(&fw, HUF_WEIGHT_SYMS);
	for (int i = 0; i < nc; i++)
	{
		int32		rgap = cell[i].region - (i > 0 ? cell[i - 1].region : 0);

		idx[i] = industry_index(ind, t->nindustries, cell[i].code);
		if (idx[i] < 0 || rgap < 0 || (i > 0 && rgap == 0 && idx[i] <= idx[i - 1]))
			elog(ERROR, "a profile cell is out of order or has no industry");
		field_count_uint(&fr, (uint64) rgap);
		field_count_uint(&fi, (uint64) (i > 0 && rgap == 0 ? idx[i] - idx[i - 1] - 1 : idx[i]));
		field_count_weight(&fw, cell[i].weight);
	}
	field_build(&fr, &hdr);
	field_build(&fi, &hdr);
	field_build(&fw, &hdr);
	huf_reserve(&w->out, hdr.len);
	if (hdr.len)
		memcpy(w->out.b + w->out.len, hdr.b, hdr.len);
	w->out.len += hdr.len;
	for (int i = 0; i < nc; i++)
	{
		int32		rgap = cell[i].region - (i > 0 ? cell[i - 1].region : 0);

		field_put_uint(w, &fr, (uint64) rgap);
		field_put_uint(w, &fi, (uint64) (i > 0 && rgap == 0 ? idx[i] - idx[i - 1] - 1 : idx[i]));
		field_put_weight(w, &fw, cell[i].weight);
		VIC_POLL_INTERRUPTS(i);
	}
	huf_flush(w);
	field_free(&fr);
	field_free(&fi);
	field_free(&fw);
	if (hdr.b)
		pfree(hdr.b);
	pfree(idx);
}

/*
 * The members stream: the located mode and the first id (varints), the
 * codes of the id gaps, the industry symbols (none for a tally) and the
 * weights, then per entry after the first its id gap, then for every entry
 * its industry symbol and its weight.
 */
static void
encode_members(const VicProfile *t, const VicProfileMember *m, HufBitW *w)
{
	const VicProfileIndustry *ind = PROFILE_INDUSTRIES(t);
	int			ni = t->nindustries;
	int64		nm = t->nmembers;
	bool		tally = (t->flags & VIC_PROFILE_TALLY) != 0;
	int64		nloc = 0;
	int			locmode;
	int		   *sym;
	Field		fg,
				fs,
				fw;
	HufBytes	hdr = {0};

	for (int64 i = 0; i < nm; i++)
		if (m[i].code & VIC_MEMBER_LOCATED)
			nloc++;
	locmode = nloc == 0 ? LOC_NONE : (nloc == nm ? LOC_ALL : LOC_MIXED);
	if (tally && locmode != LOC_NONE)
		elog(ERROR, "a membership tally entry is located");
	sym = vic_alloc_array(nm > 0 ? nm : 1, sizeof(int));
	field_init(&fg, HUF_UINT_SYMS);
	field_init(&fs, tally ? 1 : Max(ni * (locmode == LOC_MIXED ? 2 : 1), 1));
	field_init(&fw, HUF_WEIGHT_SYMS);
	for (int64 i = 0; i < nm; i++)
	{
		if (i > 0)
			field_count_uint(&fg, (uint64) m[i].id - (uint64) m[i - 1].id);
		if (tally)
		{
			if (m[i].code != 0)
				elog(ERROR, "a membership tally entry has an industry");
			sym[i] = 0;
		}
		else
		{
			sym[i] = member_sym(ind, ni, &m[i], locmode);
			fs.cnt[sym[i]]++;
		}
		field_count_weight(&fw, m[i].weight);
		VIC_POLL_INTERRUPTS(i);
	}
	huf_varint(&hdr, (uint64) locmode);
	huf_varint(&hdr, nm > 0 ? (uint64) m[0].id : 0);
	field_build(&fg, &hdr);
	if (!tally)
		field_build(&fs, &hdr);
	field_build(&fw, &hdr);
	huf_reserve(&w->out, hdr.len);
	memcpy(w->out.b + w->out.len, hdr.b, hdr.len);
	w->out.len += hdr.len;
	for (int64 i = 0; i < nm; i++)
	{
		if (i > 0)
			field_put_uint(w, &fg, (uint64) m[i].id - (uint64) m[i - 1].id);
		if (!tally)
			field_put_sym(w, &fs, sym[i]);
		field_put_weight(w, &fw, m[i].weight);
		VIC_POLL_INTERRUPTS(i);
	}
	huf_flush(w);
	field_free(&fg);
	field_free(&fs);
	field_free(&fw);
	pfree(hdr.b);
	pfree(sym);
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
	const char *pool = PROFILE_POOL(t);
	HufBytes	tb = {0};
	HufBitW		cw = {{0}};
	HufBitW		mw = {{0}};
	uint64		size;
	VicProfile *p;
	VicProfileDir dir;
	char	   *out;

	/* tables */
	for (int i = 0; i < t->nindustries; i++)
	{
		huf_varint(&tb, (uint64) ind[i].code - (uint64) (i > 0 ? ind[i - 1].code : 0));
		bb_weight(&tb, ind[i].weight);
	}
	for (int i = 0; i < t->nregions; i++)
	{
		if (reg[i].name_off < 0)
			huf_varint(&tb, 0);
		else
		{
			huf_varint(&tb, (uint64) reg[i].name_len + 1);
			bb_bytes(&tb, pool + reg[i].name_off, reg[i].name_len);
		}
		bb_weight(&tb, reg[i].weight);
	}
	encode_cells(t, &cw);
	encode_members(t, m, &mw);

	size = (uint64) VIC_COMPACT_DATA + tb.len + cw.out.len + mw.out.len +
		(uint64) t->nparts * sizeof(VicProfileSumPart);
	vic_check_summary_size(size, VIC_PROFILE_TYPNAME, NULL);
	p = palloc_extended(size, MCXT_ALLOC_HUGE);
	memcpy(p, t, VIC_PROFILE_HDRSZ);
	SET_VARSIZE(p, size);
	p->version = VIC_PROFILE_VERSION_COMPACT;
	dir.tables_len = (int32) tb.len;
	dir.cells_len = (int32) cw.out.len;
	dir.members_len = (int32) mw.out.len;
	out = (char *) p + VIC_PROFILE_HDRSZ;
	memcpy(out, &dir, sizeof(dir));
	out += sizeof(dir);
	if (tb.len)
		memcpy(out, tb.b, tb.len);
	out += tb.len;
	if (cw.out.len)
		memcpy(out, cw.out.b, cw.out.len);
	out += cw.out.len;
	if (mw.out.len)
		memcpy(out, mw.out.b, mw.out.len);
	out += mw.out.len;
	if (t->nparts > 0)
		memcpy(out, parts, sizeof(VicProfileSumPart) * (Size) t->nparts);

	if (tb.b)
		pfree(tb.b);
	if (cw.out.b)
		pfree(cw.out.b);
	if (mw.out.b)
		pfree(mw.out.b);
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

/* nbits (<= 64) raw bits */
static pg_attribute_always_inline uint64
get_bits(HufReader *r, int nbits)
{
	uint64		v = 0;

	huf_refill(r);
	if (nbits > 32)
	{
		v = huf_get(r, nbits - 32) << 32;
		huf_refill(r);
		nbits = 32;
	}
	return v | huf_get(r, nbits);
}

/* an unsigned integer of field t; false when the bits are no valid one */
static pg_attribute_always_inline bool
get_uint(HufReader *r, const HufTable *t, uint64 *v)
{
	int			sym;

	huf_refill(r);
	sym = huf_sym(r, t);
	if (sym < 0 || sym >= HUF_UINT_SYMS)
		return false;
	*v = huf_uint_val(sym, get_bits(r, huf_uint_extra(sym)));
	return true;
}

static pg_attribute_always_inline bool
get_weight(HufReader *r, const HufTable *t, float8 *w)
{
	int			sym;

	huf_refill(r);
	sym = huf_sym(r, t);
	if (sym < 0)
		return false;
	if (sym == HUF_ESCAPE)
	{
		uint64		bits = get_bits(r, 64);

		memcpy(w, &bits, sizeof(bits));
		return true;
	}
	{
		uint64		v = huf_uint_val(sym, get_bits(r, huf_uint_extra(sym)));

		/* the signed conversion is one instruction; values from 2^63 are rare */
		*w = likely(v <= (uint64) PG_INT64_MAX) ? (float8) (int64) v : (float8) v;
	}
	return true;
}

/* the cells of p from their stream (encode_cells) */
static void
decode_cells(VicProfile *p, const uint8 *s, Size len)
{
	VicProfileIndustry *ind = PROFILE_INDUSTRIES(p);
	VicProfileCell *cell = PROFILE_CELLS(p);
	HufTable	tr,
				ti,
				tw;
	Size		pos = 0;
	HufReader	r;
	uint64		region = 0;
	int			idx = -1;

	if (p->ncells == 0)
		return;
	if (!huf_get_table(s, len, &pos, HUF_UINT_SYMS, &tr) ||
		!huf_get_table(s, len, &pos, HUF_UINT_SYMS, &ti) ||
		!huf_get_table(s, len, &pos, HUF_WEIGHT_SYMS, &tw))
		compact_corrupt("cells");
	huf_reader_init(&r, s + pos, len - pos);
	for (int i = 0; i < p->ncells; i++)
	{
		uint64		gap = 0;
		uint64		v = 0;

		if (!get_uint(&r, &tr, &gap) || gap >= (uint64) p->nregions - region)
			compact_corrupt("cells");
		region += gap;
		if (!get_uint(&r, &ti, &v))
			compact_corrupt("cells");
		if (i > 0 && gap == 0)
		{
			if (v >= (uint64) p->nindustries - (uint64) idx - 1)
				compact_corrupt("cells");
			v += (uint64) idx + 1;
		}
		if (v >= (uint64) p->nindustries)
			compact_corrupt("cells");
		idx = (int) v;
		cell[i].region = (int32) region;
		cell[i].code = ind[idx].code;
		if (!get_weight(&r, &tw, &cell[i].weight))
			compact_corrupt("cells");
		VIC_POLL_INTERRUPTS(i);
	}
	if (!huf_reader_ok(&r))
		compact_corrupt("cells");
	huf_table_free(&tr);
	huf_table_free(&ti);
	huf_table_free(&tw);
}

/* the members of p from their stream (encode_members) */
static void
decode_members(VicProfile *p, const uint8 *s, Size len)
{
	VicProfileIndustry *ind = PROFILE_INDUSTRIES(p);
	VicProfileMember *m = PROFILE_MEMBERS(p);
	bool		tally = (p->flags & VIC_PROFILE_TALLY) != 0;
	int			ni = p->nindustries;
	HufTable	tg,
				ts,
				tw;
	Size		pos = 0;
	HufReader	r;
	uint64		locmode = 0;
	uint64		first = 0;
	int			prev_idx = -1;
	int			nsym;

	if (p->nmembers == 0)
		return;
	if (!huf_get_varint(s, len, &pos, &locmode) || !huf_get_varint(s, len, &pos, &first))
		compact_corrupt("members");
	if (locmode > LOC_MIXED || (tally && locmode != LOC_NONE) || (!tally && ni == 0))
		compact_corrupt("members");
	nsym = tally ? 1 : ni * (locmode == LOC_MIXED ? 2 : 1);
	ts.e = NULL;
	if (!huf_get_table(s, len, &pos, HUF_UINT_SYMS, &tg) ||
		(!tally && !huf_get_table(s, len, &pos, nsym, &ts)) ||
		!huf_get_table(s, len, &pos, HUF_WEIGHT_SYMS, &tw))
		compact_corrupt("members");
	huf_reader_init(&r, s + pos, len - pos);
	for (int64 i = 0; i < p->nmembers; i++)
	{
		uint64		gap = 0;
		int64		code = 0;

		if (i == 0)
			m[0].id = (int64) first;
		else
		{
			if (!get_uint(&r, &tg, &gap) ||
				gap > (uint64) PG_INT64_MAX - (uint64) m[i - 1].id)
				compact_corrupt("members");
			m[i].id = (int64) ((uint64) m[i - 1].id + gap);
		}
		if (!tally)
		{
			int			sym;
			int			idx;

			huf_refill(&r);
			sym = huf_sym(&r, &ts);
			if (sym < 0)
				compact_corrupt("members");
			idx = locmode == LOC_MIXED ? sym >> 1 : sym;
			if (i > 0 && gap == 0 && idx <= prev_idx)
				compact_corrupt("members");
			prev_idx = idx;
			code = ind[idx].code;
			if (locmode == LOC_ALL || (locmode == LOC_MIXED && (sym & 1)))
				code |= VIC_MEMBER_LOCATED;
		}
		else if (i > 0 && gap == 0)
			compact_corrupt("members");
		m[i].code = code;
		if (!get_weight(&r, &tw, &m[i].weight))
			compact_corrupt("members");
		VIC_POLL_INTERRUPTS(i);
	}
	if (!huf_reader_ok(&r))
		compact_corrupt("members");
	huf_table_free(&tg);
	huf_table_free(&ts);
	huf_table_free(&tw);
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
	char	   *pool;
	ByteRd		r;
	int			pool_off = 0;
	const uint8 *cstream;
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
	cstream = (const uint8 *) c + VIC_COMPACT_DATA + dir.tables_len;
	decode_cells(p, cstream, dir.cells_len);
	if (members)
	{
		decode_members(p, cstream + dir.cells_len, dir.members_len);
		if (p->nparts > 0)
			memcpy(PROFILE_PARTS(p), cstream + dir.cells_len + dir.members_len,
				   sizeof(VicProfileSumPart) * (Size) p->nparts);
	}
	return p;
}
