"""A forged browser session against the real server, in headless chromium (issue 11).

Page JavaScript sets the controls to values the page does not offer (the scenario to a path,
a slider beyond its end, an unknown strategy, a seed out of range, a switch to a word), as an
attacker with the browser's console would, and presses Reset. The page must show one line
saying what was refused, keep stepping, and the server must not open any of the forged files
nor connect anywhere: the server runs under the watch of ``test_dashboard_server.py``, which
logs every open of a watched file name and every outgoing connection.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_dashboard_browser import (  # noqa: F401  (browser: the shared fixture)
    UI_TIMEOUT_MS,
    Dashboard,
    browser,
    sync_api,
)
from test_dashboard_server import (
    REFUSAL_SECONDS,
    STOP_SECONDS,
    Server,
    Watch,
    make_watch,
    port_open,
    start_dashboard,
)

from sim.scenario import SCENARIO_DIR

pytestmark = pytest.mark.browser

CANARY = "canary-scenario"
"""Name of a valid scenario file outside ``scenarios/``: loading it would run it silently."""
WATCHED_FILES = ("passwd", "pyproject", CANARY)

FORGE = """async ([forged, reset]) => {
    const root = await requestWidget('solara-main');  // solara's page: the root widget view
    const models = await Promise.all(Object.values(root.model.widget_manager._models));
    for (const [label, value, extra] of forged) {
        const found = models.filter(m => m.get('label') === label && m.has('v_model'));
        if (found.length !== 1) throw new Error(`${found.length} controls labelled ${label}`);
        for (const [key, v] of Object.entries(extra)) found[0].set(key, v);
        found[0].set('v_model', value);
        found[0].save_changes();
    }
    const button = [...document.querySelectorAll('button')].find(
        b => b.textContent.trim() === reset);
    button.click();
}"""
"""Page JavaScript: set controls (label, value, extra traits) to values in the browser's copy
of their widgets and send them to the server, as a widget does after a user's choice, then
press Reset in the same breath. The page would pull a slider's value back into its range
(the server redraws the slider with its range, and the browser clamps and sends the clamped
value): the forged values reach the server first and Reset uses them, as an attacker's
client, which need not clamp anything, would."""


@pytest.fixture(scope="module")
def watch(tmp_path_factory) -> Watch:
    return make_watch(tmp_path_factory.mktemp("watch"))


@pytest.fixture(scope="module")
def canary(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("elsewhere")
    path = folder / f"{CANARY}.toml"
    shutil.copy(SCENARIO_DIR / "classroom.toml", path)
    return path


@pytest.fixture(scope="module")
def server(watch, tmp_path_factory) -> Iterator[Server]:
    started = start_dashboard(tmp_path_factory.mktemp("server") / "server.log",
                              env=watch.environment(WATCHED_FILES))
    yield started
    seconds = started.stop()  # with a page still connected: SIGTERM must still stop it
    assert seconds < STOP_SECONDS
    assert not port_open(started.port)


def forge_and_reset(dash: Dashboard, forged: list[tuple], reset: str = "Reset") -> None:
    """Send forged values and press Reset (see FORGE); extra traits as a third item.

    Right after a language switch the controls may still be being relabelled on a loaded
    machine. Reset is pressed only once every label is found; values sent by a failed try are
    sent again, so trying again ends in the same state."""
    payload = [[[label, value, extra[0] if extra else {}] for label, value, *extra in forged],
               reset]
    deadline = time.monotonic() + UI_TIMEOUT_MS / 1000
    while True:
        try:
            dash.page.evaluate(FORGE, payload)
            return
        except Exception as err:  # playwright's Error: only "not yet labelled" is retried
            if "controls labelled" not in str(err) or time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def refused_line(dash: Dashboard, fragment: str) -> str:
    """Wait for the line of refused values to contain ``fragment``; return it."""
    line = dash.page.locator(".settings-rejected")
    dash.wait_until(f"a refusal naming {fragment}",
                    lambda: line.count() == 1 and fragment in line.inner_text())
    return line.inner_text()


def test_forged_scenario_paths_are_refused_never_opened_and_the_session_steps(
        browser, server, watch, canary):  # noqa: F811  (browser: the shared fixture)
    before = watch.seen()
    dash = Dashboard(browser, server.url)
    try:
        for week, forged in enumerate(["/etc/passwd", "../pyproject", str(canary)], start=1):
            forge_and_reset(dash, [("Scenario", forged)])
            text = refused_line(dash, forged[:30])  # long values are shown cut short
            assert "Not accepted" in text and "not one of the choices offered" in text
            assert "root:" not in text and "[project]" not in text and "\n" not in text.strip()
            dash.wait_text("week", "0")
            for step in range(1, week + 1):  # the session keeps working
                dash.button("Step").click()
                dash.wait_text("week", str(step))
            assert "Classroom" in dash.running_line()  # the offered default runs
        dash.shot("20-forged-scenario")
        assert dash.page.locator("text=Traceback").count() == 0
    finally:
        dash.close()
    assert watch.seen() == before, "the server opened a forged file or connected out"


def test_forged_values_for_every_other_control_are_refused_in_dutch(
        browser, server, watch):  # noqa: F811  (browser: the shared fixture)
    before = watch.seen()
    dash = Dashboard(browser, server.url)
    try:
        dash.button("Nederlands").click()
        dash.button("Opnieuw").wait_for(timeout=UI_TIMEOUT_MS)
        forge_and_reset(dash, [
            ("Strategie", "telepathy"),
            ("Naast elkaar: tweede strategie", "../../etc/shadow"),
            ("Tolerantiegrens (genormaliseerde afstand)", 5.0, {"max": 10}),
            ("Seed (toevalsgetallen)", 100000, {"max": 10**6}),
            ("Verloop en werving", "yes"),
        ], reset="Opnieuw")
        text = refused_line(dash, "telepathy")
        assert text.startswith("Niet geaccepteerd")
        for fragment in ("'../../etc/shadow'", "5.0 (buiten 0.0 tot 1.0)",
                         "100000 (buiten 0 tot 99)", "'yes' (niet aan of uit)"):
            assert fragment in text, fragment
        dash.button("Stap").click()
        dash.wait_text("week", "1")
        status, seconds = dash.page.evaluate("""async () => {
            const start = performance.now();
            const r = await fetch('/_solara/cdn/left-pad@1.3.0/index.js');
            return [r.status, (performance.now() - start) / 1000];
        }""")
        assert status == 404 and seconds < REFUSAL_SECONDS
        dash.shot("21-forged-controls-dutch")
    finally:
        dash.close()
    assert watch.seen() == before


def test_beyond_the_session_cap_a_tab_is_told_the_server_is_full_until_one_closes(
        browser, tmp_path):  # noqa: F811  (browser: the shared fixture)
    """The cap and the cull timeout in the real server: with room for one session, a second
    tab gets the "full" line and no model; once the first tab is closed and culled, a new
    tab gets its dashboard. SIGTERM then stops the server with that page still connected."""
    server = start_dashboard(tmp_path / "server.log",
                             args=("--max-sessions", "1", "--cull-timeout", "2s"))
    try:
        first = Dashboard(browser, server.url)
        second = browser.new_context().new_page()
        second.goto(server.url)
        second.locator(".server-full").wait_for(timeout=UI_TIMEOUT_MS)
        assert "The server is full (1 sessions are open)" in \
            second.locator(".server-full").inner_text()
        assert second.get_by_role("button", name="Step", exact=True).count() == 0
        first.close()
        deadline = time.monotonic() + 30
        while True:  # the first session is freed within the cull timeout
            second.reload()
            try:
                second.get_by_role("button", name="Step", exact=True).wait_for(timeout=5000)
                break
            except sync_api.Error:
                assert time.monotonic() < deadline, "the closed tab's session was not freed"
        seconds = server.stop()  # SIGTERM with a student's page connected
        assert seconds < STOP_SECONDS
        assert not port_open(server.port)
        second.context.close()
    finally:
        if server.proc.poll() is None:
            server.stop()
