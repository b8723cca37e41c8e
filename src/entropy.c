/* Part 1: h(S + Z) by Monte Carlo sample propagation or quadrature, and the
 * pairwise-distance bounds. Everything is computed for the scaled mixture
 * (unit noise) and shifted by d log(beta) at the end. */
#include <math.h>
#include <string.h>
#include "internal.h"

/* Target (query, centre) pairs per chunk of parallel work: about 0.2 ms, so
 * that calls of a few ms already use every thread. */
#define GCENT__PAIRS_PER_CHUNK (1u << 18)
/* Queries per chunk at least: the kernel takes a chunk's queries in batches
 * of GCENT__PK_QB (32), and a batch shares its tree walk and its reads of
 * the centres; 4 full batches keep that sharing. */
#define GCENT__MIN_QUERIES_PER_CHUNK 128u

/* Centres per chunk so that a chunk is about GCENT__PAIRS_PER_CHUNK pairs of
 * 12-dimensional work (a pair costs about d + 8 operations, the exp
 * included), and at least GCENT__MIN_QUERIES_PER_CHUNK queries. */
size_t gcent__rows_per_chunk(size_t n, size_t d, uint64_t queries_per_centre)
{
    uint64_t per_centre = queries_per_centre * (uint64_t)n * (d + 8) / 20;
    uint64_t c = per_centre ? GCENT__PAIRS_PER_CHUNK / per_centre : 1;
    uint64_t qpc = queries_per_centre ? queries_per_centre : 1;
    uint64_t cmin = (GCENT__MIN_QUERIES_PER_CHUNK + qpc - 1) / qpc;
    if (c < cmin)
        c = cmin;
    if (c > n)
        c = n;
    return (size_t)c;
}

static size_t chunks_of(size_t n, size_t per)
{
    return (n + per - 1) / per;
}

double *gcent__scratch_alloc(size_t nworkers, size_t d, size_t *stride)
{
    int ovf = 0;
    *stride = GCENT__MIX_BLOCK + gcent__mul(gcent__pk_qb(d) + 1, d, &ovf);
    size_t bytes = gcent__mul(gcent__mul(nworkers, *stride, &ovf), sizeof(double), &ovf);
    return ovf ? NULL : gcent__malloc(bytes);
}

void gcent__mc_reduce(const double *w, double *mean, double *m2, size_t n, uint32_t draws,
                      double *e_out, double *se_out)
{
    /* E = sum_i w_i mean_i; var = sum_i w_i^2 v_i / k (v_i unbiased) */
    for (size_t i = 0; i < n; ++i) {
        double v = draws > 1 ? m2[i] / (double)(draws - 1) : 0.0;
        m2[i] = w[i] * w[i] * v / (double)draws;
        mean[i] *= w[i];
    }
    double e = gcent__ordered_sum(mean, n);
    double var = gcent__ordered_sum(m2, n);
    if (draws == 1 && n > 1) {
        /* Conservative: each value against the weighted mean of the others,
         * e_{-i} = (e - w_i L_i) / (1 - w_i); the expectation of
         * (L_i - e_{-i})^2 is var L_i + var e_{-i} + (bias)^2 >= var L_i for
         * any weights. */
        for (size_t i = 0; i < n; ++i) {
            double li = mean[i] / w[i];
            double dev = w[i] < 1.0 ? li - (e - mean[i]) / (1.0 - w[i]) : 0.0;
            m2[i] = w[i] * w[i] * dev * dev;
        }
        var = gcent__ordered_sum(m2, n);
    }
    *e_out = e;
    *se_out = sqrt(var > 0.0 ? var : 0.0);
}

int gcent__use_quadrature(const gcent_ctx *ctx, const gcent__mix *m, double terms,
                          int *quad)
{
    *quad = ctx->method == GCENT_METHOD_QUADRATURE;
    if (ctx->method != GCENT_METHOD_AUTO || m->d > 2)
        return GCENT_OK;
    double mc_pairs = (double)ctx->draws * (double)m->n * (double)m->n;
    double budget = mc_pairs > 134217728.0 ? mc_pairs : 134217728.0; /* 2^27 */
    double cost = 0.0;
    int st = gcent__entropy_quad_cost(m, &cost);
    if (st == GCENT_OK)
        *quad = terms * cost <= budget;
    return st;
}

/* ---- Monte Carlo ------------------------------------------------------------ */

typedef struct {
    const gcent__mix *m;
    const gcent__pack *P;
    uint64_t seed;
    uint64_t row_base;
    uint32_t tag;
    uint32_t draws;
    size_t per_chunk;
    const size_t *ord; /* the rows in packed order */
    double *scr; /* per-worker scratch, stride doubles each */
    size_t stride;
    gcent__pk_work *work; /* per worker */
    double *mean; /* n: mean over draws of log R_i */
    double *m2;   /* n: sum of squared deviations over draws */
} mc_job;

