#!/usr/bin/env python3
"""The library's layering, checked on its objects: every call (every undefined symbol of
an object that another object of the library defines) goes from a module to itself or
to a module listed above it in lib/meson.build's `vipa_sources`, never to one below.

A file's module is its name up to the first underscore (`ledger_flows.c` belongs to
`ledger`); modules rank in the order they first appear in the list. Usage:

    check-layering.py ARCHIVE MESON_BUILD [NM]

ARCHIVE is the static library of the library's objects (lib/libvipa_objects.a).
Exit 0 when the layering holds, 1 with every call against it listed, 2 on bad input.
"""
import re
import subprocess
import sys


def module_order(meson_build):
    text = open(meson_build, encoding="utf-8").read()
    block = re.search(r"vipa_sources\s*=\s*files\((.*?)\)", text, re.S)
    if not block:
        sys.exit("check-layering: no vipa_sources = files(...) in " + meson_build)
    files = re.findall(r"'([^']+\.c)'", block.group(1))
    ranks = {}
    for name in files:
        ranks.setdefault(module_of(name), len(ranks))
    return files, ranks


def module_of(file_name):
    base = file_name.rsplit("/", 1)[-1]
    base = re.sub(r"\.c(\.o)?$", "", base)
    return base.split("_", 1)[0]


def symbols(archive, nm):
    """{object: (defined set, undefined set)} from `nm -A` on the archive."""
    out = subprocess.run([nm, "-A", archive], check=True, capture_output=True,
                         text=True).stdout
    objects = {}
    for line in out.splitlines():
        # "archive:member.o: 0000000000000000 T name" or "archive:member.o:  U name"
        match = re.match(r"^[^:]*:([^:]+):\s*(?:[0-9a-fA-F]+\s+)?([A-Za-z])\s+(\S+)$", line)
        if not match:
            continue
        member, kind, name = match.groups()
        member = member.rsplit("/", 1)[-1]
        defined, undefined = objects.setdefault(member, (set(), set()))
        if kind == "U":
            undefined.add(name)
        elif kind.isupper():
            defined.add(name)
    return objects


def main(argv):
    if len(argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    archive, meson_build = argv[1], argv[2]
    nm = argv[3] if len(argv) == 4 else "nm"
    files, ranks = module_order(meson_build)
    objects = symbols(archive, nm)
    if not objects:
        print("check-layering: no objects in " + archive, file=sys.stderr)
        return 2
    definer = {}
    for member, (defined, _) in objects.items():
        for name in defined:
            definer[name] = member
    violations = []
    for member, (_, undefined) in sorted(objects.items()):
        user = module_of(member)
        if user not in ranks:
            violations.append("%s: file of no module listed in lib/meson.build" % member)
            continue
        for name in sorted(undefined):
            if name not in definer:
                continue  # libc, jansson, libmd
            owner = module_of(definer[name])
            if ranks[owner] > ranks[user]:
                violations.append("%s (module %s) calls %s of %s (module %s, listed below it)"
                                  % (member, user, name, definer[name], owner))
    order = " < ".join(sorted(ranks, key=ranks.get))
    if violations:
        print("FAIL: calls against the module order (%s):" % order)
        for v in violations:
            print("  " + v)
        return 1
    print("layering holds: %d objects, %d modules: %s" % (len(objects), len(ranks), order))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
