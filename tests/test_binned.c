/* Part 3 (gcent/binned.h): binned entropy H(Bin(T)) and binned MI.
 *
 * Expected values are counted by hand (small cases, written out below) or by
 * an independent O(n^2) reference in this file that compares the bin indices
 * floor((t - origin) / width) as doubles, row against row, and sums
 * -p log p directly. The binning convention itself (IEEE division, floor,
 * -0.0, no clamping, no wrap) is tested on values whose bins are known. */
#include <float.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "tests.h"
#include "binned.h" /* gcent__binned_entropy_masked */

#define SENTINEL (-12345.6789)
#define TOL 1e-14
#define TWO63 9223372036854775808.0

/* ---- helpers --------------------------------------------------------------------- */

static gcent_ctx *mkctx(void)
{
    gcent_ctx *ctx = NULL;
    ck_assert_int_eq(gcent_ctx_create(&ctx), GCENT_OK);
    return ctx;
}

static void set_opt(gcent_ctx *ctx, gcent_opt opt, double v)
{
    ck_assert_int_eq(gcent_ctx_set(ctx, opt, v), GCENT_OK);
}

/* H(Bin T) of n rows; asserts success and an empty error message. */
static double bent(gcent_ctx *ctx, const double *t, size_t n, size_t d, size_t ldt, double w)
{
    double h = SENTINEL;
    int st = gcent_binned_entropy(ctx, t, n, d, ldt, w, &h);
    ck_assert_msg(st == GCENT_OK, "gcent_binned_entropy(n=%zu, d=%zu, w=%g) = %d: %s", n, d,
                  w, st, gcent_ctx_errmsg(ctx));
    ck_assert_str_eq(gcent_ctx_errmsg(ctx), "");
    ck_assert(isfinite(h) && h >= 0.0);
    return h;
}

static void bmi(gcent_ctx *ctx, const double *t, size_t m, size_t k, size_t d, size_t ldt,
                const int *labels, double w, double *ixt, double *iyt)
{
    *ixt = SENTINEL;
    if (iyt)
        *iyt = SENTINEL;
    int st = gcent_binned_mi(ctx, t, m, k, d, ldt, labels, w, ixt, iyt);
    ck_assert_msg(st == GCENT_OK, "gcent_binned_mi(m=%zu, k=%zu, d=%zu, w=%g) = %d: %s", m, k,
                  d, w, st, gcent_ctx_errmsg(ctx));
    ck_assert_str_eq(gcent_ctx_errmsg(ctx), "");
    ck_assert(isfinite(*ixt));
    if (iyt && labels)
        ck_assert(isfinite(*iyt));
}

static int same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* Shannon entropy (nats) of counts c[0..K-1] summing to N: the terms
 * p log(1/p) added with Kahan-Babuska compensation, so that the reference's own
 * rounding stays far below 1e-14 even for thousands of bins. */
static double ref_h_counts(const size_t *c, size_t K, size_t N)
{
    gt_ksum h = {0.0, 0.0};
    for (size_t j = 0; j < K; ++j)
        if (c[j] > 0) {
            double p = (double)c[j] / (double)N;
            gt_kadd(&h, p * log((double)N / (double)c[j])); /* p log(1/p) >= 0 */
        }
    return h.s + h.c;
}

static double h2(double p) /* entropy of the law (p, 1 - p), nats */
{
    return -p * log(p) - (1.0 - p) * log(1.0 - p);
}

/* Do rows a and b share a joint bin? Indices compared as doubles. */
static int ref_same(const double *a, const double *b, size_t d, double o, double w)
{
    for (size_t j = 0; j < d; ++j)
        if (floor((a[j] - o) / w) != floor((b[j] - o) / w))
            return 0;
    return 1;
}

/* Entropy of the bins of the rows listed in rows[0..cnt-1], O(cnt^2). */
static double ref_h_rows(const double *t, const size_t *rows, size_t cnt, size_t d, size_t ldt,
                         double o, double w)
{
    size_t *rep = malloc(cnt * sizeof *rep), *c = malloc(cnt * sizeof *c), K = 0;
    ck_assert(rep && c);
    for (size_t a = 0; a < cnt; ++a) {
        size_t j = 0;
        while (j < K && !ref_same(t + rows[a] * ldt, t + rep[j] * ldt, d, o, w))
            ++j;
        if (j == K) {
            rep[K] = rows[a];
            c[K++] = 0;
        }
        c[j]++;
    }
    double h = ref_h_counts(c, K, cnt);
    free(rep);
    free(c);
    return h;
}

static double ref_h(const double *t, size_t n, size_t d, size_t ldt, double o, double w)
{
    size_t *rows = malloc(n * sizeof *rows);
    ck_assert(rows);
    for (size_t r = 0; r < n; ++r)
        rows[r] = r;
    double h = ref_h_rows(t, rows, n, d, ldt, o, w);
    free(rows);
    return h;
}

/* Reference I(X;Bin T) and I(Y;Bin T) (labels may be NULL). */
static void ref_mi(const double *t, size_t m, size_t k, size_t d, size_t ldt,
                   const int *labels, double o, double w, double *ixt, double *iyt)
{
    size_t n = m * k;
    size_t *rows = malloc(n * sizeof *rows);
    ck_assert(rows);
    double ht = ref_h(t, n, d, ldt, o, w), hx = 0.0;
    for (size_t i = 0; i < m; ++i) {
        for (size_t r = 0; r < k; ++r)
            rows[r] = i * k + r;
        hx += ref_h_rows(t, rows, k, d, ldt, o, w);
    }
    *ixt = ht - hx / (double)m;
    if (labels) {
        double hy = 0.0;
        for (size_t i = 0; i < m; ++i) {
            size_t first = 0;
            while (labels[first] != labels[i])
                ++first;
            if (first != i)
                continue; /* class handled at its first input */
            size_t cnt = 0, mi = 0;
            for (size_t a = 0; a < m; ++a)
                if (labels[a] == labels[i]) {
                    ++mi;
                    for (size_t r = 0; r < k; ++r)
                        rows[cnt++] = a * k + r;
                }
            hy += (double)mi / (double)m * ref_h_rows(t, rows, cnt, d, ldt, o, w);
        }
        *iyt = ht - hy;
    }
    free(rows);
}

/* H(Y) of m labels, from the label counts (O(m^2)). */
static double ref_hy(const int *labels, size_t m)
{
    size_t *c = calloc(m, sizeof *c), K = 0;
    int *val = malloc(m * sizeof *val);
    ck_assert(c && val);
    for (size_t i = 0; i < m; ++i) {
        size_t j = 0;
        while (j < K && val[j] != labels[i])
            ++j;
        if (j == K)
            val[K++] = labels[i];
        c[j]++;
    }
    double h = ref_h_counts(c, K, m);
    free(c);
    free(val);
    return h;
}

/* Number of distinct joint bins (reference), to make sure a random case is
 * neither trivial (one bin) nor degenerate (all distinct). */
static size_t ref_nbins(const double *t, size_t n, size_t d, size_t ldt, double o, double w)
{
    size_t K = 0;
    for (size_t a = 0; a < n; ++a) {
        size_t b = 0;
        while (b < a && !ref_same(t + a * ldt, t + b * ldt, d, o, w))
            ++b;
        K += b == a;
    }
    return K;
}

