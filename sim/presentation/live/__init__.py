"""Participatory class sessions: students play roles in the merger (transport-free core).

``ClassSession`` and ``SessionError`` are imported on first use (PEP 562), so that importing
a light part of the package (the command line's options, the set-up's constants) does not
import the model and its compiled kernels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.presentation.live.session import ClassSession, SessionError

__all__ = ["ClassSession", "SessionError"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from sim.presentation.live import session

        return getattr(session, name)
    raise AttributeError(f"module 'sim.presentation.live' has no attribute {name!r}")
