/* The packed kernel (src/kernel.c) and pruning: the sums against a direct
 * long-double reference, bit-identity over instruction sets, the pruning
 * bound on random, clustered and duplicated data, and the public functions
 * with pruning on and off. */
#include <float.h>
#include <stdlib.h>
#include <string.h>
#include "internals.h"
#include "kernel_util.h"
#include "tests.h"

/* Dense sums equal the long-double reference to rounding (plus the flushed
 * terms, below 8.5e-17 in all), in every slot, with segments, groups and the
 * self term left out. */
START_TEST(test_pack_dense_vs_reference)
{
    static const size_t dims[] = {1, 2, 3, 5, 12};
    for (size_t t = 0; t < sizeof dims / sizeof dims[0]; ++t) {
        gt_kfix f;
        gt_kfix_init(&f, 203, dims[t], t % 2 ? 4 : 0, 0.2, 11 + t, 3, 4);
        gcent__pack P;
        ck_assert_int_eq(gt_pack_init(&P, &f.m, f.segf, f.nseg, f.grp, 0.0, 0), GCENT_OK);
        uint64_t st = 5 + t;
        double q[16];
        for (size_t i = 0; i < f.n; i += 7) {
            gcent__query Q;
            gt_kquery(&f, &P, i, &st, q, &Q, 4);
            double S[3];
            long double R[3];
            double over = gcent__pack_sums(&P, &Q, S);
            ck_assert(over <= GCENT__PK_EMAX);
            gt_ref_sums(&P, &Q, R);
            for (int c = 0; c < 3; ++c)
                ck_assert_msg(fabsl(S[c] - R[c]) <= 1e-13L * R[c] + 1e-16L,
                              "d %zu row %zu slot %d: %.17g vs %.17Lg", dims[t], i, c, S[c],
                              R[c]);
        }
        gt_pack_free(&P);
        gt_kfix_free(&f);
    }
}
END_TEST

/* Every instruction set the CPU has gives the same bits (sums, largest
 * exponent, blocks evaluated), dense and pruned. */
START_TEST(test_pack_isa_identical)
{
    const int top = gcent__pack_isa();
    ck_assert_int_ge(top, 0);
    static const size_t dims[] = {1, 2, 4, 7, 12};
    for (size_t t = 0; t < sizeof dims / sizeof dims[0]; ++t)
        for (int pruned = 0; pruned < 2; ++pruned) {
            gt_kfix f;
            gt_kfix_init(&f, 500, dims[t], 6, 0.05, 21 + t, 2, 3);
            gcent__pack P;
            ck_assert_int_eq(gt_pack_init(&P, &f.m, f.segf, f.nseg, f.grp,
                                              pruned ? 1e-12 : 0.0, 1),
                             GCENT_OK);
            uint64_t st = 9;
            double q[16];
            for (size_t i = 0; i < f.n; i += 13) {
                gcent__query Q;
                gt_kquery(&f, &P, i, &st, q, &Q, 3);
                double S0[3], e0;
                size_t b0 = 0;
                Q.blocks = &b0;
                e0 = gcent__pack_sums_isa(0, &P, &Q, S0);
                for (int isa = 1; isa <= top; ++isa) {
                    double S[3];
                    size_t b = 0;
                    Q.blocks = &b;
                    double e = gcent__pack_sums_isa(isa, &P, &Q, S);
                    ck_assert_msg(memcmp(S, S0, sizeof S) == 0 && e == e0 && b == b0,
                                  "isa %d differs from portable (d %zu, row %zu)", isa,
                                  dims[t], i);
                }
            }
            gt_pack_free(&P);
            gt_kfix_free(&f);
        }
    /* an instruction set beyond the CPU's is refused */
    gt_kfix f;
    gt_kfix_init(&f, 20, 2, 0, 0.0, 1, 1, 1);
    gcent__pack P;
    ck_assert_int_eq(gt_pack_init(&P, &f.m, NULL, 0, NULL, 0.0, 0), GCENT_OK);
    double q[2] = {0, 0}, S[3];
    gcent__query Q = {q, 0.5, 0.0, SIZE_MAX, -INFINITY, SIZE_MAX, -1.0, NULL, NULL};
    ck_assert(isnan(gcent__pack_sums_isa(3, &P, &Q, S)));
    gt_pack_free(&P);
    gt_kfix_free(&f);
}
END_TEST

