#!/usr/bin/env python3
"""`vipa import` and `python3 -m vipa import` (docs/import.md) on tables made from the
bundled sample and on hostile ones.

The independent check: tests/import/sample/ was written from examples/shangluo-sample.json
by make_tables.py (its own writer of the format, from the documentation), and the
scenario imported from it must give a `vipa run --json` report equal, byte for byte, to
the sample's own. Variants of it (causes by code, 是/否 as 1/0, LF, a BOM, Chinese file
names, a workbook) must give the same report; broken ones must be refused with the file,
row, column and what was expected, and nothing written.

    python3 tests/import/check.py VIPA SOURCE_ROOT LIBVIPA
"""
import csv
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

VIPA, ROOT, LIB = (os.path.abspath(a) for a in sys.argv[1:4])
SAMPLE_DIR = os.path.join(ROOT, "tests", "import", "sample")
ENV = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "bindings", "python"), VIPA_LIBRARY=LIB,
           PYTHONDONTWRITEBYTECODE="1")
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
passed = failed = 0


def run(*args, python=False):
    cmd = [PYTHON, "-m", "vipa", "import", *args] if python else [VIPA, *args]
    p = subprocess.run(cmd, capture_output=True, env=ENV)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {name}: {detail}")


REPORT = run("run", "--json", os.path.join(ROOT, "examples", "shangluo-sample.json"))[1]


def same_report(name, *import_args, python=False):
    """The tables import (with the C command, or the Python one) and give the sample's report."""
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "s.json")
        rc, _, err = run(*import_args, "-o", out, python=python) if python else run("import", *import_args, "-o", out)
        check(name + ": imported", rc == 0, err)
        if rc == 0:
            rep = run("run", "--json", out)[1]
            check(name + ": report equals the sample's", rep == REPORT and len(rep) > 1000,
                  f"{len(rep)} bytes against {len(REPORT)}")


def refused(name, args, *wanted, python=False):
    """The import fails with exit status 2, prints every wanted text, writes nothing."""
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "s.json")
        with open(out, "w") as f:
            f.write("before")
        rc, _, err = run(*args, "-o", out, python=python) if python else run("import", *args, "-o", out)
        check(name + ": exit status 2", rc == 2, f"{rc}: {err}")
        for w in wanted:
            check(name + f": says {w!r}", w in err, err)
        with open(out) as f:
            check(name + ": the output is left as it was", f.read() == "before")


def copy_sample(d):
    t = os.path.join(d, "t")
    shutil.copytree(SAMPLE_DIR, t)
    return t


def rewrite(path, fn, encoding="utf-8", newline="\r\n"):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows = fn(rows)
    buf = io.StringIO()
    csv.writer(buf, lineterminator=newline).writerows(rows)
    with open(path, "wb") as f:
        f.write(buf.getvalue().encode(encoding))


# ---- the sample, and tables that mean the same -----------------------------------------

same_report("sample", SAMPLE_DIR)
rc, out, err = run("run", "--json", SAMPLE_DIR)
check("vipa run --json DIR gives the sample's report", rc == 0 and out == REPORT, err)
rc, out, err = run("check", SAMPLE_DIR)
rc2, out2, _ = run("check", os.path.join(ROOT, "examples", "shangluo-sample.json"))
check("vipa check DIR as vipa check on the sample", (rc, out) == (rc2, out2), err)
c_text = run("import", SAMPLE_DIR)[1]
rc, py_text, err = run(SAMPLE_DIR, python=True)
check("python3 -m vipa import writes the same bytes as vipa import", rc == 0 and py_text == c_text, err)
files = sorted(os.path.join(SAMPLE_DIR, n) for n in os.listdir(SAMPLE_DIR))
same_report("the files named one by one", *files)

CODES = {"因病": "01", "因残": "02", "因学": "03", "因灾": "04", "缺土地": "05", "缺水": "06",
         "缺技术": "07", "缺劳力": "08", "缺资金": "09", "交通条件落后": "10", "自身发展动力不足": "11"}
with tempfile.TemporaryDirectory() as d:
    t = copy_sample(d)
    # Causes by their national code, 是/否 as 1/0, English words elsewhere, LF, a BOM.
    rewrite(os.path.join(t, "households.csv"),
            lambda rows: [rows[0]] + [r[:4] + [CODES[r[4]], {"是": "1", "否": "0"}[r[5]]] + r[6:] for r in rows[1:]],
            encoding="utf-8-sig", newline="\n")
    os.rename(os.path.join(t, "households.csv"), os.path.join(t, "贫困户.csv"))
    os.rename(os.path.join(t, "plan_tasks.csv"), os.path.join(t, "年度任务.csv"))
    same_report("codes 01-11, 1/0, LF, a BOM, Chinese file names", t)
    same_report("the same with python3 -m vipa import", t, python=True)

