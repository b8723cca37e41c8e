/* Shards: for any split of the rows into shards, computed on 1, 2 or 4
 * threads and merged along a random tree, the finished result is the
 * one-shot call's, bit for bit (entropy and layer MI; uniform and clustered
 * data; pruned and dense; one and several draws; quadrature); the merged
 * bytes do not depend on the tree. And every refusal of merge and finish. */
#include <stdlib.h>
#include <string.h>
#include "tests.h"
#include "partial.h" /* the layout, to forge bad partials */

typedef struct {
    int layer;                 /* 0: gcent_entropy, 1: gcent_mi_layer */
    size_t n, m, k, d;
    const double *s, *w;
    const int *labels;
    double beta;
    int method, prune;
    double draws;
    int max_shards, trials;
    int precision;             /* GCENT_OPT_PRECISION (0: the default) */
} scase;

static gcent_ctx *case_ctx(const scase *c, double threads)
{
    gcent_ctx *ctx = gt_ctx(c->method, c->draws, 21);
    ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_PRUNE, c->prune), GCENT_OK);
    ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_THREADS, threads), GCENT_OK);
    ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_PRECISION, c->precision), GCENT_OK);
    return ctx;
}

static int part_of(gcent_ctx *ctx, const scase *c, size_t rb, size_t re, gcent_partial *p)
{
    if (c->layer)
        return gcent_mi_layer_partial(ctx, c->s, c->m, c->k, c->d, c->d, c->labels, c->beta,
                                      rb, re, p);
    return gcent_entropy_partial(ctx, c->s, c->n, c->d, c->d, c->w, c->beta, rb, re, p);
}

/* The one-shot result as bytes (gcent_layer_mi or gcent_estimate). */
static size_t one_shot(const scase *c, unsigned char *out)
{
    gcent_ctx *ctx = case_ctx(c, 2);
    size_t len;
    if (c->layer) {
        gcent_layer_mi r;
        ck_assert_int_eq(gcent_mi_layer(ctx, c->s, c->m, c->k, c->d, c->d, c->labels, c->beta,
                                        &r), GCENT_OK);
        memcpy(out, &r, len = sizeof r);
    } else {
        gcent_estimate r;
        ck_assert_int_eq(gcent_entropy(ctx, c->s, c->n, c->d, c->d, c->w, c->beta, &r),
                         GCENT_OK);
        memcpy(out, &r, len = sizeof r);
    }
    gcent_ctx_free(ctx);
    return len;
}

static void run_case(const scase *c, uint64_t *rng, const char *name)
{
    unsigned char want[sizeof(gcent_layer_mi)], got[sizeof(gcent_layer_mi)];
    const size_t len = one_shot(c, want);
    gcent_partial *parts = malloc((size_t)c->max_shards * sizeof *parts);
    gcent_partial *first = malloc(sizeof *first);
    ck_assert(parts && first);
    const double threads[3] = {1, 2, 4};
    gcent_ctx *fctx = case_ctx(c, 1);
    for (int t = 0; t < c->trials; ++t) {
        /* a split: S shards at S - 1 random cut points (empty shards allowed) */
        const int S = t == 0 ? 1 : 1 + (int)(gt_lcg01(rng) * c->max_shards);
        size_t cut[65];
        cut[0] = 0;
        cut[S] = c->n;
        for (int i = 1; i < S; ++i)
            cut[i] = (size_t)(gt_lcg01(rng) * (double)(c->n + 1));
        for (int i = 1; i < S; ++i) /* insertion sort of the inner cuts */
            for (int j = i; j > 1 && cut[j] < cut[j - 1]; --j) {
                size_t x = cut[j];
                cut[j] = cut[j - 1];
                cut[j - 1] = x;
            }
        for (int i = 0; i < S; ++i) {
            gcent_ctx *ctx = case_ctx(c, threads[(int)(gt_lcg01(rng) * 3)]);
            ck_assert_msg(part_of(ctx, c, cut[i], cut[i + 1], &parts[i]) == GCENT_OK, "%s: %s",
                          name, gcent_ctx_errmsg(ctx));
            gcent_ctx_free(ctx);
        }
        /* a random merge tree: merge a random partial into another, until one */
        for (int live = S; live > 1; --live) {
            int a = (int)(gt_lcg01(rng) * live), b = (int)(gt_lcg01(rng) * (live - 1));
            if (b >= a)
                ++b;
            ck_assert_int_eq(gcent_partial_merge(&parts[a], &parts[b]), GCENT_OK);
            parts[b] = parts[live - 1];
            if (a == live - 1)
                a = b;
        }
        if (c->layer) {
            gcent_layer_mi r;
            ck_assert_int_eq(gcent_mi_layer_finish(fctx, &parts[0], &r), GCENT_OK);
            memcpy(got, &r, sizeof r);
        } else {
            gcent_estimate r;
            ck_assert_int_eq(gcent_entropy_finish(fctx, &parts[0], &r), GCENT_OK);
            memcpy(got, &r, sizeof r);
        }
        ck_assert_msg(memcmp(got, want, len) == 0, "%s, trial %d (%d shards): finished %.17g, "
                      "one-shot %.17g", name, t, S, ((double *)got)[c->layer ? 2 : 0],
                      ((double *)want)[c->layer ? 2 : 0]);
        if (t == 0)
            *first = parts[0];
        else
            ck_assert_msg(memcmp(first, &parts[0], sizeof *first) == 0,
                          "%s, trial %d: merged bytes depend on the split or the tree", name, t);
    }
    gcent_ctx_free(fctx);
    free(parts);
    free(first);
}