/* The batch kernel gives, query by query, the bits of the single-query
 * kernel (sums and overflow signal) on every instruction set: dense,
 * pruned and merged packs, with segments and groups, batches of every size
 * up to GCENT__PK_QB in any order (the pruning test is per query whatever
 * else is in the batch), queries far from every centre, two values of a in
 * one batch, and exponents above GCENT__PK_EMAX (the log-space fallback's
 * trigger). The signal fires for every query with an exponent above
 * GCENT__PK_EMAX and for none whose sums are far below e^GCENT__PK_EMAX. */
START_TEST(test_pack_batch_identical)
{
    const int top = gcent__pack_isa();
    static const struct { size_t n, d; int clusters; double spread; size_t nseg; } sets[] = {
        {300, 1, 0, 0.0, 1},  {500, 2, 6, 0.05, 2}, {640, 5, 0, 0.0, 3},
        {800, 10, 12, 0.02, 2}, {700, 12, 0, 0.0, 1}, {600, 4, 5, 0.0, 1}, /* duplicates */
    };
    for (size_t t = 0; t < sizeof sets / sizeof sets[0]; ++t)
        for (int mode = 0; mode < 3; ++mode) { /* dense, pruned, pruned without groups */
            const size_t n = sets[t].n, d = sets[t].d;
            gt_kfix f;
            gt_kfix_init(&f, n, d, sets[t].clusters, sets[t].spread, 300 + t, sets[t].nseg, 3);
            gcent__pack P;
            ck_assert_int_eq(
                gt_pack_init(&P, &f.m, mode == 2 ? NULL : f.segf, mode == 2 ? 0 : f.nseg,
                                 mode == 2 ? NULL : f.grp, mode ? 1e-12 : 0.0, 1),
                GCENT_OK);
            if (mode == 2 && sets[t].spread == 0.0 && sets[t].clusters > 0)
                ck_assert_ptr_nonnull(P.self_lw); /* merged duplicates */
            gcent__pk_work W;
            ck_assert_int_eq(gcent__pk_work_init(&W, &P), GCENT_OK);
            const size_t nq = n / 2;
            double *qs = malloc(nq * d * sizeof *qs);
            gcent__query *Q = malloc(nq * sizeof *Q);
            double *S = malloc(3 * nq * sizeof *S), *E = malloc(nq * sizeof *E);
            ck_assert(qs && Q && S && E);
            uint64_t st = 41 + t;
            for (size_t j = 0; j < nq; ++j) {
                size_t i = (size_t)(gt_lcg01(&st) * n);
                gt_kquery(&f, &P, i, &st, qs + j * d, &Q[j], 3);
                if (mode == 2) {
                    Q[j].own_seg = SIZE_MAX;
                    Q[j].skip_lw = P.self_lw ? P.self_lw[i] : -INFINITY;
                }
                if (j % 17 == 5) /* far from everything */
                    qs[j * d] += 40.0;
                if (j % 11 == 3) /* another a in the same batch */
                    Q[j].a = 0.125;
                if (j % 23 == 7) /* exponents above GCENT__PK_EMAX */
                    Q[j].shift -= 700.0;
            }
            for (int isa = 0; isa <= top; ++isa) {
                uint64_t bs = 5 + (uint64_t)isa;
                for (size_t j0 = 0; j0 < nq;) {
                    size_t len = 1 + (size_t)(gt_lcg01(&bs) * GCENT__PK_QB);
                    len = len < nq - j0 ? len : nq - j0;
                    ck_assert_int_eq(
                        gcent__pack_sums_batch_isa(isa, &P, Q + j0, len, S + 3 * j0, E + j0, &W),
                        0);
                    j0 += len;
                }
                size_t over = 0;
                for (size_t j = 0; j < nq; ++j) {
                    double S1[3];
                    double e1 = gcent__pack_sums_isa(0, &P, &Q[j], S1);
                    ck_assert_msg(memcmp(S1, S + 3 * j, sizeof S1) == 0 && e1 == E[j],
                                  "set %zu mode %d isa %d query %zu: batch differs", t, mode,
                                  isa, j);
                    /* every term is at most e^max, n of them: below e^(EMAX - 1)
                     * when max < EMAX - 1 - log n */
                    long double R[3], mx = gt_ref_sums(&P, &Q[j], R);
                    over += mx > GCENT__PK_EMAX;
                    if (mx > GCENT__PK_EMAX)
                        ck_assert_msg(E[j] > GCENT__PK_EMAX,
                                      "set %zu mode %d isa %d query %zu: exponent %.3Lf, no "
                                      "overflow signal", t, mode, isa, j, mx);
                    else if (mx < GCENT__PK_EMAX - 1.0 - log((double)P.npad) - 1e-6)
                        ck_assert_msg(!(E[j] > GCENT__PK_EMAX),
                                      "set %zu mode %d isa %d query %zu: exponent %.3Lf, "
                                      "overflow signal", t, mode, isa, j, mx);
                }
                ck_assert_msg(over > 0, "set %zu mode %d: no exponent above the top", t, mode);
            }
            ck_assert_int_eq(gcent__pack_sums_batch_isa(top + 1, &P, Q, 1, S, E, &W), -1);
            free(qs);
            free(Q);
            free(S);
            free(E);
            gcent__pk_work_free(&W);
            gt_pack_free(&P);
            gt_kfix_free(&f);
        }
}
END_TEST

