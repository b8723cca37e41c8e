/* Part 3: exact binned entropies.
 *
 * Every row is mapped to the tuple of its bin indices floor((t - o) / w).
 * Rows are grouped by tuple in O(n d) time and O(n) memory without storing
 * the tuples: (1) a 64-bit hash of each row's tuple, in parallel; (2) an
 * open-addressing table in row order gives every row the id of the first
 * row with the same hash (ids numbered by first appearance, so the result
 * does not depend on threads); (3) every row is compared with its id's first
 * row by recomputing both tuples, in parallel; (4) rows that differ (hash
 * collisions between distinct tuples, essentially never) get exact ids by
 * direct comparison. Counts per id then give the entropies, summed in id
 * order. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "alloc.h"
#include "binned.h"
#include "validate.h"
#include "ctx.h"
#include "labels.h"
#include "sum.h"
#include "threads.h"

#define ROWS_PER_CHUNK 4096
#define TWO63 9223372036854775808.0

typedef struct {
    const double *t;
    size_t n, d, ldt;
    double origin, width;
    uint64_t hash_mask; /* all ones; fewer bits only to test the collision path */
} grid;

/* Bin index of one value; 0 on success, -1 if it does not fit in int64. */
static inline int bin_of(const grid *g, double x, int64_t *out)
{
    double q = floor((x - g->origin) / g->width);
    if (!(q >= -TWO63 && q < TWO63))
        return -1;
    *out = (int64_t)q;
    return 0;
}

/* Lexicographic order of the bin tuples of rows a and b. */
static int cmp_tuple(const grid *g, size_t a, size_t b)
{
    const double *ra = g->t + a * g->ldt, *rb = g->t + b * g->ldt;
    for (size_t k = 0; k < g->d; ++k) {
        int64_t ia = 0, ib = 0;
        (void)bin_of(g, ra[k], &ia);
        (void)bin_of(g, rb[k], &ib);
        if (ia != ib)
            return ia < ib ? -1 : 1;
    }
    return 0;
}

typedef struct {
    const grid *g;
    uint64_t *hash;   /* n */
    size_t *id;       /* n */
    size_t *rep;      /* ids: first row of each id */
    unsigned char *bad; /* n: row differs from its id's first row */
    size_t *first_err; /* per chunk: first row out of range, or SIZE_MAX */
    int phase;        /* 0 hash, 1 verify */
} bin_job;

static int bin_chunk(void *arg, size_t chunk, size_t worker)
{
    (void)worker;
    bin_job *jb = arg;
    const grid *g = jb->g;
    size_t r0 = chunk * ROWS_PER_CHUNK;
    size_t r1 = r0 + ROWS_PER_CHUNK < g->n ? r0 + ROWS_PER_CHUNK : g->n;
    if (jb->phase == 0) {
        jb->first_err[chunk] = SIZE_MAX;
        for (size_t r = r0; r < r1; ++r) {
            const double *row = g->t + r * g->ldt;
            uint64_t h = 0x243f6a8885a308d3ull;
            for (size_t k = 0; k < g->d; ++k) {
                int64_t b;
                if (bin_of(g, row[k], &b) != 0) {
                    jb->first_err[chunk] = r;
                    return GCENT_OK; /* reported by the caller, deterministically */
                }
                h = (h ^ (uint64_t)b) * 0x9e3779b97f4a7c15ull;
                h ^= h >> 29;
            }
            jb->hash[r] = gcent__mix64(h ^ g->d) & g->hash_mask;
        }
    } else {
        for (size_t r = r0; r < r1; ++r) {
            size_t first = jb->rep[jb->id[r]];
            jb->bad[r] = first != r && cmp_tuple(g, r, first) != 0;
        }
    }
    return GCENT_OK;
}

/* Rows flagged bad share a hash with a different tuple (essentially never,
 * but crafted data can force it): sort them by tuple (stable bottom-up merge
 * sort, O(b log b d)) and give every run of equal tuples a new id. */
