"""Records: Python values → the C input structs of one record kind.

A record may be given as

- **keyword arguments or a dict**, keyed by the C field names (``id``, ``village``,
  ``members``...) or by the scenario contract's spellings where those differ
  (``exited``, ``from``/``to``, ``signed``, ``signer``, ``area_mu``, ``projects``,
  ``tasks``, ``dividend``...), so a record of a scenario file can be passed as it is;
- a **tuple** of the fields in the order of ``fields(kind)`` (the C struct's order; a
  shorter tuple leaves the rest as the header's ``VIPA_X_INIT`` does);
- a **struct** instance (``vipa.structs.Household``).

Values are Pythonic: words or ints for enumerations (``cause="illness"``), 12-digit
text or ints for area codes, ``datetime.date``/``"YYYY-MM-DD"`` for dates, money as in
``vipa.money`` (never a float), lists for the pointer-and-length pairs
(``households=[1001, 1002]``, an agreement's ``support=["贴息", ...]``), lists of words
for bit sets (``filed=["county", ...]``), ``None`` for money not given (a linkage's unused
amounts, a plan task without an income target: ``tasks=[{"year": 2017}]``).

An agreement's ``support`` is the list of its support measures' texts (kept, and named
by the disclosure list, 五(五)); a count instead (``support=2`` or ``support_count=2``)
is still accepted from callers that know only how many there are.

This module holds the kinds, the value converters and the exact per-record path, which
names the record and field at fault; ``vipa.batch`` builds whole batches fast.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from . import codes, enums, errors, money
from .structs import (FEN_UNSET, RECORD_STRUCTS, Agreement, Area, Assured, Contribution,
                      Dividend, Entity, Evaluation, Household, Income, Injection, Linkage,
                      Payment, Plan, Struct, Transfer, numpy_dtype)

__all__ = ["KINDS", "Kind", "Spec", "Batch", "fields", "record_array", "numpy_records",
           "dtype"]

Conv = Callable[[Any, str], Any]


# ---- value converters: (python value, "where") → C value -----------------------------

def _int_in(low: int, high: int, kind: str) -> Conv:
    def conv(value: Any, what: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float):
                raise TypeError(f"{what} must be an int, not the float {value!r}")
            raise TypeError(f"{what} must be an int, not {type(value).__name__}")
        if not low <= value <= high:
            raise errors.Overflow(f"{what} {value} does not fit {kind}", code=-3,
                                  name="VIPA_E_OVERFLOW")
        return value
    return conv


ID = _int_in(0, 2 ** 64 - 1, "a record id (uint64)")
U64 = _int_in(0, 2 ** 64 - 1, "uint64")
INT = _int_in(-(2 ** 31), 2 ** 31 - 1, "int")
I64 = _int_in(-(2 ** 63), 2 ** 63 - 1, "int64")
SIZE = _int_in(0, 2 ** 64 - 1, "size_t")


def BOOL(value: Any, what: str) -> int:
    """True/False (or 0/1; the library refuses anything else)."""
    if isinstance(value, bool):
        return int(value)
    return INT(value, what)


def CODE(value: Any, what: str) -> int:
    return codes.to_code(value, what)


def DATE(value: Any, what: str) -> int:
    return codes.to_date(value, what)


def MONEY(value: Any, what: str) -> int:
    return money.to_fen(value, what)


def MONEY_OR_UNSET(value: Any, what: str) -> int:
    """Money, or ``None`` for ``VIPA_FEN_UNSET`` ("not given"). The one amount whose fen
    are the marker itself (-92233720368547758.08) is refused: the library would read it
    as "not given"."""
    if value is None:
        return FEN_UNSET
    fen = money.to_fen(value, what)
    if fen == FEN_UNSET:
        raise errors.Overflow(f"{what}: {value} yuan is VIPA_FEN_UNSET, the marker of an "
                              f"amount not given; write None for none", code=-3,
                              name="VIPA_E_OVERFLOW")
    return fen


def CMU(value: Any, what: str) -> int:
    """An area in 0.01 mu (``area_cmu``), an int."""
    return I64(value, what)


def TEXT(value: Any, what: str) -> Optional[bytes]:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, not {type(value).__name__}")
    if "\0" in value:
        raise errors.InvalidArgument(f"{what} contains a NUL character", code=-1,
                                     name="VIPA_E_INVALID")
    return value.encode("utf-8")


def BP_RATE(value: Any, what: str) -> int:
    """A rate in basis points (``vipa_bp``, int32) that is >= 0: ``800`` is 8 %."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int number of basis points (800 = 8 %), not "
                        f"{type(value).__name__}")
    if value < 0:
        raise errors.InvalidArgument(f"{what} is {value}; expected basis points >= 0 "
                                     f"(800 = 8 %), or 0 for none", code=-1,
                                     name="VIPA_E_INVALID")
    if value > 2 ** 31 - 1:
        raise errors.Overflow(f"{what} {value} does not fit int32 basis points "
                              f"(at most {2 ** 31 - 1})", code=-3, name="VIPA_E_OVERFLOW")
    return value


