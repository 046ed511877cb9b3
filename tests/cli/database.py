#!/usr/bin/python3
"""SQLite databases in and out of `vipa` (docs/database.md).

    /usr/bin/python3 tests/cli/database.py VIPA-PROGRAM SOURCE-ROOT GOLDEN-TOOL

In: scenarios are converted into the schema `vipa schema` prints by a second method
(tests/cli/scenario_to_db.py, Python's sqlite3 module), and `vipa run X.db --json` must
give exactly the bytes of `vipa run X.json --json` (exit status too): the sample; the
sample extended with what no other file has (transfers of every holder kind, weights,
support_count, per-person tasks, a USCC, as_of, poverty lines, an exit year); every
scenario of tests/scenarios/ that the schema accepts (the refused ones fail alike); a
province of 3,000 households from the benchmark's generator; and the sample with every
table's rows inserted in reverse order. check, explain, compare, report and
--format csv read the database as they read the JSON.

Out: `vipa run X -o r.db` (and --format sqlite) writes the report's tables; every row of
every table is compared with the report JSON (money to the fen, NULL for null).

Hostile: a table missing, a column missing, TEXT and REAL in an INTEGER fen column,
NULL in a required column, a word that is no word, a date that is no day, a foreign key
to nothing (a child row and a reference the library refuses, told by table and rowid),
an empty scenario table, a parameter of the wrong type and out of range, a file that is
not SQLite, one with SQLite's header and garbage, a database locked by a writer; a
read-only database is read; -o a directory, /dev/full, a replaced file keeping its mode,
nothing left behind.
"""
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
from decimal import Decimal

if len(sys.argv) != 4:
    print(__doc__)
    sys.exit(2)
VIPA = os.path.abspath(sys.argv[1])
SRC = os.path.abspath(sys.argv[2])
GOLDEN_TOOL = os.path.abspath(sys.argv[3])
sys.path.insert(0, os.path.join(SRC, "tests", "cli"))
import scenario_to_db  # noqa: E402

failures = 0


def check(name, ok, detail=""):
    global failures
    if ok:
        print("ok    " + name)
    else:
        failures += 1
        print("FAIL  " + name + (": " + detail if detail else ""))


def vipa(*args):
    return subprocess.run([VIPA, *args], capture_output=True)


def convert(scenario, db):
    scenario_to_db.convert(VIPA, scenario, db)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


# ---- the schema -------------------------------------------------------------------------------


def test_schema():
    for args, name in [([], "database.sql"), (["--results"], "results.sql")]:
        r = vipa("schema", *args)
        with open(os.path.join(SRC, "docs", name), "rb") as f:
            check("vipa schema %s is docs/%s" % (" ".join(args), name),
                  r.returncode == 0 and r.stdout == f.read())
    r = vipa("schema", "--bogus")
    check("vipa schema --bogus is a usage error", r.returncode == 2 and b"--bogus" in r.stderr)


# ---- in: the same report from the database as from the JSON --------------------------------


def same_run(label, json_path, db_path, *args):
    a, b = vipa(*args[:1], json_path, *args[1:]), vipa(*args[:1], db_path, *args[1:])
    check(label, a.returncode == b.returncode and a.stdout == b.stdout,
          "exit %d/%d, %d/%d bytes, stderr %r" % (a.returncode, b.returncode, len(a.stdout),
                                                  len(b.stdout), b.stderr[:300]))