/* Clustered, saturated rows like a trained tanh layer. */
static void clustered(double *s, size_t n, size_t d, uint64_t seed)
{
    gcent_rng_normals(seed, 3u, 0, n * d, s);
    for (size_t i = 0; i < n; ++i)
        for (size_t k = 0; k < d; ++k)
            s[i * d + k] = tanh(2.5 * ((double)((i / 3 + 2 * k) % 6) / 2.5 - 1.0) +
                                0.2 * s[i * d + k]);
}

START_TEST(test_shard_entropy_splits)
{
    enum { N = 300 };
    static double u[N * 7], c2[N * 2], w[N];
    uint64_t rng = 12345;
    for (size_t i = 0; i < N * 7; ++i)
        u[i] = 2.0 * gt_lcg01(&rng) - 1.0;
    clustered(c2, N, 2, 4);
    memcpy(c2 + 200 * 2, c2, 100 * 2 * sizeof(double)); /* duplicates: merged when pruned */
    double sum = 0.0;
    for (int i = 0; i < N; ++i)
        sum += (w[i] = i % 9 == 4 ? 0.0 : 0.5 + gt_lcg01(&rng));
    for (int i = 0; i < N; ++i)
        w[i] /= sum;
    const scase cases[] = {
        {0, N, N, 1, 3, u, NULL, NULL, 0.1, GCENT_METHOD_MC, GCENT_PRUNE_ON, 3, 64, 6, 0},
        {0, N, N, 1, 7, u, NULL, NULL, 0.3, GCENT_METHOD_MC, GCENT_PRUNE_OFF, 2, 64, 5, 0},
        {0, N, N, 1, 2, c2, w, NULL, 0.1, GCENT_METHOD_MC, GCENT_PRUNE_ON, 1, 64, 6, 0},
        {0, N, N, 1, 2, c2, NULL, NULL, 0.1, GCENT_METHOD_MC, GCENT_PRUNE_ON, 4, 40, 4, 0},
        {0, N, N, 1, 1, u, w, NULL, 0.05, GCENT_METHOD_QUADRATURE, GCENT_PRUNE_ON, 0, 24, 4, 0},
        {0, 60, 60, 1, 2, c2, NULL, NULL, 0.2, GCENT_METHOD_AUTO, GCENT_PRUNE_ON, 0, 12, 3, 0},
        {0, N, N, 1, 3, u, NULL, NULL, 0.1, GCENT_METHOD_MC, GCENT_PRUNE_ON, 3, 64, 5,
         GCENT_PRECISION_SINGLE},
        {0, N, N, 1, 2, c2, w, NULL, 0.1, GCENT_METHOD_MC, GCENT_PRUNE_OFF, 1, 64, 5,
         GCENT_PRECISION_SINGLE},
    };
    const char *names[] = {"entropy uniform d=3 pruned", "entropy uniform d=7 dense",
                           "entropy weighted duplicates d=2, 1 draw",
                           "entropy clustered duplicates d=2", "entropy quadrature d=1",
                           "entropy AUTO (quadrature) d=2", "entropy uniform d=3 pruned, single",
                           "entropy weighted duplicates d=2 dense, single, 1 draw"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i)
        run_case(&cases[i], &rng, names[i]);
}
END_TEST

