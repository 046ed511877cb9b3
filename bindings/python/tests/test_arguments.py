"""Arguments ctypes would change silently (issue 15), refused before the call:

- an int outside its C type (ctypes keeps the low bits: ``2**64 + 1001`` is 1001, ``-1``
  as a ``uint64_t`` is ``2**64 - 1``, ``2**32`` as an ``int`` is 0 — False);
- a str with a NUL (the C string ends there: ``'1\\0abc'`` is ``'1'``);
- a bool where an integer field is expected, in the batch fast path as in the
  per-record path (``struct`` packs ``True`` as 1).

Each raises ``OverflowError``/``ValueError`` (the ``vipa.Overflow``/``vipa.InvalidArgument``
subclasses) or ``TypeError`` naming the argument, and changes nothing. Besides these
tests, conftest checks every call of the whole suite for ints and texts ctypes would
change (``UNCHECKED_CALLS``).
"""

from __future__ import annotations

import ctypes
from decimal import Decimal
from typing import Any, Callable

import pytest

import vipa
from vipa import _lib, codes, structs
from vipa.rules import severity_name

from conftest import SAMPLE, add_dues_world, tiny_areas

BIG = 2 ** 64 + 1001       # 1001 in the low 64 bits
WRAPS_TO_2017 = 2 ** 32 + 2017


# ---- integers -------------------------------------------------------------------------------

@pytest.fixture
def world():
    with vipa.Context.from_scenario(SAMPLE) as ctx:
        result = ctx.run()
        yield ctx, result


#: (what the message names, the call) for every public function that takes an int for C.
INT_CALLS: list[tuple[str, Callable[[Any, Any], Any]]] = [
    ("code", lambda c, r: vipa.strerror(2 ** 40)),
    ("code", lambda c, r: vipa.strerror(-(2 ** 31) - 1)),
    ("code", lambda c, r: vipa.error_name(2 ** 32 - 4)),
    ("month", lambda c, r: vipa.make_date(2017, 2 ** 32 + 2, 1)),
    ("year", lambda c, r: vipa.make_date(WRAPS_TO_2017, 1, 1)),
    ("day", lambda c, r: vipa.make_date(2017, 1, -(2 ** 32) + 1)),
    ("level", lambda c, r: vipa.area_parent("611002100201", 2 ** 32 + 2)),
    ("level", lambda c, r: codes.area_level_name(2 ** 32 + 1)),
    ("level", lambda c, r: codes.signer_level_name(2 ** 32 + 1)),
    ("rule number", lambda c, r: vipa.rule(2 ** 32 + 12)),
    ("severity", lambda c, r: severity_name(2 ** 32 + 3)),
    ("n", lambda c, r: vipa.mul("1.00", 2 ** 64 + 2)),
    ("rate_bp", lambda c, r: vipa.mul_bp("1.00", 2 ** 32 + 800)),
    ("rate_bp", lambda c, r: vipa.mul_bp_trunc("1.00", -(2 ** 32) + 800)),
    ("weight", lambda c, r: vipa.split("1.00", [1, 2 ** 64 + 1])),
    ("area code", lambda c, r: vipa.format_area_code(2 ** 64 + 611002100201)),
    ("date", lambda c, r: vipa.format_date(2 ** 32 + 20170101)),
    ("year", lambda c, r: c.poverty_line(WRAPS_TO_2017)),
    ("exit.require_guarantees", lambda c, r: c.set_param("exit.require_guarantees", 2 ** 32)),
    ("exit.require_guarantees",
     lambda c, r: c.set_param("exit.require_guarantees", -(2 ** 32) + 1)),
    ("equity.poor_share_bp", lambda c, r: c.set_param("equity.poor_share_bp", 2 ** 64 + 5000)),
    ("equity.poor_share_bp", lambda c, r: c.set_param("equity.poor_share_bp", -(2 ** 63) - 1)),
    ("as_of", lambda c, r: c.set_as_of(2 ** 32 + 20171231)),
    ("household", lambda c, r: r.explain_household(BIG, 2017)),
    ("household", lambda c, r: r.explain_household(-1, 2017)),
    ("year", lambda c, r: r.explain_household(1001, WRAPS_TO_2017)),
    ("agreement", lambda c, r: r.explain_agreement(2 ** 64 + 1, 2017)),
    ("agreement", lambda c, r: r.explain_agreement(-(2 ** 64) + 1, 2017)),
    ("severity", lambda c, r: r.finding_count(2 ** 32 + 3)),
    ("households[0].id", lambda c, r: c.add_household(id=-1, village="611002100201",
                                                      members=1, labour=1, cause="illness",
                                                      willing=True)),
    ("vipa_household.id", lambda c, r: structs.Household.new(id=BIG)),
    ("vipa_run_options.flags", lambda c, r: structs.RunOptions.new(flags=2 ** 32)),
]


@pytest.mark.parametrize("what, call", INT_CALLS,
                         ids=[f"{k}-{w}" for k, (w, _) in enumerate(INT_CALLS)])
