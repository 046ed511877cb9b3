#!/bin/sh
# Every output of the library and the command, byte for byte against the digests of
# tests/golden/outputs.sha256: `vipa run` (text and --json), `vipa check`, `vipa report`,
# `vipa explain` and the scenario exporter, with their exit statuses, on every scenario
# of tests/scenarios/, the bundled sample and a generated province of 3,000 households.
# A refactoring must leave every line unchanged; a change of output is deliberate and
# rewrites the file: sh tests/golden/check.sh VIPA GOLDEN_TOOL SOURCE_ROOT --write
set -u
# The outputs checked are the English ones: the language the command takes from the
# locale (LC_ALL, LC_MESSAGES, LANG) is pinned, whatever the caller's.
unset LC_ALL LC_MESSAGES
LANG=C
export LANG
vipa=$1 tool=$2 root=$3 write=${4:-}
case $vipa in /*) ;; *) vipa=$PWD/$vipa ;; esac
case $tool in /*) ;; *) tool=$PWD/$tool ;; esac
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
out="$tmp/outputs.sha256"

digest() { sha256sum <"$1" | cut -d' ' -f1; }

# One line: the output's name, its exit status and the SHA-256 of its stdout and of its
# stderr. Run in the file's directory, so that messages name it the same in every clone.
record() {
    output=$1 dir=$2
    shift 2
    (cd "$dir" && "$@") >"$tmp/stdout" 2>"$tmp/stderr"
    status=$?
    printf '%s %s %s %s\n' "$output" "$status" "$(digest "$tmp/stdout")" \
        "$(digest "$tmp/stderr")" >>"$out"
}

each_output() {
    label=$1 dir=$(dirname "$2") file=$(basename "$2")
    record "$label:run" "$dir" "$vipa" run "$file"
    record "$label:run-json" "$dir" "$vipa" run "$file" --json
    record "$label:check" "$dir" "$vipa" check "$file"
    record "$label:report" "$dir" "$vipa" report "$file"
    record "$label:export" "$dir" "$tool" export "$file"
}

"$tool" province 3000 "$tmp/province.json" || exit 2
: >"$out"
for file in "$root"/tests/scenarios/*.json; do
    each_output "scenarios/$(basename "$file")" "$file"
done
sample="$root/examples/shangluo-sample.json"
each_output sample "$sample"
for year in 2016 2017 2018; do
    for household in 1001 1002 1005 1011 1020; do
        record "sample:explain-household-$household-$year" "$root/examples" \
            "$vipa" explain shangluo-sample.json --household "$household" --year "$year"
    done
    for agreement in 1 2 5 10; do
        record "sample:explain-agreement-$agreement-$year" "$root/examples" \
            "$vipa" explain shangluo-sample.json --agreement "$agreement" --year "$year"
    done
done
each_output province-3000 "$tmp/province.json"

golden="$root/tests/golden/outputs.sha256"
if [ "$write" = "--write" ]; then
    cp "$out" "$golden" && echo "wrote $golden ($(wc -l <"$out") outputs)"
    exit $?
fi
if ! diff -u "$golden" "$out"; then
    echo "FAIL: outputs differ from tests/golden/outputs.sha256 (lines above: name, status, digest)"
    exit 1
fi
echo "$(wc -l <"$out") outputs byte-identical"
