/* libFuzzer target over the reader of gcent-estimate (support/npy.c): the
 * input is a file handed to it, read as each of the things it may be.
 *
 * As a .npy array, with each accepted-dtype mask (floats, integers, both)
 * and with error buffers of several sizes (none, 1 byte, a few bytes, large,
 * each allocated to exactly that size so that ASan sees any overrun); the
 * harness aborts when a promise of npy.h breaks:
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
 *   - npy_free empties the array.
 * As a file of unknown kind (npy_identify): .npy, text, or refused with a
 * one-line message naming the file.
 * As labels (npy_labels_parse): accepted exactly when the array is (n,) or
 * (n, 1), n >= 1, of whole values (or of integers a double cannot hold);
 * then the codes are dense, 0 .. classes-1, and follow the order of the
 * values.
 * As a text table (npy_table_parse) with several option sets (none,
 * --header, labels given elsewhere, a label file, --label-column by number
 * and by name): the message promises above, and on success rows >= 1,
 * increasing line numbers, finite activations, one dense label code per row
 * exactly when there is a label column, no label-like column read as
 * activations, and the same status with a tiny error buffer. */
#include <math.h>
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

/* msg with every '...' quotation dropped: what the reader says in its own
 * words, not what it quotes of the file (a header key holds no quote). */
static void unquoted(const char *msg, char *out, size_t outlen)
{
    size_t o = 0;
    int in = 0;
    for (const char *c = msg; *c != '\0' && o + 1 < outlen; ++c) {
        if (*c == '\'')
            in = !in;
        else if (!in)
            out[o++] = *c;
    }
    out[o] = '\0';
}

/* A message of a failed call: non-empty, one line, NUL-terminated. */
static void check_message(const char *err, size_t errlen, const char *what)
{
    size_t len = strnlen(err, errlen);
    FZ_CHECK(len < errlen, "%s: message not NUL-terminated", what);
    FZ_CHECK(len > 0, "%s: failure without a message", what);
    FZ_CHECK(memchr(err, '\n', len) == NULL && memchr(err, '\r', len) == NULL,
             "%s: message has a line break: %s", what, err);
}

static void check_identify(const uint8_t *buf, size_t size)
{
    char msg[512];
    int id = npy_identify(buf, size, "f", msg, sizeof msg);
    FZ_CHECK(id == NPY_FILE_NPY || id == NPY_FILE_TEXT || id == -1, "npy_identify %d", id);
    if (id == -1) {
        check_message(msg, sizeof msg, "npy_identify");
        FZ_CHECK(strncmp(msg, "f is ", 5) == 0, "npy_identify: %s", msg);
    } else {
        FZ_CHECK(msg[0] == '\0', "npy_identify %d with message %s", id, msg);
    }
}

/* Labels: a is the array npy_parse_ex (both masks) read, or NULL if it
 * refused the file. */
static void check_labels(const uint8_t *buf, size_t size, const npy_array *a)
{
    char msg[512], msg2[512];
    npy_array tmp;
    npy_labels l, sentinel;
    memset(&sentinel, 0x5A, sizeof sentinel);
    l = sentinel;
    int st = npy_labels_parse(buf, size, "f", &l, msg, sizeof msg);
    FZ_CHECK(st == 0 || st == -1, "npy_labels_parse %d", st);
    if (st != 0) {
        check_message(msg, sizeof msg, "npy_labels_parse");
        FZ_CHECK(memcmp(&l, &sentinel, sizeof l) == 0, "labels written on error");
        /* the old leak was the phrase "beyond 2^53" in the reader's own
         * words; a message may quote a header key holding anything (its
         * escaped bytes can spell the phrase: \x8b then "eyond 2^53") */
        char own[512];
        unquoted(msg, own, sizeof own);
        FZ_CHECK(strstr(own, "beyond 2^53") == NULL, "internals in a message: %s", msg);
    }
    /* when it must succeed */
    int want = -1;
    if (a != NULL) {
        want = (a->ndim == 1 || (a->ndim == 2 && a->shape[1] == 1)) && a->count >= 1 ? 0 : -1;
        for (size_t i = 0; want == 0 && a->kind == 'f' && i < a->count; ++i)
            if (!(a->data[i] == floor(a->data[i]) && fabs(a->data[i]) < 0x1p64))
                want = -1;
    } else if (npy_parse_ex(buf, size, NPY_ACCEPT_FLOAT | NPY_ACCEPT_INT, &tmp, msg2,
                            sizeof msg2) == -1 && strstr(msg2, "cannot hold exactly")) {
        want = st; /* integers beyond a double's precision: depends on the shape */
    }
    FZ_CHECK(st == want, "npy_labels_parse %d, expected %d (%s)", st, want, msg);
    if (st != 0)
        return;
    FZ_CHECK(msg[0] == '\0', "success with message %s", msg);
    FZ_CHECK(l.n >= 1 && l.code != NULL && l.classes >= 1 && l.classes <= l.n,
             "labels n %zu classes %zu", l.n, l.classes);
    if (a != NULL)
        FZ_CHECK(l.n == a->count, "%zu labels of %zu values", l.n, a->count);
    unsigned char *used = calloc(l.classes, 1);
    FZ_CHECK(used != NULL, "harness out of memory");
    for (size_t i = 0; i < l.n; ++i) {
        FZ_CHECK(l.code[i] >= 0 && (size_t)l.code[i] < l.classes, "code %d", l.code[i]);
        used[l.code[i]] = 1;
        if (a != NULL && i > 0) { /* codes follow the values' order */
            double x = a->data[i - 1], y = a->data[i];
            int c = (x > y) - (x < y), d = (l.code[i - 1] > l.code[i]) - (l.code[i - 1] < l.code[i]);
            FZ_CHECK(c == d, "values %.17g, %.17g have codes %d, %d", x, y, l.code[i - 1],
                     l.code[i]);
        }
    }
    for (size_t c = 0; c < l.classes; ++c)
        FZ_CHECK(used[c], "class %zu unused", c);
    free(used);
    npy_labels_free(&l);
    FZ_CHECK(l.code == NULL && l.n == 0, "npy_labels_free left codes");
}

