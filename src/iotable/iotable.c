/*
 * iotable.c
 *		The vic.iotable type: the raw cell buffer, exact sums, the canonical
 *		build, merging, the aggregates with an expanded-object state,
 *		equality and the accessors that list a table's contents.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "common/hashfn.h"
#include "common/shortest_dec.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/expandeddatum.h"

#include "iotable.h"

const char *const vic_io_field_names[IO_NFIELDS] = {
	"total_output", "final_demand", "exports", "imports", "value_added",
	"income", "employment"
};

/* most raw (not yet summed) cells one state may hold */
#define IO_MAX_RAW			((int64) (PG_INT32_MAX / 2))
#define IO_MAX_SECTORS		(PG_INT32_MAX / 4)

/* read argument argno as a flat, version-checked table */
VicIotable *
vic_iotable_getarg(FunctionCallInfo fcinfo, int argno)
{
	return (VicIotable *) vic_summary_detoast(PG_GETARG_DATUM(argno),
											  VIC_IOTABLE_VERSION,
											  VIC_IOTABLE_TYPNAME);
}

/* a new table with its header set and padding zeroed */
VicIotable *
vic_iotable_new(int64 n, int64 c, int64 r, int64 pool)
{
	Size		size;
	VicIotable *t;

	if (n < 0 || c < 0 || r < 0 || pool < 0 ||
		n > IO_MAX_SECTORS || c > PG_INT32_MAX || r > PG_INT32_MAX || pool > PG_INT32_MAX)
		vic_check_summary_size(PG_UINT64_MAX, VIC_IOTABLE_TYPNAME, NULL);
	size = IOT_SIZE(n, c, r, pool);
	vic_check_summary_size(size, VIC_IOTABLE_TYPNAME,
						   "Split the table by region or merge sectors.");
	t = palloc0(size);
	SET_VARSIZE(t, size);
	t->version = VIC_IOTABLE_VERSION;
	t->nsectors = (int32) n;
	t->ncells = (int32) c;
	t->nresid = (int32) r;
	t->pool_len = (int32) pool;
	return t;
}

/* 22023 for a NaN or infinite value */
void
vic_io_bad_value(double v, const char *row, int rowlen, const char *col, int collen, int field)
{
	char		buf[32];

	if (isnan(v))
		strcpy(buf, "NaN");
	else
		strcpy(buf, v > 0 ? "Infinity" : "-Infinity");
	if (col != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid value %s for flow \"%.*s\" -> \"%.*s\"", buf,
						rowlen, row, collen, col),
				 errdetail("Flows and accounts must be finite.")));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid value %s for %s of sector \"%.*s\"", buf,
					vic_io_field_names[field], rowlen, row),
			 errdetail("Flows and accounts must be finite.")));
}

/* ----------------------------------------------------------------
 * Raw buffer
 * ----------------------------------------------------------------
 */
typedef struct IoNameKey
{
	const char *s;
	int32		len;
} IoNameKey;

typedef struct IoNameEntry
{
	IoNameKey	key;
	int32		idx;
	uint32		hash;
	char		status;
} IoNameEntry;

#define SH_PREFIX		ionames
#define SH_ELEMENT_TYPE IoNameEntry
#define SH_KEY_TYPE		IoNameKey
#define SH_KEY			key
#define SH_HASH_KEY(tb, k) hash_bytes((const unsigned char *) (k).s, (k).len)
#define SH_EQUAL(tb, a, b) ((a).len == (b).len && memcmp((a).s, (b).s, (a).len) == 0)
#define SH_STORE_HASH
#define SH_GET_HASH(tb, a) ((a)->hash)
#define SH_SCOPE		static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

void
vic_ioraw_init(IoRaw *b, MemoryContext cxt)
{
	memset(b, 0, sizeof(IoRaw));
	b->cxt = cxt;
}

/* release what a buffer holds, leaving it empty */
void
vic_ioraw_free(IoRaw *b)
{
	if (b->map)
		ionames_destroy(b->map);
	for (int32 i = 0; i < b->nnames; i++)
		pfree(b->names[i]);
	if (b->names)
	{
		pfree(b->names);
		pfree(b->namelen);
	}
	if (b->row)
	{
		pfree(b->row);
		pfree(b->col);
		pfree(b->val);
	}
	vic_ioraw_init(b, b->cxt);
}

