# vipa report: the county report (docs/report.md), one self-contained HTML page written
# whole or not at all, or linked pages (-o DIR/); its numbers checked by tests/browser/report.py --written (no browser).
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
expect_grep "the page is Chinese by default" "$page" '<html lang="zh-CN">'
expect_grep "Chinese names from the scenario" "$page" '杏树园村'
expect_grep "the entity's name" "$page" '商州区核桃专业合作社'

# Self-contained: no scripts, no styles or images from elsewhere.
check "no script at all" sh -c "! grep -qi '<script' '$page'"
check "no src attributes" sh -c "! grep -qi ' src=' '$page'"
check "links only to anchors of the page" sh -c "! grep -o 'href=\"[^\"]*\"' '$page' | grep -qv 'href=\"#'"
check "no url() or @import in the style sheet" sh -c "! grep -qiE 'url\\(|@import' '$page'"
check "no http(s) reference" sh -c "! grep -qiE 'https?:' '$page'"
check "no date of printing unless asked" sh -c "! grep -q 'class=\"printed\"' '$page'"
expect_grep "A4 with page numbers" "$page" '@page{size:A4;'
expect_grep "rows are not broken across pages" "$page" 'tr{break-inside:avoid}'

# The numbers against the contract, worked out from the report JSON and the scenario.
check "the numbers of the one-household page" python3 "$SRC/tests/browser/report.py" --written \
    "$VIPA" "$TMP/good.json" "$page"
count() { grep -o "$1" "$page" | wc -l | tr -d ' '; }
check "one trend mark per year and series (1 year: 9)" test "$(count '<rect class="mark"')" -eq 9
check "no rule ID without its title" sh -c "! sed 's/<small class=\"rule-id\">[A-Z_0-9]*<//g; s/data-rule=\"[A-Z_0-9]*\"//g' '$page' | grep -q 'OBLIGATIONS_PAID\|SIGNER_LEVEL'"

# ---- outcomes and findings of the unpaid wage --------------------------------------------
expect_status 0 "a scenario with findings still reports (exit 0)" report "$TMP/unpaid.json" -o "$TMP/o/unpaid.html"
page=$TMP/o/unpaid.html
expect_grep "the evaluation asks for rectification" "$page" 'data-outcome="rectification"><td>2017'
expect_grep "an error is in the action section under its entity" "$page" '<div class="owed" data-entity="1" data-fen="180000">'
expect_grep "and its agreement, 1800.00 owed" "$page" '<div class="owed-agreement" data-agreement="1" data-fen="180000">'
expect_grep "rules are named by their Chinese title, the ID beside it" "$page" \
    '<span class="rule"><span class="rule-title">[^<]*</span> <small class="rule-id">OBLIGATIONS_PAID</small></span>'
check "the numbers of the unpaid page" python3 "$SRC/tests/browser/report.py" --written \
    "$VIPA" "$TMP/unpaid.json" "$page"
expect_status 0 "--lang en" report "$TMP/unpaid.json" --lang en -o "$TMP/o/en.html"
expect_grep "the English page says so" "$TMP/o/en.html" '<html lang="en">'
expect_grep "and prints its page numbers in English" "$TMP/o/en.html" 'Page " counter(page) " of " counter(pages)'
check "the English page has the same numbers" python3 "$SRC/tests/browser/report.py" --written \
    "$VIPA" "$TMP/unpaid.json" "$TMP/o/en.html" --numbers-only

# ---- the frame: --unit, --printed --------------------------------------------------------
expect_status 0 "--unit and --printed" report "$TMP/good.json" --unit '商州区<扶贫办> "x" \ '"$(printf '\342\200\250')" \
    --printed 2020-02-03 -o "$TMP/o/frame.html"
