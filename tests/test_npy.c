/* The reader of gcent-estimate (support/npy.c).
 *
 * .npy arrays, on real files written by NumPy (tests/data/npy, made by
 * make_fixtures.py there). Well-formed files: every element is compared bit
 * for bit with the formula the script used (F64, F32, LS, LU, LB; see
 * make_fixtures.py), evaluated here with the same integer arithmetic.
 * Malformed files: each must fail with a one-line reason naming the problem
 * and leave the output untouched; every truncation and every single-byte
 * corruption of a valid file is tried in memory too.
 *
 * Labels (.npy of any integer, bool or whole-float dtype; text) against the
 * dense codes they must get; formats that are not .npy or text (.npz,
 * gzip, torch.save, ...) against the names they must be given; text tables
 * (CSV, np.savetxt, pandas to_csv) against what must never be misread: a
 * label-like column as activations, a pandas index as a unit, a line of
 * bad numbers as a header; every position counted from 1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests.h"
#include "npy.h"

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
    /* (npy_labels_parse takes them: test_npy_labels) */
    load_err("lab_i8_too_big.npy", NPY_ACCEPT_INT,
             "element 2 (in C order, from 1) is the integer 9007199254740993, which a double "
             "cannot hold exactly");
    load_err("lab_i8_too_small.npy", NPY_ACCEPT_INT, "element 1 (in C order, from 1) is the "
             "integer -9223372036854775808");
    load_err("lab_u8_too_big.npy", NPY_ACCEPT_INT, "element 1 (in C order, from 1) is the "
             "integer 18446744073709551615");
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

/* ---- labels from .npy files ------------------------------------------------------------- */

/* Labels that must be accepted, with their codes. */
static npy_labels labels_ok(const char *name)
{
    size_t len;
    unsigned char *buf = read_fixture(name, &len);
    npy_labels l;
    char err[256] = "junk";
    int st = npy_labels_parse(buf, len, name, &l, err, sizeof err);
    free(buf);
    ck_assert_msg(st == 0, "%s: %s", name, err);
    ck_assert_str_eq(err, "");
    return l;
}

/* Labels that must be refused with `want` in the message, which starts with
 * the name and never speaks of the reader's internals. */
static void labels_err(const char *name, const char *want)
{
    size_t len;
    unsigned char *buf = read_fixture(name, &len);
    npy_labels l, before;
    memset(&l, 0x5a, sizeof l);
    before = l;
    char err[512];
    ck_assert_msg(npy_labels_parse(buf, len, name, &l, err, sizeof err) == -1, "%s: accepted",
                  name);
    free(buf);
    ck_assert_msg(memcmp(&l, &before, sizeof l) == 0, "%s: output written on error", name);
    ck_assert_msg(one_line(err), "%s: \"%s\" is not one line", name, err);
    ck_assert_msg(strncmp(err, name, strlen(name)) == 0, "%s: no name in \"%s\"", name, err);
    ck_assert_msg(strstr(err, want) != NULL, "%s: \"%s\" lacks \"%s\"", name, err, want);
    ck_assert_msg(strstr(err, "2^53") == NULL, "%s: \"%s\"", name, err);
}

static void check_codes(const npy_labels *l, const int *want, size_t n, size_t classes)
{
    ck_assert_uint_eq(l->n, n);
    ck_assert_uint_eq(l->classes, classes);
    for (size_t i = 0; i < n; ++i)
        ck_assert_msg(l->code[i] == want[i], "code %zu: %d, expected %d", i, l->code[i],
                      want[i]);
}

