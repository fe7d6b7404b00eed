"""The teaching dashboard (a Mesa SolaraViz app) end to end, in a real headless browser
(Debian's chromium).

These catch what ``solara.render`` cannot: web assets that do not load offline (a white
page), a grid that never draws (a spinner forever), SolaraViz's chrome left in English, and
models shared between browser sessions. The server is started with
``python -m sim dashboard`` on a free local port and stopped at the end; screenshots go to
``tests/artifacts/dashboard/`` for a human to look at.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from dutch_words import english_decimals, english_in

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts" / "dashboard"
REPO = Path(__file__).resolve().parent.parent
SERVER_START_SECONDS = 60
UI_TIMEOUT_MS = 30_000
VIEWPORT = {"width": 1600, "height": 1300}
MIN_PLOT_WIDTH = 300  # pixels: smaller images are icons, not plots

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is absent (install it with: apt-get install -y chromium)",
                allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serve(*options: str, log_name: str = "server.log") -> Iterator[tuple[str, int]]:
    """The dashboard served by our own command, in its own process group: (url, pid)."""
    port = free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_path = ARTIFACTS / log_name
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "sim", "dashboard", "--host", "127.0.0.1",
             "--port", str(port), *options],
            cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        url = f"http://127.0.0.1:{port}/"
        try:
            deadline = time.monotonic() + SERVER_START_SECONDS
            while True:
                if proc.poll() is not None:
                    pytest.fail(f"dashboard server exited early: {log_path.read_text()}")
                try:
                    with urllib.request.urlopen(url, timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"dashboard server did not answer within "
                                f"{SERVER_START_SECONDS} s")
                time.sleep(0.3)
            yield url, proc.pid
        finally:
            os.killpg(proc.pid, signal.SIGTERM)  # our server (the command exec'd into it)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    text = log_path.read_text()
    assert "Could not load URL" not in text, "an asset was fetched from the network"
    assert "not fetched" not in text, "the page asked for an asset that is not installed"


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serve() as (url, _):
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


CONFIDENCE = "Interaction: confidence threshold (normalised distance)"
WEEKS_PER_STEP = "Weeks per step"
PLOTS = 6


class Dashboard:
    """One browser context on the dashboard, with the failures it saw."""

    def __init__(self, browser, url: str, viewport: dict | None = None,
                 wait_for: str = "Step") -> None:
        self.context = browser.new_context(viewport=viewport or VIEWPORT)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("requestfailed", lambda req: self.problems.append(f"failed: {req.url}"))
        self.page.on("pageerror", lambda err: self.problems.append(f"page error: {err}"))
        self.page.goto(url)
        self.button(wait_for).wait_for(timeout=UI_TIMEOUT_MS)
        self.wait_until("the week monitors at 0", lambda: set(self.monitors("week")) == {"0"})

    def button(self, name: str):
        return self.page.get_by_role("button", name=name, exact=True)

    def monitors(self, key: str) -> list[str]:
        return [x.strip() for x in
                self.page.locator(f".monitor-value-{key}").all_inner_texts()]

    def running_line(self) -> str:
        return self.page.locator(".running-now").inner_text()

    def wait_text(self, key: str, text: str, count: int = 1) -> None:
        """Wait until every one of ``count`` monitors ``key`` reads ``text``."""
        self.wait_until(f"monitor {key} to read {text} x{count}",
                        lambda: self.monitors(key) == [text] * count)

    def wait_until(self, what: str, check) -> None:
        """Poll ``check()`` until true: widget updates reach the page one message at a time."""
        deadline = time.monotonic() + UI_TIMEOUT_MS / 1000
        while time.monotonic() < deadline:
            if check():
                return
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}")

    def plot_hashes(self, view: str = "plots") -> list[str]:
        """A hash per picture in a view: of its pixels (widget images are blob: URLs), or
        of the drawing for the live plots (a canvas the browser draws from the chart spec)."""
        if view == "plots":
            drawings = self.page.locator(".view-plots canvas.marks")
            return [hashlib.sha256(d.encode()).hexdigest() for d in
                    drawings.evaluate_all("els => els.map(e => e.toDataURL())")]
        images = self.page.locator(f".view-{view} img")
        hashes = []
        for i in range(images.count()):
            image = images.nth(i)
            try:
                if image.evaluate("i => i.complete && i.naturalWidth") < MIN_PLOT_WIDTH:
                    continue
                hashes.append(hashlib.sha256(image.screenshot(timeout=5000)).hexdigest())
            except sync_api.Error:
                continue  # replaced while we looked: the caller polls again
        return hashes

    def wait_plots(self, count: int, view: str = "plots") -> list[str]:
        found: list[str] = []

        def enough() -> bool:
            found[:] = self.plot_hashes(view)
            return len(found) == count

        self.wait_until(f"{count} pictures in {view} (found {len(found)})", enough)
        return found

    def wait_plots_change(self, before: list[str], view: str = "plots") -> list[str]:
        """Wait until every picture of the view differs from ``before``."""
        now: list[str] = []

        def changed() -> bool:
            now[:] = self.plot_hashes(view)
            return len(now) == len(before) and all(
                a != b for a, b in zip(now, before, strict=True))

        self.wait_until(f"every picture in {view} to change", changed)
        return now

    def choose(self, select_label: str, option: str) -> None:
        """Pick ``option`` (its shown name) in the drop-down labelled ``select_label``."""
        self.page.get_by_label(select_label, exact=True).click(force=True)
        # closed menus stay in the page: pick in the open one, then let it close
        self.page.locator(".menuable__content__active").get_by_role(
            "option", name=option, exact=True).click()
        self.page.locator(".menuable__content__active").wait_for(state="detached",
                                                                 timeout=UI_TIMEOUT_MS)

    def slide_to(self, label: str, target: float) -> None:
        """Move a slider with the arrow keys, as a user would, until it shows ``target``."""
        slider = self.page.get_by_role("slider", name=label)

        def arrived() -> bool:
            now = float(slider.get_attribute("aria-valuenow"))
            if abs(now - target) < 1e-9:
                return True
            slider.focus()
            self.page.keyboard.press("ArrowRight" if now < target else "ArrowLeft")
            return False

        self.wait_until(f"slider {label} at {target}", arrived)
        time.sleep(0.5)  # the value travels to the server

    def tab(self, name: str) -> None:
        self.page.get_by_role("tab", name=name, exact=True).click()

    def shot(self, name: str) -> None:
        """A screenshot from the top (hashing pictures scrolls them into view)."""
        self.page.evaluate("document.querySelectorAll('*').forEach(e => { e.scrollTop = 0; })")
        time.sleep(1.0)  # let the grid and transitions settle before the picture
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"))

    def close(self) -> None:
        self.context.close()
        assert not self.problems, self.problems


@pytest.fixture
def dash(browser, server) -> Iterator[Dashboard]:
    board = Dashboard(browser, server)
    yield board
    board.close()


def test_load_and_step(dash):
    before = dash.wait_plots(PLOTS)
    dash.shot("01-loaded")
    assert dash.page.get_by_text("Model parameters", exact=True).count() == 1  # SolaraViz's
    dash.button("Step").click()
    dash.wait_text("week", "1")
    dash.wait_plots_change(before)
    dash.button("Step").click()
    dash.wait_text("week", "2")
    dash.shot("02-stepped")


def test_play_runs_and_pause_stops(dash):
    dash.button("▶").click()
    dash.button("❚❚").wait_for(timeout=UI_TIMEOUT_MS)
    dash.wait_until("Play to pass week 2", lambda: int(dash.monitors("week")[0]) > 2)
    dash.button("❚❚").click()
    dash.button("▶").wait_for(timeout=UI_TIMEOUT_MS)
    # A step under way when the pause lands may still finish and be drawn
    # (slow on a loaded machine); paused means the week then holds still.
    week, still_since = int(dash.monitors("week")[0]), time.monotonic()
    deadline = time.monotonic() + UI_TIMEOUT_MS / 1000
    while time.monotonic() - still_since < 2.0:
        assert time.monotonic() < deadline, "the week kept advancing after pause"
        time.sleep(0.1)
        now = int(dash.monitors("week")[0])
        if now != week:
            week, still_since = now, time.monotonic()


def test_slider_change_then_reset(dash):
    dash.button("Step").click()
    dash.wait_text("week", "1")
    dash.slide_to(CONFIDENCE, 0.2)  # from 0.3 in steps of 0.01
    time.sleep(1.0)
    assert dash.monitors("week") == ["1"]  # nothing happens before Reset
    assert "changed" not in dash.running_line()
    dash.button("Reset").click()
    dash.wait_text("week", "0")
    dash.wait_until("the change to show under the monitors", lambda: (
        "changed: Interaction: confidence threshold 0.2;" in dash.running_line()))
    dash.shot("03-slider-reset")


def test_switch_strategy(dash):
    none_plots = dash.wait_plots(PLOTS)
    dash.choose("Strategy", "Culture training")
    dash.button("Reset").click()
    dash.page.locator(".monitor-table td.monitor-strategy").get_by_text(
        "Culture training", exact=True).wait_for(timeout=UI_TIMEOUT_MS)
    dash.wait_plots_change(none_plots)  # each strategy has its colour
    dash.wait_text("cost_so_far", "EUR 0")
    dash.button("Step").click()
    dash.wait_text("week", "1")
    dash.wait_until("a training cost", lambda: dash.monitors("cost_so_far") != ["EUR 0"])
    dash.shot("04-training")


def test_side_by_side(dash):
    dash.wait_plots(PLOTS)
    dash.choose("Strategy", "Culture training")
    dash.choose("Side by side: second strategy", "Theme teams (self-selected)")
    dash.button("Reset").click()
    dash.wait_text("week", "0", count=2)
    dash.wait_plots(PLOTS)
    dash.slide_to(WEEKS_PER_STEP, 13)  # a quarter
    dash.button("Step").click()
    dash.wait_text("week", "13", count=2)

    def teams_only_in_the_teams_column() -> bool:
        teams = dash.monitors("teams_formed")
        return len(teams) == 2 and teams[0] == "0" and int(teams[1]) > 0

    dash.wait_until("teams formed under the teams strategy", teams_only_in_the_teams_column)
    dash.shot("05-side-by-side")
    dash.tab("Network")
    by_city = dash.wait_plots(2, view="network")
    dash.button("Team").first.click()
    dash.wait_plots_change(by_city, view="network")  # one toggle colours both
    dash.shot("06-side-by-side-network-by-team")
    dash.tab("Value space")
    dash.wait_plots(2, view="values")
    dash.shot("07-side-by-side-value-space")


def test_language_toggle(dash):
    page = dash.page
    dash.wait_plots(PLOTS)
    english_plots = dash.plot_hashes()
    dash.button("Nederlands").click()
    dash.button("Stap").wait_for(timeout=UI_TIMEOUT_MS)
    dash.button("Opnieuw").wait_for(timeout=UI_TIMEOUT_MS)
    assert dash.button("Step").count() == 0
    for text in ("Bediening", "Modelparameters", "Informatie", "Aantal medewerkers"):
        page.get_by_text(text, exact=True).wait_for(timeout=UI_TIMEOUT_MS)
    page.get_by_role("tab", name="Grafieken").wait_for(timeout=UI_TIMEOUT_MS)
    page.get_by_role("slider", name="Tolerantiegrens (genormaliseerde afstand)").wait_for(
        state="attached", timeout=UI_TIMEOUT_MS)
    page.get_by_role("slider", name="Weken per stap").wait_for(
        state="attached", timeout=UI_TIMEOUT_MS)
    dash.wait_plots_change(english_plots)  # the plots' titles are Dutch now
    dash.shot("08-dutch")
    dash.choose("Strategie", "Cultuurtraining")
    dash.button("Opnieuw").click()
    page.locator(".monitor-table td.monitor-strategy").get_by_text(
        "Cultuurtraining", exact=True).wait_for(timeout=UI_TIMEOUT_MS)
    dash.tab("Info")
    page.get_by_text("WAT IS HET?").wait_for(timeout=UI_TIMEOUT_MS)
    assert page.get_by_text("WHAT IS IT?").count() == 0
    dash.shot("09-dutch-info")
    dash.button("English").click()
    page.get_by_text("WHAT IS IT?").wait_for(timeout=UI_TIMEOUT_MS)
    dash.button("Step").wait_for(timeout=UI_TIMEOUT_MS)


def test_network_and_value_space_views(dash):
    dash.tab("Network")
    by_city = dash.wait_plots(1, view="network")
    dash.shot("10-network-by-city")
    dash.button("Team").click()
    dash.wait_plots_change(by_city, view="network")
    dash.tab("Value space")
    values = dash.wait_plots(1, view="values")
    dash.button("Step").click()
    dash.wait_plots_change(values, view="values")
    dash.shot("11-value-space")
    dash.tab("Info")
    dash.page.get_by_text("WHAT IS IT?").wait_for(timeout=UI_TIMEOUT_MS)
    dash.shot("12-info")


def test_two_browser_contexts_get_independent_models(browser, server):
    first, second = Dashboard(browser, server), Dashboard(browser, server)
    try:
        first.button("Step").click()
        first.wait_text("week", "1")
        first.button("Step").click()
        first.wait_text("week", "2")
        second.button("Nederlands").click()
        second.button("Stap").wait_for(timeout=UI_TIMEOUT_MS)
        assert second.monitors("week") == ["0"]
        second.button("Stap").click()
        second.wait_text("week", "1")
        assert first.monitors("week") == ["2"]
        assert first.button("Step").count() == 1  # the other session's language stays its own
    finally:
        first.close()
        second.close()


# ----------------------------------------------------------------------------- Reset, twice

STRATEGY_B = "Side by side: second strategy"
SEED = "Seed (random numbers)"


def expected_line(scenario: str, seed: int) -> str:
    return (f"Running: {scenario}; Culture training | Theme teams (self-selected); seed {seed}; "
            f"changed: Interaction: confidence threshold 0.2; everything else at the "
            f"scenario's defaults")


@pytest.mark.parametrize("change", ["scenario", "side_by_side_on_off", "seed"])
def test_reset_twice_keeps_every_setting(dash, change):
    """After a new scenario, side by side off and on, or a new seed, every later Reset
    still runs what the controls show: both strategies, the seed and the moved slider."""
    dash.choose("Strategy", "Culture training")
    dash.choose(STRATEGY_B, "Theme teams (self-selected)")
    dash.slide_to(CONFIDENCE, 0.2)
    scenario, seed = "Classroom (small and fast)", 0
    if change == "scenario":
        scenario = "Two cities"
        dash.choose("Scenario", scenario)
    dash.button("Reset").click()
    dash.wait_text("week", "0", count=2)
    if change == "side_by_side_on_off":
        dash.choose(STRATEGY_B, "Off (one strategy)")
        dash.button("Reset").click()
        dash.wait_text("week", "0", count=1)
        dash.choose(STRATEGY_B, "Theme teams (self-selected)")
        dash.button("Reset").click()
        dash.wait_text("week", "0", count=2)
    if change == "seed":
        seed = 3
        dash.slide_to(SEED, seed)
        dash.button("Reset").click()
    line = expected_line(scenario, seed)
    dash.wait_until(f"the line to read {line!r}", lambda: dash.running_line() == line)
    for attempt in range(2):
        dash.button("Step").click()
        dash.wait_text("week", "1", count=2)
        dash.button("Reset").click()
        dash.wait_text("week", "0", count=2)
        assert dash.running_line() == line, f"Reset {attempt + 2} lost a setting"
        assert dash.page.locator(".monitor-table td.monitor-strategy").all_inner_texts() == [
            "Culture training", "Theme teams (self-selected)"]
    dash.shot(f"13-reset-twice-{change}")


def test_monitors_fit_at_1280x720_with_two_strategies(browser, server):
    board = Dashboard(browser, server, viewport={"width": 1280, "height": 720})
    try:
        board.choose("Strategy", "Culture training")
        board.choose(STRATEGY_B, "Theme teams (self-selected)")
        board.choose("Scenario", "The case (1,000 employees, five cities)")
        board.button("Reset").click()
        board.wait_text("week", "0", count=2)
        board.slide_to(WEEKS_PER_STEP, 13)
        for week in (13, 26):  # the cost reaches its widest text
            board.button("Step").click()
            board.wait_text("week", str(week), count=2)
        time.sleep(1.0)
        board.shot("14-monitors-1280x720")
        cells = board.page.locator(".monitor-table th, .monitor-table td, .running-now")
        boxes = cells.evaluate_all("""els => els.map(e => {
            const r = e.getBoundingClientRect();
            const cell = e.closest('.vue-grid-item').getBoundingClientRect();
            return {text: e.innerText, left: r.left, right: r.right, top: r.top,
                    bottom: r.bottom, cl: cell.left, cr: cell.right, ct: cell.top,
                    cb: cell.bottom, scroll: e.scrollWidth - e.clientWidth};
        })""")
        assert len(boxes) == 2 * 11 + 11 + 1
        for box in boxes:
            assert box["left"] >= 0 and box["right"] <= 1280, box
            assert box["top"] >= 0 and box["bottom"] <= 720, box
            assert box["cl"] <= box["left"] and box["right"] <= box["cr"] + 0.5, box
            assert box["ct"] <= box["top"] and box["bottom"] <= box["cb"] + 0.5, box
            assert box["scroll"] <= 0, box  # nothing cut inside the cell either
    finally:
        board.close()


def expected_outcomes(strategies: list[str], lang: str, **overrides) -> dict[str, list[str]]:
    """The outcomes table's cells at the end of the default run (classroom, seed 0) of
    ``strategies`` side by side, computed here from the registry: the run outcomes of each
    strategy, and the effects over none of the others."""
    import math

    from sim.experiments import observables
    from sim.model import MergerModel
    from sim.presentation.dashboard.classroom import default_preset, load_preset
    from sim.presentation.dashboard.i18n import t
    from sim.presentation.dashboard.numbers import format_outcome

    config = load_preset(default_preset())
    meta = {"intervention_weeks": config.horizon.intervention_weeks}
    last = config.horizon.total_weeks
    frames = {}
    for strategy in strategies:
        model = MergerModel(config, strategy=strategy, seed=0, overrides=overrides)
        while model.running:
            model.step()
        frames[strategy] = model.timeseries()

    def text(obs, value: float) -> str:
        if math.isfinite(value):
            return format_outcome(value, obs.unit, lang)
        return t("not_reached" if obs.known_from == "reached" else "undefined", lang,
                 week=last)

    cells = {obs.name: [text(obs, observables.evaluate(frames[s], meta)[obs.name])
                        for s in strategies] for obs in observables.DERIVED}
    if "none" in strategies and set(strategies) != {"none"}:
        for obs in observables.EFFECTS:
            cells[obs.name] = [t("reference", lang) if s == "none" else text(
                obs, observables.evaluate_effects(frames[s], frames["none"], meta)[obs.name])
                for s in strategies]
    return cells


def outcome_cells(board: Dashboard, name: str) -> list[str]:
    return [x.strip() for x in
            board.page.locator(f".outcome-table .outcome-cell-{name}").all_inner_texts()]


def test_a_13_week_step_stops_at_the_horizon(dash):
    """... and the outcomes under the plots: said "not yet" at week 0, the registry's
    numbers for this run at the end."""
    assert outcome_cells(dash, "durability") == ["at the end (week 156)"]
    assert outcome_cells(dash, "weeks_to_integration") == ["not yet reached"]
    assert dash.page.locator(".view-outcomes .effects-need-none").count() == 1
    dash.slide_to(WEEKS_PER_STEP, 13)
    dash.button("▶").click()
    dash.wait_until("the run to finish", lambda: dash.page.locator(".run-finished").count() == 1)
    assert dash.monitors("week") == ["156"]
    dash.page.get_by_text("Week 156", exact=True).wait_for(timeout=UI_TIMEOUT_MS)
    expected = expected_outcomes(["none"], "en")
    dash.wait_until("the final outcomes", lambda: outcome_cells(dash, "durability")
                    == expected["durability"])
    for name, cells in expected.items():
        assert outcome_cells(dash, name) == cells, name
    dash.shot("14b-finished-outcomes")


# ----------------------------------------------------------------------------- Dutch, lang

def test_dutch_mode_shows_no_english(browser, server):
    """Every tab, the sidebar, two strategies and a finished run, opened with ?lang=nl: no
    English word of the known list, no number with a decimal point (sliders included); the
    outcomes table shows the run outcomes and the effects over none, in Dutch, with the
    registry's numbers for this run."""
    board = Dashboard(browser, server + "?lang=nl", wait_for="Stap")
    try:
        board.choose("Strategie", "Cultuurtraining")
        board.choose("Naast elkaar: tweede strategie", "Geen interventie")
        board.page.get_by_label("Scenario", exact=True).click(force=True)
        options = board.page.locator(".menuable__content__active").get_by_role(
            "option").all_inner_texts()
        board.page.keyboard.press("Escape")
        assert not english_in(" ".join(options)), options
        board.page.get_by_label("Geavanceerd", exact=True).check(force=True)
        board.page.get_by_label("Werken aan waarden", exact=False).first.uncheck(force=True)
        board.button("Opnieuw").click()
        board.wait_text("week", "0", count=2)
        board.slide_to("Weken per stap", 13)
        board.button("▶").click()
        board.wait_until("the run to finish",
                         lambda: board.page.locator(".run-finished").count() == 1)
        expected = expected_outcomes(["training", "none"], "nl",
                                     **{"teams.value_work": False})
        board.wait_until("the final outcomes", lambda: outcome_cells(
            board, "alignment_effect_final") == expected["alignment_effect_final"])
        for name, cells in expected.items():  # outcomes and effects over none, in Dutch
            assert outcome_cells(board, name) == cells, name
        board.page.locator(".view-effects canvas.marks").wait_for(timeout=UI_TIMEOUT_MS)
        texts = [board.page.inner_text("body")]
        thumbs = board.page.locator(".slider-value").all_inner_texts()
        assert any("," in x for x in thumbs), thumbs  # a fraction, written 0,3
        assert not english_decimals(" ".join(thumbs)), thumbs
        line = board.running_line()
        assert "Werken aan waarden uit" in line and "False" not in line, line
        for tab in ("Netwerk", "Waardenruimte", "Cultuurprofiel", "Gebeurtenissen", "Info"):
            board.tab(tab)
            time.sleep(2.0)
            texts.append(board.page.inner_text("body"))
        board.shot("15-dutch-finished")
        found = english_in("\n".join(texts)) + english_decimals("\n".join(texts))
        assert not found, found
    finally:
        board.close()