/* provisional index of a sector name, registering it on first sight */
int32
vic_ioraw_sector(IoRaw *b, const char *name, int len)
{
	IoNameKey	key = {name, len};
	IoNameEntry *ent;
	bool		found;

	if (b->map == NULL)
		b->map = ionames_create(b->cxt, 64, NULL);
	ent = ionames_insert(b->map, key, &found);
	if (!found)
	{
		char	   *copy;

		if (b->nnames >= b->capnames)
		{
			if (b->nnames >= IO_MAX_SECTORS)
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("too many sectors for one vic.iotable")));
			b->capnames = Max(64, 2 * b->capnames);
			if (b->names == NULL)
			{
				b->names = MemoryContextAllocHuge(b->cxt, sizeof(char *) * b->capnames);
				b->namelen = MemoryContextAllocHuge(b->cxt, sizeof(int32) * b->capnames);
			}
			else
			{
				b->names = repalloc_huge(b->names, sizeof(char *) * b->capnames);
				b->namelen = repalloc_huge(b->namelen, sizeof(int32) * b->capnames);
			}
		}
		copy = MemoryContextAlloc(b->cxt, Max(len, 1));
		memcpy(copy, name, len);
		ent->key.s = copy;
		ent->key.len = len;
		ent->idx = b->nnames;
		b->names[b->nnames] = copy;
		b->namelen[b->nnames] = len;
		b->nnames++;
		b->pool += len;
		if (b->pool > PG_INT32_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("sector names of one vic.iotable are too long")));
	}
	return ent->idx;
}

/* make room for one more cell */
static pg_noinline void
ioraw_grow(IoRaw *b)
{
	int64		cap = Max(64, 2 * b->cap);

	if (b->n >= IO_MAX_RAW)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many cells for one vic.iotable"),
				 errdetail("An aggregate state holds at most " INT64_FORMAT " values before they are summed.",
						   IO_MAX_RAW)));
	cap = Min(cap, IO_MAX_RAW);
	if (b->row == NULL)
	{
		b->row = MemoryContextAllocHuge(b->cxt, cap * sizeof(int32));
		b->col = MemoryContextAllocHuge(b->cxt, cap * sizeof(int32));
		b->val = MemoryContextAllocHuge(b->cxt, cap * sizeof(double));
	}
	else
	{
		b->row = repalloc_huge(b->row, cap * sizeof(int32));
		b->col = repalloc_huge(b->col, cap * sizeof(int32));
		b->val = repalloc_huge(b->val, cap * sizeof(double));
	}
	b->cap = cap;
}

/* append one checked value */
void
vic_ioraw_add(IoRaw *b, int32 row, int32 col, double v)
{
	if (unlikely(b->n >= b->cap))
		ioraw_grow(b);
	b->row[b->n] = row;
	b->col[b->n] = col;
	b->val[b->n] = v + 0.0;		/* -0 becomes +0 */
	b->n++;
}

/* append every part of every value of a flat table */
void
vic_ioraw_add_table(IoRaw *b, const VicIotable *t)
{
	int32	   *local = palloc(sizeof(int32) * Max(t->nsectors, 1));
	const VicIoCell *cells = IOT_CELLS(t);
	const VicIoResid *resid = IOT_RESID(t);

	for (int32 i = 0; i < t->nsectors; i++)
	{
		int			len;
		const char *s = iot_name(t, i, &len);

		local[i] = vic_ioraw_sector(b, s, len);
	}
	for (int32 k = 0; k < t->ncells; k++)
	{
		int32		col = cells[k].col >= 0 ? local[cells[k].col] : cells[k].col;

		vic_ioraw_add(b, local[cells[k].row], col, cells[k].value);
		VIC_POLL_INTERRUPTS(k);
	}
	for (int32 r = 0; r < t->nresid; r++)
	{
		const VicIoCell *c = &cells[resid[r].cell];
		int32		col = c->col >= 0 ? local[c->col] : c->col;

		vic_ioraw_add(b, local[c->row], col, resid[r].part);
	}
	pfree(local);
}

