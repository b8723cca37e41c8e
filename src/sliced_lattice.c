/* The lattice rule: entropies of the 1-D and 2-D Gaussian mixtures of the
 * sliced information plane (src/sliced.c), on a uniform lattice.
 *
 * Problem. In noise units every component is a unit normal, and for a
 * subset of N centres v_e (equal weights 1/N)
 *
 *     h = -int g log g,    g(x) = (1/N) sum_e phi_q(x - v_e),   q = 1 or 2.
 *
 * Rule. The trapezoid rule on the whole lattice h Z^q, h = 1/4:
 *
 *     h ~= h^q sum_{j in Z^q} F(g(j h)),   F(y) = -y log y.
 *
 * g is a Gaussian smoothing of a discrete measure, so F(g) is analytic on
 * the real line and the rule converges faster than any power of h. Its
 * error is set by the complex zeros of g: between two groups of centres 2D
 * apart, g has zeros at distance about pi / (2D) from the real axis, where
 * F has a (y log y) branch point; the error is about |g'| there times
 * exp(-2 pi (pi / 2D) / h), largest near 2D = 6 noise units. Measured
 * against the adaptive quadrature of src/quadrature.c (tolerance 1e-13) on
 * 42000 1-D mixtures of the shapes that make it largest (two and three
 * centres with any weights and gaps up to 15, clusters of up to 50 centres,
 * 64 groups in a row 5-7 units apart, up to 31 centres in 8 units, 8
 * Gaussian draws), the largest error of one entropy was 1.08e-9 nats; on
 * 400 2-D mixtures (two and three centres, up to 11 in an 8 x 8 square,
 * clusters; tolerance 1e-12) 6.2e-10. (An earlier NumPy study of 3000 1-D
 * mixtures gave 1.9e-6 at h = 1/2, 3e-8 at h = 1/3, 9e-10 at h = 1/4, 5e-11
 * at h = 1/5: the step is the cost/accuracy choice.) The documented bound
 * is GCENT_SLICED_QUAD_ERR = 1e-8 nats per entropy, so 2e-8 per mutual
 * information of a slice; tests/test_sliced.c repeats a smaller search
 * against that bound.
 *
 * Window. A centre with nearest lattice point g (offset delta, |delta| <=
 * h/2) adds to the lattice points g + i, i = -32 .. 31 only: every omitted
 * term is below exp(-(7.875)^2 / 2) = 3.4e-14 of the centre's peak, the
 * omitted mass of each centre below 2 Phi(-7.875) = 3.4e-15, and the change
 * of the entropy below 1e-13 (measured: 3e-14). The lattice points farther
 * than the window from every centre are left out for the same reason:
 * together they hold less than that mass. In 2-D the window is the square
 * of the two 1-D windows.
 *
 * Evaluation without exponentials. With z = exp(h delta),
 *
 *     exp(-(i h - delta)^2 / 2) = K_i exp(-delta^2 / 2) z^i,   K_i = exp(-i^2 h^2 / 2),
 *
 * so a centre adds w z^i for i = -32 .. 31 (powers by multiplication, 8 at
 * a time) to per-cell sums P_i, and each cell adds K_i P_i to the line. The
 * three factors of a centre come from degree-8 Taylor polynomials
 * (|argument| <= 1/32: truncation below 1e-19). The accumulation is exact
 * up to about 40 roundings per term (relative error < 1e-14 of G); all
 * terms are positive, so G has no cancellation.
 *
 * Streaming. Centres come sorted by cell. A line buffer holds the lattice
 * points that can still receive terms; a point is final once the next cell
 * is more than a window away, and is then evaluated (F, with a vectorised
 * log of absolute error below 2e-16 plus the rounding of the result) and
 * zeroed. Gaps of more than a window between cells are skipped: memory is
 * O(1) per line and the work is O(N window + emitted points), whatever the
 * spread of the centres.
 *
 * 2-D. Lattice row a is a 1-D line with weights exp(-(a h - v1_e)^2 / 2)
 * exp(-delta2_e^2 / 2): the centres whose first cell is within the window
 * of a, kept sorted by the second cell by merging as a advances (O(N) per
 * row); their row factors are updated by one product per row,
 * exp(-((i+1) h - delta)^2 / 2) = exp(-(i h - delta)^2 / 2) z Q_i,
 * Q_i = exp(-(2 i + 1) h^2 / 2). Work O(N window^2).
 *
 * Summation. F >= 0 everywhere (g < 1), so plain sums are accurate to a
 * relative (terms / 8 + 3) ulp; they run in 8 lanes fixed by the position in
 * each emitted run, combined in lane order. Every step is a function of
 * the data alone, so results do not depend on threads; the vectorised
 * loops (AVX-512, AVX2 and baseline clones) do the same roundings in the
 * same order (no FMA contraction under -std=c11), so results do not depend
 * on the CPU either.
 *
 * Exceptions. Nothing here makes a NaN, an infinity or a division by zero:
 * the log sees only normal positive numbers (lattice points with G below
 * 1e-300 count F = 0; a G that is not zero is above 1e-30), the exponential
 * arguments are bounded.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "alloc.h"
#include "sliced.h"

#if defined(__clang__)
#  pragma STDC FP_CONTRACT OFF
#endif

/* Vectorised clones chosen at load time (as in src/mixture.c); every clone
 * does the same operations in the same order. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && \
    defined(__linux__) && !defined(GCENT_NO_CLONES)
#  define SL_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#  define SL_CLONES
#endif

#define LO GCENT__SL_LO
#define WIN GCENT__SL_WIN
#define BUF GCENT__SL_BUF

void gcent__sl_rule_init(gcent__sl_rule *R)
{
    for (int j = 0; j < WIN; ++j) {
        double i = (double)(j + LO);
        R->K[j] = exp(-0.5 * (i * GCENT__SL_H) * (i * GCENT__SL_H));
        R->Q[j] = exp(-0.5 * (2.0 * i + 1.0) * GCENT__SL_H * GCENT__SL_H);
    }
}

/* 1 / k!, k = 0 .. 19 (exactly representable factorials, rounded inverses) */
static const double INVFACT[20] = {
    1.0, 1.0, 1.0 / 2.0, 1.0 / 6.0, 1.0 / 24.0, 1.0 / 120.0, 1.0 / 720.0, 1.0 / 5040.0,
    1.0 / 40320.0, 1.0 / 362880.0, 1.0 / 3628800.0, 1.0 / 39916800.0, 1.0 / 479001600.0,
    1.0 / 6227020800.0, 1.0 / 87178291200.0, 1.0 / 1307674368000.0,
    1.0 / 20922789888000.0, 1.0 / 355687428096000.0, 1.0 / 6402373705728000.0,
    1.0 / 121645100408832000.0};

