"""Tables in: an ``.xlsx`` workbook (one sheet per record kind) or CSV files into a
scenario, as ``vipa import`` does for CSV (docs/import.md).

The columns are data, not code: the mapping files of ``data/import/`` (``tables.csv``,
``columns.csv``, ``words.csv``), the same ones the ``vipa`` program has compiled in, so a
sheet takes exactly the headings, words and codes a CSV file takes, and a bad cell gets
the same message (``book.xlsx, sheet households, row 3, column 致贫原因: "疾病x" is not
one of illness (因病, 01, 1), ...``). The workbook path lives here rather than in C
because Debian has no maintained C reader of xlsx (freexl reads .xls only); openpyxl
(Debian python3-openpyxl) reads it.

Command line::

    python3 -m vipa import BOOK.xlsx [-o scenario.json]
    python3 -m vipa import DIR | FILE.csv... [-o scenario.json]

From Python::

    from vipa import importer
    text = importer.import_tables(["book.xlsx"])   # raises importer.ImportErrors
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional, Sequence

MAX_ERRORS = 100  # as vipa import: enough to fix a file's mistakes in one go


class ImportErrors(Exception):
    """The tables could not be imported; ``errors`` lists every message (at most
    MAX_ERRORS of them), ``count`` counts them all."""

    def __init__(self, errors: list[str], count: int) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors
        self.count = count


# ---- the mapping --------------------------------------------------------------------

def _data_dirs() -> Iterator[Path]:
    env = os.environ.get("VIPA_IMPORT_DATA")
    if env:
        yield Path(env)
    here = Path(__file__).resolve()
    yield here.parents[3] / "data" / "import"          # a checkout: bindings/python/vipa
    for prefix in (sys.prefix, "/usr/local", "/usr"):   # meson's install: share/vipa/import
        yield Path(prefix) / "share" / "vipa" / "import"


def data_dir() -> Path:
    """Where the mapping files are: $VIPA_IMPORT_DATA, the checkout's data/import, or
    PREFIX/share/vipa/import."""
    for d in _data_dirs():
        if (d / "columns.csv").is_file():
            return d
    raise FileNotFoundError("the column mapping of vipa import (data/import/columns.csv) was "
                            "not found; set VIPA_IMPORT_DATA to its directory")


@dataclass
class Table:
    name: str
    target: str
    names: list[str]
    parent: Optional[int] = None
    member: Optional[str] = None


@dataclass
class Column:
    table: int
    field: str
    base: str
    list: bool
    vocab: Optional[str]
    required: bool
    names: list[str]


@dataclass
class Mapping:
    tables: list[Table] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    words: list[tuple[str, str, list[str]]] = field(default_factory=list)

    def table(self, name: str) -> int:
        return next(i for i, t in enumerate(self.tables) if t.name == name)


def _rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return [r for r in csv.reader(f)][1:]


def load_mapping(directory: Optional[Path] = None) -> Mapping:
    d = directory or data_dir()
    m = Mapping()
    for name, target, names, *_ in _rows(d / "tables.csv"):
        t = Table(name, target, names.split("|"))
        if "/" in target:
            parent, t.member = target.split("/", 1)
            t.parent = m.table(parent)
        m.tables.append(t)
    for table, fld, typ, req, names in (r[:5] for r in _rows(d / "columns.csv")):
        is_list = typ.startswith("list:")
        typ = typ[5:] if is_list else typ
        base, vocab = ("word", typ[5:]) if typ.startswith("word:") else (typ, None)
        if base in ("bool", "flag"):
            vocab = "bool"
        m.columns.append(Column(m.table(table), fld, base, is_list, vocab, req == "R",
                                names.split("|")))
    m.words = [(v, w, names.split("|")) for v, w, names in (r[:3] for r in _rows(d / "words.csv"))]
    return m


def _same(a: str, b: str) -> bool:
    """ASCII letters without case, everything else exactly (as strcasecmp)."""
    return a.encode().lower() == b.encode().lower() if a.isascii() or b.isascii() else a == b


def _has(names: Iterable[str], s: str) -> bool:
    return any(_same(n, s) for n in names)


# ---- cell values --------------------------------------------------------------------

class _Bad(Exception):
    """A cell that is not of its type; the text says what was expected."""


_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]{1,2})?\Z")
_DATE = re.compile(r"([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})\Z")
_DATE_ZH = re.compile(r"([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日\Z")
_SHORTENED = "a 12-digit area code, not a number Excel shortened (format the column as text)"


def _digits(s: str) -> bool:
    return s != "" and all("0" <= c <= "9" for c in s)


def _trim(s: str) -> str:
    return s.strip(" \t\r\n")


class _Importer:
    def __init__(self, m: Mapping) -> None:
        self.m = m
        self.errors: list[str] = []
        self.count = 0
        self.records: dict[int, list[dict]] = {i: [] for i, t in enumerate(m.tables) if t.parent is None}
        self.origins: dict[int, list[tuple[str, dict, int]]] = {i: [] for i in self.records}
        self.parts: dict[int, list[tuple[tuple, Any, Optional[str], tuple]]] = {}
        self.places: list[tuple[int, int, str, tuple, int]] = []
        self.top: dict[str, Any] = {}
        self.profile_at: list[tuple[str, tuple]] = []
        self.area_names: dict[str, list[str]] = {}
        # The areas table had errors of its own: names cannot be checked against it.
        self.areas_unread = False

    def report(self, text: str) -> None:
        self.count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(text)

    # -- values

    def vocab_words(self, vocab: str) -> str:
        return ", ".join(f"{w} ({', '.join(names)})" for v, w, names in self.m.words if v == vocab)

    def word(self, vocab: str, s: str) -> Optional[str]:
        for v, w, names in self.m.words:
            if v == vocab and (_same(w, s) or _has(names, s)):
                return w
        return None

    def integer(self, s: str, what: str, lo: int, hi: int) -> int:
        d = s[1:] if s.startswith("-") else s
        if not _digits(d) or not lo <= int(s) <= hi:
            raise _Bad(what)
        return int(s)

    def area(self, s: str) -> str:
        if _digits(s) and len(s) == 12:
            return s
        if re.search("[Ee]", s) and all(c in "0123456789.Ee+" for c in s):
            raise _Bad(_SHORTENED)
        codes = self.area_names.get(s)
        if not codes and self.areas_unread:
            return s  # the areas table's own errors are reported; nothing is written
        if not codes:
            raise _Bad("a 12-digit area code (统计用区划代码), or the name of an area of the areas table")
        if len(codes) > 1:
            codes = sorted(codes)
            raise _Bad(f"one area; {len(codes)} areas have this name ({codes[0]}, {codes[1]}"
                       f"{', ...' if len(codes) > 2 else ''}): give the code")
        return codes[0]

    def one(self, c: Column, s: str) -> Any:
        b = c.base
        if b == "id":
            return self.integer(s, "a positive whole number (an id)", 1, 2**63 - 1)
        if b == "int":
            return self.integer(s, "a whole number", -(2**63) + 1, 2**63 - 1)
        if b == "year":
            return self.integer(s, "a year of four digits (1900..9999)", 1900, 9999)
        if b in ("money", "mu"):
            if _DECIMAL.match(s):
                return s
            raise _Bad("an amount in yuan: digits, then a point and one or two digits, or none (3600.00)"
                       if b == "money" else
                       "an area in mu: digits, then a point and one or two digits, or none (2.50)")
        if b == "date":
            g = _DATE.match(s)
            y, mo, d = (g.group(1), g.group(3), g.group(4)) if g else (None, None, None)
            if g is None:
                g = _DATE_ZH.match(s)
                y, mo, d = (g.group(1), g.group(2), g.group(3)) if g else (None, None, None)
            if g is None or int(y) < 1000 or not 1 <= int(mo) <= 12 or not 1 <= int(d) <= 31:
                raise _Bad("a date, YYYY-MM-DD (or YYYY/M/D, YYYY年M月D日)")
            return f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"
        if b == "code":
            if _digits(s) and len(s) == 12:
                return s
            raise _Bad(_SHORTENED if re.search("[Ee]", s) else "a 12-digit area code (统计用区划代码)")
        if b == "area":
            return self.area(s)
        if b == "text":
            return s
        w = self.word(c.vocab or "", s)
        if w is None:
            raise _Bad("one of " + self.vocab_words(c.vocab or ""))
        return w if b == "word" else w == "true"

    def value(self, c: Column, s: str) -> Any:
        if not c.list:
            return self.one(c, s)
        seps = r"[;；]" if c.base == "text" else r"[;；,，、]"
        out = []
        for item in re.split(seps, s):
            item = _trim(item)
            try:
                if item == "":
                    raise _Bad("a list without empty items")
                out.append(self.one(c, item))
            except _Bad as e:
                raise _Bad(f"a list separated by ;{'' if c.base == 'text' else ' (or , 、)'}, each {e}")
        return out

    # -- headings

    def columns_text(self, table: int, profile_keys: Optional[bool] = None) -> str:
        parts = []
        for c in self.m.columns:
            if c.table != table or (profile_keys is not None and (not c.field.startswith("@")) != profile_keys):
                continue
            parts.append(c.names[0] + (f" ({', '.join(c.names[1:])})" if len(c.names) > 1 else ""))
        return "; ".join(parts)

    def heading(self, where: str, table: int, cells: list[str]) -> list[Optional[int]]:
        profile = self.m.tables[table].name == "profile"
        of: list[Optional[int]] = []
        for h, raw in enumerate(cells):
            name = _trim(raw)
            c = None
            if name:
                c = next((i for i, col in enumerate(self.m.columns) if col.table == table and
                          (_same(col.field, name) or _has(col.names, name))), None)
                if c is not None and profile and not self.m.columns[c].field.startswith("@"):
                    c = None
                if c is None:
                    known = self.columns_text(table, False if profile else None)
                    self.report(f'{where}, column {h + 1} "{name}": unknown column; expected one of {known}')
                    c = -2
            for k in range(h):
                if c is not None and c >= 0 and of[k] == c and self.m.columns[c].base != "ignore":
                    self.report(f'{where}, column {h + 1} "{name}": the same column as column {k + 1} '
                                f'"{_trim(cells[k])}" ({self.m.columns[c].field})')
            of.append(c)
        for i, col in enumerate(self.m.columns):
            if col.table == table and col.required and i not in of:
                alt = f", or {col.names[1]}" if len(col.names) > 1 else ""
                self.report(f"{where}: missing column {col.names[0]} (a required one: {col.field}{alt})")
        return of

    # -- rows

    def row(self, where: str, table: int, of: list[Optional[int]], heads: list[str],
            cells: list[str], row: int) -> None:
        t = self.m.tables[table]
        if t.name == "profile":
            return self.profile_row(where, table, of, heads, cells, row)
        rec: dict[str, Any] = {}
        key: list[int] = []
        flags: list[str] = []
        year: Optional[str] = None
        bad = False
        for h, c in enumerate(of):
            cell = _trim(cells[h]) if h < len(cells) else ""
            if c is None or c < 0:
                if c is None and cell:
                    self.report(f"{where}, row {row}, column {h + 1}: a value under no heading")
                    bad = True
                continue
            col = self.m.columns[c]
            if col.base == "ignore":
                continue  # read nowhere: personal data never reach the scenario
            if cell == "":
                if col.required:
                    self.report(f"{where}, row {row}, column {heads[h]}: empty; a value is required")
                    bad = True
                continue
            try:
                v = self.value(col, cell)
            except _Bad as e:
                self.report(f'{where}, row {row}, column {heads[h]}: "{cell}" is not {e}')
                bad = True
                continue
            if col.field.startswith("^"):
                key.append(v)
            elif t.name == "assured" and col.base == "flag":
                if v:
                    flags.append(col.field)
            elif t.name == "assured" and col.field == "year":
                year = str(v)
            else:
                obj = rec
                *path, last = col.field.split("/")
                for p in path:
                    obj = obj.setdefault(p, {})
                obj[last] = v
        if bad:
            return
        at = (where, heads, row)
        if t.parent is not None:
            self.parts.setdefault(table, []).append((tuple(key), flags if t.name == "assured" else rec, year, at))
        else:
            self.records[table].append(rec)
            self.origins[table].append((where, heads, row))

    def profile_row(self, where: str, table: int, of: list[Optional[int]], heads: list[str],
                    cells: list[str], row: int) -> None:
        key = value = None
        value_heading = "value"
        for h, c in enumerate(of):
            if c is None or c < 0 or h >= len(cells):
                continue
            if self.m.columns[c].field == "@key":
                key = _trim(cells[h])
            elif self.m.columns[c].field == "@value":
                value, value_heading = _trim(cells[h]), heads[h]
        if not key:
            if value:
                self.report(f"{where}, row {row}: a value without a key")
            return
        col, fld = None, None
        for c in self.m.columns:
            if c.table != table or c.field.startswith("@"):
                continue
            for name in c.names:
                if len(name) > 1 and name.endswith("*"):
                    year = key[len(name) - 1:]
                    if key.startswith(name[:-1]) and _digits(year) and len(year) == 4:
                        col, fld = c, c.field[:-1] + year
                        break
                elif _same(name, key):
                    col, fld = c, c.field
                    break
            if col is not None:
                break
        if col is None or fld is None:
            self.report(f'{where}, row {row}, column key: "{key}" is not a key of the profile; '
                        f"expected one of {self.columns_text(table, True)} (YYYY: a year)")
            return
        if not value:
            self.report(f"{where}, row {row}, column {value_heading}: empty; a value is required")
            return
        try:
            v = self.value(col, value)
        except _Bad as e:
            self.report(f'{where}, row {row}, column {value_heading}: "{value}" is not {e}')
            return
        dotted = fld.replace("/", ".")
        for p, at in self.profile_at:
            if p == dotted:
                self.report(f'{where}, row {row}, column key: "{key}" is given twice (also row {at[2]})')
                return
        obj = self.top
        *path, last = fld.split("/")
        for p in path:
            obj = obj.setdefault(p, {})
        obj[last] = v
        self.profile_at.append((dotted, (where, heads, row)))

    def table_rows(self, where: str, table: int, rows: Iterable[tuple[int, list[str]]]) -> None:
        errors_before = self.count
        of: Optional[list[Optional[int]]] = None
        heads: list[str] = []
        for n, cells in rows:
            if of is None:
                of = self.heading(where, table, cells)
                heads = [_trim(c) for c in cells]
                continue
            if all(_trim(c) == "" for c in cells):
                continue
            if len(cells) > len(of) and any(_trim(c) for c in cells[len(of):]):
                self.report(f"{where}, row {n}: {len(cells)} cells, but the heading has {len(of)} columns")
                continue
            self.row(where, table, of, heads, cells, n)
        if of is None:
            self.report(f"{where}: empty; expected a heading row")
        if self.m.tables[table].name == "areas":
            self.areas_unread |= self.count > errors_before
            self.area_names = {}
            for a in self.records[table]:
                if "name" in a and "code" in a:
                    self.area_names.setdefault(a["name"], []).append(a["code"])

    # -- parts into records

    def attach(self) -> None:
        for table, parts in self.parts.items():
            t = self.m.tables[table]
            assert t.parent is not None and t.member is not None
            keys = [(c.field[1:], c.names[0]) for c in self.m.columns
                    if c.table == table and c.field.startswith("^")]
            index = {tuple(r.get(f) for f, _ in keys): i for i, r in enumerate(self.records[t.parent])}
            for key, value, year, at in parts:
                i = index.get(key)
                if i is None:
                    what = " and ".join(f"{h} {k}" for (_, h), k in zip(keys, key))
                    if len(keys) == 2:
                        self.report(f"{at[0]}, row {at[2]}: no {self.m.tables[t.parent].name} of {what} "
                                    f"in the {self.m.tables[t.parent].name} table")
                    else:
                        self.report(f"{at[0]}, row {at[2]}: no {what} in the {self.m.tables[t.parent].name} table")
                    continue
                rec = self.records[t.parent][i]
                if year is not None:
                    holder = rec.setdefault(t.member, {})
                    if year in holder:
                        self.report(f"{at[0]}, row {at[2]}: a second row for household {key[0]} in {year}")
                        continue
                    holder[year] = value
                    self.places.append((t.parent, i, f"{t.member}.{year}", at, table))
                else:
                    holder = rec.setdefault(t.member, [])
                    self.places.append((t.parent, i, f"{t.member}[{len(holder)}]", at, table))
                    holder.append(value)

    # -- the text, as vipa import writes it

    def text(self) -> str:
        out = ['{\n  "vipa": 1']
        for k in ("as_of", "profile"):
            if k in self.top:
                out.append(f',\n  "{k}": {json.dumps(self.top[k], ensure_ascii=False)}')
        for i, t in enumerate(self.m.tables):
            recs = self.records.get(i)
            if not recs:
                continue
            out.append(f',\n  "{t.target}": [')
            out.append(",".join("\n    " + json.dumps(r, ensure_ascii=False) for r in recs))
            out.append("\n  ]")
        out.append("\n}\n")
        return "".join(out)

    # -- the library's message, back to the cell

    def cell_message(self, at: tuple, table: int, sub: str, message: str) -> str:
        where, heads, row = at
        f = re.split(r"[\[:]", sub, 1)[0].replace(".", "/")
        cols = [(i, c) for i, c in enumerate(self.m.columns) if c.table == table]
        hit = next((i for i, c in cols if c.field == f), None) if f else None
        if hit is None and f:
            hit = next((i for i, c in cols if c.field.startswith(f + "/")), None)
        if hit is None:
            return f"{where}, row {row}: {message}"
        col = self.m.columns[hit]
        name = next((h for h in heads if _same(col.field, h) or _has(col.names, h)), col.field)
        return f"{where}, row {row}, column {name}: {message}"

    def map_message(self, err: str) -> str:
        if ": " not in err:
            return err
        path, message = err.split(": ", 1)
        for p, at in self.profile_at:
            if path == p or path.startswith(p + ".") or path.startswith(p + "["):
                return f"{at[0]}, row {at[2]}, column value: {message}"
        g = re.match(r"([a-z_]+)\[([0-9]+)\](?: \([^)]*\))?\.?(.*)\Z", path)
        if not g:
            return err
        kind, index, sub = g.group(1), int(g.group(2)), g.group(3)
        table = next((i for i, t in enumerate(self.m.tables) if t.parent is None and t.target == kind), None)
        if table is None or index >= len(self.records[table]):
            return err
        if sub == "" and message.startswith("field "):
            rest = message[6:]
            n = len(re.split(r"[: ]", rest, 1)[0])
            sub = rest[:n]
            message = rest[n + 1:].lstrip(" ") if rest[n:n + 1] == ":" else rest
        for parent, i, ppath, at, ptable in self.places:
            if parent == table and i == index and sub.startswith(ppath) and sub[len(ppath):len(ppath) + 1] in ("", ".", "["):
                inner = sub[len(ppath):].lstrip(".")
                return self.cell_message(at, ptable, "" if inner.startswith("[") else inner, message)
        return self.cell_message(self.origins[table][index], table, sub, message)


# ---- inputs -------------------------------------------------------------------------

def _table_of(m: Mapping, name: str) -> Optional[int]:
    return next((i for i, t in enumerate(m.tables) if _has(t.names, name)), None)


def _table_names(m: Mapping) -> str:
    return ", ".join(f"{t.names[0]}.csv ({(t.names[1] if len(t.names) > 1 else t.names[0])}.csv)"
                     for t in m.tables)


def _cell_text(v: Any) -> str:
    """A workbook cell as the text a CSV file would hold."""
    if v is None:
        return ""
    if v is True or v is False:
        return "true" if v else "false"
    if isinstance(v, datetime):
        return v.date().isoformat() if (v.hour, v.minute, v.second) == (0, 0, 0) else v.isoformat(" ")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    return str(v)


def _csv_text(imp: _Importer, path: str) -> Optional[str]:
    with open(path, "rb") as f:
        data = f.read()
    skip = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        imp.report(f'{path}: UTF-16 text (Excel\'s "Unicode text"); save it as "CSV UTF-8"')
        return None
    if b"\0" in data:
        imp.report(f"{path}: a NUL byte; not a text file")
        return None
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as e:
        try:
            data.decode("gb18030")
            imp.report(f'{path}: not UTF-8 but GB18030 (GBK), as Excel saves "CSV (逗号分隔)" in China; '
                       f'save it as "CSV UTF-8 (逗号分隔)", or convert it: iconv -f GB18030 -t UTF-8')
        except UnicodeDecodeError:
            imp.report(f'{path}: not UTF-8 (byte {e.start + skip + 1}); save it as "CSV UTF-8"')
        return None


class _NotCsv(Exception):
    """A quote out of place at row ``args[0]``."""


def _csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """Rows numbered as a spreadsheet shows them (a blank line is a row)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    n = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise _NotCsv(n + 1) from None
        n += 1
        yield n, cells


