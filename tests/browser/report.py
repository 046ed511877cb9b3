#!/usr/bin/env python3
"""The county report of issue #18 in a real browser, checked against its contract.

    python3 tests/browser/report.py VIPA-PROGRAM SOURCE-ROOT [--screenshots DIR] [--keep DIR]
    python3 tests/browser/report.py --self-test SOURCE-ROOT
    python3 tests/browser/report.py --written VIPA-PROGRAM SCENARIO PAGE|DIR [--numbers-only]

The contract is docs/report.md's: class and data- attributes of the page, the numbers
they carry. Every
number expected here is worked out from `vipa run --json` and the scenario's own records
(json module, integer fen), never from the HTML generator. Debian's chromium, headless
and cut off from the network (the flags below, a fresh --user-data-dir each run), loads
each page from a file and dumps the DOM it built (--dump-dom); the checks read that DOM.

Scenarios: the bundled sample; a generated one (the sample twice, the copy in villages of
its own with ids shifted and a fifth of its payments left out, `as_of` 2019-06-30 so that
the last complete year is 2018: 400 households, 2 counties, 5 towns, 18 villages); a
hostile one (names with <script>, "'><img onerror=, U+2028, 5000 characters; a hostile
--unit).

  1. the single page of the sample and of the generated scenario: rollup tables at every
     level (every data-key, money to the fen by data-fen), households still to lift per
     village (ids, income/line/gap, agreements, entities, order), chart marks per year and
     series, the action section's owed figures and order, rule IDs only inside
     .rule .rule-id beside the catalogue's Chinese title (`vipa rules`), the frame;
  2. the sample's page printed to PDF: every page has the title, the unit and
     "第 N 页 / 共 M 页" with the right N and M (pdfinfo, pdftotext of each page);
  3. the multi-page form of the generated scenario (`-o DIR/`): every page under 2 MB,
     every relative link to an existing file and anchor, the rollup tables, lift tables
     and trends each page must hold, no script, no external resource;
  4. the hostile scenario, both forms: no script element, no event-handler attribute, no
     external URL or CSS resource in any page, the hostile names shown as text.

--screenshots DIR writes DIR/report-page1.png (page 1 of the sample's print) and
DIR/report-county.png (page 1 of a county page of the sample's multi-page form), 80 dpi,
for docs/. --keep DIR keeps the scenarios, reports and pages written.

Exit status 0 when every check passed, 1 when one failed, 77 (meson's "skipped") when
chromium or poppler-utils is missing. --self-test runs the checks on the hand-made
fixtures of tests/browser/fixtures/ (no browser): the good page must pass, and each broken
copy must fail the check named for it. --written runs them on pages as the command wrote
them, parsed without a browser (`vipa report`'s own tests, tests/cli/report.sh);
--numbers-only leaves out the Chinese frame, titles and words (for --lang en).
Python 3 standard library only.
"""
import collections
import concurrent.futures
import copy
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

SKIP = 77
CLOSED_NETWORK_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BROWSER_TIMEOUT = 120  # seconds per browser run
PARALLEL_BROWSERS = 2  # the machine is small and shared
PAGE_LIMIT = 2 * 1000 * 1000  # bytes: "under 2 MB" read strictly (not 2 MiB)
KINDS = ("wage", "land_rent", "participation")
OUTCOMES = ("compliant", "rectification", "restored", "terminated")
MONEY_KEYS = {k + s for k in KINDS + ("dividend",) for s in ("_due", "_paid")}
CHART_SERIES = {
    "exits": ("exits",),
    "coverage": ("willing", "covered"),
    "dues": ("due", "paid"),
    "outcomes": OUTCOMES,
}
UNIT = "商州区扶贫开发办公室"
# A --unit that would end a CSS string and load a resource if it reached the style
# sheet unescaped (the page header of the print is the likeliest place for it).
HOSTILE_UNIT = '办"; } body { background: url(http://evil.example/u.png) } x { content: "</style><script>alert(1)</script>'
HOSTILE_NAMES = [
    "<script>alert(1)</script>",
    "\"'><img src=x onerror=alert(1)>",
    "村\u2028名\u2029村",
    "</style><link rel=stylesheet href=http://evil.example/a.css>",
    "javascript:alert(1)",
    "@import url(//evil.example/b.css);",
]
LONG_NAME = "长" * 5000


# --- money and codes ---------------------------------------------------------------

def fen(text):
    """A money string of the report ("-12.30", "4000.00") as integer fen, exactly."""
    sign = -1 if text.startswith("-") else 1
    whole, _, frac = text.lstrip("-").partition(".")
    return sign * (int(whole) * 100 + int((frac + "00")[:2]))


MONEY_TEXT = re.compile(r"-?\d[\d,\u2009\u00a0 ]*\.\d\d")


def shown_fen(text):
    """The amount a money cell shows (yuan, two decimals, digits maybe grouped), or None."""
    m = MONEY_TEXT.findall(text)
    if len(m) != 1:
        return None
    return fen(re.sub(r"[,\u2009\u00a0 ]", "", m[0]))


def shown_count(text):
    """The count a cell shows, decimal digits maybe grouped, or None."""
    t = re.sub(r"[,\u2009\u00a0\s]", "", text)
    return int(t) if re.fullmatch(r"-?\d+", t) else None


def county_of(code):
    return code[:6] + "000000"


def town_of(code):
    return code[:9] + "000"


def level_of(code):
    if code[6:] == "000000":
        return "county"
    if code[9:] == "000":
        return "town"
    return "village"


def in_scope(village, scope):
    """scope: "total" or (level, code)."""
    if scope == "total":
        return True
    level, code = scope
    width = {"county": 6, "town": 9, "village": 12}[level]
    return village[:width] == code[:width]


def chinese_date(iso):
    y, m, d = iso.split("-")
    return "%d年%d月%d日" % (int(y), int(m), int(d))


# --- the DOM ---------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr"}
INVISIBLE = {"head", "script", "style", "template", "noscript"}


class Node:
    __slots__ = ("tag", "attrs", "children", "parent", "data")

    def __init__(self, tag, attrs=None, parent=None, data=None):
        self.tag, self.attrs, self.parent, self.data = tag, attrs or {}, parent, data
        self.children = []

    def classes(self):
        return (self.attrs.get("class") or "").split()

    def elements(self):
        """Every element below this one, in document order."""
        stack = list(reversed(self.children))
        while stack:
            n = stack.pop()
            if n.tag is None:
                continue
            yield n
            stack.extend(reversed(n.children))

    def find(self, tag=None, cls=None, **attrs):
        out = []
        for n in self.elements():
            if tag is not None and n.tag != tag:
                continue
            if cls is not None and cls not in n.classes():
                continue
            if any(n.attrs.get(k.replace("_", "-")) != v for k, v in attrs.items()):
                continue
            out.append(n)
        return out

    def text(self):
        parts = []
        stack = [self]
        while stack:
            n = stack.pop()
            if n.tag is None:
                parts.append(n.data)
            else:
                stack.extend(reversed(n.children))
        return "".join(parts)

    def ancestors(self):
        n = self.parent
        while n is not None:
            yield n
            n = n.parent

    def nearest(self, pred):
        for a in self.ancestors():
            if pred(a):
                return a
        return None

    def where(self):
        """A short description for messages: the element and its nearest id."""
        sec = self.nearest(lambda a: a.attrs.get("id"))
        desc = "<%s%s>" % (self.tag or "text", "".join(
            ' %s="%s"' % (k, v) for k, v in self.attrs.items() if k == "class" or k.startswith("data-")))
        return desc + (" in #" + sec.attrs["id"] if sec is not None else "")


