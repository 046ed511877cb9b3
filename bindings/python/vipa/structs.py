"""ctypes mirrors of the versioned input structs of the public headers.

Each class copies its C struct field for field, in order, with the C types (so ctypes
computes the same padding and size as the compiler). ``Struct.new()`` gives one record
initialised like the header's ``VIPA_X_INIT`` (the version field set to
``VIPA_X_VERSION``, "not given" money fields set to ``VIPA_FEN_UNSET``), and
``Struct.array(n)`` an array of ``n`` such records — the layout the C batch functions
(``vipa_ctx_add_households()``...) take in one call.

The test suite compiles a C program against ``include/`` that prints ``sizeof`` and
``offsetof`` of every struct and field and compares them with these classes, and
compares ``new()`` with what the library's runtime initialiser of each struct
(``vipa_household_init()``...; bound in ``vipa._lib``) writes.

For records without pointers (households, linkages, payments, ...) ``numpy_dtype()``
gives the matching NumPy structured dtype, so a NumPy array can be handed to the
library without a copy. NumPy is imported only when asked for.
"""

from __future__ import annotations

import ctypes
import struct as _struct
from ctypes import (CFUNCTYPE, POINTER, c_char_p, c_int, c_int32, c_int64, c_size_t,
                    c_uint, c_uint64, c_void_p)
from typing import Any, ClassVar

from . import enums, errors

__all__ = [
    "FEN_UNSET", "Struct", "CtxOptions", "RunOptions", "Area", "Entity", "Household",
    "Assured", "Agreement", "Plan", "Linkage", "Injection", "Contribution", "Transfer",
    "Dividend", "Payment", "Income", "Evaluation", "RECORD_STRUCTS", "numpy_dtype",
    "MallocFn", "ReallocFn", "FreeFn", "ProgressFn", "Change", "NO_ROW",
]

# Base types of vipa/common.h and the module headers.
vipa_fen = c_int64        #: money in fen (分)
vipa_bp = c_int32         #: a rate in basis points
vipa_id = c_uint64        #: a record id; 0 = none
vipa_date = c_int32       #: a day as YYYYMMDD; 0 = none
vipa_area_code = c_uint64  #: a 12-digit statistical division code
vipa_enum = c_int         #: every C enumeration (all fit an int)

#: ``VIPA_FEN_UNSET``: a money field that is not given.
FEN_UNSET: int = enums.DEFINES["VIPA_FEN_UNSET"]

MallocFn = CFUNCTYPE(c_void_p, c_void_p, c_size_t)
ReallocFn = CFUNCTYPE(c_void_p, c_void_p, c_void_p, c_size_t)
FreeFn = CFUNCTYPE(None, c_void_p, c_void_p)
ProgressFn = CFUNCTYPE(None, c_void_p, c_char_p, c_uint64, c_uint64)
#: ``vipa_write_fn``: (opaque, bytes, length) → 0, or non-zero to stop.
WriteFn = CFUNCTYPE(c_int, c_void_p, POINTER(ctypes.c_char), c_size_t)


class Struct(ctypes.Structure):
    """Base of the versioned input structs: first member ``unsigned int version``."""

    #: The C type name (``"vipa_household"``).
    c_name: ClassVar[str] = ""
    #: The header constant of the version this mirror describes.
    version_constant: ClassVar[str] = ""
    #: Field values of the header's ``VIPA_X_INIT`` other than 0/NULL.
    defaults: ClassVar[dict[str, Any]] = {}
    #: Whether the struct holds pointers (then raw buffers cannot carry it).
    has_pointers: ClassVar[bool] = False

    @classmethod
    def version_value(cls) -> int:
        return enums.DEFINES[cls.version_constant]

    @classmethod
    def new(cls, **fields: Any) -> "Struct":
        """One record as ``VIPA_X_INIT`` makes it, then ``fields`` set (raw C values).

        An int is checked against its field's C type first (``vipa.Overflow`` naming the
        field): ctypes would keep only its low bits."""
        record = cls(version=cls.version_value(), **cls.defaults)
        for name, value in fields.items():
            if isinstance(value, int):
                _check_field(cls, name, value)
            setattr(record, name, value)
        return record

    @classmethod
    def array(cls, n: int) -> ctypes.Array:
        """An array of ``n`` records, each as ``VIPA_X_INIT`` makes it.

        The array is allocated zeroed, then each field whose initial value is not 0
        (the version, "not given" money) is written down its column with one strided
        ``memoryview`` assignment: no Python code runs per record.
        """
        if n < 0:
            raise ValueError("the number of records must be >= 0")
        if n <= 1024:  # small: copies of one record
            template = _TEMPLATES.get(cls)
            if template is None:
                template = _TEMPLATES[cls] = bytes(cls.new())
            return (cls * n).from_buffer_copy(template * n) if n else (cls * 0)()
        array = (cls * n)()
        size = ctypes.sizeof(cls)
        raw = memoryview(array).cast("B")
        for name, value in {"version": cls.version_value(), **cls.defaults}.items():
            ctype = dict(cls._fields_)[name]
            code = _COLUMN_CODES[(ctypes.sizeof(ctype), ctype(-1).value < 0)]
            width = ctypes.sizeof(ctype)
            offset = getattr(cls, name).offset
            column = raw.cast(code)
            column[offset // width::size // width] = memoryview(
                _struct.pack("=" + code, value) * n).cast(code)
        return array

    @classmethod
    def field_names(cls) -> list[str]:
        """The C field names after ``version``, in order."""
        return [name for name, *_ in cls._fields_][1:]


