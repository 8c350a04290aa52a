/*
 * space.c
 *		The vic.space type: the on-disk form (space.h), raw cells and their
 *		exact sums, the canonical build, space_agg / merge_agg over an
 *		expanded state, ||, = and <>, and the matrix view at a level.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "common/hashfn.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/expandeddatum.h"
#include "utils/float.h"

#include "space.h"
#include "profile/profile.h"

/* most raw (not yet summed) cells one aggregate state may hold */
#define SPACE_MAX_RAW	((int64) (PG_INT32_MAX / 2))

VIC_SUMMARY_LAYOUT(VicSpace);

/* ----------------------------------------------------------------
 * The type
 * ----------------------------------------------------------------
 */

/* detoast argument argno as a space (XX001 for a version this build does not read) */
VicSpace *
vic_space_getarg(FunctionCallInfo fcinfo, int argno)
{
	return (VicSpace *) vic_summary_detoast(PG_GETARG_DATUM(argno), VIC_SPACE_VERSION,
											VIC_SPACE_TYPNAME);
}

/* XX001 for a stored space that breaks an invariant of its version */
void
vic_space_corrupted(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("corrupted vic.space value"),
			 errdetail_internal("%s", detail)));
}

/* 22023: one space holds the codes of one industry scheme */
void
vic_space_scheme_mismatch(int a, int b)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("a vic.space holds industries of one classification scheme"),
			 errdetail("Scheme %s cannot be mixed with scheme %s.",
					   industry_scheme_name(a), industry_scheme_name(b))));
}

/*
 * A space of n units, k industries, m cells, r residual parts and pool
 * bytes of names in CurrentMemoryContext, zero-filled (so padding is zero
 * and equal spaces are equal bytes), header set; 54000 when it cannot be
 * one varlena.
 */
VicSpace *
vic_space_new(int64 n, int64 k, int64 m, int64 r, int64 pool)
{
	uint64		size = SPACE_SIZE(n, k, m, r, pool);
	VicSpace   *s;

	if (n > PG_INT32_MAX / 2 || k > PG_INT32_MAX / 2 || r > PG_INT32_MAX / 2 ||
		pool > PG_INT32_MAX / 2 || size > MaxAllocSize)
		vic_check_summary_size(Max(size, (uint64) MaxAllocSize + 1), VIC_SPACE_TYPNAME,
							   "Split the units over several spaces, or roll industries up to a coarser level.");
	s = palloc0(size);
	SET_VARSIZE(s, size);
	s->version = VIC_SPACE_VERSION;
	s->nunits = (int32) n;
	s->nind = (int32) k;
	s->ncells = m;
	s->nresid = (int32) r;
	s->pool_len = (int32) pool;
	return s;
}

/* 22003 for a cell whose exact sum leaves float8 */
static void
space_sum_overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("sum of the weights of a vic.space cell is out of range"),
			 errdetail("The rows of one (unit, industry) cell are summed and the sum overflows float8.")));
}

/* the canonical parts (xsum.h) of the exact sum of v[0..n-1]; 22003 when it leaves float8 */
int
vic_space_exact_sum(const double *v, int n, double *out)
{
	int			np = vic_xsum_canonical_checked(v, n, out);

	if (np < 0)
		space_sum_overflow();
	return np;
}

/* ----------------------------------------------------------------
 * Raw cells
 *
 * Unit names are interned on arrival (a hash table over the names' bytes,
 * and the last name seen, since rows usually come grouped by unit), so a
 * raw cell is 20 bytes and the build never compares names twice.
 * ----------------------------------------------------------------
 */
typedef struct UnitEntry
{
	int32		idx;			/* name index, or -1 for the probe */
	uint32		hash;
	char		status;
} UnitEntry;

struct SpaceBuf
{
	MemoryContext cxt;
	struct unitmap_hash *map;
	char	   *pool;			/* names, back to back */
	int64		poollen;
	int64		poolcap;
	int64	   *nameoff;		/* nnames + 1 */
	int32		nnames;
	int32		capnames;
	int32		last;			/* index of the last name seen, or -1 */
	const char *probe;			/* the name being looked up */
	int			probelen;
	int			scheme;			/* 0 until the first industry */
	int64		n;
	int64		cap;
	int32	   *unit;
	int64	   *code;
	double	   *w;
};

