"""The context (vipa/registry.h): one plan's data set, its profile and its records.

A ``Context`` owns a ``vipa_ctx``. Records are added one at a time from keyword
arguments or a dict (``add_household(id=1001, village="611002100201", ...)``), or in
batches (``add_households(rows)``) — each batch is **one** call of the library's batch
function, all or none: on failure the context is exactly as before and the exception
carries the library's message naming the record, the field and what was expected.

Changing the context (adding records, setting parameters) first closes the results and
ledgers computed from it, which the library requires (vipa/run.h); using one of them
afterwards raises ``vipa.StateError``.

**Forks** (``Context.fork()``, ``vipa_ctx_fork()``): a fork reads its parent's records in
place and has a profile of its own, so a reform is a fork whose parameters changed
(``set_param()``, ``set_params()``, ``load_reform()``). While a fork is alive its parent
cannot change (``vipa.StateError``, nothing closed or changed), and the fork's records
cannot change at all. A fork keeps its parent alive; ``close()`` of a parent with live
forks closes its results at once and makes it unusable, but frees the C context only
when its last fork is closed (the library requires forks to be freed first). A context
and its forks share one lock: their calls are serialised together, which lets a
comparison (``vipa.compare()``) of a context and its fork hold both safely.

A context is safe to share between threads: its calls are serialised by a lock
(docs/threading.md asks for exclusive access to a ``vipa_ctx *``), the same lock every
call on its results, ledgers, findings and explanations takes, checking under it that
the object is still open (a thread that changes or closes the context frees them).
A ``run()``'s ``progress`` callback runs holding that lock and may read results and
ledgers, but not use the context being run (``vipa.StateError``).
"""

from __future__ import annotations

import ctypes
import datetime
import json
import os
import stat
from ctypes import byref
from decimal import Decimal
from collections.abc import Iterable, Mapping
from typing import Any, Callable, Optional, Union

from . import _lib, codes, enums, errors, money, views
from .batch import to_array
from ._lib import CtxP, FindingsP, LedgerP, Owned, ResultP, check_int, check_text, lib
from .codes import DateLike
from .ledger import Ledger
from .result import Result
from .structs import CtxOptions, ProgressFn, RunOptions

__all__ = ["Context", "Scenario"]

#: What ``Context.from_scenario()`` accepts: a path, a dict, or JSON text.
Scenario = Union[str, bytes, os.PathLike, Mapping]
#: What ``Context.load_reform()`` accepts: a path, a dict, or JSON text (a reform file,
#: docs/scenario.md "Reforms": ``{"vipa": 1, "params": {...}}``).
Reform = Union[str, bytes, os.PathLike, Mapping]

ParamValue = Union[int, bool, str, Decimal]

_PARAM_KEYS = ("equity.poor_share_bp, equity.allocation, equity.remainder_holder, "
               "exit.require_guarantees, poverty_line.<year>")


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return money.fen_text(money.to_fen(value))
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot be written in a scenario")


def _refuse_floats(value: Any, path: str = "") -> None:
    """Scenario money must be exact: a float anywhere is refused with its JSON path."""
    if isinstance(value, float):
        raise TypeError(f"{path or 'scenario'}: {value!r} is a float; scenario values are "
                        f"exact: write money as a str ('3600.50') or a Decimal, counts as ints")
    if isinstance(value, Mapping):
        for key, item in value.items():
            _refuse_floats(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, (list, tuple)):
        for k, item in enumerate(value):
            _refuse_floats(item, f"{path}[{k}]")


def _scenario_bytes(scenario: Scenario, what: str = "scenario") -> bytes:
    """The JSON text of a scenario (or, ``what="reform"``, of a reform file): a dict
    written as JSON (floats refused), text as it is, or a path's file read."""
    if isinstance(scenario, Mapping):
        _refuse_floats(scenario)
        return json.dumps(scenario, ensure_ascii=False, default=_json_default).encode("utf-8")
    if isinstance(scenario, bytes):
        return scenario
    if isinstance(scenario, str) and scenario.lstrip().startswith("{"):
        return scenario.encode("utf-8")
    if isinstance(scenario, (str, os.PathLike)):
        if "\0" in os.fsdecode(scenario):
            raise errors.InvalidArgument(f"{what}: the path {os.fspath(scenario)!r} contains "
                                         f"a NUL character", code=-1, name="VIPA_E_INVALID")
        try:
            with open(scenario, "rb") as f:
                return f.read()
        except OSError as e:
            raise errors.IOError_(f"cannot read the {what} {os.fspath(scenario)!r}: "
                                  f"{e.strerror or e}", code=-10, name="VIPA_E_IO") from e
    raise TypeError(f"a {what} is a path, a dict, or JSON text (str or bytes), not "
                    f"{type(scenario).__name__}")