def _sources(imp: _Importer, paths: Sequence[str]) -> list[tuple[int, str, Any]]:
    """(table, where, rows) of every input, in the mapping's order."""
    m = imp.m
    found: list[tuple[int, str, Any]] = []
    files: list[str] = []
    for p in paths:
        if os.path.isdir(p):
            names = sorted(n for n in os.listdir(p) if n.lower().endswith(".csv") and
                           not n.startswith((".", "~$")) and len(n) >= 5)
            if not names:
                imp.report(f"{p}: no .csv file in the directory")
            files += [os.path.join(p, n) for n in names]
        elif p.lower().endswith((".xlsx", ".xlsm")):
            import openpyxl  # Debian python3-openpyxl; only the workbook path needs it
            book = openpyxl.load_workbook(p, read_only=True, data_only=True)
            for sheet in book.worksheets:
                t = _table_of(m, sheet.title.strip())
                if t is None:
                    imp.report(f'{p}, sheet {sheet.title}: not a table of a scenario; the sheet names are '
                               + _table_names(m).replace(".csv", ""))
                    continue
                rows = [(i + 1, [_cell_text(v) for v in r]) for i, r in enumerate(sheet.iter_rows(values_only=True))]
                found.append((t, f"{p}, sheet {sheet.title}", rows))
        else:
            files.append(p)
    for f in files:
        base = os.path.basename(f)
        t = _table_of(m, base[:-4]) if base.lower().endswith(".csv") and len(base) > 4 else None
        if t is None:
            imp.report(f"{f}: not a table of a scenario; the file names are {_table_names(m)}")
            continue
        text = _csv_text(imp, f)
        if text is not None:
            found.append((t, f, text))
        elif m.tables[t].name == "areas":
            imp.areas_unread = True
    seen: dict[int, str] = {}
    out = []
    for t, where, rows in found:
        if t in seen:
            imp.report(f"{where}: the {m.tables[t].name} table again (also {seen[t]})")
            continue
        seen[t] = where
        out.append((t, where, rows))
    out.sort(key=lambda x: x[0])
    return out


