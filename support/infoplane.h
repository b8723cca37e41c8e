/* infoplane.h: the information-plane experiment of the noisy 12-bit network
 * (Goldfeld et al., ICML 2019), in pieces that a program puts together:
 * examples/noisy_mlp.c runs them in one process; a distributed program (one
 * process per MPI rank, say) can train identically, measure the same points
 * wherever it likes and write the same files, byte for byte.
 *
 * THE PIECES (support/infoplane.c unless said otherwise)
 *
 *   options      ip_options: noisy_mlp's command line (ip_option,
 *                ip_options_finish, ip_parse_args, ip_usage).
 *   experiment   ip_setup: the data (the generated 12-bit set or --data),
 *                the train/test split, the network, H(Y), the list of
 *                measured epochs, the buffers; ip_free.
 *   schedule     ip_train_epoch(ex, e, &loss) for e = 1, 2, .. --epochs, in
 *                order: one deterministic epoch of minibatch training (the
 *                shuffle and the noise come from the seed and e alone, so
 *                every process that runs the same epochs holds the same
 *                weights, bit for bit, with the same BLAS).
 *   points       measurement point p (0 .. ex->npoints - 1) is epoch
 *                ex->epochs[p]; ip_point_at(ex, e) finds it. A point has one
 *                measurement per hidden layer l = 1 .. ex->nh: the
 *                (epoch, layer) points, result ex->res[p * nh + l - 1].
 *                ip_sample_point(ex, p), right after epoch ex->epochs[p] is
 *                trained, computes what its measurements read: loss and
 *                accuracy (ex->loss_tr[p] ..), the noisy samples S_l of
 *                every input (k passes, noise tag p) and the noise-free pass.
 *   measurement  ip_layer_job_get(ex, p, l, &job) describes ONE (epoch,
 *                layer) measurement as plain arrays and numbers;
 *                ip_measure_local(ctx, &job, &res, ..) computes it with
 *                gcent_mi_layer and gcent_binned_entropy. Any function of
 *                the type ip_measure_fn may replace it (for instance one that
 *                splits the rows of h(T) into shards computed elsewhere and
 *                merged); the files are the same bytes when it gives the same
 *                ip_result.
 *   files        (infoplane_files.c) ip_output_open / ip_output_point /
 *                ip_output_finish: noisy_mlp.csv, the data files of the
 *                pictures and the gnuplot script noisy_mlp.gp, each written
 *                under NAME.part and renamed when complete; ip_plot runs
 *                gnuplot (the PNGs); ip_print_header and ip_print_summary
 *                print what noisy_mlp prints.
 *   progress     (infoplane_progress.c) the progress bar on stderr.
 *
 * RANDOMNESS. Everything comes from the seed (--seed): the network's
 * streams (mlp.h), the train/test split (stream IP_STREAM_SPLIT, above
 * mlp.h's streams and below the library's), the noise of the measurements
 * (mlp.h measurement tags: p for the samples of point p, IP_EVAL_TAG + 2p
 * and + 2p + 1 for the train and test loss passes) and the library's Monte
 * Carlo (GCENT_OPT_SEED = the seed, set by the caller on its context).
 *
 * Every int function returns 0 on success; on failure a non-zero value and,
 * when the function has an error buffer, a one-line reason in it. Nothing
 * here prints except ip_usage, ip_print_*, the progress bar, and
 * ip_parse_args / ip_options_finish (their messages about the command line,
 * on stderr). Not thread-safe: one experiment per thread. */
#ifndef INFOPLANE_H
#define INFOPLANE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <gcent.h>
#include "mlp.h"
#include "szt12.h"

#define IP_MAX_SNAPS 8 /* epochs of the distance histograms and scatter plots */
/* Stream of the train/test split: above mlp.h's streams (< 2^30), below the
 * library's (>= 2^32). */
#define IP_STREAM_SPLIT ((uint64_t)1 << 30)
/* Noise tags: the MI samples of point p use tag p; the loss/accuracy passes
 * use IP_EVAL_TAG + 2p (train) and IP_EVAL_TAG + 2p + 1 (test). */
#define IP_EVAL_TAG ((uint64_t)1 << 27)

/* ---- options ------------------------------------------------------------- */

typedef struct ip_options {
    int arch[MLP_MAX_SIZES], nsizes; /* layer sizes d_0 .. d_L */
    double beta, lr, width, test_frac;
    size_t epochs, batch, points, k, draws, threads;
    uint64_t seed;
    mlp_optimizer opt;
    const char *data_path, *outdir;  /* NULL data_path: the generated set */
    size_t snaps[IP_MAX_SNAPS], nsnaps;
    int quiet;
} ip_options;

