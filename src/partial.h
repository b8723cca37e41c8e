/* Shards and their partial results (src/partial.c): the layout of the bytes
 * of a gcent_partial, the checks that merge and finish make, and the row
 * ranges a partial covers. */
#ifndef GCENT_PARTIAL_H
#define GCENT_PARTIAL_H

#include "common.h"
#include "ctx.h"
#include "driver.h"
#include "err.h"

#define GCENT__PART_MAGIC 0x54524150544e4547ull /* "GCENTPRT" in little-endian bytes */
#define GCENT__PART_FORMAT 1u
#define GCENT__PART_MAXRANGES 256

enum { GCENT__PART_ENTROPY = 1, GCENT__PART_LAYER = 2 };

/* The content of a gcent_partial (plain data, no pointers). */
typedef struct gcent__part {
    uint64_t magic;           /* GCENT__PART_MAGIC: also tells the byte order */
    uint32_t format;          /* GCENT__PART_FORMAT */
    uint32_t version;         /* GCENT_VERSION_NUMBER of the library that wrote it */
    uint32_t kind;            /* GCENT__PART_ENTROPY or GCENT__PART_LAYER */
    int32_t method;           /* the method used: GCENT_METHOD_MC or _QUADRATURE */
    uint64_t fingerprint;     /* of the samples, weights or labels, and beta */
    uint64_t n, m, k, d;      /* rows (n = m k for a layer), inputs, draws per input, width */
    uint64_t kept;            /* centres with positive weight */
    double beta;
    /* the options that change a result (gcent__opts) */
    uint64_t seed;
    uint32_t draws;
    int32_t method_opt, prune, precision;
    double prune_tol, quad_tol, log_base;
    /* constants of the finish, the same in every shard */
    double hw;                /* H(w) of the mixture, nats */
    double hy;                /* H(Y), nats (layers with labels) */
    uint32_t with_y;
    uint32_t nranges;         /* disjoint, sorted, non-adjacent row ranges */
    uint64_t range[GCENT__PART_MAXRANGES][2];
    gcent__mc_acc acc;        /* Monte Carlo: see driver.h. Quadrature: e[t] values,
                                 s1[t] error bounds of h(T), sum_i h(T|X=x_i) and
                                 sum_y p(y) h(T|Y=y), scaled coordinates */
} gcent__part;

/* The public type must hold it. */
typedef char gcent__part_fits[sizeof(gcent__part) <= sizeof(gcent_partial) ? 1 : -1];

/* A fresh partial for rows [row_begin, row_end) (no range when empty). */
GCENT__HIDDEN void gcent__part_init(gcent__part *q, uint32_t kind, const gcent__opts *o,
                                    size_t n, size_t m, size_t k, size_t d, double beta,
                                    size_t row_begin, size_t row_end);
/* The 64-bit fingerprint of a call's data: the n x d values, the weights
 * (NULL: uniform), the labels (NULL: none), beta. */
GCENT__HIDDEN uint64_t gcent__fingerprint(const gcent__rows *s, size_t n, size_t d,
                                          const double *w, const int *labels, size_t m,
                                          double beta);
/* Copy in and check a caller's partial (magic, byte order, format, library
 * version); GCENT_EINVAL with the reason in e. */
GCENT__HIDDEN int gcent__part_load(gcent__part *q, const gcent_partial *from, const char *what,
                                   gcent__err *e);
/* For finish: the partial is of this kind, complete ([0, n) covered) and was
 * made with ctx's options. */
GCENT__HIDDEN int gcent__part_check_finish(const gcent__part *q, uint32_t kind,
                                           const gcent__opts *o, gcent__err *e);
GCENT__HIDDEN void gcent__part_store(gcent_partial *to, const gcent__part *q);
/* gcent_partial_merge: into += from, after every check; into is untouched
 * on failure. */
GCENT__HIDDEN int gcent__part_merge(gcent_partial *into, const gcent_partial *from,
                                    gcent__err *e);

#endif /* GCENT_PARTIAL_H */
