"""The sweep loop: plan, skip what is stored, compute the rest, store, combine.

Only this process writes files; the executors compute. Runs are fed to the executor
through a bounded window, so neither pending work nor finished results accumulate in
memory, and each finished run is written to disk at once.
"""

from __future__ import annotations

import hashlib
import json
import platform
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sim.experiments.progress import progress_bar
from sim.experiments.sweep.executors import Executor, make_executor
from sim.experiments.sweep.folder import Experiment, Mode, check_folder, claim
from sim.experiments.sweep.plan import Plan, RunSpec, plan_sweep
from sim.experiments.sweep.spec import LoadedSweep
from sim.experiments.sweep.store import (
    Damage,
    RunStore,
    atomic_write_bytes,
    combine,
    write_results_csv,
)
from sim.experiments.sweep.worker import RunOutcome, RunTask

#: Default number of extra attempts for a run whose worker was lost (or that hit a transient
#: error such as MemoryError); an exception raised by the model itself is not retried, since
#: a run is a pure function and would fail the same way again.
DEFAULT_RETRIES = 2


@dataclass
class SweepReport:
    """What a sweep invocation did."""

    planned: int
    unique: int
    skipped: int
    computed: int
    failed: list[str] = field(default_factory=list)
    retried: int = 0
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    damaged: list[Damage] = field(default_factory=list)
    cpu_seconds: float = 0.0
    peak_rss_mib: float = 0.0

    @property
    def runs_per_minute(self) -> float:
        """Runs computed per minute of wall time in this invocation."""
        return 60.0 * self.computed / self.seconds if self.seconds > 0 else 0.0


class _Progress:
    """A rich progress bar with time left, or nothing when switched off."""

    def __init__(self, enabled: bool, total: int, done: int, label: str = "sweep") -> None:
        self._bar: Any = None
        if not enabled:
            return
        from rich.progress import TextColumn

        self._bar = progress_bar(True, TextColumn("{task.fields[failed]} failed"))
        self._bar.start()
        self._task = self._bar.add_task(label, total=total, completed=done, failed=0)

    def advance(self, failed: int) -> None:
        if self._bar is not None:
            self._bar.update(self._task, advance=1, failed=failed)

    def stop(self) -> None:
        if self._bar is not None:
            self._bar.stop()


def sweep_experiment(loaded: LoadedSweep, plan: Plan) -> Experiment:
    """The experiment a sweep is, for its folder's record: its runs, in plan order."""
    ids = tuple(run.id for run in plan.runs)
    return Experiment(
        kind="sweep",
        name=loaded.spec.name,
        definition={"runs": hashlib.sha256(" ".join(ids).encode()).hexdigest(),
                    "scenario_hash": plan.scenario_hash},
        run_ids=ids,
    )


def run_settings_record(loaded: LoadedSweep) -> dict[str, Any]:
    """What every run of the experiment was given besides its own spec: the scenario (after
    the fixed overrides) and the recording and stop settings (``verify`` reruns from it)."""
    spec = loaded.spec
    return {
        "run_scenario": loaded.scenario.model_dump(mode="json"),
        "run_settings": {"record": spec.record.every, "weeks": spec.stop.weeks,
                         "when": spec.stop.when.model_dump() if spec.stop.when else None},
    }


def provenance_record(plan: Plan) -> dict[str, Any]:
    """Which code and software computed the runs: one record for sweeps and comparisons."""
    from sim.provenance import (
        REPO_ROOT,
        git_commit,
        git_dirty,
        library_versions,
        model_files,
        package_version,
    )

    return {
        "package_version": package_version(),
        "code_fingerprint": plan.code,
        "model_files": [str(p.relative_to(REPO_ROOT)) if p.is_relative_to(REPO_ROOT)
                        else str(p) for p in model_files()],
        "git_commit": git_commit(),
        "git_dirty": git_dirty(),
        "versions": library_versions(),
        "platform": platform.platform(),
    }


