/* mpi_scale: the scale case of docs/scaling.md -- one information-plane point
 * of a large noisy network measured by all MPI ranks, with the costs that the
 * scaling model needs.
 *
 *     mpirun -np 2 examples/mpi_scale                  (defaults below)
 *
 * The task is a 14-bit variant of the 12-bit one: all m = 2^14 = 16384
 * patterns of --bits bits (inputs 0.0/1.0), labelled by a random halfspace
 * (a "teacher" w ~ N(0, I) drawn from the seed: y = 1 when w.(2x - 1) > 0).
 * The network has six noisy hidden layers, 14-12-10-7-5-4-3-2 (--arch), is
 * trained for --epochs epochs of Adam on all patterns, and then its point is
 * measured with k = 8 noisy passes per input: layer 1 with 16384 centres and
 * 131072 queries, layers 2-6 with 131072 centres and 131072 queries each,
 * 8.8e10 (query, centre) pairs in all.
 *
 * The point is measured --repeat times (default 3) with the same samples: the
 * first split of the rows follows the pair counts, the later ones the times
 * measured at the previous repetition (support/mpi/infoplane_mpi.h); the
 * results must be the same bits every time (checked). Rank 0 prints the
 * point, the time of each repetition, the costs the model of
 * docs/scaling.md is made of (training, sampling, the fixed cost of a
 * shard, the pair work, the reduction), the model's prediction for --predict
 * ranks, and every rank's peak resident memory. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mpi.h>
#include <gcent.h>
#include "infoplane_mpi.h"
#include "mlp.h"

static const char *const PROG = "mpi_scale";
#define TEACHER_STREAM ((uint64_t)1 << 31) /* caller streams: 2^30 .. 2^32-1 (mlp.h) */

typedef struct scale_options {
    int arch[MLP_MAX_SIZES], nsizes;
    size_t bits, k, draws, epochs, batch, threads, repeat, predict;
    double beta, lr;
    uint64_t seed;
    ipm_balance balance;
} scale_options;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: mpirun -np N %s [options]\n"
            "One information-plane point of a noisy network on all 2^bits patterns,\n"
            "measured by all ranks, with the costs of docs/scaling.md's model.\n"
            "  --bits B      input bits, m = 2^B patterns (default 14; 4 .. 20)\n"
            "  --arch A      layer sizes (default B-12-10-7-5-4-3-2: six hidden layers)\n"
            "  --k N         noisy passes per input (default 8)\n"
            "  --draws N     Monte Carlo draws per sample (default 1)\n"
            "  --beta B      noise standard deviation (default 0.1)\n"
            "  --epochs N    Adam epochs before the measurement (default 100)\n"
            "  --batch N     minibatch (default 256)\n"
            "  --lr R        learning rate (default 0.001)\n"
            "  --seed S      seed of everything (default 1)\n"
            "  --threads N   library threads per rank (default 0: the rank's share)\n"
            "  --balance B   time or pairs (default time)\n"
            "  --repeat N    measurements of the point (default 3)\n"
            "  --predict N   ranks of the model's prediction (default 64)\n",
            PROG);
}

static int parse_arch(const char *txt, scale_options *o)
{
    int n = 0;
    const char *p = txt;
    while (*p && n < MLP_MAX_SIZES) {
        char *end;
        long v = strtol(p, &end, 10);
        if (end == p || v < 1 || v > 1000)
            return -1;
        o->arch[n++] = (int)v;
        p = *end == '-' ? end + 1 : end;
        if (*end != '-' && *end != '\0')
            return -1;
    }
    o->nsizes = n;
    return *p == '\0' && n >= 3 ? 0 : -1;
}