class TreeBuilder(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        n = Node(tag, {k: (v if v is not None else "") for k, v in attrs}, self.stack[-1])
        self.stack[-1].children.append(n)
        if tag not in VOID:
            self.stack.append(n)

    def handle_startendtag(self, tag, attrs):
        n = Node(tag, {k: (v if v is not None else "") for k, v in attrs}, self.stack[-1])
        self.stack[-1].children.append(n)

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(Node(None, parent=self.stack[-1], data=data))


def parse(text):
    b = TreeBuilder()
    b.feed(text)
    b.close()
    return b.root


def visible_text_nodes(root):
    """Text nodes outside <head>, <script>, <style>, <template>: what a reader can see
    (a collapsed <details> is opened with a click, so its text counts)."""
    stack = [root]
    while stack:
        n = stack.pop()
        if n.tag is None:
            yield n
        elif n.tag not in INVISIBLE:
            stack.extend(reversed(n.children))


# --- what the pages must show, from the report JSON and the scenario alone --------------

class Expected:
    def __init__(self, scenario, report, titles):
        self.titles = titles
        self.data_words = scenario_words(scenario)
        self.as_of = scenario.get("as_of")
        self.village_of = {h["id"]: h["village"] for h in scenario.get("households", [])}
        self.entities = {e["id"]: e for e in scenario.get("entities", [])}
        self.agreements = {a["id"]: a for a in scenario.get("agreements", [])}
        self.linkages = {l["id"]: l for l in scenario.get("linkages", [])}
        self.exit_year = {h["id"]: h["exit_year"] for h in report["households"]}
        self.years = report["years"]
        self.year_list = [y["year"] for y in self.years]
        complete = [y for y in self.years if y["complete"]]
        self.ystar = complete[-1] if complete else self.years[-1]
        self.findings = report["findings"]
        self.agreements_of = collections.defaultdict(list)  # household -> agreement ids
        for a in self.agreements.values():
            for h in a.get("households", []):
                self.agreements_of[h].append(a["id"])
        self.areas = self._areas(scenario)

    def _areas(self, scenario):
        """code -> (level, name): the scenario's areas and every area a household lies in."""
        areas = {a["code"]: (a["level"], a["name"]) for a in scenario.get("areas", [])}
        for v in self.village_of.values():
            for code in (v, town_of(v), county_of(v)):
                areas.setdefault(code, (level_of(code), None))
        return areas

    def codes(self, level, parent="total"):
        """The areas of @level under @parent ("total": the whole run), ascending."""
        out = []
        for code, (lv, _) in self.areas.items():
            if lv != level:
                continue
            if parent == "total" or in_scope(code, (level_of(parent), parent)):
                out.append(code)
        return sorted(out)

    def core_in(self, entity_id, scope):
        core = self.entities.get(entity_id, {}).get("core_village")
        if scope == "total":
            return True
        return core is not None and in_scope(core, scope)

    def rollup(self, scope):
        """{data-key: int} of one area (or "total") at the last complete year."""
        y = self.ystar
        hh = [h for h, v in self.village_of.items() if in_scope(v, scope)]
        row = {"households": len(hh),
               "open": sum(1 for h in hh if self.exit_year.get(h) is None)}
        for yy in self.year_list:
            row["exits-%d" % yy] = sum(1 for h in hh if self.exit_year.get(h) == yy)
        row["willing"] = sum(c["willing"] for c in y["coverage"] if in_scope(c["village"], scope))
        row["covered"] = sum(c["covered"] for c in y["coverage"] if in_scope(c["village"], scope))
        for k in KINDS:
            obs = [o for o in y["obligations"]
                   if o["kind"] == k and in_scope(self.village_of.get(o["household"], ""), scope)]
            row[k + "_due"] = sum(fen(o["due"]) for o in obs)
            row[k + "_paid"] = sum(fen(o["paid"]) for o in obs)
        divs = [d for d in y["dividends"] if in_scope(self.village_of.get(d["household"], ""), scope)]
        row["dividend_due"] = sum(fen(d["due"]) for d in divs)
        row["dividend_paid"] = sum(fen(d["paid"]) for d in divs)
        for w in OUTCOMES:
            row["outcome-" + w] = sum(1 for e in y["evaluations"]
                                      if e["outcome"] == w and self.core_in(e["entity"], scope))
        return row

    def chart(self, name, scope):
        """{(year, series): value} of one trend chart."""
        out = {}
        for y in self.years:
            yy = y["year"]
            if name == "exits":
                out[(yy, "exits")] = sum(1 for h, v in self.village_of.items()
                                         if in_scope(v, scope) and self.exit_year.get(h) == yy)
            elif name == "coverage":
                cov = [c for c in y["coverage"] if in_scope(c["village"], scope)]
                out[(yy, "willing")] = sum(c["willing"] for c in cov)
                out[(yy, "covered")] = sum(c["covered"] for c in cov)
            elif name == "dues":
                rows = [r for r in y["obligations"] + y["dividends"]
                        if in_scope(self.village_of.get(r["household"], ""), scope)]
                out[(yy, "due")] = sum(fen(r["due"]) for r in rows)
                out[(yy, "paid")] = sum(fen(r["paid"]) for r in rows)
            else:
                for w in OUTCOMES:
                    out[(yy, w)] = sum(1 for e in y["evaluations"]
                                       if e["outcome"] == w and self.core_in(e["entity"], scope))
        return out

    def lift(self, village):
        """The households still to lift of @village, in the contract's order."""
        rows = []
        for h in self.ystar["households"]:
            if h["meets_standard"] or self.village_of.get(h["id"]) != village:
                continue
            income, line = fen(h["income"]), fen(h["line"])
            ags = sorted(self.agreements_of.get(h["id"], []))
            rows.append({"id": h["id"], "income": income, "line": line, "gap": line - income,
                         "agreements": ags,
                         "entities": sorted({self.agreements[a]["entity"] for a in ags})})
        rows.sort(key=lambda r: (-r["gap"], r["id"]))
        return rows

    def owed(self):
        """(agreement id -> owed fen, entity id -> owed fen) over all years."""
        ag = collections.Counter()
        ent = collections.Counter()
        for y in self.years:
            for o in y["obligations"]:
                a = self.linkages.get(o["linkage"], {}).get("agreement")
                if a is not None:
                    ag[a] += max(0, fen(o["due"]) - fen(o["paid"]))
            for d in y["dividends"]:
                ent[d["entity"]] += max(0, fen(d["due"]) - fen(d["paid"]))
        for a in self.agreements.values():
            ent[a["entity"]] += ag[a["id"]]
        return ag, ent

    def error_group(self, f):
        """(entity id or "none", agreement id or "none") of an error finding."""
        subj = f.get("subject") or {}
        if len(subj) != 1:
            return ("none", "none")
        kind, value = next(iter(subj.items()))
        agreement = None
        if kind == "linkage":
            agreement = self.linkages.get(value, {}).get("agreement")
        elif kind in ("agreement", "plan", "payment"):
            agreement = value if kind == "agreement" else None
        elif kind == "household":
            ags = self.agreements_of.get(value, [])
            agreement = ags[0] if len(ags) == 1 else None
        elif kind == "entity" and value in self.entities:
            return (str(value), "none")
        elif kind == "village":
            ents = [e for e in self.entities.values() if e.get("core_village") == value]
            if len(ents) == 1:
                return (str(ents[0]["id"]), "none")
        if agreement is not None and agreement in self.agreements:
            return (str(self.agreements[agreement]["entity"]), str(agreement))
        return ("none", "none")

    def action(self):
        """[(entity, owed, [(agreement, owed, error count)])] in the contract's order."""
        ag_owed, ent_owed = self.owed()
        groups = collections.defaultdict(collections.Counter)
        for f in self.findings:
            if f["severity"] == "error":
                e, a = self.error_group(f)
                groups[e][a] += 1
        out = []
        for e in groups:
            if e == "none":
                continue
            ags = [(a, ag_owed[int(a)] if a != "none" else None, n) for a, n in groups[e].items()]
            ags.sort(key=lambda t: (t[0] == "none", -(t[1] or 0), int(t[0]) if t[0] != "none" else 0))
            out.append((e, ent_owed[int(e)], ags))
        out.sort(key=lambda t: (-t[1], int(t[0])))
        if "none" in groups:
            out.append(("none", None, [("none", None, sum(groups["none"].values()))]))
        return out


# --- checks ----------------------------------------------------------------------------

class Checks:
    def __init__(self, quiet=False):
        self.results = []  # (name, ok, detail)
        self.quiet = quiet

    def check(self, name, ok, detail=""):
        self.results.append((name, ok, detail))
        if self.quiet:
            return ok
        if ok:
            print("ok    " + name)
        else:
            print("FAIL  " + name + (":\n      " + detail.replace("\n", "\n      ") if detail else ""))
        return ok

    def problems(self, name, problems, limit=25):
        """One check from a list of problems (empty: passed); each names what and where."""
        more = "" if len(problems) <= limit else "\n... and %d more" % (len(problems) - limit)
        return self.check(name, not problems, "\n".join(problems[:limit]) + more)

    @property
    def failed(self):
        return [r for r in self.results if not r[1]]


def cell_problems(where, cells, want):
    """Compare the data-key cells of one row with the expected {key: int}."""
    out = []
    got = collections.defaultdict(list)
    for c in cells:
        got[c.attrs["data-key"]].append(c)
    for key in sorted(set(got) - set(want)):
        out.append("%s: a cell data-key=%r the contract does not define" % (where, key))
    for key, value in want.items():
        cs = got.get(key, [])
        if len(cs) != 1:
            out.append("%s, %s: %d cells, expected one (value %d)" % (where, key, len(cs), value))
            continue
        c = cs[0]
        text = c.text().strip()
        if key.endswith("_due") or key.endswith("_paid") or key in ("income", "line", "gap"):
            df = c.attrs.get("data-fen")
            if df is None or not re.fullmatch(r"-?\d+", df) or int(df) != value:
                out.append("%s, %s: data-fen=%r, expected %d" % (where, key, df, value))
            elif shown_fen(text) != value:
                out.append("%s, %s: shows %r, expected %d fen (%s yuan)"
                           % (where, key, text, value, "%d.%02d" % divmod(value, 100) if value >= 0
                              else "-%d.%02d" % divmod(-value, 100)))
        elif shown_count(text) != value:
            out.append("%s, %s: shows %r, expected %d" % (where, key, text, value))
    return out


def area_link(kind, code, multi, expected_pages):
    """Whether an href is the contract's link to the section of area @code."""
    def ok(href):
        if not multi:
            return href == "#%s-%s" % (kind, code)
        if kind in ("county", "town"):
            return href == "%s-%s.html" % (kind, code)
        t = town_of(code)
        m = re.fullmatch(r"(town-%s(?:-\d+)?\.html)#village-%s" % (t, code), href or "")
        return m is not None and (expected_pages is None or m.group(1) in expected_pages)
    return ok


def check_rollup_tables(c, pages, exp, required, multi):
    """Every table.rollup found anywhere, against the figures of its level and parent;
    @required: {(level, parent): page name} that must hold that table."""
    found = collections.defaultdict(list)
    for name, root in pages.items():
        for t in root.find("table", "rollup"):
            found[(t.attrs.get("data-level"), t.attrs.get("data-parent"))].append((name, t))
    missing = ["table.rollup data-level=%s data-parent=%s on %s: not found" % (lv, p, page)
               for (lv, p), page in sorted(required.items())
               if page not in [n for n, _ in found.get((lv, p), [])]]
    c.problems("rollup: every table the contract asks for is there (%d)" % len(required), missing)
    for (level, parent), tables in sorted(found.items(), key=lambda kv: str(kv[0])):
        for name, t in tables:
            probs = []
            label = "%s: table %s/%s" % (name, level, parent)
            if level not in ("county", "town", "village") or (
                    parent != "total" and (parent not in exp.areas or level_of(parent) == "village")):
                c.check(label, False, "a rollup table of an unknown level or parent")
                continue
            want_codes = exp.codes(level, parent)
            rows = t.find("tr", "area")
            got_codes = [r.attrs.get("data-area") for r in rows]
            if sorted(got_codes) != want_codes:
                probs.append("area rows %s, expected %s (missing %s, extra %s)" % (
                    got_codes, want_codes, sorted(set(want_codes) - set(got_codes)),
                    sorted(set(got_codes) - set(want_codes))))
            for r in rows:
                code = r.attrs.get("data-area")
                if code not in want_codes:
                    continue
                probs += cell_problems("area %s (%s)" % (code, exp.areas[code][1] or "?"),
                                       [x for x in r.elements() if "data-key" in x.attrs],
                                       exp.rollup((level, code)))
                link = area_link(level, code, multi, set(pages) if multi else None)
                hrefs = [a.attrs.get("href") for a in r.find("a")]
                if not any(link(h) for h in hrefs):
                    probs.append("area %s: no link to its section (links %s)" % (code, hrefs))
            totals = t.find("tr", "total")
            if len(totals) != 1:
                probs.append("%d tr.total rows, expected 1" % len(totals))
            else:
                scope = "total" if parent == "total" else (level_of(parent), parent)
                probs += cell_problems("total row (%s)" % parent,
                                       [x for x in totals[0].elements() if "data-key" in x.attrs],
                                       exp.rollup(scope))
            c.problems("rollup %s: %d area rows and the total, every value" % (label, len(want_codes)),
                       probs)


def ints_in(text):
    return sorted({int(x) for x in re.findall(r"\d+", text)})


def check_lift(c, pages, exp, villages, page_of_village=None):
    """The households still to lift of each village of @villages, wherever its table is
    (rows of tables of one village on several pages, taken in page order)."""
    probs = []
    rows_of = collections.defaultdict(list)
    tables_of = collections.defaultdict(list)
    for name in sorted(pages, key=page_order):
        root = pages[name]
        for t in root.find("table", "lift"):
            v = t.attrs.get("data-village")
            tables_of[v].append(name)
            rows_of[v] += t.find("tr", "lift")
        for p in root.find(None, "lift-none"):
            tables_of[p.attrs.get("data-village")].append(name)
    for v in sorted(set(tables_of) - set(villages)):
        probs.append("a lift table for %r, which is no village here" % v)
    ent_names = {e: exp.entities[e].get("name", "") for e in exp.entities}
    for v in villages:
        want = exp.lift(v)
        vname = exp.areas.get(v, (None, None))[1] or "?"
        where = "village %s (%s)" % (v, vname)
        if not tables_of.get(v):
            probs.append("%s: no table.lift nor p.lift-none (expected %d households %s)"
                         % (where, len(want), [r["id"] for r in want]))
            continue
        if page_of_village is not None and not all(page_of_village(v, n) for n in tables_of[v]):
            probs.append("%s: its lift table is on %s" % (where, tables_of[v]))
        got_ids = [r.attrs.get("data-household") for r in rows_of[v]]
        want_ids = [str(r["id"]) for r in want]
        if got_ids != want_ids:
            probs.append("%s: households %s, expected %s in this order (missing %s, extra %s)" % (
                where, got_ids, want_ids, sorted(set(want_ids) - set(got_ids), key=int),
                sorted(set(got_ids) - set(want_ids))))
        for r, w in zip(rows_of[v], want):
            if r.attrs.get("data-household") != str(w["id"]):
                continue
            hw = "%s, household %d" % (where, w["id"])
            cells = [x for x in r.elements() if "data-key" in x.attrs]
            probs += cell_problems(hw, [x for x in cells if x.attrs["data-key"] in ("income", "line", "gap")],
                                   {"income": w["income"], "line": w["line"], "gap": w["gap"]})
            byk = {x.attrs["data-key"]: x for x in cells}
            ag = byk.get("agreements")
            if ag is None or ints_in(ag.text()) != w["agreements"]:
                probs.append("%s: agreements cell %r, expected the ids %s" % (
                    hw, ag.text().strip() if ag is not None else None, w["agreements"]))
            en = byk.get("entities")
            if en is None:
                probs.append("%s: no entities cell (expected %s)" % (hw, w["entities"]))
            else:
                text = en.text()
                lost = [e for e in w["entities"] if str(e) not in re.findall(r"\d+", text)
                        and (not ent_names.get(e) or ent_names[e] not in text)]
                if lost:
                    probs.append("%s: entities cell %r names neither the id nor the name of %s"
                                 % (hw, text.strip()[:200], lost))
    n = sum(len(exp.lift(v)) for v in villages)
    c.problems("lift: %d villages, %d households still to lift, each with income/line/gap, "
               "agreements and entities, by gap then id" % (len(villages), n), probs)


def page_order(name):
    """index, counties, towns, a town's continuation pages after it, action-other's last."""
    m = re.fullmatch(r"(\w+)-(\d+)(?:-(\d+))?\.html", name)
    other = re.fullmatch(r"action-other(?:-(\d+))?\.html", name)
    if other:
        return (2, "", int(other.group(1) or 1))
    if not m:
        return (0, name, 0)
    return (1, m.group(1) + m.group(2), int(m.group(3) or 1))


def page_scope(name):
    m = re.fullmatch(r"(county|town)-(\d{12})(?:-\d+)?\.html", name)
    return (m.group(1), m.group(2)) if m else "total"


SECTION_ID = re.compile(r"(county|town|village)-(\d{12})")


def check_charts(c, pages, exp, required):
    """Every svg.trend found, against the figures of its scope (the nearest section of an
    area, else the page's own); @required: {page: scope} that must hold all four."""
    probs = []
    seen = collections.defaultdict(set)
    count = 0
    for name in sorted(pages, key=page_order):
        for svg in pages[name].find("svg", "trend"):
            count += 1
            chart = svg.attrs.get("data-chart")
            sec = svg.nearest(lambda a: a.tag == "section" and SECTION_ID.fullmatch(a.attrs.get("id", "")))
            scope = page_scope(name)
            if sec is not None:
                m = SECTION_ID.fullmatch(sec.attrs["id"])
                scope = (m.group(1), m.group(2))
            where = "%s: chart %s of %s" % (name, chart, "the whole run" if scope == "total"
                                              else "%s %s" % scope)
            seen[name].add((chart, scope))
            if chart not in CHART_SERIES:
                probs.append("%s: data-chart %r is none of %s" % (where, chart, sorted(CHART_SERIES)))
                continue
            if not svg.find("title"):
                probs.append("%s: no <title>" % where)
            want = exp.chart(chart, scope)
            got = collections.defaultdict(list)
            for r in svg.find("rect", "mark"):
                y, s, v = r.attrs.get("data-year"), r.attrs.get("data-series"), r.attrs.get("data-value")
                key = (int(y) if y and y.isdigit() else y, s)
                got[key].append(v)
            for key in sorted(set(got) - set(want), key=str):
                probs.append("%s: a mark year %s series %s that should not be there" % (where, key[0], key[1]))
            for key, value in sorted(want.items()):
                vs = got.get(key, [])
                if len(vs) != 1:
                    probs.append("%s, year %d %s: %d marks, expected one of value %d"
                                 % (where, key[0], key[1], len(vs), value))
                elif vs[0] is None or not re.fullmatch(r"-?\d+", vs[0]) or int(vs[0]) != value:
                    probs.append("%s, year %d %s: data-value=%r, expected %d"
                                 % (where, key[0], key[1], vs[0], value))
    for name, scope in sorted(required.items()):
        for chart in sorted(CHART_SERIES):
            if (chart, scope) not in seen.get(name, set()):
                probs.append("%s: no svg.trend data-chart=%s for %s" % (
                    name, chart, "the whole run" if scope == "total" else "%s %s" % scope))
    c.problems("charts: %d trend charts, one mark per year and series, values from the report"
               % count, probs)


def check_action(c, root, exp, name, summary=False):
    """The action section: entities with errors by owed, their agreements by owed, the
    error findings of each, and no notice or warning among them. @summary (the index of
    the multi-page form): the entities shown may be the first ones only, their findings
    elsewhere; their order and owed figures are still checked."""
    probs = []
    secs = [s for s in root.find("section") if s.attrs.get("id") == "action"]
    want = exp.action()
    if len(secs) != 1:
        c.check("action: %s has one section#action" % name, False, "found %d" % len(secs))
        return
    sec = secs[0]
    owed = sec.find("div", "owed")
    got_order = [d.attrs.get("data-entity") for d in owed]
    want_order = [e for e, _, _ in want]
    if summary:
        want_order = [e for e in want_order if e != "none"][:len([e for e in got_order if e != "none"])]
        got_order = [e for e in got_order if e != "none"]
    if got_order != want_order:
        probs.append("entities in the order %s, expected %s (by owed: %s)" % (
            got_order, want_order, ["%s:%s" % (e, o) for e, o, _ in want]))
    by_entity = {d.attrs.get("data-entity"): d for d in owed}
    for e, e_owed, ags in want:
        d = by_entity.get(e)
        if d is None:
            continue
        ename = exp.entities.get(int(e), {}).get("name", "") if e != "none" else "other"
        where = "entity %s (%s)" % (e, ename)
        if e_owed is not None and d.attrs.get("data-fen") != str(e_owed):
            probs.append("%s: data-fen=%r, expected %d" % (where, d.attrs.get("data-fen"), e_owed))
        if summary:
            continue
        divs = d.find("div", "owed-agreement")
        got_ags = [x.attrs.get("data-agreement") for x in divs if x.attrs.get("data-agreement") != "none"]
        want_ags = [a for a, _, _ in ags if a != "none"]
        if got_ags != want_ags:
            probs.append("%s: agreements in the order %s, expected %s (by owed: %s)" % (
                where, got_ags, want_ags, ["%s:%s" % (a, o) for a, o, _ in ags if a != "none"]))
        for x in divs:
            a = x.attrs.get("data-agreement")
            w = [o for aa, o, _ in ags if aa == a]
            if a != "none" and w and w[0] is not None and x.attrs.get("data-fen") != str(w[0]):
                probs.append("%s, agreement %s: data-fen=%r, expected %d"
                             % (where, a, x.attrs.get("data-fen"), w[0]))
        counts = collections.Counter()
        for f in d.find("tr", "finding"):
            ag = f.nearest(lambda z: "owed-agreement" in z.classes())
            counts[ag.attrs.get("data-agreement") if ag is not None else "none"] += 1
            if f.attrs.get("data-severity") != "error":
                probs.append("%s: a finding of severity %r among the errors"
                             % (where, f.attrs.get("data-severity")))
        want_counts = {a: n for a, _, n in ags}
        if dict(counts) != want_counts:
            probs.append("%s: error findings per agreement %s, expected %s"
                         % (where, dict(counts), want_counts))
    n_err = sum(1 for f in exp.findings if f["severity"] == "error")
    if summary:
        c.problems("action: %s (summary): the entities shown in order of money owed, with their owed"
                   % name, probs)
        return
    got_err = len([f for f in sec.find("tr", "finding") if f.attrs.get("data-severity") == "error"])
    if got_err != n_err:
        probs.append("%d error findings in section#action, expected %d" % (got_err, n_err))
    c.problems("action: %s: %d entities with errors by money owed, their agreements, %d error findings"
               % (name, len(want), n_err), probs)


def check_rule_ids(c, pages, titles):
    """No rule ID in the visible text but inside .rule .rule-id, beside a .rule-title
    holding the catalogue's Chinese title of that rule."""
    ids = sorted(titles, key=len, reverse=True)
    rx = re.compile(r"(?<![A-Za-z0-9_])(%s)(?![A-Za-z0-9_])" % "|".join(map(re.escape, ids)))
    probs = []
    shown = 0
    for name in sorted(pages, key=page_order):
        root = pages[name]
        for t in visible_text_nodes(root):
            for m in rx.finditer(t.data):
                rid = m.group(1)
                holder = t.parent
                where = "%s: %s in %s, text %r" % (name, rid, holder.where(), t.data.strip()[:120])
                span = t.nearest(lambda a: "rule-id" in a.classes())
                rule = span.nearest(lambda a: "rule" in a.classes()) if span is not None else None
                if span is None or rule is None:
                    probs.append("bare rule ID %s" % where)
                    continue
                shown += 1
                if span.text().strip() != rid:
                    probs.append("%s: the .rule-id holds more than the ID" % where)
                tt = rule.find(None, "rule-title")
                if len(tt) != 1 or tt[0].text().strip() != titles[rid]:
                    probs.append("%s: .rule-title %r, expected %r" % (
                        where, [x.text().strip() for x in tt], titles[rid]))
        for rule in root.find(None, "rule"):
            if not rule.find(None, "rule-id"):
                probs.append("%s: a .rule without .rule-id in %s" % (name, rule.where()))
    c.problems("rule IDs: %d shown, each only in .rule .rule-id beside its Chinese title" % shown, probs)


def scenario_words(scenario):
    """The Latin words of the scenario's own texts (names, industries, the profile's name):
    data, which a page shows as it is."""
    words = set()

    def walk(v):
        if isinstance(v, str):
            words.update(re.findall(r"[A-Za-z]+", v))
        elif isinstance(v, dict):
            for k in v.values():
                walk(k)
        elif isinstance(v, list):
            for k in v:
                walk(k)
    walk(scenario)
    return words


def check_chinese_only(c, pages, exp, label):
    """A Chinese page shows no English word (issue #18: "Chinese throughout") outside the
    rule IDs beside their titles (.rule-id), the footer's stamp, file names and commands
    (<code>) and the scenario's own texts: words of two letters or more, so that units and ids (2017年, 611002) pass."""
    allowed = exp.data_words
    probs = []
    for name in sorted(pages, key=page_order):
        for t in visible_text_nodes(pages[name]):
            if t.nearest(lambda a: "rule-id" in a.classes() or a.tag in ("footer", "code")) is not None:
                continue
            for w in re.findall(r"[A-Za-z]{2,}", t.data):
                if w not in allowed:
                    probs.append("%s: %r in %s, text %r" % (name, w, t.parent.where(),
                                                            t.data.strip()[:100]))
    c.problems("Chinese only: %s: no English word outside rule IDs, the stamp and the data"
               % label, probs)


URL_ATTRS = {"href", "src", "srcset", "action", "formaction", "poster", "data", "background",
             "xlink:href", "cite", "longdesc", "ping", "manifest", "icon", "codebase", "archive",
             "usemap", "lowsrc", "dynsrc", "profile", "itemtype"}
RESOURCE_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base",
                 "link", "form", "portal", "fencedframe", "audio", "video", "source", "track"}
