/* libFuzzer target over the public API (make fuzz; the committed corpus is
 * replayed by make check through tests/fuzz/replay.c).
 *
 * An input is a little program: a sequence of at most MAX_OPS operations on
 * one context, each chosen and parameterised by the next bytes (options with
 * any value, every gcent_* function with sizes, strides, weights, labels,
 * widths and noise levels drawn from raw bit patterns, special values -- NaN,
 * infinities, signed zeros, subnormals, huge -- or small nice numbers; NULL
 * pointers; sizes whose products overflow; progress callbacks that cancel).
 * After every call the harness checks the library's promises and aborts
 * (a crash for libFuzzer) when one is broken:
 *
 *   - the status is GCENT_OK or one of the documented negative codes;
 *   - on failure the outputs are byte for byte untouched and the context's
 *     message is one non-empty line; on success the message is empty and
 *     every output is finite (standard errors >= 0);
 *   - inputs are never written, and padding of a row is never read (it holds
 *     NaN, so reading it would give a spurious GCENT_EDOM);
 *   - results respect exact bounds: MC entropy <= h(Z) + H(w), bounds
 *     h(Z) <= lower <= upper <= h(Z) + H(w), 0 <= H(Bin T) <= log n,
 *     I(X;T) <= log m, I(Y;T) <= H(Y), the closed form of h(Z);
 *   - for a fixed seed the result does not depend on the thread count nor
 *     on a progress callback (rerun bitwise);
 *   - the progress callback runs on the calling thread, done never decreases
 *     and never exceeds a fixed total; a non-zero return gives
 *     GCENT_ECANCELED and no further report;
 *   - options: gcent_ctx_set accepts exactly the documented ranges, a refused
 *     value leaves the option as it was, gcent_ctx_get reads back;
 *   - the caller's floating-point control state (rounding mode, x87 control
 *     word, MXCSR control bits) is the same after every call; exception
 *     flags the caller had raised stay raised; a successful call raises no
 *     FE_INVALID, FE_DIVBYZERO or FE_OVERFLOW in the calling thread;
 *   - after everything, errors included, the context computes the same bits
 *     as a fresh context with the same options.
 *
 * Sizes are capped (at most 32 rows of at most 8 coordinates, 8 Monte Carlo
 * draws, fewer rows when quadrature may run) so that one input takes
 * milliseconds; sizes whose products overflow are passed only with buffers
 * the library must not read (it has to refuse them first). */
#define _GNU_SOURCE /* fegetexcept */
#include <fenv.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gcent.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_OPS 12
#define MAX_ROWS 32
#define MAX_D 8
#define MAX_LD (MAX_D + 2)
#define MAX_DRAWS 8
#define MAX_THREADS 3
/* Rows when quadrature may run (AUTO or QUADRATURE with d <= 2): its cost
 * grows with the number of separated windows. */
#define MAX_QUAD_ROWS 10
#define MAX_QUAD2_ROWS 3

