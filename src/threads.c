/* Deterministic parallel execution and progress reporting.
 *
 * A pool owns nthreads worker threads, started when it is created and joined
 * when it is freed; between runs they sleep on a condition variable. A run
 * publishes a job (function, argument, chunk count) under the pool's mutex
 * and wakes the workers; chunks are taken from a shared counter by whoever
 * is free, the calling thread included (worker 0), so the assignment of
 * chunks to threads is dynamic but every chunk's result depends only on the
 * chunk: callers combine per-chunk (or exact per-worker) results so that
 * nothing depends on the thread count. The run returns when every worker has
 * left the job. Only the calling thread calls the progress callback. */
#include <pthread.h>
#include <stdatomic.h>
#include "alloc.h"
#include "threads.h"

void gcent__progress_init(gcent__progress *p, gcent_progress_fn fn, void *user, gcent__err *err,
                          uint64_t total)
{
    p->fn = fn;
    p->user = user;
    p->err = err;
    p->done = 0;
    p->total = total;
    p->reported = UINT64_MAX;
}

int gcent__progress_report(gcent__progress *p, uint64_t done)
{
    if (p == NULL || p->fn == NULL)
        return GCENT_OK;
    if (done > p->total)
        done = p->total;
    if (p->reported != UINT64_MAX && done < p->reported)
        done = p->reported; /* never backwards */
    p->reported = done;
    if (p->fn(p->user, done, p->total) != 0)
        return gcent__seterr(p->err, GCENT_ECANCELED, "canceled by the progress callback");
    return GCENT_OK;
}

int gcent__progress_step(gcent__progress *p, uint64_t units)
{
    if (p == NULL)
        return GCENT_OK;
    p->done += units;
    return gcent__progress_report(p, p->done);
}

int gcent__progress_finish(gcent__progress *p)
{
    if (p == NULL || p->reported == p->total)
        return GCENT_OK;
    return gcent__progress_report(p, p->total);
}

void gcent__ticker_init(gcent__ticker *t, gcent__progress *p, uint64_t units, double work)
{
    t->p = p;
    t->base = p ? p->done : 0;
    t->units = units;
    t->work = work > 0.0 ? work : 1.0;
    t->done = 0.0;
    t->stepped = 0;
    t->st = GCENT_OK;
}

int gcent__ticker_add(gcent__ticker *t, double work)
{
    if (t->st != GCENT_OK || t->p == NULL)
        return t->st;
    t->done += work;
    double f = t->done / t->work;
    uint64_t k = f >= 1.0 ? t->units : (uint64_t)(f * (double)t->units);
    if (k > t->stepped) {
        t->stepped = k;
        t->p->done = t->base + k;
        t->st = gcent__progress_report(t->p, t->p->done);
    }
    return t->st;
}

int gcent__ticker_end(gcent__ticker *t)
{
    if (t->st != GCENT_OK || t->p == NULL)
        return t->st;
    if (t->stepped < t->units) {
        t->stepped = t->units;
        t->p->done = t->base + t->units;
        t->st = gcent__progress_report(t->p, t->p->done);
    }
    return t->st;
}

#define GCENT__MAX_WORKERS 1024

typedef struct {
    gcent__pool *pl;
    size_t worker;
} worker_arg;

struct gcent__pool {
    pthread_mutex_t mu;
    pthread_cond_t go;        /* a new job (or quit) was published */
    pthread_cond_t idle;      /* the last worker left the job */
    uint64_t gen;             /* job number, under mu */
    int quit;                 /* under mu */
    size_t busy;              /* threads still in the job, under mu */
    size_t nthreads;          /* threads started */
    /* the job: written under mu before gen moves, read after */
    gcent__chunk_fn fn;
    void *arg;
    size_t nchunks;
    atomic_size_t next;       /* next chunk to take */
    atomic_size_t finished;   /* chunks completed */
    atomic_int status;        /* first failure, or GCENT_OK */
    pthread_t tid[GCENT__MAX_WORKERS];
    worker_arg wa[GCENT__MAX_WORKERS];
};

/* Take and run one chunk. Returns 0 when there is nothing left to do. */
static int run_one(gcent__pool *pl, size_t worker)
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
    gcent__pool *pl = wa->pl;
    uint64_t seen = 0;
    pthread_mutex_lock(&pl->mu);
    for (;;) {
        while (pl->gen == seen && !pl->quit)
            pthread_cond_wait(&pl->go, &pl->mu);
        if (pl->quit)
            break;
        seen = pl->gen;
        pthread_mutex_unlock(&pl->mu);
        while (run_one(pl, wa->worker))
            ;
        pthread_mutex_lock(&pl->mu);
        if (--pl->busy == 0)
            pthread_cond_signal(&pl->idle);
    }
    pthread_mutex_unlock(&pl->mu);
    return NULL;
}

