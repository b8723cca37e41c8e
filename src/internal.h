/* libgcent internals: shared by the files of src/ only, never installed.
 * Names: gcent__x for non-static internals (hidden by -fvisibility=hidden). */
#ifndef GCENT_INTERNAL_H
#define GCENT_INTERNAL_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include "gcent.h"

#if defined(__GNUC__)
#  define GCENT__PRINTF(a, b) __attribute__((format(printf, a, b)))
#  define GCENT__HIDDEN __attribute__((visibility("hidden")))
#else
#  define GCENT__PRINTF(a, b)
#  define GCENT__HIDDEN
#endif

/* Constants (M_E and friends are not in strict C11). */
#define GCENT__E 2.718281828459045235360287471352662498
#define GCENT__PI 3.141592653589793238462643383279502884
#define GCENT__LN2PI 1.837877066409345483560659472811235279   /* ln(2 pi) */

/* ---- context ------------------------------------------------------------ */

#define GCENT__ERRMSG_LEN 256
#define GCENT__DEFAULT_DRAWS 16u
#define GCENT__DEFAULT_QUAD_TOL 1e-11
#define GCENT__DEFAULT_PRUNE_TOL 1e-12

struct gcent_ctx {
    uint64_t seed;            /* GCENT_OPT_SEED */
    uint32_t draws;           /* GCENT_OPT_MC_DRAWS (>= 1) */
    uint32_t threads;         /* GCENT_OPT_THREADS (0 = all cores) */
    double log_base;          /* GCENT_OPT_LOG_BASE (> 0, != 1) */
    int method;               /* GCENT_OPT_METHOD */
    double quad_tol;          /* GCENT_OPT_QUAD_TOL */
    int prune;                /* GCENT_OPT_PRUNE */
    double prune_tol;         /* GCENT_OPT_PRUNE_TOL */
    double bin_origin;        /* GCENT_OPT_BIN_ORIGIN */
    gcent_progress_fn progress;
    void *progress_user;
    char errmsg[GCENT__ERRMSG_LEN];
};

/* Record a one-line reason and return status (negative). Never prints. */
GCENT__HIDDEN int gcent__fail(gcent_ctx *ctx, int status, const char *fmt, ...)
    GCENT__PRINTF(3, 4);
/* Clear the error message at the start of a public call. */
GCENT__HIDDEN void gcent__clear(gcent_ctx *ctx);
/* Convert nats to the context's log base. */
GCENT__HIDDEN double gcent__to_base(const gcent_ctx *ctx, double nats);
/* Number of worker threads a call may use (>= 1). */
GCENT__HIDDEN size_t gcent__nthreads(const gcent_ctx *ctx);

/* ---- allocation (single hook point for failure injection) --------------- */

GCENT__HIDDEN void *gcent__malloc(size_t size);
GCENT__HIDDEN void *gcent__calloc(size_t count, size_t size);
GCENT__HIDDEN void gcent__free(void *p);
#ifdef GCENT_TEST_ALLOC_HOOK
/* Test build only: fail allocation number fail_at (1-based; 0 = never) from
 * now on, and count the allocations attempted. */
void gcent__test_alloc_reset(unsigned long long fail_at);
unsigned long long gcent__test_alloc_count(void);
#endif
/* count * size, or 0 with *ovf = 1 on overflow. */
GCENT__HIDDEN size_t gcent__mul(size_t count, size_t size, int *ovf);

/* ---- input validation ---------------------------------------------------- */

/* Pointer, n >= 1, d >= 1, lds >= d, and (n - 1) * lds + d doubles addressable. */
GCENT__HIDDEN int gcent__check_shape(gcent_ctx *ctx, const double *s, size_t n, size_t d,
                                     size_t lds);
/* Every one of the n x d values finite (padding not read). */
GCENT__HIDDEN int gcent__check_finite(gcent_ctx *ctx, const double *s, size_t n, size_t d,
                                      size_t lds);
