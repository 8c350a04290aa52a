/*
 * graph_community.c
 *		Communities of the undirected view of a vic.graph: Louvain, Leiden and
 *		the modularity of a given partition.
 *
 * The objective is modularity with a resolution parameter gamma (Newman &
 * Girvan 2004, eq. 5; Reichardt & Bornholdt 2006, eq. 15):
 *
 *		Q = 1/(2m) sum_ij [A_ij - gamma k_i k_j / (2m)] delta(c_i, c_j)
 *		  = sum_c [ L_c / m - gamma (K_c / 2m)^2 ]
 *
 * on the symmetrised graph, w(u,v) = w(u->v) + w(v->u).  A self-loop of
 * weight x adds x to L_c of its community and 2x to the node's strength k
 * (A_ii = 2x), the convention of networkx.community.modularity and igraph.
 *
 * All arrays are flat and indexed by dense node number; nodes are in
 * ascending id order and all randomness comes from one pg_prng state seeded
 * by the caller, so a result depends only on the graph, the method, the
 * resolution and the seed.  Neighbour-community weights are gathered in a
 * dense scratch array with a list of touched entries (no hashing).  The
 * aggregated levels are compressed-sparse-row graphs built into two buffers
 * sized by level 0 and reused level after level; all working memory lives
 * in one memory context, deleted at the end (and with the query's memory
 * when an error or a cancel interrupts the run).
 */
#include "postgres.h"

#include <math.h>

#include "utils/array.h"
#include "utils/float.h"

#include "graph_internal.h"
#include "common/args.h"
#include "common/prng.h"

PG_FUNCTION_INFO_V1(vic_communities);
PG_FUNCTION_INFO_V1(vic_modularity);

/*
 * A Louvain level stops when a pass moves no node, when a pass raises
 * modularity by less than CM_LOUVAIN_MIN_GAIN (the default "epsilon" of
 * Blondel and Guillaume's reference implementation), or after
 * CM_LOUVAIN_MAX_PASSES passes.
 */
#define CM_LOUVAIN_MIN_GAIN		1e-6
#define CM_LOUVAIN_MAX_PASSES	1000

/*
 * Leiden iterations (each a full run from the previous partition) go on
 * while one raises modularity by at least CM_LEIDEN_TOLERANCE, at most
 * CM_LEIDEN_MAX_ITERATIONS of them.  On small graphs every improving move
 * changes Q by far more than the tolerance, so this is leidenalg's
 * n_iterations = -1 (run until no improvement); on large graphs it cuts the
 * long tail of iterations that each add a few 1e-5 to Q.
 */
#define CM_LEIDEN_TOLERANCE		1e-4
#define CM_LEIDEN_MAX_ITERATIONS	50

/*
 * Randomness of the Leiden refinement (Traag, Waltman & van Eck 2019, sec.
 * "Refinement"; 0.01 in the paper and in igraph), applied to quality gains
 * measured in units of the mean edge weight so that it does not depend on
 * the scale of the weights.
 */
#define CM_LEIDEN_THETA		0.01

/* check for cancellation every this many nodes inside a pass */
#define CM_INTERRUPT_MASK	1023

/* one level of the (aggregated) undirected graph */
typedef struct CmGraph
{
	int32		n;				/* nodes */
	int64		narcs;			/* entries of adj */
	int64	   *off;			/* row v: off[v] .. off[v + 1] - 1 */
	int32	   *adj;			/* neighbour; an entry v in row v is a loop */
	double	   *w;				/* arc weight */
	double	   *k;				/* strength: row weights (loops twice) */
	double	   *loop;			/* self-loop weight of the node */
} CmGraph;

/*
 * Parameters and scratch shared by all levels and iterations.  Every array
 * is sized to level 0 and allocated once, so passes and levels touch no
 * fresh memory: aggregated levels alternate between the two graph buffers
 * (a level is never built into the buffer it is read from), labels between
 * the two label buffers.
 */
