/* binning_resolution: the binning artefact behind "compression" curves.
 *
 * A deterministic tanh network 12-10-7-5-4-3-2 with a softmax output is
 * trained for a few hundred epochs of full-batch gradient descent (with
 * momentum; about 97% training accuracy after the default 600) on the
 * 12-bit data set (szt12.h, or the original with --data FILE.csv). Then, for
 * every hidden layer T_l and 41 bin widths w from 1e-4 to 1, it computes
 *
 *   I(X;Bin(T_l)) = H(Bin(T_l))   (gcent_binned_entropy: X is uniform over the
 *                                   4096 distinct inputs and T_l is a function
 *                                   of X, so H(Bin T | X) = 0)
 *   I(Y;Bin(T_l))                 (gcent_binned_mi with k = 1 draw per input)
 *
 * Every curve climbs to ln 4096 = 8.3178 nats as the bins shrink: x -> T_l is
 * injective, so what the "information" measures is the resolution of the
 * bins, not anything the network does. Writes a table to stdout and
 * binning_resolution.csv, binning_resolution.gp and (when gnuplot is
 * installed) binning_resolution.png into the output folder.
 *
 * Usage: binning_resolution [--out DIR] [--seed S] [--epochs N] [--lr R]
 *                           [--data FILE.csv] */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <gcent.h>
#include "szt12.h"

#define NLAYERS 6 /* weight layers; hidden layers are 1 .. NLAYERS-1 */
#define NWIDTHS 41
static const int layer_size[NLAYERS + 1] = {12, 10, 7, 5, 4, 3, 2};

typedef struct {
    /* layer l (1..NLAYERS) maps layer_size[l-1] units to layer_size[l] = d_l units */
    double *w[NLAYERS + 1], *b[NLAYERS + 1];   /* d_l x d_{l-1} row-major, d_l */
    double *gw[NLAYERS + 1], *gb[NLAYERS + 1]; /* gradients */
    double *vw[NLAYERS + 1], *vb[NLAYERS + 1]; /* momentum */
    double *a[NLAYERS + 1];                    /* activations, n x d_l; a[0] = inputs */
    double *delta[NLAYERS + 1];                /* dLoss/d(pre-activation), n x d_l */
} net;

static void usage(FILE *f)
{
    fprintf(f, "usage: binning_resolution [--out DIR] [--seed S] [--epochs N] [--lr R]\n"
               "                          [--data FILE.csv]\n"
               "  --out DIR        output folder (default: binning_out)\n"
               "  --seed S         seed of the weight initialisation (default 1)\n"
               "  --epochs N       full-batch gradient-descent epochs (default 600, 0: untrained)\n"
               "  --lr R           learning rate (default 0.05; momentum 0.9)\n"
               "  --data FILE.csv  columns x1..x12,y (default: the generated set of szt12.h)\n");
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (p == NULL) {
        fprintf(stderr, "binning_resolution: out of memory\n");
        exit(1);
    }
    return p;
}

/* Xavier (Glorot) normal initialisation: w ~ N(0, 2 / (fan_in + fan_out)), b = 0.
 * The normals are libgcent's counter-based ones, stream l, so a seed fixes the net. */
static void net_init(net *nt, size_t n, uint64_t seed)
{
    memset(nt, 0, sizeof *nt);
    for (int l = 0; l <= NLAYERS; ++l) {
        nt->a[l] = xcalloc(n * (size_t)layer_size[l], sizeof(double));
        nt->delta[l] = xcalloc(n * (size_t)layer_size[l], sizeof(double));
        if (l == 0)
            continue;
        size_t nw = (size_t)layer_size[l] * (size_t)layer_size[l - 1];
        nt->w[l] = xcalloc(nw, sizeof(double));
        nt->gw[l] = xcalloc(nw, sizeof(double));
        nt->vw[l] = xcalloc(nw, sizeof(double));
        nt->b[l] = xcalloc((size_t)layer_size[l], sizeof(double));
        nt->gb[l] = xcalloc((size_t)layer_size[l], sizeof(double));
        nt->vb[l] = xcalloc((size_t)layer_size[l], sizeof(double));
        gcent_rng_normals(seed, (uint64_t)l, 0, nw, nt->w[l]);
        double sd = sqrt(2.0 / (layer_size[l] + layer_size[l - 1]));
        for (size_t i = 0; i < nw; ++i)
            nt->w[l][i] *= sd;
    }
}