static int regroup_collisions(const grid *g, const unsigned char *bad, size_t *id,
                              size_t *nids)
{
    size_t b = 0;
    for (size_t r = 0; r < g->n; ++r)
        b += bad[r];
    if (b == 0)
        return GCENT_OK;
    size_t *x = gcent__malloc(b * sizeof(size_t)), *y = gcent__malloc(b * sizeof(size_t));
    if (x == NULL || y == NULL) {
        gcent__free(x);
        gcent__free(y);
        return GCENT_ENOMEM;
    }
    for (size_t r = 0, i = 0; r < g->n; ++r)
        if (bad[r])
            x[i++] = r;
    for (size_t w = 1; w < b; w *= 2) {
        for (size_t lo = 0; lo < b; lo += 2 * w) {
            size_t mid = lo + w < b ? lo + w : b, hi = lo + 2 * w < b ? lo + 2 * w : b;
            size_t i = lo, j = mid, o = lo;
            while (i < mid && j < hi)
                y[o++] = cmp_tuple(g, x[j], x[i]) < 0 ? x[j++] : x[i++];
            while (i < mid)
                y[o++] = x[i++];
            while (j < hi)
                y[o++] = x[j++];
        }
        size_t *t = x;
        x = y;
        y = t;
    }
    for (size_t i = 0; i < b; ++i) {
        if (i == 0 || cmp_tuple(g, x[i - 1], x[i]) != 0)
            ++*nids;
        id[x[i]] = *nids - 1;
    }
    gcent__free(x);
    gcent__free(y);
    return GCENT_OK;
}

/* Group the rows: ids[r] in 0..*nids-1, numbered by first appearance; counts
 * per id. Allocates *ids_out and *counts_out (caller frees). */
static int group_rows(gcent_ctx *ctx, gcent__progress *p, const grid *g, size_t **ids_out,
                      size_t **counts_out, size_t *nids_out)
{
    const size_t n = g->n;
    size_t nchunks = (n + ROWS_PER_CHUNK - 1) / ROWS_PER_CHUNK;
    size_t nworkers = gcent__nthreads(ctx->o.threads);
    size_t cap = 16;
    while (cap < 2 * n && cap < ((size_t)1 << (sizeof(size_t) * 8 - 2)))
        cap <<= 1;
    bin_job jb;
    memset(&jb, 0, sizeof jb);
    jb.g = g;
    int ovf = 0;
    (void)gcent__mul(cap, 2 * sizeof(size_t) + sizeof(uint64_t), &ovf);
    (void)gcent__mul(n, sizeof(uint64_t) + 2 * sizeof(size_t) + 1, &ovf);
    if (ovf)
        return gcent__fail(ctx, GCENT_ERANGE, "n = %zu rows is too large to bin", n);
    jb.hash = gcent__malloc(n * sizeof(uint64_t));
    jb.id = gcent__malloc(n * sizeof(size_t));
    jb.rep = gcent__malloc(n * sizeof(size_t));
    jb.bad = gcent__malloc(n);
    jb.first_err = gcent__malloc(nchunks * sizeof(size_t));
    size_t *slot_id = gcent__malloc(cap * sizeof(size_t)); /* SIZE_MAX = empty */
    size_t *counts = NULL;
    int st = (jb.hash && jb.id && jb.rep && jb.bad && jb.first_err && slot_id)
                 ? GCENT_OK : GCENT_ENOMEM;
    size_t nids = 0;

    if (st == GCENT_OK) { /* (1) hash */
        jb.phase = 0;
        st = gcent__parallel(p, nchunks, nworkers, bin_chunk, &jb);
    }
    if (st == GCENT_OK) {
        for (size_t c = 0; c < nchunks; ++c)
            if (jb.first_err[c] != SIZE_MAX) {
                size_t r = jb.first_err[c];
                st = gcent__fail(ctx, GCENT_ERANGE,
                                 "row %zu: a bin index floor((t - origin) / width) does not "
                                 "fit in 64 bits (width %g, origin %g)", r, g->width,
                                 g->origin);
                break;
            }
    }
    if (st == GCENT_OK) { /* (2) table in row order */
        for (size_t i = 0; i < cap; ++i)
            slot_id[i] = SIZE_MAX;
        const size_t mask = cap - 1;
        for (size_t r = 0; r < n; ++r) {
            uint64_t h = jb.hash[r];
            size_t sl = (size_t)h & mask;
            for (;;) {
                size_t id = slot_id[sl];
                if (id == SIZE_MAX) {
                    slot_id[sl] = nids;
                    jb.rep[nids] = r;
                    jb.id[r] = nids++;
                    break;
                }
                if (jb.hash[jb.rep[id]] == h) {
                    jb.id[r] = id;
                    break;
                }
                sl = (sl + 1) & mask;
            }
        }
        jb.phase = 1; /* (3) verify */
        st = gcent__parallel(p, nchunks, nworkers, bin_chunk, &jb);
    }
    if (st == GCENT_OK) /* (4) exact ids for colliding rows */
        st = regroup_collisions(g, jb.bad, jb.id, &nids);
    if (st == GCENT_OK) {
        counts = gcent__calloc(nids, sizeof(size_t));
        if (counts == NULL)
            st = GCENT_ENOMEM;
        else
            for (size_t r = 0; r < n; ++r)
                counts[jb.id[r]]++;
    }
    if (st == GCENT_ENOMEM && ctx->err.msg[0] == '\0')
        gcent__fail(ctx, st, "out of memory while binning %zu rows", n);
    gcent__free(jb.hash);
    gcent__free(jb.rep);
    gcent__free(jb.bad);
    gcent__free(jb.first_err);
    gcent__free(slot_id);
    if (st != GCENT_OK) {
        gcent__free(jb.id);
        gcent__free(counts);
        return st;
    }
    *ids_out = jb.id;
    *counts_out = counts;
    *nids_out = nids;
    return GCENT_OK;
}

