/*
 * space_complexity.c
 *		Economic complexity of units (ECI) and industries (PCI) from the
 *		binary matrix M of a vic.space (Hidalgo & Hausmann 2009; Hausmann et
 *		al. 2014, The Atlas of Economic Complexity).
 *
 * Eigenvector method: the ECI is the eigenvector of the second largest
 * eigenvalue of the row-stochastic M~C = D^-1 M U^-1 M' (D = diag of
 * diversities, U = diag of ubiquities), standardised.  M~C is similar to
 * the symmetric S = A A' with A = D^-1/2 M U^-1/2, whose top eigenvector
 * is D^1/2 1 (eigenvalue 1): power iteration on S, sparse (two passes over
 * the present cells per step), with that trivial eigenvector deflated at
 * every step, converges to the second eigenvector y, and ECI ~ D^-1/2 y.
 * The PCI is the matching eigenvector of M~P = U^-1 M' D^-1 M, U^-1 M' of
 * the ECI vector.  Method of reflections: k_c,N = Σ_p M_cp k_p,N-1 / k_c,0
 * and k_p,N = Σ_c M_cp k_c,N-1 / k_p,0 from diversity and ubiquity
 * (Hidalgo & Hausmann 2009, eq. 1-2), N steps.
 *
 * Signs: an eigenvector has none of its own, so the ECI is oriented to
 * correlate positively with diversity and the PCI negatively with
 * ubiquity (more complex industries are present in fewer units), for both
 * methods.  Values are standardised (x - mean) / sd with the sample
 * standard deviation (n - 1), as R's sd().  Units of diversity 0 and
 * industries of ubiquity 0 take no part and get NULL.
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/float.h"

#include "space.h"

/* power iteration: stop when successive unit vectors differ by less (2-norm) */
#define ECI_TOLERANCE	1e-12
#define ECI_MAX_STEPS	100000

typedef enum ComplexityMethod
{
	COMPLEXITY_EIGENVECTOR,
	COMPLEXITY_REFLECTIONS
} ComplexityMethod;

static const VicKeyword complexity_methods[] = {
	{"eigenvector", COMPLEXITY_EIGENVECTOR},
	{"reflections", COMPLEXITY_REFLECTIONS}
};

/* number of connected groups of the bipartite graph of M (active nodes only) */
static int
bipartite_components(const SpaceBinary *b)
{
	int32		n = b->n,
				k = b->k;
	int32	   *seen = vic_alloc_array0((int64) n + k, sizeof(int32));
	int32	   *queue = vic_alloc_array((int64) n + k, sizeof(int32));
	int64	   *toff = vic_alloc_array0((int64) k + 1, sizeof(int64));
	int32	   *tadj = vic_alloc_array(b->m, sizeof(int32));
	int			groups = 0;

	/* the transpose: units of each industry */
	for (int64 e = 0; e < b->m; e++)
		toff[b->col[e] + 1]++;
	for (int32 i = 0; i < k; i++)
		toff[i + 1] += toff[i];
	{
		int64	   *cur = vic_alloc_array(k, sizeof(int64));

		memcpy(cur, toff, sizeof(int64) * (Size) k);
		for (int32 u = 0; u < n; u++)
			for (int64 e = b->off[u]; e < b->off[u + 1]; e++)
				tadj[cur[b->col[e]]++] = u;
		pfree(cur);
	}
	for (int32 start = 0; start < n; start++)
	{
		int32		head = 0,
					tail = 0;

		if (seen[start] || b->div[start] == 0)
			continue;
		groups++;
		seen[start] = 1;
		queue[tail++] = start;
		while (head < tail)
		{
			int32		v = queue[head++];

			if (v < n)
			{
				for (int64 e = b->off[v]; e < b->off[v + 1]; e++)
					if (!seen[n + b->col[e]])
					{
						seen[n + b->col[e]] = 1;
						queue[tail++] = n + b->col[e];
					}
			}
			else
			{
				for (int64 e = toff[v - n]; e < toff[v - n + 1]; e++)
					if (!seen[tadj[e]])
					{
						seen[tadj[e]] = 1;
						queue[tail++] = tadj[e];
					}
			}
		}
	}
	pfree(seen);
	pfree(queue);
	pfree(toff);
	pfree(tadj);
	return groups;
}

