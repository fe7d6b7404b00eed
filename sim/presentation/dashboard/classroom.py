"""The model that the dashboard's SolaraViz drives: one or two merger models in lockstep.

Why a wrapper model: SolaraViz steps and rebuilds exactly one ``mesa.Model``, and rebuilds it
on Reset with keyword arguments only (``type(model)(**params)``). The classroom needs two
strategies on the same organisation stepping together, and the expensive pictures' geometry
(network layout, value-space projection) fixed once per model. :class:`Classroom` is that one
model: its keyword arguments are the controls (preset, strategies, seed, and the classroom
sliders under their dotted schema names), and its ``step`` advances every wrapped
:class:`~sim.model.MergerModel` by one week.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Final

import mesa
import networkx as nx
import numpy as np
import pandas as pd

from sim.model import MergerModel
from sim.presentation.dashboard.checks import Rejection, check_settings
from sim.presentation.dashboard.params import SIDE_BY_SIDE_OFF
from sim.presentation.dashboard.policy import Policy, current_policy
from sim.presentation.dashboard.presets import (  # noqa: F401  (re-exported for the page and the tests)
    BUILTIN_CASE,
    available_presets,
    default_preset,
    load_preset,
)
from sim.presentation.plots.valuespace import pca_basis
from sim.scenario import Scenario
from sim.strategies import STRATEGIES

SPRING_LAYOUT_MAX_NODES: Final[int] = 600
"""Cities larger than this get a spiral layout: a spring layout grows with n squared."""

SPRING_ITERATIONS: Final[int] = 40
"""Spring-layout iterations per city: enough for units to show as clumps, and fast."""


def default_strategies() -> tuple[str, str]:
    """(first, second) strategy a session starts with: the first registered, then training."""
    names = list(STRATEGIES)
    return names[0], ("training" if "training" in names else names[-1])


@dataclass(frozen=True)
class Settings:
    """What a Classroom was built with: the controls' values that a Reset applied."""

    preset: str
    strategy: str
    strategy_b: str = SIDE_BY_SIDE_OFF
    seed: int = 0
    overrides: dict[str, Any] = field(default_factory=dict)

    @property
    def side_by_side(self) -> bool:
        """True when a second strategy runs next to the first."""
        return self.strategy_b != SIDE_BY_SIDE_OFF

    def strategies(self) -> list[str]:
        """The strategies to run: one, or two side by side."""
        return [self.strategy, self.strategy_b] if self.side_by_side else [self.strategy]

    def arguments(self) -> dict[str, Any]:
        """The Classroom keyword arguments that rebuild exactly this run (the preset's own
        defaults are not repeated; ``defaults_from`` says which preset the sliders showed)."""
        return {"preset": self.preset, "strategy": self.strategy,
                "strategy_b": self.strategy_b, "seed": self.seed,
                "defaults_from": self.preset, **self.overrides}


QUARTER_WEEKS: Final[int] = 13
"""The event log sums leavers per quarter (a weekly line per leaver would drown the rest)."""


@dataclass(frozen=True)
class Event:
    """One line of the event log: the week, a label key and its fields (shown in the
    session's language when drawn)."""

    week: int
    key: str
    fields: dict[str, Any]