typedef struct CmWork
{
	double		gamma;			/* resolution */
	double		inv2m;			/* 1 / (2m) */
	double		theta_scale;	/* 1 / (theta * mean edge weight) */
	pg_prng_state prng;
	int32		n0;				/* nodes of level 0 */
	int64		arcs0;			/* arcs of level 0 */
	double	   *acc;			/* weight to community c, -1 = untouched */
	int32	   *touched;		/* communities with acc >= 0 */
	int32	   *queue;			/* node order / Leiden queue */
	bool	   *flag;			/* node is in the queue */
	int32	   *freec;			/* stack of empty community numbers */
	double	   *gain;			/* refinement candidates' gains */
	int32	   *cand;			/* refinement candidates */
	int32	   *map;			/* renumbering scratch */
	int32	   *members;		/* nodes grouped by community */
	int32	   *start;			/* first member of each community */
	double	   *tot;			/* strength of each community */
	int32	   *size;			/* nodes of each community */
	double	   *stot;			/* refinement: strength of each community */
	double	   *rtot;			/* refinement: strength of each cluster */
	double	   *rext;			/* refinement: weight from a cluster to the
								 * rest of its community */
	int32	   *rsize;			/* refinement: nodes of each cluster */
	int32	   *ref;			/* refined cluster of each node */
	int32	   *lab[2];			/* community of each node, two buffers */
	int32	   *memb;			/* node of the current level of each level-0
								 * node */
	int32	   *trial;			/* partition of the running iteration */
	CmGraph		buf[2];			/* aggregated levels, allocated on first use */
} CmWork;

/*
 * Renumber labels lab[0..n-1] (each in 0..n-1) densely in order of first
 * appearance; returns the number of distinct labels.
 */
static int32
cm_renumber(int32 *lab, int32 n, CmWork *wk)
{
	int32	   *map = wk->map;
	int32		next = 0;

	for (int32 i = 0; i < n; i++)
		map[i] = -1;
	for (int32 v = 0; v < n; v++)
	{
		int32		c = lab[v];

		if (map[c] < 0)
			map[c] = next++;
		lab[v] = map[c];
	}
	return next;
}

/* add weight x to acc[c], listing c in touched when it was untouched */
static pg_attribute_always_inline void
cm_touch(double *acc, int32 *touched, int32 *nt, int32 c, double x)
{
	if (acc[c] < 0.0)
	{
		acc[c] = 0.0;
		touched[(*nt)++] = c;
	}
	acc[c] += x;
}

/*
 * Gather the weights from v to each community of its neighbours into
 * wk->acc, listing the communities in wk->touched; own community first.
 * With restrict_to >= 0 only neighbours u with within[u] == restrict_to are
 * counted.  Returns the number of touched communities.
 */
static pg_attribute_always_inline int32
cm_gather(const CmGraph *g, const int32 *lab, int32 v, int32 own,
		  const int32 *within, int32 restrict_to, CmWork *wk)
{
	const int32 *adj = g->adj;
	const double *w = g->w;
	const int64 end = g->off[v + 1];
	double	   *acc = wk->acc;
	int32	   *touched = wk->touched;
	int32		nt = 0;

	acc[own] = 0.0;
	touched[nt++] = own;
	for (int64 a = g->off[v]; a < end; a++)
	{
		int32		u = adj[a];

		if (u == v)
			continue;
		if (within != NULL && within[u] != restrict_to)
			continue;
		cm_touch(acc, touched, &nt, lab[u], w[a]);
	}
	return nt;
}

/* hint the cache to fetch the row of node v (its arcs are read next) */
static inline void
cm_prefetch_row(const CmGraph *g, int32 v)
{
#if defined(__GNUC__) || defined(__clang__)
	int64		a = g->off[v];

	__builtin_prefetch(&g->adj[a]);
	__builtin_prefetch(&g->w[a]);
#endif
}

/* reset the touched entries of wk->acc to "untouched" */
static inline void
cm_ungather(int32 nt, CmWork *wk)
{
	for (int32 t = 0; t < nt; t++)
		wk->acc[wk->touched[t]] = -1.0;
}

/*
 * The community with the largest gain acc[c] - scale tot[c] among the nt
 * gathered by cm_gather, starting from v's own (touched[0]); ties keep the
 * earlier.  *bestgain receives the winner's gain.
 */
static pg_attribute_always_inline int32
cm_best_community(const CmWork *wk, const double *tot, double scale,
				  int32 nt, double *bestgain)
{
	int32		best = wk->touched[0];
	double		bg = wk->acc[best] - scale * tot[best];

	for (int32 t = 1; t < nt; t++)
	{
		int32		c = wk->touched[t];
		double		gain = wk->acc[c] - scale * tot[c];

		/* a weightless node's community is no better than v alone (empty) */
		if (tot[c] <= 0.0 && wk->acc[c] <= 0.0)
			continue;
		if (gain > bg)
		{
			best = c;
			bg = gain;
		}
	}
	*bestgain = bg;
	return best;
}

/*
 * sum + the weight of v's arcs to the other nodes u with lab[u] == c, added
 * in arc order (loops excluded)
 */
static pg_attribute_always_inline double
cm_weight_to(const CmGraph *g, const int32 *lab, int32 v, int32 c, double sum)
{
	const int32 *adj = g->adj;
	const double *w = g->w;

	for (int64 a = g->off[v]; a < g->off[v + 1]; a++)
	{
		int32		u = adj[a];

		if (u != v && lab[u] == c)
			sum += w[a];
	}
	return sum;
}

