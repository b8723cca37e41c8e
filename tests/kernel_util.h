/* Fixtures of the kernel tests (tests/kernel_util.c): data sets, a mixture
 * with segments and groups, queries, and the long-double reference of the
 * kernel's slot sums. Used by test_prune.c and test_single.c. */
#ifndef GCENT_TESTS_KERNEL_UTIL_H
#define GCENT_TESTS_KERNEL_UTIL_H

#include "internals.h"

/* n x d centres in [-1,1]^d (uniform), or `clusters` clusters of spread
 * `spread` (uniform in [-spread, spread] per coordinate) around corners of
 * the cube at +-0.9 (clustered; spread 0 gives exact duplicates, as
 * saturated tanh units do). malloc'ed. */
double *gt_kdata(size_t n, size_t d, int clusters, double spread, uint64_t seed);

/* Direct reference of the three slot sums, long double, every term (none
 * flushed); returns the largest exponent lw_j - a |q - u_j|^2 - shift. */
long double gt_ref_sums(const gcent__pack *P, const gcent__query *Q, long double out[3]);

/* A mixture (beta) of n rows in nseg equal segments, groups of group_size
 * consecutive rows. */
typedef struct gt_kfix {
    double *s;
    size_t n, d;
    gcent__mix m;
    size_t *segf, nseg, *grp;
} gt_kfix;

/* On gt_kdata(n, d, clusters, spread, seed), beta = 0.1. */
void gt_kfix_init(gt_kfix *f, size_t n, size_t d, int clusters, double spread, uint64_t seed,
                  size_t nseg, size_t group_size);
/* On the caller's malloc'ed samples s (freed by gt_kfix_free) and beta. */
void gt_kfix_init_data(gt_kfix *f, double *s, size_t n, size_t d, double beta, size_t nseg,
                       size_t group_size);
void gt_kfix_free(gt_kfix *f);

/* The query of centre i moved by z, uniform in [-2, 2] per coordinate (from
 * st): shift = its own term, skip its packed position, own segment and
 * group (i / grp_size). q: d doubles. */
void gt_kquery(const gt_kfix *f, const gcent__pack *P, size_t i, uint64_t *st, double *q,
               gcent__query *Q, size_t grp_size);

#endif
