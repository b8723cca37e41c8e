/* npy.c: the reader of the files handed to gcent-estimate -- .npy arrays,
 * label arrays, text tables (CSV, np.savetxt, pandas to_csv) -- and the
 * recognition of the formats it does not read (.npz, torch.save, gzip, ...).
 * The contract of every function is in npy.h. No global state, nothing
 * printed; every read of a buffer is bounds-checked. */
#include "npy.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__)
#define NPY__PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define NPY__PRINTF(f, a)
#endif

static void npy__err(char *err, size_t errlen, const char *fmt, ...) NPY__PRINTF(3, 4);

static void npy__err(char *err, size_t errlen, const char *fmt, ...)
{
    if (err == NULL || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static void npy__clear(char *err, size_t errlen)
{
    if (err != NULL && errlen > 0)
        err[0] = '\0';
}

/* Printable copy of at most 40 bytes of s (others as \xNN) for messages. */
static void npy__show(char *dst, size_t dstlen, const unsigned char *s, size_t n)
{
    size_t o = 0;
    if (dstlen == 0)
        return;
    for (size_t i = 0; i < n && i < 40; ++i) {
        char tmp[8];
        int w = (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '\\')
                    ? snprintf(tmp, sizeof tmp, "%c", s[i])
                    : snprintf(tmp, sizeof tmp, "\\x%02x", s[i]);
        if (o + (size_t)w + 1 > dstlen)
            break;
        memcpy(dst + o, tmp, (size_t)w);
        o += (size_t)w;
    }
    if (n > 40 && o + 4 <= dstlen) {
        memcpy(dst + o, "...", 3);
        o += 3;
    }
    dst[o] = '\0';
}

/* The shortest of %.15g .. %.17g that reads back as v. */
static void npy__num(char *dst, size_t dstlen, double v)
{
    for (int prec = 15; prec <= 17; ++prec) {
        snprintf(dst, dstlen, "%.*g", prec, v);
        if (strtod(dst, NULL) == v)
            break;
    }
}

/* ==== .npy arrays ============================================================== */

typedef struct npy__cursor {
    const unsigned char *p, *end;
} npy__cursor;

static void npy__skip_ws(npy__cursor *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r' ||
                             *c->p == '\f' || *c->p == '\v'))
        ++c->p;
}

/* A quoted Python string without escapes: *s, *n point into the header. */
static int npy__string(npy__cursor *c, const unsigned char **s, size_t *n, char *err,
                       size_t errlen)
{
    if (c->p >= c->end || (*c->p != '\'' && *c->p != '"')) {
        npy__err(err, errlen, "header: expected a quoted string");
        return -1;
    }
    unsigned char q = *c->p++;
    const unsigned char *start = c->p;
    while (c->p < c->end && *c->p != q) {
        if (*c->p == '\\' || *c->p == '\n' || *c->p == '\0') {
            npy__err(err, errlen, "header: escape, newline or NUL inside a string");
            return -1;
        }
        ++c->p;
    }
    if (c->p >= c->end) {
        npy__err(err, errlen, "header: unterminated string");
        return -1;
    }
    *s = start;
    *n = (size_t)(c->p - start);
    ++c->p; /* closing quote */
    return 0;
}

static int npy__is_ident(unsigned char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_' || ch >= 0x80;
}

/* True or False. */
static int npy__bool(npy__cursor *c, int *v, char *err, size_t errlen)
{
    size_t left = (size_t)(c->end - c->p);
    size_t len = 0;
    if (left >= 4 && memcmp(c->p, "True", 4) == 0) {
        *v = 1;
        len = 4;
    } else if (left >= 5 && memcmp(c->p, "False", 5) == 0) {
        *v = 0;
        len = 5;
    }
    if (len == 0 || (left > len && npy__is_ident(c->p[len]))) {
        npy__err(err, errlen, "header: fortran_order must be True or False");
        return -1;
    }
    c->p += len;
    return 0;
}

/* A non-negative decimal integer that fits in size_t (a Python 2 'L' suffix
 * is allowed, as NumPy allows it). */
static int npy__size(npy__cursor *c, size_t *v, char *err, size_t errlen)
{
    if (c->p < c->end && *c->p == '-') {
        npy__err(err, errlen, "header: negative dimension in shape");
        return -1;
    }
    if (c->p >= c->end || *c->p < '0' || *c->p > '9') {
        npy__err(err, errlen, "header: shape must be a tuple of integers");
        return -1;
    }
    size_t x = 0;
    while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
        size_t digit = (size_t)(*c->p - '0');
        if (x > (SIZE_MAX - digit) / 10) {
            npy__err(err, errlen, "header: a dimension of the shape does not fit in size_t");
            return -1;
        }
        x = x * 10 + digit;
        ++c->p;
    }
    if (c->p < c->end && (*c->p == 'L' || *c->p == 'l'))
        ++c->p;
    if (c->p < c->end && (npy__is_ident(*c->p) || *c->p == '.')) {
        npy__err(err, errlen, "header: shape must be a tuple of integers");
        return -1;
    }
    *v = x;
    return 0;
}

/* A tuple of 0..NPY_MAX_DIMS sizes: (), (n,), (n, m), (n, m, l) with an
 * optional trailing comma (required for one element, as in Python). */
static int npy__shape(npy__cursor *c, size_t shape[NPY_MAX_DIMS], size_t *ndim, char *err,
                      size_t errlen)
{
    if (c->p >= c->end || *c->p != '(') {
        npy__err(err, errlen, "header: shape must be a tuple of integers");
        return -1;
    }
    ++c->p;
    size_t n = 0;
    int comma_after_last = 0;
    for (;;) {
        npy__skip_ws(c);
        if (c->p < c->end && *c->p == ')') {
            ++c->p;
            break;
        }
        if (n > 0 && !comma_after_last) {
            npy__err(err, errlen, "header: expected ',' or ')' in shape");
            return -1;
        }
        size_t v;
        if (npy__size(c, &v, err, errlen) != 0)
            return -1;
        if (n == NPY_MAX_DIMS) {
            npy__err(err, errlen, "arrays of more than %d dimensions are not supported",
                     NPY_MAX_DIMS);
            return -1;
        }
        shape[n++] = v;
        npy__skip_ws(c);
        comma_after_last = 0;
        if (c->p < c->end && *c->p == ',') {
            ++c->p;
            comma_after_last = 1;
        }
    }
    if (n == 1 && !comma_after_last) {
        npy__err(err, errlen, "header: shape (n) is not a tuple; a 1-tuple is written (n,)");
        return -1;
    }
    *ndim = n;
    return 0;
}

