/* bench: speed of gcent_entropy and gcent_mi_layer, against a NumPy/SciPy peer
 * (bench/peer.py) that computes the same estimator on the same draws in the
 * same run.
 *
 * Usage: bench [--quick] [--python PATH] [--peer PATH] [--no-peer]
 *              [--peer-torch PATH] [--no-torch] [--no-epochs] [--cpu-time]
 *              [--only TEXT] [--tmp DIR] [--help]
 * (`make bench` runs the full grid, `make bench BENCH_QUICK=1` the quick one.)
 *
 * Output: one JSON line per workload on stdout while it runs, then a table.
 * Progress goes to stderr. The exit status is 1 if a library call fails, if
 * the peer's estimate differs from the library's by more than 1e-9 relative
 * (|lib - peer| > 1e-9 max(1, |lib|) for h(T), I(X;T), I(Y;T)), if the peer
 * cannot be run (unless --no-peer), or if a result changes with the thread
 * count or between repeats. Timings are reported, never judged.
 *
 * WHAT IS MEASURED
 * - Every library call uses GCENT_OPT_METHOD = GCENT_METHOD_MC, also at
 *   d = 2 where the AUTO rule might pick quadrature, so that library and peer
 *   compute the same estimator. Quadrature is not benchmarked here.
 * - gcent_entropy(): n samples, uniform weights, `draws` Monte Carlo draws
 *   per sample (GCENT_OPT_MC_DRAWS). gcent_mi_layer(): n = m k rows (m inputs,
 *   k rows each, labels), `draws` draws per row. Both cost n * draws * n
 *   (query, centre) pairs; pairs/s is that count over the median wall time
 *   (for a pruned run it is the same nominal count: "effective" pairs/s).
 * - Library wall time: median of LIB_REPS (5) calls, 15 when the workload
 *   has fewer than 2^24 pairs (sub-millisecond calls), clock_gettime around
 *   the call only. Every variant (threads 1 or 2, dense or pruned) runs in a
 *   fork()ed child, so getrusage's ru_maxrss -- a process-wide peak -- is
 *   the peak of that workload alone: reported as the child's peak and as its
 *   increase over the child's resident size at the fork (the input data,
 *   shared with the parent, is already resident then).
 * - The peer: bench.c writes the workload -- samples, labels, and the very
 *   noise vectors the library draws (gcent_rng_normals, stream (1 << 32) + r,
 *   variates i * 2 ceil(d/2) .. for row i, draw r, as documented in
 *   gcent/entropy.h) -- to a temporary file and runs `python3 bench/peer.py`
 *   on it with 2 threads (all cores of this machine; see peer.py). The peer
 *   times its computation only (not Python start-up, not reading the file,
 *   and it gets the noise for free while the library generates its own):
 *   median of 5 repeats when the workload has at most 1e8 pairs, of 3 above.
 *   Its ru_maxrss comes from wait4(). The ratio printed is
 *   peer time / library time at 2 threads (> 1: the library is faster).
 * - Pruning: the options may not exist in the linked library; that is
 *   detected at run time (gcent_opt_bounds of option id 7 fails) and the run
 *   is "dense only". Option 7 is either GCENT_OPT_PRUNE (1 on, the default;
 *   2 off) with the tolerance in GCENT_OPT_PRUNE_TOL (101), or the tolerance
 *   itself (0 = dense); prune_probe() tells them apart by their bounds. When
 *   pruning exists, the uniform workloads are run dense (the kernel's speed)
 *   and also with the library's default at 2 threads,
 *   and every network and whole-epoch workload is run both dense and with
 *   the default; the largest |dense - pruned| over all results is printed.
 *   The peer is always dense and is compared with the dense result.
 *
 * THE GRID (full run). The whole cross product would take far more than 10
 * minutes on this 2-core machine, most of it in the peer (1-4e8 pairs/s) and
 * in 1-thread dense runs; every axis is kept, not every combination (see
 * bench/README.md for the reasons):
 * - uniform data in [-1,1]^d, beta = 0.1, d in {2, 12}: both functions at
 *   (n, draws) in {(1024, 1), (1024, 10), (4096, 1), (4096, 10), (16384, 1)},
 *   1 and 2 threads dense (+ the default pruning at 2 threads);
 *   gcent_mi_layer with k = 4 rows per input (m = n/4), alternating labels.
 *   n = 16384 with 10 draws (2.7e9 pairs) is left out.
 * - network data: the pre-noise activations S_l of the 12-10-7-5-4-3-2 noisy
 *   tanh network (support/mlp.h, beta = 0.1, seed 1, Adam 3e-3, batch 64,
 *   200 epochs) on the generated 12-bit set, layers of width 10, 7, 5, 3
 *   (l = 1, 2, 3, 5); both functions at (n, draws) in {(1024, 10),
 *   (4096, 10), (16384, 1)}, 2 threads dense and pruned, plus 1 thread for
 *   layers 1 and 5 at n = 4096. The rows of an input are k = 4 noisy passes
 *   through the layers below (m = n/4 inputs: the first m of a fixed random
 *   order), except layer 1, deterministic given x: k = 1, m = n <= 4096.
 * - the whole epoch: gcent_mi_layer on all six layers, m = 4096, k = 1 for
 *   layer 1 and k = 8 for layers 2-6, one draw per row, 2 threads, dense and
 *   pruned; layer 6 is the softmax output (computed here: mlp.h returns the
 *   hidden layers). Epoch time = sum over layers of the per-layer medians.
 * SINGLE PRECISION, WIDTHS, PYTORCH, PLANS (see bench/README.md): the
 * uniform n = 4096 x 10 workloads and the epoch's layers also run in
 * GCENT_PRECISION_SINGLE; clustered rows at d = 16, 32, 64, 256 run in
 * today's kernel (the generic loop above 12 coordinates, an internal switch
 * set through src/ctx.h), the chunked double kernel and single precision;
 * those workloads also go to bench/peer_torch.py (float64, float32), which
 * judges nothing; after the grid, the six layers at 20 consecutive epochs
 * through plans, one-shot calls and plans in single precision (bits of
 * plans and one-shot calls compared). The run also fails when single
 * precision passes its guarantee (2^-9 on a result) or today's kernel and
 * the chunked one differ in a bit.
 * The quick grid (--quick, CI): uniform n = 512 with 1 and 3 draws, layers
 * 1 and 5 at n = 256 with 2 draws (network trained 20 epochs), an epoch of
 * 128 inputs with k = 2; every variant; the peer once per workload.
 * After the grid, one sliced information-plane point (gcent_sliced_mi_layer
 * of a d = 256 layer, m = 4096, k = 8, 1000 slices of q = 1; no peer): see
 * run_sliced.
 */
#define _DEFAULT_SOURCE /* wait4, mkdtemp */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cblas.h> /* the projection share of the sliced workload */
#include <gcent.h>
#include "ctx.h" /* the library's internal context: the wide_legacy switch (K_LEGACY) */
#include "../support/szt12.h"
#include "../support/mlp.h"

/* Pruning options of the kernel work, which may be absent from the linked
 * library. Option id 7 is either a switch (GCENT_OPT_PRUNE: 1 on, the
 * default, 2 off) with the tolerance in option 101 (GCENT_OPT_PRUNE_TOL), or
 * the tolerance itself with 0 meaning dense; which one is read from
 * gcent_opt_bounds() at run time (see prune_probe). */
#define OPT_PRUNE ((gcent_opt)7)
#define OPT_PRUNE_TOL ((gcent_opt)101)
enum { PRUNE_ABSENT, PRUNE_SWITCH, PRUNE_TOL_IS_7 };

#define BETA 0.1
#define SEED 1u              /* library Monte Carlo seed and data seed */
#define LIB_REPS 5
#define LIB_REPS_SMALL 15    /* for workloads below 2^24 pairs */
#define MAX_REPS 32           /* also the epochs of the plans section */
#define PEER_THREADS 2
#define PEER_TOL 1e-9        /* relative: |lib - peer| <= PEER_TOL max(1, |lib|) */

enum { FN_ENTROPY, FN_MI };
enum { DENSE = 0, PRUNED = 1 };
enum { MAX_VARIANTS = 8, NRES = 3 }; /* results: h(T) (or h), I(X;T), I(Y;T) */
/* Kernels of a variant: the double kernel (the default), single precision
 * (GCENT_PRECISION_SINGLE), and the double kernel's generic loop above 12
 * coordinates of earlier releases (the pack's wide_legacy, set through the
 * library's internal header: "today's kernel" of the width rows). */
enum { K_DOUBLE = 0, K_SINGLE = 1, K_LEGACY = 2 };

typedef struct {
    int fn;          /* FN_ENTROPY or FN_MI */
    int layer;       /* 0: uniform data in [-1,1]^d; l >= 1: S_l of the network */
    int epoch;       /* part of the whole-epoch workload */
    int wide;        /* clustered wide data (layer 0): see wide_data */
    int torch;       /* also run the PyTorch peer (float32 and float64) */
    size_t d, m, k;  /* n = m k rows; for FN_ENTROPY all rows are samples */
    size_t draws;
    int nvar;
    int threads[MAX_VARIANTS];
    int prune[MAX_VARIANTS];
    int kern[MAX_VARIANTS];  /* K_DOUBLE, K_SINGLE or K_LEGACY */
} workload;

typedef struct {
    int status;
    char errmsg[256];
    int reps;
    double secs[MAX_REPS];
    double res[NRES], se[NRES];
    int reps_identical;       /* every repeat gave the same bits */
    double prune_tol;         /* value of the option (NAN when absent) */
    long rss_start_kb, rss_peak_kb;
} lib_result;

typedef struct {
    int ok;
    int clamp;
    int dtype;             /* 0: the NumPy peer; 32 or 64: the PyTorch peer's float type */
    int reps;
    double median, min;
    double res[NRES], se[NRES];
    long rss_peak_kb;
} peer_result;

typedef struct {
    const char *python, *peer, *peer_torch, *tmpdir;
    int quick, no_peer, peer_clamp, no_torch, no_epochs;
    int cpu_time;          /* the library's times in CPU seconds of its process */
    int single_available;  /* GCENT_OPT_PRECISION exists (gcent_opt_bounds) */
    int prune_kind;        /* PRUNE_ABSENT, PRUNE_SWITCH or PRUNE_TOL_IS_7 */
    int prune_available;   /* prune_kind != PRUNE_ABSENT */
    double prune_default;  /* the default tolerance, NAN if unknown */
    const char *only;
} config;

/* ---- small helpers --------------------------------------------------------------- */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* CPU seconds of this process (every thread). */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The library's clock: wall time, or CPU time with --cpu-time (set in main). */
static double (*lib_clock)(void) = now;

