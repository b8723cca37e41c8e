/* The kernel: for one query, the sums of exp(lw_j - a |q - u_j|^2 - shift)
 * over the packed centres of a mixture, split into three slots, with the
 * distance, the exponential and the sum fused in registers and, with pruning,
 * whole blocks of centres skipped when a bounding box proves their terms
 * negligible; and the log-space log-sum-exp over a mixture's centres
 * (gcent__mix_lse), with the same exponential.
 *
 * One source (kernel_body.h) is compiled three times: for AVX-512F, for AVX2
 * with FMA, and portably with fma() from <math.h>; the best the CPU runs is
 * chosen at each call with __builtin_cpu_supports (the library's one
 * dispatch mechanism). The library is never built with -march or
 * -ffast-math: the targets are function attributes. Every version does the
 * same correctly rounded operations in the same order, so the results are
 * identical bits on every CPU. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "alloc.h"
#include "kernel.h"

/* No contraction of a * b + c into fma behind our back: GCC does not
 * contract under -std=c11; clang contracts by default unless told not to.
 * The fused operations are exactly the V_FMA/V_FNMA written. */
#if defined(__clang__)
#  pragma STDC FP_CONTRACT OFF
#endif

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__)) && \
    !defined(GCENT_PORTABLE_KERNEL)
#  define GCENT__X86 1
#  include <immintrin.h>
#else
#  define GCENT__X86 0
#endif

/* The table of the kernel's exponential (kernel_body.h), the same for every
 * instruction set: entry j is the bits of 2^(j/16), correctly rounded,
 * minus j << 48. The exponential's t = 1.5 * 2^52 + K (K = 16 k + j, an
 * integer) has K in its low bits, so its bits shifted left by 48 are
 * (16 k + j) << 48 modulo 2^64 (the constant's bits all shift out); added to
 * entry j they give the bits of 2^(j/16) with k added to the exponent field,
 * 2^(j/16) * 2^k, in two integer operations. */
static const uint64_t gcent__exp2tab[16] __attribute__((aligned(64))) = {
    0x3ff0000000000000, 0x3fefb5586cf9890f, 0x3fef72b83c7d517b, 0x3fef387a6e756238,
    0x3fef06fe0a31b715, 0x3feedea64c123422, 0x3feebfdad5362a27, 0x3feeab07dd485429,
    0x3feea09e667f3bcd, 0x3feea11473eb0187, 0x3feeace5422aa0db, 0x3feec49182a3f090,
    0x3feee89f995ad3ad, 0x3fef199bdd85529c, 0x3fef5818dcfba487, 0x3fefa4afa2a490da};

/* The table of the float exponential (kernel_body.h): entry j is the bits
 * of 2^(j/16) rounded to float, minus j << 19; the float t = 1.5 * 2^23 + K
 * shifted left by 19 gives (16 k + j) << 19 modulo 2^32, and so the same
 * two integer operations give 2^(j/16) * 2^k in float. */
static const uint32_t gcent__exp2tabf[16] __attribute__((aligned(64))) = {
    0x3f800000, 0x3f7daac3, 0x3f7b95c2, 0x3f79c3d3, 0x3f7837f0, 0x3f76f532, 0x3f75fed7,
    0x3f75583f, 0x3f7504f3, 0x3f7508a4, 0x3f75672a, 0x3f76248c, 0x3f7744fd, 0x3f78ccdf,
    0x3f7ac0c7, 0x3f7d257d};

/* ---- portable: 8 doubles in an array, fma() ----------------------------------- */

typedef struct {
    double v[8];
} gcent__v8;

#define P_BINARY(name, expr)                                                                 \
    static inline gcent__v8 name(gcent__v8 a, gcent__v8 b)                                   \
    {                                                                                        \
        for (int l = 0; l < 8; ++l) {                                                        \
            double x = a.v[l], y = b.v[l];                                                   \
            a.v[l] = (expr);                                                                 \
        }                                                                                    \
        return a;                                                                            \
    }
P_BINARY(p_add, x + y)
P_BINARY(p_sub, x - y)
P_BINARY(p_mul, x * y)
/* as the x86 max/min instructions: the second operand unless a > b (a < b) */
P_BINARY(p_max, x > y ? x : y)
P_BINARY(p_min, x < y ? x : y)

static inline gcent__v8 p_load(const double *p)
{
    gcent__v8 r;
    memcpy(r.v, p, sizeof r.v);
    return r;
}
static inline gcent__v8 p_set1(double x)
{
    gcent__v8 r;
    for (int l = 0; l < 8; ++l)
        r.v[l] = x;
    return r;
}
static inline gcent__v8 p_fma(gcent__v8 a, gcent__v8 b, gcent__v8 c)
{
    for (int l = 0; l < 8; ++l)
        c.v[l] = fma(a.v[l], b.v[l], c.v[l]);
    return c;
}
static inline gcent__v8 p_fnma(gcent__v8 a, gcent__v8 b, gcent__v8 c)
{
    for (int l = 0; l < 8; ++l)
        c.v[l] = fma(-a.v[l], b.v[l], c.v[l]);
    return c;
}
static inline gcent__v8 p_mul_keep_ge(gcent__v8 e, gcent__v8 t, gcent__v8 a, gcent__v8 b)
{
    for (int l = 0; l < 8; ++l)
        a.v[l] = e.v[l] >= t.v[l] ? a.v[l] * b.v[l] : 0.0;
    return a;
}
static inline int p_any_ge2(gcent__v8 e, gcent__v8 f, gcent__v8 t)
{
    int any = 0;
    for (int l = 0; l < 8; ++l)
        any |= (e.v[l] >= t.v[l]) | (f.v[l] >= t.v[l]);
    return any;
}
/* The bits of t (1.5 * 2^52 + K, K = 16 k + j an integer) give
 * 2^(j/16) * 2^k: the table entry with k added to its exponent field. */
