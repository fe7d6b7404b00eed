"""The class in Dutch: every text has both languages, and a Dutch page (student's, teacher's,
debrief, refusals) shows none of the English that once slipped through."""

from __future__ import annotations

import json
import re

import pytest
from dutch_words import english_in
from live_support import class_server
from test_live_session import join_class, sponsor_and_contact, team_member, until
from test_live_web import call

from sim.presentation.dashboard.i18n import THEME_NAMES
from sim.presentation.live import ClassSession, SessionError
from sim.presentation.live.debrief import debrief
from sim.presentation.live.texts import ERRORS, KINDS, PHRASES, PLANS, STUDENT, TEACHER

ENGLISH = ("accepted", "declined", "invited", "invitation", "coaching on", "coached",
           "as it is", "interviews", "one more week", "the rule", "joined", "central management",
           "prepared", "rejected", "too late", "room code", "not in this class", "nickname",
           "adhocracy", "hierarchy", "market", "answers", "verdicts", "gaps",
           *(names["en"] for names in THEME_NAMES.values()))
"""English of the class's own texts that showed (or could show) on a Dutch page."""


def shown(value) -> str:
    """The strings a page may show of a view (its values, not its keys)."""
    if isinstance(value, dict):
        return " ".join(shown(v) for v in value.values()) + " " + " ".join(
            k for k in value if " " in k or k[:1].isupper())  # names used as keys
    if isinstance(value, list):
        return " ".join(shown(v) for v in value)
    return value if isinstance(value, str) else ""


def english(text: str) -> list[str]:
    found = [w for w in ENGLISH if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text,
                                             re.IGNORECASE)]
    return found + english_in(text)


def test_every_text_has_both_languages():
    for table in (STUDENT, TEACHER, PHRASES, KINDS, PLANS):
        assert set(table) == {"en", "nl"}
        en, nl = table["en"], table["nl"]
        if isinstance(en, dict):
            assert set(en) == set(nl)
    for key, texts in ERRORS.items():
        assert set(texts) == {"en", "nl"}, key
        fields = set(re.findall(r"{(\w+)}", texts["en"]))
        assert fields == set(re.findall(r"{(\w+)}", texts["nl"])), key


def test_the_checker_finds_the_english_it_looks_for():
    assert english("uitnodiging van Work first accepted")
    assert not english("uitnodiging van Werk eerst aangenomen · coaching op adhocratie")


def test_a_dutch_class_shows_no_english():
    room = ClassSession("classroom", seed=0, code="ABCDE")
    tokens = join_class(room, 6)
    room.start()
    seen = []

    def look() -> None:
        seen.extend(shown(room.student_view(t, "nl")) for t in tokens)
        seen.append(shown(room.teacher_view("nl")))

    sponsor, free = sponsor_and_contact(room, tokens)
    room.choose(sponsor, {"week": room.open_week, "kind": "invite", "target": free[0]})
    look()
    for _ in range(3):  # answers by students, by the rule; refused and accepted invitations
        for token in tokens:
            for offer in room.student_view(token).get("offers", []):
                room.choose(token, {"week": room.open_week, "kind": "respond",
                                    "team": offer["team"], "accept": offer["team"] % 2 == 0})
        room.advance()
        look()
    until(room, "pitch")
    token, _ = team_member(room, tokens, "pitch")
    room.choose(token, {"week": room.open_week, "kind": "pitch", "plan": 2})
    pitched = [e.actor for e in room.preview() if e.kind == "verdict"]
    room.verdict(pitched[0], False)
    look()
    room.advance()
    look()
    until(room, "gap")
    token, _ = team_member(room, tokens, "gap")
    menu = room.student_view(token)["gap"]
    room.choose(token, {"week": room.open_week, "kind": "gap",
                        "dim": next(g["dim"] for g in menu["gaps"] if g["dim"] != menu["rule"])})
    look()
    room.advance()
    look()
    report = debrief(room, "nl")
    assert report["against_rule"] and any(e["kind"] == "verdict"
                                          for e in report["against_rule"])
    seen.append(shown({k: report[k] for k in ("against_rule", "player_choices",
                                              "composition", "series_labels")}))
    seen.append(" ".join(m["label"] for m in report["monitors"]))
    text = "\n".join(seen)
    assert "coaching op" in text and "uitnodiging van" in text  # the lines are there
    assert english(text) == []
    # and the same class in English says it in English
    english_text = json.dumps(debrief(room, "en")["against_rule"])
    assert "the rule" in english_text


@pytest.mark.parametrize("key, fields", [("room_code", {}), ("taken", {"name": "Anna"}),
                                         ("deadline", {"week": 3}), ("message", {})])
def test_a_refusal_reads_in_the_pages_language(key, fields):
    err = SessionError(key, **fields)
    assert str(err) == err.text("en") and english(err.text("nl")) == []


def test_refusals_over_http_in_dutch():
    with class_server() as (base, session):
        status, body = call(f"{base}/api/join?lang=nl", {"code": "ZZZZZ", "nickname": "Gijs"})
        assert status == 400 and json.loads(body)["error"].startswith("klascode")
        status, page = call(f"{base}/teacher?lang=nl")
        assert status == 200 and "docentsleutel" in page.decode().lower()
        status, page = call(f"{base}/teacher?key=secret-key&lang=nl")
        text = re.sub(r"<[^>]+>", " ", re.sub(r"(?s)<script>.*?</script>", "", page.decode()))
        assert status == 200 and english(text) == []
        assert session.players == {}


def test_the_guides_name_the_buttons_as_the_teachers_screen_shows_them():
    from pathlib import Path

    guides = Path(__file__).resolve().parent.parent / "docs" / "teaching"
    for lang in ("en", "nl"):
        guide = (guides / f"{lang}.md").read_text(encoding="utf-8")
        for button in ("advance", "next", "finish", "end"):
            assert f"**{TEACHER[lang][button]}**" in guide, (lang, button)
        assert f"**{TEACHER[lang]['dashboard_link']}**" in guide, lang
