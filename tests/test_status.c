/* Status codes, version, context and options (gcent/status.h, gcent/version.h,
 * gcent/context.h). Every check below is a sentence of those headers. */
#include <float.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include "tests.h"

#define TWO53 9007199254740992.0 /* 2^53 */
#define TWO24 16777216.0         /* 2^24 */

static const int all_codes[] = {GCENT_OK,           GCENT_EINVAL,    GCENT_ENOMEM,
                                GCENT_EDOM,         GCENT_ERANGE,    GCENT_EUNSUPPORTED,
                                GCENT_ECANCELED,    GCENT_ELINALG};
#define NCODES (sizeof all_codes / sizeof all_codes[0])

static const gcent_opt all_opts[] = {GCENT_OPT_SEED,     GCENT_OPT_MC_DRAWS,
                                     GCENT_OPT_THREADS,  GCENT_OPT_LOG_BASE,
                                     GCENT_OPT_METHOD,   GCENT_OPT_BIN_ORIGIN,
                                     GCENT_OPT_QUAD_TOL, GCENT_OPT_PRUNE,
                                     GCENT_OPT_PRUNE_TOL, GCENT_OPT_PRECISION};
/* an accepted non-default value of each option, in the order of all_opts */
static const double nondefault[] = {42.0, 3.0, 2.0, 2.0, 1.0, -0.75, 1e-6, 2.0, 1e-9, 2.0};
#define NOPTS (sizeof all_opts / sizeof all_opts[0])

/* Default of every option as documented in gcent/context.h. */
static double documented_default(gcent_opt o)
{
    switch (o) {
    case GCENT_OPT_SEED: return 0.0;
    case GCENT_OPT_MC_DRAWS: return 16.0;
    case GCENT_OPT_THREADS: return 0.0;
    case GCENT_OPT_LOG_BASE: return exp(1.0);
    case GCENT_OPT_METHOD: return (double)GCENT_METHOD_AUTO;
    case GCENT_OPT_BIN_ORIGIN: return 0.0;
    case GCENT_OPT_QUAD_TOL: return 1e-11;
    case GCENT_OPT_PRUNE: return (double)GCENT_PRUNE_ON;
    case GCENT_OPT_PRUNE_TOL: return 1e-12;
    case GCENT_OPT_PRECISION: return (double)GCENT_PRECISION_DOUBLE;
    case GCENT_INFO_LAST_METHOD: return 0.0; /* read-only, not in all_opts */
    }
    return NAN;
}

/* The one-line message convention: non-empty, no newline. */
static void assert_one_line_msg(const gcent_ctx *ctx)
{
    const char *m = gcent_ctx_errmsg(ctx);
    ck_assert_ptr_nonnull(m);
    ck_assert_msg(m[0] != '\0', "empty error message after a failure");
    ck_assert_msg(strchr(m, '\n') == NULL, "error message has a newline: \"%s\"", m);
}

/* The pinned ABI values of the status codes (gcent/status.h). */
START_TEST(test_status_values)
{
    ck_assert_int_eq(GCENT_OK, 0);
    ck_assert_int_eq(GCENT_EINVAL, -1);
    ck_assert_int_eq(GCENT_ENOMEM, -2);
    ck_assert_int_eq(GCENT_EDOM, -3);
    ck_assert_int_eq(GCENT_ERANGE, -4);
    ck_assert_int_eq(GCENT_EUNSUPPORTED, -5);
    ck_assert_int_eq(GCENT_ECANCELED, -6);
    ck_assert_int_eq(GCENT_ELINALG, -7);
    ck_assert_int_eq(GCENT_OPT_SEED, 1);
    ck_assert_int_eq(GCENT_OPT_MC_DRAWS, 2);
    ck_assert_int_eq(GCENT_OPT_THREADS, 3);
    ck_assert_int_eq(GCENT_OPT_LOG_BASE, 4);
    ck_assert_int_eq(GCENT_OPT_METHOD, 5);
    ck_assert_int_eq(GCENT_OPT_BIN_ORIGIN, 6);
    ck_assert_int_eq(GCENT_OPT_QUAD_TOL, 100);
    ck_assert_int_eq(GCENT_OPT_PRUNE, 7);
    ck_assert_int_eq(GCENT_OPT_PRUNE_TOL, 101);
    ck_assert_int_eq(GCENT_PRUNE_ON, 1);
    ck_assert_int_eq(GCENT_PRUNE_OFF, 2);
    ck_assert_int_eq(GCENT_OPT_PRECISION, 8);
    ck_assert_int_eq(GCENT_PRECISION_DOUBLE, 1);
    ck_assert_int_eq(GCENT_PRECISION_SINGLE, 2);
}
END_TEST

