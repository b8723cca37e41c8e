/* Bad input (gcent/entropy.h "Conventions"): every bad argument returns the
 * documented status, writes no output, leaves a one-line reason in
 * gcent_ctx_errmsg and prints nothing. Also the progress callback contract
 * (gcent/context.h): monotone done, fixed total, final done == total, and
 * cancellation with GCENT_ECANCELED. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "tests.h"

#define SENTINEL (-12345.6789)

/* ---- one table of bad calls, shared by the checks and the no-print test ---- */

static const double good_s[8] = {0.0, 0.5, 1.0, -0.3, 0.2, 0.2, 2.0, 1.0}; /* 4 x 2 */

enum fn { F_ENTROPY, F_BOUNDS, F_NOISE };

typedef struct bad_call {
    const char *what;
    enum fn fn;
    int null_ctx, null_out, null_lo, null_up;
    const double *s; /* NULL: pass NULL */
    size_t n, d, lds;
    const double *w;
    double beta;
    int method;      /* for F_ENTROPY */
    int expect;
} bad_call;

static double s_nan[8], s_inf[8], s_ninf[8], w_neg[4], w_hi[4], w_lo[4], w_nan[4],
    w_inf[4], dummy[4];

static void init_data(void)
{
    memcpy(s_nan, good_s, sizeof s_nan);
    memcpy(s_inf, good_s, sizeof s_inf);
    memcpy(s_ninf, good_s, sizeof s_ninf);
    s_nan[7] = NAN;      /* last value of the last row */
    s_inf[0] = INFINITY; /* first value */
    s_ninf[3] = -INFINITY;
    const double wn[4] = {0.6, 0.6, -0.2, 0.0};
    memcpy(w_neg, wn, sizeof w_neg);
    for (int i = 0; i < 4; ++i) {
        w_hi[i] = 0.25;
        w_lo[i] = 0.25;
        w_nan[i] = 0.25;
        w_inf[i] = 0.25;
    }
    w_hi[1] += 1e-6; /* sum 1 + 1e-6 */
    w_lo[2] -= 1e-6; /* sum 1 - 1e-6 */
    w_nan[3] = NAN;
    w_inf[0] = INFINITY;
    for (int i = 0; i < 4; ++i)
        dummy[i] = 1.0;
}

#define HUGE_N ((SIZE_MAX / 2) + 1)

