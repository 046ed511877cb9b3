"""The enumerations, bit sets and numeric constants of the public headers.

Each ``IntEnum``/``IntFlag`` mirrors one C enumeration; its C spelling is the class's
prefix in ``_PREFIXES`` plus the member name (``Cause.ILLNESS`` is ``VIPA_CAUSE_ILLNESS``).
``C_CONSTANTS`` maps every C name to its value; the test suite compiles a C program
that prints every enumerator and numeric ``#define`` of ``include/vipa/*.h`` and checks
it against this table, so the mirror cannot drift from the headers.

The ``words`` of the input enumerations are the spellings of the scenario contract
(docs/scenario.md, "The scenario"): ``"illness"``, ``"land_rent"``, ...
"""

from __future__ import annotations

import ctypes
import enum

__all__ = [
    "Status", "AreaLevel", "SignerLevel", "Rule", "Severity", "ParamType", "EntityKind",
    "Selection", "Cause", "Assured", "Filed", "SubjectKind", "LinkageKind", "Allocation",
    "ContributionKind", "HolderKind", "Outcome", "EntityStatus", "StepKind", "Table",
    "C_CONSTANTS", "UNSIGNED_DEFINES", "RENAMED", "word_of", "value_of",
]


class _Words:
    """Mixin: members spelled as lower-case scenario words (``LACK_OF_LAND`` → ``lack_of_land``)."""

    @property
    def word(self) -> str:
        return self.name.lower()  # type: ignore[attr-defined]


class Status(enum.IntEnum):
    """``vipa_status`` (vipa/error.h)."""
    OK = 0
    E_INVALID = -1
    E_NOMEM = -2
    E_OVERFLOW = -3
    E_NOT_FOUND = -4
    E_EXISTS = -5
    E_RANGE = -6
    E_PARSE = -7
    E_VERSION = -8
    E_STATE = -9
    E_IO = -10
    E_LIMIT = -11


class AreaLevel(_Words, enum.IntEnum):
    """``vipa_area_level`` (vipa/area.h): county → town → village."""
    NONE = 0
    COUNTY = 1
    TOWN = 2
    VILLAGE = 3


class SignerLevel(_Words, enum.IntEnum):
    """``vipa_signer_level`` (vipa/area.h): who signs the agreement (四(二), ``SIGNER_LEVEL``)."""
    UNRECORDED = 0
    VILLAGE = 1
    TOWN = 2
    COUNTY = 3
    NOT_PROVIDED = 4


class Rule(enum.IntEnum):
    """``vipa_rule`` (vipa/rules.h): the rule catalogue of the headers; ``Rule.X.name`` is
    the rule ID. A newer library may know more rules (they are only appended): the
    catalogue of the library loaded is ``vipa.rules()`` (``vipa_rule_count()``)."""
    NONE = 0
    COVERAGE_CORE_VILLAGE = 1
    ONE_TOWN_ONE_INDUSTRY = 2
    ENTITY_SELECTION = 3
    LINKAGE_UNDER_AGREEMENT = 4
    EQUITY_POOR_SHARE = 5
    SIGNER_LEVEL = 6
    AGREEMENT_CONTENT = 7
    PLAN_PER_HOUSEHOLD = 8
    PLAN_INCOME_INDUSTRY = 9
    PLAN_FILED_3_LEVELS = 10
    DIVIDEND_PAID_AS_AGREED = 11
    OBLIGATIONS_PAID = 12
    EXIT_BY_DEADLINE = 13
    EVALUATION_OUTCOME = 14
    DISQUALIFIED_NO_SUPPORT = 15
    DISCLOSURE = 16
    PLAN_TASKS_MET = 17


class Severity(_Words, enum.IntEnum):
    """``vipa_severity`` (vipa/rules.h)."""
    NONE = 0
    NOTICE = 1
    WARNING = 2
    ERROR = 3


class ParamType(_Words, enum.IntEnum):
    """``vipa_param_type`` (vipa/registry.h)."""
    NONE = 0
    INT = 1
    BOOL = 2
    TEXT = 3
    FEN = 4