def test_server_language_and_address_language(browser, server):
    """?lang=nl starts in Dutch; ?lang=xx (unknown) is ignored, not an error."""
    board = Dashboard(browser, server + "?lang=xx")
    board.close()


def test_advanced_controls_hidden_until_asked(dash):
    pause = dash.page.get_by_text("Pause between steps while playing (ms)", exact=True)
    assert not pause.is_visible()
    dash.page.get_by_label("Advanced settings", exact=True).check(force=True)
    pause.wait_for(timeout=UI_TIMEOUT_MS)


def test_projector_mode_large_type_nothing_clipped(browser, server):
    board = Dashboard(browser, server, viewport={"width": 1280, "height": 720})
    try:
        board.choose(STRATEGY_B, "Theme teams (self-selected)")
        board.button("Reset").click()
        board.wait_text("week", "0", count=2)
        normal = board.page.locator(".monitor-value").first.evaluate(
            "e => parseFloat(getComputedStyle(e).fontSize)")
        board.page.get_by_label("Projector (large type)", exact=True).check(force=True)
        board.wait_until("large type", lambda: board.page.locator(".monitor-value").first.evaluate(
            "e => parseFloat(getComputedStyle(e).fontSize)") >= 1.4 * normal)
        board.button("Step").click()
        board.wait_text("week", "1", count=2)
        time.sleep(1.5)
        board.shot("16-projector")
        boxes = board.page.locator(".monitor-table th, .monitor-table td, .running-now")\
            .evaluate_all("""els => els.map(e => {
                const r = e.getBoundingClientRect();
                const cell = e.closest('.vue-grid-item').getBoundingClientRect();
                return {left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                        cl: cell.left, cr: cell.right, ct: cell.top, cb: cell.bottom};
            })""")
        for box in boxes:
            assert box["cl"] <= box["left"] and box["right"] <= box["cr"] + 0.5, box
            assert box["ct"] <= box["top"] and box["bottom"] <= box["cb"] + 0.5, box
            assert box["right"] <= 1280, box
    finally:
        board.close()


