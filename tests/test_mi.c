/* gcent_mi_layer (gcent/mi.h): the information-plane point of a noisy layer.
 *
 * Reference values come from quadrature written here, independent of the
 * library: a composite trapezoid rule for 1-D mixtures (and nested for the
 * two-layer chain), each checked by halving its step. Monte Carlo results are
 * compared within a multiple of the reported standard error; sample-
 * propagation (SP) results with k > 1 draws per input within the sampling
 * spread measured over replicates plus the second-order bias worked out
 * below. Every tolerance says where it comes from. */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "tests.h"
#include "gcent/mi.h"

#define PI 3.14159265358979323846
#define LN2 0.69314718055994530942

/* ---- helpers ------------------------------------------------------------------ */

static gcent_layer_mi run_mi(gcent_ctx *ctx, const double *s, size_t m, size_t k, size_t d,
                             size_t lds, const int *labels, double beta)
{
    gcent_layer_mi r;
    memset(&r, 0, sizeof r);
    r.ht.value = r.ixt.value = r.iyt.value = NAN;
    int st = gcent_mi_layer(ctx, s, m, k, d, lds, labels, beta, &r);
    ck_assert_msg(st == GCENT_OK, "gcent_mi_layer(m=%zu, k=%zu, d=%zu) = %d: %s", m, k, d, st,
                  gcent_ctx_errmsg(ctx));
    ck_assert_str_eq(gcent_ctx_errmsg(ctx), "");
    ck_assert(isfinite(r.ht.value) && isfinite(r.ixt.value));
    ck_assert(r.ht.se >= 0.0 && r.ixt.se >= 0.0);
    if (labels != NULL) {
        ck_assert(isfinite(r.iyt.value) && r.iyt.se >= 0.0);
    } else { /* not computed: NaN, never a value that looks like a result */
        ck_assert(isnan(r.iyt.value) && isnan(r.iyt.se));
    }
    return r;
}

static gcent_estimate run_h(gcent_ctx *ctx, const double *s, size_t n, size_t d, size_t lds,
                            double beta)
{
    gcent_estimate e = {NAN, NAN};
    int st = gcent_entropy(ctx, s, n, d, lds, NULL, beta, &e);
    ck_assert_msg(st == GCENT_OK, "gcent_entropy = %d: %s", st, gcent_ctx_errmsg(ctx));
    return e;
}

/* 1 if no input before i has label y[i] (the class is handled at i) */
static int first_of_class(const int *y, size_t i)
{
    int first = 1;
    for (size_t j = 0; j < i; ++j)
        first &= y[j] != y[i];
    return first;
}

/* entropy (nats) of the label frequencies */
static double label_entropy(const int *y, size_t m)
{
    double h = 0.0;
    for (size_t i = 0; i < m; ++i) {
        if (!first_of_class(y, i))
            continue;
        size_t c = 0;
        for (size_t j = 0; j < m; ++j)
            c += y[j] == y[i];
        double p = (double)c / (double)m;
        h -= p * log(p);
    }
    return h;
}

/* ---- 1-D reference: -int g log g of g = (1/n) sum_j N(c_j, beta^2) ------------- */

static double ref_logg(double t, const double *c, size_t n, double beta)
{
    double mx = -INFINITY;
    for (size_t j = 0; j < n; ++j) {
        double a = -(t - c[j]) * (t - c[j]) / (2.0 * beta * beta);
        mx = a > mx ? a : mx;
    }
    double sum = 0.0;
    for (size_t j = 0; j < n; ++j)
        sum += exp(-(t - c[j]) * (t - c[j]) / (2.0 * beta * beta) - mx);
    return mx + log(sum / (double)n) - 0.5 * log(2.0 * PI * beta * beta);
}

/* Trapezoid rule with step beta/div on [min c - 20 beta, max c + 20 beta]
 * (beyond, g < e^-200 / beta). The integrand is smooth with Gaussian tails, so
 * the rule converges faster than any power of the step. */
static double ref_h_step(const double *c, size_t n, double beta, int div)
{
    double lo = c[0], hi = c[0];
    for (size_t j = 1; j < n; ++j) {
        lo = fmin(lo, c[j]);
        hi = fmax(hi, c[j]);
    }
    lo -= 20.0 * beta;
    hi += 20.0 * beta;
    size_t npts = (size_t)ceil((hi - lo) / (beta / div));
    double h = (hi - lo) / (double)npts, sum = 0.0;
    for (size_t i = 0; i <= npts; ++i) {
        double lg = ref_logg(lo + (double)i * h, c, n, beta);
        double f = lg < -700.0 ? 0.0 : -exp(lg) * lg;
        sum += (i == 0 || i == npts) ? 0.5 * f : f;
    }
    return sum * h;
}

/* Checked by halving the step: the two agree to rounding (~1e-14). (Not
 * gt_ref_h1 of tests/util.c: the uniform weight is applied after the sum and
 * the steps are beta/8 and beta/16, so its values differ in the last bits.) */
static double ref_h(const double *c, size_t n, double beta)
{
    double a = ref_h_step(c, n, beta, 8), b = ref_h_step(c, n, beta, 16);
    ck_assert_msg(fabs(a - b) <= 1e-12, "reference quadrature not converged: %.3g", fabs(a - b));
    return b;
}

/* SP reference for 1-D rows with k rows per input: the MI of the mixture
 * model, h(all rows) - mean_i h(rows of i) and h(all) - sum_y p_y h(class). */
typedef struct { double ht, ixt, iyt; } mi_ref;

static mi_ref sp_ref(const double *s, size_t m, size_t k, const int *y, double beta)
{
    mi_ref r;
    size_t n = m * k;
    double *buf = malloc(n * sizeof *buf);
    ck_assert_ptr_nonnull(buf);
    r.ht = ref_h(s, n, beta);
    double hx = 0.0;
    for (size_t i = 0; i < m; ++i)
        hx += ref_h(s + i * k, k, beta) / (double)m;
    r.ixt = r.ht - hx;
    double hy = 0.0;
    for (size_t i = 0; i < m; ++i) {
        if (!first_of_class(y, i))
            continue;
        size_t cnt = 0;
        for (size_t j = 0; j < m; ++j)
            if (y[j] == y[i]) {
                memcpy(buf + cnt, s + j * k, k * sizeof *buf);
                cnt += k;
            }
        hy += (double)cnt / (double)n * ref_h(buf, cnt, beta);
    }
    r.iyt = r.ht - hy;
    free(buf);
    return r;
}

/* ---- the single neuron of the paper -------------------------------------------- */

/* X uniform on {-3,-1,1,3}, Y = 1 iff X = 3, S = tanh(wX + b), k = 1. */
static const double nx[4] = {-3.0, -1.0, 1.0, 3.0};
static const int ny[4] = {0, 0, 0, 1};

static void neuron_s(double w, double b, double s[4])
{
    for (int i = 0; i < 4; ++i)
        s[i] = tanh(w * nx[i] + b);
}

static mi_ref neuron_ref(double w, double b, double beta)
{
    double s[4];
    neuron_s(w, b, s);
    return sp_ref(s, 4, 1, ny, beta);
}

#define H14 0.562335144618808 /* H(1/4, 3/4) */

/* The in-test reference reproduces the values at beta = 0.1,
 * (w, b) = (1, 0): the reference is converged to ~1e-14 (halving check) and
 * the constants are printed to 15 significant digits, so 1e-12. Also
 * H(1/4,3/4) against its closed form. */
START_TEST(test_reference_self)
{
    mi_ref r = neuron_ref(1.0, 0.0, 0.1);
    ck_assert_double_eq_tol(r.ixt, 1.10205653527365, 1e-12);
    ck_assert_double_eq_tol(r.iyt, 0.420216231695696, 1e-12);
    ck_assert_double_eq_tol(H14, -0.25 * log(0.25) - 0.75 * log(0.75), 1e-15);
    /* one centre: h(Z) exactly; far-apart centres: + ln n */
    const double c1 = 0.3, c3[3] = {-40.0, 0.0, 50.0};
    ck_assert_double_eq_tol(ref_h(&c1, 1, 0.7), gt_hz(1, 0.7), 1e-12);
    ck_assert_double_eq_tol(ref_h(c3, 3, 0.5), gt_hz(1, 0.5) + log(3.0), 1e-12);
}
END_TEST

/* QUADRATURE and AUTO (which must choose quadrature for this tiny d = 1
 * problem) at beta = 0.1:
 * - (1, 0): the values to 1e-9 (the library targets 1e-11; 1e-9 is
 *   the requirement), and ht = reference h(T) to 1e-9.
 * - (5, 0): I(X;T) -> ln 2. Exact value from the reference to 1e-9. How close
 *   to ln 2 it must be, from the maths: T determines sign(S) except with
 *   probability P(|Z| > 0.9999) = 2 Phi(-9.999) ~ 1.5e-23, so
 *   I(sign;T) >= ln 2 - H_b(1.5e-23) > ln 2 - 1e-21 (Fano), and given the
 *   sign, S takes two values Delta = tanh(15) - tanh(5) = 1.8e-4 apart:
 *   I(X;T | sign) <= (1/2) ln(1 + Var(S | sign) / beta^2)
 *   <= Delta^2 / (8 beta^2) = 4.1e-7 (Gaussian-channel capacity bound). So
 *   |I(X;T) - ln 2| <= Delta^2 / (8 beta^2) + 1e-21.
 * - b = -2w: to the reference (1e-9) for w = 0.5 .. 10, and the limit
 *   H(1/4,3/4): at w = 10 the three lower centres are within 1 - tanh(10) =
 *   4e-9 of -1 (capacity bound: < 1e-15 nats) and 2 = 20 beta from the top
 *   one (Fano: H(Y|T) < 1e-20), so both MIs are H(1/4,3/4) to 1e-15: within
 *   the 1e-9 accuracy of the quadrature. The gap shrinks with w.
 * - Data processing: I(Y;T) <= I(X;T) (both within 1e-9). */
