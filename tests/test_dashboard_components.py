"""The teaching dashboard without a browser: the SolaraViz page, its views, the Classroom model.

``solara.render`` builds the widget tree in this process, so these tests click buttons and
read monitors in milliseconds. They cannot see the browser-side failures (missing web
assets, a white page); ``test_dashboard_browser.py`` covers those in headless chromium.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import re
import time
from pathlib import Path

import ipyvuetify as vw
import ipywidgets
import numpy as np
import pytest
import solara
import typer
from mesa.visualization import solara_viz
from typer.testing import CliRunner

from sim.cli.dashboard import dashboard, missing_assets, server_command, server_environment
from sim.presentation.dashboard import chrome, i18n
from sim.presentation.dashboard.app import Page
from sim.presentation.dashboard.charts import PANELS, metric_spec, y_domain
from sim.presentation.dashboard.classroom import (
    SIDE_BY_SIDE_OFF,
    Classroom,
    available_presets,
    default_preset,
    load_preset,
)
from sim.presentation.dashboard.components import view_components
from sim.presentation.dashboard.figures import network_figure, value_space_figure
from sim.presentation.dashboard.numbers import format_euros, format_number, format_setting
from sim.presentation.dashboard.params import (
    CLASSROOM_PARAMETERS,
    classroom_controls,
    make_control,
    model_params,
)
from sim.presentation.dashboard.server import solara_arguments
from sim.presentation.dashboard.vega import TEMPLATE, VegaChart
from sim.scenario import describe_parameter
from sim.strategies import STRATEGIES

# ----------------------------------------------------------------------------- helpers


def in_event_loop(test):
    """Run a page test inside a running event loop, as the server does.

    SolaraViz's Play is a task; solara sets tasks up on the running loop. Async test bodies
    are awaited.
    """
    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        async def body():
            result = test(*args, **kwargs)
            if inspect.isawaitable(result):
                await result
        asyncio.run(body())
    return wrapper


OPEN_PAGES: list = []


@pytest.fixture(autouse=True)
def close_pages():
    """Close the pages a test rendered, and forget their session, so tests stay apart
    (in the server, solara keeps each session's state apart by itself)."""
    yield
    while OPEN_PAGES:
        OPEN_PAGES.pop().close()
    chrome._SESSION_CHROME.set(None)


def render_page():
    """Render one dashboard session; return its render context."""
    _, rc = solara.render(solara.AppLayout(children=[Page()]), handle_error=False)
    OPEN_PAGES.append(rc)
    return rc


def monitor(rc, key: str) -> list[str]:
    """The text of a monitor, once per strategy."""
    return [w.children[0] for w in
            rc.find(vw.Html, class_=f"monitor-value monitor-value-{key}").widgets]


def button(rc, label: str):
    return rc.find(vw.Btn, children=[label]).widget


def select_tab(rc, index: int) -> None:
    rc.find(vw.Tabs).widget.v_model = index


def widgets_below(widget) -> list:
    """Every widget under ``widget`` in document order, grid items included (the finder
    skips a grid's items)."""
    found, stack = [], [widget]
    while stack:
        current = stack.pop()
        found.append(current)
        for name in ("children", "items"):
            value = getattr(current, name, None)
            if isinstance(value, dict):
                value = list(value.values())
            if isinstance(value, list | tuple):
                stack.extend(reversed([x for x in value if isinstance(x, ipywidgets.Widget)]))
    return found


def images(rc, view: str) -> list:
    """The picture widgets inside the containers of one view (``view-<view>``), in order."""
    sheets = [w for w in widgets_below(rc.container)
              if isinstance(w, vw.Sheet) and f"view-{view}" in (w.class_ or "").split()]
    sheets.sort(key=lambda w: w.model_id)
    return [child for sheet in sheets for child in sheet.children
            if isinstance(child, ipywidgets.Image)]


def charts(rc) -> list:
    """The live plots' chart widgets (Vega-Lite specs drawn by the browser), in page order."""
    found = [w for w in widgets_below(rc.container) if isinstance(w, VegaChart)]
    return sorted(found, key=lambda w: w.model_id)


def markdown_text(rc) -> str:
    return "\n".join(w.template.template if hasattr(w.template, "template") else str(w.template)
                     for w in widgets_below(rc.container) if isinstance(w, vw.VuetifyTemplate))


def language_toggle(rc):
    return rc.find(vw.BtnToggle, class_="language-toggle").widget


def select_with_label(rc, label: str):
    return rc.find(vw.Select, label=label).widget


def running_line(rc) -> str:
    return rc.find(vw.Html, class_="running-now").widget.children[0]


def control_label(path: str, lang: str = "en") -> str:
    return make_control(path, load_preset(default_preset())).label(lang)


def wait_for(check, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


# ----------------------------------------------------------------------------- the page


@in_event_loop
def test_page_is_a_solaraviz_app_with_controls_monitors_and_six_plots():
    rc = render_page()
    for label in ("Reset", "Step", "▶"):
        assert button(rc, label) is not None
    assert monitor(rc, "week") == ["0"]
    assert monitor(rc, "headcount") == [str(load_preset(default_preset()).headcount)]
    assert len(charts(rc)) == len(PANELS) == 6
    titles = [w.children[0] for w in rc.find(vw.CardTitle).widgets]
    assert titles == ["Controls", "Model parameters", "Information"]
    assert [w.children[0] for w in rc.find(vw.Tab).widgets] == [
        "Plots", "Network", "Value space", "Culture profile", "Events", "Ten seeds", "Info"]


@in_event_loop
def test_step_advances_the_week_and_redraws_the_plots():
    rc = render_page()
    before = [w.spec for w in charts(rc)]
    assert all(len(spec["data"]["values"]) == 1 for spec in before)  # week 0
    button(rc, "Step").click()
    assert monitor(rc, "week") == ["1"]
    after = [w.spec for w in charts(rc)]
    assert all(len(spec["data"]["values"]) == 2 for spec in after)


@in_event_loop
def test_weeks_per_step_slider_steps_several_weeks():
    rc = render_page()
    rc.find(vw.Slider, label="Weeks per step").widget.v_model = 13
    button(rc, "Step").click()
    assert monitor(rc, "week") == ["13"]


@in_event_loop
async def test_play_runs_weeks_until_paused():
    rc = render_page()
    button(rc, "▶").click()
    for _ in range(300):  # drawing is slow on a loaded machine
        await asyncio.sleep(0.1)
        if int(monitor(rc, "week")[0]) > 1:
            break
    button(rc, "❚❚").click()
    paused_at = int(monitor(rc, "week")[0])
    assert paused_at > 1
    # A step already under way when the pause lands may still finish (its
    # redraw takes long on a loaded machine), so wait until the week holds
    # still; a loop that ignored the pause would never hold still.
    week, still_since = paused_at, time.monotonic()
    deadline = time.monotonic() + 30
    while time.monotonic() - still_since < 1.5:
        assert time.monotonic() < deadline, "the week kept advancing after pause"
        await asyncio.sleep(0.1)
        now = int(monitor(rc, "week")[0])
        if now != week:
            week, still_since = now, time.monotonic()
    assert week <= paused_at + 2  # the step in flight, and one not yet drawn
    assert button(rc, "▶") is not None


@in_event_loop
def test_two_sessions_have_independent_models():
    first, second = render_page(), render_page()
    button(first, "Step").click()
    button(first, "Step").click()
    assert monitor(first, "week") == ["2"]
    assert monitor(second, "week") == ["0"]


@in_event_loop
def test_slider_change_applies_at_reset():
    rc = render_page()
    button(rc, "Step").click()
    path = "interaction.confidence_threshold"
    rc.find(vw.Slider, label=control_label(path)).widget.v_model = 0.1
    assert monitor(rc, "week") == ["1"]  # nothing changes until Reset
    assert "changed" not in running_line(rc)
    button(rc, "Reset").click()
    assert monitor(rc, "week") == ["0"]
    assert "changed: Interaction: confidence threshold 0.1" in running_line(rc)
    # the slider shows what runs, after the rebuild too
    assert rc.find(vw.Slider, label=control_label(path)).widget.v_model == 0.1


@in_event_loop
def test_switching_strategy_applies_at_reset():
    rc = render_page()
    button(rc, "Step").click()
    select_with_label(rc, "Strategy").v_model = "training"
    button(rc, "Reset").click()
    assert monitor(rc, "week") == ["0"]
    button(rc, "Step").click()
    assert monitor(rc, "cost_so_far")[0] != "EUR 0"  # a trained cohort costs money from week 1


@in_event_loop
def test_strategy_chooser_shows_names_but_passes_registry_keys():
    rc = render_page()
    items = select_with_label(rc, "Strategy").items
    assert [item["value"] for item in items] == list(STRATEGIES)
    assert {item["text"] for item in items} >= {"No intervention", "Culture training"}


@in_event_loop
def test_side_by_side_shows_both_strategies_stepping_in_lockstep():
    rc = render_page()
    select_with_label(rc, "Side by side: second strategy").v_model = "training"
    button(rc, "Reset").click()
    assert len(monitor(rc, "week")) == 2
    effect_title = "Alignment over doing nothing"
    specs = [w.spec for w in charts(rc) if w.spec["title"]["text"] != effect_title]
    assert len(specs) == 6  # each plot holds both strategies, as two lines on one axis
    assert all({row["s"] for row in spec["data"]["values"]}
               == {"No intervention", "Culture training"} for spec in specs)
    button(rc, "Step").click()
    button(rc, "Step").click()
    assert monitor(rc, "week") == ["2", "2"]
    # with none side by side, a seventh plot: training's alignment over none, week by week
    effect = [w.spec for w in charts(rc) if w.spec["title"]["text"] == effect_title]
    assert len(effect) == 1
    rows = effect[0]["data"]["values"]
    assert {row["s"] for row in rows} == {"Culture training"} and len(rows) == 3
    costs = monitor(rc, "cost_so_far")
    assert costs[0] != costs[1]  # none vs training: the comparison shows a difference
    select_tab(rc, 1)
    assert len(images(rc, "network")) == 2


@in_event_loop
def test_language_toggle_translates_solaraviz_chrome_labels_and_info():
    rc = render_page()
    language_toggle(rc).v_model = i18n.LANGUAGES.index("nl")
    assert button(rc, "Stap") is not None
    assert button(rc, "Opnieuw") is not None
    assert not rc.find(vw.Btn, children=["Step"]).widgets
    assert [w.children[0] for w in rc.find(vw.CardTitle).widgets] == [
        "Bediening", "Modelparameters", "Informatie"]
    assert [w.children[0] for w in rc.find(vw.Tab).widgets] == [
        "Grafieken", "Netwerk", "Waardenruimte", "Cultuurprofiel", "Gebeurtenissen",
        "Tien seeds", "Info"]
    assert rc.find(vw.Slider, label="Weken per stap").widgets
    assert rc.find(vw.Slider,
                   label=control_label("interaction.confidence_threshold", "nl")).widgets
    texts = [item["text"] for item in select_with_label(rc, "Strategie").items]
    assert "Cultuurtraining" in texts
    assert monitor(rc, "week") == ["0"]
    assert rc.find(vw.Html, children=["Aantal medewerkers"]).widgets
    select_tab(rc, 6)
    text = markdown_text(rc)
    assert "WAT IS HET?" in text and "WHAT IS IT?" not in text
    language_toggle(rc).v_model = i18n.LANGUAGES.index("en")
    assert button(rc, "Step") is not None


@in_event_loop
def test_language_switch_keeps_the_model_and_the_users_choices():
    rc = render_page()
    button(rc, "Step").click()
    select_with_label(rc, "Strategy").v_model = "training"
    language_toggle(rc).v_model = i18n.LANGUAGES.index("nl")
    assert monitor(rc, "week") == ["1"]
    assert select_with_label(rc, "Strategie").v_model == "training"
    button(rc, "Opnieuw").click()
    button(rc, "Stap").click()
    assert monitor(rc, "cost_so_far")[0] != "€ 0"


@in_event_loop
def test_info_panel_has_netlogo_sections_in_order():
    rc = render_page()
    select_tab(rc, 6)
    text = markdown_text(rc)
    titles = ["WHAT IS IT?", "HOW IT WORKS", "HOW TO USE IT", "THINGS TO NOTICE",
              "THINGS TO TRY", "EXTENDING THE MODEL", "CREDITS AND REFERENCES"]
    positions = [text.index(title) for title in titles]
    assert positions == sorted(positions)
    assert "The sliders and switches" in text


@pytest.mark.parametrize(("tab", "view"), [(1, "network"), (2, "values")])
@in_event_loop
def test_network_and_value_space_tabs_draw_and_follow_steps(tab, view):
    rc = render_page()
    select_tab(rc, tab)
    before = images(rc, view)[0].value
    assert len(before) > 1000
    button(rc, "Step").click()
    assert images(rc, view)[0].value != before


@in_event_loop
def test_network_colour_toggle_changes_the_picture():
    rc = render_page()
    select_tab(rc, 1)
    by_city = images(rc, "network")[0].value
    rc.find(vw.BtnToggle, class_="colour-toggle").widget.v_model = 1  # city, team
    assert images(rc, "network")[0].value != by_city


# ----------------------------------------------------------------------------- chrome


def test_every_translated_solaraviz_text_still_occurs_in_mesa():
    """A Mesa release that rewords its chrome must fail here, not show English silently."""
    source = inspect.getsource(solara_viz)
    for english in chrome.MESA_TEXT:
        assert f'"{english}"' in source, english
    assert 'f"Time: {model.time}"' in source
    assert 'f"Page {index}"' in source
    for key in chrome.MESA_TEXT.values():
        assert all(i18n.t(key, lang) for lang in i18n.LANGUAGES)


def test_translate_passes_through_without_a_dashboard_session():
    assert chrome.translate("Step") in ("Step", "Stap")  # a session may be registered
    chrome._SESSION_CHROME.set(None)
    assert chrome.translate("Step") == "Step"
    assert chrome.translate("Time: 3.0") == "Time: 3.0"


def test_default_grid_layouts_fit_twelve_columns_without_overlap():
    for count in chrome.GRID_LAYOUTS:
        cells = chrome.default_grid_layout(count)
        assert [c["i"] for c in cells] == list(range(count))
        taken: set[tuple[int, int]] = set()
        for c in cells:
            assert c["x"] >= 0 and c["x"] + c["w"] <= 12
            area = {(x, y) for x in range(c["x"], c["x"] + c["w"])
                    for y in range(c["y"], c["y"] + c["h"])}
            assert not area & taken
            taken |= area
    for side_by_side in (False, True):
        pages: dict[int, int] = {}
        for _, page in view_components(side_by_side):
            pages[page] = pages.get(page, 0) + 1
        assert set(pages.values()) <= set(chrome.GRID_LAYOUTS), pages


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


def test_chart_widget_loads_the_locally_served_scripts_and_guards_its_element():
    """Our chart widget (not solara's, whose delayed draw read a removed element): its
    scripts are the asset folders the server serves, and it never draws once destroyed."""
    from sim.presentation.dashboard.assets import CHART_ASSETS, asset_dir

    chart = VegaChart(spec={"mark": "point"})
    assert set(chart.files) == {"vega", "vega-lite", "vega-embed"}
    for name, path in chart.files.items():
        folder = path.split("/")[0]
        assert folder in CHART_ASSETS, (name, path)
        assert (asset_dir() / f"{path}.js").is_file() or \
            (asset_dir() / CHART_ASSETS[folder][0]).is_dir(), path
    assert "beforeDestroy" in TEMPLATE and "if (!this.alive || !element) { return; }" in TEMPLATE
    assert "http" not in TEMPLATE  # nothing from elsewhere
    chart.close()


def test_plotted_outputs_are_registry_observables_with_its_better_direction():
    """The six plots show the model's weekly outputs as the observables registry declares
    them; "lower is better" is said exactly where the registry says lower is better."""
    from sim.experiments import observables
    from sim.presentation.dashboard.charts import LOWER_IS_BETTER

    weekly = observables.weekly()
    assert set(PANELS) <= set(weekly)
    assert {n for n in PANELS if weekly[n].better == "lower"} == LOWER_IS_BETTER
    assert {"distance_to_target", "cost_cum"} <= LOWER_IS_BETTER
    assert "contract_strength" not in LOWER_IS_BETTER


def test_reading_the_outputs_while_another_thread_plays_never_sees_half_a_week():
    """SolaraViz plays in a thread; a click redraws from the session's thread meanwhile. The
    Classroom's lock keeps a redraw from reading a week half collected (it failed with
    "Length of values (80) does not match length of index (79)" before the lock)."""
    import threading

    room = Classroom(strategy="teams", strategy_b="training")
    errors: list[str] = []

    def play() -> None:
        while room.running:
            room.step()

    player = threading.Thread(target=play)
    player.start()
    reads = 0
    while player.is_alive():
        try:
            frames = room.frames()
        except ValueError as err:
            errors.append(str(err))
            continue
        reads += 1
        assert all(len(frame) == len(frames[0]) for frame in frames)
    player.join()
    assert not errors, errors[:3]
    assert reads > 1 and room.week == room.config.horizon.total_weeks


def test_every_shipped_theme_has_a_name_in_both_languages():
    """Theme teams are named by their theme's id (English): the event log and the network's
    legend show a display name instead, Dutch in Dutch."""
    for preset in available_presets():
        for theme in load_preset(preset).themes:
            assert theme.name in i18n.THEME_NAMES, (preset, theme.name)
            dutch = i18n.theme_name(theme.name, "nl")
            assert dutch != i18n.theme_name(theme.name, "en") and theme.name not in dutch
    assert i18n.theme_name("a-custom-theme", "nl") == "a-custom-theme"


def test_event_log_names_teams_in_the_language():
    from sim.presentation.dashboard.components import event_text

    room = Classroom(strategy="teams")
    while room.running and not any(e.key == "event_team_formed"
                                   for e in room.simulations[0].events):
        room.step()
    formed = next(e for e in room.simulations[0].events if e.key == "event_team_formed")
    theme = formed.fields["team"]
    assert i18n.theme_name(theme, "nl") in event_text(formed, "nl")
    assert theme not in event_text(formed, "nl")
    assert i18n.theme_name(theme, "en") in event_text(formed, "en")


@in_event_loop
def test_slider_thumbs_show_the_value_written_the_languages_way():
    """Vuetify's own thumb writes "0.3"; ours writes "0,3" in Dutch, "0.3" in English."""
    rc = render_page()
    label = control_label("interaction.confidence_threshold", "en")
    slider = rc.find(vw.Slider, label=label).widget
    value = float(slider.v_model)
    assert value != int(value)  # a fraction, so the separator shows

    def thumb(slider) -> str:
        return slider.v_slots[0]["children"].children[0]

    assert thumb(slider) == format_setting(value, "en") and "." in thumb(slider)
    language_toggle(rc).v_model = i18n.LANGUAGES.index("nl")
    slider = rc.find(vw.Slider, label=control_label("interaction.confidence_threshold",
                                                    "nl")).widget
    assert thumb(slider) == format_setting(value, "nl") and "," in thumb(slider)
    slider.v_model = 0.15
    assert thumb(slider) == "0,15"
    weeks = rc.find(vw.Slider, label="Weken per stap").widget
    assert thumb(weeks) == str(weeks.v_model)


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
    """Millions as "EUR 3.56 M" / "€ 3,56 mln": never "€ 3.556" for 3.5 million."""
    assert format_euros(3_556_800, "en") == "EUR 3.56 M"
    assert format_euros(3_556_800, "nl") == "€ 3,56 mln"
    assert format_euros(356_800.4, "en") == "EUR 356,800"
    assert format_euros(356_800.4, "nl") == "€ 356.800"
    assert format_euros(0, "nl") == "€ 0"


def test_numbers_and_settings_per_language():
    assert format_number(1234.567, "en", 2) == "1,234.57"
    assert format_number(1234.567, "nl", 2) == "1.234,57"
    assert format_setting(0.3, "nl") == "0,3"
    assert format_setting(0.3, "en") == "0.3"
    assert format_setting(False, "nl") == "uit"
    assert format_setting(True, "en") == "on"


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


def test_model_params_come_from_the_schema_and_name_classroom_arguments():
    room = Classroom()
    params = model_params(room, "en")
    signature = inspect.signature(Classroom.__init__).parameters
    for key in ("preset", "strategy", "strategy_b", "seed", "defaults_from"):
        assert key in signature and key in params
    assert params["preset"]["values"] == available_presets()
    assert params["strategy"]["values"] == list(STRATEGIES)
    for control in classroom_controls(room.config):
        spec = params[control.path]
        info = describe_parameter(control.path, room.config)
        assert spec["value"] == info.default
        assert spec["label"] == control.label("en")
        if control.kind != "bool":
            assert spec["min"] == info.minimum
            assert spec["max"] <= info.maximum
    nl = model_params(room, "nl")
    assert nl["interaction.confidence_threshold"]["label"].startswith("Tolerantiegrens")


def test_model_params_show_the_running_values():
    room = Classroom(**{"interaction.confidence_threshold": 0.12})
    assert model_params(room, "en")["interaction.confidence_threshold"]["value"] == 0.12


# ----------------------------------------------------------------------------- classroom


def test_classroom_rebuilds_from_keyword_arguments_alone():
    """SolaraViz's Reset: ``type(model)(**params)``, plus Mesa's own ``scenario`` keyword."""
    first = Classroom()
    params = model_params(first, "en")
    kwargs = {k: (v["value"] if isinstance(v, dict) else v) for k, v in params.items()}
    again = type(first)(**kwargs, scenario=first.scenario)
    assert again.settings == first.settings
    assert again.settings.overrides == {}


def test_side_by_side_models_share_population_and_step_together():
    room = Classroom(strategy="none", strategy_b="training")
    a, b = (sim.model for sim in room.simulations)
    np.testing.assert_array_equal(a.values, b.values)
    for _ in range(3):
        room.step()
    assert a.week == b.week == room.week == 3
    assert room.time == 3
    assert not np.array_equal(a.values, b.values)


def test_overrides_reach_the_model_and_defaults_are_not_overrides():
    default_rate = load_preset("classroom").interaction.convergence_rate
    room = Classroom(**{"interaction.confidence_threshold": 0.12,
                        "interaction.convergence_rate": default_rate})
    assert room.simulations[0].model.config.interaction.confidence_threshold == 0.12
    assert room.settings.overrides == {"interaction.confidence_threshold": 0.12}


def test_untouched_sliders_take_the_new_presets_defaults():
    """Sliders that showed the classroom's cohort size (3) do not impose it on the case."""
    shown = load_preset("classroom").training.cohort_size
    room = Classroom(preset="case", defaults_from="classroom",
                     **{"training.cohort_size": shown})
    assert room.config.training.cohort_size != shown
    assert room.simulations[0].model.config.training.cohort_size == \
        room.config.training.cohort_size
    moved = Classroom(preset="case", defaults_from="classroom",
                      **{"training.cohort_size": shown + 1})
    assert moved.simulations[0].model.config.training.cohort_size == shown + 1


def test_unknown_strategy_is_refused():
    """Not used: the first strategy runs, and the refusal is recorded for the page."""
    room = Classroom(strategy="telepathy")
    assert room.settings.strategy == next(iter(STRATEGIES))
    assert [(r.name, r.reason) for r in room.rejections] == [("strategy", "reason_not_offered")]


def test_classroom_stops_at_the_horizon():
    room = Classroom(preset="classroom")
    horizon = room.config.horizon.intervention_weeks + room.config.horizon.followup_weeks
    while room.running:
        room.step()
    assert room.week == horizon


def test_layout_is_computed_once_per_model_from_week_0():
    room = Classroom()
    sim = room.simulations[0]
    first = sim.layout
    room.step()
    room.step()
    assert sim.layout is first
    assert first.shape == (sim.model.values.shape[0], 2)
    assert np.isfinite(first).all()
    late = Classroom(strategy="training")  # the network tab first opened at week 13
    for _ in range(13):
        late.step()
    np.testing.assert_array_equal(late.simulations[0].layout, first)


def test_value_space_axes_stay_fixed():
    room = Classroom(strategy="training")
    sim = room.simulations[0]
    limits = sim.value_limits
    for _ in range(5):
        room.step()
    assert sim.value_limits == limits
    fig = value_space_figure(sim, "nl")
    assert fig.axes[0].get_xlim() == pytest.approx(limits[:2])


def test_network_figure_legend_follows_colouring():
    sim = Classroom().simulations[0]
    cities = network_figure(sim, "city", "en").axes[0].get_legend().get_texts()
    teams = network_figure(sim, "team", "en").axes[0].get_legend().get_texts()
    assert [x.get_text() for x in cities] == [f"city {n}" for n in sim.model.city_names]
    assert [x.get_text() for x in teams][-1] == "no team"


def test_one_axis_covers_both_runs():
    room = Classroom(strategy="none", strategy_b="training")
    for _ in range(10):
        room.step()
    frames = room.frames()
    top = max(f["cost_cum"].max() for f in frames) / 1000.0
    assert y_domain(frames, "cost_cum")[1] >= top > 0


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_plot_spec_compares_strategies_and_explains_itself(lang):
    room = Classroom(strategy="training", strategy_b="teams")
    for _ in range(5):
        room.step()
    horizon = room.config.horizon
    for name in PANELS:
        spec = metric_spec(room.frames(), ["training", "teams"], name, lang,
                           horizon.intervention_weeks, horizon.total_weeks)
        lines = [layer for layer in spec["layer"] if layer["mark"]["type"] == "line"]
        assert len(lines) == 1  # one axis; the strategies are colours of one line layer
        colour = lines[0]["encoding"]["color"]
        assert len(colour["scale"]["domain"]) == 2 and colour["legend"]
        assert lines[0]["encoding"]["y"]["title"] == i18n.t(f"unit_{name}", lang)
        assert lines[0]["encoding"]["x"]["scale"]["domain"] == [0, horizon.total_weeks]
        subtitle = spec["title"].get("subtitle")
        lower = name in ("distance_to_target", "city_divergence", "cost_cum")
        assert (subtitle == i18n.t("lower_is_better", lang)) == lower
        texts = [row["text"] for layer in spec["layer"] if layer["mark"]["type"] == "text"
                 for row in layer["data"]["values"]]
        assert texts == [i18n.t("band_intervention", lang), i18n.t("band_followup", lang)]
        assert any("tooltip" in layer["encoding"] for layer in spec["layer"])
        assert len(spec["data"]["values"]) == 2 * 6  # weeks 0-5, two strategies


def test_side_by_side_off_is_not_a_strategy():
    assert SIDE_BY_SIDE_OFF not in STRATEGIES
    assert not Classroom(strategy_b=SIDE_BY_SIDE_OFF).side_by_side


# ----------------------------------------------------------------------------- command


def test_server_command_is_local_production_and_quiet():
    cmd = server_command("127.0.0.1", 9999)
    # solara's server, network closed
    assert cmd[1:3] == ["-m", "sim.presentation.dashboard.server"]
    assert cmd[cmd.index("--host") + 1] == "127.0.0.1"
    assert cmd[cmd.index("--port") + 1] == "9999"
    args = solara_arguments("127.0.0.1", 9999)
    assert args[:2] == ["run", "sim.presentation.dashboard.app"]  # the SolaraViz page
    assert "--production" in args and "--no-open" in args and "--no-check-version" in args
    assert server_environment()["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "false"


def test_bad_port_exits_2_with_a_message():

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
    for key in ("reset", "step", "strategy_b", "model_parameters"):
        assert i18n.t(key, lang).split(":")[0] in text, key
    assert labels  # the label table is not empty


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_teaching_guide_has_the_required_parts(lang):
    text = (GUIDES / f"{lang}.md").read_text(encoding="utf-8")
    exercises = re.findall(r"^### (?:Exercise|Opdracht) \d", text, flags=re.MULTILINE)
    assert len(exercises) >= 5
    words = (("Settings:", "Do:", "Observe:", "why:", "Discuss:") if lang == "en"
             else ("Instellingen:", "Doen:", "Let op:", "waarom:", "Bespreek:"))
    for word in words:  # settings, what to do, what to observe and why, for every exercise
        assert text.count(word) >= len(exercises), word
    assert "90" in text
    for name in STRATEGIES:
        if name in ("training", "teams", "assigned-teams", "none"):
            assert i18n.strategy_name(name, lang) in text, name


# ----------------------------------------------------------------------------- Reset, twice


def _settings_shown(rc) -> tuple[str, list[str]]:
    return running_line(rc), monitor(rc, "week")


@in_event_loop
@pytest.mark.parametrize("change", ["scenario", "side_by_side_on_off", "seed"])
def test_reset_twice_keeps_every_setting(change):
    """The second (and third) Reset builds the run the controls show, whatever changed
    before: SolaraViz remounts after a new scenario or side by side switched, and its
    parameter state then holds only the controls touched since."""
    rc = render_page()
    path = "interaction.confidence_threshold"
    select_with_label(rc, "Strategy").v_model = "training"
    select_with_label(rc, "Side by side: second strategy").v_model = "teams"
    rc.find(vw.Slider, label=control_label(path)).widget.v_model = 0.2
    if change == "scenario":
        select_with_label(rc, "Scenario").v_model = "case"
    button(rc, "Reset").click()
    if change == "side_by_side_on_off":
        select_with_label(rc, "Side by side: second strategy").v_model = SIDE_BY_SIDE_OFF
        button(rc, "Reset").click()
        select_with_label(rc, "Side by side: second strategy").v_model = "teams"
        button(rc, "Reset").click()
    if change == "seed":
        rc.find(vw.Slider, label="Seed (random numbers)").widget.v_model = 7
        button(rc, "Reset").click()
    first = _settings_shown(rc)
    preset = "case" if change == "scenario" else "classroom"
    seed = 7 if change == "seed" else 0
    expected = (f"Running: {i18n.scenario_name(preset, 'en')}; Culture training | "
                f"Theme teams (self-selected); seed {seed}; changed: Interaction: confidence "
                f"threshold 0.2; everything else at the scenario's defaults")
    assert first == (expected, ["0", "0"])
    for _ in range(2):
        button(rc, "Step").click()
        button(rc, "Reset").click()
        assert _settings_shown(rc) == first


def test_session_class_fills_what_a_reset_does_not_pass():
    from sim.presentation.dashboard.classroom import session_classroom

    cls = session_classroom()
    room = cls(preset="case", strategy="training", strategy_b="teams", seed=4,
               **{"teams.min_size": 4})
    again = type(room)(scenario=None)  # a Reset after a remount passes only Mesa's own
    assert again.settings == room.settings
    moved = type(room)(seed=5)
    assert moved.settings.seed == 5 and moved.settings.strategy_b == "teams"
    assert moved.settings.overrides == {"teams.min_size": 4}
    assert session_classroom().on_screen is None  # each session has its own


def test_teams_formed_counts_every_team_that_worked_and_stays_after_disbanding():
    room = Classroom(strategy="teams")
    while room.running:
        room.step()
    sim = room.simulations[0]
    frame = room.frames()[0]
    assert frame["teams_active"].iloc[-1] == 0  # disbanded at the end of the intervention
    assert len(sim.teams_formed) >= frame["teams_active"].max() > 0


def test_a_step_of_13_weeks_stops_exactly_at_the_horizon():
    room = Classroom(preset="classroom")
    total = room.config.horizon.total_weeks
    while room.running:
        for _ in range(13):  # SolaraViz's Step with 13 weeks per step
            room.step()
    assert room.week == total and room.time == total


# ----------------------------------------------------------------------------- Dutch, lang


def test_dutch_plots_have_no_english():
    """The plots' text is drawn on a canvas (not in the page's text): checked in the specs."""
    from dutch_words import english_in, spec_texts

    room = Classroom(strategy="none", strategy_b="assigned-teams")
    room.step()
    horizon = room.config.horizon
    for name in PANELS:
        for large in (False, True):
            spec = metric_spec(room.frames(), ["none", "assigned-teams"], name, "nl",
                               horizon.intervention_weeks, horizon.total_weeks, large=large)
            found = english_in(" ".join(spec_texts(spec)))
            assert not found, (name, found)
            english = metric_spec(room.frames(), ["none", "assigned-teams"], name, "en",
                                  horizon.intervention_weeks, horizon.total_weeks)
            assert english_in(" ".join(spec_texts(english)))  # the check can fail


def test_start_language_from_address_then_server():
    from sim.presentation.dashboard.link import ENV_LANGUAGE, start_language

    assert start_language("lang=nl", {}) == "nl"
    assert start_language("?lang=nl&x=1", {}) == "nl"
    assert start_language(None, {ENV_LANGUAGE: "nl"}) == "nl"
    assert start_language("lang=en", {ENV_LANGUAGE: "nl"}) == "en"
    assert start_language("lang=xx", {ENV_LANGUAGE: "nl"}) == "nl"  # unknown: ignored
    assert start_language("lang=" + "n" * 5000, {}) == "en"
    assert start_language(None, {ENV_LANGUAGE: "fr"}) == "en"


def test_dashboard_lang_option_reaches_the_server(monkeypatch):
    from sim.cli import dashboard as dashboard_cli
    from sim.presentation.dashboard.link import ENV_LANGUAGE

    started = {}
    monkeypatch.setattr(dashboard_cli, "start_server",
                        lambda command, env: started.update(env=env))
    app = typer.Typer()
    app.command()(dashboard)
    ok = CliRunner().invoke(app, ["--port", "8799", "--lang", "nl"])
    assert ok.exit_code == 0, ok.output
    assert started["env"][ENV_LANGUAGE] == "nl"
    assert started["env"]["SOLARA_THEME_SHOW_BANNER"] == "false"
    bad = CliRunner().invoke(app, ["--port", "8799", "--lang", "fr"])
    assert bad.exit_code == 2
    lines = [line for line in bad.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "--lang" in lines[0]


@in_event_loop
def test_page_starts_in_the_servers_language(monkeypatch):
    from sim.presentation.dashboard.link import ENV_LANGUAGE

    monkeypatch.setenv(ENV_LANGUAGE, "nl")
    rc = render_page()
    assert button(rc, "Stap") is not None
    assert "Nu: Klas (klein en snel)" in running_line(rc)


@in_event_loop
def test_running_line_says_switches_in_words_and_numbers_in_dutch():
    rc = render_page()
    language_toggle(rc).v_model = i18n.LANGUAGES.index("nl")
    rc.find(vw.Checkbox, label="Werken aan waarden").widget.v_model = False
    rc.find(vw.Slider, label=control_label("interaction.confidence_threshold", "nl")) \
        .widget.v_model = 0.2
    button(rc, "Opnieuw").click()
    line = running_line(rc)
    assert "Werken aan waarden uit" in line and "Tolerantiegrens 0,2" in line, line


def test_settings_query_round_trips_through_the_check():
    from sim.presentation.dashboard.link import settings_from_query, settings_query

    room = Classroom(preset="case", strategy="training", strategy_b="teams", seed=9,
                     **{"interaction.confidence_threshold": 0.25, "teams.value_work": False,
                        "teams.min_size": 4})
    query = settings_query(room.settings, "nl")
    assert query.startswith("lang=nl&")
    again = Classroom(**settings_from_query(query))
    assert again.settings == room.settings and not again.rejections
    forged = Classroom(**settings_from_query("preset=/etc/passwd&seed=x&training.dose=7"))
    assert {r.name for r in forged.rejections} == {"preset", "seed", "training.dose"}


def test_weekly_csv_holds_every_strategy_and_week():
    from sim.presentation.dashboard.components import csv_name, weekly_csv

    room = Classroom(strategy="none", strategy_b="training", seed=3)
    for _ in range(4):
        room.step()
    lines = weekly_csv(room).splitlines()
    assert lines[0].startswith("preset,strategy,seed,week,")
    assert len(lines) == 1 + 2 * 5
    assert csv_name(room) == "merger-sim-classroom-none-training-seed3-week4.csv"


# ----------------------------------------------------------------------------- ten seeds


def test_ten_seeds_are_the_runs_reset_would_build():
    from sim.presentation.dashboard.seeds import run_seeds, seed_range, wins

    room = Classroom(strategy="training", strategy_b="teams", seed=5,
                     **{"interaction.confidence_threshold": 0.25})
    shares: list[float] = []
    table = run_seeds(room.settings, room.config, shares.append)
    assert sorted(table["seed"].unique()) == seed_range(5) == list(range(5, 15))
    assert len(table) == 20 and shares[-1] == 100.0
    one = Classroom(strategy="teams", seed=7, **{"interaction.confidence_threshold": 0.25})
    while one.running:
        one.step()
    row = table[(table["seed"] == 7) & (table["strategy"] == "teams")].iloc[0]
    assert row["distance_to_target@end"] == one.frames()[0]["distance_to_target"].iloc[-1]
    assert 0 <= wins(table, "training", "teams") <= 10
    assert table["distance_to_target@end"].nunique() > 2  # seeds differ


@in_event_loop
async def test_ten_seeds_tab_runs_and_shows_the_spread():
    rc = render_page()
    select_tab(rc, 5)
    button(rc, "Run seeds 0-9").click()
    for _ in range(600):
        if "mean" in markdown_text(rc):
            break
        await asyncio.sleep(0.1)
    text = markdown_text(rc)
    assert ">9<" in text and "lowest" in text and "highest" in text


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_culture_profile_shows_every_city_the_organisation_and_the_target(lang):
    from sim.presentation.dashboard.charts import profile_spec

    room = Classroom(preset="case", strategy="teams")
    room.step()
    m = room.simulations[0].model
    spec = profile_spec(m.values, m.active, m.city, m.city_names, m.target, m.dimensions,
                        "title", lang)
    groups = spec["encoding"]["color"]["scale"]["domain"]
    assert groups == [i18n.t("city_n", lang, name=n) for n in m.city_names] + [
        i18n.t("organisation", lang), i18n.t("target", lang)]
    rows = spec["data"]["values"]
    assert len(rows) == len(groups) * len(m.dimensions)
    assert all(0.0 <= row["v"] <= 1.0 for row in rows)
    target = [row["v"] for row in rows if row["g"] == i18n.t("target", lang)]
    np.testing.assert_allclose(target, np.round(m.target, 3))
    if lang == "nl":
        assert "hiërarchie" in {row["d"] for row in rows} or "hierarchy" not in m.dimensions


@in_event_loop
def test_culture_profile_tab_draws_one_chart_per_strategy():
    rc = render_page()
    select_with_label(rc, "Side by side: second strategy").v_model = "training"
    button(rc, "Reset").click()
    select_tab(rc, 3)
    titles = [w.spec["title"]["text"] for w in charts(rc) if "xOffset" in w.spec["encoding"]]
    assert sorted(titles) == ["Culture training: culture per city, week 0",
                              "No intervention: culture per city, week 0"]


def test_event_log_records_teams_proposals_the_end_and_turnover():
    room = Classroom(preset="classroom", strategy="teams")
    while room.running:
        room.step()
    sim = room.simulations[0]
    keys = [e.key for e in sim.events]
    formed = [e for e in sim.events if e.key == "event_team_formed"]
    assert len(formed) == len(sim.teams_formed) > 0
    assert all(e.fields["size"] >= room.config.teams.min_size for e in formed)
    assert keys.count("event_team_stopped") == len(formed)  # all stop by the end
    end = room.config.horizon.intervention_weeks
    assert [e.week for e in sim.events if e.key == "event_intervention_end"] == [end]
    total = room.frames()[0]["proposals_accepted"].iloc[-1]
    assert sum(e.fields["n"] for e in sim.events if e.key == "event_proposals") == total
    quarters = [e for e in sim.events if e.key == "event_quarter"]
    assert len(quarters) == room.config.horizon.total_weeks // 13
    assert sum(e.fields["left"] for e in quarters) == room.frames()[0]["leavers_cum"].iloc[
        quarters[-1].week]
    for e in sim.events:  # every event reads in both languages
        assert i18n.t(e.key, "nl", **e.fields) and i18n.t(e.key, "en", **e.fields)


@in_event_loop
def test_event_log_tab_shows_the_events_newest_first():
    rc = render_page()
    select_with_label(rc, "Strategy").v_model = "teams"
    button(rc, "Reset").click()
    rc.find(vw.Slider, label="Weeks per step").widget.v_model = 13
    button(rc, "Step").click()
    select_tab(rc, 4)
    text = markdown_text(rc)
    assert "What happened: Theme teams (self-selected)" in text
    assert "starts working" in text and "this quarter" in text
    assert text.index("Week 13") < text.index("starts working")


# ----------------------------------------------------------------------------- plugins



PLUGIN = """
from sim.experiments.observables import Observable

def _final_headcount(ts, meta):
    return float(ts["headcount"].iloc[-1])

OUTCOMES = [Observable("staff_kept", "Staff kept | at end", "employees", "higher",
                       function=_final_headcount)]
"""


def test_plugin_outcome_reaches_the_server_and_the_ten_seeds_table(tmp_path, monkeypatch,
                                                                   plugin_registries):
    """``merger-sim --plugin mine.py dashboard``: the server process is told the module, loads
    it, and the ten-seeds table shows the plugin's outcome under the registry's label."""
    from sim.cli import app
    from sim.cli import dashboard as dashboard_cli
    from sim.presentation.dashboard.components import seeds_markdown
    from sim.presentation.dashboard.extensions import ENV_PLUGINS, load_plugins
    from sim.presentation.dashboard.seeds import run_seeds

    module = tmp_path / "mine.py"
    module.write_text(PLUGIN)
    started = {}
    monkeypatch.setattr(dashboard_cli, "start_server",
                        lambda command, env: started.update(env=env))
    ok = CliRunner().invoke(app, ["--plugin", str(module), "dashboard", "--port", "8799"])
    assert ok.exit_code == 0, ok.output
    assert started["env"][ENV_PLUGINS].splitlines() == [str(module.resolve())]
    assert load_plugins(started["env"]) == []  # as the server does on start
    assert load_plugins({ENV_PLUGINS: str(tmp_path / "gone.py")}) == [str(tmp_path / "gone.py")]
    room = Classroom(strategy="training")
    short = room.config.model_copy(deep=True)  # three weeks: the table, not the model
    short.horizon.intervention_weeks, short.horizon.followup_weeks = 2, 1
    table = run_seeds(room.settings, short)
    assert "staff_kept" in table.columns
    assert (table["staff_kept"] > 0).all()
    text = seeds_markdown(table, room, "en")
    assert "Culture training: Staff kept / at end (employees)" in text

