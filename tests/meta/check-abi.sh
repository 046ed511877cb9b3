#!/bin/sh
# The library's ABI against the baseline lib/libvipa.abi: additions pass, any change to
# an existing function or type fails. abidiff passes silently on a library without
# debug information, so that is checked first.
set -eu
lib=$1
baseline=$2
headers=$3
if ! readelf -S --wide "$lib" | grep -q '\.debug_info'; then
    echo "FAIL: $lib has no debug information; the ABI cannot be compared"
    exit 1
fi
if [ ! -s "$baseline" ]; then
    echo "FAIL: no ABI baseline at $baseline (scripts/abi-update makes one)"
    exit 1
fi
if abidiff --no-added-syms --fail-no-debug-info --drop-private-types \
        --headers-dir2 "$headers" "$baseline" "$lib"; then
    echo "ABI compatible with $(basename "$baseline")"
else
    rc=$?
    echo "FAIL: abidiff exit $rc: the ABI changed against the baseline (see above)."
    echo "Before 1.0 a deliberate change is recorded with scripts/abi-update in its own commit."
    exit 1
fi