START_TEST(test_npy_labels)
{
    /* the integer fixtures: dense codes in the order of the values */
    for (size_t f = 0; f < sizeof int_files / sizeof int_files[0]; ++f) {
        npy_labels l = labels_ok(int_files[f].name);
        double lo = 1e300;
        for (uint64_t i = 0; i < 11; ++i)
            lo = fmin(lo, int_files[f].formula(i));
        for (uint64_t i = 0; i < 11; ++i) /* the values are lo, lo + 1, ... (all present) */
            ck_assert_int_eq(l.code[i], (int)(int_files[f].formula(i) - lo));
        npy_labels_free(&l);
        ck_assert_ptr_null(l.code);
    }
    /* whole floats, torch's usual dtype: 0.0 and -0.0 are one class */
    npy_labels l = labels_ok("lab_f4_whole.npy");
    for (size_t i = 0; i < 11; ++i)
        ck_assert_int_eq(l.code[i], (int)(i % 3));
    ck_assert_uint_eq(l.classes, 3);
    npy_labels_free(&l);
    static const int whole[] = {0, 2, 1, 1, 3, 2}; /* -1, 2, -0, 0, 7, 2 */
    l = labels_ok("lab_f8_whole.npy");
    check_codes(&l, whole, 6, 4);
    npy_labels_free(&l);
    /* ids a double cannot tell apart: 2^62 + 1, 2^62, -2^63; 2^64 - 1, 2^64 - 2, 0 */
    static const int ids[] = {2, 1, 0, 2};
    l = labels_ok("lab_i8_ids.npy");
    check_codes(&l, ids, 4, 3);
    npy_labels_free(&l);
    l = labels_ok("lab_u8_ids.npy");
    check_codes(&l, ids, 4, 3);
    npy_labels_free(&l);
    static const int two[] = {0, 1};
    l = labels_ok("lab_i8_too_big.npy"); /* 0, 2^53 + 1 */
    check_codes(&l, two, 2, 2);
    npy_labels_free(&l);
    l = labels_ok("lab_i8_2d.npy"); /* shape (6, 1) */
    ck_assert_uint_eq(l.n, 6);
    ck_assert_uint_eq(l.classes, 2);
    npy_labels_free(&l);
    npy_labels_free(&l);
    npy_labels_free(NULL);

    labels_err("lab_f8_frac.npy", "lab_f8_frac.npy: row 4: label 2.5 is not a whole number");
    labels_err("lab_f8_nan.npy", "row 2: the label is NaN");
    labels_err("lab_f8_huge.npy", "row 2: label 1e+30 is too large for a class id");
    labels_err("lab_f8_row.npy", "(1, 5): save them as one column (y.reshape(-1))");
    labels_err("f8_v3_3d.npy", "shape (n,) or (n, 1)");
    labels_err("f8_scalar.npy", "a scalar");
    labels_err("f8_empty_1d.npy", "no labels");
    labels_err("err_fortran.npy", "Fortran-order");
    labels_err("foreign_npz.npz", "not a .npy file, but a .npz archive");
}
END_TEST

/* ---- formats that are not .npy or text ------------------------------------------------ */

