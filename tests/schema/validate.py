#!/usr/bin/python3
"""Checks the JSON schemas of docs/ against the files and the program they describe.

    /usr/bin/python3 tests/schema/validate.py VIPA-PROGRAM SOURCE-ROOT

docs/scenario.schema.json and docs/report.schema.json state the scenario and report
formats of docs/scenario.md in machine-readable form. This test keeps them honest:

  1. Both schemas are valid JSON Schema (draft 2020-12).
  2. Every tests/scenarios/*.json without "expect_error", and examples/shangluo-sample.json,
     validates against the scenario schema ("expect" and "findings_exact" included).
  3. Every scenario with "expect_error" whose defect is one of form (a wrong type, an
     unknown key, money with three decimals...) is rejected by the scenario schema:
     FORM_DEFECTS below names them. Those whose defect is of content that a schema
     cannot see (a reference to no record, a day that does not exist, a duplicate id,
     a year without a poverty line...) are skipped: CONTENT_DEFECTS names them, each
     with its reason. An "expect_error" file named in neither is reported, not judged.
  4. For every scenario that loads and runs (`vipa run --json FILE` exits 0), the sample
     and the bundled sample (`vipa run --json` without a file), the report validates
     against the report schema, and its lists are sorted as the contract says (by their
     ids, then year).
  5. If `vipa check --help` offers --json, its output for each of those scenarios
     validates too (a finding list, or an object holding one); today it does not, and the
     test says so.

Files are read as the library reads them: a duplicate key is an error, and a JSON
fraction stays a fraction (parse_float=Decimal), so 3600.0 is not taken for the integer
3600 (JSON Schema calls a number with a zero fraction an integer; libvipa does not).

Exit status 0 when every check passed, 1 when one failed, 77 (meson's "skipped") when
python3-jsonschema is not installed (scripts/deps installs it). Standard library and
jsonschema (Debian's python3-jsonschema, 4.10) only.
"""
import decimal
import glob
import json
import os
import subprocess
import sys

SKIP = 77

try:
    import jsonschema
except ImportError:
    print("SKIP: python3-jsonschema is not installed (scripts/deps installs it)")
    sys.exit(SKIP)

# Scenarios the library refuses for their form: the scenario schema must refuse them too.
FORM_DEFECTS = {
    "bad_money_decimals.json": "money with three decimals (\"1.234\")",
    "bad_money_fraction.json": "money as a JSON fraction (3600.5)",
    "bad_negative_payment.json": "a negative payment amount (\"-100.00\")",
    "bad_unknown_key.json": "an unknown key (\"memebers\")",
    "bad_version.json": "format version 2",
}

# Scenarios the library refuses for their content, which a schema cannot see: skipped.
CONTENT_DEFECTS = {
    "bad_code.json": "a well-formed code that names no area (RANGE)",
    "bad_date.json": "a well-formed date that is no real day, 2017-02-29 (RANGE)",
    "bad_duplicate_id.json": "two households with one id (EXISTS)",
    "bad_evaluation_in_year.json": "an evaluation dated in the year it evaluates (INVALID)",
    "bad_evaluation_twice.json": "two plain evaluations of one year (INVALID)",
    "bad_linkage_period.json": "linkage years outside its agreement's period (RANGE)",
    "bad_no_poverty_line.json": "a year of the run without a poverty line (NOT_FOUND, at run)",
    "bad_recheck_before_plain.json": "a re-check dated before its plain evaluation (INVALID)",
    "bad_recheck_listed_first.json": "a re-check listed before its plain evaluation (INVALID)",
    "bad_recheck_twice.json": "two re-checks of one year (INVALID)",
    "bad_recheck_without_plain.json": "a re-check of a year with no plain evaluation (INVALID)",
    "bad_reference.json": "a reference to a household that does not exist (NOT_FOUND)",
}


class Checks:
    """Counts and prints the outcome of each check."""

    def __init__(self):
        self.failed = 0
        self.passed = 0

    def ok(self, what):
        self.passed += 1
        print("ok    %s" % what)

    def fail(self, what, why):
        self.failed += 1
        print("FAIL  %s: %s" % (what, why))

    @staticmethod
    def note(what, why):
        print("skip  %s: %s" % (what, why))


def no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    for k in keys:
        if keys.count(k) > 1:
            raise ValueError("duplicate key %r" % k)
    return dict(pairs)


def load_json(text):
    return json.loads(text, object_pairs_hook=no_duplicates, parse_float=decimal.Decimal)


