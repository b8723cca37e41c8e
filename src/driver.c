/* The Monte Carlo driver: queries, batches, summands, the per-row mean and
 * variance over the draws, and the exact reduction (see driver.h).
 *
 * A row (a mixture centre i) is queried at t = u_i + z_r for its draws
 * r = 0 .. k-1; the self term, whose expectation is known, is left out of
 * the sum and added back in log1p, so each summand is log R with
 * R = 1 + sum_{j != i} (w_j / w_i) exp(-(|t - u_j|^2 - |z_r|^2) / 2).
 * A batch of queries goes through the kernel together (the results do not
 * depend on the batching); a query whose exponents pass the kernel's
 * linear-space range is redone in log space. Each row's draws are taken in
 * order r = 0, 1, ... (Welford), and the row's contributions are added to
 * the worker's exact accumulators. */
#include <string.h>
#include "alloc.h"
#include "driver.h"
#include "noise.h"

/* Target (query, centre) pairs per chunk of parallel work: about 0.2 ms, so
 * that calls of a few ms already use every thread. */
#define GCENT__PAIRS_PER_CHUNK (1u << 18)
/* Queries per chunk at least: the kernel takes a chunk's queries in batches
 * of GCENT__PK_QB (32), and a batch shares its tree walk and its reads of
 * the centres; 4 full batches keep that sharing. */
#define GCENT__MIN_QUERIES_PER_CHUNK 128u

/* Rows per chunk so that a chunk is about GCENT__PAIRS_PER_CHUNK pairs of
 * 12-dimensional work (a pair costs about d + 8 operations, the exp
 * included), and at least GCENT__MIN_QUERIES_PER_CHUNK queries. */
size_t gcent__rows_per_chunk(size_t n, size_t d, uint64_t queries_per_row)
{
    uint64_t per_row = queries_per_row * (uint64_t)n * (d + 8) / 20;
    uint64_t c = per_row ? GCENT__PAIRS_PER_CHUNK / per_row : 1;
    uint64_t qpr = queries_per_row ? queries_per_row : 1;
    uint64_t cmin = (GCENT__MIN_QUERIES_PER_CHUNK + qpr - 1) / qpr;
    if (c < cmin)
        c = cmin;
    if (c > n)
        c = n;
    return (size_t)(c ? c : 1);
}

uint64_t gcent__mc_units(size_t n, size_t d, uint32_t draws, size_t nrows)
{
    size_t per = gcent__rows_per_chunk(n, d, draws);
    return (nrows + per - 1) / per;
}

/* ---- the reduction ------------------------------------------------------------------ */

void gcent__mc_acc_zero(gcent__mc_acc *a)
{
    for (int t = 0; t < GCENT__MC_TERMS; ++t) {
        gcent__xacc_zero(&a->e[t]);
        gcent__xacc_zero(&a->s1[t]);
        gcent__xacc_zero(&a->s2[t]);
    }
    gcent__xacc_zero(&a->a0);
}

void gcent__mc_acc_merge(gcent__mc_acc *a, gcent__mc_acc *b)
{
    for (int t = 0; t < GCENT__MC_TERMS; ++t) {
        gcent__xacc_merge(&a->e[t], &b->e[t]);
        gcent__xacc_merge(&a->s1[t], &b->s1[t]);
        gcent__xacc_merge(&a->s2[t], &b->s2[t]);
    }
    gcent__xacc_merge(&a->a0, &b->a0);
}

/* Row i's summand t, mean and Welford sum of squares over its draws, into
 * the accumulators. w: the row's weight; single: the mixture has one centre. */
static inline void add_row(gcent__mc_acc *acc, int t, double w, double mean, double m2,
                           uint32_t draws, int single)
{
    if (draws > 1) {
        double v = m2 / (double)(draws - 1);
        gcent__xacc_add(&acc->e[t], w * mean);
        gcent__xacc_add(&acc->s1[t], w * w * v / (double)draws);
        return;
    }
    gcent__xacc_add(&acc->e[t], w * mean);
    if (single)
        return;
    /* leave-one-out: w_i^2 (L_i - e_{-i})^2 = a_i (L_i - e)^2 with
     * a_i = (w_i / (1 - w_i))^2, expanded into exact sums */
    double r = w / (1.0 - w), a = r * r;
    gcent__xacc_add_prod(&acc->s1[t], a, mean);
    gcent__xacc_add_prod3(&acc->s2[t], a, mean, mean);
    if (t == 0)
        gcent__xacc_add(&acc->a0, a);
}

/* Double-double helpers for the finish. */
static inline void dd_two_sum(double a, double b, double *s, double *e)
{
    double t = a + b, bb = t - a;
    *e = (a - (t - bb)) + (b - bb);
    *s = t;
}

