"""Test setup for the vipa bindings.

- **Which library**: ``$VIPA_LIBRARY`` when set; otherwise the first of
  ``build-py``, ``build-test``, ``build-lead``, ``build`` (``<dir>/lib/libvipa.so.0``)
  of this checkout, exported as ``VIPA_LIBRARY`` so subprocesses test the same one.
- **Sanitizer builds**: a libvipa built with ASan needs its runtime loaded first, so
  when the library needs one that is not loaded (no ``LD_PRELOAD``), every test file is
  collected as one test that skips with the reason — the package is never imported.
  ``VIPA_PYTEST_SKIP=reason`` forces the same (e.g. from a sanitizer CI step).
- **Every public call**: each C function of the prototype table is wrapped with a
  counter; ``test_zz_coverage.py`` checks, after a full run, that every one was called.
- **Every call's arguments** (issue 15), checked by the same wrapper whatever the test:
  an int outside its C parameter's type, a text with a NUL (ctypes would cut both
  silently), or a call given a handle (context, result, ledger, findings, explanation,
  comparison)
  by a thread holding no context's lock — each fails the test that made it, and is
  listed in ``UNCHECKED_CALLS``, which ``test_zz_coverage.py`` wants empty (a finaliser
  swallows what it raises).
"""

from __future__ import annotations

import collections
import ctypes
import importlib.util
import os
import pathlib
import subprocess
import sys
import threading
from typing import Any, Optional

import pytest

HERE = pathlib.Path(__file__).resolve().parent
PACKAGE_ROOT = HERE.parent                       # bindings/python
REPO = PACKAGE_ROOT.parent.parent                # the libvipa checkout
SAMPLE = REPO / "examples" / "shangluo-sample.json"

sys.path.insert(0, str(PACKAGE_ROOT))            # test this tree, not an installed copy


def _library_under_test() -> Optional[str]:
    explicit = os.environ.get("VIPA_LIBRARY")
    if explicit:
        return explicit
    for build in ("build-py", "build-test", "build-lead", "build"):
        candidate = REPO / build / "lib" / "libvipa.so.0"
        if candidate.is_file():
            os.environ["VIPA_LIBRARY"] = str(candidate)
            return str(candidate)
    return None


def _skip_reason() -> Optional[str]:
    forced = os.environ.get("VIPA_PYTEST_SKIP")
    if forced:
        return forced
    library = _library_under_test()
    if library is None or not os.path.exists(library):
        return None  # importing vipa will fail with its own clear ImportError
    spec = importlib.util.spec_from_file_location("_vipa_elf", PACKAGE_ROOT / "vipa" / "_elf.py")
    elf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(elf)  # type: ignore[union-attr]
    missing = [r for r in elf.sanitizer_runtimes(library) if not elf.runtime_loaded(r)]
    if missing:
        return (f"{library} is built with a sanitizer and needs {', '.join(missing)} loaded "
                f"before Python starts; the bindings are tested against a plain build "
                f"(or run with LD_PRELOAD=$(cc -print-file-name=libasan.so) "
                f"ASAN_OPTIONS=detect_leaks=0)")
    return None


SKIP_REASON = _skip_reason()


# ---- sanitizer builds: each test file becomes one skipped test ----------------------------

class _SkippedItem(pytest.Item):
    def runtest(self) -> None:
        pytest.skip(SKIP_REASON)

    def reportinfo(self) -> tuple[Any, int, str]:
        return self.path, 0, f"{self.name}: skipped"


class _SkippedFile(pytest.File):
    def collect(self):
        yield _SkippedItem.from_parent(self, name="sanitizer_build")


def pytest_pycollect_makemodule(module_path: pathlib.Path, parent: Any) -> Any:
    if SKIP_REASON:
        return _SkippedFile.from_parent(parent, path=module_path)
    return None


def pytest_report_header(config: Any) -> list[str]:
    if SKIP_REASON:
        return [f"vipa: every test skipped: {SKIP_REASON}"]
    import vipa
    return [f"vipa {vipa.__version__}: libvipa {vipa.library_version} at {vipa.library_path}"]


# ---- counting every C function called ---------------------------------------------------------

CALLED: collections.Counter = collections.Counter()
MODULES_RUN: set[str] = set()
#: Calls that reached ctypes with an argument it would have changed silently, or a
#: handle without a context's lock: (function, what was wrong).
UNCHECKED_CALLS: list[tuple[str, str]] = []

_INT_CODES = frozenset("bBhHiIlLqQnN")
_HELD = threading.local()  # how many context locks the current thread holds