def write_manifest(
    loaded: LoadedSweep,
    plan: Plan,
    store: RunStore,
    report: SweepReport,
    executor: str,
    workers: int | None,
    started: datetime,
    action: str = "resume",
) -> dict[str, Any]:
    """Write manifest.json: what was run, from which inputs, with which software."""
    spec = loaded.spec
    manifest = {
        "kind": "sweep",
        "sweep": spec.name,
        "description": spec.description,
        "sweep_file": str(loaded.path),
        "sweep_sha256": hashlib.sha256(loaded.text.encode()).hexdigest(),
        "sweep_spec": spec.model_dump(mode="json"),
        "sweep_text": loaded.text,
        **run_settings_record(loaded),
        "scenario_file": str(loaded.scenario_path),
        "scenario_hash": plan.scenario_hash,
        "experiment": sweep_experiment(loaded, plan).identity,
        **provenance_record(plan),
        "parameters": plan.parameter_names,
        "plugins": list(loaded.plugins),
        "intervention_weeks": loaded.scenario.horizon.intervention_weeks,
        "strategies": list(spec.strategies),
        "replications": spec.replications,
        "seeds": [spec.base_seed + i for i in range(spec.replications)],
        # with the dummy parameter each run's seed is redrawn from these and its dummy value
        "seeds_redrawn_by_dummy": bool(spec.design.dummy),
        "design": spec.design.model_dump(mode="json"),
        "runs_planned": report.planned,
        "runs_unique": report.unique,
        "counts": report.counts,
        "failed": report.failed,
        "last_invocation": {
            "executor": executor,
            "workers": workers,
            "folder": action,
            "started": started.isoformat(timespec="seconds"),
            "finished": datetime.now(UTC).isoformat(timespec="seconds"),
            "seconds": round(report.seconds, 3),
            "skipped_already_stored": report.skipped,
            "computed": report.computed,
            "retried": report.retried,
            "damaged_moved_aside": [str(d.moved_to) for d in report.damaged],
            "runs_per_minute": round(report.runs_per_minute, 2),
        },
    }
    data = json.dumps(manifest, indent=2, default=str).encode()
    atomic_write_bytes(store.out / "manifest.json", data)
    return manifest


def run_sweep(
    loaded: LoadedSweep,
    out: str | Path,
    executor: str = "local",
    workers: int | None = None,
    scheduler: str | Any | None = None,
    retries: int = DEFAULT_RETRIES,
    progress: bool = True,
    method: str | None = None,
    security: Any = None,
    mode: Mode = "resume",
    csv: bool = False,
) -> SweepReport:
    """Carry out a sweep into ``out``, resuming from whatever is already stored there.

    Args:
        loaded: the validated sweep (``load_sweep``).
        out: output directory (created if needed).
        executor: "serial", "local" (process pool) or "dask".
        workers: worker processes for "local" (default: one per core); for "dask", caps
            the tasks in flight.
        scheduler: Dask scheduler address (``tcp://host:8786``) or an existing Client.
        retries: extra attempts for a run that raised or whose worker was lost.
        progress: show a progress bar with time left on stderr.
        method: override the sweep's design method (used by the sensitivity command).
        security: a ``distributed.security.Security`` for a ``tls://`` scheduler address
            (not needed when ``scheduler`` is a connected Client).
        mode: what to do when ``out`` holds another experiment: "resume" refuses,
            "overwrite" deletes it first, "extend" adds the runs of a larger experiment
            (``sim.experiments.sweep.folder``).
        csv: also write ``results.csv`` (every run and recorded week).

    Stored run files are checked first; a damaged one is named on stderr, moved to
    ``runs/damaged/`` and computed again. The previous combined tables are moved to
    ``stale/`` before any run is touched and removed once the new ones are in place.

    Returns:
        A report of planned, skipped, computed, failed and damaged runs.

    Raises:
        FolderError: ``out`` holds another experiment (nothing was written).
        StoreError: combining found a file it cannot read (named); no table was written.
    """
    started = datetime.now(UTC)
    t0 = time.perf_counter()
    plan = plan_sweep(loaded, method)
    experiment = sweep_experiment(loaded, plan)
    check_folder(Path(out), experiment, mode)  # before anything is written
    store = RunStore(out)
    store.open()
    try:
        action = claim(store.out, experiment, mode)
        store.runs.mkdir(exist_ok=True)
        damaged = store.verify(plan.unique_keys)
        for found in damaged:
            print(f"warning: {found.path}: damaged ({found.reason}); moved to "
                  f"{found.moved_to}; computing it again", file=sys.stderr)
        store.retire_combined()
        report = _execute(loaded, plan, store, executor, workers, scheduler, retries, progress,
                          security)
        report.damaged = damaged
        report.seconds = time.perf_counter() - t0
        report.counts = combine(store, plan)
        if csv:
            write_results_csv(store.out)
        write_manifest(loaded, plan, store, report, executor, workers, started, action)
        store.clear_stale()
    finally:
        store.close()
    return report


@dataclass
class Execution:
    """How a plan's runs are carried out (shared by sweeps, sensitivity and comparisons).

    Attributes:
        executor: "serial", "local" or "dask".
        workers: local worker processes (default: one per core); for Dask, tasks in flight.
        scheduler: Dask scheduler address or a connected Client.
        retries: extra attempts for a lost run or a transient error.
        progress: show a progress bar with time left.
        security: TLS settings for a ``tls://`` Dask address.
        extras_for: the extra tables to keep for a run (a comparison keeps acculturation,
            and agents and edges of replication 0).
        run_fn: the run function (default ``sim.run``; tests inject failures).
        on_failure: called with each failed run's spec and error as it is stored.
        label: the progress bar's label.
    """

    executor: str = "local"
    workers: int | None = None
    scheduler: Any = None
    retries: int = DEFAULT_RETRIES
    progress: bool = True
    security: Any = None
    extras_for: Callable[[RunSpec], tuple[str, ...]] | None = None
    run_fn: Any = None
    on_failure: Callable[[RunSpec, str], None] | None = None
    label: str = "sweep"


