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
 * See --help and docs/guide.md ("gcent-estimate") for the file layouts.
 *
 * Usage: gcent-estimate [options] FILE   (gcent-estimate --help) */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <gcent.h>
#include "npy.h"

#define PROG "gcent-estimate"

static void usage(FILE *f)
{
    fprintf(f,
        "usage: " PROG " [options] FILE\n"
        "Entropy and mutual information of one noisy layer from a dump of its\n"
        "activations; the results are printed as JSON on stdout.\n"
        "\n"
        "FILE is a .npy file (np.save; little-endian float32 or float64, C order,\n"
        "format 1.0-3.0) or a CSV/text file (one row per line, numbers separated by\n"
        "commas, or by blanks as np.savetxt writes them; lines starting with '#' are\n"
        "skipped; the first line is a header if one of its fields is not a number,\n"
        "or with --header). The format is recognised by content, not by the file\n"
        "name; FILE - reads stdin.\n"
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
        "X is uniform over the m inputs.\n"
        "\n"
        "Output (JSON object, one key per line; unit nats, or bits with --bits):\n"
        "  h, h_se        h(T) = h(S + Z) of all m*k rows, and its standard error\n"
        "  h_noise        h(Z) = (d/2) log(2 pi e beta^2)\n"
        "  ixt, ixt_se    I(X;T) = h(T) - (1/m) sum_i h(T | X = x_i)   (gcent_mi_layer)\n"
        "  iyt, iyt_se    I(Y;T) = h(T) - sum_y p(y) h(T | Y = y); null without labels\n"
        "  ln_m, h_y      log m and H(Y), the upper limits of I(X;T) and I(Y;T)\n"
        "  hbin           H(Bin T) of the m*k rows, bins floor((t - origin) / width)\n"
        "  ixbin, iybin   I(X;Bin T), I(Y;Bin T) (gcent_binned_mi; ixbin = hbin if k = 1)\n"
        "  and the inputs: file, format, m, k, d, beta, draws, seed, method, width,\n"
        "  origin, unit. Standard errors are Monte Carlo errors, or quadrature error\n"
        "  bounds when the library integrates deterministically (d <= 2).\n"
        "\n"
        "Options:\n"
        "  --beta B          noise standard deviation of the layer (default 0.1, as in\n"
        "                    Goldfeld et al. 2019), in the units of the activations\n"
        "  --k K             passes per input for (n,), (n, d) and CSV (default 1)\n"
        "  --labels FILE     labels: .npy of an integer or bool dtype, shape (m,) or\n"
        "                    (m, 1), or a text/CSV file with one integer per line\n"
        "                    (optional header); m*k labels, one per row, are accepted\n"
        "                    if the k rows of every input agree\n"
        "  --label-column C  CSV input: column C (1-based number, or its header name)\n"
        "                    holds integer labels; it is not an activation\n"
        "  --header          CSV input: the first line is a header even if it is all\n"
        "                    numbers (pandas writes column names 0,1,2,...)\n"
        "  --draws D         Monte Carlo draws per row (default: the library's, 16);\n"
        "                    quadrature ignores it\n"
        "  --seed S          seed of the Monte Carlo noise, 0 .. 2^53 (default 0)\n"
        "  --threads N       worker threads, 0 = all cores (default 0); the results\n"
        "                    are the same bits for every N\n"
        "  --method M        auto, mc or quadrature (d <= 2) (default auto: quadrature\n"
        "                    when d <= 2 and it is cheap, Monte Carlo otherwise)\n"
        "  --width W         bin width of hbin (default 2/30: 30 bins over [-1, 1], as\n"
        "                    in Shwartz-Ziv & Tishby 2017, for tanh layers)\n"
        "  --origin O        bin origin (default -1); the grid is unbounded\n"
        "  --bits            every result in bits (log base 2) instead of nats\n"
        "  --progress        progress and time left on stderr\n"
        "  --help            this text\n"
        "\n"
        "Cost: Monte Carlo evaluates about draws * (m k)^2 Gaussian pairs: 4096 inputs\n"
        "x k = 8 passes (32768 rows, d = 3) with --draws 1 take about 4 s on two\n"
        "cores, 16 draws 16 times as long. With k > 1, I(X;T) is biased upwards by\n"
        "the finite k (the k-row conditional mixtures look too concentrated).\n"
        "Exit status: 0 success, 1 unreadable input or library failure, 2 bad usage.\n");
}

