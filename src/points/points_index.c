/*
 * points_index.c
 *		Coordinates for distances, the cell index that pair counting uses,
 *		and the argument helpers the measures share.
 *
 * The index is a grid of cubes (squares on the plane) of side s, hashed by
 * their integer coordinates, so that only occupied cells take memory: on
 * the sphere the points are unit vectors in R^3 and the grid is 3-D, with s
 * the chord of the largest distance asked for.  Two points within chord s
 * lie in the same or adjacent cells, so a pass over the 27 (9) neighbour
 * cells of each cell finds every such pair, and the count is exact; with
 * radii much smaller than the extent the work is proportional to the pairs
 * within reach, not to n^2 (the cell method of Bentley, Stanat & Williams,
 * "The complexity of finding fixed-radius near neighbors", Inf. Proc.
 * Letters 6, 1977).
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/lsyscache.h"

#include "points_internal.h"

#define CELL_AXIS_MAX	VIC_CELL_AXIS_MAX

typedef struct CellEntry
{
	int64		key;
	int32		cell;
	char		status;
} CellEntry;

#define SH_PREFIX		cellmap
#define SH_ELEMENT_TYPE	CellEntry
#define SH_KEY_TYPE		int64
#define SH_KEY			key
#define SH_HASH_KEY(tb, key) vic_hash64((uint64) (key))
#define SH_EQUAL(tb, a, b) ((a) == (b))
#define SH_SCOPE		static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

struct vic_cell_hash
{
	cellmap_hash *h;
};

/* coordinates of a point set: (x, y) or unit vectors */
void
vic_pt_coords(const VicPoints *p, VicPtCoords *out)
{
	const double *x = POINTS_X(p);
	const double *y = POINTS_Y(p);
	int32		n = p->npoints;

	out->sphere = p->flags == POINTS_GEOGRAPHY;
	out->dim = out->sphere ? 3 : 2;
	out->n = n;
	out->ids = POINTS_IDS(p);
	out->w = POINTS_W(p);
	out->c = vic_alloc_array((int64) n * out->dim, sizeof(double));
	for (int32 i = 0; i < n; i++)
	{
		if (out->sphere)
		{
			VicVec3		u = vic_point_vector(x[i], y[i]);

			out->c[3 * i] = u.x;
			out->c[3 * i + 1] = u.y;
			out->c[3 * i + 2] = u.z;
		}
		else
		{
			out->c[2 * i] = x[i];
			out->c[2 * i + 1] = y[i];
		}
		VIC_POLL_INTERRUPTS(i);
	}
}

/*
 * A squared coordinate distance above which the distance is surely above r:
 * the exact bound widened by a relative 1e-12, far more than the rounding
 * of the distance formulas, so that the final test on the distance decides.
 */
double
vic_pt_d2_bound(double r, bool sphere)
{
	double		c;

	if (!sphere)
		return r * r * (1 + 1e-12) + DBL_MIN;
	if (r >= M_PI * VIC_SPHERE_RADIUS)
		return 4.0 * (1 + 1e-12);
	c = 2.0 * sin(r / (2.0 * VIC_SPHERE_RADIUS));
	return c * c * (1 + 1e-12) + DBL_MIN;
}

/* the packed cell key of a coordinate row; its cell coordinates into cc */
int64
vic_cell_key_of(const VicCellIndex *ix, const double *coord, int64 *cc)
{
	int			dim = ix->pc->dim;

	for (int k = 0; k < 3; k++)
	{
		if (k < dim)
		{
			double		t = floor((coord[k] - ix->lo[k]) / ix->s);

			cc[k] = (int64) Max(0.0, Min(t, (double) (CELL_AXIS_MAX - 1)));
		}
		else
			cc[k] = 0;
	}
	return vic_cell_pack(ix, cc);
}

typedef struct KeyIdx
{
	int64		key;
	int32		idx;
} KeyIdx;