with tempfile.TemporaryDirectory() as d:
    t = copy_sample(d)
    # A raw export's other columns: names, identity numbers, the town; read nowhere.
    rewrite(os.path.join(t, "households.csv"),
            lambda rows: [["户主姓名", "身份证号码", "乡镇"] + rows[0]] +
                         [["张三", "61100219800101123X", "黑山镇"] + r for r in rows[1:]])
    same_report("a 建档立卡 export's personal columns", t)
    same_report("a 建档立卡 export's personal columns (python)", t, python=True)
    rc, out, err = run("import", t)
    check("no name or identity number reaches the scenario",
          rc == 0 and "张三" not in out.decode() and "61100219800101123X" not in out.decode(), err)

# ---- hostile tables ------------------------------------------------------------------

with tempfile.TemporaryDirectory() as d:
    t = copy_sample(d)
    h = os.path.join(t, "households.csv")
    orig = open(h, "rb").read()

    rewrite(h, lambda rows: rows[:2] + [rows[2][:4] + ["疾病x"] + rows[2][5:]] + rows[3:])
    want = ('households.csv, row 3, column 致贫原因: "疾病x" is not one of illness (因病, 01, 1), '
            'disability (因残, 02, 2), schooling (因学, 03, 3)')
    refused("a bad cause", [t], want, "1 error; nothing written")
    refused("a bad cause (python)", [t], want, python=True)

    rewrite(h, lambda rows: [r[:2] + r[3:] for r in rows])
    refused("a missing required column", [t], "households.csv: missing column members (a required one: members, or 人口)")

    open(h, "wb").write(orig)
    rewrite(h, lambda rows: [rows[0] + ["人口数量"]] + [r + [""] for r in rows[1:]])
    refused("an unknown column", [t], 'households.csv, column 8 "人口数量": unknown column; expected one of id (household, 户编号')

    open(h, "wb").write(orig)
    rewrite(h, lambda rows: [rows[0] + ["members"]] + [r + [r[2]] for r in rows[1:]])
    refused("a duplicate column", [t], 'households.csv, column 8 "members": the same column as column 3 "人口" (members)')

    open(h, "wb").write(b"")
    refused("an empty file", [t], "households.csv: empty; expected a heading row")
    refused("an empty file (python)", [t], "households.csv: empty; expected a heading row", python=True)

    open(h, "wb").write(orig.decode("utf-8").encode("gb18030"))
    refused("a GBK file", [t], 'households.csv: not UTF-8 but GB18030 (GBK)', "iconv -f GB18030 -t UTF-8")
    refused("a GBK file (python)", [t], 'households.csv: not UTF-8 but GB18030 (GBK)', python=True)

    open(h, "wb").write(orig.decode("utf-8").encode("utf-16"))
    refused("a UTF-16 file", [t], "households.csv: UTF-16 text")

    # An areas table that cannot be read is one error, not one more per village name.
    open(h, "wb").write(orig)
    a = os.path.join(t, "areas.csv")
    areas = open(a, "rb").read()
    open(a, "wb").write(areas.decode("utf-8").encode("utf-16"))
    refused("an unreadable areas table", [t], "areas.csv: UTF-16 text", "1 error; nothing written")
    refused("an unreadable areas table (python)", [t], "areas.csv: UTF-16 text",
            "1 error; nothing written", python=True)
    open(a, "wb").write(areas)

    open(h, "wb").write(orig + b'1999,\xe4\xb8\x9c\xe5\xb7\x9d\xe6\x9d\x91,"3,2,\xe5\x9b\xa0\xe7\x97\x85,\xe6\x98\xaf,\r\n')
    refused("a quote never closed", [t], "households.csv, row 202: a quote out of place")
    refused("a quote never closed (python)", [t], "households.csv, row 202: a quote out of place", python=True)

    # 150 bad cells: the first 100 shown, the rest counted.
    open(h, "wb").write(orig)
    rewrite(h, lambda rows: [rows[0]] + [r[:2] + ["x"] + r[3:] for r in rows[1:151]] + rows[151:])
    rc, _, err = run("import", t)
    check("150 bad cells: 100 shown", err.count('is not a whole number') == 100, err[-300:])
    check("150 bad cells: the rest counted", "... and 50 more errors (the first 100 are shown)" in err
          and "150 errors; nothing written" in err, err[-300:])

    # Errors the library finds, mapped back to the row and column.
    open(h, "wb").write(orig)
    rewrite(h, lambda rows: [rows[0], rows[1][:3] + ["9"] + rows[1][4:]] + rows[2:])
    refused("labour above members (the loader's check)", [t], "households.csv, row 2, column 劳动力: labour is 9; expected 0..members (6)")
    refused("labour above members (python)", [t], "households.csv, row 2, column 劳动力: labour is 9; expected 0..members (6)", python=True)
    open(h, "wb").write(orig)

    a = os.path.join(t, "agreements.csv")
    a_orig = open(a, "rb").read()
    rewrite(a, lambda rows: [rows[0], [rows[1][0], "99"] + rows[1][2:]] + rows[2:])
    refused("a reference to no entity", [t], "agreements.csv, row 2, column entity: entity 99 is not in the context")
    refused("a reference to no entity (python)", [t], "agreements.csv, row 2, column entity: entity 99 is not in the context", python=True)
    open(a, "wb").write(a_orig)

    p = os.path.join(t, "plan_tasks.csv")
    p_orig = open(p, "rb").read()
    rewrite(p, lambda rows: rows[:3] + [rows[3][:3] + ["12.345"] + rows[3][4:]] + rows[4:])
    refused("money with three decimals", [t], 'plan_tasks.csv, row 4, column income: "12.345" is not an amount in yuan')
    open(p, "wb").write(p_orig)

    s = os.path.join(t, "assured.csv")
    s_orig = open(s, "rb").read()
    open(s, "ab").write("2001,2017,是,是,是,是,是\r\n".encode())
    refused("guarantees of no household", [t], "assured.csv, row 586: no household 2001 in the households table")
    refused("guarantees of no household (python)", [t], "assured.csv, row 586: no household 2001 in the households table", python=True)
    open(s, "wb").write(s_orig)

    ar = os.path.join(t, "areas.csv")
    ar_orig = open(ar, "rb").read()
    rewrite(ar, lambda rows: [rows[0], ["6.11002E+11"] + rows[1][1:]] + rows[2:])
    refused("an area code Excel shortened", [t], 'areas.csv, row 2, column code: "6.11002E+11" is not a 12-digit area code, not a number Excel shortened')
    open(ar, "wb").write(ar_orig)

    rewrite(h, lambda rows: [rows[0], [rows[1][0], "无此村"] + rows[1][2:]] + rows[2:])
    refused("a village by a name no area has", [t], 'households.csv, row 2, column 村: "无此村" is not a 12-digit area code (统计用区划代码), or the name of an area')
    open(h, "wb").write(orig)

    refused("a path that is not there", [os.path.join(t, "nothing")], "nothing: No such file or directory")
    open(ar, "ab").write("611002104293,东川村,village,\r\n".encode())
    refused("a village name two areas have", [t], 'households.csv, row 2, column 村: "东川村" is not one area; '
            '2 areas have this name (611002104293, 611002107206): give the code')
    refused("a village name two areas have (python)", [t], 'households.csv, row 2, column 村: "东川村" is not one area; '
            '2 areas have this name (611002104293, 611002107206): give the code', python=True)
    open(ar, "wb").write(ar_orig)

    open(os.path.join(t, "notes.csv"), "w").write("a,b\n")
    refused("a file that is no table", [t], "notes.csv: not a table of a scenario; the file names are profile.csv")
    os.unlink(os.path.join(t, "notes.csv"))

    pr = os.path.join(t, "profile.csv")
    pr_orig = open(pr, "rb").read()
    open(pr, "ab").write(b"poverty_line.2017,abc\r\npoverty_lines.2017,3000\r\n")
    refused("bad profile rows", [t], 'profile.csv, row 6, column value: "abc" is not an amount in yuan',
            'profile.csv, row 7, column key: "poverty_lines.2017" is not a key of the profile')
    open(pr, "wb").write(pr_orig)
    open(pr, "ab").write("贫困线.2017,3100.00\r\nas_of,2019/2/28\r\npoverty_line.2017,3000\r\n".encode())
    refused("a profile key twice", [t], 'profile.csv, row 8, column key: "poverty_line.2017" is given twice (also row 6)')
    open(pr, "wb").write(pr_orig)
    open(pr, "ab").write("贫困线.2017,3100.00\r\nas_of,2019/2/28\r\n".encode())
    rc, out, err = run("import", t)
    s = json.loads(out) if rc == 0 else {}
    check("profile keys in Chinese, a date as Excel shows it", rc == 0 and s.get("as_of") == "2019-02-28"
          and s["profile"]["params"]["poverty_line"] == {"2017": "3100.00"}, err)
    open(pr, "ab").write(b"as_of,2019-02-30\r\n")
    rewrite(pr, lambda rows: rows[:-2] + rows[-1:])
    refused("a date that is no day (the loader's check)", [t], "profile.csv, row 7, column value:", "2019-02-30")
    open(pr, "wb").write(pr_orig)

    # Quotes, commas and a line break inside a name: one cell, kept as it is.
    e = os.path.join(t, "entities.csv")
    name = '秦川 "核桃", 食品\n有限公司'
    rewrite(e, lambda rows: [rows[0], [rows[1][0], name] + rows[1][2:]] + rows[2:])
    rc, out, err = run("import", t)
    check("quotes, a comma and a line break in a name", rc == 0 and json.loads(out)["entities"][0]["name"] == name, err)
    rc, py, err = run(t, python=True)
    check("the same name through python", rc == 0 and py == out, err)
    rewrite(h, lambda rows: [rows[0], rows[1][:2] + ["x"] + rows[1][3:]] + rows[2:])
    rc, _, err = run("import", t)
    check("a row after a multi-line cell elsewhere keeps its number", "households.csv, row 2, column 人口" in err, err)


