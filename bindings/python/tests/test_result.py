"""The Result: typed views, the report contract, and the same bytes as `vipa run --json`."""

from __future__ import annotations

import dataclasses
import datetime
import errno
import io
import json
from decimal import Decimal

import pytest

import vipa
from vipa import _lib

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


def test_write_report_gives_the_bytes_of_report_json(result):
    """vipa_report_write(): the report in blocks of at most 64 KiB, the same bytes."""
    for pretty in (False, True):
        out = io.BytesIO()
        sizes = []

        class Counting:
            def write(self, data: bytes) -> None:
                sizes.append(len(data))
                out.write(data)

        result.write_report(Counting(), pretty=pretty)
        assert out.getvalue() == result.report_json(pretty=pretty).encode("utf-8")
        assert len(sizes) > 1 and max(sizes) <= 65536  # the sample is more than a block


def test_write_report_stops_at_the_first_failed_write(result):
    """The exception of out.write comes back as it was, and out is not called again."""
    calls = []

    class Full:
        def write(self, data: bytes) -> None:
            calls.append(len(data))
            raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError) as info:
        result.write_report(Full(), pretty=True)
    assert info.value.errno == errno.ENOSPC and not isinstance(info.value, vipa.Error)
    assert len(calls) == 1


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
    assert result.year_numbers == (2016, 2017, 2018, 2019)
    year = result.year(2017)
    assert year.complete is True  # the sample states no as_of: every year is complete
    obligation = year.obligations[0]
    assert isinstance(obligation, vipa.Obligation) and isinstance(obligation.paid, Decimal)
    assert obligation.kind in {"wage", "land_rent", "participation"}
    assert [o.linkage for o in year.obligations] == sorted(o.linkage for o in year.obligations)
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
    assert all(isinstance(d.support, tuple) and all(isinstance(t, str) for t in d.support)
               for d in result.disclosure)
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


def test_finding_messages_are_the_library_messages(result):
    # the views read them with vipa_finding_message_format(); vipa_finding_message() agrees
    with result._context._lock:
        findings = _lib.lib.vipa_result_findings(result._ptr())
        messages = [_lib.lib.vipa_finding_message(findings, i)
                    for i in range(len(result.findings))]
        beyond = _lib.lib.vipa_finding_message(findings, len(messages))
    assert messages == [f.message for f in result.findings]
    assert all(m.endswith(f"({f.rule}, {f.clause})") for m, f in zip(messages, result.findings))
    assert beyond == ""


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


# ---- 0.2: complete years, obligations, disclosure support, verdicts -------------------------
# The figures of conftest.add_dues_world(), worked out by hand in its docstring.

D = Decimal


def _dues_result(ctx, as_of):
    ctx.as_of = as_of
    return ctx.run()


def test_complete_years_and_obligations_as_of(dues):
    result = _dues_result(dues, "2018-06-30")
    assert result.year_numbers == (2017, 2018)
    y2017, y2018 = result.years
    assert (y2017.complete, y2018.complete) == (True, False)  # 2018-12-31 > 2018-06-30
    assert y2017.obligations == (
        vipa.Obligation(1, 1001, "wage", D("3600.00"), D("3600.00")),
        vipa.Obligation(2, 1002, "land_rent", D("1000.00"), D("600.00")),  # 2.50 mu × 400.00
        vipa.Obligation(3, 1003, "participation", D("500.00"), D("500.00")))
    # the 1000.00 for 2018 was paid on 2019-01-10, after as_of: it does not count
    assert y2018.obligations == (vipa.Obligation(1, 1001, "wage", D("3600.00"), D("0.00")),)
    # the agreed 8 % on 21000.00 of shares is 1680.00 a household a year
    assert [(d.household, d.due, d.paid) for d in y2017.dividends] == [
        (1001, D("1680.00"), D("1680.00")), (1002, D("1680.00"), D("1000.00")),
        (1003, D("1680.00"), D("0.00"))]
    assert [(d.household, d.due, d.paid) for d in y2018.dividends] == [
        (h, D("1680.00"), D("0.00")) for h in (1001, 1002, 1003)]
    # every complete year is checked, evaluated or not; the incomplete 2018 is not
    checked = [(f.rule, f.year, f.subject.id, f.expected, f.actual)
               for f in result.findings if f.year]
    assert checked == [
        ("DIVIDEND_PAID_AS_AGREED", 2017, 1002, "1680.00", "1000.00"),
        ("DIVIDEND_PAID_AS_AGREED", 2017, 1003, "1680.00", "0.00"),
        ("OBLIGATIONS_PAID", 2017, 2, "1000.00", "600.00")]
    assert isinstance(y2017.obligations[0].due, Decimal)
    assert y2017.obligations[1].to_dict() == {"linkage": 2, "household": 1002,
                                              "kind": "land_rent", "due": "1000.00",
                                              "paid": "600.00"}