/* splitmix64: the tests' own generator for data and permutations. */
static uint64_t sm64(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static double unif(uint64_t *s, double lo, double hi) /* [lo, hi) */
{
    return lo + (hi - lo) * (double)(sm64(s) >> 11) * 0x1p-53;
}

static void shuffle(size_t *p, size_t n, uint64_t *s)
{
    for (size_t i = 0; i < n; ++i)
        p[i] = i;
    for (size_t i = n; i > 1; --i) {
        size_t j = (size_t)(sm64(s) % i);
        size_t x = p[i - 1];
        p[i - 1] = p[j];
        p[j] = x;
    }
}

/* ---- the binning convention, by hand --------------------------------------------- */

START_TEST(test_edges_and_negatives)
{
    gcent_ctx *ctx = mkctx();
    /* width 0.5: 0 and 0.25 -> bin 0; 0.5 (on the edge) -> 1; 1.0 -> 2; -0.5 (edge) -> -1;
     * -0.25 -> -1; -1e-300 -> -1. Counts {2, 1, 1, 3} over 7 rows. */
    const double t[7] = {0.0, 0.25, 0.5, 1.0, -0.5, -0.25, -1e-300};
    double h = bent(ctx, t, 7, 1, 1, 0.5);
    double expect = -(2.0 / 7) * log(2.0 / 7) - 2.0 * (1.0 / 7) * log(1.0 / 7) -
                    (3.0 / 7) * log(3.0 / 7);
    ck_assert_double_eq_tol(h, expect, TOL);
    /* an edge value belongs to the bin above it: {0.5, 0.75} share bin 1, {0.49, 0.5} do not */
    const double up[2] = {0.5, 0.75}, across[2] = {0.49, 0.5};
    ck_assert_double_eq_tol(bent(ctx, up, 2, 1, 1, 0.5), 0.0, TOL);
    ck_assert_double_eq_tol(bent(ctx, across, 2, 1, 1, 0.5), log(2.0), TOL);
    /* negative side, no symmetry around 0: -0.5 and -0.01 share bin -1, 0.01 is in bin 0 */
    const double neg[3] = {-0.5, -0.01, 0.01};
    ck_assert_double_eq_tol(bent(ctx, neg, 3, 1, 1, 0.5), h2(1.0 / 3), TOL);
    /* far from the origin (no range, no clamping): -1000.25 -> -2001, -1000.5 -> -2001,
     * 1000.25 -> 2000, 1000.75 -> 2001 */
    const double far[4] = {-1000.25, -1000.5, 1000.25, 1000.75};
    ck_assert_double_eq_tol(bent(ctx, far, 4, 1, 1, 0.5),
                            -0.5 * log(0.5) - 2.0 * 0.25 * log(0.25), TOL);
    gcent_ctx_free(ctx);
}
END_TEST

START_TEST(test_signed_zero)
{
    gcent_ctx *ctx = mkctx();
    /* -0.0 and +0.0 share bin 0; the smallest negative subnormal is in bin -1 */
    const double z[3] = {-0.0, 0.0, 0.7};
    ck_assert_double_eq_tol(bent(ctx, z, 2, 1, 1, 1.0), 0.0, TOL);
    ck_assert_double_eq_tol(bent(ctx, z, 3, 1, 1, 1.0), 0.0, TOL);
    const double zn[2] = {-0.0, -0x1p-1074};
    ck_assert_double_eq_tol(bent(ctx, zn, 2, 1, 1, 1.0), log(2.0), TOL);
    /* in a tuple: (-0.0, 0.5) and (0.0, 0.5) are one joint bin */
    const double z2[4] = {-0.0, 0.5, 0.0, 0.5};
    ck_assert_double_eq_tol(bent(ctx, z2, 2, 2, 2, 1.0), 0.0, TOL);
    gcent_ctx_free(ctx);
}
END_TEST

START_TEST(test_ieee_division)
{
    /* The premise: in IEEE double, 0.3 / 0.1 = 2.9999999999999996. */
    volatile double a = 0.3, b = 0.1;
    ck_assert(floor(a / b) == 2.0);
    gcent_ctx *ctx = mkctx();
    /* 0.3 is in bin 2 with 0.25 (0.25 / 0.1 = 2.5), not in bin 3 with 0.35 (3.4999...) */
    const double with_lower[2] = {0.3, 0.25}, with_upper[2] = {0.3, 0.35};
    ck_assert_double_eq_tol(bent(ctx, with_lower, 2, 1, 1, 0.1), 0.0, TOL);
    ck_assert_double_eq_tol(bent(ctx, with_upper, 2, 1, 1, 0.1), log(2.0), TOL);
    /* likewise 0.7 / 0.1 = 6.999999999999999 (bin 6); 0.6 / 0.1 = 5.999999999999999 (bin 5) */
    const double seven[2] = {0.7, 0.65}, six[2] = {0.6, 0.55};
    ck_assert(floor(0.7 / b) == 6.0 && floor(0.6 / b) == 5.0);
    ck_assert_double_eq_tol(bent(ctx, seven, 2, 1, 1, 0.1), 0.0, TOL);
    ck_assert_double_eq_tol(bent(ctx, six, 2, 1, 1, 0.1), 0.0, TOL);
    /* with origin 0.1: (0.4 - 0.1) / 0.1 = 0.30000000000000004 / 0.1 = 3.0000000000000004
     * (bin 3): the subtraction is rounded first */
    set_opt(ctx, GCENT_OPT_BIN_ORIGIN, 0.1);
    ck_assert(floor((0.4 - 0.1) / b) == 3.0);
    const double sub[2] = {0.4, 0.45}; /* 0.45 - 0.1 = 0.35 -> 3.4999... -> bin 3 */
    ck_assert_double_eq_tol(bent(ctx, sub, 2, 1, 1, 0.1), 0.0, TOL);
    gcent_ctx_free(ctx);
}
END_TEST

START_TEST(test_one_bin_and_all_distinct)
{
    gcent_ctx *ctx = mkctx();
    uint64_t s = 11;
    enum { N = 1000 };
    double *t = malloc(3 * N * sizeof *t);
    ck_assert(t);
    for (size_t i = 0; i < 3 * N; ++i)
        t[i] = unif(&s, 2.0, 2.5); /* every coordinate in bin 4 of width 0.5 */
    for (size_t n = 1; n <= N; n = n * 3 + 1)
        ck_assert_double_eq_tol(bent(ctx, t, n, 3, 3, 0.5), 0.0, TOL);
    /* all distinct: row i at i * width + 0.3 width, negative and positive rows */
    for (size_t i = 0; i < N; ++i)
        t[i] = ((double)i - 500.0 + 0.3) * 0.125;
    for (size_t n = 1; n <= N; n = n * 3 + 1)
        ck_assert_double_eq_tol(bent(ctx, t, n, 1, 1, 0.125), log((double)n), TOL);
    free(t);
    gcent_ctx_free(ctx);
}
END_TEST

START_TEST(test_tuples)
{
    gcent_ctx *ctx = mkctx();
    /* same marginals, different joints: (0,1) (1,0) (0,0) (1,1) are 4 tuples;
     * (0,1) (1,0) (0,1) (1,0) are 2: the tuple, not the multiset, is the bin */
    const double four[8] = {0.5, 1.5, 1.5, 0.5, 0.5, 0.5, 1.5, 1.5};
    const double two[8] = {0.5, 1.5, 1.5, 0.5, 0.5, 1.5, 1.5, 0.5};
    ck_assert_double_eq_tol(bent(ctx, four, 4, 2, 2, 1.0), log(4.0), TOL);
    ck_assert_double_eq_tol(bent(ctx, two, 4, 2, 2, 1.0), log(2.0), TOL);
    /* d = 3, counts {3, 2, 1}: rows differ in one coordinate only */
    const double t3[18] = {1, 2, 3, 1, 2, 3, 1.2, 2.9, 3.1, /* bin (1,2,3) x3 */
                           1, 2, 4, 1.9, 2.1, 4.5,           /* bin (1,2,4) x2 */
                           1, 3, 3};                         /* bin (1,3,3) */
    double expect = -0.5 * log(0.5) - (1.0 / 3) * log(1.0 / 3) - (1.0 / 6) * log(1.0 / 6);
    ck_assert_double_eq_tol(bent(ctx, t3, 6, 3, 3, 1.0), expect, TOL);
    /* a bin index that differs only in its sign bit, and tuples that are rotations */
    const double rot[9] = {1, -1, 0, 0, 1, -1, -1, 0, 1};
    ck_assert_double_eq_tol(bent(ctx, rot, 3, 3, 3, 1.0), log(3.0), TOL);
    const double sign[4] = {5, -5, 5, 5};
    ck_assert_double_eq_tol(bent(ctx, sign, 2, 2, 2, 1.0), log(2.0), TOL);
    gcent_ctx_free(ctx);
}
END_TEST

/* A single occupied bin has entropy exactly 0 (not a rounding residue of
 * log N - N log N / N), and so has H(Bin T | X) when each input's draws
 * share a bin: then I(X;Bin T) equals H(Bin T) bit for bit. */
START_TEST(test_single_bin_exact_zero)
{
    gcent_ctx *ctx = mkctx();
    for (size_t n = 1; n <= 3000; n += 7) {
        double *t = calloc(n, sizeof *t);
        ck_assert(t);
        ck_assert(bent(ctx, t, n, 1, 1, 1.0) == 0.0);
        free(t);
    }
    const double t6[6] = {0.1, 0.2, 1.1, 1.2, 2.1, 2.9}; /* m = 3, k = 2 */
    double ixt = -1.0, h = bent(ctx, t6, 6, 1, 1, 1.0);
    ck_assert_int_eq(gcent_binned_mi(ctx, t6, 3, 2, 1, 1, NULL, 1.0, &ixt, NULL), GCENT_OK);
    ck_assert(ixt == h);
    gcent_ctx_free(ctx);
}
END_TEST

START_TEST(test_large_d)
{
    /* d in the thousands: rows that differ in their last coordinate only, and rows
     * that come in identical pairs */
    enum { N = 256, D = 3000 };
    double *t = malloc((size_t)N * D * sizeof *t);
    ck_assert(t);
    uint64_t s = 5;
    for (size_t j = 0; j < D; ++j)
        t[j] = unif(&s, -1.0, 1.0);
    for (size_t i = 1; i < N; ++i)
        memcpy(t + i * D, t, D * sizeof *t);
    for (size_t i = 0; i < N; ++i)
        t[i * D + D - 1] = 0.01 * (double)i + 0.005; /* bin i of width 0.01 */
    gcent_ctx *ctx = mkctx();
    double h = bent(ctx, t, N, D, D, 0.01);
    ck_assert_double_eq_tol(h, ref_h(t, N, D, D, 0.0, 0.01), TOL);
    ck_assert_double_eq_tol(h, log((double)N), TOL);
    for (size_t i = 0; i < N; ++i)
        t[i * D + D - 1] = 0.01 * (double)(i / 2) + 0.005;
    ck_assert_double_eq_tol(bent(ctx, t, N, D, D, 0.01), log((double)N / 2), TOL);
    /* and in the first coordinate instead */
    for (size_t i = 0; i < N; ++i) {
        t[i * D + D - 1] = t[D - 1];
        t[i * D] = 0.01 * (double)(i % 4) + 0.005;
    }
    ck_assert_double_eq_tol(bent(ctx, t, N, D, D, 0.01), log(4.0), TOL);
    free(t);
    gcent_ctx_free(ctx);
}
END_TEST

START_TEST(test_many_rows_linear)
{
    /* 2e6 rows: all distinct, then two halves (negative and positive), then 1000
     * equal bins. A quadratic method would not finish within the test's timeout. */
    enum { N = 2000000 };
    double *t = malloc(N * sizeof *t);
    ck_assert(t);
    for (size_t i = 0; i < N; ++i)
        t[i] = (double)i - 1e6 + 0.5;
    gcent_ctx *ctx = mkctx();
    ck_assert_double_eq_tol(bent(ctx, t, N, 1, 1, 1.0), log((double)N), TOL);
    ck_assert_double_eq_tol(bent(ctx, t, N, 1, 1, 4.0e6), log(2.0), TOL);
    ck_assert_double_eq_tol(bent(ctx, t, N, 1, 1, 2000.0), log(1000.0), 1e-13);
    free(t);
    gcent_ctx_free(ctx);
}
END_TEST

/* ---- against the O(n^2) reference ------------------------------------------------ */

START_TEST(test_random_vs_reference)
{
    static const size_t dims[] = {1, 2, 3, 7};
    static const double widths[] = {0.05, 0.3, 0.7, 1.5};
    gcent_ctx *ctx = mkctx();
    uint64_t s = 2024;
    enum { N = 300, LD = 9 };
    double *t = malloc(N * LD * sizeof *t);
    ck_assert(t);
    for (size_t a = 0; a < 4; ++a) {
        size_t d = dims[a];
        double w = widths[a];
        for (int rep = 0; rep < 3; ++rep) {
            double o = rep == 0 ? 0.0 : unif(&s, -2.0, 2.0);
            set_opt(ctx, GCENT_OPT_BIN_ORIGIN, o);
            for (size_t i = 0; i < N * LD; ++i)
                t[i] = unif(&s, -1.0, 1.0) * (rep < 2 ? 1.0 : d == 1 ? 37.0 : 2.0);
            size_t K = ref_nbins(t, N, d, LD, o, w);
            ck_assert_msg(K > 1 && K < N, "d=%zu rep=%d: %zu bins: not a useful case", d, rep,
                          K);
            double h = bent(ctx, t, N, d, LD, w);
            ck_assert_double_eq_tol(h, ref_h(t, N, d, LD, o, w), TOL);
        }
    }
    free(t);
    gcent_ctx_free(ctx);
}
END_TEST

START_TEST(test_mi_random_vs_reference)
{
    gcent_ctx *ctx = mkctx();
    uint64_t s = 77;
    enum { M = 60, K = 5, D = 2 };
    double t[M * K * D];
    int labels[M];
    for (int rep = 0; rep < 4; ++rep) {
        double o = rep == 0 ? 0.0 : unif(&s, -1.0, 1.0);
        double w = rep < 2 ? 0.25 : 0.6;
        set_opt(ctx, GCENT_OPT_BIN_ORIGIN, o);
        for (size_t i = 0; i < M; ++i) {
            double c0 = unif(&s, -1.0, 1.0), c1 = unif(&s, -1.0, 1.0);
            for (size_t r = 0; r < K; ++r) { /* k draws around the input's centre */
                t[(i * K + r) * D] = c0 + unif(&s, -0.2, 0.2);
                t[(i * K + r) * D + 1] = c1 + unif(&s, -0.2, 0.2);
            }
            static const int vals[4] = {INT_MIN, -3, 12, INT_MAX};
            labels[i] = vals[sm64(&s) % (rep + 1u)];
        }
        double ixt, iyt, rx, ry;
        bmi(ctx, t, M, K, D, D, labels, w, &ixt, &iyt);
        ref_mi(t, M, K, D, D, labels, o, w, &rx, &ry);
        ck_assert_double_eq_tol(ixt, rx, TOL);
        ck_assert_double_eq_tol(iyt, ry, TOL);
        /* a useful case: H(T|X) > 0 and I(X;T) < H(T) */
        double ht = ref_h(t, M * K, D, D, o, w);
        ck_assert(rx < ht - 0.05);
        if (rep == 0) /* one class: I(Y;T) = 0 */
            ck_assert_double_eq_tol(iyt, 0.0, TOL);
        else
            ck_assert(ry > 0.01);
    }
    gcent_ctx_free(ctx);
}
END_TEST

/* ---- origin ---------------------------------------------------------------------- */

START_TEST(test_origin)
{
    gcent_ctx *ctx = mkctx();
    double v = SENTINEL;
    ck_assert_int_eq(gcent_ctx_get(ctx, GCENT_OPT_BIN_ORIGIN, &v), GCENT_OK);
    ck_assert(v == 0.0); /* default */
    const double t[2] = {0.25, 0.5};
    ck_assert_double_eq_tol(bent(ctx, t, 2, 1, 1, 0.5), log(2.0), TOL); /* bins 0, 1 */
    set_opt(ctx, GCENT_OPT_BIN_ORIGIN, 0.25);                             /* bins 0, 0 */
    ck_assert_int_eq(gcent_ctx_get(ctx, GCENT_OPT_BIN_ORIGIN, &v), GCENT_OK);
    ck_assert(v == 0.25);
    ck_assert_double_eq_tol(bent(ctx, t, 2, 1, 1, 0.5), 0.0, TOL);
    set_opt(ctx, GCENT_OPT_BIN_ORIGIN, -0.25); /* (0.5, 0.75) / 0.5: bins 1, 1 */
    ck_assert_double_eq_tol(bent(ctx, t, 2, 1, 1, 0.5), 0.0, TOL);
    set_opt(ctx, GCENT_OPT_BIN_ORIGIN, 0.3); /* (-0.05, 0.2) / 0.5: bins -1, 0 */
    ck_assert_double_eq_tol(bent(ctx, t, 2, 1, 1, 0.5), log(2.0), TOL);
    set_opt(ctx, GCENT_OPT_BIN_ORIGIN, 0.0); /* back to the default */
    ck_assert_double_eq_tol(bent(ctx, t, 2, 1, 1, 0.5), log(2.0), TOL);
    /* the origin applies to every coordinate: (0.25, 1.25) (0.5, 1.5) */
    const double t2[4] = {0.25, 1.25, 0.5, 1.5};
    ck_assert_double_eq_tol(bent(ctx, t2, 2, 2, 2, 0.5), log(2.0), TOL);
    set_opt(ctx, GCENT_OPT_BIN_ORIGIN, 0.25);
    ck_assert_double_eq_tol(bent(ctx, t2, 2, 2, 2, 0.5), 0.0, TOL);
    /* a bad origin is refused and the old one kept */
    ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_BIN_ORIGIN, NAN), GCENT_EDOM);
    ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_BIN_ORIGIN, -INFINITY), GCENT_EDOM);
    ck_assert_int_eq(gcent_ctx_get(ctx, GCENT_OPT_BIN_ORIGIN, &v), GCENT_OK);
    ck_assert(v == 0.25);
    gcent_ctx_free(ctx);
}
END_TEST

