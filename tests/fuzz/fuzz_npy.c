/* libFuzzer target over the .npy reader of the examples (support/npy.h),
 * which gcent-estimate uses on files it is handed. The input is the file.
 *
 * It is parsed with each accepted-dtype mask (floats, integers, both) and
 * with error buffers of several sizes (none, 1 byte, a few bytes, large,
 * each allocated to exactly that size so that ASan sees any overrun), and
 * the harness aborts when a promise of npy.h breaks:
 *   - the result is 0 or -1; on -1 the output is untouched (byte for byte)
 *     and the message is non-empty (when there is room), NUL-terminated
 *     within errlen and one line; on 0 the message is empty;
 *   - the input is not written; the same call gives the same result;
 *   - on success the array is consistent: ndim <= 3, shape[j] == 1 beyond
 *     ndim, count the product of the shape, data NULL exactly when count is
 *     0, a known kind and item size, version 1..3, and the data section --
 *     the last count * itemsize bytes of the file, since nothing may follow
 *     it -- decoded independently here gives the same doubles (float64 bit
 *     for bit, float32 exactly, integers exact and within 2^53, bools 0/1);
 *   - the masks agree: floats-and-integers succeeds exactly when the mask of
 *     the file's kind succeeds, with the same array;
 *   - npy_free empties the array. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "npy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_CHECK(cond, ...)                                                   \
    do {                                                                      \
        if (!(cond)) {                                                        \
            fprintf(stderr, "fuzz_npy: %s:%d: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                     \
            fputc('\n', stderr);                                              \
            abort();                                                          \
        }                                                                     \
    } while (0)

/* The i-th element of the data section p (kind, size) as the reader must
 * give it; returns 0 if it must be refused (integer beyond 2^53). */
static int expected_value(const unsigned char *p, char kind, size_t size, double *v)
{
    uint64_t u = 0;
    for (size_t b = 0; b < size; ++b)
        u |= (uint64_t)p[b] << (8 * b);
    const double two53 = 9007199254740992.0;
    if (kind == 'f') {
        if (size == 8) {
            memcpy(v, &u, sizeof *v);
        } else {
            uint32_t w = (uint32_t)u;
            float f;
            memcpy(&f, &w, sizeof f);
            *v = f;
        }
        return 1;
    }
    if (kind == 'b') {
        *v = u ? 1.0 : 0.0;
        return 1;
    }
    if (kind == 'u') {
        *v = (double)u;
        return u <= (uint64_t)1 << 53;
    }
    /* signed, two's complement of 8 * size bits */
    int64_t s;
    if (size == 8) {
        memcpy(&s, &u, sizeof s);
    } else {
        uint64_t sign = (uint64_t)1 << (8 * size - 1);
        s = (int64_t)(u ^ sign) - (int64_t)sign;
    }
    *v = (double)s;
    return *v >= -two53 && *v <= two53;
}

static void check_array(const npy_array *a, const uint8_t *data, size_t size)
{
    FZ_CHECK(a->ndim <= NPY_MAX_DIMS, "ndim %zu", a->ndim);
    size_t count = 1;
    for (size_t j = 0; j < NPY_MAX_DIMS; ++j) {
        if (j >= a->ndim)
            FZ_CHECK(a->shape[j] == 1, "shape[%zu] = %zu beyond ndim %zu", j, a->shape[j],
                     a->ndim);
        FZ_CHECK(count == 0 || a->shape[j] <= SIZE_MAX / count, "count overflows");
        count *= a->shape[j];
    }
    FZ_CHECK(count == a->count, "count %zu, shape product %zu", a->count, count);
    FZ_CHECK((a->count == 0) == (a->data == NULL), "count %zu with data %p", a->count,
             (void *)a->data);
    FZ_CHECK(a->version >= 1 && a->version <= 3, "version %d", a->version);
    FZ_CHECK(strchr("fiub", a->kind) != NULL && a->kind != '\0', "kind %d", a->kind);
    FZ_CHECK(a->itemsize == 1 || a->itemsize == 2 || a->itemsize == 4 || a->itemsize == 8,
             "itemsize %zu", a->itemsize);
    FZ_CHECK(a->kind != 'f' || a->itemsize >= 4, "float of %zu bytes", a->itemsize);
    FZ_CHECK(a->kind != 'b' || a->itemsize == 1, "bool of %zu bytes", a->itemsize);
    FZ_CHECK(a->count <= size / a->itemsize, "%zu elements in %zu bytes", a->count, size);
    const unsigned char *p = data + size - a->count * a->itemsize;
    for (size_t i = 0; i < a->count; ++i) {
        double v;
        FZ_CHECK(expected_value(p + i * a->itemsize, a->kind, a->itemsize, &v),
                 "element %zu should have been refused", i);
        FZ_CHECK(memcmp(&v, &a->data[i], sizeof v) == 0 || (v != v && a->data[i] != a->data[i]),
                 "element %zu: %.17g, expected %.17g", i, a->data[i], v);
    }
}

