"""vipa.compare(), Comparison and Context forks (issue #19; vipa/compare.h).

Expected values are worked out by hand from docs/scenario.md ("injections[]": the poor
share is amount × poor_share_bp / 10000 rounded down to the fen, split by largest
remainders, ties to the lower household id, the rest to the remainder holder; 三(二),
EQUITY_POOR_SHARE), or by a second method: the property test splits each injection with
its own largest-remainder split written here.
"""

from __future__ import annotations

import copy
import gc
import io
import json
import random
import subprocess
import sys
from decimal import Decimal

import pytest

import vipa
from vipa import compare

from conftest import SAMPLE, run_cli

D = Decimal
VILLAGE = "611002001204"


def three_households(poor_share_bp: int = 7000, allocation: str = "per_household") -> dict:
    """One entity, one agreement, three households of 1, 2 and 3 members, and one fiscal
    equity injection of 100,000.00 yuan that names no allocation (the profile's
    ``equity.allocation`` decides, 三(二))."""
    return {
        "vipa": 1,
        "profile": {"base": "shangluo-2016",
                    "params": {"equity.poor_share_bp": poor_share_bp,
                               "equity.allocation": allocation}},
        "areas": [
            {"code": "611002000000", "name": "商州区", "level": "county"},
            {"code": "611002001000", "name": "城关街道", "level": "town", "industry": "walnut"},
            {"code": VILLAGE, "name": "杏树园村", "level": "village"}],
        "entities": [{"id": 1, "name": "杏树园核桃专业合作社", "kind": "cooperative",
                      "core_village": VILLAGE, "industry": "walnut"}],
        "households": [
            {"id": 1001, "village": VILLAGE, "members": 1, "labour": 1, "cause": "illness",
             "willing": True},
            {"id": 1002, "village": VILLAGE, "members": 2, "labour": 1, "cause": "schooling",
             "willing": True},
            {"id": 1003, "village": VILLAGE, "members": 3, "labour": 1,
             "cause": "lack_of_capital", "willing": True}],
        "agreements": [{"id": 1, "entity": 1, "households": [1001, 1002, 1003],
                        "household_count": 3, "projects": ["核桃"],
                        "support": ["财政扶贫资金折资入股"], "start": "2017-01-01",
                        "end": "2019-12-31", "exit_deadline": 2019, "signed": "2016-12-15",
                        "signer": {"level": "village", "area": VILLAGE}}],
        "injections": [{"id": 1, "entity": 1, "agreement": 1, "date": "2017-03-01",
                        "amount": "100000.00"}],
    }


def holder(row: vipa.EquityAllocation) -> tuple:
    return (row.holder.kind, row.holder.id)


# ---- (a) worked by hand -------------------------------------------------------------------

# 70 %: the poor share is 10,000,000 fen × 7000 / 10000 = 7,000,000 fen. Per household:
# 7,000,000 / 3 = 2,333,333 r 1 each; the 1 fen left goes to the lowest id of the tied
# remainders, 1001. 80 %: 8,000,000 / 3 = 2,666,666 r 2 each; the 2 fen to 1001, 1002.
# The collective (the core village, the default remainder holder) keeps 30,000.00, then
# 20,000.00.
PER_HOUSEHOLD = {
    ("household", 1001): (D("23333.34"), D("26666.67")),
    ("household", 1002): (D("23333.33"), D("26666.67")),
    ("household", 1003): (D("23333.33"), D("26666.66")),
    ("collective", VILLAGE): (D("30000.00"), D("20000.00")),
}
# Per member (1, 2, 3 of 6 members): 70 %: 7,000,000 × 1/6 = 1,166,666 r 4/6, × 2/6 =
# 2,333,333 r 2/6, × 3/6 = 3,500,000 r 0; the fen left goes to the largest remainder,
# 1001. 80 %: 8,000,000 × 1/6 = 1,333,333 r 2/6, × 2/6 = 2,666,666 r 4/6, × 3/6 =
# 4,000,000; the fen goes to 1002 this time.
PER_MEMBER = {
    ("household", 1001): (D("11666.67"), D("13333.33")),
    ("household", 1002): (D("23333.33"), D("26666.67")),
    ("household", 1003): (D("35000.00"), D("40000.00")),
    ("collective", VILLAGE): (D("30000.00"), D("20000.00")),
}


