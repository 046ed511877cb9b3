"""Money: Decimal in and out, exactly; never a float; the exact split."""

from __future__ import annotations

import decimal
import random
from decimal import Decimal

import pytest

import vipa
from vipa import money

FEN_MAX, FEN_MIN = money.FEN_MAX, money.FEN_MIN
EDGES = [0, 1, -1, 5, -5, 99, 100, 101, -100, 360050, 2 ** 53 + 1, FEN_MAX, FEN_MIN,
         FEN_MAX - 1, FEN_MIN + 1]


def _fens():
    rng = random.Random(2016)
    return EDGES + [rng.randint(FEN_MIN, FEN_MAX) for _ in range(300)] + \
        [rng.randint(-10 ** 6, 10 ** 6) for _ in range(300)]


def test_decimal_round_trips_through_the_library():
    for fen in _fens():
        amount = vipa.from_fen(fen)
        assert isinstance(amount, Decimal)
        assert amount.as_tuple().exponent == -2
        text = vipa.format_yuan(amount)              # C: vipa_fen_format
        assert str(amount) == text == money.fen_text(fen)
        assert vipa.parse_yuan(text) == amount       # C: vipa_fen_parse
        assert vipa.to_fen(amount) == vipa.to_fen(text) == fen


def test_from_fen_ignores_the_decimal_context():
    with decimal.localcontext() as c:
        c.prec = 3
        assert vipa.from_fen(FEN_MAX) == Decimal("92233720368547758.07")


@pytest.mark.parametrize("text", [
    "3600.00", "5", "-0.50", "0.5", "007.10", "-0", "92233720368547758.07",
    "-92233720368547758.08", "3600.005", "3600.", ".5", "+5", " 5", "5 ", "1e3", "1_000",
    "١٢", "", "-", "5.5.5", "92233720368547758.08", "-92233720368547758.09", "1,000.00",
])
def test_python_parsing_agrees_with_the_library(text):
    try:
        expected = vipa.parse_yuan(text)
    except vipa.Error as e:
        with pytest.raises(type(e)):
            vipa.to_fen(text)
    else:
        assert vipa.from_fen(vipa.to_fen(text)) == expected


def test_money_inputs():
    assert vipa.to_fen(Decimal("3600.5")) == 360050
    assert vipa.to_fen(Decimal("3600.500")) == 360050   # exact, however written
    assert vipa.to_fen(Decimal("36E2")) == 360000
    assert vipa.to_fen(3600) == 360000                   # an int is whole yuan
    assert vipa.to_fen("-0.05") == -5


@pytest.mark.parametrize("value", [3600.5, 0.1, float("nan"), 1e300])
def test_a_float_is_refused_with_a_clear_message(value):
    with pytest.raises(TypeError, match="float") as info:
        vipa.to_fen(value)
    assert "Decimal" in str(info.value) and "exactly" in str(info.value)


def test_a_float_is_refused_everywhere(ctx):
    with pytest.raises(TypeError, match="float"):
        vipa.split(100.0, [1, 1])
    with pytest.raises(TypeError, match="float"):
        vipa.format_yuan(1.5)
    with pytest.raises(TypeError, match="float"):
        ctx.set_param("poverty_line.2017", 2952.0)
    with pytest.raises(TypeError, match="float"):
        ctx.add_linkage(id=1, kind="wage", household=1, entity=1, agreement=1,
                        from_year=2017, to_year=2017, annual=3600.0)
    with pytest.raises(TypeError, match=r"incomes\[0\]\.other: 1.5 is a float"):
        vipa.Context.from_scenario({"vipa": 1, "incomes": [
            {"household": 1, "year": 2017, "other": 1.5}]})


def test_other_wrong_money():
    with pytest.raises(TypeError, match="bool"):
        vipa.to_fen(True)
    with pytest.raises(TypeError, match="list"):
        vipa.to_fen([1])
    with pytest.raises(vipa.InvalidArgument, match="whole number of 0.01 yuan"):
        vipa.to_fen(Decimal("3600.005"))
    with pytest.raises(vipa.InvalidArgument):
        vipa.to_fen(Decimal("NaN"))
    with pytest.raises(vipa.Overflow):
        vipa.to_fen(2 ** 62)
    with pytest.raises(vipa.Overflow):
        vipa.to_fen(Decimal("1e20"))
    with pytest.raises(vipa.ParseError, match="no digit|digit"):
        vipa.to_fen("abc")
    with pytest.raises(TypeError):
        vipa.parse_yuan(5)


def test_split_is_exact():
    assert vipa.split("70000.00", [1, 1, 1]) == [Decimal("23333.34"), Decimal("23333.33"),
                                                 Decimal("23333.33")]
    assert vipa.split(Decimal("-0.05"), [1, 1]) == [Decimal("-0.03"), Decimal("-0.02")]
    assert vipa.split(100, [3, 0, 1]) == [Decimal("75.00"), Decimal("0.00"), Decimal("25.00")]
    rng = random.Random(7)
    for _ in range(200):
        total = rng.randint(-10 ** 9, 10 ** 9)
        weights = [rng.randint(0, 10 ** 6) for _ in range(rng.randint(1, 9))]
        if not any(weights):
            continue
        parts = vipa.split(vipa.from_fen(total), weights)
        assert sum(parts) == vipa.from_fen(total)
    huge = vipa.split(vipa.from_fen(FEN_MAX), [2 ** 64 - 1, 2 ** 64 - 1])
    assert sum(huge) == vipa.from_fen(FEN_MAX)


def test_split_refuses_bad_weights():
    with pytest.raises(vipa.InvalidArgument):
        vipa.split(100, [0, 0])
    with pytest.raises(vipa.InvalidArgument):
        vipa.split(100, [])
    with pytest.raises(vipa.InvalidArgument):
        vipa.split(100, [-1])
    with pytest.raises(TypeError):
        vipa.split(100, [1.0])


def test_checked_arithmetic():
    assert vipa.add("0.10", "0.20") == Decimal("0.30")
    assert vipa.sub(1, "0.01") == Decimal("0.99")
    assert vipa.mul("3.50", 300) == Decimal("1050.00")
    assert vipa.mul_bp("100.01", 800) == Decimal("8.00")          # 8.0008 → 8.00
    assert vipa.mul_bp("0.07", 5000) == Decimal("0.04")           # 0.035 → half away: 0.04
    assert vipa.mul_bp("-0.07", 5000) == Decimal("-0.04")
    assert vipa.mul_bp_trunc("0.07", 5000) == Decimal("0.03")     # toward zero (三(二))
    assert vipa.mul_bp_trunc("100000.00", 7000) == Decimal("70000.00")
    assert vipa.mul_area("500.00", "2.50") == Decimal("1250.00")  # 土地流转 rent
    assert vipa.mul_area("0.03", "0.50") == Decimal("0.02")       # 0.015 → 0.02
    with pytest.raises(vipa.Overflow):
        vipa.add(vipa.from_fen(FEN_MAX), "0.01")
    with pytest.raises(vipa.Overflow):
        vipa.sub(vipa.from_fen(FEN_MIN), "0.01")
    with pytest.raises(vipa.Overflow):
        vipa.mul_bp(1, 2 ** 31)
    with pytest.raises(TypeError):
        vipa.mul(1, 2.0)
    with pytest.raises(TypeError, match="float"):
        vipa.mul_area("500.00", 2.5)
