"""Typed, immutable views of what the library computed: frozen dataclasses.

Each view's ``to_dict()`` gives exactly the object the report JSON holds for it
(docs/scenario.md, "The report"): the same keys in the same order, money as
two-decimal yuan text, area codes as 12-digit text, dates as ``"YYYY-MM-DD"``, and
``null`` where the report writes ``null``. The views themselves hold Python values:
``Decimal`` money, ``datetime.date`` dates, ``int`` ids, ``str`` words and codes.

Words (``"rectification"``, ``"village"``, ``"error"``...) come from the library's own
name functions, so they are spelled exactly as in the report.
"""

from __future__ import annotations

import ctypes
import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any, Optional, Union

from . import codes, enums, errors, money
from ._lib import lib
from .rules import rule_id, severity_name

__all__ = [
    "Stamp", "Subject", "Holder", "Signer", "EquityAllocation", "HouseholdYear", "DividendYear",
    "Obligation", "Coverage", "FailedCheck", "EvaluationResult", "Year", "HouseholdExit",
    "EntityResult", "Disclosure", "Finding", "Step", "Explanation", "read_findings",
    "read_explanation",
    "subject_of", "holder_of",
]

_text = money.fen_text
_ONE_KEY: Any = object()  # Subject(mapping): the kind and id are its one item
_CODED_SUBJECTS = (enums.SubjectKind.VILLAGE, enums.SubjectKind.TOWN)


@lru_cache(maxsize=None)
def subject_kind_name(kind: int) -> Optional[str]:
    return lib.vipa_subject_kind_name(kind)


@lru_cache(maxsize=None)
def outcome_name(outcome: int) -> Optional[str]:
    return lib.vipa_outcome_name(outcome)


@lru_cache(maxsize=None)
def entity_status_name(status: int) -> Optional[str]:
    return lib.vipa_entity_status_name(status)


@lru_cache(maxsize=None)
def signer_level_name(level: int) -> str:
    return lib.vipa_signer_level_name(level)


@lru_cache(maxsize=None)
def rule_clause(rule: int) -> Optional[str]:
    return lib.vipa_rule_clause(rule)


@dataclass(frozen=True)
class Stamp:
    """The reproducibility stamp: library version, profile and the SHA-256 of the
    profile's parameters and of the input records in canonical order."""
    library: str
    profile: str
    profile_sha256: str
    input_sha256: str  #: "" when the run skipped it

    def to_dict(self) -> dict:
        return {"library": self.library, "profile": self.profile,
                "profile_sha256": self.profile_sha256, "input_sha256": self.input_sha256}


