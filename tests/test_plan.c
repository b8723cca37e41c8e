/* Plans: prepared once, executed at many epochs, bit for bit the one-shot
 * calls; their option snapshot, their errors, and that executing starts no
 * thread. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include "tests.h"
#include "plan.h" /* the progress units of the setup */

/* Samples of "epoch" e: clustered tanh values that move with e (a layer
 * whose clusters tighten over training). */
static void epoch_samples(double *s, size_t n, size_t d, int e, uint64_t seed)
{
    gcent_rng_normals(seed, 100u + (uint64_t)e, 0, n * d, s);
    for (size_t i = 0; i < n; ++i)
        for (size_t k = 0; k < d; ++k) {
            double c = (double)((i / 4 + k) % 5) - 2.0;
            s[i * d + k] = tanh((0.6 + 0.3 * e) * c + (0.3 / (1.0 + e)) * s[i * d + k]);
        }
}

/* A plan of the layer and the context's one-shot calls agree, bit for bit,
 * at 4 epochs of changing samples; for Monte Carlo pruned and dense, one and
 * three draws, with and without labels, and quadrature (d = 1, 2, k > 1). */
START_TEST(test_plan_layer_epochs)
{
    enum { M = 60, K = 4 };
    static double s[M * K * 14];
    int y[M];
    for (int i = 0; i < M; ++i)
        y[i] = i % 3 == 0 ? 7 : -1;
    struct { int method, prune; double draws; size_t d; int labels, precision; } cfg[] = {
        {GCENT_METHOD_MC, GCENT_PRUNE_ON, 1, 5, 1, 0},
        {GCENT_METHOD_MC, GCENT_PRUNE_OFF, 3, 5, 1, 0},
        {GCENT_METHOD_MC, GCENT_PRUNE_ON, 2, 3, 0, 0},
        {GCENT_METHOD_QUADRATURE, 0, 0, 1, 1, 0},
        {GCENT_METHOD_QUADRATURE, 0, 0, 2, 0, 0},
        {GCENT_METHOD_AUTO, 0, 0, 1, 1, 0},
        {GCENT_METHOD_MC, GCENT_PRUNE_ON, 1, 5, 1, GCENT_PRECISION_SINGLE},
        {GCENT_METHOD_MC, GCENT_PRUNE_OFF, 2, 14, 1, GCENT_PRECISION_SINGLE},
    };
    for (size_t c = 0; c < sizeof cfg / sizeof cfg[0]; ++c) {
        const size_t d = cfg[c].d;
        gcent_ctx *ctx = gt_ctx(cfg[c].method, cfg[c].draws, 11);
        ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_PRUNE, cfg[c].prune), GCENT_OK);
        ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_PRECISION, cfg[c].precision), GCENT_OK);
        const int *lab = cfg[c].labels ? y : NULL;
        gcent_plan *plan = NULL;
        ck_assert_int_eq(gcent_plan_mi_layer(ctx, M, K, d, lab, 0.1, &plan), GCENT_OK);
        for (int e = 0; e < 4; ++e) {
            epoch_samples(s, M * K, d, e, 5 + c);
            gcent_layer_mi a, b;
            memset(&a, 0, sizeof a);
            memset(&b, 0xff, sizeof b);
            ck_assert_int_eq(gcent_plan_execute_mi(plan, s, d, &a), GCENT_OK);
            ck_assert_str_eq(gcent_plan_errmsg(plan), "");
            ck_assert_int_eq(gcent_mi_layer(ctx, s, M, K, d, d, lab, 0.1, &b), GCENT_OK);
            ck_assert_msg(memcmp(&a, &b, sizeof a) == 0,
                          "config %zu epoch %d: plan %.17g %.17g, one-shot %.17g %.17g", c, e,
                          a.ixt.value, a.ixt.se, b.ixt.value, b.ixt.se);
            double pm = -1.0, cm = -2.0;
            ck_assert_int_eq(gcent_plan_get(plan, GCENT_INFO_LAST_METHOD, &pm), GCENT_OK);
            ck_assert_int_eq(gcent_ctx_get(ctx, GCENT_INFO_LAST_METHOD, &cm), GCENT_OK);
            ck_assert(pm == cm);
            ck_assert(pm == (cfg[c].method == GCENT_METHOD_MC ? GCENT_METHOD_MC
                                                               : GCENT_METHOD_QUADRATURE));
        }
        gcent_plan_free(plan);
        gcent_ctx_free(ctx);
    }
}
END_TEST

