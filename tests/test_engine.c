/* The engine keeps its behaviour: every result of the regression cases
 * (tests/ref/engine_cases.c) within 1e-12 relative of the values the library
 * gave before the one-engine redesign (tests/data/engine_ref.txt, written by
 * tests/ref/gen_engine_ref.c with that library): the same estimator on the
 * same draws. One exception, stated: the error bounds of the quadrature
 * (the se of entropy_auto and mi_quad cases, below 1e-12 themselves) are
 * sums of differences at the rounding level, which the static
 * Gauss-Legendre table and the kernel's exponential move in their last
 * bits: for them the test allows 1e-15 absolute (measured: 1.2e-16). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests.h"
#include "engine_cases.h"

#define REF_PATH "tests/data/engine_ref.txt"
#define REF_MAX 400

typedef struct {
    char name[REF_MAX][160];
    double v[REF_MAX][6];
    size_t nv[REF_MAX];
    size_t n, next;
    double worst;
    char worst_name[200];
    int mismatches;
} ref_table;

static void load(ref_table *t)
{
    FILE *f = fopen(REF_PATH, "r");
    ck_assert_msg(f != NULL, "cannot open %s (run the suite from the top directory)", REF_PATH);
    char line[512];
    t->n = 0;
    while (fgets(line, sizeof line, f) && t->n < REF_MAX) {
        char *bar = strchr(line, '|');
        ck_assert_ptr_nonnull(bar);
        *bar = '\0';
        ck_assert_uint_lt(strlen(line), sizeof t->name[0]);
        memcpy(t->name[t->n], line, strlen(line) + 1);
        size_t nv = 0;
        char *p = bar + 1, *end;
        for (double x = strtod(p, &end); end != p && nv < 6; x = strtod(p, &end)) {
            t->v[t->n][nv++] = x;
            p = end;
        }
        t->nv[t->n++] = nv;
    }
    fclose(f);
}

static void compare(void *user, const char *name, const double *v, size_t nv)
{
    ref_table *t = user;
    ck_assert_uint_lt(t->next, t->n);
    const size_t i = t->next++;
    ck_assert_msg(strcmp(name, t->name[i]) == 0, "case %zu is '%s', the reference has '%s'", i,
                  name, t->name[i]);
    ck_assert_uint_eq(nv, t->nv[i]);
    for (size_t j = 0; j < nv; ++j) {
        double ref = t->v[i][j];
        double rel = ref == v[j] ? 0.0 : fabs(v[j] - ref) / fabs(ref);
        const int quad_bound = j % 2 == 1 && (strncmp(name, "entropy_auto", 12) == 0 ||
                                              strncmp(name, "mi_quad", 7) == 0);
        if (quad_bound && fabs(v[j] - ref) <= 1e-15)
            rel = 0.0;
        if (rel > t->worst) {
            t->worst = rel;
            snprintf(t->worst_name, sizeof t->worst_name, "%s [%zu]", name, j);
        }
        if (!(rel <= 1e-12))
            ++t->mismatches;
    }
}

START_TEST(test_engine_same_values)
{
    static ref_table t;
    memset(&t, 0, sizeof t);
    load(&t);
    ck_assert_uint_gt(t.n, 200);
    ck_assert_int_eq(gt_engine_cases(compare, &t), 0);
    ck_assert_uint_eq(t.next, t.n);
    ck_assert_msg(t.mismatches == 0, "%d values differ by more than 1e-12 relative; worst %.3g at %s",
                  t.mismatches, t.worst, t.worst_name);
}
END_TEST

Suite *suite_engine(void)
{
    Suite *s = suite_create("engine");
    TCase *tc = gt_tcase(s, "regression", 120);
    tcase_set_tags(tc, "long"); /* about 500 Monte Carlo calls: not under Valgrind */
    tcase_add_test(tc, test_engine_same_values);
    return s;
}
