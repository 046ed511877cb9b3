# vipa run -o OUT: the output file is written whole or not at all.
. "$(dirname "$0")/lib.sh"
write_fixtures
mkdir "$TMP/o"

# no_leftovers DIR: no temporary file of ours (".OUT.vipa-tmp.XXXXXX", formerly
# "OUT.tmp.XXXXXX") is in DIR.
no_leftovers() {
    # shellcheck disable=SC2010 # names only, matched as text
    ! ls -A "$1" | grep -q 'vipa-tmp\|\.tmp\.'
}
# mode_of FILE: its permissions as ls shows them ("-rw-------").
mode_of() {
    # shellcheck disable=SC2012 # the mode column, not names
    ls -ld "$1" | cut -c1-10
}

expect_status 0 "run --json -o writes the report" run "$TMP/good.json" --json -o "$TMP/o/report.json"
check "nothing on stdout with -o" test ! -s "$TMP/out"
run_vipa run "$TMP/good.json" --json
check "the file holds exactly what stdout gets" cmp -s "$TMP/out" "$TMP/o/report.json"
expect_status 0 "--output=OUT writes the text report" run "$TMP/good.json" --output="$TMP/o/report.txt"
expect_grep "the text report is in the file" "$TMP/o/report.txt" '^Summary$'
check "no temporary file is left after success" no_leftovers "$TMP/o"

# Bad input: the existing file stays as it was, and no new file appears.
printf 'previous report\n' >"$TMP/o/keep.json"
expect_status 2 "bad input with -o exits 2" run "$TMP/syntax.json" --json -o "$TMP/o/keep.json"
check "the existing output file is untouched" grep -qx 'previous report' "$TMP/o/keep.json"
expect_status 2 "bad input with -o to a new file exits 2" run "$TMP/typo.json" -o "$TMP/o/new.json"
check "no output file is created" test ! -e "$TMP/o/new.json"
check "no temporary file is left after bad input" no_leftovers "$TMP/o"

# An output directory that does not exist: an I/O error, exit 3, nothing written.
expect_status 3 "an unwritable output path exits 3" run "$TMP/good.json" -o "$TMP/missing/dir/r.json"
check "nothing was created" test ! -e "$TMP/missing"

# Replacing an existing file is a rename: the new report, complete.
expect_status 0 "-o replaces an existing file" run "$TMP/good.json" --json -o "$TMP/o/keep.json"
run_vipa run "$TMP/good.json" --json
check "the replaced file holds the whole report" cmp -s "$TMP/out" "$TMP/o/keep.json"
expect_status 2 "-o without a file name is a usage error" run "$TMP/good.json" -o

# The reports the files below must hold.
run_vipa run "$TMP/good.json" --json
cp "$TMP/out" "$TMP/want.json"
run_vipa run "$TMP/good.json"
cp "$TMP/out" "$TMP/want.txt"

# ---- what OUT is: a regular file or a new name is replaced atomically; a character
# device, a FIFO or "-" is written in place; anything else is refused. -------------------

# A symbolic link: its target is replaced, the link stays. A relative link is resolved
# from the link's directory, not from the current one.
mkdir "$TMP/o/sub" "$TMP/o/elsewhere"
printf 'old\n' >"$TMP/o/sub/target.json"
ln -s sub/target.json "$TMP/o/link.json"
(cd "$TMP/o/elsewhere" && "$VIPA" run "$TMP/good.json" --json -o ../link.json) >"$TMP/out" 2>"$TMP/err" &&
    status=0 || status=$?
check "-o through a symlink exits 0" test "$status" -eq 0
check "the symlink stays a symlink" test -L "$TMP/o/link.json"
check "and still points where it pointed" test "$(readlink "$TMP/o/link.json")" = sub/target.json
check "its target holds the report" cmp -s "$TMP/want.json" "$TMP/o/sub/target.json"
check "nothing was written beside the link or in the current directory" \
    test "$(ls -A "$TMP/o/elsewhere")" = ""
