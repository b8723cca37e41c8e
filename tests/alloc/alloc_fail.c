/* Allocation-failure injection (make check-alloc).
 *
 * Built with the library compiled from source with -DGCENT_TEST_ALLOC_HOOK
 * and AddressSanitizer (LeakSanitizer reports any leak when a test's process
 * exits). For every public function that allocates, a scenario first runs
 * the call with no failure, recording its result and the number N of
 * allocations it makes; then for every k = 1..N it fails the k-th allocation
 * and checks that the call returns GCENT_ENOMEM, leaves its outputs untouched
 * (byte for byte), leaves a one-line message, and that the same context then
 * gives the reference result bit for bit. One worker thread, so that the
 * order of allocations is deterministic. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gcent.h"
#include "alloc.h"
#include "binned.h"

/* A scenario: run the call on ctx, writing its outputs into out (nbytes). */
typedef int (*call_fn)(gcent_ctx *ctx, void *out);

static unsigned long long total_calls, total_sites;

static void exercise(const char *name, call_fn fn, size_t nbytes, int method)
{
    gcent_ctx *ctx = NULL;
    gcent__test_alloc_reset(0);
    ck_assert_int_eq(gcent_ctx_create(&ctx), GCENT_OK);
    ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_THREADS, 1), GCENT_OK);
    ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_METHOD, method), GCENT_OK);
    ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_MC_DRAWS, 3), GCENT_OK);
    unsigned char ref[256], out[256], sentinel[256];
    ck_assert(nbytes <= sizeof ref);
    memset(sentinel, 0xA5, sizeof sentinel);

    gcent__test_alloc_reset(0);
    ck_assert_msg(fn(ctx, ref) == GCENT_OK, "%s: %s", name, gcent_ctx_errmsg(ctx));
    unsigned long long n = gcent__test_alloc_count();
    ck_assert_msg(n > 0, "%s makes no allocation", name);
    for (unsigned long long k = 1; k <= n; ++k) {
        memcpy(out, sentinel, nbytes);
        gcent__test_alloc_reset(k);
        int st = fn(ctx, out);
        ck_assert_msg(st == GCENT_ENOMEM, "%s, allocation %llu of %llu failed: status %d",
                      name, k, n, st);
        ck_assert_msg(memcmp(out, sentinel, nbytes) == 0, "%s, k = %llu: output written",
                      name, k);
        const char *msg = gcent_ctx_errmsg(ctx);
        ck_assert_msg(msg[0] != '\0' && strchr(msg, '\n') == NULL, "%s, k = %llu: message '%s'",
                      name, k, msg);
        gcent__test_alloc_reset(0); /* the context is still usable */
        ck_assert_int_eq(fn(ctx, out), GCENT_OK);
        ck_assert_msg(memcmp(out, ref, nbytes) == 0, "%s, k = %llu: result changed", name, k);
        ++total_calls;
    }
    total_sites += n;
    gcent_ctx_free(ctx);
}

/* ---- inputs ---------------------------------------------------------------------------- */

#define N1 40
static double s1[N1 * 3];
static int lab[N1];

static void init_inputs(void)
{
    gcent_rng_normals(3, 1, 0, N1 * 3, s1);
    for (size_t i = 0; i < N1; ++i)
        lab[i] = (int)(i % 3) - 1;
}

