/* layer_mi: the information-plane point (I(X;T_l), I(Y;T_l)) of each layer of
 * a small noisy network, with gcent_mi_layer().
 *
 * The network is 12-6-3 with tanh units and random weights (from
 * gcent_rng_normals, --seed). It is noisy, as in Goldfeld et al. (2019):
 *
 *     S_1 = tanh(W1 x + b1),    T_1 = S_1 + Z_1,
 *     S_2 = tanh(W2 T_1 + b2),  T_2 = S_2 + Z_2,    Z_l ~ N(0, beta^2 I),
 *
 * with fresh noise in every layer and every forward pass. X is uniform over
 * the data set (the generated 12-bit set of szt12.h, or --data FILE.csv).
 *
 * What the caller passes to gcent_mi_layer() for layer l: samples of S_l,
 * the layer's value BEFORE its own noise Z_l, which the library adds
 * analytically. The noise of the layers below l is the caller's job:
 * - layer 1 is deterministic given x: pass S_1 once per input (k = 1);
 * - layer 2 depends on x through the noisy T_1: for each input, do k noisy
 *   passes through layer 1 (T_1 = S_1 + beta Z_1, drawn here) and pass the k
 *   resulting S_2 = tanh(W2 T_1 + b2), rows i*k .. i*k+k-1 for input i.
 * Passing T_l instead of S_l would add the layer's noise twice.
 *
 * Usage: layer_mi [--data FILE.csv] [--seed N] [--beta B] [--k K] [--draws D]
 *                 [--inputs N] [--threads N] [--bits] [--help] */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <gcent.h>
#include "szt12.h"

enum { D0 = SZT12_BITS, D1 = 6, D2 = 3 }; /* layer widths 12-6-3 */

static void usage(FILE *f)
{
    fprintf(f,
        "usage: layer_mi [options]\n"
        "Information-plane point of both layers of a random noisy 12-6-3 tanh network.\n"
        "  --data FILE.csv  data set with columns x1..x12,y (default: the generated\n"
        "                   12-bit set of szt12.h, 4096 inputs)\n"
        "  --seed N         seed of the weights, the layer-1 noise, the input subset\n"
        "                   and the library's Monte Carlo (default 1)\n"
        "  --beta B         noise standard deviation of every layer (default 0.1)\n"
        "  --k K            noisy passes through layer 1 per input, for layer 2\n"
        "                   (default 16)\n"
        "  --draws D        Monte Carlo draws per row for layer 2 (default 1)\n"
        "  --inputs N       use a random subset of N inputs (default: all)\n"
        "  --threads N      worker threads, 0 = all cores (default 0)\n"
        "  --bits           report bits instead of nats\n"
        "Cost and accuracy. Layer 2 is a mixture of m*k centres (65536 for 4096\n"
        "inputs and k = 16); its cost is (m*k) x draws x (m*k) pairs, about 6 s\n"
        "on 2 cores with the defaults. The three knobs trade differently:\n"
        "  --draws  fewer: the estimate stays unbiased, its standard error grows\n"
        "           (with 1 draw the reported se is conservative);\n"
        "  --k      fewer: cost falls as k^2 but I(X;T_2) is biased upwards (the\n"
        "           k-sample conditional mixtures look too concentrated);\n"
        "  --inputs fewer: cost falls as N^2 but X is then uniform over the subset,\n"
        "           a different data set (I(X;T) is at most ln N).\n"
        "Layer 1 uses k = 1 (exact conditional entropy) and 16 draws.\n");
}

/* out[o] = tanh(sum_i w[o * nin + i] in[i] + b[o]) */
static void dense_tanh(const double *w, const double *b, const double *in, int nin, int nout,
                       double *out)
{
    for (int o = 0; o < nout; ++o) {
        double a = b[o];
        for (int i = 0; i < nin; ++i)
            a += w[o * nin + i] * in[i];
        out[o] = tanh(a);
    }
}

/* Random stream numbers of the program (the library's own Monte Carlo uses
 * streams >= 2^32, so they never overlap these). */
enum { STREAM_WEIGHTS = 0, STREAM_SUBSET = 1, STREAM_NOISE1 = 2 /* + pass */ };

typedef struct {
    double w1[D1 * D0], b1[D1], w2[D2 * D1], b2[D2];
} network;

/* Weights N(0, 4 / fan_in) (gain 2, so that some units saturate), biases
 * N(0, 0.25). */
