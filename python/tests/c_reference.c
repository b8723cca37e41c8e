/* c_reference: the C side of test_c_reference.py. Calls libgcent directly on
 * data drawn from gcent_rng_normals and prints every result as a C99 hex
 * float, one "name value" per line, for the Python package to match bit for
 * bit on the same data and options. */
#include <stdio.h>
#include <gcent.h>

#define M 96
#define K 4
#define D 3

static int fail(gcent_ctx *ctx, const char *what, int st)
{
    fprintf(stderr, "c_reference: %s: %s (%s)\n", what, gcent_strerror(st), gcent_ctx_errmsg(ctx));
    return 1;
}

int main(void)
{
    static double s[M * K * D];
    int y[M];
    gcent_rng_normals(7, 0, 0, M * K * D, s);
    for (int i = 0; i < M; ++i)
        y[i] = (i * 7) % 5 - 2; /* labels -2..2 */
    gcent_ctx *ctx;
    if (gcent_ctx_create(&ctx) != GCENT_OK)
        return 1;
    int st;
    if ((st = gcent_ctx_set(ctx, GCENT_OPT_SEED, 11)) || (st = gcent_ctx_set(ctx, GCENT_OPT_MC_DRAWS, 3)) ||
        (st = gcent_ctx_set(ctx, GCENT_OPT_METHOD, GCENT_METHOD_MC)))
        return fail(ctx, "gcent_ctx_set", st);
    gcent_estimate e;
    gcent_layer_mi r;
    double lo, hi, hb, ixt, iyt;
    if ((st = gcent_entropy(ctx, s, M * K, D, D, NULL, 0.3, &e)))
        return fail(ctx, "gcent_entropy", st);
    printf("entropy %a %a\n", e.value, e.se);
    if ((st = gcent_mi_layer(ctx, s, M, K, D, D, y, 0.3, &r)))
        return fail(ctx, "gcent_mi_layer", st);
    printf("mi_layer %a %a %a %a %a %a\n", r.ht.value, r.ht.se, r.ixt.value, r.ixt.se,
           r.iyt.value, r.iyt.se);
    if ((st = gcent_entropy_bounds(ctx, s, M * K, D, D, NULL, 0.3, &lo, &hi)))
        return fail(ctx, "gcent_entropy_bounds", st);
    printf("entropy_bounds %a %a\n", lo, hi);
    if ((st = gcent_binned_entropy(ctx, s, M * K, D, D, 0.25, &hb)))
        return fail(ctx, "gcent_binned_entropy", st);
    printf("binned_entropy %a\n", hb);
    if ((st = gcent_binned_mi(ctx, s, M, K, D, D, y, 0.25, &ixt, &iyt)))
        return fail(ctx, "gcent_binned_mi", st);
    printf("binned_mi %a %a\n", ixt, iyt);
    /* the middle column (row stride 3), quadrature, in bits */
    if ((st = gcent_ctx_set(ctx, GCENT_OPT_METHOD, GCENT_METHOD_QUADRATURE)) ||
        (st = gcent_ctx_set(ctx, GCENT_OPT_LOG_BASE, 2)))
        return fail(ctx, "gcent_ctx_set", st);
    if ((st = gcent_mi_layer(ctx, s + 1, M, K, 1, D, y, 0.3, &r)))
        return fail(ctx, "gcent_mi_layer", st);
    printf("mi_layer_quadrature %a %a %a %a %a %a\n", r.ht.value, r.ht.se, r.ixt.value, r.ixt.se,
           r.iyt.value, r.iyt.se);
    gcent_ctx_free(ctx);
    return 0;
}
