#!/usr/bin/env python3
"""Renders the report of the bundled sample in a real browser and counts its charts.

    python3 tests/browser/report.py VIPA-PROGRAM SOURCE-ROOT [--screenshot OUT.png]

`vipa report` writes the HTML page of examples/shangluo-sample.json. Debian's chromium,
headless and cut off from the network (the flags below, a fresh --user-data-dir each
time), loads it from a file: once to dump the DOM it built (--dump-dom), once to take a
1280x2400 screenshot (--screenshot). The test then checks, in the DOM, that the page was
read to its end and that every chart holds what it should. The expected numbers come
from `vipa run --json` (the report contract) read with the json module here, never from
the HTML generator:

  - one coverage bar (rect.bar) per village and year of years[].coverage, with its numbers;
  - one row (tr.entity) per entity, one cell item (.evaluation) per evaluation of
    years[].evaluations, with its agreement, date and outcome;
  - one row (tr.disclosure) per entry of the disclosure list;
  - per year with households, 13 histogram buckets (rect.hbar) of income / line, each
    count recomputed here from years[].households;
  - one row (tr.finding) per finding, and one group (section.rule-group) per rule.

Exit status 0 when every check passed, 1 when one failed, 77 (meson's "skipped") when
chromium is not installed. --screenshot copies the PNG (for docs/report.png).
Python 3 standard library only.
"""
import collections
import html.parser
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

SKIP = 77
BUCKETS = 13  # [0, .25), [.25, .5), ... [2.75, 3), [3, inf); the first also holds < 0
CLOSED_NETWORK_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BROWSER_TIMEOUT = 180  # seconds per browser run


def find_chromium():
    """Debian's chromium (CHROMIUM in the environment may name another binary)."""
    named = os.environ.get("CHROMIUM")
    if named:
        return shutil.which(named)
    return shutil.which("chromium")


def fen(text):
    """A money string of the report ("-12.30", "4000.00") as integer fen, exactly."""
    sign = -1 if text.startswith("-") else 1
    whole, _, frac = text.lstrip("-").partition(".")
    return sign * (int(whole) * 100 + int((frac + "00")[:2]))