/*
 * Modularity of partition lab (dense labels, nc of them) of g, in the form
 * Q = sum_c [L_c / m - gamma (K_c / 2m)^2] (Newman & Girvan 2004, eq. 7
 * with resolution); each undirected edge appears twice in the rows and a
 * loop of weight x counts 2x, so the row sums give 2 L_c directly.
 */
static double
cm_quality(const CmGraph *g, const int32 *lab, int32 nc, double gamma,
		   double *tot)
{
	double		m2 = 0.0;
	double		inner = 0.0;
	double		sq = 0.0;

	memset(tot, 0, sizeof(double) * nc);
	for (int32 v = 0; v < g->n; v++)
	{
		int32		c = lab[v];

		if ((v & CM_INTERRUPT_MASK) == 0)
			CHECK_FOR_INTERRUPTS();
		inner = cm_weight_to(g, lab, v, c, inner + 2.0 * g->loop[v]);
		tot[c] += g->k[v];
		m2 += g->k[v];
	}
	if (m2 <= 0.0)
		return get_float8_nan();
	/* shares first: (K_c / 2m)^2 of tiny weights must not underflow to 0 / 0 */
	for (int32 c = 0; c < nc; c++)
	{
		double		f = tot[c] / m2;

		sq += f * f;
	}
	return inner / m2 - gamma * sq;
}

/*
 * Collapse each community of lab (dense, nc of them) into one node: the
 * weight between two new nodes is the sum of the weights between their
 * members, and the weight inside a community becomes a loop (Blondel et al.
 * 2008, phase 2).  Strength is preserved, so is modularity.  out is one of
 * wk's graph buffers (not the one g lives in); its arrays are allocated on
 * first use, sized to level 0, which bounds every aggregate.
 */
static void
cm_aggregate(const CmGraph *g, const int32 *lab, int32 nc, CmGraph *out,
			 CmWork *wk)
{
	int32	   *start = wk->start;
	int32	   *members = wk->members;
	double	   *acc = wk->acc;
	int32	   *touched = wk->touched;
	const int64 *goff = g->off;
	const int32 *gadj = g->adj;
	const double *gw = g->w;
	int64	   *off;
	int32	   *adj;
	double	   *w;
	int64		pos = 0;

	if (out->off == NULL)
	{
		out->off = vic_alloc_array((int64) wk->n0 + 1, sizeof(int64));
		out->adj = vic_alloc_array(wk->arcs0, sizeof(int32));
		out->w = vic_alloc_array(wk->arcs0, sizeof(double));
		out->k = vic_alloc_array(wk->n0, sizeof(double));
		out->loop = vic_alloc_array(wk->n0, sizeof(double));
	}
	off = out->off;
	adj = out->adj;
	w = out->w;
	out->n = nc;

	/* members grouped by community (counting sort, stable in node order) */
	memset(start, 0, sizeof(int32) * (nc + 1));
	for (int32 v = 0; v < g->n; v++)
		start[lab[v] + 1]++;
	for (int32 c = 0; c < nc; c++)
		start[c + 1] += start[c];
	for (int32 v = 0; v < g->n; v++)
		members[start[lab[v]]++] = v;
	for (int32 c = nc; c > 0; c--)
		start[c] = start[c - 1];
	start[0] = 0;

	for (int32 c = 0; c < nc; c++)
	{
		double		inner = 0.0;
		double		loop = 0.0;
		double		k = 0.0;
		int32		nt = 0;

		off[c] = pos;
		for (int32 i = start[c]; i < start[c + 1]; i++)
		{
			int32		v = members[i];

			if ((i & CM_INTERRUPT_MASK) == 0)
				CHECK_FOR_INTERRUPTS();
			k += g->k[v];
			loop += g->loop[v];
			if (i + 1 < start[c + 1])
				cm_prefetch_row(g, members[i + 1]);
			for (int64 a = goff[v]; a < goff[v + 1]; a++)
			{
				int32		u = gadj[a];
				int32		cu;

				if (u == v)
					continue;
				cu = lab[u];
				if (cu == c)
					inner += gw[a];
				else
					cm_touch(acc, touched, &nt, cu, gw[a]);
			}
		}
		for (int32 t = 0; t < nt; t++)
		{
			adj[pos] = touched[t];
			w[pos] = acc[touched[t]];
			pos++;
		}
		cm_ungather(nt, wk);
		/* each inner edge was seen from both ends */
		out->loop[c] = loop + inner / 2.0;
		out->k[c] = k;
	}
	off[nc] = pos;
	out->narcs = pos;
}

