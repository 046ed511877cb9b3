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

finish