# ----------------------------------------------------------------------------- hand-out, export

MONITORED = ("week", "distance_to_target", "city_divergence", "cross_city_ties",
             "contract_strength", "headcount", "teams_formed", "teams_active",
             "proposals_accepted", "cost_so_far")


def settled(board: Dashboard) -> dict[str, list[str]]:
    """Every monitor, once they stop changing (a table's cells arrive one message at a
    time, so the week can read 13 before the cost does)."""
    last: dict[str, list[str]] = {}
    still_since = time.monotonic()
    deadline = still_since + UI_TIMEOUT_MS / 1000
    while time.monotonic() - still_since < 1.5:
        assert time.monotonic() < deadline, "the monitors kept changing"
        now = {key: board.monitors(key) for key in MONITORED}
        if now != last:
            last, still_since = now, time.monotonic()
        time.sleep(0.1)
    return last


def test_settings_link_reproduces_the_run(browser, server):
    first = Dashboard(browser, server)
    try:
        first.choose("Strategy", "Culture training")
        first.choose(STRATEGY_B, "Theme teams (self-selected)")
        first.slide_to(CONFIDENCE, 0.25)
        first.slide_to(SEED, 2)
        first.page.get_by_label("Teams: value work", exact=True).uncheck(force=True)
        first.button("Reset").click()
        first.wait_text("week", "0", count=2)
        first.slide_to(WEEKS_PER_STEP, 13)
        first.button("Step").click()
        first.wait_text("week", "13", count=2)
        seen = settled(first)
        line = first.running_line()
        href = first.page.locator(".settings-link").get_attribute("href")
    finally:
        first.close()
    assert "seed=2" in href and "teams.value_work=off" in href
    second = Dashboard(browser, server + href.lstrip("/"))
    try:
        assert second.running_line() == line
        second.slide_to(WEEKS_PER_STEP, 13)
        second.button("Step").click()
        second.wait_text("week", "13", count=2)
        assert settled(second) == seen
    finally:
        second.close()