def SUPPORT_TEXT(value: Any, what: str) -> bytes:
    """One support measure's text: a str (the library refuses an empty one)."""
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str (the text of a support measure), not "
                        f"{type(value).__name__}")
    return TEXT(value, what)  # type: ignore[return-value]


def COUNT(value: Any, what: str) -> int:
    """A count, or a list whose length is the count (``projects=["...", "..."]``)."""
    if isinstance(value, (list, tuple)):
        return len(value)
    return SIZE(value, what)


U32 = _int_in(0, 2 ** 32 - 1, "unsigned int")


def ENUM(cls: type) -> Conv:
    def conv(value: Any, what: str) -> int:
        return INT(enums.value_of(cls, value, what), what)
    conv.int_passthrough = True  # type: ignore[attr-defined]
    return conv


def FLAGS(cls: type) -> Conv:
    """A bit set: an int, a list of words (``["county", "town"]``) or a dict of
    word → bool (``{"well_managed": True}``, the scenario's ``selection``)."""
    def conv(value: Any, what: str) -> int:
        if isinstance(value, bool):
            raise TypeError(f"{what} must be an int, a list of words or a dict, not a bool")
        if isinstance(value, int):
            return U32(int(value), what)
        if isinstance(value, Mapping):
            value = [word for word, on in value.items() if _flag_on(on, what, word)]
        if isinstance(value, str):
            value = [value]
        bits = 0
        for word in value:
            bits |= enums.value_of(cls, word, what)
        return bits
    conv.int_passthrough = True  # type: ignore[attr-defined]
    return conv


def _flag_on(on: Any, what: str, word: str) -> bool:
    if not isinstance(on, bool):
        raise TypeError(f"{what}.{word} must be true or false, not {type(on).__name__}")
    return on


# ---- kinds ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Spec:
    """One field of a record: its C name, converter, and whether it must be given."""
    name: str
    conv: Conv
    required: bool = False
    array: Optional[tuple[str, Any]] = None  # (length field, element ctype) for pointers


@dataclass(frozen=True)
class Kind:
    """A record kind: its struct, fields in tuple order, and the C batch function."""
    name: str                      #: "households"
    one: str                       #: "household"
    struct: type[Struct]
    specs: tuple[Spec, ...]
    c_add: str                     #: "vipa_ctx_add_households"
    aliases: Callable[[dict], dict] = field(default=lambda record: record)

    #: the specs with the pointer-and-length arrays last ("households" then sets
    #: household_len), and the specs by name
    ordered: tuple[Spec, ...] = field(init=False, repr=False)
    by_name: dict[str, Spec] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "ordered",
                           tuple(sorted(self.specs, key=lambda s: s.array is not None)))
        object.__setattr__(self, "by_name", {s.name: s for s in self.specs})

    def spec(self, name: str) -> Optional[Spec]:
        return self.by_name.get(name)


def _rename(record: dict, **names: str) -> dict:
    """Moves scenario spellings to C field names (``exited`` → ``exited_year``)."""
    for old, new in names.items():
        if old in record:
            if new in record:
                raise TypeError(f"both {old!r} and {new!r} given")
            record[new] = record.pop(old)
    return record


def _household_aliases(record: dict) -> dict:
    return _rename(record, exited="exited_year")


def _agreement_aliases(record: dict) -> dict:
    _rename(record, signed="signed_on", projects="project_count")
    support = record.get("support")
    if isinstance(support, int):
        # a count, as before version 2 (only the number of measures is known)
        _rename(record, support="support_count")
    signer = record.pop("signer", None)
    if signer is not None:
        if not isinstance(signer, Mapping):
            raise TypeError("signer must be a dict such as {'level': 'village', 'area': code}")
        unknown = set(signer) - {"level", "area"}
        if unknown:
            raise TypeError(f"signer: unknown key(s) {sorted(unknown)}; expected level, area")
        record["signer_level"] = signer.get("level")
        record["signer_area"] = signer.get("area")
    return record


