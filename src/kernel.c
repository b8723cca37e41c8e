/* The packed kernel: for one query, the sums of exp(lw_j - a |q - u_j|^2 -
 * shift) over the centres of a mixture, split into three slots, with the
 * distance, the exponential and the sum fused in registers and, with pruning,
 * whole blocks of centres skipped when a bounding box proves their terms
 * negligible.
 *
 * One source (kernel_body.h) is compiled three times: for AVX-512F, for AVX2
 * with FMA, and portably with fma() from <math.h>; the best the CPU runs is
 * chosen at each call with __builtin_cpu_supports. The library is never built
 * with -march or -ffast-math: the targets are function attributes. Every
 * version does the same correctly rounded operations in the same order, so
 * the results are identical bits on every CPU. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

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

int gcent__pack_isa(void)
{
#if GCENT__X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f"))
        return 2;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return 1;
#endif
    return 0;
}

double gcent__pack_sums_isa(int isa, const gcent__pack *P, const gcent__query *Q,
                            double out[3])
{
    if (isa < 0 || isa > gcent__pack_isa())
        return NAN;
#if GCENT__X86
    if (isa == 2)
        return pack_sums_avx512(P, Q, out);
    if (isa == 1)
        return pack_sums_avx2(P, Q, out);
#endif
    return pack_sums_portable(P, Q, out);
}

double gcent__pack_sums(const gcent__pack *P, const gcent__query *Q, double out[3])
{
#if GCENT__X86
    if (__builtin_cpu_supports("avx512f"))
        return pack_sums_avx512(P, Q, out);
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return pack_sums_avx2(P, Q, out);
#endif
    return pack_sums_portable(P, Q, out);
}

void gcent__pack_sums_batch(const gcent__pack *P, const gcent__query *Q, size_t nq,
                            double *out, double *over, gcent__pk_work *W)
{
#if GCENT__X86
    if (__builtin_cpu_supports("avx512f")) {
        pack_batch_avx512(P, Q, nq, out, over, W);
        return;
    }
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        pack_batch_avx2(P, Q, nq, out, over, W);
        return;
    }
#endif
    pack_batch_portable(P, Q, nq, out, over, W);
}

int gcent__pack_sums_batch_isa(int isa, const gcent__pack *P, const gcent__query *Q, size_t nq,
                               double *out, double *over, gcent__pk_work *W)
{
    if (isa < 0 || isa > gcent__pack_isa())
        return -1;
#if GCENT__X86
    if (isa == 2) {
        pack_batch_avx512(P, Q, nq, out, over, W);
        return 0;
    }
    if (isa == 1) {
        pack_batch_avx2(P, Q, nq, out, over, W);
        return 0;
    }
#endif
    pack_batch_portable(P, Q, nq, out, over, W);
    return 0;
}

/* Blocks per cache run: about 16 KiB of coordinates, log weights and
 * groups, half the L1 data cache of current x86 cores. With pruning, room
 * for the leaves a batch keeps: their boxes by coordinate (for the per-query
 * test, 8 leaves at a time) and each query's verdicts. */
