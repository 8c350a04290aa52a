/*
 * links_gravity.c
 *		Gravity models of cooperation between regions fitted by Poisson
 *		pseudo-maximum likelihood (Santos Silva & Tenreyro, "The log of
 *		gravity", Rev. Econ. Stat. 88, 2006), with origin and destination
 *		effects (Wilson, "A family of spatial interaction models", Environ.
 *		Plan. 3, 1971: the doubly, production- and attraction-constrained
 *		models), and the cooperation score observed / expected of each pair.
 *
 * E[F_ij] = exp(alpha_i + gamma_j + X_ij b), X_ij = (log masses,) f(d_ij),
 * f = log d ('power') or d ('exponential').  Fitted by iteratively
 * reweighted least squares (McCullagh & Nelder, Generalized Linear Models,
 * 2nd ed. 1989, sec. 2.5): each step solves the weighted normal equations
 * with the origin effects eliminated in closed form (their block is
 * diagonal) and the rest, destination effects and regressors, by Cholesky
 * (LAPACK dpotrf) of the Schur complement, formed with one BLAS dsyrk.
 * Standard errors are the heteroskedasticity-robust sandwich (HC0, White
 * 1980) of the regressors with the effects partialled out, without a
 * small-sample factor.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "links_internal.h"
#include "common/args.h"
#include "common/geo.h"

/* BLAS / LAPACK (Fortran ABI, hidden string lengths passed explicitly) */
extern void dsyrk_(const char *uplo, const char *trans, const int *n, const int *k,
				   const double *alpha, const double *a, const int *lda, const double *beta,
				   double *c, const int *ldc, size_t l1, size_t l2);
extern void dpotrf_(const char *uplo, const int *n, double *a, const int *lda, int *info, size_t l1);
extern void dpotrs_(const char *uplo, const int *n, const int *nrhs, const double *a,
					const int *lda, double *b, const int *ldb, int *info, size_t l1);

#define COST_POWER	0
#define COST_EXP	1

#define CON_DOUBLY		0
#define CON_PRODUCTION	1
#define CON_ATTRACTION	2
#define CON_NONE		3

#define GRAVITY_MAXITER		100
#define GRAVITY_TOL			1e-13
#define MAXK				4

static const VicKeyword cost_words[] = {
	{"power", COST_POWER}, {"exponential", COST_EXP}
};
static const VicKeyword con_words[] = {
	{"doubly", CON_DOUBLY}, {"production", CON_PRODUCTION},
	{"attraction", CON_ATTRACTION}, {"none", CON_NONE}
};

/* the fit: pairs in it, their design, and the results */
typedef struct Gravity
{
	int			n;				/* pairs in the fit */
	int32	   *o;				/* origin region index */
	int32	   *d;				/* destination region index */
	double	   *y;				/* observed flow */
	double	   *x;				/* dense regressors, n x K, row-major */
	int			K;
	int			nalpha;			/* origin effects (0 without) */
	int32	   *alpha_of;		/* region -> origin effect column, -1 */
	int			ngamma;			/* destination effect columns */
	int32	   *gamma_of;		/* region -> destination effect column, -1 (none or reference) */
	int			m;				/* ngamma + K */
	double	   *mu;
	double	   *eta;
	double		scale[MAXK];	/* regressors divided by these while fitting */
	double		beta[MAXK];
	double		se[MAXK];
	double		deviance;
	double		pseudo_r2;
	int			iterations;
	bool		converged;
	ArrayType  *separated;
} Gravity;

/* one weighted least-squares solve; returns false when the design is singular */
typedef struct Normal
{
	double	   *A;				/* nalpha */
	double	   *a;				/* nalpha */
	double	   *B;				/* nalpha x m, row-major */
	double	   *S;				/* m x m */
	double	   *s;				/* m */
} Normal;

