#define _GNU_SOURCE /* fegetexcept */
/* The caller's floating-point environment (docs/robustness.md, "Floating
 * point"), and extreme inputs.
 *
 * Policy under test:
 * - control modes -- rounding direction (fegetround), enabled traps
 *   (fegetexcept), and on x86 the x87 control word and the control bits of
 *   MXCSR (masks, rounding, flush-to-zero, denormals-are-zero) -- are the
 *   same after every public call, successful or not, whatever they were
 *   before (default, each rounding direction, FTZ+DAZ);
 * - exception flags are never cleared: flags the caller had raised are still
 *   raised after any call;
 * - a successful call raises neither FE_INVALID nor FE_DIVBYZERO nor
 *   FE_OVERFLOW in the calling thread (no NaN or infinity is made on the
 *   way, not even in vector lanes that are discarded; checked with one
 *   thread, where all the work runs in the caller); FE_INEXACT and
 *   FE_UNDERFLOW may be raised;
 * - worker threads inherit the caller's modes (POSIX), so results are
 *   bit-identical for 1 and 3 threads in every mode too.
 * And: subnormal, tiny and huge inputs give finite results or a documented
 * status, never a NaN, an infinity or a crash. */
#include <fenv.h>
#include <float.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "tests.h"

/* ---- the control state ------------------------------------------------------------ */

typedef struct fp_ctl {
    int round;
    int traps;
#if defined(__x86_64__) || defined(__i386__)
    unsigned mxcsr;      /* without the 6 sticky flag bits */
    unsigned short x87;  /* control word */
#endif
} fp_ctl;

#if defined(__x86_64__) || defined(__i386__)
#define MXCSR_FTZ 0x8000u
#define MXCSR_DAZ 0x0040u
static unsigned get_mxcsr(void)
{
    unsigned m;
    __asm__ volatile("stmxcsr %0" : "=m"(m));
    return m;
}
static void set_mxcsr(unsigned m) { __asm__ volatile("ldmxcsr %0" : : "m"(m)); }
#endif

static void fp_get(fp_ctl *c)
{
    memset(c, 0, sizeof *c);
    c->round = fegetround();
    c->traps = fegetexcept();
#if defined(__x86_64__) || defined(__i386__)
    c->mxcsr = get_mxcsr() & ~0x3Fu;
    unsigned short cw;
    __asm__ volatile("fnstcw %0" : "=m"(cw));
    c->x87 = cw;
#endif
}

/* Caller environments: the default, the three other rounding directions,
 * and (x86) flush-to-zero with denormals-are-zero. */
enum { ENV_DEFAULT, ENV_UPWARD, ENV_DOWNWARD, ENV_TOWARDZERO, ENV_FTZ_DAZ, NENV };
static const char *const env_name[NENV] = {"default", "upward", "downward", "toward zero",
                                           "FTZ+DAZ"};

/* Enter environment e; returns 0 if the platform lacks it. */
static int env_enter(int e)
{
    ck_assert_int_eq(fesetenv(FE_DFL_ENV), 0);
    switch (e) {
    case ENV_UPWARD: return fesetround(FE_UPWARD) == 0;
    case ENV_DOWNWARD: return fesetround(FE_DOWNWARD) == 0;
    case ENV_TOWARDZERO: return fesetround(FE_TOWARDZERO) == 0;
    case ENV_FTZ_DAZ:
#if defined(__x86_64__) || defined(__i386__)
        set_mxcsr(get_mxcsr() | MXCSR_FTZ | MXCSR_DAZ);
        return 1;
#else
        return 0;
#endif
    default: return 1;
    }
}

/* ---- every public call --------------------------------------------------------------- */

#define NS 60
static double S[NS * 3];
static int Y[NS];
static gcent_progress_fn no_progress;

/* Call number i (a valid call, or with `bad` an invalid one) on ctx; the
 * outputs go to out[0..5]. Returns its status, or 1 for void functions. */
