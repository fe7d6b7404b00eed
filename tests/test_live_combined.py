"""The live class plays the team part of a combined strategy.

Issue 13: the live class reaches the team strategy through the strategy interface
(``part(model.strategy, Teams)``), not by attribute access on a model whose strategy it
assumes is a plain ``Teams``; so a class on ``teams+training`` works end to end: roles,
open calls, invitations, the pitch menu, the network, the debrief and the replay file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_live_session import join_class, team_member, until

from sim.presentation.live import ClassSession
from sim.presentation.live.debrief import debrief
from sim.presentation.live.network import layout, network_view
from sim.replay import replay, write_session
from sim.strategies import part
from sim.strategies.teams import Teams
from sim.strategies.training import Training


def test_a_class_plays_the_team_part_of_teams_and_training(tmp_path: Path) -> None:
    room = ClassSession("classroom", seed=2, code="ABCDE", strategy="teams+training")
    assert not isinstance(room.model.strategy, Teams)  # a combination, not a plain Teams
    assert part(room.model.strategy, Training) is not None
    tokens = join_class(room, 6)
    room.start()
    teams = part(room.model.strategy, Teams)
    roles = [room.player(t).role for t in tokens]
    assert roles[:teams.n_teams] == ["sponsor"] * teams.n_teams
    sponsor = tokens[0]
    assert room.player(sponsor).team >= 0
    room.choose(sponsor, {"week": room.open_week, "kind": "call", "call": False})
    assert room.teacher_view()["teams"] and all(room.student_view(t) for t in tokens)
    room.advance()  # the week's open calls ask the sponsors' choices
    assert {"kind": "call", "what": "made no open call",
            "source": "player"} in room.student_view(sponsor)["last_week"]
    until(room, "pitch")
    token, team = team_member(room, tokens, "pitch")
    assert room.student_view(token)["pitch"]["options"]
    room.choose(token, {"week": room.open_week, "kind": "pitch", "plan": 2})
    room.advance()
    entry = next(e for e in room.book.log if e.kind == "pitch" and e.actor == team)
    assert entry.source == "player"
    view = network_view(room.model, layout(room.model, room.seed))
    assert len(view["teams"]) == teams.n_teams
    room.end()
    out = debrief(room)
    assert set(out["composition"]) == {"class", "rules"}
    assert room.session().strategy == "teams+training"
    result, _ = replay(write_session(room.session(), tmp_path / "class.json"))
    assert result.timeseries.equals(room.model.timeseries())
    assert result.timeseries["cost_cum"].iloc[-1] > 0


def test_a_class_refuses_a_strategy_without_teams() -> None:
    with pytest.raises(ValueError, match="no theme teams"):
        ClassSession("classroom", seed=2, code="ABCDE", strategy="training")
