/* Part 1 front end: h(S + Z) by Monte Carlo or quadrature (through a plan:
 * the one-shot call is plan + execute + free), its shards and their finish,
 * the pairwise-distance bounds, and h(Z). Every mixture is handled in units
 * of the noise and shifted by d log(beta) at the end. */
#include <string.h>
#include "alloc.h"
#include "validate.h"
#include "ctx.h"
#include "kernel.h"
#include "noise.h"
#include "partial.h"
#include "plan.h"

/* Largest dimension gcent_noise_entropy accepts (and any sample function
 * could address): above it a width is a caller's mistake (SIZE_MAX, a
 * negative number cast). */
#define GCENT__DIM_MAX ((size_t)1 << 40)

static double noise_entropy_nats(size_t d, double beta)
{
    return gcent__unit_noise_entropy(d) + (double)d * log(beta);
}

/* ---- plans ----------------------------------------------------------------------- */

static int entropy_run(gcent_plan *pl, const gcent__rows *s, size_t rb, size_t re,
                       gcent__part *q);
static int entropy_result(gcent__part *q, gcent__err *e, void *result);

/* The plan of an entropy of n rows (arguments already checked). */
static int entropy_plan(gcent_ctx *ctx, size_t n, size_t d, const double *w, double beta,
                        gcent_plan **out)
{
    gcent_plan *pl = NULL;
    int st = gcent__plan_new(ctx, GCENT__PLAN_ENTROPY, n, d, beta, 0, &pl);
    if (st != GCENT_OK)
        return st;
    if (w != NULL) {
        pl->w = gcent__malloc(n * sizeof(double));
        if (pl->w == NULL)
            st = gcent__fail(ctx, GCENT_ENOMEM, "out of memory for %zu weights", n);
        else
            memcpy(pl->w, w, n * sizeof(double));
    }
    pl->run = entropy_run;
    pl->result = entropy_result;
    if (st == GCENT_OK)
        st = gcent__plan_engines(pl, 1, 0, 0, 0, &ctx->err);
    if (st != GCENT_OK) {
        gcent_plan_free(pl);
        return st;
    }
    *out = pl;
    return GCENT_OK;
}

/* The shard [rb, re) of an execution into q; reason in pl->err. */
static int entropy_run(gcent_plan *pl, const gcent__rows *s, size_t rb, size_t re,
                       gcent__part *q)
{
    int st = gcent__plan_check(pl, s, rb, re);
    if (st != GCENT_OK)
        return st;
    const uint64_t setup = gcent__plan_setup_units(pl);
    const uint64_t mcu = pl->use_mc ? gcent__mc_units(pl->n, pl->d, pl->o.draws, re - rb) : 0;
    const uint64_t qu = pl->use_quad ? GCENT__QUAD_UNITS : 0;
    gcent__progress p;
    gcent__progress_init(&p, pl->progress, pl->progress_user, &pl->err, setup + mcu + qu);
    st = gcent__progress_report(&p, 0); /* at once: the setup of a large call takes time */
    if (st != GCENT_OK)
        return st;
    gcent__part_init(q, GCENT__PART_ENTROPY, &pl->o, pl->n, pl->n, 1, pl->d, pl->beta, rb, re);
    q->fingerprint = gcent__fingerprint(s, pl->n, pl->d, pl->w, NULL, 0, pl->beta);
    gcent__ticker tk;
    gcent__ticker_init(&tk, &p, GCENT__FILL_UNITS, 3.0 * (double)pl->n);
    st = gcent__mix_fill(&pl->mx, s, NULL, pl->n, pl->w, pl->beta, &pl->err, &tk);
    if (st == GCENT_OK)
        st = gcent__ticker_end(&tk);
    if (st != GCENT_OK)
        return st;
    q->kept = pl->mx.n;
    q->hw = pl->mx.hw;
    q->method = pl->o.method == GCENT_METHOD_QUADRATURE ? GCENT_METHOD_QUADRATURE
                                                          : GCENT_METHOD_MC;
    if (pl->mx.n > 1) {
        const int quad = gcent__plan_choose_quad(pl, 1.0);
        st = gcent__progress_step(&p, 1);
        if (st == GCENT_OK && quad) {
            q->method = GCENT_METHOD_QUADRATURE;
            st = gcent__progress_step(&p, (setup - GCENT__FILL_UNITS - 1) + mcu);
            if (st == GCENT_OK)
                st = gcent__plan_quad_share(pl, &pl->mx, rb, re, pl->n, 1.0, &p,
                                            &q->acc.e[0], &q->acc.s1[0]);
        } else if (st == GCENT_OK) {
            q->method = GCENT_METHOD_MC;
            /* the rows' units (mcu) are an upper bound: finish reports the total */
            st = gcent__plan_mc(pl, NULL, 0, NULL, NULL, rb, re, &p,
                                setup - GCENT__FILL_UNITS - 1, &q->acc);
        }
    }
    if (st == GCENT_OK)
        st = gcent__progress_finish(&p);
    return st;
}

