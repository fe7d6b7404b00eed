"""The dashboard serves only what it offers (issue 11, point 1), without a browser.

Every value a browser can send is checked against the page's offer; what is refused shows as
one line and the session keeps working; errors never show a traceback; the server's limits
(session cap, cull timeout, large presets) reach the page; the command warns before exposing
the server. The real server (no outgoing connection, the asset route, SIGTERM) is tested in
``test_dashboard_server.py``, the forged browser session in
``test_dashboard_security_browser.py``.
"""

from __future__ import annotations

import inspect
import logging
import math
from pathlib import Path

import ipyvuetify as vw
import pytest
import typer
from test_dashboard_components import (  # noqa: F401  (close_pages: autouse fixture)
    button,
    close_pages,
    in_event_loop,
    monitor,
    render_page,
    select_with_label,
)
from typer.testing import CliRunner

import sim.cli.dashboard as dashboard_cli
from sim.presentation.dashboard import chrome
from sim.presentation.dashboard.checks import check_settings, check_value, rejection_message
from sim.presentation.dashboard.classroom import Classroom
from sim.presentation.dashboard.i18n import t
from sim.presentation.dashboard.params import SEED_MAX, SIDE_BY_SIDE_OFF, classroom_controls
from sim.presentation.dashboard.policy import (
    DEFAULT_CULL_TIMEOUT,
    DEFAULT_MAX_SESSIONS,
    ENV_ALLOW_LARGE,
    ENV_MAX_SESSIONS,
    LARGE_HEADCOUNT,
    Policy,
    current_policy,
    policy_environment,
)
from sim.presentation.dashboard.presets import (
    PresetRefused,
    available_presets,
    load_preset,
    load_shipped,
    preset_headcount,
    shipped_presets,
)
from sim.presentation.dashboard.sessions import SESSIONS, SessionCounter
from sim.scenario import SCENARIO_DIR
from sim.strategies import STRATEGIES

FORGED_PRESETS = ["/etc/passwd", "../pyproject", "../pyproject.toml", "scenarios/case.toml",
                  str(SCENARIO_DIR / "classroom.toml"), "classroom.toml", "", " case",
                  "CASE", 3, None, ["case"], {"x": 1}]


def classroom_kwargs() -> dict:
    """A Reset's keyword arguments as the page offers them (the defaults)."""
    return {"preset": "classroom", "strategy": next(iter(STRATEGIES)),
            "strategy_b": SIDE_BY_SIDE_OFF, "seed": 0, "defaults_from": "classroom"}


# ----------------------------------------------------------------------------- presets


def test_offered_presets_load_by_name_from_the_shipped_files():
    for name in available_presets(Policy()):
        assert load_preset(name, Policy()).headcount == preset_headcount(name)


@pytest.mark.parametrize("name", [p for p in FORGED_PRESETS if p != ""])
def test_a_path_or_any_other_value_is_never_loaded_as_a_preset(name, monkeypatch):
    opened: list[str] = []
    real_read = type(SCENARIO_DIR).read_text
    monkeypatch.setattr(type(SCENARIO_DIR), "read_text",
                        lambda self, *a, **k: opened.append(str(self)) or real_read(self, *a, **k))
    with pytest.raises(PresetRefused):
        load_preset(name, Policy())
    with pytest.raises(PresetRefused):
        load_shipped(name)
    assert opened == []


def test_a_file_named_like_a_preset_in_the_working_directory_is_not_read(tmp_path,
                                                                         monkeypatch):
    """The scenario loader prefers a file in the working directory; the dashboard does not."""
    (tmp_path / "classroom").write_text("not = [valid toml")
    monkeypatch.chdir(tmp_path)
    assert load_preset("classroom", Policy()).headcount == preset_headcount("classroom")


def test_large_presets_are_offered_only_when_allowed():
    shipped = shipped_presets()
    large = [p for p in shipped if preset_headcount(p) >= LARGE_HEADCOUNT]
    assert {"large", "ten-thousand"} <= set(large)  # the shipped large presets
    assert not set(large) & set(available_presets(Policy()))
    assert set(available_presets(Policy(allow_large=True))) == set(shipped)
    room = Classroom(preset="large", policy=Policy())
    assert room.settings.preset == "classroom"
    assert room.config.headcount < LARGE_HEADCOUNT
    assert [r.name for r in room.rejections] == ["preset"]


