/* make check-valgrind: the bits of results that go through the mixture
 * kernel, printed in hex, one line per call. The kernel is compiled for
 * AVX-512, AVX2 and baseline x86-64 and chosen at load time; every clone
 * must compute the same bits. check-valgrind runs this program natively (the
 * best clone of this CPU), under Valgrind (which hides AVX-512: the AVX2
 * clone) and built with -DGCENT_NO_CLONES (the baseline kernel), and the
 * three outputs must be equal. Dimensions 1..13 cover full and partial
 * vector blocks; Monte Carlo entropy, bounds and MI all use the kernel. */
#include <inttypes.h>
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
    enum { N = 37, DMAX = 13 };
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
    for (size_t d = 1; d <= DMAX && st == GCENT_OK; ++d) {
        gcent_estimate e;
        double lo, hi;
        gcent_layer_mi r;
        double beta = 0.05 * (double)d;
        st = gcent_entropy(ctx, s, N, d, DMAX, NULL, beta, &e);
        if (st == GCENT_OK) {
            put("entropy", d, e.value);
            put("entropy-se", d, e.se);
            st = gcent_entropy_bounds(ctx, s, N, d, DMAX, NULL, beta, &lo, &hi);
        }
        if (st == GCENT_OK) {
            put("lower", d, lo);
            put("upper", d, hi);
            st = gcent_mi_layer(ctx, s, 12, 3, d, DMAX, y, beta, &r);
        }
        if (st == GCENT_OK) {
            put("h(T)", d, r.ht.value);
            put("I(X;T)", d, r.ixt.value);
            put("I(Y;T)", d, r.iyt.value);
        }
    }
    if (st != GCENT_OK)
        fprintf(stderr, "kernel_bits: %s: %s\n", gcent_strerror(st), gcent_ctx_errmsg(ctx));
    gcent_ctx_free(ctx);
    return st == GCENT_OK ? 0 : 1;
}