PAGE_LINK = re.compile(r"((?:index|county-\d{12}|town-\d{12}(?:-\d+)?|action-other(?:-\d+)?)\.html)(#[^\s]*)?")


def css_problems(css):
    out = []
    for m in re.finditer(r"url\(\s*(['\"]?)([^)'\"]{0,40})", css, re.I):
        if not m.group(2).lower().startswith("data:"):
            out.append("url(%s...)" % m.group(2))
    for word in ("@import", "http:", "https:", "expression(", "javascript:"):
        if word in css.lower():
            out.append(word)
    return out


def check_safety(c, pages, label, multi):
    """No script, no event handler, no external resource: in attributes, elements, CSS."""
    probs = []
    for name in sorted(pages, key=page_order):
        root = pages[name]
        for n in root.elements():
            where = "%s: %s" % (name, n.where())
            if n.tag in RESOURCE_TAGS:
                probs.append("%s: a <%s> element %s" % (where, n.tag, dict(list(n.attrs.items())[:4])))
            if n.tag == "meta" and n.attrs.get("http-equiv", "").lower() == "refresh":
                probs.append("%s: <meta http-equiv=refresh>" % where)
            for k, v in n.attrs.items():
                if k.startswith("on"):
                    probs.append("%s: event handler %s=%r" % (where, k, v[:80]))
                if "javascript:" in v.lower().replace(" ", "") and k in URL_ATTRS:
                    probs.append("%s: %s=%r" % (where, k, v[:80]))
                if k in URL_ATTRS:
                    ok = v.startswith("#") or (k in ("src", "href", "xlink:href") and v.startswith("data:")) \
                        or (multi and k == "href" and PAGE_LINK.fullmatch(v))
                    if not ok:
                        probs.append("%s: %s=%r refers outside the page" % (where, k, v[:120]))
                if k == "style":
                    probs += ["%s: style attribute: %s" % (where, p) for p in css_problems(v)]
            if n.tag == "style":
                probs += ["%s: <style>: %s" % (name, p) for p in css_problems(n.text())]
    c.problems("safety: %s: %d pages: no script, no event handler, no external resource"
               % (label, len(pages)), probs)