class CtxOptions(Struct):
    """``vipa_ctx_options`` (vipa/registry.h)."""
    c_name, version_constant = "vipa_ctx_options", "VIPA_CTX_OPTIONS_VERSION"
    has_pointers = True
    _fields_ = [
        ("version", c_uint),
        ("profile", c_char_p),
        ("malloc_fn", MallocFn),
        ("realloc_fn", ReallocFn),
        ("free_fn", FreeFn),
        ("allocator_opaque", c_void_p),
    ]


class RunOptions(Struct):
    """``vipa_run_options`` (vipa/run.h)."""
    c_name, version_constant = "vipa_run_options", "VIPA_RUN_OPTIONS_VERSION"
    has_pointers = True
    _fields_ = [
        ("version", c_uint),
        ("progress", ProgressFn),
        ("progress_opaque", c_void_p),
        ("flags", c_uint),
    ]


#: ``VIPA_NO_ROW``: the index of a row absent from one side of a change (vipa/compare.h).
NO_ROW: int = enums.DEFINES["VIPA_NO_ROW"]


class Change(Struct):
    """``vipa_change`` (vipa/compare.h), an output: one row that differs between the two
    runs of a comparison, where it is in each (``NO_ROW`` on the side without it)."""
    c_name, version_constant = "vipa_change", "VIPA_CHANGE_VERSION"
    defaults = {"year_index": (NO_ROW, NO_ROW), "row": (NO_ROW, NO_ROW)}
    _fields_ = [
        ("version", c_uint),
        ("year", c_int),
        ("year_index", c_size_t * 2),
        ("row", c_size_t * 2),
    ]


class Area(Struct):
    """``vipa_area`` (vipa/registry.h): a county, town or village."""
    c_name, version_constant = "vipa_area", "VIPA_AREA_VERSION"
    has_pointers = True
    _fields_ = [
        ("version", c_uint),
        ("code", vipa_area_code),
        ("level", vipa_enum),
        ("name", c_char_p),
        ("industry", c_char_p),
    ]


class Entity(Struct):
    """``vipa_entity`` (vipa/registry.h): an operating entity (一; selection 三(二))."""
    c_name, version_constant = "vipa_entity", "VIPA_ENTITY_VERSION"
    has_pointers = True
    _fields_ = [
        ("version", c_uint),
        ("id", vipa_id),
        ("name", c_char_p),
        ("kind", vipa_enum),
        ("uscc", c_char_p),
        ("core_village", vipa_area_code),
        ("industry", c_char_p),
        ("selection", c_uint),
    ]


class Household(Struct):
    """``vipa_household`` (vipa/registry.h): a registered poor household."""
    c_name, version_constant = "vipa_household", "VIPA_HOUSEHOLD_VERSION"
    _fields_ = [
        ("version", c_uint),
        ("id", vipa_id),
        ("village", vipa_area_code),
        ("members", c_int),
        ("labour", c_int),
        ("cause", vipa_enum),
        ("willing", c_int),
        ("exited_year", c_int),
    ]


class Assured(Struct):
    """``vipa_assured`` (vipa/registry.h): the guarantees a household held in a year."""
    c_name, version_constant = "vipa_assured", "VIPA_ASSURED_VERSION"
    _fields_ = [
        ("version", c_uint),
        ("household", vipa_id),
        ("year", c_int),
        ("items", c_uint),
    ]


