"""Figures a referee asks of a sensitivity analysis: Sobol convergence and Morris's plane.

Why two more figures beside the bar chart of the indices: a Sobol index means little until
it has settled as N grows and stands above the noise floor (the dummy parameter's index),
and Morris's mu* alone hides whether a parameter acts alone and linearly (small sigma) or
through interactions and curvature (sigma near or above mu*; Morris 1991, Campolongo et
al. 2007). Both read the tables ``sim.experiments.sensitivity`` writes; nothing here computes
indices.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from sim.experiments.sweep.spec import DUMMY

#: Lines sigma / mu* = this, drawn on the Morris plane (Garcia Sanchez et al. 2014 read
#: below 0.1 as linear, 0.1-0.5 as monotonic, 0.5-1 as almost monotonic, above 1 as
#: non-linear or interacting).
SIGMA_RATIOS = (0.1, 0.5, 1.0)


def _panels(table: pd.DataFrame) -> list[tuple[str, str]]:
    """(output, strategy) pairs of enumerated group 0, in table order."""
    rows = table[table["group"] == 0]
    return list(dict.fromkeys(zip(rows["output"], rows["strategy"], strict=True)))


#: Panels per row of a figure.
COLUMNS = 3
#: The y range of the convergence panels: an index outside it is off the chart (and named
#: by the warnings of ``sim.experiments.sensitivity.sobol_warnings``).
INDEX_LIMITS = (-0.5, 1.5)


def _grid(fig: Any, count: int) -> list[Any]:
    """``count`` axes in rows of at most ``COLUMNS``; unused cells hidden."""
    rows = -(-count // COLUMNS)
    axes = fig.subplots(rows, min(count, COLUMNS), squeeze=False).ravel()
    for ax in axes[count:]:
        ax.set_visible(False)
    return list(axes[:count])


def _title(text: str, strategy: str) -> str:
    import textwrap

    return "\n".join([*textwrap.wrap(text, 42), strategy])


def _colours(params: list[str]) -> dict[str, str]:
    from sim.presentation.plots.style import CYCLE, OKABE_ITO

    out, spare = {}, iter(c for c in CYCLE if c != OKABE_ITO["black"])
    for p in params:
        out[p] = OKABE_ITO["black"] if p == DUMMY else next(spare, OKABE_ITO["sky_blue"])
    return out


def plot_convergence(convergence: pd.DataFrame, title: str = "") -> Any:
    """ST (and S1, lighter) of every parameter against the base sample size N, with 95 %
    intervals, one panel per output and strategy; the dummy (the noise floor) in black,
    dashed. The x axis is N on a log-2 scale."""
    from sim.experiments.observables import label
    from sim.presentation.plots.style import figure_style, new_figure

    panels = _panels(convergence)
    params = list(dict.fromkeys(convergence["parameter"]))
    colours = _colours(params)
    sizes = sorted(set(convergence["N"]))
    with figure_style():
        rows_n = -(-len(panels) // COLUMNS)
        fig = new_figure(3.9 * min(len(panels), COLUMNS) + 0.6, 3.4 * rows_n + 1.0)
        axes = _grid(fig, len(panels))
        for ax, (output, strategy) in zip(axes, panels, strict=True):
            rows = convergence[(convergence["output"] == output)
                               & (convergence["strategy"] == strategy)
                               & (convergence["group"] == 0)]
            for k, p in enumerate(params):
                shift = 1.0 + 0.03 * (k - (len(params) - 1) / 2)  # keep the bars apart
                for index, alpha in (("ST", 1.0), ("S1", 0.35)):
                    r = rows[(rows["parameter"] == p) & (rows["index"] == index)]
                    r = r.set_index("N").reindex(sizes)
                    ax.errorbar(np.asarray(sizes, dtype=float) * shift, r["value"],
                                yerr=r["conf"], color=colours[p], alpha=alpha, marker="o",
                                markersize=3, capsize=2,
                                linestyle="--" if p == DUMMY else "-",
                                label=(f"{p} (noise floor)" if p == DUMMY else p)
                                if index == "ST" else None)
            ax.set_xscale("log", base=2)
            ax.set_xticks(sizes, [str(n) for n in sizes])
            ax.set_xlabel("base sample size N")
            ax.set_ylabel("Sobol index (ST solid, S1 light)")
            ax.set_title(_title(label(output), strategy), loc="left")
            ax.axhline(0, color="#888888", linewidth=0.8)
            low, high = ax.get_ylim()
            ax.set_ylim(max(low, INDEX_LIMITS[0]), min(high, INDEX_LIMITS[1]))
        fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncol=4)
        if title:
            fig.suptitle(title)
    return fig


def plot_mu_sigma(indices: pd.DataFrame, title: str = "") -> Any:
    """Morris's plane: sigma against mu* per parameter (mu* with its 95 % interval), one
    panel per output and strategy, in the output's unit per whole range of the parameter
    (SALib's elementary effects are taken on ranges scaled to [0, 1]); grey lines mark
    sigma / mu* = 0.1, 0.5 and 1."""
    from sim.experiments.observables import registry
    from sim.presentation.plots.style import figure_style, new_figure

    known = registry()
    panels = _panels(indices)
    params = list(dict.fromkeys(indices["parameter"]))
    colours = _colours(params)
    with figure_style():
        rows_n = -(-len(panels) // COLUMNS)
        fig = new_figure(3.9 * min(len(panels), COLUMNS) + 0.6, 3.6 * rows_n + 1.0)
        axes = _grid(fig, len(panels))
        for ax, (output, strategy) in zip(axes, panels, strict=True):
            rows = indices[(indices["output"] == output) & (indices["strategy"] == strategy)
                           & (indices["group"] == 0)]
            wide = rows.pivot(index="parameter", columns="index", values="value")
            conf = rows[rows["index"] == "mu_star"].set_index("parameter")["conf"]
            reach = wide["mu_star"] + conf.reindex(wide.index).fillna(0.0)
            top = float(np.nanmax([*reach, *wide["sigma"]])) if len(wide) else 1.0
            top = top * 1.1 if top > 0 else 1.0
            for ratio in SIGMA_RATIOS:
                ax.plot([0, top], [0, ratio * top], color="#AAAAAA", linewidth=0.8)
                ax.annotate(f"σ/μ* = {ratio:g}", (top, min(ratio * top, top)), fontsize=7,
                            color="#777777", ha="right", va="bottom")
            for p in params:
                if p not in wide.index:
                    continue
                ax.errorbar(wide.loc[p, "mu_star"], wide.loc[p, "sigma"],
                            xerr=conf.get(p, np.nan), color=colours[p], marker="o",
                            capsize=2, linestyle="none", label=p)
            ax.set_xlim(0, top)
            ax.set_ylim(0, top)
            obs = known.get(output)
            unit = f"{obs.unit} per range" if obs is not None and obs.unit else "per range"
            ax.set_xlabel(f"μ* ({unit})")
            ax.set_ylabel(f"σ ({unit})")
            ax.set_title(_title(obs.label if obs else output, strategy), loc="left")
        fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncol=4)
        if title:
            fig.suptitle(title)
    return fig


def plot_indices(table: pd.DataFrame, method: str, title: str = "") -> Any:
    """Bar chart of the main index per parameter with its 95% interval, one panel per output.

    Sobol: ST (total) and S1 (first order) side by side; Morris: mu* only. Strategies get
    their fixed colours.
    """
    from sim.presentation.plots.style import figure_style, new_figure, strategy_colours

    shown = ["S1", "ST"] if method == "sobol" else ["mu_star"]
    outputs = list(dict.fromkeys(table["output"]))
    strategies = list(dict.fromkeys(table["strategy"]))
    params = list(dict.fromkeys(table["parameter"]))
    colours = strategy_colours(strategies)
    with figure_style():
        fig = new_figure(3.2 * len(outputs) * len(shown) + 1.5, 0.45 * len(params) + 1.6)
        axes = fig.subplots(1, len(outputs) * len(shown), squeeze=False)[0]
        height = 0.8 / len(strategies)
        for k, (output, index) in enumerate((o, i) for o in outputs for i in shown):
            ax = axes[k]
            for j, strategy in enumerate(strategies):
                rows = table[(table["output"] == output) & (table["index"] == index)
                             & (table["strategy"] == strategy) & (table["group"] == 0)]
                rows = rows.set_index("parameter").reindex(params)
                ypos = np.arange(len(params)) + (j - (len(strategies) - 1) / 2) * height
                ax.barh(ypos, rows["value"], height=height, xerr=rows["conf"],
                        color=colours[strategy], label=strategy, capsize=2)
            ax.set_yticks(np.arange(len(params)), params if k == 0 else [""] * len(params))
            ax.invert_yaxis()
            ax.set_title(f"{output}: {index.replace('_star', '*')}")
            ax.axvline(0, color="#888888", linewidth=0.8)
        axes[0].legend(loc="lower right")
        if title:
            fig.suptitle(title)
    return fig
