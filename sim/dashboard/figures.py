"""Matplotlib figures for the dashboard: live time series, the network, the value space.

Why separate from ``sim.plots``: those draw finished runs for reports; these redraw a running
model every week, in the session's language, sized for the dashboard's grid cells, with axes
that stay fixed (side-by-side panels share their y-limits) so that a change on screen is a
change in the model. Figures are
``matplotlib.figure.Figure`` objects built without pyplot: no global state, safe in the
server's threads. Colours come from the project's shared Okabe-Ito style.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from sim.dashboard.classroom import Simulation
from sim.dashboard.i18n import strategy_name, t
from sim.plots.style import (
    INTERVENTION_SHADE,
    OKABE_ITO,
    category_colours,
    figure_style,
    strategy_colours,
)

PANELS: Final[tuple[str, ...]] = (
    "distance_to_target", "city_divergence", "cross_city_ties",
    "contract_strength", "cost_cum", "teams_active",
)
"""Time-series columns shown, one plot each, in reading order."""

METRIC_FIGSIZE: Final[tuple[float, float]] = (6.3, 3.4)
"""Inches (at 100 dpi) of one live plot: fits a half-width grid cell nine rows high."""

WIDE_FIGSIZE: Final[tuple[float, float]] = (12.6, 6.1)
"""Inches of a lone network or value-space picture: a full-width cell sixteen rows high."""

HALF_FIGSIZE: Final[tuple[float, float]] = (6.3, 5.9)
"""Inches of one of two network or value-space pictures side by side."""

EUR_PER_UNIT: Final[float] = 1_000.0
"""Cost is plotted in thousands of euros."""

HEADROOM: Final[float] = 1.1
"""Upper y-limit = largest value so far times this (room for the line to grow)."""

METRIC_MARGINS: Final[dict[str, float]] = {
    "left": 0.1, "right": 0.98, "top": 0.84, "bottom": 0.14, "wspace": 0.12}
"""Margins of a live plot (fractions of the figure)."""

MIN_TOP: Final[dict[str, float]] = {"cost_cum": 1.0}
"""Smallest upper y-limit per panel (shares default to 0.05; cost: EUR 1,000), so a flat
zero line does not get an axis in thousandths."""

NO_TEAM_COLOUR: Final[str] = "#BBBBBB"
"""Grey for employees outside any team: background, not a category."""

TIE_COLOUR: Final[str] = "#999999"


def _column(frame: pd.DataFrame, name: str) -> np.ndarray:
    values = frame[name].to_numpy(dtype=float)
    return values / EUR_PER_UNIT if name == "cost_cum" else values


def shared_limits(frames: Sequence[pd.DataFrame]) -> dict[str, tuple[float, float]]:
    """Y-limits per panel covering every frame, so side-by-side panels compare by eye."""
    limits = {}
    for name in PANELS:
        top = max(float(np.nanmax(_column(f, name))) if len(f) else 0.0 for f in frames)
        if name == "teams_active":
            limits[name] = (0.0, max(1.0, top) + 1.0)
        else:
            limits[name] = (0.0, max(top * HEADROOM, MIN_TOP.get(name, 0.05)))
    return limits


def metric_figure(frames: Sequence[pd.DataFrame], strategies: Sequence[str], name: str,
                  lang: str, intervention_weeks: int, total_weeks: int,
                  limits: dict[str, tuple[float, float]]) -> Figure:
    """One output over the whole horizon: one panel per strategy, side by side, same y-axis.

    Args:
        frames: each strategy's weekly outputs so far (``MergerModel.timeseries()``).
        strategies: the strategies' registry names, in the same order.
        name: a column of :data:`PANELS`.
        lang: "en" or "nl".
        intervention_weeks, total_weeks: the horizon (shaded intervention, fixed x-axis).
        limits: y-limits per panel (:func:`shared_limits`).
    """
    colours = strategy_colours(list(strategies))
    with figure_style():
        # Fixed margins instead of constrained layout: this figure is redrawn every week
        # while playing, and the layout solver costs as much as drawing it.
        fig = Figure(figsize=METRIC_FIGSIZE)
        fig.subplots_adjust(**METRIC_MARGINS)
        axes = np.atleast_1d(fig.subplots(1, len(frames), sharey=True, squeeze=False)[0])
        for ax, frame, strategy in zip(axes, frames, strategies, strict=True):
            colour = colours[strategy]
            weeks = frame["week"].to_numpy()
            series = _column(frame, name)
            ax.axvspan(0, intervention_weeks, color=INTERVENTION_SHADE, alpha=0.35, lw=0)
            ax.axvline(intervention_weeks, color=OKABE_ITO["black"], ls="--", lw=0.8)
            ax.plot(weeks, series, color=colour, lw=1.8)
            ax.plot(weeks[-1:], series[-1:], "o", color=colour, ms=4)  # "now", visible at week 0
            ax.set_xlim(0, max(total_weeks, 1))
            ax.set_ylim(*limits[name])
            ax.set_xlabel(t("x_week", lang))
            if len(frames) > 1:
                ax.set_title(strategy_name(strategy, lang), color=colour, fontsize=9)
        fig.suptitle(t(f"plot_{name}", lang), fontsize=11)
    return fig


def network_figure(sim: Simulation, colour_by: str, lang: str,
                   figsize: tuple[float, float] = WIDE_FIGSIZE) -> Figure:
    """The informal network now, on the layout fixed at week 0.

    Args:
        sim: the simulation (its layout is computed on first use, then reused).
        colour_by: "city" or "team".
        lang: "en" or "nl".
        figsize: inches (at 100 dpi), to fit the grid cell.
    """
    model = sim.model
    pos = sim.layout
    src, dst, weight = model.network_edges()
    active = model.active
    keep = active[src] & active[dst]
    segments = np.stack([pos[src[keep]], pos[dst[keep]]], axis=1)
    shown = np.flatnonzero(active)
    with figure_style():
        fig = Figure(figsize=figsize, layout="constrained")
        ax = fig.subplots()
        ax.add_collection(LineCollection(segments, colors=TIE_COLOUR,
                                         linewidths=0.3 + 0.9 * weight[keep], alpha=0.35))
        colours, handles = _node_colours(model, shown, colour_by, lang)
        ax.scatter(pos[shown, 0], pos[shown, 1], s=9, c=colours, linewidths=0, zorder=3)
        ax.set_aspect("equal")
        ax.autoscale_view()
        ax.axis("off")
        ax.set_title(t("network_title", lang, week=model.week))
        ax.text(0.0, -0.02, t("network_note", lang, nodes=shown.size, edges=int(keep.sum())),
                transform=ax.transAxes, fontsize=8, va="top")
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    return fig


def _node_colours(model, shown: np.ndarray, colour_by: str,
                  lang: str) -> tuple[list[str], list[Line2D]]:
    """Colours per shown slot and the legend handles, by city or by team."""
    if colour_by == "team":
        teams = model.team[shown]
        ids = sorted(int(x) for x in np.unique(teams) if x >= 0)
        palette = category_colours(ids)
        colours = [palette[int(x)] if x >= 0 else NO_TEAM_COLOUR for x in teams]
        names = getattr(model, "team_names", [])
        labels = [(names[i] if i < len(names) else t("team_n", lang, n=i + 1), palette[i])
                  for i in ids]
        labels.append((t("no_team", lang), NO_TEAM_COLOUR))
    else:
        palette = category_colours(list(range(len(model.city_names))))
        colours = [palette[int(c)] for c in model.city[shown]]
        labels = [(t("city_n", lang, name=name), palette[i])
                  for i, name in enumerate(model.city_names)]
    handles = [Line2D([], [], ls="", marker="o", color=c, label=label) for label, c in labels]
    return colours, handles


def value_space_figure(sim: Simulation, lang: str,
                       figsize: tuple[float, float] = WIDE_FIGSIZE) -> Figure:
    """Every employee's values projected on the two main axes of week 0, coloured by city."""
    model = sim.model
    shown = np.flatnonzero(model.active)
    xy = sim.project(model.values[shown])
    star = sim.project(model.target[None, :])[0]
    _, _, share = sim.projection
    palette = category_colours(list(range(len(model.city_names))))
    x0, x1, y0, y1 = sim.value_limits
    with figure_style():
        fig = Figure(figsize=figsize, layout="constrained")
        ax = fig.subplots()
        for c, name in enumerate(model.city_names):
            mine = model.city[shown] == c
            ax.scatter(xy[mine, 0], xy[mine, 1], s=10, color=palette[c], alpha=0.7,
                       linewidths=0, label=t("city_n", lang, name=name))
        ax.scatter([star[0]], [star[1]], marker="*", s=320, color=OKABE_ITO["black"],
                   zorder=4, label=t("target", lang))
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_xlabel(t("pc_axis", lang, n=1, share=float(share[0])))
        ax.set_ylabel(t("pc_axis", lang, n=2, share=float(share[1])))
        ax.set_title(t("values_title", lang, week=model.week))
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    return fig
