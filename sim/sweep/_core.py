"""The one place where the sweep package touches the core model API.

Why: the sweep machinery only needs four things from the core (load a scenario,
apply overrides, describe a parameter, run). Keeping the imports here means the
rest of the package never depends on how the core is laid out, and imports stay
lazy so that ``import sim.sweep`` does no work.
"""

from __future__ import annotations

import hashlib
import json
from importlib import metadata
from pathlib import Path
from typing import Any


def _standin() -> bool:
    """True while the core API is not importable yet (temporary)."""
    try:
        from sim import run as _run  # noqa: F401
    except ImportError:
        return True
    return False


def load_scenario(path: str | Path) -> Any:
    """Load and validate a scenario file with the core loader."""
    if _standin():
        from sim.sweep._standin import load_scenario as _load
    else:
        from sim import load_scenario as _load

    return _load(path)


def apply_overrides(scenario: Any, overrides: dict[str, Any]) -> Any:
    """Return the scenario with dotted-path overrides applied (validated by the core)."""
    if _standin():
        from sim.sweep._standin import apply_overrides as _apply
    else:
        from sim.scenario import apply_overrides as _apply

    return _apply(scenario, overrides)


def describe_parameter(path: str) -> Any:
    """Describe a dotted scenario parameter: default, bounds, unit (raises on unknown paths)."""
    if _standin():
        from sim.sweep._standin import describe_parameter as _describe
    else:
        from sim.scenario import describe_parameter as _describe

    return _describe(path)


def scenario_error_types() -> tuple[type[BaseException], ...]:
    """The exception types the core raises for a bad scenario or override."""
    if _standin():
        from sim.sweep._standin import ScenarioError
    else:
        from sim.scenario import ScenarioError

    return (ScenarioError,)


def run(scenario: Any, strategy: str, seed: int, overrides: dict[str, Any], weeks: int | None):
    """Run one simulation with the core's pure run function."""
    if _standin():
        from sim.sweep._standin import run as _run
    else:
        from sim import run as _run

    return _run(scenario, strategy=strategy, seed=seed, overrides=overrides, weeks=weeks)


def strategy_names() -> list[str]:
    """Names of the registered strategies."""
    if _standin():
        return ["none", "training", "teams", "assigned-teams", "teams+training", "boom"]
    from sim.strategies import STRATEGIES

    return list(STRATEGIES)


def scenario_hash(scenario: Any) -> str:
    """A content hash of a scenario: the same settings give the same hash.

    Why: run keys must change when anything that determines a run changes, and
    must not change when only the file's formatting or comments change, so the
    hash is taken over the validated model, not the file bytes.
    """
    payload = json.dumps(scenario.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def package_version() -> str:
    """The installed merger-sim version (falls back to pyproject's when not installed)."""
    try:
        return metadata.version("merger-sim")
    except metadata.PackageNotFoundError:
        pass
    try:
        import tomllib

        root = Path(__file__).resolve().parents[2]
        with open(root / "pyproject.toml", "rb") as fh:
            return str(tomllib.load(fh)["project"]["version"])
    except (OSError, KeyError, ValueError):
        return "0+unknown"
