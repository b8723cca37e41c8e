/* mpi_infoplane: noisy_mlp's information-plane sweep on many processes (MPI).
 *
 *     mpirun -np 4 examples/mpi_infoplane --epochs 3000 --points 50 --out DIR
 *
 * takes noisy_mlp's options (--help lists them) and writes the same files into
 * --out: noisy_mlp.csv byte for byte what `noisy_mlp` writes with the same
 * options, for any number of ranks, and the same pictures.
 *
 * How the work is spread (support/mpi/infoplane_mpi.h has the details):
 *   - Training is cheap and serial: every rank trains the same network from
 *     the same seed (ip_train_epoch is deterministic), so every rank holds
 *     the same weights and, at a measured epoch, the same samples, without
 *     any communication. (Broadcasting rank 0's samples instead would cost
 *     m k H doubles -- 8 MB for the 12-bit network at k = 8 -- per point.)
 *   - At a measured epoch the (epoch, layer) points are cut into shards of
 *     rows, spread over the ranks in proportion to what each layer's rows
 *     cost (measured at the previous point), computed on per-layer plans,
 *     reduced to rank 0 with an MPI_Op that merges the partials exactly, and
 *     finished there. The results do not depend on the split.
 *   - Rank 0 writes the files (NAME.part, renamed when complete) and draws
 *     the progress bar.
 *   - A failing rank's reason reaches every rank at the next agreement (once
 *     per point and at the end); all ranks then stop, rank 0 prints
 *     "mpi_infoplane: rank R: reason" and the job exits with status 1,
 *     leaving only .part files. A rank that dies is handled by the MPI
 *     runtime, which ends the job.
 * docs/scaling.md: running under Slurm or with a hostfile, costs, limits. */
#include <stdio.h>
#include <mpi.h>
#include <gcent.h>
#include "infoplane.h"
#include "infoplane_mpi.h"

static const char *const PROG = "mpi_infoplane";

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    ip_options o;
    ipm_balance balance;
    int rc = ipm_parse_args(&o, &balance, argc, argv, PROG, rank); /* the same on every rank */
    if (rc != 0) {
        MPI_Finalize();
        return rc == 1 ? 0 : 2;
    }

    ip_experiment ex;
    ip_output out = {.csv = NULL};
    ip_progress pr;
    ipm c;
    char why[600];
    ipm_init(&c, MPI_COMM_WORLD, o.seed, o.threads, balance, o.nsizes - 2);
    if (!c.failed && ip_setup(&ex, &o) != 0)
        ipm_fail(&c, "%s", ex.err);
    if (rank == 0 && !c.failed && ip_output_open(&out, &ex) != 0)
        ipm_fail(&c, "%s", out.err);
    if (ipm_agree(&c, why, sizeof why))
        goto failed;
    if (rank == 0)
        ip_print_header(stdout, &ex, PROG);
    ip_progress_start(&pr, &ex, rank == 0 && !o.quiet);

    /* every rank trains; at every measured epoch, all measure its layers */
    for (size_t e = 1; e <= o.epochs; ++e) {
        double loss = 0;
        if (!c.failed && ip_train_epoch(&ex, e, &loss) != 0)
            ipm_fail(&c, "%s", ex.err);
        ip_progress_epoch(&pr, e, loss);
        long p = ip_point_at(&ex, e);
        if (p < 0)
            continue;
        if (!c.failed && ip_sample_point(&ex, (size_t)p) != 0)
            ipm_fail(&c, "%s", ex.err);
        ip_layer_job jobs[IPM_MAX_LAYERS];
        for (int l = 1; l <= ex.nh; ++l)
            ip_layer_job_get(&ex, (size_t)p, l, &jobs[l - 1]);
        if (ipm_measure_point(&c, jobs, ip_result_at(&ex, (size_t)p, 1), rank == 0 ? &pr : NULL,
                              why, sizeof why))
            goto failed;
        if (rank == 0 && !c.failed && ip_output_point(&out, &ex, (size_t)p) != 0)
            ipm_fail(&c, "%s", out.err);
        ip_progress_point(&pr, &ex, (size_t)p);
    }
    double secs = ip_progress_end(&pr);
    if (rank == 0 && !c.failed && ip_output_finish(&out, &ex, 1) != 0)
        ipm_fail(&c, "%s", out.err);
    if (ipm_agree(&c, why, sizeof why))
        goto failed;

    if (rank == 0) {
        if (ip_print_summary(stdout, &ex) != 0)
            fprintf(stderr, "%s: out of memory (the summary)\n", PROG);
        int plotted = ip_plot(&ex);
        printf("wrote %s/noisy_mlp.csv%s\n", o.outdir,
               plotted ? ", infoplane.png, mi_vs_epoch.png, distances.png and the scatter plots"
                       : " and noisy_mlp.gp (install gnuplot for the PNGs)");
        printf("time %.1f s (training %.1f s, measurements %.1f s)\n", secs, pr.train_secs,
               pr.meas_secs);
        ipm_print_stats(stdout, &c, pr.train_secs);
    }
    rc = 0;
    goto done;

failed:
    if (rank == 0)
        fprintf(stderr, "\n%s: %s\n", PROG, why);
    rc = 1;
done:
    if (rank == 0)
        ip_output_finish(&out, &ex, 0); /* after a failure: closes, leaves only .part files */
    ip_free(&ex);
    ipm_free(&c);
    MPI_Finalize();
    return rc;
}