/* exp(x) by its Taylor polynomial of degree deg (a constant at every call),
 * Horner. The loop must be unrolled for the caller's loop to vectorise. */
static inline double exp_taylor(double x, int deg)
{
    double p = INVFACT[deg];
#if defined(__GNUC__)
#  pragma GCC unroll 20
#endif
    for (int k = deg - 1; k >= 0; --k)
        p = p * x + INVFACT[k];
    return p;
}

/* |delta| <= 1/8 + 2^-50 (the cell's rounding in a directed mode): the
 * arguments are within 1.0079 (a), 1/4 (z8) and 1/32 (z); the next Taylor
 * terms are below 1.3e-18, 2.4e-18 and 1.9e-20 of the result. */
SL_CLONES
void gcent__sl_factors(const double *restrict delta, size_t n, double *restrict a,
                       double *restrict z, double *restrict z8)
{
    for (size_t i = 0; i < n; ++i) {
        double d = delta[i];
        a[i] = exp_taylor(-0.5 * d * d + (double)LO * GCENT__SL_H * d, 19);
        z[i] = exp_taylor(GCENT__SL_H * d, 8);
        z8[i] = exp_taylor(8.0 * GCENT__SL_H * d, 12);
    }
}

/* ln x for a normal x > 0, vectorisable: x = 2^e m with m in [sqrt(1/2),
 * sqrt(2)), ln m = 2 atanh(s), s = (m - 1) / (m + 1), |s| <= 0.1716, by its
 * series up to s^19 (the rest is below 1e-17); e ln 2 with ln 2 split so that
 * e * ln2_hi is exact. m - 1 is exact, s within 2 ulp: absolute error below
 * 2e-16 before the final rounding. The exponent becomes a double through
 * its bits (2^52 + e), not an integer conversion, so that every clone
 * vectorises it. */