/* The estimate of a complete partial (nats converted to log_base). */
static int entropy_result(gcent__part *q, gcent__err *e, void *result)
{
    gcent_estimate *out = result;
    const size_t d = (size_t)q->d;
    double h = noise_entropy_nats(d, q->beta), err = 0.0;
    if (q->kept > 1 && q->method == GCENT_METHOD_QUADRATURE) {
        h = gcent__xacc_get(&q->acc.e[0]) + (double)d * log(q->beta);
        err = gcent__xacc_get(&q->acc.s1[0]);
        if (!isfinite(h) || !isfinite(err))
            return gcent__seterr(e, GCENT_ERANGE, "quadrature: non-finite result");
    } else if (q->kept > 1) {
        double v = 0.0;
        gcent__mc_finish(&q->acc, 0, q->draws, &v, &err);
        h += q->hw - v;
    }
    out->value = gcent__to_base(q->log_base, h);
    out->se = gcent__to_base(q->log_base, err);
    return GCENT_OK;
}

/* Arguments of the one-shot and partial calls, in the documented order. */
static int check_args(gcent_ctx *ctx, const double *s, size_t n, size_t d, size_t lds,
                      const double *w, double beta, const void *out)
{
    if (out == NULL)
        return gcent__fail(ctx, GCENT_EINVAL, "the output pointer is NULL");
    int st = gcent__check_samples(&ctx->err, s, n, d, lds, w, beta);
    if (st == GCENT_OK && ctx->o.method == GCENT_METHOD_QUADRATURE && d > 2)
        st = gcent__fail(ctx, GCENT_EUNSUPPORTED,
                         "quadrature needs d <= 2 (d = %zu); use GCENT_METHOD_MC or "
                         "GCENT_METHOD_AUTO", d);
    return st;
}

/* One shard of a one-shot call with a temporary plan; reason in ctx. */
static int oneshot(gcent_ctx *ctx, const double *s, size_t n, size_t d, size_t lds,
                   const double *w, double beta, size_t rb, size_t re, gcent__part *q)
{
    gcent_plan *pl = NULL;
    int st = entropy_plan(ctx, n, d, w, beta, &pl);
    if (st != GCENT_OK)
        return st;
    pl->err.where = ctx->err.where;
    const gcent__rows rows = gcent__rows_of(s, lds);
    st = entropy_run(pl, &rows, rb, re, q);
    if (st != GCENT_OK)
        memcpy(ctx->err.msg, pl->err.msg, sizeof ctx->err.msg);
    gcent_plan_free(pl);
    return st;
}

