# vipa explain: the numbers behind a household's or an agreement's year.
. "$(dirname "$0")/lib.sh"
write_fixtures

expect_status 0 "explain a household" explain "$TMP/good.json" --household 1001 --year 2017
expect_grep "the wage due" "$TMP/out" '3600\.00'
expect_grep "the other income" "$TMP/out" '3000\.00'
expect_grep "the income total" "$TMP/out" '6600\.00'
expect_grep "the line times the members" "$TMP/out" '5904\.00'
expect_grep "steps cite rule and clause" "$TMP/out" 'OBLIGATIONS_PAID, 四(四)'

expect_status 0 "explain an agreement (options in any order)" \
    explain --year=2017 --agreement 1 "$TMP/unpaid.json"
expect_grep "the failed check with its numbers" "$TMP/out" '1800\.00'
expect_grep "the outcome" "$TMP/out" 'rectification'

expect_status 2 "an unknown household exits 2" explain "$TMP/good.json" --household 9 --year 2017
expect_status 2 "a year without figures exits 2" explain "$TMP/good.json" --household 1001 --year 2030
expect_status 2 "both --household and --agreement is a usage error" \
    explain "$TMP/good.json" --household 1001 --agreement 1 --year 2017
expect_status 2 "neither is a usage error" explain "$TMP/good.json" --year 2017
expect_status 2 "a missing --year is a usage error" explain "$TMP/good.json" --household 1001
expect_status 2 "a bad id is a usage error" explain "$TMP/good.json" --household -3 --year 2017
expect_status 2 "a bad year is a usage error" explain "$TMP/good.json" --household 1001 --year 17
expect_status 2 "bad input exits 2" explain "$TMP/syntax.json" --household 1001 --year 2017

# --lang, and the language from the locale (lib.sh pins LANG=C: English)
SAMPLE="$SRC/examples/shangluo-sample.json"
expect_status 0 "explain --lang zh" explain "$SAMPLE" --agreement 1 --year 2017 --lang zh
expect_grep "the title in Chinese" "$TMP/out" '^协议 1，2017 年$'
expect_grep "a step in Chinese, by hand: linkage 1 of household 1001, 5100.00 due and paid" \
    "$TMP/out" '贫困户 1001 的利益联结 1：2017 年应付 5100\.00 元，截至 2018-01-31 实付 5100\.00 元：通过（OBLIGATIONS_PAID，四(四)）'
cp "$TMP/out" "$TMP/zh.txt"
set +e
LANG=zh_CN.UTF-8 "$VIPA" explain "$SAMPLE" --agreement 1 --year 2017 >"$TMP/out" 2>"$TMP/err"
set -e
if cmp -s "$TMP/out" "$TMP/zh.txt"; then pass "LANG=zh_CN.UTF-8 gives Chinese"; else fail "LANG=zh_CN.UTF-8 gives Chinese"; fi
set +e
LC_ALL=en_US.UTF-8 LANG=zh_CN.UTF-8 "$VIPA" explain "$SAMPLE" --agreement 1 --year 2017 >"$TMP/out" 2>"$TMP/err"
set -e
expect_grep "LC_ALL before LANG: English" "$TMP/out" '^agreement 1, 2017$'
set +e
LANG=zh_CN.UTF-8 "$VIPA" explain "$SAMPLE" --agreement 1 --year 2017 --lang en >"$TMP/out" 2>"$TMP/err"
set -e
expect_grep "--lang en over a Chinese locale" "$TMP/out" '^agreement 1, 2017$'
expect_status 2 "--lang fr is a usage error" explain "$SAMPLE" --agreement 1 --year 2017 --lang fr
expect_status 0 "explain --json --lang zh" explain "$SAMPLE" --agreement 1 --year 2017 --json --lang zh
if python3 -c '
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
s = d["steps"][1]
assert d["lang"] == "zh" and d["title"] == "协议 1，2017 年", d["title"]
assert s["kind"] == "check" and s["rule"] == "OBLIGATIONS_PAID" and s["clause"] == "四(四)"
assert s["amount"] == "5100.00" and s["date"] == "2018-01-31" and s["passed"] is True
assert s["subject"] == {"kind": "linkage", "id": 1}
assert s["text"].startswith("贫困户 1001 的利益联结 1：")
assert d["steps"][0]["kind"] == "cutoff"
' "$TMP/out"; then pass "the JSON steps: kind, rule, clause, amount, date, text, verdict"
else fail "the JSON steps: kind, rule, clause, amount, date, text, verdict"; fi

expect_status 1 "check --lang zh" check "$SAMPLE" --lang zh
expect_grep "Chinese headings" "$TMP/out" '^错误（25）$'
expect_grep "a finding in Chinese, by hand: linkage 227 paid 600.00 of 900.00" "$TMP/out" \
    '贫困户 1005 的利益联结 227（务工工资）：2016 年应付 900\.00 元，实付 600\.00 元（OBLIGATIONS_PAID，四(四)）'
expect_status 1 "check in English by default under LANG=C" check "$SAMPLE"
expect_grep "English headings" "$TMP/out" '^Errors (25)$'
expect_status 2 "check --lang de is a usage error" check "$SAMPLE" --lang de
expect_status 0 "run --lang zh (text)" run "$SAMPLE" --lang zh
expect_grep "run's findings in Chinese" "$TMP/out" '^提示（'
expect_status 2 "run --json --lang is a usage error" run "$SAMPLE" --json --lang zh

finish
