"""The Context: lifetime, parameters, every record kind, checks, the ledger, the run."""

from __future__ import annotations

import datetime
import gc
import json
import os
import pathlib
import re
import subprocess
import sys
import textwrap
import threading
from decimal import Decimal

import pytest

import vipa

from conftest import PACKAGE_ROOT, SAMPLE, add_dues_world, tiny_areas


# ---- lifetime -------------------------------------------------------------------------

def test_context_manager_and_close():
    with vipa.Context() as ctx:
        assert ctx.profile == "shangluo-2016" and not ctx.closed
        assert "shangluo-2016" in repr(ctx)
    assert ctx.closed and repr(ctx) == "<vipa.Context closed>"
    ctx.close()  # idempotent
    with pytest.raises(vipa.StateError):
        ctx.add_area(code="611002000000", name="x", level="county")


def test_unknown_profile():
    with pytest.raises(vipa.NotFound):
        vipa.Context("beijing-2020")
    assert vipa.Context("shangluo-2016").profile == "shangluo-2016"


def test_result_keeps_its_context_alive():
    result = vipa.Context.from_scenario(SAMPLE).run()  # the context is not referenced
    gc.collect()
    assert len(result.households) == 200
    assert not result.context.closed


def test_closing_the_context_closes_its_results_and_ledgers():
    ctx = vipa.Context.from_scenario(SAMPLE)
    result, ledger = ctx.run(), ctx.ledger()
    ctx.close()
    assert result.closed and ledger.closed
    with pytest.raises(vipa.StateError, match="run\\(\\) again"):
        result.households
    with pytest.raises(vipa.StateError):
        ledger.income(1001, 2017)


def test_changing_the_context_invalidates_results():
    ctx = vipa.Context.from_scenario(SAMPLE)
    result = ctx.run()
    stamp = result.stamp
    ctx.set_param("equity.poor_share_bp", 7000)
    with pytest.raises(vipa.StateError, match="changed"):
        result.stamp
    again = ctx.run()
    assert again.stamp == stamp  # same records, same parameters: the same stamp


def test_finalisers_are_safe_at_interpreter_shutdown():
    """Contexts, results, ledgers in cycles and globals at exit: no error, no crash."""
    script = textwrap.dedent(f"""
        import vipa
        ctx = vipa.Context.from_scenario({str(SAMPLE)!r})
        result, ledger = ctx.run(), ctx.ledger()
        class Holder: pass
        cycle = Holder(); cycle.me = cycle; cycle.result = ctx.run(); cycle.ctx = ctx
        other = vipa.Context(); other.me = other
        print("ok")
    """)
    env = dict(os.environ, PYTHONPATH=str(PACKAGE_ROOT))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "ok\n" and done.stderr == ""


def test_garbage_collected_objects_free_their_memory():
    ctx = vipa.Context.from_scenario(SAMPLE)
    owned = ctx._owned
    for _ in range(5):
        ctx.run()
        ctx.ledger()
    gc.collect()
    assert owned.children == {}  # every result and ledger was freed with its wrapper
    result = ctx.run()
    assert len(owned.children) == 1
    result.close()
    assert owned.children == {}


# ---- parameters -----------------------------------------------------------------------

def test_parameters(ctx):
    assert ctx.get_param("equity.poor_share_bp") == 7000
    assert ctx.get_param("equity.allocation") == "per_household"
    assert ctx.get_param("equity.remainder_holder") == "village_collective"
    assert isinstance(ctx.get_param("exit.require_guarantees"), bool)
    assert [ctx.param_type(k) for k in ("equity.poor_share_bp", "exit.require_guarantees",
                                        "equity.allocation", "poverty_line.2017", "nope")] == \
        ["int", "bool", "text", "fen", None]
    ctx.set_params({"equity.poor_share_bp": 6000, "equity.allocation": "per_member",
                    "exit.require_guarantees": False,
                    "poverty_line": {"2017": "2952.00", "2018": Decimal("3100")}})
    assert ctx.get_param("equity.poor_share_bp") == 6000
    assert ctx.get_param("equity.allocation") == "per_member"
    assert ctx.get_param("exit.require_guarantees") is False
    assert ctx.get_param("poverty_line.2018") == Decimal("3100.00")
    assert ctx.poverty_line(2017) == Decimal("2952.00")
    ctx.set_param("poverty_line.2019", 3200)  # whole yuan
    assert ctx.poverty_line(2019) == Decimal("3200.00")


