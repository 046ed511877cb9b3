"""What if the rule changed: the same records run under two profiles (vipa/compare.h).

``vipa.compare(ctx, reform)`` runs a context and a reform of it — a fork whose parameters
changed (``Context.fork()``), or a reform file, JSON text or dict that ``compare()`` loads
into a fork it makes — and pairs the rows of every table of the report by key
(``vipa_compare()``). The ``Comparison`` lists the rows that differ, keeps both results
(``baseline``, ``reform``: every ``Result`` view and explanation works on them), and
writes the comparison JSON (docs/scenario.md, "The comparison")::

    with vipa.Context.from_scenario("examples/shangluo-sample.json") as ctx:
        cmp = vipa.compare(ctx, set={"equity.poor_share_bp": 8000})
        cmp.totals["equity"]["households"]     # [baseline, reform, difference], Decimal
        for before, after in cmp.changes("allocations"):
            print(before.holder, before.amount, "->", after.amount)

**Lifetime**: a comparison reads both contexts, so it is one of their results: changing
or closing either context closes it (and the fork ``compare()`` made for it), as it
closes a ``Result``; using it afterwards raises ``vipa.StateError``. The contexts
compared are a context and itself or another of its family (its forks, its parent,
forks of either), which share one lock: every call on a comparison is made holding it.
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import weakref
from ctypes import byref
from dataclasses import fields as dataclass_fields
from decimal import Decimal
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Callable, Optional, Union

from . import enums, errors, structs, views
from . import _lib
from ._lib import Borrowed, ComparisonP, Owned, lib
from .result import Result

if TYPE_CHECKING:  # pragma: no cover
    from .context import Context, Reform

__all__ = ["compare", "Comparison", "Change", "TABLES"]

_NO_ROW = structs.NO_ROW

#: Every table a comparison pairs rows of, as ``vipa_table_name()`` spells it, in the
#: order of ``vipa_table`` ("signers", "allocations", ..., "findings").
TABLES: tuple[str, ...] = tuple(lib.vipa_table_name(t) for t in enums.Table if t)

#: The row type of each table: what ``Result`` gives for one of its rows.
_ROW_TYPES: dict[str, type] = {
    "signers": views.Signer, "allocations": views.EquityAllocation,
    "households": views.HouseholdExit, "entities": views.EntityResult,
    "disclosure": views.Disclosure, "year_households": views.HouseholdYear,
    "year_dividends": views.DividendYear, "year_obligations": views.Obligation,
    "year_coverage": views.Coverage, "year_evaluations": views.EvaluationResult,
    "findings": views.Finding,
}

#: For a year table, the list of ``vipa.Year`` that holds its rows.
_YEAR_LISTS = {"year_households": "households", "year_dividends": "dividends",
               "year_obligations": "obligations", "year_coverage": "coverage",
               "year_evaluations": "evaluations"}

_TableLike = Union[str, int, enums.Table]


def _table(table: _TableLike) -> tuple[int, str]:
    """(value, name) of a table given by name (``"allocations"``), ``vipa.enums.Table``
    or number; ``vipa.InvalidArgument`` for anything else."""
    if isinstance(table, str):
        if table in TABLES:
            return TABLES.index(table) + 1, table
    elif isinstance(table, int) and not isinstance(table, bool):
        if 1 <= table <= len(TABLES):
            return int(table), TABLES[table - 1]
    else:
        raise TypeError(f"a table is a name such as 'allocations' or a vipa.enums.Table, "
                        f"not {type(table).__name__}")
    raise errors.InvalidArgument(f"unknown table {table!r}; expected one of "
                                 f"{', '.join(TABLES)}", code=-1, name="VIPA_E_INVALID")


class Change(tuple):
    """One row that differs: ``(baseline_row, reform_row)``, ``None`` on the side
    without the row (an allocation to a holder only one run has, a finding that
    appears). ``year`` is the year of a ``year_*`` table's row (``None`` otherwise), which
    its rows do not carry themselves. Compares equal to the plain 2-tuple."""

    year: Optional[int]

    def __new__(cls, baseline: Any, reform: Any, year: Optional[int] = None) -> "Change":
        change = super().__new__(cls, (baseline, reform))
        change.year = year
        return change

    @property
    def baseline(self) -> Any:
        return self[0]

    @property
    def reform(self) -> Any:
        return self[1]

    def __getnewargs__(self) -> tuple:  # copy and pickle
        return (self[0], self[1], self.year)

    def swapped(self) -> "Change":
        """The same change seen from the other side: ``(reform_row, baseline_row)``."""
        return Change(self[1], self[0], self.year)

    def __repr__(self) -> str:
        year = "" if self.year is None else f", year={self.year}"
        return f"Change({self[0]!r}, {self[1]!r}{year})"


# ---- money in the comparison JSON ---------------------------------------------------------

#: Keys whose values are money (two-decimal yuan text) wherever they appear: in the rows
#: (the report's: ``amount``, ``income``, ``line``, ``due``, ``paid``, ``equity``) and in
#: the totals (``[baseline, reform, difference]`` lists).
_MONEY_KEYS = frozenset({"amount", "income", "line", "due", "paid", "obligations_due",
                         "obligations_paid", "dividends_due", "dividends_paid"})
_MONEY_TEXT = re.compile(r"-?[0-9]+\.[0-9]{2}")


def _as_money(value: Any) -> Any:
    """Money text (``"-10000.00"``) as ``Decimal``, in lists and dicts too; ``None`` and
    anything that is not money text stays as it is."""
    if isinstance(value, str) and _MONEY_TEXT.fullmatch(value):
        return Decimal(value)
    if isinstance(value, list):
        return [_as_money(v) for v in value]
    if isinstance(value, dict):
        return {k: _as_money(v) for k, v in value.items()}
    return value


def _with_decimals(node: Any, key: Optional[str] = None) -> Any:
    """The parsed comparison JSON with its money as ``Decimal``: the values of the money
    keys, of ``equity`` (a disclosure row's money; the totals' three kinds of holder,
    三(二)) and of ``poverty_line.<year>`` parameters. Texts such as a finding's
    ``expected``/``actual`` stay text."""
    if key is not None and (key in _MONEY_KEYS or key == "equity"
                            or key.startswith("poverty_line.")):
        return _as_money(node)
    if isinstance(node, dict):
        return {k: _with_decimals(v, k) for k, v in node.items()}
    if isinstance(node, list):
        return [_with_decimals(v) for v in node]
    return node


# ---- the comparison ---------------------------------------------------------------------

class _ComparisonOwned(Owned):
    """The Owned of a ``vipa_comparison``: a child of the baseline context's tree, and
    also of the reform context's and of the context the reform fork was made from (any
    of them changing or closing closes it). Closing it frees the comparison, then the
    fork ``compare()`` made for it, if any."""

    __slots__ = ("others", "fork")

    def __init__(self, ptr: Any, parent: Owned) -> None:
        super().__init__(ptr, lib.vipa_comparison_free, parent=parent)
        self.others: list[Owned] = []
        self.fork: Optional["Context"] = None

    def also_child_of(self, owner: Owned) -> None:
        if owner is not self.parent and owner not in self.others:
            owner.children[id(self)] = self
            self.others.append(owner)

    def close(self) -> None:
        if self.ptr is None:
            return
        try:
            super().close()  # the results' views, then vipa_comparison_free()
        finally:
            for owner in self.others:
                owner.children.pop(id(self), None)
            self.others = []
            fork, self.fork = self.fork, None
            if fork is not None:  # after the comparison, whose reform result reads it
                fork._comparison_owner = None
                fork._close()


def _not_freed(ptr: Any) -> None:
    """The free function of a result a comparison owns: vipa_comparison_free() frees it."""


class _ComparedResult(Result):
    """A result of a comparison: keeps the comparison alive while it is referenced."""

    __slots__ = ("_comparison",)
    _closed_message = ("this Result is closed: its comparison was closed, or a Context "
                       "compared was changed or closed; call vipa.compare() again")


class Comparison(Borrowed):
    """Two runs of the same records and every row that differs (``vipa_compare()``):
    made by ``vipa.compare()``. Use as a context manager or ``close()`` it to free it
    early (the comparison, both results and the fork ``compare()`` made); changing or
    closing a context compared closes it."""

    _closed_message = ("this Comparison is closed: it was closed, or a Context compared was "
                       "changed or closed; call vipa.compare() again")

    def __init__(self, baseline: "Context", reform: "Context", owned: _ComparisonOwned) -> None:
        self._context = baseline
        self._reform_context = reform
        self._owned = owned
        self._cache: dict[str, Any] = {}
        # the results handed out, held weakly: each holds the comparison (so it stays
        # valid while referenced), and a strong reference back would make a cycle that
        # keeps both runs' memory until the garbage collector runs
        self._sides: list[Optional[weakref.ref]] = [None, None]

    @property
    def baseline(self) -> Result:
        """The baseline's result: every view and explanation of ``vipa.Result``. It keeps
        the comparison alive while it is referenced."""
        return self._side(0)

    @property
    def reform(self) -> Result:
        """The reform's result; its ``context`` is the reform context (the fork
        ``compare()`` made, when it made one), whose parameters ``get_param()`` reads."""
        return self._side(1)

    def _side(self, side: int) -> Result:
        with self._context._lock:
            ref = self._sides[side]
            result = ref() if ref is not None else None
            if result is None or result.closed:
                ptr = lib.vipa_comparison_result(self._ptr(), side)
                context = self._reform_context if side else self._context
                result = _ComparedResult(context, Owned(ptr, _not_freed, parent=self._owned))
                object.__setattr__(result, "_comparison", self)
                self._sides[side] = weakref.ref(result)
            return result

    # ---- lifetime: closed, close(), with, the finaliser and _ptr() are Borrowed's ----

    def __repr__(self) -> str:
        with self._context._lock:
            if self._owned.ptr is None:
                return "<vipa.Comparison closed>"
            counts = {t: self.change_count(t) for t in TABLES}
        changed = ", ".join(f"{t}={n}" for t, n in counts.items() if n) or "no change"
        return f"<vipa.Comparison {changed}>"

    # ---- the changes ------------------------------------------------------------------

    def change_count(self, table: _TableLike) -> int:
        """How many rows of ``table`` differ (``vipa_comparison_change_count()``); the
        table by its name (``"allocations"``, ``"year_obligations"``: ``vipa.TABLES``)."""
        value, _ = _table(table)
        with self._context._lock:
            return lib.vipa_comparison_change_count(self._ptr(), value)

    def changes(self, table: _TableLike) -> list[Change]:
        """Every row of ``table`` that differs, in the table's key order (for a year
        table, by year, then key): ``(baseline_row, reform_row)`` pairs, ``None`` on the
        side without the row, each row as ``Result`` gives it (``vipa.EquityAllocation``
        for ``"allocations"``, ``vipa.HouseholdYear`` for ``"year_households"``...). A
        pair's ``year`` is its year for a year table."""
        value, name = _table(table)
        change = structs.Change.new()
        out: list[Change] = []
        with self._context._lock:
            ptr = self._ptr()
            sides = (_Rows(self.baseline, name), _Rows(self.reform, name))
            for i in range(lib.vipa_comparison_change_count(ptr, value)):
                lib.vipa_comparison_change(byref(change), ptr, value, i)
                rows = [None if change.row[s] == _NO_ROW else
                        sides[s].row(change.year_index[s], change.row[s]) for s in (0, 1)]
                out.append(Change(rows[0], rows[1], change.year if name in _YEAR_LISTS
                                  else None))
        return out

    @property
    def change_counts(self) -> dict[str, int]:
        """``{table: count}`` for every table, as the JSON's ``totals.changes``."""
        with self._context._lock:
            return {t: self.change_count(t) for t in TABLES}

    # ---- the comparison JSON ----------------------------------------------------------

    def to_json(self, pretty: bool = False, summary: bool = False) -> str:
        """The comparison JSON (``vipa_comparison_json()``; docs/scenario.md, "The
        comparison"): the stamps, the parameters that differ, the totals as
        ``[baseline, reform, difference]`` and every change as ``[baseline row, reform
        row]``; ``pretty=True`` gives what ``vipa compare --json`` prints.
        ``summary=True`` leaves every list of changes empty (``VIPA_COMPARISON_SUMMARY``):
        the parameters and totals of a province in a few kilobytes."""
        flags = (enums.DEFINES["VIPA_REPORT_PRETTY"] if pretty else 0) | \
            (enums.DEFINES["VIPA_COMPARISON_SUMMARY"] if summary else 0)
        text = ctypes.POINTER(ctypes.c_char)()
        length = ctypes.c_size_t()
        with self._context._lock:
            lib.vipa_comparison_json(byref(text), byref(length), self._ptr(), flags)
        try:
            return ctypes.string_at(text, length.value).decode("utf-8")
        finally:
            lib.vipa_free(text)

    def change_json(self, table: _TableLike, i: int) -> str:
        """Change ``i`` of ``table`` as the comparison JSON writes it, on one line:
        ``[baseline row, reform row]`` (``vipa_comparison_change_json()``), for reading a
        province's changes one at a time. Raises IndexError out of range."""
        value, _ = _table(table)
        if not isinstance(i, int) or isinstance(i, bool):
            raise TypeError(f"change index: expected an int, got {type(i).__name__}")
        if i < 0 or i >= self.change_count(table):
            raise IndexError(f"change {i} of {self.change_count(table)}")
        text = ctypes.POINTER(ctypes.c_char)()
        length = ctypes.c_size_t()
        with self._context._lock:
            lib.vipa_comparison_change_json(byref(text), byref(length), self._ptr(), value, i, 0)
        try:
            return ctypes.string_at(text, length.value).decode("utf-8")
        finally:
            lib.vipa_free(text)

    def write_json(self, out: Union[str, os.PathLike, Any], pretty: bool = False) -> None:
        """Writes the comparison JSON (``vipa_comparison_write()``) to a path, or to
        anything with ``write(bytes)``, a block at a time: the same bytes as
        ``to_json(pretty).encode()``. An exception of ``out.write`` stops the writing
        and is raised here."""
        if isinstance(out, (str, os.PathLike)):
            with open(out, "wb") as f:
                self.write_json(f, pretty)
            return
        def call(callback: Any) -> None:
            with self._context._lock:
                lib.vipa_comparison_write(self._ptr(),
                                          enums.DEFINES["VIPA_REPORT_PRETTY"] if pretty else 0,
                                          callback, None)

        _lib.write_through(out, call)

    @property
    def data(self) -> dict:
        """The comparison JSON as Python data, money as ``Decimal`` (rows' ``amount``,
        ``income``, ``line``, ``due``, ``paid``, ``equity``; the money totals; the
        ``poverty_line.<year>`` parameters); built once."""
        with self._context._lock:
            self._ptr()
            if "data" not in self._cache:
                self._cache["data"] = _with_decimals(json.loads(self.to_json()))
            return self._cache["data"]

    @property
    def params(self) -> dict:
        """The parameters that differ: ``{key: [baseline, reform]}``, such as
        ``"equity.poor_share_bp": [7000, 8000]``."""
        return self.data["params"]

    @property
    def totals(self) -> dict:
        """The totals of both runs, each ``[baseline, reform, difference]``: ``changes``
        per table, ``equity`` per kind of holder (三(二), ``EQUITY_POOR_SHARE``), per year
        ``income``, ``meeting_standard``, ``exits`` (四(二)), obligations (四(四)) and
        dividends (二(三)) due and paid, evaluation ``outcomes`` (四(五)), and entities
        ``disqualified`` (四(五))."""
        return self.data["totals"]

    # ---- pandas -------------------------------------------------------------------------

    def to_frames(self) -> dict[str, Any]:
        """One ``pandas.DataFrame`` per table, ``{table: frame}``, a row per change:
        ``year`` first for a year table, then each field of the row type as
        ``baseline_<field>`` and ``reform_<field>`` (a holder or subject as
        ``<field>_kind`` and ``<field>_id``), ``None`` on the side without the row. Money
        stays ``Decimal`` (object columns): exact, as everywhere in these bindings.

        Needs pandas (Debian: python3-pandas), imported only here."""
        try:
            import pandas
        except ImportError as e:
            raise ImportError("Comparison.to_frames() needs pandas (Debian: apt-get install "
                              "python3-pandas); the rest of vipa works without it") from e
        frames = {}
        for name in TABLES:
            columns = _columns(_ROW_TYPES[name])
            header = (["year"] if name in _YEAR_LISTS else []) + \
                [f"{side}_{c}" for side in ("baseline", "reform") for c, _ in columns]
            records = []
            for change in self.changes(name):
                record = [change.year] if name in _YEAR_LISTS else []
                for row in change:
                    record += [None if row is None else get(row) for _, get in columns]
                records.append(record)
            frames[name] = _typed(pandas, pandas.DataFrame(records, columns=header,
                                                           dtype=object))
        return frames