/* The dtype string: byte order, kind and size, e.g. '<f8', '|u1'. */
static int npy__dtype(const unsigned char *s, size_t n, unsigned accept, char *kind,
                      size_t *itemsize, char *err, size_t errlen)
{
    char shown[200];
    npy__show(shown, sizeof shown, s, n);
    if (n < 2 || strchr("<>|=", s[0]) == NULL) {
        npy__err(err, errlen, "unsupported dtype '%s'", shown);
        return -1;
    }
    char k = (char)s[1];
    const char *what = NULL;
    switch (k) {
    case 'O': what = "object arrays (pickled Python objects)"; break;
    case 'c': what = "complex numbers"; break;
    case 'U': case 'S': case 'a': what = "strings"; break;
    case 'V': what = "raw bytes (void)"; break;
    case 'M': case 'm': what = "dates and time deltas"; break;
    default: break;
    }
    if (what != NULL) {
        npy__err(err, errlen, "dtype '%s' is not supported: %s", shown, what);
        return -1;
    }
    size_t size = 0;
    for (size_t i = 2; i < n; ++i) {
        if (n > 5 || s[i] < '0' || s[i] > '9') {
            npy__err(err, errlen, "unsupported dtype '%s'", shown);
            return -1;
        }
        size = size * 10 + (size_t)(s[i] - '0');
    }
    int ok_size = (k == 'f' && (size == 4 || size == 8)) ||
                  ((k == 'i' || k == 'u') && (size == 1 || size == 2 || size == 4 || size == 8)) ||
                  (k == 'b' && size == 1);
    if (k == 'f' && !ok_size)
        what = size == 2 ? "float16 (convert with a.astype(np.float32))"
                         : "floats of this size (only float32 and float64)";
    if (what == NULL && !ok_size)
        what = "this kind or size";
    if (what != NULL) {
        npy__err(err, errlen, "dtype '%s' is not supported: %s", shown, what);
        return -1;
    }
    if (size > 1 && s[0] != '<') {
        if (s[0] == '>')
            npy__err(err, errlen, "dtype '%s' is big-endian; save little-endian data "
                     "(a.astype('<%c%zu'))", shown, k, size);
        else
            npy__err(err, errlen, "dtype '%s' has no little-endian byte order ('<')", shown);
        return -1;
    }
    if (k == 'f' && !(accept & NPY_ACCEPT_FLOAT)) {
        npy__err(err, errlen, "dtype '%s' is a floating-point type; integers are expected "
                 "here", shown);
        return -1;
    }
    if (k != 'f' && !(accept & NPY_ACCEPT_INT)) {
        npy__err(err, errlen, "dtype '%s' is not a floating-point type; float32 or float64 is "
                 "expected here (a.astype(np.float64))", shown);
        return -1;
    }
    *kind = k;
    *itemsize = size;
    return 0;
}

/* Parse the header dict of hlen bytes at h. */
static int npy__header(const unsigned char *h, size_t hlen, unsigned accept, npy_array *a,
                       char *err, size_t errlen)
{
    npy__cursor c = {h, h + hlen};
    int have_descr = 0, have_order = 0, have_shape = 0, fortran = 0;
    npy__skip_ws(&c);
    if (c.p >= c.end || *c.p != '{') {
        npy__err(err, errlen, "header: not a dict (no '{')");
        return -1;
    }
    ++c.p;
    for (;;) {
        npy__skip_ws(&c);
        if (c.p < c.end && *c.p == '}') {
            ++c.p;
            break;
        }
        const unsigned char *key;
        size_t klen;
        if (npy__string(&c, &key, &klen, err, errlen) != 0)
            return -1;
        npy__skip_ws(&c);
        if (c.p >= c.end || *c.p != ':') {
            npy__err(err, errlen, "header: expected ':' after a key");
            return -1;
        }
        ++c.p;
        npy__skip_ws(&c);
        int *seen;
        if (klen == 5 && memcmp(key, "descr", 5) == 0) {
            seen = &have_descr;
            if (c.p < c.end && (*c.p == '[' || *c.p == '{')) {
                npy__err(err, errlen, "structured dtypes (records with named fields) are not "
                         "supported; save one plain float array");
                return -1;
            }
            const unsigned char *s;
            size_t n;
            if (npy__string(&c, &s, &n, err, errlen) != 0 ||
                npy__dtype(s, n, accept, &a->kind, &a->itemsize, err, errlen) != 0)
                return -1;
        } else if (klen == 13 && memcmp(key, "fortran_order", 13) == 0) {
            seen = &have_order;
            if (npy__bool(&c, &fortran, err, errlen) != 0)
                return -1;
        } else if (klen == 5 && memcmp(key, "shape", 5) == 0) {
            seen = &have_shape;
            if (npy__shape(&c, a->shape, &a->ndim, err, errlen) != 0)
                return -1;
        } else {
            char shown[200];
            npy__show(shown, sizeof shown, key, klen);
            npy__err(err, errlen, "header: unknown key '%s'", shown);
            return -1;
        }
        if (*seen) {
            npy__err(err, errlen, "header: a key appears twice");
            return -1;
        }
        *seen = 1;
        npy__skip_ws(&c);
        if (c.p < c.end && *c.p == ',')
            ++c.p;
        else if (!(c.p < c.end && *c.p == '}')) {
            npy__err(err, errlen, "header: expected ',' or '}' after a value");
            return -1;
        }
    }
    npy__skip_ws(&c);
    if (c.p != c.end) {
        npy__err(err, errlen, "header: unexpected bytes after the dict");
        return -1;
    }
    if (!have_descr || !have_order || !have_shape) {
        npy__err(err, errlen, "header: missing key '%s'",
                 !have_descr ? "descr" : !have_order ? "fortran_order" : "shape");
        return -1;
    }
    if (fortran) {
        npy__err(err, errlen, "Fortran-order arrays are not supported; save "
                 "np.ascontiguousarray(a)");
        return -1;
    }
    return 0;
}

static uint64_t npy__le(const unsigned char *p, size_t size)
{
    uint64_t u = 0;
    for (size_t i = size; i-- > 0;)
        u = (u << 8) | p[i];
    return u;
}

static const char *npy__foreign(const unsigned char *buf, size_t len);

