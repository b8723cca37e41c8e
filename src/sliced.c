/* Part 4: the sliced information plane, SI_q(X;T) and SI_q(Y;T), q = 1, 2.
 *
 * Owns the prepared computation (gcent__sliced: create, execute, free) and
 * gcent_sliced_mi_layer, which is create + execute + free.
 *
 * Create (once per shape): checks the shape; groups the labels (the rows
 * of each class, and of each input, form the segments of the conditional
 * mixtures); draws the directions of every slice (q standard normal columns
 * from the counter-based generator keyed by (seed, slice), orthonormalised
 * by QR with the sign fix, src/linalg.c) into a (slices q) x d matrix;
 * allocates the projection block and one scratch area per worker. Nothing
 * is allocated afterwards.
 *
 * Execute (every epoch): checks the samples; then block by block, the
 * calling thread projects all n = m k rows onto the block's slices with one
 * dgemm, (q block) x d times d x n, and the workers take the block's slices
 * one at a time. A slice: coordinates in noise units around the middle of
 * the projections, lattice cells and offsets (src/sliced_lattice.c), one
 * stable radix sort of the rows by cell (O(n); for q = 2 by (g1, g2)),
 * one pass that distributes the sorted rows into the segments of the
 * inputs and of the classes (so every segment is sorted too), and the
 * lattice sums of h(all), h(input i), h(class y). Each slice writes its two
 * mutual informations to its own slot; mean and standard error over slices
 * are taken in slice order at the end (compensated sums), so the result is
 * bit-identical for any number of threads.
 *
 * Cost per slice (q = 1): the radix sort and the distribution read and write
 * n indices a few times; the lattice sums cost about 64 multiply-adds per
 * row and family (all, classes, inputs) and one log per emitted lattice
 * point (about 4 per noise unit of a segment's extent, plus 64 per island).
 */
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "alloc.h"
#include "labels.h"
#include "plan.h"
#include "sliced.h"
#include "sum.h"
#include "validate.h"

#define SL_BLOCK_DOUBLES ((size_t)1 << 22) /* target size of the projection block */
#define SL_RADIX 65536u                     /* radix sort digits: 16 bits */
#define SL_DIR_CHUNK 64                     /* slices per chunk when drawing directions */
#define SL_SPAN_MAX 281474976710656.0       /* 2^48: largest |coordinate| in noise units */
#define SL_ABS_MAX 1e300                    /* largest sqrt(d) |s_ij| */

/* Per-worker scratch. */
typedef struct sl_work {
    int64_t *g1, *g2;          /* n: lattice cells */
    double *d1, *d2;           /* n: offsets */
    double *a1, *z1, *z81;     /* n: factors of coordinate 1 */
    double *a2, *z2, *z82;     /* n: factors of coordinate 2 (q = 2) */
    size_t *ord, *fin, *fcl;   /* n: rows sorted, by input, by class */
    size_t *pin, *pcl;         /* m, ncls: next slot of each segment */
    size_t *cnt;               /* SL_RADIX: radix counters */
    int64_t *lg;               /* n: gathered line (q = 1) */
    double *la, *lz, *lz8;
    gcent__sl_line line;
    gcent__sl_plane plane;     /* q = 2 */
} sl_work;

struct gcent__sliced {
    gcent__opts o;             /* the options at creation */
    size_t m, k, d, q, n, slices;
    double beta;
    int with_y;                /* labels given */
    size_t ncls;               /* classes (1 without labels) */
    size_t *in_of;             /* n: input of row r (r / k) */
    size_t *cls_of;            /* n: class of row r */
    size_t *cstart;            /* ncls + 1: first slot of class c in the class family */
    double *py;                /* ncls: label frequencies */
    double *dirs;              /* slices q x d: row t q + j = column j of slice t */
    size_t block;              /* slices per projection block */
    double *proj;              /* block q x n */
    double *ix, *iy;           /* slices: per-slice results (nats) */
    gcent__sl_rule rule;
    size_t nworkers;
    sl_work *work;
};

/* ---- argument checks ---------------------------------------------------------------- */