START_TEST(test_origin_shift_identities)
{
    /* Dyadic data (multiples of 1/64), so every subtraction below is exact:
     * (a) shifting data and origin by the same c changes nothing, bit for bit;
     * (b) moving the origin by a whole number of widths changes nothing;
     * (c) moving it by a fraction of a width does change the partition. */
    enum { N = 500, D = 2 };
    double t[N * D], u[N * D];
    uint64_t s = 3;
    for (size_t i = 0; i < N * D; ++i)
        t[i] = (double)((int64_t)(sm64(&s) % 257) - 128) / 64.0;
    const double w = 0.25, c = 3.5;
    for (size_t i = 0; i < N * D; ++i)
        u[i] = t[i] + c;
    gcent_ctx *ctx = mkctx();
    double h0 = bent(ctx, t, N, D, D, w);
    ck_assert_double_eq_tol(h0, ref_h(t, N, D, D, 0.0, w), TOL);
    set_opt(ctx, GCENT_OPT_BIN_ORIGIN, c);
    ck_assert(same_bits(bent(ctx, u, N, D, D, w), h0));
    set_opt(ctx, GCENT_OPT_BIN_ORIGIN, -7.0 * w);
    ck_assert(same_bits(bent(ctx, t, N, D, D, w), h0));
    set_opt(ctx, GCENT_OPT_BIN_ORIGIN, w / 2);
    double hs = bent(ctx, t, N, D, D, w);
    ck_assert_double_eq_tol(hs, ref_h(t, N, D, D, w / 2, w), TOL);
    ck_assert(fabs(hs - h0) > 1e-3);
    gcent_ctx_free(ctx);
}
END_TEST

