/* single_neuron: the minimal example of Goldfeld et al. (ICML 2019), one
 * noisy tanh neuron trained by gradient descent, measured at every step.
 *
 *   X uniform on {-3, -1, 1, 3},   Y = 1 iff X = 3,
 *   S = tanh(wX + b),              T = S + Z,   Z ~ N(0, beta^2).
 *
 * Training. The neuron is read as a classifier,
 *
 *   P(Y = 1 | x) = (1 + tanh(wx + b)) / 2 = sigmoid(2 (wx + b)),
 *
 * and (w, b) follow plain full-batch gradient descent on the mean
 * cross-entropy over the four inputs,
 *
 *   L(w, b) = -(1/4) sum_i [y_i ln p_i + (1 - y_i) ln(1 - p_i)],
 *   dL/dw = (1/2) sum_i (p_i - y_i) x_i,   dL/db = (1/2) sum_i (p_i - y_i),
 *
 * from a small start (default w = 0.01, b = 0). The loss is that of the
 * noiseless neuron, so training is deterministic; the noise Z is the channel
 * whose information is measured. The classes are separable, so L has no
 * minimum: (w, b) grows without bound towards the max-margin direction
 * b = -2w, which puts the tanh centre -b/w at x = 2, halfway between the
 * inputs 1 and 3 (logarithmically slowly: 1.94 after 40000 steps).
 *
 * Measurement. At every step gcent_mi_layer() (m = 4 inputs, k = 1 since S
 * is a function of X, d = 1, labels 0 0 0 1, method quadrature: error below
 * 1e-9 nats) gives I(X;T) and I(Y;T) of the symbols s_i = tanh(w x_i + b).
 * I(X;T) first rises towards ln 4 as the four symbols spread out by more
 * than beta, then falls as tanh saturates and the symbols merge: first
 * x = -3 with -1 (a shoulder near H(1/2,1/4,1/4) = 1.0397), then 1 joins them,
 * leaving two clusters and I(X;T) -> H(1/4,3/4) = 0.5623 nats = H(Y), which
 * I(Y;T) reaches early: the "compression" is clustering of the symbols.
 * At the end the program brackets the last I(X;T) by bounds computed from
 * the symbols alone (not by the library), which shrink to H(Y):
 *   upper  H(Y) + (3/4) (1/2) ln(1 + v0 / beta^2)  (v0 = variance of the
 *          three class-0 symbols; I(X;T) = I(Y;T) + (3/4) I(X;T | Y = 0), and
 *          a Gaussian channel of input variance v0 carries at most that);
 *   lower  H(Y) - H_b(Pe) <= I(Y;T) <= I(X;T)  (Fano, with Pe the error rate
 *          of the threshold halfway between the top class-0 symbol and the
 *          class-1 symbol).
 *
 * Files in the output folder: single_neuron.csv (every step), .gp and, when
 * gnuplot is installed, .png (I(X;T) and I(Y;T), the symbols with +-beta
 * bands, the tanh centre and slope, all against the step).
 *
 * --sweep instead tabulates I(X;T) and I(Y;T) over a (w, b) grid:
 * single_neuron_sweep.csv (blocks of equal w separated by blank lines),
 * single_neuron_path.csv (the gradient-descent path of the same options) and
 * a heat map single_neuron_sweep.png with the path drawn on it.
 *
 * Usage: single_neuron [--beta B] [--steps N] [--lr R] [--w0 W] [--b0 B]
 *                      [--out DIR] [--sweep [--wgrid LO:HI:N] [--bgrid LO:HI:N]]
 *                      [--quiet] [--help] */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <gcent.h>

static const double X[4] = {-3.0, -1.0, 1.0, 3.0};
static const int Y[4] = {0, 0, 0, 1};

typedef struct {
    double lo, hi;
    long n;
} grid;