/* Checks ctx, s, n, d, lds, w, beta as documented in gcent/entropy.h.
 * Returns GCENT_OK or the failure status (errmsg set). */
GCENT__HIDDEN int gcent__check_samples(gcent_ctx *ctx, const double *s, size_t n,
                                       size_t d, size_t lds, const double *w,
                                       double beta);

/* ---- progress and parallel execution ------------------------------------- */

/* Progress of one public call, which may have several phases. Units are
 * chunks of roughly equal work; total is fixed before the first phase. */
typedef struct gcent__progress {
    gcent_ctx *ctx;
    uint64_t done;            /* units finished by earlier phases */
    uint64_t total;           /* units of the whole call */
    uint64_t reported;        /* last done reported, UINT64_MAX before the first */
} gcent__progress;

GCENT__HIDDEN void gcent__progress_init(gcent__progress *p, gcent_ctx *ctx,
                                        uint64_t total);
/* Report done units (from the calling thread). Returns GCENT_ECANCELED
 * (errmsg set) if the callback asked to stop, GCENT_OK otherwise. */
GCENT__HIDDEN int gcent__progress_report(gcent__progress *p, uint64_t done);
/* The final report, done == total, unless it was already made. */
GCENT__HIDDEN int gcent__progress_finish(gcent__progress *p);

/* A unit of parallel work: process chunk `chunk` using worker slot `worker`
 * (0 <= worker < nworkers, for per-worker scratch). Returns GCENT_OK or a
 * negative status. Must not depend on which worker runs it. */
typedef int (*gcent__chunk_fn)(void *arg, size_t chunk, size_t worker);

/* Run chunks 0..nchunks-1 on up to nworkers threads (the calling thread is
 * worker 0 and reports progress: p->done + chunks finished). Stops early on
 * the first failure or on cancellation. p may be NULL (no reporting).
 * On return p->done has advanced by nchunks if all went well. */
GCENT__HIDDEN int gcent__parallel(gcent__progress *p, size_t nchunks, size_t nworkers,
                                  gcent__chunk_fn fn, void *arg);

/* Neumaier compensated summation: add terms in a fixed order with
 * gcent__sum_add; the total is gcent__sum_get. */
typedef struct gcent__sum {
    double s, c;
} gcent__sum;

static inline void gcent__sum_add(gcent__sum *k, double x)
{
    double t = k->s + x;
    k->c += fabs(k->s) >= fabs(x) ? (k->s - t) + x : (x - t) + k->s;
    k->s = t;
}

static inline double gcent__sum_get(const gcent__sum *k) { return k->s + k->c; }

/* Sum of x[0..n-1] in index order with Neumaier compensation: the fixed-order
 * reduction that makes results independent of the thread count. */
GCENT__HIDDEN double gcent__ordered_sum(const double *x, size_t n);

/* ---- labels ---------------------------------------------------------------- */

/* Inputs grouped by label: classes are the distinct label values in
 * increasing order; order[start[c] .. start[c+1]) are the inputs of class c,
 * in input order; cls[i] is the class of input i. */
typedef struct gcent__labels {
    size_t ncls;
    size_t *order;  /* m */
    size_t *start;  /* ncls + 1 */
    size_t *cls;    /* m */
} gcent__labels;

/* Returns GCENT_OK or GCENT_ENOMEM (nothing allocated then; no message). */
GCENT__HIDDEN int gcent__labels_group(const int *labels, size_t m, gcent__labels *g);
GCENT__HIDDEN void gcent__labels_free(gcent__labels *g);

/* gcent_binned_entropy with the row hash masked to hash_mask: the public
 * function uses UINT64_MAX; tests use a few bits to force collisions and
 * check that the result stays exact. */
GCENT__HIDDEN int gcent__binned_entropy_masked(gcent_ctx *ctx, const double *t, size_t n,
                                               size_t d, size_t ldt, double width,
                                               uint64_t hash_mask, double *out);