int gcent__sliced_check_shape(gcent__err *e, size_t m, size_t k, size_t d, double beta,
                              size_t q, size_t slices, size_t *n)
{
    if (m == 0 || k == 0)
        return gcent__seterr(e, GCENT_EINVAL,
                             "m = %zu inputs and k = %zu draws must be >= 1", m, k);
    if (d == 0)
        return gcent__seterr(e, GCENT_EINVAL, "d = 0: the width must be >= 1");
    int ovf = 0;
    *n = gcent__mul(m, k, &ovf);
    if (ovf)
        return gcent__seterr(e, GCENT_ERANGE, "m * k = %zu * %zu overflows", m, k);
    int st = gcent__check_beta(e, beta);
    if (st != GCENT_OK)
        return st;
    if (q == 0)
        return gcent__seterr(e, GCENT_EINVAL, "q = 0: slices need 1 or 2 dimensions");
    if (q > 2)
        return gcent__seterr(e, GCENT_EUNSUPPORTED,
                             "q = %zu is not supported (q must be 1 or 2)", q);
    if (q > d)
        return gcent__seterr(e, GCENT_EINVAL, "q = %zu is larger than the width d = %zu", q,
                             d);
    if (slices == 0)
        return gcent__seterr(e, GCENT_EINVAL, "slices = 0: at least one is needed");
    if (slices > GCENT_SLICED_MAX_SLICES)
        return gcent__seterr(e, GCENT_ERANGE, "slices = %zu is above the maximum %u", slices,
                             GCENT_SLICED_MAX_SLICES);
    if (*n > (size_t)INT32_MAX || d > (size_t)INT32_MAX)
        return gcent__seterr(e, GCENT_ERANGE,
                             "m * k = %zu rows or d = %zu is above 2^31 - 1 (the BLAS integer)",
                             *n, d);
    return GCENT_OK;
}

/* The samples: pointer, stride, finite values, and the two range limits
 * (projections representable, coordinates in noise units below 2^48). */
static int check_samples(gcent__err *e, const double *s, size_t n, size_t d, size_t lds,
                         double beta)
{
    int st = gcent__check_samples(e, s, n, d, lds, NULL, beta);
    if (st != GCENT_OK)
        return st;
    if (lds > (size_t)INT32_MAX)
        return gcent__seterr(e, GCENT_ERANGE,
                             "row stride lds = %zu is above 2^31 - 1 (the BLAS integer)", lds);
    double amax = 0.0, hmax = 0.0; /* max |s_ij|, max |s_ij / 2 - s_0j / 2| */
    for (size_t i = 0; i < n; ++i) {
        const double *row = s + i * lds;
        for (size_t j = 0; j < d; ++j) {
            double a = fabs(row[j]), h = fabs(0.5 * row[j] - 0.5 * s[j]);
            amax = a > amax ? a : amax;
            hmax = h > hmax ? h : hmax;
        }
    }
    double sd = sqrt((double)d);
    if (!(amax * sd <= SL_ABS_MAX))
        return gcent__seterr(e, GCENT_ERANGE,
                             "|s| reaches %g: too large to project (sqrt(d) |s| must stay "
                             "below 1e300)", amax);
    /* |A^T (s_i - s_j)| <= 4 hmax sqrt(d), so the coordinates around the
     * middle of a slice, in noise units, stay below 2 hmax sqrt(d) / beta */
    if (!(2.0 * (hmax / beta) * sd <= SL_SPAN_MAX))
        return gcent__seterr(e, GCENT_ERANGE,
                             "beta = %g is too small for the spread of the rows (their "
                             "projections span more than 2^49 noise units)", beta);
    return GCENT_OK;
}

/* ---- creation ----------------------------------------------------------------------- */

static void work_free(sl_work *W)
{
    gcent__free(W->g1);
    gcent__free(W->g2);
    gcent__free(W->d1);
    gcent__free(W->d2);
    gcent__free(W->a1);
    gcent__free(W->z1);
    gcent__free(W->z81);
    gcent__free(W->a2);
    gcent__free(W->z2);
    gcent__free(W->z82);
    gcent__free(W->ord);
    gcent__free(W->fin);
    gcent__free(W->fcl);
    gcent__free(W->pin);
    gcent__free(W->pcl);
    gcent__free(W->cnt);
    gcent__free(W->lg);
    gcent__free(W->la);
    gcent__free(W->lz);
    gcent__free(W->lz8);
    gcent__sl_plane_free(&W->plane);
    memset(W, 0, sizeof *W); /* a second free is harmless */
}