class EntityKind(_Words, enum.IntEnum):
    """``vipa_entity_kind`` (vipa/registry.h): the five kinds of operating entity (一)."""
    NONE = 0
    ENTERPRISE = 1
    PARK = 2
    COOPERATIVE = 3
    FAMILY_FARM = 4
    LARGE_GROWER = 5


class Selection(_Words, enum.IntFlag):
    """``vipa_selection_flag`` (vipa/registry.h): the selection criteria of 三(二)."""
    WELL_MANAGED = 1 << 0
    PROFITABLE = 1 << 1
    FINANCIALLY_STRONG = 1 << 2
    SOCIALLY_RESPONSIBLE = 1 << 3
    TRUSTWORTHY = 1 << 4
    WIDE_COVERAGE = 1 << 5
    SUSTAINABLE = 1 << 6
    WILLING = 1 << 7
    ALL = 0xFF


class Cause(_Words, enum.IntEnum):
    """``vipa_cause`` (vipa/registry.h): cause of poverty, the 建档立卡 codes 01–11."""
    NONE = 0
    ILLNESS = 1
    DISABILITY = 2
    SCHOOLING = 3
    DISASTER = 4
    LACK_OF_LAND = 5
    LACK_OF_WATER = 6
    LACK_OF_SKILLS = 7
    LACK_OF_LABOUR = 8
    LACK_OF_CAPITAL = 9
    POOR_TRANSPORT = 10
    LACK_OF_DRIVE = 11


class Assured(_Words, enum.IntFlag):
    """``vipa_assured_item`` (vipa/registry.h): the guarantees of the exit standard."""
    FOOD_CLOTHING = 1 << 0
    EDUCATION = 1 << 1
    MEDICAL = 1 << 2
    HOUSING = 1 << 3
    WATER = 1 << 4
    ALL = 0x1F


class Filed(_Words, enum.IntFlag):
    """``vipa_filed_level`` (vipa/agreement.h): where a plan is filed (四(三))."""
    COUNTY = 1 << 0
    TOWN = 1 << 1
    VILLAGE = 1 << 2
    ALL = 0x7


class SubjectKind(_Words, enum.IntEnum):
    """``vipa_subject_kind`` (vipa/findings.h): what a finding is about."""
    NONE = 0
    HOUSEHOLD = 1
    AGREEMENT = 2
    LINKAGE = 3
    INJECTION = 4
    ENTITY = 5
    VILLAGE = 6
    TOWN = 7


class LinkageKind(_Words, enum.IntEnum):
    """``vipa_linkage_kind`` (vipa/ledger.h): forms of benefit linkage (一, 二(三))."""
    NONE = 0
    WAGE = 1
    LAND_RENT = 2
    PARTICIPATION = 3
    DIVIDEND = 4


class Allocation(_Words, enum.IntEnum):
    """``vipa_allocation`` (vipa/ledger.h): how an injection's poor share is split (三(二))."""
    PROFILE = 0
    PER_HOUSEHOLD = 1
    PER_MEMBER = 2
    WEIGHTS = 3


class ContributionKind(_Words, enum.IntEnum):
    """``vipa_contribution_kind`` (vipa/ledger.h): a household's capital (三(三))."""
    NONE = 0
    LAND = 1
    TECHNOLOGY = 2
    RESOURCES = 3
    HOUSING = 4
    LABOUR = 5
    CASH = 6


class HolderKind(_Words, enum.IntEnum):
    """``vipa_holder_kind`` (vipa/ledger.h): who holds shares."""
    NONE = 0
    HOUSEHOLD = 1
    COLLECTIVE = 2
    ENTITY = 3


class Outcome(_Words, enum.IntEnum):
    """``vipa_outcome`` (vipa/run.h): the outcome of an evaluation (四(五))."""
    NONE = 0
    COMPLIANT = 1
    RECTIFICATION = 2
    RESTORED = 3
    TERMINATED = 4


class EntityStatus(_Words, enum.IntEnum):
    """``vipa_entity_status`` (vipa/run.h)."""
    NONE = 0
    ACTIVE = 1
    DISQUALIFIED = 2


class StepKind(_Words, enum.IntEnum):
    """``vipa_step_kind`` (vipa/run.h): what a step of an explanation is."""
    NONE = 0
    CUTOFF = 1
    DUE = 2
    PAYMENT = 3
    INCOME = 4
    LINE = 5
    STANDARD = 6
    CHECK = 7
    OUTCOME = 8


