#!/usr/bin/env python3
"""Generates docs/policy-map.md from the sources, or checks that it is up to date.

    python3 tests/policy-map/check.py SOURCE-ROOT            check (the `policy-map` test)
    python3 tests/policy-map/check.py SOURCE-ROOT --write    regenerate docs/policy-map.md

The map says, for every rule of the catalogue, where the plan asks for it and where the
code and the tests deal with it. Everything in it is read from the sources:

  rule IDs, clauses, severities, summaries   lib/rules.c (the catalogue table), checked
                                             against the enum of include/vipa/rules.h
  the functions that apply a rule            every function of lib/*.c that names
                                             VIPA_RULE_<ID> (outside comments), other
                                             than the catalogue (rules.c), the generic
                                             findings code (findings.c) and the
                                             explanations (run_explain.c, listed apart)
  the unit tests that check it               every function (or data table) of
                                             tests/unit/test_*.c that names VIPA_RULE_<ID>
                                             or the string "<ID>", except test_rules.c,
                                             which checks every catalogue entry
  the scenario tests that check it           every tests/scenarios/*.json that names
                                             "<ID>" (in its expected findings), and the
                                             one named after the rule (<id>.json)

The check fails, printing a diff, when docs/policy-map.md is not exactly what the
sources give, when a rule has no function applying it, or when the catalogue and the
enum disagree. So the map cannot drift: rename a function, add a test, and the test
says to run this script with --write. Python 3 standard library only.
"""
import difflib
import glob
import os
import re
import sys

DOC = os.path.join("docs", "policy-map.md")
NOT_APPLYING = {"rules.c", "findings.c", "run_explain.c"}
CATALOGUE_TESTS = {"test_rules.c"}