static inline gcent__v8 p_exp2tab(gcent__v8 t)
{
    for (int l = 0; l < 8; ++l) {
        uint64_t b;
        memcpy(&b, &t.v[l], sizeof b);
        b = (b << 48) + gcent__exp2tab[b & 15u];
        memcpy(&t.v[l], &b, sizeof b);
    }
    return t;
}

/* 16 floats in an array, fmaf(). */
typedef struct {
    float v[16];
} gcent__f16;

#define PF_BINARY(name, expr)                                                                \
    static inline gcent__f16 name(gcent__f16 a, gcent__f16 b)                                \
    {                                                                                        \
        for (int l = 0; l < 16; ++l) {                                                       \
            float x = a.v[l], y = b.v[l];                                                    \
            a.v[l] = (expr);                                                                 \
        }                                                                                    \
        return a;                                                                            \
    }
PF_BINARY(pf_add, x + y)
PF_BINARY(pf_sub, x - y)
PF_BINARY(pf_mul, x * y)
PF_BINARY(pf_max, x > y ? x : y)
PF_BINARY(pf_min, x < y ? x : y)

static inline gcent__f16 pf_load(const float *p)
{
    gcent__f16 r;
    memcpy(r.v, p, sizeof r.v);
    return r;
}
static inline gcent__f16 pf_set1(float x)
{
    gcent__f16 r;
    for (int l = 0; l < 16; ++l)
        r.v[l] = x;
    return r;
}
static inline gcent__f16 pf_fma(gcent__f16 a, gcent__f16 b, gcent__f16 c)
{
    for (int l = 0; l < 16; ++l)
        c.v[l] = fmaf(a.v[l], b.v[l], c.v[l]);
    return c;
}
static inline gcent__f16 pf_fnma(gcent__f16 a, gcent__f16 b, gcent__f16 c)
{
    for (int l = 0; l < 16; ++l)
        c.v[l] = fmaf(-a.v[l], b.v[l], c.v[l]);
    return c;
}
static inline gcent__f16 pf_mul_keep_ge(gcent__f16 e, gcent__f16 t, gcent__f16 a, gcent__f16 b)
{
    for (int l = 0; l < 16; ++l)
        a.v[l] = e.v[l] >= t.v[l] ? a.v[l] * b.v[l] : 0.0f;
    return a;
}
static inline int pf_any_ge2(gcent__f16 e, gcent__f16 f, gcent__f16 t)
{
    int any = 0;
    for (int l = 0; l < 16; ++l)
        any |= (e.v[l] >= t.v[l]) | (f.v[l] >= t.v[l]);
    return any;
}
static inline gcent__f16 pf_exp2tab(gcent__f16 t)
{
    for (int l = 0; l < 16; ++l) {
        uint32_t b;
        memcpy(&b, &t.v[l], sizeof b);
        b = (b << 19) + gcent__exp2tabf[b & 15u];
        memcpy(&t.v[l], &b, sizeof b);
    }
    return t;
}
/* acc (8 doubles) += lanes 0-7 + lanes 8-15 of y, lane by lane, in double */
static inline gcent__v8 p_add_f16(gcent__v8 acc, gcent__f16 y)
{
    for (int l = 0; l < 8; ++l)
        acc.v[l] += (double)y.v[l] + (double)y.v[l + 8];
    return acc;
}

#define KATTR
#define KNAME(x) x##_portable
#define KFLOAT_WIDTHS 0 /* see query_run in kernel_body.h */
#define vd gcent__v8
#define V_LOAD(p) p_load(p)
#define V_SET1(x) p_set1(x)
#define V_ADD(a, b) p_add(a, b)
#define V_SUB(a, b) p_sub(a, b)
#define V_MUL(a, b) p_mul(a, b)
#define V_MAX(a, b) p_max(a, b)
#define V_MIN(a, b) p_min(a, b)
#define V_FMA(a, b, c) p_fma(a, b, c)
#define V_FNMA(a, b, c) p_fnma(a, b, c)
#define V_MUL_KEEP_GE(e, t, a, b) p_mul_keep_ge(e, t, a, b)
#define V_ANY_GE2(e, f, t) p_any_ge2(e, f, t)
#define V_SPLIT_EQ(g, o, y, yin, yout)                                                       \
    do {                                                                                     \
        gcent__v8 g_ = (g), o_ = (o), y_ = (y);                                              \
        for (int l_ = 0; l_ < 8; ++l_) {                                                     \
            int in_ = g_.v[l_] == o_.v[l_];                                                  \
            (yin).v[l_] = in_ ? y_.v[l_] : 0.0;                                              \
            (yout).v[l_] = in_ ? 0.0 : y_.v[l_];                                             \
        }                                                                                    \
    } while (0)
