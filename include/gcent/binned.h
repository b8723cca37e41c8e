/**
 * @file gcent/binned.h
 * @brief Part 3: binned entropy H(Bin(T)) and binned mutual information.
 *
 * The Information Bottleneck literature (Shwartz-Ziv & Tishby 2017; Saxe et
 * al. 2018) drew information planes by discretising each neuron. For a
 * deterministic network and X uniform over distinct inputs,
 * I(X; Bin(T)) = H(Bin(T)): it measures how the representations cluster at the
 * bin's resolution, not the mutual information I(X;T) (which is ln m or
 * infinite there). These functions compute it exactly.
 *
 * **Binning convention.** With origin o (::GCENT_OPT_BIN_ORIGIN, default 0)
 * and width w, coordinate t goes to the integer
 *
 *     floor((t - o) / w)
 *
 * where the subtraction and the division are IEEE double operations
 * (round-to-nearest), not a multiplication by 1/w: with o = 0 and w = 0.1 the
 * value 0.3 goes to bin 2, because 0.3 / 0.1 = 2.9999999999999996. -0.0 and
 * +0.0 share bin 0. The joint bin of a row is the tuple of its d integers.
 * The grid is unbounded: there is no clamping to a range and no wrap-around;
 * a value whose bin index does not fit in a signed 64-bit integer is an
 * error (::GCENT_ERANGE), not a wrap.
 *
 * Entropies are exact functions of the bin counts, -sum_c p_c log p_c, summed
 * in a fixed order: bit-identical for any number of threads. Results honour
 * ::GCENT_OPT_LOG_BASE.
 *
 * Bad input returns a negative status, writes no output and leaves a reason in
 * gcent_ctx_errmsg(): ::GCENT_EINVAL (NULL pointer, zero size, ldt < d,
 * width <= 0), ::GCENT_EDOM (NaN or infinite value or width), ::GCENT_ERANGE
 * (sizes overflow, or a bin index beyond 64 bits).
 */
#ifndef GCENT_BINNED_H
#define GCENT_BINNED_H

#include <stddef.h>
#include "export.h"
#include "context.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief Entropy of the binned rows, H(Bin(T)), with T uniform over the rows.
 * @param ctx   Context (origin, log base, threads, error message, progress).
 * @param t     n x d values, row-major with row stride ldt (in doubles); the
 *              ldt - d padding doubles of a row are never read.
 * @param n     Rows, >= 1.
 * @param d     Dimension, >= 1.
 * @param ldt   Row stride, >= d.
 * @param width Bin width, > 0 and finite, in the units of t.
 * @param[out] out H(Bin(T)) = -sum_c (n_c/n) log(n_c/n) over occupied bins;
 *             written only on success. 0 when every row shares one bin,
 *             log n when all rows are in distinct bins.
 * @return ::GCENT_OK or a status listed in the file description, ::GCENT_ENOMEM,
 *         ::GCENT_ECANCELED.
 *
 * Cost O(n d) time (hashing of the bin tuples, verified exactly) and O(n)
 * extra memory. Thread-safety: one context per thread.
 */
GCENT_API int gcent_binned_entropy(gcent_ctx *ctx, const double *t, size_t n, size_t d,
                                   size_t ldt, double width, double *out);

/**
 * @brief Binned mutual information I(X; Bin(T)) and I(Y; Bin(T)).
 * @param ctx    Context.
 * @param t      m*k rows of d values, row stride ldt: rows i*k .. i*k+k-1 are
 *               the k draws of the layer for input x_i (k = 1 for a
 *               deterministic network).
 * @param m      Inputs, >= 1.
 * @param k      Draws per input, >= 1.
 * @param d      Dimension, >= 1.
 * @param ldt    Row stride, >= d.
 * @param labels m labels (any int values), or NULL (then iyt is not computed).
 * @param width  Bin width, > 0.
 * @param[out] ixt I(X;Bin(T)) = H(Bin T) - (1/m) sum_i H(Bin T | X = x_i).
 * @param[out] iyt I(Y;Bin(T)) = H(Bin T) - sum_y p(y) H(Bin T | Y = y), p(y)
 *             the label frequencies over the inputs. Computed and written
 *             only when both labels and iyt are non-NULL; either may be NULL.
 * X is uniform over the m inputs; the entropies are those of the empirical
 * distribution of the m*k rows. With k = 1, H(Bin T | X) = 0 and ixt equals
 * H(Bin T). Outputs are written only on success.
 * @return As gcent_binned_entropy().
 *
 * Thread-safety: one context per thread.
 */
GCENT_API int gcent_binned_mi(gcent_ctx *ctx, const double *t, size_t m, size_t k, size_t d,
                              size_t ldt, const int *labels, double width, double *ixt,
                              double *iyt);

/**
 * @brief Width and origin that reproduce fixed-range binning.
 * @param lo       Lower end of the range [lo, hi] of the literature's binning, finite.
 * @param hi       Upper end, finite, > lo.
 * @param nbins    Number of equal bins over the range, >= 1.
 * @param[out] width  (hi - lo) / nbins.
 * @param[out] origin lo.
 * @return ::GCENT_OK, ::GCENT_EINVAL (NULL output, nbins = 0, lo >= hi),
 *         ::GCENT_EDOM (lo or hi not finite) or ::GCENT_ERANGE (the width
 *         (hi - lo) / nbins overflows or underflows to 0). Outputs written
 *         only on success.
 *
 * Correspondence: with these values, bin j (0 <= j < nbins) of the
 * fixed-range scheme, [lo + j (hi-lo)/nbins, lo + (j+1) (hi-lo)/nbins), is
 * the index j of libgcent's grid, for every value of [lo, hi) except those
 * within a rounding error of an edge (edges computed by linspace and by
 * division can differ in the last bit). Values outside [lo, hi) keep bins of
 * their own (j < 0 or j >= nbins) instead of being clamped into the end bins
 * or, as in some published code, wrapped into the last bin. The value hi
 * itself falls in bin nbins here; code built on numpy.digitize may put it
 * in the last bin instead.
 *
 * Thread-safety: MT-Safe.
 */
GCENT_API int gcent_bin_fixed_range(double lo, double hi, size_t nbins, double *width,
                                    double *origin);

/**
 * @brief gcent_bin_fixed_range() with the reason of a failure left in
 *        gcent_ctx_errmsg(ctx).
 * @param ctx        Context for the error message (options not used).
 * @param lo         Lower end of the range, finite.
 * @param hi         Upper end, finite, > lo.
 * @param nbins      Number of bins, >= 1.
 * @param[out] width  (hi - lo) / nbins.
 * @param[out] origin lo.
 * @return As gcent_bin_fixed_range(); ::GCENT_EINVAL also for ctx NULL.
 *
 * Thread-safety: one context per thread.
 */
GCENT_API int gcent_bin_fixed_range_ctx(gcent_ctx *ctx, double lo, double hi, size_t nbins,
                                        double *width, double *origin);

#ifdef __cplusplus
}
#endif
#endif /* GCENT_BINNED_H */