def test_an_int_outside_its_c_type_is_refused_naming_it(world, what, call):
    ctx, result = world
    before = ctx.export_scenario()
    with pytest.raises((OverflowError, ValueError)) as info:
        call(ctx, result)
    assert what in str(info.value)
    assert ctx.export_scenario() == before  # nothing changed
    assert not result.closed  # nor was the result closed for a refused change


def test_a_refused_flag_does_not_store_false(ctx):
    """2**32 as a C int is 0: it would have set exit.require_guarantees to False."""
    assert ctx.get_param("exit.require_guarantees") is True
    with pytest.raises(vipa.Overflow, match="exit.require_guarantees 4294967296 does not fit"):
        ctx.set_param("exit.require_guarantees", 2 ** 32)
    assert ctx.get_param("exit.require_guarantees") is True
    with pytest.raises(vipa.RangeError, match="not a boolean"):  # the library: 0 or 1
        ctx.set_param("exit.require_guarantees", 2)
    ctx.set_param("exit.require_guarantees", 0)
    assert ctx.get_param("exit.require_guarantees") is False


def test_strerror_of_a_wrapping_code_is_not_success():
    assert vipa.strerror(0) == "success"
    with pytest.raises(vipa.Overflow, match=r"code 1099511627776 does not fit int32"):
        vipa.strerror(2 ** 40)
    with pytest.raises(TypeError, match="code must be an int"):
        vipa.error_name(True)


def test_explain_does_not_explain_the_low_bits(world):
    _, result = world
    assert result.explain_household(1001, 2017).subject == vipa.Subject("household", 1001)
    with pytest.raises(vipa.Overflow, match="household 18446744073709552617 does not fit"):
        result.explain_household(BIG, 2017)


# ---- texts ----------------------------------------------------------------------------------

#: (what the message names, the call) for every public function that passes a str to C.
TEXT_CALLS: list[tuple[str, Callable[[Any], Any]]] = [
    ("amount", lambda c: vipa.parse_yuan("1\0abc")),
    ("total", lambda c: vipa.split("1\0abc", [1])),
    ("amount", lambda c: vipa.format_yuan("5\0")),
    ("area code", lambda c: vipa.parse_area_code("611002100201\0")),
    ("area code", lambda c: vipa.area_level("611002100201\0")),
    ("date", lambda c: vipa.parse_date("2017-01-01\0")),
    ("date", lambda c: vipa.format_date("2017-01-01\0junk")),
    ("USCC", lambda c: vipa.check_uscc("\0")),
    ("name", lambda c: vipa.error_from_name("VIPA_E_PARSE\0x")),
    ("rule ID", lambda c: vipa.rule("OBLIGATIONS_PAID\0x")),
    ("profile", lambda c: vipa.Context(profile="shangluo-2016\0x")),
    ("parameter key", lambda c: c.set_param("equity.poor_share_bp\0junk", 5000)),
    ("parameter key", lambda c: c.get_param("equity.poor_share_bp\0junk")),
    ("parameter key", lambda c: c.param_type("equity.poor_share_bp\0junk")),
    ("equity.allocation", lambda c: c.set_param("equity.allocation", "per_member\0junk")),
    ("poverty_line.2017", lambda c: c.set_param("poverty_line.2017", "3000\0.00")),
    ("as_of", lambda c: c.set_as_of("2019-12-31\0")),
    ("scenario", lambda c: c.load_scenario("examples/x.json\0")),
    ("households[0].village", lambda c: c.add_household(id=9001, village="611002100201\0",
                                                         members=1, labour=1,
                                                         cause="illness", willing=True)),
    ("areas[0].name", lambda c: c.add_area(code="611002100299", name="村\0",
                                           level="village")),
]


@pytest.mark.parametrize("what, call", TEXT_CALLS,
                         ids=[f"{k}-{w}" for k, (w, _) in enumerate(TEXT_CALLS)])
def test_a_text_with_a_nul_is_refused_naming_it(loaded, what, call):
    before = loaded.export_scenario()
    with pytest.raises(ValueError) as info:
        call(loaded)
    assert what in str(info.value)
    assert "NUL" in str(info.value)
    assert loaded.export_scenario() == before


def test_a_key_with_a_nul_does_not_set_the_real_key(ctx):
    with pytest.raises(vipa.InvalidArgument, match="parameter key"):
        ctx.set_param("equity.poor_share_bp\0junk", 5000)
    assert ctx.get_param("equity.poor_share_bp") == 7000


def test_parse_yuan_reads_the_whole_text():
    assert vipa.parse_yuan("1") == Decimal("1.00")
    with pytest.raises(vipa.InvalidArgument, match="amount '1\\\\x00abc' contains a NUL"):
        vipa.parse_yuan("1\0abc")


def test_texts_are_str():
    with pytest.raises(TypeError, match="parameter key must be a str"):
        vipa.Context().param_type(b"equity.poor_share_bp")
    with pytest.raises(TypeError, match="USCC must be a str"):
        vipa.check_uscc(None)


# ---- booleans in integer fields: both paths -------------------------------------------------

