/* Part 2: h(T_l), I(X;T_l) and I(Y;T_l) of a noisy layer.
 *
 * The m*k rows are reordered so that the rows of each class, and within it the
 * k rows of each input, are contiguous centres of one mixture. A Monte Carlo
 * query (row p, draw j) is then evaluated against all centres once, split
 * into the ranges "own input", "own class but other inputs" and "other
 * classes"; the three log-sums give log R^X, log R^Y and log R^T together.
 * The quadrature path computes every mixture entropy by quadrature. */
#include <math.h>
#include <string.h>
#include "internal.h"

typedef struct {
    size_t m, k, n;     /* n = m k rows */
    size_t ncls;        /* 1 when there are no labels */
    size_t *rows;       /* n: caller's row at sorted position p */
    size_t *in_cls;     /* m: class of sorted input a */
    size_t *start;      /* ncls + 1: first sorted input of each class */
    double hy;          /* H(Y) in nats; 0 without labels */
} layout;

static void layout_free(layout *L)
{
    gcent__free(L->rows);
    gcent__free(L->in_cls);
    gcent__free(L->start);
    memset(L, 0, sizeof *L);
}

static int layout_init(layout *L, size_t m, size_t k, const int *labels)
{
    memset(L, 0, sizeof *L);
    L->m = m;
    L->k = k;
    L->n = m * k;
    gcent__labels g;
    memset(&g, 0, sizeof g);
    if (labels != NULL && gcent__labels_group(labels, m, &g) != GCENT_OK)
        return GCENT_ENOMEM;
    L->ncls = labels ? g.ncls : 1;
    L->rows = gcent__malloc(L->n * sizeof(size_t));
    L->in_cls = gcent__malloc(m * sizeof(size_t));
    L->start = gcent__malloc((L->ncls + 1) * sizeof(size_t));
    if (!L->rows || !L->in_cls || !L->start) {
        gcent__labels_free(&g);
        layout_free(L);
        return GCENT_ENOMEM;
    }
    for (size_t a = 0; a < m; ++a) {
        size_t i = labels ? g.order[a] : a;
        L->in_cls[a] = labels ? g.cls[i] : 0;
        for (size_t r = 0; r < k; ++r)
            L->rows[a * k + r] = i * k + r;
    }
    if (labels) {
        memcpy(L->start, g.start, (L->ncls + 1) * sizeof(size_t));
        double hy = 0.0;
        for (size_t c = 0; c < L->ncls; ++c) {
            double p = (double)(g.start[c + 1] - g.start[c]) / (double)m;
            hy -= p * log(p);
        }
        L->hy = hy > 0.0 ? hy : 0.0;
    } else {
        L->start[0] = 0;
        L->start[1] = m;
    }
    gcent__labels_free(&g);
    return GCENT_OK;
}

/* ---- Monte Carlo ------------------------------------------------------------------ */

typedef struct {
    const gcent__mix *mx;
    const gcent__pack *P;
    const layout *L;
    uint64_t seed;
    uint32_t draws;
    int with_y;
    size_t per_chunk;
    const size_t *ord; /* the rows in packed order */
    double *scr;
    size_t stride;
    gcent__pk_work *work; /* per worker */
    double *mean[3], *m2[3]; /* log R^T, log(R^T/R^X), log(R^T/R^Y) per row */
} mi_job;

/* The three summands of row p for query q in log space (the fallback of
 * the packed kernel when an exponent is too large for linear sums). */