/* The batch's sums, then each query's log R into its row's Welford
 * accumulators (a row's draws arrive in order r = 0, 1, ...). */
static void mc_flush(mc_job *jb, gcent__pk_work *W, double *buf, const gcent__query *Q,
                     const size_t *row, const uint32_t *draw, size_t nq)
{
    double S[3 * GCENT__PK_QB], E[GCENT__PK_QB];
    gcent__pack_sums_batch(jb->P, Q, nq, S, E, W);
    for (size_t b = 0; b < nq; ++b) {
        const size_t i = row[b];
        double L = E[b] > GCENT__PK_EMAX
                       ? gcent__mix_logratio(jb->m, Q[b].q, 0.5, Q[b].shift, i, buf)
                       : log1p(S[3 * b + 2]);
        if (draw[b] == 0)
            jb->mean[i] = jb->m2[i] = 0.0;
        double delta = L - jb->mean[i]; /* Welford */
        jb->mean[i] += delta / (double)(draw[b] + 1);
        jb->m2[i] += delta * (L - jb->mean[i]);
    }
}

/* Rows ord[c * per_chunk ..] in packed order, so that a batch's queries lie
 * close together; the results do not depend on the batches. */
static int mc_chunk(void *arg, size_t chunk, size_t worker)
{
    mc_job *jb = arg;
    const gcent__mix *m = jb->m;
    const gcent__pack *P = jb->P;
    const size_t d = m->d;
    double *buf = jb->scr + worker * jb->stride;
    double *z = buf + GCENT__MIX_BLOCK;
    double *qs = z + d; /* GCENT__PK_QB queries */
    gcent__query Q[GCENT__PK_QB];
    size_t row[GCENT__PK_QB];
    uint32_t draw[GCENT__PK_QB];
    size_t nq = 0, qb = gcent__pk_qb(d);
    size_t t0 = chunk * jb->per_chunk;
    size_t t1 = t0 + jb->per_chunk < m->n ? t0 + jb->per_chunk : m->n;
    for (size_t t = t0; t < t1; ++t) {
        const size_t i = jb->ord[t];
        for (uint32_t r = 0; r < jb->draws; ++r) {
            double *q = qs + nq * d;
            gcent__noise_vector(jb->seed, jb->tag, jb->row_base + m->index[i], r, d, z);
            const double z2 = gcent__noisy_query(m, i, z, q);
            /* exponent of centre j relative to the self term:
             * log(w_j/w_i) - (|q - u_j|^2 - |z|^2) / 2; the self term (1) is
             * left out of the sum and added in log1p */
            gcent__query qq = {q, 0.5, m->logw[i] - 0.5 * z2, P->pos[i],
                               P->self_lw ? P->self_lw[i] : -INFINITY, SIZE_MAX, -1.0,
                               NULL, NULL};
            Q[nq] = qq;
            row[nq] = i;
            draw[nq] = r;
            if (++nq == qb) {
                mc_flush(jb, &jb->work[worker], buf, Q, row, draw, nq);
                nq = 0;
            }
        }
    }
    if (nq > 0)
        mc_flush(jb, &jb->work[worker], buf, Q, row, draw, nq);
    return GCENT_OK;
}

/* The rows 0 .. n-1 of a mixture ordered by their packed position (ties by
 * row): ord (n entries) from P->pos; tmp: npad + 1 counters. */
void gcent__packed_order(const gcent__pack *P, size_t n, size_t *ord, size_t *cnt)
{
    memset(cnt, 0, (P->npad + 1) * sizeof *cnt);
    for (size_t i = 0; i < n; ++i)
        ++cnt[P->pos[i] + 1];
    for (size_t j = 0; j < P->npad; ++j)
        cnt[j + 1] += cnt[j];
    for (size_t i = 0; i < n; ++i)
        ord[cnt[P->pos[i]]++] = i;
}

/* Per-worker batch scratch for P, or NULL (no memory). */
gcent__pk_work *gcent__pk_works(const gcent__pack *P, size_t nworkers)
{
    gcent__pk_work *W = gcent__calloc(nworkers, sizeof *W);
    if (W == NULL)
        return NULL;
    for (size_t w = 0; w < nworkers; ++w)
        if (gcent__pk_work_init(&W[w], P) != GCENT_OK) {
            gcent__pk_works_free(W, w);
            return NULL;
        }
    return W;
}

void gcent__pk_works_free(gcent__pk_work *W, size_t nworkers)
{
    if (W == NULL)
        return;
    for (size_t w = 0; w < nworkers; ++w)
        gcent__pk_work_free(&W[w]);
    gcent__free(W);
}