static int work_init(sl_work *W, const gcent__sliced *P)
{
    memset(W, 0, sizeof *W);
    const size_t n = P->n, q = P->q;
    /* sizes were checked: n <= 2^31, so n * 8 bytes cannot overflow */
    const size_t nd = n * sizeof(double), nz = n * sizeof(size_t);
    W->g1 = gcent__malloc(n * sizeof(int64_t));
    W->d1 = gcent__malloc(nd);
    W->a1 = gcent__malloc(nd);
    W->z1 = gcent__malloc(nd);
    W->z81 = gcent__malloc(nd);
    W->ord = gcent__malloc(nz);
    W->fin = gcent__malloc(nz);
    W->fcl = gcent__malloc(nz);
    W->pin = gcent__malloc(P->m * sizeof(size_t));
    W->pcl = gcent__malloc(P->ncls * sizeof(size_t));
    W->cnt = gcent__malloc(SL_RADIX * sizeof(size_t));
    int ok = W->g1 && W->d1 && W->a1 && W->z1 && W->z81 && W->ord && W->fin && W->fcl &&
             W->pin && W->pcl && W->cnt;
    if (ok && q == 1) {
        W->lg = gcent__malloc(n * sizeof(int64_t));
        W->la = gcent__malloc(nd);
        W->lz = gcent__malloc(nd);
        W->lz8 = gcent__malloc(nd);
        ok = W->lg && W->la && W->lz && W->lz8;
    } else if (ok) {
        W->g2 = gcent__malloc(n * sizeof(int64_t));
        W->d2 = gcent__malloc(nd);
        W->a2 = gcent__malloc(nd);
        W->z2 = gcent__malloc(nd);
        W->z82 = gcent__malloc(nd);
        ok = W->g2 && W->d2 && W->a2 && W->z2 && W->z82 &&
             gcent__sl_plane_init(&W->plane, n) == GCENT_OK;
    }
    if (ok) {
        memset(W->line.buf, 0, sizeof W->line.buf);
        return GCENT_OK;
    }
    work_free(W);
    return GCENT_ENOMEM;
}

void gcent__sliced_free(gcent__sliced *P)
{
    if (P == NULL)
        return;
    if (P->work != NULL)
        for (size_t w = 0; w < P->nworkers; ++w)
            work_free(&P->work[w]);
    gcent__free(P->work);
    gcent__free(P->in_of);
    gcent__free(P->cls_of);
    gcent__free(P->cstart);
    gcent__free(P->py);
    gcent__free(P->dirs);
    gcent__free(P->proj);
    gcent__free(P->ix);
    gcent__free(P->iy);
    gcent__free(P);
}

/* The label layout: class of every row, class segments, frequencies. */
static int layout_init(gcent__sliced *P, const int *labels)
{
    const size_t m = P->m, k = P->k, n = P->n;
    gcent__labels g;
    memset(&g, 0, sizeof g);
    if (labels != NULL && gcent__labels_group(labels, m, &g) != GCENT_OK)
        return GCENT_ENOMEM;
    P->with_y = labels != NULL;
    P->ncls = labels ? g.ncls : 1;
    P->in_of = gcent__malloc(n * sizeof(size_t));
    P->cls_of = gcent__malloc(n * sizeof(size_t));
    P->cstart = gcent__malloc((P->ncls + 1) * sizeof(size_t));
    P->py = gcent__malloc(P->ncls * sizeof(double));
    if (!P->in_of || !P->cls_of || !P->cstart || !P->py) {
        gcent__labels_free(&g);
        return GCENT_ENOMEM;
    }
    for (size_t r = 0; r < n; ++r) {
        P->in_of[r] = r / k;
        P->cls_of[r] = labels ? g.cls[r / k] : 0;
    }
    for (size_t c = 0; c <= P->ncls; ++c)
        P->cstart[c] = labels ? g.start[c] * k : (c ? n : 0);
    for (size_t c = 0; c < P->ncls; ++c)
        P->py[c] = (double)(P->cstart[c + 1] - P->cstart[c]) / (double)n;
    gcent__labels_free(&g);
    return GCENT_OK;
}

/* Drawing the directions: per-worker LAPACK workspace. */
typedef struct {
    gcent__sliced *P;
    uint64_t seed;
    size_t lwork;
    double *ws;                /* nworkers x (q + lwork) */
} dir_job;

