"""Business results: the client-value index.

Client value in [0, 1] is a weighted mean of

- mean engagement;
- the front line's alignment with the stated, client-oriented culture (1 - the staff's mean
  distance to the target): clients meet the staff, not the managers;
- implemented improvements: the summed quality of accepted proposals that have been put into
  practice, saturating at ``improvements_for_full_value``. A proposal's quality comes from the
  work that produced it (:func:`sim.rules.teams.pitch_quality`), so no strategy earns this
  term without spending time on business work.

The weights are assumptions (docs/ODD.md); the case names all three as what the new
organisation had to deliver: engaged staff, the core business, and the teams' proposals.
"""

from __future__ import annotations

from sim.scenario import BusinessSection


def client_value(engagement: float, frontline_distance: float, improvements: float,
                 spec: BusinessSection) -> float:
    """The client-value index of one week."""
    total = spec.weight_engagement + spec.weight_alignment + spec.weight_improvements
    if total <= 0:
        return 0.0
    implemented = min(1.0, improvements / spec.improvements_for_full_value)
    score = (spec.weight_engagement * engagement
             + spec.weight_alignment * (1.0 - frontline_distance)
             + spec.weight_improvements * implemented)
    return float(score / total)
