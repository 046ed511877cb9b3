"""Threads (issue 15): every call on a handle is made holding its context's lock.

A result, a ledger, findings and explanations read memory their context frees when it
changes or closes. So every binding path that calls the library on one of them takes
the context's lock, checks *under it* that the object is still open, then calls; and a
finaliser never frees without the lock. Checked three ways:

- deterministically: while another thread holds a context's lock, each such call waits
  for it (one test per path), and dropping a result does not free it under the holder;
- in every test of the suite: conftest fails any call given a handle by a thread that
  holds no context's lock;
- by a bounded stress run (``stress_threads.py``: six threads changing, running and
  closing one shared context, one calling ``repr(result)``, three reading), in a
  subprocess, under AddressSanitizer when an ASan build of the library exists — a
  use-after-free then ends the run with ASan's report. ``VIPA_ASAN_LIBRARY`` names the
  ASan library (default ``build-asan/lib/libvipa.so.0``); with ``VIPA_REQUIRE_ASAN=1``
  (scripts/test, after building build-asan) a missing or unloadable one fails the test
  instead of skipping it.
"""

from __future__ import annotations

import gc
import os
import pathlib
import shutil
import subprocess
import sys
import threading
import time
from typing import Any, Callable

import pytest

import vipa
from vipa import _elf

import conftest
from conftest import PACKAGE_ROOT, REPO, SAMPLE, add_dues_world

HERE = pathlib.Path(__file__).resolve().parent


# ---- each path waits for the lock -------------------------------------------------------------

def _waits_for(lock: Any, call: Callable[[], Any]) -> tuple[bool, list]:
    """Runs ``call`` on a thread while another thread holds ``lock``: whether it was
    still waiting 0.1 s later, and what it returned or raised once the lock was free."""
    held, release, done = threading.Event(), threading.Event(), threading.Event()
    out: list = []

    def holder() -> None:
        with lock:
            held.set()
            release.wait(10)

    def caller() -> None:
        try:
            out.append(call())
        except BaseException as e:  # noqa: BLE001 (reported to the test)
            out.append(e)
        done.set()

    h = threading.Thread(target=holder)
    h.start()
    assert held.wait(10)
    c = threading.Thread(target=caller)
    c.start()
    waited = not done.wait(0.1)
    release.set()
    h.join(10)
    c.join(10)
    return waited, out


#: Every path that calls the library on a handle: (name, call given ctx, result, ledger).
PATHS: list[tuple[str, Callable[[Any, Any, Any], Any]]] = [
    ("repr(result)", lambda c, r, l: repr(r)),
    ("result.households", lambda c, r, l: r.households),
    ("result.years", lambda c, r, l: r.years),
    ("result.stamp", lambda c, r, l: r.stamp),
    ("result.signers", lambda c, r, l: r.signers),
    ("result.allocations", lambda c, r, l: r.allocations),
    ("result.entities", lambda c, r, l: r.entities),
    ("result.disclosure", lambda c, r, l: r.disclosure),
    ("result.findings", lambda c, r, l: r.findings),
    ("result.finding_count", lambda c, r, l: r.finding_count("error")),
    ("result.explain_household", lambda c, r, l: r.explain_household(1001, 2017)),
    ("result.explain_agreement", lambda c, r, l: r.explain_agreement(1, 2017)),
    ("result.report_json", lambda c, r, l: r.report_json()),
    ("result.close", lambda c, r, l: r.close()),
    ("ledger.linkage_due", lambda c, r, l: l.linkage_due(1, 2017)),
    ("ledger.linkage_paid", lambda c, r, l: l.linkage_paid(1, 2017, "2018-01-31")),
    ("ledger.dividend_due", lambda c, r, l: l.dividend_due(1, 1001, 2017)),
    ("ledger.dividend_paid", lambda c, r, l: l.dividend_paid(1, 1001, 2017)),
    ("ledger.income", lambda c, r, l: l.income(1001, 2017)),
    ("ledger.meets_standard", lambda c, r, l: l.meets_standard(1001, 2017)),
    ("ledger.holding", lambda c, r, l: l.holding(1, ("household", 1001), "2017-12-31")),
    ("ledger.allocations", lambda c, r, l: l.allocations),
    ("ledger.coverage", lambda c, r, l: l.coverage("611002100201", 2017)),
    ("ledger.check", lambda c, r, l: l.check(2017)),
    ("ledger.close", lambda c, r, l: l.close()),
    ("repr(context)", lambda c, r, l: repr(c)),
    ("context.profile", lambda c, r, l: c.profile),
    ("context.counts", lambda c, r, l: c.counts()),
    ("context.last_error", lambda c, r, l: c.last_error),
    ("context.as_of", lambda c, r, l: c.as_of),
    ("context.param_type", lambda c, r, l: c.param_type("equity.poor_share_bp")),
    ("context.get_param", lambda c, r, l: c.get_param("equity.poor_share_bp")),
    ("context.poverty_line", lambda c, r, l: c.poverty_line(2017)),
    ("context.set_param", lambda c, r, l: c.set_param("equity.poor_share_bp", 7000)),
    ("context.set_as_of", lambda c, r, l: c.set_as_of("2019-12-31")),
    ("context.add_income", lambda c, r, l: c.add_income(household=1001, year=2019,
                                                       other="1.00")),
    ("context.check", lambda c, r, l: c.check()),
    ("context.ledger", lambda c, r, l: c.ledger()),
    ("context.run", lambda c, r, l: c.run()),
    ("context.export_scenario", lambda c, r, l: c.export_scenario()),
    ("context.load_scenario", lambda c, r, l: c.load_scenario({"vipa": 1})),
    ("context.close", lambda c, r, l: c.close()),
]