START_TEST(test_single_neuron_quadrature)
{
    const double beta = 0.1;
    for (int meth = 0; meth < 2; ++meth) {
        gcent_ctx *ctx = gt_ctx(meth == 0 ? GCENT_METHOD_QUADRATURE : GCENT_METHOD_AUTO, 0, 1);
        double s[4];
        neuron_s(1.0, 0.0, s);
        gcent_layer_mi r = run_mi(ctx, s, 4, 1, 1, 1, ny, beta);
        mi_ref ref = neuron_ref(1.0, 0.0, beta);
        ck_assert_msg(fabs(r.ixt.value - 1.10205653527365) <= 1e-9, "method %d: I(X;T) %.15f",
                      meth, r.ixt.value);
        ck_assert_msg(fabs(r.iyt.value - 0.420216231695696) <= 1e-9,
                      "method %d: I(Y;T) %.15f", meth, r.iyt.value);
        ck_assert_double_eq_tol(r.ht.value, ref.ht, 1e-9);
        ck_assert(r.ixt.se <= 1e-9 && r.iyt.se <= 1e-9 && r.ht.se <= 1e-9);

        neuron_s(5.0, 0.0, s);
        r = run_mi(ctx, s, 4, 1, 1, 1, ny, beta);
        ref = neuron_ref(5.0, 0.0, beta);
        double delta = tanh(15.0) - tanh(5.0);
        ck_assert_msg(fabs(ref.ixt - log(2.0)) <= delta * delta / (8 * beta * beta) + 1e-12,
                      "reference at (5,0): %.15f vs ln 2", ref.ixt);
        ck_assert_msg(fabs(r.ixt.value - ref.ixt) <= 1e-9, "(5,0): %.15f vs %.15f",
                      r.ixt.value, ref.ixt);
        ck_assert(fabs(r.ixt.value - log(2.0)) <= delta * delta / (8 * beta * beta) + 1e-9);

        const double ws[] = {0.5, 1.0, 2.0, 4.0, 10.0};
        double gap_prev = INFINITY;
        for (size_t t = 0; t < 5; ++t) {
            neuron_s(ws[t], -2.0 * ws[t], s);
            r = run_mi(ctx, s, 4, 1, 1, 1, ny, beta);
            ref = neuron_ref(ws[t], -2.0 * ws[t], beta);
            ck_assert_msg(fabs(r.ixt.value - ref.ixt) <= 1e-9 &&
                              fabs(r.iyt.value - ref.iyt) <= 1e-9,
                          "w=%g b=-2w: I(X;T) %.15f ref %.15f, I(Y;T) %.15f ref %.15f", ws[t],
                          r.ixt.value, ref.ixt, r.iyt.value, ref.iyt);
            ck_assert(r.iyt.value <= r.ixt.value + 2e-9);
            double gap = fmax(fabs(r.ixt.value - H14), fabs(r.iyt.value - H14));
            ck_assert_msg(gap <= gap_prev, "w=%g: gap to H(1/4,3/4) grew to %.3g", ws[t], gap);
            gap_prev = gap;
        }
        ck_assert_msg(gap_prev <= 1e-9, "w=10: gap to H(1/4,3/4) %.3g", gap_prev);
        gcent_ctx_free(ctx);
    }
}
END_TEST

/* METHOD_MC on the same neuron (k = 1: the MC step is unbiased for these
 * exact MIs), 20000 draws per row: |MC - exact| <= 4 se for ht, ixt and iyt
 * at (1,0), (5,0) and (2,-4). With k = 1, R^X = 1 (the self term alone), so
 * the se of I(X;T) is that of h(T), > 0. At (2,-4) the two classes are
 * 19 beta apart: R^T / R^Y = 1 + O(e^-180), every summand of I(Y;T) is 0 and
 * its se may be exactly 0; hence the extra 1e-12 (rounding of a value that
 * is then exact). */
START_TEST(test_single_neuron_mc)
{
    const double beta = 0.1, wb[3][2] = {{1.0, 0.0}, {5.0, 0.0}, {2.0, -4.0}};
    gcent_ctx *ctx = gt_ctx(GCENT_METHOD_MC, 20000, 2024);
    for (int t = 0; t < 3; ++t) {
        double s[4];
        neuron_s(wb[t][0], wb[t][1], s);
        gcent_layer_mi r = run_mi(ctx, s, 4, 1, 1, 1, ny, beta);
        mi_ref ref = neuron_ref(wb[t][0], wb[t][1], beta);
        ck_assert(r.ixt.se > 0.0 && r.ht.se > 0.0);
        ck_assert_msg(fabs(r.ixt.value - ref.ixt) <= 4.0 * r.ixt.se,
                      "(%g,%g): I(X;T) %.6f ref %.6f se %.2g", wb[t][0], wb[t][1], r.ixt.value,
                      ref.ixt, r.ixt.se);
        ck_assert_msg(fabs(r.iyt.value - ref.iyt) <= 4.0 * r.iyt.se + 1e-12,
                      "(%g,%g): I(Y;T) %.6f ref %.6f se %.2g", wb[t][0], wb[t][1], r.iyt.value,
                      ref.iyt, r.iyt.se);
        ck_assert_msg(fabs(r.ht.value - ref.ht) <= 4.0 * r.ht.se,
                      "(%g,%g): h(T) %.6f ref %.6f se %.2g", wb[t][0], wb[t][1], r.ht.value,
                      ref.ht, r.ht.se);
    }
    gcent_ctx_free(ctx);
}
END_TEST

/* ---- the two-layer chain -------------------------------------------------------- */

/* X uniform on {-3,-1,1,3}, Y = 1 iff X = 3,
 *   T1 = tanh(w1 X + b1) + Z1,  T2 = tanh(w2 T1 + b2) + Z2,
 * Z1 ~ N(0, beta1^2), Z2 ~ N(0, beta2^2). The law of T2 given x is
 *   p(t2 | x) = int phi_b2(t2 - tanh(w2 t1 + b2)) phi_b1(t1 - tanh(w1 x + b1)) dt1,
 * computed by nested trapezoid rules (inner step min(beta1, beta2)/div over
 * mu +- 12 beta1, outer step beta2/div over [-1 - 14 beta2, 1 + 14 beta2]:
 * beyond, the integrands are below e^-72 relative). Also computed: the
 * second-order bias of the SP estimate with k draws per input. For a mixture
 * g_n(t) = (1/n) sum phi(t - S_j) of n draws, E h(g_n) - h(p) ~
 * -(1/2) int Var g_n(t) / p(t) dt (expansion of -E g log g to second order),
 * and Var g_n = (1/n) (E phi^2 - p^2) per stratum. Hence with
 * q(t|x) = E[phi_b2(t - S2)^2 | x]:
 *   B_x = (1/2k) int (q_x - p_x^2)/p_x,        (conditional on x)
 *   B_y = (1/(2 k m_y)) int mean_{x in y}(q_x - p_x^2) / p_y,
 *   B_T = (1/(2 k m)) int mean_x (q_x - p_x^2) / p,
 * and I(X;T2) is biased by b_X = mean_x B_x - B_T, I(Y;T2) by
 * b_Y = sum_y p_y B_y - B_T. */
typedef struct {
    double w1, b1, beta1, w2, b2, beta2;
} chain;

typedef struct {
    double ht, ixt, iyt;        /* exact, nats */
    double bias_t, bias_x, bias_y; /* predicted SP bias of each with k draws */
} chain_ref;

static chain_ref chain_ref_step(const chain *c, size_t k, int div)
{
    enum { M = 4 };
    double mu[M];
    for (int i = 0; i < M; ++i)
        mu[i] = tanh(c->w1 * nx[i] + c->b1);
    const double lo1 = mu[0] - 12.0 * c->beta1, hi1 = mu[M - 1] + 12.0 * c->beta1;
    const size_t n1 = (size_t)ceil((hi1 - lo1) / (fmin(c->beta1, c->beta2) / div));
    const double h1 = (hi1 - lo1) / (double)n1;
    const double lo2 = -1.0 - 14.0 * c->beta2, hi2 = 1.0 + 14.0 * c->beta2;
    const size_t n2 = (size_t)ceil((hi2 - lo2) / (c->beta2 / div));
    const double h2 = (hi2 - lo2) / (double)n2;
    double *f = malloc((n1 + 1) * sizeof *f), *g = malloc(M * (n1 + 1) * sizeof *g);
    ck_assert(f != NULL && g != NULL);
    for (size_t a = 0; a <= n1; ++a) {
        double t1 = lo1 + (double)a * h1, wa = (a == 0 || a == n1) ? 0.5 * h1 : h1;
        f[a] = tanh(c->w2 * t1 + c->b2);
        for (int i = 0; i < M; ++i) {
            double u = (t1 - mu[i]) / c->beta1;
            g[i * (n1 + 1) + a] = wa * exp(-0.5 * u * u) / (sqrt(2.0 * PI) * c->beta1);
        }
    }
    double hx[M] = {0}, hT = 0.0, hY0 = 0.0, hY1 = 0.0;
    double bx[M] = {0}, bT = 0.0, bY0 = 0.0, bY1 = 0.0;
    for (size_t b = 0; b <= n2; ++b) {
        double t2 = lo2 + (double)b * h2, wb = (b == 0 || b == n2) ? 0.5 * h2 : h2;
        double p[M] = {0}, q[M] = {0};
        for (size_t a = 0; a <= n1; ++a) {
            double u = (t2 - f[a]) / c->beta2;
            double ph = exp(-0.5 * u * u) / (sqrt(2.0 * PI) * c->beta2);
            for (int i = 0; i < M; ++i) {
                p[i] += g[i * (n1 + 1) + a] * ph;
                q[i] += g[i * (n1 + 1) + a] * ph * ph;
            }
        }
        double pt = 0.0, vt = 0.0, py0 = 0.0, vy0 = 0.0;
        for (int i = 0; i < M; ++i) {
            if (p[i] > 1e-300) {
                hx[i] -= wb * p[i] * log(p[i]);
                bx[i] += wb * (q[i] - p[i] * p[i]) / p[i];
            }
            pt += p[i] / M;
            vt += (q[i] - p[i] * p[i]) / M;
            if (ny[i] == 0) {
                py0 += p[i] / 3.0;
                vy0 += (q[i] - p[i] * p[i]) / 3.0;
            }
        }
        if (pt > 1e-300) {
            hT -= wb * pt * log(pt);
            bT += wb * vt / pt;
        }
        if (py0 > 1e-300) {
            hY0 -= wb * py0 * log(py0);
            bY0 += wb * vy0 / py0;
        }
    }
    hY1 = hx[3]; /* class 1 is input 3 alone */
    bY1 = bx[3];
    free(f);
    free(g);
    chain_ref r;
    double mean_hx = 0.0, mean_bx = 0.0;
    for (int i = 0; i < M; ++i) {
        mean_hx += hx[i] / M;
        mean_bx += bx[i] / (2.0 * (double)k) / M;
    }
    r.ht = hT;
    r.ixt = hT - mean_hx;
    r.iyt = hT - (0.75 * hY0 + 0.25 * hY1);
    double BT = bT / (2.0 * (double)k * M);
    r.bias_t = -BT;
    r.bias_x = mean_bx - BT;
    r.bias_y = 0.75 * bY0 / (2.0 * (double)k * 3) + 0.25 * bY1 / (2.0 * (double)k) - BT;
    return r;
}

