"""Broad individual culture training: the approach the case tried first, and abandoned.

Each week of the intervention a cohort of employees who have not been trained yet (newcomers
included) attends a culture programme. What each part does, and what it costs:

- **Dose.** The programme's length in days sets both its cost (trainee-days at a day rate,
  which includes the trainee's wage) and its effect: the content addresses ``dose`` of the gap
  to the stated culture at the reference length, rescaled for other lengths by a
  dose-response curve with diminishing returns (:mod:`sim.rules.dose`).
- **Transfer.** Trainees apply ``transfer_immediate`` of it at once, scaled by their
  receptivity (the psychological contract, :func:`sim.rules.contract.receptivity`); the shift
  then fades in the person (Saks & Belcourt 2006: 62 % at once, 44 % after six months, 34 %
  after a year; see :mod:`sim.rules.training`), and untrained colleagues pull trainees back
  through everyday interaction.
- **Carriers.** Trainees carry the programme to colleagues for a while, by the one diffusion
  rule every strategy shares (:mod:`sim.strategies.diffusion`).
- **Refreshers** (optional): once everyone is trained, cohorts are filled with those trained
  longest ago.
- **Peer support** (optional; Baldwin & Ford 1988): after the course, trainees meet cohort
  peers weekly to practise, at the hour rate.
- **Transfer projects** (optional; action learning): each cohort turns the course into a
  work-improvement project, presented to central management and judged by the same rule as
  the teams' pitches (:func:`sim.rules.teams.pitch_quality`, with the cohort's mean values
  against the stated culture); accepted projects reach clients like the teams' proposals. So
  the improvement part of client value is open to training too, at the cost of the hours.
- Mandatory training reads as a small breach of the psychological contract (Rousseau 1995).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import numpy as np

from sim.rules.distance import fit
from sim.rules.dose import dose_factor
from sim.rules.teams import city_diversity, cohesion, pitch_quality, work_done
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
        self.projects = 0
        self.projects_accepted = 0

    def vacate(self, model: MergerModel, slots: np.ndarray) -> None:
        """A leaver takes the training with them; the next holder of the slot is untrained."""
        self.trained_week[slots] = -1
        self.learned.forget(slots)

    def week(self, model: MergerModel) -> None:
        self.learned.fade(model)
        spec = model.config.training
        if model.in_intervention and model.week >= spec.start_week and spec.cohort_size > 0:
            self.train(model)
        if spec.peer_support:
            self.peer_meetings(model)

    def effective_dose(self, model: MergerModel) -> float:
        """Share of the gap the programme addresses at its actual length (at most 1)."""
        spec = model.config.training
        factor = dose_factor(spec.days_per_trainee, spec.reference_days, spec.days_half_effect)
        return min(1.0, spec.dose * factor)

    def train(self, model: MergerModel) -> None:
        """Send this week's cohort to training: shift, contract breach, cost, carriers."""
        spec = model.config.training
        if spec.days_per_trainee == 0:
            return  # a programme of no days trains no one (and makes no carriers)
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
        shift = training_shift(model.values[cohort], model.target, self.effective_dose(model),
                               spec.transfer_immediate)
        # receptivity scales what is taken up, never beyond the whole gap
        taken = np.minimum(1.0, spec.transfer_immediate * model.receptivity()[cohort])
        shift *= (taken / spec.transfer_immediate)[:, None] if spec.transfer_immediate else 0.0
        self.learned.learn(model, cohort, shift)
        self.trained_week[cohort] = model.week
        model.contract[cohort] = np.clip(model.contract[cohort] - spec.contract_breach, 0, 1)
        model.mark_carriers(cohort)
        self.trainees_total += int(cohort.size)
        costs = model.config.costs
        model.book_cost("training", cohort.size * spec.days_per_trainee * costs.trainee_day_eur)
        model.book_time("training_days", cohort.size * spec.days_per_trainee
                        * costs.hours_per_day)
        if spec.transfer_projects and spec.project_hours > 0 and cohort.size >= 2:
            self.transfer_project(model, cohort)

    def transfer_project(self, model: MergerModel, cohort: np.ndarray) -> None:
        """The cohort's improvement project: its hours make the work, its members' values
        against the stated culture the alignment; judged and implemented as a team's pitch."""
        spec, teams = model.config.training, model.config.teams
        model.book_time("transfer_projects", cohort.size * spec.project_hours,
                        model.config.costs.team_hour_eur)
        work = work_done(spec.project_hours, 0, teams)
        members = np.zeros(model.values.shape[0], dtype=bool)
        members[cohort] = True
        links = int(np.count_nonzero(members[model.ties.u] & members[model.ties.v]))
        density = links / (cohort.size * (cohort.size - 1) / 2)
        values = model.values[cohort]
        alignment = float(fit(values.mean(axis=0), model.target))
        noise = float(model.streams["projects"].normal(0.0, teams.pitch_noise_sd))
        quality = pitch_quality(work, alignment,
                                city_diversity(model.city[cohort], len(model.city_names)),
                                cohesion(values, density, teams), teams, noise)
        self.projects += 1
        if quality >= teams.pitch_threshold:
            self.projects_accepted += 1
            model.proposals_accepted += 1
            model.propose(quality)

    def peer_meetings(self, model: MergerModel) -> None:
        """Trainees of the last ``peer_support_weeks`` weeks practise with cohort peers: one
        meeting per hour of peer support, with a random member of the same cohort."""
        spec = model.config.training
        recent = np.flatnonzero(model.active & (self.trained_week >= 0)
                                & (model.week - self.trained_week >= 1)
                                & (model.week - self.trained_week <= spec.peer_support_weeks))
        meetings = round(spec.peer_support_hours)
        if recent.size < 2 or meetings == 0:
            return
        cohort = self.trained_week[recent]
        order = np.argsort(cohort, kind="stable")
        recent, cohort = recent[order], cohort[order]
        _, starts, sizes = np.unique(cohort, return_index=True, return_counts=True)
        group = np.repeat(np.arange(starts.size), sizes)
        first = np.repeat(recent, meetings)
        their = np.repeat(group, meetings)
        rng = model.streams["peer_support"]
        second = recent[starts[their] + (rng.random(first.size) * sizes[their]).astype(np.int64)]
        keep = first != second
        first, second = first[keep], second[keep]
        openness = model.effective_openness() * model.receptivity()
        model.meet(first, second, spec.peer_convergence_rate, openness=openness)
        model.mark_carriers(np.unique(first))
        model.book_time("peer_support", recent.size * spec.peer_support_hours,
                        model.config.costs.team_hour_eur)