@pytest.mark.parametrize("name, path", PATHS, ids=[p[0] for p in PATHS])
def test_each_path_waits_for_the_context_lock(ctx, name, path):
    add_dues_world(ctx)
    result, ledger = ctx.run(), ctx.ledger()
    waited, out = _waits_for(ctx._lock, lambda: path(ctx, result, ledger))
    assert waited, f"{name} went on while another thread held the context's lock"
    assert not isinstance(out[0], BaseException), out[0]


def test_a_result_closed_while_a_reader_waits_is_not_read(ctx):
    """The reader checks that the result is open *after* taking the lock: a result the
    holder closes meanwhile gives "closed", never a call on freed memory."""
    add_dues_world(ctx)
    result = ctx.run()
    held, release = threading.Event(), threading.Event()
    out: list = []

    def holder() -> None:
        with ctx._lock:
            held.set()
            release.wait(10)
            ctx.set_param("equity.poor_share_bp", 7000)  # frees the result

    h = threading.Thread(target=holder)
    h.start()
    held.wait(10)
    readers = [threading.Thread(target=lambda f=f: out.append(f())) for f in
               (lambda: repr(result), lambda: _raised(result.explain_household, 1001, 2017))]
    for t in readers:
        t.start()
    time.sleep(0.2)  # both readers are waiting for the lock (or, unlocked, done)
    release.set()
    h.join(10)
    for t in readers:
        t.join(10)
    assert sorted(map(str, out)) == ["<vipa.Result closed>", "StateError"]


def _raised(func: Callable, *args: Any) -> str:
    try:
        func(*args)
    except vipa.Error as e:
        return type(e).__name__
    return "returned"


def test_dropping_a_result_does_not_free_it_under_another_thread(ctx):
    """A finaliser runs on whatever thread drops the last reference; it frees the C
    result only when it can take the context's lock at once. Otherwise the result stays
    in its context's tree and the next change of the context frees it."""
    add_dues_world(ctx)
    result = ctx.run()
    held, release = threading.Event(), threading.Event()

    def holder() -> None:
        with ctx._lock:
            held.set()
            release.wait(10)

    h = threading.Thread(target=holder)
    h.start()
    held.wait(10)
    del result
    gc.collect()
    assert len(ctx._owned.children) == 1  # not freed without the lock
    release.set()
    h.join(10)
    ctx.set_param("equity.poor_share_bp", 7000)  # the next change frees it
    assert ctx._owned.children == {}
    result = ctx.run()
    del result  # and with the lock free, dropping a result frees it at once
    assert ctx._owned.children == {}


def test_the_suite_checks_every_handle_call_for_the_lock(ctx):
    """conftest's check itself: a call on a handle without the lock is refused."""
    ctx.add_areas(conftest.tiny_areas())
    with pytest.raises(AssertionError, match="without holding its context's lock"):
        vipa._lib.lib.vipa_ctx_area_count(ctx._owned.ptr)
    assert conftest.UNCHECKED_CALLS.pop()[0] == "vipa_ctx_area_count"
    with ctx._lock:
        assert vipa._lib.lib.vipa_ctx_area_count(ctx._owned.ptr) == 7


# ---- the progress callback holds the lock ------------------------------------------------------