/* The pruning bound: pruned sums are never above the dense ones and below
 * them by at most tol in all; the three log quantities of gcent_mi_layer
 * move by at most tol. On clustered data most blocks are skipped. */
START_TEST(test_prune_bound)
{
    static const double tols[] = {1e-12, 1e-8, 1e-4, 1e-2};
    static const struct { size_t n, d; int clusters; double spread; } sets[] = {
        {700, 2, 0, 0.0},    {700, 5, 0, 0.0},   {900, 10, 0, 0.0},
        {1000, 3, 8, 0.02},  {1000, 7, 12, 0.05}, {1200, 10, 20, 0.01},
        {600, 4, 5, 0.0}, /* exact duplicates */
    };
    for (size_t t = 0; t < sizeof sets / sizeof sets[0]; ++t) {
        gt_kfix f;
        gt_kfix_init(&f, sets[t].n, sets[t].d, sets[t].clusters, sets[t].spread, 100 + t, 2,
                     4);
        gcent__pack D;
        ck_assert_int_eq(gt_pack_init(&D, &f.m, f.segf, f.nseg, f.grp, 0.0, 0), GCENT_OK);
        for (size_t u = 0; u < sizeof tols / sizeof tols[0]; ++u) {
            gcent__pack P;
            ck_assert_int_eq(gt_pack_init(&P, &f.m, f.segf, f.nseg, f.grp, tols[u], 1),
                             GCENT_OK);
            uint64_t st = 77;
            double q[16], worst = 0.0;
            size_t blocks_p = 0, blocks_d = 0;
            for (size_t i = 0; i < f.n; i += 5) {
                gcent__query Q;
                gt_kquery(&f, &P, i, &st, q, &Q, 4);
                double Sp[3], Sd[3];
                Q.blocks = &blocks_p;
                gcent__pack_sums(&P, &Q, Sp);
                Q.skip = D.pos[i];
                Q.blocks = &blocks_d;
                gcent__pack_sums(&D, &Q, Sd);
                double lost = 0.0;
                for (int c = 0; c < 3; ++c) {
                    /* same centres, another order: rounding only, upwards */
                    ck_assert_msg(Sp[c] <= Sd[c] * (1 + 1e-13) + 1e-300,
                                  "set %zu tol %g slot %d: pruned %.17g > dense %.17g", t,
                                  tols[u], c, Sp[c], Sd[c]);
                    lost += Sd[c] - Sp[c];
                }
                ck_assert_msg(lost <= tols[u] * (1 + 1e-9) + 1e-15 * (1 + Sd[0] + Sd[1] + Sd[2]),
                              "set %zu tol %g row %zu: pruning lost %.3g", t, tols[u], i, lost);
                /* the estimator's summands */
                double vp[3] = {log1p(Sp[0] + Sp[1] + Sp[2]),
                                log1p((Sp[1] + Sp[2]) / (1 + Sp[0])),
                                log1p(Sp[2] / (1 + Sp[0] + Sp[1]))};
                double vd[3] = {log1p(Sd[0] + Sd[1] + Sd[2]),
                                log1p((Sd[1] + Sd[2]) / (1 + Sd[0])),
                                log1p(Sd[2] / (1 + Sd[0] + Sd[1]))};
                for (int c = 0; c < 3; ++c) {
                    double diff = fabs(vp[c] - vd[c]);
                    worst = diff > worst ? diff : worst;
                    ck_assert_msg(diff <= tols[u] + 4 * DBL_EPSILON * (1 + fabs(vd[c])),
                                  "set %zu tol %g row %zu term %d: |%.17g - %.17g| > tol", t,
                                  tols[u], i, c, vp[c], vd[c]);
                }
            }
            if (sets[t].clusters > 0) /* clustered: pruning must bite */
                ck_assert_msg(blocks_p * 2 < blocks_d,
                              "set %zu tol %g: %zu of %zu blocks evaluated", t, tols[u],
                              blocks_p, blocks_d);
            gt_pack_free(&P);
        }
        gt_pack_free(&D);
        gt_kfix_free(&f);
    }
}
END_TEST

