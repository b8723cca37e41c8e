/* Plans: creation of the common part (options, progress, worker pool),
 * storage of the engines, checks of an execution's samples, the method
 * choice, and the two engines a shard runs -- Monte Carlo over its rows,
 * quadrature over its share of the panels. */
#include <string.h>
#include "alloc.h"
#include "validate.h"
#include "noise.h"
#include "plan.h"
#include "sliced.h"

int gcent__plan_new(gcent_ctx *ctx, int kind, size_t n, size_t d, double beta, size_t nworkers,
                    gcent_plan **out)
{
    gcent_plan *pl = gcent__calloc(1, sizeof *pl);
    if (pl == NULL)
        return gcent__fail(ctx, GCENT_ENOMEM, "out of memory for a plan");
    pl->kind = kind;
    pl->o = ctx->o;
    pl->progress = ctx->progress;
    pl->progress_user = ctx->progress_user;
    gcent__err_begin(&pl->err, NULL);
    pl->n = pl->m = n;
    pl->k = 1;
    pl->d = d;
    pl->beta = beta;
    size_t nw = nworkers;
    if (nw == 0) {
        nw = gcent__nthreads(pl->o.threads);
        /* tiny problems stay on the calling thread (results never depend on it) */
        if ((double)n * (double)n * (double)d < 65536.0)
            nw = 1;
    }
    if (gcent__pool_create(&pl->pool, nw) != GCENT_OK) {
        gcent__free(pl);
        return gcent__fail(ctx, GCENT_ENOMEM, "out of memory for a thread pool");
    }
    pl->nworkers = gcent__pool_size(pl->pool);
    *out = pl;
    return GCENT_OK;
}

int gcent__plan_engines(gcent_plan *pl, size_t nseg, int groups, size_t sub_cap,
                        size_t small_cap, gcent__err *e)
{
    const size_t n = pl->n, d = pl->d;
    pl->use_quad = d <= 2 && pl->o.method != GCENT_METHOD_MC;
    pl->use_mc = pl->o.method != GCENT_METHOD_QUADRATURE;
    int st = gcent__mix_alloc(&pl->mx, n, d, e);
    if (st == GCENT_OK && pl->use_mc) {
        st = gcent__pack_alloc(&pl->P, &pl->pws, n, d, nseg, groups,
                               pl->o.prune != GCENT_PRUNE_OFF,
                               pl->o.precision == GCENT_PRECISION_SINGLE, e);
        if (st == GCENT_OK) {
            pl->ord = gcent__malloc((n ? n : 1) * sizeof(size_t));
            pl->shard = gcent__malloc((n ? n : 1) * sizeof(size_t));
            pl->cnt = gcent__malloc((pl->P.cap_npad + 1) * sizeof(size_t));
            if (!pl->ord || !pl->shard || !pl->cnt)
                st = gcent__seterr(e, GCENT_ENOMEM, "out of memory for %zu rows", n);
        }
        if (st == GCENT_OK)
            st = gcent__mc_work_alloc(&pl->mcw, pl->nworkers, &pl->P, e);
    }
    if (st == GCENT_OK && pl->use_quad) {
        st = gcent__quad_alloc(&pl->qws, n, d, pl->nworkers, e);
        if (st == GCENT_OK && sub_cap > 0)
            st = gcent__mix_alloc(&pl->sub, sub_cap, d, e);
        if (st == GCENT_OK && small_cap > 0) {
            pl->qsmall = gcent__calloc(pl->nworkers, sizeof *pl->qsmall);
            pl->subw = gcent__calloc(pl->nworkers, sizeof *pl->subw);
            if (pl->qsmall == NULL || pl->subw == NULL)
                st = gcent__seterr(e, GCENT_ENOMEM, "out of memory for the conditional terms");
            for (size_t w = 0; st == GCENT_OK && w < pl->nworkers; ++w) {
                st = gcent__quad_alloc(&pl->qsmall[w], small_cap, d, 1, e);
                if (st == GCENT_OK)
                    st = gcent__mix_alloc(&pl->subw[w], small_cap, d, e);
            }
        }
        if (st == GCENT_OK) {
            pl->cacc = gcent__malloc(2 * pl->nworkers * sizeof *pl->cacc);
            if (pl->cacc == NULL)
                st = gcent__seterr(e, GCENT_ENOMEM, "out of memory for the quadrature sums");
        }
    }
    return st;
}

void gcent_plan_free(gcent_plan *pl)
{
    if (pl == NULL)
        return;
    gcent__sliced_free(pl->sliced);
    gcent__pool_free(pl->pool);
    gcent__free(pl->w);
    gcent__free(pl->labels_copy);
    gcent__free(pl->rows);
    gcent__free(pl->in_cls);
    gcent__free(pl->start);
    gcent__free(pl->segf);
    gcent__free(pl->grp);
    gcent__mix_free(&pl->mx);
    gcent__pack_free(&pl->P, &pl->pws);
    gcent__free(pl->ord);
    gcent__free(pl->cnt);
    gcent__free(pl->shard);
    gcent__mc_work_free(pl->mcw, pl->nworkers);
    gcent__quad_free(&pl->qws);
    for (size_t w = 0; pl->qsmall && w < pl->nworkers; ++w)
        gcent__quad_free(&pl->qsmall[w]);
    for (size_t w = 0; pl->subw && w < pl->nworkers; ++w)
        gcent__mix_free(&pl->subw[w]);
    gcent__free(pl->qsmall);
    gcent__free(pl->subw);
    gcent__mix_free(&pl->sub);
    gcent__free(pl->cacc);
    gcent__free(pl);
}