enum {
    C_CREATE_FREE, C_SET, C_GET, C_BOUNDS_OPT, C_RESET, C_ERRMSG, C_PROGRESS, C_STRERROR,
    C_VERSION, C_PHILOX, C_NORMALS, C_NOISE, C_ENTROPY_MC, C_ENTROPY_Q1, C_ENTROPY_Q2,
    C_ENTROPY_W, C_BOUNDS, C_MI_MC, C_MI_Q, C_BINNED, C_BINNED_MI, C_FIXED_RANGE, NCALLS
};
static const char *const call_name[NCALLS] = {
    "ctx_create/free", "ctx_set", "ctx_get", "opt_bounds", "ctx_reset", "ctx_errmsg",
    "ctx_set_progress", "strerror", "version", "philox4x32_10", "rng_normals",
    "noise_entropy", "entropy MC", "entropy quadrature d=1", "entropy quadrature d=2",
    "entropy weighted", "entropy_bounds", "mi_layer MC", "mi_layer quadrature",
    "binned_entropy", "binned_mi", "bin_fixed_range"};

static int call(gcent_ctx *ctx, int i, int bad, double *out)
{
    const double beta = bad ? -1.0 : 0.4;
    static const double w[5] = {0.1, 0.0, 0.4, 0.25, 0.25};
    gcent_estimate e;
    gcent_layer_mi r;
    int st = 1;
    switch (i) {
    case C_CREATE_FREE: {
        gcent_ctx *c2 = NULL;
        st = gcent_ctx_create(bad ? NULL : &c2);
        gcent_ctx_free(c2);
        break;
    }
    case C_SET: st = gcent_ctx_set(ctx, GCENT_OPT_SEED, bad ? NAN : 3.0); break;
    case C_GET: st = gcent_ctx_get(ctx, bad ? (gcent_opt)999 : GCENT_OPT_SEED, out); break;
    case C_BOUNDS_OPT:
        st = gcent_opt_bounds(bad ? (gcent_opt)-7 : GCENT_OPT_LOG_BASE, out, out + 1, out + 2);
        break;
    case C_RESET:
        st = gcent_ctx_reset(bad ? NULL : ctx);
        if (!bad) {
            ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_THREADS, 1), GCENT_OK);
            ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_MC_DRAWS, 4), GCENT_OK);
        }
        break;
    case C_ERRMSG: out[0] = (double)strlen(gcent_ctx_errmsg(bad ? NULL : ctx)); break;
    case C_PROGRESS: st = gcent_ctx_set_progress(bad ? NULL : ctx, no_progress, NULL); break;
    case C_STRERROR: out[0] = (double)strlen(gcent_strerror(bad ? 12345 : GCENT_EDOM)); break;
    case C_VERSION:
        out[0] = (double)gcent_version_number() + (double)strlen(gcent_version_string());
        break;
    case C_PHILOX: {
        uint32_t ctr[4] = {1, 2, 3, 4}, key[2] = {5, 6}, o[4];
        gcent_philox4x32_10(ctr, key, o);
        out[0] = (double)o[0];
        break;
    }
    case C_NORMALS: gcent_rng_normals(7, 8, bad ? UINT64_MAX - 2 : 9, 6, out); break;
    case C_NOISE: st = gcent_noise_entropy(ctx, 3, beta, out); break;
    case C_ENTROPY_MC:
    case C_ENTROPY_Q1:
    case C_ENTROPY_Q2: {
        static const int method[3] = {GCENT_METHOD_MC, GCENT_METHOD_QUADRATURE,
                                      GCENT_METHOD_QUADRATURE};
        static const size_t dim[3] = {3, 1, 2}, rows[3] = {NS, NS, 8};
        int k = i - C_ENTROPY_MC;
        ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_METHOD, method[k]), GCENT_OK);
        st = gcent_entropy(ctx, S, rows[k], dim[k], 3, NULL, beta, &e);
        if (st == GCENT_OK) {
            out[0] = e.value;
            out[1] = e.se;
        }
        break;
    }
    case C_ENTROPY_W:
        ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_METHOD, GCENT_METHOD_MC), GCENT_OK);
        st = gcent_entropy(ctx, S, 5, 3, 3, w, beta, &e);
        if (st == GCENT_OK) {
            out[0] = e.value;
            out[1] = e.se;
        }
        break;
    case C_BOUNDS: st = gcent_entropy_bounds(ctx, S, NS, 3, 3, NULL, beta, out, out + 1); break;
    case C_MI_MC:
    case C_MI_Q: {
        int q = i == C_MI_Q;
        ck_assert_int_eq(
            gcent_ctx_set(ctx, GCENT_OPT_METHOD, q ? GCENT_METHOD_QUADRATURE : GCENT_METHOD_MC),
            GCENT_OK);
        st = gcent_mi_layer(ctx, S, q ? 10 : NS / 3, 3, q ? 1 : 3, 3, Y, beta, &r);
        if (st == GCENT_OK) {
            out[0] = r.ht.value;
            out[1] = r.ht.se;
            out[2] = r.ixt.value;
            out[3] = r.ixt.se;
            out[4] = r.iyt.value;
            out[5] = r.iyt.se;
        }
        break;
    }
    case C_BINNED: st = gcent_binned_entropy(ctx, S, NS, 3, 3, bad ? 0.0 : 0.5, out); break;
    case C_BINNED_MI:
        st = gcent_binned_mi(ctx, S, NS / 3, 3, 3, 3, Y, bad ? NAN : 0.5, out, out + 1);
        break;
    case C_FIXED_RANGE:
        st = gcent_bin_fixed_range(-1.0, bad ? -2.0 : 1.0, 30, out, out + 1);
        break;
    }
    return st;
}

