/* The counter-based generator (gcent/rng.h): Philox4x32-10 known answers,
 * the documented construction of the normal variates, and their moments. */
#include <stdlib.h>
#include <string.h>
#include "tests.h"

/* Random123 known-answer vectors for philox4x32-10 (kat_vectors). */
START_TEST(test_philox_kat)
{
    static const struct { uint32_t ctr[4], key[2], out[4]; } kat[] = {
        {{0u, 0u, 0u, 0u}, {0u, 0u},
         {0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u}},
        {{0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu}, {0xffffffffu, 0xffffffffu},
         {0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu}},
        {{0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u}, {0xa4093822u, 0x299f31d0u},
         {0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u}},
    };
    for (size_t t = 0; t < sizeof kat / sizeof kat[0]; ++t) {
        uint32_t out[4] = {0, 0, 0, 0};
        gcent_philox4x32_10(kat[t].ctr, kat[t].key, out);
        for (int i = 0; i < 4; ++i)
            ck_assert_msg(out[i] == kat[t].out[i], "KAT %zu word %d: %08x != %08x", t, i,
                          (unsigned)out[i], (unsigned)kat[t].out[i]);
    }
}
END_TEST

/* The documented construction, recomputed from gcent_philox4x32_10:
 * variates 2b, 2b+1 of (seed, stream) come from the block with counter
 * (b mod 2^32, b / 2^32, stream mod 2^32, stream / 2^32) and key
 * (seed mod 2^32, seed / 2^32); u1 = (top 53 bits of words 1:0, + 1) / 2^53
 * in (0,1], u2 = (top 53 bits of words 3:2) / 2^53 in [0,1), Box-Muller.
 * (The header says "its words form two 53-bit uniforms"; the word order and
 * bit selection used here are the natural reading and are what we pin.)
 * Tolerance 1e-13: same formula, only libm/contraction differences allowed. */
static void ref_pair(uint64_t seed, uint64_t stream, uint64_t b, double z[2])
{
    const uint32_t ctr[4] = {(uint32_t)b, (uint32_t)(b >> 32), (uint32_t)stream,
                             (uint32_t)(stream >> 32)};
    const uint32_t key[2] = {(uint32_t)seed, (uint32_t)(seed >> 32)};
    uint32_t o[4];
    gcent_philox4x32_10(ctr, key, o);
    uint64_t a = ((uint64_t)o[1] << 32) | o[0];
    uint64_t c = ((uint64_t)o[3] << 32) | o[2];
    double u1 = (double)((a >> 11) + 1) / 9007199254740992.0;
    double u2 = (double)(c >> 11) / 9007199254740992.0;
    double r = sqrt(-2.0 * log(u1));
    double th = 2.0 * 3.14159265358979323846 * u2;
    z[0] = r * cos(th);
    z[1] = r * sin(th);
}

START_TEST(test_normals_construction)
{
    /* high words of seed, stream and block index all non-zero */
    static const struct { uint64_t seed, stream, block; } cases[] = {
        {0u, 0u, 0u},
        {12345u, 3u, 17u},
        {0x0000000500000009ull, 0x0000000100000002ull, 0x0000000300000004ull},
        {0x001fffffffffffffull, (1ull << 32) + 5u, 1ull << 33},
    };
    for (size_t t = 0; t < sizeof cases / sizeof cases[0]; ++t) {
        double ref[2], got[2] = {NAN, NAN};
        ref_pair(cases[t].seed, cases[t].stream, cases[t].block, ref);
        gcent_rng_normals(cases[t].seed, cases[t].stream, 2 * cases[t].block, 2, got);
        ck_assert_double_eq_tol(got[0], ref[0], 1e-13);
        ck_assert_double_eq_tol(got[1], ref[1], 1e-13);
        /* the odd variate alone (odd start) */
        double odd = NAN;
        gcent_rng_normals(cases[t].seed, cases[t].stream, 2 * cases[t].block + 1, 1, &odd);
        ck_assert(odd == got[1]);
    }
}
END_TEST

/* start/count consistency: any window equals the same slice of a longer
 * run (bitwise: each variate is a pure function of its index). */
START_TEST(test_normals_windows)
{
    double all[64], part[64];
    gcent_rng_normals(7u, 11u, 0u, 64, all);
    gcent_rng_normals(7u, 11u, 5u, 5, part);
    ck_assert(memcmp(part, all + 5, 5 * sizeof(double)) == 0);
    for (uint64_t start = 0; start < 20; ++start)
        for (size_t count = 1; count + start <= 64 && count < 30; count += 3) {
            for (size_t i = 0; i < 64; ++i)
                part[i] = -99.0;
            gcent_rng_normals(7u, 11u, start, count, part);
            ck_assert_msg(memcmp(part, all + start, count * sizeof(double)) == 0,
                          "window start %u count %zu differs", (unsigned)start, count);
            ck_assert(part[count] == -99.0); /* wrote exactly count values */
        }
    /* count 0 / out NULL: nothing written, no crash */
    part[0] = -99.0;
    gcent_rng_normals(7u, 11u, 0u, 0, part);
    ck_assert(part[0] == -99.0);
    gcent_rng_normals(7u, 11u, 0u, 10, NULL);
    /* different seeds and streams differ */
    double other[8];
    gcent_rng_normals(8u, 11u, 0u, 8, other);
    ck_assert(memcmp(other, all, sizeof other) != 0);
    gcent_rng_normals(7u, 12u, 0u, 8, other);
    ck_assert(memcmp(other, all, sizeof other) != 0);
    gcent_rng_normals(7u, 11u + (1ull << 32), 0u, 8, other);
    ck_assert(memcmp(other, all, sizeof other) != 0);
}
END_TEST

/* Moments of 1e6 normals: mean within 5/sqrt(n) (sd of the mean is
 * 1/sqrt(n)), variance within 5*sqrt(2/n) (sd of the sample variance of
 * N(0,1) is sqrt(2/n)); also every value finite. */
START_TEST(test_normals_moments)
{
    const size_t n = 1000000;
    double *z = malloc(n * sizeof *z);
    ck_assert_ptr_nonnull(z);
    gcent_rng_normals(2024u, 1u, 0u, n, z);
    double sum = 0.0;
    size_t nonfinite = 0;
    for (size_t i = 0; i < n; ++i) {
        nonfinite += !isfinite(z[i]);
        sum += z[i];
    }
    ck_assert_uint_eq(nonfinite, 0);
    double mean = sum / (double)n, ss = 0.0;
    for (size_t i = 0; i < n; ++i)
        ss += (z[i] - mean) * (z[i] - mean);
    double var = ss / (double)(n - 1);
    ck_assert_double_le(fabs(mean), 5.0 / sqrt((double)n));
    ck_assert_double_le(fabs(var - 1.0), 5.0 * sqrt(2.0 / (double)n));
    free(z);
}
END_TEST

Suite *suite_rng(void)
{
    Suite *s = suite_create("rng");
    TCase *tc = gt_tcase(s, "core", 30);
    tcase_add_test(tc, test_philox_kat);
    tcase_add_test(tc, test_normals_construction);
    tcase_add_test(tc, test_normals_windows);
    tcase_add_test(tc, test_normals_moments);
    return s;
}