static const bad_call bad_calls[] = {
    /* entropy */
    {"entropy ctx NULL", F_ENTROPY, 1, 0, 0, 0, good_s, 4, 2, 2, NULL, 0.5, 1, GCENT_EINVAL},
    {"entropy s NULL", F_ENTROPY, 0, 0, 0, 0, NULL, 4, 2, 2, NULL, 0.5, 1, GCENT_EINVAL},
    {"entropy out NULL", F_ENTROPY, 0, 1, 0, 0, good_s, 4, 2, 2, NULL, 0.5, 1, GCENT_EINVAL},
    {"entropy n 0", F_ENTROPY, 0, 0, 0, 0, good_s, 0, 2, 2, NULL, 0.5, 1, GCENT_EINVAL},
    {"entropy d 0", F_ENTROPY, 0, 0, 0, 0, good_s, 4, 0, 2, NULL, 0.5, 1, GCENT_EINVAL},
    {"entropy lds < d", F_ENTROPY, 0, 0, 0, 0, good_s, 4, 2, 1, NULL, 0.5, 1, GCENT_EINVAL},
    {"entropy lds 0", F_ENTROPY, 0, 0, 0, 0, good_s, 4, 1, 0, NULL, 0.5, 1, GCENT_EINVAL},
    {"entropy beta 0", F_ENTROPY, 0, 0, 0, 0, good_s, 4, 2, 2, NULL, 0.0, 1, GCENT_EINVAL},
    {"entropy beta -0", F_ENTROPY, 0, 0, 0, 0, good_s, 4, 2, 2, NULL, -0.0, 1, GCENT_EINVAL},
    {"entropy beta < 0", F_ENTROPY, 0, 0, 0, 0, good_s, 4, 2, 2, NULL, -0.5, 1, GCENT_EINVAL},
    {"entropy beta NaN", F_ENTROPY, 0, 0, 0, 0, good_s, 4, 2, 2, NULL, NAN, 1, GCENT_EDOM},
    {"entropy beta Inf", F_ENTROPY, 0, 0, 0, 0, good_s, 4, 2, 2, NULL, INFINITY, 1, GCENT_EDOM},
    {"entropy s NaN", F_ENTROPY, 0, 0, 0, 0, s_nan, 4, 2, 2, NULL, 0.5, 1, GCENT_EDOM},
    {"entropy s Inf", F_ENTROPY, 0, 0, 0, 0, s_inf, 4, 2, 2, NULL, 0.5, 1, GCENT_EDOM},
    {"entropy s -Inf", F_ENTROPY, 0, 0, 0, 0, s_ninf, 4, 2, 2, NULL, 0.5, 1, GCENT_EDOM},
    {"entropy s NaN quad", F_ENTROPY, 0, 0, 0, 0, s_nan, 4, 2, 2, NULL, 0.5, 2, GCENT_EDOM},
    {"entropy w < 0", F_ENTROPY, 0, 0, 0, 0, good_s, 4, 2, 2, w_neg, 0.5, 1, GCENT_EINVAL},
    {"entropy w sum 1+1e-6", F_ENTROPY, 0, 0, 0, 0, good_s, 4, 2, 2, w_hi, 0.5, 1, GCENT_EINVAL},
    {"entropy w sum 1-1e-6", F_ENTROPY, 0, 0, 0, 0, good_s, 4, 2, 2, w_lo, 0.5, 1, GCENT_EINVAL},
    {"entropy w NaN", F_ENTROPY, 0, 0, 0, 0, good_s, 4, 2, 2, w_nan, 0.5, 1, GCENT_EDOM},
    {"entropy w Inf", F_ENTROPY, 0, 0, 0, 0, good_s, 4, 2, 2, w_inf, 0.5, 1, GCENT_EDOM},
    {"entropy n*lds overflow (n)", F_ENTROPY, 0, 0, 0, 0, dummy, HUGE_N, 1, 2, NULL, 0.5, 1,
     GCENT_ERANGE},
    {"entropy n*lds overflow (lds)", F_ENTROPY, 0, 0, 0, 0, dummy, 3, 1, HUGE_N, NULL, 0.5, 1,
     GCENT_ERANGE},
    {"entropy quadrature d 3", F_ENTROPY, 0, 0, 0, 0, good_s, 2, 3, 3, NULL, 0.5, 2,
     GCENT_EUNSUPPORTED},
    /* bounds */
    {"bounds ctx NULL", F_BOUNDS, 1, 0, 0, 0, good_s, 4, 2, 2, NULL, 0.5, 0, GCENT_EINVAL},
    {"bounds s NULL", F_BOUNDS, 0, 0, 0, 0, NULL, 4, 2, 2, NULL, 0.5, 0, GCENT_EINVAL},
    {"bounds lower NULL", F_BOUNDS, 0, 0, 1, 0, good_s, 4, 2, 2, NULL, 0.5, 0, GCENT_EINVAL},
    {"bounds upper NULL", F_BOUNDS, 0, 0, 0, 1, good_s, 4, 2, 2, NULL, 0.5, 0, GCENT_EINVAL},
    {"bounds n 0", F_BOUNDS, 0, 0, 0, 0, good_s, 0, 2, 2, NULL, 0.5, 0, GCENT_EINVAL},
    {"bounds d 0", F_BOUNDS, 0, 0, 0, 0, good_s, 4, 0, 2, NULL, 0.5, 0, GCENT_EINVAL},
    {"bounds lds < d", F_BOUNDS, 0, 0, 0, 0, good_s, 4, 2, 1, NULL, 0.5, 0, GCENT_EINVAL},
    {"bounds beta 0", F_BOUNDS, 0, 0, 0, 0, good_s, 4, 2, 2, NULL, 0.0, 0, GCENT_EINVAL},
    {"bounds beta < 0", F_BOUNDS, 0, 0, 0, 0, good_s, 4, 2, 2, NULL, -2.0, 0, GCENT_EINVAL},
    {"bounds beta NaN", F_BOUNDS, 0, 0, 0, 0, good_s, 4, 2, 2, NULL, NAN, 0, GCENT_EDOM},
    {"bounds beta Inf", F_BOUNDS, 0, 0, 0, 0, good_s, 4, 2, 2, NULL, INFINITY, 0, GCENT_EDOM},
    {"bounds s NaN", F_BOUNDS, 0, 0, 0, 0, s_nan, 4, 2, 2, NULL, 0.5, 0, GCENT_EDOM},
    {"bounds s Inf", F_BOUNDS, 0, 0, 0, 0, s_inf, 4, 2, 2, NULL, 0.5, 0, GCENT_EDOM},
    {"bounds w < 0", F_BOUNDS, 0, 0, 0, 0, good_s, 4, 2, 2, w_neg, 0.5, 0, GCENT_EINVAL},
    {"bounds w sum 1+1e-6", F_BOUNDS, 0, 0, 0, 0, good_s, 4, 2, 2, w_hi, 0.5, 0, GCENT_EINVAL},
    {"bounds w sum 1-1e-6", F_BOUNDS, 0, 0, 0, 0, good_s, 4, 2, 2, w_lo, 0.5, 0, GCENT_EINVAL},
    {"bounds w NaN", F_BOUNDS, 0, 0, 0, 0, good_s, 4, 2, 2, w_nan, 0.5, 0, GCENT_EDOM},
    {"bounds n*lds overflow", F_BOUNDS, 0, 0, 0, 0, dummy, HUGE_N, 1, 2, NULL, 0.5, 0,
     GCENT_ERANGE},
    {"bounds n*lds overflow (lds)", F_BOUNDS, 0, 0, 0, 0, dummy, 3, 1, HUGE_N, NULL, 0.5, 0,
     GCENT_ERANGE},
    /* noise entropy (d, beta) */
    {"noise ctx NULL", F_NOISE, 1, 0, 0, 0, NULL, 0, 2, 0, NULL, 0.5, 0, GCENT_EINVAL},
    {"noise out NULL", F_NOISE, 0, 1, 0, 0, NULL, 0, 2, 0, NULL, 0.5, 0, GCENT_EINVAL},
    {"noise d 0", F_NOISE, 0, 0, 0, 0, NULL, 0, 0, 0, NULL, 0.5, 0, GCENT_EINVAL},
    {"noise beta 0", F_NOISE, 0, 0, 0, 0, NULL, 0, 2, 0, NULL, 0.0, 0, GCENT_EINVAL},
    {"noise beta < 0", F_NOISE, 0, 0, 0, 0, NULL, 0, 2, 0, NULL, -1.0, 0, GCENT_EINVAL},
    {"noise beta NaN", F_NOISE, 0, 0, 0, 0, NULL, 0, 2, 0, NULL, NAN, 0, GCENT_EDOM},
    {"noise beta Inf", F_NOISE, 0, 0, 0, 0, NULL, 0, 2, 0, NULL, INFINITY, 0, GCENT_EDOM},
};
#define NBAD (sizeof bad_calls / sizeof bad_calls[0])

