/* The deterministic quadrature (GCENT_METHOD_QUADRATURE, d <= 2), through the
 * public API, against references computed here by other means:
 *  - d = 1: the composite trapezoid rule on a fine uniform grid over
 *    [min - 14 beta, max + 14 beta] (spectrally accurate for this smooth,
 *    Gaussian-decaying integrand), checked by halving its step;
 *  - d = 2: independent product laws (h = h1 + h2 from 1-D references) and
 *    rotation invariance;
 *  - closed forms: one centre, (d/2) ln(2 pi e beta^2); far-apart centres,
 *    that plus H(w).
 * Acceptance: |error| <= 1e-9 (d = 1), 1e-7 (d = 2), with the default
 * tolerance 1e-11; the reported se is >= 0 and <= 1e-8.
 * One test calls the internal Gauss-Legendre routine directly (the suite
 * links the static library). */
#include <stdlib.h>
#include <string.h>
#include "tests.h"
#include "internals.h"

#define PI 3.14159265358979323846
#define TOL1 1e-9     /* d = 1 acceptance */
#define TOL2 1e-7     /* d = 2 acceptance */

/* ---- helpers ------------------------------------------------------------------ */

static gcent_ctx *qctx(double threads)
{
    gcent_ctx *ctx = NULL;
    ck_assert_int_eq(gcent_ctx_create(&ctx), GCENT_OK);
    ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_METHOD, GCENT_METHOD_QUADRATURE),
                     GCENT_OK);
    ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_THREADS, threads), GCENT_OK);
    return ctx;
}

/* gcent_entropy by quadrature; checks the status and the error report. */
static double quad(gcent_ctx *ctx, const double *s, size_t n, size_t d, const double *w,
                   double beta)
{
    gcent_estimate e = {NAN, NAN};
    int st = gcent_entropy(ctx, s, n, d, d, w, beta, &e);
    ck_assert_msg(st == GCENT_OK, "gcent_entropy(n=%zu, d=%zu, beta=%g) = %d: %s", n, d,
                  beta, st, gcent_ctx_errmsg(ctx));
    ck_assert(isfinite(e.value));
    ck_assert_msg(e.se >= 0.0 && e.se <= 1e-8, "se = %g (n=%zu, d=%zu, beta=%g)", e.se, n,
                  d, beta);
    return e.value;
}

/* -int g log g of the 1-D mixture sum_j w_j N(c_j, beta^2) by the trapezoid
 * rule with step beta / div over [min c - 14 beta, max c + 14 beta], in the
 * caller's coordinates, log g by log-sum-exp. */
static double trap1(const double *c, const double *w, size_t n, double beta, double div)
{
    double lo = c[0], hi = c[0];
    for (size_t j = 1; j < n; ++j) {
        lo = c[j] < lo ? c[j] : lo;
        hi = c[j] > hi ? c[j] : hi;
    }
    lo -= 14.0 * beta;
    hi += 14.0 * beta;
    size_t npts = (size_t)ceil((hi - lo) / (beta / div));
    double h = (hi - lo) / (double)npts;
    double lnorm = -0.5 * log(2.0 * PI * beta * beta);
    gt_ksum sum = {0.0, 0.0};
    for (size_t i = 0; i <= npts; ++i) {
        double x = lo + (double)i * h, m = -INFINITY, acc = 0.0;
        for (size_t j = 0; j < n; ++j) {
            double wj = w ? w[j] : 1.0 / (double)n, z = (x - c[j]) / beta;
            if (wj > 0.0 && log(wj) - 0.5 * z * z > m)
                m = log(wj) - 0.5 * z * z;
        }
        for (size_t j = 0; j < n; ++j) {
            double wj = w ? w[j] : 1.0 / (double)n, z = (x - c[j]) / beta;
            if (wj > 0.0)
                acc += exp(log(wj) - 0.5 * z * z - m);
        }
        double lg = lnorm + m + log(acc);
        double f = lg < -740.0 ? 0.0 : -exp(lg) * lg;
        gt_kadd(&sum, (i == 0 || i == npts) ? 0.5 * f : f);
    }
    return (sum.s + sum.c) * h;
}

/* The 1-D reference, verified by halving the step. */
static double ref1(const double *c, const double *w, size_t n, double beta)
{
    double a = trap1(c, w, n, beta, 20.0), b = trap1(c, w, n, beta, 40.0);
    ck_assert_msg(fabs(a - b) <= 1e-12, "trapezoid reference not converged: %.3g",
                  fabs(a - b));
    return b;
}

