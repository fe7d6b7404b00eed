"""A run as a pure function: (scenario, strategy, overrides, seed) -> tables + metadata.

Everything else (compare, sweeps, sensitivity) builds on :func:`run`. The same inputs give the
same tables, bit for bit; ``meta`` adds provenance (and the time it was made, which is the one
field that differs between two identical runs).
"""

from __future__ import annotations

import json
import operator
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from sim.decisions import DecisionBook
from sim.fileio import atomic_write
from sim.model import MergerModel
from sim.provenance import git_commit, library_versions, now_iso, package_version
from sim.scenario import (
    MAX_SEED,
    MAX_WEEKS,
    Scenario,
    ScenarioError,
    apply_overrides,
    load_scenario,
    scenario_hash,
)
from sim.strategies.base import parts_of


@dataclass
class RunResult:
    """The outputs of one run."""

    timeseries: pd.DataFrame
    agents: pd.DataFrame
    meta: dict[str, Any]
    edges: dict[int, pd.DataFrame] = field(default_factory=dict)


def run(scenario: Scenario | str | Path | Mapping[str, Any] | None = None,
        strategy: str = "none", seed: int = 0, overrides: Mapping[str, Any] | None = None,
        weeks: int | None = None, snapshot_weeks: list[int] | None = None,
        decisions: DecisionBook | None = None) -> RunResult:
    """Run one simulation and return its tables.

    Args:
        scenario: a Scenario, a TOML path, a preset name, a mapping, or None (the case).
        strategy: a registered strategy name.
        seed: the run's seed.
        overrides: dotted-path parameter overrides (validated).
        weeks: run this many weeks instead of the scenario's horizon.
        snapshot_weeks: weeks for agent snapshots (default: 0, end of intervention, last).
        decisions: people's choices in place of the team strategy's rules
            (:mod:`sim.decisions`); its log is filled during the run.
    """
    base = load_scenario(scenario) if not isinstance(scenario, Scenario) else scenario
    config = apply_overrides(base, overrides)
    check_run(config, strategy, seed=seed, weeks=weeks, snapshot_weeks=snapshot_weeks)
    model = MergerModel(config, strategy=strategy, seed=seed, snapshot_weeks=snapshot_weeks,
                        decisions=decisions)
    horizon = config.horizon.total_weeks if weeks is None else weeks
    if snapshot_weeks is None and weeks is not None:
        model.snapshot_weeks.add(horizon)
    for _ in range(horizon):
        model.step()
    agents = pd.concat([model.snapshots[w] for w in sorted(model.snapshots)], ignore_index=True)
    meta = {
        "scenario_name": config.name,
        "scenario_hash": scenario_hash(config),
        "strategy": strategy,
        "seed": int(seed),
        "overrides": dict(overrides or {}),
        "weeks": horizon,
        "intervention_weeks": config.horizon.intervention_weeks,
        "followup_weeks": config.horizon.followup_weeks,
        "dimensions": list(config.dimensions),
        "cities": [c.name for c in config.cities],
        "target": dict(config.culture.target),
        "costs_by_category": dict(sorted(model.costs.items())),
        "hours_by_category": dict(sorted(model.hours.items())),
        "hires_cum": model.hires_cum,
        "package_version": package_version(),
        "git_commit": git_commit(),
        "versions": library_versions(),
        "created": now_iso(),
        "parameters": config.model_dump(mode="json"),
    }
    if decisions is not None:
        sources = [e.source for e in decisions.log]
        meta["decisions"] = {s: sources.count(s) for s in ("player", "rule", "refused")}
    return RunResult(model.timeseries(), agents, meta,
                     {w: model.edge_snapshots[w] for w in sorted(model.edge_snapshots)})


