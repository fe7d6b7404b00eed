"""The participatory class over HTTP: a join page for phones and a teacher's screen.

A small Starlette application around one :class:`~sim.presentation.live.session.ClassSession`.
Students open ``/join`` (no key), enter the room code and a nickname and get a token that their page
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

from sim.presentation.dashboard.i18n import scenario_name
from sim.presentation.live.debrief import debrief
from sim.presentation.live.network import layout, network_view
from sim.presentation.live.session import ClassSession, SessionError
from sim.presentation.live.setup import offered_presets, reconfigure
from sim.presentation.live.texts import STUDENT, TEACHER, lang_of

MAX_BODY = 4096
"""Largest request body accepted (a choice is a few dozen bytes)."""


STATUS = {"teacher_key": 403, "not_found": 404}
"""HTTP status of a refusal other than 400, by its key."""


def _static(name: str) -> str:
    """A page template shipped in ``sim/presentation/live/static``."""
    return files("sim.presentation.live").joinpath("static", name).read_text(encoding="utf-8")


def _error(message: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


async def _body(request: Request) -> Any:
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise SessionError("too_large", n=MAX_BODY)
    try:
        return json.loads(raw.decode("utf-8")) if raw else {}
    except (UnicodeDecodeError, ValueError):
        raise SessionError("not_json") from None


def _lang(request: Request) -> str:
    """The page's language: ``?lang=nl`` or the ``x-lang: nl`` header its script sends."""
    return lang_of(request.query_params.get("lang") or request.headers.get("x-lang"))


def create_app(session: ClassSession, teacher_key: str | None = None) -> Starlette:
    """The class's web application; ``app.state.teacher_key`` holds the teacher's key.

    Every path the pages use is relative, so the same application serves on its own
    (``merger-sim class``: ``/join``) or mounted next to the dashboard
    (``merger-sim dashboard --class``: ``/class/join``)."""
    key = teacher_key or secrets.token_urlsafe(12)
    lock = session.lock
    debriefs: dict[tuple[Any, ...], dict[str, Any]] = {}
    positions: dict[tuple[str, int], Any] = {}

    async def locked(work, *args):
        """Run ``work(*args)`` on the session in a worker thread, one at a time."""
        def call():
            with lock:
                return work(*args)
        return await run_in_threadpool(call)

    def me(token: str, lang: str) -> dict[str, Any]:
        session.tick()  # a page's poll closes a week whose deadline passed (if so set)
        if session.player(token).left:
            session.rejoin(token)
        return session.student_view(token, lang)

    def view(lang: str) -> dict[str, Any]:
        session.tick()
        return session.teacher_view(lang)

    def the_network(lang: str) -> dict[str, Any]:
        run = (session.scenario_name, session.seed)
        if run not in positions:  # laid out once per run, from the ties when first asked
            positions.clear()
            positions[run] = layout(session.model, session.seed)
        return network_view(session.model, positions[run], lang)

    def the_debrief(lang: str) -> dict[str, Any]:
        marker = (session.scenario_name, session.seed, session.model.week,
                  len(session.book.log), lang)
        if marker not in debriefs:
            debriefs.clear()
            debriefs[marker] = debrief(session, lang)
        return debriefs[marker]

    def start(body: dict[str, Any]) -> None:
        if "scenario" in body or "seed" in body:
            reconfigure(session, body.get("scenario", session.scenario_name),
                        body.get("seed", session.seed))
        if "auto_advance" in body:
            set_auto(body)
        session.start()

    def set_auto(body: dict[str, Any]) -> None:
        if not isinstance(body.get("auto_advance"), bool):
            raise SessionError("auto")
        session.auto_advance = body["auto_advance"]

    def teacher_ok(request: Request) -> bool:
        given = request.query_params.get("key") or request.headers.get("x-teacher-key", "")
        return secrets.compare_digest(given.encode(), key.encode())

    def guarded(handler):
        async def endpoint(request: Request) -> Response:
            lang = _lang(request)
            try:
                return await handler(request)
            except SessionError as err:
                return _error(err.text(lang), STATUS.get(err.key, 400))
            except Exception:  # never a traceback to a browser
                return _error(SessionError("server").text(lang), 500)
        return endpoint

    async def join_page(request: Request) -> Response:
        return HTMLResponse(_join_html(_lang(request)))

    async def api_join(request: Request) -> Response:
        body = await _body(request)
        if not isinstance(body, dict):
            raise SessionError("request")
        token = await locked(session.join, body.get("code"), body.get("nickname"))
        return JSONResponse({"token": token})

    async def api_me(request: Request) -> Response:
        return JSONResponse(await locked(me, request.headers.get("x-token", ""),
                                         _lang(request)))

    async def api_choose(request: Request) -> Response:
        token = request.headers.get("x-token", "")
        body = await _body(request)
        return JSONResponse({"ok": await locked(session.choose, token, body)})

    async def api_leave(request: Request) -> Response:
        await locked(session.leave, request.headers.get("x-token", ""))
        return JSONResponse({"ok": "left"})

    async def teacher_page(request: Request) -> Response:
        lang = _lang(request)
        if not teacher_ok(request):
            given = bool(request.query_params.get("key"))
            return HTMLResponse(_key_html(lang, given), status_code=403 if given else 200)
        choices = await locked(offered_presets)
        return HTMLResponse(_teacher_html(session, request, lang, choices))

    async def api_teacher(request: Request) -> Response:
        if not teacher_ok(request):
            raise SessionError("teacher_key")
        action = request.path_params["action"]
        lang = _lang(request)
        if request.method == "GET" and action == "view":
            return JSONResponse(await locked(view, lang))
        if request.method == "GET" and action == "session.json":
            text = await locked(lambda: session.session().to_json())
            return Response(text, media_type="application/json",
                            headers={"content-disposition":
                                     'attachment; filename="class-session.json"'})
        if request.method == "GET" and action == "network":
            return JSONResponse(await locked(the_network, lang))
        if request.method == "GET" and action == "debrief":
            return JSONResponse(await locked(the_debrief, lang))
        if request.method != "POST":
            raise SessionError("not_found")
        actions = {"advance": session.advance, "next": session.advance_to_choice,
                   "finish": session.run_to_end, "end": session.end}
        if action in ("verdict", "start", "auto"):
            body = await _body(request)
            if not isinstance(body, dict):
                raise SessionError("request")
            if action == "verdict":
                await locked(session.verdict, body.get("team"), body.get("accept"))
            else:
                await locked(start if action == "start" else set_auto, body)
        elif action in actions:
            await locked(actions[action])
        else:
            raise SessionError("not_found")
        return JSONResponse(await locked(session.teacher_view, lang))

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