def extended_sample():
    """The sample with the fields no scenario of the repository has."""
    d = load(os.path.join(SRC, "examples", "shangluo-sample.json"))
    core = d["entities"][0]["core_village"]
    d["as_of"] = "2019-02-28"
    d["profile"]["params"]["poverty_line"] = {"2017": "3000.00", "2018": "3100.5"}
    d["profile"]["params"]["equity.remainder_holder"] = "village_collective"
    d["entities"][0]["uscc"] = "93611002MA6Y00001U"
    d["plans"][0]["persons"] = [{"member": 1, "task": "合作社务工"}, {"member": 2, "task": "订单"}]
    d["plans"][0]["tasks"][0]["task"] = "务工"
    d["injections"][0].update(allocation="weights", households=[1001, 1002, 1003],
                              weights=[1, 2, 0])
    a2 = d["agreements"][1]
    a2["support_count"] = len(a2.pop("support", []))
    d["agreements"][0]["dividend_bp"] = 800
    d["households"][5]["exited"] = 2016
    d["transfers"] = [
        {"entity": 1, "from": {"household": 1001}, "to": {"collective": core},
         "amount": "100.00", "date": "2018-06-01"},
        {"entity": 1, "from": {"collective": core}, "to": {"entity": 1}, "amount": "50.00",
         "date": "2018-07-01"},
        {"entity": 1, "from": {"entity": 1}, "to": {"household": 1002}, "amount": 20,
         "date": "2018-08-01"}]
    return d