#define FZ_CHECK(cond, ...)                                                   \
    do {                                                                      \
        if (!(cond)) {                                                        \
            fprintf(stderr, "fuzz_api: %s:%d: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                     \
            fputc('\n', stderr);                                              \
            abort();                                                          \
        }                                                                     \
    } while (0)

/* FUZZ_API_TRACE set in the environment: one line per call on stderr (to
 * see what an input does; the harness's own business, not the library's). */
static int tracing = -1;

static void trace(const char *what, int st, const gcent_ctx *ctx)
{
    if (tracing < 0)
        tracing = getenv("FUZZ_API_TRACE") != NULL;
    if (tracing)
        fprintf(stderr, "  %-22s %3d  %s\n", what, st, ctx ? gcent_ctx_errmsg(ctx) : "");
}

/* ---- input reader -------------------------------------------------------------- */

typedef struct {
    const uint8_t *p;
    size_t left;
} reader;

static uint8_t u8(reader *r)
{
    if (r->left == 0)
        return 0;
    --r->left;
    return *r->p++;
}

static uint64_t u64(reader *r, int bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i)
        v |= (uint64_t)u8(r) << (8 * i);
    return v;
}

static double raw_double(reader *r)
{
    uint64_t b = u64(r, 8);
    double x;
    memcpy(&x, &b, sizeof x);
    return x;
}

static const double SPECIAL[] = {
    0.0, -0.0, 1.0, -1.0, 0.5, 0.1, 2.0, 3.0,
    DBL_MIN, -DBL_MIN, 4.9406564584124654e-324, -4.9406564584124654e-324,
    DBL_MAX, -DBL_MAX, 1e300, -1e300, 1e-300, 1e150, 1e-150, 1e-14, 1e-3,
    NAN, INFINITY, -INFINITY, 9007199254740992.0, 18446744073709551616.0,
    16777216.0, 16777217.0, 1024.0, 1025.0, 1.0000000000000002, 0.9999999999999999,
    2.718281828459045, 1e-9, 1e9, 0.3, 1e16, 1e-320, -1e-320, 7e-309,
};
#define NSPECIAL (sizeof SPECIAL / sizeof SPECIAL[0])

/* Any double: raw bits, a special value, a small dyadic number, or a value
 * on a 1/256 grid. */
static double any_double(reader *r)
{
    uint8_t tag = u8(r);
    switch (tag & 3) {
    case 0: return raw_double(r);
    case 1: return SPECIAL[u8(r) % NSPECIAL];
    case 2: return (double)(int8_t)u8(r) * ldexp(1.0, (int)(u8(r) % 80) - 40);
    default: return (double)(int16_t)u64(r, 2) / 256.0;
    }
}

/* A noise level or bin width: mostly reasonable, sometimes anything. */
static double scale_value(reader *r)
{
    uint8_t tag = u8(r);
    if (tag < 160)
        return (double)(1 + tag % 40) / 20.0; /* 0.05 .. 2 */
    return any_double(r);
}

/* ---- floating-point control state ------------------------------------------------ */

typedef struct {
    int round;
    int excepts_enabled;
#if defined(__x86_64__) || defined(__i386__)
    unsigned mxcsr_ctl; /* MXCSR without its 6 sticky flag bits */
    unsigned short x87_cw;
#endif
} fp_ctl;

static void fp_get(fp_ctl *c)
{
    memset(c, 0, sizeof *c);
    c->round = fegetround();
#if defined(__GLIBC__)
    c->excepts_enabled = fegetexcept();
#endif
#if defined(__x86_64__) || defined(__i386__)
    unsigned m;
    __asm__ volatile("stmxcsr %0" : "=m"(m));
    c->mxcsr_ctl = m & ~0x3Fu;
    unsigned short cw;
    __asm__ volatile("fnstcw %0" : "=m"(cw));
    c->x87_cw = cw;
#endif
}

/* Whether this machine keeps sticky exception flags at all (Valgrind, for
 * one, does not emulate them): the flag checks need it. */
static int flags_kept(void)
{
    static int kept = -1;
    if (kept < 0) {
        feclearexcept(FE_ALL_EXCEPT);
        feraiseexcept(FE_ALL_EXCEPT);
        kept = fetestexcept(FE_ALL_EXCEPT) == FE_ALL_EXCEPT;
        feclearexcept(FE_ALL_EXCEPT);
    }
    return kept;
}

static void fp_same(const fp_ctl *a, const char *what)
{
    fp_ctl b;
    fp_get(&b);
    FZ_CHECK(memcmp(a, &b, sizeof b) == 0, "%s changed the floating-point control state", what);
}

/* ---- the model of the context's options ----------------------------------------- */

static const gcent_opt OPT_IDS[] = {
    GCENT_OPT_SEED, GCENT_OPT_MC_DRAWS, GCENT_OPT_THREADS, GCENT_OPT_LOG_BASE,
    GCENT_OPT_METHOD, GCENT_OPT_BIN_ORIGIN, GCENT_OPT_QUAD_TOL, GCENT_OPT_PRUNE,
    GCENT_OPT_PRUNE_TOL,
};
#define NOPT (sizeof OPT_IDS / sizeof OPT_IDS[0])

typedef struct {
    double v[NOPT]; /* current value of each option, defaults applied */
} model;

static size_t opt_index(gcent_opt id)
{
    for (size_t i = 0; i < NOPT; ++i)
        if (OPT_IDS[i] == id)
            return i;
    return NOPT;
}

static void model_defaults(model *m)
{
    for (size_t i = 0; i < NOPT; ++i) {
        double def = -1.0;
        FZ_CHECK(gcent_opt_bounds(OPT_IDS[i], NULL, NULL, &def) == GCENT_OK, "opt %d", (int)i);
        m->v[i] = def;
    }
}

static double model_get(const model *m, gcent_opt id) { return m->v[opt_index(id)]; }

/* Every option of ctx equals the model. */
static void model_check(const model *m, const gcent_ctx *ctx)
{
    for (size_t i = 0; i < NOPT; ++i) {
        double v = NAN;
        FZ_CHECK(gcent_ctx_get(ctx, OPT_IDS[i], &v) == GCENT_OK, "get %d", (int)OPT_IDS[i]);
        FZ_CHECK(memcmp(&v, &m->v[i], sizeof v) == 0 || v == m->v[i],
                 "option %d reads %.17g, expected %.17g", (int)OPT_IDS[i], v, m->v[i]);
    }
}

/* ---- status and message checks ---------------------------------------------------- */

static void check_status(int st, const char *what)
{
    FZ_CHECK(st <= 0 && st >= GCENT_ELINALG, "%s returned %d", what, st);
    const char *t = gcent_strerror(st);
    FZ_CHECK(t != NULL && t[0] != '\0', "strerror(%d)", st);
}

static void check_message(const gcent_ctx *ctx, int st, const char *what)
{
    const char *msg = gcent_ctx_errmsg(ctx);
    FZ_CHECK(msg != NULL, "%s: errmsg NULL", what);
    size_t len = strlen(msg);
    if (st == GCENT_OK) {
        FZ_CHECK(len == 0, "%s succeeded with message '%s'", what, msg);
    } else {
        FZ_CHECK(len > 0 && len < 256, "%s: status %d with message of length %zu", what, st, len);
        FZ_CHECK(strchr(msg, '\n') == NULL && strchr(msg, '\r') == NULL,
                 "%s: message has a line break: '%s'", what, msg);
    }
}

/* Relative slack for comparisons of results against exact bounds. */
static double slack(double a, double b)
{
    return 1e-9 * (1.0 + fabs(a) + fabs(b));
}

/* ---- progress callback ------------------------------------------------------------- */

typedef struct {
    int cancel_at; /* return non-zero at this report (1-based); 0 = never */
    int calls;
    int canceled;
    int after_cancel;
    uint64_t last_done, total;
    pthread_t caller;
} prog;

static int on_progress(void *user, uint64_t done, uint64_t total)
{
    prog *p = user;
    FZ_CHECK(pthread_equal(pthread_self(), p->caller), "progress from another thread");
    FZ_CHECK(total > 0 && done <= total, "progress %llu of %llu", (unsigned long long)done,
             (unsigned long long)total);
    if (p->calls > 0) {
        FZ_CHECK(total == p->total, "total changed");
        FZ_CHECK(done >= p->last_done, "done decreased");
    }
    if (p->canceled)
        ++p->after_cancel;
    ++p->calls;
    p->last_done = done;
    p->total = total;
    if (p->cancel_at > 0 && p->calls == p->cancel_at) {
        p->canceled = 1;
        return 1;
    }
    return 0;
}

static void prog_reset(prog *p, int cancel_at)
{
    memset(p, 0, sizeof *p);
    p->cancel_at = cancel_at;
    p->caller = pthread_self();
}

/* ---- the state of one input --------------------------------------------------------- */

typedef struct {
    reader r;
    gcent_ctx *ctx;
    model opts;
    prog pr;
    int progress_on;     /* a callback is installed */
    int cancel_at;       /* its cancel point */
} state;

/* An n x d sample matrix of stride ld, allocated to exactly the bytes a
 * caller must provide ((n - 1) ld + d doubles), padding set to NaN. */
typedef struct {
    double *a;
    size_t n, d, ld, len;
    int has_nonfinite;
    double *copy;
} samples;

static void samples_free(samples *s)
{
    free(s->a);
    free(s->copy);
    memset(s, 0, sizeof *s);
}

static void samples_make(state *S, samples *s, size_t n, size_t d, size_t ld)
{
    memset(s, 0, sizeof *s);
    s->n = n;
    s->d = d;
    s->ld = ld;
    s->len = (n - 1) * ld + d;
    s->a = malloc(s->len * sizeof(double));
    s->copy = malloc(s->len * sizeof(double));
    FZ_CHECK(s->a && s->copy, "harness out of memory");
    for (size_t i = 0; i < s->len; ++i)
        s->a[i] = NAN; /* padding */
    uint8_t mode = u8(&S->r);
    double scale = 1.0, shift = 0.0;
    if (mode & 0x10)
        scale = any_double(&S->r);
    if (mode & 0x20)
        shift = any_double(&S->r);
    size_t ndistinct = 1 + u8(&S->r) % n; /* clustered rows: repeat earlier rows */
    for (size_t i = 0; i < n; ++i) {
        double *row = s->a + i * ld;
        if (i >= ndistinct && (mode & 0x40)) {
            memcpy(row, s->a + (i % ndistinct) * ld, d * sizeof(double));
            continue;
        }
        for (size_t k = 0; k < d; ++k) {
            double x;
            switch (mode & 3) {
            case 0: x = (double)(int8_t)u8(&S->r) / 32.0; break;
            case 1: x = any_double(&S->r); break;
            case 2: x = (double)(u8(&S->r) % 4); break;
            default: x = tanh((double)(int8_t)u8(&S->r) / 16.0); break;
            }
            row[k] = x * scale + shift;
        }
    }
    for (size_t i = 0; i < n; ++i)
        for (size_t k = 0; k < d; ++k)
            if (!isfinite(s->a[i * ld + k]))
                s->has_nonfinite = 1;
    memcpy(s->copy, s->a, s->len * sizeof(double));
}

static void samples_unchanged(const samples *s, const char *what)
{
    FZ_CHECK(memcmp(s->a, s->copy, s->len * sizeof(double)) == 0, "%s wrote its input", what);
}

/* Sizes: n rows (1..cap), d (1..MAX_D), ld (d..d+2). */
static void pick_shape(state *S, size_t cap, size_t *n, size_t *d, size_t *ld)
{
    *d = 1 + u8(&S->r) % MAX_D;
    *ld = *d + u8(&S->r) % 3;
    *n = 1 + u8(&S->r) % cap;
}

/* Row cap for a call of dimension d given the method of the context. */
static size_t row_cap(const state *S, size_t d)
{
    double method = model_get(&S->opts, GCENT_OPT_METHOD);
    if (d <= 2 && method != GCENT_METHOD_MC)
        return d == 1 ? MAX_QUAD_ROWS : MAX_QUAD2_ROWS;
    return MAX_ROWS;
}

/* Two-dimensional quadrature costs tens of milliseconds even for two
 * centres (hundreds under ASan): a dimension d = 2 that may run it is kept
 * for one call in 32 and otherwise made 3. */
static size_t cheap_dim(state *S, size_t d)
{
    if (d == 2 && model_get(&S->opts, GCENT_OPT_METHOD) != GCENT_METHOD_MC &&
        (u8(&S->r) & 31) != 0)
        return 3;
    return d;
}

/* Weights: NULL, normalised non-negative (skewed, zeros, subnormals), or
 * arbitrary values (mostly refused). */
static double *pick_weights(state *S, size_t n, int *valid_hint)
{
    uint8_t mode = u8(&S->r) % 4;
    *valid_hint = 1;
    if (mode == 0)
        return NULL;
    double *w = malloc(n * sizeof *w);
    FZ_CHECK(w, "harness out of memory");
    if (mode == 3) {
        for (size_t i = 0; i < n; ++i)
            w[i] = any_double(&S->r);
        *valid_hint = 0;
        return w;
    }
    double sum = 0.0;
    for (size_t i = 0; i < n; ++i) {
        uint8_t b = u8(&S->r);
        w[i] = b < 32 ? 0.0 : (b < 48 ? 4.9406564584124654e-324 * (b - 31) : (double)b);
        sum += w[i];
    }
    if (!(sum > 0.0)) {
        w[0] = 1.0;
        sum = 1.0;
    }
    for (size_t i = 0; i < n; ++i)
        w[i] /= sum;
    if (mode == 2) /* nudge the sum around the 1e-9 tolerance */
        w[0] += (double)(int8_t)u8(&S->r) * 1e-11;
    return w;
}

/* Shannon entropy (nats) of the weights, NULL = uniform. */
static double shannon(const double *w, size_t n)
{
    if (w == NULL)
        return log((double)n);
    double h = 0.0, sum = 0.0;
    for (size_t i = 0; i < n; ++i)
        sum += w[i];
    for (size_t i = 0; i < n; ++i)
        if (w[i] > 0.0) {
            double p = w[i] / sum;
            if (p > 0.0)
                h -= p * log(p);
        }
    return h;
}

static double to_base(const state *S, double nats)
{
    double b = model_get(&S->opts, GCENT_OPT_LOG_BASE);
    return b == 2.718281828459045 ? nats : nats / log(b);
}

static double hz_nats(size_t d, double beta)
{
    return 0.5 * (double)d * (1.8378770664093453 + 1.0) + (double)d * log(beta);
}

/* ---- calls with the common checks ----------------------------------------------------- */

/* Set the progress callback for one call according to the state. */
static void arm_progress(state *S)
{
    if (S->progress_on)
        prog_reset(&S->pr, S->cancel_at);
}

/* After a call of the given status: the cancellation contract. */
static void check_cancel(state *S, int st, const char *what)
{
    if (!S->progress_on)
        return;
    if (S->pr.canceled) {
        FZ_CHECK(st == GCENT_ECANCELED, "%s: callback asked to stop, status %d", what, st);
        FZ_CHECK(S->pr.after_cancel == 0, "%s: %d reports after the stop", what,
                 S->pr.after_cancel);
    } else {
        FZ_CHECK(st != GCENT_ECANCELED, "%s: canceled without being asked", what);
        if (st == GCENT_OK && S->pr.calls > 0)
            FZ_CHECK(S->pr.last_done == S->pr.total, "%s: last report %llu of %llu", what,
                     (unsigned long long)S->pr.last_done, (unsigned long long)S->pr.total);
    }
}

/* Rerun a successful call on a fresh context with the same options, other
 * threads and no callback: the bytes of the outputs must be equal. */
typedef int (*rerun_fn)(gcent_ctx *ctx, void *arg, void *out);

static void check_rerun(state *S, rerun_fn fn, void *arg, const void *out, size_t nbytes,
                        const char *what)
{
    gcent_ctx *c2 = NULL;
    FZ_CHECK(gcent_ctx_create(&c2) == GCENT_OK, "create");
    for (size_t i = 0; i < NOPT; ++i)
        FZ_CHECK(gcent_ctx_set(c2, OPT_IDS[i], S->opts.v[i]) == GCENT_OK, "copy option %d",
                 (int)OPT_IDS[i]);
    double th = model_get(&S->opts, GCENT_OPT_THREADS);
    FZ_CHECK(gcent_ctx_set(c2, GCENT_OPT_THREADS, th == 1.0 ? 3.0 : 1.0) == GCENT_OK, "threads");
    unsigned char buf[256];
    FZ_CHECK(nbytes <= sizeof buf, "nbytes");
    memset(buf, 0xA5, sizeof buf); /* the sentinel of outputs a call may leave alone */
    int st = fn(c2, arg, buf);
    FZ_CHECK(st == GCENT_OK, "%s: rerun with other threads failed: %d %s", what, st,
             gcent_ctx_errmsg(c2));
    FZ_CHECK(memcmp(buf, out, nbytes) == 0, "%s: result depends on threads or callback", what);
    gcent_ctx_free(c2);
}

typedef struct {
    const double *s;
    size_t n, d, ld, m, k;
    const double *w;
    const int *labels;
    double beta, width;
    int iyt_null;
} call_args;

static int run_entropy(gcent_ctx *c, void *a, void *o)
{
    call_args *x = a;
    return gcent_entropy(c, x->s, x->n, x->d, x->ld, x->w, x->beta, o);
}

static int run_bounds(gcent_ctx *c, void *a, void *o)
{
    call_args *x = a;
    double *b = o;
    return gcent_entropy_bounds(c, x->s, x->n, x->d, x->ld, x->w, x->beta, &b[0], &b[1]);
}

static int run_mi(gcent_ctx *c, void *a, void *o)
{
    call_args *x = a;
    return gcent_mi_layer(c, x->s, x->m, x->k, x->d, x->ld, x->labels, x->beta, o);
}

static int run_binned(gcent_ctx *c, void *a, void *o)
{
    call_args *x = a;
    return gcent_binned_entropy(c, x->s, x->n, x->d, x->ld, x->width, o);
}

static int run_binned_mi(gcent_ctx *c, void *a, void *o)
{
    call_args *x = a;
    double *b = o;
    return gcent_binned_mi(c, x->s, x->m, x->k, x->d, x->ld, x->labels, x->width, &b[0],
                           x->iyt_null ? NULL : &b[1]);
}

/* Run fn(ctx, args, out) with the common checks; returns the status. */
static int checked_call(state *S, rerun_fn fn, call_args *a, const samples *smp, void *out,
                        size_t nbytes, const char *what)
{
    unsigned char sentinel[256];
    FZ_CHECK(nbytes <= sizeof sentinel, "nbytes");
    memset(sentinel, 0xA5, sizeof sentinel);
    memcpy(out, sentinel, nbytes);
    /* exception flags: all raised before the call (none may be cleared) or
     * none (a successful call may then raise FE_INEXACT or FE_UNDERFLOW, never
     * FE_INVALID, FE_DIVBYZERO or FE_OVERFLOW: docs/robustness.md section 7;
     * checked on the calling thread, which runs part of every parallel call) */
    uint8_t cfg = u8(&S->r); /* bit 0: raise all flags first; bit 1: rerun */
    int raise_all = cfg & 1;
    fp_ctl fp;
    fp_get(&fp);
    arm_progress(S);
    feclearexcept(FE_ALL_EXCEPT);
    if (raise_all)
        feraiseexcept(FE_ALL_EXCEPT);
    int st = fn(S->ctx, a, out);
    int flags = fetestexcept(FE_ALL_EXCEPT);
    trace(what, st, S->ctx);
    feclearexcept(FE_ALL_EXCEPT);
    fp_same(&fp, what);
    if (raise_all && flags_kept())
        FZ_CHECK(flags == FE_ALL_EXCEPT, "%s cleared exception flags %#x", what,
                 (unsigned)(FE_ALL_EXCEPT & ~flags));
    if (!raise_all && flags_kept() && st == GCENT_OK)
        FZ_CHECK((flags & (FE_INVALID | FE_DIVBYZERO | FE_OVERFLOW)) == 0,
                 "%s succeeded but raised exception flags %#x", what,
                 (unsigned)(flags & (FE_INVALID | FE_DIVBYZERO | FE_OVERFLOW)));
    check_status(st, what);
    check_message(S->ctx, st, what);
    check_cancel(S, st, what);
    if (smp)
        samples_unchanged(smp, what);
    if (st != GCENT_OK) {
        FZ_CHECK(memcmp(out, sentinel, nbytes) == 0, "%s: status %d but output written", what,
                 st);
        if (st == GCENT_EDOM && smp && isfinite(a->beta) && isfinite(a->width))
            FZ_CHECK(smp->has_nonfinite || a->w != NULL,
                     "%s: GCENT_EDOM on finite data (padding read?)", what);
    } else if (cfg & 2) {
        check_rerun(S, fn, a, out, nbytes, what);
    }
    return st;
}

static void check_estimate(const gcent_estimate *e, const char *what)
{
    FZ_CHECK(isfinite(e->value) && isfinite(e->se) && e->se >= 0.0, "%s: estimate %g se %g",
             what, e->value, e->se);
}

/* ---- operations ------------------------------------------------------------------------- */

static void op_set(state *S)
{
    gcent_opt id;
    uint8_t which = u8(&S->r);
    if (which < 224)
        id = OPT_IDS[which % NOPT];
    else
        id = (gcent_opt)(int)(int32_t)u64(&S->r, 4); /* any id, mostly unknown */
    double v = any_double(&S->r);
    double mn = 0, mx = 0, def = 0;
    int known = gcent_opt_bounds(id, &mn, &mx, &def) == GCENT_OK;
    size_t idx = opt_index(id);
    FZ_CHECK(known == (idx < NOPT), "opt_bounds(%d) known=%d", (int)id, known);
    fp_ctl fp;
    fp_get(&fp);
    int st = gcent_ctx_set(S->ctx, id, v);
    trace("gcent_ctx_set", st, S->ctx);
    fp_same(&fp, "gcent_ctx_set");
    check_status(st, "gcent_ctx_set");
    check_message(S->ctx, st, "gcent_ctx_set");
    int integer = id == GCENT_OPT_SEED || id == GCENT_OPT_MC_DRAWS ||
                  id == GCENT_OPT_THREADS || id == GCENT_OPT_METHOD || id == GCENT_OPT_PRUNE;
    double eff = v == 0.0 ? def : v;
    int expect_ok = known && isfinite(v) && eff >= mn && eff <= mx &&
                    (!integer || eff == floor(eff));
    FZ_CHECK((st == GCENT_OK) == expect_ok, "gcent_ctx_set(%d, %.17g) = %d, expected %s",
             (int)id, v, st, expect_ok ? "OK" : "an error");
    if (!known)
        FZ_CHECK(st == GCENT_EUNSUPPORTED, "unknown option %d: %d", (int)id, st);
    else if (!isfinite(v))
        FZ_CHECK(st == GCENT_EDOM, "non-finite value: %d", st);
    if (st == GCENT_OK) {
        S->opts.v[idx] = eff;
        double got = NAN;
        FZ_CHECK(gcent_ctx_get(S->ctx, id, &got) == GCENT_OK && got == eff,
                 "option %d reads %.17g after setting %.17g", (int)id, got, eff);
        /* keep executions cheap: draws and threads back into the harness caps */
        if (id == GCENT_OPT_MC_DRAWS && eff > MAX_DRAWS) {
            FZ_CHECK(gcent_ctx_set(S->ctx, id, MAX_DRAWS) == GCENT_OK, "draws");
            S->opts.v[idx] = MAX_DRAWS;
        }
        if (id == GCENT_OPT_THREADS && (eff > MAX_THREADS || eff == 0.0)) {
            FZ_CHECK(gcent_ctx_set(S->ctx, id, 2) == GCENT_OK, "threads");
            S->opts.v[idx] = 2;
        }
        /* a very tight quadrature tolerance costs much more: keep it >= 1e-12 */
        if (id == GCENT_OPT_QUAD_TOL && eff < 1e-12) {
            FZ_CHECK(gcent_ctx_set(S->ctx, id, 1e-12) == GCENT_OK, "tol");
            S->opts.v[idx] = 1e-12;
        }
    }
    model_check(&S->opts, S->ctx);
}

static void op_get_bounds(state *S)
{
    gcent_opt id = (gcent_opt)(int)(int32_t)u64(&S->r, 4);
    double v = 12345.0, mn = 1.0, mx = 2.0, def = 3.0;
    int st = gcent_ctx_get(S->ctx, id, &v);
    int st2 = gcent_opt_bounds(id, &mn, &mx, &def);
    trace("gcent_ctx_get/bounds", st, NULL);
    check_status(st, "gcent_ctx_get");
    check_status(st2, "gcent_opt_bounds");
    int known = opt_index(id) < NOPT;
    FZ_CHECK((st == GCENT_OK) == known && (st2 == GCENT_OK) == known, "get/bounds of %d",
             (int)id);
    if (!known) {
        FZ_CHECK(v == 12345.0 && mn == 1.0 && mx == 2.0 && def == 3.0,
                 "outputs written for unknown option %d", (int)id);
    } else {
        FZ_CHECK(mn <= mx && def >= mn && def <= mx, "bounds of %d", (int)id);
    }
    FZ_CHECK(gcent_ctx_get(S->ctx, GCENT_OPT_SEED, NULL) == GCENT_EINVAL, "get NULL");
    FZ_CHECK(gcent_ctx_get(NULL, GCENT_OPT_SEED, &v) == GCENT_EINVAL, "get ctx NULL");
}

static void op_entropy(state *S, int bounds)
{
    size_t n, d, ld;
    pick_shape(S, MAX_ROWS, &n, &d, &ld);
    if (!bounds && d == 2 && cheap_dim(S, d) == 3)
        d = ld = 3;
    size_t cap = bounds ? MAX_ROWS : row_cap(S, d);
    if (n > cap)
        n = 1 + n % cap;
    samples smp;
    samples_make(S, &smp, n, d, ld);
    int wvalid;
    double *w = pick_weights(S, n, &wvalid);
    call_args a = {.s = smp.a, .n = n, .d = d, .ld = ld, .w = w, .beta = scale_value(&S->r),
                   .width = 1.0};
    const char *what = bounds ? "gcent_entropy_bounds" : "gcent_entropy";
    double hz = to_base(S, hz_nats(d, a.beta)), hw = to_base(S, shannon(w, n));
    if (!bounds) {
        gcent_estimate e;
        int st = checked_call(S, run_entropy, &a, &smp, &e, sizeof e, what);
        if (st == GCENT_OK) {
            check_estimate(&e, what);
            /* MC: h(Z) + H(w) - mean log R_i with R_i >= 1, so the bound is
             * exact; quadrature: within its error bound se */
            int mc = model_get(&S->opts, GCENT_OPT_METHOD) == GCENT_METHOD_MC;
            double err = mc ? 0.0 : e.se;
            FZ_CHECK(e.value <= hz + hw + slack(hz, hw) + err,
                     "h = %.17g above h(Z) + H(w) = %.17g + %.17g", e.value, hz, hw);
            if (model_get(&S->opts, GCENT_OPT_METHOD) == GCENT_METHOD_QUADRATURE || n == 1)
                FZ_CHECK(e.value >= hz - slack(hz, hw) - err, "h = %.17g below h(Z) = %.17g",
                         e.value, hz);
        }
    } else {
        double b[2];
        int st = checked_call(S, run_bounds, &a, &smp, b, sizeof b, what);
        if (st == GCENT_OK) {
            FZ_CHECK(isfinite(b[0]) && isfinite(b[1]), "bounds %g %g", b[0], b[1]);
            double sl = slack(hz, hw);
            FZ_CHECK(b[0] >= hz - sl && b[0] <= b[1] + sl && b[1] <= hz + hw + sl,
                     "bounds %.17g %.17g, h(Z) %.17g, H(w) %.17g", b[0], b[1], hz, hw);
        }
    }
    free(w);
    samples_free(&smp);
}

static void op_noise(state *S)
{
    size_t d = u8(&S->r) & 0x80 ? (size_t)u64(&S->r, 8) : u8(&S->r) % 20;
    double beta = scale_value(&S->r);
    double out = 777.0;
    fp_ctl fp;
    fp_get(&fp);
    int st = gcent_noise_entropy(S->ctx, d, beta, &out);
    trace("gcent_noise_entropy", st, S->ctx);
    fp_same(&fp, "gcent_noise_entropy");
    check_status(st, "gcent_noise_entropy");
    check_message(S->ctx, st, "gcent_noise_entropy");
    /* d above 2^40 is refused (GCENT_ERANGE) as no plausible width */
    int expect_ok = d > 0 && d <= ((size_t)1 << 40) && isfinite(beta) && beta > 0.0;
    FZ_CHECK((st == GCENT_OK) == expect_ok, "noise_entropy(%zu, %g) = %d", d, beta, st);
    if (d > ((size_t)1 << 40) && isfinite(beta) && beta > 0.0)
        FZ_CHECK(st == GCENT_ERANGE, "noise_entropy(%zu) = %d, not GCENT_ERANGE", d, st);
    if (st == GCENT_OK) {
        double ref = to_base(S, hz_nats(d, beta));
        FZ_CHECK(isfinite(out) && fabs(out - ref) <= 1e-12 * (1.0 + fabs(ref)),
                 "h(Z) = %.17g, closed form %.17g", out, ref);
    } else {
        FZ_CHECK(out == 777.0, "output written on error");
    }
}

static int *pick_labels(state *S, size_t m)
{
    uint8_t mode = u8(&S->r) % 5;
    if (mode == 0)
        return NULL;
    int *y = malloc(m * sizeof *y);
    FZ_CHECK(y, "harness out of memory");
    int mod = 1 + u8(&S->r) % 5;
    for (size_t i = 0; i < m; ++i) {
        switch (mode) {
        case 1: y[i] = 7; break;
        case 2: y[i] = (int)(i % (size_t)mod); break;
        case 3: y[i] = (int)(int32_t)u64(&S->r, 4); break;
        default: y[i] = (u8(&S->r) & 1) ? INT_MAX : INT_MIN; break;
        }
    }
    return y;
}

static double label_entropy(const int *y, size_t m)
{
    double h = 0.0;
    for (size_t i = 0; i < m; ++i) {
        size_t first = 0, c = 0;
        while (y[first] != y[i])
            ++first;
        if (first != i)
            continue;
        for (size_t j = 0; j < m; ++j)
            c += y[j] == y[i];
        double p = (double)c / (double)m;
        h -= p * log(p);
    }
    return h;
}

static void op_mi(state *S, int binned)
{
    size_t d = 1 + u8(&S->r) % MAX_D;
    if (!binned)
        d = cheap_dim(S, d);
    size_t ld = d + u8(&S->r) % 3;
    size_t cap = binned ? MAX_ROWS : row_cap(S, d);
    size_t m = 1 + u8(&S->r) % cap;
    size_t k = 1 + u8(&S->r) % 4;
    while (m * k > cap) {
        if (k > 1)
            --k;
        else
            m = cap;
    }
    samples smp;
    samples_make(S, &smp, m * k, d, ld);
    int *y = pick_labels(S, m);
    call_args a = {.s = smp.a, .n = m * k, .d = d, .ld = ld, .m = m, .k = k, .labels = y,
                   .beta = 1.0, .width = 1.0};
    /* 1e-9 nats in the chosen unit (a base near 1 makes a unit tiny: a
     * rounding of 1e-16 nats then reads as -0.5) */
    double sl = fabs(to_base(S, 1e-9));
    double lnm = to_base(S, log((double)m)), hy = y ? to_base(S, label_entropy(y, m)) : 0.0;
    if (!binned) {
        a.beta = scale_value(&S->r);
        gcent_layer_mi r;
        int st = checked_call(S, run_mi, &a, &smp, &r, sizeof r, "gcent_mi_layer");
        if (st == GCENT_OK) {
            check_estimate(&r.ht, "mi ht");
            check_estimate(&r.ixt, "mi ixt");
            if (y)
                check_estimate(&r.iyt, "mi iyt");
            /* exact for MC (R^X <= R^Y <= R^T); quadrature within its bound */
            int mc = model_get(&S->opts, GCENT_OPT_METHOD) == GCENT_METHOD_MC;
            FZ_CHECK(r.ixt.value <= lnm + slack(lnm, hy) + (mc ? 0.0 : r.ixt.se),
                     "I(X;T) = %.17g > log m = %.17g", r.ixt.value, lnm);
            if (y)
                FZ_CHECK(r.iyt.value <= hy + slack(hy, 0) + (mc ? 0.0 : r.iyt.se),
                         "I(Y;T) = %.17g > H(Y) = %.17g", r.iyt.value, hy);
            else
                FZ_CHECK(isnan(r.iyt.value) && isnan(r.iyt.se), "iyt without labels is not NaN");
        }
    } else {
        a.width = scale_value(&S->r);
        a.iyt_null = u8(&S->r) & 1;
        double b[2];
        int st = checked_call(S, run_binned_mi, &a, &smp, b, sizeof b, "gcent_binned_mi");
        if (st == GCENT_OK) {
            FZ_CHECK(isfinite(b[0]) && b[0] >= -sl && b[0] <= lnm + slack(lnm, 0),
                     "I(X;Bin T) = %.17g, log m = %.17g", b[0], lnm);
            if (y && !a.iyt_null)
                FZ_CHECK(isfinite(b[1]) && b[1] >= -sl && b[1] <= hy + slack(hy, 0),
                         "I(Y;Bin T) = %.17g, H(Y) = %.17g", b[1], hy);
            else if (!a.iyt_null) {
                unsigned char sentinel[8];
                memset(sentinel, 0xA5, sizeof sentinel);
                FZ_CHECK(memcmp(&b[1], sentinel, 8) == 0, "iyt written without labels");
            }
        }
    }
    free(y);
    samples_free(&smp);
}

static void op_binned(state *S)
{
    size_t n, d, ld;
    pick_shape(S, MAX_ROWS, &n, &d, &ld);
    samples smp;
    samples_make(S, &smp, n, d, ld);
    call_args a = {.s = smp.a, .n = n, .d = d, .ld = ld, .beta = 1.0,
                   .width = scale_value(&S->r)};
    double h;
    int st = checked_call(S, run_binned, &a, &smp, &h, sizeof h, "gcent_binned_entropy");
    if (st == GCENT_OK) {
        double lnn = to_base(S, log((double)n));
        FZ_CHECK(isfinite(h) && h >= 0.0 && h <= lnn + slack(lnn, 0),
                 "H(Bin T) = %.17g, log n = %.17g", h, lnn);
    }
    samples_free(&smp);
}

/* Sizes whose products overflow, with a small buffer the library must not
 * read beyond: refused with GCENT_ERANGE (or GCENT_EINVAL). */
static void op_overflow(state *S)
{
    static const double buf[4] = {0.1, 0.2, 0.3, 0.4};
    size_t big = SIZE_MAX - (size_t)(u8(&S->r) % 4);
    size_t half = ((size_t)1 << (sizeof(size_t) * 4)) + (size_t)u8(&S->r);
    size_t n, ld, d = 1 + u8(&S->r) % 2;
    switch (u8(&S->r) % 3) {
    case 0: n = big; ld = d; break;
    case 1: n = half; ld = half; break;
    default: n = SIZE_MAX / 8 + 2; ld = 1; d = 1; break; /* (n-1)*ld+d fits, bytes do not */
    }
    double beta = scale_value(&S->r), out[8];
    gcent_estimate e;
    gcent_layer_mi r;
    int which = u8(&S->r) % 6, st;
    memset(out, 0x5A, sizeof out);
    memcpy(&e, out, sizeof e);
    memcpy(&r, out, sizeof r);
    switch (which) {
    case 0: st = gcent_entropy(S->ctx, buf, n, d, ld, NULL, beta, &e); break;
    case 1: st = gcent_entropy_bounds(S->ctx, buf, n, d, ld, NULL, beta, &out[0], &out[1]); break;
    case 2: st = gcent_binned_entropy(S->ctx, buf, n, d, ld, 0.5, &out[0]); break;
    case 3: st = gcent_mi_layer(S->ctx, buf, half, half, d, d, NULL, beta, &r); break;
    case 4: st = gcent_binned_mi(S->ctx, buf, half, half, d, d, NULL, 0.5, &out[0], &out[1]); break;
    default: st = gcent_mi_layer(S->ctx, buf, n, 1, d, ld, NULL, beta, &r); break;
    }
    trace("overflowing sizes", st, S->ctx);
    check_status(st, "overflow call");
    check_message(S->ctx, st, "overflow call");
    FZ_CHECK(st == GCENT_ERANGE || st == GCENT_EINVAL || st == GCENT_EDOM,
             "call %d with n = %zu, ld = %zu: status %d", which, n, ld, st);
    unsigned char sent[sizeof out];
    memset(sent, 0x5A, sizeof sent);
    FZ_CHECK(memcmp(out, sent, sizeof out) == 0 && memcmp(&e, sent, sizeof e) == 0 &&
                 memcmp(&r, sent, sizeof r) == 0,
             "overflow call %d wrote an output", which);
}

/* NULL pointers and zero sizes everywhere: GCENT_EINVAL, nothing written. */
static void op_nulls(state *S)
{
    static const double s[4] = {0.1, 0.2, 0.3, 0.4};
    static const int y[4] = {0, 1, 0, 1};
    double o1 = 5.0, o2 = 6.0;
    gcent_estimate e = {5.0, 6.0};
    gcent_layer_mi r;
    memset(&r, 0x33, sizeof r);
    gcent_layer_mi r0 = r;
    int which = u8(&S->r) % 16, st;
    gcent_ctx *c = (u8(&S->r) & 3) == 0 ? NULL : S->ctx;
    switch (which) {
    case 0: st = gcent_entropy(c, NULL, 4, 1, 1, NULL, 1.0, &e); break;
    case 1: st = gcent_entropy(c, s, 4, 1, 1, NULL, 1.0, NULL); break;
    case 2: st = gcent_entropy(c, s, 0, 1, 1, NULL, 1.0, &e); break;
    case 3: st = gcent_entropy(c, s, 4, 0, 1, NULL, 1.0, &e); break;
    case 4: st = gcent_entropy(c, s, 2, 2, 1, NULL, 1.0, &e); break; /* lds < d */
    case 5: st = gcent_entropy_bounds(c, s, 4, 1, 1, NULL, 1.0, NULL, &o2); break;
    case 6: st = gcent_entropy_bounds(c, s, 4, 1, 1, NULL, 1.0, &o1, NULL); break;
    case 7: st = gcent_noise_entropy(c, 1, 1.0, NULL); break;
    case 8: st = gcent_mi_layer(c, s, 2, 2, 1, 1, y, 1.0, NULL); break;
    case 9: st = gcent_mi_layer(c, s, 0, 2, 1, 1, y, 1.0, &r); break;
    case 10: st = gcent_mi_layer(c, s, 2, 0, 1, 1, y, 1.0, &r); break;
    case 11: st = gcent_binned_entropy(c, s, 4, 1, 1, 0.5, NULL); break;
    case 12: st = gcent_binned_mi(c, s, 2, 2, 1, 1, y, 0.5, NULL, &o2); break;
    case 13: st = gcent_binned_mi(c, NULL, 2, 2, 1, 1, y, 0.5, &o1, &o2); break;
    case 14: st = gcent_ctx_set_progress(NULL, on_progress, NULL); c = NULL; break;
    default: st = gcent_ctx_reset(NULL); c = NULL; break;
    }
    trace("NULL/zero argument", st, c);
    check_status(st, "NULL call");
    FZ_CHECK(st == GCENT_EINVAL, "NULL/zero argument case %d: status %d", which, st);
    if (c)
        check_message(c, st, "NULL call");
    FZ_CHECK(o1 == 5.0 && o2 == 6.0 && e.value == 5.0 && e.se == 6.0 &&
                 memcmp(&r, &r0, sizeof r) == 0,
             "NULL case %d wrote an output", which);
    FZ_CHECK(strlen(gcent_ctx_errmsg(NULL)) > 0, "errmsg(NULL)");
}

static void op_fixed_range(state *S)
{
    double lo = any_double(&S->r), hi = any_double(&S->r);
    size_t nb = u8(&S->r) & 0x80 ? (size_t)u64(&S->r, 8) : u8(&S->r);
    double w = 111.0, o = 222.0;
    fp_ctl fp;
    fp_get(&fp);
    int st = gcent_bin_fixed_range(lo, hi, nb, &w, &o);
    trace("gcent_bin_fixed_range", st, NULL);
    fp_same(&fp, "gcent_bin_fixed_range");
    check_status(st, "gcent_bin_fixed_range");
    if (st == GCENT_OK) {
        FZ_CHECK(isfinite(w) && w > 0.0 && o == lo, "width %g origin %g for [%g, %g]/%zu", w,
                 o, lo, hi, nb);
        FZ_CHECK(isfinite(lo) && isfinite(hi) && lo < hi && nb > 0, "accepted bad range");
    } else {
        FZ_CHECK(w == 111.0 && o == 222.0, "fixed_range wrote on error");
    }
    FZ_CHECK(gcent_bin_fixed_range(0.0, 1.0, 2, NULL, &o) == GCENT_EINVAL, "NULL width");
}

static void op_rng(state *S)
{
    trace("gcent_rng_normals etc", 0, NULL);
    uint64_t seed = u64(&S->r, 8), stream = u64(&S->r, 8);
    uint64_t start = u8(&S->r) & 1 ? u64(&S->r, 8) : u64(&S->r, 1);
    size_t count = u8(&S->r) % 33;
    double a[34], b[34];
    gcent_rng_normals(seed, stream, start, count, a + 1);
    for (size_t i = 0; i < count; ++i)
        FZ_CHECK(isfinite(a[1 + i]) && fabs(a[1 + i]) < 8.6, "normal %g", a[1 + i]);
    /* the variates are a function of their index: an overlapping window agrees */
    if (start > 0 && count > 0) {
        gcent_rng_normals(seed, stream, start - 1, count + 1, b);
        FZ_CHECK(memcmp(a + 1, b + 1, count * sizeof(double)) == 0, "window shift differs");
    }
    gcent_rng_normals(seed, stream, start, count, NULL); /* documented no-op */
    uint32_t ctr[4], key[2], o1[4], o2[4];
    for (int i = 0; i < 4; ++i)
        ctr[i] = (uint32_t)u64(&S->r, 4);
    key[0] = (uint32_t)seed;
    key[1] = (uint32_t)(seed >> 32);
    gcent_philox4x32_10(ctr, key, o1);
    gcent_philox4x32_10(ctr, key, o2);
    FZ_CHECK(memcmp(o1, o2, sizeof o1) == 0, "philox not a function");
    int code = (int)(int32_t)u64(&S->r, 4);
    const char *t = gcent_strerror(code);
    FZ_CHECK(t != NULL && t[0] != '\0', "strerror(%d)", code);
    FZ_CHECK(strcmp(gcent_version_string(), GCENT_VERSION_STRING) == 0 &&
                 gcent_version_number() == GCENT_VERSION_NUMBER,
             "version");
}

static void op_progress(state *S)
{
    uint8_t b = u8(&S->r);
    trace(b % 3 == 0 ? "progress off" : b % 3 == 1 ? "progress on" : "progress cancels", 0, NULL);
    if (b % 3 == 0) {
        FZ_CHECK(gcent_ctx_set_progress(S->ctx, NULL, NULL) == GCENT_OK, "remove progress");
        S->progress_on = 0;
    } else {
        S->cancel_at = b % 3 == 1 ? 0 : 1 + u8(&S->r) % 6;
        FZ_CHECK(gcent_ctx_set_progress(S->ctx, on_progress, &S->pr) == GCENT_OK,
                 "set progress");
        S->progress_on = 1;
    }
    FZ_CHECK(gcent_ctx_errmsg(S->ctx)[0] == '\0', "set_progress left a message");
}

static void op_reset(state *S)
{
    trace("gcent_ctx_reset", 0, NULL);
    FZ_CHECK(gcent_ctx_reset(S->ctx) == GCENT_OK, "reset");
    model_defaults(&S->opts);
    FZ_CHECK(gcent_ctx_set(S->ctx, GCENT_OPT_THREADS, 2) == GCENT_OK, "threads");
    S->opts.v[opt_index(GCENT_OPT_THREADS)] = 2;
    S->progress_on = 0; /* reset removes the callback */
    FZ_CHECK(gcent_ctx_errmsg(S->ctx)[0] == '\0', "reset left a message");
    model_check(&S->opts, S->ctx);
}

/* ---- after all operations: the context is as good as a fresh one ---------------------------- */

static void final_check(state *S)
{
    static const double s[12] = {0.1, -0.4, 0.9, 0.3, -0.7, 0.2, 0.5, 0.5, -0.1, 0.8, 0.0, 0.6};
    static const int y[6] = {1, 0, 1, 0, 1, 1};
    gcent_ctx *fresh = NULL;
    FZ_CHECK(gcent_ctx_create(&fresh) == GCENT_OK, "create");
    for (size_t i = 0; i < NOPT; ++i)
        FZ_CHECK(gcent_ctx_set(fresh, OPT_IDS[i], S->opts.v[i]) == GCENT_OK, "copy option");
    FZ_CHECK(gcent_ctx_set_progress(S->ctx, NULL, NULL) == GCENT_OK, "remove progress");
    model_check(&S->opts, S->ctx);
    /* The same calls on both contexts: same status, same bytes, same message.
     * d = 1 (quadrature unless the method is MC) and d = 3 (Monte Carlo;
     * GCENT_EUNSUPPORTED under METHOD_QUADRATURE); a far bin origin may make
     * the binned call fail with GCENT_ERANGE. */
    gcent_estimate e[2];
    gcent_layer_mi r[2];
    double b[2];
    int st[2];
    gcent_ctx *c[2] = {S->ctx, fresh};
    memset(e, 0, sizeof e);
    memset(r, 0, sizeof r);
    memset(b, 0, sizeof b);
    for (int call = 0; call < 3; ++call) {
        for (int i = 0; i < 2; ++i) {
            switch (call) {
            case 0: st[i] = gcent_entropy(c[i], s, 12, 1, 1, NULL, 0.5, &e[i]); break;
            case 1: st[i] = gcent_mi_layer(c[i], s, 2, 2, 3, 3, y, 0.5, &r[i]); break;
            default: st[i] = gcent_binned_entropy(c[i], s, 6, 2, 2, 0.5, &b[i]); break;
            }
            check_status(st[i], "call after the input");
            check_message(c[i], st[i], "call after the input");
        }
        FZ_CHECK(st[0] == st[1] &&
                     strcmp(gcent_ctx_errmsg(c[0]), gcent_ctx_errmsg(c[1])) == 0,
                 "call %d after the input: status %d, fresh context %d", call, st[0], st[1]);
    }
    FZ_CHECK(memcmp(&e[0], &e[1], sizeof e[0]) == 0 && memcmp(&r[0], &r[1], sizeof r[0]) == 0 &&
                 memcmp(&b[0], &b[1], sizeof b[0]) == 0,
             "results after the input differ from a fresh context's");
    gcent_ctx_free(fresh);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    state S;
    memset(&S, 0, sizeof S);
    S.r.p = data;
    S.r.left = size;
    fp_ctl fp0;
    fp_get(&fp0);
    FZ_CHECK(gcent_ctx_create(&S.ctx) == GCENT_OK, "create");
    model_defaults(&S.opts);
    model_check(&S.opts, S.ctx);
    /* the default (every core) is fine, but keep the harness's own cap */
    FZ_CHECK(gcent_ctx_set(S.ctx, GCENT_OPT_THREADS, 2) == GCENT_OK, "threads");
    S.opts.v[opt_index(GCENT_OPT_THREADS)] = 2;
    for (int op = 0; op < MAX_OPS && S.r.left > 0; ++op) {
        switch (u8(&S.r) % 14) {
        case 0: case 1: op_set(&S); break;
        case 2: op_get_bounds(&S); break;
        case 3: op_entropy(&S, 0); break;
        case 4: op_entropy(&S, 1); break;
        case 5: op_noise(&S); break;
        case 6: op_mi(&S, 0); break;
        case 7: op_mi(&S, 1); break;
        case 8: op_binned(&S); break;
        case 9: op_overflow(&S); break;
        case 10: op_nulls(&S); break;
        case 11: op_fixed_range(&S); op_rng(&S); break;
        case 12: op_progress(&S); break;
        default: op_reset(&S); break;
        }
    }
    final_check(&S);
    gcent_ctx_free(S.ctx);
    gcent_ctx_free(NULL);
    fp_same(&fp0, "the input");
    return 0;
}
