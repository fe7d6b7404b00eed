"""What the verdict depends on: Sobol indices of the paired differences teams − training
(and each strategy against none) over the assumptions, and PRIM boxes of the claim
(docs/results.md, "What the verdict depends on").

The analysed assumptions and their ranges (default x [0.5, 1.5]) are in
``sim.experiments.fairtest.verdict.PARAMETERS``; a dummy parameter that no run reads but that
redraws each point's seed gives the noise floor, and the indices are recomputed at N/4, N/2 and N as
a convergence check. At every design point ``training`` and ``teams`` run on the same
(redrawn) seeds as ``none``; ``none`` reads none of the analysed parameters (tested), so it
runs once per redrawn seed (two per base sample).

Documented size (the results page): ``--n 64 --seeds 1`` = 64 x (8 + 3) = 704 design points x
2 strategies + 128 runs of none = 1,536 runs of the case (timing: docs/performance.md).
Scale out with ``--executor dask --scheduler ADDRESS``.

Usage:
    .venv/bin/python experiments/verdict.py [--scenario case] [--n 64] [--seeds 1]
        [--design-seed 0] [--workers 2] [--executor local|serial|dask]
        [--scheduler ADDRESS] [--set KEY=VALUE ...] [--out out/verdict]

The output folder must be new or empty (exit code 2 with one line naming --out).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULTS = {"n": 64, "seeds": 1}
"""The documented size (docs/results.md)."""


def main(argv: list[str] | None = None) -> int:
    from sim.experiments.fairtest.options import add_run_options

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=DEFAULTS["n"])
    parser.add_argument("--seeds", type=int, default=DEFAULTS["seeds"])
    add_run_options(parser, ROOT / "out" / "verdict")
    args = parser.parse_args(argv)

    from sim.experiments.fairtest import runs, verdict
    from sim.experiments.fairtest.options import fresh_folder, model_fingerprint, parse_sets
    from sim.presentation.plots.style import save_figure
    from sim.presentation.plots.verdict import plot_sobol
    from sim.scenario import ScenarioError, apply_overrides, load_scenario

    try:
        fresh_folder(args.out)
        if args.seeds < 1:
            raise ValueError(f"--seeds: need at least 1, got {args.seeds}")
        overrides = parse_sets(args.sets)
        scenario = apply_overrides(load_scenario(args.scenario), overrides)
        measure = runs.executor_measures(scenario, None, args.executor, args.workers,
                                         args.scheduler, progress=not args.quiet)
        verdict.sobol_design(verdict.problem(verdict.PARAMETERS, scenario), args.n)
        started = time.perf_counter()
        result = verdict.verdict(measure, args.n, args.seeds, scenario=scenario,
                                 design_seed=args.design_seed)
        wall = time.perf_counter() - started
    except (ValueError, ScenarioError, runs.FairTestError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    result.settings.update({"scenario": args.scenario, "overrides": overrides,
                            "model": model_fingerprint(scenario)})
    verdict.save(result, args.out)
    fig = plot_sobol(result.indices, verdict.DIFFERENCES, verdict.DUMMY)
    save_figure(fig, args.out / "figures", "verdict_sobol")
    print(verdict.indices_markdown(result))
    print("deciding assumptions:")
    print(result.deciding.to_string(index=False))
    for message in result.messages:
        print(f"note: {message}")
    print(f"wall time {wall:.0f} s; results in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
