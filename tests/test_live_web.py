"""The participatory class over HTTP: join page, student API, teacher API, refusals."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from live_support import class_server


@pytest.fixture()
def server():
    with class_server() as running:
        yield running


def call(url: str, body=None, token: str = "", raw: bytes | None = None):
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    request = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET",
                                     headers={"content-type": "application/json",
                                              "x-token": token})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def test_join_page_in_both_languages(server):
    base, _ = server
    status, page = call(f"{base}/join?lang=nl")
    assert status == 200 and b"Doe mee met de fusie" in page and b'lang="nl"' in page
    status, page = call(f"{base}/join")
    assert status == 200 and b"Join the merger" in page


def test_a_class_over_http(server):
    base, session = server
    key = "?key=secret-key"
    tokens = []
    for name in ("Anna", "Bram", "Cas", "Dewi", "Eva", "Fenna"):
        status, body = call(f"{base}/api/join", {"code": "klas7", "nickname": name})
        assert status == 200, body
        tokens.append(json.loads(body)["token"])
    status, page = call(f"{base}/teacher{key}")
    assert status == 200 and b"KLAS7" in page and b"<svg" in page  # code and QR code
    assert call(f"{base}/api/teacher/start{key}", {})[0] == 200
    status, body = call(f"{base}/api/me", token=tokens[0])
    me = json.loads(body)
    assert me["role"] == "sponsor" and me["contacts"]
    target = me["contacts"][0]["id"]
    status, body = call(f"{base}/api/choose", {"week": me["open_week"], "kind": "invite",
                                               "target": target}, token=tokens[0])
    assert status == 200, body
    assert call(f"{base}/api/teacher/advance{key}", {})[0] == 200
    assert session.model.week == 2
    status, body = call(f"{base}/api/teacher/session.json{key}")
    assert status == 200 and json.loads(body)["format"] == "merger-sim session 1"


@pytest.mark.parametrize("path, body, raw, token, code, words", [
    ("/api/join", {"code": "WRONG", "nickname": "x"}, None, "", 400, "room code"),
    ("/api/join", None, b"{not json", "", 400, "not JSON"),
    ("/api/join", None, b"x" * 5000, "", 400, "larger than"),
    ("/api/me", None, None, "forged", 400, "not in this class"),
    ("/api/choose", {"week": 1, "kind": "invite", "target": 1}, None, "forged", 400,
     "not in this class"),
    ("/api/teacher/start", {}, None, "", 403, "teacher key"),
    ("/api/teacher/view", None, None, "", 403, "teacher key"),
])
def test_refusals_are_one_line_of_json(server, path, body, raw, token, code, words):
    base, session = server
    status, reply = call(f"{base}{path}", body, token=token, raw=raw)
    assert status == code
    message = json.loads(reply)["error"]
    assert words in message and "\n" not in message and "Traceback" not in message
    assert session.phase == "lobby" and session.players == {}


def test_nothing_else_is_reachable(server):
    base, _ = server
    for path in ("/", "/api", "/static/join.html", "/../sim/presentation/live/web.py",
                 "/api/teacher"):
        assert call(f"{base}{path}")[0] == 404, path


def test_the_class_command_refuses_bad_options_in_one_line():
    import subprocess
    import sys

    for args, words in ((["--port", "80"], "--port"), (["--seed", "-1"], "seed"),
                        (["nosuchscenario"], "scenario")):
        done = subprocess.run([sys.executable, "-m", "sim", "class", *args],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 2, done.stderr
        assert words in done.stderr and "Traceback" not in done.stderr


def test_a_students_malformed_or_late_choice_is_one_line_and_changes_nothing(server):
    base, session = server
    status, body = call(f"{base}/api/join", {"code": "KLAS7", "nickname": "Anna"})
    token = json.loads(body)["token"]
    assert call(f"{base}/api/teacher/start?key=secret-key", {})[0] == 200
    week = session.open_week
    for raw, words in ((b"{not json", "not JSON"), (b"[1, 2]", "message"),
                       (json.dumps({"week": week, "kind": "vote"}).encode(), "kind"),
                       (json.dumps({"week": week, "kind": "gap", "dim": "x"}).encode(), "dim"),
                       (json.dumps({"week": week - 1, "kind": "invite", "target": 1}).encode(),
                        "too late")):
        status, reply = call(f"{base}/api/choose", raw=raw, token=token)
        message = json.loads(reply)["error"]
        assert status == 400 and words in message and "\n" not in message, (raw, message)
    assert session.choices.chosen == set() and session.choices.invites == {}
    assert call(f"{base}/join")[0] == 200  # and the server keeps running
