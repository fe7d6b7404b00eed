"""Psychological contract (Rousseau 1989, 1995) and engagement.

Rule: each week the contract moves part of the way toward the contract that the employee's
value fit implies. The fit score is a weighted mean of

- person-organisation fit: own values against the organisation's stated values (the target);
- person-unit fit: own values against the unit colleagues' mean;
- for members of an active theme team, also person-team fit (against the team norm) and
  team-organisation fit (team norm against the target): the case's "connection between
  personal values, team values and organisational values".

Fit is 1 - normalised distance. The implied contract is 0.5 at a reference fit and rises
linearly with fit, clipped to [0, 1]. Events (recognition of an accepted pitch, a breach by
forced training) add to the contract directly and then fade by the same adjustment.
Engagement relaxes toward ``base + contract_weight * (contract - 0.5)`` (+ a bonus in a team).
"""

from __future__ import annotations

import numpy as np

from sim.scenario import ContractSection, EngagementSection


def implied_contract(fit_score: np.ndarray, spec: ContractSection) -> np.ndarray:
    """Contract strength implied by a fit score: 0.5 at the reference fit, clipped to [0,1]."""
    return np.clip(0.5 + spec.fit_sensitivity * (fit_score - spec.reference_fit), 0.0, 1.0)


def fit_score(person_org: np.ndarray, person_unit: np.ndarray, person_team: np.ndarray,
              team_org: np.ndarray, in_team: np.ndarray, spec: ContractSection) -> np.ndarray:
    """Weighted fit; team terms count only for members of an active team."""
    base_w = spec.weight_person_org + spec.weight_person_unit
    team_w = spec.weight_person_team + spec.weight_team_org
    num = spec.weight_person_org * person_org + spec.weight_person_unit * person_unit
    num_team = num + spec.weight_person_team * person_team + spec.weight_team_org * team_org
    with np.errstate(invalid="ignore", divide="ignore"):
        plain = num / base_w if base_w > 0 else np.full_like(person_org, 0.5)
        teamed = num_team / (base_w + team_w) if base_w + team_w > 0 else plain
    return np.where(in_team, teamed, plain)


def relax(current: np.ndarray, goal: np.ndarray, rate: float) -> np.ndarray:
    """Move part of the way toward the goal, staying in [0, 1]."""
    return np.clip(current + rate * (goal - current), 0.0, 1.0)


def implied_engagement(contract: np.ndarray, in_team: np.ndarray,
                       spec: EngagementSection) -> np.ndarray:
    """Engagement implied by the contract, with a bonus for active team members."""
    goal = spec.base + spec.contract_weight * (contract - 0.5) + spec.team_bonus * in_team
    return np.clip(goal, 0.0, 1.0)