def _plan_aliases(record: dict) -> dict:
    _rename(record, industries="industry_count", measures="measure_count",
            persons="person_task_count")
    tasks = record.pop("tasks", None)
    if tasks is not None:
        years, incomes = [], []
        for k, task in enumerate(tasks):
            if not isinstance(task, Mapping):
                raise TypeError(f"tasks[{k}] must be a dict such as {{'year': 2017, "
                                f"'income': '12000.00'}}")
            unknown = set(task) - {"year", "income", "task"}
            if unknown:
                raise TypeError(f"tasks[{k}]: unknown key(s) {sorted(unknown)}")
            years.append(task.get("year"))
            incomes.append(task.get("income"))  # None: this task states no income target
        record["task_years"] = years
        record["task_incomes"] = incomes if any(i is not None for i in incomes) else None
    return record


def _linkage_aliases(record: dict) -> dict:
    _rename(record, **{"from": "from_year", "to": "to_year"})
    if "area_mu" in record:
        if "area_cmu" in record:
            raise TypeError("both 'area_mu' and 'area_cmu' given")
        area = record.pop("area_mu")
        record["area_cmu"] = None if area is None else money.to_cmu(area, "area_mu")
    return record


def _holder(value: Any, what: str) -> tuple[int, int]:
    """``{"household": id}`` | ``{"collective": code}`` | ``{"entity": id}``."""
    if not isinstance(value, Mapping) or len(value) != 1:
        raise TypeError(f"{what} must be one of {{'household': id}}, {{'collective': code}}, "
                        f"{{'entity': id}}")
    (kind, ident), = value.items()
    if kind == "collective":
        return int(enums.HolderKind.COLLECTIVE), codes.to_code(ident, f"{what}.collective")
    return enums.value_of(enums.HolderKind, kind, what), ID(ident, f"{what}.{kind}")


def _transfer_aliases(record: dict) -> dict:
    for end in ("from", "to"):
        if end in record:
            record[f"{end}_kind"], record[f"{end}_id"] = _holder(record.pop(end), end)
    return record


def _payment_aliases(record: dict) -> dict:
    payee = record.pop("dividend", None)
    if payee is not None:
        if not isinstance(payee, Mapping) or set(payee) != {"entity", "household"}:
            raise TypeError("dividend must be a dict {'entity': id, 'household': id}")
        record["entity"], record["household"] = payee["entity"], payee["household"]
    return record


_ID_ARRAY = ("household_len", ctypes.c_uint64)

