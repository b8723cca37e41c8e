/* The kernel: log-sum-exp of a query against all centres of a Gaussian
 * mixture, in scaled coordinates (unit noise), blocked so the exponents of a
 * block of centres stay in L1. Distances are formed from coordinate
 * differences, never from |q|^2 - 2 q.u + |u|^2, so that data far from the
 * origin (or centres 1e-6 apart) lose no precision. */
#include <math.h>
#include <string.h>
#include "internal.h"

/* exp(x) below this is < 3e-308 and is flushed (see gcent__mix_logratio). */
#define GCENT__EXP_FLOOR (-708.0)

int gcent__mix_init(gcent_ctx *ctx, gcent__mix *m, const double *s, size_t n, size_t d,
                    size_t lds, const double *w, double beta)
{
    return gcent__mix_init_rows(ctx, m, s, NULL, n, d, lds, w, beta);
}

int gcent__mix_init_rows(gcent_ctx *ctx, gcent__mix *m, const double *s, const size_t *rows,
                         size_t n, size_t d, size_t lds, const double *w, double beta)
{
    memset(m, 0, sizeof *m);
    size_t kept = 0;
    for (size_t p = 0; p < n; ++p)
        if (w == NULL || w[rows ? rows[p] : p] > 0.0)
            ++kept;
    int ovf = 0;
    size_t bytes_ut = gcent__mul(gcent__mul(kept, d, &ovf), sizeof(double), &ovf);
    if (ovf)
        return gcent__fail(ctx, GCENT_ERANGE, "n * d = %zu * %zu overflows size_t", n, d);
    double *c = gcent__calloc(d, sizeof(double));
    m->ut = gcent__malloc(bytes_ut);
    m->logw = gcent__malloc(kept * sizeof(double));
    m->w = gcent__malloc(kept * sizeof(double));
    m->index = gcent__malloc(kept * sizeof(size_t));
    if (c == NULL || m->ut == NULL || m->logw == NULL || m->w == NULL || m->index == NULL) {
        gcent__free(c);
        gcent__mix_free(m);
        return gcent__fail(ctx, GCENT_ENOMEM, "out of memory for %zu centres in %zu dims",
                           kept, d);
    }
    m->n = kept;
    m->d = d;

    /* weights (renormalised over the kept centres, so that they sum to 1 to
     * rounding) and their entropy */
    double wsum = 0.0;
    for (size_t p = 0, j = 0; p < n; ++p) {
        size_t i = rows ? rows[p] : p;
        double wi = w ? w[i] : 1.0 / (double)n;
        if (wi > 0.0) {
            m->w[j] = wi;
            m->index[j] = i;
            wsum += wi;
            ++j;
        }
    }
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
    for (size_t k = 0; k < d; ++k) {
        double lo = INFINITY, hi = -INFINITY;
        for (size_t j = 0; j < kept; ++j) {
            double x = s[m->index[j] * lds + k];
            lo = x < lo ? x : lo;
            hi = x > hi ? x : hi;
        }
        c[k] = 0.5 * lo + 0.5 * hi;
        double half = (0.5 * hi - 0.5 * lo) / beta;
        if (!(half <= 1e150)) {
            gcent__free(c);
            gcent__mix_free(m);
            return gcent__fail(ctx, GCENT_ERANGE,
                               "beta = %g is too small for the spread of the samples "
                               "(coordinate %zu: half-range / beta = %g > 1e150)",
                               beta, k, half);
        }
    }
    for (size_t j = 0; j < kept; ++j) {
        const double *row = s + m->index[j] * lds;
        for (size_t k = 0; k < d; ++k) {
            double diff = row[k] - c[k];
            /* near DBL_MAX the difference can round to infinity while the
             * scaled coordinate is moderate: then scale first */
            double u = isfinite(diff) ? diff / beta : row[k] / beta - c[k] / beta;
            m->ut[k * kept + j] = u;
        }
    }
    gcent__free(c);
    return GCENT_OK;
}

int gcent__mix_sub(const gcent__mix *full, size_t lo, size_t hi, gcent__mix *sub)
{
    memset(sub, 0, sizeof *sub);
    const size_t n = hi - lo, d = full->d;
    int ovf = 0;
    size_t bytes = gcent__mul(gcent__mul(n, d, &ovf), sizeof(double), &ovf);
    if (ovf)
        return GCENT_ERANGE;
    sub->ut = gcent__malloc(bytes);
    sub->logw = gcent__malloc(n * sizeof(double));
    sub->w = gcent__malloc(n * sizeof(double));
    sub->index = gcent__malloc(n * sizeof(size_t));
    if (!sub->ut || !sub->logw || !sub->w || !sub->index) {
        gcent__mix_free(sub);
        return GCENT_ENOMEM;
    }
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
    memset(m, 0, sizeof *m);
}

