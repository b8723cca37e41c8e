/* szt12.h: the 12-bit data set of the Information Bottleneck experiments
 * (Shwartz-Ziv & Tishby 2017), regenerated from a formula, plus a reader for
 * a CSV copy of the original. Header-only: every function is static.
 *
 * The original set is not redistributable, so the examples build an equivalent
 * one (DESIGN.md section 5):
 *
 *   - Bit j (j = 0..11, x1..x12) sits on vertex v_j of a regular icosahedron
 *     inscribed in the unit sphere. The vertices are the cyclic permutations of
 *     (0, +-1, +-phi), phi = (1 + sqrt 5) / 2, divided by sqrt(1 + phi^2), in
 *     the order of szt12_vertex() below.
 *   - The score of a pattern x is
 *
 *         s(x) = |x| + || sum_{j : x_j = 1} v_j ||
 *
 *     where |x| is the number of ones and the second term is the length of the
 *     resultant of the "on" vertices (0 <= it <= |x|; it is large when the ones
 *     crowd on one side of the sphere, 0 when they balance). Both terms are
 *     unchanged by every rotation of the icosahedron onto itself, so the label
 *     is a rotation-invariant function of the pattern, as in the original.
 *   - The label is y = 1 if s(x) > 7.65, else 0. (The nearest score to the
 *     threshold is 0.05 away, so rounding cannot flip a label.)
 *
 * Consequences (binning_resolution prints these counts for its data): all
 * patterns with <= 4 ones are labelled 0 (4 + max resultant 2.75 < 7.65), all
 * with >= 8 ones are labelled 1, and the 5-, 6- and 7-one patterns are mixed:
 * 60 of 792, 532 of 924 and 732 of 792 positives, 2118 of 4096 (51.7%) in all.
 * These are the same counts as in the original file; whether the same patterns
 * are positive depends on how its bits were placed on the sphere, which is not
 * recorded.
 *
 * Layout (both sources): n rows in binary counting order for the generator
 * (row r holds the bits of r, x1 the most significant), inputs stored as the
 * doubles 0.0 and 1.0 (as in the paper; not +-1), labels as int 0 or 1. */
#ifndef SZT12_H
#define SZT12_H

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SZT12_BITS 12
#define SZT12_ROWS 4096
#define SZT12_THRESHOLD 7.65

typedef struct szt12_data {
    size_t n;  /* rows */
    double *x; /* n x 12, row-major: x[r * 12 + j] is bit x_{j+1}, 0.0 or 1.0 */
    int *y;    /* n labels, 0 or 1 */
} szt12_data;

static inline void szt12_free(szt12_data *d)
{
    free(d->x);
    free(d->y);
    d->x = NULL;
    d->y = NULL;
    d->n = 0;
}

/* Vertex j (0..11) of the icosahedron, unit length: j / 4 picks the cyclic
 * position of the zero, j % 4 the signs (++, +-, -+, --) of the 1 and phi. */
static inline void szt12_vertex(int j, double v[3])
{
    const double phi = (1.0 + sqrt(5.0)) / 2.0, norm = sqrt(1.0 + phi * phi);
    double a = (j & 2) ? -1.0 : 1.0, b = (j & 1) ? -phi : phi;
    double p[3] = {0.0, a, b};
    int shift = j / 4; /* (0, a, b), (a, b, 0), (b, 0, a) */
    for (int c = 0; c < 3; ++c)
        v[c] = p[(c + shift) % 3] / norm;
}

/* s(pattern) = popcount + length of the sum of the on vertices; bit j of the
 * pattern is x_{j+1} counted from the most significant of 12 bits. */
static inline double szt12_score(unsigned pattern)
{
    double sum[3] = {0.0, 0.0, 0.0};
    int ones = 0;
    for (int j = 0; j < SZT12_BITS; ++j)
        if ((pattern >> (SZT12_BITS - 1 - j)) & 1u) {
            double v[3];
            szt12_vertex(j, v);
            for (int c = 0; c < 3; ++c)
                sum[c] += v[c];
            ++ones;
        }
    return ones + sqrt(sum[0] * sum[0] + sum[1] * sum[1] + sum[2] * sum[2]);
}

/* The generated set: 4096 rows in binary counting order. 0 on success, -1 if
 * out of memory (then *d is empty). */
static inline int szt12_generate(szt12_data *d)
{
    d->n = SZT12_ROWS;
    d->x = malloc(SZT12_ROWS * SZT12_BITS * sizeof *d->x);
    d->y = malloc(SZT12_ROWS * sizeof *d->y);
    if (d->x == NULL || d->y == NULL) {
        szt12_free(d);
        return -1;
    }
    for (unsigned r = 0; r < SZT12_ROWS; ++r) {
        for (int j = 0; j < SZT12_BITS; ++j)
            d->x[r * SZT12_BITS + j] = (double)((r >> (SZT12_BITS - 1 - j)) & 1u);
        d->y[r] = szt12_score(r) > SZT12_THRESHOLD;
    }
    return 0;
}

