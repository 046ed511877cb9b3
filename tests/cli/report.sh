# vipa report: one self-contained HTML page, written whole or not at all.
# (tests/browser/report.py renders the sample's page in a real browser.)
. "$(dirname "$0")/lib.sh"
write_fixtures
mkdir "$TMP/o"

expect_status 0 "report --help" report --help
expect_grep "report --help shows its usage" "$TMP/out" '^Usage: vipa report'

# ---- the page of a one-household scenario -------------------------------------------
expect_status 0 "report -o writes the page" report "$TMP/good.json" -o "$TMP/o/good.html"
check "nothing on stdout with -o" test ! -s "$TMP/out"
check "nothing on stderr" test ! -s "$TMP/err"
page=$TMP/o/good.html
check "the page starts with the doctype" sh -c "head -1 '$page' | grep -qx '<!DOCTYPE html>'"
expect_grep "UTF-8 is declared" "$page" '<meta charset="utf-8">'
expect_grep "a CJK font stack" "$page" 'Noto Sans CJK SC.*Source Han Sans SC.*WenQuanYi Micro Hei'
check "the page ends with </html>" sh -c "tail -1 '$page' | grep -qx '</html>'"
expect_grep "the summary heading" "$page" '<h2 id="summary">概要'
expect_grep "Chinese names from the scenario" "$page" '杏树园村'
expect_grep "the entity's name" "$page" '商州区核桃专业合作社'

# Self-contained: no scripts, no styles or images from elsewhere.
check "no script at all" sh -c "! grep -qi '<script' '$page'"
check "no src attributes" sh -c "! grep -qi ' src=' '$page'"
check "links only to anchors of the page" sh -c "! grep -o 'href=\"[^\"]*\"' '$page' | grep -qv 'href=\"#'"
check "no url() or @import in the style sheet" sh -c "! grep -qiE 'url\\(|@import' '$page'"
check "no http(s) reference" sh -c "! grep -qiE 'https?:' '$page'"

# One village in one year: one coverage bar, full; one compliant evaluation; one entity.
count() { grep -o "$1" "$page" | wc -l | tr -d ' '; }
check "one coverage bar (found $(count '<rect class="bar '))" test "$(count '<rect class="bar ')" -eq 1
expect_grep "the bar carries its numbers" "$page" \
    'class="bar full"[^>]*data-year="2017" data-village="611002001204" data-willing="1" data-covered="1"'
check "one evaluation" test "$(count 'class="evaluation ')" -eq 1
expect_grep "it is compliant" "$page" 'class="evaluation o-compliant"[^>]*data-outcome="compliant"'
check "one entity row" test "$(count '<tr class="entity"')" -eq 1
check "13 histogram buckets for the one year" test "$(count '<rect class="hbar ')" -eq 13
# Income 3600.00 + 3000.00 = 6600.00 against 2 × 2952.00 = 5904.00: ratio 1.118, bucket 4.
expect_grep "the household is in bucket [1.00, 1.25)" "$page" \
    'data-year="2017" data-bucket="4" data-lo="1.00" data-hi="1.25" data-count="1"'
expect_grep "the poverty line is marked at 1.0" "$page" 'class="pline"[^>]*data-ratio="1.0"'

run_vipa run "$TMP/good.json" --json
findings=$(grep -c '"rule":' "$TMP/out" || true)
check "one row per finding ($findings)" test "$(count '<tr class="finding ')" -eq "$findings"

# ---- outcomes and findings of the unpaid wage --------------------------------------------
expect_status 0 "a scenario with findings still reports (exit 0)" report "$TMP/unpaid.json" -o "$TMP/o/unpaid.html"
page=$TMP/o/unpaid.html
expect_grep "the evaluation asks for rectification" "$page" 'class="evaluation o-rectification"'
expect_grep "findings are grouped by rule" "$page" '<section class="rule-group" id="rule-OBLIGATIONS_PAID"'
expect_grep "with the rule's clause" "$page" '<code>OBLIGATIONS_PAID</code> <span class="clause">四(四)</span>'
expect_grep "the failed checks are named in the cell" "$page" \
    '<span class="fails" data-failed="3">OBLIGATIONS_PAID<br>EXIT_BY_DEADLINE<br>PLAN_TASKS_MET</span>'

# ---- every text is escaped ------------------------------------------------------------------
sed -e 's|商州区核桃专业合作社|<script>alert(\\"x\\")</script> \& '"'"'q'"'"'|' \
    -e 's|"杏树园村"|"<b>杏树园村</b>"|' "$TMP/good.json" >"$TMP/hostile.json"
