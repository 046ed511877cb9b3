"""vipa: the Shangluo 2016 village-domain industry poverty-alleviation plan
(商洛市村域产业精准扶贫实施方案, 商政办发〔2016〕98号) as exact, explainable rules.

Python bindings of libvipa over ctypes::

    import vipa
    with vipa.Context.from_scenario("examples/shangluo-sample.json") as ctx:
        result = ctx.run()
        print(result.explain_household(1001, 2017))
        for ev in result.evaluations("rectification"):
            print(ev.year, ev.agreement, [c.rule for c in ev.failed])
        # the same records under a reform (三(二): 80 % to the poor households)
        comparison = vipa.compare(ctx, set={"equity.poor_share_bp": 8000})
        print(comparison.totals["equity"]["households"])  # [baseline, reform, difference]

Money is ``decimal.Decimal`` in and out (never float); see ``vipa.money``. Errors are
``vipa.Error`` subclasses, one per status code; see ``vipa.errors``. Importing the
package loads ``libvipa.so.0`` (``$VIPA_LIBRARY``, the build tree, then the system;
see ``vipa._lib``) and raises ``ImportError`` listing every place tried.
"""

from __future__ import annotations

from typing import Any

from ._version import __version__
from . import _lib
from .errors import (Error, Exists, InvalidArgument, IOError_, LimitError, NoMemory,
                     NotFound, Overflow, ParseError, RangeError, StateError, VersionError)
from . import enums, structs
from .enums import (Allocation, AreaLevel, Assured, Cause, ContributionKind, EntityKind,
                    EntityStatus, Filed, HolderKind, LinkageKind, Outcome, ParamType, Rule,
                    Selection, Severity, SignerLevel, Status, StepKind, SubjectKind, Table)
from .money import (add, format_yuan, from_fen, mul, mul_area, mul_bp, mul_bp_trunc,
                    parse_yuan, split, sub, to_fen)
from .codes import (area_level, area_parent, check_uscc, error_from_name, error_name,
                    format_area_code, format_date, is_valid_date, make_date, parse_area_code,
                    parse_date, signer_for, strerror)
from .rules import RuleInfo, rule, rule_count, rules
from .records import dtype, fields, numpy_records, record_array
from .views import (EquityAllocation, Coverage, Disclosure, DividendYear,
                    EntityResult, EvaluationResult, Explanation, FailedCheck, Finding,
                    Holder, HouseholdExit, HouseholdYear, Obligation, Signer, Stamp, Step,
                    Subject, Year)
from .ledger import Ledger
from .result import Result
from .context import Context
from .compare import TABLES, Change, Comparison, compare

#: The file of the C library loaded.
library_path: str = _lib.path
#: Its version (``vipa_version_string()``).
library_version: str = _lib.version


def household_dtype() -> Any:
    """The NumPy dtype of ``vipa_household`` (needs NumPy): fill an array of it and
    pass it to ``Context.add_households()`` — one call, no copy."""
    return dtype("households")


def linkage_dtype() -> Any:
    """The NumPy dtype of ``vipa_linkage`` (needs NumPy)."""
    return dtype("linkages")


def payment_dtype() -> Any:
    """The NumPy dtype of ``vipa_payment`` (needs NumPy)."""
    return dtype("payments")


__all__ = [
    "__version__", "library_path", "library_version",
    "Context", "Result", "Ledger", "compare", "Comparison", "Change", "TABLES",
    "Error", "InvalidArgument", "NoMemory", "Overflow", "NotFound", "Exists", "RangeError",
    "ParseError", "VersionError", "StateError", "IOError_", "LimitError",
    "split", "parse_yuan", "format_yuan", "to_fen", "from_fen", "add", "sub", "mul",
    "mul_bp", "mul_bp_trunc", "mul_area",
    "area_level", "area_parent", "parse_area_code", "format_area_code", "signer_for",
    "parse_date", "format_date", "make_date", "is_valid_date", "check_uscc", "strerror",
    "error_name", "error_from_name",
    "rule", "rules", "rule_count", "RuleInfo",
    "fields", "dtype", "record_array", "numpy_records", "household_dtype", "linkage_dtype",
    "payment_dtype",
    "Stamp", "Subject", "Holder", "Signer", "EquityAllocation", "HouseholdYear",
    "DividendYear", "Obligation", "Coverage", "FailedCheck", "EvaluationResult", "Year",
    "HouseholdExit", "EntityResult", "Disclosure", "Finding", "Step", "Explanation",
    "enums", "structs", "Status", "AreaLevel", "SignerLevel", "Rule", "Severity",
    "ParamType", "EntityKind", "Selection", "Cause", "Assured", "Filed", "SubjectKind",
    "LinkageKind", "Allocation", "ContributionKind", "HolderKind", "Outcome", "EntityStatus",
    "StepKind", "Table",
]