START_TEST(test_identify)
{
    static const struct {
        const char *name, *want;
    } foreign[] = {
        {"foreign_npz.npz", "foreign_npz.npz is a .npz archive: extract the array with "
                            "numpy.load(...)[name] and np.save it"},
        {"foreign_gzip.npy.gz", "foreign_gzip.npy.gz is gzip-compressed: gunzip it first"},
        {"foreign_bzip2.npy.bz2", "is bzip2-compressed: bunzip2 it first"},
        {"foreign_xz.npy.xz", "is xz-compressed: unxz it first"},
        {"foreign_torch.pt", "is a PyTorch file (torch.save): save the tensor with np.save"},
        {"foreign_pickle.pkl", "is a Python pickle"},
    };
    char err[512];
    for (size_t j = 0; j < sizeof foreign / sizeof foreign[0]; ++j) {
        size_t len;
        unsigned char *buf = read_fixture(foreign[j].name, &len);
        ck_assert_int_eq(npy_identify(buf, len, foreign[j].name, err, sizeof err), -1);
        ck_assert_msg(strncmp(err, foreign[j].want, strlen(foreign[j].want)) == 0 ||
                          (strncmp(err, foreign[j].name, strlen(foreign[j].name)) == 0 &&
                           strstr(err, foreign[j].want) != NULL),
                      "%s: \"%s\"", foreign[j].name, err);
        ck_assert(one_line(err));
        /* the text reader names it too, not "a NUL byte" */
        char *text = malloc(len + 1);
        ck_assert_ptr_nonnull(text);
        memcpy(text, buf, len);
        text[len] = '\0';
        npy_table t;
        ck_assert_int_eq(npy_table_parse(text, len, foreign[j].name, NULL, &t, err, sizeof err),
                         -1);
        ck_assert_msg(strstr(err, foreign[j].want) != NULL, "%s: \"%s\"", foreign[j].name, err);
        free(text);
        free(buf);
    }
    /* formats without a fixture, by their magic */
    static const struct {
        const char *bytes;
        size_t n;
        const char *want;
    } magic[] = {
        {"\x28\xb5\x2f\xfd\x00\x00", 6, "zstd-compressed: unzstd it first"},
        {"\x89HDF\r\n\x1a\n\x00", 9, "an HDF5 file"},
        {"PK\x05\x06\x00\x00", 6, "an empty zip archive"},
        {"PK\x03\x04", 4, "a zip archive"},
    };
    for (size_t j = 0; j < sizeof magic / sizeof magic[0]; ++j) {
        ck_assert_int_eq(npy_identify((const unsigned char *)magic[j].bytes, magic[j].n, "F",
                                      err, sizeof err), -1);
        ck_assert_msg(strncmp(err, "F is ", 5) == 0 && strstr(err, magic[j].want) != NULL,
                      "%s", err);
    }
    size_t len;
    unsigned char *buf = read_fixture("f8_v1_2d.npy", &len);
    ck_assert_int_eq(npy_identify(buf, len, "x", err, sizeof err), NPY_FILE_NPY);
    ck_assert_str_eq(err, "");
    ck_assert_int_eq(npy_identify(buf, 3, "x", err, sizeof err), NPY_FILE_NPY); /* cut magic */
    free(buf);
    ck_assert_int_eq(npy_identify((const unsigned char *)"1,2\n", 4, "x", err, sizeof err),
                     NPY_FILE_TEXT);
    ck_assert_int_eq(npy_identify((const unsigned char *)"", 0, "x", err, sizeof err),
                     NPY_FILE_TEXT);
    ck_assert_int_eq(npy_identify(NULL, 0, "x", err, sizeof err), -1);
    /* npy_load names the archive too */
    char p[512];
    npy_array a;
    fixture(p, sizeof p, "foreign_npz.npz");
    ck_assert_int_eq(npy_load(p, &a, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "not a .npy file, but a .npz archive"));
    /* npy_read_file: the bytes and a NUL after them */
    char *whole;
    size_t n;
    fixture(p, sizeof p, "f4_v1_2d.npy");
    ck_assert_int_eq(npy_read_file(p, &whole, &n, err, sizeof err), 0);
    buf = read_fixture("f4_v1_2d.npy", &len);
    ck_assert_uint_eq(n, len);
    ck_assert(memcmp(whole, buf, len) == 0 && whole[n] == '\0');
    free(buf);
    free(whole);
    ck_assert_int_eq(npy_read_file(NPY_FIXTURES "nothing.csv", &whole, &n, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "nothing.csv: "));
}
END_TEST

/* ---- text tables -------------------------------------------------------------------------- */

/* Parse a copy of text (freed before returning: the table must not point
 * into it). */
static int parse_text(const char *text, const npy_table_opts *o, npy_table *t, char *err,
                      size_t errlen)
{
    size_t len = strlen(text);
    char *copy = malloc(len + 1);
    ck_assert_ptr_nonnull(copy);
    memcpy(copy, text, len + 1);
    int st = npy_table_parse(copy, len, "t.csv", o, t, err, errlen);
    free(copy);
    return st;
}

static npy_table table_ok(const char *text, const npy_table_opts *o)
{
    npy_table t;
    char err[512] = "junk";
    ck_assert_msg(parse_text(text, o, &t, err, sizeof err) == 0, "\"%s\": %s", text, err);
    ck_assert_str_eq(err, "");
    return t;
}