class TrackedLock:
    """A context's lock (``threading.RLock``) that knows whether this thread holds one."""

    def __init__(self) -> None:
        self._lock = threading.RLock()

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        got = self._lock.acquire(blocking, timeout)
        if got:
            _HELD.depth = getattr(_HELD, "depth", 0) + 1
        return got

    def release(self) -> None:
        self._lock.release()
        _HELD.depth -= 1

    def __enter__(self) -> "TrackedLock":
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def holds_a_context_lock() -> bool:
    return getattr(_HELD, "depth", 0) > 0


def _argument_problem(name: str, argtypes: list, args: tuple, handles: tuple) -> Optional[str]:
    for k, (argtype, arg) in enumerate(zip(argtypes, args)):
        if isinstance(arg, int) and getattr(argtype, "_type_", None) in _INT_CODES:
            bits = 8 * ctypes.sizeof(argtype)
            signed = argtype(-1).value < 0
            low, high = ((-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed
                         else (0, (1 << bits) - 1))
            if isinstance(arg, bool) or not low <= arg <= high:
                return f"argument {k + 1} is {arg!r}, outside {argtype.__name__}"
        elif argtype is ctypes.c_char_p and isinstance(arg, bytes) and b"\0" in arg \
                and name not in ("vipa_scenario_load", "vipa_reform_load"):  # with a length
            return f"argument {k + 1} {arg!r} holds a NUL: the C string would end there"
    if any(isinstance(arg, handles) for arg in args) and not holds_a_context_lock():
        return "called on a handle without holding its context's lock"
    return None


if not SKIP_REASON:
    from vipa import _lib  # after the sanitizer check, on purpose

    _lib.new_lock = TrackedLock  # every Context made by the tests

    def _counted(name: str, func: Any, argtypes: list) -> Any:
        handles = _lib.HANDLES  # a context, result, ledger, findings, explanation, comparison

        def call(*args: Any) -> Any:
            CALLED[name] += 1
            problem = _argument_problem(name, argtypes, args, handles)
            if problem is not None:
                UNCHECKED_CALLS.append((name, problem))
                raise AssertionError(f"{name}(): {problem}")
            return func(*args)
        call.__name__ = name
        call.__wrapped__ = func  # type: ignore[attr-defined]
        return call

    for _proto in _lib.PROTOTYPES:
        setattr(_lib.lib, _proto.name,
                _counted(_proto.name, getattr(_lib.lib, _proto.name), _proto.argtypes))


def pytest_runtest_logreport(report: Any) -> None:
    if report.when == "call":
        MODULES_RUN.add(report.nodeid.split("::")[0].rsplit("/", 1)[-1])


# ---- fixtures ---------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def sample_path() -> pathlib.Path:
    return SAMPLE


@pytest.fixture(scope="session")
def sample_dict() -> dict:
    import json
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def vipa_cli() -> pathlib.Path:
    """The `vipa` command built beside the library under test (else build-lead's)."""
    library = pathlib.Path(os.environ.get("VIPA_LIBRARY", ""))
    for candidate in (library.parent.parent / "tools" / "vipa",
                      REPO / "build-lead" / "tools" / "vipa"):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    pytest.skip("no `vipa` command is built beside the library (tools/vipa)")


def run_cli(cli: pathlib.Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(cli), *args], capture_output=True, text=True, cwd=REPO,
                          check=False)


@pytest.fixture
def ctx():
    import vipa
    with vipa.Context() as context:
        yield context


def tiny_areas() -> list[dict]:
    """One county, one town (核桃), two villages of it, and a village of another county."""
    return [
        {"code": "611002000000", "name": "商州区", "level": "county"},
        {"code": "611002100000", "name": "示例镇", "level": "town", "industry": "核桃"},
        {"code": "611002100201", "name": "示例一村", "level": "village"},
        {"code": "611002100202", "name": "示例二村", "level": "village"},
        {"code": "611021000000", "name": "洛南县", "level": "county"},
        {"code": "611021101000", "name": "景村镇", "level": "town"},
        {"code": "611021101291", "name": "示例五村", "level": "village"},
    ]


@pytest.fixture
def loaded(ctx):
    """A context with areas, an entity, three households and a signed agreement."""
    ctx.add_areas(tiny_areas())
    ctx.add_entity(id=1, name="示例合作社", kind="cooperative", core_village="611002100201",
                   industry="核桃", selection={"well_managed": True})
    ctx.add_households([(1001, "611002100201", 4, 2, "illness", True),
                        (1002, "611002100201", 3, 1, "lack_of_skills", True),
                        (1003, "611002100202", 2, 1, "disability", True)])
    ctx.add_agreement(id=1, entity=1, households=[1001, 1002, 1003], household_count=3,
                      projects=["核桃"], support=["贴息"], start="2016-11-01",
                      end="2019-12-31", exit_deadline=2018, signed="2016-11-15",
                      signer={"level": "town", "area": "611002100000"})
    return ctx