/* The header of a .npy file: *a filled (data NULL, count set), *data the
 * count * itemsize bytes of elements, checked to be exactly what follows the
 * header. */
static int npy__open(const unsigned char *buf, size_t len, unsigned accept, npy_array *out,
                     const unsigned char **data, char *err, size_t errlen)
{
    static const unsigned char magic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
    npy_array a;
    memset(&a, 0, sizeof a);
    if (len < 8 || memcmp(buf, magic, sizeof magic) != 0) {
        const char *what = npy__foreign(buf, len);
        if (what != NULL)
            npy__err(err, errlen, "not a .npy file, but %s", what);
        else
            npy__err(err, errlen, "not a .npy file (no \\x93NUMPY magic)");
        return -1;
    }
    unsigned major = buf[6], minor = buf[7];
    if (major < 1 || major > 3 || minor != 0) {
        npy__err(err, errlen, "unsupported .npy format version %u.%u (1.0, 2.0, 3.0 are)", major,
                 minor);
        return -1;
    }
    size_t pre = major == 1 ? 10 : 12;
    if (len < pre) {
        npy__err(err, errlen, "truncated file: the header length is cut off");
        return -1;
    }
    uint64_t hlen64 = npy__le(buf + 8, pre - 8);
    if (hlen64 > (uint64_t)(len - pre)) {
        npy__err(err, errlen, "truncated file: the header says %llu bytes, %zu are present",
                 (unsigned long long)hlen64, len - pre);
        return -1;
    }
    size_t hlen = (size_t)hlen64;
    a.version = (int)major;
    for (size_t j = 0; j < NPY_MAX_DIMS; ++j)
        a.shape[j] = 1;
    if (npy__header(buf + pre, hlen, accept, &a, err, errlen) != 0)
        return -1;
    for (size_t j = a.ndim; j < NPY_MAX_DIMS; ++j)
        a.shape[j] = 1;

    /* element count and byte size, checked against the bytes present */
    size_t count = 1;
    int zero = 0;
    for (size_t j = 0; j < a.ndim; ++j)
        zero |= a.shape[j] == 0;
    if (zero) {
        count = 0;
    } else {
        for (size_t j = 0; j < a.ndim; ++j) {
            if (count > SIZE_MAX / a.shape[j]) {
                npy__err(err, errlen, "the shape's element count overflows size_t");
                return -1;
            }
            count *= a.shape[j];
        }
    }
    if (count > SIZE_MAX / a.itemsize || count > SIZE_MAX / sizeof(double)) {
        npy__err(err, errlen, "the shape's byte size overflows size_t");
        return -1;
    }
    size_t need = count * a.itemsize, have = len - pre - hlen;
    if (have < need) {
        npy__err(err, errlen, "truncated file: the shape needs %zu bytes of data, %zu are "
                 "present", need, have);
        return -1;
    }
    if (have > need) {
        npy__err(err, errlen, "%zu unexpected bytes after the %zu bytes of data", have - need,
                 need);
        return -1;
    }
    a.count = count;
    *out = a;
    *data = buf + pre + hlen;
    return 0;
}

/* An integer element as sign and magnitude (bools 0/1). */
static void npy__int(const unsigned char *p, char kind, size_t size, int *neg, uint64_t *mag)
{
    uint64_t u = npy__le(p, size);
    *neg = 0;
    *mag = u;
    if (kind == 'b') {
        *mag = u != 0;
    } else if (kind == 'i' && ((u >> (8 * size - 1)) & 1u)) {
        *neg = 1;
        *mag = size == 8 ? ~u + 1 : ((uint64_t)1 << (8 * size)) - u;
    }
}

static double npy__float(const unsigned char *p, size_t size)
{
    uint64_t u = npy__le(p, size);
    if (size == 8) {
        double v;
        memcpy(&v, &u, sizeof v);
        return v;
    }
    uint32_t u32 = (uint32_t)u;
    float f;
    memcpy(&f, &u32, sizeof f);
    return (double)f;
}

int npy_parse_ex(const unsigned char *buf, size_t len, unsigned accept, npy_array *out,
                 char *err, size_t errlen)
{
    npy__clear(err, errlen);
    if (buf == NULL || out == NULL) {
        npy__err(err, errlen, "no buffer or no output");
        return -1;
    }
    npy_array a;
    const unsigned char *p;
    if (npy__open(buf, len, accept, &a, &p, err, errlen) != 0)
        return -1;
    if (a.count > 0) {
        a.data = malloc(a.count * sizeof *a.data);
        if (a.data == NULL) {
            npy__err(err, errlen, "out of memory (%zu values)", a.count);
            return -1;
        }
        const uint64_t two53 = (uint64_t)1 << 53;
        for (size_t i = 0; i < a.count; ++i, p += a.itemsize) {
            if (a.kind == 'f') {
                a.data[i] = npy__float(p, a.itemsize);
                continue;
            }
            int neg;
            uint64_t mag;
            npy__int(p, a.kind, a.itemsize, &neg, &mag);
            if (mag > two53) {
                npy__err(err, errlen, "element %zu (in C order, from 1) is the integer %s%llu, "
                         "which a double cannot hold exactly", i + 1, neg ? "-" : "",
                         (unsigned long long)mag);
                free(a.data);
                return -1;
            }
            a.data[i] = neg ? -(double)mag : (double)mag;
        }
    }
    *out = a;
    return 0;
}

int npy_parse(const unsigned char *buf, size_t len, npy_array *out, char *err, size_t errlen)
{
    return npy_parse_ex(buf, len, NPY_ACCEPT_FLOAT, out, err, errlen);
}

void npy_free(npy_array *a)
{
    if (a == NULL)
        return;
    free(a->data);
    memset(a, 0, sizeof *a);
}

int npy_load_ex(const char *path, unsigned accept, npy_array *out, char *err, size_t errlen)
{
    char *buf = NULL, msg[512];
    size_t len = 0;
    npy__clear(err, errlen);
    if (path == NULL || out == NULL) {
        npy__err(err, errlen, "no path or no output");
        return -1;
    }
    if (npy_read_file(path, &buf, &len, err, errlen) != 0)
        return -1;
    int st = npy_parse_ex((const unsigned char *)buf, len, accept, out, msg, sizeof msg);
    free(buf);
    if (st != 0)
        npy__err(err, errlen, "%s: %s", path, msg);
    return st;
}

int npy_load(const char *path, npy_array *out, char *err, size_t errlen)
{
    return npy_load_ex(path, NPY_ACCEPT_FLOAT, out, err, errlen);
}

