#!/usr/bin/python3
"""`vipa run --format xlsx` and `--format csv`: the report's tables for spreadsheets.

    /usr/bin/python3 tests/cli/tables.py VIPA-PROGRAM SOURCE-ROOT

For the bundled sample, three scenarios of tests/scenarios/, the sample with hostile
names (a comma, a quote and a line break in an entity's and a village's name) and
amounts (a negative income ending in .05, an income of hundreds of millions), and the
sample written as JSON Lines, the program writes a workbook (-o x.xlsx) and a CSV
directory (--format csv -o DIR). Both are read back by independent readers, openpyxl
and Python's csv module, and every row of every table is compared with the tables
built here from the report JSON (`vipa run --json`, the contract of docs/scenario.md)
and from the names in the scenario file:

  - the sheets and files, in the documented order, each with its Chinese header row
    (English with --lang en);
  - xlsx: the header row frozen (pane at A2) and bold; ids, years and counts as numbers;
    area codes as 12-digit text; every money cell a number with the format 0.00 whose
    value times 100, rounded, is the report's amount in fen; dates as dates with the
    format yyyy-mm-dd; columns at least as wide as their Chinese headings;
  - csv: UTF-8 with a byte order mark, CRLF line ends, RFC 4180 quoting (checked on the
    bytes of the hostile name), money exactly the report's text ("-99.95");
  - the same bytes for `-o -` (standard output) as for a file, with SOURCE_DATE_EPOCH;
  - errors: -o naming a directory for xlsx, a regular file for csv, /dev/full, a path
    under a regular file, an unwritable directory (skipped as root), bad input, usage
    errors; each exits nonzero with a message and leaves nothing behind, and a replaced
    file keeps its mode.

Exit status 0 when every check passed, 1 when one failed, 77 (meson's "skipped") when
python3-openpyxl is missing (scripts/deps installs it).
"""
import csv
import datetime
import io
import json
import re
import os
import shutil
import stat
import subprocess
import sys
import tempfile

SKIP = 77
try:
    import openpyxl
except ImportError:
    print("SKIP: python3-openpyxl is not installed (scripts/deps installs it)")
    sys.exit(SKIP)

if len(sys.argv) != 3:
    print(__doc__)
    sys.exit(2)
VIPA = os.path.abspath(sys.argv[1])
SRC = os.path.abspath(sys.argv[2])

failures = 0


def check(name, ok, detail=""):
    global failures
    if ok:
        print("ok    " + name)
    else:
        failures += 1
        print("FAIL  " + name + (": " + detail if detail else ""))


def vipa(*args, env=None):
    e = dict(os.environ)
    if env:
        e.update(env)
    return subprocess.run([VIPA, *args], capture_output=True, env=e)


# ---- the documented tables: sheet, file, Chinese and English headings ------------------

