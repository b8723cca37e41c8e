/**
 * @file gcent/context.h
 * @brief The estimation context: options, error detail, progress reporting.
 *
 * A ::gcent_ctx holds the options of a computation (seed, Monte Carlo draws,
 * threads, log base, method), the one-line reason of its last failure and a
 * progress callback. It is opaque: create it with gcent_ctx_create(), set
 * options with gcent_ctx_set(), free it with gcent_ctx_free().
 *
 * Thread-safety: a context is not synchronised. Use one context per calling
 * thread (contexts are cheap); different contexts may be used concurrently.
 * The library starts its own worker threads inside a call (see
 * ::GCENT_OPT_THREADS) and joins them before the call returns.
 */
#ifndef GCENT_CONTEXT_H
#define GCENT_CONTEXT_H

#include <stdint.h>
#include "export.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Opaque estimation context. */
typedef struct gcent_ctx gcent_ctx;

/**
 * Option identifiers for gcent_ctx_set() and gcent_ctx_get().
 *
 * Every option takes a double. For every option, the value 0 selects the
 * default. The ids are ABI: they never change and new ids are appended.
 */
typedef enum gcent_opt {
    /** Seed of the counter-based generator: an integer in [0, 2^53].
     *  Default 0. Results are a pure function of (inputs, options, seed). */
    GCENT_OPT_SEED = 1,
    /** Monte Carlo draws k per mixture centre: an integer in [1, 2^24];
     *  0 selects the default, 16. */
    GCENT_OPT_MC_DRAWS = 2,
    /** Worker threads: an integer in [0, 1024]; 0 (default) uses every online
     *  core. Results are bit-identical for every value. */
    GCENT_OPT_THREADS = 3,
    /** Base of the logarithm of every result: a finite value > 1;
     *  0 selects the default e (nats). 2 gives bits. (Bases below 1 would
     *  flip the sign of entropies and the order of bounds: refused.) */
    GCENT_OPT_LOG_BASE = 4,
    /** Estimation method, one of ::gcent_method; default ::GCENT_METHOD_AUTO. */
    GCENT_OPT_METHOD = 5,
    /** Origin o of the bin grid of the binned functions (gcent/binned.h):
     *  coordinate t goes to bin floor((t - o) / width). Any finite value;
     *  default 0. */
    GCENT_OPT_BIN_ORIGIN = 6,
    /** Pruning of negligible mixture centres in the Monte Carlo estimators,
     *  one of ::gcent_prune; default ::GCENT_PRUNE_ON. With pruning, a block
     *  of centres is skipped for a query when a bounding box proves that its
     *  terms together change the query's log-ratio by at most
     *  ::GCENT_OPT_PRUNE_TOL; ::GCENT_PRUNE_OFF computes every pair (dense).
     *  Both are deterministic and bit-identical for every thread count. */
    GCENT_OPT_PRUNE = 7,
    /** Arithmetic of the Monte Carlo kernel, one of ::gcent_precision;
     *  default ::GCENT_PRECISION_DOUBLE. ::GCENT_PRECISION_SINGLE computes
     *  the distances, exponents and exponentials in float32 (16 lanes per
     *  AVX-512 instruction) for every query whose error bound allows it;
     *  the sums (after float partial sums of at most 8 terms per lane), the
     *  logarithms and the reduction stay in double. Every Monte Carlo
     *  summand log R moves by at most 2^-10 from the double one (a typical
     *  query's bound is 1e-5 at d = 2 and 5e-4 at d = 256; the differences
     *  measured are 1e-8 to 1e-5; see ::gcent_precision). Quadrature and
     *  gcent_entropy_bounds() are always in double. Bit-identical for every
     *  thread count and shard split in either precision; a plan takes the
     *  precision at its creation, and a partial records it. */
    GCENT_OPT_PRECISION = 8,
    /** Absolute error target of the quadrature method, in nats: a value in
     *  [1e-14, 1e-3]; 0 selects the default 1e-11. */
    GCENT_OPT_QUAD_TOL = 100,
    /** Absolute bound, in nats, on the change that pruning may make to each
     *  Monte Carlo term log R (and so to every result of gcent_entropy(),
     *  gcent_entropy_bounds() and gcent_mi_layer()): a value in
     *  [1e-300, 1e-2]; 0 selects the default 1e-12. */
    GCENT_OPT_PRUNE_TOL = 101,
    /** Read-only (gcent_ctx_get(), gcent_plan_get()): the method the last
     *  successful estimate of this context (or plan) used,
     *  ::GCENT_METHOD_MC or ::GCENT_METHOD_QUADRATURE; 0 before any. It
     *  tells what the se fields mean: a Monte Carlo standard error, or a
     *  bound on the quadrature error. gcent_ctx_set() refuses it with
     *  ::GCENT_EINVAL. Calls that mix methods (none today) would report the
     *  method of h(T). */
    GCENT_INFO_LAST_METHOD = 200
} gcent_opt;