int gcent_plan_entropy(gcent_ctx *ctx, size_t n, size_t d, const double *w, double beta,
                       gcent_plan **out)
{
    if (ctx == NULL)
        return GCENT_EINVAL;
    gcent__begin(ctx, "gcent_plan_entropy");
    if (out == NULL)
        return gcent__fail(ctx, GCENT_EINVAL, "out is NULL");
    if (n == 0 || d == 0)
        return gcent__fail(ctx, GCENT_EINVAL, "n = %zu rows and d = %zu dimensions must be >= 1",
                           n, d);
    int st = gcent__check_beta(&ctx->err, beta);
    if (st == GCENT_OK)
        st = gcent__check_weights(&ctx->err, w, n);
    if (st == GCENT_OK && ctx->o.method == GCENT_METHOD_QUADRATURE && d > 2)
        st = gcent__fail(ctx, GCENT_EUNSUPPORTED, "quadrature needs d <= 2 (d = %zu)", d);
    if (st != GCENT_OK)
        return st;
    return entropy_plan(ctx, n, d, w, beta, out);
}

int gcent_plan_execute_entropy(gcent_plan *plan, const double *s, size_t lds,
                               gcent_estimate *out)
{
    const gcent__rows rows = gcent__rows_of(s, lds);
    return gcent__plan_execute(plan, GCENT__PLAN_ENTROPY, "gcent_plan_execute_entropy", &rows,
                               0, plan ? plan->n : 0, out, NULL);
}

int gcent_plan_execute_entropy_f32(gcent_plan *plan, const float *s, size_t lds,
                                   gcent_estimate *out)
{
    const gcent__rows rows = gcent__rows_of_f32(s, lds);
    return gcent__plan_execute(plan, GCENT__PLAN_ENTROPY, "gcent_plan_execute_entropy_f32",
                               &rows, 0, plan ? plan->n : 0, out, NULL);
}

/* A shard's execution, doubles or floats (where: the public function). */
static int execute_partial(gcent_plan *plan, const char *where, const gcent__rows *s,
                           size_t row_begin, size_t row_end, gcent_partial *part)
{
    if (part == NULL)
        return gcent__plan_execute(plan, GCENT__PLAN_ENTROPY, where, s, 0, 0, NULL, NULL);
    return gcent__plan_execute(plan, GCENT__PLAN_ENTROPY, where, s, row_begin, row_end, NULL,
                               part);
}

int gcent_plan_execute_entropy_partial(gcent_plan *plan, const double *s, size_t lds,
                                       size_t row_begin, size_t row_end, gcent_partial *part)
{
    const gcent__rows rows = gcent__rows_of(s, lds);
    return execute_partial(plan, "gcent_plan_execute_entropy_partial", &rows, row_begin,
                           row_end, part);
}

int gcent_plan_execute_entropy_partial_f32(gcent_plan *plan, const float *s, size_t lds,
                                           size_t row_begin, size_t row_end,
                                           gcent_partial *part)
{
    const gcent__rows rows = gcent__rows_of_f32(s, lds);
    return execute_partial(plan, "gcent_plan_execute_entropy_partial_f32", &rows, row_begin,
                           row_end, part);
}

/* ---- one-shot calls, shards, finish ---------------------------------------------------- */

int gcent_entropy(gcent_ctx *ctx, const double *s, size_t n, size_t d, size_t lds,
                  const double *w, double beta, gcent_estimate *out)
{
    if (ctx == NULL)
        return GCENT_EINVAL;
    gcent__begin(ctx, "gcent_entropy");
    int st = check_args(ctx, s, n, d, lds, w, beta, out);
    if (st != GCENT_OK)
        return st;
    gcent__part q;
    st = oneshot(ctx, s, n, d, lds, w, beta, 0, n, &q);
    if (st == GCENT_OK)
        st = entropy_result(&q, &ctx->err, out);
    if (st == GCENT_OK)
        ctx->last_method = q.method;
    return st;
}