class Table(_Words, enum.IntEnum):
    """``vipa_table`` (vipa/compare.h): the tables of the report a comparison pairs rows
    of; ``word`` is the name ``vipa_table_name()`` gives (``"year_households"``)."""
    NONE = 0
    SIGNERS = 1
    ALLOCATIONS = 2
    HOUSEHOLDS = 3
    ENTITIES = 4
    DISCLOSURE = 5
    YEAR_HOUSEHOLDS = 6
    YEAR_DIVIDENDS = 7
    YEAR_OBLIGATIONS = 8
    YEAR_COVERAGE = 9
    YEAR_EVALUATIONS = 10
    FINDINGS = 11


_PREFIXES: dict[type[enum.Enum], str] = {
    Status: "VIPA_", AreaLevel: "VIPA_AREA_", SignerLevel: "VIPA_SIGNER_",
    Rule: "VIPA_RULE_", Severity: "VIPA_SEVERITY_", ParamType: "VIPA_PARAM_",
    EntityKind: "VIPA_ENTITY_", Selection: "VIPA_SELECT_", Cause: "VIPA_CAUSE_",
    Assured: "VIPA_ASSURED_", Filed: "VIPA_FILED_", SubjectKind: "VIPA_SUBJECT_",
    LinkageKind: "VIPA_LINKAGE_", Allocation: "VIPA_ALLOCATION_",
    ContributionKind: "VIPA_CONTRIBUTION_", HolderKind: "VIPA_HOLDER_",
    Outcome: "VIPA_OUTCOME_", EntityStatus: "VIPA_ENTITY_STATUS_", StepKind: "VIPA_STEP_",
    Table: "VIPA_TABLE_",
}

#: Numeric ``#define`` constants of the headers, by their C names. ``VIPA_RULE_COUNT`` is
#: the headers' count; at run time use ``vipa.rule_count()`` (a newer library may know more).
DEFINES: dict[str, int] = {
    "VIPA_VERSION_MAJOR": 0, "VIPA_VERSION_MINOR": 5, "VIPA_VERSION_PATCH": 1,
    "VIPA_VERSION_NUMBER": 5001,
    "VIPA_FEN_FORMAT_SIZE": 24, "VIPA_DATE_FORMAT_SIZE": 11, "VIPA_AREA_CODE_SIZE": 13,
    "VIPA_FINDING_MESSAGE_SIZE": 1200,
    "VIPA_RULE_COUNT": 17, "VIPA_MEMBERS_MAX": 99, "VIPA_RECORDS_MAX": 134_217_727,
    "VIPA_FEN_UNSET": -(2 ** 63),
    "VIPA_RUN_NO_INPUT_HASH": 1, "VIPA_REPORT_PRETTY": 1,
    "VIPA_SCENARIO_MAX_BYTES": 1 << 31,
    # versions of the versioned structs
    "VIPA_CTX_OPTIONS_VERSION": 1, "VIPA_AREA_VERSION": 1, "VIPA_ENTITY_VERSION": 1,
    "VIPA_HOUSEHOLD_VERSION": 1, "VIPA_ASSURED_VERSION": 1, "VIPA_AGREEMENT_VERSION": 2,
    "VIPA_PLAN_VERSION": 1, "VIPA_LINKAGE_VERSION": 1, "VIPA_INJECTION_VERSION": 1,
    "VIPA_CONTRIBUTION_VERSION": 1, "VIPA_TRANSFER_VERSION": 1, "VIPA_DIVIDEND_VERSION": 1,
    "VIPA_PAYMENT_VERSION": 1, "VIPA_INCOME_VERSION": 1, "VIPA_EVALUATION_VERSION": 1,
    "VIPA_RUN_OPTIONS_VERSION": 1,
    # vipa/compare.h: VIPA_NO_ROW is ((size_t)-1), the largest size_t
    "VIPA_TABLE_COUNT": 11, "VIPA_CHANGE_VERSION": 1, "VIPA_COMPARISON_SUMMARY": 2,
    "VIPA_NO_ROW": (1 << (8 * ctypes.sizeof(ctypes.c_size_t))) - 1,
}

