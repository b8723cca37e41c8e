/* infoplane_mpi.c: one information-plane point measured by all the ranks of
 * an MPI communicator (infoplane_mpi.h): the split of the layers' rows, the
 * shards on per-layer plans, the collective agreement on failures, the
 * reduction of the partials with a user-defined MPI_Op, the finish on rank 0;
 * plus the command line of the MPI programs and their cost report. */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include "infoplane_mpi.h"

#include <fcntl.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

/* One layer's partial as it travels: plain bytes (MPI_BYTE). */
struct ipm_slot {
    int32_t present;  /* the partial holds rows (else: the identity of the merge) */
    int32_t status;   /* 0, or the status of a merge that was refused */
    char reason[248]; /* its reason */
    gcent_partial part;
};

/* The context of the merge operation's error messages: an MPI_Op function
 * receives no user pointer, so it is file-static (one ipm per process). */
static gcent_ctx *merge_ctx;

static uint64_t clock_ns(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t now_ns(void)
{
    return clock_ns(CLOCK_MONOTONIC);
}

/* ---- the command line ---------------------------------------------------------------- */

static void usage(FILE *f, const char *prog)
{
    ip_usage(f, prog);
    fprintf(f,
            "MPI (run under mpirun or srun; the files are written by rank 0):\n"
            "  --balance B       time (default): rows of each layer in proportion to the\n"
            "                    time a row took at the previous point; pairs: in\n"
            "                    proportion to the (query, centre) pairs\n"
            "  --threads 0 means the cores this rank may use, shared among the ranks of\n"
            "  its node. MPI_INFOPLANE_FAIL=RANK:POINT:KIND injects a failure (tests):\n"
            "  KIND nan (bad samples), alloc (the library's allocation fails), kill\n"
            "  (SIGKILL) or exit (no MPI_Finalize).\n");
}

static int parse_args(ip_options *o, ipm_balance *balance, int argc, char **argv,
                      const char *prog)
{
    ip_options_default(o);
    *balance = IPM_BALANCE_TIME;
    for (int a = 1; a < argc; ++a) {
        const char *opt = argv[a], *val = a + 1 < argc ? argv[a + 1] : NULL;
        if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
            usage(stdout, prog);
            return 1;
        }
        int took = ip_option(o, opt, val);
        if (took == 0 && strcmp(opt, "--balance") == 0 && val != NULL &&
            (strcmp(val, "time") == 0 || strcmp(val, "pairs") == 0)) {
            *balance = strcmp(val, "time") == 0 ? IPM_BALANCE_TIME : IPM_BALANCE_PAIRS;
            took = 2;
        }
        if (took <= 0) {
            fprintf(stderr, "%s: bad option or value: %s %s\n", prog, opt, val ? val : "");
            usage(stderr, prog);
            return 2;
        }
        a += took - 1;
    }
    return ip_options_finish(o, prog);
}

int ipm_parse_args(ip_options *o, ipm_balance *balance, int argc, char **argv,
                   const char *prog, int rank)
{
    /* every rank parses the same command line; only rank 0 speaks */
    int saved_out = -1, saved_err = -1, null = -1;
    if (rank != 0 && (null = open("/dev/null", O_WRONLY)) >= 0) {
        fflush(stdout);
        fflush(stderr);
        saved_out = dup(1);
        saved_err = dup(2);
        dup2(null, 1);
        dup2(null, 2);
    }
    int rc = parse_args(o, balance, argc, argv, prog);
    if (null >= 0) {
        fflush(stdout);
        fflush(stderr);
        if (saved_out >= 0)
            dup2(saved_out, 1), close(saved_out);
        if (saved_err >= 0)
            dup2(saved_err, 2), close(saved_err);
        close(null);
    }
    return rc;
}

/* ---- set-up ----------------------------------------------------------------------------- */

void ipm_fail(ipm *c, const char *fmt, ...)
{
    if (c->failed)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err, sizeof c->err, fmt, ap);
    va_end(ap);
    c->failed = 1;
}

/* Library threads of this rank: the CPUs it may run on (mpirun and Slurm
 * may bind it to a few), at most its share of the node's online CPUs. */
static size_t default_threads(int local_ranks)
{
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    size_t share = online > 0 ? (size_t)online / (size_t)local_ranks : 1;
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        size_t mine = (size_t)CPU_COUNT(&set);
        if (mine < share)
            share = mine;
    }
    return share > 0 ? share : 1;
}