/* Entropy (nats) of a distribution given by counts c_1..c_K summing to N:
 * log N - (1/N) sum c log c, summed in the given order. */
static double entropy_of_counts(const size_t *c, size_t K, size_t N)
{
    if (K <= 1)
        return 0.0; /* exactly: log N - N log N / N may round to 4e-16 */
    gcent__sum s = {0.0, 0.0};
    for (size_t i = 0; i < K; ++i)
        if (c[i] > 1)
            gcent__sum_add(&s, (double)c[i] * log((double)c[i]));
    double h = log((double)N) - gcent__sum_get(&s) / (double)N;
    return h > 0.0 ? h : 0.0;
}

static int check_width(gcent_ctx *ctx, double width)
{
    if (!isfinite(width))
        return gcent__fail(ctx, GCENT_EDOM, "bin width is NaN or infinite");
    if (!(width > 0.0))
        return gcent__fail(ctx, GCENT_EINVAL, "bin width = %g must be > 0", width);
    return GCENT_OK;
}

/* Shape, width, then finiteness (padding never read). */
static int check_input(gcent_ctx *ctx, const double *t, size_t n, size_t d, size_t ldt,
                       double width)
{
    int st = gcent__check_shape(&ctx->err, t, n, d, ldt);
    if (st == GCENT_OK)
        st = check_width(ctx, width);
    if (st == GCENT_OK)
        st = gcent__check_finite(&ctx->err, t, n, d, ldt);
    return st;
}

static uint64_t group_units(size_t n)
{
    return 2 * (uint64_t)((n + ROWS_PER_CHUNK - 1) / ROWS_PER_CHUNK) + 1;
}

int gcent_binned_entropy(gcent_ctx *ctx, const double *t, size_t n, size_t d, size_t ldt,
                         double width, double *out)
{
    return gcent__binned_entropy_masked(ctx, t, n, d, ldt, width, UINT64_MAX, out);
}

int gcent__binned_entropy_masked(gcent_ctx *ctx, const double *t, size_t n, size_t d,
                                 size_t ldt, double width, uint64_t hash_mask, double *out)
{
    if (ctx == NULL)
        return GCENT_EINVAL;
    gcent__begin(ctx, "gcent_binned_entropy");
    if (out == NULL)
        return gcent__fail(ctx, GCENT_EINVAL, "out is NULL");
    int st = check_input(ctx, t, n, d, ldt, width);
    if (st != GCENT_OK)
        return st;
    grid g = {t, n, d, ldt, ctx->o.bin_origin, width, hash_mask};
    gcent__progress p;
    gcent__progress_init(&p, ctx->progress, ctx->progress_user, &ctx->err, group_units(n));
    size_t *ids = NULL, *counts = NULL, nids = 0;
    st = group_rows(ctx, &p, &g, &ids, &counts, &nids);
    double h = 0.0;
    if (st == GCENT_OK) {
        h = entropy_of_counts(counts, nids, n);
        st = gcent__progress_finish(&p);
    }
    gcent__free(ids);
    gcent__free(counts);
    if (st != GCENT_OK)
        return st;
    *out = gcent__to_base(ctx->o.log_base, h);
    return GCENT_OK;
}

