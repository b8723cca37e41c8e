/* The context: options, error message, progress callback; input checks. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"

#define GCENT__SEED_MAX 9007199254740992.0 /* 2^53 */
#define GCENT__DRAWS_MAX 16777216.0       /* 2^24 */
#define GCENT__THREADS_MAX 1024.0

static void set_defaults(gcent_ctx *ctx)
{
    ctx->seed = 0;
    ctx->draws = GCENT__DEFAULT_DRAWS;
    ctx->threads = 0;
    ctx->log_base = GCENT__E;
    ctx->method = GCENT_METHOD_AUTO;
    ctx->quad_tol = GCENT__DEFAULT_QUAD_TOL;
    ctx->prune = GCENT_PRUNE_ON;
    ctx->prune_tol = GCENT__DEFAULT_PRUNE_TOL;
    ctx->bin_origin = 0.0;
    ctx->progress = NULL;
    ctx->progress_user = NULL;
    ctx->errmsg[0] = '\0';
}

int gcent_ctx_create(gcent_ctx **out)
{
    if (out == NULL)
        return GCENT_EINVAL;
    gcent_ctx *ctx = gcent__malloc(sizeof *ctx);
    if (ctx == NULL)
        return GCENT_ENOMEM;
    set_defaults(ctx);
    *out = ctx;
    return GCENT_OK;
}

void gcent_ctx_free(gcent_ctx *ctx) { gcent__free(ctx); }

int gcent_ctx_reset(gcent_ctx *ctx)
{
    if (ctx == NULL)
        return GCENT_EINVAL;
    set_defaults(ctx);
    return GCENT_OK;
}

int gcent__fail(gcent_ctx *ctx, int status, const char *fmt, ...)
{
    if (ctx != NULL) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(ctx->errmsg, sizeof ctx->errmsg, fmt, ap);
        va_end(ap);
        /* one line: replace any newline the format may have produced */
        for (char *c = ctx->errmsg; *c; ++c)
            if (*c == '\n' || *c == '\r')
                *c = ' ';
    }
    return status;
}

void gcent__clear(gcent_ctx *ctx) { ctx->errmsg[0] = '\0'; }

const char *gcent_ctx_errmsg(const gcent_ctx *ctx)
{
    if (ctx == NULL)
        return "no context (NULL)";
    return ctx->errmsg;
}

int gcent_ctx_set_progress(gcent_ctx *ctx, gcent_progress_fn fn, void *user)
{
    if (ctx == NULL)
        return GCENT_EINVAL;
    ctx->progress = fn;
    ctx->progress_user = user;
    ctx->errmsg[0] = '\0';
    return GCENT_OK;
}

/* Option table: range of non-default values and the default. */
typedef struct {
    gcent_opt id;
    const char *name;
    double min, max, def;
    int integer;
} opt_info;

static const opt_info OPTS[] = {
    {GCENT_OPT_SEED, "GCENT_OPT_SEED", 0.0, GCENT__SEED_MAX, 0.0, 1},
    {GCENT_OPT_MC_DRAWS, "GCENT_OPT_MC_DRAWS", 1.0, GCENT__DRAWS_MAX,
     (double)GCENT__DEFAULT_DRAWS, 1},
    {GCENT_OPT_THREADS, "GCENT_OPT_THREADS", 0.0, GCENT__THREADS_MAX, 0.0, 1},
    {GCENT_OPT_LOG_BASE, "GCENT_OPT_LOG_BASE", 1.0000000000000002 /* next double above 1 */, 1.79769313486231570815e308, GCENT__E, 0},
    {GCENT_OPT_METHOD, "GCENT_OPT_METHOD", 0.0, 2.0, 0.0, 1},
    {GCENT_OPT_BIN_ORIGIN, "GCENT_OPT_BIN_ORIGIN", -1.79769313486231570815e308,
     1.79769313486231570815e308, 0.0, 0},
    {GCENT_OPT_PRUNE, "GCENT_OPT_PRUNE", 1.0, 2.0, (double)GCENT_PRUNE_ON, 1},
    {GCENT_OPT_QUAD_TOL, "GCENT_OPT_QUAD_TOL", 1e-14, 1e-3, GCENT__DEFAULT_QUAD_TOL, 0},
    {GCENT_OPT_PRUNE_TOL, "GCENT_OPT_PRUNE_TOL", 1e-300, 1e-2, GCENT__DEFAULT_PRUNE_TOL, 0},
};

