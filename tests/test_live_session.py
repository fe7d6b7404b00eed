"""The participatory class's server-side session: roles, choices, deadlines, replay."""

from __future__ import annotations

import pytest

from sim.presentation.live import ClassSession, SessionError
from sim.replay import replay, write_session


@pytest.fixture()
def room() -> ClassSession:
    session = ClassSession("classroom", seed=2, code="ABCDE")
    return session


def join_class(room: ClassSession, n: int) -> list[str]:
    return [room.join("abcde", f"student {i}") for i in range(n)]


def test_students_join_and_get_roles_sponsors_first(room):
    tokens = join_class(room, 6)
    room.start()
    roles = [room.player(t).role for t in tokens]
    n_teams = room.model.strategy.n_teams
    assert n_teams == 4  # the teaching guide: "the first four students sponsor the themes"
    assert roles[:n_teams] == ["sponsor"] * n_teams
    assert set(roles[n_teams:]) == {"employee"}
    uids = [room.player(t).uid for t in tokens]
    assert len(set(uids)) == len(uids)  # one employee per student


@pytest.mark.parametrize("code, nickname, words", [
    ("ZZZZZ", "anna", "room code"),
    (None, "anna", "room code"),
    ("ABCDE", "", "nickname"),
    ("ABCDE", "x" * 30, "nickname"),
    ("ABCDE", "bad\nname", "nickname"),
    ("ABCDE", 42, "nickname"),
])
def test_bad_joins_are_refused_in_one_line(room, code, nickname, words):
    with pytest.raises(SessionError, match=words) as err:
        room.join(code, nickname)
    assert "\n" not in str(err.value)
    assert room.players == {}


def test_a_nickname_is_taken_once(room):
    room.join("ABCDE", "Anna")
    with pytest.raises(SessionError, match="taken"):
        room.join("ABCDE", "anna")


def test_a_forged_token_is_refused_and_changes_nothing(room):
    join_class(room, 5)
    room.start()
    with pytest.raises(SessionError, match="not in this class"):
        room.choose("forged", {"week": room.open_week, "kind": "respond", "team": 0,
                               "accept": True})
    with pytest.raises(SessionError, match="not in this class"):
        room.student_view(["not", "a", "token"])
    assert room.choices.responses == {} and room.choices.invites == {}


def sponsor_and_contact(room, tokens):
    token = next(t for t in tokens if room.player(t).role == "sponsor")
    contacts = room._contacts(room.player(token).uid)
    free = [int(c) for c in contacts
            if room.model.team[room.model.slot_of(int(c))] < 0]
    return token, free


def test_a_sponsor_invites_a_contact_and_the_invitee_sees_the_offer(room):
    tokens = join_class(room, 5)
    room.start()
    sponsor, free = sponsor_and_contact(room, tokens)
    team = room.player(sponsor).team
    assert room.choose(sponsor, {"week": room.open_week, "kind": "invite",
                                 "target": free[0]}) == "invited"
    offers = [e for e in room.preview() if e.kind == "respond" and e.actor == free[0]]
    assert team in {e.target for e in offers}


@pytest.mark.parametrize("message, words", [
    ("text", "message"),
    ({"week": 99, "kind": "invite", "target": 1}, "too late"),
    ({"week": "2", "kind": "invite", "target": 1}, "week"),
    ({"kind": "invite", "target": 1}, "week"),
    ({"week": 2, "kind": "bribe"}, "kind"),
    ({"week": 2, "kind": "invite", "target": -5}, "contacts"),
    ({"week": 2, "kind": "invite", "target": True}, "target"),
    ({"week": 2, "kind": "respond", "team": 0, "accept": "yes"}, "accept"),
    ({"week": 2, "kind": "invite", "target": 1, "admin": True}, "unknown field"),
])
def test_malformed_or_late_choices_are_refused_and_change_nothing(room, message, words):
    tokens = join_class(room, 4)
    room.start()
    sponsor = next(t for t in tokens if room.player(t).role == "sponsor")
    with pytest.raises(SessionError, match=words) as err:
        room.choose(sponsor, message)
    assert "\n" not in str(err.value)
    assert room.choices.invites == {} and room.choices.responses == {}