/*
 * Louvain local moving (Blondel et al. 2008, phase 1): visit the nodes in a
 * fresh random order each pass and move each to the neighbouring community
 * with the largest modularity gain
 *		dQ ~ k_v,in(C) - gamma k_v K_C / (2m)
 * (v taken out of its own community first; ties keep v where it is, so Q
 * rises strictly with every move), until a pass moves nothing or gains less
 * than CM_LOUVAIN_MIN_GAIN.  Returns whether any node moved.
 */
static bool
louvain_move(const CmGraph *g, int32 *lab, CmWork *wk)
{
	int32		n = g->n;
	double	   *tot = wk->tot;
	int32	   *order = wk->queue;
	bool		moved = false;

	for (int32 v = 0; v < n; v++)
	{
		lab[v] = v;
		tot[v] = g->k[v];
		order[v] = v;
	}
	for (int pass = 0; pass < CM_LOUVAIN_MAX_PASSES; pass++)
	{
		int64		moves = 0;
		double		gain = 0.0;

		CHECK_FOR_INTERRUPTS();
		vic_shuffle_int32(order, n, &wk->prng);
		for (int32 i = 0; i < n; i++)
		{
			int32		v = order[i];
			int32		own = lab[v];
			double		kv = g->k[v];
			double		scale = wk->gamma * kv * wk->inv2m;
			int32		nt;
			int32		best;
			double		bestgain;
			double		staygain;

			if ((i & CM_INTERRUPT_MASK) == 0)
				CHECK_FOR_INTERRUPTS();
			if (i + 1 < n)
				cm_prefetch_row(g, order[i + 1]);
			nt = cm_gather(g, lab, v, own, NULL, -1, wk);
			tot[own] -= kv;
			staygain = wk->acc[own] - scale * tot[own];
			best = cm_best_community(wk, tot, scale, nt, &bestgain);
			tot[best] += kv;
			if (best != own)
			{
				lab[v] = best;
				moves++;
				gain += bestgain - staygain;
			}
			cm_ungather(nt, wk);
		}
		if (moves == 0)
			break;
		moved = true;
		/* dQ of a move = (gain difference) / m = 2 (gain difference) / 2m */
		if (2.0 * gain * wk->inv2m < CM_LOUVAIN_MIN_GAIN)
			break;
	}
	return moved;
}

/*
 * Louvain (Blondel, Guillaume, Lambiotte & Lefebvre 2008): local moving,
 * then aggregation of the communities into nodes, repeated until a level
 * moves no node.  part[0..n0-1] receives dense community labels.
 */
static void
louvain_run(const CmGraph *g0, int32 *part, CmWork *wk)
{
	const CmGraph *g = g0;
	int32	   *lab = wk->lab[0];
	int			b = 0;

	for (int32 v = 0; v < g0->n; v++)
		part[v] = v;
	while (louvain_move(g, lab, wk))
	{
		int32		nc = cm_renumber(lab, g->n, wk);

		for (int32 v = 0; v < g0->n; v++)
			part[v] = lab[part[v]];
		if (nc == g->n)
			break;
		cm_aggregate(g, lab, nc, &wk->buf[b], wk);
		g = &wk->buf[b];
		b = 1 - b;
	}
}

/*
 * Leiden fast local moving (Traag, Waltman & van Eck 2019, Algorithm A.2,
 * MoveNodesFast): a queue holds the nodes in random order; a node is moved
 * to the community (or an empty one) with the largest gain, and its
 * neighbours outside its new community rejoin the queue.  lab holds dense
 * labels < g->n on entry and labels < g->n (not dense) on exit.
 */