static const opt_info *find_opt(gcent_opt opt)
{
    for (size_t i = 0; i < sizeof OPTS / sizeof OPTS[0]; ++i)
        if (OPTS[i].id == opt)
            return &OPTS[i];
    return NULL;
}

int gcent_opt_bounds(gcent_opt opt, double *min, double *max, double *def)
{
    const opt_info *o = find_opt(opt);
    if (o == NULL)
        return GCENT_EUNSUPPORTED;
    if (min)
        *min = o->min;
    if (max)
        *max = o->max;
    if (def)
        *def = o->def;
    return GCENT_OK;
}

int gcent_ctx_set(gcent_ctx *ctx, gcent_opt opt, double value)
{
    if (ctx == NULL)
        return GCENT_EINVAL;
    gcent__clear(ctx);
    const opt_info *o = find_opt(opt);
    if (o == NULL)
        return gcent__fail(ctx, GCENT_EUNSUPPORTED, "gcent_ctx_set: unknown option id %d",
                           (int)opt);
    if (!isfinite(value))
        return gcent__fail(ctx, GCENT_EDOM, "gcent_ctx_set: %s: value is NaN or infinite",
                           o->name);
    if (value == 0.0)
        value = o->def;
    if (opt == GCENT_OPT_METHOD && value == floor(value) && (value < o->min || value > o->max))
        return gcent__fail(ctx, GCENT_EUNSUPPORTED, "gcent_ctx_set: unknown method %.17g",
                           value);
    if (opt == GCENT_OPT_PRUNE && value == floor(value) && (value < o->min || value > o->max))
        return gcent__fail(ctx, GCENT_EUNSUPPORTED,
                           "gcent_ctx_set: unknown GCENT_OPT_PRUNE value %.17g", value);
    if (value < o->min || value > o->max || (o->integer && value != floor(value)))
        return gcent__fail(ctx, GCENT_ERANGE,
                           "gcent_ctx_set: %s: %.17g is outside [%.17g, %.17g]%s", o->name,
                           value, o->min, o->max, o->integer ? " or not an integer" : "");
    if (opt == GCENT_OPT_LOG_BASE && !(value > 1.0))
        return gcent__fail(ctx, GCENT_ERANGE,
                           "gcent_ctx_set: GCENT_OPT_LOG_BASE must be > 1, got %.17g", value);
    switch (opt) {
    case GCENT_OPT_SEED:     ctx->seed = (uint64_t)value; break;
    case GCENT_OPT_MC_DRAWS: ctx->draws = (uint32_t)value; break;
    case GCENT_OPT_THREADS:  ctx->threads = (uint32_t)value; break;
    case GCENT_OPT_LOG_BASE: ctx->log_base = value; break;
    case GCENT_OPT_METHOD:   ctx->method = (int)value; break;
    case GCENT_OPT_QUAD_TOL: ctx->quad_tol = value; break;
    case GCENT_OPT_PRUNE:    ctx->prune = (int)value; break;
    case GCENT_OPT_PRUNE_TOL: ctx->prune_tol = value; break;
    case GCENT_OPT_BIN_ORIGIN: ctx->bin_origin = value; break;
    }
    return GCENT_OK;
}

int gcent_ctx_get(const gcent_ctx *ctx, gcent_opt opt, double *value)
{
    if (ctx == NULL || value == NULL)
        return GCENT_EINVAL;
    switch (opt) {
    case GCENT_OPT_SEED:     *value = (double)ctx->seed; return GCENT_OK;
    case GCENT_OPT_MC_DRAWS: *value = (double)ctx->draws; return GCENT_OK;
    case GCENT_OPT_THREADS:  *value = (double)ctx->threads; return GCENT_OK;
    case GCENT_OPT_LOG_BASE: *value = ctx->log_base; return GCENT_OK;
    case GCENT_OPT_METHOD:   *value = (double)ctx->method; return GCENT_OK;
    case GCENT_OPT_QUAD_TOL: *value = ctx->quad_tol; return GCENT_OK;
    case GCENT_OPT_PRUNE:    *value = (double)ctx->prune; return GCENT_OK;
    case GCENT_OPT_PRUNE_TOL: *value = ctx->prune_tol; return GCENT_OK;
    case GCENT_OPT_BIN_ORIGIN: *value = ctx->bin_origin; return GCENT_OK;
    }
    return GCENT_EUNSUPPORTED;
}

