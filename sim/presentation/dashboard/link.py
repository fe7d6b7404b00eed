"""What the page's address says: the language to start in and the run to build.

Why: a Dutch class should not have to find the language switch first, and a teacher hands out
one address that reproduces a run exactly (NetLogo users expect to share settings). The
server's default language comes from ``merger-sim dashboard --lang nl`` (passed to the server
process in :data:`ENV_LANGUAGE`); an address's ``?lang=`` overrides it for that tab. The other
parameters are the run's settings (``preset``, ``strategy``, ``strategy_b``, ``seed`` and the
sliders under their dotted paths), written by :func:`settings_query` under the monitors.

An address is untrusted input: an unknown language is ignored; the settings are only parsed
into plain values here and then go through the same check as every Reset
(:func:`~sim.presentation.dashboard.checks.check_settings`), so a forged value is refused and said
so. """

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Final
from urllib.parse import parse_qs, urlencode

from sim.presentation.dashboard.i18n import DEFAULT_LANGUAGE, LANGUAGES

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


CHOICES: Final[tuple[str, ...]] = ("preset", "strategy", "strategy_b")
"""Settings that are names (kept as text)."""


def settings_query(settings: Any, lang: str) -> str:
    """The query string that rebuilds ``settings`` (a Classroom's :class:`Settings`)."""
    pairs: list[tuple[str, str]] = [("lang", lang), ("preset", settings.preset),
                                    ("strategy", settings.strategy)]
    if settings.side_by_side:
        pairs.append(("strategy_b", settings.strategy_b))
    pairs.append(("seed", str(settings.seed)))
    for path, value in sorted(settings.overrides.items()):
        pairs.append((path, ("on" if value else "off") if isinstance(value, bool)
                      else repr(value)))
    return urlencode(pairs)


def _plain(text: str) -> Any:
    """A query value as the control would send it: a switch, a whole number, a number."""
    lowered = text.strip().lower()
    if lowered in ("on", "true"):
        return True
    if lowered in ("off", "false"):
        return False
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return text


def settings_from_query(search: str | None) -> dict[str, Any]:
    """The run settings an address asks for, as Classroom keyword arguments (unchecked)."""
    values = query_values(search)
    values.pop("lang", None)
    return {key: (value if key in CHOICES else _plain(value)) for key, value in values.items()}
