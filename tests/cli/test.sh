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
expect_grep "FAIL counts the differences" "$TMP/out" "^FAIL  $TMP/fail.json: 1 difference from the report\$"
expect_grep "the difference names the JSON path, expected and actual" "$TMP/out" \
    "^      years\\[year=2017\\]\\.households\\[id=1001\\]\\.income: expected \"6600.00\", actual \"4800.00\"\$"
expect_grep "the summary counts both" "$TMP/out" '^1 passed, 1 failed$'
expect_lines "PASS, FAIL, its difference and the summary" "$TMP/out" 4

expect_status 1 "findings_exact forbids unlisted findings" test "$TMP/inexact.json"
expect_grep "the unexpected finding is named" "$TMP/out" 'unexpected finding'

expect_status 0 "expect_error: rejected with that code passes" test "$TMP/rejected.json"
expect_status 1 "expect_error: a scenario that loads fails" test "$TMP/accepted.json"
expect_grep "and says it loaded" "$TMP/out" 'expected VIPA_E_PARSE, but the scenario loaded'
printf '{ "vipa": 1, "househods": [], "expect_error": "VIPA_E_PARSE", "expect": { "vipa": 1 } }\n' \
    >"$TMP/both.json"
expect_status 1 "expect_error with expect: the expect would go unchecked, so it fails" \
    test "$TMP/both.json"
expect_grep "and says to keep one" "$TMP/out" 'expect_error and expect together'

expect_status 1 "unreadable and unparsable files count as failed" \
    test "$TMP/missing.json" "$TMP/syntax.json" "$TMP/pass.json"
expect_grep "a missing file fails" "$TMP/out" "^FAIL  $TMP/missing.json: cannot read"
expect_grep "a syntax error fails" "$TMP/out" "^FAIL  $TMP/syntax.json: not JSON"
expect_grep "the summary counts them" "$TMP/out" '^1 passed, 2 failed$'

expect_status 2 "test with no file is a usage error" test

# ---- every difference of a file is reported, not only the first ----------------------
small_scenario 1800.00 "$ALL_LEVELS" '"expect": {
    "households": [ { "id": 1001, "exit_year": 2017 } ],
    "years": [ { "year": 2017, "households": [ { "id": 1001, "income": "6600.00", "meets_standard": true } ] } ],
    "findings": [ { "rule": "OBLIGATIONS_PAID", "subject": { "linkage": 1 }, "actual": "3600.00" } ] }' \
    >"$TMP/many.json"
expect_status 1 "several differences: the file fails" test "$TMP/many.json" "$TMP/pass.json"
expect_grep "FAIL counts them" "$TMP/out" "^FAIL  $TMP/many.json: 4 differences from the report\$"
expect_grep "the first is listed" "$TMP/out" '^      households\[id=1001\]\.exit_year: expected 2017, actual null$'
expect_grep "the second" "$TMP/out" '^      years\[year=2017\]\.households\[id=1001\]\.income: expected "6600.00", actual "4800.00"$'
expect_grep "the third" "$TMP/out" '^      years\[year=2017\]\.households\[id=1001\]\.meets_standard: expected true, actual false$'
expect_grep "the fourth" "$TMP/out" '^      findings\[0\]: expected a finding matching .*OBLIGATIONS_PAID.*, none in the report$'
expect_lines "FAIL, four differences, PASS and one summary line" "$TMP/out" 7
expect_grep "still one summary line" "$TMP/out" '^1 passed, 1 failed$'

small_scenario 1800.00 "$ALL_LEVELS" '"expect": { "findings": [], "findings_exact": true }' \
    >"$TMP/none_exact.json"
expect_status 1 "findings [] exact: a run with findings fails" test "$TMP/none_exact.json"
expect_grep "every unexpected finding is counted" "$TMP/out" "^FAIL  $TMP/none_exact.json: 5 differences from the report\$"
n=$(grep -c '^      findings: unexpected finding {"rule":' "$TMP/out" || true)
check "each unexpected finding on its own line (found $n)" test "$n" -eq 5
printf '{ "vipa": 1, "expect": { "findings": [], "findings_exact": true } }\n' >"$TMP/no_findings.json"
expect_status 0 "findings [] exact: a run without findings passes" test "$TMP/no_findings.json"

# ---- findings_exact needs a findings list -------------------------------------------
small_scenario 1800.00 "$ALL_LEVELS" '"expect": { "findings_exact": true }' >"$TMP/exact_alone.json"
expect_status 1 "findings_exact without findings fails" test "$TMP/exact_alone.json"
expect_grep "it is an error in the test file" "$TMP/out" "^FAIL  $TMP/exact_alone.json: 1 error in the test file\$"
expect_grep "saying what to give" "$TMP/out" \
    '^      findings_exact needs a findings list; give "findings": \[\] to assert there are none$'
small_scenario 1800.00 "$ALL_LEVELS" '"expect": { "households": [ { "id": 1001, "exit_year": null } ] },
  "findings_exact": true' >"$TMP/exact_top_alone.json"
expect_status 1 "findings_exact at the top level without findings fails" test "$TMP/exact_top_alone.json"
expect_grep "with the same message" "$TMP/out" '^      findings_exact needs a findings list'
small_scenario 1800.00 "$ALL_LEVELS" '"expect": { "findings_exact": false, "households": [ { "id": 1001, "exit_year": null } ] }' \
    >"$TMP/exact_false.json"
expect_status 0 "findings_exact false without findings is allowed" test "$TMP/exact_false.json"

# ---- the types and keys of expect ---------------------------------------------------
small_scenario 1800.00 "$ALL_LEVELS" '"expect": {
    "findings": [ { "rule": "OBLIGATIONS_PAID", "subject": { "linkage": 1 } } ], "findings_exact": 1 }' \
    >"$TMP/exact_one.json"