/* Rows (x_i, y_j) of the product of two 1-D supports with product weights. */
static void product2(const double *x, const double *p, size_t nx, const double *y,
                     const double *q, size_t ny, double *s, double *w)
{
    for (size_t i = 0; i < nx; ++i)
        for (size_t j = 0; j < ny; ++j) {
            size_t r = i * ny + j;
            s[2 * r] = x[i];
            s[2 * r + 1] = y[j];
            w[r] = (p ? p[i] : 1.0 / (double)nx) * (q ? q[j] : 1.0 / (double)ny);
        }
}

/* Rotate n 2-D rows by angle th about the origin and translate by (tx, ty). */
static void rotate2(const double *s, size_t n, double th, double tx, double ty, double *out)
{
    double c = cos(th), sn = sin(th);
    for (size_t i = 0; i < n; ++i) {
        out[2 * i] = c * s[2 * i] - sn * s[2 * i + 1] + tx;
        out[2 * i + 1] = sn * s[2 * i] + c * s[2 * i + 1] + ty;
    }
}

/* ---- tests ---------------------------------------------------------------------- */

/* P_8 and its derivative at x (three-term recurrence, long double). */
static void legendre8(long double x, long double *p, long double *dp)
{
    long double p0 = 1.0L, p1 = x;
    for (int k = 2; k <= 8; ++k) {
        long double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
    }
    *p = p1;
    *dp = 8.0L * (x * p1 - p0) / (x * x - 1.0L);
}

/* The static 8-point Gauss-Legendre rule: ascending, symmetric, in (-1, 1);
 * every node a root of P_8 to within its last bit (the Newton step from it
 * is below half an ulp), every weight 2 / ((1 - x^2) P_8'(x)^2) evaluated at
 * the rounded node (which moves it by up to ~100 times the node's relative
 * rounding near x = +-0.96) to 1e-14, and x^k integrated exactly for k < 16
 * (which pins the weights to rounding). */
START_TEST(test_quad_gauss_legendre)
{
    const double *x, *wt;
    size_t n;
    gcent__quad_rule(&x, &wt, &n);
    ck_assert_uint_eq(n, 8);
    double sw = 0.0;
    for (size_t i = 0; i < n; ++i) {
        ck_assert(x[i] > -1.0 && x[i] < 1.0 && wt[i] > 0.0);
        if (i > 0)
            ck_assert(x[i] > x[i - 1]);
        ck_assert(x[i] == -x[n - 1 - i] && wt[i] == wt[n - 1 - i]);
        long double p, dp;
        legendre8(x[i], &p, &dp);
        ck_assert_msg(fabsl(p / dp) <= 0.5L * nextafter(fabs(x[i]), 2.0) - 0.5L * fabs(x[i]),
                      "node %zu: Newton step %Lg", i, p / dp);
        long double w = 2.0L / ((1.0L - (long double)x[i] * x[i]) * dp * dp);
        ck_assert_msg(fabsl(w - wt[i]) <= 1e-14L * w, "weight %zu: %.17g vs %.17Lg", i,
                      wt[i], w);
        sw += wt[i];
    }
    ck_assert_double_eq_tol(sw, 2.0, 4e-15);
    for (size_t k = 0; k < 16; ++k) {
        double q = 0.0;
        for (size_t i = 0; i < n; ++i)
            q += wt[i] * pow(x[i], (double)k);
        ck_assert_double_eq_tol(q, k % 2 ? 0.0 : 2.0 / (double)(k + 1), 4e-15);
    }
}
END_TEST

/* One Gaussian: (d/2) ln(2 pi e beta^2). Two identical rows keep the public
 * call on the quadrature path (a single centre is answered in closed form);
 * the internal engine is also run on a one-centre mixture. Locations 0 and
 * 1e3, beta from 1e-3 to 1e2. */
