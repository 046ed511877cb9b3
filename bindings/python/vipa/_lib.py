"""Finding and loading libvipa, and the one table of C prototypes.

**Where the library is looked for**, in order (the first that loads and has the right
version wins; every failure is collected into one ``ImportError``):

1. ``$VIPA_LIBRARY``, the path of ``libvipa.so.0``. When it is set it is the *only*
   candidate: a library named explicitly is never silently replaced by another one.
2. The directory the library was installed in, as ``meson install`` recorded it in
   ``vipa/_paths.py`` (``LIBDIR``) when it installed this package beside the library
   (bindings/meson.build). A package installed by pip from the checkout has no
   ``_paths.py`` and skips this.
3. The build tree of the source checkout: ``build/lib``, ``build-test/lib`` and
   ``build-lead/lib`` under the repository that contains this package, then under the
   current directory or its nearest parent holding ``include/vipa.h``.
4. This package's own directory (a ``libvipa.so.0`` shipped beside ``__init__.py``).
5. ``ctypes.util.find_library("vipa")``, then ``libvipa.so.0`` as the dynamic loader
   finds it (``LD_LIBRARY_PATH``, the ``ldconfig`` cache).

**Version**: the library's ``vipa_version_string()`` must have the package's major
version, and before 1.0 also its minor version (before 1.0 the ABI may change between
minor versions, docs/ABI.md); any patch level is accepted. A libvipa of another version
that lacks functions of the table is refused naming its version.

**Sanitizers**: a library built with AddressSanitizer (or ThreadSanitizer) needs its
runtime loaded before anything else; ``dlopen()`` of it from a plain ``python3`` would
end the process. Such a library is refused with an ``ImportError`` that says so,
unless the runtime is already loaded (``LD_PRELOAD``).

**The prototype table** ``PROTOTYPES`` lists every function of ``lib/libvipa.map``
with its argument types, return type and ``errcheck``; nothing else is called. Every
call is checked: a function returning a status raises the ``vipa.Error`` subclass of a
negative code (with the context's message when the call has a context), text results
are decoded from UTF-8, and the rest pass their value through. The functions are
reached as attributes of ``lib`` (``lib.vipa_run(...)``), looked up at each call.

**Arguments** are checked before ctypes sees them, by the caller of each function:
integers against their C type (``check_int``), texts for a NUL (``check_text``), since
ctypes would silently cut both. **Handles** (a context, result, ledger, findings list,
explanation, comparison) are only used holding their context's lock, after checking under
it that they are still open (``Owned``).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import pathlib
import threading
import types
from ctypes import POINTER as P
from ctypes import (c_char, c_char_p, c_int, c_int32, c_int64, c_long, c_size_t, c_uint,
                    c_uint64, c_void_p)
from typing import Any, Callable, NamedTuple, Optional, TypeVar

from . import _elf, errors, structs
from ._version import __version__

__all__ = ["lib", "path", "version", "PROTOTYPES", "LOAD_ATTEMPTS", "CtxP", "ResultP",
           "LedgerP", "FindingsP", "ExplanationP", "ComparisonP", "HANDLES", "Owned",
           "Borrowed", "text_of",
           "check_int", "check_text", "int_range"]


# ---- opaque handles ------------------------------------------------------------------

class _Opaque(ctypes.Structure):
    """Base of the opaque C types: only pointers to them exist."""


class vipa_ctx(_Opaque):
    pass


class vipa_result(_Opaque):
    pass


class vipa_ledger(_Opaque):
    pass


class vipa_findings(_Opaque):
    pass


class vipa_explanation(_Opaque):
    pass


class vipa_comparison(_Opaque):
    pass


CtxP = P(vipa_ctx)
ResultP = P(vipa_result)
LedgerP = P(vipa_ledger)
FindingsP = P(vipa_findings)
ExplanationP = P(vipa_explanation)
ComparisonP = P(vipa_comparison)

#: The pointer types of the library's objects. A call given one of them is made holding
#: the lock of the context it belongs to (see ``Owned``).
HANDLES = (CtxP, ResultP, LedgerP, FindingsP, ExplanationP, ComparisonP)

fen = c_int64
bp = c_int32
id_ = c_uint64
date = c_int32
code = c_uint64
enum = c_int
size = c_size_t
text = c_char_p


# ---- errcheck functions ----------------------------------------------------------------

Errcheck = Callable[[Any, Any, tuple], Any]


def text_of(raw: Optional[bytes]) -> Optional[str]:
    """UTF-8 text from the library (``None`` stays ``None``)."""
    return None if raw is None else raw.decode("utf-8")


def _value(result: Any, func: Any, args: tuple) -> Any:
    """Counts, ids, enumerations and handles: the value as returned."""
    return result


def _void(result: Any, func: Any, args: tuple) -> None:
    """Functions returning nothing (the ``*_free`` functions)."""
    return None


def _text(result: Optional[bytes], func: Any, args: tuple) -> Optional[str]:
    """``const char *`` results: decoded; ``NULL`` (e.g. an unknown rule) is ``None``."""
    return text_of(result)


def _raise(status: int, func_name: str, detail: Optional[str]) -> None:
    message = detail or lib.vipa_strerror(status)
    name = lib.vipa_error_name(status)
    raise errors.error_class(status)(message, code=status, name=name, function=func_name)


def _status(ctx: Optional[int] = None, why: Optional[int] = None) -> Errcheck:
    """An errcheck for a function returning a status: raises on a negative code.

    ``ctx`` is the index of the context argument, whose ``vipa_ctx_errmsg()`` becomes
    the message; ``why`` the index of a ``const char **why`` output that carries it.
    """
    def check(result: int, func: Any, args: tuple) -> int:
        if result >= 0:
            return result
        detail = None
        if ctx is not None and args[ctx]:
            detail = lib.vipa_ctx_errmsg(args[ctx])
        elif why is not None:
            holder = getattr(args[why], "_obj", args[why])
            detail = text_of(getattr(holder, "value", None))
        _raise(result, func.__name__, detail)
        return result  # not reached
    check.__name__ = f"status(ctx={ctx}, why={why})"
    return check


class Proto(NamedTuple):
    """One row of the prototype table."""
    name: str
    argtypes: list
    restype: Any
    errcheck: Errcheck


S = _status          # status without a context: the library's static text
SC0 = _status(ctx=0)  # the context is the first argument
SC1 = _status(ctx=1)  # the context follows one output argument

#: Every exported function of libvipa (lib/libvipa.map: VIPA_0.1 to VIPA_0.4), by header.
PROTOTYPES: list[Proto] = [
    # vipa/common.h
    Proto("vipa_version_number", [], c_long, _value),
    Proto("vipa_version_string", [], text, _text),
    # vipa/error.h
    Proto("vipa_strerror", [c_int], text, _text),
    Proto("vipa_error_name", [c_int], text, _text),
    Proto("vipa_error_from_name", [P(c_int), text], c_int, S()),
    # vipa/money.h
    Proto("vipa_fen_add", [P(fen), fen, fen], c_int, S()),
    Proto("vipa_fen_sub", [P(fen), fen, fen], c_int, S()),
    Proto("vipa_fen_mul", [P(fen), fen, c_int64], c_int, S()),
    Proto("vipa_fen_mul_bp", [P(fen), fen, bp], c_int, S()),
    Proto("vipa_fen_mul_bp_trunc", [P(fen), fen, bp], c_int, S()),
    Proto("vipa_fen_mul_area", [P(fen), fen, c_int64], c_int, S()),
    Proto("vipa_fen_parse", [P(fen), text, P(text)], c_int, S(why=2)),
    Proto("vipa_fen_format", [P(c_char), size, fen], c_int, S()),
    Proto("vipa_split", [P(fen), fen, P(c_uint64), size], c_int, S()),
    # vipa/date.h
    Proto("vipa_date_make", [P(date), c_int, c_int, c_int], c_int, S()),
    Proto("vipa_date_parse", [P(date), text], c_int, S()),
    Proto("vipa_date_format", [P(c_char), size, date], c_int, S()),
    Proto("vipa_date_is_valid", [date], c_int, _value),
    # vipa/area.h
    Proto("vipa_area_code_parse", [P(code), text], c_int, S()),
    Proto("vipa_area_code_format", [P(c_char), size, code], c_int, S()),
    Proto("vipa_area_code_level", [code], enum, _value),
    Proto("vipa_area_code_parent", [P(code), code, enum], c_int, S()),
    Proto("vipa_signer_compute", [P(enum), P(code), code, P(code), size], c_int, S()),
    Proto("vipa_signer_level_name", [enum], text, _text),
    Proto("vipa_linkage_kind_name", [enum], text, _text),
    Proto("vipa_holder_kind_name", [enum], text, _text),
    Proto("vipa_area_level_name", [enum], text, _text),
    # vipa/rules.h
    Proto("vipa_rule_id", [enum], text, _text),
    Proto("vipa_rule_clause", [enum], text, _text),
    Proto("vipa_rule_severity", [enum], enum, _value),
    Proto("vipa_rule_summary", [enum, text], text, _text),
    Proto("vipa_rule_from_id", [P(enum), text], c_int, S()),
    Proto("vipa_rule_count", [], c_int, _value),
    Proto("vipa_severity_name", [enum], text, _text),
    # vipa/registry.h
    Proto("vipa_ctx_new", [P(CtxP), P(structs.CtxOptions)], c_int, S()),
    Proto("vipa_ctx_free", [CtxP], None, _void),
    Proto("vipa_ctx_errmsg", [CtxP], text, _text),
    Proto("vipa_ctx_errcode", [CtxP], c_int, _value),
    Proto("vipa_profile_name", [CtxP], text, _text),
    Proto("vipa_param_type_of", [CtxP, text], enum, _value),
    Proto("vipa_param_set_int", [CtxP, text, c_int64], c_int, SC0),
    Proto("vipa_param_get_int", [P(c_int64), CtxP, text], c_int, SC1),
    Proto("vipa_param_set_bool", [CtxP, text, c_int], c_int, SC0),
    Proto("vipa_param_get_bool", [P(c_int), CtxP, text], c_int, SC1),
    Proto("vipa_param_set_text", [CtxP, text, text], c_int, SC0),
    Proto("vipa_param_get_text", [P(text), CtxP, text], c_int, SC1),
    Proto("vipa_param_set_fen", [CtxP, text, fen], c_int, SC0),
    Proto("vipa_param_get_fen", [P(fen), CtxP, text], c_int, SC1),
    Proto("vipa_poverty_line", [P(fen), CtxP, c_int], c_int, SC1),
    Proto("vipa_ctx_set_as_of", [CtxP, date], c_int, SC0),
    Proto("vipa_ctx_as_of", [CtxP], date, _value),
    Proto("vipa_ctx_add_areas", [CtxP, P(structs.Area), size], c_int, SC0),
    Proto("vipa_ctx_area_count", [CtxP], size, _value),
    Proto("vipa_ctx_add_entities", [CtxP, P(structs.Entity), size], c_int, SC0),
    Proto("vipa_ctx_entity_count", [CtxP], size, _value),
    Proto("vipa_uscc_check", [text, P(text)], c_int, S(why=1)),
    Proto("vipa_ctx_add_households", [CtxP, P(structs.Household), size], c_int, SC0),
    Proto("vipa_ctx_household_count", [CtxP], size, _value),
    Proto("vipa_ctx_add_assured", [CtxP, P(structs.Assured), size], c_int, SC0),
    # vipa/agreement.h
    Proto("vipa_ctx_add_agreements", [CtxP, P(structs.Agreement), size], c_int, SC0),
    Proto("vipa_ctx_agreement_count", [CtxP], size, _value),
    Proto("vipa_ctx_add_plans", [CtxP, P(structs.Plan), size], c_int, SC0),
    Proto("vipa_ctx_plan_count", [CtxP], size, _value),
    # vipa/findings.h
    Proto("vipa_check", [P(FindingsP), CtxP], c_int, SC1),
    Proto("vipa_findings_free", [FindingsP], None, _void),
    Proto("vipa_findings_count", [FindingsP], size, _value),
    Proto("vipa_findings_count_at_least", [FindingsP, enum], size, _value),
    Proto("vipa_finding_rule", [FindingsP, size], enum, _value),
    Proto("vipa_finding_severity", [FindingsP, size], enum, _value),
    Proto("vipa_finding_subject_kind", [FindingsP, size], enum, _value),
    Proto("vipa_finding_subject_id", [FindingsP, size], c_uint64, _value),
    Proto("vipa_finding_year", [FindingsP, size], c_int, _value),
    Proto("vipa_finding_message", [FindingsP, size], text, _text),
    Proto("vipa_finding_message_format", [P(c_char), size, FindingsP, size], c_int, S()),
    Proto("vipa_finding_message_format_lang", [P(c_char), size, FindingsP, size, text], c_int,
          S()),
    Proto("vipa_finding_expected", [FindingsP, size], text, _text),
    Proto("vipa_finding_actual", [FindingsP, size], text, _text),
    Proto("vipa_subject_kind_name", [enum], text, _text),
    # vipa/ledger.h
    Proto("vipa_ctx_add_linkages", [CtxP, P(structs.Linkage), size], c_int, SC0),
    Proto("vipa_ctx_add_injections", [CtxP, P(structs.Injection), size], c_int, SC0),
    Proto("vipa_ctx_add_contributions", [CtxP, P(structs.Contribution), size], c_int, SC0),
    Proto("vipa_ctx_add_transfers", [CtxP, P(structs.Transfer), size], c_int, SC0),
    Proto("vipa_ctx_add_dividends", [CtxP, P(structs.Dividend), size], c_int, SC0),
    Proto("vipa_ctx_add_payments", [CtxP, P(structs.Payment), size], c_int, SC0),
    Proto("vipa_ctx_add_incomes", [CtxP, P(structs.Income), size], c_int, SC0),
    Proto("vipa_ledger_build", [P(LedgerP), CtxP], c_int, SC1),
    Proto("vipa_ledger_free", [LedgerP], None, _void),
    Proto("vipa_ledger_linkage_due", [P(fen), LedgerP, id_, c_int], c_int, S()),
    Proto("vipa_ledger_linkage_paid", [P(fen), LedgerP, id_, c_int, date], c_int, S()),
    Proto("vipa_ledger_dividend_due", [P(fen), LedgerP, id_, id_, c_int], c_int, S()),
    Proto("vipa_ledger_dividend_paid", [P(fen), LedgerP, id_, id_, c_int, date], c_int, S()),
    Proto("vipa_ledger_income", [P(fen), LedgerP, id_, c_int, date], c_int, S()),
    Proto("vipa_ledger_meets_standard", [P(c_int), P(fen), LedgerP, id_, c_int, date],
          c_int, S()),
    Proto("vipa_ledger_holding", [P(fen), LedgerP, id_, enum, c_uint64, date], c_int, S()),
    Proto("vipa_ledger_allocation_count", [LedgerP], size, _value),
    Proto("vipa_ledger_allocation", [P(id_), P(enum), P(c_uint64), P(fen), LedgerP, size],
          c_int, S()),
    Proto("vipa_ledger_coverage", [P(size), P(size), LedgerP, code, c_int], c_int, S()),
    Proto("vipa_ledger_check", [P(FindingsP), LedgerP, c_int, date], c_int, S()),
    # vipa/run.h
    Proto("vipa_ctx_add_evaluations", [CtxP, P(structs.Evaluation), size], c_int, SC0),
    Proto("vipa_run", [P(ResultP), CtxP, P(structs.RunOptions)], c_int, SC1),
    Proto("vipa_result_free", [ResultP], None, _void),
    Proto("vipa_result_stamp", [ResultP, text], text, _text),
    Proto("vipa_result_signer_count", [ResultP], size, _value),
    Proto("vipa_result_signer", [P(id_), P(enum), P(code), ResultP, size], c_int, S()),
    Proto("vipa_result_allocation_count", [ResultP], size, _value),
    Proto("vipa_result_allocation", [P(id_), P(enum), P(c_uint64), P(fen), ResultP, size],
          c_int, S()),
    Proto("vipa_result_household_count", [ResultP], size, _value),
    Proto("vipa_result_household", [P(id_), P(c_int), ResultP, size], c_int, S()),
    Proto("vipa_result_entity_count", [ResultP], size, _value),
    Proto("vipa_result_entity", [P(id_), P(enum), P(date), P(size), ResultP, size],
          c_int, S()),
    Proto("vipa_result_entity_favoured", [P(c_int), ResultP, size, size], c_int, S()),
    Proto("vipa_result_disclosure_count", [ResultP], size, _value),
    Proto("vipa_result_disclosure", [P(id_), P(fen), P(size), ResultP, size], c_int, S()),
    Proto("vipa_result_disclosure_support_count", [ResultP, size], size, _value),
    Proto("vipa_result_disclosure_support", [ResultP, size, size], text, _text),
    Proto("vipa_result_findings", [ResultP], FindingsP, _value),
    Proto("vipa_result_year_count", [ResultP], size, _value),
    Proto("vipa_result_year", [ResultP, size], c_int, _value),
    Proto("vipa_result_year_household_count", [ResultP, size], size, _value),
    Proto("vipa_result_year_household", [P(id_), P(fen), P(fen), P(c_int), ResultP, size,
                                         size], c_int, S()),
    Proto("vipa_result_year_dividend_count", [ResultP, size], size, _value),
    Proto("vipa_result_year_dividend", [P(id_), P(id_), P(fen), P(fen), ResultP, size, size],
          c_int, S()),
    Proto("vipa_result_year_complete", [ResultP, size], c_int, _value),
    Proto("vipa_result_year_obligation_count", [ResultP, size], size, _value),
    Proto("vipa_result_year_obligation", [P(id_), P(id_), P(enum), P(fen), P(fen), ResultP,
                                          size, size], c_int, S()),
    Proto("vipa_result_year_coverage_count", [ResultP, size], size, _value),
    Proto("vipa_result_year_coverage", [P(code), P(size), P(size), ResultP, size, size],
          c_int, S()),
    Proto("vipa_result_year_evaluation_count", [ResultP, size], size, _value),
    Proto("vipa_result_year_evaluation", [P(id_), P(id_), P(date), P(c_int), P(enum),
                                          ResultP, size, size], c_int, S()),
    Proto("vipa_result_year_failed_count", [ResultP, size, size], size, _value),
    Proto("vipa_result_year_failed", [P(enum), P(enum), P(c_uint64), P(text), P(text),
                                      ResultP, size, size, size], c_int, S()),
    # Rows into structs (0.2): the struct-per-row style for C programs; the bindings read
    # rows through the accessors above, and bind these so that every export is reachable.
    *[Proto(f"vipa_result_{name}_row", [c_void_p, size, ResultP, *[size] * indexes], c_int, S())
      for name, indexes in (("signer", 1), ("allocation", 1), ("household", 1), ("entity", 1),
                            ("disclosure", 1), ("year_household", 2), ("year_dividend", 2),
                            ("year_obligation", 2), ("year_coverage", 2),
                            ("year_evaluation", 2), ("year_failed", 3))],
    Proto("vipa_outcome_name", [enum], text, _text),
    Proto("vipa_entity_status_name", [enum], text, _text),
    Proto("vipa_explain_household", [P(ExplanationP), ResultP, id_, c_int], c_int, S()),
    Proto("vipa_explain_agreement", [P(ExplanationP), ResultP, id_, c_int], c_int, S()),
    Proto("vipa_explanation_free", [ExplanationP], None, _void),
    Proto("vipa_explanation_step_count", [ExplanationP], size, _value),
    Proto("vipa_explanation_step", [P(enum), P(enum), P(fen), P(date), P(text),
                                    ExplanationP, size], c_int, S()),
    Proto("vipa_explanation_verdict", [P(c_int), P(enum), P(c_uint64), ExplanationP, size],
          c_int, S()),
    Proto("vipa_explanation_text", [ExplanationP], text, _text),
    Proto("vipa_explanation_step_text", [ExplanationP, size, text], text, _text),
    Proto("vipa_explanation_text_lang", [ExplanationP, text], text, _text),
    # vipa/scenario.h
    Proto("vipa_scenario_load", [CtxP, c_char_p, size, P(text)], c_int, SC0),
    Proto("vipa_scenario_load_file", [CtxP, text, P(text)], c_int, SC0),
    Proto("vipa_report_json", [P(P(c_char)), P(size), ResultP, c_uint], c_int, S()),
    Proto("vipa_report_write", [ResultP, c_uint, structs.WriteFn, c_void_p], c_int, S()),
    Proto("vipa_free", [c_void_p], None, _void),
    Proto("vipa_scenario_export", [P(P(c_char)), P(size), CtxP, c_uint], c_int, _status(ctx=2)),
    # forks, reforms and comparisons (VIPA_0.4: vipa/registry.h, scenario.h, compare.h)
    Proto("vipa_ctx_fork", [P(CtxP), CtxP], c_int, SC1),
    Proto("vipa_ctx_is_fork", [CtxP], c_int, _value),
    Proto("vipa_reform_load", [CtxP, c_char_p, size, P(text)], c_int, SC0),
    Proto("vipa_table_name", [enum], text, _text),
    Proto("vipa_compare", [P(ComparisonP), CtxP, CtxP, P(structs.RunOptions)], c_int, SC1),
    Proto("vipa_comparison_free", [ComparisonP], None, _void),
    Proto("vipa_comparison_result", [ComparisonP, c_int], ResultP, _value),
    Proto("vipa_comparison_change_count", [ComparisonP, enum], size, _value),
    Proto("vipa_comparison_change", [P(structs.Change), ComparisonP, enum, size], c_int, S()),
    Proto("vipa_comparison_write", [ComparisonP, c_uint, structs.WriteFn, c_void_p], c_int,
          S()),
    Proto("vipa_comparison_json", [P(P(c_char)), P(size), ComparisonP, c_uint], c_int, S()),
    Proto("vipa_comparison_change_json", [P(P(c_char)), P(size), ComparisonP, enum, size, c_uint],
          c_int, S()),
    # the runtime initialisers of the versioned input structs (VIPA_0.2): what each
    # header's VIPA_X_INIT gives, for a struct of the version passed
    *(Proto(f"{struct.c_name}_init", [P(struct), c_uint], c_int, S())
      for struct in (structs.CtxOptions, structs.Area, structs.Entity, structs.Household,
                     structs.Assured, structs.Agreement, structs.Plan, structs.Linkage,
                     structs.Injection, structs.Contribution, structs.Transfer,
                     structs.Dividend, structs.Payment, structs.Income, structs.Evaluation,
                     structs.RunOptions)),
]


# ---- arguments: checked before ctypes sees them ------------------------------------------
#
# ctypes converts without a word of complaint what C would not accept: an int is cut to
# the low bits of its C type (2**32 + 12 passed as an ``int`` is 12, -1 as a ``uint64_t``
# is 2**64 - 1) and a C string ends at its first NUL ('1\0abc' is '1'). Every integer and
# every text the bindings pass to the library goes through one of these first.

#: (low, high) of each integer C type of the prototypes and structs.
_RANGES: dict = {}


def int_range(ctype: Any) -> tuple[int, int]:
    """The values the integer C type ``ctype`` holds, ``(low, high)``."""
    try:
        return _RANGES[ctype]
    except KeyError:
        bits = 8 * ctypes.sizeof(ctype)
        signed = ctype(-1).value < 0
        bounds = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
        _RANGES[ctype] = bounds
        return bounds


def check_int(value: Any, what: str, ctype: Any = c_int) -> int:
    """``value`` as an int that fits the C type ``ctype``, checked *before* it reaches
    ctypes (which would silently keep only the low bits: 2**32 + 12 passed as an ``int``
    is 12). Raises ``TypeError`` for a bool, a float or another type, and
    ``vipa.Overflow`` (an ``OverflowError``) naming ``what`` outside the type's range."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")
    low, high = int_range(ctype)
    if not low <= value <= high:
        bits = 8 * ctypes.sizeof(ctype)
        raise errors.Overflow(f"{what} {value} does not fit {'' if low else 'u'}int{bits} "
                              f"({low}..{high})", code=-3, name="VIPA_E_OVERFLOW")
    return int(value)


