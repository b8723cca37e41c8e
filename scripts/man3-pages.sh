#!/bin/sh
# man3-pages.sh: the API manual pages to install, from those Doxygen wrote,
# with no generic page name: a man3 page is installed system-wide, where
# value.3 or entropy.h.3 would clash with other packages.
#
# From SRCDIR (Doxygen's man3 output) into DESTDIR (emptied first):
#   - pages named gcent*.3 or GCENT_*.3 (functions, types, macros, the
#     umbrella gcent.h) are copied;
#   - a header's page (NAME.h.3 holding the page itself, e.g. context.h.3) is
#     renamed gcent_NAME.h.3 (`man gcent_context.h`), and the `.so` links of
#     the other pages that point to it are rewritten to the new name;
#   - every other page (the links Doxygen makes for struct members: value.3,
#     se.3, ht.3, ixt.3, iyt.3) is left out, and named on stderr.
# Exit status 0, or 1 when SRCDIR holds no page.
#
# Usage: scripts/man3-pages.sh SRCDIR DESTDIR
#   e.g. scripts/man3-pages.sh build/docs/man/man3 build/docs/man3
[ $# = 2 ] || { sed -n 's/^# Usage: /usage: /p' "$0" >&2; exit 2; }
src=$1 dest=$2
ls "$src"/*.3 >/dev/null 2>&1 || { echo "man3-pages: no pages in $src" >&2; exit 1; }
rm -rf "$dest" && mkdir -p "$dest" || exit 1
renames=
for p in "$src"/*.3; do
    name=$(basename "$p")
    case $name in
        gcent*.3 | GCENT_*.3) ;;
        *.h.3)
            if ! head -n 1 "$p" | grep -q '^\.so '; then
                renames="$renames $name"
                continue
            fi
            echo "man3-pages: left out $name (a generic name)" >&2; continue ;;
        *) echo "man3-pages: left out $name (a generic name)" >&2; continue ;;
    esac
done
# copy, rewriting the links to the renamed header pages (a sed script)
links=$dest/.links.sed
: > "$links"
for h in $renames; do
    printf 's|^\\.so man3/%s$|.so man3/gcent_%s|\n' "$h" "$h" >> "$links"
done
for p in "$src"/*.3; do
    name=$(basename "$p")
    case " $renames " in *" $name "*) dst=gcent_$name ;; *) dst=$name ;; esac
    case $dst in gcent*.3 | GCENT_*.3) sed -f "$links" "$p" > "$dest/$dst" ;; esac
done
rm -f "$links"
