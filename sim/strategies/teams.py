"""The case's own strategy: sponsor-led business themes with self-selected teams.

What happened in the case (../shared/seed), and what each step does here:

1. Management names the business themes (the scenario's ``themes``, or the first
   ``teams.theme_count`` of them); each gets a **sponsor** (a manager: the most central by tie
   strength, or one at random).
2. The sponsor goes **hunting** for supporters: during a recruitment window invitations travel
   along informal ties from the sponsor, then from each supporter. An invited employee
   **self-selects** by fit with the theme and the sponsor, openness, the share of contacts
   already in, and workload (:func:`sim.rules.teams.join_probability`). One team per person;
   teams stop at a maximum size; after the window teams below the minimum size dissolve.
3. **Weekly sessions**: members work with team colleagues (bounded-confidence influence at a
   session rate; with **value work** on the psychological contract, a wider confidence bound),
   and the joint work creates and strengthens ties, many across cities.
4. **External activities** (trips, benchmarking, client interviews) pull members toward what
   their theme needs.
5. A **pitch** to central management: quality from diversity, cohesion, engagement and size;
   accepted proposals bring recognition (contract up) and feed client value; rejected teams
   rework and pitch again.
6. **Behaviour support**: the team discovers its largest gap between practice and need, and
   coaching closes part of it on that dimension only. Coached shifts fade like training
   (:mod:`sim.strategies.fading`): durability, if any, must come from the team and network.
7. **Diffusion**: members carry the team's culture back to their colleagues (contacts drawn
   from the informal network, which is mostly the own unit and city).

The contract's person-team and team-organisation terms use the team norms kept here.
``AssignedTeams`` is the business-only variant: management assigns members; no self-selection,
no value work, no support.
"""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from sim.network import sample_neighbours
from sim.population import Role, vector
from sim.rules.distance import fit, group_means
from sim.rules.teams import (
    city_diversity,
    cohesion,
    join_probability,
    largest_gap,
    pitch_quality,
    support_shift,
)
from sim.strategies.base import Combined
from sim.strategies.fading import FadingShifts
from sim.strategies.training import Training

if TYPE_CHECKING:
    from sim.model import MergerModel

#: Extra workload of team leads and managers (assumption: they carry the line).
LEAD_EXTRA_WORKLOAD = 0.2
#: Spread of workload between employees (assumption).
WORKLOAD_SPREAD = 0.15


class Status(IntEnum):
    """Life stage of a theme team."""

    FORMING = 0
    ACTIVE = 1
    DISSOLVED = 2