static inline double log_pos(double x)
{
    const double ln2_hi = 6.93147180369123816490e-01;  /* 32 bits */
    const double ln2_lo = 1.90821492927058770002e-10;
    const double sqrt2 = 1.41421356237309504880;
    uint64_t b;
    memcpy(&b, &x, sizeof b);
    uint64_t mb = (b & 0x000FFFFFFFFFFFFFull) | 0x3FF0000000000000ull;
    double m;
    memcpy(&m, &mb, sizeof m);
    /* selects between constants only: GCC vectorises those under the
     * default -ftrapping-math, not selects between computed values */
    uint64_t big = (uint64_t)(m > sqrt2);
    m *= m > sqrt2 ? 0.5 : 1.0;
    uint64_t eb = ((b >> 52) + big) | 0x4330000000000000ull; /* 2^52 + biased e */
    double e;
    memcpy(&e, &eb, sizeof e);
    e = e - (4503599627370496.0 + 1023.0);
    double s = (m - 1.0) / (m + 1.0), s2 = s * s;
    double p = 2.0 / 19.0;
    p = p * s2 + 2.0 / 17.0;
    p = p * s2 + 2.0 / 15.0;
    p = p * s2 + 2.0 / 13.0;
    p = p * s2 + 2.0 / 11.0;
    p = p * s2 + 2.0 / 9.0;
    p = p * s2 + 2.0 / 7.0;
    p = p * s2 + 2.0 / 5.0;
    p = p * s2 + 2.0 / 3.0;
    double lm = 2.0 * s + s * (s2 * p);
    return e * ln2_hi + (lm + e * ln2_lo);
}

/* Evaluate and zero the len (a multiple of 8, <= BUF) lattice points at
 * src, adding F = -c G (log G + logc) to the 8 lane sums by position. */
static inline void emit_run(double *restrict src, size_t len, double c, double logc,
                            double *restrict tmp, double acc[8])
{
    for (size_t t = 0; t < len; ++t) {
        double G = src[t];
        double ok = G > 1e-300 ? 1.0 : 0.0;
        double x = G + (1.0 - ok);      /* G, or exactly 1 when G <= 1e-300 */
        tmp[t] = ok * (-(c * G) * (log_pos(x) + logc));
    }
    memset(src, 0, len * sizeof *src);
    for (size_t t = 0; t < len; t += 8)
        for (int l = 0; l < 8; ++l)
            acc[l] += tmp[t + l];
}

/* The window of a centre: P[8 b + l] (+)= a z8^b z^l = w exp(-(i h - delta)^2 / 2) / K_i,
 * i = LO + 8 b + l (first: = instead of +=). The powers come from short
 * product trees (at most 4 roundings deep). With GCC or clang the 8 lanes
 * are one vector type (one AVX-512 register, two AVX2 ones, four SSE2
 * ones); elsewhere plain loops do the same operations, so the same bits. */
#if defined(__GNUC__)
typedef double sl_v8 __attribute__((vector_size(64), aligned(8)));