/* The entropy plan against gcent_entropy, with weights and duplicates
 * (merged under pruning), Monte Carlo and quadrature, 3 epochs. */
START_TEST(test_plan_entropy_epochs)
{
    enum { N = 200 };
    static double s[N * 4], w[N];
    double sum = 0.0;
    for (int i = 0; i < N; ++i)
        sum += (w[i] = (i % 5 == 1) ? 0.0 : 1.0 + (i % 7));
    for (int i = 0; i < N; ++i)
        w[i] /= sum;
    const int methods[] = {GCENT_METHOD_MC, GCENT_METHOD_QUADRATURE};
    for (int mi = 0; mi < 2; ++mi)
        for (size_t d = 1; d <= (mi ? 2u : 4u); d += (mi ? 1 : 3)) {
            gcent_ctx *ctx = gt_ctx(methods[mi], 3, 2);
            gcent_plan *plan = NULL;
            ck_assert_int_eq(gcent_plan_entropy(ctx, N, d, w, 0.2, &plan), GCENT_OK);
            for (int e = 0; e < 3; ++e) {
                epoch_samples(s, N, d, e, 9 + d);
                memcpy(s + (N - 20) * d, s, 20 * d * sizeof(double)); /* duplicates */
                gcent_estimate a, b;
                ck_assert_int_eq(gcent_plan_execute_entropy(plan, s, d, &a), GCENT_OK);
                ck_assert_int_eq(gcent_entropy(ctx, s, N, d, d, w, 0.2, &b), GCENT_OK);
                ck_assert_msg(memcmp(&a, &b, sizeof a) == 0, "method %d d=%zu e=%d: %.17g/%.17g",
                              methods[mi], d, e, a.value, b.value);
            }
            gcent_plan_free(plan);
            gcent_ctx_free(ctx);
        }
}
END_TEST

/* A plan keeps the options of its creation: changing the context (or
 * freeing it) afterwards changes nothing; gcent_plan_get reads them back. */
START_TEST(test_plan_options_snapshot)
{
    enum { M = 40, K = 2, D = 3 };
    double s[M * K * D];
    epoch_samples(s, M * K, D, 1, 3);
    gcent_ctx *ctx = gt_ctx(GCENT_METHOD_MC, 5, 77);
    gcent_layer_mi want, got;
    ck_assert_int_eq(gcent_mi_layer(ctx, s, M, K, D, D, NULL, 0.1, &want), GCENT_OK);
    gcent_plan *plan = NULL;
    ck_assert_int_eq(gcent_plan_mi_layer(ctx, M, K, D, NULL, 0.1, &plan), GCENT_OK);
    ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_SEED, 78), GCENT_OK);
    ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_MC_DRAWS, 2), GCENT_OK);
    ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_LOG_BASE, 2), GCENT_OK);
    gcent_ctx_free(ctx);
    ck_assert_int_eq(gcent_plan_execute_mi(plan, s, D, &got), GCENT_OK);
    ck_assert(memcmp(&want, &got, sizeof got) == 0);
    double v = 0.0;
    ck_assert_int_eq(gcent_plan_get(plan, GCENT_OPT_SEED, &v), GCENT_OK);
    ck_assert(v == 77.0);
    ck_assert_int_eq(gcent_plan_get(plan, GCENT_OPT_MC_DRAWS, &v), GCENT_OK);
    ck_assert(v == 5.0);
    ck_assert_int_eq(gcent_plan_get(plan, GCENT_OPT_LOG_BASE, &v), GCENT_OK);
    ck_assert(v == exp(1.0));
    ck_assert_int_eq(gcent_plan_get(plan, (gcent_opt)999, &v), GCENT_EUNSUPPORTED);
    ck_assert_int_eq(gcent_plan_get(NULL, GCENT_OPT_SEED, &v), GCENT_EINVAL);
    ck_assert_int_eq(gcent_plan_get(plan, GCENT_OPT_SEED, NULL), GCENT_EINVAL);
    gcent_plan_free(plan);
    gcent_plan_free(NULL);
}
END_TEST

/* Bad creation arguments, bad samples, a plan of the other kind: a status,
 * a one-line reason where the documentation says, outputs untouched. */
