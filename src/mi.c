/* Part 2 front end: h(T_l), I(X;T_l) and I(Y;T_l) of a noisy layer, through
 * a plan (the one-shot call is plan + execute + free), its shards and their
 * finish.
 *
 * The m*k rows are reordered so that the rows of each class, and within it
 * the k rows of each input, are contiguous centres of one mixture. A Monte
 * Carlo query (row p, draw j) is then evaluated against all centres once,
 * split into the ranges "own input", "own class but other inputs" and "other
 * classes"; the three sums give log R^X, log R^Y and log R^T together (the
 * driver, src/driver.c). The quadrature path integrates h(T), every
 * h(T | X = x_i) and every h(T | Y = y); a shard takes its share of each
 * mixture's panels, and the conditional mixtures of the inputs whose first
 * row it holds. */
#include <string.h>
#include "alloc.h"
#include "validate.h"
#include "ctx.h"
#include "labels.h"
#include "partial.h"
#include "plan.h"

/* Conditional mixtures of at most this many rows are integrated whole, each
 * on one worker, many at a time; larger ones one at a time on all workers
 * (so that progress is reported, and cancellation honoured, inside them). */
#define GCENT__SMALL_K 2048

/* ---- the plan ---------------------------------------------------------------------- */

static int layer_run(gcent_plan *pl, const gcent__rows *s, size_t rb, size_t re,
                     gcent__part *q);
static int layer_result(gcent__part *q, gcent__err *e, void *result);

/* Rows sorted by class and input, the class segments and input groups of
 * the pack, H(Y). */
static int layout(gcent_plan *pl, const int *labels, gcent__err *e)
{
    const size_t m = pl->m, k = pl->k, n = pl->n;
    gcent__labels g;
    memset(&g, 0, sizeof g);
    if (labels != NULL && gcent__labels_group(labels, m, &g) != GCENT_OK)
        return gcent__seterr(e, GCENT_ENOMEM, "out of memory for the labels of %zu inputs", m);
    pl->ncls = labels ? g.ncls : 1;
    pl->rows = gcent__malloc(n * sizeof(size_t));
    pl->in_cls = gcent__malloc(m * sizeof(size_t));
    pl->start = gcent__malloc((pl->ncls + 1) * sizeof(size_t));
    pl->segf = gcent__malloc((pl->ncls + 1) * sizeof(size_t));
    pl->grp = gcent__malloc(n * sizeof(size_t));
    if (labels != NULL) {
        pl->labels_copy = gcent__malloc(m * sizeof(int));
        if (pl->labels_copy != NULL)
            memcpy(pl->labels_copy, labels, m * sizeof(int));
        pl->labels = pl->labels_copy;
    }
    if (!pl->rows || !pl->in_cls || !pl->start || !pl->segf || !pl->grp ||
        (labels && !pl->labels_copy)) {
        gcent__labels_free(&g);
        return gcent__seterr(e, GCENT_ENOMEM, "out of memory for the layout of %zu rows", n);
    }
    for (size_t a = 0; a < m; ++a) {
        size_t i = labels ? g.order[a] : a;
        pl->in_cls[a] = labels ? g.cls[i] : 0;
        for (size_t r = 0; r < k; ++r)
            pl->rows[a * k + r] = i * k + r;
    }
    pl->max_class = 0;
    if (labels) {
        memcpy(pl->start, g.start, (pl->ncls + 1) * sizeof(size_t));
        double hy = 0.0;
        for (size_t c = 0; c < pl->ncls; ++c) {
            size_t len = g.start[c + 1] - g.start[c];
            double p = (double)len / (double)m;
            hy -= p * log(p);
            if (len * k > pl->max_class)
                pl->max_class = len * k;
        }
        pl->hy = hy > 0.0 ? hy : 0.0;
    } else {
        pl->start[0] = 0;
        pl->start[1] = m;
    }
    for (size_t c = 0; c <= pl->ncls; ++c)
        pl->segf[c] = pl->start[c] * k;
    for (size_t r = 0; r < n; ++r)
        pl->grp[r] = r / k;
    gcent__labels_free(&g);
    return GCENT_OK;
}

