"""The numbers of `vipa report` against the contract of docs/report.md, worked out a second
way: from the report JSON (`vipa run --json`) and the scenario's own records, never from
the page's code. Usage: report_check.py SCENARIO.json REPORT.json PAGE.html|DIR
Checks every rollup table (rows, cells), the households still to lift, the trend marks,
and the money owed in the action section; exits 1 on the first difference, printed."""
import collections
import html.parser
import json
import os
import sys


def fen(text):
    neg = text.startswith("-")
    whole, _, part = text.lstrip("-").partition(".")
    v = int(whole) * 100 + int((part + "00")[:2])
    return -v if neg else v


class Page(html.parser.HTMLParser):
    """Collects the contract's elements: rollup tables, lift tables, marks, owed divs."""

    def __init__(self):
        super().__init__()
        self.tables = []  # (attrs, rows: [(tr attrs, {key: (text, data-fen)})])
        self.marks = []
        self.owed = []
        self.table = None
        self.row = None
        self.cell = None
        self.chart = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = a.get("class", "")
        if tag == "table" and cls in ("rollup", "lift"):
            self.table = (a, [])
            self.tables.append(self.table)
        elif tag == "tr" and self.table is not None and cls in ("area", "total", "lift"):
            self.row = (a, {})
            self.table[1].append(self.row)
        elif tag == "td" and self.row is not None and "data-key" in a:
            self.cell = [a["data-key"], "", a.get("data-fen"), a.get("data-ids")]
        elif tag == "svg" and cls == "trend":
            self.chart = a["data-chart"]
        elif tag == "rect" and cls == "mark":
            self.marks.append((self.chart, int(a["data-year"]), a["data-series"], int(a["data-value"])))
        elif tag == "div" and cls in ("owed", "owed-agreement"):
            self.owed.append((cls, a.get("data-entity") or a.get("data-agreement"), int(a["data-fen"])))

    def handle_endtag(self, tag):
        if tag == "td" and self.cell is not None:
            self.row[1][self.cell[0]] = tuple(self.cell[1:])
            self.cell = None
        elif tag == "tr":
            self.row = None
        elif tag == "table":
            self.table = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[1] += data


def fail(what):
    print("FAIL", what)
    sys.exit(1)


def main(scenario_path, report_path, out):
    sc = json.load(open(scenario_path, encoding="utf-8"))
    rep = json.load(open(report_path, encoding="utf-8"))
    years = rep["years"]
    ys = [y for y in years if y["complete"]]
    ystar = (ys or years)[-1]
    village = {h["id"]: h["village"] for h in sc["households"]}
    core = {e["id"]: e.get("core_village") for e in sc["entities"]}
    agreement_of = {l["id"]: l["agreement"] for l in sc.get("linkages", [])}
    entity_of = {a["id"]: a["entity"] for a in sc.get("agreements", [])}
    listed = collections.defaultdict(list)
    for a in sc.get("agreements", []):
        for h in a["households"]:
            listed[h].append(a["id"])

    def within(code, area):
        if area == "total":
            return code is not None
        if area.endswith("000000"):
            return code is not None and code[:6] == area[:6]
        if area.endswith("000"):
            return code is not None and code[:9] == area[:9]
        return code == area

    def expect(area):
        hs = [h for h in rep["households"] if within(village.get(h["id"]), area)]
        e = {"households": len(hs), "open": sum(h["exit_year"] is None for h in hs)}
        for y in years:
            e["exits-%d" % y["year"]] = sum(h["exit_year"] == y["year"] for h in hs)
        cov = [c for c in ystar["coverage"] if within(c["village"], area)]
        e["willing"] = sum(c["willing"] for c in cov)
        e["covered"] = sum(c["covered"] for c in cov)
        for k in ("wage", "land_rent", "participation"):
            ob = [o for o in ystar["obligations"] if o["kind"] == k and within(village.get(o["household"]), area)]
            e[k + "_due"] = sum(fen(o["due"]) for o in ob)
            e[k + "_paid"] = sum(fen(o["paid"]) for o in ob)
        dv = [d for d in ystar["dividends"] if within(village.get(d["household"]), area)]
        e["dividend_due"] = sum(fen(d["due"]) for d in dv)
        e["dividend_paid"] = sum(fen(d["paid"]) for d in dv)
        for w in ("compliant", "rectification", "restored", "terminated"):
            e["outcome-" + w] = sum(1 for v in ystar["evaluations"] if v["outcome"] == w and
                                    (within(core.get(v["entity"]), area) if area != "total" else True))
        return e

    def page_order(name):  # town-CODE.html, then its continuations -2, -3 ...
        stem = name[:-len(".html")]
        parts = stem.split("-")
        return (parts[0], parts[1] if len(parts) > 1 else "", int(parts[2]) if len(parts) > 2 else 1)

    pages = [out] if os.path.isfile(out) else [os.path.join(out, f) for f in sorted(os.listdir(out), key=page_order)]
    areas = {a["code"]: a["level"] for a in sc["areas"]}
    seen_tables = set()
    lift_rows = collections.defaultdict(list)
    for path in pages:
        if os.path.getsize(path) >= 2000000:
            fail("%s: %d bytes" % (path, os.path.getsize(path)))
        p = Page()
        p.feed(open(path, encoding="utf-8").read())
        for attrs, rows in p.tables:
            if attrs["class"] == "lift":
                lift_rows[attrs["data-village"]] += rows
                continue
            parent, level = attrs["data-parent"], attrs["data-level"]
            seen_tables.add((level, parent))
            want = sorted(c for c, lv in areas.items() if lv == level and within(c, parent))
            got = [r[0]["data-area"] for r in rows if r[0]["class"] == "area"]
            if got != want:
                fail("%s %s table under %s: rows %s, want %s" % (path, level, parent, got, want))
            for r in rows:
                e = expect(r[0].get("data-area", parent))
                for key, value in e.items():
                    text, data_fen, _ = r[1].get(key, (None, None, None))
                    have = int(data_fen) if key.endswith(("_due", "_paid")) else (int(text) if text else None)
                    if have != value:
                        fail("%s %s row %s: %s = %s, want %s" % (path, level, r[0], key, have, value))
        scope_marks(p, path, rep, village, core, within)
        check_owed(p, path, rep, agreement_of, entity_of)
    want_lift = collections.defaultdict(list)
    for h in sorted(ystar["households"], key=lambda h: (-(fen(h["line"]) - fen(h["income"])), h["id"])):
        if not h["meets_standard"] and village.get(h["id"]):
            want_lift[village[h["id"]]].append(h)
    for v, lv in areas.items():
        if lv != "village":
            continue
        got = [(int(r[0]["data-household"]), r[1]["gap"][1], r[1]["agreements"][2]) for r in lift_rows[v]]
        want = [(h["id"], str(fen(h["line"]) - fen(h["income"])), " ".join(str(a) for a in sorted(listed[h["id"]])))
                for h in want_lift[v]]
        if got != want:
            fail("lift of %s: %s, want %s" % (v, got[:5], want[:5]))
    print("ok", len(pages), "pages,", len(seen_tables), "rollup tables,",
          sum(len(r) for r in lift_rows.values()), "households to lift")


