"""Matplotlib figures for the dashboard: the network and the value space.

Why separate from ``sim.presentation.plots``: those draw finished runs for reports; these
redraw a running model every week, in the session's language, sized for the dashboard's grid
cells, with axes that stay fixed so that a change on screen is a change in the model. (The
time-series plots are Vega-Lite charts drawn by the browser:
:mod:`sim.presentation.dashboard.charts`.) Figures are ``matplotlib.figure.Figure`` objects built
without pyplot: no global state, safe in the server's threads. Colours come from the project's
shared Okabe-Ito style. """

from __future__ import annotations

from typing import Final

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from sim.presentation.dashboard.classroom import Simulation
from sim.presentation.dashboard.i18n import t, theme_name
from sim.presentation.plots.style import (
    OKABE_ITO,
    category_colours,
    figure_style,
)

WIDE_FIGSIZE: Final[tuple[float, float]] = (12.6, 6.1)
"""Inches of a lone network or value-space picture: a full-width cell sixteen rows high."""

HALF_FIGSIZE: Final[tuple[float, float]] = (6.3, 5.9)
"""Inches of one of two network or value-space pictures side by side."""

NO_TEAM_COLOUR: Final[str] = "#BBBBBB"
"""Grey for employees outside any team: background, not a category."""

TIE_COLOUR: Final[str] = "#999999"


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
        names = model.team_names
        labels = [(theme_name(names[i], lang) if i < len(names) else t("team_n", lang, n=i + 1),
                   palette[i])
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