static void net_free(net *nt)
{
    for (int l = 0; l <= NLAYERS; ++l) {
        free(nt->w[l]), free(nt->b[l]), free(nt->gw[l]), free(nt->gb[l]);
        free(nt->vw[l]), free(nt->vb[l]), free(nt->a[l]), free(nt->delta[l]);
    }
}

/* Forward pass for all n inputs: tanh hidden layers, softmax output.
 * Returns the mean cross-entropy loss (nats); *correct counts right answers. */
static double forward(net *nt, size_t n, const int *y, size_t *correct)
{
    for (int l = 1; l <= NLAYERS; ++l) {
        int din = layer_size[l - 1], dout = layer_size[l];
        for (size_t r = 0; r < n; ++r) {
            const double *in = nt->a[l - 1] + r * din;
            double *out = nt->a[l] + r * dout;
            for (int o = 0; o < dout; ++o) {
                double z = nt->b[l][o];
                const double *w = nt->w[l] + o * din;
                for (int i = 0; i < din; ++i)
                    z += w[i] * in[i];
                out[o] = l < NLAYERS ? tanh(z) : z;
            }
        }
    }
    double loss = 0.0;
    *correct = 0;
    for (size_t r = 0; r < n; ++r) { /* softmax of the 2 output units, in place */
        double *z = nt->a[NLAYERS] + 2 * r, mx = z[0] > z[1] ? z[0] : z[1];
        double e0 = exp(z[0] - mx), e1 = exp(z[1] - mx), s = e0 + e1;
        z[0] = e0 / s;
        z[1] = e1 / s;
        loss -= log(z[y[r]] > 1e-300 ? z[y[r]] : 1e-300);
        *correct += (z[1] > z[0]) == (y[r] == 1);
    }
    return loss / (double)n;
}

/* One full-batch gradient step with momentum (after forward()). */
static void backward_step(net *nt, size_t n, const int *y, double lr, double momentum)
{
    for (size_t r = 0; r < n; ++r) /* softmax + cross-entropy: p - onehot(y), mean */
        for (int o = 0; o < 2; ++o)
            nt->delta[NLAYERS][2 * r + o] =
                (nt->a[NLAYERS][2 * r + o] - (o == y[r])) / (double)n;
    for (int l = NLAYERS; l >= 1; --l) {
        int din = layer_size[l - 1], dout = layer_size[l];
        memset(nt->gw[l], 0, (size_t)din * dout * sizeof(double));
        memset(nt->gb[l], 0, (size_t)dout * sizeof(double));
        for (size_t r = 0; r < n; ++r) {
            const double *d = nt->delta[l] + r * dout, *in = nt->a[l - 1] + r * din;
            for (int o = 0; o < dout; ++o) {
                nt->gb[l][o] += d[o];
                for (int i = 0; i < din; ++i)
                    nt->gw[l][o * din + i] += d[o] * in[i];
            }
            if (l > 1) { /* delta of the layer below, through its tanh */
                double *dl = nt->delta[l - 1] + r * din;
                for (int i = 0; i < din; ++i) {
                    double s = 0.0;
                    for (int o = 0; o < dout; ++o)
                        s += nt->w[l][o * din + i] * d[o];
                    dl[i] = s * (1.0 - in[i] * in[i]);
                }
            }
        }
        for (int k = 0; k < din * dout; ++k) {
            nt->vw[l][k] = momentum * nt->vw[l][k] - lr * nt->gw[l][k];
            nt->w[l][k] += nt->vw[l][k];
        }
        for (int o = 0; o < dout; ++o) {
            nt->vb[l][o] = momentum * nt->vb[l][o] - lr * nt->gb[l][o];
            nt->b[l][o] += nt->vb[l][o];
        }
    }
}

