#!/bin/sh
# check-man-options.sh: the options of a program's --help and of its manual
# page must be the same set, so that the hand-written page
# (docs/man/gcent-estimate.1) follows the program when an option is added,
# renamed or removed.
#
# From --help: every line that starts with two blanks and --NAME (the option
# list). From the page: every .TP entry's first line, .B or .BI --NAME
# (troff's \- read as -). The names only are compared, not their texts.
# Exit status 0 when the sets agree, 1 otherwise (the differences listed).
#
# Usage: scripts/check-man-options.sh PROGRAM MANPAGE
#   e.g. scripts/check-man-options.sh build/bin/gcent-estimate docs/man/gcent-estimate.1
[ $# = 2 ] || { sed -n 's/^# Usage: /usage: /p' "$0" >&2; exit 2; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
"$1" --help | sed -n 's/^  \(--[a-z][a-z0-9-]*\).*/\1/p' | sort -u > "$tmp/help"
sed 's/\\-/-/g' "$2" | awk '/^\.TP/ { tp = 1; next }
    tp && /^\.BI? --/ { print $2 } { tp = 0 }' | sort -u > "$tmp/man"
if [ ! -s "$tmp/help" ]; then
    echo "check-man-options: no options found in $1 --help"; exit 1
fi
if ! cmp -s "$tmp/help" "$tmp/man"; then
    echo "check-man-options: $2 and $1 --help list different options"
    echo "  in --help only:" $(comm -23 "$tmp/help" "$tmp/man")
    echo "  in the page only:" $(comm -13 "$tmp/help" "$tmp/man")
    exit 1
fi
echo "check-man-options: $(wc -l < "$tmp/help") options, the same in $2 and --help"