/* ==== files ====================================================================== */

int npy_read_file(const char *path, char **buf, size_t *len, char *err, size_t errlen)
{
    npy__clear(err, errlen);
    if (path == NULL || buf == NULL || len == NULL) {
        npy__err(err, errlen, "no path or no output");
        return -1;
    }
    int std_in = strcmp(path, "-") == 0;
    FILE *f = std_in ? stdin : fopen(path, "rb");
    if (f == NULL) {
        npy__err(err, errlen, "%s: %s", path, strerror(errno));
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
    if (!ok) {
        npy__err(err, errlen, "%s: out of memory", path);
    } else if (ferror(f)) {
        npy__err(err, errlen, "%s: read error: %s", path, strerror(errno));
        ok = 0;
    }
    if (!std_in)
        fclose(f);
    if (!ok) {
        free(b);
        return -1;
    }
    b[n] = '\0';
    *buf = b;
    *len = n;
    return 0;
}

/* What a non-.npy, non-text file is, with what to do; NULL if not known. */
static const char *npy__foreign(const unsigned char *b, size_t len)
{
    static const struct {
        const char *magic;
        size_t n;
        const char *what;
    } sig[] = {
        {"\x1f\x8b", 2, "gzip-compressed: gunzip it first"},
        {"\xfd" "7zXZ\x00", 6, "xz-compressed: unxz it first"},
        {"\x28\xb5\x2f\xfd", 4, "zstd-compressed: unzstd it first"},
        {"\x89HDF\r\n\x1a\n", 8, "an HDF5 file: read the dataset with h5py and np.save it"},
        {"PK\x05\x06", 4, "an empty zip archive"},
    };
    for (size_t j = 0; j < sizeof sig / sizeof sig[0]; ++j)
        if (len >= sig[j].n && memcmp(b, sig[j].magic, sig[j].n) == 0)
            return sig[j].what;
    if (len >= 10 && memcmp(b, "BZh", 3) == 0 && b[3] >= '1' && b[3] <= '9' &&
        memcmp(b + 4, "\x31\x41\x59\x26\x53\x59", 6) == 0)
        return "bzip2-compressed: bunzip2 it first";
    if (len >= 2 && b[0] == 0x80 && b[1] >= 2 && b[1] <= 5)
        return "a Python pickle (pickle.dump, or an old torch.save): save the array with "
               "np.save";
    if (len >= 4 && memcmp(b, "PK\x03\x04", 4) == 0) {
        /* the name of the first member says what kind of zip it is */
        size_t nlen = len >= 30 ? (size_t)b[26] | (size_t)b[27] << 8 : 0;
        const unsigned char *nm = b + 30;
        if (nlen > 0 && nlen <= len - 30) {
            if (nlen >= 4 && memcmp(nm + nlen - 4, ".npy", 4) == 0)
                return "a .npz archive: extract the array with numpy.load(...)[name] and "
                       "np.save it";
            for (size_t i = 0; i + 8 <= nlen; ++i)
                if (memcmp(nm + i, "data.pkl", 8) == 0)
                    return "a PyTorch file (torch.save): save the tensor with "
                           "np.save(path, t.detach().cpu().numpy())";
        }
        return "a zip archive (a .npz?): extract the array with numpy.load(...)[name] and "
               "np.save it";
    }
    return NULL;
}

int npy_identify(const unsigned char *buf, size_t len, const char *name, char *err,
                 size_t errlen)
{
    static const unsigned char magic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
    npy__clear(err, errlen);
    if (name == NULL)
        name = "input";
    if (buf == NULL) {
        npy__err(err, errlen, "%s: no buffer", name);
        return -1;
    }
    /* a cut magic is still a .npy file (npy_parse then says it is truncated) */
    if (len > 0 && memcmp(buf, magic, len < sizeof magic ? len : sizeof magic) == 0)
        return NPY_FILE_NPY;
    const char *what = npy__foreign(buf, len);
    if (what != NULL) {
        npy__err(err, errlen, "%s is %s", name, what);
        return -1;
    }
    return NPY_FILE_TEXT;
}

/* ==== labels ========================================================================= */

/* One label before remapping: a whole number (sign and magnitude) or a name. */
typedef struct npy__key {
    const char *s; /* the name, or NULL for a number */
    uint64_t mag;
    int neg;
    size_t row;
} npy__key;

static int npy__key_cmp(const void *pa, const void *pb)
{
    const npy__key *a = *(const npy__key *const *)pa, *b = *(const npy__key *const *)pb;
    if ((a->s != NULL) != (b->s != NULL))
        return a->s != NULL ? 1 : -1;
    if (a->s != NULL)
        return strcmp(a->s, b->s);
    if (a->neg != b->neg)
        return a->neg ? -1 : 1;
    int c = (a->mag > b->mag) - (a->mag < b->mag);
    return a->neg ? -c : c;
}

/* Dense codes of keys[0..n-1] (n >= 1; row = position) in sorted key order. */
static int npy__codes(npy__key *keys, size_t n, const char *name, npy_labels *out, char *err,
                      size_t errlen)
{
    const size_t most = (size_t)PTRDIFF_MAX / sizeof(npy__key *);
    npy__key **ord = n >= 1 && n <= most ? malloc(n * sizeof *ord) : NULL;
    int *code = ord != NULL ? malloc(n * sizeof *code) : NULL;
    if (code == NULL) {
        free(ord);
        npy__err(err, errlen, "%s: out of memory (%zu labels)", name, n);
        return -1;
    }
    for (size_t i = 0; i < n; ++i) {
        keys[i].row = i;
        ord[i] = &keys[i];
    }
    qsort(ord, n, sizeof *ord, npy__key_cmp);
    size_t classes = 0;
    for (size_t i = 0; i < n; ++i) {
        if (i > 0 && npy__key_cmp(&ord[i - 1], &ord[i]) != 0)
            ++classes;
        if (classes > (size_t)INT_MAX) {
            free(ord);
            free(code);
            npy__err(err, errlen, "%s: more than %d classes", name, INT_MAX);
            return -1;
        }
        code[ord[i]->row] = (int)classes;
    }
    free(ord);
    out->code = code;
    out->n = n;
    out->classes = classes + 1;
    return 0;
}

/* A whole number in a double as a key; -1 with the reason in why. */
static int npy__whole(double v, npy__key *k, const char **why)
{
    if (isnan(v)) {
        *why = "is NaN";
        return -1;
    }
    if (isinf(v)) {
        *why = "is infinite";
        return -1;
    }
    if (v != floor(v)) {
        *why = "is not a whole number";
        return -1;
    }
    if (fabs(v) >= 0x1p64) {
        *why = "is too large for a class id (the limit is 18446744073709551615 in magnitude)";
        return -1;
    }
    k->neg = v < 0;
    k->mag = (uint64_t)fabs(v);
    k->neg &= k->mag != 0;
    return 0;
}

int npy_labels_parse(const unsigned char *buf, size_t len, const char *name, npy_labels *out,
                     char *err, size_t errlen)
{
    npy__clear(err, errlen);
    if (name == NULL)
        name = "labels";
    if (buf == NULL || out == NULL) {
        npy__err(err, errlen, "%s: no buffer or no output", name);
        return -1;
    }
    npy_array a;
    const unsigned char *p;
    char msg[400];
    if (npy__open(buf, len, NPY_ACCEPT_FLOAT | NPY_ACCEPT_INT, &a, &p, msg, sizeof msg) != 0) {
        npy__err(err, errlen, "%s: %s", name, msg);
        return -1;
    }
    if (!(a.ndim == 1 || (a.ndim == 2 && a.shape[1] == 1))) {
        if (a.ndim == 2 && a.shape[0] == 1)
            npy__err(err, errlen, "%s: labels of shape (1, %zu): save them as one column "
                     "(y.reshape(-1))", name, a.shape[1]);
        else if (a.ndim == 0)
            npy__err(err, errlen, "%s: a scalar, not labels (shape (n,) or (n, 1))", name);
        else
            npy__err(err, errlen, "%s: labels must have shape (n,) or (n, 1), not %zu "
                     "dimensions of sizes %zu x %zu x %zu", name, a.ndim, a.shape[0],
                     a.shape[1], a.shape[2]);
        return -1;
    }
    if (a.count == 0) {
        npy__err(err, errlen, "%s: no labels (an empty array)", name);
        return -1;
    }
    npy__key *keys = malloc(a.count * sizeof *keys);
    if (keys == NULL) {
        npy__err(err, errlen, "%s: out of memory (%zu labels)", name, a.count);
        return -1;
    }
    for (size_t i = 0; i < a.count; ++i, p += a.itemsize) {
        keys[i].s = NULL;
        if (a.kind != 'f') {
            npy__int(p, a.kind, a.itemsize, &keys[i].neg, &keys[i].mag);
            continue;
        }
        double v = npy__float(p, a.itemsize);
        const char *why;
        if (npy__whole(v, &keys[i], &why) != 0) {
            char num[40];
            npy__num(num, sizeof num, v);
            npy__err(err, errlen, "%s: row %zu: %s%s %s", name, i + 1,
                     isfinite(v) ? "label " : "the label", isfinite(v) ? num : "", why);
            free(keys);
            return -1;
        }
    }
    npy_labels l;
    int st = npy__codes(keys, a.count, name, &l, err, errlen);
    free(keys);
    if (st == 0)
        *out = l;
    return st;
}

void npy_labels_free(npy_labels *l)
{
    if (l == NULL)
        return;
    free(l->code);
    memset(l, 0, sizeof *l);
}

/* ASCII case-insensitive equality. */
static int npy__same(const char *a, const char *b)
{
    for (; *a && *b; ++a, ++b) {
        int x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z')
            x += 'a' - 'A';
        if (y >= 'A' && y <= 'Z')
            y += 'a' - 'A';
        if (x != y)
            return 0;
    }
    return *a == *b;
}

int npy_is_label_name(const char *s)
{
    static const char *const names[] = {"label", "labels", "y",       "target",
                                        "targets", "class", "classes"};
    if (s == NULL)
        return 0;
    for (size_t j = 0; j < sizeof names / sizeof names[0]; ++j)
        if (npy__same(s, names[j]))
            return 1;
    return 0;
}

/* ==== text tables ===================================================================== */

/* What a cell holds. */
enum {
    NPY__NUM,       /* a finite number */
    NPY__NAME,      /* text that does not start like a number */
    NPY__EMPTY,     /* nothing */
    NPY__MISSING,   /* a missing-value mark: NA, N/A, null, None, ... */
    NPY__NONFINITE, /* nan, inf, infinity */
    NPY__RANGE,     /* beyond the range of a double: 1e400 */
    NPY__BAD        /* starts like a number but is not one: 1.2.3, 12abc, - */
};

static int npy__missing(const char *s)
{
    static const char *const marks[] = {"na",   "n/a",  "#n/a",    "#n/a n/a", "#na",
                                        "<na>", "null", "none",    "nil",      "-1.#ind",
                                        "1.#ind", "-1.#qnan", "1.#qnan"};
    for (size_t j = 0; j < sizeof marks / sizeof marks[0]; ++j)
        if (npy__same(s, marks[j]))
            return 1;
    return 0;
}

static int npy__cell(const char *s, double *v)
{
    if (*s == '\0')
        return NPY__EMPTY;
    char *end = NULL;
    errno = 0;
    double x = strtod(s, &end);
    if (end != s && *end == '\0') {
        if (errno == ERANGE && (isinf(x) || fabs(x) > 1.0))
            return NPY__RANGE;
        if (!isfinite(x))
            return NPY__NONFINITE;
        *v = x; /* underflow to a subnormal or zero is fine */
        return NPY__NUM;
    }
    if (npy__missing(s))
        return NPY__MISSING;
    if (strchr("+-.0123456789", *s) != NULL)
        return NPY__BAD;
    return NPY__NAME;
}

/* Why a cell of kind k (not NPY__NUM) is not a number. */
static void npy__why(char *dst, size_t dstlen, int k, const char *s)
{
    char shown[200];
    npy__show(shown, sizeof shown, (const unsigned char *)s, strlen(s));
    switch (k) {
    case NPY__EMPTY: snprintf(dst, dstlen, "an empty cell"); break;
    case NPY__MISSING: snprintf(dst, dstlen, "\"%s\" marks a missing value", shown); break;
    case NPY__NONFINITE: snprintf(dst, dstlen, "\"%s\" is not a finite number", shown); break;
    case NPY__RANGE:
        snprintf(dst, dstlen, "\"%s\" is beyond the range of a double (about 1.8e308)", shown);
        break;
    default: snprintf(dst, dstlen, "\"%s\" is not a number", shown); break;
    }
}

/* Digits with an optional sign: the exact integer in *k; 0 if s is not
 * such a literal, -1 if it is one too large. */
static int npy__int_literal(const char *s, npy__key *k)
{
    int neg = *s == '-';
    if (*s == '-' || *s == '+')
        ++s;
    if (*s == '\0')
        return 0;
    uint64_t m = 0;
    for (const char *p = s; *p; ++p) {
        if (*p < '0' || *p > '9')
            return 0;
        unsigned dgt = (unsigned)(*p - '0');
        if (m > (UINT64_MAX - dgt) / 10)
            return -1;
        m = m * 10 + dgt;
    }
    k->mag = m;
    k->neg = neg && m != 0;
    return 1;
}

/* s without the blanks around it (s is modified). */
static char *npy__trim_ws(char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r')
        ++s;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        *--e = '\0';
    return s;
}

/* A cell without the blanks around it and one pair of double quotes. */
static char *npy__trim(char *s)
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

/* Cells of a line without changing it: sep ',' or ' ' (runs of blanks). */
static size_t npy__count(const char *s, char sep)
{
    size_t n = 0;
    if (sep == ',') {
        for (n = 1; *s; ++s)
            n += *s == ',';
        return n;
    }
    while (*s) {
        while (*s == ' ' || *s == '\t' || *s == '\r')
            ++s;
        if (*s == '\0')
            break;
        ++n;
        while (*s && *s != ' ' && *s != '\t' && *s != '\r')
            ++s;
    }
    return n;
}

/* Split line (modified in place) into at most cap cells, trimmed; returns
 * the number of cells (which may exceed cap). */
static size_t npy__split(char *line, char sep, char **cell, size_t cap)
{
    size_t n = 0;
    char *p = line;
    if (sep == ',') {
        for (;;) {
            char *c = strchr(p, ',');
            if (c)
                *c = '\0';
            if (n < cap)
                cell[n] = npy__trim(p);
            ++n;
            if (!c)
                break;
            p = c + 1;
        }
        return n;
    }
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
            cell[n] = npy__trim(start);
        ++n;
    }
    return n;
}

