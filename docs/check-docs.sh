#!/bin/sh
# Builds the Doxygen site; any warning (undocumented declaration or parameter) fails.
set -u
doxygen=$1 doxyfile=$2 log=$3
rm -f "$log"
"$doxygen" "$doxyfile"
rc=$?
if [ $rc -ne 0 ] || [ -s "$log" ]; then
    echo "FAIL: doxygen reported warnings:"; cat "$log" 2>/dev/null
    exit 1
fi
echo "docs built without warnings"
