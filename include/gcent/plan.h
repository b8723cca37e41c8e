/**
 * @file gcent/plan.h
 * @brief Plans: a computation prepared once for a shape, executed on new
 *        samples many times (every epoch of a training run).
 *
 * A plan is made for a fixed shape -- a mixture of n rows in d dimensions
 * with its weights, or a layer of m inputs x k draws x d units with its
 * labels -- and a noise level beta. It owns everything a one-shot call
 * allocates: the label layout, the storage of the scaled and packed
 * centres, the scratch of every worker and the worker threads themselves
 * (started at creation, kept until gcent_plan_free()). Executing a plan
 * allocates nothing and starts no thread, and gives the bits of the one-shot
 * call with the same options: gcent_entropy() and gcent_mi_layer() are
 * themselves plan + execute + free.
 *
 * **Options.** A plan copies the context's options and progress callback
 * at creation. Changing them in the context afterwards does not affect the
 * plan (make a new plan to change them); the context may even be freed.
 * Read a plan's options back with gcent_plan_get().
 *
 * **Errors.** A failed execution returns a status and leaves its one-line
 * reason in gcent_plan_errmsg(), never in the context. Bad samples never
 * write the outputs.
 *
 * **Thread-safety.** A plan is used by one thread at a time (it owns its
 * scratch); different plans, and any contexts, may run concurrently.
 * Executing a plan runs on its own workers (::GCENT_OPT_THREADS at
 * creation) and calls the progress callback from the calling thread only.
 */
#ifndef GCENT_PLAN_H
#define GCENT_PLAN_H

#include <stddef.h>
#include "export.h"
#include "context.h"
#include "entropy.h"
#include "mi.h"
#include "shard.h"
#include "sliced.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Opaque prepared computation. */
typedef struct gcent_plan gcent_plan;

/**
 * @brief Prepare gcent_mi_layer() for layers of m inputs x k draws x d units.
 * @param ctx    Context: its options and progress callback are copied; its
 *               error message receives the reason of a failure here.
 * @param m      Inputs, >= 1.
 * @param k      Draws per input, >= 1.
 * @param d      Width of the layer, >= 1.
 * @param labels m labels (any int values; copied), or NULL (then I(Y;T) is
 *               not computed).
 * @param beta   Noise standard deviation, > 0 and finite.
 * @param[out] out Receives the plan; untouched on failure.
 * @return ::GCENT_OK; ::GCENT_EINVAL (NULL ctx/out, m, k or d = 0, beta <= 0);
 *         ::GCENT_EDOM (beta NaN or infinite); ::GCENT_ERANGE (m * k or the
 *         storage size overflows); ::GCENT_EUNSUPPORTED (QUADRATURE with
 *         d > 2); ::GCENT_ENOMEM.
 *
 * Memory: O(m k d) doubles, plus O(m k) for the quadrature when d <= 2.
 * Ownership: the caller frees the plan with gcent_plan_free().
 * Thread-safety: one context per thread.
 */
GCENT_API int gcent_plan_mi_layer(gcent_ctx *ctx, size_t m, size_t k, size_t d,
                                  const int *labels, double beta, gcent_plan **out);

/**
 * @brief Execute a layer plan: what gcent_mi_layer() returns for these samples.
 * @param plan  A plan of gcent_plan_mi_layer().
 * @param s     m*k rows of d doubles (the layout of gcent_mi_layer()).
 * @param lds   Row stride, >= d.
 * @param[out] out Written only on success.
 * @return ::GCENT_OK, or the statuses of gcent_mi_layer() for bad samples
 *         (reason in gcent_plan_errmsg()); ::GCENT_EINVAL also for a plan of
 *         another kind.
 *
 * Bit-identical to gcent_mi_layer() with the plan's options.
 * Thread-safety: one thread per plan at a time.
 */
GCENT_API int gcent_plan_execute_mi(gcent_plan *plan, const double *s, size_t lds,
                                    gcent_layer_mi *out);

/**
 * @brief Execute a layer plan on rows [row_begin, row_end) only: a shard.
 * @param plan       A plan of gcent_plan_mi_layer().
 * @param s          All m*k rows (every shard reads all centres).
 * @param lds        Row stride, >= d.
 * @param row_begin  First row of the shard.
 * @param row_end    One past its last row; row_begin <= row_end <= m*k.
 * @param[out] part  The shard's partial result; written only on success.
 * @return As gcent_plan_execute_mi(); ::GCENT_EINVAL for a bad range.
 *
 * What gcent_mi_layer_partial() computes, without its allocations.
 * Thread-safety: one thread per plan at a time.
 */