/* The state of one parse. */
typedef struct npy__tab {
    const char *name;
    char *err;
    size_t errlen;
    npy_table_opts o;
    size_t cols;          /* cells per line */
    size_t label, index;  /* file columns (from 1) of the labels and of a pandas index; 0 */
    size_t dcols;         /* activation columns */
    size_t rows, cap;
    double *v;
    size_t *line;
    npy__key *keys;
} npy__tab;

static void npy__fail(npy__tab *x, size_t line, size_t col, const char *fmt, ...)
    NPY__PRINTF(4, 5);

/* "NAME:LINE:COL: message" (":COL" left out when col is 0, ":LINE" too when
 * line is 0). */
static void npy__fail(npy__tab *x, size_t line, size_t col, const char *fmt, ...)
{
    if (x->err == NULL || x->errlen == 0)
        return;
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (line == 0)
        npy__err(x->err, x->errlen, "%s: %s", x->name, msg);
    else if (col == 0)
        npy__err(x->err, x->errlen, "%s:%zu: %s", x->name, line, msg);
    else
        npy__err(x->err, x->errlen, "%s:%zu:%zu: %s", x->name, line, col, msg);
}

/* Which columns hold the labels and a pandas index, from the options and
 * the header names (NULL without a header) on line hline. */
static int npy__columns(npy__tab *x, char **names, size_t hline, npy_table *t)
{
    const char *lc = x->o.label_column;
    if (lc != NULL) {
        npy__key k;
        if (npy__int_literal(lc, &k) == 1 && !k.neg && *lc != '+' && *lc != '-') {
            if (k.mag < 1 || k.mag > x->cols) {
                npy__fail(x, 0, 0, "--label-column %s: the file has %zu columns", lc, x->cols);
                return -1;
            }
            x->label = (size_t)k.mag;
        } else if (names == NULL) {
            npy__fail(x, 0, 0, "--label-column %s: the file has no header line; give the "
                      "column's number (from 1)", lc);
            return -1;
        } else {
            for (size_t j = 0; j < x->cols && x->label == 0; ++j)
                if (strcmp(names[j], lc) == 0)
                    x->label = j + 1;
            for (size_t j = 0; j < x->cols && x->label == 0; ++j)
                if (npy__same(names[j], lc))
                    x->label = j + 1;
            if (x->label == 0) {
                npy__fail(x, hline, 0, "--label-column %s: the header has no column of that "
                          "name", lc);
                return -1;
            }
        }
    }
    for (size_t j = 0; names != NULL && j < x->cols; ++j) {
        if (!npy_is_label_name(names[j]) || j + 1 == x->label || x->o.labels_only)
            continue;
        if (lc != NULL) {
            npy__fail(x, hline, j + 1, "column %zu \"%s\" is named like labels, but "
                      "--label-column %s chose column %zu; it is not read as activations: "
                      "remove it from the file", j + 1, names[j], lc, x->label);
            return -1;
        }
        if (x->o.labels_elsewhere) {
            npy__fail(x, hline, j + 1, "column %zu \"%s\" is named like labels, so it is not "
                      "read as activations: remove it from the file, or use it as the labels "
                      "with --label-column %s instead of --labels", j + 1, names[j], names[j]);
            return -1;
        }
        if (x->label != 0) {
            npy__fail(x, hline, j + 1, "columns %zu \"%s\" and %zu \"%s\" are both named like "
                      "labels; choose the labels with --label-column and remove the other",
                      x->label, names[x->label - 1], j + 1, names[j]);
            return -1;
        }
        x->label = j + 1;
        t->label_by_name = 1;
    }
    if (names != NULL && x->cols >= 2 && x->label != 1 &&
        (names[0][0] == '\0' || npy__same(names[0], "Unnamed: 0")))
        x->index = 1;
    if (x->o.labels_only) {
        size_t left = x->cols - (x->index != 0);
        if (left != 1) {
            npy__fail(x, 0, 0, "a label file holds one column of labels, this one has %zu",
                      left);
            return -1;
        }
        x->label = x->index ? 2 : 1;
    }
    x->dcols = x->cols - (x->label != 0) - (x->index != 0);
    if (!x->o.labels_only && x->dcols == 0) {
        npy__fail(x, 0, 0, "no column of activations (only %s)",
                  x->label && x->index ? "the labels and the index"
                  : x->label           ? "the labels" : "the index");
        return -1;
    }
    if (names != NULL && x->label != 0)
        snprintf(t->label_name, sizeof t->label_name, "%s", names[x->label - 1]);
    t->label_col = x->label;
    return 0;
}