#define V_EXP2TAB(t) p_exp2tab(t)
#define V_STORE(p, a) memcpy((p), (a).v, sizeof(a).v)
#define vf gcent__f16
#define F_LOAD(p) pf_load(p)
#define F_SET1(x) pf_set1(x)
#define F_ADD(a, b) pf_add(a, b)
#define F_SUB(a, b) pf_sub(a, b)
#define F_MUL(a, b) pf_mul(a, b)
#define F_MAX(a, b) pf_max(a, b)
#define F_MIN(a, b) pf_min(a, b)
#define F_FMA(a, b, c) pf_fma(a, b, c)
#define F_FNMA(a, b, c) pf_fnma(a, b, c)
#define F_MUL_KEEP_GE(e, t, a, b) pf_mul_keep_ge(e, t, a, b)
#define F_ANY_GE2(e, f, t) pf_any_ge2(e, f, t)
#define F_SPLIT_EQI(g, o, y, yin, yout)                                                      \
    do {                                                                                     \
        const int32_t *g_ = (g);                                                             \
        int32_t o_ = (o);                                                                    \
        gcent__f16 y_ = (y);                                                                 \
        for (int l_ = 0; l_ < 16; ++l_) {                                                    \
            int in_ = g_[l_] == o_;                                                          \
            (yin).v[l_] = in_ ? y_.v[l_] : 0.0f;                                             \
            (yout).v[l_] = in_ ? 0.0f : y_.v[l_];                                            \
        }                                                                                    \
    } while (0)
#define F_EXP2TAB(t) pf_exp2tab(t)
#define V_ADD_F(acc, y) p_add_f16(acc, y)
#define F_STORE(p, a) memcpy((p), (a).v, sizeof(a).v)
#include "kernel_body.h"

#if GCENT__X86
/* ---- AVX2 + FMA: two 4-lane halves ---------------------------------------------- */

typedef struct {
    __m256d lo, hi;
} gcent__v4x2;

#define A2_ATTR __attribute__((target("avx2,fma")))
#define A2_BINARY(name, f)                                                                   \
    A2_ATTR static inline gcent__v4x2 name(gcent__v4x2 a, gcent__v4x2 b)                     \
    {                                                                                        \
        return (gcent__v4x2){f(a.lo, b.lo), f(a.hi, b.hi)};                                  \
    }
A2_BINARY(a2_add, _mm256_add_pd)
A2_BINARY(a2_sub, _mm256_sub_pd)
A2_BINARY(a2_mul, _mm256_mul_pd)
A2_BINARY(a2_max, _mm256_max_pd)
A2_BINARY(a2_min, _mm256_min_pd)

A2_ATTR static inline gcent__v4x2 a2_load(const double *p)
{
    return (gcent__v4x2){_mm256_loadu_pd(p), _mm256_loadu_pd(p + 4)};
}
A2_ATTR static inline gcent__v4x2 a2_set1(double x)
{
    __m256d v = _mm256_set1_pd(x);
    return (gcent__v4x2){v, v};
}
A2_ATTR static inline gcent__v4x2 a2_fma(gcent__v4x2 a, gcent__v4x2 b, gcent__v4x2 c)
{
    return (gcent__v4x2){_mm256_fmadd_pd(a.lo, b.lo, c.lo), _mm256_fmadd_pd(a.hi, b.hi, c.hi)};
}
A2_ATTR static inline gcent__v4x2 a2_fnma(gcent__v4x2 a, gcent__v4x2 b, gcent__v4x2 c)
{
    return (gcent__v4x2){_mm256_fnmadd_pd(a.lo, b.lo, c.lo),
                         _mm256_fnmadd_pd(a.hi, b.hi, c.hi)};
}
A2_ATTR static inline gcent__v4x2 a2_mul_keep_ge(gcent__v4x2 e, gcent__v4x2 t,
                                                 gcent__v4x2 a, gcent__v4x2 b)
{
    return (gcent__v4x2){
        _mm256_and_pd(_mm256_mul_pd(a.lo, b.lo), _mm256_cmp_pd(e.lo, t.lo, _CMP_GE_OQ)),
        _mm256_and_pd(_mm256_mul_pd(a.hi, b.hi), _mm256_cmp_pd(e.hi, t.hi, _CMP_GE_OQ))};
}
A2_ATTR static inline int a2_any_ge2(gcent__v4x2 e, gcent__v4x2 f, gcent__v4x2 t)
{
    __m256d m = _mm256_or_pd(_mm256_or_pd(_mm256_cmp_pd(e.lo, t.lo, _CMP_GE_OQ),
                                          _mm256_cmp_pd(e.hi, t.hi, _CMP_GE_OQ)),
                             _mm256_or_pd(_mm256_cmp_pd(f.lo, t.lo, _CMP_GE_OQ),
                                          _mm256_cmp_pd(f.hi, t.hi, _CMP_GE_OQ)));
    return _mm256_movemask_pd(m);
}
A2_ATTR static inline __m256d a2_exp2tab1(__m256d t)
{
    __m256i b = _mm256_castpd_si256(t);
    __m256i j = _mm256_and_si256(b, _mm256_set1_epi64x(15));
    __m256i e = _mm256_i64gather_epi64((const long long *)gcent__exp2tab, j, 8);
    b = _mm256_add_epi64(_mm256_slli_epi64(b, 48), e);
    return _mm256_castsi256_pd(b);
}
A2_ATTR static inline gcent__v4x2 a2_exp2tab(gcent__v4x2 t)
{
    return (gcent__v4x2){a2_exp2tab1(t.lo), a2_exp2tab1(t.hi)};
}

/* 16 floats as two 8-lane halves (lanes 0-7, 8-15). */
typedef struct {
    __m256 lo, hi;
} gcent__f8x2;

#define A2F_BINARY(name, f)                                                                  \
    A2_ATTR static inline gcent__f8x2 name(gcent__f8x2 a, gcent__f8x2 b)                     \
    {                                                                                        \
        return (gcent__f8x2){f(a.lo, b.lo), f(a.hi, b.hi)};                                  \
    }
