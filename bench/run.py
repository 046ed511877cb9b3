#!/usr/bin/python3
"""Runs vipa-bench (issue #8) and reports: called by scripts/bench, which builds it.

    run.py --bench PATH [--households N] [--json] [--scale] [--repeat K] [--runs R]
           [--seed S] [--sizes N,N,...] [--plot FILE] [--markdown] [--no-sqlite]
           [--no-numpy] [--no-compare] [--input-hash] [--quiet]
    run.py --bench PATH --vipa PATH --from-file [--households N] [--json]

One size (default N = 1,000,000): vipa-bench K times (--repeat, default 1; sizes above
--repeat-limit, default 10^6, once), each running the year R times (--runs, default 3, the
median kept) and the peers once; with K > 1 every figure is the median over the K
processes. --json prints one JSON object with at least
households, vipa_run_s, sqlite_s, numpy_s, stream_s, load_s, peak_rss_bytes,
bytes_per_household and agree; unless --no-compare, also the comparison of two profiles
(issue #19): compare_s (vipa_compare: both runs and the merge), two_runs_s (the same two
runs by vipa_run), compare_over_two_runs, compare_merge_s, compare_write_s (the comparison
JSON to a sink that discards it) and compare_changes per table.

--scale: the same for N = 10^4, 10^5, 10^6, 10^7 (or --sizes), then the growth of each
time per tenfold N (10.0 is linear) and a plot of time per household against N, written
with gnuplot to --plot (default docs/performance.svg).

--from-file: the province written as a scenario file, then run by the command
(`vipa run FILE --json -o OUT`): its time and peak RSS against the file's size and
against the peak RSS of the same province loaded, run and reported through the batch API
by vipa-bench (library alone; --no-batch leaves that out).

Above --peers-limit households (default 10^7) the library runs alone: SQLite and numpy
(hours and more memory than the library at 3×10^7) and the comparison of two profiles
(two results held at once) are skipped with a note, and the year is run once unless
--runs says otherwise. The stream floor still runs: it is one pass over the columns,
built after the library's memory is freed.

--markdown prints the tables of docs/performance.md; --scale --from-json FILE,... redoes
the table and the plot from saved --json outputs. Exit status: 0 when every run's answers
agreed, 1 when any did not, 2 on error.
"""
import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Figures reported per size: the time of the year run and its peers, their ratios.
TIMES = ["vipa_run_s", "sqlite_s", "numpy_s", "stream_s"]


def run_bench(args, households):
    """One vipa-bench process: its JSON object, or None when it failed outright."""
    alone = households > args.peers_limit
    runs = args.runs if args.runs is not None else 1 if alone else 3
    cmd = [args.bench, "--households", str(households), "--seed", str(args.seed),
           "--runs", str(runs), "--json",
           "--numpy-script", os.path.join(ROOT, "bench", "peer_numpy.py")]
    if args.no_sqlite or alone:
        cmd.append("--no-sqlite")
    if args.no_numpy or alone:
        cmd.append("--no-numpy")
    if args.input_hash:
        cmd.append("--input-hash")
    if args.no_compare or alone:
        cmd.append("--no-compare")
    if alone and not args.quiet:
        sys.stderr.write(f"run.py: N = {households:,} is above --peers-limit "
                         f"{args.peers_limit:,}: the library alone (load, run, streaming "
                         f"report) and the stream floor; SQLite, numpy and the comparison of "
                         f"two profiles skipped, the year run {runs} time(s)\n")
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if proc.stderr and (proc.returncode != 0 or not args.quiet):
        sys.stderr.write(proc.stderr)
    if proc.returncode not in (0, 1) or not proc.stdout.strip():
        sys.stderr.write(f"run.py: vipa-bench failed (exit {proc.returncode}) at N = {households}\n")
        return None
    return json.loads(proc.stdout)


def median(values):
    values = list(values)
    if all(v == values[0] for v in values):
        return values[0]
    return statistics.median(values)


