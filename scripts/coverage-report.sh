#!/usr/bin/env bash
# coverage-report.sh: the line and branch coverage table of `make coverage`,
# with gcov alone (no lcov/gcovr).
#
# For every SOURCE it runs `gcov -b -c` against the objects (.gcno, .gcda) in
# OBJDIR, leaving the .gcov files and gcov.log in GCOVDIR, then prints:
#   - one row per source file: lines, lines executed, line%, branches,
#     branches executed (exec%), branches taken at least once (taken%), and
#     the TOTAL row (counts recovered from gcov's percentages: round(p t / 100));
#   - the TOP largest runs of unexecuted lines (##### or =====; blank and
#     non-code lines inside a run allowed), as "N lines  FILE:FIRST-LAST".
# Only files matching src/*.c are counted (gcov also reports the headers the
# sources include). Run the instrumented programs first; this script only
# reads their counts. Exit status: 0, or 1 when gcov cannot be run.
#
# Usage: scripts/coverage-report.sh [-n TOP] OBJDIR GCOVDIR SOURCE...
#   (SOURCE paths relative to the current directory, e.g. src/*.c; TOP
#   defaults to 10)
# Environment: GCOV (default gcov).
set -euo pipefail

top=10
usage() { sed -n "/^# Usage:/,/^# Environment/p" "$0" | sed "$ d; s/^# \{0,1\}//" >&2; exit 2; }
while getopts "n:h" opt; do
    case $opt in
        n) top=$OPTARG ;;
        *) usage ;;
    esac
done
shift $((OPTIND - 1))
[ $# -ge 3 ] || usage
objdir=$(cd "$1" && pwd)
mkdir -p "$2"
gcovdir=$(cd "$2" && pwd)
shift 2
here=$(pwd)
GCOV=${GCOV:-gcov}
command -v "$GCOV" >/dev/null || { echo "coverage-report: $GCOV not found" >&2; exit 1; }

cd "$gcovdir"
rm -f ./*.gcov
for s in "$@"; do
    "$GCOV" -b -c -o "$objdir" "$here/$s"
done > gcov.log 2>&1 || true

# the table, from gcov's summary lines
awk '
    /^File / { f = $2; gsub(/\x27/, "", f); keep = (f ~ /(^|\/)src\/[^\/]+\.c$/);
               if (keep) { sub(/.*\//, "", f); name = f; order[++n] = f; } next }
    !keep { next }
    function cnt(l,  p, t) { p = l; sub(/.*:/, "", p); sub(/%.*/, "", p);
                             t = l; sub(/.* of /, "", t); return int(p * t / 100 + 0.5) }
    function tot(l,  t) { t = l; sub(/.* of /, "", t); return t + 0 }
    /^Lines executed:/      { lt[name] = tot($0); lc[name] = cnt($0) }
    /^Branches executed:/   { bt[name] = tot($0); be[name] = cnt($0) }
    /^Taken at least once:/ { bk[name] = cnt($0) }
    function pc(a, b) { return b ? sprintf("%6.1f%%", 100 * a / b) : "     -" }
    END { fmt = "%-14s %6s %6s %7s   %6s %7s %7s\n";
          printf fmt, "file", "lines", "hit", "line%", "branch", "exec%", "taken%";
          for (i = 1; i <= n; i++) { f = order[i];
              printf fmt, f, lt[f], lc[f], pc(lc[f], lt[f]), bt[f] + 0, pc(be[f], bt[f]), pc(bk[f], bt[f]);
              L += lt[f]; LC += lc[f]; B += bt[f]; BE += be[f]; BK += bk[f] }
          printf fmt, "TOTAL", L, LC, pc(LC, L), B, pc(BE, B), pc(BK, B) }' gcov.log

# the largest runs of unexecuted lines
echo
echo "Largest runs of unexecuted lines (blank/non-code lines inside a run allowed; all in $gcovdir/*.gcov):"
for g in *.c.gcov; do
    [ -e "$g" ] || continue
    awk -v F="src/${g%.gcov}" -F: '
        { c = $1; gsub(/ /, "", c); ln = $2 + 0 }
        ln == 0 { next }
        c == "#####" || c == "=====" { if (!s) s = ln; e = ln; k++; next }
        c == "-" { next }
        { if (s) print k, F ":" s "-" e; s = 0; k = 0 }
        END { if (s) print k, F ":" s "-" e }' "$g"
done | sort -k1,1nr -k2 | { head -n "$top"; cat >/dev/null; } | awk '{ printf "  %4d lines  %s\n", $1, $2 }'