/* a[i] merged into b[i]: b = a + b, exactly (the merge is commutative and
 * associative); a slot without rows is the identity. */
static void merge_slots(void *in, void *inout, int *len, MPI_Datatype *type)
{
    (void)type;
    const ipm_slot *a = in;
    ipm_slot *b = inout;
    for (int i = 0; i < *len; ++i) {
        if (b[i].status != 0)
            continue;
        if (a[i].status != 0) {
            b[i].status = a[i].status;
            memcpy(b[i].reason, a[i].reason, sizeof b[i].reason);
        } else if (a[i].present && !b[i].present) {
            b[i].present = 1;
            b[i].part = a[i].part;
        } else if (a[i].present) {
            int st = gcent_partial_merge_ctx(merge_ctx, &b[i].part, &a[i].part);
            if (st != GCENT_OK) {
                b[i].status = st;
                snprintf(b[i].reason, sizeof b[i].reason, "%s (%s)", gcent_strerror(st),
                         gcent_ctx_errmsg(merge_ctx));
            }
        }
    }
}

static void parse_fail_env(ipm *c)
{
    const char *v = getenv("MPI_INFOPLANE_FAIL");
    c->fail_rank = -1;
    if (v == NULL || *v == '\0')
        return;
    int r, p, n = 0;
    char kind[8] = "";
    if (sscanf(v, "%d:%d:%7[a-z]%n", &r, &p, kind, &n) != 3 || v[n] != '\0' || r < 0 ||
        p < 0 ||
        (strcmp(kind, "nan") && strcmp(kind, "alloc") && strcmp(kind, "kill") &&
         strcmp(kind, "exit"))) {
        ipm_fail(c, "MPI_INFOPLANE_FAIL=%.60s: expected RANK:POINT:KIND, KIND nan, alloc, kill "
                    "or exit", v);
        return;
    }
    c->fail_rank = r;
    c->fail_point = p;
    memcpy(c->fail_kind, kind, sizeof kind);
}

void ipm_init(ipm *c, MPI_Comm comm, uint64_t seed, size_t threads, ipm_balance balance,
              int nlayers)
{
    *c = (ipm){.comm = comm, .balance = balance, .nlayers = nlayers, .local_ranks = 1,
               .fail_rank = -1, .slot_type = MPI_DATATYPE_NULL, .merge_op = MPI_OP_NULL};
    MPI_Comm_rank(comm, &c->rank);
    MPI_Comm_size(comm, &c->size);
    MPI_Comm node;
    MPI_Comm_split_type(comm, MPI_COMM_TYPE_SHARED, c->rank, MPI_INFO_NULL, &node);
    MPI_Comm_size(node, &c->local_ranks);
    MPI_Comm_free(&node);
    c->threads = threads ? threads : default_threads(c->local_ranks);
    MPI_Type_contiguous((int)sizeof(ipm_slot), MPI_BYTE, &c->slot_type);
    MPI_Type_commit(&c->slot_type);
    MPI_Op_create(merge_slots, 1, &c->merge_op);
    c->st.slot_bytes = (uint64_t)nlayers * sizeof(ipm_slot);
    parse_fail_env(c);
    if (nlayers < 1 || nlayers > IPM_MAX_LAYERS) {
        ipm_fail(c, "%d layers: between 1 and %d can be measured", nlayers, IPM_MAX_LAYERS);
        return;
    }
    c->slot = calloc((size_t)nlayers, sizeof *c->slot);
    c->sum = c->rank == 0 ? calloc((size_t)nlayers, sizeof *c->sum) : NULL;
    if (c->slot == NULL || (c->rank == 0 && c->sum == NULL)) {
        ipm_fail(c, "out of memory (the partials of %d layers)", nlayers);
        return;
    }
    int st = gcent_ctx_create(&c->ctx);
    if (st == GCENT_OK && merge_ctx == NULL)
        st = gcent_ctx_create(&merge_ctx);
    if (st == GCENT_OK && (st = gcent_ctx_set(c->ctx, GCENT_OPT_SEED, (double)seed)) == GCENT_OK)
        st = gcent_ctx_set(c->ctx, GCENT_OPT_THREADS, (double)c->threads);
    if (st != GCENT_OK)
        ipm_fail(c, "libgcent context: %s%s%s", gcent_strerror(st), c->ctx ? ": " : "",
                 c->ctx ? gcent_ctx_errmsg(c->ctx) : "");
}

