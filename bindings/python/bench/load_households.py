#!/usr/bin/python3
"""Measures loading N households (default 1,000,000) from Python into a context.

Each path ends in ONE call of vipa_ctx_add_households(); the time covers converting
the Python data and that call, and nothing else (the areas are added beforehand).

    VIPA_LIBRARY=build-py/lib/libvipa.so.0 PYTHONPATH=bindings/python \\
        /usr/bin/python3 bindings/python/bench/load_households.py [N]

Paths: tuples of ints; tuples with words and text codes ("illness", "611002100201");
dicts; a ctypes array filled by the caller; a NumPy structured array (when NumPy is
installed); and the per-record path (add_household() per record) on a sample, scaled.
"""

from __future__ import annotations

import sys
import time

import vipa
from vipa import batch

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
VILLAGES = [611002100000 + v for v in range(201, 301)]   # 100 villages of one town


def new_context() -> vipa.Context:
    ctx = vipa.Context()
    ctx.add_areas([{"code": "611002000000", "name": "county", "level": "county"},
                   {"code": "611002100000", "name": "town", "level": "town"}] +
                  [{"code": v, "name": f"village {v}", "level": "village"} for v in VILLAGES])
    return ctx


def timed(label: str, build, load) -> float:
    """Times `load` (the public call: conversion + the one C call), then the conversion
    alone (records.to_array on the same data), and prints both."""
    data = build()
    ctx = new_context()
    start = time.perf_counter()
    load(ctx, data)
    elapsed = time.perf_counter() - start
    assert ctx.counts()["households"] == N, label
    ctx.close()
    start = time.perf_counter()
    batch.to_array("households", data)
    convert = time.perf_counter() - start
    print(f"{label:<40} {elapsed:7.3f} s total  {elapsed / N * 1e9:6.0f} ns/household"
          f"  (Python side {convert:6.3f} s)", flush=True)
    return elapsed


def int_rows():
    return [(i + 1, VILLAGES[i % 100], 1 + i % 6, i % 3, 1 + i % 11, i & 1, 0)
            for i in range(N)]


def word_rows():
    causes = [c.word for c in vipa.Cause if c]
    return [(i + 1, str(VILLAGES[i % 100]), 1 + i % 6, i % 3, causes[i % 11], bool(i & 1))
            for i in range(N)]


def dict_rows():
    return [{"id": i + 1, "village": VILLAGES[i % 100], "members": 1 + i % 6,
             "labour": i % 3, "cause": 1 + i % 11, "willing": bool(i & 1)} for i in range(N)]


def ctypes_array():
    array = vipa.record_array("households", N)
    for i, h in enumerate(array):
        h.id, h.village, h.members = i + 1, VILLAGES[i % 100], 1 + i % 6
        h.labour, h.cause, h.willing = i % 3, 1 + i % 11, i & 1
    return array


def numpy_array():
    import numpy as np
    a = vipa.numpy_records("households", N)
    i = np.arange(N)
    a["id"] = i + 1
    a["village"] = np.array(VILLAGES, dtype=np.uint64)[i % 100]
    a["members"], a["labour"] = 1 + i % 6, i % 3
    a["cause"], a["willing"] = 1 + i % 11, i & 1
    return a


def per_record(ctx, rows):
    for row in rows:
        ctx.add_household(dict(zip(vipa.fields("households"), row)))


print(f"libvipa {vipa.library_version} ({vipa.library_path}); {N:,} households")
timed("tuples of ints -> add_households()", int_rows, lambda c, d: c.add_households(d))
timed("tuples with words and text codes", word_rows, lambda c, d: c.add_households(d))
timed("dicts -> add_households()", dict_rows, lambda c, d: c.add_households(d))
timed("ctypes array (buffer) -> add_households()", ctypes_array,
      lambda c, d: c.add_households(d))
try:
    __import__("numpy")
except ImportError:
    print("NumPy structured array: skipped (NumPy not installed)")
else:
    timed("NumPy structured array (buffer)", numpy_array, lambda c, d: c.add_households(d))
sample = 20_000
rows = int_rows()[:sample]
ctx = new_context()
start = time.perf_counter()
per_record(ctx, rows)
elapsed = (time.perf_counter() - start) * N / sample
print(f"{'per-record add_household() (from 20k)':<40} {elapsed:7.3f} s total  "
      f"{elapsed / N * 1e9:6.0f} ns/household  (scaled)")
