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

#define KATTR
#define KNAME(x) x##_portable
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

#define KATTR A2_ATTR
#define KNAME(x) x##_avx2
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

#define KATTR A5_ATTR
#define KNAME(x) x##_avx512
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

void gcent__pack_sums_batch(const gcent__pack *P, const gcent__query *Q, size_t nq,
                            double *out, double *over, gcent__pk_work *W)
{
    batch_on(cpu_isa(), P, Q, nq, out, over, W);
}

int gcent__pack_sums_batch_isa(int isa, const gcent__pack *P, const gcent__query *Q, size_t nq,
                               double *out, double *over, gcent__pk_work *W)
{
    if (isa < 0 || isa > gcent__pack_isa())
        return -1;
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
    const size_t per_block = GCENT__PK_BLK * (P->d + 2) * sizeof(double);
    W->run = 16384 / per_block;
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
    if (!W->unit || !W->acc || !W->lim || (P->cap_prune && (!W->qbox || !W->lbox || !W->keep))) {
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
    memset(W, 0, sizeof *W);
}