START_TEST(test_quad_single_centre)
{
    gcent_ctx *ctx = qctx(0);
    const double betas[] = {1e-3, 1.0, 1e2};
    const double locs[] = {0.0, 1e3};
    for (size_t d = 1; d <= 2; ++d)
        for (size_t b = 0; b < 3; ++b)
            for (size_t l = 0; l < 2; ++l) {
                double s1[2] = {locs[l], locs[l]};
                double s2[4] = {locs[l], locs[l] - 0.5, locs[l], locs[l] - 0.5};
                double h = quad(ctx, d == 1 ? s1 : s2, 2, d, NULL, betas[b]);
                ck_assert_msg(fabs(h - gt_hz(d, betas[b])) <= (d == 1 ? TOL1 : TOL2),
                              "d=%zu beta=%g loc=%g: %.15g vs %.15g", d, betas[b],
                              locs[l], h, gt_hz(d, betas[b]));
            }
    for (size_t d = 1; d <= 2; ++d) {
        double s[2] = {0.25, -3.0}, hu = NAN, err = NAN;
        gcent__mix m;
        ck_assert_int_eq(gt_mix_init(&m, s, 1, d, d, NULL, 0.5), GCENT_OK);
        ck_assert_int_eq(gt_quad(&m, 1e-11, &hu, &err), GCENT_OK);
        ck_assert_double_eq_tol(hu, gt_hz(d, 1.0), 1e-12);
        ck_assert(err >= 0.0 && err <= 1e-10);
        gcent__mix_free(&m);
    }
    gcent_ctx_free(ctx);
}
END_TEST

/* Two centres D beta apart, D = 1e-6 .. 1e3, equal and unequal weights,
 * beta = 1e-3, 1, 1e2: against the trapezoid reference; far apart also
 * against the closed form h(Z) + H(w). */
START_TEST(test_quad_two_centres)
{
    gcent_ctx *ctx = qctx(0);
    const double Ds[] = {1e-6, 0.5, 2.0, 5.0, 40.0, 1e3};
    const double betas[] = {1e-3, 1.0, 1e2};
    const double ws[2][2] = {{0.5, 0.5}, {0.2, 0.8}};
    double maxerr = 0.0;
    for (size_t b = 0; b < 3; ++b)
        for (size_t i = 0; i < 6; ++i)
            for (size_t k = 0; k < 2; ++k) {
                double beta = betas[b];
                double s[2] = {-0.3 * beta, -0.3 * beta + Ds[i] * beta};
                double h = quad(ctx, s, 2, 1, ws[k], beta);
                double r = ref1(s, ws[k], 2, beta);
                maxerr = fmax(maxerr, fabs(h - r));
                ck_assert_msg(fabs(h - r) <= TOL1, "D=%g beta=%g w1=%g: %.15g vs %.15g",
                              Ds[i], beta, ws[k][0], h, r);
                if (Ds[i] >= 40.0)
                    ck_assert_double_eq_tol(h, gt_hz(1, beta) + gt_shannon(ws[k], 2), TOL1);
            }
    gcent_ctx_free(ctx);
}
END_TEST

/* Five centres on [0, 1] with unequal weights; beta from 1e-3 to 1e2 relative
 * to the spread (scaled spread 1e3 down to 1e-2). */
START_TEST(test_quad_beta_range)
{
    gcent_ctx *ctx = qctx(0);
    const double c[5] = {0.0, 0.13, 0.4, 0.41, 1.0};
    const double w[5] = {0.1, 0.4, 0.2, 0.25, 0.05};
    const double betas[] = {1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0, 10.0, 100.0};
    for (size_t b = 0; b < sizeof betas / sizeof betas[0]; ++b) {
        double h = quad(ctx, c, 5, 1, w, betas[b]);
        double r = ref1(c, w, 5, betas[b]);
        ck_assert_msg(fabs(h - r) <= TOL1, "beta=%g: %.15g vs %.15g", betas[b], h, r);
    }
    gcent_ctx_free(ctx);
}
END_TEST

/* Very unequal weights (1e-6 next to 0.5), and a zero weight, which must give
 * the same value as leaving the centre out. */
START_TEST(test_quad_weights)
{
    gcent_ctx *ctx = qctx(0);
    const double c[5] = {-1.0, 0.0, 0.35, 2.0, 9.0};
    const double w[5] = {1e-6, 0.5 - 1e-6, 0.3, 0.199999, 1e-6};
    const double betas[] = {0.05, 0.5, 3.0};
    for (size_t b = 0; b < 3; ++b) {
        double h = quad(ctx, c, 5, 1, w, betas[b]);
        double r = ref1(c, w, 5, betas[b]);
        ck_assert_msg(fabs(h - r) <= TOL1, "beta=%g: %.15g vs %.15g", betas[b], h, r);
    }
    const double c4[4] = {0.0, 0.7, 5.0, 1.1}, w4[4] = {0.3, 0.3, 0.0, 0.4};
    const double c3[3] = {0.0, 0.7, 1.1}, w3[3] = {0.3, 0.3, 0.4};
    double h4 = quad(ctx, c4, 4, 1, w4, 0.4), h3 = quad(ctx, c3, 3, 1, w3, 0.4);
    ck_assert_double_eq_tol(h4, h3, 1e-12);
    ck_assert_double_eq_tol(h3, ref1(c3, w3, 3, 0.4), TOL1);
    gcent_ctx_free(ctx);
}
END_TEST

