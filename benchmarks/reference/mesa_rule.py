"""The everyday interaction rule written the idiomatic Mesa way: one agent at a time.

This is how the rule would usually be written in Mesa 3: every ``Employee`` holds its own
value vector and its own neighbour list with tie weights; each week
``model.agents.shuffle_do("interact")`` lets every employee, in random order, pick
``contacts_per_week`` contacts by tie weight and meet each in turn. A meeting applies
bounded-confidence influence (Deffuant et al. 2000) to both sides at once, with the model's
threshold, convergence rate and openness.

Differences from the vectorised rule (:func:`sim.rules.interaction.bounded_confidence_deltas`)
that are inherent to the two designs, not to the rule:

- **Sequential, not synchronous.** Here a meeting changes values before the next meeting is
  decided; the model decides all of a week's meetings on the week's starting values and adds
  the pulls. With a pull of ``rate * openness`` (0.05 x 0.5 in the case) per meeting, the
  difference is of second order in the pull.
- **No rescaling of summed pulls.** The model rescales an employee's summed pulls in a week
  when they exceed 1; at the case's rate and openness the largest sum reached is about 0.75,
  so it never happens there, and nothing here does it.

It serves as a speed reference and as an independent implementation for the agreement test.

Two ways of holding the value vector are offered, because the speed ratio depends on it and a
fair comparison should show both: a NumPy array per agent (``vectors="numpy"``, what most Mesa
models with vector attributes do) and a plain Python list with ``math.dist``
(``vectors="list"``, faster for four dimensions, where NumPy's per-call overhead dominates).
"""

from __future__ import annotations

import math

import mesa
import numpy as np

from benchmarks.reference.common import StartingState, starting_state
from sim import metrics
from sim.scenario import Scenario


class Employee(mesa.Agent):
    """An employee with its own value vector and its own weighted neighbour list."""

    model: ReferenceModel

    def __init__(self, model: ReferenceModel, values: np.ndarray, openness: float) -> None:
        super().__init__(model)
        self.values = values
        self.openness = openness
        self.neighbours: list[Employee] = []
        self.tie_weights: list[float] = []

    def interact(self) -> None:
        """Meet a few contacts, drawn with probability proportional to tie weight."""
        if not self.neighbours:
            return
        contacts = self.random.choices(self.neighbours, weights=self.tie_weights,
                                       k=self.model.contacts_per_week)
        for other in contacts:
            self.influence(other)

    def influence(self, other: Employee) -> None:
        """Bounded confidence: if close enough, both move toward each other."""
        distance = np.linalg.norm(self.values - other.values) / math.sqrt(self.values.size)
        if distance < self.model.threshold:
            difference = other.values - self.values
            self.values = self.values + self.model.rate * self.openness * difference
            other.values = other.values - self.model.rate * other.openness * difference


class ListEmployee(Employee):
    """The same employee with its values as a Python list: no NumPy call per meeting."""

    def influence(self, other: Employee) -> None:
        """Bounded confidence on lists; same rule, same parameters."""
        mine, theirs = self.values, other.values
        if math.dist(mine, theirs) / math.sqrt(len(mine)) < self.model.threshold:
            pull_self = self.model.rate * self.openness
            pull_other = self.model.rate * other.openness
            self.values = [x + pull_self * (y - x) for x, y in zip(mine, theirs, strict=True)]
            other.values = [y - pull_other * (y - x) for x, y in zip(mine, theirs, strict=True)]


#: Agent classes by how they hold their value vector.
EMPLOYEE_CLASSES: dict[str, type[Employee]] = {"numpy": Employee, "list": ListEmployee}


class ReferenceModel(mesa.Model):
    """Only everyday interaction, one agent at a time.

    Args:
        config: the scenario (use :func:`benchmarks.reference.common.rule_only_scenario`).
        seed: the run's seed; population and network come from its ``population`` and
            ``network`` streams, the meetings from its ``interaction`` stream.
        state: a prebuilt starting state (to share one population and network between
            runs); built from ``config`` and ``seed`` if omitted.
        vectors: "numpy" (each value vector a NumPy array) or "list" (a Python list).
    """

    def __init__(self, config: Scenario, seed: int = 0,
                 state: StartingState | None = None, vectors: str = "numpy") -> None:
        state = state or starting_state(config, seed)
        super().__init__(rng=state.streams["interaction"])
        spec = config.interaction
        self.contacts_per_week = spec.contacts_per_week
        self.threshold = spec.confidence_threshold
        self.rate = spec.convergence_rate
        agent_class = EMPLOYEE_CLASSES[vectors]
        as_vector = np.copy if vectors == "numpy" else np.ndarray.tolist
        employees = [agent_class(self, as_vector(state.values[slot]),
                                 float(state.openness[slot]))
                     for slot in range(state.values.shape[0])]
        ties = state.ties
        for u, v, w in zip(ties.u.tolist(), ties.v.tolist(), ties.weight.tolist(),
                           strict=True):
            employees[u].neighbours.append(employees[v])
            employees[u].tie_weights.append(w)
            employees[v].neighbours.append(employees[u])
            employees[v].tie_weights.append(w)
        self.employees = employees

    def step(self) -> None:
        """One week: every employee, in random order, meets its contacts."""
        self.agents.shuffle_do("interact")

    def values(self) -> np.ndarray:
        """All value vectors as an (N, D) array, in creation order."""
        return np.array([e.values for e in self.employees])

    def culture_spread(self) -> float:
        """The model's ``culture_spread`` output on the current values."""
        values = self.values()
        return metrics.culture_spread(values, np.ones(values.shape[0], dtype=bool))


def run_reference(config: Scenario, seed: int, weeks: int,
                  state: StartingState | None = None, vectors: str = "numpy") -> float:
    """Run the reference for ``weeks`` weeks; return the final culture spread."""
    model = ReferenceModel(config, seed, state, vectors)
    for _ in range(weeks):
        model.step()
    return model.culture_spread()
