/**
 * @file gcent/mi.h
 * @brief Part 2: mutual information I(X;T_l) and I(Y;T_l) of a noisy layer.
 *
 * **The model.** A noisy network computes, layer by layer,
 *
 *     S_l = f_l(T_{l-1}),     T_l = S_l + Z_l,     Z_l ~ N(0, beta^2 I_d),
 *
 * with T_0 = X and fresh, independent noise Z_l in every layer and every
 * forward pass. X is uniform over the data set {x_1..x_m} (labels y_i).
 *
 * **What the caller samples.** For layer l, pass the values of S_l, *before*
 * the layer's own noise Z_l is added (the library adds it analytically):
 * for each input x_i, k independent noisy forward passes through layers
 * 1..l-1 (noise added there as in training), each giving one row
 * S_l = f_l(T_{l-1}). Rows i*k .. i*k+k-1 of s are the k draws for x_i. For the
 * first layer, or any layer that is deterministic given X, pass k = 1: then
 * h(T_l | X = x_i) = (d/2) log(2 pi e beta^2) exactly. A common mistake is to
 * pass T_l (with its noise already added): that adds the noise twice.
 *
 * **What is computed** (sample propagation, Goldfeld et al. 2019): every
 * entropy is that of the Gaussian mixture of the relevant rows,
 *
 *     h(T_l)          mixture of all m*k rows, weights 1/(m k);
 *     h(T_l | X=x_i)  mixture of the k rows of x_i;
 *     h(T_l | Y=y)    mixture of the rows of the inputs labelled y;
 *     I(X;T_l) = h(T_l) - (1/m) sum_i h(T_l | X = x_i),
 *     I(Y;T_l) = h(T_l) - sum_y p(y) h(T_l | Y = y),  p(y) = label frequencies.
 *
 * **Bias.** The mixture entropy of a sample is, on average, below the entropy
 * it estimates (entropy is concave), and the conditional terms use fewer rows
 * (k, or the rows of a class) than h(T_l) (m k), so they are biased lower:
 * I(X;T_l) is biased upwards when k > 1, by an amount that shrinks as k grows.
 * Values are returned raw, never clipped at 0 or at ln m: a Monte Carlo
 * estimate may fall slightly outside [0, ln m] by its standard error.
 */
#ifndef GCENT_MI_H
#define GCENT_MI_H

#include <stddef.h>
#include "export.h"
#include "context.h"
#include "entropy.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The information-plane point of one layer. */
typedef struct gcent_layer_mi {
    gcent_estimate ht;  /**< h(T_l) */
    gcent_estimate ixt; /**< I(X;T_l) */
    gcent_estimate iyt; /**< I(Y;T_l); NaN value and se when labels is NULL (not
                             computed: never a number that looks like a result) */
} gcent_layer_mi;

/**
 * @brief h(T_l), I(X;T_l) and I(Y;T_l) of a noisy layer from samples of S_l.
 * @param ctx    Context (seed, MC draws, threads, method, log base, progress).
 * @param s      m*k rows of d doubles, row stride lds: rows i*k .. i*k+k-1 are
 *               the k draws of S_l given x_i (see the file description).
 * @param m      Number of inputs, >= 1.
 * @param k      Draws per input, >= 1 (1 for a layer deterministic given X).
 * @param d      Width of the layer, >= 1.
 * @param lds    Row stride, >= d; padding never read.
 * @param labels m labels, any int values, or NULL (then iyt is not computed
 *               and is returned as {NaN, NaN}; test with isnan()).
 * @param beta   Noise standard deviation of the layer, > 0.
 * @param[out] out Written only on success.
 * @return ::GCENT_OK; ::GCENT_EINVAL (NULL ctx/s/out, m = 0, k = 0, d = 0,
 *         lds < d, beta <= 0); ::GCENT_EDOM (NaN/Inf in s or beta);
 *         ::GCENT_ERANGE (m*k, or m*k rows of stride lds, overflow size_t;
 *         beta too small for the spread); ::GCENT_EUNSUPPORTED (QUADRATURE with
 *         d > 2); ::GCENT_ENOMEM; ::GCENT_ECANCELED; ::GCENT_ELINALG.
 *
 * **Monte Carlo** (any d). One set of noise draws serves all three terms:
 * for every row r (input i, class y) and each of ::GCENT_OPT_MC_DRAWS draws z,
 * the query t = s_r + beta z is evaluated against all centres once, giving
 * R^T, R^Y and R^X, the self-normalised sums of gcent_entropy() over all
 * rows, the rows of class y and the rows of input i. Then
 *
 *     h(T)     = h(Z) + ln(m k) - mean log R^T,
 *     I(X;T)   = ln m - mean log(R^T / R^X),
 *     I(Y;T)   = H(Y) - mean log(R^T / R^Y),
 *
 * (means over rows and draws), which are exactly the differences of the
 * mixture-entropy estimates above computed with common random numbers. The
 * shared draws make the errors of the terms cancel instead of add, and each
 * standard error is computed from the per-row variance of its own summand
 * (the same rule as gcent_entropy(), conservative when draws = 1). Since
 * R^X <= R^Y <= R^T, the estimates satisfy I(X;T) <= ln m and I(Y;T) <= H(Y)
 * exactly. The noise of row r, draw j is the one gcent_entropy() uses for
 * row r, draw j, so h(T) agrees with gcent_entropy() on the same rows to
 * rounding (the rows are summed in another order, so not bit for bit).
 *
 * **Quadrature** (d <= 2): every mixture entropy by quadrature; the se fields
 * are the sums of the error bounds of the terms involved. AUTO uses it when
 * d <= 2 and three times the predicted cost of h(T) (the conditional
 * mixtures together cost about as much again per MI) is within the budget
 * of gcent_entropy(): max(2^27, draws * (m k)^2) evaluations.
 *
 * Bit-identical for any ::GCENT_OPT_THREADS. Progress covers the whole call.
 * Ownership: inputs are only read. Thread-safety: one context per thread.
 */
GCENT_API int gcent_mi_layer(gcent_ctx *ctx, const double *s, size_t m, size_t k, size_t d,
                             size_t lds, const int *labels, double beta,
                             gcent_layer_mi *out);

#ifdef __cplusplus
}
#endif
#endif /* GCENT_MI_H */