def bucket(income, line):
    """floor(4 * income / line), clamped to 0..12: integer arithmetic, no rounding."""
    if income <= 0 or line <= 0:
        return 0 if income <= 0 else BUCKETS - 1
    return min(BUCKETS - 1, (4 * income) // line)


class Dom(html.parser.HTMLParser):
    """Every element of the dumped DOM as (tag, attributes), plus heading texts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.headings = {}  # id of an h2 -> its text
        self._open_heading = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.elements.append((tag, a))
        if tag == "h2" and "id" in a:
            self._open_heading = a["id"]
            self.headings[a["id"]] = ""

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag == "h2":
            self._open_heading = None

    def handle_data(self, data):
        if self._open_heading is not None:
            self.headings[self._open_heading] += data

    def having(self, tag, cls):
        """Elements of @tag (None: any) whose class list holds @cls."""
        return [a for t, a in self.elements
                if (tag is None or t == tag) and cls in (a.get("class") or "").split()]


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            print("ok    " + name)
        else:
            self.failed += 1
            print("FAIL  " + name + (": " + detail if detail else ""))

    def equal(self, name, got, want):
        self.check(name, got == want, "got %r, expected %r" % (got, want))


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def browser(chromium, tmp, *args):
    """One headless run with a fresh profile directory; returns the CompletedProcess."""
    profile = tempfile.mkdtemp(prefix="profile.", dir=tmp)
    return run([chromium] + CLOSED_NETWORK_FLAGS + ["--user-data-dir=" + profile] + list(args),
               timeout=BROWSER_TIMEOUT)


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", head[16:24])


def expected_from_report(report):
    """What the page must show, from the report JSON alone."""
    exp = {}
    exp["bars"] = collections.Counter(
        (str(y["year"]), c["village"], str(c["willing"]), str(c["covered"]))
        for y in report["years"] for c in y["coverage"])
    exp["evaluations"] = collections.Counter(
        (str(e["agreement"]), str(e["entity"]), str(y["year"]), e["date"],
         "1" if e["recheck"] else "0", e["outcome"])
        for y in report["years"] for e in y["evaluations"])
    exp["entities"] = sorted(str(e["id"]) for e in report["entities"])
    exp["disclosure"] = sorted((str(d["entity"]), d["equity"], str(d["households"]))
                               for d in report["disclosure"])
    hist = {}
    for y in report["years"]:
        if not y["households"]:
            continue
        counts = [0] * BUCKETS
        for h in y["households"]:
            counts[bucket(fen(h["income"]), fen(h["line"]))] += 1
        hist[str(y["year"])] = counts
    exp["histogram"] = hist
    exp["findings"] = len(report["findings"])
    exp["rules"] = collections.Counter(f["rule"] for f in report["findings"])
    exp["households"] = len(report["households"])
    return exp


def check_dom(c, dom, exp):
    summary = dom.headings.get("summary", "")
    c.check("the page loaded: the summary heading is in the DOM",
            "Summary" in summary and "概要" in summary, repr(summary))
    c.check("the page was read to its end (footer#end)",
            any(t == "footer" and a.get("id") == "end" for t, a in dom.elements))
    c.equal("no script element", [t for t, _ in dom.elements if t == "script"], [])
    external = [a.get("src") or a.get("href") for _, a in dom.elements
                if a.get("src") is not None or (a.get("href") or "#")[:1] != "#"]
    c.equal("nothing refers outside the page", external, [])

    bars = dom.having("rect", "bar")
    c.equal("coverage bars: one per village and year",
            len(bars), sum(exp["bars"].values()))
    c.equal("coverage bars carry the report's numbers", collections.Counter(
        (a.get("data-year"), a.get("data-village"), a.get("data-willing"), a.get("data-covered"))
        for a in bars), exp["bars"])

    c.equal("evaluation table: one row per entity",
            sorted(a.get("data-entity") for a in dom.having("tr", "entity")), exp["entities"])
    items = dom.having(None, "evaluation")
    c.equal("evaluation table: one item per evaluation",
            len(items), sum(exp["evaluations"].values()))
    c.equal("each evaluation with its agreement, date and outcome", collections.Counter(
        (a.get("data-agreement"), a.get("data-entity"), a.get("data-year"), a.get("data-date"),
         a.get("data-recheck"), a.get("data-outcome")) for a in items), exp["evaluations"])
    c.check("each evaluation is coloured by its outcome",
            all("o-" + a.get("data-outcome", "?") in a.get("class", "").split() for a in items))

    c.equal("disclosure list: one row per entry", sorted(
        (a.get("data-entity"), a.get("data-equity"), a.get("data-households"))
        for a in dom.having("tr", "disclosure")), exp["disclosure"])

    hbars = dom.having("rect", "hbar")
    c.equal("histogram: %d buckets per year with households" % BUCKETS,
            len(hbars), BUCKETS * len(exp["histogram"]))
    got = {}
    for a in hbars:
        got.setdefault(a.get("data-year"), [None] * BUCKETS)
        k = int(a.get("data-bucket", "-1"))
        if 0 <= k < BUCKETS:
            got[a.get("data-year")][k] = int(a.get("data-count", "-1"))
    c.equal("histogram counts = income / line recomputed from the report", got, exp["histogram"])
    c.check("the poverty line is marked at 1.0",
            any(a.get("data-ratio") == "1.0" for a in dom.having("line", "pline")))

    c.equal("findings: one row per finding", len(dom.having("tr", "finding")), exp["findings"])
    c.equal("findings grouped by rule", {a.get("data-rule"): int(a.get("data-count", "0"))
                                         for a in dom.having("section", "rule-group")},
            dict(exp["rules"]))
    c.equal("summary: households", [a.get("data-households") for t, a in dom.elements
                                     if t == "div" and "data-households" in a],
            [str(exp["households"])])


def main(argv):
    args = [a for a in argv[1:]]
    shot_out = None
    if "--screenshot" in args:
        i = args.index("--screenshot")
        shot_out = args[i + 1] if i + 1 < len(args) else None
        del args[i:i + 2]
        if shot_out is None:
            print("usage: --screenshot needs a file name", file=sys.stderr)
            return 2
    if len(args) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    vipa, src = (os.path.abspath(a) for a in args)
    chromium = find_chromium()
    if chromium is None:
        print("SKIP: chromium not installed (apt-get install chromium fonts-noto-cjk)")
        return SKIP
    # Relative to the source root, so the page names the file as a reader would.
    sample = os.path.join("examples", "shangluo-sample.json")
    c = Checks()
    with tempfile.TemporaryDirectory(prefix="vipa-browser.") as tmp:
        page = os.path.join(tmp, "report.html")
        r = run([vipa, "report", sample, "-o", page], cwd=src)
        c.check("vipa report exits 0", r.returncode == 0, r.stderr.decode(errors="replace"))
        r = run([vipa, "run", sample, "--json"], cwd=src)
        c.check("vipa run --json exits 0", r.returncode == 0, r.stderr.decode(errors="replace"))
        if c.failed:
            return 1
        exp = expected_from_report(json.loads(r.stdout.decode("utf-8")))

        url = "file://" + page
        dump = browser(chromium, tmp, "--dump-dom", url)
        c.check("chromium --dump-dom exits 0", dump.returncode == 0,
                "status %d: %s" % (dump.returncode, dump.stderr.decode(errors="replace")[-2000:]))
        dom = Dom()
        dom.feed(dump.stdout.decode("utf-8", errors="replace"))
        dom.close()
        check_dom(c, dom, exp)

        shot = os.path.join(tmp, "report.png")
        r = browser(chromium, tmp, "--screenshot=" + shot, "--window-size=1280,2400", url)
        c.check("chromium --screenshot exits 0", r.returncode == 0,
                "status %d: %s" % (r.returncode, r.stderr.decode(errors="replace")[-2000:]))
        c.equal("the screenshot is a 1280x2400 PNG",
                png_size(shot) if os.path.exists(shot) else None, (1280, 2400))
        if shot_out is not None and os.path.exists(shot):
            shutil.copyfile(shot, shot_out)
            print("screenshot written to " + shot_out)
    print("%d passed, %d failed" % (c.passed, c.failed))
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