/* Run-time dispatch: the kernel is compiled for AVX-512, AVX2 and baseline
 * x86-64, and the loader picks the best the CPU has (GCC ifunc). The library
 * itself is built without -march and without -ffast-math. Every clone does
 * the same operations in the same order (no FMA contraction under -std=c11,
 * fixed-order partial sums), so results do not depend on the clone. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && \
    defined(__linux__) && !defined(GCENT_NO_CLONES)
#  define GCENT__KERNEL __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#  define GCENT__KERNEL
#endif

/* exp(x) for x in [GCENT__EXP_FLOOR, 0], vectorisable: x = k ln2 + r with
 * |r| <= ln2 / 2 (Cody-Waite split of ln2), exp(r) by its Taylor polynomial of
 * degree 12 (truncation error < 2e-16 relative), times 2^k built in the
 * exponent bits. k >= -1022, so the result is a normal double. Relative
 * error a few ulp. */
static inline double exp_neg(double x)
{
    const double shifter = 6755399441055744.0; /* 1.5 * 2^52 */
    const double log2e = 1.4426950408889634074;
    const double ln2_hi = 6.93147180369123816490e-01;
    const double ln2_lo = 1.90821492927058770002e-10;
    double t = x * log2e + shifter;
    double k = t - shifter; /* round(x / ln 2) */
    double r = (x - k * ln2_hi) - k * ln2_lo;
    double p = 1.0 / 479001600.0;
    p = p * r + 1.0 / 39916800.0;
    p = p * r + 1.0 / 3628800.0;
    p = p * r + 1.0 / 362880.0;
    p = p * r + 1.0 / 40320.0;
    p = p * r + 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    uint64_t tb;
    memcpy(&tb, &t, sizeof tb);
    uint64_t sb = (tb + 1023u) << 52; /* low bits of t hold k */
    double scale;
    memcpy(&scale, &sb, sizeof scale);
    return p * scale;
}

/* Squared distances of q to centres [j0, j0 + len) into buf. */
static inline void block_dist2(const gcent__mix *m, const double *q, size_t j0, size_t len,
                               double *restrict buf)
{
    const size_t n = m->n;
    const double *restrict u = m->ut + j0;
    double q0 = q[0];
    for (size_t j = 0; j < len; ++j) {
        double t = q0 - u[j];
        buf[j] = t * t;
    }
    for (size_t k = 1; k < m->d; ++k) {
        const double *restrict uk = m->ut + k * n + j0;
        double qk = q[k];
        for (size_t j = 0; j < len; ++j) {
            double t = qk - uk[j];
            buf[j] += t * t;
        }
    }
}

/* sum_j exp(max(buf[j] - M, floor)) in a fixed order: lane l of 8 partial
 * sums takes j = l mod 8, and the lanes are added pairwise at the end. */
static inline double block_expsum(double *restrict buf, size_t len, double M)
{
    for (size_t j = 0; j < len; ++j) {
        double x = buf[j] - M;
        x = x > GCENT__EXP_FLOOR ? x : GCENT__EXP_FLOOR;
        buf[j] = exp_neg(x);
    }
    double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    size_t j = 0;
    for (; j + 8 <= len; j += 8)
        for (size_t l = 0; l < 8; ++l)
            acc[l] += buf[j + l];
    for (size_t l = 0; j < len; ++j, ++l)
        acc[l] += buf[j];
    return ((acc[0] + acc[4]) + (acc[2] + acc[6])) + ((acc[1] + acc[5]) + (acc[3] + acc[7]));
}

GCENT__KERNEL
double gcent__mix_lse(const gcent__mix *m, const double *q, double a, double shift,
                      size_t lo, size_t hi, size_t skip, double *buf)
{
    double M = -INFINITY, S = 0.0;
    for (size_t j0 = lo; j0 < hi; j0 += GCENT__MIX_BLOCK) {
        size_t len = hi - j0 < GCENT__MIX_BLOCK ? hi - j0 : GCENT__MIX_BLOCK;
        block_dist2(m, q, j0, len, buf);
        const double *restrict lw = m->logw + j0;
        double bmax = -INFINITY;
        for (size_t j = 0; j < len; ++j) {
            double e = lw[j] - a * buf[j] - shift;
            buf[j] = e;
            bmax = e > bmax ? e : bmax;
        }
        if (skip >= j0 && skip < j0 + len) {
            buf[skip - j0] = -INFINITY;
            bmax = -INFINITY;
            for (size_t j = 0; j < len; ++j)
                bmax = buf[j] > bmax ? buf[j] : bmax;
        }
        if (bmax == -INFINITY)
            continue;
        if (bmax > M) {
            S = M == -INFINITY ? 0.0 : S * exp(M - bmax);
            M = bmax;
        }
        if (bmax - M > GCENT__EXP_FLOOR)
            S += block_expsum(buf, len, M);
    }
    return M == -INFINITY ? -INFINITY : M + log(S);
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
