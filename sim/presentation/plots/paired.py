"""Forest plot of paired differences at the end of the intervention and of the follow-up."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from sim.experiments.outcomes import METRIC_INFO
from sim.presentation.plots.style import OKABE_ITO, figure_style, new_figure

PAIRED_METRICS: tuple[str, ...] = (
    "distance_to_target",
    "city_divergence",
    "cross_city_ties",
    "contract_strength",
    "leavers_cum",
    "cost_cum",
)
"""Metrics whose paired differences are drawn by default."""

EUR_SCALE = 1_000.0
"""Costs are drawn in thousands of euros."""

MOMENTS: tuple[tuple[str, str], ...] = (
    ("_end_intervention", "end of intervention"),
    ("_final", "end of follow-up"),
)
"""Outcome column suffix and panel title for the two moments compared."""


MAX_ALL_PAIRS = 3
"""Up to this many pairs all are drawn; beyond it only the pairs with the baseline (the
first strategy), so the figure stays readable (paired.csv always holds every pair)."""


def plot_paired(
    paired: pd.DataFrame,
    metrics: Sequence[str] | None = None,
) -> Figure:
    """Paired differences (B minus A) with 95 % intervals, one row per metric.

    Args:
        paired: table from ``sim.experiments.stats.paired_table`` (strategy_a, strategy_b, outcome,
            mean_diff, low, high).
        metrics: weekly metrics whose ``_end_intervention`` and ``_final`` outcomes are
            drawn (default: PAIRED_METRICS present in ``paired``).

    Returns:
        The figure: rows = metrics, columns = end of intervention, end of follow-up.
    """
    outcomes = set(paired["outcome"])
    metrics = [m for m in (metrics or PAIRED_METRICS)
               if any(f"{m}{s}" in outcomes for s, _ in MOMENTS)]
    pairs = list(dict.fromkeys(zip(paired["strategy_a"], paired["strategy_b"], strict=True)))
    baseline = pairs[0][0] if pairs else None
    if len(pairs) > MAX_ALL_PAIRS:
        pairs = [p for p in pairs if p[0] == baseline]
    names = [f"{b} − {a}" for a, b in pairs]
    y = np.arange(len(pairs))[::-1]
    with figure_style():
        fig = new_figure(9.0, (0.35 * len(pairs) + 1.4) * len(metrics) + 0.8)
        axes = fig.subplots(len(metrics), 2, squeeze=False, sharey=True)
        for row, metric in enumerate(metrics):
            name, unit = METRIC_INFO.get(metric, (metric, ""))
            scale = EUR_SCALE if unit == "EUR" else 1.0
            unit = "thousand EUR" if unit == "EUR" else unit
            for col, (suffix, moment) in enumerate(MOMENTS):
                ax = axes[row, col]
                sub = paired[paired["outcome"] == f"{metric}{suffix}"]
                sub = sub.set_index(["strategy_a", "strategy_b"]).reindex(pairs)
                mean = sub["mean_diff"].to_numpy(dtype=float) / scale
                err = np.vstack([mean - sub["low"].to_numpy(dtype=float) / scale,
                                 sub["high"].to_numpy(dtype=float) / scale - mean])
                ax.axvline(0.0, color=OKABE_ITO["black"], lw=0.8, ls="--")
                ax.errorbar(mean, y, xerr=err, fmt="o", color=OKABE_ITO["blue"],
                            ecolor=OKABE_ITO["blue"], capsize=3, label="mean, 95 % CI")
                ax.set_yticks(y, names)
                ax.set_title(f"{name}\n{moment}")
                ax.set_xlabel(f"paired difference ({unit})")
                ax.set_ylabel("strategy pair" if col == 0 else "")
                ax.xaxis.set_major_locator(MaxNLocator(nbins=5))
        handles, labels = axes[0, 0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside lower center")
        note = f" (pairs with {baseline}; all pairs in paired.csv)" \
            if len(pairs) < len(set(zip(paired["strategy_a"], paired["strategy_b"],
                                        strict=True))) else ""
        fig.suptitle(f"Paired differences between strategies (same seeds), 95 % intervals"
                     f"{note}")
    return fig