def _fill(page: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        page = page.replace(name, value)
    return page


def _json(value: Any) -> str:
    """JSON safe inside a <script> element."""
    return json.dumps(value).replace("<", "\\u003c")


def _join_html(lang: str) -> str:
    t = STUDENT[lang]
    return _fill(_static("join.html"), {
        "__LANG__": lang, "__TITLE__": html.escape(t["title"]),
        "__CODE_LABEL__": html.escape(t["code"]), "__NAME_LABEL__": html.escape(t["name"]),
        "__JOIN__": html.escape(t["join"]), "__LEAVE__": html.escape(t["leave"]),
        "__TEXT__": _json(t)})


def _key_html(lang: str, wrong: bool) -> str:
    """The teacher's door: a form for the key (the dashboard's link leads here; the key
    itself is never on a page anyone else can open)."""
    t = TEACHER[lang]
    return _fill(_static("teacher_key.html"), {
        "__LANG__": lang, "__TITLE__": html.escape(t["key_title"]),
        "__HELP__": html.escape(t["key_help"]), "__KEY__": html.escape(t["key"]),
        "__OPEN__": html.escape(t["open"]),
        "__WRONG__": html.escape(t["wrong_key"]) if wrong else ""})


def _qr_svg(url: str) -> str:
    """The join address as a QR code (SVG), for phones."""
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=6, xmldecl=False)
    return buffer.getvalue().decode()


def _teacher_html(session: ClassSession, request: Request, lang: str,
                  choices: list[str]) -> str:
    # the join page sits next to this one, wherever the application is mounted
    here = str(request.url.replace(query=""))
    join_url = here.rsplit("/", 1)[0] + "/join"
    scenarios = [[name, scenario_name(name, lang)]
                 for name in dict.fromkeys([session.scenario_name, *choices])]
    given = request.query_params.get("key", "")
    return _fill(_static("teacher.html"), {
        "__LANG__": lang, "__CODE__": html.escape(session.code),
        "__JOIN_URL__": html.escape(join_url + ("?lang=nl" if lang == "nl" else "")),
        "__QR__": _qr_svg(join_url + ("?lang=nl" if lang == "nl" else "")),
        "__KEY_URL__": html.escape(quote(given, safe="")),
        "__KEY_JSON__": _json(given), "__TEXT__": _json(TEACHER[lang]),
        "__SCENARIOS__": _json(scenarios), "__LANG_JSON__": _json(lang)})
