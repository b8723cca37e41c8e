/* Deterministic quadrature of the entropy of a mixture, d = 1 and 2
 * (src/quadrature.c: the method, the domain, the error budget). A workspace
 * is allocated once for a capacity; preparing a mixture and integrating it
 * allocate nothing. */
#ifndef GCENT_QUADRATURE_H
#define GCENT_QUADRATURE_H

#include "common.h"
#include "err.h"
#include "mixture.h"
#include "sum.h"
#include "threads.h"

/* Per-worker scratch (room for the workspace's capacity). */
typedef struct gcent__quad_scr {
    double *buf;                    /* GCENT__MIX_BLOCK */
    double *tloc;                   /* n: local coordinates near a panel */
    /* d = 2: the inner line at an outer node, and its intervals */
    double *lu, *llw, *lw, *lhw;    /* n each */
    double *ivA, *ivlo, *ivhi;      /* n each */
    gcent__xacc val, err;           /* this worker's share of a run */
} gcent__quad_scr;

/* A 1-D mixture sorted by coordinate, absolute coordinates. */
typedef struct gcent__quad_line {
    size_t n;
    const double *u, *logw, *w;
} gcent__quad_line;

typedef struct gcent__quad_ws {
    size_t cap, nworkers;
    void *keys;                     /* sort keys, cap */
    double *dbl;                    /* 11 cap + 1 */
    size_t *ivps;                   /* cap + 1 */
    gcent__quad_scr *scr;           /* nworkers */
    double *sbuf;
    /* the prepared mixture */
    const gcent__mix *m;
    size_t niv;
    const double *ivA, *ivlo, *ivhi;
    const size_t *ivp;              /* panels before interval i; ivp[niv] = total */
    size_t npan;
    double rate;                    /* outer budget per unit width */
    gcent__quad_line line;          /* d = 1: the centres sorted */
    const double *u1b, *u2b, *lwb;  /* d = 2: centres in order of u2 */
    double tau_in;                  /* d = 2: absolute target of each inner integral */
} gcent__quad_ws;

/* Room for mixtures of up to cap centres in d (1 or 2) dimensions, nworkers
 * workers. GCENT_OK, GCENT_ENOMEM or GCENT_ERANGE, reason in e. */
GCENT__HIDDEN int gcent__quad_alloc(gcent__quad_ws *ws, size_t cap, size_t d, size_t nworkers,
                                    gcent__err *e);
GCENT__HIDDEN void gcent__quad_free(gcent__quad_ws *ws);
/* Prepare m (n <= cap; kept by pointer until the next prepare) for a target
 * tol (nats, absolute, the whole integral): returns the number of outer
 * panels, numbered 0 .. npan-1. */
GCENT__HIDDEN size_t gcent__quad_prepare(gcent__quad_ws *ws, const gcent__mix *m, double tol);
/* Integrate panels [p0, p1) of the prepared mixture on the pool, cut into
 * `units` chunks (progress advances by units): coef times each panel's
 * value (-int g log g over the panel, scaled coordinates) is added to val,
 * coef times its error bound to err, exactly. GCENT_OK or GCENT_ECANCELED.
 * The pool must have at most ws->nworkers workers. */
GCENT__HIDDEN int gcent__quad_panels(gcent__quad_ws *ws, gcent__pool *pool, gcent__progress *p,
                                     size_t p0, size_t p1, size_t units, double coef,
                                     gcent__xacc *val, gcent__xacc *err);
/* The whole integral of m on the calling thread (worker 0's scratch), rounded
 * from its exact panel sum; err: the sum of the panels' error bounds. */
GCENT__HIDDEN void gcent__quad_whole(gcent__quad_ws *ws, const gcent__mix *m, double tol,
                                     double *h, double *err);
/* Predicted (node, centre) evaluations of the quadrature of m (HUGE_VAL for
 * d > 2); uses the workspace's arrays (n <= cap), allocates nothing. */
GCENT__HIDDEN double gcent__quad_cost(gcent__quad_ws *ws, const gcent__mix *m);
/* The Gauss-Legendre rule used (static table), for tests. */
GCENT__HIDDEN void gcent__quad_rule(const double **x, const double **w, size_t *npts);

#endif /* GCENT_QUADRATURE_H */