static void mi_terms_logspace(const gcent__mix *mx, const layout *L, int with_y, size_t p,
                              const double *q, double shift, double *buf, double v[3])
{
    const size_t k = L->k, n = mx->n;
    size_t a = p / k, b0 = a * k, b1 = b0 + k;
    size_t c = L->in_cls[a], c0 = L->start[c] * k, c1 = L->start[c + 1] * k;
    /* own input (self excluded; the self term is the implicit 1) */
    double lrx = gcent__softplus(gcent__mix_lse(mx, q, 0.5, shift, b0, b1, p, buf));
    if (with_y) {
        double A = gcent__logaddexp(gcent__mix_lse(mx, q, 0.5, shift, c0, b0, SIZE_MAX, buf),
                                    gcent__mix_lse(mx, q, 0.5, shift, b1, c1, SIZE_MAX, buf));
        double B = gcent__logaddexp(gcent__mix_lse(mx, q, 0.5, shift, 0, c0, SIZE_MAX, buf),
                                    gcent__mix_lse(mx, q, 0.5, shift, c1, n, SIZE_MAX, buf));
        double lry = gcent__logaddexp(lrx, A);
        v[0] = gcent__logaddexp(lry, B);
        v[1] = gcent__softplus(gcent__logaddexp(A, B) - lrx);
        v[2] = gcent__softplus(B - lry);
    } else {
        double A = gcent__logaddexp(gcent__mix_lse(mx, q, 0.5, shift, 0, b0, SIZE_MAX, buf),
                                    gcent__mix_lse(mx, q, 0.5, shift, b1, n, SIZE_MAX, buf));
        v[0] = gcent__logaddexp(lrx, A);
        v[1] = gcent__softplus(A - lrx);
        v[2] = 0.0;
    }
}

/* The batch's sums, then each query's three summands into its row's
 * Welford accumulators (a row's draws arrive in order r = 0, 1, ...). */
static void mi_flush(mi_job *jb, gcent__pk_work *W, double *buf, const gcent__query *Q,
                     const size_t *row, const uint32_t *draw, size_t nq)
{
    double S3[3 * GCENT__PK_QB], E[GCENT__PK_QB];
    gcent__pack_sums_batch(jb->P, Q, nq, S3, E, W);
    for (size_t b = 0; b < nq; ++b) {
        const size_t p = row[b];
        const double *S = S3 + 3 * b;
        double v[3];
        if (E[b] > GCENT__PK_EMAX) {
            mi_terms_logspace(jb->mx, jb->L, jb->with_y, p, Q[b].q, Q[b].shift, buf, v);
        } else {
            v[0] = log1p((S[0] + S[1]) + S[2]);
            v[1] = log1p((S[1] + S[2]) / (1.0 + S[0]));
            v[2] = jb->with_y ? log1p(S[2] / ((1.0 + S[0]) + S[1])) : 0.0;
        }
        for (int t = 0; t < 3; ++t) { /* Welford */
            if (draw[b] == 0)
                jb->mean[t][p] = jb->m2[t][p] = 0.0;
            double delta = v[t] - jb->mean[t][p];
            jb->mean[t][p] += delta / (double)(draw[b] + 1);
            jb->m2[t][p] += delta * (v[t] - jb->mean[t][p]);
        }
    }
}

/* Rows ord[c * per_chunk ..] in packed order, so that a batch's queries lie
 * close together; the results do not depend on the batches. */
static int mi_chunk(void *arg, size_t chunk, size_t worker)
{
    mi_job *jb = arg;
    const gcent__mix *mx = jb->mx;
    const gcent__pack *P = jb->P;
    const layout *L = jb->L;
    const size_t d = mx->d, n = mx->n, k = L->k;
    double *buf = jb->scr + worker * jb->stride;
    double *z = buf + GCENT__MIX_BLOCK;
    double *qs = z + d; /* a batch of queries */
    gcent__query Q[GCENT__PK_QB];
    size_t row[GCENT__PK_QB];
    uint32_t draw[GCENT__PK_QB];
    size_t nq = 0, qb = gcent__pk_qb(d);
    size_t t0 = chunk * jb->per_chunk;
    size_t t1 = t0 + jb->per_chunk < n ? t0 + jb->per_chunk : n;
    for (size_t t = t0; t < t1; ++t) {
        const size_t p = jb->ord[t], a = p / k;
        for (uint32_t r = 0; r < jb->draws; ++r) {
            double *q = qs + nq * d;
            gcent__noise_vector(jb->seed, GCENT__STREAM_ENTROPY_MC, L->rows[p], r, d, z);
            const double z2 = gcent__noisy_query(mx, p, z, q);
            /* slot 0: own input but the self term (the implicit 1), 1: own
             * class, other inputs, 2: other classes */
            gcent__query qq = {q, 0.5, mx->logw[p] - 0.5 * z2, P->pos[p], -INFINITY,
                               jb->with_y ? L->in_cls[a] : 0, (double)a, NULL, NULL};
            Q[nq] = qq;
            row[nq] = p;
            draw[nq] = r;
            if (++nq == qb) {
                mi_flush(jb, &jb->work[worker], buf, Q, row, draw, nq);
                nq = 0;
            }
        }
    }
    if (nq > 0)
        mi_flush(jb, &jb->work[worker], buf, Q, row, draw, nq);
    return GCENT_OK;
}

