/* The kernel (src/kernel.c, src/kernel_body.h): for a query, the sums of
 * exp(lw_j - a |q - u_j|^2 - shift) over packed centres, in three slots,
 * fused and vectorised, whole blocks skipped where the k-d boxes prove them
 * negligible; and the log-space log-sum-exp of gcent__mix_lse. One source
 * compiled per instruction set (AVX-512F, AVX2+FMA, portable fma()), one
 * dispatch, the same bits on every CPU. */
#ifndef GCENT_KERNEL_H
#define GCENT_KERNEL_H

#include "common.h"
#include "pack.h"

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

/* The single-precision kernel's guarantee: a query runs in float only when
 * gcent__f32_bound is at most this (2^-10), in double otherwise. */
#define GCENT__F32_CAP 0x1p-10
/* The float kernel adds a query's terms in float over the aligned groups of
 * this many blocks (one term per lane and block: at most this many per
 * lane) before it adds them in double. */
#define GCENT__F32_SUM_BLOCKS 8
/* Relative error of the float kernel's exponential of x: at most
 * GCENT__F32_EXP_ERR + GCENT__F32_EXP_ERR_X |x| (kernel_body.h: the
 * roundings, and the one-step reduction's constant). */
#define GCENT__F32_EXP_ERR 2.0e-7
#define GCENT__F32_EXP_ERR_X 2.8e-9

/* A bound, for the single-precision kernel, on |log(1 + S') - log(1 + S)|
 * where S' is the float kernel's sum of the terms of query Q over any set
 * of centres of P (any slot, any union of slots, any pruning), and S the
 * exact sum of the same terms: coordinates and query rounded to float, the
 * distance's roundings, the exponent's, the exponential's, the flushed
 * terms (see kernel.c for the derivation). INFINITY when the query cannot
 * run in float (no float copy, a not a float, non-finite values). */
GCENT__HIDDEN double gcent__f32_bound(const gcent__pack *P, const gcent__query *Q);

/* Queries per batch of gcent__pack_sums_batch. */
#define GCENT__PK_QB 32

/* Queries per batch in d dimensions: GCENT__PK_QB, fewer when the batch's
 * coordinates would pass 512 KiB. */
static inline size_t gcent__pk_qb(size_t d)
{
    size_t q = d > 0 ? 65536 / d : GCENT__PK_QB;
    return q < 1 ? 1 : q > GCENT__PK_QB ? GCENT__PK_QB : q;
}

/* A query of a batch as the single-precision kernel takes it (see
 * gcent__f32_bound): its coordinates rounded to float, c = lw_top - shift
 * rounded to float, the log weight at its skip position relative to lw_top,
 * its own group as int32. */
typedef struct gcent__pk_fq {
    const float *q;
    float c, skip_lw;
    int32_t own;
} gcent__pk_fq;

/* Per-worker scratch of gcent__pack_sums_batch for packs of a capacity
 * (allocated before the parallel loop: nothing is allocated per query). */
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
    /* with the float copy (single precision; NULL otherwise): */
    float *qf;          /* GCENT__PK_QB x d: the queries in float */
    gcent__pk_fq *fq;   /* GCENT__PK_QB */
    unsigned char *fsel; /* GCENT__PK_QB: 1 = the query runs in float */
    float *facc;        /* GCENT__PK_QB x 48: a float query's float sums (3 x 16 lanes) */
    size_t *fgroup;     /* GCENT__PK_QB: the block group those sums are of */
    size_t blocks, tests; /* counts: blocks evaluated, leaf boxes tested per query */
    size_t fqueries;    /* count: queries run in float */
} gcent__pk_work;

/* Scratch for batches against any pack built in P's storage (its capacity);
 * GCENT_OK or GCENT_ENOMEM. */
GCENT__HIDDEN int gcent__pk_work_init(gcent__pk_work *W, const gcent__pack *P);
GCENT__HIDDEN void gcent__pk_work_free(gcent__pk_work *W);
/* gcent__pack_sums for nq <= GCENT__PK_QB queries at once: out[3 i .. 3 i + 2]
 * and over[i] are bit for bit what gcent__pack_sums(P, &Q[i], ...) gives
 * (and returns), for any grouping of the queries into batches; faster,
 * because the tree is walked once per batch and the centres are read once
 * per run of blocks for all the batch's queries. Q[i].blocks and
 * Q[i].nodes are not counted.
 *
 * With the pack's float copy (single precision), a query whose error bound
 * gcent__f32_bound is at most GCENT__F32_CAP runs in the float kernel
 * instead: its terms are computed in float (distances, exponents,
 * exponentials) and added in double, and its sums are within that bound of
 * the double ones (in the sense of gcent__f32_bound); over[i] signals
 * sums that reach e^(GCENT__PK_EMAXF - 1). Which kernel a query runs in,
 * and its bits, depend on the query and the pack only. */
GCENT__HIDDEN void gcent__pack_sums_batch(const gcent__pack *P, const gcent__query *Q,
                                          size_t nq, double *out, double *over,
                                          gcent__pk_work *W);
/* The same on a given instruction set (tests); returns -1 if the CPU lacks
 * it, 0 otherwise. */
GCENT__HIDDEN int gcent__pack_sums_batch_isa(int isa, const gcent__pack *P,
                                             const gcent__query *Q, size_t nq, double *out,
                                             double *over, gcent__pk_work *W);
/* gcent__mix_lse (mixture.h) on a given instruction set (tests); NAN if the
 * CPU lacks it. */
GCENT__HIDDEN double gcent__mix_lse_isa(int isa, const gcent__mix *m, const double *q,
                                        double a, double shift, size_t lo, size_t hi,
                                        size_t skip, double *buf);

/* log(1 + sum_{j != i} exp(logw_j - a |q - u_j|^2 - shift)) for centre i of
 * m (P packed from m): the packed kernel, or the log-space kernel when an
 * exponent is too large for linear sums. buf: GCENT__MIX_BLOCK doubles. */
static inline double gcent__pack_logratio(const gcent__pack *P, const gcent__mix *m,
                                          const double *q, double a, double shift,
                                          size_t i, double *buf)
{
    gcent__query Q = {.q = q, .a = a, .shift = shift, .skip = P->pos[i],
                      .skip_lw = P->self_lw ? P->self_lw[i] : -INFINITY,
                      .own_seg = SIZE_MAX, .own = -1.0};
    double s[3];
    if (gcent__pack_sums(P, &Q, s) > GCENT__PK_EMAX)
        return gcent__mix_logratio(m, q, a, shift, i, buf);
    return log1p(s[2]);
}

#endif /* GCENT_KERNEL_H */