def describe(errors):
    """The most telling error, with its JSON path, and how many there were."""
    best = jsonschema.exceptions.best_match(errors)
    path = "".join("[%d]" % p if isinstance(p, int) else ".%s" % p
                   for p in best.absolute_path).lstrip(".") or "(top level)"
    more = len(errors) - 1
    return "%s: %s%s" % (path, best.message[:300], " (and %d more)" % more if more else "")


def errors_of(validator, document):
    return list(validator.iter_errors(document))


# ---- the report's order ---------------------------------------------------------------

def increasing(rows, key, strict=True):
    """None when rows are sorted by key (strictly, or not decreasing), else a message."""
    keys = [key(r) for r in rows]
    for i in range(1, len(keys)):
        if keys[i] < keys[i - 1] or (strict and keys[i] == keys[i - 1]):
            return "item %d %r comes after %r" % (i, keys[i], keys[i - 1])
    return None


def order_problems(report):
    """The lists of a report that are not sorted as the contract says."""
    lists = [
        ("signers", report["signers"], lambda r: r["agreement"], True),
        ("allocations", report["allocations"], lambda r: r["injection"], False),
        ("years", report["years"], lambda r: r["year"], True),
        ("households", report["households"], lambda r: r["id"], True),
        ("entities", report["entities"], lambda r: r["id"], True),
        ("disclosure", report["disclosure"], lambda r: r["entity"], True),
    ]
    for y in report["years"]:
        at = "years[year=%d]." % y["year"]
        lists += [
            (at + "households", y["households"], lambda r: r["id"], True),
            (at + "dividends", y["dividends"], lambda r: (r["entity"], r["household"]), True),
            (at + "coverage", y["coverage"], lambda r: r["village"], True),
            (at + "evaluations", y["evaluations"],
             lambda r: (r["agreement"], r["date"], r["recheck"]), True),
            (at + "obligations", y.get("obligations", []), lambda r: r["linkage"], True),
        ]
    for e in report["entities"]:
        lists.append(("entities[id=%d].favoured" % e["id"], e["favoured"], lambda r: r, True))
    problems = []
    for name, rows, key, strict in lists:
        why = increasing(rows, key, strict)
        if why:
            problems.append("%s not sorted: %s" % (name, why))
    return problems


# ---- running the program ------------------------------------------------------------------

def run(vipa, *args):
    p = subprocess.run([vipa] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       check=False)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def check_report(checks, validator, vipa, label, args):
    """Validates `vipa run --json ARGS`; returns True when the run succeeded."""
    status, out, err = run(vipa, "run", "--json", *args)
    if status != 0:
        return False
    what = "report of %s" % label
    try:
        report = load_json(out)
    except ValueError as e:
        checks.fail(what, "not JSON: %s" % e)
        return True
    errors = errors_of(validator, report)
    if errors:
        checks.fail(what, describe(errors))
        return True
    problems = order_problems(report)
    if problems:
        checks.fail(what, "; ".join(problems))
    else:
        checks.ok(what)
    return True


def check_findings_output(checks, report_schema, vipa, label, path):
    """`vipa check --json FILE`, validated as a finding list, an object holding one, or a
    whole report."""
    what = "vipa check --json of %s" % label
    status, out, _ = run(vipa, "check", "--json", path)
    if status not in (0, 1):
        checks.fail(what, "exit status %d" % status)
        return
    try:
        doc = load_json(out)
    except ValueError as e:
        checks.fail(what, "not JSON: %s" % e)
        return
    cls = jsonschema.Draft202012Validator
    finding = dict(report_schema["$defs"]["finding"])
    finding["$defs"] = report_schema["$defs"]
    findings_schema = {"type": "array", "items": finding}
    if isinstance(doc, dict) and "years" in doc:
        errors = errors_of(cls(report_schema), doc)
    elif isinstance(doc, dict):
        errors = errors_of(cls(findings_schema), doc.get("findings"))
    else:
        errors = errors_of(cls(findings_schema), doc)
    if errors:
        checks.fail(what, describe(errors))
    else:
        checks.ok(what)


# ---- comparisons and reforms ------------------------------------------------------------------

# Reforms run on every scenario that runs: each changes a different part of the run.
REFORMS = [
    ["--set", "equity.poor_share_bp=8000"],
    ["--set", "equity.allocation=per_member", "--set", "equity.remainder_holder=entity"],
    ["--set", "exit.require_guarantees=false", "--set", "poverty_line.2017=3300.00"],
    [],
]


def linked_validator(root, schema):
    """A validator whose relative $refs (report.schema.json#/...) resolve in docs/."""
    base = "file://" + os.path.join(root, "docs") + "/"
    resolver = jsonschema.RefResolver(base_uri=base, referrer=schema)
    return jsonschema.Draft202012Validator(schema, resolver=resolver)