def strip_comments(text):
    """C source with comments blanked (newlines kept), strings and chars left as they are."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "/" and text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append(re.sub(r"[^\n]", " ", text[i:end]))
            i = end
        elif c == "/" and text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            out.append(" " * (end - i))
            i = end
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def top_level_blocks(code):
    """(start, end, name, is_function) of each top-level { ... } of comment-free C code.

    The name is the function's for a definition, the variable's for an initialiser
    (a data table), None for anything else (a struct or enum body)."""
    blocks = []
    depth = 0
    head_start = 0  # where the declaration before the next top-level '{' starts
    block_start = 0
    i, n = 0, len(code)
    while i < n:
        c = code[i]
        if c in "\"'":  # skip a string or character literal
            j = i + 1
            while j < n and code[j] != c and code[j] != "\n":
                j += 2 if code[j] == "\\" else 1
            i = j + 1
            continue
        if c == "#" and depth == 0 and (i == 0 or code[i - 1] == "\n"):
            end = code.find("\n", i)  # a preprocessor line (continuations are rare here)
            while end > 0 and code[end - 1] == "\\":
                end = code.find("\n", end + 1)
            i = n if end < 0 else end
            head_start = i
            continue
        if c == "{":
            if depth == 0:
                block_start = i
                head = code[head_start:i]
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                name, is_function = None, False
                m = re.search(r"\b([A-Za-z_]\w*)\s*\([^;{}]*\)\s*$", head)
                if m and not re.search(r"=\s*$", head):
                    name, is_function = m.group(1), True
                else:
                    m = re.search(r"\b([A-Za-z_]\w*)\s*(?:\[[^\]]*\]\s*)*=\s*$", head)
                    if m:
                        name = m.group(1)
                blocks.append((block_start, i, name, is_function))
                head_start = i + 1
        elif c == ";" and depth == 0:
            head_start = i + 1
        i += 1
    return blocks


def where(blocks, offset):
    for start, end, name, is_function in blocks:
        if start <= offset <= end:
            return name, is_function
    return None, False


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def c_string(pieces):
    """The value of adjacent C string literals (only the escapes the catalogue uses)."""
    s = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', pieces))
    return s.replace('\\"', '"').replace("\\\\", "\\")


def catalogue(root):
    code = strip_comments(read(os.path.join(root, "lib", "rules.c")))
    entry = re.compile(
        r'\[VIPA_RULE_(\w+)\]\s*=\s*\{\s*"(\w+)"\s*,\s*"((?:[^"\\]|\\.)*)"\s*,\s*'
        r'VIPA_SEVERITY_(\w+)\s*,\s*((?:"(?:[^"\\]|\\.)*"\s*)+),\s*((?:"(?:[^"\\]|\\.)*"\s*)+)\}')
    rules = []
    for m in entry.finditer(code):
        if m.group(1) != m.group(2):
            raise SystemExit("lib/rules.c: entry [VIPA_RULE_%s] has the ID %s" % (m.group(1), m.group(2)))
        rules.append({"id": m.group(2), "clause": c_string('"%s"' % m.group(3)),
                      "severity": m.group(4).lower(), "zh": c_string(m.group(5)),
                      "en": c_string(m.group(6))})
    header = strip_comments(read(os.path.join(root, "include", "vipa", "rules.h")))
    enum = re.search(r"typedef\s+enum\s+vipa_rule\s*\{(.*?)\}", header, re.S).group(1)
    declared = [n for n in re.findall(r"VIPA_RULE_(\w+)\s*=", enum) if n not in ("NONE", "MAX_ENUM")]
    if declared != [r["id"] for r in rules]:
        raise SystemExit("the catalogue of lib/rules.c %s differs from the enum of rules.h %s"
                         % ([r["id"] for r in rules], declared))
    return rules


def uses(paths, patterns_of, skip):
    """{rule ID: [(file, name, is_function)]}: the named blocks that mention each rule."""
    found = {}
    for path in sorted(paths):
        base = os.path.basename(path)
        if base in skip:
            continue
        code = strip_comments(read(path))
        blocks = top_level_blocks(code)
        for rule, pattern in patterns_of.items():
            for m in pattern.finditer(code):
                name, is_function = where(blocks, m.start())
                key = (base, name or "(file scope)", is_function)
                lst = found.setdefault(rule, [])
                if key not in lst:
                    lst.append(key)
    return found


def cell(entries, directory):
    if not entries:
        return "none"
    parts = []
    for base, name, is_function in entries:
        label = "`%s()`" % name if is_function else "table `%s`" % name
        parts.append("`%s%s` %s" % (directory, base, label))
    return ", ".join(parts)


def generate(root):
    rules = catalogue(root)
    ids = [r["id"] for r in rules]
    applied = uses(glob.glob(os.path.join(root, "lib", "*.c")),
                   {i: re.compile(r"\bVIPA_RULE_%s\b" % i) for i in ids}, NOT_APPLYING)
    explained = uses([os.path.join(root, "lib", "run_explain.c")],
                     {i: re.compile(r"\bVIPA_RULE_%s\b" % i) for i in ids}, set())
    unit = uses(glob.glob(os.path.join(root, "tests", "unit", "test_*.c")),
                {i: re.compile(r'\bVIPA_RULE_%s\b|"%s"' % (i, i)) for i in ids}, CATALOGUE_TESTS)
    scenarios = {}
    for path in sorted(glob.glob(os.path.join(root, "tests", "scenarios", "*.json"))):
        text = read(path)
        base = os.path.basename(path)
        for i in ids:
            if '"%s"' % i in text or base == i.lower() + ".json":
                scenarios.setdefault(i, []).append(base)
    missing = [i for i in ids if not applied.get(i)]
    if missing:
        raise SystemExit("no function of lib/ applies %s" % ", ".join(missing))

    out = []
    w = out.append
    w("# Policy map: rule → clause → code → tests")
    w("")
    w("<!-- Generated by tests/policy-map/check.py from lib/rules.c, lib/*.c, tests/unit/*.c and")
    w("     tests/scenarios/*.json. Do not edit: run `python3 tests/policy-map/check.py . --write`.")
    w("     The policy-map test fails when this file is not what the sources give. -->")
    w("")
    w("Every rule of the catalogue (商政办发〔2016〕98号, see `docs/policy.md`): the clause of the plan")
    w("it comes from, the functions of the library that apply it (they produce its findings")
    w("or failed checks), the functions that explain it (`vipa_explain_household()`,")
    w("`vipa_explain_agreement()`), and the tests that check it: cmocka unit tests in")
    w("`tests/unit/` and policy scenarios in `tests/scenarios/` (run by `vipa test`): those")
    w("that name the rule in their expectations, and the one named after it.")
    w("`tests/unit/test_rules.c` checks every rule's catalogue entry (ID, clause, severity,")
    w("summaries) and is not repeated below. 本表列出每条规则所依据的条款、实施它的函数和检验它的测试，")
    w("由源代码生成，测试保证它与代码一致。")
    w("")
    w("| Rule ID | Clause | Severity | Applied by | Unit tests | Scenarios |")
    w("|---|---|---|---|---:|---:|")
    for r in rules:
        i = r["id"]
        w("| `%s` | %s | %s | %s | %d | %d |" % (
            i, r["clause"], r["severity"],
            ", ".join("`%s()`" % n if f else "`%s`" % n for _, n, f in applied[i]),
            len(unit.get(i, [])), len(scenarios.get(i, []))))
    for r in rules:
        i = r["id"]
        w("")
        w("## %s" % i)
        w("")
        w("Clause %s, severity %s. %s" % (r["clause"], r["severity"], r["en"]))
        w("")
        w("%s" % r["zh"])
        w("")
        w("- Applied by: %s." % cell(applied[i], "lib/"))
        w("- Explained by: %s." % cell(explained.get(i, []), "lib/"))
        w("- Unit tests: %s." % cell(unit.get(i, []), "tests/unit/"))
        w("- Scenarios: %s." % (", ".join("`tests/scenarios/%s`" % s for s in scenarios[i])
                                 if scenarios.get(i) else "none"))
    w("")
    return "\n".join(out)


def main(argv):
    args = argv[1:]
    write = "--write" in args
    args = [a for a in args if a != "--write"]
    if len(args) != 1:
        print("usage: %s SOURCE-ROOT [--write]" % argv[0], file=sys.stderr)
        return 2
    root = args[0]
    text = generate(root)
    path = os.path.join(root, DOC)
    if write:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        print("wrote " + path)
        return 0
    current = read(path) if os.path.exists(path) else ""
    if current == text:
        print("docs/policy-map.md matches the sources (%d rules)" % text.count("\n## "))
        return 0
    sys.stdout.writelines(difflib.unified_diff(
        current.splitlines(True), text.splitlines(True), "docs/policy-map.md (committed)",
        "docs/policy-map.md (from the sources)"))
    print("\nFAIL: docs/policy-map.md is out of date; run: python3 tests/policy-map/check.py . --write")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