typedef struct outcome {
    int status;
    int untouched;  /* outputs still hold the sentinel */
    int msg_ok;     /* one-line non-empty message (ctx non-NULL only) */
} outcome;

static outcome do_bad(gcent_ctx *ctx, const bad_call *b)
{
    outcome o = {0, 0, 1};
    gcent_ctx *c = b->null_ctx ? NULL : ctx;
    gcent_ctx_set(ctx, GCENT_OPT_METHOD, b->method);
    if (b->fn == F_ENTROPY) {
        gcent_estimate e, ref;
        memset(&e, 0x5a, sizeof e);
        memcpy(&ref, &e, sizeof e);
        o.status = gcent_entropy(c, b->s, b->n, b->d, b->lds, b->w, b->beta,
                                 b->null_out ? NULL : &e);
        o.untouched = memcmp(&e, &ref, sizeof e) == 0;
    } else if (b->fn == F_BOUNDS) {
        double lo = SENTINEL, up = SENTINEL;
        o.status = gcent_entropy_bounds(c, b->s, b->n, b->d, b->lds, b->w, b->beta,
                                        b->null_lo ? NULL : &lo, b->null_up ? NULL : &up);
        o.untouched = lo == SENTINEL && up == SENTINEL;
    } else {
        double h = SENTINEL;
        o.status = gcent_noise_entropy(c, b->d, b->beta, b->null_out ? NULL : &h);
        o.untouched = h == SENTINEL;
    }
    if (!b->null_ctx)
        o.msg_ok = gt_one_line(ctx);
    return o;
}

