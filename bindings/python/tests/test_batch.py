"""Batches: tuples, dicts and buffers give the same records as one call at a time.

"The same records" is checked the strongest way there is: the same report, byte for
byte, including the stamp's SHA-256 of the input records.
"""

from __future__ import annotations

import ctypes
import random
from decimal import Decimal

import pytest

import vipa
from vipa import batch, records, structs

from conftest import tiny_areas

KINDS_IN_ORDER = ["areas", "entities", "households", "agreements", "plans", "linkages",
                  "injections", "contributions", "transfers", "dividends", "payments",
                  "incomes", "evaluations"]
VILLAGES = ["611002100201", "611002100202"]
CAUSES = [c.word for c in vipa.Cause if c]


def _world(n: int = 60, seed: int = 1):
    """A small generated province: households, their linkages and payments, as tuples
    in field order, plus the records they need."""
    rng = random.Random(seed)
    households = [(1000 + i, VILLAGES[i % 2], 2 + i % 5, i % 3, CAUSES[i % 11], True,
                   2016 if i % 17 == 0 else 0) for i in range(n)]
    ids = [h[0] for h in households]
    linkages, payments = [], []
    for k, hid in enumerate(ids):
        amount = Decimal(rng.randint(1000, 900000)).scaleb(-2)
        linkages.append((k + 1, "wage" if k % 2 else "participation", hid, 1, 1, 2017, 2018,
                         amount))
        paid = amount if k % 5 else amount / 2
        payments.append((k + 1, 0, 0, 2017, paid.quantize(Decimal("0.01")),
                         "2017-12-%02d" % (1 + k % 28)))
    return households, linkages, payments, ids


def _base(ids) -> vipa.Context:
    ctx = vipa.Context()
    ctx.add_areas(tiny_areas())
    ctx.add_entity(id=1, name="示例合作社", kind="cooperative", core_village=VILLAGES[0],
                   industry="核桃")
    ctx.add_agreement(id=1, entity=1, households=ids, household_count=len(ids),
                      projects=1, support=1, start="2016-11-01", end="2019-12-31",
                      exit_deadline=2018, signed="2016-11-15",
                      signer={"level": "town", "area": "611002100000"})
    return ctx


def _finish(ctx: vipa.Context) -> str:
    ctx.add_evaluations([{"year": 2017, "date": "2018-01-31"},
                         {"year": 2017, "date": "2018-04-30", "recheck": True}])
    return ctx.run().report_json()


def _as_dicts(kind, rows):
    names = vipa.fields(kind)
    return [dict(zip(names, row)) for row in rows]


def _per_record(households, linkages, payments, ids) -> str:
    ctx = vipa.Context()
    ctx.add_areas(tiny_areas())
    ctx.add_entity(id=1, name="示例合作社", kind="cooperative", core_village=VILLAGES[0],
                   industry="核桃")
    # the households one by one, before the agreement that lists them
    for h in _as_dicts("households", households):
        ctx.add_household(h)
    ctx.add_agreement(id=1, entity=1, households=ids, household_count=len(ids),
                      projects=1, support=1, start="2016-11-01", end="2019-12-31",
                      exit_deadline=2018, signed="2016-11-15",
                      signer={"level": "town", "area": "611002100000"})
    for link in _as_dicts("linkages", linkages):
        ctx.add_linkage(**link)
    for pay in _as_dicts("payments", payments):
        ctx.add_payment(**pay)
    return _finish(ctx)


def _batched(households, linkages, payments, ids, convert=lambda kind, rows: rows) -> str:
    ctx = vipa.Context()
    ctx.add_areas(tiny_areas())
    ctx.add_entity(id=1, name="示例合作社", kind="cooperative", core_village=VILLAGES[0],
                   industry="核桃")
    assert ctx.add_households(convert("households", households)) == len(households)
    ctx.add_agreement(id=1, entity=1, households=ids, household_count=len(ids),
                      projects=1, support=1, start="2016-11-01", end="2019-12-31",
                      exit_deadline=2018, signed="2016-11-15",
                      signer={"level": "town", "area": "611002100000"})
    assert ctx.add_linkages(convert("linkages", linkages)) == len(linkages)
    assert ctx.add_payments(convert("payments", payments)) == len(payments)
    return _finish(ctx)


