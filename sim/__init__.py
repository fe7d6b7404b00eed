"""merger-sim: an agent-based simulation of a merger of Dutch municipal social services.

``from sim import MergerModel, load_scenario, run``. Importing builds nothing and starts
nothing.
"""

from sim.model import MergerModel
from sim.runner import RunResult, run
from sim.scenario import Scenario, ScenarioError, load_scenario

__all__ = ["MergerModel", "RunResult", "Scenario", "ScenarioError", "load_scenario", "run"]
__version__ = "0.1.0"
