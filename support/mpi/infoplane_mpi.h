/* infoplane_mpi.h: the (epoch, layer) measurements of infoplane.h spread over
 * the ranks of an MPI communicator, for examples/mpi_infoplane.c and
 * examples/mpi_scale.c. Compiled with mpicc (this folder is not part of the
 * support archive that plain programs link); the library itself never sees
 * MPI: it offers shards (gcent/shard.h, gcent/plan.h), this file distributes
 * them.
 *
 * ONE MEASURED POINT (ipm_measure_point, called by every rank with the same
 * jobs: every rank trains the same network from the same seed and samples
 * the same S_l, bit for bit)
 *
 *   split     The layers of the point are laid end to end on one line, each
 *             as long as its predicted cost (rows x cost per row), and the
 *             line is cut into as many equal pieces as there are ranks: rank
 *             r computes the rows its piece covers, a shard of one layer or
 *             of a few neighbouring ones. The cost per row of a layer is the
 *             time the ranks took per row of it at the previous point (summed
 *             over the ranks, in integer nanoseconds, so every rank computes
 *             the same cuts), or, at the first point and with --balance
 *             pairs, the pair count: draws x rows x (d + 16). A 2-wide layer
 *             on quadrature, a pruned 10-wide layer and a dense 5-wide one
 *             thus get rows in proportion to what they really cost, and a
 *             rank packs the centres of only the one to three layers its
 *             piece touches. The cuts depend on the clock; the results do
 *             not (any split gives the same bits).
 *   shards    gcent_plan_execute_mi_partial on one plan per layer, made the
 *             first time the rank touches the layer (gcent_plan_mi_layer with
 *             the layer's draws) and reused at every later point.
 *   agree     One MPI_Allreduce (sum) of the failure flags and the times and
 *             rows per layer: every rank learns whether any rank failed and
 *             the costs of the next split. If one failed, the lowest failing
 *             rank's one-line reason is broadcast to every rank.
 *   reduce    MPI_Reduce to rank 0 of one slot per layer (a gcent_partial and
 *             a flag saying whether the rank computed rows of that layer)
 *             with a user-defined commutative MPI_Op that calls
 *             gcent_partial_merge_ctx; a refused merge travels in the slot.
 *   finish    rank 0: gcent_mi_layer_finish and the binned entropy of the
 *             noise-free pass of every layer, into the point's ip_results.
 *
 * FAILURES. A rank that fails (bad samples refused by the library, an
 * allocation, a write) records its reason with ipm_fail and skips its local
 * work until the next agreement, where every rank learns of it and all stop
 * together: ipm_measure_point and ipm_agree return 1 on every rank, with the
 * failing rank's reason. No rank ever waits in anything but a collective
 * call that every rank reaches, so a failure cannot leave a rank waiting
 * forever; a rank that dies (a signal, an exit without MPI_Finalize) is
 * seen by the MPI runtime, which ends the whole job.
 *
 * FAILURE INJECTION, for tests: MPI_INFOPLANE_FAIL=RANK:POINT:KIND makes
 * rank RANK misbehave at measured point POINT (0-based), in its shard work:
 * KIND nan writes a NaN into its copy of the samples of the first layer it
 * computes (the library refuses them: a bad input), alloc remakes the plan
 * of that layer under an address-space limit at the process's current size
 * (the library's allocation fails, as on a node out of memory), kill raises
 * SIGKILL, exit ends the process with status 3 without MPI_Finalize.
 *
 * Every rank must make the same calls in the same order (they are
 * collective), except ipm_fail. Not thread-safe: one ipm per process. */
#ifndef INFOPLANE_MPI_H
#define INFOPLANE_MPI_H

#include <mpi.h>
#include <stddef.h>
#include <stdint.h>
#include <gcent.h>
#include "infoplane.h"

#define IPM_MAX_LAYERS MLP_MAX_SIZES

typedef enum { IPM_BALANCE_TIME = 0, IPM_BALANCE_PAIRS = 1 } ipm_balance;

typedef struct ipm_slot ipm_slot; /* one layer's partial on the wire */