/* ----------------------------------------------------------------
 * Canonical build
 * ----------------------------------------------------------------
 */
typedef struct RawCell
{
	int32		row;
	int32		col;
	double		v;
} RawCell;

#define ST_SORT			sort_raw_cells
#define ST_ELEMENT_TYPE RawCell
#define ST_COMPARE(a, b) ((a)->row != (b)->row ? ((a)->row < (b)->row ? -1 : 1) : \
						  ((a)->col < (b)->col ? -1 : ((a)->col > (b)->col ? 1 : 0)))
#define ST_SCOPE		static
#define ST_DECLARE
#define ST_DEFINE
#include "lib/sort_template.h"

/* provisional indexes sorted by name (arg: the buffer) */
static int
name_order_cmp(const void *a, const void *b, void *arg)
{
	const IoRaw *raw = (const IoRaw *) arg;
	int32		x = *(const int32 *) a;
	int32		y = *(const int32 *) b;

	return iot_name_cmp(raw->names[x], raw->namelen[x], raw->names[y], raw->namelen[y]);
}

/* 22003: an exact sum beyond float8 */
static void
sum_overflow(const IoRaw *b, const int32 *order, int32 row, int32 col)
{
	int32		r = order[row];

	if (col >= 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("sum of the values of flow \"%.*s\" -> \"%.*s\" is out of range",
						b->namelen[r], b->names[r], b->namelen[order[col]], b->names[order[col]])));
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("sum of the values of %s of sector \"%.*s\" is out of range",
					vic_io_field_names[IO_COL_FIELD(col)], b->namelen[r], b->names[r])));
}

/*
 * Build the canonical table: names sorted, cells renumbered and sorted by
 * (row, col), each run of one cell summed exactly (canonical parts, xsum.h);
 * zero flows dropped.  Scratch memory is freed before returning.
 */
VicIotable *
vic_ioraw_build(const IoRaw *b)
{
	MemoryContext caller = CurrentMemoryContext;
	MemoryContext scratch;
	int32		n = b->nnames;
	int32	   *order;			/* rank -> provisional index */
	int32	   *rank;			/* provisional index -> rank */
	RawCell    *cells;
	VicIoCell  *outc;
	VicIoResid *outr;
	int64		nc = 0;
	int64		nr = 0;
	int64		capr = 64;
	double	   *vals = NULL;
	int64		capvals = 0;
	VicIotable *t;

	scratch = AllocSetContextCreate(caller, "vic.iotable build", ALLOCSET_DEFAULT_SIZES);
	MemoryContextSwitchTo(scratch);
	order = vic_alloc_array(n, sizeof(int32));
	rank = vic_alloc_array(n, sizeof(int32));
	for (int32 i = 0; i < n; i++)
		order[i] = i;
	qsort_arg(order, n, sizeof(int32), name_order_cmp, (void *) b);
	for (int32 i = 0; i < n; i++)
		rank[order[i]] = i;

	cells = vic_alloc_array(b->n, sizeof(RawCell));
	for (int64 k = 0; k < b->n; k++)
	{
		cells[k].row = rank[b->row[k]];
		cells[k].col = b->col[k] >= 0 ? rank[b->col[k]] : b->col[k];
		cells[k].v = b->val[k];
	}
	sort_raw_cells(cells, b->n);

	outc = vic_alloc_array(Max(b->n, 1), sizeof(VicIoCell));
	outr = vic_alloc_array(capr, sizeof(VicIoResid));
	for (int64 k = 0; k < b->n;)
	{
		int64		j = k + 1;
		double		s = cells[k].v;
		bool		exact = true;
		double		parts[VIC_XSUM_MAXPARTS];
		int			np;

		for (; j < b->n && cells[j].row == cells[k].row && cells[j].col == cells[k].col; j++)
		{
			double		e;

			vic_two_sum(s, cells[j].v, &s, &e);
			exact &= (e == 0);
		}
		if (exact && isfinite(s))
		{
			parts[0] = s;
			np = s != 0 ? 1 : 0;
		}
		else
		{
			if (j - k > capvals)
			{
				capvals = Max(j - k, 2 * capvals);
				if (vals)
					pfree(vals);
				vals = vic_alloc_array(capvals, sizeof(double));
			}
			for (int64 i = k; i < j; i++)
				vals[i - k] = cells[i].v;
			np = vic_xsum_canonical_checked(vals, (int) (j - k), parts);
			if (np < 0)
				sum_overflow(b, order, cells[k].row, cells[k].col);
		}
		if (np > 0 || cells[k].col < 0)
		{
			outc[nc].row = cells[k].row;
			outc[nc].col = cells[k].col;
			outc[nc].value = np > 0 ? parts[0] : 0.0;
			for (int p = 1; p < np; p++)
			{
				if (nr >= capr)
				{
					capr *= 2;
					outr = repalloc_huge(outr, capr * sizeof(VicIoResid));
				}
				outr[nr].cell = (int32) nc;
				outr[nr].pad = 0;
				outr[nr].part = parts[p];
				nr++;
			}
			nc++;
		}
		k = j;
		VIC_POLL_INTERRUPTS(k);
	}

	MemoryContextSwitchTo(caller);
	t = vic_iotable_new(n, nc, nr, b->pool);
	memcpy(IOT_CELLS(t), outc, nc * sizeof(VicIoCell));
	if (nr > 0)
		memcpy(IOT_RESID(t), outr, nr * sizeof(VicIoResid));
	{
		int32	   *end = IOT_NAME_END(t);
		char	   *pool = IOT_POOL(t);
		int64		off = 0;

		for (int32 i = 0; i < n; i++)
		{
			memcpy(pool + off, b->names[order[i]], b->namelen[order[i]]);
			off += b->namelen[order[i]];
			end[i] = (int32) off;
		}
	}
	MemoryContextDelete(scratch);
	return t;
}

