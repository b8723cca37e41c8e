/* gcent_sliced_mi_layer (gcent/sliced.h): the sliced information plane.
 *
 * Exact references: q = d, where every slice is a rotation of the layer and
 * SI_q = I (the library's adaptive quadrature, tolerance 1e-13); two centres
 * +-a, whose sliced MI is a 1-D integral over the Beta(q/2, (d-q)/2) law of
 * |A^T a|^2 / |a|^2, computed here with the test's own trapezoid entropy
 * (tests/util.c) and Simpson's rule; identities that hold slice by slice
 * (data processing, the bounds ln m and H(Y), SI = 0 when the layer ignores
 * X, translation). Statistical statements (rotation, SI_1 <= SI_2, the
 * standard error) are checked within multiples of the reported se, and the
 * se itself against the exact spread of the two-centre case. The lattice
 * rule's own error is checked against GCENT_SLICED_QUAD_ERR on mixtures of
 * the shapes where it is largest. */
#include <fenv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "tests.h"
#include "sliced.h" /* the lattice rule, the prepared computation; ctx.h, threads.h */

#define PI 3.14159265358979323846
#define TWO_ERR (2.0 * GCENT_SLICED_QUAD_ERR) /* the bound on one slice's MI */

/* ---- helpers ------------------------------------------------------------------ */

static gcent_ctx *sl_ctx(double seed, double threads)
{
    gcent_ctx *ctx = NULL;
    ck_assert_int_eq(gcent_ctx_create(&ctx), GCENT_OK);
    ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_SEED, seed), GCENT_OK);
    ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_THREADS, threads), GCENT_OK);
    return ctx;
}

static gcent_sliced_mi run_sl(gcent_ctx *ctx, const double *s, size_t m, size_t k, size_t d,
                              size_t lds, const int *labels, double beta, size_t q,
                              size_t slices)
{
    gcent_sliced_mi r;
    memset(&r, 0, sizeof r);
    int st = gcent_sliced_mi_layer(ctx, s, m, k, d, lds, labels, beta, q, slices, &r);
    ck_assert_msg(st == GCENT_OK, "gcent_sliced_mi_layer(m=%zu, k=%zu, d=%zu, q=%zu, S=%zu) = %d: %s",
                  m, k, d, q, slices, st, gcent_ctx_errmsg(ctx));
    ck_assert_str_eq(gcent_ctx_errmsg(ctx), "");
    ck_assert(isfinite(r.ixt.value) && r.ixt.se >= 0.0);
    if (labels != NULL)
        ck_assert(isfinite(r.iyt.value) && r.iyt.se >= 0.0);
    return r;
}

/* A tanh layer with k noisy draws per input: rows i*k + r = tanh(x_i + noise),
 * x_i in R^d standard normal times spread, noise sd `jitter`. */
static double *layer_rows(uint64_t seed, size_t m, size_t k, size_t d, double spread,
                          double jitter)
{
    double *s = malloc(m * k * d * sizeof *s), *x = malloc(m * d * sizeof *x);
    ck_assert(s != NULL && x != NULL);
    gcent_rng_normals(seed, 7, 0, m * d, x);
    gcent_rng_normals(seed, 8, 0, m * k * d, s);
    for (size_t i = 0; i < m; ++i)
        for (size_t r = 0; r < k; ++r)
            for (size_t j = 0; j < d; ++j) {
                double *v = &s[(i * k + r) * d + j];
                *v = tanh(spread * x[i * d + j] + jitter * *v);
            }
    free(x);
    return s;
}

static double label_entropy(const int *y, size_t m)
{
    double h = 0.0;
    for (size_t i = 0; i < m; ++i) {
        int first = 1;
        size_t c = 0;
        for (size_t j = 0; j < m; ++j) {
            first &= !(j < i && y[j] == y[i]);
            c += y[j] == y[i];
        }
        if (first)
            h -= (double)c / (double)m * log((double)c / (double)m);
    }
    return h;
}

/* ---- the lattice rule against the adaptive quadrature --------------------------- */

/* Entropy (nats, beta = 1) of the 1-D weighted mixture u, w by the lattice
 * rule, through the internal line sum. */
static double lattice_h1(const double *u, const double *w, size_t n)
{
    size_t *ix = malloc(n * sizeof *ix);
    int64_t *g = malloc(n * sizeof *g);
    double *dl = malloc(n * sizeof *dl), *a = malloc(n * sizeof *a);
    double *z = malloc(n * sizeof *z), *z8 = malloc(n * sizeof *z8);
    gcent__sl_line *L = calloc(1, sizeof *L);
    ck_assert(ix && g && dl && a && z && z8 && L);
    for (size_t i = 0; i < n; ++i)
        ix[i] = i;
    for (size_t i = 1; i < n; ++i) { /* insertion sort by position */
        size_t t = ix[i], j = i;
        for (; j > 0 && u[ix[j - 1]] > u[t]; --j)
            ix[j] = ix[j - 1];
        ix[j] = t;
    }
    for (size_t e = 0; e < n; ++e)
        g[e] = gcent__sl_cell(u[ix[e]], &dl[e]);
    gcent__sl_factors(dl, n, a, z, z8);
    for (size_t e = 0; e < n; ++e)
        a[e] *= w[ix[e]];
    gcent__sl_rule R;
    gcent__sl_rule_init(&R);
    const double c = 1.0 / sqrt(2.0 * PI);
    double h = GCENT__SL_H * gcent__sl_line_sum(&R, L, g, a, z, z8, n, c, log(c));
    for (size_t t = 0; t < GCENT__SL_BUF; ++t)
        ck_assert_msg(L->buf[t] == 0.0, "line buffer not left zero at %zu", t);
    free(ix), free(g), free(dl), free(a), free(z), free(z8), free(L);
    return h;
}

/* Entropy (nats, beta = 1) of the 2-D equal-weight mixture u (n x 2). */
static double lattice_h2(const double *u, size_t n)
{
    int64_t *g1 = malloc(n * sizeof *g1), *g2 = malloc(n * sizeof *g2);
    double *f = malloc(8 * n * sizeof *f);
    size_t *rows = malloc(n * sizeof *rows);
    gcent__sl_line *L = calloc(1, sizeof *L);
    gcent__sl_plane S;
    ck_assert(g1 && g2 && f && rows && L && gcent__sl_plane_init(&S, n) == GCENT_OK);
    double *d1 = f, *d2 = f + n, *a1 = f + 2 * n, *z1 = f + 3 * n, *z81 = f + 4 * n;
    double *a2 = f + 5 * n, *z2 = f + 6 * n, *z82 = f + 7 * n;
    for (size_t i = 0; i < n; ++i) {
        g1[i] = gcent__sl_cell(u[2 * i], &d1[i]);
        g2[i] = gcent__sl_cell(u[2 * i + 1], &d2[i]);
        rows[i] = i;
    }
    gcent__sl_factors(d1, n, a1, z1, z81);
    gcent__sl_factors(d2, n, a2, z2, z82);
    for (size_t i = 1; i < n; ++i) { /* by (g1, g2, row) */
        size_t t = rows[i], j = i;
        for (; j > 0; --j) {
            size_t p = rows[j - 1];
            if (g1[p] < g1[t] || (g1[p] == g1[t] && (g2[p] < g2[t] || (g2[p] == g2[t] && p < t))))
                break;
            rows[j] = p;
        }
        rows[j] = t;
    }
    gcent__sl_rule R;
    gcent__sl_rule_init(&R);
    const gcent__sl_pts2 P = {g1, g2, d1, z1, a2, z2, z82};
    const double c = 1.0 / ((double)n * 2.0 * PI);
    double h = GCENT__SL_H * GCENT__SL_H *
               gcent__sl_plane_sum(&R, L, &S, &P, rows, n, c, log(c));
    gcent__sl_plane_free(&S);
    free(g1), free(g2), free(f), free(rows), free(L);
    return h;
}

