"""Setting up a class: the lobby's scenario and seed (checked on the server), the class next
to the dashboard (mounted at /class), and the two commands' shared options."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from live_support import class_server, serving
from test_live_web import call

from sim.presentation.live import ClassSession, SessionError
from sim.presentation.live.setup import (
    ENV_CLASS,
    MAX_CLASS_HEADCOUNT,
    check_settings,
    offered_presets,
    reconfigure,
)


def test_the_lobby_offers_the_shipped_presets_a_class_can_run():
    offered = offered_presets()
    assert {"classroom", "case", "two-cities"} <= set(offered)
    assert "ten-thousand" not in offered and "large" not in offered
    assert MAX_CLASS_HEADCOUNT == 1000  # the guide: "up to 1,000 employees"


@pytest.mark.parametrize("scenario, seed, words", [
    ("../scenarios/large", 0, "scenario"), ("/etc/passwd", 0, "scenario"),
    ("ten-thousand", 0, "scenario"), (["classroom"], 0, "scenario"),
    ("two-cities", -1, "seed"), ("two-cities", True, "seed"), ("two-cities", "3", "seed"),
    ("two-cities", 2**63, "seed"),
])
def test_a_bad_lobby_choice_is_refused_and_changes_nothing(scenario, seed, words):
    room = ClassSession("classroom", seed=1, code="ABCDE")
    with pytest.raises(SessionError, match=words) as err:
        reconfigure(room, scenario, seed)
    assert "\n" not in str(err.value) and "/etc" not in str(err.value)
    assert (room.scenario_name, room.seed, room.model.config.headcount) == ("classroom", 1, 150)


def test_the_teacher_picks_scenario_and_seed_in_the_lobby_over_http():
    with class_server() as (base, session):
        key = "?key=secret-key"
        call(f"{base}/api/join", {"code": "KLAS7", "nickname": "Anna"})
        status, body = call(f"{base}/api/teacher/start{key}", {"scenario": "nowhere", "seed": 5})
        assert status == 400 and "scenario" in json.loads(body)["error"]
        assert session.phase == "lobby"
        status, body = call(f"{base}/api/teacher/start{key}", {"scenario": "two-cities",
                                                               "seed": 5})
        view = json.loads(body)
        assert status == 200 and (view["scenario"], view["seed"], view["phase"]) == (
            "two-cities", 5, "running")
        assert session.model.config.headcount == 500 and session.seed == 5
        assert session.session().seed == 5  # the session file says which run it was
        assert [p.role for p in session.players.values()] == ["sponsor"]  # Anna kept her place
        status, body = call(f"{base}/api/teacher/start{key}", {"scenario": "classroom"})
        assert status == 400 and "started" in json.loads(body)["error"]


def test_the_class_mounted_next_to_another_application(monkeypatch):
    """What `merger-sim dashboard --class` does to solara's application: /class/... is the
    class (join page, API, teacher's door), everything else stays the other application's."""
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    from sim.presentation.live.mount import mount_class

    other = Starlette(routes=[Route("/{path:path}", lambda r: PlainTextResponse("dashboard"))])
    monkeypatch.delenv(ENV_CLASS, raising=False)
    assert mount_class(other) is False
    settings, _ = check_settings("classroom", 3, 60.0, auto_advance=True)
    monkeypatch.setenv(ENV_CLASS, settings.to_env())
    assert mount_class(other) is True and mount_class(other) is True  # idempotent
    with serving(other) as base:
        assert call(f"{base}/")[1] == b"dashboard"
        status, page = call(f"{base}/class/join")
        assert status == 200 and b"api/join" in page and b'"/api/' not in page
        status, body = call(f"{base}/class/api/join", {"code": settings.code, "nickname": "A"})
        assert status == 200 and "token" in json.loads(body)
        status, page = call(f"{base}/class/teacher")  # the dashboard's link: the key's door
        assert status == 200 and b'type="password"' in page and settings.key.encode() not in page
        assert call(f"{base}/class/teacher?key=wrong")[0] == 403
        assert call(f"{base}/class/api/teacher/view")[0] == 403
        status, body = call(f"{base}/class/api/teacher/view?key={settings.key}")
        view = json.loads(body)
        assert (view["seed"], view["auto_advance"], len(view["students"])) == (3, True, 1)
        status, page = call(f"{base}/class/teacher?key={settings.key}")
        assert status == 200 and f"{base}/class/join".encode() in page
        for path in ("/class/", "/class/static/join.html", "/class/api/teacher"):
            assert call(f"{base}{path}")[0] == 404, path


@pytest.mark.parametrize("args, words", [
    (["--class-seed", "-1"], "--class-seed"), (["--week-seconds", "5"], "--week-seconds"),
    (["--class-scenario", "nosuchscenario"], "scenario"),
])
def test_dashboard_class_refuses_bad_options_in_one_line(args, words):
    done = subprocess.run([sys.executable, "-m", "sim", "dashboard", "--class", *args],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert words in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
