"""The main figure a paper would print: alignment, integration and cost over time for
``none``, ``training`` and ``teams``, with the cost-effectiveness plane beside them.

Why these choices: the three outcomes of the case's claim share one time axis (the
intervention shaded), each drawn on its *full* axis from a stated baseline of 0 (a
truncated axis would make a one-point difference look like a landslide); the means of the
paired replications carry 95 % confidence bands; panel letters (a-d) let the text cite each
panel. The plane (d) puts the price of each strategy's extra alignment over ``none`` next to
the curves: one dot per paired seed, the mean with its 95 % confidence ellipse.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.presentation.plots.counterfactual import draw_ce_cloud
from sim.presentation.plots.style import (
    INTERVENTION_SHADE,
    OKABE_ITO,
    figure_style,
    new_figure,
    strategy_colours,
)

BASELINE_VALUE = 0.0
"""Every time panel's y axis starts here (the stated baseline: the scale's zero)."""

PANELS = (
    ("distance_to_target", "a", "alignment: distance to the stated culture",
     "normalised distance (0 = the stated culture)", 1.0),
    ("city_divergence", "b", "integration: divergence between the cities",
     "normalised divergence (0 = one culture)", 1.0),
    ("cost_cum", "c", "cost (cumulative, hiring included)", "EUR M", 1e6),
)
"""(metric, letter, title, y label, scale) of the three time panels."""


def _letter(ax, letter: str) -> None:
    ax.text(-0.16, 1.03, letter, transform=ax.transAxes, fontsize=13, fontweight="bold",
            va="bottom")


def plot_main(weekly: pd.DataFrame, ce_plane: pd.DataFrame, intervention_weeks: int,
              strategies: Sequence[str] = ("none", "training", "teams"),
              level: float = 0.95) -> Figure:
    """Draw the main figure.

    Args:
        weekly: ``sim.experiments.stats.weekly_intervals`` of the comparison (strategy, week,
        metric,
            mean, low, high) with at least the three panels' metrics.
        ce_plane: ``sim.experiments.counterfactual`` plane (strategy, replication,
        incremental_effect in
            points, incremental_cost in EUR).
        intervention_weeks: weeks [0, this] are shaded.
        strategies: drawn in this order (``none`` first).
        level: confidence level of the ellipses.
    """
    colours = strategy_colours(list(strategies))
    with figure_style():
        fig = new_figure(15.0, 3.9)
        grid = fig.add_gridspec(1, 4, width_ratios=[1, 1, 1, 1.25])
        for k, (metric, letter, title, ylabel, scale) in enumerate(PANELS):
            ax = fig.add_subplot(grid[0, k])
            ax.axvspan(0, intervention_weeks, color=INTERVENTION_SHADE, alpha=0.5, lw=0,
                       label="intervention")
            top = 0.0
            for strategy in strategies:
                sub = weekly[(weekly["metric"] == metric) & (weekly["strategy"] == strategy)]
                sub = sub.sort_values("week")
                if sub.empty:
                    continue
                c = colours[strategy]
                ax.fill_between(sub["week"], sub["low"] / scale, sub["high"] / scale,
                                color=c, alpha=0.25, lw=0)
                ax.plot(sub["week"], sub["mean"] / scale, color=c, lw=1.6, label=strategy)
                top = max(top, float(np.nanmax(sub["high"] / scale)))
            ax.set_ylim(BASELINE_VALUE, top * 1.08 if top > 0 else 1.0)
            ax.set_xlim(0, float(weekly["week"].max()))
            ax.set_title(title, loc="left")
            ax.set_xlabel("week")
            ax.set_ylabel(ylabel)
            _letter(ax, letter)
            if k == 0:
                ax.legend(loc="lower left")
        ax = fig.add_subplot(grid[0, 3])
        ax.axhline(0.0, color=OKABE_ITO["black"], lw=0.8)
        ax.axvline(0.0, color=OKABE_ITO["black"], lw=0.8)
        ax.plot([0.0], [0.0], "o", color=colours.get("none", OKABE_ITO["black"]), ms=6,
                label="none (origin)")
        for strategy in strategies:
            if strategy == "none":
                continue
            sub = ce_plane[ce_plane["strategy"] == strategy]
            if sub.empty:
                continue
            x = sub["incremental_effect"].to_numpy(dtype=float)
            y = sub["incremental_cost"].to_numpy(dtype=float) / 1e6
            draw_ce_cloud(ax, x, y, colours[strategy], f"{strategy}: mean, {level:.0%} ellipse",
                          level, dot_size=12)
        ax.set_xlabel("extra alignment over none at the end of the run (points)")
        ax.set_ylabel("extra cost over none (EUR M)")
        ax.set_title("cost-effectiveness plane (one dot per paired seed)", loc="left")
        ax.legend(loc="upper left")
        _letter(ax, "d")
    return fig