/* z_i = Σ_c M_ci y_c for every industry, then out_c = Σ_i M_ci z_i scale_i */
static void
apply_mm(const SpaceBinary *b, const double *y, const double *scale, double *z, double *out)
{
	memset(z, 0, sizeof(double) * (Size) b->k);
	for (int32 u = 0; u < b->n; u++)
	{
		double		yu = y[u];

		for (int64 e = b->off[u]; e < b->off[u + 1]; e++)
			z[b->col[e]] += yu;
	}
	for (int32 i = 0; i < b->k; i++)
		z[i] *= scale[i];
	for (int32 u = 0; u < b->n; u++)
	{
		double		acc = 0;

		for (int64 e = b->off[u]; e < b->off[u + 1]; e++)
			acc += z[b->col[e]];
		out[u] = acc;
	}
}

/*
 * Standardise v over the entries where active (sample sd), orient it so
 * that its covariance with ref has sign want (+1 or -1), NaN elsewhere;
 * all NaN when fewer than two are active or the sd is 0.
 */
static void
standardise(double *v, const int32 *ref, int32 len, int want)
{
	double		mean = 0,
				rmean = 0,
				ss = 0,
				cov = 0,
				sd;
	int32		cnt = 0;

	for (int32 i = 0; i < len; i++)
		if (ref[i] > 0)
		{
			mean += v[i];
			rmean += ref[i];
			cnt++;
		}
	if (cnt < 2)
	{
		for (int32 i = 0; i < len; i++)
			v[i] = get_float8_nan();
		return;
	}
	mean /= cnt;
	rmean /= cnt;
	for (int32 i = 0; i < len; i++)
		if (ref[i] > 0)
		{
			ss += (v[i] - mean) * (v[i] - mean);
			cov += (v[i] - mean) * (ref[i] - rmean);
		}
	sd = sqrt(ss / (cnt - 1));
	for (int32 i = 0; i < len; i++)
	{
		if (ref[i] == 0 || !(sd > 0))
			v[i] = get_float8_nan();
		else
		{
			v[i] = (v[i] - mean) / sd;
			if ((cov < 0 && want > 0) || (cov > 0 && want < 0))
				v[i] = -v[i];
		}
	}
}

/* x -> (x - mean) / sd over the active entries (ref > 0), when sd > 0 */
static void
rescale(double *v, const int32 *ref, int32 len)
{
	double		mean = 0,
				ss = 0;
	int32		cnt = 0;

	for (int32 i = 0; i < len; i++)
		if (ref[i] > 0)
		{
			mean += v[i];
			cnt++;
		}
	if (cnt < 2)
		return;
	mean /= cnt;
	for (int32 i = 0; i < len; i++)
		if (ref[i] > 0)
			ss += (v[i] - mean) * (v[i] - mean);
	if (!(ss > 0))
		return;
	ss = sqrt(ss / (cnt - 1));
	for (int32 i = 0; i < len; i++)
		v[i] = ref[i] > 0 ? (v[i] - mean) / ss : 0;
}

