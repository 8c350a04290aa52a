/*
 * linalg.c
 *		Blocked, interruptible LU factorisation, solves and inverse over
 *		LAPACK and BLAS (linalg.h).
 *
 * The Fortran routines are declared here (no LAPACKE): every argument by
 * reference, and gfortran's hidden length of each character argument
 * appended as a size_t.  The blocked algorithms are LAPACK's own
 * (dgetrf, dtrtri, dgetri: Anderson et al., LAPACK Users' Guide, 3rd ed.,
 * 1999), written out here so that CHECK_FOR_INTERRUPTS runs between blocks;
 * the work inside a block is LAPACK's and BLAS's.
 */
#include "postgres.h"

#include <dlfcn.h>
#include <float.h>
#include <math.h>

#include "miscadmin.h"

#include "common/linalg.h"
#include "common/mem.h"

typedef size_t fstrlen;

extern void dgetrf_(const int *m, const int *n, double *a, const int *lda,
					int *ipiv, int *info);
extern void dgetrs_(const char *trans, const int *n, const int *nrhs,
					const double *a, const int *lda, const int *ipiv,
					double *b, const int *ldb, int *info, fstrlen ltrans);
extern void dlaswp_(const int *n, double *a, const int *lda, const int *k1,
					const int *k2, const int *ipiv, const int *incx);
extern void dtrsm_(const char *side, const char *uplo, const char *transa,
				   const char *diag, const int *m, const int *n,
				   const double *alpha, const double *a, const int *lda,
				   double *b, const int *ldb,
				   fstrlen l1, fstrlen l2, fstrlen l3, fstrlen l4);
extern void dtrmm_(const char *side, const char *uplo, const char *transa,
				   const char *diag, const int *m, const int *n,
				   const double *alpha, const double *a, const int *lda,
				   double *b, const int *ldb,
				   fstrlen l1, fstrlen l2, fstrlen l3, fstrlen l4);
extern void dgemm_(const char *transa, const char *transb, const int *m,
				   const int *n, const int *k, const double *alpha,
				   const double *a, const int *lda, const double *b,
				   const int *ldb, const double *beta, double *c,
				   const int *ldc, fstrlen l1, fstrlen l2);
extern void dtrtri_(const char *uplo, const char *diag, const int *n,
					double *a, const int *lda, int *info, fstrlen l1, fstrlen l2);
extern void dgecon_(const char *norm, const int *n, const double *a,
					const int *lda, const double *anorm, double *rcond,
					double *work, int *iwork, int *info, fstrlen l1);
extern void dswap_(const int *n, double *x, const int *incx, double *y,
				   const int *incy);

static const double one = 1.0;
static const double minus_one = -1.0;
static const int ione = 1;

/*
 * Columns per block: small enough that one block's trailing update
 * (about 2 n^2 nb flops) takes well under a second on one core, large
 * enough that BLAS 3 does the work.
 */
static int
block_size(int n)
{
	double		nb = 2e8 / (2.0 * Max(n, 1) * Max(n, 1));

	if (nb >= 64)
		return 64;
	if (nb <= 16)
		return 16;
	return (int) nb;
}

/* ask OpenBLAS, when it is the BLAS loaded, for one thread (once) */
void
vic_linalg_init(void)
{
	static bool done = false;

	if (!done)
	{
		void		(*set_threads) (int) =
			(void (*) (int)) dlsym(RTLD_DEFAULT, "openblas_set_num_threads");

		if (set_threads != NULL)
			set_threads(1);
		done = true;
	}
}

/* blocked right-looking LU with partial pivoting (dgetrf's algorithm) */
int
vic_lu_factor(double *a, int n, int *ipiv)
{
	int			nb = block_size(n);
	int			lda = Max(n, 1);
	int			singular = 0;

	vic_linalg_init();
	for (int k = 0; k < n; k += nb)
	{
		int			jb = Min(nb, n - k);
		int			rows = n - k;
		int			rest = n - k - jb;
		int			info = 0;
		int			k1 = k + 1;
		int			k2 = k + jb;

		CHECK_FOR_INTERRUPTS();
		/* factor the panel A(k:n, k:k+jb) */
		dgetrf_(&rows, &jb, &a[k + (Size) k * lda], &lda, &ipiv[k], &info);
		if (info < 0)
			elog(ERROR, "dgetrf: argument %d had an illegal value", -info);
		if (info > 0 && singular == 0)
			singular = info + k;
		for (int i = k; i < k + jb; i++)
			ipiv[i] += k;
		/* the panel's interchanges on the columns left and right of it */
		if (k > 0)
			dlaswp_(&k, a, &lda, &k1, &k2, ipiv, &ione);
		if (rest > 0)
		{
			dlaswp_(&rest, &a[(Size) (k + jb) * lda], &lda, &k1, &k2, ipiv, &ione);
			/* U12 = L11^-1 A12, A22 -= L21 U12 */
			dtrsm_("L", "L", "N", "U", &jb, &rest, &one,
				   &a[k + (Size) k * lda], &lda, &a[k + (Size) (k + jb) * lda], &lda,
				   1, 1, 1, 1);
			dgemm_("N", "N", &rest, &rest, &jb, &minus_one,
				   &a[k + jb + (Size) k * lda], &lda,
				   &a[k + (Size) (k + jb) * lda], &lda, &one,
				   &a[k + jb + (Size) (k + jb) * lda], &lda, 1, 1);
		}
	}
	CHECK_FOR_INTERRUPTS();
	return singular;
}

