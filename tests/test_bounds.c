/* gcent_entropy_bounds: the Kolchinsky-Tracey pairwise-distance bounds
 * (gcent/entropy.h) -- their closed forms, limits and the sandwich
 * lower <= h(g) <= upper <= h(Z) + H(w). */
#include <stdlib.h>
#include <string.h>
#include "tests.h"

/* The 1-D reference h(g) is gt_ref_h1 (tests/util.c, as in test_entropy.c):
 * step beta/16 and beta/32 over [min c - 20 beta, max c + 20 beta], must agree
 * to 1e-12 (spectral convergence for this smooth, Gaussian-decaying integrand).
 * Random configurations come from gt_lcg01 (MMIX LCG, top 53 bits). */

static void bounds(gcent_ctx *ctx, const double *s, size_t n, size_t d, size_t lds,
                   const double *w, double beta, double *lo, double *up)
{
    *lo = *up = NAN;
    int st = gcent_entropy_bounds(ctx, s, n, d, lds, w, beta, lo, up);
    ck_assert_msg(st == GCENT_OK, "bounds(n=%zu, d=%zu) = %d: %s", n, d, st,
                  gcent_ctx_errmsg(ctx));
    ck_assert_str_eq(gcent_ctx_errmsg(ctx), "");
    ck_assert(isfinite(*lo) && isfinite(*up));
}

/* The documented closed forms, recomputed here for n = 5, d = 3 (with row
 * padding, weighted and uniform):
 *   lower = h(Z) - sum_i w_i log sum_j w_j exp(-|s_i - s_j|^2 / (8 beta^2))
 *   upper = h(Z) - sum_i w_i log sum_j w_j exp(-|s_i - s_j|^2 / (2 beta^2)).
 * Tolerance 1e-12: rounding of 25 terms. */
static void ref_bounds(const double *s, size_t n, size_t d, size_t lds, const double *w,
                       double beta, double *lo, double *up)
{
    double l = 0.0, u = 0.0;
    for (size_t i = 0; i < n; ++i) {
        double wi = w ? w[i] : 1.0 / (double)n, sl = 0.0, su = 0.0;
        for (size_t j = 0; j < n; ++j) {
            double wj = w ? w[j] : 1.0 / (double)n, q = 0.0;
            for (size_t k = 0; k < d; ++k)
                q += (s[i * lds + k] - s[j * lds + k]) * (s[i * lds + k] - s[j * lds + k]);
            sl += wj * exp(-q / (8.0 * beta * beta));
            su += wj * exp(-q / (2.0 * beta * beta));
        }
        if (wi > 0.0) {
            l -= wi * log(sl);
            u -= wi * log(su);
        }
    }
    *lo = gt_hz(d, beta) + l;
    *up = gt_hz(d, beta) + u;
}

START_TEST(test_bounds_closed_form)
{
    enum { N = 5, D = 3, LDS = 4 };
    double s[N * LDS];
    gcent_rng_normals(17u, 3u, 0u, N * LDS, s);
    for (size_t i = 0; i < N; ++i)
        s[i * LDS + 3] = 1e300; /* padding: never read */
    const double w[N] = {0.1, 0.3, 0.2, 0.15, 0.25};
    const double betas[] = {0.3, 1.0, 2.5};
    gcent_ctx *ctx = gt_ctx(0, 0, 0);
    for (size_t b = 0; b < 3; ++b)
        for (int wi = 0; wi < 2; ++wi) {
            const double *ww = wi ? w : NULL;
            double lo, up, rlo, rup;
            bounds(ctx, s, N, D, LDS, ww, betas[b], &lo, &up);
            ref_bounds(s, N, D, LDS, ww, betas[b], &rlo, &rup);
            ck_assert_double_eq_tol(lo, rlo, 1e-12);
            ck_assert_double_eq_tol(up, rup, 1e-12);
            ck_assert_double_lt(lo, up);
        }
    gcent_ctx_free(ctx);
}
END_TEST

/* One centre: both sums are w_1 = 1, so lower = upper = h(Z) (1e-12). */
START_TEST(test_bounds_single)
{
    const double s[12] = {0.5, -1.0, 2.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 3.0, 3.0, 3.0};
    const size_t ds[] = {1, 3, 12};
    gcent_ctx *ctx = gt_ctx(0, 0, 0);
    for (size_t i = 0; i < 3; ++i) {
        double lo, up, ref = gt_hz(ds[i], 0.45);
        bounds(ctx, s, 1, ds[i], ds[i], NULL, 0.45, &lo, &up);
        ck_assert_double_eq_tol(lo, ref, 1e-12 * fmax(1.0, fabs(ref)));
        ck_assert_double_eq_tol(up, ref, 1e-12 * fmax(1.0, fabs(ref)));
    }
    gcent_ctx_free(ctx);
}
END_TEST

/* Centres >= 100 beta apart: exp(-100^2/8) ~ 1e-543 underflows, so both
 * bounds equal h(Z) + H(w) (within 1e-12), for uniform and weighted (with a
 * zero weight) mixtures in d = 1, 3. */
START_TEST(test_bounds_far)
{
    enum { K = 4 };
    const double w[K] = {0.5, 0.0, 0.3, 0.2}, beta = 0.2;
    gcent_ctx *ctx = gt_ctx(0, 0, 0);
    for (size_t d = 1; d <= 3; d += 2) {
        double s[K * 3];
        for (size_t r = 0; r < K; ++r)
            for (size_t k = 0; k < d; ++k)
                s[r * d + k] = (k == 0) ? (double)r * 110.0 * beta : 0.3 * (double)k;
        for (int wi = 0; wi < 2; ++wi) {
            const double *ww = wi ? w : NULL;
            double lo, up, ref = gt_hz(d, beta) + gt_shannon(ww, K);
            bounds(ctx, s, K, d, d, ww, beta, &lo, &up);
            ck_assert_double_eq_tol(lo, ref, 1e-12);
            ck_assert_double_eq_tol(up, ref, 1e-12);
        }
    }
    gcent_ctx_free(ctx);
}
END_TEST

