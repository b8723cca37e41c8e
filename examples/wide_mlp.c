/* wide_mlp: the sliced information plane of a wide noisy network on real
 * data (the handwritten digits of Debian's python3-sklearn, exported to CSV
 * by the one-line command in README.md).
 *
 * A noisy tanh MLP 64-64-128-64-32-10 (beta = 0.1) is trained on all 1797
 * digits; at log-spaced epochs every hidden layer T_l gets SI_1(X;T_l),
 * SI_1(Y;T_l), SI_2(X;T_l), SI_2(Y;T_l) (gcent_sliced_mi_layer) next to the
 * full sample-propagation estimate I(X;T_l), I(Y;T_l) (gcent_mi_layer),
 * which at these widths sits at ln m = 7.49 nats whatever the network does.
 * Writes wide_mlp.csv and the picture wide_mlp.png (gnuplot); progress on
 * stderr. The pieces (options, data, schedule, measurement, files) are in
 * support/wideplane.c.
 *
 *   wide_mlp --data digits.csv --out wide_mlp_out
 *   wide_mlp --data digits.csv --epochs 20 --points 4 --slices 40   (quick) */
#include <stdio.h>
#include "wideplane.h"

int main(int argc, char **argv)
{
    wp_options o;
    int a = wp_parse_args(&o, argc, argv);
    if (a != 0)
        return a == 1 ? 0 : 2;
    wp_experiment ex;
    int rc = wp_open(&ex, &o);
    for (size_t e = 0; rc == 0 && e <= o.epochs; ++e) {
        double loss;
        if (e > 0)
            rc = wp_train(&ex, e, &loss);
        long p = wp_point_at(&ex, e);
        if (rc == 0 && p >= 0)
            rc = wp_measure(&ex, (size_t)p);
    }
    if (rc != 0)
        fprintf(stderr, "wide_mlp: %s\n", ex.err);
    if (wp_close(&ex, rc == 0) != 0) {
        fprintf(stderr, "wide_mlp: %s\n", ex.err);
        rc = 1;
    }
    return rc == 0 ? 0 : 1;
}
