"""Run the experiment sweeps and draw their figures into docs/figures/.

Usage::

    python experiments/run_sweeps.py                 # run (resuming) and draw everything
    python experiments/run_sweeps.py --figures-only  # redraw from saved results
    python experiments/run_sweeps.py --workers 2 --out out/experiments
    python experiments/run_sweeps.py --only sponsor_reach   # one experiment (repeatable)

Each sweep writes raw results (per-run files, results.parquet, summary, manifest) under
``--out``; the figures are drawn from those saved tables only, never by rerunning
(STYLE: experiments separate from analysis). Rerunning resumes: stored runs are skipped.

Sweeps (files in experiments/sweeps/):

- ``training_transfer``: training dose x immediate transfer, none vs training.
- ``sponsor_reach``: number of themes x sponsor reach, training vs teams.
- ``teams_vs_training``: Latin hypercube for scenario discovery (PRIM).
- ``morris``: a Morris sensitivity screening of the same ranges.
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
#: The experiments, in the order they run; ``--only`` picks some of them.
EXPERIMENTS = ("training_transfer", "sponsor_reach", "teams_vs_training", "morris")


def morris_sweep():
    """The Morris screening: the discovery sweep's ranges, 6 trajectories, 1 replication."""
    from sim.experiments.sweep import load_sweep

    morris = load_sweep(SWEEPS / "teams_vs_training.toml", design_method="morris")
    return morris.model_copy(update={"spec": morris.spec.model_copy(
        update={"replications": 1,
                "design": morris.spec.design.model_copy(update={"samples": 6})})})


def run_all(out: Path, workers: int | None, only: tuple[str, ...] = EXPERIMENTS) -> None:
    """Run (or resume) the experiment sweeps named in ``only``."""
    from sim.experiments.sweep import load_sweep, run_sweep

    for name in only:
        if name == "morris":
            report = run_sweep(morris_sweep(), out / "teams_vs_training_morris",
                               workers=workers)
        else:
            report = run_sweep(load_sweep(SWEEPS / f"{name}.toml"), out / name,
                               workers=workers)
        print(f"{name}: {report.computed} computed, {report.skipped} stored, "
              f"{len(report.failed)} failed, {report.runs_per_minute:.0f} runs/min")


def half_width(stats: pd.DataFrame) -> pd.Series:
    """Half-width of the 95% t interval of a mean, from its std and count (few replications)."""
    from scipy import stats as sps

    n = stats["count"].to_numpy()
    return pd.Series(sps.t.ppf(0.975, np.maximum(n - 1, 1)) * stats["std"] / np.sqrt(n),
                     index=stats.index)


def paired_advantage(out: Path, better: str, worse: str, params: list[str]) -> pd.DataFrame:
    """Mean and 95% t interval of (worse - better) distance at WEEK per parameter point."""
    import pyarrow.parquet as pq

    table = pq.read_table(out / "results.parquet", filters=[("week", "==", WEEK)],
                          columns=["point", "strategy", "replication", *params, OUTCOME])
    frame = table.to_pandas()
    wide = frame.pivot_table(index=["point", "replication", *params], columns="strategy",
                             values=OUTCOME).reset_index()
    wide["advantage"] = wide[worse] - wide[better]
    stats = wide.groupby(params)["advantage"].agg(["mean", "std", "count"]).reset_index()
    stats["ci95"] = half_width(stats)
    return stats


def paired_cost_ratio(out: Path, better: str, worse: str, params: list[str]) -> pd.DataFrame:
    """Mean and 95% t interval of cost(better) / cost(worse) at WEEK per parameter point."""
    import pyarrow.parquet as pq

    table = pq.read_table(out / "results.parquet", filters=[("week", "==", WEEK)],
                          columns=["point", "strategy", "replication", *params, "cost_cum"])
    wide = table.to_pandas().pivot_table(index=["point", "replication", *params],
                                         columns="strategy", values="cost_cum").reset_index()
    wide["ratio"] = wide[better] / wide[worse]
    stats = wide.groupby(params)["ratio"].agg(["mean", "std", "count"]).reset_index()
    stats["ci95"] = half_width(stats)
    return stats


def peak_teams(out: Path, params: list[str], strategy: str = "teams") -> pd.DataFrame:
    """Mean over replications of the most teams working at once in a run, per point."""
    import pyarrow.parquet as pq

    frame = pq.read_table(out / "results.parquet", filters=[("strategy", "==", strategy)],
                          columns=["point", "replication", *params, "teams_active"]).to_pandas()
    peak = frame.groupby(["point", "replication", *params])["teams_active"].max()
    return peak.groupby(params).mean().rename("peak_teams").reset_index()


