"""Area codes, dates, credit codes and status codes: the context-free functions of
vipa/area.h, vipa/date.h, vipa/registry.h (USCC) and vipa/error.h.

Area codes are the 12-digit statistical division codes (统计用区划代码); the bindings
accept them as ``"611002100201"`` or as the integer, and give them back as the 12-digit
text, as the report does. Dates are ``datetime.date`` in and out (also accepted as
``"YYYY-MM-DD"`` text or a ``YYYYMMDD`` integer).
"""

from __future__ import annotations

import ctypes
import datetime
import re
from typing import Iterable, Optional, Union

from . import enums, errors
from ._lib import check_int, check_text, lib

__all__ = [
    "AreaCode", "DateLike", "to_code", "code_text", "parse_area_code", "format_area_code",
    "area_level", "area_parent", "signer_for", "area_level_name", "signer_level_name",
    "to_date", "from_date", "date_text", "parse_date", "format_date", "make_date",
    "is_valid_date", "check_uscc", "strerror", "error_name", "error_from_name",
    "library_version", "library_version_number",
]

AreaCode = Union[str, int]
DateLike = Union[datetime.date, str, int]

_CODE = re.compile(r"[0-9]{12}\Z")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")


# ---- area codes ------------------------------------------------------------------------

def to_code(value: AreaCode, what: str = "area code") -> int:
    """An area code as the integer the library holds: ``"611002100201"`` → 611002100201.

    Only the form is checked here (12 digits); whether the code is an area of the
    right level, and in the context, is the library's check.
    """
    if isinstance(value, bool):
        raise TypeError(f"{what} must be a 12-digit str or an int, not a bool")
    if isinstance(value, int):
        if not 0 <= value < 2 ** 64:
            raise errors.RangeError(f"{what} {value} is not a 12-digit code",
                                    code=-6, name="VIPA_E_RANGE")
        return value
    if isinstance(value, str):
        if _CODE.match(value):
            return int(value)
        parse_area_code(value, what)  # raises the library's error for this text
    raise TypeError(f"{what} must be a 12-digit str such as '611002100201' or an int, "
                    f"not {type(value).__name__}")


def code_text(code: int) -> str:
    """An area code as its 12 digits (the report's form)."""
    return f"{code:012d}"


def parse_area_code(text: str, what: str = "area code") -> int:
    """``vipa_area_code_parse()``: exactly 12 digits naming an area of some level."""
    raw = check_text(text, what)
    out = ctypes.c_uint64()
    try:
        lib.vipa_area_code_parse(ctypes.byref(out), raw)
    except errors.Error as e:
        raise type(e)(f"{what}: {text!r} is not a 12-digit area code of a county, town or "
                      f"village", code=e.code, name=e.name, function=e.function) from None
    return out.value


def format_area_code(code: AreaCode) -> str:
    """``vipa_area_code_format()``: the 12 digits of a valid code."""
    buf = ctypes.create_string_buffer(13)  # VIPA_AREA_CODE_SIZE
    lib.vipa_area_code_format(buf, len(buf), to_code(code))
    return buf.value.decode("ascii")


def area_level(code: AreaCode) -> str:
    """The level a code's shape gives it (``vipa_area_code_level()``): ``"county"``,
    ``"town"``, ``"village"``, or ``"none"`` for no area."""
    return area_level_name(lib.vipa_area_code_level(to_code(code)))


def area_parent(code: AreaCode, level: Union[str, enums.AreaLevel]) -> str:
    """The code of the containing area at ``level`` (``vipa_area_code_parent()``)."""
    out = ctypes.c_uint64()
    lib.vipa_area_code_parent(ctypes.byref(out), to_code(code),
                              check_int(enums.value_of(enums.AreaLevel, level, "level"), "level"))
    return code_text(out.value)


def signer_for(core_village: AreaCode,
               villages: Iterable[AreaCode] = ()) -> tuple[str, Optional[str]]:
    """Who signs the agreement (四(二), ``SIGNER_LEVEL``; ``vipa_signer_compute()``):
    ``("village"|"town"|"county", code)`` or ``("not_provided", None)`` across counties."""
    codes = [to_code(v, "village") for v in villages]
    array = (ctypes.c_uint64 * max(len(codes), 1))(*codes)
    level = ctypes.c_int()
    area = ctypes.c_uint64()
    lib.vipa_signer_compute(ctypes.byref(level), ctypes.byref(area),
                            to_code(core_village, "core_village"), array, len(codes))
    return signer_level_name(level.value), (code_text(area.value) if area.value else None)


def area_level_name(level: int) -> str:
    """``vipa_area_level_name()``: ``"county"``, ``"town"``, ``"village"``, ``"none"``."""
    return lib.vipa_area_level_name(check_int(level, "level"))


def signer_level_name(level: int) -> str:
    """``vipa_signer_level_name()``: ``"village"``, ..., ``"not_provided"``."""
    return lib.vipa_signer_level_name(check_int(level, "level"))


def linkage_kind_name(kind: int) -> Optional[str]:
    """``vipa_linkage_kind_name()``: ``"wage"``, ``"land_rent"``, ``"participation"``;
    None for a value that is no linkage kind."""
    return lib.vipa_linkage_kind_name(check_int(kind, "kind"))


def holder_kind_name(kind: int) -> Optional[str]:
    """``vipa_holder_kind_name()``: ``"household"``, ``"collective"``, ``"entity"``; None
    for a value that is no holder kind."""
    return lib.vipa_holder_kind_name(check_int(kind, "kind"))