/* the bytes of name index i (or of the probe, i = -1) */
static inline const char *
buf_name(const SpaceBuf *b, int32 i, int *len)
{
	if (i < 0)
	{
		*len = b->probelen;
		return b->probe;
	}
	*len = (int) (b->nameoff[i + 1] - b->nameoff[i]);
	return b->pool + b->nameoff[i];
}

/* are name indexes a and b (-1: the probe) the same bytes? */
static inline bool
buf_name_eq(const SpaceBuf *b, int32 x, int32 y)
{
	int			xl,
				yl;
	const char *xs = buf_name(b, x, &xl);
	const char *ys = buf_name(b, y, &yl);

	return xl == yl && memcmp(xs, ys, xl) == 0;
}

#define SH_PREFIX		unitmap
#define SH_ELEMENT_TYPE UnitEntry
#define SH_KEY_TYPE		int32
#define SH_KEY			idx
#define SH_HASH_KEY(tb, key) \
	hash_bytes((const unsigned char *) ((SpaceBuf *) (tb)->private_data)->probe, \
			   ((SpaceBuf *) (tb)->private_data)->probelen)
#define SH_EQUAL(tb, a, b) buf_name_eq((SpaceBuf *) (tb)->private_data, (a), (b))
#define SH_STORE_HASH
#define SH_GET_HASH(tb, a) ((a)->hash)
#define SH_SCOPE		static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

/* an empty buffer whose memory lives in cxt */
SpaceBuf *
space_buf_new(MemoryContext cxt)
{
	SpaceBuf   *b = MemoryContextAllocZero(cxt, sizeof(SpaceBuf));

	b->cxt = cxt;
	b->last = -1;
	b->map = unitmap_create(cxt, 64, b);
	b->nameoff = MemoryContextAlloc(cxt, sizeof(int64) * 65);
	b->capnames = 64;
	b->nameoff[0] = 0;
	return b;
}

/* index of unit name (len bytes), registered on first sight */
int32
space_buf_unit(SpaceBuf *b, const char *name, int len)
{
	UnitEntry  *ent;
	bool		found;

	if (b->last >= 0)
	{
		int			ll;
		const char *ls = buf_name(b, b->last, &ll);

		if (ll == len && memcmp(ls, name, len) == 0)
			return b->last;
	}
	b->probe = name;
	b->probelen = len;
	ent = unitmap_insert(b->map, -1, &found);
	if (!found)
	{
		if (b->nnames >= PG_INT32_MAX / 2 || b->poollen + len > PG_INT32_MAX / 2)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("too many units for one vic.space"),
					 errdetail("A vic.space holds at most %d units and %d bytes of unit names.",
							   PG_INT32_MAX / 2, PG_INT32_MAX / 2)));
		if (b->nnames + 1 >= b->capnames)
		{
			b->capnames *= 2;
			b->nameoff = repalloc_huge(b->nameoff, sizeof(int64) * ((Size) b->capnames + 1));
		}
		if (b->poollen + len > b->poolcap)
		{
			b->poolcap = Max(b->poollen + len, Max(2 * b->poolcap, 1024));
			b->pool = b->pool ? repalloc_huge(b->pool, b->poolcap)
				: MemoryContextAllocHuge(b->cxt, b->poolcap);
		}
		memcpy(b->pool + b->poollen, name, len);
		b->poollen += len;
		ent->idx = b->nnames;
		b->nameoff[++b->nnames] = b->poollen;
		ent->hash = hash_bytes((const unsigned char *) name, len);
	}
	b->probe = NULL;
	b->last = ent->idx;
	return ent->idx;
}

/* make room for extra more cells */
static void
buf_reserve(SpaceBuf *b, int64 extra)
{
	int64		need = b->n + extra;
	int64		cap;

	if (need <= b->cap)
		return;
	if (need > SPACE_MAX_RAW)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many rows for one vic.space"),
				 errdetail("An aggregate state holds at most " INT64_FORMAT " rows before cells are summed.",
						   SPACE_MAX_RAW)));
	cap = Min(Max(need, Max(2 * b->cap, 256)), SPACE_MAX_RAW);
	if (b->unit == NULL)
	{
		b->unit = MemoryContextAllocHuge(b->cxt, cap * sizeof(int32));
		b->code = MemoryContextAllocHuge(b->cxt, cap * sizeof(int64));
		b->w = MemoryContextAllocHuge(b->cxt, cap * sizeof(double));
	}
	else
	{
		b->unit = repalloc_huge(b->unit, cap * sizeof(int32));
		b->code = repalloc_huge(b->code, cap * sizeof(int64));
		b->w = repalloc_huge(b->w, cap * sizeof(double));
	}
	b->cap = cap;
}