/* Converged when halving the step changes the MIs by < 1e-9 (they are used
 * against tolerances of order 1e-3). */
static chain_ref chain_reference(const chain *c, size_t k)
{
    chain_ref a = chain_ref_step(c, k, 6), b = chain_ref_step(c, k, 12);
    ck_assert_msg(fabs(a.ixt - b.ixt) <= 1e-9 && fabs(a.iyt - b.iyt) <= 1e-9 &&
                      fabs(a.ht - b.ht) <= 1e-9,
                  "chain reference not converged: %.3g %.3g", a.ixt - b.ixt, a.iyt - b.iyt);
    return b;
}

/* The caller's job for layer 2: k noisy passes through layer 1 per input
 * (noise Z1 from stream i of gcent_rng_normals, index j = pass), then
 * S2 = tanh(w2 T1 + b2) before the layer's own noise. */
static void chain_samples(const chain *c, size_t k, uint64_t seed, double *s)
{
    for (size_t i = 0; i < 4; ++i) {
        gcent_rng_normals(seed, i, 0, k, s + i * k);
        double mu = tanh(c->w1 * nx[i] + c->b1);
        for (size_t j = 0; j < k; ++j)
            s[i * k + j] = tanh(c->w2 * (mu + c->beta1 * s[i * k + j]) + c->b2);
    }
}

/* SP estimate of layer 2 with k = 1000 draws per input (GCENT_TEST_LIGHT:
 * 250; the bias b and the spread follow k), against the exact
 * I(X;T2), I(Y;T2) and h(T2) of the chain. R = 8 replicates with independent
 * layer-1 noise (seeds 1..8), each by AUTO (quadrature here: the SP value
 * to ~1e-11, so the spread is the sampling spread of the k draws alone).
 * Tolerance: |mean - (exact + b)| <= 4 sd / sqrt(R) + |b|, with b the
 * predicted second-order bias: the true bias is allowed anywhere in [0, 2b]
 * (as for the Gaussian test of part 1), and 4 sd / sqrt(R) is a 4-sigma
 * band for the replicate mean (P(|t_7| > 4) = 0.5%: with the bias slack, a
 * false alarm is rarer still). For h(T2), b = -B_T. Then one METHOD_MC call
 * (8 draws) on replicate 1: its error adds the MC se to the sampling sd of
 * one replicate: |MC - (exact + b)| <= 4 sqrt(se^2 + sd^2) + |b|.
 * Two settings: a strongly noisy first layer (beta1 = 0.3) feeding a
 * moderately steep second one, and a steep first layer with a biased
 * second. The chain is made so that the deep-layer conditional matters:
 * mean_x h(T2 | x) - h(Z2) is 0.75 and 0.29 nats, so an estimator that
 * ignored the grouping of the k rows would be off by far more than the
 * tolerance (0.001-0.01). */
START_TEST(test_two_layer_chain)
{
    enum { KMAX = 1000, R = 8 };
    const size_t K = GT_LIGHT(KMAX, 250); /* GCENT_TEST_LIGHT: 250 draws per input */
    const chain cases[2] = {{0.5, 0.0, 0.3, 1.0, 0.0, 0.1}, {2.0, -1.0, 0.2, 1.5, 0.5, 0.1}};
    double *s = malloc(4 * K * sizeof *s);
    ck_assert_ptr_nonnull(s);
    for (int cs = 0; cs < 2; ++cs) {
        const chain *c = &cases[cs];
        chain_ref ref = chain_reference(c, K);
        double sum[3] = {0}, sum2[3] = {0};
        gcent_ctx *ctx = gt_ctx(GCENT_METHOD_AUTO, 0, 1);
        for (int r = 0; r < R; ++r) {
            chain_samples(c, K, 1u + (uint64_t)r, s);
            gcent_layer_mi e = run_mi(ctx, s, 4, K, 1, 1, ny, c->beta2);
            double v[3] = {e.ht.value, e.ixt.value, e.iyt.value};
            for (int t = 0; t < 3; ++t) {
                sum[t] += v[t];
                sum2[t] += v[t] * v[t];
            }
            ck_assert(e.ixt.se < 1e-8); /* quadrature was used */
        }
        gcent_ctx_free(ctx);
        const double exact[3] = {ref.ht, ref.ixt, ref.iyt};
        const double bias[3] = {ref.bias_t, ref.bias_x, ref.bias_y};
        const char *name[3] = {"h(T2)", "I(X;T2)", "I(Y;T2)"};
        double sd[3];
        for (int t = 0; t < 3; ++t) {
            double mean = sum[t] / R;
            sd[t] = sqrt(fmax(0.0, (sum2[t] - R * mean * mean) / (R - 1)));
            double tol = 4.0 * sd[t] / sqrt((double)R) + fabs(bias[t]);
            ck_assert_msg(fabs(mean - (exact[t] + bias[t])) <= tol,
                          "case %d %s: mean of %d = %.6f, exact %.6f, bias %.2g, sd %.2g, "
                          "tol %.3g",
                          cs, name[t], R, mean, exact[t], bias[t], sd[t], tol);
            ck_assert_msg(sd[t] > 0.0, "case %d %s: no spread over replicates", cs, name[t]);
        }
        /* one Monte Carlo call on replicate 1's samples */
        ctx = gt_ctx(GCENT_METHOD_MC, 8, 77);
        chain_samples(c, K, 1u, s);
        gcent_layer_mi e = run_mi(ctx, s, 4, K, 1, 1, ny, c->beta2);
        gcent_ctx_free(ctx);
        const gcent_estimate *est[3] = {&e.ht, &e.ixt, &e.iyt};
        for (int t = 0; t < 3; ++t) {
            double tol = 4.0 * hypot(est[t]->se, sd[t]) + fabs(bias[t]);
            ck_assert_msg(est[t]->se > 0.0, "case %d MC %s: se = 0", cs, name[t]);
            ck_assert_msg(fabs(est[t]->value - (exact[t] + bias[t])) <= tol,
                          "case %d MC %s: %.6f, exact %.6f, bias %.2g, se %.2g, sd %.2g", cs,
                          name[t], est[t]->value, exact[t], bias[t], est[t]->se, sd[t]);
        }
    }
    free(s);
}
END_TEST

/* ---- identities and exact cases ------------------------------------------------ */

/* T independent of X, exactly: every input has the same k rows, so the
 * mixture of all m k rows is the mixture of any input's rows and every
 * class's rows: I(X;T) = I(Y;T) = 0. For MC, R^T = m R^X and R^Y = m_y R^X
 * hold term by term, so each summand of I(X;T) is ln m (of I(Y;T),
 * ln(1/p_y)) up to rounding: |value| <= 1e-12 and se <= 1e-12 (d = 1 and 3).
 * Quadrature: each entropy accurate to ~1e-11, so |value| <= 1e-9. */
START_TEST(test_independent_exact)
{
    enum { M = 6, K = 5 };
    const int y[M] = {0, 1, 0, 1, 2, 2};
    double a[K * 3], s[M * K * 3];
    gcent_rng_normals(11u, 3u, 0u, K * 3, a);
    for (size_t d = 1; d <= 3; d += 2) {
        for (size_t i = 0; i < M; ++i)
            memcpy(s + i * K * d, a, K * d * sizeof *s);
        gcent_ctx *mc = gt_ctx(GCENT_METHOD_MC, 8, 5);
        gcent_layer_mi r = run_mi(mc, s, M, K, d, d, y, 0.3);
        ck_assert_msg(fabs(r.ixt.value) <= 1e-12 && r.ixt.se <= 1e-12,
                      "d=%zu MC: I(X;T) = %.3g (se %.3g)", d, r.ixt.value, r.ixt.se);
        ck_assert_msg(fabs(r.iyt.value) <= 1e-12 && r.iyt.se <= 1e-12,
                      "d=%zu MC: I(Y;T) = %.3g (se %.3g)", d, r.iyt.value, r.iyt.se);
        gcent_ctx_free(mc);
        if (d == 1) {
            gcent_ctx *qu = gt_ctx(GCENT_METHOD_QUADRATURE, 0, 0);
            r = run_mi(qu, s, M, K, d, d, y, 0.3);
            ck_assert_msg(fabs(r.ixt.value) <= 1e-9 && fabs(r.iyt.value) <= 1e-9,
                          "quadrature: I(X;T) %.3g I(Y;T) %.3g", r.ixt.value, r.iyt.value);
            gcent_ctx_free(qu);
        }
    }
}
END_TEST

/* T independent of X in law: the k rows of every input are drawn afresh
 * from S ~ N(0, sigma^2), d = 1, so the true I(X;T) = I(Y;T) = 0, but the
 * SP estimate is biased upwards. For Gaussian S the second-order bias of a
 * mixture entropy from n draws is -C/(2n) with
 * C = int E[phi_b(t-S)^2]/p(t) dt - 1 = sigma^2/beta^2 (closed form in 1-D),
 * so I(X;T) is biased by b_X = C (1/(2k) - 1/(2mk)) and I(Y;T) by
 * b_Y = C (1/(2 k m_y) - 1/(2mk)) (m_y = m/2 inputs per class). Over R = 8
 * replicates (independent samples, AUTO: quadrature):
 * |mean - b| <= 4 sd/sqrt(R) + |b| (true bias anywhere in [0, 2b]; 4-sigma
 * band of the mean, as for the chain). One MC call (16 draws):
 * |value - b| <= 4 sqrt(se^2 + sd^2) + |b|. */