def check_text(value: Any, what: str) -> bytes:
    """``value``, a str, as the UTF-8 bytes of a C string, checked *before* it reaches
    ctypes: the library reads a C string up to its first NUL, so ``'1\\0abc'`` would
    silently be ``'1'``. Raises ``TypeError`` for another type and ``vipa.InvalidArgument``
    (a ``ValueError``) naming ``what`` for a NUL or text that UTF-8 cannot encode."""
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, not {type(value).__name__}")
    if "\0" in value:
        raise errors.InvalidArgument(f"{what} {value!r} contains a NUL character, where the "
                                     f"C string would end", code=-1, name="VIPA_E_INVALID")
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError as e:
        raise errors.InvalidArgument(f"{what} {value!r} cannot be written as UTF-8 ({e.reason})",
                                     code=-1, name="VIPA_E_INVALID") from None


# ---- loading --------------------------------------------------------------------------

#: Every candidate tried while loading, as (where, outcome) pairs.
LOAD_ATTEMPTS: list[tuple[str, str]] = []

_SONAME = "libvipa.so.0"
_BUILD_DIRS = ("build/lib", "build-test/lib", "build-lead/lib")


def _repo_roots() -> list[pathlib.Path]:
    """Source checkouts to look in: the one holding this package, then the current
    directory or its nearest parent with ``include/vipa.h``."""
    roots: list[pathlib.Path] = []
    here = pathlib.Path(__file__).resolve()
    if len(here.parents) > 3 and (here.parents[3] / "include" / "vipa.h").is_file():
        roots.append(here.parents[3])
    try:
        cwd = pathlib.Path.cwd().resolve()
    except OSError:
        cwd = None
    if cwd is not None:
        for directory in (cwd, *cwd.parents):
            if (directory / "include" / "vipa.h").is_file():
                if directory not in roots:
                    roots.append(directory)
                break
    return roots


