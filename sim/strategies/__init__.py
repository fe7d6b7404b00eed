"""The registry of change strategies: the one table the CLI, the dashboard and the docs read.

Add a strategy by writing a class with ``name``, ``summary``, ``setup(model)`` and
``week(model)`` (see :mod:`sim.strategies.base`) and listing it here.
"""

from __future__ import annotations

from sim.strategies.base import Combined, Strategy, part, parts_of
from sim.strategies.none import NoStrategy
from sim.strategies.teams import AssignedTeams, Teams, TeamsAndTraining
from sim.strategies.training import Training

STRATEGIES: dict[str, type] = {
    cls.name: cls for cls in (NoStrategy, Training, Teams, AssignedTeams, TeamsAndTraining)
}


def strategy_names() -> list[str]:
    """Registered strategy names, in registry order."""
    return list(STRATEGIES)


def make_strategy(name: str) -> Strategy:
    """A fresh instance of the named strategy.

    Raises:
        KeyError: with the list of known names.
    """
    try:
        return STRATEGIES[name]()
    except KeyError:
        raise KeyError(f"unknown strategy {name!r}; known: {', '.join(STRATEGIES)}") from None


__all__ = ["STRATEGIES", "Combined", "Strategy", "make_strategy", "part", "parts_of",
           "strategy_names"]
