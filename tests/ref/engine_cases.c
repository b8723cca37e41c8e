/* The engine regression cases: a fixed list of calls of the public estimators
 * (entropy, bounds, layer MI; Monte Carlo dense and pruned, one and several
 * draws, quadrature, weights, duplicates, labels, log base 2) on synthetic
 * data from a fixed generator. Each case hands its results to a callback.
 *
 * Used twice: tests/ref/gen_engine_ref.c writes the results of a library
 * build to a file (tests/data/engine_ref.txt holds those of the library
 * before the one-engine redesign), and tests/test_engine.c checks that the
 * current library gives every value within 1e-12 relative of that file: the
 * same estimator on the same draws. No Check here, so that the generator
 * links without it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine_cases.h"

/* MMIX LCG, top 53 bits: uniforms in [0, 1). */
static double lcg01(uint64_t *st)
{
    *st = *st * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*st >> 11) * (1.0 / 9007199254740992.0);
}

/* n x d uniform on [-1, 1]. */
static void gen_uniform(double *s, size_t n, size_t d, uint64_t seed)
{
    for (size_t i = 0; i < n * d; ++i)
        s[i] = 2.0 * lcg01(&seed) - 1.0;
}

/* n x d rows around ncl cluster centres (saturated tanh values, like a trained
 * layer): s = tanh(3 c + 0.15 u), u uniform in [-1, 1]. Row i belongs to
 * cluster i % ncl. */
static void gen_clustered(double *s, size_t n, size_t d, size_t ncl, uint64_t seed)
{
    double c[8 * 16];
    for (size_t j = 0; j < ncl * d; ++j)
        c[j] = 2.0 * lcg01(&seed) - 1.0;
    for (size_t i = 0; i < n; ++i)
        for (size_t k = 0; k < d; ++k)
            s[i * d + k] = tanh(3.0 * c[(i % ncl) * d + k] + 0.15 * (2.0 * lcg01(&seed) - 1.0));
}

static gcent_ctx *mkctx(int method, double draws, double seed, int prune, double base)
{
    gcent_ctx *ctx = NULL;
    if (gcent_ctx_create(&ctx) != GCENT_OK)
        return NULL;
    gcent_ctx_set(ctx, GCENT_OPT_METHOD, method);
    gcent_ctx_set(ctx, GCENT_OPT_MC_DRAWS, draws);
    gcent_ctx_set(ctx, GCENT_OPT_SEED, seed);
    gcent_ctx_set(ctx, GCENT_OPT_PRUNE, prune);
    gcent_ctx_set(ctx, GCENT_OPT_LOG_BASE, base);
    return ctx;
}

