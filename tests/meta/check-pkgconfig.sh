#!/bin/sh
# vipa.pc as meson will install it: `pkg-config --static --libs vipa` names every library
# the shared libvipa needs (its ELF NEEDED entries, a second source), and nothing more;
# the private ones stay out of a plain (shared) link line.
#   check-pkgconfig.sh BUILD_ROOT LIBVIPA_SO
set -eu
build=$1
lib=$2
export PKG_CONFIG_PATH="$build/meson-private"
unset PKG_CONFIG_LIBDIR PKG_CONFIG_SYSROOT_DIR 2>/dev/null || true
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

if [ ! -f "$build/meson-private/vipa.pc" ]; then
    echo "FAIL: $build/meson-private/vipa.pc is missing"; exit 1
fi

# The C library and the loader come with every link; any other NEEDED library must be
# on the static link line as -lNAME (libjansson.so.4 -> -ljansson).
readelf -d "$lib" | sed -n 's/.*(NEEDED).*\[lib\([^].]*\)\.so[^]]*\]/\1/p' \
    | grep -v -x -e c -e 'ld-linux.*' | sort -u > "$tmp/needed"
if [ ! -s "$tmp/needed" ]; then
    echo "FAIL: no NEEDED library read from $lib (readelf output changed?)"; exit 1
fi
pkg-config --static --libs vipa | tr ' ' '\n' | sed -n 's/^-l//p' \
    | grep -v -x vipa | sort -u > "$tmp/static"
if ! diff -u "$tmp/needed" "$tmp/static" > "$tmp/diff"; then
    echo "FAIL: pkg-config --static --libs vipa differs from $lib's NEEDED (- NEEDED only," \
         "+ vipa.pc only):"
    cat "$tmp/diff"; status=1
fi

# They come from Requires.private (the packages' own .pc files give their -l and -L),
# not from Libs: a program linking the shared libvipa must not link them itself.
requires=$(pkg-config --print-requires-private vipa | awk '{ print $1 }' | sort -u | tr '\n' ' ')
if [ "$requires" != "jansson libmd " ]; then
    echo "FAIL: Requires.private is '$requires', expected 'jansson libmd '"; status=1
fi
if [ -n "$(pkg-config --print-requires vipa)" ]; then
    echo "FAIL: vipa.pc has a public Requires: $(pkg-config --print-requires vipa)"; status=1
fi
shared=$(pkg-config --libs-only-l vipa | tr -s ' ' | sed 's/ $//')
if [ "$shared" != "-lvipa" ]; then
    echo "FAIL: pkg-config --libs-only-l vipa is '$shared', expected '-lvipa'"; status=1
fi
[ "$status" -eq 0 ] && echo "vipa.pc: Requires.private $requires= NEEDED of $(basename "$lib")"
exit "$status"