/* The automatic choice: pruning is dropped where it cannot pay (4096
 * centres in a square of side 6 beta: every block is within reach of every
 * query) and kept on tight clusters; either way the pack is valid. */
START_TEST(test_prune_auto_choice)
{
    gt_kfix f;
    gt_kfix_init(&f, 4096, 2, 1, 0.3, 5, 1, 1);
    gcent__pack P;
    ck_assert_int_eq(gt_pack_init(&P, &f.m, NULL, 0, NULL, 1e-12, 0), GCENT_OK);
    ck_assert_ptr_null(P.node);
    gt_pack_free(&P);
    gt_kfix_free(&f);
    gt_kfix_init(&f, 4000, 10, 20, 0.01, 6, 1, 1);
    ck_assert_int_eq(gt_pack_init(&P, &f.m, NULL, 0, NULL, 1e-12, 0), GCENT_OK);
    ck_assert_ptr_nonnull(P.node);
    gt_pack_free(&P);
    gt_kfix_free(&f);
}
END_TEST

/* Exact duplicates (as saturated units give) are merged into one centre of
 * summed weight when pruning is on: the same estimate as the dense pass
 * over every row, to rounding, with and without weights; the pack holds the
 * distinct rows only. */
START_TEST(test_prune_duplicates_merged)
{
    const size_t n = 2000, d = 3, distinct = 37;
    double *s = malloc(n * d * sizeof *s), *w = malloc(n * sizeof *w);
    double *pts = gt_kdata(distinct, d, 0, 0.0, 8);
    uint64_t st = 99;
    for (size_t i = 0; i < n; ++i) {
        size_t p = (size_t)(gt_lcg01(&st) * distinct);
        if (i < distinct)
            p = i; /* every point at least once */
        memcpy(s + i * d, pts + p * d, d * sizeof *s);
        w[i] = 0.5 + gt_lcg01(&st);
    }
    gt_ksum tot = {0.0, 0.0};
    for (size_t i = 0; i < n; ++i)
        gt_kadd(&tot, w[i]);
    for (size_t i = 0; i < n; ++i)
        w[i] /= tot.s + tot.c;
    gcent_ctx *ctx = gt_ctx(GCENT_METHOD_MC, 3, 5);
    gcent__mix m;
    ck_assert_int_eq(gt_mix_init(&m, s, n, d, d, NULL, 0.1), GCENT_OK);
    gcent__pack P;
    ck_assert_int_eq(gt_pack_init(&P, &m, NULL, 0, NULL, 1e-12, 0), GCENT_OK);
    ck_assert_uint_eq(P.n, distinct);
    ck_assert_ptr_nonnull(P.self_lw);
    gt_pack_free(&P);
    gcent__mix_free(&m);
    for (int weighted = 0; weighted < 2; ++weighted) {
        const double *wp = weighted ? w : NULL;
        gcent_estimate a, b;
        double la, ha, lb, hb;
        ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_PRUNE, GCENT_PRUNE_ON), GCENT_OK);
        ck_assert_int_eq(gcent_entropy(ctx, s, n, d, d, wp, 0.1, &a), GCENT_OK);
        ck_assert_int_eq(gcent_entropy_bounds(ctx, s, n, d, d, wp, 0.1, &la, &ha), GCENT_OK);
        ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_PRUNE, GCENT_PRUNE_OFF), GCENT_OK);
        ck_assert_int_eq(gcent_entropy(ctx, s, n, d, d, wp, 0.1, &b), GCENT_OK);
        ck_assert_int_eq(gcent_entropy_bounds(ctx, s, n, d, d, wp, 0.1, &lb, &hb), GCENT_OK);
        ck_assert_msg(fabs(a.value - b.value) <= 2e-12, "h merged %.17g dense %.17g", a.value,
                      b.value);
        ck_assert(fabs(a.se - b.se) <= 1e-9 * b.se + 1e-15);
        ck_assert(fabs(la - lb) <= 2e-12 && fabs(ha - hb) <= 2e-12);
    }
    gcent_ctx_free(ctx);
    free(pts);
    free(s);
    free(w);
}
END_TEST

/* The public functions: pruning on (several tolerances) against off, same
 * seed, so the same draws: every result within the tolerance; and pruned
 * results are bit-identical over thread counts. */