/* The plan of a layer (arguments already checked); reason in ctx. */
static int layer_plan(gcent_ctx *ctx, size_t m, size_t k, size_t n, size_t d,
                      const int *labels, double beta, gcent_plan **out)
{
    gcent_plan *pl = NULL;
    int st = gcent__plan_new(ctx, GCENT__PLAN_LAYER, n, d, beta, 0, &pl);
    if (st != GCENT_OK)
        return st;
    pl->m = m;
    pl->k = k;
    pl->run = layer_run;
    pl->result = layer_result;
    st = layout(pl, labels, &ctx->err);
    if (st == GCENT_OK) {
        const int with_y = labels != NULL;
        size_t sub_cap = with_y && pl->ncls > 1 ? pl->max_class : 0;
        if (k > GCENT__SMALL_K && m > 1 && k > sub_cap)
            sub_cap = k;
        const size_t small_cap = k > 1 && k <= GCENT__SMALL_K && m > 1 ? k : 0;
        st = gcent__plan_engines(pl, with_y ? pl->ncls : 1, 1, sub_cap, small_cap, &ctx->err);
    }
    if (st != GCENT_OK) {
        gcent_plan_free(pl);
        return st;
    }
    *out = pl;
    return GCENT_OK;
}

/* ---- quadrature ------------------------------------------------------------------- */

typedef struct {
    gcent_plan *pl;
    size_t rb, re, units;
} cond_job;

/* Chunk c of the inputs: the conditional mixture of every input whose first
 * row lies in the shard, integrated whole on this worker. */
static int cond_chunk(void *arg, size_t chunk, size_t worker)
{
    const cond_job *cj = arg;
    gcent_plan *pl = cj->pl;
    const size_t m = pl->m, k = pl->k;
    const size_t a0 = (size_t)((uint64_t)chunk * m / cj->units);
    const size_t a1 = (size_t)((uint64_t)(chunk + 1) * m / cj->units);
    gcent__xacc *acc = &pl->cacc[2 * worker];
    for (size_t a = a0; a < a1; ++a) {
        const size_t first = pl->rows[a * k];
        if (first < cj->rb || first >= cj->re)
            continue;
        gcent__mix_sub(&pl->mx, a * k, a * k + k, &pl->subw[worker]);
        double h, e;
        gcent__quad_whole(&pl->qsmall[worker], &pl->subw[worker], pl->o.quad_tol, &h, &e);
        gcent__xacc_add(&acc[0], h);
        gcent__xacc_add(&acc[1], e);
    }
    return GCENT_OK;
}

/* Units of the conditional terms. */
static uint64_t cond_units(const gcent_plan *pl)
{
    if (!(pl->k > 1 && pl->m > 1))
        return 0;
    if (pl->k <= GCENT__SMALL_K)
        return pl->m < 256 ? pl->m : 256;
    return (uint64_t)pl->m * GCENT__QUAD_UNITS;
}

static uint64_t class_units(const gcent_plan *pl)
{
    return pl->labels && pl->ncls > 1 ? (uint64_t)pl->ncls * GCENT__QUAD_UNITS : 0;
}

/* The shard's quadrature: acc e[0], s1[0]: h(T) (scaled); e[1], s1[1]: the
 * sum over inputs of h(T | X = x_i); e[2], s1[2]: sum_y p(y) h(T | Y = y). */