/* ---- random numbers ------------------------------------------------------- */

/* Stream tags (high 32 bits of the stream number). */
#define GCENT__STREAM_ENTROPY_MC 1u

/* The d normals of noise vector (row, draw): variates row * 2*ceil(d/2) ..
 * of stream (tag << 32) + draw. */
GCENT__HIDDEN void gcent__noise_vector(uint64_t seed, uint32_t tag, uint64_t row,
                                       uint32_t draw, size_t d, double *z);

/* ---- the mixture kernel ---------------------------------------------------- */

/* A Gaussian mixture in scaled coordinates u = (s - c) / beta, so that every
 * component is N(u_j, I_d). Only centres with positive weight are kept. */
typedef struct gcent__mix {
    size_t n;        /* centres kept (positive weight) */
    size_t d;
    double *ut;      /* d x n, structure of arrays: ut[k * n + j] */
    double *logw;    /* n: log w_j (finite) */
    double *w;       /* n: w_j > 0 */
    size_t *index;   /* n: row of the caller's array each centre came from */
    double hw;       /* H(w) in nats, over the kept centres */
} gcent__mix;

/* The query of row i moved by the noise vector z: q = u_i + z; returns
 * |z|^2 (summed in coordinate order). */
static inline double gcent__noisy_query(const gcent__mix *m, size_t i, const double *z,
                                        double *q)
{
    double z2 = 0.0;
    for (size_t k = 0; k < m->d; ++k) {
        q[k] = m->ut[k * m->n + i] + z[k];
        z2 += z[k] * z[k];
    }
    return z2;
}

/* Build from the caller's samples (already validated). Zero weights dropped.
 * Returns GCENT_OK, GCENT_ENOMEM or GCENT_ERANGE (beta too small for the
 * spread: scaled coordinates beyond 1e150), errmsg set on failure. */
GCENT__HIDDEN int gcent__mix_init(gcent_ctx *ctx, gcent__mix *m, const double *s,
                                  size_t n, size_t d, size_t lds, const double *w,
                                  double beta);
/* The same with the rows taken in the order rows[0..n-1] (NULL: 0..n-1); w is
 * indexed by the caller's row numbers; m->index holds them. */
GCENT__HIDDEN int gcent__mix_init_rows(gcent_ctx *ctx, gcent__mix *m, const double *s,
                                       const size_t *rows, size_t n, size_t d, size_t lds,
                                       const double *w, double beta);
/* Copy of centres [lo, hi) of a mixture, weights renormalised. Returns
 * GCENT_OK, GCENT_ENOMEM or GCENT_ERANGE; no message. */
GCENT__HIDDEN int gcent__mix_sub(const gcent__mix *full, size_t lo, size_t hi,
                                 gcent__mix *sub);
GCENT__HIDDEN void gcent__mix_free(gcent__mix *m);

/* Scratch doubles one call of gcent__mix_logratio needs. */
#define GCENT__MIX_BLOCK 256

/* log sum_{j in [lo, hi), j != skip} exp(logw_j - a |q - u_j|^2 - shift): a
 * blocked log-sum-exp with a running maximum, no overflow or underflow. Terms
 * below exp(-708) of the running maximum are flushed. Returns -inf when the
 * range is empty or every term is -inf. buf: GCENT__MIX_BLOCK doubles of
 * scratch. skip = SIZE_MAX for none. */
GCENT__HIDDEN double gcent__mix_lse(const gcent__mix *m, const double *q, double a,
                                    double shift, size_t lo, size_t hi, size_t skip,
                                    double *buf);
/* log(1 + e^x) and log(e^x + e^y), without overflow and accurate when small. */
GCENT__HIDDEN double gcent__softplus(double x);
GCENT__HIDDEN double gcent__logaddexp(double x, double y);

/* log(1 + sum_{j != skip} exp(logw_j - a |q - u_j|^2 - shift)) over all centres:
 * the log of the self-normalised sum R of the estimators. */
