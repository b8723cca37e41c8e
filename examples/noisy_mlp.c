/* noisy_mlp: the information plane of a noisy tanh network during training
 * (Goldfeld et al., "Estimating Information Flow in Deep Neural Networks",
 * ICML 2019), on the 12-bit data set of Shwartz-Ziv & Tishby (2017).
 *
 * The network (support/mlp.h) is 12-10-7-5-4-3-2 by default: tanh hidden
 * layers whose every output gets Gaussian noise N(0, beta^2), in training and
 * in measurement, and a softmax output. It is trained by minibatch Adam (or
 * SGD) on a random 80% of the 4096 patterns. At log-spaced epochs the program
 * measures every hidden layer T_l with libgcent:
 *
 *   I(X;T_l), I(Y;T_l)  gcent_mi_layer, X uniform over ALL the patterns (train
 *                       and test), from k noisy passes per input (k = 1 for
 *                       layer 1, whose S_1 is a function of x);
 *   H(Bin(T_l))         gcent_binned_entropy of the noise-free pass of the same
 *                       weights (the deterministic network that earlier work
 *                       binned), bin width --width (default: beta);
 *   loss and accuracy   of the noisy network (one noisy pass) on the training
 *                       and the test patterns.
 *
 * and, at a few chosen epochs, the pairwise distances of the representations
 * (within and between classes) and scatter plots of the 2-D/3-D layers.
 * Writes noisy_mlp.csv (one row per epoch x layer) and gnuplot pictures into
 * the output folder; a progress bar goes to stderr. --help lists the options.
 *
 * The bin width. Goldfeld et al. set the binned entropy of the deterministic
 * network beside I(X;T_l) of the noisy one and found them to rise and fall
 * together, both following how the representations cluster; for that the
 * bins must resolve the scale the noise resolves (the authors' released code,
 * github.com/kgreenewald/smoothMI, bins at 0.007 for noise 0.005). Here the
 * default width is beta: representations closer than beta are blurred
 * together by the noise, and bins of width beta resolve about what the
 * noisy channel resolves.
 *
 * Cost: layer l > 1 is a mixture of 4096 k centres, evaluated at 4096 k
 * queries (draws = 1): (4096 k)^2 pairs per layer and point. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <gcent.h>
#include "mlp.h"
#include "szt12.h"

#define MAX_SNAPS 8
#define NHIST 60 /* bins of the pairwise-distance histograms */
/* Stream of the train/test split: above mlp.h's streams (< 2^30), below the
 * library's (>= 2^32). */
#define STREAM_SPLIT ((uint64_t)1 << 30)
/* Noise tags: the MI samples of point p use tag p; the loss/accuracy passes
 * use EVAL_TAG + 2p (train) and EVAL_TAG + 2p + 1 (test). */
#define EVAL_TAG ((uint64_t)1 << 27)

typedef struct {
    int arch[MLP_MAX_SIZES], nsizes;
    double beta, lr, width, test_frac;
    size_t epochs, batch, points, k, draws, threads;
    uint64_t seed;
    mlp_optimizer opt;
    const char *data_path, *outdir;
    size_t snaps[MAX_SNAPS], nsnaps;
    int quiet;
} options;

static void usage(FILE *f)
{
    fprintf(f,
        "usage: noisy_mlp [options]\n"
        "Trains a noisy tanh network on the 12-bit data set and draws the information\n"
        "plane (I(X;T_l), I(Y;T_l)) of its hidden layers over training (Goldfeld et al.,\n"
        "ICML 2019). Every hidden neuron's output gets N(0, beta^2) noise, in training\n"
        "and in measurement.\n"
        "  --arch A          layer sizes, inputs first (default 12-10-7-5-4-3-2; first\n"
        "                    12, last = number of classes >= 2, at most 16 sizes)\n"
        "  --beta B          noise standard deviation (default 0.1)\n"
        "  --epochs N        training epochs (default 5000)\n"
        "  --optimizer O     adam or sgd (default adam)\n"
        "  --lr R            learning rate (default 0.001 for adam, 0.1 for sgd)\n"
        "  --batch N         minibatch size (default 256)\n"
        "  --seed S          seed of everything: weights, split, shuffles, noise and the\n"
        "                    library's Monte Carlo (default 1)\n"
        "  --data FILE.csv   data set with the header x1,...,x12,y (default: the\n"
        "                    generated 12-bit set of szt12.h, 4096 patterns)\n"
        "  --test-fraction F patterns held out for testing (default 0.2: a random 20%%\n"
        "                    chosen by the seed; training uses the other 80%%)\n"
        "  --out DIR         output folder (default noisy_mlp_out)\n"
        "  --points N        measurement epochs, log-spaced from 1 to --epochs\n"
        "                    (default 60; fewer when the epochs are few)\n"
        "  --k N             noisy passes per input for layers > 1 (default 8). Cost\n"
        "                    grows as k^2; a small k biases I(X;T_l) upwards\n"
        "  --draws N         Monte Carlo draws per sample for layers > 1 (default 1;\n"
        "                    layer 1 uses k times as many)\n"
        "  --width W         bin width of H(Bin(T_l)) (default: beta, the scale below\n"
        "                    which the noise blurs two representations together)\n"
        "  --snapshots E,..  epochs of the distance histograms and scatter plots\n"
        "                    (default: 4 log-spaced epochs; added to the measurements)\n"
        "  --threads N       library worker threads, 0 = all cores (default 0)\n"
        "  --quiet           no progress bar\n"
        "  --help            this text\n"
        "X is uniform over all patterns (train and test) in the information measures.\n"
        "Outputs in DIR: noisy_mlp.csv (one row per measured epoch and hidden layer),\n"
        "infoplane.png, mi_vs_epoch.png, distances.png, scatter_layerL.png (2-D/3-D\n"
        "layers), their data files and noisy_mlp.gp (needs gnuplot for the PNGs).\n");
}

/* ---- small helpers ------------------------------------------------------ */

static double now(void) /* for the progress display and timings only */
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int parse_size(const char *txt, size_t lo, size_t hi, size_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(txt, &end, 10);
    if (*txt == '\0' || *txt == '-' || *end != '\0' || errno != 0 || v < lo || v > hi)
        return -1;
    *out = (size_t)v;
    return 0;
}

