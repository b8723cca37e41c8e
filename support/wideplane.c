/* wideplane.c: the sliced information-plane experiment of examples/wide_mlp.c
 * (see wideplane.h): options, the CSV data, the schedule, one measured point,
 * the files and the gnuplot picture. */
#include "wideplane.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* ---- options ---------------------------------------------------------------------- */

static void usage(FILE *f)
{
    fprintf(f,
        "usage: wide_mlp --data FILE.csv [options]\n"
        "The sliced information plane of a wide noisy tanh network: SI_1 and SI_2 of\n"
        "every hidden layer at log-spaced epochs, next to the full sample-propagation\n"
        "estimate (which saturates at ln m). The data: a CSV with a header line, the\n"
        "features, then the integer label in the last column; the digits of Debian's\n"
        "python3-sklearn are exported by the command in README.md.\n"
        "  --data FILE     the CSV (required)\n"
        "  --out DIR       output folder (default wide_mlp_out)\n"
        "  --arch W1-W2-.. hidden widths (default 64-128-64-32)\n"
        "  --beta B        noise standard deviation of every hidden layer (0.1)\n"
        "  --epochs E      training epochs (200), Adam, --lr (1e-3), --batch (32)\n"
        "  --points P      measured epochs: 0 and P-1 log-spaced up to E (10)\n"
        "  --k K           noisy passes per input for layers 2.. (4)\n"
        "  --slices S      slices of SI_1 (200); --slices2 S2: of SI_2 (50)\n"
        "  --draws D       Monte Carlo draws of the full estimate (1)\n"
        "  --threads T     library threads (0: all cores); --seed N (1)\n"
        "  --quiet         no progress on stderr\n"
        "Writes DIR/wide_mlp.csv, wide_mlp_layers.dat, wide_mlp.gp and, with gnuplot,\n"
        "wide_mlp.png; progress on stderr, a summary on stdout.\n");
}

static int parse_size(const char *v, size_t *out, size_t lo, size_t hi)
{
    char *end;
    errno = 0;
    unsigned long long x = strtoull(v, &end, 10);
    if (errno || end == v || *end != '\0' || v[0] == '-' || x < lo || x > hi)
        return -1;
    *out = (size_t)x;
    return 0;
}

static int parse_double(const char *v, double *out, double lo, double hi)
{
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (errno || end == v || *end != '\0' || !(x >= lo && x <= hi))
        return -1;
    *out = x;
    return 0;
}

static int parse_arch(const char *v, wp_options *o)
{
    o->nhidden = 0;
    const char *p = v;
    while (*p) {
        char *end;
        long w = strtol(p, &end, 10);
        if (end == p || w < 2 || w > 4096 || o->nhidden >= MLP_MAX_SIZES - 2)
            return -1;
        o->hidden[o->nhidden++] = (int)w;
        p = end;
        if (*p == '-')
            ++p;
        else if (*p)
            return -1;
    }
    return o->nhidden > 0 ? 0 : -1;
}

/* 1 when opt is one of the options that take a value. */
static int takes_value(const char *opt)
{
    static const char *const names[] = {"--data", "--out", "--arch", "--beta", "--lr",
                                        "--epochs", "--points", "--batch", "--k", "--slices",
                                        "--slices2", "--draws", "--threads", "--seed"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; ++i)
        if (strcmp(opt, names[i]) == 0)
            return 1;
    return 0;
}