static int layer_quad(gcent_plan *pl, size_t rb, size_t re, gcent__progress *p,
                      gcent__mc_acc *acc)
{
    const size_t m = pl->m, k = pl->k, n = pl->n;
    const int with_y = pl->labels != NULL;
    gcent__xacc tv, te;
    gcent__xacc_zero(&tv);
    gcent__xacc_zero(&te);
    int st = gcent__plan_quad_share(pl, &pl->mx, rb, re, n, 1.0, p, &tv, &te);
    if (st != GCENT_OK)
        return st;
    /* a conditional mixture that is the whole one: the same panels */
    if (m == 1 && k > 1) {
        gcent__xacc cv = tv, ce = te;
        gcent__xacc_merge(&acc->e[1], &cv);
        gcent__xacc_merge(&acc->s1[1], &ce);
    }
    if (with_y && pl->ncls == 1) {
        gcent__xacc cv = tv, ce = te;
        gcent__xacc_merge(&acc->e[2], &cv);
        gcent__xacc_merge(&acc->s1[2], &ce);
    }
    gcent__xacc_merge(&acc->e[0], &tv);
    gcent__xacc_merge(&acc->s1[0], &te);

    /* (1/m) sum_i h(T | X = x_i): the inputs whose first row is in the shard */
    if (k > 1 && m > 1 && k <= GCENT__SMALL_K) {
        for (size_t w = 0; w < 2 * pl->nworkers; ++w)
            gcent__xacc_zero(&pl->cacc[w]);
        cond_job cj = {pl, rb, re, cond_units(pl)};
        st = gcent__pool_run(pl->pool, p, cj.units, cond_chunk, &cj);
        for (size_t w = 0; st == GCENT_OK && w < pl->nworkers; ++w) {
            gcent__xacc_merge(&acc->e[1], &pl->cacc[2 * w]);
            gcent__xacc_merge(&acc->s1[1], &pl->cacc[2 * w + 1]);
        }
    } else if (k > 1 && m > 1) {
        for (size_t a = 0; a < m && st == GCENT_OK; ++a) {
            const size_t first = pl->rows[a * k];
            if (first < rb || first >= re) {
                st = gcent__progress_step(p, GCENT__QUAD_UNITS);
                continue;
            }
            gcent__mix_sub(&pl->mx, a * k, a * k + k, &pl->sub);
            gcent__xacc hv, he;
            gcent__xacc_zero(&hv);
            gcent__xacc_zero(&he);
            st = gcent__plan_quad_share(pl, &pl->sub, 0, 1, 1, 1.0, p, &hv, &he);
            if (st == GCENT_OK) { /* each conditional rounded, as the small ones are */
                gcent__xacc_add(&acc->e[1], gcent__xacc_get(&hv));
                gcent__xacc_add(&acc->s1[1], gcent__xacc_get(&he));
            }
        }
    }
    if (st != GCENT_OK)
        return st;

    /* sum_y p(y) h(T | Y = y): the shard's share of each class's panels */
    for (size_t c = 0; with_y && pl->ncls > 1 && c < pl->ncls && st == GCENT_OK; ++c) {
        const size_t lo = pl->start[c] * k, hi = pl->start[c + 1] * k;
        const double py = (double)(pl->start[c + 1] - pl->start[c]) / (double)m;
        gcent__mix_sub(&pl->mx, lo, hi, &pl->sub);
        st = gcent__plan_quad_share(pl, &pl->sub, rb, re, n, py, p, &acc->e[2], &acc->s1[2]);
    }
    return st;
}

/* ---- an execution -------------------------------------------------------------------- */