/* Every bad call: documented status, outputs untouched, one-line message;
 * then a good call on the same context succeeds and clears the message. */
START_TEST(test_bad_inputs)
{
    init_data();
    gcent_ctx *ctx = gt_ctx(GCENT_METHOD_MC, 4, 1);
    for (size_t i = 0; i < NBAD; ++i) {
        outcome o = do_bad(ctx, &bad_calls[i]);
        ck_assert_msg(o.status == bad_calls[i].expect, "%s: status %d (%s), expected %d",
                      bad_calls[i].what, o.status, gcent_ctx_errmsg(ctx), bad_calls[i].expect);
        ck_assert_msg(o.untouched, "%s: output written on failure", bad_calls[i].what);
        ck_assert_msg(o.msg_ok, "%s: errmsg \"%s\" is not one non-empty line",
                      bad_calls[i].what, gcent_ctx_errmsg(ctx));
        /* the context is still usable and a success clears the message */
        gcent_ctx_set(ctx, GCENT_OPT_METHOD, GCENT_METHOD_MC);
        gcent_estimate e;
        ck_assert_int_eq(gcent_entropy(ctx, good_s, 4, 2, 2, NULL, 0.5, &e), GCENT_OK);
        ck_assert_msg(strcmp(gcent_ctx_errmsg(ctx), "") == 0,
                      "after %s, a success left errmsg \"%s\"", bad_calls[i].what,
                      gcent_ctx_errmsg(ctx));
    }
    gcent_ctx_free(ctx);
}
END_TEST

/* Nothing is printed: stdout and stderr redirected to a temporary file
 * around the whole batch of bad calls; the file must stay empty. */
START_TEST(test_nothing_printed)
{
    init_data();
    gcent_ctx *ctx = gt_ctx(GCENT_METHOD_MC, 4, 1);
    gt_capture cap;
    gt_capture_begin(&cap, "/tmp/gcent-test-XXXXXX");
    int statuses[NBAD];
    for (size_t i = 0; i < NBAD; ++i)
        statuses[i] = do_bad(ctx, &bad_calls[i]).status;
    /* and bad options */
    int opt_st = gcent_ctx_set(ctx, GCENT_OPT_MC_DRAWS, -1.0);
    opt_st |= gcent_ctx_set(ctx, (gcent_opt)999, 1.0);
    opt_st |= gcent_ctx_set(ctx, GCENT_OPT_LOG_BASE, NAN);
    long long printed = gt_capture_end(&cap);
    for (size_t i = 0; i < NBAD; ++i)
        ck_assert_int_ne(statuses[i], GCENT_OK);
    ck_assert_int_ne(opt_st, GCENT_OK);
    ck_assert_msg(printed == 0, "the library printed %lld bytes", printed);
    gcent_ctx_free(ctx);
}
END_TEST

/* Weights within 1e-9 of summing to 1 are accepted (1 + 5e-11), zero
 * weights are legal. */
START_TEST(test_weights_accepted)
{
    gcent_ctx *ctx = gt_ctx(GCENT_METHOD_MC, 4, 1);
    const double w1[4] = {0.25 + 5e-11, 0.25, 0.25, 0.25};
    const double w0[4] = {0.5, 0.0, 0.5, 0.0};
    gcent_estimate e;
    double lo, up;
    ck_assert_int_eq(gcent_entropy(ctx, good_s, 4, 2, 2, w1, 0.5, &e), GCENT_OK);
    ck_assert_int_eq(gcent_entropy(ctx, good_s, 4, 2, 2, w0, 0.5, &e), GCENT_OK);
    ck_assert_int_eq(gcent_entropy_bounds(ctx, good_s, 4, 2, 2, w1, 0.5, &lo, &up), GCENT_OK);
    ck_assert_int_eq(gcent_entropy_bounds(ctx, good_s, 4, 2, 2, w0, 0.5, &lo, &up), GCENT_OK);
    gcent_ctx_free(ctx);
}
END_TEST