def test_a_response_to_an_offer_that_does_not_exist_is_refused(room):
    tokens = join_class(room, 6)
    room.start()
    employee = next(t for t in tokens if room.player(t).role == "employee")
    offered = {o["team"] for o in room.student_view(employee).get("offers", [])}
    missing = next(t for t in range(room.model.strategy.n_teams) if t not in offered)
    with pytest.raises(SessionError, match="no invitation"):
        room.choose(employee, {"week": room.open_week, "kind": "respond", "team": missing,
                               "accept": True})


def test_a_student_sees_only_their_own_situation(room):
    tokens = join_class(room, 6)
    room.start()
    view = room.student_view(tokens[-1])
    assert set(view) >= {"role", "city", "unit", "workload", "offers", "my_invitations"}
    text = repr(view)
    for other in tokens[:-1]:
        assert other not in text and room.player(other).nickname not in text


def test_a_class_run_replays_byte_for_byte(room, tmp_path):
    """Invitations, answers, a rejected and an accepted pitch, a leaver, then the file."""
    tokens = join_class(room, 6)
    room.start()
    sponsor, free = sponsor_and_contact(room, tokens)
    room.choose(sponsor, {"week": room.open_week, "kind": "invite", "target": free[0]})
    room.advance()
    room.leave(tokens[-1])  # taken over by the rule from now on
    spec = room.config.teams
    verdicts = [False, True]
    while room.model.week < room.config.horizon.intervention_weeks:
        for employee in tokens:
            player = room.player(employee)
            if player.role != "employee" or player.left:
                continue
            for offer in room.student_view(employee).get("offers", []):
                room.choose(employee, {"week": room.open_week, "kind": "respond",
                                       "team": offer["team"], "accept": True})
        if room.open_week > spec.recruitment_weeks and verdicts:
            for pitch in room.teacher_view()["pitches_waiting"]:
                if verdicts:
                    room.verdict(pitch["team"], verdicts.pop(0))
        room.advance()
    assert not verdicts, "two pitches were judged by the teacher"
    log = room.book.log
    assert any(e.kind == "verdict" and e.source == "player" and e.value == 0 for e in log)
    assert any(e.kind == "verdict" and e.source == "player" and e.value == 1 for e in log)
    room.end()
    path = write_session(room.session(note="test class"), tmp_path / "class.json")
    result, book = replay(path)  # through the file: JSON, validated
    assert result.timeseries.equals(room.model.timeseries())
    assert book.player_decisions() == room.book.player_decisions()


def test_a_leaver_is_played_by_the_rule_and_a_reload_keeps_the_role(room):
    tokens = join_class(room, 5)
    room.start()
    student = room.player(tokens[0])
    role, uid = student.role, student.uid
    room.leave(tokens[0])
    assert uid not in room.played_uids()
    with pytest.raises(SessionError, match="you left"):
        room.choose(tokens[0], {"week": room.open_week, "kind": "invite", "target": 1})
    room.advance()  # the rule invites for the sponsor who left, and says so
    assert any(e.kind == "invite" and e.actor == uid and e.source == "rule"
               for e in room.book.log if e.week == room.model.week)
    back = room.rejoin(tokens[0])
    assert (back.role, back.uid) == (role, uid) and uid in room.played_uids()


def test_a_sponsor_who_does_not_invite_gets_the_rules_invitations(room):
    """Not choosing in time is not choosing nobody: the rule's invitations stand, marked as
    the rule's on the student's page; a sponsor who invites makes their own instead."""
    tokens = join_class(room, 5)
    room.start()
    sponsors = [t for t in tokens if room.player(t).role == "sponsor"]
    quiet, active = sponsors[0], sponsors[1]
    _, free = sponsor_and_contact(room, [active])
    room.choose(active, {"week": room.open_week, "kind": "invite", "target": free[0]})
    room.advance()
    week = room.model.week
    by = {(e.actor, e.source) for e in room.book.log if e.kind == "invite" and e.week == week}
    assert (room.player(quiet).uid, "rule") in by
    assert (room.player(active).uid, "player") in by
    assert (room.player(active).uid, "rule") not in by
    assert {"rule"} == {x["source"] for x in room.student_view(quiet)["last_week"]
                        if x["kind"] == "invite"}