def test_forged_link_is_refused_with_a_message(browser, server):
    board = Dashboard(browser, server + "?preset=../../etc/passwd&seed=7&training.dose=99")
    try:
        board.page.locator(".settings-rejected").wait_for(timeout=UI_TIMEOUT_MS)
        assert "seed 7" in board.running_line()  # the good value is kept
    finally:
        board.close()


def test_csv_and_png_downloads_arrive_and_parse(dash, tmp_path):
    import csv
    import io

    dash.button("Step").click()
    dash.wait_text("week", "1")
    with dash.page.expect_download() as info:
        dash.page.get_by_text("Weekly data (CSV)").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    assert [row["week"] for row in rows] == ["0", "1"]
    assert {"distance_to_target", "cost_cum", "strategy", "seed"} <= set(rows[0])
    float(rows[1]["distance_to_target"])
    menu = dash.page.locator(".view-plots details").first
    menu.locator("summary").click()
    with dash.page.expect_download() as info:
        menu.get_by_text("Save as PNG").click()
    png = tmp_path / "plot.png"
    info.value.save_as(png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 2000


def test_ten_seeds_in_the_browser(dash):
    dash.choose("Strategy", "Culture training")
    dash.choose(STRATEGY_B, "Theme teams (self-selected)")
    dash.button("Reset").click()
    dash.wait_text("week", "0", count=2)
    dash.tab("Ten seeds")
    dash.button("Run seeds 0-9").click()
    deadline = time.monotonic() + 180
    while dash.page.locator(".seeds-table").get_by_text("highest").count() == 0:
        assert time.monotonic() < deadline, "ten seeds did not finish in 3 minutes"
        time.sleep(0.2)
    table = dash.page.locator(".seeds-table").inner_text()
    assert "in 0 of 10" not in table or "in" in table
    assert "Theme teams (self-selected) ended the intervention closer" in table
    dash.shot("17-ten-seeds")



# ----------------------------------------------------------------------------- one server

CLASS_TABS = 10
CULL_SECONDS = 2
"""The server's cull timeout here: a closed tab's session is freed this long after it closed
(as in test_dashboard_capacity.py; only closed tabs are culled, open ones are connected)."""
MEMORY_PER_SESSION_MIB = 15
"""Stated bound: a classroom session costs the server at most this much resident memory
(measured about 4-5 MiB, benchmarks/bench_dashboard_capacity.py)."""


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024.0
    raise AssertionError("no VmRSS")


def test_ten_tabs_stepping_at_once_have_their_own_models_and_memory_is_bounded(browser):
    """Ten students at once: each tab's week is its own number of Steps; with the cap at ten
    an eleventh tab is told the server is full; the server's memory grows by less than the
    stated bound per session and, after the tabs close and the cull timeout passes, stays
    below it and admits a new tab."""
    with serve("--max-sessions", str(CLASS_TABS), "--cull-timeout", f"{CULL_SECONDS}s",
               log_name="server-class.log") as (url, pid):
        first = Dashboard(browser, url)
        first.close()
        time.sleep(CULL_SECONDS + 3)  # culled: the baseline includes one model's code and caches
        baseline = rss_mib(pid)
        boards = [Dashboard(browser, url) for _ in range(CLASS_TABS)]
        try:
            full = browser.new_context()
            extra = full.new_page()
            extra.goto(url)
            extra.locator(".server-full").wait_for(timeout=UI_TIMEOUT_MS)
            full.close()
            for round_ in range(1, 4):
                for i, board in enumerate(boards):
                    if i % 3 < round_:  # tab i steps min(round, ...) times: all differ
                        board.button("Step").click()
            expected = [sum(1 for r in range(1, 4) if i % 3 < r) for i in range(CLASS_TABS)]
            for board, weeks in zip(boards, expected, strict=True):
                board.wait_text("week", str(weeks))
            loaded = rss_mib(pid)
            assert loaded - baseline < CLASS_TABS * MEMORY_PER_SESSION_MIB, (baseline, loaded)
        finally:
            for board in boards:
                board.close()
        time.sleep(CULL_SECONDS + 7)  # past the cull timeout
        after = rss_mib(pid)
        assert after - baseline < CLASS_TABS * MEMORY_PER_SESSION_MIB, (baseline, after)
        again = Dashboard(browser, url)  # the closed sessions were given back
        again.close()