static double median(const double *x, int n)
{
    double v[MAX_REPS];
    memcpy(v, x, (size_t)n * sizeof *v);
    for (int i = 1; i < n; ++i) /* insertion sort: n <= 16 */
        for (int j = i; j > 0 && v[j - 1] > v[j]; --j) {
            double t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static double min_of(const double *x, int n)
{
    double v = x[0];
    for (int i = 1; i < n; ++i)
        v = x[i] < v ? x[i] : v;
    return v;
}

static size_t rows_of(const workload *w) { return w->m * w->k; }

static double pairs_of(const workload *w)
{
    double n = (double)rows_of(w);
    return n * (double)w->draws * n;
}

static int lib_reps_of(const workload *w)
{
    return pairs_of(w) < 16777216.0 ? LIB_REPS_SMALL : LIB_REPS;
}

static int peer_reps_of(const config *cfg, const workload *w)
{
    if (cfg->quick)
        return 1;
    return pairs_of(w) <= 1e8 ? 5 : 3;
}

static const char *fn_name(int fn) { return fn == FN_ENTROPY ? "entropy" : "mi_layer"; }

static const char *kern_name(int kern)
{
    return kern == K_SINGLE ? "single" : kern == K_LEGACY ? "legacy" : "double";
}

static void describe(const workload *w, char *buf, size_t len)
{
    if (w->layer == 0)
        snprintf(buf, len, "%s %s d=%zu n=%zu draws=%zu", fn_name(w->fn),
                 w->wide ? "clustered" : "uniform", w->d, rows_of(w), w->draws);
    else
        snprintf(buf, len, "%s %slayer%d(d=%zu) n=%zu (m=%zu k=%zu) draws=%zu",
                 fn_name(w->fn), w->epoch ? "epoch " : "", w->layer, w->d, rows_of(w), w->m,
                 w->k, w->draws);
}

/* ---- data ------------------------------------------------------------------------ */

/* Uniform rows in [-1,1]^d from Philox: row i, coordinates 2c and 2c+1 from
 * counter (i, c, d, 0xB0) and key (SEED, 0). Labels: input parity. */
static void uniform_data(size_t n, size_t d, double *s)
{
    const uint32_t key[2] = {SEED, 0};
    const double two53 = 1.0 / 9007199254740992.0;
    for (size_t i = 0; i < n; ++i)
        for (size_t c = 0; 2 * c < d; ++c) {
            uint32_t ctr[4] = {(uint32_t)i, (uint32_t)c, (uint32_t)d, 0xB0u}, o[4];
            gcent_philox4x32_10(ctr, key, o);
            uint64_t a = ((uint64_t)o[1] << 32) | o[0], b = ((uint64_t)o[3] << 32) | o[2];
            s[i * d + 2 * c] = 2.0 * (double)(a >> 11) * two53 - 1.0;
            if (2 * c + 1 < d)
                s[i * d + 2 * c + 1] = 2.0 * (double)(b >> 11) * two53 - 1.0;
        }
}

/* Clustered wide rows, like a wide trained tanh layer late in training on a
 * two-class task: WIDE_CLUSTERS saturated patterns (every coordinate +-0.9,
 * from Philox: row-independent keys (c, k)) and each row one of them
 * (i mod WIDE_CLUSTERS) plus normal noise of standard deviation
 * 1.5 beta / sqrt(d) per coordinate (stream STREAM_WIDE), so that two rows
 * of a pattern are about 2 noise widths apart in all: a query needs the
 * exponentials of half the centres (the "where the exponentials
 * matter"), and the other pattern is far. */
#define WIDE_CLUSTERS 2
#define STREAM_WIDE ((uint64_t)6 << 28)
static void wide_data(size_t n, size_t d, double *s)
{
    const uint32_t key[2] = {SEED, 1};
    gcent_rng_normals(SEED, STREAM_WIDE + d, 0, n * d, s);
    const double sd = 1.5 * BETA / sqrt((double)d);
    for (size_t i = 0; i < n; ++i)
        for (size_t k = 0; k < d; ++k) {
            uint32_t ctr[4] = {(uint32_t)(i % WIDE_CLUSTERS), (uint32_t)k, 0xC1u, 0}, o[4];
            gcent_philox4x32_10(ctr, key, o);
            s[i * d + k] = (o[0] & 1u ? 0.9 : -0.9) + sd * s[i * d + k];
        }
}

/* The trained network and its layer samples (see the header comment). */
#define NET_SIZES 7
/* The plans section: consecutive epochs (full run, quick run). */
#define PLAN_EPOCHS_MAX 20 /* <= MAX_REPS (median) */
#define PLAN_EPOCHS_QUICK 3
#define TAG_SNAP 16 /* mlp.h measurement tags TAG_SNAP + e of the snapshots */
static const int ARCH[NET_SIZES] = {12, 10, 7, 5, 4, 3, 2}; /* d_0 .. d_6 */
#define STREAM_SUBSET ((uint64_t)5 << 28) /* beside mlp.h's streams, below 2^32 */
enum { TAG_SETS = 1, TAG_EPOCH = 2 };    /* mlp.h measurement tags */

typedef struct {
    size_t m4;                    /* inputs of the k = 4 sets */
    size_t m8, k8;                /* inputs and passes of the epoch */
    int *y;                       /* labels, inputs in a fixed random order */
    double *s4[NET_SIZES];        /* [l]: S_l, m4 * 4 rows of ARCH[l] (l = 1..5) */
    double *s8[NET_SIZES];        /* [l]: S_l, m8 * k8 rows (l = 1..6) */
    int epochs;
    double loss, accuracy, secs;
    double negligible[NET_SIZES]; /* fraction of pairs below e^-36.84 = 1e-16 */
    /* the plans section: snapshots [e][l] of S_l (m8 * k8 rows, l = 1..6)
     * after each of nsnap further training epochs */
    int nsnap;
    double *snap[PLAN_EPOCHS_MAX][NET_SIZES];
} netdata;

static netdata NET;

typedef struct {
    double key;
    size_t index;
} keyed;

static int by_key(const void *a, const void *b)
{
    const keyed *p = a, *q = b;
    if (p->key != q->key)
        return p->key < q->key ? -1 : 1;
    return (p->index > q->index) - (p->index < q->index);
}

/* S_6 of the epoch set: the output layer's softmax probabilities
 * p = softmax(W_6 T_5 + b_6), T_5 = S_5 + beta Z_5, with Z_5 the noise
 * mlp.h's measurement draws for layer 5 of row r (its documented layout:
 * stream MLP_STREAM_MEASURE + tag, variates r H + (d_1 + .. + d_4) ..).
 * (mlp_layer_samples gives the hidden layers only.) */
static void output_layer(const mlp *net, const double *s5, size_t rows, uint64_t tag,
                         double *s6)
{
    const int d5 = ARCH[5], d6 = ARCH[6];
    const uint64_t H = (uint64_t)net->hidden, off = (uint64_t)(H - (uint64_t)d5);
    for (size_t r = 0; r < rows; ++r) {
        double z[16], t5[16], a[16], mx = -INFINITY, sum = 0.0;
        gcent_rng_normals(net->seed, MLP_STREAM_MEASURE + tag, r * H + off, (size_t)d5, z);
        for (int c = 0; c < d5; ++c)
            t5[c] = s5[r * (size_t)d5 + c] + net->beta * z[c];
        for (int o = 0; o < d6; ++o) {
            a[o] = net->b[6][o];
            for (int c = 0; c < d5; ++c)
                a[o] += net->w[6][o * d5 + c] * t5[c];
            mx = a[o] > mx ? a[o] : mx;
        }
        for (int o = 0; o < d6; ++o)
            sum += (a[o] = exp(a[o] - mx));
        for (int o = 0; o < d6; ++o)
            s6[r * (size_t)d6 + o] = a[o] / sum;
    }
}

/* Fraction of the n^2 pairs (i, j) of rows with |s_i - s_j|^2 / (2 beta^2)
 * > 36.84, i.e. whose term is below 1e-16 of the self term. */
static double negligible_fraction(const double *s, size_t n, size_t d, size_t lds)
{
    const double lim = 2.0 * BETA * BETA * 36.841361487904734; /* -ln 1e-16 */
    size_t cnt = 0;
    for (size_t i = 0; i < n; ++i)
        for (size_t j = 0; j < n; ++j) {
            double dd = 0.0;
            for (size_t c = 0; c < d; ++c) {
                double t = s[i * lds + c] - s[j * lds + c];
                dd += t * t;
            }
            cnt += dd > lim;
        }
    return (double)cnt / ((double)n * (double)n);
}

/* Train the 12-10-7-5-4-3-2 network on the generated 12-bit set and draw the
 * layer samples. 0, or -1 with a message on stderr. */
static int net_build(const config *cfg)
{
    netdata *N = &NET;
    szt12_data data;
    if (szt12_generate(&data) != 0) {
        fprintf(stderr, "bench: out of memory\n");
        return -1;
    }
    const size_t M = data.n;
    N->m4 = cfg->quick ? 256 : M;
    N->m8 = cfg->quick ? 128 : M;
    N->k8 = cfg->quick ? 2 : 8;
    N->epochs = cfg->quick ? 20 : 200;
    mlp *net = NULL;
    keyed *kv = malloc(M * sizeof *kv);
    double *keys = malloc(M * sizeof *keys), *xp = malloc(M * 12 * sizeof *xp);
    N->y = malloc(M * sizeof *N->y);
    int ok = kv && keys && xp && N->y;
    for (int l = 1; ok && l < NET_SIZES; ++l) {
        N->s4[l] = l < NET_SIZES - 1 ? malloc(N->m4 * 4 * (size_t)ARCH[l] * sizeof(double))
                                     : NULL;
        N->s8[l] = malloc(N->m8 * N->k8 * (size_t)ARCH[l] * sizeof(double));
        ok = (N->s4[l] || l == NET_SIZES - 1) && N->s8[l];
    }
    int st = ok ? mlp_create(&net, ARCH, NET_SIZES, BETA, SEED) : MLP_ENOMEM;
    if (st != MLP_OK) {
        fprintf(stderr, "bench: mlp_create: %s\n", mlp_strerror(st));
        free(kv), free(keys), free(xp);
        szt12_free(&data);
        return -1;
    }
    /* a fixed random order of the inputs: sorted by one normal key each */
    gcent_rng_normals(SEED, STREAM_SUBSET, 0, M, keys);
    for (size_t i = 0; i < M; ++i) {
        kv[i].key = keys[i];
        kv[i].index = i;
    }
    qsort(kv, M, sizeof *kv, by_key);
    for (size_t i = 0; i < M; ++i) {
        N->y[i] = data.y[kv[i].index];
        memcpy(xp + i * 12, data.x + kv[i].index * 12, 12 * sizeof *xp);
    }
    /* Adam, learning rate 3e-3, minibatches of 64, fixed seed: about 97%
     * noiseless accuracy after 200 epochs */
    double t0 = now();
    for (int e = 0; e < N->epochs && st == MLP_OK; ++e)
        st = mlp_train_epoch(net, data.x, data.y, M, 64, MLP_ADAM, 3e-3, (uint64_t)e, &N->loss);
    if (st == MLP_OK)
        st = mlp_evaluate(net, data.x, data.y, M, MLP_TAG_NOISELESS, NULL, &N->accuracy);
    N->secs = now() - t0;
    double *sets[NET_SIZES - 2], *ep[NET_SIZES - 2];
    for (int l = 1; l < NET_SIZES - 1; ++l) {
        sets[l - 1] = N->s4[l];
        ep[l - 1] = N->s8[l];
    }
    if (st == MLP_OK)
        st = mlp_layer_samples(net, xp, N->m4, 4, TAG_SETS, sets);
    if (st == MLP_OK)
        st = mlp_layer_samples(net, xp, N->m8, N->k8, TAG_EPOCH, ep);
    if (st == MLP_OK)
        output_layer(net, N->s8[5], N->m8 * N->k8, TAG_EPOCH, N->s8[6]);
    /* the plans section's epochs: train one more epoch, then draw the layers */
    N->nsnap = cfg->no_epochs ? 0 : cfg->quick ? PLAN_EPOCHS_QUICK : PLAN_EPOCHS_MAX;
    for (int e = 0; e < N->nsnap && st == MLP_OK; ++e) {
        for (int l = 1; l < NET_SIZES; ++l) {
            N->snap[e][l] = malloc(N->m8 * N->k8 * (size_t)ARCH[l] * sizeof(double));
            if (N->snap[e][l] == NULL)
                st = MLP_ENOMEM;
            if (l < NET_SIZES - 1)
                ep[l - 1] = N->snap[e][l];
        }
        if (st == MLP_OK)
            st = mlp_train_epoch(net, data.x, data.y, M, 64, MLP_ADAM, 3e-3,
                                 (uint64_t)(N->epochs + e), NULL);
        if (st == MLP_OK)
            st = mlp_layer_samples(net, xp, N->m8, N->k8, TAG_SNAP + (uint64_t)e, ep);
        if (st == MLP_OK)
            output_layer(net, N->snap[e][5], N->m8 * N->k8, TAG_SNAP + (uint64_t)e,
                         N->snap[e][6]);
    }
    if (st == MLP_OK)
        for (int l = 1; l < NET_SIZES - 1; ++l) /* one pass (j = 0) per input */
            N->negligible[l] = negligible_fraction(N->s4[l], N->m4, (size_t)ARCH[l],
                                                   4 * (size_t)ARCH[l]);
    mlp_free(net);
    free(kv), free(keys), free(xp);
    szt12_free(&data);
    if (st != MLP_OK) {
        fprintf(stderr, "bench: training the network: %s\n", mlp_strerror(st));
        return -1;
    }
    return 0;
}

static void net_free(void)
{
    for (int e = 0; e < PLAN_EPOCHS_MAX; ++e)
        for (int l = 0; l < NET_SIZES; ++l)
            free(NET.snap[e][l]);
    free(NET.y);
    for (int l = 0; l < NET_SIZES; ++l) {
        free(NET.s4[l]);
        free(NET.s8[l]);
    }
    memset(&NET, 0, sizeof NET);
}

/* The rows (compact, n x d) and labels of a workload; 0 or -1 (out of memory). */
static int workload_data(const workload *w, double **s_out, int **labels_out)
{
    size_t n = rows_of(w), d = w->d;
    double *s = malloc(n * d * sizeof *s);
    int *labels = malloc(w->m * sizeof *labels);
    if (s == NULL || labels == NULL) {
        free(s);
        free(labels);
        return -1;
    }
    if (w->layer == 0) {
        if (w->wide)
            wide_data(n, d, s);
        else
            uniform_data(n, d, s);
        for (size_t i = 0; i < w->m; ++i)
            labels[i] = (int)(i & 1u);
    } else {
        /* the first m inputs of the set; layer 1 is deterministic given x,
         * so its k = 1 rows are pass 0 of each input */
        const double *src = w->epoch ? NET.s8[w->layer] : NET.s4[w->layer];
        size_t kk = w->epoch ? NET.k8 : 4;
        if (w->k == kk)
            memcpy(s, src, n * d * sizeof *s);
        else
            for (size_t i = 0; i < w->m; ++i)
                memcpy(s + i * d, src + i * kk * d, d * sizeof *s);
        memcpy(labels, NET.y, w->m * sizeof *labels);
    }
    *s_out = s;
    *labels_out = labels;
    return 0;
}

/* ---- library runs, one fork()ed child per variant -------------------------------- */

static long maxrss_kb(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1;
}

/* Switch pruning off in ctx (nothing to do when the library has none). */
static int prune_dense(const config *cfg, gcent_ctx *ctx)
{
    if (cfg->prune_kind == PRUNE_SWITCH)
        return gcent_ctx_set(ctx, OPT_PRUNE, 2.0);
    if (cfg->prune_kind == PRUNE_TOL_IS_7)
        return gcent_ctx_set(ctx, OPT_PRUNE, 0.0);
    return GCENT_OK;
}

/* The tolerance in effect in ctx: 0 when dense, NAN without pruning. */
static double prune_tol_of(const config *cfg, const gcent_ctx *ctx)
{
    double v = NAN, tol = NAN;
    if (cfg->prune_kind == PRUNE_SWITCH && gcent_ctx_get(ctx, OPT_PRUNE, &v) == GCENT_OK)
        tol = v == 2.0 ? 0.0 : gcent_ctx_get(ctx, OPT_PRUNE_TOL, &v) == GCENT_OK ? v : NAN;
    else if (cfg->prune_kind == PRUNE_TOL_IS_7 && gcent_ctx_get(ctx, OPT_PRUNE, &v) == GCENT_OK)
        tol = v;
    return tol;
}

/* Which pruning options the library has; 0, or -1 when option 7 exists but
 * cannot be made dense (then the benchmark cannot say what it measures). */
static int prune_probe(config *cfg)
{
    double lo, hi, def;
    cfg->prune_kind = PRUNE_ABSENT;
    cfg->prune_available = 0;
    cfg->prune_default = NAN;
    if (gcent_opt_bounds(OPT_PRUNE, &lo, &hi, &def) != GCENT_OK)
        return 0;
    cfg->prune_kind = lo == 1.0 && hi == 2.0 && def == 1.0 ? PRUNE_SWITCH : PRUNE_TOL_IS_7;
    if (cfg->prune_kind == PRUNE_SWITCH) {
        if (gcent_opt_bounds(OPT_PRUNE_TOL, NULL, NULL, &def) != GCENT_OK)
            def = NAN;
    }
    cfg->prune_default = def;
    gcent_ctx *ctx = NULL;
    if (gcent_ctx_create(&ctx) != GCENT_OK)
        return -1;
    int ok = prune_dense(cfg, ctx) == GCENT_OK && prune_tol_of(cfg, ctx) == 0.0;
    gcent_ctx_free(ctx);
    if (!ok)
        return -1;
    cfg->prune_available = 1;
    return 0;
}

/* One call; res/se are written only on success (results of gcent_entropy
 * in res[0], se[0]; of gcent_mi_layer h(T), I(X;T), I(Y;T)). */
static int lib_call(gcent_ctx *ctx, const workload *w, const double *s, const int *labels,
                    double res[NRES], double se[NRES])
{
    if (w->fn == FN_ENTROPY) {
        gcent_estimate e;
        int st = gcent_entropy(ctx, s, rows_of(w), w->d, w->d, NULL, BETA, &e);
        if (st == GCENT_OK) {
            res[0] = e.value;
            se[0] = e.se;
            res[1] = res[2] = se[1] = se[2] = 0.0;
        }
        return st;
    }
    gcent_layer_mi r;
    int st = gcent_mi_layer(ctx, s, w->m, w->k, w->d, w->d, labels, BETA, &r);
    if (st == GCENT_OK) {
        const gcent_estimate *e[NRES] = {&r.ht, &r.ixt, &r.iyt};
        for (int t = 0; t < NRES; ++t) {
            res[t] = e[t]->value;
            se[t] = e[t]->se;
        }
    }
    return st;
}

/* In the child: configure a context and time the repeats. */
static void lib_child(const config *cfg, const workload *w, const double *s, const int *labels,
                      int threads, int prune, int kern, lib_result *r)
{
    memset(r, 0, sizeof *r);
    r->rss_start_kb = maxrss_kb();
    r->prune_tol = NAN;
    r->reps_identical = 1;
    gcent_ctx *ctx = NULL;
    int st = gcent_ctx_create(&ctx);
    if (st != GCENT_OK) {
        r->status = st;
        snprintf(r->errmsg, sizeof r->errmsg, "gcent_ctx_create: %s", gcent_strerror(st));
        return;
    }
    if ((st = gcent_ctx_set(ctx, GCENT_OPT_SEED, SEED)) != GCENT_OK ||
        (st = gcent_ctx_set(ctx, GCENT_OPT_MC_DRAWS, (double)w->draws)) != GCENT_OK ||
        (st = gcent_ctx_set(ctx, GCENT_OPT_THREADS, threads)) != GCENT_OK ||
        (st = gcent_ctx_set(ctx, GCENT_OPT_METHOD, GCENT_METHOD_MC)) != GCENT_OK ||
        (prune == DENSE && (st = prune_dense(cfg, ctx)) != GCENT_OK) ||
        (kern == K_SINGLE &&
         (st = gcent_ctx_set(ctx, GCENT_OPT_PRECISION, GCENT_PRECISION_SINGLE)) != GCENT_OK)) {
        r->status = st;
        snprintf(r->errmsg, sizeof r->errmsg, "gcent_ctx_set: %s", gcent_ctx_errmsg(ctx));
        gcent_ctx_free(ctx);
        return;
    }
    /* today's kernel above 12 coordinates: an internal switch (src/ctx.h),
     * for this benchmark only */
    ctx->o.wide_legacy = kern == K_LEGACY;
    r->prune_tol = prune_tol_of(cfg, ctx);
    r->reps = lib_reps_of(w);
    for (int rep = 0; rep < r->reps; ++rep) {
        double res[NRES], se[NRES];
        double t0 = lib_clock();
        st = lib_call(ctx, w, s, labels, res, se);
        r->secs[rep] = lib_clock() - t0;
        if (st != GCENT_OK) {
            r->status = st;
            snprintf(r->errmsg, sizeof r->errmsg, "%s: %s (%s)", fn_name(w->fn),
                     gcent_strerror(st), gcent_ctx_errmsg(ctx));
            break;
        }
        if (rep == 0) {
            memcpy(r->res, res, sizeof res);
            memcpy(r->se, se, sizeof se);
        } else if (memcmp(r->res, res, sizeof res) != 0 || memcmp(r->se, se, sizeof se) != 0) {
            r->reps_identical = 0;
        }
    }
    gcent_ctx_free(ctx);
    r->rss_peak_kb = maxrss_kb();
}

static int read_full(int fd, void *buf, size_t len)
{
    char *p = buf;
    while (len > 0) {
        ssize_t got = read(fd, p, len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return -1;
        p += got;
        len -= (size_t)got;
    }
    return 0;
}

static int write_full(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t put = write(fd, p, len);
        if (put < 0 && errno == EINTR)
            continue;
        if (put <= 0)
            return -1;
        p += put;
        len -= (size_t)put;
    }
    return 0;
}

/* Run variant v of w in a child process; 0, or -1 (then r->errmsg says why). */
static int run_lib(const config *cfg, const workload *w, const double *s, const int *labels,
                   int v, lib_result *r)
{
    int fds[2];
    memset(r, 0, sizeof *r);
    if (pipe(fds) != 0) {
        snprintf(r->errmsg, sizeof r->errmsg, "pipe: %s", strerror(errno));
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(r->errmsg, sizeof r->errmsg, "fork: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        lib_result mine;
        lib_child(cfg, w, s, labels, w->threads[v], w->prune[v], w->kern[v], &mine);
        _exit(write_full(fds[1], &mine, sizeof mine) == 0 ? 0 : 1);
    }
    close(fds[1]);
    int got = read_full(fds[0], r, sizeof *r);
    close(fds[0]);
    int wst = 0;
    while (waitpid(pid, &wst, 0) < 0 && errno == EINTR)
        ;
    if (got != 0 || !WIFEXITED(wst) || WEXITSTATUS(wst) != 0) {
        snprintf(r->errmsg, sizeof r->errmsg, "benchmark child failed (%s)",
                 WIFSIGNALED(wst) ? strsignal(WTERMSIG(wst)) : "no result");
        return -1;
    }
    return r->status == GCENT_OK ? 0 : -1;
}

/* ---- the peer -------------------------------------------------------------------- */

/* Workload file for peer.py (format in its docstring). */
static int write_workload(const char *path, const workload *w, const double *s,
                          const int *labels)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return -1;
    const size_t n = rows_of(w), d = w->d, per_row = 2 * ((d + 1) / 2);
    int64_t hdr[8] = {0x3148434E45424347LL, w->fn == FN_MI, (int64_t)n, (int64_t)d,
                      (int64_t)w->draws, (int64_t)w->m, (int64_t)w->k, 0};
    double beta = BETA;
    int ok = fwrite(hdr, sizeof hdr, 1, f) == 1 && fwrite(&beta, sizeof beta, 1, f) == 1 &&
             fwrite(s, sizeof *s, n * d, f) == n * d;
    double *z = malloc(n * d * sizeof *z);
    ok = ok && z != NULL;
    for (size_t r = 0; ok && r < w->draws; ++r) {
        /* the library's noise of row i, draw r (gcent/entropy.h) */
        for (size_t i = 0; i < n; ++i)
            gcent_rng_normals(SEED, ((uint64_t)1 << 32) | r, (uint64_t)i * per_row, d,
                              z + i * d);
        ok = fwrite(z, sizeof *z, n * d, f) == n * d;
    }
    free(z);
    if (ok && w->fn == FN_MI) {
        for (size_t i = 0; ok && i < w->m; ++i) {
            int32_t y = labels[i];
            ok = fwrite(&y, sizeof y, 1, f) == 1;
        }
    }
    if (fclose(f) != 0)
        ok = 0;
    return ok ? 0 : -1;
}

static int parse_key(const char *line, const char *key, double *v)
{
    char pat[32];
    snprintf(pat, sizeof pat, " %s=", key);
    const char *p = strstr(line, pat);
    if (p == NULL && strncmp(line, pat + 1, strlen(pat + 1)) == 0)
        p = line - 1;
    if (p == NULL)
        return -1;
    char *end = NULL;
    *v = strtod(p + strlen(pat), &end);
    return end == p + strlen(pat) ? -1 : 0;
}

/* Run a peer on the workload file at path: dtype 0 is bench/peer.py (NumPy),
 * 32 and 64 bench/peer_torch.py in that float type. */
static int run_peer(const config *cfg, const workload *w, const char *path, int dtype,
                    peer_result *pr)
{
    memset(pr, 0, sizeof *pr);
    char reps[16], thr[16], dt[8];
    const char *script = dtype ? cfg->peer_torch : cfg->peer;
    snprintf(dt, sizeof dt, "%d", dtype);
    /* the PyTorch peer: 3 repeats at most (it reports only) */
    const int nreps = peer_reps_of(cfg, w);
    snprintf(reps, sizeof reps, "%d", dtype && nreps > 3 ? 3 : nreps);
    snprintf(thr, sizeof thr, "%d", PEER_THREADS);
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        if (dup2(fds[1], STDOUT_FILENO) < 0)
            _exit(127);
        close(fds[1]);
        char *argv[] = {(char *)cfg->python, (char *)script, (char *)path, thr, reps,
                        dtype ? dt : cfg->peer_clamp ? "clamp" : NULL, NULL};
        execv(cfg->python, argv);
        fprintf(stderr, "bench: cannot run %s: %s\n", cfg->python, strerror(errno));
        _exit(127);
    }
    close(fds[1]);
    char out[8192];
    size_t len = 0;
    for (;;) {
        ssize_t got = read(fds[0], out + len, sizeof out - 1 - len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        len += (size_t)got;
        if (len == sizeof out - 1)
            break;
    }
    out[len] = '\0';
    close(fds[0]);
    int wst = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    while (wait4(pid, &wst, 0, &ru) < 0 && errno == EINTR)
        ;
    if (!WIFEXITED(wst) || WEXITSTATUS(wst) != 0) {
        fprintf(stderr, "bench: the peer failed (%s %s)\n", cfg->python, script);
        return -1;
    }
    static const char *keys[NRES][2] = {{"ht", "ht_se"}, {"ixt", "ixt_se"}, {"iyt", "iyt_se"}};
    double nrep = 0;
    int bad = parse_key(out, "median", &pr->median) || parse_key(out, "min", &pr->min) ||
              parse_key(out, "reps", &nrep);
    for (int t = 0; t < NRES && !bad; ++t)
        bad = parse_key(out, keys[t][0], &pr->res[t]) || parse_key(out, keys[t][1], &pr->se[t]);
    if (bad) {
        fprintf(stderr, "bench: cannot read the peer's output: %s\n", out);
        return -1;
    }
    pr->reps = (int)nrep;
    pr->clamp = dtype ? 0 : cfg->peer_clamp;
    pr->dtype = dtype;
    pr->rss_peak_kb = ru.ru_maxrss;
    pr->ok = 1;
    return 0;
}

/* ---- the grid -------------------------------------------------------------------- */

typedef struct {
    workload *w;
    size_t n, cap;
} wlist;

static int add(wlist *L, workload w)
{
    if (L->n == L->cap) {
        size_t cap = L->cap ? 2 * L->cap : 64;
        workload *nw = realloc(L->w, cap * sizeof *nw);
        if (nw == NULL)
            return -1;
        L->w = nw;
        L->cap = cap;
    }
    L->w[L->n++] = w;
    return 0;
}

static void variant_k(workload *w, int threads, int prune, int kern)
{
    w->threads[w->nvar] = threads;
    w->prune[w->nvar] = prune;
    w->kern[w->nvar] = kern;
    w->nvar++;
}

static void variant(workload *w, int threads, int prune) { variant_k(w, threads, prune, K_DOUBLE); }

/* The single-precision variants (2 threads, dense and default) of a
 * workload of the precision table, with the PyTorch peer. */
static void single_variants(const config *cfg, workload *w)
{
    if (!cfg->single_available)
        return;
    variant_k(w, 2, DENSE, K_SINGLE);
    if (cfg->prune_available)
        variant_k(w, 2, PRUNED, K_SINGLE);
    w->torch = 1;
}

/* (n, draws) pairs of the uniform and network grids; see the header comment. */
typedef struct {
    size_t n, draws;
} size_draws;

static const size_draws UNIFORM_FULL[] = {{1024, 1}, {1024, 10}, {4096, 1}, {4096, 10},
                                          {16384, 1}};
static const size_draws UNIFORM_QUICK[] = {{512, 1}, {512, 3}};
static const size_draws NETWORK_FULL[] = {{1024, 10}, {4096, 10}, {16384, 1}};
static const size_draws NETWORK_QUICK[] = {{256, 2}};
static const int NETWORK_LAYERS_FULL[] = {1, 2, 3, 5}; /* widths 10, 7, 5, 3 */
static const int NETWORK_LAYERS_QUICK[] = {1, 5};
/* the width rows: clustered data (wide_data), entropy, n rows x draws */
static const size_t WIDE_DIMS_FULL[] = {16, 32, 64, 256};
static const size_t WIDE_DIMS_QUICK[] = {16, 64};
static const size_draws WIDE_FULL = {4096, 4}, WIDE_QUICK = {512, 2};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int build_grid(const config *cfg, wlist *L)
{
    const size_t dims[2] = {2, 12};
    const size_draws *sd = cfg->quick ? UNIFORM_QUICK : UNIFORM_FULL;
    size_t nsd = cfg->quick ? COUNT(UNIFORM_QUICK) : COUNT(UNIFORM_FULL);
    int st = 0;
    for (int fn = FN_ENTROPY; fn <= FN_MI; ++fn)
        for (int di = 0; di < 2; ++di)
            for (size_t j = 0; j < nsd; ++j) {
                workload w;
                memset(&w, 0, sizeof w);
                w.fn = fn;
                w.d = dims[di];
                w.k = fn == FN_MI ? 4 : 1;
                w.m = sd[j].n / w.k;
                w.draws = sd[j].draws;
                variant(&w, 1, DENSE);
                variant(&w, 2, DENSE);
                if (cfg->prune_available)
                    variant(&w, 2, PRUNED);
                /* the precision table: n = 4096 with 10 draws (quick: the
                 * largest uniform workloads) */
                if (j == nsd - (cfg->quick ? 1 : 2))
                    single_variants(cfg, &w);
                st |= add(L, w);
            }

    /* the width rows: today's kernel (the generic loop above 12 coordinates),
     * the chunked double kernel and single precision, dense at 2 threads;
     * double and single with the default pruning */
    const size_t *wd = cfg->quick ? WIDE_DIMS_QUICK : WIDE_DIMS_FULL;
    const size_t nwd = cfg->quick ? COUNT(WIDE_DIMS_QUICK) : COUNT(WIDE_DIMS_FULL);
    const size_draws wsd = cfg->quick ? WIDE_QUICK : WIDE_FULL;
    for (size_t i = 0; i < nwd; ++i) {
        workload w;
        memset(&w, 0, sizeof w);
        w.fn = FN_ENTROPY;
        w.wide = 1;
        w.d = wd[i];
        w.k = 1;
        w.m = wsd.n;
        w.draws = wsd.draws;
        variant_k(&w, 2, DENSE, K_LEGACY);
        variant(&w, 2, DENSE);
        if (cfg->prune_available)
            variant(&w, 2, PRUNED);
        single_variants(cfg, &w);
        w.torch = 1;
        st |= add(L, w);
    }

    /* network layers: 1 thread only at n = 4096 for the widest and the
     * narrowest layer (the full grid) */
    sd = cfg->quick ? NETWORK_QUICK : NETWORK_FULL;
    nsd = cfg->quick ? COUNT(NETWORK_QUICK) : COUNT(NETWORK_FULL);
    const int *layers = cfg->quick ? NETWORK_LAYERS_QUICK : NETWORK_LAYERS_FULL;
    size_t nl = cfg->quick ? COUNT(NETWORK_LAYERS_QUICK) : COUNT(NETWORK_LAYERS_FULL);
    for (int fn = FN_ENTROPY; fn <= FN_MI; ++fn)
        for (size_t li = 0; li < nl; ++li)
            for (size_t j = 0; j < nsd; ++j) {
                workload w;
                memset(&w, 0, sizeof w);
                w.fn = fn;
                w.layer = layers[li];
                w.d = (size_t)ARCH[w.layer];
                w.k = w.layer == 1 ? 1 : 4; /* layer 1 is deterministic given x */
                w.m = sd[j].n / w.k;
                w.draws = sd[j].draws;
                if (w.m > NET.m4)
                    continue;
                int one = cfg->quick ||
                          (sd[j].n == 4096 && (w.layer == layers[0] || w.layer == layers[nl - 1]));
                if (one)
                    variant(&w, 1, DENSE);
                variant(&w, 2, DENSE);
                if (cfg->prune_available && one)
                    variant(&w, 1, PRUNED);
                if (cfg->prune_available)
                    variant(&w, 2, PRUNED);
                st |= add(L, w);
            }

    /* the whole epoch: all six layers, 2 threads */
    for (int l = 1; l < NET_SIZES; ++l) {
        workload w;
        memset(&w, 0, sizeof w);
        w.fn = FN_MI;
        w.layer = l;
        w.epoch = 1;
        w.d = (size_t)ARCH[l];
        w.k = l == 1 ? 1 : NET.k8;
        w.m = NET.m8;
        w.draws = 1;
        if (cfg->quick)
            variant(&w, 1, DENSE);
        variant(&w, 2, DENSE);
        if (cfg->prune_available)
            variant(&w, 2, PRUNED);
        single_variants(cfg, &w);
        st |= add(L, w);
    }
    /* quick: the PyTorch peer once (each run pays its start-up, ~2 s) */
    for (size_t i = 0, seen = 0; cfg->quick && i < L->n; ++i)
        if (L->w[i].torch && seen++)
            L->w[i].torch = 0;
    return st;
}

/* ---- output ---------------------------------------------------------------------- */

typedef struct {
    workload w;
    int nvar;
    lib_result lib[MAX_VARIANTS];
    peer_result peer;
    peer_result torch[2];  /* float64, float32 (not ok when not run) */
    double torch_diff[2];  /* max over results of |lib double dense 2T - torch| */
    double single_diff;    /* max over results of |single - double|, NAN if no single run */
    double peer_diff;   /* max over results of |lib dense 2T - peer| */
    double prune_diff;  /* max over results of |dense - pruned|, NAN if no pruned run */
    int threads_same;   /* 1T and 2T bit-identical (per prune mode) */
} outcome;

static double lib_median(const lib_result *r) { return median(r->secs, r->reps); }

static int find_variant_k(const outcome *o, int threads, int prune, int kern)
{
    for (int v = 0; v < o->nvar; ++v)
        if (o->w.threads[v] == threads && o->w.prune[v] == prune && o->w.kern[v] == kern)
            return v;
    return -1;
}

static int find_variant(const outcome *o, int threads, int prune)
{
    return find_variant_k(o, threads, prune, K_DOUBLE);
}

/* A JSON number, or null for NAN. */
static const char *jnum(char *buf, size_t len, double v)
{
    if (isnan(v) || isinf(v))
        snprintf(buf, len, "null");
    else
        snprintf(buf, len, "%.6g", v);
    return buf;
}

static void print_json(const outcome *o)
{
    const workload *w = &o->w;
    printf("{\"fn\":\"%s\",\"data\":\"%s\",\"layer\":%d,\"d\":%zu,\"n\":%zu,\"m\":%zu,"
           "\"k\":%zu,\"draws\":%zu,\"beta\":%g,\"seed\":%u,\"method\":\"mc\",\"pairs\":%.0f,"
           "\"lib\":[",
           fn_name(w->fn), w->layer == 0 ? "uniform" : w->epoch ? "epoch" : "network",
           w->layer, w->d, rows_of(w), w->m, w->k, w->draws, BETA, SEED, pairs_of(w));
    for (int v = 0; v < o->nvar; ++v) {
        const lib_result *r = &o->lib[v];
        double med = lib_median(r);
        printf("%s{\"threads\":%d,\"prune\":\"%s\",\"kernel\":\"%s\",", v ? "," : "",
               w->threads[v], w->prune[v] == DENSE ? "dense" : "default", kern_name(w->kern[v]));
        if (isnan(r->prune_tol))
            printf("\"prune_tol\":null,");
        else
            printf("\"prune_tol\":%g,", r->prune_tol);
        printf("\"reps\":%d,\"median_s\":%.6g,\"min_s\":%.6g,\"pairs_per_s\":%.4g,"
               "\"maxrss_kb\":%ld,\"rss_increase_kb\":%ld,\"h\":%.17g,\"h_se\":%.6g",
               r->reps, med, min_of(r->secs, r->reps), pairs_of(w) / med,
               r->rss_peak_kb, r->rss_peak_kb - r->rss_start_kb, r->res[0], r->se[0]);
        if (w->fn == FN_MI)
            printf(",\"ixt\":%.17g,\"ixt_se\":%.6g,\"iyt\":%.17g,\"iyt_se\":%.6g", r->res[1],
                   r->se[1], r->res[2], r->se[2]);
        char b[32];
        printf(",\"speedup_vs_peer\":%s}",
               jnum(b, sizeof b, o->peer.ok ? o->peer.median / med : NAN));
    }
    printf("],");
    if (o->peer.ok) {
        printf("\"peer\":{\"threads\":%d,\"clamp\":%s,\"reps\":%d,\"median_s\":%.6g,"
               "\"min_s\":%.6g,\"pairs_per_s\":%.4g,\"maxrss_kb\":%ld,\"h\":%.17g",
               PEER_THREADS, o->peer.clamp ? "true" : "false", o->peer.reps, o->peer.median,
               o->peer.min, pairs_of(w) / o->peer.median, o->peer.rss_peak_kb, o->peer.res[0]);
        if (w->fn == FN_MI)
            printf(",\"ixt\":%.17g,\"iyt\":%.17g", o->peer.res[1], o->peer.res[2]);
        int v2 = find_variant(o, 2, DENSE);
        char b[32];
        printf("},\"peer_absdiff\":%.3g,\"speedup_vs_peer\":%s,", o->peer_diff,
               jnum(b, sizeof b, v2 >= 0 ? o->peer.median / lib_median(&o->lib[v2]) : NAN));
    } else {
        printf("\"peer\":null,");
    }
    for (int t = 0; t < 2; ++t) {
        const peer_result *tp = &o->torch[t];
        char b[2][32];
        if (!tp->ok) {
            printf("\"torch%d\":null,", t ? 32 : 64);
            continue;
        }
        printf("\"torch%d\":{\"threads\":%d,\"reps\":%d,\"median_s\":%.6g,\"min_s\":%.6g,"
               "\"maxrss_kb\":%ld,\"h\":%.17g,\"absdiff\":%s,\"speedup_vs_torch\":%s},",
               t ? 32 : 64, PEER_THREADS, tp->reps, tp->median, tp->min, tp->rss_peak_kb,
               tp->res[0], jnum(b[0], 32, o->torch_diff[t]),
               jnum(b[1], 32, find_variant(o, 2, DENSE) >= 0
                                  ? tp->median / lib_median(&o->lib[find_variant(o, 2, DENSE)])
                                  : NAN));
    }
    {
        char b[32];
        printf("\"single_vs_double_absdiff\":%s,", jnum(b, sizeof b, o->single_diff));
    }
    if (isnan(o->prune_diff))
        printf("\"dense_vs_pruned_absdiff\":null,");
    else
        printf("\"dense_vs_pruned_absdiff\":%.3g,", o->prune_diff);
    printf("\"threads_identical\":%s}\n", o->threads_same ? "true" : "false");
    fflush(stdout);
}

/* A number for the table, or "-" when absent (NAN). */
static const char *fmt(char *buf, size_t len, const char *f, double v)
{
    if (isnan(v))
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, f, v);
    return buf;
}

static void table_header(void)
{
    printf("%-8s %-12s %2s %6s %5s %-7s %8s | %8s %8s %9s | %8s %9s | %7s | %8s %8s | %6s "
           "%6s\n",
           "function", "data", "d", "n", "draws", "prune", "pairs", "lib 1T s", "lib 2T s",
           "2T pair/s", "peer s", "pair/s", "speedup", "|l-peer|", "|d-prun|", "MB+lib",
           "MBpeer");
}

static void table_rows(const outcome *o)
{
    const workload *w = &o->w;
    char data[32];
    if (w->layer == 0)
        snprintf(data, sizeof data, w->wide ? "clustered" : "uniform");
    else
        snprintf(data, sizeof data, "%s%d", w->epoch ? "epoch L" : "net L", w->layer);
    for (int prune = DENSE; prune <= PRUNED; ++prune) {
        int v1 = find_variant(o, 1, prune), v2 = find_variant(o, 2, prune);
        if (v1 < 0 && v2 < 0)
            continue;
        double t1 = v1 >= 0 ? lib_median(&o->lib[v1]) : NAN;
        double t2 = v2 >= 0 ? lib_median(&o->lib[v2]) : NAN;
        int vm = v2 >= 0 ? v2 : v1;
        double rss = (double)(o->lib[vm].rss_peak_kb - o->lib[vm].rss_start_kb) / 1024.0;
        double peer = o->peer.ok ? o->peer.median : NAN;
        char b[10][32];
        printf("%-8s %-12s %2zu %6zu %5zu %-7s %8.2e | %8s %8s %9s | %8s %9s | %7s | %8s %8s | "
               "%6s %6s\n",
               fn_name(w->fn), data, w->d, rows_of(w), w->draws,
               prune == DENSE ? "dense" : "default", pairs_of(w),
               fmt(b[0], 32, "%.4f", t1), fmt(b[1], 32, "%.4f", t2),
               fmt(b[2], 32, "%.3e", pairs_of(w) / t2), fmt(b[3], 32, "%.4f", peer),
               fmt(b[4], 32, "%.3e", pairs_of(w) / peer), fmt(b[5], 32, "%.1fx", peer / t2),
               fmt(b[6], 32, "%.1e", prune == DENSE && o->peer.ok ? o->peer_diff : NAN),
               fmt(b[7], 32, "%.1e", prune == PRUNED ? o->prune_diff : NAN),
               fmt(b[8], 32, "%.1f", rss),
               prune == DENSE && o->peer.ok ? fmt(b[9], 32, "%.0f",
                                                  (double)o->peer.rss_peak_kb / 1024.0)
                                            : "-");
    }
}

/* The whole epoch: sums over its layers of the per-layer medians at 2 threads. */
typedef struct {
    int layers;
    size_t m, k;
    double pairs, dense, pruned, peer; /* seconds; NAN when a layer lacks the run */
    double single_dense, single_pruned, torch64, torch32;
    double peer_diff, prune_diff, single_diff;
    long rss_kb, peer_rss_kb;          /* largest over the layers */
} epoch_total;

/* The median of variant (2 threads, prune, kern), NAN when it did not run. */
static double median_of(const outcome *o, int prune, int kern)
{
    int v = find_variant_k(o, 2, prune, kern);
    return v >= 0 ? lib_median(&o->lib[v]) : NAN;
}

static epoch_total epoch_sum(const outcome *out, size_t nout)
{
    epoch_total E;
    memset(&E, 0, sizeof E);
    E.prune_diff = E.single_diff = NAN;
    for (size_t i = 0; i < nout; ++i) {
        const outcome *o = &out[i];
        if (!o->w.epoch)
            continue;
        E.layers++;
        E.m = o->w.m;
        E.k = o->w.k > E.k ? o->w.k : E.k;
        E.pairs += pairs_of(&o->w);
        int vd = find_variant(o, 2, DENSE), vp = find_variant(o, 2, PRUNED);
        E.dense += vd >= 0 ? lib_median(&o->lib[vd]) : NAN;
        E.pruned += vp >= 0 ? lib_median(&o->lib[vp]) : NAN;
        E.peer += o->peer.ok ? o->peer.median : NAN;
        E.single_dense += median_of(o, DENSE, K_SINGLE);
        E.single_pruned += median_of(o, PRUNED, K_SINGLE);
        E.torch64 += o->torch[0].ok ? o->torch[0].median : NAN;
        E.torch32 += o->torch[1].ok ? o->torch[1].median : NAN;
        if (!isnan(o->single_diff))
            E.single_diff = isnan(E.single_diff) || o->single_diff > E.single_diff
                                ? o->single_diff : E.single_diff;
        if (vd >= 0) {
            long r = o->lib[vd].rss_peak_kb - o->lib[vd].rss_start_kb;
            E.rss_kb = r > E.rss_kb ? r : E.rss_kb;
        }
        if (o->peer.ok) {
            E.peer_diff = o->peer_diff > E.peer_diff ? o->peer_diff : E.peer_diff;
            E.peer_rss_kb = o->peer.rss_peak_kb > E.peer_rss_kb ? o->peer.rss_peak_kb
                                                                 : E.peer_rss_kb;
        }
        if (!isnan(o->prune_diff))
            E.prune_diff = isnan(E.prune_diff) || o->prune_diff > E.prune_diff
                               ? o->prune_diff : E.prune_diff;
    }
    return E;
}

static void epoch_json(const epoch_total *E)
{
    char b[7][32];
    printf("{\"fn\":\"epoch\",\"layers\":%d,\"m\":%zu,\"k\":%zu,\"draws\":1,"
           "\"pairs\":%.0f,\"lib_dense_2t_s\":%s,\"lib_pruned_2t_s\":%s,\"peer_2t_s\":%s,"
           "\"speedup_dense\":%s,\"speedup_pruned\":%s,\"peer_absdiff\":%s,"
           "\"dense_vs_pruned_absdiff\":%s,\"maxrss_increase_kb\":%ld,"
           "\"peer_maxrss_kb\":%ld,",
           E->layers, E->m, E->k, E->pairs, jnum(b[0], 32, E->dense),
           jnum(b[1], 32, E->pruned), jnum(b[2], 32, E->peer),
           jnum(b[3], 32, E->peer / E->dense), jnum(b[4], 32, E->peer / E->pruned),
           jnum(b[5], 32, E->peer_diff), jnum(b[6], 32, E->prune_diff), E->rss_kb,
           E->peer_rss_kb);
    printf("\"lib_single_dense_2t_s\":%s,\"lib_single_pruned_2t_s\":%s,"
           "\"single_speedup_dense\":%s,\"single_speedup_pruned\":%s,"
           "\"single_vs_double_absdiff\":%s,",
           jnum(b[0], 32, E->single_dense), jnum(b[1], 32, E->single_pruned),
           jnum(b[2], 32, E->dense / E->single_dense),
           jnum(b[3], 32, E->pruned / E->single_pruned), jnum(b[4], 32, E->single_diff));
    printf("\"torch64_2t_s\":%s,\"torch32_2t_s\":%s}\n", jnum(b[0], 32, E->torch64),
           jnum(b[1], 32, E->torch32));
}

static void epoch_rows(const epoch_total *E)
{
    for (int prune = DENSE; prune <= PRUNED; ++prune) {
        double t = prune == DENSE ? E->dense : E->pruned;
        if (prune == PRUNED && isnan(t))
            continue;
        char b[10][32];
        printf("%-8s %-12s %2s %6zu %5d %-7s %8.2e | %8s %8s %9s | %8s %9s | %7s | %8s %8s | "
               "%6s %6s\n",
               "mi_layer", "epoch total", "-", E->m * E->k, 1,
               prune == DENSE ? "dense" : "default", E->pairs, "-",
               fmt(b[0], 32, "%.4f", t), fmt(b[1], 32, "%.3e", E->pairs / t),
               fmt(b[2], 32, "%.4f", E->peer), fmt(b[3], 32, "%.3e", E->pairs / E->peer),
               fmt(b[4], 32, "%.1fx", E->peer / t),
               fmt(b[5], 32, "%.1e", prune == DENSE ? E->peer_diff : NAN),
               fmt(b[6], 32, "%.1e", prune == PRUNED ? E->prune_diff : NAN),
               fmt(b[7], 32, "%.1f", prune == DENSE ? (double)E->rss_kb / 1024.0 : NAN),
               fmt(b[8], 32, "%.0f",
                   prune == DENSE && !isnan(E->peer) ? (double)E->peer_rss_kb / 1024.0 : NAN));
    }
}

/* ---- the precision and width table ------------------------------------------------ */

static void ptable_header(void)
{
    printf("%-8s %-12s %3s %6s %5s %-7s | %8s %8s %7s | %8s %7s %7s | %8s | %8s %8s %8s\n",
           "function", "data", "d", "n", "draws", "prune", "double s", "single s", "sgl/dbl",
           "today s", "dbl/tdy", "sgl/tdy", "|s - d|", "numpy s", "torch64", "torch32");
}

static void ptable_row(const char *fn, const char *data, const char *d, size_t n,
                       size_t draws, int prune, double dbl, double sgl, double today,
                       double diff, double numpy, double t64, double t32)
{
    char b[12][32];
    printf("%-8s %-12s %3s %6zu %5zu %-7s | %8s %8s %7s | %8s %7s %7s | %8s | %8s %8s %8s\n",
           fn, data, d, n, draws, prune == DENSE ? "dense" : "default",
           fmt(b[0], 32, "%.4f", dbl), fmt(b[1], 32, "%.4f", sgl),
           fmt(b[2], 32, "%.2fx", dbl / sgl), fmt(b[3], 32, "%.4f", today),
           fmt(b[4], 32, "%.2fx", today / dbl), fmt(b[5], 32, "%.2fx", today / sgl),
           fmt(b[6], 32, "%.1e", diff), fmt(b[7], 32, "%.4f", numpy),
           fmt(b[8], 32, "%.4f", t64), fmt(b[9], 32, "%.4f", t32));
}

/* The rows of a workload with single-precision or today's-kernel runs. */
static void ptable_rows(const outcome *o)
{
    const workload *w = &o->w;
    if (w->epoch || (find_variant_k(o, 2, DENSE, K_SINGLE) < 0 &&
                     find_variant_k(o, 2, DENSE, K_LEGACY) < 0))
        return;
    char d[16];
    snprintf(d, sizeof d, "%zu", w->d);
    for (int prune = DENSE; prune <= PRUNED; ++prune) {
        if (find_variant(o, 2, prune) < 0)
            continue;
        const int dense = prune == DENSE;
        ptable_row(fn_name(w->fn), w->wide ? "clustered" : "uniform", d, rows_of(w), w->draws,
                   prune, median_of(o, prune, K_DOUBLE), median_of(o, prune, K_SINGLE),
                   median_of(o, prune, K_LEGACY), o->single_diff,
                   dense && o->peer.ok ? o->peer.median : NAN,
                   dense && o->torch[0].ok ? o->torch[0].median : NAN,
                   dense && o->torch[1].ok ? o->torch[1].median : NAN);
    }
}

static void ptable_epoch(const epoch_total *E)
{
    for (int prune = DENSE; prune <= PRUNED; ++prune) {
        const int dense = prune == DENSE;
        if (!dense && isnan(E->pruned))
            continue;
        ptable_row("mi_layer", "epoch total", "-", E->m * E->k, 1, prune,
                   dense ? E->dense : E->pruned, dense ? E->single_dense : E->single_pruned,
                   NAN, E->single_diff, dense ? E->peer : NAN, dense ? E->torch64 : NAN,
                   dense ? E->torch32 : NAN);
    }
}

/* ---- the information plane over epochs, through plans ---------------------------- */

/* Ways to compute the six layers' points at every snapshot: one plan per
 * layer made once (gcent_plan_mi_layer) and executed per epoch, in double
 * and in single precision; and one-shot gcent_mi_layer calls. */
enum { EP_PLANS, EP_ONESHOT, EP_PLANS_SINGLE, EP_WAYS };
static const char *ep_name[EP_WAYS] = {"plans", "one-shot", "plans, single"};

typedef struct {
    int status;
    char errmsg[256];
    double setup;                                /* plan creation, s */
    double secs[PLAN_EPOCHS_MAX];                /* per epoch: the six layers */
    gcent_layer_mi res[PLAN_EPOCHS_MAX][NET_SIZES];
    long rss_start_kb, rss_peak_kb;
} epochs_result;

/* rows, k and row stride of layer l in a snapshot (layer 1: pass 0 of each
 * input, k = 1, as the epoch workload) */
static void snap_shape(int l, size_t *k, size_t *lds)
{
    *k = l == 1 ? 1 : NET.k8;
    *lds = (size_t)ARCH[l] * (l == 1 ? NET.k8 : 1);
}

static void epochs_child(int way, epochs_result *r)
{
    memset(r, 0, sizeof *r);
    r->rss_start_kb = maxrss_kb();
    gcent_ctx *ctx = NULL;
    gcent_plan *plan[NET_SIZES] = {NULL};
    int st = gcent_ctx_create(&ctx);
    if (st == GCENT_OK && (st = gcent_ctx_set(ctx, GCENT_OPT_SEED, SEED)) == GCENT_OK &&
        (st = gcent_ctx_set(ctx, GCENT_OPT_MC_DRAWS, 1)) == GCENT_OK &&
        (st = gcent_ctx_set(ctx, GCENT_OPT_THREADS, 2)) == GCENT_OK &&
        (st = gcent_ctx_set(ctx, GCENT_OPT_METHOD, GCENT_METHOD_MC)) == GCENT_OK &&
        way == EP_PLANS_SINGLE)
        st = gcent_ctx_set(ctx, GCENT_OPT_PRECISION, GCENT_PRECISION_SINGLE);
    double t0 = lib_clock();
    for (int l = 1; l < NET_SIZES && st == GCENT_OK && way != EP_ONESHOT; ++l) {
        size_t k, lds;
        snap_shape(l, &k, &lds);
        st = gcent_plan_mi_layer(ctx, NET.m8, k, (size_t)ARCH[l], NET.y, BETA, &plan[l]);
    }
    r->setup = lib_clock() - t0;
    for (int e = 0; e < NET.nsnap && st == GCENT_OK; ++e) {
        t0 = lib_clock();
        for (int l = 1; l < NET_SIZES && st == GCENT_OK; ++l) {
            size_t k, lds;
            snap_shape(l, &k, &lds);
            if (way == EP_ONESHOT)
                st = gcent_mi_layer(ctx, NET.snap[e][l], NET.m8, k, (size_t)ARCH[l], lds, NET.y,
                                    BETA, &r->res[e][l]);
            else
                st = gcent_plan_execute_mi(plan[l], NET.snap[e][l], lds, &r->res[e][l]);
        }
        r->secs[e] = lib_clock() - t0;
    }
    if (st != GCENT_OK)
        snprintf(r->errmsg, sizeof r->errmsg, "%s: %s (%s)", ep_name[way], gcent_strerror(st),
                 way == EP_ONESHOT || plan[1] == NULL ? gcent_ctx_errmsg(ctx) : "a plan failed");
    r->status = st;
    for (int l = 0; l < NET_SIZES; ++l)
        gcent_plan_free(plan[l]);
    gcent_ctx_free(ctx);
    r->rss_peak_kb = maxrss_kb();
}

/* One way in a forked child (its peak memory alone); 0 or -1. */
static int run_epochs(int way, epochs_result *r)
{
    int fds[2];
    memset(r, 0, sizeof *r);
    if (pipe(fds) != 0)
        return -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        epochs_result *mine = malloc(sizeof *mine);
        if (mine == NULL)
            _exit(1);
        epochs_child(way, mine);
        _exit(write_full(fds[1], mine, sizeof *mine) == 0 ? 0 : 1);
    }
    close(fds[1]);
    int got = read_full(fds[0], r, sizeof *r);
    close(fds[0]);
    int wst = 0;
    while (waitpid(pid, &wst, 0) < 0 && errno == EINTR)
        ;
    if (got != 0 || !WIFEXITED(wst) || WEXITSTATUS(wst) != 0) {
        snprintf(r->errmsg, sizeof r->errmsg, "benchmark child failed");
        return -1;
    }
    return r->status == GCENT_OK ? 0 : -1;
}

