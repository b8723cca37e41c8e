#!/bin/sh
# check-single-neuron.sh: checks the summary line of `single_neuron --quiet`
# (examples/single_neuron.c, the minimal example of Goldfeld et al.: one noisy
# tanh neuron on X uniform on {-3,-1,1,3}, Y = 1 iff X = 3, trained by
# gradient descent) after a run of 10000 steps.
#
# The summary holds key=value pairs; the checks:
#   - I(X;T) rises: its peak exceeds its first value by more than 1 nat;
#   - then falls: by more than 0.7 nat from the peak to the end;
#   - and ends at H(1/4,3/4) = 0.562335144618808 nats within 0.005: the
#     library's final value must lie between the bounds the program computes
#     from the symbols alone (Gaussian-channel capacity above, Fano below;
#     1e-9 = the quadrature's accuracy), which after 10000 steps are 0.0017
#     apart.
# Exit status 0 when every check holds, 1 otherwise (with a message).
#
# Usage: scripts/check-single-neuron.sh SUMMARY.txt
#   (SUMMARY.txt: the standard output of single_neuron --steps 10000 --quiet)
[ $# = 1 ] || { sed -n 's/^# Usage: /usage: /p' "$0" >&2; exit 2; }
awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
     END { d = v["ixt"] - 0.562335144618808
           exit !(v["ixt_peak"] > v["ixt0"] + 1 && v["ixt_peak"] - v["ixt"] > 0.7 &&
                  v["lower"] - 1e-9 <= v["ixt"] && v["ixt"] <= v["upper"] + 1e-9 &&
                  d > -0.005 && d < 0.005) }' "$1" ||
    { echo "single_neuron: no rise and fall to H(1/4,3/4) ($1)"; exit 1; }
