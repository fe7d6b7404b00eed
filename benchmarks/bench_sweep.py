"""Sweep benchmarks: throughput with 1 and 2 local workers, and memory for 100 vs 1,000 runs.

Usage::

    python benchmarks/bench_sweep.py                  # both benchmarks
    python benchmarks/bench_sweep.py --only speed     # or: --only memory
    python benchmarks/bench_sweep.py --runs 40 --json out/benchmarks/bench_sweep.json

Targets (issue "Scenario sweeps that resume and scale out"):

- runs per minute on the case scenario with 2 local workers at least 1.8x those with 1;
- peak memory of the sweep process flat between 100 and 1,000 runs of a tiny scenario
  (results stream to disk, nothing accumulates).

The load average before and after each measurement is recorded: on a shared machine,
other work competing for the cores lowers the speedup, and the figures say so.

Each measurement runs in a fresh subprocess, so peak memory (``ru_maxrss``) belongs to that
sweep alone. Wall time includes starting the worker pool, planning and combining: what a
user waits for. The steady-state rate (runs between the first and the last run file
written) leaves those fixed costs out: it is what a long sweep approaches.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CASE_SWEEP = """
name = "bench_case"
scenario = "{root}/scenarios/case.toml"
strategies = ["training"]
replications = {runs}
[record]
every = 4
"""

TINY_SWEEP = """
name = "bench_tiny"
scenario = "{root}/scenarios/classroom.toml"
strategies = ["none"]
replications = {runs}
[set]
"horizon.intervention_weeks" = 4
"horizon.followup_weeks" = 0
"cities.Noord.headcount" = 12
"cities.Midden.headcount" = 10
"cities.Zuid.headcount" = 8
"""

CHILD = """
import json, os, resource, sys, time
from pathlib import Path
from sim.sweep import load_sweep, run_sweep

if __name__ == "__main__":  # local workers re-import this file: only the parent sweeps
    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    report = run_sweep(load_sweep(sys.argv[1]), sys.argv[2], executor=sys.argv[3],
                       workers=int(sys.argv[4]), progress=False)
    wall = time.perf_counter() - t0
    # steady-state rate: between the first and the last run file written (no pool start-up,
    # planning or combining)
    stamps = sorted(p.stat().st_mtime for p in Path(sys.argv[2], "runs").glob("*.parquet"))
    steady = 60 * (len(stamps) - 1) / (stamps[-1] - stamps[0]) if len(stamps) > 1 else 0.0
    print(json.dumps({
        "runs": report.computed, "failed": len(report.failed), "seconds": wall,
        "runs_per_minute": 60 * report.computed / wall,
        "steady_runs_per_minute": steady,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "load_before": load_before, "load_after": os.getloadavg()[0],
    }))
"""


def measure(template: str, runs: int, executor: str, workers: int) -> dict[str, float]:
    """Run one sweep in a fresh interpreter; return its wall time, speed and peak memory."""
    with tempfile.TemporaryDirectory() as tmp:
        sweep = Path(tmp) / "sweep.toml"
        sweep.write_text(template.format(root=ROOT, runs=runs))
        script = Path(tmp) / "child.py"
        script.write_text(CHILD)
        proc = subprocess.run(
            [sys.executable, str(script), str(sweep), str(Path(tmp) / "out"), executor,
             str(workers)],
            capture_output=True, text=True, cwd=ROOT, check=True,
        )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def bench_speed(runs: int) -> dict[str, object]:
    """Runs per minute on the case (1,000 employees, 156 weeks) with 1 and 2 workers."""
    one = measure(CASE_SWEEP, runs, "local", 1)
    two = measure(CASE_SWEEP, runs, "local", 2)
    speedup = two["runs_per_minute"] / one["runs_per_minute"]
    steady = two["steady_runs_per_minute"] / one["steady_runs_per_minute"]
    return {"runs": runs, "workers_1": one, "workers_2": two, "speedup": speedup,
            "steady_speedup": steady, "target": 1.8, "met": speedup >= 1.8}


def bench_memory() -> dict[str, object]:
    """Peak RSS of the sweep process for 100 and 1,000 runs of a tiny scenario."""
    small = measure(TINY_SWEEP, 100, "local", 2)
    large = measure(TINY_SWEEP, 1000, "local", 2)
    ratio = large["peak_rss_mib"] / small["peak_rss_mib"]
    return {"runs_100": small, "runs_1000": large, "ratio": ratio,
            "target": "flat (ratio <= 1.1)", "met": ratio <= 1.1}


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=["speed", "memory"], default=None)
    parser.add_argument("--runs", type=int, default=100, help="case runs per speed measurement")
    parser.add_argument("--json", type=Path, default=ROOT / "out" / "benchmarks" /
                        "bench_sweep.json")
    args = parser.parse_args()
    results: dict[str, object] = {}
    if args.only in (None, "speed"):
        speed = bench_speed(args.runs)
        results["speed"] = speed
        load = speed["workers_1"]["load_before"]
        print(f"load average before: {load:.1f} on {os.cpu_count()} cores")
        print(f"case, {args.runs} runs: 1 worker {speed['workers_1']['runs_per_minute']:.1f} "
              f"runs/min, 2 workers {speed['workers_2']['runs_per_minute']:.1f} runs/min, "
              f"speedup {speed['speedup']:.2f}x (target >= 1.8x); steady state "
              f"{speed['workers_1']['steady_runs_per_minute']:.1f} vs "
              f"{speed['workers_2']['steady_runs_per_minute']:.1f} runs/min, "
              f"{speed['steady_speedup']:.2f}x")
    if args.only in (None, "memory"):
        memory = bench_memory()
        results["memory"] = memory
        print(f"tiny scenario: peak RSS {memory['runs_100']['peak_rss_mib']:.0f} MiB for 100 "
              f"runs, {memory['runs_1000']['peak_rss_mib']:.0f} MiB for 1,000 runs "
              f"(ratio {memory['ratio']:.2f})")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2))
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
