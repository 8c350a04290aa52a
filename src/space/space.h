/*
 * space.h
 *		The vic.space summary: an exact, mergeable sparse matrix of units
 *		(regions, clusters, firms: text keys) by industry (vic.industry) with
 *		weights, and the view its metrics read.
 *
 * space.c owns the on-disk form, the aggregate and merging; space_io.c
 * text and binary I/O; space_metrics.c (RCA, diversity, ubiquity,
 * relatedness, density, coherence) and space_complexity.c (ECI, PCI) read
 * a space only through SpaceMatrix, the matrix at a level of the industry
 * hierarchy.
 */
#ifndef VIC_SPACE_H
#define VIC_SPACE_H

#include "common/args.h"
#include "common/mem.h"
#include "common/srf.h"
#include "common/summary.h"
#include "common/xsum.h"
#include "industry/industry.h"

#define VIC_SPACE_VERSION	1
#define VIC_SPACE_TYPNAME	"vic.space"

/* ----------------------------------------------------------------
 * On-disk form (one varlena, 8-byte aligned):
 *
 *	 header (VicSpace below, 32 bytes)
 *	 int64	codes[k]		industries, strictly ascending
 *	 int64	rowoff[n + 1]	cells of unit u: rowoff[u] .. rowoff[u + 1] - 1
 *	 float8 w[m]			cell weights: the correctly rounded exact sum of
 *							the cell's rows (c1 of xsum.h), finite, >= 0
 *	 VicSpaceResid resid[r] further canonical parts of exact sums, by cell
 *	 int32	nameoff[n + 1]	unit name u is pool[nameoff[u] .. nameoff[u + 1])
 *	 int32	col[m]			industry index of a cell, strictly ascending per row
 *	 char	pool[pool_len]	unit names, without terminators, in byte order
 *	 zero padding to a multiple of 8
 *
 * Units are sorted by name (bytes, a prefix first), industries by code;
 * every unit has at least one cell and every industry appears in one, so
 * equal content is equal bytes.  A cell may weigh 0 (a row of weight 0
 * says the unit has the industry, with no size).
 * ----------------------------------------------------------------
 */
typedef struct VicSpace
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;
	uint8		flags;			/* 0 (reserved) */
	uint16		scheme;			/* industry scheme, 0 when empty */
	int32		nunits;			/* n */
	int32		nind;			/* k */
	int64		ncells;			/* m */
	int32		pool_len;
	int32		nresid;			/* r */
	int64		data[FLEXIBLE_ARRAY_MEMBER];
} VicSpace;

typedef struct VicSpaceResid
{
	int64		cell;
	double		part;
} VicSpaceResid;

#define SPACE_HDRSZ			offsetof(VicSpace, data)
#define SPACE_CODES(s)		((int64 *) (s)->data)
#define SPACE_ROWOFF(s)		(SPACE_CODES(s) + (s)->nind)
#define SPACE_W(s)			((double *) (SPACE_ROWOFF(s) + (s)->nunits + 1))
#define SPACE_RESID(s)		((VicSpaceResid *) (SPACE_W(s) + (s)->ncells))
#define SPACE_NAMEOFF(s)	((int32 *) (SPACE_RESID(s) + (s)->nresid))
#define SPACE_COL(s)		(SPACE_NAMEOFF(s) + (s)->nunits + 1)
#define SPACE_POOL(s)		((char *) (SPACE_COL(s) + (s)->ncells))
#define SPACE_SIZE(n, k, m, r, pool) \
	TYPEALIGN64(8, (uint64) SPACE_HDRSZ + 8 * (uint64) (k) + 8 * ((uint64) (n) + 1) + \
				8 * (uint64) (m) + 16 * (uint64) (r) + 4 * ((uint64) (n) + 1) + \
				4 * (uint64) (m) + (uint64) (pool))

/* detoast argument argno as a space (XX001 for an unknown version) */
extern VicSpace *vic_space_getarg(FunctionCallInfo fcinfo, int argno);

/* a space of these counts, header set and padding zeroed; 54000 when too big */
extern VicSpace *vic_space_new(int64 n, int64 k, int64 m, int64 r, int64 pool);

/* XX001 for a stored space that breaks an invariant */
extern void vic_space_corrupted(const char *detail) pg_attribute_noreturn();

/* 22023: two industry schemes in one space */
extern void vic_space_scheme_mismatch(int a, int b) pg_attribute_noreturn();

/*
 * The exact weight of cell c as its canonical parts (room for
 * VIC_XSUM_MAXPARTS) found at residual cursor *r of an ascending walk over
 * the cells; returns their count (at least 1: w[c] itself).
 */