def test_without_as_of_every_year_is_complete(dues):
    result = _dues_result(dues, None)
    assert [y.complete for y in result.years] == [True, True]
    assert result.year(2018).obligations == (
        vipa.Obligation(1, 1001, "wage", D("3600.00"), D("1000.00")),)  # every payment
    assert [(f.rule, f.year, f.subject.id) for f in result.findings if f.year == 2018] == [
        ("DIVIDEND_PAID_AS_AGREED", 2018, 1001), ("DIVIDEND_PAID_AS_AGREED", 2018, 1002),
        ("DIVIDEND_PAID_AS_AGREED", 2018, 1003), ("OBLIGATIONS_PAID", 2018, 1)]


def test_obligations_across_years(dues):
    result = _dues_result(dues, "2018-06-30")
    assert [(o.linkage, o.paid) for o in result.obligations()] == [
        (1, D("3600.00")), (2, D("600.00")), (3, D("500.00")), (1, D("0.00"))]
    assert result.obligations(2017, unpaid=True) == [
        vipa.Obligation(2, 1002, "land_rent", D("1000.00"), D("600.00"))]
    assert [o.linkage for o in result.obligations(unpaid=True)] == [2, 1]
    with pytest.raises(vipa.NotFound, match="2017, 2018"):
        result.obligations(2016)


def test_disclosure_names_the_support_measures(dues):
    result = _dues_result(dues, None)
    first, second = result.disclosure
    # entity 1: agreement 1 then 2, each as listed, 技术培训 once
    assert first == vipa.Disclosure(1, D("90000.00"), 3, ("贴息", "技术培训", "保险"))
    assert second == vipa.Disclosure(2, D("0.00"), 1, ())  # agreement 3 gave only a count
    assert first.to_dict() == {"entity": 1, "equity": "90000.00",
                               "support": ["贴息", "技术培训", "保险"], "households": 3}
    assert list(second.to_dict()) == ["entity", "equity", "support", "households"]


def test_the_new_figures_are_the_report(dues):
    for as_of in (None, "2018-06-30"):
        result = _dues_result(dues, as_of)
        report = result.report_json()
        assert json.dumps(result.to_dict(), ensure_ascii=False, separators=(",", ":")) + \
            "\n" == report
        assert list(result.to_dict()["years"][0])[:4] == ["year", "complete", "households",
                                                          "obligations"]