check "no temporary file is left beside the target" no_leftovers "$TMP/o/sub"
ln -s link.json "$TMP/o/link2.json"
expect_status 0 "-o through a chain of symlinks" run "$TMP/good.json" -o "$TMP/o/link2.json"
check "both links stay links" sh -c "test -L '$TMP/o/link2.json' && test -L '$TMP/o/link.json'"
check "the last target holds the text report" cmp -s "$TMP/want.txt" "$TMP/o/sub/target.json"
ln -s new-target.json "$TMP/o/dangling.json"
expect_status 0 "-o through a dangling symlink" run "$TMP/good.json" --json -o "$TMP/o/dangling.json"
check "the dangling link stays a link" test -L "$TMP/o/dangling.json"
check "its target was created with the report" cmp -s "$TMP/want.json" "$TMP/o/new-target.json"
ln -s loop-b "$TMP/o/loop-a"
ln -s loop-a "$TMP/o/loop-b"
expect_status 3 "-o through a symlink loop exits 3" run "$TMP/good.json" -o "$TMP/o/loop-a"
expect_grep "the message names the link" "$TMP/err" 'loop-a'
check "the looping links stay links" sh -c "test -L '$TMP/o/loop-a' && test -L '$TMP/o/loop-b'"

# A directory, also behind a symlink, and a socket: refused, nothing written or replaced.
mkdir "$TMP/o/adir"
expect_status 2 "-o DIRECTORY is refused" run "$TMP/good.json" -o "$TMP/o/adir"
expect_grep "the message names the path and says it is a directory" "$TMP/err" "adir.*directory"
expect_lines "the message is one line" "$TMP/err" 1
check "the directory stays, empty" sh -c "test -d '$TMP/o/adir' && test -z \"\$(ls -A '$TMP/o/adir')\""
ln -s adir "$TMP/o/dirlink"
expect_status 2 "-o SYMLINK-TO-DIRECTORY is refused" run "$TMP/good.json" -o "$TMP/o/dirlink"
expect_grep "the message names the link and its target" "$TMP/err" "dirlink.*adir.*directory"
check "the link to the directory stays a link" test -L "$TMP/o/dirlink"
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$TMP/o/sock"
expect_status 2 "-o SOCKET is refused" run "$TMP/good.json" -o "$TMP/o/sock"
expect_grep "the message says it is a socket" "$TMP/err" "sock.*socket"
check "the socket stays a socket" test -S "$TMP/o/sock"
# A block device: only root may make one (a node of its own here, never opened).
if mknod "$TMP/o/blk" b 7 250 2>/dev/null; then
    expect_status 2 "-o BLOCK-DEVICE is refused" run "$TMP/good.json" -o "$TMP/o/blk"
    expect_grep "the message says it is a block device" "$TMP/err" "blk.*block device"
    check "the block device stays a block device" test -b "$TMP/o/blk"
    rm -f "$TMP/o/blk"
fi
check "no temporary file is left after a refusal" no_leftovers "$TMP/o"

# A FIFO is written in place: the reader gets the report, the FIFO stays a FIFO.
mkfifo "$TMP/o/fifo"
cat "$TMP/o/fifo" >"$TMP/o/fifo.out" &
reader=$!
set +e
timeout 20 "$VIPA" run "$TMP/good.json" --json -o "$TMP/o/fifo" >"$TMP/out" 2>"$TMP/err"
status=$?
set -e
i=0
while kill -0 "$reader" 2>/dev/null && [ "$i" -lt 50 ]; do
    sleep 0.1
    i=$((i + 1))
done
kill "$reader" 2>/dev/null || true # still waiting: the FIFO was never written
wait "$reader" 2>/dev/null || true
check "-o FIFO exits 0" test "$status" -eq 0
check "the FIFO stays a FIFO" test -p "$TMP/o/fifo"
check "its reader got the whole report" cmp -s "$TMP/want.json" "$TMP/o/fifo.out"