/* 0 run, 1 help, 2 bad (message on stderr when `speak`). */
static int parse(scale_options *o, int argc, char **argv, int speak)
{
    *o = (scale_options){.bits = 14, .k = 8, .draws = 1, .epochs = 100, .batch = 256,
                         .repeat = 3, .predict = 64, .beta = 0.1, .lr = 1e-3, .seed = 1};
    const char *arch = NULL;
    for (int a = 1; a < argc; ++a) {
        const char *opt = argv[a], *val = a + 1 < argc ? argv[a + 1] : "";
        char *end = NULL;
        double v = strtod(val, &end);
        int num = *val != '\0' && *end == '\0' && v >= 0;
        size_t z = num && v == floor(v) && v < 1e9 ? (size_t)v : 0;
        int bad = 0;
        if (strcmp(opt, "--help") == 0) {
            if (speak)
                usage(stdout);
            return 1;
        } else if (strcmp(opt, "--arch") == 0) {
            arch = val;
        } else if (strcmp(opt, "--balance") == 0) {
            bad = strcmp(val, "time") != 0 && strcmp(val, "pairs") != 0;
            o->balance = strcmp(val, "pairs") == 0 ? IPM_BALANCE_PAIRS : IPM_BALANCE_TIME;
        } else if (strcmp(opt, "--beta") == 0 || strcmp(opt, "--lr") == 0) {
            bad = !(num && v > 0 && v < 10);
            *(strcmp(opt, "--beta") == 0 ? &o->beta : &o->lr) = v;
        } else {
            static const char *const names[] = {"--bits", "--k", "--draws", "--epochs",
                                                "--batch", "--threads", "--repeat", "--predict",
                                                "--seed"};
            size_t *dst[] = {&o->bits, &o->k, &o->draws, &o->epochs, &o->batch, &o->threads,
                             &o->repeat, &o->predict, NULL};
            size_t i = 0;
            while (i < 9 && strcmp(opt, names[i]) != 0)
                ++i;
            bad = i == 9 || !num || v != floor(v);
            if (!bad && i == 8)
                o->seed = (uint64_t)v;
            else if (!bad)
                *dst[i] = z;
        }
        if (bad) {
            if (speak) {
                fprintf(stderr, "%s: bad option or value: %s %s\n", PROG, opt, val);
                usage(stderr);
            }
            return 2;
        }
        ++a;
    }
    char def[64];
    snprintf(def, sizeof def, "%zu-12-10-7-5-4-3-2", o->bits);
    if (o->bits < 4 || o->bits > 20 || o->k < 1 || o->draws < 1 || o->batch < 1 ||
        o->repeat < 1 || o->predict < 1 || parse_arch(arch ? arch : def, o) != 0 ||
        o->arch[0] != (int)o->bits || o->arch[o->nsizes - 1] != 2) {
        if (speak)
            fprintf(stderr, "%s: bad sizes: --bits 4..20, --arch B-..-2 (first = bits, last 2), "
                            "k, draws, batch, repeat, predict >= 1\n", PROG);
        return 2;
    }
    return 0;
}

/* All 2^bits patterns (binary counting order) and the teacher's labels. */
static int make_data(const scale_options *o, double **x, int **y)
{
    const size_t m = (size_t)1 << o->bits, B = o->bits;
    double w[32];
    *x = malloc(m * B * sizeof **x);
    *y = malloc(m * sizeof **y);
    if (*x == NULL || *y == NULL)
        return -1;
    gcent_rng_normals(o->seed, TEACHER_STREAM, 0, B, w);
    for (size_t i = 0; i < m; ++i) {
        double s = 0;
        for (size_t j = 0; j < B; ++j) {
            double bit = (double)((i >> (B - 1 - j)) & 1u);
            (*x)[i * B + j] = bit;
            s += w[j] * (2 * bit - 1);
        }
        (*y)[i] = s > 0;
    }
    return 0;
}

/* Rank 0: the fixed cost of a shard of each layer (an empty one: checks,
 * fingerprint, packing of all centres), on plans of its own: wall time f[l]
 * and CPU time fc[l] (the second of two runs). */
static void fixed_costs(gcent_ctx *ctx, const ip_layer_job *jobs, int L, double *f, double *fc)
{
    gcent_partial *part = malloc(sizeof *part);
    for (int l = 0; l < L; ++l) {
        gcent_plan *plan = NULL;
        f[l] = fc[l] = NAN;
        if (part == NULL || gcent_ctx_set(ctx, GCENT_OPT_MC_DRAWS, (double)jobs[l].draws) ||
            gcent_plan_mi_layer(ctx, jobs[l].m, jobs[l].k, jobs[l].d, jobs[l].labels,
                                jobs[l].beta, &plan))
            continue;
        for (int rep = 0; rep < 2; ++rep) { /* the second: warm */
            double t = MPI_Wtime(), cpu = ipm_cpu_secs();
            if (gcent_plan_execute_mi_partial(plan, jobs[l].s, jobs[l].lds, 0, 0, part) ==
                GCENT_OK)
                f[l] = MPI_Wtime() - t, fc[l] = ipm_cpu_secs() - cpu;
        }
        gcent_plan_free(plan);
    }
    free(part);
}