def median_object(objects):
    """Every numeric field as the median over the runs; agree only if all agreed."""
    out = dict(objects[0])
    for key, value in objects[0].items():
        if isinstance(value, bool) or key == "answers":
            continue
        if isinstance(value, (int, float)):
            out[key] = median(o[key] for o in objects)
        elif isinstance(value, dict):
            out[key] = {k: median(o[key][k] for o in objects) for k in value}
    out["agree"] = all(o["agree"] for o in objects)
    out["answers_identical"] = all(o["answers"] == objects[0]["answers"] for o in objects)
    out["repeat"] = len(objects)
    out["vipa_run_s_all"] = [o["vipa_run_s"] for o in objects]
    # the ratios, recomputed from the medians
    out["sqlite_over_vipa"] = ratio(out["sqlite_s"], out["vipa_run_s"])
    out["numpy_over_vipa"] = ratio(out["numpy_s"], out["vipa_run_s"])
    out["vipa_over_stream"] = ratio(out["vipa_run_s"], out["stream_s"])
    if "compare_s" in out:
        out["compare_s_all"] = [o["compare_s"] for o in objects]
        out["two_runs_s_all"] = [o["two_runs_s"] for o in objects]
        out["compare_over_two_runs"] = ratio(out["compare_s"], out["two_runs_s"], 3)
    return out


def ratio(a, b, digits=2):
    return round(a / b, digits) if a and b else 0


def measure(args, households):
    objects = []
    repeat = args.repeat if households <= args.repeat_limit else 1
    for i in range(repeat):
        o = run_bench(args, households)
        if o is None:
            return None
        objects.append(o)
        if not args.quiet:
            sys.stderr.write(f"  N = {households:,}: run {i + 1}/{repeat}: vipa_run "
                             f"{o['vipa_run_s']:.3f} s, sqlite {o['sqlite_s']:.3f} s, numpy "
                             f"{o['numpy_s']:.3f} s, stream {o['stream_s']:.4f} s"
                             + (f", compare {o['compare_s']:.3f} s / two runs "
                                f"{o['two_runs_s']:.3f} s" if "compare_s" in o else "")
                             + f", agree {o['agree']}\n")
    return median_object(objects)