/* append a validated cell contribution (a weight or a part of one) */
void
space_buf_add(SpaceBuf *b, int32 unit, int64 code, double w)
{
	int			sch = industry_scheme(code);

	if (unlikely(sch != b->scheme))
	{
		if (b->scheme != 0)
			vic_space_scheme_mismatch(b->scheme, sch);
		b->scheme = sch;
	}
	if (unlikely(b->n >= b->cap))
		buf_reserve(b, 1);
	b->unit[b->n] = unit;
	b->code[b->n] = code;
	b->w[b->n] = w + 0.0;		/* -0 becomes +0 */
	b->n++;
}

/* append every cell of a flat space, each as its c1 and residual parts */
void
space_buf_add_space(SpaceBuf *b, const VicSpace *s)
{
	const int64 *codes = SPACE_CODES(s);
	const int64 *off = SPACE_ROWOFF(s);
	const int32 *nameoff = SPACE_NAMEOFF(s);
	const int32 *col = SPACE_COL(s);
	const char *pool = SPACE_POOL(s);
	int64		r = 0;

	if (s->ncells == 0)
		return;
	if (b->scheme != 0 && s->scheme != b->scheme)
		vic_space_scheme_mismatch(b->scheme, s->scheme);
	buf_reserve(b, s->ncells + s->nresid);
	for (int32 u = 0; u < s->nunits; u++)
	{
		int32		x = space_buf_unit(b, pool + nameoff[u], nameoff[u + 1] - nameoff[u]);

		for (int64 c = off[u]; c < off[u + 1]; c++)
		{
			double		parts[VIC_XSUM_MAXPARTS];
			int			np = vic_space_cell_parts(s, c, &r, parts);

			for (int p = 0; p < np; p++)
				space_buf_add(b, x, codes[col[c]], parts[p]);
		}
		VIC_POLL_INTERRUPTS(u);
	}
}

/* (code, weight) of a row under construction */
typedef struct RawCell
{
	int64		code;
	double		w;
} RawCell;

#define ST_SORT			sort_raw_cells
#define ST_ELEMENT_TYPE RawCell
#define ST_COMPARE(a, b) ((a)->code < (b)->code ? -1 : ((a)->code > (b)->code ? 1 : 0))
#define ST_SCOPE		static
#define ST_DECLARE
#define ST_DEFINE
#include "lib/sort_template.h"

#define ST_SORT			sort_codes
#define ST_ELEMENT_TYPE int64
#define ST_COMPARE(a, b) (*(a) < *(b) ? -1 : (*(a) > *(b) ? 1 : 0))
#define ST_SCOPE		static
#define ST_DECLARE
#define ST_DEFINE
#include "lib/sort_template.h"

/* industry code -> rank among the distinct codes of a build */
typedef struct CodeEntry
{
	int64		code;
	int32		idx;
	char		status;
} CodeEntry;

#define SH_PREFIX		codemap
#define SH_ELEMENT_TYPE CodeEntry
#define SH_KEY_TYPE		int64
#define SH_KEY			code
#define SH_HASH_KEY(tb, key) vic_hash64((uint64) (key))
#define SH_EQUAL(tb, a, b) ((a) == (b))
#define SH_SCOPE		static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

/* name indexes in byte order of their names */
static int
name_idx_cmp(const void *a, const void *b, void *arg)
{
	const SpaceBuf *buf = arg;
	int			al,
				bl;
	const char *as = buf_name(buf, *(const int32 *) a, &al);
	const char *bs = buf_name(buf, *(const int32 *) b, &bl);

	return space_name_cmp(as, al, bs, bl);
}

/*
 * The canonical flat space of the buffer, in CurrentMemoryContext; scratch
 * memory freed before returning.  1. rank the names, 2. bucket the cells by
 * unit rank (counting sort), 3. sort each row by code and sum runs exactly,
 * 4. the sorted distinct codes, 5. copy out.
 */
