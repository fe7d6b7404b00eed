"""The one reader of stored results: ``load_results(folder)`` for sweeps and comparisons.

Why one reader: compare, sensitivity, discovery, the fair-test analyses and a user's
notebook all read the same run store (``sim.experiments.sweep.store``), so they should see the same
tables. In the style of the EMA Workbench's ``(experiments, outcomes)``:

- ``experiments``: one row per planned run: ``run``, ``run_key``, ``group``, ``sample``,
  ``point``, ``strategy``, ``replication``, ``seed``, one column per swept parameter,
  ``status`` (ok, failed, missing) and ``error``;
- ``outcomes``: one row per completed run: the labels and every derived outcome of the run
  (``sim.experiments.outcomes.run_outcomes``: values at the end of the intervention and at the end,
  durability, weeks to integration, cost per point, ...);
- ``effects``: one row per completed run of a folder that ran ``none``: the labels and
  every effect over the ``none`` run at the same point and seed (``sim.experiments.observables``
  effects: alignment over none, incremental cost, ICER, ...);
- ``weekly``: one row per run and recorded week (``results.parquet``); ``at_week(w)``
  reads one week of it without loading the rest, ``recorded_weeks()`` lists the weeks;
- ``values(names)``: one row per completed run with any observables by name (a weekly
  output at the run's last recorded week, a run outcome, an effect): what sensitivity
  analysis and scenario discovery read;
- ``table(name)``: a comparison's extra tables (``acculturation``, ``agents``, ``edges``)
  with the run labels.

Example::

    from sim.experiments.results import load_results
    res = load_results("out/compare")
    res.outcomes.groupby("strategy").durability.mean()
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

#: Columns that label a run (the rest of ``experiments`` are parameters and status).
LABELS = ("run", "run_key", "group", "sample", "point", "strategy", "replication", "seed")

#: Per-run summary file of each experiment kind (a comparison's ``summary.csv`` holds its
#: statistics, so its per-run table has another name).
RUN_SUMMARY = {"sweep": "summary.parquet", "compare": "run_summary.parquet"}


class ResultsError(FileNotFoundError):
    """The folder holds no stored results (the message names the folder)."""


@dataclass
class Results:
    """Stored results of one experiment folder."""

    folder: Path
    manifest: dict[str, Any]
    experiments: pd.DataFrame
    weekly: pd.DataFrame
    parameters: list[str]
    _outcomes: pd.DataFrame | None = field(default=None, repr=False)
    _effects: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def kind(self) -> str:
        """"sweep" or "compare"."""
        return str(self.manifest.get("kind", "sweep"))

    @property
    def outcomes(self) -> pd.DataFrame:
        """Derived outcomes per completed run (computed once from the weekly tables)."""
        if self._outcomes is None:
            self._outcomes = run_outcomes_table(self.weekly, self.parameters,
                                                self.intervention_weeks)
        return self._outcomes

    @property
    def effects(self) -> pd.DataFrame:
        """Effects over the ``none`` run at the same point and seed, per completed run
        (empty when the folder ran no ``none``)."""
        if self._effects is None:
            self._effects = run_effects_table(self.weekly, self.parameters,
                                              self.intervention_weeks)
        return self._effects

    def weekly_names(self) -> list[str]:
        """The weekly outputs this folder's runs recorded
        (``sim.experiments.observables.weekly``)."""
        from sim.experiments.observables import weekly

        path = self.folder / "results.parquet"
        if path.is_file():
            import pyarrow.parquet as pq

            columns = set(pq.read_schema(path).names)
        else:
            columns = set(self.weekly.columns)
        return [name for name in weekly() if name in columns]

    def recorded_weeks(self) -> list[int]:
        """The weeks recorded in ``results.parquet``, ascending."""
        path = self.folder / "results.parquet"
        if path.is_file():
            import pyarrow.parquet as pq

            weeks = pq.read_table(path, columns=["week"]).column("week").to_pylist()
        else:
            weeks = list(self.weekly["week"]) if "week" in self.weekly.columns else []
        return sorted({int(w) for w in weeks})

    def at_week(self, week: int, columns: list[str]) -> pd.DataFrame:
        """The run labels and ``columns`` (weekly outputs) of every run at ``week``.

        Raises:
            ValueError: the week was not recorded.
        """
        labels = [c for c in LABELS if c != "run_key"]
        path = self.folder / "results.parquet"
        if path.is_file():  # read one week only: a large sweep's table may not fit
            import pyarrow.parquet as pq

            frame = pq.read_table(path, filters=[("week", "==", int(week))],
                                  columns=[*labels, *columns]).to_pandas()
        else:
            frame = self.weekly[self.weekly["week"] == int(week)][[*labels, *columns]]
        if frame.empty:
            raise ValueError(f"week: week {week} was not recorded")
        return frame.reset_index(drop=True)

    def values(self, names: list[str]) -> pd.DataFrame:
        """One row per completed run: its labels and the named observables.

        A weekly output is its value at the run's last recorded week; run outcomes and
        effects are one number per run. An effect declared as a ratio brings its two parts
        along (their means give the ratio over replications, ``observables.per_point``).

        Raises:
            ValueError: an effect is asked for but the folder ran no ``none``.
        """
        from sim.experiments.observables import effects, registry, weekly

        names = list(dict.fromkeys(names))
        wanted = list(names)
        known = registry()
        for name in names:
            ratio = known[name].ratio if name in known else None
            wanted += [p for p in (ratio or ()) if p not in wanted]
        done = self.experiments[self.experiments["status"] == "ok"]
        labels = [c for c in LABELS if c in done.columns]
        frame = done[[*labels, *self.parameters]].copy()
        for name in wanted:
            if name in weekly():
                frame[name] = done[f"final_{name}"].to_numpy()
        per_run = [n for n in wanted if n not in weekly() and n not in effects()]
        if per_run:
            frame = frame.merge(self.outcomes[["run", *per_run]], on="run", how="left")
        effect = [n for n in wanted if n in effects()]
        if effect:
            if self.effects.empty:
                from sim.experiments.observables import BASELINE

                raise ValueError(f"{effect[0]} is an effect over {BASELINE}: the experiment "
                                 f"must run the strategy {BASELINE} (the counterfactual)")
            frame = frame.merge(self.effects[["run", *effect]], on="run", how="left")
        return frame.reset_index(drop=True)

    @property
    def intervention_weeks(self) -> int | None:
        """The scenario's intervention length (a swept one is read per run)."""
        value = self.manifest.get("intervention_weeks")
        return int(value) if value is not None else None

    @property
    def failures(self) -> pd.DataFrame:
        """Failed runs: strategy, replication, seed, error."""
        failed = self.experiments[self.experiments["status"] == "failed"]
        return failed[["strategy", "replication", "seed", "error"]].reset_index(drop=True)

    def table(self, name: str) -> pd.DataFrame:
        """An extra table of every completed run that kept it, labelled with strategy,
        replication and seed (empty when no run kept it)."""
        parts = []
        runs = self.folder / "runs"
        done = self.experiments[self.experiments["status"] == "ok"]
        for row in done.itertuples(index=False):
            path = runs / f"{row.run_key}.{name}.parquet"
            if path.is_file():
                frame = pd.read_parquet(path)
                parts.append(frame.assign(strategy=row.strategy, replication=row.replication,
                                          seed=row.seed)[["strategy", "replication", "seed",
                                                          *frame.columns]])
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def run_outcomes_table(weekly: pd.DataFrame, parameters: list[str],
                       intervention_weeks: int | None) -> pd.DataFrame:
    """Derived outcomes of each run from its weekly rows
    (``sim.experiments.outcomes.run_outcomes``)."""
    from sim.experiments.outcomes import run_outcomes

    if weekly.empty:
        return pd.DataFrame()
    labels = [c for c in (*LABELS, *parameters) if c in weekly.columns]
    swept = "horizon.intervention_weeks" in weekly.columns
    rows = []
    for _, ts in weekly.groupby("run", sort=False):
        first = ts.iloc[0]
        weeks = int(first["horizon.intervention_weeks"]) if swept else intervention_weeks
        meta = {} if weeks is None else {"intervention_weeks": weeks}
        values = run_outcomes(ts.drop(columns=labels), meta)
        rows.append({**{c: first[c] for c in labels}, **values})
    return pd.DataFrame(rows)