def test_every_session_holds_less_than_the_large_headcount_unless_allowed():
    """The memory bound: one session builds at most two models of an offered preset."""
    assert max(preset_headcount(p) for p in available_presets(Policy())) < LARGE_HEADCOUNT
    assert Policy().max_headcount == LARGE_HEADCOUNT - 1
    assert Policy(allow_large=True).max_headcount is None


# ----------------------------------------------------------------------------- check_settings


def test_the_offered_defaults_pass_unchanged():
    checked = check_settings(classroom_kwargs(), Policy())
    assert checked.rejections == ()
    assert (checked.preset, checked.seed, checked.overrides) == ("classroom", 0, {})


@pytest.mark.parametrize("value", [p for p in FORGED_PRESETS if p != ""])
def test_forged_preset_is_refused_and_the_default_runs(value):
    checked = check_settings({**classroom_kwargs(), "preset": value}, Policy())
    assert checked.preset == "classroom"
    assert [(r.name, r.reason) for r in checked.rejections] == [("preset", "reason_not_offered")]


@pytest.mark.parametrize(("name", "value"), [
    ("strategy", "telepathy"), ("strategy", SIDE_BY_SIDE_OFF), ("strategy", 1),
    ("strategy_b", "telepathy"), ("strategy_b", None), ("strategy", ["none"]),
    ("defaults_from", "/etc/passwd"), ("defaults_from", "large"),
])
def test_forged_choices_are_refused(name, value):
    checked = check_settings({**classroom_kwargs(), name: value}, Policy())
    assert [(r.name, r.reason) for r in checked.rejections] == [(name, "reason_not_offered")]
    assert checked.strategy in STRATEGIES
    assert checked.strategy_b in (SIDE_BY_SIDE_OFF, *STRATEGIES)


@pytest.mark.parametrize("seed", [-1, SEED_MAX + 1, 2**70, 1.5, "3", True, None, math.nan])
def test_forged_seed_is_refused(seed):
    checked = check_settings({**classroom_kwargs(), "seed": seed}, Policy())
    assert checked.seed == 0
    assert [(r.name, r.reason) for r in checked.rejections] == [("seed", "reason_out_of_range")]


def test_every_control_accepts_its_range_and_refuses_anything_else():
    controls = classroom_controls(load_preset("classroom", Policy()))
    assert len(controls) >= 10
    for control in controls:
        if control.kind == "bool":
            for ok in (True, False):
                assert check_value(control, ok) == (ok, None)
            for bad in (1, 0, "true", None, "False"):
                assert check_value(control, bad)[1].reason == "reason_not_switch", bad
            continue
        for ok in (control.minimum, control.maximum):
            value, why = check_value(control, ok)
            assert why is None and value == ok, (control.path, ok)
        span = math.ceil(control.maximum - control.minimum)
        for beyond in (control.minimum - span - 1, control.maximum + span + 1):
            assert check_value(control, beyond)[1].reason == "reason_out_of_range", \
                (control.path, beyond)
        for bad in ("0.5", True, None, math.nan, math.inf, [1], {"v": 1}):
            assert check_value(control, bad)[1].reason == "reason_not_number", (control.path, bad)
        if control.kind == "int":
            assert check_value(control, control.minimum + 0.5)[1].reason == "reason_not_number"


def test_parameters_the_page_does_not_offer_are_refused():
    checked = check_settings({**classroom_kwargs(), "horizon.intervention_weeks": 10**9,
                              "cities.A.headcount": 500_000, "__class__": "x"}, Policy())
    assert checked.overrides == {}
    assert sorted(r.name for r in checked.rejections) == sorted(
        ["horizon.intervention_weeks", "cities.A.headcount", "__class__"])


def test_refused_values_fall_back_but_accepted_ones_still_apply():
    room = Classroom(**{**classroom_kwargs(), "interaction.confidence_threshold": 0.2,
                        "interaction.convergence_rate": 99.0, "strategy": "x"})
    assert room.settings.overrides == {"interaction.confidence_threshold": 0.2}
    assert room.simulations[0].model.config.interaction.confidence_threshold == 0.2
    assert {r.name for r in room.rejections} == {"interaction.convergence_rate", "strategy"}