VicSpace *
space_buf_build(SpaceBuf *b)
{
	MemoryContext caller = CurrentMemoryContext;
	MemoryContext scratch;
	int32		n = b->nnames;
	int32	   *order;
	int32	   *rank;
	int64	   *rowoff;
	RawCell    *cells;
	int64		m = 0;
	int64		nresid = 0;
	int64		capresid = 0;
	VicSpaceResid *resid = NULL;
	int64	   *codes;
	int32		k = 0;
	VicSpace   *s;

	if (b->n == 0)
		return vic_space_new(0, 0, 0, 0, 0);
	scratch = AllocSetContextCreate(CurrentMemoryContext, "vic.space build",
									ALLOCSET_DEFAULT_SIZES);
	MemoryContextSwitchTo(scratch);

	/* 1. names in byte order; every registered name has a cell */
	order = vic_alloc_array(n, sizeof(int32));
	for (int32 i = 0; i < n; i++)
		order[i] = i;
	qsort_arg(order, n, sizeof(int32), name_idx_cmp, b);
	rank = vic_alloc_array(n, sizeof(int32));
	for (int32 i = 0; i < n; i++)
		rank[order[i]] = i;

	/* 2. counting sort by unit rank */
	rowoff = vic_alloc_array0((int64) n + 1, sizeof(int64));
	for (int64 e = 0; e < b->n; e++)
		rowoff[rank[b->unit[e]] + 1]++;
	for (int32 i = 0; i < n; i++)
		rowoff[i + 1] += rowoff[i];
	cells = vic_alloc_array(b->n, sizeof(RawCell));
	{
		int64	   *cur = vic_alloc_array(n, sizeof(int64));

		memcpy(cur, rowoff, sizeof(int64) * (Size) n);
		for (int64 e = 0; e < b->n; e++)
		{
			int64		x = cur[rank[b->unit[e]]]++;

			cells[x].code = b->code[e];
			cells[x].w = b->w[e];
			VIC_POLL_INTERRUPTS(e);
		}
		pfree(cur);
	}

	/* 3. rows sorted by code, runs summed exactly in place */
	for (int32 u = 0; u < n; u++)
	{
		int64		from = rowoff[u],
					to = rowoff[u + 1];

		sort_raw_cells(cells + from, to - from);
		rowoff[u] = m;
		for (int64 x = from; x < to;)
		{
			int64		y = x + 1;
			double		sum[VIC_XSUM_MAXPARTS];
			double	   *vals;
			int			np;

			while (y < to && cells[y].code == cells[x].code)
				y++;
			if (y - x == 1)
			{
				sum[0] = cells[x].w;
				np = 1;
			}
			else
			{
				if (y - x > PG_INT32_MAX / 16)
					ereport(ERROR,
							(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
							 errmsg("too many rows for one vic.space cell")));
				vals = vic_alloc_array(y - x, sizeof(double));
				for (int64 j = x; j < y; j++)
					vals[j - x] = cells[j].w;
				np = vic_space_exact_sum(vals, (int) (y - x), sum);
				pfree(vals);
				if (np == 0)
					sum[0] = 0;
			}
			if (np > 1)
			{
				if (nresid + np > capresid)
				{
					capresid = Max(nresid + np, Max(2 * capresid, 64));
					resid = resid ? repalloc_huge(resid, sizeof(VicSpaceResid) * capresid)
						: vic_alloc_array(capresid, sizeof(VicSpaceResid));
				}
				for (int p = 1; p < np; p++)
				{
					resid[nresid].cell = m;
					resid[nresid].part = sum[p];
					nresid++;
				}
			}
			cells[m].code = cells[x].code;
			cells[m].w = sum[0];
			m++;
			x = y;
		}
		VIC_POLL_INTERRUPTS(u);
	}
	rowoff[n] = m;

	/*
	 * 4. distinct codes: a hash set (a classification has a few thousand
	 * codes at most), then sorted; then each code's rank
	 */
	{
		struct codemap_hash *cm = codemap_create(CurrentMemoryContext, 1024, NULL);
		codemap_iterator it;
		CodeEntry  *ent;
		bool		found;

		for (int64 e = 0; e < m; e++)
			(void) codemap_insert(cm, cells[e].code, &found);
		codes = vic_alloc_array(cm->members, sizeof(int64));
		codemap_start_iterate(cm, &it);
		while ((ent = codemap_iterate(cm, &it)) != NULL)
			codes[k++] = ent->code;
		sort_codes(codes, k);
		for (int32 i = 0; i < k; i++)
			codemap_lookup(cm, codes[i])->idx = i;
		for (int64 e = 0; e < m; e++)
		{
			/* the cell's code is replaced by its rank (the weight stays) */
			cells[e].code = codemap_lookup(cm, cells[e].code)->idx;
			VIC_POLL_INTERRUPTS(e);
		}
	}

	/* 5. the flat form */
	MemoryContextSwitchTo(caller);
	s = vic_space_new(n, k, m, nresid, b->poollen);
	s->scheme = (uint16) b->scheme;
	memcpy(SPACE_CODES(s), codes, sizeof(int64) * (Size) k);
	memcpy(SPACE_ROWOFF(s), rowoff, sizeof(int64) * ((Size) n + 1));
	{
		double	   *w = SPACE_W(s);
		int32	   *col = SPACE_COL(s);
		int32	   *nameoff = SPACE_NAMEOFF(s);
		char	   *pool = SPACE_POOL(s);
		int32		pos = 0;

		for (int64 e = 0; e < m; e++)
		{
			w[e] = cells[e].w;
			col[e] = (int32) cells[e].code;
		}
		if (nresid > 0)
			memcpy(SPACE_RESID(s), resid, sizeof(VicSpaceResid) * (Size) nresid);
		for (int32 u = 0; u < n; u++)
		{
			int			len;
			const char *nm = buf_name(b, order[u], &len);

			nameoff[u] = pos;
			memcpy(pool + pos, nm, len);
			pos += len;
		}
		nameoff[n] = pos;
	}
	MemoryContextDelete(scratch);
	return s;
}