def _recorded_libdir() -> str:
    """``LIBDIR`` of ``vipa/_paths.py``, which only ``meson install`` writes ("" when
    there is none: a checkout, or a package pip installed from it)."""
    try:
        from . import _paths  # type: ignore[attr-defined]
    except ImportError:
        return ""
    libdir = getattr(_paths, "LIBDIR", "")
    return libdir if isinstance(libdir, str) else ""


def _candidates() -> list[tuple[str, str]]:
    """(where, what to dlopen) in search order."""
    explicit = os.environ.get("VIPA_LIBRARY")
    if explicit:
        return [("$VIPA_LIBRARY", explicit)]
    found: list[tuple[str, str]] = []
    recorded = _recorded_libdir()
    if recorded:
        found.append(("libdir recorded by meson install", os.path.join(recorded, _SONAME)))
    for root in _repo_roots():
        for build in _BUILD_DIRS:
            found.append(("build tree", str(root / build / _SONAME)))
    found.append(("package directory", str(pathlib.Path(__file__).resolve().parent / _SONAME)))
    name = ctypes.util.find_library("vipa")
    found.append(("ctypes.util.find_library('vipa')", name or ""))
    found.append(("dynamic loader search", _SONAME))
    return found


def _compatible(library: str, package: str) -> bool:
    """Same major version, and before 1.0 the same minor version too."""
    lib_v = [int(x) for x in library.split(".")[:2]]
    pkg_v = [int(x) for x in package.split(".")[:2]]
    return lib_v[0] == pkg_v[0] and (pkg_v[0] >= 1 or lib_v[1] == pkg_v[1])