void ipm_free(ipm *c)
{
    for (int l = 0; l < IPM_MAX_LAYERS; ++l)
        gcent_plan_free(c->plan[l]);
    gcent_ctx_free(c->ctx);
    gcent_ctx_free(merge_ctx);
    merge_ctx = NULL;
    free(c->slot);
    free(c->sum);
    if (c->merge_op != MPI_OP_NULL)
        MPI_Op_free(&c->merge_op);
    if (c->slot_type != MPI_DATATYPE_NULL)
        MPI_Type_free(&c->slot_type);
    *c = (ipm){.fail_rank = -1};
}

/* ---- agreement -------------------------------------------------------------------------- */

/* Some rank failed (every rank calls this): the lowest failing rank's reason
 * to every rank. */
static int report(ipm *c, char *reason, size_t len)
{
    int mine = c->failed ? c->rank : c->size, first = 0;
    char buf[sizeof c->err];
    MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, c->comm);
    if (c->rank == first)
        memcpy(buf, c->err, sizeof buf);
    MPI_Bcast(buf, (int)sizeof buf, MPI_CHAR, first, c->comm);
    buf[sizeof buf - 1] = '\0';
    snprintf(reason, len, "rank %d: %s", first, buf);
    return 1;
}

int ipm_agree(ipm *c, char *reason, size_t len)
{
    int mine = c->failed, any = 0;
    MPI_Allreduce(&mine, &any, 1, MPI_INT, MPI_SUM, c->comm);
    return any ? report(c, reason, len) : 0;
}

/* ---- the split -------------------------------------------------------------------------- */

/* The first row of a layer (starting at P on the line, u per row) whose
 * start lies at or after x. */
static size_t row_at(uint64_t x, uint64_t P, size_t rows, uint64_t u)
{
    if (x <= P)
        return 0;
    uint64_t r = (x - P + u - 1) / u;
    return r > rows ? rows : (size_t)r;
}

void ipm_split(int nlayers, const size_t *rows, const uint64_t *unit, int nranks, int rank,
               size_t *begin, size_t *end)
{
    const uint64_t LIM = (uint64_t)1 << 62;
    uint64_t u[IPM_MAX_LAYERS], P[IPM_MAX_LAYERS + 1];
    /* integer positions; units halved until the line fits in 62 bits */
    for (int shift = 0;; ++shift) {
        int fits = 1;
        P[0] = 0;
        for (int l = 0; l < nlayers && fits; ++l) {
            u[l] = unit[l] >> shift > 0 ? unit[l] >> shift : 1;
            fits = rows[l] == 0 || u[l] <= (LIM - P[l]) / rows[l];
            P[l + 1] = fits ? P[l] + (uint64_t)rows[l] * u[l] : 0;
        }
        if (fits)
            break;
    }
    const uint64_t T = P[nlayers], N = (uint64_t)nranks, q = T / N, rem = T % N;
    const uint64_t r = (uint64_t)rank;
    const uint64_t x0 = q * r + rem * r / N, x1 = q * (r + 1) + rem * (r + 1) / N;
    for (int l = 0; l < nlayers; ++l) {
        begin[l] = row_at(x0, P[l], rows[l], u[l]);
        end[l] = row_at(x1, P[l], rows[l], u[l]);
    }
}

/* The cost of a row in pairs (without a measured time): draws queries,
 * each against all rows of the layer, a distance (d) and an exp (~16). */
static uint64_t pair_unit(const ip_layer_job *job)
{
    return (uint64_t)job->draws * (uint64_t)(job->m * job->k) * (uint64_t)(job->d + 16);
}

/* ---- one point ---------------------------------------------------------------------------- */

/* MPI_INFOPLANE_FAIL at this shard: kill and exit end the process; nan
 * spoils this rank's own copy of the samples (its memory, written); alloc
 * returns 1: the caller remakes the layer's plan under an address-space
 * limit at the process's current size, so that the library's allocation
 * fails as on a full node. */
static int inject(ipm *c, const ip_layer_job *job, size_t row)
{
    if (c->rank != c->fail_rank || job->point != (size_t)c->fail_point)
        return 0;
    c->fail_rank = -1; /* once */
    fprintf(stderr, "rank %d: MPI_INFOPLANE_FAIL: %s at point %zu, layer %d\n", c->rank,
            c->fail_kind, job->point, job->layer);
    fflush(stderr);
    if (strcmp(c->fail_kind, "kill") == 0)
        raise(SIGKILL);
    if (strcmp(c->fail_kind, "exit") == 0)
        _exit(3);
    if (strcmp(c->fail_kind, "alloc") == 0)
        return 1;
    ((double *)job->s)[row * job->lds] = NAN;
    return 0;
}

