/* Private interface of the sliced information plane (src/sliced.c,
 * src/sliced_lattice.c) and of the linear algebra it needs (src/linalg.c).
 * Never installed. */
#ifndef GCENT_SLICED_PRIV_H
#define GCENT_SLICED_PRIV_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include "common.h"
#include "ctx.h"
#include "err.h"
#include "threads.h"

/* ---- the lattice rule (src/sliced_lattice.c) --------------------------------- */

/* Lattice step h, in noise standard deviations (a power of two: cell
 * arithmetic is exact), and the window of lattice points a centre
 * contributes to: offsets GCENT__SL_LO .. GCENT__SL_HI from its nearest
 * lattice point (64 = 8 blocks of 8). See the opening comment of
 * src/sliced_lattice.c for the error budget. */
#define GCENT__SL_H 0.25
#define GCENT__SL_INV_H 4.0
#define GCENT__SL_LO (-32)
#define GCENT__SL_HI 31
#define GCENT__SL_WIN 64
/* Line buffer of one line sum: at least two windows. */
#define GCENT__SL_BUF 256

/* Constant tables of the rule (computed once, by gcent__sl_rule_init). */
typedef struct gcent__sl_rule {
    double K[GCENT__SL_WIN];           /* K[j] = exp(-((j + LO) h)^2 / 2) */
    double Q[GCENT__SL_WIN];           /* Q[j] = exp(-(2 (j + LO) + 1) h^2 / 2) */
} gcent__sl_rule;

GCENT__HIDDEN void gcent__sl_rule_init(gcent__sl_rule *R);

/* A centre's lattice cell from its coordinate v (noise units): g = nearest
 * lattice index, delta = v - g h (exact), |delta| <= h/2 (+ rounding of
 * v / h + 1/2 in a directed rounding mode). |v| must be below 2^48. */
static inline int64_t gcent__sl_cell(double v, double *delta)
{
    double gd = floor(v * GCENT__SL_INV_H + 0.5);
    *delta = v - gd * GCENT__SL_H;
    return (int64_t)gd;
}

/* Per-centre factors for one coordinate, from the n offsets delta
 * (|delta| <= h/2 + a little): a = exp(-delta^2/2 + LO h delta) (the start
 * of the window), z = exp(h delta), z8 = exp(8 h delta); polynomial,
 * vectorised, within a few ulp. */
GCENT__HIDDEN void gcent__sl_factors(const double *delta, size_t n, double *a, double *z,
                                     double *z8);

/* Scratch of one worker for line sums: the line buffer (zero between calls)
 * and a window of per-cell sums. */
typedef struct gcent__sl_line {
    double buf[GCENT__SL_BUF];
    double P[GCENT__SL_WIN];
    double F[GCENT__SL_BUF];          /* emitted values before summation */
} gcent__sl_line;

/* Sum over the lattice j of F(G_j) = -c G_j log(c G_j), where
 * G_j = sum_e w_e exp(-(j h - g_e h - delta_e)^2 / 2) over the centres e with
 * j - g_e in [LO, HI]: centres given by their cells g (non-decreasing) and
 * factors a (= w_e times the a of gcent__sl_factors, w_e > 0), z, z8.
 * cnt >= 1; logc = log(c). */
GCENT__HIDDEN double gcent__sl_line_sum(const gcent__sl_rule *R, gcent__sl_line *L,
                                        const int64_t *g, const double *a, const double *z,
                                        const double *z8, size_t cnt, double c, double logc);

/* The centres of a 2-D mixture, by row number r (structure of arrays): cells
 * g1, g2, offsets d1 = delta1 and the factors of the second coordinate. */
typedef struct gcent__sl_pts2 {
    const int64_t *g1, *g2;
    const double *d1, *z1;            /* delta1, exp(h delta1) */
    const double *a2, *z2, *z82;      /* gcent__sl_factors of delta2 */
} gcent__sl_pts2;

/* Scratch of one worker for 2-D sums over up to cap centres. */
typedef struct gcent__sl_plane {
    size_t cap;
    size_t *act, *nxt;                /* active rows, sorted by (g2, r) */
    double *F, *Fn;                   /* their row factors */
    int64_t *lg;                      /* the line: cells and factors */
    double *la, *lz, *lz8;
} gcent__sl_plane;

/* Allocates for cap centres; GCENT_OK or GCENT_ENOMEM (nothing left allocated). */
GCENT__HIDDEN int gcent__sl_plane_init(gcent__sl_plane *S, size_t cap);
GCENT__HIDDEN void gcent__sl_plane_free(gcent__sl_plane *S);