def scope_marks(p, path, rep, village, core, within):
    """The trend marks of the page's scope: the run (single page, index) or its area."""
    if not p.marks:
        return
    name = os.path.basename(path)
    scope = "total"
    for prefix in ("county-", "town-"):
        if name.startswith(prefix):
            scope = name[len(prefix):len(prefix) + 12]
    want = set()
    for y in rep["years"]:
        yy = y["year"]
        want.add(("exits", yy, "exits", sum(h["exit_year"] == yy and within(village.get(h["id"]), scope)
                                            for h in rep["households"])))
        cov = [c for c in y["coverage"] if within(c["village"], scope)]
        want.add(("coverage", yy, "willing", sum(c["willing"] for c in cov)))
        want.add(("coverage", yy, "covered", sum(c["covered"] for c in cov)))
        rows = [o for o in y["obligations"] + y["dividends"] if within(village.get(o["household"]), scope)]
        want.add(("dues", yy, "due", sum(fen(o["due"]) for o in rows)))
        want.add(("dues", yy, "paid", sum(fen(o["paid"]) for o in rows)))
        for w in ("compliant", "rectification", "restored", "terminated"):
            want.add(("outcomes", yy, w, sum(1 for v in y["evaluations"] if v["outcome"] == w and
                                             (scope == "total" or within(core.get(v["entity"]), scope)))))
    if set(p.marks) != want or len(p.marks) != len(want):
        fail("%s: marks %s, want %s" % (path, sorted(set(p.marks) ^ want)[:6], len(want)))


def check_owed(p, path, rep, agreement_of, entity_of):
    owed_a = collections.Counter()
    owed_e = collections.Counter()
    for y in rep["years"]:
        for o in y["obligations"]:
            a = agreement_of.get(o["linkage"])
            owed_a[a] += max(0, fen(o["due"]) - fen(o["paid"]))
        for d in y["dividends"]:
            owed_e[d["entity"]] += max(0, fen(d["due"]) - fen(d["paid"]))
    for a, v in owed_a.items():
        owed_e[entity_of.get(a)] += v
    last = None
    for cls, key, value in p.owed:
        if key == "none":
            continue
        want = (owed_e if cls == "owed" else owed_a)[int(key)]
        if value != want:
            fail("%s: %s %s owes %d, want %d" % (path, cls, key, value, want))
        if cls == "owed" and last is not None and value > last:
            fail("%s: entities not sorted by money owed" % path)
        if cls == "owed":
            last = value


if __name__ == "__main__":
    main(*sys.argv[1:4])
