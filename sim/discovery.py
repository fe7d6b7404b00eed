"""Scenario discovery: where in parameter space does one strategy beat another?

A sweep gives, per parameter point, paired runs of two strategies (same seeds: common
random numbers). A point is a *case of interest* when the first strategy beats the second
on an outcome, averaged over replications. PRIM, the Patient Rule Induction Method
(Friedman & Fisher 1999), as used for scenario discovery by Bryant & Lempert (2010), then
finds boxes (ranges per parameter) that hold many of those points (coverage) and few
others (density). We use the EMA Workbench's PRIM (Kwakkel 2017), a maintained
implementation built for exactly this use.

Example question: "where does ``teams`` beat ``training`` on ``distance_to_target`` at
week 156?" -> ``Question(better="teams", worse="training", outcome="distance_to_target",
week=156)``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

#: PRIM's default peeling step and minimum box mass (Friedman & Fisher 1999: 0.05).
PEEL_ALPHA = 0.05
MASS_MIN = 0.05
#: A box is chosen on the peeling trajectory as the widest one at most this much less dense
#: than the densest box on it.
DENSITY_SLACK = 0.05


@dataclass(frozen=True)
class Question:
    """Which strategy is hoped to win, against which, on what, and when.

    Attributes:
        better: the strategy whose win is the case of interest.
        worse: the strategy it is compared with.
        outcome: a weekly output (``distance_to_target``, ``cost_cum``, ...) or a run
            outcome (``durability``, ``weeks_to_integration``, ...; at week "final").
        week: the week to compare at, or "final" (each run's last recorded week).
        margin: how much better counts as a win (in the outcome's unit; default 0).
        direction: "lower" or "higher" is better; default: the outcome's own direction,
            as the registry declares it (``sim.observables``).
    """

    better: str
    worse: str
    outcome: str
    week: int | Literal["final"] = "final"
    margin: float = 0.0
    direction: Literal["lower", "higher"] | None = None

    @property
    def lower_is_better(self) -> bool:
        """Whether a lower outcome value is the better one."""
        if self.direction is not None:
            return self.direction == "lower"
        from sim.observables import get

        return get(self.outcome).better == "lower"

    def describe(self) -> str:
        """The question in words."""
        when = "at the end" if self.week == "final" else f"at week {self.week}"
        return f"where does {self.better} beat {self.worse} on {self.outcome} {when}?"


def paired_cases(out: Path | str, question: Question) -> tuple[pd.DataFrame, pd.Series]:
    """Parameter values and mean paired advantage of ``better`` over ``worse`` per point.

    Returns:
        (x, advantage): x has one row per parameter point and one column per swept
        parameter; advantage > margin means ``better`` wins there (positive is better,
        whatever the outcome's direction).

    Raises:
        ValueError: a strategy is not in the sweep, the week was not recorded, or the two
            strategies' runs of a point and replication do not share a seed.
    """
    from sim.observables import weekly
    from sim.results import load_results

    out = Path(out)
    results = load_results(out)
    summary = results.experiments
    summary = summary[summary["status"] == "ok"]
    params = [c for c in summary.columns if "." in c]
    for name in (question.better, question.worse):
        if name not in set(summary["strategy"]):
            raise ValueError(f"question: strategy {name!r} is not in this sweep")
    if question.outcome not in weekly():  # a run outcome: computed from the weekly rows
        if question.week != "final":
            raise ValueError(f"question.week: {question.outcome} is one number per run; "
                             "use the final week")
        values = results.outcomes[["point", "strategy", "replication", question.outcome]]
    elif question.week == "final":
        values = summary.rename(columns={f"final_{question.outcome}": question.outcome})
    else:
        import pyarrow.parquet as pq

        values = pq.read_table(
            out / "results.parquet",
            filters=[("week", "==", int(question.week))],
            columns=["point", "strategy", "replication", question.outcome],
        ).to_pandas()
        if values.empty:
            raise ValueError(f"question.week: week {question.week} was not recorded")
    seeds = summary.pivot_table(index=["point", "replication"], columns="strategy",
                                values="seed", aggfunc="first")
    both = seeds[[question.better, question.worse]].dropna()
    if not (both[question.better] == both[question.worse]).all():
        raise ValueError("question: the two strategies' runs do not share seeds per point and "
                         "replication, so they cannot be paired")
    wide = values.pivot_table(index=["point", "replication"], columns="strategy",
                              values=question.outcome, aggfunc="first")
    diff = wide[question.worse] - wide[question.better]
    if not question.lower_is_better:
        diff = -diff
    advantage = diff.dropna().groupby(level="point").mean()
    x = summary.drop_duplicates("point").set_index("point")[params].loc[advantage.index]
    return x, advantage


def _choose(box: Any, slack: float) -> int:
    """Index on the peeling trajectory: the widest box nearly as dense as the densest.

    Why: the last box on the trajectory is the densest but often tiny; the first is the
    whole space. Allowing ``slack`` below the best density trades a little purity for
    much more coverage, the usual choice in scenario discovery (Bryant & Lempert 2010).
    """
    traj = box.peeling_trajectory
    good = traj[traj["density"] >= traj["density"].max() - slack]
    return int(good["coverage"].idxmax())


def find_boxes(
    x: pd.DataFrame,
    cases: np.ndarray,
    max_boxes: int = 3,
    slack: float = DENSITY_SLACK,
    mass_min: float = MASS_MIN,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run PRIM and return the boxes' limits and their statistics.

    Args:
        x: parameter values, one row per point.
        cases: True where the point is a case of interest.
        max_boxes: stop after this many boxes.
        slack: choose each box as the widest one on its trajectory whose density is at
            most this much below the densest box's.
        mass_min: smallest share of points a box may hold.

    Returns:
        (limits, stats): limits has one row per box and parameter (box, parameter, min,
        max, restricted); stats one row per box (box, coverage, density, mass, res_dim, n).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import prim

    x = x.reset_index(drop=True).copy()
    for col in x.columns:  # PRIM pastes fractional limits: keep every number a float
        if x[col].dtype == bool or pd.api.types.is_numeric_dtype(x[col]):
            x[col] = x[col].astype(float)
    y = np.asarray(cases, dtype=bool)
    limits: list[dict[str, Any]] = []
    stats: list[dict[str, Any]] = []
    if y.all() or not y.any():
        return (pd.DataFrame(columns=["box", "parameter", "min", "max", "restricted"]),
                pd.DataFrame(columns=["box", "coverage", "density", "mass", "res_dim", "n"]))
    with warnings.catch_warnings():  # the Workbench's own pandas deprecation notices
        warnings.simplefilter("ignore")
        finder = prim.Prim(x, y, peel_alpha=PEEL_ALPHA, mass_min=mass_min)
    initial = finder.box_init
    for number in range(1, max_boxes + 1):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            box = finder.find_box()
        if box is None:
            break
        box.select(_choose(box, slack))
        if float(box.coverage) <= 0.0:  # every case of interest is already in a box
            break
        lim = box.box_lim
        stats.append({"box": number, "coverage": float(box.coverage),
                      "density": float(box.density), "mass": float(box.mass),
                      "res_dim": int(box.res_dim), "n": len(box.yi)})
        for col in x.columns:
            lo, hi = lim[col].iloc[0], lim[col].iloc[1]
            restricted = bool(lo != initial[col].iloc[0] or hi != initial[col].iloc[1])
            limits.append({"box": number, "parameter": col, "min": lo, "max": hi,
                           "restricted": restricted})
        if float(box.density) <= float(y.mean()):  # no better than chance: stop boxing
            break
    return pd.DataFrame(limits), pd.DataFrame(stats)


def plot_boxes(x: pd.DataFrame, cases: np.ndarray, limits: pd.DataFrame,
               stats: pd.DataFrame, title: str) -> Any:
    """Two panels: each box's limits on normalised axes, and the points with box 1 drawn.

    The scatter shows the two parameters that box 1 restricts most (or the first two).
    """
    from matplotlib.patches import Rectangle

    from sim.plots.style import OKABE_ITO, figure_style, new_figure

    params = list(x.columns)
    lo_all, hi_all = x.min(), x.max()
    with figure_style():
        fig = new_figure(10, max(3.2, 0.5 * len(params) + 1.5))
        ax_lim, ax_pts = fig.subplots(1, 2, width_ratios=[1.2, 1])
        palette = [OKABE_ITO["blue"], OKABE_ITO["vermillion"], OKABE_ITO["bluish_green"]]
        for k, row in stats.reset_index(drop=True).iterrows():
            box = limits[limits["box"] == row["box"]].set_index("parameter").reindex(params)
            span = (hi_all - lo_all).replace(0, 1)
            lo = (box["min"] - lo_all) / span
            hi = (box["max"] - lo_all) / span
            ypos = np.arange(len(params)) + (k - (len(stats) - 1) / 2) * 0.25
            ax_lim.hlines(ypos, lo, hi, colors=palette[k % 3], linewidth=5,
                          label=f"box {int(row['box'])}: coverage {row['coverage']:.2f}, "
                                f"density {row['density']:.2f}")
        ax_lim.set_yticks(np.arange(len(params)), params)
        ax_lim.invert_yaxis()
        ax_lim.set_xlim(-0.05, 1.05)
        ax_lim.set_xlabel("share of the swept range")
        if len(stats):
            ax_lim.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18))
        y = np.asarray(cases, dtype=bool)
        first = limits[limits["box"] == 1]
        order = first.assign(width=(first["max"] - first["min"]).to_numpy()
                             / (hi_all - lo_all).replace(0, 1)[first["parameter"]].to_numpy())
        shown = list(order.sort_values("width")["parameter"][:2]) if len(first) else params[:2]
        if len(shown) == 1:
            shown = shown + [p for p in params if p != shown[0]][:1]
        if len(shown) == 2:
            a, b = shown
            ax_pts.scatter(x[a][~y], x[b][~y], s=14, color=OKABE_ITO["black"], alpha=0.35,
                           label="no win")
            ax_pts.scatter(x[a][y], x[b][y], s=18, color=OKABE_ITO["orange"], label="win")
            if len(first):
                lim = first.set_index("parameter")
                ax_pts.add_patch(Rectangle((lim.loc[a, "min"], lim.loc[b, "min"]),
                                           lim.loc[a, "max"] - lim.loc[a, "min"],
                                           lim.loc[b, "max"] - lim.loc[b, "min"], fill=False,
                                           edgecolor=OKABE_ITO["blue"], linewidth=2))
            ax_pts.set_xlabel(a)
            ax_pts.set_ylabel(b)
            ax_pts.legend(loc="best")
        fig.suptitle(title)
    return fig


def discover(out: Path | str, question: Question, fig_dir: Path | str | None = None,
             max_boxes: int = 3, table_dir: Path | str | None = None) -> dict[str, Any]:
    """Answer a question from a sweep's saved results; write boxes CSV and a figure.

    Writes ``discovery_<better>_vs_<worse>_<outcome>_boxes.csv`` (limits joined with the
    box statistics) in ``table_dir`` (default ``out``) and the figure (PNG and SVG) in
    ``fig_dir`` (default ``out/figures``).

    Returns:
        Paths written (the boxes CSV first, then the figures), the share of points where
        ``better`` wins, the tables (``limits``, ``stats``), and ``points``: per parameter
        point its values, the mean paired ``advantage`` and whether it is a ``win``.
    """
    from sim.plots.style import save_figure

    out = Path(out)
    x, advantage = paired_cases(out, question)
    cases = (advantage > question.margin).to_numpy()
    limits, stats = find_boxes(x, cases, max_boxes=max_boxes)
    stem = f"discovery_{question.better}_vs_{question.worse}_{question.outcome}"
    stem = stem.replace("+", "_plus_")
    table = limits.merge(stats, on="box", how="left") if len(stats) else limits
    direction = "lower" if question.lower_is_better else "higher"
    table = table.assign(outcome=question.outcome, week=str(question.week),  # the question,
                         better=question.better, worse=question.worse,   # so the table says
                         direction=direction, margin=question.margin,     # what a win was
                         peel_alpha=PEEL_ALPHA, mass_min=MASS_MIN)
    table_dir = Path(table_dir) if table_dir is not None else out
    table_dir.mkdir(parents=True, exist_ok=True)
    csv_path = table_dir / f"{stem}_boxes.csv"
    table.to_csv(csv_path, index=False)
    points = x.assign(advantage=advantage.to_numpy(), win=cases).reset_index()
    share = float(cases.mean()) if len(cases) else float("nan")
    fig = plot_boxes(x, cases, limits, stats,
                     f"{question.describe()} (wins at {share:.0%} of points)\n"
                     f"a win: {direction} by more than {question.margin:g}; PRIM peel "
                     f"{PEEL_ALPHA:g}, minimum mass {MASS_MIN:g}")
    figures = save_figure(fig, fig_dir or out / "figures", stem)
    return {"paths": [csv_path, *figures], "share": share, "limits": limits, "stats": stats,
            "points": points}