/* gcent_strerror: never NULL, non-empty and distinct for every known code;
 * non-NULL for unknown codes. */
START_TEST(test_strerror)
{
    for (size_t i = 0; i < NCODES; ++i) {
        const char *a = gcent_strerror(all_codes[i]);
        ck_assert_ptr_nonnull(a);
        ck_assert_msg(a[0] != '\0', "empty text for code %d", all_codes[i]);
        ck_assert_msg(strchr(a, '\n') == NULL, "newline in text for %d", all_codes[i]);
        for (size_t j = 0; j < i; ++j)
            ck_assert_msg(strcmp(a, gcent_strerror(all_codes[j])) != 0,
                          "codes %d and %d share the text \"%s\"", all_codes[i],
                          all_codes[j], a);
    }
    const int unknown[] = {1, 2, -8, -100, 12345, INT_MIN, INT_MAX};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; ++i) {
        const char *u = gcent_strerror(unknown[i]);
        ck_assert_ptr_nonnull(u);
        ck_assert_msg(u[0] != '\0', "empty text for unknown code %d", unknown[i]);
    }
    /* Static text: the same pointer/contents on a second call. */
    ck_assert_str_eq(gcent_strerror(GCENT_EDOM), gcent_strerror(GCENT_EDOM));
}
END_TEST

/* Header and linked library agree on the version. */
START_TEST(test_version)
{
    ck_assert_uint_eq(gcent_version_number(), (unsigned)GCENT_VERSION_NUMBER);
    ck_assert_ptr_nonnull(gcent_version_string());
    ck_assert_str_eq(gcent_version_string(), GCENT_VERSION_STRING);
    char buf[64];
    snprintf(buf, sizeof buf, "%d.%d.%d", GCENT_VERSION_MAJOR, GCENT_VERSION_MINOR,
             GCENT_VERSION_PATCH);
    ck_assert_str_eq(buf, GCENT_VERSION_STRING);
    ck_assert_int_eq(GCENT_VERSION_NUMBER, GCENT_VERSION_MAJOR * 10000 +
                                               GCENT_VERSION_MINOR * 100 +
                                               GCENT_VERSION_PATCH);
}
END_TEST

/* Creation, NULL handling of create/free/errmsg, fresh-context defaults. */
START_TEST(test_ctx_create_free)
{
    ck_assert_int_eq(gcent_ctx_create(NULL), GCENT_EINVAL);
    gcent_ctx_free(NULL); /* documented no-op */
    const char *m = gcent_ctx_errmsg(NULL);
    ck_assert_ptr_nonnull(m);

    gcent_ctx *ctx = NULL;
    ck_assert_int_eq(gcent_ctx_create(&ctx), GCENT_OK);
    ck_assert_ptr_nonnull(ctx);
    ck_assert_str_eq(gcent_ctx_errmsg(ctx), "");
    for (size_t i = 0; i < NOPTS; ++i) {
        double v = -12345.0;
        ck_assert_int_eq(gcent_ctx_get(ctx, all_opts[i], &v), GCENT_OK);
        ck_assert_msg(fabs(v - documented_default(all_opts[i])) <=
                          1e-15 * fabs(documented_default(all_opts[i])),
                      "opt %d: fresh value %.17g", (int)all_opts[i], v);
    }
    gcent_ctx_free(ctx);
}
END_TEST