/* What the measured points cost, for the report (ipm_print_stats). */
typedef struct ipm_stats {
    size_t points;            /* points measured */
    double point_secs;        /* wall time in ipm_measure_point (this rank) */
    double work_secs;         /* of which in the library's shard calls */
    double sync_secs;         /* of which in the agreement, reduction and finish */
    double finish_secs;       /* rank 0: of which in the finish (results, binned entropy) */
    double total_work_secs;   /* last point: shard time summed over the ranks */
    double cpu_secs;          /* CPU time in the shards, all ranks and threads */
    double total_cpu_secs;    /* the same, last point */
    double imbalance_sum;     /* rank 0: sum over points of busiest / mean shard time */
    uint64_t slot_bytes;      /* bytes of partials this rank reduces per point */
} ipm_stats;

typedef struct ipm {
    MPI_Comm comm;
    int rank, size, local_ranks; /* local_ranks: ranks on this node */
    size_t threads;              /* library threads of this rank */
    ipm_balance balance;
    int nlayers;
    gcent_ctx *ctx;              /* this rank's context (seed, threads) */
    gcent_plan *plan[IPM_MAX_LAYERS];
    uint64_t unit[IPM_MAX_LAYERS]; /* cost per row of the next split; 0: pairs */
    uint64_t ns[IPM_MAX_LAYERS], rows[IPM_MAX_LAYERS]; /* this rank, this point */
    ipm_slot *slot, *sum;        /* nlayers slots: this rank's, the reduced (rank 0) */
    MPI_Datatype slot_type;
    MPI_Op merge_op;
    int fail_rank, fail_point;   /* MPI_INFOPLANE_FAIL (fail_rank -1: none) */
    char fail_kind[8];
    int failed;                  /* this rank failed: err says why */
    char err[512];
    ipm_stats st;
} ipm;

/* Parse noisy_mlp's command line plus --balance time|pairs, like
 * ip_parse_args (same return values: 0 run, 1 --help printed, 2 bad), its
 * messages (usage, errors) printed by rank 0 only. Not collective. */
int ipm_parse_args(ip_options *o, ipm_balance *balance, int argc, char **argv,
                   const char *prog, int rank);

/* Set up *c on `comm` (MPI initialised) for points of `nlayers` layers: the
 * context (GCENT_OPT_SEED = seed; threads: `threads`, or with 0 the cores
 * this rank may run on, shared among the ranks of its node), the slots, the
 * MPI datatype and operation. Collective. A local failure is recorded as by
 * ipm_fail (the next agreement reports it). Free with ipm_free. */
void ipm_init(ipm *c, MPI_Comm comm, uint64_t seed, size_t threads, ipm_balance balance,
              int nlayers);
void ipm_free(ipm *c);

/* Record this rank's failure (the first one is kept), printf-style. */
void ipm_fail(ipm *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Collective agreement: 0 when no rank has failed; 1 on every rank when one
 * has, with "rank R: reason" of the lowest failing rank in `reason`. */
int ipm_agree(ipm *c, char *reason, size_t len);

/* Measure one point, collectively: jobs[0 .. nlayers-1] are its layers
 * (ip_layer_job_get, the same on every rank). On rank 0 the results go to
 * res[0 .. nlayers-1] and, when pr is not NULL, the layer being computed to
 * the progress bar. 0, or 1 on every rank with the reason as ipm_agree.
 * A failure of rank 0's finish is recorded by ipm_fail (the next
 * agreement reports it; the results are then not to be written). */
int ipm_measure_point(ipm *c, const ip_layer_job *jobs, ip_result *res, ip_progress *pr,
                      char *reason, size_t len);

/* The rows [begin[l], end[l]) of layer l that rank `rank` of `nranks`
 * computes, for layers of rows[l] rows costing unit[l] (> 0) per row: the
 * cut of the line described at the top. Every layer's rows are covered once
 * by the ranks together. */
void ipm_split(int nlayers, const size_t *rows, const uint64_t *unit, int nranks, int rank,
               size_t *begin, size_t *end);

/* Rank 0: one line of what the points cost (ranks, threads, time per point,
 * bytes of partials, balance); `train_secs` is the training time. */
void ipm_print_stats(FILE *f, const ipm *c, double train_secs);

/* Peak resident memory of this process in MiB (getrusage). */
double ipm_peak_mib(void);

/* CPU time of this process (all its threads) in seconds. */
double ipm_cpu_secs(void);

#endif /* INFOPLANE_MPI_H */