def test_late_joiners_get_a_role_and_the_class_has_a_cap():
    room = ClassSession("classroom", seed=1, code="QWERT", max_players=3)
    room.join("QWERT", "a")
    room.start()
    late = room.join("QWERT", "b")
    assert room.player(late).role in ("sponsor", "employee")
    room.join("QWERT", "c")
    with pytest.raises(SessionError, match="full"):
        room.join("QWERT", "d")


# ---------------------------------------------------------------- pitch, gap, deadlines


def until(room: ClassSession, kind: str) -> None:
    """Advance week by week to the first open week with a ``kind`` decision point."""
    while not any(e.kind == kind for e in room.preview()):
        room.advance_to_choice()


def team_member(room: ClassSession, tokens: list[str], kind: str) -> tuple[str, int]:
    for token in tokens:
        team = room._team_of(room.player(token))
        if team >= 0 and room._due(kind, team):
            return token, team
    raise AssertionError(f"no student's team has a {kind} due")


def test_a_team_prepares_its_pitch_from_the_menu_and_the_rule_counts_it(room):
    tokens = join_class(room, 6)
    room.start()
    until(room, "pitch")
    token, team = team_member(room, tokens, "pitch")
    menu = room.student_view(token)["pitch"]
    assert [o["label"] for o in menu["options"]] == ["as it is", "one more week of work first",
                                                     "client interviews first"]
    assert set(menu["ingredients"]) == {"work", "alignment", "diversity", "cohesion"}
    activities = int(room.model.strategy.activities_done[team])
    # holding back: no pitch this week, so nothing for the teacher to judge
    assert room.choose(token, {"week": room.open_week, "kind": "pitch", "plan": 1})
    assert team not in {p["team"] for p in room.teacher_view()["pitches_waiting"]}
    # client interviews: one more external activity, booked, behind the proposal
    room.choose(token, {"week": room.open_week, "kind": "pitch", "plan": 2})
    assert team in {p["team"] for p in room.teacher_view()["pitches_waiting"]}
    room.advance()
    assert int(room.model.strategy.activities_done[team]) == activities + 1
    entry = next(e for e in room.book.log if e.kind == "pitch" and e.actor == team
                 and e.week == room.model.week)
    assert (entry.source, entry.value, entry.rule) == ("player", 2, 0)
    assert {"kind": "pitch", "what": "pitch: client interviews first",
            "source": "player"} in room.student_view(token)["last_week"]


def test_the_rule_chooses_for_a_team_that_does_not_and_says_so(room):
    tokens = join_class(room, 6)
    room.start()
    until(room, "pitch")
    token, _ = team_member(room, tokens, "pitch")
    room.advance()  # nobody chose
    assert {"kind": "pitch", "what": "pitch: as it is",
            "source": "rule"} in room.student_view(token)["last_week"]


def test_a_team_chooses_the_gap_its_coaching_works_on(room, tmp_path):
    tokens = join_class(room, 6)
    room.start()
    until(room, "gap")
    token, team = team_member(room, tokens, "gap")
    menu = room.student_view(token)["gap"]
    other = next(g["dim"] for g in menu["gaps"] if g["dim"] != menu["rule"])
    assert room.choose(token, {"week": room.open_week, "kind": "gap", "dim": other})
    with pytest.raises(SessionError, match="dim"):
        room.choose(token, {"week": room.open_week, "kind": "gap", "dim": 99})
    room.advance()
    entry = next(e for e in room.book.log if e.kind == "gap" and e.actor == team
                 and e.week == room.model.week)
    assert (entry.source, entry.value, entry.rule) == ("player", other, menu["rule"])
    result, _ = replay(write_session(room.session(), tmp_path / "gap.json"))
    assert result.timeseries.equals(room.model.timeseries())


def test_a_student_outside_a_team_has_no_pitch_or_gap_to_choose(room):
    tokens = join_class(room, 6)
    room.start()
    until(room, "pitch")
    outside = next(t for t in tokens if room._team_of(room.player(t)) < 0)
    for message in ({"kind": "pitch", "plan": 0}, {"kind": "gap", "dim": 0}):
        with pytest.raises(SessionError, match=r"no .* due"):
            room.choose(outside, {"week": room.open_week, **message})
    assert room.choices.pitches == {} and room.choices.gaps == {}