/* The process's address space in bytes (Linux), or 0. */
static uint64_t address_space(void)
{
    unsigned long long pages = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f == NULL)
        return 0;
    if (fscanf(f, "%llu", &pages) != 1)
        pages = 0;
    fclose(f);
    return (uint64_t)pages * (uint64_t)sysconf(_SC_PAGESIZE);
}

/* The plan of layer index l (made the first time; the draws and the progress
 * callback are copied from the context); limited: under an address-space
 * limit at the current size (failure injection). 0, or -1 after ipm_fail. */
static int make_plan(ipm *c, const ip_layer_job *job, int l, ip_progress *pr, int limited)
{
    struct rlimit old, lim;
    int st, restore = limited && getrlimit(RLIMIT_AS, &old) == 0;
    if (restore) {
        lim = old;
        lim.rlim_cur = (rlim_t)address_space();
        restore = lim.rlim_cur > 0 && setrlimit(RLIMIT_AS, &lim) == 0;
    }
    if ((st = gcent_ctx_set(c->ctx, GCENT_OPT_MC_DRAWS, (double)job->draws)) == GCENT_OK &&
        (st = gcent_ctx_set_progress(c->ctx, pr ? ip_progress_cb : NULL, pr)) == GCENT_OK)
        st = gcent_plan_mi_layer(c->ctx, job->m, job->k, job->d, job->labels, job->beta,
                                 &c->plan[l]);
    if (restore)
        setrlimit(RLIMIT_AS, &old);
    if (st == GCENT_OK)
        return 0;
    ipm_fail(c, "layer %d: %s (%s)", job->layer, gcent_strerror(st), gcent_ctx_errmsg(c->ctx));
    return -1;
}

/* This rank's shard [rb, re) of layer index l into its slot. */
static void run_shard(ipm *c, const ip_layer_job *job, int l, size_t rb, size_t re,
                      ip_progress *pr)
{
    int limited = inject(c, job, rb);
    if (limited) {
        gcent_plan_free(c->plan[l]);
        c->plan[l] = NULL;
    }
    if (c->plan[l] == NULL && make_plan(c, job, l, pr, limited) != 0)
        return;
    if (pr != NULL)
        ip_progress_layer(pr, job->layer);
    uint64_t t = now_ns();
    int st =
        gcent_plan_execute_mi_partial(c->plan[l], job->s, job->lds, rb, re, &c->slot[l].part);
    c->ns[l] = now_ns() - t;
    c->rows[l] = re - rb;
    if (st != GCENT_OK)
        ipm_fail(c, "layer %d, rows [%zu, %zu): %s (%s)", job->layer, rb, re,
                 gcent_strerror(st), gcent_plan_errmsg(c->plan[l]));
    else
        c->slot[l].present = 1;
}

/* Rank 0: the results of the reduced partials. */
static void finish(ipm *c, const ip_layer_job *jobs, ip_result *res)
{
    for (int l = 0; l < c->nlayers && !c->failed; ++l) {
        const ip_layer_job *job = &jobs[l];
        const ipm_slot *s = &c->sum[l];
        int st;
        if (s->status != 0) {
            ipm_fail(c, "layer %d: %s; do all ranks hold the same samples (the same libgcent, "
                        "BLAS and CPU kind)?", job->layer, s->reason);
            return;
        }
        if ((st = gcent_ctx_set(c->ctx, GCENT_OPT_MC_DRAWS, (double)job->draws)) == GCENT_OK &&
            (st = gcent_mi_layer_finish(c->ctx, &s->part, &res[l].mi)) == GCENT_OK)
            st = gcent_binned_entropy(c->ctx, job->clean, job->m, job->d, job->d, job->width,
                                      &res[l].hbin);
        if (st != GCENT_OK)
            ipm_fail(c, "layer %d: %s (%s)", job->layer, gcent_strerror(st),
                     gcent_ctx_errmsg(c->ctx));
    }
}

