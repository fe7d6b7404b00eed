"""The week's deadline acts: late choices are refused, the rule chooses, and (if the teacher
chose so) the week closes by itself. A clock is injected: no test waits for real time."""

from __future__ import annotations

import json

import pytest
from live_support import class_server
from test_live_session import join_class, sponsor_and_contact
from test_live_web import call

from sim.presentation.live import ClassSession, SessionError
from sim.presentation.live.setup import check_settings, new_session


def clocked(auto: bool, seconds: float = 60.0) -> tuple[ClassSession, list[float]]:
    now = [0.0]
    room = ClassSession("classroom", seed=2, code="ABCDE", week_seconds=seconds,
                        clock=lambda: now[0], auto_advance=auto)
    return room, now


def test_the_default_is_the_teacher_advances():
    """The teacher's guide: automatic advance is off unless the teacher turns it on."""
    settings, config = check_settings("classroom", 0, 90.0)
    assert new_session(settings, config).auto_advance is False
    room, now = clocked(auto=False)
    join_class(room, 5)
    room.start()
    now[0] = 1000.0
    assert room.tick() is False and room.model.week == 1
    assert room.seconds_left() == 0  # the deadline passed: choices are refused (below)


def test_at_the_deadline_the_week_closes_by_itself_and_the_rule_chooses():
    room, now = clocked(auto=True)
    tokens = join_class(room, 6)
    room.start()
    sponsor, free = sponsor_and_contact(room, tokens)
    assert room.choose(sponsor, {"week": 2, "kind": "invite", "target": free[0]})
    now[0] = 59.9
    assert room.tick() is False and room.model.week == 1  # not before the deadline
    now[0] = 60.0
    assert room.tick() is True and room.model.week == 2
    week2 = [e for e in room.book.log if e.week == 2]
    assert any(e.source == "player" and e.kind == "invite" and e.target == free[0]
               for e in week2)
    # the other sponsors did not choose: the rule invited for them, marked as the rule's
    others = {room.player(t).uid for t in tokens if room.player(t).role == "sponsor"} - {
        room.player(sponsor).uid}
    assert any(e.source == "rule" and e.kind == "invite" and e.actor in others for e in week2)
    # the next week has its own deadline, counted from when it opened
    assert room.seconds_left() == 60.0
    with pytest.raises(SessionError, match="too late"):
        room.choose(sponsor, {"week": 2, "kind": "invite", "target": free[-1]})


def test_automatic_advance_goes_to_the_next_choice_and_stops_after_the_intervention():
    room, now = clocked(auto=True)
    join_class(room, 6)
    room.start()
    weeks = [room.model.week]
    for _ in range(200):
        now[0] += 61.0  # past each week's deadline
        if not room.tick():
            break
        weeks.append(room.model.week)
    end = room.config.horizon.intervention_weeks
    # recruitment (open weeks 2-6) week by week, then from choice to choice: the first pitch
    # opens week 12, the first coaching week 15 (the guide's weeks)
    assert weeks[:8] == [1, 2, 3, 4, 5, 11, 14, 19]
    for week in weeks[5:-1]:
        assert room.book.log and any(e.week == week + 1 and e.kind in ("pitch", "gap")
                                     for e in room.book.log), week
    # it stops at the end of the intervention: the teacher runs the follow-up to the end
    assert weeks[-1] == room.model.week == end and not room.at_horizon()
    now[0] += 61.0
    assert room.tick() is False and room.model.week == end


def test_the_teacher_switches_it_on_over_http_and_a_poll_closes_the_week():
    now = [0.0]
    room = ClassSession("classroom", seed=4, code="KLAS7", week_seconds=30,
                        clock=lambda: now[0])
    with class_server(session=room) as (base, session):
        key = "?key=secret-key"
        token = json.loads(call(f"{base}/api/join", {"code": "KLAS7", "nickname": "Anna"})[1])[
            "token"]
        assert call(f"{base}/api/teacher/start{key}", {"auto_advance": True})[0] == 200
        assert session.auto_advance and session.model.week == 1
        now[0] = 31.0
        status, body = call(f"{base}/api/me", token=token)  # the student's page polls
        assert status == 200 and json.loads(body)["week"] == 2
        status, body = call(f"{base}/api/teacher/auto{key}", {"auto_advance": False})
        assert status == 200 and json.loads(body)["auto_advance"] is False
        now[0] = 100.0
        status, body = call(f"{base}/api/teacher/view{key}")
        assert json.loads(body)["week"] == 2  # off: the week waits for the teacher
        status, body = call(f"{base}/api/teacher/auto{key}", {"auto_advance": "yes"})
        assert status == 400 and "auto_advance" in json.loads(body)["error"]
        # a choice after the deadline: one clear line, nothing changes
        status, body = call(f"{base}/api/choose", {"week": 3, "kind": "invite", "target": 1},
                            token=token)
        assert status == 400 and "too late" in json.loads(body)["error"]
        assert session.choices.chosen == set()