static inline void add_window(double *restrict P, double a, double z, double z8, int first)
{
    double z2 = z * z, z3 = z2 * z, z4 = z2 * z2;
    double z16 = z8 * z8, z32 = z16 * z16;
    double a8 = a * z8, a16 = a * z16, a24 = a8 * z16;
    const sl_v8 zz = {1.0, z, z2, z3, z4, z4 * z, z4 * z2, z4 * z3};
    const double sb[8] = {a, a8, a16, a24, a * z32, a8 * z32, a16 * z32, a24 * z32};
    sl_v8 *Pv = (sl_v8 *)P;
    if (first) {
        for (int b = 0; b < WIN / 8; ++b)
            Pv[b] = sb[b] * zz;
    } else {
        for (int b = 0; b < WIN / 8; ++b)
            Pv[b] += sb[b] * zz;
    }
}
#else
static inline void add_window(double *restrict P, double a, double z, double z8, int first)
{
    double z2 = z * z, z3 = z2 * z, z4 = z2 * z2;
    double z16 = z8 * z8, z32 = z16 * z16;
    double a8 = a * z8, a16 = a * z16, a24 = a8 * z16;
    const double zz[8] = {1.0, z, z2, z3, z4, z4 * z, z4 * z2, z4 * z3};
    const double sb[8] = {a, a8, a16, a24, a * z32, a8 * z32, a16 * z32, a24 * z32};
    for (int b = 0; b < WIN / 8; ++b)
        for (int l = 0; l < 8; ++l)
            P[8 * b + l] = (first ? 0.0 : P[8 * b + l]) + sb[b] * zz[l];
}
#endif

SL_CLONES
double gcent__sl_line_sum(const gcent__sl_rule *R, gcent__sl_line *L, const int64_t *g,
                          const double *a, const double *z, const double *z8, size_t cnt,
                          double c, double logc)
{
    double *buf = L->buf, *P = L->P;
    double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int64_t base = g[0] + LO;       /* buf[t] is lattice point base + t */
    int64_t emit = base, hi = base; /* pending points: [emit, hi) */
    size_t e = 0;
    /* Points are evaluated 8 at a time: a run ends on a multiple of 8 from
     * its start, the points past hi being zero. The buffer keeps 8 spare
     * points for that: hi - base <= BUF - 8. */
    while (e < cnt) {
        const int64_t gc = g[e], lo = gc + LO;
        if (lo >= hi) {
            /* no overlap with what is pending: all of it is final */
            emit_run(buf + (emit - base), ((size_t)(hi - emit) + 7) & ~(size_t)7, c, logc,
                     L->F, acc);
            base = emit = lo;
        } else {
            size_t len = (size_t)(lo - emit) & ~(size_t)7; /* whole blocks of final points */
            emit_run(buf + (emit - base), len, c, logc, L->F, acc);
            emit += (int64_t)len;
            if (lo + WIN - base > BUF - 8) {
                /* move the pending points to the front; stale copies zeroed */
                size_t off = (size_t)(emit - base), n = (size_t)(hi - emit);
                memmove(buf, buf + off, n * sizeof *buf);
                memset(buf + n, 0, off * sizeof *buf);
                base = emit;
            }
        }
        add_window(P, a[e], z[e], z8[e], 1);
        for (++e; e < cnt && g[e] == gc; ++e)
            add_window(P, a[e], z[e], z8[e], 0);
        double *t = buf + (lo - base);
        for (int j = 0; j < WIN; ++j)
            t[j] += R->K[j] * P[j];
        hi = lo + WIN;
    }
    emit_run(buf + (emit - base), ((size_t)(hi - emit) + 7) & ~(size_t)7, c, logc, L->F, acc);
    return ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
}

/* ---- 2-D ------------------------------------------------------------------------ */