double gcent__to_base(const gcent_ctx *ctx, double nats)
{
    if (ctx->log_base == GCENT__E)
        return nats;
    return nats / log(ctx->log_base);
}

size_t gcent__nthreads(const gcent_ctx *ctx)
{
    if (ctx->threads > 0)
        return ctx->threads;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    if (n > (long)GCENT__THREADS_MAX)
        n = (long)GCENT__THREADS_MAX;
    return (size_t)n;
}

int gcent__check_shape(gcent_ctx *ctx, const double *s, size_t n, size_t d, size_t lds)
{
    if (s == NULL)
        return gcent__fail(ctx, GCENT_EINVAL, "samples pointer is NULL");
    if (n == 0)
        return gcent__fail(ctx, GCENT_EINVAL, "n = 0: at least one sample is needed");
    if (d == 0)
        return gcent__fail(ctx, GCENT_EINVAL, "d = 0: the dimension must be at least 1");
    if (lds < d)
        return gcent__fail(ctx, GCENT_EINVAL, "row stride lds = %zu is smaller than d = %zu",
                           lds, d);
    /* the last double read is s[(n - 1) * lds + d - 1]: its byte offset must fit */
    int ovf = 0;
    size_t span = gcent__mul(n - 1, lds, &ovf);
    if (!ovf && span > SIZE_MAX - d)
        ovf = 1;
    if (!ovf)
        (void)gcent__mul(span + d, sizeof(double), &ovf);
    if (ovf)
        return gcent__fail(ctx, GCENT_ERANGE, "n = %zu rows of stride %zu overflow size_t",
                           n, lds);
    return GCENT_OK;
}

int gcent__check_finite(gcent_ctx *ctx, const double *s, size_t n, size_t d, size_t lds)
{
    for (size_t i = 0; i < n; ++i) {
        const double *row = s + i * lds;
        for (size_t k = 0; k < d; ++k)
            if (!isfinite(row[k]))
                return gcent__fail(ctx, GCENT_EDOM,
                                   "sample %zu, coordinate %zu is NaN or infinite", i, k);
    }
    return GCENT_OK;
}

int gcent__check_samples(gcent_ctx *ctx, const double *s, size_t n, size_t d, size_t lds,
                         const double *w, double beta)
{
    int st = gcent__check_shape(ctx, s, n, d, lds);
    if (st != GCENT_OK)
        return st;
    if (isnan(beta) || isinf(beta))
        return gcent__fail(ctx, GCENT_EDOM, "beta is NaN or infinite");
    if (!(beta > 0.0))
        return gcent__fail(ctx, GCENT_EINVAL, "beta = %g: the noise level must be > 0", beta);
    st = gcent__check_finite(ctx, s, n, d, lds);
    if (st != GCENT_OK)
        return st;
    if (w != NULL) {
        gcent__sum sum = {0.0, 0.0};
        for (size_t i = 0; i < n; ++i) {
            if (!isfinite(w[i]))
                return gcent__fail(ctx, GCENT_EDOM, "weight %zu is NaN or infinite", i);
            if (w[i] < 0.0)
                return gcent__fail(ctx, GCENT_EINVAL, "weight %zu = %g is negative", i, w[i]);
            gcent__sum_add(&sum, w[i]); /* compensated: no order effects */
        }
        double total = gcent__sum_get(&sum);
        if (!(fabs(total - 1.0) <= 1e-9))
            return gcent__fail(ctx, GCENT_EINVAL,
                               "weights sum to %.17g, not 1 (tolerance 1e-9)", total);
    }
    return GCENT_OK;
}
