"""The result of a run (``vipa_run()``): immutable, with typed views and the report.

A ``Result`` owns the C result and keeps its ``Context`` alive. The library's result
reads the context's records (for explanations), so it must not outlive a change of
the context: when records are added, a parameter is set or the context is closed, the
context frees its results first, and a ``Result`` used after that raises
``vipa.StateError`` saying so. Run again for a result of the new records.

The views (``households``, ``years``, ``findings``...) are built on first use and
cached. ``to_dict()`` equals ``json.loads(report_json())`` — the report JSON contract —
and is built from the views, so every figure of the report is also in a view.
"""

from __future__ import annotations

import ctypes
import json
from ctypes import byref
from typing import TYPE_CHECKING, Any, Callable, Optional, Union

from . import codes, enums, errors, money, views
from . import _lib
from ._lib import Borrowed, ExplanationP, Owned, check_int, lib
from .views import (EquityAllocation, Coverage, Disclosure, DividendYear, EntityResult,
                    EvaluationResult, Explanation, FailedCheck, Finding, HouseholdExit,
                    HouseholdYear, Obligation, Signer, Stamp, Subject, Year)

if TYPE_CHECKING:  # pragma: no cover
    from .context import Context

__all__ = ["Result"]

_from_fen = money.from_fen
_code_text = codes.code_text


