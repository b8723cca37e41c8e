/* infoplane.c: the information-plane experiment of infoplane.h -- noisy_mlp's
 * options, the data and its split, the training schedule, the measured
 * points, the samples of a point and the measurement of one (epoch, layer)
 * point with libgcent. The output files are in infoplane_files.c, the
 * progress bar in infoplane_progress.c. */
#include "infoplane.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- options ------------------------------------------------------------- */

void ip_usage(FILE *f, const char *prog)
{
    fprintf(f,
        "usage: %s [options]\n"
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
        "layers), their data files and noisy_mlp.gp (needs gnuplot for the PNGs).\n",
        prog);
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
static int parse_arch(const char *txt, ip_options *o)
{
    int n = 0, arch[MLP_MAX_SIZES];
    const char *p = txt;
    while (*p) {
        char *end = NULL;
        errno = 0;
        long v = strtol(p, &end, 10);
        if (end == p || errno != 0 || v < 1 || v > 10000 || n == MLP_MAX_SIZES)
            return -1;
        arch[n++] = (int)v;
        if (*end == '-')
            ++end;
        else if (*end != '\0')
            return -1;
        p = end;
    }
    if (n < 3 || arch[0] != SZT12_BITS || arch[n - 1] < 2)
        return -1;
    memcpy(o->arch, arch, sizeof arch);
    o->nsizes = n;
    return 0;
}

/* "5,60,500" -> snapshot epochs */
static int parse_snaps(const char *txt, ip_options *o)
{
    o->nsnaps = 0;
    const char *p = txt;
    while (*p) {
        char *end = NULL;
        errno = 0;
        unsigned long long v = strtoull(p, &end, 10);
        if (end == p || *p == '-' || errno != 0 || v < 1 || o->nsnaps == IP_MAX_SNAPS)
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

void ip_options_default(ip_options *o)
{
    *o = (ip_options){.beta = 0.1, .lr = 0, .width = 0, .test_frac = 0.2, .epochs = 5000,
                      .batch = 256, .points = 60, .k = 8, .draws = 1, .threads = 0, .seed = 1,
                      .opt = MLP_ADAM, .data_path = NULL, .outdir = "noisy_mlp_out",
                      .nsnaps = 0};
    parse_arch("12-10-7-5-4-3-2", o);
}

int ip_option(ip_options *o, const char *opt, const char *val)
{
    int bad;
    if (strcmp(opt, "--quiet") == 0) {
        o->quiet = 1;
        return 1;
    }
    static const char *const known[] = {
        "--arch", "--beta", "--epochs", "--optimizer", "--lr", "--batch", "--seed", "--data",
        "--test-fraction", "--out", "--points", "--k", "--draws", "--width", "--snapshots",
        "--threads"};
    size_t i = 0, nknown = sizeof known / sizeof known[0];
    while (i < nknown && strcmp(opt, known[i]) != 0)
        ++i;
    if (i == nknown)
        return 0;
    if (val == NULL) {
        bad = 1;
    } else if (strcmp(opt, "--arch") == 0) {
        bad = parse_arch(val, o);
    } else if (strcmp(opt, "--beta") == 0) {
        bad = parse_double(val, 1e-6, 10.0, &o->beta);
    } else if (strcmp(opt, "--epochs") == 0) {
        bad = parse_size(val, 1, MLP_STREAM_SPAN - 1, &o->epochs);
    } else if (strcmp(opt, "--optimizer") == 0) {
        bad = strcmp(val, "adam") != 0 && strcmp(val, "sgd") != 0;
        o->opt = strcmp(val, "sgd") == 0 ? MLP_SGD : MLP_ADAM;
    } else if (strcmp(opt, "--lr") == 0) {
        bad = parse_double(val, 1e-12, 100.0, &o->lr);
    } else if (strcmp(opt, "--batch") == 0) {
        bad = parse_size(val, 1, 1u << 24, &o->batch);
    } else if (strcmp(opt, "--seed") == 0) {
        size_t s;
        bad = parse_size(val, 0, (size_t)1 << 53, &s);
        o->seed = s;
    } else if (strcmp(opt, "--data") == 0) {
        o->data_path = val;
        bad = 0;
    } else if (strcmp(opt, "--test-fraction") == 0) {
        bad = parse_double(val, 0.0, 0.9, &o->test_frac);
    } else if (strcmp(opt, "--out") == 0) {
        o->outdir = val;
        bad = *val == '\0' || strchr(val, '\'') != NULL;
    } else if (strcmp(opt, "--points") == 0) {
        bad = parse_size(val, 1, 100000, &o->points);
    } else if (strcmp(opt, "--k") == 0) {
        bad = parse_size(val, 1, 1u << 16, &o->k);
    } else if (strcmp(opt, "--draws") == 0) {
        bad = parse_size(val, 1, 1u << 16, &o->draws);
    } else if (strcmp(opt, "--width") == 0) {
        bad = parse_double(val, 1e-9, 1e9, &o->width);
    } else if (strcmp(opt, "--snapshots") == 0) {
        bad = parse_snaps(val, o);
    } else { /* --threads */
        bad = parse_size(val, 0, 1024, &o->threads);
    }
    return bad ? -1 : 2;
}

int ip_options_finish(ip_options *o, const char *prog)
{
    if (o->lr == 0)
        o->lr = o->opt == MLP_ADAM ? 1e-3 : 0.1;
    if (o->width == 0)
        o->width = o->beta;
    for (size_t s = 0; s < o->nsnaps; ++s)
        if (o->snaps[s] > o->epochs) {
            fprintf(stderr, "%s: snapshot epoch %zu is beyond --epochs %zu\n", prog, o->snaps[s],
                    o->epochs);
            return 2;
        }
    if (o->nsnaps == 0) { /* 4 log-spaced epochs, E^(1/4) .. E */
        for (int q = 1; q <= 4; ++q) {
            size_t e = (size_t)floor(pow((double)o->epochs, q / 4.0) + 0.5);
            if (o->nsnaps == 0 || e != o->snaps[o->nsnaps - 1])
                o->snaps[o->nsnaps++] = e < 1 ? 1 : e;
        }
    }
    return 0;
}

int ip_parse_args(ip_options *o, int argc, char **argv, const char *prog)
{
    ip_options_default(o);
    for (int a = 1; a < argc; ++a) {
        const char *opt = argv[a], *val = a + 1 < argc ? argv[a + 1] : NULL;
        if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
            ip_usage(stdout, prog);
            return 1;
        }
        int took = ip_option(o, opt, val);
        if (took <= 0) {
            fprintf(stderr, "%s: bad option or value: %s %s\n", prog, opt, val ? val : "");
            ip_usage(stderr, prog);
            return 2;
        }
        a += took - 1;
    }
    return ip_options_finish(o, prog);
}

/* ---- the experiment -------------------------------------------------------- */

static int by_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* The measurement epochs: round(10^(j/(P-1) log10 E)), j = 0..P-1, without
 * repeats, plus the snapshot epochs. */
static int make_epochs(ip_experiment *ex)
{
    const ip_options *o = ex->o;
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

/* The split: the patterns in the random order of IP_STREAM_SPLIT; the first
 * nte of that order are the test patterns, stored after the ntr training
 * ones (xte = xtr + ntr rows). */
static int split(ip_experiment *ex)
{
    const size_t m = ex->m, d0 = SZT12_BITS;
    size_t *order = malloc(m * sizeof *order);
    if (order == NULL || mlp_random_order(ex->o->seed, IP_STREAM_SPLIT, m, order) != MLP_OK) {
        free(order);
        return -1;
    }
    ex->xte = ex->xtr + ex->ntr * d0;
    ex->yte = ex->ytr + ex->ntr;
    for (size_t r = 0; r < m; ++r) {
        size_t dst = r < ex->nte ? ex->ntr + r : r - ex->nte, src = order[r];
        memcpy(ex->xtr + dst * d0, ex->data.x + src * d0, d0 * sizeof(double));
        ex->ytr[dst] = ex->data.y[src];
    }
    free(order);
    return 0;
}

/* H(Y) in nats over all patterns (labels below 64). */
static double label_entropy(const int *y, size_t m)
{
    size_t cnt[64] = {0};
    double h = 0.0;
    for (size_t i = 0; i < m; ++i)
        cnt[y[i] < 64 ? y[i] : 63]++;
    for (int c = 0; c < 64; ++c)
        if (cnt[c] > 0) {
            double p = (double)cnt[c] / (double)m;
            h -= p * log(p);
        }
    return h;
}

int ip_setup(ip_experiment *ex, const ip_options *o)
{
    *ex = (ip_experiment){.o = o, .nh = o->nsizes - 2};
    if (o->data_path ? szt12_read_csv(o->data_path, &ex->data, ex->err, sizeof ex->err) != 0
                     : szt12_generate(&ex->data) != 0) {
        if (o->data_path == NULL)
            snprintf(ex->err, sizeof ex->err, "out of memory");
        return 1;
    }
    const size_t m = ex->m = ex->data.n;
    const int nclass = o->arch[o->nsizes - 1];
    for (size_t i = 0; i < m; ++i)
        if (ex->data.y[i] >= nclass) {
            snprintf(ex->err, sizeof ex->err, "label %d needs at least %d output units",
                     ex->data.y[i], ex->data.y[i] + 1);
            return 2;
        }
    ex->nte = (size_t)floor(o->test_frac * (double)m + 0.5);
    ex->ntr = m - ex->nte;
    if (ex->ntr == 0) {
        snprintf(ex->err, sizeof ex->err, "no training patterns left");
        return 2;
    }
    size_t hid_units = 0;
    for (int l = 1; l <= ex->nh; ++l)
        hid_units += (size_t)o->arch[l];
    ex->xtr = malloc(m * SZT12_BITS * sizeof *ex->xtr);
    ex->ytr = malloc(m * sizeof *ex->ytr);
    ex->sl[0] = malloc(m * o->k * hid_units * sizeof(double));
    ex->cl[0] = malloc(m * hid_units * sizeof(double));
    if (!ex->xtr || !ex->ytr || !ex->sl[0] || !ex->cl[0] || make_epochs(ex) != 0 ||
        split(ex) != 0) {
        snprintf(ex->err, sizeof ex->err, "out of memory");
        return 1;
    }
    for (int l = 2; l <= ex->nh; ++l) {
        ex->sl[l - 1] = ex->sl[l - 2] + m * o->k * (size_t)o->arch[l - 1];
        ex->cl[l - 1] = ex->cl[l - 2] + m * (size_t)o->arch[l - 1];
    }
    const size_t P = ex->npoints, NH = (size_t)ex->nh;
    ex->res = calloc(P * NH, sizeof *ex->res);
    ex->loss_tr = calloc(4 * P, sizeof(double));
    if (ex->res == NULL || ex->loss_tr == NULL) {
        snprintf(ex->err, sizeof ex->err, "out of memory");
        return 1;
    }
    ex->loss_te = ex->loss_tr + P;
    ex->acc_tr = ex->loss_te + P;
    ex->acc_te = ex->acc_tr + P;
    ex->hy = label_entropy(ex->data.y, m);
    int st = mlp_create(&ex->net, o->arch, o->nsizes, o->beta, o->seed);
    if (st != MLP_OK) {
        snprintf(ex->err, sizeof ex->err, "mlp_create: %s", mlp_strerror(st));
        return 1;
    }
    return 0;
}

void ip_free(ip_experiment *ex)
{
    mlp_free(ex->net);
    free(ex->xtr);
    free(ex->ytr);
    free(ex->sl[0]);
    free(ex->cl[0]);
    free(ex->epochs);
    free(ex->res);
    free(ex->loss_tr);
    szt12_free(&ex->data);
    *ex = (ip_experiment){.o = ex->o};
}

/* ---- schedule and points ------------------------------------------------------ */

int ip_train_epoch(ip_experiment *ex, size_t e, double *loss)
{
    const ip_options *o = ex->o;
    int st = e >= 1 ? mlp_train_epoch(ex->net, ex->xtr, ex->ytr, ex->ntr, o->batch, o->opt,
                                      o->lr, e - 1, loss)
                    : MLP_EINVAL;
    if (st != MLP_OK) {
        snprintf(ex->err, sizeof ex->err, "mlp_train_epoch: %s", mlp_strerror(st));
        return 1;
    }
    return 0;
}

long ip_point_at(const ip_experiment *ex, size_t e)
{
    size_t lo = 0, hi = ex->npoints; /* ex->epochs is increasing */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ex->epochs[mid] < e)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ex->npoints && ex->epochs[lo] == e ? (long)lo : -1;
}

ip_result *ip_result_at(const ip_experiment *ex, size_t p, int l)
{
    return &ex->res[p * (size_t)ex->nh + (size_t)(l - 1)];
}

int ip_sample_point(ip_experiment *ex, size_t p)
{
    const ip_options *o = ex->o;
    int st;
    if ((st = mlp_evaluate(ex->net, ex->xtr, ex->ytr, ex->ntr, IP_EVAL_TAG + 2 * p,
                           &ex->loss_tr[p], &ex->acc_tr[p])) != MLP_OK ||
        (ex->nte > 0 && (st = mlp_evaluate(ex->net, ex->xte, ex->yte, ex->nte,
                                           IP_EVAL_TAG + 2 * p + 1, &ex->loss_te[p],
                                           &ex->acc_te[p])) != MLP_OK) ||
        (st = mlp_layer_samples(ex->net, ex->data.x, ex->m, o->k, p, ex->sl)) != MLP_OK ||
        (st = mlp_layer_samples(ex->net, ex->data.x, ex->m, 1, MLP_TAG_NOISELESS, ex->cl)) !=
            MLP_OK) {
        snprintf(ex->err, sizeof ex->err, "measurement pass: %s", mlp_strerror(st));
        return 1;
    }
    if (ex->nte == 0)
        ex->loss_te[p] = ex->acc_te[p] = NAN;
    return 0;
}

/* ---- one (epoch, layer) measurement ------------------------------------------ */

void ip_layer_job_get(const ip_experiment *ex, size_t p, int l, ip_layer_job *job)
{
    const ip_options *o = ex->o;
    const size_t d = (size_t)o->arch[l];
    /* layer 1: S_1 is a function of x, so k = 1 (every k-th row, stride k d)
     * with k times the draws; deeper layers: all m k rows */
    *job = (ip_layer_job){.point = p, .epoch = ex->epochs[p], .layer = l, .d = d,
                          .s = ex->sl[l - 1], .m = ex->m, .k = l == 1 ? 1 : o->k,
                          .lds = l == 1 ? o->k * d : d,
                          .draws = l == 1 ? o->k * o->draws : o->draws,
                          .labels = ex->data.y, .beta = o->beta, .clean = ex->cl[l - 1],
                          .width = o->width};
}

int ip_measure_local(void *user, const ip_layer_job *job, ip_result *out, char *err,
                     size_t errlen)
{
    gcent_ctx *ctx = user;
    const char *what = "gcent_ctx_set";
    int st = gcent_ctx_set(ctx, GCENT_OPT_MC_DRAWS, (double)job->draws);
    if (st == GCENT_OK) {
        what = "gcent_mi_layer";
        st = gcent_mi_layer(ctx, job->s, job->m, job->k, job->d, job->lds, job->labels, job->beta,
                            &out->mi);
    }
    if (st == GCENT_OK) {
        what = "gcent_binned_entropy";
        st = gcent_binned_entropy(ctx, job->clean, job->m, job->d, job->d, job->width,
                                  &out->hbin);
    }
    if (st == GCENT_OK)
        return 0;
    snprintf(err, errlen, "%s: %s (%s)", what, gcent_strerror(st), gcent_ctx_errmsg(ctx));
    return 1;
}