int gt_engine_cases(gt_engine_emit emit, void *user)
{
    int fails = 0;
    char name[160];
    double *s = malloc(4000 * 12 * sizeof(double));
    double *w = malloc(4000 * sizeof(double));
    int *lab = malloc(4000 * sizeof(int));
    if (!s || !w || !lab) {
        free(s);
        free(w);
        free(lab);
        return -1;
    }

    /* ---- gcent_entropy and gcent_entropy_bounds ---- */
    static const size_t dims[] = {1, 2, 3, 7, 12};
    for (size_t a = 0; a < sizeof dims / sizeof dims[0]; ++a) {
        const size_t d = dims[a], n = 300;
        for (int data = 0; data < 3; ++data) {
            if (data == 0)
                gen_uniform(s, n, d, 11 + d);
            else if (data == 1)
                gen_clustered(s, n, d, 5, 21 + d);
            else { /* duplicates: 60 distinct rows, each 5 times */
                gen_clustered(s, 60, d, 4, 31 + d);
                for (size_t i = 60; i < n; ++i)
                    memcpy(s + i * d, s + (i % 60) * d, d * sizeof(double));
            }
            uint64_t ws = 77 + d;
            double wsum = 0.0;
            for (size_t i = 0; i < n; ++i)
                wsum += (w[i] = (i % 7 == 3) ? 0.0 : 0.2 + lcg01(&ws));
            for (size_t i = 0; i < n; ++i)
                w[i] /= wsum;
            for (int wt = 0; wt < 2; ++wt)
                for (int prune = 1; prune <= 2; ++prune)
                    for (double draws = 1; draws <= 4; draws += 3) {
                        gcent_ctx *ctx = mkctx(GCENT_METHOD_MC, draws, 5, prune, 0);
                        gcent_estimate h;
                        int st = gcent_entropy(ctx, s, n, d, d, wt ? w : NULL, 0.1, &h);
                        snprintf(name, sizeof name, "entropy_mc d=%zu data=%d w=%d prune=%d draws=%g",
                                 d, data, wt, prune, draws);
                        double v[2] = {h.value, h.se};
                        if (st == GCENT_OK)
                            emit(user, name, v, 2);
                        else
                            ++fails;
                        gcent_ctx_free(ctx);
                    }
            gcent_ctx *ctx = mkctx(GCENT_METHOD_AUTO, 0, 0, 0, 2.0);
            double lo = 0, hi = 0;
            gcent_estimate h;
            int st = gcent_entropy_bounds(ctx, s, n, d, d, w, 0.1, &lo, &hi);
            snprintf(name, sizeof name, "bounds d=%zu data=%d", d, data);
            double v[2] = {lo, hi};
            if (st == GCENT_OK)
                emit(user, name, v, 2);
            else
                ++fails;
            if (d <= 2) {
                st = gcent_entropy(ctx, s, n, d, d, data == 1 ? w : NULL, 0.1, &h);
                snprintf(name, sizeof name, "entropy_auto d=%zu data=%d", d, data);
                double u[2] = {h.value, h.se};
                if (st == GCENT_OK)
                    emit(user, name, u, 2);
                else
                    ++fails;
            }
            gcent_ctx_free(ctx);
        }
    }

    /* ---- gcent_mi_layer ---- */
    static const size_t mdims[] = {1, 2, 3, 5, 10};
    for (size_t a = 0; a < sizeof mdims / sizeof mdims[0]; ++a) {
        const size_t d = mdims[a], m = 90;
        for (size_t k = 1; k <= 4; k += 3) {
            gen_clustered(s, m * k, d, 6, 41 + d + k);
            for (size_t i = 0; i < m; ++i) /* labels: 3 classes, arbitrary values */
                lab[i] = (int)(i % 3 == 0 ? -5 : i % 3 == 1 ? 7 : 100);
            for (int labels = 0; labels < 3; ++labels) {
                if (labels == 2)
                    for (size_t i = 0; i < m; ++i)
                        lab[i] = (int)(i * 7 % 11 < 5);
                for (int prune = 1; prune <= 2; ++prune)
                    for (double draws = 1; draws <= 3; draws += 2) {
                        gcent_ctx *ctx = mkctx(GCENT_METHOD_MC, draws, 9, prune, 0);
                        gcent_layer_mi r;
                        int st = gcent_mi_layer(ctx, s, m, k, d, d, labels ? lab : NULL, 0.1, &r);
                        snprintf(name, sizeof name,
                                 "mi_mc d=%zu k=%zu labels=%d prune=%d draws=%g", d, k, labels,
                                 prune, draws);
                        double v[6] = {r.ht.value, r.ht.se, r.ixt.value, r.ixt.se, r.iyt.value,
                                       r.iyt.se};
                        if (st == GCENT_OK)
                            emit(user, name, v, labels ? 6 : 4);
                        else
                            ++fails;
                        gcent_ctx_free(ctx);
                    }
                if (d <= 2) {
                    /* nested 2-D quadrature of every conditional mixture is slow: fewer inputs */
                    const size_t mq = d == 2 && k > 1 ? 12 : m;
                    gcent_ctx *ctx = mkctx(GCENT_METHOD_QUADRATURE, 0, 0, 0, 0);
                    gcent_layer_mi r;
                    int st = gcent_mi_layer(ctx, s, mq, k, d, d, labels ? lab : NULL, 0.1, &r);
                    snprintf(name, sizeof name, "mi_quad d=%zu k=%zu labels=%d", d, k, labels);
                    double v[6] = {r.ht.value, r.ht.se, r.ixt.value, r.ixt.se, r.iyt.value,
                                   r.iyt.se};
                    if (st == GCENT_OK)
                        emit(user, name, v, labels ? 6 : 4);
                    else
                        ++fails;
                    gcent_ctx_free(ctx);
                }
            }
        }
    }
    free(s);
    free(w);
    free(lab);
    return fails;
}