def _typed(pandas: Any, frame: Any) -> Any:
    """Integer columns as pandas' nullable ``Int64`` and flag columns as ``boolean``, so
    that a side without a row (``None``) makes no int a float; the rest (money as
    ``Decimal``, dates, words, tuples) stays as Python objects."""
    low, high = -(1 << 63), (1 << 63) - 1
    for column in frame.columns:
        values = [v for v in frame[column] if v is not None]
        if values and all(isinstance(v, bool) for v in values):
            frame[column] = frame[column].astype("boolean")
        elif values and all(isinstance(v, int) and not isinstance(v, bool)
                            and low <= v <= high for v in values):
            frame[column] = frame[column].astype("Int64")
    return frame


def _columns(row_type: type) -> list[tuple[str, Callable[[Any], Any]]]:
    """(column, getter) of a row type's fields, a holder or subject as its kind and id."""
    out: list[tuple[str, Callable[[Any], Any]]] = []
    for field in dataclass_fields(row_type):
        name = field.name
        if name in ("holder", "subject"):
            out.append((f"{name}_kind", lambda r, n=name: _part(getattr(r, n), "kind")))
            out.append((f"{name}_id", lambda r, n=name: _part(getattr(r, n), "id")))
        else:
            out.append((name, lambda r, n=name: getattr(r, n)))
    return out