/* The shard [rb, re) of an execution into q; reason in pl->err. */
static int layer_run(gcent_plan *pl, const gcent__rows *s, size_t rb, size_t re,
                     gcent__part *q)
{
    int st = gcent__plan_check(pl, s, rb, re);
    if (st != GCENT_OK)
        return st;
    const int with_y = pl->labels != NULL;
    const uint64_t setup = gcent__plan_setup_units(pl);
    const uint64_t mcu = pl->use_mc ? gcent__mc_units(pl->n, pl->d, pl->o.draws, re - rb) : 0;
    const uint64_t qu =
        pl->use_quad ? GCENT__QUAD_UNITS + cond_units(pl) + class_units(pl) : 0;
    gcent__progress p;
    gcent__progress_init(&p, pl->progress, pl->progress_user, &pl->err, setup + mcu + qu);
    st = gcent__progress_report(&p, 0); /* at once: the setup of a large call takes time */
    if (st != GCENT_OK)
        return st;
    gcent__part_init(q, GCENT__PART_LAYER, &pl->o, pl->n, pl->m, pl->k, pl->d, pl->beta, rb,
                     re);
    q->fingerprint = gcent__fingerprint(s, pl->n, pl->d, NULL, pl->labels, pl->m, pl->beta);
    q->with_y = (uint32_t)with_y;
    q->hy = pl->hy;
    gcent__ticker tk;
    gcent__ticker_init(&tk, &p, GCENT__FILL_UNITS, 3.0 * (double)pl->n);
    st = gcent__mix_fill(&pl->mx, s, pl->rows, pl->n, NULL, pl->beta, &pl->err, &tk);
    if (st == GCENT_OK)
        st = gcent__ticker_end(&tk);
    if (st != GCENT_OK)
        return st;
    q->kept = pl->mx.n;
    q->hw = pl->mx.hw;
    /* the conditional mixtures together cost at most about as much as h(T)
     * for each of the two MIs: predict 3 times the cost of h(T) */
    const int quad = gcent__plan_choose_quad(pl, 3.0);
    st = gcent__progress_step(&p, 1);
    if (st == GCENT_OK && quad) {
        q->method = GCENT_METHOD_QUADRATURE;
        st = gcent__progress_step(&p, (setup - GCENT__FILL_UNITS - 1) + mcu);
        if (st == GCENT_OK)
            st = layer_quad(pl, rb, re, &p, &q->acc);
    } else if (st == GCENT_OK) {
        q->method = GCENT_METHOD_MC;
        const gcent__mc_layer L = {.k = pl->k, .in_cls = pl->in_cls, .start = pl->start,
                                   .with_y = with_y};
        st = gcent__plan_mc(pl, pl->segf, with_y ? pl->ncls : 1, pl->grp, &L, rb, re, &p,
                            setup - GCENT__FILL_UNITS - 1, &q->acc);
    }
    if (st == GCENT_OK)
        st = gcent__progress_finish(&p);
    return st;
}

/* The information-plane point of a complete partial. */
static int layer_result(gcent__part *q, gcent__err *e, void *result)
{
    gcent_layer_mi *out = result;
    const size_t d = (size_t)q->d;
    const double hz = gcent__unit_noise_entropy(d), lb = (double)d * log(q->beta);
    double v[3], se[3];
    if (q->method == GCENT_METHOD_QUADRATURE) {
        gcent__mc_acc *a = &q->acc;
        const double ht = gcent__xacc_get(&a->e[0]), et = gcent__xacc_get(&a->s1[0]);
        double hx = hz, ex = 0.0;
        if (q->k > 1) {
            hx = gcent__xacc_get(&a->e[1]) / (double)q->m;
            ex = gcent__xacc_get(&a->s1[1]) / (double)q->m;
        }
        v[0] = ht + lb;
        se[0] = et;
        v[1] = ht - hx;
        se[1] = et + ex;
        v[2] = ht - gcent__xacc_get(&a->e[2]);
        se[2] = et + gcent__xacc_get(&a->s1[2]);
        for (int t = 0; t < (q->with_y ? 3 : 2); ++t)
            if (!isfinite(v[t]) || !isfinite(se[t]))
                return gcent__seterr(e, GCENT_ERANGE, "quadrature: non-finite result");
    } else {
        for (int t = 0; t < 3; ++t)
            gcent__mc_finish(&q->acc, t, q->draws, &v[t], &se[t]);
        v[0] = hz + lb + q->hw - v[0];
        v[1] = log((double)q->m) - v[1];
        v[2] = q->hy - v[2];
    }
    if (!q->with_y) /* not computed: nothing that looks like a result */
        v[2] = se[2] = NAN;
    const double b = q->log_base;
    out->ht.value = gcent__to_base(b, v[0]);
    out->ht.se = gcent__to_base(b, se[0]);
    out->ixt.value = gcent__to_base(b, v[1]);
    out->ixt.se = gcent__to_base(b, se[1]);
    out->iyt.value = gcent__to_base(b, v[2]);
    out->iyt.se = gcent__to_base(b, se[2]);
    return GCENT_OK;
}

/* ---- public ------------------------------------------------------------------------------ */