/* accumulate the normal equations of weights w and working response z (z may be NULL) */
static void
normal_build(const Gravity *g, Normal *ne, const double *w, const double *z)
{
	int			m = g->m;
	int			K = g->K;

	memset(ne->S, 0, sizeof(double) * m * m);
	memset(ne->s, 0, sizeof(double) * m);
	if (g->nalpha > 0)
	{
		memset(ne->A, 0, sizeof(double) * g->nalpha);
		memset(ne->a, 0, sizeof(double) * g->nalpha);
		memset(ne->B, 0, sizeof(double) * g->nalpha * m);
	}
	for (int p = 0; p < g->n; p++)
	{
		double		wp = w[p];
		double		zp = z ? z[p] : 0;
		const double *xp = g->x + (Size) p * K;
		int			gc = g->gamma_of[g->d[p]];
		int			ac = g->nalpha > 0 ? g->alpha_of[g->o[p]] : -1;

		VIC_POLL_INTERRUPTS(p);
		if (gc >= 0)
		{
			ne->S[gc * m + gc] += wp;
			ne->s[gc] += wp * zp;
			for (int k = 0; k < K; k++)
				ne->S[(g->ngamma + k) * m + gc] += wp * xp[k];
		}
		for (int k = 0; k < K; k++)
		{
			ne->s[g->ngamma + k] += wp * xp[k] * zp;
			for (int k2 = k; k2 < K; k2++)
				ne->S[(g->ngamma + k2) * m + g->ngamma + k] += wp * xp[k] * xp[k2];
		}
		if (ac >= 0)
		{
			double	   *Bi = ne->B + (Size) ac * m;

			ne->A[ac] += wp;
			ne->a[ac] += wp * zp;
			if (gc >= 0)
				Bi[gc] += wp;
			for (int k = 0; k < K; k++)
				Bi[g->ngamma + k] += wp * xp[k];
		}
	}
	/* S holds the upper triangle, column-major (S[col * m + row], row <= col), as LAPACK reads it */
}

/* eliminate the origin effects: S -= B' A^-1 B, s -= B' A^-1 a; then factor S */
static bool
normal_reduce_factor(const Gravity *g, Normal *ne)
{
	int			m = g->m;
	int			info = 0;

	if (g->nalpha > 0)
	{
		double		minus1 = -1.0;
		double		one = 1.0;
		int			na = g->nalpha;

		for (int i = 0; i < na; i++)
		{
			double	   *Bi = ne->B + (Size) i * m;
			double		ai;

			if (!(ne->A[i] > 0))
				return false;
			ai = ne->a[i] / ne->A[i];
			for (int c = 0; c < m; c++)
				ne->s[c] -= Bi[c] * ai;
			{
				double		sq = 1.0 / sqrt(ne->A[i]);

				for (int c = 0; c < m; c++)
					Bi[c] *= sq;
			}
		}
		/* B (row-major na x m) is, column-major, the m x na matrix Bt: S -= Bt Bt' */
		dsyrk_("U", "N", &m, &na, &minus1, ne->B, &m, &one, ne->S, &m, 1, 1);
	}
	dpotrf_("U", &m, ne->S, &m, &info, 1);
	return info == 0;
}

/* solve the factored S for rhs b (m x nrhs, column-major) in place */
static void
normal_solve(const Gravity *g, const Normal *ne, double *b, int nrhs)
{
	int			m = g->m;
	int			info = 0;

	dpotrs_("U", &m, &nrhs, ne->S, &m, b, &m, &info, 1);
	if (info != 0)
		elog(ERROR, "dpotrs failed with info %d", info);
}

/* 22023: the model cannot be fitted */
static void
gravity_not_identified(const char *detail) pg_attribute_noreturn();
static void
gravity_not_identified(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("the gravity model is not identified by these links"),
			 errdetail("%s", detail)));
}

/* Poisson log likelihood term of y at mean mu (lgamma(y + 1) included, as spint and Stata) */
static inline double
pois_ll(double y, double mu)
{
	return (y > 0 ? y * log(mu) : 0) - mu - lgamma(y + 1);
}

/* Poisson deviance term */
static inline double
pois_dev(double y, double mu)
{
	return 2.0 * ((y > 0 ? y * log(y / mu) : 0) - (y - mu));
}

/*
 * Build the pairs of the fit from a summary: every ordered pair of regions
 * (intra-region pairs only when intra), flows 0 where no link went, the
 * length of a pair its weighted mean link length (the caller's
 * distances; the plain mean for a pair whose links all weigh 0) or the distance between the region centroids of link ends
 * (sphere or WGS 84).  Regions with all-zero outflows (inflows) are
 * dropped as origins (destinations) and listed in separated.
 */