static inline double gcent__mix_logratio(const gcent__mix *m, const double *q, double a,
                                         double shift, size_t skip, double *buf)
{
    return gcent__softplus(gcent__mix_lse(m, q, a, shift, 0, m->n, skip, buf));
}

/* log sum_{j in [lo, hi)} w_j exp(-|q - u_j|^2 / 2) = log g_u(q) + (d/2) log(2 pi). */
static inline double gcent__mix_logdens(const gcent__mix *m, const double *q, size_t lo,
                                        size_t hi, double *buf)
{
    return gcent__mix_lse(m, q, 0.5, 0.0, lo, hi, SIZE_MAX, buf);
}

/* ---- the packed kernel: fused distance + exp-sum, pruned ------------------ */

/* Centres per block (two 8-lane vectors): the unit of pruning. */
#define GCENT__PK_BLK 16
/* Pruning is used up to this many dimensions (the bounding-box test keeps a
 * padded copy of the query on the stack); above it the pack is dense. */
#define GCENT__PK_DMAX 256
/* The kernel clamps exponents (relative to the query's shift) at this level,
 * far below where the linear-space sums could overflow, and signals a query
 * whose sums reach e^(GCENT__PK_EMAX - 1), as one with a clamped term would:
 * callers redo that query in log space (gcent__mix_lse). */
#define GCENT__PK_EMAX 600.0


/* A copy of a mixture laid out for gcent__pack_sums: centres in segments
 * (classes; one segment without labels) starting at block boundaries, each
 * segment padded with zero-weight centres to whole blocks, in k-d order
 * (every split of the k-d tree falls on a block boundary). With pruning the
 * tree's nodes have bounding boxes. Memory O(n d). */
typedef struct gcent__pack {
    size_t n, npad, d;  /* centres, padded length (multiple of GCENT__PK_BLK) */
    double *u;          /* npad x d, by block: see gcent__pk_at */
    double *lw;         /* npad: log w (-inf for padding) */
    double *grp;        /* npad: group (input) id, -1 for padding; NULL: none */
    size_t *pos;        /* n: packed position of mixture centre i */
    /* With exact duplicates merged (entropy with pruning): the log of the
     * weight the query of centre i keeps at its packed position (its
     * duplicates' weight; -inf for none); NULL when nothing was merged. */
    double *self_lw;
    size_t nseg;
    size_t *seg;        /* nseg + 1: first block of each segment, then nblk */
    size_t nblk;
    /* With pruning: the k-d tree over the blocks of each segment (node
     * seg_root[s] is segment s's root), its nodes' bounding boxes (lower
     * corner, upper corner: 2d doubles each); NULL when dense. */
    size_t nnode, dpad;    /* dpad: d rounded up to 8 (boxes and queries) */
    struct gcent__pk_node {
        size_t blo, bhi;       /* blocks [blo, bhi) */
        size_t left, right;    /* children, SIZE_MAX for a leaf */
    } *node;
    double *box;
    size_t *seg_root;
    double logtol;      /* log of the pruning tolerance */
    /* Terms below e^flush of the query's shift (the self term, 1, in every
     * use) count 0: flush = -(37 + ln n), so that together they are below
     * e^-37 = 8.5e-17, under the rounding of 1 + sum. A block whose 16
     * terms are all below it skips the exponentials. */
    double flush;
    /* A query's sums are used only below this, e^(GCENT__PK_EMAX - 1): the
     * kernel counts an exponent above GCENT__PK_EMAX as GCENT__PK_EMAX, so
     * a smaller total proves that none was (see gcent__pack_sums). */
    double sum_top;
} gcent__pack;

