#!/usr/bin/env bash
# Checks the public headers: each one compiles on its own as C11 and as C++
# with every warning an error, and clang's -Wdocumentation finds nothing to
# say about their doc comments (parameters named as declared, and so on).
# Usage: scripts/check-headers.sh [include-dir]   (default: include; needs clang)
set -euo pipefail
inc=${1:-include}
cc=${CLANG:-clang}
command -v "$cc" >/dev/null || { echo "check-headers: $cc not found (apt-get install clang)"; exit 1; }
n=0
for h in "$inc"/gcent.h "$inc"/gcent/*.h; do
    rel=${h#"$inc"/}
    printf '#include "%s"\nint gcent_check_headers_unit;\n' "$rel" | "$cc" -std=c11 -Wall -Wextra -Wpedantic -Wdocumentation \
        -Wdocumentation-unknown-command -Werror -fsyntax-only -I"$inc" -x c -
    printf '#include "%s"\n' "$rel" | "$cc" -std=c++11 -Wall -Wextra -Wpedantic -Werror \
        -fsyntax-only -I"$inc" -x c++ -
    n=$((n + 1))
done
echo "check-headers: $n headers clean as C11 and C++11, no -Wdocumentation warning"
