"""The rule catalogue (vipa/rules.h): every rule of the plan the library checks.

Rule IDs are a contract (docs/policy.md): findings, reports and tests use them verbatim.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from functools import lru_cache
from typing import Union

from . import errors
from ._lib import check_int, check_text, lib

__all__ = ["RuleInfo", "rules", "rule", "rule_count", "rule_id", "severity_name"]


@dataclass(frozen=True)
class RuleInfo:
    """One rule of the catalogue."""
    number: int          #: the ``vipa_rule`` value, 1..``rule_count()`` in catalogue order
    id: str              #: ``"OBLIGATIONS_PAID"``
    clause: str          #: the clause of the plan, ``"四(四)"``
    severity: str        #: ``"notice"``, ``"warning"`` or ``"error"``
    summary: str         #: one line in English
    summary_zh: str      #: one line in Chinese


def rule_count() -> int:
    """``vipa_rule_count()``: how many rules the library *loaded* knows (17 in 0.2).

    Rules are only appended, so 1..``rule_count()`` are all valid. This is the count to
    use, not the headers' ``VIPA_RULE_COUNT`` (``vipa.enums.DEFINES``): a newer library
    may know more rules than the headers these bindings mirror.
    """
    return lib.vipa_rule_count()


def _number(number: int) -> int:
    """A rule number checked to fit the C ``int`` (ctypes would keep only its low bits)."""
    return check_int(number, "rule number")


@lru_cache(maxsize=None)
def rule_id(number: int) -> str:
    """``vipa_rule_id()``: the ID of a rule number; ``vipa.NotFound`` if there is none."""
    text = lib.vipa_rule_id(_number(number))
    if text is None:
        raise errors.NotFound(f"no rule has the number {number}", code=-4,
                              name="VIPA_E_NOT_FOUND", function="vipa_rule_id")
    return text


@lru_cache(maxsize=None)
def severity_name(severity: int) -> str:
    """``vipa_severity_name()``: ``"notice"``, ``"warning"``, ``"error"``."""
    text = lib.vipa_severity_name(check_int(severity, "severity"))
    if text is None:
        raise errors.InvalidArgument(f"{severity} is not a severity", code=-1,
                                     name="VIPA_E_INVALID", function="vipa_severity_name")
    return text


@lru_cache(maxsize=None)
def _info(number: int) -> RuleInfo:
    return RuleInfo(
        number=number,
        id=rule_id(number),
        clause=lib.vipa_rule_clause(number),
        severity=severity_name(lib.vipa_rule_severity(number)),
        summary=lib.vipa_rule_summary(number, b"en"),
        summary_zh=lib.vipa_rule_summary(number, b"zh"),
    )


def rules() -> list[RuleInfo]:
    """The whole catalogue of the library loaded, in its order (``vipa rules``): rules
    1..``vipa_rule_count()``."""
    return [_info(n) for n in range(1, rule_count() + 1)]


def rule(key: Union[str, int]) -> RuleInfo:
    """One rule, by its ID (``vipa_rule_from_id()``) or its number; ``vipa.NotFound``."""
    if isinstance(key, str):
        raw = check_text(key, "rule ID")
        out = ctypes.c_int()
        try:
            lib.vipa_rule_from_id(ctypes.byref(out), raw)
        except errors.NotFound as e:
            raise errors.NotFound(f"no rule has the ID {key!r}", code=e.code, name=e.name,
                                  function=e.function) from None
        return _info(out.value)
    return _info(_number(key))