static void
gravity_setup(Gravity *g, const VicLinks *l, int cost, int con, bool intra)
{
	int32		R = l->nregions;
	const VicLinksPair *pr = LINKS_PAIRS(l);
	const VicLinksRegion *rg = LINKS_REGIONS(l);
	double	   *out = palloc0(sizeof(double) * Max(R, 1));
	double	   *in = palloc0(sizeof(double) * Max(R, 1));
	double	   *cx = NULL;
	bool	   *hasc = NULL;
	int64		cap = (int64) R * R;
	int			pp = 0;
	int			nsep = 0;
	Datum	   *sep = palloc(sizeof(Datum) * Max(R, 1));
	bool		use_alpha = (con == CON_DOUBLY || con == CON_PRODUCTION);
	bool		use_gamma = (con == CON_DOUBLY || con == CON_ATTRACTION);
	double		mo[MAXK] = {0};
	int			lastdest = -1;

	if (cap > PG_INT32_MAX / 2)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many regions for a gravity fit")));
	/* masses: total outflow and inflow of each region, intra-region links included */
	for (int32 p = 0; p < l->npairs; p++)
	{
		out[pr[p].src] += pr[p].f[0];
		in[pr[p].dst] += pr[p].f[0];
	}
	if (l->flags != VIC_LINKS_USER)
	{
		cx = palloc(sizeof(double) * 2 * Max(R, 1));
		hasc = palloc0(sizeof(bool) * Max(R, 1));
		for (int32 r = 0; r < R; r++)
		{
			double		x = rg[r].f[1],
						y = rg[r].f[2],
						z = rg[r].f[3];
			double		nrm = sqrt(x * x + y * y + z * z);

			if (nrm > 1e-12 * rg[r].f[0] && nrm > 0)
			{
				cx[2 * r] = atan2(y, x) * (180.0 / M_PI);
				cx[2 * r + 1] = atan2(z, sqrt(x * x + y * y)) * (180.0 / M_PI);
				hasc[r] = true;
			}
		}
	}
	g->o = vic_alloc_array(cap, sizeof(int32));
	g->d = vic_alloc_array(cap, sizeof(int32));
	g->y = vic_alloc_array(cap, sizeof(double));
	g->K = (con == CON_DOUBLY) ? 1 : (con == CON_NONE ? 4 : 2);
	g->x = vic_alloc_array(cap * g->K, sizeof(double));
	/* separated regions: all-zero outflows (inflows) over the pairs of the fit */
	{
		double	   *ro = palloc0(sizeof(double) * Max(R, 1));
		double	   *ri = palloc0(sizeof(double) * Max(R, 1));

		for (int32 p = 0; p < l->npairs; p++)
		{
			if (pr[p].src == pr[p].dst && !intra)
				continue;
			ro[pr[p].src] += pr[p].f[0];
			ri[pr[p].dst] += pr[p].f[0];
		}
		for (int32 r = 0; r < R; r++)
		{
			if (!(ro[r] > 0) || !(ri[r] > 0))
			{
				sep[nsep++] = PointerGetDatum(cstring_to_text_with_len(LINKS_NAME(l, r), rg[r].name_len));
				if (!(ro[r] > 0))
					out[r] = -1;	/* not an origin */
				if (!(ri[r] > 0))
					in[r] = -1;		/* not a destination */
			}
		}
	}
	{
		int32		q = 0;

		for (int32 i = 0; i < R; i++)
		{
			if (out[i] < 0)
				continue;
			for (int32 j = 0; j < R; j++)
			{
				double		yij = 0;
				double		dij = -1;

				while (q < l->npairs && (pr[q].src < i || (pr[q].src == i && pr[q].dst < j)))
					q++;
				if (in[j] < 0 || (i == j && !intra))
					continue;
				if (q < l->npairs && pr[q].src == i && pr[q].dst == j)
				{
					yij = pr[q].f[0];
					if (l->flags == VIC_LINKS_USER)
						dij = pr[q].f[0] > 0 ? pr[q].f[1] / pr[q].f[0] : pr[q].f[3] / pr[q].links;
				}
				if (l->flags != VIC_LINKS_USER)
				{
					if (i == j && q < l->npairs && pr[q].src == i && pr[q].dst == j && pr[q].f[0] > 0)
						dij = pr[q].f[1] / pr[q].f[0];	/* within a region: its links */
					else if (hasc[i] && hasc[j])
						dij = l->flags == VIC_LINKS_SPHERE ?
							vic_postgis_sphere_distance(vic_point_vector(cx[2 * i], cx[2 * i + 1]),
															vic_point_vector(cx[2 * j], cx[2 * j + 1])) :
							vic_geodesic_distance(cx[2 * i], cx[2 * i + 1], cx[2 * j], cx[2 * j + 1]);
				}
				if (dij < 0 || (cost == COST_POWER && !(dij > 0)))
					continue;	/* no length known, or log 0 */
				g->o[pp] = i;
				g->d[pp] = j;
				g->y[pp] = yij;
				{
					double	   *xp = g->x + (Size) pp * g->K;
					double		f = cost == COST_POWER ? log(dij) : dij;

					switch (con)
					{
						case CON_DOUBLY:
							xp[0] = f;
							break;
						case CON_PRODUCTION:
							xp[0] = log(in[j]);
							xp[1] = f;
							break;
						case CON_ATTRACTION:
							xp[0] = log(out[i]);
							xp[1] = f;
							break;
						default:
							xp[0] = 1;
							xp[1] = log(out[i]);
							xp[2] = log(in[j]);
							xp[3] = f;
							break;
					}
					for (int k = 0; k < g->K; k++)
						mo[k] = Max(mo[k], fabs(xp[k]));
				}
				pp++;
			}
		}
	}
	g->n = pp;
	/* effects: origins and destinations present in the fit */
	g->alpha_of = palloc(sizeof(int32) * Max(R, 1));
	g->gamma_of = palloc(sizeof(int32) * Max(R, 1));
	for (int32 r = 0; r < R; r++)
		g->alpha_of[r] = g->gamma_of[r] = -1;
	g->nalpha = 0;
	g->ngamma = 0;
	for (int p = 0; p < pp; p++)
	{
		if (use_alpha && g->alpha_of[g->o[p]] < 0)
			g->alpha_of[g->o[p]] = g->nalpha++;
		if (use_gamma && g->gamma_of[g->d[p]] < 0)
		{
			g->gamma_of[g->d[p]] = g->ngamma++;
			lastdest = Max(lastdest, g->d[p]);
		}
	}
	if (use_alpha && use_gamma && lastdest >= 0)
	{
		/* the last destination is the reference: alpha + gamma have one redundancy */
		int32		gc = g->gamma_of[lastdest];

		for (int32 r = 0; r < R; r++)
			if (g->gamma_of[r] > gc)
				g->gamma_of[r]--;
		g->gamma_of[lastdest] = -1;
		g->ngamma--;
	}
	g->m = g->ngamma + g->K;
	for (int k = 0; k < g->K; k++)
	{
		g->scale[k] = mo[k] > 0 ? mo[k] : 1.0;
		for (int p = 0; p < pp; p++)
			g->x[(Size) p * g->K + k] /= g->scale[k];
	}
	g->separated = construct_array(sep, nsep, TEXTOID, -1, false, TYPALIGN_INT);
}

