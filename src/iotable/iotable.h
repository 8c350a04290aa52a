/*
 * iotable.h
 *		The vic.iotable summary: an input-output table (intersectoral flows
 *		and per-sector accounts) over text sector keys, shared by the
 *		iotable files.
 *
 * iotable.c owns the on-disk form, the raw cell buffer, the canonical build,
 * merging and the aggregates; iotable_io.c the text and binary I/O;
 * iotable_model.c turns a table into the dense model the analyses read
 * (iotable_analysis.c, iotable_regional.c), checking the accounts they need.
 */
#ifndef VIC_IOTABLE_H
#define VIC_IOTABLE_H

#include "common/vic.h"

#include "common/mem.h"
#include "common/srf.h"
#include "common/summary.h"
#include "common/xsum.h"

/* ----------------------------------------------------------------
 * On-disk form (one varlena, 8-byte aligned):
 *
 *	 int32	vl_len_
 *	 uint8	version			VIC_IOTABLE_VERSION
 *	 uint8	flags			0 (reserved)
 *	 uint16 reserved		0
 *	 int32	nsectors		n
 *	 int32	ncells			c
 *	 int32	nresid			r
 *	 int32	pool_len		bytes of sector names
 *	 VicIoCell cells[c]		(row, col, value), strictly ascending by (row, col)
 *	 VicIoResid resid[r]	further canonical parts, ascending by cell
 *	 int32	name_end[n]		end of name i in the pool (start: name_end[i - 1] or 0)
 *	 (zero padding to 8)
 *	 char	pool[pool_len]	names, strictly ascending in byte order (shorter first
 *							on a common prefix), no terminators
 *	 (zero padding to 8)
 *
 * A cell with col >= 0 is the flow z[row, col] from sector row (seller) to
 * sector col (buyer); col = -1 - k is account k (IoField) of sector row.
 * Every value is an exact sum (xsum.h) of what was added: value is its
 * correctly rounded c1, and the further parts c2, c3, ... follow in resid.
 * A flow whose exact sum is zero is not stored (sparse); an account is
 * stored whenever one was given, zero included, because a given zero and a
 * missing account mean different things.  A sector is known from any key
 * that named it, so it may have no cell of its own.
 * ----------------------------------------------------------------
 */
#define VIC_IOTABLE_VERSION 1
#define VIC_IOTABLE_TYPNAME "vic.iotable"

/* the accounts a sector may carry, in the order of iotable_accounts_agg */
typedef enum IoField
{
	IO_TOTAL_OUTPUT,
	IO_FINAL_DEMAND,
	IO_EXPORTS,
	IO_IMPORTS,
	IO_VALUE_ADDED,
	IO_INCOME,
	IO_EMPLOYMENT,
	IO_NFIELDS
} IoField;

/* SQL names of the accounts (text form, errors) */
extern const char *const vic_io_field_names[IO_NFIELDS];

#define IO_FIELD_COL(k)		(-1 - (k))
#define IO_COL_FIELD(c)		(-1 - (c))

typedef struct VicIoCell
{
	int32		row;
	int32		col;
	double		value;
} VicIoCell;

typedef struct VicIoResid
{
	int32		cell;
	int32		pad;
	double		part;
} VicIoResid;

typedef struct VicIotable
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;
	uint8		flags;
	uint16		reserved;
	int32		nsectors;
	int32		ncells;
	int32		nresid;
	int32		pool_len;
	int64		data[FLEXIBLE_ARRAY_MEMBER];
} VicIotable;

#define IOT_HDRSZ			offsetof(VicIotable, data)
#define IOT_CELLS(t)		((VicIoCell *) (t)->data)
#define IOT_RESID(t)		((VicIoResid *) (IOT_CELLS(t) + (t)->ncells))
#define IOT_NAME_END(t)		((int32 *) (IOT_RESID(t) + (t)->nresid))
#define IOT_POOL(t)			((char *) IOT_NAME_END(t) + TYPEALIGN(8, (Size) 4 * (t)->nsectors))
#define IOT_SIZE(n, c, r, pool) \
	(IOT_HDRSZ + (Size) 16 * (c) + (Size) 16 * (r) + \
	 TYPEALIGN(8, (Size) 4 * (n)) + TYPEALIGN(8, (Size) (pool)))

/* name of sector i of t and its length */
static inline const char *
iot_name(const VicIotable *t, int32 i, int *len)
{
	const int32 *end = IOT_NAME_END(t);
	int32		start = i > 0 ? end[i - 1] : 0;

	*len = end[i] - start;
	return IOT_POOL(t) + start;
}