START_TEST(test_independent_in_law)
{
    enum { M = 8, K = 128, R = 8 };
    const int y[M] = {0, 1, 1, 0, 0, 1, 0, 1};
    const double sigma = 0.2, beta = 0.2, C = sigma * sigma / (beta * beta);
    const double b[2] = {C * (1.0 / (2.0 * K) - 1.0 / (2.0 * M * K)),
                         C * (1.0 / (2.0 * K * (M / 2)) - 1.0 / (2.0 * M * K))};
    double *s = malloc(M * K * sizeof *s);
    ck_assert_ptr_nonnull(s);
    double sum[2] = {0}, sum2[2] = {0};
    gcent_ctx *ctx = gt_ctx(GCENT_METHOD_AUTO, 0, 0);
    for (int r = 0; r < R; ++r) {
        gcent_rng_normals(500u + (uint64_t)r, 0u, 0u, M * K, s);
        for (size_t i = 0; i < M * K; ++i)
            s[i] *= sigma;
        gcent_layer_mi e = run_mi(ctx, s, M, K, 1, 1, y, beta);
        double v[2] = {e.ixt.value, e.iyt.value};
        for (int t = 0; t < 2; ++t) {
            sum[t] += v[t];
            sum2[t] += v[t] * v[t];
        }
    }
    gcent_ctx_free(ctx);
    double sd[2];
    for (int t = 0; t < 2; ++t) {
        double mean = sum[t] / R;
        sd[t] = sqrt(fmax(0.0, (sum2[t] - R * mean * mean) / (R - 1)));
        double tol = 4.0 * sd[t] / sqrt((double)R) + b[t];
        ck_assert_msg(fabs(mean - b[t]) <= tol, "%s: mean %.5f, predicted bias %.5f, tol %.3g",
                      t ? "I(Y;T)" : "I(X;T)", mean, b[t], tol);
    }
    ctx = gt_ctx(GCENT_METHOD_MC, 16, 3);
    gcent_rng_normals(500u, 0u, 0u, M * K, s);
    for (size_t i = 0; i < M * K; ++i)
        s[i] *= sigma;
    gcent_layer_mi e = run_mi(ctx, s, M, K, 1, 1, y, beta);
    ck_assert_msg(fabs(e.ixt.value - b[0]) <= 4.0 * hypot(e.ixt.se, sd[0]) + b[0],
                  "MC I(X;T) %.5f se %.2g", e.ixt.value, e.ixt.se);
    ck_assert_msg(fabs(e.iyt.value - b[1]) <= 4.0 * hypot(e.iyt.se, sd[1]) + b[1],
                  "MC I(Y;T) %.5f se %.2g", e.iyt.value, e.iyt.se);
    gcent_ctx_free(ctx);
    free(s);
}
END_TEST

/* I(X;T) <= ln m and I(Y;T) <= H(Y). MC: exact by construction (R^X <= R^Y
 * <= R^T, so every summand log(R^T/R^X) >= 0): checked over 40 seeds with 1
 * and 4 draws in a nearly saturated case (8 inputs 5 beta apart, 6 rows each
 * spread 0.3 beta; 3 unequal classes), where estimates of h(T) and h(T|X)
 * made with independent noise would overshoot ln m about half the time.
 * Slack: a few ulps of ln m and of H(Y) (summation order), 1e-14 relative.
 * Quadrature: the SP value is the MI of a genuine model (X uniform, T | x the
 * mixture of its rows), so 0 <= I(Y;T) <= I(X;T) <= ln m and I(Y;T) <= H(Y)
 * up to the reported error bounds (+1e-12). */
START_TEST(test_upper_bounds)
{
    enum { M = 8, K = 6 };
    const int y[M] = {0, 0, 0, 1, 1, 2, 2, 2};
    const double beta = 0.2, lnm = log((double)M), hy = label_entropy(y, M);
    double s[M * K];
    gcent_rng_normals(77u, 1u, 0u, M * K, s);
    for (size_t i = 0; i < M; ++i)
        for (size_t j = 0; j < K; ++j)
            s[i * K + j] = 5.0 * beta * (double)i + 0.3 * beta * s[i * K + j];
    double max_ixt = -INFINITY;
    for (int draws = 1; draws <= 4; draws += 3)
        for (int seed = 0; seed < 40; ++seed) {
            gcent_ctx *ctx = gt_ctx(GCENT_METHOD_MC, draws, seed);
            gcent_layer_mi r = run_mi(ctx, s, M, K, 1, 1, y, beta);
            ck_assert_msg(r.ixt.value <= lnm * (1.0 + 1e-14), "seed %d: I(X;T) %.17g > ln m",
                          seed, r.ixt.value);
            ck_assert_msg(r.iyt.value <= hy * (1.0 + 1e-14), "seed %d: I(Y;T) %.17g > H(Y)",
                          seed, r.iyt.value);
            max_ixt = fmax(max_ixt, r.ixt.value);
            gcent_ctx_free(ctx);
        }
    /* the case is really near saturation: the best estimate is within
     * 0.1 nats of ln m */
    ck_assert_msg(max_ixt >= lnm - 0.1, "max I(X;T) %.4f, ln m %.4f", max_ixt, lnm);
    gcent_ctx *qu = gt_ctx(GCENT_METHOD_QUADRATURE, 0, 0);
    gcent_layer_mi r = run_mi(qu, s, M, K, 1, 1, y, beta);
    double tol = r.ixt.se + r.iyt.se + 1e-12;
    ck_assert(r.iyt.value >= -tol && r.iyt.value <= r.ixt.value + tol);
    ck_assert(r.ixt.value <= lnm + r.ixt.se + 1e-12 && r.iyt.value <= hy + r.iyt.se + 1e-12);
    gcent_ctx_free(qu);
}
END_TEST

/* With k = 1 the layer is deterministic given X: h(T|X) = h(Z).
 * Quadrature (d = 1, 2): ixt = ht - h(Z) to 1e-12 (the requirement:
 * the conditional term is the closed form), and ht is the entropy of the
 * same rows by gcent_entropy within the two error bounds + 1e-12.
 * MC (d = 1, 3; 16 draws and 1 draw): ht is gcent_entropy's estimate on the
 * same rows with the same seed and draws (same noise by the documented
 * indexing), equal up to the order of summation: 1e-12 relative, se 1e-9
 * relative; R^X = 1 (the self term), so the summand of I(X;T) is that of
 * h(T): ixt = ht - h(Z) to 1e-12 and the same se (1e-9 relative). */
START_TEST(test_k1_consistency)
{
    enum { M = 20 };
    const int y[M] = {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 3, 3};
    double s[M * 3];
    gcent_rng_normals(8u, 8u, 0u, M * 3, s);
    for (size_t i = 0; i < M * 3; ++i)
        s[i] = tanh(s[i]);
    const double beta = 0.25;
    for (size_t d = 1; d <= 2; ++d) {
        gcent_ctx *ctx = gt_ctx(GCENT_METHOD_QUADRATURE, 0, 0);
        size_t m = d == 1 ? 9 : 5;
        gcent_layer_mi r = run_mi(ctx, s, m, 1, d, d, y, beta);
        gcent_estimate e = run_h(ctx, s, m, d, d, beta);
        ck_assert_double_eq_tol(r.ixt.value, r.ht.value - gt_hz(d, beta), 1e-12);
        ck_assert_double_eq_tol(r.ht.value, e.value, r.ht.se + e.se + 1e-12);
        gcent_ctx_free(ctx);
    }
    for (size_t d = 1; d <= 3; d += 2)
        for (int draws = 16; draws >= 1; draws -= 15) {
            gcent_ctx *ctx = gt_ctx(GCENT_METHOD_MC, draws, 4242);
            gcent_layer_mi r = run_mi(ctx, s, M, 1, d, d, y, beta);
            gcent_estimate e = run_h(ctx, s, M, d, d, beta);
            ck_assert_msg(fabs(r.ht.value - e.value) <= 1e-12 * fmax(1.0, fabs(e.value)),
                          "d=%zu draws=%d: ht %.17g, gcent_entropy %.17g", d, draws,
                          r.ht.value, e.value);
            ck_assert_msg(fabs(r.ht.se - e.se) <= 1e-9 * e.se, "d=%zu draws=%d: se %.17g vs %.17g",
                          d, draws, r.ht.se, e.se);
            ck_assert_double_eq_tol(r.ixt.value, r.ht.value - gt_hz(d, beta), 1e-12);
            ck_assert_msg(fabs(r.ixt.se - r.ht.se) <= 1e-9 * r.ht.se,
                          "d=%zu draws=%d: ixt.se %.17g ht.se %.17g", d, draws, r.ixt.se,
                          r.ht.se);
            gcent_ctx_free(ctx);
        }
}
END_TEST

/* Quadrature with k > 1 is the definition of mi.h term by term:
 * ht = h(all rows), ixt = ht - mean_i h(rows of x_i),
 * iyt = ht - sum_y p_y h(rows of class y), each h by gcent_entropy
 * (QUADRATURE) on the same rows. Every term is accurate to ~1e-11 (the
 * default target), so 1e-9. d = 1 and d = 2, classes of unequal size. */
START_TEST(test_quadrature_definition)
{
    enum { M = 5, K = 6 };
    const int y[M] = {3, -1, 3, 3, -1};
    const double beta = 0.3;
    double s[M * K * 2], buf[M * K * 2];
    gcent_rng_normals(21u, 4u, 0u, M * K * 2, s);
    for (size_t i = 0; i < M * K * 2; ++i)
        s[i] = tanh(0.3 * s[i] + 0.5 * (double)(i / (K * 2)) - 1.0);
    gcent_ctx *ctx = gt_ctx(GCENT_METHOD_QUADRATURE, 0, 0);
    for (size_t d = 1; d <= 2; ++d) {
        gcent_layer_mi r = run_mi(ctx, s, M, K, d, d, y, beta);
        double ht = run_h(ctx, s, M * K, d, d, beta).value, hx = 0.0, hyc = 0.0;
        for (size_t i = 0; i < M; ++i)
            hx += run_h(ctx, s + i * K * d, K, d, d, beta).value / M;
        const int cls[2] = {-1, 3};
        for (int c = 0; c < 2; ++c) {
            size_t cnt = 0;
            for (size_t i = 0; i < M; ++i)
                if (y[i] == cls[c]) {
                    memcpy(buf + cnt * d, s + i * K * d, K * d * sizeof *buf);
                    cnt += K;
                }
            hyc += (double)cnt / (M * K) * run_h(ctx, buf, cnt, d, d, beta).value;
        }
        ck_assert_msg(fabs(r.ht.value - ht) <= 1e-9, "d=%zu: ht %.15f vs %.15f", d,
                      r.ht.value, ht);
        ck_assert_msg(fabs(r.ixt.value - (ht - hx)) <= 1e-9, "d=%zu: ixt %.15f vs %.15f", d,
                      r.ixt.value, ht - hx);
        ck_assert_msg(fabs(r.iyt.value - (ht - hyc)) <= 1e-9, "d=%zu: iyt %.15f vs %.15f", d,
                      r.iyt.value, ht - hyc);
        ck_assert(r.ht.se <= 1e-9 && r.ixt.se <= 1e-9 && r.iyt.se <= 1e-9);
    }
    gcent_ctx_free(ctx);
}
END_TEST

