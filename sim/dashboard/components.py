"""Solara components of the dashboard: controls, monitors, plots, network, value space, Info.

Each component draws from a :class:`~sim.dashboard.session.Session` and a ``version``
counter that the page bumps after every Step; figures are rebuilt only when the version,
the language or a view option changes (``solara.use_memo``), not on unrelated re-renders.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import solara
from solara import v

from sim.dashboard.figures import (
    network_figure,
    shared_limits,
    timeseries_figure,
    value_space_figure,
)
from sim.dashboard.i18n import info_sections, scenario_name, strategy_name, t, unit_text
from sim.dashboard.params import Control
from sim.dashboard.session import Session, Simulation

WEEKS_PER_STEP_CHOICES = (1, 4, 13, 52)
"""A week, a month, a quarter, a year."""


def format_euros(amount: float, lang: str) -> str:
    """Whole euros with the language's thousands separator: EUR 1,020,000 / € 1.020.000."""
    whole = f"{round(amount):,}"
    return f"€ {whole.replace(',', '.')}" if lang == "nl" else f"EUR {whole}"


@solara.component
def ChoiceSelect(label: str, value: str, choices: list[tuple[str, str]],
                 on_value: Callable[[str], None], disabled: bool = False) -> None:
    """A drop-down whose items show translated text but carry a stable key as value."""
    items = [{"text": text, "value": key} for key, text in choices]
    v.Select(label=label, items=items, v_model=value, on_v_model=on_value,
             disabled=disabled, dense=True, hide_details=True, class_="mb-3")


CSS = """
.param-control .v-input__slot { flex-wrap: wrap; }
.param-control .v-input__slot > .v-label { width: 100%; max-width: 100%; white-space: normal;
    height: auto; margin-bottom: 2px; }
.param-help { font-size: 0.75rem; color: #666; line-height: 1.2; }
.monitor-label { font-size: 0.75rem; color: #555; }
.monitor-value { font-size: 1.25rem; font-weight: 600; }
"""
"""Page styles: slider labels above their track (long, translated labels), compact monitors."""


@solara.component
def ParameterControl(control: Control, value: Any, lang: str,
                     on_value: Callable[[str, Any], None]) -> None:
    """A slider (number) or switch (yes/no) with its schema range and a line of help."""
    label = control.name(lang)

    def set_value(new: Any) -> None:
        if control.kind == "float":
            decimals = max(0, len(f"{control.step:.10f}".rstrip("0").split(".")[1]))
            new = round(float(new), decimals)
        on_value(control.path, new)

    unit = unit_text(control.unit, lang)
    shown = f"{value} {unit}".strip() if control.kind != "bool" else (
        t("on", lang) if value else t("off", lang))
    default = control.default if control.kind != "bool" else (
        t("on", lang) if control.default else t("off", lang))
    with solara.Column(gap="0px", classes=["param-control", "mb-3"]):
        if control.kind == "bool":
            solara.Switch(label=label, value=bool(value), on_value=set_value)
        elif control.kind == "int":
            solara.SliderInt(label, value=int(value), min=int(control.minimum),
                             max=int(control.maximum), step=1, on_value=set_value,
                             thumb_label=True)
        else:
            solara.SliderFloat(label, value=float(value), min=control.minimum,
                               max=control.maximum, step=control.step, on_value=set_value,
                               thumb_label=True)
        v.Html(tag="div", class_="param-help",
               children=[f"{shown} ({t('default', lang)} {default}). {control.help(lang)}"])


@solara.component
def Monitors(sim: Simulation, version: int, lang: str) -> None:
    """NetLogo-style monitors: week, headcount, teams formed, proposals accepted, cost."""
    del version  # a dependency only: the numbers are read fresh on every render
    row = sim.model.timeseries().iloc[-1]
    items = [
        ("week", str(int(sim.model.week))),
        ("headcount", str(int(row["headcount"]))),
        ("teams_formed", str(int(row["teams_active"]))),
        ("proposals_accepted", str(int(row["proposals_accepted"]))),
        ("cost_so_far", format_euros(float(row["cost_cum"]), lang)),
    ]
    with solara.Row(gap="8px", style={"flex-wrap": "wrap"}):
        for key, text in items:
            with solara.Card(margin=0, style={"min-width": "90px", "padding": "4px 8px"},
                             classes=[f"monitor-{key}"]):
                v.Html(tag="div", class_="monitor-label", children=[t(key, lang)])
                v.Html(tag="div", class_=f"monitor-value monitor-value-{key}", children=[text])