int wp_parse_args(wp_options *o, int argc, char **argv)
{
    static const int def[] = {64, 128, 64, 32};
    memset(o, 0, sizeof *o);
    o->nhidden = 4;
    memcpy(o->hidden, def, sizeof def);
    o->beta = 0.1;
    o->lr = 1e-3;
    o->epochs = 200;
    o->points = 10;
    o->batch = 32;
    o->k = 4;
    o->slices = 200;
    o->slices2 = 50;
    o->draws = 1;
    o->seed = 1;
    o->outdir = "wide_mlp_out";
    for (int a = 1; a < argc; ++a) {
        const char *opt = argv[a], *val = a + 1 < argc ? argv[a + 1] : NULL;
        size_t z;
        int bad = 0, used = 1;
        if (strcmp(opt, "--help") == 0) {
            usage(stdout);
            return 1;
        } else if (strcmp(opt, "--quiet") == 0) {
            o->quiet = 1;
            used = 0;
        } else if (!takes_value(opt)) {
            fprintf(stderr, "wide_mlp: unknown option %s\n", opt);
            usage(stderr);
            return 2;
        } else if (val == NULL) {
            bad = 1;
        } else if (strcmp(opt, "--data") == 0) {
            o->data_path = val;
        } else if (strcmp(opt, "--out") == 0) {
            o->outdir = val;
        } else if (strcmp(opt, "--arch") == 0) {
            bad = parse_arch(val, o);
        } else if (strcmp(opt, "--beta") == 0) {
            bad = parse_double(val, &o->beta, 1e-6, 1e3);
        } else if (strcmp(opt, "--lr") == 0) {
            bad = parse_double(val, &o->lr, 1e-9, 10.0);
        } else if (strcmp(opt, "--epochs") == 0) {
            bad = parse_size(val, &o->epochs, 1, MLP_STREAM_SPAN - 1);
        } else if (strcmp(opt, "--points") == 0) {
            bad = parse_size(val, &o->points, 2, 1000);
        } else if (strcmp(opt, "--batch") == 0) {
            bad = parse_size(val, &o->batch, 1, 1u << 20);
        } else if (strcmp(opt, "--k") == 0) {
            bad = parse_size(val, &o->k, 1, 1024);
        } else if (strcmp(opt, "--slices") == 0) {
            bad = parse_size(val, &o->slices, 2, GCENT_SLICED_MAX_SLICES);
        } else if (strcmp(opt, "--slices2") == 0) {
            bad = parse_size(val, &o->slices2, 2, GCENT_SLICED_MAX_SLICES);
        } else if (strcmp(opt, "--draws") == 0) {
            bad = parse_size(val, &o->draws, 1, 1u << 20);
        } else if (strcmp(opt, "--threads") == 0) {
            bad = parse_size(val, &o->threads, 0, 1024);
        } else if (strcmp(opt, "--seed") == 0) {
            bad = parse_size(val, &z, 0, (size_t)1 << 52);
            o->seed = (uint64_t)z;
        } else {
            fprintf(stderr, "wide_mlp: unknown option %s\n", opt);
            usage(stderr);
            return 2;
        }
        if (bad) {
            fprintf(stderr, "wide_mlp: bad or missing value for %s\n", opt);
            usage(stderr);
            return 2;
        }
        a += used;
    }
    if (o->data_path == NULL) {
        fprintf(stderr, "wide_mlp: --data FILE.csv is required (see README.md for the "
                        "one-line export of the digits)\n");
        usage(stderr);
        return 2;
    }
    return 0;
}

/* ---- data ------------------------------------------------------------------------------ */

static int fail(wp_experiment *ex, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ex->err, sizeof ex->err, fmt, ap);
    va_end(ap);
    return 1;
}