@pytest.mark.parametrize("allocation, expected", [("per_household", PER_HOUSEHOLD),
                                                  ("per_member", PER_MEMBER)])
def test_poor_share_70_to_80_percent_worked_by_hand(allocation, expected):
    with vipa.Context.from_scenario(three_households(7000, allocation)) as ctx:
        with compare(ctx, set={"equity.poor_share_bp": 8000}) as comparison:
            changes = comparison.changes("allocations")
            # every part of the injection moves; the key order is households by id, then
            # the remainder holder
            assert [holder(b) for b, _ in changes] == list(expected)
            assert [holder(r) for _, r in changes] == list(expected)
            assert {holder(b): (b.amount, r.amount) for b, r in changes} == expected
            assert all(b.injection == r.injection == 1 for b, r in changes)
            assert all(c.year is None for c in changes)
            # nothing else depends on the share here: no dividend, no evaluation
            counts = {t: comparison.change_count(t) for t in vipa.TABLES}
            assert counts == {**{t: 0 for t in vipa.TABLES}, "allocations": 4}
            assert comparison.change_counts == counts
            totals = comparison.totals
            assert totals["changes"] == counts
            assert totals["equity"] == {
                "households": [D("70000.00"), D("80000.00"), D("10000.00")],
                "collectives": [D("30000.00"), D("20000.00"), D("-10000.00")],
                "entities": [D("0.00"), D("0.00"), D("0.00")]}
            assert totals["years"] == [] and totals["disqualified"] == [0, 0, 0]
            assert comparison.params == {"equity.poor_share_bp": [7000, 8000]}
            # each side is an ordinary result of its own context
            assert comparison.baseline.context is ctx
            assert comparison.reform.context.get_param("equity.poor_share_bp") == 8000
            assert comparison.reform.context.is_fork and not ctx.is_fork
            assert ctx.get_param("equity.poor_share_bp") == 7000
            assert [a.amount for a in comparison.reform.allocations] == \
                [r for _, r in expected.values()]


def test_json_rows_are_the_report_rows(tmp_path):
    with vipa.Context.from_scenario(three_households()) as ctx:
        comparison = compare(ctx, set={"equity.poor_share_bp": 8000})
        text = comparison.to_json()
        raw = json.loads(text)
        assert raw["vipa"] == 1
        assert raw["baseline"]["stamp"] == comparison.baseline.stamp.to_dict()
        assert raw["reform"]["stamp"] == comparison.reform.stamp.to_dict()
        assert raw["baseline"]["stamp"]["input_sha256"] == raw["reform"]["stamp"]["input_sha256"]
        assert raw["changes"]["allocations"] == [
            [b.to_dict(), r.to_dict()] for b, r in comparison.changes("allocations")]
        assert raw["changes"]["allocations"][0] == [
            {"injection": 1, "holder": {"household": 1001}, "amount": "23333.34"},
            {"injection": 1, "holder": {"household": 1001}, "amount": "26666.67"}]
        assert raw["totals"]["equity"]["collectives"] == ["30000.00", "20000.00", "-10000.00"]
        # .data is the same document with its money as Decimal
        assert comparison.data["changes"]["allocations"][3][1]["amount"] == D("20000.00")
        assert comparison.data["changes"]["allocations"][3][1]["holder"] == \
            {"collective": VILLAGE}  # a code stays text
        pretty = comparison.to_json(pretty=True)
        assert json.loads(pretty) == raw and pretty != text
        # write_json: a path or a binary file, the same bytes
        comparison.write_json(tmp_path / "c.json")
        assert (tmp_path / "c.json").read_text(encoding="utf-8") == text
        sink = io.BytesIO()
        comparison.write_json(sink, pretty=True)
        assert sink.getvalue().decode("utf-8") == pretty


