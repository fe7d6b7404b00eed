"""Turnover and selective hiring.

Exit: the weekly hazard is calibrated so that the workforce leaves at the yearly outflow of
Dutch municipalities (8.8 %, Personeelsmonitor Gemeenten 2021), on average over the merger's
expected path (:mod:`sim.calibration`). It multiplies by
exp(s * (neutral - contract)), so a weak contract raises it (fit lowers intent to quit, r = -0.35,
Kristof-Brown et al. 2005), and by a newcomer factor in the first three years (a third of hires
leave within three years, Personeelsmonitor 2021).

Hiring: after a vacancy delay, each vacancy is filled by the candidate, out of k drawn from the
labour-market culture, whose values fit the organisation's stated values best (selection on
fit, Harrison & Carroll 1991; k = 1 is no selection). Newcomers are more open for a while
(socialisation), with the bonus halving every ``socialisation_halflife_weeks``.
"""

from __future__ import annotations

import numpy as np

from sim.rules.distance import fit
from sim.scenario import TurnoverSection

WEEKS_PER_YEAR = 52.0


def relative_hazard(contract: np.ndarray, newcomer: np.ndarray, spec: TurnoverSection,
                    neutral: float) -> np.ndarray:
    """Exit hazard relative to an established employee with a neutral contract."""
    return (np.exp(spec.contract_sensitivity * (neutral - contract))
            * np.where(newcomer, spec.newcomer_exit_multiplier, 1.0))


def base_hazard_for(mean_relative: float, spec: TurnoverSection) -> float:
    """Weekly base hazard at which a workforce with this mean relative hazard leaves at the
    published yearly rate: base * mean_relative = -ln(1 - r) / 52."""
    target = -np.log1p(-spec.annual_exit_rate) / WEEKS_PER_YEAR
    return target / mean_relative if mean_relative > 0 else target


def calibrated_base_hazard(contract: np.ndarray, newcomer: np.ndarray,
                           spec: TurnoverSection, neutral: float) -> float:
    """Base hazard at which *this* workforce, as it stands, leaves at the published rate (the
    mean hazard over employees equals -ln(1 - r) / 52). The model calibrates on the merger's
    expected path instead (:mod:`sim.calibration`)."""
    mean_relative = (float(relative_hazard(contract, newcomer, spec, neutral).mean())
                     if contract.size else 1.0)
    return base_hazard_for(mean_relative, spec)


def weekly_exit_probability(contract: np.ndarray, newcomer: np.ndarray,
                            spec: TurnoverSection, neutral: float,
                            base_hazard: float | None = None) -> np.ndarray:
    """Probability of leaving this week, per employee.

    ``base_hazard`` defaults to the hazard that gives the yearly rate at a neutral contract;
    the model passes the one calibrated on its initial workforce.
    """
    if base_hazard is None:
        base_hazard = -np.log1p(-spec.annual_exit_rate) / WEEKS_PER_YEAR
    return -np.expm1(-base_hazard * relative_hazard(contract, newcomer, spec, neutral))


def select_hires(n: int, candidates: int, market_mean: np.ndarray, market_spread: float,
                 target: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Values of ``n`` hires, each the best-fitting of ``candidates`` draws from the market."""
    draws = np.clip(rng.normal(market_mean, market_spread,
                               size=(n, candidates, market_mean.size)), 0.0, 1.0)
    best = np.argmax(fit(draws, target), axis=1)
    return draws[np.arange(n), best]


def socialisation_factor(halflife_weeks: float) -> float:
    """Weekly multiplier of the newcomer openness bonus."""
    return float(0.5 ** (1.0 / halflife_weeks))
