# vipa run -o OUT: the output file is written whole or not at all.
. "$(dirname "$0")/lib.sh"
write_fixtures
mkdir "$TMP/o"

expect_status 0 "run --json -o writes the report" run "$TMP/good.json" --json -o "$TMP/o/report.json"
check "nothing on stdout with -o" test ! -s "$TMP/out"
run_vipa run "$TMP/good.json" --json
check "the file holds exactly what stdout gets" cmp -s "$TMP/out" "$TMP/o/report.json"
expect_status 0 "--output=OUT writes the text report" run "$TMP/good.json" --output="$TMP/o/report.txt"
expect_grep "the text report is in the file" "$TMP/o/report.txt" '^Summary$'
check "no temporary file is left after success" \
    sh -c "! ls '$TMP/o' | grep -q '\\.tmp\\.'"

# Bad input: the existing file stays as it was, and no new file appears.
printf 'previous report\n' >"$TMP/o/keep.json"
expect_status 2 "bad input with -o exits 2" run "$TMP/syntax.json" --json -o "$TMP/o/keep.json"
check "the existing output file is untouched" grep -qx 'previous report' "$TMP/o/keep.json"
expect_status 2 "bad input with -o to a new file exits 2" run "$TMP/typo.json" -o "$TMP/o/new.json"
check "no output file is created" test ! -e "$TMP/o/new.json"
check "no temporary file is left after bad input" \
    sh -c "! ls '$TMP/o' | grep -q '\\.tmp\\.'"

# An output directory that does not exist: an I/O error, exit 3, nothing written.
expect_status 3 "an unwritable output path exits 3" run "$TMP/good.json" -o "$TMP/missing/dir/r.json"
check "nothing was created" test ! -e "$TMP/missing"

# Replacing an existing file is a rename: the new report, complete.
expect_status 0 "-o replaces an existing file" run "$TMP/good.json" --json -o "$TMP/o/keep.json"
run_vipa run "$TMP/good.json" --json
check "the replaced file holds the whole report" cmp -s "$TMP/out" "$TMP/o/keep.json"
expect_status 2 "-o without a file name is a usage error" run "$TMP/good.json" -o

finish