/* Translation by 1e3 changes nothing (d = 1 and d = 2). */
START_TEST(test_quad_translation)
{
    gcent_ctx *ctx = qctx(0);
    const double c[4] = {0.0, 0.3, 0.35, 1.2}, w[4] = {0.1, 0.2, 0.3, 0.4};
    const double betas[] = {0.01, 0.2, 5.0};
    for (size_t b = 0; b < 3; ++b) {
        double ct[4];
        for (int i = 0; i < 4; ++i)
            ct[i] = c[i] + 1e3;
        double h = quad(ctx, c, 4, 1, w, betas[b]), ht = quad(ctx, ct, 4, 1, w, betas[b]);
        ck_assert_double_eq_tol(ht, h, TOL1);
        ck_assert_double_eq_tol(ht, ref1(c, w, 4, betas[b]), TOL1);
    }
    const double s2[8] = {0.0, 0.0, 0.2, 0.1, -0.1, 0.3, 0.5, 0.5};
    double s2t[8];
    for (int i = 0; i < 8; ++i)
        s2t[i] = s2[i] + (i % 2 ? -1e3 : 1e3);
    for (size_t b = 0; b < 2; ++b) {
        double beta = b == 0 ? 0.05 : 0.3;
        ck_assert_double_eq_tol(quad(ctx, s2t, 4, 2, w, beta), quad(ctx, s2, 4, 2, w, beta),
                                TOL2);
    }
    gcent_ctx_free(ctx);
}
END_TEST

/* Many centres in 1-D: 300 uniform draws on [-1, 1] at three noise levels
 * (GCENT_TEST_LIGHT: the first 60). */
START_TEST(test_quad_many_1d)
{
    gcent_ctx *ctx = qctx(0);
    enum { N = 300 };
    const size_t n = GT_LIGHT(N, 60); /* GCENT_TEST_LIGHT: 60 centres */
    double c[N];
    uint64_t st = 42;
    for (size_t i = 0; i < N; ++i)
        c[i] = 2.0 * gt_lcg01(&st) - 1.0;
    const double betas[] = {1e-3, 0.02, 0.5};
    for (size_t b = 0; b < 3; ++b) {
        double h = quad(ctx, c, n, 1, NULL, betas[b]);
        double r = ref1(c, NULL, n, betas[b]);
        ck_assert_msg(fabs(h - r) <= TOL1, "beta=%g: %.15g vs %.15g", betas[b], h, r);
    }
    gcent_ctx_free(ctx);
}
END_TEST

/* d = 2, S = (S1, S2) independent: h = h(S1 + Z1) + h(S2 + Z2). Supports of
 * two points D1 beta and D2 beta apart (1e-6 .. 1e3), product weights; the
 * same law rotated by 45 degrees and translated must give the same value. */
START_TEST(test_quad_product_2d)
{
    gcent_ctx *ctx = qctx(0);
    const double D[][2] = {{2.0, 5.0}, {0.5, 40.0}, {1e-6, 0.5}, {5.0, 1e-6},
                           {1e3, 3.0}, {40.0, 2.0}};
    const double p[2] = {0.3, 0.7}, q[2] = {0.6, 0.4};
    const double betas[] = {1e-3, 1.0, 1e2};
    for (size_t b = 0; b < 3; ++b)
        for (size_t i = 0; i < sizeof D / sizeof D[0]; ++i) {
            double beta = betas[b];
            double x[2] = {beta, beta + D[i][0] * beta};
            double y[2] = {-2.0 * beta, -2.0 * beta + D[i][1] * beta};
            double s[8], w[4], sr[8];
            product2(x, p, 2, y, q, 2, s, w);
            double r = ref1(x, p, 2, beta) + ref1(y, q, 2, beta);
            double h = quad(ctx, s, 4, 2, w, beta);
            ck_assert_msg(fabs(h - r) <= TOL2, "D=(%g,%g) beta=%g: %.15g vs %.15g",
                          D[i][0], D[i][1], beta, h, r);
            rotate2(s, 4, PI / 4.0, 7.0 * beta, -3.0 * beta, sr);
            double hr = quad(ctx, sr, 4, 2, w, beta);
            ck_assert_msg(fabs(hr - r) <= TOL2, "rotated D=(%g,%g) beta=%g: %.15g vs %.15g",
                          D[i][0], D[i][1], beta, hr, r);
        }
    gcent_ctx_free(ctx);
}
END_TEST