static void
leiden_move_fast(const CmGraph *g, int32 *lab, CmWork *wk)
{
	int32		n = g->n;
	double	   *tot = wk->tot;
	int32	   *size = wk->size;
	int32	   *queue = wk->queue;
	bool	   *inq = wk->flag;
	int32	   *freec = wk->freec;
	int32		nfree = 0;
	int32		head = 0;
	int32		count = n;
	int64		steps = 0;
	const int32 *adj = g->adj;

	memset(tot, 0, sizeof(double) * n);
	memset(size, 0, sizeof(int32) * n);
	for (int32 v = 0; v < n; v++)
	{
		tot[lab[v]] += g->k[v];
		size[lab[v]]++;
		queue[v] = v;
		inq[v] = true;
	}
	for (int32 c = n - 1; c >= 0; c--)
		if (size[c] == 0)
			freec[nfree++] = c;
	vic_shuffle_int32(queue, n, &wk->prng);

	while (count > 0)
	{
		int32		v = queue[head];
		int32		own = lab[v];
		double		kv = g->k[v];
		double		scale = wk->gamma * kv * wk->inv2m;
		int32		nt;
		int32		best;
		double		bestgain;
		int64		end;

		if ((++steps & CM_INTERRUPT_MASK) == 0)
			CHECK_FOR_INTERRUPTS();
		head = (head + 1 == n) ? 0 : head + 1;
		count--;
		inq[v] = false;
		if (count > 0)
			cm_prefetch_row(g, queue[head]);

		nt = cm_gather(g, lab, v, own, NULL, -1, wk);
		tot[own] -= kv;
		size[own]--;
		best = cm_best_community(wk, tot, scale, nt, &bestgain);
		/* an empty community has gain 0; v alone already is one */
		if (bestgain < 0.0 && size[own] > 0)
		{
			Assert(nfree > 0);
			best = freec[--nfree];
		}
		cm_ungather(nt, wk);
		tot[best] += kv;
		size[best]++;
		if (best == own)
			continue;
		lab[v] = best;
		end = g->off[v + 1];
		if (size[own] == 0)
			freec[nfree++] = own;
		for (int64 a = g->off[v]; a < end; a++)
		{
			int32		u = adj[a];

			if (u != v && !inq[u] && lab[u] != best)
			{
				int32		tail = head + count;

				if (tail >= n)
					tail -= n;
				queue[tail] = u;
				inq[u] = true;
				count++;
			}
		}
	}
}

/*
 * Leiden refinement (Traag et al. 2019, Algorithm A.2, RefinePartition and
 * MergeNodesSubset): within each community S of lab, start from singletons
 * and visit the nodes in random order; a well-connected node
 *		E(v, S - v) >= gamma k_v (K_S - k_v) / (2m)
 * that is still alone joins a well-connected cluster C of S with
 * probability proportional to exp(dH / theta) among the clusters with
 * dH >= 0 (staying alone has dH = 0).  ref receives cluster labels < g->n.
 */
static void
leiden_refine(const CmGraph *g, const int32 *lab, int32 *ref, CmWork *wk)
{
	int32		n = g->n;
	double	   *stot = wk->stot;
	double	   *rtot = wk->rtot;
	double	   *rext = wk->rext;
	int32	   *rsize = wk->rsize;
	int32	   *order = wk->queue;
	double		g2 = wk->gamma * wk->inv2m;

	memset(stot, 0, sizeof(double) * n);
	for (int32 v = 0; v < n; v++)
	{
		if ((v & CM_INTERRUPT_MASK) == 0)
			CHECK_FOR_INTERRUPTS();
		ref[v] = v;
		rtot[v] = g->k[v];
		rext[v] = cm_weight_to(g, lab, v, lab[v], 0.0);
		rsize[v] = 1;
		stot[lab[v]] += g->k[v];
		order[v] = v;
	}
	vic_shuffle_int32(order, n, &wk->prng);

	for (int32 i = 0; i < n; i++)
	{
		int32		v = order[i];
		int32		s = lab[v];
		double		kv = g->k[v];
		double		ks = stot[s];
		double		maxgain = 0.0;
		double		sum;
		double		pick;
		int32		nt;
		int32		ncand = 0;
		int32		chosen = v;

		if ((i & CM_INTERRUPT_MASK) == 0)
			CHECK_FOR_INTERRUPTS();
		if (ref[v] != v || rsize[v] != 1)
			continue;
		if (rext[v] < g2 * kv * (ks - kv))
			continue;

		nt = cm_gather(g, ref, v, v, lab, s, wk);
		for (int32 t = 1; t < nt; t++)
		{
			int32		r = wk->touched[t];
			double		gain;

			if (rext[r] < g2 * rtot[r] * (ks - rtot[r]))
				continue;
			gain = wk->acc[r] - g2 * kv * rtot[r];
			if (gain < 0.0 || (rtot[r] <= 0.0 && wk->acc[r] <= 0.0))
				continue;
			wk->cand[ncand] = r;
			wk->gain[ncand] = gain;
			ncand++;
			if (gain > maxgain)
				maxgain = gain;
		}
		if (ncand > 0)
		{
			/* staying alone (dH = 0) is the implicit last candidate */
			sum = exp(-maxgain * wk->theta_scale);
			for (int32 c = 0; c < ncand; c++)
			{
				wk->gain[c] = exp((wk->gain[c] - maxgain) * wk->theta_scale);
				sum += wk->gain[c];
			}
			pick = pg_prng_double(&wk->prng) * sum;
			for (int32 c = 0; c < ncand; c++)
			{
				pick -= wk->gain[c];
				if (pick < 0.0)
				{
					chosen = wk->cand[c];
					break;
				}
			}
		}
		if (chosen != v)
		{
			/* E(C + v, S - C - v) = E(C, S - C) + E(v, S - v) - 2 w(v, C) */
			rext[chosen] += rext[v] - 2.0 * wk->acc[chosen];
			rtot[chosen] += kv;
			rsize[chosen]++;
			rsize[v] = 0;
			ref[v] = chosen;
		}
		cm_ungather(nt, wk);
	}
}

