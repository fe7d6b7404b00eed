"""The case's own strategy: sponsor-led business themes with self-selected teams.

What happened in the case (../shared/seed), and what each component does here. Every component
is a switch in ``[teams]`` (so any combination can be run), and every component that changes
anyone books the time and money it takes:

1. Management names the business themes (the scenario's ``themes``, or the first
   ``teams.theme_count`` of them); each gets a **sponsor** (a manager: the most central by tie
   strength, or one at random).
2. The sponsor goes **hunting** for supporters "from across the organisation": an **open
   call** that employees anywhere consider, and invitations along informal ties from the
   sponsor, then from each supporter. An invited employee **self-selects** by fit with the
   theme and the sponsor, openness, the share of contacts already in, and workload
   (:func:`sim.rules.teams.join_probability`). One team per person; teams stop at a maximum
   size; after the window teams below the minimum size dissolve. With ``self_selection`` off,
   management assigns members instead (``assigned-teams``), which reads as imposed change.
3. **Weekly sessions**: members work with team colleagues (bounded-confidence influence; the
   number of working contacts follows the session hours), and the joint work creates and
   strengthens ties, many across cities. Members who chose their theme gain engagement from
   the autonomy of chosen work, while the team works.
4. **Value work**: teams examine personal, team and organisational values; the psychological
   contract's team terms count for their members, and members move toward the norm they agree
   on, between the team's own and the organisation's stated values.
5. **External activities** (trips, benchmarking, client interviews) pull members toward what
   their theme needs and count as work behind the proposal.
6. A **pitch** to central management: quality from the work done (session hours, activities)
   and its ingredients (fit with the theme, cross-city diversity, cohesion); a team without
   work has nothing to pitch. Accepted proposals bring recognition and, once implemented,
   client value; rejected ones a small breach, and the team reworks and pitches again.
7. **Behaviour support**: the team discovers its largest gap between practice and need, and
   coaching (coach and coachee hours; effect from the coachee hours) closes part of it on that
   dimension. Coached shifts fade like training (:mod:`sim.strategies.fading`).

Organisation-led change (sessions, value work, activities, coaching) is scaled by each
member's receptivity, which the psychological contract sets. Members who took part carry the
work to colleagues by the diffusion rule every strategy shares (:mod:`sim.strategies.diffusion`).
"""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from sim.decisions import PITCH_HOLD, PITCH_INTERVIEWS
from sim.network import sample_neighbours
from sim.population import Role, vector
from sim.rules.distance import fit, group_means
from sim.rules.dose import dose_factor
from sim.rules.teams import (
    agreed_norm,
    city_diversity,
    cohesion,
    join_probability,
    largest_gap,
    pitch_quality,
    support_shift,
    work_done,
)
from sim.strategies.base import Combined
from sim.strategies.fading import FadingShifts
from sim.strategies.training import Training

if TYPE_CHECKING:
    from sim.model import MergerModel


class Status(IntEnum):
    """Life stage of a theme team."""

    FORMING = 0
    ACTIVE = 1
    DISSOLVED = 2