class Simulation:
    """One merger model and its picture geometry (computed once, then kept for its life)."""

    def __init__(self, scenario: Scenario, strategy: str, seed: int,
                 overrides: dict[str, Any]) -> None:
        self.strategy = strategy
        self.model = MergerModel(scenario, strategy=strategy, seed=seed, overrides=overrides)
        # The picture's layout belongs to the organisation at the merger: keep week 0's ties
        # and cities (a cheap copy) and lay them out when the network is first shown.
        self._week0 = (self.model.network_edges(), self.model.city.copy())
        self._layout: np.ndarray | None = None
        self._projection: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._value_limits: tuple[float, float, float, float] | None = None
        self.teams_formed: set[int] = set()
        self.events: list[Event] = []
        self._working: dict[int, int] = {}
        self._accepted = 0
        self._leavers = 0

    def step(self) -> None:
        """One week of the wrapped model, then note which teams are working and what
        happened (for the event log)."""
        self.model.step()
        self.note_teams()
        self.note_events()

    def note_events(self) -> None:
        """Add this week's events: teams that started or stopped working, proposals
        accepted, the end of the intervention, and each quarter's leavers.

        Why observed here: the event log is a teaching view of the run; reading the model's
        state after each week keeps the model free of display concerns.
        """
        model = self.model
        week = int(model.week)
        working: dict[int, int] = {}
        if model.teams_active > 0:
            ids, counts = np.unique(model.team[model.team >= 0], return_counts=True)
            working = {int(i): int(n) for i, n in zip(ids, counts, strict=True)}
        names = list(model.team_names)
        for team, size in working.items():
            if team not in self._working:
                members = np.flatnonzero(model.team == team)
                cities = sorted({model.city_names[int(c)] for c in model.city[members]})
                self.events.append(Event(week, "event_team_formed", {
                    "team": names[team] if team < len(names) else str(team + 1),
                    "size": size, "cities": len(cities), "names": ", ".join(cities)}))
        for team in self._working:
            if team not in working:
                self.events.append(Event(week, "event_team_stopped", {
                    "team": names[team] if team < len(names) else str(team + 1)}))
        self._working = working
        latest = model.datacollector.model_vars  # this week's outputs, without a table
        frame_row = {name: latest[name][-1] for name in ("proposals_accepted", "leavers_cum",
                                                         "headcount")}
        accepted = int(frame_row["proposals_accepted"])
        if accepted > self._accepted:
            self.events.append(Event(week, "event_proposals", {
                "n": accepted - self._accepted, "total": accepted}))
        self._accepted = accepted
        if week == model.config.horizon.intervention_weeks:
            self.events.append(Event(week, "event_intervention_end", {}))
        if week % QUARTER_WEEKS == 0:
            leavers = int(frame_row["leavers_cum"])
            self.events.append(Event(week, "event_quarter", {
                "left": leavers - self._leavers, "headcount": int(frame_row["headcount"])}))
            self._leavers = leavers

    def note_teams(self) -> None:
        """Remember every team that has worked so far.

        Why here: the model reports the teams *active* this week (0 once the intervention
        ends and the teams disband); a class also asks how many teams *formed* in all. A
        team counts once it works (the model counts it active), by its index.
        """
        if self.model.teams_active > 0:
            members = self.model.team[self.model.team >= 0]
            self.teams_formed.update(int(x) for x in np.unique(members))

    @property
    def layout(self) -> np.ndarray:
        """Node positions per slot (slots x 2), computed once, from the week-0 network
        whenever it is first needed (a layout of a later week would squeeze a city around
        the vacant slots of its leavers)."""
        if self._layout is None:
            edges, city = self._week0
            self._layout = network_layout(edges, city, len(self.model.city_names),
                                          int(self.model.seed))
        return self._layout

    @property
    def projection(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(mean, components, variance share) of the PCA fitted on the week-0 values."""
        if self._projection is None:
            values = self.model.values[self.model.active]
            self._projection = pca_basis(values, k=2)
        return self._projection

    @property
    def value_limits(self) -> tuple[float, float, float, float]:
        """(xmin, xmax, ymin, ymax) of the value-space picture, fixed at week 0 so that
        movement on screen is movement in value space; the target is always inside."""
        if self._value_limits is None:
            points = np.vstack([self.project(self.model.values[self.model.active]),
                                self.project(self.model.target[None, :])])
            lo, hi = points.min(axis=0), points.max(axis=0)
            pad = 0.15 * np.maximum(hi - lo, 1e-3)
            self._value_limits = (float(lo[0] - pad[0]), float(hi[0] + pad[0]),
                                  float(lo[1] - pad[1]), float(hi[1] + pad[1]))
        return self._value_limits

    def project(self, values: np.ndarray) -> np.ndarray:
        """Value vectors (rows) projected onto the fixed 2-D basis."""
        mean, comps, _ = self.projection
        return (values - mean) @ comps.T


class Classroom(mesa.Model):
    """One merger model, or two on the same organisation and seed, stepped week by week.

    Every argument is a keyword with a default, because SolaraViz's Reset rebuilds the model
    from the controls' values alone.

    Args:
        preset: scenario preset name (a file in ``scenarios/``, or ``case``).
        strategy: the strategy of the first (or only) model, a key of ``STRATEGIES``.
        strategy_b: the strategy run side by side, or ``"off"`` for one model.
        seed: the run's seed; side-by-side models share it (common random numbers).
        defaults_from: the preset whose defaults the sliders showed; a slider value equal to
            that default is not an override, so switching preset does not carry the old
            preset's values over. Empty means ``preset``.
        scenario: Mesa's own scenario object, which SolaraViz adds on Reset; ignored, since the
            merger's scenario is the preset (Mesa reserves ``model.scenario``).
        policy: the server's limits (which presets are offered); the current one if None.
        **overrides: classroom parameters under their dotted schema paths, for example
            ``**{"teams.sponsor_invitations": 4}``.

    Every value is checked against what the page offers
    (:func:`~sim.presentation.dashboard.checks.check_settings`): a value a browser forged (a path
    for the preset, a number beyond its slider, an unknown strategy) is not used; its control takes
    its default and :attr:`rejections` says what was refused, for the page to show.
    """

    def __init__(self, *, preset: Any = "", strategy: Any = "",
                 strategy_b: Any = SIDE_BY_SIDE_OFF, seed: Any = 0, defaults_from: Any = "",
                 scenario: object = None, policy: Policy | None = None,
                 **overrides: Any) -> None:
        del scenario  # see Args: not the merger's scenario
        checked = check_settings({"preset": preset, "strategy": strategy,
                                  "strategy_b": strategy_b, "seed": seed,
                                  "defaults_from": defaults_from, **overrides},
                                 policy or current_policy())
        super().__init__(rng=checked.seed)
        self.rejections: tuple[Rejection, ...] = checked.rejections
        self.config = load_preset(checked.preset, policy)
        self.settings = Settings(preset=checked.preset, strategy=checked.strategy,
                                 strategy_b=checked.strategy_b, seed=checked.seed,
                                 overrides=checked.overrides)
        self.simulations = [Simulation(self.config, name, checked.seed, checked.overrides)
                            for name in self.settings.strategies()]
        for sim in self.simulations:  # the value-space picture's axes belong to week 0
            sim.value_limits  # noqa: B018
        self.running = True
        self._frames: tuple[int, list[pd.DataFrame]] | None = None
        self.lock = threading.RLock()
        """Held while the models step and while their weekly outputs are read: SolaraViz
        plays in a thread of its own, and a click (pause, a tab) redraws the page from the
        session's thread meanwhile; without it the redraw could read a week half collected
        (one output a week longer than the others) and fail."""

    @property
    def week(self) -> int:
        """The current week (every wrapped model shares it)."""
        return int(self.simulations[0].model.week)

    @property
    def side_by_side(self) -> bool:
        """True when two strategies run next to each other."""
        return len(self.simulations) > 1

    def frames(self) -> list[pd.DataFrame]:
        """Each wrapped model's weekly outputs so far, built once per week for all plots."""
        with self.lock:
            if self._frames is None or self._frames[0] != self.week:
                self._frames = (self.week,
                                [sim.model.timeseries() for sim in self.simulations])
            return self._frames[1]

    def step(self) -> None:
        """One week for every wrapped model, in lockstep; stops at the end of the horizon."""
        if not self.running:
            return
        for sim in self.simulations:
            sim.step()
        self.running = all(sim.model.running for sim in self.simulations)

    def _wrapped_step(self) -> None:
        """Mesa's step, which also advances ``time`` (shown as the week under the
        controls): once the run is over it does nothing, so a Step of 13 weeks near the end
        stops exactly at the horizon instead of counting weeks past it."""
        with self.lock:
            if self.running:
                super()._wrapped_step()


def session_classroom() -> type[Classroom]:
    """A Classroom class of its own for one browser session, which completes every Reset.

    Why: SolaraViz's Reset passes the values its parameter state holds, and that state is
    only complete until SolaraViz is mounted afresh (a new preset, or side by side switched
    on or off: the sliders change). After that remount its state starts empty and collects
    only the controls touched since, so a later Reset would silently drop the scenario, the
    second strategy and the seed (the controls still *show* them). Whatever the controls do
    not pass, they show unchanged from the run on screen; so the session's class fills
    every missing value from that run. Reset builds ``type(model)(**values)``, which is this
    class again, so the run on screen is always known to it.
    """
    class SessionClassroom(Classroom):
        on_screen: Classroom | None = None

        def __init__(self, **params: Any) -> None:
            previous = type(self).on_screen
            if previous is not None:
                params = {**previous.settings.arguments(), **params}
            super().__init__(**params)
            type(self).on_screen = self

    return SessionClassroom


def network_layout(edges: tuple[np.ndarray, np.ndarray, np.ndarray], city: np.ndarray,
                   n_cities: int, seed: int) -> np.ndarray:
    """Positions (slots x 2) for the informal network, one cluster per city.

    Each city's own ties get a seeded spring layout (units show as clumps); the cities sit
    on a circle, each scaled by the square root of its headcount, so that ties between
    cities are the long lines and their growth is visible. Vacant slots keep a position, so
    newcomers appear where their predecessor was.

    Args:
        edges: (slot, slot, weight) arrays of the ties to lay out (week 0's).
        city: city index per slot.
        n_cities: number of cities.
        seed: the run's seed (the layout is reproducible).
    """
    src, dst, weight = edges
    pos = np.zeros((city.size, 2))
    sizes = np.array([np.sum(city == c) for c in range(n_cities)], dtype=float)
    radius = np.sqrt(sizes / max(sizes.max(), 1.0))
    ring = 0.0 if n_cities == 1 else 1.3 * (1.0 + radius.max())
    rng = np.random.default_rng(seed)
    for c in range(n_cities):
        slots = np.flatnonzero(city == c)
        angle = 2.0 * np.pi * c / n_cities + np.pi / 2.0
        centre = ring * np.array([np.cos(angle), np.sin(angle)])
        local = _city_positions(slots, src, dst, weight, rng)
        pos[slots] = centre + radius[c] * local
    return pos


def _city_positions(slots: np.ndarray, src: np.ndarray, dst: np.ndarray, weight: np.ndarray,
                    rng: np.random.Generator) -> np.ndarray:
    """Positions in the unit disk for one city's slots, from that city's internal ties."""
    if slots.size == 0:
        return np.zeros((0, 2))
    if slots.size > SPRING_LAYOUT_MAX_NODES:
        return _spiral(slots.size)
    inside = np.isin(src, slots) & np.isin(dst, slots)
    graph = nx.Graph()
    graph.add_nodes_from(slots.tolist())
    graph.add_weighted_edges_from(zip(src[inside].tolist(), dst[inside].tolist(),
                                      weight[inside].tolist(), strict=True))
    start = {int(s): xy for s, xy in zip(slots, _spiral(slots.size), strict=True)}
    placed = nx.spring_layout(graph, pos=start, iterations=SPRING_ITERATIONS,
                              seed=int(rng.integers(2**31)))
    xy = np.array([placed[int(s)] for s in slots])
    xy -= xy.mean(axis=0)
    scale = np.abs(xy).max()
    return xy / scale if scale > 0 else xy


def _spiral(n: int) -> np.ndarray:
    """n points spread evenly over the unit disk (Vogel's sunflower spiral), in slot order."""
    k = np.arange(n) + 0.5
    r = np.sqrt(k / n)
    theta = k * np.pi * (3.0 - np.sqrt(5.0))
    return np.column_stack([r * np.cos(theta), r * np.sin(theta)])