def reversed_copy(db, out):
    """The same rows, each table's inserted in the reverse of its order."""
    src = sqlite3.connect(db)
    dst = sqlite3.connect(out)
    dst.executescript(vipa("schema").stdout.decode())
    tables = [r[0] for r in src.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")]
    with dst:
        for t in tables:
            rows = src.execute('SELECT * FROM "%s" ORDER BY rowid DESC' % t).fetchall()
            if rows:
                marks = ", ".join("?" * len(rows[0]))
                dst.executemany('INSERT INTO "%s" VALUES (%s)' % (t, marks), rows)
    src.close()
    dst.close()


def test_in(tmp):
    sample = os.path.join(SRC, "examples", "shangluo-sample.json")
    db = os.path.join(tmp, "sample.db")
    convert(load(sample), db)
    same_run("sample: run --json, database = JSON", sample, db, "run", "--json")
    for args in [("check",), ("run",), ("explain", "--household", "1001", "--year", "2017"),
                 ("explain", "--agreement", "1", "--year", "2018"),
                 ("compare", "--set", "equity.poor_share_bp=8000", "--json")]:
        same_run("sample: %s, database = JSON" % " ".join(args), sample, db, *args)
    rev = os.path.join(tmp, "reversed.db")
    reversed_copy(db, rev)
    same_run("sample, rows inserted in reverse: run --json", sample, rev, "run", "--json")

    ext = os.path.join(tmp, "extended.json")
    with open(ext, "w", encoding="utf-8") as f:
        json.dump(extended_sample(), f, ensure_ascii=False)
    ext_db = os.path.join(tmp, "extended.db")
    convert(load(ext), ext_db)
    same_run("extended sample: run --json, database = JSON", ext, ext_db, "run", "--json")
    same_run("extended sample: check", ext, ext_db, "check")

    # The tables for spreadsheets take the names from the database.
    c1, c2 = os.path.join(tmp, "csv-json"), os.path.join(tmp, "csv-db")
    vipa("run", ext, "--format", "csv", "-o", c1)
    r = vipa("run", ext_db, "--format", "csv", "-o", c2)
    same = r.returncode == 0 and sorted(os.listdir(c1)) == sorted(os.listdir(c2)) and all(
        open(os.path.join(c1, n), "rb").read() == open(os.path.join(c2, n), "rb").read()
        for n in os.listdir(c1))
    check("extended sample: --format csv, names from the database", same)
    h1 = vipa("report", ext).stdout.replace(ext.encode(), b"X")
    h2 = vipa("report", ext_db).stdout.replace(ext_db.encode(), b"X")
    check("extended sample: report, names from the database", h1 == h2 and len(h1) > 1000)

    province = os.path.join(tmp, "province.json")
    subprocess.run([GOLDEN_TOOL, "province", "3000", province], check=True)
    pdb = os.path.join(tmp, "province.db")
    convert(load(province), pdb)
    same_run("province of 3,000 households: run --json", province, pdb, "run", "--json")

    scen = os.path.join(SRC, "tests", "scenarios")
    same, refused, differ = 0, 0, []
    for name in sorted(os.listdir(scen)):
        path = os.path.join(scen, name)
        try:
            d = load(path)
        except ValueError:
            continue  # not JSON: a file the JSON loader refuses as such
        if not name.endswith(".json"):
            continue
        out = os.path.join(tmp, name + ".db")
        try:
            convert(d, out)
        except (sqlite3.Error, ValueError, KeyError, TypeError):
            refused += 1  # the schema's constraints refuse it (a duplicate id, yuan as 3600.5)
            continue
        a, b = vipa("run", path, "--json"), vipa("run", out, "--json")
        # A re-check listed before its evaluation is an error of a list's order, which
        # a table's key order (plain evaluation first) cannot express.
        if name == "bad_recheck_listed_first.json":
            check("scenarios: " + name + " runs from a database", b.returncode == 0)
        elif a.returncode == b.returncode and a.stdout == b.stdout:
            same += 1
        else:
            differ.append(name)
    check("scenarios: %d give the same report and status, %d refused by the schema" %
          (same, refused), not differ and same > 30, "differ: %s" % differ)


# ---- out: the results database against the report JSON -------------------------------------


def fen(money):
    return int(Decimal(money) * 100)


def subject_cols(subject):
    if subject is None:
        return [None, None, None]
    (kind, value), = subject.items()
    return [kind, value, None] if isinstance(value, int) else [kind, None, value]


def expected_tables(report):
    s = report["stamp"]
    t = {"run": [(1, s["library"], s["profile"], s["profile_sha256"], s["input_sha256"])]}
    t["signers"] = [(x["agreement"], x["level"], x["area"]) for x in report["signers"]]
    t["allocations"] = []
    for a in report["allocations"]:
        (kind, value), = a["holder"].items()
        row = [a["injection"], kind, None, None, None, fen(a["amount"])]
        row[{"household": 2, "collective": 3, "entity": 4}[kind]] = value
        t["allocations"].append(tuple(row))
    years = report["years"]
    t["years"] = [(y["year"], int(y["complete"])) for y in years]
    t["year_households"] = [(y["year"], h["id"], fen(h["income"]), fen(h["line"]),
                             int(h["meets_standard"])) for y in years for h in y["households"]]
    t["obligations"] = [(y["year"], o["linkage"], o["household"], o["kind"], fen(o["due"]),
                         fen(o["paid"])) for y in years for o in y["obligations"]]
    t["dividends"] = [(y["year"], d["entity"], d["household"], fen(d["due"]), fen(d["paid"]))
                      for y in years for d in y["dividends"]]
    t["coverage"] = [(y["year"], c["village"], c["willing"], c["covered"])
                     for y in years for c in y["coverage"]]
    t["evaluations"] = [(y["year"], e["agreement"], e["entity"], e["date"], int(e["recheck"]),
                         e["outcome"]) for y in years for e in y["evaluations"]]
    t["evaluation_failed"] = [
        tuple([y["year"], e["agreement"], e["date"], int(e["recheck"]), k + 1, f["rule"]] +
              subject_cols(f["subject"]) + [f["expected"], f["actual"]])
        for y in years for e in y["evaluations"] for k, f in enumerate(e["failed"])]
    t["households"] = [(h["id"], h["exit_year"]) for h in report["households"]]
    t["entities"] = [(e["id"], e["status"], e.get("disqualified_on")) for e in report["entities"]]
    t["entity_favoured"] = [(e["id"], y) for e in report["entities"] for y in e["favoured"]]
    t["disclosure"] = [(d["entity"], fen(d["equity"]), d["households"])
                       for d in report["disclosure"]]
    t["disclosure_support"] = [(d["entity"], k + 1, m) for d in report["disclosure"]
                               for k, m in enumerate(d["support"])]
    t["findings"] = [tuple([i + 1, f["rule"], f["severity"], f["clause"], f["year"]] +
                           subject_cols(f["subject"]) +
                           [f["message"], f.get("expected"), f.get("actual")])
                     for i, f in enumerate(report["findings"])]
    return t


def compare_results(label, db, report):
    con = sqlite3.connect(db)
    want = expected_tables(report)
    tables = sorted(r[0] for r in con.execute("SELECT name FROM sqlite_schema WHERE type = "
                                              "'table'"))
    check(label + ": the tables of `vipa schema --results`", tables == sorted(want),
          "%s" % tables)
    rows = 0
    for table, expect in want.items():
        got = con.execute('SELECT * FROM "%s" ORDER BY rowid' % table).fetchall()
        rows += len(got)
        check("%s: table %s, %d rows as the report JSON" % (label, table, len(expect)),
              got == expect, "first difference: %r" % (next(
                  ((g, e) for g, e in zip(got, expect) if g != e), (len(got), len(expect))),))
    money = con.execute("SELECT typeof(amount) FROM allocations UNION SELECT typeof(due) FROM "
                        "obligations UNION SELECT typeof(income) FROM year_households").fetchall()
    check(label + ": money is INTEGER fen", money == [("integer",)], "%r" % money)
    check(label + ": integrity_check", con.execute("PRAGMA integrity_check").fetchone() == ("ok",))
    con.close()
    return rows


def test_out(tmp):
    for name, source in [("sample", os.path.join(tmp, "sample.db")),
                         ("extended sample", os.path.join(tmp, "extended.json")),
                         ("province of 3,000", os.path.join(tmp, "province.db"))]:
        report = json.loads(vipa("run", source, "--json").stdout)
        out = os.path.join(tmp, "out", "results.db")
        os.makedirs(os.path.dirname(out), exist_ok=True)
        r = vipa("run", source, "-o", out)
        check(name + ": -o results.db", r.returncode == 0 and r.stdout == b"", r.stderr[:300])
        compare_results(name, out, report)
        check(name + ": nothing left beside it", os.listdir(os.path.dirname(out)) ==
              ["results.db"], "%s" % os.listdir(os.path.dirname(out)))
        shutil.rmtree(os.path.dirname(out))

    db = os.path.join(tmp, "sample.db")
    report = json.loads(vipa("run", db, "--json").stdout)
    # --format sqlite with another name, to standard output, replacing a file (its mode kept).
    out = os.path.join(tmp, "r.sqlite-out")
    r = vipa("run", db, "--format", "sqlite", "-o", out)
    check("--format sqlite -o NAME", r.returncode == 0)
    compare_results("--format sqlite", out, report)
    os.chmod(out, 0o640)
    with open(out, "r+b") as f:
        f.truncate(100)
    r = vipa("run", db, "-o", out, "--format", "sqlite")
    check("a replaced file keeps its mode", r.returncode == 0 and
          stat.S_IMODE(os.stat(out).st_mode) == 0o640)
    compare_results("replaced", out, report)
    r = vipa("run", db, "--format", "sqlite", "-o", "-")
    piped = os.path.join(tmp, "piped.db")
    with open(piped, "wb") as f:
        f.write(r.stdout)
    check("-o - writes the database to standard output",
          r.returncode == 0 and r.stdout[:16] == b"SQLite format 3\0")
    compare_results("standard output", piped, report)

    before = sorted(os.listdir(tmp))
    r = vipa("run", db, "-o", tmp + "/")
    check("-o a directory: refused, exit 2", r.returncode == 2 and b"directory" in r.stderr,
          r.stderr[:200])
    os.mkdir(os.path.join(tmp, "d.db"))
    r = vipa("run", db, "-o", os.path.join(tmp, "d.db"))
    check("-o d.db, a directory: refused, exit 2", r.returncode == 2 and b"directory" in r.stderr)
    os.rmdir(os.path.join(tmp, "d.db"))
    if os.path.exists("/dev/full"):
        r = vipa("run", db, "--format", "sqlite", "-o", "/dev/full")
        check("-o /dev/full: exit 3 with the reason", r.returncode == 3 and
              b"No space left" in r.stderr, r.stderr[:200])
    r = vipa("run", db, "--format", "sqlite")
    check("--format sqlite without -o: usage error", r.returncode == 2)
    r = vipa("compare", db, "--format", "sqlite", "-o", os.path.join(tmp, "c.db"))
    check("compare --format sqlite: usage error", r.returncode == 2)
    r = vipa("run", os.path.join(tmp, "nonexistent.json"), "-o", os.path.join(tmp, "x.db"))
    check("bad input: exit 2, no output", r.returncode == 2 and
          not os.path.exists(os.path.join(tmp, "x.db")))
    check("nothing left behind", sorted(os.listdir(tmp)) == before,
          "%s" % (set(os.listdir(tmp)) ^ set(before)))


# ---- hostile databases -------------------------------------------------------------------------


def hostile(tmp, label, sql, status, *needles):
    db = os.path.join(tmp, "hostile.db")
    shutil.copy(os.path.join(tmp, "extended.db"), db)
    con = sqlite3.connect(db)
    con.executescript(sql)
    con.commit()
    con.close()
    r = vipa("run", db, "--json")
    err = r.stderr.decode(errors="replace")
    check("%s: exit %d, %s" % (label, status, " / ".join(needles)),
          r.returncode == status and r.stdout == b"" and all(n in err for n in needles),
          "exit %d: %s" % (r.returncode, err.strip()))
    os.remove(db)


# A table of the user's own DDL, without the schema's constraints: the reader checks
# what SQLite would let through.
LOOSE_HOUSEHOLDS = """
CREATE TABLE h AS SELECT * FROM households; DROP TABLE households;
CREATE TABLE households (id, village, members, labour, cause, willing, exited);
INSERT INTO households SELECT * FROM h; DROP TABLE h;
"""


def test_hostile(tmp):
    hostile(tmp, "a table missing", "DROP TABLE incomes", 2, "no table incomes", "vipa schema")
    hostile(tmp, "a column missing", "ALTER TABLE linkages DROP COLUMN rent_per_mu", 2,
            "table linkages", "no such column: rent_per_mu")
    hostile(tmp, "TEXT in an INTEGER fen column",
            "PRAGMA ignore_check_constraints = 1; UPDATE payments SET amount = 'abc' "
            "WHERE rowid = 7", 2, "payments rowid 7: amount is TEXT 'abc'", "INTEGER of fen")
    hostile(tmp, "yuan with fen as REAL in a fen column",
            "PRAGMA ignore_check_constraints = 1; UPDATE incomes SET other = '3600.50' "
            "WHERE rowid = 3", 2, "incomes rowid 3: other is a REAL 3600.5", "INTEGER of fen")
    hostile(tmp, "NULL in a required column",
            LOOSE_HOUSEHOLDS + "UPDATE households SET cause = NULL WHERE id = 1005", 2,
            "households rowid 5: cause is NULL", "'illness'")
    hostile(tmp, "an id as TEXT", LOOSE_HOUSEHOLDS + "UPDATE households SET id = 'x' "
            "WHERE id = 1005", 2, "households rowid 5: id is TEXT 'x'", "positive INTEGER id")
    hostile(tmp, "a word that is no word", LOOSE_HOUSEHOLDS + "UPDATE households SET "
            "cause = 'bad luck' WHERE id = 1005", 2, "cause is TEXT 'bad luck'")
    hostile(tmp, "a date that is no day", "UPDATE scenario SET as_of = '2019-02-30'", 2,
            "scenario rowid 1: as_of is TEXT '2019-02-30'", "real day")
    hostile(tmp, "a code of 11 digits", "PRAGMA ignore_check_constraints = 1; UPDATE "
            "households SET village = '61100210720' WHERE id = 1002", 2,
            "households rowid 1002: village", "12 digits")
    hostile(tmp, "a child row whose parent is not there",
            "INSERT INTO agreement_households VALUES (999, 1, 1001)", 2,
            "agreement_households rowid", "agreement 999 is not in table agreements")
    hostile(tmp, "a plan task whose plan is not there",
            "INSERT INTO plan_tasks VALUES (1001, 99, 1, 2017, NULL, NULL)", 2,
            "plan_tasks rowid", "is not in table plans")
    hostile(tmp, "a reference the library refuses, told by table and rowid",
            "UPDATE households SET village = '611002107299' WHERE id = 1010", 2,
            "households rowid 1010", "village 611002107299 is not in the context")
    hostile(tmp, "a payment of a linkage that is not there",
            "UPDATE payments SET linkage = 99999 WHERE rowid = 11", 2, "payments rowid 11")
    hostile(tmp, "an empty scenario table", "DELETE FROM scenario", 2, "table scenario is empty")
    hostile(tmp, "a format version other than 1", "PRAGMA ignore_check_constraints = 1; "
            "UPDATE scenario SET vipa = 2", 2, "vipa is 2", "format version 1")
    hostile(tmp, "a parameter of the wrong type", "UPDATE parameters SET value = 'seventy' "
            "WHERE key = 'equity.poor_share_bp'", 2, "value is TEXT 'seventy'")
    hostile(tmp, "a parameter out of range", "UPDATE parameters SET value = 20000 "
            "WHERE key = 'equity.poor_share_bp'", 2, "parameters rowid", "out of range")
    hostile(tmp, "weights without allocation 'weights'",
            "INSERT INTO injection_households VALUES (2, 1, 1001, 5)", 2,
            "injection_households rowid", "weights go with allocation 'weights' only")
    hostile(tmp, "support texts and support_count together",
            "UPDATE agreements SET support_count = 3 WHERE id = 1", 2,
            "agreements rowid 1", "not both")

    text = os.path.join(tmp, "text.db")
    with open(text, "w") as f:
        f.write("not a database\n")
    r = vipa("run", text)
    check("a text file named .db is read as JSON (told by its header): exit 2",
          r.returncode == 2 and b"invalid token" in r.stderr, r.stderr[:200])
    garbage = os.path.join(tmp, "garbage.db")
    with open(garbage, "wb") as f:
        f.write(b"SQLite format 3\0" + b"\x01" * 4000)
    r = vipa("run", garbage)
    check("SQLite's header and garbage: exit 2, not a database",
          r.returncode == 2 and b"not a database" in r.stderr, r.stderr[:200])

    ro = os.path.join(tmp, "readonly.db")
    shutil.copy(os.path.join(tmp, "sample.db"), ro)
    os.chmod(ro, 0o444)
    r = vipa("run", ro, "--json")
    check("a read-only database is read", r.returncode == 0 and
          r.stdout == vipa("run", os.path.join(tmp, "sample.db"), "--json").stdout)

    locked = os.path.join(tmp, "locked.db")
    shutil.copy(os.path.join(tmp, "sample.db"), locked)
    writer = sqlite3.connect(locked, isolation_level=None)
    writer.execute("BEGIN EXCLUSIVE")
    start = time.monotonic()
    r = vipa("run", locked, "--json")
    waited = time.monotonic() - start
    writer.execute("ROLLBACK")
    writer.close()
    check("a database locked by a writer: exit 3 after waiting for it",
          r.returncode == 3 and b"database is locked" in r.stderr and waited >= 4, r.stderr[:200])


def main():
    tmp = tempfile.mkdtemp(prefix="vipa-database-")
    try:
        test_schema()
        test_in(tmp)
        test_out(tmp)
        test_hostile(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d failed" % failures if failures else "all passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