A2F_BINARY(a2f_add, _mm256_add_ps)
A2F_BINARY(a2f_sub, _mm256_sub_ps)
A2F_BINARY(a2f_mul, _mm256_mul_ps)
A2F_BINARY(a2f_max, _mm256_max_ps)
A2F_BINARY(a2f_min, _mm256_min_ps)

A2_ATTR static inline gcent__f8x2 a2f_load(const float *p)
{
    return (gcent__f8x2){_mm256_loadu_ps(p), _mm256_loadu_ps(p + 8)};
}
A2_ATTR static inline gcent__f8x2 a2f_set1(float x)
{
    __m256 v = _mm256_set1_ps(x);
    return (gcent__f8x2){v, v};
}
A2_ATTR static inline gcent__f8x2 a2f_fma(gcent__f8x2 a, gcent__f8x2 b, gcent__f8x2 c)
{
    return (gcent__f8x2){_mm256_fmadd_ps(a.lo, b.lo, c.lo), _mm256_fmadd_ps(a.hi, b.hi, c.hi)};
}
A2_ATTR static inline gcent__f8x2 a2f_fnma(gcent__f8x2 a, gcent__f8x2 b, gcent__f8x2 c)
{
    return (gcent__f8x2){_mm256_fnmadd_ps(a.lo, b.lo, c.lo),
                         _mm256_fnmadd_ps(a.hi, b.hi, c.hi)};
}
A2_ATTR static inline gcent__f8x2 a2f_mul_keep_ge(gcent__f8x2 e, gcent__f8x2 t, gcent__f8x2 a,
                                                  gcent__f8x2 b)
{
    return (gcent__f8x2){
        _mm256_and_ps(_mm256_mul_ps(a.lo, b.lo), _mm256_cmp_ps(e.lo, t.lo, _CMP_GE_OQ)),
        _mm256_and_ps(_mm256_mul_ps(a.hi, b.hi), _mm256_cmp_ps(e.hi, t.hi, _CMP_GE_OQ))};
}
A2_ATTR static inline int a2f_any_ge2(gcent__f8x2 e, gcent__f8x2 f, gcent__f8x2 t)
{
    __m256 m = _mm256_or_ps(_mm256_or_ps(_mm256_cmp_ps(e.lo, t.lo, _CMP_GE_OQ),
                                         _mm256_cmp_ps(e.hi, t.hi, _CMP_GE_OQ)),
                            _mm256_or_ps(_mm256_cmp_ps(f.lo, t.lo, _CMP_GE_OQ),
                                         _mm256_cmp_ps(f.hi, t.hi, _CMP_GE_OQ)));
    return _mm256_movemask_ps(m);
}
/* entries j < 8 and j >= 8 by two 8-lane permutes (low 3 bits), chosen by bit 3 */
A2_ATTR static inline __m256 a2f_exp2tab1(__m256 t)
{
    __m256i b = _mm256_castps_si256(t);
    __m256 lo = _mm256_permutevar8x32_ps(_mm256_load_ps((const float *)gcent__exp2tabf), b);
    __m256 hi = _mm256_permutevar8x32_ps(_mm256_load_ps((const float *)gcent__exp2tabf + 8), b);
    __m256 e = _mm256_blendv_ps(lo, hi, _mm256_castsi256_ps(_mm256_slli_epi32(b, 28)));
    return _mm256_castsi256_ps(_mm256_add_epi32(_mm256_slli_epi32(b, 19), _mm256_castps_si256(e)));
}
A2_ATTR static inline gcent__f8x2 a2f_exp2tab(gcent__f8x2 t)
{
    return (gcent__f8x2){a2f_exp2tab1(t.lo), a2f_exp2tab1(t.hi)};
}
A2_ATTR static inline gcent__v4x2 a2_add_f16(gcent__v4x2 acc, gcent__f8x2 y)
{
    __m256d a = _mm256_add_pd(_mm256_cvtps_pd(_mm256_castps256_ps128(y.lo)),
                              _mm256_cvtps_pd(_mm256_castps256_ps128(y.hi)));
    __m256d b = _mm256_add_pd(_mm256_cvtps_pd(_mm256_extractf128_ps(y.lo, 1)),
                              _mm256_cvtps_pd(_mm256_extractf128_ps(y.hi, 1)));
    return (gcent__v4x2){_mm256_add_pd(acc.lo, a), _mm256_add_pd(acc.hi, b)};
}

#define KATTR A2_ATTR
#define KNAME(x) x##_avx2
#define KFLOAT_WIDTHS 1
#define vd gcent__v4x2
#define V_LOAD(p) a2_load(p)
#define V_SET1(x) a2_set1(x)
#define V_ADD(a, b) a2_add(a, b)
#define V_SUB(a, b) a2_sub(a, b)
#define V_MUL(a, b) a2_mul(a, b)
#define V_MAX(a, b) a2_max(a, b)
#define V_MIN(a, b) a2_min(a, b)
#define V_FMA(a, b, c) a2_fma(a, b, c)
#define V_FNMA(a, b, c) a2_fnma(a, b, c)
#define V_MUL_KEEP_GE(e, t, a, b) a2_mul_keep_ge(e, t, a, b)
#define V_ANY_GE2(e, f, t) a2_any_ge2(e, f, t)
#define V_SPLIT_EQ(g, o, y, yin, yout)                                                       \
    do {                                                                                     \
        gcent__v4x2 g_ = (g), o_ = (o), y_ = (y);                                            \
        __m256d ml_ = _mm256_cmp_pd(g_.lo, o_.lo, _CMP_EQ_OQ);                               \
        __m256d mh_ = _mm256_cmp_pd(g_.hi, o_.hi, _CMP_EQ_OQ);                               \
        (yin) = (gcent__v4x2){_mm256_and_pd(ml_, y_.lo), _mm256_and_pd(mh_, y_.hi)};         \
        (yout) = (gcent__v4x2){_mm256_andnot_pd(ml_, y_.lo), _mm256_andnot_pd(mh_, y_.hi)};  \
    } while (0)