static int c_entropy_d3(gcent_ctx *c, void *o) { return gcent_entropy(c, s1, N1, 3, 3, NULL, 0.5, o); }
static int c_entropy_d1(gcent_ctx *c, void *o) { return gcent_entropy(c, s1, N1, 1, 3, NULL, 0.5, o); }
static int c_entropy_d2(gcent_ctx *c, void *o) { return gcent_entropy(c, s1, 12, 2, 3, NULL, 0.5, o); }
static int c_bounds(gcent_ctx *c, void *o)
{
    double *b = o;
    return gcent_entropy_bounds(c, s1, N1, 3, 3, NULL, 0.5, &b[0], &b[1]);
}
static int c_mi_labels(gcent_ctx *c, void *o) { return gcent_mi_layer(c, s1, 10, 4, 2, 3, lab, 0.5, o); }
static int c_mi_nolabels(gcent_ctx *c, void *o) { return gcent_mi_layer(c, s1, 10, 4, 3, 3, NULL, 0.5, o); }
static int c_mi_quad(gcent_ctx *c, void *o) { return gcent_mi_layer(c, s1, 6, 3, 1, 3, lab, 0.5, o); }
static int c_binned(gcent_ctx *c, void *o) { return gcent_binned_entropy(c, s1, N1, 3, 3, 0.7, o); }
static int c_binned_mi(gcent_ctx *c, void *o)
{
    double *b = o;
    return gcent_binned_mi(c, s1, 10, 4, 3, 3, lab, 0.7, &b[0], &b[1]);
}
static int c_sliced_q1(gcent_ctx *c, void *o)
{
    return gcent_sliced_mi_layer(c, s1, 10, 4, 3, 3, lab, 0.5, 1, 3, o);
}
static int c_sliced_q2(gcent_ctx *c, void *o)
{
    return gcent_sliced_mi_layer(c, s1, 10, 4, 3, 3, NULL, 0.5, 2, 3, o);
}
static int c_binned_collide(gcent_ctx *c, void *o)
{
    return gcent__binned_entropy_masked(c, s1, N1, 3, 3, 0.7, 0, o);
}
/* A plan made, executed twice, freed: every allocation is made at creation. */
static int c_plan_mi(gcent_ctx *c, void *o)
{
    gcent_plan *p = NULL;
    int st = gcent_plan_mi_layer(c, 10, 4, 2, lab, 0.5, &p);
    if (st == GCENT_OK)
        st = gcent_plan_execute_mi(p, s1, 3, o);
    if (st == GCENT_OK)
        st = gcent_plan_execute_mi(p, s1, 3, o);
    gcent_plan_free(p);
    return st;
}
static int c_plan_entropy(gcent_ctx *c, void *o)
{
    gcent_plan *p = NULL;
    int st = gcent_plan_entropy(c, N1, 2, NULL, 0.5, &p);
    if (st == GCENT_OK)
        st = gcent_plan_execute_entropy(p, s1, 3, o);
    gcent_plan_free(p);
    return st;
}
/* Two shards, merged and finished. */
static int c_partial_mi(gcent_ctx *c, void *o)
{
    static gcent_partial a, b;
    int st = gcent_mi_layer_partial(c, s1, 10, 4, 2, 3, lab, 0.5, 0, 17, &a);
    if (st == GCENT_OK)
        st = gcent_mi_layer_partial(c, s1, 10, 4, 2, 3, lab, 0.5, 17, 40, &b);
    if (st == GCENT_OK)
        st = gcent_partial_merge(&a, &b);
    if (st == GCENT_OK)
        st = gcent_mi_layer_finish(c, &a, o);
    return st;
}
static int c_partial_entropy(gcent_ctx *c, void *o)
{
    static gcent_partial a, b;
    int st = gcent_entropy_partial(c, s1, N1, 3, 3, NULL, 0.5, 0, 9, &a);
    if (st == GCENT_OK)
        st = gcent_entropy_partial(c, s1, N1, 3, 3, NULL, 0.5, 9, N1, &b);
    if (st == GCENT_OK)
        st = gcent_partial_merge(&a, &b);
    if (st == GCENT_OK)
        st = gcent_entropy_finish(c, &a, o);
    return st;
}

