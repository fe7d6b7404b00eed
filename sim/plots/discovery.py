"""The scenario-discovery figure beside the boxes: PRIM's trade-off and the feature scores.

Why: a PRIM box is one point chosen on a peeling trajectory; a reader judges the choice
only by seeing the trajectory (coverage against density, each step coloured by how many
parameters it restricts; Bryant & Lempert 2010, the EMA Workbench's ``show_tradeoff``),
and judges the box's parameters against an independent ranking (extra-trees feature
scores). Both panels read the tables ``sim.discovery.discover`` writes.
"""

from __future__ import annotations

from typing import Any

import pandas as pd


def plot_trajectory(trajectory: pd.DataFrame, features: pd.DataFrame, title: str) -> Any:
    """Left: coverage against density of every step of box 1's peeling trajectory (colour:
    restricted dimensions; ringed: the chosen box; later boxes' chosen steps as diamonds).
    Right: the feature scores, highest first."""
    from matplotlib import colormaps

    from sim.plots.style import OKABE_ITO, figure_style, new_figure

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