static int mi_mc(gcent_ctx *ctx, const gcent__mix *mx, const layout *L, int with_y,
                 double *e, double *se)
{
    const size_t n = mx->n;
    mi_job jb;
    memset(&jb, 0, sizeof jb);
    jb.mx = mx;
    jb.L = L;
    jb.seed = ctx->seed;
    jb.draws = ctx->draws;
    jb.with_y = with_y;
    jb.per_chunk = gcent__rows_per_chunk(n, mx->d, ctx->draws);
    size_t nchunks = (n + jb.per_chunk - 1) / jb.per_chunk;
    size_t nworkers = gcent__nthreads(ctx);
    if (nworkers > nchunks)
        nworkers = nchunks;
    gcent__progress p;
    gcent__progress_init(&p, ctx, nchunks);
    int st = GCENT_OK;
    for (int t = 0; t < 3 && st == GCENT_OK; ++t) {
        jb.mean[t] = gcent__malloc(n * sizeof(double));
        jb.m2[t] = gcent__malloc(n * sizeof(double));
        if (!jb.mean[t] || !jb.m2[t])
            st = GCENT_ENOMEM;
    }
    if (st == GCENT_OK) {
        jb.scr = gcent__scratch_alloc(nworkers, mx->d, &jb.stride);
        if (jb.scr == NULL)
            st = GCENT_ENOMEM;
    }
    /* the packed centres: one segment per class (one in all without
     * labels), grouped by input */
    gcent__pack P;
    memset(&P, 0, sizeof P);
    size_t nseg = with_y ? L->ncls : 1;
    size_t *segf = gcent__malloc((nseg + 1) * sizeof(size_t));
    size_t *grp = gcent__malloc(n * sizeof(size_t));
    if (st == GCENT_OK && (segf == NULL || grp == NULL))
        st = GCENT_ENOMEM;
    if (st == GCENT_OK) {
        for (size_t c = 0; c <= nseg; ++c)
            segf[c] = with_y ? L->start[c] * L->k : (c ? n : 0);
        for (size_t r = 0; r < n; ++r)
            grp[r] = r / L->k;
        int pst = gcent__pack_init(&P, mx, segf, nseg, grp, gcent__prune_tol(ctx), 0);
        if (pst != GCENT_OK)
            st = pst == GCENT_ENOMEM ? GCENT_ENOMEM
                                     : gcent__fail(ctx, pst, "gcent_mi_layer: %zu rows in "
                                                             "%zu dims are too many", n, mx->d);
    }
    gcent__free(segf);
    gcent__free(grp);
    jb.P = &P;
    size_t *ord = NULL;
    if (st == GCENT_OK) {
        ord = gcent__malloc(n * sizeof(size_t));
        size_t *cnt = gcent__malloc((P.npad + 1) * sizeof(size_t));
        if (ord && cnt)
            gcent__packed_order(&P, n, ord, cnt);
        else
            st = GCENT_ENOMEM;
        gcent__free(cnt);
        jb.ord = ord;
    }
    if (st == GCENT_OK && (jb.work = gcent__pk_works(&P, nworkers)) == NULL)
        st = GCENT_ENOMEM;
    if (st == GCENT_OK)
        st = gcent__parallel(&p, nchunks, nworkers, mi_chunk, &jb);
    if (st == GCENT_OK)
        st = gcent__progress_finish(&p);
    if (st == GCENT_OK)
        for (int t = 0; t < 3; ++t)
            gcent__mc_reduce(mx->w, jb.mean[t], jb.m2[t], n, jb.draws, &e[t], &se[t]);
    if (st == GCENT_ENOMEM)
        gcent__fail(ctx, st, "gcent_mi_layer: out of memory for %zu rows", n);
    for (int t = 0; t < 3; ++t) {
        gcent__free(jb.mean[t]);
        gcent__free(jb.m2[t]);
    }
    gcent__free(jb.scr);
    gcent__free(ord);
    gcent__pk_works_free(jb.work, nworkers);
    gcent__pack_free(&P);
    return st;
}

