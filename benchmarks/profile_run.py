"""Where the time of one run goes: a cProfile summary by weekly phase and by function.

Usage::

    .venv/bin/python benchmarks/profile_run.py scenarios/case.toml teams
    .venv/bin/python benchmarks/profile_run.py scenarios/large.toml teams --top 15

Prints the share of the run spent in building the organisation and in each phase of
``MergerModel.step`` (the ODD's process overview), then the functions with the most own time.
cProfile adds overhead to every Python call, so the shares, not the absolute seconds, are
the result; the benchmark suite (``run_all.py``) gives the unprofiled times.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys

#: Phases reported, as (label, function name in sim/model.py).
PHASES = (
    ("build (population, network, agents, strategy set-up)", "__init__"),
    ("1 interact (meetings, drift, tie update, closure)", "interact"),
    ("2 intervene (strategy)", "intervene"),
    ("3 update contracts and engagement", "update_contracts"),
    ("4a turnover", "turn_over"),
    ("4b hiring", "hire"),
    ("5 record outputs (13 observables, snapshots)", "record"),
)


def phase_table(stats: pstats.Stats, total: float) -> list[tuple[str, float, float]]:
    """(label, cumulative seconds, share of the run) for each phase of the week."""
    cumulative: dict[str, float] = {}
    for (filename, _line, name), row in stats.stats.items():  # type: ignore[attr-defined]
        if filename.replace("\\", "/").endswith("sim/model.py"):
            cumulative[name] = cumulative.get(name, 0.0) + row[3]
    return [(label, cumulative.get(name, 0.0), cumulative.get(name, 0.0) / total)
            for label, name in PHASES]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario")
    parser.add_argument("strategy", nargs="?", default="teams")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--top", type=int, default=12)
    args = parser.parse_args(argv)

    from sim import run

    run(args.scenario, strategy=args.strategy, seed=args.seed, weeks=1)  # imports, caches
    profiler = cProfile.Profile()
    profiler.enable()
    run(args.scenario, strategy=args.strategy, seed=args.seed)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = stats.total_tt  # type: ignore[attr-defined]
    print(f"{args.scenario}, {args.strategy}: {total:.2f} s under cProfile\n")
    print(f"{'phase':58s} {'seconds':>8s} {'share':>6s}")
    for label, seconds, share in phase_table(stats, total):
        print(f"{label:58s} {seconds:8.3f} {share:6.1%}")
    print(f"\nfunctions by own time (top {args.top}):")
    stats.sort_stats("tottime").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