/* The defaults of noisy_mlp (12-10-7-5-4-3-2, beta 0.1, 5000 epochs, ..). */
void ip_options_default(ip_options *o);

/* One command-line option `opt` with its value `val` (NULL when it has none).
 * Returns 2 when the option took the value, 1 when it takes none (--quiet),
 * 0 when `opt` is not one of noisy_mlp's options (the caller may know it),
 * -1 when the value is missing or bad. --help is the caller's. */
int ip_option(ip_options *o, const char *opt, const char *val);

/* After the options: the defaults that depend on others (lr, width, the
 * snapshot epochs) and the checks across options. 0, or 2 with a message
 * "PROG: ..." on stderr. */
int ip_options_finish(ip_options *o, const char *prog);

/* The whole command line: defaults, every option, ip_options_finish.
 * Returns 0 (run), 1 (--help printed on stdout: exit 0) or 2 (bad command
 * line: the message and the usage on stderr; exit 2). */
int ip_parse_args(ip_options *o, int argc, char **argv, const char *prog);

/* The usage text of noisy_mlp's options, the program named `prog`. */
void ip_usage(FILE *f, const char *prog);

/* ---- the experiment -------------------------------------------------------- */

/* One (epoch, layer) result. */
typedef struct ip_result {
    gcent_layer_mi mi; /* h(T_l), I(X;T_l), I(Y;T_l) of the noisy network */
    double hbin;       /* H(Bin(T_l)) of the noise-free pass */
} ip_result;

typedef struct ip_experiment {
    const ip_options *o;
    szt12_data data;          /* all m patterns: X uniform over them */
    size_t m;                 /* = data.n */
    double *xtr, *xte;        /* the split: ntr training, nte test patterns */
    int *ytr, *yte;
    size_t ntr, nte;
    double hy;                /* H(Y) over all patterns, nats */
    int nh;                   /* hidden layers: 1 .. nh */
    mlp *net;
    size_t *epochs, npoints;  /* the measured epochs, increasing */
    /* the samples of the last ip_sample_point, per hidden layer l:
     * sl[l-1]: m k rows of d_l (row i k + j: input i, pass j),
     * cl[l-1]: m rows of d_l (the noise-free pass) */
    double *sl[MLP_MAX_SIZES], *cl[MLP_MAX_SIZES];
    /* results: res[p * nh + l - 1]; loss and accuracy per point (test NaN
     * when there are no test patterns) */
    ip_result *res;
    double *loss_tr, *loss_te, *acc_tr, *acc_te;
    char err[512];            /* the reason of the last failure */
} ip_experiment;

/* Data, split, network, epochs and buffers for the options *o (kept by
 * pointer: *o must outlive *ex). Returns 0; 2 when the options do not fit the
 * data (a label beyond the output units, no training pattern left); 1 on
 * another failure (unreadable data, out of memory). ex->err says why; *ex
 * may then be given to ip_free. */
int ip_setup(ip_experiment *ex, const ip_options *o);
void ip_free(ip_experiment *ex);

/* Train epoch e (1-based; call for e = 1, 2, .. in order): one pass over the
 * training patterns (mlp_train_epoch of epoch e - 1). *loss (may be NULL):
 * the mean loss of the noisy passes taken. 0, or 1 with ex->err. */
int ip_train_epoch(ip_experiment *ex, size_t e, double *loss);

/* The point measured at epoch e, or -1 when e is not measured. */
long ip_point_at(const ip_experiment *ex, size_t e);

/* The result of (point p, layer l). */
ip_result *ip_result_at(const ip_experiment *ex, size_t p, int l);

/* After training epoch ex->epochs[p]: the loss and accuracy of point p and
 * the samples its measurements read (ex->sl, ex->cl). 0, or 1 with ex->err. */
int ip_sample_point(ip_experiment *ex, size_t p);

/* ---- one (epoch, layer) measurement ------------------------------------------ */

/* What one measurement reads: I(X;T_l), I(Y;T_l), h(T_l) from
 *     gcent_mi_layer(ctx, s, m, k, d, lds, labels, beta, &res.mi)
 * with GCENT_OPT_MC_DRAWS = draws, and H(Bin T_l) from
 *     gcent_binned_entropy(ctx, clean, m, d, d, width, &res.hbin).
 * Layer 1 is a function of x: k = 1 over every k-th sample row (lds = k d)
 * with k times the draws; deeper layers: all m k rows (lds = d). */