/*
 * One Leiden iteration (Traag et al. 2019, Algorithm A.2): fast local
 * moving, refinement, aggregation of the refined partition with the
 * unrefined one as the starting partition of the aggregate, until every
 * community is a single node.  part (dense labels on level 0) is the
 * starting partition and receives the result; returns its modularity.
 */
static double
leiden_iteration(const CmGraph *g0, int32 *part, CmWork *wk)
{
	const CmGraph *g = g0;
	int32	   *memb = wk->memb;
	int32	   *lab = wk->lab[0];
	int			b = 0;
	int32		nc;

	for (int32 v = 0; v < g0->n; v++)
		memb[v] = v;
	memcpy(lab, part, sizeof(int32) * g0->n);

	for (;;)
	{
		int32	   *agg;
		int32		nagg;
		int32	   *nlab;

		leiden_move_fast(g, lab, wk);
		nc = cm_renumber(lab, g->n, wk);
		if (nc == g->n)
			break;

		leiden_refine(g, lab, wk->ref, wk);
		nagg = cm_renumber(wk->ref, g->n, wk);
		if (nagg == g->n)
		{
			/* nothing merged: aggregate the unrefined partition instead */
			agg = lab;
			nagg = nc;
		}
		else
			agg = wk->ref;

		cm_aggregate(g, agg, nagg, &wk->buf[b], wk);
		nlab = (lab == wk->lab[0]) ? wk->lab[1] : wk->lab[0];
		for (int32 v = 0; v < g->n; v++)
			nlab[agg[v]] = lab[v];
		for (int32 v = 0; v < g0->n; v++)
			memb[v] = agg[memb[v]];
		g = &wk->buf[b];
		b = 1 - b;
		lab = nlab;
	}
	for (int32 v = 0; v < g0->n; v++)
		part[v] = lab[memb[v]];
	return cm_quality(g, lab, nc, wk->gamma, wk->tot);
}

/*
 * Leiden (Traag, Waltman & van Eck 2019): iterations from the previous
 * partition until one raises modularity by less than CM_LEIDEN_TOLERANCE;
 * the best partition found is kept.
 */
static void
leiden_run(const CmGraph *g0, int32 *part, CmWork *wk)
{
	int32	   *trial = wk->trial;
	double		best = -INFINITY;

	for (int32 v = 0; v < g0->n; v++)
		part[v] = v;
	for (int it = 0; it < CM_LEIDEN_MAX_ITERATIONS; it++)
	{
		double		q;

		CHECK_FOR_INTERRUPTS();
		memcpy(trial, part, sizeof(int32) * g0->n);
		q = leiden_iteration(g0, trial, wk);
		if (!(q > best))
			break;
		memcpy(part, trial, sizeof(int32) * g0->n);
		if (q - best < CM_LEIDEN_TOLERANCE)
			break;
		best = q;
	}
}

/*
 * Level 0 from the undirected CSR view: loops are read out of the rows into
 * g->loop, strengths summed, and the mean edge weight returned (0 if the
 * graph has no edge).
 */
static double
cm_level0(const VicCsr *csr, CmGraph *g, double *m2)
{
	int64		edges2 = 0;		/* edge count, loops counted twice */
	double		total = 0.0;

	double		maxw = 0.0;

	g->n = csr->n;
	g->narcs = csr->m;
	g->off = csr->off;
	g->adj = csr->adj;
	g->w = csr->w;

	/*
	 * Modularity depends on the weights only through their ratios, so far
	 * from 1 they are scaled by a power of two (exact): otherwise 1 / 2m of
	 * subnormal weights overflows, and squares of huge ones do.
	 */
	for (int64 a = 0; a < csr->m; a++)
		maxw = Max(maxw, csr->w[a]);
	if (maxw > 0.0 && (maxw < 0x1p-400 || maxw > 0x1p400))
	{
		int			e = ilogb(maxw);

		g->w = vic_alloc_array(Max(csr->m, 1), sizeof(double));
		for (int64 a = 0; a < csr->m; a++)
			g->w[a] = ldexp(csr->w[a], -e);
	}
	g->k = vic_alloc_array(csr->n, sizeof(double));
	g->loop = vic_alloc_array(csr->n, sizeof(double));
	for (int32 v = 0; v < csr->n; v++)
	{
		double		k = 0.0;
		double		loop = 0.0;

		if ((v & CM_INTERRUPT_MASK) == 0)
			CHECK_FOR_INTERRUPTS();
		for (int64 a = csr->off[v]; a < csr->off[v + 1]; a++)
		{
			if (csr->adj[a] == v)
			{
				loop += g->w[a];
				edges2 += 2;
			}
			else
			{
				k += g->w[a];
				edges2++;
			}
		}
		g->loop[v] = loop;
		g->k[v] = k + 2.0 * loop;
		total += g->k[v];
	}
	if (isinf(total))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("total edge weight of the graph is out of range"),
				 errdetail("Twice the sum of the symmetrised edge weights exceeds the range of double precision.")));
	*m2 = total;
	return edges2 > 0 ? total / (double) edges2 : 0.0;
}