def import_tables(paths: Sequence[str], *, check: bool = True, mapping: Optional[Mapping] = None) -> str:
    """The scenario JSON of the tables at @p paths (a workbook, a directory of CSV files or
    CSV files), checked by loading it with libvipa when @p check. Raises ImportErrors."""
    imp = _Importer(mapping or load_mapping())
    for table, where, rows in _sources(imp, paths):
        if isinstance(rows, str):
            try:
                imp.table_rows(where, table, list(_csv_rows(rows)))
            except _NotCsv as e:
                imp.report(f'{where}, row {e.args[0]}: a quote out of place (in CSV a quoted cell\'s '
                           f'quotes are doubled: "")')
        else:
            imp.table_rows(where, table, rows)
    if imp.count == 0:
        imp.attach()
    if imp.count:
        raise ImportErrors(imp.errors, imp.count)
    text = imp.text()
    if check:
        from .context import Context
        from .errors import Error
        try:
            Context.from_scenario(text.encode("utf-8"))
        except Error as e:
            raise ImportErrors([imp.map_message(e.message)], 1) from None
    return text


# ---- the command --------------------------------------------------------------------

USAGE = """usage: python3 -m vipa import BOOK.xlsx | DIR | FILE.csv... [-o OUT]

Turns a workbook (one sheet per record kind: households or 贫困户, areas, agreements, ...)
or CSV files into a scenario JSON, as `vipa import` does for CSV; the sheets, columns,
words and codes are those of docs/import.md. Every bad cell is reported as sheet, row,
column and what was expected, and then nothing is written (exit status 2).

  -o, --output OUT  write the scenario to OUT (whole, or not at all); default: stdout
  -h, --help        show this help
"""