static int dir_chunk(void *arg, size_t chunk, size_t worker)
{
    dir_job *J = arg;
    gcent__sliced *P = J->P;
    const size_t d = P->d, q = P->q;
    double *tau = J->ws + worker * (q + J->lwork), *work = tau + q;
    size_t t1 = (chunk + 1) * SL_DIR_CHUNK < P->slices ? (chunk + 1) * SL_DIR_CHUNK : P->slices;
    for (size_t t = chunk * SL_DIR_CHUNK; t < t1; ++t) {
        double *a = P->dirs + t * q * d; /* column-major d x q */
        gcent_rng_normals(J->seed, ((uint64_t)GCENT__STREAM_SLICED << 32) + t, 0, d * q, a);
        if (gcent__orthonormalize(d, q, a, tau, work, J->lwork) != GCENT_OK)
            return GCENT_ELINALG;
    }
    return GCENT_OK;
}

static int directions(gcent__sliced *P, gcent__pool *pool)
{
    dir_job J;
    J.P = P;
    J.seed = P->o.seed;
    J.lwork = gcent__orthonormalize_work(P->d, P->q);
    if (J.lwork == 0)
        return GCENT_ELINALG;
    size_t nchunks = (P->slices + SL_DIR_CHUNK - 1) / SL_DIR_CHUNK;
    J.ws = gcent__malloc(P->nworkers * (P->q + J.lwork) * sizeof(double));
    if (J.ws == NULL)
        return GCENT_ENOMEM;
    int st = gcent__pool_run(pool, NULL, nchunks, dir_chunk, &J);
    gcent__free(J.ws);
    return st;
}

int gcent__sliced_create(const gcent__opts *o, gcent__pool *pool, size_t m, size_t k, size_t d,
                         const int *labels, double beta, size_t q, size_t slices,
                         gcent__err *e, gcent__sliced **out)
{
    const size_t n = m * k; /* checked by gcent__sliced_check_shape */
    gcent__sliced *P = gcent__calloc(1, sizeof *P);
    if (P == NULL)
        return gcent__seterr(e, GCENT_ENOMEM, "out of memory");
    P->o = *o;
    P->m = m;
    P->k = k;
    P->d = d;
    P->q = q;
    P->n = n;
    P->slices = slices;
    P->beta = beta;
    gcent__sl_rule_init(&P->rule);
    P->nworkers = gcent__pool_size(pool);
    size_t block = SL_BLOCK_DOUBLES / (q * n);
    if (block < P->nworkers)
        block = P->nworkers;
    P->block = block < slices ? block : slices;

    /* slices * q * d and block * q * n doubles */
    int ovf = 0;
    size_t ndir = gcent__mul(gcent__mul(slices * q, d, &ovf), sizeof(double), &ovf);
    size_t nproj = gcent__mul(gcent__mul(P->block * q, n, &ovf), sizeof(double), &ovf);
    if (ovf) {
        gcent__sliced_free(P);
        return gcent__seterr(e, GCENT_ERANGE, "%zu slices of width %zu are too many", slices,
                             d);
    }
    int st = layout_init(P, labels);
    if (st == GCENT_OK) {
        P->dirs = gcent__malloc(ndir);
        P->proj = gcent__malloc(nproj);
        P->ix = gcent__malloc(slices * sizeof(double));
        P->iy = gcent__malloc(slices * sizeof(double));
        P->work = gcent__calloc(P->nworkers, sizeof *P->work);
        if (!P->dirs || !P->proj || !P->ix || !P->iy || !P->work)
            st = GCENT_ENOMEM;
    }
    for (size_t w = 0; st == GCENT_OK && w < P->nworkers; ++w)
        st = work_init(&P->work[w], P);
    if (st == GCENT_OK)
        st = directions(P, pool);
    if (st != GCENT_OK) {
        gcent__sliced_free(P);
        if (st == GCENT_ENOMEM)
            return gcent__seterr(e, st, "out of memory (m k = %zu rows, d = %zu, %zu slices)",
                                 n, d, slices);
        return gcent__seterr(e, st, "the QR factorisation of a slice direction failed");
    }
    *out = P;
    return GCENT_OK;
}

uint64_t gcent__sliced_units(const gcent__sliced *S) { return S->slices; }

/* ---- one slice ------------------------------------------------------------------------ */

/* Coordinates in noise units around the middle of the projections p:
 * lattice cells g and offsets; *gmin, *gmax: the extreme cells. */