/* The CSV (see wideplane.h): header, rows of features and a label. */
static int read_csv(wp_experiment *ex, const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return fail(ex, "%s: %s", path, strerror(errno));
    size_t cap = 0, len = 0, cols = 0, cap_rows = 0;
    char *line = NULL;
    int rc = 0;
    ssize_t got;
    size_t lineno = 0;
    while ((got = getline(&line, &cap, f)) > 0) {
        ++lineno;
        if (lineno == 1)
            continue; /* the header */
        if (got == 1 && line[0] == '\n')
            continue;
        double v[4097];
        size_t c = 0;
        char *p = line;
        for (;;) {
            char *end;
            if (c == 4097) {
                rc = fail(ex, "%s:%zu: more than 4096 features", path, lineno);
                break;
            }
            v[c] = strtod(p, &end);
            if (end == p || !isfinite(v[c])) {
                rc = fail(ex, "%s:%zu: column %zu is not a finite number", path, lineno, c + 1);
                break;
            }
            ++c;
            while (*end == ' ' || *end == '\t' || *end == '\r')
                ++end;
            if (*end == ',')
                p = end + 1;
            else if (*end == '\n' || *end == '\0')
                break;
            else {
                rc = fail(ex, "%s:%zu: unexpected '%c'", path, lineno, *end);
                break;
            }
        }
        if (rc)
            break;
        if (cols == 0)
            cols = c;
        if (c != cols || c < 2) {
            rc = fail(ex, "%s:%zu: %zu columns, expected %zu (at least 2)", path, lineno, c,
                      cols);
            break;
        }
        double lab = v[c - 1];
        if (lab != floor(lab) || lab < 0 || lab > 1000) {
            rc = fail(ex, "%s:%zu: the label %g is not an integer in 0 .. 1000", path, lineno,
                      lab);
            break;
        }
        if (len == cap_rows) {
            cap_rows = cap_rows ? 2 * cap_rows : 1024;
            double *nx = realloc(ex->x, cap_rows * (cols - 1) * sizeof *nx);
            int *ny = realloc(ex->y, cap_rows * sizeof *ny);
            if (nx)
                ex->x = nx;
            if (ny)
                ex->y = ny;
            if (!nx || !ny) {
                rc = fail(ex, "out of memory for %zu rows", cap_rows);
                break;
            }
        }
        memcpy(ex->x + len * (cols - 1), v, (cols - 1) * sizeof *v);
        ex->y[len++] = (int)lab;
    }
    free(line);
    fclose(f);
    if (rc)
        return rc;
    if (len < 2)
        return fail(ex, "%s: fewer than 2 data rows", path);
    ex->m = len;
    ex->dim = cols - 1;
    double mx = 0.0;
    for (size_t i = 0; i < len * ex->dim; ++i)
        mx = fabs(ex->x[i]) > mx ? fabs(ex->x[i]) : mx;
    for (size_t i = 0; mx > 0.0 && i < len * ex->dim; ++i)
        ex->x[i] /= mx;
    int cls = 0;
    for (size_t i = 0; i < len; ++i)
        cls = ex->y[i] + 1 > cls ? ex->y[i] + 1 : cls;
    ex->classes = cls < 2 ? 2 : cls;
    ex->hy = 0.0;
    for (int c = 0; c < ex->classes; ++c) {
        size_t cnt = 0;
        for (size_t i = 0; i < len; ++i)
            cnt += ex->y[i] == c;
        if (cnt)
            ex->hy -= (double)cnt / (double)len * log((double)cnt / (double)len);
    }
    return 0;
}

/* ---- the experiment --------------------------------------------------------------------- */

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Epoch 0 and P - 1 epochs spread evenly in log(epoch) over [1, E], rounded
 * and made strictly increasing. */
static size_t schedule(size_t E, size_t P, size_t *out)
{
    size_t n = 0;
    out[n++] = 0;
    for (size_t j = 0; j + 1 < P; ++j) {
        double t = P > 2 ? (double)j / (double)(P - 2) : 1.0;
        size_t e = (size_t)floor(exp(t * log((double)E)) + 0.5);
        if (e <= out[n - 1])
            e = out[n - 1] + 1;
        if (e > E)
            break;
        out[n++] = e;
    }
    if (out[n - 1] != E && n < P)
        out[n++] = E;
    return n;
}

static FILE *open_in(const wp_experiment *ex, const char *name, const char *mode)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", ex->o->outdir, name);
    return fopen(path, mode);
}

