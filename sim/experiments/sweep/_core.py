"""The one place where the sweep package touches the core model API.

Why: the sweep machinery needs only a handful of things from the core (load a scenario,
apply overrides, describe a parameter, hash a scenario, run). Keeping the imports here
means the rest of the package never depends on how the core is laid out, and the imports
stay lazy so that ``import sim.experiments.sweep`` does no work.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def load_scenario(path: str | Path) -> Any:
    """Load and validate a scenario file with the core loader."""
    from sim.scenario import load_scenario as _load

    return _load(path)


def resolve_scenario_path(name: str) -> Path:
    """A scenario file path from a path or a preset name (raises the core's error)."""
    from sim.scenario import resolve_scenario_path as _resolve

    return _resolve(name)


def apply_overrides(scenario: Any, overrides: dict[str, Any]) -> Any:
    """Return the scenario with dotted-path overrides applied (validated by the core)."""
    from sim.scenario import apply_overrides as _apply

    return _apply(scenario, overrides)


def describe_parameter(path: str, scenario: Any = None) -> Any:
    """Describe a dotted scenario parameter: default, bounds, unit (raises on unknown paths)."""
    from sim.scenario import describe_parameter as _describe

    return _describe(path, scenario)


def scenario_error_types() -> tuple[type[BaseException], ...]:
    """The exception types the core raises for a bad scenario or override."""
    from sim.scenario import ScenarioError

    return (ScenarioError,)


def run(scenario: Any, strategy: str, seed: int, overrides: dict[str, Any], weeks: int | None):
    """Run one simulation with the core's pure run function."""
    from sim.runner import run as _run

    return _run(scenario, strategy=strategy, seed=seed, overrides=overrides, weeks=weeks)


def strategy_names() -> list[str]:
    """Names of the registered strategies (with the installed plugins')."""
    from sim.experiments.plugins import ensure
    from sim.strategies import STRATEGIES

    ensure()
    return list(STRATEGIES)


def load_plugins(modules: tuple[str, ...]) -> None:
    """Load the entry-point plugins and the given plugin modules (once per process)."""
    from sim.experiments.plugins import ensure

    ensure(modules)


def scenario_hash(scenario: Any) -> str:
    """The core's content hash of a validated scenario (formatting and comments ignored)."""
    from sim.scenario import scenario_hash as _hash

    return _hash(scenario)


def package_version() -> str:
    """The merger-sim version that goes into every run key."""
    from sim.provenance import package_version as _version

    return _version()


def code_fingerprint() -> str:
    """The fingerprint of the model code a run executes (part of every run key)."""
    from sim.experiments.plugins import plugin_files
    from sim.provenance import code_fingerprint as _fingerprint

    return _fingerprint(plugin_files())