def _regular_file(scenario: Scenario) -> Optional[bytes]:
    """The path as the file system's bytes when the scenario names a regular file; None
    for anything else (text, a dict, a pipe, a missing file: _scenario_bytes tells)."""
    if isinstance(scenario, str) and scenario.lstrip().startswith("{"):
        return None
    if not isinstance(scenario, (str, os.PathLike)) or "\0" in os.fsdecode(scenario):
        return None
    try:
        return os.fsencode(scenario) if stat.S_ISREG(os.stat(scenario).st_mode) else None
    except OSError:
        return None


def _is_day(value: int) -> bool:
    """Whether a YYYYMMDD int is a real day of 1900..9999 (checked in Python, so that no
    value outside the C ``int32`` reaches ctypes)."""
    year, month, day = value // 10000, value // 100 % 100, value % 100
    if not 1900 <= year <= 9999:
        return False
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


class Context:
    """One data set: a profile with its parameters, and every record of the plan.

    >>> with vipa.Context() as ctx:                                  # doctest: +SKIP
    ...     ctx.add_area(code="611002000000", name="商州区", level="county")
    """

    def __init__(self, profile: Optional[str] = None) -> None:
        """Creates an empty context with a built-in profile (``"shangluo-2016"``, the
        default and only one so far); ``vipa.NotFound`` for another name."""
        self._init_fields(_lib.new_lock(), None)
        options = CtxOptions.new(profile=None if profile is None else
                                 check_text(profile, "profile"))
        out = CtxP()
        lib.vipa_ctx_new(byref(out), byref(options))
        self._owned = Owned(out, lib.vipa_ctx_free)

    def _init_fields(self, lock: Any, parent: Optional["Context"]) -> None:
        self._lock = lock
        self._owned: Optional[Owned] = None
        self._running = False  # inside vipa_run(): its progress callback is running
        #: the context this one is a fork of (kept alive by the fork), or None
        self._parent = parent
        #: this context's forks not yet freed, by id() of their Owned: the C context must
        #: outlive them (vipa_ctx_fork(): the fork is freed before its parent)
        self._forks: dict[int, _ForkOwned] = {}
        self._close_pending = False  # close() was called while forks were alive
        #: for a fork that compare() made for its reform: the comparison that owns it
        self._comparison_owner: Optional[Owned] = None

    @classmethod
    def from_scenario(cls, scenario: Scenario, *, profile: Optional[str] = None) -> "Context":
        """A new context loaded from a scenario (``vipa_scenario_load()``): a path
        (``str`` or ``pathlib.Path``), a dict in the scenario contract's shape
        (money as ``str``/``Decimal``/``int``; floats refused), or JSON text.

        Raises the library's error naming the JSON path (``payments[3].amount``).
        """
        ctx = cls(profile)
        try:
            ctx.load_scenario(scenario)
        except BaseException:
            ctx.close()
            raise
        return ctx

    @classmethod
    def from_frames(cls, *, profile: Optional[str] = None, money: Optional[str] = None,
                    **frames: Any) -> "Context":
        """A new context loaded from pandas DataFrames, one per record kind:
        ``Context.from_frames(areas=..., households=..., linkages=..., payments=...)``
        (see ``add_frames()``; needs pandas). The new context is closed again if any
        frame is refused, so it is all or nothing."""
        ctx = cls(profile)
        try:
            ctx.add_frames(money=money, **frames)
        except BaseException:
            ctx.close()
            raise
        return ctx

    def add_frames(self, *, money: Optional[str] = None, **frames: Any) -> dict[str, int]:
        """Adds pandas DataFrames, one per record kind named by the keyword (plural or
        singular: ``households=`` or ``household=``), columns named as ``vipa.fields(kind)``;
        returns ``{kind: records added}``. The frames of kinds without pointers become one
        NumPy array each, column by column (no per-row Python loop); see ``vipa.frames``.

        Money columns hold ``Decimal`` or text; integer money columns need ``money="fen"``
        (integer fen) or ``money="yuan"`` (whole yuan); a float column is refused, naming
        it. Every frame is converted before any is added; each is then one batch, all or
        none, in the order records refer to each other (areas first)."""
        from .frames import add_frames
        return add_frames(self, frames, money)

    def load_scenario(self, scenario: Scenario) -> None:
        """Loads a scenario into this context, all or nothing (see ``from_scenario``). A
        path to a regular file is read in place by the library
        (``vipa_scenario_load_file()``: memory bounded by the records, whatever the file's
        size; a scenario or JSON Lines)."""
        err = ctypes.c_char_p()
        path = _regular_file(scenario)
        if path is not None:
            with self._lock:
                lib.vipa_scenario_load_file(self._mutate(), path, byref(err))
            return
        data = _scenario_bytes(scenario)
        with self._lock:
            ptr = self._mutate()
            lib.vipa_scenario_load(ptr, data, len(data), byref(err))  # bytes and length

    def export_scenario(self, pretty: bool = False) -> str:
        """The context as scenario JSON (``vipa_scenario_export()``): its parameters and
        every record, sorted, so that loading the text into a new context gives the same
        records (the same ``input_sha256``) and the same report."""
        text = ctypes.POINTER(ctypes.c_char)()
        length = ctypes.c_size_t()
        with self._lock:
            lib.vipa_scenario_export(byref(text), byref(length), self._ptr(),
                                     enums.DEFINES["VIPA_REPORT_PRETTY"] if pretty else 0)
        try:
            return ctypes.string_at(text, length.value).decode("utf-8")
        finally:
            lib.vipa_free(text)

    # ---- lifetime ---------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        return self._owned is None or self._owned.closed or self._close_pending

    def close(self) -> None:
        """Frees the context, and first every result, ledger and comparison computed from
        it. A context with live forks (``fork()``) is closed for use at once, and its C
        context freed when its last fork is closed. Closing the reform context of a
        comparison that ``vipa.compare()`` forked closes that comparison."""
        if self._owned is not None:
            with self._lock:
                if self._running and not self.closed:
                    raise self._running_error()
                if self._comparison_owner is not None:
                    self._comparison_owner.close()  # which closes this fork
                    return
                self._close()

    def _close(self) -> None:
        """close() under the lock: the children first, then the C context unless a fork
        still reads it (then when the last fork is freed: _fork_freed)."""
        if self._owned is None or self._owned.closed:
            return
        self._owned.close_children()
        if self._forks:
            self._close_pending = True
        else:
            self._owned.close()

    def _fork_freed(self, node: "_ForkOwned") -> None:
        """A fork of this context was freed (_ForkOwned.close() calls this, under the
        family's lock): free this one too if close() was waiting for it."""
        self._forks.pop(id(node), None)
        if self._close_pending and not self._forks and self._owned is not None:
            self._owned.close()

    def __enter__(self) -> "Context":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        owned = getattr(self, "_owned", None)
        if owned is not None:
            try:  # with the lock, never waiting for it (see _lib.Borrowed.__del__)
                if self._lock.acquire(blocking=False):
                    try:
                        owner = self._comparison_owner
                        if owner is None or owner.closed:  # else the comparison frees it
                            self._close()  # waits for live forks (a cycle, shutdown)
                    finally:
                        self._lock.release()
            except Exception:  # never raise from a finaliser (interpreter shutdown...)
                pass

    def __repr__(self) -> str:
        with self._lock:  # closed or not, decided under the lock
            if self.closed:
                return "<vipa.Context closed>"
            if self._running:
                return "<vipa.Context running>"
            fork = " fork" if self._parent is not None else ""
            return f"<vipa.Context{fork} profile={self.profile!r} {self.counts()}>"

    def _running_error(self) -> errors.StateError:
        return errors.StateError("this Context is running: the progress callback of its "
                                 "run() may read results and ledgers, not use or close the "
                                 "context being run", code=-9, name="VIPA_E_STATE")

    def _ptr(self) -> Any:
        """The context's pointer, for a call made holding ``self._lock``: raises
        ``vipa.StateError`` when it is closed, or running (a call from the progress
        callback of its own run, which holds the lock)."""
        if self._owned is None or self._owned.ptr is None or self._close_pending:
            raise errors.StateError("this Context is closed", code=-9, name="VIPA_E_STATE")
        if self._running:
            raise self._running_error()
        return self._owned.ptr

    def _mutate(self, records: bool = True) -> Any:
        """The pointer for a call that changes the context (its records, ``as_of``, or
        with ``records=False`` only its parameters): results, ledgers and comparisons go
        first. Refused, with nothing closed, for the records of a fork, for a context
        with live forks, and for the reform fork a comparison owns."""
        ptr = self._ptr()
        if self._comparison_owner is not None:
            raise errors.StateError(
                "this Context is the fork vipa.compare() made for a comparison's reform and "
                "belongs to it: fork the baseline (Context.fork()) to change parameters",
                code=-9, name="VIPA_E_STATE")
        if records and self._parent is not None:
            raise errors.StateError(
                "this Context is a fork (Context.fork()) and reads its parent's records: "
                "records, as_of and scenarios cannot be added to it, only its parameters "
                "changed (set_param, set_params, load_reform)", code=-9, name="VIPA_E_STATE")
        live = sum(1 for node in self._forks.values() if not node.internal)
        if live:
            raise errors.StateError(
                f"{live} fork{'s' if live > 1 else ''} of this Context (Context.fork()) "
                f"{'are' if live > 1 else 'is'} alive and read{'' if live > 1 else 's'} its "
                f"records and parameters: close {'them' if live > 1 else 'it'} before "
                f"changing this Context", code=-9, name="VIPA_E_STATE")
        self._owned.close_children()  # type: ignore[union-attr]  # comparisons: their forks too
        return ptr

    # ---- forks and reforms ------------------------------------------------------------

    def fork(self) -> "Context":
        """A new context that reads this one's records in place and starts from a copy of
        its profile and ``as_of`` (``vipa_ctx_fork()``): a reform is its parameters
        changed, compared with ``vipa.compare(ctx, fork)``.

        The fork costs its profile, not its records. While it is alive this context
        cannot change (``vipa.StateError``); the fork's own records cannot change at all.
        It keeps this context alive, and is closed like any context (``close()``,
        ``with``); this context's C object is freed only after its last fork."""
        with self._lock:
            ptr = self._ptr()
            if self._comparison_owner is not None:
                raise errors.StateError(
                    "this Context is the fork vipa.compare() made for a comparison's reform: "
                    "fork the baseline or the reform Context given to compare() instead",
                    code=-9, name="VIPA_E_STATE")
            out = CtxP()
            lib.vipa_ctx_fork(byref(out), ptr)
            fork = Context.__new__(Context)
            fork._init_fields(self._lock, self)
            node = _ForkOwned(out, self)
            self._forks[id(node)] = node
            fork._owned = node
            return fork

    @property
    def is_fork(self) -> bool:
        """Whether this context is a fork of another (``vipa_ctx_is_fork()``)."""
        with self._lock:
            return bool(lib.vipa_ctx_is_fork(self._ptr()))

    @property
    def parent(self) -> Optional["Context"]:
        """The context this one is a fork of; ``None`` for a context that is no fork."""
        return self._parent

    def load_reform(self, reform: Reform) -> None:
        """Sets this context's parameters from a reform (``vipa_reform_load()``), all or
        nothing: a path, JSON text (``str`` or ``bytes``) or a dict of the reform file's
        shape, ``{"vipa": 1, "name": "...", "params": {"equity.poor_share_bp": 8000,
        "poverty_line": {"2017": "3000.00"}}}`` (docs/scenario.md, "Reforms"; money as
        ``str``/``Decimal``, floats refused). Usually on a fork (``fork()``).

        Raises the library's error naming the JSON path (``params.equity.poor_share_bp``)
        or the line and column of a syntax error; the profile is then unchanged. A text
        over 1 MiB raises ``vipa.LimitError``."""
        data = _scenario_bytes(reform, "reform")
        err = ctypes.c_char_p()
        with self._lock:
            ptr = self._mutate(records=False)
            lib.vipa_reform_load(ptr, data, len(data), byref(err))  # bytes and length

    # ---- errors, profile, counts ------------------------------------------------------------

    @property
    def last_error(self) -> tuple[int, str]:
        """``(vipa_ctx_errcode(), vipa_ctx_errmsg())`` of the last call on the context."""
        with self._lock:
            ptr = self._ptr()
            return lib.vipa_ctx_errcode(ptr), lib.vipa_ctx_errmsg(ptr)

    @property
    def profile(self) -> str:
        """The profile the context started from (``"shangluo-2016"``)."""
        with self._lock:
            return lib.vipa_profile_name(self._ptr())

    def counts(self) -> dict[str, int]:
        """How many areas, entities, households, agreements and plans it holds."""
        with self._lock:
            ptr = self._ptr()
            return {"areas": lib.vipa_ctx_area_count(ptr),
                    "entities": lib.vipa_ctx_entity_count(ptr),
                    "households": lib.vipa_ctx_household_count(ptr),
                    "agreements": lib.vipa_ctx_agreement_count(ptr),
                    "plans": lib.vipa_ctx_plan_count(ptr)}

    # ---- profile parameters ------------------------------------------------------------------

    def param_type(self, key: str) -> Optional[str]:
        """``"int"``, ``"bool"``, ``"text"``, ``"fen"`` or ``None`` for an unknown key."""
        k = check_text(key, "parameter key")
        with self._lock:
            kind = lib.vipa_param_type_of(self._ptr(), k)
        return enums.ParamType(kind).word if kind else None

    def _param_kind(self, key: str, k: bytes) -> int:
        kind = lib.vipa_param_type_of(self._ptr(), k)
        if not kind:
            raise errors.InvalidArgument(f"unknown parameter {key!r}; the keys are "
                                         f"{_PARAM_KEYS}", code=-1, name="VIPA_E_INVALID")
        return kind

    def get_param(self, key: str) -> ParamValue:
        """A parameter's value: int (``equity.poor_share_bp``), bool
        (``exit.require_guarantees``), str (``equity.allocation``) or Decimal
        (``poverty_line.2017``)."""
        k = check_text(key, "parameter key")
        with self._lock:
            ptr, kind = self._ptr(), self._param_kind(key, k)
            if kind == enums.ParamType.INT:
                i64 = ctypes.c_int64()
                lib.vipa_param_get_int(byref(i64), ptr, k)
                return i64.value
            if kind == enums.ParamType.BOOL:
                flag = ctypes.c_int()
                lib.vipa_param_get_bool(byref(flag), ptr, k)
                return bool(flag.value)
            if kind == enums.ParamType.TEXT:
                word = ctypes.c_char_p()
                lib.vipa_param_get_text(byref(word), ptr, k)
                return (word.value or b"").decode("utf-8")
            fen = ctypes.c_int64()
            lib.vipa_param_get_fen(byref(fen), ptr, k)
            return money.from_fen(fen.value)

    def set_param(self, key: str, value: ParamValue) -> None:
        """Sets a parameter of the profile (its type follows the key; money as in
        ``vipa.money``). ``equity.poor_share_bp`` is the 70 % of 三(二) in basis points."""
        k = check_text(key, "parameter key")
        with self._lock:  # the value is checked before _mutate() closes any result
            kind = self._param_kind(key, k)
            if kind == enums.ParamType.INT:
                if isinstance(value, bool) or not isinstance(value, int):
                    raise TypeError(f"{key} takes an int, not {type(value).__name__}")
                number = check_int(value, key, ctypes.c_int64)
                lib.vipa_param_set_int(self._mutate(False), k, number)
            elif kind == enums.ParamType.BOOL:
                if not isinstance(value, (bool, int)):
                    raise TypeError(f"{key} takes a bool, not {type(value).__name__}")
                flag = int(value) if isinstance(value, bool) else check_int(value, key)
                lib.vipa_param_set_bool(self._mutate(False), k, flag)  # the library: 0 or 1
            elif kind == enums.ParamType.TEXT:
                if not isinstance(value, str):
                    raise TypeError(f"{key} takes a str, not {type(value).__name__}")
                word = check_text(value, key)
                lib.vipa_param_set_text(self._mutate(False), k, word)
            else:
                fen = money.to_fen(value, key)  # type: ignore[arg-type]
                lib.vipa_param_set_fen(self._mutate(False), k, fen)

    def set_params(self, params: Mapping[str, Any]) -> None:
        """Sets several parameters; accepts the scenario's form, with
        ``"poverty_line": {"2017": "2952.00"}`` for the yearly lines."""
        for key, value in params.items():
            if key == "poverty_line" and isinstance(value, Mapping):
                for year, line in value.items():
                    self.set_param(f"poverty_line.{year}", line)
            else:
                self.set_param(key, value)

    def poverty_line(self, year: int) -> Decimal:
        """The poverty line per person of a year (``vipa.NotFound`` if none is set)."""
        year = check_int(year, "year")
        fen = ctypes.c_int64()
        with self._lock:
            lib.vipa_poverty_line(byref(fen), self._ptr(), year)
        return money.from_fen(fen.value)

    # ---- the day the data were taken -----------------------------------------------------

    @property
    def as_of(self) -> Optional[datetime.date]:
        """The day the data were taken (``vipa_ctx_as_of()``; the scenario's ``"as_of"``),
        or ``None`` when none is set (the default).

        Year Y is *complete* when it ended on or before that day (Y-12-31 <= as_of); the
        run checks the money owed for every complete year, evaluated or not
        (``OBLIGATIONS_PAID``, ``DIVIDEND_PAID_AS_AGREED``; 四(四), 二(三)), counting the
        payments dated up to it. With none set every year is complete and every payment
        counts. Assigning sets it like ``set_as_of()``.
        """
        with self._lock:
            return codes.from_date(lib.vipa_ctx_as_of(self._ptr()))

    @as_of.setter
    def as_of(self, value: Optional[DateLike]) -> None:
        self.set_as_of(value)

    def set_as_of(self, as_of: Optional[DateLike]) -> None:
        """Sets the day the data were taken (``vipa_ctx_set_as_of()``): a
        ``datetime.date`` (``vipa.make_date()`` gives one), ``"YYYY-MM-DD"`` or a
        ``YYYYMMDD`` int, a real day of 1900..9999; ``None`` clears it.

        Raises ``TypeError`` for another type, ``vipa.RangeError`` or
        ``vipa.InvalidArgument`` (both ``ValueError``) for a value that is not such a
        day; the context and its results are then unchanged. Like every change of the
        context, setting it closes the results and ledgers computed before.
        """
        day = codes.to_date(as_of, "as_of", optional=True)
        if as_of is not None and not _is_day(day):
            raise errors.InvalidArgument(
                f"as_of: {as_of!r} is not a real day of the years 1900..9999; expected a "
                f"datetime.date, 'YYYY-MM-DD' or a YYYYMMDD int, or None for none",
                code=-1, name="VIPA_E_INVALID")
        with self._lock:
            lib.vipa_ctx_set_as_of(self._mutate(), day)

    # ---- records ----------------------------------------------------------------------

    def add(self, kind: str, batch: Any) -> int:
        """Adds a batch of records of ``kind`` (``"households"``, ``"payments"``...) in
        one call of the library, all or none; returns how many. ``batch`` is a sequence
        of dicts or tuples, an array of the kind's struct, or (kinds without pointers) any
        buffer holding the C layout — see ``vipa.records``."""
        prepared = to_array(kind, batch)
        with self._lock:
            if not prepared.n:
                self._ptr()  # nothing to add: the context and its results stay as they are
                return 0
            ptr = self._mutate()
            getattr(lib, prepared.kind.c_add)(ptr, prepared.array, prepared.n)
            if prepared.assured:
                extra = to_array("assured", prepared.assured)
                lib.vipa_ctx_add_assured(ptr, extra.array, extra.n)
        return prepared.n

    def _add_one(self, kind: str, record: Optional[Mapping[str, Any]],
                 fields: dict[str, Any]) -> None:
        if record is not None and fields:
            raise TypeError("give a record as a dict or as keyword arguments, not both")
        self.add(kind, [dict(record if record is not None else fields)])

    def add_area(self, record: Optional[Mapping[str, Any]] = None, **fields: Any) -> None:
        """Adds an area: ``code``, ``name``, ``level`` ("county", "town", "village"),
        and for a town its ``industry`` (一镇一业, 二(二))."""
        self._add_one("areas", record, fields)

    def add_areas(self, batch: Iterable[Any]) -> int:
        """Adds areas in one call (parents before children, or already present)."""
        return self.add("areas", batch)

    def add_entity(self, record: Optional[Mapping[str, Any]] = None, **fields: Any) -> None:
        """Adds an operating entity: ``id``, ``name``, ``kind``, ``core_village``,
        ``industry``, optional ``uscc`` and ``selection`` (三(二) criteria)."""
        self._add_one("entities", record, fields)

    def add_entities(self, batch: Iterable[Any]) -> int:
        return self.add("entities", batch)

    def add_household(self, record: Optional[Mapping[str, Any]] = None, **fields: Any) -> None:
        """Adds a poor household: ``id``, ``village``, ``members``, ``labour``, ``cause``,
        ``willing``, optional ``exited_year`` (or ``exited``) and ``assured``
        (``{"2017": ["food_clothing", ...]}``)."""
        self._add_one("households", record, fields)

    def add_households(self, batch: Any) -> int:
        """Adds households in one ``vipa_ctx_add_households()`` call: tuples
        ``(id, village, members, labour, cause, willing[, exited_year])``, dicts, or a
        buffer of ``vipa_household`` (a ctypes array, a NumPy array of
        ``vipa.dtype("households")``...)."""
        return self.add("households", batch)

    def add_assured(self, record: Optional[Mapping[str, Any]] = None, **fields: Any) -> None:
        """Records the guarantees a household held in a year: ``household``, ``year``,
        ``items`` (``["food_clothing", "education", "medical", "housing", "water"]``)."""
        self._add_one("assured", record, fields)

    def add_assured_records(self, batch: Any) -> int:
        return self.add("assured", batch)

    def add_agreement(self, record: Optional[Mapping[str, Any]] = None, **fields: Any) -> None:
        """Adds an agreement (四(二)): ``id``, ``entity``, ``households`` (a list of ids),
        ``household_count``, ``projects`` (a list or a count), ``support`` (the list of
        its support measures' texts, kept for the disclosure list 五(五); or, as before
        0.2, only their count), ``dividend_bp`` (the agreed annual dividend rate, 二(三),
        in basis points: 800 = 8 %; 0 or absent for none), ``start``, ``end``,
        ``exit_deadline``, ``signed`` (date) and ``signer`` (``{"level": ..., "area": ...}``)."""
        self._add_one("agreements", record, fields)

    def add_agreements(self, batch: Iterable[Any]) -> int:
        return self.add("agreements", batch)

    def add_plan(self, record: Optional[Mapping[str, Any]] = None, **fields: Any) -> None:
        """Adds a household's plan (四(三)): ``household``, ``agreement``,
        ``exit_target``, ``industries``, ``measures``, ``tasks`` (``[{"year": 2017,
        "income": "12000.00"}, {"year": 2018}]``: each task's income target is optional,
        ``PLAN_TASKS_MET`` checks those given), ``filed``, ``persons``."""
        self._add_one("plans", record, fields)

    def add_plans(self, batch: Iterable[Any]) -> int:
        return self.add("plans", batch)

    def add_linkage(self, record: Optional[Mapping[str, Any]] = None, **fields: Any) -> None:
        """Adds a benefit linkage (一, 二(三)): ``id``, ``kind`` ("wage", "land_rent",
        "participation"), ``household``, ``entity``, ``agreement``, ``from_year``,
        ``to_year`` and ``annual``, or ``days`` × ``daily_wage``, or ``area_mu`` ×
        ``rent_per_mu``."""
        self._add_one("linkages", record, fields)

    def add_linkages(self, batch: Any) -> int:
        """Adds linkages in one call: tuples in ``vipa.fields("linkages")`` order, dicts,
        or a buffer of ``vipa_linkage``."""
        return self.add("linkages", batch)

    def add_injection(self, record: Optional[Mapping[str, Any]] = None, **fields: Any) -> None:
        """Adds a fiscal equity injection (三(二)): ``id``, ``entity``, ``agreement``,
        ``date``, ``amount``, optional ``households``, ``allocation``, ``weights``."""
        self._add_one("injections", record, fields)

    def add_injections(self, batch: Iterable[Any]) -> int:
        return self.add("injections", batch)

    def add_contribution(self, record: Optional[Mapping[str, Any]] = None,
                         **fields: Any) -> None:
        """Adds a household's capital contribution (三(三))."""
        self._add_one("contributions", record, fields)

    def add_contributions(self, batch: Any) -> int:
        return self.add("contributions", batch)

    def add_transfer(self, record: Optional[Mapping[str, Any]] = None, **fields: Any) -> None:
        """Adds a transfer of shares (``from``/``to`` holders, ``amount``, ``date``)."""
        self._add_one("transfers", record, fields)

    def add_transfers(self, batch: Any) -> int:
        return self.add("transfers", batch)

    def add_dividend(self, record: Optional[Mapping[str, Any]] = None, **fields: Any) -> None:
        """Adds an entity's dividend for a year (二(三)): ``rate_bp`` or ``pool``."""
        self._add_one("dividends", record, fields)

    def add_dividends(self, batch: Any) -> int:
        return self.add("dividends", batch)

    def add_payment(self, record: Optional[Mapping[str, Any]] = None, **fields: Any) -> None:
        """Adds a payment (四(四)): under a ``linkage``, or a dividend
        (``dividend={"entity": 1, "household": 1001}``), for a ``year``, with
        ``amount`` and ``date``."""
        self._add_one("payments", record, fields)

    def add_payments(self, batch: Any) -> int:
        """Adds payments in one call: tuples ``(linkage, entity, household, year, amount,
        date)``, dicts, or a buffer of ``vipa_payment``."""
        return self.add("payments", batch)

    def add_income(self, record: Optional[Mapping[str, Any]] = None, **fields: Any) -> None:
        """Adds a household's other net income for a year."""
        self._add_one("incomes", record, fields)

    def add_incomes(self, batch: Any) -> int:
        return self.add("incomes", batch)

    def add_evaluation(self, record: Optional[Mapping[str, Any]] = None, **fields: Any) -> None:
        """Schedules an evaluation (四(五)): ``year``, ``date`` (in a later year than
        ``year``: 每年初), ``recheck``. A year has at most one plain evaluation and at most
        one re-check, which comes after it (scheduled after it and dated after it);
        anything else raises ``vipa.InvalidArgument``."""
        self._add_one("evaluations", record, fields)

    def add_evaluations(self, batch: Any) -> int:
        return self.add("evaluations", batch)

    # ---- checks, ledger, run -------------------------------------------------------------

    def check(self) -> tuple[views.Finding, ...]:
        """The findings of the checks that need only the records (``vipa_check()``;
        what ``vipa check`` prints)."""
        out = FindingsP()
        with self._lock:
            lib.vipa_check(byref(out), self._ptr())
            try:
                return views.read_findings(out)
            finally:
                lib.vipa_findings_free(out)

    def ledger(self) -> Ledger:
        """The ledger of the records (``vipa_ledger_build()``), valid until the context
        changes."""
        out = LedgerP()
        with self._lock:
            ptr = self._ptr()
            lib.vipa_ledger_build(byref(out), ptr)
            return Ledger(self, Owned(out, lib.vipa_ledger_free, parent=self._owned))

    def run(self, *, progress: Optional[Callable[[str, int, int], None]] = None,
            input_hash: bool = True) -> Result:
        """Runs the year (``vipa_run()``): every evaluation in date order (四(五)) and
        every figure. ``progress(phase, done, total)`` is called at phase boundaries;
        ``input_hash=False`` skips the input hash of the stamp (benchmarks)."""
        options = RunOptions.new(flags=0 if input_hash else
                                 enums.DEFINES["VIPA_RUN_NO_INPUT_HASH"])
        raised: list[BaseException] = []
        if progress is not None:
            def relay(opaque: Any, phase: Optional[bytes], done: int, total: int) -> None:
                if not raised:
                    try:
                        progress((phase or b"").decode("utf-8"), done, total)
                    except BaseException as e:  # re-raised once the run returns
                        raised.append(e)
            options.progress = ProgressFn(relay)
        out = ResultP()
        with self._lock:
            ptr = self._ptr()
            self._running = True  # the progress callback runs holding the lock
            try:
                lib.vipa_run(byref(out), ptr, byref(options))
            finally:
                self._running = False
            result = Result(self, Owned(out, lib.vipa_result_free, parent=self._owned))
        if raised:
            result.close()
            raise raised[0]
        return result


class _ForkOwned(Owned):
    """The Owned of a fork's C context. Freeing it tells the context it was forked from,
    which may be waiting for its last fork before it is freed itself (``close()``).
    ``internal`` marks the fork ``vipa.compare()`` made for a comparison's reform: freed
    with the comparison, it does not keep its parent from changing (the change closes
    the comparison first)."""

    __slots__ = ("internal", "forked_from")

    def __init__(self, ptr: Any, forked_from: Context) -> None:
        super().__init__(ptr, lib.vipa_ctx_free)
        self.internal = False
        self.forked_from: Optional[Context] = forked_from

    def close(self) -> None:
        if self.ptr is None:
            return
        try:
            super().close()
        finally:
            parent, self.forked_from = self.forked_from, None
            if parent is not None:
                parent._fork_freed(self)