class Teams:
    """Sponsor-led themes, self-selected teams, pitches, value work and behaviour support."""

    name: ClassVar[str] = "teams"
    summary: ClassVar[str] = ("the case: sponsors recruit self-selected theme teams that pitch, "
                              "work weekly, and get behaviour support")
    self_selection: ClassVar[bool] = True
    value_work: ClassVar[bool] = True
    behaviour_support: ClassVar[bool] = True

    # ------------------------------------------------------------------ set-up

    def setup(self, model: MergerModel) -> None:
        spec = model.config.teams
        n, dims = model.values.shape
        themes = model.config.active_themes  # the first teams.theme_count themes
        self.n_teams = len(themes)
        self.profile = np.array([vector(t.profile, model.dimensions) for t in themes]
                                ).reshape(self.n_teams, dims)
        self.theme_names = [t.name for t in themes]
        self.sponsor = np.full(self.n_teams, -1, dtype=np.int64)
        self.status = np.full(self.n_teams, Status.FORMING, dtype=np.int8)
        self.accepted = np.zeros(self.n_teams, dtype=bool)
        self.pitches = np.zeros(self.n_teams, dtype=np.int64)
        self.next_pitch = np.full(self.n_teams, spec.pitch_week, dtype=np.int64)
        first_work = spec.recruitment_weeks + 1
        self.next_support = np.full(self.n_teams, first_work + spec.support_interval_weeks)
        self.next_activity = np.full(self.n_teams, first_work + spec.activity_interval_weeks)
        rng = model.streams["teams"]
        lead = np.isin(model.role, (Role.MANAGER, Role.TEAM_LEAD))
        self.workload = np.clip(rng.normal(spec.workload_mean, WORKLOAD_SPREAD, n)
                                + LEAD_EXTRA_WORKLOAD * lead, 0.0, 1.0)
        self.learned = FadingShifts(n, dims, model.config.training)
        self.invitations: list[np.ndarray] = []  # rows: week, invitee, team, theme fit, joined
        self.quality_log: list[tuple[int, int, float, bool]] = []
        self.peak_teams = 0

    def vacate(self, model: MergerModel, slots: np.ndarray) -> None:
        """A leaver's coached learning leaves with them (membership is cleared by the model).

        A sponsor who leaves is succeeded by the team's most central remaining member; a team
        left empty keeps no sponsor.
        """
        self.learned.forget(slots)
        strength = None
        for team in np.flatnonzero(np.isin(self.sponsor, slots)):  # rare: sponsors leaving
            members = self.members(model, team)
            if strength is None:
                strength = model.ties.strength()
            self.sponsor[team] = members[np.argmax(strength[members])] if members.size else -1

    # ------------------------------------------------------------------ the week

    def week(self, model: MergerModel) -> None:
        self.learned.fade(model)
        spec = model.config.teams
        if self.n_teams == 0:
            return
        if not model.in_intervention:
            if model.week == model.config.horizon.intervention_weeks + 1:
                self.disband(model)
            return
        if model.week == 1:
            self.appoint_sponsors(model)
            if not self.self_selection:
                self.assign_members(model)
        if self.self_selection and model.week <= spec.recruitment_weeks:
            self.recruit(model)
        if model.week >= spec.recruitment_weeks:
            self.dissolve_small(model)
        self.update_norms(model)
        if model.week > spec.recruitment_weeks:
            self.work_sessions(model)
            if spec.external_activities:
                self.external_activities(model)
            self.pitch(model)
            if self.behaviour_support and spec.behaviour_support:
                self.support(model)
            if spec.diffusion:
                self.diffuse(model)
            self.update_norms(model)
        live = self.live_teams()
        model.teams_active = int(live.size)
        self.peak_teams = max(self.peak_teams, model.teams_active)

    # ------------------------------------------------------------------ queries

    def sizes(self, model: MergerModel) -> np.ndarray:
        """Members per team."""
        members = model.team[model.team >= 0]
        return np.bincount(members, minlength=self.n_teams)

    def live_teams(self) -> np.ndarray:
        """Teams not dissolved: forming ones count once they are working."""
        return np.flatnonzero(self.status == Status.ACTIVE)

    def members(self, model: MergerModel, team: int) -> np.ndarray:
        return np.flatnonzero(model.team == team)

    # ------------------------------------------------------------------ formation

    def appoint_sponsors(self, model: MergerModel) -> None:
        """One sponsor per theme: managers first, then team leads, then staff; within a role
        the most central (tie strength) or at random, as the scenario says."""
        rule = model.config.teams.sponsor_rule
        strength = model.ties.strength()
        candidates = np.flatnonzero(model.active)
        if rule == "centrality":
            key = strength[candidates]
        else:
            key = model.streams["teams"].random(candidates.size)
        rank = np.lexsort((-key, -model.role[candidates]))
        chosen = candidates[rank[:self.n_teams]]
        self.sponsor[:chosen.size] = chosen
        model.team[chosen] = np.arange(chosen.size)

    def assign_members(self, model: MergerModel) -> None:
        """Management assigns members at random: each team filled to the mid size."""
        spec = model.config.teams
        size = (spec.min_size + spec.max_size) // 2
        free = np.flatnonzero(model.active & (model.team < 0))
        chosen = model.streams["teams"].permutation(free)[:size * self.n_teams - self.n_teams]
        teams = np.repeat(np.arange(self.n_teams), size - 1)[:chosen.size]
        model.team[chosen] = teams

    def recruit(self, model: MergerModel) -> None:
        """One week of the hunt: invitations along ties from sponsors and supporters."""
        spec = model.config.teams
        rng = model.streams["teams"]
        sizes = self.sizes(model)
        open_team = (self.status != Status.DISSOLVED) & (sizes < spec.max_size)
        in_open = (model.team >= 0) & open_team[np.maximum(model.team, 0)]
        members = np.flatnonzero(in_open)
        is_sponsor = np.isin(members, self.sponsor)
        inviters = np.concatenate([np.repeat(members[is_sponsor], spec.sponsor_invitations),
                                   np.repeat(members[~is_sponsor], spec.member_invitations)])
        if inviters.size == 0:
            return
        adj = model.contacts()
        src, invitee, _ = sample_neighbours(adj, inviters, rng)
        team = model.team[src]
        free = (model.active[invitee] & (model.team[invitee] < 0)
                & (self.sponsor[team] >= 0))
        invitee, team = invitee[free], team[free]
        pair_key, first = np.unique(invitee * self.n_teams + team, return_index=True)
        invitee, team = invitee[first], team[first]
        if invitee.size == 0:
            return
        theme_fit = fit(model.values[invitee], self.profile[team])
        sponsor_fit = fit(model.values[invitee], model.values[self.sponsor[team]])
        social = self.contact_share(model, adj, invitee, team)
        prob = join_probability(theme_fit, sponsor_fit, model.effective_openness()[invitee],
                                social, self.workload[invitee], spec,
                                model.config.contract.reference_fit)
        accept = rng.random(invitee.size) < prob
        joined = self.admit(invitee[accept], team[accept], prob[accept],
                            spec.max_size - sizes, rng)
        model.team[joined[0]] = joined[1]
        joined_mask = np.isin(pair_key, joined[0] * self.n_teams + joined[1])
        self.invitations.append(np.column_stack([
            np.full(invitee.size, model.week), invitee, team, theme_fit, joined_mask]))

    def contact_share(self, model: MergerModel, adj, invitee: np.ndarray,
                      team: np.ndarray) -> np.ndarray:
        """Share of each invitee's contacts who are already in the inviting team."""
        start = adj.indptr[invitee]
        lengths = adj.indptr[invitee + 1] - start
        rows = np.repeat(np.arange(invitee.size), lengths)
        offsets = np.arange(rows.size) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        entries = np.repeat(start, lengths) + offsets
        same = model.team[adj.indices[entries]] == team[rows]
        counts = np.bincount(rows[same], minlength=invitee.size)
        return counts / np.maximum(lengths, 1)

    @staticmethod
    def admit(invitee: np.ndarray, team: np.ndarray, prob: np.ndarray, room: np.ndarray,
              rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """Resolve acceptances: one team per person (the most attractive offer), and no team
        beyond its remaining room (in random order)."""
        if invitee.size == 0:
            return invitee, team
        order = np.lexsort((-prob, invitee))
        invitee, team = invitee[order], team[order]
        first = np.r_[True, invitee[1:] != invitee[:-1]]
        invitee, team = invitee[first], team[first]
        order = np.lexsort((rng.random(invitee.size), team))
        invitee, team = invitee[order], team[order]
        group_start = np.r_[0, np.flatnonzero(team[1:] != team[:-1]) + 1]
        starts = np.repeat(group_start, np.diff(np.r_[group_start, team.size]))
        rank = np.arange(team.size) - starts
        keep = rank < room[team]
        return invitee[keep], team[keep]

    def dissolve_small(self, model: MergerModel) -> None:
        """After recruitment, teams below the minimum size dissolve and release everyone."""
        sizes = self.sizes(model)
        alive = self.status != Status.DISSOLVED
        small = alive & (sizes < model.config.teams.min_size)
        if small.any():
            model.team[np.isin(model.team, np.flatnonzero(small))] = -1
            self.status[small] = Status.DISSOLVED
        self.status[alive & ~small] = Status.ACTIVE

    def disband(self, model: MergerModel) -> None:
        """The intervention ends: teams stop meeting; their ties remain and may decay."""
        model.team[:] = -1
        self.status[self.status == Status.ACTIVE] = Status.DISSOLVED
        model.team_norm = np.zeros((0, model.values.shape[1]))
        model.teams_active = 0

    def update_norms(self, model: MergerModel) -> None:
        """Team norm = members' mean values (the contract's team values)."""
        members = model.team >= 0
        if not members.any():
            model.team_norm = np.zeros((self.n_teams, model.values.shape[1]))
            return
        norms, _ = group_means(model.values, np.maximum(model.team, 0),
                               members.astype(float), self.n_teams)
        model.team_norm = norms

    # ------------------------------------------------------------------ team life

    def live_members(self, model: MergerModel) -> np.ndarray:
        """Slots of members of working teams."""
        live = np.zeros(self.n_teams + 1, dtype=bool)
        live[self.live_teams()] = True
        return np.flatnonzero(live[np.where(model.team >= 0, model.team, self.n_teams)])

    def work_sessions(self, model: MergerModel) -> None:
        """Weekly sessions: members work with team colleagues; influence and new ties."""
        spec = model.config.teams
        members = self.live_members(model)
        if members.size == 0:
            return
        rng = model.streams["teams"]
        team = model.team[members]
        order = np.argsort(team, kind="stable")
        members, team = members[order], team[order]
        sizes = np.bincount(team, minlength=self.n_teams)
        starts = np.r_[0, np.cumsum(sizes)[:-1]]
        first = np.repeat(members, spec.session_meetings)
        their_team = np.repeat(team, spec.session_meetings)
        pick = starts[their_team] + (rng.random(first.size) * sizes[their_team]).astype(np.int64)
        second = members[pick]
        keep = first != second
        first, second = first[keep], second[keep]
        threshold = model.config.interaction.confidence_threshold
        if self.value_work and spec.value_work:
            threshold += spec.value_work_threshold_bonus
        model.meet(first, second, spec.session_convergence_rate, threshold)
        model.ties.strengthen(first, second, model.config.network)
        model.book_cost("team_hours",
                        members.size * spec.session_hours * model.config.costs.team_hour_eur)

    def external_activities(self, model: MergerModel) -> None:
        """Trips, benchmarking, client interviews: members move toward the theme's needs."""
        spec = model.config.teams
        for team in self.live_teams():  # loops over teams (nine), not employees
            if model.week < self.next_activity[team]:
                continue
            self.next_activity[team] += spec.activity_interval_weeks
            members = self.members(model, team)
            shift = spec.activity_pull * (self.profile[team] - model.values[members])
            self.learned.learn(model, members, shift)
            model.book_cost("activities", members.size * model.config.costs.activity_eur)

    def pitch(self, model: MergerModel) -> None:
        """Teams due to pitch present their proposal to central management."""
        spec = model.config.teams
        due = [t for t in self.live_teams()
               if not self.accepted[t] and model.week >= self.next_pitch[t]]
        if not due:
            return
        tie_density = self.internal_tie_density(model)
        noise = model.streams["pitch"].normal(0.0, spec.pitch_noise_sd, size=len(due))
        for team, eps in zip(due, noise, strict=True):
            members = self.members(model, team)
            quality = pitch_quality(
                city_diversity(model.city[members], len(model.city_names)),
                cohesion(model.values[members], tie_density[team]),
                float(model.engagement[members].mean()), members.size, spec, float(eps))
            accepted = quality >= spec.pitch_threshold
            self.pitches[team] += 1
            self.quality_log.append((model.week, int(team), quality, bool(accepted)))
            if accepted:
                self.accepted[team] = True
                model.proposals_accepted += 1
                model.contract[members] = np.clip(model.contract[members] + spec.recognition,
                                                  0.0, 1.0)
            else:
                self.next_pitch[team] = model.week + spec.rework_weeks

    def internal_tie_density(self, model: MergerModel) -> np.ndarray:
        """Share of member pairs who are tied, per team."""
        tu, tv = model.team[model.ties.u], model.team[model.ties.v]
        inside = (tu >= 0) & (tu == tv)
        links = np.bincount(tu[inside], minlength=self.n_teams)
        sizes = self.sizes(model)
        pairs = sizes * (sizes - 1) / 2
        return np.where(pairs > 0, links / np.maximum(pairs, 1), 0.0)

    def support(self, model: MergerModel) -> None:
        """Behaviour support: coaching on each team's largest discovered gap."""
        spec = model.config.teams
        for team in self.live_teams():  # loops over teams, not employees
            if model.week < self.next_support[team]:
                continue
            self.next_support[team] += spec.support_interval_weeks
            members = self.members(model, team)
            dim, _ = largest_gap(model.team_norm[team], self.profile[team])
            shift = support_shift(model.values[members], dim, self.profile[team, dim],
                                  spec.support_dose, spec.support_transfer)
            self.learned.learn(model, members, shift)
            model.book_cost("coaching", spec.coaching_hours * model.config.costs.coaching_hour_eur)

    def diffuse(self, model: MergerModel) -> None:
        """Members talk their team's work over with colleagues, who may move toward them."""
        spec = model.config.teams
        members = self.live_members(model)
        if members.size == 0 or spec.diffusion_contacts == 0:
            return
        callers = np.repeat(members, spec.diffusion_contacts)
        first, second, _ = sample_neighbours(model.contacts(), callers, model.streams["teams"])
        outside = model.team[second] != model.team[first]
        openness = model.effective_openness()
        openness[members] = 0.0  # members carry the culture; they are not moved here
        rate = min(0.5, spec.diffusion_weight * model.config.interaction.convergence_rate)
        model.meet(first[outside], second[outside], rate, openness=openness)


class AssignedTeams(Teams):
    """Business focus only: management assigns people to themed teams at random.

    No self-selection; no value work (sessions keep the everyday confidence bound, where teams
    that examine their values get a wider one); no behaviour support. Sessions, activities,
    pitches and diffusion as in ``teams``; the contract's team terms apply to all members.
    """

    name: ClassVar[str] = "assigned-teams"
    summary: ClassVar[str] = "management assigns themed teams: no self-selection, value work " \
                             "or support"
    self_selection: ClassVar[bool] = False
    value_work: ClassVar[bool] = False
    behaviour_support: ClassVar[bool] = False


class TeamsAndTraining(Combined):
    """The case's teams and broad training at the same time."""

    name: ClassVar[str] = "teams+training"
    summary: ClassVar[str] = "self-selected theme teams and culture training together"
    parts: ClassVar[tuple[type, ...]] = (Teams, Training)
