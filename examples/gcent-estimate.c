/* gcent-estimate: the library on your own activations.
 *
 * Reads the activations of one layer of a noisy network, dumped from PyTorch
 * or NumPy as a .npy file (np.save) or as CSV, and prints as JSON on stdout
 *
 *   h      h(T) = h(S + Z), the differential entropy of the noisy layer,
 *   ixt    I(X;T) and iyt I(Y;T) (X uniform over the inputs, Y the labels),
 *          both from gcent_mi_layer() with standard errors,
 *   hbin   H(Bin T), the binned entropy of the same rows (gcent_binned_entropy),
 *          with ixbin, iybin = I(X;Bin T), I(Y;Bin T) (gcent_binned_mi).
 *
 * The rows are the PRE-NOISE values S = f(T_prev) of the layer (for example
 * tanh(W T_prev + b)), m inputs x k noisy passes through the layers below:
 * rows i*k .. i*k+k-1 belong to input i. The layer's own noise
 * Z ~ N(0, beta^2 I) is not in the file: the library adds it analytically.
 * The files are read by support/npy.c, which never guesses silently: a
 * label-like column, a pandas index, a header, a transposed array and
 * compressed files are recognised and reported. See --help and
 * docs/guide.md ("gcent-estimate").
 *
 * Exit status: 0 success, 1 input refused or library failure, 2 bad command
 * line (decided before any file is read).
 *
 * Usage: gcent-estimate [options] FILE   (gcent-estimate --help) */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <gcent.h>
#include "npy.h"

#define PROG "gcent-estimate"

/* The ranges of the options that map to library options. */
typedef struct ranges {
    double seed_max, draws_min, draws_max, draws_def, threads_max;
} ranges;

static ranges get_ranges(void)
{
    ranges r = {9007199254740992.0, 1.0, 16777216.0, 16.0, 1024.0};
    double lo, hi, def;
    if (gcent_opt_bounds(GCENT_OPT_SEED, NULL, &hi, NULL) == GCENT_OK)
        r.seed_max = hi;
    if (gcent_opt_bounds(GCENT_OPT_MC_DRAWS, &lo, &hi, &def) == GCENT_OK) {
        r.draws_min = lo;
        r.draws_max = hi;
        r.draws_def = def;
    }
    if (gcent_opt_bounds(GCENT_OPT_THREADS, NULL, &hi, NULL) == GCENT_OK)
        r.threads_max = hi;
    return r;
}