/* Room for one more row. */
static int npy__grow(npy__tab *x, size_t lineno)
{
    if (x->rows < x->cap)
        return 0;
    size_t nc = x->cap ? 2 * x->cap : 1024;
    size_t w = x->dcols ? x->dcols : 1;
    if (nc <= x->cap || nc > SIZE_MAX / sizeof(double) / w ||
        nc > SIZE_MAX / sizeof(npy__key)) {
        npy__fail(x, lineno, 0, "out of memory");
        return -1;
    }
    if (x->dcols) {
        double *nv = realloc(x->v, nc * w * sizeof *nv);
        if (nv == NULL) {
            npy__fail(x, lineno, 0, "out of memory");
            return -1;
        }
        x->v = nv;
    }
    size_t *nl = realloc(x->line, nc * sizeof *nl);
    if (nl == NULL) {
        npy__fail(x, lineno, 0, "out of memory");
        return -1;
    }
    x->line = nl;
    if (x->label) {
        npy__key *nk = realloc(x->keys, nc * sizeof *nk);
        if (nk == NULL) {
            npy__fail(x, lineno, 0, "out of memory");
            return -1;
        }
        x->keys = nk;
    }
    x->cap = nc;
    return 0;
}

/* The label in cell s (line, column col) as a key. */
static int npy__label(npy__tab *x, const char *s, size_t line, size_t col, npy__key *k)
{
    double v = 0.0;
    int kind = npy__cell(s, &v);
    k->s = NULL;
    k->neg = 0;
    k->mag = 0;
    if (kind == NPY__NAME) {
        k->s = s;
        return 0;
    }
    char why[300];
    if (kind != NPY__NUM) {
        npy__why(why, sizeof why, kind, s);
        npy__fail(x, line, col, "label: %s", why);
        return -1;
    }
    int lit = npy__int_literal(s, k);
    const char *reason = NULL;
    if (lit < 0)
        reason = "is too large for a class id (the limit is 18446744073709551615 in magnitude)";
    else if (lit == 0 && npy__whole(v, k, &reason) == 0)
        reason = NULL;
    if (reason != NULL) {
        npy__show(why, sizeof why, (const unsigned char *)s, strlen(s));
        npy__fail(x, line, col, "label %s %s", why, reason);
        return -1;
    }
    return 0;
}

