"""The scenario presets a dashboard session may run: shipped files, chosen by name only.

Why a module of its own: a preset name arrives from the browser, and the scenario loader
accepts any path as well as a name. Here a name is looked up in the list of files shipped in
``scenarios/`` and only that file is read, so no value a browser sends can make the server
open another file; presets of :data:`~sim.presentation.dashboard.policy.LARGE_HEADCOUNT` employees
or more are offered only when the server allows them (their models take 100 MiB and more a session).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Final

from sim.presentation.dashboard.policy import Policy, current_policy
from sim.scenario import SCENARIO_DIR, Scenario, list_presets, load_scenario

BUILTIN_CASE: Final[str] = "case"
"""Preset name of the case; ``Scenario()`` is the case, so it exists even without a file."""


class PresetRefused(ValueError):
    """A preset name that is not on the list the session is offered."""


def shipped_presets() -> list[str]:
    """Every preset shipped with the project: the files in ``scenarios/``, the case always."""
    presets = list_presets()
    return presets if BUILTIN_CASE in presets else [BUILTIN_CASE, *presets]


@lru_cache(maxsize=32)
def _load_shipped(name: str, stamp: float) -> Scenario:
    """A shipped preset's scenario (cached per file modification time)."""
    del stamp  # part of the cache key only
    if name == BUILTIN_CASE and BUILTIN_CASE not in list_presets():
        return Scenario()
    return load_scenario(SCENARIO_DIR / f"{name}.toml")


def _stamp(name: str) -> float:
    path = SCENARIO_DIR / f"{name}.toml"
    return path.stat().st_mtime if path.is_file() else 0.0


def preset_headcount(name: str) -> int:
    """Employees at the merger in a shipped preset."""
    return int(load_shipped(name).headcount)


def load_shipped(name: str) -> Scenario:
    """Load a shipped preset by name; anything else (a path, say) is refused unread.

    Raises:
        PresetRefused: ``name`` is not a shipped preset.
    """
    if not isinstance(name, str) or name not in shipped_presets():
        raise PresetRefused(f"{name!r} is not a shipped preset")
    # a copy: a session's model must not share (and could not mutate) another's scenario
    return _load_shipped(name, _stamp(name)).model_copy(deep=True)


def available_presets(policy: Policy | None = None) -> list[str]:
    """The presets a session is offered: the shipped ones within the policy's headcount cap."""
    cap = (policy or current_policy()).max_headcount
    return [name for name in shipped_presets()
            if cap is None or preset_headcount(name) <= cap]


def default_preset() -> str:
    """The preset a class starts with: the small classroom scenario if shipped, else the case."""
    return "classroom" if "classroom" in shipped_presets() else BUILTIN_CASE


def load_preset(name: str, policy: Policy | None = None) -> Scenario:
    """Load an offered preset by name.

    Raises:
        PresetRefused: ``name`` is not offered to this server's sessions.
    """
    if not isinstance(name, str) or name not in available_presets(policy):
        raise PresetRefused(f"{name!r} is not an offered preset")
    return load_shipped(name)