/* The Monte Carlo estimator exactly as mi.h documents it, recomputed here:
 * noise of row r, draw j = normals r*2*ceil(d/2) .. of stream 2^32 + j;
 * R^T, R^X, R^Y the sums of exp(-(|z + (s_r - s_t)/beta|^2 - |z|^2)/2) over
 * all rows, the rows of the input and the rows of the class;
 * h(T) = h(Z) + ln(mk) - mean log R^T, I(X;T) = ln m - mean log(R^T/R^X),
 * I(Y;T) = H(Y) - mean log(R^T/R^Y); the se of each by gcent_entropy's rule
 * on its own summand: sqrt(sum_r w^2 v_r / draws) (v_r unbiased, w = 1/(mk)),
 * and with one draw sqrt(sum_r w^2 (L_r - e_{-r})^2), e_{-r} the mean of the
 * other rows. Tolerances: rounding of ~100 log-sum-exps, 1e-11 on values,
 * 1e-9 relative on the se. */
static void ref_mi_mc(const double *s, size_t m, size_t k, size_t d, const int *y,
                      double beta, uint64_t seed, unsigned draws, double val[3], double se[3])
{
    const size_t n = m * k, per_row = 2 * ((d + 1) / 2);
    double *a = malloc(n * sizeof *a), *mean = calloc(3 * n, sizeof *mean);
    double *m2 = calloc(3 * n, sizeof *m2), z[8];
    ck_assert(a != NULL && mean != NULL && m2 != NULL);
    for (size_t r = 0; r < n; ++r)
        for (unsigned j = 0; j < draws; ++j) {
            gcent_rng_normals(seed, (1ull << 32) + j, r * per_row, d, z);
            double z2 = 0.0;
            for (size_t c = 0; c < d; ++c)
                z2 += z[c] * z[c];
            for (size_t t = 0; t < n; ++t) {
                double q = 0.0;
                for (size_t c = 0; c < d; ++c) {
                    double u = z[c] + (s[r * d + c] - s[t * d + c]) / beta;
                    q += u * u;
                }
                a[t] = -0.5 * (q - z2);
            }
            double L[3];
            for (int g = 0; g < 3; ++g) { /* all, class, input */
                double mx = -INFINITY, sum = 0.0;
                for (size_t t = 0; t < n; ++t)
                    if (g == 0 || (g == 1 && y[t / k] == y[r / k]) || (g == 2 && t / k == r / k))
                        mx = fmax(mx, a[t]);
                for (size_t t = 0; t < n; ++t)
                    if (g == 0 || (g == 1 && y[t / k] == y[r / k]) || (g == 2 && t / k == r / k))
                        sum += exp(a[t] - mx);
                L[g] = mx + log(sum);
            }
            const double v[3] = {L[0], L[0] - L[2], L[0] - L[1]}; /* h(T), I(X;T), I(Y;T) */
            for (int g = 0; g < 3; ++g) {
                double dl = v[g] - mean[g * n + r];
                mean[g * n + r] += dl / (double)(j + 1);
                m2[g * n + r] += dl * (v[g] - mean[g * n + r]);
            }
        }
    const double w = 1.0 / (double)n;
    for (int g = 0; g < 3; ++g) {
        double e = 0.0, var = 0.0;
        for (size_t r = 0; r < n; ++r)
            e += w * mean[g * n + r];
        for (size_t r = 0; r < n; ++r) {
            if (draws > 1) {
                var += w * w * m2[g * n + r] / (draws - 1) / draws;
            } else {
                double dev = mean[g * n + r] - (e - w * mean[g * n + r]) / (1.0 - w);
                var += w * w * dev * dev;
            }
        }
        const double base[3] = {gt_hz(d, beta) + log((double)n), log((double)m),
                                label_entropy(y, m)};
        val[g] = base[g] - e;
        se[g] = sqrt(var);
    }
    free(a);
    free(mean);
    free(m2);
}

START_TEST(test_mc_documented_estimator)
{
    enum { M = 5, K = 3 };
    const int y[M] = {7, -2, 7, 0, -2};
    const uint64_t seed = 987654321u;
    double s[M * K * 3];
    gcent_rng_normals(6u, 2u, 0u, M * K * 3, s);
    for (size_t i = 0; i < M * K * 3; ++i)
        s[i] = 0.4 * s[i] + 0.3 * (double)(i % 4);
    for (size_t d = 1; d <= 3; d += 2)
        for (unsigned draws = 5; draws >= 1; draws = draws > 1 ? 1 : 0) {
            gcent_ctx *ctx = gt_ctx(GCENT_METHOD_MC, draws, (double)seed);
            gcent_layer_mi r = run_mi(ctx, s, M, K, d, d, y, 0.5);
            double val[3], se[3];
            ref_mi_mc(s, M, K, d, y, 0.5, seed, draws, val, se);
            const gcent_estimate *e[3] = {&r.ht, &r.ixt, &r.iyt};
            const char *name[3] = {"ht", "ixt", "iyt"};
            for (int g = 0; g < 3; ++g) {
                ck_assert_msg(fabs(e[g]->value - val[g]) <= 1e-11,
                              "d=%zu draws=%u %s: %.15f, documented estimator %.15f", d,
                              draws, name[g], e[g]->value, val[g]);
                ck_assert_msg(fabs(e[g]->se - se[g]) <= 1e-9 * se[g] + 1e-15,
                              "d=%zu draws=%u %s: se %.15g, documented %.15g", d, draws,
                              name[g], e[g]->se, se[g]);
            }
            gcent_ctx_free(ctx);
        }
}
END_TEST

/* One input (m = 1): X is constant, so I(X;T) = I(Y;T) = 0 exactly (MC:
 * R^T = R^X for every query; quadrature: the same mixture twice, 1e-12), and
 * h(T) is the entropy of the k rows (gcent_entropy with the same seed and
 * draws: 1e-12 relative for MC, the sum of the error bounds for quadrature). */
START_TEST(test_single_input)
{
    enum { K = 7 };
    const int y[1] = {5};
    double s[K * 2];
    gcent_rng_normals(2u, 2u, 0u, K * 2, s);
    for (int meth = 1; meth <= 2; ++meth)
        for (size_t d = 1; d <= 2; ++d) {
            gcent_ctx *ctx = gt_ctx(meth, 8, 6);
            gcent_layer_mi r = run_mi(ctx, s, 1, K, d, d, y, 0.4);
            gcent_estimate e = run_h(ctx, s, K, d, d, 0.4);
            ck_assert_msg(fabs(r.ixt.value) <= 1e-12 && fabs(r.iyt.value) <= 1e-12,
                          "method %d d=%zu: I(X;T) %.3g I(Y;T) %.3g", meth, d, r.ixt.value,
                          r.iyt.value);
            double tol = meth == 1 ? 1e-12 * fmax(1.0, fabs(e.value)) : r.ht.se + e.se + 1e-12;
            ck_assert_double_eq_tol(r.ht.value, e.value, tol);
            gcent_ctx_free(ctx);
        }
}
END_TEST

/* AUTO chooses quadrature for a small d <= 2 problem (bitwise the
 * QUADRATURE result) and Monte Carlo for d = 3 (bitwise the MC result with
 * the same seed and draws). */
START_TEST(test_auto_choice)
{
    enum { M = 5, K = 3 };
    const int y[M] = {0, 1, 0, 1, 1};
    double s[M * K * 3];
    gcent_rng_normals(4u, 4u, 0u, M * K * 3, s);
    gcent_ctx *au = gt_ctx(GCENT_METHOD_AUTO, 4, 8), *qu = gt_ctx(GCENT_METHOD_QUADRATURE, 4, 8);
    gcent_ctx *mc = gt_ctx(GCENT_METHOD_MC, 4, 8);
    for (size_t d = 1; d <= 3; ++d) {
        gcent_layer_mi a = run_mi(au, s, M, K, d, d, y, 0.3);
        gcent_layer_mi b = run_mi(d <= 2 ? qu : mc, s, M, K, d, d, y, 0.3);
        ck_assert_msg(memcmp(&a, &b, sizeof a) == 0, "d=%zu: AUTO chose otherwise", d);
    }
    gcent_ctx_free(au);
    gcent_ctx_free(qu);
    gcent_ctx_free(mc);
}
END_TEST

/* Labels. (a) NULL: iyt is {NaN, NaN} (not computed) and ht, ixt are those of the labelled
 * call (MC and quadrature) up to rounding, 1e-12 (grouping the rows by class
 * may change the order of sums; the quadrature error bounds differ in the
 * last bits). (b) One class (any value): I(Y;T) = 0
 * (MC: R^Y = R^T and H(Y) = 0, so exactly; quadrature: h(T|Y) is h(T)):
 * |value| and se <= 1e-12. (c) Arbitrary ints, INT_MIN and INT_MAX among
 * them (a comparator that subtracts would overflow): the same as an
 * order-preserving relabelling to 0..4 (bitwise) and as a permuted
 * relabelling (1e-12: only the order of the class sum may change).
 * (d) All labels distinct: Y is X, so I(Y;T) = I(X;T) (MC: R^Y = R^X,
 * H(Y) = ln m, 1e-12). */