START_TEST(test_prune_public)
{
    static const double tols[] = {0.0 /* default 1e-12 */, 1e-9, 1e-5};
    for (int clustered = 0; clustered < 2; ++clustered) {
        const size_t m = GT_LIGHT(400, 100), k = 3, d = 6; /* GCENT_TEST_LIGHT: 100 */
        double *s = gt_kdata(m * k, d, clustered ? 10 : 0, clustered ? 0.03 : 0.0, 3);
        int *labels = malloc(m * sizeof *labels);
        for (size_t i = 0; i < m; ++i)
            labels[i] = (int)(i % 3 == 0);
        gcent_ctx *ctx = gt_ctx(GCENT_METHOD_MC, 2, 17);
        ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_PRUNE, GCENT_PRUNE_OFF), GCENT_OK);
        gcent_estimate hd;
        gcent_layer_mi md;
        double lod, hid;
        ck_assert_int_eq(gcent_entropy(ctx, s, m * k, d, d, NULL, 0.1, &hd), GCENT_OK);
        ck_assert_int_eq(gcent_mi_layer(ctx, s, m, k, d, d, labels, 0.1, &md), GCENT_OK);
        ck_assert_int_eq(gcent_entropy_bounds(ctx, s, m * k, d, d, NULL, 0.1, &lod, &hid),
                         GCENT_OK);
        for (size_t u = 0; u < sizeof tols / sizeof tols[0]; ++u) {
            double tol = tols[u] > 0 ? tols[u] : 1e-12;
            ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_PRUNE, GCENT_PRUNE_ON), GCENT_OK);
            ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_PRUNE_TOL, tols[u]), GCENT_OK);
            gcent_estimate hp;
            gcent_layer_mi mp;
            double lop, hip;
            ck_assert_int_eq(gcent_entropy(ctx, s, m * k, d, d, NULL, 0.1, &hp), GCENT_OK);
            ck_assert_int_eq(gcent_mi_layer(ctx, s, m, k, d, d, labels, 0.1, &mp), GCENT_OK);
            ck_assert_int_eq(gcent_entropy_bounds(ctx, s, m * k, d, d, NULL, 0.1, &lop, &hip),
                             GCENT_OK);
            /* each result is a weighted mean of summands that moved by <= tol
             * (and h(T), I(Y;T) are differences of at most two of them) */
            const double lim = 2 * tol + 1e-13;
            ck_assert_msg(fabs(hp.value - hd.value) <= lim, "h: %.3g", hp.value - hd.value);
            ck_assert_msg(fabs(mp.ht.value - md.ht.value) <= lim, "mi h");
            ck_assert_msg(fabs(mp.ixt.value - md.ixt.value) <= lim, "ixt: %.3g",
                          mp.ixt.value - md.ixt.value);
            ck_assert_msg(fabs(mp.iyt.value - md.iyt.value) <= lim, "iyt: %.3g",
                          mp.iyt.value - md.iyt.value);
            ck_assert_msg(fabs(lop - lod) <= lim && fabs(hip - hid) <= lim, "bounds");
            if (tols[u] == 0.0)
                for (double th = 1; th <= 3; ++th) {
                    gcent_layer_mi mt;
                    ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_THREADS, th), GCENT_OK);
                    ck_assert_int_eq(gcent_mi_layer(ctx, s, m, k, d, d, labels, 0.1, &mt),
                                     GCENT_OK);
                    ck_assert(memcmp(&mt, &mp, sizeof mt) == 0);
                }
            ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_THREADS, 0), GCENT_OK);
        }
        gcent_ctx_free(ctx);
        free(labels);
        free(s);
    }
}
END_TEST

/* Weights so unequal that a term is e^690 times the self term: the linear
 * sums would overflow, the query is redone in log space, and the result is
 * still the dense one. */
START_TEST(test_pack_overflow_fallback)
{
    double s[3] = {0.0, 0.05, 3.0};
    double w[3] = {1e-300, 0.5, 0.5};
    gcent_ctx *ctx = gt_ctx(GCENT_METHOD_MC, 64, 1);
    gcent_estimate a, b;
    ck_assert_int_eq(gcent_entropy(ctx, s, 3, 1, 1, w, 0.1, &a), GCENT_OK);
    ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_PRUNE, GCENT_PRUNE_OFF), GCENT_OK);
    ck_assert_int_eq(gcent_entropy(ctx, s, 3, 1, 1, w, 0.1, &b), GCENT_OK);
    ck_assert(isfinite(a.value) && isfinite(a.se));
    ck_assert(fabs(a.value - b.value) <= 1e-12);
    /* against quadrature: the 1e-300 centre is invisible */
    gcent_ctx *cq = gt_ctx(GCENT_METHOD_QUADRATURE, 1, 0);
    gcent_estimate c;
    ck_assert_int_eq(gcent_entropy(cq, s, 3, 1, 1, w, 0.1, &c), GCENT_OK);
    ck_assert_msg(fabs(a.value - c.value) <= 5 * a.se + 1e-12, "MC %.6f +- %.2g vs %.6f",
                  a.value, a.se, c.value);
    gcent_ctx_free(ctx);
    gcent_ctx_free(cq);
}
END_TEST

