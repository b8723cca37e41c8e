/* The .npy reader of the examples (support/npy.h), on real files written by
 * NumPy (tests/data/npy, made by make_fixtures.py there).
 *
 * Well-formed files: every element is compared bit for bit with the formula
 * the script used (F64, F32, LS, LU, LB; see make_fixtures.py), evaluated
 * here with the same integer arithmetic. Malformed files: each must fail with
 * a one-line reason naming the problem and leave the output untouched; every
 * truncation and every single-byte corruption of a valid file is tried in
 * memory too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests.h"
#include "../support/npy.h"

#ifndef NPY_FIXTURES
#define NPY_FIXTURES "tests/data/npy/"
#endif

/* ---- the formulas of make_fixtures.py ------------------------------------------- */

static double f64(uint64_t i)
{
    return (double)((i * UINT64_C(0x9E3779B97F4A7C15)) >> 11) * 0x1p-53 - 0.5;
}

static double f32(uint64_t i)
{
    return (double)((uint32_t)(i * UINT64_C(2654435761)) >> 8) * 0x1p-24 - 0.5;
}

static double ls(uint64_t i) { return (double)(i % 5) - 2.0; }
static double lu(uint64_t i) { return (double)(3 * i % 7); }
static double lb(uint64_t i) { return i % 3 == 0 ? 1.0 : 0.0; }

static int same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* ---- helpers ---------------------------------------------------------------------- */

static void fixture(char *buf, size_t len, const char *name)
{
    ck_assert_int_lt(snprintf(buf, len, "%s%s", NPY_FIXTURES, name), (int)len);
}