/* ---- binned MI, by hand ---------------------------------------------------------- */

START_TEST(test_mi_hand)
{
    /* m = 4 inputs, k = 2 draws, width 1: input 0 -> bins {0,0}, 1 -> {0,1},
     * 2 -> {1,1}, 3 -> {2,3}; labels {5, 5, -1, -1}.
     * H(T) over 8 rows: counts {3, 3, 1, 1}. H(T|X) = (0 + ln2 + 0 + ln2) / 4.
     * H(T|Y=5) = H(3/4, 1/4) (rows 0,0,0,1); H(T|Y=-1) = H(1/2, 1/4, 1/4). */
    const double t[8] = {0.1, 0.9, 0.5, 1.5, 1.2, 1.7, 2.5, 3.0};
    const int labels[4] = {5, 5, -1, -1};
    double ht = -2.0 * (3.0 / 8) * log(3.0 / 8) - 2.0 * (1.0 / 8) * log(1.0 / 8);
    double hx = log(2.0) / 2;
    double hy = 0.5 * h2(0.25) + 0.5 * (-0.5 * log(0.5) - 2.0 * 0.25 * log(0.25));
    gcent_ctx *ctx = mkctx();
    double ixt, iyt;
    bmi(ctx, t, 4, 2, 1, 1, labels, 1.0, &ixt, &iyt);
    ck_assert_double_eq_tol(ixt, ht - hx, TOL);
    ck_assert_double_eq_tol(iyt, ht - hy, TOL);
    ck_assert_double_eq_tol(bent(ctx, t, 8, 1, 1, 1.0), ht, TOL);
    /* labels NULL: ixt unchanged, iyt not written */
    double ixt2 = SENTINEL, iyt2 = SENTINEL;
    ck_assert_int_eq(gcent_binned_mi(ctx, t, 4, 2, 1, 1, NULL, 1.0, &ixt2, &iyt2), GCENT_OK);
    ck_assert(same_bits(ixt2, ixt));
    ck_assert(iyt2 == SENTINEL);
    /* iyt NULL with labels NULL */
    ck_assert_int_eq(gcent_binned_mi(ctx, t, 4, 2, 1, 1, NULL, 1.0, &ixt2, NULL), GCENT_OK);
    ck_assert(same_bits(ixt2, ixt));
    /* labels independent of the bins: t = {0,0,1,1}, labels {7,9,7,9} -> I(Y;T) = 0 */
    const double ti[4] = {0.5, 0.5, 1.5, 1.5};
    const int li[4] = {7, 9, 7, 9};
    bmi(ctx, ti, 4, 1, 1, 1, li, 1.0, &ixt, &iyt);
    ck_assert_double_eq_tol(ixt, log(2.0), TOL);
    ck_assert_double_eq_tol(iyt, 0.0, TOL);
    gcent_ctx_free(ctx);
}
END_TEST

START_TEST(test_mi_injective)
{
    /* An injective map of the 4096 inputs with tiny bins: row i is
     * (0.999 i / 4096, tanh(i / 4096)) at width 1e-9: distinct joint bins.
     * Then I(X;Bin T) = H(Bin T) = ln 4096 and I(Y;Bin T) = H(Y). */
    enum { M = 4096 };
    double *t = malloc(2 * M * sizeof *t);
    int *labels = malloc(M * sizeof *labels);
    ck_assert(t && labels);
    uint64_t s = 9;
    for (size_t i = 0; i < M; ++i) {
        t[2 * i] = (double)i / 4096.0 * 0.999;
        t[2 * i + 1] = tanh((double)i / 4096.0);
        static const int vals[5] = {INT_MIN, -1, 0, 42, INT_MAX};
        uint64_t r = sm64(&s) % 16; /* unequal class sizes */
        labels[i] = vals[r < 6 ? 0 : r < 10 ? 1 : r < 13 ? 2 : r < 15 ? 3 : 4];
    }
    gcent_ctx *ctx = mkctx();
    double ixt, iyt, hy = ref_hy(labels, M);
    ck_assert(hy > 1.0);
    bmi(ctx, t, M, 1, 2, 2, labels, 1e-9, &ixt, &iyt);
    ck_assert_double_eq_tol(ixt, log(4096.0), TOL);
    ck_assert_double_eq_tol(iyt, hy, TOL);
    ck_assert_double_eq_tol(bent(ctx, t, M, 2, 2, 1e-9), log(4096.0), TOL);
    /* in bits: 12 and H(Y) / ln 2 */
    set_opt(ctx, GCENT_OPT_LOG_BASE, 2.0);
    bmi(ctx, t, M, 1, 2, 2, labels, 1e-9, &ixt, &iyt);
    ck_assert_double_eq_tol(ixt, 12.0, TOL);
    ck_assert_double_eq_tol(iyt, hy / log(2.0), TOL);
    /* labels all distinct: I(Y;T) = H(T) */
    set_opt(ctx, GCENT_OPT_LOG_BASE, 0.0);
    for (size_t i = 0; i < M; ++i)
        labels[i] = INT_MIN + (int)i * 524287;
    bmi(ctx, t, M, 1, 2, 2, labels, 1e-9, &ixt, &iyt);
    ck_assert_double_eq_tol(iyt, log(4096.0), TOL);
    free(t);
    free(labels);
    gcent_ctx_free(ctx);
}
END_TEST

START_TEST(test_mi_draws_same_bin)
{
    /* k draws of every input inside its input's bin: H(Bin T | X) = 0, so
     * I(X;Bin T) = H(Bin T) = ln m (inputs in distinct bins). Labels extreme ints. */
    enum { M = 50, K = 7 };
    double t[M * K * 2];
    int labels[M];
    uint64_t s = 4;
    for (size_t i = 0; i < M; ++i) {
        for (size_t r = 0; r < K; ++r) {
            t[(i * K + r) * 2] = -3.0 + 0.1 * (double)i + unif(&s, 0.01, 0.09);
            t[(i * K + r) * 2 + 1] = unif(&s, 0.01, 0.09);
        }
        labels[i] = i % 3 == 0 ? INT_MIN : i % 3 == 1 ? INT_MAX : 0;
    }
    gcent_ctx *ctx = mkctx();
    /* width 0.1, origin -3 + 0.1 i steps: (t + 3) / 0.1 in (i + 0.1, i + 0.9) */
    set_opt(ctx, GCENT_OPT_BIN_ORIGIN, -3.0);
    ck_assert_uint_eq(ref_nbins(t, M * K, 2, 2, -3.0, 0.1), M);
    double ixt, iyt;
    bmi(ctx, t, M, K, 2, 2, labels, 0.1, &ixt, &iyt);
    ck_assert_double_eq_tol(ixt, log((double)M), TOL);
    ck_assert_double_eq_tol(iyt, ref_hy(labels, M), TOL);
    ck_assert_double_eq_tol(bent(ctx, t, M * K, 2, 2, 0.1), log((double)M), TOL);
    gcent_ctx_free(ctx);
}
END_TEST