class Subject(dict):
    """The record a finding, failed check or explanation step is about, in the report
    JSON's shape: a dict of one key, ``{"linkage": 47}``, ``{"village":
    "611002100201"}`` (a finding about nothing has ``None`` instead).

    It is a read-only ``dict`` (so ``finding.subject == {"household": 1001}``,
    ``finding.subject["household"]`` and ``json.dumps`` work as on the report's), made
    as ``Subject("household", 1001)``; ``kind`` and ``id`` name its key and value, as
    before 0.3 when it was a dataclass of those two fields. Hashable, so views holding
    it stay hashable; ``str()`` is ``"household 1001"``."""

    __slots__ = ()

    def __init__(self, kind: Any, id: Any = _ONE_KEY) -> None:
        if id is _ONE_KEY:  # Subject({"household": 1001}), as dict() and copies make it
            pairs = list(dict(kind).items())
            if len(pairs) != 1:
                raise TypeError(f"a subject has exactly one key, not {len(pairs)}")
            (kind, id), = pairs
        if not isinstance(kind, str):
            raise TypeError(f"a subject's kind is a str, not {type(kind).__name__}")
        super().__init__(((kind, id),))

    @property
    def kind(self) -> str:
        """The kind of record: ``"household"``, ``"linkage"``, ``"village"``..."""
        return next(iter(self))

    @property
    def id(self) -> Union[int, str]:
        """Its id, or for a village or town its 12-digit area code (text)."""
        return next(iter(self.values()))

    def to_dict(self) -> dict:
        """A plain ``dict`` copy: ``{"household": 1001}``."""
        return {self.kind: self.id}

    def __str__(self) -> str:
        return f"{self.kind} {self.id}"

    def __hash__(self) -> int:  # type: ignore[override]
        return hash((Subject, self.kind, self.id))

    def __reduce__(self) -> tuple:
        return (Subject, (self.kind, self.id))

    def _read_only(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("a Subject is read-only; use to_dict() for a dict to change")

    __setitem__ = __delitem__ = _read_only  # type: ignore[assignment]
    clear = pop = popitem = setdefault = update = _read_only  # type: ignore[assignment]
    __ior__ = _read_only  # type: ignore[assignment]

    def __copy__(self) -> "Subject":
        return self

    def __deepcopy__(self, memo: dict) -> "Subject":
        return self


def subject_of(kind: int, ident: int) -> Optional[Subject]:
    name = subject_kind_name(kind)
    if name is None:
        return None
    return Subject(name, codes.code_text(ident) if kind in _CODED_SUBJECTS else ident)


@dataclass(frozen=True)
class Holder:
    """Who holds shares: ``Holder("household", 1001)``, ``Holder("collective",
    "611002100201")`` (a village collective, 村集体) or ``Holder("entity", 1)``."""
    kind: str
    id: Union[int, str]

    def to_dict(self) -> dict:
        return {self.kind: self.id}


_HOLDER_NAMES = {enums.HolderKind.HOUSEHOLD: "household",
                 enums.HolderKind.COLLECTIVE: "collective", enums.HolderKind.ENTITY: "entity"}


def holder_of(kind: int, ident: int) -> Holder:
    name = _HOLDER_NAMES[enums.HolderKind(kind)]
    return Holder(name, codes.code_text(ident) if name == "collective" else ident)


@dataclass(frozen=True)
class Signer:
    """The party 四(二) calls on to sign an agreement (``SIGNER_LEVEL``)."""
    agreement: int
    level: str            #: "village", "town", "county" or "not_provided"
    area: Optional[str]   #: the signing area's code; None when not provided

    def to_dict(self) -> dict:
        return {"agreement": self.agreement, "level": self.level, "area": self.area}


@dataclass(frozen=True)
class EquityAllocation:
    """A part of a fiscal equity injection (三(二)): to a household or the remainder holder."""
    injection: int
    holder: Holder
    amount: Decimal

    def to_dict(self) -> dict:
        return {"injection": self.injection, "holder": self.holder.to_dict(),
                "amount": str(self.amount)}


@dataclass(frozen=True)
class HouseholdYear:
    """A household's figures for a year: income (every payment for the year and other
    income), the poverty line × members, and whether it meets the exit standard."""
    id: int
    income: Decimal
    line: Decimal
    meets_standard: bool

    def to_dict(self) -> dict:
        return {"id": self.id, "income": str(self.income), "line": str(self.line),
                "meets_standard": self.meets_standard}


@dataclass(frozen=True)
class DividendYear:
    """A dividend due to a household from an entity for a year, and what was paid (二(三))."""
    entity: int
    household: int
    due: Decimal
    paid: Decimal

    def to_dict(self) -> dict:
        return {"entity": self.entity, "household": self.household, "due": str(self.due),
                "paid": str(self.paid)}


@dataclass(frozen=True)
class Obligation:
    """What a linkage owed for a year and what was paid for it (履约履责, 四(四),
    ``OBLIGATIONS_PAID``): one row per linkage due in the year (within its years and its
    agreement's period) or paid for it. ``paid`` counts the payments for the year dated
    up to the context's ``as_of`` (all of them when none is set)."""
    linkage: int
    household: int
    kind: str        #: "wage", "land_rent" or "participation"
    due: Decimal     #: 0.00 when the linkage is only paid for in the year
    paid: Decimal

    def to_dict(self) -> dict:
        return {"linkage": self.linkage, "household": self.household, "kind": self.kind,
                "due": str(self.due), "paid": str(self.paid)}


def linkage_kind_name(kind: int) -> str:
    """The scenario word of a ``vipa_linkage_kind`` (``"land_rent"``)."""
    try:
        return enums.LinkageKind(kind).word
    except ValueError:  # a kind of a newer library than these bindings
        return str(kind)


@dataclass(frozen=True)
class Coverage:
    """A core village's coverage in a year (``COVERAGE_CORE_VILLAGE``, 一; 二(三))."""
    village: str
    willing: int
    covered: int

    def to_dict(self) -> dict:
        return {"village": self.village, "willing": self.willing, "covered": self.covered}


@dataclass(frozen=True)
class FailedCheck:
    """A check an evaluation found failed: rule, subject, expected and actual values."""
    rule: str
    subject: Optional[Subject]
    expected: Optional[str]
    actual: Optional[str]

    @property
    def clause(self) -> Optional[str]:
        from .rules import rule as _rule
        return _rule(self.rule).clause

    def to_dict(self) -> dict:
        return {"rule": self.rule,
                "subject": None if self.subject is None else self.subject.to_dict(),
                "expected": self.expected, "actual": self.actual}


@dataclass(frozen=True)
class EvaluationResult:
    """One agreement at one evaluation (绩效评估, 四(五)): compliant, rectification
    (整改), restored or terminated (解除协议), with every failed check."""
    year: int             #: the year evaluated (not in the report row: it is its year's)
    agreement: int
    entity: int
    date: datetime.date
    recheck: bool
    outcome: str
    failed: tuple[FailedCheck, ...]

    def to_dict(self) -> dict:
        return {"agreement": self.agreement, "entity": self.entity,
                "date": self.date.isoformat(), "recheck": self.recheck,
                "outcome": self.outcome, "failed": [c.to_dict() for c in self.failed]}


@dataclass(frozen=True)
class Year:
    """Everything computed for one year."""
    year: int
    households: tuple[HouseholdYear, ...]
    dividends: tuple[DividendYear, ...]
    coverage: tuple[Coverage, ...]
    evaluations: tuple[EvaluationResult, ...]
    #: whether the year ended on or before the context's ``as_of`` (always, with none):
    #: the money owed for a complete year is checked whether or not it was evaluated
    complete: bool = True
    #: what each linkage owed and was paid for the year (四(四)), by linkage id
    obligations: tuple[Obligation, ...] = ()

    def to_dict(self) -> dict:
        return {"year": self.year,
                "complete": self.complete,
                "households": [h.to_dict() for h in self.households],
                "obligations": [o.to_dict() for o in self.obligations],
                "dividends": [d.to_dict() for d in self.dividends],
                "coverage": [c.to_dict() for c in self.coverage],
                "evaluations": [e.to_dict() for e in self.evaluations]}


@dataclass(frozen=True)
class HouseholdExit:
    """A household and the year it exited poverty (None: not exited)."""
    id: int
    exit_year: Optional[int]

    def to_dict(self) -> dict:
        return {"id": self.id, "exit_year": self.exit_year}


@dataclass(frozen=True)
class EntityResult:
    """An entity's standing after the run: active or disqualified (取消资格, 四(五)),
    and the years it is favoured for (予以倾斜)."""
    id: int
    status: str
    favoured: tuple[int, ...]
    disqualified_on: Optional[datetime.date]

    def to_dict(self) -> dict:
        row: dict[str, Any] = {"id": self.id, "status": self.status,
                               "favoured": list(self.favoured)}
        if self.status == "disqualified":
            row["disqualified_on"] = (None if self.disqualified_on is None
                                      else self.disqualified_on.isoformat())
        return row


@dataclass(frozen=True)
class Disclosure:
    """An entry of the public-disclosure list (公示公告, 五(五)): the fiscal equity an
    entity received, the support measures (支持政策措施) its agreements name, and the
    households it drives."""
    entity: int
    equity: Decimal
    households: int
    #: the distinct texts of the support measures of its agreements, in agreement-id
    #: order then as listed; () when the agreements gave only their number
    support: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {"entity": self.entity, "equity": str(self.equity),
                "support": list(self.support), "households": self.households}


@dataclass(frozen=True)
class Finding:
    """What a check found, with its rule, clause, subject and numbers."""
    rule: str
    severity: str
    clause: Optional[str]
    year: Optional[int]
    subject: Optional[Subject]
    message: str
    expected: Optional[str]
    actual: Optional[str]
    #: the message in Chinese (``vipa_finding_message_format_lang(..., "zh")``)
    message_zh: str = field(default="", compare=False)

    def to_dict(self) -> dict:
        row: dict[str, Any] = {
            "rule": self.rule, "severity": self.severity, "clause": self.clause,
            "year": self.year,
            "subject": None if self.subject is None else self.subject.to_dict(),
            "message": self.message}
        if self.expected is not None:
            row["expected"] = self.expected
        if self.actual is not None:
            row["actual"] = self.actual
        return row

    def __str__(self) -> str:
        return f"{self.severity}: {self.message}"


def read_findings(findings: Any) -> tuple[Finding, ...]:
    """Every finding of a ``vipa_findings`` list, in its order. The messages are written
    into one buffer (``vipa_finding_message_format()``): ``vipa_finding_message()`` would
    also keep each one in the list, which Python copies anyway."""
    out = []
    message = ctypes.create_string_buffer(enums.DEFINES["VIPA_FINDING_MESSAGE_SIZE"])
    for i in range(lib.vipa_findings_count(findings)):
        lib.vipa_finding_message_format(message, len(message), findings, i)
        rule = lib.vipa_finding_rule(findings, i)
        year = lib.vipa_finding_year(findings, i)
        out.append(Finding(
            rule=rule_id(rule),
            severity=severity_name(lib.vipa_finding_severity(findings, i)),
            clause=rule_clause(rule),
            year=year or None,
            subject=subject_of(lib.vipa_finding_subject_kind(findings, i),
                               lib.vipa_finding_subject_id(findings, i)),
            message=message.value.decode("utf-8"),
            expected=lib.vipa_finding_expected(findings, i),
            actual=lib.vipa_finding_actual(findings, i),
            message_zh=_message_zh(message, findings, i)))
    return tuple(out)


def _message_zh(buffer: Any, findings: Any, i: int) -> str:
    """Finding i's message in Chinese, through the same buffer."""
    lib.vipa_finding_message_format_lang(buffer, len(buffer), findings, i, b"zh")
    return buffer.value.decode("utf-8")


@dataclass(frozen=True)
class Step:
    """One step of an explanation: what it is, the rule it applies, its amount and date,
    and a sentence citing the rule's clause."""
    kind: str                       #: "cutoff", "due", "payment", "income", "line", ...
    rule: Optional[str]
    clause: Optional[str]
    amount: Decimal
    date: Optional[datetime.date]
    text: str
    #: what the step decides (``vipa_explanation_verdict()``), for a check of an
    #: evaluation (kind "check") or the exit standard of a year ("standard"): True
    #: passed / met, False failed / not met; None for a step that decides nothing
    passed: Optional[bool] = None
    #: what that decision is about (a household, linkage, village, agreement); None
    #: for a step that decides nothing
    subject: Optional[Subject] = None
    #: the sentence in Chinese (``vipa_explanation_step_text(..., "zh")``)
    text_zh: str = field(default="", compare=False)


@dataclass(frozen=True)
class Explanation:
    """Every number behind a household's or an agreement's year (``vipa explain``)."""
    subject: Subject
    year: int
    steps: tuple[Step, ...]
    text: str   #: numbered lines a county official can read
    #: the same in Chinese (``vipa_explanation_text_lang(..., "zh")``)
    text_zh: str = field(default="", compare=False)

    def __str__(self) -> str:
        return self.text


def _verdict(explanation: Any, i: int) -> tuple[Optional[bool], Optional[Subject]]:
    """``vipa_explanation_verdict()`` of step ``i``: (passed, subject), or (None, None)
    for a step that decides nothing (the library's ``VIPA_E_NOT_FOUND``)."""
    passed, kind, ident = ctypes.c_int(), ctypes.c_int(), ctypes.c_uint64()
    try:
        lib.vipa_explanation_verdict(ctypes.byref(passed), ctypes.byref(kind),
                                     ctypes.byref(ident), explanation, i)
    except errors.NotFound:
        return None, None
    return bool(passed.value), subject_of(kind.value, ident.value)


def read_explanation(explanation: Any, subject: Subject, year: int) -> Explanation:
    kind, rule = ctypes.c_int(), ctypes.c_int()
    amount, date, text = ctypes.c_int64(), ctypes.c_int32(), ctypes.c_char_p()
    steps = []
    for i in range(lib.vipa_explanation_step_count(explanation)):
        lib.vipa_explanation_step(ctypes.byref(kind), ctypes.byref(rule), ctypes.byref(amount),
                                  ctypes.byref(date), ctypes.byref(text), explanation, i)
        passed, decided = _verdict(explanation, i)
        steps.append(Step(
            kind=enums.StepKind(kind.value).word,
            rule=lib.vipa_rule_id(rule.value) if rule.value else None,
            clause=rule_clause(rule.value) if rule.value else None,
            amount=money.from_fen(amount.value),
            date=codes.from_date(date.value),
            text=(text.value or b"").decode("utf-8"),
            passed=passed, subject=decided,
            text_zh=lib.vipa_explanation_step_text(explanation, i, b"zh")))
    return Explanation(subject, year, tuple(steps), lib.vipa_explanation_text(explanation),
                       lib.vipa_explanation_text_lang(explanation, b"zh"))