const char *gcent_plan_errmsg(const gcent_plan *plan)
{
    return plan == NULL ? "no plan (NULL)" : plan->err.msg;
}

int gcent_plan_get(const gcent_plan *plan, gcent_opt opt, double *value)
{
    if (plan == NULL || value == NULL)
        return GCENT_EINVAL;
    if (opt == GCENT_INFO_LAST_METHOD) {
        *value = (double)plan->last_method;
        return GCENT_OK;
    }
    return gcent__opts_get(&plan->o, opt, value);
}

const char *gcent__plan_maker(int kind)
{
    return kind == GCENT__PLAN_ENTROPY ? "gcent_plan_entropy"
           : kind == GCENT__PLAN_LAYER ? "gcent_plan_mi_layer"
                                       : "gcent_plan_sliced_mi_layer";
}

int gcent__plan_execute(gcent_plan *plan, int kind, const char *where, const gcent__rows *s,
                        size_t rb, size_t re, void *result, gcent_partial *part)
{
    if (plan == NULL)
        return GCENT_EINVAL;
    gcent__err_begin(&plan->err, where);
    if (plan->kind != kind)
        return gcent__seterr(&plan->err, GCENT_EINVAL, "the plan was made by %s, not %s",
                             gcent__plan_maker(plan->kind), gcent__plan_maker(kind));
    if (result == NULL && part == NULL)
        return gcent__seterr(&plan->err, GCENT_EINVAL, "the output pointer is NULL");
    gcent__part q;
    int st = plan->run(plan, s, rb, re, &q);
    if (st == GCENT_OK && result != NULL)
        st = plan->result(&q, &plan->err, result);
    else if (st == GCENT_OK)
        gcent__part_store(part, &q);
    if (st == GCENT_OK)
        plan->last_method = q.method;
    return st;
}

int gcent__plan_check(gcent_plan *pl, const gcent__rows *s, size_t rb, size_t re)
{
    int st = gcent__check_rows_shape(&pl->err, s, pl->n, pl->d);
    if (st == GCENT_OK && !(rb <= re && re <= pl->n))
        st = gcent__seterr(&pl->err, GCENT_EINVAL,
                           "row range [%zu, %zu) is not inside [0, %zu) (row_begin <= row_end "
                           "<= the number of rows)", rb, re, pl->n);
    if (st == GCENT_OK)
        st = gcent__check_rows_finite(&pl->err, s, pl->n, pl->d);
    return st;
}

uint64_t gcent__plan_setup_units(const gcent_plan *pl)
{
    (void)pl;
    return GCENT__FILL_UNITS + 1 + GCENT__PACK_UNITS + 1;
}

int gcent__plan_choose_quad(gcent_plan *pl, double terms)
{
    if (pl->o.method == GCENT_METHOD_QUADRATURE)
        return 1;
    if (pl->o.method != GCENT_METHOD_AUTO || pl->d > 2 || !pl->use_quad)
        return 0;
    const double n = (double)pl->mx.n;
    double mc_pairs = (double)pl->o.draws * n * n;
    double budget = mc_pairs > 134217728.0 ? mc_pairs : 134217728.0; /* 2^27 */
    return terms * gcent__quad_cost(&pl->qws, &pl->mx) <= budget;
}

int gcent__plan_mc(gcent_plan *pl, const size_t *segf, size_t nseg, const size_t *grp,
                   const gcent__mc_layer *layer, size_t rb, size_t re, gcent__progress *p,
                   uint64_t units, gcent__mc_acc *out)
{
    const uint64_t pack_units = units - 1; /* and 1 for the packed order */
    const gcent__mix *mx = &pl->mx;
    int st = gcent__pack_build(&pl->P, &pl->pws, mx, segf, nseg, grp,
                               gcent__prune_tol(&pl->o), 0, p, pack_units);
    if (st != GCENT_OK)
        return st;
    pl->P.wide_legacy = pl->o.wide_legacy;
    gcent__packed_order(&pl->P, mx->n, pl->ord, pl->cnt);
    size_t nrows = 0;
    for (size_t t = 0; t < mx->n; ++t) {
        const size_t i = pl->ord[t];
        if (mx->index[i] >= rb && mx->index[i] < re)
            pl->shard[nrows++] = i;
    }
    st = gcent__progress_step(p, 1);
    if (st != GCENT_OK)
        return st;
    const gcent__mc job = {.mx = mx, .P = &pl->P, .layer = layer, .seed = pl->o.seed,
                           .tag = GCENT__STREAM_ENTROPY_MC, .draws = pl->o.draws,
                           .rows = pl->shard, .nrows = nrows};
    return gcent__mc_run(&job, pl->mcw, pl->pool, p, out);
}

/* floor(a b / c) for a <= c, without overflow. */
static size_t share(size_t a, size_t b, size_t c)
{
    __extension__ typedef unsigned __int128 u128;
    return (size_t)(((u128)a * (u128)b) / (u128)c);
}

int gcent__plan_quad_share(gcent_plan *pl, const gcent__mix *m, size_t rb, size_t re, size_t N,
                           double coef, gcent__progress *p, gcent__xacc *val, gcent__xacc *err)
{
    if (m->n == 1) {
        /* one item, the closed form: it belongs to the shard of the last row */
        if (share(rb, 1, N) < share(re, 1, N))
            gcent__xacc_add(val, coef * gcent__unit_noise_entropy(m->d));
        return gcent__progress_step(p, GCENT__QUAD_UNITS);
    }
    size_t np = gcent__quad_prepare(&pl->qws, m, pl->o.quad_tol);
    return gcent__quad_panels(&pl->qws, pl->pool, p, share(rb, np, N), share(re, np, N),
                              GCENT__QUAD_UNITS, coef, val, err);
}
