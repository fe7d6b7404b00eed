"""Run requests through the sweep executors and turn runs into paired effects over ``none``.

Why: the equal-budget and sensitivity experiments need hundreds of runs at different
parameter points, each paired with ``none`` on the same seed (common random numbers). The
sweep package already knows how to carry out a run on this process, on local worker
processes or on a Dask cluster (:func:`sim.experiments.sweep.executors.make_executor`), and
its run loop (:func:`sim.experiments.sweep.runner.drive`) retries lost runs and checks the
workers' code; this module only feeds it tasks and keeps what the fair tests read from each
run: a handful of measures at the end of the intervention (week I) and at the end of the
run (week F).

Effects over ``none`` use the conventions of :mod:`sim.experiments.counterfactual`: alignment and
integration in percentage points of distance closed (positive = better than doing nothing),
client value in points of the 0-1 scale times 100, cost in EUR.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sim.experiments import stats
from sim.experiments.counterfactual import BASELINE, MIN_EFFECT, POINTS

#: Weekly metrics the fair tests read, at week I and week F of every run.
METRICS = ("distance_to_target", "city_divergence", "client_value", "cost_cum")

#: Effects over ``none`` per run, with their definitions (docs/outcomes.md, "Equal budgets").
EFFECTS = {
    "alignment_end": "alignment effect at the end of the intervention (points)",
    "alignment_final": "alignment effect at the end of the run (points)",
    "integration_end": "integration effect at the end of the intervention (points of city "
                       "divergence closed)",
    "client_value_end": "client value effect at the end of the intervention (points)",
    "incremental_cost": "incremental cost over none at the end of the run (EUR)",
    "total_cost": "total cost at the end of the run (EUR)",
}

class FairTestError(RuntimeError):
    """A fair-test experiment cannot go on (a run failed, or the input is unusable)."""


@dataclass(frozen=True)
class Request:
    """One run: a design (label) of a strategy on one seed.

    Attributes:
        label: the design's name (``none`` for the baseline); rows are grouped by it.
        strategy: registered strategy name.
        seed: the run's seed (the same seeds under every design: common random numbers).
        params: scenario overrides of this design (dotted path -> value).
    """

    label: str
    strategy: str
    seed: int
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)


RunMeasures = Callable[[Sequence[Request]], pd.DataFrame]
"""A function from requests to their measures table (one row per request, see
:func:`measures_row`); the real one is :func:`executor_measures`, tests pass their own."""


def measures_row(request: Request, timeseries: pd.DataFrame, end_week: int) -> dict[str, Any]:
    """What the fair tests keep of one run: each metric at week I and at the last week."""
    weeks = timeseries["week"].to_numpy()
    at_end = int(np.searchsorted(weeks, min(end_week, int(weeks[-1])), side="right") - 1)
    row: dict[str, Any] = {"label": request.label, "strategy": request.strategy,
                           "seed": int(request.seed), "end_week": int(weeks[at_end]),
                           "final_week": int(weeks[-1])}
    for metric in METRICS:
        column = timeseries[metric].to_numpy(dtype=float)
        row[f"{metric}@end"] = float(column[at_end])
        row[f"{metric}@final"] = float(column[-1])
    return row


def executor_measures(scenario: Any, base_overrides: Mapping[str, Any] | None = None,
                      executor: str = "local", workers: int | None = None,
                      scheduler: str | None = None, progress: bool = False) -> RunMeasures:
    """The measures function that runs requests on a sweep executor.

    Args:
        scenario: a scenario path, preset name, mapping or Scenario.
        base_overrides: overrides applied to every run (before each request's own).
        executor: ``serial``, ``local`` or ``dask`` (see ``sim.experiments.sweep.executors``).
        workers: local worker processes (default: one per core).
        scheduler: the Dask scheduler address for ``dask``.
        progress: print a line every tenth of the runs.
    """
    from sim.experiments.sweep.executors import make_executor
    from sim.experiments.sweep.plan import RunSpec, run_id, run_key
    from sim.experiments.sweep.runner import DEFAULT_RETRIES, drive
    from sim.experiments.sweep.worker import RunOutcome, RunTask
    from sim.provenance import code_fingerprint
    from sim.scenario import apply_overrides, load_scenario, scenario_hash

    config = apply_overrides(load_scenario(scenario), dict(base_overrides or {}))
    end_week = config.horizon.intervention_weeks
    digest = scenario_hash(config)
    code = code_fingerprint()  # workers refuse a run if their code differs

    def measure(requests: Sequence[Request]) -> pd.DataFrame:
        tasks = []
        for index, req in enumerate(requests):
            params = dict(req.params)
            ident = run_id(digest, params, req.strategy, int(req.seed), {"kind": "fairtest"})
            spec = RunSpec(index=index, key=run_key(ident, code), point=index, sample=index,
                           group=0, strategy=req.strategy, replication=0, seed=int(req.seed),
                           params=params, id=ident)
            tasks.append(RunTask(spec=spec, scenario=config, record=1, weeks=None, when=None,
                                 code=code))
        rows: dict[int, dict[str, Any]] = {}

        def finished(task: RunTask, outcome: RunOutcome) -> None:
            req = requests[task.spec.index]
            if not outcome.ok:  # a run is a pure function: it would fail again
                raise FairTestError(f"run {req.label} ({req.strategy}, seed {req.seed}) "
                                    f"failed: {outcome.error}")
            rows[task.spec.index] = measures_row(req, outcome.table, end_week)
            if progress and len(rows) % max(1, len(tasks) // 10) == 0:
                print(f"  {len(rows)}/{len(tasks)} runs", flush=True)

        pool = make_executor(executor, workers, scheduler)
        try:  # the sweep's run loop: the same window, retries and code check
            drive(pool, tasks, DEFAULT_RETRIES, finished)
        finally:
            pool.close()
        return pd.DataFrame([rows[i] for i in range(len(tasks))])

    return measure


def paired_effects(measures: pd.DataFrame, baseline: str = BASELINE) -> pd.DataFrame:
    """Per design and seed, the effects over the baseline run on the same seed.

    Args:
        measures: one row per run (label, strategy, seed and ``metric@end`` /
            ``metric@final`` columns), including the baseline's runs (label ``none``).
        baseline: the label of the baseline runs.

    Returns:
        One row per (label, seed) of every non-baseline design with the columns of
        :data:`EFFECTS`; a seed without a baseline run is an error, never left unpaired.
    """
    base = measures[measures["label"] == baseline].set_index("seed")
    if base.empty:
        raise FairTestError(f"{baseline}: no baseline runs to pair with")
    rows = measures[measures["label"] != baseline]
    missing = sorted(set(rows["seed"]) - set(base.index))
    if missing:
        raise FairTestError(f"seed {missing[0]}: no {baseline} run on this seed to pair with")
    b = base.loc[rows["seed"].to_numpy()]
    out = pd.DataFrame({"label": rows["label"].to_numpy(), "strategy": rows["strategy"].to_numpy(),
                        "seed": rows["seed"].to_numpy()})
    out["alignment_end"] = POINTS * (b["distance_to_target@end"].to_numpy()
                                     - rows["distance_to_target@end"].to_numpy())
    out["alignment_final"] = POINTS * (b["distance_to_target@final"].to_numpy()
                                       - rows["distance_to_target@final"].to_numpy())
    out["integration_end"] = POINTS * (b["city_divergence@end"].to_numpy()
                                       - rows["city_divergence@end"].to_numpy())
    out["client_value_end"] = POINTS * (rows["client_value@end"].to_numpy()
                                        - b["client_value@end"].to_numpy())
    out["incremental_cost"] = (rows["cost_cum@final"].to_numpy()
                               - b["cost_cum@final"].to_numpy())
    out["total_cost"] = rows["cost_cum@final"].to_numpy()
    return out


def ratio_of_means(num: np.ndarray, den: np.ndarray) -> float:
    """mean(num) / mean(den), or NaN when mean(den) is below the smallest effect (0.1 point).

    Used for durability (later over earlier effect) and the ICER (cost over effect): a
    ratio over a vanishing or reversed effect has no meaning, so it is undefined, not huge.
    """
    d = float(np.mean(den))
    if not (math.isfinite(d) and d >= MIN_EFFECT):
        return math.nan
    return float(np.mean(num)) / d


def design_summary(effects: pd.DataFrame, level: float = stats.DEFAULT_LEVEL,
                   columns: Iterable[str] = tuple(EFFECTS)) -> pd.DataFrame:
    """Mean and t interval of every effect per design, plus durability over ``none``.

    Durability is E(F) / E(I): the share of the alignment effect over ``none`` at the end
    of the intervention that is still there at the end of the run (ratio of means; NaN when
    the effect at week I is below 0.1 point).
    """
    rows = []
    for (label, strategy), sub in effects.groupby(["label", "strategy"], sort=False):
        row: dict[str, Any] = {"label": label, "strategy": strategy, "n": len(sub)}
        for col in columns:
            iv = stats.mean_interval(sub[col].to_numpy(dtype=float), level)
            row[col], row[f"{col}_low"], row[f"{col}_high"] = iv.mean, iv.low, iv.high
        row["durability"] = ratio_of_means(sub["alignment_final"].to_numpy(),
                                           sub["alignment_end"].to_numpy())
        rows.append(row)
    return pd.DataFrame(rows)
