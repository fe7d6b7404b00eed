"""Regenerate the case's strategy comparison shown in the docs and the README.

Runs ``merger-sim compare`` on the case scenario for all registered strategies. The first,
``training``, is the baseline of the paired differences, because the case's claim is about
teams *against* classic training; ``none`` shows what the merger does on its own. It writes
the full comparison folder (raw runs, tables, figures, report.html) and copies the main
figures into ``docs/figures/`` under stable names. The raw runs are kept, so figures can be
redrawn without rerunning: ``merger-sim compare --redraw --out OUT``.

Usage:
    .venv/bin/python experiments/strategy_comparison.py [--replications 30] [--workers 2]
        [--out out/strategy_comparison] [--strategies training,teams,...]
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_STRATEGIES = "training,teams,teams+training,assigned-teams,none"
DOC_FIGURES = {
    "timeseries": "strategy_comparison",
    "paired_differences": "strategy_comparison_paired",
    "cost_alignment": "strategy_comparison_cost",
}
"""Comparison figure -> file name under docs/figures/ (the README shows the first)."""


def main(argv: list[str] | None = None) -> int:
    """Run the comparison, then copy the documented figures; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default=str(ROOT / "scenarios" / "case.toml"))
    parser.add_argument("--strategies", default=DEFAULT_STRATEGIES)
    parser.add_argument("--replications", default="30", help="a number or 'auto'")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "strategy_comparison")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs" / "figures",
                        help="where the documented figures are copied")
    args = parser.parse_args(argv)

    from sim.experiments.stats import StoppingRule
    from sim.presentation.comparison import compare

    reps: int | StoppingRule = (StoppingRule() if args.replications == "auto"
                                else int(args.replications))
    report = compare(args.scenario, args.strategies.split(","), reps, args.out,
                     workers=args.workers, base_seed=args.seed)
    args.docs.mkdir(parents=True, exist_ok=True)
    for name, doc_name in DOC_FIGURES.items():
        for ext in (".png", ".svg"):
            shutil.copyfile(args.out / "figures" / f"{name}{ext}", args.docs / f"{doc_name}{ext}")
    print(f"report: {report}")
    print(f"figures: {', '.join(str(args.docs / (n + '.png')) for n in DOC_FIGURES.values())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