static int parse_double(const char *txt, double lo, double hi, double *out)
{
    char *end = NULL;
    double v = strtod(txt, &end);
    if (*txt == '\0' || *end != '\0' || !(v >= lo && v <= hi))
        return -1;
    *out = v;
    return 0;
}

/* "12-10-7" -> sizes */
static int parse_arch(const char *txt, options *o)
{
    int n = 0;
    const char *p = txt;
    while (*p) {
        char *end = NULL;
        errno = 0;
        long v = strtol(p, &end, 10);
        if (end == p || errno != 0 || v < 1 || v > 10000 || n == MLP_MAX_SIZES)
            return -1;
        o->arch[n++] = (int)v;
        if (*end == '-')
            ++end;
        else if (*end != '\0')
            return -1;
        p = end;
    }
    if (n < 3 || o->arch[0] != SZT12_BITS || o->arch[n - 1] < 2)
        return -1;
    o->nsizes = n;
    return 0;
}

static int parse_snaps(const char *txt, options *o)
{
    o->nsnaps = 0;
    const char *p = txt;
    while (*p) {
        char *end = NULL;
        errno = 0;
        unsigned long long v = strtoull(p, &end, 10);
        if (end == p || *p == '-' || errno != 0 || v < 1 || o->nsnaps == MAX_SNAPS)
            return -1;
        o->snaps[o->nsnaps++] = (size_t)v;
        if (*end == ',')
            ++end;
        else if (*end != '\0')
            return -1;
        p = end;
    }
    return o->nsnaps > 0 ? 0 : -1;
}

static int lib_fail(gcent_ctx *ctx, const char *what, int st)
{
    fprintf(stderr, "\nnoisy_mlp: %s: %s (%s)\n", what, gcent_strerror(st), gcent_ctx_errmsg(ctx));
    return 1;
}

static int mlp_fail(const char *what, int st)
{
    fprintf(stderr, "\nnoisy_mlp: %s: %s\n", what, mlp_strerror(st));
    return 1;
}

typedef struct {
    double key;
    size_t index;
} keyed;

static int by_key(const void *a, const void *b)
{
    const keyed *p = a, *q = b;
    if (p->key != q->key)
        return p->key < q->key ? -1 : 1;
    return (p->index > q->index) - (p->index < q->index);
}

static int by_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* ---- progress bar (stderr) ------------------------------------------------ */

typedef struct {
    int on, tty;
    double t0, last;
    size_t epochs, points;
    size_t epoch, point;      /* epochs trained, points measured */
    double train_secs, meas_secs;
    double loss, acc_train, acc_test;
    int layer, nlayers;       /* layer being measured (0: training) */
    double frac;              /* progress within the current measurement */
} progress;

static void fmt_time(double s, char *buf, size_t len)
{
    if (!(s >= 0) || s > 1e7)
        snprintf(buf, len, "--");
    else if (s >= 3600)
        snprintf(buf, len, "%dh%02dm", (int)(s / 3600), (int)fmod(s / 60, 60));
    else if (s >= 60)
        snprintf(buf, len, "%dm%02ds", (int)(s / 60), (int)fmod(s, 60));
    else
        snprintf(buf, len, "%ds", (int)s);
}

/* ETA from the average cost of an epoch and of a measurement so far. */
static double eta(const progress *p)
{
    if (p->point == 0 || p->epoch == 0)
        return -1;
    double te = p->train_secs / (double)p->epoch, tm = p->meas_secs / (double)p->point;
    double left = (double)(p->epochs - p->epoch) * te + (double)(p->points - p->point) * tm;
    if (p->layer > 0) /* within a measurement: the layers count equally */
        left -= ((double)(p->layer - 1) + p->frac) / (double)p->nlayers * tm;
    return left > 0 ? left : 0;
}

/* force: 0 = throttled redraw, 1 = redraw now, 2 = a measurement point is done */
static void progress_draw(progress *p, int force)
{
    if (!p->on)
        return;
    double t = now();
    if (p->tty ? !force && t - p->last < 0.1 : force < 2)
        return; /* a terminal: redraw every 0.1 s; a file: one line per point */
    p->last = t;
    char e[32], el[32], what[96];
    fmt_time(eta(p), e, sizeof e);
    fmt_time(t - p->t0, el, sizeof el);
    /* the bar shows the share of the estimated total time (measurements
     * dominate it, and most of them come early), else of the epochs */
    double left = eta(p), done = (double)p->epoch / (double)(p->epochs ? p->epochs : 1);
    if (left >= 0 && t - p->t0 + left > 0)
        done = (t - p->t0) / (t - p->t0 + left);
    int width = 24, fill = (int)(done * width + 0.5);
    if (p->layer > 0)
        snprintf(what, sizeof what, "measuring %zu/%zu: layer %d/%d %3.0f%%", p->point + 1,
                 p->points, p->layer, p->nlayers, 100.0 * p->frac);
    else if (p->point == 0)
        snprintf(what, sizeof what, "loss %.4f", p->loss);
    else
        snprintf(what, sizeof what, "loss %.4f  acc %.1f%%/%.1f%% (train/test)", p->loss,
                 100.0 * p->acc_train, 100.0 * p->acc_test);
    fprintf(stderr, "%s[%.*s%.*s] epoch %zu/%zu  %s  %s elapsed, ETA %s%s",
            p->tty ? "\r" : "", fill, "########################", width - fill,
            "------------------------", p->epoch, p->epochs, what, el, e,
            p->tty ? "\033[K" : "\n");
    fflush(stderr);
}

static int progress_cb(void *user, uint64_t done, uint64_t total)
{
    progress *p = user;
    p->frac = total ? (double)done / (double)total : 1.0;
    progress_draw(p, 0);
    return 0;
}

/* ---- the experiment --------------------------------------------------------- */

typedef struct {
    const options *o;
    size_t m;               /* all patterns */
    const double *x;        /* m x 12 */
    const int *y;           /* m labels */
    double *xtr, *xte;      /* split */
    int *ytr, *yte;
    size_t ntr, nte;
    int nh;                 /* hidden layers */
    size_t *epochs;         /* measurement epochs */
    size_t npoints;
    /* results [point][layer] */
    gcent_layer_mi *mi;
    double *hbin;
    double *loss_tr, *loss_te, *acc_tr, *acc_te; /* [point] */
    double hy;              /* H(Y) over all patterns */
} experiment;