START_TEST(test_plan_errors)
{
    gcent_ctx *ctx = gt_ctx(GCENT_METHOD_MC, 2, 1);
    gcent_plan *plan = (gcent_plan *)&ctx, *keep = plan;
    ck_assert_int_eq(gcent_plan_mi_layer(NULL, 4, 2, 3, NULL, 0.1, &plan), GCENT_EINVAL);
    ck_assert_int_eq(gcent_plan_mi_layer(ctx, 0, 2, 3, NULL, 0.1, &plan), GCENT_EINVAL);
    ck_assert(gt_one_line(ctx) && strstr(gcent_ctx_errmsg(ctx), "gcent_plan_mi_layer: "));
    ck_assert_int_eq(gcent_plan_mi_layer(ctx, 4, 0, 3, NULL, 0.1, &plan), GCENT_EINVAL);
    ck_assert_int_eq(gcent_plan_mi_layer(ctx, 4, 2, 0, NULL, 0.1, &plan), GCENT_EINVAL);
    ck_assert_int_eq(gcent_plan_mi_layer(ctx, 4, 2, 3, NULL, 0.0, &plan), GCENT_EINVAL);
    ck_assert_int_eq(gcent_plan_mi_layer(ctx, 4, 2, 3, NULL, NAN, &plan), GCENT_EDOM);
    ck_assert_int_eq(gcent_plan_mi_layer(ctx, SIZE_MAX, 2, 3, NULL, 0.1, &plan), GCENT_ERANGE);
    ck_assert_int_eq(gcent_plan_mi_layer(ctx, 4, 2, 3, NULL, 0.1, NULL), GCENT_EINVAL);
    ck_assert_int_eq(gcent_plan_entropy(ctx, 0, 3, NULL, 0.1, &plan), GCENT_EINVAL);
    double badw[2] = {0.7, 0.7};
    ck_assert_int_eq(gcent_plan_entropy(ctx, 2, 3, badw, 0.1, &plan), GCENT_EINVAL);
    ck_assert(strstr(gcent_ctx_errmsg(ctx), "gcent_plan_entropy: weights sum"));
    ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_METHOD, GCENT_METHOD_QUADRATURE), GCENT_OK);
    ck_assert_int_eq(gcent_plan_entropy(ctx, 5, 3, NULL, 0.1, &plan), GCENT_EUNSUPPORTED);
    ck_assert(plan == keep);
    ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_METHOD, GCENT_METHOD_MC), GCENT_OK);

    enum { M = 6, K = 2, D = 3 };
    double s[M * K * D];
    epoch_samples(s, M * K, D, 0, 1);
    ck_assert_int_eq(gcent_plan_mi_layer(ctx, M, K, D, NULL, 0.1, &plan), GCENT_OK);
    gcent_layer_mi out, sentinel;
    memset(&sentinel, 0x5a, sizeof sentinel);
    out = sentinel;
    ck_assert_int_eq(gcent_plan_execute_mi(plan, NULL, D, &out), GCENT_EINVAL);
    ck_assert_str_eq(gcent_ctx_errmsg(ctx), ""); /* the reason is the plan's */
    ck_assert_ptr_nonnull(strstr(gcent_plan_errmsg(plan), "gcent_plan_execute_mi: "));
    ck_assert_int_eq(gcent_plan_execute_mi(plan, s, D - 1, &out), GCENT_EINVAL);
    s[7] = NAN;
    ck_assert_int_eq(gcent_plan_execute_mi(plan, s, D, &out), GCENT_EDOM);
    ck_assert_ptr_nonnull(strstr(gcent_plan_errmsg(plan), "NaN"));
    s[7] = 0.5;
    ck_assert(memcmp(&out, &sentinel, sizeof out) == 0);
    gcent_estimate e;
    ck_assert_int_eq(gcent_plan_execute_entropy(plan, s, D, &e), GCENT_EINVAL);
    ck_assert_ptr_nonnull(strstr(gcent_plan_errmsg(plan), "gcent_plan_mi_layer"));
    gcent_partial part;
    ck_assert_int_eq(gcent_plan_execute_mi_partial(plan, s, D, 3, 2, &part), GCENT_EINVAL);
    ck_assert_int_eq(gcent_plan_execute_mi_partial(plan, s, D, 0, M * K + 1, &part),
                     GCENT_EINVAL);
    ck_assert_int_eq(gcent_plan_execute_mi(plan, s, D, NULL), GCENT_EINVAL);
    ck_assert_int_eq(gcent_plan_execute_mi(NULL, s, D, &out), GCENT_EINVAL);
    ck_assert_int_eq(gcent_plan_execute_mi(plan, s, D, &out), GCENT_OK);
    ck_assert_str_eq(gcent_plan_errmsg(plan), "");
    ck_assert_str_eq(gcent_plan_errmsg(NULL), "no plan (NULL)");
    gcent_plan_free(plan);
    gcent_ctx_free(ctx);
}
END_TEST