/* d = 2, a few clustered centres with unequal weights: invariant under
 * rotations (and translations), at three noise levels. */
START_TEST(test_quad_rotation_2d)
{
    gcent_ctx *ctx = qctx(0);
    const double s[12] = {0.0, 0.0, 0.3, 0.1, -0.2, 0.5, 2.0, 2.0, 2.1, 1.7, 5.0, -1.0};
    const double w[6] = {0.1, 0.2, 0.3, 0.15, 0.2, 0.05};
    const double betas[] = {0.01, 0.5, 10.0};
    const double angles[] = {0.3, 1.4, 2.5};
    for (size_t b = 0; b < 3; ++b) {
        double h = quad(ctx, s, 6, 2, w, betas[b]);
        /* between no overlap (h(Z) + H(w)) and one Gaussian (h(Z)) */
        ck_assert(h >= gt_hz(2, betas[b]) - TOL2);
        ck_assert(h <= gt_hz(2, betas[b]) + gt_shannon(w, 6) + TOL2);
        for (size_t a = 0; a < 3; ++a) {
            double sr[12];
            rotate2(s, 6, angles[a], 0.5, -2.0, sr);
            double hr = quad(ctx, sr, 6, 2, w, betas[b]);
            ck_assert_msg(fabs(hr - h) <= TOL2, "beta=%g angle=%g: %.15g vs %.15g",
                          betas[b], angles[a], hr, h);
        }
    }
    gcent_ctx_free(ctx);
}
END_TEST

/* d = 2, 64 centres spread over ~10 noise sd: an 8 x 8 product grid with
 * irregular spacings and unequal weights (reference h1 + h2), and the same
 * set rotated by 30 degrees. */
START_TEST(test_quad_cluster_2d)
{
    gcent_ctx *ctx = qctx(0);
    const double x[8] = {0.0, 0.7, 1.1, 2.9, 3.0, 5.5, 8.2, 10.0};
    const double y[8] = {-1.0, 0.4, 1.9, 2.0, 2.2, 4.8, 6.1, 9.3};
    const double p[8] = {0.05, 0.2, 0.1, 0.15, 0.1, 0.1, 0.2, 0.1};
    double s[128], w[64], sr[128];
    product2(x, p, 8, y, NULL, 8, s, w);
    double r = ref1(x, p, 8, 1.0) + ref1(y, NULL, 8, 1.0);
    double h = quad(ctx, s, 64, 2, w, 1.0);
    ck_assert_msg(fabs(h - r) <= TOL2, "%.15g vs %.15g", h, r);
    rotate2(s, 64, PI / 6.0, 0.0, 0.0, sr);
    double hr = quad(ctx, sr, 64, 2, w, 1.0);
    ck_assert_msg(fabs(hr - r) <= TOL2, "rotated: %.15g vs %.15g", hr, r);
    gcent_ctx_free(ctx);
}
END_TEST

/* The value is bit-identical for 1, 2 and 4 threads (d = 1 and d = 2). */
START_TEST(test_quad_threads_bitwise)
{
    enum { N = 200 };
    double c[2 * N];
    uint64_t st = 7;
    for (size_t i = 0; i < 2 * N; ++i)
        c[i] = 3.0 * gt_lcg01(&st);
    for (size_t d = 1; d <= 2; ++d) {
        double ref = NAN, se = NAN;
        const double threads[] = {1, 2, 4};
        for (size_t t = 0; t < 3; ++t) {
            gcent_ctx *ctx = qctx(threads[t]);
            gcent_estimate e = {NAN, NAN};
            ck_assert_int_eq(gcent_entropy(ctx, c, d == 1 ? 2 * N : N / 4, d, d, NULL,
                                           d == 1 ? 0.05 : 0.25, &e), GCENT_OK);
            if (t == 0) {
                ref = e.value;
                se = e.se;
            } else {
                ck_assert(memcmp(&e.value, &ref, sizeof ref) == 0);
                ck_assert(memcmp(&e.se, &se, sizeof se) == 0);
            }
            gcent_ctx_free(ctx);
        }
    }
}
END_TEST