/* fit the model by IRLS; fills beta, se, deviance, pseudo_r2, iterations, converged */
static void
gravity_fit(Gravity *g)
{
	int			n = g->n;
	int			m = g->m;
	int			K = g->K;
	Normal		ne;
	double	   *z = vic_alloc_array(n, sizeof(double));
	double	   *theta = vic_alloc_array(m, sizeof(double));
	double		ybar = 0;
	double		dev = 0,
				devold = 0;
	double		ll = 0,
				ll0 = 0;

	if (n < g->nalpha + m)
		gravity_not_identified("There are fewer region pairs than parameters.");
	ne.A = vic_alloc_array(Max(g->nalpha, 1), sizeof(double));
	ne.a = vic_alloc_array(Max(g->nalpha, 1), sizeof(double));
	ne.B = vic_alloc_array((int64) Max(g->nalpha, 1) * m, sizeof(double));
	ne.S = vic_alloc_array((int64) m * m, sizeof(double));
	ne.s = vic_alloc_array(m, sizeof(double));
	g->mu = vic_alloc_array(n, sizeof(double));
	g->eta = vic_alloc_array(n, sizeof(double));
	for (int p = 0; p < n; p++)
		ybar += g->y[p];
	ybar /= n;
	/* start as ppmlhdfe does: mu = (y + mean y) / 2 */
	for (int p = 0; p < n; p++)
	{
		g->mu[p] = 0.5 * (g->y[p] + ybar);
		g->eta[p] = log(g->mu[p]);
		devold += pois_dev(g->y[p], g->mu[p]);
	}
	g->converged = false;
	for (g->iterations = 1; g->iterations <= GRAVITY_MAXITER; g->iterations++)
	{
		bool		finite = true;

		CHECK_FOR_INTERRUPTS();
		for (int p = 0; p < n; p++)
			z[p] = g->eta[p] + (g->y[p] - g->mu[p]) / g->mu[p];
		normal_build(g, &ne, g->mu, z);
		if (!normal_reduce_factor(g, &ne))
			gravity_not_identified("The regressors are collinear with the origin and destination effects.");
		memcpy(theta, ne.s, sizeof(double) * m);
		normal_solve(g, &ne, theta, 1);
		/* origin effects: alpha_i = (a_i - B_i theta) / A_i, B unscaled = B_scaled * sqrt(A_i) */
		dev = 0;
		for (int p = 0; p < n; p++)
		{
			const double *xp = g->x + (Size) p * K;
			int			gc = g->gamma_of[g->d[p]];
			double		eta = 0;

			if (gc >= 0)
				eta += theta[gc];
			for (int k = 0; k < K; k++)
				eta += theta[g->ngamma + k] * xp[k];
			g->eta[p] = eta;	/* origin effect added below */
		}
		if (g->nalpha > 0)
		{
			double	   *alpha = palloc(sizeof(double) * g->nalpha);

			for (int i = 0; i < g->nalpha; i++)
			{
				double	   *Bi = ne.B + (Size) i * m;
				double		sq = sqrt(ne.A[i]);
				double		bt = 0;

				for (int c = 0; c < m; c++)
					bt += Bi[c] * sq * theta[c];
				alpha[i] = (ne.a[i] - bt) / ne.A[i];
			}
			for (int p = 0; p < n; p++)
				g->eta[p] += alpha[g->alpha_of[g->o[p]]];
			pfree(alpha);
		}
		for (int p = 0; p < n; p++)
		{
			g->mu[p] = exp(g->eta[p]);
			if (!isfinite(g->mu[p]) || g->mu[p] <= 0)
				finite = false;
			dev += pois_dev(g->y[p], g->mu[p]);
		}
		for (int k = 0; k < K; k++)
			g->beta[k] = theta[g->ngamma + k] / g->scale[k];
		if (!finite || !isfinite(dev))
			break;
		if (fabs(dev - devold) / (fabs(dev) + 0.1) < GRAVITY_TOL)
		{
			g->converged = true;
			break;
		}
		devold = dev;
	}
	if (g->iterations > GRAVITY_MAXITER)
		g->iterations = GRAVITY_MAXITER;
	g->deviance = dev;
	for (int p = 0; p < n; p++)
	{
		ll += pois_ll(g->y[p], g->mu[p]);
		ll0 += pois_ll(g->y[p], ybar);
	}
	g->pseudo_r2 = 1.0 - ll / ll0;

	/* robust (HC0) standard errors at the final mu */
	for (int k = 0; k < K; k++)
		g->se[k] = NAN;
	if (g->converged)
	{
		double	   *Y = vic_alloc_array((int64) m * K, sizeof(double));	/* S^-1 E_K, column-major */
		double	   *q = vic_alloc_array((int64) Max(g->nalpha, 1) * K, sizeof(double));
		double		V[MAXK][MAXK] = {{0}};

		normal_build(g, &ne, g->mu, NULL);
		if (!normal_reduce_factor(g, &ne))
			gravity_not_identified("The regressors are collinear with the origin and destination effects.");
		memset(Y, 0, sizeof(double) * m * K);
		for (int k = 0; k < K; k++)
			Y[(Size) k * m + g->ngamma + k] = 1.0;
		normal_solve(g, &ne, Y, K);
		/* q_i = Y' B_i / A_i, with B_i scaled by 1/sqrt(A_i) in ne.B */
		for (int i = 0; i < g->nalpha; i++)
		{
			double	   *Bi = ne.B + (Size) i * m;
			double		sq = 1.0 / sqrt(ne.A[i]);

			for (int k = 0; k < K; k++)
			{
				double		acc = 0;

				for (int c = 0; c < m; c++)
					acc += Y[(Size) k * m + c] * Bi[c];
				q[(Size) i * K + k] = acc * sq;
			}
		}
		for (int p = 0; p < n; p++)
		{
			const double *xp = g->x + (Size) p * K;
			int			gc = g->gamma_of[g->d[p]];
			double		gp[MAXK];
			double		e2 = (g->y[p] - g->mu[p]) * (g->y[p] - g->mu[p]);

			VIC_POLL_INTERRUPTS(p);
			for (int k = 0; k < K; k++)
			{
				double		acc = gc >= 0 ? Y[(Size) k * m + gc] : 0;

				for (int k2 = 0; k2 < K; k2++)
					acc += Y[(Size) k * m + g->ngamma + k2] * xp[k2];
				if (g->nalpha > 0)
					acc -= q[(Size) g->alpha_of[g->o[p]] * K + k];
				gp[k] = acc;
			}
			for (int k = 0; k < K; k++)
				for (int k2 = 0; k2 < K; k2++)
					V[k][k2] += e2 * gp[k] * gp[k2];
		}
		for (int k = 0; k < K; k++)
			g->se[k] = sqrt(V[k][k]) / g->scale[k];
	}
}