SHEETS = [
    ("年度", "Years", "years.csv",
     ["年度", "已结束", "户数", "达到脱贫标准户数"],
     ["Year", "Complete", "Households", "Meeting the standard"]),
    ("年度户收入", "Household years", "household_years.csv",
     ["年度", "户编号", "村代码", "村名", "收入(元)", "贫困线(元)", "达到脱贫标准"],
     ["Year", "Household", "Village code", "Village", "Income (yuan)", "Line (yuan)",
      "Meets the standard"]),
    ("带动义务", "Obligations", "obligations.csv",
     ["年度", "联结编号", "户编号", "类型", "应付(元)", "已付(元)"],
     ["Year", "Linkage", "Household", "Kind", "Due (yuan)", "Paid (yuan)"]),
    ("分红", "Dividends", "dividends.csv",
     ["年度", "经营主体编号", "经营主体名称", "户编号", "应付(元)", "已付(元)"],
     ["Year", "Entity", "Entity name", "Household", "Due (yuan)", "Paid (yuan)"]),
    ("核心村覆盖", "Coverage", "coverage.csv",
     ["年度", "核心村代码", "核心村", "自愿户数", "已带动户数"],
     ["Year", "Core village code", "Core village", "Willing", "Covered"]),
    ("绩效评估", "Evaluations", "evaluations.csv",
     ["年度", "协议编号", "经营主体编号", "经营主体名称", "评估日期", "复核", "结果",
      "未通过检查数"],
     ["Year", "Agreement", "Entity", "Entity name", "Date", "Re-check", "Outcome",
      "Failed checks"]),
    ("未通过的检查", "Failed checks", "failed_checks.csv",
     ["年度", "协议编号", "评估日期", "复核", "规则", "条款", "对象类型", "对象编号",
      "对象名称", "应为", "实际"],
     ["Year", "Agreement", "Date", "Re-check", "Rule", "Clause", "Subject kind", "Subject",
      "Subject name", "Expected", "Actual"]),
    ("户脱贫年度", "Households", "households.csv",
     ["户编号", "村代码", "村名", "脱贫年度"],
     ["Household", "Village code", "Village", "Exit year"]),
    ("经营主体", "Entities", "entities.csv",
     ["经营主体编号", "名称", "状态", "取消资格日期", "予以倾斜年度"],
     ["Entity", "Name", "Status", "Disqualified on", "Favoured years"]),
    ("公示", "Disclosure", "disclosure.csv",
     ["经营主体编号", "名称", "财政股权(元)", "支持政策措施", "带动户数"],
     ["Entity", "Name", "Fiscal equity (yuan)", "Support measures", "Households driven"]),
    ("签约主体", "Signers", "signers.csv",
     ["协议编号", "签约层级", "地区代码", "地区"],
     ["Agreement", "Level", "Area code", "Area"]),
    ("股权配置", "Allocations", "allocations.csv",
     ["注入编号", "持有者类型", "持有者", "持有者名称", "金额(元)"],
     ["Injection", "Holder kind", "Holder", "Holder name", "Amount (yuan)"]),
    ("发现的问题", "Findings", "findings.csv",
     ["规则", "严重程度", "条款", "年度", "对象类型", "对象编号", "对象名称", "应为", "实际",
      "说明"],
     ["Rule", "Severity", "Clause", "Year", "Subject kind", "Subject", "Subject name",
      "Expected", "Actual", "Message"]),
    ("运行信息", "Run", "run.csv", ["项目", "值"], ["Item", "Value"]),
]

# ---- expected tables, from the report JSON and the scenario's names ---------------------
#
# A cell is a tagged value: ("n", int) a number, ("m", "12.34") money as the report's text,
# ("d", "2018-01-31") a date, ("c", "611002001204") a code (text), ("t", str) text, None
# an empty cell.


def scenario_names(path):
    """Area names, entity names and household villages of a scenario (object or JSON Lines)."""
    areas, entities, villages = {}, {}, {}
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        values = [json.loads(text)]
    except json.JSONDecodeError:
        values = [json.loads(line) for line in text.splitlines() if line.strip()]
    for v in values:
        for key, sink in (("areas", "a"), ("entities", "e"), ("households", "h")):
            recs = v.get(key, [])
            for r in recs if isinstance(recs, list) else [recs]:
                if sink == "a" and "name" in r:
                    areas[r["code"]] = r["name"]
                elif sink == "e" and "name" in r:
                    entities[r["id"]] = r["name"]
                elif sink == "h" and "village" in r:
                    villages[r["id"]] = r["village"]
    return areas, entities, villages


