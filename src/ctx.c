/* The context: options (set, get, bounds, reset), the error message, the
 * progress callback, and the number of worker threads a setting means. */
#include <math.h>
#include <string.h>
#include <unistd.h>
#include "alloc.h"
#include "ctx.h"

#define GCENT__SEED_MAX 9007199254740992.0 /* 2^53 */
#define GCENT__DRAWS_MAX 16777216.0       /* 2^24 */
#define GCENT__THREADS_MAX 1024.0

static void set_defaults(gcent_ctx *ctx)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->o.seed = 0;
    ctx->o.draws = GCENT__DEFAULT_DRAWS;
    ctx->o.threads = 0;
    ctx->o.log_base = GCENT__E;
    ctx->o.method = GCENT_METHOD_AUTO;
    ctx->o.quad_tol = GCENT__DEFAULT_QUAD_TOL;
    ctx->o.prune = GCENT_PRUNE_ON;
    ctx->o.prune_tol = GCENT__DEFAULT_PRUNE_TOL;
    ctx->o.bin_origin = 0.0;
    ctx->o.precision = GCENT_PRECISION_DOUBLE;
    ctx->progress = NULL;
    ctx->progress_user = NULL;
    ctx->last_method = 0;
    gcent__err_begin(&ctx->err, NULL);
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

const char *gcent_ctx_errmsg(const gcent_ctx *ctx)
{
    if (ctx == NULL)
        return "no context (NULL)";
    return ctx->err.msg;
}

int gcent_ctx_set_progress(gcent_ctx *ctx, gcent_progress_fn fn, void *user)
{
    if (ctx == NULL)
        return GCENT_EINVAL;
    gcent__begin(ctx, "gcent_ctx_set_progress");
    ctx->progress = fn;
    ctx->progress_user = user;
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
    {GCENT_OPT_PRECISION, "GCENT_OPT_PRECISION", 1.0, 2.0, (double)GCENT_PRECISION_DOUBLE, 1},
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
    gcent__begin(ctx, "gcent_ctx_set");
    if (opt == GCENT_INFO_LAST_METHOD)
        return gcent__fail(ctx, GCENT_EINVAL,
                           "GCENT_INFO_LAST_METHOD is read-only (what the last call used)");
    const opt_info *o = find_opt(opt);
    if (o == NULL)
        return gcent__fail(ctx, GCENT_EUNSUPPORTED, "unknown option id %d",
                           (int)opt);
    if (!isfinite(value))
        return gcent__fail(ctx, GCENT_EDOM, "%s: value is NaN or infinite",
                           o->name);
    if (value == 0.0)
        value = o->def;
    if (opt == GCENT_OPT_METHOD && value == floor(value) && (value < o->min || value > o->max))
        return gcent__fail(ctx, GCENT_EUNSUPPORTED, "unknown method %.17g",
                           value);
    if (opt == GCENT_OPT_PRUNE && value == floor(value) && (value < o->min || value > o->max))
        return gcent__fail(ctx, GCENT_EUNSUPPORTED,
                           "unknown GCENT_OPT_PRUNE value %.17g", value);
    if (opt == GCENT_OPT_PRECISION && value == floor(value) && (value < o->min || value > o->max))
        return gcent__fail(ctx, GCENT_EUNSUPPORTED,
                           "unknown GCENT_OPT_PRECISION value %.17g (GCENT_PRECISION_DOUBLE = 1, "
                           "GCENT_PRECISION_SINGLE = 2)", value);
    if (value < o->min || value > o->max || (o->integer && value != floor(value)))
        return gcent__fail(ctx, GCENT_ERANGE,
                           "%s: %.17g is outside [%.17g, %.17g]%s", o->name,
                           value, o->min, o->max, o->integer ? " or not an integer" : "");
    if (opt == GCENT_OPT_LOG_BASE && !(value > 1.0))
        return gcent__fail(ctx, GCENT_ERANGE,
                           "GCENT_OPT_LOG_BASE must be > 1, got %.17g", value);
    switch (opt) {
    case GCENT_OPT_SEED:     ctx->o.seed = (uint64_t)value; break;
    case GCENT_OPT_MC_DRAWS: ctx->o.draws = (uint32_t)value; break;
    case GCENT_OPT_THREADS:  ctx->o.threads = (uint32_t)value; break;
    case GCENT_OPT_LOG_BASE: ctx->o.log_base = value; break;
    case GCENT_OPT_METHOD:   ctx->o.method = (int)value; break;
    case GCENT_OPT_QUAD_TOL: ctx->o.quad_tol = value; break;
    case GCENT_OPT_PRUNE:    ctx->o.prune = (int)value; break;
    case GCENT_OPT_PRUNE_TOL: ctx->o.prune_tol = value; break;
    case GCENT_OPT_BIN_ORIGIN: ctx->o.bin_origin = value; break;
    case GCENT_OPT_PRECISION: ctx->o.precision = (int)value; break;
    case GCENT_INFO_LAST_METHOD: break;
    }
    return GCENT_OK;
}

int gcent__opts_get(const gcent__opts *o, gcent_opt opt, double *value)
{
    switch (opt) {
    case GCENT_OPT_SEED:     *value = (double)o->seed; return GCENT_OK;
    case GCENT_OPT_MC_DRAWS: *value = (double)o->draws; return GCENT_OK;
    case GCENT_OPT_THREADS:  *value = (double)o->threads; return GCENT_OK;
    case GCENT_OPT_LOG_BASE: *value = o->log_base; return GCENT_OK;
    case GCENT_OPT_METHOD:   *value = (double)o->method; return GCENT_OK;
    case GCENT_OPT_QUAD_TOL: *value = o->quad_tol; return GCENT_OK;
    case GCENT_OPT_PRUNE:    *value = (double)o->prune; return GCENT_OK;
    case GCENT_OPT_PRUNE_TOL: *value = o->prune_tol; return GCENT_OK;
    case GCENT_OPT_BIN_ORIGIN: *value = o->bin_origin; return GCENT_OK;
    case GCENT_OPT_PRECISION: *value = (double)o->precision; return GCENT_OK;
    case GCENT_INFO_LAST_METHOD: break;
    }
    return GCENT_EUNSUPPORTED;
}

int gcent_ctx_get(const gcent_ctx *ctx, gcent_opt opt, double *value)
{
    if (ctx == NULL || value == NULL)
        return GCENT_EINVAL;
    if (opt == GCENT_INFO_LAST_METHOD) {
        *value = (double)ctx->last_method;
        return GCENT_OK;
    }
    return gcent__opts_get(&ctx->o, opt, value);
}

size_t gcent__nthreads(uint32_t threads)
{
    if (threads > 0)
        return threads;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    if (n > (long)GCENT__THREADS_MAX)
        n = (long)GCENT__THREADS_MAX;
    return (size_t)n;
}