def test_plan_tasks_met_and_the_verdicts_of_an_explanation(dues):
    dues.as_of = "2018-06-30"
    dues.add_plans([
        {"household": 1001, "agreement": 1, "exit_target": 2018, "industries": ["核桃"],
         "tasks": [{"year": 2017, "income": "6000.00"}, {"year": 2018}]},
        {"household": 1002, "agreement": 1, "exit_target": 2018, "industries": ["核桃"],
         "tasks": [{"year": 2017}, {"year": 2018, "income": 500}]}])
    dues.add_evaluation(year=2017, date="2018-01-31")
    result = dues.run()
    first = next(e for e in result.year(2017).evaluations if e.agreement == 1)
    tasks = [c for c in first.failed if c.rule == "PLAN_TASKS_MET"]
    # 1001's 2017 income by 2018-01-31: 3600.00 wage + 1680.00 dividend < the 6000.00 target;
    # 1002's 2017 task states no income target, so it is not checked
    assert [(c.subject, c.expected, c.actual) for c in tasks] == [
        (vipa.Subject("household", 1001), "6000.00", "5280.00")]
    assert tasks[0].clause == "四(三); 四(五)"
    steps = result.explain_agreement(1, 2017).steps
    decided = [(s.rule, s.subject, s.passed) for s in steps if s.passed is not None]
    assert ("PLAN_TASKS_MET", vipa.Subject("household", 1001), False) in decided
    assert ("OBLIGATIONS_PAID", vipa.Subject("linkage", 1), True) in decided
    assert ("OBLIGATIONS_PAID", vipa.Subject("linkage", 2), False) in decided
    assert all(s.subject is None for s in steps if s.passed is None)
    assert {s.kind for s in steps if s.passed is not None} == {"check"}
    standard = [s for s in result.explain_household(1001, 2017).steps if s.kind == "standard"]
    assert [(s.passed, s.subject) for s in standard] == [
        (False, vipa.Subject("household", 1001))]  # 5280.00 < 2952.00 × 4


def test_new_views_of_a_closed_result(dues):
    result = dues.run()
    result.close()
    for view in ("years", "disclosure"):
        with pytest.raises(vipa.StateError):
            getattr(result, view)
    with pytest.raises(vipa.StateError):
        result.obligations()


def test_explanation_arguments_are_checked_before_ctypes(dues):
    result = dues.run()
    assert result.explain_household(1001, 2017).year == 2017
    with pytest.raises(vipa.Overflow, match="year 4294969313"):
        result.explain_household(1001, 2 ** 32 + 2017)  # not silently 2017
    with pytest.raises(vipa.Overflow, match="household -1 does not fit uint64"):
        result.explain_household(-1, 2017)
    with pytest.raises(vipa.Overflow, match="agreement"):
        result.explain_agreement(2 ** 64 + 1, 2017)
    with pytest.raises(TypeError):
        result.explain_agreement(1, "2017")
    with pytest.raises(vipa.Overflow, match="severity"):
        result.finding_count(2 ** 32 + 3)


def test_views_of_0_1_still_construct_and_unknown_kinds_are_kept():
    """Year and Disclosure take the 0.1 positional fields (the new ones have defaults);
    a linkage kind of a newer library than the bindings is kept as its number."""
    year = vipa.Year(2017, (), (), (), ())
    assert (year.complete, year.obligations) == (True, ())
    assert vipa.Disclosure(1, D("0.00"), 0).support == ()
    from vipa import views
    assert [views.linkage_kind_name(k) for k in (1, 2, 3)] == ["wage", "land_rent",
                                                                "participation"]
    assert views.linkage_kind_name(99) == "99"


def test_row_accessors_give_what_the_field_accessors_give(ctx, sample_path):
    """The struct-per-row accessors of 0.2 (for C programs) read the same rows: each is
    called with a buffer of its C struct's size and its first fields compared."""
    import ctypes
    from vipa._lib import lib
    ctx.load_scenario(sample_path.read_text(encoding="utf-8"))
    result = ctx.run()
    buffer = (ctypes.c_uint64 * 8)()

    def row(name, *index):
        ctypes.memset(buffer, 0, ctypes.sizeof(buffer))
        assert getattr(lib, f"vipa_result_{name}_row")(buffer, ctypes.sizeof(buffer),
                                                       result._ptr(), *index) == 0
        return list(buffer)

    with ctx._lock:
        household = result.households[0]
        assert row("household", 0)[0] == household.id
        assert row("signer", 0)[0] == result.signers[0].agreement
        assert row("allocation", 0)[0] == result.allocations[0].injection
        assert row("entity", 0)[0] == result.entities[0].id
        assert row("disclosure", 0)[0] == result.disclosure[0].entity
        year = result.years[1]
        assert row("year_household", 1, 0)[0] == year.households[0].id
        assert row("year_dividend", 1, 0)[:2] == [year.dividends[0].entity,
                                                  year.dividends[0].household]
        assert row("year_obligation", 1, 0)[:2] == [year.obligations[0].linkage,
                                                    year.obligations[0].household]
        assert row("year_coverage", 1, 0)[0] == int(year.coverage[0].village)
        evaluation = year.evaluations[1]
        assert row("year_evaluation", 1, 1)[:2] == [evaluation.agreement, evaluation.entity]
        first = row("year_failed", 1, 1, 0)
        assert first[0] & 0xFFFFFFFF == int(vipa.Rule[evaluation.failed[0].rule])


