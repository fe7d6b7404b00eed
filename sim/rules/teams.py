"""Rules of the case's team strategy, as functions of arrays.

- Self-selection (Schneider 1987's attraction-selection on fit; the case's 'hunt' for
  supporters): an invited employee joins with probability sigmoid(U), where U adds up fit with
  the theme's profile and with the sponsor, openness, the share of one's contacts already in
  the team (social proof), and minus workload.
- Pitch: a proposal is only as good as the work behind it. Quality is the work done (session
  hours per member and external activities, against the work a full proposal needs) times a
  weighted mean of the work's ingredients: the team norm's fit with what its theme needs,
  cross-city diversity and cohesion; plus noise. A team that did no work has nothing to pitch.
- Value work: members examine personal, team and organisational values and agree on a norm
  between the team's own and the organisation's stated values; they move toward it.
- Behaviour support: a team discovers the dimension where its norm is furthest from what its
  theme needs; coaching moves members on that dimension only.
"""

from __future__ import annotations

import numpy as np

from sim.rules.distance import fit
from sim.scenario import TeamsSection


def join_probability(theme_fit: np.ndarray, sponsor_fit: np.ndarray, openness: np.ndarray,
                     social_share: np.ndarray, workload: np.ndarray,
                     spec: TeamsSection, neutral_fit: float = 0.8) -> np.ndarray:
    """Probability that an invitee joins the inviting team.

    ``neutral_fit``: the fit at which the fit terms vanish; the model passes the contract's
    reference fit. Fit differences count per ``spec.fit_step``. Openness and workload are
    centred on their scale's midpoint (0.5), a convention: another centre is the same model
    with another ``join_intercept``.
    """
    utility = (spec.join_intercept
               + spec.weight_theme_fit * (theme_fit - neutral_fit) / spec.fit_step
               + spec.weight_sponsor_fit * (sponsor_fit - neutral_fit) / spec.fit_step
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


def cohesion(member_values: np.ndarray, tie_density: float, spec: TeamsSection) -> float:
    """Team cohesion in [0, 1]: value agreement (mean fit with the team norm, rescaled from
    ``agreement_floor`` to 1) and the share of member pairs who are tied, weighted
    ``agreement_share`` and ``1 - agreement_share``."""
    if member_values.shape[0] < 2:
        return 0.0
    norm = member_values.mean(axis=0)
    floor = spec.agreement_floor
    agreement = np.clip((fit(member_values, norm).mean() - floor) / (1.0 - floor), 0.0, 1.0)
    share = spec.agreement_share
    return float(share * agreement + (1.0 - share) * tie_density)


def work_done(hours_per_member: float, activities: int, spec: TeamsSection) -> float:
    """The work behind a proposal in [0, 1]: session hours per member, with each external
    activity (client interviews, benchmarking) counting as ``activity_work_share`` of a full
    proposal's hours, against the hours a full proposal needs."""
    hours = hours_per_member + activities * spec.activity_work_share * spec.hours_for_proposal
    return float(min(1.0, hours / spec.hours_for_proposal))


def pitch_quality(work: float, alignment: float, diversity: float, cohesion_: float,
                  spec: TeamsSection, noise: float) -> float:
    """Judged quality of a team's proposal (before the threshold).

    ``work`` (from :func:`work_done`) multiplies the ingredients: no work, no proposal.
    ``alignment`` is the team norm's fit with its theme's profile.
    """
    weights = (spec.weight_work, spec.weight_alignment, spec.weight_diversity,
               spec.weight_cohesion)
    total = sum(weights)
    parts = (work, alignment, diversity, cohesion_)
    base = sum(w * p for w, p in zip(weights, parts, strict=True)) / total if total else 0.0
    return float(work * base + noise)


def agreed_norm(team_norm: np.ndarray, target: np.ndarray, target_weight: float) -> np.ndarray:
    """The norm a team doing value work agrees on: its own norm moved toward the
    organisation's stated values by ``target_weight``."""
    return (1.0 - target_weight) * team_norm + target_weight * target


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
