"""Every C function of the table was called by the suite (runs last: files run in
name order). Skipped when only part of the suite ran."""

from __future__ import annotations

import pathlib

import pytest

from vipa import _lib

import conftest


def test_every_c_function_was_called():
    wanted = {p.name for p in pathlib.Path(__file__).parent.glob("test_*.py")}
    wanted.discard(pathlib.Path(__file__).name)
    missing_modules = wanted - conftest.MODULES_RUN
    if missing_modules:
        pytest.skip(f"only part of the suite ran (not {', '.join(sorted(missing_modules))})")
    never = sorted(p.name for p in _lib.PROTOTYPES if not conftest.CALLED[p.name])
    assert never == [], f"never called: {never}"


def test_no_call_reached_ctypes_unchecked():
    """No call of the whole run passed ctypes an int outside its C type or a text with a
    NUL, or used a handle without its context's lock (conftest checks every call)."""
    assert conftest.UNCHECKED_CALLS == []