/* the union of two tables, common values summed exactly */
static VicIotable *
iotable_merge(const VicIotable *a, const VicIotable *b)
{
	IoRaw		raw;
	VicIotable *t;

	vic_ioraw_init(&raw, CurrentMemoryContext);
	vic_ioraw_add_table(&raw, a);
	vic_ioraw_add_table(&raw, b);
	t = vic_ioraw_build(&raw);
	vic_ioraw_free(&raw);
	return t;
}

/* ----------------------------------------------------------------
 * Expanded object: the aggregate state (a raw buffer; flattening builds it)
 * ----------------------------------------------------------------
 */
typedef struct IoExpanded
{
	ExpandedObjectHeader hdr;
	IoRaw		raw;
	VicIotable *flat;			/* the built form of raw, while raw is unchanged */
} IoExpanded;

static Size io_eoh_flat_size(ExpandedObjectHeader *eohptr);
static void io_eoh_flatten(ExpandedObjectHeader *eohptr, void *result, Size allocated_size);

static const ExpandedObjectMethods io_eoh_methods = {
	io_eoh_flat_size,
	io_eoh_flatten
};

/* a new, empty state in its own child of parent */
static IoExpanded *
io_expanded_new(MemoryContext parent)
{
	MemoryContext cxt = AllocSetContextCreate(parent, "vic.iotable expanded",
											  ALLOCSET_SMALL_SIZES);
	IoExpanded *e = MemoryContextAllocZero(cxt, sizeof(IoExpanded));

	EOH_init_header(&e->hdr, &io_eoh_methods, cxt);
	vic_ioraw_init(&e->raw, cxt);
	return e;
}

/* the state changes: a cached flat form is out of date */
static inline void
io_expanded_touch(IoExpanded *e)
{
	if (unlikely(e->flat != NULL))
	{
		pfree(e->flat);
		e->flat = NULL;
	}
}

static Size
io_eoh_flat_size(ExpandedObjectHeader *eohptr)
{
	IoExpanded *e = (IoExpanded *) eohptr;

	Assert(e->hdr.eoh_methods == &io_eoh_methods);
	if (e->flat == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(e->hdr.eoh_context);

		e->flat = vic_ioraw_build(&e->raw);
		MemoryContextSwitchTo(old);
	}
	return VARSIZE(e->flat);
}