static void usage(FILE *f)
{
    fprintf(f,
        "usage: single_neuron [options]\n"
        "One noisy tanh neuron T = tanh(wX + b) + Z, X uniform on {-3,-1,1,3}, Y = 1 iff\n"
        "X = 3, trained by gradient descent on the cross-entropy of\n"
        "P(Y=1|x) = (1 + tanh(wx + b))/2; I(X;T) and I(Y;T) at every step (quadrature).\n"
        "  --beta B         noise standard deviation (default 0.1)\n"
        "  --steps N        gradient-descent steps (default 40000)\n"
        "  --lr R           learning rate (default 0.05; above 0.4 the steps overshoot)\n"
        "  --w0 W, --b0 B   starting weight and bias (default 0.01 and 0)\n"
        "  --out DIR        output folder (default single_neuron_out)\n"
        "  --sweep          instead: I(X;T), I(Y;T) over a (w, b) grid, a heat map\n"
        "                   with the gradient-descent path of the options above\n"
        "  --wgrid LO:HI:N  the sweep's weights, N points from LO to HI (default 0:4:121)\n"
        "  --bgrid LO:HI:N  the sweep's biases (default -8:2:151)\n"
        "  --quiet          print only one line of results (key=value)\n"
        "Known values (beta = 0.1): I(X;T) = 1.1021 nats at (w,b) = (1,0), ln 2 at (5,0);\n"
        "ln 4 when the four symbols are far apart, H(1/4,3/4) = 0.5623 when b = -2w and\n"
        "w is large.\n");
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Entropy (nats) of a binary variable with P = p. */
static double hb(double p)
{
    return (p > 0.0 ? -p * log(p) : 0.0) + (p < 1.0 ? -(1.0 - p) * log1p(-p) : 0.0);
}

/* ln(1 + e^z) without overflow. */
static double softplus(double z)
{
    return (z > 0.0 ? z : 0.0) + log1p(exp(-fabs(z)));
}

/* Cross-entropy of P(Y=1|x) = sigmoid(2(wx + b)) and its gradient. */
static double loss_grad(double w, double b, double *gw, double *gb)
{
    double loss = 0.0;
    *gw = *gb = 0.0;
    for (int i = 0; i < 4; ++i) {
        double u = 2.0 * (w * X[i] + b), p = 1.0 / (1.0 + exp(-u));
        loss += Y[i] ? softplus(-u) : softplus(u); /* -ln p or -ln(1 - p) */
        *gw += 0.5 * (p - Y[i]) * X[i];
        *gb += 0.5 * (p - Y[i]);
    }
    return loss / 4.0;
}

/* The symbols and the library's I(X;T), I(Y;T) at (w, b). */
static int measure(gcent_ctx *ctx, double w, double b, double beta, double s[4],
                   gcent_layer_mi *mi)
{
    for (int i = 0; i < 4; ++i)
        s[i] = tanh(w * X[i] + b);
    return gcent_mi_layer(ctx, s, 4, 1, 1, 1, Y, beta, mi);
}

/* Bounds on I(X;T) from the symbols alone (see the top comment). */
static void bounds(const double s[4], double beta, double hy, double *lower, double *upper)
{
    double mean = (s[0] + s[1] + s[2]) / 3.0, v0 = 0.0, top = s[0];
    for (int i = 0; i < 3; ++i) {
        v0 += (s[i] - mean) * (s[i] - mean) / 3.0;
        top = s[i] > top ? s[i] : top;
    }
    *upper = fmin(hy + 0.375 * log1p(v0 / (beta * beta)), log(4.0)); /* and H(X) */
    double theta = 0.5 * (top + s[3]), pe = 0.0; /* decide Y = 1 iff T > theta */
    for (int i = 0; i < 3; ++i)
        pe += 0.25 * 0.5 * erfc((theta - s[i]) / (beta * sqrt(2.0)));
    pe += 0.25 * 0.5 * erfc((s[3] - theta) / (beta * sqrt(2.0)));
    *lower = fmax(hy - hb(pe), 0.0);
}

static int parse_double(const char *txt, double lo, double hi, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(txt, &end);
    if (end == txt || *end != '\0' || errno == ERANGE || !(v >= lo && v <= hi))
        return -1;
    *out = v;
    return 0;
}

static int parse_long(const char *txt, long lo, long hi, long *out)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(txt, &end, 10);
    if (end == txt || *end != '\0' || errno == ERANGE || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* "LO:HI:N" with LO < HI finite and 2 <= N <= 2000. */
static int parse_grid(const char *txt, grid *g)
{
    double lo, hi;
    long n;
    int used = 0;
    if (sscanf(txt, "%lf:%lf:%ld%n", &lo, &hi, &n, &used) != 3 || txt[used] != '\0' ||
        !isfinite(lo) || !isfinite(hi) || !(lo < hi) || n < 2 || n > 2000)
        return -1;
    g->lo = lo, g->hi = hi, g->n = n;
    return 0;
}

static double grid_at(const grid *g, long i)
{
    return i == g->n - 1 ? g->hi : g->lo + (g->hi - g->lo) * (double)i / (double)(g->n - 1);
}

static int lib_fail(gcent_ctx *ctx, int st, double w, double b)
{
    fprintf(stderr, "single_neuron: gcent_mi_layer at (w, b) = (%g, %g): %s (%s)\n", w, b,
            gcent_strerror(st), gcent_ctx_errmsg(ctx));
    return 1;
}

/* Runs gnuplot on SCRIPT inside DIR; 1 if a picture was drawn. */
static int run_gnuplot(const char *dir, const char *script)
{
    if (strchr(dir, '\'') != NULL)
        return 0;
    char cmd[4400];
    snprintf(cmd, sizeof cmd, "command -v gnuplot >/dev/null 2>&1 && cd '%s' && gnuplot %s",
             dir, script);
    return system(cmd) == 0;
}

/* ---- steps mode --------------------------------------------------------------- */

static int write_steps_script(const char *path, long steps, double beta, double lr, double w0,
                              double b0)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    const double h211 = 0.5 * log(2.0) + 0.5 * log(4.0); /* H(1/2,1/4,1/4) */
    fprintf(f,
        "# gnuplot script written by single_neuron; run it in this folder.\n"
        "set terminal pngcairo size 1080,1150 font ',11' enhanced\n"
        "set output 'single_neuron.png'\n"
        "set datafile separator ','\n"
        "set multiplot title \"One noisy neuron T = tanh(wX + b) + Z, Z Gaussian of "
        "s.d. {/Symbol b} = %g, X uniform on \\\\{-3, -1, 1, 3\\\\}, Y = 1 iff X = 3\\n"
        "gradient descent on the cross-entropy of P(Y=1|x) = (1 + tanh(wx + b))/2, "
        "lr %g, from (w, b) = (%g, %g)\" font ',12'\n"
        "set lmargin at screen 0.09\n"
        "set rmargin at screen 0.76\n"
        "set logscale x\n"
        "set xrange [0.5:%g]\n"
        "set format x ''\n"
        "set grid\n"
                "stepx(s) = s > 0 ? s : 0.5  # step 0 is drawn at 0.5\n"
        "# (a) information\n"
        "set size 1, 0.33\nset origin 0, 0.60\n"
        "set ylabel 'nats'\n"
        "set yrange [0:1.5]\n"
        "set ytics 0.2\n"
        "set key at screen 0.785, 0.905 left top Left reverse\n"
        "set title '(a) I(X;T) rises, then falls to H(Y) as the symbols merge'\n"
        "plot 'single_neuron.csv' using (stepx($1)):11 with lines lw 3 lc rgb '#0072b2' "
        "title 'I(X;T)', \\\n"
        "     '' using (stepx($1)):12 with lines lw 3 lc rgb '#d55e00' title 'I(Y;T)', \\\n"
        "     %.10f with lines dt 2 lw 1.5 lc rgb '#555555' title 'ln 4', \\\n"
        "     %.10f with lines dt 3 lw 1.5 lc rgb '#555555' title 'H(1/2,1/4,1/4)', \\\n"
        "     %.10f with lines dt 4 lw 1.5 lc rgb 'black' title 'H(1/4,3/4) = H(Y)'\n"
        "# (b) symbols\n"
        "set size 1, 0.30\nset origin 0, 0.30\n"
        "set ylabel 'tanh(w x + b)'\n"
        "set yrange [-1.25:1.25]\n"
        "set ytics 0.5\n"
        "set key at screen 0.785, 0.585 left top Left reverse\n"
        "set title \"(b) the symbols tanh(w x_i + b), with bands of {/Symbol \\261 b}\"\n"
        "set style fill transparent solid 0.18 noborder\n"
        "colour(i) = word('#0072b2 #009e73 #cc79a7 #d55e00', i)\n"
        "plot for [i=1:4] 'single_neuron.csv' using (stepx($1)):(column(5+i)-%g):"
        "(column(5+i)+%g) with filledcurves lc rgb colour(i) notitle, \\\n"
        "     for [i=1:4] '' using (stepx($1)):(column(5+i)) with lines lw 2.5 "
        "lc rgb colour(i) title word('x=-3 x=-1 x=1 x=3', i).(i == 4 ? ', Y=1' : ', Y=0')\n"
        "# (c) centre and slope\n"
        "set size 1, 0.30\nset origin 0, 0.0\n"
        "set format x '10^{%%L}'\n"
        "set xtics add ('0' 0.5)\n"
        "set xlabel 'gradient-descent step'\n"
        "set ylabel 'tanh centre -b/w'\n"
        "set yrange [0:2.5]\n"
        "set ytics 0.5 nomirror\n"
        "set y2label 'slope w'\n"
        "set y2range [0:*]\n"
        "set y2tics\n"
        "set key at screen 0.84, 0.285 left top Left reverse\n"
        "set title '(c) the centre moves towards x = 2 as the slope grows'\n"
        "plot 'single_neuron.csv' using (stepx($1)):4 with lines lw 3 lc rgb '#0072b2' "
        "title 'centre -b/w', \\\n"
        "     '' using (stepx($1)):2 axes x1y2 with lines lw 3 lc rgb '#e69f00' "
        "title 'slope w', \\\n"
        "     2 with lines dt 2 lw 1.5 lc rgb 'black' title 'x = 2'\n"
        "unset multiplot\n",
        beta, lr, w0, b0, steps > 1 ? 1.5 * (double)steps : 2.0, log(4.0), h211, hb(0.25),
        beta, beta);
    return fclose(f) == 0 ? 0 : -1;
}

/* Table rows: steps 0, 1, 2, 5, 10, 20, 50, ... */
static int table_row(long t)
{
    while (t >= 10 && t % 10 == 0)
        t /= 10;
    return t == 0 || t == 1 || t == 2 || t == 5;
}

static int run_steps(gcent_ctx *ctx, const char *outdir, double beta, long steps, double lr,
                     double w0, double b0, int quiet)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/single_neuron.csv", outdir);
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        fprintf(stderr, "single_neuron: cannot write %s: %s\n", path, strerror(errno));
        return 1;
    }
    fprintf(f, "step,w,b,centre,loss,s_xm3,s_xm1,s_x1,s_x3,h_t,ixt,iyt\n");
    const double hy = hb(0.25);
    const int progress = !quiet && isatty(2) && steps >= 1000;
    const double t0 = now();
    if (!quiet)
        printf("%7s %8s %9s %7s %9s %8s %8s %8s %8s  %8s %8s\n", "step", "w", "b", "centre",
               "loss", "s(-3)", "s(-1)", "s(1)", "s(3)", "I(X;T)", "I(Y;T)");
    double w = w0, b = b0, s[4], ixt0 = 0.0, peak = -1.0, last_ixt = 0.0, last_iyt = 0.0;
    long peak_step = 0;
    for (long t = 0;; ++t) {
        double gw, gb, loss = loss_grad(w, b, &gw, &gb);
        gcent_layer_mi mi;
        int st = measure(ctx, w, b, beta, s, &mi);
        if (st != GCENT_OK) {
            fclose(f);
            return lib_fail(ctx, st, w, b);
        }
        double centre = w != 0.0 ? -b / w + 0.0 : NAN; /* + 0.0: no -0 */
        fprintf(f, "%ld,%.9g,%.9g,%.9g,%.9g,%.10g,%.10g,%.10g,%.10g,%.10f,%.10f,%.10f\n", t,
                w, b, centre, loss, s[0], s[1], s[2], s[3], mi.ht.value, mi.ixt.value,
                mi.iyt.value);
        if (t == 0)
            ixt0 = mi.ixt.value;
        if (mi.ixt.value > peak)
            peak = mi.ixt.value, peak_step = t;
        last_ixt = mi.ixt.value, last_iyt = mi.iyt.value;
        if (!quiet && (table_row(t) || t == steps))
            printf("%7ld %8.4f %9.4f %7.4f %9.3e %8.4f %8.4f %8.4f %8.4f  %8.5f %8.5f\n", t, w,
                   b, centre, loss, s[0], s[1], s[2], s[3], mi.ixt.value, mi.iyt.value);
        if (progress && t % 1000 == 0)
            fprintf(stderr, "\rstep %ld / %ld", t, steps);
        if (t == steps)
            break;
        w -= lr * gw;
        b -= lr * gb;
        if (!isfinite(w) || !isfinite(b)) {
            fclose(f);
            fprintf(stderr, "single_neuron: gradient descent diverged at step %ld "
                    "(lower --lr)\n", t + 1);
            return 1;
        }
    }
    if (progress)
        fprintf(stderr, "\r%*s\r", 30, "");
    if (fclose(f) != 0) {
        fprintf(stderr, "single_neuron: error writing %s\n", path);
        return 1;
    }
    double lower, upper;
    bounds(s, beta, hy, &lower, &upper);
    if (quiet) {
        printf("steps=%ld w=%.6f b=%.6f ixt0=%.10f ixt_peak=%.10f peak_step=%ld ixt=%.10f "
               "iyt=%.10f hy=%.10f lower=%.10f upper=%.10f\n", steps, w, b, ixt0, peak,
               peak_step, last_ixt, last_iyt, hy, lower, upper);
    } else {
        printf("I(X;T): %.4f at step 0, peak %.4f at step %ld (ln 4 = %.4f), %.4f at step %ld\n",
               ixt0, peak, peak_step, log(4.0), last_ixt, steps);
        printf("final I(X;T) = %.6f, I(Y;T) = %.6f nats; H(1/4,3/4) = H(Y) = %.6f\n", last_ixt,
               last_iyt, hy);
        printf("bounds from the symbols alone: %.6f <= I(X;T) <= %.6f\n", lower, upper);
        printf("%ld quadratures in %.2f s\n", steps + 1, now() - t0);
    }
    snprintf(path, sizeof path, "%s/single_neuron.gp", outdir);
    if (write_steps_script(path, steps, beta, lr, w0, b0) != 0) {
        fprintf(stderr, "single_neuron: cannot write %s\n", path);
        return 1;
    }
    int plotted = run_gnuplot(outdir, "single_neuron.gp");
    if (!quiet)
        printf("wrote %s/single_neuron.csv, single_neuron.gp%s\n", outdir,
               plotted ? " and single_neuron.png" : " (install gnuplot for the PNG)");
    return 0;
}

