"""Participatory class sessions: students play roles in the merger (transport-free core)."""

from sim.live.session import ClassSession, SessionError

__all__ = ["ClassSession", "SessionError"]