/* The sandwich in d = 1 against the in-test reference h(g), for 200 random
 * configurations (1..8 centres, spreads and beta over two decades, random
 * weights with some zeros): h(Z) <= lower <= h(g) <= upper <= h(Z) + H(w).
 * Slack 1e-11: the reference is accurate to ~1e-13, the bounds to rounding. */
START_TEST(test_bounds_sandwich_1d)
{
    uint64_t st = 42u;
    gcent_ctx *ctx = gt_ctx(0, 0, 0);
    for (int t = 0; t < 200; ++t) {
        size_t n = 1 + (size_t)(gt_lcg01(&st) * 8.0);
        double c[8], w[8], sum = 0.0;
        double spread = pow(10.0, 2.0 * gt_lcg01(&st) - 1.0);
        double beta = pow(10.0, 2.0 * gt_lcg01(&st) - 1.3);
        for (size_t i = 0; i < n; ++i) {
            c[i] = spread * (2.0 * gt_lcg01(&st) - 1.0);
            w[i] = gt_lcg01(&st) < 0.15 && i > 0 ? 0.0 : 0.05 + gt_lcg01(&st);
            sum += w[i];
        }
        for (size_t i = 0; i < n; ++i)
            w[i] /= sum;
        int uniform = gt_lcg01(&st) < 0.3;
        if (uniform)
            for (size_t i = 0; i < n; ++i)
                w[i] = 1.0 / (double)n;
        double lo, up;
        bounds(ctx, c, n, 1, 1, uniform ? NULL : w, beta, &lo, &up);
        double ref = gt_ref_h1(c, w, n, beta);
        double h0 = gt_hz(1, beta), top = h0 + gt_shannon(w, n);
        ck_assert_msg(lo <= ref + 1e-11 && ref <= up + 1e-11,
                      "config %d (n=%zu beta=%g): %.15f <= %.15f <= %.15f fails", t, n, beta,
                      lo, ref, up);
        ck_assert_msg(h0 <= lo + 1e-12 && up <= top + 1e-12,
                      "config %d: h(Z) %.15f lower %.15f upper %.15f h(Z)+H(w) %.15f", t, h0,
                      lo, up, top);
    }
    gcent_ctx_free(ctx);
}
END_TEST

/* The sandwich in higher d against MC: lower <= MC + 4 se and
 * MC - 4 se <= upper (MC unbiased for h(g), se its standard error), for
 * random configurations in d = 2, 3, 5. */
START_TEST(test_bounds_vs_mc)
{
    uint64_t st = 7u;
    gcent_ctx *ctx = gt_ctx(GCENT_METHOD_MC, 256, 3);
    const size_t ds[] = {2, 3, 5};
    for (int t = 0; t < 30; ++t) {
        size_t d = ds[t % 3], n = 2 + (size_t)(gt_lcg01(&st) * 11.0);
        double s[12 * 5], w[12], sum = 0.0;
        double beta = pow(10.0, gt_lcg01(&st) - 0.7);
        for (size_t i = 0; i < n * d; ++i)
            s[i] = 2.0 * gt_lcg01(&st) - 1.0;
        for (size_t i = 0; i < n; ++i)
            sum += (w[i] = 0.1 + gt_lcg01(&st));
        for (size_t i = 0; i < n; ++i)
            w[i] /= sum;
        const double *ww = (t & 1) ? w : NULL;
        double lo, up;
        bounds(ctx, s, n, d, d, ww, beta, &lo, &up);
        gcent_estimate e = {NAN, NAN};
        ck_assert_int_eq(gcent_entropy(ctx, s, n, d, d, ww, beta, &e), GCENT_OK);
        ck_assert_msg(lo <= e.value + 4.0 * e.se && e.value - 4.0 * e.se <= up,
                      "config %d (n=%zu d=%zu beta=%g): %.10f / %.10f +- %.2g / %.10f", t, n,
                      d, beta, lo, e.value, e.se, up);
    }
    gcent_ctx_free(ctx);
}
END_TEST

/* Duplicate rows: n copies of one point are one centre, lower = upper = h(Z). */
START_TEST(test_bounds_duplicates)
{
    double s[6 * 2];
    for (int i = 0; i < 6; ++i) {
        s[2 * i] = 1.5;
        s[2 * i + 1] = -0.5;
    }
    double lo, up;
    gcent_ctx *ctx = gt_ctx(0, 0, 0);
    bounds(ctx, s, 6, 2, 2, NULL, 0.3, &lo, &up);
    ck_assert_double_eq_tol(lo, gt_hz(2, 0.3), 1e-12);
    ck_assert_double_eq_tol(up, gt_hz(2, 0.3), 1e-12);
    gcent_ctx_free(ctx);
}
END_TEST

Suite *suite_bounds(void)
{
    Suite *s = suite_create("bounds");
    TCase *tc = gt_tcase(s, "core", 60);
    tcase_add_test(tc, test_bounds_closed_form);
    tcase_add_test(tc, test_bounds_single);
    tcase_add_test(tc, test_bounds_far);
    tcase_add_test(tc, test_bounds_sandwich_1d);
    tcase_add_test(tc, test_bounds_vs_mc);
    tcase_add_test(tc, test_bounds_duplicates);
    return s;
}