int wp_open(wp_experiment *ex, const wp_options *o)
{
    memset(ex, 0, sizeof *ex);
    ex->o = o;
    ex->t0 = now();
    if (read_csv(ex, o->data_path))
        return 1;
    ex->nsizes = o->nhidden + 2;
    ex->arch[0] = (int)ex->dim;
    for (int l = 0; l < o->nhidden; ++l)
        ex->arch[l + 1] = o->hidden[l];
    ex->arch[ex->nsizes - 1] = ex->classes;
    int st = mlp_create(&ex->net, ex->arch, ex->nsizes, o->beta, o->seed);
    if (st != MLP_OK)
        return fail(ex, "mlp_create: %s", mlp_strerror(st));
    if (gcent_ctx_create(&ex->ctx) != GCENT_OK ||
        gcent_ctx_set(ex->ctx, GCENT_OPT_SEED, (double)o->seed) != GCENT_OK ||
        gcent_ctx_set(ex->ctx, GCENT_OPT_THREADS, (double)o->threads) != GCENT_OK ||
        gcent_ctx_set(ex->ctx, GCENT_OPT_METHOD, GCENT_METHOD_MC) != GCENT_OK)
        return fail(ex, "creating a libgcent context failed");
    ex->epochs = malloc(o->points * sizeof *ex->epochs);
    ex->pts = calloc(o->points * (size_t)o->nhidden, sizeof *ex->pts);
    if (!ex->epochs || !ex->pts)
        return fail(ex, "out of memory");
    ex->npoints = schedule(o->epochs, o->points, ex->epochs);
    for (int l = 1; l <= o->nhidden; ++l)
        if ((ex->s[l - 1] = malloc(ex->m * o->k * (size_t)ex->arch[l] * sizeof(double))) == NULL)
            return fail(ex, "out of memory for the samples of layer %d", l);
    if (mkdir(o->outdir, 0777) != 0 && errno != EEXIST)
        return fail(ex, "%s: %s", o->outdir, strerror(errno));
    if ((ex->csv = open_in(ex, "wide_mlp.csv", "w")) == NULL)
        return fail(ex, "%s/wide_mlp.csv: %s", o->outdir, strerror(errno));
    fprintf(ex->csv, "epoch,layer,width,loss,accuracy,si1_x,si1_x_se,si1_y,si1_y_se,si2_x,"
                     "si2_x_se,si2_y,si2_y_se,sp_x,sp_x_se,sp_y,sp_y_se\n");
    printf("wide_mlp: %zu patterns of %zu features, %d classes (H(Y) = %.4f, ln m = %.4f "
           "nats); network", ex->m, ex->dim, ex->classes, ex->hy, log((double)ex->m));
    for (int l = 0; l < ex->nsizes; ++l)
        printf("%c%d", l ? '-' : ' ', ex->arch[l]);
    printf(", beta = %g, Adam %g, batch %zu, %zu epochs; %zu measured epochs; k = %zu; %zu "
           "slices (q = 1), %zu (q = 2); seed %llu\n", o->beta, o->lr, o->batch, o->epochs,
           ex->npoints, o->k, o->slices, o->slices2, (unsigned long long)o->seed);
    fflush(stdout);
    return 0;
}

int wp_train(wp_experiment *ex, size_t e, double *loss)
{
    const wp_options *o = ex->o;
    int st = mlp_train_epoch(ex->net, ex->x, ex->y, ex->m, o->batch, MLP_ADAM, o->lr,
                             (uint64_t)(e - 1), loss);
    return st == MLP_OK ? 0 : fail(ex, "training epoch %zu: %s", e, mlp_strerror(st));
}

long wp_point_at(const wp_experiment *ex, size_t e)
{
    for (size_t p = 0; p < ex->npoints; ++p)
        if (ex->epochs[p] == e)
            return (long)p;
    return -1;
}