START_TEST(test_shard_layer_splits)
{
    static double c5[60 * 4 * 5], u3[80 * 3], c1[30 * 3], c2[12 * 2 * 2], one[50];
    static int y60[60], y30[30], y12[12];
    uint64_t rng = 777;
    clustered(c5, 240, 5, 8);
    for (size_t i = 0; i < 80 * 3; ++i)
        u3[i] = 2.0 * gt_lcg01(&rng) - 1.0;
    clustered(c1, 90, 1, 9);
    clustered(c2, 24, 2, 10);
    gcent_rng_normals(3, 9, 0, 50, one);
    for (int i = 0; i < 60; ++i)
        y60[i] = i % 4 == 0 ? 3 : -2;
    for (int i = 0; i < 30; ++i)
        y30[i] = i % 3;
    for (int i = 0; i < 12; ++i)
        y12[i] = i % 2 ? 100000 : -100000;
    const scase cases[] = {
        {1, 240, 60, 4, 5, c5, NULL, y60, 0.1, GCENT_METHOD_MC, GCENT_PRUNE_ON, 1, 64, 6, 0},
        {1, 240, 60, 4, 5, c5, NULL, y60, 0.1, GCENT_METHOD_MC, GCENT_PRUNE_OFF, 3, 64, 4, 0},
        {1, 80, 80, 1, 3, u3, NULL, NULL, 0.2, GCENT_METHOD_MC, GCENT_PRUNE_ON, 2, 64, 5, 0},
        {1, 90, 30, 3, 1, c1, NULL, y30, 0.1, GCENT_METHOD_QUADRATURE, GCENT_PRUNE_ON, 0, 32, 4, 0},
        {1, 24, 12, 2, 2, c2, NULL, y12, 0.2, GCENT_METHOD_QUADRATURE, GCENT_PRUNE_ON, 0, 8, 3, 0},
        {1, 50, 1, 50, 1, one, NULL, NULL, 0.3, GCENT_METHOD_QUADRATURE, GCENT_PRUNE_ON, 0, 16, 3,
         0},
        {1, 30, 30, 1, 1, c1, NULL, y30, 0.1, GCENT_METHOD_AUTO, GCENT_PRUNE_ON, 0, 16, 3, 0},
        {1, 240, 60, 4, 5, c5, NULL, y60, 0.1, GCENT_METHOD_MC, GCENT_PRUNE_ON, 1, 64, 5,
         GCENT_PRECISION_SINGLE},
        {1, 240, 60, 4, 5, c5, NULL, y60, 0.1, GCENT_METHOD_MC, GCENT_PRUNE_OFF, 3, 64, 4,
         GCENT_PRECISION_SINGLE},
    };
    const char *names[] = {"layer clustered d=5 pruned, 1 draw", "layer clustered d=5 dense",
                           "layer uniform d=3, no labels", "layer quadrature d=1, 3 classes",
                           "layer quadrature d=2, k=2", "layer quadrature, one input",
                           "layer AUTO d=1, k=1", "layer clustered d=5 pruned, single",
                           "layer clustered d=5 dense, single"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i)
        run_case(&cases[i], &rng, names[i]);
}
END_TEST

/* ---- refusals -------------------------------------------------------------------- */

enum { RM = 20, RK = 3, RD = 2, RN = RM * RK };
static double rs[RN * RD];
static int ry[RM];

static gcent_ctx *rctx(double seed)
{
    gcent_ctx *ctx = gt_ctx(GCENT_METHOD_MC, 2, seed);
    ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_THREADS, 1), GCENT_OK);
    return ctx;
}

static void rpart(gcent_ctx *ctx, size_t m, size_t rb, size_t re, gcent_partial *p)
{
    ck_assert_msg(gcent_mi_layer_partial(ctx, rs, m, RK, RD, RD, ry, 0.1, rb, re, p) == GCENT_OK,
                  "%s", gcent_ctx_errmsg(ctx));
}

/* merge(into, from) is refused with status st and a reason containing
 * `words`; into is left as it was. */
static void refused(gcent_ctx *ctx, gcent_partial *into, const gcent_partial *from, int st,
                    const char *words)
{
    gcent_partial *before = malloc(sizeof *before);
    *before = *into;
    ck_assert_int_eq(gcent_partial_merge(into, from), st);
    ck_assert_int_eq(gcent_partial_merge_ctx(ctx, into, from), st);
    ck_assert(gt_one_line(ctx));
    ck_assert_msg(strstr(gcent_ctx_errmsg(ctx), words) != NULL, "'%s' lacks '%s'",
                  gcent_ctx_errmsg(ctx), words);
    ck_assert_ptr_nonnull(strstr(gcent_ctx_errmsg(ctx), "gcent_partial_merge: "));
    ck_assert(memcmp(before, into, sizeof *into) == 0);
    free(before);
}

