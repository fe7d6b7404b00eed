"""Run ten seeds of the settings on screen: BehaviorSpace-lite for "effect or luck?".

Why: one run is one draw of chance. A class asks whether a difference survives other random
numbers; NetLogo users reach for BehaviorSpace. Here one button runs the settings on screen
(scenario, strategies, sliders) for ten consecutive seeds to the horizon, headless, and shows
the spread: each seed's outcome per strategy, the mean and the range, and (side by side) in
how many seeds the second strategy came out closer to the target. The runs are the same pure
function as everywhere (same seed, same numbers as Reset and Step with that seed).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import pandas as pd

from sim.experiments import observables
from sim.model import MergerModel

SEED_COUNT: Final[int] = 10
"""Seeds per press: enough to see a spread, a few seconds each strategy (classroom)."""

OUTCOMES: Final[tuple[tuple[str, str], ...]] = (
    ("distance_to_target", "intervention_end"),
    ("distance_to_target", "end"),
    ("city_divergence", "end"),
    ("cost_cum", "end"),
)
"""(output, when) pairs reported per seed: at the end of the intervention or of the run."""


def plugin_outcomes() -> list[observables.Observable]:
    """The run outcomes plugins declared (``merger-sim --plugin ... dashboard`` or an installed
    package's entry point), in registry order: the ten-seeds table shows them too, labelled
    as the registry labels them."""
    builtin = {o.name for o in observables.DERIVED}
    return [o for o in observables.run_outcomes(present=set()).values()
            if o.name not in builtin]


def seed_range(first: int) -> list[int]:
    """The seeds of one press: the seed on screen and the nine after it."""
    return list(range(first, first + SEED_COUNT))


def run_seeds(settings: Any, config: Any,
              progress: Callable[[float], None] | None = None) -> pd.DataFrame:
    """Every seed of :func:`seed_range` for every strategy of ``settings``, to the horizon.

    Args:
        settings: the Classroom's :class:`~sim.presentation.dashboard.classroom.Settings`.
        config: the preset's scenario (the Classroom's ``config``).
        progress: called with the share done (0-100) after each run.

    Returns:
        One row per (seed, strategy) with the columns of :data:`OUTCOMES` as
        ``<output>@<when>``, then one per plugin outcome (:func:`plugin_outcomes`) by name.
    """
    rows = []
    seeds = seed_range(settings.seed)
    strategies = list(dict.fromkeys(settings.strategies()))
    done, total = 0, len(seeds) * len(strategies)
    intervention = config.horizon.intervention_weeks
    for seed in seeds:
        for strategy in strategies:
            model = MergerModel(config, strategy=strategy, seed=seed,
                                overrides=settings.overrides)
            while model.running:
                model.step()
            frame = model.timeseries()
            row: dict[str, Any] = {"seed": seed, "strategy": strategy}
            for column, when in OUTCOMES:
                week = min(intervention, len(frame) - 1) if when == "intervention_end" \
                    else len(frame) - 1
                row[f"{column}@{when}"] = float(frame[column].iloc[week])
            meta = {"intervention_weeks": intervention, "strategy": strategy, "seed": seed}
            for outcome in plugin_outcomes():
                row[outcome.name] = float(outcome.function(frame, meta))  # type: ignore[misc]
            rows.append(row)
            done += 1
            if progress is not None:
                progress(100.0 * done / total)
    return pd.DataFrame(rows)


def wins(table: pd.DataFrame, first: str, second: str,
         column: str = "distance_to_target@intervention_end") -> int:
    """Seeds in which ``second`` ended closer to the target than ``first`` (lower is better)."""
    pivot = table.pivot(index="seed", columns="strategy", values=column)
    return int((pivot[second] < pivot[first]).sum())