/* order by cell key, then point number */
static int
keyidx_cmp(const void *a, const void *b)
{
	const KeyIdx *x = a;
	const KeyIdx *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (x->idx > y->idx) - (x->idx < y->idx);
}

/* build an index of cells of side >= s over sub[0..m-1] (all points when sub is NULL) */
void
vic_cell_index_build(VicCellIndex *ix, const VicPtCoords *pc, double s,
					 const int32 *sub, int32 m)
{
	vic_cell_index_build_reach(ix, pc, s, 1, sub, m);
}

/* the same with cells of side s / reach searched reach cells away */
void
vic_cell_index_build_reach(VicCellIndex *ix, const VicPtCoords *pc, double s, int reach,
						   const int32 *sub, int32 m)
{
	MemoryContext old;
	double		hi[3] = {0, 0, 0};
	int			dim = pc->dim;

	memset(ix, 0, sizeof(*ix));
	ix->pc = pc;
	ix->cxt = AllocSetContextCreate(CurrentMemoryContext, "vic.points cell index",
									ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(ix->cxt);
	for (int k = 0; k < 3; k++)
	{
		ix->lo[k] = 0;
		hi[k] = 0;
	}
	for (int32 i = 0; i < pc->n; i++)
	{
		for (int k = 0; k < dim; k++)
		{
			double		v = pc->c[(Size) i * dim + k];

			if (i == 0 || v < ix->lo[k])
				ix->lo[k] = v;
			if (i == 0 || v > hi[k])
				hi[k] = v;
		}
	}
	/* cells no smaller than the extent allows per axis, and never 0 or NaN */
	Assert(reach >= 1 && reach <= 3);
	s /= reach;
	for (int k = 0; k < dim; k++)
		s = Max(s, (hi[k] - ix->lo[k]) / (double) (CELL_AXIS_MAX - 2));
	if (!(s > 0))
		s = 1.0;
	ix->s = s;
	ix->reach = reach;
	ix->stride[2] = 1;
	ix->stride[1] = dim == 3 ? CELL_AXIS_MAX : 1;
	ix->stride[0] = dim == 3 ? CELL_AXIS_MAX * CELL_AXIS_MAX : CELL_AXIS_MAX;
	if (dim == 2)
	{
		ix->stride[1] = 1;
		ix->stride[2] = 0;
	}
	ix->cellkey = vic_alloc_array(Max(pc->n, 1), sizeof(int64));
	for (int32 i = 0; i < pc->n; i++)
	{
		int64		cc[3];

		ix->cellkey[i] = vic_cell_key_of(ix, pc->c + (Size) i * dim, cc);
		VIC_POLL_INTERRUPTS(i);
	}
	MemoryContextSwitchTo(old);
	vic_cell_index_subset(ix, sub, sub ? m : pc->n);
}

/* index the subset sub[0..m-1] (NULL: all points) with the cells of build */
void
vic_cell_index_subset(VicCellIndex *ix, const int32 *sub, int32 m)
{
	MemoryContext old = MemoryContextSwitchTo(ix->cxt);
	KeyIdx	   *ki;
	int32		nc = 0;

	if (ix->order)
		pfree(ix->order);
	if (ix->sc)
		pfree(ix->sc);
	if (ix->keys)
		pfree(ix->keys);
	if (ix->start)
		pfree(ix->start);
	if (ix->hash)
	{
		cellmap_destroy(ix->hash->h);
		pfree(ix->hash);
	}
	ix->m = m;
	ki = vic_alloc_array(Max(m, 1), sizeof(KeyIdx));
	for (int32 k = 0; k < m; k++)
	{
		int32		i = sub ? sub[k] : k;

		ki[k].key = ix->cellkey[i];
		ki[k].idx = i;
	}
	qsort(ki, m, sizeof(KeyIdx), keyidx_cmp);
	ix->order = vic_alloc_array(Max(m, 1), sizeof(int32));
	ix->sc = vic_alloc_array((int64) Max(m, 1) * ix->pc->dim, sizeof(double));
	for (int32 k = 0; k < m; k++)
	{
		ix->order[k] = ki[k].idx;
		memcpy(ix->sc + (Size) k * ix->pc->dim, ix->pc->c + (Size) ki[k].idx * ix->pc->dim,
			   ix->pc->dim * sizeof(double));
		if (k == 0 || ki[k].key != ki[k - 1].key)
			nc++;
	}
	ix->ncells = nc;
	ix->keys = vic_alloc_array(Max(nc, 1), sizeof(int64));
	ix->start = vic_alloc_array(nc + 1, sizeof(int32));
	ix->hash = palloc(sizeof(struct vic_cell_hash));
	ix->hash->h = cellmap_create(ix->cxt, Max(nc, 16), NULL);
	nc = 0;
	for (int32 k = 0; k < m; k++)
	{
		if (k == 0 || ki[k].key != ki[k - 1].key)
		{
			bool		found;
			CellEntry  *e;

			ix->keys[nc] = ki[k].key;
			ix->start[nc] = k;
			e = cellmap_insert(ix->hash->h, ki[k].key, &found);
			e->cell = nc;
			nc++;
		}
		VIC_POLL_INTERRUPTS(k);
	}
	ix->start[nc] = m;
	pfree(ki);
	MemoryContextSwitchTo(old);
}

/* release an index */
void
vic_cell_index_free(VicCellIndex *ix)
{
	if (ix->cxt)
		MemoryContextDelete(ix->cxt);
	memset(ix, 0, sizeof(*ix));
}

/* the cell of key, or -1 */
int32
vic_cell_lookup(const VicCellIndex *ix, int64 key)
{
	CellEntry  *e = cellmap_lookup(ix->hash->h, key);

	return e ? e->cell : -1;
}

/* the occupied neighbour cells of cell c (itself included); half: keys >= its own */
int
vic_cell_neighbours(const VicCellIndex *ix, int32 c, bool half, int32 *out)
{
	int64		key = ix->keys[c];
	int64		cc[3];
	int			dim = ix->pc->dim;
	int			nout = 0;
	int			k = ix->reach;

	if (dim == 3)
	{
		cc[0] = key / ix->stride[0];
		cc[1] = (key % ix->stride[0]) / ix->stride[1];
		cc[2] = key % ix->stride[1];
	}
	else
	{
		cc[0] = key / ix->stride[0];
		cc[1] = key % ix->stride[0];
		cc[2] = 0;
	}
	for (int dx = -k; dx <= k; dx++)
		for (int dy = -k; dy <= k; dy++)
			for (int dz = (dim == 3 ? -k : 0); dz <= (dim == 3 ? k : 0); dz++)
			{
				int64		nc[3] = {cc[0] + dx, cc[1] + dy, cc[2] + dz};
				int64		nkey;
				int32		cell;

				if (nc[0] < 0 || nc[1] < 0 || nc[2] < 0 ||
					nc[0] >= CELL_AXIS_MAX || nc[1] >= CELL_AXIS_MAX || nc[2] >= CELL_AXIS_MAX)
					continue;
				nkey = vic_cell_pack(ix, nc);
				if (half && nkey < key)
					continue;
				cell = nkey == key ? c : vic_cell_lookup(ix, nkey);
				if (cell >= 0)
					out[nout++] = cell;
			}
	return nout;
}

/* order of doubles */
static int
double_cmp(const void *a, const void *b)
{
	double		x = *(const double *) a;
	double		y = *(const double *) b;

	return (x > y) - (x < y);
}

/* the radii of a float8[]: finite, >= 0, at least one */
int
vic_radii_arg(ArrayType *arr, double **radii)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("radii must be a one-dimensional array")));
	deconstruct_array(arr, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &elems, &nulls, &n);
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("radii must not be empty")));
	*radii = palloc(n * sizeof(double));
	for (int i = 0; i < n; i++)
	{
		double		r;

		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("radii must not contain NULL")));
		r = DatumGetFloat8(elems[i]);
		if (!(r >= 0 && r <= DBL_MAX))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("radius %g is not a finite number >= 0", r)));
		(*radii)[i] = r + 0.0;
	}
	return n;
}

