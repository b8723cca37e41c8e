/**
 * @file gcent/entropy.h
 * @brief Part 1: differential entropy under Gaussian convolution, h(S + Z).
 *
 * Given samples s_1..s_n of a random vector S in R^d (or the atoms of a known
 * discrete law with weights w_i) and a noise level beta > 0, these functions
 * estimate the differential entropy of T = S + Z, Z ~ N(0, beta^2 I_d),
 * independent of S. The sample-propagation estimator takes the entropy of
 * the Gaussian mixture
 *
 *     g(t) = sum_i w_i N(t; s_i, beta^2 I_d),      w_i = 1/n for samples,
 *
 * which is computed by Monte Carlo (any d) or by deterministic quadrature
 * (d <= 2). Results are in the unit of ::GCENT_OPT_LOG_BASE (nats by default).
 *
 * Conventions shared by every function here:
 * - s is n rows of d doubles, row-major, consecutive rows lds >= d doubles
 *   apart; the lds - d padding doubles of a row are never read.
 * - w is NULL (uniform weights 1/n) or n non-negative finite weights whose sum
 *   is within 1e-9 of 1. Zero weights and duplicate rows are allowed.
 * - Bad input returns a negative status, writes no output and leaves a
 *   one-line reason in gcent_ctx_errmsg(): ::GCENT_EINVAL for NULL pointers,
 *   n = 0, d = 0, lds < d, beta <= 0, negative weights or a weight sum off 1;
 *   ::GCENT_EDOM for NaN or infinite beta, samples or weights; ::GCENT_ERANGE
 *   when n * lds overflows, or when beta is so small against the spread of
 *   the samples that a half-range (max - min) / (2 beta) of a coordinate
 *   exceeds 1e150 (identical rows never fail).
 * - The context is used by one thread at a time; the call itself runs on
 *   ::GCENT_OPT_THREADS threads and gives bit-identical results for any
 *   thread count.
 */
#ifndef GCENT_ENTROPY_H
#define GCENT_ENTROPY_H

#include <stddef.h>
#include "export.h"
#include "context.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An estimate and its standard error, in the context's log base. */
typedef struct gcent_estimate {
    double value; /**< the estimate */
    double se;    /**< Monte Carlo standard error; for quadrature, a bound on
                       the integration error (0 means below 1e-15) */
} gcent_estimate;

/**
 * @brief Estimate h(S + Z), Z ~ N(0, beta^2 I_d), from samples or atoms of S.
 * @param ctx  Context (options, error message, progress).
 * @param s    n x d samples, row-major with row stride lds (in doubles).
 * @param n    Number of rows, >= 1.
 * @param d    Dimension, >= 1.
 * @param lds  Row stride, >= d.
 * @param w    n weights summing to 1, or NULL for uniform weights.
 * @param beta Noise standard deviation, > 0, in the units of s.
 * @param[out] out Estimate and standard error; written only on success.
 * @return ::GCENT_OK, or a status listed in the file description, or
 *         ::GCENT_ENOMEM, ::GCENT_ECANCELED (progress callback returned
 *         non-zero), ::GCENT_EUNSUPPORTED (QUADRATURE requested with d > 2),
 *         ::GCENT_ELINALG (quadrature node computation failed).
 *
 * Method (::GCENT_OPT_METHOD):
 * - MC: for every centre i with w_i > 0, k = ::GCENT_OPT_MC_DRAWS noise vectors
 *   z_ir are drawn and h is estimated as
 *       h(Z) + H(w) - sum_i w_i (1/k) sum_r log R_i(z_ir),
 *       R_i(z) = sum_j (w_j / w_i) exp(-(|z + (s_i - s_j)/beta|^2 - |z|^2) / 2),
 *   which is the plain average of -log g(s_i + beta z_ir) with the self
 *   term's known mean integrated exactly. The standard error is
 *   sqrt(sum_i w_i^2 v_i / k), with v_i the sample variance of the k values
 *   of centre i. With k = 1 the per-centre variances cannot be separated:
 *   then sqrt(sum_i w_i^2 (L_i - e_{-i})^2) is used, e_{-i} the weighted mean
 *   of the other centres' values; that also counts the differences between
 *   centres, so the se is conservative (too large, never too small in
 *   expectation).
 *   z_ir is the d-vector of normals number i*2*ceil(d/2) .. of stream
 *   (1 << 32) + r of gcent_rng_normals() keyed by ::GCENT_OPT_SEED.
 * - QUADRATURE (d <= 2): -integral g log g by adaptive Gauss-Legendre
 *   panels (nested for d = 2) over the union of the windows of +-12 beta
 *   around the centres; centres farther than 40 beta (in a coordinate) from
 *   a node are left out of its log-sum-exp: they change g there by less than
 *   (w_max / w_min) e^-656 relatively, nothing in double precision.
 *   se is the sum of the panels' error estimates. Target accuracy:
 *   ::GCENT_OPT_QUAD_TOL; measured errors are around 1e-13.
 * - AUTO: quadrature when d <= 2 and its predicted number of (node, centre)
 *   evaluations is at most max(2^27, the Monte Carlo pairs n * k * n), i.e.
 *   when it costs no more than Monte Carlo or at most about half a second;
 *   Monte Carlo otherwise.
 *
 * The estimator's expectation over samples of S is never above h(S + Z)
 * (entropy is concave): with few samples it is biased low. The MC step
 * itself is unbiased for the mixture entropy.
 *
 * Ownership: inputs belong to the caller and are only read.
 * Thread-safety: one context per thread.
 */
