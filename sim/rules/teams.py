"""Rules of the case's team strategy, as functions of arrays.

- Self-selection (Schneider 1987's attraction-selection on fit; the case's 'hunt' for
  supporters): an invited employee joins with probability sigmoid(U), where U adds up fit with
  the theme's profile and with the sponsor, openness, the share of one's contacts already in
  the team (social proof), and minus workload.
- Pitch: proposal quality is a weighted mean of cross-city diversity, cohesion, members'
  engagement and size, plus noise; management accepts it at or above a threshold.
- Behaviour support: a team discovers the dimension where its norm is furthest from what its
  theme needs; coaching moves members on that dimension only.
"""

from __future__ import annotations

import numpy as np

from sim.rules.distance import fit
from sim.scenario import TeamsSection

#: Fit differences in the choice rule are counted in steps of 0.1 (see TeamsSection weights);
#: the terms are zero at the contract's reference fit (a typical fit at the merger).
FIT_STEP = 0.1
#: Cohesion's value-agreement part maps mean fit with the team norm linearly from
#: AGREEMENT_FLOOR (counts 0) to 1.0 (counts 1): fits below 0.7 mean members barely share
#: values (an assumption, like the equal split with tie density).
AGREEMENT_FLOOR = 0.7
AGREEMENT_SHARE = 0.5


def join_probability(theme_fit: np.ndarray, sponsor_fit: np.ndarray, openness: np.ndarray,
                     social_share: np.ndarray, workload: np.ndarray,
                     spec: TeamsSection, neutral_fit: float = 0.8) -> np.ndarray:
    """Probability that an invitee joins the inviting team.

    ``neutral_fit``: the fit at which the fit terms vanish; the model passes the contract's
    reference fit.
    """
    utility = (spec.join_intercept
               + spec.weight_theme_fit * (theme_fit - neutral_fit) / FIT_STEP
               + spec.weight_sponsor_fit * (sponsor_fit - neutral_fit) / FIT_STEP
               + spec.weight_openness * (openness - 0.5)
               + spec.weight_social * social_share
               - spec.weight_workload * (workload - 0.5))
    return 1.0 / (1.0 + np.exp(-utility))


def city_diversity(cities: np.ndarray, n_cities: int) -> float:
    """Blau's index of the members' cities, normalised to [0, 1] by its maximum."""
    if cities.size == 0 or n_cities < 2:
        return 0.0
    shares = np.bincount(cities, minlength=n_cities) / cities.size
    blau = 1.0 - np.sum(shares ** 2)
    return float(blau / (1.0 - 1.0 / min(n_cities, cities.size))) if cities.size > 1 else 0.0


def cohesion(member_values: np.ndarray, tie_density: float) -> float:
    """Team cohesion in [0, 1]: value agreement (mean fit with the team norm, rescaled from
    AGREEMENT_FLOOR to 1) and the share of member pairs who are tied, weighted
    AGREEMENT_SHARE and 1 - AGREEMENT_SHARE."""
    if member_values.shape[0] < 2:
        return 0.0
    norm = member_values.mean(axis=0)
    agreement = np.clip((fit(member_values, norm).mean() - AGREEMENT_FLOOR)
                        / (1.0 - AGREEMENT_FLOOR), 0.0, 1.0)
    return float(AGREEMENT_SHARE * agreement + (1.0 - AGREEMENT_SHARE) * tie_density)


def pitch_quality(diversity: float, cohesion_: float, engagement: float, size: int,
                  spec: TeamsSection, noise: float) -> float:
    """Judged quality of a team's proposal (before the threshold)."""
    weights = (spec.weight_diversity, spec.weight_cohesion, spec.weight_engagement,
               spec.weight_size)
    total = sum(weights)
    size_score = min(1.0, size / spec.max_size)
    parts = (diversity, cohesion_, engagement, size_score)
    base = sum(w * p for w, p in zip(weights, parts, strict=True)) / total if total else 0.0
    return float(base + noise)


def largest_gap(norm: np.ndarray, profile: np.ndarray) -> tuple[int, float]:
    """The dimension where the team's practice is furthest from what its theme needs."""
    gap = profile - norm
    dim = int(np.argmax(np.abs(gap)))
    return dim, float(gap[dim])


def support_shift(member_values: np.ndarray, dim: int, profile_value: float, dose: float,
                  transfer: float) -> np.ndarray:
    """The coached change of members' values: only on the discovered dimension."""
    shift = np.zeros_like(member_values)
    shift[:, dim] = dose * transfer * (profile_value - member_values[:, dim])
    return shift