/* ECI (n) and PCI (k) of M by method, NaN where undefined */
static void
complexity(const SpaceBinary *b, ComplexityMethod method, int steps,
		   double *eci, double *pci)
{
	int32		n = b->n,
				k = b->k;
	double	   *z = vic_alloc_array(k, sizeof(double));
	double	   *inv_u = vic_alloc_array(k, sizeof(double));

	for (int32 i = 0; i < k; i++)
		inv_u[i] = b->ubi[i] > 0 ? 1.0 / b->ubi[i] : 0;

	if (method == COMPLEXITY_REFLECTIONS)
	{
		double	   *kc = vic_alloc_array(n, sizeof(double));
		double	   *kp = vic_alloc_array(k, sizeof(double));
		double	   *nkc = vic_alloc_array(n, sizeof(double));

		for (int32 u = 0; u < n; u++)
			kc[u] = b->div[u];
		for (int32 i = 0; i < k; i++)
			kp[i] = b->ubi[i];
		for (int s = 0; s < steps; s++)
		{
			/* k_c,N from k_p,N-1 and k_p,N from k_c,N-1 */
			for (int32 u = 0; u < n; u++)
			{
				double		acc = 0;

				for (int64 e = b->off[u]; e < b->off[u + 1]; e++)
					acc += kp[b->col[e]];
				nkc[u] = b->div[u] > 0 ? acc / b->div[u] : 0;
			}
			memset(z, 0, sizeof(double) * (Size) k);
			for (int32 u = 0; u < n; u++)
				for (int64 e = b->off[u]; e < b->off[u + 1]; e++)
					z[b->col[e]] += kc[u];
			for (int32 i = 0; i < k; i++)
				kp[i] = z[i] * inv_u[i];
			memcpy(kc, nkc, sizeof(double) * (Size) n);

			/*
			 * Both maps are stochastic (D^-1 M 1 = 1, U^-1 M' 1 = 1), so
			 * they commute with x -> a x + b (a > 0), and so does the
			 * final standardisation: recentring and rescaling every step
			 * gives the same result as HH2009's k_c,N, k_p,N without their
			 * cancellation (they converge to a constant, and after a few
			 * dozen steps their spread is rounding noise).
			 */
			rescale(kc, b->div, n);
			rescale(kp, b->ubi, k);
			CHECK_FOR_INTERRUPTS();
		}
		memcpy(eci, kc, sizeof(double) * (Size) n);
		memcpy(pci, kp, sizeof(double) * (Size) k);
	}
	else
	{
		double	   *q1 = vic_alloc_array(n, sizeof(double));
		double	   *y = vic_alloc_array(n, sizeof(double));
		double	   *w = vic_alloc_array(n, sizeof(double));
		double	   *isd = vic_alloc_array(n, sizeof(double));
		double		norm = 0,
					dsum = 0,
					dot,
					diff = 0;
		int			step;

		for (int32 u = 0; u < n; u++)
		{
			dsum += b->div[u];
			isd[u] = b->div[u] > 0 ? 1.0 / sqrt((double) b->div[u]) : 0;
		}
		for (int32 u = 0; u < n; u++)
			q1[u] = sqrt(b->div[u] / dsum);

		/*
		 * A start with a component along the second eigenvector: the
		 * diversities, and the mean ubiquity of each unit's industries
		 * (k_c,1), which the ECI orders by (Hidalgo & Hausmann 2009); the
		 * units are in name order, so the start and every step are the same
		 * whatever the order of the rows.
		 */
		for (int32 u = 0; u < n; u++)
		{
			double		kc1 = 0;

			for (int64 e = b->off[u]; e < b->off[u + 1]; e++)
				kc1 += b->ubi[b->col[e]];
			kc1 = b->div[u] > 0 ? kc1 / b->div[u] : 0;
			y[u] = b->div[u] > 0 ? (b->div[u] - kc1 + (double) (u + 1) / n) / isd[u] : 0;
		}
		for (step = 0; step <= ECI_MAX_STEPS; step++)
		{
			if (step > 0)
			{
				for (int32 u = 0; u < n; u++)
					w[u] = y[u] * isd[u];
				apply_mm(b, w, inv_u, z, w);
				for (int32 u = 0; u < n; u++)
					w[u] *= isd[u];
			}
			else
				memcpy(w, y, sizeof(double) * (Size) n);
			/* deflate the trivial eigenvector, twice for accuracy */
			for (int pass = 0; pass < 2; pass++)
			{
				dot = 0;
				for (int32 u = 0; u < n; u++)
					dot += q1[u] * w[u];
				for (int32 u = 0; u < n; u++)
					w[u] -= dot * q1[u];
			}
			norm = 0;
			for (int32 u = 0; u < n; u++)
				norm += w[u] * w[u];
			norm = sqrt(norm);
			if (!(norm > 0))
				break;
			diff = 0;
			for (int32 u = 0; u < n; u++)
			{
				double		d;

				w[u] /= norm;
				d = w[u] - y[u];
				diff += d * d;
			}
			memcpy(y, w, sizeof(double) * (Size) n);
			if (step > 0 && sqrt(diff) < ECI_TOLERANCE)
				break;
			if ((step & 63) == 0)
				CHECK_FOR_INTERRUPTS();
		}
		ereport(DEBUG1,
				(errmsg_internal("economic complexity: power iteration took %d steps, last change %g, second eigenvalue %.17g",
								 step, sqrt(diff), norm)));
		if (!(norm > 0))
		{
			/* S has rank 1: every unit alike, no second eigenvector */
			for (int32 u = 0; u < n; u++)
				y[u] = 0;
		}
		else if (step > ECI_MAX_STEPS)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the eigenvector of the economic complexity index did not converge"),
					 errdetail("Power iteration took %d steps without two successive vectors closer than %g.",
							   ECI_MAX_STEPS, ECI_TOLERANCE),
					 errhint("The second and third eigenvalues are nearly equal; method 'reflections' states its steps.")));
		for (int32 u = 0; u < n; u++)
			eci[u] = y[u] * isd[u];
		/* PCI = U^-1 M' ECI: the industry side of the same eigenpair */
		memset(z, 0, sizeof(double) * (Size) k);
		for (int32 u = 0; u < n; u++)
			for (int64 e = b->off[u]; e < b->off[u + 1]; e++)
				z[b->col[e]] += eci[u];
		for (int32 i = 0; i < k; i++)
			pci[i] = z[i] * inv_u[i];
	}
	standardise(eci, b->div, n, +1);
	standardise(pci, b->ubi, k, -1);
}