/* The section: its table and JSON line; the number of failures (a way that
 * fails, plans and one-shot calls that differ in any bit, single precision
 * beyond its guarantee). */
static int epochs_section(const config *cfg)
{
    if (NET.nsnap == 0)
        return 0;
    static epochs_result R[EP_WAYS];
    int failures = 0, ran[EP_WAYS] = {0};
    for (int w = 0; w < EP_WAYS; ++w) {
        if (w == EP_PLANS_SINGLE && !cfg->single_available)
            continue;
        fprintf(stderr, "bench: information plane over %d epochs: %s\n", NET.nsnap,
                ep_name[w]);
        if (run_epochs(w, &R[w]) != 0) {
            fprintf(stderr, "bench: epochs, %s: %s\n", ep_name[w], R[w].errmsg);
            ++failures;
        } else {
            ran[w] = 1;
        }
    }
    int same = ran[EP_PLANS] && ran[EP_ONESHOT] &&
               memcmp(R[EP_PLANS].res, R[EP_ONESHOT].res, sizeof R[0].res) == 0;
    if (ran[EP_PLANS] && ran[EP_ONESHOT] && !same) {
        fprintf(stderr, "bench: epochs: plans and one-shot calls differ\n");
        ++failures;
    }
    double sdiff = NAN;
    if (ran[EP_PLANS] && ran[EP_PLANS_SINGLE])
        for (int e = 0; e < NET.nsnap; ++e)
            for (int l = 1; l < NET_SIZES; ++l) {
                const gcent_layer_mi *a = &R[EP_PLANS].res[e][l], *b = &R[EP_PLANS_SINGLE].res[e][l];
                const double dl[3] = {fabs(a->ht.value - b->ht.value),
                                      fabs(a->ixt.value - b->ixt.value),
                                      fabs(a->iyt.value - b->iyt.value)};
                for (int t = 0; t < 3; ++t)
                    sdiff = isnan(sdiff) || dl[t] > sdiff ? dl[t] : sdiff;
            }
    if (!isnan(sdiff) && !(sdiff <= 0x1p-9)) {
        fprintf(stderr, "bench: epochs: single precision moved a point by %.3g\n", sdiff);
        ++failures;
    }
    double med[EP_WAYS], mb[EP_WAYS];
    for (int w = 0; w < EP_WAYS; ++w) {
        med[w] = ran[w] ? median(R[w].secs, NET.nsnap) : NAN;
        mb[w] = ran[w] ? (double)(R[w].rss_peak_kb - R[w].rss_start_kb) / 1024.0 : NAN;
    }
    char b[12][32];
    printf("{\"fn\":\"epochs\",\"epochs\":%d,\"layers\":%d,\"m\":%zu,\"k\":%zu,\"draws\":1,"
           "\"threads\":2,\"prune\":\"default\",\"plans_s_per_epoch\":%s,"
           "\"oneshot_s_per_epoch\":%s,\"plans_single_s_per_epoch\":%s,\"plans_setup_s\":%s,"
           "\"plans_rss_increase_kb\":%s,\"oneshot_rss_increase_kb\":%s,"
           "\"plans_single_rss_increase_kb\":%s,\"identical\":%s,\"single_absdiff\":%s}\n",
           NET.nsnap, NET_SIZES - 1, NET.m8, NET.k8, jnum(b[0], 32, med[EP_PLANS]),
           jnum(b[1], 32, med[EP_ONESHOT]), jnum(b[2], 32, med[EP_PLANS_SINGLE]),
           jnum(b[3], 32, ran[EP_PLANS] ? R[EP_PLANS].setup : NAN),
           jnum(b[4], 32, mb[EP_PLANS] * 1024.0), jnum(b[5], 32, mb[EP_ONESHOT] * 1024.0),
           jnum(b[6], 32, mb[EP_PLANS_SINGLE] * 1024.0), same ? "true" : "false",
           jnum(b[7], 32, sdiff));
    printf("\nThe information plane over %d consecutive epochs (network trained one epoch "
           "between them): six layers, m = %zu, k = %zu (layer 1: k = 1), one draw per row, "
           "2 threads, default pruning.\n", NET.nsnap, NET.m8, NET.k8);
    printf("%-15s %12s %12s %12s %10s\n", "way", "s per epoch", "min s", "setup s", "MB+");
    for (int w = 0; w < EP_WAYS; ++w)
        if (ran[w])
            printf("%-15s %12s %12s %12s %10s\n", ep_name[w], fmt(b[0], 32, "%.4f", med[w]),
                   fmt(b[1], 32, "%.4f", min_of(R[w].secs, NET.nsnap)),
                   fmt(b[2], 32, "%.4f", w == EP_ONESHOT ? NAN : R[w].setup),
                   fmt(b[3], 32, "%.1f", mb[w]));
    printf("one-shot / plans: %s; plans double / single: %s; plans == one-shot, bit for bit, "
           "at every epoch and layer: %s; largest |single - double|: %s.\n",
           fmt(b[0], 32, "%.2fx", med[EP_ONESHOT] / med[EP_PLANS]),
           fmt(b[1], 32, "%.2fx", med[EP_PLANS] / med[EP_PLANS_SINGLE]), same ? "yes" : "NO",
           fmt(b[2], 32, "%.1e", sdiff));
    return failures;
}

