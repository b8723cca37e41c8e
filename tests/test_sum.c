/* The exact accumulator (src/sum.h), directly: the sum of what was added, as
 * a double-double that is a function of the exact value alone; one byte
 * representation per value once normalised; the edges of the double range
 * (subnormals, DBL_MAX, sums beyond it), mixed signs, cancellation to 0,
 * merges of unnormalised accumulators, more additions than the normalisation
 * period, NaN and infinity. References are exact: a double-double that
 * holds the true sum (two_sum / fma products) or a closed form. */
#include <float.h>
#include <string.h>
#include "tests.h"
#include "sum.h"

/* The accumulator's value (hi, lo). */
static void dd_of(gcent__xacc *a, double *hi, double *lo)
{
    gcent__xacc_get_dd(a, hi, lo);
}

/* hi, lo and the canonical bytes of two accumulators agree. */
static void same(gcent__xacc *a, gcent__xacc *b)
{
    double ha, la, hb, lb;
    dd_of(a, &ha, &la);
    dd_of(b, &hb, &lb);
    ck_assert(memcmp(&ha, &hb, sizeof ha) == 0 && memcmp(&la, &lb, sizeof la) == 0);
    ck_assert(memcmp(a, b, sizeof *a) == 0);
}

START_TEST(test_sum_edges)
{
    const double tiny = 4.9406564584124654e-324; /* 2^-1074 */
    gcent__xacc a, z;
    double hi, lo;
    gcent__xacc_zero(&z);
    /* one term comes back exactly, lo = 0 */
    const double one_term[] = {tiny, -tiny, DBL_MIN, -DBL_MAX, DBL_MAX, 1.0, -0.1, 3e-310};
    for (size_t i = 0; i < sizeof one_term / sizeof one_term[0]; ++i) {
        gcent__xacc_zero(&a);
        gcent__xacc_add(&a, one_term[i]);
        dd_of(&a, &hi, &lo);
        ck_assert_msg(hi == one_term[i] && lo == 0.0, "%a: got %a + %a", one_term[i], hi, lo);
    }
    /* subnormal arithmetic is exact */
    gcent__xacc_zero(&a);
    gcent__xacc_add(&a, -DBL_MIN);
    gcent__xacc_add(&a, tiny);
    dd_of(&a, &hi, &lo);
    ck_assert(hi == -DBL_MIN + tiny && lo == 0.0);
    /* far-apart terms of either sign: the double-double keeps both */
    const double big[] = {1.0, -1.0, 1e300, -1e300};
    const double small[] = {0x1p-200, -0x1p-200, 1e-300, -1e-300};
    for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 4; ++j) {
            gcent__xacc_zero(&a);
            gcent__xacc_add(&a, small[j]);
            gcent__xacc_add(&a, big[i]);
            dd_of(&a, &hi, &lo);
            ck_assert_msg(hi == big[i] && lo == small[j], "%a + %a: %a + %a", big[i], small[j],
                          hi, lo);
        }
    /* cancellation to exactly 0: the bytes of a fresh accumulator, 0 + 0 */
    gcent__xacc_zero(&a);
    gcent__xacc_add(&a, 1e300);
    gcent__xacc_add(&a, 1e-300);
    gcent__xacc_add(&a, -1e300);
    gcent__xacc_add(&a, DBL_MAX);
    gcent__xacc_add(&a, -1e-300);
    gcent__xacc_add(&a, -DBL_MAX);
    dd_of(&a, &hi, &lo);
    ck_assert(hi == 0.0 && lo == 0.0 && !signbit(hi));
    ck_assert(memcmp(&a, &z, sizeof a) == 0);
    /* a NaN or an infinity anywhere makes the sum NaN, in any order */
    const double bad[] = {NAN, INFINITY, -INFINITY};
    for (int i = 0; i < 3; ++i) {
        gcent__xacc_zero(&a);
        gcent__xacc_add(&a, 2.0);
        gcent__xacc_add(&a, bad[i]);
        gcent__xacc_add(&a, -2.0);
        dd_of(&a, &hi, &lo);
        ck_assert(isnan(hi) && isnan(lo));
    }
}
END_TEST

/* Sums beyond the double range round to infinity of their sign, as IEEE
 * addition does (DBL_MAX plus half an ulp of it is the first such value),
 * and come back when cancelled. */