/* parse the arguments and fit; NULL when there is nothing to fit */
static Gravity *
gravity_run(FunctionCallInfo fcinfo)
{
	VicLinks   *l = vic_links_getarg(fcinfo, 0);
	int			cost = vic_keyword_arg(PG_GETARG_TEXT_PP(1), cost_words, lengthof(cost_words), "cost");
	int			con = vic_keyword_arg(PG_GETARG_TEXT_PP(2), con_words, lengthof(con_words), "constrained");
	bool		intra = PG_GETARG_BOOL(3);
	Gravity    *g = palloc0(sizeof(Gravity));

	gravity_setup(g, l, cost, con, intra);
	if (g->n == 0)
		return NULL;
	gravity_fit(g);
	return g;
}

PG_FUNCTION_INFO_V1(vic_gravity_fit);
/* the PPML gravity fit: distance coefficient, robust s.e., deviance, pseudo R2, diagnostics */
Datum
vic_gravity_fit(PG_FUNCTION_ARGS)
{
	Gravity    *g = gravity_run(fcinfo);
	TupleDesc	tupdesc;
	Datum		values[7];
	bool		nulls[7] = {false, false, false, false, false, false, false};
	int			K;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "vic_gravity_fit must return a row");
	if (g == NULL)
		PG_RETURN_NULL();
	K = g->K;
	values[0] = Float8GetDatum(g->beta[K - 1]);
	values[1] = Float8GetDatum(g->se[K - 1]);
	nulls[1] = isnan(g->se[K - 1]);
	values[2] = Float8GetDatum(g->deviance);
	values[3] = Float8GetDatum(g->pseudo_r2);
	values[4] = Int32GetDatum(g->iterations);
	values[5] = BoolGetDatum(g->converged);
	values[6] = PointerGetDatum(g->separated);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), values, nulls)));
}