def expected_tables(report, names, en=False):
    areas, entities, villages = names
    yes = lambda b: ("t", ("yes" if b else "no") if en else ("是" if b else "否"))
    text = lambda s: None if s is None else ("t", s)
    code = lambda c: None if c is None else ("c", c)
    area = lambda c: text(areas.get(c)) if c is not None else None
    entity = lambda i: text(entities.get(i))
    num = lambda n: None if n is None else ("n", n)
    sep = ", " if en else "、"
    clause = {f["rule"]: f["clause"] for f in report["findings"]}

    def subject(s):
        if s is None:
            return [None, None, None]
        (kind, ident), = s.items()
        if kind in ("village", "town"):
            return [("t", kind), code(ident), area(ident)]
        return [("t", kind), num(ident), entity(ident) if kind == "entity" else None]

    t = {}
    t["years.csv"] = [[num(y["year"]), yes(y["complete"]), num(len(y["households"])),
                       num(sum(1 for h in y["households"] if h["meets_standard"]))]
                      for y in report["years"]]
    t["household_years.csv"] = [
        [num(y["year"]), num(h["id"]), code(villages.get(h["id"])),
         area(villages.get(h["id"])), ("m", h["income"]), ("m", h["line"]),
         yes(h["meets_standard"])]
        for y in report["years"] for h in y["households"]]
    t["obligations.csv"] = [
        [num(y["year"]), num(o["linkage"]), num(o["household"]), ("t", o["kind"]),
         ("m", o["due"]), ("m", o["paid"])]
        for y in report["years"] for o in y["obligations"]]
    t["dividends.csv"] = [
        [num(y["year"]), num(d["entity"]), entity(d["entity"]), num(d["household"]),
         ("m", d["due"]), ("m", d["paid"])]
        for y in report["years"] for d in y["dividends"]]
    t["coverage.csv"] = [
        [num(y["year"]), code(c["village"]), area(c["village"]), num(c["willing"]),
         num(c["covered"])]
        for y in report["years"] for c in y["coverage"]]
    t["evaluations.csv"] = [
        [num(y["year"]), num(e["agreement"]), num(e["entity"]), entity(e["entity"]),
         ("d", e["date"]), yes(e["recheck"]), ("t", e["outcome"]), num(len(e["failed"]))]
        for y in report["years"] for e in y["evaluations"]]
    t["failed_checks.csv"] = [
        [num(y["year"]), num(e["agreement"]), ("d", e["date"]), yes(e["recheck"]),
         ("t", f["rule"]), ("t", clause[f["rule"]])] + subject(f["subject"]) +
        [text(f["expected"]), text(f["actual"])]
        for y in report["years"] for e in y["evaluations"] for f in e["failed"]]
    t["households.csv"] = [
        [num(h["id"]), code(villages.get(h["id"])), area(villages.get(h["id"])),
         num(h["exit_year"])]
        for h in report["households"]]
    t["entities.csv"] = [
        [num(e["id"]), entity(e["id"]), ("t", e["status"]),
         ("d", e["disqualified_on"]) if "disqualified_on" in e else None,
         ("t", sep.join(str(y) for y in e["favoured"])) if e["favoured"] else None]
        for e in report["entities"]]
    t["disclosure.csv"] = [
        [num(d["entity"]), entity(d["entity"]), ("m", d["equity"]),
         ("t", ("; " if en else "；").join(d["support"])) if d["support"] else None,
         num(d["households"])]
        for d in report["disclosure"]]
    t["signers.csv"] = [
        [num(s["agreement"]), ("t", s["level"]), code(s["area"]), area(s["area"])]
        for s in report["signers"]]

    def holder(h):
        (kind, ident), = h.items()
        if kind == "collective":
            return [("t", kind), code(ident), area(ident)]
        return [("t", kind), num(ident), entity(ident) if kind == "entity" else None]
    t["allocations.csv"] = [
        [num(a["injection"])] + holder(a["holder"]) + [("m", a["amount"])]
        for a in report["allocations"]]
    t["findings.csv"] = [
        [("t", f["rule"]), ("t", f["severity"]), ("t", f["clause"]), num(f["year"])] +
        subject(f["subject"]) + [text(f.get("expected")), text(f.get("actual")),
                                 ("t", f["message"] if en else
                                  ChineseMessage(f["message"], f["rule"], f["clause"]))]
        for f in report["findings"]]
    t["run.csv"] = [[("t", k), ("t", report["stamp"][k])]
                    for k in ("library", "profile", "profile_sha256", "input_sha256")]
    return t


def fen(money_text):
    """Integer fen of a report money string, exactly (no floating point)."""
    neg = money_text.startswith("-")
    whole, frac = money_text.lstrip("-").split(".")
    v = int(whole) * 100 + int(frac)
    return -v if neg else v