/* Must be refused with a one-line message holding `want`, output untouched. */
static void table_err(const char *text, const npy_table_opts *o, const char *want)
{
    npy_table t, before;
    memset(&t, 0x5a, sizeof t);
    before = t;
    char err[512];
    ck_assert_msg(parse_text(text, o, &t, err, sizeof err) == -1, "\"%s\" accepted", text);
    ck_assert_msg(memcmp(&t, &before, sizeof t) == 0, "\"%s\": output written", text);
    ck_assert_msg(one_line(err), "\"%s\": \"%s\" is not one line", text, err);
    ck_assert_msg(strncmp(err, "t.csv", 5) == 0, "\"%s\": \"%s\" lacks the name", text, err);
    ck_assert_msg(strstr(err, want) != NULL, "\"%s\": \"%s\" lacks \"%s\"", text, err, want);
    ck_assert_msg(strstr(err, "2^53") == NULL, "\"%s\": \"%s\"", text, err);
}

/* The table's values are exactly strtod of the given texts. */
static void check_table(const npy_table *t, size_t rows, size_t cols, const char *const *cells)
{
    ck_assert_uint_eq(t->rows, rows);
    ck_assert_uint_eq(t->cols, cols);
    for (size_t i = 0; i < rows * cols; ++i)
        ck_assert_msg(same_bits(t->v[i], strtod(cells[i], NULL)), "value %zu: %.17g, not %s", i,
                      t->v[i], cells[i]);
}

START_TEST(test_label_columns)
{
    /* a label-like header name makes the labels, never a unit */
    static const char *const vals[] = {"0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8"};
    npy_table t = table_ok("a,b,c,d,label\n0.1,0.2,0.3,0.4,1\n0.5,0.6,0.7,0.8,0\n", NULL);
    check_table(&t, 2, 4, vals);
    ck_assert_uint_eq(t.label_col, 5);
    ck_assert(t.label_by_name && t.header && !t.index_dropped);
    ck_assert_str_eq(t.label_name, "label");
    static const int c10[] = {1, 0};
    check_codes(&t.labels, c10, 2, 2);
    ck_assert_uint_eq(t.line[0], 2);
    ck_assert_uint_eq(t.line[1], 3);
    npy_table_free(&t);
    npy_table_free(&t);
    npy_table_free(NULL);
    static const char *const names[] = {"Label", "LABELS", "y", "Target", "targets",
                                        "CLASS", "classes"};
    for (size_t j = 0; j < sizeof names / sizeof names[0]; ++j) {
        char text[128];
        snprintf(text, sizeof text, "%s,u\n3,0.5\n4,0.25\n", names[j]);
        ck_assert(npy_is_label_name(names[j]));
        t = table_ok(text, NULL);
        ck_assert_uint_eq(t.label_col, 1);
        ck_assert_uint_eq(t.cols, 1);
        ck_assert(t.v[0] == 0.5 && t.v[1] == 0.25);
        npy_table_free(&t);
    }
    ck_assert(!npy_is_label_name("yy") && !npy_is_label_name("") && !npy_is_label_name(NULL));

    /* labels from elsewhere: refused, naming --label-column */
    npy_table_opts elsewhere = {.labels_elsewhere = 1};
    table_err("a,b,c,d,label\n0.1,0.2,0.3,0.4,1\n", &elsewhere,
              "t.csv:1:5: column 5 \"label\" is named like labels, so it is not read as "
              "activations: remove it from the file, or use it as the labels with "
              "--label-column label instead of --labels");
    table_err("a,label,Y\n1,2,3\n", NULL, "t.csv:1:3: columns 2 \"label\" and 3 \"Y\" are "
              "both named like labels; choose the labels with --label-column");
    table_err("label\n1\n2\n", NULL, "no column of activations (only the labels)");

    /* --label-column by number and by name */
    npy_table_opts by2 = {.label_column = "2"}, byname = {.label_column = "B"};
    t = table_ok("0.5,cat,1\n0.25,dog,2\n", &by2); /* no header: names are labels */
    static const char *const v2[] = {"0.5", "1", "0.25", "2"};
    check_table(&t, 2, 2, v2);
    check_codes(&t.labels, (const int[]){0, 1}, 2, 2);
    ck_assert(!t.label_by_name && !t.header);
    npy_table_free(&t);
    t = table_ok("a,b\n1,7\n2,7\n", &byname); /* case-insensitive after an exact try */
    ck_assert_uint_eq(t.label_col, 2);
    ck_assert_uint_eq(t.labels.classes, 1);
    npy_table_free(&t);
    table_err("a,b,target\n1,2,0\n", &(npy_table_opts){.label_column = "a"},
              "t.csv:1:3: column 3 \"target\" is named like labels, but --label-column a "
              "chose column 1");
    table_err("a,b\n1,2\n", &(npy_table_opts){.label_column = "zz"}, "t.csv:1: --label-column "
              "zz: the header has no column of that name");
    table_err("1,2\n", &(npy_table_opts){.label_column = "b"}, "no header line");
    table_err("1,2\n", &(npy_table_opts){.label_column = "3"}, "--label-column 3: the file "
              "has 2 columns");
    table_err("1,2\n", &(npy_table_opts){.label_column = "0"}, "has 2 columns");
}
END_TEST