def from_file(args, households):
    """The province as a scenario file through the command: `vipa run FILE --json -o OUT`,
    its time, its peak RSS (the child's own, from wait4) against the file's size."""
    with tempfile.TemporaryDirectory(prefix="vipa-bench-") as tmp:
        scenario = os.path.join(tmp, "province.json")
        report = os.path.join(tmp, "report.json")
        subprocess.run([args.bench, "--households", str(households), "--seed", str(args.seed),
                        "--scenario", scenario], check=True)
        start = time.monotonic()
        child = subprocess.Popen([args.vipa, "run", scenario, "--json", "-o", report],
                                 stderr=subprocess.PIPE)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.monotonic() - start
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            sys.stderr.write(child.stderr.read().decode(errors="replace"))
            sys.stderr.write(f"run.py: vipa run failed (exit {code}) at N = {households}\n")
            return None
        file_bytes = os.path.getsize(scenario)
        peak = usage.ru_maxrss * 1024
        out = {"households": households, "file_bytes": file_bytes,
               "report_bytes": os.path.getsize(report), "vipa_run_file_s": round(elapsed, 3),
               "peak_rss_bytes": peak, "rss_over_file": ratio(peak, file_bytes),
               "bytes_per_household": round(peak / households)}
    if args.no_batch:
        return out
    # The same province through the batch API, library alone, one run and its report:
    # the process's peak RSS, as the command's is its process's.
    batch = subprocess.run([args.bench, "--households", str(households), "--seed",
                            str(args.seed), "--runs", "1", "--json", "--no-sqlite",
                            "--no-numpy", "--no-compare", "--no-stream"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if batch.returncode not in (0, 1) or not batch.stdout.strip():
        sys.stderr.write(batch.stderr)
        sys.stderr.write(f"run.py: vipa-bench failed (exit {batch.returncode}) at N = "
                         f"{households}\n")
        return None
    b = json.loads(batch.stdout)
    batch_peak = max(b["peak_rss_bytes"], b.get("peak_rss_written_bytes", 0))
    out.update({"batch_peak_rss_bytes": batch_peak,
                "batch_report_bytes": b.get("report_bytes"),
                "rss_over_batch": ratio(peak, batch_peak, 3)})
    return out


def per_household_ns(o, key):
    return o[key] / o["households"] * 1e9 if o[key] else float("nan")


def text_report(o):
    n = o["households"]
    lines = [
        f"households {n:,}  agreements {o['agreements']:,}  linkages {o['linkages']:,}  "
        f"payments {o['payments']:,}  (median of {o['repeat']} run(s))",
        f"vipa    year run {o['vipa_run_s']:.3f} s  "
        f"(ledger {o['phases']['ledger_s']:.3f}, incomes {o['phases']['incomes_s']:.3f}, "
        f"record checks {o['phases']['record_checks_s']:.3f}, evaluations "
        f"{o['phases']['evaluations_s']:.3f}, result {o['phases']['result_s']:.3f})",
        f"vipa    load {o['load_s']:.3f} s, ledger alone {o['ledger_s']:.3f} s",
        f"memory  peak RSS {o['peak_rss_bytes'] / 2**20:.0f} MiB, "
        f"{o['bytes_per_household']:.0f} bytes per household "
        f"({o['ctx_rss_per_household']:.0f} once loaded)",
    ]
    if "write_s" in o:
        lines.append(f"report  {o['write_s']:.3f} s (vipa_report_write, pretty, "
                     f"{o['report_bytes'] / 2**20:.0f} MiB discarded); peak RSS then "
                     f"{o['peak_rss_written_bytes'] / 2**20:.0f} MiB")
    if "compare_s" in o:
        lines += [
            f"compare {o['compare_s']:.3f} s (merge {o['compare_merge_s']:.3f}) against two runs "
            f"{o['two_runs_s']:.3f} s: compare/two runs {o['compare_over_two_runs']:.2f} "
            f"(target ≤ 2.2)",
            f"compare {sum(o['compare_changes'].values()):,.0f} changed rows; JSON "
            f"{o['compare_json_bytes'] / 2**20:.0f} MiB written in {o['compare_write_s']:.3f} s; "
            f"{o['compare_rss_added_per_household']:.0f} bytes per household above the run's "
            f"peak",
        ]
    if o.get("fresh_memory_s_per_gib"):
        lines.append(f"fresh   writing new memory {o['fresh_memory_s_per_gib']:.3f} s/GiB "
                     f"(touched {o['touched_memory_s_per_gib']:.3f}); the run's "
                     f"{o['vipa_run_page_faults']:,} first touches ≈ "
                     f"{o['vipa_run_fresh_pages_s']:.3f} s")
    if o["stream_s"]:
        lines.append(f"stream  {o['stream_s']:.4f} s   vipa/stream  {o['vipa_over_stream']:.1f}")
    if o["sqlite_s"]:
        lines.append(f"sqlite  {o['sqlite_s']:.3f} s   sqlite/vipa  {o['sqlite_over_vipa']:.1f}"
                     f"   (load {o['sqlite_load_s']:.1f} s)")
    if o["numpy_s"]:
        lines.append(f"numpy   {o['numpy_s']:.3f} s   numpy/vipa   {o['numpy_over_vipa']:.1f}"
                     f"   (CSV load {o['numpy_load_s']:.1f} s)")
    lines.append(f"agree   {'yes' if o['agree'] else 'NO'}")
    return "\n".join(lines)


def markdown_single(o):
    rows = [
        "| figure | median |",
        "|---|---|",
        f"| households | {o['households']:,} |",
        f"| `vipa_run` (year run, no input hash) | {o['vipa_run_s']:.3f} s |",
        f"| of which ledger / incomes / record checks / evaluations / result | "
        f"{o['phases']['ledger_s']:.3f} / {o['phases']['incomes_s']:.3f} / "
        f"{o['phases']['record_checks_s']:.3f} / {o['phases']['evaluations_s']:.3f} / "
        f"{o['phases']['result_s']:.3f} s |",
        f"| load (batch API, records only) | {o['load_s']:.3f} s |",
        f"| `vipa_ledger_build` alone | {o['ledger_s']:.3f} s |",
        f"| `vipa_report_write` (pretty, to a sink that discards) | {o.get('write_s', 0):.3f} s "
        f"for {o.get('report_bytes', 0) / 2**20:.0f} MiB |",
        f"| minor page faults of one run (first touches of memory) | "
        f"{o['vipa_run_page_faults']:,.0f} |",
        f"| writing fresh / touched memory (probe, 256 MiB) | "
        f"{o.get('fresh_memory_s_per_gib', 0):.3f} / {o.get('touched_memory_s_per_gib', 0):.3f}"
        f" s per GiB |",
        f"| of the run, first touches at that cost | {o.get('vipa_run_fresh_pages_s', 0):.3f} s |",
        f"| stream floor | {o['stream_s']:.4f} s |",
        f"| SQLite (in-memory, SQL) | {o['sqlite_s']:.3f} s (load {o['sqlite_load_s']:.1f} s) |",
        f"| numpy | {o['numpy_s']:.3f} s (CSV load {o['numpy_load_s']:.1f} s) |",
        f"| **vipa / stream** | **{o['vipa_over_stream']:.1f}×** |",
        f"| **SQLite / vipa** | **{o['sqlite_over_vipa']:.1f}×** |",
        f"| **numpy / vipa** | **{o['numpy_over_vipa']:.1f}×** |",
        f"| peak RSS | {o['peak_rss_bytes'] / 2**20:.0f} MiB |",
        f"| bytes per household (peak RSS above the empty process) | "
        f"{o['bytes_per_household']:.0f} |",
        f"| bytes per household once loaded (the context) | {o['ctx_rss_per_household']:.0f} |",
        f"| answers agree | {'yes' if o['agree'] else 'NO'} |",
    ]
    if "compare_s" in o:
        rows[-1:-1] = [
            f"| `vipa_compare` (both runs and the merge) | {o['compare_s']:.3f} s |",
            f"| of which the merge (after the reform's run) | {o['compare_merge_s']:.3f} s |",
            f"| two runs (`vipa_run` of each side) | {o['two_runs_s']:.3f} s |",
            f"| **compare / two runs** (target ≤ 2.2) | **{o['compare_over_two_runs']:.2f}×** |",
            f"| `vipa_comparison_write` (discarded) | {o['compare_write_s']:.3f} s for "
            f"{o['compare_json_bytes'] / 2**20:.0f} MiB |",
            f"| changed rows (allocations / dividends / evaluations / findings / all) | "
            f"{o['compare_changes']['allocations']:,.0f} / "
            f"{o['compare_changes']['year_dividends']:,.0f} / "
            f"{o['compare_changes']['year_evaluations']:,.0f} / "
            f"{o['compare_changes']['findings']:,.0f} / "
            f"{sum(o['compare_changes'].values()):,.0f} |",
            f"| bytes per household with a comparison held, above the run's peak | "
            f"{o['compare_rss_added_per_household']:.0f} |",
        ]
    return "\n".join(rows)


def growth(results, key):
    out = []
    for prev, cur in zip(results, results[1:]):
        if prev[key] and cur[key]:
            factor = cur["households"] / prev["households"]
            out.append(round((cur[key] / prev[key]) * 10 / factor, 2))
        else:
            out.append(None)
    return out


def scale_table(results, markdown):
    head = ["households", "vipa_run s", "ns/household", "growth ×10", "stream s", "sqlite s",
            "numpy s", "vipa/stream", "sqlite/vipa", "numpy/vipa", "bytes/household", "agree"]
    g = [None] + growth(results, "vipa_run_s")
    rows = []
    for o, gr in zip(results, g):
        rows.append([f"{o['households']:,}", f"{o['vipa_run_s']:.3f}",
                     f"{per_household_ns(o, 'vipa_run_s'):.0f}",
                     "" if gr is None else f"{gr:.2f}", fmt(o["stream_s"], 4),
                     fmt(o["sqlite_s"], 2), fmt(o["numpy_s"], 2),
                     fmt(o["vipa_over_stream"], 1), fmt(o["sqlite_over_vipa"], 1),
                     fmt(o["numpy_over_vipa"], 1), f"{o['bytes_per_household']:.0f}",
                     "yes" if o["agree"] else "NO"])
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines)
    widths = [max(len(head[i]), *(len(r[i]) for r in rows)) for i in range(len(head))]
    fmt_row = lambda r: "  ".join(c.rjust(w) for c, w in zip(r, widths))
    return "\n".join([fmt_row(head)] + [fmt_row(r) for r in rows])


def fmt(value, digits):
    return f"{value:.{digits}f}" if value else "-"


def plot(results, path):
    """Time per household against N, log-log, for vipa and the peers (gnuplot → SVG/PNG)."""
    gnuplot = shutil.which("gnuplot")
    if not gnuplot:
        sys.stderr.write("run.py: gnuplot not found (Debian package gnuplot-nox); no plot\n")
        return False
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "scale.dat")
        with open(data, "w") as out:
            out.write("# households vipa sqlite numpy stream (ns per household)\n")
            for o in results:
                cols = [per_household_ns(o, k) for k in TIMES]
                out.write(f"{o['households']} " +
                          " ".join("NaN" if math.isnan(c) else f"{c:.3f}" for c in cols) + "\n")
        terminal = ("pngcairo size 900,560" if path.endswith(".png")
                    else "svg size 900,560 dynamic font 'sans,13'")
        script = f"""
set terminal {terminal}
set output '{path}'
set title 'libvipa year run: time per household against province size'
set xlabel 'households (N)'
set ylabel 'time per household (ns, log scale)'
set logscale xy
set format x '10^{{%L}}'
set grid
set key outside right center
set style data linespoints
plot '{data}' using 1:2 title 'vipa\\_run' lw 2 pt 7, \\
     '{data}' using 1:3 title 'SQLite (SQL)' lw 2 pt 5, \\
     '{data}' using 1:4 title 'numpy' lw 2 pt 9, \\
     '{data}' using 1:5 title 'stream floor' lw 2 pt 13 dt 2
"""
        proc = subprocess.run([gnuplot], input=script, text=True, stderr=subprocess.PIPE)
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr)
            return False
    return True


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--bench", help="the vipa-bench program")
    p.add_argument("--households", type=int, default=1_000_000)
    p.add_argument("--json", action="store_true")
    p.add_argument("--scale", action="store_true")
    p.add_argument("--sizes", default="10000,100000,1000000,10000000")
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("--repeat-limit", type=int, default=1_000_000,
                   help="sizes above this run once whatever --repeat says (default 10^6)")
    p.add_argument("--runs", type=int, default=None,
                   help="year runs per process (default 3; 1 above --peers-limit)")
    p.add_argument("--peers-limit", type=int, default=10_000_000,
                   help="above this many households the library runs alone (default 10^7)")
    p.add_argument("--no-batch", action="store_true",
                   help="with --from-file: leave out the batch-API run of the same province")
    p.add_argument("--seed", type=int, default=2016)
    p.add_argument("--plot", default=os.path.join(ROOT, "docs", "performance.svg"))
    p.add_argument("--markdown", action="store_true")
    p.add_argument("--no-sqlite", action="store_true")
    p.add_argument("--no-numpy", action="store_true")
    p.add_argument("--no-compare", action="store_true",
                   help="skip the comparison of two profiles (compare_s, two_runs_s)")
    p.add_argument("--input-hash", action="store_true",
                   help="also time a run with the stamp's input hash (input_hash_s)")
    p.add_argument("--quiet", action="store_true")
    p.add_argument("--from-file", action="store_true",
                   help="run the province from a scenario file through `vipa run --json -o` "
                        "and report the command's peak RSS against the file's size")
    p.add_argument("--vipa", help="the vipa program (scripts/bench gives it)")
    p.add_argument("--from-json", metavar="FILE[,FILE...]",
                   help="with --scale: tabulate and plot saved --json outputs instead of running")
    args = p.parse_args()
    if args.repeat < 1 or (args.runs is not None and args.runs < 1):
        p.error("--repeat and --runs must be at least 1")
    if not args.bench and not (args.scale and args.from_json):
        p.error("--bench is required (scripts/bench gives it)")

    if args.from_file:
        if not args.vipa:
            p.error("--from-file needs --vipa (scripts/bench gives it)")
        o = from_file(args, args.households)
        if o is None:
            return 2
        print(json.dumps(o) if args.json else "\n".join(f"{k}: {v}" for k, v in o.items()))
        return 0

    if not args.scale:
        o = measure(args, args.households)
        if o is None:
            return 2
        if args.json:
            print(json.dumps(o))
        elif args.markdown:
            print(markdown_single(o))
        else:
            print(text_report(o))
        return 0 if o["agree"] else 1

    sizes = [int(float(s)) for s in args.sizes.split(",")]
    results = []
    if args.from_json:
        # Saved results (single sizes or --scale output), later files replacing earlier
        # ones of the same size: the table and the plot again, nothing run.
        by_size = {}
        for path in args.from_json.split(","):
            with open(path) as f:
                saved = json.load(f)
            for o in saved.get("scale", [saved]):
                by_size[o["households"]] = o
        results = [by_size[n] for n in sorted(by_size)]
    for n in sizes if not args.from_json else []:
        o = measure(args, n)
        if o is None:
            return 2
        results.append(o)
    plotted = plot(results, args.plot)
    if args.json:
        print(json.dumps({"scale": results,
                          "growth_per_tenfold": {k: growth(results, k) for k in TIMES},
                          "plot": args.plot if plotted else None}))
    else:
        print(scale_table(results, args.markdown))
        if plotted:
            print(f"\nplot: {args.plot}")
    return 0 if all(o["agree"] for o in results) else 1


if __name__ == "__main__":
    sys.exit(main())