int wp_measure(wp_experiment *ex, size_t p)
{
    const wp_options *o = ex->o;
    const int nh = o->nhidden;
    double loss = NAN, acc = NAN;
    int st = mlp_evaluate(ex->net, ex->x, ex->y, ex->m, WP_EVAL_TAG + p, &loss, &acc);
    if (st == MLP_OK)
        st = mlp_layer_samples(ex->net, ex->x, ex->m, o->k, (uint64_t)p, ex->s);
    if (st != MLP_OK)
        return fail(ex, "epoch %zu: %s", ex->epochs[p], mlp_strerror(st));
    for (int l = 1; l <= nh; ++l) {
        wp_point *pt = &ex->pts[p * (size_t)nh + (size_t)(l - 1)];
        const size_t d = (size_t)ex->arch[l];
        /* layer 1 is a function of x: one row per input (every k-th row) */
        const size_t k = l == 1 ? 1 : o->k, lds = l == 1 ? o->k * d : d;
        const double draws = (double)(l == 1 ? o->draws * o->k : o->draws);
        pt->epoch = ex->epochs[p];
        pt->layer = l;
        pt->width = (int)d;
        pt->loss = loss;
        pt->accuracy = acc;
        gcent_ctx *c = ex->ctx;
        if (gcent_sliced_mi_layer(c, ex->s[l - 1], ex->m, k, d, lds, ex->y, o->beta, 1,
                                  o->slices, &pt->si1) != GCENT_OK ||
            gcent_sliced_mi_layer(c, ex->s[l - 1], ex->m, k, d, lds, ex->y, o->beta, 2,
                                  o->slices2, &pt->si2) != GCENT_OK ||
            gcent_ctx_set(c, GCENT_OPT_MC_DRAWS, draws) != GCENT_OK ||
            gcent_mi_layer(c, ex->s[l - 1], ex->m, k, d, lds, ex->y, o->beta, &pt->sp) !=
                GCENT_OK)
            return fail(ex, "epoch %zu, layer %d: %s", pt->epoch, l, gcent_ctx_errmsg(c));
        fprintf(ex->csv, "%zu,%d,%d,%.9g,%.9g,%.12g,%.6g,%.12g,%.6g,%.12g,%.6g,%.12g,%.6g,"
                         "%.12g,%.6g,%.12g,%.6g\n",
                pt->epoch, l, pt->width, loss, acc, pt->si1.ixt.value, pt->si1.ixt.se,
                pt->si1.iyt.value, pt->si1.iyt.se, pt->si2.ixt.value, pt->si2.ixt.se,
                pt->si2.iyt.value, pt->si2.iyt.se, pt->sp.ixt.value, pt->sp.ixt.se,
                pt->sp.iyt.value, pt->sp.iyt.se);
    }
    fflush(ex->csv);
    if (!o->quiet) {
        fprintf(stderr, "[%6.1f s] epoch %4zu (%zu/%zu): loss %.4f, accuracy %.4f; SI_1(X;T_l) =",
                now() - ex->t0, ex->epochs[p], p + 1, ex->npoints, loss, acc);
        for (int l = 0; l < nh; ++l)
            fprintf(stderr, " %.3f", ex->pts[p * (size_t)nh + (size_t)l].si1.ixt.value);
        fprintf(stderr, "\n");
    }
    return 0;
}

/* ---- files, picture, summary --------------------------------------------------------------- */

static int write_layers(wp_experiment *ex)
{
    FILE *f = open_in(ex, "wide_mlp_layers.dat", "w");
    if (f == NULL)
        return fail(ex, "%s/wide_mlp_layers.dat: %s", ex->o->outdir, strerror(errno));
    const int nh = ex->o->nhidden;
    fprintf(f, "# the columns of wide_mlp.csv, one block per hidden layer\n");
    for (int l = 0; l < nh; ++l) {
        for (size_t p = 0; p < ex->npoints; ++p) {
            const wp_point *pt = &ex->pts[p * (size_t)nh + (size_t)l];
            fprintf(f, "%zu %d %d %.9g %.9g %.12g %.6g %.12g %.6g %.12g %.6g %.12g %.6g %.12g "
                       "%.6g %.12g %.6g\n",
                    pt->epoch, pt->layer, pt->width, pt->loss, pt->accuracy, pt->si1.ixt.value,
                    pt->si1.ixt.se, pt->si1.iyt.value, pt->si1.iyt.se, pt->si2.ixt.value,
                    pt->si2.ixt.se, pt->si2.iyt.value, pt->si2.iyt.se, pt->sp.ixt.value,
                    pt->sp.ixt.se, pt->sp.iyt.value, pt->sp.iyt.se);
        }
        fprintf(f, "\n\n");
    }
    return fclose(f) == 0 ? 0 : fail(ex, "writing wide_mlp_layers.dat failed");
}