# ---- reading back -----------------------------------------------------------------------

def xlsx_matches(cell, want):
    """Whether an openpyxl cell holds the expected tagged value; a reason otherwise."""
    v = cell.value
    if want is None:
        return v is None or "expected an empty cell, got %r" % (v,)
    kind, w = want
    if kind == "n":
        return (type(v) is int and v == w) or "expected the number %r, got %r" % (w, v)
    if kind == "m":
        if type(v) not in (int, float):
            return "expected money %s as a number, got %r" % (w, v)
        if cell.number_format != "0.00":
            return "money format %r, not 0.00" % cell.number_format
        return round(v * 100) == fen(w) or "money %r reads back as %r fen, not %s" % (
            v, round(v * 100), w)
    if kind == "d":
        if not isinstance(v, datetime.datetime):
            return "expected the date %s, got %r" % (w, v)
        if cell.number_format != "yyyy-mm-dd":
            return "date format %r" % cell.number_format
        return v.date().isoformat() == w or "date %s, not %s" % (v.date(), w)
    return (type(v) is str and v == w) or "expected the text %r, got %r" % (w, v)


class ChineseMessage(str):
    """A finding's message in the Chinese sheets: the report JSON holds the English one, so
    the Chinese is matched by its form: Chinese text ending with the rule and clause cited
    as （RULE，clause）, with the same numbers as the English (as a set) (tests/unit/test_messages.c
    checks the sentences themselves)."""

    def __new__(cls, english, rule, clause):
        obj = str.__new__(cls, english)
        obj.citation = "（%s，%s）" % (rule, clause)
        obj.numbers = set(re.findall(r"\d+(?:\.\d+)?", english))
        return obj

    def __eq__(self, other):
        return (isinstance(other, str) and other.endswith(self.citation) and
                re.search("[\u4e00-\u9fff]", other) is not None and
                set(re.findall(r"\d+(?:\.\d+)?", other)) == self.numbers)

    def __ne__(self, other):
        return not self.__eq__(other)

    __hash__ = str.__hash__


def csv_text(want):
    if want is None:
        return ""
    kind, w = want
    return w if isinstance(w, ChineseMessage) else str(w)


def compare_workbook(label, path, tables, en=False):
    wb = openpyxl.load_workbook(path)
    names = [s[1] if en else s[0] for s in SHEETS]
    check(label + ": the sheets, in order", wb.sheetnames == names,
          "%r" % (wb.sheetnames,))
    for sheet in SHEETS:
        name = sheet[1] if en else sheet[0]
        heads = sheet[4] if en else sheet[3]
        if name not in wb.sheetnames:
            continue
        ws = wb[name]
        rows = list(ws.iter_rows())
        check("%s: %s: the header row" % (label, name),
              [c.value for c in rows[0]] == heads and all(c.font.b for c in rows[0]),
              "%r" % ([c.value for c in rows[0]],))
        check("%s: %s: the header row is frozen" % (label, name), ws.freeze_panes == "A2",
              "%r" % ws.freeze_panes)
        narrow = [h for i, h in enumerate(heads)
                  if ws.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width
                  < 2 * len(h)]
        check("%s: %s: columns as wide as their Chinese headings" % (label, name),
              en or not narrow, "%r" % narrow)
        want = tables[sheet[2]]
        got = rows[1:]
        problems = []
        if len(got) != len(want):
            problems.append("%d rows, expected %d" % (len(got), len(want)))
        for r, (g, w) in enumerate(zip(got, want)):
            cells = list(g) + [None] * (len(w) - len(g))
            for c, wv in enumerate(w):
                cell = cells[c]
                ok = (wv is None) if cell is None else xlsx_matches(cell, wv)
                if ok is not True:
                    problems.append("row %d col %d: %s" % (r + 2, c + 1, ok))
        check("%s: %s: %d rows match the report" % (label, name, len(want)), not problems,
              "; ".join(problems[:5]))