def test_parameter_errors(ctx):
    with pytest.raises(vipa.InvalidArgument, match="unknown parameter 'equity.nope'"):
        ctx.set_param("equity.nope", 1)
    with pytest.raises(vipa.InvalidArgument):
        ctx.get_param("nope")
    with pytest.raises(vipa.RangeError) as info:
        ctx.set_param("equity.poor_share_bp", 10001)
    assert "equity.poor_share_bp" in info.value.message
    with pytest.raises(vipa.RangeError):
        ctx.set_param("equity.allocation", "per_goat")
    with pytest.raises(TypeError):
        ctx.set_param("equity.poor_share_bp", True)
    with pytest.raises(TypeError):
        ctx.set_param("equity.allocation", 1)
    with pytest.raises(TypeError):
        ctx.set_param("exit.require_guarantees", "yes")
    with pytest.raises(vipa.NotFound, match="poverty_line.1950"):
        ctx.poverty_line(1950)
    with pytest.raises(vipa.NotFound):
        ctx.get_param("poverty_line.1950")


# ---- records ----------------------------------------------------------------------------

def test_every_record_kind_one_at_a_time(loaded):
    ctx = loaded
    assert ctx.counts() == {"areas": 7, "entities": 1, "households": 3, "agreements": 1,
                            "plans": 0}
    ctx.add_entity({"id": 2, "name": "示例企业", "kind": "enterprise",
                    "uscc": "91350100M000100Y43", "core_village": "611002100202",
                    "industry": "核桃", "selection": ["well_managed", "profitable"]})
    ctx.add_household(id=1004, village="611002100202", members=5, labour=2,
                      cause=vipa.Cause.SCHOOLING, willing=False, exited=2016,
                      assured={"2017": ["food_clothing", "education", "medical", "housing",
                                        "water"]})
    ctx.add_assured(household=1001, year=2017, items=vipa.Assured.ALL)
    ctx.add_assured_records([{"household": 1002, "year": 2017, "items": ["water"]}])
    ctx.add_plan(household=1001, agreement=1, exit_target=2017, industries=["核桃"],
                 measures=["技术培训"], tasks=[{"year": 2017, "income": "12000.00"},
                                            {"year": 2018, "income": 13000}],
                 filed=["county", "town", "village"], persons=[{"member": 1, "task": "x"}])
    ctx.add_plans([{"household": 1002, "agreement": 1, "tasks": [{"year": 2017}]}])
    ctx.add_linkage(id=1, kind="wage", household=1001, entity=1, agreement=1,
                    from_year=2017, to_year=2018, annual="3600.00")
    ctx.add_linkage({"id": 2, "kind": "wage", "household": 1002, "entity": 1,
                     "agreement": 1, "from": 2017, "to": 2017, "days": 100,
                     "daily_wage": "80.00"})
    ctx.add_linkage({"id": 3, "kind": "land_rent", "household": 1003, "entity": 1,
                     "agreement": 1, "from": 2017, "to": 2017, "area_mu": "2.50",
                     "rent_per_mu": Decimal("500")})
    ctx.add_linkage(id=4, kind="participation", household=1003, entity=1, agreement=1,
                    from_year=2017, to_year=2017, annual=2000)
    ctx.add_injection(id=1, entity=1, agreement=1, date=datetime.date(2016, 12, 1),
                      amount="90000.00")
    ctx.add_injection(id=2, entity=1, agreement=1, date="2017-02-01", amount="1000.00",
                      households=[1001, 1002], allocation="weights", weights=[3, 1])
    ctx.add_contribution(household=1001, entity=1, agreement=1, kind="land",
                         value="5000.00", date="2017-01-01")
    ctx.add_contributions([(1002, 1, 0, "cash", 100, 20170101)])
    ctx.add_transfer({"entity": 1, "from": {"household": 1001},
                      "to": {"collective": "611002100201"}, "amount": "100.00",
                      "date": "2017-03-01"})
    ctx.add_transfers([(1, "collective", 611002100201, "household", 1002, 50, "2017-04-01")])
    ctx.add_dividend(entity=1, year=2017, rate_bp=800)
    ctx.add_dividends([{"entity": 1, "year": 2018, "pool": "8000.00"}])
    ctx.add_payment(linkage=1, year=2017, amount="3600.00", date="2017-12-20")
    ctx.add_payment({"dividend": {"entity": 1, "household": 1001}, "year": 2017,
                     "amount": "100.00", "date": "2018-01-10"})
    ctx.add_income(household=1001, year=2017, other="8000.00")
    ctx.add_incomes([(1002, 2017, Decimal("-120.50"))])
    ctx.add_evaluation(year=2017, date="2018-01-31")
    ctx.add_evaluations([{"year": 2017, "date": "2018-04-30", "recheck": True}])
    assert ctx.counts() == {"areas": 7, "entities": 2, "households": 4, "agreements": 1,
                            "plans": 2}

    with ctx.ledger() as ledger:
        assert ledger.linkage_due(1, 2017) == Decimal("3600.00")
        assert ledger.linkage_due(2, 2017) == Decimal("8000.00")      # 100 days × 80.00
        assert ledger.linkage_due(3, 2017) == Decimal("1250.00")      # 2.50 mu × 500.00
        assert ledger.linkage_due(1, 2019) == Decimal("0.00")
        assert ledger.linkage_paid(1, 2017) == Decimal("3600.00")
        assert ledger.linkage_paid(1, 2017, cutoff="2017-12-01") == Decimal("0.00")
        assert ledger.dividend_paid(1, 1001, 2017) == Decimal("100.00")
        assert ledger.dividend_paid(1, 1001, 2017, datetime.date(2018, 1, 1)) == 0
        assert ledger.dividend_due(1, 1001, 2017) > 0
        assert ledger.income(1001, 2017) == Decimal("11700.00")
        assert ledger.income(1002, 2017) == Decimal("-120.50")
        allocations = ledger.allocations
        assert sum(a.amount for a in allocations if a.injection == 1) == Decimal("90000.00")
        weighted = [a for a in allocations if a.injection == 2]
        assert [(a.holder.kind, a.holder.id, a.amount) for a in weighted] == [
            ("household", 1001, Decimal("525.00")), ("household", 1002, Decimal("175.00")),
            ("collective", "611002100201", Decimal("300.00"))]
        assert ledger.holding(1, ("household", 1001), "2016-12-31") == Decimal("21000.00")
        assert ledger.holding(1, vipa.Holder("collective", "611002100201"),
                              "2017-12-31") > 0
        coverage = ledger.coverage("611002100201", 2017)
        assert (coverage.willing, coverage.covered) == (2, 2)
        with pytest.raises(vipa.NotFound, match="611002100299"):
            ledger.coverage("611002100299", 2017)
        with pytest.raises(vipa.NotFound, match="linkage 99"):
            ledger.linkage_due(99, 2017)
        with pytest.raises(vipa.NotFound):
            ledger.meets_standard(1001, 2030)  # the profile has no poverty line for 2030
        findings = ledger.check(2017)
        assert all(isinstance(f, vipa.Finding) for f in findings)
        assert {f.rule for f in findings} >= {"OBLIGATIONS_PAID"}
    ctx.set_param("poverty_line.2017", "2952.00")  # as built in; a change of the context
    with ctx.ledger() as ledger:
        meets, line = ledger.meets_standard(1001, 2017, cutoff="2018-01-31")
        assert (meets, line) == (False, Decimal("11808.00"))  # 2952.00 × 4 members
    result = ctx.run()
    assert [s.level for s in result.signers] == ["town"]
    assert result.year(2017).evaluations[0].outcome == "rectification"