expect_grep "the unit is escaped in the frame" "$TMP/o/frame.html" '<span class="unit">商州区&lt;扶贫办&gt; &quot;x&quot;'
check "and escaped in the print header's CSS string" grep -qF '商州区\3c 扶贫办\3e  \22 x\22  \5c  \2028 ' "$TMP/o/frame.html"
expect_grep "the date printed, in Chinese" "$TMP/o/frame.html" '<span class="printed">2020年2月3日</span>'
for bad in 2020-02-30 2020/02/03 yesterday ""; do
    expect_status 2 "--printed '$bad' is refused" report "$TMP/good.json" --printed "$bad"
    expect_lines "--printed '$bad': one line on stderr" "$TMP/err" 1
done
expect_status 2 "--lang fr is refused" report "$TMP/good.json" --lang fr
expect_status 2 "--page-size below 16384 is refused" report --page-size 100 -o "$TMP/o/small/"

# ---- linked pages: -o DIR/ -----------------------------------------------------------------
expect_status 0 "-o DIR/ writes linked pages of the sample" report --page-size 40000 -o "$TMP/o/site/"
check "index, counties and towns" test -f "$TMP/o/site/index.html" -a -f "$TMP/o/site/county-611002000000.html" \
    -a -f "$TMP/o/site/town-611002112000.html"
check "a town past the page size continues" test -f "$TMP/o/site/town-611002112000-2.html"
expect_grep "and links its next page" "$TMP/o/site/town-611002112000.html" '<a class="next" href="town-611002112000-2.html">下一页</a>'
check "every page's numbers, every page under 2 MB" python3 "$SRC/tests/browser/report.py" --written \
    "$VIPA" "$SRC/examples/shangluo-sample.json" "$TMP/o/site"
check "links between pages are relative" sh -c "! cat '$TMP/o/site/'*.html | grep -o 'href=\"[^\"]*\"' | grep -q 'href=\"[a-z]*:\|href=\"/'"
check "no temporary file is left in the directory" sh -c "! ls -A '$TMP/o/site' | grep -q 'vipa-tmp'"
printf 'x\n' >"$TMP/o/plain-file"
expect_status 2 "-o FILE/ on a regular file is refused" report -o "$TMP/o/plain-file/"
expect_grep "the message says it is not a directory" "$TMP/err" 'is not a directory'
mkdir "$TMP/o/locked"
chmod 500 "$TMP/o/locked"
if [ ! -w "$TMP/o/locked" ]; then
    expect_status 3 "a directory that cannot be written exits 3" report -o "$TMP/o/locked/"
    check "nothing is left in it" test -z "$(ls -A "$TMP/o/locked")"
fi
chmod 700 "$TMP/o/locked"

# ---- every text is escaped ------------------------------------------------------------------
sed -e 's|商州区核桃专业合作社|<script>alert(\\"x\\")</script> \& '"'"'q'"'"'\\u2028|' \
    -e 's|"杏树园村"|"<b>杏树园村</b>"|' -e 's|"商州区"|"<i>商州区</i>"|' "$TMP/good.json" >"$TMP/hostile.json"
expect_status 0 "report on hostile names" report "$TMP/hostile.json" -o "$TMP/o/hostile.html"
expect_status 0 "linked pages of hostile names" report "$TMP/hostile.json" -o "$TMP/o/hostile/"
for page in "$TMP/o/hostile.html" "$TMP/o/hostile/"*.html; do
    check "no script element from the input: $(basename "$page")" sh -c "! grep -qi '<script' '$page'"
    check "no <b> or <i> element from the input: $(basename "$page")" sh -c "! grep -q '<b>杏树园村\|<i>商州区' '$page'"
done
page=$TMP/o/hostile.html
expect_grep "the entity's name is escaped" "$page" '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;'
expect_grep "the village name is escaped in the rollup" "$page" '<a href="#village-611002001204">&lt;b&gt;杏树园村'
check "the county name is escaped in the print header" grep -qF '\3c i\3e 商州区\3c \2f i\3e ' "$TMP/o/hostile/county-611002000000.html"

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
expect_grep "and says so on the page" "$TMP/o/stdin.html" '（标准输入）'
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
expect_status 0 "report -o DIRECTORY writes the linked pages into it" report "$TMP/good.json" -o "$TMP/o/pages"
check "its index is there" test -f "$TMP/o/pages/index.html"
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