/* The documented bound on one entropy, on the shapes where the rule's error
 * is largest (two and three centres about 7 noise units apart, clusters,
 * many groups in a row), 1-D and 2-D, against gcent_entropy by quadrature
 * (tolerance 1e-13; its own error bound is added). The largest error seen
 * must also be above 1e-11: the rule is not exact, so this search does look
 * where its error is (mutation checks: h = 1/2 gives 1.5e-6 and fails; stale
 * points left by the line buffer's move give errors of 0.7 nats). */
START_TEST(test_lattice_bound)
{
    gcent_ctx *ctx = sl_ctx(0, 1);
    ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_METHOD, GCENT_METHOD_QUADRATURE), GCENT_OK);
    ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_QUAD_TOL, 1e-13), GCENT_OK);
    uint64_t st = 42;
    double u[128], w[64], worst = 0.0;
    const int trials = GT_LIGHT(400, 40);
    for (int t = 0; t < trials; ++t) {
        size_t n = 0;
        double off = 200.0 * (gt_lcg01(&st) - 0.5);
        switch (t % 4) {
        case 0: /* two centres, any weights, gap 5 .. 9 */
            n = 2;
            u[0] = off, u[1] = off + 5.0 + 4.0 * gt_lcg01(&st);
            w[0] = 0.02 + 0.96 * gt_lcg01(&st), w[1] = 1.0 - w[0];
            break;
        case 1: /* three centres in 15 units */
            n = 3;
            for (size_t i = 0; i < n; ++i)
                u[i] = off + 15.0 * gt_lcg01(&st), w[i] = 0.05 + gt_lcg01(&st);
            break;
        case 2: /* 2 .. 5 clusters 4 .. 8 apart, 1 .. 12 centres each */
            for (int c = 0, nc = 2 + (int)(4 * gt_lcg01(&st)); c < nc; ++c) {
                int sz = 1 + (int)(12 * gt_lcg01(&st));
                double sp = gt_lcg01(&st);
                for (int i = 0; i < sz; ++i, ++n)
                    u[n] = off + sp * (gt_lcg01(&st) - 0.5), w[n] = 1.0;
                off += 4.0 + 4.0 * gt_lcg01(&st);
            }
            break;
        default: /* 40 groups in a row, 5 .. 7 apart */
            for (double gap = 5.0 + 2.0 * gt_lcg01(&st); n < 40; ++n)
                u[n] = off + gap * (double)n, w[n] = 0.5 + gt_lcg01(&st);
        }
        double sw = 0.0;
        for (size_t i = 0; i < n; ++i)
            sw += w[i];
        for (size_t i = 0; i < n; ++i)
            w[i] /= sw;
        gcent_estimate ref;
        ck_assert_int_eq(gcent_entropy(ctx, u, n, 1, 1, w, 1.0, &ref), GCENT_OK);
        double e = fabs(lattice_h1(u, w, n) - ref.value);
        ck_assert_msg(e <= GCENT_SLICED_QUAD_ERR + ref.se,
                      "1-D trial %d (n = %zu): lattice error %.3g above the bound", t, n, e);
        worst = fmax(worst, e);
    }
    ck_assert_msg(worst > 1e-11, "largest lattice error %.3g: the search misses the rule's "
                  "error", worst);
    /* 2-D: two centres at any angle 5 .. 9 apart, three in a 10 x 10 square */
    ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_QUAD_TOL, 1e-12), GCENT_OK);
    for (int t = 0; t < GT_LIGHT(24, 4); ++t) {
        size_t n = 2 + (size_t)(t % 2);
        double o1 = 100.0 * gt_lcg01(&st), o2 = -100.0 * gt_lcg01(&st);
        double D = 5.0 + 4.0 * gt_lcg01(&st), th = 2.0 * PI * gt_lcg01(&st);
        u[0] = o1, u[1] = o2, u[2] = o1 + D * cos(th), u[3] = o2 + D * sin(th);
        u[4] = o1 + 10.0 * gt_lcg01(&st), u[5] = o2 + 10.0 * gt_lcg01(&st);
        gcent_estimate ref;
        ck_assert_int_eq(gcent_entropy(ctx, u, n, 2, 2, NULL, 1.0, &ref), GCENT_OK);
        double e = fabs(lattice_h2(u, n) - ref.value);
        ck_assert_msg(e <= GCENT_SLICED_QUAD_ERR + ref.se,
                      "2-D trial %d: lattice error %.3g above the bound", t, e);
    }
    gcent_ctx_free(ctx);
}
END_TEST

/* Exact identities of the rule's streaming: islands farther apart than the
 * window are independent (h = sum_i p_i h_i + H(p) to rounding), also when
 * far from the origin (2^40 noise units) and when the line buffer must move
 * its pending points (a chain of centres 1 unit apart, 300 units long); and
 * every line sum leaves its buffer zero (mutation check: without the zeroing
 * after the buffer's move this fails). */
