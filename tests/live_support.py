"""A participatory class server on 127.0.0.1 for tests (stopped when the test ends)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from sim.presentation.live import ClassSession
from sim.presentation.live.web import create_app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(app) -> Iterator[str]:
    """Any ASGI application on a free local port, for the test's duration: its base URL."""
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


@contextmanager
def class_server(seed: int = 4, code: str = "KLAS7", key: str = "secret-key",
                 session: ClassSession | None = None) -> Iterator[tuple[str, ClassSession]]:
    session = session or ClassSession("classroom", seed=seed, code=code)
    with serving(create_app(session, teacher_key=key)) as base:
        yield base, session