typedef struct ip_layer_job {
    size_t point, epoch;  /* point p and its epoch */
    int layer;            /* l = 1 .. nh */
    size_t d;             /* units of the layer */
    const double *s;      /* m k rows of S_l, row stride lds */
    size_t m, k, lds, draws;
    const int *labels;    /* m labels */
    double beta;          /* noise standard deviation */
    const double *clean;  /* m rows of d: the noise-free pass */
    double width;         /* bin width */
} ip_layer_job;

/* The job of (point p, layer l), reading the samples of the last
 * ip_sample_point (which must have been that of p). */
void ip_layer_job_get(const ip_experiment *ex, size_t p, int l, ip_layer_job *job);

/* A measurement: computes *out for *job (user: the function's own state).
 * 0, or non-zero with a one-line reason in err (errlen bytes). */
typedef int (*ip_measure_fn)(void *user, const ip_layer_job *job, ip_result *out, char *err,
                             size_t errlen);

/* The measurement of noisy_mlp: user is a gcent_ctx * whose seed and thread
 * count the caller set (GCENT_OPT_SEED = the experiment's seed); sets its
 * GCENT_OPT_MC_DRAWS to job->draws. */
int ip_measure_local(void *user, const ip_layer_job *job, ip_result *out, char *err,
                     size_t errlen);

/* ---- output files (infoplane_files.c) -------------------------------------------- */

typedef struct ip_output {
    FILE *csv, *dist, *scat[MLP_MAX_SIZES];
    size_t snap_epochs[IP_MAX_SNAPS], nsnaps; /* snapshots written */
    char err[512];
} ip_output;

/* Create the output folder (ex->o->outdir) and start noisy_mlp.csv (its
 * header), distances.dat and scatter_layerL.dat (2-D and 3-D layers), each
 * as NAME.part. 0, or 1 with out->err (then call ip_output_finish with
 * ok = 0 to close what was opened). */
int ip_output_open(ip_output *out, const ip_experiment *ex);

/* The rows of point p (one per hidden layer, from ex->res and the loss and
 * accuracy of p) into noisy_mlp.csv; when ex->epochs[p] is a snapshot epoch,
 * the distance histograms and scatter data of the samples of the last
 * ip_sample_point (which must have been that of p). 0, or 1 with out->err. */
int ip_output_point(ip_output *out, const ip_experiment *ex, size_t p);

/* ok != 0: write noisy_mlp_layers.dat and noisy_mlp.gp, close every file and
 * rename each NAME.part to NAME. ok == 0: close and remove the .part files.
 * 0, or 1 with out->err. */
int ip_output_finish(ip_output *out, const ip_experiment *ex, int ok);

/* Run gnuplot on noisy_mlp.gp in the output folder: 1 when the PNGs were
 * drawn, 0 when gnuplot is missing or failed. */
int ip_plot(const ip_experiment *ex);

/* What noisy_mlp prints before training (data, network, schedule) and after
 * it (the final loss and accuracy, per layer: I(X;T_l) first, largest and
 * last, I(Y;T_l), H(Bin), their correlation). `prog` names the program. */
void ip_print_header(FILE *f, const ip_experiment *ex, const char *prog);
int ip_print_summary(FILE *f, const ip_experiment *ex);

/* ---- progress bar (infoplane_progress.c) -------------------------------------- */

/* The progress of a run on stderr: on a terminal a bar redrawn at most every
 * 0.1 s (epoch, loss, accuracy, the layer being measured, elapsed time and
 * ETA), elsewhere one line per measured point. Times are wall-clock, for
 * display only. */
typedef struct ip_progress {
    int on, tty;
    double t0, last, mark;
    size_t epochs, points;
    size_t epoch, point;      /* epochs trained, points measured */
    double train_secs, meas_secs;
    double loss, acc_train, acc_test;
    int layer, nlayers;       /* layer being measured (0: training) */
    double frac;              /* progress within the current measurement */
} ip_progress;

/* Start the clock (on = 0: draw nothing, still keep the times). */
void ip_progress_start(ip_progress *p, const ip_experiment *ex, int on);
/* Epoch e trained with mean loss `loss` (since the last mark). */
void ip_progress_epoch(ip_progress *p, size_t e, double loss);
/* Measuring layer l of the current point. */
void ip_progress_layer(ip_progress *p, int l);
/* Point p measured (since the end of its epoch). */
void ip_progress_point(ip_progress *p, const ip_experiment *ex, size_t p_done);
/* A gcent_progress_fn (user: the ip_progress) for the library's calls. */
int ip_progress_cb(void *user, uint64_t done, uint64_t total);
/* End the bar's line; seconds since the start. */
double ip_progress_end(ip_progress *p);

#endif /* INFOPLANE_H */