expect_status 1 "findings_exact 1 is refused" test "$TMP/exact_one.json"
expect_grep "naming the key and the type" "$TMP/out" \
    '^      expect\.findings_exact: expected true or false, not an integer$'
small_scenario 1800.00 "$ALL_LEVELS" '"expect": {
    "findings": [ { "rule": "OBLIGATIONS_PAID", "subject": { "linkage": 1 } } ] }, "findings_exact": "yes"' \
    >"$TMP/exact_yes.json"
expect_status 1 "findings_exact \"yes\" at the top level is refused" test "$TMP/exact_yes.json"
expect_grep "naming the key and the type" "$TMP/out" '^      findings_exact: expected true, false or null, not a string$'

small_scenario 1800.00 "$ALL_LEVELS" '"expect": {
    "years": [ { "year": 2017, "households": [ { "id": 1001, "income": 4800 } ] } ] }' >"$TMP/money_number.json"
expect_status 1 "money as a number is refused" test "$TMP/money_number.json"
expect_grep "as an error in the test file" "$TMP/out" "^FAIL  $TMP/money_number.json: 1 error in the test file\$"
expect_grep "naming the key and the money form" "$TMP/out" \
    '^      expect\.years\[0\]\.households\[0\]\.income: expected money as a string with two decimals such as "3600\.00", not an integer$'
small_scenario 1800.00 "$ALL_LEVELS" '"expect": { "households": [ { "id": 1001, "exit_year": "2017" } ] }' \
    >"$TMP/year_string.json"
expect_status 1 "a year as a string is refused" test "$TMP/year_string.json"
expect_grep "naming the key and the type" "$TMP/out" \
    '^      expect\.households\[0\]\.exit_year: expected a year 1900\.\.9999 as an integer or null, not a string$'
small_scenario 1800.00 "$ALL_LEVELS" '"expect": { "years": [ { "year": "2017", "complete": true } ] }' \
    >"$TMP/id_string.json"
expect_status 1 "an id key of the wrong type is refused" test "$TMP/id_string.json"
expect_grep "naming it" "$TMP/out" '^      expect\.years\[0\]\.year: expected a year 1900\.\.9999 as an integer, not a string$'
small_scenario 1800.00 "$ALL_LEVELS" '"expect": { "findings": [ { "rule": "OBLIGATION_PAID" } ] }' \
    >"$TMP/rule_typo.json"
expect_status 1 "an unknown rule ID is refused" test "$TMP/rule_typo.json"
expect_grep "naming the key" "$TMP/out" '^      expect\.findings\[0\]\.rule: expected a rule ID such as "OBLIGATIONS_PAID", not "OBLIGATION_PAID"$'

small_scenario 1800.00 "$ALL_LEVELS" '"expect": { "finding": [], "households": [ { "id": 1001, "exit_year": null } ] }' \
    >"$TMP/unknown_top.json"
expect_status 1 "an unknown key of expect is refused" test "$TMP/unknown_top.json"
expect_grep "naming it and the known keys" "$TMP/out" \
    '^      expect\.finding: unknown key; expected one of vipa, stamp, signers, allocations, years, households, entities, disclosure, findings or findings_exact$'
small_scenario 1800.00 "$ALL_LEVELS" '"expect": { "years": [ { "year": 2017, "households": [ { "id": 1001, "incme": "4800.00" } ] } ] }' \
    >"$TMP/unknown_nested.json"
expect_status 1 "an unknown key inside expect is refused" test "$TMP/unknown_nested.json"
expect_grep "naming it and the known keys" "$TMP/out" \
    '^      expect\.years\[0\]\.households\[0\]\.incme: unknown key; expected one of id, income, line or meets_standard$'
printf '{ "vipa": 1, "expect": [] }\n' >"$TMP/expect_array.json"
expect_status 1 "expect must be an object" test "$TMP/expect_array.json"
expect_grep "saying so" "$TMP/out" '^      expect: expected an object (a partial report), not an array$'

small_scenario 1800.00 "$ALL_LEVELS" '"expect": {
    "vipa": "1", "findings_exact": 1, "bogus": true,
    "years": [ { "year": 2017, "households": [ { "id": 1001, "income": 4800, "line": "5904.00" } ] } ] }' \
    >"$TMP/many_errors.json"
expect_status 1 "several errors in the test file: the file fails" test "$TMP/many_errors.json"
expect_grep "FAIL counts them" "$TMP/out" "^FAIL  $TMP/many_errors.json: 4 errors in the test file\$"
expect_lines "one line each, and the summary" "$TMP/out" 6

# ---- a test must check something ----------------------------------------------------
expect_status 1 "a scenario with neither expect nor expect_error fails" test "$TMP/good.json"
expect_grep "saying what to add" "$TMP/out" \
    '^      nothing to check: add "expect" (a partial report the run must match) or "expect_error" (the error code the load or the run must fail with)$'
small_scenario 3600.00 "$ALL_LEVELS" '"expect": {}' >"$TMP/expect_empty.json"
expect_status 1 "an empty expect fails" test "$TMP/expect_empty.json"
expect_grep "saying what to add" "$TMP/out" '^      nothing to check: "expect" gives no part of the report'
small_scenario 3600.00 "$ALL_LEVELS" '"expect": { "findings_exact": false }' >"$TMP/expect_flag_only.json"
expect_status 1 "an expect of findings_exact false alone fails" test "$TMP/expect_flag_only.json"
expect_grep "saying what to add" "$TMP/out" '^      nothing to check: "expect" gives no part of the report'

finish