def compare_csv(label, directory, tables, en=False):
    files = sorted(os.listdir(directory))
    check(label + ": one CSV file per table",
          files == sorted(s[2] for s in SHEETS), "%r" % files)
    for sheet in SHEETS:
        path = os.path.join(directory, sheet[2])
        if not os.path.exists(path):
            continue
        raw = open(path, "rb").read()
        check("%s: %s starts with the UTF-8 byte order mark" % (label, sheet[2]),
              raw.startswith(b"\xef\xbb\xbf"))
        # Lines end in CRLF; a lone LF may only stand inside a quoted field.
        bare_lf = raw.replace(b"\r\n", b"").count(b"\n")
        quoted_lf = sum(1 for row in tables[sheet[2]] for v in row
                        if v is not None and "\n" in str(v[1]))
        check("%s: %s: CRLF line ends" % (label, sheet[2]),
              raw.endswith(b"\r\n") and bare_lf <= quoted_lf)
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        heads = sheet[4] if en else sheet[3]
        check("%s: %s: the header row" % (label, sheet[2]), rows[0] == heads,
              "%r" % (rows[0],))
        want = [[csv_text(v) for v in row] for row in tables[sheet[2]]]
        got = rows[1:]
        bad = [i for i, (g, w) in enumerate(zip(got, want)) if g != w]
        check("%s: %s: %d rows match the report" % (label, sheet[2], len(want)),
              len(got) == len(want) and not bad,
              "%d rows, expected %d; first difference: %r vs %r" % (
                  len(got), len(want), got[bad[0]] if bad else None,
                  want[bad[0]] if bad else None))


def run_one(label, scenario, tmp, en=False):
    """Runs one scenario (None: the bundled sample) in every form and compares them."""
    args = [] if scenario is None else [scenario]
    lang = ["--lang", "en"] if en else []
    r = vipa("run", "--json", *args)
    check(label + ": run --json", r.returncode == 0, r.stderr.decode())
    report = json.loads(r.stdout)
    names = scenario_names(scenario or os.path.join(SRC, "examples", "shangluo-sample.json"))
    tables = expected_tables(report, names, en)
    xlsx = os.path.join(tmp, label + ".xlsx")
    r = vipa("run", *args, "-o", xlsx, *lang)
    check(label + ": -o x.xlsx exits 0", r.returncode == 0 and r.stdout == b"",
          r.stderr.decode())
    check(label + ": a workbook (a zip)", open(xlsx, "rb").read(2) == b"PK")
    compare_workbook(label, xlsx, tables, en)
    out = os.path.join(tmp, label + "-csv")
    r = vipa("run", *args, "--format", "csv", "-o", out, *lang)
    check(label + ": --format csv -o DIR exits 0", r.returncode == 0 and r.stdout == b"",
          r.stderr.decode())
    compare_csv(label, out, tables, en)
    return tables


# ---- scenarios ------------------------------------------------------------------------

HOSTILE_ENTITY = 'Q, "R"\nS'
HOSTILE_VILLAGE = '东川村, "东"'