/* set/get roundtrip of accepted values, for every option. */
START_TEST(test_ctx_roundtrip)
{
    static const struct { gcent_opt o; double v; } cases[] = {
        {GCENT_OPT_SEED, 1.0},           {GCENT_OPT_SEED, 123456789.0},
        {GCENT_OPT_SEED, 4294967296.0 + 7.0}, {GCENT_OPT_SEED, TWO53},
        {GCENT_OPT_MC_DRAWS, 1.0},       {GCENT_OPT_MC_DRAWS, 5.0},
        {GCENT_OPT_MC_DRAWS, TWO24},     {GCENT_OPT_THREADS, 1.0},
        {GCENT_OPT_THREADS, 3.0},        {GCENT_OPT_THREADS, 1024.0},
        {GCENT_OPT_LOG_BASE, 2.0},       {GCENT_OPT_LOG_BASE, 10.0},
        {GCENT_OPT_LOG_BASE, 1.5},       {GCENT_OPT_LOG_BASE, 1.0 + 1e-9},
        {GCENT_OPT_METHOD, GCENT_METHOD_MC}, {GCENT_OPT_METHOD, GCENT_METHOD_QUADRATURE},
        {GCENT_OPT_METHOD, GCENT_METHOD_AUTO}, {GCENT_OPT_BIN_ORIGIN, -3.5},
        {GCENT_OPT_BIN_ORIGIN, 0.125},   {GCENT_OPT_BIN_ORIGIN, -1e300},
        {GCENT_OPT_BIN_ORIGIN, 1e300},   {GCENT_OPT_QUAD_TOL, 1e-14},
        {GCENT_OPT_QUAD_TOL, 1e-8},      {GCENT_OPT_QUAD_TOL, 1e-3},
        {GCENT_OPT_PRUNE, GCENT_PRUNE_OFF}, {GCENT_OPT_PRUNE, GCENT_PRUNE_ON},
        {GCENT_OPT_PRUNE_TOL, 1e-300},   {GCENT_OPT_PRUNE_TOL, 1e-6},
        {GCENT_OPT_PRUNE_TOL, 1e-2},
        {GCENT_OPT_PRECISION, GCENT_PRECISION_SINGLE}, {GCENT_OPT_PRECISION, GCENT_PRECISION_DOUBLE},
    };
    gcent_ctx *ctx = NULL;
    ck_assert_int_eq(gcent_ctx_create(&ctx), GCENT_OK);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
        ck_assert_msg(gcent_ctx_set(ctx, cases[i].o, cases[i].v) == GCENT_OK,
                      "set(opt %d, %.17g) failed: %s", (int)cases[i].o, cases[i].v,
                      gcent_ctx_errmsg(ctx));
        ck_assert_str_eq(gcent_ctx_errmsg(ctx), "");
        double v = -1.0;
        ck_assert_int_eq(gcent_ctx_get(ctx, cases[i].o, &v), GCENT_OK);
        ck_assert_msg(v == cases[i].v, "opt %d: set %.17g, got %.17g", (int)cases[i].o,
                      cases[i].v, v);
    }
    gcent_ctx_free(ctx);
}
END_TEST

/* Value 0 selects the documented default, for every option. */
START_TEST(test_ctx_zero_is_default)
{
    gcent_ctx *ctx = NULL;
    ck_assert_int_eq(gcent_ctx_create(&ctx), GCENT_OK);
    for (size_t i = 0; i < NOPTS; ++i) {
        double v;
        ck_assert_int_eq(gcent_ctx_set(ctx, all_opts[i], nondefault[i]), GCENT_OK);
        ck_assert_int_eq(gcent_ctx_get(ctx, all_opts[i], &v), GCENT_OK);
        ck_assert(v == nondefault[i]);
        ck_assert_int_eq(gcent_ctx_set(ctx, all_opts[i], 0.0), GCENT_OK);
        ck_assert_int_eq(gcent_ctx_get(ctx, all_opts[i], &v), GCENT_OK);
        double def = documented_default(all_opts[i]);
        ck_assert_msg(fabs(v - def) <= 1e-15 * fabs(def), "opt %d: 0 gave %.17g, not %.17g",
                      (int)all_opts[i], v, def);
    }
    gcent_ctx_free(ctx);
}
END_TEST