START_TEST(test_lattice_islands)
{
    double u[400], w[400];
    /* one centre: the rule's value for a unit normal, which then serves
     * below; it is (1/2) ln(2 pi e) to 1e-13 (the window: mass beyond 7.875) */
    u[0] = 0.3, w[0] = 1.0;
    const double h1 = lattice_h1(u, w, 1);
    ck_assert_msg(fabs(h1 - 0.5 * GCENT_TEST_LN2PIE) < 1e-13, "h1 off by %.3g", h1 - 0.5 * GCENT_TEST_LN2PIE);
    /* three single centres 20, 1e6, 2^40 apart: h(normal) + ln 3 */
    u[0] = -20.0, u[1] = 0.0, u[2] = 1e6;
    for (int i = 0; i < 3; ++i)
        w[i] = 1.0 / 3.0;
    ck_assert_double_eq_tol(lattice_h1(u, w, 3), h1 + log(3.0), 1e-13);
    u[2] = 1099511627776.0;
    ck_assert_double_eq_tol(lattice_h1(u, w, 3), h1 + log(3.0), 1e-13);
    /* a chain of 301 centres 1 apart (many buffer moves), then the same
     * chain twice, 100 units apart: h(chain) + ln 2 */
    for (int i = 0; i <= 300; ++i)
        u[i] = 0.37 * i + 0.63 * i, w[i] = 1.0 / 301.0;
    const double hc = lattice_h1(u, w, 301);
    ck_assert(hc > h1 && hc < h1 + log(301.0));
    double v[602], wv[602];
    for (int i = 0; i <= 300; ++i) {
        v[i] = u[i], v[301 + i] = u[i] + 400.0;
        wv[i] = wv[301 + i] = 0.5 / 301.0;
    }
    ck_assert_double_eq_tol(lattice_h1(v, wv, 602), hc + log(2.0), 1e-12);
}
END_TEST

/* ---- exact references ------------------------------------------------------------ */

/* q = d (1 and 2): every slice is an orthogonal map of the layer, so every
 * slice's MI is I, which gcent_mi_layer computes by quadrature (tolerance
 * 1e-13; 1e-10 under GCENT_TEST_LIGHT): agreement within the two rules'
 * bounds, and se at rounding level.
 * k = 1 (exact conditional), k = 3, several classes. */
START_TEST(test_q_equals_d)
{
    gcent_ctx *ctx = sl_ctx(5, 0);
    gcent_ctx *qc = sl_ctx(0, 0);
    ck_assert_int_eq(gcent_ctx_set(qc, GCENT_OPT_METHOD, GCENT_METHOD_QUADRATURE), GCENT_OK);
    /* light: a coarser reference (its bound is in the tolerance anyway) */
    ck_assert_int_eq(gcent_ctx_set(qc, GCENT_OPT_QUAD_TOL, GT_LIGHT(1e-13, 1e-10)), GCENT_OK);
    const size_t ms[2] = {GT_LIGHT(30, 8), GT_LIGHT(12, 4)}, ks[2] = {1, 3};
    for (size_t d = 1; d <= 2; ++d)
        for (int c = 0; c < 2; ++c) {
            size_t m = ms[c], k = ks[c];
            double *s = layer_rows(11 + d, m, k, d, 1.5, 0.3);
            int *y = malloc(m * sizeof *y);
            for (size_t i = 0; i < m; ++i)
                y[i] = (int)(i % 4) * 7 - 3;
            gcent_layer_mi ref;
            ck_assert_int_eq(gcent_mi_layer(qc, s, m, k, d, d, y, 0.1, &ref), GCENT_OK);
            gcent_sliced_mi r = run_sl(ctx, s, m, k, d, d, y, 0.1, d, 6);
            ck_assert_msg(fabs(r.ixt.value - ref.ixt.value) <= TWO_ERR + ref.ixt.se,
                          "d = %zu, k = %zu: SI(X) %.15g, I(X) %.15g", d, k, r.ixt.value,
                          ref.ixt.value);
            ck_assert_msg(fabs(r.iyt.value - ref.iyt.value) <= TWO_ERR + ref.iyt.se,
                          "d = %zu, k = %zu: SI(Y) %.15g, I(Y) %.15g", d, k, r.iyt.value,
                          ref.iyt.value);
            ck_assert_msg(r.ixt.se < 1e-9 && r.iyt.se < 1e-9, "se %.3g %.3g: slices differ",
                          r.ixt.se, r.iyt.se);
            ck_assert(ref.ixt.value > 0.5); /* not a trivial case */
            free(s);
            free(y);
        }
    gcent_ctx_free(ctx);
    gcent_ctx_free(qc);
}
END_TEST

/* I(X; T) of two equally likely centres +-r (noise units, 1-D):
 * h(mixture) - h(N(0,1)), by the test's own trapezoid rule (tests/util.c). */
static double two_point_mi(double r)
{
    if (r < 1e-9)
        return 0.0;
    const double c[2] = {-r, r};
    return gt_ref_h1(c, NULL, 2, 1.0) - 0.5 * GCENT_TEST_LN2PIE;
}

/* E and Var over A of I(X; A^T T) for centres +-a, |a| = R noise units, in
 * d dimensions with q-dimensional slices: I depends on |A^T a| = R x only,
 * and x = sin(theta) has the law 2 sin^(q-1) cos^(d-q-1) dtheta / B(q/2,
 * (d-q)/2) on [0, pi/2] (x^2 ~ Beta(q/2, (d-q)/2)); Simpson's rule with
 * 2 nint intervals. */
static void two_point_law(double R, size_t d, size_t q, int nint, double *mean, double *var)
{
    const double a = 0.5 * (double)q, b = 0.5 * (double)(d - q);
    const double lbeta = lgamma(a) + lgamma(b) - lgamma(a + b);
    double s1 = 0.0, s2 = 0.0, hstep = 0.5 * PI / (2.0 * nint);
    for (int i = 0; i <= 2 * nint; ++i) {
        double th = hstep * i, sn = sin(th), cs = cos(th);
        double dens = 2.0 * pow(sn, (double)q - 1.0) * pow(cs, (double)(d - q) - 1.0) *
                      exp(-lbeta);
        if (i == 2 * nint && d - q == 1)
            dens = 2.0 * exp(-lbeta); /* cos^0 */
        double f = two_point_mi(R * sn);
        double wgt = (i == 0 || i == 2 * nint) ? 1.0 : (i % 2 ? 4.0 : 2.0);
        s1 += wgt * dens * f;
        s2 += wgt * dens * f * f;
    }
    *mean = s1 * hstep / 3.0;
    *var = s2 * hstep / 3.0 - (*mean) * (*mean);
}

/* Two centres +-a in d = 7 (|a| = 2.5 noise units, a random direction),
 * m = 2 inputs of different labels (so SI(Y) = SI(X)): the estimate is
 * within 4 se of the exact expectation, and the reported se is within 10% of
 * the exact sqrt(Var / S) (S = 3000: the sample sd's own relative error is
 * about 1.5%). Simpson's rule is checked by halving. Mutation checks: q
 * slices that are not uniform (e.g. the first q coordinates) fail the mean;
 * an se without the 1/sqrt(S) fails the calibration. */