def _execute(loaded: LoadedSweep, plan: Plan, store: RunStore, executor_name: str,
             workers: int | None, scheduler: Any, retries: int, progress: bool,
             security: Any = None) -> SweepReport:
    how = Execution(executor_name, workers, scheduler, retries, progress, security)
    pool = make_executor(executor_name, workers, scheduler, security)
    try:
        return execute_plan(loaded, plan, store, how, pool)
    finally:
        pool.close()


def execute_plan(loaded: LoadedSweep, plan: Plan, store: RunStore, how: Execution,
                 pool: Executor) -> SweepReport:
    """Compute the plan's runs that are not stored yet, writing each as it finishes.

    The pool stays open (a comparison that adds replications in batches reuses it).
    """
    spec = loaded.spec
    first = {}
    for run in plan.runs:  # one task per unique key: a revisited design point runs once
        first.setdefault(run.key, run)
    done = store.done_keys()
    todo = [run for key, run in first.items() if key not in done]
    report = SweepReport(
        planned=len(plan.runs),
        unique=len(first),
        skipped=len(first) - len(todo),
        computed=0,
    )
    if not todo:
        return report
    when = spec.stop.when.model_dump() if spec.stop.when else None
    tasks = (
        RunTask(run, loaded.scenario, spec.record.every, spec.stop.weeks, when, code=plan.code,
                extras=how.extras_for(run) if how.extras_for else (), run_fn=how.run_fn,
                plugins=loaded.plugins)
        for run in todo
    )
    bar = _Progress(how.progress, total=report.unique, done=report.skipped, label=how.label)

    def finished(task: RunTask, outcome: RunOutcome) -> None:
        store.write_outcome(task.spec, outcome, task.attempt + 1)
        if outcome.ok:
            report.cpu_seconds += outcome.cpu_seconds
            report.peak_rss_mib = max(report.peak_rss_mib, outcome.peak_rss_mib)
        else:
            report.failed.append(task.spec.key)
            if how.on_failure is not None:
                how.on_failure(task.spec, outcome.error or "")
        report.computed += 1
        bar.advance(len(report.failed))

    def retried(task: RunTask) -> None:
        report.retried += 1

    try:
        drive(pool, tasks, how.retries, finished, retried)
    finally:
        bar.stop()
    return report


def drive(pool: Executor, tasks: Iterable[RunTask], retries: int,
          finished: Callable[[RunTask, RunOutcome], None],
          retried: Callable[[RunTask], None] | None = None) -> None:
    """Carry out ``tasks`` on ``pool``: the one run loop of every experiment (sweeps,
    comparisons, sensitivity and the fair test's runs).

    Tasks go to the pool through a window of ``pool.capacity`` tasks (pending work is not
    handed to the pool all at once, so neither side piles it up in memory). A run whose
    worker was lost, or that hit an error of the machine (``retryable``), goes again, ahead
    of the waiting tasks, up to ``retries`` extra attempts (``retried`` is told each time).
    Every task then ends in exactly one call of ``finished`` with its outcome, failures
    included: a run lost on every attempt as a failed outcome ``lost: ...``, and a success
    from a worker that ran other model code as a ``CodeMismatch`` failure. The pool stays
    open; its owner closes it (also when ``finished`` raises to stop the loop).
    """
    pending: deque[RunTask] = deque(tasks)
    in_flight = 0
    while pending or in_flight:
        while pending and in_flight < pool.capacity:
            pool.submit(pending.popleft())
            in_flight += 1
        task, result = pool.next_done()
        in_flight -= 1
        result = _checked(result, task)
        lost = not isinstance(result, RunOutcome)  # the worker died, or other code answered
        if (lost or (not result.ok and result.retryable)) and task.attempt < retries:
            if retried is not None:
                retried(task)
            pending.appendleft(task.retry())
            continue
        finished(task, _lost(task, result) if lost else result)


def _checked(result: Any, task: RunTask) -> Any:
    """A successful outcome from a worker that ran other code becomes a failure.

    Why here too: a worker of another installation (an older merger-sim on a cluster) does
    not check the fingerprint itself; its outcome then lacks the fingerprint of this code.
    """
    if not isinstance(result, RunOutcome) and type(result).__name__ == "RunOutcome":
        theirs = ""  # a RunOutcome class from other code altogether
    elif isinstance(result, RunOutcome) and result.ok:
        theirs = getattr(result, "code", "")
    else:
        return result
    if task.code and theirs != task.code:
        return RunOutcome(task.spec.key, False, None, {}, None, error=(
            f"CodeMismatch: the worker ran other model code (fingerprint {theirs or 'none'}, "
            f"the sweep planned with {task.code}); start the workers from the same "
            "installation and checkout"))
    return result


def _lost(task: RunTask, exc: BaseException) -> RunOutcome:
    return RunOutcome(
        task.spec.key,
        False,
        None,
        {},
        None,
        error=f"lost: {type(exc).__name__}: {exc}",
    )
