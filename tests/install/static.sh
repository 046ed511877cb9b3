#!/bin/sh
# The static library of issue 17, as someone who embeds it gets it: a build with
# -Ddefault_library=static installs libvipa.a (and no libvipa.so) with vipa.pc into a
# prefix, under the multiarch libdir; examples/embed.c, compiled against that prefix with
# nothing but `pkg-config --static --cflags --libs vipa`, links and runs (embed.c checks
# its own outcome and exits 1 otherwise), once with the system's shared libc and once
# fully static. A vipa.pc without its Requires lines must fail that link: the test
# depends on what they add. Run by scripts/test.
#   tests/install/static.sh [BUILD_DIR]      (default build-static)
set -eu
cd "$(dirname "$0")/../.."
build=${1:-build-static}
prefix="$PWD/$build/prefix"
opts="-Ddefault_library=static -Dwerror=true -Dtests=false -Ddocs=false -Dprefix=$prefix"
# shellcheck disable=SC2086
meson setup --wipe "$build" $opts >/dev/null 2>&1 || meson setup "$build" $opts >/dev/null
ninja -C "$build" >/dev/null
rm -rf "$prefix"
meson install -C "$build" --quiet >/dev/null

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

libdir=$(/usr/bin/python3 -c 'import json, sys
options = json.load(open(sys.argv[1] + "/meson-info/intro-buildoptions.json"))
print(next(o["value"] for o in options if o["name"] == "libdir"))' "$build")
# The README says vipa.pc lands in the multiarch libdir (Debian's meson default).
multiarch=$(cc -print-multiarch)
if [ -n "$multiarch" ] && [ "$libdir" != "lib/$multiarch" ]; then
    fail "libdir is $libdir, not the multiarch lib/$multiarch the README names"
fi
pcdir="$prefix/$libdir/pkgconfig"
[ -f "$pcdir/vipa.pc" ] || fail "no vipa.pc in $pcdir"
[ -f "$prefix/$libdir/libvipa.a" ] || fail "no libvipa.a in $prefix/$libdir"
# Every public header is installed (vipa.h includes them all: one missing, and an
# embedding program does not compile).
(cd include && ls vipa.h vipa/*.h) > "$work/headers.source"
(cd "$prefix/include" && ls vipa.h vipa/*.h) > "$work/headers.installed"
diff -u "$work/headers.source" "$work/headers.installed" \
    || fail "installed headers differ from include/ (+ installed only, - source only)"
shared=$(find "$prefix" -name 'libvipa.so*')
[ -z "$shared" ] || fail "a static-only build installed $shared"

# Only what the installed vipa.pc says (and the system's own .pc files it requires).
flags=$(PKG_CONFIG_PATH="$pcdir" pkg-config --static --cflags --libs vipa)
for lib in -lvipa -ljansson -lmd; do
    case " $flags " in
        *" $lib "*) ;;
        *) fail "pkg-config --static --cflags --libs vipa is '$flags': no $lib" ;;
    esac
done
cc_link() { # OUTPUT EXTRA-FLAGS... : compiles and links examples/embed.c with $flags
    out=$1; shift
    # shellcheck disable=SC2086
    cc -std=c11 -Wall -Wextra -o "$out" examples/embed.c "$@" $flags
}
run_embed() { # PROGRAM
    "$1" > "$work/out" 2>&1 || { cat "$work/out"; fail "$1 exited non-zero"; }
}

cc_link "$work/embed" || fail "cc examples/embed.c $flags"
if readelf -d "$work/embed" | grep -q 'NEEDED.*libvipa'; then
    fail "embed links a shared libvipa: $(readelf -d "$work/embed" | grep NEEDED)"
fi
run_embed "$work/embed"
echo "embed (libvipa.a, shared libc): linked with $flags; ran"

# Fully static: every library on the line must come as an archive (Debian's -dev
# packages ship libjansson.a, libmd.a and libc.a), and the program runs with no loader.
cc_link "$work/embed-static" -static || fail "cc -static examples/embed.c $flags"
if readelf -d "$work/embed-static" 2>/dev/null | grep -q NEEDED; then
    fail "embed -static still needs shared objects"
fi
run_embed "$work/embed-static"
echo "embed -static: linked and ran"

# The command links the archive too, and runs from the prefix without libvipa.so.
"$prefix/bin/vipa" run --json > "$work/report.json" || fail "$prefix/bin/vipa run --json"
if readelf -d "$prefix/bin/vipa" | grep -q 'NEEDED.*libvipa'; then
    fail "the installed vipa command needs a shared libvipa"
fi

# Self-check: the same link with vipa.pc's Requires lines taken out must fail (the
# archive's calls into jansson and libmd are left undefined).
mkdir "$work/pc"
grep -v '^Requires' "$pcdir/vipa.pc" > "$work/pc/vipa.pc"
flags=$(PKG_CONFIG_PATH="$work/pc" pkg-config --static --cflags --libs vipa)
if cc_link "$work/embed-broken" 2>/dev/null; then
    fail "embed linked without jansson and libmd: the test proves nothing"
fi
echo "static install: libvipa.a and vipa.pc in $libdir; without Requires the link fails"
