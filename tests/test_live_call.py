"""A sponsor's open call is the sponsor's choice (the issue: "sponsors choose whom to invite
among their contacts, and may make an open call"); the rule makes one."""

from __future__ import annotations

import numpy as np
import pytest
from test_live_session import join_class

from sim.presentation.live import ClassSession, SessionError
from sim.replay import replay, write_session


def week_two(call: bool | None) -> tuple[ClassSession, list[str]]:
    room = ClassSession("classroom", seed=0, code="ABCDE")
    tokens = join_class(room, 6)
    room.start()
    assert room.student_view(tokens[0])["open_call"]["reach"] == 12  # the guide: "a dozen"
    if call is not None:
        room.choose(tokens[0], {"week": room.open_week, "kind": "call", "call": call})
    room.advance()
    return room, tokens


def considered(room: ClassSession, week: int) -> np.ndarray:
    """(invitee, team) of every invitation or call considered in ``week``."""
    rows = np.vstack(room.model.strategy.invitations)
    return rows[rows[:, 0] == week][:, 1:3]


def test_a_sponsor_who_makes_no_call_reaches_only_their_contacts():
    ruled, tokens = week_two(None)
    quiet, quiet_tokens = week_two(False)
    assert ruled.student_view(tokens[0])["last_week"][-1] == {
        "kind": "call", "what": "made an open call", "source": "rule"}
    assert quiet.student_view(quiet_tokens[0])["last_week"][-1] == {
        "kind": "call", "what": "made no open call", "source": "player"}
    team = quiet.player(quiet_tokens[0]).team
    with_call, without = considered(ruled, 2), considered(quiet, 2)
    mine = lambda rows: rows[rows[:, 1] == team]  # noqa: E731
    others = lambda rows: rows[rows[:, 1] != team]  # noqa: E731
    assert len(mine(without)) < len(mine(with_call))
    # nobody else's recruitment moved: the call's reach is drawn all the same
    assert np.array_equal(others(without), others(with_call))
    # and the rule's own choice, made by the sponsor, is the rule's run
    made, _ = week_two(True)
    assert np.array_equal(considered(made, 2), with_call)


def test_only_a_recruiting_sponsor_calls_and_the_file_replays_it(tmp_path):
    room, tokens = week_two(False)
    employee = next(t for t in tokens if room.player(t).role == "employee")
    for token, message, words in (
            (employee, {"call": True}, "open call"), (tokens[0], {"call": "no"}, "call")):
        with pytest.raises(SessionError, match=words):
            room.choose(token, {"week": room.open_week, "kind": "call", **message})
    assert room.choices.calls == {}
    result, _ = replay(write_session(room.session(), tmp_path / "call.json"))
    assert result.timeseries.equals(room.model.timeseries())