uint64_t gcent__entropy_mc_units(const gcent__mix *m, uint32_t draws)
{
    return chunks_of(m->n, gcent__rows_per_chunk(m->n, m->d, draws));
}

int gcent__entropy_mc(gcent_ctx *ctx, gcent__progress *p, const gcent__mix *m,
                      uint32_t draws, uint64_t row_base, uint32_t tag, double *e_out,
                      double *se_out)
{
    const size_t n = m->n;
    mc_job jb;
    memset(&jb, 0, sizeof jb);
    jb.m = m;
    jb.seed = ctx->seed;
    jb.row_base = row_base;
    jb.tag = tag;
    jb.draws = draws;
    jb.per_chunk = gcent__rows_per_chunk(n, m->d, draws);
    size_t nchunks = chunks_of(n, jb.per_chunk);
    size_t nworkers = gcent__nthreads(ctx);
    if (nworkers > nchunks)
        nworkers = nchunks;

    gcent__pack P;
    int st = gcent__pack_init(&P, m, NULL, 0, NULL, gcent__prune_tol(ctx), 0);
    if (st != GCENT_OK)
        return gcent__fail(ctx, st, "out of memory for the packed centres (n = %zu)", n);
    jb.P = &P;
    jb.mean = gcent__malloc(n * sizeof(double));
    jb.m2 = gcent__malloc(n * sizeof(double));
    size_t *ord = gcent__malloc(n * sizeof(size_t));
    size_t *cnt = gcent__malloc((P.npad + 1) * sizeof(size_t));
    st = (jb.mean && jb.m2 && ord && cnt) ? GCENT_OK : GCENT_ENOMEM;
    if (st == GCENT_OK) {
        gcent__packed_order(&P, n, ord, cnt);
        jb.ord = ord;
    }
    gcent__free(cnt);
    if (st == GCENT_OK && (jb.scr = gcent__scratch_alloc(nworkers, m->d, &jb.stride)) == NULL)
        st = GCENT_ENOMEM;
    if (st == GCENT_OK && (jb.work = gcent__pk_works(&P, nworkers)) == NULL)
        st = GCENT_ENOMEM;
    if (st == GCENT_OK)
        st = gcent__parallel(p, nchunks, nworkers, mc_chunk, &jb);
    if (st == GCENT_OK) {
        gcent__mc_reduce(m->w, jb.mean, jb.m2, n, draws, e_out, se_out);
    } else if (st == GCENT_ENOMEM && ctx->errmsg[0] == '\0') {
        gcent__fail(ctx, st, "out of memory for the Monte Carlo buffers (n = %zu)", n);
    }
    gcent__free(jb.mean);
    gcent__free(jb.m2);
    gcent__free(jb.scr);
    gcent__free(ord);
    gcent__pk_works_free(jb.work, nworkers);
    gcent__pack_free(&P);
    return st;
}

/* ---- pairwise-distance bounds ------------------------------------------------ */