def test_rejection_message_is_one_line_in_the_sessions_language_without_file_content():
    room = Classroom(preset="/etc/passwd", seed=-5, **{"training.dose": "x" * 500})
    for lang in ("en", "nl"):
        text = rejection_message(room.rejections, lang)
        assert "\n" not in text
        assert text.startswith(t("rejected", lang, items="").rstrip())
        assert "root:" not in text and "x" * 100 not in text
        assert len(text) < 400
    assert "Not accepted" in rejection_message(room.rejections, "en")
    assert "Niet geaccepteerd" in rejection_message(room.rejections, "nl")


# ----------------------------------------------------------------------------- the page


@in_event_loop
def test_forged_scenario_in_the_page_shows_a_message_and_the_session_keeps_stepping():
    rc = render_page()
    button(rc, "Step").click()
    select_with_label(rc, "Scenario").v_model = "/etc/passwd"
    button(rc, "Reset").click()
    message = rc.find(vw.Alert, class_="settings-rejected").widget
    text = str(message.children)
    assert "/etc/passwd" in text and "not one of the choices offered" in text
    assert "root:" not in text
    assert monitor(rc, "week") == ["0"]
    button(rc, "Step").click()
    assert monitor(rc, "week") == ["1"]
    select_with_label(rc, "Strategy").v_model = "training"  # a fair choice clears it
    select_with_label(rc, "Scenario").v_model = "classroom"
    button(rc, "Reset").click()
    assert rc.find(vw.Alert, class_="settings-rejected").widgets == []


@in_event_loop
def test_forged_slider_value_shows_a_message_in_dutch():
    rc = render_page()
    rc.find(vw.BtnToggle, class_="language-toggle").widget.v_model = 1  # Nederlands
    slider = rc.find(vw.Slider, label="Tolerantiegrens (genormaliseerde afstand)").widget
    slider.v_model = 7.5
    button(rc, "Opnieuw").click()
    text = str(rc.find(vw.Alert, class_="settings-rejected").widget.children)
    assert "Niet geaccepteerd" in text and "7.5" in text and "buiten 0.0 tot 1.0" in text
    button(rc, "Stap").click()
    assert monitor(rc, "week") == ["1"]


SECRET_PATH = "/srv/secret/location/model.py"


def fail(*args, **kwargs):
    raise RuntimeError(f"boom in {SECRET_PATH}")


def assert_session_error_shown(rc, caplog) -> None:
    """The page shows the short message, the log has the details, the page no path."""
    alerts = rc.find(vw.Alert).widgets
    page_text = str([w.children for w in alerts])
    assert t("session_error", "en") in page_text
    assert SECRET_PATH not in page_text and "Traceback" not in page_text
    assert any(r.exc_info and SECRET_PATH in str(r.exc_info[1]) for r in caplog.records)


@pytest.mark.parametrize("where", ["button", "render"])
@in_event_loop
def test_an_error_in_a_session_shows_a_short_message_and_logs_the_details(where, monkeypatch,
                                                                          caplog):
    """A SolaraViz button that raises (Reset building a model) and a view that raises while
    drawing (after Step) both end in one line for the user; Start again gives a new model."""
    rc = render_page()
    with caplog.at_level(logging.ERROR, logger="sim.presentation.dashboard.app"):
        if where == "button":
            monkeypatch.setattr("sim.presentation.dashboard.classroom.Simulation.__init__", fail)
            button(rc, "Reset").click()
        else:
            monkeypatch.setattr(Classroom, "frames", fail)
            button(rc, "Step").click()
    assert_session_error_shown(rc, caplog)
    monkeypatch.undo()
    button(rc, "Start again").click()
    assert monitor(rc, "week") == ["0"]
    button(rc, "Step").click()
    assert monitor(rc, "week") == ["1"]


