"""The participatory class over HTTP: a join page for phones and a teacher's screen.

A small Starlette application around one :class:`~sim.live.session.ClassSession`. Students
open ``/join`` (no key), enter the room code and a nickname and get a token that their page
keeps; every later request carries it. The teacher's pages and actions need the teacher key
printed when the server starts. Nothing else of the server is reachable: unknown paths are
404, bodies are limited in size, every request body is checked by the session, and an error
is one line of JSON (``{"error": ...}``), never a traceback.

The pages poll the JSON API every two seconds: a classroom's few dozen phones make a few
requests a second (benchmarks/bench_live_class.py measures a class of 40). The session is
worked on in a thread, one request at a time (a lock), so a long action (running to the end,
the debrief's comparison runs) never stalls the server's event loop.
"""

from __future__ import annotations

import html
import json
import secrets
from importlib.resources import files
from typing import Any
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from sim.live.debrief import debrief
from sim.live.network import layout, network_view
from sim.live.session import ClassSession, SessionError

MAX_BODY = 4096
"""Largest request body accepted (a choice is a few dozen bytes)."""

TEXT = {
    "en": {"title": "Join the merger", "code": "Room code", "name": "Your name",
           "join": "Join", "wait": "Waiting for the teacher to start...", "week": "Week",
           "role": "Your role", "sponsor": "sponsor of a theme", "employee": "employee",
           "city": "City", "workload": "Workload", "team": "Your team",
           "offers": "Invitations this week", "accept": "Accept", "decline": "Decline",
           "invite": "Invite your contacts", "send": "Invite",
           "none": "none yet", "fit": "fit with the theme",
           "sponsor_fit": "with the sponsor", "inside": "your contacts already in",
           "left_s": "s left",
           "pitch": "Your team's pitch to central management",
           "pitch_help": "Quality = work x (weighted mean of the ingredients); "
                         "accepted at or above",
           "plans": ["Pitch as it is", "One more week of work first",
                     "Client interviews first"],
           "expected": "expected quality", "choose": "Choose",
           "gap": "Behaviour support: which gap does your team work on?",
           "rule_pick": "the rule's choice", "last": "Last week",
           "by_rule": "chosen by the model's rule (you did not choose)",
           "by_you": "your choice", "refused": "not possible", "leave": "Leave",
           "gone": "You left: the model's rule plays your role. Reload the page to take "
                   "it back."},
    "nl": {"title": "Doe mee met de fusie", "code": "Klascode", "name": "Je naam",
           "join": "Meedoen", "wait": "Wachten tot de docent start...", "week": "Week",
           "role": "Je rol", "sponsor": "sponsor van een thema", "employee": "medewerker",
           "city": "Stad", "workload": "Werkdruk", "team": "Je team",
           "offers": "Uitnodigingen deze week", "accept": "Ja", "decline": "Nee",
           "invite": "Nodig je contacten uit", "send": "Uitnodigen",
           "none": "nog geen", "fit": "past bij het thema",
           "sponsor_fit": "bij de sponsor", "inside": "je contacten al in het team",
           "left_s": "s over",
           "pitch": "De pitch van je team aan het centrale management",
           "pitch_help": "Kwaliteit = werk x (gewogen gemiddelde van de ingrediënten); "
                         "aangenomen vanaf",
           "plans": ["Pitchen zoals het is", "Eerst nog een week werk",
                     "Eerst klantinterviews"],
           "expected": "verwachte kwaliteit", "choose": "Kies",
           "gap": "Gedragsondersteuning: aan welk gat werkt je team?",
           "rule_pick": "keuze van de regel", "last": "Vorige week",
           "by_rule": "gekozen door de regel van het model (jij koos niet)",
           "by_you": "jouw keuze", "refused": "niet mogelijk", "leave": "Verlaten",
           "gone": "Je bent weg: de regel van het model speelt je rol. Herlaad de pagina "
                   "om hem terug te nemen."},
}


def _static(name: str) -> str:
    """A page template shipped in ``sim/live/static``."""
    return files("sim.live").joinpath("static", name).read_text(encoding="utf-8")