/* Build from m. seg_first (nseg + 1 centre indices of m, increasing, from 0
 * to m->n; NULL for one segment) splits the centres into segments; group
 * (n ids, NULL for none) labels centres for the own-group split; tol > 0
 * asks for pruning with that absolute tolerance (nats), tol = 0 gives the
 * dense computation. Pruning is kept only where it pays: a fixed sample of
 * queries (centres with their typical noise) must skip most of the blocks
 * (see kernel.c); otherwise the pack is dense. The choice is a function of
 * the data alone. force = 1 keeps pruning regardless (tests). With
 * pruning, one segment and no groups, exact duplicate centres are merged
 * into one of summed weight (see self_lw). P->n is the number of packed
 * (distinct) centres; pos has m->n entries. The centres of each segment are in k-d order either
 * way, so that the centres of a vector are close together. Returns GCENT_OK, GCENT_ENOMEM or
 * GCENT_ERANGE; no message. */
GCENT__HIDDEN int gcent__pack_init(gcent__pack *P, const gcent__mix *m, const size_t *seg_first,
                                   size_t nseg, const size_t *group, double tol, int force);
GCENT__HIDDEN void gcent__pack_free(gcent__pack *P);
/* A k-d split key: a coordinate and the centre number, ordered by
 * (key, idx), a total order on distinct centres. */
typedef struct {
    double key;
    size_t idx;
} gcent__kd_key;
/* Rearranges v[0, len) (distinct by idx) so that v[0, k) holds its k
 * smallest: quickselect, then a full sort of what is left after `rounds`
 * partitioning rounds (the k-d build passes 2 log2(len) + 8, so the worst
 * case is O(len log len)). */
GCENT__HIDDEN void gcent__kd_select(gcent__kd_key *v, size_t len, size_t k, size_t rounds);
/* Index in P->u of coordinate k of packed centre j: each block's 16 x d
 * coordinates are contiguous, coordinate-major within the block, so a block
 * is read as one sequential stream. */
static inline size_t gcent__pk_at(const gcent__pack *P, size_t j, size_t k)
{
    return ((j / GCENT__PK_BLK) * P->d + k) * GCENT__PK_BLK + j % GCENT__PK_BLK;
}

/* One query of gcent__pack_sums: the terms are
 * exp(lw_j - a |q - u_j|^2 - shift); at packed position skip the log weight
 * skip_lw replaces lw_j (-inf: the term is left out). With own_seg a segment
 * number, the terms of that segment go to slot 0 when grp_j == own and to
 * slot 1 otherwise; every other term goes to slot 2. own_seg = SIZE_MAX: all
 * terms to slot 2. */
typedef struct gcent__query {
    const double *q;
    double a, shift;
    size_t skip;
    double skip_lw;
    size_t own_seg;
    double own;
    size_t *blocks;     /* if not NULL: += blocks evaluated (not pruned), */
    size_t *nodes;      /* += tree nodes tested (with blocks) */
} gcent__query;

/* The three slot sums (terms below e^flush count 0; with pruning, blocks
 * whose terms together are at most tol (the pack's) are skipped, so every sum
 * is low by at most tol in all). Returns 0, or +inf when some exponent may
 * have passed GCENT__PK_EMAX (the total of the sums reached
 * P->sum_top): the sums are then not to be used, and callers redo the query
 * in log space (they test the value against GCENT__PK_EMAX). Bit-identical
 * on every instruction set (AVX-512, AVX2+FMA, portable with fma()). */
GCENT__HIDDEN double gcent__pack_sums(const gcent__pack *P, const gcent__query *Q,
                                      double out[3]);
/* The same on a given instruction set (0 portable, 1 AVX2+FMA, 2 AVX-512F),
 * for tests; returns NAN if the CPU lacks it. */
GCENT__HIDDEN double gcent__pack_sums_isa(int isa, const gcent__pack *P,
                                          const gcent__query *Q, double out[3]);
/* Highest instruction set of gcent__pack_sums_isa this CPU runs. */
GCENT__HIDDEN int gcent__pack_isa(void);

/* Queries per batch of gcent__pack_sums_batch. */
#define GCENT__PK_QB 32

/* Queries per batch in d dimensions: GCENT__PK_QB, fewer when the batch's
 * coordinates would pass 512 KiB. */
