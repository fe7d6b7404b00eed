"""`merger-sim dashboard --class` in headless chromium: the dashboard's link to the class, the
teacher's door and lobby (scenario, seed, automatic advance), a Dutch student, and the Dutch
teacher's screen through to the debrief, all on the dashboard's one server."""

from __future__ import annotations

import re

import pytest
from dutch_words import english_decimals
from test_dashboard_browser import (
    ARTIFACTS,
    UI_TIMEOUT_MS,
    Dashboard,
    browser,  # noqa: F401  (the shared chromium fixture)
    serve,
)
from test_live_dutch import english

pytestmark = pytest.mark.browser


def test_the_dashboard_serves_the_class_and_links_to_the_teachers_screen(browser):  # noqa: F811
    with serve("--class", "--class-seed", "3", "--week-seconds", "600",
               log_name="class-server.log") as (url, _):
        log = (ARTIFACTS / "class-server.log").read_text()
        code = re.search(r"room code (\w+)", log).group(1)
        key = re.search(r"teacher: +\S+\?key=(\S+)", log).group(1)
        assert f"{url}class/join" in log
        # the dashboard's sidebar links to the teacher's screen, without the key
        board = Dashboard(browser, url)
        link = board.page.locator("a.class-link")
        link.wait_for(timeout=UI_TIMEOUT_MS)
        href = link.get_attribute("href")
        assert href.startswith("/class/teacher") and key not in href
        teacher = browser.new_context().new_page()
        teacher.goto(url.rstrip("/") + href.replace("lang=en", "lang=nl"))
        teacher.fill("#key", "wrong")
        teacher.click("button[type=submit]")
        teacher.wait_for_selector("#err:has-text('docentsleutel')")
        teacher.fill("#key", key)
        teacher.click("button[type=submit]")
        teacher.wait_for_selector("#code")
        assert teacher.locator("#code").inner_text() == code
        # a Dutch student joins at /class/join
        student = browser.new_context().new_page()
        student.goto(f"{url}class/join?lang=nl")
        student.fill("#code", code.lower())
        student.fill("#nick", "Anna")
        student.click("button[type=submit]")
        student.wait_for_selector("#me:not([hidden])")
        # the lobby: another preset and seed, automatic advance on
        teacher.wait_for_selector("#students li:has-text('Anna')")
        teacher.select_option("#scenario", "two-cities")
        teacher.fill("#seed", "5")
        teacher.check("#auto")
        teacher.click("#start")
        teacher.wait_for_selector("#phase:has-text('loopt')")
        assert "seed 5" in teacher.locator("#week").inner_text()
        assert teacher.locator("#auto").is_checked()
        teacher.wait_for_selector("#network")
        assert teacher.locator("#network circle, #network rect, #network polygon").count() == 500
        student.wait_for_selector("#role:has-text('sponsor van een thema')")
        student.wait_for_selector("#contacts button")
        student.locator("#contacts button").first.click()
        student.wait_for_selector("#contacts li:has-text('✓')")
        teacher.wait_for_selector("#chosen:has-text('1 kozen')")
        for page in (student, teacher):
            text = page.inner_text("body")
            assert english(text) == [] and english_decimals(text) == [], text
        # the teacher ends the class at any time: the debrief, in Dutch
        teacher.click("#end")
        teacher.wait_for_selector("#monitors", timeout=60_000)
        text = teacher.inner_text("body")
        assert "Nabespreking" in text and english(text) == [], text
        assert english_decimals(text) == [], text