/* m, k >= 1 and their product m k into *n; reason in ctx. */
static int rows_of(gcent_ctx *ctx, size_t m, size_t k, size_t *n)
{
    if (m == 0 || k == 0)
        return gcent__fail(ctx, GCENT_EINVAL, "m = %zu inputs and k = %zu draws must be >= 1",
                           m, k);
    int ovf = 0;
    *n = gcent__mul(m, k, &ovf);
    if (ovf)
        return gcent__fail(ctx, GCENT_ERANGE, "m * k = %zu * %zu overflows", m, k);
    return GCENT_OK;
}

/* Quadrature is asked for a width it cannot integrate. */
static int quad_width(gcent_ctx *ctx, size_t d)
{
    if (ctx->o.method == GCENT_METHOD_QUADRATURE && d > 2)
        return gcent__fail(ctx, GCENT_EUNSUPPORTED,
                           "quadrature needs d <= 2 (d = %zu); use GCENT_METHOD_MC or "
                           "GCENT_METHOD_AUTO", d);
    return GCENT_OK;
}

/* m, k, d, beta (and the product m k into *n) as documented; reason in ctx. */
static int check_shape(gcent_ctx *ctx, size_t m, size_t k, size_t d, double beta, size_t *n)
{
    int st = rows_of(ctx, m, k, n);
    if (st == GCENT_OK && d == 0)
        st = gcent__fail(ctx, GCENT_EINVAL, "d = 0: the width must be at least 1");
    if (st == GCENT_OK)
        st = gcent__check_beta(&ctx->err, beta);
    return st == GCENT_OK ? quad_width(ctx, d) : st;
}

/* The arguments of the one-shot and partial calls; reason in ctx. */
static int check_args(gcent_ctx *ctx, const double *s, size_t m, size_t k, size_t d,
                      size_t lds, double beta, const void *out, size_t *n)
{
    if (out == NULL)
        return gcent__fail(ctx, GCENT_EINVAL, "the output pointer is NULL");
    int st = rows_of(ctx, m, k, n);
    if (st == GCENT_OK)
        st = gcent__check_samples(&ctx->err, s, *n, d, lds, NULL, beta);
    return st == GCENT_OK ? quad_width(ctx, d) : st;
}

/* One shard of a one-shot call with a temporary plan; reason in ctx. */
static int oneshot(gcent_ctx *ctx, const double *s, size_t m, size_t k, size_t n, size_t d,
                   size_t lds, const int *labels, double beta, size_t rb, size_t re,
                   gcent__part *q)
{
    gcent_plan *pl = NULL;
    int st = layer_plan(ctx, m, k, n, d, labels, beta, &pl);
    if (st != GCENT_OK)
        return st;
    pl->err.where = ctx->err.where;
    const gcent__rows rows = gcent__rows_of(s, lds);
    st = layer_run(pl, &rows, rb, re, q);
    if (st != GCENT_OK)
        memcpy(ctx->err.msg, pl->err.msg, sizeof ctx->err.msg);
    gcent_plan_free(pl);
    return st;
}

int gcent_plan_mi_layer(gcent_ctx *ctx, size_t m, size_t k, size_t d, const int *labels,
                        double beta, gcent_plan **out)
{
    if (ctx == NULL)
        return GCENT_EINVAL;
    gcent__begin(ctx, "gcent_plan_mi_layer");
    if (out == NULL)
        return gcent__fail(ctx, GCENT_EINVAL, "out is NULL");
    size_t n = 0;
    int st = check_shape(ctx, m, k, d, beta, &n);
    if (st != GCENT_OK)
        return st;
    return layer_plan(ctx, m, k, n, d, labels, beta, out);
}

int gcent_plan_execute_mi(gcent_plan *plan, const double *s, size_t lds, gcent_layer_mi *out)
{
    const gcent__rows rows = gcent__rows_of(s, lds);
    return gcent__plan_execute(plan, GCENT__PLAN_LAYER, "gcent_plan_execute_mi", &rows, 0,
                               plan ? plan->n : 0, out, NULL);
}

int gcent_plan_execute_mi_f32(gcent_plan *plan, const float *s, size_t lds,
                              gcent_layer_mi *out)
{
    const gcent__rows rows = gcent__rows_of_f32(s, lds);
    return gcent__plan_execute(plan, GCENT__PLAN_LAYER, "gcent_plan_execute_mi_f32", &rows, 0,
                               plan ? plan->n : 0, out, NULL);
}