def _bind(dll: ctypes.CDLL) -> types.SimpleNamespace:
    """The functions of the table, typed and checked. Raises ``LookupError`` naming any
    function the library lacks."""
    functions = types.SimpleNamespace()
    missing = []
    for proto in PROTOTYPES:
        try:
            func = getattr(dll, proto.name)
        except AttributeError:
            missing.append(proto.name)
            continue
        func.argtypes = proto.argtypes
        func.restype = proto.restype
        func.errcheck = proto.errcheck
        setattr(functions, proto.name, func)
    if missing:
        raise LookupError("missing function(s) " + ", ".join(missing))
    return functions


def _version_of(dll: ctypes.CDLL) -> Optional[str]:
    """The ``vipa_version_string()`` of a library the table does not fit, when it has one
    that reads as MAJOR.MINOR.PATCH (``None`` otherwise)."""
    try:
        func = dll["vipa_version_string"]  # a fresh function object, not _bind()'s
    except AttributeError:
        return None
    func.argtypes, func.restype = [], c_char_p
    raw = func()
    text = raw.decode("ascii", "replace") if raw else ""
    parts = text.split(".")
    return text if len(parts) == 3 and all(p.isdigit() for p in parts) else None


def _try(where: str, target: str) -> Optional[tuple[types.SimpleNamespace, str, str]]:
    """Loads one candidate, or records why not and returns ``None``."""
    def fail(why: str) -> None:
        LOAD_ATTEMPTS.append((f"{where}: {target}" if target else where, why))

    if not target:
        fail("not found")
        return None
    is_path = os.sep in target
    if is_path and not os.path.exists(target):
        fail("no such file")
        return None
    if is_path:
        for runtime in _elf.sanitizer_runtimes(target):
            if not _elf.runtime_loaded(runtime):
                fail(f"built with a sanitizer: it needs {runtime} loaded first; run Python "
                     f"with LD_PRELOAD=$(cc -print-file-name={runtime.split('.so')[0]}.so)")
                return None
    try:
        dll = ctypes.CDLL(target)
    except OSError as e:
        fail(f"cannot be loaded: {e}")
        return None
    try:
        functions = _bind(dll)
    except LookupError as e:
        older = _version_of(dll)  # a libvipa of another version lacks newer functions
        if older is not None and not _compatible(older, __version__):
            fail(f"is version {older}; this package (vipa {__version__}) needs "
                 f"{__version__.rsplit('.', 1)[0]}.x")
        else:
            fail(f"is not libvipa {__version__}: {e}")
        return None
    global lib
    previous, lib = lib, functions  # errcheck reads `lib`
    try:
        found = functions.vipa_version_string()
        number = functions.vipa_version_number()
    finally:
        lib = previous
    major, minor, patch = (int(x) for x in found.split("."))
    if number != major * 1_000_000 + minor * 1_000 + patch:
        fail(f"reports version {found} but number {number}")
        return None
    if not _compatible(found, __version__):
        fail(f"is version {found}; this package (vipa {__version__}) needs "
             f"{__version__.rsplit('.', 1)[0]}.x")
        return None
    loaded = getattr(dll, "_name", target)
    if not is_path:  # report where the loader found it
        loaded = _resolved_path(dll) or loaded
    LOAD_ATTEMPTS.append((f"{where}: {target}", f"loaded, version {found}"))
    return functions, loaded, found


