/* Linear algebra: the only file of libgcent that includes LAPACKE / CBLAS.
 *
 * gcent__gauss_legendre: Gauss-Legendre nodes and weights on [-1, 1] by the
 * Golub-Welsch method. The nodes are the eigenvalues of the symmetric
 * tridiagonal Jacobi matrix of the Legendre polynomials (zero diagonal,
 * off-diagonal k / sqrt(4 k^2 - 1), k = 1 .. n-1), computed by LAPACK dstev.
 * (eigenvalues only, jobz = 'N'). Each node is then polished by two Newton
 * steps on the three-term recurrence and the weights are recomputed as
 * 2 / ((1 - x^2) P_n'(x)^2), both in long double, which gives nodes and
 * weights to about an ulp (weights summing to 2 within 1e-16 for n <= 128;
 * the eigenvector route loses accuracy in the weights of large n). Nodes are
 * returned in ascending order and exactly symmetric about 0.
 *
 * gcent__gemm_abt: C = A B^T by CBLAS dgemm (the projections of the sliced
 * information plane). gcent__orthonormalize: the Q factor of a QR
 * factorisation by LAPACKE dgeqrf_work / dorgqr_work on the caller's
 * workspace, with the sign convention that makes Q uniform (the slice
 * directions). Arguments reach CBLAS/LAPACKE only when valid (sizes checked
 * against the BLAS integer first), so their error handlers (which print or
 * exit) are never called. */
#include <limits.h>
#include <math.h>
#include <cblas.h>
#include <lapacke.h>
#include "internal.h"
#include "sliced.h"

/* P_n(x) and P_n'(x) by the recurrence (k+1) P_{k+1} = (2k+1) x P_k - k P_{k-1},
 * in long double (extended precision where the platform has it) so that the
 * polished nodes and the weights are good to about an ulp. |x| < 1 is assumed
 * (Gauss-Legendre nodes are interior). */
static void legendre_eval(size_t n, long double x, long double *pn, long double *dpn)
{
    long double p0 = 1.0L, p1 = x;
    for (size_t k = 1; k < n; k++) {
        long double kk = (long double)k;
        long double p2 = ((2.0L * kk + 1.0L) * x * p1 - kk * p0) / (kk + 1.0L);
        p0 = p1;
        p1 = p2;
    }
    *pn = p1;
    *dpn = (long double)n * (x * p1 - p0) / ((x - 1.0L) * (x + 1.0L));
}

int gcent__gauss_legendre(size_t npts, double *x, double *wt)
{
    if (npts == 0 || x == NULL || wt == NULL)
        return GCENT_EINVAL;
    /* lapack_int may be 32-bit; keep 2n - 2 (the work size) representable. */
    if (npts > (size_t)INT_MAX / 2)
        return GCENT_ERANGE;
    if (npts == 1) {
        x[0] = 0.0;
        wt[0] = 2.0;
        return GCENT_OK;
    }

    /* e: n - 1 off-diagonal entries (destroyed by dstev); work: 2n - 2
     * doubles (LAPACK does not reference it for jobz = 'N', but the size is
     * the documented one). */
    size_t ne = npts - 1, nwork = 2 * npts - 2;
    double *e = gcent__malloc((ne + nwork) * sizeof *e);
    if (e == NULL)
        return GCENT_ENOMEM;
    double *work = e + ne;
    double zdummy[1] = {0.0};

    for (size_t i = 0; i < npts; i++)
        x[i] = 0.0;
    for (size_t k = 1; k < npts; k++) {
        double kk = (double)k;
        e[k - 1] = kk / sqrt(4.0 * kk * kk - 1.0);
    }
    /* Arguments are valid by construction (n >= 2, ldz = 1 >= 1 for jobz =
     * 'N'), so neither LAPACKE nor LAPACK will call xerbla. */
    lapack_int info = LAPACKE_dstev_work(LAPACK_COL_MAJOR, 'N', (lapack_int)npts,
                                         x, e, zdummy, 1, work);
    gcent__free(e);
    if (info != 0)
        return GCENT_ELINALG;

    /* Newton polish and weights. */
    for (size_t i = 0; i < npts; i++) {
        long double xi = x[i], pn, dpn;
        if (!(fabsl(xi) < 1.0L))
            return GCENT_ELINALG;
        for (int it = 0; it < 2; it++) {
            legendre_eval(npts, xi, &pn, &dpn);
            long double xn = xi - pn / dpn;
            if (fabsl(xn) < 1.0L)
                xi = xn;
        }
        legendre_eval(npts, xi, &pn, &dpn);
        x[i] = (double)xi;
        wt[i] = (double)(2.0L / ((1.0L - xi) * (1.0L + xi) * dpn * dpn));
        if (!(wt[i] > 0.0) || !isfinite(wt[i]))
            return GCENT_ELINALG;
    }

    /* Ascending order (dstev already sorts; Newton keeps the order except in
     * pathological cases, so an insertion sort is nearly free). */
    for (size_t i = 1; i < npts; i++) {
        double xv = x[i], wv = wt[i];
        size_t j = i;
        while (j > 0 && x[j - 1] > xv) {
            x[j] = x[j - 1];
            wt[j] = wt[j - 1];
            j--;
        }
        x[j] = xv;
        wt[j] = wv;
    }

    /* Exact symmetry: x[n-1-i] = -x[i], equal weights. */
    for (size_t i = 0; i < npts / 2; i++) {
        size_t j = npts - 1 - i;
        double xm = 0.5 * (x[j] - x[i]);
        double wm = 0.5 * (wt[i] + wt[j]);
        x[i] = -xm;
        x[j] = xm;
        wt[i] = wm;
        wt[j] = wm;
    }
    if (npts % 2 == 1)
        x[npts / 2] = 0.0;
    return GCENT_OK;
}

/* ---- dgemm and the orthonormal frames of the sliced plane ----------------------- */

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
