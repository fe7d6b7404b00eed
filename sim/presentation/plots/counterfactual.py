"""Figures of the counterfactual outcomes: effect over time, CE plane, acceptability curve.

All three read the tables of ``sim.experiments.counterfactual`` (never the runs). The
cost-effectiveness
plane follows the health-economics convention (Black 1990): incremental effect on the x-axis,
incremental cost on the y-axis, ``none`` at the origin; the acceptability curve follows
Fenwick, Claxton & Sculpher (2001).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Ellipse
from scipy import stats as sps

from sim.experiments.counterfactual import ALIGNMENT_EFFECT, BASELINE
from sim.presentation.plots.style import (
    INTERVENTION_SHADE,
    OKABE_ITO,
    figure_style,
    new_figure,
    strategy_colours,
)

EUR_SCALE = 1_000.0
"""Costs are drawn in thousands of euros."""


def confidence_ellipse(x: np.ndarray, y: np.ndarray, level: float = 0.95
                       ) -> tuple[float, float, float, float, float] | None:
    """Centre, width, height and angle (degrees) of the confidence ellipse of the mean.

    The ellipse is {m : n (m − x̄)ᵀ S⁻¹ (m − x̄) ≤ χ²₂(level)} with S the sample covariance of
    the paired points: the large-sample 95 % region of the mean (incremental effect, cost).
    None when fewer than three points or a degenerate covariance.
    """
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = np.asarray(x, dtype=float)[ok], np.asarray(y, dtype=float)[ok]
    n = x.size
    if n < 3:
        return None
    cov = np.cov(np.vstack([x, y])) / n
    vals, vecs = np.linalg.eigh(cov)
    if not np.all(np.isfinite(vals)) or vals.max() <= 0:
        return None
    vals = np.clip(vals, 0.0, None)
    scale = float(sps.chi2.ppf(level, df=2))
    width, height = 2.0 * np.sqrt(scale * vals[::-1])
    angle = float(np.degrees(np.arctan2(vecs[1, -1], vecs[0, -1])))
    return float(x.mean()), float(y.mean()), float(width), float(height), angle


def draw_ce_cloud(ax, x: np.ndarray, y: np.ndarray, colour: str, label: str, level: float,
                  dot_size: float) -> None:
    """One strategy on a cost-effectiveness plane: a dot per paired seed, the mean as a
    diamond (labelled) and the ``level`` confidence ellipse of the mean."""
    ax.scatter(x, y, s=dot_size, color=colour, alpha=0.45, lw=0)
    ax.plot([np.nanmean(x)], [np.nanmean(y)], "D", ms=7, color=colour, mec="black",
            label=label)
    ell = confidence_ellipse(x, y, level)
    if ell is not None:
        cx, cy, w, h, angle = ell
        ax.add_patch(Ellipse((cx, cy), w, h, angle=angle, fill=False, color=colour, lw=1.3))


def plot_ce_plane(ce_plane: pd.DataFrame, strategies: Sequence[str] | None = None,
                  level: float = 0.95) -> Figure:
    """Incremental cost against incremental effect over ``none``, one dot per paired seed.

    Args:
        ce_plane: table from ``sim.experiments.counterfactual.counterfactual_tables`` (strategy,
            replication, incremental_effect in points, incremental_cost in EUR).
        strategies: legend order (default: order of appearance).
        level: confidence level of the ellipses of the means.

    Returns:
        The figure; diamonds are strategy means with their 95 % confidence ellipse.
    """
    strategies = [s for s in (strategies or dict.fromkeys(ce_plane["strategy"]))
                  if s in set(ce_plane["strategy"])]
    colours = strategy_colours([BASELINE, *strategies])
    with figure_style():
        fig = new_figure(6.0, 4.6)
        ax = fig.subplots()
        ax.axhline(0.0, color=OKABE_ITO["black"], lw=0.8)
        ax.axvline(0.0, color=OKABE_ITO["black"], lw=0.8)
        ax.plot([0.0], [0.0], "o", color=colours[BASELINE], ms=6, label=f"{BASELINE} (origin)")
        for strategy in strategies:
            sub = ce_plane[ce_plane["strategy"] == strategy]
            x = sub["incremental_effect"].to_numpy(dtype=float)
            y = sub["incremental_cost"].to_numpy(dtype=float) / EUR_SCALE
            draw_ce_cloud(ax, x, y, colours[strategy], f"{strategy} (mean, {level:.0%} ellipse)",
                          level, dot_size=14)
        ax.set_xlabel(f"incremental effect over {BASELINE}: alignment at end of run "
                      "(percentage points)")
        ax.set_ylabel(f"incremental cost over {BASELINE} (thousand EUR)")
        ax.set_title("Cost-effectiveness plane (one dot per paired seed)")
        ax.legend(loc="best")
    return fig


def plot_ceac(ceac: pd.DataFrame, strategies: Sequence[str] | None = None) -> Figure:
    """Probability that each option is the most cost-effective, against willingness to pay.

    Args:
        ceac: table with wtp (EUR per point), strategy (``none`` included), probability.
        strategies: legend order (default: order of appearance).
    """
    names = list(strategies or dict.fromkeys(ceac["strategy"]))
    names = [s for s in dict.fromkeys([BASELINE, *names]) if s in set(ceac["strategy"])]
    colours = strategy_colours(names)
    with figure_style():
        fig = new_figure(6.0, 4.0)
        ax = fig.subplots()
        for strategy in names:
            sub = ceac[ceac["strategy"] == strategy].sort_values("wtp")
            ax.plot(sub["wtp"] / EUR_SCALE, sub["probability"], color=colours[strategy],
                    lw=1.6, label=strategy)
        ax.set_ylim(-0.02, 1.02)
        ax.set_xlabel("willingness to pay per point of alignment (thousand EUR)")
        ax.set_ylabel("probability most cost-effective")
        ax.set_title("Cost-effectiveness acceptability curve (paired bootstrap over seeds)")
        ax.legend(loc="best")
    return fig


def plot_effects(weekly_effects: pd.DataFrame, intervention_weeks: int,
                 strategies: Sequence[str] | None = None,
                 metric: str = ALIGNMENT_EFFECT) -> Figure:
    """Effect over ``none`` per week (mean of paired seeds, 95 % band), intervention shaded."""
    sub_all = weekly_effects[weekly_effects["metric"] == metric]
    names = [s for s in (strategies or dict.fromkeys(sub_all["strategy"]))
             if s in set(sub_all["strategy"])]
    colours = strategy_colours([BASELINE, *names])
    with figure_style():
        fig = new_figure(6.0, 3.8)
        ax = fig.subplots()
        ax.axvspan(0, intervention_weeks, color=INTERVENTION_SHADE, alpha=0.5, lw=0,
                   label="intervention")
        ax.axhline(0.0, color=colours[BASELINE], lw=0.8, ls="--", label=BASELINE)
        for strategy in names:
            sub = sub_all[sub_all["strategy"] == strategy].sort_values("week")
            c = colours[strategy]
            ax.fill_between(sub["week"], sub["low"], sub["high"], color=c, alpha=0.25, lw=0)
            ax.plot(sub["week"], sub["mean"], color=c, lw=1.5, label=strategy)
        ax.set_xlabel("week")
        ax.set_ylabel(f"better aligned than {BASELINE} (percentage points)")
        ax.set_title(f"Effect on alignment over {BASELINE}: paired mean with 95 % band")
        ax.legend(loc="best")
    return fig