def test_a_choice_after_the_weeks_deadline_is_refused_and_the_rule_chooses():
    now = [0.0]
    room = ClassSession("classroom", seed=2, code="ABCDE", week_seconds=60,
                        clock=lambda: now[0])
    tokens = join_class(room, 5)
    room.start()
    sponsor, free = sponsor_and_contact(room, tokens)
    assert room.student_view(sponsor)["seconds_left"] == 60
    now[0] = 61.0
    with pytest.raises(SessionError, match="too late: the deadline"):
        room.choose(sponsor, {"week": room.open_week, "kind": "invite", "target": free[0]})
    assert room.choices.invites == {} and room.student_view(sponsor)["seconds_left"] == 0
    room.advance()  # the next week opens with a new deadline
    assert room.student_view(sponsor)["seconds_left"] == 60
    assert room.choose(sponsor, {"week": room.open_week, "kind": "invite",
                                 "target": free[-1]}) in ("invited", "already invited")


def test_a_silent_page_counts_as_left_and_the_rule_plays_until_it_asks_again():
    from sim.presentation.live.setup import AWAY_SECONDS

    assert AWAY_SECONDS == 30  # the guide: "silent for half a minute"
    now = [0.0]
    room = ClassSession("classroom", seed=2, code="ABCDE", away_seconds=30,
                        clock=lambda: now[0])
    tokens = join_class(room, 5)
    room.start()
    uid = room.player(tokens[0]).uid  # asking is being seen
    now[0] = 31.0
    for token in tokens[1:]:
        room.student_view(token)
    assert uid not in room.played_uids() and len(room.played_uids()) == 4
    assert [s["left"] for s in room.teacher_view()["students"]] == [True] + [False] * 4
    room.student_view(tokens[0])  # the page asks again: the role is theirs again
    assert uid in room.played_uids()


def test_the_weeks_the_teaching_guide_names(room):
    """Recruitment in weeks 2-6, the first pitch in week 12, coaching every eight weeks from
    week 15; a rejected pitch is reworked for eight weeks (the guide's participatory lesson)."""
    join_class(room, 6)
    room.start()
    assert room.open_week == 2 and room.config.teams.recruitment_weeks == 6
    until(room, "pitch")
    assert room.open_week == room.config.teams.pitch_week == 12
    team = next(p["team"] for p in room.teacher_view()["pitches_waiting"])
    room.verdict(team, False)
    room.advance()
    assert room.model.strategy.next_pitch[team] == 12 + 8
    until(room, "gap")
    first = room.open_week
    room.advance()
    until(room, "gap")
    assert (first, room.open_week) == (15, 23)


def test_the_debrief_compares_the_class_with_the_rules_and_training(room):
    from sim import run
    from sim.presentation.live.debrief import debrief, monitor_text

    tokens = join_class(room, 6)
    room.start()
    until(room, "pitch")
    pitch = room.teacher_view()["pitches_waiting"][0]
    room.verdict(pitch["team"], not pitch["rule"])  # against the rule
    room.advance()
    room.end()
    out = debrief(room)
    weeks = room.model.week
    training = run(room.config, "training", seed=room.seed, weeks=weeks).timeseries
    rules = run(room.config, "teams", seed=room.seed, weeks=weeks).timeseries
    finals = {m["key"]: m for m in out["monitors"]}
    assert {k: finals[k]["training"] for k in finals} == monitor_text(training.iloc[-1], "en")
    assert {k: finals[k]["rules"] for k in finals} == monitor_text(rules.iloc[-1], "en")
    assert {k: finals[k]["class"] for k in finals} == monitor_text(
        room.model.timeseries().iloc[-1], "en")
    assert [a["kind"] for a in out["against_rule"]] == ["verdict"]
    assert set(out["composition"]) == {"class", "rules"}
    for run_name in ("class", "rules"):
        teams = out["composition"][run_name]
        assert len(teams) == 4 and all(set(c) == set(room.model.city_names)
                                       for c in teams.values())
    assert len(out["series"]["distance_to_target"]["training"]) == weeks + 1
    # the session file names employees, never the students' nicknames
    text = room.session().to_json()
    assert not any(room.player(t).nickname in text for t in tokens)