@solara.component
def TimeseriesPanels(session: Session, version: int, lang: str) -> None:
    """The live plots, one column per strategy, with shared y-limits for comparison."""
    horizon = session.scenario.horizon

    def build() -> list:
        frames = [sim.model.timeseries() for sim in session.simulations]
        limits = shared_limits(frames)
        return [timeseries_figure(frame, sim.strategy, lang, horizon.intervention_weeks,
                                  horizon.total_weeks, limits)
                for frame, sim in zip(frames, session.simulations, strict=True)]

    figures = solara.use_memo(build, [session, version, lang])
    PerSimulation(session, lambda i: solara.FigureMatplotlib(
        figures[i], dependencies=[id(figures[i])], format="png"), view="plots")


@solara.component
def MonitorPanels(session: Session, version: int, lang: str) -> None:
    """The monitors of each model, above the tabs so they stay in view on every tab."""
    def draw(i: int) -> None:
        sim = session.simulations[i]
        if len(session.simulations) > 1:
            solara.Text(strategy_name(sim.strategy, lang), style={"font-weight": "600"})
        Monitors(sim, version, lang)

    PerSimulation(session, draw, view="monitors")


@solara.component
def NetworkPanels(session: Session, version: int, lang: str) -> None:
    """The informal network of each model, coloured by city or by team (a toggle)."""
    colour_by, set_colour_by = solara.use_state("city")
    with solara.Row(style={"align-items": "center"}):
        solara.Text(t("colour_by", lang))
        with solara.ToggleButtonsSingle(value=colour_by, on_value=set_colour_by):
            solara.Button(t("by_city", lang), value="city")
            solara.Button(t("by_team", lang), value="team")
    figures = solara.use_memo(
        lambda: [network_figure(sim, colour_by, lang) for sim in session.simulations],
        [session, version, lang, colour_by])
    PerSimulation(session, lambda i: solara.FigureMatplotlib(
        figures[i], dependencies=[id(figures[i])], format="png"), view="network")


@solara.component
def ValueSpacePanels(session: Session, version: int, lang: str) -> None:
    """The value space of each model, projected to 2-D and coloured by city."""
    figures = solara.use_memo(
        lambda: [value_space_figure(sim, lang) for sim in session.simulations],
        [session, version, lang])
    PerSimulation(session, lambda i: solara.FigureMatplotlib(
        figures[i], dependencies=[id(figures[i])], format="png"), view="values")


def PerSimulation(session: Session, draw: Callable[[int], Any], view: str = "") -> None:
    """Lay out ``draw(i)`` for each simulation: one column, or two side by side.

    ``view`` names the container (CSS class ``view-<view>``) so tests can find its images.
    """
    classes = [f"view-{view}"] if view else []
    if len(session.simulations) == 1:
        with solara.Column(classes=classes):
            draw(0)
        return
    with solara.Columns([1] * len(session.simulations), classes=classes):
        for i in range(len(session.simulations)):
            with solara.Column(classes=[f"side-{i}"]):
                draw(i)


@solara.component
def InfoPanel(lang: str) -> None:
    """NetLogo's Info tab: what it is, how it works, how to use it, and so on."""
    with solara.Column(style={"max-width": "60rem"}):
        for title, body in info_sections(lang):
            solara.Markdown(f"## {title}\n\n{body}")


def strategy_choices(names: list[str], lang: str) -> list[tuple[str, str]]:
    """(key, display name) pairs for the strategy drop-downs."""
    return [(name, strategy_name(name, lang)) for name in names]


def scenario_choices(names: list[str], lang: str) -> list[tuple[str, str]]:
    """(key, display name) pairs for the scenario drop-down."""
    return [(name, scenario_name(name, lang)) for name in names]