START_TEST(test_mi_draws_half_half)
{
    /* k = 4 draws per input: two in bin 2i, two in bin 2i + 1 (interleaved).
     * H(T) = ln(2m), H(T|X) = ln 2, so I(X;T) = ln m; the classes own disjoint
     * bins, so I(Y;T) = H(Y). Then merge pairs of inputs into shared bins. */
    enum { M = 30, K = 4 };
    double t[M * K];
    int labels[M];
    for (size_t i = 0; i < M; ++i) {
        for (size_t r = 0; r < K; ++r)
            t[i * K + r] = (double)(2 * i + (r & 1)) + 0.25 + 0.1 * (double)r;
        labels[i] = (int)(i % 4) - 2;
    }
    gcent_ctx *ctx = mkctx();
    double ixt, iyt;
    bmi(ctx, t, M, K, 1, 1, labels, 1.0, &ixt, &iyt);
    ck_assert_double_eq_tol(ixt, log((double)M), TOL);
    ck_assert_double_eq_tol(iyt, ref_hy(labels, M), TOL);
    ck_assert_double_eq_tol(bent(ctx, t, M * K, 1, 1, 1.0), log(2.0 * M), TOL);
    /* width 4: inputs 2j and 2j+1 share the bins {j}: draws of input i at 2i..2i+1.4
     * all fall in bin floor(i / 2): H(T|X) = 0, H(T) = ln(m/2), I(X;T) = ln(m/2) */
    bmi(ctx, t, M, K, 1, 1, labels, 4.0, &ixt, &iyt);
    ck_assert_double_eq_tol(ixt, log(M / 2.0), TOL);
    double rx, ry;
    ref_mi(t, M, K, 1, 1, labels, 0.0, 4.0, &rx, &ry);
    ck_assert_double_eq_tol(iyt, ry, TOL);
    /* bits */
    set_opt(ctx, GCENT_OPT_LOG_BASE, 2.0);
    bmi(ctx, t, M, K, 1, 1, labels, 1.0, &ixt, &iyt);
    ck_assert_double_eq_tol(ixt, log((double)M) / log(2.0), TOL);
    gcent_ctx_free(ctx);
}
END_TEST

START_TEST(test_mi_k1_equals_entropy)
{
    /* k = 1: I(X;Bin T) = H(Bin T), bit for bit the same quantity */
    enum { N = 3000, D = 3 };
    double *t = malloc(N * D * sizeof *t);
    ck_assert(t);
    uint64_t s = 8;
    for (size_t i = 0; i < N * D; ++i)
        t[i] = unif(&s, -1.0, 1.0);
    gcent_ctx *ctx = mkctx();
    double h = bent(ctx, t, N, D, D, 0.2), ixt;
    bmi(ctx, t, N, 1, D, D, NULL, 0.2, &ixt, NULL);
    ck_assert_double_eq_tol(ixt, h, TOL);
    ck_assert(h > 1.0 && h < log((double)N) - 0.1);
    free(t);
    gcent_ctx_free(ctx);
}
END_TEST

/* ---- invariances ----------------------------------------------------------------- */

START_TEST(test_permutation)
{
    enum { M = 700, K = 3, D = 2, N = M * K };
    double *t = malloc(N * D * sizeof *t), *u = malloc(N * D * sizeof *u);
    int labels[M], lu[M];
    size_t pi[M], pr[K];
    ck_assert(t && u);
    uint64_t s = 21;
    for (size_t i = 0; i < M; ++i) {
        double c0 = unif(&s, -1, 1), c1 = unif(&s, -1, 1);
        for (size_t r = 0; r < K; ++r) {
            t[(i * K + r) * D] = c0 + unif(&s, -0.1, 0.1);
            t[(i * K + r) * D + 1] = c1 + unif(&s, -0.1, 0.1);
        }
        labels[i] = (int)(sm64(&s) % 3) * 1000 - 1000;
    }
    gcent_ctx *ctx = mkctx();
    const double w = 0.15;
    double h = bent(ctx, t, N, D, D, w), ixt, iyt;
    bmi(ctx, t, M, K, D, D, labels, w, &ixt, &iyt);
    /* permute the inputs (with their labels) and the draws inside each input */
    shuffle(pi, M, &s);
    for (size_t i = 0; i < M; ++i) {
        lu[i] = labels[pi[i]];
        shuffle(pr, K, &s);
        for (size_t r = 0; r < K; ++r)
            memcpy(u + (i * K + r) * D, t + (pi[i] * K + pr[r]) * D, D * sizeof *t);
    }
    double hp = bent(ctx, u, N, D, D, w), ixp, iyp;
    bmi(ctx, u, M, K, D, D, lu, w, &ixp, &iyp);
    ck_assert_double_eq_tol(hp, h, TOL);
    ck_assert_double_eq_tol(ixp, ixt, TOL);
    ck_assert_double_eq_tol(iyp, iyt, TOL);
    /* a permutation of all rows (not by input) keeps H(Bin T) */
    size_t *pn = malloc(N * sizeof *pn);
    ck_assert(pn);
    shuffle(pn, N, &s);
    for (size_t r = 0; r < N; ++r)
        memcpy(u + r * D, t + pn[r] * D, D * sizeof *t);
    ck_assert_double_eq_tol(bent(ctx, u, N, D, D, w), h, TOL);
    /* relabelling the classes bijectively keeps I(Y;T) */
    for (size_t i = 0; i < M; ++i)
        lu[i] = labels[i] == 0 ? INT_MAX : labels[i] == 1000 ? INT_MIN : 17;
    bmi(ctx, t, M, K, D, D, lu, w, &ixp, &iyp);
    ck_assert_double_eq_tol(iyp, iyt, TOL);
    ck_assert(h > ixt + 0.1 && iyt > 0.0); /* not a trivial case */
    free(pn);
    free(t);
    free(u);
    gcent_ctx_free(ctx);
}
END_TEST

START_TEST(test_threads_bitwise)
{
    /* ~1e5 rows: m = 25000 inputs, k = 4 draws, d = 3 */
    enum { M = 25000, K = 4, D = 3, N = M * K };
    double *t = malloc((size_t)N * D * sizeof *t), *z = malloc((size_t)N * D * sizeof *z);
    int *labels = malloc(M * sizeof *labels);
    ck_assert(t && z && labels);
    gcent_rng_normals(17, 0, 0, (size_t)N * D, z);
    uint64_t s = 99;
    for (size_t i = 0; i < M; ++i) {
        double c[D];
        for (size_t j = 0; j < D; ++j)
            c[j] = tanh(z[i * K * D + j]);
        for (size_t r = 0; r < K; ++r)
            for (size_t j = 0; j < D; ++j)
                t[(i * K + r) * D + j] = c[j] + 0.02 * z[(i * K + r) * D + j];
        labels[i] = (int)(sm64(&s) % 5) - 2;
    }
    double h[5], ix[5], iy[5];
    for (int th = 0; th <= 4; ++th) {
        gcent_ctx *ctx = mkctx();
        set_opt(ctx, GCENT_OPT_THREADS, th);
        h[th] = bent(ctx, t, N, D, D, 0.05);
        bmi(ctx, t, M, K, D, D, labels, 0.05, &ix[th], &iy[th]);
        gcent_ctx_free(ctx);
    }
    for (int th = 1; th <= 4; ++th) {
        ck_assert_msg(same_bits(h[th], h[0]), "H differs with %d threads", th);
        ck_assert_msg(same_bits(ix[th], ix[0]), "I(X;T) differs with %d threads", th);
        ck_assert_msg(same_bits(iy[th], iy[0]), "I(Y;T) differs with %d threads", th);
    }
    /* nontrivial values */
    ck_assert(h[0] > 5.0 && h[0] < log((double)N) - 0.1);
    ck_assert(ix[0] > 1.0 && ix[0] < h[0] - 0.1);
    ck_assert(iy[0] > 0.0 && iy[0] < log(5.0));
    free(t);
    free(z);
    free(labels);
}
END_TEST

