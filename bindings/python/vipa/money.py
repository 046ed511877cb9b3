"""Exact money: ``decimal.Decimal`` in and out, integer fen underneath (vipa/money.h).

The library keeps money as ``vipa_fen``, an integer count of fen (分, 0.01 yuan), and
never touches a floating-point number; these bindings do the same.

**In**: every money argument accepts

- a ``decimal.Decimal`` that is a whole number of fen (``Decimal("3600.50")``,
  ``Decimal("3600.500")``; not ``Decimal("3600.005")``),
- an ``int``, a number of whole **yuan** (``3600`` is 3600.00 yuan, as in scenario JSON),
- a ``str`` in the library's yuan syntax (``"3600.00"``, ``"-0.5"``, ``"5"``; see
  ``vipa_fen_parse()``).

A ``float`` raises ``TypeError``: a binary fraction cannot hold 0.01 exactly.

**Out**: amounts are ``Decimal`` with exactly two decimals (``Decimal("23333.34")``),
whose ``str()`` is the library's text (``vipa_fen_format()``).
"""

from __future__ import annotations

import ctypes
import re
from decimal import Decimal
from typing import Sequence, Union

from . import errors
from ._lib import check_text, lib

__all__ = ["Money", "to_fen", "from_fen", "fen_text", "to_cmu", "parse_yuan", "format_yuan",
           "split", "add", "sub", "mul", "mul_bp", "mul_bp_trunc", "mul_area",
           "FEN_MIN", "FEN_MAX"]

#: What a money argument may be.
Money = Union[Decimal, int, str]

FEN_MIN: int = -(2 ** 63)
FEN_MAX: int = 2 ** 63 - 1
_YUAN = re.compile(r"(-?)([0-9]+)(?:\.([0-9]{1,2}))?\Z")


def _overflow(what: str, value: object) -> errors.Overflow:
    return errors.Overflow(f"{what}: {value} yuan leaves the int64 range of fen",
                           code=-3, name="VIPA_E_OVERFLOW")


def _scaled(value: Union[Decimal, int, str], what: str, unit: str) -> int:
    """``value`` × 100 as an exact integer (fen for money, 0.01 mu for land)."""
    if isinstance(value, bool):
        raise TypeError(f"{what}: {unit} must be a Decimal, an int or a str, not a bool")
    if isinstance(value, int):
        scaled = value * 100
    elif isinstance(value, str):
        m = _YUAN.match(value)
        if m is None:
            parse_yuan(value, what)  # raises the library's own ParseError for this text
            raise errors.ParseError(f"{what}: {value!r} is not an amount",
                                    code=-7, name="VIPA_E_PARSE")  # pragma: no cover
        sign, whole, cents = m.groups()
        scaled = int(whole) * 100 + int((cents or "0").ljust(2, "0"))
        if sign:
            scaled = -scaled
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise errors.InvalidArgument(f"{what}: {value} is not an amount",
                                         code=-1, name="VIPA_E_INVALID")
        sign, digits, exponent = value.as_tuple()
        number = int("".join(map(str, digits)) or "0")
        if exponent >= -2:
            scaled = number * 10 ** (exponent + 2)
        else:
            divisor = 10 ** (-2 - exponent)
            if number % divisor:
                raise errors.InvalidArgument(
                    f"{what}: {value} is not a whole number of 0.01 {unit} "
                    f"(at most two decimals that are not 0)", code=-1, name="VIPA_E_INVALID")
            scaled = number // divisor
        if sign:
            scaled = -scaled
    elif isinstance(value, float):
        raise TypeError(
            f"{what}: {unit} must be exact: a decimal.Decimal, an int (whole {unit}) or a "
            f"str such as '3600.00', not the float {value!r}; a binary float cannot hold "
            f"0.01 exactly (write Decimal('{value:.2f}') or '{value:.2f}')")
    else:
        raise TypeError(f"{what}: {unit} must be a decimal.Decimal, an int (whole {unit}) "
                        f"or a str such as '3600.00', not {type(value).__name__}")
    if not FEN_MIN <= scaled <= FEN_MAX:
        raise _overflow(what, value)
    return scaled


def to_fen(value: Money, what: str = "amount") -> int:
    """An amount as integer fen: ``to_fen("3600.50") == 360050``, ``to_fen(5) == 500``.

    Raises ``TypeError`` (a float or another type), ``vipa.ParseError`` (text that is
    not an amount), ``vipa.InvalidArgument`` (a Decimal finer than a fen),
    ``vipa.Overflow`` (beyond the int64 range of fen).
    """
    return _scaled(value, what, "yuan")


def to_cmu(value: Money, what: str = "area_mu") -> int:
    """An area in mu as integer hundredths of a mu (``"2.50"`` → 250), exactly."""
    return _scaled(value, what, "mu")


def from_fen(fen: int) -> Decimal:
    """Integer fen as a two-decimal ``Decimal``: ``from_fen(360050) == Decimal("3600.50")``.

    Built from digits, so it is exact whatever the current decimal context.
    """
    sign = 1 if fen < 0 else 0
    digits = tuple(int(d) for d in str(abs(fen)).rjust(3, "0"))
    return Decimal((sign, digits, -2))