/* the radii sorted ascending, duplicates kept (for binning) */
double *
vic_radii_sorted(const double *radii, int n)
{
	double	   *s = palloc(n * sizeof(double));

	memcpy(s, radii, n * sizeof(double));
	qsort(s, n, sizeof(double), double_cmp);
	return s;
}

/* 22023 unless p has at least need points */
void
vic_points_need(const VicPoints *p, int need, const char *what)
{
	if (p->npoints < need)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s needs at least %d points", what, need),
				 errdetail("The set has %d.", p->npoints)));
}

/*
 * The area of a set's window when the caller gives none: the bounding
 * rectangle of the points on the plane (spatstat's default window,
 * ripras aside), and on the sphere the area of the longitude/latitude
 * rectangle, R^2 (lon2 - lon1) (sin lat2 - sin lat1), in square metres.
 */
double
vic_points_default_area(const VicPoints *p)
{
	const double *x = POINTS_X(p);
	const double *y = POINTS_Y(p);
	double		x0 = x[0],
				x1 = x[0],
				y0 = y[0],
				y1 = y[0];

	for (int32 i = 1; i < p->npoints; i++)
	{
		x0 = Min(x0, x[i]);
		x1 = Max(x1, x[i]);
		y0 = Min(y0, y[i]);
		y1 = Max(y1, y[i]);
	}
	if (p->flags == POINTS_GEOGRAPHY)
		return VIC_SPHERE_RADIUS * VIC_SPHERE_RADIUS * ((x1 - x0) * M_PI / 180.0) *
			(sin(y1 * M_PI / 180.0) - sin(y0 * M_PI / 180.0));
	return (x1 - x0) * (y1 - y0);
}

