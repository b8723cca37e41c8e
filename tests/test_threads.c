/* Bit-identical results for any GCENT_OPT_THREADS (gcent/context.h: "Results
 * are bit-identical for every value"), and independent contexts used
 * concurrently from several threads (gcent/context.h thread-safety). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "tests.h"
#include "threads.h" /* gcent__parallel */
#include <stdatomic.h>

static gcent_ctx *mkctx(int method, double draws, double seed, double threads)
{
    gcent_ctx *ctx = gt_ctx(method, draws, seed);
    ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_THREADS, threads), GCENT_OK);
    return ctx;
}

/* thread counts compared with the single-threaded result; 0 = all cores,
 * 7 more workers than the test machine's cores */
static const double thread_counts[] = {2, 3, 4, 0, 7};
#define NTC (sizeof thread_counts / sizeof thread_counts[0])

static void entropy_same_for_all_threads(int method, const double *s, size_t n, size_t d,
                                         const double *w, double beta, double draws)
{
    gcent_estimate ref, e;
    gcent_ctx *ctx = mkctx(method, draws, 12345, 1);
    ck_assert_int_eq(gcent_entropy(ctx, s, n, d, d, w, beta, &ref), GCENT_OK);
    gcent_ctx_free(ctx);
    for (size_t t = 0; t < NTC; ++t) {
        ctx = mkctx(method, draws, 12345, thread_counts[t]);
        memset(&e, 0, sizeof e);
        ck_assert_int_eq(gcent_entropy(ctx, s, n, d, d, w, beta, &e), GCENT_OK);
        ck_assert_msg(memcmp(&e, &ref, sizeof e) == 0,
                      "method %d d=%zu threads %g: %.17g (se %.17g) vs 1 thread %.17g "
                      "(se %.17g)",
                      method, d, thread_counts[t], e.value, e.se, ref.value, ref.se);
        gcent_ctx_free(ctx);
    }
}

/* MC, n = 2000, d = 5, k = 3 (1.2e7 pairs per call). */
START_TEST(test_threads_mc)
{
    enum { N = 2000, D = 5 };
    double *s = malloc(N * D * sizeof *s);
    ck_assert_ptr_nonnull(s);
    gcent_rng_normals(1u, 2u, 0u, N * D, s);
    entropy_same_for_all_threads(GCENT_METHOD_MC, s, N, D, NULL, 0.5, 3);
    /* with weights (some zero), and with k = 1 (the other se formula), on
     * the first 800 rows */
    enum { M = 800 };
    double *w = malloc(M * sizeof *w), sum = 0.0;
    ck_assert_ptr_nonnull(w);
    for (size_t i = 0; i < M; ++i)
        sum += (w[i] = (i % 7 == 0) ? 0.0 : 1.0 + 0.5 * (double)(i % 5));
    for (size_t i = 0; i < M; ++i)
        w[i] /= sum;
    entropy_same_for_all_threads(GCENT_METHOD_MC, s, M, D, w, 0.5, 3);
    entropy_same_for_all_threads(GCENT_METHOD_MC, s, M, D, NULL, 0.5, 1);
    free(w);
    free(s);
}
END_TEST

/* Quadrature, d = 1 (50 centres) and d = 2 (20 centres). */
START_TEST(test_threads_quadrature)
{
    double s[100];
    gcent_rng_normals(3u, 4u, 0u, 100, s);
    entropy_same_for_all_threads(GCENT_METHOD_QUADRATURE, s, 50, 1, NULL, 0.2, 0);
    entropy_same_for_all_threads(GCENT_METHOD_QUADRATURE, s, 20, 2, NULL, 0.3, 0);
}
END_TEST

/* Bounds, n = 2000, d = 5. */
START_TEST(test_threads_bounds)
{
    enum { N = 2000, D = 5 };
    double *s = malloc(N * D * sizeof *s);
    ck_assert_ptr_nonnull(s);
    gcent_rng_normals(1u, 2u, 0u, N * D, s);
    double ref[2], b[2];
    gcent_ctx *ctx = mkctx(GCENT_METHOD_AUTO, 0, 0, 1);
    ck_assert_int_eq(gcent_entropy_bounds(ctx, s, N, D, D, NULL, 0.5, &ref[0], &ref[1]),
                     GCENT_OK);
    gcent_ctx_free(ctx);
    for (size_t t = 0; t < NTC; ++t) {
        ctx = mkctx(GCENT_METHOD_AUTO, 0, 0, thread_counts[t]);
        ck_assert_int_eq(gcent_entropy_bounds(ctx, s, N, D, D, NULL, 0.5, &b[0], &b[1]),
                         GCENT_OK);
        ck_assert_msg(memcmp(b, ref, sizeof b) == 0, "threads %g: [%.17g, %.17g] vs [%.17g, %.17g]",
                      thread_counts[t], b[0], b[1], ref[0], ref[1]);
        gcent_ctx_free(ctx);
    }
    free(s);
}
END_TEST