def _resolved_path(dll: ctypes.CDLL) -> Optional[str]:
    """The file a library loaded by name came from (Linux: from /proc/self/maps)."""
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            for line in maps:
                if line.rstrip().endswith("/" + _SONAME) or "/libvipa.so" in line:
                    return line.split()[-1]
    except OSError:
        pass
    return None


def _load() -> tuple[types.SimpleNamespace, str, str]:
    for where, target in _candidates():
        loaded = _try(where, target)
        if loaded is not None:
            return loaded
    lines = "\n".join(f"  - {where}: {why}" for where, why in LOAD_ATTEMPTS)
    hint = ("VIPA_LIBRARY is set, so nothing else was tried."
            if os.environ.get("VIPA_LIBRARY") else
            "Build it (scripts/run-example, or `meson setup build && ninja -C build` in the "
            "libvipa checkout and run from there), install it where the dynamic loader "
            "finds it (`meson install`, which also installs this package knowing where), "
            "or set VIPA_LIBRARY to the path of libvipa.so.0.")
    raise ImportError(f"vipa {__version__}: cannot load the C library libvipa "
                      f"{__version__.rsplit('.', 1)[0]}. Tried:\n{lines}\n{hint}")


lib: types.SimpleNamespace = types.SimpleNamespace()
lib, path, version = _load()


