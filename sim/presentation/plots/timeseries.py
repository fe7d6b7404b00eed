"""Small multiples of key weekly outputs, mean per strategy with 95 % bands."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
from matplotlib.figure import Figure

from sim.experiments.outcomes import METRIC_INFO
from sim.presentation.plots.style import (
    INTERVENTION_SHADE,
    figure_style,
    new_figure,
    strategy_colours,
)

KEY_METRICS: tuple[str, ...] = (
    "distance_to_target",
    "city_divergence",
    "cross_city_ties",
    "contract_strength",
    "engagement",
    "leavers_cum",
    "cost_cum",
    "client_value",
)
"""The outputs shown by default: alignment, integration, network, people, money, results."""

EUR_SCALE = 1_000.0
"""Costs are drawn in thousands of euros so tick labels stay short."""


def plot_timeseries(
    weekly: pd.DataFrame,
    intervention_weeks: int,
    metrics: Sequence[str] | None = None,
    strategies: Sequence[str] | None = None,
    ncols: int = 4,
) -> Figure:
    """One panel per metric: weekly mean per strategy, 95 % band, intervention shaded.

    Args:
        weekly: long table from ``sim.experiments.stats.weekly_intervals`` (strategy, week, metric,
            mean, low, high).
        intervention_weeks: length of the intervention; weeks [0, this] are shaded.
        metrics: metrics to draw (default: KEY_METRICS present in ``weekly``).
        strategies: order of strategies in legend (default: order of appearance).
        ncols: panels per row.

    Returns:
        The figure (not saved).
    """
    present = list(dict.fromkeys(weekly["metric"]))
    metrics = [m for m in (metrics or KEY_METRICS) if m in present]
    strategies = list(strategies or dict.fromkeys(weekly["strategy"]))
    colours = strategy_colours(strategies)
    ncols = max(1, min(ncols, len(metrics)))
    nrows = math.ceil(len(metrics) / ncols)
    with figure_style():
        fig = new_figure(3.0 * ncols, 2.4 * nrows + 0.6)
        axes = fig.subplots(nrows, ncols, squeeze=False, sharex=True).ravel()
        for ax, metric in zip(axes, metrics, strict=False):
            name, unit = METRIC_INFO.get(metric, (metric, ""))
            scale = EUR_SCALE if metric == "cost_cum" else 1.0
            if metric == "cost_cum":
                unit = "thousand EUR"
            ax.axvspan(0, intervention_weeks, color=INTERVENTION_SHADE, alpha=0.5, lw=0,
                       label="intervention")
            for strategy in strategies:
                sub = weekly[(weekly["metric"] == metric) & (weekly["strategy"] == strategy)]
                if sub.empty:
                    continue
                sub = sub.sort_values("week")
                c = colours[strategy]
                ax.fill_between(sub["week"], sub["low"] / scale, sub["high"] / scale,
                                color=c, alpha=0.25, lw=0)
                ax.plot(sub["week"], sub["mean"] / scale, color=c, lw=1.5, label=strategy)
            ax.set_title(name)
            ax.set_ylabel(unit)
            ax.set_xlabel("week")
            ax.tick_params(labelbottom=True)
        for ax in axes[len(metrics):]:
            ax.set_visible(False)
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside lower center", ncols=len(labels))
        fig.suptitle("Key outputs over time: mean of replications with 95 % confidence band")
    return fig
