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
from sim.presentation.live.teams import team_strategy
from sim.rules.distance import fit
from sim.rules.teams import city_diversity, cohesion, largest_gap, pitch_quality, work_done

if TYPE_CHECKING:
    from sim.model import MergerModel


def pitch_menu(model: MergerModel, team: int) -> dict[str, Any]:
    """The team's proposal's ingredients and, for each menu option, what the model's rules
    make of it: the ingredients it changes, its expected quality, its change against pitching
    as it is, and its price (money and days for the interviews, a week for holding back).

    - as it is: the rule's choice;
    - one more week of work: a week's more session hours behind the proposal (work is capped
      at a full proposal), pitched next week;
    - client interviews first: an external activity now (:meth:`TeamStrategy.activity`): it
      counts as work, and it pulls the members' values toward the theme's needs, which the
      proposal's alignment is judged on. With the work complete (a rework after a rejection),
      this is the option that still moves the quality.
    """
    strategy, spec, costs = team_strategy(model), model.config.teams, model.config.costs
    members = strategy.members(model, team)
    this_week = spec.session_hours if spec.sessions else 0.0  # sessions come before a pitch
    hours = float(strategy.session_hours_done[team]) + this_week
    activities = int(strategy.activities_done[team])
    profile = strategy.profile[team]
    tie_density = float(strategy.internal_tie_density(model)[team])
    alignment = float(fit(model.team_norm[team], profile))
    diversity = city_diversity(model.city[members], len(model.city_names))
    together = cohesion(model.values[members], tie_density, spec)
    # the interviews' pull on the members' values, by the activity's own rule
    pulled = np.clip(model.values[members] + spec.activity_pull
                     * (profile - model.values[members]) * model.receptivity()[members, None],
                     0.0, 1.0)
    after = {"alignment": float(fit(pulled.mean(axis=0), profile)) if members.size else 0.0,
             "cohesion": cohesion(pulled, tie_density, spec)}
    plans = {PITCH_AS_IS: (work_done(hours, activities, spec), alignment, together, 0.0, 0),
             PITCH_HOLD: (work_done(hours + this_week, activities, spec), alignment, together,
                          0.0, 1),
             PITCH_INTERVIEWS: (work_done(hours, activities + 1, spec), after["alignment"],
                                after["cohesion"], members.size * costs.activity_eur, 0)}
    if costs.activity_days == 0:
        del plans[PITCH_INTERVIEWS]  # no activity can be held
    base = pitch_quality(plans[PITCH_AS_IS][0], alignment, diversity, together, spec, 0.0)
    options = []
    for plan, (work, aligned, close, euros, delay) in plans.items():
        quality = pitch_quality(work, aligned, diversity, close, spec, 0.0)
        options.append({"plan": plan, "label": PITCH_PLANS[plan], "work": round(work, 3),
                        "alignment": round(aligned, 3), "cohesion": round(close, 3),
                        "expected_quality": round(quality, 3),
                        "change": round(quality - base, 3), "cost_eur": round(euros),
                        "days_each": costs.activity_days if plan == PITCH_INTERVIEWS else 0.0,
                        "delay_weeks": delay})
    return {"ingredients": {"work": round(plans[PITCH_AS_IS][0], 3),
                            "alignment": round(alignment, 3),
                            "diversity": round(diversity, 3), "cohesion": round(together, 3)},
            "weights": {"work": spec.weight_work, "alignment": spec.weight_alignment,
                        "diversity": spec.weight_diversity, "cohesion": spec.weight_cohesion},
            "threshold": spec.pitch_threshold, "options": options}


def gap_menu(model: MergerModel, team: int) -> dict[str, Any]:
    """The team's discovered gaps (what its theme needs minus its norm), largest first, and
    the one the rule would coach."""
    strategy = team_strategy(model)
    gaps = strategy.profile[team] - model.team_norm[team]
    rule, _ = largest_gap(model.team_norm[team], strategy.profile[team])
    order = np.argsort(-np.abs(gaps), kind="stable")
    return {"rule": int(rule),
            "gaps": [{"dim": int(d), "name": model.dimensions[int(d)],
                      "gap": round(float(gaps[int(d)]), 3)} for d in order]}
