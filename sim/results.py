"""The one reader of stored results: ``load_results(folder)`` for sweeps and comparisons.

Why one reader: compare, sensitivity, discovery, the fair-test analyses and a user's
notebook all read the same run store (``sim.sweep.store``), so they should see the same
tables. In the style of the EMA Workbench's ``(experiments, outcomes)``:

- ``experiments``: one row per planned run: ``run``, ``run_key``, ``group``, ``sample``,
  ``point``, ``strategy``, ``replication``, ``seed``, one column per swept parameter,
  ``status`` (ok, failed, missing) and ``error``;
- ``outcomes``: one row per completed run: the labels and every derived outcome of the run
  (``sim.outcomes.run_outcomes``: values at the end of the intervention and at the end,
  durability, weeks to integration, cost per point, ...);
- ``weekly``: one row per run and recorded week (``results.parquet``);
- ``table(name)``: a comparison's extra tables (``acculturation``, ``agents``, ``edges``)
  with the run labels.

Example::

    from sim.results import load_results
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
    """Derived outcomes of each run from its weekly rows (``sim.outcomes.run_outcomes``)."""
    from sim.outcomes import run_outcomes

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
    from sim.plugins import ensure

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
