/*
 * points_internal.h
 *		What the vic.points files share: the on-disk form, its view, the
 *		canonical build, and the spatial index the measures count pairs with.
 *
 * points.c: the type, the aggregate state, merging, equality; points_io.c:
 * text and binary I/O; points_index.c: the cell index and distances;
 * points_ripley.c, points_kd.c, points_nn.c, points_dbscan.c: the measures.
 */
#ifndef VIC_POINTS_INTERNAL_H
#define VIC_POINTS_INTERNAL_H

#include "common/vic.h"

#include "common/geo.h"
#include "common/mem.h"
#include "common/srf.h"
#include "common/summary.h"

#include "utils/array.h"

/* ----------------------------------------------------------------
 * On-disk form (one varlena, 8-byte aligned):
 *
 *	 int32	vl_len_
 *	 uint8	version			VIC_POINTS_VERSION
 *	 uint8	flags			kind: POINTS_EMPTY (no points), POINTS_GEOGRAPHY
 *							(lon/lat degrees, SRID 4326, geodesic metres) or
 *							POINTS_GEOMETRY (planar x/y in the SRID's units)
 *	 uint16 reserved		0
 *	 int32	srid			4326 for geography, the SRID of geometry, 0 if empty
 *	 int32	npoints			n
 *	 int64	ids[n]			point ids, strictly ascending
 *	 float8 x[n]			longitude or x, finite (-0 stored as +0)
 *	 float8 y[n]			latitude or y, finite
 *	 float8 w[n]			weights, finite, >= 0
 *
 * Each id is one point: a second row with an id already present is an
 * error (22023), whether it comes in the same aggregate or in a merge.
 * Sorted by id, the form does not depend on row or merge order.
 * ----------------------------------------------------------------
 */
#define VIC_POINTS_VERSION	1
#define VIC_POINTS_TYPNAME	"vic.points"

#define POINTS_EMPTY		0
#define POINTS_GEOGRAPHY	1
#define POINTS_GEOMETRY		2

typedef struct VicPoints
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;
	uint8		flags;
	uint16		reserved;
	int32		srid;
	int32		npoints;
	int64		data[FLEXIBLE_ARRAY_MEMBER];
} VicPoints;

#define POINTS_HDRSZ		offsetof(VicPoints, data)
#define POINTS_SIZE(n)		(POINTS_HDRSZ + (Size) 32 * (n))
#define POINTS_IDS(p)		((int64 *) (p)->data)
#define POINTS_X(p)			((double *) (POINTS_IDS(p) + (p)->npoints))
#define POINTS_Y(p)			(POINTS_X(p) + (p)->npoints)
#define POINTS_W(p)			(POINTS_Y(p) + (p)->npoints)

/* most points one value can hold */
#define POINTS_MAX			((int64) ((MaxAllocSize - POINTS_HDRSZ) / 32))

/* one point as the aggregate collects it */
typedef struct VicPointRec
{
	int64		id;
	double		x;
	double		y;
	double		w;
} VicPointRec;

/* a buffer of points and their kind, in the memory context cxt */
typedef struct VicPointBuf
{
	MemoryContext cxt;
	int			kind;			/* POINTS_EMPTY until the first point */
	int32		srid;
	int64		n;
	int64		cap;
	VicPointRec *p;
	bool		sorted;			/* p is sorted by id, without duplicates */
} VicPointBuf;

extern void vic_pointbuf_init(VicPointBuf *b, MemoryContext cxt);
extern void vic_pointbuf_add(VicPointBuf *b, int kind, int32 srid, int64 id,
							 double x, double y, double w);
extern void vic_pointbuf_add_points(VicPointBuf *b, const VicPoints *p);
/* the canonical flat form of a buffer (sorted, duplicate ids rejected) */
extern VicPoints *vic_pointbuf_build(VicPointBuf *b);

/* 22023 when kinds or SRIDs of two point sets differ; what names the call */
extern void vic_points_check_kind(int kind1, int32 srid1, int kind2, int32 srid2);

/* detoast (flatten) argument argno */
extern VicPoints *vic_points_getarg(FunctionCallInfo fcinfo, int argno);

/* XX001 for a stored value that breaks an invariant */
extern void vic_points_corrupted(const char *detail) pg_attribute_noreturn();

/* ----------------------------------------------------------------
 * Coordinates for distances (points_index.c)
 *
 * Planar points are (x, y); geographic points are unit vectors (x, y, z) on
 * PostGIS's sphere, where the chord c between two points gives the arc
 * d = 2 R asin(c / 2): the great-circle distance of ST_Distance(a, b, false),
 * monotone in c, so the index compares chords.
 * ----------------------------------------------------------------
 */