static void usage(FILE *f)
{
    ranges r = get_ranges();
    fputs(
        "usage: " PROG " [options] FILE\n"
        "Entropy and mutual information of one noisy layer from a dump of its\n"
        "activations; the results are printed as JSON on stdout.\n"
        "\n"
        "FILE is a .npy file (np.save; little-endian float32 or float64, C order,\n"
        "format 1.0-3.0) or a CSV/text file (one row per line, numbers separated by\n"
        "commas, or by blanks as np.savetxt writes them; lines starting with '#' are\n"
        "skipped). The format is recognised by content, not by the file name;\n"
        "FILE - reads stdin. .npz archives, torch.save files and compressed files\n"
        "are named for what they are and refused.\n"
        "\n"
        "CSV: the first line is a header only when every cell is a name (text not\n"
        "starting like a number, not NA/null/None), or when its first cell is empty\n"
        "as pandas writes it, or with --header. A first line with a cell that is\n"
        "neither (NA, nan, 1e400, an empty cell) is an error at its line and column.\n"
        "A column named label, labels, y, target(s) or class(es) (any case) is never\n"
        "read as activations: it is the labels, unless --labels gives them (then it\n"
        "is an error). A first column with an empty header name (pandas' index) is\n"
        "dropped when it counts 0, 1, 2, ..., and refused otherwise.\n"
        "\n"
        "What the rows are: the values S = f(T_prev) of the layer BEFORE its own\n"
        "noise, for m inputs x k passes. The tool models the noisy layer\n"
        "T = S + Z, Z ~ N(0, beta^2 I_d), adding Z analytically (do not add it to\n"
        "the file). For the first layer, or a layer that is deterministic given the\n"
        "input, k = 1. For deeper layers of a noisy network, run each input k times\n"
        "through the noisy layers below (fresh noise each time) and save the k\n"
        "values of S for each input. Layouts:\n"
        "  shape (n,)       n rows of one value (d = 1), n = m*k\n"
        "  shape (n, d)     n = m*k rows of d values; rows i*k .. i*k+k-1 are the\n"
        "                   k passes of input i (k from --k, default 1); CSV too\n"
        "  shape (m, k, d)  m inputs x k passes x d values (--k may repeat k)\n"
        "X is uniform over the m inputs. Fewer rows than columns gets a warning\n"
        "(a transposed array?).\n"
        "\n"
        "Labels: whole numbers of any dtype (int64 ids of any size, bool, or floats\n"
        "such as 1.0, torch's usual dtype) or, in text files, names (cat, dog);\n"
        "they are remapped to classes 0..C-1 in sorted order (numbers by value,\n"
        "names by byte order). Fractions, NaN and missing values are refused.\n"
        "\n"
        "Output (JSON object, one key per line; unit nats, or bits with --bits):\n"
        "  h, h_se        h(T) = h(S + Z) of all m*k rows, and its standard error\n"
        "  h_noise        h(Z) = (d/2) log(2 pi e beta^2)\n"
        "  ixt, ixt_se    I(X;T) = h(T) - (1/m) sum_i h(T | X = x_i)   (gcent_mi_layer)\n"
        "  iyt, iyt_se    I(Y;T) = h(T) - sum_y p(y) h(T | Y = y); null without labels\n"
        "  ln_m, h_y      log m and H(Y), the upper limits of I(X;T) and I(Y;T)\n"
        "  classes        the number C of distinct labels (null without labels)\n"
        "  hbin           H(Bin T) of the m*k rows, bins floor((t - origin) / width)\n"
        "  ixbin, iybin   I(X;Bin T), I(Y;Bin T) (gcent_binned_mi; ixbin = hbin if k = 1)\n"
        "  and the inputs: file, format, m, k, d, beta, draws, seed, method, width,\n"
        "  origin, unit. Standard errors are Monte Carlo errors, or quadrature error\n"
        "  bounds when the library integrates deterministically (d <= 2).\n"
        "\n", f);
    fprintf(f,
        "Options (the value ranges are checked before any file is read):\n"
        "  --beta B          noise standard deviation of the layer, a finite number > 0\n"
        "                    in the units of the activations (default 0.1, as in\n"
        "                    Goldfeld et al. 2019)\n"
        "  --k K             passes per input for (n,), (n, d) and CSV, an integer >= 1\n"
        "                    that divides the rows (default 1)\n"
        "  --labels FILE     labels, one per input (or one per row, if the k rows of\n"
        "                    every input agree): a .npy of shape (m,) or (m, 1), or a\n"
        "                    text/CSV file of one column (a header line is optional)\n"
        "  --label-column C  CSV input: the labels' column, a number from 1 or a\n"
        "                    header name (digits are read as a number); not with\n"
        "                    --labels\n"
        "  --header          CSV input: the first line is a header even if it is all\n"
        "                    numbers (pandas writes column names 0,1,2,...)\n"
        "  --draws D         Monte Carlo draws per row, an integer in [%.0f, %.0f]\n"
        "                    (default %.0f); quadrature ignores it\n"
        "  --seed S          Monte Carlo seed, an integer in [0, %.0f]\n"
        "                    (default 0)\n"
        "  --threads N       worker threads, an integer in [0, %.0f]; 0 = all cores\n"
        "                    (default 0); the results are the same bits for every N\n"
        "  --method M        auto, mc or quadrature (d <= 2) (default auto: quadrature\n"
        "                    when d <= 2 and it is cheap, Monte Carlo otherwise)\n"
        "  --width W         bin width of hbin, a finite number > 0 (default 2/30: 30\n"
        "                    bins over [-1, 1], as in Shwartz-Ziv & Tishby 2017)\n"
        "  --origin O        bin origin, any finite number (default -1); the grid is\n"
        "                    unbounded\n"
        "  --bits            every result in bits (log base 2) instead of nats\n"
        "  --progress        progress and time left on stderr\n"
        "  --help            this text\n"
        "\n"
        "Messages count from 1: FILE:LINE:COLUMN for text files (COLUMN counts\n"
        "cells), \"row R, column C\" for arrays.\n"
        "Cost: Monte Carlo evaluates about draws * (m k)^2 Gaussian pairs: 4096 inputs\n"
        "x k = 8 passes (32768 rows, d = 3) with --draws 1 take about 4 s on two\n"
        "cores, 16 draws 16 times as long. With k > 1, I(X;T) is biased upwards by\n"
        "the finite k (the k-row conditional mixtures look too concentrated).\n"
        "Exit status: 0 success; 1 input refused (unreadable, malformed or\n"
        "inconsistent with the options) or library failure; 2 bad command line\n"
        "(unknown option, missing or out-of-range value, no input file).\n",
        r.draws_min, r.draws_max, r.draws_def, r.seed_max, r.threads_max);
}