GCENT_API int gcent_plan_execute_mi_partial(gcent_plan *plan, const double *s, size_t lds,
                                            size_t row_begin, size_t row_end,
                                            gcent_partial *part);

/**
 * @brief gcent_plan_execute_mi() on float32 samples (a network's activations
 *        as they are), without a double copy made by the caller.
 * @param plan  A plan of gcent_plan_mi_layer().
 * @param s     m*k rows of d floats (the layout of gcent_mi_layer()).
 * @param lds   Row stride in floats, >= d.
 * @param[out] out Written only on success.
 * @return As gcent_plan_execute_mi().
 *
 * Every value is widened to double exactly, so the result is bit for bit
 * gcent_plan_execute_mi() on the same values as doubles, in either
 * ::GCENT_OPT_PRECISION (which sets the arithmetic, not the input type).
 * Thread-safety: one thread per plan at a time.
 */
GCENT_API int gcent_plan_execute_mi_f32(gcent_plan *plan, const float *s, size_t lds,
                                        gcent_layer_mi *out);

/**
 * @brief gcent_plan_execute_mi_partial() on float32 samples.
 * @param plan       A plan of gcent_plan_mi_layer().
 * @param s          All m*k rows of d floats.
 * @param lds        Row stride in floats, >= d.
 * @param row_begin  First row of the shard.
 * @param row_end    One past its last row; row_begin <= row_end <= m*k.
 * @param[out] part  Written only on success.
 * @return As gcent_plan_execute_mi_partial().
 *
 * The partial is the bytes gcent_plan_execute_mi_partial() gives on the
 * same values as doubles (its fingerprint too): float and double shards of
 * one layer merge.
 * Thread-safety: one thread per plan at a time.
 */
GCENT_API int gcent_plan_execute_mi_partial_f32(gcent_plan *plan, const float *s, size_t lds,
                                                size_t row_begin, size_t row_end,
                                                gcent_partial *part);

/**
 * @brief Prepare gcent_entropy() for mixtures of n rows in d dimensions.
 * @param ctx   Context (options and progress callback copied).
 * @param n     Rows, >= 1.
 * @param d     Dimension, >= 1.
 * @param w     n weights summing to 1 (copied), or NULL for uniform weights.
 * @param beta  Noise standard deviation, > 0 and finite.
 * @param[out] out Receives the plan; untouched on failure.
 * @return ::GCENT_OK; ::GCENT_EINVAL, ::GCENT_EDOM, ::GCENT_ERANGE,
 *         ::GCENT_EUNSUPPORTED, ::GCENT_ENOMEM as gcent_plan_mi_layer()
 *         (and for bad weights, as gcent_entropy()).
 *
 * Ownership: the caller frees the plan with gcent_plan_free().
 * Thread-safety: one context per thread.
 */
GCENT_API int gcent_plan_entropy(gcent_ctx *ctx, size_t n, size_t d, const double *w,
                                 double beta, gcent_plan **out);

/**
 * @brief Execute an entropy plan: what gcent_entropy() returns for these samples.
 * @param plan  A plan of gcent_plan_entropy().
 * @param s     n rows of d doubles, row stride lds.
 * @param lds   Row stride, >= d.
 * @param[out] out Written only on success.
 * @return ::GCENT_OK or the statuses of gcent_entropy() (reason in
 *         gcent_plan_errmsg()).
 *
 * Thread-safety: one thread per plan at a time.
 */
GCENT_API int gcent_plan_execute_entropy(gcent_plan *plan, const double *s, size_t lds,
                                         gcent_estimate *out);

/**
 * @brief Execute an entropy plan on rows [row_begin, row_end) only: a shard.
 * @param plan       A plan of gcent_plan_entropy().
 * @param s          All n rows.
 * @param lds        Row stride, >= d.
 * @param row_begin  First row of the shard.
 * @param row_end    One past its last row; row_begin <= row_end <= n.
 * @param[out] part  Written only on success.
 * @return As gcent_plan_execute_entropy(); ::GCENT_EINVAL for a bad range.
 *
 * Thread-safety: one thread per plan at a time.
 */
GCENT_API int gcent_plan_execute_entropy_partial(gcent_plan *plan, const double *s,
                                                 size_t lds, size_t row_begin,
                                                 size_t row_end, gcent_partial *part);