static void init_inputs(void)
{
    gcent_rng_normals(11, 3, 0, NS * 3, S);
    for (int i = 0; i < NS; ++i)
        Y[i] = i % 3;
}

/* Every call, valid and invalid, in every environment: control state as
 * before, the caller's raised flags still raised. */
START_TEST(test_control_modes_and_flags_kept)
{
    init_inputs();
    for (int env = 0; env < NENV; ++env) {
        if (!env_enter(env))
            continue;
        for (int raised = 0; raised < 2; ++raised) {
            gcent_ctx *ctx = gt_ctx(GCENT_METHOD_MC, 4, 1);
            ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_THREADS, raised ? 1 : 2), GCENT_OK);
            for (int i = 0; i < NCALLS; ++i)
                for (int bad = 0; bad < 2; ++bad) {
                    double out[6] = {0, 0, 0, 0, 0, 0};
                    feclearexcept(FE_ALL_EXCEPT);
                    if (raised)
                        feraiseexcept(FE_ALL_EXCEPT);
                    fp_ctl before, after;
                    fp_get(&before);
                    int st = call(ctx, i, bad, out);
                    fp_get(&after);
                    int flags = fetestexcept(FE_ALL_EXCEPT);
                    ck_assert_msg(memcmp(&before, &after, sizeof before) == 0,
                                  "%s (%s, %s): control state changed", call_name[i],
                                  bad ? "invalid" : "valid", env_name[env]);
                    if (raised)
                        ck_assert_msg(flags == FE_ALL_EXCEPT,
                                      "%s (%s, %s): exception flags %#x cleared", call_name[i],
                                      bad ? "invalid" : "valid", env_name[env],
                                      (unsigned)(FE_ALL_EXCEPT & ~flags));
                    if (!bad)
                        ck_assert_msg(st == GCENT_OK || st == 1, "%s (%s): status %d",
                                      call_name[i], env_name[env], st);
                    for (int k = 0; k < 6; ++k)
                        ck_assert_msg(isfinite(out[k]), "%s (%s): output %d = %g", call_name[i],
                                      env_name[env], k, out[k]);
                }
            gcent_ctx_free(ctx);
        }
    }
    fesetenv(FE_DFL_ENV);
}
END_TEST

