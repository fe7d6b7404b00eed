"""The scenario-discovery figure beside the boxes: PRIM's trade-off and the feature scores.

Why: a PRIM box is one point chosen on a peeling trajectory; a reader judges the choice
only by seeing the trajectory (coverage against density, each step coloured by how many
parameters it restricts; Bryant & Lempert 2010, the EMA Workbench's ``show_tradeoff``),
and judges the box's parameters against an independent ranking (extra-trees feature
scores). Both panels read the tables ``sim.experiments.discovery.discover`` writes.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def plot_trajectory(trajectory: pd.DataFrame, features: pd.DataFrame, title: str) -> Any:
    """Left: coverage against density of every step of box 1's peeling trajectory (colour:
    restricted dimensions; ringed: the chosen box; later boxes' chosen steps as diamonds).
    Right: the feature scores, highest first."""
    from matplotlib import colormaps

    from sim.presentation.plots.style import OKABE_ITO, figure_style, new_figure

    with figure_style():
        fig = new_figure(10, 4.2)
        ax_t, ax_f = fig.subplots(1, 2, width_ratios=[1.1, 1])
        first = trajectory[trajectory["box"] == 1]
        if len(first):
            dims = first["res_dim"].astype(int)
            points = ax_t.scatter(first["coverage"], first["density"], c=dims, s=16,
                                  cmap=colormaps["viridis"], vmin=0,
                                  vmax=max(1, int(dims.max())))
            fig.colorbar(points, ax=ax_t, label="restricted dimensions")
            chosen = trajectory[trajectory["chosen"].astype(bool)]
            for row in chosen.itertuples():
                ax_t.scatter([row.coverage], [row.density], s=90, facecolors="none",
                             edgecolors=OKABE_ITO["vermillion"], linewidths=1.5,
                             marker="o" if row.box == 1 else "D")
                ax_t.annotate(f"box {row.box}", (row.coverage, row.density),
                              textcoords="offset points", xytext=(6, 4), fontsize=8)
        ax_t.set_xlim(0, 1.02)
        ax_t.set_ylim(0, 1.02)
        ax_t.set_xlabel("coverage (share of wins inside the box)")
        ax_t.set_ylabel("density (share of the box that wins)")
        ax_t.set_title("PRIM peeling trajectory", loc="left")
        if len(features):
            ordered = features.sort_values("score")
            ax_f.barh(ordered["parameter"], ordered["score"], color=OKABE_ITO["blue"])
        else:
            ax_f.text(0.5, 0.5, "no scores: wins at every point or at none",
                      ha="center", va="center", transform=ax_f.transAxes)
        ax_f.set_xlabel("feature score (extra trees; scores sum to 1)")
        ax_f.set_title("which parameters tell wins apart", loc="left")
        fig.suptitle(title)
    return fig


def plot_boxes(x: pd.DataFrame, cases: np.ndarray, limits: pd.DataFrame,
               stats: pd.DataFrame, title: str) -> Any:
    """Two panels: each box's limits on normalised axes, and the points with box 1 drawn.

    The scatter shows the two parameters that box 1 restricts most (or the first two).
    """
    from matplotlib.patches import Rectangle

    from sim.presentation.plots.style import OKABE_ITO, figure_style, new_figure

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