#define V_EXP2TAB(t) a2_exp2tab(t)
#define V_STORE(p, a)                                                                        \
    do {                                                                                     \
        gcent__v4x2 s_ = (a);                                                                \
        _mm256_storeu_pd((p), s_.lo);                                                        \
        _mm256_storeu_pd((p) + 4, s_.hi);                                                    \
    } while (0)
#define vf gcent__f8x2
#define F_LOAD(p) a2f_load(p)
#define F_SET1(x) a2f_set1(x)
#define F_ADD(a, b) a2f_add(a, b)
#define F_SUB(a, b) a2f_sub(a, b)
#define F_MUL(a, b) a2f_mul(a, b)
#define F_MAX(a, b) a2f_max(a, b)
#define F_MIN(a, b) a2f_min(a, b)
#define F_FMA(a, b, c) a2f_fma(a, b, c)
#define F_FNMA(a, b, c) a2f_fnma(a, b, c)
#define F_MUL_KEEP_GE(e, t, a, b) a2f_mul_keep_ge(e, t, a, b)
#define F_ANY_GE2(e, f, t) a2f_any_ge2(e, f, t)
#define F_SPLIT_EQI(g, o, y, yin, yout)                                                      \
    do {                                                                                     \
        const int32_t *g_ = (g);                                                             \
        __m256i o_ = _mm256_set1_epi32(o);                                                   \
        gcent__f8x2 y_ = (y);                                                                \
        __m256 ml_ = _mm256_castsi256_ps(                                                    \
            _mm256_cmpeq_epi32(_mm256_loadu_si256((const __m256i *)g_), o_));                \
        __m256 mh_ = _mm256_castsi256_ps(                                                    \
            _mm256_cmpeq_epi32(_mm256_loadu_si256((const __m256i *)(g_ + 8)), o_));          \
        (yin) = (gcent__f8x2){_mm256_and_ps(ml_, y_.lo), _mm256_and_ps(mh_, y_.hi)};         \
        (yout) = (gcent__f8x2){_mm256_andnot_ps(ml_, y_.lo), _mm256_andnot_ps(mh_, y_.hi)};  \
    } while (0)
#define F_EXP2TAB(t) a2f_exp2tab(t)
#define V_ADD_F(acc, y) a2_add_f16(acc, y)
#define F_STORE(p, a)                                                                        \
    do {                                                                                     \
        gcent__f8x2 s_ = (a);                                                                \
        _mm256_storeu_ps((p), s_.lo);                                                        \
        _mm256_storeu_ps((p) + 8, s_.hi);                                                    \
    } while (0)
#include "kernel_body.h"

/* ---- AVX-512F ---------------------------------------------------------------------- */

#define A5_ATTR __attribute__((target("avx512f")))

A5_ATTR static inline __m512d a5_mul_keep_ge(__m512d e, __m512d t, __m512d a, __m512d b)
{
    return _mm512_maskz_mul_pd(_mm512_cmp_pd_mask(e, t, _CMP_GE_OQ), a, b);
}
A5_ATTR static inline __m512d a5_exp2tab(__m512d t)
{
    /* vpermt2q reads the low 4 bits of each index: j */
    __m512i b = _mm512_castpd_si512(t);
    __m512i tab = _mm512_permutex2var_epi64(_mm512_load_si512(gcent__exp2tab), b,
                                            _mm512_load_si512(gcent__exp2tab + 8));
    b = _mm512_add_epi64(_mm512_slli_epi64(b, 48), tab);
    return _mm512_castsi512_pd(b);
}

A5_ATTR static inline __m512 a5f_mul_keep_ge(__m512 e, __m512 t, __m512 a, __m512 b)
{
    return _mm512_maskz_mul_ps(_mm512_cmp_ps_mask(e, t, _CMP_GE_OQ), a, b);
}
A5_ATTR static inline __m512 a5f_exp2tab(__m512 t)
{
    /* vpermd reads the low 4 bits of each index: j */
    __m512i b = _mm512_castps_si512(t);
    __m512i tab = _mm512_permutexvar_epi32(b, _mm512_load_si512(gcent__exp2tabf));
    return _mm512_castsi512_ps(_mm512_add_epi32(_mm512_slli_epi32(b, 19), tab));
}
A5_ATTR static inline __m512d a5_add_f16(__m512d acc, __m512 y)
{
    __m256 hi = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(y), 1));
    return _mm512_add_pd(acc, _mm512_add_pd(_mm512_cvtps_pd(_mm512_castps512_ps256(y)),
                                            _mm512_cvtps_pd(hi)));
}

#define KATTR A5_ATTR
#define KNAME(x) x##_avx512
#define KFLOAT_WIDTHS 1
#define vd __m512d
#define V_LOAD(p) _mm512_loadu_pd(p)
#define V_SET1(x) _mm512_set1_pd(x)
#define V_ADD(a, b) _mm512_add_pd(a, b)
#define V_SUB(a, b) _mm512_sub_pd(a, b)
#define V_MUL(a, b) _mm512_mul_pd(a, b)
#define V_MAX(a, b) _mm512_max_pd(a, b)
#define V_MIN(a, b) _mm512_min_pd(a, b)
#define V_FMA(a, b, c) _mm512_fmadd_pd(a, b, c)
#define V_FNMA(a, b, c) _mm512_fnmadd_pd(a, b, c)
#define V_MUL_KEEP_GE(e, t, a, b) a5_mul_keep_ge(e, t, a, b)
#define V_ANY_GE2(e, f, t)                                                                    \
    ((_mm512_cmp_pd_mask((e), (t), _CMP_GE_OQ) | _mm512_cmp_pd_mask((f), (t), _CMP_GE_OQ)) != 0)