START_TEST(test_two_centres)
{
    enum { D = 7 };
    const double beta = 0.2, R = 2.5;
    double dir[D], s[2 * D], nrm = 0.0;
    gcent_rng_normals(99, 3, 0, D, dir);
    for (int j = 0; j < D; ++j)
        nrm += dir[j] * dir[j];
    for (int j = 0; j < D; ++j) {
        s[j] = R * beta * dir[j] / sqrt(nrm);
        s[D + j] = -s[j];
    }
    const int y[2] = {4, -4};
    const size_t S = GT_LIGHT(3000, 600);
    for (size_t q = 1; q <= 2; ++q) {
        double mean, var, mean2, var2;
        two_point_law(R, D, q, 200, &mean, &var);
        two_point_law(R, D, q, 400, &mean2, &var2);
        ck_assert_msg(fabs(mean - mean2) < 1e-9 && fabs(var - var2) < 1e-9,
                      "Simpson not converged: %.3g", fabs(mean - mean2));
        gcent_ctx *ctx = sl_ctx(17, 0);
        gcent_sliced_mi r = run_sl(ctx, s, 2, 1, D, D, y, beta, q, S);
        gcent_ctx_free(ctx);
        double se_exact = sqrt(var2 / (double)S);
        ck_assert_msg(fabs(r.ixt.value - mean2) <= 4.0 * r.ixt.se + TWO_ERR,
                      "q = %zu: SI %.6f, exact %.6f, se %.3g", q, r.ixt.value, mean2, r.ixt.se);
        ck_assert_msg(fabs(r.ixt.se / se_exact - 1.0) < 0.1, "q = %zu: se %.4g, exact %.4g", q,
                      r.ixt.se, se_exact);
        ck_assert(memcmp(&r.ixt, &r.iyt, sizeof r.ixt) == 0);
        ck_assert(mean2 > 0.1 && mean2 < log(2.0) - 0.05); /* a case with spread */
    }
}
END_TEST

/* The se over seeds: 40 seeds of 150 slices each (two-centre case, q = 1):
 * the z-scores (SI - exact) / se have mean square within [0.5, 1.7] (chi^2
 * with 40 degrees of freedom, scaled: 99.9% of its mass is within
 * [0.45, 1.85]); their mean within 4 / sqrt(40) of 0. And the seeds give
 * different values. Mutation check: an se twice too small gives a mean
 * square near 4. */
START_TEST(test_se_over_seeds)
{
    enum { D = 5, SEEDS = 40 };
    const double beta = 0.5, R = 3.0;
    double s[2 * D] = {0};
    s[0] = R * beta * 0.6, s[3] = R * beta * 0.8;
    for (int j = 0; j < D; ++j)
        s[D + j] = -s[j];
    double mean, var;
    two_point_law(R, D, 1, 300, &mean, &var);
    double z2 = 0.0, zm = 0.0, first = NAN;
    int distinct = 0;
    for (int t = 0; t < SEEDS; ++t) {
        gcent_ctx *ctx = sl_ctx(1000 + t, 0);
        gcent_sliced_mi r = run_sl(ctx, s, 2, 1, D, D, NULL, beta, 1, 150);
        gcent_ctx_free(ctx);
        double z = (r.ixt.value - mean) / r.ixt.se;
        z2 += z * z / SEEDS;
        zm += z / SEEDS;
        if (t == 0)
            first = r.ixt.value;
        else
            distinct += r.ixt.value != first;
    }
    ck_assert_msg(z2 > 0.5 && z2 < 1.7, "mean square z-score %.3f", z2);
    ck_assert_msg(fabs(zm) < 4.0 / sqrt((double)SEEDS), "mean z-score %.3f", zm);
    ck_assert_int_eq(distinct, SEEDS - 1);
}
END_TEST

/* ---- identities ------------------------------------------------------------------- */

/* Data processing and the bounds, slice by slice (so deterministic, up to
 * the lattice bound): 0 <= SI_q(X;T) <= I(X;T) (d = 2, q = 1, I by
 * quadrature), SI_q(X;T) <= ln m and SI_q(Y;T) <= H(Y) on rows so spread
 * that the bounds are nearly reached (q = 1, 2). And SI_1 <= SI_2 <= I(X;T)
 * in expectation (d = 5; I by Monte Carlo), within 4 se. */
START_TEST(test_data_processing_and_bounds)
{
    gcent_ctx *ctx = sl_ctx(3, 0);
    gcent_ctx *qc = sl_ctx(0, 0);
    ck_assert_int_eq(gcent_ctx_set(qc, GCENT_OPT_METHOD, GCENT_METHOD_QUADRATURE), GCENT_OK);
    enum { M = 24, K = 3 };
    int y[M];
    for (size_t i = 0; i < M; ++i)
        y[i] = (int)(i % 3 == 0);
    const double hy = label_entropy(y, M);
    double *s2 = layer_rows(21, M, K, 2, 1.0, 0.4);
    gcent_layer_mi I2;
    ck_assert_int_eq(gcent_mi_layer(qc, s2, M, K, 2, 2, y, 0.1, &I2), GCENT_OK);
    gcent_sliced_mi r = run_sl(ctx, s2, M, K, 2, 2, y, 0.1, 1, 200);
    ck_assert_msg(r.ixt.value <= I2.ixt.value + TWO_ERR + I2.ixt.se, "SI_1(X) %.9f > I %.9f",
                  r.ixt.value, I2.ixt.value);
    ck_assert(r.iyt.value <= I2.iyt.value + TWO_ERR + I2.iyt.se);
    ck_assert(r.ixt.value >= -TWO_ERR && r.iyt.value >= -TWO_ERR);
    ck_assert(r.ixt.value < I2.ixt.value - 0.05); /* a strict loss, not equality */
    free(s2);

    /* nearly separated rows: close to the bounds, never above */
    double *w = layer_rows(22, M, 1, 4, 1.0, 0.0);
    for (size_t i = 0; i < 4 * M; ++i)
        w[i] *= 1e4;
    for (size_t q = 1; q <= 2; ++q) {
        r = run_sl(ctx, w, M, 1, 4, 4, y, 1.0, q, 50);
        ck_assert_msg(r.ixt.value <= log((double)M) + TWO_ERR, "SI(X) %.12f > ln m", r.ixt.value);
        ck_assert_msg(r.iyt.value <= hy + TWO_ERR, "SI(Y) %.12f > H(Y)", r.iyt.value);
        ck_assert(r.ixt.value > log((double)M) - 0.05 && r.iyt.value > hy - 0.05);
    }
    free(w);

    /* in expectation: SI_1 <= SI_2 <= I, d = 5 */
    double *s5 = layer_rows(23, M, K, 5, 1.0, 0.3);
    ck_assert_int_eq(gcent_ctx_set(qc, GCENT_OPT_METHOD, GCENT_METHOD_MC), GCENT_OK);
    ck_assert_int_eq(gcent_ctx_set(qc, GCENT_OPT_MC_DRAWS, 200), GCENT_OK);
    gcent_layer_mi I5;
    ck_assert_int_eq(gcent_mi_layer(qc, s5, M, K, 5, 5, y, 0.1, &I5), GCENT_OK);
    gcent_sliced_mi r1 = run_sl(ctx, s5, M, K, 5, 5, y, 0.1, 1, 300);
    gcent_sliced_mi r2 = run_sl(ctx, s5, M, K, 5, 5, y, 0.1, 2, 300);
    ck_assert_msg(r1.ixt.value <= r2.ixt.value + 4.0 * (r1.ixt.se + r2.ixt.se),
                  "SI_1 %.4f > SI_2 %.4f", r1.ixt.value, r2.ixt.value);
    ck_assert_msg(r2.ixt.value <= I5.ixt.value + 4.0 * I5.ixt.se + TWO_ERR,
                  "SI_2 %.4f > I %.4f", r2.ixt.value, I5.ixt.value);
    ck_assert(r1.ixt.value < r2.ixt.value && r2.ixt.value < I5.ixt.value);
    free(s5);
    gcent_ctx_free(ctx);
    gcent_ctx_free(qc);
}
END_TEST