/* ---- sweep mode --------------------------------------------------------------- */

static int write_sweep_script(const char *path, const grid *wg, const grid *bg, double beta,
                              double lr, double w0, double b0, long steps)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    fprintf(f,
        "# gnuplot script written by single_neuron --sweep; run it in this folder.\n"
        "set terminal pngcairo size 1400,600 font ',11' enhanced\n"
        "set output 'single_neuron_sweep.png'\n"
        "set datafile separator ','\n"
        "set multiplot layout 1,2 title 'One noisy neuron T = tanh(wX+b) + Z, "
        "X uniform on \\{-3,-1,1,3\\}, {/Symbol b} = %g; white line: gradient descent "
        "(lr %g, %ld steps from (%g,%g))' font ',13'\n"
        "set xrange [%.10g:%.10g]\nset yrange [%.10g:%.10g]\n"
        "set xlabel 'weight w'\nset ylabel 'bias b'\n"
        "set palette defined (0 '#000004', 1 '#3b0f70', 2 '#8c2981', 3 '#de4968', "
        "4 '#fe9f6d', 5 '#fcfdbf')\n"
        "set key bottom left textcolor rgb 'white'\n"
        "set title 'I(X;T) [nats]'\n"
        "set cbrange [0:%.10f]\n"
        "plot 'single_neuron_sweep.csv' using 1:2:3 with image notitle, \\\n"
        "     'single_neuron_path.csv' using 2:3 with lines lw 5 lc rgb 'black' notitle, \\\n"
        "     '' using 2:3 with lines lw 2.5 lc rgb 'white' title 'gradient descent', \\\n"
        "     -2*x with lines dt 2 lw 2 lc rgb '#56b4e9' title 'b = -2w (centre at x = 2)'\n"
        "set title 'I(Y;T) [nats], H(Y) = H(1/4,3/4) = %.4f'\n"
        "set cbrange [0:%.10f]\n"
        "plot 'single_neuron_sweep.csv' using 1:2:4 with image notitle, \\\n"
        "     'single_neuron_path.csv' using 2:3 with lines lw 5 lc rgb 'black' notitle, \\\n"
        "     '' using 2:3 with lines lw 2.5 lc rgb 'white' title 'gradient descent', \\\n"
        "     -2*x with lines dt 2 lw 2 lc rgb '#56b4e9' title 'b = -2w (centre at x = 2)'\n"
        "unset multiplot\n",
        beta, lr, steps, w0, b0, wg->lo, wg->hi, bg->lo, bg->hi, log(4.0), hb(0.25), hb(0.25));
    return fclose(f) == 0 ? 0 : -1;
}