/* Above 12 coordinates the double kernel runs in unrolled chunks; the
 * generic loop of earlier releases (wide_legacy, the benchmark's reference)
 * gives the same bits, query by query, on every instruction set, batched
 * and alone, dense and pruned; and both are the long-double reference to
 * rounding. */
START_TEST(test_pack_wide_chunks)
{
    const int top = gcent__pack_isa();
    static const size_t dims[] = {13, 14, 16, 21, 24, 33, 64, 100};
    for (size_t t = 0; t < sizeof dims / sizeof dims[0]; ++t)
        for (int pruned = 0; pruned < 2; ++pruned) {
            const size_t n = GT_LIGHT(400, 120), d = dims[t];
            gt_kfix f;
            /* clusters 0.3 wide: terms of every size, blocks that stop early */
            gt_kfix_init(&f, n, d, 5, 0.3 / sqrt((double)d), 60 + t, 2, 3);
            gcent__pack P;
            ck_assert_int_eq(gt_pack_init(&P, &f.m, f.segf, f.nseg, f.grp,
                                          pruned ? 1e-12 : 0.0, 1), GCENT_OK);
            gcent__pk_work W;
            ck_assert_int_eq(gcent__pk_work_init(&W, &P), GCENT_OK);
            double *qs = malloc(GCENT__PK_QB * d * sizeof *qs);
            ck_assert_ptr_nonnull(qs);
            gcent__query Q[GCENT__PK_QB];
            uint64_t st = 3 + t;
            for (size_t i0 = 0; i0 < n; i0 += GCENT__PK_QB) {
                const size_t nq = n - i0 < GCENT__PK_QB ? n - i0 : GCENT__PK_QB;
                for (size_t j = 0; j < nq; ++j)
                    gt_kquery(&f, &P, i0 + j, &st, qs + j * d, &Q[j], 3);
                double S[2][3 * GCENT__PK_QB], E[2][GCENT__PK_QB];
                for (int isa = 0; isa <= top; ++isa)
                    for (int legacy = 0; legacy < 2; ++legacy) {
                        P.wide_legacy = legacy;
                        double Sb[3 * GCENT__PK_QB], Eb[GCENT__PK_QB];
                        ck_assert_int_eq(
                            gcent__pack_sums_batch_isa(isa, &P, Q, nq, Sb, Eb, &W), 0);
                        if (isa == 0) {
                            memcpy(S[legacy], Sb, sizeof Sb);
                            memcpy(E[legacy], Eb, sizeof Eb);
                        }
                        ck_assert_msg(memcmp(Sb, S[0], 3 * nq * sizeof *Sb) == 0 &&
                                          memcmp(Eb, E[0], nq * sizeof *Eb) == 0,
                                      "d %zu pruned %d isa %d legacy %d: differs", d, pruned,
                                      isa, legacy);
                    }
                P.wide_legacy = 0;
                for (size_t j = 0; j < nq; ++j) {
                    double S1[3];
                    ck_assert(gcent__pack_sums(&P, &Q[j], S1) == E[0][j]);
                    ck_assert(memcmp(S1, S[0] + 3 * j, sizeof S1) == 0);
                    long double R[3];
                    gt_ref_sums(&P, &Q[j], R);
                    for (int c = 0; c < 3 && !pruned; ++c)
                        ck_assert_msg(fabsl(S1[c] - R[c]) <= 1e-13L * R[c] + 1e-16L,
                                      "d %zu row %zu slot %d: %.17g vs %.17Lg", d, i0 + j, c,
                                      S1[c], R[c]);
                }
            }
            free(qs);
            gcent__pk_work_free(&W);
            gt_pack_free(&P);
            gt_kfix_free(&f);
        }
}
END_TEST

/* The selection behind the k-d build: v[0, k) holds exactly the k smallest
 * (key, idx) pairs and nothing is lost, on orders that are hard for a
 * quickselect, with the round budget the build uses and with budgets so
 * small that the full-sort fallback finishes the job. */