int gcent__pk_work_init(gcent__pk_work *W, const gcent__pack *P)
{
    memset(W, 0, sizeof *W);
    const size_t per_block = GCENT__PK_BLK * (P->d + 2) * sizeof(double);
    W->run = 16384 / per_block;
    if (W->run < 1)
        W->run = 1;
    const size_t nunit = P->nnode + P->nblk + P->nseg + 1;
    W->unit = gcent__malloc(nunit * sizeof *W->unit);
    W->acc = gcent__malloc(GCENT__PK_QB * 24 * sizeof(double));
    W->lim = gcent__malloc(GCENT__PK_QB * sizeof(double));
    if (P->node) { /* d <= GCENT__PK_DMAX */
        const size_t nl8 = (P->nnode + 8) / 8 * 8;
        W->qbox = gcent__malloc(2 * P->d * sizeof(double));
        W->lbox = gcent__malloc(2 * P->d * nl8 * sizeof(double));
        W->keep = gcent__malloc(GCENT__PK_QB * nl8);
    }
    if (!W->unit || !W->acc || !W->lim || (P->node && (!W->qbox || !W->lbox || !W->keep))) {
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

/* ---- building the pack ------------------------------------------------------------------ */

void gcent__pack_free(gcent__pack *P)
{
    if (P == NULL)
        return;
    gcent__free(P->u);
    gcent__free(P->lw);
    gcent__free(P->grp);
    gcent__free(P->pos);
    gcent__free(P->seg);
    gcent__free(P->node);
    gcent__free(P->box);
    gcent__free(P->seg_root);
    gcent__free(P->self_lw);
    memset(P, 0, sizeof *P);
}

/* k-d ordering of idx[lo, hi) (centre numbers of m, a segment starting at
 * idx position a and packed block sb0): split at a multiple of `unit` from
 * lo along the coordinate of widest spread, recursively, so that every node
 * is a run of whole blocks (and, where the range is large, of whole runs of
 * 256 centres). Keys are ordered by (coordinate, centre number), a total
 * order, so each side of a split is a pure function of the data; it is found
 * by selection (expected O(len)), not by sorting. A leaf (and a node whose
 * centres are all equal) is put in the order of its parent's split key: the
 * whole order is the one a full sort at every level would give. Appends the
 * nodes to P->node (if not NULL) and returns the index of this one. */
typedef gcent__kd_key kd_key;

static int kd_less(const kd_key *a, const kd_key *b)
{
    return a->key < b->key || (a->key == b->key && a->idx < b->idx);
}

static int kd_cmp(const void *pa, const void *pb)
{
    const kd_key *a = pa, *b = pb;
    return kd_less(a, b) ? -1 : kd_less(b, a);
}

static void kd_isort(kd_key *v, size_t len)
{
    for (size_t i = 1; i < len; ++i) {
        kd_key x = v[i];
        size_t j = i;
        for (; j > 0 && kd_less(&x, &v[j - 1]); --j)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

/* Quickselect with a median-of-three pivot (see internal.h). */
void gcent__kd_select(kd_key *v, size_t len, size_t k, size_t rounds)
{
    size_t lo = 0, hi = len;
    while (hi - lo > 16 && k > lo && k < hi) {
        if (rounds-- == 0) {
            qsort(v + lo, hi - lo, sizeof *v, kd_cmp);
            return;
        }
        size_t mid = lo + (hi - lo) / 2, last = hi - 1;
        kd_key t;
        /* v[lo] <= v[mid] <= v[last], then the median goes to last - 1 */
        if (kd_less(&v[mid], &v[lo]))
            t = v[mid], v[mid] = v[lo], v[lo] = t;
        if (kd_less(&v[last], &v[mid]))
            t = v[last], v[last] = v[mid], v[mid] = t;
        if (kd_less(&v[mid], &v[lo]))
            t = v[mid], v[mid] = v[lo], v[lo] = t;
        t = v[mid], v[mid] = v[last - 1], v[last - 1] = t;
        const kd_key piv = v[last - 1];
        size_t i = lo, j = last - 1;
        for (;;) {
            while (kd_less(&v[++i], &piv)) {
            }
            while (kd_less(&piv, &v[--j])) {
            }
            if (i >= j)
                break;
            t = v[i], v[i] = v[j], v[j] = t;
        }
        t = v[i], v[i] = v[last - 1], v[last - 1] = t;
        /* v[lo, i) < piv = v[i] < v[i + 1, hi) */
        if (k <= i)
            hi = i;
        else
            lo = i + 1;
    }
    if (k > lo && k < hi)
        kd_isort(v + lo, hi - lo);
}

/* idx[lo, hi) in the order of (coordinate pk, centre number); pk = d: by
 * centre number alone. */
static void kd_order(const gcent__mix *m, size_t *idx, kd_key *tmp, size_t lo, size_t hi,
                     size_t pk)
{
    const size_t len = hi - lo;
    for (size_t p = lo; p < hi; ++p) {
        tmp[p - lo].key = pk < m->d ? m->ut[pk * m->n + idx[p]] : 0.0;
        tmp[p - lo].idx = idx[p];
    }
    if (len <= 32)
        kd_isort(tmp, len);
    else
        qsort(tmp, len, sizeof *tmp, kd_cmp);
    for (size_t p = lo; p < hi; ++p)
        idx[p] = tmp[p - lo].idx;
}

static size_t kd_build(gcent__pack *P, const gcent__mix *m, size_t *idx, kd_key *tmp,
                       size_t a, size_t sb0, size_t lo, size_t hi, size_t pk)
{
    const size_t B = GCENT__PK_BLK;
    size_t v = SIZE_MAX;
    if (P->node) {
        v = P->nnode++;
        P->node[v].blo = sb0 + (lo - a) / B;
        P->node[v].bhi = sb0 + (hi - a + B - 1) / B;
        P->node[v].left = P->node[v].right = SIZE_MAX;
    }
    if (hi - lo <= B) {
        kd_order(m, idx, tmp, lo, hi, pk);
        return v;
    }
    const size_t n = m->n, len = hi - lo;
    size_t best = 0;
    double wbest = -1.0;
    for (size_t k = 0; k < m->d; ++k) {
        double x0 = INFINITY, x1 = -INFINITY;
        for (size_t p = lo; p < hi; ++p) {
            double x = m->ut[k * n + idx[p]];
            x0 = x < x0 ? x : x0;
            x1 = x > x1 ? x : x1;
        }
        if (x1 - x0 > wbest) {
            wbest = x1 - x0;
            best = k;
        }
    }
    if (!(wbest > 0.0)) { /* all equal: one leaf of several blocks */
        kd_order(m, idx, tmp, lo, hi, pk);
        return v;
    }
    size_t unit = len > 512 ? 256 : B;
    size_t half = (len / 2 + unit - 1) / unit * unit;
    if (half >= len)
        half = (len / 2 + B - 1) / B * B;
    for (size_t p = lo; p < hi; ++p) {
        tmp[p - lo].key = m->ut[best * n + idx[p]];
        tmp[p - lo].idx = idx[p];
    }
    size_t rounds = 8;
    for (size_t t = len; t > 1; t >>= 1)
        rounds += 2;
    gcent__kd_select(tmp, len, half, rounds);
    for (size_t p = lo; p < hi; ++p)
        idx[p] = tmp[p - lo].idx;
    size_t l = kd_build(P, m, idx, tmp, a, sb0, lo, lo + half, best);
    size_t r = kd_build(P, m, idx, tmp, a, sb0, lo + half, hi, best);
    if (P->node) {
        P->node[v].left = l;
        P->node[v].right = r;
    }
    return v;
}

/* Bounding box of the real centres among packed positions [j0, j1):
 * lower corner box[0 .. dpad), upper corner box[dpad .. 2 dpad), padding
 * coordinates -inf and +inf. */
static void box_of(const gcent__pack *P, size_t j0, size_t j1, double *box)
{
    const size_t d = P->d, dp = P->dpad;
    for (size_t k = 0; k < dp; ++k) {
        double a = INFINITY, b = -INFINITY;
        for (size_t j = j0; k < d && j < j1; ++j) {
            if (P->lw[j] == -INFINITY)
                continue;
            double x = P->u[gcent__pk_at(P, j, k)];
            a = x < a ? x : a;
            b = x > b ? x : b;
        }
        if (k >= d) {
            a = -INFINITY;
            b = INFINITY;
        }
        box[k] = a;
        box[dp + k] = b;
    }
}

/* Whether pruning pays on this data: 4 batches of GCENT__PK_QB queries,
 * each at as many consecutive packed centres spread over the pack, moved by
 * a typical noise vector (every coordinate +-1, |z|^2 = d), run through the
 * batch kernel. A leaf test per query costs about d/32 of an evaluated
 * block, and a dense block that stops early (its terms are all flushed) well
 * under one: pruning is kept when the evaluated blocks plus the tests stay
 * below 45% of the dense blocks. (Calibrated with bench/ on trained tanh
 * layers of widths 2 to 10 and uniform data at d = 2 and 12: above that
 * level pruning gained at most 1.1x and lost up to 1.4x. The choice changes
 * the speed only, never the bound.) Sets *pays; GCENT_OK or GCENT_ENOMEM. */
static int prune_pays(const gcent__pack *P, int *pays)
{
    const size_t d = P->d, B = 4, QN = GCENT__PK_QB;
    gcent__pk_work W;
    int st = gcent__pk_work_init(&W, P);
    double *q = gcent__malloc(QN * d * sizeof(double));
    if (st != GCENT_OK || q == NULL) {
        gcent__pk_work_free(&W);
        gcent__free(q);
        return GCENT_ENOMEM;
    }
    gcent__query Q[GCENT__PK_QB];
    double S[3 * GCENT__PK_QB], E[GCENT__PK_QB];
    size_t nq_all = 0;
    for (size_t b = 0; b < B; ++b) {
        size_t nq = 0;
        for (size_t j = b * P->npad / B; j < P->npad && nq < QN; ++j) {
            if (P->lw[j] == -INFINITY)
                continue;
            for (size_t k = 0; k < d; ++k)
                q[nq * d + k] = P->u[gcent__pk_at(P, j, k)] + (((j + k) & 1) ? 1.0 : -1.0);
            gcent__query qq = {q + nq * d, 0.5, P->lw[j] - 0.5 * (double)d, j, -INFINITY,
                               SIZE_MAX, -1.0, NULL, NULL};
            Q[nq++] = qq;
        }
        if (nq > 0)
            gcent__pack_sums_batch(P, Q, nq, S, E, &W);
        nq_all += nq;
    }
    *pays = (double)W.blocks + (double)W.tests * (double)d / 32.0 <
            0.45 * (double)nq_all * (double)P->nblk;
    gcent__pk_work_free(&W);
    gcent__free(q);
    return GCENT_OK;
}

static int pack_build(gcent__pack *P, const gcent__mix *m, const size_t *seg_first,
                      size_t nseg, const size_t *group, double tol, int force)
{
    memset(P, 0, sizeof *P);
    const size_t n = m->n, d = m->d, B = GCENT__PK_BLK;
    size_t one[2] = {0, n};
    if (seg_first == NULL) {
        seg_first = one;
        nseg = 1;
    }
    /* padded length: each segment rounded up to whole blocks */
    size_t npad = 0;
    for (size_t s = 0; s < nseg; ++s) {
        size_t len = seg_first[s + 1] - seg_first[s];
        if (len > SIZE_MAX / 4 - npad)
            return GCENT_ERANGE;
        npad += (len + B - 1) / B * B;
    }
    if (npad == 0)
        npad = B;
    int ovf = 0;
    size_t ubytes = gcent__mul(gcent__mul(npad, d, &ovf), sizeof(double), &ovf);
    size_t nblk = npad / B, maxnode = 2 * nblk + nseg, dpad = (d + 7) / 8 * 8;
    size_t bbytes = gcent__mul(gcent__mul(maxnode, 2 * dpad, &ovf), sizeof(double), &ovf);
    if (dpad > GCENT__PK_DMAX)
        tol = 0.0; /* dense */
    if (ovf)
        return GCENT_ERANGE;
    P->n = n;
    P->npad = npad;
    P->d = d;
    P->nseg = nseg;
    P->nblk = nblk;
    P->dpad = dpad;
    P->u = gcent__malloc(ubytes);
    P->lw = gcent__malloc(npad * sizeof(double));
    P->pos = gcent__malloc((n ? n : 1) * sizeof(size_t));
    P->seg = gcent__malloc((nseg + 1) * sizeof(size_t));
    if (group)
        P->grp = gcent__malloc(npad * sizeof(double));
    size_t *idx = gcent__malloc((n ? n : 1) * sizeof(size_t));
    kd_key *tmp = gcent__malloc((n ? n : 1) * sizeof(kd_key));
    if (tol > 0.0) {
        P->node = gcent__malloc(maxnode * sizeof *P->node);
        P->box = gcent__malloc(bbytes);
        P->seg_root = gcent__malloc(nseg * sizeof(size_t));
    }
    if (!P->u || !P->lw || !P->pos || !P->seg || (group && !P->grp) || !idx || !tmp ||
        (tol > 0.0 && (!P->node || !P->box || !P->seg_root))) {
        gcent__free(idx);
        gcent__free(tmp);
        gcent__pack_free(P);
        return GCENT_ENOMEM;
    }
    P->logtol = tol > 0.0 ? log(tol) : -INFINITY;
    P->flush = -(37.0 + log((double)(n > 1 ? n : 1)));
    P->sum_top = exp(GCENT__PK_EMAX - 1.0);

    for (size_t i = 0; i < n; ++i)
        idx[i] = i;
    for (size_t j = 0; j < npad; ++j) {
        P->lw[j] = -INFINITY;
        if (P->grp)
            P->grp[j] = -1.0;
        for (size_t k = 0; k < d; ++k)
            P->u[gcent__pk_at(P, j, k)] = 0.0;
    }
    size_t at = 0;
    for (size_t s = 0; s < nseg; ++s) {
        size_t a = seg_first[s], b = seg_first[s + 1];
        P->seg[s] = at / B;
        size_t root = kd_build(P, m, idx, tmp, a, at / B, a, b, d);
        if (P->seg_root)
            P->seg_root[s] = a < b ? root : SIZE_MAX;
        for (size_t p = a; p < b; ++p, ++at) {
            size_t i = idx[p];
            P->pos[i] = at;
            P->lw[at] = m->logw[i];
            if (P->grp)
                P->grp[at] = (double)group[i];
            for (size_t k = 0; k < d; ++k)
                P->u[gcent__pk_at(P, at, k)] = m->ut[k * n + i];
        }
        at = (at + B - 1) / B * B;
    }
    P->seg[nseg] = nblk;
    /* Boxes bottom up: nodes are in pre-order (children after their
     * parent), a leaf's box from its centres, an inner node's the union of
     * its children's (min and max are exact: the same box either way). */
    for (size_t v = P->nnode; v-- > 0;) {
        const struct gcent__pk_node *nd = &P->node[v];
        double *bx = P->box + v * 2 * dpad;
        if (nd->left == SIZE_MAX) {
            box_of(P, nd->blo * B, nd->bhi * B, bx);
            continue;
        }
        const double *l = P->box + nd->left * 2 * dpad, *r = P->box + nd->right * 2 * dpad;
        for (size_t k = 0; k < dpad; ++k) {
            bx[k] = l[k] < r[k] ? l[k] : r[k];
            bx[dpad + k] = l[dpad + k] > r[dpad + k] ? l[dpad + k] : r[dpad + k];
        }
    }
    gcent__free(idx);
    gcent__free(tmp);
    int pays = 1;
    if (P->node && !force && prune_pays(P, &pays) != GCENT_OK) {
        gcent__pack_free(P);
        return GCENT_ENOMEM;
    }
    if (P->node && !pays) {
        gcent__free(P->node);
        gcent__free(P->box);
        gcent__free(P->seg_root);
        P->node = NULL;
        P->box = NULL;
        P->seg_root = NULL;
        P->nnode = 0;
    }
    return GCENT_OK;
}

/* Rows of m in lexicographic order of their coordinates (ties by index). */
typedef struct {
    const gcent__mix *m;
} lex_ctx;

static int lex_cmp_r(const void *pa, const void *pb, void *arg)
{
    const gcent__mix *m = ((const lex_ctx *)arg)->m;
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    for (size_t k = 0; k < m->d; ++k) {
        double x = m->ut[k * m->n + a], y = m->ut[k * m->n + b];
        if (x < y)
            return -1;
        if (x > y)
            return 1;
    }
    return a < b ? -1 : a > b;
}

/* A merge sort (qsort has no context argument in C11). */
static void lex_sort(size_t *v, size_t *tmp, size_t n, const lex_ctx *c)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    lex_sort(v, tmp, h, c);
    lex_sort(v + h, tmp, n - h, c);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = lex_cmp_r(&v[j], &v[i], (void *)c) < 0 ? v[j++] : v[i++];
    while (i < h)
        tmp[k++] = v[i++];
    while (j < n)
        tmp[k++] = v[j++];
    memcpy(v, tmp, n * sizeof *v);
}

int gcent__pack_init(gcent__pack *P, const gcent__mix *m, const size_t *seg_first, size_t nseg,
                     const size_t *group, double tol, int force)
{
    memset(P, 0, sizeof *P);
    /* Exact duplicates are merged only with pruning on, one segment and no
     * groups (gcent_entropy, gcent_entropy_bounds): the merged centre has
     * the summed weight, and a query from one of its rows leaves out its own
     * weight only (self_lw). */
    if (!(tol > 0.0) || group != NULL || (seg_first != NULL && nseg != 1) || m->n < 2)
        return pack_build(P, m, seg_first, nseg, group, tol, force);
    const size_t n = m->n, d = m->d;
    size_t *ord = gcent__malloc(n * sizeof(size_t));
    size_t *tmp = gcent__malloc(n * sizeof(size_t));
    if (ord == NULL || tmp == NULL) {
        gcent__free(ord);
        gcent__free(tmp);
        return GCENT_ENOMEM;
    }
    for (size_t i = 0; i < n; ++i)
        ord[i] = i;
    lex_ctx c = {m};
    lex_sort(ord, tmp, n, &c);
    /* tmp[i] = unique index of row i */
    size_t nu = 0;
    for (size_t r = 0; r < n; ++r) {
        if (r > 0) {
            size_t a = ord[r - 1], b = ord[r];
            int same = 1;
            for (size_t k = 0; k < d && same; ++k)
                same = m->ut[k * n + a] == m->ut[k * n + b];
            nu += !same;
        }
        tmp[ord[r]] = nu;
    }
    ++nu;
    if (nu == n) { /* no duplicates */
        gcent__free(ord);
        gcent__free(tmp);
        return pack_build(P, m, NULL, 0, NULL, tol, force);
    }
    gcent__mix um;
    memset(&um, 0, sizeof um);
    um.n = nu;
    um.d = d;
    int ovf = 0;
    um.ut = gcent__malloc(gcent__mul(gcent__mul(nu, d, &ovf), sizeof(double), &ovf));
    um.logw = gcent__malloc(nu * sizeof(double));
    um.w = gcent__calloc(nu, sizeof(double));
    double *self_lw = gcent__malloc(n * sizeof(double));
    int st = (!ovf && um.ut && um.logw && um.w && self_lw) ? GCENT_OK : GCENT_ENOMEM;
    if (st == GCENT_OK) {
        /* summed weights in row order (a fixed order) */
        for (size_t i = 0; i < n; ++i) {
            size_t g = tmp[i];
            um.w[g] += m->w[i];
            for (size_t k = 0; k < d; ++k)
                um.ut[k * nu + g] = m->ut[k * n + i];
        }
        for (size_t g = 0; g < nu; ++g)
            um.logw[g] = log(um.w[g]);
        for (size_t i = 0; i < n; ++i) {
            double rest = um.w[tmp[i]] - m->w[i];
            self_lw[i] = rest > 0.0 ? log(rest) : -INFINITY;
        }
        st = pack_build(P, &um, NULL, 0, NULL, tol, force);
    }
    if (st == GCENT_OK) {
        /* positions of the caller's rows: their merged centre */
        size_t *pos = gcent__malloc(n * sizeof(size_t));
        if (pos == NULL) {
            st = GCENT_ENOMEM;
            gcent__pack_free(P);
        } else {
            for (size_t i = 0; i < n; ++i)
                pos[i] = P->pos[tmp[i]];
            gcent__free(P->pos);
            P->pos = pos;
            P->self_lw = self_lw;
            self_lw = NULL;
        }
    }
    gcent__free(um.ut);
    gcent__free(um.logw);
    gcent__free(um.w);
    gcent__free(self_lw);
    gcent__free(ord);
    gcent__free(tmp);
    return st;
}