# ---- dates ----------------------------------------------------------------------------

def to_date(value: Optional[DateLike], what: str = "date", optional: bool = False) -> int:
    """A date as the library's YYYYMMDD integer. ``None`` is 0 ("no date") only where
    the field is optional. Whether the day exists is the library's check."""
    if value is None:
        if optional:
            return 0
        raise TypeError(f"{what} is required")
    if isinstance(value, datetime.datetime):
        raise TypeError(f"{what} must be a datetime.date, not a datetime (use .date())")
    if isinstance(value, datetime.date):
        return value.year * 10000 + value.month * 100 + value.day
    if isinstance(value, bool):
        raise TypeError(f"{what} must be a date, not a bool")
    if isinstance(value, int):
        if not -2 ** 31 <= value < 2 ** 31:
            raise errors.RangeError(f"{what} {value} is not a YYYYMMDD date", code=-6,
                                    name="VIPA_E_RANGE")
        return value
    if isinstance(value, str):
        m = _DATE.match(value)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            return y * 10000 + mo * 100 + d
        day = parse_date(value, what)  # raises the library's error for this text
        return day.year * 10000 + day.month * 100 + day.day
    raise TypeError(f"{what} must be a datetime.date or 'YYYY-MM-DD', "
                    f"not {type(value).__name__}")


def from_date(value: int) -> Optional[datetime.date]:
    """The library's YYYYMMDD integer as a ``datetime.date`` (0 → ``None``)."""
    if not value:
        return None
    return datetime.date(value // 10000, value // 100 % 100, value % 100)


def date_text(value: int) -> str:
    """A YYYYMMDD integer as ``"YYYY-MM-DD"``."""
    return f"{value // 10000:04d}-{value // 100 % 100:02d}-{value % 100:02d}"


def parse_date(text: str, what: str = "date") -> datetime.date:
    """``vipa_date_parse()``: exactly ``"YYYY-MM-DD"``, a real day of 1900..9999."""
    raw = check_text(text, what)
    out = ctypes.c_int32()
    try:
        lib.vipa_date_parse(ctypes.byref(out), raw)
    except errors.Error as e:
        raise type(e)(f"{what}: {text!r} is not a real day written YYYY-MM-DD",
                      code=e.code, name=e.name, function=e.function) from None
    return from_date(out.value)  # type: ignore[return-value]


def format_date(value: DateLike) -> str:
    """``vipa_date_format()``: a valid date as ``"YYYY-MM-DD"``."""
    buf = ctypes.create_string_buffer(11)  # VIPA_DATE_FORMAT_SIZE
    lib.vipa_date_format(buf, len(buf), to_date(value))
    return buf.value.decode("ascii")


def make_date(year: int, month: int, day: int) -> datetime.date:
    """``vipa_date_make()``: the day, checked to exist (``vipa.RangeError`` if not)."""
    year, month, day = (check_int(v, w) for v, w in ((year, "year"), (month, "month"),
                                                       (day, "day")))
    out = ctypes.c_int32()
    try:
        lib.vipa_date_make(ctypes.byref(out), year, month, day)
    except errors.Error as e:
        raise type(e)(f"{year:04d}-{month:02d}-{day:02d} is not a day of the years "
                      f"1900..9999", code=e.code, name=e.name, function=e.function) from None
    return from_date(out.value)  # type: ignore[return-value]


def is_valid_date(value: DateLike) -> bool:
    """``vipa_date_is_valid()``: a real day of the years 1900..9999."""
    try:
        number = to_date(value)
    except errors.Error:
        return False
    return bool(lib.vipa_date_is_valid(number)) if -2 ** 31 <= number < 2 ** 31 else False


# ---- credit codes, status codes, version -------------------------------------------------

def check_uscc(code: str) -> None:
    """Checks a unified social credit code (GB 32100-2015) with ``vipa_uscc_check()``:
    returns ``None`` if valid; raises ``vipa.ParseError`` (not 18 characters of the set)
    or ``vipa.RangeError`` (wrong check character) with the library's sentence."""
    raw = check_text(code, "USCC")
    why = ctypes.c_char_p()
    try:
        lib.vipa_uscc_check(raw, ctypes.byref(why))
    except errors.Error as e:
        raise type(e)(f"USCC {code!r}: {e.message}", code=e.code, name=e.name,
                      function=e.function) from None


def strerror(code: int) -> str:
    """``vipa_strerror()``: the library's text for a status code."""
    return lib.vipa_strerror(check_int(code, "code"))


def error_name(code: int) -> str:
    """``vipa_error_name()``: ``"VIPA_E_NOT_FOUND"`` for -4, ``"VIPA_E_UNKNOWN"`` if unknown."""
    return lib.vipa_error_name(check_int(code, "code"))


def error_from_name(name: str) -> int:
    """``vipa_error_from_name()``: the code of ``"VIPA_E_PARSE"`` (-7); ``vipa.NotFound``."""
    raw = check_text(name, "name")
    out = ctypes.c_int()
    lib.vipa_error_from_name(ctypes.byref(out), raw)
    return out.value


def library_version() -> str:
    """``vipa_version_string()``: the version of the C library loaded."""
    return lib.vipa_version_string()


def library_version_number() -> int:
    """``vipa_version_number()``: MAJOR*1000000 + MINOR*1000 + PATCH."""
    return lib.vipa_version_number()