START_TEST(test_padding_not_read)
{
    /* ldt = d + 3, padding filled with NaN, infinities and a value whose bin would
     * overflow: the results equal those of the packed array, bit for bit */
    enum { M = 200, K = 2, D = 3, LD = D + 3, N = M * K };
    double packed[N * D], padded[N * LD];
    int labels[M];
    uint64_t s = 6;
    for (size_t r = 0; r < N; ++r) {
        for (size_t j = 0; j < D; ++j)
            packed[r * D + j] = padded[r * LD + j] = unif(&s, -1, 1);
        padded[r * LD + D] = NAN;
        padded[r * LD + D + 1] = r % 2 ? INFINITY : -INFINITY;
        padded[r * LD + D + 2] = 1e300;
    }
    for (size_t i = 0; i < M; ++i)
        labels[i] = (int)(i % 2);
    gcent_ctx *ctx = mkctx();
    double a = bent(ctx, packed, N, D, D, 0.5), b = bent(ctx, padded, N, D, LD, 0.5);
    ck_assert(same_bits(a, b));
    ck_assert_double_eq_tol(a, ref_h(packed, N, D, D, 0.0, 0.5), TOL);
    double ixa, iya, ixb, iyb;
    bmi(ctx, packed, M, K, D, D, labels, 0.5, &ixa, &iya);
    bmi(ctx, padded, M, K, D, LD, labels, 0.5, &ixb, &iyb);
    ck_assert(same_bits(ixa, ixb) && same_bits(iya, iyb));
    /* the last row's padding need not exist: a buffer that ends at its d-th value */
    double *tight = malloc(((N - 1) * LD + D) * sizeof *tight);
    ck_assert(tight);
    memcpy(tight, padded, ((N - 1) * LD + D) * sizeof *tight);
    ck_assert(same_bits(bent(ctx, tight, N, D, LD, 0.5), a));
    free(tight);
    gcent_ctx_free(ctx);
}
END_TEST

START_TEST(test_log_base)
{
    enum { M = 500, K = 2, D = 2 };
    double t[M * K * D];
    int labels[M];
    uint64_t s = 12;
    for (size_t i = 0; i < M * K * D; ++i)
        t[i] = unif(&s, -1, 1);
    for (size_t i = 0; i < M; ++i)
        labels[i] = (int)(sm64(&s) % 2);
    gcent_ctx *ctx = mkctx();
    double h = bent(ctx, t, M * K, D, D, 0.2), ixt, iyt;
    bmi(ctx, t, M, K, D, D, labels, 0.2, &ixt, &iyt);
    static const double bases[3] = {2.0, 10.0, 1.5};
    for (int b = 0; b < 3; ++b) {
        set_opt(ctx, GCENT_OPT_LOG_BASE, bases[b]);
        double lb = log(bases[b]), hb = SENTINEL, ixb = SENTINEL, iyb = SENTINEL;
        ck_assert_int_eq(gcent_binned_entropy(ctx, t, M * K, D, D, 0.2, &hb), GCENT_OK);
        ck_assert_int_eq(gcent_binned_mi(ctx, t, M, K, D, D, labels, 0.2, &ixb, &iyb),
                         GCENT_OK);
        ck_assert_double_eq_tol(hb, h / lb, TOL);
        ck_assert_double_eq_tol(ixb, ixt / lb, TOL);
        ck_assert_double_eq_tol(iyb, iyt / lb, TOL);
    }
    set_opt(ctx, GCENT_OPT_LOG_BASE, 0.0); /* back to nats */
    ck_assert(same_bits(bent(ctx, t, M * K, D, D, 0.2), h));
    ck_assert(h > 3.0 && ixt > 1.0 && iyt > 0.0);
    gcent_ctx_free(ctx);
}
END_TEST

/* ---- gcent_bin_fixed_range ------------------------------------------------------- */

START_TEST(test_fixed_range)
{
    double w = SENTINEL, o = SENTINEL;
    ck_assert_int_eq(gcent_bin_fixed_range(-1.0, 1.0, 20, &w, &o), GCENT_OK);
    ck_assert(w == 0.1 && o == -1.0);
    ck_assert_int_eq(gcent_bin_fixed_range(-1.0, 1.0, 30, &w, &o), GCENT_OK);
    ck_assert(w == 2.0 / 30.0 && o == -1.0);
    ck_assert_int_eq(gcent_bin_fixed_range(2.5, 7.0, 3, &w, &o), GCENT_OK);
    ck_assert(w == 1.5 && o == 2.5);
    ck_assert_int_eq(gcent_bin_fixed_range(-3.0, -1.0, 1, &w, &o), GCENT_OK);
    ck_assert(w == 2.0 && o == -3.0);

    /* with these, bin j of [-1, 1] in 20 bins is libgcent's bin j */
    ck_assert_int_eq(gcent_bin_fixed_range(-1.0, 1.0, 20, &w, &o), GCENT_OK);
    gcent_ctx *ctx = mkctx();
    set_opt(ctx, GCENT_OPT_BIN_ORIGIN, o);
    double c[40];
    for (int j = 0; j < 20; ++j) { /* centre and a point 0.3 into each fixed-range bin */
        c[2 * j] = -1.0 + (j + 0.5) * 0.1;
        c[2 * j + 1] = -1.0 + (j + 0.3) * 0.1;
        ck_assert(floor((c[2 * j] - o) / w) == j && floor((c[2 * j + 1] - o) / w) == j);
    }
    ck_assert_double_eq_tol(bent(ctx, c, 40, 1, 1, w), log(20.0), TOL);
    /* below the range: its own bin (-1), not wrapped into the last bin (19) */
    const double wrap[2] = {-1.05, 0.95};
    ck_assert_double_eq_tol(bent(ctx, wrap, 2, 1, 1, w), log(2.0), TOL);
    /* hi itself is bin nbins, apart from the last bin */
    const double top[2] = {0.97, 1.0};
    ck_assert_double_eq_tol(bent(ctx, top, 2, 1, 1, w), log(2.0), TOL);
    /* far outside: no clamping into the end bins */
    const double out[4] = {-5.0, -3.0, 3.0, 5.0};
    ck_assert_double_eq_tol(bent(ctx, out, 4, 1, 1, w), log(4.0), TOL);
    gcent_ctx_free(ctx);
}
END_TEST

START_TEST(test_fixed_range_errors)
{
    double w = SENTINEL, o = SENTINEL;
    ck_assert_int_eq(gcent_bin_fixed_range(-1, 1, 10, NULL, &o), GCENT_EINVAL);
    ck_assert_int_eq(gcent_bin_fixed_range(-1, 1, 10, &w, NULL), GCENT_EINVAL);
    ck_assert_int_eq(gcent_bin_fixed_range(-1, 1, 0, &w, &o), GCENT_EINVAL);
    ck_assert_int_eq(gcent_bin_fixed_range(1, 1, 10, &w, &o), GCENT_EINVAL);
    ck_assert_int_eq(gcent_bin_fixed_range(1, -1, 10, &w, &o), GCENT_EINVAL);
    ck_assert_int_eq(gcent_bin_fixed_range(NAN, 1, 10, &w, &o), GCENT_EDOM);
    ck_assert_int_eq(gcent_bin_fixed_range(-1, NAN, 10, &w, &o), GCENT_EDOM);
    ck_assert_int_eq(gcent_bin_fixed_range(-INFINITY, 1, 10, &w, &o), GCENT_EDOM);
    ck_assert_int_eq(gcent_bin_fixed_range(-1, INFINITY, 10, &w, &o), GCENT_EDOM);
    ck_assert_int_eq(gcent_bin_fixed_range(-DBL_MAX, DBL_MAX, 10, &w, &o), GCENT_ERANGE);
    ck_assert_int_eq(gcent_bin_fixed_range(-1e308, 1e308, 1, &w, &o), GCENT_ERANGE);
    /* a width that underflows to 0 cannot be a bin width */
    ck_assert_int_ne(gcent_bin_fixed_range(0.0, 0x1p-1074, 2, &w, &o), GCENT_OK);
    ck_assert(w == SENTINEL && o == SENTINEL);
}
END_TEST

