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
    assert [r.number for r in rules] == list(range(1, 17))
    assert [r.id for r in rules] == [m.name for m in vipa.Rule if m]
    paid = vipa.rule("OBLIGATIONS_PAID")
    assert paid == vipa.rule(12) == rules[11]
    assert (paid.clause, paid.severity) == ("四(四)", "error")
    assert paid.summary and paid.summary_zh and paid.summary != paid.summary_zh
    assert vipa.rule("ONE_TOWN_ONE_INDUSTRY").clause == "二(二)"
    with pytest.raises(vipa.NotFound, match="NO_SUCH_RULE"):
        vipa.rule("NO_SUCH_RULE")
    with pytest.raises(vipa.NotFound):
        vipa.rule(99)
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
