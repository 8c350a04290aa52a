/*
 * linalg.h
 *		Dense linear algebra over LAPACK and BLAS (Debian's reference
 *		liblapack / libblas, or OpenBLAS through the same alternatives), for
 *		every family that needs a factorisation, a solve or an inverse.
 *
 * Matrices are dense, column-major (element (i, j) of an m x n matrix with
 * leading dimension lda is a[i + j * lda]), and allocated by the caller with
 * palloc, so an error anywhere releases them with the memory context.  The
 * factorisation, the solves and the inverse run in column blocks with
 * CHECK_FOR_INTERRUPTS between blocks: one LAPACK call cannot be
 * interrupted, a block of one takes a fraction of a second even for
 * thousands of rows, so a query cancel or statement_timeout lands quickly.
 *
 * Threads: reference BLAS is single-threaded.  OpenBLAS starts its own
 * threads, which a backend must not have; vic_linalg_init (called by every
 * entry point here) asks it for one thread when the loaded BLAS is OpenBLAS
 * (openblas_set_num_threads, looked up with dlsym, so nothing links against
 * it).  Setting OPENBLAS_NUM_THREADS=1 in the server's environment does the
 * same before the library starts.
 */
#ifndef VIC_LINALG_H
#define VIC_LINALG_H

#include "common/vic.h"

/* once per backend: single-threaded BLAS (see above) */
extern void vic_linalg_init(void);

/*
 * LU factorisation with partial pivoting P A = L U of the n x n matrix a
 * (leading dimension n) in place, as LAPACK's dgetrf (blocked right-looking:
 * dgetrf on each panel, dtrsm and dgemm for the trailing matrix).  ipiv gets
 * n 1-based row interchanges.  Returns 0, or the 1-based column of the first
 * exactly zero pivot (the factorisation is then complete but singular).
 */
extern int	vic_lu_factor(double *a, int n, int *ipiv);

/*
 * Solve A X = B (trans false) or A' X = B (trans true) for the n x nrhs
 * matrix b (leading dimension n) in place, from vic_lu_factor's output.
 */
extern void vic_lu_solve(const double *lu, int n, const int *ipiv, bool trans,
						 double *b, int nrhs);

/*
 * Replace a factorisation by the inverse of the matrix, in place, as
 * LAPACK's dgetri (inverse of U by blocks, then inv(A) L = inv(U) by
 * blocks, then the column interchanges).  The factor must be nonsingular.
 */
extern void vic_lu_invert(double *lu, int n, const int *ipiv);

/*
 * Reciprocal condition number in the 1-norm of the matrix whose factor is
 * lu, given its 1-norm anorm (LAPACK dgecon, an estimate).
 */
extern double vic_lu_rcond(const double *lu, int n, double anorm);

/* 1-norm (largest absolute column sum) of an n x n matrix */
extern double vic_norm1(const double *a, int n);

/* infinity-norm of A B - I for n x n matrices, by a plain loop (no BLAS): a check */
extern double vic_residual_inf(const double *a, const double *b, int n);

#endif							/* VIC_LINALG_H */