/* gcent_opt_bounds agrees with the documented ranges, accepts NULL outputs,
 * and its max / default are accepted by gcent_ctx_set. */
START_TEST(test_opt_bounds)
{
    double mn, mx, df;
    /* maxima and defaults written in gcent/context.h */
    static const struct { gcent_opt o; double max, def; } doc[] = {
        {GCENT_OPT_SEED, TWO53, 0.0},       {GCENT_OPT_MC_DRAWS, TWO24, 16.0},
        {GCENT_OPT_THREADS, 1024.0, 0.0},   {GCENT_OPT_METHOD, GCENT_METHOD_QUADRATURE, 0.0},
        {GCENT_OPT_BIN_ORIGIN, DBL_MAX, 0.0}, {GCENT_OPT_QUAD_TOL, 1e-3, 1e-11},
        {GCENT_OPT_PRUNE, GCENT_PRUNE_OFF, GCENT_PRUNE_ON}, {GCENT_OPT_PRUNE_TOL, 1e-2, 1e-12},
        {GCENT_OPT_PRECISION, GCENT_PRECISION_SINGLE, GCENT_PRECISION_DOUBLE},
    };
    for (size_t i = 0; i < sizeof doc / sizeof doc[0]; ++i) {
        mn = mx = df = -777.0;
        ck_assert_int_eq(gcent_opt_bounds(doc[i].o, &mn, &mx, &df), GCENT_OK);
        ck_assert_msg(mx == doc[i].max, "opt %d max %.17g", (int)doc[i].o, mx);
        ck_assert_msg(df == doc[i].def, "opt %d def %.17g", (int)doc[i].o, df);
        ck_assert_msg(mn <= mx, "opt %d min %.17g > max", (int)doc[i].o, mn);
    }
    ck_assert_int_eq(gcent_opt_bounds(GCENT_OPT_MC_DRAWS, &mn, NULL, NULL), GCENT_OK);
    ck_assert(mn == 1.0);
    ck_assert_int_eq(gcent_opt_bounds(GCENT_OPT_QUAD_TOL, &mn, NULL, NULL), GCENT_OK);
    ck_assert(mn == 1e-14);
    ck_assert_int_eq(gcent_opt_bounds(GCENT_OPT_LOG_BASE, &mn, &mx, &df), GCENT_OK);
    ck_assert_double_eq_tol(df, exp(1.0), 1e-15);
    ck_assert(mn > 1.0 && mn < 1.0 + 1e-15 && mx > 2.0);
    ck_assert_int_eq(gcent_opt_bounds(GCENT_OPT_SEED, NULL, NULL, NULL), GCENT_OK);

    /* max and default accepted by ctx_set, and read back */
    gcent_ctx *ctx = NULL;
    ck_assert_int_eq(gcent_ctx_create(&ctx), GCENT_OK);
    for (size_t i = 0; i < NOPTS; ++i) {
        double v;
        ck_assert_int_eq(gcent_opt_bounds(all_opts[i], &mn, &mx, &df), GCENT_OK);
        ck_assert_int_eq(gcent_ctx_set(ctx, all_opts[i], mx), GCENT_OK);
        ck_assert_int_eq(gcent_ctx_get(ctx, all_opts[i], &v), GCENT_OK);
        ck_assert(v == mx);
        if (mn != 0.0) {
            ck_assert_msg(gcent_ctx_set(ctx, all_opts[i], mn) == GCENT_OK,
                          "opt %d: its min %.17g is rejected", (int)all_opts[i], mn);
        }
        ck_assert_int_eq(gcent_ctx_set(ctx, all_opts[i], 0.0), GCENT_OK);
        ck_assert_int_eq(gcent_ctx_get(ctx, all_opts[i], &v), GCENT_OK);
        ck_assert(v == df);
    }
    gcent_ctx_free(ctx);

    /* unknown options: EUNSUPPORTED, outputs untouched */
    static const int bad[] = {0, 9, 99, 102, -1, 100000};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
        mn = mx = df = -777.0;
        ck_assert_int_eq(gcent_opt_bounds((gcent_opt)bad[i], &mn, &mx, &df),
                         GCENT_EUNSUPPORTED);
        ck_assert(mn == -777.0 && mx == -777.0 && df == -777.0);
    }
}
END_TEST