# Character devices, written in place. Through a link first: a program that replaced
# the link would replace the device itself too, which as root is /dev/null for the
# whole machine, so the devices are only written directly once the links survived.
ln -s /dev/null "$TMP/o/null-link"
expect_status 0 "-o SYMLINK-TO-/dev/null exits 0" run "$TMP/good.json" --json -o "$TMP/o/null-link"
check "the link to /dev/null stays a link" test -L "$TMP/o/null-link"
check "nothing on stdout" test ! -s "$TMP/out"
ln -s /dev/full "$TMP/o/full-link"
expect_status 3 "-o SYMLINK-TO-/dev/full fails with exit 3" run "$TMP/good.json" --json -o "$TMP/o/full-link"
expect_grep "the message names the path and the reason" "$TMP/err" "full-link.*No space left on device"
check "the link to /dev/full stays a link" test -L "$TMP/o/full-link"
if [ -L "$TMP/o/null-link" ] && [ -L "$TMP/o/full-link" ] && [ -c /dev/null ] && [ -c /dev/full ]; then
    expect_status 0 "-o /dev/null exits 0" run "$TMP/good.json" -o /dev/null
    check "/dev/null stays a character device" test -c /dev/null
    expect_status 3 "-o /dev/full fails with exit 3" run "$TMP/good.json" -o /dev/full
    expect_grep "the message names /dev/full and the reason" "$TMP/err" "/dev/full.*No space left on device"
    expect_lines "the message is one line" "$TMP/err" 1
    check "/dev/full stays a character device" test -c /dev/full
else
    fail "-o /dev/null and /dev/full not tried: the links to them did not survive"
fi

# The report JSON is written as it is made, a block of 64 KiB at a time
# (vipa_report_write): the bundled sample's (270 KB) gives the same bytes to a file as to
# standard output, and a write failing part-way stops it with exit 3 and one message. A
# file size limit makes write() fail with EFBIG once the file reaches it (SIGXFSZ ignored,
# as the program then inherits it): 200 blocks of 512 or 1024 bytes, past the first block.
run_vipa run --json
cp "$TMP/out" "$TMP/want-sample.json"
expect_status 0 "run --json -o FILE writes a report of several blocks" run --json -o "$TMP/o/sample.json"
check "the file holds exactly what stdout gets" cmp -s "$TMP/want-sample.json" "$TMP/o/sample.json"
printf 'previous report\n' >"$TMP/o/limited.json"
set +e
(trap '' XFSZ && ulimit -f 200 && exec "$VIPA" run --json -o "$TMP/o/limited.json") >"$TMP/out" 2>"$TMP/err"
status=$?
set -e
check "-o FILE failing part-way exits 3 (status $status)" test "$status" -eq 3
expect_grep "the message names the file and the reason" "$TMP/err" "limited\.json: File too large"
expect_lines "the message is one line" "$TMP/err" 1
check "the output file is untouched" grep -qx 'previous report' "$TMP/o/limited.json"
check "no temporary file is left after a failed write" no_leftovers "$TMP/o"
set +e
(trap '' XFSZ && ulimit -f 200 && exec "$VIPA" run --json) >"$TMP/o/limited-stdout.json" 2>"$TMP/err"
status=$?
set -e
check "standard output failing part-way exits 3 (status $status)" test "$status" -eq 3
expect_grep "the message says so" "$TMP/err" "cannot write standard output: File too large"
expect_lines "the message is one line" "$TMP/err" 1
rm -f "$TMP/o/limited-stdout.json"
if [ -c /dev/full ]; then
    set +e
    "$VIPA" run --json >/dev/full 2>"$TMP/err"
    status=$?
    set -e
    check "run --json to a full standard output exits 3 (status $status)" test "$status" -eq 3
    expect_grep "the message gives the reason" "$TMP/err" "cannot write standard output: No space left on device"
    expect_lines "the message is one line" "$TMP/err" 1
fi

# /dev/fd/1 (or /dev/stdout) on a pipe: a /proc/self/fd link whose text, "pipe:[N]", is
# no path; the pipe it leads to is written in place.
if [ -e /dev/fd/1 ]; then
    { st=0; "$VIPA" run "$TMP/good.json" --json -o /dev/fd/1 2>"$TMP/err" || st=$?; echo "$st" >"$TMP/status"; } |
        cat >"$TMP/o/piped.json"
    check "-o /dev/fd/1 on a pipe exits 0 (status $(cat "$TMP/status"))" test "$(cat "$TMP/status")" -eq 0
    check "the pipe got the report" cmp -s "$TMP/want.json" "$TMP/o/piped.json"
    # On a file opened for appending: written at its end, as the shell's >> asks, not
    # a new file renamed over it.
    printf 'previous line\n' >"$TMP/o/log.txt"
    (cd "$TMP/o/elsewhere" && "$VIPA" run "$TMP/good.json" --json -o /dev/fd/1) >>"$TMP/o/log.txt" &&
        status=0 || status=$?
    check "-o /dev/fd/1 on a file opened with >> exits 0" test "$status" -eq 0
    check "the file keeps its line and gets the report after it" \
        sh -c "{ echo 'previous line'; cat '$TMP/want.json'; } | cmp -s - '$TMP/o/log.txt'"
    expect_status 3 "-o /dev/fd/N of a descriptor not open exits 3" run "$TMP/good.json" -o /dev/fd/9
    expect_grep "the message says why" "$TMP/err" '/dev/fd/9: Bad file descriptor'