START_TEST(test_labels)
{
    enum { M = 8, K = 3 };
    const int ya[M] = {INT_MAX, INT_MIN, -1, INT_MAX, 0, INT_MIN, 5, -1};
    const int ym[M] = {4, 0, 1, 4, 2, 0, 3, 1};  /* monotone image of ya */
    const int yp[M] = {1, 9, 3, 1, -5, 9, 100, 3}; /* permuted image */
    const int one[M] = {-42, -42, -42, -42, -42, -42, -42, -42};
    const int all[M] = {0, 1, 2, 3, 4, 5, 6, 7};
    double s[M * K];
    gcent_rng_normals(9u, 1u, 0u, M * K, s);
    for (size_t i = 0; i < M * K; ++i)
        s[i] = tanh(0.2 * s[i] + 0.25 * (double)(i / K) - 1.0);
    for (int meth = 1; meth <= 2; ++meth) {
        gcent_ctx *ctx = gt_ctx(meth, 8, 3);
        gcent_layer_mi a = run_mi(ctx, s, M, K, 1, 1, ya, 0.15);
        gcent_layer_mi n = run_mi(ctx, s, M, K, 1, 1, NULL, 0.15);
        ck_assert(isnan(n.iyt.value) && isnan(n.iyt.se));
        /* unchanged up to rounding: the labels may reorder the centres */
        ck_assert_double_eq_tol(n.ht.value, a.ht.value, 1e-12);
        ck_assert_double_eq_tol(n.ht.se, a.ht.se, 1e-12);
        ck_assert_double_eq_tol(n.ixt.value, a.ixt.value, 1e-12);
        ck_assert_double_eq_tol(n.ixt.se, a.ixt.se, 1e-12);
        ck_assert(a.iyt.value > 0.01); /* the labels carry information */
        gcent_layer_mi o = run_mi(ctx, s, M, K, 1, 1, one, 0.15);
        ck_assert_msg(fabs(o.iyt.value) <= 1e-12 && o.iyt.se <= 1e-12,
                      "method %d one class: %.3g (se %.3g)", meth, o.iyt.value, o.iyt.se);
        gcent_layer_mi b = run_mi(ctx, s, M, K, 1, 1, ym, 0.15);
        ck_assert_msg(memcmp(&a, &b, sizeof a) == 0, "method %d: INT_MIN/INT_MAX labels give "
                      "I(Y;T) %.17g, relabelled 0..4 %.17g", meth, a.iyt.value, b.iyt.value);
        b = run_mi(ctx, s, M, K, 1, 1, yp, 0.15);
        ck_assert_double_eq_tol(a.iyt.value, b.iyt.value, 1e-12);
        ck_assert_double_eq_tol(a.iyt.se, b.iyt.se, 1e-12);
        b = run_mi(ctx, s, M, K, 1, 1, all, 0.15);
        ck_assert_double_eq_tol(b.iyt.value, b.ixt.value, 1e-12);
        gcent_ctx_free(ctx);
    }
}
END_TEST

/* Log base 2: every value and se is the nats result / ln 2 (se / |ln 2|),
 * MC and quadrature; one rounding of the division, 1e-13 relative. */
START_TEST(test_log_base)
{
    enum { M = 6, K = 4 };
    const int y[M] = {0, 1, 0, 1, 1, 2};
    double s[M * K * 2];
    gcent_rng_normals(13u, 1u, 0u, M * K * 2, s);
    for (int meth = 1; meth <= 2; ++meth) {
        gcent_ctx *ctx = gt_ctx(meth, 8, 1);
        gcent_layer_mi n = run_mi(ctx, s, M, K, 2, 2, y, 0.5);
        ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_LOG_BASE, 2.0), GCENT_OK);
        gcent_layer_mi b = run_mi(ctx, s, M, K, 2, 2, y, 0.5);
        const gcent_estimate *en[3] = {&n.ht, &n.ixt, &n.iyt}, *eb[3] = {&b.ht, &b.ixt, &b.iyt};
        for (int g = 0; g < 3; ++g) {
            ck_assert_double_eq_tol(eb[g]->value, en[g]->value / LN2,
                                    1e-13 * fabs(en[g]->value / LN2));
            ck_assert_double_eq_tol(eb[g]->se, en[g]->se / LN2, 1e-13 * en[g]->se / LN2);
        }
        gcent_ctx_free(ctx);
    }
}
END_TEST

/* ---- Monte Carlo standard error ------------------------------------------------- */

/* Honesty of the MC standard errors over seeds: m = 4 inputs of the neuron
 * ({-3,-1,1,3} through tanh(x/2)), k = 4 fixed rows each (S = tanh(x/2) +
 * 0.1 z), d = 1, beta = 0.3, labels Y = 1 iff X = 3; reference: the SP
 * values of these fixed rows by the in-test quadrature (to 1e-12), so the
 * error is the MC error alone. 400 seeds for each of 32 and 64 draws.
 * - Coverage: P(|err| <= 2 se) = 0.954 for a normal error with a known se;
 *   the se here is estimated with 16 (draws - 1) >= 496 degrees of freedom,
 *   which changes that by < 0.001. Binomial sd over 400 seeds:
 *   sqrt(0.954 * 0.046 / 400) = 0.0105; band 0.954 +- 3 sd = [0.92, 0.985].
 * - Size: mean err^2 / mean se^2 (se^2 is unbiased for the variance) in
 *   [0.75, 1.3]: the relative sd of a mean of 400 squared normal errors is
 *   sqrt(2/400) = 0.07, so 3 sd is [0.79, 1.21], widened for the kurtosis of
 *   the skewed log-ratio summands.
 * Why beta = 0.3 and >= 32 draws: log(R^T/R^Y) = log(1 + small e^{linear
 * in z}) has a long right tail when the other classes are many beta away;
 * then runs that miss the tail have both a small error estimate and a
 * large error, and the coverage of a correct estimator drops below 0.954
 * (the comment above test_se_calibration in tests/test_entropy.c). With
 * beta = 0.1 and 16 draws the documented estimator covers ~0.93 (measured
 * over 4000 seeds); with beta = 0.3 and 32-64 draws, 0.947-0.954. */
static void se_calibration(double draws, int seeds, const double *s, const mi_ref *ref,
                           double cover[2], double ratio[2])
{
    int inside[2] = {0, 0};
    double e2[2] = {0, 0}, s2[2] = {0, 0};
    for (int sd = 0; sd < seeds; ++sd) {
        gcent_ctx *ctx = gt_ctx(GCENT_METHOD_MC, draws, 3000 + sd);
        gcent_layer_mi r = run_mi(ctx, s, 4, 4, 1, 1, ny, 0.3);
        const double err[2] = {r.ixt.value - ref->ixt, r.iyt.value - ref->iyt};
        const double se[2] = {r.ixt.se, r.iyt.se};
        for (int g = 0; g < 2; ++g) {
            ck_assert_msg(se[g] > 0.0, "seed %d: se = 0", 3000 + sd);
            inside[g] += fabs(err[g]) <= 2.0 * se[g];
            e2[g] += err[g] * err[g];
            s2[g] += se[g] * se[g];
        }
        gcent_ctx_free(ctx);
    }
    for (int g = 0; g < 2; ++g) {
        cover[g] = (double)inside[g] / seeds;
        ratio[g] = e2[g] / s2[g];
    }
}

START_TEST(test_se_calibration)
{
    double s[16];
    gcent_rng_normals(17u, 0u, 0u, 16, s);
    for (int i = 0; i < 16; ++i)
        s[i] = tanh(0.5 * nx[i / 4]) + 0.1 * s[i];
    const mi_ref ref = sp_ref(s, 4, 4, ny, 0.3);
    for (int draws = 32; draws <= 64; draws *= 2) {
        double cover[2], ratio[2];
        se_calibration(draws, 400, s, &ref, cover, ratio);
        for (int g = 0; g < 2; ++g) {
            ck_assert_msg(cover[g] >= 0.92 && cover[g] <= 0.985, "draws %d %s: coverage %.3f",
                          draws, g ? "I(Y;T)" : "I(X;T)", cover[g]);
            ck_assert_msg(ratio[g] >= 0.75 && ratio[g] <= 1.3,
                          "draws %d %s: mean err^2 / mean se^2 = %.3f", draws,
                          g ? "I(Y;T)" : "I(X;T)", ratio[g]);
        }
    }
}
END_TEST

/* ---- threads --------------------------------------------------------------------- */

static void mi_same_for_threads(int method, const double *s, size_t m, size_t k, size_t d,
                                const int *y, double beta, double draws)
{
    gcent_layer_mi ref;
    for (int th = 1; th <= 4; th += GT_LIGHT(1, 2)) { /* GCENT_TEST_LIGHT: 1 and 3 */
        gcent_ctx *ctx = gt_ctx(method, draws, 99);
        ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_THREADS, th), GCENT_OK);
        gcent_layer_mi r = run_mi(ctx, s, m, k, d, d, y, beta);
        if (th == 1)
            ref = r;
        else
            ck_assert_msg(memcmp(&r, &ref, sizeof r) == 0,
                          "method %d d=%zu threads %d: ixt %.17g vs %.17g, iyt %.17g vs %.17g",
                          method, d, th, r.ixt.value, ref.ixt.value, r.iyt.value,
                          ref.iyt.value);
        gcent_ctx_free(ctx);
    }
}

/* Bit-identical gcent_layer_mi for 1, 2, 3 and 4 threads: MC with m = 500,
 * k = 4, d = 5 (2 draws), and quadrature with d = 1 and d = 2.
 * (GCENT_TEST_LIGHT: 1 and 3 threads, m = 100 and, for d = 2, m = 3.) */
START_TEST(test_threads)
{
    enum { M = 500, K = 4, D = 5 };
    double *s = malloc(M * K * D * sizeof *s);
    int *y = malloc(M * sizeof *y);
    ck_assert(s != NULL && y != NULL);
    gcent_rng_normals(1u, 7u, 0u, M * K * D, s);
    for (size_t i = 0; i < M; ++i)
        y[i] = (int)(i % 3) - 1;
    mi_same_for_threads(GCENT_METHOD_MC, s, GT_LIGHT(M, M / 5), K, D, y, 0.5, 2);
    mi_same_for_threads(GCENT_METHOD_QUADRATURE, s, 30, 4, 1, y, 0.2, 0);
    mi_same_for_threads(GCENT_METHOD_QUADRATURE, s, GT_LIGHT(10, 3), 3, 2, y, 0.3, 0);
    free(s);
    free(y);
}
END_TEST

/* ---- bad input ------------------------------------------------------------------- */

/* Same rules as part 1 (tests/test_errors.c): each bad call returns the
 * status documented in gcent/mi.h, leaves *out byte for byte as it was,
 * leaves a one-line non-empty reason in gcent_ctx_errmsg, and prints
 * nothing. Each entry has exactly one defect. */
static const double good_s[8] = {0.0, 0.5, 1.0, -0.3, 0.2, 0.2, 2.0, 1.0};
static const int good_y[4] = {0, 1, 1, 0};
static double s_nan[8], s_inf[8], s_ninf[8], s_wide[4], dummy[4];

