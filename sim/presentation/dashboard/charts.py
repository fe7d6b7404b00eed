"""The live plots as Vega-Lite specifications: every strategy a line on one shared axis.

Why Vega-Lite, and why written as plain dictionaries:

- Comparing is the point of the plots. Two strategies as two coloured lines on one axis with
  a legend show a difference of 0.01 that two separate small panels hide.
- Speed. The matplotlib version rebuilt and encoded six PNG figures after every step (about
  1.5 s with two strategies; the model's week takes 8 ms). Here the server only builds six
  small JSON documents (a few hundred numbers each) and the browser draws them: well under
  the 200 ms a step may take (``benchmarks/bench_dashboard_redraw.py``).
- What a class asks for comes with the browser library: hover values (tooltips), a legend,
  and export of each plot as PNG or SVG from its menu, offline (the Vega scripts are in the
  local asset cache that the dashboard already serves).
- No Altair: it would validate every chart against its schema on every step (slow), and its
  current release writes Vega-Lite 6 while the locally served library is Vega-Lite 5.

Each plot explains itself: the y-axis names the quantity and its unit, the subtitle says
"lower is better" where that holds, and the grey band and the dashed line are labelled
("intervention", "end of intervention, follow-up") inside the plot.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import numpy as np
import pandas as pd

from sim.experiments import observables
from sim.presentation.dashboard.i18n import DIMENSION_NAMES_NL, strategy_name, t
from sim.presentation.plots.style import CYCLE, INTERVENTION_SHADE, OKABE_ITO, strategy_colours

CITY_PALETTE: Final[tuple[str, ...]] = tuple(c for c in CYCLE if c != OKABE_ITO["black"])
"""Colours of the cities in the culture profile (black is the organisation's)."""

PANELS: Final[tuple[str, ...]] = (
    "distance_to_target", "city_divergence", "cross_city_ties",
    "contract_strength", "cost_cum", "teams_active",
)
"""Time-series columns shown, one plot each, in reading order."""

LOWER_IS_BETTER: Final[frozenset[str]] = frozenset(
    name for name, output in observables.weekly().items()
    if name in PANELS and output.better == "lower")
"""Panels where a lower line is the better outcome (said in the plot's subtitle), as the
observables registry declares it (:mod:`sim.experiments.observables`)."""

SCALE: Final[dict[str, float]] = {"cost_cum": 1.0 / 1_000.0, "cross_city_ties": 100.0}
"""Plotted value = column value times this: cost in thousands of euros, ties in percent."""

DECIMALS: Final[dict[str, int]] = {"distance_to_target": 3, "city_divergence": 3,
                                    "cross_city_ties": 1, "contract_strength": 3,
                                    "cost_cum": 1, "teams_active": 0,
                                    "alignment_effect": 2}
"""Decimals of a value in the hover text."""

MIN_TOP: Final[dict[str, float]] = {"cost_cum": 1.0, "teams_active": 2.0,
                                    "cross_city_ties": 5.0}
"""Smallest upper y-limit per panel (others: 0.05), so a flat zero line gets a sane axis."""

HEADROOM: Final[float] = 1.1
"""Upper y-limit = largest plotted value times this (room for the line to grow)."""

NORMAL_SIZES: Final[dict[str, int]] = {"height": 190, "title": 13, "axis": 10, "legend": 11,
                                       "note": 9, "line": 2}
"""Pixel sizes of a plot: 190 px of plotting area with its title, legend and axis fit a grid
cell of nine rows (about 350 px)."""

PROJECTOR_SIZES: Final[dict[str, int]] = {"height": 230, "title": 20, "axis": 15,
                                          "legend": 16, "note": 13, "line": 4}
"""The same in projector mode (a grid cell of eleven rows)."""

VEGA_LITE_SCHEMA: Final[str] = "https://vega.github.io/schema/vega-lite/v5.json"
"""The schema's name (an identifier for the library, never fetched)."""

NUMBER_LOCALE: Final[dict[str, dict[str, Any]]] = {
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["EUR ", ""]},
    "nl": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["€ ", ""]},
}
"""How the axes write numbers in each language (Dutch: 0,3 and 1.000)."""


def series_names(strategies: Sequence[str], lang: str) -> list[str]:
    """Legend names of the strategies; the same strategy twice is told apart by a number."""
    names = [strategy_name(s, lang) for s in strategies]
    if len(set(names)) < len(names):
        names = [f"{name} ({i + 1})" for i, name in enumerate(names)]
    return names


def plotted(frame: pd.DataFrame, name: str) -> np.ndarray:
    """The column ``name`` of one run, in the plot's unit."""
    return frame[name].to_numpy(dtype=float) * SCALE.get(name, 1.0)


def y_domain(frames: Sequence[pd.DataFrame], name: str) -> list[float]:
    """A fixed y-range from 0 covering every strategy, so the axis does not jump (below 0
    too when a value is negative: an effect over doing nothing can be)."""
    top = max((float(np.nanmax(plotted(f, name))) for f in frames if len(f)), default=0.0)
    low = min((float(np.nanmin(plotted(f, name))) for f in frames if len(f)), default=0.0)
    return [min(0.0, low * HEADROOM), max(top * HEADROOM, MIN_TOP.get(name, 0.05))]


