/* npy.h: a strict, bounds-checked reader for NumPy .npy files (format
 * versions 1.0, 2.0 and 3.0). Header-only: every function is static inline.
 *
 * The format (numpy.lib.format): the magic "\x93NUMPY", one byte each of
 * major and minor version, the header length (2 bytes little-endian for 1.0,
 * 4 bytes for 2.0 and 3.0), the header -- a Python dict literal such as
 *
 *     {'descr': '<f8', 'fortran_order': False, 'shape': (4096, 16, 3), }
 *
 * padded with spaces and a newline (Latin-1 for 1.0/2.0, UTF-8 for 3.0) --
 * and then the raw elements in C order.
 *
 * What is accepted:
 *   - dtypes '<f8' (float64) and '<f4' (float32); with NPY_ACCEPT_INT also the
 *     integer dtypes '|i1' '|u1' '<i2' '<u2' '<i4' '<u4' '<i8' '<u8' and
 *     '|b1' (bool). Integers beyond +-2^53 are refused (not exact as double).
 *   - 0 to 3 dimensions, C order ('fortran_order': False), any sizes
 *     including 0 (an empty array: count 0, data NULL).
 * Everything else is an error with a one-line reason: a wrong magic or an
 * unknown version, a header that is not a dict of exactly the keys descr,
 * fortran_order and shape, big-endian data ('>f8'), Fortran order,
 * structured or object dtypes, float16, complex, strings, dates, more than 3
 * dimensions, a shape whose element count or byte size overflows size_t,
 * and a data section shorter or longer than the shape says. The byte size
 * the shape implies is compared with the bytes actually present before
 * anything is allocated, so a lying header cannot cause a huge allocation;
 * every read is bounds-checked, so a malformed file cannot cause a crash.
 *
 * Values are converted to double: float32 and the integers exactly, float64
 * bit for bit (NaN, infinities, -0.0 and subnormals included; rejecting
 * non-finite values is the caller's business). Byte order is decoded
 * explicitly, so the reader also works on big-endian hosts.
 *
 * API (all return 0 on success, -1 on error with a one-line reason in err;
 * err may be NULL; otherwise errlen > 0 bytes of it are used, always
 * NUL-terminated, "" on success; on error *out is left untouched, on success
 * the caller owns out->data and releases it with npy_free; npy_load's
 * messages start with "PATH: "):
 *   npy_parse(buf, len, out, err, errlen)    float32/float64 from memory
 *   npy_parse_ex(buf, len, accept, out, ...) accept = NPY_ACCEPT_FLOAT and/or
 *                                            NPY_ACCEPT_INT
 *   npy_load(path, out, err, errlen)         npy_parse of a whole file
 *   npy_load_ex(path, accept, out, ...)      npy_parse_ex of a whole file
 *   npy_free(a)                              frees a->data, empties *a
 *                                            (NULL and empty arrays are fine) */
#ifndef GCENT_EXAMPLES_NPY_H
#define GCENT_EXAMPLES_NPY_H

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NPY_MAX_DIMS 3

/* Dtype classes accepted by npy_parse_ex / npy_load_ex (a bit mask). */
#define NPY_ACCEPT_FLOAT 1u /* '<f4', '<f8' */
#define NPY_ACCEPT_INT 2u   /* signed/unsigned integers of 1-8 bytes and bool */

typedef struct npy_array {
    double *data;               /* count values in C order, converted to double;
                                   NULL when count == 0 */
    size_t ndim;                /* 0 .. NPY_MAX_DIMS (0: a scalar, count 1) */
    size_t shape[NPY_MAX_DIMS]; /* shape[j] for j < ndim; 1 for j >= ndim */
    size_t count;               /* product of the shape */
    char kind;                  /* 'f' float, 'i' signed int, 'u' unsigned int, 'b' bool */
    size_t itemsize;            /* bytes per element in the file: 1, 2, 4 or 8 */
    int version;                /* format major version: 1, 2 or 3 */
} npy_array;