# ---- ownership of C objects --------------------------------------------------------------

def write_through(out: Any, call: Callable[[Any], None]) -> None:
    """Runs ``call(callback)``, a ``vipa_*_write()`` of the library given a
    ``vipa_write_fn`` that hands each block to ``out.write(bytes)``; an exception of
    ``out.write`` stops the writing (the library then fails with VIPA_E_IO) and is raised
    here in place of that failure."""
    raised: list[BaseException] = []

    def write(opaque: Any, data: Any, length: int) -> int:
        try:
            out.write(ctypes.string_at(data, length))
            return 0
        except BaseException as e:  # noqa: BLE001 - handed back to the caller below
            raised.append(e)
            return 1

    try:
        call(structs.WriteFn(write))
    except errors.IOError_:
        if raised:
            raise raised[0] from None
        raise


class Owned:
    """One owned C object (context, result, ledger, explanation) and its free function.

    Objects form a tree: a result depends on its context, an explanation on its result.
    ``close()`` frees the children first, then the object, exactly once; closing a child
    removes it from its parent. The free function is captured at creation, so closing
    works at interpreter shutdown, when module globals may already be gone.

    **Locking**: a tree belongs to one ``Context`` and is guarded by its lock
    (``Context._lock``). Every call of the library on a handle of the tree — reading a
    result, a ledger, findings or an explanation, changing the context, ``close()`` —
    is made holding that lock, after checking *under the lock* that the handle is still
    open: another thread that changes or closes the context frees the results and
    ledgers of it, and a reader that called without the lock, or checked before taking
    it, would read freed memory.
    """

    __slots__ = ("ptr", "_free", "parent", "children", "__weakref__")

    def __init__(self, ptr: Any, free: Callable[[Any], None],
                 parent: Optional["Owned"] = None) -> None:
        self.ptr = ptr
        self._free = free
        self.parent = parent
        self.children: dict[int, Owned] = {}
        if parent is not None:
            parent.children[id(self)] = self

    @property
    def closed(self) -> bool:
        return self.ptr is None

    def close_children(self) -> None:
        for child in list(self.children.values()):
            child.close()

    def close(self) -> None:
        if self.ptr is None:
            return
        self.close_children()
        ptr, self.ptr = self.ptr, None
        try:
            self._free(ptr)
        finally:
            if self.parent is not None:
                self.parent.children.pop(id(self), None)
                self.parent = None