typedef struct VicPtCoords
{
	int			dim;			/* 2 planar, 3 sphere */
	bool		sphere;
	int32		n;
	double	   *c;				/* n * dim coordinates */
	const int64 *ids;
	const double *w;
} VicPtCoords;

/* coordinates of a point set (palloc'd in CurrentMemoryContext) */
extern void vic_pt_coords(const VicPoints *p, VicPtCoords *out);

/* distance (planar units or metres) between points i and j */
static inline double
vic_pt_dist(const VicPtCoords *pc, int32 i, int32 j)
{
	const double *a = pc->c + (Size) i * pc->dim;
	const double *b = pc->c + (Size) j * pc->dim;
	double		dx = a[0] - b[0];
	double		dy = a[1] - b[1];

	if (pc->sphere)
	{
		double		dz = a[2] - b[2];

		return vic_chord_to_arc(VIC_SPHERE_RADIUS * sqrt(dx * dx + dy * dy + dz * dz));
	}
	return sqrt(dx * dx + dy * dy);
}

/* squared coordinate distance between two coordinate rows (chord^2 on the sphere) */
static inline double
vic_pt_d2(const double *a, const double *b, int dim)
{
	double		dx = a[0] - b[0];
	double		dy = a[1] - b[1];
	double		d2 = dx * dx + dy * dy;

	if (dim == 3)
	{
		double		dz = a[2] - b[2];

		d2 += dz * dz;
	}
	return d2;
}

/* distance (units or metres) of a coordinate distance squared */
static inline double
vic_pt_d2_to_dist(double d2, bool sphere)
{
	if (sphere)
		return vic_chord_to_arc(VIC_SPHERE_RADIUS * sqrt(d2));
	return sqrt(d2);
}

/*
 * The squared coordinate distance at or beyond which two points are surely
 * farther apart than the distance r (a slack of a few ulps above the exact
 * bound, so that the test on the distance itself decides the rest)
 */
extern double vic_pt_d2_bound(double r, bool sphere);

/* ----------------------------------------------------------------
 * Cell index (points_index.c): a hash of grid cells of side s (in
 * coordinate units) over a subset of the points, each cell's points
 * contiguous.  Every pair within coordinate distance s lies in the same or
 * adjacent cells.  Building keeps each point's cell coordinates, so that
 * the index of a random subset (an envelope's simulation) is built again
 * from them without recomputing anything.
 * ----------------------------------------------------------------
 */
/* cells along one axis at most (keys stay far below 2^63) */
#define VIC_CELL_AXIS_MAX	((int64) 1 << 20)

struct vic_cell_hash;

typedef struct VicCellIndex
{
	const VicPtCoords *pc;
	double		s;				/* cell side */
	int			reach;			/* cells searched on each side of a cell */
	double		lo[3];			/* origin */
	int64	   *cellkey;		/* per point of pc: packed cell coordinates */
	int64		stride[3];
	/* the current subset */
	int32		m;				/* points in the subset */
	int32	   *order;			/* subset point numbers, grouped by cell */
	double	   *sc;				/* their coordinates, in that order */
	int32		ncells;
	int64	   *keys;			/* per cell */
	int32	   *start;			/* per cell, ncells + 1 */
	struct vic_cell_hash *hash; /* key -> cell */
	MemoryContext cxt;
} VicCellIndex;

/*
 * Build an index with cells of at least side s (coordinate units) over the
 * points sub[0..m-1] of pc (sub NULL: all points), in its own child of
 * CurrentMemoryContext.
 */
extern void vic_cell_index_build(VicCellIndex *ix, const VicPtCoords *pc, double s,
								 const int32 *sub, int32 m);
/*
 * vic_cell_index_build with cells of side s / reach, neighbours searched
 * reach cells away on each side (reach 1 to 3): smaller cells waste fewer
 * distance computations on pairs beyond s when the cells are dense.
 */
extern void vic_cell_index_build_reach(VicCellIndex *ix, const VicPtCoords *pc, double s,
									   int reach, const int32 *sub, int32 m);

/* most neighbour cells a cell can have (reach 3 in 3-D) */
#define VIC_CELL_MAX_NEIGHBOURS	343

/* re-index a new subset, reusing the cells computed by build */
extern void vic_cell_index_subset(VicCellIndex *ix, const int32 *sub, int32 m);
extern void vic_cell_index_free(VicCellIndex *ix);

/* the cell holding key, or -1 */
extern int32 vic_cell_lookup(const VicCellIndex *ix, int64 key);