def check_links(c, pages, label):
    """Every link within a page or to another page of the set, to an existing anchor."""
    probs = []
    ids = {name: {n.attrs["id"] for n in root.elements() if "id" in n.attrs}
           for name, root in pages.items()}
    n_links = 0
    for name in sorted(pages, key=page_order):
        for a in pages[name].elements():
            href = a.attrs.get("href")
            if href is None or a.tag not in ("a", "area"):
                continue
            n_links += 1
            if href.startswith("#"):
                target, anchor = name, href[1:]
            else:
                m = PAGE_LINK.fullmatch(href)
                if not m:
                    probs.append("%s: link %r is not a page of the set" % (name, href))
                    continue
                target, anchor = m.group(1), (m.group(2) or "#")[1:]
            if target not in pages:
                probs.append("%s: link %r: no file %s" % (name, href, target))
            elif anchor and anchor not in ids[target]:
                probs.append("%s: link %r: %s has no id %r" % (name, href, target, anchor))
    c.problems("links: %s: %d links, each to an existing page and anchor" % (label, n_links), probs)


def check_frame(c, pages, exp, label, unit=None):
    probs = []
    for name in sorted(pages, key=page_order):
        root = pages[name]
        html_el = root.find("html")
        lang = html_el[0].attrs.get("lang") if html_el else None
        if lang != "zh-CN":
            probs.append("%s: <html lang=%r>, expected zh-CN" % (name, lang))
        headers = [h for h in root.find("header", "frame")]
        if len(headers) != 1:
            probs.append("%s: %d header.frame, expected 1" % (name, len(headers)))
            continue
        h = headers[0]
        if not report_title(root):
            probs.append("%s: the header has no title" % name)
        if exp.as_of is not None:
            a = h.find("span", "as-of")
            want = chinese_date(exp.as_of)
            if len(a) != 1 or want not in a[0].text():
                probs.append("%s: span.as-of %r, expected %r" % (name, [x.text() for x in a], want))
        if root.find("span", "printed"):
            probs.append("%s: span.printed without --printed (the output must stay reproducible)" % name)
        u = h.find("span", "unit")
        if unit is not None and (len(u) != 1 or u[0].text().strip() != unit):
            probs.append("%s: span.unit %r, expected %r" % (name, [x.text() for x in u], unit))
        if unit is None and u:
            probs.append("%s: span.unit without --unit" % name)
    c.problems("frame: %s: lang, header.frame with title, as-of%s, no printed date"
               % (label, ", unit" if unit else ""), probs)