/* ---- quadrature ---------------------------------------------------------------------- */

/* Progress units of the quadrature of n centres (the engine's count depends
 * on the size only); 0 for what is not integrated (one centre). */
static uint64_t quad_units(size_t n, size_t d)
{
    if (n <= 1)
        return 0;
    gcent__mix probe;
    memset(&probe, 0, sizeof probe);
    probe.n = n;
    probe.d = d;
    return gcent__entropy_quad_units(&probe);
}

/* Entropy (nats, scaled coordinates) of centres [lo, hi) of mx: exact for
 * one centre, the cached h(T) for all of them, quadrature otherwise. */
static int sub_entropy(gcent_ctx *ctx, gcent__progress *p, const gcent__mix *mx, size_t lo,
                       size_t hi, const double *cached, double *h, double *err)
{
    if (hi - lo == 1) {
        *h = 0.5 * (double)mx->d * (GCENT__LN2PI + 1.0);
        *err = 0.0;
        return GCENT_OK;
    }
    if (lo == 0 && hi == mx->n) {
        if (cached != NULL) {
            *h = cached[0];
            *err = cached[1];
            return GCENT_OK;
        }
        return gcent__entropy_quad(ctx, p, mx, ctx->quad_tol, h, err);
    }
    gcent__mix sub;
    int st = gcent__mix_sub(mx, lo, hi, &sub);
    if (st == GCENT_OK)
        st = gcent__entropy_quad(ctx, p, &sub, ctx->quad_tol, h, err);
    else
        gcent__fail(ctx, st, "gcent_mi_layer: out of memory for a conditional mixture");
    gcent__mix_free(&sub);
    return st;
}

/* Every term by quadrature; progress counts the engine's units of each
 * mixture actually integrated. */
static int mi_quad(gcent_ctx *ctx, const gcent__mix *mx, const layout *L, int with_y,
                   double *e, double *err)
{
    const size_t k = L->k, n = mx->n, d = mx->d;
    uint64_t total = quad_units(n, d);
    if (k > 1 && L->m > 1)
        total += (uint64_t)L->m * quad_units(k, d);
    for (size_t c = 0; with_y && L->ncls > 1 && c < L->ncls; ++c)
        total += quad_units((L->start[c + 1] - L->start[c]) * k, d);
    gcent__progress p;
    gcent__progress_init(&p, ctx, total > 0 ? total : 1);
    double ht[2] = {0.0, 0.0};
    int st = sub_entropy(ctx, &p, mx, 0, n, NULL, &ht[0], &ht[1]);

    /* (1/m) sum_i h(T | X = x_i): exact for k = 1 */
    double hx = 0.5 * (double)d * (GCENT__LN2PI + 1.0), ex = 0.0;
    if (st == GCENT_OK && k > 1) {
        double *hv = gcent__malloc(L->m * sizeof(double));
        double *ev = gcent__malloc(L->m * sizeof(double));
        if (hv == NULL || ev == NULL)
            st = gcent__fail(ctx, GCENT_ENOMEM, "gcent_mi_layer: out of memory (m = %zu)",
                             L->m);
        for (size_t a = 0; a < L->m && st == GCENT_OK; ++a)
            st = sub_entropy(ctx, &p, mx, a * k, a * k + k, ht, &hv[a], &ev[a]);
        if (st == GCENT_OK) {
            hx = gcent__ordered_sum(hv, L->m) / (double)L->m;
            ex = gcent__ordered_sum(ev, L->m) / (double)L->m;
        }
        gcent__free(hv);
        gcent__free(ev);
    }

    /* sum_y p(y) h(T | Y = y) */
    gcent__sum hyc = {0.0, 0.0}, eyc = {0.0, 0.0};
    for (size_t c = 0; with_y && st == GCENT_OK && c < L->ncls; ++c) {
        double py = (double)(L->start[c + 1] - L->start[c]) / (double)L->m, h = 0.0, er = 0.0;
        st = sub_entropy(ctx, &p, mx, L->start[c] * k, L->start[c + 1] * k, ht, &h, &er);
        gcent__sum_add(&hyc, py * h);
        gcent__sum_add(&eyc, py * er);
    }
    if (st == GCENT_OK)
        st = gcent__progress_finish(&p);
    if (st != GCENT_OK)
        return st;
    e[0] = ht[0];
    err[0] = ht[1];
    e[1] = ht[0] - hx;
    err[1] = ht[1] + ex;
    e[2] = with_y ? ht[0] - gcent__sum_get(&hyc) : 0.0;
    err[2] = with_y ? ht[1] + gcent__sum_get(&eyc) : 0.0;
    return GCENT_OK;
}