static void
io_eoh_flatten(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	IoExpanded *e = (IoExpanded *) eohptr;

	Assert(e->flat != NULL && VARSIZE(e->flat) == allocated_size);
	memcpy(result, e->flat, allocated_size);
}

/*
 * The state in argument argno, ready to append to: our own read-write
 * expanded object as is, anything else copied into a new one in aggcxt.
 */
static IoExpanded *
io_state(FunctionCallInfo fcinfo, int argno, MemoryContext aggcxt)
{
	IoExpanded *e;
	Datum		d;

	if (PG_ARGISNULL(argno))
		return io_expanded_new(aggcxt);
	d = PG_GETARG_DATUM(argno);
	if (VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(d)))
	{
		ExpandedObjectHeader *eoh = DatumGetEOHP(d);

		if (eoh->eoh_methods == &io_eoh_methods)
		{
			e = (IoExpanded *) eoh;
			io_expanded_touch(e);
			return e;
		}
	}
	e = io_expanded_new(aggcxt);
	vic_ioraw_add_table(&e->raw, vic_iotable_getarg(fcinfo, argno));
	return e;
}

/* ----------------------------------------------------------------
 * Aggregates
 * ----------------------------------------------------------------
 */
PG_FUNCTION_INFO_V1(vic_iotable_flow_trans);
/* iotable_agg transition: add the flow value from_sector -> to_sector */
Datum
vic_iotable_flow_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	IoExpanded *e;
	text	   *from;
	text	   *to;
	double		v;
	int32		r,
				c;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "vic_iotable_flow_trans called in non-aggregate context");
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	from = PG_GETARG_TEXT_PP(1);
	to = PG_GETARG_TEXT_PP(2);
	if (PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("null value for flow \"%.*s\" -> \"%.*s\"",
						(int) VARSIZE_ANY_EXHDR(from), VARDATA_ANY(from),
						(int) VARSIZE_ANY_EXHDR(to), VARDATA_ANY(to)),
				 errdetail("A flow row needs a value; leave the row out for no flow.")));
	v = PG_GETARG_FLOAT8(3);
	if (!isfinite(v))
		vic_io_bad_value(v, VARDATA_ANY(from), VARSIZE_ANY_EXHDR(from),
						 VARDATA_ANY(to), VARSIZE_ANY_EXHDR(to), 0);
	e = io_state(fcinfo, 0, aggcxt);
	r = vic_ioraw_sector(&e->raw, VARDATA_ANY(from), VARSIZE_ANY_EXHDR(from));
	c = vic_ioraw_sector(&e->raw, VARDATA_ANY(to), VARSIZE_ANY_EXHDR(to));
	vic_ioraw_add(&e->raw, r, c, v);
	PG_RETURN_DATUM(EOHPGetRWDatum(&e->hdr));
}

PG_FUNCTION_INFO_V1(vic_iotable_accounts_trans);
/*
 * iotable_accounts_agg transition: (sector, total_output, final_demand,
 * exports, imports, value_added[, income, employment]); NULL = not given
 */
Datum
vic_iotable_accounts_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	IoExpanded *e;
	text	   *sector;
	int32		r;
	int			nf = PG_NARGS() - 2;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "vic_iotable_accounts_trans called in non-aggregate context");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	sector = PG_GETARG_TEXT_PP(1);
	Assert(nf <= IO_NFIELDS);
	for (int k = 0; k < nf; k++)
		if (!PG_ARGISNULL(2 + k) && !isfinite(PG_GETARG_FLOAT8(2 + k)))
			vic_io_bad_value(PG_GETARG_FLOAT8(2 + k), VARDATA_ANY(sector),
							 VARSIZE_ANY_EXHDR(sector), NULL, 0, k);
	e = io_state(fcinfo, 0, aggcxt);
	r = vic_ioraw_sector(&e->raw, VARDATA_ANY(sector), VARSIZE_ANY_EXHDR(sector));
	for (int k = 0; k < nf; k++)
		if (!PG_ARGISNULL(2 + k))
			vic_ioraw_add(&e->raw, r, IO_FIELD_COL(k), PG_GETARG_FLOAT8(2 + k));
	PG_RETURN_DATUM(EOHPGetRWDatum(&e->hdr));
}

