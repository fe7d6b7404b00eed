"""Benchmark: the README's comparison workload on this machine.

The case scenario (1,000 employees, 156 weeks), 2 strategies x 30 replications, 2 worker
processes: the target is under a minute of wall time on a 2-core machine (issue "Compare
strategies"). Prints wall time, runs per second, and peak resident memory of this process
and of the worker processes (``resource.getrusage`` in each process, the figure
``/usr/bin/time -v`` reports as "Maximum resident set size"). Figures are included, as in
the real command; pass ``--no-figures`` to time the runs and tables alone.

Usage:
    .venv/bin/python benchmarks/bench_compare.py [--replications 30] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def peak_rss_mib(who: int) -> float:
    """Peak resident set size in MiB (Linux reports kibibytes, macOS bytes)."""
    rss = resource.getrusage(who).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print one line per measurement."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default=str(ROOT / "scenarios" / "case.toml"))
    parser.add_argument("--strategies", default="training,teams")
    parser.add_argument("--replications", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-figures", action="store_true")
    args = parser.parse_args(argv)

    import json

    from sim.presentation.comparison import compare

    strategies = args.strategies.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        compare(args.scenario, strategies, args.replications, Path(tmp) / "out",
                workers=args.workers, progress=False, figures=not args.no_figures)
        wall = time.perf_counter() - start
        manifest = json.loads((Path(tmp) / "out" / "manifest.json").read_text())
    last = manifest["last_invocation"]
    runs = len(strategies) * args.replications
    print(f"workload: {Path(args.scenario).name}, {args.strategies} x {args.replications} "
          f"replications = {runs} runs, {args.workers} workers, "
          f"figures {'off' if args.no_figures else 'on'}")
    print(f"wall time: {wall:.1f} s ({runs / wall:.2f} runs/s)")
    run_cpu = float(last["cpu_seconds"])
    print(f"mean CPU per run inside a worker: {run_cpu / runs:.2f} s")
    own = resource.getrusage(resource.RUSAGE_SELF)
    parent_cpu = own.ru_utime + own.ru_stime
    print(f"CPU: runs {run_cpu:.1f} s in workers, parent {parent_cpu:.1f} s "
          f"(imports, tables, figures, report); wall time on an otherwise idle machine "
          f"is about runs / workers + parent = {run_cpu / args.workers + parent_cpu:.1f} s")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average during the benchmark: {load:.1f} on {os.cpu_count()} CPUs "
          "(above the CPU count, other processes shared the machine)")
    print(f"peak RSS: parent {peak_rss_mib(resource.RUSAGE_SELF):.0f} MiB, "
          f"largest worker {last['peak_rss_mib']:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