static inline size_t gcent__pk_qb(size_t d)
{
    size_t q = d > 0 ? 65536 / d : GCENT__PK_QB;
    return q < 1 ? 1 : q > GCENT__PK_QB ? GCENT__PK_QB : q;
}

/* Per-worker scratch of gcent__pack_sums_batch for one pack (allocated
 * before the parallel loop: nothing is allocated per query). */
typedef struct gcent__pk_work {
    size_t run;         /* blocks per cache run */
    struct gcent__pk_unit {
        size_t v, b0, b1, s; /* tree leaf (SIZE_MAX: untested), blocks, segment */
    } *unit;            /* nnode + nblk + nseg */
    double *acc;        /* GCENT__PK_QB x 24: the three sums, 8 lanes each */
    double *lim;        /* GCENT__PK_QB: per-query pruning limit */
    /* with pruning (NULL otherwise): */
    double *qbox;       /* 2 d: the batch's bounding box */
    double *lbox;       /* 2 d x (kept leaves rounded up to 8): their boxes by coordinate */
    unsigned char *keep; /* GCENT__PK_QB x kept leaves: the per-query verdicts */
    size_t blocks, tests; /* counts: blocks evaluated, leaf boxes tested per query */
} gcent__pk_work;

/* Scratch for batches against P; GCENT_OK or GCENT_ENOMEM. */
GCENT__HIDDEN int gcent__pk_work_init(gcent__pk_work *W, const gcent__pack *P);
GCENT__HIDDEN void gcent__pk_work_free(gcent__pk_work *W);
/* gcent__pack_sums for nq <= GCENT__PK_QB queries at once: out[3 i .. 3 i + 2]
 * and over[i] are bit for bit what gcent__pack_sums(P, &Q[i], ...) gives
 * (and returns), for any grouping of the queries into batches; faster,
 * because the tree is walked once per batch and the centres are read once
 * per run of blocks for all the batch's queries. Q[i].blocks and
 * Q[i].nodes are not counted. */
GCENT__HIDDEN void gcent__pack_sums_batch(const gcent__pack *P, const gcent__query *Q,
                                          size_t nq, double *out, double *over,
                                          gcent__pk_work *W);
/* The same on a given instruction set (tests); returns -1 if the CPU lacks
 * it, 0 otherwise. */
GCENT__HIDDEN int gcent__pack_sums_batch_isa(int isa, const gcent__pack *P,
                                             const gcent__query *Q, size_t nq, double *out,
                                             double *over, gcent__pk_work *W);

/* The pruning tolerance the context asks for (0: dense). */
static inline double gcent__prune_tol(const gcent_ctx *ctx)
{
    return ctx->prune == GCENT_PRUNE_OFF ? 0.0 : ctx->prune_tol;
}

/* log(1 + sum_{j != i} exp(logw_j - a |q - u_j|^2 - shift)) for centre i of
 * m (P packed from m): the packed kernel, or the log-space kernel when an
 * exponent is too large for linear sums. buf: GCENT__MIX_BLOCK doubles. */
static inline double gcent__pack_logratio(const gcent__pack *P, const gcent__mix *m,
                                          const double *q, double a, double shift,
                                          size_t i, double *buf)
{
    gcent__query Q = {q, a, shift, P->pos[i], P->self_lw ? P->self_lw[i] : -INFINITY,
                      SIZE_MAX, -1.0, NULL, NULL};
    double s[3];
    if (gcent__pack_sums(P, &Q, s) > GCENT__PK_EMAX)
        return gcent__mix_logratio(m, q, a, shift, i, buf);
    return log1p(s[2]);
}

/* ---- entropy engines (values in nats, for the scaled mixture) ------------- */

/* Rows (centres) per chunk of parallel work when every row makes
 * queries_per_row queries against n centres in d dimensions. */
