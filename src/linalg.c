/* Linear algebra: the only file of libgcent that includes CBLAS / LAPACKE.
 *
 * gcent__gemm_abt: C = A B^T by CBLAS dgemm (the projections of the sliced
 * information plane). gcent__orthonormalize: the Q factor of a QR
 * factorisation by LAPACKE dgeqrf_work / dorgqr_work on the caller's
 * workspace (no allocation), with the sign convention that makes Q uniform
 * (the slice directions). Arguments reach CBLAS/LAPACKE only when valid
 * (sizes checked against the BLAS integer first), so their error handlers,
 * which print or exit, are never called. Column-major LAPACKE calls: no
 * transposed copies. Declared in src/sliced.h. */
#include <limits.h>
#include <cblas.h>
#include <lapacke.h>
#include "sliced.h"

int gcent__gemm_abt(size_t m, size_t n, size_t k, const double *a, size_t lda,
                    const double *b, size_t ldb, double *c, size_t ldc)
{
    /* CBLAS takes int sizes (blasint is int in the usual 32-bit-integer builds) */
    if (m == 0 || n == 0 || k == 0 || m > INT_MAX || n > INT_MAX || k > INT_MAX ||
        lda > INT_MAX || ldb > INT_MAX || ldc > INT_MAX || lda < k || ldb < k || ldc < n)
        return GCENT_ERANGE;
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)m, (int)n, (int)k, 1.0, a,
                (int)lda, b, (int)ldb, 0.0, c, (int)ldc);
    return GCENT_OK;
}

size_t gcent__orthonormalize_work(size_t rows, size_t cols)
{
    if (cols == 0 || rows < cols || rows > (size_t)INT_MAX)
        return 0;
    double q1 = 0.0, q2 = 0.0, dummy = 0.0;
    lapack_int r = (lapack_int)rows, c = (lapack_int)cols;
    /* workspace queries (lwork = -1): nothing is computed */
    if (LAPACKE_dgeqrf_work(LAPACK_COL_MAJOR, r, c, &dummy, r, &dummy, &q1, -1) != 0 ||
        LAPACKE_dorgqr_work(LAPACK_COL_MAJOR, r, c, c, &dummy, r, &dummy, &q2, -1) != 0)
        return 0;
    double q = q1 > q2 ? q1 : q2;
    if (!(q >= (double)cols))
        q = (double)cols;
    if (!(q < (double)INT_MAX / 2))
        return 0;
    return (size_t)q + cols; /* + the signs of R's diagonal */
}

int gcent__orthonormalize(size_t rows, size_t cols, double *a, double *tau, double *work,
                          size_t lwork)
{
    if (cols == 0 || rows < cols || rows > (size_t)INT_MAX || lwork > (size_t)INT_MAX ||
        lwork < 2 * cols)
        return GCENT_ELINALG;
    double *sgn = work + (lwork - cols); /* the last cols doubles */
    lapack_int r = (lapack_int)rows, c = (lapack_int)cols, lw = (lapack_int)(lwork - cols);
    if (LAPACKE_dgeqrf_work(LAPACK_COL_MAJOR, r, c, a, r, tau, work, lw) != 0)
        return GCENT_ELINALG;
    /* R's diagonal, before dorgqr overwrites the upper triangle */
    for (size_t j = 0; j < cols; ++j)
        sgn[j] = a[j * rows + j] < 0.0 ? -1.0 : 1.0;
    if (LAPACKE_dorgqr_work(LAPACK_COL_MAJOR, r, c, c, a, r, tau, work, lw) != 0)
        return GCENT_ELINALG;
    for (size_t j = 0; j < cols; ++j)
        if (sgn[j] < 0.0)
            for (size_t i = 0; i < rows; ++i)
                a[j * rows + i] = -a[j * rows + i];
    return GCENT_OK;
}