static int same_array(const npy_array *a, const npy_array *b)
{
    if (a->ndim != b->ndim || a->count != b->count || a->kind != b->kind ||
        a->itemsize != b->itemsize || a->version != b->version ||
        memcmp(a->shape, b->shape, sizeof a->shape) != 0)
        return 0;
    return a->count == 0 || memcmp(a->data, b->data, a->count * sizeof(double)) == 0;
}

/* Parse with mask accept and an error buffer of errlen bytes (NULL when 0). */
static int parse(const uint8_t *data, size_t size, unsigned accept, size_t errlen,
                 npy_array *out)
{
    char *err = errlen ? malloc(errlen) : NULL;
    FZ_CHECK(errlen == 0 || err != NULL, "harness out of memory");
    if (err)
        memset(err, 'x', errlen);
    npy_array sentinel;
    memset(&sentinel, 0x5A, sizeof sentinel);
    *out = sentinel;
    int st = npy_parse_ex(data, size, accept, out, err, errlen);
    FZ_CHECK(st == 0 || st == -1, "npy_parse_ex returned %d", st);
    if (err) {
        size_t len = strnlen(err, errlen);
        FZ_CHECK(len < errlen, "message not NUL-terminated within %zu bytes", errlen);
        FZ_CHECK(memchr(err, '\n', len) == NULL && memchr(err, '\r', len) == NULL,
                 "message has a line break: %s", err);
        if (st == 0)
            FZ_CHECK(len == 0, "success with message '%s'", err);
        else if (errlen > 1)
            FZ_CHECK(len > 0, "failure without a message");
    }
    if (st != 0)
        FZ_CHECK(memcmp(out, &sentinel, sizeof sentinel) == 0, "output written on error (%s)",
                 err ? err : "");
    free(err);
    return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* a private copy: the reader must not write it, and ASan sees overreads */
    uint8_t *buf = malloc(size ? size : 1);
    FZ_CHECK(buf != NULL, "harness out of memory");
    memcpy(buf, data, size);

    static const unsigned masks[3] = {NPY_ACCEPT_FLOAT, NPY_ACCEPT_INT,
                                      NPY_ACCEPT_FLOAT | NPY_ACCEPT_INT};
    static const size_t errlens[4] = {512, 0, 1, 9};
    npy_array a[3];
    int st[3];
    for (int m = 0; m < 3; ++m) {
        st[m] = parse(buf, size, masks[m], errlens[0], &a[m]);
        if (st[m] == 0)
            check_array(&a[m], buf, size);
        /* the same input gives the same answer with any error buffer */
        for (int e = 1; e < 4; ++e) {
            npy_array b;
            int st2 = parse(buf, size, masks[m], errlens[e], &b);
            FZ_CHECK(st2 == st[m], "status %d with errlen %zu, %d with %zu", st2, errlens[e],
                     st[m], errlens[0]);
            if (st2 == 0) {
                FZ_CHECK(same_array(&a[m], &b), "different array with errlen %zu", errlens[e]);
                npy_free(&b);
                FZ_CHECK(b.data == NULL && b.count == 0, "npy_free left data");
            }
        }
    }
    FZ_CHECK(memcmp(buf, data, size) == 0, "the reader wrote its input");
    /* both kinds accepted <=> the kind's own mask accepted; same array */
    if (st[2] == 0) {
        int own = a[2].kind == 'f' ? 0 : 1;
        FZ_CHECK(st[own] == 0 && st[1 - own] == -1, "masks disagree: %d %d %d", st[0], st[1],
                 st[2]);
        FZ_CHECK(same_array(&a[2], &a[own]), "masks give different arrays");
    } else {
        FZ_CHECK(st[0] == -1 && st[1] == -1, "masks disagree: %d %d %d", st[0], st[1], st[2]);
    }
    /* npy_parse is npy_parse_ex for floats */
    npy_array f;
    char msg[256];
    int stf = npy_parse(buf, size, &f, msg, sizeof msg);
    FZ_CHECK(stf == st[0], "npy_parse %d, npy_parse_ex %d", stf, st[0]);
    if (stf == 0) {
        FZ_CHECK(same_array(&f, &a[0]), "npy_parse differs from npy_parse_ex");
        npy_free(&f);
    }
    for (int m = 0; m < 3; ++m)
        if (st[m] == 0)
            npy_free(&a[m]);
    npy_free(NULL);
    FZ_CHECK(npy_parse_ex(NULL, size, NPY_ACCEPT_FLOAT, &f, NULL, 0) == -1, "NULL buffer");
    FZ_CHECK(npy_parse_ex(buf, size, NPY_ACCEPT_FLOAT, NULL, msg, sizeof msg) == -1,
             "NULL output");
    free(buf);
    return 0;
}