/* ---- the sliced information plane ----------------------------------------------- */

/* One workload: a sliced point (gcent_sliced_mi_layer, q = 1) of S_2 of a
 * noisy 12-256-256-2 tanh network (support/mlp.h, beta = 0.1, seed 1, Adam
 * 3e-3, batch 64, 5 epochs) on the generated 12-bit set: d = 256, all
 * m = 4096 inputs, k = 8 noisy passes through layer 1, 1000 slices, labels.
 * Run in a forked child: 3 calls at 2 threads (median), 1 at 1 thread (its
 * bits must equal the 2-thread ones, as must the repeats), the peak RSS and
 * its increase over the child's size at the fork. The projection's share is
 * a dgemm of the library's shape and blocks, (128 x 256) times (256 x 32768)
 * eight times (the last block 104), timed alone in the same child; the rest
 * is the per-slice work (lattice cells, radix sort, the lattice sums) and
 * the reductions, which are O(slices) and O(m) per slice. The quick grid
 * runs the same at d = 64, m = 256, k = 4, 40 slices, 2 epochs. */
typedef struct {
    size_t d, m, k, q, slices;
    int epochs;
} sliced_wl;

typedef struct {
    int status;
    char errmsg[256];
    int reps;
    double secs[3], secs1, proj;
    double cpu1;              /* process CPU seconds of the 1-thread call */
    gcent_sliced_mi r;
    int identical;            /* repeats and 1 thread gave the same bits */
    long rss_start_kb, rss_peak_kb;
} sliced_result;