#define V_SPLIT_EQ(g, o, y, yin, yout)                                                       \
    do {                                                                                     \
        __mmask8 m_ = _mm512_cmp_pd_mask((g), (o), _CMP_EQ_OQ);                              \
        (yin) = _mm512_maskz_mov_pd(m_, (y));                                                \
        (yout) = _mm512_maskz_mov_pd((__mmask8)~m_, (y));                                    \
    } while (0)
#define V_EXP2TAB(t) a5_exp2tab(t)
#define V_STORE(p, a) _mm512_storeu_pd((p), (a))
#define vf __m512
#define F_LOAD(p) _mm512_loadu_ps(p)
#define F_SET1(x) _mm512_set1_ps(x)
#define F_ADD(a, b) _mm512_add_ps(a, b)
#define F_SUB(a, b) _mm512_sub_ps(a, b)
#define F_MUL(a, b) _mm512_mul_ps(a, b)
#define F_MAX(a, b) _mm512_max_ps(a, b)
#define F_MIN(a, b) _mm512_min_ps(a, b)
#define F_FMA(a, b, c) _mm512_fmadd_ps(a, b, c)
#define F_FNMA(a, b, c) _mm512_fnmadd_ps(a, b, c)
#define F_MUL_KEEP_GE(e, t, a, b) a5f_mul_keep_ge(e, t, a, b)
#define F_ANY_GE2(e, f, t)                                                                    \
    ((_mm512_cmp_ps_mask((e), (t), _CMP_GE_OQ) | _mm512_cmp_ps_mask((f), (t), _CMP_GE_OQ)) != 0)
#define F_SPLIT_EQI(g, o, y, yin, yout)                                                      \
    do {                                                                                     \
        __mmask16 m_ = _mm512_cmpeq_epi32_mask(_mm512_loadu_si512((const void *)(g)),        \
                                               _mm512_set1_epi32(o));                        \
        (yin) = _mm512_maskz_mov_ps(m_, (y));                                                \
        (yout) = _mm512_maskz_mov_ps((__mmask16)~m_, (y));                                   \
    } while (0)
#define F_EXP2TAB(t) a5f_exp2tab(t)
#define V_ADD_F(acc, y) a5_add_f16(acc, y)
#define F_STORE(p, a) _mm512_storeu_ps((p), (a))
#include "kernel_body.h"
#endif /* GCENT__X86 */

/* ---- dispatch ------------------------------------------------------------------------ */

/* The instruction set the CPU runs: 2 AVX-512F, 1 AVX2+FMA, 0 portable.
 * __builtin_cpu_supports reads what libgcc's constructor found; calling it
 * is cheap and keeps no state of ours. */
static inline int cpu_isa(void)
{
#if GCENT__X86
    if (__builtin_cpu_supports("avx512f"))
        return 2;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return 1;
#endif
    return 0;
}

int gcent__pack_isa(void)
{
#if GCENT__X86
    __builtin_cpu_init();
#endif
    return cpu_isa();
}

static double sums_on(int isa, const gcent__pack *P, const gcent__query *Q, double out[3])
{
#if GCENT__X86
    if (isa == 2)
        return pack_sums_avx512(P, Q, out);
    if (isa == 1)
        return pack_sums_avx2(P, Q, out);
#endif
    (void)isa;
    return pack_sums_portable(P, Q, out);
}

static void batch_on(int isa, const gcent__pack *P, const gcent__query *Q, size_t nq,
                     double *out, double *over, gcent__pk_work *W)
{
#if GCENT__X86
    if (isa == 2) {
        pack_batch_avx512(P, Q, nq, out, over, W);
        return;
    }
    if (isa == 1) {
        pack_batch_avx2(P, Q, nq, out, over, W);
        return;
    }
#endif
    (void)isa;
    pack_batch_portable(P, Q, nq, out, over, W);
}

static double lse_on(int isa, const gcent__mix *m, const double *q, double a, double shift,
                     size_t lo, size_t hi, size_t skip, double *buf)
{
#if GCENT__X86
    if (isa == 2)
        return mix_lse_avx512(m, q, a, shift, lo, hi, skip, buf);
    if (isa == 1)
        return mix_lse_avx2(m, q, a, shift, lo, hi, skip, buf);
#endif
    (void)isa;
    return mix_lse_portable(m, q, a, shift, lo, hi, skip, buf);
}

double gcent__pack_sums(const gcent__pack *P, const gcent__query *Q, double out[3])
{
    return sums_on(cpu_isa(), P, Q, out);
}

double gcent__pack_sums_isa(int isa, const gcent__pack *P, const gcent__query *Q,
                            double out[3])
{
    if (isa < 0 || isa > gcent__pack_isa())
        return NAN;
    return sums_on(isa, P, Q, out);
}

/* ---- single precision: which queries run in float ------------------------------------ */

/* Half an ulp of a float of magnitude at most x: |fl(y) - y| for |y| <= x
 * (at least half the smallest subnormal). */
static double f32_halfulp(double x)
{
    int e = 0;
    if (x > 0.0)
        (void)frexp(x, &e); /* x < 2^e */
    double h = ldexp(1.0, e - 25);
    return h > 0x1p-150 ? h : 0x1p-150;
}

