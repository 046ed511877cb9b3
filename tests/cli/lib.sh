# Shared by the tests of the `vipa` command (tests/cli/*.sh); sourced, never run.
# Each test script is called as: sh tests/cli/NAME.sh /path/to/vipa /path/to/source-root
# and exits 0 when every check passed. POSIX sh only: it runs under dash as well.
set -eu
# The outputs checked are the English ones: the language the command takes from the
# locale (LC_ALL, LC_MESSAGES, LANG) is pinned, whatever the caller's.
unset LC_ALL LC_MESSAGES
LANG=C
export LANG

if [ $# -ne 2 ]; then
    echo "usage: $0 VIPA-PROGRAM SOURCE-ROOT" >&2
    exit 2
fi
# Absolute paths: meson passes the program relative to the build directory, and a
# test may change directory.
case $1 in /*) VIPA=$1 ;; *) VIPA=$(pwd)/$1 ;; esac
case $2 in /*) SRC=$2 ;; *) SRC=$(pwd)/$2 ;; esac
TMP=$(mktemp -d "${TMPDIR:-/tmp}/vipa-cli.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM
failures=0

pass() { printf 'ok    %s\n' "$1"; }
fail() { printf 'FAIL  %s\n' "$1"; failures=$((failures + 1)); }

# run_vipa ARGS...: runs the program with stdout in $TMP/out and stderr in $TMP/err;
# its exit status is left in $status (set -e must not stop the script on it).
run_vipa() {
    set +e
    "$VIPA" "$@" >"$TMP/out" 2>"$TMP/err"
    status=$?
    set -e
}

# expect_status WANT NAME ARGS...: runs the program and checks its exit status.
expect_status() {
    want=$1
    name=$2
    shift 2
    run_vipa "$@"
    if [ "$status" -eq "$want" ]; then
        pass "$name"
    else
        fail "$name: exit status $status, expected $want"
        sed 's/^/      stderr: /' "$TMP/err"
    fi
}

# expect_grep NAME FILE PATTERN: FILE has a line matching the basic regular expression.
expect_grep() {
    if grep -q -- "$3" "$2"; then
        pass "$1"
    else
        fail "$1: no line matches '$3' in $(basename "$2")"
        sed 's/^/      | /' "$2" | head -20
    fi
}

# expect_lines NAME FILE N: FILE has exactly N lines.
expect_lines() {
    n=$(wc -l <"$2" | tr -d ' ')
    if [ "$n" -eq "$3" ]; then
        pass "$1"
    else
        fail "$1: $n lines in $(basename "$2"), expected $3"
        sed 's/^/      | /' "$2" | head -20
    fi
}

# check NAME COMMAND...: a shell condition that must hold.
check() {
    name=$1
    shift
    if "$@"; then
        pass "$name"
    else
        fail "$name"
    fi
}

finish() {
    if [ "$failures" -ne 0 ]; then
        echo "$failures check(s) failed"
        exit 1
    fi
    echo "all checks passed"
}

# small_scenario PAID FILED [EXTRA]: a one-household scenario. Household 1001 (2
# members) works for entity 1 under agreement 1: a wage of 3600.00 due for 2017, of
# which PAID is paid on 2017-12-20, plus 3000.00 of other income; the line is
# 2 × 2952.00 = 5904.00. Its plan is filed at FILED (a JSON list of levels). EXTRA is
# spliced in as further top-level members (an "expect", say). With PAID 3600.00 and
# all three levels, the evaluation of 2017 is compliant and nothing is an error.
small_scenario() {
    cat <<JSON
{ "vipa": 1,
  "profile": { "base": "shangluo-2016", "params": { "poverty_line": { "2017": "2952.00" } } },
  "areas": [ { "code": "611002000000", "name": "商州区", "level": "county" },
             { "code": "611002001000", "name": "城关街道", "level": "town", "industry": "walnut" },
             { "code": "611002001204", "name": "杏树园村", "level": "village" } ],
  "entities": [ { "id": 1, "name": "商州区核桃专业合作社", "kind": "cooperative",
                  "core_village": "611002001204", "industry": "walnut",
                  "selection": { "well_managed": true, "profitable": true, "financially_strong": true,
                                 "socially_responsible": true, "trustworthy": true,
                                 "wide_coverage": true, "sustainable": true, "willing": true } } ],
  "households": [ { "id": 1001, "village": "611002001204", "members": 2, "labour": 1,
                    "cause": "illness", "willing": true, "exited": null,
                    "assured": { "2017": ["food_clothing", "education", "medical", "housing", "water"] } } ],
  "agreements": [ { "id": 1, "entity": 1, "households": [1001], "household_count": 1,
                    "projects": ["核桃提质增效"], "support": ["产业奖补"],
                    "start": "2016-11-01", "end": "2019-12-31", "exit_deadline": 2018,
                    "signed": "2016-11-15", "signer": { "level": "village", "area": "611002001204" } } ],
  "plans": [ { "household": 1001, "agreement": 1, "exit_target": 2017, "industries": ["walnut"],
               "measures": ["合作社务工"], "tasks": [ { "year": 2017, "income": "6000.00" } ],
               "filed": $2 } ],
  "linkages": [ { "id": 1, "kind": "wage", "household": 1001, "entity": 1, "agreement": 1,
                  "from": 2017, "to": 2017, "annual": "3600.00" } ],
  "payments": [ { "linkage": 1, "year": 2017, "amount": "$1", "date": "2017-12-20" } ],
  "incomes": [ { "household": 1001, "year": 2017, "other": "3000.00" } ],
  "evaluations": [ { "year": 2017, "date": "2018-01-31" } ]${3:+,
  $3}
}
JSON
}

ALL_LEVELS='["county", "town", "village"]'

# The compliant scenario, the one with unpaid wages, and broken inputs.
write_fixtures() {
    small_scenario 3600.00 "$ALL_LEVELS" >"$TMP/good.json"
    small_scenario 1800.00 "$ALL_LEVELS" >"$TMP/unpaid.json"
    printf '{ "vipa": 1,\n  "households": [ }\n' >"$TMP/syntax.json"
    printf '{ "vipa": 1, "househods": [] }\n' >"$TMP/typo.json"
    printf '{ "vipa": 1 }\n' >"$TMP/empty.json"
}

# no_controls FILE: FILE holds no terminal control character but the newline: no C0
# control (ESC, BEL, ...), no DEL, no C1 control (U+0080..U+009F as UTF-8).
no_controls() {
    python3 -c 'import re, sys
data = open(sys.argv[1], "rb").read()
m = re.search(rb"[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]", data)
if m:
    print("control byte(s) %r at offset %d" % (m.group(), m.start()), file=sys.stderr)
sys.exit(1 if m else 0)' "$1"
}

# control_scenario: the compliant scenario with terminal control sequences in the texts
# that findings quote: the entity's name (an OSC title change ended by BEL, a C1 CSI, a
# DEL), the town's name and industry (CSI sequences) and the agreement's support. The
# entity misses one selection criterion so that a finding names it.
control_scenario() {
    small_scenario 3600.00 "$ALL_LEVELS" | sed \
        -e 's/"name": "商州区核桃专业合作社"/"name": "合作社\\u001b]0;pwned\\u0007\\u009b31m\\u007f"/' \
        -e 's/"wide_coverage": true, //' \
        -e 's/"name": "城关街道"/"name": "城关\\u001b[2J"/' \
        -e 's/"industry": "walnut" }/"industry": "nut\\u001b[5m" }/' \
        -e 's/"support": \["产业奖补"\]/"support": ["产业奖补\\u001b[31m"]/'
}
