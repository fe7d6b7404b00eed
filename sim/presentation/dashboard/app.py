"""The teaching dashboard: a Mesa SolaraViz app, served by ``merger-sim dashboard`` (through
:mod:`sim.presentation.dashboard.server`, which closes solara's ways out to the network).

SolaraViz supplies the controls (Reset, Step, Play, the parameters), the stepping and the
grid of views; this page supplies the model, the views and two things SolaraViz lacks: a
language toggle (English or Dutch for every label, SolaraViz's own included, see
:mod:`sim.presentation.dashboard.chrome`) and side by side, which lives in the model: a
:class:`~sim.presentation.dashboard.classroom.Classroom` steps one or two merger models in lockstep.

Every browser session gets its own model: it is created inside :func:`Page` with
``solara.use_memo`` / ``solara.use_reactive``, never at module level, so thirty students
stepping at once do not step one shared model.

The page serves only what it offers: the Classroom checks every value a Reset passes
(:mod:`sim.presentation.dashboard.checks`) and the page shows what it refused; a server-wide cap on
live sessions (:mod:`sim.presentation.dashboard.sessions`) and the large presets behind
``--allow-large`` (:mod:`sim.presentation.dashboard.policy`) bound the memory; an error anywhere
below the page is logged on the server and shown as one line in the session's language, never as a
traceback.
"""

from __future__ import annotations

import logging
import sys
from typing import Any, cast

import solara
from mesa.visualization import SolaraViz

from sim.presentation.dashboard import chrome
from sim.presentation.dashboard.checks import rejection_message
from sim.presentation.dashboard.classroom import (
    SIDE_BY_SIDE_OFF,
    available_presets,
    session_classroom,
)
from sim.presentation.dashboard.components import (
    CSS,
    HIDE_ADVANCED_CSS,
    PAGE_NAMES,
    PROJECTOR_CSS,
    view_components,
)
from sim.presentation.dashboard.extensions import load_plugins
from sim.presentation.dashboard.i18n import (
    LANGUAGE_NAMES,
    LANGUAGES,
    scenario_name,
    strategy_name,
    t,
)
from sim.presentation.dashboard.link import settings_from_query, start_language
from sim.presentation.dashboard.params import model_params
from sim.presentation.dashboard.policy import current_policy
from sim.presentation.dashboard.server import keep_tracebacks_on_server
from sim.presentation.dashboard.sessions import SESSIONS
from sim.presentation.live.mount import PREFIX, mount_on_solara
from sim.presentation.live.texts import TEACHER
from sim.strategies import STRATEGIES

logger = logging.getLogger(__name__)

CLASS_SERVED = False
"""Whether this server also serves a participatory class (``merger-sim dashboard --class``):
then the sidebar links to its teacher's screen."""

if "solara.server.patch" in sys.modules:  # imported by solara's server (not by a test)
    keep_tracebacks_on_server()
    load_plugins()
    CLASS_SERVED = mount_on_solara()


@solara.component
def ClassLink(lang: str) -> None:
    """The way from the dashboard to the class: a link to the teacher's screen (which asks
    for the teacher key; the key itself is never on the dashboard, which students may open)."""
    solara.Button(TEACHER[lang]["dashboard_link"], href=f"{PREFIX}/teacher?lang={lang}",
                  target="_blank", text=True, color="primary", classes=["class-link"])


def choice_namer(presets: list[str]):
    """Display names for the choosers' values: presets, strategies and "off"."""
    def name(value: Any, lang: str) -> str | None:
        if value == SIDE_BY_SIDE_OFF:
            return t("side_by_side_off", lang)
        if value in STRATEGIES:
            return strategy_name(value, lang)
        if value in presets:
            return scenario_name(value, lang)
        return None
    return name


@solara.component
def LanguageToggle(language: solara.Reactive[str]) -> None:
    """English / Nederlands, at the top of the sidebar."""
    with solara.ToggleButtonsSingle(value=language.value, on_value=language.set, dense=True,
                                    classes=["language-toggle"]):
        for code in LANGUAGES:
            solara.Button(LANGUAGE_NAMES[code], value=code, text=True)


