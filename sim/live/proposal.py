"""What a team sees before it decides: its pitch's menu and its discovered gaps.

Both are read off the model with the model's own rules (:mod:`sim.rules.teams`), so what a
student is shown is what the rule will compute: the work behind the proposal
(:func:`~sim.rules.teams.work_done`), its ingredients, and the quality each option of the
menu leads to (:func:`~sim.rules.teams.pitch_quality` without the judges' noise). The figures
are as they stand at the start of the week; the week's sessions still move them a little.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from sim.decisions import PITCH_AS_IS, PITCH_HOLD, PITCH_INTERVIEWS, PITCH_PLANS
from sim.rules.distance import fit
from sim.rules.teams import city_diversity, cohesion, largest_gap, pitch_quality, work_done

if TYPE_CHECKING:
    from sim.model import MergerModel


def pitch_menu(model: MergerModel, team: int) -> dict[str, Any]:
    """The team's proposal's ingredients and the expected quality of each menu option."""
    strategy, spec = model.strategy, model.config.teams
    members = strategy.members(model, team)
    this_week = spec.session_hours if spec.sessions else 0.0  # sessions come before a pitch
    hours = float(strategy.session_hours_done[team]) + this_week
    activities = int(strategy.activities_done[team])
    alignment = float(fit(model.team_norm[team], strategy.profile[team]))
    diversity = city_diversity(model.city[members], len(model.city_names))
    together = cohesion(model.values[members], float(strategy.internal_tie_density(model)[team]),
                        spec)
    work = {PITCH_AS_IS: work_done(hours, activities, spec),
            PITCH_HOLD: work_done(hours + this_week, activities, spec),
            PITCH_INTERVIEWS: work_done(hours, activities + 1, spec)}
    if model.config.costs.activity_days == 0:
        del work[PITCH_INTERVIEWS]  # no activity can be held
    options = [{"plan": plan, "label": PITCH_PLANS[plan], "work": round(w, 3),
                "expected_quality": round(pitch_quality(w, alignment, diversity, together, spec,
                                                        0.0), 3)}
               for plan, w in work.items()]
    return {"ingredients": {"work": round(work[PITCH_AS_IS], 3), "alignment": round(alignment, 3),
                            "diversity": round(diversity, 3), "cohesion": round(together, 3)},
            "weights": {"work": spec.weight_work, "alignment": spec.weight_alignment,
                        "diversity": spec.weight_diversity, "cohesion": spec.weight_cohesion},
            "threshold": spec.pitch_threshold, "options": options}


def gap_menu(model: MergerModel, team: int) -> dict[str, Any]:
    """The team's discovered gaps (what its theme needs minus its norm), largest first, and
    the one the rule would coach."""
    strategy = model.strategy
    gaps = strategy.profile[team] - model.team_norm[team]
    rule, _ = largest_gap(model.team_norm[team], strategy.profile[team])
    order = np.argsort(-np.abs(gaps), kind="stable")
    return {"rule": int(rule),
            "gaps": [{"dim": int(d), "name": model.dimensions[int(d)],
                      "gap": round(float(gaps[int(d)]), 3)} for d in order]}