static void init_bad_data(void)
{
    memcpy(s_nan, good_s, sizeof s_nan);
    memcpy(s_inf, good_s, sizeof s_inf);
    memcpy(s_ninf, good_s, sizeof s_ninf);
    s_nan[7] = NAN;      /* last value of the last row */
    s_inf[0] = INFINITY; /* first value */
    s_ninf[3] = -INFINITY;
    const double w[4] = {0.0, 1.0, 2.0, 3.0};
    memcpy(s_wide, w, sizeof w);
    for (int i = 0; i < 4; ++i)
        dummy[i] = 1.0;
}

typedef struct bad_mi {
    const char *what;
    int null_ctx, null_out;
    const double *s;
    size_t m, k, d, lds;
    double beta;
    int method;
    int expect;
} bad_mi;

#define HUGE_SZ ((SIZE_MAX / 2) + 1)

static const bad_mi bad_calls[] = {
    {"ctx NULL", 1, 0, good_s, 2, 2, 2, 2, 0.5, GCENT_METHOD_MC, GCENT_EINVAL},
    {"s NULL", 0, 0, NULL, 2, 2, 2, 2, 0.5, GCENT_METHOD_MC, GCENT_EINVAL},
    {"out NULL", 0, 1, good_s, 2, 2, 2, 2, 0.5, GCENT_METHOD_MC, GCENT_EINVAL},
    {"m 0", 0, 0, good_s, 0, 2, 2, 2, 0.5, GCENT_METHOD_MC, GCENT_EINVAL},
    {"k 0", 0, 0, good_s, 2, 0, 2, 2, 0.5, GCENT_METHOD_MC, GCENT_EINVAL},
    {"d 0", 0, 0, good_s, 2, 2, 0, 2, 0.5, GCENT_METHOD_MC, GCENT_EINVAL},
    {"lds < d", 0, 0, good_s, 2, 2, 2, 1, 0.5, GCENT_METHOD_MC, GCENT_EINVAL},
    {"lds 0", 0, 0, good_s, 2, 2, 1, 0, 0.5, GCENT_METHOD_MC, GCENT_EINVAL},
    {"beta 0", 0, 0, good_s, 2, 2, 2, 2, 0.0, GCENT_METHOD_MC, GCENT_EINVAL},
    {"beta -0", 0, 0, good_s, 2, 2, 2, 2, -0.0, GCENT_METHOD_MC, GCENT_EINVAL},
    {"beta < 0", 0, 0, good_s, 2, 2, 2, 2, -0.5, GCENT_METHOD_MC, GCENT_EINVAL},
    {"beta NaN", 0, 0, good_s, 2, 2, 2, 2, NAN, GCENT_METHOD_MC, GCENT_EDOM},
    {"beta Inf", 0, 0, good_s, 2, 2, 2, 2, INFINITY, GCENT_METHOD_MC, GCENT_EDOM},
    {"beta NaN quad", 0, 0, good_s, 2, 2, 2, 2, NAN, GCENT_METHOD_QUADRATURE, GCENT_EDOM},
    {"s NaN", 0, 0, s_nan, 2, 2, 2, 2, 0.5, GCENT_METHOD_MC, GCENT_EDOM},
    {"s Inf", 0, 0, s_inf, 2, 2, 2, 2, 0.5, GCENT_METHOD_MC, GCENT_EDOM},
    {"s -Inf", 0, 0, s_ninf, 2, 2, 2, 2, 0.5, GCENT_METHOD_MC, GCENT_EDOM},
    {"s NaN quad", 0, 0, s_nan, 2, 2, 2, 2, 0.5, GCENT_METHOD_QUADRATURE, GCENT_EDOM},
    {"s NaN auto", 0, 0, s_nan, 4, 2, 1, 1, 0.5, GCENT_METHOD_AUTO, GCENT_EDOM},
    /* sizes: the array is 4 doubles; validation must fail before reading */
    {"m*k overflow (m)", 0, 0, dummy, HUGE_SZ, 2, 1, 1, 0.5, GCENT_METHOD_MC, GCENT_ERANGE},
    {"m*k overflow (k)", 0, 0, dummy, 2, HUGE_SZ, 1, 1, 0.5, GCENT_METHOD_MC, GCENT_ERANGE},
    {"m*k overflow quad", 0, 0, dummy, HUGE_SZ, 4, 1, 1, 0.5, GCENT_METHOD_QUADRATURE,
     GCENT_ERANGE},
    {"m*k*lds overflow", 0, 0, dummy, SIZE_MAX / 8, 2, 1, 8, 0.5, GCENT_METHOD_MC,
     GCENT_ERANGE},
    {"lds overflow", 0, 0, dummy, 2, 2, 1, HUGE_SZ, 0.5, GCENT_METHOD_MC, GCENT_ERANGE},
    {"beta too small for the spread", 0, 0, s_wide, 2, 2, 1, 1, 1e-160, GCENT_METHOD_MC,
     GCENT_ERANGE},
    {"quadrature d 3", 0, 0, good_s, 2, 1, 3, 3, 0.5, GCENT_METHOD_QUADRATURE,
     GCENT_EUNSUPPORTED},
};
#define NBAD (sizeof bad_calls / sizeof bad_calls[0])

typedef struct outcome {
    int status, untouched, msg_ok;
} outcome;

static outcome do_bad(gcent_ctx *ctx, const bad_mi *b, const int *labels)
{
    outcome o = {0, 0, 1};
    gcent_layer_mi out, ref;
    memset(&out, 0x5a, sizeof out);
    memcpy(&ref, &out, sizeof out);
    gcent_ctx_set(ctx, GCENT_OPT_METHOD, b->method);
    o.status = gcent_mi_layer(b->null_ctx ? NULL : ctx, b->s, b->m, b->k, b->d, b->lds, labels,
                              b->beta, b->null_out ? NULL : &out);
    o.untouched = memcmp(&out, &ref, sizeof out) == 0;
    if (!b->null_ctx)
        o.msg_ok = gt_one_line(ctx);
    return o;
}

/* Every bad call, with and without labels (labels are only read for valid
 * calls, and only m of them: the overflow rows pass a 4-int array); then a
 * good call on the same context succeeds and clears the message. */
START_TEST(test_bad_inputs)
{
    init_bad_data();
    gcent_ctx *ctx = gt_ctx(GCENT_METHOD_MC, 4, 1);
    for (size_t i = 0; i < NBAD; ++i)
        for (int lab = 0; lab < 2; ++lab) {
            const bad_mi *b = &bad_calls[i];
            outcome o = do_bad(ctx, b, lab ? good_y : NULL);
            ck_assert_msg(o.status == b->expect, "%s (labels %d): status %d (%s), expected %d",
                          b->what, lab, o.status, gcent_ctx_errmsg(ctx), b->expect);
            ck_assert_msg(o.untouched, "%s: output written on failure", b->what);
            ck_assert_msg(o.msg_ok, "%s: errmsg \"%s\" is not one non-empty line", b->what,
                          gcent_ctx_errmsg(ctx));
            gcent_ctx_set(ctx, GCENT_OPT_METHOD, GCENT_METHOD_MC);
            gcent_layer_mi r;
            ck_assert_int_eq(gcent_mi_layer(ctx, good_s, 2, 2, 2, 2, good_y, 0.5, &r), GCENT_OK);
            ck_assert_msg(strcmp(gcent_ctx_errmsg(ctx), "") == 0,
                          "after %s, a success left errmsg \"%s\"", b->what,
                          gcent_ctx_errmsg(ctx));
        }
    gcent_ctx_free(ctx);
}
END_TEST

/* Nothing printed: stdout and stderr go to a temporary file around all the
 * bad calls; the file must stay empty. */
START_TEST(test_nothing_printed)
{
    init_bad_data();
    gcent_ctx *ctx = gt_ctx(GCENT_METHOD_MC, 4, 1);
    gt_capture cap;
    gt_capture_begin(&cap, "/tmp/gcent-test-mi-XXXXXX");
    int ok_count = 0;
    for (size_t i = 0; i < NBAD; ++i)
        ok_count += do_bad(ctx, &bad_calls[i], good_y).status == GCENT_OK;
    long long printed = gt_capture_end(&cap);
    ck_assert_int_eq(ok_count, 0);
    ck_assert_msg(printed == 0, "the library printed %lld bytes", printed);
    gcent_ctx_free(ctx);
}
END_TEST

/* Padding is never read: NaN in the lds - d padding, MC and quadrature,
 * the call succeeds and equals the packed call (same values, same noise:
 * 1e-12); and the last row's padding may be absent (a d = 1 view of a
 * stride-3 array cut after the last row's first value). */
START_TEST(test_padding_not_read)
{
    enum { M = 4, K = 3, D = 2, LDS = 3, N = M * K };
    const int y[M] = {0, 1, 0, 2};
    double packed[N * D], padded[N * LDS], col[N], cut[(N - 1) * LDS + 1];
    gcent_rng_normals(31u, 0u, 0u, N * D, packed);
    for (size_t i = 0; i < N; ++i) {
        for (size_t c = 0; c < D; ++c)
            padded[i * LDS + c] = packed[i * D + c];
        padded[i * LDS + D] = NAN;
        col[i] = packed[i * D];
        cut[i * LDS] = col[i];
        if (i + 1 < N)
            cut[i * LDS + 1] = cut[i * LDS + 2] = NAN;
    }
    for (int meth = 1; meth <= 2; ++meth) {
        gcent_ctx *ctx = gt_ctx(meth, 8, 3);
        gcent_layer_mi a = run_mi(ctx, packed, M, K, D, D, y, 0.4);
        gcent_layer_mi b = run_mi(ctx, padded, M, K, D, LDS, y, 0.4);
        const gcent_estimate *ea[3] = {&a.ht, &a.ixt, &a.iyt}, *eb[3] = {&b.ht, &b.ixt, &b.iyt};
        for (int g = 0; g < 3; ++g) {
            ck_assert_double_eq_tol(ea[g]->value, eb[g]->value, 1e-12);
            ck_assert_double_eq_tol(ea[g]->se, eb[g]->se, 1e-12);
        }
        a = run_mi(ctx, col, M, K, 1, 1, y, 0.4);
        b = run_mi(ctx, cut, M, K, 1, LDS, y, 0.4);
        for (int g = 0; g < 3; ++g)
            ck_assert_double_eq_tol(ea[g]->value, eb[g]->value, 1e-12);
        gcent_ctx_free(ctx);
    }
}
END_TEST

