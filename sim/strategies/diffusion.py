"""Carriers of new values talk about them with colleagues: one rule for every strategy.

Whoever took part in an intervention (a trainee after the course, a team member in a working
week, a coached member, a participant in an external activity) is a *carrier* for
``diffusion.carrier_weeks`` weeks. Each week every carrier talks the new way of working over
with a few network contacts (mostly the own unit). The conversation is ordinary bounded-
confidence influence at a higher rate, and it works both ways: colleagues may move toward the
carrier, and the carrier is pulled back toward them (no one is immune to their unit). The time
the conversations take is booked at the hour rate. No strategy has a channel of its own here:
what differs between strategies is only who took part, and how much.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.network import sample_neighbours

if TYPE_CHECKING:
    from sim.model import MergerModel


def carriers_talk(model: MergerModel) -> None:
    """One week of carrier conversations (nothing when nobody carries an intervention)."""
    spec = model.config.diffusion
    if not spec.enabled or spec.contacts == 0:
        return
    carriers = np.flatnonzero(model.active & (model.carrier_until >= model.week))
    if carriers.size == 0:
        return
    callers = np.repeat(carriers, spec.contacts)
    first, second, _ = sample_neighbours(model.contacts(), callers, model.streams["diffusion"])
    rate = min(spec.max_rate, spec.weight * model.config.interaction.convergence_rate)
    model.meet(first, second, rate)
    model.book_time("diffusion", first.size * spec.hours_per_contact,
                    model.config.costs.team_hour_eur)
