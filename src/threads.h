/* Deterministic parallel execution and progress reporting (src/threads.c).
 *
 * Work is cut into chunks whose results do not depend on which thread runs
 * them. A pool keeps its worker threads between runs (a plan starts them once
 * and keeps them until it is freed); the calling thread is worker 0 and the
 * only one that calls the user's progress callback. */
#ifndef GCENT_THREADS_H
#define GCENT_THREADS_H

#include "common.h"
#include "err.h"

/* Progress of one public call, which may have several phases. Units are
 * steps of roughly equal work; total is fixed before the first report. */
typedef struct gcent__progress {
    gcent_progress_fn fn;     /* NULL: nothing is reported */
    void *user;
    gcent__err *err;          /* where a cancellation is recorded */
    uint64_t done;            /* units finished */
    uint64_t total;           /* units of the whole call */
    uint64_t reported;        /* last done reported, UINT64_MAX before the first */
} gcent__progress;

GCENT__HIDDEN void gcent__progress_init(gcent__progress *p, gcent_progress_fn fn, void *user,
                                        gcent__err *err, uint64_t total);
/* Report done units (from the calling thread). Returns GCENT_ECANCELED
 * (reason recorded) if the callback asked to stop, GCENT_OK otherwise. */
GCENT__HIDDEN int gcent__progress_report(gcent__progress *p, uint64_t done);
/* p->done += units, then report. */
GCENT__HIDDEN int gcent__progress_step(gcent__progress *p, uint64_t units);
/* The final report, done == total, unless it was already made. */
GCENT__HIDDEN int gcent__progress_finish(gcent__progress *p);

/* Progress of a serial phase that advances p by `units` over `work` (any
 * measure of it): gcent__ticker_add reports each time another 1/units of
 * the work is done, and remembers a cancellation (st) so that deep loops
 * can stop early; gcent__ticker_end completes the phase's units. */
typedef struct gcent__ticker {
    gcent__progress *p;       /* NULL: count only */
    uint64_t base, units;
    double work, done;
    uint64_t stepped;         /* units reported */
    int st;                   /* GCENT_OK or GCENT_ECANCELED */
} gcent__ticker;

GCENT__HIDDEN void gcent__ticker_init(gcent__ticker *t, gcent__progress *p, uint64_t units,
                                      double work);
GCENT__HIDDEN int gcent__ticker_add(gcent__ticker *t, double work);
GCENT__HIDDEN int gcent__ticker_end(gcent__ticker *t);

/* A unit of parallel work: process chunk `chunk` using worker slot `worker`
 * (0 <= worker < the pool's size, for per-worker scratch). Returns GCENT_OK
 * or a negative status. Must not depend on which worker runs it. */
typedef int (*gcent__chunk_fn)(void *arg, size_t chunk, size_t worker);

typedef struct gcent__pool gcent__pool;

/* A pool of up to nworkers workers: the caller and nworkers - 1 threads,
 * started now. A thread that cannot be started is simply not used (results
 * never depend on the number of workers). GCENT_OK or GCENT_ENOMEM. */
GCENT__HIDDEN int gcent__pool_create(gcent__pool **out, size_t nworkers);
/* Stops and joins the threads; NULL ok. */
GCENT__HIDDEN void gcent__pool_free(gcent__pool *pl);
/* Workers of a run: the threads that started plus the caller (>= 1). */
GCENT__HIDDEN size_t gcent__pool_size(const gcent__pool *pl);
/* Run chunks 0..nchunks-1 on the pool (the caller takes part and reports
 * progress: p->done + chunks finished). Stops early on the first failure or
 * on cancellation; on success p->done has advanced by nchunks. p may be
 * NULL. Allocates nothing and starts no thread. */
GCENT__HIDDEN int gcent__pool_run(gcent__pool *pl, gcent__progress *p, size_t nchunks,
                                  gcent__chunk_fn fn, void *arg);
/* The same on a pool of nworkers made for this run only (one-shot callers
 * without a plan). */
GCENT__HIDDEN int gcent__parallel(gcent__progress *p, size_t nchunks, size_t nworkers,
                                  gcent__chunk_fn fn, void *arg);

#endif /* GCENT_THREADS_H */
