"""What the page's address says: the language to start in (``?lang=nl``).

Why: a Dutch class should not have to find the language switch first, and a teacher hands out
one address. The server's default comes from ``merger-sim dashboard --lang nl`` (passed to the
server process in :data:`ENV_LANGUAGE`); an address's ``?lang=`` overrides it for that tab. An
unknown value is ignored (the address is untrusted input), never an error.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Final
from urllib.parse import parse_qs

from sim.dashboard.i18n import DEFAULT_LANGUAGE, LANGUAGES

ENV_LANGUAGE: Final[str] = "MERGER_SIM_DASHBOARD_LANG"
"""The language the server's pages start in (set by ``merger-sim dashboard --lang``)."""

MAX_QUERY_CHARS: Final[int] = 4000
"""A longer query string is not read at all (an address is untrusted input)."""


def query_values(search: str | None) -> dict[str, str]:
    """The address's query parameters (the last value of each), or {} when unreadable."""
    if not search or len(search) > MAX_QUERY_CHARS:
        return {}
    try:
        parsed = parse_qs(search.lstrip("?"), keep_blank_values=False, max_num_fields=100)
    except ValueError:
        return {}
    return {key: values[-1] for key, values in parsed.items() if values}


def server_language(environ: Mapping[str, str] | None = None) -> str:
    """The server's start language: ``--lang``, or English."""
    value = (environ if environ is not None else os.environ).get(ENV_LANGUAGE, "")
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def start_language(search: str | None, environ: Mapping[str, str] | None = None) -> str:
    """The language a new tab starts in: ``?lang=`` when it names one we have, else the
    server's."""
    asked = query_values(search).get("lang", "")
    return asked if asked in LANGUAGES else server_language(environ)