def test_findings_and_explanations_in_chinese(result):
    """The Chinese of a finding and of a step, worked out by hand from the sample: linkage
    227 (wage of household 1005) was due 900.00 for 2016 and 600.00 was paid."""
    finding = next(f for f in result.findings
                   if f.message.startswith("linkage 227 (wage) of household 1005"))
    assert finding.message_zh == ("贫困户 1005 的利益联结 227（务工工资）：2016 年应付 900.00 元，"
                                  "实付 600.00 元（OBLIGATIONS_PAID，四(四)）")
    explanation = result.explain_agreement(1, 2017)
    assert explanation.text_zh.startswith("协议 1，2017 年\n")
    assert explanation.steps[1].text_zh == ("贫困户 1001 的利益联结 1：2017 年应付 5100.00 元，"
                                            "截至 2018-01-31 实付 5100.00 元：通过"
                                            "（OBLIGATIONS_PAID，四(四)）")


def test_a_findings_subject_has_the_report_jsons_shape(result):
    """Issue 17: ``finding.subject`` is what the report JSON holds — ``{"household":
    1001}``, ``{"village": "611021101291"}`` or ``None`` — and still has ``kind``/``id``."""
    report = json.loads(result.report_json())
    subjects = [f.subject for f in result.findings]
    assert subjects == [f["subject"] for f in report["findings"]]
    assert json.dumps([f.subject for f in result.findings], ensure_ascii=False) == \
        json.dumps([f["subject"] for f in report["findings"]], ensure_ascii=False)
    village = next(s for s in subjects if s is not None and s.kind == "village")
    assert village == {"village": "611021101291"} and village["village"] == "611021101291"
    assert isinstance(village, dict) and (village.kind, village.id) == ("village",
                                                                          "611021101291")
    assert str(village) == "village 611021101291"
    assert dataclasses.asdict(result.findings[0])["subject"] == report["findings"][0]["subject"]
    failed = [c.subject for ev in result.evaluations("rectification") for c in ev.failed]
    assert failed[0] == {"linkage": 47}  # failed checks and steps: the same shape


def test_a_subject_is_read_only_and_hashable():
    import copy
    import pickle
    subject = vipa.Subject("household", 1001)
    assert subject == vipa.Subject({"household": 1001}) == {"household": 1001}
    assert subject != {"household": 1002} and subject != vipa.Subject("linkage", 1001)
    assert hash(subject) == hash(vipa.Subject("household", 1001))
    assert len({subject, vipa.Subject("household", 1001)}) == 1
    for change in (lambda s: s.__setitem__("x", 1), lambda s: s.update(x=1),
                   lambda s: s.pop("household"), lambda s: s.clear(),
                   lambda s: s.__delitem__("household"), lambda s: s.setdefault("x", 1)):
        with pytest.raises(TypeError, match="read-only"):
            change(subject)
    assert subject == {"household": 1001}
    assert pickle.loads(pickle.dumps(subject)) == subject
    assert type(pickle.loads(pickle.dumps(subject))) is vipa.Subject
    assert copy.deepcopy(subject) is subject
    assert subject.to_dict() == {"household": 1001} and type(subject.to_dict()) is dict
    with pytest.raises(TypeError, match="exactly one key"):
        vipa.Subject({"household": 1, "linkage": 2})
    with pytest.raises(TypeError, match="kind is a str"):
        vipa.Subject(1001, 1001)
