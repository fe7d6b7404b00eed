"""The dashboard's views: functions of the :class:`~sim.dashboard.classroom.Classroom` that
SolaraViz lays out in its grid.

Each view is a plain function ``view(model)``: SolaraViz wraps it in a component that redraws
after every Step, Play tick or Reset. Views read the session's language (and the network's
colouring) from the page's :class:`~sim.dashboard.chrome.Chrome`, so switching language
redraws them; figures are rebuilt only when the week, the language or a view option changes
(``solara.use_memo``), not on unrelated redraws.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import solara
from matplotlib.figure import Figure
from solara import v

from sim.dashboard.chrome import cell_height_px, current_chrome, current_language
from sim.dashboard.classroom import Classroom
from sim.dashboard.figures import (
    HALF_FIGSIZE,
    PANELS,
    WIDE_FIGSIZE,
    metric_figure,
    network_figure,
    shared_limits,
    value_space_figure,
)
from sim.dashboard.i18n import (
    info_sections,
    scenario_name,
    strategy_name,
    t,
    unit_text,
)
from sim.dashboard.params import classroom_controls, current_value

View = Callable[[Classroom], Any]
"""What SolaraViz accepts as a component: a function of the model."""

TEXT_CELL_ROWS: Final[int] = 16
"""Grid rows of the Info and parameter-guide cells; their text scrolls inside."""

CSS: Final[str] = """
.merger-view img { max-width: 100%; height: auto; display: block; margin: 0 auto; }
.monitor-label { font-size: 0.72rem; color: #555; white-space: nowrap; }
.monitor-value { font-size: 1.15rem; font-weight: 600; white-space: nowrap; }
.monitor-card { min-width: 76px; padding: 3px 8px !important; }
.view-text { overflow-y: auto; padding: 0 12px; }
.view-text h2 { font-size: 1.05rem; margin-top: 0.8rem; }
.v-navigation-drawer .v-input__slider .v-input__slot { flex-wrap: wrap; }
.v-navigation-drawer .v-input__slider .v-input__slot > .v-label { width: 100%; max-width: 100%;
    white-space: normal; height: auto; margin-bottom: 2px; }
.v-navigation-drawer .v-input__slider .v-slider { margin-top: 30px; }
.vue-grid-item { overflow: hidden; }
"""
"""Page styles: pictures scale down to their grid cell; slider labels sit above their track
(long, translated labels in a narrow sidebar); text cells scroll instead of overflowing."""


def format_euros(amount: float, lang: str) -> str:
    """Whole euros with the language's thousands separator: EUR 1,020,000 / € 1.020.000."""
    whole = f"{round(amount):,}"
    return f"€ {whole.replace(',', '.')}" if lang == "nl" else f"EUR {whole}"


def _picture(fig: Figure, view: str) -> None:
    """A figure as a PNG image, in a container tests and CSS can find by ``view-<view>``."""
    with solara.Column(classes=["merger-view", f"view-{view}"], gap="0px"):
        solara.FigureMatplotlib(fig, dependencies=[id(fig)], format="png")


def _figsize(model: Classroom) -> tuple[float, float]:
    """A per-strategy picture's size: half the width when two strategies stand side by side."""
    return HALF_FIGSIZE if model.side_by_side else WIDE_FIGSIZE


def _heading(model: Classroom, index: int, lang: str) -> None:
    """The strategy's name above a picture when two run side by side."""
    if model.side_by_side:
        solara.Text(strategy_name(model.simulations[index].strategy, lang),
                    style={"font-weight": "600", "padding-left": "8px"})


def monitors_view(index: int) -> View:
    """NetLogo-style monitors of the ``index``-th strategy (week, headcount, teams formed,
    proposals accepted, cost so far); under the first, a line saying what runs: the
    scenario, the seed and the sliders that differ from the preset."""
    def view(model: Classroom) -> None:
        lang = current_language()
        sim = model.simulations[index]
        row = model.frames()[index].iloc[-1]
        items = [
            ("week", str(int(sim.model.week))),
            ("headcount", str(int(row["headcount"]))),
            ("teams_formed", str(int(row["teams_active"]))),
            ("proposals_accepted", str(int(row["proposals_accepted"]))),
            ("cost_so_far", format_euros(float(row["cost_cum"]), lang)),
        ]
        with solara.Column(classes=["merger-view", "view-monitors"], gap="4px"):
            solara.Text(t("plots_heading", lang, strategy=strategy_name(sim.strategy, lang)),
                        style={"font-weight": "600"})
            with solara.Row(gap="6px"):
                for key, text in items:
                    with solara.Card(margin=0, classes=["monitor-card", f"monitor-{key}"]):
                        v.Html(tag="div", class_="monitor-label", children=[t(key, lang)])
                        v.Html(tag="div", class_=f"monitor-value monitor-value-{key}",
                               children=[text])
            if index == 0:
                solara.Text(_running_line(model, lang), classes=["running-now"],
                            style={"font-size": "0.8rem", "color": "#444"})
            if not model.running:
                solara.Text(t("finished", lang), style={"font-size": "0.8rem", "color": "#444"})

    view.__name__ = view.__qualname__ = f"Monitors_{index}"
    return view


def _running_line(model: Classroom, lang: str) -> str:
    """"Running: Classroom, seed 0; changed: Confidence threshold 0.2" in the language."""
    settings = model.settings
    text = t("running_now", lang, scenario=scenario_name(settings.preset, lang),
             seed=settings.seed)
    if settings.overrides:
        names = {c.path: c.name(lang) for c in classroom_controls(model.config)}
        changes = ", ".join(f"{names.get(path, path)} {value}"
                            for path, value in settings.overrides.items())
        text += "; " + t("changed_parameters", lang, changes=changes)
    return text


def metric_view(name: str) -> View:
    """The live plot of one output (a column of :data:`~sim.dashboard.figures.PANELS`)."""
    def view(model: Classroom) -> None:
        lang = current_language()

        def build() -> Figure:
            frames = model.frames()
            horizon = model.config.horizon
            return metric_figure(frames, [s.strategy for s in model.simulations], name, lang,
                                 horizon.intervention_weeks, horizon.total_weeks,
                                 shared_limits(frames))

        fig = solara.use_memo(build, [model, model.week, lang])
        _picture(fig, "plots")

    view.__name__ = view.__qualname__ = f"Plot_{name}"
    return view


def network_view(index: int) -> View:
    """The informal network of the ``index``-th strategy, coloured by city or by team."""
    def view(model: Classroom) -> None:
        lang = current_language()
        chrome = current_chrome()
        fallback = solara.use_reactive("city")
        shared = chrome.network_colour if chrome is not None else None
        colour = shared if shared is not None else fallback
        sim = model.simulations[index]
        size = _figsize(model)
        fig = solara.use_memo(lambda: network_figure(sim, colour.value, lang, size),
                              [model, model.week, lang, colour.value])
        with solara.Row(style={"align-items": "center"}, gap="8px"):
            _heading(model, index, lang)
            solara.Text(t("colour_by", lang))
            with solara.ToggleButtonsSingle(value=colour.value, on_value=colour.set, dense=True,
                                            classes=["colour-toggle"]):
                solara.Button(t("by_city", lang), value="city")
                solara.Button(t("by_team", lang), value="team")
        _picture(fig, "network")

    view.__name__ = view.__qualname__ = f"Network_{index}"
    return view


def value_space_view(index: int) -> View:
    """The ``index``-th strategy's value space, projected to 2-D and coloured by city."""
    def view(model: Classroom) -> None:
        lang = current_language()
        sim = model.simulations[index]
        size = _figsize(model)
        fig = solara.use_memo(lambda: value_space_figure(sim, lang, size),
                              [model, model.week, lang])
        _heading(model, index, lang)
        _picture(fig, "values")

    view.__name__ = view.__qualname__ = f"ValueSpace_{index}"
    return view


def Info(model: Classroom) -> None:
    """NetLogo's Info tab: what it is, how it works, how to use it, and so on."""
    del model  # the text is the same for every run
    lang = current_language()
    with solara.Column(classes=["view-text", "view-info"],
                       style={"height": f"{cell_height_px(TEXT_CELL_ROWS)}px"}):
        for title, body in info_sections(lang):
            solara.Markdown(f"## {title}\n\n{body}")


def ParameterGuide(model: Classroom) -> None:
    """What each slider and switch means, its unit, range and default, from the schema."""
    lang = current_language()
    lines = [f"## {t('parameter_guide', lang)}", ""]
    for control in classroom_controls(model.config):
        unit = unit_text(control.unit, lang)
        if control.kind == "bool":
            default = t("on", lang) if control.default else t("off", lang)
            facts = f"{t('default', lang)} {default}"
        else:
            facts = (f"{t('range', lang)} {control.minimum:g} – {control.maximum:g}"
                     f"{' ' + unit if unit else ''}, {t('default', lang)} {control.default:g}")
        if control.path in model.settings.overrides:
            facts += f"; {t('now', lang)} {current_value(model, control.path)}"
        lines.append(f"- **{control.name(lang)}** ({facts}). {control.help(lang)}")
    with solara.Column(classes=["view-text", "view-parameters"],
                       style={"height": f"{cell_height_px(TEXT_CELL_ROWS)}px"}):
        solara.Markdown("\n".join(lines))


PAGE_NAMES: Final[list[str]] = ["tab_plots", "tab_network", "tab_values", "tab_info"]
"""Label keys of SolaraViz's tabs, in page order."""


def view_components(side_by_side: bool) -> list[tuple[View, int]]:
    """SolaraViz's ``components``: (view, page) pairs for one strategy or two side by side.

    Page 0 holds the monitors and the six live plots; pages 1 and 2 the network and the value
    space (one picture per strategy; monitors too); page 3 the Info panel and the parameter
    guide.
    """
    indices = [0, 1] if side_by_side else [0]
    views: list[tuple[View, int]] = [(monitors_view(i), 0) for i in indices]
    views += [(metric_view(name), 0) for name in PANELS]
    views += [(network_view(i), 1) for i in indices]
    views += [(value_space_view(i), 2) for i in indices]
    views += [(Info, 3), (ParameterGuide, 3)]
    return views