@pytest.fixture(scope="module")
def world():
    return _world()


@pytest.fixture(scope="module")
def reference(world):
    return _per_record(*world)


def _ctypes_array(kind, rows):
    """The caller fills an array of the struct itself, with C values."""
    exact = batch.to_array(kind, _as_dicts(kind, rows))  # the exact path converts
    array = vipa.record_array(kind, len(rows))
    ctypes.memmove(array, exact.array, ctypes.sizeof(array))
    return array


def _numpy(kind, rows):
    np = pytest.importorskip("numpy")
    array = _ctypes_array(kind, rows)
    return np.frombuffer(bytes(array), dtype=vipa.dtype(kind)).copy()


@pytest.mark.parametrize("convert", [
    lambda kind, rows: rows,                                           # tuples
    lambda kind, rows: iter(rows),                                     # any iterable
    lambda kind, rows: [tuple(r) for r in rows][:],                    # a list of tuples
    _as_dicts,                                                         # dicts
    lambda kind, rows: [list(r) for r in rows],                        # lists: exact path
    _ctypes_array,                                                     # a ctypes array
    lambda kind, rows: bytearray(_ctypes_array(kind, rows)),           # a writable buffer
    lambda kind, rows: bytes(_ctypes_array(kind, rows)),               # a read-only buffer
    lambda kind, rows: memoryview(bytearray(_ctypes_array(kind, rows))),
    _numpy,                                                            # NumPy (optional)
], ids=["tuples", "iterator", "list", "dicts", "lists", "ctypes", "bytearray", "bytes",
        "memoryview", "numpy"])
def test_batch_path_equals_per_record_path(world, reference, convert):
    assert _batched(*world, convert=convert) == reference


def test_tuples_with_python_values_and_c_values_agree(world, reference):
    households, linkages, payments, ids = world
    c_households = [(h[0], int(h[1]), h[2], h[3], vipa.Cause[h[4].upper()].value, 1, h[6])
                    for h in households]
    c_linkages = [(i, vipa.LinkageKind[k.upper()], hid, e, a, f, t, vipa.from_fen(
        vipa.to_fen(x))) for i, k, hid, e, a, f, t, x in linkages]
    assert _batched(c_households, c_linkages, payments, ids) == reference


def test_the_fast_path_is_taken_and_matches_the_exact_path(world):
    households, linkages, payments, _ = world
    for kind, rows in (("households", households), ("linkages", linkages),
                       ("payments", payments)):
        fast = batch._fast(records.KINDS[kind], rows)
        assert fast is not None
        exact = records._exact(records.KINDS[kind], rows)
        assert bytes(fast.array) == bytes(exact.array), kind
        assert bytes(batch._fast(records.KINDS[kind], rows, convert_all=True).array) == \
            bytes(exact.array)


def test_shorter_tuples_leave_the_init_values():
    prepared = batch.to_array("linkages", [(1, "wage", 1001, 1, 1, 2017, 2017, "10.00"),
                                           (2, "wage", 1001, 1, 1, 2017, 2017, "20.00")])
    assert prepared.array[1].annual == 2000
    assert prepared.array[1].daily_wage == structs.FEN_UNSET
    assert prepared.array[1].version == 1
    dicts = batch.to_array("households", [{"id": 1, "village": 1, "members": 1,
                                             "labour": 0, "cause": 1, "willing": 1}])
    assert dicts.array[0].exited_year == 0