@solara.component
def Page() -> None:
    """The dashboard for one browser session, and what guards it.

    The page admits the session (or says the server is full), and catches whatever goes
    wrong below it: the user gets one line in the session's language and a button to start
    again, the server log gets the details; a traceback never reaches the browser.
    """
    chrome.install()
    router = solara.use_router()
    language = solara.use_reactive(solara.use_memo(lambda: start_language(router.search), []))
    network_colour = solara.use_reactive("city")
    advanced = solara.use_reactive(False)
    projector = solara.use_reactive(False)
    presets = solara.use_memo(available_presets, [])
    # An error below the page arrives in one of two ways: raised while rendering (solara
    # hands it to use_exception) or raised by a SolaraViz button (the chrome's guard
    # reports it here instead of letting it reach solara, which would show a traceback).
    failure = solara.use_reactive(cast(BaseException | None, None))
    exception, clear = solara.use_exception()
    error = exception if exception is not None else failure.value
    session_chrome = solara.use_memo(
        lambda: chrome.Chrome(language=language, page_names=PAGE_NAMES,
                              choice_name=choice_namer(presets), network_colour=network_colour,
                              projector=projector, on_error=failure.set),
        [])
    chrome.use_chrome(session_chrome)
    policy = solara.use_memo(current_policy, [])
    ticket = solara.use_memo(lambda: SESSIONS.admit(policy.max_sessions), [])
    solara.use_effect(lambda: lambda: SESSIONS.release(ticket), [])
    attempt = solara.use_reactive(0)

    def log_error() -> None:
        if error is not None:
            logger.error("dashboard session error (the user was shown a short message)",
                         exc_info=error)
    solara.use_effect(log_error, [error])

    def start_again() -> None:
        attempt.set(attempt.value + 1)  # a fresh model: the failed one may be broken
        failure.set(None)
        clear()

    lang = language.value
    solara.Style(CSS)
    if not advanced.value:
        solara.Style(HIDE_ADVANCED_CSS)
    if projector.value:
        solara.Style(PROJECTOR_CSS)
    solara.Title(t("title", lang))
    with solara.Sidebar(), solara.Column(gap="0px", style={"padding": "0 8px"}):
        with solara.Row(style={"align-items": "center"}):
            solara.Text(t("language", lang))
            LanguageToggle(language)
        with solara.Row(gap="12px"):
            solara.Checkbox(label=t("projector", lang), value=projector)
            solara.Checkbox(label=t("advanced", lang), value=advanced)
        if CLASS_SERVED:
            ClassLink(lang)
    if ticket is None:
        solara.Error(t("server_full", lang, sessions=policy.max_sessions),
                     classes=["server-full"])
        return
    if error is not None:
        with solara.Column(classes=["session-error"]):
            solara.Error(t("session_error", lang))
            solara.Button(t("start_again", lang), color="primary", on_click=start_again)
        return
    Dashboard(language=language, initial=settings_from_query(router.search)) \
        .key(f"attempt-{attempt.value}")


@solara.component
def Dashboard(language: solara.Reactive[str], initial: dict[str, Any] | None = None) -> None:
    """SolaraViz on this session's Classroom, with a line for values that were refused.

    ``initial``: the run the page's address asks for (checked like every Reset)."""
    first = solara.use_memo(lambda: session_classroom()(**(initial or {})), [])
    model = solara.use_reactive(first)
    classroom = model.value
    lang = language.value
    params = solara.use_memo(lambda: model_params(classroom, lang), [classroom, lang])
    components = solara.use_memo(lambda: view_components(classroom.side_by_side),
                                 [classroom.side_by_side])
    if classroom.rejections:
        solara.Error(rejection_message(classroom.rejections, lang),
                     classes=["settings-rejected"])
    # A new preset or a switch between one and two strategies changes the sliders' ranges
    # and the number of views: SolaraViz starts afresh then (its parameters taken from the
    # new model), which the key arranges.
    SolaraViz(model, components=components, model_params=params,
              name=t("title", lang)).key(f"{classroom.settings.preset}|{classroom.side_by_side}")
