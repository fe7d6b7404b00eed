"""Carry out one run of a sweep: the function every executor sends to its workers.

The worker only computes; it never writes files. Results travel back to the sweep
process, which alone writes them. Why: on a cluster the workers may not share a disk
with the sweep process, and a single writer is what makes a killed sweep resumable
without duplicates.
"""

from __future__ import annotations

import json
import traceback
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from sim.sweep import _core
from sim.sweep.plan import RunSpec

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
    """

    spec: RunSpec
    scenario: Any
    record: int | Literal["final"]
    weeks: int | None
    when: dict[str, Any] | None
    attempt: int = 0
    code: str = ""


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


def execute_run(task: RunTask) -> RunOutcome:
    """Run one simulation and keep the weeks the sweep records.

    Exceptions from the model are caught and returned as a failed outcome, so that one
    bad parameter point is recorded with its error and the sweep goes on. A run is a pure
    function, so an error it raises comes back on every attempt; only errors of the
    machine (memory, files) are marked as worth retrying.
    """
    spec = task.spec
    if task.code and task.code != _core.code_fingerprint():
        return RunOutcome(spec.key, False, None, {}, None, error=(
            f"CodeMismatch: this worker runs other model code (fingerprint "
            f"{_core.code_fingerprint()}, the sweep planned with {task.code}); start the "
            "workers from the same installation and checkout"))
    try:
        result = _core.run(
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
        return RunOutcome(spec.key, True, table, _jsonable(result.meta), stopped)
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