expect_status 0 "report on hostile names" report "$TMP/hostile.json" -o "$TMP/o/hostile.html"
page=$TMP/o/hostile.html
check "no script element from the input" sh -c "! grep -qi '<script' '$page'"
expect_grep "the name is escaped" "$page" '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;'
expect_grep "the village name is escaped, in the chart too" "$page" '<text class="vname"[^>]*>&lt;b&gt;杏树园村'
check "no <b> element from the input" sh -c "! grep -q '<b>杏树园村' '$page'"

# ---- standard output, standard input, the bundled sample, determinism --------------------
run_vipa report "$TMP/good.json"
check "without -o the page goes to stdout, the same bytes" cmp -s "$TMP/out" "$TMP/o/good.html"
run_vipa report "$TMP/good.json"
check "the same input gives the same page" cmp -s "$TMP/out" "$TMP/o/good.html"
set +e
"$VIPA" report - -o "$TMP/o/stdin.html" <"$TMP/good.json" 2>"$TMP/err"
status=$?
set -e
check "FILE - reads standard input" test "$status" -eq 0
expect_grep "and says so on the page" "$TMP/o/stdin.html" '(standard input)'
expect_status 0 "no FILE: the bundled sample" report -o "$TMP/o/sample.html"
expect_grep "the sample's page" "$TMP/o/sample.html" '示例五村'
check "no temporary file is left after success" sh -c "! ls -A '$TMP/o' | grep -q 'vipa-tmp\\|\\.tmp\\.'"

# ---- whole or not at all, and the exit statuses ----------------------------------------------
printf 'previous page\n' >"$TMP/o/keep.html"
expect_status 2 "a syntax error exits 2" report "$TMP/syntax.json" -o "$TMP/o/keep.html"
check "the existing page is untouched" grep -qx 'previous page' "$TMP/o/keep.html"
expect_status 2 "an unknown key exits 2" report "$TMP/typo.json" -o "$TMP/o/new.html"
check "no page is created" test ! -e "$TMP/o/new.html"
expect_status 2 "a missing file exits 2" report "$TMP/absent.json" -o "$TMP/o/new.html"
check "no page is created for a missing file" test ! -e "$TMP/o/new.html"
check "no temporary file is left after bad input" sh -c "! ls -A '$TMP/o' | grep -q 'vipa-tmp\\|\\.tmp\\.'"
expect_status 3 "an unwritable output path exits 3" report "$TMP/good.json" -o "$TMP/missing/dir/r.html"
check "nothing was created" test ! -e "$TMP/missing"
expect_status 0 "-o replaces an existing page" report "$TMP/good.json" --output="$TMP/o/keep.html"
check "the replaced page is the whole page" cmp -s "$TMP/o/keep.html" "$TMP/o/good.html"

# -o is the same as run's: a symlink's target is replaced and keeps its mode, a
# directory is refused, a character device or "-" is written in place.
printf 'old\n' >"$TMP/o/private.html"
chmod 600 "$TMP/o/private.html"
ln -s private.html "$TMP/o/page-link.html"
expect_status 0 "report -o SYMLINK" report "$TMP/good.json" -o "$TMP/o/page-link.html"
check "the link stays a link" test -L "$TMP/o/page-link.html"
check "its target holds the page" cmp -s "$TMP/o/private.html" "$TMP/o/good.html"
check "and stays 0600" test "$(ls -l "$TMP/o/private.html" | cut -c1-10)" = "-rw-------"
mkdir "$TMP/o/pages"
expect_status 2 "report -o DIRECTORY is refused" report "$TMP/good.json" -o "$TMP/o/pages"
expect_grep "the message says it is a directory" "$TMP/err" "pages.*directory"
ln -s /dev/null "$TMP/o/null-link"
expect_status 0 "report -o SYMLINK-TO-/dev/null" report "$TMP/good.json" -o "$TMP/o/null-link"
check "the link to /dev/null stays a link" test -L "$TMP/o/null-link"
(cd "$TMP/o/pages" && "$VIPA" report "$TMP/good.json" -o -) >"$TMP/out" 2>"$TMP/err" &&
    status=0 || status=$?
check "report -o - exits 0" test "$status" -eq 0
check "report -o - prints the page on standard output" cmp -s "$TMP/out" "$TMP/o/good.html"
check "report -o - creates no file named -" test ! -e "$TMP/o/pages/-"

for args in "-o" "--bogus" "a.json b.json" "--output="; do
    # shellcheck disable=SC2086
    expect_status 2 "usage error: report $args" report $args
    expect_lines "usage error: report $args: one line on stderr" "$TMP/err" 1
done

finish