@pytest.mark.parametrize("use", [
    lambda c: c.close(),
    lambda c: c.set_param("equity.poor_share_bp", 7000),
    lambda c: c.add_income(household=1001, year=2019, other="1.00"),
    lambda c: c.counts(),
    lambda c: c.run(),
], ids=["close", "set_param", "add", "counts", "run"])
def test_the_progress_callback_cannot_use_its_running_context(ctx, use):
    """The callback runs inside vipa_run(), holding the lock: freeing or changing the
    context there would pull the records from under the run. It gets StateError, which
    run() raises once the library returns; the context is as before."""
    add_dues_world(ctx)
    before = ctx.run().report_json()
    seen = []

    def progress(phase: str, done: int, total: int) -> None:
        if not seen:
            seen.append(phase)
            use(ctx)

    with pytest.raises(vipa.StateError, match="running"):
        ctx.run(progress=progress)
    assert seen and not ctx.closed
    assert ctx.run().report_json() == before


def test_the_progress_callback_may_read_other_results(ctx):
    add_dues_world(ctx)
    earlier = ctx.run()
    seen = []
    result = ctx.run(progress=lambda phase, done, total: seen.append(repr(earlier)))
    assert seen and all(s.startswith("<vipa.Result households=3") for s in seen)
    assert result.households == earlier.households


# ---- the stress run, under ASan when there is an ASan build ------------------------------------

def _asan_library() -> tuple[pathlib.Path | None, str]:
    """The ASan build of the library to stress, or None and why there is none."""
    named = os.environ.get("VIPA_ASAN_LIBRARY")
    candidate = pathlib.Path(named) if named else REPO / "build-asan" / "lib" / "libvipa.so.0"
    if not candidate.is_file():
        return None, f"no ASan build of libvipa at {candidate} (meson setup build-asan " \
                     f"-Db_sanitize=address,undefined -Db_lundef=false; ninja -C build-asan)"
    if not any(r.startswith("libasan") for r in _elf.sanitizer_runtimes(candidate)):
        return None, f"{candidate} is not built with AddressSanitizer"
    return candidate, ""


def _asan_runtime() -> str | None:
    cc = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        return None
    done = subprocess.run([cc, "-print-file-name=libasan.so"], capture_output=True,
                          text=True, check=False)
    path = done.stdout.strip()
    return path if done.returncode == 0 and os.path.isabs(path) else None


def _stress(library: pathlib.Path, seconds: float, preload: str | None
            ) -> subprocess.CompletedProcess:
    # LD_PRELOAD and ASAN_OPTIONS stay: the library under test may itself be an ASan
    # build, run with its runtime preloaded (see conftest)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(PYTHONPATH=str(PACKAGE_ROOT), VIPA_LIBRARY=str(library),
               PYTHONDONTWRITEBYTECODE="1")
    if preload:
        env.update(LD_PRELOAD=preload,
                   ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:halt_on_error=1",
                   UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1")
    return subprocess.run([sys.executable, str(HERE / "stress_threads.py"), str(SAMPLE),
                           str(seconds)], capture_output=True, text=True, env=env,
                          timeout=180, check=False)


def _report(done: subprocess.CompletedProcess) -> str:
    return f"exit {done.returncode}\nstdout: {done.stdout}\nstderr: {done.stderr[-6000:]}"


def test_stress_one_shared_context():
    """The stress run against the library under test (no sanitizer): no exception other
    than StateError in any thread, no crash."""
    done = _stress(pathlib.Path(os.environ["VIPA_LIBRARY"]), 2.0, None)
    assert done.returncode == 0, _report(done)
    assert "repr=" in done.stdout and "mutations=" in done.stdout


def test_stress_one_shared_context_under_asan():
    """The same run with the ASan build of the library, the runtime preloaded into
    Python: a call on a freed result or ledger is a heap-use-after-free report."""
    required = os.environ.get("VIPA_REQUIRE_ASAN") == "1"
    library, why = _asan_library()
    runtime = _asan_runtime() if library is not None else None
    if library is not None and runtime is None:
        why = "no C compiler to find the ASan runtime (cc -print-file-name=libasan.so)"
    if library is None or runtime is None:
        if required:
            pytest.fail(f"VIPA_REQUIRE_ASAN=1 but {why}")
        pytest.skip(why)
    done = _stress(library, 3.0, runtime)
    if done.returncode == 77 and not required:  # a build-asan older than these bindings
        pytest.skip(f"{library} cannot be loaded by these bindings (stale build?): "
                    f"{done.stderr.strip()[-300:]}")
    assert "AddressSanitizer" not in done.stderr, _report(done)
    assert "runtime error" not in done.stderr, _report(done)  # UBSan
    assert done.returncode == 0, _report(done)
    assert "repr=" in done.stdout and "mutations=" in done.stdout
