"""``python3 -m vipa COMMAND``: the commands of the Python package.

    python3 -m vipa import BOOK.xlsx | DIR | FILE.csv... [-o OUT]   (vipa.importer)
"""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    if len(argv) < 1 or argv[0] in ("-h", "--help"):
        sys.stdout.write("usage: python3 -m vipa import BOOK.xlsx | DIR | FILE.csv... [-o OUT]\n"
                         "  (python3 -m vipa import --help describes it)\n")
        return 0 if argv else 2
    if argv[0] == "import":
        from . import importer
        return importer.main(argv[1:])
    sys.stderr.write(f"python3 -m vipa: unknown command '{argv[0]}' (only: import)\n")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
