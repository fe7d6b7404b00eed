"""MergerModel: the merged organisation, its weekly schedule, and its outputs.

``MergerModel.step`` is the ODD's process overview, one week:

1. everyday interaction (bounded confidence, drift, tie reinforcement/decay, triadic closure);
2. the strategy's interventions, then carriers of new values talking with colleagues
   (one diffusion rule for every strategy) and accepted proposals reaching clients;
3. identification (the merger shock and its recovery), psychological contract and engagement;
4. turnover and hiring;
5. business results (client value) and outputs.

State lives in NumPy arrays indexed by slot (a position). Employees are Mesa agents that view
their row. All randomness comes from per-component streams of one seed (:mod:`sim.rng`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import partial
from pathlib import Path
from typing import Any

import mesa
import numpy as np
import pandas as pd

from sim import metrics
from sim.agents import Employee
from sim.calibration import expected_mean_relative_hazard
from sim.decisions import DecisionBook
from sim.kernels import unit_peer_means
from sim.network import Ties, build_network, close_triads, sample_neighbours
from sim.population import Role, build_workforce, draw_openness, vector
from sim.rng import spawn_streams
from sim.roster import TeamRoster
from sim.rules.business import client_value
from sim.rules.contract import (
    fit_score,
    implied_contract,
    implied_engagement,
    receptivity,
    relax,
)
from sim.rules.distance import fit, normalised_distance
from sim.rules.identification import (
    cross_city_belonging,
    dominance_loss,
    implied_identification,
    shocked_identification,
)
from sim.rules.interaction import bounded_confidence_step, drift
from sim.rules.turnover import (
    base_hazard_for,
    select_hires,
    socialisation_factor,
    weekly_exit_probability,
)
from sim.scenario import Scenario, apply_overrides, load_scenario
from sim.strategies import make_strategy
from sim.strategies.diffusion import carriers_talk


def read_observable(name: str, model: MergerModel) -> float:
    """DataCollector reporter body: one named output of the current week.

    Used as ``partial(read_observable, name)``: Mesa calls partials with the model, and a
    partial of a module-level function pickles where a lambda does not.
    """
    return model.observables[name]


class MergerModel(mesa.Model):
    """The merged social service. One step is one week.

    Args:
        config: a Scenario, a scenario file, a preset name, or None for the embedded case.
        strategy: a name from :data:`sim.strategies.STRATEGIES`.
        seed: the run's one seed; every random stream derives from it.
        overrides: dotted-path parameter overrides, validated like the file.
        snapshot_weeks: weeks at which agent snapshots are kept (default: the scenario's, else
            0, the end of the intervention and the final week).

    The pydantic scenario is ``model.config`` (Mesa 3.5 reserves ``model.scenario``).
    """

    def __init__(self, config: Scenario | str | Path | None = None, strategy: str = "none",
                 seed: int = 0, overrides: Mapping[str, Any] | None = None,
                 snapshot_weeks: list[int] | None = None,
                 decisions: DecisionBook | None = None) -> None:
        streams = spawn_streams(int(seed))
        super().__init__(rng=streams["mesa"])
        self.config: Scenario = apply_overrides(load_scenario(config), overrides)
        self.seed = int(seed)
        self.strategy_name = strategy
        self.streams = streams
        #: people's choices in place of the team strategy's rules (a class session, a replay)
        self.decisions = decisions
        self.dimensions: tuple[str, ...] = self.config.dimensions
        self.city_names: list[str] = [c.name for c in self.config.cities]
        self.target = vector(self.config.culture.target, self.dimensions)
        self.week = 0
        self.cost_cum = 0.0
        self.costs: dict[str, float] = {}
        self.hours_cum = 0.0
        self.hours: dict[str, float] = {}
        self.improvements = 0.0
        self.pending_improvements: list[tuple[int, float]] = []
        self.leavers_cum = 0
        self.hires_cum = 0
        self.proposals_accepted = 0
        self.build_workforce()
        self.build_network()
        self.build_agents()
        self.init_teams()
        self.init_identification()
        self.init_contracts()
        self.strategy = make_strategy(strategy)
        self.strategy.setup(self)
        total = self.config.horizon.total_weeks
        default_snaps = {0, self.config.horizon.intervention_weeks, total}
        snaps = snapshot_weeks or self.config.output.snapshot_weeks or sorted(default_snaps)
        self.snapshot_weeks = {int(w) for w in snaps}
        self.snapshots: dict[int, pd.DataFrame] = {}
        self.edge_snapshots: dict[int, pd.DataFrame] = {}
        self.datacollector = mesa.DataCollector(
            model_reporters={name: partial(read_observable, name) for name in metrics.OUTPUTS})
        self.record()

    # ------------------------------------------------------------------ builders

    def build_workforce(self) -> None:
        """Draw the employees of every city into the slot arrays."""
        wf = build_workforce(self.config, self.streams["population"])
        self.city, self.unit, self.role = wf.city, wf.unit, wf.role
        self.unit_city = wf.unit_city
        self.values = wf.values
        self.openness = wf.openness
        self.openness_bonus = np.zeros_like(wf.openness)
        self.tenure = wf.tenure
        n = self.city.size
        self.active = np.ones(n, dtype=bool)
        self.all_slots = np.arange(n, dtype=np.int64)
        self.unit_index = self.unit.astype(np.int64)  # the kernels' index type
        self.slots_by_unit = np.argsort(self.unit, kind="stable")
        self.units_sorted = self.unit[self.slots_by_unit]  # units never change
        self.vacant_since = np.full(n, -1, dtype=np.int64)
        self._workforce = wf

    def build_network(self) -> None:
        """The informal network at the merger."""
        self.ties: Ties = build_network(self.config, self._workforce, self.streams["network"])
        self.week_adjacency = None  # the week's CSR view (contacts), built by interact()
        del self._workforce

    def build_agents(self) -> None:
        """One Employee agent per occupied slot, created in slot order."""
        n = self.city.size
        self.agent_of_slot: list[Employee | None] = [Employee(self, s) for s in range(n)]
        self.uid = np.array([a.unique_id for a in self.agent_of_slot], dtype=np.int64)

    def init_teams(self) -> None:
        """Team state: the roster (its one owner, :mod:`sim.roster`), filled by team
        strategies; the model and everyone else read it."""
        n, dims = self.values.shape
        self.roster = TeamRoster(n, dims, [theme.name for theme in self.config.active_themes])
        # carriers of an intervention talk about it until this week (-1: not a carrier)
        self.carrier_until = np.full(n, -1, dtype=np.int64)
        # a strategy's documented addition to implied engagement (autonomy of a chosen theme)
        self.engagement_boost = np.zeros(n)
        self.initial_headcount = n

    def init_identification(self) -> None:
        """Identification with the organisation: the pre-merger level, then the merger's shock.

        ``merger_loss`` is each slot's dominance loss (1 - its city's share of the merged
        headcount; 0 with the merger switched off and for later hires).
        """
        spec = self.config.merger
        n = self.city.size
        self.pre_identification = spec.pre_identification
        if spec.enabled:
            self.merger_loss = dominance_loss(self.city, len(self.city_names))
        else:
            self.merger_loss = np.zeros(n)
        self.identification = shocked_identification(self.merger_loss, spec)

    def identification_loss(self, slots: np.ndarray | None = None) -> np.ndarray:
        """Pre-merger minus current identification, per slot (or for ``slots``)."""
        ident = self.identification if slots is None else self.identification.take(slots)
        return self.pre_identification - ident

    def init_contracts(self) -> None:
        """Contracts and engagement start at their pre-merger level: what the initial fit
        implies with the pre-merger identification. The merger's shock (already in
        ``identification``) moves them from week 1 on."""
        neutral = self.config.contract.neutral_level
        self.contract = implied_contract(self.fit_scores(), self.config.contract)
        self.engagement = implied_engagement(self.contract, self.engagement_boost,
                                             self.config.engagement, neutral)
        spec = self.config.turnover
        self.base_exit_hazard = base_hazard_for(
            expected_mean_relative_hazard(self, spec.calibration_weeks,
                                          self.streams["calibration"]), spec)

    def expected_contract_path(self, weeks: int) -> Iterator[np.ndarray]:
        """The contracts the workforce is expected to hold at weeks 0..``weeks``.

        Deterministic: identification recovers toward what the merger-time ties imply and the
        contract follows it at its adjustment rate, with every fit as at the merger (culture
        changes slowly; tests/validation checks that it does). Only the exit hazard's
        calibration uses it; with no weeks it is the workforce as it stands.
        """
        yield self.contract
        if weeks == 0:
            return
        merger, contract_spec = self.config.merger, self.config.contract
        fits = self.fit_scores()
        belonging = cross_city_belonging(self.ties.u, self.ties.v, self.ties.weight, self.city,
                                         self.merger_loss)
        ident_goal = implied_identification(self.merger_loss, belonging, merger)
        ident, contract = self.identification.copy(), self.contract.copy()
        for _ in range(weeks):
            ident = relax(ident, ident_goal, merger.recovery_rate)
            goal = implied_contract(fits, contract_spec, self.pre_identification - ident)
            contract = relax(contract, goal, contract_spec.adjustment_rate)
            yield contract

    # ------------------------------------------------------------------ queries

    @property
    def team(self) -> np.ndarray:
        """Each slot's theme team, or -1 (read-only; the roster writes it)."""
        return self.roster.team

    @property
    def team_names(self) -> list[str]:
        """The theme teams' names, in team order."""
        return self.roster.names

    @property
    def team_norm(self) -> np.ndarray:
        """The teams' norms, one row per team (empty when no teams work)."""
        return self.roster.norm

    @property
    def team_terms(self) -> bool:
        """Whether the contract's team terms count (only where teams do value work)."""
        return self.roster.terms

    @property
    def teams_active(self) -> int:
        """Teams working this week."""
        return self.roster.active

    @property
    def in_intervention(self) -> bool:
        """True in the weeks in which the strategy intervenes."""
        return 1 <= self.week <= self.config.horizon.intervention_weeks

    @property
    def total_weeks(self) -> int:
        return self.config.horizon.total_weeks

    def effective_openness(self) -> np.ndarray:
        """Openness with the newcomer bonus, capped at 1."""
        return np.minimum(1.0, self.openness + self.openness_bonus)

    def unit_peer_means(self, slots: np.ndarray | None = None) -> np.ndarray:
        """Each employee's unit colleagues' mean values (self excluded); own values if alone.

        With ``slots``, only those rows (:func:`sim.kernels.unit_peer_means`: the same
        numbers as for everyone).
        """
        rows = self.all_slots if slots is None else np.asarray(slots, dtype=np.int64)
        return unit_peer_means(self.values, self.unit_index, self.active.astype(float),
                               self.unit_city.size, rows)

    def fit_scores(self, slots: np.ndarray | None = None) -> np.ndarray:
        """The weighted fit behind the psychological contract, per slot (or for ``slots``).

        Hiring needs the fit of a few newcomers only: every term is per row, so computing
        it for those rows gives the same numbers as for everyone.
        """
        values, peers, team = self.values, self.unit_peer_means(slots), self.team
        if slots is not None:
            values, team = values.take(slots, axis=0), team.take(slots)
        person_org = fit(values, self.target)
        person_unit = fit(values, peers)
        in_team = (team >= 0) & self.team_terms
        if not self.team_terms:  # the team terms count nowhere: no fit with a team to score
            return fit_score(person_org, person_unit, person_org, person_org, in_team,
                             self.config.contract)
        person_team = np.zeros_like(person_org)
        team_org = np.zeros_like(person_org)
        if in_team.any() and self.team_norm.shape[0]:
            members = np.flatnonzero(in_team)
            norms = self.team_norm.take(team.take(members), axis=0)
            person_team[members] = fit(values.take(members, axis=0), norms)
            team_org[members] = fit(norms, self.target)
        return fit_score(person_org, person_unit, person_team, team_org, in_team,
                         self.config.contract)

    def slot_of(self, uid: int) -> int:
        """The slot of the active employee with this id, or -1 (left, or never employed)."""
        hits = np.flatnonzero((self.uid == uid) & self.active)
        return int(hits[0]) if hits.size else -1

    def receptivity(self) -> np.ndarray:
        """How far organisation-led change moves each employee (1 at a neutral contract)."""
        return receptivity(self.contract, self.config.contract)

    def mark_carriers(self, slots: np.ndarray) -> None:
        """Those in ``slots`` took part in an intervention this week: they carry it for the
        next ``diffusion.carrier_weeks`` weeks."""
        self.carrier_until[slots] = self.week + self.config.diffusion.carrier_weeks

    def contacts(self):
        """The network as it stood when this week began (CSR, for sampling contacts).

        Strategies sample from it during the week; ties formed or dropped later in the week
        count from the next week on.
        """
        if self.week_adjacency is None:
            self.week_adjacency = self.ties.csr()
        return self.week_adjacency

    def network_edges(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The current ties as (slot, slot, weight) arrays."""
        return self.ties.u.copy(), self.ties.v.copy(), self.ties.weight.copy()

    # ------------------------------------------------------------------ the week

    def step(self) -> None:
        """One week, in the order of the ODD's process overview."""
        self.week += 1
        self.interact()
        self.intervene()
        self.update_contracts()
        self.turn_over()
        self.hire()
        self.record()
        if self.week >= self.total_weeks:
            self.running = False

    def interact(self) -> None:
        """Everyday interaction: meetings sampled by tie weight, bounded-confidence influence,
        drift, tie reinforcement and decay, triadic closure."""
        spec = self.config.interaction
        adj = self.week_adjacency = self.ties.csr()
        slots = np.flatnonzero(self.active)
        callers = np.repeat(slots, spec.contacts_per_week)
        first, second, edges = sample_neighbours(adj, callers, self.streams["interaction"])
        self.meet(first, second, spec.convergence_rate)
        self.values = drift(self.values, self.active, spec.noise_sd, self.streams["noise"])
        self.ties.update_weights(edges, self.config.network)
        closure = self.streams["closure"]
        candidates = slots[closure.random(slots.size) < self.config.network.closure_rate]
        a, b = close_triads(adj, candidates, closure)
        alive = self.active[b]
        self.ties.add(a[alive], b[alive], self.config.network.new_tie_weight)
        self.openness_bonus *= socialisation_factor(
            self.config.hiring.socialisation_halflife_weeks)

    def meet(self, first: np.ndarray, second: np.ndarray, rate: float,
             threshold: float | None = None, openness: np.ndarray | None = None) -> None:
        """Apply bounded-confidence influence for the given meetings (used by strategies too).

        ``threshold`` defaults to the everyday confidence threshold, ``openness`` to each
        employee's effective openness (a zero makes that side unmoved).
        """
        if threshold is None:
            threshold = self.config.interaction.confidence_threshold
        if openness is None:
            openness = self.effective_openness()
        self.values = bounded_confidence_step(self.values, first, second, openness, rate,
                                              threshold)

    def intervene(self) -> None:
        """The strategy's interventions of this week; carriers talk; improvements land."""
        self.strategy.week(self)
        carriers_talk(self)
        self.implement_improvements()

    def propose(self, quality: float) -> None:
        """An accepted proposal: its value reaches clients after the implementation delay."""
        due = self.week + self.config.business.implementation_weeks
        self.pending_improvements.append((due, float(quality)))

    def implement_improvements(self) -> None:
        """Accepted proposals whose implementation is done add their value; putting them
        into practice costs working time (``business.implementation_hours`` each)."""
        if not self.pending_improvements:
            return
        done = [q for week, q in self.pending_improvements if week <= self.week]
        self.pending_improvements = [(w, q) for w, q in self.pending_improvements
                                     if w > self.week]
        self.improvements += sum(max(0.0, min(1.0, q)) for q in done)
        if done:
            self.book_time("implementation", len(done) * self.config.business.implementation_hours,
                           self.config.costs.team_hour_eur)

    def update_identification(self) -> None:
        """Identification moves toward what continuity and cross-city ties imply."""
        spec = self.config.merger
        belonging = cross_city_belonging(self.ties.u, self.ties.v, self.ties.weight, self.city,
                                         self.merger_loss)
        goal = implied_identification(self.merger_loss, belonging, spec)
        self.identification = relax(self.identification, goal, spec.recovery_rate)

    def update_contracts(self) -> None:
        """Identification, then the psychological contract toward the level fit and
        identification imply; engagement follows."""
        self.update_identification()
        loss = self.identification_loss()
        goal = implied_contract(self.fit_scores(), self.config.contract, loss)
        self.contract = relax(self.contract, goal, self.config.contract.adjustment_rate)
        self.engagement = relax(self.engagement,
                                implied_engagement(self.contract, self.engagement_boost,
                                                   self.config.engagement,
                                                   self.config.contract.neutral_level, loss),
                                self.config.engagement.adjustment_rate)

    def turn_over(self) -> None:
        """Leavers: exit hazard rises as the contract weakens; their slots become vacant."""
        self.tenure[self.active] += 1
        spec = self.config.turnover
        draws = self.streams["turnover"].random(self.active.size)
        if not spec.enabled:
            return
        newcomer = self.tenure < spec.newcomer_weeks
        prob = weekly_exit_probability(self.contract, newcomer, spec,
                                       self.config.contract.neutral_level, self.base_exit_hazard)
        leavers = np.flatnonzero(self.active & (draws < prob))
        self.vacate(leavers)

    def vacate(self, slots: np.ndarray) -> None:
        """Employees in ``slots`` leave: agents removed, ties dropped, slots vacant."""
        if slots.size == 0:
            return
        self.active[slots] = False
        self.vacant_since[slots] = self.week
        self.roster.release(slots)
        self.carrier_until[slots] = -1
        self.engagement_boost[slots] = 0.0
        self.ties.remove_slots(slots)
        self.strategy.vacate(self, slots)
        for slot in slots.tolist():
            agent = self.agent_of_slot[slot]
            if agent is not None:
                agent.remove()
                self.agent_of_slot[slot] = None
        self.leavers_cum += int(slots.size)

    def hire(self) -> None:
        """Fill vacancies whose delay has passed with the best-fitting candidates."""
        spec = self.config.turnover
        due = np.flatnonzero(~self.active & (self.week - self.vacant_since >= spec.vacancy_weeks))
        if due.size == 0:
            return
        rng = self.streams["hiring"]
        hiring = self.config.hiring
        self.values[due] = select_hires(due.size, hiring.candidates_per_vacancy,
                                        vector(hiring.market_mean, self.dimensions),
                                        hiring.market_spread, self.target, rng)
        self.openness[due] = draw_openness(self.config.interaction.openness_mean,
                                           self.config.interaction.openness_spread, due.size, rng)
        self.openness_bonus[due] = hiring.newcomer_openness_bonus
        self.tenure[due] = 0
        self.active[due] = True
        self.vacant_since[due] = -1
        self.connect_newcomers(due, rng)
        # a hire joins the merged organisation: no dominance loss, the pre-merger level of
        # identification; the contract starts where fit puts it, like everyone's at the merger
        self.merger_loss[due] = 0.0
        self.identification[due] = self.pre_identification
        self.contract[due] = implied_contract(self.fit_scores(due), self.config.contract)
        self.engagement[due] = implied_engagement(self.contract[due], 0.0,
                                                  self.config.engagement,
                                                  self.config.contract.neutral_level)
        for slot in due.tolist():
            agent = Employee(self, slot)
            self.agent_of_slot[slot] = agent
            self.uid[slot] = agent.unique_id
        self.hires_cum += int(due.size)
        self.book_cost("hiring", due.size * self.config.costs.hire_eur)

    def connect_newcomers(self, slots: np.ndarray, rng: np.random.Generator) -> None:
        """Each newcomer forms ties with a few random colleagues of the own unit."""
        k = self.config.network.hire_ties
        if k == 0:
            return
        # colleagues grouped by unit (units never change, so this is computed once): each
        # hire reads its unit's slice instead of scanning the whole workforce
        by_unit = self.slots_by_unit
        bounds = np.searchsorted(self.units_sorted, [self.unit[slots], self.unit[slots] + 1])
        pairs_a, pairs_b = [], []
        for slot, lo, hi in zip(slots.tolist(), bounds[0].tolist(), bounds[1].tolist(),
                                strict=True):  # loops over this week's hires only
            peers = by_unit[lo:hi]
            peers = peers[self.active[peers] & (peers != slot)]
            if peers.size:
                chosen = rng.choice(peers, size=min(k, peers.size), replace=False)
                pairs_a.append(np.full(chosen.size, slot))
                pairs_b.append(chosen)
        if pairs_a:
            self.ties.add(np.concatenate(pairs_a), np.concatenate(pairs_b),
                          self.config.network.new_tie_weight)

    def book_cost(self, category: str, euros: float) -> None:
        """Add a cost to the ledger (costs never decrease)."""
        if euros < 0:
            raise ValueError("costs are never negative")
        self.costs[category] = self.costs.get(category, 0.0) + float(euros)
        self.cost_cum += float(euros)

    def book_time(self, category: str, hours: float, euros_per_hour: float | None = None
                  ) -> None:
        """Add employees' working time spent on an intervention to the time ledger; with a
        rate, also book its wage cost under the same category."""
        if hours < 0:
            raise ValueError("time spent is never negative")
        self.hours[category] = self.hours.get(category, 0.0) + float(hours)
        self.hours_cum += float(hours)
        if euros_per_hour is not None:
            self.book_cost(category, hours * euros_per_hour)

    # ------------------------------------------------------------------ outputs

    def compute_observables(self) -> dict[str, float]:
        """All model-level outputs of the current week.

        The active employees' slots and value rows are gathered once and shared by the
        outputs that read them (each output's own arithmetic is that of :mod:`sim.metrics`).
        """
        act = self.active
        slots = np.flatnonzero(act)
        rows = self.values.take(slots, axis=0)
        n_cities = len(self.city_names)
        to_target = normalised_distance(rows, self.target)
        # the front line: staff, not managers (clients meet the staff)
        frontline = metrics.mean_or_zero(to_target[self.role.take(slots) == Role.STAFF])
        engagement = metrics.active_mean(self.engagement, act, slots)
        between = metrics.city_tie_weights(self.ties, self.city, n_cities)
        teams = metrics.team_city_counts(self.team, self.city, act, n_cities)
        return {
            "distance_to_target": metrics.mean_or_zero(to_target),
            "culture_spread": metrics.spread_of(rows),
            "city_divergence": metrics.city_divergence(self.values, act, self.city, n_cities),
            "cross_city_ties": metrics.cross_city_ties(self.ties, self.city, n_cities, between),
            "city_modularity": metrics.city_modularity(self.ties, self.city, n_cities, between),
            "contract_strength": metrics.active_mean(self.contract, act, slots),
            "identification": metrics.active_mean(self.identification, act, slots),
            "engagement": engagement,
            "headcount": int(slots.size),
            "leavers_cum": self.leavers_cum,
            "cost_cum": self.cost_cum,
            "teams_active": self.teams_active,
            "proposals_accepted": self.proposals_accepted,
            "client_value": client_value(engagement, frontline, self.improvements,
                                         self.config.business),
            "hours_per_employee": self.hours_cum / max(self.initial_headcount, 1),
            "team_cross_city_share": metrics.team_cross_city_share(
                self.team, self.city, act, n_cities, teams),
            "cities_per_team": metrics.cities_per_team(self.team, self.city, act, n_cities,
                                                       teams),
        }

    def frontline_distance(self) -> float:
        """Mean distance to the stated culture of the front line (staff, not managers)."""
        return metrics.distance_to_target(self.values, self.active & (self.role == Role.STAFF),
                                          self.target)

    def record(self) -> None:
        """Collect this week's outputs, and an agent snapshot at snapshot weeks."""
        self.observables = self.compute_observables()
        self.datacollector.collect(self)
        if self.week in self.snapshot_weeks:
            self.snapshots[self.week] = self.agent_table()
            self.edge_snapshots[self.week] = self.edge_table()

    def timeseries(self) -> pd.DataFrame:
        """The weekly outputs so far: one row per week, week 0 the initial state."""
        frame = pd.DataFrame(self.datacollector.model_vars, columns=list(metrics.OUTPUTS))
        frame.insert(0, "week", np.arange(len(frame), dtype=np.int64))
        return frame

    def agent_table(self) -> pd.DataFrame:
        """A snapshot of the active employees (one row each) at the current week."""
        act = np.flatnonzero(self.active)
        degree = self.ties.degree()
        roles = np.array(["staff", "team_lead", "manager"])
        table = {
            "week": np.full(act.size, self.week, dtype=np.int64),
            "unique_id": self.uid[act],
            "slot": act.astype(np.int64),
            "city": np.array(self.city_names, dtype=object)[self.city[act]],
            "unit": self.unit[act].astype(np.int64),
            "role": roles[self.role[act]],
            "team": self.team[act],
            "tenure": self.tenure[act],
            "contract": self.contract[act],
            "identification": self.identification[act],
            "openness": self.effective_openness()[act],
            "engagement": self.engagement[act],
            "degree": degree[act].astype(np.int64),
        }
        for d, name in enumerate(self.dimensions):
            table[f"value_{name}"] = self.values[act, d]
        return pd.DataFrame(table)

    def edge_table(self) -> pd.DataFrame:
        """The informal network at the current week, by unique_id."""
        return pd.DataFrame({"source": self.uid[self.ties.u], "target": self.uid[self.ties.v],
                             "weight": self.ties.weight})