static int key_cmp(const void *pa, const void *pb)
{
    const gcent__kd_key *a = pa, *b = pb;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

START_TEST(test_kd_select)
{
    const size_t lens[] = {1, 2, 16, 17, 33, 100, 1000, 4099};
    uint64_t st = 77;
    for (size_t li = 0; li < sizeof lens / sizeof lens[0]; ++li) {
        size_t len = lens[li];
        gcent__kd_key *v = malloc(len * sizeof *v), *ref = malloc(len * sizeof *ref);
        ck_assert(v && ref);
        for (int pattern = 0; pattern < 6; ++pattern)
            for (int budget = 0; budget < 4; ++budget) {
                for (size_t i = 0; i < len; ++i) {
                    double x;
                    switch (pattern) {
                    case 0: x = gt_lcg01(&st); break;                           /* random */
                    case 1: x = (double)i; break;                               /* sorted */
                    case 2: x = (double)(len - i); break;                       /* reversed */
                    case 3: x = (double)(i < len / 2 ? i : len - i); break;     /* organ pipe */
                    case 4: x = (double)(int)(3.0 * gt_lcg01(&st)); break;      /* 3 values */
                    default: x = 0.5; break;                                    /* all equal */
                    }
                    v[i].key = x;
                    v[i].idx = (i * 7919u) % len; /* distinct, scrambled */
                }
                memcpy(ref, v, len * sizeof *v);
                qsort(ref, len, sizeof *ref, key_cmp);
                size_t k = (size_t)(gt_lcg01(&st) * (double)(len + 1));
                size_t rounds = budget == 3 ? 100 : (size_t)budget;
                gcent__kd_select(v, len, k, rounds);
                /* the first k sorted equal the k smallest; so do the rest */
                qsort(v, k, sizeof *v, key_cmp);
                qsort(v + k, len - k, sizeof *v, key_cmp);
                for (size_t i = 0; i < len; ++i)
                    ck_assert_msg(v[i].key == ref[i].key && v[i].idx == ref[i].idx,
                                  "len %zu pattern %d rounds %zu k %zu: position %zu", len,
                                  pattern, rounds, k, i);
            }
        free(v);
        free(ref);
    }
}
END_TEST

/* The allocation-free sort behind the k-d build and the quadrature
 * (gcent__key_sort): the order of qsort with the same total order, on the
 * same hard patterns, short (insertion) and long (heap sort). */
START_TEST(test_key_sort)
{
    const size_t lens[] = {0, 1, 2, 31, 32, 33, 100, 1000, 4099};
    uint64_t st = 78;
    for (size_t li = 0; li < sizeof lens / sizeof lens[0]; ++li) {
        const size_t len = lens[li];
        gcent__kd_key *v = malloc((len + 1) * sizeof *v), *ref = malloc((len + 1) * sizeof *ref);
        ck_assert(v && ref);
        for (int pattern = 0; pattern < 6; ++pattern) {
            for (size_t i = 0; i < len; ++i) {
                const double x[6] = {gt_lcg01(&st), (double)i, (double)(len - i),
                                     (double)(i < len / 2 ? i : len - i),
                                     (double)(int)(3.0 * gt_lcg01(&st)), 0.5};
                v[i].key = x[pattern];
                v[i].idx = (i * 7919u) % len;
            }
            memcpy(ref, v, len * sizeof *v);
            if (len > 0)
                qsort(ref, len, sizeof *ref, key_cmp);
            gcent__key_sort(v, len);
            for (size_t i = 0; i < len; ++i)
                ck_assert_msg(v[i].key == ref[i].key && v[i].idx == ref[i].idx,
                              "len %zu pattern %d: position %zu", len, pattern, i);
        }
        free(v);
        free(ref);
    }
}
END_TEST

/* The packed order against its definition, computed here by a full sort at
 * every node (and the tree's boxes against the centres they hold): split at a multiple of 256 (ranges above 512) or of 16 from
 * the start along the coordinate of widest spread, (coordinate, centre
 * number) order, nodes whose centres are all equal left as they are. */
static void ref_kd(const gcent__mix *m, size_t *idx, size_t lo, size_t hi)
{
    const size_t B = GCENT__PK_BLK, len = hi - lo;
    if (len <= B)
        return;
    size_t best = 0;
    double wbest = -1.0;
    for (size_t k = 0; k < m->d; ++k) {
        double x0 = INFINITY, x1 = -INFINITY;
        for (size_t p = lo; p < hi; ++p) {
            double x = m->ut[k * m->n + idx[p]];
            x0 = fmin(x0, x);
            x1 = fmax(x1, x);
        }
        if (x1 - x0 > wbest) {
            wbest = x1 - x0;
            best = k;
        }
    }
    if (!(wbest > 0.0))
        return;
    gcent__kd_key *t = malloc(len * sizeof *t);
    ck_assert_ptr_nonnull(t);
    for (size_t p = lo; p < hi; ++p) {
        t[p - lo].key = m->ut[best * m->n + idx[p]];
        t[p - lo].idx = idx[p];
    }
    qsort(t, len, sizeof *t, key_cmp);
    for (size_t p = lo; p < hi; ++p)
        idx[p] = t[p - lo].idx;
    free(t);
    size_t unit = len > 512 ? 256 : B;
    size_t half = (len / 2 + unit - 1) / unit * unit;
    if (half >= len)
        half = (len / 2 + B - 1) / B * B;
    ref_kd(m, idx, lo, lo + half);
    ref_kd(m, idx, lo + half, hi);
}

START_TEST(test_kd_order_reference)
{
    const struct {
        size_t n, d;
        int clusters;
        double spread;
        size_t nseg;
    } cases[] = {{7, 3, 0, 0.0, 1},    {100, 2, 0, 0.0, 1},   {1000, 5, 0, 0.0, 3},
                 {1500, 7, 4, 0.0, 2}, {1333, 3, 6, 0.05, 1}, {4100, 12, 0, 0.0, 1},
                 {600, 2, 3, 0.0, 5}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; ++c) {
        gt_kfix f;
        gt_kfix_init(&f, cases[c].n, cases[c].d, cases[c].clusters, cases[c].spread,
                     100 + c, cases[c].nseg, 4);
        if (c == 6) /* coarse ties: many equal keys, ordered by centre number */
            for (size_t i = 0; i < f.n * f.d; ++i)
                f.m.ut[i] = floor(4.0 * f.m.ut[i]) / 4.0;
        size_t *idx = malloc(f.n * sizeof *idx);
        ck_assert_ptr_nonnull(idx);
        for (size_t i = 0; i < f.n; ++i)
            idx[i] = i;
        for (size_t s = 0; s < f.nseg; ++s)
            ref_kd(&f.m, idx, f.segf[s], f.segf[s + 1]);
        for (int pruned = 0; pruned < 2; ++pruned) {
            gcent__pack P;
            /* several segments: no merging, so every centre has its own slot */
            ck_assert_int_eq(gt_pack_init(&P, &f.m, f.segf, f.nseg, f.grp,
                                              pruned ? 1e-12 : 0.0, 1),
                             GCENT_OK);
            for (size_t s = 0; s < f.nseg; ++s)
                for (size_t p = f.segf[s]; p < f.segf[s + 1]; ++p)
                    ck_assert_msg(P.pos[idx[p]] == P.seg[s] * GCENT__PK_BLK + (p - f.segf[s]),
                                  "case %zu pruned %d: centre %zu at %zu", c, pruned, idx[p],
                                  P.pos[idx[p]]);
            /* every node's box is the exact box of its real centres */
            for (size_t v = 0; v < P.nnode; ++v)
                for (size_t k = 0; k < P.dpad; ++k) {
                    double lo = INFINITY, hi = -INFINITY;
                    for (size_t j = P.node[v].blo * GCENT__PK_BLK;
                         k < f.d && j < P.node[v].bhi * GCENT__PK_BLK; ++j)
                        if (P.lw[j] != -INFINITY) {
                            lo = fmin(lo, P.u[gcent__pk_at(&P, j, k)]);
                            hi = fmax(hi, P.u[gcent__pk_at(&P, j, k)]);
                        }
                    if (k >= f.d)
                        lo = -INFINITY, hi = INFINITY;
                    ck_assert_msg(P.box[v * 2 * P.dpad + k] == lo &&
                                      P.box[(v * 2 + 1) * P.dpad + k] == hi,
                                  "case %zu node %zu coordinate %zu", c, v, k);
                }
            ck_assert(pruned == 0 || P.nnode > 0);
            gt_pack_free(&P);
        }
        free(idx);
        gt_kfix_free(&f);
    }
}
END_TEST

Suite *suite_prune(void)
{
    Suite *s = suite_create("prune");
    TCase *tc = gt_tcase(s, "kernel", 60);
    tcase_add_test(tc, test_pack_dense_vs_reference);
    tcase_add_test(tc, test_pack_isa_identical);
    tcase_add_test(tc, test_pack_batch_identical);
    tcase_add_test(tc, test_pack_wide_chunks);
    tcase_add_test(tc, test_pack_overflow_fallback);
    tcase_add_test(tc, test_kd_select);
    tcase_add_test(tc, test_key_sort);
    tcase_add_test(tc, test_kd_order_reference);
    tc = gt_tcase(s, "bound", 120);
    tcase_add_test(tc, test_prune_bound);
    tcase_add_test(tc, test_prune_auto_choice);
    tcase_add_test(tc, test_prune_duplicates_merged);
    tcase_add_test(tc, test_prune_public);
    return s;
}