/* Rotation invariance (in law: a rotated layer with the same seed meets
 * other slices): SI of R S within 4 combined se of SI of S, for a random
 * orthogonal R built here (Gram-Schmidt, independent of the library). A
 * stretch of one coordinate by 3 is not a rotation and must move SI by more
 * than that (the test can tell). Translation is exact slice by slice: the
 * same slices, shifted rows, equal to 1e-9. */
START_TEST(test_rotation_translation)
{
    enum { M = 40, K = 2, D = 6 };
    double *s = layer_rows(31, M, K, D, 1.0, 0.3), *rs = malloc(M * K * D * sizeof *rs);
    double Rm[D * D];
    ck_assert_ptr_nonnull(rs);
    gcent_rng_normals(77, 1, 0, D * D, Rm);
    for (int i = 0; i < D; ++i) { /* rows of Rm orthonormal */
        for (int j = 0; j < i; ++j) {
            double dot = 0.0;
            for (int t = 0; t < D; ++t)
                dot += Rm[i * D + t] * Rm[j * D + t];
            for (int t = 0; t < D; ++t)
                Rm[i * D + t] -= dot * Rm[j * D + t];
        }
        double nn = 0.0;
        for (int t = 0; t < D; ++t)
            nn += Rm[i * D + t] * Rm[i * D + t];
        for (int t = 0; t < D; ++t)
            Rm[i * D + t] /= sqrt(nn);
    }
    for (int r = 0; r < M * K; ++r)
        for (int i = 0; i < D; ++i) {
            double v = 0.0;
            for (int t = 0; t < D; ++t)
                v += Rm[i * D + t] * s[r * D + t];
            rs[r * D + i] = v;
        }
    int y[M];
    for (int i = 0; i < M; ++i)
        y[i] = i % 2;
    gcent_ctx *ctx = sl_ctx(8, 0);
    for (size_t q = 1; q <= 2; ++q) {
        gcent_sliced_mi a = run_sl(ctx, s, M, K, D, D, y, 0.1, q, 400);
        gcent_sliced_mi b = run_sl(ctx, rs, M, K, D, D, y, 0.1, q, 400);
        double tol = 4.0 * hypot(a.ixt.se, b.ixt.se);
        ck_assert_msg(fabs(a.ixt.value - b.ixt.value) <= tol, "q = %zu: %.5f vs %.5f (tol %.3g)",
                      q, a.ixt.value, b.ixt.value, tol);
        ck_assert(fabs(a.iyt.value - b.iyt.value) <= 4.0 * hypot(a.iyt.se, b.iyt.se));
        ck_assert(a.ixt.value != b.ixt.value); /* other slices indeed */
        /* a stretch is detected */
        for (int r = 0; r < M * K; ++r)
            rs[r * D] *= 3.0;
        gcent_sliced_mi c = run_sl(ctx, rs, M, K, D, D, y, 0.1, q, 400);
        for (int r = 0; r < M * K; ++r)
            rs[r * D] /= 3.0;
        ck_assert_msg(fabs(c.ixt.value - b.ixt.value) > 4.0 * hypot(c.ixt.se, b.ixt.se),
                      "q = %zu: a stretch by 3 went unnoticed", q);
        /* translation */
        double *ts = malloc(M * K * D * sizeof *ts);
        ck_assert_ptr_nonnull(ts);
        for (int r = 0; r < M * K; ++r)
            for (int i = 0; i < D; ++i)
                ts[r * D + i] = s[r * D + i] + 3.0 * i - 7.25;
        gcent_sliced_mi t = run_sl(ctx, ts, M, K, D, D, y, 0.1, q, 400);
        ck_assert_double_eq_tol(t.ixt.value, a.ixt.value, 1e-9);
        ck_assert_double_eq_tol(t.iyt.value, a.iyt.value, 1e-9);
        free(ts);
    }
    gcent_ctx_free(ctx);
    free(s);
    free(rs);
}
END_TEST

/* Rows far apart: every slice separates them completely (q = d), so both
 * MIs are exactly ln m and H(Y), to rounding; the lattice cells then span
 * up to 4e12, so the radix sort takes three passes (q = 1) and the 2-D
 * rows meet gaps of every size. */
START_TEST(test_far_apart)
{
    const double pos[4] = {0.0, 7e4, -3e6, 1e12};
    const int y[4] = {0, 1, 1, 2};
    const double hy = -0.5 * log(0.5) - 2.0 * 0.25 * log(0.25);
    double s1[4], s2[8];
    for (int i = 0; i < 4; ++i) {
        s1[i] = pos[i];
        s2[2 * i] = pos[i];
        s2[2 * i + 1] = -0.5 * pos[3 - i];
    }
    gcent_ctx *ctx = sl_ctx(3, 0);
    gcent_sliced_mi r = run_sl(ctx, s1, 4, 1, 1, 1, y, 1.0, 1, 3);
    ck_assert_double_eq_tol(r.ixt.value, log(4.0), 1e-12);
    ck_assert_double_eq_tol(r.iyt.value, hy, 1e-12);
    r = run_sl(ctx, s2, 4, 1, 2, 2, y, 1.0, 2, 3);
    ck_assert_double_eq_tol(r.ixt.value, log(4.0), 1e-12);
    ck_assert_double_eq_tol(r.iyt.value, hy, 1e-12);
    gcent_ctx_free(ctx);
}
END_TEST

/* SI = 0 when the layer does not depend on X: every input has the same k
 * rows (k = 3), or every row is the same (k = 1): then every slice's
 * mixtures coincide and both MIs are 0 to rounding (1e-12). And k = 1
 * equals k = 2 with each row doubled (the conditional is exact in one case,
 * integrated in the other): equal to 1e-12. */