def fen_text(fen: int) -> str:
    """Integer fen as the library writes it (``vipa_fen_format()``): ``"-0.05"``."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}.{cents:02d}"


def parse_yuan(text: str, what: str = "amount") -> Decimal:
    """Parses yuan text exactly with ``vipa_fen_parse()``: ``"3600.5"`` → ``Decimal("3600.50")``.

    Raises ``vipa.ParseError`` with the library's sentence saying what was wrong, or
    ``vipa.Overflow``.
    """
    if not isinstance(text, str):
        raise TypeError(f"{what}: expected a str, not {type(text).__name__}")
    raw = check_text(text, what)
    out = ctypes.c_int64()
    why = ctypes.c_char_p()
    try:
        lib.vipa_fen_parse(ctypes.byref(out), raw, ctypes.byref(why))
    except errors.Error as e:
        raise type(e)(f"{what}: {text!r}: {e.message}", code=e.code, name=e.name,
                      function=e.function) from None
    return from_fen(out.value)


def format_yuan(amount: Money) -> str:
    """An amount as the library's yuan text (``vipa_fen_format()``): ``"1234.50"``."""
    buf = ctypes.create_string_buffer(24)  # VIPA_FEN_FORMAT_SIZE
    lib.vipa_fen_format(buf, len(buf), to_fen(amount))
    return buf.value.decode("ascii")


def split(total: Money, weights: Sequence[int]) -> list[Decimal]:
    """Splits ``total`` exactly by ``weights`` (``vipa_split()``, largest remainder, ties
    to the lower index): the parts always sum to the total. This is the split of the
    poor share of 三(二) (``EQUITY_POOR_SHARE``) and of pool dividends (二(三)).

    >>> split("70000.00", [1, 1, 1])
    [Decimal('23333.34'), Decimal('23333.33'), Decimal('23333.33')]
    """
    ws = list(weights)
    for w in ws:
        if isinstance(w, bool) or not isinstance(w, int):
            raise TypeError(f"weights must be ints, not {type(w).__name__}")
        if not 0 <= w < 2 ** 64:
            raise errors.InvalidArgument(f"weight {w} is outside 0..2^64-1",
                                         code=-1, name="VIPA_E_INVALID")
    n = len(ws)
    parts = (ctypes.c_int64 * max(n, 1))()
    lib.vipa_split(parts, to_fen(total, "total"), (ctypes.c_uint64 * max(n, 1))(*ws), n)
    return [from_fen(parts[i]) for i in range(n)]


def _fen_call(func, *args: int) -> Decimal:
    out = ctypes.c_int64()
    func(ctypes.byref(out), *args)
    return from_fen(out.value)


def add(a: Money, b: Money) -> Decimal:
    """``a + b``, checked (``vipa_fen_add()``; ``vipa.Overflow`` instead of wrapping)."""
    return _fen_call(lib.vipa_fen_add, to_fen(a, "a"), to_fen(b, "b"))


def sub(a: Money, b: Money) -> Decimal:
    """``a - b``, checked (``vipa_fen_sub()``)."""
    return _fen_call(lib.vipa_fen_sub, to_fen(a, "a"), to_fen(b, "b"))


def mul(amount: Money, n: int) -> Decimal:
    """``amount × n`` for a whole number ``n`` (days, members...), checked (``vipa_fen_mul()``)."""
    _check_int(n, "n", -(2 ** 63), 2 ** 63 - 1)
    return _fen_call(lib.vipa_fen_mul, to_fen(amount), n)


def mul_bp(amount: Money, rate_bp: int) -> Decimal:
    """``amount × rate_bp / 10000``, half away from zero to the fen (``vipa_fen_mul_bp()``;
    rate dividends, 二(三))."""
    _check_int(rate_bp, "rate_bp", -(2 ** 31), 2 ** 31 - 1)
    return _fen_call(lib.vipa_fen_mul_bp, to_fen(amount), rate_bp)


def mul_bp_trunc(amount: Money, rate_bp: int) -> Decimal:
    """``amount × rate_bp / 10000`` rounded toward zero (``vipa_fen_mul_bp_trunc()``: the
    70 % poor share of an injection, 三(二))."""
    _check_int(rate_bp, "rate_bp", -(2 ** 31), 2 ** 31 - 1)
    return _fen_call(lib.vipa_fen_mul_bp_trunc, to_fen(amount), rate_bp)


def mul_area(per_mu: Money, area_mu: Money) -> Decimal:
    """Land rent: ``per_mu × area_mu``, half away from zero to the fen
    (``vipa_fen_mul_area()``, 土地流转 of 二(三)); ``area_mu`` such as ``"2.50"``."""
    return _fen_call(lib.vipa_fen_mul_area, to_fen(per_mu, "per_mu"), to_cmu(area_mu))


def _check_int(value: object, what: str, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")
    if not low <= value <= high:
        raise errors.Overflow(f"{what} {value} is outside {low}..{high}",
                              code=-3, name="VIPA_E_OVERFLOW")