def test_a_bad_value_in_a_big_batch_is_named_and_nothing_is_added():
    ctx = _base([])
    rows = [(i, VILLAGES[0], 1, 0, "illness", True) for i in range(1, 1001)]
    rows[617] = (618, VILLAGES[0], 1, 0, "flu", True)
    with pytest.raises(vipa.InvalidArgument, match=r"households\[617\]\.cause: unknown word"):
        ctx.add_households(rows)
    rows[617] = (618, VILLAGES[0], 1, 0, "illness", None)
    with pytest.raises(TypeError, match=r"households\[617\]\.willing is required"):
        ctx.add_households(rows)
    rows[617] = (618, "611002100299", 1, 0, "illness", True)
    with pytest.raises(vipa.NotFound, match=r"households\[617\] \(id 618\)"):
        ctx.add_households(rows)
    rows[617] = (618, VILLAGES[0], 1, 0, "illness", True, 2016, "extra")
    with pytest.raises(TypeError, match=r"households\[617\]: 8 values"):
        ctx.add_households(rows)
    rows[617] = (618, VILLAGES[0], 1.5, 0, "illness", True)
    with pytest.raises(TypeError, match=r"households\[617\]\.members must be an int"):
        ctx.add_households(rows)
    assert ctx.counts()["households"] == 0
    rows[617] = (618, VILLAGES[0], 1, 0, "illness", True)
    assert ctx.add_households(rows) == 1000


def test_bad_buffers_are_refused():
    ctx = _base([])
    with pytest.raises(ValueError, match="whole number"):
        ctx.add_households(bytes(50))
    with pytest.raises(TypeError, match="hold pointers"):
        ctx.add_agreements(bytearray(ctypes.sizeof(structs.Agreement)))
    import array
    with pytest.raises(TypeError, match="items are 8 bytes"):
        ctx.add_households(array.array("q", [0] * 12))
    with pytest.raises(vipa.VersionError):
        ctx.add_households(bytearray(ctypes.sizeof(structs.Household)))  # version 0
    result = ctx.run()
    assert ctx.add_households([]) == 0 and ctx.add_households(bytes()) == 0
    assert not result.closed  # adding nothing changes nothing


def test_buffers_are_used_in_place():
    """A writable buffer is handed to the library without a copy."""
    array = vipa.record_array("households", 2)
    prepared = batch.to_array("households", memoryview(array))
    assert ctypes.addressof(prepared.array) == ctypes.addressof(array)


def test_numpy_arrays_are_checked_and_zero_copy():
    np = pytest.importorskip("numpy")
    ctx = _base([])
    households = vipa.numpy_records("households", 3)
    households["id"] = [1, 2, 3]
    households["village"] = int(VILLAGES[0])
    households["members"], households["cause"], households["willing"] = 2, 1, 1
    assert ctx.add_households(households) == 3
    prepared = batch.to_array("households", households)
    assert ctypes.cast(prepared.array, ctypes.c_void_p).value == households.ctypes.data
    wrong = np.zeros(3, dtype=[("id", "u8"), ("village", "u8")])
    with pytest.raises(TypeError, match="use vipa.dtype"):
        ctx.add_households(wrong)
    with pytest.raises(ValueError, match="C-contiguous"):
        ctx.add_households(vipa.numpy_records("households", 4)[::2])
    payments = vipa.numpy_records("payments", 0)
    assert ctx.add_payments(payments) == 0


def test_the_sample_through_every_kind_batch_equals_the_scenario(sample_path, sample_dict):
    """Each kind of the sample as one batch of dicts (scenario spellings) gives the
    report of vipa_scenario_load()."""
    reference = vipa.Context.from_scenario(sample_path).run().report_json()
    with vipa.Context() as ctx:
        ctx.set_params(sample_dict["profile"]["params"])
        for kind in KINDS_IN_ORDER:
            if kind in sample_dict:
                ctx.add(kind, sample_dict[kind])
        assert ctx.run().report_json() == reference
    with vipa.Context() as ctx:  # and one record at a time
        ctx.set_params(sample_dict["profile"]["params"])
        for kind in KINDS_IN_ORDER:
            for record in sample_dict.get(kind, []):
                getattr(ctx, "add_" + records.KINDS[kind].one)(record)
        assert ctx.run().report_json() == reference
