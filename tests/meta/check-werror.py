#!/usr/bin/env python3
"""Warnings are errors in the project's own builds, not in a release build (issue 17):
meson.build sets no werror default, and every `meson setup` or `meson configure` of
scripts/, .ci/ and tests/install/ passes -Dwerror=true, on its line (with its
continuation lines) or through a shell variable whose assignment in that file does.

    check-werror.py SOURCE_ROOT
"""
import pathlib
import re
import sys

COMMAND = re.compile(r"\bmeson\s+(setup|configure)\b")
VARIABLE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?")


def logical_lines(text: str):
    """(line number, text) of each shell line, continuation lines joined."""
    number, parts = 0, []
    for i, line in enumerate(text.splitlines(), 1):
        if not parts:
            number = i
        if line.endswith("\\"):
            parts.append(line[:-1])
            continue
        parts.append(line)
        yield number, " ".join(parts)
        parts = []
    if parts:
        yield number, " ".join(parts)


def assigned_with_werror(text: str) -> set:
    return {m.group(1) for m in re.finditer(
        r'^\s*([A-Za-z_][A-Za-z0-9_]*)="[^"]*-Dwerror=true[^"]*"', text, re.M)}


def problems(root: pathlib.Path) -> list:
    found = []
    meson_build = (root / "meson.build").read_text(encoding="utf-8")
    if re.search(r"['\"]werror\s*=\s*true['\"]", meson_build):
        found.append("meson.build: werror=true is a default option (a release build must "
                     "not fail on a new compiler's warning)")
    files = [p for d in ("scripts", ".ci", "tests/install") for p in sorted((root / d).glob("*"))
             if p.is_file()]
    checked = 0
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        if not text.startswith("#!/bin/sh"):
            continue
        good_vars = assigned_with_werror(text)
        for number, line in logical_lines(text):
            if line.lstrip().startswith("#"):
                continue
            # Each command of `a || b`, `a && b`, `a; b` on its own: the fallback of a
            # `meson setup --wipe ... || meson setup ...` needs the option as much.
            for command in re.split(r"\|\||&&|;", line):
                if not COMMAND.search(command):
                    continue
                checked += 1
                if "-Dwerror=true" in command:
                    continue
                if any(v in good_vars for v in VARIABLE.findall(command)):
                    continue
                found.append(f"{path.relative_to(root)}:{number}: meson without "
                             f"-Dwerror=true: {command.strip()}")
    if checked == 0:
        found.append("no `meson setup` or `meson configure` found in scripts/: check the check")
    return found


def main() -> int:
    found = problems(pathlib.Path(sys.argv[1]))
    for p in found:
        print("FAIL:", p)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
