/* The Monte Carlo driver (src/driver.c): the one loop behind h(S+Z), h(T),
 * h(T|X) and h(T|Y). It draws the noise of each queried centre, batches the
 * queries through the kernel, forms each query's summands (one for a
 * mixture; three for a layer: log R^T, log R^T/R^X, log R^T/R^Y), takes
 * each row's mean and variance over its draws, and adds the row's share of
 * the estimate and of its variance to exact accumulators: the result does
 * not depend on the order of the rows, their chunks, the threads or the
 * split of the rows into shards. */
#ifndef GCENT_DRIVER_H
#define GCENT_DRIVER_H

#include "common.h"
#include "kernel.h"
#include "mixture.h"
#include "pack.h"
#include "sum.h"
#include "threads.h"

/* Summands: 0 the mixture's (or a layer's h(T)) log R, 1 log(R^T / R^X),
 * 2 log(R^T / R^Y). */
#define GCENT__MC_TERMS 3

/* What the rows contribute (see gcent__mc_finish):
 * e[t]  = sum_i w_i mean_i(t);
 * draws > 1: s1[t] = sum_i w_i^2 var_i(t) / draws;
 * draws = 1: s1[t] = sum_i a_i L_i(t), s2[t] = sum_i a_i L_i(t)^2,
 *            a0 = sum_i a_i, a_i = (w_i / (1 - w_i))^2 (0 for a single centre). */
typedef struct gcent__mc_acc {
    gcent__xacc e[GCENT__MC_TERMS], s1[GCENT__MC_TERMS], s2[GCENT__MC_TERMS];
    gcent__xacc a0;
} gcent__mc_acc;

GCENT__HIDDEN void gcent__mc_acc_zero(gcent__mc_acc *a);
GCENT__HIDDEN void gcent__mc_acc_merge(gcent__mc_acc *a, gcent__mc_acc *b);
/* Estimate and standard error of summand t from complete accumulators (all
 * rows): the mean is e; the standard error sqrt(s1) for draws > 1, and for
 * draws = 1 the conservative leave-one-out rule of gcent_entropy,
 * sqrt(sum_i w_i^2 (L_i - e_{-i})^2) = sqrt(s2 - 2 e s1 + e^2 a0), evaluated
 * in double-double from the exact sums. n: centres of the mixture. */
GCENT__HIDDEN void gcent__mc_finish(gcent__mc_acc *a, int t, uint32_t draws, double *e,
                                    double *se);

/* A layer's structure (layer mode): the mixture's centres are the m k rows
 * sorted by class and by input, k consecutive centres per input. */
typedef struct gcent__mc_layer {
    size_t k;                /* centres per input */
    const size_t *in_cls;    /* class of sorted input a */
    const size_t *start;     /* first sorted input of each class (ncls + 1) */
    int with_y;              /* labels given: summand 2 computed */
} gcent__mc_layer;

/* Per-worker scratch of the driver for mixtures in d dimensions of a pack's
 * capacity. */
typedef struct gcent__mc_work {
    double *scr;             /* GCENT__MIX_BLOCK + (gcent__pk_qb(d) + 1) d doubles */
    gcent__pk_work pk;
    gcent__mc_acc acc;
} gcent__mc_work;

GCENT__HIDDEN int gcent__mc_work_alloc(gcent__mc_work **out, size_t nworkers,
                                       const gcent__pack *P, gcent__err *e);
GCENT__HIDDEN void gcent__mc_work_free(gcent__mc_work *W, size_t nworkers);

/* One run: the queries of mixture centres rows[0 .. nrows-1] (in that
 * order: packed order keeps a batch's queries together), draws noise
 * vectors each, against every centre of P (packed from mx). The noise of
 * centre i, draw r is gcent__noise_vector(seed, tag, mx->index[i], r).
 * layer NULL: mixture mode (summand 0 only); else layer mode. */
typedef struct gcent__mc {
    const gcent__mix *mx;
    const gcent__pack *P;
    const gcent__mc_layer *layer;
    uint64_t seed;
    uint32_t tag;
    uint32_t draws;
    const size_t *rows;
    size_t nrows;
} gcent__mc;

/* Rows per chunk of parallel work when every row makes queries_per_row
 * queries against n centres in d dimensions (about 2^18 pairs). */
GCENT__HIDDEN size_t gcent__rows_per_chunk(size_t n, size_t d, uint64_t queries_per_row);
/* Progress units (chunks) of a run of nrows rows of a mixture of n centres in
 * d dimensions. */
GCENT__HIDDEN uint64_t gcent__mc_units(size_t n, size_t d, uint32_t draws, size_t nrows);
/* Run on the pool (at most nworkers workers of W), adding the rows'
 * contributions to out. GCENT_OK or GCENT_ECANCELED. Allocates nothing. */
GCENT__HIDDEN int gcent__mc_run(const gcent__mc *job, gcent__mc_work *W, gcent__pool *pool,
                                gcent__progress *p, gcent__mc_acc *out);

#endif /* GCENT_DRIVER_H */