/* Padding is never read: NaN in the lds - d padding columns, the call
 * succeeds and equals the packed call (same rows, same seed: identical
 * computation, 1e-12), for MC, quadrature and the bounds. */
START_TEST(test_padding_not_read)
{
    enum { N = 6, D = 2, LDS = 3 };
    double packed[N * D], padded[N * LDS];
    gcent_rng_normals(31u, 0u, 0u, N * D, packed);
    for (size_t i = 0; i < N; ++i) {
        for (size_t k = 0; k < D; ++k)
            padded[i * LDS + k] = packed[i * D + k];
        padded[i * LDS + D] = NAN;
    }
    for (int meth = 1; meth <= 2; ++meth) {
        gcent_ctx *ctx = gt_ctx(meth, 8, 3);
        gcent_estimate a, b;
        ck_assert_int_eq(gcent_entropy(ctx, packed, N, D, D, NULL, 0.4, &a), GCENT_OK);
        int st = gcent_entropy(ctx, padded, N, D, LDS, NULL, 0.4, &b);
        ck_assert_msg(st == GCENT_OK, "NaN padding read: %d %s", st, gcent_ctx_errmsg(ctx));
        ck_assert_double_eq_tol(a.value, b.value, 1e-12);
        ck_assert_double_eq_tol(a.se, b.se, 1e-12);
        double l1, u1, l2, u2;
        ck_assert_int_eq(gcent_entropy_bounds(ctx, packed, N, D, D, NULL, 0.4, &l1, &u1),
                         GCENT_OK);
        ck_assert_int_eq(gcent_entropy_bounds(ctx, padded, N, D, LDS, NULL, 0.4, &l2, &u2),
                         GCENT_OK);
        ck_assert_double_eq_tol(l1, l2, 1e-12);
        ck_assert_double_eq_tol(u1, u2, 1e-12);
        gcent_ctx_free(ctx);
    }
    /* and the last row's padding may be absent: d = 1 view of a stride-3
     * array whose last row is cut after its first value */
    gcent_ctx *ctx = gt_ctx(GCENT_METHOD_MC, 8, 3);
    double cut[(N - 1) * LDS + 1], col[N];
    for (size_t i = 0; i < N; ++i) {
        col[i] = packed[i * D];
        cut[i * LDS] = col[i];
        if (i + 1 < N) {
            cut[i * LDS + 1] = NAN;
            cut[i * LDS + 2] = NAN;
        }
    }
    gcent_estimate a, b;
    ck_assert_int_eq(gcent_entropy(ctx, col, N, 1, 1, NULL, 0.4, &a), GCENT_OK);
    ck_assert_int_eq(gcent_entropy(ctx, cut, N, 1, LDS, NULL, 0.4, &b), GCENT_OK);
    ck_assert_double_eq_tol(a.value, b.value, 1e-12);
    gcent_ctx_free(ctx);
}
END_TEST

/* ---- progress ----------------------------------------------------------------- */

/* The three calls under test, on problems big enough for intermediate
 * reports (MC: 4000 x 4 x 4000 pairs; bounds: 4000^2 pairs x 2; quadrature:
 * 30 centres in d = 2 with beta = 0.15; each ~0.1-0.5 s). */
enum { PN = 4000, PD = 3, QN = 30 };

