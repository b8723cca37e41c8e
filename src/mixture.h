/* A Gaussian mixture in units of the noise (src/mixture.c), and its log-space
 * evaluation (the log-sum-exp kernel, dispatched with the packed kernel in
 * src/kernel.c). */
#ifndef GCENT_MIXTURE_H
#define GCENT_MIXTURE_H

#include "common.h"
#include "err.h"

struct gcent__ticker; /* threads.h */

/* A Gaussian mixture in scaled coordinates u = (s - c) / beta, so that every
 * component is N(u_j, I_d). Only centres with positive weight are kept. The
 * arrays have room for cap centres (gcent__mix_alloc); n <= cap are in use,
 * stored compactly (ut has stride n). */
typedef struct gcent__mix {
    size_t n;        /* centres kept (positive weight) */
    size_t d;
    size_t cap;      /* capacity */
    double *ut;      /* d x n, structure of arrays: ut[k * n + j] */
    double *logw;    /* n: log w_j (finite) */
    double *w;       /* n: w_j > 0 */
    size_t *index;   /* n: row of the caller's array each centre came from */
    double *mid;     /* d: scratch of gcent__mix_fill */
    double hw;       /* H(w) in nats, over the kept centres */
} gcent__mix;

/* Room for cap centres in d dimensions. GCENT_OK, GCENT_ENOMEM or
 * GCENT_ERANGE (sizes overflow), reason in e. */
GCENT__HIDDEN int gcent__mix_alloc(gcent__mix *m, size_t cap, size_t d, gcent__err *e);
GCENT__HIDDEN void gcent__mix_free(gcent__mix *m);
/* Fill from the caller's samples s (already validated; doubles or floats),
 * the rows taken in the
 * order rows[0..n-1] (NULL: 0..n-1); w (NULL: uniform) is indexed by the
 * caller's row numbers; zero weights are dropped. No allocation (n <= cap).
 * tk (may be NULL) counts 3 n units of work (the weights, the ranges, the
 * scaled copy).
 * GCENT_OK, GCENT_ERANGE (beta too small for the spread: scaled coordinates
 * beyond 1e150; reason in e) or GCENT_ECANCELED (from tk). */
GCENT__HIDDEN int gcent__mix_fill(gcent__mix *m, const gcent__rows *s, const size_t *rows,
                                  size_t n, const double *w, double beta, gcent__err *e,
                                  struct gcent__ticker *tk);
/* Centres [lo, hi) of full into sub (cap >= hi - lo), weights renormalised. */
GCENT__HIDDEN void gcent__mix_sub(const gcent__mix *full, size_t lo, size_t hi,
                                  gcent__mix *sub);

/* Scratch doubles one call of gcent__mix_lse needs. */
#define GCENT__MIX_BLOCK 256

/* log sum_{j in [lo, hi), j != skip} exp(logw_j - a |q - u_j|^2 - shift): a
 * blocked log-sum-exp with a running maximum, no overflow or underflow. Terms
 * below exp(-708) of the running maximum are flushed. Returns -inf when the
 * range is empty or every term is -inf. buf: GCENT__MIX_BLOCK doubles of
 * scratch. skip = SIZE_MAX for none. Implemented with the packed kernel
 * (src/kernel.c), with its exponential and its dispatch. */
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

/* The query of centre i moved by the noise vector z: q = u_i + z; returns
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

#endif /* GCENT_MIXTURE_H */
