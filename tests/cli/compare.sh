# vipa compare: a scenario under its own parameters and under a reform, what differs.
. "$(dirname "$0")/lib.sh"
write_fixtures
POOR="$SRC/tests/scenarios/equity_poor_share.json"
EXIT="$SRC/tests/compare/guarantees.json"

# 70 % -> 80 % of injection 1 (100,000.00 over three households, per household): by hand
# 26,666.67 / 26,666.67 / 26,666.66 against 23,333.34 / 23,333.33 / 23,333.33, and the
# collective 20,000.00 against 30,000.00 (三(二)); see tests/unit/test_compare.c.
expect_status 0 "compare under a higher poor share" compare "$POOR" --set equity.poor_share_bp=8000
expect_grep "the parameter changed" "$TMP/out" 'equity.poor_share_bp: 7000 -> 8000'
expect_grep "a household's new share" "$TMP/out" 'injection 1, holder household 1001: amount 23333.34 -> 26666.67'
expect_grep "the collective's" "$TMP/out" 'injection 1, holder collective 611002001204: amount 30000.00 -> 20000.00'
expect_grep "the households' total" "$TMP/out" '77000.00 *88000.00 *11000.00'

expect_status 0 "the same from a reform file" compare "$POOR" --reform "$SRC/tests/compare/poor_share_80.json" --json
cp "$TMP/out" "$TMP/from-file.json"
expect_status 0 "and from --set" compare "$POOR" --set equity.poor_share_bp=8000 --json
check "a reform file and --set give the same bytes" cmp -s "$TMP/out" "$TMP/from-file.json"
expect_status 0 "--set after --reform overrides it" compare "$POOR" --reform "$SRC/tests/compare/poor_share_80.json" --set equity.poor_share_bp=7000
expect_grep "no parameter changed" "$TMP/out" 'Parameters: the same in both runs'

expect_status 0 "a scenario against itself" compare "$POOR"
expect_grep "no row differs" "$TMP/out" 'No row of the report differs'
expect_status 0 "against itself, JSON" compare "$POOR" --json -o "$TMP/self.json"
check "no change listed" sh -c "python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); c=d[\"changes\"]; sys.exit(any(c[k] for k in c if k != \"years\") or any(v for y in c[\"years\"] for k, v in y.items() if k != \"year\"))' '$TMP/self.json'"

# Guarantees not required: household 1003 (3,000.00 against 2,952.00, no safe water)
# exits in 2017, and agreement 1's evaluation of 2017 is compliant, not rectification.
expect_status 0 "guarantees off" compare "$EXIT" --set exit.require_guarantees=false
expect_grep "the exit year moves" "$TMP/out" 'id 1003: exit_year - -> 2017'
expect_grep "the outcome moves" "$TMP/out" 'outcome rectification -> compliant'
expect_status 0 "explained step against step" compare "$EXIT" --set exit.require_guarantees=false --explain --household 1003 --year 2017
expect_grep "the differing step, baseline" "$TMP/out" '^  - exit standard 2017'
expect_grep "the differing step, reform" "$TMP/out" '^  + exit standard 2017'
expect_grep "a step the same in both" "$TMP/out" '^  = poverty line 2017'
expect_status 0 "explained in Chinese" compare "$EXIT" --set exit.require_guarantees=false --explain --household 1003 --year 2017 --lang zh
expect_grep "the differing step in Chinese" "$TMP/out" '^  + 2017 年脱贫标准：收入 3000.00 元 ≥ 贫困线 2952.00 元'

# The spreadsheets: three tables, money as money (CSV: exact text; xlsx: numbers that read
# back to the fen), the changed share of 1001 and the totals' differences as worked above.
expect_status 0 "CSV files" compare "$POOR" --set equity.poor_share_bp=8000 --format csv -o "$TMP/csv"
check "three files" test -f "$TMP/csv/params.csv" -a -f "$TMP/csv/totals.csv" -a -f "$TMP/csv/differences.csv"
expect_grep "the parameter" "$TMP/csv/params.csv" '^equity.poor_share_bp,7000,8000'
expect_grep "a changed share, with its difference" "$TMP/csv/differences.csv" '^股权配置,,"injection 1, holder household 1001",amount,23333.34,26666.67,3333.33'
expect_grep "the collectives' total" "$TMP/csv/totals.csv" ',村集体股权,33000.01,22000.01,-11000.00'
expect_status 0 "English headings" compare "$POOR" --set equity.poor_share_bp=8000 --format csv --lang en -o "$TMP/csv-en"
expect_grep "in English" "$TMP/csv-en/differences.csv" 'Table,Year,Row,Field,Baseline,Reform,Difference'
expect_status 0 "a workbook" compare "$POOR" --set equity.poor_share_bp=8000 -o "$TMP/cmp.xlsx"
if python3 -c 'import openpyxl' 2>/dev/null; then
    check "the workbook's sheets and a money cell to the fen" python3 -c '
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
assert wb.sheetnames == ["参数变化", "合计", "差异"], wb.sheetnames
rows = list(wb["差异"].iter_rows(values_only=True))
row = [r for r in rows if r[2] == "injection 1, holder household 1001"][0]
assert round(row[4] * 100) == 2333334 and round(row[5] * 100) == 2666667, row
assert wb["差异"].freeze_panes == "A2"
' "$TMP/cmp.xlsx"
fi
expect_status 2 "csv without a directory" compare "$POOR" --format csv
expect_status 2 "--lang without a spreadsheet" compare "$POOR" --lang en

# Errors: each names the option, nothing is written.
expect_status 2 "an unknown parameter" compare "$POOR" --set shares=1
expect_grep "named" "$TMP/err" 'unknown parameter'
expect_status 2 "a value out of range" compare "$POOR" --set equity.poor_share_bp=10001
expect_grep "with its range" "$TMP/err" 'expected 0..10000'
expect_status 2 "not an integer" compare "$POOR" --set equity.poor_share_bp=8e3
expect_status 2 "not a boolean" compare "$POOR" --set exit.require_guarantees=yes
expect_status 2 "not money" compare "$POOR" --set poverty_line.2017=abc
expect_status 2 "--set without =" compare "$POOR" --set equity.poor_share_bp
printf '{"vipa": 1, "params": {"equity.poor_share_bp": "8000"}}' >"$TMP/bad-reform.json"
expect_status 2 "a bad reform file" compare "$POOR" --reform "$TMP/bad-reform.json"
expect_grep "its JSON path" "$TMP/err" 'params.equity.poor_share_bp'
expect_status 2 "a missing reform file" compare "$POOR" --reform "$TMP/none.json"
expect_status 2 "--explain without --year" compare "$EXIT" --explain --household 1003
expect_status 2 "--explain with --json" compare "$EXIT" --explain --household 1003 --year 2017 --json
expect_status 2 "--household without --explain" compare "$EXIT" --household 1003
expect_status 2 "an unknown household" compare "$EXIT" --explain --household 9 --year 2017
expect_status 2 "bad input" compare "$TMP/syntax.json"
expect_status 3 "a full disk" compare "$POOR" --set equity.poor_share_bp=8000 --json -o /dev/full

finish