int ipm_measure_point(ipm *c, const ip_layer_job *jobs, ip_result *res, ip_progress *pr,
                      char *reason, size_t len)
{
    const int L = c->nlayers;
    const uint64_t t0 = now_ns(), cpu0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
    uint64_t work = 0;
    for (int l = 0; l < L; ++l) {
        c->ns[l] = c->rows[l] = 0;
        c->slot[l].present = c->slot[l].status = 0;
    }
    if (!c->failed) {
        size_t rows[IPM_MAX_LAYERS] = {0}, b[IPM_MAX_LAYERS], e[IPM_MAX_LAYERS];
        uint64_t unit[IPM_MAX_LAYERS] = {0};
        for (int l = 0; l < L; ++l) {
            rows[l] = jobs[l].m * jobs[l].k;
            unit[l] = c->unit[l] ? c->unit[l] : pair_unit(&jobs[l]);
        }
        ipm_split(L, rows, unit, c->size, c->rank, b, e);
        for (int l = 0; l < L && !c->failed; ++l)
            if (e[l] > b[l]) {
                run_shard(c, &jobs[l], l, b[l], e[l], pr);
                work += c->ns[l];
            }
    }
    /* agreement, with the times and rows of every layer for the next split
     * (and the CPU time of the shards, for the report) */
    uint64_t mine[2 + 2 * IPM_MAX_LAYERS], all[2 + 2 * IPM_MAX_LAYERS];
    mine[0] = (uint64_t)c->failed;
    for (int l = 0; l < L; ++l) {
        mine[1 + l] = c->ns[l];
        mine[1 + L + l] = c->rows[l];
    }
    mine[1 + 2 * L] = clock_ns(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
    const uint64_t t1 = now_ns();
    MPI_Allreduce(mine, all, 2 + 2 * L, MPI_UINT64_T, MPI_SUM, c->comm);
    if (all[0] != 0)
        return report(c, reason, len);
    uint64_t total = 0, busiest = 0;
    for (int l = 0; l < L; ++l) {
        total += all[1 + l];
        if (c->balance == IPM_BALANCE_TIME && all[1 + L + l] > 0)
            c->unit[l] = all[1 + l] / all[1 + L + l] > 0 ? all[1 + l] / all[1 + L + l] : 1;
    }
    MPI_Reduce(&work, &busiest, 1, MPI_UINT64_T, MPI_MAX, 0, c->comm);
    MPI_Reduce(c->slot, c->sum, L, c->slot_type, c->merge_op, 0, c->comm);
    if (c->rank == 0) {
        const uint64_t tf = now_ns();
        finish(c, jobs, res);
        c->st.finish_secs += 1e-9 * (double)(now_ns() - tf);
        if (total > 0)
            c->st.imbalance_sum += (double)busiest * c->size / (double)total;
    }
    const uint64_t t2 = now_ns();
    c->st.points++;
    c->st.work_secs += 1e-9 * (double)work;
    c->st.sync_secs += 1e-9 * (double)(t2 - t1);
    c->st.point_secs += 1e-9 * (double)(t2 - t0);
    c->st.total_work_secs = 1e-9 * (double)total;
    c->st.total_cpu_secs = 1e-9 * (double)all[1 + 2 * L];
    c->st.cpu_secs += c->st.total_cpu_secs;
    return 0;
}

/* ---- report ------------------------------------------------------------------------------ */

void ipm_print_stats(FILE *f, const ipm *c, double train_secs)
{
    const ipm_stats *s = &c->st;
    const double P = s->points ? (double)s->points : 1.0;
    fprintf(f, "mpi: %d ranks x %zu threads, %zu points x %d layers: %.3f s per point (rank 0: "
               "%.3f s in its shards; CPU in the shards of all ranks %.3f s), training %.1f s; "
               "partials %llu bytes per rank and point (%d x %zu), %llu through the "
               "reduction; busiest rank %.2fx the mean\n",
            c->size, c->threads, s->points, c->nlayers, s->point_secs / P, s->work_secs / P,
            s->cpu_secs / P, train_secs, (unsigned long long)s->slot_bytes, c->nlayers,
            sizeof(ipm_slot),
            (unsigned long long)s->slot_bytes * (unsigned long long)(c->size - 1),
            s->imbalance_sum / P);
}

double ipm_peak_mib(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? (double)ru.ru_maxrss / 1024.0 : NAN;
}

double ipm_cpu_secs(void)
{
    return 1e-9 * (double)clock_ns(CLOCK_PROCESS_CPUTIME_ID);
}
