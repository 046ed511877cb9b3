"""Status codes → exceptions: one class per code, each raised by a real call, each
carrying the code, the library's name for it and the context's message."""

from __future__ import annotations

import ctypes
import pickle

import pytest

import vipa
from vipa import _lib, errors, structs

from conftest import tiny_areas

CLASSES = [
    (-1, vipa.InvalidArgument, ValueError), (-2, vipa.NoMemory, MemoryError),
    (-3, vipa.Overflow, OverflowError), (-4, vipa.NotFound, LookupError),
    (-5, vipa.Exists, ValueError), (-6, vipa.RangeError, ValueError),
    (-7, vipa.ParseError, ValueError), (-8, vipa.VersionError, vipa.Error),
    (-9, vipa.StateError, RuntimeError), (-10, vipa.IOError_, OSError),
    (-11, vipa.LimitError, vipa.Error),
]


@pytest.mark.parametrize("code,cls,builtin", CLASSES, ids=lambda v: getattr(v, "__name__", v))
def test_each_code_has_its_class(code, cls, builtin):
    assert errors.error_class(code) is cls
    assert issubclass(cls, vipa.Error) and issubclass(cls, builtin)
    assert cls.code_of_class == code
    assert cls.name_of_class == vipa.error_name(code)  # the library's own spelling
    assert vipa.error_from_name(cls.name_of_class) == code
    assert vipa.strerror(code) and vipa.strerror(code) != vipa.strerror(0)


def test_every_library_code_is_mapped():
    code = -1
    while vipa.error_name(code) != "VIPA_E_UNKNOWN":
        assert code in errors.ERROR_CLASSES, f"{vipa.error_name(code)} has no class"
        code -= 1
    assert len(errors.ERROR_CLASSES) == -code - 1


def test_unknown_code_is_the_base_class():
    assert errors.error_class(-99) is vipa.Error
    assert vipa.error_name(-99) == "VIPA_E_UNKNOWN"
    assert vipa.error_name(0) == "VIPA_OK" and vipa.error_from_name("VIPA_OK") == 0
    with pytest.raises(vipa.NotFound) as info:
        vipa.error_from_name("VIPA_E_NOPE")
    assert info.value.function == "vipa_error_from_name"


def _household(**fields):
    base = dict(id=1001, village="611002100201", members=4, labour=2, cause="illness",
                willing=True)
    base.update(fields)
    return base


def _expect(cls, call, *, contains=()):
    with pytest.raises(cls) as info:
        call()
    e = info.value
    assert type(e) is cls
    assert e.code == cls.code_of_class and e.name == cls.name_of_class
    for text in contains:
        assert text in e.message, e.message
    assert e.name in str(e)
    return e


def test_invalid_argument_with_the_context_message(ctx):
    ctx.add_areas(tiny_areas())
    e = _expect(vipa.InvalidArgument, lambda: ctx.add_household(_household(id=0)),
                contains=("households[0]", "field id is 0", "positive id"))
    assert e.function == "vipa_ctx_add_households"
    assert ctx.last_error == (-1, e.message)


def test_no_memory_from_a_failing_allocator():
    fails = structs.MallocFn(lambda opaque, size: None)
    refuses = structs.ReallocFn(lambda opaque, ptr, size: None)
    frees = structs.FreeFn(lambda opaque, ptr: None)
    options = structs.CtxOptions.new(malloc_fn=fails, realloc_fn=refuses, free_fn=frees)
    out = _lib.CtxP()
    _expect(vipa.NoMemory, lambda: _lib.lib.vipa_ctx_new(ctypes.byref(out),
                                                         ctypes.byref(options)))
    assert not out  # set to NULL on failure


def test_overflow():
    _expect(vipa.Overflow, lambda: vipa.mul("92233720368547758.07", 2))


def test_not_found_names_the_record(ctx):
    ctx.add_areas(tiny_areas())
    _expect(vipa.NotFound, lambda: ctx.add_household(_household(village="611002100299")),
            contains=("households[0] (id 1001)", "village 611002100299 is not in the context"))


def test_exists(ctx):
    ctx.add_areas(tiny_areas())
    ctx.add_household(_household())
    _expect(vipa.Exists, lambda: ctx.add_household(_household()),
            contains=("a household with this id exists already",))


def test_range_error():
    _expect(vipa.RangeError, lambda: vipa.make_date(2017, 2, 29), contains=("2017-02-29",))


def test_parse_error_carries_the_library_sentence():
    _expect(vipa.ParseError, lambda: vipa.parse_yuan("3600.005"),
            contains=("'3600.005'", "more than two decimals"))


def test_version_error_for_a_struct_of_an_unknown_version(ctx):
    ctx.add_areas(tiny_areas())
    array = vipa.record_array("households", 1)
    array[0].version = 2
    _expect(vipa.VersionError, lambda: ctx.add_households(array),
            contains=("struct version 2 is not supported",))
    array[0].version = 0
    _expect(vipa.VersionError, lambda: ctx.add_households(array))


def test_version_error_for_a_scenario_format():
    _expect(vipa.VersionError, lambda: vipa.Context.from_scenario('{"vipa": 2}'),
            contains=("format version 2",))


def test_state_error_from_the_library(loaded):
    """A transfer that no longer holds once the poor share changes (vipa_ledger_build)."""
    loaded.add_injection(id=1, entity=1, agreement=1, date="2016-12-01", amount="90000.00")
    loaded.add_transfer({"entity": 1, "from": {"household": 1001},
                         "to": {"household": 1002}, "amount": "21000.00",
                         "date": "2017-01-01"})
    loaded.set_param("equity.poor_share_bp", 5000)
    e = _expect(vipa.StateError, loaded.ledger, contains=("would hold -6000.00 shares",))
    assert e.function == "vipa_ledger_build"


def test_state_error_for_a_closed_context():
    context = vipa.Context()
    context.close()
    _expect(vipa.StateError, lambda: context.profile, contains=("closed",))


def test_io_error_for_a_missing_scenario(tmp_path):
    e = _expect(vipa.IOError_, lambda: vipa.Context.from_scenario(tmp_path / "none.json"),
                contains=("cannot read the scenario", "No such file"))
    assert isinstance(e.__cause__, FileNotFoundError)


def test_limit_error(loaded):
    _expect(vipa.LimitError, lambda: loaded.add_agreement(id=2, entity=1,
                                                          project_count=2 ** 32),
            contains=("project_count is 4294967296",))


def test_errors_pickle_round_trip():
    e = vipa.NotFound("a message", code=-4, name="VIPA_E_NOT_FOUND", function="f")
    copy = pickle.loads(pickle.dumps(e))
    assert type(copy) is vipa.NotFound
    assert (copy.code, copy.name, copy.message, copy.function) == (-4, "VIPA_E_NOT_FOUND",
                                                                   "a message", "f")
    assert str(copy) == "a message (VIPA_E_NOT_FOUND in f())"


def test_errors_are_catchable_as_builtins(ctx):
    with pytest.raises(LookupError):
        ctx.poverty_line(1950)
    with pytest.raises(ValueError):
        vipa.parse_yuan("abc")
    with pytest.raises(OSError):
        vipa.Context.from_scenario("/nonexistent/scenario.json")