/* (hi, lo) += x * (yh + yl), to double-double accuracy. */
static inline void dd_add_mul(double *hi, double *lo, double x, double yh, double yl)
{
    double p = x * yh, pe = fma(x, yh, -p) + x * yl;
    double s, e;
    dd_two_sum(*hi, p, &s, &e);
    e += *lo + pe;
    dd_two_sum(s, e, hi, lo);
}

void gcent__mc_finish(gcent__mc_acc *a, int t, uint32_t draws, double *e, double *se)
{
    *e = gcent__xacc_get(&a->e[t]);
    double var;
    if (draws > 1) {
        var = gcent__xacc_get(&a->s1[t]);
    } else {
        /* s2 - 2 e s1 + e^2 a0, e the rounded estimate: the sum of a_i (L_i - e)^2 */
        double h2, l2, h1, l1, h0, l0;
        gcent__xacc_get_dd(&a->s2[t], &h2, &l2);
        gcent__xacc_get_dd(&a->s1[t], &h1, &l1);
        gcent__xacc_get_dd(&a->a0, &h0, &l0);
        double ee = *e * *e, eel = fma(*e, *e, -ee);
        double hi = h2, lo = l2;
        dd_add_mul(&hi, &lo, -2.0 * *e, h1, l1);
        dd_add_mul(&hi, &lo, ee, h0, l0);
        dd_add_mul(&hi, &lo, eel, h0, l0);
        var = hi + lo;
    }
    *se = sqrt(var > 0.0 ? var : 0.0);
}

/* ---- per-worker scratch ----------------------------------------------------------------- */

int gcent__mc_work_alloc(gcent__mc_work **out, size_t nworkers, const gcent__pack *P,
                         gcent__err *e)
{
    int ovf = 0;
    const size_t d = P->d;
    size_t stride = GCENT__MIX_BLOCK + gcent__mul(gcent__pk_qb(d) + 1, d, &ovf);
    size_t bytes = gcent__mul(stride, sizeof(double), &ovf);
    if (ovf)
        return gcent__seterr(e, GCENT_ERANGE, "Monte Carlo scratch for d = %zu overflows", d);
    gcent__mc_work *W = gcent__calloc(nworkers, sizeof *W);
    int st = W ? GCENT_OK : GCENT_ENOMEM;
    for (size_t w = 0; st == GCENT_OK && w < nworkers; ++w) {
        W[w].scr = gcent__malloc(bytes);
        if (W[w].scr == NULL || gcent__pk_work_init(&W[w].pk, P) != GCENT_OK)
            st = GCENT_ENOMEM;
    }
    if (st != GCENT_OK) {
        gcent__mc_work_free(W, nworkers);
        return gcent__seterr(e, st, "out of memory for the Monte Carlo scratch of %zu workers",
                             nworkers);
    }
    *out = W;
    return GCENT_OK;
}

void gcent__mc_work_free(gcent__mc_work *W, size_t nworkers)
{
    if (W == NULL)
        return;
    for (size_t w = 0; w < nworkers; ++w) {
        gcent__free(W[w].scr);
        gcent__pk_work_free(&W[w].pk);
    }
    gcent__free(W);
}

/* ---- the loop -------------------------------------------------------------------------- */

typedef struct {
    const gcent__mc *job;
    gcent__mc_work *W;
    size_t per_chunk;
    int single;
} run_ctx;

/* The three summands of layer row p for query q in log space (the fallback
 * of the packed kernel when an exponent is too large for linear sums). */
