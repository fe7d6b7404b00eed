"""Broad individual culture training: the approach the case tried first, and abandoned.

Each week of the intervention a cohort of employees who have not been trained yet (newcomers
included) attends a culture programme. Trainees shift toward the stated culture at once
(Saks & Belcourt 2006 transfer: 62 % applied at once), then the shift fades in the person (44 %
after six months, 34 % after a year, see :mod:`sim.rules.training`), and untrained colleagues
pull trainees back through everyday interaction. Mandatory training reads as a small breach of
the psychological contract (Rousseau 1995). Cost: trainee-days at a day rate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import numpy as np

from sim.rules.training import choose_cohort, training_shift
from sim.strategies.fading import FadingShifts

if TYPE_CHECKING:
    from sim.model import MergerModel


class Training:
    """Cohorts of culture training with individual forgetting."""

    name: ClassVar[str] = "training"
    summary: ClassVar[str] = "cohorts of individual culture training; the effect fades"

    def setup(self, model: MergerModel) -> None:
        n, dims = model.values.shape
        self.trained_week = np.full(n, -1, dtype=np.int64)
        self.learned = FadingShifts(n, dims, model.config.training)
        self.trainees_total = 0

    def vacate(self, model: MergerModel, slots: np.ndarray) -> None:
        """A leaver takes the training with them; the next holder of the slot is untrained."""
        self.trained_week[slots] = -1
        self.learned.forget(slots)

    def week(self, model: MergerModel) -> None:
        self.learned.fade(model)
        spec = model.config.training
        if model.in_intervention and model.week >= spec.start_week and spec.cohort_size > 0:
            self.train(model)

    def train(self, model: MergerModel) -> None:
        """Send this week's cohort to training: shift, contract breach, cost."""
        spec = model.config.training
        untrained = np.flatnonzero(model.active & (self.trained_week < 0))
        cohort = choose_cohort(untrained, spec.cohort_size, model.streams["training"])
        room = spec.cohort_size - cohort.size
        if room > 0 and spec.refresher:
            # fill the cohort with those trained longest ago
            trained = np.flatnonzero(model.active & (self.trained_week >= 0))
            oldest_first = trained[np.argsort(self.trained_week[trained], kind="stable")]
            cohort = np.sort(np.concatenate([cohort, oldest_first[:room]]))
        if cohort.size == 0:
            return
        shift = training_shift(model.values[cohort], model.target, spec.dose,
                               spec.transfer_immediate)
        self.learned.learn(model, cohort, shift)
        self.trained_week[cohort] = model.week
        model.contract[cohort] = np.clip(model.contract[cohort] - spec.contract_breach, 0, 1)
        self.trainees_total += int(cohort.size)
        model.book_cost("training",
                        cohort.size * spec.days_per_trainee * model.config.costs.trainee_day_eur)
