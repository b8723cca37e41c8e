/* Summation (src/sum.c): the compensated (Neumaier) sum for fixed-order
 * reductions, and the exact accumulator, whose result depends neither on the
 * order nor on the grouping of its additions -- what lets a Monte Carlo
 * estimate be split into shards that merge bit for bit. */
#ifndef GCENT_SUM_H
#define GCENT_SUM_H

#include "common.h"

/* ---- Neumaier compensated summation --------------------------------------- */

typedef struct gcent__sum {
    double s, c;
} gcent__sum;

static inline void gcent__sum_add(gcent__sum *k, double x)
{
    double t = k->s + x;
    k->c += fabs(k->s) >= fabs(x) ? (k->s - t) + x : (x - t) + k->s;
    k->s = t;
}

static inline double gcent__sum_get(const gcent__sum *k) { return k->s + k->c; }

/* Sum of x[0..n-1] in index order with Neumaier compensation. */
GCENT__HIDDEN double gcent__ordered_sum(const double *x, size_t n);

/* ---- the exact accumulator -------------------------------------------------- */

/* A fixed-point number wide enough to hold any sum of up to 2^64 doubles
 * exactly: digit j (a signed 64-bit limb) weighs 2^(32 j - 1074), so that the
 * smallest subnormal is one unit of digit 0 and the largest double sits in
 * digit 65; the top limbs absorb the carries. Adding a double splits its
 * 53-bit significand over three digits (integer additions, exact); a limb
 * grows by less than 2^32 per addition, so the digits are normalised (carries
 * propagated) every 2^30 additions, long before any limb could overflow.
 * After normalisation digits 0 .. L-2 lie in [0, 2^32) and the top one holds
 * the sign: one representation per value, so equal sums have equal bytes.
 * NaN or infinite terms set a flag and make the result NaN. Plain data: no
 * pointers, the same bytes on every host of the same endianness. */
#define GCENT__XACC_LIMBS 70

typedef struct gcent__xacc {
    int64_t limb[GCENT__XACC_LIMBS];
    uint32_t pending;   /* additions since the last normalisation */
    uint32_t nonfinite; /* 1 if a NaN or infinity was added */
} gcent__xacc;

static inline void gcent__xacc_zero(gcent__xacc *a)
{
    for (int j = 0; j < GCENT__XACC_LIMBS; ++j)
        a->limb[j] = 0;
    a->pending = 0;
    a->nonfinite = 0;
}

/* Carries propagated: the canonical form described above. */
GCENT__HIDDEN void gcent__xacc_normalise(gcent__xacc *a);

/* a += x, exactly. */
static inline void gcent__xacc_add(gcent__xacc *a, double x)
{
    union {
        double d;
        uint64_t u;
    } b = {x};
    const uint64_t ex = (b.u >> 52) & 0x7ffu;
    uint64_t mant = b.u & 0xfffffffffffffu;
    if (ex == 0x7ffu) {
        a->nonfinite = 1;
        return;
    }
    if (ex == 0) {
        if (mant == 0)
            return;
    } else {
        mant |= (uint64_t)1 << 52;
    }
    /* x = +-mant 2^(e - 1075), e = max(ex, 1): bit o = e - 1 of the fixed
     * point, digit o / 32, shifted by o % 32 inside it */
    const unsigned o = ex == 0 ? 0u : (unsigned)ex - 1u;
    const unsigned L = o >> 5, s = o & 31u;
    const uint64_t hi = s ? mant >> (32u - s) : mant >> 32; /* (mant << s) >> 32 */
    const int64_t p0 = (int64_t)((mant << s) & 0xffffffffu);
    const int64_t p1 = (int64_t)(hi & 0xffffffffu);
    const int64_t p2 = (int64_t)(hi >> 32);
    if (b.u >> 63) {
        a->limb[L] -= p0;
        a->limb[L + 1] -= p1;
        a->limb[L + 2] -= p2;
    } else {
        a->limb[L] += p0;
        a->limb[L + 1] += p1;
        a->limb[L + 2] += p2;
    }
    if (++a->pending >= (1u << 30))
        gcent__xacc_normalise(a);
}

/* a += b, exactly (b is left as it is, apart from normalisation). */
GCENT__HIDDEN void gcent__xacc_merge(gcent__xacc *a, gcent__xacc *b);
/* The sum as a double-double hi + lo (|lo| <= ulp(hi) / 2, relative error
 * about 2^-106), a function of the exact value alone; +-inf (lo = 0) when it
 * is beyond the double range, as IEEE rounding would give; NaN when a
 * non-finite term was added. Normalises a. */
GCENT__HIDDEN void gcent__xacc_get_dd(gcent__xacc *a, double *hi, double *lo);
/* The sum rounded to double (hi of gcent__xacc_get_dd). */
GCENT__HIDDEN double gcent__xacc_get(gcent__xacc *a);

/* a += x y exactly (the product split by a fused multiply-add into two
 * doubles). */
static inline void gcent__xacc_add_prod(gcent__xacc *a, double x, double y)
{
    double p = x * y;
    gcent__xacc_add(a, p);
    gcent__xacc_add(a, fma(x, y, -p));
}

/* a += x y z exactly (four doubles). */
static inline void gcent__xacc_add_prod3(gcent__xacc *a, double x, double y, double z)
{
    double p = x * y, e = fma(x, y, -p);
    gcent__xacc_add_prod(a, p, z);
    gcent__xacc_add_prod(a, e, z);
}

#endif /* GCENT_SUM_H */