def _write_whole(path: str, text: str) -> None:
    d = os.path.dirname(os.path.abspath(path))
    tmp = os.path.join(d, f".{os.path.basename(path)}.vipa-tmp.{os.getpid()}")
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def main(argv: Sequence[str]) -> int:
    out: Optional[str] = None
    paths: list[str] = []
    args = list(argv)
    i = 0
    while i < len(args):
        a = args[i]
        if a in ("-h", "--help"):
            sys.stdout.write(USAGE)
            return 0
        if a in ("-o", "--output"):
            if i + 1 >= len(args):
                sys.stderr.write(f"vipa import: option needs a value: '{a}'\n")
                return 2
            out = args[i + 1]
            i += 2
            continue
        if a.startswith(("-o=", "--output=")):
            out = a.split("=", 1)[1]
        elif a.startswith("-") and a != "-":
            sys.stderr.write(f"vipa import: unknown option: '{a}' (see 'python3 -m vipa import --help')\n")
            return 2
        else:
            paths.append(a)
        i += 1
    if not paths:
        sys.stderr.write("vipa import: missing a workbook, a directory or CSV files\n")
        return 2
    try:
        text = import_tables(paths)
    except ImportErrors as e:
        for line in e.errors:
            sys.stderr.write(f"vipa import: {line}\n")
        if e.count > len(e.errors):
            sys.stderr.write(f"vipa import: ... and {e.count - len(e.errors)} more errors "
                             f"(the first {MAX_ERRORS} are shown)\n")
        sys.stderr.write(f"vipa import: {e.count} error{'' if e.count == 1 else 's'}; nothing written\n")
        return 2
    except OSError as e:
        sys.stderr.write(f"vipa import: {e}\n")
        return 2
    if out is None or out == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        _write_whole(out, text)
    return 0