KINDS: dict[str, Kind] = {k.name: k for k in [
    Kind("areas", "area", Area, (
        Spec("code", CODE, True), Spec("level", ENUM(enums.AreaLevel), True),
        Spec("name", TEXT, True), Spec("industry", TEXT)), "vipa_ctx_add_areas"),
    Kind("entities", "entity", Entity, (
        Spec("id", ID, True), Spec("name", TEXT, True),
        Spec("kind", ENUM(enums.EntityKind), True), Spec("uscc", TEXT),
        Spec("core_village", CODE, True), Spec("industry", TEXT, True),
        Spec("selection", FLAGS(enums.Selection))), "vipa_ctx_add_entities"),
    Kind("households", "household", Household, (
        Spec("id", ID, True), Spec("village", CODE, True), Spec("members", INT, True),
        Spec("labour", INT, True), Spec("cause", ENUM(enums.Cause), True),
        Spec("willing", BOOL, True), Spec("exited_year", INT)),
        "vipa_ctx_add_households", _household_aliases),
    Kind("assured", "assured", Assured, (
        Spec("household", ID, True), Spec("year", INT, True),
        Spec("items", FLAGS(enums.Assured), True)), "vipa_ctx_add_assured"),
    Kind("agreements", "agreement", Agreement, (
        Spec("id", ID, True), Spec("entity", ID, True),
        Spec("households", ID, array=_ID_ARRAY), Spec("household_count", I64),
        Spec("project_count", COUNT), Spec("support_count", COUNT), Spec("start", DATE),
        Spec("end", DATE), Spec("exit_deadline", INT), Spec("signed_on", DATE),
        Spec("signer_level", ENUM(enums.SignerLevel)), Spec("signer_area", CODE),
        Spec("support", SUPPORT_TEXT, array=("support_count", ctypes.c_char_p)),
        Spec("dividend_bp", BP_RATE)),
        "vipa_ctx_add_agreements", _agreement_aliases),
    Kind("plans", "plan", Plan, (
        Spec("household", ID, True), Spec("agreement", ID, True), Spec("exit_target", INT),
        Spec("industry_count", COUNT), Spec("measure_count", COUNT),
        Spec("task_years", INT, array=("task_len", ctypes.c_int)),
        Spec("task_incomes", MONEY_OR_UNSET, array=("task_len", ctypes.c_int64)),
        Spec("filed", FLAGS(enums.Filed)), Spec("person_task_count", COUNT)),
        "vipa_ctx_add_plans", _plan_aliases),
    Kind("linkages", "linkage", Linkage, (
        Spec("id", ID, True), Spec("kind", ENUM(enums.LinkageKind), True),
        Spec("household", ID, True), Spec("entity", ID, True), Spec("agreement", ID, True),
        Spec("from_year", INT, True), Spec("to_year", INT, True),
        Spec("annual", MONEY_OR_UNSET), Spec("days", I64),
        Spec("daily_wage", MONEY_OR_UNSET), Spec("area_cmu", CMU),
        Spec("rent_per_mu", MONEY_OR_UNSET)), "vipa_ctx_add_linkages", _linkage_aliases),
    Kind("injections", "injection", Injection, (
        Spec("id", ID, True), Spec("entity", ID, True), Spec("agreement", ID, True),
        Spec("date", DATE, True), Spec("amount", MONEY, True),
        Spec("households", ID, array=_ID_ARRAY),
        Spec("allocation", ENUM(enums.Allocation)),
        Spec("weights", U64, array=("household_len", ctypes.c_uint64))),
        "vipa_ctx_add_injections"),
    Kind("contributions", "contribution", Contribution, (
        Spec("household", ID, True), Spec("entity", ID, True), Spec("agreement", ID),
        Spec("kind", ENUM(enums.ContributionKind), True), Spec("value", MONEY, True),
        Spec("date", DATE, True)), "vipa_ctx_add_contributions"),
    Kind("transfers", "transfer", Transfer, (
        Spec("entity", ID, True), Spec("from_kind", ENUM(enums.HolderKind), True),
        Spec("from_id", U64, True), Spec("to_kind", ENUM(enums.HolderKind), True),
        Spec("to_id", U64, True), Spec("amount", MONEY, True), Spec("date", DATE, True)),
        "vipa_ctx_add_transfers", _transfer_aliases),
    Kind("dividends", "dividend", Dividend, (
        Spec("entity", ID, True), Spec("year", INT, True), Spec("rate_bp", INT),
        Spec("pool", MONEY_OR_UNSET)), "vipa_ctx_add_dividends"),
    Kind("payments", "payment", Payment, (
        Spec("linkage", ID), Spec("entity", ID), Spec("household", ID),
        Spec("year", INT, True), Spec("amount", MONEY, True), Spec("date", DATE, True)),
        "vipa_ctx_add_payments", _payment_aliases),
    Kind("incomes", "income", Income, (
        Spec("household", ID, True), Spec("year", INT, True), Spec("other", MONEY, True)),
        "vipa_ctx_add_incomes"),
    Kind("evaluations", "evaluation", Evaluation, (
        Spec("year", INT, True), Spec("date", DATE, True), Spec("recheck", BOOL)),
        "vipa_ctx_add_evaluations"),
]}

assert all(RECORD_STRUCTS[name] is kind.struct for name, kind in KINDS.items())


def fields(kind: str) -> list[str]:
    """The field names of a kind, in tuple order: ``fields("households")`` (or
    ``fields("household")``) → ``["id", "village", "members", "labour", "cause",
    "willing", "exited_year"]``."""
    return [s.name for s in _kind(kind).specs]


#: Each kind by its plural (the scenario's list, ``"households"``) and by its singular
#: (one record, ``"household"``): a kind is named either way wherever one is asked for.
_KIND_NAMES: dict[str, Kind] = {**{k.one: k for k in KINDS.values()}, **KINDS}


def _kind(name: str) -> Kind:
    try:
        return _KIND_NAMES[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown record kind {name!r}; kinds: {', '.join(KINDS)} "
                         f"(or one of each: {', '.join(k.one for k in KINDS.values())})"
                         ) from None


# ---- the exact per-record path -----------------------------------------------------------

@dataclass
class Batch:
    """A filled array ready for the C call, and what must stay alive during it."""
    kind: Kind
    array: Any            #: ctypes array or pointer to the first struct
    n: int
    keep: list = field(default_factory=list)
    assured: list = field(default_factory=list)  #: households' "assured", added after them