/* Trim spaces (and one pair of double quotes) around s in place. */
static inline char *szt12_trim(char *s)
{
    while (isspace((unsigned char)*s))
        ++s;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    if (e - s >= 2 && s[0] == '"' && e[-1] == '"') {
        e[-1] = '\0';
        ++s;
    }
    return s;
}

/* Read a CSV with the header x1,...,x12,y (exactly these columns, in this
 * order) and one row per pattern:
 * twelve inputs that are 0 or 1 and a label that is 0 or 1 (written as
 * integers or as reals such as 1.0). Blank lines are skipped; CRLF line ends
 * and a UTF-8 byte order mark are accepted.
 * Returns 0 and fills *d (rows in file order), or -1 with a one-line reason
 * "FILE:LINE: ..." in err (errlen bytes) and *d empty. */
static inline int szt12_read_csv(const char *path, szt12_data *d, char *err, size_t errlen)
{
    d->n = 0;
    d->x = NULL;
    d->y = NULL;
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0, rows_cap = 0;
    long lineno = 0;
    int header_seen = 0, ok = 1;
    ssize_t len;
    while (ok && (len = getline(&line, &cap, f)) != -1) {
        ++lineno;
        if ((size_t)len != strlen(line)) {
            snprintf(err, errlen, "%s:%ld: NUL byte in the line", path, lineno);
            ok = 0;
            break;
        }
        char *s = line;
        if (lineno == 1 && strncmp(s, "\xEF\xBB\xBF", 3) == 0)
            s += 3; /* UTF-8 byte order mark */
        s = szt12_trim(s);
        if (*s == '\0')
            continue;
        char *field[SZT12_BITS + 2];
        int nf = 0;
        for (char *p = s;;) { /* split on commas, keep an extra slot to detect excess */
            char *comma = strchr(p, ',');
            if (nf < SZT12_BITS + 2)
                field[nf] = p;
            ++nf;
            if (comma == NULL)
                break;
            *comma = '\0';
            p = comma + 1;
        }
        if (nf != SZT12_BITS + 1) {
            snprintf(err, errlen, "%s:%ld: expected %d comma-separated fields, found %d",
                     path, lineno, SZT12_BITS + 1, nf);
            ok = 0;
            break;
        }
        if (!header_seen) {
            for (int j = 0; j <= SZT12_BITS && ok; ++j) {
                char want[16];
                if (j < SZT12_BITS)
                    snprintf(want, sizeof want, "x%d", j + 1);
                else
                    snprintf(want, sizeof want, "y");
                const char *got = szt12_trim(field[j]);
                if (strcmp(got, want) != 0) {
                    snprintf(err, errlen, "%s:%ld: header column %d is \"%.40s\", expected "
                             "\"%s\" (the header must be x1,...,x12,y)", path, lineno, j + 1,
                             got, want);
                    ok = 0;
                }
            }
            header_seen = 1;
            continue;
        }
        if (d->n == rows_cap) {
            size_t nc = rows_cap ? 2 * rows_cap : SZT12_ROWS;
            double *nx = realloc(d->x, nc * SZT12_BITS * sizeof *nx);
            if (nx != NULL)
                d->x = nx;
            int *ny = realloc(d->y, nc * sizeof *ny);
            if (ny != NULL)
                d->y = ny;
            if (nx == NULL || ny == NULL) {
                snprintf(err, errlen, "%s:%ld: out of memory", path, lineno);
                ok = 0;
                break;
            }
            rows_cap = nc;
        }
        for (int j = 0; j <= SZT12_BITS; ++j) {
            char *txt = szt12_trim(field[j]), *end = NULL;
            errno = 0;
            double v = strtod(txt, &end);
            if (*txt == '\0' || *end != '\0' || errno != 0 || !(v == 0.0 || v == 1.0)) {
                char name[16] = "y";
                if (j < SZT12_BITS)
                    snprintf(name, sizeof name, "x%d", j + 1);
                snprintf(err, errlen, "%s:%ld: column %s is \"%.40s\", expected 0 or 1",
                         path, lineno, name, txt);
                ok = 0;
                break;
            }
            if (j < SZT12_BITS)
                d->x[d->n * SZT12_BITS + j] = v;
            else
                d->y[d->n] = (int)v;
        }
        if (ok)
            d->n++;
    }
    if (ok && ferror(f)) {
        snprintf(err, errlen, "%s: read error: %s", path, strerror(errno));
        ok = 0;
    }
    if (ok && !header_seen) {
        snprintf(err, errlen, "%s: empty file (expected the header x1,...,x12,y)", path);
        ok = 0;
    }
    if (ok && d->n == 0) {
        snprintf(err, errlen, "%s: no data rows after the header", path);
        ok = 0;
    }
    free(line);
    fclose(f);
    if (!ok) {
        szt12_free(d);
        return -1;
    }
    return 0;
}

#endif /* SZT12_H */
