# vipa run: the bundled sample from any directory, text tables, and report JSON that is
# the same bytes every time.
. "$(dirname "$0")/lib.sh"
write_fixtures

# From a directory with nothing in it: the sample is inside the program.
cd "$TMP"
expect_status 0 "run with no FILE runs the bundled sample" run
expect_grep "the text report opens with its summary" "$TMP/out" '^Summary$'
for heading in 'Households' 'Exits by year' 'Agreements' 'Evaluation outcomes' 'Findings'; do
    expect_grep "the summary gives: $heading" "$TMP/out" "^  $heading  "
done
check "the run printed nothing on stderr" test ! -s "$TMP/err"

expect_status 0 "run --json with no FILE" run --json
cp "$TMP/out" "$TMP/sample1.json"
expect_grep "the report JSON has the format version" "$TMP/sample1.json" '^  "vipa": 1,$'
expect_grep "the report JSON has the stamp" "$TMP/sample1.json" '"input_sha256": "[0-9a-f]\{64\}"'
expect_status 0 "run --json again" run --json
check "run --json twice gives identical bytes" cmp -s "$TMP/sample1.json" "$TMP/out"
check "and they are not empty" test -s "$TMP/out"

# `vipa sample` prints what `vipa run` runs: running the printed file gives the same report.
expect_status 0 "sample prints the bundled scenario" sample
cp "$TMP/out" "$TMP/sample.json"
check "sample prints examples/shangluo-sample.json byte for byte" \
    cmp -s "$SRC/examples/shangluo-sample.json" "$TMP/sample.json"
expect_status 0 "run --json on the printed sample" run --json "$TMP/sample.json"
check "the printed sample gives the bundled sample's report" cmp -s "$TMP/sample1.json" "$TMP/out"

# A small scenario: figures and tables.
expect_status 0 "run on a scenario file" run "$TMP/good.json"
expect_grep "the year has its section" "$TMP/out" '^Year 2017$'
expect_grep "the evaluation is listed with its outcome" "$TMP/out" '2018-01-31  no  *compliant'
expect_grep "coverage of the core village" "$TMP/out" '611002001204  *1  *1'
expect_grep "the entity is active and favoured for 2017" "$TMP/out" '1  active  *-  *2017'
expect_status 0 "run on unpaid wages still exits 0 (run is no check)" run "$TMP/unpaid.json"
expect_grep "the failed check is listed with its numbers" "$TMP/out" \
    'OBLIGATIONS_PAID  *linkage 1  *3600.00  *1800.00'
expect_grep "errors are grouped with rule and clause" "$TMP/out" '^  OBLIGATIONS_PAID  *四(四)'

# Standard input.
run_vipa run --json - <"$TMP/good.json"
check "run --json - reads standard input" test "$status" -eq 0
cp "$TMP/out" "$TMP/stdin.json"
expect_status 0 "run --json FILE" run --json "$TMP/good.json"
check "standard input and the file give the same report" cmp -s "$TMP/stdin.json" "$TMP/out"

# Bad input: the library's message, naming the JSON path, and exit status 2.
expect_status 2 "run on a misspelt key exits 2" run "$TMP/typo.json"
expect_grep "the message names the key" "$TMP/err" 'househods'
expect_status 2 "run on a syntax error exits 2" run "$TMP/syntax.json"
expect_grep "the message gives line and column" "$TMP/err" 'line 2, column'
expect_status 2 "run on a missing file exits 2" run "$TMP/no-such-file.json"
check "bad input prints nothing on stdout" test ! -s "$TMP/out"

# JSON Lines (docs/scenario.md): the documented example loads; a bad record names its line.
expect_status 0 "check on the documented JSON Lines example" check "$SRC/tests/cli/data/example.jsonl"
sed 's/"village": "611002001204", "members": 3/"village": "611002009204", "members": 3/' \
    "$SRC/tests/cli/data/example.jsonl" >"$TMP/bad.jsonl"
expect_status 2 "a household of an unknown village is refused" check "$TMP/bad.jsonl"
expect_grep "the message names the line and the record" "$TMP/err" \
    'bad\.jsonl: line 7: households\[1\] (id 1002): field village'
# The same records as one JSON object, keys in reverse order, give the same report.
python3 - "$SRC/tests/cli/data/example.jsonl" "$TMP/example.json" <<'PY'
import json, sys
scenario = {}
for line in open(sys.argv[1], encoding="utf-8"):
    (key, value), = json.loads(line).items()
    if key in ("vipa", "profile"):
        scenario[key] = value
    else:
        scenario.setdefault(key, []).append(value)
reordered = dict(reversed(list(scenario.items())))
json.dump(reordered, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
PY
expect_status 0 "run --json on the JSON Lines example" run --json "$SRC/tests/cli/data/example.jsonl"
cp "$TMP/out" "$TMP/from-lines.json"
expect_status 0 "run --json on the same records as one object, keys reversed" run --json "$TMP/example.json"
check "both give the same report" cmp -s "$TMP/from-lines.json" "$TMP/out"

# The text tables in Chinese (#17): headings, cells and subjects, no English heading left;
# the figures are those of the English tables.
expect_status 0 "run --lang zh" run --lang zh
expect_grep "the summary's heading" "$TMP/out" '^概况$'
expect_grep "a year's heading" "$TMP/out" '^2017 年$'
expect_grep "the evaluations' heading with its clause" "$TMP/out" '^  绩效评估（四(五)）$'
expect_grep "an outcome in Chinese" "$TMP/out" '督促整改'
expect_grep "a subject in Chinese" "$TMP/out" '利益联结 47'
check "no English heading left" sh -c "! grep -Eq '^(Summary|Year [0-9]|  Evaluations|  Coverage|  Dividends|Entities|Disclosure)' '$TMP/out'"
expect_status 0 "run --lang en" run --lang en
expect_grep "the English tables" "$TMP/out" '^Summary$'
LANG=zh_CN.UTF-8 "$VIPA" run >"$TMP/out" 2>"$TMP/err"
expect_grep "the locale's language by default (LANG=zh_CN.UTF-8)" "$TMP/out" '^概况$'

finish
