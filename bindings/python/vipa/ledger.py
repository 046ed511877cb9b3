"""The ledger (vipa/ledger.h): figures derived from a context's records in one pass.

``Context.ledger()`` builds it (``vipa_ledger_build()``): allocations of every
injection (三(二)), the share register, dividends due (二(三)), payments and incomes
(四(四)), answered for any year and cut-off date. Like a ``Result`` it borrows the
context: changing or closing the context closes the ledger first, and a ledger used
after that raises ``vipa.StateError``.
"""

from __future__ import annotations

import ctypes
from ctypes import byref
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Optional, Union

from . import codes, enums, errors, money, views
from ._lib import Borrowed, FindingsP, Owned, check_int, lib
from .codes import AreaCode, DateLike
from .views import EquityAllocation, Coverage, Finding, Holder

if TYPE_CHECKING:  # pragma: no cover
    from .context import Context

__all__ = ["Ledger"]


def _cutoff(cutoff: Optional[DateLike]) -> int:
    return codes.to_date(cutoff, "cutoff", optional=True)


def _id(value: int, what: str) -> int:
    return check_int(value, what, ctypes.c_uint64)


def _year(value: int) -> int:
    return check_int(value, "year")


class Ledger(Borrowed):
    """Queries over the money flows of a context, as of any cut-off date
    (``cutoff=None``: every payment counts)."""

    __slots__ = ()
    _closed_message = ("this Ledger is closed, or its Context was changed or closed after "
                       "it was built; build it again")

    def __init__(self, context: "Context", owned: Owned) -> None:
        self._context = context
        self._owned = owned

    def _fen(self, func: Any, what: str, *args: Any) -> Decimal:
        out = ctypes.c_int64()
        with self._context._lock:
            try:
                func(byref(out), self._ptr(), *args)
            except errors.NotFound as e:
                raise errors.NotFound(f"{what}: not in the context", code=e.code,
                                      name=e.name, function=e.function) from None
        return money.from_fen(out.value)

    def linkage_due(self, linkage: int, year: int) -> Decimal:
        """What a linkage owes for a year (一, 二(三)): 0 outside its years and outside its
        agreement's period when the agreement states one."""
        return self._fen(lib.vipa_ledger_linkage_due, f"linkage {linkage}",
                         _id(linkage, "linkage"), _year(year))

    def linkage_paid(self, linkage: int, year: int, cutoff: Optional[DateLike] = None) -> Decimal:
        """What was paid under a linkage for a year, by the cut-off (四(四))."""
        return self._fen(lib.vipa_ledger_linkage_paid, f"linkage {linkage}",
                         _id(linkage, "linkage"), _year(year), _cutoff(cutoff))

    def dividend_due(self, entity: int, household: int, year: int) -> Decimal:
        """The dividend an entity owes a household for a year (二(三)): the one declared,
        never less than the agreed rate (``dividend_bp``) of each of its agreements in force
        that year on the shares their injections gave the household."""
        return self._fen(lib.vipa_ledger_dividend_due, f"entity {entity} / household "
                         f"{household}", _id(entity, "entity"), _id(household, "household"),
                         _year(year))

    def dividend_paid(self, entity: int, household: int, year: int,
                      cutoff: Optional[DateLike] = None) -> Decimal:
        """The dividend an entity paid a household for a year, by the cut-off."""
        return self._fen(lib.vipa_ledger_dividend_paid, f"entity {entity} / household "
                         f"{household}", _id(entity, "entity"), _id(household, "household"),
                         _year(year), _cutoff(cutoff))

    def income(self, household: int, year: int, cutoff: Optional[DateLike] = None) -> Decimal:
        """A household's income for a year: every payment by the cut-off plus other income."""
        return self._fen(lib.vipa_ledger_income, f"household {household}",
                         _id(household, "household"), _year(year), _cutoff(cutoff))

    def meets_standard(self, household: int, year: int,
                       cutoff: Optional[DateLike] = None) -> tuple[bool, Decimal]:
        """Whether a household meets the exit standard in a year, and the line × members
        it was compared with (``vipa.NotFound`` for a year without a poverty line)."""
        household, year, day = _id(household, "household"), _year(year), _cutoff(cutoff)
        meets, line = ctypes.c_int(), ctypes.c_int64()
        with self._context._lock:
            lib.vipa_ledger_meets_standard(byref(meets), byref(line), self._ptr(), household,
                                           year, day)
        return bool(meets.value), money.from_fen(line.value)

    def holding(self, entity: int, holder: Union[Holder, tuple[str, Union[int, str]]],
                date: DateLike) -> Decimal:
        """The shares a holder has in an entity at the end of a day;
        ``holder`` is a ``Holder`` or ``("household", 1001)`` / ``("collective", code)``."""
        kind, ident = (holder.kind, holder.id) if isinstance(holder, Holder) else holder
        kind_value = check_int(enums.value_of(enums.HolderKind, kind, "holder kind"),
                               "holder kind")
        ident_value = (codes.to_code(ident) if kind_value == enums.HolderKind.COLLECTIVE
                       else _id(int(ident) if isinstance(ident, str) else ident, "holder id"))
        return self._fen(lib.vipa_ledger_holding, f"entity {entity}", _id(entity, "entity"),
                         kind_value, ident_value, codes.to_date(date))

    @property
    def allocations(self) -> tuple[EquityAllocation, ...]:
        """Every part of every injection, as the ledger split it (三(二))."""
        injection, kind = ctypes.c_uint64(), ctypes.c_int()
        holder, amount = ctypes.c_uint64(), ctypes.c_int64()
        out = []
        with self._context._lock:
            ptr = self._ptr()
            for i in range(lib.vipa_ledger_allocation_count(ptr)):
                lib.vipa_ledger_allocation(byref(injection), byref(kind), byref(holder),
                                           byref(amount), ptr, i)
                out.append(EquityAllocation(injection.value, views.holder_of(kind.value, holder.value),
                                      money.from_fen(amount.value)))
        return tuple(out)

    def coverage(self, village: AreaCode, year: int) -> Coverage:
        """A core village's willing and covered households in a year
        (``COVERAGE_CORE_VILLAGE``, 一; 二(三))."""
        willing, covered = ctypes.c_size_t(), ctypes.c_size_t()
        code = codes.to_code(village, "village")
        year = _year(year)
        with self._context._lock:
            try:
                lib.vipa_ledger_coverage(byref(willing), byref(covered), self._ptr(), code, year)
            except errors.NotFound as e:
                raise errors.NotFound(f"village {codes.code_text(code)} is not in the context",
                                      code=e.code, name=e.name, function=e.function) from None
        return Coverage(codes.code_text(code), willing.value, covered.value)

    def check(self, year: int, cutoff: Optional[DateLike] = None) -> tuple[Finding, ...]:
        """The money rules for a year as of a cut-off (``vipa_ledger_check()``):
        ``LINKAGE_UNDER_AGREEMENT``, ``EQUITY_POOR_SHARE``, ``DIVIDEND_PAID_AS_AGREED``,
        ``OBLIGATIONS_PAID``, ``COVERAGE_CORE_VILLAGE``."""
        year = _year(year)
        out = FindingsP()
        cutoff_value = _cutoff(cutoff)
        with self._context._lock:
            lib.vipa_ledger_check(byref(out), self._ptr(), year, cutoff_value)
            try:
                return views.read_findings(out)
            finally:
                lib.vipa_findings_free(out)