/* With one thread all the work runs in the caller: a successful call raises
 * no FE_INVALID, FE_DIVBYZERO or FE_OVERFLOW, in every environment (a caller
 * that traps them must be able to use the library). */
START_TEST(test_no_invalid_flags_on_valid_input)
{
    init_inputs();
    for (int env = 0; env < NENV; ++env) {
        if (!env_enter(env))
            continue;
        gcent_ctx *ctx = gt_ctx(GCENT_METHOD_MC, 4, 1);
        ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_THREADS, 1), GCENT_OK);
        for (int i = 0; i < NCALLS; ++i) {
            double out[6] = {0, 0, 0, 0, 0, 0};
            feclearexcept(FE_ALL_EXCEPT);
            int st = call(ctx, i, 0, out);
            int flags = fetestexcept(FE_INVALID | FE_DIVBYZERO | FE_OVERFLOW);
            ck_assert_msg(st == GCENT_OK || st == 1, "%s: status %d", call_name[i], st);
            ck_assert_msg(flags == 0, "%s (%s): raised%s%s%s", call_name[i], env_name[env],
                          flags & FE_INVALID ? " FE_INVALID" : "",
                          flags & FE_DIVBYZERO ? " FE_DIVBYZERO" : "",
                          flags & FE_OVERFLOW ? " FE_OVERFLOW" : "");
        }
        gcent_ctx_free(ctx);
    }
    fesetenv(FE_DFL_ENV);
}
END_TEST

/* Worker threads inherit the caller's modes: the same bits for 1 and 3
 * threads in every environment (and, in the default one, the values the
 * suite checks elsewhere). */
START_TEST(test_threads_bitwise_in_every_mode)
{
    init_inputs();
    static const int calls[] = {C_ENTROPY_MC, C_ENTROPY_Q1, C_BOUNDS, C_MI_MC, C_BINNED_MI};
    for (int env = 0; env < NENV; ++env) {
        if (!env_enter(env))
            continue;
        for (size_t c = 0; c < sizeof calls / sizeof calls[0]; ++c) {
            double out[2][6];
            memset(out, 0, sizeof out);
            for (int t = 0; t < 2; ++t) {
                gcent_ctx *ctx = gt_ctx(GCENT_METHOD_MC, 4, 1);
                ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_THREADS, t ? 3 : 1), GCENT_OK);
                ck_assert_int_eq(call(ctx, calls[c], 0, out[t]), GCENT_OK);
                gcent_ctx_free(ctx);
            }
            ck_assert_msg(memcmp(out[0], out[1], sizeof out[0]) == 0,
                          "%s (%s): 1 and 3 threads differ", call_name[calls[c]], env_name[env]);
        }
    }
    fesetenv(FE_DFL_ENV);
}
END_TEST

/* ---- extreme inputs -------------------------------------------------------------------- */

#define DMIN_SUB 4.9406564584124654e-324 /* smallest subnormal */

/* Run every estimator on rows s (n x d, stride d) with noise beta and bin
 * width width; each call must succeed with finite outputs or fail with one of
 * the statuses allowed in `allowed` (a bit per -status), leaving its outputs
 * alone. Returns the number of successful calls. */