class Agreement(Struct):
    """``vipa_agreement`` (vipa/agreement.h): an agreement (签订协议, 四(二)).

    Version 2: ``support`` (the texts of its ``support_count`` support measures, or NULL
    when only their number is known) and ``dividend_bp`` (the agreed annual dividend
    rate, 二(三)) were appended; the version-1 fields keep their offsets."""
    c_name, version_constant = "vipa_agreement", "VIPA_AGREEMENT_VERSION"
    has_pointers = True
    defaults = {"household_count": -1}
    _fields_ = [
        ("version", c_uint),
        ("id", vipa_id),
        ("entity", vipa_id),
        ("households", POINTER(vipa_id)),
        ("household_len", c_size_t),
        ("household_count", c_int64),
        ("project_count", c_size_t),
        ("support_count", c_size_t),
        ("start", vipa_date),
        ("end", vipa_date),
        ("exit_deadline", c_int),
        ("signed_on", vipa_date),
        ("signer_level", vipa_enum),
        ("signer_area", vipa_area_code),
        # since version 2
        ("support", POINTER(c_char_p)),
        ("dividend_bp", vipa_bp),
    ]


class Plan(Struct):
    """``vipa_plan`` (vipa/agreement.h): a household's assistance plan (四(三))."""
    c_name, version_constant = "vipa_plan", "VIPA_PLAN_VERSION"
    has_pointers = True
    _fields_ = [
        ("version", c_uint),
        ("household", vipa_id),
        ("agreement", vipa_id),
        ("exit_target", c_int),
        ("industry_count", c_size_t),
        ("measure_count", c_size_t),
        ("task_years", POINTER(c_int)),
        ("task_incomes", POINTER(vipa_fen)),
        ("task_len", c_size_t),
        ("filed", c_uint),
        ("person_task_count", c_size_t),
    ]


class Linkage(Struct):
    """``vipa_linkage`` (vipa/ledger.h): a benefit linkage (利益联结, 一 and 二(三))."""
    c_name, version_constant = "vipa_linkage", "VIPA_LINKAGE_VERSION"
    defaults = {"annual": FEN_UNSET, "daily_wage": FEN_UNSET, "rent_per_mu": FEN_UNSET}
    _fields_ = [
        ("version", c_uint),
        ("id", vipa_id),
        ("kind", vipa_enum),
        ("household", vipa_id),
        ("entity", vipa_id),
        ("agreement", vipa_id),
        ("from_year", c_int),
        ("to_year", c_int),
        ("annual", vipa_fen),
        ("days", c_int64),
        ("daily_wage", vipa_fen),
        ("area_cmu", c_int64),
        ("rent_per_mu", vipa_fen),
    ]


class Injection(Struct):
    """``vipa_injection`` (vipa/ledger.h): fiscal funds as equity (三(二))."""
    c_name, version_constant = "vipa_injection", "VIPA_INJECTION_VERSION"
    has_pointers = True
    _fields_ = [
        ("version", c_uint),
        ("id", vipa_id),
        ("entity", vipa_id),
        ("agreement", vipa_id),
        ("date", vipa_date),
        ("amount", vipa_fen),
        ("households", POINTER(vipa_id)),
        ("household_len", c_size_t),
        ("allocation", vipa_enum),
        ("weights", POINTER(c_uint64)),
    ]


class Contribution(Struct):
    """``vipa_contribution`` (vipa/ledger.h): a household's capital (三(三))."""
    c_name, version_constant = "vipa_contribution", "VIPA_CONTRIBUTION_VERSION"
    _fields_ = [
        ("version", c_uint),
        ("household", vipa_id),
        ("entity", vipa_id),
        ("agreement", vipa_id),
        ("kind", vipa_enum),
        ("value", vipa_fen),
        ("date", vipa_date),
    ]


class Transfer(Struct):
    """``vipa_transfer`` (vipa/ledger.h): shares moving between holders."""
    c_name, version_constant = "vipa_transfer", "VIPA_TRANSFER_VERSION"
    _fields_ = [
        ("version", c_uint),
        ("entity", vipa_id),
        ("from_kind", vipa_enum),
        ("from_id", c_uint64),
        ("to_kind", vipa_enum),
        ("to_id", c_uint64),
        ("amount", vipa_fen),
        ("date", vipa_date),
    ]