static int call(gcent_ctx *ctx, int which, const double *s, double out[2])
{
    if (which <= 1) {
        gcent_estimate e;
        memcpy(&e, out, sizeof e); /* keep the caller's sentinel in e */
        gcent_ctx_set(ctx, GCENT_OPT_METHOD,
                      which == 0 ? GCENT_METHOD_MC : GCENT_METHOD_QUADRATURE);
        int st = which == 0 ? gcent_entropy(ctx, s, PN, PD, PD, NULL, 0.3, &e)
                            : gcent_entropy(ctx, s, QN, 2, PD, NULL, 0.15, &e);
        memcpy(out, &e, sizeof e);
        return st;
    }
    return gcent_entropy_bounds(ctx, s, PN, PD, PD, NULL, 0.3, &out[0], &out[1]);
}

static const char *call_name[3] = {"MC", "quadrature", "bounds"};

/* A completing call: done never decreases, total is fixed, the last report
 * has done == total, every report comes from the calling thread (here with
 * 2 worker threads). */
START_TEST(test_progress_reports)
{
    double *s = malloc(PN * PD * sizeof *s);
    ck_assert_ptr_nonnull(s);
    gcent_rng_normals(5u, 5u, 0u, PN * PD, s);
    gcent_ctx *ctx = gt_ctx(GCENT_METHOD_MC, 4, 1);
    ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_THREADS, 2), GCENT_OK);
    for (int which = 0; which < 3; ++which) {
        gt_prog p;
        gt_prog_init(&p, 0);
        double out[2] = {SENTINEL, SENTINEL};
        ck_assert_int_eq(gcent_ctx_set_progress(ctx, gt_on_progress, &p), GCENT_OK);
        int st = call(ctx, which, s, out);
        ck_assert_msg(st == GCENT_OK, "%s: %d %s", call_name[which], st, gcent_ctx_errmsg(ctx));
        ck_assert_msg(p.calls >= 1, "%s: callback never called", call_name[which]);
        ck_assert_msg(p.monotone, "%s: done decreased", call_name[which]);
        ck_assert_msg(p.fixed_total, "%s: total changed", call_name[which]);
        ck_assert_msg(p.last_done == p.last_total,
                      "%s: last report done %llu != total %llu", call_name[which],
                      (unsigned long long)p.last_done, (unsigned long long)p.last_total);
        ck_assert_msg(p.last_total > 0, "%s: total 0", call_name[which]);
        ck_assert_msg(p.right_thread, "%s: callback from a worker thread", call_name[which]);
    }
    gcent_ctx_free(ctx);
    free(s);
}
END_TEST

/* Cancellation at the first report and midway (first report with
 * 0 < done < total): GCENT_ECANCELED, outputs untouched, one-line message,
 * no further reports; the context then works and gives the uncanceled
 * result bitwise. */
START_TEST(test_progress_cancel)
{
    double *s = malloc(PN * PD * sizeof *s);
    ck_assert_ptr_nonnull(s);
    gcent_rng_normals(5u, 5u, 0u, PN * PD, s);
    gcent_ctx *ctx = gt_ctx(GCENT_METHOD_MC, 4, 1);
    ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_THREADS, 2), GCENT_OK);
    for (int which = 0; which < 3; ++which) {
        double ref[2] = {0.0, 0.0};
        ck_assert_int_eq(gcent_ctx_set_progress(ctx, NULL, NULL), GCENT_OK);
        ck_assert_int_eq(call(ctx, which, s, ref), GCENT_OK);
        for (int mode = 1; mode <= 2; ++mode) {
            if (mode == 2 && which == 1)
                continue; /* quadrature size not controlled enough for "midway" */
            gt_prog p;
            gt_prog_init(&p, mode);
            ck_assert_int_eq(gcent_ctx_set_progress(ctx, gt_on_progress, &p), GCENT_OK);
            double out[2] = {SENTINEL, SENTINEL};
            int st = call(ctx, which, s, out);
            ck_assert_msg(p.canceled, "%s mode %d: no report to cancel at (%d reports)",
                          call_name[which], mode, p.calls);
            ck_assert_msg(st == GCENT_ECANCELED, "%s mode %d: status %d", call_name[which],
                          mode, st);
            ck_assert_msg(out[0] == SENTINEL && out[1] == SENTINEL,
                          "%s mode %d: output written", call_name[which], mode);
            ck_assert_msg(gt_one_line(ctx), "%s mode %d: errmsg \"%s\"", call_name[which], mode,
                          gcent_ctx_errmsg(ctx));
            ck_assert_msg(p.after_cancel == 0, "%s mode %d: %d reports after the stop",
                          call_name[which], mode, p.after_cancel);
            /* still usable: a normal call gives the reference result */
            gt_prog_init(&p, 0);
            double again[2] = {0.0, 0.0};
            ck_assert_int_eq(call(ctx, which, s, again), GCENT_OK);
            ck_assert_str_eq(gcent_ctx_errmsg(ctx), "");
            ck_assert_msg(memcmp(again, ref, sizeof ref) == 0, "%s: result changed",
                          call_name[which]);
        }
    }
    gcent_ctx_free(ctx);
    free(s);
}
END_TEST