START_TEST(test_alloc_failures)
{
    init_inputs();
    exercise("gcent_entropy MC d=3", c_entropy_d3, sizeof(gcent_estimate), GCENT_METHOD_MC);
    exercise("gcent_entropy quadrature d=1", c_entropy_d1, sizeof(gcent_estimate),
             GCENT_METHOD_QUADRATURE);
    exercise("gcent_entropy quadrature d=2", c_entropy_d2, sizeof(gcent_estimate),
             GCENT_METHOD_QUADRATURE);
    exercise("gcent_entropy AUTO d=1", c_entropy_d1, sizeof(gcent_estimate), GCENT_METHOD_AUTO);
    exercise("gcent_entropy_bounds", c_bounds, 2 * sizeof(double), GCENT_METHOD_AUTO);
    exercise("gcent_mi_layer MC labels", c_mi_labels, sizeof(gcent_layer_mi), GCENT_METHOD_MC);
    exercise("gcent_mi_layer MC no labels", c_mi_nolabels, sizeof(gcent_layer_mi),
             GCENT_METHOD_MC);
    exercise("gcent_mi_layer quadrature", c_mi_quad, sizeof(gcent_layer_mi),
             GCENT_METHOD_QUADRATURE);
    exercise("gcent_mi_layer AUTO", c_mi_quad, sizeof(gcent_layer_mi), GCENT_METHOD_AUTO);
    exercise("gcent_binned_entropy", c_binned, sizeof(double), GCENT_METHOD_AUTO);
    exercise("gcent_binned_mi", c_binned_mi, 2 * sizeof(double), GCENT_METHOD_AUTO);
    exercise("binned, every hash colliding", c_binned_collide, sizeof(double),
             GCENT_METHOD_AUTO);
    exercise("plan of gcent_mi_layer, MC", c_plan_mi, sizeof(gcent_layer_mi), GCENT_METHOD_MC);
    exercise("plan of gcent_mi_layer, AUTO", c_plan_mi, sizeof(gcent_layer_mi),
             GCENT_METHOD_AUTO);
    exercise("plan of gcent_entropy, quadrature", c_plan_entropy, sizeof(gcent_estimate),
             GCENT_METHOD_QUADRATURE);
    exercise("shards of gcent_mi_layer, MC", c_partial_mi, sizeof(gcent_layer_mi),
             GCENT_METHOD_MC);
    exercise("shards of gcent_mi_layer, quadrature", c_partial_mi, sizeof(gcent_layer_mi),
             GCENT_METHOD_QUADRATURE);
    exercise("shards of gcent_entropy, MC", c_partial_entropy, sizeof(gcent_estimate),
             GCENT_METHOD_MC);
    exercise("gcent_sliced_mi_layer q=1 labels", c_sliced_q1, sizeof(gcent_sliced_mi),
             GCENT_METHOD_AUTO);
    exercise("gcent_sliced_mi_layer q=2 no labels", c_sliced_q2, sizeof(gcent_sliced_mi),
             GCENT_METHOD_AUTO);
    printf("allocation-failure injection: %llu allocations failed one at a time, "
           "%llu failing calls, all GCENT_ENOMEM with outputs untouched\n",
           total_sites, total_calls);
}
END_TEST

/* Executing a plan allocates nothing: whole executions and shards, Monte
 * Carlo (pruned, with duplicates merged) and quadrature, layer and entropy. */
START_TEST(test_plan_execute_allocates_nothing)
{
    init_inputs();
    const int methods[3] = {GCENT_METHOD_MC, GCENT_METHOD_QUADRATURE, GCENT_METHOD_AUTO};
    for (int mi = 0; mi < 3; ++mi) {
        gcent_ctx *ctx = NULL;
        ck_assert_int_eq(gcent_ctx_create(&ctx), GCENT_OK);
        ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_METHOD, methods[mi]), GCENT_OK);
        ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_THREADS, 2), GCENT_OK);
        gcent_plan *lp = NULL, *ep = NULL;
        const size_t d = methods[mi] == GCENT_METHOD_MC ? 3 : 2;
        ck_assert_int_eq(gcent_plan_mi_layer(ctx, 10, 4, d, lab, 0.5, &lp), GCENT_OK);
        ck_assert_int_eq(gcent_plan_entropy(ctx, N1, d, NULL, 0.5, &ep), GCENT_OK);
        double dup[N1 * 3];
        memcpy(dup, s1, sizeof dup);
        memcpy(dup + 20 * 3, dup, 20 * 3 * sizeof(double));
        gcent__test_alloc_reset(0);
        for (int e = 0; e < 3; ++e) {
            gcent_layer_mi r;
            gcent_estimate h;
            static gcent_partial part;
            ck_assert_int_eq(gcent_plan_execute_mi(lp, s1, 3, &r), GCENT_OK);
            ck_assert_int_eq(gcent_plan_execute_mi_partial(lp, s1, 3, 5, 30, &part), GCENT_OK);
            ck_assert_int_eq(gcent_plan_execute_entropy(ep, e == 1 ? dup : s1, 3, &h), GCENT_OK);
            ck_assert_int_eq(gcent_plan_execute_entropy_partial(ep, s1, 3, 0, 7, &part),
                             GCENT_OK);
        }
        ck_assert_msg(gcent__test_alloc_count() == 0, "method %d: %llu allocations in executions",
                      methods[mi], gcent__test_alloc_count());
        gcent_plan_free(lp);
        gcent_plan_free(ep);
        gcent_ctx_free(ctx);
    }
}
END_TEST

