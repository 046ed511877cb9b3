"""Area codes, dates, credit codes and the rule catalogue."""

from __future__ import annotations

import datetime

import pytest

import vipa


def test_area_codes():
    assert vipa.parse_area_code("611002100201") == 611002100201
    assert vipa.format_area_code(611002100201) == "611002100201"
    assert vipa.area_level("611002000000") == "county"
    assert vipa.area_level(611002100000) == "town"
    assert vipa.area_level("611002100201") == "village"
    assert vipa.area_level(611000000000) == "none"       # a city: not an area of the plan
    assert vipa.area_parent("611002100201", "town") == "611002100000"
    assert vipa.area_parent("611002100201", vipa.AreaLevel.COUNTY) == "611002000000"
    with pytest.raises(vipa.RangeError):
        vipa.area_parent("611002100000", "village")       # below the code's own level
    with pytest.raises(vipa.ParseError, match="12-digit"):
        vipa.parse_area_code("6110021002")
    with pytest.raises(vipa.RangeError):
        vipa.parse_area_code("611000000000")
    with pytest.raises(vipa.RangeError):
        vipa.format_area_code(12)
    with pytest.raises(TypeError):
        vipa.area_level(6.11e11)


def test_signer_rule_of_4_2():
    """四(二) SIGNER_LEVEL: the span of the core village and the households' villages."""
    assert vipa.signer_for("611002100201") == ("village", "611002100201")
    assert vipa.signer_for("611002100201", ["611002100201"]) == ("village", "611002100201")
    assert vipa.signer_for("611002100201", ["611002100202"]) == ("town", "611002100000")
    assert vipa.signer_for("611002100201", ["611002104291"]) == ("county", "611002000000")
    assert vipa.signer_for("611002100201", ["611021101291"]) == ("not_provided", None)
    with pytest.raises(vipa.InvalidArgument):
        vipa.signer_for("611002100000")                   # a town is no core village


def test_dates():
    assert vipa.parse_date("2016-11-15") == datetime.date(2016, 11, 15)
    assert vipa.format_date(datetime.date(2018, 1, 31)) == "2018-01-31"
    assert vipa.format_date("2018-01-31") == "2018-01-31"
    assert vipa.format_date(20180131) == "2018-01-31"
    assert vipa.make_date(2016, 2, 29) == datetime.date(2016, 2, 29)
    assert vipa.is_valid_date("2016-02-29") and not vipa.is_valid_date("2017-02-29")
    assert not vipa.is_valid_date(0) and not vipa.is_valid_date(18991231)
    assert not vipa.is_valid_date("29.02.2016") and not vipa.is_valid_date(2 ** 40)
    with pytest.raises(vipa.RangeError):
        vipa.parse_date("2017-02-29")
    with pytest.raises(vipa.ParseError, match="YYYY-MM-DD"):
        vipa.parse_date("2017/02/28")
    with pytest.raises(vipa.RangeError):
        vipa.format_date(20171301)
    with pytest.raises(TypeError, match="datetime"):
        vipa.format_date(datetime.datetime(2017, 1, 1))


def test_unified_social_credit_codes():
    assert vipa.check_uscc("91350100M000100Y43") is None
    with pytest.raises(vipa.RangeError, match="check"):
        vipa.check_uscc("91350100M000100Y44")
    with pytest.raises(vipa.ParseError) as info:
        vipa.check_uscc("9135")
    assert "USCC '9135'" in info.value.message


def test_rule_catalogue():
    rules = vipa.rules()
    assert vipa.rule_count() == 17  # libvipa 0.2 (vipa_rule_count())
    assert [r.number for r in rules] == list(range(1, 18))
    assert [r.id for r in rules] == [m.name for m in vipa.Rule if m]
    tasks = vipa.rule("PLAN_TASKS_MET")
    assert tasks == vipa.rule(17) == vipa.rule(vipa.Rule.PLAN_TASKS_MET) == rules[16]
    assert (tasks.clause, tasks.severity) == ("四(三); 四(五)", "error")
    paid = vipa.rule("OBLIGATIONS_PAID")
    assert paid == vipa.rule(12) == rules[11]
    assert (paid.clause, paid.severity) == ("四(四)", "error")
    assert paid.summary and paid.summary_zh and paid.summary != paid.summary_zh
    assert vipa.rule("ONE_TOWN_ONE_INDUSTRY").clause == "二(二)"
    with pytest.raises(vipa.NotFound, match="NO_SUCH_RULE"):
        vipa.rule("NO_SUCH_RULE")
    with pytest.raises(vipa.NotFound):
        vipa.rule(99)
    with pytest.raises(vipa.NotFound, match="number 18"):
        vipa.rule(18)  # one past the library's catalogue
    assert vipa.rules.__module__ == "vipa.rules"
    from vipa.rules import severity_name
    assert [severity_name(s) for s in (1, 2, 3)] == ["notice", "warning", "error"]
    with pytest.raises(vipa.InvalidArgument):
        severity_name(9)


def test_level_names():
    from vipa import codes
    assert [codes.area_level_name(v) for v in vipa.AreaLevel] == ["none", "county", "town",
                                                                  "village"]
    assert [codes.signer_level_name(v) for v in vipa.SignerLevel] == [
        "unrecorded", "village", "town", "county", "not_provided"]
    assert [codes.linkage_kind_name(v) for v in range(5)] == [
        None, "wage", "land_rent", "participation", None]
    assert [codes.holder_kind_name(v) for v in range(5)] == [
        None, "household", "collective", "entity", None]


def test_the_catalogue_is_the_loaded_library_s(monkeypatch):
    """rules() asks vipa_rule_count() of the library loaded, not the headers'
    VIPA_RULE_COUNT: a library with fewer (or more) rules gives its own catalogue."""
    from vipa import _lib, enums
    assert enums.DEFINES["VIPA_RULE_COUNT"] == 17  # the headers the bindings mirror
    monkeypatch.setattr(_lib.lib, "vipa_rule_count", lambda: 16)
    assert vipa.rule_count() == 16
    assert [r.id for r in vipa.rules()][-1] == "DISCLOSURE"
    monkeypatch.undo()
    assert vipa.rules()[-1].id == "PLAN_TASKS_MET"


def test_rule_numbers_are_checked_before_ctypes():
    """ctypes would keep the low 32 bits: 2**32 + 12 must not be OBLIGATIONS_PAID."""
    with pytest.raises(vipa.Overflow, match=r"rule number 4294967308 does not fit int32"):
        vipa.rule(2 ** 32 + 12)
    with pytest.raises(OverflowError):
        vipa.rule(-(2 ** 31) - 1)
    with pytest.raises(TypeError, match="rule number must be an int"):
        vipa.rule(12.0)
    with pytest.raises(TypeError):
        vipa.rule(True)
    with pytest.raises(vipa.NotFound):
        vipa.rule(0)
    from vipa.rules import rule_id, severity_name
    with pytest.raises(vipa.Overflow):
        rule_id(2 ** 40)
    with pytest.raises(vipa.Overflow, match="severity"):
        severity_name(2 ** 32 + 3)


def test_make_date_checks_its_ints_before_ctypes():
    assert vipa.make_date(2017, 12, 31) == datetime.date(2017, 12, 31)
    with pytest.raises(vipa.Overflow, match="year"):
        vipa.make_date(2 ** 32 + 2017, 12, 31)
    with pytest.raises(vipa.Overflow, match="month"):
        vipa.make_date(2017, 2 ** 32 + 12, 31)
    with pytest.raises(TypeError, match="day"):
        vipa.make_date(2017, 12, "31")