/* The measurement epochs: round(10^(j/(P-1) log10 E)), j = 0..P-1, without
 * repeats, plus the snapshot epochs. */
static int make_epochs(experiment *ex)
{
    const options *o = ex->o;
    size_t P = o->points, cap = P + o->nsnaps + 1, n = 0;
    ex->epochs = malloc(cap * sizeof *ex->epochs);
    if (ex->epochs == NULL)
        return -1;
    for (size_t j = 0; j < P; ++j) {
        double e = P > 1 ? pow((double)o->epochs, (double)j / (double)(P - 1)) : (double)o->epochs;
        size_t v = (size_t)floor(e + 0.5);
        ex->epochs[n++] = v < 1 ? 1 : v > o->epochs ? o->epochs : v;
    }
    for (size_t s = 0; s < o->nsnaps; ++s)
        ex->epochs[n++] = o->snaps[s];
    qsort(ex->epochs, n, sizeof *ex->epochs, by_size);
    size_t u = 0;
    for (size_t i = 0; i < n; ++i)
        if (u == 0 || ex->epochs[i] != ex->epochs[u - 1])
            ex->epochs[u++] = ex->epochs[i];
    ex->npoints = u;
    return 0;
}

static double pearson(const double *a, const double *b, size_t n)
{
    double ma = 0, mb = 0, saa = 0, sbb = 0, sab = 0;
    for (size_t i = 0; i < n; ++i) {
        ma += a[i];
        mb += b[i];
    }
    ma /= (double)n;
    mb /= (double)n;
    for (size_t i = 0; i < n; ++i) {
        double da = a[i] - ma, db = b[i] - mb;
        saa += da * da;
        sbb += db * db;
        sab += da * db;
    }
    return saa > 0 && sbb > 0 ? sab / sqrt(saa * sbb) : NAN;
}

/* Within-class and between-class histograms of the pairwise distances of the
 * m rows of s (row stride lds), over [0, 2 sqrt(d)] (the largest distance in
 * [-1,1]^d), as densities. Appends one gnuplot block to f. Data sets beyond
 * 8192 rows use every step-th row (the pairs grow as m^2). */
static void write_distances(FILE *f, const double *s, size_t m, size_t d, size_t lds,
                            const int *y, int layer, size_t epoch)
{
    double hw[NHIST] = {0}, hb[NHIST] = {0}, nw = 0, nb = 0;
    const double dmax = 2.0 * sqrt((double)d), scale = NHIST / dmax;
    const size_t step = (m + 8191) / 8192;
    for (size_t i = 0; i < m; i += step)
        for (size_t j = i + step; j < m; j += step) {
            double q = 0;
            for (size_t c = 0; c < d; ++c) {
                double t = s[i * lds + c] - s[j * lds + c];
                q += t * t;
            }
            int b = (int)(sqrt(q) * scale);
            b = b < 0 ? 0 : b >= NHIST ? NHIST - 1 : b;
            if (y[i] == y[j])
                hw[b] += 1, nw += 1;
            else
                hb[b] += 1, nb += 1;
        }
    fprintf(f, "# layer %d, epoch %zu: distance, within-class density, between-class density\n",
            layer, epoch);
    for (int b = 0; b < NHIST; ++b)
        fprintf(f, "%.6f %.6g %.6g\n", (b + 0.5) / scale, nw > 0 ? hw[b] * scale / nw : 0.0,
                nb > 0 ? hb[b] * scale / nb : 0.0);
    fprintf(f, "\n\n");
}