def hostile_sample(tmp):
    """The sample with names and amounts that test quoting and money."""
    with open(os.path.join(SRC, "examples", "shangluo-sample.json"), encoding="utf-8") as f:
        d = json.load(f)
    d["entities"][0]["name"] = HOSTILE_ENTITY
    for a in d["areas"]:
        if a["code"] == "611002107206":
            a["name"] = HOSTILE_VILLAGE
    d["incomes"][0]["other"] = "-99999.05"
    d["incomes"][1]["other"] = "123456789012.34"
    path = os.path.join(tmp, "hostile.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(d, f, ensure_ascii=False)
    return path


def json_lines_sample(tmp):
    """The sample as JSON Lines: names must be read from it as from the object."""
    with open(os.path.join(SRC, "examples", "shangluo-sample.json"), encoding="utf-8") as f:
        d = json.load(f)
    path = os.path.join(tmp, "sample.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        for k, v in d.items():
            for rec in v if isinstance(v, list) else [v]:
                f.write(json.dumps({k: rec}, ensure_ascii=False) + "\n")
    return path


def leftovers(directory):
    return [n for n in os.listdir(directory) if "vipa-tmp" in n]


def errors(tmp):
    d = os.path.join(tmp, "err")
    os.mkdir(d)

    r = vipa("run", "--format", "xlsx", "-o", d)
    check("xlsx -o DIRECTORY: refused, exit 2", r.returncode == 2 and b"directory" in r.stderr,
          r.stderr.decode())
    check("and nothing is written into it", os.listdir(d) == [])

    f = os.path.join(d, "file")
    with open(f, "w") as fh:
        fh.write("keep\n")
    r = vipa("run", "--format", "csv", "-o", f)
    check("csv -o REGULAR-FILE: refused, exit 2",
          r.returncode == 2 and b"not a directory" in r.stderr, r.stderr.decode())
    check("and the file is untouched", open(f).read() == "keep\n")

    r = vipa("run", "-o", "/dev/full", "--format", "xlsx")
    check("xlsx -o /dev/full: exit 3 with the reason",
          r.returncode == 3 and b"No space left" in r.stderr, r.stderr.decode())
    r = vipa("run", "--format", "csv", "-o", "/dev/full")
    check("csv -o /dev/full: not a directory, exit 2", r.returncode == 2, r.stderr.decode())

    r = vipa("run", "-o", os.path.join(f, "x.xlsx"))
    check("xlsx -o under a regular file: exit 3", r.returncode == 3, r.stderr.decode())
    r = vipa("run", "--format", "csv", "-o", os.path.join(d, "missing", "dir"))
    check("csv -o DIR whose parent is missing: exit 3", r.returncode == 3, r.stderr.decode())
    check("and nothing is created", not os.path.exists(os.path.join(d, "missing")))

    if os.geteuid() != 0:
        ro = os.path.join(d, "ro")
        os.mkdir(ro, 0o555)
        r = vipa("run", "-o", os.path.join(ro, "x.xlsx"))
        check("xlsx -o in an unwritable directory: exit 3",
              r.returncode == 3 and b"Permission denied" in r.stderr, r.stderr.decode())
        r = vipa("run", "--format", "csv", "-o", ro)
        check("csv -o an unwritable directory: exit 3", r.returncode == 3, r.stderr.decode())
        check("and nothing is left in it", os.listdir(ro) == [])
        os.chmod(ro, 0o755)
    else:
        print("skip  unwritable directories (running as root, which may write anywhere)")

    bad = os.path.join(d, "bad.json")
    with open(bad, "w") as fh:
        fh.write('{ "vipa": 1, "househods": [] }')
    r = vipa("run", bad, "-o", os.path.join(d, "bad.xlsx"))
    check("bad input: exit 2, no workbook", r.returncode == 2 and
          not os.path.exists(os.path.join(d, "bad.xlsx")), r.stderr.decode())
    r = vipa("run", bad, "--format", "csv", "-o", os.path.join(d, "badcsv"))
    check("bad input: exit 2, no directory", r.returncode == 2 and
          not os.path.exists(os.path.join(d, "badcsv")), r.stderr.decode())

    # Replacing: whole files, the mode kept, no temporary file left.
    x = os.path.join(d, "r.xlsx")
    with open(x, "w") as fh:
        fh.write("old")
    os.chmod(x, 0o600)
    r = vipa("run", "-o", x)
    check("-o an existing .xlsx replaces it, keeping its mode",
          r.returncode == 0 and open(x, "rb").read(2) == b"PK" and
          stat.S_IMODE(os.stat(x).st_mode) == 0o600, r.stderr.decode())
    c = os.path.join(d, "c")
    os.mkdir(c)
    with open(os.path.join(c, "other.txt"), "w") as fh:
        fh.write("mine")
    with open(os.path.join(c, "findings.csv"), "w") as fh:
        fh.write("old")
    os.chmod(os.path.join(c, "findings.csv"), 0o640)
    r = vipa("run", "--format", "csv", "-o", c + "/")
    check("csv into an existing directory (DIR/): exit 0", r.returncode == 0, r.stderr.decode())
    check("other files of the directory stay", open(os.path.join(c, "other.txt")).read() == "mine")
    check("a replaced CSV file keeps its mode",
          stat.S_IMODE(os.stat(os.path.join(c, "findings.csv")).st_mode) == 0o640)
    check("no temporary file is left", not leftovers(d) and not leftovers(c),
          "%r" % (leftovers(d) + leftovers(c),))

    # The same bytes through standard output, and the .xlsx suffix choosing the format.
    env = {"SOURCE_DATE_EPOCH": "1500000000"}
    a, b = os.path.join(d, "a.XLSX"), vipa("run", "--format", "xlsx", "-o", "-", env=env)
    vipa("run", "-o", a, env=env)
    check("-o NAME.XLSX makes a workbook; -o - gives the same bytes on standard output",
          b.returncode == 0 and open(a, "rb").read() == b.stdout and b.stdout[:2] == b"PK")

    # Usage errors.
    for args, why in ((["--format", "csv"], "csv without -o"),
                      (["--format", "csv", "-o", "-"], "csv to standard output"),
                      (["--format", "xlsx"], "xlsx without -o"),
                      (["--json", "--format", "xlsx", "-o", a], "--json with --format xlsx"),
                      (["--json", "--lang", "en"], "--lang with json"),
                      (["--lang", "fr", "-o", a], "--lang fr"),
                      (["--format", "pdf"], "an unknown format"),
                      (["--format"], "--format without a value")):
        r = vipa("run", *args)
        check("usage error, exit 2: " + why, r.returncode == 2 and b"vipa run" in r.stderr,
              r.stderr.decode())

    # The other formats are as they were.
    plain, text = vipa("run"), vipa("run", "--format", "text")
    check("--format text is the text tables", plain.stdout == text.stdout and text.returncode == 0)
    js, fj = vipa("run", "--json"), vipa("run", "--format", "json")
    check("--format json is --json", js.stdout == fj.stdout and fj.returncode == 0)


def main():
    tmp = tempfile.mkdtemp(prefix="vipa-tables.")
    try:
        run_one("sample", None, tmp)
        for name in ("outcome_terminated", "signer_level", "disqualified_no_support"):
            run_one(name, os.path.join(SRC, "tests", "scenarios", name + ".json"), tmp)
        run_one("sample-en", None, tmp, en=True)

        hostile = hostile_sample(tmp)
        tables = run_one("hostile", hostile, tmp)
        # The quoting itself, on the bytes: the name in quotes, its quote doubled, its line
        # break kept inside the field.
        raw = open(os.path.join(tmp, "hostile-csv", "dividends.csv"), "rb").read()
        check("hostile: RFC 4180 quoting of a name with a comma, a quote and a line break",
              b',"Q, ""R""\nS",' in raw)
        raw = open(os.path.join(tmp, "hostile-csv", "household_years.csv"), "rb").read()
        check("hostile: a negative amount is exact text", b",-" in raw and b".05," in raw)
        money = [v[1] for row in tables["household_years.csv"] for v in row
                 if v is not None and v[0] == "m"]
        check("hostile: the report has the negative and the large amount",
              any(m.startswith("-") and m.endswith(".05") for m in money) and
              any(len(m) >= 15 for m in money), "%r" % money[:5])

        lines = json_lines_sample(tmp)
        run_one("jsonl", lines, tmp)
        a = open(os.path.join(tmp, "jsonl-csv", "dividends.csv"), "rb").read()
        b = open(os.path.join(tmp, "sample-csv", "dividends.csv"), "rb").read()
        check("JSON Lines: the same names as the object form", a == b)
        check("the sample's names are there",
              "秦川核桃食品有限公司（示例）".encode() in b)

        with open(os.path.join(SRC, "examples", "shangluo-sample.json"), "rb") as f:
            piped = subprocess.run([VIPA, "run", "-", "--format", "csv", "-o",
                                    os.path.join(tmp, "stdin-csv")], stdin=f,
                                   capture_output=True)
        check("FILE - (standard input): names too", piped.returncode == 0 and
              open(os.path.join(tmp, "stdin-csv", "dividends.csv"), "rb").read() == b)

        errors(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print("%d check(s) failed" % failures)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
