"""The run's derived outcomes and its effects over doing nothing, as the dashboard shows them.

Why: the weekly lines show how a run moves; a class and a researcher also ask what it came
to: how many weeks until the cities integrated, how much of the alignment lasted, what a
point of alignment cost, and (side by side with ``none``) what the strategy added over
doing nothing. Those numbers are declared once, in the observables registry
(:mod:`sim.experiments.observables`: name, function, label, unit, better direction); this
module only evaluates the registry's functions on the run on screen, with the registry's
own effect code (:func:`~sim.experiments.observables.evaluate_effects`, the function the
experiment engine applies to every run and its ``none`` run on the same seed), and the
weekly effect curve with :func:`sim.experiments.counterfactual.alignment_effects`, the code
of ``merger-sim compare``'s counterfactual table. Nothing here is a second formula.

A run in progress does not have every outcome yet. Each observable says from when its value
is final (``Observable.known_from``); before that the dashboard says when it will be known
("at the end of the run", "not yet reached") rather than show a number that would change.
Everything is a pure function of the weekly tables the server's models produced.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Literal, cast

import pandas as pd

from sim.experiments import counterfactual, observables
from sim.experiments.observables import BASELINE, Observable

State = Literal["value", "pending", "never", "undefined", "reference"]


@dataclass(frozen=True)
class Cell:
    """One outcome of one strategy's run, as far as the run has come.

    Attributes:
        state: "value" (final), "pending" (known from ``week`` on; ``week`` is None when it
            waits for a threshold to be reached), "never" (the run ended without reaching
            it), "undefined" (the run is far enough but the outcome has no value, e.g. a
            durability where nothing was gained), or "reference" (``none`` itself, in an
            effect row).
        value: the final value (NaN unless state is "value").
        week: see ``state``.
    """

    state: State
    value: float = math.nan
    week: int | None = None


@dataclass(frozen=True)
class Row:
    """One observable and its cell per strategy on screen (in the strategies' order)."""

    observable: Observable
    cells: tuple[Cell, ...]


def shown_outcomes() -> list[Observable]:
    """The run outcomes shown: the case's derived outcomes, then the plugins' run outcomes,
    in registry order (the weekly outputs' snapshots are the plots' lines themselves)."""
    return list(observables.run_outcomes(present=set()).values())


def shown_effects() -> list[Observable]:
    """The effects over ``none`` shown: the case's, then the plugins', in registry order."""
    return list(observables.effects().values())


def known_week(observable: Observable, intervention_weeks: int, total_weeks: int) -> int | None:
    """The week from which ``observable`` is final; None when that is when it is reached."""
    if observable.known_from == "reached":
        return None
    if observable.known_from == "end_intervention":
        return min(intervention_weeks, total_weeks)
    return total_weeks


def cell(observable: Observable, value: Callable[[], float], week: int,
         intervention_weeks: int, total_weeks: int) -> Cell:
    """What to show for the observable on a run at ``week``; ``value()`` evaluates it on the
    run so far, and is called only when the run is far enough for it to matter (a redraw
    after every week stays cheap)."""
    if observable.known_from == "reached":
        found = float(value())
        finite = math.isfinite(found)
        if finite and found != 0:
            return Cell("value", found)
        if week < total_weeks:
            return Cell("pending")
        return Cell("value", found) if finite else Cell("never", week=week)
    ready = known_week(observable, intervention_weeks, total_weeks)
    if ready is not None and week < ready:
        return Cell("pending", week=ready)
    found = float(value())
    return Cell("value", found) if math.isfinite(found) else Cell("undefined")


def run_meta(strategy: str, seed: int, intervention_weeks: int) -> dict[str, object]:
    """The metadata an outcome function receives (as the engine's runs carry it)."""
    return {"intervention_weeks": intervention_weeks, "strategy": strategy, "seed": seed}


def by_week(frame: pd.DataFrame) -> pd.DataFrame:
    """The weekly table sorted by week with a fresh index, as the registry's functions
    expect it (a model's table already is: then it is used as it is, no copy per redraw)."""
    if frame["week"].is_monotonic_increasing and isinstance(frame.index, pd.RangeIndex) \
            and frame.index.start == 0 and frame.index.step == 1:
        return frame
    return frame.sort_values("week").reset_index(drop=True)


def _week(frames: Sequence[pd.DataFrame]) -> int:
    return int(frames[0]["week"].max()) if len(frames) and len(frames[0]) else 0


def outcome_rows(frames: Sequence[pd.DataFrame], strategies: Sequence[str], seed: int,
                 intervention_weeks: int, total_weeks: int) -> list[Row]:
    """Every shown run outcome, a cell per strategy.

    Args:
        frames: each strategy's weekly outputs so far (``MergerModel.timeseries()``).
        strategies: the strategies' registry names, in the same order.
        seed: the runs' seed.
        intervention_weeks, total_weeks: the horizon.
    """
    week = _week(frames)
    runs = [(by_week(frame),
             run_meta(strategy, seed, intervention_weeks))
            for frame, strategy in zip(frames, strategies, strict=True)]
    rows = []
    for obs in shown_outcomes():
        function = cast(Callable[..., float], obs.function)
        cells = tuple(cell(obs, partial(function, ts, meta), week,
                           intervention_weeks, total_weeks) for ts, meta in runs)
        rows.append(Row(obs, cells))
    return rows


def has_effects(strategies: Sequence[str]) -> bool:
    """Whether effects over ``none`` apply: ``none`` runs beside another strategy."""
    return BASELINE in strategies and any(s != BASELINE for s in strategies)


def effect_rows(frames: Sequence[pd.DataFrame], strategies: Sequence[str], seed: int,
                intervention_weeks: int, total_weeks: int) -> list[Row]:
    """Every shown effect over ``none`` (same seed: the runs on screen are paired), a cell
    per strategy (``none``'s own cell is the reference); empty without ``none`` beside
    another strategy. Each value is the registry's effect function on the strategy's run and
    the ``none`` run, as :func:`~sim.experiments.observables.evaluate_effects` applies it to
    every run of an experiment."""
    if not has_effects(strategies):
        return []
    week = _week(frames)
    base = by_week(frames[list(strategies).index(BASELINE)])
    runs = [None if strategy == BASELINE else
            (by_week(frame),
             run_meta(strategy, seed, intervention_weeks))
            for frame, strategy in zip(frames, strategies, strict=True)]
    rows = []
    for obs in shown_effects():
        function = cast(Callable[..., float], obs.function)
        cells = tuple(Cell("reference") if run is None else
                      cell(obs, partial(function, run[0], base, run[1]), week,
                           intervention_weeks, total_weeks)
                      for run in runs)
        rows.append(Row(obs, cells))
    return rows


def effect_curves(frames: Sequence[pd.DataFrame],
                  strategies: Sequence[str]) -> list[tuple[str, pd.DataFrame]]:
    """Per strategy other than ``none``, its alignment effect over ``none`` per week so far
    (columns week and ``alignment_effect``, points), from
    :func:`sim.experiments.counterfactual.alignment_effects` on the runs' long table (one
    replication: the seed on screen). Empty without ``none`` beside another strategy."""
    if not has_effects(strategies):
        return []
    long = pd.concat([frame.assign(strategy=strategy, replication=0)
                      for frame, strategy in zip(frames, strategies, strict=True)],
                     ignore_index=True)
    curves = counterfactual.alignment_effects(long)
    out = []
    for strategy in dict.fromkeys(strategies):
        if strategy == BASELINE or strategy not in curves:
            continue
        row = curves[strategy].iloc[0]
        out.append((strategy, pd.DataFrame({"week": row.index.to_numpy(dtype=int),
                                            counterfactual.ALIGNMENT_EFFECT:
                                            row.to_numpy(dtype=float)})))
    return out