/* The sliced plan: at 3 epochs, bit for bit gcent_sliced_mi_layer; a plan of
 * another kind is refused. */
START_TEST(test_plan_sliced_epochs)
{
    enum { M = 40, K = 2, D = 6 };
    static double s[M * K * D];
    int y[M];
    for (int i = 0; i < M; ++i)
        y[i] = i % 3;
    gcent_ctx *ctx = gt_ctx(GCENT_METHOD_AUTO, 0, 4);
    for (size_t q = 1; q <= 2; ++q) {
        gcent_plan *plan = NULL;
        ck_assert_int_eq(gcent_plan_sliced_mi_layer(ctx, M, K, D, y, 0.1, q, 9, &plan), GCENT_OK);
        for (int e = 0; e < 3; ++e) {
            epoch_samples(s, M * K, D, e, 30 + q);
            gcent_sliced_mi a, b;
            ck_assert_int_eq(gcent_plan_execute_sliced_mi(plan, s, D, &a), GCENT_OK);
            ck_assert_int_eq(gcent_sliced_mi_layer(ctx, s, M, K, D, D, y, 0.1, q, 9, &b),
                             GCENT_OK);
            ck_assert_msg(memcmp(&a, &b, sizeof a) == 0, "q=%zu e=%d: %.17g vs %.17g", q, e,
                          a.ixt.value, b.ixt.value);
        }
        gcent_layer_mi r;
        ck_assert_int_eq(gcent_plan_execute_mi(plan, s, D, &r), GCENT_EINVAL);
        ck_assert_ptr_nonnull(strstr(gcent_plan_errmsg(plan), "gcent_plan_sliced_mi_layer"));
        s[3] = NAN;
        gcent_sliced_mi a = {{1, 2}, {3, 4}};
        ck_assert_int_eq(gcent_plan_execute_sliced_mi(plan, s, D, &a), GCENT_EDOM);
        ck_assert(a.ixt.value == 1.0 && a.iyt.se == 4.0);
        gcent_plan_free(plan);
    }
    gcent_plan *plan = NULL;
    ck_assert_int_eq(gcent_plan_sliced_mi_layer(ctx, M, K, D, y, 0.1, 3, 9, &plan),
                     GCENT_EUNSUPPORTED);
    ck_assert_ptr_nonnull(strstr(gcent_ctx_errmsg(ctx), "gcent_plan_sliced_mi_layer: "));
    ck_assert_int_eq(gcent_plan_sliced_mi_layer(ctx, M, K, D, y, 0.1, 1, 0, &plan), GCENT_EINVAL);
    ck_assert_ptr_null(plan);
    gcent_ctx_free(ctx);
}
END_TEST

/* Threads of this process (Linux: the entries of /proc/self/task). */
static int count_threads(void)
{
    DIR *dir = opendir("/proc/self/task");
    if (dir == NULL)
        return -1;
    int n = 0;
    for (struct dirent *de; (de = readdir(dir)) != NULL;)
        n += de->d_name[0] != '.';
    closedir(dir);
    return n;
}

static int seen_threads;
static int on_progress_threads(void *user, uint64_t done, uint64_t total)
{
    (void)user;
    (void)done;
    (void)total;
    int t = count_threads();
    if (t > seen_threads)
        seen_threads = t;
    return 0;
}

/* A plan starts its workers once: while it executes (seen from the progress
 * callback) the process has exactly the threads it had after creation, and
 * gcent_plan_free joins them. */
