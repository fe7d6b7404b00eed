"""Cost against alignment gained: every run, and the strategy means with 95 % intervals."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from matplotlib.figure import Figure

from sim.experiments.stats import mean_interval
from sim.presentation.plots.style import figure_style, new_figure, strategy_colours

EUR_SCALE = 1_000.0
"""Costs are drawn in thousands of euros."""


def plot_cost_alignment(
    outcomes: pd.DataFrame,
    strategies: Sequence[str] | None = None,
    x: str = "alignment_gain_final",
    y: str = "cost_total",
) -> Figure:
    """Scatter of total cost against durable alignment gain, one point per run.

    Args:
        outcomes: per-run table with strategy, ``x`` (percentage points) and ``y`` (EUR).
        strategies: legend order (default: order of appearance).
        x: alignment column.
        y: cost column.

    Returns:
        The figure; large markers with error bars are strategy means with 95 % intervals.
    """
    strategies = list(strategies or dict.fromkeys(outcomes["strategy"]))
    colours = strategy_colours(strategies)
    with figure_style():
        fig = new_figure(6.0, 4.5)
        ax = fig.subplots()
        for strategy in strategies:
            sub = outcomes[outcomes["strategy"] == strategy]
            c = colours[strategy]
            ax.scatter(sub[x], sub[y] / EUR_SCALE, s=14, color=c, alpha=0.45, lw=0)
            cx, cy = mean_interval(sub[x]), mean_interval(sub[y] / EUR_SCALE)
            ax.errorbar(cx.mean, cy.mean, xerr=cx.half_width, yerr=cy.half_width, fmt="D",
                        ms=7, color=c, mec="black", capsize=3, label=f"{strategy} (mean, 95 % CI)")
        ax.set_xlabel("alignment gained by end of follow-up (percentage points of distance)")
        ax.set_ylabel("total cost (thousand EUR)")
        ax.set_title("Cost against alignment gained (one dot per run)")
        ax.legend(loc="best")
    return fig