def test_solaraviz_play_errors_are_replaced_by_a_short_message(caplog):
    language = __import__("solara").reactive("nl")
    chrome.use_chrome(chrome.Chrome(language=language))
    chrome.install()
    stand_in = chrome.solara_viz.solara
    with caplog.at_level(logging.ERROR, logger="sim.presentation.dashboard.chrome"):
        element = stand_in.Error(label="error in step: [Errno 2] /srv/x/secret.toml")
    assert element.kwargs.get("label", element.args[0] if element.args else None) == \
        t("step_error", "nl")
    assert "/srv/x/secret.toml" in caplog.text
    assert stand_in.Error(label="other").kwargs.get("label", "other") == "other"


# ----------------------------------------------------------------------------- sessions


def test_session_counter_caps_and_frees():
    counter = SessionCounter()
    tickets = [counter.admit(2) for _ in range(3)]
    assert tickets[2] is None and None not in tickets[:2]
    counter.release(tickets[0])
    counter.release(tickets[0])  # twice is harmless
    assert counter.count == 1
    assert counter.admit(2) is not None


@in_event_loop
def test_beyond_the_session_cap_the_page_says_full_and_builds_no_model(monkeypatch):
    monkeypatch.setenv(ENV_MAX_SESSIONS, str(SESSIONS.count + 1))
    built: list[int] = []
    real_init = Classroom.__init__
    monkeypatch.setattr(Classroom, "__init__",
                        lambda self, **kw: built.append(1) or real_init(self, **kw))
    first = render_page()
    assert built == [1]
    second = render_page()
    assert built == [1]  # no model for the session beyond the cap
    full = str(second.find(vw.Alert, class_="server-full").widget.children)
    assert "server is full" in full
    assert first.find(vw.Alert, class_="server-full").widgets == []
    first.close()  # solara closes a session when its tab is culled: the slot is free again
    third = render_page()
    assert third.find(vw.Alert, class_="server-full").widgets == []
    assert built == [1, 1]


# ----------------------------------------------------------------------------- policy and command


def test_policy_defaults_and_environment_round_trip():
    assert current_policy({}) == Policy(False, DEFAULT_MAX_SESSIONS, DEFAULT_CULL_TIMEOUT)
    policy = Policy(allow_large=True, max_sessions=12, cull_timeout="90s")
    assert current_policy(policy_environment(policy)) == policy
    assert current_policy({ENV_ALLOW_LARGE: "no", ENV_MAX_SESSIONS: "-3"}) == Policy()


def invoke(args, monkeypatch):
    """Run ``merger-sim dashboard ARGS`` up to the point where the server would start."""
    started: list = []
    monkeypatch.setattr(dashboard_cli, "start_server",
                        lambda command, env: started.append((command, env)))
    app = typer.Typer()
    app.command()(dashboard_cli.dashboard)
    return CliRunner().invoke(app, args), started


def test_command_passes_limits_telemetry_off_and_no_check(monkeypatch):
    result, started = invoke(["--port", "9999", "--max-sessions", "7", "--cull-timeout", "2m",
                              "--allow-large"], monkeypatch)
    assert result.exit_code == 0, result.output
    command, env = started[0]
    assert command[1:3] == ["-m", "sim.presentation.dashboard.server"]
    assert command[command.index("--host") + 1] == "127.0.0.1"
    assert current_policy(env) == Policy(allow_large=True, max_sessions=7, cull_timeout="2m")
    assert env["SOLARA_KERNEL_CULL_TIMEOUT"] == "2m"
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "false"
    assert "warning: --host" not in result.stderr


@pytest.mark.parametrize(("args", "fragment"), [
    (["--max-sessions", "0"], "--max-sessions"),
    (["--cull-timeout", "forever"], "--cull-timeout"),
    (["--cull-timeout", "0s"], "--cull-timeout"),
])
def test_bad_limits_exit_2_with_one_line(args, fragment, monkeypatch):
    result, started = invoke(args, monkeypatch)
    assert result.exit_code == 2 and started == []
    assert fragment in result.stderr and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.5"])
def test_loopback_host_gives_no_warning(host):
    assert dashboard_cli.exposure_warning(host, 8765, Policy()) is None


