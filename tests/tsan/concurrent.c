/* Thread-safety test (make check-tsan), built with ThreadSanitizer.
 *
 * Several application threads each use their own context, with the
 * library's own worker threads on (GCENT_OPT_THREADS = 2), and run every
 * kind of call (MC and quadrature entropy, bounds, MI, binned) many times
 * at once. Every result must equal, bit for bit, the one computed alone
 * beforehand; TSan reports any data race. Meanwhile a plan, made once,
 * executes on a thread of its own with its own workers. This is the
 * documented model: MT-Safe with one context (or plan) per thread. */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gcent.h"

#define NAPP 4   /* application threads */
#define ROUNDS 3 /* calls of each kind per thread */

static double s[600];
static int y[100];

typedef struct {
    gcent_estimate mc, quad;
    double lo, hi, hb, bx, by;
    gcent_layer_mi mi;
} results;

static int run_all(gcent_ctx *ctx, results *r)
{
    int st = GCENT_OK;
    memset(r, 0, sizeof *r);
    if (st == GCENT_OK)
        st = gcent_ctx_set(ctx, GCENT_OPT_METHOD, GCENT_METHOD_MC);
    if (st == GCENT_OK)
        st = gcent_entropy(ctx, s, 200, 3, 3, NULL, 0.4, &r->mc);
    if (st == GCENT_OK)
        st = gcent_entropy_bounds(ctx, s, 200, 3, 3, NULL, 0.4, &r->lo, &r->hi);
    if (st == GCENT_OK)
        st = gcent_mi_layer(ctx, s, 50, 4, 3, 3, y, 0.4, &r->mi);
    if (st == GCENT_OK)
        st = gcent_binned_entropy(ctx, s, 200, 3, 3, 0.3, &r->hb);
    if (st == GCENT_OK)
        st = gcent_binned_mi(ctx, s, 50, 4, 3, 3, y, 0.3, &r->bx, &r->by);
    if (st == GCENT_OK)
        st = gcent_ctx_set(ctx, GCENT_OPT_METHOD, GCENT_METHOD_QUADRATURE);
    if (st == GCENT_OK)
        st = gcent_entropy(ctx, s, 100, 2, 3, NULL, 0.4, &r->quad);
    return st;
}

static gcent_ctx *make_ctx(void)
{
    gcent_ctx *ctx = NULL;
    if (gcent_ctx_create(&ctx) != GCENT_OK)
        return NULL;
    gcent_ctx_set(ctx, GCENT_OPT_THREADS, 2);
    gcent_ctx_set(ctx, GCENT_OPT_MC_DRAWS, 2);
    gcent_ctx_set(ctx, GCENT_OPT_SEED, 7);
    return ctx;
}

static results reference;

static void *app_thread(void *arg)
{
    int *ok = arg;
    gcent_ctx *ctx = make_ctx();
    *ok = ctx != NULL;
    for (int r = 0; r < ROUNDS && *ok; ++r) {
        results got;
        *ok = run_all(ctx, &got) == GCENT_OK && memcmp(&got, &reference, sizeof got) == 0;
    }
    gcent_ctx_free(ctx);
    return NULL;
}

/* A plan made once and executed ROUNDS times on its own thread (its own
 * workers) while the application threads run their contexts. */
static gcent_layer_mi plan_ref;

static void *plan_thread(void *arg)
{
    gcent_plan *plan = arg;
    int ok = 1;
    for (int r = 0; r < 2 * ROUNDS && ok; ++r) {
        gcent_layer_mi got;
        ok = gcent_plan_execute_mi(plan, s, 3, &got) == GCENT_OK &&
             memcmp(&got, &plan_ref, sizeof got) == 0;
    }
    return ok ? plan : NULL;
}

START_TEST(test_concurrent_contexts)
{
    gcent_rng_normals(1, 2, 0, 600, s);
    for (int i = 0; i < 100; ++i)
        y[i] = i % 3;
    gcent_ctx *ctx = make_ctx();
    ck_assert_ptr_nonnull(ctx);
    ck_assert_int_eq(run_all(ctx, &reference), GCENT_OK);
    ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_METHOD, GCENT_METHOD_MC), GCENT_OK);
    ck_assert_int_eq(gcent_mi_layer(ctx, s, 50, 4, 3, 3, y, 0.4, &plan_ref), GCENT_OK);
    gcent_plan *plan = NULL;
    ck_assert_int_eq(gcent_plan_mi_layer(ctx, 50, 4, 3, y, 0.4, &plan), GCENT_OK);
    gcent_ctx_free(ctx); /* the plan keeps what it needs */
    pthread_t t[NAPP], tp;
    int ok[NAPP];
    ck_assert_int_eq(pthread_create(&tp, NULL, plan_thread, plan), 0);
    for (int i = 0; i < NAPP; ++i)
        ck_assert_int_eq(pthread_create(&t[i], NULL, app_thread, &ok[i]), 0);
    for (int i = 0; i < NAPP; ++i) {
        pthread_join(t[i], NULL);
        ck_assert_msg(ok[i], "thread %d: a result differed or a call failed", i);
    }
    void *pok = NULL;
    pthread_join(tp, &pok);
    ck_assert_msg(pok == plan, "the plan's thread: a result differed or a call failed");
    gcent_plan_free(plan);
}
END_TEST

int main(void)
{
    Suite *su = suite_create("tsan");
    TCase *tc = tcase_create("concurrent");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_concurrent_contexts);
    suite_add_tcase(su, tc);
    SRunner *sr = srunner_create(su);
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
