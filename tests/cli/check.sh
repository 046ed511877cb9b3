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

# ---- control characters from the scenario are shown escaped, never sent raw. ----------
control_scenario >"$TMP/ctl.json"
check "the control scenario carries an OSC sequence" grep -q 'u001b]0;pwned' "$TMP/ctl.json"
expect_status 0 "check: a scenario with control characters in its names" check "$TMP/ctl.json"
check "check prints no control character" no_controls "$TMP/out"
expect_grep "the OSC sequence is shown escaped" "$TMP/out" 'entity 1 (合作社\\x1b\]0;pwned\\x07\\u009b31m\\x7f)'
expect_grep "so are the town's name and industry" "$TMP/out" 'not nut\\x1b\[5m, .* town 城关\\x1b\[2J'
expect_grep "and the support" "$TMP/out" '产业奖补\\x1b\[31m'
# Escaped text is counted by its width as shown: the column after an escaped cell lines up.
check "the columns still line up" python3 -c '
import sys, unicodedata
def width(s):
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in s)
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
start = next(i for i, l in enumerate(lines) if l.startswith("Notices"))
head = lines[start + 1]
row = next(l for l in lines[start:] if "ONE_TOWN_ONE_INDUSTRY" in l)
sys.exit(0 if width(head[:head.index("Actual")]) == width(row[:row.index("walnut")]) else 1)
' "$TMP/out"
expect_status 0 "run: the same scenario" run "$TMP/ctl.json"
check "run prints no control character" no_controls "$TMP/out"
expect_grep "run shows the name escaped" "$TMP/out" '合作社\\x1b\]0;pwned\\x07\\u009b31m\\x7f'
expect_status 0 "explain: the same scenario" explain "$TMP/ctl.json" --agreement 1 --year 2017
check "explain prints no control character" no_controls "$TMP/out"
# Messages on standard error: the library's, quoting a key, and the program's, naming a file.
printf '{ "vipa": 1, "bad\\u001b]0;x\\u0007key": 1 }\n' >"$TMP/ctlkey.json"
expect_status 2 "check: an unknown key with control characters exits 2" check "$TMP/ctlkey.json"
check "the message holds no control character" no_controls "$TMP/err"
expect_grep "the key is shown escaped" "$TMP/err" 'bad\\x1b\]0;x\\x07key'
expect_status 2 "check: a missing file whose name has control characters" \
    check "$TMP/$(printf 'no\033]0;x\007such').json"
check "the message holds no control character" no_controls "$TMP/err"
expect_grep "the name is shown escaped" "$TMP/err" 'no\\x1b\]0;x\\x07such\.json'

# ---- reading stops at the scenario size limit (VIPA_SCENARIO_MAX_BYTES, 2 GiB). ------
# measure ARGS...: runs the program (killed after 20 s: status 124) and leaves its exit
# status in $status and its peak memory (resident set, KiB) in $rss.
measure() {
    set +e
    result=$(python3 -c 'import resource, subprocess, sys
with open(sys.argv[1], "wb") as out, open(sys.argv[2], "wb") as err:
    try:
        rc = subprocess.run(sys.argv[3:], stdout=out, stderr=err, timeout=20).returncode
    except subprocess.TimeoutExpired:
        rc = 124
print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$TMP/out" "$TMP/err" "$VIPA" "$@")
    set -e
    status=${result% *}
    rss=${result#* }
}
# A regular file is read in place, whatever its size: 3 GiB (sparse: it takes no disk)
# that open an array never closed are scanned to their end in a fixed window, and refused
# there, with the line and column of the end.
python3 -c 'import sys
with open(sys.argv[1], "wb") as f:
    f.write(b"{\"vipa\": 1, \"areas\": [")
    f.truncate(3 << 30)' "$TMP/huge.json"
measure check "$TMP/huge.json"
check "check: a 3 GiB file never closing its array exits 2 (status $status)" test "$status" -eq 2
expect_grep "the message says where the text ends" "$TMP/err" \
    'huge\.json: line 1, column [0-9]*: an array not closed before the end of the text'
expect_lines "the message is one line" "$TMP/err" 1
check "it is read in a fixed window (peak memory $rss KiB < 64 MiB)" test "$rss" -lt 65536
# An endless stream is read up to the limit and one byte more, never further: the buffer
# peaks at the limit, 2 GiB, not twice that. Skipped on a machine without the memory, and
# under AddressSanitizer, whose realloc() copies (and whose shadow memory counts too).
avail=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo 2>/dev/null || echo 0)
if grep -q __asan_init "$VIPA"; then
    pass "check /dev/zero skipped: the program is built with AddressSanitizer"
elif [ "${avail:-0}" -gt 3145728 ] && [ -c /dev/zero ]; then
    measure check /dev/zero
    check "check /dev/zero is refused with exit 2 within 20 s (status $status)" test "$status" -eq 2
    expect_grep "the message names the limit" "$TMP/err" \
        '/dev/zero: .*limit of 2147483648 (VIPA_SCENARIO_MAX_BYTES)'
    check "reading stopped at the limit (peak memory $rss KiB < 2.5 GiB)" test "$rss" -lt 2621440
else
    pass "check /dev/zero skipped: less than 3 GiB of memory available"
fi

finish
