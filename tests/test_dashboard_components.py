"""The teaching dashboard without a browser: the page, its parts, and the session state.

``solara.render`` builds the widget tree in this process, so these tests click buttons and
read monitors in milliseconds. They cannot see the browser-side failures (missing web
assets, a white page); ``test_dashboard_browser.py`` covers those in headless chromium.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import re
from pathlib import Path

import ipyvuetify as vw
import ipywidgets
import numpy as np
import pytest
import solara
from typer.testing import CliRunner

from sim.dashboard import i18n
from sim.dashboard.app import Page
from sim.dashboard.components import format_euros
from sim.dashboard.figures import PANELS, network_figure, shared_limits, value_space_figure
from sim.dashboard.params import (
    CLASSROOM_PARAMETERS,
    changed_overrides,
    classroom_controls,
    make_control,
)
from sim.dashboard.session import Session, Settings, available_presets, load_preset
from sim.dashboard_cli import dashboard, missing_assets, server_command, server_environment
from sim.scenario import describe_parameter
from sim.strategies import STRATEGIES

# ----------------------------------------------------------------------------- helpers


def in_event_loop(test):
    """Run a page test inside a running event loop, as the server does.

    Play is a coroutine task on the server's event loop; without a running loop solara
    cannot start (or even set up) that task. Async test bodies are awaited.
    """
    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        async def body():
            result = test(*args, **kwargs)
            if inspect.isawaitable(result):
                await result
        asyncio.run(body())
    return wrapper


def render_page():
    """Render one dashboard session; return its render context."""
    _, rc = solara.render(solara.AppLayout(children=[Page()]), handle_error=False)
    return rc


def monitor(rc, key: str) -> list[str]:
    """The text of a monitor, once per strategy column."""
    return [w.children[0] for w in
            rc.find(vw.Html, class_=f"monitor-value monitor-value-{key}").widgets]


def button(rc, label: str):
    return rc.find(vw.Btn, children=[label]).widget


def select_tab(rc, index: int) -> None:
    rc.find(vw.Tabs).widget.v_model = index


def markdown_text(rc) -> str:
    return "\n".join(w.template.template if hasattr(w.template, "template") else str(w.template)
                     for w in rc.find(vw.VuetifyTemplate).widgets)


def language_toggle(rc):
    return rc.find(vw.BtnToggle, class_="language-toggle").widget


def select_with_label(rc, label: str):
    return rc.find(vw.Select, label=label).widget


# ----------------------------------------------------------------------------- the page


@in_event_loop
def test_page_renders_controls_monitors_and_one_plot():
    rc = render_page()
    for label in ("Reset", "Step", "Play"):
        assert button(rc, label) is not None
    assert monitor(rc, "week") == ["0"]
    headcount = load_preset(available_presets()[0] if "classroom" not in available_presets()
                            else "classroom").headcount
    assert monitor(rc, "headcount") == [str(headcount)]
    assert len(rc.find(ipywidgets.Image).widgets) == 1


@in_event_loop
def test_step_advances_the_week_and_redraws_the_plot():
    rc = render_page()
    before = rc.find(ipywidgets.Image).widget.value
    button(rc, "Step").click()
    assert monitor(rc, "week") == ["1"]
    assert rc.find(ipywidgets.Image).widget.value != before


@in_event_loop
async def test_play_runs_weeks_until_paused():
    rc = render_page()
    button(rc, "Play").click()
    assert button(rc, "Pause") is not None
    assert button(rc, "Step").disabled
    # wait until Play has advanced at least two weeks (drawing is slow on a loaded machine)
    for _ in range(300):
        await asyncio.sleep(0.1)
        if int(monitor(rc, "week")[0]) > 1:
            break
    button(rc, "Pause").click()
    await asyncio.sleep(0.2)
    week = int(monitor(rc, "week")[0])
    assert week > 1
    await asyncio.sleep(0.3)
    assert int(monitor(rc, "week")[0]) == week
    assert button(rc, "Play") is not None


@in_event_loop
def test_weeks_per_step_steps_several_weeks():
    rc = render_page()
    toggle = [w for w in rc.find(vw.BtnToggle).widgets if "language-toggle" not in w.class_]
    toggle[0].v_model = 2  # the index of 13 in the choices 1, 4, 13, 52
    button(rc, "Step").click()
    assert monitor(rc, "week") == ["13"]


@in_event_loop
def test_two_sessions_have_independent_models():
    first, second = render_page(), render_page()
    button(first, "Step").click()
    button(first, "Step").click()
    assert monitor(first, "week") == ["2"]
    assert monitor(second, "week") == ["0"]


@in_event_loop
def test_slider_change_is_pending_until_reset():
    rc = render_page()
    button(rc, "Step").click()
    assert not rc.find(vw.Alert, children=[i18n.t("pending", "en")]).widgets
    slider = rc.find(vw.Slider, label="Interaction: confidence threshold").widget
    slider.v_model = 0.1
    assert rc.find(vw.Alert, children=[i18n.t("pending", "en")]).widgets
    button(rc, "Reset").click()
    assert not rc.find(vw.Alert, children=[i18n.t("pending", "en")]).widgets
    assert monitor(rc, "week") == ["0"]


@in_event_loop
def test_switching_strategy_rebuilds_the_model():
    rc = render_page()
    button(rc, "Step").click()
    select_with_label(rc, "Strategy").v_model = "training"
    assert monitor(rc, "week") == ["0"]
    button(rc, "Step").click()
    cost = monitor(rc, "cost_so_far")[0]
    assert cost != "EUR 0"  # a trained cohort costs money from week 1


@in_event_loop
def test_side_by_side_shows_two_columns_stepping_in_lockstep():
    rc = render_page()
    rc.find(vw.Switch, label=i18n.t("side_by_side", "en")).widget.v_model = True
    assert len(rc.find(ipywidgets.Image).widgets) == 2
    assert select_with_label(rc, "Second strategy") is not None
    button(rc, "Step").click()
    button(rc, "Step").click()
    assert monitor(rc, "week") == ["2", "2"]
    costs = monitor(rc, "cost_so_far")
    assert costs[0] != costs[1]  # none vs training: the comparison shows a difference


@in_event_loop
def test_language_toggle_translates_labels_and_info():
    rc = render_page()
    language_toggle(rc).v_model = i18n.LANGUAGES.index("nl")
    assert button(rc, "Stap") is not None
    assert button(rc, "Opnieuw") is not None
    assert rc.find(vw.Slider, label="Vertrouwensdrempel").widgets
    select_tab(rc, 3)
    text = markdown_text(rc)
    assert "WAT IS HET?" in text
    assert "WHAT IS IT?" not in text


@in_event_loop
def test_info_panel_has_netlogo_sections_in_order():
    rc = render_page()
    select_tab(rc, 3)
    text = markdown_text(rc)
    titles = ["WHAT IS IT?", "HOW IT WORKS", "HOW TO USE IT", "THINGS TO NOTICE",
              "THINGS TO TRY", "EXTENDING THE MODEL", "CREDITS AND REFERENCES"]
    positions = [text.index(title) for title in titles]
    assert positions == sorted(positions)


@pytest.mark.parametrize("tab", [1, 2])
@in_event_loop
def test_network_and_value_space_tabs_draw_and_follow_steps(tab):
    rc = render_page()
    select_tab(rc, tab)
    before = rc.find(ipywidgets.Image).widget.value
    assert len(before) > 1000
    button(rc, "Step").click()
    assert rc.find(ipywidgets.Image).widget.value != before


@in_event_loop
def test_network_colour_toggle_changes_the_picture():
    rc = render_page()
    select_tab(rc, 1)
    by_city = rc.find(ipywidgets.Image).widget.value
    toggles = [w for w in rc.find(vw.BtnToggle).widgets if w.children and
               any(getattr(b, "children", None) == ["Team"] for b in w.children)]
    toggles[0].v_model = 1  # city, team
    assert rc.find(ipywidgets.Image).widget.value != by_city


# ----------------------------------------------------------------------------- i18n


def test_every_label_has_both_languages():
    for key, texts in i18n.LABELS.items():
        for lang in i18n.LANGUAGES:
            assert texts.get(lang, "").strip(), f"{key} lacks {lang}"


def test_every_registered_strategy_and_preset_has_a_name_in_both_languages():
    for name in STRATEGIES:
        assert name in i18n.STRATEGY_NAMES, name
        assert i18n.strategy_name(name, "nl") != i18n.strategy_name(name, "en") or \
            name == "training"
    for preset in available_presets():
        if preset in i18n.SCENARIO_NAMES:
            assert i18n.scenario_name(preset, "nl")


def test_every_shown_parameter_has_dutch_name_and_help():
    for control in classroom_controls(load_preset("case")):
        assert control.path in i18n.PARAMETER_TEXT, control.path
        assert control.name("nl") != control.name("en")
        assert control.help("nl") != control.help("en")


def test_info_panel_complete_in_both_languages():
    for lang in i18n.LANGUAGES:
        sections = i18n.info_sections(lang)
        assert len(sections) == 7
        assert all(len(body) > 200 for _, body in sections)
    assert i18n.info_sections("en")[0][1] != i18n.info_sections("nl")[0][1]


def test_unit_text_drops_dimensionless_and_translates():
    assert i18n.unit_text("1", "en") == ""
    assert i18n.unit_text("1 (normalised distance)", "en") == "normalised distance"
    assert i18n.unit_text("1 (normalised distance)", "nl") == "genormaliseerde afstand"
    assert i18n.unit_text("weeks", "en") == "weeks"


def test_format_euros_per_language():
    assert format_euros(1020000.4, "en") == "EUR 1,020,000"
    assert format_euros(1020000.4, "nl") == "€ 1.020.000"


# ----------------------------------------------------------------------------- parameters


def test_controls_take_range_and_default_from_the_schema():
    scenario = load_preset("case")
    controls = classroom_controls(scenario)
    assert controls, "no classroom parameter found in the schema"
    for control in controls:
        info = describe_parameter(control.path, scenario)
        assert control.default == info.default
        assert control.description == info.description
        if control.kind == "bool":
            continue
        assert control.minimum == info.minimum
        if control.path != "training.cohort_size":
            assert control.maximum == info.maximum


def test_cohort_slider_is_capped_at_headcount():
    scenario = load_preset("case")
    control = make_control("training.cohort_size", scenario)
    assert control.maximum == scenario.headcount
    assert describe_parameter("training.cohort_size").maximum > scenario.headcount


def test_float_defaults_lie_on_the_slider_grid():
    for preset in available_presets():
        for control in classroom_controls(load_preset(preset)):
            if control.kind == "float":
                ticks = (control.default - control.minimum) / control.step
                assert abs(ticks - round(ticks)) < 1e-6, control.path


def test_unknown_paths_are_skipped_not_fatal():
    scenario = load_preset("case")
    shown = {c.path for c in classroom_controls(scenario)}
    assert shown <= set(CLASSROOM_PARAMETERS)
    assert "interaction.confidence_threshold" in shown


def test_changed_overrides_keeps_only_changes():
    controls = classroom_controls(load_preset("case"))
    values = {c.path: c.default for c in controls}
    assert changed_overrides(controls, values) == {}
    values["interaction.confidence_threshold"] = 0.1
    assert changed_overrides(controls, values) == {"interaction.confidence_threshold": 0.1}


# ----------------------------------------------------------------------------- session


def small_settings(**changes) -> Settings:
    base = Settings(preset="classroom" if "classroom" in available_presets() else "case")
    return base.with_changes(**changes)


def test_side_by_side_models_share_population_and_step_together():
    session = Session(small_settings(strategy="none", strategy_b="training", compare=True))
    a, b = (sim.model for sim in session.simulations)
    np.testing.assert_array_equal(a.values, b.values)
    assert session.step(3) == 3
    assert a.week == b.week == 3
    assert not np.array_equal(a.values, b.values)


def test_overrides_reach_the_model():
    session = Session(small_settings(overrides={"interaction.confidence_threshold": 0.12}))
    assert session.simulations[0].model.config.interaction.confidence_threshold == 0.12


def test_step_stops_at_the_horizon():
    session = Session(small_settings())
    total = session.scenario.horizon.total_weeks
    assert session.step(total + 10) == total
    assert not session.running
    assert session.step(1) == 0


def test_layout_is_computed_once_per_model():
    session = Session(small_settings())
    sim = session.simulations[0]
    first = sim.layout
    session.step(2)
    assert sim.layout is first
    assert first.shape == (sim.model.values.shape[0], 2)
    assert np.isfinite(first).all()


def test_value_space_axes_stay_fixed():
    session = Session(small_settings(strategy="training"))
    sim = session.simulations[0]
    limits = sim.value_limits
    session.step(5)
    assert sim.value_limits == limits
    fig = value_space_figure(sim, "nl")
    assert fig.axes[0].get_xlim() == pytest.approx(limits[:2])


def test_network_figure_legend_follows_colouring():
    sim = Session(small_settings()).simulations[0]
    cities = network_figure(sim, "city", "en").axes[0].get_legend().get_texts()
    teams = network_figure(sim, "team", "en").axes[0].get_legend().get_texts()
    assert [x.get_text() for x in cities] == [f"city {n}" for n in sim.model.city_names]
    assert [x.get_text() for x in teams][-1] == "no team"


def test_shared_limits_cover_both_runs():
    session = Session(small_settings(strategy="none", strategy_b="training", compare=True))
    session.step(10)
    frames = [sim.model.timeseries() for sim in session.simulations]
    limits = shared_limits(frames)
    assert set(limits) == set(PANELS)
    top = max(f["cost_cum"].max() for f in frames) / 1000.0
    assert limits["cost_cum"][1] >= top > 0


# ----------------------------------------------------------------------------- command


def test_server_command_is_local_production_and_quiet():
    cmd = server_command("127.0.0.1", 9999)
    assert cmd[1:4] == ["-m", "solara", "run"]
    assert "sim.dashboard.app" in cmd
    assert cmd[cmd.index("--host") + 1] == "127.0.0.1"
    assert cmd[cmd.index("--port") + 1] == "9999"
    assert "--production" in cmd and "--no-open" in cmd
    assert server_environment()["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "false"


def test_bad_port_exits_2_with_a_message():
    import typer

    app = typer.Typer()
    app.command()(dashboard)
    result = CliRunner().invoke(app, ["--port", "70000"])
    assert result.exit_code == 2
    assert "error: --port" in result.output


def test_missing_assets_are_reported(tmp_path):
    assert len(missing_assets(tmp_path)) == 4
    for spec in missing_assets(tmp_path):
        (tmp_path / spec).mkdir(parents=True)
        (tmp_path / spec / "package.json").write_text("{}")
    assert missing_assets(tmp_path) == []


# ----------------------------------------------------------------------------- teaching guide

GUIDES = Path(__file__).resolve().parent.parent / "docs" / "teaching"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_teaching_guide_names_controls_as_the_dashboard_does(lang):
    """Bold control names in the guide are the dashboard's own labels, so students find them."""
    text = (GUIDES / f"{lang}.md").read_text(encoding="utf-8")
    names = {c.name(lang) for c in classroom_controls(load_preset("case"))}
    labels = {i18n.t(key, lang) for key in i18n.LABELS}
    bold = set(re.findall(r"\*\*([^*]+)\*\*", text))
    controls_named = {b for b in bold if b in names}
    assert len(controls_named) >= 6, controls_named
    if lang == "en":  # English control names read "Section: field"
        assert {b for b in bold if re.fullmatch(r"[A-Z][a-z]+: [a-z ]+", b)} <= names
    for key in ("reset", "step", "play", "side_by_side"):
        assert i18n.t(key, lang).split(":")[0] in text, key
    assert labels  # the label table is not empty


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_teaching_guide_has_the_required_parts(lang):
    text = (GUIDES / f"{lang}.md").read_text(encoding="utf-8")
    exercises = re.findall(r"^### (?:Exercise|Opdracht) \d", text, flags=re.MULTILINE)
    assert len(exercises) >= 5
    try_word, notice_word, discuss_word = (("Try:", "Notice:", "Discuss:") if lang == "en"
                                           else ("Probeer:", "Let op:", "Bespreek:"))
    assert text.count(notice_word) >= 5 and text.count(discuss_word) >= 5
    assert text.count(try_word) >= len(exercises)
    assert "90" in text
    for name in STRATEGIES:
        if name in ("training", "teams", "assigned-teams", "none"):
            assert i18n.strategy_name(name, lang) in text, name
