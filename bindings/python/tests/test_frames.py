"""pandas in and out (issue 17): ``Context.from_frames()`` and ``Result.to_frames()``.

The sample's records are made into DataFrames here straight from its JSON file (with
pandas, not with vipa), and must give exactly the report the library gives for the file
itself; the frames out are checked against the report JSON, money to the fen, and the
names against the scenario file's areas and entities."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
import textwrap
from decimal import Decimal

import pytest

import vipa
from vipa import batch, records

from conftest import PACKAGE_ROOT, SAMPLE

SCENARIO = json.loads(SAMPLE.read_text(encoding="utf-8"))


@pytest.fixture
def pd():
    return pytest.importorskip("pandas")


def _sample_frames(pd) -> dict:
    """One DataFrame per kind of the sample, as pandas reads the scenario's lists; the
    two nested spellings flattened into columns (a household's ``assured`` into its own
    frame, a dividend payment's ``dividend`` into ``entity``/``household``)."""
    frames = {}
    for kind in vipa.records.KINDS:
        rows = SCENARIO.get(kind)
        if not rows:
            continue
        if kind == "households":
            rows = [{k: v for k, v in r.items() if k != "assured"} for r in rows]
        if kind == "payments":
            rows = [{**{k: v for k, v in r.items() if k != "dividend"},
                     **(r.get("dividend") or {})} for r in rows]
        frames[kind] = pd.DataFrame(rows)
    frames["assured"] = pd.DataFrame(
        [{"household": h["id"], "year": int(year), "items": items}
         for h in SCENARIO["households"] for year, items in (h.get("assured") or {}).items()])
    return frames


def _from_frames(frames: dict, **kwargs) -> vipa.Context:
    ctx = vipa.Context.from_frames(profile=SCENARIO["profile"]["base"], **frames, **kwargs)
    ctx.set_params(SCENARIO["profile"]["params"])
    return ctx


@pytest.fixture
def report_of_the_file():
    with vipa.Context.from_scenario(SAMPLE) as ctx:
        return ctx.run().report_json()


# ---- in ----------------------------------------------------------------------------------------

def test_the_samples_frames_give_the_samples_report(pd, report_of_the_file):
    frames = _sample_frames(pd)
    assert frames["households"]["exited"].dtype == "float64"  # None made it float
    with _from_frames(frames) as ctx:
        assert ctx.counts()["households"] == 200
        assert ctx.run().report_json() == report_of_the_file  # the same bytes


def test_numeric_frames_take_the_numpy_path_not_a_per_row_one(pd, monkeypatch):
    frames = _sample_frames(pd)
    added = {}
    real_add = vipa.Context.add

    def add(self, kind, given):
        added[kind] = type(given).__module__ + "." + type(given).__name__
        return real_add(self, kind, given)

    def per_record(kind, rows):
        assert kind.struct.has_pointers, f"{kind.name}: a numeric frame went per record"
        return records._exact(kind, rows)

    def fast(kind, rows, *args):
        raise AssertionError(f"{kind.name}: a frame went through the tuple path")

    monkeypatch.setattr(vipa.Context, "add", add)
    monkeypatch.setattr(batch, "_exact", per_record)
    monkeypatch.setattr(batch, "_fast", fast)
    numeric = ("households", "assured", "linkages", "contributions", "dividends",
               "payments", "incomes", "evaluations")
    with vipa.Context() as ctx:
        counts = ctx.add_frames(**frames)
    assert counts == {k: len(frames[k]) for k in vipa.records.KINDS if k in frames}
    assert list(counts)[:3] == ["areas", "entities", "households"]  # referred-to first
    assert all(added[k] == "numpy.ndarray" for k in numeric), added
    assert added["agreements"] == "builtins.list"  # texts and lists: the exact path


def test_singular_names_and_scenario_spellings(pd):
    frames = _sample_frames(pd)
    areas, households = frames["areas"], frames["households"]
    assert "exited" in households.columns  # the scenario's spelling of exited_year
    with vipa.Context.from_frames(area=areas, household=households.rename(
            columns={"exited": "exited_year"})) as ctx:
        assert ctx.counts()["households"] == 200
    with pytest.raises(TypeError, match="two frames of households"):
        vipa.Context.from_frames(areas=areas, household=households, households=households)


def _one_household(pd, **changes):
    row = {"id": 1, "village": "611002107206", "members": 3, "labour": 1, "cause": "illness",
           "willing": True}
    row.update(changes)
    return pd.DataFrame([row])


@pytest.fixture
def areas(pd):
    return _sample_frames(pd)["areas"]


def test_integer_money_needs_its_unit(pd, areas):
    frames = _sample_frames(pd)
    payments = frames["payments"]
    fen = payments.assign(amount=[int(Decimal(a) * 100) for a in payments["amount"]])
    yuan = payments.assign(amount=[Decimal(a) for a in payments["amount"]])
    assert fen["amount"].dtype == "int64"
    with pytest.raises(TypeError, match=r"payments frame, column 'amount' holds integers: "
                                        r"say what they count with money='fen'"):
        vipa.Context.from_frames(**{**frames, "payments": fen})
    with _from_frames({**frames, "payments": yuan}) as ctx:
        by_decimal = ctx.run().report_json()
    with _from_frames({**frames, "payments": fen}, money="fen") as ctx:
        assert ctx.run().report_json() == by_decimal
    whole = {**frames, "incomes": frames["incomes"].assign(other=[
        int(Decimal(o)) for o in frames["incomes"]["other"]])}
    assert all(Decimal(o) == int(Decimal(o)) for o in frames["incomes"]["other"])
    with _from_frames(whole, money="yuan") as ctx, _from_frames(frames) as same:
        assert ctx.run().report_json() == same.run().report_json()
    with pytest.raises(ValueError, match="money='cents'"):
        vipa.Context.from_frames(money="cents", **frames)


def test_float_money_is_refused_naming_the_column(pd, areas):
    frames = _sample_frames(pd)
    floats = frames["payments"].assign(amount=[float(a) for a in frames["payments"]["amount"]])
    with pytest.raises(TypeError, match=r"payments frame, column 'amount' is a float column "
                                        r"\(float64\); money is exact"):
        vipa.Context.from_frames(**{**frames, "payments": floats})
    mixed = frames["incomes"].astype({"other": object})
    mixed.loc[3, "other"] = 12.5
    with pytest.raises(TypeError, match=r"incomes frame, column 'other', row 3 \(index 3\): "
                                        r"12.5 is a float"):
        vipa.Context.from_frames(**{**frames, "incomes": mixed})
    injections = frames["injections"].assign(amount=1.5)
    with pytest.raises(TypeError, match="injections frame, column 'amount' is a float"):
        vipa.Context.from_frames(**{**frames, "injections": injections})


def test_a_float_id_column_is_taken_only_when_whole(pd, areas):
    with vipa.Context.from_frames(areas=areas, households=_one_household(
            pd, exited_year=2018.0)) as ctx:
        assert json.loads(ctx.export_scenario())["households"][0]["exited"] == 2018
    for bad in (2018.5, 2.0 ** 60):
        with pytest.raises(TypeError, match=r"column 'exited_year' is a float column .* "
                                            r"with a fraction"):
            vipa.Context.from_frames(areas=areas, households=_one_household(
                pd, exited_year=bad))


def test_missing_values(pd, areas):
    households = pd.concat([_one_household(pd), _one_household(pd, id=2)], ignore_index=True)
    households["exited_year"] = pd.array([2018, None], dtype="Int64")
    with vipa.Context.from_frames(areas=areas, households=households) as ctx:
        exported = json.loads(ctx.export_scenario())["households"]
        assert [h.get("exited") for h in exported] == [2018, None]
    households.index = ["a", "b"]
    households.loc["b", "cause"] = None
    with pytest.raises(TypeError, match=r"households frame, column 'cause', row 1 "
                                        r"\(index 'b'\): cause is required"):
        vipa.Context.from_frames(areas=areas, households=households)
    with pytest.raises(TypeError, match="households frame: missing column 'village'"):
        vipa.Context.from_frames(areas=areas, households=households.drop(columns="village"))


def test_bad_values_name_the_row_and_column(pd, areas):
    with pytest.raises(vipa.InvalidArgument, match=r"households frame, column 'cause', row 0 "
                                                   r"\(index 0\): cause: unknown word 'flu'"):
        vipa.Context.from_frames(areas=areas, households=_one_household(pd, cause="flu"))
    with pytest.raises(vipa.Overflow, match=r"column 'id', row 0 \(index 0\): -1 does not "
                                            r"fit id"):
        vipa.Context.from_frames(areas=areas, households=_one_household(pd, id=-1))
    with pytest.raises(vipa.Overflow, match=r"column 'members', row 0 .*: 4294967296 does "
                                            r"not fit members"):
        vipa.Context.from_frames(areas=areas, households=_one_household(pd, members=2 ** 32))
    with pytest.raises(TypeError, match="column 'members' is a bool column"):
        vipa.Context.from_frames(areas=areas, households=_one_household(pd, members=True))
    with pytest.raises(TypeError, match="households frame: unknown column 'assured'"):
        vipa.Context.from_frames(areas=areas, households=_one_household(pd, assured="x"))
    with pytest.raises(TypeError, match="households must be a pandas.DataFrame"):
        vipa.Context.from_frames(areas=areas, households=[{"id": 1}])
    with pytest.raises(ValueError, match="unknown record kind 'homes'"):
        vipa.Context.from_frames(homes=areas)


def test_the_librarys_refusal_names_the_record_and_nothing_is_added(pd, areas):
    households = _one_household(pd, village="611002100299")
    with pytest.raises(vipa.Error, match=r"households\[0\] \(id 1\): field village"):
        vipa.Context.from_frames(areas=areas, households=households)
    with vipa.Context() as ctx:
        with pytest.raises(vipa.InvalidArgument):  # converted before anything is added
            ctx.add_frames(areas=areas, households=_one_household(pd, cause="flu"))
        assert ctx.counts()["areas"] == 0 and ctx.counts()["households"] == 0


def test_dates_from_datetime_columns(pd, areas):
    frames = _sample_frames(pd)
    payments = frames["payments"].assign(date=pd.to_datetime(frames["payments"]["date"]))
    assert str(payments["date"].dtype) == "datetime64[ns]"
    with _from_frames(frames) as ctx, _from_frames({**frames, "payments": payments}) as same:
        assert same.run().report_json() == ctx.run().report_json()
    late = payments.assign(date=payments["date"] + pd.Timedelta(hours=1))
    with pytest.raises(TypeError, match=r"payments frame, column 'date', row 0 .*time of day"):
        vipa.Context.from_frames(**{**frames, "payments": late})


# ---- out -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample_result():
    ctx = vipa.Context.from_scenario(SAMPLE)
    yield ctx.run()
    ctx.close()


def test_one_frame_per_table_of_the_report(pd, sample_result):
    report = json.loads(sample_result.report_json())
    frames = sample_result.to_frames()
    assert list(frames) == list(vipa.TABLES) + ["year_failed"]
    year_rows = {t: sum(len(y[t[5:]]) for y in report["years"])
                 for t in vipa.TABLES if t.startswith("year_")}
    for table, frame in frames.items():
        expected = year_rows.get(table) if table.startswith("year_") else \
            len(report.get(table, []))
        if table == "year_failed":
            expected = sum(len(e["failed"]) for y in report["years"] for e in y["evaluations"])
        assert len(frame) == expected, table
    assert len(frames["year_failed"]) == 17  # as the README's rectification list counts


def _report_money(report: dict, table: str, column: str) -> list[str]:
    if table.startswith("year_"):
        return [row[column] for y in report["years"] for row in y[table[5:]]]
    return [row[column] for row in report[table]]


@pytest.mark.parametrize("table, column", [
    ("allocations", "amount"), ("disclosure", "equity"), ("year_households", "income"),
    ("year_households", "line"), ("year_obligations", "due"), ("year_obligations", "paid"),
    ("year_dividends", "due"), ("year_dividends", "paid")])
def test_money_equals_the_reports_to_the_fen(pd, sample_result, table, column):
    report = json.loads(sample_result.report_json())
    texts = _report_money(report, table, column)
    as_decimal = sample_result.to_frames()[table][column]
    assert all(isinstance(v, Decimal) for v in as_decimal)
    assert [f"{v:.2f}" for v in as_decimal] == texts
    as_fen = sample_result.to_frames(money="fen", names=False)[table][column]
    assert as_fen.dtype == "int64"
    assert list(as_fen) == [int(Decimal(t) * 100) for t in texts]


def test_codes_names_and_subjects(pd, sample_result):
    areas = {a["code"]: a["name"] for a in SCENARIO["areas"]}
    entities = {e["id"]: e["name"] for e in SCENARIO["entities"]}
    villages = {h["id"]: h["village"] for h in SCENARIO["households"]}
    frames = sample_result.to_frames()
    households = frames["households"]
    assert list(households.columns) == ["id", "village", "village_name", "exit_year"]
    assert list(households["village"]) == [villages[i] for i in households["id"]]
    assert list(households["village_name"]) == [areas[c] for c in households["village"]]
    assert str(households["exit_year"].dtype) == "Int64"
    coverage = frames["year_coverage"]
    assert all(isinstance(c, str) and len(c) == 12 for c in coverage["village"])
    assert list(coverage["village_name"]) == [areas.get(c) for c in coverage["village"]]
    signers = frames["signers"]
    assert list(signers["area_name"]) == [areas.get(c) for c in signers["area"]]
    disclosure = frames["disclosure"]
    assert list(disclosure["entity_name"]) == [entities[e] for e in disclosure["entity"]]
    assert list(frames["entities"]["name"]) == [entities[e] for e in frames["entities"]["id"]]

    report = json.loads(sample_result.report_json())
    findings = frames["findings"]
    subjects = [f["subject"] for f in report["findings"]]
    assert [None if k is None else {k: i} for k, i in
            zip(findings["subject_kind"], findings["subject_id"])] == subjects
    for kind, ident, name in zip(findings["subject_kind"], findings["subject_id"],
                                 findings["subject_name"]):
        expected = areas.get(ident) if kind in ("village", "town") else \
            entities.get(ident) if kind == "entity" else None
        assert name == expected
    assert any(k == "village" for k in findings["subject_kind"])
    assert [None if pd.isna(y) else y for y in findings["year"]] == \
        [f["year"] for f in report["findings"]]
    allocations = frames["allocations"]
    assert [{k: i} for k, i in zip(allocations["holder_kind"], allocations["holder_id"])] == \
        [a["holder"] for a in report["allocations"]]
    evaluations = frames["year_evaluations"]
    assert all(isinstance(d, datetime.date) for d in evaluations["date"])
    failed = frames["year_failed"]
    first = failed.iloc[0]
    assert (first["year"], first["agreement"], first["rule"], first["subject_kind"],
            first["subject_id"], first["expected"], first["actual"]) == (
        2017, 2, "OBLIGATIONS_PAID", "linkage", 47, "4700.00", "0.00")


def test_frames_without_names_skip_the_records(pd, sample_result):
    frames = sample_result.to_frames(names=False)
    assert "village_name" not in frames["households"].columns
    assert list(frames["households"].columns) == ["id", "exit_year"]


def test_an_empty_context_gives_empty_frames_with_their_columns(pd):
    with vipa.Context() as ctx:
        frames = ctx.run().to_frames()
    assert all(len(f) == 0 for f in frames.values())
    assert list(frames["year_obligations"].columns) == [
        "year", "linkage", "household", "kind", "due", "paid"]
    with pytest.raises(ValueError, match="money='cents'"):
        ctx2 = vipa.Context()
        try:
            ctx2.run().to_frames(money="cents")
        finally:
            ctx2.close()


# ---- without pandas -------------------------------------------------------------------------

def test_without_pandas_the_rest_works_and_frames_say_what_they_need(monkeypatch,
                                                                      sample_result):
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas raises ImportError
    with pytest.raises(ImportError, match=r"Result.to_frames\(\) needs pandas"):
        sample_result.to_frames()
    with pytest.raises(ImportError, match=r"from_frames\(\) needs pandas"):
        vipa.Context.from_frames(households=None)


def test_package_imports_and_runs_without_pandas():
    code = textwrap.dedent(f"""
        import sys
        sys.modules["pandas"] = None
        import vipa
        ctx = vipa.Context.from_scenario({str(SAMPLE)!r})
        print(len(ctx.run().households), vipa.fields("household")[:2])
        try:
            ctx.run().to_frames()
        except ImportError as e:
            print(e)
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False, env={**__import__("os").environ,
                                            "PYTHONPATH": str(PACKAGE_ROOT)})
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "200 ['id', 'village']"
    assert lines[1].startswith("Result.to_frames() needs pandas (Debian: apt-get install "
                               "python3-pandas)")