/*
 * The neighbour cells of cell c (itself included) into out (room for
 * VIC_CELL_MAX_NEIGHBOURS);
 * with half, only those of keys >= c's, so that each unordered pair of
 * cells is visited once.  Returns their count.
 */
extern int	vic_cell_neighbours(const VicCellIndex *ix, int32 c, bool half, int32 *out);

/* the cell key of a coordinate row (any point, indexed or not) */
extern int64 vic_cell_key_of(const VicCellIndex *ix, const double *coord, int64 *cc);

/* the cell key from cell coordinates */
static inline int64
vic_cell_pack(const VicCellIndex *ix, const int64 *cc)
{
	return cc[0] * ix->stride[0] + cc[1] * ix->stride[1] + cc[2] * ix->stride[2];
}

/* ----------------------------------------------------------------
 * Radii and shared helpers (points_index.c)
 * ----------------------------------------------------------------
 */

/* the radii of a float8[] argument: finite, >= 0, at least one; 22023 else */
extern int	vic_radii_arg(ArrayType *arr, double **radii);

/* the radii sorted ascending (palloc'd) */
extern double *vic_radii_sorted(const double *radii, int n);

/* the number of sorted radii r[0..n-1] below d: the first bin d counts in */
static inline int
vic_radius_bin(const double *r, int n, double d)
{
	int			lo = 0,
				hi = n;

	while (lo < hi)
	{
		int			mid = (lo + hi) >> 1;

		if (r[mid] < d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* the chord (in radii of the sphere) of a distance of d metres, or d on the plane */
static inline double
vic_pt_reach(double d, bool sphere)
{
	if (!sphere)
		return d;
	if (d >= M_PI * VIC_SPHERE_RADIUS)
		return 2.0;
	return 2.0 * sin(d / (2.0 * VIC_SPHERE_RADIUS));
}

/*
 * Visit every unordered pair (i, j) of the indexed subset within distance
 * dmax, once, as fn(arg, i, j, d) with i, j point numbers of pc and d their
 * distance; inlined with the caller's fn.
 */
typedef void (*VicPairFn) (void *arg, int32 i, int32 j, double d);

static pg_attribute_always_inline void
vic_pairs_within(const VicCellIndex *ix, double dmax, VicPairFn fn, void *arg)
{
	const VicPtCoords *pc = ix->pc;
	int			dim = pc->dim;
	bool		sphere = pc->sphere;
	double		bound = vic_pt_d2_bound(dmax, sphere);
	int32		nb[VIC_CELL_MAX_NEIGHBOURS];
	int64		work = 0;

	for (int32 c = 0; c < ix->ncells; c++)
	{
		int			nnb = vic_cell_neighbours(ix, c, true, nb);

		for (int32 a = ix->start[c]; a < ix->start[c + 1]; a++)
		{
			const double *ca = ix->sc + (Size) a * dim;

			for (int t = 0; t < nnb; t++)
			{
				int32		c2 = nb[t];
				int32		b0 = c2 == c ? a + 1 : ix->start[c2];
				int32		b1 = ix->start[c2 + 1];

				for (int32 b = b0; b < b1; b++)
				{
					double		d2 = vic_pt_d2(ca, ix->sc + (Size) b * dim, dim);
					double		d;

					if (d2 > bound)
						continue;
					d = vic_pt_d2_to_dist(d2, sphere);
					if (d <= dmax)
						fn(arg, ix->order[a], ix->order[b], d);
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
}

/*
 * The largest squared coordinate distance whose distance (vic_pt_d2_to_dist)
 * is at most r, so that d2 <= threshold exactly when the distance is <= r
 */
extern double vic_pt_d2_threshold(double r, bool sphere);

/*
 * Count the unordered pairs of the indexed subset by distance bins: hist[b]
 * (b = 0..nt-1) gets the pairs whose squared coordinate distance d2 has
 * t[b-1] < d2 <= t[b] (t ascending thresholds of vic_pt_d2_threshold),
 * exactly, without a square root or a search per pair; hist[nt] stays 0
 * (pairs beyond the last threshold are not counted).
 */
extern void vic_pairs_histogram(const VicCellIndex *ix, const double *t, int nt, int64 *hist);

/* 22023 unless the set has at least need points */
extern void vic_points_need(const VicPoints *p, int need, const char *what);

/* area of the window of a set when the caller gives none (see points.md) */
extern double vic_points_default_area(const VicPoints *p);

/* the scratch memory of a measure, released with its parent on error */
#define vic_points_scratch(name) \
	AllocSetContextCreate(CurrentMemoryContext, (name), ALLOCSET_DEFAULT_SIZES)

#endif							/* VIC_POINTS_INTERNAL_H */
