"""Psychological contract (Rousseau 1989, 1995) and engagement.

Rule: each week the contract moves part of the way toward the contract that the employee's
value fit and identification imply. The fit score is a weighted mean of

- person-organisation fit: own values against the organisation's stated values (the target);
- person-unit fit: own values against the unit colleagues' mean;
- for members of an active theme team, also person-team fit (against the team norm) and
  team-organisation fit (team norm against the target): the case's "connection between
  personal values, team values and organisational values".

Fit is 1 - normalised distance. The implied contract is the neutral level
(``contract.neutral_level``) at the reference fit and full pre-merger identification; it rises
linearly with fit and falls with the identification lost in the merger (see
:mod:`sim.rules.identification`), clipped to [0, 1]. Events (recognition of an accepted pitch,
a breach by forced training) add to the contract directly and then fade by the same adjustment.
Engagement relaxes toward ``base + contract_weight * (contract - neutral)
- identification_weight * identification_loss``; strategies may add a documented boost (the
autonomy of a chosen theme while the team works), never membership alone.

The contract does causal work (Rousseau 1995: "the strength of the psychological contract that
bound them"): :func:`receptivity` scales how far organisation-led change moves a person. A
strong contract makes people take up training, coaching and team work;
after a breach they take up less (Zhao et al. 2007; Bal et al. 2008).
"""

from __future__ import annotations

import numpy as np

from sim.rules.bounds import clip
from sim.scenario import ContractSection, EngagementSection


def implied_contract(fit_score: np.ndarray, spec: ContractSection,
                     identification_loss: np.ndarray | float = 0.0) -> np.ndarray:
    """Contract strength implied by a fit score and the identification lost in the merger.

    Neutral (``spec.neutral_level``) at the reference fit with no identification lost; clipped
    to [0, 1]. ``identification_loss`` is pre-merger minus current identification (negative
    when someone identifies more than before).
    """
    goal = (spec.neutral_level + spec.fit_sensitivity * (fit_score - spec.reference_fit)
            - spec.identification_weight * np.asarray(identification_loss))
    return clip(goal, 0.0, 1.0)


def fit_score(person_org: np.ndarray, person_unit: np.ndarray, person_team: np.ndarray,
              team_org: np.ndarray, in_team: np.ndarray, spec: ContractSection) -> np.ndarray:
    """Weighted fit; team terms count only for members of an active team.

    With every weight zero there is nothing to fit: the score is then the reference fit, so
    the contract sits at its neutral level.
    """
    base_w = spec.weight_person_org + spec.weight_person_unit
    team_w = spec.weight_person_team + spec.weight_team_org
    num = spec.weight_person_org * person_org + spec.weight_person_unit * person_unit
    # each division is by a positive weight sum (the conditions guard it): nothing to warn of
    plain = num / base_w if base_w > 0 else np.full_like(person_org, spec.reference_fit)
    if not np.any(in_team):
        return plain  # no team terms anywhere (most weeks, every strategy but teams)
    num_team = num + spec.weight_person_team * person_team + spec.weight_team_org * team_org
    teamed = num_team / (base_w + team_w) if base_w + team_w > 0 else plain
    return np.where(in_team, teamed, plain)


def relax(current: np.ndarray, goal: np.ndarray, rate: float) -> np.ndarray:
    """Move part of the way toward the goal, staying in [0, 1]."""
    return clip(current + rate * (goal - current), 0.0, 1.0)


def implied_engagement(contract: np.ndarray, boost: np.ndarray | float,
                       spec: EngagementSection, neutral: float,
                       identification_loss: np.ndarray | float = 0.0) -> np.ndarray:
    """Engagement implied by the contract and the identification lost in the merger, plus a
    strategy's documented ``boost``. ``neutral`` is the neutral contract level."""
    goal = (spec.base + spec.contract_weight * (contract - neutral)
            - spec.identification_weight * np.asarray(identification_loss) + boost)
    return clip(goal, 0.0, 1.0)


def receptivity(contract: np.ndarray, spec: ContractSection) -> np.ndarray:
    """Multiplier of organisation-led change: 1 at a neutral contract, in
    [0, ``receptivity_max``].

    ``1 + receptivity_slope * (contract - neutral_level)``: with slope 0 the contract changes
    nothing about how people change (the switch that removes this mechanism).
    """
    return clip(1.0 + spec.receptivity_slope * (contract - spec.neutral_level),
                   0.0, spec.receptivity_max)