static void coords(const double *p, size_t n, double beta, int64_t *g, double *delta,
                   int64_t *gmin, int64_t *gmax)
{
    double lo = p[0], hi = p[0];
    for (size_t r = 1; r < n; ++r) {
        lo = p[r] < lo ? p[r] : lo;
        hi = p[r] > hi ? p[r] : hi;
    }
    const double mid = 0.5 * lo + 0.5 * hi;
    for (size_t r = 0; r < n; ++r)
        g[r] = gcent__sl_cell((p[r] - mid) / beta, &delta[r]);
    double dd;
    *gmin = gcent__sl_cell((lo - mid) / beta, &dd); /* the cell is monotone in p */
    *gmax = gcent__sl_cell((hi - mid) / beta, &dd);
}

/* Stable LSD radix sort of the rows `in` (NULL: 0 .. n-1) by key g - gmin,
 * keys <= span, 16-bit digits (one counting pass when span < 2^16); result
 * in out. tmp: n scratch; in, out and tmp distinct. */
static void radix_sort(const int64_t *g, int64_t gmin, uint64_t span, const size_t *in,
                       size_t n, size_t *out, size_t *tmp, size_t *cnt)
{
    unsigned passes = 1;
    while (passes < 4 && (span >> (16 * passes)) != 0)
        ++passes;
    const size_t *src = in;
    for (unsigned p = 0; p < passes; ++p) {
        const unsigned sh = 16 * p;
        const size_t nb = passes == 1 ? (size_t)span + 1 : SL_RADIX;
        size_t *dst = (passes - 1 - p) % 2 == 0 ? out : tmp;
        memset(cnt, 0, nb * sizeof *cnt);
        for (size_t i = 0; i < n; ++i) {
            size_t r = src ? src[i] : i;
            cnt[((uint64_t)(g[r] - gmin) >> sh) & 0xFFFFu]++;
        }
        size_t sum = 0;
        for (size_t b = 0; b < nb; ++b) {
            size_t c = cnt[b];
            cnt[b] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; ++i) {
            size_t r = src ? src[i] : i;
            dst[cnt[((uint64_t)(g[r] - gmin) >> sh) & 0xFFFFu]++] = r;
        }
        src = dst;
    }
}

typedef struct {
    gcent__sliced *P;
    size_t b0;                 /* first slice of the block */
} slice_job;

/* Entropy (nats, noise units) of the mixture of the cnt rows `rows`,
 * sorted by cell. */
static double seg_entropy(const gcent__sliced *P, sl_work *W, const size_t *rows, size_t cnt)
{
    const double hq = 0.5 * (double)P->q * (GCENT__LN2PI + 1.0);
    if (cnt == 1)
        return hq; /* one unit normal */
    if (P->q == 1) {
        for (size_t e = 0; e < cnt; ++e) {
            size_t r = rows[e];
            W->lg[e] = W->g1[r];
            W->la[e] = W->a1[r];
            W->lz[e] = W->z1[r];
            W->lz8[e] = W->z81[r];
        }
        const double c = 1.0 / ((double)cnt * sqrt(2.0 * GCENT__PI));
        return GCENT__SL_H * gcent__sl_line_sum(&P->rule, &W->line, W->lg, W->la, W->lz,
                                                W->lz8, cnt, c, log(c));
    }
    const gcent__sl_pts2 pts = {W->g1, W->g2, W->d1, W->z1, W->a2, W->z2, W->z82};
    const double c = 1.0 / ((double)cnt * 2.0 * GCENT__PI);
    return GCENT__SL_H * GCENT__SL_H *
           gcent__sl_plane_sum(&P->rule, &W->line, &W->plane, &pts, rows, cnt, c, log(c));
}

