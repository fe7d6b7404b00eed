"""The participatory class in headless chromium: a teacher and students, end to end."""

from __future__ import annotations

import json
import urllib.request

import pytest
from live_support import class_server
from test_dashboard_browser import browser  # noqa: F401  (the shared chromium fixture)

pytestmark = pytest.mark.browser


def teacher_post(base: str, action: str, body: dict | None = None) -> None:
    request = urllib.request.Request(f"{base}/api/teacher/{action}?key=secret-key",
                                     data=json.dumps(body or {}).encode(), method="POST",
                                     headers={"content-type": "application/json"})
    urllib.request.urlopen(request, timeout=30).read()


def test_teacher_and_students_run_recruitment_and_a_reload_keeps_the_role(browser):  # noqa: F811
    with class_server() as (base, session):
        teacher = browser.new_context().new_page()
        teacher.goto(f"{base}/teacher?key=secret-key")
        assert teacher.locator("#code").inner_text() == "KLAS7"
        assert teacher.locator("svg").count() >= 1  # the QR code
        students = []
        for name in ("Anna", "Bram", "Cas", "Dewi", "Eva", "Fenna"):
            page = browser.new_context().new_page()
            page.goto(f"{base}/join?lang=nl")
            page.fill("#code", "klas7")
            page.fill("#nick", name)
            page.click("button[type=submit]")
            page.wait_for_selector("#me:not([hidden])")
            students.append(page)
        teacher.click("#start")
        teacher.wait_for_selector("#week:has-text('Week 1')")
        sponsor = students[0]
        sponsor.wait_for_selector("#role")
        assert sponsor.locator("#role").inner_text() == "sponsor van een thema"
        sponsor.wait_for_selector("button[data-invite]")
        invited = int(sponsor.locator("button[data-invite]").first.get_attribute("data-invite"))
        sponsor.locator("button[data-invite]").first.click()
        sponsor.wait_for_selector("#contacts li:has-text('✓')")
        assert session.choices.invites[session.player(
            next(iter(session.players))).uid] == [invited]
        # a reload keeps the role (the token is kept by the page)
        sponsor.reload()
        sponsor.wait_for_selector("#role")
        assert sponsor.locator("#role").inner_text() == "sponsor van een thema"
        teacher.click("#advance")
        teacher.wait_for_selector("#week:has-text('Week 2')")
        assert any(e.kind == "invite" and e.source == "player" and e.target == invited
                   for e in session.book.log)
        # the students' pages never show another student's name
        for i, page in enumerate(students):
            text = page.inner_text("body")
            others = [p.nickname for j, p in enumerate(session.players.values()) if j != i]
            assert not any(name in text for name in others)
        teacher_post(base, "end")
        assert session.phase == "ended"
