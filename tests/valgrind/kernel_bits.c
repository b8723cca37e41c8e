/* make check-valgrind: the bits of results that go through the mixture
 * kernel, printed in hex, one line per call. The kernel is compiled for
 * AVX-512, AVX2 and baseline x86-64 and chosen at load time; every clone
 * must compute the same bits. check-valgrind runs this program natively (the
 * best clone of this CPU), under Valgrind (which hides AVX-512: the AVX2
 * clone) and built with -DGCENT_NO_CLONES (the baseline kernel), and the
 * three outputs must be equal. Dimensions 1..13 cover full and partial
 * vector blocks and the widths compiled one by one, 16, 21 and 40 the
 * chunked loops above 12; Monte Carlo entropy, bounds and MI all use the
 * kernel, in double and in single precision (the float kernel). */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "gcent.h"

static void put(const char *what, size_t d, double x)
{
    uint64_t b;
    memcpy(&b, &x, sizeof b);
    printf("%s d=%zu %016" PRIx64 "\n", what, d, b);
}

int main(void)
{
    enum { N = 37, DMAX = 40 };
    static const size_t dims[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 16, 21, 40};
    static double s[N * DMAX];
    static int y[N];
    gcent_rng_normals(2024, 1, 0, N * DMAX, s);
    for (int i = 0; i < N; ++i)
        y[i] = i % 3;
    gcent_ctx *ctx = NULL;
    if (gcent_ctx_create(&ctx) != GCENT_OK)
        return 1;
    int st = gcent_ctx_set(ctx, GCENT_OPT_METHOD, GCENT_METHOD_MC);
    if (st == GCENT_OK)
        st = gcent_ctx_set(ctx, GCENT_OPT_MC_DRAWS, 3);
    for (int prec = GCENT_PRECISION_DOUBLE; prec <= GCENT_PRECISION_SINGLE && st == GCENT_OK;
         ++prec) {
        const char *tag = prec == GCENT_PRECISION_SINGLE ? "single " : "";
        char what[32];
        st = gcent_ctx_set(ctx, GCENT_OPT_PRECISION, prec);
        for (size_t t = 0; t < sizeof dims / sizeof dims[0] && st == GCENT_OK; ++t) {
            const size_t d = dims[t];
            gcent_estimate e;
            double lo, hi;
            gcent_layer_mi r;
            /* the noise about as wide as the spread of the rows in d dimensions */
            double beta = d <= 13 ? 0.05 * (double)d : 0.3 * sqrt((double)d);
            st = gcent_entropy(ctx, s, N, d, DMAX, NULL, beta, &e);
            if (st == GCENT_OK) {
                snprintf(what, sizeof what, "%sentropy", tag);
                put(what, d, e.value);
                snprintf(what, sizeof what, "%sentropy-se", tag);
                put(what, d, e.se);
                st = gcent_entropy_bounds(ctx, s, N, d, DMAX, NULL, beta, &lo, &hi);
            }
            if (st == GCENT_OK && prec == GCENT_PRECISION_DOUBLE) { /* bounds: double */
                put("lower", d, lo);
                put("upper", d, hi);
            }
            if (st == GCENT_OK)
                st = gcent_mi_layer(ctx, s, 12, 3, d, DMAX, y, beta, &r);
            if (st == GCENT_OK) {
                snprintf(what, sizeof what, "%sh(T)", tag);
                put(what, d, r.ht.value);
                snprintf(what, sizeof what, "%sI(X;T)", tag);
                put(what, d, r.ixt.value);
                snprintf(what, sizeof what, "%sI(Y;T)", tag);
                put(what, d, r.iyt.value);
            }
        }
    }
    if (st != GCENT_OK)
        fprintf(stderr, "kernel_bits: %s: %s\n", gcent_strerror(st), gcent_ctx_errmsg(ctx));
    gcent_ctx_free(ctx);
    return st == GCENT_OK ? 0 : 1;
}