/* A shard's execution, doubles or floats (where: the public function). */
static int execute_partial(gcent_plan *plan, const char *where, const gcent__rows *s,
                           size_t row_begin, size_t row_end, gcent_partial *part)
{
    if (part == NULL)
        return gcent__plan_execute(plan, GCENT__PLAN_LAYER, where, s, 0, 0, NULL, NULL);
    return gcent__plan_execute(plan, GCENT__PLAN_LAYER, where, s, row_begin, row_end, NULL,
                               part);
}

int gcent_plan_execute_mi_partial(gcent_plan *plan, const double *s, size_t lds,
                                  size_t row_begin, size_t row_end, gcent_partial *part)
{
    const gcent__rows rows = gcent__rows_of(s, lds);
    return execute_partial(plan, "gcent_plan_execute_mi_partial", &rows, row_begin, row_end,
                           part);
}

int gcent_plan_execute_mi_partial_f32(gcent_plan *plan, const float *s, size_t lds,
                                      size_t row_begin, size_t row_end, gcent_partial *part)
{
    const gcent__rows rows = gcent__rows_of_f32(s, lds);
    return execute_partial(plan, "gcent_plan_execute_mi_partial_f32", &rows, row_begin,
                           row_end, part);
}

int gcent_mi_layer(gcent_ctx *ctx, const double *s, size_t m, size_t k, size_t d, size_t lds,
                   const int *labels, double beta, gcent_layer_mi *out)
{
    if (ctx == NULL)
        return GCENT_EINVAL;
    gcent__begin(ctx, "gcent_mi_layer");
    size_t n = 0;
    int st = check_args(ctx, s, m, k, d, lds, beta, out, &n);
    if (st != GCENT_OK)
        return st;
    gcent__part q;
    st = oneshot(ctx, s, m, k, n, d, lds, labels, beta, 0, n, &q);
    if (st == GCENT_OK)
        st = layer_result(&q, &ctx->err, out);
    if (st == GCENT_OK)
        ctx->last_method = q.method;
    return st;
}

int gcent_mi_layer_partial(gcent_ctx *ctx, const double *s, size_t m, size_t k, size_t d,
                           size_t lds, const int *labels, double beta, size_t row_begin,
                           size_t row_end, gcent_partial *part)
{
    if (ctx == NULL)
        return GCENT_EINVAL;
    gcent__begin(ctx, "gcent_mi_layer_partial");
    size_t n = 0;
    int st = check_args(ctx, s, m, k, d, lds, beta, part, &n);
    if (st == GCENT_OK && !(row_begin <= row_end && row_end <= n))
        st = gcent__fail(ctx, GCENT_EINVAL,
                         "row range [%zu, %zu) is not inside [0, %zu) (row_begin <= row_end "
                         "<= m k)", row_begin, row_end, n);
    if (st != GCENT_OK)
        return st;
    gcent__part q;
    st = oneshot(ctx, s, m, k, n, d, lds, labels, beta, row_begin, row_end, &q);
    if (st == GCENT_OK) {
        gcent__part_store(part, &q);
        ctx->last_method = q.method;
    }
    return st;
}

int gcent_mi_layer_finish(gcent_ctx *ctx, const gcent_partial *part, gcent_layer_mi *out)
{
    if (ctx == NULL)
        return GCENT_EINVAL;
    gcent__begin(ctx, "gcent_mi_layer_finish");
    if (part == NULL || out == NULL)
        return gcent__fail(ctx, GCENT_EINVAL, "part or out is NULL");
    gcent__part q;
    int st = gcent__part_load(&q, part, "the partial", &ctx->err);
    if (st == GCENT_OK)
        st = gcent__part_check_finish(&q, GCENT__PART_LAYER, &ctx->o, &ctx->err);
    if (st == GCENT_OK)
        st = layer_result(&q, &ctx->err, out);
    if (st == GCENT_OK)
        ctx->last_method = q.method;
    return st;
}