def test_scenario_spellings_and_c_names_are_the_same(ctx):
    ctx.add_areas(tiny_areas())
    ctx.add_household(id=1, village=611002100201, members=1, labour=0, cause=1, willing=1,
                      exited_year=2016)
    ctx.add_household({"id": 2, "village": "611002100201", "members": 1, "labour": 0,
                       "cause": "illness", "willing": True, "exited": 2016})
    with pytest.raises(TypeError, match="both 'exited' and 'exited_year'"):
        ctx.add_household(id=3, village=611002100201, members=1, labour=0, cause=1,
                          willing=1, exited=2016, exited_year=2016)


def test_record_errors_are_clear(ctx):
    ctx.add_areas(tiny_areas())
    with pytest.raises(TypeError, match=r"households\[0\]: unknown field\(s\) 'vilage'"):
        ctx.add_household(id=1, vilage="611002100201", members=1, labour=0,
                          cause="illness", willing=True)
    with pytest.raises(TypeError, match="missing field 'cause'"):
        ctx.add_household(id=1, village="611002100201", members=1, labour=0, willing=True)
    with pytest.raises(TypeError, match="not both"):
        ctx.add_household({"id": 1}, members=2)
    with pytest.raises(vipa.InvalidArgument, match="unknown word 'flu'"):
        ctx.add_household(id=1, village="611002100201", members=1, labour=0, cause="flu",
                          willing=True)
    with pytest.raises(TypeError, match="add_household"):
        ctx.add_households({"id": 1})
    with pytest.raises(TypeError, match="float"):
        ctx.add_household(id=1, village="611002100201", members=1.0, labour=0,
                          cause="illness", willing=True)
    with pytest.raises(vipa.Overflow, match="members"):
        ctx.add_household(id=1, village="611002100201", members=2 ** 40, labour=0,
                          cause="illness", willing=True)
    with pytest.raises(vipa.InvalidArgument, match="members"):
        ctx.add_household(id=1, village="611002100201", members=100, labour=0,
                          cause="illness", willing=True)
    with pytest.raises(TypeError, match="signer"):
        ctx.add_agreement(id=1, entity=1, signer="village")
    with pytest.raises(vipa.InvalidArgument, match=r"agreements\[0\]\.dividend_bp is -1"):
        ctx.add_agreement(id=1, entity=1, dividend_bp=-1)
    assert ctx.counts()["households"] == 0  # nothing was added by any failed call


