/* wideplane.h: the sliced information plane of a wide noisy network trained
 * on a labelled data set read from CSV (examples/wide_mlp.c), in pieces:
 * options, data, the training schedule, one measured point, the files.
 *
 * THE EXPERIMENT. A noisy tanh MLP (support/mlp.h; d_0 = the data's
 * features, hidden widths from --arch, one output per class, noise beta) is
 * trained by Adam on all m patterns (X uniform over them, Y their labels).
 * At log-spaced epochs (0, then --points - 1 epochs spread evenly in
 * log(epoch) up to --epochs), for every hidden layer l:
 *   SI_1(X;T_l), SI_1(Y;T_l)  gcent_sliced_mi_layer, q = 1, --slices slices;
 *   SI_2(X;T_l), SI_2(Y;T_l)  the same with q = 2, --slices2 slices;
 *   I(X;T_l), I(Y;T_l)        gcent_mi_layer (sample propagation, Monte
 *                             Carlo), which at these widths saturates at
 *                             ln m: every noisy sample is far from all others.
 * Layer 1 is a function of x: its rows are one per input (k = 1); deeper
 * layers get k noisy passes through the layers below (--k). The slices are
 * the same at every epoch (the context's seed), so the curves compare the
 * same directions.
 *
 * DATA. A CSV file: one header line, then one row per pattern: the features
 * (numbers), then the label (an integer 0 .. classes - 1) in the last
 * column. The features are divided by the largest |value| of the file (so
 * the digits' pixels 0 .. 16 become 0 .. 1). For the handwritten digits that
 * Debian's python3-sklearn ships (1797 patterns, 8 x 8 pixels, 10 classes):
 *
 *   /usr/bin/python3 -c "from sklearn.datasets import load_digits; import numpy as np; d = load_digits(); np.savetxt('digits.csv', np.column_stack([d.data, d.target]), fmt='%d', delimiter=',', header=','.join(['p%d' % i for i in range(64)] + ['y']), comments='')"
 *
 * FILES (in --out): wide_mlp.csv (one row per epoch and layer),
 * wide_mlp_layers.dat (the same by layer, for gnuplot), wide_mlp.gp and,
 * when gnuplot is installed, wide_mlp.png (the sliced information plane).
 *
 * RANDOMNESS. Everything comes from --seed: the network (mlp.h), the noise
 * of the samples of point p (mlp.h measurement tag p) and of its loss pass
 * (tag WP_EVAL_TAG + p), the slices and the library's Monte Carlo
 * (GCENT_OPT_SEED). Every int function returns 0 on success, non-zero with a
 * one-line reason in ex->err (or err) on failure. */
#ifndef WIDEPLANE_H
#define WIDEPLANE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <gcent.h>
#include "mlp.h"

#define WP_EVAL_TAG ((uint64_t)1 << 27)

typedef struct wp_options {
    int hidden[MLP_MAX_SIZES - 2], nhidden; /* --arch: hidden widths */
    double beta, lr;
    size_t epochs, points, batch, k, slices, slices2, draws, threads;
    uint64_t seed;
    const char *data_path, *outdir;
    int quiet;
} wp_options;

/* The command line. 0: run; 1: --help printed (exit 0); 2: bad command line,
 * message and usage on stderr (exit 2). */
int wp_parse_args(wp_options *o, int argc, char **argv);

/* One measured (epoch, layer) point. */
typedef struct wp_point {
    size_t epoch;
    int layer, width;
    double loss, accuracy;    /* of a noisy pass over all patterns */
    gcent_sliced_mi si1, si2; /* q = 1 and q = 2 */
    gcent_layer_mi sp;        /* the full sample-propagation estimate */
} wp_point;

typedef struct wp_experiment {
    const wp_options *o;
    double *x;                /* m x dim features, scaled */
    int *y;                   /* m labels */
    size_t m, dim;
    int classes;
    double hy;                /* H(Y), nats */
    int arch[MLP_MAX_SIZES], nsizes;
    mlp *net;
    gcent_ctx *ctx;
    size_t *epochs, npoints;  /* the measured epochs */
    double *s[MLP_MAX_SIZES]; /* samples S_l of the current point */
    wp_point *pts;            /* npoints x nhidden */
    FILE *csv;
    double t0;
    char err[512];
} wp_experiment;

/* Data, network, schedule, buffers, context, the output folder and the CSV
 * header. On failure *ex may be given to wp_close(ex, 0). */
int wp_open(wp_experiment *ex, const wp_options *o);
/* Train epoch e = 1, 2, .. (in order); *loss: mean loss of its noisy passes. */
int wp_train(wp_experiment *ex, size_t e, double *loss);
/* The point measured at epoch e, or -1. */
long wp_point_at(const wp_experiment *ex, size_t e);
/* Measure point p (after its epoch was trained): every hidden layer, the
 * CSV rows, a progress line on stderr. */
int wp_measure(wp_experiment *ex, size_t p);
/* ok: write wide_mlp_layers.dat and wide_mlp.gp, run gnuplot, print the
 * summary; then free everything. Returns 0, or 1 (ex->err) on a failure. */
int wp_close(wp_experiment *ex, int ok);

#endif /* WIDEPLANE_H */
