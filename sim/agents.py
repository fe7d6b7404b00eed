"""Employees as Mesa agents: thin views onto their rows of the model's arrays.

The weekly rules work on the arrays (``model.values``, ``model.contract``, ...) for speed; an
:class:`Employee` reads and writes its own row, so Mesa's AgentSet, DataCollector and SolaraViz
see ordinary agents with ordinary attributes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from sim.population import Role

if TYPE_CHECKING:
    from sim.model import MergerModel


class Employee(mesa.Agent):
    """An employee of the merged organisation, holding one slot (position).

    Attributes are views: ``values`` is the model's row, so a change through the agent is a
    change in the model and the other way round.
    """

    model: MergerModel

    def __init__(self, model: MergerModel, slot: int) -> None:
        super().__init__(model)
        self.slot = slot

    @property
    def values(self) -> np.ndarray:
        """Culture values, one per dimension of the frame, in [0, 1] (a writable view)."""
        return self.model.values[self.slot]

    @values.setter
    def values(self, new: np.ndarray) -> None:
        self.model.values[self.slot] = np.clip(new, 0.0, 1.0)

    @property
    def city(self) -> str:
        """Home city (origin organisation)."""
        return self.model.city_names[self.model.city[self.slot]]

    @property
    def unit(self) -> int:
        """Work unit index."""
        return int(self.model.unit[self.slot])

    @property
    def role(self) -> Role:
        """Staff, team lead or manager."""
        return Role(int(self.model.role[self.slot]))

    @property
    def openness(self) -> float:
        """Openness to influence in [0, 1], newcomer bonus included."""
        return float(self.model.effective_openness()[self.slot])

    @property
    def contract(self) -> float:
        """Psychological contract strength in [0, 1]."""
        return float(self.model.contract[self.slot])

    @property
    def engagement(self) -> float:
        """Engagement in [0, 1]."""
        return float(self.model.engagement[self.slot])

    @property
    def tenure(self) -> int:
        """Weeks in the organisation."""
        return int(self.model.tenure[self.slot])

    @property
    def team(self) -> int | None:
        """Index of the theme team this employee is in, or None."""
        team = int(self.model.team[self.slot])
        return None if team < 0 else team

    @property
    def degree(self) -> int:
        """Number of informal ties."""
        return int(self.model.ties.degree()[self.slot])