/* The first content line was neither a header nor numbers: the error, at
 * the cell that breaks the rule meant. When the line has names, a header was
 * probably meant: the first cell that is neither a name nor a number, if
 * any, else the first name (then it is names mixed with numbers). Otherwise
 * the first cell that is not a number. Label and index columns aside. */
static void npy__first_line_error(npy__tab *x, char **cell, size_t n, size_t lineno)
{
    size_t name = 0, odd = 0, notnum = 0; /* columns from 1; 0: none */
    double v;
    for (size_t j = 0; j < n; ++j) {
        if (j + 1 == x->label || j + 1 == x->index)
            continue;
        int k = npy__cell(cell[j], &v);
        if (k == NPY__NAME && !name)
            name = j + 1;
        if (k != NPY__NAME && k != NPY__NUM && !odd)
            odd = j + 1;
        if (k != NPY__NUM && !notnum)
            notnum = j + 1;
    }
    int header_meant = name != 0 || (odd != 0 && npy__cell(cell[odd - 1], &v) == NPY__BAD);
    size_t at = !header_meant ? notnum : odd ? odd : name;
    if (at == 0)
        at = 1;
    char why[300];
    npy__why(why, sizeof why, npy__cell(cell[at - 1], &v), cell[at - 1]);
    npy__fail(x, lineno, at, "%s%s", why,
              !header_meant      ? ""
              : x->o.labels_only ? "; a header line holds only names"
                                 : "; a header line holds only names (--header makes the first "
                                   "line one)");
}

/* One data line: cell[0..n-1]; first: the first content line. */
static int npy__row(npy__tab *x, char **cell, size_t n, size_t lineno, size_t first_line,
                    int first)
{
    if (n != x->cols) {
        npy__fail(x, lineno, 0, "%zu cell%s, expected %zu as on line %zu", n, n == 1 ? "" : "s",
                  x->cols, first_line);
        return -1;
    }
    if (npy__grow(x, lineno) != 0)
        return -1;
    double *out = x->v ? x->v + x->rows * x->dcols : NULL;
    for (size_t j = 0; j < n; ++j) {
        double v = 0.0;
        if (j + 1 == x->label) {
            if (npy__label(x, cell[j], lineno, j + 1, &x->keys[x->rows]) != 0)
                return -1;
            continue;
        }
        int kind = npy__cell(cell[j], &v);
        if (j + 1 == x->index) {
            if (kind != NPY__NUM || v != (double)x->rows) {
                char shown[200];
                npy__show(shown, sizeof shown, (const unsigned char *)cell[j], strlen(cell[j]));
                npy__fail(x, lineno, 1, "column 1 has no name in the header, as pandas writes "
                          "its row index, but holds \"%s\" where the index would be %zu; only "
                          "an index 0, 1, 2, ... is dropped: write the file with "
                          "to_csv(..., index=False)", shown, x->rows);
                return -1;
            }
            continue;
        }
        if (kind != NPY__NUM) {
            if (first) {
                npy__first_line_error(x, cell, n, lineno);
            } else {
                char why[300];
                npy__why(why, sizeof why, kind, cell[j]);
                npy__fail(x, lineno, j + 1, "%s", why);
            }
            return -1;
        }
        *out++ = v;
    }
    x->line[x->rows++] = lineno;
    return 0;
}

/* The first content line (split into cell[0..n-1]): 1 if it is a header,
 * 0 if data, 2 for a label file's line that is decided at the end. */
static int npy__is_header(const npy__tab *x, char **cell, size_t n)
{
    if (x->o.header)
        return 1;
    double v;
    int pandas = n >= 2 && cell[0][0] == '\0';
    if (x->o.labels_only && n == 1 && npy__cell(cell[0], &v) == NPY__NAME)
        return npy_is_label_name(cell[0]) ? 1 : 2;
    for (size_t j = pandas ? 1 : 0; j < n; ++j) {
        npy__key k;
        int kind = npy__cell(cell[j], &v);
        if (kind != NPY__NAME && !(pandas && npy__int_literal(cell[j], &k) == 1))
            return 0;
    }
    return 1;
}