/* Roundings a squared distance's first term goes through in the float
 * kernel (kernel_body.h, fterms): the product, then the fused
 * multiply-adds of its chain (one chain below 4 coordinates; two, even and
 * odd coordinates, added at the end, from 4 on; above 12, fdist_wide's
 * chunks). */
static double f32_dist_roundings(size_t d)
{
    if (d > 12) /* fdist_wide: chains of at most 8 terms, chunk sums, A + B */
        return (double)(10 + (d - 8 + 15) / 16);
    return d < 4 ? (double)d : (double)((d + 1) / 2 + 1);
}

/* A bound on the weighted |D' - D| of the distances: with eps the error of
 * a coordinate difference from rounding the query and the centre to float,
 * D the (weighted) squared distance and g = gamma_{L+2}:
 * sum_k |t~_k^2 - tau_k^2| <= 2 eps |tau|_1 + d eps^2, |tau|_1 <= sqrt(d D),
 * and the chain's roundings (and the difference's) g (D + that). */
static double f32_dist_err(double D, double dd, double eps, double g)
{
    double first = 2.0 * eps * sqrt(dd * D) + dd * eps * eps;
    return first + g * (D + first);
}

/* The bound on |e_j - E_j| of the exponents, for terms whose distance is
 * (on average, or at most) D. */
static double f32_exp_err(double D, double a, double c, double W, double dd, double eps,
                          double g)
{
    const double u = 0x1p-24;
    return 3.0 * u * (c + W) + (u + GCENT__F32_EXP_ERR_X) * (c + W + a * D) +
           a * (1.0 + u) * f32_dist_err(D, dd, eps, g);
}

/* The derivation (u = 2^-24, a term T_j = exp(E_j), E_j = C_j - a D_j,
 * C_j = lw_j - shift, D_j = |q - u_j|^2, c = |lw_top - shift|, W the span of
 * the log weights):
 * - the float exponent e_j = fl(fl(lwf_j + cf) - a D'_j) is within
 *   2u(c + W) (the rounded log weight and c, their sum) + a |D'_j - D_j| +
 *   u |E_j| of E_j, and the exponential's reduction adds
 *   GCENT__F32_EXP_ERR_X |E_j|;
 * - every term is multiplied by 1 + r_j with |r_j| <= K (|e_j - E_j| +
 *   eps_exp + gamma_7), K = exp(largest |e_j - E_j| + eps_exp + gamma_7)
 *   (at most 1 + 2 x for x <= 1/2), the largest over the terms that are not
 *   flushed (a D_j <= c + |flush| + 1); gamma_7: the float sums of a unit's
 *   terms, at most GCENT__F32_SUM_BLOCKS per lane;
 * - so log(1 + S) moves by at most log(1 + sum_j p_j r_j), p_j = T_j / (1 +
 *   S): a weighted mean. With those weights sum_j p_j a D_j <= c + ln(N + 1)
 *   (a D_j = C_j - ln T_j, and sum_j p_j ln(1 / T_j) is at most the entropy
 *   of (p_0 = 1 / (1 + S), p_1 .. p_N), <= ln(N + 1)); the distance error
 *   is concave in D_j (Jensen); sum_j p_j |E_j| <= c + W + a Dw.
 * - flushed terms: below e^flush each, e^-37 in all; the double sums of
 *   the float terms: (N/8 + 16) 2^-53.
 * The bound holds for any subset of the terms (a slot, a union of slots,
 * the blocks pruning keeps), each with its own weights. */
double gcent__f32_bound(const gcent__pack *P, const gcent__query *Q)
{
    const double u = 0x1p-24;
    if (P->uf == NULL || !(Q->a > 0.0) || (double)(float)Q->a != Q->a)
        return INFINITY;
    const size_t d = P->d;
    double qmax = 0.0;
    for (size_t k = 0; k < d; ++k) {
        double x = fabs(Q->q[k]);
        if (!(x <= 1e30))
            return INFINITY;
        qmax = x > qmax ? x : qmax;
    }
    const double M = qmax > P->umax ? qmax : P->umax;
    const double c = fabs(P->lw_top - Q->shift);
    double W = P->lw_span;
    if (Q->skip_lw != -INFINITY && P->lw_top - Q->skip_lw > W)
        W = P->lw_top - Q->skip_lw;
    if (!(c <= 1e30) || !(W <= 1e30))
        return INFINITY;
    const double a = Q->a, dd = (double)d, eps = 2.0 * f32_halfulp(M);
    const double L2 = f32_dist_roundings(d) + 2.0, g = L2 * u / (1.0 - L2 * u);
    const double N = (double)P->n;
    const double fs = (GCENT__F32_SUM_BLOCKS - 1) * u / (1.0 - (GCENT__F32_SUM_BLOCKS - 1) * u);
    const double dew = f32_exp_err((c + P->lnn1) / a, a, c, W, dd, eps, g);
    const double dem = f32_exp_err((c + fabs(P->flush) + 1.0) / a, a, c, W, dd, eps, g);
    const double x = dem + GCENT__F32_EXP_ERR + fs;
    if (!(x <= 0.5))
        return INFINITY;
    const double rho = (1.0 + 2.0 * x) * (dew + GCENT__F32_EXP_ERR + fs);
    if (!(rho < 0.5))
        return INFINITY;
    return rho / (1.0 - rho) + 1e-16 * (1.0 + 2.0 * x) + (N / 8.0 + 16.0) * 0x1p-53;
}

