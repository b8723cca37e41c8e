/* Shims over the library's internal storage-and-build calls, for the tests
 * that exercise the kernel, the packing and the quadrature directly (linked
 * against the static library; headers from src/). */
#ifndef GCENT_TESTS_INTERNALS_H
#define GCENT_TESTS_INTERNALS_H

#include "kernel.h"
#include "mixture.h"
#include "pack.h"
#include "quadrature.h"
#include "sum.h"
#include "threads.h"

/* A mixture of n rows (allocated to fit), as the public calls build it. */
static inline int gt_mix_init(gcent__mix *m, const double *s, size_t n, size_t d, size_t lds,
                              const double *w, double beta)
{
    const gcent__rows rows = gcent__rows_of(s, lds);
    int st = gcent__mix_alloc(m, n, d, NULL);
    if (st == GCENT_OK)
        st = gcent__mix_fill(m, &rows, NULL, n, w, beta, NULL, NULL);
    if (st != GCENT_OK)
        gcent__mix_free(m);
    return st;
}

/* A pack of m in storage of its own size (the build scratch released);
 * gt_pack_init_single: with the float copy of single precision. */
static inline int gt_pack_init_single(gcent__pack *P, const gcent__mix *m, const size_t *segf,
                                      size_t nseg, const size_t *grp, double tol, int force,
                                      int single)
{
    gcent__pack_ws W;
    int st = gcent__pack_alloc(P, &W, m->n, m->d, nseg ? nseg : 1, grp != NULL, tol > 0.0,
                               single, NULL);
    if (st != GCENT_OK)
        return st;
    st = gcent__pack_build(P, &W, m, segf, nseg, grp, tol, force, NULL, 0);
    gcent__pack_free(st == GCENT_OK ? NULL : P, &W);
    return st;
}

static inline int gt_pack_init(gcent__pack *P, const gcent__mix *m, const size_t *segf,
                               size_t nseg, const size_t *grp, double tol, int force)
{
    return gt_pack_init_single(P, m, segf, nseg, grp, tol, force, 0);
}

static inline void gt_pack_free(gcent__pack *P) { gcent__pack_free(P, NULL); }

/* The quadrature of a whole mixture (one worker). */
static inline int gt_quad(const gcent__mix *m, double tol, double *h, double *err)
{
    gcent__quad_ws ws;
    int st = gcent__quad_alloc(&ws, m->n, m->d, 1, NULL);
    if (st != GCENT_OK)
        return st;
    gcent__quad_whole(&ws, m, tol, h, err);
    gcent__quad_free(&ws);
    return GCENT_OK;
}

#endif /* GCENT_TESTS_INTERNALS_H */