/* ----------------------------------------------------------------
 * Expanded object: the aggregate state
 *
 * Rows and merged spaces go to a raw buffer; flattening builds the
 * canonical form from the buffer and the previous flat form (added back as
 * parts, so the sums stay exact).
 * ----------------------------------------------------------------
 */
typedef struct SpaceExp
{
	ExpandedObjectHeader hdr;
	MemoryContext bufcxt;		/* the raw buffer's memory */
	SpaceBuf   *buf;
	VicSpace   *flat;			/* canonical part, or NULL */
} SpaceExp;

static Size space_eoh_flat_size(ExpandedObjectHeader *eohptr);
static void space_eoh_flatten(ExpandedObjectHeader *eohptr, void *result, Size size);

static const ExpandedObjectMethods space_eoh_methods = {
	space_eoh_flat_size,
	space_eoh_flatten
};

/* a new, empty expanded space in its own child of parent */
static SpaceExp *
space_exp_new(MemoryContext parent)
{
	MemoryContext cxt = AllocSetContextCreate(parent, "vic.space expanded",
											  ALLOCSET_SMALL_SIZES);
	SpaceExp   *ex = MemoryContextAllocZero(cxt, sizeof(SpaceExp));

	EOH_init_header(&ex->hdr, &space_eoh_methods, cxt);
	ex->bufcxt = AllocSetContextCreate(cxt, "vic.space rows", ALLOCSET_DEFAULT_SIZES);
	ex->buf = space_buf_new(ex->bufcxt);
	return ex;
}

/* size of the flat form: builds it */
static Size
space_eoh_flat_size(ExpandedObjectHeader *eohptr)
{
	SpaceExp   *ex = (SpaceExp *) eohptr;
	MemoryContext old;
	VicSpace   *built;

	Assert(ex->hdr.eoh_methods == &space_eoh_methods);
	if (ex->flat != NULL && ex->buf->n == 0)
		return VARSIZE(ex->flat);
	old = MemoryContextSwitchTo(ex->hdr.eoh_context);
	if (ex->flat != NULL)
		space_buf_add_space(ex->buf, ex->flat);
	built = space_buf_build(ex->buf);
	if (ex->flat != NULL)
		pfree(ex->flat);
	ex->flat = built;
	MemoryContextReset(ex->bufcxt);
	ex->buf = space_buf_new(ex->bufcxt);
	MemoryContextSwitchTo(old);
	return VARSIZE(ex->flat);
}