#: The constants of ``DEFINES`` that are unsigned in C and may exceed a ``long long``
#: (the test program prints them as ``unsigned long long``).
UNSIGNED_DEFINES: tuple[str, ...] = ("VIPA_NO_ROW",)

#: The headers' width sentinels (``VIPA_RULE_MAX_ENUM = 0x7fffffff``): not values, so no
#: member of the classes above; they keep each C enumeration 32 bits wide in every ABI.
MAX_ENUMS: tuple[str, ...] = (
    "VIPA_STATUS_CODE_MAX_ENUM", "VIPA_AREA_MAX_ENUM", "VIPA_SIGNER_MAX_ENUM",
    "VIPA_RULE_MAX_ENUM", "VIPA_SEVERITY_MAX_ENUM", "VIPA_PARAM_MAX_ENUM", "VIPA_ENTITY_MAX_ENUM",
    "VIPA_CAUSE_MAX_ENUM", "VIPA_SUBJECT_MAX_ENUM", "VIPA_LINKAGE_MAX_ENUM",
    "VIPA_ALLOCATION_MAX_ENUM", "VIPA_CONTRIBUTION_MAX_ENUM", "VIPA_HOLDER_MAX_ENUM",
    "VIPA_OUTCOME_MAX_ENUM", "VIPA_ENTITY_STATUS_MAX_ENUM", "VIPA_STEP_MAX_ENUM",
    "VIPA_TABLE_MAX_ENUM",
)

#: C spellings renamed in 0.2 (issue #20), old → new: the headers keep the old one as a
#: deprecated alias of equal value (docs/ABI.md, "Renamed constants"). The Python names
#: did not change (``EntityStatus.ACTIVE``, ``Assured.ALL``).
RENAMED: dict[str, str] = {
    "VIPA_STATUS_NONE": "VIPA_ENTITY_STATUS_NONE",
    "VIPA_STATUS_ACTIVE": "VIPA_ENTITY_STATUS_ACTIVE",
    "VIPA_STATUS_DISQUALIFIED": "VIPA_ENTITY_STATUS_DISQUALIFIED",
    "VIPA_STATUS_MAX_ENUM": "VIPA_ENTITY_STATUS_MAX_ENUM",
    "VIPA_ASSURED_ALL": "VIPA_ASSURED_ITEMS_ALL",
}

#: Every enumerator and numeric constant of the headers, by its C name (the deprecated
#: aliases of ``RENAMED`` too).
C_CONSTANTS: dict[str, int] = dict(DEFINES)
C_CONSTANTS.update((name, 0x7FFFFFFF) for name in MAX_ENUMS)
for _cls, _prefix in _PREFIXES.items():
    for _name, _member in _cls.__members__.items():  # with the multi-bit ALL flags
        C_CONSTANTS[_prefix + _name] = int(_member.value)
for _old, _new in RENAMED.items():  # whichever spelling the prefixes gave, both
    C_CONSTANTS[_old] = C_CONSTANTS[_new] = C_CONSTANTS[_new if _new in C_CONSTANTS else _old]
del _cls, _prefix, _name, _member, _old, _new


def word_of(cls: type[enum.IntEnum], value: int) -> str:
    """The scenario word of an enumeration value: ``word_of(Cause, 1) == "illness"``."""
    return cls(value).name.lower()


def value_of(cls: type[enum.Enum], value: object, what: str) -> int:
    """An enumeration value from a word (``"illness"``), a member or an int.

    Raises ``TypeError`` for other types and ``vipa.InvalidArgument`` for an unknown word.
    """
    from .errors import InvalidArgument
    if isinstance(value, bool):
        raise TypeError(f"{what} must be a word or an int, not a bool")
    if isinstance(value, int):
        return int(value)
    if isinstance(value, str):
        try:
            return int(cls[value.upper()].value)  # type: ignore[index]
        except KeyError:
            words = ", ".join(m.name.lower() for m in cls if m.value)  # type: ignore[attr-defined]
            raise InvalidArgument(f"{what}: unknown word {value!r}; expected one of {words}",
                                  code=-1, name="VIPA_E_INVALID") from None
    raise TypeError(f"{what} must be a word such as {next(iter(cls)).name.lower()!r} "
                    f"or an int, not {type(value).__name__}")