def test_reform_as_fork_file_text_and_dict_agree(tmp_path):
    reform = {"vipa": 1, "name": "八成", "description": "80 % to the poor households",
              "params": {"equity.poor_share_bp": 8000}}
    path = tmp_path / "reform.json"
    path.write_text(json.dumps(reform, ensure_ascii=False), encoding="utf-8")
    with vipa.Context.from_scenario(three_households()) as ctx:
        fork = ctx.fork()
        fork.set_param("equity.poor_share_bp", 8000)
        texts = set()
        for given in (fork, reform, json.dumps(reform), json.dumps(reform).encode(), path,
                      str(path)):
            with compare(ctx, given) as comparison:
                texts.add(comparison.to_json())
        assert len(texts) == 1
        # set after the reform file, as --set after --reform
        with compare(ctx, reform, set={"equity.poor_share_bp": 9000}) as comparison:
            assert comparison.params == {"equity.poor_share_bp": [7000, 9000]}
        # set with a Context reform: applied to a fork of it, the Context left alone
        with compare(ctx, fork, set={"equity.allocation": "per_member"}) as comparison:
            assert comparison.params["equity.allocation"] == ["per_household", "per_member"]
            assert fork.get_param("equity.allocation") == "per_household"
        fork.close()


def test_same_as_the_command(vipa_cli):
    done = run_cli(vipa_cli, "compare", "--set", "equity.poor_share_bp=8000", "--json")
    assert done.returncode == 0, done.stderr
    with vipa.Context.from_scenario(SAMPLE) as ctx:
        with compare(ctx, set={"equity.poor_share_bp": 8000}) as comparison:
            assert comparison.to_json(pretty=True) == done.stdout
            for table in vipa.TABLES:
                assert comparison.change_count(table) == \
                    json.loads(done.stdout)["totals"]["changes"][table]


# ---- (b) a comparison with itself -----------------------------------------------------------

def _no_change(comparison: vipa.Comparison) -> None:
    assert all(comparison.change_count(t) == 0 for t in vipa.TABLES)
    assert all(comparison.changes(t) == [] for t in vipa.TABLES)
    raw = json.loads(comparison.to_json())
    assert raw["params"] == {}
    changes = raw["changes"]
    assert set(changes) == {"signers", "allocations", "households", "entities", "disclosure",
                            "years", "findings"}
    for key, value in changes.items():
        if key == "years":
            for year in value:
                assert all(year[k] == [] for k in year if k != "year"), year
        else:
            assert value == [], key

    def differences(node):  # every [baseline, reform, difference] of the totals
        if isinstance(node, dict):
            for v in node.values():
                yield from differences(v)
        elif isinstance(node, list) and len(node) == 3 and not isinstance(node[0], dict):
            yield node
        elif isinstance(node, list):
            for v in node:
                yield from differences(v)
    triples = list(differences(comparison.totals))
    assert triples and all(b == r and d == 0 for b, r, d in triples)


def test_self_comparison_has_no_change():
    with vipa.Context.from_scenario(SAMPLE) as ctx:
        with compare(ctx, ctx) as itself:
            _no_change(itself)
            assert itself.baseline.context is itself.reform.context is ctx
        with compare(ctx) as with_fork:  # a fork with no parameter changed
            _no_change(with_fork)
        fork = ctx.fork()
        with compare(ctx, fork) as with_fork:
            _no_change(with_fork)
        with compare(fork, ctx) as the_other_way:
            _no_change(the_other_way)
        # the same parameter set to the value it has is no change either
        with compare(ctx, set={"equity.poor_share_bp": 7000}) as same:
            _no_change(same)
        fork.close()


# ---- (c) swapping the sides, over generated scenarios ----------------------------------------