/* copy the canonical form out (flat_size has just built it) */
static void
space_eoh_flatten(ExpandedObjectHeader *eohptr, void *result, Size size)
{
	SpaceExp   *ex = (SpaceExp *) eohptr;

	Assert(ex->flat != NULL && ex->buf->n == 0 && VARSIZE(ex->flat) == size);
	memcpy(result, ex->flat, size);
}

/*
 * The aggregate state in argument argno, ready to be appended to: our own
 * read-write expanded object as is, anything else (NULL, a flat space, a
 * read-only pointer) turned into a new expanded object in aggcxt.
 */
static SpaceExp *
space_state(FunctionCallInfo fcinfo, int argno, MemoryContext aggcxt)
{
	SpaceExp   *ex;
	Datum		d;

	if (PG_ARGISNULL(argno))
		return space_exp_new(aggcxt);
	d = PG_GETARG_DATUM(argno);
	if (VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(d)))
	{
		ExpandedObjectHeader *eoh = DatumGetEOHP(d);

		if (eoh->eoh_methods == &space_eoh_methods)
			return (SpaceExp *) eoh;
	}
	ex = space_exp_new(aggcxt);
	space_buf_add_space(ex->buf, vic_space_getarg(fcinfo, argno));
	return ex;
}

/* 22023 for a bad weight of a row, naming its unit and industry */
static void
space_bad_weight(const char *what, float8 w, text *unit, int64 code)
{
	char		ind[VIC_INDUSTRY_MAXLEN];

	industry_format(code, ind);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 what ? errmsg("%s weight for unit \"%s\" industry %s", what, text_to_cstring(unit), ind)
			 : errmsg("invalid weight %s for unit \"%s\" industry %s",
					  float8out_internal(w), text_to_cstring(unit), ind),
			 errdetail("Weights must be finite and non-negative.")));
}

PG_FUNCTION_INFO_V1(vic_space_agg_trans);
/* space_agg(unit, industry [, weight]) transition: append one cell contribution */
Datum
vic_space_agg_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	SpaceExp   *ex;
	text	   *unit;
	int64		code;
	double		w = 1.0;
	int32		u;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "vic_space_agg_trans called in non-aggregate context");
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	unit = PG_GETARG_TEXT_PP(1);
	code = DatumGetInt64(PG_GETARG_DATUM(2));
	if (PG_NARGS() > 3)
	{
		if (PG_ARGISNULL(3))
			space_bad_weight("null", 0, unit, code);
		w = PG_GETARG_FLOAT8(3);
		if (unlikely(!vic_weight_ok(w)))
			space_bad_weight(NULL, w, unit, code);
	}
	ex = space_state(fcinfo, 0, aggcxt);
	u = space_buf_unit(ex->buf, VARDATA_ANY(unit), VARSIZE_ANY_EXHDR(unit));
	space_buf_add(ex->buf, u, code, w);
	PG_RETURN_DATUM(EOHPGetRWDatum(&ex->hdr));
}

PG_FUNCTION_INFO_V1(vic_space_agg_profile_trans);
/*
 * space_agg(unit, profile) transition: the profile's industry weights (as
 * given, vic.industry_shares' table) become the unit's cells
 */
Datum
vic_space_agg_profile_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	SpaceExp   *ex;
	text	   *unit;
	VicProfile *p;
	VicShare   *t;
	int			nt;
	int32		u;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "vic_space_agg_profile_trans called in non-aggregate context");
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	unit = PG_GETARG_TEXT_PP(1);
	p = PG_GETARG_VIC_PROFILE_TABLES(2);
	profile_check_not_tally(p);
	t = profile_industry_table(p, 0, &nt);
	ex = space_state(fcinfo, 0, aggcxt);
	u = space_buf_unit(ex->buf, VARDATA_ANY(unit), VARSIZE_ANY_EXHDR(unit));
	for (int i = 0; i < nt; i++)
		space_buf_add(ex->buf, u, t[i].key, t[i].weight);
	pfree(t);
	PG_RETURN_DATUM(EOHPGetRWDatum(&ex->hdr));
}

PG_FUNCTION_INFO_V1(vic_space_merge_trans);
/* merge_agg transition and combine function of the space aggregates */
Datum
vic_space_merge_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	SpaceExp   *ex;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "vic_space_merge_trans called in non-aggregate context");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	ex = space_state(fcinfo, 0, aggcxt);
	space_buf_add_space(ex->buf, vic_space_getarg(fcinfo, 1));
	PG_RETURN_DATUM(EOHPGetRWDatum(&ex->hdr));
}

