/* Deterministic parallel execution and progress reporting.
 *
 * Work is cut into chunks whose results do not depend on which thread runs
 * them; callers combine per-chunk results in chunk order, so every result is
 * bit-identical for any thread count. Threads are taken dynamically from a
 * shared counter. The calling thread is worker 0 and the only one that calls
 * the user's progress callback. */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include "internal.h"

void gcent__progress_init(gcent__progress *p, gcent_ctx *ctx, uint64_t total)
{
    p->ctx = ctx;
    p->done = 0;
    p->total = total;
    p->reported = UINT64_MAX;
}

int gcent__progress_report(gcent__progress *p, uint64_t done)
{
    if (p == NULL || p->ctx == NULL || p->ctx->progress == NULL)
        return GCENT_OK;
    if (done > p->total)
        done = p->total;
    p->reported = done;
    if (p->ctx->progress(p->ctx->progress_user, done, p->total) != 0)
        return gcent__fail(p->ctx, GCENT_ECANCELED, "canceled by the progress callback");
    return GCENT_OK;
}

int gcent__progress_finish(gcent__progress *p)
{
    if (p == NULL || p->reported == p->total)
        return GCENT_OK;
    return gcent__progress_report(p, p->total);
}

typedef struct {
    gcent__chunk_fn fn;
    void *arg;
    size_t nchunks;
    atomic_size_t next;     /* next chunk to take */
    atomic_size_t finished; /* chunks completed */
    atomic_int status;      /* first failure, or GCENT_OK */
} pool;

typedef struct {
    pool *pl;
    size_t worker;
} worker_arg;

/* Take and run one chunk. Returns 0 when there is nothing left to do. */
static int run_one(pool *pl, size_t worker)
{
    if (atomic_load_explicit(&pl->status, memory_order_relaxed) != GCENT_OK)
        return 0;
    size_t c = atomic_fetch_add_explicit(&pl->next, 1, memory_order_relaxed);
    if (c >= pl->nchunks)
        return 0;
    int st = pl->fn(pl->arg, c, worker);
    if (st != GCENT_OK) {
        int expected = GCENT_OK;
        atomic_compare_exchange_strong(&pl->status, &expected, st);
        return 0;
    }
    atomic_fetch_add_explicit(&pl->finished, 1, memory_order_release);
    return 1;
}

static void *worker_main(void *v)
{
    worker_arg *wa = v;
    while (run_one(wa->pl, wa->worker))
        ;
    return NULL;
}

double gcent__ordered_sum(const double *x, size_t n)
{
    gcent__sum k = {0.0, 0.0};
    for (size_t i = 0; i < n; ++i)
        gcent__sum_add(&k, x[i]);
    return gcent__sum_get(&k);
}

#define GCENT__MAX_WORKERS 1024

int gcent__parallel(gcent__progress *p, size_t nchunks, size_t nworkers, gcent__chunk_fn fn,
                    void *arg)
{
    if (nchunks == 0)
        return GCENT_OK;
    if (nworkers > nchunks)
        nworkers = nchunks;
    if (nworkers > GCENT__MAX_WORKERS)
        nworkers = GCENT__MAX_WORKERS;
    if (nworkers < 1)
        nworkers = 1;

    pool pl;
    pl.fn = fn;
    pl.arg = arg;
    pl.nchunks = nchunks;
    atomic_init(&pl.next, 0);
    atomic_init(&pl.finished, 0);
    atomic_init(&pl.status, GCENT_OK);

    pthread_t tid[GCENT__MAX_WORKERS];
    worker_arg wargs[GCENT__MAX_WORKERS];
    size_t started = 0;
    /* A thread that cannot be created is simply not used: the result does
     * not depend on the number of workers. */
    for (size_t t = 1; t < nworkers; ++t) {
        wargs[t].pl = &pl;
        wargs[t].worker = t;
        if (pthread_create(&tid[t], NULL, worker_main, &wargs[t]) != 0)
            break;
        started = t;
    }

    uint64_t base = p ? p->done : 0;
    while (run_one(&pl, 0)) {
        if (p) {
            size_t fin = atomic_load_explicit(&pl.finished, memory_order_acquire);
            int st = gcent__progress_report(p, base + fin);
            if (st != GCENT_OK) {
                int expected = GCENT_OK;
                atomic_compare_exchange_strong(&pl.status, &expected, st);
                break;
            }
        }
    }
    for (size_t t = 1; t <= started; ++t)
        pthread_join(tid[t], NULL);

    int st = atomic_load(&pl.status);
    if (st == GCENT_OK && p)
        p->done = base + nchunks;
    return st;
}