/* Unknown option ids: EUNSUPPORTED for set and get; errmsg after set. */
START_TEST(test_ctx_unknown_option)
{
    gcent_ctx *ctx = NULL;
    ck_assert_int_eq(gcent_ctx_create(&ctx), GCENT_OK);
    static const int bad[] = {0, 9, 99, 102, -3, 1 << 20};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
        ck_assert_int_eq(gcent_ctx_set(ctx, (gcent_opt)bad[i], 1.0), GCENT_EUNSUPPORTED);
        assert_one_line_msg(ctx);
        double v = -5.0;
        ck_assert_int_eq(gcent_ctx_get(ctx, (gcent_opt)bad[i], &v), GCENT_EUNSUPPORTED);
        ck_assert(v == -5.0);
    }
    gcent_ctx_free(ctx);
}
END_TEST

/* Out-of-range, non-integer, NaN/Inf values: the documented status, the
 * option keeps its old value, one-line message; the next success clears it. */
START_TEST(test_ctx_bad_values)
{
    static const struct { gcent_opt o; double old; double bad; int status; } cases[] = {
        {GCENT_OPT_MC_DRAWS, 7.0, 0.5, GCENT_ERANGE},
        {GCENT_OPT_MC_DRAWS, 7.0, -1.0, GCENT_ERANGE},
        {GCENT_OPT_MC_DRAWS, 7.0, TWO24 + 1.0, GCENT_ERANGE},
        {GCENT_OPT_MC_DRAWS, 7.0, 7.5, GCENT_ERANGE},
        {GCENT_OPT_THREADS, 2.0, 1e9, GCENT_ERANGE},
        {GCENT_OPT_THREADS, 2.0, 1025.0, GCENT_ERANGE},
        {GCENT_OPT_THREADS, 2.0, -1.0, GCENT_ERANGE},
        {GCENT_OPT_THREADS, 2.0, 1.5, GCENT_ERANGE},
        {GCENT_OPT_LOG_BASE, 2.0, 1.0, GCENT_ERANGE},
        {GCENT_OPT_LOG_BASE, 2.0, -2.0, GCENT_ERANGE},
        {GCENT_OPT_LOG_BASE, 2.0, 0.5, GCENT_ERANGE}, /* < 1 would flip signs */
        {GCENT_OPT_METHOD, 1.0, 7.0, GCENT_EUNSUPPORTED},
        {GCENT_OPT_METHOD, 1.0, 3.0, GCENT_EUNSUPPORTED},
        {GCENT_OPT_METHOD, 1.0, -1.0, GCENT_EUNSUPPORTED},
        {GCENT_OPT_METHOD, 1.0, 1.5, GCENT_ERANGE},
        {GCENT_OPT_SEED, 99.0, -1.0, GCENT_ERANGE},
        {GCENT_OPT_SEED, 99.0, 1.5, GCENT_ERANGE},
        {GCENT_OPT_SEED, 99.0, TWO53 + 2.0, GCENT_ERANGE},
        {GCENT_OPT_SEED, 99.0, 1e300, GCENT_ERANGE},
        {GCENT_OPT_QUAD_TOL, 1e-9, 1e-15, GCENT_ERANGE},
        {GCENT_OPT_QUAD_TOL, 1e-9, 2e-3, GCENT_ERANGE},
        {GCENT_OPT_QUAD_TOL, 1e-9, -1e-6, GCENT_ERANGE},
        {GCENT_OPT_PRUNE, 2.0, 3.0, GCENT_EUNSUPPORTED},
        {GCENT_OPT_PRUNE, 2.0, -1.0, GCENT_EUNSUPPORTED},
        {GCENT_OPT_PRUNE, 2.0, 1.5, GCENT_ERANGE},
        {GCENT_OPT_PRECISION, 2.0, 3.0, GCENT_EUNSUPPORTED},
        {GCENT_OPT_PRECISION, 2.0, -1.0, GCENT_EUNSUPPORTED},
        {GCENT_OPT_PRECISION, 2.0, 1.5, GCENT_ERANGE},
        {GCENT_OPT_PRUNE_TOL, 1e-9, 0.02, GCENT_ERANGE},
        {GCENT_OPT_PRUNE_TOL, 1e-9, -1e-12, GCENT_ERANGE},
        {GCENT_OPT_PRUNE_TOL, 1e-9, 1e-301, GCENT_ERANGE},
    };
    gcent_ctx *ctx = NULL;
    ck_assert_int_eq(gcent_ctx_create(&ctx), GCENT_OK);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
        double v;
        ck_assert_int_eq(gcent_ctx_set(ctx, cases[i].o, cases[i].old), GCENT_OK);
        int st = gcent_ctx_set(ctx, cases[i].o, cases[i].bad);
        ck_assert_msg(st == cases[i].status, "opt %d value %.17g: status %d, expected %d",
                      (int)cases[i].o, cases[i].bad, st, cases[i].status);
        assert_one_line_msg(ctx);
        ck_assert_int_eq(gcent_ctx_get(ctx, cases[i].o, &v), GCENT_OK);
        ck_assert_msg(v == cases[i].old, "opt %d changed to %.17g by a failed set",
                      (int)cases[i].o, v);
        ck_assert_int_eq(gcent_ctx_set(ctx, cases[i].o, cases[i].old), GCENT_OK);
        ck_assert_str_eq(gcent_ctx_errmsg(ctx), "");
    }
    /* method -1: an unknown id (EUNSUPPORTED) or out of range (ERANGE) */
    ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_METHOD, 1.0), GCENT_OK);
    int st = gcent_ctx_set(ctx, GCENT_OPT_METHOD, -1.0);
    ck_assert(st == GCENT_EUNSUPPORTED || st == GCENT_ERANGE);

    /* NaN and +-Inf: EDOM for every option, value kept */
    const double nonfinite[] = {NAN, INFINITY, -INFINITY};
    static const double olds[] = {5.0, 3.0, 2.0, 10.0, 2.0, 2.5, 1e-7, 2.0, 1e-6, 2.0};
    for (size_t i = 0; i < NOPTS; ++i)
        for (size_t j = 0; j < 3; ++j) {
            double v;
            ck_assert_int_eq(gcent_ctx_set(ctx, all_opts[i], olds[i]), GCENT_OK);
            ck_assert_int_eq(gcent_ctx_set(ctx, all_opts[i], nonfinite[j]), GCENT_EDOM);
            assert_one_line_msg(ctx);
            ck_assert_int_eq(gcent_ctx_get(ctx, all_opts[i], &v), GCENT_OK);
            ck_assert(v == olds[i]);
        }
    gcent_ctx_free(ctx);
}
END_TEST