def metric_spec(frames: Sequence[pd.DataFrame], strategies: Sequence[str], name: str,
                lang: str, intervention_weeks: int, total_weeks: int,
                large: bool = False, title: str | None = None, unit: str | None = None,
                subtitle: str | None = None) -> dict[str, Any]:
    """One output over the whole horizon, every strategy a line, as a Vega-Lite spec.

    Args:
        frames: each strategy's weekly outputs so far (``MergerModel.timeseries()``).
        strategies: the strategies' registry names, in the same order.
        name: a column of :data:`PANELS`.
        lang: "en" or "nl".
        intervention_weeks, total_weeks: the horizon (labelled band, fixed x-axis).
        large: projector mode: large type and thick lines.
        title, unit, subtitle: the plot's title, y-axis title and subtitle, for a column
            that is not one of :data:`PANELS` (default: the panel's translated texts, and
            "lower is better" where the registry says so).
    """
    size = PROJECTOR_SIZES if large else NORMAL_SIZES
    names = series_names(strategies, lang)
    colours = strategy_colours(list(dict.fromkeys(strategies)))
    decimals = DECIMALS.get(name, 2)
    values: list[dict[str, Any]] = []
    for frame, label in zip(frames, names, strict=True):
        weeks = frame["week"].to_numpy(dtype=int).tolist()
        ys = np.round(plotted(frame, name), decimals + 1).tolist()
        values += [{"w": w, "y": y, "s": label} for w, y in zip(weeks, ys, strict=True)]
    week_title, strategy_title = t("x_week", lang), t("strategy", lang)
    value_title = unit if unit is not None else t(f"unit_{name}", lang)
    colour = {"field": "s", "type": "nominal", "title": None,
              "scale": {"domain": names, "range": [colours[s] for s in strategies]},
              "legend": {"orient": "bottom", "direction": "horizontal", "labelLimit": 260}}
    x = {"field": "w", "type": "quantitative", "title": week_title,
         "scale": {"domain": [0, max(total_weeks, 1)], "nice": False}}
    y = {"field": "y", "type": "quantitative", "title": value_title,
         "scale": {"domain": y_domain(frames, name), "nice": False}}
    tooltip = [{"field": "s", "type": "nominal", "title": strategy_title},
               {"field": "w", "type": "quantitative", "title": week_title},
               {"field": "y", "type": "quantitative", "title": value_title,
                "format": f",.{decimals}f"}]
    band = {"data": {"values": [{"a": 0, "b": intervention_weeks}]},
            "mark": {"type": "rect", "color": INTERVENTION_SHADE, "opacity": 0.35},
            "encoding": {"x": {"field": "a", "type": "quantitative"},
                         "x2": {"field": "b"}}}
    labels = {"data": {"values": [
                {"x": intervention_weeks / 2, "text": t("band_intervention", lang)},
                {"x": (intervention_weeks + total_weeks) / 2, "text": t("band_followup", lang)}]},
              "mark": {"type": "text", "fontSize": size["note"], "color": "#555", "y": 6,
                       "baseline": "top"},
              "encoding": {"x": {"field": "x", "type": "quantitative"},
                           "text": {"field": "text"}}}
    end = {"data": {"values": [{"x": intervention_weeks}]},
           "mark": {"type": "rule", "strokeDash": [4, 3], "color": OKABE_ITO["black"]},
           "encoding": {"x": {"field": "x", "type": "quantitative"},
                        "tooltip": {"value": t("band_end", lang, week=intervention_weeks)}}}
    lines = {"mark": {"type": "line", "strokeWidth": size["line"]},
             "encoding": {"x": x, "y": y, "color": colour}}
    hover = {"mark": {"type": "point", "opacity": 0, "size": 80},
             "encoding": {"x": x, "y": y, "color": colour, "tooltip": tooltip}}
    now = {"transform": [{"joinaggregate": [{"op": "max", "field": "w", "as": "last"}]},
                         {"filter": "datum.w == datum.last"}],
           "mark": {"type": "point", "filled": True, "size": 30},
           "encoding": {"x": x, "y": y, "color": colour, "tooltip": tooltip}}
    heading: dict[str, Any] = {"text": title if title is not None else t(f"plot_{name}", lang),
                               "fontSize": size["title"], "subtitleFontSize": size["axis"],
                               "anchor": "start"}
    if subtitle is not None:
        heading["subtitle"] = subtitle
    elif name in LOWER_IS_BETTER:
        heading["subtitle"] = t("lower_is_better", lang)
    layers = [band, labels, end, lines, hover, now]
    if y["scale"]["domain"][0] < 0:  # values on both sides of 0: draw the zero line
        layers.insert(3, {"data": {"values": [{"y": 0}]},
                          "mark": {"type": "rule", "color": "#888"},
                          "encoding": {"y": {"field": "y", "type": "quantitative"}}})
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "width": "container",
        "height": size["height"],
        "title": heading,
        "data": {"values": values},
        "layer": layers,
        "config": {"locale": {"number": NUMBER_LOCALE.get(lang, NUMBER_LOCALE["en"])},
                   "axis": {"labelFontSize": size["axis"], "titleFontSize": size["axis"]},
                   "legend": {"labelFontSize": size["legend"], "symbolStrokeWidth": size["line"]},
                   "view": {"stroke": None}},
        "usermeta": {"embedOptions": embed_options(lang)},
    }


