/* A Gaussian mixture in units of the noise: built from the caller's samples
 * (centred per coordinate, scaled by 1/beta, weights renormalised over the
 * kept centres, H(w)), sub-mixtures, and the two log-space helpers. The
 * log-sum-exp over its centres is part of the kernel (src/kernel.c). */
#include <string.h>
#include "alloc.h"
#include "mixture.h"
#include "threads.h"

int gcent__mix_alloc(gcent__mix *m, size_t cap, size_t d, gcent__err *e)
{
    memset(m, 0, sizeof *m);
    int ovf = 0;
    size_t c = cap ? cap : 1;
    size_t bytes_ut = gcent__mul(gcent__mul(c, d, &ovf), sizeof(double), &ovf);
    (void)gcent__mul(c, sizeof(size_t), &ovf);
    if (ovf)
        return gcent__seterr(e, GCENT_ERANGE, "%zu centres in %zu dimensions overflow size_t",
                             cap, d);
    m->ut = gcent__malloc(bytes_ut);
    m->logw = gcent__malloc(c * sizeof(double));
    m->w = gcent__malloc(c * sizeof(double));
    m->index = gcent__malloc(c * sizeof(size_t));
    m->mid = gcent__malloc((d ? d : 1) * sizeof(double));
    if (!m->ut || !m->logw || !m->w || !m->index || !m->mid) {
        gcent__mix_free(m);
        return gcent__seterr(e, GCENT_ENOMEM, "out of memory for %zu centres in %zu dimensions",
                             cap, d);
    }
    m->cap = cap;
    m->d = d;
    return GCENT_OK;
}

void gcent__mix_free(gcent__mix *m)
{
    if (m == NULL)
        return;
    gcent__free(m->ut);
    gcent__free(m->logw);
    gcent__free(m->w);
    gcent__free(m->index);
    gcent__free(m->mid);
    memset(m, 0, sizeof *m);
}

/* Rows between two progress ticks of gcent__mix_fill. */
#define FILL_TICK 65536

int gcent__mix_fill(gcent__mix *m, const gcent__rows *s, const size_t *rows, size_t n,
                    const double *w, double beta, gcent__err *e, gcent__ticker *tk)
{
    const size_t d = m->d;
    size_t kept = 0;
    double wsum = 0.0;
    for (size_t p = 0; p < n; ++p) {
        size_t i = rows ? rows[p] : p;
        double wi = w ? w[i] : 1.0 / (double)n;
        if (wi > 0.0) {
            m->w[kept] = wi;
            m->index[kept] = i;
            wsum += wi;
            ++kept;
        }
        if (tk != NULL && (p + 1) % FILL_TICK == 0 &&
            gcent__ticker_add(tk, (double)FILL_TICK) != GCENT_OK)
            return tk->st;
    }
    m->n = kept;

    /* weights (renormalised over the kept centres, so that they sum to 1 to
     * rounding) and their entropy */
    double hw = 0.0;
    if (w == NULL) {
        /* equal weights: log w and H(w) = ln n exactly, not a sum of n
         * rounded terms (which drifts by ~1e-12 at n = 3e4) */
        const double lw = -log((double)kept);
        for (size_t j = 0; j < kept; ++j) {
            m->w[j] = 1.0 / (double)kept;
            m->logw[j] = lw;
        }
        hw = -lw;
    } else {
        for (size_t j = 0; j < kept; ++j) {
            m->w[j] /= wsum;
            m->logw[j] = log(m->w[j]);
            hw -= m->w[j] * m->logw[j];
        }
    }
    m->hw = hw > 0.0 ? hw : 0.0;

    /* Centre = per-coordinate midrange 0.5 min + 0.5 max: exact to one
     * rounding, no overflow, and identical rows give u = 0 exactly (a mean
     * would carry rounding error that the range check could mistake for
     * spread). The check is on the half-range itself, computed without
     * overflow. */
    double *c = m->mid;
    for (size_t k = 0; k < d; ++k) {
        double lo = INFINITY, hi = -INFINITY;
        for (size_t j = 0; j < kept; ++j) {
            double x = gcent__rows_at(s, m->index[j], k);
            lo = x < lo ? x : lo;
            hi = x > hi ? x : hi;
        }
        if (tk != NULL && gcent__ticker_add(tk, (double)kept / (double)d) != GCENT_OK)
            return tk->st;
        c[k] = 0.5 * lo + 0.5 * hi;
        double half = (0.5 * hi - 0.5 * lo) / beta;
        if (!(half <= 1e150))
            return gcent__seterr(e, GCENT_ERANGE,
                                 "beta = %g is too small for the spread of the samples "
                                 "(coordinate %zu: half-range / beta = %g > 1e150)",
                                 beta, k, half);
    }
    for (size_t j = 0; j < kept; ++j) {
        for (size_t k = 0; k < d; ++k) {
            const double x = gcent__rows_at(s, m->index[j], k);
            double diff = x - c[k];
            /* near DBL_MAX the difference can round to infinity while the
             * scaled coordinate is moderate: then scale first */
            double u = isfinite(diff) ? diff / beta : x / beta - c[k] / beta;
            m->ut[k * kept + j] = u;
        }
        if (tk != NULL && (j + 1) % FILL_TICK == 0 &&
            gcent__ticker_add(tk, (double)FILL_TICK) != GCENT_OK)
            return tk->st;
    }
    return GCENT_OK;
}

void gcent__mix_sub(const gcent__mix *full, size_t lo, size_t hi, gcent__mix *sub)
{
    const size_t n = hi - lo, d = full->d;
    sub->n = n;
    sub->d = d;
    double wsum = 0.0;
    for (size_t j = 0; j < n; ++j)
        wsum += full->w[lo + j];
    double hw = 0.0;
    for (size_t j = 0; j < n; ++j) {
        sub->w[j] = full->w[lo + j] / wsum;
        sub->logw[j] = log(sub->w[j]);
        sub->index[j] = full->index[lo + j];
        hw -= sub->w[j] * sub->logw[j];
        for (size_t k = 0; k < d; ++k)
            sub->ut[k * n + j] = full->ut[k * full->n + lo + j];
    }
    sub->hw = hw > 0.0 ? hw : 0.0;
}

double gcent__softplus(double x)
{
    return x > 0.0 ? x + log1p(exp(-x)) : log1p(exp(x));
}

double gcent__logaddexp(double x, double y)
{
    if (x == -INFINITY)
        return y;
    if (y == -INFINITY)
        return x;
    return x > y ? x + log1p(exp(y - x)) : y + log1p(exp(x - y));
}