def _set(kind: Kind, target: Struct, spec: Spec, value: Any, what: str, keep: list) -> None:
    if spec.array is not None:
        length_field, ctype = spec.array
        if value is None:
            setattr(target, spec.name, None)
            return
        if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
            raise TypeError(f"{what} must be a list, not {type(value).__name__}")
        items = [spec.conv(v, f"{what}[{k}]") for k, v in enumerate(value)]
        length = getattr(target, length_field)
        if length and length != len(items):
            raise errors.InvalidArgument(
                f"{what} has {len(items)} items but {length_field} is {length}", code=-1,
                name="VIPA_E_INVALID")
        array = (ctype * max(len(items), 1))(*items)
        keep.append(array)
        setattr(target, spec.name, ctypes.cast(array, ctypes.POINTER(ctype)))
        setattr(target, length_field, len(items))
        return
    if value is None:
        if spec.required:
            raise TypeError(f"{what} is required")
        return  # the VIPA_X_INIT value stays
    setattr(target, spec.name, spec.conv(value, what))


def _fill(kind: Kind, target: Struct, record: Any, index: int, keep: list,
          assured: list) -> None:
    where = f"{kind.name}[{index}]"
    if isinstance(record, kind.struct):
        ctypes.memmove(ctypes.addressof(target), ctypes.addressof(record),
                       ctypes.sizeof(kind.struct))
        keep.append(record)  # its pointers (names, arrays) must outlive the call
        return
    if isinstance(record, Mapping):
        record = kind.aliases(dict(record))
        if kind.name == "households" and "assured" in record:
            assured.extend(_assured_of(record.pop("assured"), record.get("id"), where))
        unknown = [k for k in record if kind.spec(k) is None]
        if unknown:
            raise TypeError(f"{where}: unknown field(s) {', '.join(map(repr, unknown))}; "
                            f"the fields of a {kind.one} are {', '.join(fields(kind.name))}")
        given = record
    elif isinstance(record, (tuple, list)):
        if len(record) > len(kind.specs):
            raise TypeError(f"{where}: {len(record)} values but a {kind.one} has "
                            f"{len(kind.specs)} fields ({', '.join(fields(kind.name))})")
        given = dict(zip((s.name for s in kind.specs), record))
    else:
        raise TypeError(f"{where}: a record must be a dict, a tuple or a "
                        f"{kind.struct.__name__}, not {type(record).__name__}")
    for spec in kind.ordered:  # arrays last: "households" then sets household_len
        if spec.name in given:
            _set(kind, target, spec, given[spec.name], f"{where}.{spec.name}", keep)
        elif spec.required:
            raise TypeError(f"{where}: missing field {spec.name!r}")


def _assured_of(value: Any, household: Any, where: str) -> list[tuple]:
    """A household's ``"assured": {"2017": [...]}`` as assured records (validated here,
    so the second call that adds them cannot fail on input)."""
    if not isinstance(value, Mapping):
        raise TypeError(f"{where}.assured must be a dict of year → list of items")
    out = []
    for year, items in value.items():
        y = int(year) if isinstance(year, str) and year.isdigit() else year
        INT(y, f"{where}.assured key")
        if not 1900 <= y <= 9999:
            raise errors.RangeError(f"{where}.assured: year {year} is outside 1900..9999",
                                    code=-6, name="VIPA_E_RANGE")
        out.append((household, y, FLAGS(enums.Assured)(items, f"{where}.assured.{year}")))
    return out


def _exact(kind: Kind, records: Sequence[Any]) -> Batch:
    array = kind.struct.array(len(records))
    batch = Batch(kind, array, len(records))
    for i, record in enumerate(records):
        _fill(kind, array[i], record, i, batch.keep, batch.assured)
    return batch


# ---- arrays for callers that fill their own --------------------------------------------------

def record_array(kind: str, n: int) -> ctypes.Array:
    """A ctypes array of ``n`` records of ``kind``, each as ``VIPA_X_INIT`` makes it
    (version set): fill its fields and pass it to ``Context.add_<kind>()``."""
    return _kind(kind).struct.array(n)


def dtype(kind: str) -> Any:
    """The NumPy structured dtype of a pointer-free kind (needs NumPy)."""
    return numpy_dtype(_kind(kind).struct)


def numpy_records(kind: str, n: int) -> Any:
    """A NumPy array of ``n`` records of ``kind`` initialised like ``VIPA_X_INIT``
    (the ``version`` field set, "not given" money as ``VIPA_FEN_UNSET``, padding 0).
    It shares the memory of a ``record_array()``, which it keeps alive."""
    import numpy

    struct_type = _kind(kind).struct
    return numpy.frombuffer(struct_type.array(n), dtype=numpy_dtype(struct_type))