/* ---- progress ---------------------------------------------------------------------- */

/* The two calls under test, each ~0.1-0.3 s: MC, m = 1000, k = 4, d = 3,
 * 4 draws (6.4e7 pairs); quadrature, m = 20, k = 3, d = 2, beta = 0.15. */
enum { PM = 1000, PK = 4, PD = 3 };

static int prog_call(gcent_ctx *ctx, int quad, const double *s, const int *y,
                     gcent_layer_mi *out)
{
    gcent_ctx_set(ctx, GCENT_OPT_METHOD, quad ? GCENT_METHOD_QUADRATURE : GCENT_METHOD_MC);
    return quad ? gcent_mi_layer(ctx, s, 20, 3, 2, PD, y, 0.15, out)
                : gcent_mi_layer(ctx, s, PM, PK, PD, PD, y, 0.3, out);
}

/* The data of both progress tests: PM * PK rows of PD normals, labels
 * alternating 0, 1, and an MC context (4 draws, seed 1) with 2 threads. */
static gcent_ctx *prog_setup(double **s, int **y)
{
    *s = malloc(PM * PK * PD * sizeof **s);
    *y = malloc(PM * sizeof **y);
    ck_assert(*s != NULL && *y != NULL);
    gcent_rng_normals(5u, 5u, 0u, PM * PK * PD, *s);
    for (size_t i = 0; i < PM; ++i)
        (*y)[i] = (int)(i % 2);
    gcent_ctx *ctx = gt_ctx(GCENT_METHOD_MC, 4, 1);
    ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_THREADS, 2), GCENT_OK);
    return ctx;
}

/* A completing call (2 threads; with labels and without): done never
 * decreases, total is fixed and positive, exactly one report has
 * done == total and it is the last. */
START_TEST(test_progress_reports)
{
    double *s;
    int *y;
    gcent_ctx *ctx = prog_setup(&s, &y);
    for (int run = 0; run < 4; ++run) {
        int quad = run & 1;
        gt_prog p;
        gt_prog_init(&p, 0);
        ck_assert_int_eq(gcent_ctx_set_progress(ctx, gt_on_progress, &p), GCENT_OK);
        gcent_layer_mi out;
        int st = prog_call(ctx, quad, s, run < 2 ? y : NULL, &out);
        ck_assert_msg(st == GCENT_OK, "quad=%d: %d %s", quad, st, gcent_ctx_errmsg(ctx));
        ck_assert_msg(p.calls >= 1, "quad=%d: callback never called", quad);
        ck_assert_msg(p.monotone, "quad=%d: done decreased", quad);
        ck_assert_msg(p.fixed_total && p.first_total > 0, "quad=%d: total changed or 0", quad);
        ck_assert_msg(p.finals == 1 && p.last_is_final,
                      "quad=%d: %d reports with done == total, last one final: %d", quad,
                      p.finals, p.last_is_final);
    }
    gcent_ctx_free(ctx);
    free(s);
    free(y);
}
END_TEST

/* Cancellation at the first report and midway: GCENT_ECANCELED, *out
 * untouched, one-line message, no report after the stop; then the context
 * gives the uncanceled result bitwise. Midway is required for MC (many
 * chunks); for quadrature it is tried and, if a midway report happens,
 * must cancel. */
START_TEST(test_progress_cancel)
{
    double *s;
    int *y;
    gcent_ctx *ctx = prog_setup(&s, &y);
    for (int quad = 0; quad < 2; ++quad) {
        gcent_layer_mi ref;
        ck_assert_int_eq(gcent_ctx_set_progress(ctx, NULL, NULL), GCENT_OK);
        ck_assert_int_eq(prog_call(ctx, quad, s, y, &ref), GCENT_OK);
        for (int mode = 1; mode <= 2; ++mode) {
            gt_prog p;
            gt_prog_init(&p, mode);
            ck_assert_int_eq(gcent_ctx_set_progress(ctx, gt_on_progress, &p), GCENT_OK);
            gcent_layer_mi out, sentinel;
            memset(&out, 0x5a, sizeof out);
            memcpy(&sentinel, &out, sizeof out);
            int st = prog_call(ctx, quad, s, y, &out);
            if (quad && mode == 2 && !p.canceled) {
                ck_assert_int_eq(st, GCENT_OK); /* no midway report to stop at */
                continue;
            }
            ck_assert_msg(p.canceled, "quad=%d mode %d: no report to cancel at (%d reports)",
                          quad, mode, p.calls);
            ck_assert_msg(st == GCENT_ECANCELED, "quad=%d mode %d: status %d", quad, mode, st);
            ck_assert_msg(memcmp(&out, &sentinel, sizeof out) == 0,
                          "quad=%d mode %d: output written", quad, mode);
            ck_assert_msg(gt_one_line(ctx), "quad=%d mode %d: errmsg \"%s\"", quad, mode,
                          gcent_ctx_errmsg(ctx));
            ck_assert_msg(p.after_cancel == 0, "quad=%d mode %d: %d reports after the stop",
                          quad, mode, p.after_cancel);
            gt_prog_init(&p, 0);
            gcent_layer_mi again;
            ck_assert_int_eq(prog_call(ctx, quad, s, y, &again), GCENT_OK);
            ck_assert_str_eq(gcent_ctx_errmsg(ctx), "");
            ck_assert_msg(memcmp(&again, &ref, sizeof ref) == 0, "quad=%d: result changed",
                          quad);
        }
    }
    gcent_ctx_free(ctx);
    free(s);
    free(y);
}
END_TEST

/* Quadrature path: the conditional mixtures report progress as they are
 * integrated, and can be cancelled there (review finding: each used to count
 * as one unit and could not be cancelled for seconds at large k). With m = 2
 * inputs of k = 3000 rows (conditionals large enough to be integrated one at
 * a time on all workers), one thread: the callback runs inside the
 * conditional terms -- between the end of h(T) and the end of the call --
 * more than 2 times per conditional, and a cancellation asked there stops
 * the call with GCENT_ECANCELED. */
typedef struct {
    int calls, cancel_after;
    uint64_t total;
} cond_prog;

static int on_cond_prog(void *user, uint64_t done, uint64_t total)
{
    cond_prog *c = user;
    (void)done;
    c->total = total;
    return ++c->calls == c->cancel_after;
}

START_TEST(test_progress_quadrature_conditionals)
{
    enum { M = 2, K = 3000 };
    static double s[M * K];
    gcent_rng_normals(9u, 2u, 0u, M * K, s);
    gcent_ctx *ctx = gt_ctx(GCENT_METHOD_QUADRATURE, 1, 1);
    ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_THREADS, 1), GCENT_OK);
    cond_prog h = {0, 0, 0}, c = {0, 0, 0};
    ck_assert_int_eq(gcent_ctx_set_progress(ctx, on_cond_prog, &h), GCENT_OK);
    gcent_layer_mi full;
    /* m = 1: h(T) alone (its conditional is h(T) itself) */
    ck_assert_int_eq(gcent_mi_layer(ctx, s, 1, M * K, 1, 1, NULL, 0.3, &full), GCENT_OK);
    ck_assert_int_eq(gcent_ctx_set_progress(ctx, on_cond_prog, &c), GCENT_OK);
    gcent_layer_mi r;
    ck_assert_int_eq(gcent_mi_layer(ctx, s, M, K, 1, 1, NULL, 0.3, &r), GCENT_OK);
    ck_assert_msg(c.calls > h.calls + 2 * M, "%d callbacks, h(T) alone %d", c.calls, h.calls);
    /* cancel inside the conditionals: after h(T)'s reports and a few more */
    cond_prog x = {0, h.calls + 3, 0};
    ck_assert_int_eq(gcent_ctx_set_progress(ctx, on_cond_prog, &x), GCENT_OK);
    gcent_layer_mi untouched = {{1.0, 2.0}, {3.0, 4.0}, {5.0, 6.0}};
    ck_assert_int_eq(gcent_mi_layer(ctx, s, M, K, 1, 1, NULL, 0.3, &untouched),
                     GCENT_ECANCELED);
    ck_assert_int_eq(x.calls, h.calls + 3);
    ck_assert(untouched.ht.value == 1.0 && untouched.iyt.se == 6.0);
    gcent_ctx_free(ctx);
}
END_TEST

Suite *suite_mi(void)
{
    Suite *s = suite_create("mi");
    TCase *tc = gt_tcase(s, "references", 60);
    tcase_add_test(tc, test_reference_self);
    tcase_add_test(tc, test_single_neuron_quadrature);
    tcase_add_test(tc, test_single_neuron_mc);
    tcase_add_test(tc, test_two_layer_chain);
    tcase_add_test(tc, test_progress_quadrature_conditionals);
    TCase *id = gt_tcase(s, "identities", 60);
    /* many Monte Carlo calls over statistical identities: under Valgrind
     * alone 4.5 CPU-minutes, which CI cannot afford; the same code paths run
     * under memcheck in mi/references, mi/monte-carlo, prune and the fuzz
     * corpora, and this case runs in make check and make check-asan */
    tcase_set_tags(id, "long");
    tcase_add_test(id, test_independent_exact);
    tcase_add_test(id, test_independent_in_law);
    tcase_add_test(id, test_upper_bounds);
    tcase_add_test(id, test_k1_consistency);
    tcase_add_test(id, test_quadrature_definition);
    tcase_add_test(id, test_mc_documented_estimator);
    tcase_add_test(id, test_single_input);
    tcase_add_test(id, test_auto_choice);
    tcase_add_test(id, test_labels);
    tcase_add_test(id, test_log_base);
    tcase_add_test(id, test_threads);
    TCase *mc = gt_tcase(s, "monte-carlo", 60);
    tcase_add_test(mc, test_se_calibration);
    TCase *bad = gt_tcase(s, "bad-input", 30);
    tcase_add_test(bad, test_bad_inputs);
    tcase_add_test(bad, test_nothing_printed);
    tcase_add_test(bad, test_padding_not_read);
    TCase *pr = gt_tcase(s, "progress", 60);
    tcase_set_tags(pr, "long"); /* sizes set by the work chunks: see tests.h */
    tcase_add_test(pr, test_progress_reports);
    tcase_add_test(pr, test_progress_cancel);
    return s;
}
