"""People's decisions in place of the team rules, session files, and their byte-exact replay."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from sim import run
from sim.decisions import Decision, DecisionBook
from sim.replay import load_session, parse_session, replay, session_from_run, write_session
from sim.scenario import ScenarioError, load_scenario

STRATEGY, SEED = "teams", 3


@pytest.fixture(scope="module")
def classroom():
    return load_scenario("classroom")


@pytest.fixture(scope="module")
def rule_run(classroom):
    """The rule-only run, with a book that only listens: every decision point logged."""
    book = DecisionBook()
    return run(classroom, STRATEGY, seed=SEED, decisions=book), book


def frame_bytes(result) -> bytes:
    return result.timeseries.to_csv(index=False).encode()


def test_a_book_without_decisions_changes_nothing(classroom, rule_run):
    plain = run(classroom, STRATEGY, seed=SEED)
    assert frame_bytes(plain) == frame_bytes(rule_run[0])
    sources = {e.source for e in rule_run[1].log}
    assert sources == {"rule"}
    kinds = {e.kind for e in rule_run[1].log}
    assert {"respond", "verdict"} <= kinds


def contrary_choices(book: DecisionBook) -> list[Decision]:
    """Every accepted invitation of the first week declined; the first pitch's verdict
    reversed."""
    first = min(e.week for e in book.log if e.kind == "respond")
    choices = [Decision(e.week, "respond", e.actor, e.target, 0) for e in book.log
               if e.kind == "respond" and e.week == first and e.value == 1]
    verdict = next(e for e in book.log if e.kind == "verdict")
    choices.append(Decision(verdict.week, "verdict", verdict.actor, -1, 1 - verdict.value))
    return choices


def test_players_choices_change_the_run_and_are_logged_as_theirs(classroom, rule_run):
    choices = contrary_choices(rule_run[1])
    played = frozenset(d.actor for d in choices if d.kind == "respond")
    book = DecisionBook(choices, played)
    result = run(classroom, STRATEGY, seed=SEED, decisions=book)
    assert frame_bytes(result) != frame_bytes(rule_run[0])
    assert len(book.player_decisions()) == len(choices)
    assert result.meta["decisions"]["player"] == len(choices)


def test_a_session_file_replays_byte_for_byte(classroom, rule_run, tmp_path: Path):
    choices = contrary_choices(rule_run[1])
    book = DecisionBook(choices, frozenset())
    original = run(classroom, STRATEGY, seed=SEED, decisions=book)
    path = write_session(session_from_run(classroom, STRATEGY, SEED, book, note="test"),
                         tmp_path / "class.json")
    replayed, again = replay(path)
    assert frame_bytes(replayed) == frame_bytes(original)
    assert again.player_decisions() == book.player_decisions()
    # and under other parameters the same choices still apply where they can
    other, _ = replay(path, overrides={"teams.session_hours": 1.0})
    assert frame_bytes(other) != frame_bytes(original)


def test_a_session_file_is_never_replaced_silently(classroom, rule_run, tmp_path: Path):
    session = session_from_run(classroom, STRATEGY, SEED, DecisionBook())
    path = write_session(session, tmp_path / "s.json")
    before = path.read_bytes()
    with pytest.raises(ScenarioError, match="exists"):
        write_session(session, path)
    assert path.read_bytes() == before


def test_a_played_inviter_invites_only_whom_they_choose(classroom, rule_run):
    """The rule's invitations from a played sponsor are dropped; the player's go out."""
    from sim.model import MergerModel

    log = rule_run[1].log
    model = MergerModel(classroom, STRATEGY, seed=SEED, decisions=DecisionBook())
    model.step()  # sponsors are appointed in week 1
    sponsor = int(model.strategy.sponsor[0])
    sponsor_id = int(model.uid[sponsor])
    adj = model.contacts()
    contacts = adj.indices[adj.indptr[sponsor]:adj.indptr[sponsor + 1]]
    outsider = int(np.setdiff1d(np.flatnonzero(model.active), np.r_[contacts, sponsor])[0])
    chosen = int(model.uid[contacts[0]])
    choices = [Decision(2, "invite", sponsor_id, chosen),
               Decision(2, "invite", sponsor_id, int(model.uid[outsider]))]
    book = DecisionBook(choices, frozenset({sponsor_id}))
    played = MergerModel(classroom, STRATEGY, seed=SEED, decisions=book)
    for _ in range(2):
        played.step()
    invites = [e for e in book.log if e.kind == "invite" and e.actor == sponsor_id]
    assert [(e.target, e.source) for e in invites] == [(chosen, "player"),
                                                       (int(model.uid[outsider]), "refused")]
    # everyone else's invitations are the rule's, and logged as such
    others = {e.source for e in book.log if e.kind == "invite" and e.actor != sponsor_id}
    assert others == {"rule"}
    assert "not one of the inviter's contacts" in invites[1].note
    week2 = [e for e in book.log if e.kind == "respond" and e.week == 2 and e.target == 0]
    rule_week2 = [e for e in log if e.kind == "respond" and e.week == 2 and e.target == 0]
    assert chosen in {e.actor for e in week2}
    assert len(week2) <= len(rule_week2) + 1


def test_a_chosen_gap_is_used_and_an_impossible_one_refused(classroom, rule_run):
    gaps = [e for e in rule_run[1].log if e.kind == "gap"]
    assert gaps, "behaviour support ran in the classroom run"
    first = gaps[0]
    dims = len(classroom.dimensions)
    other = (first.value + 1) % dims
    book = DecisionBook([Decision(first.week, "gap", first.actor, -1, other),
                         Decision(first.week, "gap", (first.actor + 1) % 9, -1, dims + 5)])
    result = run(classroom, STRATEGY, seed=SEED, decisions=book)
    entries = [e for e in book.log if e.kind == "gap" and e.week == first.week]
    assert any(e.actor == first.actor and e.value == other and e.source == "player"
               for e in entries)
    assert frame_bytes(result) != frame_bytes(rule_run[0])


@pytest.mark.parametrize("mutate, field", [
    (lambda d: d.update(extra=1), "session.extra"),
    (lambda d: d.update(seed="3"), "session.seed"),
    (lambda d: d.update(seed=-1), "session.seed"),
    (lambda d: d["decisions"].append({"week": 0, "kind": "respond", "actor": 1}),
     "session.decisions.0.week"),
    (lambda d: d["decisions"].append({"week": 2, "kind": "bribe", "actor": 1}),
     "session.decisions.0.kind"),
    (lambda d: d["scenario"]["interaction"].update(convergence_rate=7.0),
     "session.scenario.interaction.convergence_rate"),
    (lambda d: d.update(format="other"), "session.format"),
])
def test_a_malformed_session_is_refused_naming_the_field(classroom, mutate, field):
    session = session_from_run(classroom, STRATEGY, SEED, DecisionBook())
    data = json.loads(session.to_json())
    mutate(data)
    with pytest.raises(ScenarioError) as err:
        parse_session(json.dumps(data).encode())
    assert str(err.value).startswith(field), str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("raw, words", [
    (b"not json", "not a JSON document"),
    (b"[1, 2]", "one JSON object"),
    (b"\xff\xfe", "not UTF-8"),
    (b"{" * 40 + b"}" * 40, "session:"),
])
def test_unreadable_session_bytes_are_refused(raw, words):
    with pytest.raises(ScenarioError, match=words):
        parse_session(raw)


def test_a_missing_session_file_is_one_line(tmp_path: Path):
    with pytest.raises(ScenarioError, match="session: cannot be read"):
        load_session(tmp_path / "nope.json")


def test_the_replay_command_reproduces_the_run_and_writes_the_decision_log(
        classroom, rule_run, tmp_path: Path):
    import subprocess
    import sys

    import pandas as pd

    book = DecisionBook(contrary_choices(rule_run[1]))
    original = run(classroom, STRATEGY, seed=SEED, decisions=book)
    path = write_session(session_from_run(classroom, STRATEGY, SEED, book), tmp_path / "c.json")
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "sim", "replay", str(path), "--out", str(out),
                           "--format", "csv"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "people's decisions" in done.stdout
    replayed = pd.read_csv(out / "timeseries.csv")
    assert replayed.to_csv(index=False) == original.timeseries.to_csv(index=False)
    log = pd.read_csv(out / "decisions.csv")
    assert (log["source"] == "player").sum() == len(book.player_decisions())
    # what the rule chose at each point, so people's choices can be set against it
    answers = log[log["kind"] == "respond"]
    assert set(answers["rule"]) <= {0, 1}
    assert (answers.loc[answers["source"] == "rule", "rule"]
            == answers.loc[answers["source"] == "rule", "value"]).all()


def test_the_replay_command_refuses_a_bad_file_in_one_line(tmp_path: Path):
    import subprocess
    import sys

    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "merger-sim session 1", "seed": "x"}')
    done = subprocess.run([sys.executable, "-m", "sim", "replay", str(bad), "--out",
                           str(tmp_path / "o")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "session." in done.stderr
    assert "Traceback" not in done.stderr