START_TEST(test_independent_and_k1)
{
    enum { M = 16, D = 4 };
    double base[3 * D], s[M * 3 * D];
    gcent_rng_normals(5, 5, 0, 3 * D, base);
    for (int i = 0; i < M; ++i)
        memcpy(s + i * 3 * D, base, sizeof base);
    int y[M];
    for (int i = 0; i < M; ++i)
        y[i] = i % 3;
    gcent_ctx *ctx = sl_ctx(2, 0);
    for (size_t q = 1; q <= 2; ++q) {
        gcent_sliced_mi r = run_sl(ctx, s, M, 3, D, D, y, 0.3, q, 40);
        ck_assert_msg(fabs(r.ixt.value) < 1e-12 && fabs(r.iyt.value) < 1e-12,
                      "q = %zu: SI %.3g %.3g, not 0", q, r.ixt.value, r.iyt.value);
        r = run_sl(ctx, s, M, 1, D, 3 * D, y, 0.3, q, 40); /* one row per input, all equal */
        ck_assert(fabs(r.ixt.value) < 1e-12 && fabs(r.iyt.value) < 1e-12);
        /* k = 1 against doubled rows */
        double *one = layer_rows(9, M, 1, D, 1.0, 0.0), dbl[M * 2 * D];
        for (int i = 0; i < M; ++i) {
            memcpy(dbl + (2 * i) * D, one + i * D, D * sizeof(double));
            memcpy(dbl + (2 * i + 1) * D, one + i * D, D * sizeof(double));
        }
        gcent_sliced_mi a = run_sl(ctx, one, M, 1, D, D, y, 0.1, q, 40);
        gcent_sliced_mi b = run_sl(ctx, dbl, M, 2, D, D, y, 0.1, q, 40);
        ck_assert_double_eq_tol(a.ixt.value, b.ixt.value, 1e-12);
        ck_assert_double_eq_tol(a.iyt.value, b.iyt.value, 1e-12);
        ck_assert(a.ixt.value > 0.5);
        free(one);
    }
    gcent_ctx_free(ctx);
}
END_TEST

/* Labels: NULL gives iyt = {NaN, NaN} and the same ixt bits; a single class
 * gives iyt = {0, 0} exactly; the log base divides every value and se. */
START_TEST(test_labels_and_base)
{
    enum { M = 20, K = 2, D = 3 };
    double *s = layer_rows(41, M, K, D, 1.0, 0.3);
    int y[M], one[M];
    for (int i = 0; i < M; ++i)
        y[i] = i % 5, one[i] = 9;
    gcent_ctx *ctx = sl_ctx(4, 0);
    for (size_t q = 1; q <= 2; ++q) {
        gcent_sliced_mi a = run_sl(ctx, s, M, K, D, D, y, 0.1, q, 30);
        gcent_sliced_mi n = run_sl(ctx, s, M, K, D, D, NULL, 0.1, q, 30);
        ck_assert(isnan(n.iyt.value) && isnan(n.iyt.se));
        ck_assert(memcmp(&a.ixt, &n.ixt, sizeof a.ixt) == 0);
        gcent_sliced_mi o = run_sl(ctx, s, M, K, D, D, one, 0.1, q, 30);
        ck_assert(o.iyt.value == 0.0 && o.iyt.se == 0.0);
        ck_assert(memcmp(&a.ixt, &o.ixt, sizeof a.ixt) == 0);
        ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_LOG_BASE, 2.0), GCENT_OK);
        gcent_sliced_mi b = run_sl(ctx, s, M, K, D, D, y, 0.1, q, 30);
        ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_LOG_BASE, 0.0), GCENT_OK);
        ck_assert_double_eq_tol(b.ixt.value * log(2.0), a.ixt.value, 1e-14);
        ck_assert_double_eq_tol(b.iyt.value * log(2.0), a.iyt.value, 1e-14);
        ck_assert_double_eq_tol(b.ixt.se * log(2.0), a.ixt.se, 1e-15);
    }
    gcent_ctx_free(ctx);
    free(s);
}
END_TEST

/* ---- determinism ---------------------------------------------------------------- */

/* Bit-identical for 1, 2, 3, 4 and 7 threads, q = 1 and 2; one slice (se =
 * +inf); another seed gives another value. */
START_TEST(test_threads_and_seed)
{
    enum { MMAX = 96, K = 4, D = 9 };
    const size_t M = GT_LIGHT(MMAX, 24);
    double *s = layer_rows(51, M, K, D, 1.0, 0.3);
    int y[MMAX];
    for (size_t i = 0; i < M; ++i)
        y[i] = (int)(i % 3);
    const double thr[] = {2, 3, 4, 7};
    for (size_t q = 1; q <= 2; ++q) {
        gcent_ctx *ctx = sl_ctx(6, 1);
        gcent_sliced_mi ref = run_sl(ctx, s, M, K, D, D, y, 0.1, q, 37);
        gcent_ctx_free(ctx);
        for (size_t t = 0; t < sizeof thr / sizeof thr[0]; ++t) {
            ctx = sl_ctx(6, thr[t]);
            gcent_sliced_mi r = run_sl(ctx, s, M, K, D, D, y, 0.1, q, 37);
            ck_assert_msg(memcmp(&r, &ref, sizeof r) == 0, "q = %zu, %g threads: %.17g vs %.17g",
                          q, thr[t], r.ixt.value, ref.ixt.value);
            gcent_ctx_free(ctx);
        }
        ctx = sl_ctx(7, 2);
        gcent_sliced_mi o = run_sl(ctx, s, M, K, D, D, y, 0.1, q, 37);
        ck_assert(o.ixt.value != ref.ixt.value && o.iyt.value != ref.iyt.value);
        o = run_sl(ctx, s, M, K, D, D, y, 0.1, q, 1);
        ck_assert(isinf(o.ixt.se) && o.ixt.se > 0.0);
        gcent_ctx_free(ctx);
    }
    free(s);
}
END_TEST

/* Several projection blocks: n = 2^15 rows make the block 128 slices, so 300
 * slices take three; 1 and 3 threads give the same bits. */
START_TEST(test_blocks)
{
    enum { BM = 1 << 13, BK = 4 };
    double *b = layer_rows(52, BM, BK, 2, 1.0, 0.5);
    int *by = malloc(BM * sizeof *by);
    ck_assert_ptr_nonnull(by);
    for (int i = 0; i < BM; ++i)
        by[i] = i % 2;
    const size_t slices = 300;
    gcent_ctx *c1 = sl_ctx(9, 1), *c2 = sl_ctx(9, 3);
    gcent_sliced_mi r1 = run_sl(c1, b, BM, BK, 2, 2, by, 0.1, 1, slices);
    gcent_sliced_mi r2 = run_sl(c2, b, BM, BK, 2, 2, by, 0.1, 1, slices);
    ck_assert(memcmp(&r1, &r2, sizeof r1) == 0);
    gcent_ctx_free(c1);
    gcent_ctx_free(c2);
    free(b);
    free(by);
}
END_TEST

/* The prepared computation: created once, executed on two sample sets, each
 * bit-identical to the one-shot call; the directions come from QR with R's
 * diagonal made positive (Q^T G upper triangular with a positive diagonal,
 * Q^T Q = I), checked on the linear-algebra wrapper directly. */