def add_dues_world(ctx) -> None:
    """Two entities, three households, agreements with support texts and an agreed
    dividend, linkages, payments: small enough to work out every figure by hand.

    - Agreement 1 (entity 1; 2017-01-01..2018-12-31; households 1001-1003) names the
      support measures 贴息, 技术培训 and agrees 800 bp (8 %) a year on the shares its
      injection gave; agreement 2 (entity 1, household 1001) names 技术培训, 保险;
      agreement 3 (entity 2, household 1003, 2017 only) gives only a count (support=1).
    - Injection 1 (2017-01-10, 90000.00): 70 % = 63000.00 split per household, 21000.00
      each, so the agreed dividend is 21000.00 × 8 % = 1680.00 a household a year.
    - Linkage 1: wage of 1001, 3600.00 a year, 2017-2018; linkage 2: land rent of 1002,
      2.50 mu × 400.00 = 1000.00, 2017; linkage 3: participation of 1003, 500.00, 2017.
    - Paid: linkage 1 3600.00 for 2017 (2017-12-20) and 1000.00 for 2018 (2019-01-10);
      linkage 2 600.00 (2017-12-20); linkage 3 500.00 (2017-12-01); dividends for 2017
      1680.00 to 1001 and 1000.00 to 1002 (2018-01-15).
    """
    ctx.add_areas(tiny_areas())
    ctx.add_entities([
        {"id": 1, "name": "示例合作社", "kind": "cooperative", "core_village": "611002100201",
         "industry": "核桃"},
        {"id": 2, "name": "示例企业", "kind": "enterprise", "core_village": "611002100202",
         "industry": "核桃"}])
    ctx.add_households([(1001, "611002100201", 4, 2, "illness", True),
                        (1002, "611002100201", 3, 1, "lack_of_skills", True),
                        (1003, "611002100202", 2, 1, "disability", True)])
    ctx.add_agreements([
        {"id": 1, "entity": 1, "households": [1001, 1002, 1003], "household_count": 3,
         "projects": ["核桃"], "support": ["贴息", "技术培训"], "dividend_bp": 800,
         "start": "2017-01-01", "end": "2018-12-31", "exit_deadline": 2018,
         "signed": "2016-12-15", "signer": {"level": "town", "area": "611002100000"}},
        {"id": 2, "entity": 1, "households": [1001], "household_count": 1, "projects": 1,
         "support": ["技术培训", "保险"], "start": "2017-01-01", "end": "2018-12-31",
         "exit_deadline": 2018, "signed": "2016-12-20",
         "signer": {"level": "village", "area": "611002100201"}},
        {"id": 3, "entity": 2, "households": [1003], "household_count": 1, "projects": 1,
         "support": 1, "start": "2017-01-01", "end": "2017-12-31", "exit_deadline": 2017,
         "signed": "2016-12-20", "signer": {"level": "village", "area": "611002100202"}}])
    ctx.add_injection(id=1, entity=1, agreement=1, date="2017-01-10", amount="90000.00")
    ctx.add_linkages([
        {"id": 1, "kind": "wage", "household": 1001, "entity": 1, "agreement": 1,
         "from": 2017, "to": 2018, "annual": "3600.00"},
        {"id": 2, "kind": "land_rent", "household": 1002, "entity": 1, "agreement": 1,
         "from": 2017, "to": 2017, "area_mu": "2.50", "rent_per_mu": "400.00"},
        {"id": 3, "kind": "participation", "household": 1003, "entity": 2, "agreement": 3,
         "from": 2017, "to": 2017, "annual": "500.00"}])
    ctx.add_payments([
        {"linkage": 1, "year": 2017, "amount": "3600.00", "date": "2017-12-20"},
        {"linkage": 1, "year": 2018, "amount": "1000.00", "date": "2019-01-10"},
        {"linkage": 2, "year": 2017, "amount": "600.00", "date": "2017-12-20"},
        {"linkage": 3, "year": 2017, "amount": "500.00", "date": "2017-12-01"},
        {"dividend": {"entity": 1, "household": 1001}, "year": 2017, "amount": "1680.00",
         "date": "2018-01-15"},
        {"dividend": {"entity": 1, "household": 1002}, "year": 2017, "amount": "1000.00",
         "date": "2018-01-15"}])


@pytest.fixture
def dues(ctx):
    """``ctx`` holding ``add_dues_world()``."""
    add_dues_world(ctx)
    return ctx