int gcent__pool_create(gcent__pool **out, size_t nworkers)
{
    gcent__pool *pl = gcent__calloc(1, sizeof *pl);
    if (pl == NULL)
        return GCENT_ENOMEM;
    if (pthread_mutex_init(&pl->mu, NULL) != 0) {
        gcent__free(pl);
        return GCENT_ENOMEM;
    }
    if (pthread_cond_init(&pl->go, NULL) != 0) {
        pthread_mutex_destroy(&pl->mu);
        gcent__free(pl);
        return GCENT_ENOMEM;
    }
    if (pthread_cond_init(&pl->idle, NULL) != 0) {
        pthread_cond_destroy(&pl->go);
        pthread_mutex_destroy(&pl->mu);
        gcent__free(pl);
        return GCENT_ENOMEM;
    }
    atomic_init(&pl->next, 0);
    atomic_init(&pl->finished, 0);
    atomic_init(&pl->status, GCENT_OK);
    if (nworkers > GCENT__MAX_WORKERS)
        nworkers = GCENT__MAX_WORKERS;
    /* a thread that cannot be created is simply not used */
    for (size_t t = 1; t < nworkers; ++t) {
        pl->wa[pl->nthreads].pl = pl;
        pl->wa[pl->nthreads].worker = pl->nthreads + 1;
        if (pthread_create(&pl->tid[pl->nthreads], NULL, worker_main, &pl->wa[pl->nthreads]) != 0)
            break;
        ++pl->nthreads;
    }
    *out = pl;
    return GCENT_OK;
}

void gcent__pool_free(gcent__pool *pl)
{
    if (pl == NULL)
        return;
    pthread_mutex_lock(&pl->mu);
    pl->quit = 1;
    pthread_cond_broadcast(&pl->go);
    pthread_mutex_unlock(&pl->mu);
    for (size_t t = 0; t < pl->nthreads; ++t)
        pthread_join(pl->tid[t], NULL);
    pthread_cond_destroy(&pl->idle);
    pthread_cond_destroy(&pl->go);
    pthread_mutex_destroy(&pl->mu);
    gcent__free(pl);
}

size_t gcent__pool_size(const gcent__pool *pl) { return pl->nthreads + 1; }

int gcent__pool_run(gcent__pool *pl, gcent__progress *p, size_t nchunks, gcent__chunk_fn fn,
                    void *arg)
{
    if (nchunks == 0)
        return GCENT_OK;
    /* threads are woken only when there is more than one chunk */
    const size_t wake = nchunks > 1 ? pl->nthreads : 0;
    pthread_mutex_lock(&pl->mu);
    pl->fn = fn;
    pl->arg = arg;
    pl->nchunks = nchunks;
    atomic_store(&pl->next, 0);
    atomic_store(&pl->finished, 0);
    atomic_store(&pl->status, GCENT_OK);
    if (wake > 0) {
        pl->busy = wake;
        ++pl->gen;
        pthread_cond_broadcast(&pl->go);
    }
    pthread_mutex_unlock(&pl->mu);

    uint64_t base = p ? p->done : 0;
    while (run_one(pl, 0)) {
        if (p) {
            size_t fin = atomic_load_explicit(&pl->finished, memory_order_acquire);
            int st = gcent__progress_report(p, base + fin);
            if (st != GCENT_OK) {
                int expected = GCENT_OK;
                atomic_compare_exchange_strong(&pl->status, &expected, st);
                break;
            }
        }
    }
    if (wake > 0) {
        pthread_mutex_lock(&pl->mu);
        while (pl->busy > 0)
            pthread_cond_wait(&pl->idle, &pl->mu);
        pthread_mutex_unlock(&pl->mu);
    }
    int st = atomic_load(&pl->status);
    if (st == GCENT_OK && p)
        p->done = base + nchunks;
    return st;
}

int gcent__parallel(gcent__progress *p, size_t nchunks, size_t nworkers, gcent__chunk_fn fn,
                    void *arg)
{
    if (nchunks == 0)
        return GCENT_OK;
    if (nworkers > nchunks)
        nworkers = nchunks;
    gcent__pool *pl = NULL;
    if (gcent__pool_create(&pl, nworkers) != GCENT_OK)
        return gcent__seterr(p ? p->err : NULL, GCENT_ENOMEM, "out of memory for a thread pool");
    int st = gcent__pool_run(pl, p, nchunks, fn, arg);
    gcent__pool_free(pl);
    return st;
}