START_TEST(test_shard_refusals)
{
    gcent_rng_normals(5, 5, 0, RN * RD, rs);
    for (int i = 0; i < RM; ++i)
        ry[i] = i % 2;
    gcent_partial *A = malloc(8 * sizeof *A), *B = A + 1, *C = A + 2, *X = A + 3, *Y = A + 4,
                  *M = A + 5;
    gcent_ctx *ctx = rctx(1), *other = rctx(2);
    rpart(ctx, RM, 0, 30, A);
    rpart(ctx, RM, 30, RN, B);
    rpart(ctx, RM, 15, 45, C);

    /* a gap: finish before every shard is merged */
    gcent_layer_mi r, sentinel;
    memset(&sentinel, 0x33, sizeof sentinel);
    r = sentinel;
    ck_assert_int_eq(gcent_mi_layer_finish(ctx, A, &r), GCENT_EINVAL);
    ck_assert_ptr_nonnull(strstr(gcent_ctx_errmsg(ctx), "rows [30, 60) of [0, 60) are missing"));
    ck_assert(memcmp(&r, &sentinel, sizeof r) == 0);
    /* repeats and overlaps */
    refused(ctx, A, A, GCENT_EINVAL, "in both partials");
    refused(ctx, A, C, GCENT_EINVAL, "rows [15, 30) are in both");
    /* another shape, seed, option, data, kind */
    rpart(ctx, RM - 1, 0, 3, X);
    refused(ctx, A, X, GCENT_EINVAL, "different shapes");
    rpart(other, RM, 30, RN, X);
    refused(ctx, A, X, GCENT_EINVAL, "different GCENT_OPT_SEED");
    gcent_ctx *nopr = rctx(1);
    ck_assert_int_eq(gcent_ctx_set(nopr, GCENT_OPT_PRUNE, GCENT_PRUNE_OFF), GCENT_OK);
    rpart(nopr, RM, 30, RN, X);
    refused(ctx, A, X, GCENT_EINVAL, "different GCENT_OPT_PRUNE");
    rs[7] += 1e-9;
    rpart(ctx, RM, 30, RN, X);
    rs[7] -= 1e-9;
    refused(ctx, A, X, GCENT_EINVAL, "different samples");
    ry[3] = 5;
    rpart(ctx, RM, 30, RN, X);
    ry[3] = 1;
    refused(ctx, A, X, GCENT_EINVAL, "fingerprints differ");
    ck_assert_int_eq(gcent_entropy_partial(ctx, rs, RN, RD, RD, NULL, 0.1, 30, RN, X), GCENT_OK);
    refused(ctx, A, X, GCENT_EINVAL, "cannot merge");
    /* forged: another library version, the other byte order, not a partial */
    gcent__part q;
    *X = *B;
    memcpy(&q, X, sizeof q);
    q.version += 1;
    memcpy(X, &q, sizeof q);
    refused(ctx, A, X, GCENT_EINVAL, "partials travel only between the same versions");
    memcpy(&q, B, sizeof q);
    q.magic = __builtin_bswap64(q.magic);
    memcpy(X, &q, sizeof q);
    refused(ctx, A, X, GCENT_EINVAL, "other byte order");
    memset(Y, 0, sizeof *Y);
    refused(ctx, A, Y, GCENT_EINVAL, "not a partial");
    refused(ctx, Y, A, GCENT_EINVAL, "not a partial");
    ck_assert_int_eq(gcent_partial_merge(NULL, A), GCENT_EINVAL);
    ck_assert_int_eq(gcent_partial_merge(A, NULL), GCENT_EINVAL);
    ck_assert_int_eq(gcent_partial_merge_ctx(NULL, A, B), GCENT_EINVAL);

    /* the good merge; finishing needs the partial's options and kind */
    *M = *A;
    ck_assert_int_eq(gcent_partial_merge(M, B), GCENT_OK);
    r = sentinel;
    ck_assert_int_eq(gcent_mi_layer_finish(other, M, &r), GCENT_EINVAL);
    ck_assert_ptr_nonnull(strstr(gcent_ctx_errmsg(other), "another GCENT_OPT_SEED"));
    gcent_ctx *base2 = rctx(1);
    ck_assert_int_eq(gcent_ctx_set(base2, GCENT_OPT_LOG_BASE, 2), GCENT_OK);
    ck_assert_int_eq(gcent_mi_layer_finish(base2, M, &r), GCENT_EINVAL);
    gcent_estimate e;
    ck_assert_int_eq(gcent_entropy_finish(ctx, M, &e), GCENT_EINVAL);
    ck_assert_ptr_nonnull(strstr(gcent_ctx_errmsg(ctx), "not gcent_entropy_partial"));
    ck_assert(memcmp(&r, &sentinel, sizeof r) == 0);
    ck_assert_int_eq(gcent_mi_layer_finish(ctx, M, NULL), GCENT_EINVAL);
    ck_assert_int_eq(gcent_mi_layer_finish(ctx, M, &r), GCENT_OK);
    gcent_layer_mi whole;
    ck_assert_int_eq(gcent_mi_layer(ctx, rs, RM, RK, RD, RD, ry, 0.1, &whole), GCENT_OK);
    ck_assert(memcmp(&r, &whole, sizeof r) == 0);
    /* an empty shard contributes nothing; a bad range is refused */
    rpart(ctx, RM, 30, 30, Y);
    *X = *M;
    ck_assert_int_eq(gcent_partial_merge(X, Y), GCENT_OK);
    ck_assert(memcmp(X, M, sizeof *X) == 0);
    ck_assert_int_eq(gcent_mi_layer_partial(ctx, rs, RM, RK, RD, RD, ry, 0.1, 5, 4, Y),
                     GCENT_EINVAL);
    ck_assert_int_eq(gcent_mi_layer_partial(ctx, rs, RM, RK, RD, RD, ry, 0.1, 0, RN + 1, Y),
                     GCENT_EINVAL);
    ck_assert_int_eq(gcent_entropy_partial(ctx, rs, RN, RD, RD, NULL, 0.1, 0, 1, NULL),
                     GCENT_EINVAL);
    /* a partial travels as bytes */
    unsigned char *bytes = malloc(sizeof *M);
    memcpy(bytes, M, sizeof *M);
    memcpy(Y, bytes, sizeof *M);
    ck_assert_int_eq(gcent_mi_layer_finish(ctx, Y, &r), GCENT_OK);
    free(bytes);
    gcent_ctx_free(ctx);
    gcent_ctx_free(other);
    gcent_ctx_free(nopr);
    gcent_ctx_free(base2);
    free(A);
}
END_TEST

