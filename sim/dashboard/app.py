"""The teaching dashboard's page: ``solara run sim.dashboard.app`` (or ``merger-sim dashboard``).

Why a custom page rather than Mesa's ``SolaraViz`` alone: SolaraViz drives exactly one model
and hard-codes English labels, while the classroom needs two strategies stepping in lockstep
and every label in Dutch or English. The page keeps SolaraViz's conventions (controls in
the sidebar, Reset / Step / Play, monitors, plots, a view of the agents) and NetLogo's Info
tab, built from Solara components and matplotlib figures.

Every browser session gets its own models: they are created inside :func:`Page` with
``solara.use_memo`` / ``solara.use_reactive``, never at module level, so thirty students
stepping at once do not step one shared model.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import solara
import solara.lab

from sim.dashboard.components import (
    CSS,
    WEEKS_PER_STEP_CHOICES,
    ChoiceSelect,
    InfoPanel,
    MonitorPanels,
    NetworkPanels,
    ParameterControl,
    TimeseriesPanels,
    ValueSpacePanels,
    scenario_choices,
    strategy_choices,
)
from sim.dashboard.i18n import DEFAULT_LANGUAGE, LANGUAGE_NAMES, LANGUAGES, t
from sim.dashboard.params import changed_overrides, classroom_controls
from sim.dashboard.session import (
    Session,
    Settings,
    available_presets,
    default_preset,
    load_preset,
)
from sim.scenario import ScenarioError
from sim.strategies import STRATEGIES

PLAY_PAUSE_SECONDS = 0.05
"""Pause between redraws while playing: lets the browser draw and the Pause click land."""

PLAY_WEEKS_PER_SECOND = 6.0
"""Pace of Play: the case's three years pass in about half a minute."""

PLAY_MAX_WEEKS_PER_DRAW = 13
"""Play never jumps more than a quarter between two pictures."""

TAB_KEYS = ("tab_plots", "tab_network", "tab_values", "tab_info")


def default_settings() -> Settings:
    """What a new browser session starts with."""
    names = list(STRATEGIES)
    second = "training" if "training" in names else names[-1]
    return Settings(preset=default_preset(), strategy=names[0], seed=0, compare=False,
                    strategy_b=second)