START_TEST(test_sum_overflow)
{
    gcent__xacc a;
    double hi, lo;
    for (int sgn = -1; sgn <= 1; sgn += 2) {
        gcent__xacc_zero(&a);
        gcent__xacc_add(&a, sgn * DBL_MAX);
        gcent__xacc_add(&a, sgn * DBL_MAX);
        dd_of(&a, &hi, &lo);
        ck_assert_msg(hi == sgn * INFINITY && lo == 0.0, "2 * %g DBL_MAX: %g + %g", (double)sgn,
                      hi, lo);
        /* DBL_MAX + ulp(DBL_MAX) / 2 rounds (to even) to 2^1024 */
        gcent__xacc_zero(&a);
        gcent__xacc_add(&a, sgn * DBL_MAX);
        gcent__xacc_add(&a, sgn * 0x1p970);
        dd_of(&a, &hi, &lo);
        ck_assert_msg(hi == sgn * INFINITY && lo == 0.0, "tie: %g + %g", hi, lo);
        /* just below it: finite */
        gcent__xacc_zero(&a);
        gcent__xacc_add(&a, sgn * DBL_MAX);
        gcent__xacc_add(&a, sgn * 0x1p969);
        dd_of(&a, &hi, &lo);
        ck_assert(hi == sgn * DBL_MAX && lo == sgn * 0x1p969);
        /* back into range */
        gcent__xacc_zero(&a);
        for (int i = 0; i < 5; ++i)
            gcent__xacc_add(&a, sgn * DBL_MAX);
        for (int i = 0; i < 4; ++i)
            gcent__xacc_add(&a, -sgn * DBL_MAX);
        dd_of(&a, &hi, &lo);
        ck_assert(hi == sgn * DBL_MAX && lo == 0.0);
    }
}
END_TEST

/* Equal sums, equal bytes: any order and any grouping into merged
 * accumulators (normalised or not) give the same bytes and the same value. */
START_TEST(test_sum_canonical)
{
    enum { N = 3000 };
    static double x[N];
    uint64_t rng = 99;
    for (int i = 0; i < N; ++i) {
        double u = gt_lcg01(&rng);
        int e = (int)(gt_lcg01(&rng) * 2000.0) - 1000;
        x[i] = ldexp(u - 0.5, e % 64 == 0 ? e : e / 16); /* mostly moderate, some extreme */
    }
    gcent__xacc ref, a, b, parts[7];
    gcent__xacc_zero(&ref);
    for (int i = 0; i < N; ++i)
        gcent__xacc_add(&ref, x[i]);
    gcent__xacc_normalise(&ref);
    for (int trial = 0; trial < 20; ++trial) {
        for (int p = 0; p < 7; ++p)
            gcent__xacc_zero(&parts[p]);
        /* a random part per term, terms taken in reverse or forward order */
        for (int t = 0; t < N; ++t) {
            int i = trial % 2 ? t : N - 1 - t;
            gcent__xacc_add(&parts[(int)(gt_lcg01(&rng) * 7)], x[i]);
        }
        /* merged in a random order; a copy of ref's value to compare with */
        gcent__xacc_zero(&a);
        for (int p = 6; p >= 0; --p)
            gcent__xacc_merge(&a, &parts[(p + trial) % 7]);
        b = ref;
        same(&a, &b);
    }
    /* negative total */
    gcent__xacc_zero(&a);
    gcent__xacc_zero(&b);
    for (int i = 0; i < N; ++i) {
        gcent__xacc_add(&a, -x[i]);
        gcent__xacc_add(&b, -x[N - 1 - i]);
    }
    gcent__xacc_merge(&b, &a); /* 2 * (-sum) */
    gcent__xacc_zero(&a);
    gcent__xacc_merge(&a, &ref);
    gcent__xacc_merge(&a, &ref);
    double ha, la, hb, lb;
    dd_of(&a, &ha, &la);
    dd_of(&b, &hb, &lb);
    ck_assert(ha == -hb && la == -lb && ha != 0.0);
    /* exact products: x y and x y z are held exactly */
    gcent__xacc_zero(&a);
    gcent__xacc_add_prod(&a, 1.0 + 0x1p-52, 1.0 - 0x1p-52); /* 1 - 2^-104 */
    dd_of(&a, &ha, &la);
    ck_assert(ha == 1.0 && la == -0x1p-104);
}
END_TEST

/* More additions than the normalisation period (2^30), each moving a digit
 * by 2^32 - 1 (53 one bits, 20 bits into a digit): without the periodic
 * normalisation that digit would pass 2^63 after 2^31 + 2 additions. The
 * limbs never overflow (UBSan in make check-asan would say so) and the sum
 * is the exact product. */
START_TEST(test_sum_many)
{
    const uint64_t count = (UINT64_C(1) << 31) + 77u;
    const double x = -0x1.fffffffffffffp54; /* (2^53 - 1) 2^2: bits 1076 .. 1128 */
    const double n = (double)count;
    gcent__xacc a;
    gcent__xacc_zero(&a);
    for (uint64_t i = 0; i < count; ++i)
        gcent__xacc_add(&a, x);
    const double p = x * n, e = fma(x, n, -p);
    double hi, lo;
    gcent__xacc_get_dd(&a, &hi, &lo);
    ck_assert_msg(hi == p && lo == e, "%a + %a, want %a + %a", hi, lo, p, e);
}
END_TEST

Suite *suite_sum(void)
{
    Suite *s = suite_create("sum");
    TCase *tc = gt_tcase(s, "exact", 30);
    tcase_add_test(tc, test_sum_edges);
    tcase_add_test(tc, test_sum_overflow);
    tcase_add_test(tc, test_sum_canonical);
    TCase *lt = gt_tcase(s, "many", 120);
    tcase_set_tags(lt, "long"); /* 2^31 additions: seconds natively, not under Valgrind */
    tcase_add_test(lt, test_sum_many);
    return s;
}