/* the largest d2 >= 0 whose distance is <= r: bisection on the bits of non-negative doubles */
double
vic_pt_d2_threshold(double r, bool sphere)
{
	double		inf = INFINITY;
	uint64		lo = 0;
	uint64		hi;

	memcpy(&hi, &inf, sizeof(hi));
	/* invariant: dist(lo) <= r < dist(hi); dist(0) = 0 <= r */
	{
		double		x;

		memcpy(&x, &hi, sizeof(x));
		if (vic_pt_d2_to_dist(x, sphere) <= r)
			return DBL_MAX;
	}
	while (hi - lo > 1)
	{
		uint64		mid = lo + (hi - lo) / 2;
		double		x;

		memcpy(&x, &mid, sizeof(x));
		if (vic_pt_d2_to_dist(x, sphere) <= r)
			lo = mid;
		else
			hi = mid;
	}
	{
		double		x;

		memcpy(&x, &lo, sizeof(x));
		return x;
	}
}

/* one bucket of the bin table: bin = bin0 + (d2 > thr); multi: search */
typedef struct BinBucket
{
	double		thr;
	int32		bin0;			/* -1: search */
} BinBucket;

/* candidates whose distances one pass of vic_pairs_histogram keeps */
#define POINTS_SPAN		256

/* the first b with d2 <= t[b], or nt */
static inline int
bin_search(const double *t, int nt, double d2)
{
	int			lo = 0,
				hi = nt;

	while (lo < hi)
	{
		int			mid = (lo + hi) >> 1;

		if (t[mid] < d2)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Pair counting by bins.  A table of M + 2 buckets, uniform in d2 over
 * [0, t_max], gives each d2 its bin with one load and one compare: bucket
 * j = (int) min(d2 M / t_max, M + 1) holds values within [(j - 1), (j + 2))
 * t_max / M whatever the rounding, so every threshold below that range
 * counts, none above does, and the one threshold inside (if any) is the
 * bucket's compare; a bucket holding two thresholds falls back to a
 * search.  Four interleaved copies of the histogram keep repeated
 * increments of one bin from waiting on each other.
 */
void
vic_pairs_histogram(const VicCellIndex *ix, const double *t, int nt, int64 *hist)
{
	const VicPtCoords *pc = ix->pc;
	int			dim = pc->dim;
	double		tmax = t[nt - 1];
	int			M = Max(1024, 16 * nt);
	double		scale = tmax > 0 ? M / tmax : 0;
	BinBucket  *lut = palloc((M + 2) * sizeof(BinBucket));
	int64	   *h4 = palloc0((Size) 4 * (nt + 1) * sizeof(int64));
	int32		nb[VIC_CELL_MAX_NEIGHBOURS];
	int64		work = 0;
	double		span[POINTS_SPAN];

	for (int j = 0; j <= M + 1; j++)
	{
		double		from = tmax > 0 ? (j - 1) * (tmax / M) : 0;
		double		to = tmax > 0 ? (j + 2) * (tmax / M) : 0;
		int			b0 = 0,
					inside = 0;

		while (b0 < nt && t[b0] < from)
			b0++;
		for (int b = b0; b < nt && t[b] < to; b++)
			inside++;
		lut[j].bin0 = (inside > 1 || tmax <= 0) ? -1 : b0;
		lut[j].thr = inside == 1 ? t[b0] : INFINITY;
	}
	for (int32 c = 0; c < ix->ncells; c++)
	{
		int			nnb = vic_cell_neighbours(ix, c, true, nb);

		for (int32 a = ix->start[c]; a < ix->start[c + 1]; a++)
		{
			const double *ca = ix->sc + (Size) a * dim;

			for (int q = 0; q < nnb; q++)
			{
				int32		c2 = nb[q];
				int32		b0 = c2 == c ? a + 1 : ix->start[c2];
				int32		b1 = ix->start[c2 + 1];

				/*
				 * Two passes over the span: the squared distances within
				 * reach (branch-free compaction), then their bins.
				 */
				for (int32 b = b0; b < b1; b += POINTS_SPAN)
				{
					int32		e = Min(b1, b + POINTS_SPAN);
					int			nin = 0;

					if (dim == 2)
					{
						double		ax = ca[0],
									ay = ca[1];

						for (int32 x = b; x < e; x++)
						{
							double		dx = ax - ix->sc[2 * (Size) x];
							double		dy = ay - ix->sc[2 * (Size) x + 1];
							double		d2 = dx * dx + dy * dy;

							span[nin] = d2;
							nin += d2 <= tmax;
						}
					}
					else
					{
						for (int32 x = b; x < e; x++)
						{
							double		d2 = vic_pt_d2(ca, ix->sc + 3 * (Size) x, 3);

							span[nin] = d2;
							nin += d2 <= tmax;
						}
					}
					for (int q2 = 0; q2 < nin; q2++)
					{
						double		d2 = span[q2];
						const BinBucket *lb = &lut[(int) (d2 * scale)];
						int			bin;

						if (unlikely(lb->bin0 < 0))
							bin = bin_search(t, nt, d2);
						else
							bin = lb->bin0 + (d2 > lb->thr);
						h4[4 * bin + (q2 & 3)]++;
					}
				}
				work += b1 - b0;
			}
			if (work > 65536)
			{
				CHECK_FOR_INTERRUPTS();
				work = 0;
			}
		}
	}
	for (int b = 0; b <= nt; b++)
		hist[b] = h4[4 * b] + h4[4 * b + 1] + h4[4 * b + 2] + h4[4 * b + 3];
	pfree(h4);
	pfree(lut);
}