static int run_sweep(gcent_ctx *ctx, const char *outdir, double beta, const grid *wg,
                     const grid *bg, long steps, double lr, double w0, double b0, int quiet)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/single_neuron_sweep.csv", outdir);
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        fprintf(stderr, "single_neuron: cannot write %s: %s\n", path, strerror(errno));
        return 1;
    }
    fprintf(f, "w,b,ixt,iyt\n");
    double best = -1.0, best_w = 0.0, best_b = 0.0, t0 = now();
    const int table = !quiet && wg->n <= 9 && bg->n <= 40;
    if (table) {
        printf("I(X;T) [nats], beta = %g\n%9s", beta, "b \\ w");
        for (long i = 0; i < wg->n; ++i)
            printf(" %8.4g", grid_at(wg, i));
        printf("\n");
    }
    double *col = calloc((size_t)wg->n * (size_t)bg->n, sizeof *col);
    if (col == NULL) {
        fclose(f);
        fprintf(stderr, "single_neuron: out of memory\n");
        return 1;
    }
    for (long i = 0; i < wg->n; ++i) {
        double w = grid_at(wg, i);
        for (long j = 0; j < bg->n; ++j) {
            double b = grid_at(bg, j), s[4];
            gcent_layer_mi mi;
            int st = measure(ctx, w, b, beta, s, &mi);
            if (st != GCENT_OK) {
                fclose(f);
                free(col);
                return lib_fail(ctx, st, w, b);
            }
            fprintf(f, "%.10g,%.10g,%.12f,%.12f\n", w, b, mi.ixt.value, mi.iyt.value);
            col[j * wg->n + i] = mi.ixt.value;
            if (mi.ixt.value > best)
                best = mi.ixt.value, best_w = w, best_b = b;
        }
        fprintf(f, "\n");
    }
    if (table)
        for (long j = bg->n - 1; j >= 0; --j) {
            printf("%9.4g", grid_at(bg, j));
            for (long i = 0; i < wg->n; ++i)
                printf(" %8.5f", col[j * wg->n + i]);
            printf("\n");
        }
    free(col);
    if (fclose(f) != 0) {
        fprintf(stderr, "single_neuron: error writing %s\n", path);
        return 1;
    }

    /* the gradient-descent path: every step up to 100, then about 2000 rows */
    snprintf(path, sizeof path, "%s/single_neuron_path.csv", outdir);
    if ((f = fopen(path, "w")) == NULL) {
        fprintf(stderr, "single_neuron: cannot write %s: %s\n", path, strerror(errno));
        return 1;
    }
    fprintf(f, "step,w,b\n");
    double w = w0, b = b0;
    long every = steps / 2000 > 1 ? steps / 2000 : 1;
    for (long t = 0;; ++t) {
        if (t <= 100 || t % every == 0 || t == steps)
            fprintf(f, "%ld,%.10g,%.10g\n", t, w, b);
        if (t == steps)
            break;
        double gw, gb;
        loss_grad(w, b, &gw, &gb);
        w -= lr * gw;
        b -= lr * gb;
    }
    if (fclose(f) != 0) {
        fprintf(stderr, "single_neuron: error writing %s\n", path);
        return 1;
    }
    snprintf(path, sizeof path, "%s/single_neuron_sweep.gp", outdir);
    if (write_sweep_script(path, wg, bg, beta, lr, w0, b0, steps) != 0) {
        fprintf(stderr, "single_neuron: cannot write %s\n", path);
        return 1;
    }
    int plotted = run_gnuplot(outdir, "single_neuron_sweep.gp");
    if (quiet) {
        printf("points=%ld max_ixt=%.10f at_w=%.6g at_b=%.6g\n", wg->n * bg->n, best, best_w,
               best_b);
    } else {
        printf("%ld x %ld grid, w in [%g, %g], b in [%g, %g]: %ld quadratures in %.2f s\n",
               wg->n, bg->n, wg->lo, wg->hi, bg->lo, bg->hi, wg->n * bg->n, now() - t0);
        printf("largest I(X;T) on the grid: %.6f nats at (w, b) = (%g, %g); ln 4 = %.6f\n",
               best, best_w, best_b, log(4.0));
        printf("wrote %s/single_neuron_sweep.csv, single_neuron_path.csv, "
               "single_neuron_sweep.gp%s\n", outdir,
               plotted ? " and single_neuron_sweep.png" : " (install gnuplot for the PNG)");
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *outdir = "single_neuron_out";
    double beta = 0.1, lr = 0.05, w0 = 0.01, b0 = 0.0;
    long steps = 40000;
    int sweep = 0, quiet = 0, gridded = 0;
    grid wg = {0.0, 4.0, 121}, bg = {-8.0, 2.0, 151};
    for (int a = 1; a < argc; ++a) {
        const char *opt = argv[a], *val = a + 1 < argc ? argv[a + 1] : NULL;
        int bad = 0;
        if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(opt, "--sweep") == 0) {
            sweep = 1;
            continue;
        } else if (strcmp(opt, "--quiet") == 0) {
            quiet = 1;
            continue;
        } else if (val == NULL) {
            bad = 1;
        } else if (strcmp(opt, "--out") == 0) {
            outdir = val;
        } else if (strcmp(opt, "--beta") == 0) {
            bad = parse_double(val, 1e-6, 1e3, &beta);
        } else if (strcmp(opt, "--steps") == 0) {
            bad = parse_long(val, 0, 100000000, &steps);
        } else if (strcmp(opt, "--lr") == 0) {
            bad = parse_double(val, 1e-12, 100.0, &lr);
        } else if (strcmp(opt, "--w0") == 0) {
            bad = parse_double(val, -1e6, 1e6, &w0);
        } else if (strcmp(opt, "--b0") == 0) {
            bad = parse_double(val, -1e6, 1e6, &b0);
        } else if (strcmp(opt, "--wgrid") == 0) {
            bad = parse_grid(val, &wg), gridded = 1;
        } else if (strcmp(opt, "--bgrid") == 0) {
            bad = parse_grid(val, &bg), gridded = 1;
        } else {
            bad = 1;
        }
        if (bad) {
            fprintf(stderr, "single_neuron: bad option or value: %s %s\n", opt, val ? val : "");
            usage(stderr);
            return 2;
        }
        ++a;
    }
    if (gridded && !sweep) {
        fprintf(stderr, "single_neuron: --wgrid and --bgrid need --sweep\n");
        return 2;
    }
    if (mkdir(outdir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "single_neuron: cannot create %s: %s\n", outdir, strerror(errno));
        return 1;
    }

    gcent_ctx *ctx = NULL;
    int st = gcent_ctx_create(&ctx);
    if (st != GCENT_OK) {
        fprintf(stderr, "single_neuron: gcent_ctx_create: %s\n", gcent_strerror(st));
        return 1;
    }
    /* Quadrature: deterministic, about 1e-11 nats, 0.15 ms per (w, b) here. */
    if ((st = gcent_ctx_set(ctx, GCENT_OPT_METHOD, GCENT_METHOD_QUADRATURE)) != GCENT_OK ||
        (st = gcent_ctx_set(ctx, GCENT_OPT_THREADS, 1)) != GCENT_OK) {
        fprintf(stderr, "single_neuron: gcent_ctx_set: %s (%s)\n", gcent_strerror(st),
                gcent_ctx_errmsg(ctx));
        gcent_ctx_free(ctx);
        return 1;
    }
    int rc = sweep ? run_sweep(ctx, outdir, beta, &wg, &bg, steps, lr, w0, b0, quiet)
                   : run_steps(ctx, outdir, beta, steps, lr, w0, b0, quiet);
    gcent_ctx_free(ctx);
    return rc;
}