static int write_script(wp_experiment *ex)
{
    FILE *f = open_in(ex, "wide_mlp.gp", "w");
    if (f == NULL)
        return fail(ex, "%s/wide_mlp.gp: %s", ex->o->outdir, strerror(errno));
    const wp_options *o = ex->o;
    char arch[256] = "", widths[256] = "";
    for (int l = 0; l < ex->nsizes; ++l)
        snprintf(arch + strlen(arch), sizeof arch - strlen(arch), "%s%d", l ? "-" : "",
                 ex->arch[l]);
    for (int l = 1; l <= o->nhidden; ++l)
        snprintf(widths + strlen(widths), sizeof widths - strlen(widths), "%s%d",
                 l > 1 ? " " : "", ex->arch[l]);
    fprintf(f,
        "# gnuplot script written by wide_mlp; run it in this folder: gnuplot wide_mlp.gp\n"
        "if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
        "    set terminal pngcairo size 1500,1100 font ',11' enhanced\n"
        "} else {\n"
        "    set terminal png size 1500,1100 enhanced\n"
        "}\n"
        "set output 'wide_mlp.png'\n"
        "NH = %d\nNP = %zu\nlnm = %.10f\nHY = %.10f\nEMAX = %zu\n"
        "F = 'wide_mlp_layers.dat'\n"
        "set linetype 1 lc rgb '#0072b2' lw 2 pt 7 ps 1.2\n"
        "set linetype 2 lc rgb '#e69f00' lw 2 pt 5 ps 1.2\n"
        "set linetype 3 lc rgb '#009e73' lw 2 pt 9 ps 1.4\n"
        "set linetype 4 lc rgb '#cc79a7' lw 2 pt 11 ps 1.4\n"
        "set linetype 5 lc rgb '#d55e00' lw 2 pt 13 ps 1.4\n"
        "set linetype 6 lc rgb '#56b4e9' lw 2 pt 15 ps 1.4\n"
        "set linetype cycle 6\n"
        "set grid lc rgb '#dddddd'\n"
        "set key top left opaque box lc rgb '#bbbbbb'\n"
        "widths = '%s'\n"
        "name(l) = sprintf('T_%%d (%%s units)', l, word(widths, l))\n"
        "set multiplot layout 2,2 title \"{/:Bold The sliced information plane of a %s "
        "noisy tanh network}\\n{/*0.9 beta = %g, m = %zu patterns, epochs 0 .. %zu (log-spaced "
        "points; the large mark is the last), k = %zu, %zu slices (q = 1), %zu (q = 2)}\"\n",
        o->nhidden, ex->npoints, log((double)ex->m), ex->hy, o->epochs, widths, arch, o->beta,
        ex->m,
        o->epochs, o->k, o->slices, o->slices2);
    const char *planes[2][3] = {{"1", "6:8", "(a) q = 1: SI_1(Y;T_l) against SI_1(X;T_l)"},
                                {"2", "10:12", "(b) q = 2: SI_2(Y;T_l) against SI_2(X;T_l)"}};
    for (int q = 0; q < 2; ++q)
        fprintf(f,
            "set title '%s'\n"
            "set xlabel 'SI_%s(X;T_l) [nats]'\nset ylabel 'SI_%s(Y;T_l) [nats]'\n"
            "unset logscale x\nset autoscale\n"
            "plot for [l=1:NH] F index l-1 using %s with linespoints lt l title name(l), \\\n"
            "     for [l=1:NH] F index l-1 every ::(NP-1) using %s with points lt l ps 3.5 "
            "notitle\n",
            planes[q][2], planes[q][0], planes[q][0], planes[q][1], planes[q][1]);
    fprintf(f,
        "set title '(c) I(X;T_l): the full estimate (dashed) saturates at ln m; SI_1 (solid), "
        "SI_2 (dotted)'\n"
        "set xlabel 'epoch + 1'\nset ylabel '[nats]'\nset logscale x\nset xrange [1:EMAX+1]\n"
        "set yrange [0:lnm*1.08]\n"
        "set key left top at graph 0.02, 0.9\n"
        "set label 1 'ln m' at EMAX*0.6, lnm*1.035 front\n"
        "plot lnm with lines lc rgb '#888888' dt 3 notitle, \\\n"
        "     for [l=1:NH] F index l-1 using ($1+1):14 with lines lt l dt 2 notitle, \\\n"
        "     for [l=1:NH] F index l-1 using ($1+1):6 with linespoints lt l title name(l), \\\n"
        "     for [l=1:NH] F index l-1 using ($1+1):10 with lines lt l dt 3 notitle\n"
        "unset label 1\n"
        "set title '(d) I(Y;T_l): full estimate (dashed), SI_1 (solid), SI_2 (dotted)'\n"
        "set yrange [0:HY*1.08]\n"
        "set label 1 'H(Y)' at EMAX*0.6, HY*1.035 front\n"
        "plot HY with lines lc rgb '#888888' dt 3 notitle, \\\n"
        "     for [l=1:NH] F index l-1 using ($1+1):16 with lines lt l dt 2 notitle, \\\n"
        "     for [l=1:NH] F index l-1 using ($1+1):8 with linespoints lt l title name(l), \\\n"
        "     for [l=1:NH] F index l-1 using ($1+1):12 with lines lt l dt 3 notitle\n"
        "unset multiplot\n");
    return fclose(f) == 0 ? 0 : fail(ex, "writing wide_mlp.gp failed");
}