def _households(n: int) -> list[tuple]:
    return [(2001 + i, "611002100201", 2, 1, "illness", i % 2 == 0) for i in range(n)]


@pytest.mark.parametrize("n", [1, 15, 16, 200])
@pytest.mark.parametrize("row, field, where", [
    (0, 0, "id"), (7, 0, "id"), (-1, 0, "id"), (3, 2, "members"), (0, 3, "labour"),
    (5, 1, "village"), (0, 4, "cause"),
])
def test_a_bool_in_an_integer_field_is_refused_in_every_batch(ctx, n, row, field, where):
    """``True`` is not household id 1 in a batch of 16 or more (the fast path) any more
    than in one of fewer or in add_household(); the flag ``willing`` takes bools."""
    ctx.add_areas(tiny_areas())
    rows = _households(n)
    index = row % n
    rows[index] = rows[index][:field] + (True,) + rows[index][field + 1:]
    with pytest.raises(TypeError, match=rf"households\[{index}\]\.{where} must be"):
        ctx.add_households(rows)
    dicts = [dict(zip(vipa.fields("households"), r)) for r in rows]
    with pytest.raises(TypeError, match=rf"households\[{index}\]\.{where} must be"):
        ctx.add_households(dicts)
    assert ctx.counts()["households"] == 0
    assert ctx.add_households(_households(n)) == n  # bools in `willing` are fine


def test_a_bool_is_refused_in_other_kinds_too(ctx):
    add_dues_world(ctx)
    payments = [(1, 0, 0, 2017, "1.00", "2017-12-31")] * 20
    payments[9] = (1, 0, 0, True, "1.00", "2017-12-31")
    with pytest.raises(TypeError, match=r"payments\[9\]\.year must be an int, not bool"):
        ctx.add_payments(payments)
    with pytest.raises(TypeError, match="households\\[0\\].id must be an int, not bool"):
        ctx.add_household(id=True, village="611002100201", members=1, labour=1,
                          cause="illness", willing=True)


# ---- the runtime initialisers of the versioned structs ------------------------------------------

ALL_STRUCTS = [structs.CtxOptions, structs.RunOptions, *structs.RECORD_STRUCTS.values()]


def _c_init(struct: type) -> Any:
    return getattr(_lib.lib, f"{struct.c_name}_init")


@pytest.mark.parametrize("struct", ALL_STRUCTS, ids=lambda s: s.c_name)
def test_each_init_function_gives_what_new_gives(struct):
    """``vipa_<struct>_init(out, VERSION)`` (the header's VIPA_X_INIT, at run time) and
    ``Struct.new()`` agree field by field; version 0, a version newer than the library's
    and NULL are refused, the struct untouched."""
    init = _c_init(struct)
    out = struct()
    ctypes.memset(ctypes.byref(out), 0x5A, ctypes.sizeof(out))
    assert init(ctypes.byref(out), struct.version_value()) == 0
    ours = struct.new()
    for name, ctype in struct._fields_:
        got, want = getattr(out, name), getattr(ours, name)
        if isinstance(got, (int, bytes)) or got is None:
            assert got == want, name
        else:  # a pointer or a function pointer: NULL in both
            assert not ctypes.cast(got, ctypes.c_void_p).value, name
            assert not ctypes.cast(want, ctypes.c_void_p).value, name
    before = bytes(out)
    for version in (0, struct.version_value() + 1):
        with pytest.raises(vipa.VersionError):
            init(ctypes.byref(out), version)
        assert bytes(out) == before
    with pytest.raises(vipa.InvalidArgument):
        init(None, struct.version_value())


def test_an_older_version_is_initialised_without_a_byte_more():
    """A caller of version 1 has a shorter vipa_agreement (no support, dividend_bp):
    the library writes its fields and nothing past them."""
    assert structs.Agreement.version_value() == 2
    end_of_v1 = structs.Agreement.support.offset
    out = structs.Agreement()
    ctypes.memset(ctypes.byref(out), 0x5A, ctypes.sizeof(out))
    _lib.lib.vipa_agreement_init(ctypes.byref(out), 1)
    assert (out.version, out.household_count, out.id) == (1, -1, 0)
    assert bytes(out)[end_of_v1:] == b"\x5a" * (ctypes.sizeof(out) - end_of_v1)


def test_the_suite_checks_every_call_for_ints_and_texts():
    """conftest's check itself: an int ctypes would cut or a text with a NUL, passed to
    any C function by any test, fails that test (and is listed for test_zz_coverage)."""
    import conftest
    out = structs.Household()
    with pytest.raises(AssertionError, match="outside c_uint"):
        _lib.lib.vipa_household_init(ctypes.byref(out), 2 ** 32 + 1)
    assert conftest.UNCHECKED_CALLS.pop()[0] == "vipa_household_init"
    with pytest.raises(AssertionError, match="holds a NUL"):
        _lib.lib.vipa_date_parse(ctypes.byref(ctypes.c_int32()), b"2017-01-01\0")
    assert conftest.UNCHECKED_CALLS.pop()[0] == "vipa_date_parse"