static int slice_chunk(void *arg, size_t chunk, size_t worker)
{
    slice_job *J = arg;
    gcent__sliced *P = J->P;
    sl_work *W = &P->work[worker];
    const size_t n = P->n, k = P->k, m = P->m, q = P->q, t = J->b0 + chunk;
    const double *p1 = P->proj + chunk * q * n;

    /* cells, offsets, factors; rows sorted by cell (q = 2: by (g1, g2)) */
    int64_t lo1, hi1, lo2, hi2;
    coords(p1, n, P->beta, W->g1, W->d1, &lo1, &hi1);
    if (q == 1) {
        gcent__sl_factors(W->d1, n, W->a1, W->z1, W->z81);
        radix_sort(W->g1, lo1, (uint64_t)(hi1 - lo1), NULL, n, W->ord, W->fin, W->cnt);
    } else {
        coords(p1 + n, n, P->beta, W->g2, W->d2, &lo2, &hi2);
        gcent__sl_factors(W->d1, n, W->a1, W->z1, W->z81);
        gcent__sl_factors(W->d2, n, W->a2, W->z2, W->z82);
        radix_sort(W->g2, lo2, (uint64_t)(hi2 - lo2), NULL, n, W->fin, W->fcl, W->cnt);
        radix_sort(W->g1, lo1, (uint64_t)(hi1 - lo1), W->fin, n, W->ord, W->fcl, W->cnt);
    }

    /* the segments of the inputs and of the classes, in sorted order */
    const int need_x = k > 1, need_y = P->with_y && P->ncls > 1;
    if (need_x || need_y) {
        for (size_t i = 0; i < m; ++i)
            W->pin[i] = i * k;
        for (size_t c = 0; c < P->ncls; ++c)
            W->pcl[c] = P->cstart[c];
        for (size_t e = 0; e < n; ++e) {
            size_t r = W->ord[e];
            if (need_x)
                W->fin[W->pin[P->in_of[r]]++] = r;
            if (need_y)
                W->fcl[W->pcl[P->cls_of[r]]++] = r;
        }
    }

    const double hq = 0.5 * (double)q * (GCENT__LN2PI + 1.0);
    const double hall = seg_entropy(P, W, W->ord, n);
    double hx = hq; /* k = 1: every conditional is one unit normal */
    if (need_x) {
        gcent__sum s = {0.0, 0.0};
        for (size_t i = 0; i < m; ++i)
            gcent__sum_add(&s, seg_entropy(P, W, W->fin + i * k, k));
        hx = gcent__sum_get(&s) / (double)m;
    }
    double hy = hall; /* one class: I(Y; A^T T) = 0 */
    if (need_y) {
        gcent__sum s = {0.0, 0.0};
        for (size_t c = 0; c < P->ncls; ++c)
            gcent__sum_add(&s, P->py[c] * seg_entropy(P, W, W->fcl + P->cstart[c],
                                                      P->cstart[c + 1] - P->cstart[c]));
        hy = gcent__sum_get(&s);
    }
    P->ix[t] = hall - hx;
    P->iy[t] = hall - hy;
    return GCENT_OK;
}

/* Mean and standard error of x[0 .. n) (in order, compensated). */
static void mean_se(const double *x, size_t n, double *mean, double *se)
{
    const double mu = gcent__ordered_sum(x, n) / (double)n;
    gcent__sum s = {0.0, 0.0};
    for (size_t i = 0; i < n; ++i)
        gcent__sum_add(&s, (x[i] - mu) * (x[i] - mu));
    *mean = mu;
    *se = n > 1 ? sqrt(gcent__sum_get(&s) / (double)(n - 1) / (double)n) : INFINITY;
}

/* Execution on samples already checked. */
static int execute(gcent__sliced *P, gcent__pool *pool, const double *s, size_t lds,
                   gcent__progress *p, gcent__err *e, gcent_sliced_mi *out)
{
    int st = GCENT_OK;
    const size_t q = P->q;
    for (size_t b0 = 0; b0 < P->slices && st == GCENT_OK; b0 += P->block) {
        size_t nb = P->slices - b0 < P->block ? P->slices - b0 : P->block;
        st = gcent__gemm_abt(nb * q, P->n, P->d, P->dirs + b0 * q * P->d, P->d, s, lds,
                             P->proj, P->n);
        if (st != GCENT_OK) {
            st = gcent__seterr(e, st, "sizes out of the BLAS range");
            break;
        }
        slice_job J = {P, b0};
        st = gcent__pool_run(pool, p, nb, slice_chunk, &J);
    }
    if (st == GCENT_OK)
        st = gcent__progress_finish(p);
    if (st != GCENT_OK)
        return st;
    double mx, sx, my, sy;
    mean_se(P->ix, P->slices, &mx, &sx);
    mean_se(P->iy, P->slices, &my, &sy);
    const double lb = P->o.log_base;
    out->ixt.value = gcent__to_base(lb, mx);
    out->ixt.se = gcent__to_base(lb, sx);
    if (!P->with_y) {
        out->iyt.value = NAN;
        out->iyt.se = NAN;
    } else if (P->ncls == 1) {
        out->iyt.value = 0.0;
        out->iyt.se = 0.0;
    } else {
        out->iyt.value = gcent__to_base(lb, my);
        out->iyt.se = gcent__to_base(lb, sy);
    }
    return GCENT_OK;
}