# ---- 100,000 households ----------------------------------------------------------------

with tempfile.TemporaryDirectory() as d:
    shutil.copy(os.path.join(SAMPLE_DIR, "areas.csv"), d)
    with open(os.path.join(d, "households.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("户编号,村,人口,劳动力,致贫原因,是否有产业发展意愿,脱贫年度\r\n")
        causes = list(CODES)
        villages = ["东川村", "示例一村", "杏树园村", "沙渠村", "611002112291"]
        for i in range(100000):
            f.write(f"{100000 + i},{villages[i % 5]},{1 + i % 6},{i % 2},{causes[i % 11]},{'是' if i % 3 else '否'},\r\n")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    rc, out, err = run("import", d, "-o", os.path.join(d, "s.json"))
    seconds = time.monotonic() - t0
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    size = os.path.getsize(os.path.join(d, "s.json")) if rc == 0 else 0
    check("100,000 households imported", rc == 0, err)
    check("100,000 households in under 60 s", seconds < 60, f"{seconds:.1f} s")
    print(f"100,000 households: {seconds:.2f} s, peak RSS {peak_mib:.0f} MiB (children so far), "
          f"scenario {size / 1e6:.1f} MB")
    if rc == 0:
        with open(os.path.join(d, "s.json"), encoding="utf-8") as f:
            s = json.load(f)
        hh = s["households"]
        check("100,000 households: every one, in order, values as written",
              len(hh) == 100000 and hh[0] == {"id": 100000, "village": "611002107206", "members": 1,
                                               "labour": 0, "cause": "illness", "willing": False}
              and hh[99999]["cause"] == "poor_transport" and hh[99999]["village"] == "611002112291"
              and hh[12]["cause"] == "disability" and hh[12]["willing"] is False and hh[13]["willing"] is True, hh[:2])

# ---- the workbook ----------------------------------------------------------------------

try:
    import openpyxl
except ImportError:
    openpyxl = None


def typed(v, head):
    """A cell as a spreadsheet holds it: numbers as numbers, dates as dates, codes as text."""
    import datetime
    if v == "":
        return None
    if head in ("code", "core_village", "signer_area", "uscc"):
        return v
    if len(v) == 10 and v[4] == "-" and v[7] == "-":
        return datetime.date(int(v[:4]), int(v[5:7]), int(v[8:]))
    if v.lstrip("-").isdigit() and len(v) < 12:
        return int(v)
    return v


if openpyxl is not None:
    with tempfile.TemporaryDirectory() as d:
        book = openpyxl.Workbook()
        book.remove(book.active)
        zh = {"households": "贫困户", "agreements": "协议"}
        for n in sorted(os.listdir(SAMPLE_DIR)):
            base = n[:-4]
            ws = book.create_sheet(zh.get(base, base))
            with open(os.path.join(SAMPLE_DIR, n), encoding="utf-8", newline="") as f:
                rows = list(csv.reader(f))
            ws.append(rows[0])
            for r in rows[1:]:
                ws.append([typed(v, h) if base != "profile" else (int(v) if v.isdigit() else v)
                           for v, h in zip(r, rows[0])])
        path = os.path.join(d, "book.xlsx")
        book.save(path)
        same_report("the workbook", path, python=True)
        ws = book["贫困户"]
        ws["E3"] = "疾病x"
        book.save(path)
        refused("a bad cause in the workbook", [path],
                'book.xlsx, sheet 贫困户, row 3, column 致贫原因: "疾病x" is not one of illness (因病, 01, 1)', python=True)
else:
    print("openpyxl missing: the workbook part skipped")

# docs/import.md's tables are those of the mapping files.
p = subprocess.run([PYTHON, os.path.join(ROOT, "tests", "import", "doc_tables.py"), ROOT],
                   capture_output=True, text=True)
check("docs/import.md in step with data/import/", p.returncode == 0, p.stdout + p.stderr)

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