/* ---- bad input ------------------------------------------------------------------- */

/* Both functions must return `expect`, leave a reason and no output. */
static void expect_fail_h(gcent_ctx *ctx, const double *t, size_t n, size_t d, size_t ldt,
                          double w, int expect, const char *what)
{
    double h = SENTINEL;
    int st = gcent_binned_entropy(ctx, t, n, d, ldt, w, &h);
    ck_assert_msg(st == expect, "%s: gcent_binned_entropy = %d, expected %d", what, st,
                  expect);
    ck_assert_msg(h == SENTINEL, "%s: output written", what);
    ck_assert_msg(gt_one_line(ctx), "%s: no one-line reason", what);
}

static void expect_fail_mi(gcent_ctx *ctx, const double *t, size_t m, size_t k, size_t d,
                           size_t ldt, const int *labels, double w, int expect,
                           const char *what)
{
    double ixt = SENTINEL, iyt = SENTINEL;
    int st = gcent_binned_mi(ctx, t, m, k, d, ldt, labels, w, &ixt, &iyt);
    ck_assert_msg(st == expect, "%s: gcent_binned_mi = %d, expected %d", what, st, expect);
    ck_assert_msg(ixt == SENTINEL && iyt == SENTINEL, "%s: output written", what);
    ck_assert_msg(gt_one_line(ctx), "%s: no one-line reason", what);
}

START_TEST(test_bad_shapes)
{
    gcent_ctx *ctx = mkctx();
    const double t[6] = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
    const int labels[3] = {0, 1, 0};
    double h = SENTINEL, ixt = SENTINEL, iyt = SENTINEL;
    ck_assert_int_eq(gcent_binned_entropy(NULL, t, 3, 2, 2, 0.1, &h), GCENT_EINVAL);
    ck_assert_int_eq(gcent_binned_mi(NULL, t, 3, 1, 2, 2, labels, 0.1, &ixt, &iyt),
                     GCENT_EINVAL);
    ck_assert(h == SENTINEL && ixt == SENTINEL && iyt == SENTINEL);
    expect_fail_h(ctx, NULL, 3, 2, 2, 0.1, GCENT_EINVAL, "t NULL");
    expect_fail_h(ctx, t, 0, 2, 2, 0.1, GCENT_EINVAL, "n = 0");
    expect_fail_h(ctx, t, 3, 0, 2, 0.1, GCENT_EINVAL, "d = 0");
    expect_fail_h(ctx, t, 3, 2, 1, 0.1, GCENT_EINVAL, "ldt < d");
    ck_assert_int_eq(gcent_binned_entropy(ctx, t, 3, 2, 2, 0.1, NULL), GCENT_EINVAL);
    ck_assert(gt_one_line(ctx));
    expect_fail_mi(ctx, NULL, 3, 1, 2, 2, labels, 0.1, GCENT_EINVAL, "mi t NULL");
    expect_fail_mi(ctx, t, 0, 1, 2, 2, labels, 0.1, GCENT_EINVAL, "mi m = 0");
    expect_fail_mi(ctx, t, 3, 0, 2, 2, labels, 0.1, GCENT_EINVAL, "mi k = 0");
    expect_fail_mi(ctx, t, 3, 1, 0, 2, labels, 0.1, GCENT_EINVAL, "mi d = 0");
    expect_fail_mi(ctx, t, 3, 1, 2, 1, labels, 0.1, GCENT_EINVAL, "mi ldt < d");
    iyt = SENTINEL;
    ck_assert_int_eq(gcent_binned_mi(ctx, t, 3, 1, 2, 2, labels, 0.1, NULL, &iyt),
                     GCENT_EINVAL);
    ck_assert(iyt == SENTINEL && gt_one_line(ctx));
    /* sizes that overflow: m * k, and rows * stride * sizeof(double) */
    expect_fail_mi(ctx, t, SIZE_MAX / 2 + 1, 2, 1, 1, NULL, 0.1, GCENT_ERANGE, "m * k");
    expect_fail_mi(ctx, t, SIZE_MAX / 3, 5, 1, 1, NULL, 0.1, GCENT_ERANGE, "m * k (2)");
    expect_fail_mi(ctx, t, (size_t)1 << 62, 1, 1, 1, NULL, 0.1, GCENT_ERANGE, "m bytes");
    expect_fail_h(ctx, t, SIZE_MAX / 4, 2, 4, 0.1, GCENT_ERANGE, "n * ldt");
    /* a success clears the message */
    ck_assert_double_eq_tol(bent(ctx, t, 3, 2, 2, 1.0), 0.0, TOL);
    gcent_ctx_free(ctx);
}
END_TEST

START_TEST(test_bad_width)
{
    gcent_ctx *ctx = mkctx();
    const double t[4] = {0.1, 0.2, 0.3, 0.4};
    static const double bad[4] = {0.0, -0.0, -1.0, -DBL_MIN};
    for (int i = 0; i < 4; ++i) {
        expect_fail_h(ctx, t, 4, 1, 1, bad[i], GCENT_EINVAL, "width <= 0");
        expect_fail_mi(ctx, t, 2, 2, 1, 1, NULL, bad[i], GCENT_EINVAL, "mi width <= 0");
    }
    static const double nonfinite[3] = {NAN, INFINITY, -INFINITY};
    for (int i = 0; i < 3; ++i) {
        expect_fail_h(ctx, t, 4, 1, 1, nonfinite[i], GCENT_EDOM, "width not finite");
        expect_fail_mi(ctx, t, 2, 2, 1, 1, NULL, nonfinite[i], GCENT_EDOM,
                       "mi width not finite");
    }
    gcent_ctx_free(ctx);
}
END_TEST

START_TEST(test_bad_values)
{
    gcent_ctx *ctx = mkctx();
    const int labels[3] = {1, 2, 3};
    static const double nonfinite[3] = {NAN, INFINITY, -INFINITY};
    for (int v = 0; v < 3; ++v)
        for (size_t pos = 0; pos < 6; ++pos) { /* first, middle, last value */
            double t[6] = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
            t[pos] = nonfinite[v];
            expect_fail_h(ctx, t, 3, 2, 2, 0.1, GCENT_EDOM, "NaN/Inf value");
            expect_fail_mi(ctx, t, 3, 1, 2, 2, labels, 0.1, GCENT_EDOM, "mi NaN/Inf value");
        }
    gcent_ctx_free(ctx);
}
END_TEST

START_TEST(test_bin_overflow)
{
    gcent_ctx *ctx = mkctx();
    const int labels[2] = {0, 1};
    /* 1e300 / 1e-10 = 1e310 = inf; 1e300 / 1e-3 = 1e303: finite, beyond 2^63 */
    const double big[4] = {0.5, 0.5, 0.5, 1e300}, nbig[4] = {-1e300, 0.5, 0.5, 0.5};
    expect_fail_h(ctx, big, 2, 2, 2, 1e-10, GCENT_ERANGE, "1e300 / 1e-10");
    expect_fail_h(ctx, big, 2, 2, 2, 1e-3, GCENT_ERANGE, "1e300 / 1e-3");
    expect_fail_h(ctx, nbig, 2, 2, 2, 1e-3, GCENT_ERANGE, "-1e300 / 1e-3");
    expect_fail_mi(ctx, big, 2, 1, 2, 2, labels, 1e-10, GCENT_ERANGE, "mi 1e300");
    expect_fail_mi(ctx, nbig, 1, 2, 2, 2, NULL, 1e-3, GCENT_ERANGE, "mi -1e300");
    /* subnormal width: 1 / 2^-1074 overflows */
    const double one[1] = {1.0};
    expect_fail_h(ctx, one, 1, 1, 1, 0x1p-1074, GCENT_ERANGE, "subnormal width");
    /* the limit of int64: with width 1, 2^63 - 1024 (largest double below 2^63) and
     * -2^63 fit; 2^63 does not */
    const double fit[2] = {TWO63 - 1024.0, -TWO63};
    ck_assert_double_eq_tol(bent(ctx, fit, 2, 1, 1, 1.0), log(2.0), TOL);
    const double edge[2] = {-TWO63, -TWO63 + 1024.0};
    ck_assert_double_eq_tol(bent(ctx, edge, 2, 1, 1, 1.0), log(2.0), TOL);
    const double over[2] = {0.0, TWO63};
    expect_fail_h(ctx, over, 2, 1, 1, 1.0, GCENT_ERANGE, "2^63");
    const double under[2] = {0.0, -TWO63 - 2048.0};
    expect_fail_h(ctx, under, 2, 1, 1, 1.0, GCENT_ERANGE, "-2^63 - 2048");
    /* an origin far from the data: (t - origin) overflows to -inf */
    set_opt(ctx, GCENT_OPT_BIN_ORIGIN, 1.5e308);
    const double neg[1] = {-1.5e308};
    expect_fail_h(ctx, neg, 1, 1, 1, 1.0, GCENT_ERANGE, "t - origin overflows");
    /* ... and huge values that fit once the origin is near them: two neighbouring
     * doubles at 1e300, half an ulp wide bins -> bins 0 and 2 */
    set_opt(ctx, GCENT_OPT_BIN_ORIGIN, 1e300);
    const double near[2] = {1e300, nextafter(1e300, INFINITY)};
    ck_assert_double_eq_tol(bent(ctx, near, 2, 1, 1, (near[1] - near[0]) / 2), log(2.0), TOL);
    /* a wrap-around would put 2^64 + 0.5 width next to 0.5 width: it must fail instead */
    set_opt(ctx, GCENT_OPT_BIN_ORIGIN, 0.0);
    const double wrap[2] = {0.5, 18446744073709551616.0 + 4096.0};
    expect_fail_h(ctx, wrap, 2, 1, 1, 1.0, GCENT_ERANGE, "2^64");
    gcent_ctx_free(ctx);
}
END_TEST