static void check_table(const npy_table *t, const npy_table_opts *o)
{
    FZ_CHECK(t->rows >= 1, "no rows");
    for (size_t i = 0; i < t->rows; ++i)
        FZ_CHECK(t->line[i] >= 1 && (i == 0 || t->line[i] > t->line[i - 1]), "line numbers");
    if (o->labels_only) {
        FZ_CHECK(t->v == NULL && t->cols == 0 && t->labels.code != NULL, "label file");
    } else {
        FZ_CHECK(t->cols >= 1 && t->v != NULL, "no activations");
        FZ_CHECK(t->rows <= SIZE_MAX / t->cols, "size");
        for (size_t i = 0; i < t->rows * t->cols; ++i)
            FZ_CHECK(isfinite(t->v[i]), "value %zu is %g", i, t->v[i]);
    }
    FZ_CHECK((t->labels.code != NULL) == (t->label_col != 0), "labels without a column");
    FZ_CHECK(!t->label_by_name || (t->header && o->label_column == NULL), "label by name");
    FZ_CHECK(!(o->labels_elsewhere && t->label_col), "a label column with labels elsewhere");
    FZ_CHECK(!t->index_dropped || t->header, "index dropped without a header");
    FZ_CHECK(!(t->index_dropped && t->index_like), "index dropped and kept");
    if (t->labels.code != NULL) {
        FZ_CHECK(t->labels.n == t->rows && t->labels.classes >= 1 &&
                 t->labels.classes <= t->rows, "labels %zu of %zu", t->labels.n, t->rows);
        for (size_t i = 0; i < t->rows; ++i)
            FZ_CHECK(t->labels.code[i] >= 0 && (size_t)t->labels.code[i] < t->labels.classes,
                     "label code %d", t->labels.code[i]);
    }
}

static void check_tables(const uint8_t *data, size_t size)
{
    static const npy_table_opts opts[] = {
        {0},
        {.header = 1},
        {.labels_elsewhere = 1},
        {.labels_only = 1},
        {.label_column = "2"},
        {.label_column = "label"},
    };
    char *text = malloc(size + 1);
    FZ_CHECK(text != NULL, "harness out of memory");
    for (size_t j = 0; j < sizeof opts / sizeof opts[0]; ++j) {
        int st[2];
        for (int e = 0; e < 2; ++e) {
            size_t errlen = e == 0 ? 512 : 3;
            char *err = malloc(errlen);
            FZ_CHECK(err != NULL, "harness out of memory");
            memcpy(text, data, size);
            text[size] = '\0';
            npy_table t, sentinel;
            memset(&sentinel, 0x5A, sizeof sentinel);
            t = sentinel;
            st[e] = npy_table_parse(text, size, "f", &opts[j], &t, err, errlen);
            FZ_CHECK(st[e] == 0 || st[e] == -1, "npy_table_parse %d", st[e]);
            if (st[e] != 0) {
                check_message(err, errlen, "npy_table_parse");
                FZ_CHECK(memcmp(&t, &sentinel, sizeof t) == 0, "table written on error");
            } else {
                FZ_CHECK(err[0] == '\0', "success with message %s", err);
                check_table(&t, &opts[j]);
                npy_table_free(&t);
                FZ_CHECK(t.v == NULL && t.line == NULL && t.labels.code == NULL,
                         "npy_table_free");
            }
            free(err);
        }
        FZ_CHECK(st[0] == st[1], "status %d and %d with other error buffers", st[0], st[1]);
    }
    free(text);
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
    check_identify(buf, size);
    check_labels(buf, size, st[2] == 0 ? &a[2] : NULL);
    check_tables(buf, size);
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