/* ---- small utilities ------------------------------------------------------------ */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Whole file into a malloc'd, NUL-terminated buffer. */
static int read_file(const char *path, char **out, size_t *len, char *err, size_t errlen)
{
    int std_in = strcmp(path, "-") == 0;
    FILE *f = std_in ? stdin : fopen(path, "rb");
    if (f == NULL) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    int ok = b != NULL;
    while (ok) {
        if (cap - n < 2) {
            char *nb = cap <= SIZE_MAX / 2 ? realloc(b, cap * 2) : NULL;
            if (nb == NULL) {
                ok = 0;
                break;
            }
            b = nb;
            cap *= 2;
        }
        size_t got = fread(b + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    if (!ok)
        snprintf(err, errlen, "%s: out of memory", path);
    else if (ferror(f)) {
        snprintf(err, errlen, "%s: read error: %s", path, strerror(errno));
        ok = 0;
    }
    if (!std_in)
        fclose(f);
    if (!ok) {
        free(b);
        return -1;
    }
    b[n] = '\0';
    *out = b;
    *len = n;
    return 0;
}

static int is_npy(const char *buf, size_t len)
{
    return len >= 6 && memcmp(buf, "\x93NUMPY", 6) == 0;
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

static int parse_size(const char *txt, unsigned long long hi, unsigned long long *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(txt, &end, 10);
    if (*txt < '0' || *txt > '9' || *end != '\0' || errno != 0 || v > hi)
        return -1;
    *out = v;
    return 0;
}

static int parse_real(const char *txt, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(txt, &end);
    if (*txt == '\0' || *end != '\0' || errno != 0 || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

/* ---- CSV / text tables ----------------------------------------------------------------- */

typedef struct table {
    double *v;       /* rows x cols, row-major */
    size_t rows, cols;
    char **names;    /* nnames header names (NULL if no header line) */
    size_t nnames;
} table;

static void table_free(table *t)
{
    free(t->v);
    for (size_t j = 0; j < t->nnames; ++j)
        free(t->names[j]);
    free(t->names);
    memset(t, 0, sizeof *t);
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r')
        ++s;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        *--e = '\0';
    if (e - s >= 2 && s[0] == '"' && e[-1] == '"') {
        e[-1] = '\0';
        ++s;
    }
    return s;
}

/* Split line (modified in place) into at most cap fields; returns the number
 * of fields found (which may exceed cap). sep: ',' or ' ' (runs of blanks). */
static size_t split(char *line, char sep, char **field, size_t cap)
{
    size_t n = 0;
    char *p = line;
    if (sep == ',') {
        for (;;) {
            char *c = strchr(p, ',');
            if (c)
                *c = '\0';
            if (n < cap)
                field[n] = trim(p);
            ++n;
            if (!c)
                break;
            p = c + 1;
        }
    } else {
        for (;;) {
            while (*p == ' ' || *p == '\t' || *p == '\r')
                ++p;
            if (*p == '\0')
                break;
            char *start = p;
            while (*p && *p != ' ' && *p != '\t' && *p != '\r')
                ++p;
            if (*p)
                *p++ = '\0';
            if (n < cap)
                field[n] = start;
            ++n;
        }
    }
    return n;
}

static int number(const char *txt, double *v)
{
    char *end = NULL;
    errno = 0;
    *v = strtod(txt, &end);
    return *txt != '\0' && *end == '\0' && !(errno == ERANGE && fabs(*v) > 1.0);
}

/* Parse buf (NUL-terminated, modified) as a table of numbers. The first
 * content line is a header when one of its fields is not a number, or
 * always when header is non-zero. */
static int table_parse(char *buf, size_t len, const char *path, int header, table *t,
                       char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    if (strlen(buf) != len) {
        snprintf(err, errlen, "%s: NUL byte in a text file (is it a binary file?)", path);
        return -1;
    }
    if (len >= 4 && memcmp(buf, "PK\x03\x04", 4) == 0) {
        snprintf(err, errlen, "%s: a zip archive (.npz?); save one array with np.save", path);
        return -1;
    }
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        buf += 3;
    char sep = 0, **field = NULL;
    size_t cap_rows = 0, lineno = 0;
    int ok = 1, first = 1;
    for (char *line = buf; ok && line != NULL;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        ++lineno;
        char *s = trim(line);
        line = nl ? nl + 1 : NULL;
        if (*s == '\0' || *s == '#')
            continue;
        if (first) { /* the first content line fixes the separator and the width */
            sep = strchr(s, ',') ? ',' : ' ';
            char *copy = strdup(s);
            t->cols = copy ? split(copy, sep, NULL, 0) : 0;
            free(copy);
            field = t->cols > 0 && t->cols < SIZE_MAX / sizeof *field
                        ? malloc(t->cols * sizeof *field) : NULL;
            if (field == NULL) {
                snprintf(err, errlen, "%s: out of memory", path);
                ok = 0;
                break;
            }
        }
        size_t n = split(s, sep, field, t->cols);
        if (first) {
            first = 0;
            double v;
            for (size_t j = 0; j < n; ++j)
                header |= !number(field[j], &v);
            if (header) {
                t->names = calloc(t->cols, sizeof *t->names);
                t->nnames = t->names ? t->cols : 0;
                for (size_t j = 0; ok && j < t->cols; ++j)
                    if (t->names == NULL || (t->names[j] = strdup(field[j])) == NULL) {
                        snprintf(err, errlen, "%s: out of memory", path);
                        ok = 0;
                    }
                continue;
            }
        }
        if (n != t->cols) {
            snprintf(err, errlen, "%s:%zu: %zu fields, expected %zu as in the first line", path,
                     lineno, n, t->cols);
            ok = 0;
            break;
        }
        if (t->rows == cap_rows) {
            size_t nc = cap_rows ? 2 * cap_rows : 1024;
            double *nv = nc <= SIZE_MAX / sizeof *nv / t->cols
                             ? realloc(t->v, nc * t->cols * sizeof *nv) : NULL;
            if (nv == NULL) {
                snprintf(err, errlen, "%s:%zu: out of memory", path, lineno);
                ok = 0;
                break;
            }
            t->v = nv;
            cap_rows = nc;
        }
        for (size_t j = 0; j < n; ++j)
            if (!number(field[j], &t->v[t->rows * t->cols + j])) {
                snprintf(err, errlen, "%s:%zu: column %zu is \"%.40s\", not a number", path,
                         lineno, j + 1, field[j]);
                ok = 0;
                break;
            }
        t->rows += ok;
    }
    free(field);
    if (ok && t->rows == 0) {
        snprintf(err, errlen, "%s: no rows of numbers", path);
        ok = 0;
    }
    if (!ok)
        table_free(t);
    return ok ? 0 : -1;
}

/* ---- labels ------------------------------------------------------------------------------ */

/* n values that must be integers within int range -> labels (malloc'd). */
static int to_labels(const double *v, size_t n, const char *what, int **out, char *err,
                     size_t errlen)
{
    int *y = malloc((n ? n : 1) * sizeof *y);
    if (y == NULL) {
        snprintf(err, errlen, "%s: out of memory", what);
        return -1;
    }
    for (size_t i = 0; i < n; ++i) {
        if (!(v[i] == floor(v[i]) && v[i] >= INT_MIN && v[i] <= INT_MAX)) {
            snprintf(err, errlen, "%s: label %zu (counted from 0) is %.17g, not an integer "
                     "in int range", what, i, v[i]);
            free(y);
            return -1;
        }
        y[i] = (int)v[i];
    }
    *out = y;
    return 0;
}

/* Labels per input from n given values: n == m, or n == m*k with the k
 * values of every input equal. */
static int labels_per_input(int *y, size_t n, size_t m, size_t k, const char *what, char *err,
                            size_t errlen)
{
    if (n == m)
        return 0;
    if (k > 1 && n / k == m && n % k == 0) {
        for (size_t i = 0; i < m; ++i) {
            for (size_t j = 1; j < k; ++j)
                if (y[i * k + j] != y[i * k]) {
                    snprintf(err, errlen, "%s: the %zu per-row labels of input %zu (rows "
                             "%zu..%zu) differ", what, k, i, i * k, i * k + k - 1);
                    return -1;
                }
            y[i] = y[i * k];
        }
        return 0;
    }
    snprintf(err, errlen, "%s: %zu labels for %zu inputs (expected %zu, or %zu per-row labels)",
             what, n, m, m, m * k);
    return -1;
}

static int load_labels(const char *path, int **y, size_t *n, char *err, size_t errlen)
{
    char *buf = NULL;
    size_t len = 0;
    if (read_file(path, &buf, &len, err, errlen) != 0)
        return -1;
    int st = -1;
    if (is_npy(buf, len)) {
        npy_array a = {0}; /* npy_parse leaves it untouched on error */
        char msg[400];
        if (npy_parse_ex((const unsigned char *)buf, len, NPY_ACCEPT_INT, &a, msg,
                         sizeof msg) != 0) {
            snprintf(err, errlen, "%s: %s", path, msg);
        } else if (a.ndim == 1 || (a.ndim == 2 && a.shape[1] == 1)) {
            st = to_labels(a.data, a.count, path, y, err, errlen);
            *n = a.count;
        } else {
            snprintf(err, errlen, "%s: labels must have shape (m,) or (m, 1), not %zu "
                     "dimensions", path, a.ndim);
        }
        npy_free(&a);
    } else {
        table t;
        if (table_parse(buf, len, path, 0, &t, err, errlen) == 0) {
            if (t.cols != 1)
                snprintf(err, errlen, "%s: labels must be one column, found %zu", path, t.cols);
            else
                st = to_labels(t.v, t.rows, path, y, err, errlen);
            *n = t.rows;
            table_free(&t);
        }
    }
    free(buf);
    return st;
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

/* ---- main ----------------------------------------------------------------------------------- */

typedef struct options {
    const char *file, *labels, *label_column, *method;
    double beta, width, origin;
    unsigned long long k, draws, seed, threads;
    int k_given, bits, show_progress, csv_header;
} options;

static int parse_args(int argc, char **argv, options *o)
{
    double w = 0.0, orig = 0.0;
    if (gcent_bin_fixed_range(-1.0, 1.0, 30, &w, &orig) != GCENT_OK)
        return 1;
    *o = (options){.beta = 0.1, .width = w, .origin = orig, .k = 1, .method = "auto"};
    for (int a = 1; a < argc; ++a) {
        const char *opt = argv[a], *val = a + 1 < argc ? argv[a + 1] : NULL;
        int bad = 0, flag = 1;
        if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
            usage(stdout);
            exit(0);
        } else if (strcmp(opt, "--bits") == 0) {
            o->bits = 1;
        } else if (strcmp(opt, "--progress") == 0) {
            o->show_progress = 1;
        } else if (strcmp(opt, "--header") == 0) {
            o->csv_header = 1;
        } else if (opt[0] != '-' || strcmp(opt, "-") == 0) {
            if (o->file != NULL) {
                fprintf(stderr, PROG ": one input file only (%s and %s)\n", o->file, opt);
                return 2;
            }
            o->file = opt;
        } else {
            flag = 0;
        }
        if (flag)
            continue;
        static const char *const with_value[] = {"--beta", "--k", "--labels", "--label-column",
                                                 "--draws", "--seed", "--threads", "--method",
                                                 "--width", "--origin"};
        int known = 0;
        for (size_t j = 0; j < sizeof with_value / sizeof with_value[0]; ++j)
            known |= strcmp(opt, with_value[j]) == 0;
        if (!known) {
            fprintf(stderr, PROG ": unknown option %s (see --help)\n", opt);
            return 2;
        }
        if (val == NULL) {
            bad = 1;
        } else if (strcmp(opt, "--beta") == 0) {
            bad = parse_real(val, &o->beta) != 0 || !(o->beta > 0.0);
        } else if (strcmp(opt, "--k") == 0) {
            bad = parse_size(val, SIZE_MAX, &o->k) != 0 || o->k == 0;
            o->k_given = 1;
        } else if (strcmp(opt, "--labels") == 0) {
            o->labels = val;
        } else if (strcmp(opt, "--label-column") == 0) {
            o->label_column = val;
        } else if (strcmp(opt, "--draws") == 0) {
            bad = parse_size(val, ULLONG_MAX, &o->draws) != 0 || o->draws == 0;
        } else if (strcmp(opt, "--seed") == 0) {
            bad = parse_size(val, ULLONG_MAX, &o->seed) != 0;
        } else if (strcmp(opt, "--threads") == 0) {
            bad = parse_size(val, ULLONG_MAX, &o->threads) != 0;
        } else if (strcmp(opt, "--method") == 0) {
            o->method = val;
            bad = strcmp(val, "auto") != 0 && strcmp(val, "mc") != 0 &&
                  strcmp(val, "quadrature") != 0;
        } else if (strcmp(opt, "--width") == 0) {
            bad = parse_real(val, &o->width) != 0 || !(o->width > 0.0);
        } else { /* --origin */
            bad = parse_real(val, &o->origin) != 0;
        }
        if (bad) {
            fprintf(stderr, PROG ": bad value for %s: %s (see --help)\n", opt,
                    val ? val : "(missing)");
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

/* The activations: rows x d values (malloc'd), k passes per input, m inputs;
 * labels from --label-column when given. */
typedef struct layer {
    double *s;
    size_t m, k, d;
    int *y;        /* m labels or NULL */
    const char *format;
} layer;

static int load_layer(const options *o, layer *L, char *err, size_t errlen)
{
    char *buf = NULL;
    size_t len = 0, rows = 0;
    memset(L, 0, sizeof *L);
    if (read_file(o->file, &buf, &len, err, errlen) != 0)
        return -1;
    int st = -1;
    if (is_npy(buf, len)) {
        npy_array a = {0}; /* npy_parse leaves it untouched on error */
        char msg[400];
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
            rows = a.ndim == 3 ? a.shape[0] * a.shape[1] : a.shape[0];
            L->d = a.ndim == 1 ? 1 : a.ndim == 2 ? a.shape[1] : a.shape[2];
            L->k = a.ndim == 3 ? a.shape[1] : (size_t)o->k;
            L->s = a.data; /* C order is already rows x d */
            a.data = NULL;
            st = 0;
        }
        npy_free(&a);
    } else {
        table t;
        L->format = "csv";
        if (table_parse(buf, len, o->file, o->csv_header, &t, err, errlen) == 0) {
            size_t lc = SIZE_MAX; /* label column, 0-based */
            if (o->label_column) {
                unsigned long long c;
                if (parse_size(o->label_column, t.cols, &c) == 0 && c >= 1)
                    lc = (size_t)c - 1;
                for (size_t j = 0; lc == SIZE_MAX && j < t.nnames; ++j)
                    if (strcmp(t.names[j], o->label_column) == 0)
                        lc = j;
            }
            if (o->label_column && lc == SIZE_MAX) {
                snprintf(err, errlen, "%s: no column \"%s\" (%zu columns%s)", o->file,
                         o->label_column, t.cols, t.names ? "" : ", no header line");
            } else if (o->label_column && t.cols < 2) {
                snprintf(err, errlen, "%s: the label column is the only column", o->file);
            } else {
                double *lab = NULL;
                if (o->label_column) { /* move the label column out of the table */
                    lab = malloc(t.rows * sizeof *lab);
                    if (lab == NULL) {
                        snprintf(err, errlen, "%s: out of memory", o->file);
                    } else {
                        size_t w = t.cols - 1;
                        for (size_t r = 0; r < t.rows; ++r) {
                            lab[r] = t.v[r * t.cols + lc];
                            for (size_t j = 0, o2 = 0; j < t.cols; ++j)
                                if (j != lc)
                                    t.v[r * w + o2++] = t.v[r * t.cols + j];
                        }
                        t.cols = w;
                    }
                }
                if (!o->label_column || lab != NULL) {
                    rows = t.rows;
                    L->d = t.cols;
                    L->k = (size_t)o->k;
                    L->s = t.v;
                    t.v = NULL;
                    st = 0;
                    if (lab != NULL) {
                        if (to_labels(lab, rows, o->file, &L->y, err, errlen) != 0 ||
                            (rows % L->k == 0 &&
                             labels_per_input(L->y, rows, rows / L->k, L->k, o->file, err,
                                              errlen) != 0))
                            st = -1;
                    }
                }
                free(lab);
            }
            table_free(&t);
        }
    }
    free(buf);
    if (st == 0 && rows % L->k != 0) {
        snprintf(err, errlen, "%s: %zu rows are not a multiple of k = %zu", o->file, rows, L->k);
        st = -1;
    }
    if (st == 0) {
        L->m = rows / L->k;
        for (size_t i = 0; i < rows * L->d; ++i)
            if (!isfinite(L->s[i])) {
                snprintf(err, errlen, "%s: row %zu, column %zu (counted from 0) is %s",
                         o->file, i / L->d, i % L->d, isnan(L->s[i]) ? "NaN" : "infinite");
                st = -1;
                break;
            }
    }
    if (st != 0) {
        free(L->s);
        free(L->y);
        L->s = NULL;
        L->y = NULL;
    }
    return st;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* H(Y) of the labels' frequencies over the m inputs, nats (NaN if out of
 * memory). */
static double label_entropy(const int *y, size_t m)
{
    int *c = malloc(m * sizeof *c);
    if (c == NULL)
        return NAN;
    memcpy(c, y, m * sizeof *c);
    qsort(c, m, sizeof *c, cmp_int);
    double h = 0.0;
    for (size_t i = 0; i < m;) {
        size_t j = i;
        while (j < m && c[j] == c[i])
            ++j;
        double p = (double)(j - i) / (double)m;
        h -= p * log(p);
        i = j;
    }
    free(c);
    return h;
}

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
    if (o.labels) {
        size_t n = 0;
        if (load_labels(o.labels, &L.y, &n, err, sizeof err) != 0 ||
            labels_per_input(L.y, n, L.m, L.k, o.labels, err, sizeof err) != 0) {
            fprintf(stderr, PROG ": %s\n", err);
            free(L.s);
            free(L.y);
            return 1;
        }
    }

    gcent_ctx *ctx = NULL;
    int st = gcent_ctx_create(&ctx);
    if (st != GCENT_OK) {
        fprintf(stderr, PROG ": %s\n", gcent_strerror(st));
        free(L.s);
        free(L.y);
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
        free(L.s);
        free(L.y);
        return 1;
    }
    const double unit = o.bits ? log(2.0) : 1.0;
    double hy = L.y ? label_entropy(L.y, L.m) : 0.0;
    if (isnan(hy)) {
        fprintf(stderr, PROG ": out of memory\n");
        gcent_ctx_free(ctx);
        free(L.s);
        free(L.y);
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
        {"h_y", hy / unit, L.y != NULL}, {"width", o.width, 1},
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
    free(L.s);
    free(L.y);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, PROG ": writing the output: %s\n", strerror(errno));
        return 1;
    }
    return 0;
}