int gcent__sl_plane_init(gcent__sl_plane *S, size_t cap)
{
    memset(S, 0, sizeof *S);
    int ovf = 0;
    size_t zb = gcent__mul(cap, sizeof(size_t), &ovf);
    size_t db = gcent__mul(cap, sizeof(double), &ovf);
    if (ovf)
        return GCENT_ENOMEM;
    S->cap = cap;
    S->act = gcent__malloc(zb);
    S->nxt = gcent__malloc(zb);
    S->F = gcent__malloc(db);
    S->Fn = gcent__malloc(db);
    S->lg = gcent__malloc(gcent__mul(cap, sizeof(int64_t), &ovf));
    S->la = gcent__malloc(db);
    S->lz = gcent__malloc(db);
    S->lz8 = gcent__malloc(db);
    if (!S->act || !S->nxt || !S->F || !S->Fn || !S->lg || !S->la || !S->lz || !S->lz8) {
        gcent__sl_plane_free(S);
        return GCENT_ENOMEM;
    }
    return GCENT_OK;
}

void gcent__sl_plane_free(gcent__sl_plane *S)
{
    gcent__free(S->act);
    gcent__free(S->nxt);
    gcent__free(S->F);
    gcent__free(S->Fn);
    gcent__free(S->lg);
    gcent__free(S->la);
    gcent__free(S->lz);
    gcent__free(S->lz8);
    memset(S, 0, sizeof *S);
}

/* (g2, r) order of two rows. */
static inline int before(const gcent__sl_pts2 *P, size_t a, size_t b)
{
    return P->g2[a] < P->g2[b] || (P->g2[a] == P->g2[b] && a < b);
}

double gcent__sl_plane_sum(const gcent__sl_rule *R, gcent__sl_line *L, gcent__sl_plane *S,
                           const gcent__sl_pts2 *P, const size_t *rows, size_t cnt, double c,
                           double logc)
{
    double total = 0.0;
    size_t nact = 0, next = 0;
    int64_t a = 0;
    while (next < cnt || nact > 0) {
        if (nact == 0)
            a = P->g1[rows[next]] + LO; /* first row of the next centre */
        /* entering: the centres whose window starts at row a */
        size_t e1 = next;
        while (e1 < cnt && P->g1[rows[e1]] + LO == a)
            ++e1;
        /* merge the kept centres (factor moved to row a) with the entering
         * ones (factor at i = LO), by (g2, r) */
        size_t i = 0, j = next, k = 0;
        while (i < nact || j < e1) {
            int take_old;
            if (i < nact && P->g1[S->act[i]] + GCENT__SL_HI < a) { /* leaves */
                ++i;
                continue;
            }
            if (i >= nact)
                take_old = 0;
            else if (j >= e1)
                take_old = 1;
            else
                take_old = before(P, S->act[i], rows[j]);
            if (take_old) {
                size_t r = S->act[i];
                S->nxt[k] = r;
                S->Fn[k] = S->F[i] * (P->z1[r] * R->Q[(size_t)(a - 1 - P->g1[r] - LO)]);
                ++i;
            } else {
                size_t r = rows[j];
                double t = (double)LO * GCENT__SL_H - P->d1[r];
                S->nxt[k] = r;
                S->Fn[k] = exp(-0.5 * t * t);
                ++j;
            }
            ++k;
        }
        next = e1;
        size_t *ts = S->act;
        S->act = S->nxt;
        S->nxt = ts;
        double *tf = S->F;
        S->F = S->Fn;
        S->Fn = tf;
        nact = k;
        if (nact > 0) {
            for (size_t e = 0; e < nact; ++e) {
                size_t r = S->act[e];
                S->lg[e] = P->g2[r];
                S->la[e] = P->a2[r] * S->F[e];
                S->lz[e] = P->z2[r];
                S->lz8[e] = P->z82[r];
            }
            total += gcent__sl_line_sum(R, L, S->lg, S->la, S->lz, S->lz8, nact, c, logc);
        }
        ++a;
    }
    return total;
}
