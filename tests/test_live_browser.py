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


def peek(session, read, *args):
    """Read the session as the server would: under its lock (it works meanwhile)."""
    with session.lock:
        return read(*args)


def wait_until(what: str, condition, timeout: float = 30.0) -> None:
    """Poll ``condition`` until it holds (never a fixed sleep)."""
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_a_class_end_to_end_and_its_file_replays_the_teachers_monitors(browser, tmp_path):  # noqa: F811
    """A teacher and 6 students: join, invite, accept and decline, a pitch prepared, one
    accepted and one rejected, a leaver, a reload, bad input, run to the end, the debrief,
    and the session file's replay against the teacher's final monitors."""
    from sim.presentation.live.debrief import monitor_text
    from sim.replay import replay

    with class_server() as (base, session):
        teacher = browser.new_context().new_page()
        teacher.goto(f"{base}/teacher?key=secret-key")
        pages = {}
        for i, name in enumerate(("Anna", "Bram", "Cas", "Dewi", "Eva", "Fenna")):
            page = browser.new_context().new_page()
            page.goto(f"{base}/join" + ("?lang=nl" if i % 2 else ""))
            page.fill("#code", "klas7")
            page.fill("#nick", name)
            page.click("button[type=submit]")
            page.wait_for_selector("#me:not([hidden])")
            pages[name] = page
        # bad input at the door: one clear line on the page, nothing joins
        stranger = browser.new_context().new_page()
        stranger.goto(f"{base}/join")
        for code, nick, words in (("ZZZZZ", "Gijs", "room code"), ("KLAS7", "anna", "taken")):
            stranger.fill("#code", code)
            stranger.fill("#nick", nick)
            stranger.click("button[type=submit]")
            stranger.wait_for_selector(f"#err:has-text('{words}')")
        assert len(session.players) == 6
        # a forged request for another room or another student's role is refused
        forged = stranger.request.post(f"{base}/api/choose", headers={"x-token": "forged"},
                                       data={"week": 2, "kind": "invite", "target": 1})
        assert forged.status == 400 and "not in this class" in forged.json()["error"]
        assert stranger.request.post(f"{base}/api/teacher/start").status == 403

        teacher.click("#start")
        teacher.wait_for_selector("#week:has-text('Week 1 ')")
        # the organisation's network: everyone, cities as shapes, the sponsors in colour
        teacher.wait_for_selector("#network")
        assert teacher.locator("#network circle, #network rect, #network polygon").count() == 150
        with session.lock:  # the server works on the session meanwhile
            by_uid = {p.uid: p.nickname for p in session.players.values()}
            token = {p.nickname: t for t, p in session.players.items()}
            role = {p.nickname: p.role for p in session.players.values()}
            uid = {p.nickname: p.uid for p in session.players.values()}
            contacts = {n: set(session._contacts(uid[n]).tolist()) for n in pages}
        sponsors = [n for n in pages if role[n] == "sponsor"]
        employees = [n for n in pages if role[n] == "employee"]
        assert len(sponsors) == 4 and len(employees) == 2
        # each employee is invited by a sponsor who knows them
        for employee in employees:
            inviter = next(s for s in sponsors if uid[employee] in contacts[s])
            page, them = pages[inviter], f"button[data-invite='{uid[employee]}']"
            page.wait_for_selector(them)
            page.click(them)
            page.wait_for_selector(f"#contacts li:has({them}):has-text('✓')")
        # the first accepts, the second declines
        for employee, yes in zip(employees, ("1", "0"), strict=True):
            page = pages[employee]
            page.reload()  # a reload keeps the role (and shows the new offers)
            page.wait_for_selector("#offers button")
            page.locator(f"#offers button[data-yes='{yes}']").first.click()
            page.wait_for_selector("#offers li:has-text('✓'), #offers li:has-text('✗')")
        teacher.click("#advance")
        teacher.wait_for_selector("#week:has-text('Week 2 ')")
        log = peek(session, lambda: list(session.book.log))
        responses = [e for e in log if e.kind == "respond" and e.source == "player"]
        assert sorted(e.value for e in responses) == [0, 1]
        assert [by_uid[e.actor] for e in log if e.kind == "invite" and e.source == "player"]
        # a choice on a page that still shows a closed week: one clear line, nothing changes
        late = pages[sponsors[0]]
        late.evaluate("""() => fetch('/api/choose', {method: 'POST', headers: {
            'content-type': 'application/json', 'x-token': sessionStorage.getItem('merger-token')},
            body: JSON.stringify({week: 2, kind: 'invite', target: 0})}).then(r => r.json())
            .then(d => document.getElementById('err').textContent = d.error)""")
        late.wait_for_selector("#err:has-text('too late')")
        # a student leaves: the rule plays their role from now on
        leaver = employees[1]
        pages[leaver].click("#leave")
        pages[leaver].wait_for_selector("#gone")
        teacher.wait_for_selector(f"#students li:has-text('{leaver}'):has-text('left')")
        assert uid[leaver] not in peek(session, session.played_uids)
        # on to the first pitches: a team prepares it, the teacher accepts one, rejects one
        while not peek(session, session.teacher_view)["pitches_waiting"]:
            week = session.model.week
            teacher.click("#next")
            wait_until("the next week", lambda w=week: session.model.week > w)
        pitcher = next(s for s in sponsors
                       if "pitch" in peek(session, session.student_view, token[s]))
        pages[pitcher].wait_for_selector("#pitch button[data-plan='2']")
        pages[pitcher].click("#pitch button[data-plan='2']")
        pages[pitcher].wait_for_selector("#pitch li:has(button[data-plan='2']):has-text('✓')")
        teacher.wait_for_selector("#pitches li:has-text('client interviews first')")
        pitches = teacher.locator("#pitches li")
        assert pitches.count() >= 2
        for i, yes in ((0, "1"), (1, "0")):
            pitches.nth(i).locator(f"button[data-yes='{yes}']").click()
            pitches.nth(i).locator(".verdict:has-text('ed')").wait_for()
        week = session.model.week
        teacher.click("#advance")
        wait_until("the pitch week", lambda: session.model.week > week)
        log = peek(session, lambda: list(session.book.log))
        verdicts = [e for e in log if e.kind == "verdict" and e.source == "player"]
        assert sorted(e.value for e in verdicts) == [0, 1]
        assert any(e.kind == "pitch" and e.source == "player" and e.value == 2 for e in log)
        # the rule chose where nobody did, and the student's page says so
        pages[sponsors[-1]].wait_for_selector("#last li.rule")
        # run to the end: the debrief on the teacher's screen
        teacher.click("#finish")
        teacher.wait_for_selector("#monitors", timeout=60_000)
        shown = {row.get_attribute("data-key"): row.locator("td").nth(1).inner_text()
                 for row in teacher.locator("#monitors tr[data-key]").all()}
        assert teacher.locator("#against li").count() >= 1
        assert teacher.locator("svg.plot").count() == 2
        # the session file, as the teacher downloads it, replays those monitors exactly
        download = teacher.request.get(f"{base}/api/teacher/session.json?key=secret-key")
        path = tmp_path / "class-session.json"
        path.write_bytes(download.body())
        result, _ = replay(path)
        assert monitor_text(result.timeseries.iloc[-1], "en") == shown
        assert result.timeseries.equals(peek(session, session.model.timeseries))