/* Per-input conditional entropies H(Bin T | X = x_i), in parallel. */
typedef struct {
    const size_t *ids;
    size_t k;
    size_t per_chunk, m;
    size_t *scratch; /* nworkers x 2k */
    double *hx;      /* m */
} cond_job;

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

static int cond_chunk(void *arg, size_t chunk, size_t worker)
{
    cond_job *jb = arg;
    size_t *buf = jb->scratch + worker * 2 * jb->k;
    size_t *cnt = buf + jb->k;
    size_t i0 = chunk * jb->per_chunk;
    size_t i1 = i0 + jb->per_chunk < jb->m ? i0 + jb->per_chunk : jb->m;
    for (size_t i = i0; i < i1; ++i) {
        memcpy(buf, jb->ids + i * jb->k, jb->k * sizeof(size_t));
        qsort(buf, jb->k, sizeof(size_t), cmp_size);
        size_t K = 0;
        for (size_t r = 0; r < jb->k; ++r) {
            if (r == 0 || buf[r] != buf[r - 1])
                cnt[K++] = 0;
            cnt[K - 1]++;
        }
        jb->hx[i] = entropy_of_counts(cnt, K, jb->k);
    }
    return GCENT_OK;
}

/* sum_y p(y) H(Bin T | Y = y) in nats. */
static int label_term(gcent_ctx *ctx, const size_t *ids, size_t nids, size_t m, size_t k,
                      const int *labels, double *out)
{
    gcent__labels g;
    int st = gcent__labels_group(labels, m, &g);
    size_t *stamp = gcent__malloc(nids * sizeof(size_t));
    size_t *cnt = gcent__malloc(nids * sizeof(size_t));
    size_t *list = gcent__malloc(nids * sizeof(size_t));
    if (st != GCENT_OK || !stamp || !cnt || !list)
        st = GCENT_ENOMEM;
    double total = 0.0;
    if (st == GCENT_OK) {
        for (size_t j = 0; j < nids; ++j)
            stamp[j] = SIZE_MAX;
        gcent__sum acc = {0.0, 0.0};
        for (size_t c = 0; c < g.ncls; ++c) {
            size_t nl = 0;
            for (size_t a = g.start[c]; a < g.start[c + 1]; ++a) {
                const size_t *rid = ids + g.order[a] * k;
                for (size_t r = 0; r < k; ++r) {
                    size_t id = rid[r];
                    if (stamp[id] != c) {
                        stamp[id] = c;
                        cnt[id] = 0;
                        list[nl++] = id;
                    }
                    cnt[id]++;
                }
            }
            for (size_t l = 0; l < nl; ++l) /* counts in first-appearance order */
                list[l] = cnt[list[l]];
            size_t ninputs = g.start[c + 1] - g.start[c];
            gcent__sum_add(&acc, (double)ninputs / (double)m *
                                     entropy_of_counts(list, nl, ninputs * k));
        }
        total = gcent__sum_get(&acc);
    }
    if (st != GCENT_OK)
        gcent__fail(ctx, st, "out of memory for the label statistics (m = %zu)", m);
    if (g.order != NULL)
        gcent__labels_free(&g);
    gcent__free(stamp);
    gcent__free(cnt);
    gcent__free(list);
    if (st == GCENT_OK)
        *out = total;
    return st;
}

