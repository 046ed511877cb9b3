"""Times Context.from_frames() and Result.to_frames() at N households (default 100,000):
households (village codes as text, causes as words), one income each (money as text) and
an evaluation, on the sample's areas. Run from the checkout's root:

    VIPA_LIBRARY=build/lib/libvipa.so.0 python3 bindings/python/bench/frames.py [N]
"""

from __future__ import annotations

import json
import pathlib
import sys
import time

import pandas as pd

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
import vipa  # noqa: E402
import vipa.frames  # noqa: E402

n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
sample = json.loads(pathlib.Path("examples/shangluo-sample.json").read_text(encoding="utf-8"))
areas = pd.DataFrame(sample["areas"])
villages = [a["code"] for a in sample["areas"] if a["level"] == "village"]
causes = ["illness", "disability", "lack_of_labour", "lack_of_capital", "lack_of_skills"]
ids = pd.RangeIndex(1, n + 1)
households = pd.DataFrame({
    "id": ids, "village": [villages[i % len(villages)] for i in range(n)],
    "members": (ids % 6) + 1, "labour": ids % 3, "cause": [causes[i % 5] for i in range(n)],
    "willing": (ids % 7) != 0})
incomes = pd.DataFrame({"household": ids, "year": 2017,
                        "other": [f"{(i * 37) % 20000}.{i % 100:02d}" for i in range(n)]})
evaluations = pd.DataFrame({"year": [2017], "date": ["2018-01-31"]})

best = {}
for attempt in range(3):
    start = time.perf_counter()
    batches = vipa.frames.frames_to_batches({"areas": areas, "households": households,
                                             "incomes": incomes, "evaluations": evaluations})
    converted = time.perf_counter()
    with vipa.Context() as ctx:
        for kind, batch in batches:
            ctx.add(kind, batch)
        loaded = time.perf_counter()
        result = ctx.run()
        ran = time.perf_counter()
        frames = result.to_frames()
        out = time.perf_counter()
        frames_fen = result.to_frames(money="fen", names=False)
        out_fen = time.perf_counter()
    for key, value in (("convert", converted - start), ("add", loaded - converted),
                       ("run", ran - loaded), ("to_frames", out - ran),
                       ("to_frames fen, no names", out_fen - out)):
        best[key] = min(best.get(key, value), value)
print(f"{n} households, {len(frames['year_households'])} year rows; best of 3:")
for key, value in best.items():
    print(f"  {key}: {value:.2f} s")