/* reject a resolution that is not a positive finite number */
static void
cm_check_resolution(double gamma)
{
	if (!(gamma > 0.0) || isinf(gamma))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("resolution must be a positive finite number"),
				 errdetail("The resolution was %g.", gamma)));
}

/* the methods of vic.communities: true for Leiden */
static const VicKeyword cm_methods[] = {
	{"leiden", true},
	{"louvain", false},
};

/*
 * vic.communities(g, method, resolution, seed): community of every node,
 * labelled by the smallest node id in the community.
 */
Datum
vic_communities(PG_FUNCTION_ARGS)
{
	VicGraph   *graph = vic_graph_getarg(fcinfo, 0);
	bool		leiden = vic_keyword_arg(PG_GETARG_TEXT_PP(1), cm_methods,
										 lengthof(cm_methods),
										 "community detection method");
	double		gamma = PG_GETARG_FLOAT8(2);
	int64		seed = PG_GETARG_INT64(3);
	ReturnSetInfo *rsinfo;
	MemoryContext work;
	MemoryContext old;
	VicCsr		csr;
	CmGraph		g0;
	CmWork		wk;
	double		m2;
	double		wbar;
	int32	   *part;
	int64	   *first;

	cm_check_resolution(gamma);

	rsinfo = vic_srf_init(fcinfo);

	work = AllocSetContextCreate(CurrentMemoryContext, "vic communities",
								 ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(work);

	vic_graph_csr_undirected(graph, true, &csr);
	if (csr.n == 0)
	{
		MemoryContextSwitchTo(old);
		MemoryContextDelete(work);
		PG_RETURN_VOID();
	}
	wbar = cm_level0(&csr, &g0, &m2);

	memset(&wk, 0, sizeof(wk));
	wk.gamma = gamma;
	wk.n0 = csr.n;
	vic_prng_seed(&wk.prng, seed);
	part = vic_alloc_array(csr.n, sizeof(int32));

	if (m2 > 0.0)
	{
		wk.inv2m = 1.0 / m2;
		wk.theta_scale = 1.0 / (CM_LEIDEN_THETA * wbar);
		wk.arcs0 = csr.m;
		wk.acc = vic_alloc_array(csr.n, sizeof(double));
		wk.touched = vic_alloc_array(csr.n, sizeof(int32));
		wk.queue = vic_alloc_array(csr.n, sizeof(int32));
		wk.flag = vic_alloc_array(csr.n, sizeof(bool));
		wk.freec = vic_alloc_array(csr.n, sizeof(int32));
		wk.gain = vic_alloc_array(csr.n, sizeof(double));
		wk.cand = vic_alloc_array(csr.n, sizeof(int32));
		wk.map = vic_alloc_array(csr.n, sizeof(int32));
		wk.members = vic_alloc_array(csr.n, sizeof(int32));
		wk.start = vic_alloc_array((int64) csr.n + 1, sizeof(int32));
		wk.tot = vic_alloc_array(csr.n, sizeof(double));
		wk.size = vic_alloc_array(csr.n, sizeof(int32));
		wk.stot = vic_alloc_array(csr.n, sizeof(double));
		wk.rtot = vic_alloc_array(csr.n, sizeof(double));
		wk.rext = vic_alloc_array(csr.n, sizeof(double));
		wk.rsize = vic_alloc_array(csr.n, sizeof(int32));
		wk.ref = vic_alloc_array(csr.n, sizeof(int32));
		wk.lab[0] = vic_alloc_array(csr.n, sizeof(int32));
		wk.lab[1] = vic_alloc_array(csr.n, sizeof(int32));
		wk.memb = vic_alloc_array(csr.n, sizeof(int32));
		wk.trial = vic_alloc_array(csr.n, sizeof(int32));
		for (int32 v = 0; v < csr.n; v++)
			wk.acc[v] = -1.0;
		if (leiden)
			leiden_run(&g0, part, &wk);
		else
			louvain_run(&g0, part, &wk);
	}
	else
	{
		/* no edge weight at all: every node is its own community */
		for (int32 v = 0; v < csr.n; v++)
			part[v] = v;
	}

	/* label = smallest id; ids ascend with the index */
	first = vic_alloc_array(csr.n, sizeof(int64));
	for (int32 v = 0; v < csr.n; v++)
		first[v] = -1;
	for (int32 v = 0; v < csr.n; v++)
	{
		int32		c = part[v];

		if (first[c] < 0)
			first[c] = v;
		vic_srf_emit2(rsinfo, Int64GetDatum(csr.ids[v]), Int64GetDatum(csr.ids[first[c]]));
	}

	MemoryContextSwitchTo(old);
	MemoryContextDelete(work);
	PG_RETURN_VOID();
}

/* a (label, node) pair, for grouping nodes by their given community label */
typedef struct CmLabel
{
	int64		label;
	int32		node;
} CmLabel;

/* order CmLabel by label */
static int
cm_label_cmp(const void *a, const void *b)
{
	const CmLabel *x = (const CmLabel *) a;
	const CmLabel *y = (const CmLabel *) b;

	if (x->label != y->label)
		return x->label < y->label ? -1 : 1;
	return (x->node > y->node) - (x->node < y->node);
}

/*
 * vic.modularity(g, nodes, communities, resolution): modularity of the
 * partition that puts nodes[i] in community communities[i].
 */
Datum
vic_modularity(PG_FUNCTION_ARGS)
{
	VicGraph   *graph = vic_graph_getarg(fcinfo, 0);
	ArrayType  *anodes = PG_GETARG_ARRAYTYPE_P(1);
	ArrayType  *acomms = PG_GETARG_ARRAYTYPE_P(2);
	double		gamma = PG_GETARG_FLOAT8(3);
	MemoryContext work;
	MemoryContext old;
	int64	   *nodes;
	int64	   *comms;
	int			count;
	int			ccount;
	VicCsr		csr;
	CmGraph		g0;
	CmLabel    *pairs;
	int32	   *lab;
	int32	   *seen;
	int32		nc = 0;
	double		m2;
	double		q;

	cm_check_resolution(gamma);
	work = AllocSetContextCreate(CurrentMemoryContext, "vic modularity",
								 ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(work);

	count = vic_int8_array(anodes, "nodes", &nodes);
	ccount = vic_int8_array(acomms, "communities", &comms);
	if (count != ccount)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("nodes and communities must have the same length"),
				 errdetail("nodes has %d elements, communities has %d.",
						   count, ccount)));

	vic_graph_csr_undirected(graph, true, &csr);
	seen = vic_alloc_array(csr.n, sizeof(int32));
	for (int32 v = 0; v < csr.n; v++)
		seen[v] = -1;
	pairs = vic_alloc_array(Max(count, 1), sizeof(CmLabel));
	for (int i = 0; i < count; i++)
	{
		int64		id = nodes[i];
		int32		v = vic_csr_index_of(&csr, id);

		if (v < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("node " INT64_FORMAT " is not in the graph", id),
					 errdetail("Element %d of nodes names a node the graph does not have.",
							   i + 1)));
		if (seen[v] >= 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("node " INT64_FORMAT " appears more than once", id),
					 errdetail("Elements %d and %d of nodes are the same node.",
							   seen[v] + 1, i + 1)));
		seen[v] = i;
		pairs[i].label = comms[i];
		pairs[i].node = v;
	}
	for (int32 v = 0; v < csr.n; v++)
		if (seen[v] < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("node " INT64_FORMAT " has no community", csr.ids[v]),
					 errdetail("Every node of the graph must appear exactly once in nodes.")));

	/* dense community numbers */
	qsort(pairs, count, sizeof(CmLabel), cm_label_cmp);
	lab = vic_alloc_array(csr.n, sizeof(int32));
	for (int i = 0; i < count; i++)
	{
		if (i > 0 && pairs[i].label != pairs[i - 1].label)
			nc++;
		lab[pairs[i].node] = nc;
	}
	if (count > 0)
		nc++;

	cm_level0(&csr, &g0, &m2);
	q = cm_quality(&g0, lab, nc, gamma, vic_alloc_array(Max(nc, 1), sizeof(double)));

	MemoryContextSwitchTo(old);
	MemoryContextDelete(work);
	/* no weight: no modularity; a total weight beyond double range: no finite one */
	if (!(m2 > 0.0))
		PG_RETURN_NULL();
	if (!isfinite(q))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("modularity is out of range"),
				 errdetail("The total edge weight of the graph exceeds the range of double precision.")));
	PG_RETURN_FLOAT8(q);
}