@solara.component
def Page() -> None:
    """The dashboard for one browser session."""
    lang = solara.use_reactive(DEFAULT_LANGUAGE)
    first = solara.use_memo(default_settings, [])
    initial_session = solara.use_memo(lambda: Session(first), [])
    session = solara.use_reactive(initial_session)
    version = solara.use_reactive(0)
    playing = solara.use_reactive(False)
    tab = solara.use_reactive(0)
    error = solara.use_reactive("")
    weeks_per_step = solara.use_reactive(1)

    # The controls' current values; applied to a model by Reset (or a new scenario/strategy).
    preset = solara.use_reactive(first.preset)
    strategy = solara.use_reactive(first.strategy)
    strategy_b = solara.use_reactive(first.strategy_b)
    compare = solara.use_reactive(first.compare)
    seed = solara.use_reactive(first.seed)
    values = solara.use_reactive({})

    scenario = solara.use_memo(lambda: load_preset(preset.value), [preset.value])
    controls = solara.use_memo(lambda: classroom_controls(scenario), [scenario])
    current = {c.path: values.value.get(c.path, c.default) for c in controls}
    wanted = Settings(preset=preset.value, strategy=strategy.value, seed=int(seed.value),
                      overrides=changed_overrides(controls, current), compare=compare.value,
                      strategy_b=strategy_b.value)

    def rebuild(settings: Settings) -> None:
        playing.set(False)
        try:
            new = Session(settings, load_preset(settings.preset))
        except (ScenarioError, KeyError, ValueError) as err:
            error.set(f"{t('error', lang.value)}: {err}")
            return
        error.set("")
        session.set(new)
        version.set(version.value + 1)

    def reset() -> None:
        rebuild(wanted)

    def step() -> None:
        session.value.step(weeks_per_step.value)
        version.set(version.value + 1)

    async def play_loop() -> None:
        # A coroutine on the server's event loop, not a thread: a week of the case takes a
        # few milliseconds, and updates made from a worker thread did not reach the browser.
        # Redrawing costs far more than a week, so Play keeps a steady pace in weeks per
        # second and advances several weeks per redraw on a slow machine.
        last = time.monotonic()
        while playing.value and session.value.running:
            now = time.monotonic()
            due = max(weeks_per_step.value, min(PLAY_MAX_WEEKS_PER_DRAW,
                                                round(PLAY_WEEKS_PER_SECOND * (now - last))))
            last = now
            session.value.step(due)
            version.value = version.value + 1
            await asyncio.sleep(PLAY_PAUSE_SECONDS)
        playing.value = False

    solara.lab.use_task(play_loop, dependencies=[playing.value, session.value],
                        prefer_threaded=False)

    def choose(target: solara.Reactive[Any], **change: Any):
        def handler(new: Any) -> None:
            target.set(new)
            rebuild(wanted.with_changes(**{k: new for k in change}))
        return handler

    def choose_preset(name: str) -> None:
        preset.set(name)
        values.set({})
        rebuild(wanted.with_changes(preset=name, overrides={}))

    def set_parameter(path: str, new: Any) -> None:
        values.set({**values.value, path: new})

    lg = lang.value
    names = list(STRATEGIES)
    pending = wanted != session.value.settings

    solara.Style(CSS)
    solara.Title(t("title", lg))
    with solara.AppBar():
        solara.AppBarTitle(t("title", lg))

    with solara.Sidebar(), solara.Column():
        with solara.Row(style={"align-items": "center"}):
            solara.Text(t("language", lg))
            with solara.ToggleButtonsSingle(value=lang.value, on_value=lang.set, dense=True,
                                            classes=["language-toggle"]):
                for code in LANGUAGES:
                    solara.Button(LANGUAGE_NAMES[code], value=code)
        with solara.Card(t("controls", lg)):
            ChoiceSelect(t("scenario", lg), preset.value,
                         scenario_choices(available_presets(), lg), choose_preset)
            ChoiceSelect(t("strategy", lg), strategy.value, strategy_choices(names, lg),
                         choose(strategy, strategy=True))
            solara.Switch(label=t("side_by_side", lg), value=compare.value,
                          on_value=choose(compare, compare=True))
            if compare.value:
                ChoiceSelect(t("strategy_b", lg), strategy_b.value,
                             strategy_choices(names, lg), choose(strategy_b, strategy_b=True))
            solara.InputInt(t("seed", lg), value=seed.value, on_value=seed.set)
            with solara.Row(justify="space-between"):
                solara.Button(t("reset", lg), color="primary", on_click=reset)
                solara.Button(t("step", lg), color="primary", on_click=step,
                              disabled=playing.value or not session.value.running)
                solara.Button(t("pause", lg) if playing.value else t("play", lg),
                              color="primary", on_click=lambda: playing.set(not playing.value),
                              disabled=not session.value.running and not playing.value)
            solara.Text(t("weeks_per_step", lg), style={"font-size": "0.8rem"})
            with solara.ToggleButtonsSingle(value=weeks_per_step.value,
                                            on_value=weeks_per_step.set, dense=True):
                for n in WEEKS_PER_STEP_CHOICES:
                    solara.Button(str(n), value=n)
        with solara.Card(t("parameters", lg)):
            for control in controls:
                ParameterControl(control, current[control.path], lg, set_parameter)

    with solara.Column(style={"padding": "8px"}):
        if error.value:
            solara.Error(error.value)
        if pending:
            solara.Warning(t("pending", lg), classes=["pending-note"])
        if not session.value.running:
            solara.Info(t("finished", lg))
        MonitorPanels(session.value, version.value, lg)
        with solara.lab.Tabs(value=tab.value, on_value=tab.set):
            for i, key in enumerate(TAB_KEYS):
                with solara.lab.Tab(t(key, lg)):
                    if tab.value != i:
                        continue  # draw only the visible tab: figures cost time
                    if key == "tab_plots":
                        TimeseriesPanels(session.value, version.value, lg)
                    elif key == "tab_network":
                        NetworkPanels(session.value, version.value, lg)
                    elif key == "tab_values":
                        ValueSpacePanels(session.value, version.value, lg)
                    else:
                        InfoPanel(lg)