/*
 * The shared part of eci and pci: arguments (s, level, method, iterations,
 * rca), the matrix, the checks, the computation
 */
static VicSpace *
complexity_args(FunctionCallInfo fcinfo, SpaceMatrix *mx, SpaceBinary *b,
				double **eci, double **pci)
{
	VicSpace   *s = vic_space_getarg(fcinfo, 0);
	int			level = space_level_arg(fcinfo, 1, s);
	ComplexityMethod method = COMPLEXITY_EIGENVECTOR;
	int32		steps = 20;
	int			groups;

	if (!PG_ARGISNULL(2))
		method = vic_keyword_arg(PG_GETARG_TEXT_PP(2), complexity_methods,
								 lengthof(complexity_methods), "method");
	if (!PG_ARGISNULL(3))
		steps = PG_GETARG_INT32(3);
	if (steps < 1 || steps > 1000)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("iterations must be between 1 and 1000"),
				 errdetail("The method of reflections was asked for %d steps.", steps)));
	space_matrix(s, level, mx);
	space_binary(mx, space_bool_arg(fcinfo, 4, true), b);
	groups = bipartite_components(b);
	if (groups > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("economic complexity is undefined for a space that falls apart"),
				 errdetail("The units and the industries they have form %d unconnected groups; the eigenvalue 1 is then not simple.",
						   groups),
				 errhint("Compute the complexity of each group on its own.")));
	*eci = vic_alloc_array(b->n, sizeof(double));
	*pci = vic_alloc_array(b->k, sizeof(double));
	complexity(b, method, steps, *eci, *pci);
	return s;
}

PG_FUNCTION_INFO_V1(vic_space_eci);
/* eci(s, level, method, iterations, rca): (unit, eci) */
Datum
vic_space_eci(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = vic_srf_init(fcinfo);
	SpaceMatrix mx;
	SpaceBinary b;
	double	   *eci,
			   *pci;
	VicSpace   *s;

	if (PG_ARGISNULL(0))
		return (Datum) 0;
	s = complexity_args(fcinfo, &mx, &b, &eci, &pci);
	for (int32 u = 0; u < b.n; u++)
	{
		Datum		v[2] = {space_unit_text(s, u), Float8GetDatum(eci[u])};
		bool		nulls[2] = {false, isnan(eci[u])};

		vic_srf_emit(rsinfo, v, nulls);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(vic_space_pci);
/* pci(s, level, method, iterations, rca): (industry, pci) */
Datum
vic_space_pci(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = vic_srf_init(fcinfo);
	SpaceMatrix mx;
	SpaceBinary b;
	double	   *eci,
			   *pci;

	if (PG_ARGISNULL(0))
		return (Datum) 0;
	(void) complexity_args(fcinfo, &mx, &b, &eci, &pci);
	for (int32 i = 0; i < b.k; i++)
	{
		Datum		v[2] = {Int64GetDatum(mx.codes[i]), Float8GetDatum(pci[i])};
		bool		nulls[2] = {false, isnan(pci[i])};

		vic_srf_emit(rsinfo, v, nulls);
	}
	return (Datum) 0;
}
