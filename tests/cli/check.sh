# vipa check: findings only; exit status 0 (no error finding), 1 (some), 2 (bad input).
. "$(dirname "$0")/lib.sh"
write_fixtures

expect_status 0 "check: an empty scenario has no findings" check "$TMP/empty.json"
expect_grep "and says so" "$TMP/out" '^No findings\.$'
expect_status 0 "check: a compliant scenario exits 0" check "$TMP/good.json"
expect_grep "its notices are listed" "$TMP/out" '^Notices ([0-9]*)$'
check "no error section when there is no error" sh -c "! grep -q '^Errors' '$TMP/out'"

expect_status 1 "check: unpaid wages exit 1" check "$TMP/unpaid.json"
# Errors: the evaluation's OBLIGATIONS_PAID (1800.00 of 3600.00), EXIT_BY_DEADLINE (1800.00 +
# 3000.00 = 4800.00 < 5904.00) and PLAN_TASKS_MET (4800.00 < the task's 6000.00). The
# complete year's own check of 2017 (no as_of: every year is complete) finds the same
# 1800.00 of 3600.00, which the evaluation reported already: no second finding.
expect_grep "errors come first, counted" "$TMP/out" '^Errors (3)$'
expect_grep "the error names rule, clause, year and subject" "$TMP/out" \
    'OBLIGATIONS_PAID  *四(四)  *2017  *linkage 1'
expect_grep "a plan filed at two levels only" "$TMP/out" 'EXIT_BY_DEADLINE'
small_scenario 3600.00 '["county", "village"]' >"$TMP/unfiled.json"
expect_status 1 "check: a plan not filed at town level exits 1" check "$TMP/unfiled.json"
expect_grep "PLAN_FILED_3_LEVELS is reported" "$TMP/out" 'PLAN_FILED_3_LEVELS'

expect_status 2 "check: a syntax error exits 2" check "$TMP/syntax.json"
expect_lines "the message is one line" "$TMP/err" 1
# The scenario-test class "bad syntax": a file that is not JSON cannot carry
# expect_error, so it is checked here: refused, exit 2, with its line and column.
expect_status 2 "run: a truncated scenario exits 2" run "$SRC/tests/cli/data/bad_syntax.json"
expect_grep "the message gives line and column" "$TMP/err" 'line [0-9]*, column [0-9]*'
expect_status 2 "check: an unknown key exits 2" check "$TMP/typo.json"
expect_grep "the message names the JSON path" "$TMP/err" 'househods'
expect_status 2 "check: a missing file exits 2" check "$TMP/none.json"
expect_status 2 "check: a directory exits 2" check "$TMP"
# A year evaluated without a poverty line (the profile has none for 2030) is bad input.
sed 's/"year": 2017, "date": "2018-01-31"/"year": 2030, "date": "2031-01-31"/' "$TMP/good.json" \
    >"$TMP/noline.json"
expect_status 2 "check: a year without a poverty line exits 2" check "$TMP/noline.json"
expect_grep "the message names the parameter" "$TMP/err" 'poverty_line'

finish