PG_FUNCTION_INFO_V1(vic_gravity);
/* observed and expected flow of every pair in the fit, and the score observed / expected */
Datum
vic_gravity(PG_FUNCTION_ARGS)
{
	VicLinks   *l = vic_links_getarg(fcinfo, 0);
	ReturnSetInfo *rsinfo = vic_srf_init(fcinfo);
	Gravity    *g = gravity_run(fcinfo);

	if (g == NULL)
		return (Datum) 0;
	for (int p = 0; p < g->n; p++)
	{
		Datum		values[5];
		bool		nulls[5] = {false, false, false, false, false};

		VIC_POLL_INTERRUPTS(p);
		values[0] = PointerGetDatum(cstring_to_text_with_len(LINKS_NAME(l, g->o[p]),
															 LINKS_REGIONS(l)[g->o[p]].name_len));
		values[1] = PointerGetDatum(cstring_to_text_with_len(LINKS_NAME(l, g->d[p]),
															 LINKS_REGIONS(l)[g->d[p]].name_len));
		values[2] = Float8GetDatum(g->y[p]);
		values[3] = Float8GetDatum(g->mu[p]);
		values[4] = Float8GetDatum(g->y[p] / g->mu[p]);
		vic_srf_emit(rsinfo, values, nulls);
	}
	return (Datum) 0;
}
