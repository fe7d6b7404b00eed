"""The dashboard's views: functions of the :class:`~sim.presentation.dashboard.classroom.Classroom`
that SolaraViz lays out in its grid.

Each view is a plain function ``view(model)``: SolaraViz wraps it in a component that redraws
after every Step, Play tick or Reset. Views read the session's language (and the network's
colouring) from the page's :class:`~sim.presentation.dashboard.chrome.Chrome`, so switching language
redraws them; figures are rebuilt only when the week, the language or a view option changes
(``solara.use_memo``), not on unrelated redraws.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final, cast

import pandas as pd
import solara
from matplotlib.figure import Figure
from solara import v

from sim.experiments import observables
from sim.experiments.observables import BASELINE
from sim.presentation.dashboard import derived
from sim.presentation.dashboard.charts import PANELS, effect_spec, metric_spec, profile_spec
from sim.presentation.dashboard.chrome import (
    OUTCOME_ROWS,
    cell_height_px,
    current_chrome,
    current_language,
    projector_mode,
)
from sim.presentation.dashboard.classroom import Classroom, Event
from sim.presentation.dashboard.figures import (
    HALF_FIGSIZE,
    WIDE_FIGSIZE,
    network_figure,
    value_space_figure,
)
from sim.presentation.dashboard.i18n import (
    info_sections,
    outcome_text,
    scenario_name,
    strategy_name,
    t,
    theme_name,
    unit_text,
)
from sim.presentation.dashboard.link import settings_query
from sim.presentation.dashboard.numbers import (
    format_euros,
    format_number,
    format_outcome,
    format_setting,
)
from sim.presentation.dashboard.params import classroom_controls, current_value
from sim.presentation.dashboard.seeds import OUTCOMES, plugin_outcomes, run_seeds, seed_range, wins
from sim.presentation.dashboard.vega import Chart

View = Callable[[Classroom], Any]
"""What SolaraViz accepts as a component: a function of the model."""

TEXT_CELL_ROWS: Final[int] = 16
"""Grid rows of the Info and parameter-guide cells; their text scrolls inside."""

CSS: Final[str] = """
.merger-view img { max-width: 100%; height: auto; display: block; margin: 0 auto; }
.monitor-table { border-collapse: collapse; width: 100%; }
.monitor-table th, .monitor-table td { padding: 1px 4px; text-align: right;
    border-bottom: 1px solid #e4e4e4; }
.monitor-table .monitor-strategy { text-align: left; font-weight: 600; }
.monitor-table th.monitor-strategy { font-weight: normal; }
.monitor-label { font-size: 0.7rem; color: #555; font-weight: normal; line-height: 1.15;
    vertical-align: bottom; }
.monitor-value { font-size: 1.0rem; font-weight: 600; white-space: nowrap; }
.monitor-table td.monitor-strategy { font-size: 0.8rem; line-height: 1.15; }
.running-now, .run-finished { font-size: 0.78rem; color: #444; line-height: 1.25; }
.view-text { overflow-y: auto; padding: 0 12px; }
.view-text h2 { font-size: 1.05rem; margin-top: 0.8rem; }
.v-navigation-drawer .v-input__slider .v-input__slot { flex-wrap: wrap; }
.v-navigation-drawer .v-input__slider .v-input__slot > .v-label { width: 100%; max-width: 100%;
    white-space: normal; height: auto; margin-bottom: 2px; }
.v-navigation-drawer .v-input__slider .v-slider { margin-top: 30px; }
.vue-grid-item { overflow: hidden; }
.outcome-table { border-collapse: collapse; width: 100%; font-size: 0.8rem; }
.outcome-table th, .outcome-table td { padding: 1px 4px; text-align: right;
    border-bottom: 1px solid #e4e4e4; }
.outcome-table .outcome-label { text-align: left; font-weight: normal; }
.outcome-table .outcome-better { color: #555; font-size: 0.7rem; white-space: nowrap; }
.outcome-table .outcome-section { text-align: left; font-weight: 600; padding-top: 6px; }
.outcome-table td.outcome-value { font-weight: 600; }
.outcome-table td.outcome-waiting { font-weight: normal; color: #666; font-style: italic; }
"""
"""Page styles: pictures scale down to their grid cell; slider labels sit above their track
(long, translated labels in a narrow sidebar); text cells scroll instead of overflowing."""


HIDE_ADVANCED_CSS: Final[str] = (
    "div.advanced-control.advanced-control { display: none !important; }")
"""Hides SolaraViz's technical controls until "Advanced settings" is ticked (specific enough
to beat Vuetify's own ``d-flex !important``)."""

PROJECTOR_CSS: Final[str] = """
.monitor-label { font-size: 1.1rem; text-align: left !important; }
.monitor-value { font-size: 1.6rem; }
.monitor-table td.monitor-strategy { font-size: 1.1rem; }
.running-now, .run-finished { font-size: 1.05rem; }
.view-text { font-size: 1.25rem; }
.v-navigation-drawer { font-size: 1.1rem; }
.outcome-table { font-size: 1.1rem; }
.outcome-table .outcome-better { font-size: 0.9rem; }
"""
"""Projector mode: large type for the back of a lecture room (the plots get large type and
thick lines from their spec, the grid taller cells, so nothing is clipped)."""


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


MONITORS: Final[tuple[str, ...]] = (
    "week", "distance_to_target", "city_divergence", "cross_city_ties", "contract_strength",
    "headcount", "teams_formed", "teams_active", "proposals_accepted", "cost_so_far",
)
"""The monitors, one column each, in reading order (label keys ``monitor_<name>``)."""


def monitor_values(model: Classroom, index: int, lang: str) -> dict[str, str]:
    """The ``index``-th strategy's monitors as text in the language, keyed as
    :data:`MONITORS`."""
    sim = model.simulations[index]
    row = model.frames()[index].iloc[-1]
    return {
        "week": str(int(sim.model.week)),
        "distance_to_target": format_number(float(row["distance_to_target"]), lang, 3),
        "city_divergence": format_number(float(row["city_divergence"]), lang, 3),
        "cross_city_ties": format_number(100.0 * float(row["cross_city_ties"]), lang, 1) + " %",
        "contract_strength": format_number(float(row["contract_strength"]), lang, 2),
        "headcount": format_number(int(row["headcount"]), lang, 0),
        "teams_formed": str(len(sim.teams_formed)),
        "teams_active": str(int(row["teams_active"])),
        "proposals_accepted": str(int(row["proposals_accepted"])),
        "cost_so_far": format_euros(float(row["cost_cum"]), lang),
    }


def Monitors(model: Classroom) -> None:
    """NetLogo-style monitors as a table: a column per measure, a row per strategy, so the
    two strategies' numbers stand above each other (in projector mode, with large type, a
    row per measure); under it, the line saying what runs."""
    lang = current_language()
    values = [monitor_values(model, i, lang) for i in range(len(model.simulations))]
    names = [strategy_name(sim.strategy, lang) for sim in model.simulations]

    def label(key: str) -> Any:
        return v.Html(tag="th", class_=f"monitor-label monitor-{key}",
                      children=[t(f"monitor_{key}", lang)])

    def cell(index: int, key: str) -> Any:
        return v.Html(tag="td", class_=f"monitor-value monitor-value-{key}",
                      children=[values[index][key]])

    def strategy(index: int, tag: str) -> Any:
        return v.Html(tag=tag, class_="monitor-strategy", children=[names[index]])

    corner = v.Html(tag="th", class_="monitor-strategy", children=[t("strategy", lang)])
    if projector_mode():  # large type: a row per measure, so the table fits the width
        rows = [v.Html(tag="tr", children=[corner] + [strategy(i, "td") for i in
                                                        range(len(names))])]
        rows += [v.Html(tag="tr", children=[label(key)] + [cell(i, key) for i in
                                                           range(len(names))])
                 for key in MONITORS]
    else:  # a column per measure, a row per strategy
        rows = [v.Html(tag="tr", children=[corner] + [label(key) for key in MONITORS])]
        rows += [v.Html(tag="tr", children=[strategy(i, "td")] + [cell(i, key)
                                                                   for key in MONITORS])
                 for i in range(len(names))]
    with solara.Column(classes=["merger-view", "view-monitors"], gap="2px"):
        v.Html(tag="table", class_="monitor-table", children=rows)
        solara.Text(running_line(model, lang), classes=["running-now"])
        with solara.Row(gap="16px", style={"align-items": "center"}):
            v.Html(tag="a", class_="settings-link",
                   attributes={"href": "?" + settings_query(model.settings, lang)},
                   children=[t("link_to_run", lang)])
            solara.FileDownload(lambda: weekly_csv(model).encode("utf-8"),
                                filename=csv_name(model), label=t("download_csv", lang),
                                icon_name="mdi-download")
        if not model.running:
            solara.Text(t("finished", lang, week=model.week), classes=["run-finished"])


def weekly_csv(model: Classroom) -> str:
    """The run's weekly outputs so far, every strategy, as CSV (with the settings' link)."""
    frames = []
    for sim, frame in zip(model.simulations, model.frames(), strict=True):
        frames.append(frame.assign(strategy=sim.strategy, seed=model.settings.seed,
                                   preset=model.settings.preset))
    table = pd.concat(frames, ignore_index=True)
    first = ["preset", "strategy", "seed", "week"]
    table = table[first + [c for c in table.columns if c not in first]]
    return table.to_csv(index=False, lineterminator="\n")


def csv_name(model: Classroom) -> str:
    """The download's file name: scenario, strategies, seed and week."""
    strategies = "-".join(model.settings.strategies())
    return f"merger-sim-{model.settings.preset}-{strategies}-seed{model.settings.seed}" \
        f"-week{model.week}.csv"


def running_line(model: Classroom, lang: str) -> str:
    """The full configuration of the run on screen, in the language: scenario, strategies,
    seed, and every slider or switch that differs from the scenario's default (the rest
    are the defaults, which the line says)."""
    settings = model.settings
    strategies = " | ".join(strategy_name(s, lang) for s in settings.strategies())
    text = t("running_now", lang, scenario=scenario_name(settings.preset, lang),
             strategies=strategies, seed=settings.seed)
    if settings.overrides:
        names = {c.path: c.name(lang) for c in classroom_controls(model.config)}
        changes = ", ".join(f"{names.get(path, path)} {format_setting(value, lang)}"
                            for path, value in settings.overrides.items())
        return f"{text}; {t('changed_parameters', lang, changes=changes)}"
    return f"{text}; {t('all_defaults', lang)}"


def metric_view(name: str) -> View:
    """The live plot of one output (a column of
    :data:`~sim.presentation.dashboard.charts.PANELS`), every strategy a line on one axis, drawn
    by the browser (see :mod:`sim.presentation.dashboard.charts`)."""
    def view(model: Classroom) -> None:
        lang = current_language()

        large = projector_mode()

        def build() -> dict[str, Any]:
            horizon = model.config.horizon
            return metric_spec(model.frames(), [s.strategy for s in model.simulations], name,
                               lang, horizon.intervention_weeks, horizon.total_weeks,
                               large=large)

        spec = solara.use_memo(build, [model, model.week, lang, large])
        with solara.Column(classes=["merger-view", "view-plots", f"plot-{name}"], gap="0px"):
            Chart(spec)

    view.__name__ = view.__qualname__ = f"Plot_{name}"
    return view


def cell_text(row: derived.Row, cell: derived.Cell, lang: str) -> str:
    """One cell of the outcomes table: the value in the row's unit, or when it will be
    known (the end of the run or of the intervention, or once reached)."""
    if cell.state == "value":
        return format_outcome(cell.value, row.observable.unit, lang)
    if cell.state == "pending":
        if cell.week is None:
            return t("not_yet_reached", lang)
        key = "known_at_intervention_end" if row.observable.known_from == "end_intervention" \
            else "known_at_end"
        return t(key, lang, week=cell.week)
    if cell.state == "never":
        return t("not_reached", lang, week=cell.week)
    if cell.state == "reference":
        return t("reference", lang)
    return t("undefined", lang)


def outcome_tables(model: Classroom) -> tuple[list[derived.Row], list[derived.Row]]:
    """The run outcomes and the effects over ``none`` of the runs on screen."""
    horizon = model.config.horizon
    args = (model.frames(), [s.strategy for s in model.simulations], model.settings.seed,
            horizon.intervention_weeks, horizon.total_weeks)
    return derived.outcome_rows(*args), derived.effect_rows(*args)


def outcome_table_rows(outcomes: list[derived.Row], effects: list[derived.Row],
                       names: list[str], lang: str) -> list[Any]:
    """The outcomes table's rows (header, a row per outcome, then the effects' heading and a
    row per effect), labelled as the registry labels them (Dutch: the translations)."""
    def head(text: str, cls: str) -> Any:
        return v.Html(tag="th", class_=cls, children=[text])

    def row(item: derived.Row) -> Any:
        obs = item.observable
        label, unit = outcome_text(obs.name, obs.label, obs.unit, lang)
        better = t("lower_is_better" if obs.better == "lower" else "higher_is_better", lang)
        cells = [v.Html(tag="td", class_=f"{'outcome-value' if c.state == 'value' else
                                            'outcome-waiting'} outcome-cell-{obs.name}",
                        children=[cell_text(item, c, lang)]) for c in item.cells]
        return v.Html(tag="tr", children=[
            head(f"{label} ({unit})" if unit else label, "outcome-label"),
            v.Html(tag="td", class_="outcome-better", children=[better]), *cells])

    rows = [v.Html(tag="tr", children=[head(t("outcome", lang), "outcome-label"),
                                       head(t("better", lang), "outcome-better")]
                   + [head(name, "outcome-strategy") for name in names])]
    rows += [row(item) for item in outcomes]
    if effects:
        rows.append(v.Html(tag="tr", children=[v.Html(
            tag="th", class_="outcome-section", attributes={"colspan": str(2 + len(names))},
            children=[t("effects_heading", lang)])]))
        rows += [row(item) for item in effects]
    return rows


def Outcomes(model: Classroom) -> None:
    """The run's derived outcomes per strategy (time to integration, durability, cost per
    point, ...) and, with ``none`` side by side, each strategy's effect over it: every value
    computed on the server from the models' weekly outputs with the observables registry's
    functions (:mod:`sim.presentation.dashboard.derived`); a value not known yet says when it
    will be."""
    lang = current_language()
    tables = solara.use_memo(lambda: outcome_tables(model), [model, model.week])
    names = [strategy_name(sim.strategy, lang) for sim in model.simulations]
    with solara.Column(classes=["view-text", "view-outcomes"], gap="4px",
                       style={"height": f"{cell_height_px(OUTCOME_ROWS)}px"}):
        solara.Markdown(f"## {t('outcomes_title', lang)}\n\n{t('outcomes_help', lang)}")
        v.Html(tag="table", class_="outcome-table",
               children=outcome_table_rows(*tables, names, lang))
        if not tables[1]:
            solara.Text(t("effects_need_none", lang, none=strategy_name(BASELINE, lang)),
                        classes=["effects-need-none"])


def EffectPlot(model: Classroom) -> None:
    """Side by side with ``none``: the other strategy's alignment over doing nothing, week by
    week (:func:`sim.presentation.dashboard.derived.effect_curves`); otherwise how to get it."""
    lang = current_language()
    large = projector_mode()

    def build() -> dict[str, Any] | None:
        curves = derived.effect_curves(model.frames(), [s.strategy for s in model.simulations])
        if not curves:
            return None
        final = observables.get("alignment_effect_final")
        unit = outcome_text(final.name, final.label, final.unit, lang)[1]
        horizon = model.config.horizon
        return effect_spec(curves, unit, lang, horizon.intervention_weeks,
                           horizon.total_weeks, large=large)

    spec = solara.use_memo(build, [model, model.week, lang, large])
    with solara.Column(classes=["merger-view", "view-effects"], gap="0px"):
        if spec is None:
            solara.Text(t("effects_need_none", lang, none=strategy_name(BASELINE, lang)),
                        classes=["effects-need-none"])
        else:
            Chart(spec)


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


def CultureProfile(model: Classroom) -> None:
    """Each city's culture, the organisation's and the target on the frame's named dimensions
    (clan, adhocracy, market, hierarchy), one chart per strategy: the profile students know
    from the OCAI, next to the abstract value-space projection."""
    lang = current_language()

    def build() -> list[dict[str, Any]]:
        specs = []
        for sim in model.simulations:
            m = sim.model
            title = t("profile_title", lang, strategy=strategy_name(sim.strategy, lang),
                      week=m.week)
            specs.append(profile_spec(m.values, m.active, m.city, m.city_names, m.target,
                                      m.dimensions, title, lang))
        return specs

    specs = solara.use_memo(build, [model, model.week, lang])
    with solara.Column(classes=["merger-view", "view-profile"], gap="8px"):
        for spec in specs:
            Chart(spec)


def event_text(event: Event, lang: str) -> str:
    """One event in ``lang``: its label with the fields filled in, a team by its theme's
    display name (the model names teams by theme id, which is English)."""
    fields = dict(event.fields)
    if "team" in fields:
        fields["team"] = theme_name(str(fields["team"]), lang)
    return t(event.key, lang, **fields)


def EventLog(model: Classroom) -> None:
    """NetLogo-style "what happened": each strategy's events so far, newest first, in the
    session's language."""
    lang = current_language()
    with solara.Column(classes=["view-text", "view-events"],
                       style={"height": f"{cell_height_px(TEXT_CELL_ROWS)}px"}):
        for sim in model.simulations:
            lines = [f"## {t('events_title', lang, strategy=strategy_name(sim.strategy, lang))}",
                     ""]
            events = list(reversed(sim.events))
            if not events:
                lines.append(t("events_none", lang))
            lines += [f"- **{t('week', lang)} {e.week}**: {event_text(e, lang)}"
                      for e in events]
            solara.Markdown("\n".join(lines))


def TenSeeds(model: Classroom) -> None:
    """Run the settings on screen for ten seeds and show the spread (see
    :mod:`sim.presentation.dashboard.seeds`); the table belongs to the settings it was run with."""
    lang = current_language()
    result = solara.use_reactive(cast(tuple[Any, pd.DataFrame] | None, None))

    def work() -> None:
        def report(share: float) -> None:
            task.progress = share
        result.set((model.settings, run_seeds(model.settings, model.config, report)))

    task = solara.lab.use_task(work, dependencies=None, prefer_threaded=True)  # type: ignore[call-overload]
    seeds = seed_range(model.settings.seed)
    with solara.Column(classes=["view-text", "view-seeds"],
                       style={"height": f"{cell_height_px(TEXT_CELL_ROWS)}px"}):
        solara.Markdown(f"## {t('ten_seeds_title', lang)}\n\n"
                        + t("ten_seeds_help", lang, first=seeds[0], last=seeds[-1]))
        solara.Button(t("run_ten_seeds", lang, first=seeds[0], last=seeds[-1]),
                      on_click=task, disabled=task.pending, color="primary",
                      classes=["run-ten-seeds"])
        if task.pending:
            solara.ProgressLinear(task.progress or True)
        if task.error:
            solara.Error(t("step_error", lang))
        shown = result.value
        if shown is not None and shown[0] == model.settings:
            with solara.Column(classes=["seeds-table"]):
                solara.Markdown(seeds_markdown(shown[1], model, lang))


def seeds_markdown(table: pd.DataFrame, model: Classroom, lang: str) -> str:
    """The ten seeds as a Markdown table: a row per seed, a column per strategy and outcome,
    then the mean and the range; side by side, in how many seeds the second did better."""
    strategies = list(dict.fromkeys(model.settings.strategies()))
    extra = {o.name: o for o in plugin_outcomes() if o.name in table.columns}
    columns = [(s, c) for s in strategies
               for c in [f"{o}@{w}" for o, w in OUTCOMES] + list(extra)]

    def cell(column: str, amount: float) -> str:
        metric = column.split("@")[0]
        return format_euros(amount, lang) if metric == "cost_cum" \
            else format_number(amount, lang, 3)

    def head(strategy: str, column: str) -> str:
        if column in extra:  # a plugin's outcome: the registry's label (the plugin's text)
            label = extra[column].axis_label().replace("|", "/")  # a Markdown table cell
            return f"{strategy_name(strategy, lang)}: {label}"
        metric, when = column.split("@")
        label = "monitor_cost_so_far" if metric == "cost_cum" else f"monitor_{metric}"
        return (f"{strategy_name(strategy, lang)}: {t(label, lang)} "
                f"({t(f'at_{when}', lang)})")

    lines = ["| " + t("seed", lang) + " | " + " | ".join(head(s, c) for s, c in columns) + " |",
             "|---" * (len(columns) + 1) + "|"]
    pivot = table.set_index(["seed", "strategy"])
    for seed in sorted(table["seed"].unique()):
        lines.append(f"| {seed} | " + " | ".join(cell(c, pivot.loc[(seed, s), c])
                                                  for s, c in columns) + " |")
    for label, how in (("mean", "mean"), ("lowest", "min"), ("highest", "max")):
        values = [table[table["strategy"] == s][c].agg(how) for s, c in columns]
        lines.append(f"| **{t(label, lang)}** | " + " | ".join(
            cell(c, x) for (_, c), x in zip(columns, values, strict=True)) + " |")
    text = "\n".join(lines)
    if len(strategies) == 2:
        better = wins(table, strategies[0], strategies[1])
        text += "\n\n" + t("seeds_wins", lang, second=strategy_name(strategies[1], lang),
                             first=strategy_name(strategies[0], lang), n=better,
                             total=table["seed"].nunique())
    return text


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
            lo, hi = (format_setting(float(x) if control.kind == "float" else int(x), lang)
                      for x in (control.minimum, control.maximum))
            facts = (f"{t('range', lang)} {lo} – {hi}{' ' + unit if unit else ''}, "
                     f"{t('default', lang)} {format_setting(control.default, lang)}")
        if control.path in model.settings.overrides:
            now = format_setting(current_value(model, control.path), lang)
            facts += f"; {t('now', lang)} {now}"
        lines.append(f"- **{control.name(lang)}** ({facts}). {control.help(lang)}")
    with solara.Column(classes=["view-text", "view-parameters"],
                       style={"height": f"{cell_height_px(TEXT_CELL_ROWS)}px"}):
        solara.Markdown("\n".join(lines))


PAGE_NAMES: Final[list[str]] = ["tab_plots", "tab_network", "tab_values", "tab_profile",
                                 "tab_events", "tab_seeds", "tab_info"]
"""Label keys of SolaraViz's tabs, in page order."""


def view_components(side_by_side: bool) -> list[tuple[View, int]]:
    """SolaraViz's ``components``: (view, page) pairs for one strategy or two side by side.

    Page 0 holds the monitors, the six live plots and the run's outcomes (side by side also
    the effect over ``none``); pages 1 and 2 the network and the value space (one picture
    per strategy); page 3 the culture profile, 4 the events, 5 the ten seeds, 6 the Info
    panel and the parameter guide.
    """
    indices = [0, 1] if side_by_side else [0]
    views: list[tuple[View, int]] = [(Monitors, 0)]
    views += [(metric_view(name), 0) for name in PANELS]
    views += [(EffectPlot, 0)] if side_by_side else []
    views += [(Outcomes, 0)]
    views += [(network_view(i), 1) for i in indices]
    views += [(value_space_view(i), 2) for i in indices]
    views += [(CultureProfile, 3), (EventLog, 4), (TenSeeds, 5)]
    views += [(Info, 6), (ParameterGuide, 6)]
    return views