def report_title(root):
    """The report's title: the header's first heading, else the document's <title>."""
    for h in root.find("header", "frame"):
        for tag in ("h1", "h2"):
            hs = h.find(tag)
            if hs and hs[0].text().strip():
                return hs[0].text().strip()
    t = root.find("title")
    return t[0].text().strip() if t else ""


def check_single(c, root, exp, label, unit=None, numbers_only=False):
    """Everything the single page of a scenario must hold (@p numbers_only: its numbers,
    sections, links and safety, not the Chinese frame and titles: for --lang en)."""
    pages = {"report.html": root}
    required = {("county", "total"): "report.html"}
    for county in exp.codes("county"):
        required[("town", county)] = "report.html"
    for town in exp.codes("town"):
        required[("village", town)] = "report.html"
    if not numbers_only:
        check_frame(c, pages, exp, label, unit)
    check_rollup_tables(c, pages, exp, required, multi=False)
    ids = {n.attrs.get("id") for n in root.find("section")}
    missing = ["section#%s-%s" % (level_of(code), code) for code in sorted(exp.areas)
               if "%s-%s" % (level_of(code), code) not in ids]
    c.problems("sections: %s: one per county, town and village (%d)" % (label, len(exp.areas)), missing)
    check_lift(c, pages, exp, exp.codes("village"))
    check_charts(c, pages, exp, {"report.html": "total"})
    check_action(c, root, exp, label)
    if not numbers_only:
        check_rule_ids(c, pages, exp.titles)
        check_chinese_only(c, pages, exp, label)
    check_safety(c, pages, label, multi=False)
    check_links(c, pages, label)


# The words a finding's subject and values are shown with (docs/report.md): the subject's
# kind, the signers of 四(二) for SIGNER_LEVEL, the filing levels and other words elsewhere.
SUBJECT_WORDS = {"household": "贫困户", "agreement": "协议", "linkage": "利益联结",
                 "injection": "财政资金折股", "entity": "经营主体", "village": "村", "town": "镇"}
SIGNER_WORDS = {"village": "村委会", "town": "镇政府", "county": "县区政府",
                "not_provided": "未规定", "unrecorded": "未记录"}
PLAIN_WORDS = {"village": "村级", "town": "镇级", "county": "县级", "not_provided": "未规定",
               "unrecorded": "未记录", "true": "是", "false": "否", "none": "无"}


def shown_value(rule, value):
    """A finding's expected or actual value as the page shows it (zh)."""
    if value is None:
        return ""
    words = SIGNER_WORDS if rule == "SIGNER_LEVEL" else PLAIN_WORDS
    return "".join("、" if t == "," else words.get(t, t) for t in re.split(r"([, ])", value))


def finding_key(f):
    """(rule, year, subject, expected, actual) of a finding of the report JSON."""
    subj = f.get("subject") or {}
    kind, value = next(iter(subj.items())) if len(subj) == 1 else ("", "")
    return (f["rule"], str(f["year"]) if f.get("year") else "\u2014",
            "%s %s" % (SUBJECT_WORDS.get(kind, kind), value),
            shown_value(f["rule"], f.get("expected")), shown_value(f["rule"], f.get("actual")))


def row_key(tr):
    """The same key read from a tr.finding: year, rule (data-rule), subject (its kind's word
    and the id or code shown), expected, actual."""
    tds = [x for x in tr.elements() if x.tag == "td" and x.nearest(lambda a: a.tag == "tr") is tr]
    if len(tds) < 6:
        return (tr.attrs.get("data-rule"), "?", "?", "?", "?")
    subj = tds[3]
    ids = [x.text().strip() for x in subj.elements()
           if x.tag == "span" and ({"id", "code"} & set(x.classes()))]
    words = subj.text().split()
    subject = "%s %s" % (words[0] if words else "", ids[-1] if ids else "")
    return (tr.attrs.get("data-rule"), tds[0].text().strip(), subject.strip(),
            tds[4].text().strip(), tds[5].text().strip())


def home_page(exp, entity):
    """The pages an entity's section may be on: its core village's town's, else action-other."""
    core = exp.entities.get(int(entity), {}).get("core_village") if entity != "none" else None
    if core is not None and exp.areas.get(town_of(core), (None,))[0] == "town":
        return r"town-%s(?:-\d+)?\.html" % town_of(core)
    return r"action-other(?:-\d+)?\.html"


def check_errors_placed(c, pages, exp, label):
    """Every error finding of the report exactly once over all the pages, in the section of
    its entity (section.entity-errors) and agreement (div.owed-agreement), on the page of
    the town of the entity's core village, or on action-other for the other group."""
    want = collections.Counter()
    group = {}
    for f in exp.findings:
        if f["severity"] == "error":
            k = finding_key(f)
            want[k] += 1
            group.setdefault(k, set()).add(exp.error_group(f))
    got = collections.Counter()
    where = collections.defaultdict(list)
    probs = []
    for name in sorted(pages, key=page_order):
        for tr in pages[name].find("tr", "finding"):
            if tr.attrs.get("data-severity") != "error":
                continue
            k = row_key(tr)
            got[k] += 1
            where[k].append(name)
            sec = tr.nearest(lambda a: a.tag == "section" and "entity-errors" in a.classes())
            ag = tr.nearest(lambda a: "owed-agreement" in a.classes())
            e = sec.attrs.get("data-entity") if sec is not None else None
            a = ag.attrs.get("data-agreement") if ag is not None else None
            if k in group and (e, a) not in group[k]:
                probs.append("%s: finding %s under entity %s, agreement %s; expected %s"
                             % (name, k, e, a, sorted(group[k])))
            if k in group and e is not None and not any(
                    re.fullmatch(home_page(exp, ee), name) for ee, _ in group[k]):
                probs.append("%s: finding %s of entity %s is not on its town's page (%s)"
                             % (name, k, e, home_page(exp, e)))
    for k in sorted(set(want) | set(got), key=str):
        if want[k] != got[k]:
            probs.append("finding %s: %d in the report, %d on the pages %s" % (k, want[k], got[k], where.get(k, [])))
    c.problems("errors: %s: each of the %d error findings once over the pages, with its entity and "
               "agreement on its town's page" % (label, sum(want.values())), probs)


def check_entity_links(c, pages, exp, label):
    """The index's entities and each county's list: their owed, their number of errors,
    a link to their section on their home page; a county lists the entities of its towns
    (those with errors all, unless p.more counts the rest), by errors, owed, id."""
    probs = []
    ag_owed, ent_owed = exp.owed()
    n_err = collections.Counter()
    for f in exp.findings:
        if f["severity"] == "error":
            n_err[exp.error_group(f)[0]] += 1

    def link_ok(where, e, node):
        hrefs = [a.attrs.get("href", "") for a in node.find("a")]
        ok = [h for h in hrefs if re.fullmatch(r"(%s)#entity-%s" % (home_page(exp, e), e), h)]
        if not ok:
            probs.append("%s: entity %s: no link to its section on %s (links %s)"
                         % (where, e, home_page(exp, e), hrefs))
    for d in pages.get("index.html", parse("")).find("div", "owed"):
        e = d.attrs.get("data-entity")
        link_ok("index.html", e, d)
        cnt = d.find(None, "errors")
        if len(cnt) != 1 or cnt[0].attrs.get("data-errors") != str(n_err[e]):
            probs.append("index.html: entity %s: data-errors %s, expected %d"
                         % (e, [x.attrs.get("data-errors") for x in cnt], n_err[e]))
    for county in exp.codes("county"):
        name = "county-%s.html" % county
        if name not in pages:
            continue
        rows = pages[name].find("tr", "entity")
        got = [r.attrs.get("data-entity") for r in rows]
        mine = [str(e) for e, x in exp.entities.items() if x.get("core_village") is not None
                and county_of(x["core_village"]) == county
                and exp.areas.get(town_of(x["core_village"]), (None,))[0] == "town"]
        with_errors = [e for e in mine if n_err[e] > 0]
        cut = bool(pages[name].find("p", "more"))
        if [e for e in got if e not in mine]:
            probs.append("%s: entities %s are not of this county" % (name, [e for e in got if e not in mine]))
        if not cut and set(with_errors) - set(got):
            probs.append("%s: entities with errors %s not listed" % (name, sorted(set(with_errors) - set(got))))
        order = sorted(got, key=lambda e: (n_err[e] == 0, -ent_owed[int(e)], int(e)) if e in mine else (2, 0, 0))
        if got != order:
            probs.append("%s: entities in the order %s, expected %s" % (name, got, order))
        for r in rows:
            e = r.attrs.get("data-entity")
            if e not in mine:
                continue
            cells = {x.attrs["data-key"]: x for x in r.elements() if "data-key" in x.attrs}
            if "owed" not in cells or cells["owed"].attrs.get("data-fen") != str(ent_owed[int(e)]) \
                    or shown_fen(cells["owed"].text().strip()) != ent_owed[int(e)]:
                probs.append("%s: entity %s: owed %r, expected %d fen" % (
                    name, e, cells["owed"].attrs.get("data-fen") if "owed" in cells else None, ent_owed[int(e)]))
            if "errors" not in cells or shown_count(cells["errors"].text().strip()) != n_err[e]:
                probs.append("%s: entity %s: errors %r, expected %d" % (
                    name, e, cells["errors"].text() if "errors" in cells else None, n_err[e]))
            link_ok(name, e, r)
    c.problems("entities: %s: the index's and the counties' entities with owed, errors and a "
               "link to their section" % label, probs)