fi

# "-" is standard output, not a file named "-".
mkdir "$TMP/o/dash"
(cd "$TMP/o/dash" && "$VIPA" run "$TMP/good.json" --json -o -) >"$TMP/out" 2>"$TMP/err" &&
    status=0 || status=$?
check "-o - exits 0" test "$status" -eq 0
check "-o - prints the report on standard output" cmp -s "$TMP/want.json" "$TMP/out"
check "-o - creates no file named -" test ! -e "$TMP/o/dash/-"
(cd "$TMP/o/dash" && "$VIPA" run "$TMP/good.json" --output=-) >"$TMP/out" 2>"$TMP/err" &&
    status=0 || status=$?
check "--output=- prints the text report" cmp -s "$TMP/want.txt" "$TMP/out"

# ---- the mode of a replaced file is kept; a new file gets what the umask gives. ------
printf 'old\n' >"$TMP/o/private.json"
chmod 600 "$TMP/o/private.json"
expect_status 0 "-o over a 0600 file" run "$TMP/good.json" --json -o "$TMP/o/private.json"
check "the 0600 file stays 0600 (is $(mode_of "$TMP/o/private.json"))" \
    test "$(mode_of "$TMP/o/private.json")" = "-rw-------"
check "and holds the new report" cmp -s "$TMP/want.json" "$TMP/o/private.json"
printf 'old\n' >"$TMP/o/group.json"
chmod 640 "$TMP/o/group.json"
expect_status 0 "-o over a 0640 file" run "$TMP/good.json" --json -o "$TMP/o/group.json"
check "the 0640 file stays 0640 (is $(mode_of "$TMP/o/group.json"))" \
    test "$(mode_of "$TMP/o/group.json")" = "-rw-r-----"
chmod 600 "$TMP/o/sub/target.json"
expect_status 0 "-o through a symlink to a 0600 file" run "$TMP/good.json" --json -o "$TMP/o/link.json"
check "the target stays 0600" test "$(mode_of "$TMP/o/sub/target.json")" = "-rw-------"
(umask 077 && "$VIPA" run "$TMP/good.json" -o "$TMP/o/new077.txt")
check "a new file under umask 077 is 0600" test "$(mode_of "$TMP/o/new077.txt")" = "-rw-------"
(umask 022 && "$VIPA" run "$TMP/good.json" -o "$TMP/o/new022.txt")
check "a new file under umask 022 is 0644" test "$(mode_of "$TMP/o/new022.txt")" = "-rw-r--r--"

# ---- long names: the temporary name must fit NAME_MAX (255) too. ---------------------
mkdir "$TMP/o/long"
for n in 250 255; do
    long_name=$(printf "%$((n - 5))s" '' | tr ' ' r).json # ("name" is lib.sh's)
    expect_status 0 "-o with a $n-character file name" run "$TMP/good.json" --json -o "$TMP/o/long/$long_name"
    check "the $n-character file holds the report" cmp -s "$TMP/want.json" "$TMP/o/long/$long_name"
    check "no File name too long" sh -c "! grep -q 'too long' '$TMP/err'"
done
check "no temporary file is left after long names" no_leftovers "$TMP/o/long"