/* byte order of names: memcmp, then the shorter first */
static inline int
iot_name_cmp(const char *a, int alen, const char *b, int blen)
{
	int			c = memcmp(a, b, Min(alen, blen));

	if (c != 0)
		return c;
	return (alen > blen) - (alen < blen);
}

/* read argument argno as a flat, version-checked table */
extern VicIotable *vic_iotable_getarg(FunctionCallInfo fcinfo, int argno);

/* a new table in CurrentMemoryContext, header set, padding zeroed */
extern VicIotable *vic_iotable_new(int64 n, int64 c, int64 r, int64 pool);

/* ----------------------------------------------------------------
 * Raw buffer: what the aggregates, merging and text input collect before
 * the build sorts it into the canonical form (iotable.c)
 * ----------------------------------------------------------------
 */
struct ionames_hash;

typedef struct IoRaw
{
	MemoryContext cxt;
	struct ionames_hash *map;	/* name -> provisional index */
	char	  **names;			/* provisional index -> name (in cxt) */
	int32	   *namelen;
	int32		nnames;
	int32		capnames;
	int64		pool;			/* bytes of all names */
	int64		n;				/* raw cells */
	int64		cap;
	int32	   *row;			/* provisional sector indexes */
	int32	   *col;			/* provisional index, or IO_FIELD_COL(k) */
	double	   *val;
} IoRaw;

extern void vic_ioraw_init(IoRaw *b, MemoryContext cxt);
extern void vic_ioraw_free(IoRaw *b);
/* provisional index of a sector name, registering it */
extern int32 vic_ioraw_sector(IoRaw *b, const char *name, int len);
/* append one checked value (a flow or an account part) */
extern void vic_ioraw_add(IoRaw *b, int32 row, int32 col, double v);
/* append every value part of a flat table */
extern void vic_ioraw_add_table(IoRaw *b, const VicIotable *t);
/* the canonical flat table of a buffer, in CurrentMemoryContext */
extern VicIotable *vic_ioraw_build(const IoRaw *b);

/* 22023 for a value that is NaN or infinite, naming where it was going */
extern void vic_io_bad_value(double v, const char *row, int rowlen,
							 const char *col, int collen, int field) pg_attribute_noreturn();

/* ----------------------------------------------------------------
 * The dense model (iotable_model.c)
 * ----------------------------------------------------------------
 */
typedef struct IoModel
{
	const VicIotable *t;
	int			n;
	double	   *z;				/* n x n column-major, z[i + j n] = z_ij */
	double	   *acct[IO_NFIELDS];	/* account k of every sector (0 when absent) */
	bool	   *given[IO_NFIELDS];	/* account k given for sector i */
	int			ngiven[IO_NFIELDS];	/* sectors with account k */
	double	   *x;				/* total output, when io_model_output ran */
} IoModel;

/* most sectors the dense model takes (8 n^2 bytes a matrix: 2 GB at this size) */
#define IO_MAX_DENSE		16384

/* the dense flows and accounts of t (allocated in CurrentMemoryContext); 54000 beyond IO_MAX_DENSE sectors */
extern void io_model_load(const VicIotable *t, IoModel *m);

/*
 * Total output x of every sector: the given total_output, else the row
 * total sum_j z_ij + f_i.  22023 naming sectors: missing accounts, a sector
 * on one side of the flows only, a zero or negative total output, row or
 * column totals that disagree with x beyond the tolerance (relative 1e-6).
 */
extern void io_model_output(IoModel *m);

/* the relative tolerance of the balance checks of io_model_output */
#define IO_BALANCE_TOLERANCE 1e-6

/* a = Z diag(x)^-1 (technical coefficients), n x n column-major */
extern double *io_technical(const IoModel *m);

/* b = diag(x)^-1 Z (allocation coefficients) */
extern double *io_allocation(const IoModel *m);

/*
 * LU factorisation of I - M (M = A, or with by_row B or another row-wise
 * coefficient matrix; what names it in errors): 22023 naming sectors when
 * it is singular or too ill-conditioned to invert (reciprocal condition
 * number below n * DBL_EPSILON).  Returns the factor; ipiv is set.
 */
extern double *io_factor_i_minus(const IoModel *m, const double *coef, bool by_row,
								 int **ipiv, const char *what);

/* 22023 naming the sectors in idx[0..k-1] (up to 10) */
extern void io_sector_error(const VicIotable *t, const char *msg, const char *detail_lead,
							const int *idx, int k) pg_attribute_noreturn();

#endif							/* VIC_IOTABLE_H */