PG_FUNCTION_INFO_V1(vic_space_final);
/* final function of the space aggregates: the state handed on without a copy */
Datum
vic_space_final(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(vic_expanded_final(PG_GETARG_DATUM(0)));
}

PG_FUNCTION_INFO_V1(vic_space_merge);
/* a || b: the union of two spaces, weights of common cells summed exactly */
Datum
vic_space_merge(PG_FUNCTION_ARGS)
{
	VicSpace   *a = vic_space_getarg(fcinfo, 0);
	VicSpace   *b = vic_space_getarg(fcinfo, 1);
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext, "vic.space merge",
											  ALLOCSET_DEFAULT_SIZES);
	SpaceBuf   *buf = space_buf_new(cxt);
	VicSpace   *s;

	space_buf_add_space(buf, a);
	space_buf_add_space(buf, b);
	s = space_buf_build(buf);
	MemoryContextDelete(cxt);
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(vic_space_eq);
/* a = b: the same canonical bytes */
Datum
vic_space_eq(PG_FUNCTION_ARGS)
{
	VicSpace   *a = vic_space_getarg(fcinfo, 0);
	VicSpace   *b = vic_space_getarg(fcinfo, 1);

	PG_RETURN_BOOL(VARSIZE(a) == VARSIZE(b) && memcmp(a, b, VARSIZE(a)) == 0);
}

PG_FUNCTION_INFO_V1(vic_space_ne);
/* a <> b */
Datum
vic_space_ne(PG_FUNCTION_ARGS)
{
	VicSpace   *a = vic_space_getarg(fcinfo, 0);
	VicSpace   *b = vic_space_getarg(fcinfo, 1);

	PG_RETURN_BOOL(!(VARSIZE(a) == VARSIZE(b) && memcmp(a, b, VARSIZE(a)) == 0));
}

PG_FUNCTION_INFO_V1(vic_space_unit_count);
/* number of units */
Datum
vic_space_unit_count(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(vic_space_getarg(fcinfo, 0)->nunits);
}

PG_FUNCTION_INFO_V1(vic_space_cells);
/* the cells (unit, industry, weight) at a level, in (unit, industry) order */
Datum
vic_space_cells(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = vic_srf_init(fcinfo);
	VicSpace   *s;
	int			level;
	SpaceMatrix mx;

	/* not strict (level may be NULL): a NULL space has no cells */
	if (PG_ARGISNULL(0))
		return (Datum) 0;
	s = vic_space_getarg(fcinfo, 0);
	level = space_level_arg(fcinfo, 1, s);
	space_matrix(s, level, &mx);
	for (int32 u = 0; u < mx.n; u++)
	{
		Datum		name = space_unit_text(s, u);

		for (int64 e = mx.off[u]; e < mx.off[u + 1]; e++)
		{
			Datum		v[3] = {name, Int64GetDatum(mx.codes[mx.col[e]]), Float8GetDatum(mx.x[e])};
			bool		nulls[3] = {false, false, false};

			vic_srf_emit(rsinfo, v, nulls);
		}
		VIC_POLL_INTERRUPTS(u);
	}
	return (Datum) 0;
}

/* ----------------------------------------------------------------
 * The matrix at a level
 * ----------------------------------------------------------------
 */

/* the level argument argno for s: 0 when absent or NULL, else checked (22023) */
int
space_level_arg(FunctionCallInfo fcinfo, int argno, const VicSpace *s)
{
	return vic_level_arg(fcinfo, argno, s->scheme ? industry_max_level(s->scheme) : 5);
}

/* the unit name of index u as a text datum */
Datum
space_unit_text(const VicSpace *s, int32 u)
{
	const int32 *nameoff = SPACE_NAMEOFF(s);

	return PointerGetDatum(cstring_to_text_with_len(SPACE_POOL(s) + nameoff[u],
													nameoff[u + 1] - nameoff[u]));
}