/* Sum over the lattice (a, j) of F(G_aj) for the 2-D mixture of the cnt
 * centres rows[0..cnt) (sorted by (g1, g2, r)): one line sum per lattice row
 * a. cnt <= S->cap. */
GCENT__HIDDEN double gcent__sl_plane_sum(const gcent__sl_rule *R, gcent__sl_line *L,
                                         gcent__sl_plane *S, const gcent__sl_pts2 *P,
                                         const size_t *rows, size_t cnt, double c,
                                         double logc);

/* ---- the prepared computation (src/sliced.c) ---------------------------------- */

/* Stream tag of the slice directions: slice t draws its d x q Gaussian
 * matrix from stream (GCENT__STREAM_SLICED << 32) + t, variates 0 .. d q - 1
 * in column order (column j = variates j d .. j d + d - 1). */
#define GCENT__STREAM_SLICED 2u

/* A sliced-MI computation prepared for one shape: the options (copied), the
 * label layout, the directions of every slice, the projection block and the
 * scratch of every worker, all allocated at creation. Execution allocates
 * nothing and starts no thread; its result is bit-identical to
 * gcent_sliced_mi_layer with the same options. (The plan wrapper: a plan
 * kind holding one of these, its pool passed to both calls, its gcent__err
 * and progress to the execution.) */
typedef struct gcent__sliced gcent__sliced;

/* The shape's checks, as gcent_sliced_mi_layer documents them (the samples
 * aside); *n = m k. Reason in e. */
GCENT__HIDDEN int gcent__sliced_check_shape(gcent__err *e, size_t m, size_t k, size_t d,
                                            double beta, size_t q, size_t slices, size_t *n);
/* Prepares (shape already checked): options copied from o (the seed picks
 * the slices, the log base converts the results); scratch for the workers of
 * pool, which also draws the directions and must be the pool of every
 * execution (or one of at most as many workers). GCENT_OK, GCENT_ENOMEM,
 * GCENT_ERANGE or GCENT_ELINALG, reason in e. */
GCENT__HIDDEN int gcent__sliced_create(const gcent__opts *o, gcent__pool *pool, size_t m,
                                       size_t k, size_t d, const int *labels, double beta,
                                       size_t q, size_t slices, gcent__err *e,
                                       gcent__sliced **out);
/* Runs on new samples: m k rows of stride lds, the layout of gcent_mi_layer.
 * Checks them (reason in e); progress: the slices, p->total must be
 * gcent__sliced_units(S) (p may be NULL); out written only on success. */
GCENT__HIDDEN int gcent__sliced_execute(gcent__sliced *S, gcent__pool *pool, const double *s,
                                        size_t lds, gcent__progress *p, gcent__err *e,
                                        gcent_sliced_mi *out);
/* Progress units of an execution. */
GCENT__HIDDEN uint64_t gcent__sliced_units(const gcent__sliced *S);
GCENT__HIDDEN void gcent__sliced_free(gcent__sliced *S); /* NULL ok */

/* ---- linear algebra (src/linalg.c, the only CBLAS/LAPACKE includer) ------------ */

/* C = A B^T: A is m x k (row stride lda), B is n x k (row stride ldb), C is
 * m x n (row stride ldc), all row-major (CBLAS dgemm). Returns GCENT_OK or
 * GCENT_ERANGE when a size does not fit the BLAS integer (nothing done). */
GCENT__HIDDEN int gcent__gemm_abt(size_t m, size_t n, size_t k, const double *a, size_t lda,
                                  const double *b, size_t ldb, double *c, size_t ldc);
/* Workspace (doubles) of gcent__orthonormalize for rows x cols, or 0 when the
 * sizes do not fit LAPACK's integers or the query fails. */
GCENT__HIDDEN size_t gcent__orthonormalize_work(size_t rows, size_t cols);
/* Replaces the column-major rows x cols matrix a (rows >= cols, leading
 * dimension rows) by the Q of its QR factorisation (LAPACKE dgeqrf_work and
 * dorgqr_work) with column j multiplied by the sign of R_jj, so that
 * Q R = a with R's diagonal >= 0: for a Gaussian matrix, Q is uniform on the
 * matrices with orthonormal columns. tau: cols doubles; work: lwork doubles,
 * lwork >= gcent__orthonormalize_work(rows, cols) (LAPACK's workspace and
 * cols doubles for the signs). GCENT_OK or GCENT_ELINALG. */
GCENT__HIDDEN int gcent__orthonormalize(size_t rows, size_t cols, double *a, double *tau,
                                        double *work, size_t lwork);

#endif /* GCENT_SLICED_PRIV_H */
