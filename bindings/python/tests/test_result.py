"""The Result: typed views, the report contract, and the same bytes as `vipa run --json`."""

from __future__ import annotations

import dataclasses
import datetime
import json
from decimal import Decimal

import pytest

import vipa

from conftest import REPO, SAMPLE, run_cli

SCENARIOS = sorted((REPO / "tests" / "scenarios").glob("*.json"))


@pytest.fixture(scope="module")
def result():
    return vipa.Context.from_scenario(SAMPLE).run()


def test_to_dict_is_the_report(result):
    report = result.report_json()
    assert result.to_dict() == json.loads(report)
    # the same keys in the same order: the same bytes once dumped
    assert json.dumps(result.to_dict(), ensure_ascii=False, separators=(",", ":")) + "\n" \
        == report
    assert result.to_json(indent=2) + "\n" == result.report_json(pretty=True)


def test_the_bundled_sample_gives_the_bytes_of_vipa_run(result, vipa_cli):
    done = run_cli(vipa_cli, "run", "--json")
    assert done.returncode == 0, done.stderr
    assert result.report_json(pretty=True) == done.stdout
    assert json.loads(done.stdout) == result.to_dict()


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_each_scenario_through_python_equals_vipa_run(path, vipa_cli):
    """Every policy scenario: Python gives `vipa run FILE --json`, or the same error."""
    expected_error = json.loads(path.read_text(encoding="utf-8")).get("expect_error")
    done = run_cli(vipa_cli, "run", str(path), "--json")
    if expected_error:
        with pytest.raises(vipa.Error) as info:
            with vipa.Context.from_scenario(path) as ctx:
                ctx.run()
        assert info.value.name == expected_error
        assert done.returncode != 0
        return
    assert done.returncode == 0, done.stderr
    with vipa.Context.from_scenario(path) as ctx:
        mine = ctx.run()
        assert json.loads(done.stdout) == json.loads(mine.report_json())
        assert mine.report_json(pretty=True) == done.stdout
        assert mine.to_dict() == json.loads(done.stdout)


def test_views_hold_python_values(result):
    assert result.stamp.library == vipa.library_version
    assert result.stamp.profile == "shangluo-2016" and len(result.stamp.profile_sha256) == 64
    assert result.year_numbers == (2017, 2018, 2019)
    year = result.year(2017)
    household = year.households[0]
    assert isinstance(household, vipa.HouseholdYear)
    assert isinstance(household.income, Decimal) and household.income.as_tuple().exponent == -2
    assert isinstance(household.meets_standard, bool)
    evaluation = year.evaluations[0]
    assert isinstance(evaluation.date, datetime.date) and evaluation.year == 2017
    assert all(isinstance(c.village, str) and len(c.village) == 12 for c in year.coverage)
    assert all(d.due >= 0 for d in year.dividends)
    assert {h.exit_year for h in result.households} <= {None, 2016, 2017, 2018, 2019}
    signer = result.signers[3]
    assert (signer.agreement, signer.level, signer.area) == (4, "not_provided", None)
    assert sum(a.amount for a in result.allocations if a.injection == 1) > 0
    assert {a.holder.kind for a in result.allocations} <= {"household", "collective", "entity"}
    assert all(isinstance(d.equity, Decimal) for d in result.disclosure)
    statuses = {e.status for e in result.entities}
    assert statuses <= {"active", "disqualified"}
    for entity in result.entities:
        assert (entity.disqualified_on is not None) == (entity.status == "disqualified")
    assert [y.year for y in result.years] == list(result.year_numbers)


def test_findings(result):
    findings = result.findings
    assert len(findings) == result.finding_count() == result.finding_count("notice")
    errors = [f for f in findings if f.severity == "error"]
    assert result.finding_count("error") == len(errors)
    assert result.finding_count(vipa.Severity.WARNING) == len(
        [f for f in findings if f.severity in ("warning", "error")])
    coverage = next(f for f in findings if f.rule == "COVERAGE_CORE_VILLAGE")
    assert coverage.subject == vipa.Subject("village", "611021101291")
    assert coverage.clause == "一; 二(三)" and coverage.year == 2017
    assert (coverage.expected, coverage.actual) == ("21", "20")


def test_every_rectification(result):
    rectifications = result.evaluations("rectification")
    assert [(e.year, e.agreement) for e in rectifications] == [(2017, 2), (2017, 3), (2017, 10)]
    failed = rectifications[0].failed[0]
    assert (failed.rule, failed.subject, failed.expected, failed.actual) == (
        "OBLIGATIONS_PAID", vipa.Subject("linkage", 47), "4700.00", "0.00")
    assert failed.clause == "四(四)"
    assert len(result.evaluations()) == sum(len(y.evaluations) for y in result.years)
    outcomes = {e.outcome for e in result.evaluations()}
    assert outcomes == {"compliant", "rectification", "restored", "terminated"}
    with pytest.raises(vipa.InvalidArgument):
        result.evaluations("failed")


def test_explanations_are_what_vipa_explain_prints(result, vipa_cli):
    explanation = result.explain_household(1001, 2017)
    assert explanation.subject == vipa.Subject("household", 1001)
    assert str(explanation) == explanation.text
    kinds = [s.kind for s in explanation.steps]
    assert {"due", "payment", "income", "line", "standard"} <= set(kinds)
    payment = next(s for s in explanation.steps if s.kind == "payment")
    assert payment.rule == "OBLIGATIONS_PAID" and payment.clause == "四(四)"
    assert payment.amount == Decimal("5100.00") and payment.date == datetime.date(2017, 11, 3)
    done = run_cli(vipa_cli, "explain", str(SAMPLE), "--household", "1001", "--year", "2017")
    assert done.returncode == 0 and done.stdout == explanation.text
    agreement = result.explain_agreement(2, 2017)
    assert any(s.kind == "outcome" for s in agreement.steps)
    done = run_cli(vipa_cli, "explain", str(SAMPLE), "--agreement", "2", "--year", "2017")
    assert done.stdout == agreement.text
    with pytest.raises(vipa.NotFound, match="household 999"):
        result.explain_household(999, 2017)
    with pytest.raises(vipa.NotFound):
        result.explain_agreement(2, 1990)


def test_result_is_immutable(result):
    with pytest.raises(AttributeError):
        result.stamp = None
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.households[0].exit_year = 2020
    assert isinstance(result.households, tuple)
    with pytest.raises(vipa.NotFound, match="2017, 2018, 2019"):
        result.year(2030)


def test_result_context_manager_and_repr():
    with vipa.Context.from_scenario(SAMPLE) as ctx:
        with ctx.run() as r:
            assert "households=200" in repr(r)
        assert r.closed and repr(r) == "<vipa.Result closed>"
        with pytest.raises(vipa.StateError):
            r.report_json()