def check_run(config: Scenario, strategy: str, seed: int = 0, weeks: int | None = None,
              snapshot_weeks: list[int] | None = None) -> None:
    """Refuse a run request that the scenario's own validation cannot see, before any work.

    The one place for these rules, used by :func:`run` and by the commands before they start
    (run, compare, sweep): a known strategy, themes for the team strategies (see
    :func:`needs_themes`), a seed the generator and the int64 tables hold, weeks within
    ``0 .. MAX_WEEKS`` and snapshot weeks within the run.

    Raises:
        ScenarioError: naming the option or field.
    """
    from sim.strategies import STRATEGIES

    if strategy not in STRATEGIES:
        raise ScenarioError(f"strategy: unknown strategy {strategy!r}; known: "
                            f"{', '.join(STRATEGIES)}")
    if needs_themes(STRATEGIES[strategy]) and not config.themes:
        raise ScenarioError(f"themes: the {strategy!r} strategy needs at least one theme; the "
                            "scenario lists none (add [[themes]] tables or pick another "
                            "strategy)")
    if needs_themes(STRATEGIES[strategy]) and not config.active_themes:
        raise ScenarioError(f"teams.theme_count: 0 themes get a team, but the {strategy!r} "
                            "strategy needs at least one (set teams.theme_count to 1 or more, "
                            "leave it unset, or pick another strategy)")
    if uses_training(STRATEGIES[strategy]):
        spec = config.training
        for name, value in (("cohort_size", spec.cohort_size),
                            ("days_per_trainee", spec.days_per_trainee)):
            if value == 0:
                raise ScenarioError(
                    f"training.{name}: 0 trains no one, but the {strategy!r} strategy trains "
                    "(give it a positive value, or pick another strategy)")
    if not 0 <= _whole(seed, -1) <= MAX_SEED:
        raise ScenarioError(f"seed: {seed!r} is not a whole number in 0 .. {MAX_SEED} (2**63 - 1)")
    if weeks is not None and not 0 <= _whole(weeks, -1) <= MAX_WEEKS:
        raise ScenarioError(f"weeks: {weeks!r} is not a whole number in 0 .. {MAX_WEEKS}")
    horizon = config.horizon.total_weeks if weeks is None else weeks
    bad = [w for w in snapshot_weeks or [] if not 0 <= _whole(w, -1) <= horizon]
    if bad:
        raise ScenarioError(f"snapshot_weeks: week {bad[0]} is outside the run's 0 .. {horizon} "
                            "weeks")


def _includes(strategy: type, base: type) -> bool:
    """Whether a strategy class is ``base`` (or a subclass), or a combination with one."""
    return any(isinstance(p, type) and issubclass(p, base) for p in parts_of(strategy))


def uses_training(strategy: type) -> bool:
    """Whether a strategy class trains (``Training`` or a combination that includes it)."""
    from sim.strategies.training import Training

    return _includes(strategy, Training)


def needs_themes(strategy: type) -> bool:
    """Whether a strategy class works with the scenario's themes (the team strategies:
    ``Teams``, its subclasses, and combinations that include one)."""
    from sim.strategies.teams import Teams

    return _includes(strategy, Teams)


def _whole(value: Any, otherwise: int) -> int:
    """``value`` as an int if it is a whole number (NumPy integers too, booleans not)."""
    if isinstance(value, bool):
        return otherwise
    try:
        return operator.index(value)
    except TypeError:
        return otherwise


def write_result(result: RunResult, out: Path,
                 fmt: Literal["parquet", "csv"] = "parquet") -> list[Path]:
    """Write timeseries, agents and meta.json into ``out``; returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in (("timeseries", result.timeseries), ("agents", result.agents)):
        path = out / f"{name}.{fmt}"
        if fmt == "parquet":
            atomic_write(path, lambda p, f=frame: f.to_parquet(p, index=False))
        else:
            atomic_write(path, lambda p, f=frame: f.to_csv(p, index=False))
        written.append(path)
    meta_path = out / "meta.json"
    atomic_write(meta_path, lambda p: p.write_text(json.dumps(result.meta, indent=2,
                                                               sort_keys=True) + "\n"))
    written.append(meta_path)
    return written