/** Values of ::GCENT_OPT_METHOD. */
typedef enum gcent_method {
    /** Quadrature when d <= 2 and its predicted work is small (see
     *  gcent_entropy()), Monte Carlo otherwise. */
    GCENT_METHOD_AUTO = 0,
    /** Monte Carlo sample propagation (any d). */
    GCENT_METHOD_MC = 1,
    /** Deterministic adaptive quadrature (d <= 2 only). */
    GCENT_METHOD_QUADRATURE = 2
} gcent_method;

/** Values of ::GCENT_OPT_PRUNE. */
typedef enum gcent_prune {
    /** Skip centres that provably contribute at most ::GCENT_OPT_PRUNE_TOL
     *  (the default). */
    GCENT_PRUNE_ON = 1,
    /** Dense: every (query, centre) pair is computed. */
    GCENT_PRUNE_OFF = 2
} gcent_prune;

/** Values of ::GCENT_OPT_PRECISION.
 *
 * With ::GCENT_PRECISION_SINGLE, a Monte Carlo query (a centre moved by its
 * noise) runs in float32 when the library's bound on the change of its
 * summand log R = log(1 + sum_j T_j) is at most 2^-10 (9.8e-4), and in
 * double otherwise. The bound is computed per query from the data: with
 * u = 2^-24, c = |log w_max - log w_i| + |z|^2 / 2 (the query's own term's
 * exponent above the largest weight's), W = log(w_max / w_min), N centres,
 * D = 2 (c + ln(N + 1)) (a weighted mean of the squared distances in noise
 * units that the terms see), M the largest |coordinate| in noise units
 * (centred on the midrange) and e_M = 2^(floor(log2 M) - 23) (the rounding
 * of a coordinate difference to float), it is about
 *
 *     4u (c + W) + (L + 3) u D / 2 + e_M sqrt(d D) + 2e-7 + 7u,
 *
 * L the roundings of the float distance (d below 4, ceil(d/2) + 1 up to 12,
 * 10 + ceil((d - 8)/16) above), 2e-7 the float exponential's error and 7u
 * its float sums over 8 blocks; the exact expression, with every
 * second-order term, is in src/kernel.c (gcent__f32_bound). For data 10
 * noise widths from their midrange (tanh units, beta = 0.1) and n = 4096 a
 * typical query's bound is 9e-6 at d = 2, 3e-5 at d = 12, 6e-5 at d = 32
 * and 5e-4 at d = 256; the differences measured are 10 to 300 times
 * smaller. A query whose bound passes 2^-10 -- beta tiny against the spread
 * of the data, weights spanning e^10000 -- runs in double.
 *
 * Every estimate is a weighted mean of such summands, or of differences of
 * two: gcent_entropy() and h(T) move by at most the largest bound of their
 * queries, I(X;T) and I(Y;T) by twice it, and their standard errors by at
 * most 3 and 6 times it. With pruning the pruning tolerance adds to the
 * bound as in double precision. */
typedef enum gcent_precision {
    /** Double precision throughout (the default). */
    GCENT_PRECISION_DOUBLE = 1,
    /** Distances, exponents and exponentials in float32 where the bound
     *  above allows; sums, logarithms and the reduction in double. */
    GCENT_PRECISION_SINGLE = 2
} gcent_precision;