PG_FUNCTION_INFO_V1(vic_iotable_merge_trans);
/* merge_agg transition and combine function of every iotable aggregate */
Datum
vic_iotable_merge_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	IoExpanded *e;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "vic_iotable_merge_trans called in non-aggregate context");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	e = io_state(fcinfo, 0, aggcxt);
	vic_ioraw_add_table(&e->raw, vic_iotable_getarg(fcinfo, 1));
	PG_RETURN_DATUM(EOHPGetRWDatum(&e->hdr));
}

PG_FUNCTION_INFO_V1(vic_iotable_concat);
/* a || b: flows and accounts of both, common values summed exactly */
Datum
vic_iotable_concat(PG_FUNCTION_ARGS)
{
	VicIotable *a = vic_iotable_getarg(fcinfo, 0);
	VicIotable *b = vic_iotable_getarg(fcinfo, 1);

	PG_RETURN_POINTER(iotable_merge(a, b));
}

/* same canonical bytes */
static bool
iotable_equal(FunctionCallInfo fcinfo)
{
	VicIotable *a = vic_iotable_getarg(fcinfo, 0);
	VicIotable *b = vic_iotable_getarg(fcinfo, 1);

	return VARSIZE(a) == VARSIZE(b) && memcmp(a, b, VARSIZE(a)) == 0;
}

PG_FUNCTION_INFO_V1(vic_iotable_eq);
/* a = b: the same sectors, flows and accounts */
Datum
vic_iotable_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(iotable_equal(fcinfo));
}

PG_FUNCTION_INFO_V1(vic_iotable_ne);
/* a <> b */
Datum
vic_iotable_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!iotable_equal(fcinfo));
}

/* ----------------------------------------------------------------
 * Accessors
 * ----------------------------------------------------------------
 */
PG_FUNCTION_INFO_V1(vic_iotable_flows);
/* SRF (from_sector, to_sector, value): the stored flows in key order */
Datum
vic_iotable_flows(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = vic_srf_init(fcinfo);
	VicIotable *t = vic_iotable_getarg(fcinfo, 0);
	const VicIoCell *cells = IOT_CELLS(t);

	for (int32 k = 0; k < t->ncells; k++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};
		int			la,
					lb;
		const char *a,
				   *b;

		if (cells[k].col < 0)
			continue;
		a = iot_name(t, cells[k].row, &la);
		b = iot_name(t, cells[k].col, &lb);
		values[0] = PointerGetDatum(cstring_to_text_with_len(a, la));
		values[1] = PointerGetDatum(cstring_to_text_with_len(b, lb));
		values[2] = Float8GetDatum(cells[k].value);
		vic_srf_emit(rsinfo, values, nulls);
		VIC_POLL_INTERRUPTS(k);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(vic_iotable_sectors);
/* SRF (sector, the accounts...): every sector, NULL where an account is not given */
Datum
vic_iotable_sectors(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = vic_srf_init(fcinfo);
	VicIotable *t = vic_iotable_getarg(fcinfo, 0);
	const VicIoCell *cells = IOT_CELLS(t);
	int32		k = 0;

	for (int32 i = 0; i < t->nsectors; i++)
	{
		Datum		values[1 + IO_NFIELDS];
		bool		nulls[1 + IO_NFIELDS];
		int			len;
		const char *s = iot_name(t, i, &len);

		values[0] = PointerGetDatum(cstring_to_text_with_len(s, len));
		nulls[0] = false;
		for (int f = 0; f < IO_NFIELDS; f++)
			nulls[1 + f] = true;
		while (k < t->ncells && cells[k].row < i)
			k++;
		for (; k < t->ncells && cells[k].row == i && cells[k].col < 0; k++)
		{
			int			f = IO_COL_FIELD(cells[k].col);

			values[1 + f] = Float8GetDatum(cells[k].value);
			nulls[1 + f] = false;
		}
		vic_srf_emit(rsinfo, values, nulls);
		VIC_POLL_INTERRUPTS(i);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(vic_iotable_sector_count);
/* number of sectors */
Datum
vic_iotable_sector_count(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(vic_iotable_getarg(fcinfo, 0)->nsectors);
}