START_TEST(test_prepared)
{
    enum { M = 30, K = 3, D = 5 };
    double *s1 = layer_rows(61, M, K, D, 1.0, 0.3), *s2 = layer_rows(62, M, K, D, 2.0, 0.1);
    int y[M];
    for (int i = 0; i < M; ++i)
        y[i] = i % 4;
    gcent_ctx *ctx = sl_ctx(12, 0);
    gcent__pool *pool = NULL;
    ck_assert_int_eq(gcent__pool_create(&pool, 2), GCENT_OK);
    gcent__err e;
    gcent__err_begin(&e, "test");
    for (size_t q = 1; q <= 2; ++q) {
        gcent__sliced *P = NULL;
        ck_assert_int_eq(gcent__sliced_create(&ctx->o, pool, M, K, D, y, 0.1, q, 25, &e, &P),
                         GCENT_OK);
        gcent_sliced_mi a, b;
        gt_prog pr;
        gt_prog_init(&pr, 0);
        gcent__progress p;
        gcent__progress_init(&p, gt_on_progress, &pr, &e, gcent__sliced_units(P));
        ck_assert_int_eq(gcent__sliced_execute(P, pool, s1, D, &p, &e, &a), GCENT_OK);
        ck_assert(pr.finals == 1 && pr.first_total == 25);
        ck_assert_int_eq(gcent__sliced_execute(P, pool, s2, D, NULL, &e, &b), GCENT_OK);
        /* bad samples: a status, a reason in the sink, nothing written */
        gcent_sliced_mi c;
        memset(&c, 0x77, sizeof c);
        gcent_sliced_mi c0 = c;
        ck_assert_int_eq(gcent__sliced_execute(P, pool, NULL, D, NULL, &e, &c), GCENT_EINVAL);
        ck_assert(e.msg[0] != '\0' && memcmp(&c, &c0, sizeof c) == 0);
        gcent__err_begin(&e, "test");
        gcent__sliced_free(P);
        gcent_sliced_mi ra = run_sl(ctx, s1, M, K, D, D, y, 0.1, q, 25);
        gcent_sliced_mi rb = run_sl(ctx, s2, M, K, D, D, y, 0.1, q, 25);
        ck_assert(memcmp(&a, &ra, sizeof a) == 0 && memcmp(&b, &rb, sizeof b) == 0);
    }
    gcent__pool_free(pool);
    gcent_ctx_free(ctx);
    free(s1);
    free(s2);

    /* the orthonormal frames */
    enum { R = 9 };
    size_t lw = gcent__orthonormalize_work(R, 2);
    ck_assert(lw >= 4);
    double *work = malloc(lw * sizeof *work), g[2 * R], a[2 * R], tau[2];
    ck_assert_ptr_nonnull(work);
    for (uint64_t seed = 1; seed <= 20; ++seed) {
        gcent_rng_normals(seed, 4, 0, 2 * R, g);
        memcpy(a, g, sizeof g);
        ck_assert_int_eq(gcent__orthonormalize(R, 2, a, tau, work, lw), GCENT_OK);
        double qg[2][2], qq[2][2];
        for (int i = 0; i < 2; ++i)
            for (int j = 0; j < 2; ++j) {
                qg[i][j] = qq[i][j] = 0.0;
                for (int t = 0; t < R; ++t) {
                    qg[i][j] += a[i * R + t] * g[j * R + t];
                    qq[i][j] += a[i * R + t] * a[j * R + t];
                }
            }
        ck_assert(qg[0][0] > 0.0 && qg[1][1] > 0.0 && fabs(qg[1][0]) < 1e-12);
        ck_assert(fabs(qq[0][0] - 1.0) < 1e-14 && fabs(qq[1][1] - 1.0) < 1e-14 &&
                  fabs(qq[0][1]) < 1e-14);
    }
    free(work);
}
END_TEST

/* ---- errors, progress, environment ---------------------------------------------- */

typedef struct {
    const char *what;
    const double *s;
    size_t m, k, d, lds;
    double beta;
    size_t q, slices;
    int expect;
} bad_sl;

/* Every bad argument: its status, output untouched, a one-line reason, and
 * nothing printed; the context works afterwards. */
START_TEST(test_bad_inputs)
{
    static double good[8 * 3], nan_s[8 * 3], inf_s[8 * 3], far[8 * 3], huge[8 * 3];
    for (int i = 0; i < 24; ++i)
        good[i] = nan_s[i] = inf_s[i] = far[i] = huge[i] = 0.1 * (i % 7);
    nan_s[13] = NAN;
    inf_s[4] = -INFINITY;
    far[22] = 1e16;   /* 1e16 / 1e-1 noise units: beyond 2^48 */
    huge[5] = 1e301;  /* sqrt(d) |s| above 1e300 */
    const int y[4] = {1, 2, 1, 2};
    const bad_sl bad[] = {
        {"s NULL", NULL, 4, 2, 3, 3, 0.1, 1, 5, GCENT_EINVAL},
        {"m = 0", good, 0, 2, 3, 3, 0.1, 1, 5, GCENT_EINVAL},
        {"k = 0", good, 4, 0, 3, 3, 0.1, 1, 5, GCENT_EINVAL},
        {"d = 0", good, 4, 2, 0, 3, 0.1, 1, 5, GCENT_EINVAL},
        {"lds < d", good, 4, 2, 3, 2, 0.1, 1, 5, GCENT_EINVAL},
        {"beta = 0", good, 4, 2, 3, 3, 0.0, 1, 5, GCENT_EINVAL},
        {"beta < 0", good, 4, 2, 3, 3, -1.0, 1, 5, GCENT_EINVAL},
        {"beta NaN", good, 4, 2, 3, 3, NAN, 1, 5, GCENT_EDOM},
        {"beta Inf", good, 4, 2, 3, 3, INFINITY, 1, 5, GCENT_EDOM},
        {"q = 0", good, 4, 2, 3, 3, 0.1, 0, 5, GCENT_EINVAL},
        {"q = 3", good, 4, 2, 3, 3, 0.1, 3, 5, GCENT_EUNSUPPORTED},
        {"q > d", good, 4, 2, 1, 3, 0.1, 2, 5, GCENT_EINVAL},
        {"slices = 0", good, 4, 2, 3, 3, 0.1, 1, 0, GCENT_EINVAL},
        {"slices above the maximum", good, 4, 2, 3, 3, 0.1, 1,
         (size_t)GCENT_SLICED_MAX_SLICES + 1, GCENT_ERANGE},
        {"NaN in s", nan_s, 4, 2, 3, 3, 0.1, 1, 5, GCENT_EDOM},
        {"-Inf in s", inf_s, 4, 2, 3, 3, 0.1, 2, 5, GCENT_EDOM},
        {"m * k overflows", good, SIZE_MAX / 2, 3, 3, 3, 0.1, 1, 5, GCENT_ERANGE},
        {"rows beyond the BLAS integer", good, (size_t)1 << 20, (size_t)1 << 12, 3, 3, 0.1, 1,
         5, GCENT_ERANGE},
        {"rows of stride lds overflow", good, 2, 2, 3, SIZE_MAX / 2, 0.1, 1, 5, GCENT_ERANGE},
        {"beta too small for the spread", far, 4, 2, 3, 3, 0.1, 1, 5, GCENT_ERANGE},
        {"values too large to project", huge, 4, 2, 3, 3, 0.1, 1, 5, GCENT_ERANGE},
    };
    gcent_ctx *ctx = sl_ctx(1, 0);
    gt_capture cap;
    gt_capture_begin(&cap, "/tmp/gcent-test-sliced-XXXXXX");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i)
        for (int lab = 0; lab < 2; ++lab) {
            const bad_sl *b = &bad[i];
            gcent_sliced_mi out, sentinel;
            memset(&out, 0x5A, sizeof out);
            memcpy(&sentinel, &out, sizeof out);
            int st = gcent_sliced_mi_layer(ctx, b->s, b->m, b->k, b->d, b->lds,
                                           lab ? y : NULL, b->beta, b->q, b->slices, &out);
            ck_assert_msg(st == b->expect, "%s: status %d (%s), expected %d", b->what, st,
                          gcent_ctx_errmsg(ctx), b->expect);
            ck_assert_msg(memcmp(&out, &sentinel, sizeof out) == 0, "%s: output written",
                          b->what);
            ck_assert_msg(gt_one_line(ctx), "%s: errmsg \"%s\"", b->what,
                          gcent_ctx_errmsg(ctx));
        }
    ck_assert_int_eq(gcent_sliced_mi_layer(NULL, good, 4, 2, 3, 3, y, 0.1, 1, 5, NULL),
                     GCENT_EINVAL);
    ck_assert_int_eq(gcent_sliced_mi_layer(ctx, good, 4, 2, 3, 3, y, 0.1, 1, 5, NULL),
                     GCENT_EINVAL);
    ck_assert(gt_one_line(ctx));
    long long printed = gt_capture_end(&cap);
    ck_assert_msg(printed == 0, "the library printed %lld bytes", printed);
    run_sl(ctx, good, 4, 2, 3, 3, y, 0.1, 2, 5); /* still works, errmsg cleared */
    gcent_ctx_free(ctx);
}
END_TEST

