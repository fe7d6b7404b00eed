"""Carry out one run of a sweep: the function every executor sends to its workers.

The worker only computes; it never writes files. Results travel back to the sweep
process, which alone writes them. Why: on a cluster the workers may not share a disk
with the sweep process, and a single writer is what makes a killed sweep resumable
without duplicates.
"""

from __future__ import annotations

import json
import resource
import time
import traceback
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import pandas as pd

from sim.experiments.sweep import _core
from sim.experiments.sweep.plan import RunSpec

#: Meta fields that differ between two otherwise identical runs (kept out of stored results,
#: so that the same sweep gives the same bytes on every executor).
VOLATILE_META = ("created",)


@dataclass(frozen=True)
class RunTask:
    """A run spec plus the shared settings a worker needs to carry it out.

    Attributes:
        spec: the run to carry out.
        scenario: the validated base scenario (fixed overrides already applied).
        record: 1 = every week, k = every k weeks (and the last), "final" = last week only.
        weeks: cap on the number of weeks (None: the scenario's horizon).
        when: stop condition {"metric", "below", "above"} or None.
        attempt: 0 for the first try, then 1, 2, ... for retries.
        code: the fingerprint of the model code the sweep process planned with; a worker
            whose own code differs refuses the run (it would store results under a key
            that does not describe them).
        extras: tables kept beside the weekly one: "acculturation" (modes per city from
            the agent snapshots), "agents" (the snapshots), "edges" (the tie snapshots).
        run_fn: the run function (default ``sim.run``); tests inject failures with it.
        plugins: plugin modules to load before the run (``sim.experiments.plugins``).
    """

    spec: RunSpec
    scenario: Any
    record: int | Literal["final"]
    weeks: int | None
    when: dict[str, Any] | None
    attempt: int = 0
    code: str = ""
    extras: tuple[str, ...] = ()
    run_fn: Any = None
    plugins: tuple[str, ...] = ()

    def retry(self) -> RunTask:
        """The same task, one attempt later."""
        return replace(self, attempt=self.attempt + 1)


@dataclass(frozen=True)
class RunOutcome:
    """What came back from one run: the recorded weeks, or the error."""

    key: str
    ok: bool
    table: pd.DataFrame | None
    meta: dict[str, Any]
    stopped_week: int | None
    error: str | None = None
    trace: str | None = None
    retryable: bool = False
    extras: dict[str, pd.DataFrame] = field(default_factory=dict)
    cpu_seconds: float = 0.0
    peak_rss_mib: float = 0.0
    code: str = ""


#: Errors of the machine rather than of the run; worth another attempt.
TRANSIENT_ERRORS = (MemoryError, OSError)


def stop_index(ts: pd.DataFrame, when: dict[str, Any] | None) -> int | None:
    """Position of the first week that meets the stop condition, or None.

    Why post hoc: the core's run is a pure function over a fixed horizon, and weeks after
    the stop cannot influence weeks before it, so cutting the table gives exactly what
    stopping the model would have given.
    """
    if not when:
        return None
    col = ts[when["metric"]].to_numpy()
    hit = col < when["below"] if when.get("below") is not None else col > when["above"]
    positions = hit.nonzero()[0]
    return int(positions[0]) if positions.size else None


def select_weeks(ts: pd.DataFrame, record: int | Literal["final"]) -> pd.DataFrame:
    """Keep the recorded weeks: every week, every k-th week plus the last, or the last."""
    if record == "final":
        return ts.iloc[[-1]]
    if record == 1:
        return ts
    weeks = ts["week"].to_numpy()
    keep = weeks % record == 0
    keep[-1] = True
    return ts[keep]


def _jsonable(meta: dict[str, Any]) -> dict[str, Any]:
    clean = {k: v for k, v in meta.items() if k not in VOLATILE_META}
    return json.loads(json.dumps(clean, default=str, sort_keys=True))


def _peak_rss_mib() -> float:
    """Peak resident memory of this worker process so far, in MiB (Linux: KiB units)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def extra_tables(result: Any, names: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    """The tables a comparison keeps beside the weekly one (computed here, in the worker,
    so that only small tables travel back)."""
    out: dict[str, pd.DataFrame] = {}
    agents = result.agents
    if "acculturation" in names:
        from sim.experiments.outcomes import acculturation

        target = result.meta.get("target") or {}
        if target and agents is not None and len(agents):
            out["acculturation"] = acculturation(agents, target).reset_index(drop=True)
    if "agents" in names and agents is not None:
        out["agents"] = agents.reset_index(drop=True)
    if "edges" in names:
        parts = [df.assign(week=int(w)) for w, df in (result.edges or {}).items()]
        if parts:
            out["edges"] = pd.concat(parts, ignore_index=True)[
                ["week", "source", "target", "weight"]]
    return out


def execute_run(task: RunTask) -> RunOutcome:
    """Run one simulation and keep the weeks the sweep records.

    Exceptions from the model are caught and returned as a failed outcome, so that one
    bad parameter point is recorded with its error and the sweep goes on. A run is a pure
    function, so an error it raises comes back on every attempt; only errors of the
    machine (memory, files) are marked as worth retrying.
    """
    spec = task.spec
    try:
        _core.load_plugins(task.plugins)
    except ValueError as exc:
        return RunOutcome(spec.key, False, None, {}, None, error=f"PluginError: {exc}")
    if task.code and task.code != _core.code_fingerprint():
        return RunOutcome(spec.key, False, None, {}, None, error=(
            f"CodeMismatch: this worker runs other model code (fingerprint "
            f"{_core.code_fingerprint()}, the sweep planned with {task.code}); start the "
            "workers from the same installation and checkout"))
    cpu = time.process_time()
    try:
        run_fn = task.run_fn or _core.run
        result = run_fn(
            task.scenario,
            strategy=spec.strategy,
            seed=spec.seed,
            overrides=dict(spec.params),
            weeks=task.weeks,
        )
        ts = result.timeseries
        cut = stop_index(ts, task.when)
        if cut is not None:
            ts = ts.iloc[: cut + 1]
        table = select_weeks(ts, task.record).reset_index(drop=True)
        stopped = int(ts["week"].iloc[-1]) if cut is not None else None
        return RunOutcome(spec.key, True, table, _jsonable(result.meta), stopped,
                          extras=extra_tables(result, task.extras),
                          cpu_seconds=time.process_time() - cpu, peak_rss_mib=_peak_rss_mib(),
                          code=_core.code_fingerprint())
    except Exception as exc:  # a failing run is data, not a crash
        return RunOutcome(
            spec.key,
            False,
            None,
            {},
            None,
            error=f"{type(exc).__name__}: {exc}",
            trace=traceback.format_exc(),
            retryable=isinstance(exc, TRANSIENT_ERRORS),
        )