int gcent_entropy_partial(gcent_ctx *ctx, const double *s, size_t n, size_t d, size_t lds,
                          const double *w, double beta, size_t row_begin, size_t row_end,
                          gcent_partial *part)
{
    if (ctx == NULL)
        return GCENT_EINVAL;
    gcent__begin(ctx, "gcent_entropy_partial");
    int st = check_args(ctx, s, n, d, lds, w, beta, part);
    if (st == GCENT_OK && !(row_begin <= row_end && row_end <= n))
        st = gcent__fail(ctx, GCENT_EINVAL,
                         "row range [%zu, %zu) is not inside [0, %zu) (row_begin <= row_end "
                         "<= n)", row_begin, row_end, n);
    if (st != GCENT_OK)
        return st;
    gcent__part q;
    st = oneshot(ctx, s, n, d, lds, w, beta, row_begin, row_end, &q);
    if (st == GCENT_OK) {
        gcent__part_store(part, &q);
        ctx->last_method = q.method;
    }
    return st;
}

int gcent_entropy_finish(gcent_ctx *ctx, const gcent_partial *part, gcent_estimate *out)
{
    if (ctx == NULL)
        return GCENT_EINVAL;
    gcent__begin(ctx, "gcent_entropy_finish");
    if (part == NULL || out == NULL)
        return gcent__fail(ctx, GCENT_EINVAL, "part or out is NULL");
    gcent__part q;
    int st = gcent__part_load(&q, part, "the partial", &ctx->err);
    if (st == GCENT_OK)
        st = gcent__part_check_finish(&q, GCENT__PART_ENTROPY, &ctx->o, &ctx->err);
    if (st == GCENT_OK)
        st = entropy_result(&q, &ctx->err, out);
    if (st == GCENT_OK)
        ctx->last_method = q.method;
    return st;
}

int gcent_partial_merge(gcent_partial *into, const gcent_partial *from)
{
    if (into == NULL || from == NULL)
        return GCENT_EINVAL;
    return gcent__part_merge(into, from, NULL);
}

int gcent_partial_merge_ctx(gcent_ctx *ctx, gcent_partial *into, const gcent_partial *from)
{
    if (ctx == NULL)
        return GCENT_EINVAL;
    gcent__begin(ctx, "gcent_partial_merge");
    if (into == NULL || from == NULL)
        return gcent__fail(ctx, GCENT_EINVAL, "into or from is NULL");
    return gcent__part_merge(into, from, &ctx->err);
}

/* ---- pairwise-distance bounds ----------------------------------------------------------- */

typedef struct {
    const gcent__mix *m;
    const gcent__pack *P;
    size_t per_chunk;
    double *scr; /* per-worker scratch, GCENT__MIX_BLOCK + d doubles each */
    size_t stride;
    double *lo; /* n: w_i log R_i with a = 1/8 */
    double *hi; /* n: w_i log R_i with a = 1/2 */
} bounds_job;

static int bounds_chunk(void *arg, size_t chunk, size_t worker)
{
    bounds_job *jb = arg;
    const gcent__mix *m = jb->m;
    double *buf = jb->scr + worker * jb->stride;
    double *q = buf + GCENT__MIX_BLOCK;
    size_t i0 = chunk * jb->per_chunk;
    size_t i1 = i0 + jb->per_chunk < m->n ? i0 + jb->per_chunk : m->n;
    for (size_t i = i0; i < i1; ++i) {
        for (size_t k = 0; k < m->d; ++k)
            q[k] = m->ut[k * m->n + i];
        jb->lo[i] = m->w[i] * gcent__pack_logratio(jb->P, m, q, 0.125, m->logw[i], i, buf);
        jb->hi[i] = m->w[i] * gcent__pack_logratio(jb->P, m, q, 0.5, m->logw[i], i, buf);
    }
    return GCENT_OK;
}

