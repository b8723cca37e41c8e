/* Helpers shared by the test files (declared in tests/tests.h): context set-up,
 * closed forms, the independent 1-D reference entropy, a compensated sum, a
 * deterministic generator, the error-message convention, the progress
 * recorder, stdout/stderr capture and the suite boilerplate. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "tests.h"

#define PI 3.14159265358979323846

/* ---- contexts ----------------------------------------------------------------- */

gcent_ctx *gt_ctx(int method, double draws, double seed)
{
    gcent_ctx *ctx = NULL;
    ck_assert_int_eq(gcent_ctx_create(&ctx), GCENT_OK);
    ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_METHOD, method), GCENT_OK);
    ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_MC_DRAWS, draws), GCENT_OK);
    ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_SEED, seed), GCENT_OK);
    return ctx;
}

int gt_one_line(const gcent_ctx *ctx)
{
    const char *m = gcent_ctx_errmsg(ctx);
    return m != NULL && m[0] != '\0' && strchr(m, '\n') == NULL;
}

/* ---- closed forms --------------------------------------------------------------- */

/* h(Z) = (d/2) ln(2 pi e beta^2), in nats. */
double gt_hz(size_t d, double beta)
{
    return 0.5 * (double)d * (GCENT_TEST_LN2PIE + 2.0 * log(beta));
}

double gt_shannon(const double *w, size_t n)
{
    double h = 0.0;
    for (size_t i = 0; i < n; ++i) {
        double wi = w ? w[i] : 1.0 / (double)n;
        if (wi > 0.0)
            h -= wi * log(wi);
    }
    return h;
}

/* ---- the 1-D reference entropy -------------------------------------------------- */

/* log g(x) of the 1-D mixture sum_j w_j N(x; c_j, beta^2), by log-sum-exp. */
double gt_ref_logg(double x, const double *c, const double *w, size_t n, double beta)
{
    double m = -INFINITY;
    for (size_t j = 0; j < n; ++j) {
        double wj = w ? w[j] : 1.0 / (double)n;
        if (wj > 0.0) {
            double a = log(wj) - (x - c[j]) * (x - c[j]) / (2.0 * beta * beta);
            if (a > m)
                m = a;
        }
    }
    double sum = 0.0;
    for (size_t j = 0; j < n; ++j) {
        double wj = w ? w[j] : 1.0 / (double)n;
        if (wj > 0.0)
            sum += exp(log(wj) - (x - c[j]) * (x - c[j]) / (2.0 * beta * beta) - m);
    }
    return m + log(sum) - 0.5 * log(2.0 * PI * beta * beta);
}

/* -int g log g by the composite trapezoid rule with step beta/div over
 * [min c - 20 beta, max c + 20 beta] (outside, g < e^-200). The integrand is
 * smooth and decays like a Gaussian, so the rule converges spectrally. */
double gt_ref_h1_step(const double *c, const double *w, size_t n, double beta, int div)
{
    double lo = c[0], hi = c[0];
    for (size_t j = 1; j < n; ++j) {
        lo = c[j] < lo ? c[j] : lo;
        hi = c[j] > hi ? c[j] : hi;
    }
    lo -= 20.0 * beta;
    hi += 20.0 * beta;
    size_t npts = (size_t)ceil((hi - lo) / (beta / div));
    double h = (hi - lo) / (double)npts, sum = 0.0;
    for (size_t i = 0; i <= npts; ++i) {
        double lg = gt_ref_logg(lo + (double)i * h, c, w, n, beta);
        double f = lg < -700.0 ? 0.0 : -exp(lg) * lg;
        sum += (i == 0 || i == npts) ? 0.5 * f : f;
    }
    return sum * h;
}

/* The reference, checked by halving the step (beta/16 and beta/32; spectral
 * convergence: the two agree to rounding, ~1e-13, and must within 1e-12). */
double gt_ref_h1(const double *c, const double *w, size_t n, double beta)
{
    double a = gt_ref_h1_step(c, w, n, beta, 16), b = gt_ref_h1_step(c, w, n, beta, 32);
    ck_assert_msg(fabs(a - b) <= 1e-12, "reference quadrature not converged: %.3g",
                  fabs(a - b));
    return b;
}

/* ---- compensated sum and generator --------------------------------------------- */

void gt_kadd(gt_ksum *k, double x)
{
    double t = k->s + x;
    if (fabs(k->s) >= fabs(x))
        k->c += (k->s - t) + x;
    else
        k->c += (x - t) + k->s;
    k->s = t;
}

double gt_lcg01(uint64_t *st)
{
    *st = *st * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*st >> 11) * 0x1.0p-53;
}

/* ---- progress ------------------------------------------------------------------- */

void gt_prog_init(gt_prog *p, int mode)
{
    memset(p, 0, sizeof *p);
    p->monotone = p->fixed_total = p->right_thread = 1;
    p->mode = mode;
    p->caller = pthread_self();
}

int gt_on_progress(void *user, uint64_t done, uint64_t total)
{
    gt_prog *p = user;
    if (p->canceled)
        p->after_cancel++;
    if (p->calls == 0)
        p->first_total = total;
    else {
        p->monotone &= done >= p->last_done;
        p->fixed_total &= total == p->first_total;
    }
    if (!pthread_equal(pthread_self(), p->caller))
        p->right_thread = 0;
    p->calls++;
    p->last_done = done;
    p->last_total = total;
    p->finals += done == total;
    p->last_is_final = done == total;
    if (!p->canceled && (p->mode == 1 || (p->mode == 2 && done > 0 && done < total))) {
        p->canceled = p->calls;
        return 1;
    }
    return 0;
}

/* ---- stdout/stderr capture ------------------------------------------------------ */

void gt_capture_begin(gt_capture *c, const char *tmpl)
{
    snprintf(c->path, sizeof c->path, "%s", tmpl);
    c->fd = mkstemp(c->path);
    ck_assert_int_ge(c->fd, 0);
    fflush(stdout);
    fflush(stderr);
    c->save1 = dup(1);
    c->save2 = dup(2);
    ck_assert(c->save1 >= 0 && c->save2 >= 0);
    ck_assert_int_ge(dup2(c->fd, 1), 0);
    ck_assert_int_ge(dup2(c->fd, 2), 0);
}

long long gt_capture_end(gt_capture *c)
{
    fflush(stdout);
    fflush(stderr);
    dup2(c->save1, 1);
    dup2(c->save2, 2);
    close(c->save1);
    close(c->save2);
    struct stat stt;
    ck_assert_int_eq(fstat(c->fd, &stt), 0);
    close(c->fd);
    unlink(c->path);
    return (long long)stt.st_size;
}

/* ---- suites --------------------------------------------------------------------- */

TCase *gt_tcase(Suite *s, const char *name, double timeout)
{
    TCase *tc = tcase_create(name);
    if (timeout > 0.0)
        tcase_set_timeout(tc, timeout);
    suite_add_tcase(s, tc);
    return tc;
}

int gt_light(void)
{
    const char *v = getenv("GCENT_TEST_LIGHT");
    return v != NULL && v[0] != '\0' && strcmp(v, "0") != 0;
}