def test_wildcard_host_warns_what_it_exposes_and_the_students_addresses(monkeypatch):
    monkeypatch.setattr(dashboard_cli, "interface_addresses", lambda: ["192.168.5.20"])
    result, started = invoke(["--host", "0.0.0.0", "--port", "8800"], monkeypatch)
    assert result.exit_code == 0 and started
    warning = [line for line in result.stderr.splitlines() if line.startswith("warning: --host")]
    assert len(warning) == 1
    assert "every network" in warning[0] and "no login" in warning[0]
    assert f"at most {DEFAULT_MAX_SESSIONS}" in warning[0]
    assert "http://192.168.5.20:8800" in warning[0]
    named = dashboard_cli.exposure_warning("10.1.2.3", 80, Policy(max_sessions=5))
    assert "http://10.1.2.3:80" in named and "at most 5" in named


def test_interface_addresses_are_real_and_not_loopback():
    addresses = dashboard_cli.interface_addresses()
    assert all(not a.startswith("127.") for a in addresses)
    assert all(len(a.split(".")) == 4 for a in addresses)



UNCAUGHT_PROBE = """
import logging, sys
logging.basicConfig(stream=sys.stdout, level=logging.ERROR, format="LOG %(name)s %(message)s")
import solara.server.app  # noqa: F401  (solara's server, imported in its own order)
from solara.server import patch
import sim.presentation.dashboard.app  # noqa: F401  (the page, as solara's server imports it)
sent = []
class Socket:
    def send_json(self, msg):
        sent.append(msg)
class Context:
    control_sockets = [Socket()]
shell = patch.FakeIPython.__new__(patch.FakeIPython)
shell.context = Context()
try:
    raise RuntimeError("/srv/secret/location/model.py")
except RuntimeError:
    patch.FakeIPython.showtraceback(shell)
print("SENT", len(sent))
"""


def test_uncaught_session_exceptions_are_logged_not_sent_to_the_browser():
    """What escapes the page is logged by the server; solara alone would send the traceback
    to the browser (run in a fresh process: solara's server patches widgets globally)."""
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", UNCAUGHT_PROBE], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "SENT 0" in result.stdout
    assert "LOG sim.presentation.dashboard.server uncaught exception" in result.stdout
    assert SECRET_PATH in result.stdout  # the details are in the server's log


# ----------------------------------------------------------------------------- documentation

DOCS = Path(__file__).resolve().parent.parent


def readme_dashboard_section() -> str:
    text = (DOCS / "README.md").read_text(encoding="utf-8")
    start = text.index("## Teaching dashboard")
    return text[start:text.index("\n## ", start + 1)]


@pytest.mark.parametrize("doc", ["README", "en", "nl"])
def test_documented_limits_are_the_codes_defaults(doc):
    """The README and both guides state the defaults the command really uses."""
    text = readme_dashboard_section() if doc == "README" else \
        (DOCS / "docs" / "teaching" / f"{doc}.md").read_text(encoding="utf-8")
    minutes = int(DEFAULT_CULL_TIMEOUT.removesuffix("m"))
    if doc == "README":
        assert f"default {DEFAULT_MAX_SESSIONS};" in text
        assert f"default {DEFAULT_CULL_TIMEOUT};" in text
        assert f"{LARGE_HEADCOUNT:,} employees or more" in text
    else:
        assert f"{DEFAULT_MAX_SESSIONS} {'sessions' if doc == 'en' else 'sessies'}" in text
        assert f"--cull-timeout {DEFAULT_CULL_TIMEOUT}" in text
        assert f"{minutes} {'minutes' if doc == 'en' else 'minuten'}" in text
    for option in ("--max-sessions", "--cull-timeout", "--allow-large", "--host 0.0.0.0"):
        assert option in text, option
    for option in ("--max-sessions", "--cull-timeout", "--allow-large", "--host"):
        assert option in inspect.signature(dashboard_cli.dashboard).parameters[
            option.removeprefix("--").replace("-", "_")].default.param_decls


def test_readme_names_the_large_presets_that_are_held_back():
    text = readme_dashboard_section()
    held_back = [p for p in shipped_presets() if preset_headcount(p) >= LARGE_HEADCOUNT]
    for name in held_back:
        assert f"`{name}`" in text, name
    assert "not fetched" in text  # the log line a missing asset gives (see the server test)