/* S_2 rows (m k x d) and the labels; 0, or -1 with a message. */
static int sliced_data(const sliced_wl *w, double **s_out, int **y_out, double *train_s)
{
    szt12_data data;
    if (szt12_generate(&data) != 0)
        return -1;
    const int arch[4] = {12, (int)w->d, (int)w->d, 2};
    mlp *net = NULL;
    double *s = malloc(w->m * w->k * w->d * sizeof *s);
    int *y = malloc(w->m * sizeof *y);
    int st = s && y ? mlp_create(&net, arch, 4, BETA, SEED) : MLP_ENOMEM;
    double t0 = now();
    for (int e = 0; e < w->epochs && st == MLP_OK; ++e)
        st = mlp_train_epoch(net, data.x, data.y, data.n, 64, MLP_ADAM, 3e-3, (uint64_t)e, NULL);
    *train_s = now() - t0;
    double *layers[2] = {NULL, s};
    if (st == MLP_OK) /* the first m inputs */
        st = mlp_layer_samples(net, data.x, w->m, w->k, TAG_EPOCH, layers);
    if (st == MLP_OK)
        memcpy(y, data.y, w->m * sizeof *y);
    mlp_free(net);
    szt12_free(&data);
    if (st != MLP_OK) {
        fprintf(stderr, "bench: sliced workload data: %s\n", mlp_strerror(st));
        free(s), free(y);
        return -1;
    }
    *s_out = s;
    *y_out = y;
    return 0;
}