def check_multi(c, pages, sizes, exp, label):
    """Everything the multi-page form must hold: index, county and town pages."""
    big = ["%s: %d bytes" % (n, s) for n, s in sorted(sizes.items()) if s >= PAGE_LIMIT]
    c.problems("size: %s: %d pages, each under %d bytes (largest %d)" % (
        label, len(sizes), PAGE_LIMIT, max(sizes.values()) if sizes else 0), big)
    strays = [n for n in sizes if not PAGE_LINK.fullmatch(n)]
    c.problems("pages: %s: only index.html, county-CODE.html, town-CODE[-N].html, action-other[-N].html"
               % label, strays)
    required = {("county", "total"): "index.html"}
    charts = {"index.html": "total"}
    for county in exp.codes("county"):
        required[("town", county)] = "county-%s.html" % county
        charts["county-%s.html" % county] = ("county", county)
    for town in exp.codes("town"):
        required[("village", town)] = "town-%s.html" % town
    missing = [p for p in sorted(set(required.values()) | set(charts)) if p not in pages]
    c.problems("pages: %s: index, one page per county and per town" % label, missing)
    check_frame(c, pages, exp, label)
    check_rollup_tables(c, pages, exp, required, multi=True)

    def on_its_town(v, page):
        return re.fullmatch(r"town-%s(?:-\d+)?\.html" % town_of(v), page) is not None
    sections = collections.defaultdict(list)
    for name, root in pages.items():
        for s in root.find("section"):
            if s.attrs.get("id", "").startswith("village-"):
                sections[s.attrs["id"][8:]].append(name)
    probs = ["village %s: section#village-%s on %s, expected once on its town's page"
             % (v, v, sections.get(v)) for v in exp.codes("village")
             if len(sections.get(v, [])) != 1 or not on_its_town(v, sections[v][0])]
    c.problems("sections: %s: each village's section on its town's page" % label, probs)
    check_lift(c, pages, exp, exp.codes("village"), on_its_town)
    check_charts(c, pages, exp, charts)
    if "index.html" in pages:
        check_action(c, pages["index.html"], exp, label + ": index.html", summary=True)
    check_errors_placed(c, pages, exp, label)
    check_entity_links(c, pages, exp, label)
    check_rule_ids(c, pages, exp.titles)
    check_chinese_only(c, pages, exp, label)
    check_safety(c, pages, label, multi=True)
    check_links(c, pages, label)


# --- scenarios -------------------------------------------------------------------------

def twin_village(code):
    return code[:9] + "%03d" % ((int(code[9:]) + 500) % 1000)


def twin(sample):
    """The sample again in villages of its own (same towns), ids shifted, a fifth of its
    payments left out (more owed, other incomes and exits than the original)."""
    H, E, A, L, I = 100000, 1000, 1000, 100000, 1000
    vmap = {a["code"]: twin_village(a["code"]) for a in sample["areas"] if a["level"] == "village"}
    t = {"areas": [], "entities": [], "households": [], "agreements": [], "plans": [],
         "linkages": [], "injections": [], "contributions": [], "transfers": [], "dividends": [],
         "payments": [], "incomes": []}
    for a in sample["areas"]:
        if a["level"] == "village":
            t["areas"].append(dict(a, code=vmap[a["code"]], name=a["name"] + "（乙）"))
    for e in sample.get("entities", []):
        e2 = dict(e, id=e["id"] + E, name=e["name"] + "（乙）", core_village=vmap[e["core_village"]])
        e2.pop("uscc", None)
        t["entities"].append(e2)
    for h in sample.get("households", []):
        t["households"].append(dict(h, id=h["id"] + H, village=vmap[h["village"]]))
    for a in sample.get("agreements", []):
        a2 = dict(a, id=a["id"] + A, entity=a["entity"] + E,
                  households=[h + H for h in a.get("households", [])])
        if a.get("signer", {}).get("area") in vmap:
            a2["signer"] = dict(a["signer"], area=vmap[a["signer"]["area"]])
        t["agreements"].append(a2)
    for p in sample.get("plans", []):
        t["plans"].append(dict(p, household=p["household"] + H, agreement=p["agreement"] + A))
    for l in sample.get("linkages", []):
        t["linkages"].append(dict(l, id=l["id"] + L, household=l["household"] + H,
                                  entity=l["entity"] + E, agreement=l["agreement"] + A))
    for i in sample.get("injections", []):
        i2 = dict(i, id=i["id"] + I, entity=i["entity"] + E, agreement=i["agreement"] + A)
        if "households" in i:
            i2["households"] = [h + H for h in i["households"]]
        t["injections"].append(i2)
    for x in sample.get("contributions", []):
        x2 = dict(x, household=x["household"] + H, entity=x["entity"] + E)
        if "agreement" in x:
            x2["agreement"] = x["agreement"] + A
        t["contributions"].append(x2)

    def holder(h):
        k, v = next(iter(h.items()))
        return {k: v + H if k == "household" else vmap[v] if k == "collective" else v + E}
    for x in sample.get("transfers", []):
        t["transfers"].append(dict(x, entity=x["entity"] + E, **{"from": holder(x["from"]),
                                                                   "to": holder(x["to"])}))
    for d in sample.get("dividends", []):
        t["dividends"].append(dict(d, entity=d["entity"] + E))
    for k, p in enumerate(sample.get("payments", [])):
        if k % 5 == 2:
            continue
        if "linkage" in p:
            t["payments"].append(dict(p, linkage=p["linkage"] + L))
        else:
            t["payments"].append(dict(p, dividend={"entity": p["dividend"]["entity"] + E,
                                                   "household": p["dividend"]["household"] + H}))
    for x in sample.get("incomes", []):
        t["incomes"].append(dict(x, household=x["household"] + H))
    return t


def generated(sample):
    """The sample and its twin, as of 2019-06-30 (2019 not complete: Y* = 2018)."""
    s = copy.deepcopy(sample)
    s["as_of"] = "2019-06-30"
    for k, v in twin(sample).items():
        if v or k in s:
            s[k] = s.get(k, []) + v
    return s


def hostile(sample):
    """The sample with hostile names of areas, entities, industries and support texts."""
    s = copy.deepcopy(sample)
    names = HOSTILE_NAMES + [LONG_NAME]
    for k, a in enumerate(s["areas"]):
        a["name"] = names[k % len(names)] + a["name"]
        if "industry" in a:
            a["industry"] = names[(k + 1) % len(names)]
    for k, e in enumerate(s["entities"]):
        e["name"] = names[(k + 2) % len(names)] + e["name"]
        e["industry"] = names[(k + 3) % len(names)]
    for k, a in enumerate(s["agreements"]):
        if a.get("support"):
            a["support"] = [names[(k + 4) % len(names)]] + a["support"]
    for p in s.get("plans", []):
        p["industries"] = [names[0]] + p.get("industries", [])
    return s


# --- running things --------------------------------------------------------------------

def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def find_chromium():
    """Debian's chromium (CHROMIUM in the environment may name another binary)."""
    return shutil.which(os.environ.get("CHROMIUM") or "chromium")


class Browser:
    def __init__(self, chromium, tmp):
        self.chromium, self.tmp = chromium, tmp
        self.launches = 0

    def run(self, *args):
        """One headless run with a fresh profile directory."""
        self.launches += 1
        profile = tempfile.mkdtemp(prefix="profile.", dir=self.tmp)
        return run([self.chromium] + CLOSED_NETWORK_FLAGS + ["--user-data-dir=" + profile] + list(args),
                   timeout=BROWSER_TIMEOUT)

    def dump(self, path):
        r = self.run("--dump-dom", "file://" + os.path.abspath(path))
        if r.returncode != 0:
            raise RuntimeError("chromium --dump-dom %s: status %d: %s" % (
                path, r.returncode, r.stderr.decode(errors="replace")[-1500:]))
        return parse(r.stdout.decode("utf-8", errors="replace"))

    def dump_all(self, paths):
        """{path: DOM}, two browsers at a time."""
        with concurrent.futures.ThreadPoolExecutor(PARALLEL_BROWSERS) as pool:
            return dict(zip(paths, pool.map(self.dump, paths)))

    def pdf(self, path, out):
        r = self.run("--print-to-pdf=" + out, "--no-pdf-header-footer", "file://" + os.path.abspath(path))
        if r.returncode != 0 or not os.path.exists(out):
            raise RuntimeError("chromium --print-to-pdf %s: status %d: %s" % (
                path, r.returncode, r.stderr.decode(errors="replace")[-1500:]))