static int all_finite_or_status(const double *s, size_t n, size_t d, double beta, double width,
                                unsigned allowed, const char *what)
{
    int ok = 0;
    int *y = malloc(n * sizeof *y);
    ck_assert(y);
    for (size_t i = 0; i < n; ++i)
        y[i] = (int)(i % 2);
    /* (AUTO would repeat one of the two for these small problems) */
    for (int method = GCENT_METHOD_MC; method <= GCENT_METHOD_QUADRATURE; ++method) {
        if (method == GCENT_METHOD_QUADRATURE && d > 2)
            continue;
        gcent_ctx *ctx = gt_ctx(method, 4, 1);
        ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_THREADS, 2), GCENT_OK);
        for (int f = 0; f < 5; ++f) {
            double out[6];
            for (int k = 0; k < 6; ++k)
                out[k] = -777.0;
            gcent_estimate e = {-777.0, -777.0};
            gcent_layer_mi r;
            r.ht = r.ixt = r.iyt = e;
            int st;
            size_t m = n / 2 ? n / 2 : 1, k = n / m;
            switch (f) {
            case 0:
                st = gcent_entropy(ctx, s, n, d, d, NULL, beta, &e);
                out[0] = e.value;
                out[1] = e.se;
                break;
            case 1: st = gcent_entropy_bounds(ctx, s, n, d, d, NULL, beta, out, out + 1); break;
            case 2:
                st = gcent_mi_layer(ctx, s, m, k, d, d, y, beta, &r);
                out[0] = r.ht.value;
                out[1] = r.ixt.value;
                out[2] = r.iyt.value;
                out[3] = r.ht.se + r.ixt.se + r.iyt.se;
                break;
            case 3: st = gcent_binned_entropy(ctx, s, n, d, d, width, out); break;
            default: st = gcent_binned_mi(ctx, s, m, k, d, d, y, width, out, out + 1); break;
            }
            if (st == GCENT_OK) {
                ++ok;
                for (int j = 0; j < 6; ++j)
                    ck_assert_msg(isfinite(out[j]), "%s: call %d (method %d): output %d = %g",
                                  what, f, method, j, out[j]);
                ck_assert_str_eq(gcent_ctx_errmsg(ctx), "");
            } else {
                ck_assert_msg(st < 0 && (allowed & (1u << -st)),
                              "%s: call %d (method %d): status %d (%s)", what, f, method, st,
                              gcent_ctx_errmsg(ctx));
                ck_assert(gt_one_line(ctx));
                for (int j = 0; j < 6; ++j)
                    if (f != 0 && f != 2)
                        ck_assert_msg(out[j] == -777.0, "%s: call %d wrote on error", what, f);
                ck_assert(e.value == -777.0 && r.ixt.value == -777.0);
            }
        }
        gcent_ctx_free(ctx);
    }
    free(y);
    return ok;
}

#define ALLOW(st) (1u << -(st))

/* Subnormal, tiny and huge samples, noise levels and widths: finite results
 * (checked against the closed form where there is one) or GCENT_ERANGE, the
 * documented status for a spread too large for beta or a bin index beyond
 * 64 bits. */