static inline void npy__err(char *err, size_t errlen, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static inline void npy__err(char *err, size_t errlen, const char *fmt, ...)
{
    if (err == NULL || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* Printable copy of at most 40 bytes of s (others as \xNN) for messages. */
static inline void npy__show(char *dst, size_t dstlen, const unsigned char *s, size_t n)
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

/* ---- the header dict ------------------------------------------------------- */

typedef struct npy__cursor {
    const unsigned char *p, *end;
} npy__cursor;

static inline void npy__skip_ws(npy__cursor *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r' ||
                             *c->p == '\f' || *c->p == '\v'))
        ++c->p;
}

/* A quoted Python string without escapes: *s, *n point into the header. */
static inline int npy__string(npy__cursor *c, const unsigned char **s, size_t *n,
                              char *err, size_t errlen)
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

static inline int npy__is_ident(unsigned char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_' || ch >= 0x80;
}

/* True or False. */
static inline int npy__bool(npy__cursor *c, int *v, char *err, size_t errlen)
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
static inline int npy__size(npy__cursor *c, size_t *v, char *err, size_t errlen)
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
static inline int npy__shape(npy__cursor *c, size_t shape[NPY_MAX_DIMS], size_t *ndim,
                             char *err, size_t errlen)
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
static inline int npy__dtype(const unsigned char *s, size_t n, unsigned accept, char *kind,
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
static inline int npy__header(const unsigned char *h, size_t hlen, unsigned accept,
                              npy_array *a, char *err, size_t errlen)
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

/* ---- elements ------------------------------------------------------------------ */

static inline uint64_t npy__le(const unsigned char *p, size_t size)
{
    uint64_t u = 0;
    for (size_t i = size; i-- > 0;)
        u = (u << 8) | p[i];
    return u;
}

/* Element i of the data section as a double; -1 if an integer is beyond
 * +-2^53. */
static inline int npy__value(const unsigned char *p, char kind, size_t size, double *v)
{
    const uint64_t two53 = (uint64_t)1 << 53;
    uint64_t u = npy__le(p, size);
    switch (kind) {
    case 'f':
        if (size == 8) {
            memcpy(v, &u, sizeof *v);
        } else {
            uint32_t u32 = (uint32_t)u;
            float f;
            memcpy(&f, &u32, sizeof f);
            *v = (double)f;
        }
        return 0;
    case 'u':
        if (u > two53)
            return -1;
        *v = (double)u;
        return 0;
    case 'i': {
        int neg = (u >> (8 * size - 1)) & 1u;
        uint64_t mag = neg ? (size == 8 ? ~u + 1 : ((uint64_t)1 << (8 * size)) - u) : u;
        if (mag > two53)
            return -1;
        *v = neg ? -(double)mag : (double)mag;
        return 0;
    }
    default: /* 'b' */
        *v = u != 0 ? 1.0 : 0.0;
        return 0;
    }
}

/* ---- public functions ---------------------------------------------------------- */

static inline int npy_parse_ex(const unsigned char *buf, size_t len, unsigned accept,
                               npy_array *out, char *err, size_t errlen)
{
    static const unsigned char magic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
    npy_array a;
    memset(&a, 0, sizeof a);
    if (err != NULL && errlen > 0)
        err[0] = '\0';
    if (buf == NULL || out == NULL) {
        npy__err(err, errlen, "no buffer or no output");
        return -1;
    }
    if (len < 8 || memcmp(buf, magic, sizeof magic) != 0) {
        npy__err(err, errlen, "not a .npy file (no \\x93NUMPY magic%s)",
                 len >= 2 && buf[0] == 'P' && buf[1] == 'K' ? "; .npz archives are not "
                 "supported, save one array with np.save" : "");
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
    if (count > 0) {
        a.data = malloc(count * sizeof *a.data);
        if (a.data == NULL) {
            npy__err(err, errlen, "out of memory (%zu values)", count);
            return -1;
        }
        const unsigned char *p = buf + pre + hlen;
        for (size_t i = 0; i < count; ++i, p += a.itemsize)
            if (npy__value(p, a.kind, a.itemsize, &a.data[i]) != 0) {
                npy__err(err, errlen, "element %zu is an integer beyond 2^53 in magnitude, "
                         "not exact as a double", i);
                free(a.data);
                return -1;
            }
    }
    *out = a;
    return 0;
}

static inline int npy_parse(const unsigned char *buf, size_t len, npy_array *out, char *err,
                            size_t errlen)
{
    return npy_parse_ex(buf, len, NPY_ACCEPT_FLOAT, out, err, errlen);
}

static inline void npy_free(npy_array *a)
{
    if (a == NULL)
        return;
    free(a->data);
    memset(a, 0, sizeof *a);
}

/* Read the whole file (any size; pipes too) into a malloc'd buffer. */
static inline int npy__slurp(const char *path, unsigned char **buf, size_t *len, char *err,
                             size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        npy__err(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    size_t cap = 1 << 16, n = 0;
    unsigned char *b = malloc(cap);
    int ok = b != NULL;
    while (ok) {
        if (n == cap) {
            unsigned char *nb = cap <= SIZE_MAX / 2 ? realloc(b, cap * 2) : NULL;
            if (nb == NULL) {
                ok = 0;
                break;
            }
            b = nb;
            cap *= 2;
        }
        size_t got = fread(b + n, 1, cap - n, f);
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
    fclose(f);
    if (!ok) {
        free(b);
        return -1;
    }
    *buf = b;
    *len = n;
    return 0;
}

static inline int npy_load_ex(const char *path, unsigned accept, npy_array *out, char *err,
                              size_t errlen)
{
    unsigned char *buf = NULL;
    size_t len = 0;
    char msg[512];
    if (err != NULL && errlen > 0)
        err[0] = '\0';
    if (path == NULL || out == NULL) {
        npy__err(err, errlen, "no path or no output");
        return -1;
    }
    if (npy__slurp(path, &buf, &len, err, errlen) != 0)
        return -1;
    int st = npy_parse_ex(buf, len, accept, out, msg, sizeof msg);
    free(buf);
    if (st != 0)
        npy__err(err, errlen, "%s: %s", path, msg);
    return st;
}

static inline int npy_load(const char *path, npy_array *out, char *err, size_t errlen)
{
    return npy_load_ex(path, NPY_ACCEPT_FLOAT, out, err, errlen);
}

#endif /* GCENT_EXAMPLES_NPY_H */
