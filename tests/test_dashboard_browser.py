"""The teaching dashboard end to end, in a real headless browser (Debian's chromium).

These catch what ``solara.render`` cannot: web assets that do not load offline (a white
page), a widget stack that never draws, and models shared between browser sessions. The
server is started with ``python -m sim.dashboard_cli`` on a free local port and stopped at
the end; screenshots go to ``tests/artifacts/dashboard/`` for a human to look at.
"""

from __future__ import annotations

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

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts" / "dashboard"
REPO = Path(__file__).resolve().parent.parent
SERVER_START_SECONDS = 60
UI_TIMEOUT_MS = 30_000
VIEWPORT = {"width": 1600, "height": 1000}
MIN_PLOT_WIDTH = 300  # pixels: smaller images are icons, not plots

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is absent (install it with: apt-get install -y chromium)",
                allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The dashboard served by our own command, in its own process group."""
    port = free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_path = ARTIFACTS / "server.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "sim.dashboard_cli", "--host", "127.0.0.1",
             "--port", str(port)],
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
            yield url
        finally:
            os.killpg(proc.pid, signal.SIGTERM)  # our server and the solara child it runs
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    text = log_path.read_text()
    assert "Could not load URL" not in text, "an asset was fetched from the network"


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Dashboard:
    """One browser context on the dashboard, with the failures it saw."""

    def __init__(self, browser, url: str) -> None:
        self.context = browser.new_context(viewport=VIEWPORT)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("requestfailed", lambda req: self.problems.append(f"failed: {req.url}"))
        self.page.on("pageerror", lambda err: self.problems.append(f"page error: {err}"))
        self.page.goto(url)
        self.button("Step").wait_for(timeout=UI_TIMEOUT_MS)
        self.wait_text("week", "0")

    def button(self, name: str):
        return self.page.get_by_role("button", name=name, exact=True)

    def monitors(self, key: str) -> list[str]:
        return [x.strip() for x in
                self.page.locator(f".monitor-value-{key}").all_inner_texts()]

    def wait_text(self, key: str, text: str, count: int = 1) -> None:
        """Wait until every one of ``count`` monitors ``key`` reads ``text``."""
        deadline = time.monotonic() + UI_TIMEOUT_MS / 1000
        while time.monotonic() < deadline:
            if self.monitors(key) == [text] * count:
                return
            time.sleep(0.1)
        raise AssertionError(f"monitor {key}: {self.monitors(key)}, expected {text} x{count}")

    def wait_until(self, what: str, check) -> None:
        """Poll ``check()`` until true: widget updates reach the page one message at a time."""
        deadline = time.monotonic() + UI_TIMEOUT_MS / 1000
        while time.monotonic() < deadline:
            if check():
                return
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}")

    def plot_hashes(self, view: str = "plots") -> list[str]:
        """A hash per plot in a view: of its pixels (widget images are blob: URLs)."""
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
        deadline = time.monotonic() + UI_TIMEOUT_MS / 1000
        while time.monotonic() < deadline:
            hashes = self.plot_hashes(view)
            if len(hashes) == count:
                return hashes
            time.sleep(0.1)
        raise AssertionError(f"expected {count} plots in {view}, found "
                             f"{len(self.plot_hashes(view))}")

    def wait_plots_change(self, before: list[str], view: str = "plots") -> list[str]:
        deadline = time.monotonic() + UI_TIMEOUT_MS / 1000
        while time.monotonic() < deadline:
            now = self.plot_hashes(view)
            if now and now != before and len(now) == len(before):
                return now
            time.sleep(0.1)
        raise AssertionError("the plots did not change")

    def choose(self, select_label: str, option: str) -> None:
        self.page.get_by_label(select_label, exact=True).click(force=True)
        self.page.get_by_role("option", name=option, exact=True).click()

    def shot(self, name: str) -> None:
        time.sleep(0.8)  # let the grid and transitions settle before the picture
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    def close(self) -> None:
        self.context.close()
        assert not self.problems, self.problems


@pytest.fixture
def dash(browser, server) -> Iterator[Dashboard]:
    board = Dashboard(browser, server)
    yield board
    board.close()


def test_load_and_step(dash):
    dash.shot("01-loaded")
    before = dash.wait_plots(1)
    dash.button("Step").click()
    dash.wait_text("week", "1")
    dash.wait_plots_change(before)
    dash.button("Step").click()
    dash.wait_text("week", "2")
    dash.shot("02-stepped")


def test_play_runs_and_pause_stops(dash):
    dash.button("Play").click()
    dash.button("Pause").wait_for(timeout=UI_TIMEOUT_MS)
    time.sleep(1.5)
    dash.button("Pause").click()
    dash.button("Play").wait_for(timeout=UI_TIMEOUT_MS)
    time.sleep(1.0)
    week = int(dash.monitors("week")[0])
    assert week > 1
    time.sleep(1.0)
    assert int(dash.monitors("week")[0]) == week  # paused means paused


def test_slider_change_then_reset(dash):
    page = dash.page
    dash.button("Step").click()
    dash.wait_text("week", "1")
    slider = page.get_by_role("slider", name="Interaction: confidence threshold")
    slider.focus()
    for _ in range(10):
        page.keyboard.press("ArrowLeft")
    page.get_by_text("Settings changed: press Reset to apply them.").wait_for(
        timeout=UI_TIMEOUT_MS)
    page.get_by_text("0.2 normalised distance (default 0.3)").wait_for(timeout=UI_TIMEOUT_MS)
    dash.shot("03-slider-pending")
    dash.button("Reset").click()
    dash.wait_text("week", "0")
    page.get_by_text("Settings changed: press Reset to apply them.").wait_for(
        state="detached", timeout=UI_TIMEOUT_MS)
    page.get_by_text("0.2 normalised distance (default 0.3)").wait_for(timeout=UI_TIMEOUT_MS)


def test_switch_strategy(dash):
    none_plot = dash.wait_plots(1)
    dash.choose("Strategy", "Culture training")
    dash.wait_text("week", "0")
    dash.wait_plots_change(none_plot)  # the heading names the strategy
    assert dash.monitors("cost_so_far") == ["EUR 0"]
    dash.button("Step").click()
    dash.wait_text("week", "1")
    dash.wait_until("a training cost", lambda: dash.monitors("cost_so_far") != ["EUR 0"])
    dash.shot("04-training")


def test_side_by_side(dash):
    page = dash.page
    dash.wait_plots(1)
    dash.choose("Strategy", "Culture training")
    page.get_by_role("switch", name="Side by side: compare two strategies").check(force=True)
    dash.wait_plots(2)
    dash.choose("Second strategy", "Theme teams (self-selected)")
    dash.wait_text("week", "0", count=2)
    dash.button("Step").click()
    dash.wait_text("week", "1", count=2)
    dash.button("13").click()  # weeks per step: a quarter
    dash.button("Step").click()
    dash.wait_text("week", "14", count=2)

    def teams_only_in_the_teams_column() -> bool:
        teams = dash.monitors("teams_formed")
        return len(teams) == 2 and teams[0] == "0" and int(teams[1]) > 0

    dash.wait_until("teams formed under the teams strategy", teams_only_in_the_teams_column)
    dash.shot("05-side-by-side")
    page.get_by_role("tab", name="Network").click()
    by_city = dash.wait_plots(2, view="network")
    dash.button("Team").click()
    dash.wait_plots_change(by_city, view="network")
    dash.shot("06-side-by-side-network-by-team")


def test_language_toggle(dash):
    page = dash.page
    dash.button("Nederlands").click()
    dash.button("Stap").wait_for(timeout=UI_TIMEOUT_MS)
    assert dash.button("Step").count() == 0
    page.get_by_text("Aantal medewerkers", exact=True).wait_for(timeout=UI_TIMEOUT_MS)
    page.get_by_role("slider", name="Vertrouwensdrempel").wait_for(state="attached",
                                                                   timeout=UI_TIMEOUT_MS)
    dash.shot("07-dutch")
    page.get_by_role("tab", name="Info").click()
    page.get_by_text("WAT IS HET?").wait_for(timeout=UI_TIMEOUT_MS)
    assert page.get_by_text("WHAT IS IT?").count() == 0
    dash.shot("08-dutch-info")
    dash.button("English").click()
    page.get_by_text("WHAT IS IT?").wait_for(timeout=UI_TIMEOUT_MS)


def test_network_and_value_space_views(dash):
    page = dash.page
    page.get_by_role("tab", name="Network").click()
    by_city = dash.wait_plots(1, view="network")
    dash.shot("09-network-by-city")
    dash.button("Team").click()
    dash.wait_plots_change(by_city, view="network")
    page.get_by_role("tab", name="Value space").click()
    values = dash.wait_plots(1, view="values")
    dash.button("Step").click()
    dash.wait_text("week", "1")
    dash.wait_plots_change(values, view="values")
    dash.shot("10-value-space")


def test_two_browser_contexts_get_independent_models(browser, server):
    first, second = Dashboard(browser, server), Dashboard(browser, server)
    try:
        first.button("Step").click()
        first.wait_text("week", "1")
        first.button("Step").click()
        first.wait_text("week", "2")
        second.page.reload()
        second.button("Step").wait_for(timeout=UI_TIMEOUT_MS)
        second.wait_text("week", "0")
        second.button("Step").click()
        second.wait_text("week", "1")
        assert first.monitors("week") == ["2"]
    finally:
        first.close()
        second.close()
