/**
 * @file gcent/sliced.h
 * @brief Part 4: the sliced information plane, for layers too wide for the
 *        estimator of gcent/mi.h.
 *
 * **Why.** The sample-propagation estimator of gcent_mi_layer() needs a
 * number of samples exponential in the layer's width: at d = 64 or 256 with
 * beta = 0.1 every noisy sample lies far from every other, every correction
 * term is 0 and I(X;T) comes out as ln m whatever the network does. Sliced
 * mutual information (Goldfeld and Greenewald, NeurIPS 2021; k-sliced,
 * NeurIPS 2022) averages the information of random low-dimensional
 * projections instead, where estimation is easy.
 *
 * **Definition.** X is uniform over the m inputs, with labels Y, and T is the
 * noisy layer T = S + Z, Z ~ N(0, beta^2 I_d). For q in {1, 2},
 *
 *     SI_q(X;T) = E_A [ I(X; A^T T) ],    SI_q(Y;T) = E_A [ I(Y; A^T T) ],
 *
 * where A is uniform on the d x q matrices with orthonormal columns (for
 * q = 1 a uniform unit vector). Only the representation is sliced: X and Y
 * stay discrete. Properties: SI_q <= I (data processing), SI_q(X;T) <= ln m,
 * SI_q(Y;T) <= H(Y), SI_q = I when q = d, invariance under rotations of T,
 * SI_q = 0 when T does not depend on X.
 *
 * **Exact structure.** A^T Z ~ N(0, beta^2 I_q) exactly, so the projected
 * layer A^T T is again a Gaussian mixture with the same beta, in q
 * dimensions: its entropy and both mutual informations, with the rows and
 * layout of gcent_mi_layer(), are computed deterministically for every slice
 * (see gcent_sliced_mi_layer()). The only randomness is the choice of the
 * slices.
 *
 * **When to use it.** For layers wider than about 12, where gcent_mi_layer()
 * saturates at ln m (or its Monte Carlo error grows). SI_q is not I: it is a
 * different, smaller quantity with the same qualitative meaning (how much of
 * X, or Y, the layer's geometry separates along random directions), which
 * can be estimated at any width. Compare SI_q across layers and epochs with
 * the same q; do not compare it with I.
 */
#ifndef GCENT_SLICED_H
#define GCENT_SLICED_H

#include <stddef.h>
#include "export.h"
#include "context.h"
#include "entropy.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Largest number of slices gcent_sliced_mi_layer() accepts (2^20). */
#define GCENT_SLICED_MAX_SLICES 1048576u

/** Bound, in nats, on the integration error of each entropy of one slice
 *  (the lattice rule; see gcent_sliced_mi_layer()). A slice's mutual
 *  information is within twice this of its exact value. */
#define GCENT_SLICED_QUAD_ERR 1e-8

/** A sliced information-plane point. */
typedef struct gcent_sliced_mi {
    gcent_estimate ixt; /**< SI_q(X;T): mean over slices, se over slices */
    gcent_estimate iyt; /**< SI_q(Y;T); value and se are NaN when labels is NULL */
} gcent_sliced_mi;

/**
 * @brief Sliced mutual informations SI_q(X;T) and SI_q(Y;T) of a noisy layer.
 * @param ctx    Context: seed (which slices), threads, log base, progress.
 * @param s      m*k rows of d doubles, row stride lds: rows i*k .. i*k+k-1
 *               are the k draws of S_l (before the layer's own noise) given
 *               x_i, exactly as for gcent_mi_layer() (see gcent/mi.h).
 * @param m      Number of inputs, >= 1.
 * @param k      Draws per input, >= 1 (1 for a layer deterministic given X).
 * @param d      Width of the layer, >= q.
 * @param lds    Row stride, >= d; padding never read.
 * @param labels m labels (any int values), or NULL: then iyt is not computed
 *               and both its value and its se are NaN (never a number that
 *               could be taken for a result).
 * @param beta   Noise standard deviation of the layer, > 0.
 * @param q      Dimension of the slices: 1 or 2.
 * @param slices Number of random slices, 1 .. ::GCENT_SLICED_MAX_SLICES.
 * @param[out] out Written only on success.
 * @return ::GCENT_OK; ::GCENT_EINVAL (NULL ctx/s/out, m = 0, k = 0, d = 0,
 *         lds < d, beta <= 0, q = 0, q > d, slices = 0);
 *         ::GCENT_EUNSUPPORTED (q > 2); ::GCENT_EDOM (NaN or Inf in s or
 *         beta); ::GCENT_ERANGE (m*k or the rows' span overflow size_t,
 *         slices > ::GCENT_SLICED_MAX_SLICES, m*k, d or lds above INT_MAX
 *         (the BLAS integer), a value of s with sqrt(d) |s_ij| > 1e300, or
 *         beta so small against the spread of the rows that
 *         sqrt(d) max_ij |s_ij - s_0j| / beta > 2^48); ::GCENT_ENOMEM;
 *         ::GCENT_ECANCELED; ::GCENT_ELINALG.
 *
 * **Slices.** Slice t (t = 0 .. slices-1) is the Q factor, with the signs
 * that make it uniform, of the QR factorisation of a d x q matrix of
 * standard normals drawn from gcent_rng_normals() with the context's seed,
 * stream 2^33 + t, variates 0 .. d q - 1 (column by column). The rows are
 * projected onto all slices by matrix products (CBLAS dgemm), a block of
 * slices at a time.
 *
 * **Per slice**, in noise units, with A^T S's rows as centres: h(A^T T) (the
 * mixture of all m k rows), h(A^T T | X = x_i) (the k rows of x_i; with
 * k = 1 exactly the noise entropy (q/2) ln(2 pi e)) and h(A^T T | Y = y) (the
 * rows of class y), each by the trapezoid rule on the lattice of step 1/4
 * noise standard deviation (the "lattice rule"). Its error is at most
 * ::GCENT_SLICED_QUAD_ERR per entropy (largest seen: 1.1e-9; see the guide);
 * then I(X; A^T T) = h(A^T T) - mean_i h(A^T T | X = x_i) and
 * I(Y; A^T T) = h(A^T T) - sum_y p(y) h(A^T T | Y = y), p(y) the label
 * frequencies.
 *
 * **Value and se.** value = mean over the slices; se = standard deviation
 * over the slices / sqrt(slices), the standard error of SI_q as a Monte
 * Carlo average over A (+inf for one slice). The integration error of a
 * slice (at most 2 ::GCENT_SLICED_QUAD_ERR) is not included in se; it is
 * negligible against it in practice. With one class (all labels equal)
 * iyt is exactly {0, 0}.
 *
 * **Cost.** O(n d q slices) for the projections (dgemm) plus, per slice,
 * O(n) to sort the centres by lattice cell and about 64 n (q = 1) or
 * 64^2 n (q = 2) multiply-adds, n = m k. Memory O(n d + n q block) with
 * blocks of about 2^22 / (q n) slices, plus slices q d for the directions.
 *
 * Bit-identical for any ::GCENT_OPT_THREADS (one slice is one unit of work;
 * the slices are reduced in order); another seed gives other slices.
 * Progress counts slices. Ownership: inputs are only read. Thread-safety:
 * one context per thread.
 */
GCENT_API int gcent_sliced_mi_layer(gcent_ctx *ctx, const double *s, size_t m, size_t k,
                                    size_t d, size_t lds, const int *labels, double beta,
                                    size_t q, size_t slices, gcent_sliced_mi *out);

#ifdef __cplusplus
}
#endif
#endif /* GCENT_SLICED_H */
