/**
 * @file gcent/shard.h
 * @brief Shards: the Monte Carlo work of one call split into ranges of rows,
 *        computed anywhere (threads, processes, machines) and merged.
 *
 * A shard computes what the rows [row_begin, row_end) contribute: their
 * queries (all draws) against all centres, so every shard reads all the
 * samples. Its result is a ::gcent_partial, a fixed-size block of plain
 * bytes (no pointers) that can be copied, written to a file or sent as
 * bytes (MPI_BYTE) to another process. Partials are merged with
 * gcent_partial_merge() and the merged whole is turned into the estimate by
 * gcent_entropy_finish() or gcent_mi_layer_finish().
 *
 * **The contract.** For any split of the rows into shards, merged in any
 * order and grouping, on any thread counts, the finished result is
 * bit-identical to the one-shot call (gcent_entropy(), gcent_mi_layer())
 * with the same options. The partial holds exact (error-free) sums of every
 * quantity the estimate and its standard error need, so merging is exact
 * integer addition. With the quadrature method (d <= 2) the integration
 * panels are spread over the rows in proportion, so shards split that work
 * too.
 *
 * **Checks.** Merge and finish refuse, with ::GCENT_EINVAL and a reason:
 * a partial of another library version or format, written on a host of the
 * other byte order, or not a partial at all; partials of another kind
 * (entropy / layer), shape, seed, option set or data (a 64-bit fingerprint
 * of the samples, weights, labels and beta); row ranges that overlap (a
 * shard merged twice, or overlapping shards); and, at finish, rows that no
 * merged shard covered. Nothing is summed twice silently.
 *
 * **Portability.** The bytes are those of the host: a partial travels
 * between processes running the same libgcent version on hosts of the same
 * byte order (checked: the partial starts with a magic number that also
 * reveals the byte order, a format number and the library version). Up to
 * 256 disjoint row ranges can be held by one partial; merge neighbouring
 * shards first beyond that (::GCENT_ERANGE).
 *
 * **Cost.** Each shard packs all centres (O(n d log n)) and computes
 * (row_end - row_begin) / n of the pair work; a merge is a few microseconds.
 */
#ifndef GCENT_SHARD_H
#define GCENT_SHARD_H

#include <stddef.h>
#include <stdint.h>
#include "export.h"
#include "context.h"
#include "entropy.h"
#include "mi.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Words of a ::gcent_partial (16 KiB in all). */
#define GCENT_PARTIAL_WORDS 2048

/** The partial result of a shard: plain bytes of fixed size, no pointers. */
typedef struct gcent_partial {
    uint64_t opaque[GCENT_PARTIAL_WORDS]; /**< private; copy as bytes */
} gcent_partial;

/**
 * @brief The shard [row_begin, row_end) of gcent_entropy().
 * @param ctx  Context (options, error message, progress), as for gcent_entropy().
 * @param s    All n rows of d doubles, row stride lds (every shard reads all).
 * @param n    Number of rows, >= 1.
 * @param d    Dimension, >= 1.
 * @param lds  Row stride, >= d.
 * @param w    n weights summing to 1, or NULL for uniform weights.
 * @param beta Noise standard deviation, > 0.
 * @param row_begin  First row of the shard.
 * @param row_end    One past its last row; row_begin <= row_end <= n (an
 *                   empty shard is allowed and contributes nothing).
 * @param[out] part  The partial result; written only on success.
 * @return The statuses of gcent_entropy(); ::GCENT_EINVAL also for NULL part
 *         or row_begin > row_end or row_end > n.
 *
 * Thread-safety: one context per thread.
 */
GCENT_API int gcent_entropy_partial(gcent_ctx *ctx, const double *s, size_t n, size_t d,
                                    size_t lds, const double *w, double beta,
                                    size_t row_begin, size_t row_end, gcent_partial *part);

/**
 * @brief The shard [row_begin, row_end) of gcent_mi_layer().
 * @param ctx        Context, as for gcent_mi_layer().
 * @param s          All m*k rows of d doubles (the layout of gcent_mi_layer()).
 * @param m          Inputs, >= 1.
 * @param k          Draws per input, >= 1.
 * @param d          Width, >= 1.
 * @param lds        Row stride, >= d.
 * @param labels     m labels, or NULL (then I(Y;T) is not computed).
 * @param beta       Noise standard deviation, > 0.
 * @param row_begin  First row (rows are numbered as in s, 0 .. m*k - 1).
 * @param row_end    One past its last row; row_begin <= row_end <= m*k.
 * @param[out] part  The partial result; written only on success.
 * @return The statuses of gcent_mi_layer(); ::GCENT_EINVAL also for NULL part
 *         or a bad range.
 *
 * Thread-safety: one context per thread.
 */
GCENT_API int gcent_mi_layer_partial(gcent_ctx *ctx, const double *s, size_t m, size_t k,
                                     size_t d, size_t lds, const int *labels, double beta,
                                     size_t row_begin, size_t row_end, gcent_partial *part);

/**
 * @brief Merge: into += from (exactly; the order and grouping of merges do
 *        not matter).
 * @param into The partial merged into; unchanged on failure.
 * @param from The partial merged; only read.
 * @return ::GCENT_OK; ::GCENT_EINVAL (NULL argument, or a refusal listed in
 *         the file description); ::GCENT_ERANGE (more than 256 disjoint row
 *         ranges would result).
 *
 * The reason of a refusal is available through gcent_partial_merge_ctx().
 * Thread-safety: MT-Safe for distinct partials.
 */
GCENT_API int gcent_partial_merge(gcent_partial *into, const gcent_partial *from);

/**
 * @brief gcent_partial_merge() with the reason of a refusal left in
 *        gcent_ctx_errmsg(ctx).
 * @param ctx  Context for the error message (its options are not used).
 * @param into The partial merged into; unchanged on failure.
 * @param from The partial merged.
 * @return As gcent_partial_merge().
 *
 * Thread-safety: one context per thread.
 */
GCENT_API int gcent_partial_merge_ctx(gcent_ctx *ctx, gcent_partial *into,
                                      const gcent_partial *from);

/**
 * @brief The estimate of a complete entropy partial.
 * @param ctx  Context: its options must be those the partial was made with
 *             (seed, draws, method, prune, tolerances, log base; threads may
 *             differ); the result is in its log base.
 * @param part A merged partial covering every row.
 * @param[out] out Written only on success.
 * @return ::GCENT_OK; ::GCENT_EINVAL (NULL argument, a refusal listed in the
 *         file description, or a layer partial); ::GCENT_ERANGE (a
 *         non-finite quadrature result).
 *
 * Bit-identical to gcent_entropy() with those options and data.
 * Thread-safety: one context per thread.
 */
GCENT_API int gcent_entropy_finish(gcent_ctx *ctx, const gcent_partial *part,
                                   gcent_estimate *out);

/**
 * @brief The information-plane point of a complete layer partial.
 * @param ctx  Context with the options the partial was made with.
 * @param part A merged partial covering every row.
 * @param[out] out Written only on success.
 * @return As gcent_entropy_finish() (an entropy partial is refused).
 *
 * Bit-identical to gcent_mi_layer() with those options and data.
 * Thread-safety: one context per thread.
 */
GCENT_API int gcent_mi_layer_finish(gcent_ctx *ctx, const gcent_partial *part,
                                    gcent_layer_mi *out);

#ifdef __cplusplus
}
#endif
#endif /* GCENT_SHARD_H */
