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
from sim.scenario import TurnoverSection

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
    expected path (module docstring).

    The weekly hazards are worked out for blocks of weeks at once (one array operation per
    block instead of one per week); each week's mean is its own row's, so the numbers are
    those of a week-by-week loop.
    """
    spec = model.config.turnover
    neutral = model.config.contract.neutral_level
    act = np.flatnonzero(model.active)
    if act.size == 0:
        return 1.0
    tenure = model.tenure.take(act)
    hires = synthetic_hire_contracts(model, rng)
    weekly_exit = -np.expm1(np.log1p(-spec.annual_exit_rate) / WEEKS_PER_YEAR)
    drift = spec.calibration_contract_drift / WEEKS_PER_YEAR
    block = max(1, BLOCK_CELLS // act.size)
    staff_rel: list[float] = []
    hire_rel: list[float] = []
    path: list[np.ndarray] = []
    for contract in model.expected_contract_path(weeks):
        path.append(contract.take(act))
        if len(path) == block:
            _block_means(path, len(staff_rel), tenure, hires, drift, spec, neutral,
                         staff_rel, hire_rel)
            path = []
    if path:
        _block_means(path, len(staff_rel), tenure, hires, drift, spec, neutral,
                     staff_rel, hire_rel)
    total = 0.0
    for t, (staff, hire) in enumerate(zip(staff_rel, hire_rel, strict=True)):
        refilled = 1.0 - (1.0 - weekly_exit) ** max(0, t - spec.vacancy_weeks)
        total += (1.0 - refilled) * staff + refilled * hire
    return total / (weeks + 1)


#: Array cells per block of weeks in :func:`expected_mean_relative_hazard` (memory bound).
BLOCK_CELLS = 1 << 20


def _block_means(path: list[np.ndarray], first_week: int, tenure: np.ndarray,
                 hires: np.ndarray, drift: float, spec: TurnoverSection, neutral: float,
                 staff_rel: list[float], hire_rel: list[float]) -> None:
    """Append the mean relative hazard of the staff and of the synthetic hires for the
    weeks ``first_week ..`` whose contracts (active slots only) are in ``path``."""
    weeks = np.arange(first_week, first_week + len(path))
    shift = (drift * weeks)[:, None]
    staff = relative_hazard(np.stack(path) + shift,
                            tenure[None, :] + weeks[:, None] < spec.newcomer_weeks,
                            spec, neutral)
    hired = relative_hazard(hires[None, :] + shift, np.ones((1, hires.size), dtype=bool),
                            spec, neutral)
    staff_rel.extend(float(x) for x in staff.mean(axis=1))
    hire_rel.extend(float(x) for x in hired.mean(axis=1))