/* ---- public ------------------------------------------------------------------------------ */

int gcent_mi_layer(gcent_ctx *ctx, const double *s, size_t m, size_t k, size_t d, size_t lds,
                   const int *labels, double beta, gcent_layer_mi *out)
{
    if (ctx == NULL)
        return GCENT_EINVAL;
    gcent__clear(ctx);
    if (out == NULL)
        return gcent__fail(ctx, GCENT_EINVAL, "gcent_mi_layer: out is NULL");
    if (m == 0 || k == 0)
        return gcent__fail(ctx, GCENT_EINVAL,
                           "gcent_mi_layer: m = %zu inputs and k = %zu draws must be >= 1", m,
                           k);
    int ovf = 0;
    size_t n = gcent__mul(m, k, &ovf);
    if (ovf)
        return gcent__fail(ctx, GCENT_ERANGE, "gcent_mi_layer: m * k = %zu * %zu overflows",
                           m, k);
    int st = gcent__check_samples(ctx, s, n, d, lds, NULL, beta);
    if (st != GCENT_OK)
        return st;
    if (ctx->method == GCENT_METHOD_QUADRATURE && d > 2)
        return gcent__fail(ctx, GCENT_EUNSUPPORTED,
                           "gcent_mi_layer: quadrature needs d <= 2 (d = %zu)", d);
    layout L;
    if (layout_init(&L, m, k, labels) != GCENT_OK)
        return gcent__fail(ctx, GCENT_ENOMEM, "gcent_mi_layer: out of memory (m = %zu)", m);
    gcent__mix mx;
    st = gcent__mix_init_rows(ctx, &mx, s, L.rows, n, d, lds, NULL, beta);
    if (st != GCENT_OK) {
        layout_free(&L);
        return st;
    }
    const int with_y = labels != NULL;
    /* the conditional mixtures together cost at most about as much as h(T)
     * for each of the two MIs: predict 3 times the cost of h(T) */
    int quad = 0;
    st = gcent__use_quadrature(ctx, &mx, 3.0, &quad);
    if (st != GCENT_OK)
        gcent__fail(ctx, st, "gcent_mi_layer: out of memory (n = %zu)", n);
    double e[3] = {0, 0, 0}, se[3] = {0, 0, 0};
    const double hz = 0.5 * (double)d * (GCENT__LN2PI + 1.0); /* h(Z) at unit noise */
    if (st == GCENT_OK && quad) {
        st = mi_quad(ctx, &mx, &L, with_y, e, se);
        e[0] += (double)d * log(beta);
    } else if (st == GCENT_OK) {
        double v[3];
        st = mi_mc(ctx, &mx, &L, with_y, v, se);
        e[0] = hz + (double)d * log(beta) + mx.hw - v[0];
        e[1] = log((double)m) - v[1];
        e[2] = with_y ? L.hy - v[2] : 0.0;
        if (!with_y)
            se[2] = 0.0;
    }
    gcent__mix_free(&mx);
    layout_free(&L);
    if (st != GCENT_OK)
        return st;
    out->ht.value = gcent__to_base(ctx, e[0]);
    out->ht.se = gcent__to_base(ctx, se[0]);
    out->ixt.value = gcent__to_base(ctx, e[1]);
    out->ixt.se = gcent__to_base(ctx, se[1]);
    out->iyt.value = gcent__to_base(ctx, e[2]);
    out->iyt.se = gcent__to_base(ctx, se[2]);
    return GCENT_OK;
}
