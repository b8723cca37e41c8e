/* szt12.c: the 12-bit data set of szt12.h -- the generator (icosahedron
 * score and threshold) and the CSV reader. What the set is and why is told in
 * szt12.h. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* getline */
#endif
#include "szt12.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

void szt12_free(szt12_data *d)
{
    free(d->x);
    free(d->y);
    d->x = NULL;
    d->y = NULL;
    d->n = 0;
}

void szt12_vertex(int j, double v[3])
{
    const double phi = (1.0 + sqrt(5.0)) / 2.0, norm = sqrt(1.0 + phi * phi);
    double a = (j & 2) ? -1.0 : 1.0, b = (j & 1) ? -phi : phi;
    double p[3] = {0.0, a, b};
    int shift = j / 4; /* (0, a, b), (a, b, 0), (b, 0, a) */
    for (int c = 0; c < 3; ++c)
        v[c] = p[(c + shift) % 3] / norm;
}

double szt12_score(unsigned pattern)
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

int szt12_generate(szt12_data *d)
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
static char *trim(char *s)
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

int szt12_read_csv(const char *path, szt12_data *d, char *err, size_t errlen)
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
        s = trim(s);
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
                const char *got = trim(field[j]);
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
            char *txt = trim(field[j]), *end = NULL;
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
