#!/bin/sh
# check-mpi-infoplane.sh: checks examples/mpi_infoplane on a short schedule,
# on this machine (loopback, ranks oversubscribed):
#   - noisy_mlp.csv and noisy_mlp_layers.dat are byte-identical to what
#     single-process noisy_mlp writes with the same options, for -np 1, 2, 3
#     and 4 (-np 3 with --balance pairs, the others with the default split);
#   - a rank that fails stops the whole job with a non-zero status and its
#     reason, never leaving noisy_mlp.csv (only NAME.part files): rank 1 with
#     bad samples (MPI_INFOPLANE_FAIL=1:1:nan: the library's reason) or a
#     failed allocation (1:1:alloc), rank 0 unable to create the output
#     folder, rank 1 killed by SIGKILL (1:1:kill) or exiting without
#     MPI_Finalize (1:1:exit);
#   - every run is under `timeout 120`: a hang fails the check (status 124).
# EXAMPLES is the folder of the built examples (noisy_mlp, mpi_infoplane),
# WORK an empty scratch folder. MPIRUN (default: mpirun --oversubscribe
# --allow-run-as-root) launches the ranks. For OpenMPI in a container this
# script sets, unless already set, OMPI_MCA_plm_rsh_agent= (mpirun then
# needs no ssh for a local job) and OMPI_MCA_btl_vader_single_copy_mechanism=
# none (no cross-process memory copies, which a container's seccomp profile
# may forbid). Exit status 0 when every check holds, 1 otherwise.
#
# Usage: scripts/check-mpi-infoplane.sh EXAMPLES WORK
[ $# = 2 ] || { sed -n 's/^# Usage: /usage: /p' "$0" >&2; exit 2; }
ex=$1
work=$2
MPIRUN=${MPIRUN:-mpirun --oversubscribe --allow-run-as-root}
export OMPI_MCA_plm_rsh_agent="${OMPI_MCA_plm_rsh_agent-}"
export OMPI_MCA_btl_vader_single_copy_mechanism="${OMPI_MCA_btl_vader_single_copy_mechanism-none}"
args="--epochs 40 --points 4 --k 2 --snapshots 40 --quiet"
fault_args="--epochs 12 --points 3 --k 2 --snapshots 12 --quiet"
fail=0
bad() { echo "check-mpi-infoplane: $*"; fail=1; }

"$ex/noisy_mlp" $args --out "$work/ref" >/dev/null || bad "noisy_mlp failed"
for np in 1 2 3 4; do
    extra=
    [ $np = 3 ] && extra="--balance pairs"
    timeout 120 $MPIRUN -np $np "$ex/mpi_infoplane" $args $extra --out "$work/np$np" \
        >"$work/np$np.log" 2>&1 || { bad "-np $np: status $?"; cat "$work/np$np.log"; continue; }
    for f in noisy_mlp.csv noisy_mlp_layers.dat; do
        cmp "$work/ref/$f" "$work/np$np/$f" || bad "-np $np: $f differs from noisy_mlp's"
    done
    grep "^mpi: " "$work/np$np.log"
done

# fault NAME NP EXPECT_STATUS PATTERN [mpi_infoplane options]: run with
# MPI_INFOPLANE_FAIL=$inject; the status must be EXPECT_STATUS ("nonzero":
# any but 0 and 124), stderr must match PATTERN, noisy_mlp.csv must be absent.
fault() {
    name=$1 np=$2 want=$3 pattern=$4
    shift 4
    MPI_INFOPLANE_FAIL=$inject timeout 120 $MPIRUN -x MPI_INFOPLANE_FAIL -np "$np" \
        "$ex/mpi_infoplane" $fault_args --out "$work/$name" "$@" \
        >"$work/$name.out" 2>"$work/$name.err"
    st=$?
    if [ $st = 124 ]; then
        bad "$name: still running after 120 s (a hang)"
    elif [ "$want" = nonzero ] && [ $st = 0 ]; then
        bad "$name: status 0 after a failure"
    elif [ "$want" != nonzero ] && [ $st != "$want" ]; then
        bad "$name: status $st, expected $want"
    fi
    grep -q -- "$pattern" "$work/$name.err" || bad "$name: no message matching '$pattern'"
    [ ! -e "$work/$name/noisy_mlp.csv" ] || bad "$name: left a noisy_mlp.csv"
    echo "$name: status $st, $(grep -m1 -- "$pattern" "$work/$name.err")"
}
inject=1:1:nan
fault nan 2 1 "mpi_infoplane: rank 1: layer .*NaN or infinite"
[ -e "$work/nan/noisy_mlp.csv.part" ] || bad "nan: no noisy_mlp.csv.part left to inspect"
inject=1:1:alloc
fault alloc 3 1 "mpi_infoplane: rank 1: layer .*out of memory"
inject=
fault nodir 2 1 "mpi_infoplane: rank 0: cannot create" --out "$work/missing/dir"
inject=1:1:kill
fault kill 2 nonzero "rank 1 .*signal 9"
inject=1:1:exit
fault exit 2 nonzero "Exit code: *3"
exit $fail