/* At most 256 disjoint row ranges in one partial: the 257th is refused with
 * GCENT_ERANGE (merge neighbours first), and the partial is kept. */
START_TEST(test_shard_range_limit)
{
    enum { N = 600 };
    static double s[N];
    gcent_rng_normals(4, 4, 0, N, s);
    gcent_ctx *ctx = gt_ctx(GCENT_METHOD_MC, 1, 1);
    ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_THREADS, 1), GCENT_OK);
    gcent_partial *acc = malloc(2 * sizeof *acc), *one = acc + 1;
    ck_assert_int_eq(gcent_entropy_partial(ctx, s, N, 1, 1, NULL, 0.1, 0, 1, acc), GCENT_OK);
    for (size_t r = 1; r < 257; ++r) {
        ck_assert_int_eq(gcent_entropy_partial(ctx, s, N, 1, 1, NULL, 0.1, 2 * r, 2 * r + 1, one),
                         GCENT_OK);
        int st = gcent_partial_merge_ctx(ctx, acc, one);
        if (r < 256) {
            ck_assert_int_eq(st, GCENT_OK);
        } else {
            ck_assert_int_eq(st, GCENT_ERANGE);
            ck_assert_ptr_nonnull(strstr(gcent_ctx_errmsg(ctx), "at most 256"));
        }
    }
    gcent_ctx_free(ctx);
    free(acc);
}
END_TEST

Suite *suite_shard(void)
{
    Suite *s = suite_create("shard");
    TCase *tc = gt_tcase(s, "splits", 300);
    tcase_set_tags(tc, "long"); /* hundreds of shard computations: not under Valgrind */
    tcase_add_test(tc, test_shard_entropy_splits);
    tcase_add_test(tc, test_shard_layer_splits);
    TCase *bad = gt_tcase(s, "refusals", 60);
    tcase_add_test(bad, test_shard_refusals);
    tcase_add_test(bad, test_shard_range_limit);
    return s;
}