static void sliced_child(const sliced_wl *w, const double *s, const int *y, sliced_result *r)
{
    memset(r, 0, sizeof *r);
    r->rss_start_kb = maxrss_kb();
    r->identical = 1;
    const size_t n = w->m * w->k;
    for (int threads = 2; threads >= 1; --threads) {
        gcent_ctx *ctx = NULL;
        int st = gcent_ctx_create(&ctx);
        if (st == GCENT_OK && (st = gcent_ctx_set(ctx, GCENT_OPT_SEED, SEED)) == GCENT_OK)
            st = gcent_ctx_set(ctx, GCENT_OPT_THREADS, threads);
        for (int rep = 0; st == GCENT_OK && rep < (threads == 2 ? 3 : 1); ++rep) {
            gcent_sliced_mi out;
            double t0 = now(), c0 = cpu_now();
            st = gcent_sliced_mi_layer(ctx, s, w->m, w->k, w->d, w->d, y, BETA, w->q,
                                       w->slices, &out);
            double t = now() - t0;
            if (threads == 1)
                r->cpu1 = cpu_now() - c0;
            if (st != GCENT_OK)
                break;
            if (threads == 2)
                r->secs[r->reps++] = t;
            else
                r->secs1 = t;
            if (r->reps == 1 && threads == 2)
                r->r = out;
            else
                r->identical &= memcmp(&out, &r->r, sizeof out) == 0;
        }
        if (st != GCENT_OK) {
            r->status = st;
            snprintf(r->errmsg, sizeof r->errmsg, "gcent_sliced_mi_layer: %s (%s)",
                     gcent_strerror(st), ctx ? gcent_ctx_errmsg(ctx) : "");
            gcent_ctx_free(ctx);
            return;
        }
        gcent_ctx_free(ctx);
    }
    r->rss_peak_kb = maxrss_kb();
    /* the projections alone: the library's blocks (2^22 doubles of output) */
    size_t block = ((size_t)1 << 22) / (w->q * n);
    block = block < 2 ? 2 : block > w->slices ? w->slices : block;
    double *dirs = malloc(block * w->q * w->d * sizeof *dirs);
    double *out = malloc(block * w->q * n * sizeof *out);
    if (dirs && out) {
        gcent_rng_normals(SEED, 9, 0, block * w->q * w->d, dirs);
        double t0 = now();
        for (size_t b0 = 0; b0 < w->slices; b0 += block) {
            size_t nb = w->slices - b0 < block ? w->slices - b0 : block;
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)(nb * w->q), (int)n,
                        (int)w->d, 1.0, dirs, (int)w->d, s, (int)w->d, 0.0, out, (int)n);
        }
        r->proj = now() - t0;
    }
    free(dirs);
    free(out);
}