class Teams:
    """Sponsor-led themes, self-selected teams, sessions, value work, pitches and support."""

    name: ClassVar[str] = "teams"
    summary: ClassVar[str] = ("the case: sponsors recruit self-selected theme teams that pitch, "
                              "work weekly, and get behaviour support")
    #: management assigns members whatever ``teams.self_selection`` says (assigned-teams)
    assigns_members: ClassVar[bool] = False

    # ------------------------------------------------------------------ set-up

    def setup(self, model: MergerModel) -> None:
        spec = model.config.teams
        n, dims = model.values.shape
        themes = model.config.active_themes  # the first teams.theme_count themes
        self.self_selection = spec.self_selection and not self.assigns_members
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
        self.session_hours_done = np.zeros(self.n_teams)  # session hours per member, summed
        self.activities_done = np.zeros(self.n_teams, dtype=np.int64)
        self.chose = np.zeros(n, dtype=bool)  # members who chose their team themselves
        rng = model.streams["teams"]
        lead = np.isin(model.role, (Role.MANAGER, Role.TEAM_LEAD))
        self.workload = np.clip(rng.normal(spec.workload_mean, spec.workload_spread, n)
                                + spec.lead_extra_workload * lead, 0.0, 1.0)
        self.learned = FadingShifts(n, dims, model.config.training)
        self.invitations: list[np.ndarray] = []  # rows: week, invitee, team, theme fit, joined
        self.quality_log: list[tuple[int, int, float, bool]] = []
        self.peak_teams = 0

    def vacate(self, model: MergerModel, slots: np.ndarray) -> None:
        """A leaver's coached learning leaves with them (the model's roster releases them
        from their team).

        A sponsor who leaves is succeeded by the team's most central remaining member; a team
        left empty keeps no sponsor.
        """
        self.learned.forget(slots)
        self.chose[slots] = False
        strength = None
        gone = np.zeros(model.active.size + 1, dtype=bool)  # index -1 (no sponsor): the spare
        gone[slots] = True
        for team in np.flatnonzero(gone.take(self.sponsor)):  # rare: sponsors leaving
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
        model.engagement_boost[:] = 0.0
        if model.week > spec.recruitment_weeks:
            if spec.sessions:
                self.work_sessions(model)
            if spec.value_work:
                self.value_work(model)
            if spec.external_activities:
                self.external_activities(model)
            if spec.pitch:
                self.pitch(model)
            if spec.behaviour_support:
                self.support(model)
            self.update_norms(model)
        live = self.live_teams()
        model.roster.set_active(live.size)
        self.peak_teams = max(self.peak_teams, model.teams_active)
    # ------------------------------------------------------------------ queries

    def sizes(self, model: MergerModel) -> np.ndarray:
        """Members per team."""
        return model.roster.sizes(self.n_teams)

    def live_teams(self) -> np.ndarray:
        """Teams not dissolved: forming ones count once they are working."""
        return np.flatnonzero(self.status == Status.ACTIVE)

    def members(self, model: MergerModel, team: int) -> np.ndarray:
        """Slots of the team's members."""
        return model.roster.members(team)

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
        model.roster.join(chosen, np.arange(chosen.size))

    def assign_members(self, model: MergerModel) -> None:
        """Management assigns members at random: each team filled to ``assigned_size`` (by
        default the size self-selected teams reach in the case, so that assignment differs
        from self-selection in who joins, not in how many). Being assigned to a team one did
        not choose reads as imposed change (a small breach)."""
        spec = model.config.teams
        size = min(max(spec.assigned_size, spec.min_size), spec.max_size)
        free = np.flatnonzero(model.active & (model.team < 0))
        chosen = model.streams["teams"].permutation(free)[:size * self.n_teams - self.n_teams]
        teams = np.repeat(np.arange(self.n_teams), size - 1)[:chosen.size]
        model.roster.join(chosen, teams)
        model.contract[chosen] = np.clip(model.contract[chosen] - spec.assigned_breach, 0.0, 1.0)

    def recruit(self, model: MergerModel) -> None:
        """One week of the hunt: each sponsor's open call across the organisation, and
        invitations along ties from sponsors and supporters. Everyone reached decides by the
        same choice rule."""
        spec = model.config.teams
        rng = model.streams["teams"]
        sizes = self.sizes(model)
        open_team = (self.status != Status.DISSOLVED) & (sizes < spec.max_size)
        in_open = (model.team >= 0) & open_team[np.maximum(model.team, 0)]
        members = np.flatnonzero(in_open)
        is_sponsor = np.isin(members, self.sponsor)
        inviters = np.concatenate([np.repeat(members[is_sponsor], spec.sponsor_invitations),
                                   np.repeat(members[~is_sponsor], spec.member_invitations)])
        adj = model.contacts()
        src, invitee, _ = sample_neighbours(adj, inviters, rng)
        book = model.decisions
        if book is not None:
            allowance = np.where(is_sponsor, spec.sponsor_invitations, spec.member_invitations)
            src, invitee = book.invitations(model, src, invitee,
                                            dict(zip(members.tolist(), allowance.tolist(),
                                                     strict=True)))
        team = model.team[src]
        if spec.open_call and spec.open_call_reach > 0:
            calling = np.flatnonzero((self.sponsor >= 0) & open_team)
            everyone = np.flatnonzero(model.active)
            reached = everyone[rng.integers(0, everyone.size,
                                            size=calling.size * spec.open_call_reach)]
            called = np.repeat(calling, spec.open_call_reach)
            if book is not None:  # a played sponsor may make no call (drawn all the same)
                made = np.repeat(book.open_calls(model, calling), spec.open_call_reach)
                reached, called = reached[made], called[made]
            invitee = np.concatenate([invitee, reached])
            team = np.concatenate([team, called])
        free = (model.active[invitee] & (model.team[invitee] < 0)
                & (self.sponsor[team] >= 0))
        invitee, team = invitee[free], team[free]
        pair_key, first = np.unique(invitee * self.n_teams + team, return_index=True)
        invitee, team = invitee[first], team[first]
        if invitee.size == 0:
            return
        model.book_time("recruitment", invitee.size * spec.invitation_hours,
                        model.config.costs.team_hour_eur)
        theme_fit = fit(model.values[invitee], self.profile[team])
        sponsor_fit = fit(model.values[invitee], model.values[self.sponsor[team]])
        social = self.contact_share(model, adj, invitee, team)
        prob = join_probability(theme_fit, sponsor_fit, model.effective_openness()[invitee],
                                social, self.workload[invitee], spec,
                                model.config.contract.reference_fit)
        accept = rng.random(invitee.size) < prob
        if book is not None:
            accept = book.responses(model, invitee, team, accept)
        joined = self.admit(invitee[accept], team[accept], prob[accept],
                            spec.max_size - sizes, rng)
        model.roster.join(joined[0], joined[1])
        self.chose[joined[0]] = True
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
            model.roster.dissolve(np.flatnonzero(small))
            self.status[small] = Status.DISSOLVED
        self.status[alive & ~small] = Status.ACTIVE

    def disband(self, model: MergerModel) -> None:
        """The intervention ends: teams stop meeting; their ties remain and may decay."""
        model.roster.disband()
        self.chose[:] = False
        self.status[self.status == Status.ACTIVE] = Status.DISSOLVED
        model.engagement_boost[:] = 0.0

    def update_norms(self, model: MergerModel) -> None:
        """Team norm = members' mean values (the contract's team values)."""
        members = np.flatnonzero(model.team >= 0)
        if members.size == 0:
            model.roster.set_norms(np.zeros((self.n_teams, model.values.shape[1])))
            return
        # the members' rows alone, in slot order: the same sums as over everyone with
        # weight 0 for non-members
        norms, _ = group_means(model.values.take(members, axis=0), model.team.take(members),
                               np.ones(members.size), self.n_teams)
        model.roster.set_norms(norms)

    # ------------------------------------------------------------------ team life

    def live_members(self, model: MergerModel) -> np.ndarray:
        """Slots of members of working teams."""
        live = np.zeros(self.n_teams + 1, dtype=bool)
        live[self.live_teams()] = True
        return np.flatnonzero(live[np.where(model.team >= 0, model.team, self.n_teams)])

    def work_sessions(self, model: MergerModel) -> None:
        """Weekly sessions: members work with team colleagues (one working contact per
        ``1 / session_meetings_per_hour`` hours), influence each other by their receptivity,
        and tie up; the hours are booked and count as work behind the proposal. Members who
        chose their theme gain the engagement of autonomous work."""
        spec = model.config.teams
        members = self.live_members(model)
        if members.size == 0 or spec.session_hours == 0:
            return  # no hours, no session: no contacts, no autonomy, no carriers
        rng = model.streams["teams"]
        team = model.team[members]
        order = np.argsort(team, kind="stable")
        members, team = members[order], team[order]
        sizes = np.bincount(team, minlength=self.n_teams)
        starts = np.cumsum(sizes) - sizes
        contacts = spec.session_hours * spec.session_meetings_per_hour
        # whole contacts for everyone, one more with the fractional part's probability
        count = int(contacts) + (rng.random(members.size) < contacts - int(contacts))
        first = np.repeat(members, count)
        their_team = np.repeat(team, count)
        pick = starts[their_team] + (rng.random(first.size) * sizes[their_team]).astype(np.int64)
        second = members[pick]
        keep = first != second
        first, second = first[keep], second[keep]
        openness = model.effective_openness() * model.receptivity()
        model.meet(first, second, spec.session_convergence_rate, openness=openness)
        model.ties.strengthen(first, second, model.config.network)
        self.session_hours_done[np.flatnonzero(sizes)] += spec.session_hours  # teams that met
        model.mark_carriers(members)
        model.engagement_boost[members[self.chose[members]]] = spec.autonomy_engagement
        model.book_time("team_sessions", members.size * spec.session_hours,
                        model.config.costs.team_hour_eur)

    def value_work(self, model: MergerModel) -> None:
        """Members examine personal, team and organisational values: the contract's team
        terms count for them, and each moves toward the norm the team agrees on."""
        spec = model.config.teams
        members = self.live_members(model)
        if members.size == 0 or spec.value_work_hours == 0:
            return  # no hours, no value work: the three fits stay invisible
        model.roster.count_team_terms()
        agreed = agreed_norm(model.team_norm.take(model.team[members], axis=0), model.target,
                             spec.value_work_target_weight)
        rate = np.minimum(1.0, spec.value_work_rate * spec.value_work_hours
                          * model.receptivity()[members])
        step = rate[:, None] * (agreed - model.values[members])
        # what value work moves is learned, and fades like every learned shift (training,
        # activities, coaching): the same rule for every strategy (docs/ODD.md section 9)
        self.learned.learn(model, members, step)
        model.mark_carriers(members)
        model.book_time("value_work", members.size * spec.value_work_hours,
                        model.config.costs.team_hour_eur)

    def external_activities(self, model: MergerModel) -> None:
        """Trips, benchmarking, client interviews: members move toward the theme's needs."""
        spec = model.config.teams
        costs = model.config.costs
        if costs.activity_days == 0:
            return  # an activity of no time is no activity
        for team in self.live_teams():  # loops over teams (nine), not employees
            if model.week < self.next_activity[team]:
                continue
            self.next_activity[team] += spec.activity_interval_weeks
            self.activity(model, team)

    def activity(self, model: MergerModel, team: int) -> None:
        """One external activity of a team: members move toward the theme's needs; it
        counts as work behind the proposal, and its days and money are booked."""
        spec = model.config.teams
        costs = model.config.costs
        members = self.members(model, team)
        shift = spec.activity_pull * (self.profile[team] - model.values[members])
        self.learned.learn(model, members, shift * model.receptivity()[members, None])
        self.activities_done[team] += 1
        model.mark_carriers(members)
        model.book_cost("activities", members.size * costs.activity_eur)
        model.book_time("activities", members.size * costs.activity_days
                        * costs.hours_per_day, costs.team_hour_eur)

    def pitch(self, model: MergerModel) -> None:
        """Teams due to pitch, with work behind their proposal, present it."""
        spec = model.config.teams
        due = [t for t in self.live_teams()
               if not self.accepted[t] and model.week >= self.next_pitch[t]]
        work = {t: work_done(self.session_hours_done[t], int(self.activities_done[t]), spec)
                for t in due}
        due = [t for t in due if work[t] > 0]  # nothing worked out, nothing to pitch
        if not due:
            return
        tie_density = self.internal_tie_density(model)
        noise = model.streams["pitch"].normal(0.0, spec.pitch_noise_sd, size=len(due))
        for team, eps in zip(due, noise, strict=True):
            norm = model.team_norm[team]
            if model.decisions is not None:  # a played team may prepare its pitch otherwise
                plan = model.decisions.pitch(model, int(team))
                if plan == PITCH_HOLD:
                    self.next_pitch[team] = model.week + 1
                    continue
                if plan == PITCH_INTERVIEWS and model.config.costs.activity_days > 0:
                    self.activity(model, team)
                    work[team] = work_done(self.session_hours_done[team],
                                           int(self.activities_done[team]), spec)
                    # what the interviews taught the members goes into this proposal: its
                    # alignment is judged on the members' values after them (the norm's rule)
                    norm = model.values[self.members(model, team)].mean(axis=0)
            members = self.members(model, team)
            alignment = float(fit(norm, self.profile[team]))
            quality = pitch_quality(
                work[team], alignment, city_diversity(model.city[members], len(model.city_names)),
                cohesion(model.values[members], tie_density[team], spec), spec, float(eps))
            accepted = quality >= spec.pitch_threshold
            if model.decisions is not None:
                accepted = model.decisions.verdict(model, int(team), bool(accepted), quality)
            self.pitches[team] += 1
            model.book_time("pitches", members.size * spec.pitch_hours,
                            model.config.costs.team_hour_eur)
            self.quality_log.append((model.week, int(team), quality, bool(accepted)))
            if accepted:
                self.accepted[team] = True
                model.proposals_accepted += 1
                model.propose(quality)
                model.contract[members] = np.clip(model.contract[members] + spec.recognition,
                                                  0.0, 1.0)
            else:
                self.next_pitch[team] = model.week + spec.rework_weeks
                model.contract[members] = np.clip(
                    model.contract[members] - spec.rejection_breach, 0.0, 1.0)

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
        costs = model.config.costs
        dose = spec.support_dose * dose_factor(spec.coachee_hours, spec.coachee_reference_hours,
                                               spec.coachee_hours_half_effect)
        if dose == 0 or spec.support_transfer == 0:
            return  # no coachee time or no transfer: no coaching happens
        for team in self.live_teams():  # loops over teams, not employees
            if model.week < self.next_support[team]:
                continue
            self.next_support[team] += spec.support_interval_weeks
            members = self.members(model, team)
            dim, _ = largest_gap(model.team_norm[team], self.profile[team])
            if model.decisions is not None:
                dim = model.decisions.gap(model, int(team), int(dim))
            shift = support_shift(model.values[members], dim, self.profile[team, dim],
                                  min(1.0, dose), spec.support_transfer)
            taken = np.minimum(1.0, spec.support_transfer * model.receptivity()[members])
            self.learned.learn(model, members, shift * (taken / spec.support_transfer)[:, None])
            model.mark_carriers(members)
            model.book_cost("coaching", spec.coaching_hours * costs.coaching_hour_eur)
            model.book_time("coaching", members.size * spec.coachee_hours, costs.team_hour_eur)


class AssignedTeams(Teams):
    """The case's teams with one factor changed: management assigns members at random.

    No self-selection (and so no autonomy of a chosen theme, and a small breach for being
    assigned); every other component as in ``teams``, switched by the same ``[teams]`` keys.
    """

    name: ClassVar[str] = "assigned-teams"
    summary: ClassVar[str] = "the case's teams, but management assigns the members"
    assigns_members: ClassVar[bool] = True


class TeamsAndTraining(Combined):
    """The case's teams and broad training at the same time."""

    name: ClassVar[str] = "teams+training"
    summary: ClassVar[str] = "self-selected theme teams and culture training together"
    parts: ClassVar[tuple[type, ...]] = (Teams, Training)
