"""One shared Context hammered from many threads for a bounded time (issue 15).

Run by ``test_threads.py`` in a subprocess, under AddressSanitizer when an ASan build of
the library exists (``LD_PRELOAD`` of the runtime, ``VIPA_LIBRARY`` of build-asan), so
that a binding path calling the C library without the context's lock — a result freed
under a reader — ends the process with a heap-use-after-free report instead of passing
by luck. Not collected by pytest (no ``test_`` prefix).

    python3 stress_threads.py SCENARIO.json [SECONDS]

Six threads change the context (parameters, the day the data were taken, households),
run it, build ledgers, close results and ledgers, and now and then close the whole
context and publish a new one; one thread calls ``repr(result)`` in a loop, as in the
report; three more read everything else a result, a ledger and a context answer. The
only exception a reader may see is ``vipa.StateError`` (the object was closed under
it). Prints one line of counts; exit status 0 when nothing else went wrong, 1 when
something did, 77 when ``vipa`` cannot be imported (a stale library).
"""

from __future__ import annotations

import json
import random
import sys
import threading
import time
import traceback

try:
    import vipa
except ImportError as e:  # a library of another version: the caller decides
    print(f"cannot import vipa: {e}", file=sys.stderr)
    sys.exit(77)

MUTATORS = 6


def main() -> int:
    scenario = json.loads(open(sys.argv[1], encoding="utf-8").read())
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 3.0
    sys.setswitchinterval(1e-5)  # more interleavings between Python lines

    first = vipa.Context.from_scenario(scenario)
    box = {"ctx": first, "result": first.run(input_hash=False), "ledger": first.ledger()}
    box_lock = threading.Lock()  # only for publishing into `box`, never around vipa calls
    deadline = time.monotonic() + seconds
    counts: dict[str, int] = {}
    failures: list[str] = []
    next_id = iter(range(900_000, 10 ** 9))
    village = scenario["households"][0]["village"]

    def count(what: str) -> None:
        counts[what] = counts.get(what, 0) + 1

    def get(name: str):
        with box_lock:
            return box[name]

    def put(name: str, value) -> None:
        with box_lock:
            box[name] = value

    def guarded(body, name: str):
        def loop() -> None:
            rng = random.Random(name)
            while time.monotonic() < deadline and not failures:
                try:
                    body(rng)
                except vipa.StateError:
                    count("StateError")
                except Exception:  # anything else is a defect
                    failures.append(f"{name}: {traceback.format_exc()}")
        return threading.Thread(target=loop, name=name)

    def mutate(rng: random.Random) -> None:
        ctx = get("ctx")
        action = rng.random()
        if action < 0.20:
            ctx.set_param("equity.poor_share_bp", rng.choice((7000, 6000)))
        elif action < 0.32:
            ctx.set_as_of(rng.choice((None, "2019-12-31", "2020-06-30")))
        elif action < 0.44:
            ctx.add_household(id=next(next_id), village=village, members=2, labour=1,
                              cause="illness", willing=True)
        elif action < 0.70:
            put("result", ctx.run(input_hash=False))
        elif action < 0.82:
            put("ledger", ctx.ledger())
        elif action < 0.90:
            get("result").close()
        elif action < 0.96:
            get("ledger").close()
        else:  # a new context replaces the old one, which is closed under its readers
            new = vipa.Context.from_scenario(scenario)
            result, ledger = new.run(input_hash=False), new.ledger()
            with box_lock:
                old = box["ctx"]
                box.update(ctx=new, result=result, ledger=ledger)
            old.close()
        count("mutations")

    def repr_loop(rng: random.Random) -> None:
        repr(get("result"))
        repr(get("ctx"))
        repr(get("ledger"))
        count("repr")

    result_reads = [
        ("finding_count", lambda r: r.finding_count("error")),
        ("explain_household", lambda r: r.explain_household(1001, 2017)),
        ("explain_agreement", lambda r: r.explain_agreement(1, 2017)),
        ("report_json", lambda r: r.report_json()),
        ("households", lambda r: r.households),  # a fresh result builds its views from C
        ("year", lambda r: r.year(2017)),
        ("findings", lambda r: r.findings),
        ("stamp", lambda r: r.stamp),
    ]
    ledger_reads = [
        ("linkage_due", lambda l: l.linkage_due(1, 2017)),
        ("linkage_paid", lambda l: l.linkage_paid(1, 2017, "2018-06-30")),
        ("income", lambda l: l.income(1001, 2017)),
        ("meets_standard", lambda l: l.meets_standard(1001, 2017)),
        ("allocations", lambda l: l.allocations),
        ("coverage", lambda l: l.coverage(village, 2017)),
        ("ledger check", lambda l: l.check(2017)),
    ]
    context_reads = [
        ("counts", lambda c: c.counts()),
        ("get_param", lambda c: c.get_param("equity.poor_share_bp")),
        ("as_of", lambda c: c.as_of),
        ("last_error", lambda c: c.last_error),
        ("context check", lambda c: c.check()),
    ]

    def reader(name: str, reads: list):
        def read(rng: random.Random) -> None:
            what, call = rng.choice(reads)
            call(get(name))
            count("reads")
        return read

    threads = [guarded(mutate, f"mutator-{k}") for k in range(MUTATORS)]
    threads += [guarded(repr_loop, "repr"),
                guarded(reader("result", result_reads), "result-reader"),
                guarded(reader("ledger", ledger_reads), "ledger-reader"),
                guarded(reader("ctx", context_reads), "ctx-reader")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    get("ctx").close()
    print(" ".join(f"{k}={v}" for k, v in sorted(counts.items())))
    if failures:
        print(failures[0], file=sys.stderr)
        return 1
    if not counts.get("repr") or not counts.get("mutations") or not counts.get("reads"):
        print("the threads did no work", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