/* The sliced workload (skipped when --only names something else); 0 or -1. */
static int run_sliced(const config *cfg, char *summary, size_t len)
{
    static const sliced_wl FULL = {256, 4096, 8, 1, 1000, 5}, QUICK = {64, 256, 4, 1, 40, 2};
    const sliced_wl *w = cfg->quick ? &QUICK : &FULL;
    char desc[128];
    snprintf(desc, sizeof desc, "sliced q=%zu d=%zu m=%zu k=%zu slices=%zu", w->q, w->d, w->m,
             w->k, w->slices);
    summary[0] = '\0';
    if (cfg->only && strstr(desc, cfg->only) == NULL)
        return 0;
    double *s = NULL, train = 0.0;
    int *y = NULL;
    if (sliced_data(w, &s, &y, &train) != 0)
        return -1;
    int fds[2];
    sliced_result r;
    memset(&r, 0, sizeof r);
    if (pipe(fds) != 0) {
        free(s), free(y);
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        sliced_result mine;
        sliced_child(w, s, y, &mine);
        _exit(write_full(fds[1], &mine, sizeof mine) == 0 ? 0 : 1);
    }
    close(fds[1]);
    int got = pid > 0 ? read_full(fds[0], &r, sizeof r) : -1;
    close(fds[0]);
    int wst = 0;
    while (pid > 0 && waitpid(pid, &wst, 0) < 0 && errno == EINTR)
        ;
    free(s), free(y);
    if (got != 0 || r.status != GCENT_OK) {
        fprintf(stderr, "bench: %s: %s\n", desc, got != 0 ? "child failed" : r.errmsg);
        return -1;
    }
    double med = median(r.secs, r.reps);
    /* exact bounds: 0 <= SI(X) <= ln m, 0 <= SI(Y) <= H(Y) <= ln 2 (two
     * classes), up to the lattice rule's 2e-8 per slice */
    int bounds_ok = r.r.ixt.value >= 0.0 && r.r.ixt.value <= log((double)w->m) + 2e-8 &&
                    r.r.iyt.value >= -2e-8 && r.r.iyt.value <= log(2.0) + 2e-8;
    printf("{\"fn\":\"sliced_mi_layer\",\"q\":%zu,\"d\":%zu,\"m\":%zu,\"k\":%zu,"
           "\"n\":%zu,\"slices\":%zu,\"beta\":%g,\"seed\":%u,\"median_2t_s\":%.6g,"
           "\"min_2t_s\":%.6g,\"lib_1t_s\":%.6g,\"cpu_1t_s\":%.6g,\"projection_s\":%.6g,\"rest_s\":%.6g,"
           "\"maxrss_kb\":%ld,\"rss_increase_kb\":%ld,\"sixt\":%.17g,\"sixt_se\":%.6g,"
           "\"siyt\":%.17g,\"siyt_se\":%.6g,\"threads_identical\":%s}\n",
           w->q, w->d, w->m, w->k, w->m * w->k, w->slices, BETA, SEED, med,
           min_of(r.secs, r.reps), r.secs1, r.cpu1, r.proj, med - r.proj, r.rss_peak_kb,
           r.rss_peak_kb - r.rss_start_kb, r.r.ixt.value, r.r.ixt.se, r.r.iyt.value,
           r.r.iyt.se, r.identical ? "true" : "false");
    fflush(stdout);
    fprintf(stderr, "bench: %s: %.3f s at 2 threads (%.3f s at 1), projection %.3f s\n", desc,
            med, r.secs1, r.proj);
    snprintf(summary, len,
             "sliced plane, %s (S_2 of a 12-%zu-%zu-2 noisy tanh net, %d epochs, %.1f s):\n"
             "  median of %d calls at 2 threads %.3f s (1 thread %.3f s, %.3f s of CPU); "
             "projection (dgemm "
             "of the same shape, alone) %.3f s, the per-slice lattice work and reductions "
             "%.3f s;\n  peak RSS %.1f MB (+%.1f MB over the child's size at fork); "
             "SI_1(X;T) = %.4f (se %.2g), SI_1(Y;T) = %.4f (se %.2g); bits identical over "
             "repeats and threads: %s",
             desc, w->d, w->d, w->epochs, train, r.reps, med, r.secs1, r.cpu1, r.proj,
             med - r.proj,
             (double)r.rss_peak_kb / 1024.0,
             (double)(r.rss_peak_kb - r.rss_start_kb) / 1024.0, r.r.ixt.value, r.r.ixt.se,
             r.r.iyt.value, r.r.iyt.se, r.identical ? "yes" : "NO");
    if (!r.identical || !bounds_ok) {
        fprintf(stderr, "bench: %s: %s\n", desc,
                !r.identical ? "results differ between repeats or threads"
                             : "a value outside its exact bounds");
        return -1;
    }
    return 0;
}

/* ---- main ------------------------------------------------------------------------ */

static void usage(FILE *f)
{
    fprintf(f,
        "usage: bench [options]\n"
        "Times gcent_entropy and gcent_mi_layer (Monte Carlo) on uniform and network\n"
        "data, 1 and 2 threads, dense and pruned, against bench/peer.py (NumPy/SciPy,\n"
        "same estimator, same draws), checking that both give the same estimate.\n"
        "  --quick        tiny grid (seconds): what CI runs; no timing is judged\n"
        "  --python PATH  Python with NumPy and SciPy (default /usr/bin/python3)\n"
        "  --peer PATH    the peer script (default bench/peer.py)\n"
        "  --no-peer      library only\n"
        "  --peer-clamp   the peer clamps its exponents at -700 (see bench/peer.py)\n"
        "  --peer-torch PATH  the PyTorch peer (default bench/peer_torch.py)\n"
        "  --no-torch     without the PyTorch peer\n"
        "  --no-epochs    without the plans-over-epochs section\n"
        "  --cpu-time     the library's times in CPU seconds of its process (all its\n"
        "                 threads; for a machine others use: ratios, not wall times)\n"
        "  --only TEXT    only the workloads whose description contains TEXT (\"epochs\":\n"
        "                 the plans-over-epochs section alone)\n"
        "  --tmp DIR      directory for the peer's workload files (default /tmp)\n"
        "One JSON line per workload on stdout, then a table; progress on stderr.\n");
}