START_TEST(test_plan_threads_once)
{
    if (count_threads() < 1)
        return; /* no /proc: nothing to observe */
    enum { M = 512, K = 2, D = 4 };
    static double s[M * K * D];
    epoch_samples(s, M * K, D, 2, 4);
    gcent_ctx *ctx = gt_ctx(GCENT_METHOD_MC, 2, 1);
    ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_THREADS, 3), GCENT_OK);
    ck_assert_int_eq(gcent_ctx_set_progress(ctx, on_progress_threads, NULL), GCENT_OK);
    const int before = count_threads();
    gcent_plan *plan = NULL;
    ck_assert_int_eq(gcent_plan_mi_layer(ctx, M, K, D, NULL, 0.1, &plan), GCENT_OK);
    const int with_plan = count_threads();
    ck_assert_int_eq(with_plan, before + 2);
    for (int e = 0; e < 3; ++e) {
        gcent_layer_mi r;
        seen_threads = 0;
        ck_assert_int_eq(gcent_plan_execute_mi(plan, s, D, &r), GCENT_OK);
        ck_assert_int_eq(seen_threads, with_plan);
        ck_assert_int_eq(count_threads(), with_plan);
    }
    gcent_plan_free(plan);
    ck_assert_int_eq(count_threads(), before);
    gcent_ctx_free(ctx);
}
END_TEST

/* The setup of a large call (scaling, packing, the k-d tree) reports
 * progress from its start and honours cancellation: 2^18 rows of d = 3 give a
 * first report with done = 0, at least 40 reports inside the setup's units,
 * and a cancellation at any of them returns GCENT_ECANCELED with nothing
 * written. */
#define SETUP_UNITS (GCENT__FILL_UNITS + 1 + GCENT__PACK_UNITS + 1)

typedef struct {
    int calls, cancel_at; /* cancel_at 0: at the first report past the setup */
    int setup_reports;
    uint64_t first_done;
} setup_prog;

static int on_setup_prog(void *user, uint64_t done, uint64_t total)
{
    setup_prog *p = user;
    (void)total;
    if (p->calls++ == 0)
        p->first_done = done;
    if (done <= SETUP_UNITS)
        ++p->setup_reports;
    return p->cancel_at ? p->calls == p->cancel_at : done > SETUP_UNITS;
}

START_TEST(test_setup_progress)
{
    enum { N = 1 << 18, D = 3 };
    double *s = malloc((size_t)N * D * sizeof *s);
    gcent_rng_normals(8, 8, 0, (size_t)N * D, s);
    gcent_ctx *ctx = gt_ctx(GCENT_METHOD_MC, 1, 1);
    setup_prog p = {0, 0, 0, 1};
    ck_assert_int_eq(gcent_ctx_set_progress(ctx, on_setup_prog, &p), GCENT_OK);
    gcent_estimate out = {7.0, 8.0};
    ck_assert_int_eq(gcent_entropy(ctx, s, N, D, D, NULL, 0.1, &out), GCENT_ECANCELED);
    ck_assert_uint_eq(p.first_done, 0);
    ck_assert_msg(p.setup_reports >= 40, "%d reports in the setup", p.setup_reports);
    const int at[3] = {1, p.setup_reports / 2, p.setup_reports};
    for (int c = 0; c < 3; ++c) {
        memset(&p, 0, sizeof p);
        p.cancel_at = at[c];
        ck_assert_int_eq(gcent_entropy(ctx, s, N, D, D, NULL, 0.1, &out), GCENT_ECANCELED);
        ck_assert_int_eq(p.calls, at[c]);
        ck_assert(out.value == 7.0 && out.se == 8.0);
    }
    gcent_ctx_free(ctx);
    free(s);
}
END_TEST

Suite *suite_plan(void)
{
    Suite *s = suite_create("plan");
    TCase *tc = gt_tcase(s, "epochs", 120);
    /* dozens of MC and quadrature calls for bit identity (their code paths
     * run under memcheck in "contract", mi and shard): not under Valgrind */
    tcase_set_tags(tc, "long");
    tcase_add_test(tc, test_plan_layer_epochs);
    tcase_add_test(tc, test_plan_entropy_epochs);
    tcase_add_test(tc, test_plan_sliced_epochs);
    TCase *o = gt_tcase(s, "contract", 60);
    tcase_add_test(o, test_plan_options_snapshot);
    tcase_add_test(o, test_plan_errors);
    tcase_add_test(o, test_plan_threads_once);
    TCase *sp = gt_tcase(s, "setup-progress", 120);
    tcase_set_tags(sp, "long"); /* 2^18 rows packed a few dozen times */
    tcase_add_test(sp, test_setup_progress);
    return s;
}