/* dgetrs on blocks of right-hand sides */
void
vic_lu_solve(const double *lu, int n, const int *ipiv, bool trans,
			 double *b, int nrhs)
{
	int			lda = Max(n, 1);
	int			nb = Max(block_size(n), 1);

	vic_linalg_init();
	for (int j = 0; j < nrhs; j += nb)
	{
		int			jb = Min(nb, nrhs - j);
		int			info = 0;

		CHECK_FOR_INTERRUPTS();
		dgetrs_(trans ? "T" : "N", &n, &jb, lu, &lda, ipiv,
				&b[(Size) j * lda], &lda, &info, 1);
		if (info != 0)
			elog(ERROR, "dgetrs: argument %d had an illegal value", -info);
	}
}

/* dtrtri's and dgetri's blocked algorithms, interruptible between blocks */
void
vic_lu_invert(double *a, int n, const int *ipiv)
{
	int			nb = block_size(n);
	int			lda = Max(n, 1);
	double	   *work;

	vic_linalg_init();
	if (n == 0)
		return;

	/* 1. inv(U) in place (dtrtri, upper, non-unit) */
	for (int j = 0; j < n; j += nb)
	{
		int			jb = Min(nb, n - j);
		int			info = 0;

		CHECK_FOR_INTERRUPTS();
		if (j > 0)
		{
			/* A(0:j, j:j+jb) = -inv(U11) U12 inv(U22) */
			dtrmm_("L", "U", "N", "N", &j, &jb, &one, a, &lda,
				   &a[(Size) j * lda], &lda, 1, 1, 1, 1);
			dtrsm_("R", "U", "N", "N", &j, &jb, &minus_one,
				   &a[j + (Size) j * lda], &lda, &a[(Size) j * lda], &lda,
				   1, 1, 1, 1);
		}
		dtrtri_("U", "N", &jb, &a[j + (Size) j * lda], &lda, &info, 1, 1);
		if (info != 0)
			elog(ERROR, "dtrtri: the factor is singular at %d", info + j);
	}

	/* 2. solve inv(A) L = inv(U) for inv(A), block columns right to left */
	work = vic_alloc_array((int64) n * nb, sizeof(double));
	for (int j = ((n - 1) / nb) * nb; j >= 0; j -= nb)
	{
		int			jb = Min(nb, n - j);
		int			right = n - j - jb;

		CHECK_FOR_INTERRUPTS();
		for (int jj = j; jj < j + jb; jj++)
			for (int i = jj + 1; i < n; i++)
			{
				work[i + (Size) (jj - j) * n] = a[i + (Size) jj * lda];
				a[i + (Size) jj * lda] = 0;
			}
		if (right > 0)
			dgemm_("N", "N", &n, &jb, &right, &minus_one,
				   &a[(Size) (j + jb) * lda], &lda, &work[j + jb], &n, &one,
				   &a[(Size) j * lda], &lda, 1, 1);
		dtrsm_("R", "L", "N", "U", &n, &jb, &one, &work[j], &n,
			   &a[(Size) j * lda], &lda, 1, 1, 1, 1);
	}
	pfree(work);

	/* 3. undo the row interchanges as column interchanges */
	for (int j = n - 2; j >= 0; j--)
	{
		int			jp = ipiv[j] - 1;

		if (jp != j)
			dswap_(&n, &a[(Size) j * lda], &ione, &a[(Size) jp * lda], &ione);
	}
	CHECK_FOR_INTERRUPTS();
}

/* dgecon in the 1-norm; work arrays palloc'd */
double
vic_lu_rcond(const double *lu, int n, double anorm)
{
	int			lda = Max(n, 1);
	double		rcond = 0;
	int			info = 0;
	double	   *work = vic_alloc_array((int64) 4 * Max(n, 1), sizeof(double));
	int		   *iwork = vic_alloc_array(Max(n, 1), sizeof(int));

	vic_linalg_init();
	CHECK_FOR_INTERRUPTS();
	dgecon_("1", &n, lu, &lda, &anorm, &rcond, work, iwork, &info, 1);
	if (info != 0)
		elog(ERROR, "dgecon: argument %d had an illegal value", -info);
	pfree(work);
	pfree(iwork);
	return rcond;
}

/* largest absolute column sum */
double
vic_norm1(const double *a, int n)
{
	double		best = 0;

	for (int j = 0; j < n; j++)
	{
		double		s = 0;

		for (int i = 0; i < n; i++)
			s += fabs(a[i + (Size) j * n]);
		if (s > best || isnan(s))
			best = s;
	}
	return best;
}

/* || A B - I ||_inf by a plain triple loop (row sums of |residual|) */
double
vic_residual_inf(const double *a, const double *b, int n)
{
	double	   *rowsum = vic_alloc_array0(Max(n, 1), sizeof(double));
	double	   *col = vic_alloc_array(Max(n, 1), sizeof(double));
	double		best = 0;

	for (int k = 0; k < n; k++)
	{
		/* column k of A B */
		for (int i = 0; i < n; i++)
			col[i] = (i == k) ? -1.0 : 0.0;
		for (int j = 0; j < n; j++)
		{
			double		bjk = b[j + (Size) k * n];
			const double *aj = &a[(Size) j * n];

			if (bjk != 0)
				for (int i = 0; i < n; i++)
					col[i] += aj[i] * bjk;
		}
		for (int i = 0; i < n; i++)
			rowsum[i] += fabs(col[i]);
		CHECK_FOR_INTERRUPTS();
	}
	for (int i = 0; i < n; i++)
		if (rowsum[i] > best || isnan(rowsum[i]))
			best = rowsum[i];
	pfree(rowsum);
	pfree(col);
	return best;
}