def catalogue_titles(vipa):
    """Rule ID -> Chinese title, from `vipa rules` (the library's catalogue)."""
    r = run([vipa, "rules"])
    titles = {}
    for line in r.stdout.decode("utf-8").splitlines():
        parts = re.split(r"\s{2,}", line.strip())
        if len(parts) >= 4 and re.fullmatch(r"[A-Z][A-Z0-9_]+", parts[0]) and parts[0] != "ID":
            titles[parts[0]] = parts[3]
    return titles


def vipa_json(vipa, scenario_path):
    r = run([vipa, "run", scenario_path, "--json"])
    if r.returncode != 0:
        raise RuntimeError("vipa run %s --json: status %d: %s" % (
            scenario_path, r.returncode, r.stderr.decode(errors="replace")))
    return json.loads(r.stdout.decode("utf-8"))


def vipa_report(vipa, scenario_path, out, *extra):
    r = run([vipa, "report", scenario_path, "-o", out] + list(extra))
    if r.returncode != 0:
        raise RuntimeError("vipa report %s -o %s %s: status %d: %s" % (
            scenario_path, out, " ".join(extra), r.returncode, r.stderr.decode(errors="replace")))


def check_pdf_rollup(c, pdf, exp, label):
    """The widest table, the counties' rollup, printed whole on page 1: its total row's
    line in the PDF's text holds every value of the run's total (a column cut off by the
    page's edge would be missing), compared as numbers, in any order."""
    text = run(["pdftotext", "-f", "1", "-l", "1", "-layout", "-enc", "UTF-8", pdf, "-"]).stdout
    lines = [l for l in text.decode("utf-8", errors="replace").splitlines()
             if l.strip().startswith(("合计", "Total"))]
    want = exp.rollup("total")
    want_counts = sorted(v for k, v in want.items() if k not in MONEY_KEYS)
    want_money = sorted(v for k, v in want.items() if k in MONEY_KEYS)
    got = lines[0].split()[1:] if lines else []
    got_counts = sorted(int(t) for t in got if re.fullmatch(r"\d+", t))
    got_money = sorted(fen(t.replace(",", "")) for t in got if re.fullmatch(r"-?[\d,]+\.\d\d", t))
    c.check("pdf: %s: the counties' total row printed whole on page 1 (%d values)" % (label, len(want)),
            got_counts == want_counts and got_money == want_money,
            "line %r; counts %s, expected %s; money %s, expected %s" % (
                lines[0] if lines else None, got_counts, want_counts, got_money, want_money))


def check_pdf(c, pdf, title, unit, label, exp=None):
    """Every page of the print: the title, the unit, "第 N 页 / 共 M 页"."""
    info = run(["pdfinfo", pdf]).stdout.decode("utf-8", errors="replace")
    m = re.search(r"^Pages:\s+(\d+)", info, re.M)
    total = int(m.group(1)) if m else 0
    c.check("pdf: %s: printed to %d A4 pages" % (label, total), total > 0, info)
    probs = []
    want_title = re.sub(r"\s", "", title)
    for n in range(1, total + 1):
        text = run(["pdftotext", "-f", str(n), "-l", str(n), "-enc", "UTF-8", pdf, "-"]).stdout
        flat = re.sub(r"\s", "", text.decode("utf-8", errors="replace"))
        nums = re.findall(r"第(\d+)页/?共(\d+)页", flat)
        if nums != [(str(n), str(total))]:
            probs.append("page %d: page numbers %s, expected [第 %d 页 / 共 %d 页]" % (n, nums, n, total))
        if want_title not in flat:
            probs.append("page %d: no title %r in %r..." % (n, title, flat[:80]))
        if unit and unit not in flat:
            probs.append("page %d: no unit %r" % (n, unit))
    c.problems("pdf: %s: every page has the title%s and 第 N 页 / 共 %d 页" % (
        label, ", the unit" if unit else "", total), probs)
    if exp is not None:
        check_pdf_rollup(c, pdf, exp, label)
    m = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+)", info, re.M)
    c.check("pdf: %s: A4 pages (595 x 842 pt)" % label,
            m is not None and abs(float(m.group(1)) - 595.3) < 2 and abs(float(m.group(2)) - 841.9) < 2,
            m.group(0) if m else info)


def multi_pages(browser, out_dir):
    files = sorted(n for n in os.listdir(out_dir))
    sizes = {n: os.path.getsize(os.path.join(out_dir, n)) for n in files}
    doms = browser.dump_all([os.path.join(out_dir, n) for n in files if n.endswith(".html")])
    return {os.path.basename(p): d for p, d in doms.items()}, sizes


def check_raw(c, paths, label):
    """The bytes as written, before any browser: no script or event handler that a
    script of the page itself could have removed from the DOM before it was dumped."""
    probs = []
    for p in paths:
        with open(p, encoding="utf-8", errors="replace") as f:
            raw = f.read()
        for m in re.finditer(r"<script|<[a-z][^<>]*\son[a-z]+\s*=", raw, re.I):
            probs.append("%s: %r" % (os.path.basename(p), raw[m.start():m.start() + 80]))
    c.problems("safety: %s: %d files as written: no <script, no on...= attribute" % (label, len(paths)), probs)


def hostile_text_shown(c, root, label):
    """The short hostile names must be shown as text (escaped, not dropped)."""
    text = "".join(t.data for t in visible_text_nodes(root))
    lost = [n for n in HOSTILE_NAMES[:2] if n not in text]
    c.problems("safety: %s: the hostile names are shown as text" % label, lost)


def real(vipa, src, shots, keep):
    chromium = find_chromium()
    if chromium is None:
        print("SKIP: chromium not installed (apt-get install chromium fonts-noto-cjk)")
        return SKIP
    if not all(shutil.which(p) for p in ("pdfinfo", "pdftotext", "pdftoppm")):
        print("SKIP: poppler-utils not installed (apt-get install poppler-utils)")
        return SKIP
    c = Checks()
    titles = catalogue_titles(vipa)
    c.check("the rule catalogue of `vipa rules`: %d rules" % len(titles), len(titles) >= 17, repr(titles))
    with open(os.path.join(src, "examples", "shangluo-sample.json"), encoding="utf-8") as f:
        sample = json.load(f)
    tmp = tempfile.mkdtemp(prefix="vipa-browser.") if keep is None else keep
    os.makedirs(tmp, exist_ok=True)
    try:
        b = Browser(chromium, tmp)
        paths = {}
        for name, s in (("sample", sample), ("generated", generated(sample)), ("hostile", hostile(sample))):
            paths[name] = os.path.join(tmp, name + ".json")
            with open(paths[name], "w", encoding="utf-8") as f:
                json.dump(s, f, ensure_ascii=False, indent=1)
        exp = {}
        for name in ("sample", "generated"):
            with open(paths[name], encoding="utf-8") as f:
                exp[name] = Expected(json.load(f), vipa_json(vipa, paths[name]), titles)
        page = os.path.join(tmp, "sample.html")
        vipa_report(vipa, paths["sample"], page, "--unit", UNIT)
        n_gen = len(exp["generated"].village_of)
        print("generated scenario: %d households, %d counties, %d towns, %d villages, Y* = %d" % (
            n_gen, len(exp["generated"].codes("county")), len(exp["generated"].codes("town")),
            len(exp["generated"].codes("village")), exp["generated"].ystar["year"]))

        # 1. single pages
        gpage = os.path.join(tmp, "generated.html")
        vipa_report(vipa, paths["generated"], gpage)
        doms = b.dump_all([page, gpage])
        check_single(c, doms[page], exp["sample"], "sample page", unit=UNIT)
        check_single(c, doms[gpage], exp["generated"], "generated page")

        # 2. print
        pdf = os.path.join(tmp, "sample.pdf")
        b.pdf(page, pdf)
        check_pdf(c, pdf, report_title(doms[page]), UNIT, "sample page", exp["sample"])

        # 3. multi-page
        gdir = os.path.join(tmp, "generated-pages") + os.sep
        vipa_report(vipa, paths["generated"], gdir)
        pages, sizes = multi_pages(b, gdir)
        check_multi(c, pages, sizes, exp["generated"], "generated pages")

        # 4. hostile
        hpage = os.path.join(tmp, "hostile.html")
        vipa_report(vipa, paths["hostile"], hpage, "--unit", HOSTILE_UNIT)
        hdir = os.path.join(tmp, "hostile-pages") + os.sep
        vipa_report(vipa, paths["hostile"], hdir, "--unit", HOSTILE_UNIT)
        hdom = b.dump(hpage)
        check_safety(c, {"report.html": hdom}, "hostile page", multi=False)
        hostile_text_shown(c, hdom, "hostile page")
        hpages, _ = multi_pages(b, hdir)
        check_safety(c, hpages, "hostile pages", multi=True)
        check_raw(c, [hpage] + [os.path.join(hdir, n) for n in sorted(os.listdir(hdir))], "hostile")
        check_links(c, hpages, "hostile pages")

        if shots is not None:
            os.makedirs(shots, exist_ok=True)
            sdir = os.path.join(tmp, "sample-pages") + os.sep
            vipa_report(vipa, paths["sample"], sdir, "--unit", UNIT)
            county = sorted(n for n in os.listdir(sdir) if n.startswith("county-"))
            cpdf = os.path.join(tmp, "county.pdf")
            b.pdf(os.path.join(sdir, county[0]), cpdf)
            for src_pdf, png in ((pdf, "report-page1"), (cpdf, "report-county")):
                r = run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
                         src_pdf, os.path.join(shots, png)])
                c.check("screenshot %s.png written" % png, r.returncode == 0, r.stderr.decode())
        print("%d browser launches" % b.launches)
    except (RuntimeError, subprocess.TimeoutExpired, OSError, ValueError) as e:
        c.check("the report was written and read", False, str(e))
    finally:
        if keep is None:
            shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (len(c.results) - len(c.failed), len(c.failed)))
    return 1 if c.failed else 0


