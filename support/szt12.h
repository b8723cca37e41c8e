/* szt12.h: the 12-bit data set of the Information Bottleneck experiments
 * (Shwartz-Ziv & Tishby 2017), regenerated from a formula, plus a reader for
 * a CSV copy of the original. Declarations here, code in szt12.c (link it, or
 * the support archive of the build, with the program).
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

#include <stddef.h>

#define SZT12_BITS 12
#define SZT12_ROWS 4096
#define SZT12_THRESHOLD 7.65

typedef struct szt12_data {
    size_t n;  /* rows */
    double *x; /* n x 12, row-major: x[r * 12 + j] is bit x_{j+1}, 0.0 or 1.0 */
    int *y;    /* n labels, 0 or 1 */
} szt12_data;

/* Free the rows of *d and leave it empty (n = 0, NULL arrays); an empty *d is
 * fine. */
void szt12_free(szt12_data *d);

/* Vertex j (0..11) of the icosahedron, unit length: j / 4 picks the cyclic
 * position of the zero, j % 4 the signs (++, +-, -+, --) of the 1 and phi. */
void szt12_vertex(int j, double v[3]);

/* s(pattern) = popcount + length of the sum of the on vertices; bit j of the
 * pattern is x_{j+1} counted from the most significant of 12 bits. */
double szt12_score(unsigned pattern);

/* The generated set: 4096 rows in binary counting order. 0 on success, -1 if
 * out of memory (then *d is empty). */
int szt12_generate(szt12_data *d);

/* Read a CSV with the header x1,...,x12,y (exactly these columns, in this
 * order) and one row per pattern:
 * twelve inputs that are 0 or 1 and a label that is 0 or 1 (written as
 * integers or as reals such as 1.0). Blank lines are skipped; CRLF line ends
 * and a UTF-8 byte order mark are accepted.
 * Returns 0 and fills *d (rows in file order), or -1 with a one-line reason
 * "FILE:LINE: ..." in err (errlen bytes) and *d empty. */
int szt12_read_csv(const char *path, szt12_data *d, char *err, size_t errlen);

#endif /* SZT12_H */
