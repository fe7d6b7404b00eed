"""What one dashboard server allows: session cap, cull timeout, the large presets.

Why a policy object: the teacher decides these when starting the server
(``merger-sim dashboard --max-sessions 40 --allow-large``), but the page that enforces them
runs inside solara's server process. The command passes them on as environment variables
(:func:`policy_environment`), which the page reads back with :func:`current_policy`; the
defaults below are the documented ones, so a bare ``solara run sim.presentation.dashboard.app`` gets
the same limits.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

DEFAULT_MAX_SESSIONS: Final[int] = 60
"""Live browser sessions one server builds models for: a class of 35 with room for reloads
(a reloaded tab is a new session; the old one lives until its cull timeout)."""

DEFAULT_CULL_TIMEOUT: Final[str] = "5m"
"""How long a closed or disconnected tab's session (and its model) is kept for a reconnect
before solara frees it (solara's own default is 24 h)."""

LARGE_HEADCOUNT: Final[int] = 10_000
"""Presets with at least this many employees are "large": offered only with ``--allow-large``.
Below it one session holds at most two models of under 10,000 employees."""

ENV_ALLOW_LARGE: Final[str] = "MERGER_SIM_DASHBOARD_ALLOW_LARGE"
ENV_MAX_SESSIONS: Final[str] = "MERGER_SIM_DASHBOARD_MAX_SESSIONS"
ENV_CULL_TIMEOUT: Final[str] = "SOLARA_KERNEL_CULL_TIMEOUT"
"""Solara's own setting for the cull timeout (read by its server at start)."""

_DURATION = re.compile(r"[1-9][0-9]*[smh]")


@dataclass(frozen=True)
class Policy:
    """The limits of one dashboard server."""

    allow_large: bool = False
    max_sessions: int = DEFAULT_MAX_SESSIONS
    cull_timeout: str = DEFAULT_CULL_TIMEOUT

    def __post_init__(self) -> None:
        if self.max_sessions < 1:
            raise ValueError(f"--max-sessions: {self.max_sessions} is below 1")
        if not _DURATION.fullmatch(self.cull_timeout):
            raise ValueError(f"--cull-timeout: {self.cull_timeout!r} is not a duration such as "
                             "30s, 5m or 1h")

    @property
    def max_headcount(self) -> int | None:
        """The largest preset headcount offered (None: no cap, the teacher allowed large)."""
        return None if self.allow_large else LARGE_HEADCOUNT - 1


def current_policy(environ: Mapping[str, str] | None = None) -> Policy:
    """The policy the server was started with (the defaults where nothing was set).

    A malformed value falls back to the default: the command checked what it passed on, so
    such a value was not set by ``merger-sim dashboard``.
    """
    env = os.environ if environ is None else environ
    allow_large = env.get(ENV_ALLOW_LARGE, "").strip().lower() in ("1", "true", "yes")
    raw = env.get(ENV_MAX_SESSIONS, "").strip()
    max_sessions = int(raw) if raw.isdigit() and int(raw) >= 1 else DEFAULT_MAX_SESSIONS
    cull = env.get(ENV_CULL_TIMEOUT, "").strip()
    cull = cull if _DURATION.fullmatch(cull) else DEFAULT_CULL_TIMEOUT
    return Policy(allow_large=allow_large, max_sessions=max_sessions, cull_timeout=cull)


def policy_environment(policy: Policy) -> dict[str, str]:
    """The environment variables that carry ``policy`` to the server process."""
    return {ENV_ALLOW_LARGE: "1" if policy.allow_large else "0",
            ENV_MAX_SESSIONS: str(policy.max_sessions),
            ENV_CULL_TIMEOUT: policy.cull_timeout}
