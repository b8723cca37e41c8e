#!/bin/sh
# check-wide-mlp.sh: checks wide_mlp.csv (examples/wide_mlp.c) against the
# exact bounds every value must respect, whatever the training did. With m
# patterns and H(Y) the entropy of their labels (both read from the data
# CSV the example was run on):
#   - the file has ROWS data rows (measured epochs x hidden layers);
#   - SI_q(X;T_l) in [0, ln m] and SI_q(Y;T_l) in [0, H(Y)], q = 1, 2:
#     every slice's MI obeys these bounds, and its lattice rule is within
#     2e-8 of it (GCENT_SLICED_QUAD_ERR), so the mean over slices is within
#     2e-8 of the interval;
#   - SI_q(Y;T_l) <= SI_q(X;T_l) + 4e-8: Y is a function of X, and slice by
#     slice the class mixtures' entropies are at least the mean of their
#     inputs' (concavity), on the same slices;
#   - standard errors >= 0;
#   - the full estimate: 0 < I(X;T_l) <= ln m, I(Y;T_l) <= H(Y) (+1e-7:
#     gcent/mi.h, exact for the Monte Carlo estimator);
#   - accuracy in [0, 1].
# Columns: epoch,layer,width,loss,accuracy,si1_x,si1_x_se,si1_y,si1_y_se,
# si2_x,si2_x_se,si2_y,si2_y_se,sp_x,sp_x_se,sp_y,sp_y_se. Exit status 0 when
# every check holds, 1 otherwise (with a message).
#
# Usage: scripts/check-wide-mlp.sh wide_mlp.csv ROWS DATA.csv
[ $# = 3 ] || { sed -n 's/^# Usage: /usage: /p' "$0" >&2; exit 2; }
awk -F, -v rows="$2" -v data="$3" '
    BEGIN {
        while ((getline line < data) > 0) {
            if (++l == 1) continue
            nf = split(line, f, ","); if (nf < 2) continue
            cnt[f[nf] + 0]++; m++
        }
        for (c in cnt) hy -= cnt[c] / m * log(cnt[c] / m)
        lnm = log(m); e = 2e-8
        if (m < 2) { print "check-wide-mlp: no data in " data; exit 1 }
    }
    NR > 1 {
        n++
        ok = $5 >= 0 && $5 <= 1
        for (q = 0; q < 2; q++) {
            x = $(6 + 4 * q); xs = $(7 + 4 * q); y = $(8 + 4 * q); ys = $(9 + 4 * q)
            ok = ok && x >= -e && x <= lnm + e && y >= -e && y <= hy + e && y <= x + 2 * e &&
                 xs >= 0 && ys >= 0
        }
        ok = ok && $14 > 0 && $14 <= lnm + 1e-7 && $16 <= hy + 1e-7
        if (!ok) { print "check-wide-mlp: row " NR - 1 " out of bounds: " $0; bad++ }
    }
    END { exit !(n == rows && bad == 0) }' "$1" ||
    { echo "wide_mlp: $1 is not $2 rows of values within their exact bounds"; exit 1; }