/* Results honour GCENT_OPT_LOG_BASE. */
START_TEST(test_quad_log_base)
{
    gcent_ctx *ctx = qctx(0);
    const double c[3] = {0.0, 0.4, 1.5};
    double h = quad(ctx, c, 3, 1, NULL, 0.3);
    ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_LOG_BASE, 2.0), GCENT_OK);
    double h2 = quad(ctx, c, 3, 1, NULL, 0.3);
    ck_assert_double_eq_tol(h2, h / log(2.0), 1e-13);
    gcent_ctx_free(ctx);
}
END_TEST

/* Progress: reported units never decrease and end at the total; a callback
 * that stops the call gives GCENT_ECANCELED and leaves the output alone. */
typedef struct { uint64_t last, total, calls, stop_after; } qprog;

static int qprog_fn(void *user, uint64_t done, uint64_t total)
{
    qprog *p = user;
    ck_assert(done >= p->last && done <= total);
    ck_assert(p->calls == 0 || total == p->total);
    p->last = done;
    p->total = total;
    p->calls++;
    return p->stop_after && p->calls >= p->stop_after;
}

START_TEST(test_quad_progress)
{
    double s[40];
    uint64_t st = 3;
    for (int i = 0; i < 40; ++i)
        s[i] = 4.0 * gt_lcg01(&st);
    for (size_t d = 1; d <= 2; ++d) {
        gcent_ctx *ctx = qctx(2);
        qprog p = {0, 0, 0, 0};
        ck_assert_int_eq(gcent_ctx_set_progress(ctx, qprog_fn, &p), GCENT_OK);
        gcent_estimate e = {NAN, NAN};
        ck_assert_int_eq(gcent_entropy(ctx, s, 40 / d, d, d, NULL, 0.5, &e), GCENT_OK);
        ck_assert(p.calls >= 1 && p.last == p.total && p.total >= 1);

        qprog stop = {0, 0, 0, 1};
        ck_assert_int_eq(gcent_ctx_set_progress(ctx, qprog_fn, &stop), GCENT_OK);
        gcent_estimate keep = {123.0, 456.0};
        ck_assert_int_eq(gcent_entropy(ctx, s, 40 / d, d, d, NULL, 0.5, &keep),
                         GCENT_ECANCELED);
        ck_assert(keep.value == 123.0 && keep.se == 456.0);
        ck_assert(strlen(gcent_ctx_errmsg(ctx)) > 0);
        gcent_ctx_free(ctx);
    }
}
END_TEST

/* Quadrature is for d <= 2: d = 3 gives GCENT_EUNSUPPORTED, output untouched. */
START_TEST(test_quad_d3_unsupported)
{
    gcent_ctx *ctx = qctx(0);
    const double s[6] = {0.0, 0.1, 0.2, 1.0, 1.1, 1.2};
    gcent_estimate e = {123.0, 456.0};
    ck_assert_int_eq(gcent_entropy(ctx, s, 2, 3, 3, NULL, 0.5, &e), GCENT_EUNSUPPORTED);
    ck_assert(e.value == 123.0 && e.se == 456.0);
    ck_assert(strlen(gcent_ctx_errmsg(ctx)) > 0);
    gcent_ctx_free(ctx);
}
END_TEST

Suite *suite_quadrature(void)
{
    Suite *s = suite_create("quadrature");
    TCase *gl = gt_tcase(s, "quadrature-rule", 30);
    /* long double checks: Valgrind computes long double in double */
    tcase_set_tags(gl, "native-fp");
    tcase_add_test(gl, test_quad_gauss_legendre);
    TCase *tc = gt_tcase(s, "quadrature-1d", 120);
    tcase_add_test(tc, test_quad_single_centre);
    tcase_add_test(tc, test_quad_two_centres);
    tcase_add_test(tc, test_quad_beta_range);
    tcase_add_test(tc, test_quad_weights);
    tcase_add_test(tc, test_quad_translation);
    tcase_add_test(tc, test_quad_many_1d);
    tcase_add_test(tc, test_quad_log_base);
    TCase *t2 = gt_tcase(s, "quadrature-2d", 120);
    tcase_set_tags(t2, "long"); /* one path over many geometries: see tests.h */
    tcase_add_test(t2, test_quad_product_2d);
    tcase_add_test(t2, test_quad_rotation_2d);
    tcase_add_test(t2, test_quad_cluster_2d);
    TCase *t3 = gt_tcase(s, "quadrature-api", 120);
    tcase_add_test(t3, test_quad_threads_bitwise);
    tcase_add_test(t3, test_quad_progress);
    tcase_add_test(t3, test_quad_d3_unsupported);
    return s;
}