def test_check_findings(sample_path):
    with vipa.Context.from_scenario(sample_path) as ctx:
        findings = ctx.check()
        assert findings and all(f.year is None for f in findings)
        rules = {f.rule for f in findings}
        assert "PLAN_FILED_3_LEVELS" in rules
        first = findings[0]
        assert first.clause == vipa.rule(first.rule).clause
        assert str(first).startswith(first.severity + ": ")


# ---- scenarios --------------------------------------------------------------------------

def test_scenario_in_every_form(sample_path, sample_dict):
    reference = vipa.Context.from_scenario(sample_path).run().report_json()
    text = sample_path.read_text(encoding="utf-8")
    for form in (str(sample_path), pathlib.Path(sample_path), sample_dict, text,
                 text.encode("utf-8"), "\n  " + text):
        with vipa.Context.from_scenario(form) as ctx:
            assert ctx.run().report_json() == reference


def test_scenario_dict_with_python_values():
    scenario = {"vipa": 1, "areas": tiny_areas(), "households": [
        {"id": 1, "village": "611002100201", "members": 2, "labour": 1, "cause": "illness",
         "willing": True}], "incomes": [{"household": 1, "year": 2017,
                                         "other": Decimal("3000.5")}],
        "evaluations": [{"year": 2017, "date": datetime.date(2018, 1, 31)}],
        "as_of": datetime.date(2018, 6, 30),
        "profile": {"params": {"poverty_line": {"2017": Decimal("2952")}}}}
    result = vipa.Context.from_scenario(scenario).run()
    assert result.context.as_of == datetime.date(2018, 6, 30)
    assert result.year(2017).households[0].income == Decimal("3000.50")
    assert result.year(2017).households[0].line == Decimal("5904.00")


def test_scenario_errors_name_the_json_path():
    with pytest.raises(vipa.ParseError, match="line 1, column"):
        vipa.Context.from_scenario('{"vipa": 1, "areas": [}')
    with pytest.raises(vipa.ParseError, match=r"areas\[0\]"):
        vipa.Context.from_scenario({"vipa": 1, "areas": [{"code": "611002000000",
                                                          "name": "x", "level": "county",
                                                          "colour": "red"}]})
    with pytest.raises(TypeError):
        vipa.Context.from_scenario(42)
    ctx = vipa.Context()
    with pytest.raises(vipa.NotFound):
        ctx.load_scenario({"vipa": 1, "households": [
            {"id": 1, "village": "611002100201", "members": 2, "labour": 1,
             "cause": "illness", "willing": True}]})
    assert ctx.counts()["households"] == 0  # all or nothing
    assert ctx.last_error[0] == -4


def test_load_scenario_into_an_existing_context(ctx, sample_path):
    ctx.load_scenario(sample_path)
    assert ctx.counts()["households"] == 200


def test_export_scenario_round_trips(sample_path):
    with vipa.Context.from_scenario(sample_path) as ctx:
        text = ctx.export_scenario()
        pretty = ctx.export_scenario(pretty=True)
        assert json.loads(text) == json.loads(pretty)
        first = ctx.run()
        with vipa.Context.from_scenario(text) as again:
            second = again.run()
            assert second.stamp.input_sha256 == first.stamp.input_sha256
            assert second.report_json() == first.report_json()


# ---- the run ----------------------------------------------------------------------------