/* ---- small utilities ------------------------------------------------------------ */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Shortest of %.15g .. %.17g that reads back as the same double. */
static void put_num(double v)
{
    char s[40];
    for (int prec = 15; prec <= 17; ++prec) {
        snprintf(s, sizeof s, "%.*g", prec, v);
        if (strtod(s, NULL) == v)
            break;
    }
    fputs(s, stdout);
}

/* A JSON string: quotes, backslashes and control characters escaped; valid
 * UTF-8 kept, any other byte replaced by U+FFFD. */
static void put_str(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    putchar('"');
    while (*p) {
        unsigned c = *p;
        if (c == '"' || c == '\\') {
            printf("\\%c", c);
            ++p;
        } else if (c < 0x20) {
            printf("\\u%04x", c);
            ++p;
        } else if (c < 0x80) {
            putchar((int)c);
            ++p;
        } else {
            size_t n = c >= 0xf0 && c < 0xf5   ? 4  /* lead bytes of 4-, 3-, 2-byte forms */
                       : c >= 0xe0 && c < 0xf0 ? 3
                       : c >= 0xc2 && c < 0xe0 ? 2
                                               : 0;
            size_t j = 1;
            while (n > 0 && j < n && (p[j] & 0xc0) == 0x80)
                ++j;
            if (n > 0 && j == n) {
                fwrite(p, 1, n, stdout);
                p += n;
            } else {
                fputs("\\ufffd", stdout);
                ++p;
            }
        }
    }
    putchar('"');
}