/* Every failure's message starts with the public function that failed,
 * whatever layer found the problem, and is one line. */
START_TEST(test_message_prefixes)
{
    gcent_ctx *ctx = gt_ctx(GCENT_METHOD_MC, 2, 1);
    double s[8] = {0, 1, 2, 3, 4, 5, 6, NAN}, out = 0.0, w2 = 0.0;
    gcent_estimate e;
    gcent_layer_mi r;
    gcent_partial *part = calloc(1, sizeof *part);
    struct { int st; const char *fn; } c[12];
    int n = 0;
#define TRY(call, name) (c[n].st = (call), c[n].fn = (name), \
                         ck_assert_msg(c[n].st != GCENT_OK, "%s succeeded", name), \
                         ck_assert_msg(strncmp(gcent_ctx_errmsg(ctx), name ": ", strlen(name) + 2) == 0 \
                                       && gt_one_line(ctx), "%s: message '%s'", name, \
                                       gcent_ctx_errmsg(ctx)), ++n)
    TRY(gcent_entropy(ctx, s, 8, 1, 1, NULL, 0.1, &e), "gcent_entropy");
    TRY(gcent_entropy(ctx, s, 4, 1, 1, NULL, 1e-300, &e), "gcent_entropy");
    TRY(gcent_entropy_bounds(ctx, s, 0, 1, 1, NULL, 0.1, &out, &w2), "gcent_entropy_bounds");
    TRY(gcent_noise_entropy(ctx, 0, 0.1, &out), "gcent_noise_entropy");
    TRY(gcent_mi_layer(ctx, s, 4, 2, 1, 1, NULL, 0.1, &r), "gcent_mi_layer");
    TRY(gcent_binned_entropy(ctx, s, 4, 1, 1, -1.0, &out), "gcent_binned_entropy");
    TRY(gcent_binned_mi(ctx, s, 0, 2, 1, 1, NULL, 0.5, &out, NULL), "gcent_binned_mi");
    TRY(gcent_bin_fixed_range_ctx(ctx, 1.0, 0.0, 4, &out, &w2), "gcent_bin_fixed_range");
    TRY(gcent_ctx_set(ctx, GCENT_OPT_SEED, -1.0), "gcent_ctx_set");
    TRY(gcent_mi_layer_partial(ctx, s, 4, 1, 1, 1, NULL, 0.1, 3, 9, part), "gcent_mi_layer_partial");
    TRY(gcent_mi_layer_finish(ctx, part, &r), "gcent_mi_layer_finish");
    TRY(gcent_partial_merge_ctx(ctx, part, part), "gcent_partial_merge");
#undef TRY
    free(part);
    gcent_ctx_free(ctx);
}
END_TEST

Suite *suite_errors(void)
{
    Suite *s = suite_create("errors");
    TCase *tc = gt_tcase(s, "bad-input", 30);
    tcase_add_test(tc, test_bad_inputs);
    tcase_add_test(tc, test_nothing_printed);
    tcase_add_test(tc, test_weights_accepted);
    tcase_add_test(tc, test_padding_not_read);
    tcase_add_test(tc, test_message_prefixes);
    TCase *pr = gt_tcase(s, "progress", 60);
    tcase_set_tags(pr, "long"); /* sizes set by the work chunks: see tests.h */
    tcase_add_test(pr, test_progress_reports);
    tcase_add_test(pr, test_progress_cancel);
    return s;
}
