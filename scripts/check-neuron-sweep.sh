#!/bin/sh
# check-neuron-sweep.sh: checks the CSV of `single_neuron --sweep` on the
# 11 x 5 grid w = -5..5, b = -2..2 (columns w,b,ixt,iyt; one header line)
# against exact values, 1e-9 being the quadrature's accuracy:
#   - 55 rows;
#   - I(X;T) at (w, b) = (1, 0) is 1.10205653527365 (the independent
#     reference of tests/test_mi.c);
#   - at (5, 0) it is ln 2 within Delta^2 / (8 beta^2) = 4.1e-7
#     (Delta = tanh 15 - tanh 5: the symbols of x = -3 and -1 are almost
#     merged, as are those of 1 and 3);
#   - 0 at w = 0 (T does not depend on X);
#   - even in w (X is symmetric);
#   - I(Y;T) <= I(X;T) (data processing).
# Exit status 0 when every check holds, 1 otherwise (with a message).
#
# Usage: scripts/check-neuron-sweep.sh SWEEP.csv
#   (SWEEP.csv: single_neuron_sweep.csv of single_neuron --sweep --wgrid -5:5:11
#   --bgrid -2:2:5)
[ $# = 1 ] || { sed -n 's/^# Usage: /usage: /p' "$0" >&2; exit 2; }
awk -F, 'NR > 1 && NF == 4 { x[$1 "," $2] = $3; n++
                             if ($4 > $3 + 1e-9 || ($1 == 0 && ($3 > 1e-9 || $3 < -1e-9))) bad++ }
         END { for (k in x) { split(k, wb, ","); d = x[k] - x[(0 - wb[1]) "," wb[2]]
                              if (d > 1e-9 || d < -1e-9) bad++ }
               d1 = x["1,0"] - 1.10205653527365; d5 = x["5,0"] - log(2)
               exit !(n == 55 && !bad && d1 < 1e-9 && d1 > -1e-9 && d5 < 4.2e-7 && d5 > -4.2e-7) }' \
    "$1" || { echo "single_neuron --sweep: wrong values ($1)"; exit 1; }
