#!/bin/sh
# Every public header compiles on its own, twice included, as C99 -pedantic -Werror and
# as C++ (C++11 and C++17), so embedders can include any one of them first.
set -eu
inc=$1
ccmd=${2:-cc}
cxx=${CXX:-c++}
status=0
for header in "$inc"/vipa.h "$inc"/vipa/*.h; do
    rel=${header#"$inc"/}
    src=$(printf '#include <%s>\n#include <%s>\nint vipa_header_check;\n' "$rel" "$rel")
    if ! printf '%s\n' "$src" | "$ccmd" -std=c99 -pedantic -Wall -Wextra -Werror \
            -fsyntax-only -I"$inc" -x c -; then
        echo "FAIL: $rel does not compile on its own as C99"; status=1
    fi
    for std in c++11 c++17; do
        if ! printf '%s\n' "$src" | "$cxx" -std=$std -pedantic -Wall -Wextra -Werror \
                -fsyntax-only -I"$inc" -x c++ -; then
            echo "FAIL: $rel does not compile on its own as $std"; status=1
        fi
    done
done
[ $status -eq 0 ] && echo "all public headers compile alone as C99, C++11 and C++17"
exit $status