def run_effects_table(weekly: pd.DataFrame, parameters: list[str],
                      intervention_weeks: int | None) -> pd.DataFrame:
    """Effects of each run over the ``none`` run with the same point and replication (the
    same seed: common random numbers); empty when no ``none`` run was stored."""
    from sim.experiments.observables import BASELINE, evaluate_effects

    if weekly.empty or BASELINE not in set(weekly["strategy"]):
        return pd.DataFrame()
    labels = [c for c in (*LABELS, *parameters) if c in weekly.columns]
    swept = "horizon.intervention_weeks" in weekly.columns
    runs = {run: ts for run, ts in weekly.groupby("run", sort=False)}
    base = {(int(ts["point"].iloc[0]), int(ts["replication"].iloc[0])): ts
            for ts in runs.values() if ts["strategy"].iloc[0] == BASELINE}
    rows = []
    for ts in runs.values():
        first = ts.iloc[0]
        pair = base.get((int(first["point"]), int(first["replication"])))
        if pair is None or int(pair["seed"].iloc[0]) != int(first["seed"]):
            continue  # the baseline run of this point and seed failed: no pair
        weeks = int(first["horizon.intervention_weeks"]) if swept else intervention_weeks
        meta = {} if weeks is None else {"intervention_weeks": weeks}
        values = evaluate_effects(ts.drop(columns=labels), pair.drop(columns=labels), meta)
        rows.append({**{c: first[c] for c in labels}, **values})
    return pd.DataFrame(rows)


def load_results(folder: str | Path) -> Results:
    """Read the stored results of a sweep, sensitivity analysis or comparison folder.

    Raises:
        ResultsError: no manifest or no per-run table (nothing was combined yet).
    """
    out = Path(folder)
    manifest_path = out / "manifest.json"
    if not manifest_path.is_file():
        raise ResultsError(f"{out}: no stored results (no manifest.json)")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    from sim.experiments.plugins import ensure

    ensure(list(manifest.get("plugins") or []))  # their outcomes are part of ``outcomes``
    kind = manifest.get("kind", "sweep")
    summary = out / RUN_SUMMARY.get(kind, "summary.parquet")
    if not summary.is_file():
        raise ResultsError(f"{out}: no stored results (no {summary.name})")
    experiments = pd.read_parquet(summary)
    results = out / "results.parquet"
    weekly = pd.read_parquet(results) if results.is_file() else pd.DataFrame()
    parameters = list(manifest.get("parameters") or [])
    return Results(out, manifest, experiments, weekly, parameters)


def is_finite(value: Any) -> bool:
    """A finite number (NaN, None and infinities are not)."""
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False
