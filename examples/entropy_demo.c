/* entropy_demo: I(X;T) of a single noisy tanh neuron, T = tanh(wX + b) + Z.
 *
 * X is uniform on {-3,-1,1,3} and Z ~ N(0, beta^2). Because T given X is
 * Gaussian, I(X;T) = h(T) - h(Z), and h(T) is the entropy of a 4-component
 * Gaussian mixture, which libgcent computes by quadrature. The program sweeps
 * the weight w for b = 0 (I(X;T) falls from ln 4 to ln 2 as tanh saturates
 * the four inputs into two clusters) and for b = -2w (the tanh centre sits
 * at x = 2, and I(X;T) tends to H(1/4, 3/4)), writes a CSV and, when gnuplot
 * is installed, a PNG.
 *
 * Usage: entropy_demo [--out DIR] [--beta B] [--points N] [--help] */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <gcent.h>

static void usage(FILE *f)
{
    fprintf(f, "usage: entropy_demo [--out DIR] [--beta B] [--points N]\n"
               "  --out DIR    output folder (default: entropy_demo_out)\n"
               "  --beta B     noise standard deviation (default 0.1)\n"
               "  --points N   number of weights in the sweep (default 120)\n");
}

static int ixt(gcent_ctx *ctx, double w, double b, double beta, double hz, double *out)
{
    static const double x[4] = {-3, -1, 1, 3};
    double s[4];
    for (int i = 0; i < 4; ++i)
        s[i] = tanh(w * x[i] + b);
    gcent_estimate h;
    int st = gcent_entropy(ctx, s, 4, 1, 1, NULL, beta, &h);
    if (st == GCENT_OK)
        *out = h.value - hz;
    return st;
}

int main(int argc, char **argv)
{
    const char *outdir = "entropy_demo_out";
    double beta = 0.1;
    long points = 120;
    for (int a = 1; a < argc; ++a) {
        if (strcmp(argv[a], "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(argv[a], "--out") == 0 && a + 1 < argc) {
            outdir = argv[++a];
        } else if (strcmp(argv[a], "--beta") == 0 && a + 1 < argc) {
            beta = strtod(argv[++a], NULL);
        } else if (strcmp(argv[a], "--points") == 0 && a + 1 < argc) {
            points = strtol(argv[++a], NULL, 10);
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (!(beta > 0) || points < 2 || points > 100000) {
        fprintf(stderr, "entropy_demo: need beta > 0 and 2 <= points <= 100000\n");
        return 2;
    }
    if (mkdir(outdir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "entropy_demo: cannot create %s: %s\n", outdir, strerror(errno));
        return 1;
    }

    gcent_ctx *ctx = NULL;
    int st = gcent_ctx_create(&ctx);
    if (st != GCENT_OK) {
        fprintf(stderr, "entropy_demo: %s\n", gcent_strerror(st));
        return 1;
    }
    double hz = 0;
    st = gcent_ctx_set(ctx, GCENT_OPT_METHOD, GCENT_METHOD_QUADRATURE);
    if (st == GCENT_OK)
        st = gcent_noise_entropy(ctx, 1, beta, &hz);
    if (st != GCENT_OK) {
        fprintf(stderr, "entropy_demo: %s (%s)\n", gcent_strerror(st), gcent_ctx_errmsg(ctx));
        gcent_ctx_free(ctx);
        return 1;
    }

    char csv[4096];
    snprintf(csv, sizeof csv, "%s/single_neuron.csv", outdir);
    FILE *f = fopen(csv, "w");
    if (f == NULL) {
        fprintf(stderr, "entropy_demo: cannot write %s: %s\n", csv, strerror(errno));
        gcent_ctx_free(ctx);
        return 1;
    }
    fprintf(f, "w,ixt_b0,ixt_bminus2w\n");
    printf("%10s  %14s  %14s\n", "w", "I(X;T) b=0", "I(X;T) b=-2w");
    for (long i = 0; i < points; ++i) {
        double w = pow(10.0, -2.0 + 3.0 * (double)i / (double)(points - 1)); /* 0.01 .. 10 */
        double i0, i1;
        if ((st = ixt(ctx, w, 0.0, beta, hz, &i0)) != GCENT_OK ||
            (st = ixt(ctx, w, -2.0 * w, beta, hz, &i1)) != GCENT_OK) {
            fprintf(stderr, "entropy_demo: gcent_entropy: %s (%s)\n", gcent_strerror(st),
                    gcent_ctx_errmsg(ctx));
            fclose(f);
            gcent_ctx_free(ctx);
            return 1;
        }
        fprintf(f, "%.10g,%.12f,%.12f\n", w, i0, i1);
        if (i % (points / 12 > 0 ? points / 12 : 1) == 0 || i == points - 1)
            printf("%10.4f  %14.10f  %14.10f\n", w, i0, i1);
    }
    fclose(f);
    gcent_ctx_free(ctx);
    printf("limits: ln 4 = %.6f, ln 2 = %.6f, H(1/4,3/4) = %.6f nats\n", log(4.0), log(2.0),
           -0.25 * log(0.25) - 0.75 * log(0.75));

    char cmd[8192];
    snprintf(cmd, sizeof cmd, "command -v gnuplot >/dev/null 2>&1 && gnuplot -e \""
             "set terminal pngcairo size 900,560 noenhanced; set output '%s/single_neuron.png';"
             "set datafile separator ','; set logscale x; set key top left;"
             "set title 'Single noisy tanh neuron, X uniform on {-3,-1,1,3}, beta = %g';"
             "set xlabel 'weight w'; set ylabel 'I(X;T) [nats]'; set yrange [0:1.5];"
             "plot '%s' using 1:2 with lines lw 2 title 'b = 0',"
             " '' using 1:3 with lines lw 2 title 'b = -2w',"
             " log(4) dt 2 lc rgb 'gray' title 'ln 4', log(2) dt 3 lc rgb 'gray' title 'ln 2',"
             " -0.25*log(0.25)-0.75*log(0.75) dt 4 lc rgb 'black' title 'H(1/4,3/4)'\"",
             outdir, beta, csv);
    if (system(cmd) == 0)
        printf("wrote %s and %s/single_neuron.png\n", csv, outdir);
    else
        printf("wrote %s (install gnuplot for the picture)\n", csv);
    return 0;
}
