"""merger-sim: an agent-based simulation of a merger of Dutch municipal social services.

``from sim import MergerModel, load_scenario, run, load_results``. Importing builds nothing
and starts nothing; the model (and Mesa) is imported on first use, so the command line
starts fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "MergerModel": "sim.model",
    "RunResult": "sim.runner",
    "run": "sim.runner",
    "Scenario": "sim.scenario",
    "ScenarioError": "sim.scenario",
    "load_scenario": "sim.scenario",
    "load_results": "sim.experiments.results",
}

__all__ = ["MergerModel", "RunResult", "Scenario", "ScenarioError", "load_results",
           "load_scenario", "run"]

if TYPE_CHECKING:
    from sim.experiments.results import load_results
    from sim.model import MergerModel
    from sim.runner import RunResult, run
    from sim.scenario import Scenario, ScenarioError, load_scenario


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