def _error(message: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


async def _body(request: Request) -> Any:
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise SessionError(f"request: larger than {MAX_BODY} bytes")
    try:
        return json.loads(raw.decode("utf-8")) if raw else {}
    except (UnicodeDecodeError, ValueError):
        raise SessionError("request: not JSON") from None


def create_app(session: ClassSession, teacher_key: str | None = None) -> Starlette:
    """The class's web application; ``app.state.teacher_key`` holds the teacher's key."""
    key = teacher_key or secrets.token_urlsafe(12)
    lock = session.lock
    debriefs: dict[tuple[int, int, str], dict[str, Any]] = {}

    async def locked(work, *args):
        """Run ``work(*args)`` on the session in a worker thread, one at a time."""
        def call():
            with lock:
                return work(*args)
        return await run_in_threadpool(call)

    def me(token: str) -> dict[str, Any]:
        if session.player(token).left:
            session.rejoin(token)
        return session.student_view(token)

    positions: list[Any] = []

    def the_network() -> dict[str, Any]:
        if not positions:  # laid out once, from the ties when first asked
            positions.append(layout(session.model, session.seed))
        return network_view(session.model, positions[0])

    def the_debrief(lang: str) -> dict[str, Any]:
        marker = (session.model.week, len(session.book.log), lang)
        if marker not in debriefs:
            debriefs.clear()
            debriefs[marker] = debrief(session, lang)
        return debriefs[marker]

    def teacher_ok(request: Request) -> bool:
        given = request.query_params.get("key") or request.headers.get("x-teacher-key", "")
        return secrets.compare_digest(given.encode(), key.encode())

    def guarded(handler):
        async def endpoint(request: Request) -> Response:
            try:
                return await handler(request)
            except SessionError as err:
                return _error(str(err))
            except Exception:  # never a traceback to a browser
                return _error("the server could not handle this request", 500)
        return endpoint

    async def join_page(request: Request) -> Response:
        lang = "nl" if request.query_params.get("lang") == "nl" else "en"
        return HTMLResponse(_join_html(lang))

    async def api_join(request: Request) -> Response:
        body = await _body(request)
        if not isinstance(body, dict):
            raise SessionError("request: not understood")
        token = await locked(session.join, body.get("code"), body.get("nickname"))
        return JSONResponse({"token": token})

    async def api_me(request: Request) -> Response:
        return JSONResponse(await locked(me, request.headers.get("x-token", "")))

    async def api_choose(request: Request) -> Response:
        token = request.headers.get("x-token", "")
        body = await _body(request)
        return JSONResponse({"ok": await locked(session.choose, token, body)})

    async def api_leave(request: Request) -> Response:
        await locked(session.leave, request.headers.get("x-token", ""))
        return JSONResponse({"ok": "left"})

    async def teacher_page(request: Request) -> Response:
        if not teacher_ok(request):
            return _error("teacher key required", 403)
        return HTMLResponse(_teacher_html(session, request))

    async def api_teacher(request: Request) -> Response:
        if not teacher_ok(request):
            return _error("teacher key required", 403)
        action = request.path_params["action"]
        if request.method == "GET" and action == "view":
            return JSONResponse(await locked(session.teacher_view))
        if request.method == "GET" and action == "session.json":
            text = await locked(lambda: session.session().to_json())
            return Response(text, media_type="application/json",
                            headers={"content-disposition":
                                     'attachment; filename="class-session.json"'})
        if request.method == "GET" and action == "network":
            return JSONResponse(await locked(the_network))
        if request.method == "GET" and action == "debrief":
            lang = "nl" if request.query_params.get("lang") == "nl" else "en"
            return JSONResponse(await locked(the_debrief, lang))
        if request.method != "POST":
            return _error("not found", 404)
        actions = {"start": session.start, "advance": session.advance,
                   "next": session.advance_to_choice, "finish": session.run_to_end,
                   "end": session.end}
        if action == "verdict":
            body = await _body(request)
            if not isinstance(body, dict):
                raise SessionError("request: not understood")
            await locked(session.verdict, body.get("team"), body.get("accept"))
        elif action in actions:
            await locked(actions[action])
        else:
            return _error("not found", 404)
        return JSONResponse(await locked(session.teacher_view))

    routes = [
        Route("/join", join_page),
        Route("/api/join", guarded(api_join), methods=["POST"]),
        Route("/api/me", guarded(api_me)),
        Route("/api/choose", guarded(api_choose), methods=["POST"]),
        Route("/api/leave", guarded(api_leave), methods=["POST"]),
        Route("/teacher", guarded(teacher_page)),
        Route("/api/teacher/{action}", guarded(api_teacher), methods=["GET", "POST"]),
    ]
    app = Starlette(routes=routes)
    app.state.teacher_key = key
    return app


def _join_html(lang: str) -> str:
    t = TEXT[lang]
    page = _static("join.html")
    for name, value in (("__LANG__", lang), ("__TITLE__", html.escape(t["title"])),
                        ("__CODE_LABEL__", html.escape(t["code"])),
                        ("__NAME_LABEL__", html.escape(t["name"])),
                        ("__JOIN__", html.escape(t["join"])),
                        ("__LEAVE__", html.escape(t["leave"])),
                        ("__TEXT__", json.dumps(t).replace("<", "\\u003c"))):
        page = page.replace(name, value)
    return page


def _qr_svg(url: str) -> str:
    """The join address as a QR code (SVG), for phones."""
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=6, xmldecl=False)
    return buffer.getvalue().decode()


def _teacher_html(session: ClassSession, request: Request) -> str:
    base = str(request.base_url).rstrip("/")
    join_url = f"{base}/join"
    page = _static("teacher.html")
    given = request.query_params.get("key", "")
    for name, value in (("__CODE__", html.escape(session.code)),
                        ("__JOIN_URL__", html.escape(join_url)), ("__QR__", _qr_svg(join_url)),
                        ("__KEY_URL__", html.escape(quote(given, safe=""))),
                        ("__KEY_JSON__", json.dumps(given).replace("<", "\\u003c"))):
        page = page.replace(name, value)
    return page