/* Which queries of a batch run in float (W->fsel), and their float form. */
static void f32_prepare(const gcent__pack *P, const gcent__query *Q, size_t nq,
                        gcent__pk_work *W)
{
    if (W->fsel == NULL)
        return;
    const size_t d = P->d;
    for (size_t i = 0; i < nq; ++i) {
        W->fsel[i] = 0;
        if (P->uf == NULL || !(gcent__f32_bound(P, &Q[i]) <= GCENT__F32_CAP))
            continue;
        float *qf = W->qf + i * d;
        for (size_t k = 0; k < d; ++k)
            qf[k] = (float)Q[i].q[k];
        W->fq[i] = (gcent__pk_fq){
            .q = qf, .c = (float)(P->lw_top - Q[i].shift),
            .skip_lw = Q[i].skip_lw == -INFINITY ? -INFINITY
                                                 : (float)(Q[i].skip_lw - P->lw_top),
            .own = (int32_t)Q[i].own};
        W->fsel[i] = 1;
        ++W->fqueries;
    }
}

void gcent__pack_sums_batch(const gcent__pack *P, const gcent__query *Q, size_t nq,
                            double *out, double *over, gcent__pk_work *W)
{
    f32_prepare(P, Q, nq, W);
    batch_on(cpu_isa(), P, Q, nq, out, over, W);
}

int gcent__pack_sums_batch_isa(int isa, const gcent__pack *P, const gcent__query *Q, size_t nq,
                               double *out, double *over, gcent__pk_work *W)
{
    if (isa < 0 || isa > gcent__pack_isa())
        return -1;
    f32_prepare(P, Q, nq, W);
    batch_on(isa, P, Q, nq, out, over, W);
    return 0;
}

double gcent__mix_lse(const gcent__mix *m, const double *q, double a, double shift, size_t lo,
                      size_t hi, size_t skip, double *buf)
{
    return lse_on(cpu_isa(), m, q, a, shift, lo, hi, skip, buf);
}

double gcent__mix_lse_isa(int isa, const gcent__mix *m, const double *q, double a,
                          double shift, size_t lo, size_t hi, size_t skip, double *buf)
{
    if (isa < 0 || isa > gcent__pack_isa())
        return NAN;
    return lse_on(isa, m, q, a, shift, lo, hi, skip, buf);
}

/* ---- batch scratch --------------------------------------------------------------------- */

/* Blocks per cache run: about 16 KiB of coordinates, log weights and
 * groups, half the L1 data cache of current x86 cores. With pruning, room
 * for the leaves a batch keeps: their boxes by coordinate (for the per-query
 * test, 8 leaves at a time) and each query's verdicts. Sized for the pack's
 * capacity, so that it serves every pack built in that storage. */
int gcent__pk_work_init(gcent__pk_work *W, const gcent__pack *P)
{
    memset(W, 0, sizeof *W);
    /* with the float copy, runs of its (smaller) blocks, in whole groups of
     * GCENT__F32_SUM_BLOCKS (a function of the pack alone: the float sums
     * are grouped within runs) */
    const size_t per_block = GCENT__PK_BLK * (P->d + 2) *
                             (P->cap_single ? sizeof(float) : sizeof(double));
    W->run = 16384 / per_block;
    if (P->cap_single && W->run >= GCENT__F32_SUM_BLOCKS)
        W->run = W->run / GCENT__F32_SUM_BLOCKS * GCENT__F32_SUM_BLOCKS;
    if (W->run < 1)
        W->run = 1;
    const size_t nunit = P->cap_node + P->cap_npad / GCENT__PK_BLK + P->cap_seg + 1;
    W->unit = gcent__malloc(nunit * sizeof *W->unit);
    W->acc = gcent__malloc(GCENT__PK_QB * 24 * sizeof(double));
    W->lim = gcent__malloc(GCENT__PK_QB * sizeof(double));
    if (P->cap_prune) { /* d <= GCENT__PK_DMAX */
        const size_t nl8 = (P->cap_node + 8) / 8 * 8;
        W->qbox = gcent__malloc(2 * P->d * sizeof(double));
        W->lbox = gcent__malloc(2 * P->d * nl8 * sizeof(double));
        W->keep = gcent__malloc(GCENT__PK_QB * nl8);
    }
    if (P->cap_single) {
        W->qf = gcent__malloc(GCENT__PK_QB * (P->d ? P->d : 1) * sizeof(float));
        W->fq = gcent__malloc(GCENT__PK_QB * sizeof *W->fq);
        W->fsel = gcent__malloc(GCENT__PK_QB);
        W->facc = gcent__malloc(GCENT__PK_QB * 48 * sizeof(float));
        W->fgroup = gcent__malloc(GCENT__PK_QB * sizeof(size_t));
    }
    if (!W->unit || !W->acc || !W->lim || (P->cap_prune && (!W->qbox || !W->lbox || !W->keep)) ||
        (P->cap_single && (!W->qf || !W->fq || !W->fsel || !W->facc || !W->fgroup))) {
        gcent__pk_work_free(W);
        return GCENT_ENOMEM;
    }
    return GCENT_OK;
}

void gcent__pk_work_free(gcent__pk_work *W)
{
    if (W == NULL)
        return;
    gcent__free(W->unit);
    gcent__free(W->acc);
    gcent__free(W->lim);
    gcent__free(W->qbox);
    gcent__free(W->lbox);
    gcent__free(W->keep);
    gcent__free(W->qf);
    gcent__free(W->fq);
    gcent__free(W->fsel);
    gcent__free(W->facc);
    gcent__free(W->fgroup);
    memset(W, 0, sizeof *W);
}
