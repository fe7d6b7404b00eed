"""Calibration of the exit hazard to the merger's expected path (not to week 0 only).

Why: the published outflow (8.8 %/yr, Personeelsmonitor Gemeenten 2021) is a rate over years.
Calibrated on the workforce at week 0 alone, the realised outflow drifts off it as the merger
runs its course: contracts dip with identification and recover, hires (selected on fit) hold
stronger contracts than the staff they replace, and the newcomers of the merger year stop
being newcomers. The base hazard is therefore chosen so that the *expected* mean relative
hazard over ``turnover.calibration_weeks`` gives the published rate.

The expected path, per week t after the merger:

- the initial staff hold the contracts of :meth:`MergerModel.expected_contract_path` (the
  merger's identification dip and recovery, every fit as at the merger) and count as
  newcomers while tenure + t < ``turnover.newcomer_weeks``;
- a share q(t) = 1 - (1 - p)^(t - V) of the posts (p the weekly rate, V the vacancy delay)
  has been refilled by hires, newcomers whose contracts are those of a sample of synthetic
  hires drawn like real ones (from the own ``calibration`` random stream, so no other
  component's draws move).

Everything is computed once at set-up, before the strategy starts: the calibration is the same
under every strategy of a seed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.population import vector
from sim.rules.contract import fit_score, implied_contract
from sim.rules.distance import fit
from sim.rules.turnover import WEEKS_PER_YEAR, relative_hazard, select_hires

if TYPE_CHECKING:
    from sim.model import MergerModel

#: Synthetic hires drawn to estimate a hire's contract: enough for a mean to about +-0.005.
SYNTHETIC_HIRES = 512


def synthetic_hire_contracts(model: MergerModel, rng: np.random.Generator) -> np.ndarray:
    """Contracts of hires drawn like real ones, each into a random occupied post."""
    hiring = model.config.hiring
    slots = np.flatnonzero(model.active)
    if slots.size == 0:
        return np.empty(0)
    posts = rng.choice(slots, size=SYNTHETIC_HIRES)
    values = select_hires(SYNTHETIC_HIRES, hiring.candidates_per_vacancy,
                          vector(hiring.market_mean, model.dimensions), hiring.market_spread,
                          model.target, rng)
    peers = model.unit_peer_means().take(posts, axis=0)
    zeros = np.zeros(SYNTHETIC_HIRES)
    score = fit_score(fit(values, model.target), fit(values, peers), zeros, zeros,
                      np.zeros(SYNTHETIC_HIRES, dtype=bool), model.config.contract)
    return implied_contract(score, model.config.contract)


def expected_mean_relative_hazard(model: MergerModel, weeks: int,
                                  rng: np.random.Generator) -> float:
    """Mean relative exit hazard of the workforce, averaged over weeks 0..``weeks`` of the
    expected path (module docstring)."""
    spec = model.config.turnover
    neutral = model.config.contract.neutral_level
    act = np.flatnonzero(model.active)
    if act.size == 0:
        return 1.0
    tenure = model.tenure.take(act)
    hires = synthetic_hire_contracts(model, rng)
    hire_newcomer = np.ones(hires.size, dtype=bool)
    weekly_exit = -np.expm1(np.log1p(-spec.annual_exit_rate) / WEEKS_PER_YEAR)
    total = 0.0
    drift = spec.calibration_contract_drift / WEEKS_PER_YEAR
    for t, contract in enumerate(model.expected_contract_path(weeks)):
        staff_rel = float(relative_hazard(contract.take(act) + drift * t,
                                          tenure + t < spec.newcomer_weeks, spec, neutral).mean())
        hire_rel = float(relative_hazard(hires + drift * t, hire_newcomer, spec, neutral).mean())
        refilled = 1.0 - (1.0 - weekly_exit) ** max(0, t - spec.vacancy_weeks)
        total += (1.0 - refilled) * staff_rel + refilled * hire_rel
    return total / (weeks + 1)