START_TEST(test_pandas_index)
{
    /* df.to_csv(): an empty first header cell over 0, 1, 2, ... */
    static const char *const v[] = {"1.5", "2.5", "3.5", "4.5", "-1", "1e-3"};
    npy_table t = table_ok(",a,b\n0,1.5,2.5\n1,3.5,4.5\n2,-1,1e-3\n", NULL);
    check_table(&t, 3, 2, v);
    ck_assert(t.index_dropped && t.header);
    ck_assert_ptr_null(t.labels.code);
    npy_table_free(&t);
    /* unnamed columns: pandas' names 0, 1, 2 */
    t = table_ok(",0,1,2\n0,0.5,0.5,0.5\n1,0.5,0.5,0.5\n", NULL);
    ck_assert(t.index_dropped && t.header);
    ck_assert_uint_eq(t.cols, 3);
    npy_table_free(&t);
    /* read back and written again: "Unnamed: 0" */
    t = table_ok("Unnamed: 0,a\n0,1\n1,2\n", NULL);
    ck_assert(t.index_dropped);
    ck_assert_uint_eq(t.cols, 1);
    npy_table_free(&t);
    /* with a label column */
    t = table_ok(",a,label\n0,0.5,cat\n1,0.75,dog\n", NULL);
    ck_assert(t.index_dropped);
    ck_assert_uint_eq(t.cols, 1);
    ck_assert_uint_eq(t.label_col, 3);
    check_codes(&t.labels, (const int[]){0, 1}, 2, 2);
    npy_table_free(&t);
    /* any other index is refused, never read as a unit */
    table_err(",a,b\n1,0.5,0.5\n2,0.5,0.5\n", NULL, "t.csv:2:1: column 1 has no name in the "
              "header, as pandas writes its row index, but holds \"1\" where the index would "
              "be 0");
    table_err(",a\n0,1\n2,1\n", NULL, "t.csv:3:1:");
    table_err(",a\n0,1\nx,1\n", NULL, "index=False");
    /* without a header, a column counting 0..n-1 is kept and flagged */
    t = table_ok("0,0.5\n1,0.6\n2,0.7\n", NULL);
    ck_assert(t.index_like && !t.index_dropped);
    ck_assert_uint_eq(t.cols, 2);
    npy_table_free(&t);
    t = table_ok("0,0.5\n2,0.6\n", NULL);
    ck_assert(!t.index_like);
    npy_table_free(&t);
    /* a pandas Series as a label file */
    npy_table_opts lab = {.labels_only = 1};
    t = table_ok(",0\n0,1.0\n1,2\n2,1\n", &lab);
    ck_assert(t.index_dropped && t.header);
    ck_assert_ptr_null(t.v);
    check_codes(&t.labels, (const int[]){0, 1, 0}, 3, 2);
    npy_table_free(&t);
}
END_TEST