def effect_spec(curves: Sequence[tuple[str, pd.DataFrame]], unit: str, lang: str,
                intervention_weeks: int, total_weeks: int,
                large: bool = False) -> dict[str, Any]:
    """The alignment effect over ``none`` per week
    (:func:`sim.presentation.dashboard.derived.effect_curves`),
    a line per strategy, drawn as the weekly plots are (band, end of intervention, legend),
    with a zero line when it goes below 0. ``unit``: the y-axis title (the registry's unit of
    the alignment effect, in the language)."""
    from sim.experiments.counterfactual import ALIGNMENT_EFFECT, BASELINE

    return metric_spec([frame for _, frame in curves], [s for s, _ in curves], ALIGNMENT_EFFECT,
                       lang, intervention_weeks, total_weeks, large=large,
                       title=t("plot_alignment_effect", lang), unit=unit,
                       subtitle=t("effect_subtitle", lang, none=strategy_name(BASELINE, lang)))


def embed_options(lang: str) -> dict[str, Any]:
    """The plot's menu: export as PNG and SVG only (no links out), in the language."""
    return {"actions": {"export": True, "source": False, "compiled": False, "editor": False},
            "i18n": {"PNG_ACTION": t("save_png", lang), "SVG_ACTION": t("save_svg", lang)},
            "downloadFileName": "merger-sim-plot",
            "formatLocale": NUMBER_LOCALE.get(lang, NUMBER_LOCALE["en"])}


PROFILE_HEIGHT_PX: Final[int] = 220
"""Height of one culture-profile chart."""

def profile_spec(values: np.ndarray, active: np.ndarray, city: np.ndarray,
                 city_names: Sequence[str], target: np.ndarray, dimensions: Sequence[str],
                 title: str, lang: str) -> dict[str, Any]:
    """The culture profile students know from the OCAI: per dimension, a bar for each city's
    mean, the organisation's mean and the target, as a Vega-Lite spec.

    Args:
        values: employees' value vectors (slots x dimensions); ``active`` marks employees.
        city: city index per slot; ``city_names`` in index order.
        target: the target culture (one value per dimension).
        dimensions: the frame's dimension names, in column order.
        title: the chart's title (the strategy and the week).
    """
    names = [DIMENSION_NAMES_NL.get(d, d) if lang == "nl" else d for d in dimensions]
    groups: list[tuple[str, np.ndarray]] = []
    for c, name in enumerate(city_names):
        mine = active & (city == c)
        if mine.any():
            groups.append((t("city_n", lang, name=name), values[mine].mean(axis=0)))
    groups.append((t("organisation", lang), values[active].mean(axis=0)))
    groups.append((t("target", lang), np.asarray(target, dtype=float)))
    rows = [{"d": dim, "g": label, "v": round(float(v), 3)}
            for label, means in groups for dim, v in zip(names, means, strict=True)]
    order = [label for label, _ in groups]
    palette = [CITY_PALETTE[i % len(CITY_PALETTE)] for i in range(len(order) - 2)]
    palette += [OKABE_ITO["black"], "#BBBBBB"]
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "width": "container",
        "height": PROFILE_HEIGHT_PX,
        "title": {"text": title, "fontSize": 13, "anchor": "start"},
        "data": {"values": rows},
        "mark": {"type": "bar"},
        "encoding": {
            "x": {"field": "d", "type": "nominal", "title": None, "sort": names,
                  "axis": {"labelAngle": 0}},
            "xOffset": {"field": "g", "sort": order},
            "y": {"field": "v", "type": "quantitative", "title": t("profile_axis", lang),
                  "scale": {"domain": [0, 1]}},
            "color": {"field": "g", "type": "nominal", "title": None, "sort": order,
                      "scale": {"domain": order, "range": palette},
                      "legend": {"orient": "bottom", "direction": "horizontal"}},
            "tooltip": [{"field": "g", "type": "nominal", "title": t("group", lang)},
                        {"field": "d", "type": "nominal", "title": t("dimension", lang)},
                        {"field": "v", "type": "quantitative", "title": t("profile_axis", lang),
                         "format": ".2f"}],
        },
        "config": {"locale": {"number": NUMBER_LOCALE.get(lang, NUMBER_LOCALE["en"])},
                   "view": {"stroke": None}},
        "usermeta": {"embedOptions": embed_options(lang)},
    }
