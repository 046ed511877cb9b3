#!/bin/sh
# The shared library exports exactly the functions listed in lib/libvipa.map, each one
# prefixed vipa_ and bound to a version node; nothing else leaks.
set -eu
lib=$1
map=$2
include=$(dirname "$map")/../include
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Defined dynamic symbols, minus the version-node markers (absolute symbols "A").
nm -D --defined-only "$lib" | awk '$2 != "A" { print $3 }' | sort -u > "$tmp/exported"
sed -n 's/^[[:space:]]*\(vipa_[A-Za-z0-9_]*\);.*/\1/p' "$map" | sort -u > "$tmp/mapped"

# Declared: every VIPA_API function of the public headers (declarations may wrap).
cat "$include"/vipa/*.h | tr '\n' ' ' | grep -o 'VIPA_API [^;(]*(' \
    | grep -o 'vipa_[A-Za-z0-9_]* *($' | sed 's/ *($//' | sort -u > "$tmp/declared"

status=0
if ! diff -u "$tmp/declared" "$tmp/mapped" > "$tmp/diff"; then
    echo "FAIL: VIPA_API declarations differ from lib/libvipa.map (- headers only, + map only):"
    cat "$tmp/diff"; status=1
fi
unversioned=$(grep -v '@@VIPA_[0-9]' "$tmp/exported" || true)
if [ -n "$unversioned" ]; then
    echo "FAIL: exported without a version node:"; echo "$unversioned"; status=1
fi
sed 's/@.*//' "$tmp/exported" > "$tmp/names"
foreign=$(grep -v '^vipa_' "$tmp/names" || true)
if [ -n "$foreign" ]; then
    echo "FAIL: exported symbols without the vipa_ prefix:"; echo "$foreign"; status=1
fi
if ! diff -u "$tmp/mapped" "$tmp/names" > "$tmp/diff"; then
    echo "FAIL: exports differ from lib/libvipa.map (- map only, + exported only):"
    cat "$tmp/diff"; status=1
fi
# docs/ABI.md lists every exported symbol with the version that introduced it.
abi_doc=$(dirname "$map")/../docs/ABI.md
for name in $(cat "$tmp/mapped"); do
    grep -q "^| \`$name\` | " "$abi_doc" || { echo "FAIL: $name is not listed in docs/ABI.md"; status=1; }
done
[ $status -eq 0 ] && echo "$(wc -l < "$tmp/names") symbols exported, all vipa_, all in the map"
exit $status
