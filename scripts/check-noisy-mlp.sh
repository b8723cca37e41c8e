#!/bin/sh
# check-noisy-mlp.sh: checks noisy_mlp.csv (examples/noisy_mlp.c), or the CSV of
# examples/python/torch_infoplane.py (the same columns), against the
# exact bounds every estimate must respect, whatever the training did:
#   - the file has ROWS data rows (measured epochs x hidden layers);
#   - 0 < I(X;T_l) <= ln 4096 (+1e-7): X is uniform over the 4096 patterns;
#   - I(Y;T_l) <= H(Y) = 0.6925630 nats (2118 of 4096 patterns positive);
#   - train and test accuracies in [0, 1].
# Columns: epoch,layer,units,ixt,ixt_se,iyt,iyt_se,ht,ht_se,hbin,train_loss,
# train_acc,test_loss,test_acc. Exit status 0 when every check holds, 1
# otherwise (with a message).
#
# Usage: scripts/check-noisy-mlp.sh noisy_mlp.csv ROWS
[ $# = 2 ] || { sed -n 's/^# Usage: /usage: /p' "$0" >&2; exit 2; }
awk -F, -v rows="$2" \
    'NR > 1 { n++; ok = $4 > 0 && $4 <= log(4096) + 1e-7 && $6 <= 0.6925630 &&
                   $12 >= 0 && $12 <= 1 && $14 >= 0 && $14 <= 1; bad += !ok }
     END { exit !(n == rows && bad == 0) }' "$1" ||
    { echo "noisy_mlp: $1 is not $2 rows of estimates within their exact bounds"; exit 1; }
