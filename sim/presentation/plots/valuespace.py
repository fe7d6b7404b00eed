"""Two-dimensional projection of the employees' value vectors, coloured by city.

The projection is principal component analysis by singular value decomposition of the
centred values, fitted once on all snapshots and strategies pooled, so that every panel
shares the same axes and movement between panels is real movement in value space.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from sim.experiments.outcomes import value_columns
from sim.presentation.plots.style import OKABE_ITO, category_colours, figure_style, new_figure


def pca_basis(values: np.ndarray, k: int = 2) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Centre and the first ``k`` principal axes of ``values`` (rows = observations).

    Returns:
        (mean, components with shape (k, D), explained-variance share per component).
        Component signs are fixed so the largest loading is positive (stable output).
    """
    mean = values.mean(axis=0)
    centred = values - mean
    _, s, vt = np.linalg.svd(centred, full_matrices=False)
    comps = vt[:k].copy()
    for i in range(comps.shape[0]):
        if comps[i, np.argmax(np.abs(comps[i]))] < 0:
            comps[i] *= -1.0
    var = s**2
    share = var[:k] / var.sum() if var.sum() > 0 else np.zeros(min(k, var.size))
    if comps.shape[0] < k:  # fewer dimensions than k: pad with zero axes
        pad = k - comps.shape[0]
        comps = np.vstack([comps, np.zeros((pad, values.shape[1]))])
        share = np.concatenate([share, np.zeros(pad)])
    return mean, comps, share


def plot_value_space(
    agents: pd.DataFrame,
    target: Mapping[str, float] | None = None,
    strategies: Sequence[str] | None = None,
) -> Figure:
    """PCA scatter of value vectors: rows = strategies, columns = snapshot weeks.

    Args:
        agents: snapshots with strategy, week, city and value_<dim> columns (one exemplar
            run per strategy).
        target: target culture (dimension -> value), drawn as a star.
        strategies: row order (default: order of appearance).

    Returns:
        The figure.
    """
    cols = value_columns(agents)
    strategies = list(strategies or dict.fromkeys(agents["strategy"]))
    weeks = sorted(agents["week"].unique())
    mean, comps, share = pca_basis(agents[cols].to_numpy(dtype=float))
    cities = list(dict.fromkeys(agents.sort_values("unique_id")["city"]))
    colours = category_colours(cities)
    tgt = None
    if target:
        t = np.array([float(target[c.removeprefix("value_")]) for c in cols])
        tgt = (t - mean) @ comps.T
    with figure_style():
        fig = new_figure(3.2 * len(weeks) + 1.2, 3.0 * len(strategies) + 0.6)
        axes = fig.subplots(len(strategies), len(weeks), squeeze=False, sharex=True,
                            sharey=True)
        for r, strategy in enumerate(strategies):
            for c, week in enumerate(weeks):
                ax = axes[r, c]
                snap = agents[(agents["strategy"] == strategy) & (agents["week"] == week)]
                xy = (snap[cols].to_numpy(dtype=float) - mean) @ comps.T
                for city in cities:
                    m = (snap["city"] == city).to_numpy()
                    ax.scatter(xy[m, 0], xy[m, 1], s=6, alpha=0.5, color=colours[city], lw=0)
                if tgt is not None:
                    ax.scatter([tgt[0]], [tgt[1]], marker="*", s=160, color=OKABE_ITO["black"],
                               zorder=4)
                ax.set_title(f"{strategy}, week {week}")
                ax.set_xlabel(f"PC1 ({100 * share[0]:.0f} % of variance)")
                ax.set_ylabel(f"PC2 ({100 * share[1]:.0f} % of variance)")
                ax.tick_params(labelbottom=True, labelleft=True)
        handles = [Line2D([], [], ls="", marker="o", color=colours[c], label=str(c))
                   for c in cities]
        if tgt is not None:
            handles.append(Line2D([], [], ls="", marker="*", ms=10, color=OKABE_ITO["black"],
                                  label="target culture"))
        fig.legend(handles=handles, loc="outside right center", title="city")
        fig.suptitle("Value space (principal components of the culture dimensions)")
    return fig