START_TEST(test_extreme_inputs)
{
    double s[8];
    /* subnormal samples, beta 1: the mixture is h(Z) to rounding */
    for (int i = 0; i < 8; ++i)
        s[i] = DMIN_SUB * (double)(i * 37 % 11);
    ck_assert_int_eq(all_finite_or_status(s, 8, 1, 1.0, 1.0, 0, "subnormal samples"), 10);
    {
        gcent_ctx *ctx = gt_ctx(GCENT_METHOD_MC, 4, 1);
        gcent_estimate e;
        ck_assert_int_eq(gcent_entropy(ctx, s, 8, 1, 1, NULL, 1.0, &e), GCENT_OK);
        ck_assert_double_eq_tol(e.value, gt_hz(1, 1.0), 1e-12);
        gcent_ctx_free(ctx);
    }
    /* subnormal beta with identical rows: h(Z) = (d/2) ln(2 pi e beta^2), about
     * -743 per coordinate; with distinct rows the spread is too large */
    for (int i = 0; i < 8; ++i)
        s[i] = 0.25;
    ck_assert_int_eq(all_finite_or_status(s, 4, 2, DMIN_SUB, DMIN_SUB, ALLOW(GCENT_ERANGE),
                                          "subnormal beta, identical rows"),
                     6); /* not the binned calls: 0.25 / beta is beyond 2^63 bins */
    {
        gcent_ctx *ctx = gt_ctx(GCENT_METHOD_AUTO, 4, 1);
        gcent_estimate e;
        ck_assert_int_eq(gcent_entropy(ctx, s, 4, 2, 2, NULL, DMIN_SUB, &e), GCENT_OK);
        ck_assert_double_eq_tol(e.value, gt_hz(2, DMIN_SUB), 1e-9);
        ck_assert(e.value < -2 * 743.0);
        s[3] = 0.5;
        ck_assert_int_eq(gcent_entropy(ctx, s, 4, 2, 2, NULL, DMIN_SUB, &e), GCENT_ERANGE);
        gcent_ctx_free(ctx);
    }
    /* huge samples (near +-DBL_MAX, differences overflow) with a huge beta */
    static const double big[8] = {DBL_MAX, -DBL_MAX, DBL_MAX / 3, -DBL_MAX / 7,
                                  1e308,   -1e308,   0.0,         DBL_MAX};
    all_finite_or_status(big, 4, 2, DBL_MAX, DBL_MAX, ALLOW(GCENT_ERANGE), "beta DBL_MAX");
    ck_assert_int_ge(all_finite_or_status(big, 8, 1, 1e300, 1e300, ALLOW(GCENT_ERANGE),
                                          "huge samples"),
                     1);
    /* huge beta against ordinary samples: h(Z) + tiny; DBL_MAX squared overflows
     * if formed */
    for (int i = 0; i < 8; ++i)
        s[i] = (double)i;
    ck_assert_int_eq(
        all_finite_or_status(s, 8, 1, DBL_MAX, 0.5, 0, "beta DBL_MAX, ordinary samples"), 10);
    {
        gcent_ctx *ctx = gt_ctx(GCENT_METHOD_MC, 4, 1);
        gcent_estimate e;
        ck_assert_int_eq(gcent_entropy(ctx, s, 8, 1, 1, NULL, DBL_MAX, &e), GCENT_OK);
        ck_assert_double_eq_tol(e.value, gt_hz(1, DBL_MAX), 1e-9);
        gcent_ctx_free(ctx);
    }
    /* bin widths: subnormal (indices beyond 2^63: GCENT_ERANGE), DBL_MAX (bins -1, 0) */
    ck_assert_int_eq(all_finite_or_status(s, 8, 1, 1.0, DMIN_SUB, ALLOW(GCENT_ERANGE),
                                          "subnormal width"),
                     6); /* all but the binned calls */
    ck_assert_int_eq(all_finite_or_status(big, 8, 1, 1e300, DBL_MAX, ALLOW(GCENT_ERANGE),
                                          "width DBL_MAX"),
                     all_finite_or_status(big, 8, 1, 1e300, 1.0, ALLOW(GCENT_ERANGE),
                                          "width 1") + 4);
}
END_TEST

/* After every test of this file, even a failed one under CK_FORK=no: the
 * default environment again, so that no later test runs in a mode set here. */
static void fp_restore(void) { fesetenv(FE_DFL_ENV); }

Suite *suite_fpenv(void)
{
    Suite *s = suite_create("fpenv");
    TCase *tc = gt_tcase(s, "environment", 60);
    /* Valgrind does not emulate the sticky exception flags nor FTZ/DAZ:
     * make check-valgrind excludes this case (CK_EXCLUDE_TAGS=native-fp) */
    tcase_set_tags(tc, "native-fp");
    tcase_add_checked_fixture(tc, NULL, fp_restore);
    tcase_add_test(tc, test_control_modes_and_flags_kept);
    tcase_add_test(tc, test_no_invalid_flags_on_valid_input);
    tcase_add_test(tc, test_threads_bitwise_in_every_mode);
    TCase *ex = gt_tcase(s, "extreme-inputs", 60);
    tcase_add_checked_fixture(ex, NULL, fp_restore);
    tcase_add_test(ex, test_extreme_inputs);
    return s;
}