/**
 * @brief gcent_plan_execute_entropy() on float32 samples.
 * @param plan  A plan of gcent_plan_entropy().
 * @param s     n rows of d floats, row stride lds.
 * @param lds   Row stride in floats, >= d.
 * @param[out] out Written only on success.
 * @return As gcent_plan_execute_entropy().
 *
 * Bit for bit gcent_plan_execute_entropy() on the same values as doubles.
 * Thread-safety: one thread per plan at a time.
 */
GCENT_API int gcent_plan_execute_entropy_f32(gcent_plan *plan, const float *s, size_t lds,
                                             gcent_estimate *out);

/**
 * @brief gcent_plan_execute_entropy_partial() on float32 samples.
 * @param plan       A plan of gcent_plan_entropy().
 * @param s          All n rows of d floats.
 * @param lds        Row stride in floats, >= d.
 * @param row_begin  First row of the shard.
 * @param row_end    One past its last row; row_begin <= row_end <= n.
 * @param[out] part  Written only on success.
 * @return As gcent_plan_execute_entropy_partial().
 *
 * The bytes of gcent_plan_execute_entropy_partial() on the same values as
 * doubles.
 * Thread-safety: one thread per plan at a time.
 */
GCENT_API int gcent_plan_execute_entropy_partial_f32(gcent_plan *plan, const float *s,
                                                     size_t lds, size_t row_begin,
                                                     size_t row_end, gcent_partial *part);

/**
 * @brief Prepare gcent_sliced_mi_layer() for layers of m inputs x k draws x d
 *        units: the directions of every slice are drawn and orthonormalised
 *        once, and every buffer is allocated.
 * @param ctx    Context (options and progress callback copied).
 * @param m      Inputs, >= 1.
 * @param k      Draws per input, >= 1.
 * @param d      Width of the layer, >= q.
 * @param labels m labels (copied), or NULL (then I(Y;T) is not computed).
 * @param beta   Noise standard deviation, > 0 and finite.
 * @param q      Dimension of the slices: 1 or 2.
 * @param slices Number of slices, 1 .. ::GCENT_SLICED_MAX_SLICES.
 * @param[out] out Receives the plan; untouched on failure.
 * @return The statuses of gcent_sliced_mi_layer() for its shape arguments.
 *
 * Ownership: the caller frees the plan with gcent_plan_free().
 * Thread-safety: one context per thread.
 */
GCENT_API int gcent_plan_sliced_mi_layer(gcent_ctx *ctx, size_t m, size_t k, size_t d,
                                         const int *labels, double beta, size_t q,
                                         size_t slices, gcent_plan **out);

/**
 * @brief Execute a sliced plan: what gcent_sliced_mi_layer() returns for
 *        these samples, bit for bit, with no allocation.
 * @param plan  A plan of gcent_plan_sliced_mi_layer().
 * @param s     m*k rows of d doubles (the layout of gcent_mi_layer()).
 * @param lds   Row stride, >= d.
 * @param[out] out Written only on success.
 * @return ::GCENT_OK, or the statuses of gcent_sliced_mi_layer() for bad
 *         samples (reason in gcent_plan_errmsg()); ::GCENT_EINVAL also for a
 *         plan of another kind.
 *
 * Thread-safety: one thread per plan at a time.
 */
GCENT_API int gcent_plan_execute_sliced_mi(gcent_plan *plan, const double *s, size_t lds,
                                           gcent_sliced_mi *out);

/**
 * @brief Read one of the plan's options (as copied at creation), or
 *        ::GCENT_INFO_LAST_METHOD for its last successful execution.
 * @param plan       The plan.
 * @param opt        Option identifier.
 * @param[out] value The value.
 * @return ::GCENT_OK, ::GCENT_EINVAL (NULL argument) or ::GCENT_EUNSUPPORTED.
 *
 * Thread-safety: one thread per plan at a time.
 */
GCENT_API int gcent_plan_get(const gcent_plan *plan, gcent_opt opt, double *value);

/**
 * @brief One-line reason for the last failure of an execution of this plan.
 * @param plan The plan, or NULL.
 * @return A string owned by the plan, valid until its next execution; "" after
 *         a success; a static text when plan is NULL.
 *
 * Thread-safety: one thread per plan at a time.
 */
GCENT_API const char *gcent_plan_errmsg(const gcent_plan *plan);

/**
 * @brief Free a plan: stop and join its worker threads, release its memory.
 * @param plan The plan, or NULL (nothing happens).
 *
 * Thread-safety: the plan must not be in use by another thread.
 */
GCENT_API void gcent_plan_free(gcent_plan *plan);

#ifdef __cplusplus
}
#endif
#endif /* GCENT_PLAN_H */
