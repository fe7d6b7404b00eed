"""Equal-budget comparison of training and teams designs on the case (docs/results.md,
"At equal budgets").

Each strategy's design levers (training: cohort size, days per trainee, refreshers; teams:
number of themes, sponsor reach, open-call reach, team size cap, session hours, coaching
hours; ranges in ``sim.experiments.fairtest.frontier.LEVERS``) are sampled on a Latin hypercube;
every design and ``none`` run on the same paired seeds. The script draws each strategy's
cost-effectiveness frontier (alignment, lasting alignment, integration, client value against
total cost, pymoo's non-dominated sorting) and compares the two frontiers at three budget
levels by re-running each strategy's best affordable design on fresh paired seeds.

Documented size (the results page): ``--designs 32 --seeds 3 --fresh-seeds 10`` = 32 + 1
designs x 2 strategies x 3 seeds + 3 runs of none, then up to 24 chosen designs x 10 fresh
seeds + 10 runs of none: at most 449 runs of the case (291 in the documented run: 83 s on 2
quiet cores; docs/performance.md)
Scale out with ``--executor dask --scheduler ADDRESS``.

Usage:
    .venv/bin/python experiments/equal_budget.py [--scenario case] [--designs 32]
        [--seeds 3] [--fresh-seeds 10] [--design-seed 0] [--workers 2]
        [--executor local|serial|dask] [--scheduler ADDRESS] [--set KEY=VALUE ...]
        [--out out/equal_budget]

The output folder must be new or empty: an earlier experiment's results are never
overwritten (exit code 2 with one line naming --out).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULTS = {"designs": 32, "seeds": 3, "fresh_seeds": 10}
"""The documented size (docs/results.md)."""


def main(argv: list[str] | None = None) -> int:
    from sim.experiments.fairtest.options import add_run_options

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--designs", type=int, default=DEFAULTS["designs"])
    parser.add_argument("--seeds", type=int, default=DEFAULTS["seeds"])
    parser.add_argument("--fresh-seeds", type=int, default=DEFAULTS["fresh_seeds"])
    add_run_options(parser, ROOT / "out" / "equal_budget")
    args = parser.parse_args(argv)

    from sim.experiments.fairtest import frontier, runs
    from sim.experiments.fairtest.options import fresh_folder, model_fingerprint, parse_sets
    from sim.presentation.plots.frontier import plot_frontiers
    from sim.presentation.plots.style import save_figure
    from sim.scenario import ScenarioError, apply_overrides, load_scenario

    try:
        fresh_folder(args.out)
        overrides = parse_sets(args.sets)
        scenario = apply_overrides(load_scenario(args.scenario), overrides)
        measure = runs.executor_measures(scenario, None, args.executor, args.workers,
                                         args.scheduler, progress=not args.quiet)
        started = time.perf_counter()
        result = frontier.equal_budget(measure, scenario, args.designs, args.seeds,
                                       args.fresh_seeds, args.design_seed)
        wall = time.perf_counter() - started
    except (ValueError, ScenarioError, runs.FairTestError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    result.settings.update({"scenario": args.scenario, "overrides": overrides,
                            "model": model_fingerprint(scenario)})
    frontier.save(result, args.out)
    fig = plot_frontiers(result.summary, frontier.TITLES, result.budgets)
    save_figure(fig, args.out / "figures", "equal_budget_frontier")
    runs_done = int(len(result.effects) + len(result.settings["seeds"]))
    print(frontier.comparison_markdown(result))
    print(f"wall time {wall:.0f} s ({runs_done} sampling runs and the fresh-seed re-runs); "
          f"results in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