/* The gnuplot script of all pictures. */
static int write_script(const char *path, const experiment *ex, size_t snap_points,
                        const size_t *snap_epochs)
{
    const options *o = ex->o;
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    char arch[128] = "";
    for (int l = 0; l < o->nsizes; ++l)
        snprintf(arch + strlen(arch), sizeof arch - strlen(arch), "%s%d", l ? "-" : "",
                 o->arch[l]);
    const int nh = ex->nh;
    fprintf(f,
            "# gnuplot script written by noisy_mlp; run it in this folder: gnuplot noisy_mlp.gp\n"
            "cairo = strstrt(GPVAL_TERMINALS, 'pngcairo') > 0\n"
            "term(w, h) = cairo ? sprintf(\"set terminal pngcairo size %%d,%%d font ',11' "
            "enhanced\", w, h) : sprintf(\"set terminal png size %%d,%%d enhanced\", w, h)\n"
            "NH = %d\n"
            "sizes = '", nh);
    for (int l = 1; l <= nh; ++l)
        fprintf(f, "%s%d", l > 1 ? " " : "", o->arch[l]);
    fprintf(f,
            "'\n"
            "lnm = %.10f\n"
            "HY = %.10f\n"
            "EMAX = %zu\n"
            "subtitle = '%s network, {/Symbol b} = %g, %s lr %g, batch %zu, k = %zu, seed %llu, "
            "%s data'\n"
            "set linetype 1 lc rgb '#0072b2' lw 2 pt 7\n"
            "set linetype 2 lc rgb '#e69f00' lw 2 pt 5\n"
            "set linetype 3 lc rgb '#009e73' lw 2 pt 9\n"
            "set linetype 4 lc rgb '#cc79a7' lw 2 pt 11\n"
            "set linetype 5 lc rgb '#d55e00' lw 2 pt 13\n"
            "set linetype 6 lc rgb '#56b4e9' lw 2 pt 15\n"
            "set linetype 7 lc rgb '#000000' lw 2 pt 3\n"
            "set linetype cycle 7\n"
            "set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', "
            "4 '#fde725')\n"
            "set grid lc rgb '#dddddd'\n"
            "D = 'noisy_mlp_layers.dat'\n"
            "# columns of D: 1 epoch, 2 I(X;T), 3 se, 4 I(Y;T), 5 se, 6 h(T), 7 H(Bin T),\n"
            "# 8 train loss, 9 test loss, 10 train acc, 11 test acc; one block per layer\n"
            "\n"
            "# ---- the information plane\n"
            "eval term(1000, 720)\n"
            "set output 'infoplane.png'\n"
            "set title \"Information plane of the noisy network (colour: epoch)\\n\" . subtitle\n"
            "set xlabel 'I(X;T_l)  [nats]'\n"
            "set ylabel 'I(Y;T_l)  [nats]'\n"
            "set logscale cb\n"
            "set cbrange [1:EMAX]\n"
            "set cblabel 'epoch'\n"
            "set xrange [0:lnm * 1.08]\n"
            "set yrange [0:HY * 1.12]\n"
            "set key outside bottom center horizontal maxrows 2 box\n"
            "set arrow 1 from lnm, graph 0 to lnm, graph 1 nohead dt 2 lw 1.5 lc rgb 'gray40'\n"
            "plot for [l=1:NH] D index (l-1) using 2:4 with lines lt l lw 1.5 notitle, \\\n"
            "     for [l=1:NH] D index (l-1) using 2:4:1 with points pt 7 ps 1.1 lc palette "
            "notitle, \\\n"
            "     for [l=1:NH] D index (l-1) using 2:4 every ::0::0 with points pt 6 ps 1.8 "
            "lc rgb 'black' notitle, \\\n"
            "     for [l=1:NH] 1/0 with linespoints lt l pt 7 title sprintf('layer %%d (%%s "
            "units)', l, word(sizes, l)), \\\n"
            "     1/0 with points pt 6 ps 1.8 lc rgb 'black' title 'first epoch', \\\n"
            "     1/0 dt 2 lw 1.5 lc rgb 'gray40' title sprintf('ln m = %%.3f', lnm), \\\n"
            "     HY dt 3 lw 1.5 lc rgb 'gray40' title sprintf('H(Y) = %%.3f', HY)\n"
            "unset arrow 1\n"
            "unset logscale cb\n"
            "unset cblabel\n"
            "\n"
            "# ---- I(X;T), H(Bin T), I(Y;T), loss and accuracy against epoch\n"
            "eval term(1500, 1000)\n"
            "set output 'mi_vs_epoch.png'\n"
            "set multiplot layout 2,2 title subtitle\n"
            "set logscale x\n"
            "set xrange [1:EMAX]\n"
            "set xlabel 'epoch'\n"
            "set key bottom left box opaque\n"
            "set title 'I(X;T_l) of the noisy network (sample propagation)'\n"
            "set ylabel 'I(X;T_l)  [nats]'\n"
            "set yrange [0:lnm * 1.08]\n"
            "plot for [l=1:NH] D index (l-1) using 1:2 with linespoints ps 0.6 lt l "
            "title sprintf('layer %%d', l), lnm dt 2 lc rgb 'gray40' title 'ln m'\n"
            "set title sprintf('H(Bin(T_l)) of the noise-free pass, bin width %g')\n"
            "set ylabel 'H(Bin(T_l))  [nats]'\n"
            "plot for [l=1:NH] D index (l-1) using 1:7 with linespoints ps 0.6 lt l "
            "title sprintf('layer %%d', l), lnm dt 2 lc rgb 'gray40' title 'ln m'\n"
            "set title 'I(Y;T_l) of the noisy network'\n"
            "set ylabel 'I(Y;T_l)  [nats]'\n"
            "set yrange [0:HY * 1.12]\n"
            "plot for [l=1:NH] D index (l-1) using 1:4 with linespoints ps 0.6 lt l "
            "title sprintf('layer %%d', l), HY dt 2 lc rgb 'gray40' title 'H(Y)'\n"
            "set title 'Noisy network: cross-entropy loss and accuracy'\n"
            "set ylabel 'loss  [nats]'\n"
            "set yrange [0:*]\n"
            "set y2label 'accuracy'\n"
            "set y2range [0.5:1]\n"
            "set y2tics\n"
            "set ytics nomirror\n"
            "set key center left box opaque\n"
            "plot D index 0 using 1:8 with lines lw 2 lc rgb '#0072b2' title 'train loss', \\\n"
            "     '' index 0 using 1:9 with lines lw 2 lc rgb '#d55e00' title 'test loss', \\\n"
            "     '' index 0 using 1:10 axes x1y2 with lines lw 2 dt 2 lc rgb '#0072b2' "
            "title 'train accuracy', \\\n"
            "     '' index 0 using 1:11 axes x1y2 with lines lw 2 dt 2 lc rgb '#d55e00' "
            "title 'test accuracy'\n"
            "unset multiplot\n"
            "unset y2tics\n"
            "unset y2label\n"
            "set ytics mirror\n"
            "unset logscale x\n",
            log((double)ex->m), ex->hy, o->epochs, arch, o->beta,
            o->opt == MLP_ADAM ? "Adam" : "SGD", o->lr, o->batch, o->k,
            (unsigned long long)o->seed, o->data_path ? "CSV" : "generated 12-bit", o->width);

    /* distances: one block per (snapshot, layer), snapshot-major */
    fprintf(f,
            "\n# ---- pairwise distances within and between classes\n"
            "eval term(%d, %d)\n"
            "set output 'distances.png'\n"
            "set multiplot layout NH,%zu margins 0.06,0.98,0.05,0.90 spacing 0.045,0.055 "
            "title \"Pairwise distances of the representations S_l (one noisy pass of all "
            "inputs): within a class and between the classes\\n\" . subtitle\n"
            "set key at screen 0.98, screen 0.985 top right nobox\n"
            "set yrange [0:*]\n"
            "set ytics format '%%.1f'\n"
            "set style fill transparent solid 0.4 noborder\n",
            300 * (int)snap_points + 160, 220 * nh + 140, snap_points);
    for (int l = 1; l <= nh; ++l)
        for (size_t s = 0; s < snap_points; ++s) {
            size_t block = s * (size_t)nh + (size_t)(l - 1);
            fprintf(f,
                    "set title 'layer %d (%d units), epoch %zu' offset 0,-0.7\n"
                    "set xlabel '%s' offset 0,0.4\n"
                    "set ylabel '%s' offset 1,0\n"
                    "set xrange [0:%.6f]\n"
                    "plot 'distances.dat' index %zu using 1:2 with filledcurves y1=0 "
                    "lc rgb '#0072b2' %s, '' index %zu using 1:3 with filledcurves y1=0 "
                    "lc rgb '#d55e00' %s\n",
                    l, o->arch[l], snap_epochs[s],
                    l == nh ? "distance |S_l(x_i) - S_l(x_j)|" : "", s == 0 ? "density" : "",
                    2.0 * sqrt((double)o->arch[l]), block,
                    (l == 1 && s == 0) ? "title 'same class'" : "notitle", block,
                    (l == 1 && s == 0) ? "title 'different classes'" : "notitle");
        }
    fprintf(f, "unset multiplot\nset style fill empty\nset ytics format '%% h'\nset key default\n"
               "set xlabel offset 0,0\nset ylabel offset 0,0\nset title offset 0,0\n");

    /* scatter plots of 2-D and 3-D layers: class 0 then class 1, NaN elsewhere */
    for (int l = 1; l <= nh; ++l) {
        int d = o->arch[l];
        if (d != 2 && d != 3)
            continue;
        fprintf(f,
                "\n# ---- scatter plot of layer %d (%d-D)\n"
                "eval term(%d, %d)\n"
                "set output 'scatter_layer%d.png'\n"
                "set multiplot layout 1,%zu title \"Layer %d: representations S_%d of all "
                "inputs (one noisy pass), coloured by class\\n\" . subtitle\n"
                "set xrange [-1.1:1.1]\n"
                "set yrange [-1.1:1.1]\n"
                "set zrange [-1.1:1.1]\n"
                "set xyplane relative 0\n"
                "set border %d lc rgb 'gray50'\n"
                "set xlabel 'unit 1'\n"
                "set ylabel 'unit 2'\n"
                "set zlabel 'unit 3' rotate parallel offset 3,0\n"
                "set xtics 1\n"
                "set ytics 1\n"
                "set ztics ('-1' -1, '1' 1)\n"
                "set view 60, 35, 1, 1.15\n"
                "%s"
                "set key at screen 0.02, screen 0.97 top left nobox\n",
                l, d, 400 * (int)snap_points + 80, d == 3 ? 560 : 480, l, snap_points, l, l,
                d == 3 ? 4095 : 31, d == 3 ? "" : "set size square\n");
        char file[64];
        snprintf(file, sizeof file, "'scatter_layer%d.dat'", l);
        for (size_t s = 0; s < snap_points; ++s)
            for (int c = 0; c < 2; ++c) {
                const char *title = s == 0 ? (c == 0 ? "title 'y = 0'" : "title 'y = 1'")
                                           : "notitle";
                const char *colour = c == 0 ? "#600072b2" : "#60d55e00";
                if (c == 0)
                    fprintf(f, "set title 'epoch %zu'\n%s ", snap_epochs[s],
                            d == 3 ? "splot" : "plot");
                if (d == 3)
                    fprintf(f, "%s index %zu using 1:2:($4==%d?$3:1/0) with points pt 7 "
                            "ps 0.4 lc rgb '%s' %s%s", c == 0 ? file : "''",
                            s, c, colour, title, c == 0 ? ", " : "\n");
                else
                    fprintf(f, "%s index %zu using 1:($3==%d?$2:1/0) with points pt 7 "
                            "ps 0.4 lc rgb '%s' %s%s", c == 0 ? file : "''",
                            s, c, colour, title, c == 0 ? ", " : "\n");
            }
        fprintf(f, "unset multiplot\nset size nosquare\nset border 31 lc rgb 'black'\n"
                   "set xtics autofreq\nset ytics autofreq\nset key default\n");
    }
    return fclose(f) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    options o = {.beta = 0.1, .lr = 0, .width = 0, .test_frac = 0.2, .epochs = 5000,
                 .batch = 256, .points = 60, .k = 8, .draws = 1, .threads = 0, .seed = 1,
                 .opt = MLP_ADAM, .data_path = NULL, .outdir = "noisy_mlp_out", .nsnaps = 0};
    parse_arch("12-10-7-5-4-3-2", &o);
    for (int a = 1; a < argc; ++a) {
        const char *opt = argv[a], *val = a + 1 < argc ? argv[a + 1] : NULL;
        int bad = 0;
        if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(opt, "--quiet") == 0) {
            o.quiet = 1;
            continue;
        } else if (val == NULL) {
            bad = 1;
        } else if (strcmp(opt, "--arch") == 0) {
            bad = parse_arch(val, &o);
        } else if (strcmp(opt, "--beta") == 0) {
            bad = parse_double(val, 1e-6, 10.0, &o.beta);
        } else if (strcmp(opt, "--epochs") == 0) {
            bad = parse_size(val, 1, MLP_STREAM_SPAN - 1, &o.epochs);
        } else if (strcmp(opt, "--optimizer") == 0) {
            bad = strcmp(val, "adam") != 0 && strcmp(val, "sgd") != 0;
            o.opt = strcmp(val, "sgd") == 0 ? MLP_SGD : MLP_ADAM;
        } else if (strcmp(opt, "--lr") == 0) {
            bad = parse_double(val, 1e-12, 100.0, &o.lr);
        } else if (strcmp(opt, "--batch") == 0) {
            bad = parse_size(val, 1, 1u << 24, &o.batch);
        } else if (strcmp(opt, "--seed") == 0) {
            size_t s;
            bad = parse_size(val, 0, (size_t)1 << 53, &s);
            o.seed = s;
        } else if (strcmp(opt, "--data") == 0) {
            o.data_path = val;
        } else if (strcmp(opt, "--test-fraction") == 0) {
            bad = parse_double(val, 0.0, 0.9, &o.test_frac);
        } else if (strcmp(opt, "--out") == 0) {
            o.outdir = val;
            bad = *val == '\0' || strchr(val, '\'') != NULL;
        } else if (strcmp(opt, "--points") == 0) {
            bad = parse_size(val, 1, 100000, &o.points);
        } else if (strcmp(opt, "--k") == 0) {
            bad = parse_size(val, 1, 1u << 16, &o.k);
        } else if (strcmp(opt, "--draws") == 0) {
            bad = parse_size(val, 1, 1u << 16, &o.draws);
        } else if (strcmp(opt, "--width") == 0) {
            bad = parse_double(val, 1e-9, 1e9, &o.width);
        } else if (strcmp(opt, "--snapshots") == 0) {
            bad = parse_snaps(val, &o);
        } else if (strcmp(opt, "--threads") == 0) {
            bad = parse_size(val, 0, 1024, &o.threads);
        } else {
            bad = 1;
        }
        if (bad) {
            fprintf(stderr, "noisy_mlp: bad option or value: %s %s\n", opt, val ? val : "");
            usage(stderr);
            return 2;
        }
        ++a;
    }
    if (o.lr == 0)
        o.lr = o.opt == MLP_ADAM ? 1e-3 : 0.1;
    if (o.width == 0)
        o.width = o.beta;
    for (size_t s = 0; s < o.nsnaps; ++s)
        if (o.snaps[s] > o.epochs) {
            fprintf(stderr, "noisy_mlp: snapshot epoch %zu is beyond --epochs %zu\n", o.snaps[s],
                    o.epochs);
            return 2;
        }
    if (o.nsnaps == 0) { /* 4 log-spaced epochs, E^(1/4) .. E */
        for (int q = 1; q <= 4; ++q) {
            size_t e = (size_t)floor(pow((double)o.epochs, q / 4.0) + 0.5);
            if (o.nsnaps == 0 || e != o.snaps[o.nsnaps - 1])
                o.snaps[o.nsnaps++] = e < 1 ? 1 : e;
        }
    }
    const double t_start = now();

    /* ---- data and split ---- */
    szt12_data data;
    char err[512];
    if (o.data_path ? szt12_read_csv(o.data_path, &data, err, sizeof err) != 0
                    : szt12_generate(&data) != 0) {
        fprintf(stderr, "noisy_mlp: %s\n", o.data_path ? err : "out of memory");
        return 1;
    }
    const int nclass = o.arch[o.nsizes - 1];
    for (size_t i = 0; i < data.n; ++i)
        if (data.y[i] >= nclass) {
            fprintf(stderr, "noisy_mlp: label %d needs at least %d output units\n", data.y[i],
                    data.y[i] + 1);
            szt12_free(&data);
            return 2;
        }
    experiment ex = {.o = &o, .m = data.n, .x = data.x, .y = data.y, .nh = o.nsizes - 2};
    const size_t m = data.n, d0 = SZT12_BITS;
    ex.nte = (size_t)floor(o.test_frac * (double)m + 0.5);
    ex.ntr = m - ex.nte;
    if (ex.ntr == 0) {
        fprintf(stderr, "noisy_mlp: no training patterns left\n");
        szt12_free(&data);
        return 2;
    }
    int rc = 1, st;
    gcent_ctx *ctx = NULL;
    mlp *net = NULL;
    FILE *csv = NULL, *dist = NULL;
    FILE *scat[MLP_MAX_SIZES] = {NULL};
    keyed *kv = malloc(m * sizeof *kv);
    double *keys = malloc(m * sizeof *keys);
    ex.xtr = malloc(m * d0 * sizeof *ex.xtr);
    ex.ytr = malloc(m * sizeof *ex.ytr);
    size_t hid_units = 0;
    for (int l = 1; l <= ex.nh; ++l)
        hid_units += (size_t)o.arch[l];
    double *samples = malloc(m * o.k * hid_units * sizeof *samples);
    double *clean = malloc(m * hid_units * sizeof *clean);
    double *sl[MLP_MAX_SIZES] = {NULL}, *cl[MLP_MAX_SIZES] = {NULL};
    if (!kv || !keys || !ex.xtr || !ex.ytr || !samples || !clean || make_epochs(&ex) != 0) {
        fprintf(stderr, "noisy_mlp: out of memory\n");
        goto done;
    }
    {
        size_t off = 0, offc = 0;
        for (int l = 1; l <= ex.nh; ++l) {
            sl[l - 1] = samples + off;
            cl[l - 1] = clean + offc;
            off += m * o.k * (size_t)o.arch[l];
            offc += m * (size_t)o.arch[l];
        }
    }
    gcent_rng_normals(o.seed, STREAM_SPLIT, 0, m, keys);
    for (size_t i = 0; i < m; ++i)
        kv[i].key = keys[i], kv[i].index = i;
    qsort(kv, m, sizeof *kv, by_key);
    /* the first nte of the shuffled order are the test patterns */
    ex.xte = ex.xtr + ex.ntr * d0;
    ex.yte = ex.ytr + ex.ntr;
    for (size_t r = 0; r < m; ++r) {
        size_t dst = r < ex.nte ? ex.ntr + r : r - ex.nte, src = kv[r].index;
        memcpy(ex.xtr + dst * d0, data.x + src * d0, d0 * sizeof(double));
        ex.ytr[dst] = data.y[src];
    }
    size_t P = ex.npoints, NH = (size_t)ex.nh;
    ex.mi = calloc(P * NH, sizeof *ex.mi);
    ex.hbin = calloc(P * NH, sizeof *ex.hbin);
    ex.loss_tr = calloc(4 * P, sizeof(double));
    if (!ex.mi || !ex.hbin || !ex.loss_tr) {
        fprintf(stderr, "noisy_mlp: out of memory\n");
        goto done;
    }
    ex.loss_te = ex.loss_tr + P;
    ex.acc_tr = ex.loss_te + P;
    ex.acc_te = ex.acc_tr + P;
    {
        size_t cnt[64] = {0};
        for (size_t i = 0; i < m; ++i)
            cnt[data.y[i] < 64 ? data.y[i] : 63]++;
        for (int c = 0; c < 64; ++c)
            if (cnt[c] > 0) {
                double p = (double)cnt[c] / (double)m;
                ex.hy -= p * log(p);
            }
    }

    /* ---- library context and network ---- */
    if ((st = gcent_ctx_create(&ctx)) != GCENT_OK) {
        fprintf(stderr, "noisy_mlp: gcent_ctx_create: %s\n", gcent_strerror(st));
        goto done;
    }
    progress pr = {.on = !o.quiet, .tty = isatty(STDERR_FILENO), .t0 = t_start,
                   .epochs = o.epochs, .points = P, .nlayers = ex.nh};
    if ((st = gcent_ctx_set(ctx, GCENT_OPT_SEED, (double)o.seed)) != GCENT_OK ||
        (st = gcent_ctx_set(ctx, GCENT_OPT_THREADS, (double)o.threads)) != GCENT_OK ||
        (st = gcent_ctx_set_progress(ctx, o.quiet ? NULL : progress_cb, &pr)) != GCENT_OK) {
        rc = lib_fail(ctx, "gcent_ctx_set", st);
        goto done;
    }
    if ((st = mlp_create(&net, o.arch, o.nsizes, o.beta, o.seed)) != MLP_OK) {
        rc = mlp_fail("mlp_create", st);
        goto done;
    }

    /* ---- output files ---- */
    if (mkdir(o.outdir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "noisy_mlp: cannot create %s: %s\n", o.outdir, strerror(errno));
        goto done;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/noisy_mlp.csv", o.outdir);
    if ((csv = fopen(path, "w")) == NULL) {
        fprintf(stderr, "noisy_mlp: cannot write %s: %s\n", path, strerror(errno));
        goto done;
    }
    fprintf(csv, "epoch,layer,units,ixt,ixt_se,iyt,iyt_se,ht,ht_se,hbin,train_loss,"
                 "train_acc,test_loss,test_acc\n");
    snprintf(path, sizeof path, "%s/distances.dat", o.outdir);
    if ((dist = fopen(path, "w")) == NULL) {
        fprintf(stderr, "noisy_mlp: cannot write %s: %s\n", path, strerror(errno));
        goto done;
    }
    for (int l = 1; l <= ex.nh; ++l)
        if (o.arch[l] == 2 || o.arch[l] == 3) {
            snprintf(path, sizeof path, "%s/scatter_layer%d.dat", o.outdir, l);
            if ((scat[l] = fopen(path, "w")) == NULL) {
                fprintf(stderr, "noisy_mlp: cannot write %s: %s\n", path, strerror(errno));
                goto done;
            }
        }

    printf("noisy_mlp: %s data, %zu patterns (%zu train, %zu test), H(Y) = %.4f nats\n",
           o.data_path ? o.data_path : "generated 12-bit", m, ex.ntr, ex.nte, ex.hy);
    printf("network ");
    for (int l = 0; l < o.nsizes; ++l)
        printf("%s%d", l ? "-" : "", o.arch[l]);
    printf(", beta %g, %s lr %g, batch %zu, %zu epochs, seed %llu\n", o.beta,
           o.opt == MLP_ADAM ? "Adam" : "SGD", o.lr, o.batch, o.epochs,
           (unsigned long long)o.seed);
    printf("measuring %zu epochs: k = %zu passes per input, %zu draws, bin width %g\n", P, o.k,
           o.draws, o.width);
    fflush(stdout);

    /* ---- train and measure ---- */
    size_t next = 0, snap_done = 0, snap_epochs[MAX_SNAPS];
    for (size_t e = 1; e <= o.epochs; ++e) {
        double t0 = now(), loss;
        if ((st = mlp_train_epoch(net, ex.xtr, ex.ytr, ex.ntr, o.batch, o.opt, o.lr, e - 1,
                                  &loss)) != MLP_OK) {
            rc = mlp_fail("mlp_train_epoch", st);
            goto done;
        }
        pr.train_secs += now() - t0;
        pr.epoch = e;
        pr.loss = loss;
        progress_draw(&pr, 0);
        if (next >= P || ex.epochs[next] != e)
            continue;

        /* measurement point `next` */
        t0 = now();
        const size_t p = next;
        if ((st = mlp_evaluate(net, ex.xtr, ex.ytr, ex.ntr, EVAL_TAG + 2 * p, &ex.loss_tr[p],
                               &ex.acc_tr[p])) != MLP_OK ||
            (ex.nte > 0 && (st = mlp_evaluate(net, ex.xte, ex.yte, ex.nte, EVAL_TAG + 2 * p + 1,
                                              &ex.loss_te[p], &ex.acc_te[p])) != MLP_OK) ||
            (st = mlp_layer_samples(net, data.x, m, o.k, p, sl)) != MLP_OK ||
            (st = mlp_layer_samples(net, data.x, m, 1, MLP_TAG_NOISELESS, cl)) != MLP_OK) {
            rc = mlp_fail("measurement pass", st);
            goto done;
        }
        if (ex.nte == 0)
            ex.loss_te[p] = NAN, ex.acc_te[p] = NAN;
        pr.acc_train = ex.acc_tr[p];
        pr.acc_test = ex.acc_te[p];
        for (int l = 1; l <= ex.nh; ++l) {
            const size_t d = (size_t)o.arch[l];
            gcent_layer_mi *r = &ex.mi[p * NH + (size_t)(l - 1)];
            pr.layer = l;
            pr.frac = 0;
            progress_draw(&pr, 1);
            /* layer 1: S_1 is a function of x, so k = 1 (every k-th row, stride
             * k d) with k times the draws; deeper layers: all m k rows */
            size_t kk = l == 1 ? 1 : o.k, lds = l == 1 ? o.k * d : d;
            double draws = (double)(l == 1 ? o.k * o.draws : o.draws);
            if ((st = gcent_ctx_set(ctx, GCENT_OPT_MC_DRAWS, draws)) != GCENT_OK) {
                rc = lib_fail(ctx, "gcent_ctx_set", st);
                goto done;
            }
            if ((st = gcent_mi_layer(ctx, sl[l - 1], m, kk, d, lds, data.y, o.beta, r)) !=
                GCENT_OK) {
                rc = lib_fail(ctx, "gcent_mi_layer", st);
                goto done;
            }
            double *hb = &ex.hbin[p * NH + (size_t)(l - 1)];
            if ((st = gcent_binned_entropy(ctx, cl[l - 1], m, d, d, o.width, hb)) != GCENT_OK) {
                rc = lib_fail(ctx, "gcent_binned_entropy", st);
                goto done;
            }
            fprintf(csv, "%zu,%d,%zu,%.8f,%.3g,%.8f,%.3g,%.8f,%.3g,%.8f,%.6f,%.6f,%.6f,%.6f\n", e,
                    l, d, r->ixt.value, r->ixt.se, r->iyt.value, r->iyt.se, r->ht.value,
                    r->ht.se, *hb, ex.loss_tr[p], ex.acc_tr[p], ex.loss_te[p], ex.acc_te[p]);
        }
        fflush(csv);
        pr.layer = 0;
        /* snapshots: distances and scatter of S_l from noisy pass 0 */
        int is_snap = 0;
        for (size_t s = 0; s < o.nsnaps; ++s)
            is_snap |= o.snaps[s] == e;
        if (is_snap && snap_done < MAX_SNAPS) {
            snap_epochs[snap_done++] = e;
            for (int l = 1; l <= ex.nh; ++l) {
                const size_t d = (size_t)o.arch[l];
                write_distances(dist, sl[l - 1], m, d, o.k * d, data.y, l, e);
                if (scat[l] != NULL) {
                    fprintf(scat[l], "# epoch %zu: units 1..%zu of S_%d, class\n", e, d, l);
                    for (size_t i = 0; i < m; ++i) {
                        for (size_t c = 0; c < d; ++c)
                            fprintf(scat[l], "%.5f ", sl[l - 1][i * o.k * d + c]);
                        fprintf(scat[l], "%d\n", data.y[i]);
                    }
                    fprintf(scat[l], "\n\n");
                }
            }
        }
        pr.meas_secs += now() - t0;
        pr.point = ++next;
        progress_draw(&pr, 2);
    }
    if (pr.on && pr.tty)
        fprintf(stderr, "\n");

    /* ---- per-layer data for gnuplot, script, pictures ---- */
    {
        snprintf(path, sizeof path, "%s/noisy_mlp_layers.dat", o.outdir);
        FILE *f = fopen(path, "w");
        if (f == NULL) {
            fprintf(stderr, "noisy_mlp: cannot write %s: %s\n", path, strerror(errno));
            goto done;
        }
        for (int l = 1; l <= ex.nh; ++l) {
            fprintf(f, "# layer %d (%d units): epoch ixt se iyt se ht hbin train_loss test_loss "
                       "train_acc test_acc\n", l, o.arch[l]);
            for (size_t p = 0; p < P; ++p) {
                const gcent_layer_mi *r = &ex.mi[p * NH + (size_t)(l - 1)];
                fprintf(f, "%zu %.6f %.3g %.6f %.3g %.6f %.6f %.6f %.6f %.6f %.6f\n",
                        ex.epochs[p], r->ixt.value, r->ixt.se, r->iyt.value, r->iyt.se,
                        r->ht.value, ex.hbin[p * NH + (size_t)(l - 1)], ex.loss_tr[p],
                        ex.loss_te[p], ex.acc_tr[p], ex.acc_te[p]);
            }
            fprintf(f, "\n\n");
        }
        if (fclose(f) != 0) {
            fprintf(stderr, "noisy_mlp: error writing %s\n", path);
            goto done;
        }
    }
    if (fclose(csv) != 0 || fclose(dist) != 0) {
        csv = dist = NULL;
        fprintf(stderr, "noisy_mlp: error writing the output files\n");
        goto done;
    }
    csv = dist = NULL;
    for (int l = 0; l < MLP_MAX_SIZES; ++l)
        if (scat[l] != NULL) {
            int bad = fclose(scat[l]) != 0;
            scat[l] = NULL;
            if (bad) {
                fprintf(stderr, "noisy_mlp: error writing scatter_layer%d.dat\n", l);
                goto done;
            }
        }
    snprintf(path, sizeof path, "%s/noisy_mlp.gp", o.outdir);
    if (write_script(path, &ex, snap_done, snap_epochs) != 0) {
        fprintf(stderr, "noisy_mlp: cannot write %s\n", path);
        goto done;
    }

    /* ---- summary ---- */
    printf("\nfinal (epoch %zu): train loss %.4f, accuracy %.1f%% train, %.1f%% test "
           "(noisy network)\n", o.epochs, ex.loss_tr[P - 1], 100 * ex.acc_tr[P - 1],
           100 * ex.acc_te[P - 1]);
    printf("layer units   I(X;T_l) [nats]: first    max (epoch)      last  | I(Y;T_l) last "
           "| H(Bin) first   max    last | corr(I(X;T), H(Bin))\n");
    for (int l = 1; l <= ex.nh; ++l) {
        const gcent_layer_mi *r0 = &ex.mi[(size_t)(l - 1)];
        const gcent_layer_mi *rl = &ex.mi[(P - 1) * NH + (size_t)(l - 1)];
        size_t pmax = 0;
        double hmax = 0;
        for (size_t p = 0; p < P; ++p) {
            if (ex.mi[p * NH + (size_t)(l - 1)].ixt.value >
                ex.mi[pmax * NH + (size_t)(l - 1)].ixt.value)
                pmax = p;
            hmax = fmax(hmax, ex.hbin[p * NH + (size_t)(l - 1)]);
        }
        double *ix = malloc(P * sizeof *ix);
        if (ix == NULL) {
            fprintf(stderr, "noisy_mlp: out of memory\n");
            goto done;
        }
        for (size_t p = 0; p < P; ++p)
            ix[p] = ex.mi[p * NH + (size_t)(l - 1)].ixt.value;
        double *hbl = malloc(P * sizeof *hbl);
        if (hbl == NULL) {
            free(ix);
            fprintf(stderr, "noisy_mlp: out of memory\n");
            goto done;
        }
        for (size_t p = 0; p < P; ++p)
            hbl[p] = ex.hbin[p * NH + (size_t)(l - 1)];
        double corr = pearson(ix, hbl, P);
        printf("%5d %5d   %22.3f %6.3f (%5zu) %9.3f  | %13.3f | %12.3f %6.3f %7.3f | %8.3f\n", l,
               o.arch[l], r0->ixt.value, ex.mi[pmax * NH + (size_t)(l - 1)].ixt.value,
               ex.epochs[pmax], rl->ixt.value, rl->iyt.value, hbl[0], hmax, hbl[P - 1], corr);
        free(ix);
        free(hbl);
    }
    printf("(upper limits: I(X;T) <= ln m = %.3f, I(Y;T) <= H(Y) = %.3f nats)\n", log((double)m),
           ex.hy);

    int plotted = 0;
    {
        char cmd[4200];
        snprintf(cmd, sizeof cmd, "command -v gnuplot >/dev/null 2>&1 && cd '%s' && "
                 "gnuplot noisy_mlp.gp", o.outdir);
        plotted = system(cmd) == 0;
    }
    printf("wrote %s/noisy_mlp.csv%s\n", o.outdir,
           plotted ? ", infoplane.png, mi_vs_epoch.png, distances.png and the scatter plots"
                   : " and noisy_mlp.gp (install gnuplot for the PNGs)");
    printf("time %.1f s (training %.1f s, measurements %.1f s)\n", now() - t_start,
           pr.train_secs, pr.meas_secs);
    rc = 0;

done:
    if (csv)
        fclose(csv);
    if (dist)
        fclose(dist);
    for (int l = 0; l < MLP_MAX_SIZES; ++l)
        if (scat[l])
            fclose(scat[l]);
    gcent_ctx_free(ctx);
    mlp_free(net);
    free(kv);
    free(keys);
    free(ex.xtr);
    free(ex.ytr);
    free(samples);
    free(clean);
    free(ex.epochs);
    free(ex.mi);
    free(ex.hbin);
    free(ex.loss_tr);
    szt12_free(&data);
    return rc;
}