static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*s == '\0' || *s == '-' || *end != '\0' || errno != 0 || v > max)
        return -1;
    *out = v;
    return 0;
}

static int lib_fail(gcent_ctx *ctx, const char *what, int st)
{
    fprintf(stderr, "binning_resolution: %s: %s (%s)\n", what, gcent_strerror(st),
            gcent_ctx_errmsg(ctx));
    return 1;
}

/* The gnuplot script: I(X;Bin T) and I(Y;Bin T) against the width, one curve per layer. */
static int write_plot_script(const char *path, size_t n, double hy, const char *title)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    fprintf(f,
            "# gnuplot script written by binning_resolution; run it in this folder.\n"
            "set terminal pngcairo size 1300,540 font ',11' enhanced\n"
            "set output 'binning_resolution.png'\n"
            "set datafile separator ','\n"
            "set multiplot layout 1,2 title '%s'\n"
            "set logscale x\n"
            "set format x '10^{%%L}'\n"
            "set xrange [1e-4:1]\n"
            "set xlabel 'bin width'\n"
            "set grid\n"
            "set linetype 1 lc rgb '#0072b2'\n"
            "set linetype 2 lc rgb '#009e73'\n"
            "set linetype 3 lc rgb '#d55e00'\n"
            "set linetype 4 lc rgb '#cc79a7'\n"
            "set linetype 5 lc rgb '#8c564b'\n"
            "set key bottom left\n"
            "set ylabel 'I(X;Bin T) = H(Bin T)  [nats]'\n"
            "set yrange [0:%.3f]\n"
            "set title 'I(X;Bin(T_l)) climbs to ln n as the bins shrink'\n"
            "plot for [l=1:5] 'binning_resolution.csv' using 1:(column(1+l)) "
            "with linespoints pt 7 ps 0.5 lw 2 title sprintf('layer %%d (%%d units)', l, "
            "word('10 7 5 4 3', l)+0), \\\n"
            "     %.10f dt 2 lw 2 lc rgb 'black' title 'ln %zu = %.4f'\n"
            "set ylabel 'I(Y;Bin T)  [nats]'\n"
            "set yrange [0:%.3f]\n"
            "set key bottom right\n"
            "set title 'I(Y;Bin(T_l))'\n"
            "plot for [l=1:5] 'binning_resolution.csv' using 1:(column(6+l)) "
            "with linespoints pt 7 ps 0.5 lw 2 title sprintf('layer %%d', l), \\\n"
            "     %.10f dt 2 lw 2 lc rgb 'black' title 'H(Y) = %.4f'\n"
            "unset multiplot\n",
            title, log((double)n) * 1.12 + 0.1, log((double)n), n, log((double)n),
            hy * 1.25 + 0.05, hy, hy);
    return fclose(f) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    const char *outdir = "binning_out", *data_path = NULL;
    uint64_t seed = 1, epochs = 600;
    double lr = 0.05;
    const double momentum = 0.9;
    for (int a = 1; a < argc; ++a) {
        if (strcmp(argv[a], "--help") == 0 || strcmp(argv[a], "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(argv[a], "--out") == 0 && a + 1 < argc) {
            outdir = argv[++a];
        } else if (strcmp(argv[a], "--data") == 0 && a + 1 < argc) {
            data_path = argv[++a];
        } else if (strcmp(argv[a], "--seed") == 0 && a + 1 < argc) {
            if (parse_u64(argv[++a], (uint64_t)1 << 53, &seed) != 0) {
                fprintf(stderr, "binning_resolution: --seed needs an integer in [0, 2^53]\n");
                return 2;
            }
        } else if (strcmp(argv[a], "--lr") == 0 && a + 1 < argc) {
            char *end = NULL;
            lr = strtod(argv[++a], &end);
            if (*end != '\0' || !(lr > 0.0 && lr <= 100.0)) {
                fprintf(stderr, "binning_resolution: --lr needs a number in (0, 100]\n");
                return 2;
            }
        } else if (strcmp(argv[a], "--epochs") == 0 && a + 1 < argc) {
            if (parse_u64(argv[++a], 10000000, &epochs) != 0) {
                fprintf(stderr, "binning_resolution: --epochs needs an integer in [0, 1e7]\n");
                return 2;
            }
        } else {
            fprintf(stderr, "binning_resolution: unknown or incomplete option '%s'\n", argv[a]);
            usage(stderr);
            return 2;
        }
    }
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);

    /* ---- data ---- */
    szt12_data data;
    char err[512];
    if (data_path ? szt12_read_csv(data_path, &data, err, sizeof err) != 0
                  : szt12_generate(&data) != 0) {
        fprintf(stderr, "binning_resolution: %s\n", data_path ? err : "out of memory");
        return 1;
    }
    const size_t n = data.n;
    size_t pos = 0, pos_by[SZT12_BITS + 1] = {0}, tot_by[SZT12_BITS + 1] = {0};
    for (size_t r = 0; r < n; ++r) {
        int ones = 0;
        for (int j = 0; j < SZT12_BITS; ++j)
            ones += data.x[r * SZT12_BITS + j] == 1.0;
        tot_by[ones]++;
        pos_by[ones] += data.y[r];
        pos += data.y[r];
    }
    double py = (double)pos / (double)n;
    double hy = (pos == 0 || pos == n) ? 0.0 : -py * log(py) - (1 - py) * log(1 - py);
    printf("data: %s, %zu patterns, %zu positive (%.1f%%), H(Y) = %.5f nats\n",
           data_path ? data_path : "generated (szt12.h)", n, pos, 100.0 * py, hy);
    printf("      positives by number of ones:");
    for (int k = 0; k <= SZT12_BITS; ++k)
        if (tot_by[k])
            printf(" %d:%zu/%zu", k, pos_by[k], tot_by[k]);
    printf("\n");

    /* ---- network ---- */
    net nt;
    net_init(&nt, n, seed);
    memcpy(nt.a[0], data.x, n * SZT12_BITS * sizeof(double));
    size_t correct = 0;
    double loss = forward(&nt, n, data.y, &correct);
    printf("network 12-10-7-5-4-3-2 (tanh, softmax), seed %llu: initial loss %.4f, "
           "accuracy %.1f%%\n", (unsigned long long)seed, loss, 100.0 * correct / n);
    for (uint64_t e = 1; e <= epochs; ++e) {
        backward_step(&nt, n, data.y, lr, momentum);
        loss = forward(&nt, n, data.y, &correct);
    }
    printf("after %llu epochs of full-batch gradient descent (lr %g, momentum %g): "
           "loss %.4f, accuracy %.1f%%\n", (unsigned long long)epochs, lr, momentum, loss,
           100.0 * correct / n);

    /* ---- binned information ---- */
    gcent_ctx *ctx = NULL;
    int st = gcent_ctx_create(&ctx);
    if (st != GCENT_OK) {
        fprintf(stderr, "binning_resolution: gcent_ctx_create: %s\n", gcent_strerror(st));
        return 1;
    }
    static double ixt[NWIDTHS][NLAYERS], iyt[NWIDTHS][NLAYERS];
    double width[NWIDTHS];
    for (int i = 0; i < NWIDTHS; ++i) {
        width[i] = pow(10.0, -4.0 + 4.0 * i / (NWIDTHS - 1)); /* 1e-4 .. 1 */
        for (int l = 1; l < NLAYERS; ++l) {
            double h, ix;
            const double *t = nt.a[l];
            const size_t d = (size_t)layer_size[l];
            if ((st = gcent_binned_entropy(ctx, t, n, d, d, width[i], &h)) != GCENT_OK)
                return lib_fail(ctx, "gcent_binned_entropy", st);
            if ((st = gcent_binned_mi(ctx, t, n, 1, d, d, data.y, width[i], &ix,
                                      &iyt[i][l])) != GCENT_OK)
                return lib_fail(ctx, "gcent_binned_mi", st);
            if (fabs(ix - h) > 1e-12) /* k = 1: the two must agree */
                fprintf(stderr, "binning_resolution: warning: layer %d width %g: "
                        "I(X;Bin T) = %.15g but H(Bin T) = %.15g\n", l, width[i], ix, h);
            ixt[i][l] = h;
        }
    }
    gcent_ctx_free(ctx);

    /* ---- table and files ---- */
    printf("\n%9s  %-44s   %s\n", "", "I(X;Bin T_l) = H(Bin T_l) [nats], layer l (units)",
           "I(Y;Bin T_l) [nats]");
    printf("%9s", "width");
    for (int l = 1; l < NLAYERS; ++l)
        printf("   L%d(%2d)", l, layer_size[l]);
    printf("  ");
    for (int l = 1; l < NLAYERS; ++l)
        printf("     L%d", l);
    printf("\n");
    for (int i = 0; i < NWIDTHS; ++i) {
        printf("%9.2e", width[i]);
        for (int l = 1; l < NLAYERS; ++l)
            printf("  %7.4f", ixt[i][l]);
        printf("  ");
        for (int l = 1; l < NLAYERS; ++l)
            printf(" %6.4f", iyt[i][l]);
        printf("\n");
    }
    printf("limit ln n = ln %zu = %.4f nats; H(Y) = %.4f nats\n", n, log((double)n), hy);

    if (mkdir(outdir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "binning_resolution: cannot create %s: %s\n", outdir, strerror(errno));
        return 1;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/binning_resolution.csv", outdir);
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        fprintf(stderr, "binning_resolution: cannot write %s: %s\n", path, strerror(errno));
        return 1;
    }
    fprintf(f, "width");
    for (int l = 1; l < NLAYERS; ++l)
        fprintf(f, ",ixt_layer%d", l);
    for (int l = 1; l < NLAYERS; ++l)
        fprintf(f, ",iyt_layer%d", l);
    fprintf(f, "\n");
    for (int i = 0; i < NWIDTHS; ++i) {
        fprintf(f, "%.6e", width[i]);
        for (int l = 1; l < NLAYERS; ++l)
            fprintf(f, ",%.12f", ixt[i][l]);
        for (int l = 1; l < NLAYERS; ++l)
            fprintf(f, ",%.12f", iyt[i][l]);
        fprintf(f, "\n");
    }
    if (fclose(f) != 0) {
        fprintf(stderr, "binning_resolution: error writing %s\n", path);
        return 1;
    }
    char title[512];
    snprintf(title, sizeof title, "Binned information of a deterministic tanh network "
             "12-10-7-5-4-3-2, %s data, %llu epochs, seed %llu",
             data_path ? "original" : "generated", (unsigned long long)epochs,
             (unsigned long long)seed);
    snprintf(path, sizeof path, "%s/binning_resolution.gp", outdir);
    if (write_plot_script(path, n, hy, title) != 0) {
        fprintf(stderr, "binning_resolution: cannot write %s\n", path);
        return 1;
    }
    int plotted = 0;
    if (strchr(outdir, '\'') == NULL) {
        char cmd[4200];
        snprintf(cmd, sizeof cmd, "command -v gnuplot >/dev/null 2>&1 && cd '%s' && "
                 "gnuplot binning_resolution.gp", outdir);
        plotted = system(cmd) == 0;
    }
    printf("wrote %s/binning_resolution.csv, %s/binning_resolution.gp%s\n", outdir, outdir,
           plotted ? " and binning_resolution.png" : " (install gnuplot for the PNG)");

    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("time %.2f s\n", (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (t1.tv_nsec - t0.tv_nsec));
    net_free(&nt);
    szt12_free(&data);
    return 0;
}