/* The labels of the rows: no mix of names and numbers; a label file's
 * undecided first line (tentative) becomes a header when the labels below it
 * are numbers. */
static int npy__finish_labels(npy__tab *x, int tentative, npy_table *t)
{
    if (tentative && x->rows >= 2) {
        int numbers = 1;
        for (size_t i = 1; i < x->rows; ++i)
            numbers &= x->keys[i].s == NULL;
        if (numbers) { /* a name above numbers: the header */
            memmove(x->keys, x->keys + 1, (x->rows - 1) * sizeof *x->keys);
            memmove(x->line, x->line + 1, (x->rows - 1) * sizeof *x->line);
            --x->rows;
            t->header = 1;
        }
    }
    size_t num = SIZE_MAX, nam = SIZE_MAX;
    for (size_t i = 0; i < x->rows && (num == SIZE_MAX || nam == SIZE_MAX); ++i) {
        if (x->keys[i].s == NULL && num == SIZE_MAX)
            num = i;
        if (x->keys[i].s != NULL && nam == SIZE_MAX)
            nam = i;
    }
    if (num != SIZE_MAX && nam != SIZE_MAX) {
        size_t late = num > nam ? num : nam, early = num > nam ? nam : num;
        char a[200], b[200];
        npy__show(a, sizeof a, (const unsigned char *)(x->keys[nam].s),
                  strlen(x->keys[nam].s));
        snprintf(b, sizeof b, "%s%llu", x->keys[num].neg ? "-" : "",
                 (unsigned long long)x->keys[num].mag);
        npy__fail(x, x->line[late], x->label, "label %s%s%s is a %s, but the label on line %zu "
                  "is a %s (\"%s\"): labels are all numbers or all names",
                  late == nam ? "\"" : "", late == nam ? a : b, late == nam ? "\"" : "",
                  late == nam ? "name" : "number", x->line[early],
                  late == nam ? "number" : "name", late == nam ? b : a);
        return -1;
    }
    return npy__codes(x->keys, x->rows, x->name, &t->labels, x->err, x->errlen);
}

int npy_table_parse(char *text, size_t len, const char *name, const npy_table_opts *opts,
                    npy_table *out, char *err, size_t errlen)
{
    npy__clear(err, errlen);
    npy__tab x;
    memset(&x, 0, sizeof x);
    x.name = name ? name : "input";
    x.err = err;
    x.errlen = errlen;
    if (opts != NULL)
        x.o = *opts;
    if (text == NULL || out == NULL) {
        npy__fail(&x, 0, 0, "no text or no output");
        return -1;
    }
    int kind = npy_identify((const unsigned char *)text, len, x.name, err, errlen);
    if (kind < 0)
        return -1;
    if (kind == NPY_FILE_NPY) {
        npy__fail(&x, 0, 0, "a .npy file, not text");
        return -1;
    }
    const char *nul = memchr(text, '\0', len);
    if (nul != NULL) {
        size_t line = 1;
        for (const char *p = text; p < nul; ++p)
            line += *p == '\n';
        npy__fail(&x, line, 0, "a NUL byte: a binary file, not text");
        return -1;
    }
    if (text[len] != '\0') {
        npy__fail(&x, 0, 0, "the text is not NUL-terminated");
        return -1;
    }
    npy_table t;
    memset(&t, 0, sizeof t);
    char *s0 = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? text + 3 : text;
    char **cell = NULL, **names = NULL, sep = ',';
    size_t lineno = 0, first_line = 0;
    int ok = 1, first = 1, tentative = 0;
    for (char *line = s0; ok && line != NULL;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        ++lineno;
        char *s = npy__trim_ws(line);
        line = nl ? nl + 1 : NULL;
        if (*s == '\0' || *s == '#')
            continue;
        if (first) { /* the first content line fixes the separator and the width */
            sep = strchr(s, ',') ? ',' : ' ';
            x.cols = npy__count(s, sep);
            first_line = lineno;
            cell = x.cols <= SIZE_MAX / sizeof *cell ? malloc(x.cols * sizeof *cell) : NULL;
            if (cell == NULL) {
                npy__fail(&x, lineno, 0, "out of memory");
                ok = 0;
                break;
            }
        }
        size_t n = npy__split(s, sep, cell, x.cols);
        if (!first) {
            ok = npy__row(&x, cell, n, lineno, first_line, 0) == 0;
            continue;
        }
        first = 0;
        int h = npy__is_header(&x, cell, n);
        if (h != 1) {
            tentative = h == 2;
            ok = npy__columns(&x, NULL, lineno, &t) == 0 &&
                 npy__row(&x, cell, n, lineno, first_line, 1) == 0;
            continue;
        }
        t.header = 1;
        names = cell; /* the names point into the text, which outlives the parse */
        cell = malloc(x.cols * sizeof *cell);
        if (cell == NULL) {
            npy__fail(&x, lineno, 0, "out of memory");
            ok = 0;
            break;
        }
        ok = npy__columns(&x, names, lineno, &t) == 0;
    }
    if (ok && first_line == 0) {
        npy__fail(&x, 0, 0, "no data: the file is empty (or only comments)");
        ok = 0;
    } else if (ok && x.rows == 0) {
        npy__fail(&x, 0, 0, "no data rows below the header on line %zu", first_line);
        ok = 0;
    }
    if (ok && x.label)
        ok = npy__finish_labels(&x, tentative, &t) == 0;
    if (ok && !t.header && x.label != 1 && x.cols >= 2 && x.rows >= 2) {
        int counts = 1;
        for (size_t r = 0; r < x.rows && counts; ++r)
            counts = x.v[r * x.dcols] == (double)r;
        t.index_like = counts;
    }
    free(cell);
    free(names);
    free(x.keys);
    if (!ok) {
        free(x.v);
        free(x.line);
        npy_labels_free(&t.labels);
        return -1;
    }
    t.v = x.v;
    t.rows = x.rows;
    t.cols = x.dcols;
    t.line = x.line;
    t.index_dropped = x.index != 0;
    *out = t;
    return 0;
}

void npy_table_free(npy_table *t)
{
    if (t == NULL)
        return;
    free(t->v);
    free(t->line);
    npy_labels_free(&t->labels);
    memset(t, 0, sizeof *t);
}