/* the index of unit name (len bytes) in s, or -1 (binary search) */
int32
space_find_unit(const VicSpace *s, const char *name, int len)
{
	const int32 *nameoff = SPACE_NAMEOFF(s);
	const char *pool = SPACE_POOL(s);
	int32		lo = 0,
				hi = s->nunits - 1;

	while (lo <= hi)
	{
		int32		mid = lo + (hi - lo) / 2;
		int			c = space_name_cmp(pool + nameoff[mid], nameoff[mid + 1] - nameoff[mid],
									   name, len);

		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* the correctly rounded sum of vals[0..n-1] */
static double
rounded_sum(const double *vals, int n)
{
	double		out[VIC_XSUM_MAXPARTS];

	return vic_space_exact_sum(vals, n, out) > 0 ? out[0] : 0;
}

/*
 * The matrix of s at level: codes finer than the level are rolled up to
 * their ancestor (a mask: the order is kept, so a row's rolled-up cells are
 * runs), each rolled-up cell is the exact sum of its cells' exact values
 * (residual parts included) rounded once, and the row, column and grand
 * totals are exact sums rounded once, so no total depends on the order of
 * the cells.
 */
void
space_matrix(const VicSpace *s, int level, SpaceMatrix *mx)
{
	const int64 *codes = SPACE_CODES(s);
	const int64 *off = SPACE_ROWOFF(s);
	const int32 *col = SPACE_COL(s);
	const double *w = SPACE_W(s);
	int32	   *map = vic_alloc_array(s->nind, sizeof(int32));
	VicXsumRound *cs;
	VicXsumRound all = VIC_XSUM_ROUND_INIT;
	int64		r = 0;
	int64		m = 0;
	double	   *vals = NULL;
	int			capvals = 0;

	mx->s = s;
	mx->n = s->nunits;
	mx->k = 0;
	mx->codes = vic_alloc_array(s->nind, sizeof(int64));
	for (int32 i = 0; i < s->nind; i++)
	{
		int64		c = level > 0 ? industry_ancestor(codes[i], level) : codes[i];

		if (mx->k == 0 || mx->codes[mx->k - 1] != c)
			mx->codes[mx->k++] = c;
		map[i] = mx->k - 1;
	}
	mx->off = vic_alloc_array((int64) s->nunits + 1, sizeof(int64));
	mx->col = vic_alloc_array(s->ncells, sizeof(int32));
	mx->x = vic_alloc_array(s->ncells, sizeof(double));
	mx->rowsum = vic_alloc_array(s->nunits, sizeof(double));
	mx->colsum = vic_alloc_array(mx->k, sizeof(double));
	cs = vic_alloc_array0(mx->k, sizeof(VicXsumRound));
	for (int32 u = 0; u < s->nunits; u++)
	{
		VicXsumRound rs = VIC_XSUM_ROUND_INIT;

		mx->off[u] = m;
		for (int64 e = off[u]; e < off[u + 1];)
		{
			int32		j = map[col[e]];
			int			nv = 0;
			double		x;

			/* the parts of every cell of the run */
			for (; e < off[u + 1] && map[col[e]] == j; e++)
			{
				if (nv + VIC_XSUM_MAXPARTS > capvals)
				{
					capvals = Max(nv + VIC_XSUM_MAXPARTS, 2 * capvals);
					vals = vals ? repalloc(vals, sizeof(double) * capvals)
						: palloc(sizeof(double) * capvals);
				}
				if (r < s->nresid && SPACE_RESID(s)[r].cell == e)
					nv += vic_space_cell_parts(s, e, &r, vals + nv);
				else
					vals[nv++] = w[e];
			}
			x = nv == 1 ? vals[0] : rounded_sum(vals, nv);
			for (int p = 0; p < nv; p++)
			{
				vic_xsum_round_add(&rs, vals[p]);
				vic_xsum_round_add(&cs[j], vals[p]);
				vic_xsum_round_add(&all, vals[p]);
			}
			mx->col[m] = j;
			mx->x[m] = x;
			m++;
		}
		mx->rowsum[u] = vic_xsum_round_result(&rs);
		VIC_POLL_INTERRUPTS(u);
	}
	mx->off[s->nunits] = m;
	mx->m = m;
	for (int32 j = 0; j < mx->k; j++)
		mx->colsum[j] = vic_xsum_round_result(&cs[j]);
	mx->total = vic_xsum_round_result(&all);
	pfree(cs);
	pfree(map);
	if (vals)
		pfree(vals);
}
