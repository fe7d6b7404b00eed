"""Cost-effectiveness frontiers of each strategy's designs, one panel per outcome.

Why this figure: it answers "at the same budget, which design does more?" at a glance.
Every design is a faint dot (mean total cost, mean effect over ``none`` on the paired
sampling seeds); the designs on a strategy's frontier (no cheaper design does better) are
joined by a line and carry their 95 % intervals in both directions; the strategy's default
design (the case as described) is ringed; dotted verticals mark the budget levels at which
the frontiers are compared on fresh seeds (docs/results.md, "At equal budgets").
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.presentation.plots.style import OKABE_ITO, figure_style, new_figure, strategy_colours

EUR_SCALE = 1e6
"""Costs are drawn in millions of euros."""

PANEL_LETTERS = "abcdefgh"


def plot_frontiers(summary: pd.DataFrame, outcomes: dict[str, str],
                   budgets: Sequence[float] = ()) -> Figure:
    """Draw the frontiers.

    Args:
        summary: per design (``sim.experiments.fairtest.frontier.frontiers``): label, strategy,
            total_cost with interval, each outcome with interval, ``on_front_<outcome>``.
        outcomes: outcome column -> panel title.
        budgets: total costs (EUR) of the compared budget levels.
    """
    strategies = list(dict.fromkeys(summary["strategy"]))
    colours = strategy_colours(strategies)
    cols = 2 if len(outcomes) > 1 else 1
    rows = int(np.ceil(len(outcomes) / cols))
    with figure_style():
        fig = new_figure(5.2 * cols, 3.9 * rows)
        axes = np.atleast_1d(fig.subplots(rows, cols, squeeze=False)).ravel()
        for k, (outcome, title) in enumerate(outcomes.items()):
            ax = axes[k]
            for strategy in strategies:
                sub = summary[summary["strategy"] == strategy]
                c = colours[strategy]
                x = sub["total_cost"].to_numpy(dtype=float) / EUR_SCALE
                ax.scatter(x, sub[outcome], s=12, color=c, alpha=0.3, lw=0)
                front = sub[sub[f"on_front_{outcome}"]].sort_values("total_cost")
                fx = front["total_cost"].to_numpy(dtype=float) / EUR_SCALE
                fy = front[outcome].to_numpy(dtype=float)
                xerr = np.abs(np.vstack([fx - front["total_cost_low"] / EUR_SCALE,
                                         front["total_cost_high"] / EUR_SCALE - fx]))
                yerr = np.abs(np.vstack([fy - front[f"{outcome}_low"],
                                         front[f"{outcome}_high"] - fy]))
                ax.errorbar(fx, fy, xerr=np.nan_to_num(xerr), yerr=np.nan_to_num(yerr),
                            fmt="o-", ms=4, lw=1.4, capsize=2, color=c,
                            label=f"{strategy} frontier")
                default = sub[sub["label"] == f"{strategy}:default"]
                if not default.empty:
                    ax.plot(default["total_cost"] / EUR_SCALE, default[outcome], "o", ms=10,
                            mfc="none", mec=c, mew=1.6, label=f"{strategy} default design")
            for b in budgets:
                ax.axvline(b / EUR_SCALE, color=OKABE_ITO["black"], lw=0.8, ls=":")
            ax.axhline(0.0, color=OKABE_ITO["black"], lw=0.8)
            ax.set_xlabel("total cost at the end of the run (EUR M)")
            ax.set_ylabel("effect over none (points)")
            ax.set_title(title, loc="left")
            ax.text(-0.12, 1.04, PANEL_LETTERS[k], transform=ax.transAxes, fontsize=12,
                    fontweight="bold", va="bottom")
        for ax in axes[len(outcomes):]:
            ax.set_visible(False)
        axes[0].legend(loc="best")
    return fig