def _part(value: Any, attribute: str) -> Any:
    return None if value is None else getattr(value, attribute)


class _Rows:
    """The rows of one table of one result, read from its (cached) views."""

    def __init__(self, result: Result, table: str) -> None:
        self._result = result
        self._table = table
        self._years: Optional[tuple] = None

    def row(self, year_index: int, row: int) -> Any:
        if self._table in _YEAR_LISTS:
            if self._years is None:
                self._years = self._result.years
            return getattr(self._years[year_index], _YEAR_LISTS[self._table])[row]
        return getattr(self._result, self._table)[row]


# ---- compare() ---------------------------------------------------------------------------

def compare(ctx: "Context", reform: Union["Context", "Reform", None] = None, *,
            set: Optional[Mapping[str, Any]] = None) -> Comparison:  # noqa: A002 - as --set
    """Runs ``ctx`` and a reform of it and pairs the rows of every table of the two
    reports (``vipa_compare()``; ``vipa compare``).

    ``reform`` is

    - ``None``: a fork of ``ctx`` (with ``set``, the parameters it changes);
    - a ``Context``: ``ctx`` itself or one of its family — usually ``ctx.fork()`` with
      its parameters changed (the records are the same; rows pair by their ids);
    - a reform file's path, its JSON text (``str``/``bytes``) or a dict of its shape
      (``{"vipa": 1, "params": {"equity.poor_share_bp": 8000}}``, docs/scenario.md
      "Reforms"), loaded into a fork of ``ctx`` (``Context.load_reform()``).

    ``set`` maps parameters to values (``{"equity.poor_share_bp": 8000}``; the forms of
    ``Context.set_params()``), applied after the reform file, as ``vipa compare --set``
    — to a fork of the reform context when ``reform`` is a ``Context``, which is left
    as it is. The fork ``compare()`` makes belongs to the comparison and is freed with
    it. Nothing is changed when a parameter or the reform is refused: the library's
    error names the parameter, or the reform's JSON path.

    The comparison of a context with itself, or with a fork whose parameters are the
    same, has no change; swapping ``ctx`` and ``reform`` gives the same pairs, each the
    other way round.
    """
    from .context import Context, _scenario_bytes
    if not isinstance(ctx, Context):
        raise TypeError(f"compare() compares a vipa.Context, not {type(ctx).__name__}")
    if set is not None and not isinstance(set, Mapping):
        raise TypeError(f"set is a mapping of parameter to value, such as "
                        f"{{'equity.poor_share_bp': 8000}}, not {type(set).__name__}")
    if isinstance(reform, Context) and reform._lock is not ctx._lock:
        raise errors.InvalidArgument(
            "compare(): the reform Context is not of the baseline's family: compare a "
            "Context with itself, its forks (Context.fork()), its parent or their forks",
            code=-1, name="VIPA_E_INVALID")
    # a reform file is read, or a dict written, before anything is made
    text = None if reform is None or isinstance(reform, Context) else \
        _scenario_bytes(reform, "reform")
    with ctx._lock:  # the family's: the forks made here cannot be closed under us
        forked_from = reform if isinstance(reform, Context) else ctx
        fork = None
        if not isinstance(reform, Context) or set:
            fork = forked_from.fork()
        try:
            if fork is not None:
                if text is not None:
                    fork.load_reform(text)
                if set:
                    fork.set_params(set)
            target = fork if fork is not None else reform
            assert isinstance(target, Context)
            out = ComparisonP()
            lib.vipa_compare(byref(out), ctx._ptr(), target._ptr(), None)
        except BaseException:
            if fork is not None:
                fork.close()
            raise
        owned = _ComparisonOwned(out, ctx._owned)  # type: ignore[arg-type]
        owned.also_child_of(target._owned)  # type: ignore[arg-type]
        if fork is not None:  # the comparison owns its fork and closes it
            owned.also_child_of(forked_from._owned)  # type: ignore[arg-type]
            fork._comparison_owner = owned
            fork._owned.internal = True  # type: ignore[union-attr]
            owned.fork = fork
        return Comparison(ctx, target, owned)
