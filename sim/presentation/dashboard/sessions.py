"""The live browser sessions of one server, counted so that a cap can refuse the next one.

Why: every session builds its own model (a few MiB for the classroom scenario, far more for
the large presets), and solara keeps a session after its tab closes until the cull timeout.
Without a cap, memory grows with every tab a class opens. The page asks :data:`SESSIONS` for
a ticket before it builds a model and gives it back when solara closes the session.
"""

from __future__ import annotations

import threading


class SessionCounter:
    """Tickets for live sessions, at most ``limit`` at a time (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: set[int] = set()
        self._next = 0

    def admit(self, limit: int) -> int | None:
        """A ticket for one more session, or None when ``limit`` sessions are open."""
        with self._lock:
            if len(self._open) >= limit:
                return None
            self._next += 1
            self._open.add(self._next)
            return self._next

    def release(self, ticket: int | None) -> None:
        """Give a ticket back (None and a ticket given back before are ignored)."""
        with self._lock:
            self._open.discard(ticket)  # type: ignore[arg-type]

    @property
    def count(self) -> int:
        """Sessions open now."""
        with self._lock:
            return len(self._open)


SESSIONS = SessionCounter()
"""This server process's sessions."""