GCENT__HIDDEN size_t gcent__rows_per_chunk(size_t n, size_t d, uint64_t queries_per_row);
/* nworkers x (GCENT__MIX_BLOCK + (gcent__pk_qb(d) + 1) d) doubles: per-worker
 * kernel buffer, noise vector and a batch of queries (the first query also
 * serves alone); *stride set. NULL on overflow or no memory. */
GCENT__HIDDEN double *gcent__scratch_alloc(size_t nworkers, size_t d, size_t *stride);
/* Per-centre Welford results over `draws` draws (mean[i], m2[i]) reduced to
 * E = sum_i w_i mean_i and its standard error by the rules documented for
 * gcent_entropy (conservative leave-one-out rule when draws = 1). Overwrites
 * mean and m2; fixed-order sums. */
GCENT__HIDDEN void gcent__mc_reduce(const double *w, double *mean, double *m2, size_t n,
                                    uint32_t draws, double *e, double *se);

/* Rows 0 .. n-1 of a mixture in the order of their packed positions P->pos
 * (ties by row number) into ord; cnt: P->npad + 1 counters (scratch). */
GCENT__HIDDEN void gcent__packed_order(const gcent__pack *P, size_t n, size_t *ord,
                                       size_t *cnt);
/* nworkers scratch areas for gcent__pack_sums_batch against P (NULL: no
 * memory), and their release. */
GCENT__HIDDEN gcent__pk_work *gcent__pk_works(const gcent__pack *P, size_t nworkers);
GCENT__HIDDEN void gcent__pk_works_free(gcent__pk_work *W, size_t nworkers);

/* Monte Carlo: E = sum_i w_i mean_r log R_i(z_ir) and its standard error,
 * so that h_u = h(N(0,I_d)) + H(w) - E. rows of the noise come from
 * m->index[i] + row_base. Uses ctx seed, draws, threads. */
GCENT__HIDDEN int gcent__entropy_mc(gcent_ctx *ctx, gcent__progress *p,
                                    const gcent__mix *m, uint32_t draws,
                                    uint64_t row_base, uint32_t tag,
                                    double *e_out, double *se_out);
/* Units of progress gcent__entropy_mc will report. */
GCENT__HIDDEN uint64_t gcent__entropy_mc_units(const gcent__mix *m, uint32_t draws);

/* Quadrature (d <= 2): h_u = -int g_u log g_u over R^d, and an error bound.
 * tol: absolute target in nats. */
GCENT__HIDDEN int gcent__entropy_quad(gcent_ctx *ctx, gcent__progress *p,
                                      const gcent__mix *m, double tol,
                                      double *h_out, double *err_out);
/* Depends on m->n and m->d only (callers may ask with a probe mixture). */
GCENT__HIDDEN uint64_t gcent__entropy_quad_units(const gcent__mix *m);
/* Predicted (node, centre) pairs of the quadrature; used by METHOD_AUTO.
 * Returns GCENT_OK or GCENT_ENOMEM (never a silently different estimate). */
GCENT__HIDDEN int gcent__entropy_quad_cost(const gcent__mix *m, double *cost);
/* The METHOD rule: QUADRATURE -> 1, MC -> 0; AUTO -> 1 when d <= 2 and
 * terms * (predicted quadrature cost of m) <= max(2^27, draws * n^2).
 * Returns GCENT_OK or GCENT_ENOMEM (no message). */
GCENT__HIDDEN int gcent__use_quadrature(const gcent_ctx *ctx, const gcent__mix *m,
                                        double terms, int *quad);

/* Gauss-Legendre nodes and weights on [-1, 1] (Golub-Welsch via LAPACKE).
 * Returns GCENT_OK, GCENT_EINVAL (npts = 0 or NULL), GCENT_ERANGE (npts too
 * large), GCENT_ENOMEM or GCENT_ELINALG. */
GCENT__HIDDEN int gcent__gauss_legendre(size_t npts, double *x, double *wt);

#endif /* GCENT_INTERNAL_H */