/* A decimal integer in [lo, hi]. */
static int parse_int(const char *txt, unsigned long long lo, unsigned long long hi,
                     unsigned long long *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(txt, &end, 10);
    if (*txt < '0' || *txt > '9' || *end != '\0' || errno != 0 || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* A finite number, > 0 when positive is set. */
static int parse_real(const char *txt, int positive, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(txt, &end);
    if (*txt == '\0' || *end != '\0' || errno != 0 || !isfinite(v) || (positive && !(v > 0.0)))
        return -1;
    *out = v;
    return 0;
}

/* ---- the input ----------------------------------------------------------------------- */

/* Labels as read, one per row or per input, with where they came from. */
typedef struct labelset {
    npy_labels l;
    const char *name; /* the file */
    size_t *line;     /* text: the line of each label (owned); NULL for .npy */
    size_t col;       /* text: the labels' column (from 1) */
} labelset;

static void labelset_free(labelset *ls)
{
    npy_labels_free(&ls->l);
    free(ls->line);
    ls->line = NULL;
}

/* The activations: rows x d values (malloc'd), k passes per input, m inputs. */
typedef struct layer {
    double *s;
    size_t m, k, d;
    const char *format;
    labelset lab;  /* labels from a CSV's label column (lab.l.code NULL if none) */
    int *y;        /* m labels (codes 0 .. classes-1) or NULL */
    size_t classes;
} layer;

static void layer_free(layer *L)
{
    free(L->s);
    free(L->y);
    labelset_free(&L->lab);
    memset(L, 0, sizeof *L);
}

typedef struct options {
    const char *file, *labels, *label_column, *method;
    double beta, width, origin;
    unsigned long long k, draws, seed, threads;
    int k_given, bits, show_progress, csv_header;
} options;

/* A .npy of activations. */
static int layer_npy(const options *o, const char *buf, size_t len, layer *L, char *err,
                     size_t errlen)
{
    npy_array a = {0}; /* npy_parse leaves it untouched on error */
    char msg[400];
    int st = -1;
    L->format = "npy";
    if (npy_parse((const unsigned char *)buf, len, &a, msg, sizeof msg) != 0) {
        snprintf(err, errlen, "%s: %s", o->file, msg);
    } else if (o->label_column) {
        snprintf(err, errlen, "%s: --label-column is for CSV input; give .npy labels with "
                 "--labels", o->file);
    } else if (a.ndim == 0 || a.count == 0) {
        snprintf(err, errlen, "%s: %s", o->file,
                 a.ndim == 0 ? "a scalar, not rows of activations" : "an empty array");
    } else if (a.ndim == 3 && o->k_given && o->k != a.shape[1]) {
        snprintf(err, errlen, "%s: shape (%zu, %zu, %zu) has k = %zu passes, but --k %llu",
                 o->file, a.shape[0], a.shape[1], a.shape[2], a.shape[1], o->k);
    } else {
        size_t rows = a.ndim == 3 ? a.shape[0] * a.shape[1] : a.shape[0];
        L->d = a.ndim == 1 ? 1 : a.ndim == 2 ? a.shape[1] : a.shape[2];
        L->k = a.ndim == 3 ? a.shape[1] : (size_t)o->k;
        L->m = rows; /* rows for now; divided by k by the caller */
        L->s = a.data; /* C order is already rows x d */
        a.data = NULL;
        st = 0;
        for (size_t i = 0; i < rows * L->d; ++i)
            if (!isfinite(L->s[i])) {
                snprintf(err, errlen, "%s: row %zu, column %zu: %s (rows and columns counted "
                         "from 1)", o->file, i / L->d + 1, i % L->d + 1,
                         isnan(L->s[i]) ? "NaN" : "an infinity");
                st = -1;
                break;
            }
    }
    npy_free(&a);
    return st;
}

/* A CSV/text table of activations, perhaps with a label column. */
static int layer_csv(const options *o, char *buf, size_t len, layer *L, char *err,
                     size_t errlen)
{
    npy_table t;
    npy_table_opts to = {.header = o->csv_header, .label_column = o->label_column,
                         .labels_elsewhere = o->labels != NULL};
    L->format = "csv";
    if (npy_table_parse(buf, len, o->file, &to, &t, err, errlen) != 0)
        return -1;
    if (t.index_dropped)
        fprintf(stderr, PROG ": %s: column 1 is a pandas index (no name in the header, "
                "0, 1, 2, ...): dropped\n", o->file);
    if (t.index_like)
        fprintf(stderr, PROG ": warning: %s: column 1 counts 0, 1, ..., %zu like a pandas "
                "index written without a header; it is read as a unit (remove it if it is "
                "the index)\n", o->file, t.rows - 1);
    if (t.label_by_name)
        fprintf(stderr, PROG ": %s: column %zu \"%s\" holds the labels, by its name (%zu "
                "classes)\n", o->file, t.label_col, t.label_name, t.labels.classes);
    L->s = t.v;
    L->m = t.rows; /* rows for now */
    L->d = t.cols;
    L->k = (size_t)o->k;
    if (t.labels.code != NULL) {
        L->lab = (labelset){.l = t.labels, .name = o->file, .line = t.line,
                            .col = t.label_col};
        t.line = NULL;
        t.labels.code = NULL;
    }
    t.v = NULL;
    npy_table_free(&t);
    return 0;
}

static int load_layer(const options *o, layer *L, char *err, size_t errlen)
{
    char *buf = NULL;
    size_t len = 0;
    memset(L, 0, sizeof *L);
    if (npy_read_file(o->file, &buf, &len, err, errlen) != 0)
        return -1;
    int kind = npy_identify((const unsigned char *)buf, len, o->file, err, errlen);
    int st = kind < 0                ? -1
             : kind == NPY_FILE_NPY ? layer_npy(o, buf, len, L, err, errlen)
                                    : layer_csv(o, buf, len, L, err, errlen);
    free(buf);
    size_t rows = L->m;
    if (st == 0 && rows % L->k != 0) {
        snprintf(err, errlen, "%s: %zu rows are not a multiple of k = %zu", o->file, rows, L->k);
        st = -1;
    }
    if (st != 0) {
        layer_free(L);
        return -1;
    }
    L->m = rows / L->k;
    if (rows < L->d)
        fprintf(stderr, PROG ": warning: %s: %zu rows (samples) of %zu columns (units): fewer "
                "samples than units; if each row should be a unit, save the transpose (a.T)\n",
                o->file, rows, L->d);
    return 0;
}

/* Labels from --labels FILE: a .npy, or a text file of one column. */
static int load_labels(const char *path, labelset *ls, char *err, size_t errlen)
{
    char *buf = NULL;
    size_t len = 0;
    memset(ls, 0, sizeof *ls);
    ls->name = path;
    if (npy_read_file(path, &buf, &len, err, errlen) != 0)
        return -1;
    int kind = npy_identify((const unsigned char *)buf, len, path, err, errlen), st = -1;
    if (kind == NPY_FILE_NPY) {
        st = npy_labels_parse((const unsigned char *)buf, len, path, &ls->l, err, errlen);
    } else if (kind == NPY_FILE_TEXT) {
        npy_table t;
        npy_table_opts to = {.labels_only = 1};
        st = npy_table_parse(buf, len, path, &to, &t, err, errlen);
        if (st == 0) {
            if (t.index_dropped)
                fprintf(stderr, PROG ": %s: column 1 is a pandas index (no name in the "
                        "header, 0, 1, 2, ...): dropped\n", path);
            ls->l = t.labels;
            ls->line = t.line;
            ls->col = t.label_col;
            t.labels.code = NULL;
            t.line = NULL;
            npy_table_free(&t);
        }
    }
    free(buf);
    return st;
}

/* "NAME:LINE:COL" of label i (text) or "NAME: row i+1" (.npy), counted from 1. */
static void label_where(const labelset *ls, size_t i, char *dst, size_t dstlen)
{
    if (ls->line != NULL)
        snprintf(dst, dstlen, "%s:%zu:%zu", ls->name, ls->line[i], ls->col);
    else
        snprintf(dst, dstlen, "%s: row %zu", ls->name, i + 1);
}

/* One label per input into L->y from n = m labels, or from n = m*k per-row
 * labels whose k values agree for every input. */
static int labels_per_input(labelset *ls, layer *L, char *err, size_t errlen)
{
    size_t n = ls->l.n, m = L->m, k = L->k;
    if (n != m && !(k > 1 && n % k == 0 && n / k == m)) {
        char hint[160] = "";
        if (n == L->d && n != m)
            snprintf(hint, sizeof hint, "; the activations have %zu columns: are they "
                     "transposed (save a.T)?", L->d);
        if (k > 1)
            snprintf(err, errlen, "%s: %zu labels for %zu inputs (expected %zu, or %zu per-row "
                     "labels)%s", ls->name, n, m, m, m * k, hint);
        else
            snprintf(err, errlen, "%s: %zu labels for %zu inputs%s", ls->name, n, m, hint);
        return -1;
    }
    int *y = malloc(m * sizeof *y);
    if (y == NULL) {
        snprintf(err, errlen, "%s: out of memory", ls->name);
        return -1;
    }
    size_t step = n == m ? 1 : k;
    for (size_t i = 0; i < m; ++i) {
        y[i] = ls->l.code[i * step];
        for (size_t j = 1; j < step; ++j)
            if (ls->l.code[i * step + j] != y[i]) {
                char where[300];
                label_where(ls, i * step + j, where, sizeof where);
                if (ls->line != NULL)
                    snprintf(err, errlen, "%s: the label differs from the one on line %zu, "
                             "although both rows are passes of input %zu (k = %zu rows per "
                             "input)", where, ls->line[i * step], i + 1, k);
                else
                    snprintf(err, errlen, "%s: the label differs from the one of row %zu, "
                             "although both rows are passes of input %zu (k = %zu rows per "
                             "input)", where, i * step + 1, i + 1, k);
                free(y);
                return -1;
            }
    }
    L->y = y;
    L->classes = ls->l.classes;
    return 0;
}

/* H(Y) of the labels' frequencies over the m inputs, nats (NaN if out of
 * memory). */
static double label_entropy(const int *y, size_t m, size_t classes)
{
    size_t *c = calloc(classes ? classes : 1, sizeof *c);
    if (c == NULL)
        return NAN;
    for (size_t i = 0; i < m; ++i)
        ++c[y[i]];
    double h = 0.0;
    for (size_t j = 0; j < classes; ++j)
        if (c[j] > 0) {
            double p = (double)c[j] / (double)m;
            h -= p * log(p);
        }
    free(c);
    return h;
}

/* ---- progress ------------------------------------------------------------------------------ */

typedef struct progress {
    const char *what;
    double t0, shown; /* start, last line written (clock for display only) */
} progress;

static int on_progress(void *user, uint64_t done, uint64_t total)
{
    progress *p = user;
    double t = now(), el = t - p->t0, frac = total ? (double)done / (double)total : 1.0;
    if (done < total && frac > 0.0 && t - p->shown >= 0.5) {
        fprintf(stderr, "\r" PROG ": %s %5.1f%%, %.0f s left   ", p->what, 100.0 * frac,
                el * (1.0 - frac) / frac);
        p->shown = t;
    } else if (done == total) {
        fprintf(stderr, "\r" PROG ": %s done in %.1f s          \n", p->what, el);
    }
    return 0;
}

/* ---- the command line ------------------------------------------------------------------ */

/* 0, or 2 with a message: every value is checked against its range here,
 * before any file is read. */
static int parse_args(int argc, char **argv, options *o)
{
    double w = 0.0, orig = 0.0;
    if (gcent_bin_fixed_range(-1.0, 1.0, 30, &w, &orig) != GCENT_OK)
        return 1;
    *o = (options){.beta = 0.1, .width = w, .origin = orig, .k = 1, .method = "auto"};
    ranges r = get_ranges();
    for (int a = 1; a < argc; ++a) {
        const char *opt = argv[a], *val = a + 1 < argc ? argv[a + 1] : NULL;
        if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
            usage(stdout);
            exit(0);
        } else if (strcmp(opt, "--bits") == 0) {
            o->bits = 1;
            continue;
        } else if (strcmp(opt, "--progress") == 0) {
            o->show_progress = 1;
            continue;
        } else if (strcmp(opt, "--header") == 0) {
            o->csv_header = 1;
            continue;
        } else if (opt[0] != '-' || strcmp(opt, "-") == 0) {
            if (o->file != NULL) {
                fprintf(stderr, PROG ": one input file only (%s and %s)\n", o->file, opt);
                return 2;
            }
            o->file = opt;
            continue;
        }
        const char *range = NULL; /* what a good value is, for the message */
        char buf[96];
        int bad = 0;
        if (strcmp(opt, "--beta") == 0) {
            range = "a finite number > 0";
            bad = val == NULL || parse_real(val, 1, &o->beta) != 0;
        } else if (strcmp(opt, "--k") == 0) {
            range = "an integer >= 1";
            bad = val == NULL || parse_int(val, 1, SIZE_MAX, &o->k) != 0;
            o->k_given = 1;
        } else if (strcmp(opt, "--labels") == 0) {
            range = "a file";
            bad = val == NULL || *val == '\0';
            o->labels = val;
        } else if (strcmp(opt, "--label-column") == 0) {
            range = "a column number from 1 or a header name";
            bad = val == NULL || *val == '\0';
            o->label_column = val;
        } else if (strcmp(opt, "--draws") == 0) {
            snprintf(buf, sizeof buf, "an integer in [%.0f, %.0f]", r.draws_min, r.draws_max);
            range = buf;
            bad = val == NULL || parse_int(val, (unsigned long long)r.draws_min,
                                           (unsigned long long)r.draws_max, &o->draws) != 0;
        } else if (strcmp(opt, "--seed") == 0) {
            snprintf(buf, sizeof buf, "an integer in [0, %.0f]", r.seed_max);
            range = buf;
            bad = val == NULL || parse_int(val, 0, (unsigned long long)r.seed_max, &o->seed) != 0;
        } else if (strcmp(opt, "--threads") == 0) {
            snprintf(buf, sizeof buf, "an integer in [0, %.0f]", r.threads_max);
            range = buf;
            bad = val == NULL ||
                  parse_int(val, 0, (unsigned long long)r.threads_max, &o->threads) != 0;
        } else if (strcmp(opt, "--method") == 0) {
            range = "auto, mc or quadrature";
            o->method = val;
            bad = val == NULL || (strcmp(val, "auto") != 0 && strcmp(val, "mc") != 0 &&
                                  strcmp(val, "quadrature") != 0);
        } else if (strcmp(opt, "--width") == 0) {
            range = "a finite number > 0";
            bad = val == NULL || parse_real(val, 1, &o->width) != 0;
        } else if (strcmp(opt, "--origin") == 0) {
            range = "a finite number";
            bad = val == NULL || parse_real(val, 0, &o->origin) != 0;
        } else {
            fprintf(stderr, PROG ": unknown option %s (see --help)\n", opt);
            return 2;
        }
        if (bad) {
            fprintf(stderr, PROG ": bad value for %s: %s (expected %s; see --help)\n", opt,
                    val == NULL ? "(missing)" : *val ? val : "\"\"", range);
            return 2;
        }
        ++a;
    }
    if (o->file == NULL) {
        fprintf(stderr, PROG ": no input file (see --help)\n");
        return 2;
    }
    if (o->labels && o->label_column) {
        fprintf(stderr, PROG ": --labels and --label-column exclude each other\n");
        return 2;
    }
    return 0;
}

/* ---- main ----------------------------------------------------------------------------------- */

int main(int argc, char **argv)
{
    options o;
    int rc = parse_args(argc, argv, &o);
    if (rc != 0)
        return rc;

    char err[1024];
    layer L;
    if (load_layer(&o, &L, err, sizeof err) != 0) {
        fprintf(stderr, PROG ": %s\n", err);
        return 1;
    }
    labelset ext = {0};
    labelset *ls = o.labels ? &ext : L.lab.l.code ? &L.lab : NULL;
    if ((o.labels && load_labels(o.labels, &ext, err, sizeof err) != 0) ||
        (ls && labels_per_input(ls, &L, err, sizeof err) != 0)) {
        fprintf(stderr, PROG ": %s\n", err);
        labelset_free(&ext);
        layer_free(&L);
        return 1;
    }
    labelset_free(&ext);
    labelset_free(&L.lab);

    gcent_ctx *ctx = NULL;
    int st = gcent_ctx_create(&ctx);
    if (st != GCENT_OK) {
        fprintf(stderr, PROG ": %s\n", gcent_strerror(st));
        layer_free(&L);
        return 1;
    }
    int method = strcmp(o.method, "mc") == 0           ? GCENT_METHOD_MC
                 : strcmp(o.method, "quadrature") == 0 ? GCENT_METHOD_QUADRATURE
                                                       : GCENT_METHOD_AUTO;
    const char *what = "option";
    progress prog = {"", 0.0, 0.0};
    gcent_layer_mi r;
    double hz = 0.0, hbin = 0.0, ixbin = 0.0, iybin = 0.0, draws = 0.0;
    if ((st = gcent_ctx_set(ctx, GCENT_OPT_SEED, (double)o.seed)) != GCENT_OK)
        what = "--seed";
    else if ((st = gcent_ctx_set(ctx, GCENT_OPT_MC_DRAWS, (double)o.draws)) != GCENT_OK)
        what = "--draws";
    else if ((st = gcent_ctx_set(ctx, GCENT_OPT_THREADS, (double)o.threads)) != GCENT_OK)
        what = "--threads";
    else if ((st = gcent_ctx_set(ctx, GCENT_OPT_LOG_BASE, o.bits ? 2.0 : 0.0)) != GCENT_OK)
        what = "--bits";
    else if ((st = gcent_ctx_set(ctx, GCENT_OPT_METHOD, method)) != GCENT_OK)
        what = "--method";
    else if ((st = gcent_ctx_set(ctx, GCENT_OPT_BIN_ORIGIN, o.origin)) != GCENT_OK)
        what = "--origin";
    else if ((st = gcent_ctx_get(ctx, GCENT_OPT_MC_DRAWS, &draws)) != GCENT_OK)
        what = "reading the draws";
    else if (o.show_progress &&
             (st = gcent_ctx_set_progress(ctx, on_progress, &prog)) != GCENT_OK)
        what = "progress";
    else if ((st = gcent_noise_entropy(ctx, L.d, o.beta, &hz)) != GCENT_OK)
        what = "gcent_noise_entropy";
    else if (prog = (progress){"I(X;T), I(Y;T)", now(), now()},
             (st = gcent_mi_layer(ctx, L.s, L.m, L.k, L.d, L.d, L.y, o.beta, &r)) != GCENT_OK)
        what = "gcent_mi_layer";
    else if (prog = (progress){"H(Bin T)", now(), now()},
             (st = gcent_binned_entropy(ctx, L.s, L.m * L.k, L.d, L.d, o.width, &hbin)) !=
                 GCENT_OK)
        what = "gcent_binned_entropy";
    else if (prog = (progress){"I(X;Bin T)", now(), now()},
             (st = gcent_binned_mi(ctx, L.s, L.m, L.k, L.d, L.d, L.y, o.width, &ixbin,
                                   L.y ? &iybin : NULL)) != GCENT_OK)
        what = "gcent_binned_mi";
    if (st != GCENT_OK) {
        fprintf(stderr, PROG ": %s: %s (%s)\n", what, gcent_strerror(st),
                gcent_ctx_errmsg(ctx));
        gcent_ctx_free(ctx);
        layer_free(&L);
        return what[0] == '-' ? 2 : 1; /* an option the library refused: the command line */
    }
    const double unit = o.bits ? log(2.0) : 1.0;
    double hy = L.y ? label_entropy(L.y, L.m, L.classes) : 0.0;
    if (isnan(hy)) {
        fprintf(stderr, PROG ": out of memory\n");
        gcent_ctx_free(ctx);
        layer_free(&L);
        return 1;
    }

    printf("{\n  \"file\": ");
    put_str(o.file);
    printf(",\n  \"format\": \"%s\",\n  \"m\": %zu,\n  \"k\": %zu,\n  \"d\": %zu,\n", L.format,
           L.m, L.k, L.d);
    printf("  \"beta\": ");
    put_num(o.beta);
    printf(",\n  \"draws\": %.0f,\n  \"seed\": %llu,\n  \"method\": \"%s\",\n", draws, o.seed,
           o.method);
    printf("  \"unit\": \"%s\",\n", o.bits ? "bits" : "nats");
    const struct {
        const char *key;
        double v;
        int present;
    } out[] = {
        {"h", r.ht.value, 1},        {"h_se", r.ht.se, 1},
        {"h_noise", hz, 1},          {"ixt", r.ixt.value, 1},
        {"ixt_se", r.ixt.se, 1},     {"iyt", r.iyt.value, L.y != NULL},
        {"iyt_se", r.iyt.se, L.y != NULL}, {"ln_m", log((double)L.m) / unit, 1},
        {"h_y", hy / unit, L.y != NULL}, {"classes", (double)L.classes, L.y != NULL},
        {"width", o.width, 1},
        {"origin", o.origin, 1},     {"hbin", hbin, 1},
        {"ixbin", ixbin, 1},         {"iybin", iybin, L.y != NULL},
    };
    size_t nout = sizeof out / sizeof out[0];
    for (size_t j = 0; j < nout; ++j) {
        printf("  \"%s\": ", out[j].key);
        if (out[j].present)
            put_num(out[j].v);
        else
            fputs("null", stdout);
        fputs(j + 1 < nout ? ",\n" : "\n", stdout);
    }
    printf("}\n");
    gcent_ctx_free(ctx);
    layer_free(&L);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, PROG ": writing the output: %s\n", strerror(errno));
        return 1;
    }
    return 0;
}