class Dividend(Struct):
    """``vipa_dividend`` (vipa/ledger.h): an entity's dividend for a year (二(三))."""
    c_name, version_constant = "vipa_dividend", "VIPA_DIVIDEND_VERSION"
    defaults = {"rate_bp": -1, "pool": FEN_UNSET}
    _fields_ = [
        ("version", c_uint),
        ("entity", vipa_id),
        ("year", c_int),
        ("rate_bp", vipa_bp),
        ("pool", vipa_fen),
    ]


class Payment(Struct):
    """``vipa_payment`` (vipa/ledger.h): a payment for a year (四(四))."""
    c_name, version_constant = "vipa_payment", "VIPA_PAYMENT_VERSION"
    _fields_ = [
        ("version", c_uint),
        ("linkage", vipa_id),
        ("entity", vipa_id),
        ("household", vipa_id),
        ("year", c_int),
        ("amount", vipa_fen),
        ("date", vipa_date),
    ]


class Income(Struct):
    """``vipa_income`` (vipa/ledger.h): a household's other net income for a year."""
    c_name, version_constant = "vipa_income", "VIPA_INCOME_VERSION"
    _fields_ = [
        ("version", c_uint),
        ("household", vipa_id),
        ("year", c_int),
        ("other", vipa_fen),
    ]


class Evaluation(Struct):
    """``vipa_evaluation`` (vipa/run.h): a scheduled evaluation (绩效评估, 四(五))."""
    c_name, version_constant = "vipa_evaluation", "VIPA_EVALUATION_VERSION"
    _fields_ = [
        ("version", c_uint),
        ("year", c_int),
        ("date", vipa_date),
        ("recheck", c_int),
    ]


#: The record structs by the kind names of the scenario contract.
RECORD_STRUCTS: dict[str, type[Struct]] = {
    "areas": Area, "entities": Entity, "households": Household, "assured": Assured,
    "agreements": Agreement, "plans": Plan, "linkages": Linkage, "injections": Injection,
    "contributions": Contribution, "transfers": Transfer, "dividends": Dividend,
    "payments": Payment, "incomes": Income, "evaluations": Evaluation,
}

_TEMPLATES: dict[type, bytes] = {}  # one VIPA_X_INIT record of each struct, as bytes

#: The ctypes codes of the integer C types.
_INT_CODES = frozenset("bBhHiIlLqQnN")


def _check_field(cls: type[Struct], name: str, value: int) -> None:
    """Raises ``vipa.Overflow`` when ``value`` does not fit the integer field ``name``."""
    ctype = dict(cls._fields_).get(name)
    if ctype is None or getattr(ctype, "_type_", None) not in _INT_CODES:
        return  # not an integer field: ctypes itself refuses an int where it must
    bits = 8 * ctypes.sizeof(ctype)
    signed = ctype(-1).value < 0
    low, high = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
    if not low <= value <= high:
        raise errors.Overflow(f"{cls.c_name}.{name} {value} does not fit "
                              f"{'' if signed else 'u'}int{bits} ({low}..{high})", code=-3,
                              name="VIPA_E_OVERFLOW")


#: memoryview format of a column of each (size, signed) integer type.
_COLUMN_CODES = {(4, False): "I", (4, True): "i", (8, False): "Q", (8, True): "q"}

_NUMPY_CODES = {
    ctypes.c_uint32: "u4", ctypes.c_int32: "i4", ctypes.c_uint64: "u8",
    ctypes.c_int64: "i8",
}


def numpy_dtype(struct: type[Struct]) -> Any:
    """The NumPy structured dtype with exactly the C layout of ``struct`` (names,
    offsets, item size). Raises ``ImportError`` when NumPy is not installed and
    ``TypeError`` for a struct that holds pointers."""
    if struct.has_pointers:
        raise TypeError(f"{struct.c_name} holds pointers; it cannot live in a NumPy array")
    import numpy  # optional dependency, imported only here

    names, formats, offsets = [], [], []
    for name, ctype in struct._fields_:
        base = next(t for t in _NUMPY_CODES if ctypes.sizeof(t) == ctypes.sizeof(ctype)
                    and (t(-1).value < 0) == (ctype(-1).value < 0))
        names.append(name)
        formats.append("=" + _NUMPY_CODES[base])
        offsets.append(getattr(struct, name).offset)
    return numpy.dtype({"names": names, "formats": formats, "offsets": offsets,
                        "itemsize": ctypes.sizeof(struct)})
