/* noisy_mlp: the information plane of a noisy tanh network during training
 * (Goldfeld et al., "Estimating Information Flow in Deep Neural Networks",
 * ICML 2019), on the 12-bit data set of Shwartz-Ziv & Tishby (2017).
 *
 * The network (support/mlp.h) is 12-10-7-5-4-3-2 by default: tanh hidden
 * layers whose every output gets Gaussian noise N(0, beta^2), in training and
 * in measurement, and a softmax output. It is trained by minibatch Adam (or
 * SGD) on a random 80% of the 4096 patterns. At log-spaced epochs the program
 * measures every hidden layer T_l with libgcent:
 *
 *   I(X;T_l), I(Y;T_l)  gcent_mi_layer, X uniform over ALL the patterns (train
 *                       and test), from k noisy passes per input (k = 1 for
 *                       layer 1, whose S_1 is a function of x);
 *   H(Bin(T_l))         gcent_binned_entropy of the noise-free pass of the same
 *                       weights (the deterministic network that earlier work
 *                       binned), bin width --width (default: beta);
 *   loss and accuracy   of the noisy network (one noisy pass) on the training
 *                       and the test patterns.
 *
 * and, at a few chosen epochs, the pairwise distances of the representations
 * (within and between classes) and scatter plots of the 2-D/3-D layers.
 * Writes noisy_mlp.csv (one row per epoch x layer) and gnuplot pictures into
 * the output folder; a progress bar goes to stderr. --help lists the options.
 *
 * The bin width. Goldfeld et al. set the binned entropy of the deterministic
 * network beside I(X;T_l) of the noisy one and found them to rise and fall
 * together, both following how the representations cluster; for that the
 * bins must resolve the scale the noise resolves (the authors' released code,
 * github.com/kgreenewald/smoothMI, bins at 0.007 for noise 0.005). Here the
 * default width is beta: representations closer than beta are blurred
 * together by the noise, and bins of width beta resolve about what the
 * noisy channel resolves.
 *
 * Cost: layer l > 1 is a mixture of 4096 k centres, evaluated at 4096 k
 * queries (draws = 1): (4096 k)^2 pairs per layer and point.
 *
 * The pieces (options, data and split, the deterministic training schedule,
 * the measured (epoch, layer) points, the measurement of one point, the
 * files and the progress bar) are in support/infoplane.h and its .c files;
 * this main puts them together. To measure in your own training loop, keep
 * the loop below and replace ip_train_epoch by your training, or replace
 * ip_measure_local by your own ip_measure_fn. */
#include <stdio.h>
#include <gcent.h>
#include "infoplane.h"

static const char *const PROG = "noisy_mlp";

int main(int argc, char **argv)
{
    ip_options o;
    int rc = ip_parse_args(&o, argc, argv, PROG);
    if (rc != 0)
        return rc == 1 ? 0 : 2;

    ip_experiment ex;
    ip_output out = {.csv = NULL};
    ip_progress pr;
    gcent_ctx *ctx = NULL;
    char err[600];
    int st;
    if ((rc = ip_setup(&ex, &o)) != 0) {
        fprintf(stderr, "%s: %s\n", PROG, ex.err);
        ip_free(&ex);
        return rc;
    }
    rc = 1;
    ip_progress_start(&pr, &ex, !o.quiet);
    if ((st = gcent_ctx_create(&ctx)) != GCENT_OK) {
        fprintf(stderr, "%s: gcent_ctx_create: %s\n", PROG, gcent_strerror(st));
        goto done;
    }
    if ((st = gcent_ctx_set(ctx, GCENT_OPT_SEED, (double)o.seed)) != GCENT_OK ||
        (st = gcent_ctx_set(ctx, GCENT_OPT_THREADS, (double)o.threads)) != GCENT_OK ||
        (st = gcent_ctx_set_progress(ctx, o.quiet ? NULL : ip_progress_cb, &pr)) != GCENT_OK) {
        fprintf(stderr, "%s: gcent_ctx_set: %s (%s)\n", PROG, gcent_strerror(st),
                gcent_ctx_errmsg(ctx));
        goto done;
    }
    if (ip_output_open(&out, &ex) != 0) {
        fprintf(stderr, "%s: %s\n", PROG, out.err);
        goto done;
    }
    ip_print_header(stdout, &ex, PROG);

    /* train; at every measured epoch, measure every hidden layer */
    for (size_t e = 1; e <= o.epochs; ++e) {
        double loss;
        if (ip_train_epoch(&ex, e, &loss) != 0)
            goto failed;
        ip_progress_epoch(&pr, e, loss);
        long p = ip_point_at(&ex, e);
        if (p < 0)
            continue;
        if (ip_sample_point(&ex, (size_t)p) != 0)
            goto failed;
        for (int l = 1; l <= ex.nh; ++l) {
            ip_layer_job job;
            ip_layer_job_get(&ex, (size_t)p, l, &job);
            ip_progress_layer(&pr, l);
            if (ip_measure_local(ctx, &job, ip_result_at(&ex, (size_t)p, l), err, sizeof err)) {
                fprintf(stderr, "\n%s: %s\n", PROG, err);
                goto done;
            }
        }
        if (ip_output_point(&out, &ex, (size_t)p) != 0) {
            fprintf(stderr, "\n%s: %s\n", PROG, out.err);
            goto done;
        }
        ip_progress_point(&pr, &ex, (size_t)p);
    }
    double secs = ip_progress_end(&pr);

    if (ip_output_finish(&out, &ex, 1) != 0) {
        fprintf(stderr, "%s: %s\n", PROG, out.err);
        goto done;
    }
    if (ip_print_summary(stdout, &ex) != 0) {
        fprintf(stderr, "%s: out of memory\n", PROG);
        goto done;
    }
    int plotted = ip_plot(&ex);
    printf("wrote %s/noisy_mlp.csv%s\n", o.outdir,
           plotted ? ", infoplane.png, mi_vs_epoch.png, distances.png and the scatter plots"
                   : " and noisy_mlp.gp (install gnuplot for the PNGs)");
    printf("time %.1f s (training %.1f s, measurements %.1f s)\n", secs, pr.train_secs,
           pr.meas_secs);
    rc = 0;
    goto done;

failed:
    fprintf(stderr, "\n%s: %s\n", PROG, ex.err);
done:
    ip_output_finish(&out, &ex, 0); /* after a failure: closes, leaves the .part files */
    gcent_ctx_free(ctx);
    ip_free(&ex);
    return rc;
}
