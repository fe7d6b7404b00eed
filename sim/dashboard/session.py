"""The state of one browser session: its settings and its model(s), without any UI.

Why a class apart from the page: every browser session must own its models (a class of
thirty students must not step one shared model), side-by-side mode must step two models in
lockstep, and the expensive pictures' geometry (network layout, value-space projection) must
be computed once per model, not every week. Keeping that here makes it testable without a
browser and keeps the page a thin view.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from typing import Any

import networkx as nx
import numpy as np

from sim.model import MergerModel
from sim.plots.valuespace import pca_basis
from sim.scenario import Scenario, list_presets, load_scenario

BUILTIN_CASE = "case"
"""Preset name of the case; ``Scenario()`` is the case, so it exists even without a file."""

SPRING_LAYOUT_MAX_NODES = 600
"""Cities larger than this get a spiral layout: a spring layout grows with n squared."""

SPRING_ITERATIONS = 40
"""Spring-layout iterations per city: enough for units to show as clumps, and fast."""


def available_presets() -> list[str]:
    """Scenario presets to offer: the files in ``scenarios/``, the case always included."""
    presets = list_presets()
    return presets if BUILTIN_CASE in presets else [BUILTIN_CASE, *presets]


def default_preset() -> str:
    """The preset a class starts with: the small classroom scenario if shipped, else the case."""
    presets = available_presets()
    return "classroom" if "classroom" in presets else BUILTIN_CASE


def load_preset(name: str) -> Scenario:
    """Load a preset by name; the case falls back to the built-in defaults."""
    if name == BUILTIN_CASE and BUILTIN_CASE not in list_presets():
        return Scenario()
    return load_scenario(name)


@dataclass(frozen=True)
class Settings:
    """What a Reset builds: scenario, strategies, seed and parameter overrides."""

    preset: str
    strategy: str = "none"
    seed: int = 0
    overrides: dict[str, Any] = field(default_factory=dict)
    compare: bool = False
    strategy_b: str = "training"

    def strategies(self) -> list[str]:
        """The strategies to run: one, or two side by side."""
        return [self.strategy, self.strategy_b] if self.compare else [self.strategy]

    def with_changes(self, **changes: Any) -> Settings:
        """A copy with some fields changed."""
        return replace(self, **changes)


class Simulation:
    """One model and its picture geometry (computed lazily, then kept for the model's life)."""

    def __init__(self, scenario: Scenario, strategy: str, seed: int,
                 overrides: dict[str, Any]) -> None:
        self.strategy = strategy
        self.model = MergerModel(scenario, strategy=strategy, seed=seed, overrides=overrides)
        self._layout: np.ndarray | None = None
        self._projection: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._value_limits: tuple[float, float, float, float] | None = None

    @property
    def layout(self) -> np.ndarray:
        """Node positions per slot (slots x 2), computed once from the week-0 network."""
        if self._layout is None:
            self._layout = network_layout(self.model)
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


class Session:
    """The models of one browser session, stepped in lockstep.

    Args:
        settings: what to build.
        scenario: the loaded preset (loaded from ``settings.preset`` when omitted).
    """

    def __init__(self, settings: Settings, scenario: Scenario | None = None) -> None:
        self.settings = settings
        self.scenario = scenario if scenario is not None else load_preset(settings.preset)
        self._lock = threading.Lock()
        self.simulations = [
            Simulation(self.scenario, name, settings.seed, settings.overrides)
            for name in settings.strategies()
        ]
        for sim in self.simulations:  # the value-space picture's axes belong to week 0
            sim.value_limits  # noqa: B018

    @property
    def week(self) -> int:
        """The current week (all models share it)."""
        return int(self.simulations[0].model.week)

    @property
    def running(self) -> bool:
        """True while the horizon (intervention + follow-up) is not over."""
        return all(sim.model.running for sim in self.simulations)

    def step(self, weeks: int = 1) -> int:
        """Advance every model by up to ``weeks`` weeks in lockstep; return weeks advanced.

        A lock makes a Play thread and a Step click take turns instead of interleaving.
        """
        done = 0
        with self._lock:
            for _ in range(max(0, int(weeks))):
                if not self.running:
                    break
                for sim in self.simulations:
                    sim.model.step()
                done += 1
        return done


def network_layout(model: MergerModel) -> np.ndarray:
    """Positions (slots x 2) for the informal network, one cluster per city.

    Each city's own ties get a seeded spring layout (units show as clumps); the cities sit
    on a circle, each scaled by the square root of its headcount, so that ties between
    cities are the long lines and their growth is visible. Vacant slots keep a position, so
    newcomers appear where their predecessor was.
    """
    n = model.values.shape[0]
    src, dst, weight = model.network_edges()
    n_cities = len(model.city_names)
    pos = np.zeros((n, 2))
    sizes = np.array([np.sum(model.city == c) for c in range(n_cities)], dtype=float)
    radius = np.sqrt(sizes / max(sizes.max(), 1.0))
    ring = 0.0 if n_cities == 1 else 1.3 * (1.0 + radius.max())
    rng = np.random.default_rng(int(model.seed))
    for c in range(n_cities):
        slots = np.flatnonzero(model.city == c)
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