/**
 * @brief Progress callback.
 * @param user  The pointer given to gcent_ctx_set_progress().
 * @param done  Work units finished so far; never decreases within a call.
 * @param total Work units of the whole call; fixed within a call.
 * @return 0 to continue; any other value stops the call, which then returns
 *         ::GCENT_ECANCELED without writing its outputs.
 *
 * The callback is invoked only from the thread that called the library,
 * roughly every few milliseconds of work, and once with done == total at the
 * end of a call that completes. It must not call into the same context.
 */
typedef int (*gcent_progress_fn)(void *user, uint64_t done, uint64_t total);

/**
 * @brief Create a context with default options.
 * @param[out] out Receives the new context; untouched on failure.
 * @return ::GCENT_OK, ::GCENT_EINVAL (out is NULL) or ::GCENT_ENOMEM.
 *
 * Ownership: the caller owns the context and releases it with gcent_ctx_free().
 * Thread-safety: MT-Safe.
 */
GCENT_API int gcent_ctx_create(gcent_ctx **out);

/**
 * @brief Free a context and its scratch memory.
 * @param ctx The context, or NULL (then nothing happens).
 *
 * Thread-safety: the context must not be in use by another thread.
 */
GCENT_API void gcent_ctx_free(gcent_ctx *ctx);

/**
 * @brief Set one option.
 * @param ctx   The context.
 * @param opt   Option identifier (::gcent_opt).
 * @param value New value; 0 selects the option's default.
 * @return ::GCENT_OK; ::GCENT_EINVAL (ctx NULL); ::GCENT_EUNSUPPORTED (unknown
 *         option, or unknown method id); ::GCENT_EDOM (value NaN or infinite);
 *         ::GCENT_ERANGE (value outside the option's range, or not an integer
 *         for an integer option). On failure the option keeps its value.
 *
 * Thread-safety: one context per thread.
 */
GCENT_API int gcent_ctx_set(gcent_ctx *ctx, gcent_opt opt, double value);

/**
 * @brief Read one option.
 * @param ctx        The context.
 * @param opt        Option identifier.
 * @param[out] value Current value (after defaults are applied; THREADS reads
 *                   back the stored setting, 0 meaning all cores).
 * @return ::GCENT_OK, ::GCENT_EINVAL (NULL argument) or ::GCENT_EUNSUPPORTED.
 *         This is the one function that leaves the error message as it is
 *         (its context is const).
 *
 * Thread-safety: one context per thread.
 */
GCENT_API int gcent_ctx_get(const gcent_ctx *ctx, gcent_opt opt, double *value);

/**
 * @brief Range and default of an option, without a context.
 * @param opt       Option identifier.
 * @param[out] min  Smallest accepted non-default value (may be NULL).
 * @param[out] max  Largest accepted value (may be NULL).
 * @param[out] def  Value the option takes when set to 0 (may be NULL).
 * @return ::GCENT_OK or ::GCENT_EUNSUPPORTED (unknown option; outputs untouched).
 *
 * Thread-safety: MT-Safe.
 */
GCENT_API int gcent_opt_bounds(gcent_opt opt, double *min, double *max, double *def);

/**
 * @brief Restore every option to its default and clear the error message.
 * @param ctx The context.
 * @return ::GCENT_OK or ::GCENT_EINVAL (ctx NULL). The progress callback is
 *         removed too.
 *
 * Thread-safety: one context per thread.
 */
GCENT_API int gcent_ctx_reset(gcent_ctx *ctx);

/**
 * @brief One-line reason for the last failure of a call made with this context.
 * @param ctx The context, or NULL.
 * @return A string owned by the context, valid until the next call with it;
 *         "" when the last call succeeded; a static text when ctx is NULL.
 *
 * Thread-safety: one context per thread.
 */
GCENT_API const char *gcent_ctx_errmsg(const gcent_ctx *ctx);

/**
 * @brief Install (or remove, with fn = NULL) a progress callback.
 * @param ctx  The context.
 * @param fn   Callback, or NULL for none.
 * @param user Passed back to fn unchanged.
 * @return ::GCENT_OK or ::GCENT_EINVAL (ctx NULL).
 *
 * Thread-safety: one context per thread; the callback itself is invoked
 * only from the thread that made the call.
 */
GCENT_API int gcent_ctx_set_progress(gcent_ctx *ctx, gcent_progress_fn fn, void *user);

#ifdef __cplusplus
}
#endif
#endif /* GCENT_CONTEXT_H */