/* A first line with a bad number is an error at its line and column, never a
 * header (which would drop a row of data). */
START_TEST(test_first_line)
{
    static const struct {
        const char *text, *want;
    } bad[] = {
        {"1e400,2\n1,2\n", "t.csv:1:1: \"1e400\" is beyond the range of a double"},
        {"-1e400,2\n", "t.csv:1:1: \"-1e400\" is beyond the range"},
        {"NA,2\n1,2\n", "t.csv:1:1: \"NA\" marks a missing value"},
        {"1,n/a\n", "t.csv:1:2: \"n/a\" marks a missing value"},
        {"null,1\n", "t.csv:1:1: \"null\" marks"},
        {"None,1\n", "t.csv:1:1: \"None\" marks"},
        {"2,nan\n", "t.csv:1:2: \"nan\" is not a finite number"},
        {"inf,2\n", "t.csv:1:1: \"inf\" is not a finite number"},
        {"1,-Infinity\n", "t.csv:1:2: \"-Infinity\" is not a finite"},
        {"1.2.3,4\n", "t.csv:1:1: \"1.2.3\" is not a number"},
        {"a,NA\n1,2\n", "t.csv:1:2: \"NA\" marks a missing value"},
        {"a,,b\n1,2,3\n", "t.csv:1:2: an empty cell"},
        {"a,1\n1,2\n", "t.csv:1:1: \"a\" is not a number; a header line holds only names "
                       "(--header makes the first line one)"},
        {"1st,2nd\n1,2\n", "t.csv:1:1: \"1st\" is not a number; a header line"},
        {"# made by hand\n\n1e400,2\n", "t.csv:3:1: \"1e400\""},
        {"a,b\n1,2\n\n# x\n3,NA\n", "t.csv:5:2: \"NA\" marks a missing value"},
        {"a,b\n1,2\n3\n", "t.csv:3: 1 cell, expected 2 as on line 1"},
        {"1,2\n3,4,5\n", "t.csv:2: 3 cells, expected 2 as on line 1"},
        {"a,b\n", "no data rows below the header on line 1"},
        {"# only a comment\n\n", "no data"},
        {"", "no data"},
    };
    for (size_t j = 0; j < sizeof bad / sizeof bad[0]; ++j)
        table_err(bad[j].text, NULL, bad[j].want);

    /* a NUL byte (strlen would not see it) */
    char nul[] = "1,2\n3,\0\n";
    npy_table t0;
    char err[256];
    ck_assert_int_eq(npy_table_parse(nul, sizeof nul - 1, "t.csv", NULL, &t0, err, sizeof err),
                     -1);
    ck_assert_str_eq(err, "t.csv:2: a NUL byte: a binary file, not text");

    /* headers and numbers that are accepted */
    npy_table t = table_ok("a,b\n1,2\n", NULL);
    ck_assert(t.header && t.rows == 1 && t.v[0] == 1.0 && t.v[1] == 2.0);
    npy_table_free(&t);
    t = table_ok("0,1\n2,3\n", NULL); /* numbers: data */
    ck_assert(!t.header && t.rows == 2);
    npy_table_free(&t);
    t = table_ok("0,1\n2,3\n", &(npy_table_opts){.header = 1}); /* unless --header */
    ck_assert(t.header && t.rows == 1 && t.v[0] == 2.0);
    npy_table_free(&t);
    t = table_ok("1e-400,-0x1p-3\n", NULL); /* underflow to 0 is a number */
    ck_assert(t.v[0] == 0.0 && t.v[1] == -0.125);
    npy_table_free(&t);
    /* BOM, CR-LF, quoted names (around commas: not the whole line), blanks */
    t = table_ok("\xEF\xBB\xBF\"a\",\"label\"\r\n 1 , 0\r\n2,1\r\n", NULL);
    ck_assert(t.header && t.rows == 2 && t.cols == 1 && t.label_col == 2);
    ck_assert(t.v[0] == 1.0 && t.v[1] == 2.0);
    npy_table_free(&t);
    t = table_ok("# np.savetxt\n0.5 0.25\n\t1   2\n", NULL);
    static const char *const sp[] = {"0.5", "0.25", "1", "2"};
    check_table(&t, 2, 2, sp);
    ck_assert_uint_eq(t.line[0], 2);
    ck_assert_uint_eq(t.line[1], 3);
    npy_table_free(&t);
    /* a .npy is not text */
    table_err("\x93NUMPY\x01", NULL, "a .npy file, not text");
}
END_TEST

