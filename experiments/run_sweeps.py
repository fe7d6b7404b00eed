"""Run the experiment sweeps and draw their figures into docs/figures/.

Usage::

    python experiments/run_sweeps.py                 # run (resuming) and draw everything
    python experiments/run_sweeps.py --figures-only  # redraw from saved results
    python experiments/run_sweeps.py --workers 2 --out out/experiments

Each sweep writes raw results (per-run files, results.parquet, summary, manifest) under
``--out``; the figures are drawn from those saved tables only, never by rerunning
(STYLE: experiments separate from analysis). Rerunning resumes: stored runs are skipped.

Sweeps (files in experiments/sweeps/):

- ``training_transfer``: training dose x immediate transfer, none vs training.
- ``sponsor_reach``: sponsor reach x maximum team size, training vs teams.
- ``teams_vs_training``: Latin hypercube for scenario discovery (PRIM) and a Morris
  sensitivity screening of the same ranges.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SWEEPS = HERE / "sweeps"
FIGURES = ROOT / "docs" / "figures"

#: Week at which strategies are compared: the end of the case's follow-up.
WEEK = 156
#: Outcome the heatmaps and the discovery question look at.
OUTCOME = "distance_to_target"


def run_all(out: Path, workers: int | None) -> None:
    """Run (or resume) every experiment sweep, and the Morris screening."""
    from sim.sweep import load_sweep, run_sweep

    for name in ("training_transfer", "sponsor_reach", "teams_vs_training"):
        report = run_sweep(load_sweep(SWEEPS / f"{name}.toml"), out / name, workers=workers)
        print(f"{name}: {report.computed} computed, {report.skipped} stored, "
              f"{len(report.failed)} failed, {report.runs_per_minute:.0f} runs/min")
    morris = load_sweep(SWEEPS / "teams_vs_training.toml", design_method="morris")
    morris = morris.model_copy(update={"spec": morris.spec.model_copy(
        update={"replications": 1,
                "design": morris.spec.design.model_copy(update={"samples": 6})})})
    report = run_sweep(morris, out / "teams_vs_training_morris", workers=workers)
    print(f"morris: {report.computed} computed, {report.skipped} stored")


def paired_advantage(out: Path, better: str, worse: str, params: list[str]) -> pd.DataFrame:
    """Mean and 95% interval of (worse - better) distance at WEEK per parameter point."""
    import pyarrow.parquet as pq

    table = pq.read_table(out / "results.parquet", filters=[("week", "==", WEEK)],
                          columns=["point", "strategy", "replication", *params, OUTCOME])
    frame = table.to_pandas()
    wide = frame.pivot_table(index=["point", "replication", *params], columns="strategy",
                             values=OUTCOME).reset_index()
    wide["advantage"] = wide[worse] - wide[better]
    stats = wide.groupby(params)["advantage"].agg(["mean", "std", "count"]).reset_index()
    stats["ci95"] = 1.96 * stats["std"] / np.sqrt(stats["count"])
    return stats


def heatmap(stats: pd.DataFrame, x: str, y: str, title: str, label: str):
    """A heatmap of the mean paired advantage, annotated with mean and interval."""
    from sim.plots.style import figure_style, new_figure

    grid = stats.pivot(index=y, columns=x, values="mean")
    ci = stats.pivot(index=y, columns=x, values="ci95")
    with figure_style():
        fig = new_figure(6.2, 4.4)
        ax = fig.subplots()
        limit = float(np.nanmax(np.abs(grid.to_numpy()))) or 1.0
        image = ax.imshow(grid.to_numpy(), cmap="PuOr_r", vmin=-limit, vmax=limit,
                          origin="lower", aspect="auto")
        ax.set_xticks(range(grid.shape[1]), [f"{v:g}" for v in grid.columns])
        ax.set_yticks(range(grid.shape[0]), [f"{v:g}" for v in grid.index])
        ax.set_xlabel(x)
        ax.set_ylabel(y)
        ax.grid(False)
        for i in range(grid.shape[0]):
            for j in range(grid.shape[1]):
                ax.text(j, i, f"{grid.iat[i, j]:+.3f}\n±{ci.iat[i, j]:.3f}", ha="center",
                        va="center", fontsize=7)
        fig.colorbar(image, ax=ax, label=label)
        ax.set_title(title)
    return fig


def draw_all(out: Path) -> list[Path]:
    """Draw every experiment figure from the saved results into docs/figures/."""
    from sim.discovery import Question, discover
    from sim.plots.style import save_figure
    from sim.sensitivity import indices_table, plot_indices
    from sim.sweep import load_sweep

    written: list[Path] = []
    stats = paired_advantage(out / "training_transfer", "training", "none",
                             ["training.dose", "training.transfer_immediate"])
    stats.to_csv(out / "training_transfer" / "advantage.csv", index=False)
    fig = heatmap(stats, "training.dose", "training.transfer_immediate",
                  f"training vs none: distance to target closed by week {WEEK}",
                  "none - training (higher: training better)")
    written += save_figure(fig, FIGURES, "sweep_training_transfer")

    stats = paired_advantage(out / "sponsor_reach", "teams", "training",
                             ["teams.sponsor_invitations", "teams.max_size"])
    stats.to_csv(out / "sponsor_reach" / "advantage.csv", index=False)
    fig = heatmap(stats, "teams.sponsor_invitations", "teams.max_size",
                  f"teams vs training: distance to target at week {WEEK}",
                  "training - teams (higher: teams better)")
    written += save_figure(fig, FIGURES, "sweep_sponsor_reach")

    question = Question(better="teams", worse="training", outcome=OUTCOME, week=WEEK)
    found = discover(out / "teams_vs_training", question, fig_dir=FIGURES)
    written += found["paths"][1:]
    print(f"{question.describe()} teams wins at {found['share']:.0%} of the points")
    print(found["limits"][found["limits"]["restricted"]].to_string(index=False))

    morris_out = out / "teams_vs_training_morris"
    if (morris_out / "summary.parquet").is_file():
        loaded = load_sweep(SWEEPS / "teams_vs_training.toml", design_method="morris")
        loaded = loaded.model_copy(update={"spec": loaded.spec.model_copy(
            update={"replications": 1,
                    "design": loaded.spec.design.model_copy(update={"samples": 6})})})
        table = indices_table(loaded, morris_out, "morris")
        table.to_csv(morris_out / "indices.csv", index=False)
        fig = plot_indices(table, "morris", f"Morris screening at week {WEEK} (case)")
        written += save_figure(fig, FIGURES, "sweep_morris")
    return written


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "experiments")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--figures-only", action="store_true")
    args = parser.parse_args()
    if not args.figures_only:
        run_all(args.out, args.workers)
    for path in draw_all(args.out):
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