class Result(Borrowed):
    """The outcome of ``Context.run()``. Use as a context manager or call ``close()``
    to free it early; it is freed with its context otherwise."""

    __slots__ = ("_cache",)
    _closed_message = ("this Result is closed: it was closed, or its Context was changed "
                       "(records added, a parameter set) or closed after the run; call run() "
                       "again")

    def __init__(self, context: "Context", owned: Owned) -> None:
        object.__setattr__(self, "_context", context)
        object.__setattr__(self, "_owned", owned)
        object.__setattr__(self, "_cache", {})

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a Result is immutable")

    # ---- lifetime ----------------------------------------------------------------------

    @property
    def context(self) -> "Context":
        """The context this result was computed from."""
        return self._context

    def __repr__(self) -> str:
        with self._context._lock:  # checked and called under the lock: see _lib.Owned
            ptr = self._owned.ptr
            if ptr is None:
                return "<vipa.Result closed>"
            return (f"<vipa.Result households={lib.vipa_result_household_count(ptr)} "
                    f"years={self.year_numbers}>")

    def _cached(self, key: str, build: Callable[[Any], Any]) -> Any:
        with self._context._lock:
            ptr = self._ptr()
            try:
                return self._cache[key]
            except KeyError:
                value = self._cache[key] = build(ptr)
                return value

    # ---- the whole run ---------------------------------------------------------------------

    @property
    def stamp(self) -> Stamp:
        """Library version, profile, and the SHA-256 of the profile and of the input."""
        def build(r: Any) -> Stamp:
            return Stamp(*(lib.vipa_result_stamp(r, f) for f in
                           (b"library", b"profile", b"profile_sha256", b"input_sha256")))
        return self._cached("stamp", build)

    @property
    def signers(self) -> tuple[Signer, ...]:
        """The computed signer of every agreement (四(二), ``SIGNER_LEVEL``), by agreement."""
        def build(r: Any) -> tuple[Signer, ...]:
            agreement, level, area = ctypes.c_uint64(), ctypes.c_int(), ctypes.c_uint64()
            out = []
            for i in range(lib.vipa_result_signer_count(r)):
                lib.vipa_result_signer(byref(agreement), byref(level), byref(area), r, i)
                out.append(Signer(agreement.value, views.signer_level_name(level.value),
                                  _code_text(area.value) if area.value else None))
            return tuple(out)
        return self._cached("signers", build)

    @property
    def allocations(self) -> tuple[EquityAllocation, ...]:
        """Every part of every fiscal equity injection (三(二), ``EQUITY_POOR_SHARE``)."""
        def build(r: Any) -> tuple[EquityAllocation, ...]:
            injection, kind = ctypes.c_uint64(), ctypes.c_int()
            holder, amount = ctypes.c_uint64(), ctypes.c_int64()
            out = []
            for i in range(lib.vipa_result_allocation_count(r)):
                lib.vipa_result_allocation(byref(injection), byref(kind), byref(holder),
                                           byref(amount), r, i)
                out.append(EquityAllocation(injection.value, views.holder_of(kind.value, holder.value),
                                      _from_fen(amount.value)))
            return tuple(out)
        return self._cached("allocations", build)

    @property
    def households(self) -> tuple[HouseholdExit, ...]:
        """Every household, by id, with the year it exited poverty (or None)."""
        def build(r: Any) -> tuple[HouseholdExit, ...]:
            ident, exit_year = ctypes.c_uint64(), ctypes.c_int()
            out = []
            get = lib.vipa_result_household
            for i in range(lib.vipa_result_household_count(r)):
                get(byref(ident), byref(exit_year), r, i)
                out.append(HouseholdExit(ident.value, exit_year.value or None))
            return tuple(out)
        return self._cached("households", build)

    @property
    def entities(self) -> tuple[EntityResult, ...]:
        """Every entity: active or disqualified (四(五)), and its favoured years."""
        def build(r: Any) -> tuple[EntityResult, ...]:
            ident, status = ctypes.c_uint64(), ctypes.c_int()
            disqualified_on, count, year = ctypes.c_int32(), ctypes.c_size_t(), ctypes.c_int()
            out = []
            for i in range(lib.vipa_result_entity_count(r)):
                lib.vipa_result_entity(byref(ident), byref(status), byref(disqualified_on),
                                       byref(count), r, i)
                favoured = []
                for k in range(count.value):
                    lib.vipa_result_entity_favoured(byref(year), r, i, k)
                    favoured.append(year.value)
                out.append(EntityResult(ident.value, views.entity_status_name(status.value),
                                        tuple(favoured), codes.from_date(disqualified_on.value)))
            return tuple(out)
        return self._cached("entities", build)

    @property
    def disclosure(self) -> tuple[Disclosure, ...]:
        """The public-disclosure list (公示公告, 五(五)): per entity, its fiscal equity, the
        support measures its agreements name and the households it drives."""
        def build(r: Any) -> tuple[Disclosure, ...]:
            entity, equity, households = ctypes.c_uint64(), ctypes.c_int64(), ctypes.c_size_t()
            out = []
            support_of = lib.vipa_result_disclosure_support
            for i in range(lib.vipa_result_disclosure_count(r)):
                lib.vipa_result_disclosure(byref(entity), byref(equity), byref(households), r, i)
                support = tuple(support_of(r, i, k) for k in
                                range(lib.vipa_result_disclosure_support_count(r, i)))
                out.append(Disclosure(entity.value, _from_fen(equity.value), households.value,
                                      support))
            return tuple(out)
        return self._cached("disclosure", build)

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Every finding of the run, sorted by rule, subject and year."""
        return self._cached("findings", lambda r: views.read_findings(lib.vipa_result_findings(r)))

    def finding_count(self, at_least: Union[str, int] = "notice") -> int:
        """How many findings have at least this severity (``vipa_findings_count_at_least()``);
        ``finding_count("error")`` is what decides the exit status of ``vipa check``."""
        severity = check_int(enums.value_of(enums.Severity, at_least, "severity"), "severity")
        with self._context._lock:
            return lib.vipa_findings_count_at_least(lib.vipa_result_findings(self._ptr()),
                                                    severity)

    # ---- per year ---------------------------------------------------------------------------

    @property
    def year_numbers(self) -> tuple[int, ...]:
        """The years the result has figures for, ascending."""
        def build(r: Any) -> tuple[int, ...]:
            return tuple(lib.vipa_result_year(r, y) for y in range(lib.vipa_result_year_count(r)))
        return self._cached("year_numbers", build)

    @property
    def years(self) -> tuple[Year, ...]:
        """Every year's figures: whether it is complete, households, obligations,
        dividends, coverage, evaluations."""
        return tuple(self.year(y) for y in self.year_numbers)

    def year(self, year: int) -> Year:
        """One year's figures; ``vipa.NotFound`` for a year the result has none for."""
        numbers = self.year_numbers
        if year not in numbers:
            raise errors.NotFound(f"the result has no figures for {year}; its years are "
                                  f"{', '.join(map(str, numbers)) or 'none'}", code=-4,
                                  name="VIPA_E_NOT_FOUND")
        y = numbers.index(year)
        return self._cached(f"year:{year}", lambda r: self._build_year(r, y, year))

    @staticmethod
    def _build_year(r: Any, y: int, year: int) -> Year:
        a, b = ctypes.c_uint64(), ctypes.c_uint64()
        m1, m2 = ctypes.c_int64(), ctypes.c_int64()
        flag = ctypes.c_int()
        s1, s2 = ctypes.c_size_t(), ctypes.c_size_t()

        households = []
        get = lib.vipa_result_year_household
        for i in range(lib.vipa_result_year_household_count(r, y)):
            get(byref(a), byref(m1), byref(m2), byref(flag), r, y, i)
            households.append(HouseholdYear(a.value, _from_fen(m1.value), _from_fen(m2.value),
                                            bool(flag.value)))
        dividends = []
        for i in range(lib.vipa_result_year_dividend_count(r, y)):
            lib.vipa_result_year_dividend(byref(a), byref(b), byref(m1), byref(m2), r, y, i)
            dividends.append(DividendYear(a.value, b.value, _from_fen(m1.value),
                                          _from_fen(m2.value)))
        obligations = []
        kind_of = ctypes.c_int()
        for i in range(lib.vipa_result_year_obligation_count(r, y)):
            lib.vipa_result_year_obligation(byref(a), byref(b), byref(kind_of), byref(m1),
                                            byref(m2), r, y, i)
            obligations.append(Obligation(a.value, b.value,
                                          views.linkage_kind_name(kind_of.value),
                                          _from_fen(m1.value), _from_fen(m2.value)))
        coverage = []
        for i in range(lib.vipa_result_year_coverage_count(r, y)):
            lib.vipa_result_year_coverage(byref(a), byref(s1), byref(s2), r, y, i)
            coverage.append(Coverage(_code_text(a.value), s1.value, s2.value))
        evaluations = []
        date, outcome = ctypes.c_int32(), ctypes.c_int()
        rule, kind, subject = ctypes.c_int(), ctypes.c_int(), ctypes.c_uint64()
        expected, actual = ctypes.c_char_p(), ctypes.c_char_p()
        for i in range(lib.vipa_result_year_evaluation_count(r, y)):
            lib.vipa_result_year_evaluation(byref(a), byref(b), byref(date), byref(flag),
                                            byref(outcome), r, y, i)
            failed = []
            for k in range(lib.vipa_result_year_failed_count(r, y, i)):
                lib.vipa_result_year_failed(byref(rule), byref(kind), byref(subject),
                                            byref(expected), byref(actual), r, y, i, k)
                failed.append(FailedCheck(
                    views.rule_id(rule.value), views.subject_of(kind.value, subject.value),
                    None if expected.value is None else expected.value.decode("utf-8"),
                    None if actual.value is None else actual.value.decode("utf-8")))
            evaluations.append(EvaluationResult(
                year, a.value, b.value, codes.from_date(date.value), bool(flag.value),
                views.outcome_name(outcome.value), tuple(failed)))
        return Year(year, tuple(households), tuple(dividends), tuple(coverage),
                    tuple(evaluations), bool(lib.vipa_result_year_complete(r, y)),
                    tuple(obligations))

    def obligations(self, year: Optional[int] = None, *,
                    unpaid: bool = False) -> list[Obligation]:
        """The obligations of every year (四(四)), or of one ``year``; with
        ``unpaid=True`` only those paid less than due (what ``OBLIGATIONS_PAID`` reports
        for a complete year)."""
        years = self.years if year is None else (self.year(year),)
        return [o for y in years for o in y.obligations if not unpaid or o.paid < o.due]

    def evaluations(self, outcome: Optional[str] = None) -> list[EvaluationResult]:
        """Every agreement evaluation of every year (四(五)), or only those with
        ``outcome`` ("compliant", "rectification", "restored", "terminated")."""
        if outcome is not None and outcome not in {o.word for o in enums.Outcome if o}:
            raise errors.InvalidArgument(f"unknown outcome {outcome!r}", code=-1,
                                         name="VIPA_E_INVALID")
        return [e for year in self.years for e in year.evaluations
                if outcome is None or e.outcome == outcome]

    # ---- explanations -------------------------------------------------------------------------

    def explain_household(self, household: int, year: int) -> Explanation:
        """Every number behind a household's year (``vipa_explain_household()``): dues,
        payments and whether each counted at each cut-off, other income, the income
        total, the line × members, the guarantees and the exit standard."""
        return self._explain(lib.vipa_explain_household, Subject("household", household),
                             year)

    def explain_agreement(self, agreement: int, year: int) -> Explanation:
        """Every check of an agreement's year (``vipa_explain_agreement()``): each
        evaluation's cut-off, every check with its rule, clause and numbers, the outcome."""
        return self._explain(lib.vipa_explain_agreement, Subject("agreement", agreement), year)

    def _explain(self, func: Any, subject: Subject, year: int) -> Explanation:
        ident = check_int(subject.id, subject.kind, ctypes.c_uint64)
        year = check_int(year, "year")
        out = ExplanationP()
        with self._context._lock:
            try:
                func(byref(out), self._ptr(), ident, year)
            except errors.NotFound as e:
                raise errors.NotFound(f"no explanation for {subject} in {year}: the result "
                                      f"has no such {subject.kind} or no figures for {year}",
                                      code=e.code, name=e.name, function=e.function) from None
            try:
                return views.read_explanation(out, subject, year)
            finally:
                lib.vipa_explanation_free(out)

    # ---- the report -----------------------------------------------------------------------------

    def report_json(self, pretty: bool = False) -> str:
        """The report JSON (``vipa_report_json()``), exactly the contract's bytes;
        ``pretty=True`` gives what ``vipa run --json`` prints."""
        text = ctypes.POINTER(ctypes.c_char)()
        length = ctypes.c_size_t()
        with self._context._lock:
            lib.vipa_report_json(byref(text), byref(length), self._ptr(), 1 if pretty else 0)
        try:
            return ctypes.string_at(text, length.value).decode("utf-8")
        finally:
            lib.vipa_free(text)

    def write_report(self, out: Any, pretty: bool = False) -> None:
        """Writes the report JSON to ``out`` (anything with ``write(bytes)``: a file
        opened ``"wb"``, a socket's file, ``io.BytesIO``) as the library produces it
        (``vipa_report_write()``), a block of at most 64 KiB at a time: the same bytes as
        ``report_json(pretty).encode()``, without the whole text in memory. An exception
        of ``out.write`` stops the writing and is raised here; what was written before
        it is the report's start, not a whole report."""
        def call(callback: Any) -> None:
            with self._context._lock:
                lib.vipa_report_write(self._ptr(), 1 if pretty else 0, callback, None)

        _lib.write_through(out, call)

    def to_dict(self) -> dict:
        """The report as Python data, built from the views: equal to
        ``json.loads(self.report_json())``, keys in the same order."""
        return {
            "vipa": 1,
            "stamp": self.stamp.to_dict(),
            "signers": [s.to_dict() for s in self.signers],
            "allocations": [a.to_dict() for a in self.allocations],
            "years": [y.to_dict() for y in self.years],
            "households": [h.to_dict() for h in self.households],
            "entities": [e.to_dict() for e in self.entities],
            "disclosure": [d.to_dict() for d in self.disclosure],
            "findings": [f.to_dict() for f in self.findings],
        }

    def to_frames(self, *, money: str = "decimal", names: bool = True) -> dict[str, Any]:
        """One pandas ``DataFrame`` per table of the report (``vipa.TABLES``, the lists of
        ``vipa run --json``) and ``year_failed`` (each failed check of an evaluation):
        ``{table: frame}``. Money is ``Decimal`` (``money="fen"``: ``int64`` fen), area
        codes 12-digit text; ``names=True`` adds the names of areas and entities (and each
        household's village) from the context's records. Needs pandas; see
        ``vipa.frames``."""
        from .frames import result_frames
        return result_frames(self, money=money, names=names)

    def to_json(self, **dumps_args: Any) -> str:
        """``json.dumps(self.to_dict(), ensure_ascii=False, **dumps_args)``."""
        return json.dumps(self.to_dict(), ensure_ascii=False, **dumps_args)