static void layer_terms_logspace(const gcent__mix *mx, const gcent__mc_layer *L, size_t p,
                                 const double *q, double shift, double *buf, double v[3])
{
    const size_t k = L->k, n = mx->n;
    size_t a = p / k, b0 = a * k, b1 = b0 + k;
    size_t c = L->in_cls[a], c0 = L->start[c] * k, c1 = L->start[c + 1] * k;
    /* own input (self excluded; the self term is the implicit 1) */
    double lrx = gcent__softplus(gcent__mix_lse(mx, q, 0.5, shift, b0, b1, p, buf));
    if (L->with_y) {
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

/* The running mean and sum of squares (Welford) of the row in progress: a
 * row's draws are consecutive queries (possibly spanning batches); the row
 * goes to the accumulators after its last draw. */
typedef struct {
    double mean[GCENT__MC_TERMS], m2[GCENT__MC_TERMS];
} row_state;

/* The batch's sums, then each query's summands, in order, into the state of
 * its row. */
static void flush(const run_ctx *rc, gcent__mc_work *W, double *buf, const gcent__query *Q,
                  const size_t *row, const uint32_t *draw, size_t nq, row_state *r)
{
    const gcent__mc *job = rc->job;
    const gcent__mix *mx = job->mx;
    const gcent__mc_layer *L = job->layer;
    const int nt = L == NULL ? 1 : L->with_y ? 3 : 2;
    double S3[3 * GCENT__PK_QB], E[GCENT__PK_QB];
    gcent__pack_sums_batch(job->P, Q, nq, S3, E, &W->pk);
    for (size_t b = 0; b < nq; ++b) {
        const size_t i = row[b];
        const double *S = S3 + 3 * b;
        double v[3];
        if (L == NULL) {
            v[0] = E[b] > GCENT__PK_EMAX
                       ? gcent__mix_logratio(mx, Q[b].q, 0.5, Q[b].shift, i, buf)
                       : log1p(S[2]);
        } else if (E[b] > GCENT__PK_EMAX) {
            layer_terms_logspace(mx, L, i, Q[b].q, Q[b].shift, buf, v);
        } else {
            v[0] = log1p((S[0] + S[1]) + S[2]);
            v[1] = log1p((S[1] + S[2]) / (1.0 + S[0]));
            v[2] = L->with_y ? log1p(S[2] / ((1.0 + S[0]) + S[1])) : 0.0;
        }
        for (int t = 0; t < nt; ++t) { /* Welford */
            if (draw[b] == 0)
                r->mean[t] = r->m2[t] = 0.0;
            double delta = v[t] - r->mean[t];
            r->mean[t] += delta / (double)(draw[b] + 1);
            r->m2[t] += delta * (v[t] - r->mean[t]);
        }
        if (draw[b] + 1 == job->draws)
            for (int t = 0; t < nt; ++t)
                add_row(&W->acc, t, mx->w[i], r->mean[t], r->m2[t], job->draws, rc->single);
    }
}

static int chunk_fn(void *arg, size_t chunk, size_t worker)
{
    const run_ctx *rc = arg;
    const gcent__mc *job = rc->job;
    const gcent__mix *mx = job->mx;
    const gcent__pack *P = job->P;
    const gcent__mc_layer *L = job->layer;
    gcent__mc_work *W = &rc->W[worker];
    const size_t d = mx->d;
    double *buf = W->scr;
    double *z = buf + GCENT__MIX_BLOCK;
    double *qs = z + d; /* a batch of queries */
    gcent__query Q[GCENT__PK_QB];
    size_t row[GCENT__PK_QB];
    uint32_t draw[GCENT__PK_QB];
    row_state cur;
    size_t nq = 0, qb = gcent__pk_qb(d);
    size_t t0 = chunk * rc->per_chunk;
    size_t t1 = t0 + rc->per_chunk < job->nrows ? t0 + rc->per_chunk : job->nrows;
    for (size_t t = t0; t < t1; ++t) {
        const size_t i = job->rows[t];
        for (uint32_t r = 0; r < job->draws; ++r) {
            double *q = qs + nq * d;
            gcent__noise_vector(job->seed, job->tag, mx->index[i], r, d, z);
            const double z2 = gcent__noisy_query(mx, i, z, q);
            /* exponent of centre j relative to the self term:
             * log(w_j/w_i) - (|q - u_j|^2 - |z|^2) / 2 */
            if (L == NULL) {
                Q[nq] = (gcent__query){.q = q, .a = 0.5, .shift = mx->logw[i] - 0.5 * z2,
                                       .skip = P->pos[i],
                                       .skip_lw = P->self_lw ? P->self_lw[i] : -INFINITY,
                                       .own_seg = SIZE_MAX, .own = -1.0};
            } else {
                /* slot 0: own input but the self term (the implicit 1), 1: own
                 * class, other inputs, 2: other classes */
                const size_t a = i / L->k;
                Q[nq] = (gcent__query){.q = q, .a = 0.5, .shift = mx->logw[i] - 0.5 * z2,
                                       .skip = P->pos[i], .skip_lw = -INFINITY,
                                       .own_seg = L->with_y ? L->in_cls[a] : 0,
                                       .own = (double)a};
            }
            row[nq] = i;
            draw[nq] = r;
            if (++nq == qb) {
                flush(rc, W, buf, Q, row, draw, nq, &cur);
                nq = 0;
            }
        }
    }
    if (nq > 0)
        flush(rc, W, buf, Q, row, draw, nq, &cur);
    return GCENT_OK;
}

int gcent__mc_run(const gcent__mc *job, gcent__mc_work *W, gcent__pool *pool,
                  gcent__progress *p, gcent__mc_acc *out)
{
    const size_t nw = gcent__pool_size(pool);
    for (size_t w = 0; w < nw; ++w)
        gcent__mc_acc_zero(&W[w].acc);
    run_ctx rc = {job, W, gcent__rows_per_chunk(job->mx->n, job->mx->d, job->draws),
                  job->mx->n == 1};
    size_t nchunks = (job->nrows + rc.per_chunk - 1) / rc.per_chunk;
    int st = gcent__pool_run(pool, p, nchunks, chunk_fn, &rc);
    if (st != GCENT_OK)
        return st;
    for (size_t w = 0; w < nw; ++w)
        gcent__mc_acc_merge(out, &W[w].acc);
    return GCENT_OK;
}