def check_comparisons(checks, root, vipa, runnable):
    names = ("comparison", "reform")
    schemas = {}
    for name in names:
        with open(os.path.join(root, "docs", name + ".schema.json"), encoding="utf-8") as f:
            schemas[name] = load_json(f.read())
        jsonschema.Draft202012Validator.check_schema(schemas[name])
        checks.ok("docs/%s.schema.json is a valid draft 2020-12 schema" % name)
    comparison_v = linked_validator(root, schemas["comparison"])
    reform_v = linked_validator(root, schemas["reform"])
    for path in sorted(glob.glob(os.path.join(root, "tests", "compare", "*.json"))):
        with open(path, encoding="utf-8") as f:
            doc = load_json(f.read())
        if isinstance(doc, dict) and "params" in doc and "households" not in doc:
            errors = errors_of(reform_v, doc)
            label = os.path.relpath(path, root)
            checks.fail(label, describe(errors)) if errors else checks.ok("%s validates" % label)
    for label, path in runnable:
        for reform in REFORMS:
            status, out, err = run(vipa, "compare", path, "--json", *reform)
            what = "comparison of %s %s" % (label, " ".join(reform) or "with itself")
            if status != 0:
                checks.note(what, "`vipa compare` fails on it: %s" % err.strip()[:200])
                continue
            errors = errors_of(comparison_v, load_json(out))
            checks.fail(what, describe(errors)) if errors else checks.ok("%s validates" % what)


# ---- the whole test -----------------------------------------------------------------------

def main(argv):
    if len(argv) != 3:
        print("usage: %s VIPA-PROGRAM SOURCE-ROOT" % argv[0], file=sys.stderr)
        return 2
    vipa, root = os.path.abspath(argv[1]), os.path.abspath(argv[2])
    checks = Checks()
    cls = jsonschema.Draft202012Validator

    schemas = {}
    for name in ("scenario", "report"):
        path = os.path.join(root, "docs", name + ".schema.json")
        with open(path, encoding="utf-8") as f:
            schemas[name] = load_json(f.read())
        try:
            cls.check_schema(schemas[name])
            checks.ok("docs/%s.schema.json is a valid draft 2020-12 schema" % name)
        except jsonschema.exceptions.SchemaError as e:
            checks.fail("docs/%s.schema.json" % name, e.message)
            return 1
    scenario_v = cls(schemas["scenario"])
    report_v = cls(schemas["report"])

    files = sorted(glob.glob(os.path.join(root, "tests", "scenarios", "*.json")))
    files.append(os.path.join(root, "examples", "shangluo-sample.json"))
    runnable = []
    for path in files:
        label = os.path.relpath(path, root)
        base = os.path.basename(path)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        try:
            doc = load_json(text)
        except ValueError as e:
            checks.fail(label, "not JSON as the library reads it: %s" % e)
            continue
        errors = errors_of(scenario_v, doc)
        if not isinstance(doc, dict) or "expect_error" not in doc:
            if errors:
                checks.fail(label, describe(errors))
            else:
                checks.ok("%s validates" % label)
            runnable.append((label, path))
        elif base in FORM_DEFECTS:
            if errors:
                checks.ok("%s is refused by the schema (%s)" % (label, FORM_DEFECTS[base]))
            else:
                checks.fail(label, "the schema accepts %s" % FORM_DEFECTS[base])
        elif base in CONTENT_DEFECTS:
            checks.note(label, "a defect of content the schema cannot see: %s"
                        % CONTENT_DEFECTS[base])
        else:
            checks.note(label, "expect_error %s, not classified in tests/schema/validate.py; "
                        "the schema %s it" % (doc["expect_error"],
                                              "refuses" if errors else "accepts"))

    for label, path in runnable:
        if not check_report(checks, report_v, vipa, label, [path]):
            checks.note("report of %s" % label, "`vipa run --json` fails on it")
    if not check_report(checks, report_v, vipa, "the bundled sample", []):
        checks.fail("report of the bundled sample", "`vipa run --json` failed")

    check_comparisons(checks, root, vipa, runnable)

    _, usage, usage_err = run(vipa, "check", "--help")
    if "--json" in usage + usage_err:
        for label, path in runnable:
            check_findings_output(checks, schemas["report"], vipa, label, path)
    else:
        checks.note("vipa check --json", "`vipa check` has no --json option")

    print("%d passed, %d failed" % (checks.passed, checks.failed))
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