START_TEST(test_text_labels)
{
    npy_table_opts lab = {.labels_only = 1};
    /* 1, 1.0 and 1e0 are one class; whole numbers of any size, exactly */
    npy_table t = table_ok("1.0\n1\n2e0\n2\n1e0\n", &lab);
    check_codes(&t.labels, (const int[]){0, 0, 1, 1, 0}, 5, 2);
    npy_table_free(&t);
    t = table_ok("12345678901234567891\n12345678901234567890\n-5\n-18446744073709551615\n",
                 &lab);
    check_codes(&t.labels, (const int[]){3, 2, 1, 0}, 4, 4);
    npy_table_free(&t);
    /* names, in byte order */
    t = table_ok("dog\ncat\ndog\nbird\n", &lab);
    check_codes(&t.labels, (const int[]){2, 1, 2, 0}, 4, 3);
    ck_assert(!t.header);
    npy_table_free(&t);
    /* the first line of a label file: a label-like name or a name above numbers
     * is a header; another name is a label */
    t = table_ok("label\ncat\ndog\n", &lab);
    ck_assert(t.header && t.labels.n == 2);
    npy_table_free(&t);
    t = table_ok("digit\n3\n5\n", &lab);
    ck_assert(t.header && t.labels.n == 2 && t.line[0] == 2);
    npy_table_free(&t);
    t = table_ok("cat\n", &lab);
    ck_assert(!t.header && t.labels.n == 1 && t.labels.classes == 1);
    npy_table_free(&t);
    /* in a data file, by the label column */
    t = table_ok("u,class\n0.5,-3\n0.5,1e1\n0.5,10\n", NULL);
    check_codes(&t.labels, (const int[]){0, 1, 1}, 3, 2);
    npy_table_free(&t);

    table_err("cat\n1\n2\ndog\n", &lab, "t.csv:2:1: label 1 is a number, but the label on "
              "line 1 is a name (\"cat\"): labels are all numbers or all names");
    table_err("1\n2\ncat\n", &lab, "t.csv:3:1: label \"cat\" is a name, but the label on line "
              "1 is a number (\"1\")");
    table_err("1\n0.5\n", &lab, "t.csv:2:1: label 0.5 is not a whole number");
    table_err("u,y\n1,2\n1,2.25\n", NULL, "t.csv:3:2: label 2.25 is not a whole number");
    table_err("1\nNA\n", &lab, "t.csv:2:1: label: \"NA\" marks a missing value");
    table_err("u,y\n1,\n", NULL, "t.csv:2:2: label: an empty cell");
    table_err("1\n123456789012345678901\n", &lab, "t.csv:2:1: label 123456789012345678901 is "
              "too large for a class id");
    table_err("1\n1e30\n", &lab, "label 1e30 is too large for a class id");
    table_err("1,2\n", &lab, "a label file holds one column of labels, this one has 2");
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

    TCase *rd = gt_tcase(s, "reading", 0);
    tcase_add_test(rd, test_npy_labels);
    tcase_add_test(rd, test_identify);
    tcase_add_test(rd, test_label_columns);
    tcase_add_test(rd, test_pandas_index);
    tcase_add_test(rd, test_first_line);
    tcase_add_test(rd, test_text_labels);
    return s;
}