int main(int argc, char **argv)
{
    config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.python = "/usr/bin/python3";
    cfg.peer = "bench/peer.py";
    cfg.peer_torch = "bench/peer_torch.py";
    const char *tmpbase = "/tmp";
    for (int a = 1; a < argc; ++a) {
        const char *opt = argv[a], *val = a + 1 < argc ? argv[a + 1] : NULL;
        if (strcmp(opt, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(opt, "--quick") == 0) {
            cfg.quick = 1;
        } else if (strcmp(opt, "--no-peer") == 0) {
            cfg.no_peer = 1;
        } else if (strcmp(opt, "--peer-clamp") == 0) {
            cfg.peer_clamp = 1;
        } else if (strcmp(opt, "--no-torch") == 0) {
            cfg.no_torch = 1;
        } else if (strcmp(opt, "--no-epochs") == 0) {
            cfg.no_epochs = 1;
        } else if (strcmp(opt, "--cpu-time") == 0) {
            cfg.cpu_time = 1;
            lib_clock = cpu_now;
        } else if (val != NULL && strcmp(opt, "--peer-torch") == 0) {
            cfg.peer_torch = val;
            ++a;
        } else if (val != NULL && strcmp(opt, "--python") == 0) {
            cfg.python = val;
            ++a;
        } else if (val != NULL && strcmp(opt, "--peer") == 0) {
            cfg.peer = val;
            ++a;
        } else if (val != NULL && strcmp(opt, "--only") == 0) {
            cfg.only = val;
            ++a;
        } else if (val != NULL && strcmp(opt, "--tmp") == 0) {
            tmpbase = val;
            ++a;
        } else {
            fprintf(stderr, "bench: bad option: %s\n", opt);
            usage(stderr);
            return 2;
        }
    }
    const double t_start = now();
    char load_start[64] = "unknown";
    {
        double la[3];
        if (getloadavg(la, 3) == 3)
            snprintf(load_start, sizeof load_start, "%.2f %.2f %.2f", la[0], la[1], la[2]);
    }

    /* Is there a precision option (id 8) in this library? */
    double plo, phi;
    cfg.single_available = gcent_opt_bounds((gcent_opt)8, &plo, &phi, NULL) == GCENT_OK &&
                           phi == 2.0;
    /* Is there a pruning option in this library? */
    if (prune_probe(&cfg) != 0) {
        fprintf(stderr, "bench: option 7 exists but pruning cannot be switched off\n");
        return 1;
    }

    char tmpdir[4096];
    snprintf(tmpdir, sizeof tmpdir, "%s/gcent-bench-XXXXXX", tmpbase);
    if ((!cfg.no_peer || !cfg.no_torch) && mkdtemp(tmpdir) == NULL) {
        fprintf(stderr, "bench: mkdtemp %s: %s\n", tmpdir, strerror(errno));
        return 1;
    }
    cfg.tmpdir = tmpdir;

    if (net_build(&cfg) != 0)
        return 1;
    char netdesc[512];
    int len = snprintf(netdesc, sizeof netdesc,
                       "network: %d-%d-%d-%d-%d-%d-%d tanh, beta = %g, Adam 3e-3, batch 64, "
                       "%d epochs (%.1f s), noiseless accuracy %.4f; fraction of pairs below "
                       "1e-16 of the self term in S_1..S_5 (%zu inputs, one pass):",
                       ARCH[0], ARCH[1], ARCH[2], ARCH[3], ARCH[4], ARCH[5], ARCH[6], BETA,
                       NET.epochs, NET.secs, NET.accuracy, NET.m4);
    for (int l = 1; l < NET_SIZES - 1 && len > 0 && (size_t)len < sizeof netdesc; ++l)
        len += snprintf(netdesc + len, sizeof netdesc - (size_t)len, " %.4f",
                        NET.negligible[l]);
    fprintf(stderr, "bench: %s\n", netdesc);

    wlist L;
    memset(&L, 0, sizeof L);
    if (build_grid(&cfg, &L) != 0) {
        fprintf(stderr, "bench: out of memory\n");
        return 1;
    }
    outcome *out = calloc(L.n ? L.n : 1, sizeof *out);
    if (out == NULL) {
        fprintf(stderr, "bench: out of memory\n");
        return 1;
    }
    fprintf(stderr, "bench: libgcent %s, %s grid of %zu workloads, pruning option %s\n",
            gcent_version_string(), cfg.quick ? "quick" : "full", L.n,
            cfg.prune_available ? "present" : "absent: dense only");

    int failures = 0;
    size_t nout = 0;
    double worst_peer = 0.0, worst_prune = NAN, worst_single = NAN;
    for (size_t i = 0; i < L.n; ++i) {
        const workload *w = &L.w[i];
        char desc[160];
        describe(w, desc, sizeof desc);
        if (cfg.only && strstr(desc, cfg.only) == NULL)
            continue;
        outcome *o = &out[nout++];
        memset(o, 0, sizeof *o);
        o->w = *w;
        o->nvar = w->nvar;
        o->prune_diff = NAN;
        o->threads_same = 1;
        double *s = NULL;
        int *labels = NULL;
        if (workload_data(w, &s, &labels) != 0) {
            fprintf(stderr, "bench: out of memory for %s\n", desc);
            return 1;
        }
        int ok = 1;
        for (int v = 0; v < w->nvar && ok; ++v)
            if (run_lib(&cfg, w, s, labels, v, &o->lib[v]) != 0) {
                fprintf(stderr, "bench: %s: %s\n", desc, o->lib[v].errmsg);
                ok = 0;
            } else if (!o->lib[v].reps_identical) {
                fprintf(stderr, "bench: %s: repeats gave different results\n", desc);
                ok = 0;
            }
        const int torch = w->torch && !cfg.no_torch;
        char path[4200];
        snprintf(path, sizeof path, "%s/workload.bin", cfg.tmpdir);
        if (ok && (!cfg.no_peer || torch) && write_workload(path, w, s, labels) != 0) {
            fprintf(stderr, "bench: cannot write %s: %s\n", path, strerror(errno));
            ok = 0;
        }
        if (ok && !cfg.no_peer && run_peer(&cfg, w, path, 0, &o->peer) != 0)
            ok = 0;
        /* the PyTorch peer reports; it judges nothing (and may be absent) */
        for (int t = 0; ok && torch && t < 2; ++t)
            if (run_peer(&cfg, w, path, t ? 32 : 64, &o->torch[t]) != 0)
                fprintf(stderr, "bench: %s: the PyTorch peer (float%d) did not run\n", desc,
                        t ? 32 : 64);
        if (!cfg.no_peer || torch)
            unlink(path);
        free(s);
        free(labels);
        if (!ok) {
            ++failures;
            --nout;
            continue;
        }
        /* checks: threads, pruning, peer, single against double, today's
         * kernel against the chunked one */
        for (int prune = DENSE; prune <= PRUNED; ++prune)
            for (int kern = K_DOUBLE; kern <= K_LEGACY; ++kern) {
            int v1 = find_variant_k(o, 1, prune, kern), v2 = find_variant_k(o, 2, prune, kern);
            if (v1 >= 0 && v2 >= 0 &&
                (memcmp(o->lib[v1].res, o->lib[v2].res, sizeof o->lib[v1].res) != 0 ||
                 memcmp(o->lib[v1].se, o->lib[v2].se, sizeof o->lib[v1].se) != 0)) {
                o->threads_same = 0;
                fprintf(stderr, "bench: %s: 1 and 2 threads differ (%s, %s)\n", desc,
                        prune == DENSE ? "dense" : "pruned", kern_name(kern));
                ++failures;
            }
            }
        o->single_diff = NAN;
        for (int v = 0; v < o->nvar; ++v) {
            int vv = find_variant(o, o->w.threads[v], o->w.prune[v]);
            if (o->w.kern[v] == K_DOUBLE || vv < 0)
                continue;
            if (o->w.kern[v] == K_LEGACY &&
                (memcmp(o->lib[v].res, o->lib[vv].res, sizeof o->lib[v].res) != 0 ||
                 memcmp(o->lib[v].se, o->lib[vv].se, sizeof o->lib[v].se) != 0)) {
                fprintf(stderr, "bench: %s: today's kernel and the chunked one differ\n", desc);
                ++failures;
            }
            if (o->w.kern[v] != K_SINGLE)
                continue;
            for (int t = 0; t < NRES; ++t) {
                double dlt = fabs(o->lib[v].res[t] - o->lib[vv].res[t]);
                o->single_diff = isnan(o->single_diff) || dlt > o->single_diff ? dlt
                                                                                : o->single_diff;
            }
        }
        /* the documented guarantee: every summand within 2^-10, the MIs
         * (differences of two) within 2^-9 */
        if (!isnan(o->single_diff) && !(o->single_diff <= 0x1p-9)) {
            fprintf(stderr, "bench: %s: single precision moved a result by %.3g (more than "
                    "the guarantee, 2^-9)\n", desc, o->single_diff);
            ++failures;
        }
        if (!isnan(o->single_diff) && (isnan(worst_single) || o->single_diff > worst_single))
            worst_single = o->single_diff;
        int vd = find_variant(o, 2, DENSE);
        if (vd < 0)
            vd = find_variant(o, 1, DENSE);
        for (int v = 0; v < o->nvar; ++v) {
            if (o->w.prune[v] != PRUNED || o->w.kern[v] != K_DOUBLE)
                continue;
            int vv = find_variant(o, o->w.threads[v], DENSE);
            if (vv < 0)
                vv = vd;
            if (vv < 0)
                continue;
            for (int t = 0; t < NRES; ++t) {
                double dlt = fabs(o->lib[v].res[t] - o->lib[vv].res[t]);
                o->prune_diff = isnan(o->prune_diff) || dlt > o->prune_diff ? dlt
                                                                            : o->prune_diff;
            }
        }
        if (!isnan(o->prune_diff) && (isnan(worst_prune) || o->prune_diff > worst_prune))
            worst_prune = o->prune_diff;
        if (o->peer.ok && vd >= 0) {
            int bad = 0;
            for (int t = 0; t < NRES; ++t) {
                double lv = o->lib[vd].res[t], dlt = fabs(lv - o->peer.res[t]);
                double rel = dlt / (fabs(lv) > 1.0 ? fabs(lv) : 1.0);
                o->peer_diff = dlt > o->peer_diff ? dlt : o->peer_diff;
                worst_peer = rel > worst_peer ? rel : worst_peer;
                bad |= !(rel <= PEER_TOL);
            }
            if (bad) {
                fprintf(stderr, "bench: %s: the peer's estimate differs from the library's "
                        "by %.3g (more than %g relative)\n", desc, o->peer_diff, PEER_TOL);
                ++failures;
            }
        }
        for (int t = 0; t < 2; ++t) {
            o->torch_diff[t] = NAN;
            if (o->torch[t].ok && vd >= 0)
                for (int r = 0; r < NRES; ++r) {
                    double dlt = fabs(o->lib[vd].res[r] - o->torch[t].res[r]);
                    o->torch_diff[t] = isnan(o->torch_diff[t]) || dlt > o->torch_diff[t]
                                           ? dlt : o->torch_diff[t];
                }
        }
        print_json(o);
        int v2 = find_variant(o, 2, DENSE);
        fprintf(stderr, "[%3zu/%zu %6.1f s] %s: lib 2T %.4f s%s", i + 1, L.n, now() - t_start,
                desc, v2 >= 0 ? lib_median(&o->lib[v2]) : NAN, o->peer.ok ? "" : "\n");
        if (o->peer.ok)
            fprintf(stderr, ", peer %.4f s, %.1fx, |diff| %.1e\n", o->peer.median,
                    v2 >= 0 ? o->peer.median / lib_median(&o->lib[v2]) : NAN, o->peer_diff);
    }
    if (!cfg.no_peer || !cfg.no_torch)
        rmdir(tmpdir);
    char sliced_summary[1024];
    if (run_sliced(&cfg, sliced_summary, sizeof sliced_summary) != 0)
        ++failures;

    epoch_total E = epoch_sum(out, nout);
    if (E.layers != NET_SIZES - 1) /* not the whole epoch (--only) */
        E.layers = 0;
    if (E.layers > 0)
        epoch_json(&E);
    printf("\n");
    table_header();
    for (size_t i = 0; i < nout; ++i)
        table_rows(&out[i]);
    if (E.layers > 0)
        epoch_rows(&E);

    /* single precision, widths above 12, the PyTorch peer */
    printf("\nSingle precision (GCENT_PRECISION_SINGLE) against double, and above 12 "
           "coordinates against today's kernel (the generic loop of the previous release), "
           "2 threads; the peers at 2 threads (dense rows only):\n");
    ptable_header();
    for (size_t i = 0; i < nout; ++i)
        ptable_rows(&out[i]);
    if (E.layers > 0)
        ptable_epoch(&E);
    printf("sgl/dbl = double s / single s; dbl/tdy, sgl/tdy = today's kernel s / double s, "
           "/ single s; |s - d|: largest |single - double| over the results (guarantee: "
           "2^-10 per summand, 2^-9 for an MI); clustered: %d saturated patterns, 1.5 beta "
           "spread.\n", WIDE_CLUSTERS);
    if (!isnan(worst_single))
        printf("single precision: largest |single - double| over all results: %.3g\n",
               worst_single);

    /* plans over epochs (--only epochs: this section alone) */
    if (!cfg.only || strcmp(cfg.only, "epochs") == 0)
        failures += epochs_section(&cfg);
    double la[3] = {NAN, NAN, NAN};
    if (getloadavg(la, 3) < 0)
        la[0] = la[1] = la[2] = NAN;
    printf("\nload average at the end (1, 5, 15 min): %.2f %.2f %.2f (at the start: %s)\n",
           la[0], la[1], la[2], load_start);
    printf("\nlibgcent %s; method Monte Carlo everywhere; beta = %g; seed %u.\n",
           gcent_version_string(), BETA, SEED);
    printf("%s\n", netdesc);
    printf("lib: median of %d calls (%d below 2^24 pairs), forked per variant, %s; peer: "
           "bench/peer.py, %d threads, median of 5 (3 above 1e8 pairs), %s.\n",
           LIB_REPS, LIB_REPS_SMALL,
           cfg.cpu_time ? "CPU seconds of the process (--cpu-time)" : "wall time", PEER_THREADS,
           cfg.peer_clamp ? "exponents clamped at -700" : "scipy logsumexp, no clamping");
    printf("speedup = peer s / lib 2T s; MB+lib = increase of the library child's peak RSS "
           "over its size at fork; MBpeer = the peer's peak RSS.\n");
    if (cfg.prune_available)
        printf("pruning: present (%s), default tolerance %g; largest |dense - pruned| over "
               "all results: %.3g\n", cfg.prune_kind == PRUNE_SWITCH
               ? "GCENT_OPT_PRUNE on/off, GCENT_OPT_PRUNE_TOL" : "option 7, 0 = dense",
               cfg.prune_default, worst_prune);
    else
        printf("pruning: no pruning option in this library: dense only.\n");
    if (!cfg.no_peer)
        printf("peer check: largest |lib - peer| / max(1, |lib|) = %.3g (limit %g)\n",
               worst_peer, PEER_TOL);
    if (sliced_summary[0] != '\0')
        printf("%s\n", sliced_summary);
    printf("total wall time %.1f s; %d failure%s.\n", now() - t_start, failures,
           failures == 1 ? "" : "s");
    free(out);
    free(L.w);
    net_free();
    return failures ? 1 : 0;
}
