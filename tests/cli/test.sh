# vipa test: scenario files with expectations; PASS/FAIL lines and a summary line.
. "$(dirname "$0")/lib.sh"
write_fixtures

small_scenario 3600.00 "$ALL_LEVELS" '"expect": {
    "households": [ { "id": 1001, "exit_year": 2017 } ],
    "years": [ { "year": 2017,
                 "households": [ { "id": 1001, "income": "6600.00", "line": "5904.00", "meets_standard": true } ],
                 "coverage": [ { "village": "611002001204", "willing": 1, "covered": 1 } ],
                 "evaluations": [ { "agreement": 1, "date": "2018-01-31", "outcome": "compliant", "failed": [] } ] } ],
    "entities": [ { "id": 1, "status": "active", "favoured": [2017] } ],
    "findings": [ { "rule": "EVALUATION_OUTCOME", "subject": { "agreement": 1 }, "year": 2017 } ] }' \
    >"$TMP/pass.json"
small_scenario 1800.00 "$ALL_LEVELS" '"expect": {
    "years": [ { "year": 2017, "households": [ { "id": 1001, "income": "6600.00" } ] } ] }' \
    >"$TMP/fail.json"
small_scenario 1800.00 "$ALL_LEVELS" '"expect": {
    "findings": [ { "rule": "OBLIGATIONS_PAID", "subject": { "linkage": 1 }, "expected": "3600.00", "actual": "1800.00" } ] },
  "findings_exact": true' >"$TMP/inexact.json"
printf '{ "vipa": 1, "househods": [], "expect_error": "VIPA_E_PARSE" }\n' >"$TMP/rejected.json"
printf '{ "vipa": 1, "expect_error": "VIPA_E_PARSE" }\n' >"$TMP/accepted.json"

expect_status 0 "a passing scenario exits 0" test "$TMP/pass.json"
expect_grep "it prints PASS and the file" "$TMP/out" "^PASS  $TMP/pass.json\$"
expect_grep "and the summary line" "$TMP/out" '^1 passed, 0 failed$'
expect_lines "one line per file and the summary" "$TMP/out" 2

expect_status 1 "a failing scenario exits 1" test "$TMP/pass.json" "$TMP/fail.json"
expect_grep "FAIL names the JSON path, expected and actual" "$TMP/out" \
    "^FAIL  $TMP/fail.json: years\\[year=2017\\]\\.households\\[id=1001\\]\\.income: expected \"6600.00\", actual \"4800.00\"\$"
expect_grep "the summary counts both" "$TMP/out" '^1 passed, 1 failed$'

expect_status 1 "findings_exact forbids unlisted findings" test "$TMP/inexact.json"
expect_grep "the unexpected finding is named" "$TMP/out" 'unexpected finding'

expect_status 0 "expect_error: rejected with that code passes" test "$TMP/rejected.json"
expect_status 1 "expect_error: a scenario that loads fails" test "$TMP/accepted.json"
expect_grep "and says it loaded" "$TMP/out" 'expected VIPA_E_PARSE, but the scenario loaded'

expect_status 1 "unreadable and unparsable files count as failed" \
    test "$TMP/missing.json" "$TMP/syntax.json" "$TMP/pass.json"
expect_grep "a missing file fails" "$TMP/out" "^FAIL  $TMP/missing.json: cannot read"
expect_grep "a syntax error fails" "$TMP/out" "^FAIL  $TMP/syntax.json: not JSON"
expect_grep "the summary counts them" "$TMP/out" '^1 passed, 2 failed$'

expect_status 2 "test with no file is a usage error" test

finish