int gcent__sliced_execute(gcent__sliced *S, gcent__pool *pool, const double *s, size_t lds,
                          gcent__progress *p, gcent__err *e, gcent_sliced_mi *out)
{
    if (out == NULL)
        return gcent__seterr(e, GCENT_EINVAL, "the output pointer is NULL");
    int st = check_samples(e, s, S->n, S->d, lds, S->beta);
    if (st != GCENT_OK)
        return st;
    return execute(S, pool, s, lds, p, e, out);
}

/* ---- public ------------------------------------------------------------------------------ */

int gcent_sliced_mi_layer(gcent_ctx *ctx, const double *s, size_t m, size_t k, size_t d,
                          size_t lds, const int *labels, double beta, size_t q, size_t slices,
                          gcent_sliced_mi *out)
{
    if (ctx == NULL)
        return GCENT_EINVAL;
    gcent__begin(ctx, "gcent_sliced_mi_layer");
    gcent__err *e = &ctx->err;
    if (out == NULL)
        return gcent__seterr(e, GCENT_EINVAL, "out is NULL");
    size_t n = 0;
    int st = gcent__sliced_check_shape(e, m, k, d, beta, q, slices, &n);
    if (st == GCENT_OK) /* before anything is allocated */
        st = check_samples(e, s, n, d, lds, beta);
    if (st != GCENT_OK)
        return st;
    size_t nw = gcent__nthreads(ctx->o.threads);
    gcent__pool *pool = NULL;
    if (gcent__pool_create(&pool, nw < slices ? nw : slices) != GCENT_OK)
        return gcent__seterr(e, GCENT_ENOMEM, "out of memory for a thread pool");
    gcent__sliced *S = NULL;
    st = gcent__sliced_create(&ctx->o, pool, m, k, d, labels, beta, q, slices, e, &S);
    if (st == GCENT_OK) {
        gcent__progress p;
        gcent__progress_init(&p, ctx->progress, ctx->progress_user, e, gcent__sliced_units(S));
        st = execute(S, pool, s, lds, &p, e, out);
    }
    gcent__sliced_free(S);
    gcent__pool_free(pool);
    return st;
}

int gcent_plan_sliced_mi_layer(gcent_ctx *ctx, size_t m, size_t k, size_t d, const int *labels,
                               double beta, size_t q, size_t slices, gcent_plan **out)
{
    if (ctx == NULL)
        return GCENT_EINVAL;
    gcent__begin(ctx, "gcent_plan_sliced_mi_layer");
    if (out == NULL)
        return gcent__fail(ctx, GCENT_EINVAL, "out is NULL");
    size_t n = 0;
    int st = gcent__sliced_check_shape(&ctx->err, m, k, d, beta, q, slices, &n);
    if (st != GCENT_OK)
        return st;
    /* the work is slices, each a whole computation: workers up to the slices */
    size_t nw = gcent__nthreads(ctx->o.threads);
    gcent_plan *pl = NULL;
    st = gcent__plan_new(ctx, GCENT__PLAN_SLICED, n, d, beta, nw < slices ? nw : slices, &pl);
    if (st != GCENT_OK)
        return st;
    pl->m = m;
    pl->k = k;
    st = gcent__sliced_create(&pl->o, pl->pool, m, k, d, labels, beta, q, slices, &ctx->err,
                              &pl->sliced);
    if (st != GCENT_OK) {
        gcent_plan_free(pl);
        return st;
    }
    *out = pl;
    return GCENT_OK;
}

int gcent_plan_execute_sliced_mi(gcent_plan *plan, const double *s, size_t lds,
                                 gcent_sliced_mi *out)
{
    if (plan == NULL)
        return GCENT_EINVAL;
    gcent__err_begin(&plan->err, "gcent_plan_execute_sliced_mi");
    if (plan->kind != GCENT__PLAN_SLICED)
        return gcent__seterr(&plan->err, GCENT_EINVAL, "the plan was made by %s, not %s",
                             gcent__plan_maker(plan->kind),
                             gcent__plan_maker(GCENT__PLAN_SLICED));
    gcent__progress p;
    gcent__progress_init(&p, plan->progress, plan->progress_user, &plan->err,
                         gcent__sliced_units(plan->sliced));
    return gcent__sliced_execute(plan->sliced, plan->pool, s, lds, &p, &plan->err, out);
}