/* ---- progress and cancellation --------------------------------------------------- */

typedef struct {
    int calls, cancel_at; /* cancel on call number cancel_at (1-based); 0 never */
    int cancel_last;      /* cancel when done == total */
    uint64_t last_done, total;
    int monotone, total_fixed;
} prog;

static int prog_cb(void *user, uint64_t done, uint64_t total)
{
    prog *p = user;
    if (p->calls > 0) {
        p->monotone &= done >= p->last_done;
        p->total_fixed &= total == p->total;
    }
    p->calls++;
    p->last_done = done;
    p->total = total;
    if (p->cancel_at && p->calls == p->cancel_at)
        return 1;
    if (p->cancel_last && done == total)
        return -1;
    return 0;
}

START_TEST(test_progress_and_cancel)
{
    enum { M = 20000, K = 3, N = M * K };
    double *t = malloc(N * sizeof *t);
    int *labels = malloc(M * sizeof *labels);
    ck_assert(t && labels);
    uint64_t s = 31;
    for (size_t r = 0; r < N; ++r)
        t[r] = unif(&s, -1, 1);
    for (size_t i = 0; i < M; ++i)
        labels[i] = (int)(i % 2);
    gcent_ctx *ctx = mkctx();
    set_opt(ctx, GCENT_OPT_THREADS, 2);
    double h0 = bent(ctx, t, N, 1, 1, 1e-3), ix0, iy0;
    bmi(ctx, t, M, K, 1, 1, labels, 1e-3, &ix0, &iy0);

    /* a callback that lets the call finish: same results, done monotone, ends at total */
    prog p = {0, 0, 0, 0, 0, 1, 1};
    ck_assert_int_eq(gcent_ctx_set_progress(ctx, prog_cb, &p), GCENT_OK);
    ck_assert(same_bits(bent(ctx, t, N, 1, 1, 1e-3), h0));
    ck_assert(p.calls >= 1 && p.monotone && p.total_fixed && p.last_done == p.total);
    prog q = {0, 0, 0, 0, 0, 1, 1};
    ck_assert_int_eq(gcent_ctx_set_progress(ctx, prog_cb, &q), GCENT_OK);
    double ix, iy;
    bmi(ctx, t, M, K, 1, 1, labels, 1e-3, &ix, &iy);
    ck_assert(same_bits(ix, ix0) && same_bits(iy, iy0));
    ck_assert(q.calls >= 1 && q.monotone && q.total_fixed && q.last_done == q.total);

    /* cancel at the first report, and at the final one: ECANCELED, nothing written */
    for (int mode = 0; mode < 2; ++mode) {
        prog c = {0, mode == 0 ? 1 : 0, mode == 1, 0, 0, 1, 1};
        ck_assert_int_eq(gcent_ctx_set_progress(ctx, prog_cb, &c), GCENT_OK);
        expect_fail_h(ctx, t, N, 1, 1, 1e-3, GCENT_ECANCELED, "cancel entropy");
        ck_assert(c.calls >= 1);
        c.calls = 0;
        expect_fail_mi(ctx, t, M, K, 1, 1, labels, 1e-3, GCENT_ECANCELED, "cancel mi");
        ck_assert(c.calls >= 1);
    }
    /* removing the callback restores normal operation */
    ck_assert_int_eq(gcent_ctx_set_progress(ctx, NULL, NULL), GCENT_OK);
    ck_assert(same_bits(bent(ctx, t, N, 1, 1, 1e-3), h0));
    free(t);
    free(labels);
    gcent_ctx_free(ctx);
}
END_TEST

/* The exact regrouping of rows whose hash collides with a different tuple
 * (review finding: crafted collisions made it quadratic). The internal entry
 * gcent__binned_entropy_masked keeps only a few bits of the hash, so almost
 * every row collides; counts, and hence the entropy, must not change. The
 * O(n^2) reference of this file is the independent check. */
START_TEST(test_forced_hash_collisions)
{
    enum { N = 3000, D = 3 };
    double *t = malloc(N * D * sizeof *t);
    ck_assert(t);
    uint64_t st = 77;
    for (size_t i = 0; i < N * D; ++i)
        t[i] = gt_lcg01(&st) * 4.0 - 2.0;
    gcent_ctx *ctx = mkctx();
    double ref = ref_h(t, N, D, D, 0.0, 0.5), full = bent(ctx, t, N, D, D, 0.5);
    ck_assert_double_eq_tol(full, ref, TOL);
    const uint64_t masks[4] = {0, 1, 7, 255};
    for (int i = 0; i < 4; ++i) {
        double h = -1.0;
        ck_assert_int_eq(gcent__binned_entropy_masked(ctx, t, N, D, D, 0.5, masks[i], &h),
                         GCENT_OK);
        ck_assert_msg(fabs(h - ref) < TOL, "mask %llu: %.17g vs %.17g",
                      (unsigned long long)masks[i], h, ref);
    }
    gcent_ctx_free(ctx);
    free(t);
}
END_TEST

Suite *suite_binned(void)
{
    Suite *s = suite_create("binned");
    TCase *tc = gt_tcase(s, "convention", 30);
    tcase_add_test(tc, test_edges_and_negatives);
    tcase_add_test(tc, test_signed_zero);
    tcase_add_test(tc, test_ieee_division);
    tcase_add_test(tc, test_one_bin_and_all_distinct);
    tcase_add_test(tc, test_single_bin_exact_zero);
    tcase_add_test(tc, test_tuples);
    tcase_add_test(tc, test_large_d);
    tcase_add_test(tc, test_many_rows_linear);
    tcase_add_test(tc, test_random_vs_reference);
    tcase_add_test(tc, test_forced_hash_collisions);
    tcase_add_test(tc, test_origin);
    tcase_add_test(tc, test_origin_shift_identities);

    TCase *mi = gt_tcase(s, "mi", 30);
    tcase_add_test(mi, test_mi_hand);
    tcase_add_test(mi, test_mi_random_vs_reference);
    tcase_add_test(mi, test_mi_injective);
    tcase_add_test(mi, test_mi_draws_same_bin);
    tcase_add_test(mi, test_mi_draws_half_half);
    tcase_add_test(mi, test_mi_k1_equals_entropy);

    TCase *inv = gt_tcase(s, "invariance", 30);
    tcase_add_test(inv, test_permutation);
    tcase_add_test(inv, test_threads_bitwise);
    tcase_add_test(inv, test_padding_not_read);
    tcase_add_test(inv, test_log_base);

    TCase *fr = gt_tcase(s, "fixed-range", 0);
    tcase_add_test(fr, test_fixed_range);
    tcase_add_test(fr, test_fixed_range_errors);

    TCase *err = gt_tcase(s, "errors", 30);
    tcase_add_test(err, test_bad_shapes);
    tcase_add_test(err, test_bad_width);
    tcase_add_test(err, test_bad_values);
    tcase_add_test(err, test_bin_overflow);
    tcase_add_test(err, test_progress_and_cancel);
    return s;
}
