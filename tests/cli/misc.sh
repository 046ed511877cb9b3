# vipa rules, version, --help for every command, and usage errors.
. "$(dirname "$0")/lib.sh"

expect_status 0 "rules" rules
# Rule rows start with the ID in column 1; the heading is "ID", continuation rows a blank.
n=$(grep -v '^ID ' "$TMP/out" | grep -c '^[A-Z][A-Z0-9_]*  ' || true)
check "rules lists 17 rules (found $n)" test "$n" -eq 17
expect_grep "a rule with its clause and severity" "$TMP/out" '^SIGNER_LEVEL  *四(二)  *error  '
expect_grep "summaries in Chinese" "$TMP/out" '一镇一业'
expect_grep "and in English" "$TMP/out" 'One town, one industry'
# Columns line up by display width: the severity of a rule whose clause is wide
# (二(五); 四(二)) starts at the same column as the others'. Counted in the C locale: the
# CJK characters here are 3 bytes of UTF-8 each and 2 columns wide.
col() {
    grep "^$1 " "$TMP/out" | LC_ALL=C awk '{ p = substr($0, 1, index($0, "error") - 1);
                                            n = gsub(/[\200-\377]/, "", p);
                                            print length(p) + n / 3 * 2 }'
}
check "CJK clauses are padded by display width" test "$(col LINKAGE_UNDER_AGREEMENT)" -eq "$(col SIGNER_LEVEL)"

expect_status 0 "version" version
expect_grep "version names program and library" "$TMP/out" '^vipa [0-9][0-9.]* (libvipa [0-9][0-9.]*)$'
expect_lines "version is one line" "$TMP/out" 1

expect_status 0 "--help" --help
expect_grep "--help shows the usage" "$TMP/out" '^Usage: vipa COMMAND'
expect_status 0 "-h" -h
for cmd in run check explain test rules sample version; do
    expect_status 0 "$cmd --help" "$cmd" --help
    expect_grep "$cmd --help shows its usage" "$TMP/out" "^Usage: vipa $cmd"
    check "$cmd --help prints nothing on stderr" test ! -s "$TMP/err"
done
expect_status 0 "-h after other arguments" explain x.json -h

# Usage errors: exit 2 and a one-line hint on stderr.
usage_error() {
    name=$1
    shift
    expect_status 2 "usage error: $name" "$@"
    expect_lines "usage error: $name: one line on stderr" "$TMP/err" 1
    check "usage error: $name: nothing on stdout" test ! -s "$TMP/out"
}
usage_error "no command"
usage_error "unknown command" frobnicate
usage_error "unknown option of run" run --jsn
usage_error "two files for run" run a.json b.json
usage_error "check without a file" check
usage_error "check with an option" check --json a.json
usage_error "explain without --year" explain a.json --household 1
usage_error "test without a file" test
usage_error "rules with an argument" rules extra
usage_error "sample with an argument" sample extra
usage_error "version with an argument" version extra

finish