static inline int
vic_space_cell_parts(const VicSpace *s, int64 c, int64 *r, double *parts)
{
	const VicSpaceResid *res = SPACE_RESID(s);
	int			np = 1;

	parts[0] = SPACE_W(s)[c];
	for (; *r < s->nresid && res[*r].cell == c; (*r)++)
	{
		if (unlikely(np >= VIC_XSUM_MAXPARTS))
			vic_space_corrupted("A cell has more residual parts than an exact sum can have.");
		parts[np++] = res[*r].part;
	}
	return np;
}

/*
 * The canonical parts of the exact sum of v[0..n-1] into out (room for
 * VIC_XSUM_MAXPARTS); returns their count, 0 for a zero sum; 22003 when the
 * sum leaves float8
 */
extern int	vic_space_exact_sum(const double *v, int n, double *out);

/* ----------------------------------------------------------------
 * Raw cells (space.c): what space_agg, merging and text input collect
 * before the build sorts them into the canonical form
 * ----------------------------------------------------------------
 */
typedef struct SpaceBuf SpaceBuf;

extern SpaceBuf *space_buf_new(MemoryContext cxt);
/* index of unit name (len bytes), registered on first sight */
extern int32 space_buf_unit(SpaceBuf *b, const char *name, int len);
/* append a validated cell contribution */
extern void space_buf_add(SpaceBuf *b, int32 unit, int64 code, double w);
/* append every cell (and residual part) of a flat space */
extern void space_buf_add_space(SpaceBuf *b, const VicSpace *s);
/* the canonical flat space of the buffer, in CurrentMemoryContext */
extern VicSpace *space_buf_build(SpaceBuf *b);

/* ----------------------------------------------------------------
 * The matrix the metrics read: a space at an industry level
 * ----------------------------------------------------------------
 */
typedef struct SpaceMatrix
{
	const VicSpace *s;			/* unit names are the space's */
	int32		n;				/* units (the space's, same order) */
	int32		k;				/* industries at the level, ascending */
	int64		m;				/* nonzero-structure cells */
	int64	   *codes;			/* k codes */
	int64	   *off;			/* n + 1 */
	int32	   *col;			/* m, ascending per row */
	double	   *x;				/* m: exact sum of the rolled-up cells, rounded once */
	double	   *rowsum;			/* n: exact, rounded once */
	double	   *colsum;			/* k */
	double		total;
} SpaceMatrix;

/* the matrix of s at level (0 = codes as given), in CurrentMemoryContext */
extern void space_matrix(const VicSpace *s, int level, SpaceMatrix *mx);

/* the level argument argno for s: 0 when NULL, else checked (22023) */
extern int	space_level_arg(FunctionCallInfo fcinfo, int argno, const VicSpace *s);

/* the unit name of index u as a text datum */
extern Datum space_unit_text(const VicSpace *s, int32 u);

/* the index of unit name, or -1 */
extern int32 space_find_unit(const VicSpace *s, const char *name, int len);

/* byte order of names, a prefix first */
static inline int
space_name_cmp(const char *a, int alen, const char *b, int blen)
{
	int			c = memcmp(a, b, Min(alen, blen));

	if (c != 0)
		return c;
	return (alen > blen) - (alen < blen);
}

/*
 * The binary RCA matrix M (space_metrics.c): present[e] for every cell e of
 * mx, RCA >= 1 decided exactly (Balassa 1965); rca[e] when rca is not NULL
 */
extern void space_rca(const SpaceMatrix *mx, bool *present, double *rca);

/* relatedness methods */
typedef enum SpaceMethod
{
	SPACE_ASSOCIATION,
	SPACE_PROB,
	SPACE_COSINE,
	SPACE_JACCARD,
	SPACE_PROXIMITY
} SpaceMethod;

/* the method argument argno ('association' when NULL); 22023 for another word */
extern SpaceMethod space_method_arg(FunctionCallInfo fcinfo, int argno);

/*
 * The binary matrix M (space_metrics.c): the present cells of each unit, in
 * industry order, with diversity (row counts) and ubiquity (column counts).
 * With rca, present means RCA >= 1; without, weight > 0.
 */
typedef struct SpaceBinary
{
	int32		n;
	int32		k;
	int64		m;				/* present cells */
	int64	   *off;			/* n + 1 */
	int32	   *col;			/* m */
	int32	   *div;			/* n: diversity k_c,0 */
	int32	   *ubi;			/* k: ubiquity k_p,0 */
} SpaceBinary;

extern void space_binary(const SpaceMatrix *mx, bool rca, SpaceBinary *b);

/* the optional boolean argument argno, dflt when absent or NULL */
static inline bool
space_bool_arg(FunctionCallInfo fcinfo, int argno, bool dflt)
{
	if (PG_NARGS() <= argno || PG_ARGISNULL(argno))
		return dflt;
	return PG_GETARG_BOOL(argno);
}

#endif							/* VIC_SPACE_H */
