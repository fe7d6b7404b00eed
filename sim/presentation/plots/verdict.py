"""Sobol indices of the paired differences, with the dummy's noise floor and convergence.

Why this figure: a ranking of assumptions is only worth reading if one can see which bars
rise above the estimator's own noise (the dummy parameter) and whether they have settled as
the sample grew. One panel per paired difference (total index ST as a bar with its 95 %
interval, first-order S1 as a dot, the noise floor as a grey band), and a last panel with
each parameter's ST against the base sample size N.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.presentation.plots.style import CYCLE, OKABE_ITO, figure_style, new_figure

PANEL_LETTERS = "abcdefgh"


def plot_sobol(indices: pd.DataFrame, outputs: Sequence[str], dummy: str = "dummy") -> Figure:
    """Draw the indices of ``outputs`` (those with indices) and the convergence panel.

    Args:
        indices: from ``sim.experiments.fairtest.verdict.noise_floor`` (output, parameter, N, S1,
        S1_conf,
            ST, ST_conf, floor).
        outputs: the outputs to draw, in panel order; the first also gets the convergence
            panel.
        dummy: the dummy parameter's name.
    """
    shown = [o for o in outputs if o in set(indices["output"])]
    full = indices[indices["N"] == indices["N"].max()]
    params = [p for p in dict.fromkeys(indices["parameter"]) if p != dummy]
    params += [dummy] if dummy in set(indices["parameter"]) else []  # the floor's row last
    panels = len(shown) + (1 if shown else 0)
    with figure_style():
        fig = new_figure(3.6 * max(panels, 1) + 1.2, 0.38 * len(params) + 1.8)
        axes = np.atleast_1d(fig.subplots(1, max(panels, 1), squeeze=False)[0])
        ypos = np.arange(len(params))
        for k, output in enumerate(shown):
            ax = axes[k]
            rows = full[full["output"] == output].set_index("parameter").reindex(params)
            floor = float(rows["floor"].iloc[0]) if "floor" in rows else np.nan
            if np.isfinite(floor):
                ax.axvspan(min(0.0, floor), floor, color="#DDDDDD", lw=0,
                           label="noise floor (dummy's ST, upper end)")
            colours = [OKABE_ITO["black"] if p == dummy else OKABE_ITO["blue"] for p in params]
            ax.barh(ypos, rows["ST"], xerr=rows["ST_conf"].fillna(0.0), color=colours,
                    height=0.6, capsize=2, label="total index ST (95 % CI)")
            ax.plot(rows["S1"], ypos, "D", color=OKABE_ITO["orange"], ms=4,
                    label="first-order index S1")
            ax.set_yticks(ypos, params if k == 0 else [""] * len(params))
            ax.invert_yaxis()
            ax.axvline(0.0, color=OKABE_ITO["black"], lw=0.8)
            ax.set_title(output, loc="left")
            ax.set_xlabel("share of variance")
            ax.text(-0.08 if k else -0.9, 1.02, PANEL_LETTERS[k], transform=ax.transAxes,
                    fontsize=12, fontweight="bold", va="bottom")
        if shown:
            ax = axes[len(shown)]
            conv = indices[indices["output"] == shown[0]]
            colours = [c for c in CYCLE if c != OKABE_ITO["black"]]
            for j, p in enumerate(params):
                sub = conv[conv["parameter"] == p].sort_values("N")
                ax.plot(sub["N"], sub["ST"], "o-" if j < len(colours) else "s--", ms=3,
                        lw=1.2, label=p,
                        color=OKABE_ITO["black"] if p == dummy else colours[j % len(colours)])
            ax.set_xscale("log", base=2)
            ax.set_xlabel("base sample size N")
            ax.set_ylabel("ST")
            ax.set_title(f"convergence: {shown[0]}", loc="left")
            ax.legend(loc="best", fontsize=6)
            ax.text(-0.12, 1.02, PANEL_LETTERS[len(shown)], transform=ax.transAxes,
                    fontsize=12, fontweight="bold", va="bottom")
            handles, labels = axes[0].get_legend_handles_labels()
            fig.legend(handles, labels, loc="outside lower center", ncols=len(labels))
    return fig
