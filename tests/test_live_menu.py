"""The pitch menu is a real choice: its options differ in the model's own quality rule, the
page shows each one's expected effect, and the run does what the page said."""

from __future__ import annotations

import pytest
from test_live_session import join_class, team_member, until

from sim.decisions import PITCH_AS_IS, PITCH_HOLD, PITCH_INTERVIEWS
from sim.presentation.live import ClassSession


@pytest.fixture()
def room() -> ClassSession:
    return ClassSession("classroom", seed=0, code="ABCDE")


def judged(room: ClassSession, team: int, plan: int) -> float:
    """The quality the week's run judges the team's pitch at, prepared by ``plan``."""
    room.choices.pitches[team] = plan
    room._preview = None
    score = next(e.score for e in room.preview() if e.kind == "verdict" and e.actor == team)
    del room.choices.pitches[team]
    room._preview = None
    return score


def options(room: ClassSession, token: str) -> dict[int, dict]:
    return {o["plan"]: o for o in room.student_view(token)["pitch"]["options"]}


def test_at_the_first_pitch_the_three_options_differ_and_the_run_agrees(room):
    tokens = join_class(room, 6)
    room.start()
    until(room, "pitch")
    token, team = team_member(room, tokens, "pitch")
    menu = options(room, token)
    quality = {plan: o["expected_quality"] for plan, o in menu.items()}
    # the defaults: more work behind the proposal is worth it at the first pitch
    assert quality[PITCH_AS_IS] < quality[PITCH_HOLD] < quality[PITCH_INTERVIEWS]
    assert menu[PITCH_AS_IS]["change"] == 0.0
    assert menu[PITCH_INTERVIEWS]["cost_eur"] > 0 and menu[PITCH_HOLD]["delay_weeks"] == 1
    assert menu[PITCH_INTERVIEWS]["days_each"] == 2.0  # the guide: "two days of each member"
    # the interviews' expected gain is what the week's run makes of them (the judges'
    # noise is the same draw whichever option the team picks)
    gain = judged(room, team, PITCH_INTERVIEWS) - judged(room, team, PITCH_AS_IS)
    assert gain == pytest.approx(menu[PITCH_INTERVIEWS]["change"], abs=0.01)


def test_with_the_work_complete_the_interviews_still_raise_the_quality(room):
    """A rework after a rejection: the work behind the proposal is complete (the rule caps
    it), so another week of work adds nothing, and the interviews' pull toward the theme's
    needs is what still moves the proposal's quality."""
    tokens = join_class(room, 6)
    room.start()
    until(room, "verdict")
    for entry in room.preview():
        if entry.kind == "verdict":
            room.verdict(entry.actor, False)
    room.advance()
    until(room, "pitch")
    token, team = team_member(room, tokens, "pitch")
    menu = options(room, token)
    assert menu[PITCH_AS_IS]["work"] == menu[PITCH_HOLD]["work"] == 1.0
    assert menu[PITCH_HOLD]["expected_quality"] == menu[PITCH_AS_IS]["expected_quality"]
    assert menu[PITCH_INTERVIEWS]["alignment"] > menu[PITCH_AS_IS]["alignment"]
    assert menu[PITCH_INTERVIEWS]["change"] > 0
    gain = judged(room, team, PITCH_INTERVIEWS) - judged(room, team, PITCH_AS_IS)
    assert gain > 0
    assert gain == pytest.approx(menu[PITCH_INTERVIEWS]["change"], abs=0.005)


def test_a_run_without_people_is_untouched_by_the_menu(classroom):
    """The interviews' alignment counts only for a team that chose them: the rule's runs
    (and the golden run) draw and compute exactly what they did."""
    from sim.decisions import DecisionBook
    from sim.runner import run

    plain = run(classroom, "teams", seed=3, weeks=30).timeseries
    booked = run(classroom, "teams", seed=3, weeks=30, decisions=DecisionBook()).timeseries
    assert plain.equals(booked)