/* The model of docs/scaling.md for N ranks of one core each: per point,
 * sampling + the fixed costs of the layers a rank touches + the pair work / N
 * + the reduction (ceil(log2 N) steps of latency + L slots over the link) +
 * the finish. */
static double model_point(size_t N, double sample, const double *f, int L, double work,
                          double finish)
{
    const double latency = 50e-6, bandwidth = 1e9; /* assumed link: 10 GbE */
    double fmax = 0, fsum = 0;
    for (int l = 0; l < L; ++l)
        fmax = fmax > f[l] ? fmax : f[l], fsum += f[l];
    double touched = (double)((L + N - 1) / N + 1);
    double fixed = touched * fmax < fsum ? touched * fmax : fsum;
    double steps = ceil(log2((double)N));
    return sample + fixed + work / (double)N +
           steps * (latency + (double)L * 16640.0 / bandwidth) + finish;
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    scale_options o;
    int rc = parse(&o, argc, argv, rank == 0);
    if (rc != 0) {
        MPI_Finalize();
        return rc == 1 ? 0 : 2;
    }
    const int L = o.nsizes - 2;
    const size_t m = (size_t)1 << o.bits;
    size_t H = 0;
    for (int l = 1; l <= L; ++l)
        H += (size_t)o.arch[l];
    double *x = NULL, *sl = NULL, *cl = NULL, t_train = 0, t_sample = 0, c_train, c_sample;
    int *y = NULL;
    mlp *net = NULL;
    ip_result *res = calloc(o.repeat * (size_t)L, sizeof *res);
    ipm c;
    char why[600];
    ipm_init(&c, MPI_COMM_WORLD, o.seed, o.threads, o.balance, L);
    if (!c.failed && (res == NULL || make_data(&o, &x, &y) != 0 ||
                      (sl = malloc(m * o.k * H * sizeof *sl)) == NULL ||
                      (cl = malloc(m * H * sizeof *cl)) == NULL))
        ipm_fail(&c, "out of memory (data and samples: %.0f MiB)",
                 (double)(m * (o.k + 1) * H + m * o.bits) * 8 / 1048576.0);
    int st = MLP_OK;
    if (!c.failed && (st = mlp_create(&net, o.arch, o.nsizes, o.beta, o.seed)) != MLP_OK)
        ipm_fail(&c, "mlp_create: %s", mlp_strerror(st));
    /* every rank trains and samples the same network */
    double t = MPI_Wtime(), cpu = ipm_cpu_secs(), loss = 0;
    for (size_t e = 0; e < o.epochs && !c.failed; ++e)
        if ((st = mlp_train_epoch(net, x, y, m, o.batch, MLP_ADAM, o.lr, e, &loss)) != MLP_OK)
            ipm_fail(&c, "mlp_train_epoch: %s", mlp_strerror(st));
    t_train = MPI_Wtime() - t;
    c_train = ipm_cpu_secs() - cpu;
    double *slp[MLP_MAX_SIZES] = {NULL}, *clp[MLP_MAX_SIZES] = {NULL};
    ip_layer_job jobs[IPM_MAX_LAYERS];
    for (int l = 1, off = 0; l <= L && !c.failed; off += o.arch[l], ++l) {
        const size_t d = (size_t)o.arch[l];
        slp[l - 1] = sl + m * o.k * (size_t)off;
        clp[l - 1] = cl + m * (size_t)off;
        jobs[l - 1] = (ip_layer_job){.point = 0, .epoch = o.epochs, .layer = l, .d = d,
                                     .s = slp[l - 1], .m = m, .k = l == 1 ? 1 : o.k,
                                     .lds = l == 1 ? o.k * d : d,
                                     .draws = l == 1 ? o.k * o.draws : o.draws, .labels = y,
                                     .beta = o.beta, .clean = clp[l - 1], .width = o.beta};
    }
    t = MPI_Wtime(), cpu = ipm_cpu_secs();
    if (!c.failed && ((st = mlp_layer_samples(net, x, m, o.k, 0, slp)) != MLP_OK ||
                      (st = mlp_layer_samples(net, x, m, 1, MLP_TAG_NOISELESS, clp)) != MLP_OK))
        ipm_fail(&c, "mlp_layer_samples: %s", mlp_strerror(st));
    t_sample = MPI_Wtime() - t;
    c_sample = ipm_cpu_secs() - cpu;
    if (ipm_agree(&c, why, sizeof why))
        goto failed;
    if (rank == 0) {
        printf("%s: %d ranks x %zu threads; m = %zu patterns (%zu bits), k = %zu, network ",
               PROG, size, c.threads, m, o.bits, o.k);
        for (int l = 0; l < o.nsizes; ++l)
            printf("%s%d", l ? "-" : "", o.arch[l]);
        printf(", beta %g, %zu epochs (loss %.4f)\n", o.beta, o.epochs, loss);
    }

    double t_point[64] = {0};
    for (size_t r = 0; r < o.repeat; ++r) {
        MPI_Barrier(MPI_COMM_WORLD);
        t = MPI_Wtime();
        if (ipm_measure_point(&c, jobs, res + r * (size_t)L, NULL, why, sizeof why))
            goto failed;
        if (r < 64)
            t_point[r] = MPI_Wtime() - t;
        if (rank == 0 && !c.failed && r > 0 && memcmp(res, res + r * (size_t)L, L * sizeof *res))
            ipm_fail(&c, "repetition %zu gave other bits than the first", r + 1);
        if (ipm_agree(&c, why, sizeof why))
            goto failed;
    }
    double peak = ipm_peak_mib(), *peaks = rank == 0 ? malloc((size_t)size * sizeof *peaks) : NULL;
    MPI_Gather(&peak, 1, MPI_DOUBLE, peaks, 1, MPI_DOUBLE, 0, MPI_COMM_WORLD);
    if (rank == 0) {
        printf("layer units      rows   h(T)     I(X;T)   (se)      I(Y;T)   (se)      H(Bin)\n");
        for (int l = 0; l < L; ++l) {
            const ip_result *q = &res[l];
            printf("%5d %5zu %9zu %8.4f %8.4f (%.1e) %8.4f (%.1e) %8.4f\n", l + 1, jobs[l].d,
                   jobs[l].m * jobs[l].k, q->mi.ht.value, q->mi.ixt.value, q->mi.ixt.se,
                   q->mi.iyt.value, q->mi.iyt.se, q->hbin);
        }
        printf("time per measurement of the point:");
        for (size_t r = 0; r < o.repeat && r < 64; ++r)
            printf(" %.2f s", t_point[r]);
        printf(" (the first split by pairs%s)\n",
               o.balance == IPM_BALANCE_TIME ? ", later ones by the times measured" : "");
        double f[IPM_MAX_LAYERS], fc[IPM_MAX_LAYERS];
        fixed_costs(c.ctx, jobs, L, f, fc);
        const double E = (double)(o.epochs ? o.epochs : 1), fin = c.st.finish_secs / o.repeat;
        printf("costs (wall here | CPU): training %.4f | %.4f s per epoch, sampling %.3f | "
               "%.3f s per point, pair work %.2f | %.2f s per point (summed over the ranks), "
               "finish on rank 0 %.3f s; fixed cost of a shard per layer (s):", t_train / E,
               c_train / E, t_sample, c_sample, c.st.total_work_secs, c.st.total_cpu_secs, fin);
        for (int l = 0; l < L; ++l)
            printf(" %.3f|%.3f", f[l], fc[l]);
        printf("\nmodel from the CPU times, N ranks of one core each, per point:");
        for (size_t N = 1; N <= o.predict; N *= 2)
            printf(" %zu: %.2f s%s", N, model_point(N, c_sample, fc, L, c.st.total_cpu_secs, fin),
                   N * 2 <= o.predict ? "," : "");
        if ((o.predict & (o.predict - 1)) != 0)
            printf(", %zu: %.2f s", o.predict,
                   model_point(o.predict, c_sample, fc, L, c.st.total_cpu_secs, fin));
        printf("\n");
        printf("peak resident memory per rank (MiB):");
        for (int r = 0; r < size && peaks; ++r)
            printf(" %.0f", peaks[r]);
        printf("\n");
        ipm_print_stats(stdout, &c, t_train);
    }
    free(peaks);
    rc = 0;
    goto done;

failed:
    if (rank == 0)
        fprintf(stderr, "%s: %s\n", PROG, why);
    rc = 1;
done:
    mlp_free(net);
    free(x), free(y), free(sl), free(cl), free(res);
    ipm_free(&c);
    MPI_Finalize();
    return rc;
}