/* Not even the C library allocates while a plan executes: every allocation
 * of the process (qsort's buffer included: glibc's qsort mallocs above 1 KiB)
 * is counted through AddressSanitizer's allocation hook while executions run
 * (after a first execution, so that the plan's worker threads, which
 * allocate as they start, are running).
 * Quadrature (it sorts the centres of every mixture it integrates) and Monte
 * Carlo with all rows equal (the k-d build orders a leaf of equal centres),
 * with sizes above qsort's on-stack limit. No Check assertion inside the
 * watched window (Check itself may allocate). */
int __sanitizer_install_malloc_and_free_hooks(void (*malloc_hook)(const volatile void *, size_t),
                                              void (*free_hook)(const volatile void *));
static _Atomic unsigned long long libc_allocs;
static _Atomic int watching;

static void on_any_malloc(const volatile void *p, size_t n)
{
    (void)p;
    (void)n;
    if (watching)
        ++libc_allocs;
}

static void on_any_free(const volatile void *p) { (void)p; }

START_TEST(test_plan_execute_no_libc_allocation)
{
    enum { M = 75, K = 4, N = M * K };
    static double s[N * 2], same[N * 2];
    static int y[M];
    gcent_rng_normals(6, 1, 0, N * 2, s);
    for (size_t i = 0; i < N * 2; ++i)
        same[i] = i % 2 ? 0.25 : -0.5;
    for (int i = 0; i < M; ++i)
        y[i] = i % 3;
    ck_assert(__sanitizer_install_malloc_and_free_hooks(on_any_malloc, on_any_free) != 0);
    struct { int method; size_t d; const double *x; } cfg[] = {
        {GCENT_METHOD_QUADRATURE, 1, s}, {GCENT_METHOD_QUADRATURE, 2, s},
        {GCENT_METHOD_MC, 2, same},
    };
    for (size_t c = 0; c < sizeof cfg / sizeof cfg[0]; ++c) {
        gcent_ctx *ctx = NULL;
        ck_assert_int_eq(gcent_ctx_create(&ctx), GCENT_OK);
        ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_METHOD, cfg[c].method), GCENT_OK);
        ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_THREADS, 2), GCENT_OK);
        const size_t d = cfg[c].d;
        gcent_plan *lp = NULL, *ep = NULL;
        ck_assert_int_eq(gcent_plan_mi_layer(ctx, M, K, d, y, 0.3, &lp), GCENT_OK);
        ck_assert_int_eq(gcent_plan_entropy(ctx, N, d, NULL, 0.3, &ep), GCENT_OK);
        gcent_layer_mi r;
        gcent_estimate h;
        /* once before watching: the workers, started with the plans, have
         * then run (a starting thread allocates, under ASan); every
         * configuration has several chunks of work, so that they are woken */
        ck_assert_int_eq(gcent_plan_execute_mi(lp, cfg[c].x, d, &r), GCENT_OK);
        ck_assert_int_eq(gcent_plan_execute_entropy(ep, cfg[c].x, d, &h), GCENT_OK);
        int st[2];
        libc_allocs = 0;
        watching = 1;
        st[0] = gcent_plan_execute_mi(lp, cfg[c].x, d, &r);
        st[1] = gcent_plan_execute_entropy(ep, cfg[c].x, d, &h);
        watching = 0;
        ck_assert_int_eq(st[0], GCENT_OK);
        ck_assert_int_eq(st[1], GCENT_OK);
        ck_assert_msg(libc_allocs == 0, "method %d, d = %zu: %llu allocations in executions",
                      cfg[c].method, d, (unsigned long long)libc_allocs);
        gcent_plan_free(lp);
        gcent_plan_free(ep);
        gcent_ctx_free(ctx);
    }
}
END_TEST

START_TEST(test_ctx_create_failure)
{
    gcent_ctx *ctx = (gcent_ctx *)&ctx; /* sentinel */
    gcent__test_alloc_reset(1);
    ck_assert_int_eq(gcent_ctx_create(&ctx), GCENT_ENOMEM);
    ck_assert(ctx == (gcent_ctx *)&ctx);
    gcent__test_alloc_reset(0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("alloc");
    TCase *tc = tcase_create("inject");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_alloc_failures);
    tcase_add_test(tc, test_ctx_create_failure);
    tcase_add_test(tc, test_plan_execute_allocates_nothing);
    tcase_add_test(tc, test_plan_execute_no_libc_allocation);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_set_fork_status(sr, CK_NOFORK); /* the summary line is printed by this process */
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