static void summary(const wp_experiment *ex)
{
    const int nh = ex->o->nhidden;
    const size_t last = ex->npoints - 1;
    const wp_point *fin = &ex->pts[last * (size_t)nh];
    printf("after %zu epochs: loss %.4f, accuracy %.4f (a noisy pass over all patterns)\n",
           fin->epoch, fin->loss, fin->accuracy);
    printf("layer width | SI_1(X;T): first  largest (epoch)   last | SI_1(Y;T) last | SI_2(X;T) "
           "last  SI_2(Y;T) last | full I(X;T) last (ln m = %.3f)\n", log((double)ex->m));
    for (int l = 0; l < nh; ++l) {
        size_t pm = 0;
        for (size_t p = 0; p < ex->npoints; ++p)
            if (ex->pts[p * (size_t)nh + (size_t)l].si1.ixt.value >
                ex->pts[pm * (size_t)nh + (size_t)l].si1.ixt.value)
                pm = p;
        const wp_point *a = &ex->pts[(size_t)l], *b = &ex->pts[last * (size_t)nh + (size_t)l];
        printf("%5d %5d | %15.3f %8.3f (%5zu) %7.3f | %14.3f | %14.3f  %14.3f | %16.3f\n",
               l + 1, a->width, a->si1.ixt.value, ex->pts[pm * (size_t)nh + (size_t)l].si1.ixt.value,
               ex->epochs[pm], b->si1.ixt.value, b->si1.iyt.value, b->si2.ixt.value,
               b->si2.iyt.value, b->sp.ixt.value);
    }
    printf("(exact upper limits: SI_q(X;T) <= ln m = %.3f, SI_q(Y;T) <= H(Y) = %.3f nats)\n",
           log((double)ex->m), ex->hy);
}

int wp_close(wp_experiment *ex, int ok)
{
    int rc = 0;
    if (ex->csv != NULL && fclose(ex->csv) != 0 && ok)
        rc = fail(ex, "writing wide_mlp.csv failed");
    ex->csv = NULL;
    if (ok && rc == 0 && ex->npoints > 0) {
        rc = write_layers(ex) || write_script(ex);
        if (rc == 0) {
            char cmd[4300];
            snprintf(cmd, sizeof cmd, "command -v gnuplot >/dev/null 2>&1 && cd '%s' && "
                     "gnuplot wide_mlp.gp", ex->o->outdir);
            int plotted = system(cmd) == 0;
            summary(ex);
            printf("wrote %s/wide_mlp.csv%s (%.1f s)\n", ex->o->outdir,
                   plotted ? " and wide_mlp.png"
                           : " and wide_mlp.gp (install gnuplot for the picture)",
                   now() - ex->t0);
        }
    }
    mlp_free(ex->net);
    gcent_ctx_free(ex->ctx);
    for (int l = 0; l < MLP_MAX_SIZES; ++l)
        free(ex->s[l]);
    free(ex->x);
    free(ex->y);
    free(ex->epochs);
    free(ex->pts);
    return rc;
}
