/* The context (src/ctx.c): the options of a computation, its progress
 * callback, the error sink and what the last call reported. Public front
 * ends read it; lower layers never see it (they get plain values, a
 * gcent__err and a gcent__progress). */
#ifndef GCENT_CTX_H
#define GCENT_CTX_H

#include "common.h"
#include "err.h"

#define GCENT__DEFAULT_DRAWS 16u
#define GCENT__DEFAULT_QUAD_TOL 1e-11
#define GCENT__DEFAULT_PRUNE_TOL 1e-12

/* The options, as plain values: what a plan copies at creation. */
typedef struct gcent__opts {
    uint64_t seed;            /* GCENT_OPT_SEED */
    uint32_t draws;           /* GCENT_OPT_MC_DRAWS (>= 1) */
    uint32_t threads;         /* GCENT_OPT_THREADS (0 = all cores) */
    double log_base;          /* GCENT_OPT_LOG_BASE (> 1) */
    int method;               /* GCENT_OPT_METHOD */
    double quad_tol;          /* GCENT_OPT_QUAD_TOL */
    int prune;                /* GCENT_OPT_PRUNE */
    double prune_tol;         /* GCENT_OPT_PRUNE_TOL */
    double bin_origin;        /* GCENT_OPT_BIN_ORIGIN */
    int precision;            /* GCENT_OPT_PRECISION */
    /* Not an option: set by the benchmark alone (through this header), to
     * time the double kernel's generic loop above 12 coordinates of earlier
     * releases against its chunks in one run (the same bits; pack.h). */
    int wide_legacy;
} gcent__opts;

struct gcent_ctx {
    gcent__opts o;
    gcent_progress_fn progress;
    void *progress_user;
    int last_method;          /* GCENT_INFO_LAST_METHOD: 0 before any estimate */
    gcent__err err;
};

/* Start a public call: clear the message, name the function for it. */
static inline void gcent__begin(gcent_ctx *ctx, const char *where)
{
    gcent__err_begin(&ctx->err, where);
}

/* Record a reason in the context and return status. */
#define gcent__fail(ctx, ...) gcent__seterr(&(ctx)->err, __VA_ARGS__)

/* Convert nats to a log base. */
static inline double gcent__to_base(double log_base, double nats)
{
    return log_base == GCENT__E ? nats : nats / log(log_base);
}

/* The value of option opt (not the read-only ones): GCENT_OK or
 * GCENT_EUNSUPPORTED. */
GCENT__HIDDEN int gcent__opts_get(const gcent__opts *o, gcent_opt opt, double *value);

/* Worker threads for a THREADS setting (0: the online cores), >= 1. */
GCENT__HIDDEN size_t gcent__nthreads(uint32_t threads);

/* The pruning tolerance the options ask for (0: dense). */
static inline double gcent__prune_tol(const gcent__opts *o)
{
    return o->prune == GCENT_PRUNE_OFF ? 0.0 : o->prune_tol;
}

#endif /* GCENT_CTX_H */
