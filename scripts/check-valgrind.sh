#!/usr/bin/env bash
# check-valgrind.sh: the Memcheck run of `make check-valgrind`.
#
# What it runs:
#   1. the kernel bits compared across instruction sets: the result lines of
#      KERNEL_BITS (tests/valgrind/kernel_bits.c linked with the normal
#      library) natively, under Valgrind (which hides AVX-512, so the AVX2
#      kernels run), and of PORTABLE_BITS (the same program with the portable
#      kernel, -DGCENT_NO_CLONES -DGCENT_PORTABLE_KERNEL) must be equal;
#   2. the Check suite TEST_BIN under Memcheck, one process per suite of
#      tests/test_*.c (CK_RUN_SUITE), and one per case (CK_RUN_SUITE +
#      CK_RUN_CASE, the cases made by gt_tcase) for the suites named by -s,
#      JOBS processes at a time, the -L jobs started first so that the jobs
#      end together; CK_FORK=no so that the tests run inside the checked
#      process;
#   3. each fuzz replay driver under Memcheck over its corpus directories.
#
# Memcheck finds memory errors, not statistical ones, and its emulation of
# FMA makes the kernel ~500 times slower than native: GCENT_TEST_LIGHT=1
# makes the tests whose cost is problem size use smaller sizes (same
# assertions), and two Check tags are left out (CK_EXCLUDE_TAGS, see
# tests/tests.h): `long` (cases long by design; they run in make check and
# check-asan) and `native-fp` (Valgrind emulates neither the exception flags
# nor FTZ/DAZ).
#
# Every error is fatal: a leak (definite or possible), an invalid read or
# write, a use of uninitialised memory. The logs go to LOGDIR (one .log, and
# a Check .xml, per job). Exit status 0 when everything is clean, 1 otherwise.
#
# Usage: scripts/check-valgrind.sh [-j JOBS] [-l LOGDIR] [-s SUITE]... [-L JOB]...
#            [-k KERNEL_BITS -p PORTABLE_BITS] [-r REPLAY_BIN:DIR[:DIR]...]... TEST_BIN
#   (from the top of the source tree; JOB is SUITE or SUITE/CASE)
# Environment: VALGRIND (default valgrind), VALGRIND_EXTRA (more Valgrind
# options, e.g. --track-origins=yes to trace an uninitialised value).
set -uo pipefail

jobs=$(nproc 2>/dev/null || echo 2)
logdir=build/valgrind/log
split=() long=() replays=() bits= portable=
usage() { sed -n "/^# Usage:/,/^# Environment/p" "$0" | sed "$ d; s/^# \{0,1\}//" >&2; exit 2; }
while getopts "j:l:s:L:k:p:r:h" opt; do
    case $opt in
        j) jobs=$OPTARG ;;
        l) logdir=$OPTARG ;;
        s) split+=("$OPTARG") ;;
        L) long+=("$OPTARG") ;;
        k) bits=$OPTARG ;;
        p) portable=$OPTARG ;;
        r) replays+=("$OPTARG") ;;
        *) usage ;;
    esac
done
shift $((OPTIND - 1))
[ $# = 1 ] || usage
test_bin=$1

VALGRIND=${VALGRIND:-valgrind}
vg_opts=(-q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,possible
         --show-leak-kinds=definite,possible --num-callers=30 ${VALGRIND_EXTRA:-})

rm -rf "$logdir" && mkdir -p "$logdir" || exit 1

# 1. kernel bits
if [ -n "$bits" ]; then
    "$bits" > "$logdir/bits-native.txt" &&
        "$portable" > "$logdir/bits-portable.txt" &&
        "$VALGRIND" "${vg_opts[@]}" "$bits" > "$logdir/bits-valgrind.txt" || {
        echo "check-valgrind: the kernel-bits programs failed"; exit 1; }
    if ! cmp -s "$logdir/bits-native.txt" "$logdir/bits-portable.txt" ||
       ! cmp -s "$logdir/bits-native.txt" "$logdir/bits-valgrind.txt"; then
        echo "check-valgrind: the kernels of the instruction sets give different bits"
        exit 1
    fi
    echo "check-valgrind: kernel bits equal natively, under Valgrind and portable" \
         "($(wc -l < "$logdir/bits-native.txt") results)"
fi

# 2. the job list: every suite, the -s suites one job per case, -L jobs first
all=()
for f in tests/test_*.c; do
    s=$(sed -n 's/.*suite_create("\([^"]*\)").*/\1/p' "$f")
    [ -n "$s" ] || continue
    if printf '%s\n' "${split[@]}" | grep -qx -- "$s"; then
        for c in $(sed -n 's/.*gt_tcase([^,]*, "\([^"]*\)".*/\1/p' "$f"); do all+=("$s/$c"); done
    else
        all+=("$s")
    fi
done
ordered=()
for j in "${long[@]}"; do
    printf '%s\n' "${all[@]}" | grep -qx -- "$j" && ordered+=("$j")
done
for j in "${all[@]}"; do
    printf '%s\n' "${long[@]}" | grep -qx -- "$j" || ordered+=("$j")
done
for r in "${replays[@]}"; do     # fuzz-<target>:BIN:DIR...
    ordered+=("fuzz-$(basename "${r%%:*}" | sed 's/^replay-//'):$r")
done

# one job: its log and one summary line; status that of Valgrind
run_job() {
    local j=$1 name=${1%%:*} t0 st log dirs
    t0=$(date +%s)
    log=$logdir/$(echo "$name" | tr / -)
    export GCENT_TEST_LIGHT=1 CK_FORK=no CK_EXCLUDE_TAGS="long native-fp"
    case $j in
        fuzz-*:*)
            IFS=: read -r -a dirs <<< "${j#*:}"   # BIN DIR...
            "$VALGRIND" "${vg_opts[@]}" "${dirs[@]}" > "$log.log" 2>&1 ;;
        */*)
            CK_RUN_SUITE=${j%/*} CK_RUN_CASE=${j#*/} CK_XML_LOG_FILE_NAME=$log.xml \
                "$VALGRIND" "${vg_opts[@]}" "$test_bin" > "$log.log" 2>&1 ;;
        *)
            CK_RUN_SUITE=$j CK_XML_LOG_FILE_NAME=$log.xml \
                "$VALGRIND" "${vg_opts[@]}" "$test_bin" > "$log.log" 2>&1 ;;
    esac
    st=$?
    echo "  $name: $(grep -hE "Checks:|^replay:" "$log.log" | tail -n 1)" \
         "($(( $(date +%s) - t0 )) s, status $st)"
    return $st
}
export -f run_job
export VALGRIND logdir test_bin
export VG_OPTS="${vg_opts[*]}"

# xargs runs the jobs JOBS at a time; a job that fails makes xargs fail
if ! printf '%s\n' "${ordered[@]}" |
        xargs -P "$jobs" -I{} bash -c 'IFS=" " read -r -a vg_opts <<< "$VG_OPTS"; run_job "$1"' _ {}; then
    echo "check-valgrind: failures or Valgrind errors ($logdir/)"
    grep -l "==[0-9]*==" "$logdir"/*.log
    exit 1
fi
echo "check-valgrind: clean (memcheck, $jobs jobs)"
