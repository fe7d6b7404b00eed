"""The plugins of ``merger-sim --plugin ... dashboard``, carried into the server process.

Why: ``merger-sim dashboard`` replaces itself with solara's server (``exec``), a fresh Python
that has not loaded the modules the command line named. The command passes their specs on
in an environment variable (:func:`plugin_environment`); the page loads them when solara
imports it (:func:`load_plugins`), with the installed packages' entry-point plugins. A plugin
strategy then appears among the strategies, and a plugin outcome in the ten-seeds table,
labelled as the observables registry labels it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from typing import Final

logger = logging.getLogger(__name__)

ENV_PLUGINS: Final[str] = "MERGER_SIM_DASHBOARD_PLUGINS"
"""Plugin module specs (a file path or a module name), one a line."""


def plugin_environment(modules: Sequence[str]) -> dict[str, str]:
    """The environment variable that carries ``modules`` to the server process."""
    return {ENV_PLUGINS: "\n".join(modules)}


def load_plugins(environ: Mapping[str, str] | None = None) -> list[str]:
    """Load the entry-point plugins and the modules the command passed on; return the ones
    that could not be loaded (each logged: the page serves without it, never a traceback)."""
    from sim.experiments.plugins import PluginError, ensure

    env = os.environ if environ is None else environ
    failed = []
    for spec in [None] + [m for m in env.get(ENV_PLUGINS, "").splitlines() if m.strip()]:
        try:
            ensure([spec] if spec else [])
        except PluginError as err:
            logger.error("dashboard plugin not loaded: %s", err)
            failed.append(spec or "entry points")
    return failed