# ---- a signal during the write removes the temporary file. ----------------------------
# A scenario of 5000 households gives a report of some 9 MB, whose write is long enough
# to be caught: the test waits (up to 30 s) for a file other than the output to appear
# in an empty directory, signals the program at once, and retries (up to 5 times) when
# the program finished first. The temporary file must be gone afterwards, the program
# must die of the signal, and the name seen must be recognisable as ours.
python3 - "$TMP/big.json" 5000 <<'PY'
import json, sys
path, n = sys.argv[1], int(sys.argv[2])
ids = list(range(1001, 1001 + n))
criteria = ["well_managed", "profitable", "financially_strong", "socially_responsible",
            "trustworthy", "wide_coverage", "sustainable", "willing"]
s = {"vipa": 1,
     "profile": {"base": "shangluo-2016", "params": {"poverty_line": {"2017": "2952.00"}}},
     "areas": [{"code": "611002000000", "name": "商州区", "level": "county"},
               {"code": "611002001000", "name": "城关街道", "level": "town", "industry": "walnut"},
               {"code": "611002001204", "name": "杏树园村", "level": "village"}],
     "entities": [{"id": 1, "name": "合作社", "kind": "cooperative", "core_village": "611002001204",
                   "industry": "walnut", "selection": {k: True for k in criteria}}],
     "households": [{"id": i, "village": "611002001204", "members": 2, "labour": 1,
                     "cause": "illness", "willing": True, "exited": None} for i in ids],
     "agreements": [{"id": 1, "entity": 1, "households": ids, "household_count": n,
                     "projects": ["核桃"], "support": ["产业奖补"], "start": "2016-11-01",
                     "end": "2019-12-31", "exit_deadline": 2018, "signed": "2016-11-15",
                     "signer": {"level": "village", "area": "611002001204"}}],
     "linkages": [{"id": i, "kind": "wage", "household": i, "entity": 1, "agreement": 1,
                   "from": 2017, "to": 2017, "annual": "3600.00"} for i in ids],
     "payments": [{"linkage": i, "year": 2017, "amount": "1800.00", "date": "2017-12-20"}
                  for i in ids],
     "incomes": [{"household": i, "year": 2017, "other": "3000.00"} for i in ids],
     "evaluations": [{"year": 2017, "date": "2018-01-31"}]}
with open(path, "w", encoding="utf-8") as f:
    json.dump(s, f, ensure_ascii=False)
PY
run_vipa run "$TMP/big.json" --json
cp "$TMP/out" "$TMP/want-big.json"
for sig in TERM INT HUP; do
    mkdir "$TMP/o/sig-$sig"
    set +e
    verdict=$(python3 - "$VIPA" "$TMP/big.json" "$TMP/o/sig-$sig" "$sig" "$TMP/want-big.json" <<'PY'
import os, re, signal, subprocess, sys, time
vipa, scenario, d, name, want = sys.argv[1:6]
sig = getattr(signal, "SIG" + name)
out = os.path.join(d, "report.json")
for attempt in range(5):
    for e in os.listdir(d):
        os.unlink(os.path.join(d, e))
    # The signal's default action in the program, even if the test runs with it ignored
    # (which the program respects).
    p = subprocess.Popen([vipa, "run", scenario, "--json", "-o", out],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         preexec_fn=lambda: signal.signal(sig, signal.SIG_DFL))
    seen = None
    deadline = time.monotonic() + 30
    while seen is None and p.poll() is None and time.monotonic() < deadline:
        tmp = [e for e in os.listdir(d) if e != "report.json"]
        if tmp:
            p.send_signal(sig)
            seen = tmp[0]
    rc = p.wait()
    if seen is not None and rc == -sig:
        break
else:
    print("the write was never caught in progress")
    sys.exit(1)
problems = []
left = [e for e in os.listdir(d) if e != "report.json"]
if left:
    problems.append("left behind: " + ", ".join(left))
if os.path.exists(out) and open(out, "rb").read() != open(want, "rb").read():
    problems.append("report.json is not the whole report")
if not re.fullmatch(r"\.report\.json\.vipa-tmp\.[A-Za-z0-9]{6}", seen):
    problems.append("temporary name %r is not .report.json.vipa-tmp.XXXXXX" % seen)
print("; ".join(problems) if problems else "ok")
sys.exit(1 if problems else 0)
PY
)
    status=$?
    set -e
    if [ "$status" -eq 0 ]; then
        pass "SIG$sig during the write leaves no temporary file"
    else
        fail "SIG$sig during the write: $verdict"
    fi
done

finish
