"""Business results: the client-value index.

Client value in [0, 1] is a weighted mean of mean engagement, alignment of the workforce with
the stated culture (1 - distance to target), and the accepted team proposals (saturating at a
set number). The weights are assumptions (docs/ODD.md); the case names all three as what the
new organisation had to deliver: engaged staff, the core business, and the teams' proposals.
"""

from __future__ import annotations

from sim.scenario import BusinessSection


def client_value(engagement: float, distance_to_target: float, accepted: int,
                 spec: BusinessSection) -> float:
    """The client-value index of one week."""
    total = spec.weight_engagement + spec.weight_alignment + spec.weight_proposals
    if total <= 0:
        return 0.0
    proposals = min(1.0, accepted / spec.proposals_for_full_value)
    score = (spec.weight_engagement * engagement
             + spec.weight_alignment * (1.0 - distance_to_target)
             + spec.weight_proposals * proposals)
    return float(score / total)