static void network_init(network *net, uint64_t seed)
{
    double z[D1 * D0 + D1 + D2 * D1 + D2];
    gcent_rng_normals(seed, STREAM_WEIGHTS, 0, sizeof z / sizeof z[0], z);
    const double *p = z;
    for (int i = 0; i < D1 * D0; ++i)
        net->w1[i] = 2.0 / sqrt((double)D0) * *p++;
    for (int i = 0; i < D1; ++i)
        net->b1[i] = 0.5 * *p++;
    for (int i = 0; i < D2 * D1; ++i)
        net->w2[i] = 2.0 / sqrt((double)D1) * *p++;
    for (int i = 0; i < D2; ++i)
        net->b2[i] = 0.5 * *p++;
}

typedef struct {
    double key;
    size_t index;
} keyed;

static int by_key(const void *a, const void *b)
{
    double x = ((const keyed *)a)->key, y = ((const keyed *)b)->key;
    return (x > y) - (x < y);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* One gcent_mi_layer call and its line of the table. */
static int layer_point(gcent_ctx *ctx, int layer, const double *s, size_t m, size_t k, size_t d,
                       const int *y, double beta, double draws)
{
    int st = gcent_ctx_set(ctx, GCENT_OPT_MC_DRAWS, draws);
    if (st != GCENT_OK) {
        fprintf(stderr, "layer_mi: --draws %g: %s\n", draws, gcent_strerror(st));
        return st;
    }
    gcent_layer_mi r;
    double t0 = now();
    st = gcent_mi_layer(ctx, s, m, k, d, d, y, beta, &r);
    double secs = now() - t0;
    if (st != GCENT_OK) {
        fprintf(stderr, "layer_mi: layer %d: %s (%s)\n", layer, gcent_strerror(st),
                gcent_ctx_errmsg(ctx));
        return st;
    }
    printf("%5d %3zu %4zu %8zu %5g   %8.4f +- %-7.4f %8.4f +- %-7.4f %9.4f %7.2f s\n", layer,
           d, k, m * k, draws, r.ixt.value, r.ixt.se, r.iyt.value, r.iyt.se, r.ht.value, secs);
    return GCENT_OK;
}

static int parse_size(const char *txt, size_t lo, size_t hi, size_t *out)
{
    char *end = NULL;
    unsigned long long v = strtoull(txt, &end, 10);
    if (*txt == '\0' || *end != '\0' || *txt == '-' || v < lo || v > hi)
        return -1;
    *out = (size_t)v;
    return 0;
}

int main(int argc, char **argv)
{
    const char *data_path = NULL;
    size_t seed = 1, k = 16, draws = 1, nsub = 0, threads = 0;
    double beta = 0.1;
    int bits = 0;
    for (int a = 1; a < argc; ++a) {
        const char *opt = argv[a], *val = a + 1 < argc ? argv[a + 1] : NULL;
        int bad = 0;
        if (strcmp(opt, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(opt, "--bits") == 0) {
            bits = 1;
            continue;
        } else if (val == NULL) {
            bad = 1;
        } else if (strcmp(opt, "--data") == 0) {
            data_path = val;
        } else if (strcmp(opt, "--seed") == 0) {
            bad = parse_size(val, 0, (size_t)1 << 53, &seed);
        } else if (strcmp(opt, "--beta") == 0) {
            char *end = NULL;
            beta = strtod(val, &end);
            bad = *end != '\0' || !(beta > 0.0 && beta < 1e6);
        } else if (strcmp(opt, "--k") == 0) {
            bad = parse_size(val, 1, 1u << 20, &k);
        } else if (strcmp(opt, "--draws") == 0) {
            bad = parse_size(val, 1, 1u << 24, &draws);
        } else if (strcmp(opt, "--inputs") == 0) {
            bad = parse_size(val, 1, SIZE_MAX / 2, &nsub);
        } else if (strcmp(opt, "--threads") == 0) {
            bad = parse_size(val, 0, 1024, &threads);
        } else {
            bad = 1;
        }
        if (bad) {
            fprintf(stderr, "layer_mi: bad option or value: %s %s\n", opt, val ? val : "");
            usage(stderr);
            return 2;
        }
        ++a;
    }

    /* the data set */
    szt12_data data;
    char err[512];
    if (data_path ? szt12_read_csv(data_path, &data, err, sizeof err) != 0
                  : szt12_generate(&data) != 0) {
        fprintf(stderr, "layer_mi: %s\n", data_path ? err : "out of memory");
        return 1;
    }
    size_t m = nsub > 0 && nsub < data.n ? nsub : data.n;

    /* a random subset of m inputs (all of them by default): the m smallest
     * of n normal keys */
    keyed *order = malloc(data.n * sizeof *order);
    double *keys = malloc(data.n * sizeof *keys);
    double *s1 = malloc(m * D1 * sizeof *s1);
    double *s2 = malloc(m * k * D2 * sizeof *s2);
    int *y = malloc(m * sizeof *y);
    gcent_ctx *ctx = NULL;
    int st = GCENT_ENOMEM;
    if (!order || !keys || !s1 || !s2 || !y || (st = gcent_ctx_create(&ctx)) != GCENT_OK) {
        fprintf(stderr, "layer_mi: %s\n", gcent_strerror(st));
        goto done;
    }
    gcent_rng_normals(seed, STREAM_SUBSET, 0, data.n, keys);
    for (size_t i = 0; i < data.n; ++i) {
        order[i].key = m < data.n ? keys[i] : (double)i;
        order[i].index = i;
    }
    qsort(order, data.n, sizeof *order, by_key);

    network net;
    network_init(&net, seed);
    size_t positives = 0;
    for (size_t i = 0; i < m; ++i) {
        size_t src = order[i].index;
        const double *x = data.x + src * D0;
        y[i] = data.y[src];
        positives += y[i] != 0;

        /* Layer 1: S_1 = tanh(W1 x + b1), deterministic given x: one row
         * (k = 1). Its noise Z_1 is NOT added here: the library adds it. */
        dense_tanh(net.w1, net.b1, x, D0, D1, s1 + i * D1);

        /* Layer 2: k noisy passes through layer 1. HERE the layer-1 noise is
         * added, T_1 = S_1 + beta Z_1, with Z_1 from stream
         * STREAM_NOISE1 + pass at index src * D1 (reproducible, and the same
         * for an input whatever the subset); then S_2 = tanh(W2 T_1 + b2),
         * again without the layer's own noise Z_2. */
        for (size_t pass = 0; pass < k; ++pass) {
            double z[D1], t1[D1];
            gcent_rng_normals(seed, STREAM_NOISE1 + pass, (uint64_t)src * D1, D1, z);
            for (int u = 0; u < D1; ++u)
                t1[u] = s1[i * D1 + u] + beta * z[u];
            dense_tanh(net.w2, net.b2, t1, D1, D2, s2 + (i * k + pass) * D2);
        }
    }

    if ((st = gcent_ctx_set(ctx, GCENT_OPT_SEED, (double)seed)) != GCENT_OK ||
        (st = gcent_ctx_set(ctx, GCENT_OPT_THREADS, (double)threads)) != GCENT_OK ||
        (st = gcent_ctx_set(ctx, GCENT_OPT_LOG_BASE, bits ? 2.0 : 0.0)) != GCENT_OK) {
        fprintf(stderr, "layer_mi: %s (%s)\n", gcent_strerror(st), gcent_ctx_errmsg(ctx));
        goto done;
    }
    const double unit = bits ? log(2.0) : 1.0;
    double p1 = (double)positives / (double)m;
    double hy = (p1 > 0.0 ? -p1 * log(p1) : 0.0) + (p1 < 1.0 ? -(1 - p1) * log(1 - p1) : 0.0);
    printf("data: %s, %zu of %zu inputs, %.1f%% positive\n",
           data_path ? data_path : "generated 12-bit set", m, data.n, 100.0 * p1);
    printf("network: %d-%d-%d tanh, random weights (seed %zu), beta = %g\n", D0, D1, D2,
           seed, beta);
    printf("upper limits: I(X;T) <= ln m = %.4f, I(Y;T) <= H(Y) = %.4f %s\n",
           log((double)m) / unit, hy / unit, bits ? "bits" : "nats");
    printf("layer   d    k  centres draws   I(X;T_l) +- se      I(Y;T_l) +- se        h(T_l)"
           "    time\n");
    if ((st = layer_point(ctx, 1, s1, m, 1, D1, y, beta, 16)) != GCENT_OK ||
        (st = layer_point(ctx, 2, s2, m, k, D2, y, beta, (double)draws)) != GCENT_OK)
        goto done;
    printf("(layer 2: I(X;T_2) is biased upwards by the finite k = %zu; see --help)\n", k);

done:
    gcent_ctx_free(ctx);
    free(order);
    free(keys);
    free(s1);
    free(s2);
    free(y);
    szt12_free(&data);
    return st == GCENT_OK ? 0 : 1;
}