def draw_heat(fig, ax, stats: pd.DataFrame, x: str, y: str, title: str, label: str,
              centre: float = 0.0, fmt: str = "+.3f", cmap: str = "PuOr_r") -> None:
    """One heatmap panel: the mean per cell with its 95% interval, colours centred."""
    grid = stats.pivot(index=y, columns=x, values="mean")
    ci = stats.pivot(index=y, columns=x, values="ci95")
    limit = float(np.nanmax(np.abs(grid.to_numpy() - centre))) or 1.0
    image = ax.imshow(grid.to_numpy(), cmap=cmap, vmin=centre - limit, vmax=centre + limit,
                      origin="lower", aspect="auto")
    ax.set_xticks(range(grid.shape[1]), [f"{v:g}" for v in grid.columns])
    ax.set_yticks(range(grid.shape[0]), [f"{v:g}" for v in grid.index])
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    ax.grid(False)
    for i in range(grid.shape[0]):
        for j in range(grid.shape[1]):
            dark = abs(grid.iat[i, j] - centre) > 0.6 * limit  # light text on dark cells
            ax.text(j, i, f"{grid.iat[i, j]:{fmt}}\n±{ci.iat[i, j]:{fmt.lstrip('+')}}",
                    ha="center", va="center", fontsize=7, color="white" if dark else "black")
    fig.colorbar(image, ax=ax, label=label)
    ax.set_title(title)


def heatmap(stats: pd.DataFrame, x: str, y: str, title: str, label: str):
    """A heatmap of the mean paired advantage, annotated with mean and interval."""
    from sim.presentation.plots.style import figure_style, new_figure

    with figure_style():
        fig = new_figure(6.2, 4.4)
        draw_heat(fig, fig.subplots(), stats, x, y, title, label)
    return fig


def themes_by_reach_figure(advantage: pd.DataFrame, cost: pd.DataFrame, x: str, y: str):
    """Two panels: the paired distance advantage of teams, and teams' cost over training's."""
    from sim.presentation.plots.style import figure_style, new_figure

    with figure_style():
        fig = new_figure(11.5, 4.4)
        left, right = fig.subplots(1, 2)
        draw_heat(fig, left, advantage, x, y,
                  f"distance to target at week {WEEK}: training - teams",
                  "training - teams (above 0: teams closer to target)")
        draw_heat(fig, right, cost, x, y, f"cost by week {WEEK}: teams / training",
                  "cost of teams / cost of training", centre=1.0, fmt=".2f", cmap="RdBu_r")
    return fig


def draw_all(out: Path, only: tuple[str, ...] = EXPERIMENTS) -> list[Path]:
    """Draw the figures of the experiments in ``only`` from saved results into docs/figures/."""
    from sim.experiments.discovery import Question
    from sim.experiments.sensitivity import indices_table
    from sim.presentation.analysis import discover
    from sim.presentation.plots.sensitivity import plot_indices
    from sim.presentation.plots.style import save_figure

    written: list[Path] = []
    if "training_transfer" in only:
        stats = paired_advantage(out / "training_transfer", "training", "none",
                                 ["training.dose", "training.transfer_immediate"])
        stats.to_csv(out / "training_transfer" / "advantage.csv", index=False)
        fig = heatmap(stats, "training.dose", "training.transfer_immediate",
                      f"training vs none: distance to target closed by week {WEEK}",
                      "none - training (higher: training better)")
        written += save_figure(fig, FIGURES, "sweep_training_transfer")

    if "sponsor_reach" in only:
        params = ["teams.sponsor_invitations", "teams.theme_count"]
        stats = paired_advantage(out / "sponsor_reach", "teams", "training", params)
        cost = paired_cost_ratio(out / "sponsor_reach", "teams", "training", params)
        table = stats.merge(cost, on=params, suffixes=("", "_cost_ratio")).merge(
            peak_teams(out / "sponsor_reach", params), on=params)
        table.to_csv(out / "sponsor_reach" / "advantage.csv", index=False)
        print(table.round(4).to_string(index=False))
        fig = themes_by_reach_figure(stats, cost, *params)
        written += save_figure(fig, FIGURES, "sweep_sponsor_reach")

    if "teams_vs_training" in only:
        question = Question(better="teams", worse="training", outcome=OUTCOME, week=WEEK)
        found = discover(out / "teams_vs_training", question, fig_dir=FIGURES)
        written += found["paths"][1:]
        print(f"{question.describe()} teams wins at {found['share']:.0%} of the points")
        print(found["limits"][found["limits"]["restricted"]].to_string(index=False))

    morris_out = out / "teams_vs_training_morris"
    if "morris" in only and (morris_out / "summary.parquet").is_file():
        table = indices_table(morris_sweep(), morris_out, "morris")
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
    parser.add_argument("--only", action="append", choices=EXPERIMENTS,
                        help="run and draw only this experiment (repeatable; default: all)")
    args = parser.parse_args()
    only = tuple(args.only) if args.only else EXPERIMENTS
    if not args.figures_only:
        run_all(args.out, args.workers, only)
    for path in draw_all(args.out, only):
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
