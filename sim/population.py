"""Builders for the initial workforce: cities, units, roles, values, openness, tenure.

The workforce lives in fixed-size arrays indexed by *slot* (a position in the organisation).
A slot is active while an employee holds it; a leaver leaves it vacant until a hire fills it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from sim.scenario import Scenario


class Role(IntEnum):
    """Employee roles. Managers can sponsor themes and bridge cities."""

    STAFF = 0
    TEAM_LEAD = 1
    MANAGER = 2


@dataclass
class Workforce:
    """Per-slot arrays of the workforce at the merger."""

    city: np.ndarray  # (N,) int: index into the scenario's cities
    unit: np.ndarray  # (N,) int: global unit index; units never span cities
    unit_city: np.ndarray  # (U,) int: the city of each unit
    role: np.ndarray  # (N,) int8: Role
    values: np.ndarray  # (N, D) float in [0, 1]
    openness: np.ndarray  # (N,) float in [0, 1]
    tenure: np.ndarray  # (N,) int weeks


def vector(profile: dict[str, float], dims: tuple[str, ...]) -> np.ndarray:
    """A profile mapping as a vector in the frame's dimension order."""
    return np.array([profile[d] for d in dims], dtype=float)


def draw_values(mean: np.ndarray, spread: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Individual value vectors: normal around the mean, clipped to [0, 1]."""
    return np.clip(rng.normal(mean, spread, size=(n, mean.size)), 0.0, 1.0)


def draw_openness(mean: float, spread: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Openness to influence: normal, clipped to [0, 1]."""
    return np.clip(rng.normal(mean, spread, size=n), 0.0, 1.0)


def assign_roles(n: int, manager_share: float, lead_share: float,
                 rng: np.random.Generator) -> np.ndarray:
    """Roles of one city's employees: shares rounded, placed at random."""
    roles = np.full(n, Role.STAFF, dtype=np.int8)
    n_man = round(manager_share * n)
    n_lead = min(n - n_man, round(lead_share * n))
    order = rng.permutation(n)
    roles[order[:n_man]] = Role.MANAGER
    roles[order[n_man:n_man + n_lead]] = Role.TEAM_LEAD
    return roles


def build_workforce(scenario: Scenario, rng: np.random.Generator) -> Workforce:
    """Draw the initial workforce of every city. Slots are ordered by city, then unit."""
    dims = scenario.dimensions
    unit_size = scenario.network.unit_size
    cities, units, roles, values, tenure = [], [], [], [], []
    unit_city: list[np.ndarray] = []
    next_unit = 0
    for idx, spec in enumerate(scenario.cities):
        n = spec.headcount
        n_units = -(-n // unit_size)
        cities.append(np.full(n, idx, dtype=np.int32))
        units.append(next_unit + np.arange(n, dtype=np.int32) // unit_size)
        unit_city.append(np.full(n_units, idx, dtype=np.int32))
        next_unit += n_units
        roles.append(assign_roles(n, scenario.roles.manager_share,
                                  scenario.roles.team_lead_share, rng))
        if spec.distribution == "uniform":
            values.append(rng.random((n, len(dims))))
        else:
            values.append(draw_values(vector(spec.mean, dims), spec.spread, n, rng))
        tenure.append(rng.exponential(scenario.turnover.initial_mean_tenure_weeks,
                                      size=n).astype(np.int64))
    total = scenario.headcount
    openness = draw_openness(scenario.interaction.openness_mean,
                             scenario.interaction.openness_spread, total, rng)
    return Workforce(
        city=np.concatenate(cities),
        unit=np.concatenate(units),
        unit_city=np.concatenate(unit_city),
        role=np.concatenate(roles),
        values=np.concatenate(values),
        openness=openness,
        tenure=np.concatenate(tenure),
    )