/* NULL arguments to the context functions: EINVAL. */
START_TEST(test_ctx_null)
{
    double v = 3.0;
    ck_assert_int_eq(gcent_ctx_set(NULL, GCENT_OPT_SEED, 1.0), GCENT_EINVAL);
    ck_assert_int_eq(gcent_ctx_get(NULL, GCENT_OPT_SEED, &v), GCENT_EINVAL);
    ck_assert(v == 3.0);
    ck_assert_int_eq(gcent_ctx_reset(NULL), GCENT_EINVAL);
    ck_assert_int_eq(gcent_ctx_set_progress(NULL, NULL, NULL), GCENT_EINVAL);
    gcent_ctx *ctx = NULL;
    ck_assert_int_eq(gcent_ctx_create(&ctx), GCENT_OK);
    ck_assert_int_eq(gcent_ctx_get(ctx, GCENT_OPT_SEED, NULL), GCENT_EINVAL);
    gcent_ctx_free(ctx);
}
END_TEST

static int count_calls(void *user, uint64_t done, uint64_t total)
{
    (void)done;
    (void)total;
    ++*(int *)user;
    return 0;
}

/* gcent_ctx_reset restores every default, clears the message and removes
 * the progress callback. */
START_TEST(test_ctx_reset)
{
    gcent_ctx *ctx = NULL;
    int calls = 0;
    ck_assert_int_eq(gcent_ctx_create(&ctx), GCENT_OK);
    for (size_t i = 0; i < NOPTS; ++i)
        ck_assert_int_eq(gcent_ctx_set(ctx, all_opts[i], nondefault[i]), GCENT_OK);
    ck_assert_int_eq(gcent_ctx_set_progress(ctx, count_calls, &calls), GCENT_OK);
    ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_MC_DRAWS, -4.0), GCENT_ERANGE);
    ck_assert_str_ne(gcent_ctx_errmsg(ctx), "");

    ck_assert_int_eq(gcent_ctx_reset(ctx), GCENT_OK);
    ck_assert_str_eq(gcent_ctx_errmsg(ctx), "");
    for (size_t i = 0; i < NOPTS; ++i) {
        double v;
        ck_assert_int_eq(gcent_ctx_get(ctx, all_opts[i], &v), GCENT_OK);
        double def = documented_default(all_opts[i]);
        ck_assert_msg(fabs(v - def) <= 1e-15 * fabs(def), "opt %d after reset: %.17g",
                      (int)all_opts[i], v);
    }
    /* the callback is gone: a completing call does not invoke it */
    const double s[3] = {0.0, 1.0, 2.5};
    gcent_estimate e;
    ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_METHOD, GCENT_METHOD_MC), GCENT_OK);
    ck_assert_int_eq(gcent_entropy(ctx, s, 3, 1, 1, NULL, 0.5, &e), GCENT_OK);
    ck_assert_int_eq(calls, 0);
    /* and it was really installed before: set it again and see it called */
    ck_assert_int_eq(gcent_ctx_set_progress(ctx, count_calls, &calls), GCENT_OK);
    ck_assert_int_eq(gcent_entropy(ctx, s, 3, 1, 1, NULL, 0.5, &e), GCENT_OK);
    ck_assert_int_ge(calls, 1);
    /* fn = NULL removes it */
    calls = 0;
    ck_assert_int_eq(gcent_ctx_set_progress(ctx, NULL, NULL), GCENT_OK);
    ck_assert_int_eq(gcent_entropy(ctx, s, 3, 1, 1, NULL, 0.5, &e), GCENT_OK);
    ck_assert_int_eq(calls, 0);
    gcent_ctx_free(ctx);
}
END_TEST

Suite *suite_status(void)
{
    Suite *s = suite_create("status");
    TCase *tc = gt_tcase(s, "core", 0);
    tcase_add_test(tc, test_status_values);
    tcase_add_test(tc, test_strerror);
    tcase_add_test(tc, test_version);
    tcase_add_test(tc, test_ctx_create_free);
    tcase_add_test(tc, test_ctx_roundtrip);
    tcase_add_test(tc, test_ctx_zero_is_default);
    tcase_add_test(tc, test_opt_bounds);
    tcase_add_test(tc, test_ctx_unknown_option);
    tcase_add_test(tc, test_ctx_bad_values);
    tcase_add_test(tc, test_ctx_null);
    tcase_add_test(tc, test_ctx_reset);
    return s;
}