/* Different contexts may be used concurrently: 3 application threads, each
 * with its own context (2 workers each), compute the same MC estimate as a
 * serial call, bitwise. */
typedef struct job {
    const double *s;
    gcent_estimate e;
    int status;
} job;

enum { CN = 500, CD = 3 };

static void *run_job(void *arg)
{
    job *j = arg;
    gcent_ctx *ctx = NULL;
    j->status = gcent_ctx_create(&ctx);
    if (j->status != GCENT_OK)
        return NULL;
    gcent_ctx_set(ctx, GCENT_OPT_METHOD, GCENT_METHOD_MC);
    gcent_ctx_set(ctx, GCENT_OPT_MC_DRAWS, 4);
    gcent_ctx_set(ctx, GCENT_OPT_SEED, 99);
    gcent_ctx_set(ctx, GCENT_OPT_THREADS, 2);
    j->status = gcent_entropy(ctx, j->s, CN, CD, CD, NULL, 0.4, &j->e);
    gcent_ctx_free(ctx);
    return NULL;
}

START_TEST(test_concurrent_contexts)
{
    double *s = malloc(CN * CD * sizeof *s);
    ck_assert_ptr_nonnull(s);
    gcent_rng_normals(8u, 8u, 0u, CN * CD, s);
    job serial = {s, {0, 0}, -99};
    run_job(&serial);
    ck_assert_int_eq(serial.status, GCENT_OK);
    job jobs[3];
    pthread_t th[3];
    for (int i = 0; i < 3; ++i) {
        jobs[i] = (job){s, {0, 0}, -99};
        ck_assert_int_eq(pthread_create(&th[i], NULL, run_job, &jobs[i]), 0);
    }
    for (int i = 0; i < 3; ++i)
        ck_assert_int_eq(pthread_join(th[i], NULL), 0);
    for (int i = 0; i < 3; ++i) {
        ck_assert_int_eq(jobs[i].status, GCENT_OK);
        ck_assert(memcmp(&jobs[i].e, &serial.e, sizeof serial.e) == 0);
    }
    free(s);
}
END_TEST

/* The parallel runner stops at the first failing chunk and returns its
 * status, whatever the number of workers; chunks after it may or may not
 * have run, but no chunk runs twice, and a run without failure runs every
 * chunk exactly once. */
typedef struct {
    atomic_int runs[64];
    size_t fail_at; /* SIZE_MAX: never */
} par_arg;

static int par_chunk(void *arg, size_t chunk, size_t worker)
{
    par_arg *a = arg;
    (void)worker;
    atomic_fetch_add(&a->runs[chunk], 1);
    return chunk == a->fail_at ? GCENT_ENOMEM : GCENT_OK;
}

START_TEST(test_parallel_runner)
{
    for (size_t workers = 1; workers <= 4; ++workers) {
        par_arg a;
        for (int i = 0; i < 64; ++i)
            atomic_init(&a.runs[i], 0);
        a.fail_at = SIZE_MAX;
        ck_assert_int_eq(gcent__parallel(NULL, 64, workers, par_chunk, &a), GCENT_OK);
        for (int i = 0; i < 64; ++i)
            ck_assert_int_eq(atomic_load(&a.runs[i]), 1);
        for (int i = 0; i < 64; ++i)
            atomic_init(&a.runs[i], 0);
        a.fail_at = 5;
        ck_assert_int_eq(gcent__parallel(NULL, 64, workers, par_chunk, &a), GCENT_ENOMEM);
        ck_assert_int_eq(atomic_load(&a.runs[5]), 1);
        for (int i = 0; i < 64; ++i)
            ck_assert_int_le(atomic_load(&a.runs[i]), 1);
        if (workers == 1) /* one worker takes chunks in order: none after 5 */
            for (int i = 6; i < 64; ++i)
                ck_assert_int_eq(atomic_load(&a.runs[i]), 0);
    }
    ck_assert_int_eq(gcent__parallel(NULL, 0, 2, par_chunk, NULL), GCENT_OK);
}
END_TEST

Suite *suite_threads(void)
{
    Suite *s = suite_create("threads");
    TCase *tc = gt_tcase(s, "bitwise", 120);
    tcase_set_tags(tc, "long"); /* several chunks per thread count: see tests.h */
    tcase_add_test(tc, test_threads_mc);
    tcase_add_test(tc, test_threads_quadrature);
    tcase_add_test(tc, test_threads_bounds);
    tcase_add_test(tc, test_concurrent_contexts);
    tcase_add_test(tc, test_parallel_runner);
    return s;
}