int gcent_entropy_bounds(gcent_ctx *ctx, const double *s, size_t n, size_t d, size_t lds,
                         const double *w, double beta, double *lower, double *upper)
{
    if (ctx == NULL)
        return GCENT_EINVAL;
    gcent__begin(ctx, "gcent_entropy_bounds");
    if (lower == NULL || upper == NULL)
        return gcent__fail(ctx, GCENT_EINVAL, "lower or upper is NULL");
    int st = gcent__check_samples(&ctx->err, s, n, d, lds, w, beta);
    if (st != GCENT_OK)
        return st;
    gcent__mix m;
    gcent__pack P;
    gcent__pack_ws W;
    memset(&P, 0, sizeof P);
    memset(&W, 0, sizeof W);
    bounds_job jb;
    memset(&jb, 0, sizeof jb);
    st = gcent__mix_alloc(&m, n, d, &ctx->err);
    const gcent__rows rows = gcent__rows_of(s, lds);
    if (st == GCENT_OK)
        st = gcent__mix_fill(&m, &rows, NULL, n, w, beta, &ctx->err, NULL);
    if (st == GCENT_OK)
        st = gcent__pack_alloc(&P, &W, m.n, d, 1, 0, ctx->o.prune != GCENT_PRUNE_OFF, 0,
                               &ctx->err);
    jb.m = &m;
    jb.P = &P;
    jb.per_chunk = gcent__rows_per_chunk(m.n, d, 2);
    size_t nchunks = st == GCENT_OK ? (m.n + jb.per_chunk - 1) / jb.per_chunk : 0;
    size_t nworkers = gcent__nthreads(ctx->o.threads);
    if (nworkers > nchunks)
        nworkers = nchunks ? nchunks : 1;
    gcent__progress p;
    gcent__progress_init(&p, ctx->progress, ctx->progress_user, &ctx->err, nchunks + 2);
    if (st == GCENT_OK)
        st = gcent__pack_build(&P, &W, &m, NULL, 0, NULL, gcent__prune_tol(&ctx->o), 0, &p, 2);
    if (st == GCENT_OK) {
        jb.stride = GCENT__MIX_BLOCK + d;
        jb.scr = gcent__malloc(nworkers * jb.stride * sizeof(double));
        jb.lo = gcent__malloc(m.n * sizeof(double));
        jb.hi = gcent__malloc(m.n * sizeof(double));
        if (!jb.scr || !jb.lo || !jb.hi)
            st = gcent__fail(ctx, GCENT_ENOMEM, "out of memory (n = %zu)", n);
    }
    if (st == GCENT_OK)
        st = gcent__parallel(&p, nchunks, nworkers, bounds_chunk, &jb);
    if (st == GCENT_OK)
        st = gcent__progress_finish(&p);
    if (st == GCENT_OK) {
        double hz = noise_entropy_nats(d, beta);
        *lower = gcent__to_base(ctx->o.log_base, hz + m.hw - gcent__ordered_sum(jb.lo, m.n));
        *upper = gcent__to_base(ctx->o.log_base, hz + m.hw - gcent__ordered_sum(jb.hi, m.n));
    }
    gcent__free(jb.lo);
    gcent__free(jb.hi);
    gcent__free(jb.scr);
    gcent__pack_free(&P, &W);
    gcent__mix_free(&m);
    return st;
}

/* ---- h(Z) ------------------------------------------------------------------------------- */

int gcent_noise_entropy(gcent_ctx *ctx, size_t d, double beta, double *out)
{
    if (ctx == NULL)
        return GCENT_EINVAL;
    gcent__begin(ctx, "gcent_noise_entropy");
    if (out == NULL)
        return gcent__fail(ctx, GCENT_EINVAL, "out is NULL");
    if (d == 0)
        return gcent__fail(ctx, GCENT_EINVAL, "d = 0: the dimension must be at least 1");
    if (d > GCENT__DIM_MAX)
        return gcent__fail(ctx, GCENT_ERANGE,
                           "d = %zu is not a plausible dimension (at most 2^40)", d);
    int st = gcent__check_beta(&ctx->err, beta);
    if (st != GCENT_OK)
        return st;
    *out = gcent__to_base(ctx->o.log_base, noise_entropy_nats(d, beta));
    return GCENT_OK;
}