/* Progress counts slices: with one thread one report per slice (64), with
 * two monotone, fixed total = slices, one final report, all from the
 * calling thread (how many depends on the scheduling); cancelling at the
 * first report returns GCENT_ECANCELED with the output untouched. */
START_TEST(test_progress_cancel)
{
    enum { M = 20, K = 2, D = 3 };
    double *s = layer_rows(71, M, K, D, 1.0, 0.3);
    gt_prog p;
    for (int threads = 1; threads <= 2; ++threads) {
        gcent_ctx *c = sl_ctx(1, threads);
        gt_prog_init(&p, 0);
        ck_assert_int_eq(gcent_ctx_set_progress(c, gt_on_progress, &p), GCENT_OK);
        run_sl(c, s, M, K, D, D, NULL, 0.1, 1, 64);
        ck_assert(p.monotone && p.fixed_total && p.right_thread);
        ck_assert(p.first_total == 64 && p.finals == 1 && p.last_is_final);
        ck_assert(threads > 1 || p.calls == 64);
        gcent_ctx_free(c);
    }
    gcent_ctx *ctx = sl_ctx(1, 2);
    gt_prog_init(&p, 1);
    ck_assert_int_eq(gcent_ctx_set_progress(ctx, gt_on_progress, &p), GCENT_OK);
    gcent_sliced_mi out, sentinel;
    memset(&out, 0x33, sizeof out);
    memcpy(&sentinel, &out, sizeof out);
    ck_assert_int_eq(gcent_sliced_mi_layer(ctx, s, M, K, D, D, NULL, 0.1, 2, 64, &out),
                     GCENT_ECANCELED);
    ck_assert(memcmp(&out, &sentinel, sizeof out) == 0 && gt_one_line(ctx));
    ck_assert_int_eq(p.after_cancel, 0);
    gcent_ctx_free(ctx);
    free(s);
}
END_TEST

/* A successful call raises no invalid, division-by-zero or overflow flag
 * (one thread: all the work runs in the caller), for spread and for
 * coinciding rows (G = 0 on most of the lattice). */
START_TEST(test_fp_flags)
{
    enum { M = 12, K = 3, D = 4 };
    double *s = layer_rows(81, M, K, D, 2.0, 0.2), same[M * K * D];
    for (int i = 0; i < M * K * D; ++i)
        same[i] = 0.25;
    gcent_ctx *ctx = sl_ctx(1, 1);
    for (size_t q = 1; q <= 2; ++q) {
        feclearexcept(FE_ALL_EXCEPT);
        run_sl(ctx, s, M, K, D, D, NULL, 0.05, q, 10);
        run_sl(ctx, same, M, K, D, D, NULL, 0.05, q, 10);
        int flags = fetestexcept(FE_INVALID | FE_DIVBYZERO | FE_OVERFLOW);
        ck_assert_msg(flags == 0, "q = %zu: flags %#x raised", q, (unsigned)flags);
    }
    gcent_ctx_free(ctx);
    free(s);
}
END_TEST

Suite *suite_sliced(void)
{
    Suite *s = suite_create("sliced");
    TCase *lat = gt_tcase(s, "lattice", 120);
    tcase_add_test(lat, test_lattice_islands);
    tcase_add_test(lat, test_far_apart);
    TCase *ex = gt_tcase(s, "exact", 120);
    tcase_add_test(ex, test_q_equals_d);
    tcase_add_test(ex, test_independent_and_k1);
    tcase_add_test(ex, test_labels_and_base);
    TCase *det = gt_tcase(s, "determinism", 120);
    tcase_add_test(det, test_threads_and_seed);
    tcase_add_test(det, test_prepared);
    TCase *bad = gt_tcase(s, "errors", 60);
    tcase_add_test(bad, test_bad_inputs);
    tcase_add_test(bad, test_progress_cancel);
    tcase_add_test(bad, test_fp_flags);
    /* long by design (see tests/tests.h): searches and statistics over many
     * geometries and slices (the lattice bound, the two-centre law and the
     * se, data processing, rotations), 2^15 rows for several projection
     * blocks; they run in make check and make check-asan */
    TCase *acc = gt_tcase(s, "accuracy", 240);
    tcase_set_tags(acc, "long");
    tcase_add_test(acc, test_lattice_bound);
    tcase_add_test(acc, test_two_centres);
    tcase_add_test(acc, test_se_over_seeds);
    tcase_add_test(acc, test_data_processing_and_bounds);
    tcase_add_test(acc, test_rotation_translation);
    tcase_add_test(acc, test_blocks);
    return s;
}