def _split(total: int, weights: list[int], ids: list[int]) -> list[int]:
    """Largest remainders, ties to the lower household id (docs/scenario.md)."""
    whole = sum(weights)
    parts = [total * w // whole for w in weights]
    remainders = [total * w % whole for w in weights]
    left = total - sum(parts)
    for k in sorted(range(len(ids)), key=lambda k: (-remainders[k], ids[k]))[:left]:
        parts[k] += 1
    return parts


def _generated(rng: random.Random) -> tuple[dict, dict, dict]:
    """A scenario of 1..6 households, 1..3 injections, incomes, a dividend, an
    evaluation; and two random sets of parameters."""
    n = rng.randint(1, 6)
    ids = list(range(2001, 2001 + n))
    members = {i: rng.randint(1, 9) for i in ids}
    s = three_households()
    s["profile"] = {"base": "shangluo-2016"}
    s["households"] = [{"id": i, "village": VILLAGE, "members": members[i], "labour": 1,
                        "cause": "illness", "willing": True} for i in ids]
    s["agreements"][0].update(households=ids, household_count=n)
    s["injections"] = []
    for k in range(1, rng.randint(1, 3) + 1):
        injection = {"id": k, "entity": 1, "agreement": 1, "date": f"2017-0{k}-01",
                     "amount": f"{rng.randint(1, 10**9) / 100:.2f}"}
        chosen = sorted(rng.sample(ids, rng.randint(1, n)))
        if rng.random() < 0.5:
            injection["households"] = chosen
        way = rng.choice([None, "per_household", "per_member", "weights"])
        if way is not None:
            injection["allocation"] = way
        if way == "weights":
            injection["households"] = chosen
            injection["weights"] = [rng.randint(0, 5) for _ in chosen]
            injection["weights"][0] += 1  # not all 0
        s["injections"].append(injection)
    s["dividends"] = [{"entity": 1, "year": 2017, "rate_bp": rng.choice([0, 500, 800])}]
    s["incomes"] = [{"household": i, "year": 2017,
                     "other": f"{rng.randint(0, 3_000_000) / 100:.2f}"} for i in ids]
    s["evaluations"] = [{"year": 2017, "date": "2018-01-31"}]

    def params() -> dict:
        return {"equity.poor_share_bp": rng.randint(0, 10000),
                "equity.allocation": rng.choice(["per_household", "per_member"]),
                "equity.remainder_holder": rng.choice(["village_collective", "entity"]),
                "exit.require_guarantees": rng.random() < 0.5,
                "poverty_line": {"2017": f"{rng.randint(200_000, 400_000) / 100:.2f}"}}
    return s, params(), params()


def _household_equity(s: dict, p: dict) -> tuple[int, int]:
    """(fen to households, fen to the remainder holder), worked out apart from the
    library."""
    to_households = rest = 0
    members = {h["id"]: h["members"] for h in s["households"]}
    for injection in s["injections"]:
        amount = int(D(injection["amount"]) * 100)
        share = amount * p["equity.poor_share_bp"] // 10000
        ids = injection.get("households", s["agreements"][0]["households"])
        way = injection.get("allocation", p["equity.allocation"])
        weights = {"per_household": [1] * len(ids), "per_member": [members[i] for i in ids],
                   "weights": injection.get("weights")}[way]
        to_households += sum(_split(share, weights, ids))
        rest += amount - share
    return to_households, rest


def _triples(node, path=""):
    """Every [baseline, reform, difference] (or [baseline, reform]) list of the totals."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _triples(v, f"{path}.{k}")
    elif isinstance(node, list) and node and isinstance(node[0], dict):
        for k, v in enumerate(node):
            yield from _triples(v, f"{path}[{k}]")
    elif isinstance(node, list):
        yield path, node


@pytest.mark.parametrize("seed", range(30))
def test_swapping_sides_swaps_every_pair(seed):
    rng = random.Random(1900 + seed)
    scenario, first, second = _generated(rng)
    with vipa.Context.from_scenario(scenario) as ctx:
        a, b = ctx.fork(), ctx.fork()
        a.set_params(first)
        b.set_params(second)
        ab, ba = compare(a, b), compare(b, a)
        for table in vipa.TABLES:
            forward, backward = ab.changes(table), ba.changes(table)
            assert forward == [c.swapped() for c in backward], table
            assert [c.year for c in forward] == [c.year for c in backward], table
            assert ab.change_count(table) == ba.change_count(table) == len(forward)
            assert all(c.baseline is not None or c.reform is not None for c in forward)
        assert ab.totals["changes"] == ba.totals["changes"]
        forward, backward = dict(_triples(ab.totals)), dict(_triples(ba.totals))
        assert forward.keys() == backward.keys()
        for path, (x, y, d) in ((p, v) for p, v in forward.items() if len(v) == 3):
            assert (x, y, d) == (backward[path][1], backward[path][0], -backward[path][2]), path
            assert d == y - x, path
        # the equity totals against a split worked out apart from the library (三(二))
        for side, p in ((0, first), (1, second)):
            households, rest = _household_equity(scenario, p)
            equity = ab.totals["equity"]
            assert equity["households"][side] == D(households) / 100
            holder = "collectives" if p["equity.remainder_holder"] == "village_collective" \
                else "entities"
            assert equity[holder][side] == D(rest) / 100
        # a change lists a row only where it differs
        for table in ("allocations", "year_households", "year_dividends"):
            for change in ab.changes(table):
                assert change.baseline != change.reform
        ab.close()
        ba.close()
        a.close()
        b.close()


# ---- (d) errors and lifetimes ---------------------------------------------------------------

@pytest.fixture
def small():
    with vipa.Context.from_scenario(three_households()) as context:
        yield context


def test_unknown_parameter_and_out_of_range_value(small):
    result = small.run()
    with pytest.raises(vipa.InvalidArgument, match="unknown parameter 'equity.nonsense'"):
        compare(small, set={"equity.nonsense": 1})
    with pytest.raises(vipa.RangeError, match="equity.poor_share_bp") as raised:
        compare(small, set={"equity.poor_share_bp": 10001})
    assert raised.value.code == -6
    with pytest.raises(vipa.RangeError, match='"to_the_mayor" is not allowed'):
        compare(small, set={"equity.allocation": "to_the_mayor"})
    with pytest.raises(TypeError, match="takes an int"):
        compare(small, set={"equity.poor_share_bp": "8000"})
    with pytest.raises(vipa.Overflow):
        compare(small, set={"equity.poor_share_bp": 2 ** 64})
    with pytest.raises(vipa.RangeError):
        compare(small, set={"poverty_line": {"2017": "-1.00"}})
    with pytest.raises(TypeError, match="mapping"):
        compare(small, set=[("equity.poor_share_bp", 8000)])
    # nothing changed: no fork left behind, the result still open, the context changeable
    assert small._forks == {} and not result.closed
    small.set_param("equity.poor_share_bp", 7500)
    assert result.closed


@pytest.mark.parametrize("text, code, where", [
    ('{"vipa": 1, "params": {"equity.poor_share_bp": "many"}}', -7,
     "params.equity.poor_share_bp"),
    ('{"vipa": 1, "params": {"equity.poor_share_bp": 10001}}', -6,
     "params.equity.poor_share_bp"),
    ('{"vipa": 1, "params": {"poverty_line": {"2017": "1.001"}}}', -7,
     "params.poverty_line.2017"),
    ('{"vipa": 1, "params": {"equity.nonsense": 1}}', -7, "params.equity.nonsense"),
    ('{"vipa": 1, "params": {}, "extra": 1}', -7, "extra: unknown key"),
    ('{"vipa": 1}', -7, "params"),
    ('{"vipa": 2, "params": {}}', -8, "vipa"),
    ('{"vipa": 1, "params": {', -7, "line 1, column"),
    (b'[1]', -7, "top level"),
])
def test_bad_reform_names_the_json_path(small, text, code, where):
    with pytest.raises(vipa.Error) as raised:
        compare(small, text)
    assert where in raised.value.message
    assert raised.value.code == code
    assert small._forks == {}
    fork = small.fork()  # load_reform on a fork: all or nothing
    fork.set_param("equity.poor_share_bp", 7100)
    with pytest.raises(vipa.Error):
        fork.load_reform(text)
    assert fork.get_param("equity.poor_share_bp") == 7100
    fork.close()


def test_reform_inputs_refused_before_the_library(small, tmp_path):
    with pytest.raises(TypeError, match="float"):
        compare(small, {"vipa": 1, "params": {"poverty_line": {"2017": 3000.5}}})
    with pytest.raises(vipa.IOError_, match="cannot read the reform"):
        compare(small, tmp_path / "missing.json")
    with pytest.raises(vipa.InvalidArgument, match="NUL"):
        compare(small, "reform\0.json")
    with pytest.raises(TypeError, match="a reform is a path"):
        compare(small, 8000)
    with pytest.raises(vipa.LimitError):
        compare(small, '{"vipa": 1, "params": {}, "name": "' + "x" * (1 << 20) + '"}')
    with pytest.raises(TypeError, match="compares a vipa.Context"):
        compare("examples/shangluo-sample.json")
    assert small._forks == {}


def test_closed_contexts_and_comparisons(small):
    fork = small.fork()
    fork.close()
    with pytest.raises(vipa.StateError, match="closed"):
        compare(small, fork)
    comparison = compare(small, set={"equity.poor_share_bp": 8000})
    reform_result = comparison.reform
    small.close()
    assert comparison.closed and reform_result.closed
    with pytest.raises(vipa.StateError, match="Comparison is closed"):
        comparison.changes("allocations")
    with pytest.raises(vipa.StateError, match="Comparison is closed"):
        comparison.to_json()
    with pytest.raises(vipa.StateError, match="compare"):
        reform_result.allocations
    with pytest.raises(vipa.StateError, match="closed"):
        compare(small)
    assert repr(comparison) == "<vipa.Comparison closed>"


def test_a_forks_records_cannot_change(small):
    fork = small.fork()
    assert fork.is_fork and fork.parent is small and small.parent is None
    with pytest.raises(vipa.StateError, match="fork"):
        fork.add_household(id=1004, village=VILLAGE, members=1, labour=1, cause="illness",
                           willing=True)
    with pytest.raises(vipa.StateError, match="fork"):
        fork.set_as_of("2018-06-30")
    with pytest.raises(vipa.StateError, match="fork"):
        fork.load_scenario(three_households())
    assert fork.counts() == small.counts()
    # its parameters do change, without touching the parent's
    fork.set_params({"equity.poor_share_bp": 8000, "poverty_line": {"2017": "3000.00"}})
    fork.load_reform({"vipa": 1, "params": {"equity.remainder_holder": "entity"}})
    assert (fork.get_param("equity.poor_share_bp"), fork.poverty_line(2017),
            fork.get_param("equity.remainder_holder")) == (8000, D("3000.00"), "entity")
    assert (small.get_param("equity.poor_share_bp"), small.poverty_line(2017),
            small.get_param("equity.remainder_holder")) == (7000, D("2952.00"),
                                                            "village_collective")
    assert "fork" in repr(fork)
    fork.close()


def test_the_parent_cannot_change_while_a_fork_lives(small):
    result = small.run()
    fork = small.fork()
    for change in (lambda: small.set_param("equity.poor_share_bp", 8000),
                   lambda: small.load_reform({"vipa": 1, "params": {}}),
                   lambda: small.set_as_of("2018-06-30"),
                   lambda: small.add_income(household=1001, year=2017, other="1.00")):
        with pytest.raises(vipa.StateError, match="1 fork of this Context"):
            change()
    assert not result.closed  # nothing changed, nothing closed
    grandchild = fork.fork()  # a fork of a fork: the fork cannot change either
    with pytest.raises(vipa.StateError, match="fork"):
        fork.set_param("equity.poor_share_bp", 8000)
    grandchild.set_param("equity.poor_share_bp", 9000)
    with compare(small, grandchild) as comparison:  # any two of the family
        assert comparison.params == {"equity.poor_share_bp": [7000, 9000]}
    grandchild.close()
    fork.set_param("equity.poor_share_bp", 8000)
    fork.close()
    small.set_param("equity.poor_share_bp", 8000)
    assert result.closed


def test_a_comparison_is_closed_by_a_change_of_either_context(small):
    comparison = compare(small, set={"equity.poor_share_bp": 8000})
    baseline, reform_ctx = comparison.baseline, comparison.reform.context
    # the fork compare() made belongs to the comparison
    with pytest.raises(vipa.StateError, match="belongs to it"):
        reform_ctx.set_param("equity.poor_share_bp", 9000)
    with pytest.raises(vipa.StateError, match="fork the baseline"):
        reform_ctx.fork()
    small.set_param("equity.poor_share_bp", 7500)  # closes it, and frees its fork
    assert comparison.closed and baseline.closed and reform_ctx.closed
    assert small._forks == {}
    # with a fork given: changing the fork closes the comparison too
    fork = small.fork()
    comparison = compare(small, fork)
    fork.set_param("equity.poor_share_bp", 8000)
    assert comparison.closed
    comparison = compare(small, fork)
    fork.close()
    assert comparison.closed
    # closing the reform context compare() made closes its comparison
    comparison = compare(small)
    comparison.reform.context.close()
    assert comparison.closed and small._forks == {}


def test_a_comparison_dropped_is_freed_at_once(small):
    comparison = compare(small, set={"equity.poor_share_bp": 8000})
    comparison.baseline.allocations, comparison.reform.allocations  # results made, dropped
    assert len(small._forks) == 1 and len(small._owned.children) == 1
    del comparison  # by reference counting, no cycle: no garbage collection needed
    assert small._forks == {} and small._owned.children == {}


def test_results_keep_the_comparison_and_the_fork_keeps_its_parent():
    ctx = vipa.Context.from_scenario(three_households())
    reform = compare(ctx, set={"equity.poor_share_bp": 8000}).reform  # comparison dropped
    gc.collect()
    assert not reform.closed and reform.allocations[0].amount == D("26666.67")
    fork = ctx.fork()
    del ctx, reform
    gc.collect()
    parent = fork.parent
    assert not parent.closed and fork.run().allocations[0].amount == D("23333.34")
    parent.close()  # deferred: closed for use now, freed after its last fork
    assert parent.closed and parent._owned.ptr is not None
    with pytest.raises(vipa.StateError, match="closed"):
        parent.run()
    assert fork.run().allocations[0].amount == D("23333.34")  # the records are still there
    fork.close()
    assert parent._owned.ptr is None


def test_contexts_of_different_families_are_refused(small):
    with vipa.Context.from_scenario(three_households()) as other:
        with pytest.raises(vipa.InvalidArgument, match="family"):
            compare(small, other)


def test_table_names_are_the_librarys():
    from vipa._lib import lib
    assert [lib.vipa_table_name(t) for t in vipa.Table] == [None, *vipa.TABLES]
    assert [t.word for t in vipa.Table if t] == list(vipa.TABLES)
    assert lib.vipa_table_name(len(vipa.TABLES) + 1) is None
    assert vipa.TABLES == ("signers", "allocations", "households", "entities", "disclosure",
                           "year_households", "year_dividends", "year_obligations",
                           "year_coverage", "year_evaluations", "findings")


def test_tables_by_name_number_and_enum(small):
    with compare(small, set={"equity.poor_share_bp": 8000}) as comparison:
        assert vipa.TABLES[1] == "allocations" == vipa.Table.ALLOCATIONS.word
        assert comparison.changes(vipa.Table.ALLOCATIONS) == comparison.changes(2) == \
            comparison.changes("allocations")
        with pytest.raises(vipa.InvalidArgument, match="unknown table 'allocation'"):
            comparison.changes("allocation")
        for bad in (0, 12, -1, 2 ** 70):
            with pytest.raises(vipa.InvalidArgument):
                comparison.change_count(bad)
        with pytest.raises(TypeError):
            comparison.change_count(2.0)
        with pytest.raises(TypeError):
            comparison.change_count(True)
        assert "allocations=4" in repr(comparison)


def test_year_table_changes_carry_their_year():
    """A poverty line raised for 2017 changes each household's line of 2017 (members ×
    the line) and nothing of the other years."""
    with vipa.Context.from_scenario(SAMPLE) as ctx:
        with compare(ctx, set={"poverty_line": {"2017": "3000.00"}}) as comparison:
            changes = comparison.changes("year_households")
            assert changes and all(c.year == 2017 for c in changes)
            for before, after in changes:
                assert before.id == after.id and before.income == after.income
                assert before.line / D("2952.00") == after.line / D("3000.00")
            assert comparison.params == {"poverty_line.2017": [D("2952.00"), D("3000.00")]}
            raw = json.loads(comparison.to_json())
            by_year = {y["year"]: y for y in raw["changes"]["years"]}
            assert len(by_year[2017]["households"]) == len(changes)
            assert all(not y["households"] for year, y in by_year.items() if year != 2017)


# ---- (e) pandas ------------------------------------------------------------------------------

def test_frames():
    pandas = pytest.importorskip("pandas")
    with vipa.Context.from_scenario(three_households(7000, "per_member")) as ctx:
        with compare(ctx, set={"equity.poor_share_bp": 8000}) as comparison:
            frames = comparison.to_frames()
            assert list(frames) == list(vipa.TABLES)
            allocations = frames["allocations"]
            assert isinstance(allocations, pandas.DataFrame)
            assert list(allocations.columns) == [
                "baseline_injection", "baseline_holder_kind", "baseline_holder_id",
                "baseline_amount", "reform_injection", "reform_holder_kind",
                "reform_holder_id", "reform_amount"]
            assert list(allocations["reform_amount"]) == [D("13333.33"), D("26666.67"),
                                                          D("40000.00"), D("20000.00")]
            assert (allocations["reform_amount"] - allocations["baseline_amount"]).sum() == 0
            assert len(frames["findings"]) == 0
            assert list(frames["year_households"].columns)[:2] == ["year", "baseline_id"]
    with vipa.Context.from_scenario(SAMPLE) as ctx:
        with compare(ctx, set={"equity.poor_share_bp": 8000}) as comparison:
            findings = comparison.to_frames()["findings"]
            assert len(findings) == comparison.change_count("findings")
            # a side without the row is None, and no int column turned float
            assert findings["baseline_rule"].isna().any()
            assert str(findings["reform_year"].dtype) == "Int64"


def test_frames_without_pandas(monkeypatch, small):
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas raises ImportError
    with compare(small) as comparison:
        with pytest.raises(ImportError, match="needs pandas"):
            comparison.to_frames()
        assert comparison.change_count("allocations") == 0  # the rest works


def test_package_imports_without_pandas():
    done = subprocess.run([sys.executable, "-c",
                           "import sys; sys.modules['pandas'] = None; import vipa; "
                           "print(vipa.compare.__name__)"],
                          capture_output=True, text=True, check=False,
                          cwd=str(SAMPLE.parent.parent / "bindings" / "python"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "compare"


def test_change_is_a_pair():
    change = vipa.Change(1, None, 2017)
    assert change == (1, None) and tuple(change) == (1, None)
    assert (change.baseline, change.reform, change.year) == (1, None, 2017)
    assert change.swapped() == (None, 1) and change.swapped().year == 2017
    assert repr(change) == "Change(1, None, year=2017)"
    assert copy.copy(change) == change


# ---- threads ---------------------------------------------------------------------------------

def test_threads_comparing_forking_and_changing_one_context():
    """Threads comparing, reading comparisons, forking and changing one context for a
    second: a change closes the comparisons under the readers, which then raise
    StateError, never read freed memory (conftest checks that every call held the
    family's lock)."""
    import threading
    import time
    ctx = vipa.Context.from_scenario(three_households())
    stop = time.monotonic() + 1.0
    unexpected: list[BaseException] = []
    done = {"compared": 0, "changed": 0, "forked": 0}

    def comparing():
        while time.monotonic() < stop:
            try:
                comparison = compare(ctx, set={"equity.poor_share_bp": 8000})
                comparison.changes("allocations")
                comparison.to_json()
                comparison.reform.allocations
                done["compared"] += 1
            except vipa.StateError:
                pass

    def changing():
        bp = 7000
        while time.monotonic() < stop:
            try:
                bp = 7000 + (bp + 1) % 100
                ctx.set_param("equity.poor_share_bp", bp)
                done["changed"] += 1
            except vipa.StateError:  # a fork of the third thread is alive
                pass

    def forking():
        while time.monotonic() < stop:
            try:
                with ctx.fork() as fork:
                    fork.set_param("equity.poor_share_bp", 9000)
                    with compare(ctx, fork) as comparison:
                        comparison.change_count("allocations")
                done["forked"] += 1
            except vipa.StateError:
                pass

    def guard(target):
        def run():
            try:
                target()
            except BaseException as e:  # noqa: BLE001 - reported below
                unexpected.append(e)
        return run

    threads = [threading.Thread(target=guard(t)) for t in (comparing, comparing, changing,
                                                           forking)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert unexpected == []
    assert all(done.values()), done
    ctx.close()
    assert ctx._owned.ptr is None and ctx._forks == {}


def test_one_change_and_the_summary_as_the_whole_json_has_them(sample_path):
    """change_json(t, i) is element i of the list in to_json(); summary=True keeps the
    parameters and totals and empties every list of changes."""
    with vipa.Context.from_scenario(sample_path) as ctx:
        with vipa.compare(ctx, set={"equity.poor_share_bp": 8000}) as comparison:
            whole = json.loads(comparison.to_json())
            n = comparison.change_count("allocations")
            assert n > 0
            for i in (0, n - 1):
                assert json.loads(comparison.change_json("allocations", i)) == \
                    whole["changes"]["allocations"][i]
            with pytest.raises(IndexError):
                comparison.change_json("allocations", n)
            summary = json.loads(comparison.to_json(summary=True))
            assert summary["totals"] == whole["totals"]
            assert summary["params"] == {"equity.poor_share_bp": [7000, 8000]}
            assert summary["changes"]["allocations"] == []