/* The bytes of a fixture (malloc'd). */
static unsigned char *read_fixture(const char *name, size_t *len)
{
    char p[512];
    fixture(p, sizeof p, name);
    FILE *f = fopen(p, "rb");
    ck_assert_msg(f != NULL, "cannot open %s (run the suite from the source root)", p);
    ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    ck_assert_int_ge(n, 0);
    rewind(f);
    unsigned char *b = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(b);
    ck_assert_uint_eq(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return b;
}

static int one_line(const char *s)
{
    return s[0] != '\0' && strchr(s, '\n') == NULL;
}

/* Load a fixture that must be accepted; checks the error text is empty. */
static npy_array load_ok(const char *name, unsigned accept)
{
    char p[512], err[256] = "junk";
    npy_array a;
    fixture(p, sizeof p, name);
    int st = npy_load_ex(p, accept, &a, err, sizeof err);
    ck_assert_msg(st == 0, "%s: %s", name, err);
    ck_assert_str_eq(err, "");
    ck_assert((a.count == 0) == (a.data == NULL));
    return a;
}

/* Load a fixture that must be refused with a message containing `want`
 * (after the "path: " prefix); *out must stay untouched. */
static void load_err(const char *name, unsigned accept, const char *want)
{
    char p[512], err[256];
    npy_array a, before;
    memset(&a, 0x5a, sizeof a);
    before = a;
    fixture(p, sizeof p, name);
    int st = npy_load_ex(p, accept, &a, err, sizeof err);
    ck_assert_msg(st == -1, "%s: accepted", name);
    ck_assert_msg(memcmp(&a, &before, sizeof a) == 0, "%s: output written on error", name);
    ck_assert_msg(one_line(err), "%s: message \"%s\" is not one line", name, err);
    ck_assert_msg(strncmp(err, p, strlen(p)) == 0, "%s: message lacks the path: %s", name, err);
    ck_assert_msg(strstr(err, want) != NULL, "%s: message \"%s\" lacks \"%s\"", name, err,
                  want);
}

static void check_shape(const npy_array *a, size_t ndim, size_t s0, size_t s1, size_t s2)
{
    ck_assert_uint_eq(a->ndim, ndim);
    ck_assert_uint_eq(a->shape[0], s0);
    ck_assert_uint_eq(a->shape[1], s1);
    ck_assert_uint_eq(a->shape[2], s2);
    ck_assert_uint_eq(a->count, s0 * s1 * s2);
}

static void check_values(const npy_array *a, double (*formula)(uint64_t), const char *name)
{
    for (size_t i = 0; i < a->count; ++i)
        ck_assert_msg(same_bits(a->data[i], formula(i)), "%s[%zu] = %a, expected %a", name, i,
                      a->data[i], formula(i));
}

/* ---- well-formed float arrays ---------------------------------------------------- */

static const struct {
    const char *name;
    int version;
    size_t ndim, s0, s1, s2;
    int single; /* float32 (F32 values) */
} float_files[] = {
    {"f8_v1_2d.npy", 1, 2, 5, 3, 1, 0},  {"f4_v1_2d.npy", 1, 2, 4, 6, 1, 1},
    {"f8_v2_1d.npy", 2, 1, 7, 1, 1, 0},  {"f4_v2_3d.npy", 2, 3, 2, 3, 2, 1},
    {"f8_v3_3d.npy", 3, 3, 2, 3, 4, 0},  {"f4_v3_1d.npy", 3, 1, 5, 1, 1, 1},
    {"f8_scalar.npy", 1, 0, 1, 1, 1, 0}, {"hdr_ok_handmade.npy", 1, 2, 2, 3, 1, 0},
    {"hdr_ok_double_quotes.npy", 1, 2, 2, 3, 1, 0},
    {"hdr_ok_py2_long.npy", 1, 2, 2, 3, 1, 0},
};

START_TEST(test_float_files)
{
    const char *name = float_files[_i].name;
    npy_array a = load_ok(name, NPY_ACCEPT_FLOAT);
    ck_assert_int_eq(a.version, float_files[_i].version);
    check_shape(&a, float_files[_i].ndim, float_files[_i].s0, float_files[_i].s1,
                float_files[_i].s2);
    ck_assert_int_eq(a.kind, 'f');
    ck_assert_uint_eq(a.itemsize, float_files[_i].single ? 4 : 8);
    check_values(&a, float_files[_i].single ? f32 : f64, name);
    npy_free(&a);
    ck_assert_ptr_null(a.data);
    ck_assert_uint_eq(a.count, 0);
}
END_TEST

/* The plain npy_parse / npy_load accept the same files with the same values. */
START_TEST(test_parse_equals_load)
{
    size_t len;
    unsigned char *buf = read_fixture("f4_v2_3d.npy", &len);
    npy_array a, b;
    char err[128], p[512];
    ck_assert_int_eq(npy_parse(buf, len, &a, err, sizeof err), 0);
    fixture(p, sizeof p, "f4_v2_3d.npy");
    ck_assert_int_eq(npy_load(p, &b, err, sizeof err), 0);
    ck_assert_uint_eq(a.count, 12);
    ck_assert_uint_eq(b.count, 12);
    ck_assert(memcmp(a.data, b.data, 12 * sizeof(double)) == 0);
    check_values(&a, f32, "f4_v2_3d.npy");
    npy_free(&a);
    npy_free(&b);
    free(buf);
}
END_TEST

/* Element [r][c] of the C-order copy of a transposed (3, 5) array. */
START_TEST(test_c_order)
{
    npy_array a = load_ok("f8_transposed.npy", NPY_ACCEPT_FLOAT);
    check_shape(&a, 2, 5, 3, 1);
    for (size_t r = 0; r < 5; ++r)
        for (size_t c = 0; c < 3; ++c)
            ck_assert(same_bits(a.data[r * 3 + c], f64(c * 5 + r)));
    npy_free(&a);
}
END_TEST

START_TEST(test_specials)
{
    npy_array a = load_ok("f8_specials.npy", NPY_ACCEPT_FLOAT);
    const double want[7] = {0.0, -0.0, 0x1p-1074, -0x1p-1022, 0x1.fffffffffffffp+1023,
                            INFINITY, -INFINITY};
    check_shape(&a, 1, 8, 1, 1);
    for (int i = 0; i < 7; ++i)
        ck_assert_msg(same_bits(a.data[i], want[i]), "f8 special %d: %a", i, a.data[i]);
    ck_assert(isnan(a.data[7]));
    npy_free(&a);

    a = load_ok("f4_specials.npy", NPY_ACCEPT_FLOAT);
    const double want4[7] = {0.0, -0.0, 0x1p-149, -0x1p-126, 0x1.fffffep+127, INFINITY,
                             -INFINITY};
    check_shape(&a, 1, 8, 1, 1);
    ck_assert_uint_eq(a.itemsize, 4);
    for (int i = 0; i < 7; ++i)
        ck_assert_msg(same_bits(a.data[i], want4[i]), "f4 special %d: %a", i, a.data[i]);
    ck_assert(isnan(a.data[7]));
    npy_free(&a);
}
END_TEST

START_TEST(test_empty)
{
    npy_array a = load_ok("f8_empty_1d.npy", NPY_ACCEPT_FLOAT);
    check_shape(&a, 1, 0, 1, 1);
    ck_assert_ptr_null(a.data);
    npy_free(&a);
    a = load_ok("f8_empty_2d.npy", NPY_ACCEPT_FLOAT);
    check_shape(&a, 2, 0, 3, 1);
    ck_assert_ptr_null(a.data);
    npy_free(&a);
    a = load_ok("f4_empty_3d.npy", NPY_ACCEPT_FLOAT);
    ck_assert_uint_eq(a.ndim, 3);
    ck_assert_uint_eq(a.shape[0], 2);
    ck_assert_uint_eq(a.shape[1], 0);
    ck_assert_uint_eq(a.shape[2], 4);
    ck_assert_uint_eq(a.count, 0);
    ck_assert_ptr_null(a.data);
    npy_free(&a);
    npy_free(&a); /* twice is fine */
    npy_free(NULL);
}
END_TEST

/* ---- integer and bool arrays ------------------------------------------------------- */

static const struct {
    const char *name;
    char kind;
    size_t itemsize;
    double (*formula)(uint64_t);
} int_files[] = {
    {"lab_i1.npy", 'i', 1, ls}, {"lab_i2.npy", 'i', 2, ls}, {"lab_i4.npy", 'i', 4, ls},
    {"lab_i8.npy", 'i', 8, ls}, {"lab_u1.npy", 'u', 1, lu}, {"lab_u2.npy", 'u', 2, lu},
    {"lab_u4.npy", 'u', 4, lu}, {"lab_u8.npy", 'u', 8, lu}, {"lab_b1.npy", 'b', 1, lb},
};

START_TEST(test_int_files)
{
    const char *name = int_files[_i].name;
    npy_array a = load_ok(name, NPY_ACCEPT_INT);
    check_shape(&a, 1, 11, 1, 1);
    ck_assert_int_eq(a.kind, int_files[_i].kind);
    ck_assert_uint_eq(a.itemsize, int_files[_i].itemsize);
    check_values(&a, int_files[_i].formula, name);
    npy_free(&a);
    /* the default (activations) refuses them */
    load_err(name, NPY_ACCEPT_FLOAT, "not a floating-point type");
}
END_TEST

START_TEST(test_int_limits)
{
    static const struct {
        const char *name;
        double lo, hi;
    } lim[] = {
        {"lab_i1_limits.npy", -128.0, 127.0},
        {"lab_u1_limits.npy", 0.0, 255.0},
        {"lab_i2_limits.npy", -32768.0, 32767.0},
        {"lab_u2_limits.npy", 0.0, 65535.0},
        {"lab_i4_limits.npy", -2147483648.0, 2147483647.0},
        {"lab_u4_limits.npy", 0.0, 4294967295.0},
        {"lab_i8_limits.npy", -0x1p53, 0x1p53},
        {"lab_u8_limits.npy", 0.0, 0x1p53},
    };
    for (size_t j = 0; j < sizeof lim / sizeof lim[0]; ++j) {
        npy_array a = load_ok(lim[j].name, NPY_ACCEPT_INT | NPY_ACCEPT_FLOAT);
        ck_assert_uint_eq(a.count, 2);
        ck_assert_msg(a.data[0] == lim[j].lo && a.data[1] == lim[j].hi, "%s: %.17g %.17g",
                      lim[j].name, a.data[0], a.data[1]);
        npy_free(&a);
    }
    load_err("lab_i8_too_big.npy", NPY_ACCEPT_INT, "element 1 is an integer beyond 2^53");
    load_err("lab_i8_too_small.npy", NPY_ACCEPT_INT, "element 0 is an integer beyond 2^53");
    load_err("lab_u8_too_big.npy", NPY_ACCEPT_INT, "element 0 is an integer beyond 2^53");
    /* a column of labels, shape (6, 1) */
    npy_array a = load_ok("lab_i8_2d.npy", NPY_ACCEPT_INT);
    check_shape(&a, 2, 6, 1, 1);
    for (size_t i = 0; i < 6; ++i)
        ck_assert(a.data[i] == (double)(i % 2));
    npy_free(&a);
    /* floats are refused where only integers are accepted */
    load_err("f8_v1_2d.npy", NPY_ACCEPT_INT, "floating-point type; integers are expected");
}
END_TEST

/* ---- refused files -------------------------------------------------------------------- */

static const struct {
    const char *name, *want;
} bad_files[] = {
    {"err_fortran.npy", "Fortran-order arrays are not supported"},
    {"err_bigendian_f8.npy", "'>f8' is big-endian"},
    {"err_bigendian_f4.npy", "'>f4' is big-endian"},
    {"err_bigendian_i4.npy", "'>i4' is big-endian"},
    {"err_object.npy", "object arrays"},
    {"err_complex.npy", "complex"},
    {"err_float16.npy", "float16"},
    {"err_longdouble.npy", "'<f16' is not supported"},
    {"err_unicode_str.npy", "strings"},
    {"err_bytes_str.npy", "strings"},
    {"err_datetime.npy", "dates"},
    {"err_structured.npy", "structured dtypes"},
    {"err_v3_unicode.npy", "structured dtypes"},
    {"err_4d.npy", "more than 3 dimensions"},
    {"trunc_magic.npy", "not a .npy file"},
    {"trunc_length.npy", "header length is cut off"},
    {"trunc_header.npy", "truncated file: the header says"},
    {"trunc_data.npy", "needs 120 bytes of data, 115 are present"},
    {"trunc_no_data.npy", "needs 120 bytes of data, 0 are present"},
    {"trailing_bytes.npy", "3 unexpected bytes after the 120 bytes"},
    {"bad_magic.npy", "not a .npy file"},
    {"bad_version.npy", "version 4.0"},
    {"bad_minor.npy", "version 1.1"},
    {"bad_version0.npy", "version 0.0"},
    {"hdr_not_dict.npy", "not a dict"},
    {"hdr_missing_shape.npy", "missing key 'shape'"},
    {"hdr_missing_descr.npy", "missing key 'descr'"},
    {"hdr_extra_key.npy", "unknown key 'x'"},
    {"hdr_dup_key.npy", "appears twice"},
    {"hdr_negative_dim.npy", "negative dimension"},
    {"hdr_text_dim.npy", "tuple of integers"},
    {"hdr_float_dim.npy", "tuple of integers"},
    {"hdr_shape_not_tuple.npy", "not a tuple"},
    {"hdr_order_not_bool.npy", "True or False"},
    {"hdr_unterminated.npy", "newline"},
    {"hdr_no_close.npy", "header:"},
    {"hdr_junk_after.npy", "after the dict"},
    {"hdr_bad_descr.npy", "unsupported dtype 'f8'"},
    {"hdr_native_order.npy", "'=f8' has no little-endian byte order"},
    {"hdr_dim_overflow.npy", "does not fit in size_t"},
    {"hdr_count_overflow.npy", "element count overflows"},
    {"hdr_bytes_overflow.npy", "byte size overflows"},
    {"hdr_lying_shape.npy", "needs 8000000000000 bytes of data, 48 are present"},
    {"hdr_v3_unicode_key.npy", "unknown key '\\xd0\\xba"},
    {"hdr_len_beyond.npy", "header says 2147483648 bytes, 8 are present"},
    {"hdr_nul.npy", "NUL"},
};

START_TEST(test_bad_files)
{
    load_err(bad_files[_i].name, NPY_ACCEPT_FLOAT | NPY_ACCEPT_INT, bad_files[_i].want);
}
END_TEST

START_TEST(test_missing_file)
{
    char err[256];
    npy_array a;
    ck_assert_int_eq(npy_load(NPY_FIXTURES "no_such_file.npy", &a, err, sizeof err), -1);
    ck_assert(one_line(err));
    ck_assert_ptr_nonnull(strstr(err, "no_such_file.npy: "));
    ck_assert_int_eq(npy_load(NPY_FIXTURES, &a, err, sizeof err), -1); /* a directory */
    ck_assert(one_line(err));
    ck_assert_int_eq(npy_load(NULL, &a, err, sizeof err), -1);
    ck_assert_int_eq(npy_parse(NULL, 10, &a, err, sizeof err), -1);
    ck_assert(one_line(err));
    unsigned char b[1] = {0};
    ck_assert_int_eq(npy_parse(b, 1, NULL, err, sizeof err), -1);
    ck_assert_int_eq(npy_parse(b, 0, &a, err, sizeof err), -1);
    ck_assert(one_line(err));
}
END_TEST

/* The message is cut to errlen (NUL-terminated), and err may be NULL. */
START_TEST(test_error_buffer)
{
    size_t len;
    unsigned char *buf = read_fixture("err_fortran.npy", &len);
    npy_array a;
    char err[8];
    memset(err, 'x', sizeof err);
    ck_assert_int_eq(npy_parse(buf, len, &a, err, 5), -1);
    ck_assert_str_eq(err, "Fort");
    ck_assert_int_eq(err[5], 'x');
    ck_assert_int_eq(npy_parse(buf, len, &a, NULL, 0), -1);
    ck_assert_int_eq(npy_parse(buf, len, &a, err, 0), -1);
    ck_assert_int_eq(err[0], 'F'); /* errlen 0: untouched */
    free(buf);
}
END_TEST

/* Every proper prefix of a valid file is refused, with a message and the
 * output untouched. */
START_TEST(test_every_truncation)
{
    static const char *names[] = {"f8_v1_2d.npy", "f4_v2_3d.npy", "f8_v3_3d.npy",
                                  "lab_u2.npy"};
    for (size_t f = 0; f < sizeof names / sizeof names[0]; ++f) {
        size_t len;
        unsigned char *buf = read_fixture(names[f], &len);
        for (size_t n = 0; n < len; ++n) {
            unsigned char *copy = malloc(n + 1); /* exact size: ASan sees any overread */
            ck_assert_ptr_nonnull(copy);
            memcpy(copy, buf, n);
            npy_array a, before;
            memset(&a, 0x33, sizeof a);
            before = a;
            char err[256] = "";
            ck_assert_msg(npy_parse_ex(copy, n, NPY_ACCEPT_FLOAT | NPY_ACCEPT_INT, &a, err,
                                       sizeof err) == -1,
                          "%s cut to %zu bytes was accepted", names[f], n);
            ck_assert(one_line(err));
            ck_assert(memcmp(&a, &before, sizeof a) == 0);
            free(copy);
        }
        free(buf);
    }
}
END_TEST

/* Every single-byte change of a valid file (each byte set to a few values)
 * either parses to a well-formed result or fails with a message; never a
 * crash or an out-of-bounds read (run under ASan by make check-asan). */
START_TEST(test_every_byte_corrupted)
{
    static const unsigned char vals[] = {0x00, 0x0a, 0x20, 0x27, 0x28, 0x2c, 0x30, 0x39,
                                         0x3c, 0x7b, 0x7d, 0x80, 0xff};
    size_t len;
    unsigned char *buf = read_fixture("f4_v2_3d.npy", &len);
    unsigned char *copy = malloc(len);
    ck_assert_ptr_nonnull(copy);
    size_t accepted = 0, refused = 0;
    for (size_t pos = 0; pos < len; ++pos)
        for (size_t v = 0; v < sizeof vals; ++v) {
            memcpy(copy, buf, len);
            copy[pos] = vals[v];
            npy_array a;
            char err[256] = "";
            if (npy_parse(copy, len, &a, err, sizeof err) == 0) {
                ck_assert_str_eq(err, "");
                ck_assert_uint_le(a.count * a.itemsize, len);
                ck_assert(a.ndim <= NPY_MAX_DIMS);
                npy_free(&a);
                ++accepted;
            } else {
                ck_assert(one_line(err));
                ++refused;
            }
        }
    /* both happen: data bytes and padding are free, header bytes are not */
    ck_assert_uint_gt(accepted, 0);
    ck_assert_uint_gt(refused, 0);
    free(copy);
    free(buf);
}
END_TEST

Suite *suite_npy(void)
{
    Suite *s = suite_create("npy");
    TCase *ok = gt_tcase(s, "well-formed", 0);
    tcase_add_loop_test(ok, test_float_files, 0,
                        (int)(sizeof float_files / sizeof float_files[0]));
    tcase_add_test(ok, test_parse_equals_load);
    tcase_add_test(ok, test_c_order);
    tcase_add_test(ok, test_specials);
    tcase_add_test(ok, test_empty);
    tcase_add_loop_test(ok, test_int_files, 0, (int)(sizeof int_files / sizeof int_files[0]));
    tcase_add_test(ok, test_int_limits);

    TCase *bad = gt_tcase(s, "refused", 60);
    tcase_add_loop_test(bad, test_bad_files, 0, (int)(sizeof bad_files / sizeof bad_files[0]));
    tcase_add_test(bad, test_missing_file);
    tcase_add_test(bad, test_error_buffer);
    tcase_add_test(bad, test_every_truncation);
    tcase_add_test(bad, test_every_byte_corrupted);
    return s;
}