GCENT_API int gcent_entropy(gcent_ctx *ctx, const double *s, size_t n, size_t d,
                            size_t lds, const double *w, double beta,
                            gcent_estimate *out);

/**
 * @brief Deterministic lower and upper bounds on the mixture entropy h(g).
 * @param ctx  Context.
 * @param s    n x d samples, row stride lds (as for gcent_entropy()).
 * @param n    Number of rows, >= 1.
 * @param d    Dimension, >= 1.
 * @param lds  Row stride, >= d.
 * @param w    n weights summing to 1, or NULL for uniform weights.
 * @param beta Noise standard deviation, > 0.
 * @param[out] lower Kolchinsky-Tracey lower bound (Bhattacharyya distance):
 *             h(Z) - sum_i w_i log sum_j w_j exp(-|s_i - s_j|^2 / (8 beta^2)).
 * @param[out] upper Kolchinsky-Tracey upper bound (Kullback-Leibler):
 *             h(Z) - sum_i w_i log sum_j w_j exp(-|s_i - s_j|^2 / (2 beta^2)).
 * Both are written only on success; lower <= h(g) <= upper always, and
 * upper <= h(Z) + H(w). Cost O(n^2 d), threaded, deterministic.
 * @return As gcent_entropy() (no ::GCENT_EUNSUPPORTED / ::GCENT_ELINALG).
 *
 * Thread-safety: one context per thread.
 */
GCENT_API int gcent_entropy_bounds(gcent_ctx *ctx, const double *s, size_t n, size_t d,
                                   size_t lds, const double *w, double beta,
                                   double *lower, double *upper);

/**
 * @brief Entropy of the noise alone, h(Z) = (d/2) log(2 pi e beta^2).
 * @param ctx  Context (for the log base and the error message).
 * @param d    Dimension, >= 1.
 * @param beta Noise standard deviation, > 0 and finite.
 * @param[out] out The value; written only on success.
 * @return ::GCENT_OK, ::GCENT_EINVAL or ::GCENT_EDOM.
 *
 * This is h(S + Z) for a single centre, and h(T | X) of a layer that is
 * deterministic given X. Thread-safety: one context per thread.
 */
GCENT_API int gcent_noise_entropy(gcent_ctx *ctx, size_t d, double beta, double *out);

#ifdef __cplusplus
}
#endif
#endif /* GCENT_ENTROPY_H */
