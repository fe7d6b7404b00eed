"""Shared runs for the validation suite (pattern-oriented modelling, Grimm et al. 2005).

Each pattern test reads the same few runs of the case under ``none`` (the merger with no
intervention), made once per session: a case run takes well under a second.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pytest

from sim.model import MergerModel
from sim.rules.distance import group_means, normalised_distance

#: Seeds of the shared runs: a few, so that the per-seed noise of ~90 leavers a year averages.
SEEDS = tuple(range(6))
YEARS = 3
WEEKS = 52 * YEARS


def within_unit_spread(model: MergerModel) -> float:
    """Mean normalised distance of the active employees to their own unit's mean values."""
    act = np.flatnonzero(model.active)
    means, _ = group_means(model.values, model.unit, model.active.astype(float),
                           model.unit_city.size)
    return float(normalised_distance(model.values[act], means[model.unit[act]]).mean())


@dataclass
class CaseRun:
    """What the validation tests read from one run of the case under ``none``."""

    seed: int
    timeseries: object = None
    headcount0: int = 0
    city_headcount: np.ndarray = field(default_factory=lambda: np.empty(0))
    #: (weeks + 1, cities) mean identification of each city's active employees
    city_identification: np.ndarray = field(default_factory=lambda: np.empty(0))
    #: leavers in each year of the horizon
    yearly_leavers: list[int] = field(default_factory=list)
    #: within-unit spread at weeks 0, 52, 104, 156
    unit_spread: list[float] = field(default_factory=list)
    #: correlation of stayers' values at week 0 and at the end of each year (per dimension,
    #: then averaged): the rank-order stability of individual values
    value_stability: list[float] = field(default_factory=list)


def run_case(seed: int, overrides: dict | None = None) -> CaseRun:
    """The case under ``none`` for three years, with the measurements the patterns need."""
    model = MergerModel("case", "none", seed=seed, overrides=overrides)
    n_cities = len(model.city_names)
    out = CaseRun(seed=seed, headcount0=int(model.active.sum()),
                  city_headcount=np.bincount(model.city, minlength=n_cities))
    ident = [np.bincount(model.city, weights=model.identification, minlength=n_cities)
             / out.city_headcount]
    values0 = model.values.copy()
    uid0 = model.uid.copy()
    out.unit_spread.append(within_unit_spread(model))
    previous = 0
    for week in range(1, WEEKS + 1):
        model.step()
        act = model.active.astype(float)
        counts = np.bincount(model.city, weights=act, minlength=n_cities)
        ident.append(np.bincount(model.city, weights=model.identification * act,
                                 minlength=n_cities) / counts)
        if week % 52 == 0:
            out.yearly_leavers.append(model.leavers_cum - previous)
            previous = model.leavers_cum
            out.unit_spread.append(within_unit_spread(model))
            stayers = np.flatnonzero(model.active & (model.uid == uid0))
            corr = [np.corrcoef(values0[stayers, d], model.values[stayers, d])[0, 1]
                    for d in range(values0.shape[1])]
            out.value_stability.append(float(np.mean(corr)))
    out.timeseries = model.timeseries()
    out.city_identification = np.array(ident)
    return out


@pytest.fixture(scope="session")
def case_runs() -> list[CaseRun]:
    """The case under ``none``, three years, for every seed of :data:`SEEDS`."""
    return [run_case(seed) for seed in SEEDS]