typedef struct {
    const gcent__mix *m;
    const gcent__pack *P;
    size_t per_chunk;
    double *scr; /* per-worker scratch, stride doubles each */
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

/* ---- public functions ----------------------------------------------------------- */

static double noise_entropy_nats(size_t d, double beta)
{
    return 0.5 * (double)d * (GCENT__LN2PI + 1.0) + (double)d * log(beta);
}

int gcent_noise_entropy(gcent_ctx *ctx, size_t d, double beta, double *out)
{
    if (ctx == NULL)
        return GCENT_EINVAL;
    gcent__clear(ctx);
    if (out == NULL)
        return gcent__fail(ctx, GCENT_EINVAL, "gcent_noise_entropy: out is NULL");
    if (d == 0)
        return gcent__fail(ctx, GCENT_EINVAL, "gcent_noise_entropy: d = 0");
    if (!isfinite(beta))
        return gcent__fail(ctx, GCENT_EDOM, "gcent_noise_entropy: beta is NaN or infinite");
    if (!(beta > 0.0))
        return gcent__fail(ctx, GCENT_EINVAL, "gcent_noise_entropy: beta = %g must be > 0",
                           beta);
    *out = gcent__to_base(ctx, noise_entropy_nats(d, beta));
    return GCENT_OK;
}

int gcent_entropy(gcent_ctx *ctx, const double *s, size_t n, size_t d, size_t lds,
                  const double *w, double beta, gcent_estimate *out)
{
    if (ctx == NULL)
        return GCENT_EINVAL;
    gcent__clear(ctx);
    if (out == NULL)
        return gcent__fail(ctx, GCENT_EINVAL, "gcent_entropy: out is NULL");
    int st = gcent__check_samples(ctx, s, n, d, lds, w, beta);
    if (st != GCENT_OK)
        return st;
    if (ctx->method == GCENT_METHOD_QUADRATURE && d > 2)
        return gcent__fail(ctx, GCENT_EUNSUPPORTED,
                           "gcent_entropy: quadrature needs d <= 2 (d = %zu); use "
                           "GCENT_METHOD_MC or GCENT_METHOD_AUTO", d);
    gcent__mix m;
    st = gcent__mix_init(ctx, &m, s, n, d, lds, w, beta);
    if (st != GCENT_OK)
        return st;

    const double hz = noise_entropy_nats(d, beta);
    double h = hz, err = 0.0;
    if (m.n > 1) {
        int quad = 0;
        st = gcent__use_quadrature(ctx, &m, 1.0, &quad);
        if (st != GCENT_OK) {
            gcent__mix_free(&m);
            return gcent__fail(ctx, st, "gcent_entropy: out of memory (n = %zu)", n);
        }
        gcent__progress p;
        if (quad) {
            gcent__progress_init(&p, ctx, gcent__entropy_quad_units(&m));
            double hu = 0.0;
            st = gcent__entropy_quad(ctx, &p, &m, ctx->quad_tol, &hu, &err);
            h = hu + (double)d * log(beta);
        } else {
            gcent__progress_init(&p, ctx, gcent__entropy_mc_units(&m, ctx->draws));
            double e = 0.0;
            st = gcent__entropy_mc(ctx, &p, &m, ctx->draws, 0, GCENT__STREAM_ENTROPY_MC, &e,
                                   &err);
            h = hz + m.hw - e;
        }
        if (st == GCENT_OK)
            st = gcent__progress_finish(&p);
    } else if (ctx->progress) {
        gcent__progress p;
        gcent__progress_init(&p, ctx, 1);
        st = gcent__progress_finish(&p);
    }
    gcent__mix_free(&m);
    if (st != GCENT_OK)
        return st;
    out->value = gcent__to_base(ctx, h);
    out->se = gcent__to_base(ctx, err);
    return GCENT_OK;
}

int gcent_entropy_bounds(gcent_ctx *ctx, const double *s, size_t n, size_t d, size_t lds,
                         const double *w, double beta, double *lower, double *upper)
{
    if (ctx == NULL)
        return GCENT_EINVAL;
    gcent__clear(ctx);
    if (lower == NULL || upper == NULL)
        return gcent__fail(ctx, GCENT_EINVAL, "gcent_entropy_bounds: lower or upper is NULL");
    int st = gcent__check_samples(ctx, s, n, d, lds, w, beta);
    if (st != GCENT_OK)
        return st;
    gcent__mix m;
    st = gcent__mix_init(ctx, &m, s, n, d, lds, w, beta);
    if (st != GCENT_OK)
        return st;

    bounds_job jb;
    memset(&jb, 0, sizeof jb);
    jb.m = &m;
    jb.per_chunk = gcent__rows_per_chunk(m.n, m.d, 2);
    size_t nchunks = chunks_of(m.n, jb.per_chunk);
    size_t nworkers = gcent__nthreads(ctx);
    if (nworkers > nchunks)
        nworkers = nchunks;
    gcent__progress p;
    gcent__progress_init(&p, ctx, nchunks);
    gcent__pack P;
    memset(&P, 0, sizeof P);
    st = gcent__pack_init(&P, &m, NULL, 0, NULL, gcent__prune_tol(ctx), 0);
    jb.P = &P;
    jb.lo = gcent__malloc(m.n * sizeof(double));
    jb.hi = gcent__malloc(m.n * sizeof(double));
    if (st == GCENT_OK)
        st = (jb.lo && jb.hi) ? GCENT_OK : GCENT_ENOMEM;
    if (st == GCENT_OK && (jb.scr = gcent__scratch_alloc(nworkers, d, &jb.stride)) == NULL)
        st = GCENT_ENOMEM;
    if (st == GCENT_OK)
        st = gcent__parallel(&p, nchunks, nworkers, bounds_chunk, &jb);
    if (st == GCENT_OK)
        st = gcent__progress_finish(&p);
    double lo = 0.0, hi = 0.0;
    if (st == GCENT_OK) {
        double hz = noise_entropy_nats(d, beta);
        lo = hz + m.hw - gcent__ordered_sum(jb.lo, m.n);
        hi = hz + m.hw - gcent__ordered_sum(jb.hi, m.n);
    } else if (st == GCENT_ENOMEM && ctx->errmsg[0] == '\0') {
        gcent__fail(ctx, st, "gcent_entropy_bounds: out of memory (n = %zu)", n);
    }
    gcent__free(jb.lo);
    gcent__free(jb.hi);
    gcent__free(jb.scr);
    gcent__pack_free(&P);
    gcent__mix_free(&m);
    if (st != GCENT_OK)
        return st;
    *lower = gcent__to_base(ctx, lo);
    *upper = gcent__to_base(ctx, hi);
    return GCENT_OK;
}