class Borrowed:
    """What a Context hands out and owns (a result, a ledger): freed by ``close()``, by
    ``with``, or when the context changes or closes; used after that it raises
    ``vipa.StateError`` with the subclass's ``_closed_message``."""

    __slots__ = ("_context", "_owned", "__weakref__")
    _closed_message = "this object is closed"

    @property
    def closed(self) -> bool:
        return self._owned.closed

    def close(self) -> None:
        """Frees the C object now (idempotent)."""
        with self._context._lock:
            self._owned.close()

    def __enter__(self: _B) -> _B:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        # Only with the context's lock, as every call on a handle: closing without it
        # would race a close of the context on another thread (a double free, or the
        # result freed after its context). A finaliser must not wait, though (it may run
        # in any thread, at any allocation): when another thread holds the lock, the C
        # object stays in its context's tree and is freed at the context's next change
        # or close, as every result is.
        try:
            lock = self._context._lock
            if lock.acquire(blocking=False):
                try:
                    self._owned.close()
                finally:
                    lock.release()
        except Exception:  # never raise from a finaliser (interpreter shutdown...)
            pass

    def _ptr(self) -> Any:
        ptr = self._owned.ptr
        if ptr is None:
            raise errors.StateError(self._closed_message, code=-9, name="VIPA_E_STATE")
        return ptr


_B = TypeVar("_B", bound=Borrowed)


#: Serialises calls on contexts from several threads (docs/threading.md: a function
#: taking `vipa_ctx *` needs exclusive access; its message must be read before another
#: call on the context replaces it). One lock per Context is created from this factory.
new_lock: Callable[[], Any] = threading.RLock
