/* Summation: the compensated (Neumaier) ordered sum and the exact
 * accumulator (see sum.h for the representation). */
#include <float.h>
#include <string.h>
#include "sum.h"

double gcent__ordered_sum(const double *x, size_t n)
{
    gcent__sum k = {0.0, 0.0};
    for (size_t i = 0; i < n; ++i)
        gcent__sum_add(&k, x[i]);
    return gcent__sum_get(&k);
}

#define TWO32 4294967296.0

void gcent__xacc_normalise(gcent__xacc *a)
{
    for (int j = 0; j + 1 < GCENT__XACC_LIMBS; ++j) {
        const int64_t v = a->limb[j];
        const int64_t low = (int64_t)((uint64_t)v & 0xffffffffu);
        const int64_t carry = (v - low) / 4294967296LL; /* exact: floor(v / 2^32) */
        a->limb[j] = low;
        a->limb[j + 1] += carry;
    }
    a->pending = 0;
}

void gcent__xacc_merge(gcent__xacc *a, gcent__xacc *b)
{
    gcent__xacc_normalise(a);
    gcent__xacc_normalise(b);
    for (int j = 0; j < GCENT__XACC_LIMBS; ++j)
        a->limb[j] += b->limb[j];
    a->nonfinite |= b->nonfinite;
    gcent__xacc_normalise(a);
}

/* Exact a + b = s + e. */
static inline void two_sum(double a, double b, double *s, double *e)
{
    double t = a + b, bb = t - a;
    *e = (a - (t - bb)) + (b - bb);
    *s = t;
}

void gcent__xacc_get_dd(gcent__xacc *a, double *hi, double *lo)
{
    if (a->nonfinite) {
        *hi = *lo = NAN;
        return;
    }
    gcent__xacc_normalise(a);
    /* the magnitude, so that the digits all have one sign and the sum of
     * their values (each exact as a double) loses nothing to cancellation */
    gcent__xacc m = *a;
    double sign = 1.0;
    if (m.limb[GCENT__XACC_LIMBS - 1] < 0) {
        for (int j = 0; j < GCENT__XACC_LIMBS; ++j)
            m.limb[j] = -m.limb[j];
        gcent__xacc_normalise(&m);
        sign = -1.0;
    }
    /* from the top digit down: each digit is below 2^32 and exact as a
     * double times its power of two; a double-double keeps 106 bits */
    double s = 0.0, c = 0.0;
    for (int j = GCENT__XACC_LIMBS - 1; j >= 0; --j) {
        if (m.limb[j] == 0)
            continue;
        double x = ldexp((double)m.limb[j], 32 * j - 1074);
        double t, e;
        two_sum(s, x, &t, &e);
        c += e;
        two_sum(t, c, &s, &c);
    }
    /* beyond the double range: a partial sum rounded to infinity and the
     * error terms became inf - inf; the value rounds to infinity (every
     * digit is non-negative, so the rest only adds) */
    if (!(s <= DBL_MAX)) {
        s = INFINITY;
        c = 0.0;
    }
    *hi = sign * s;
    *lo = sign * c;
}

double gcent__xacc_get(gcent__xacc *a)
{
    double hi, lo;
    gcent__xacc_get_dd(a, &hi, &lo);
    return hi;
}
