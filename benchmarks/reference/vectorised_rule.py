"""The same rule run with the model's array functions: two levels of comparison.

- :func:`run_rule` is the rule alone: each week, sample every employee's contacts by tie
  weight (:func:`sim.network.sample_neighbours`), compute all bounded-confidence changes on the
  week's starting values (:func:`sim.rules.interaction.bounded_confidence_deltas`) and apply
  them. Like the reference, it does nothing else.
- :func:`run_model` is the full :class:`sim.MergerModel` with the rule-only overrides: it also
  rebuilds the weekly sparse network view, updates contracts and engagement, draws turnover
  and computes all thirteen outputs every week. That is more work than the reference does, so
  the speed ratio against it is a lower bound.
"""

from __future__ import annotations

import numpy as np

from benchmarks.reference.common import StartingState, starting_state
from sim import metrics
from sim.model import MergerModel
from sim.network import sample_neighbours
from sim.rules.interaction import bounded_confidence_deltas
from sim.scenario import Scenario


def run_rule(config: Scenario, seed: int, weeks: int,
             state: StartingState | None = None) -> float:
    """The vectorised rule alone for ``weeks`` weeks; returns the final culture spread."""
    state = state or starting_state(config, seed)
    spec = config.interaction
    rng = state.streams["interaction"]
    values = state.values.copy()
    adjacency = state.ties.csr()  # the network is static in the rule-only configuration
    callers = np.repeat(np.arange(values.shape[0]), spec.contacts_per_week)
    for _ in range(weeks):
        first, second, _ = sample_neighbours(adjacency, callers, rng)
        deltas = bounded_confidence_deltas(values, first, second, state.openness,
                                           spec.convergence_rate, spec.confidence_threshold)
        values = np.clip(values + deltas, 0.0, 1.0)
    return metrics.culture_spread(values, np.ones(values.shape[0], dtype=bool))


def run_model(config: Scenario, seed: int, weeks: int) -> float:
    """The full model (strategy ``none``) for ``weeks`` weeks; returns the final spread."""
    model = MergerModel(config, strategy="none", seed=seed)
    for _ in range(weeks):
        model.step()
    return float(model.observables["culture_spread"])