def test_run_progress_and_input_hash(sample_path):
    calls = []
    with vipa.Context.from_scenario(sample_path) as ctx:
        result = ctx.run(progress=lambda phase, done, total: calls.append((phase, done, total)))
        assert calls and all(isinstance(p, str) and done <= total or total == 0
                             for p, done, total in calls)
        assert len(result.stamp.input_sha256) == 64
        assert ctx.run(input_hash=False).stamp.input_sha256 == ""


def test_an_exception_in_progress_is_raised_after_the_run(sample_path):
    def stop(phase, done, total):
        raise KeyboardInterrupt
    with vipa.Context.from_scenario(sample_path) as ctx:
        with pytest.raises(KeyboardInterrupt):
            ctx.run(progress=stop)
        assert ctx._owned.children == {}  # the result was freed


def test_run_without_a_poverty_line():
    scenario = {"vipa": 1, "areas": tiny_areas(),
                "evaluations": [{"year": 1999, "date": "2000-01-31"}]}
    with vipa.Context.from_scenario(scenario) as ctx:
        with pytest.raises(vipa.NotFound, match="poverty_line.1999"):
            ctx.run()


def test_threads(sample_path, sample_dict):
    """Separate contexts in parallel; one shared context used from many threads."""
    reference = vipa.Context.from_scenario(sample_path).run().report_json()
    reports, failures = [], []

    def separate():
        try:
            with vipa.Context.from_scenario(sample_dict) as ctx:
                reports.append(ctx.run().report_json())
        except Exception as e:  # pragma: no cover
            failures.append(e)

    threads = [threading.Thread(target=separate) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures and reports == [reference] * 6

    shared = vipa.Context()
    shared.add_areas(tiny_areas())

    def adder(base):
        try:
            for i in range(50):
                shared.add_household(id=base + i, village="611002100201", members=1,
                                     labour=0, cause="illness", willing=True)
                shared.counts()
        except Exception as e:  # pragma: no cover
            failures.append(e)

    threads = [threading.Thread(target=adder, args=(k * 1000,)) for k in range(1, 5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures and shared.counts()["households"] == 200


# ---- the day the data were taken (as_of) -----------------------------------------------------

def test_as_of_is_none_by_default_and_takes_every_date_form(ctx):
    assert ctx.as_of is None
    ctx.as_of = datetime.date(2018, 6, 30)
    assert ctx.as_of == datetime.date(2018, 6, 30)
    ctx.set_as_of("2019-01-31")
    assert ctx.as_of == datetime.date(2019, 1, 31)
    ctx.set_as_of(20171231)
    assert ctx.as_of == vipa.make_date(2017, 12, 31)
    ctx.as_of = vipa.make_date(2000, 2, 29)  # a leap day
    assert ctx.as_of == datetime.date(2000, 2, 29)
    ctx.as_of = "1900-01-01"
    assert ctx.as_of == datetime.date(1900, 1, 1)
    ctx.as_of = datetime.date(9999, 12, 31)
    assert ctx.as_of == datetime.date(9999, 12, 31)
    ctx.as_of = None
    assert ctx.as_of is None
    ctx.set_as_of(None)  # clearing twice is fine
    assert ctx.as_of is None


def test_as_of_goes_through_scenarios(dues):
    dues.as_of = "2018-06-30"
    text = dues.export_scenario()
    assert json.loads(text)["as_of"] == "2018-06-30"
    with vipa.Context.from_scenario(text) as again:
        assert again.as_of == datetime.date(2018, 6, 30)
        mine, theirs = dues.run(), again.run()
        assert [y.to_dict() for y in theirs.years] == [y.to_dict() for y in mine.years]
        assert theirs.year(2018).complete is False
    dues.as_of = None
    assert "as_of" not in json.loads(dues.export_scenario())


def test_a_support_count_survives_export(dues):
    """A count without texts is exported as "support_count", not as placeholder texts that
    a reload would keep as real measures."""
    before = dues.run()
    with vipa.Context.from_scenario(dues.export_scenario()) as again:
        after = again.run()
        assert after.disclosure == before.disclosure
        assert after.stamp.input_sha256 == before.stamp.input_sha256


def test_setting_as_of_closes_results_like_any_change(dues):
    result = dues.run()
    dues.as_of = "2018-06-30"
    assert result.closed
    with pytest.raises(vipa.StateError, match="changed"):
        result.years


@pytest.mark.parametrize("value,error,words", [
    ("2017-02-30", vipa.InvalidArgument, "as_of: '2017-02-30' is not a real day"),
    (20170230, vipa.InvalidArgument, "as_of: 20170230 is not a real day"),
    (18991231, vipa.InvalidArgument, "1900..9999"),
    (0, vipa.InvalidArgument, "or None for none"),
    (-20170101, vipa.InvalidArgument, "not a real day"),
    (2 ** 32 + 20170101, vipa.RangeError, "as_of 4315137397 is not a YYYYMMDD date"),
    ("2017-1-1", vipa.ParseError, "as_of: '2017-1-1' is not a real day written YYYY-MM-DD"),
    (datetime.datetime(2018, 6, 30), TypeError, "not a datetime"),
    (2018.5, TypeError, "as_of must be a datetime.date"),
    (True, TypeError, "not a bool"),
])
def test_as_of_errors_leave_the_context_and_its_results_alone(dues, value, error, words):
    dues.as_of = "2018-06-30"
    result = dues.run()
    with pytest.raises(error, match=re.escape(words)) as info:
        dues.as_of = value
    assert isinstance(info.value, (ValueError, TypeError))  # as vipa.Error subclasses too
    assert dues.as_of == datetime.date(2018, 6, 30)
    assert not result.closed


def test_as_of_of_a_closed_context():
    context = vipa.Context()
    context.close()
    with pytest.raises(vipa.StateError):
        context.as_of
    with pytest.raises(vipa.StateError):
        context.set_as_of("2018-06-30")


# ---- agreements (version 2), plans with optional incomes, evaluations ------------------------

def _agreement(**fields):
    record = {"id": 9, "entity": 1, "households": [1001], "household_count": 1,
              "start": "2017-01-01", "end": "2018-12-31", "signed": "2016-12-15",
              "signer": {"level": "village", "area": "611002100201"}}
    record.update(fields)
    return record


def test_agreement_support_texts_and_dividend_bp_are_stored(dues):
    exported = {a["id"]: a for a in json.loads(dues.export_scenario())["agreements"]}
    assert exported[1]["support"] == ["贴息", "技术培训"] and exported[1]["dividend_bp"] == 800
    assert exported[2]["support"] == ["技术培训", "保险"] and "dividend_bp" not in exported[2]
    dues.add_agreement(_agreement(support=["农业保险"], dividend_bp=2 ** 31 - 1))  # int32 max
    exported = {a["id"]: a for a in json.loads(dues.export_scenario())["agreements"]}
    assert exported[9]["support"] == ["农业保险"]
    assert exported[9]["dividend_bp"] == 2 ** 31 - 1


def test_agreement_struct_and_every_spelling(loaded):
    """The C names (support + support_count, dividend_bp), a tuple in field order and
    a struct all give the same version-2 record."""
    assert vipa.fields("agreements")[-2:] == ["support", "dividend_bp"]
    array = vipa.record_array("agreements", 1)
    assert (array[0].version, array[0].dividend_bp, bool(array[0].support)) == (2, 0, False)
    loaded.add_agreement(id=2, entity=1, households=[1001], support_count=2,
                         support=["贴息", "保险"], dividend_bp=500)
    row = (3, 1, [1002], 1, 1, 0, "2017-01-01", "2018-12-31", 2018, "2016-12-01",
           "village", "611002100201", ["贴息"], 600)
    assert loaded.add_agreements([row]) == 1
    agreements = {a["id"]: a for a in json.loads(loaded.export_scenario())["agreements"]}
    assert (agreements[2]["support"], agreements[2]["dividend_bp"]) == (["贴息", "保险"], 500)
    assert (agreements[3]["support"], agreements[3]["dividend_bp"]) == (["贴息"], 600)


def test_old_callers_passing_only_counts_still_work(loaded):
    """Before 0.2 `support` was a count (or a list that was only counted)."""
    loaded.add_agreement(id=2, entity=1, households=[1001], support=3)
    loaded.add_agreement(id=3, entity=1, households=[1002], support_count=2)
    loaded.add_agreements([(4, 1, [1003], 1, 1, 4)])  # a 0.1 tuple: support_count last
    assert loaded.counts()["agreements"] == 4
    disclosure = loaded.run().disclosure
    assert disclosure[0].support == ("贴息",)  # only the `loaded` fixture's agreement 1 names one


@pytest.mark.parametrize("fields,error,words", [
    ({"dividend_bp": -1}, vipa.InvalidArgument,
     "agreements[0].dividend_bp is -1; expected basis points >= 0"),
    ({"dividend_bp": 2 ** 31}, vipa.Overflow,
     "agreements[0].dividend_bp 2147483648 does not fit int32"),
    ({"dividend_bp": 2 ** 32 + 800}, vipa.Overflow, "agreements[0].dividend_bp"),
    ({"dividend_bp": 8.0}, TypeError, "dividend_bp must be an int number of basis points"),
    ({"dividend_bp": "800"}, TypeError, "dividend_bp must be an int"),
    ({"dividend_bp": True}, TypeError, "dividend_bp must be an int"),
    ({"support": ["贴息", 3]}, TypeError, "agreements[0].support[1] must be a str"),
    ({"support": ["贴息", None]}, TypeError, "agreements[0].support[1] must be a str"),
    ({"support": "贴息"}, TypeError, "agreements[0].support must be a list"),
    ({"support": ["贴\0息"]}, vipa.InvalidArgument, "support[0] contains a NUL"),
    ({"support": [""]}, vipa.InvalidArgument, "support[0]"),
    ({"support": ["贴息", "保险"], "support_count": 3}, vipa.InvalidArgument,
     "agreements[0].support has 2 items but support_count is 3"),
    ({"support": -1}, vipa.Overflow, "support_count -1 does not fit size_t"),
    ({"support": 2 ** 64}, vipa.Overflow, "does not fit size_t"),
    ({"support": 2 ** 32}, vipa.LimitError, "support_count"),
])
def test_agreement_errors_name_the_field_and_add_nothing(loaded, fields, error, words):
    with pytest.raises(error, match=re.escape(words)):
        loaded.add_agreement(_agreement(**fields))
    assert loaded.counts()["agreements"] == 1


def test_plan_tasks_each_with_or_without_an_income(dues):
    dues.add_plans([
        {"household": 1001, "agreement": 1, "exit_target": 2018, "industries": ["核桃"],
         "tasks": [{"year": 2017, "income": "6000.00"}, {"year": 2018}]},
        {"household": 1002, "agreement": 1, "tasks": [{"year": 2017},
                                                      {"year": 2018, "income": 500}]},
        {"household": 1003, "agreement": 1, "tasks": [{"year": 2017}, {"year": 2018}]}])
    dues.add_plan(household=1001, agreement=2, task_years=[2017, 2018],
                  task_incomes=[None, Decimal("7000")])  # the C names, None for none
    plans = {(p["household"], p["agreement"]): p["tasks"]
             for p in json.loads(dues.export_scenario())["plans"]}
    assert plans[(1001, 1)] == [{"year": 2017, "income": "6000.00"}, {"year": 2018}]
    assert plans[(1002, 1)] == [{"year": 2017}, {"year": 2018, "income": "500.00"}]
    assert plans[(1003, 1)] == [{"year": 2017}, {"year": 2018}]
    assert plans[(1001, 2)] == [{"year": 2017}, {"year": 2018, "income": "7000.00"}]


@pytest.mark.parametrize("tasks,error,words", [
    ([{"year": 2017, "income": "-1.00"}], vipa.InvalidArgument, "task_incomes[0]"),
    ([{"year": 2017}, {"year": 2018, "income": "-92233720368547758.08"}], vipa.Overflow,
     "plans[0].task_incomes[1]: -92233720368547758.08 yuan is VIPA_FEN_UNSET"),
    ([{"year": 2017, "income": 6000.0}], TypeError, "not the float 6000.0"),
    ([{"year": 2017, "income": "92233720368547758.08"}], vipa.Overflow, "int64"),
    ([{"year": 2 ** 32 + 2017, "income": 1}], vipa.Overflow, "plans[0].task_years[0]"),
])
def test_plan_task_errors(dues, tasks, error, words):
    with pytest.raises(error, match=re.escape(words)):
        dues.add_plan(household=1001, agreement=1, tasks=tasks)
    assert dues.counts()["plans"] == 0


def test_evaluations_once_a_year_and_a_recheck_after(dues):
    dues.add_evaluation(year=2017, date="2018-01-31")
    dues.add_evaluation(year=2017, date="2018-04-30", recheck=True)
    dues.add_evaluations([{"year": 2018, "date": "2019-01-31"},
                          {"year": 2018, "date": "2019-03-31", "recheck": True}])
    with pytest.raises(vipa.InvalidArgument, match=r"evaluations\[0\]"):
        dues.add_evaluation(year=2017, date="2018-02-28")  # a second plain evaluation
    with pytest.raises(vipa.InvalidArgument, match=r"evaluations\[0\]"):
        dues.add_evaluation(year=2017, date="2018-05-31", recheck=True)  # a second re-check
    result = dues.run()
    assert [(e.date, e.recheck) for e in result.year(2017).evaluations if e.agreement == 1] \
        == [(datetime.date(2018, 1, 31), False), (datetime.date(2018, 4, 30), True)]


@pytest.mark.parametrize("batch", [
    [{"year": 2017, "date": "2017-12-31"}],                            # not after the year
    [{"year": 2017, "date": "2018-04-30", "recheck": True}],           # no plain one before
    [{"year": 2017, "date": "2018-04-30", "recheck": True},            # listed before it
     {"year": 2017, "date": "2018-01-31"}],
    [{"year": 2017, "date": "2018-04-30"},                             # dated before it
     {"year": 2017, "date": "2018-01-31", "recheck": True}],
    [{"year": 2017, "date": "2018-01-31"}, {"year": 2017, "date": "2018-02-28"}],
])
def test_evaluation_order_errors_add_nothing(dues, batch):
    with pytest.raises(vipa.InvalidArgument) as info:
        dues.add_evaluations(batch)
    assert "evaluations[" in info.value.message
    assert dues.run().evaluations() == []  # all or none


def test_integer_arguments_are_checked_before_ctypes(dues):
    """ctypes would keep the low bits: 2**32 + 2017 would silently be 2017."""
    with pytest.raises(vipa.Overflow, match="year 4294969313 does not fit int32"):
        dues.poverty_line(2 ** 32 + 2017)
    with dues.ledger() as ledger:
        assert ledger.linkage_due(1, 2017) == Decimal("3600.00")
        with pytest.raises(vipa.Overflow, match="year"):
            ledger.linkage_due(1, 2 ** 32 + 2017)
        with pytest.raises(vipa.Overflow, match="linkage -1 does not fit uint64"):
            ledger.linkage_due(-1, 2017)
        with pytest.raises(vipa.Overflow, match="household"):
            ledger.income(2 ** 64 + 1001, 2017)
        with pytest.raises(vipa.Overflow, match="entity"):
            ledger.dividend_due(2 ** 64 + 1, 1001, 2017)
        with pytest.raises(vipa.Overflow, match="holder id"):
            ledger.holding(1, ("household", -1), "2017-12-31")
        with pytest.raises(TypeError, match="year must be an int"):
            ledger.check("2017")
        with pytest.raises(vipa.Overflow):
            ledger.coverage("611002100201", -(2 ** 31) - 1)
        with pytest.raises(vipa.Overflow):
            ledger.meets_standard(1001, 2 ** 31)


def _json_lines(scenario: dict) -> str:
    """The scenario as JSON Lines: one {"key": value} a line, records one a line, the
    kinds in reverse order (any order loads)."""
    lines = []
    for key, value in reversed(list(scenario.items())):
        if key in ("expect", "expect_error", "findings_exact"):
            continue
        items = value if isinstance(value, list) else [value]
        lines += [json.dumps({key: item}, ensure_ascii=False) for item in items]
    return "\n".join(lines) + "\n"


def test_a_file_loads_in_place_as_a_scenario_or_json_lines(tmp_path):
    """A path to a regular file goes to vipa_scenario_load_file: the same records as the
    text loaded from memory, whether the file is the scenario or its JSON Lines."""
    scenario = json.loads(SAMPLE.read_text(encoding="utf-8"))
    lines = tmp_path / "sample.jsonl"
    lines.write_text(_json_lines(scenario), encoding="utf-8")
    with vipa.Context.from_scenario(SAMPLE.read_text(encoding="utf-8")) as from_text, \
            vipa.Context.from_scenario(SAMPLE) as from_file, \
            vipa.Context.from_scenario(lines) as from_lines:
        assert from_file.export_scenario() == from_text.export_scenario()
        assert from_lines.export_scenario() == from_text.export_scenario()


def test_a_bad_json_line_names_its_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"vipa": 1}\n\n{"households": {"id": 0}}\n', encoding="utf-8")
    with vipa.Context() as ctx:
        with pytest.raises(vipa.ParseError, match=r"^line 3: households\[0\]\.id"):
            ctx.load_scenario(path)


def test_a_directory_is_not_a_scenario(tmp_path):
    with vipa.Context() as ctx:
        with pytest.raises(vipa.Error):
            ctx.load_scenario(tmp_path)