# --- self-test -------------------------------------------------------------------------

def split_pages(good):
    """The good single page cut into the multi-page form: index.html (frame, action
    summary linking each entity to its section, notices, trends, county table),
    county-C.html (frame, trends, town table, its entities), town-T.html (frame, village
    table, village sections, then each entity's section.entity-errors with its errors),
    action-other.html (the other group), links rewritten as the contract has them."""
    def cut(a, b):
        return good[good.index(a):good.index(b)]
    head = good[:good.index('<section id="action">')]
    action = cut('<section id="action">', '<details class="notices">')
    rest = cut('<details class="notices">', '<section id="rollup">')
    trends = cut('<section id="trends">', '<section id="rollup">')
    t1 = cut('<section id="rollup">', '<section id="county-')
    t2 = cut('<section id="county-', '<section id="town-')
    t3 = cut('<section id="town-', "<footer>")
    tail = good[good.index("<footer>"):]

    def relink(text):
        text = re.sub(r'href="#(county|town)-(\d{12})"', r'href="\1-\2.html"', text)
        return re.sub(r'href="#village-(\d{12})"',
                      lambda m: 'href="town-%s.html#village-%s"' % (town_of(m.group(1)), m.group(1)), text)
    county = re.search(r'<section id="county-(\d{12})"', good).group(1)
    town = re.search(r'<section id="town-(\d{12})"', good).group(1)
    town_page = "town-%s.html" % town
    starts = [m for m in re.finditer(r'<div class="owed" data-entity="(\w+)"(?: data-fen="(\d+)")?>', action)]
    groups, summary, rows, sections = [], [], [], []
    for k, m in enumerate(starts):
        body = action[m.start():starts[k + 1].start() if k + 1 < len(starts) else action.rindex("</section>")]
        e, owed = m.group(1), m.group(2)
        n = body.count('<tr class="finding" data-severity="error"')
        page = "action-other.html" if e == "none" else town_page
        label = "其他" if e == "none" else e
        summary.append('%s<h3><a href="%s#entity-%s">%s</a> <span class="errors" data-errors="%d">%d</span></h3></div>\n'
                       % (m.group(0), page, e, label, n, n))
        sections.append((page, '<section class="entity-errors" id="entity-%s" data-entity="%s"><h3>%s</h3>\n%s</section>\n'
                         % (e, e, label, body)))
        if e != "none":
            rows.append('<tr class="entity" data-entity="%s"><th><a href="%s#entity-%s">%s</a></th>'
                        '<td data-key="owed" data-fen="%s">%d.%02d</td><td data-key="errors">%d</td></tr>\n'
                        % (e, page, e, e, owed, int(owed) // 100, int(owed) % 100, n))
    index_action = '<section id="action"><h2>需优先处理</h2>\n' + "".join(summary) + "</section>\n"
    town_body = relink(t3)
    close = town_body.rindex("</section>")
    town_body = town_body[:close] + "".join(t for p, t in sections if p == town_page) + town_body[close:]
    entities = '<table class="entities"><tbody>\n' + "".join(rows) + "</tbody></table>\n"
    other = '<section id="action-other">' + "".join(t for p, t in sections if p != town_page) + "</section>\n"
    return {"index.html": head + index_action + rest + relink(t1) + tail,
            "county-%s.html" % county: head + trends + relink(t2) + entities + tail,
            town_page: head + town_body + tail,
            "action-other.html": head + other + tail}


def self_test(src):
    """The checks on hand-made fixtures: the good page passes every check; each broken
    copy fails the check it is named for (and the message names the place)."""
    fx = os.path.join(src, "tests", "browser", "fixtures")
    with open(os.path.join(fx, "tiny-scenario.json"), encoding="utf-8") as f:
        scenario = json.load(f)
    with open(os.path.join(fx, "tiny-report.json"), encoding="utf-8") as f:
        report = json.load(f)
    with open(os.path.join(fx, "tiny-titles.json"), encoding="utf-8") as f:
        titles = json.load(f)
    with open(os.path.join(fx, "tiny-page.html"), encoding="utf-8") as f:
        good = f.read()
    with open(os.path.join(fx, "tiny-broken.json"), encoding="utf-8") as f:
        broken = json.load(f)
    exp = Expected(scenario, report, titles)
    fails = 0
    good_multi = split_pages(good)

    def checks_of(case):
        c = Checks(quiet=True)
        if case.get("form") == "multi":
            pages = dict(good_multi)
            name = case.get("page")
            if name is not None:
                pages[name] = pages[name].replace(case["replace"], case["with"]) + "x" * case.get("pad", 0)
            if case.get("drop"):
                del pages[case["drop"]]
            check_multi(c, {n: parse(t) for n, t in pages.items()},
                        {n: len(t.encode("utf-8")) for n, t in pages.items()}, exp, "tiny pages")
        else:
            check_single(c, parse(good.replace(case["replace"], case["with"])), exp, "tiny page")
        return c

    for form in ("single", "multi"):
        c = checks_of({"form": form, "replace": "", "with": ""})
        for name, ok, detail in c.results:
            if not ok:
                print("FAIL  the good %s fixture fails %s:\n      %s" % (form, name, detail.replace("\n", "\n      ")))
                fails += 1
        print("%s the good %s fixture passes all %d checks" % (
            "ok   " if not c.failed else "FAIL ", form, len(c.results)))
    for case in broken:
        text = good_multi.get(case.get("page"), "") if case.get("form") == "multi" else good
        if case.get("replace") and text.count(case["replace"]) != 1:
            print("FAIL  fixture %r: its text to replace occurs %d times in the good page"
                  % (case["name"], text.count(case["replace"])))
            fails += 1
            continue
        c = checks_of(case)
        hit = [(n, d) for n, ok, d in c.results if not ok and n.startswith(case["caught_by"])]
        said = all(any(w in d for _, d in hit) for w in case.get("message_names", []))
        if hit and said:
            print("ok    %s: caught by %s (%s)" % (case["name"], hit[0][0], hit[0][1].splitlines()[0][:150]))
        else:
            fails += 1
            print("FAIL  %s: not caught by a check named %r%s; failed: %s" % (
                case["name"], case["caught_by"], " naming %s" % case.get("message_names") if hit else "",
                [(n, d[:200]) for n, ok, d in c.results if not ok]))
    print("%d broken fixtures, %d problems" % (len(broken), fails))
    return 1 if fails else 0


def check_written(vipa, scenario_path, out, numbers_only):
    """The checks on pages as `vipa report` wrote them, parsed here without a browser (for
    the command's own tests): @p out a page or a directory of linked pages."""
    c = Checks()
    with open(scenario_path, encoding="utf-8") as f:
        exp = Expected(json.load(f), vipa_json(vipa, scenario_path), catalogue_titles(vipa))
    if os.path.isdir(out):
        texts = {}
        for name in sorted(os.listdir(out)):
            with open(os.path.join(out, name), encoding="utf-8") as f:
                texts[name] = f.read()
        check_multi(c, {n: parse(t) for n, t in texts.items()},
                    {n: len(t.encode("utf-8")) for n, t in texts.items()}, exp, out)
    else:
        with open(out, encoding="utf-8") as f:
            check_single(c, parse(f.read()), exp, out, numbers_only=numbers_only)
    print("%d passed, %d failed" % (len(c.results) - len(c.failed), len(c.failed)))
    return 1 if c.failed else 0


def main(argv):
    args = list(argv[1:])
    opts = {}
    for opt in ("--screenshots", "--keep"):
        if opt in args:
            i = args.index(opt)
            if i + 1 >= len(args):
                print("usage: %s needs a directory" % opt, file=sys.stderr)
                return 2
            opts[opt] = os.path.abspath(args[i + 1])
            del args[i:i + 2]
    if args[:1] == ["--self-test"] and len(args) == 2:
        return self_test(os.path.abspath(args[1]))
    numbers_only = "--numbers-only" in args
    if numbers_only:
        args.remove("--numbers-only")
    if args[:1] == ["--written"] and len(args) == 4:
        return check_written(os.path.abspath(args[1]), args[2], args[3], numbers_only)
    if len(args) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    vipa, src = (os.path.abspath(a) for a in args)
    return real(vipa, src, opts.get("--screenshots"), opts.get("--keep"))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