int gcent_binned_mi(gcent_ctx *ctx, const double *t, size_t m, size_t k, size_t d,
                    size_t ldt, const int *labels, double width, double *ixt, double *iyt)
{
    if (ctx == NULL)
        return GCENT_EINVAL;
    gcent__begin(ctx, "gcent_binned_mi");
    if (ixt == NULL)
        return gcent__fail(ctx, GCENT_EINVAL, "ixt is NULL");
    if (m == 0 || k == 0)
        return gcent__fail(ctx, GCENT_EINVAL, "m = %zu and k = %zu must be >= 1",
                           m, k);
    int ovf = 0;
    size_t n = gcent__mul(m, k, &ovf);
    if (ovf)
        return gcent__fail(ctx, GCENT_ERANGE, "m * k = %zu * %zu overflows",
                           m, k);
    int st = check_input(ctx, t, n, d, ldt, width);
    if (st != GCENT_OK)
        return st;
    const int want_y = labels != NULL && iyt != NULL;

    grid g = {t, n, d, ldt, ctx->o.bin_origin, width, UINT64_MAX};
    size_t per_chunk = k >= ROWS_PER_CHUNK ? 1 : ROWS_PER_CHUNK / k;
    size_t cchunks = k > 1 ? (m + per_chunk - 1) / per_chunk : 0;
    gcent__progress p;
    gcent__progress_init(&p, ctx->progress, ctx->progress_user, &ctx->err, group_units(n) + cchunks);
    size_t *ids = NULL, *counts = NULL, nids = 0;
    st = group_rows(ctx, &p, &g, &ids, &counts, &nids);
    double ht = 0.0, hx = 0.0, hy = 0.0;
    cond_job cj;
    memset(&cj, 0, sizeof cj);
    if (st == GCENT_OK)
        ht = entropy_of_counts(counts, nids, n);
    if (st == GCENT_OK && k > 1) {
        size_t nworkers = gcent__nthreads(ctx->o.threads);
        if (nworkers > cchunks)
            nworkers = cchunks;
        cj.ids = ids;
        cj.k = k;
        cj.m = m;
        cj.per_chunk = per_chunk;
        cj.hx = gcent__malloc(m * sizeof(double));
        (void)gcent__mul(nworkers * 2, k * sizeof(size_t), &ovf);
        cj.scratch = ovf ? NULL : gcent__malloc(nworkers * 2 * k * sizeof(size_t));
        if (cj.hx == NULL || cj.scratch == NULL)
            st = gcent__fail(ctx, GCENT_ENOMEM, "out of memory for %zu conditional entropies", m);
        else
            st = gcent__parallel(&p, cchunks, nworkers, cond_chunk, &cj);
        if (st == GCENT_OK)
            hx = gcent__ordered_sum(cj.hx, m) / (double)m;
    }
    if (st == GCENT_OK && want_y)
        st = label_term(ctx, ids, nids, m, k, labels, &hy);
    if (st == GCENT_OK)
        st = gcent__progress_finish(&p);
    gcent__free(cj.hx);
    gcent__free(cj.scratch);
    gcent__free(ids);
    gcent__free(counts);
    if (st != GCENT_OK)
        return st;
    *ixt = gcent__to_base(ctx->o.log_base, ht - hx);
    if (want_y)
        *iyt = gcent__to_base(ctx->o.log_base, ht - hy);
    return GCENT_OK;
}

/* gcent_bin_fixed_range with its reasons in e (may be NULL). */
static int fixed_range(gcent__err *e, double lo, double hi, size_t nbins, double *width,
                       double *origin)
{
    if (width == NULL || origin == NULL)
        return gcent__seterr(e, GCENT_EINVAL, "width or origin is NULL");
    if (nbins == 0)
        return gcent__seterr(e, GCENT_EINVAL, "nbins = 0: at least one bin is needed");
    if (!isfinite(lo) || !isfinite(hi))
        return gcent__seterr(e, GCENT_EDOM, "the range [%g, %g] is not finite", lo, hi);
    if (!(lo < hi))
        return gcent__seterr(e, GCENT_EINVAL, "the range [%g, %g] is empty: lo must be < hi",
                             lo, hi);
    double w = (hi - lo) / (double)nbins;
    if (!(w > 0.0) || !isfinite(w))
        return gcent__seterr(e, GCENT_ERANGE,
                             "the width (%g - %g) / %zu is not a positive finite double", hi,
                             lo, nbins);
    *width = w;
    *origin = lo;
    return GCENT_OK;
}

int gcent_bin_fixed_range(double lo, double hi, size_t nbins, double *width, double *origin)
{
    return fixed_range(NULL, lo, hi, nbins, width, origin);
}

int gcent_bin_fixed_range_ctx(gcent_ctx *ctx, double lo, double hi, size_t nbins,
                              double *width, double *origin)
{
    if (ctx == NULL)
        return GCENT_EINVAL;
    gcent__begin(ctx, "gcent_bin_fixed_range");
    return fixed_range(&ctx->err, lo, hi, nbins, width, origin);
}
