"""Compare strategies: paired replications in parallel, statistics, figures and a report.

The workflow, in order:

1. **Run.** Replication ``i`` uses seed ``base_seed + i`` under *every* strategy (common
   random numbers), so strategy differences are paired on identical initial populations and
   networks. Runs go to a local process pool (``concurrent.futures``); a rich progress bar
   shows runs done and time left. A run that raises is recorded with its error in
   ``failures.csv``; all other runs are kept.
2. **Replications.** Either a fixed number, or ``auto``: batches are added until the key
   outcome's 95 % interval is within a relative precision target for every strategy and,
   with a half-width target, the interval of every paired difference with the baseline
   (``none`` when present) is at most that wide, up to a cap (``sim.stats.StoppingRule``;
   Lee et al. 2015, JASSS 18(4) 4).
3. **Save raw results** (``runs/*.parquet``) so analysis and figures never need a rerun.
4. **Analyse** into ``summary.csv``, ``paired.csv``, ``weekly.csv``, ``outcomes.csv``,
   ``acculturation.csv``, ``acculturation_summary.csv`` and ``manifest.json``; when ``none``
   is compared, also the counterfactual outcomes (``sim.counterfactual``):
   ``counterfactual.csv``, ``counterfactual_weekly.csv``, ``ce_plane.csv``, ``ceac.csv``.
5. **Draw** ``figures/*.png|svg`` and write ``report.html``. ``redraw(DIR)`` repeats steps
   4-5 from the saved raw results.
"""

from __future__ import annotations

import json
import math
import multiprocessing
import os
import platform
import shlex
import sys
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from sim import counterfactual as cf
from sim import outcomes as oc
from sim import stats
from sim.progress import progress_bar
from sim.provenance import code_fingerprint, git_commit, git_dirty, library_versions
from sim.sweep.folder import Experiment, check_folder, claim, staged_outputs
from sim.sweep.store import RunStore

RUNS_DIR = "runs"
"""Sub-folder of the output folder holding the raw per-run tables."""

DEFAULT_KEY_OUTCOME = "distance_to_target_final"
"""Outcome whose precision decides ``--replications auto`` (distance to the target culture
at the end of the follow-up: the durable alignment the case is about)."""

class CompareError(RuntimeError):
    """The comparison produced nothing to analyse (e.g. every run failed)."""


RunFunction = Callable[..., Any]
"""``run(scenario, strategy=..., seed=..., overrides=..., weeks=...) -> RunResult``."""


@dataclass(frozen=True)
class RunTask:
    """One run to do: a strategy under one replication's seed."""

    scenario: Any
    strategy: str
    replication: int
    seed: int
    overrides: Mapping[str, Any]
    weeks: int | None
    keep_detail: bool


@dataclass
class RunRecord:
    """What one run returns to the parent process (small: no full model state)."""

    strategy: str
    replication: int
    seed: int
    seconds: float
    error: str | None = None
    cpu_seconds: float = math.nan
    peak_rss_mib: float = math.nan
    timeseries: pd.DataFrame | None = None
    outcomes: dict[str, float] = field(default_factory=dict)
    acculturation: pd.DataFrame | None = None
    agents: pd.DataFrame | None = None
    edges: pd.DataFrame | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when the run finished without an exception."""
        return self.error is None


def _default_run(*args: Any, **kwargs: Any) -> Any:
    """Call ``sim.run`` (imported late so importing this module stays light)."""
    from sim import run

    return run(*args, **kwargs)


def execute(task: RunTask, run_fn: RunFunction | None = None) -> RunRecord:
    """Do one run and reduce it to what the comparison needs; never raises.

    Runs in a worker process. Derived outcomes and acculturation modes are computed here
    so that only small tables travel back; agent snapshots and edges are kept only for the
    exemplar replication (``keep_detail``) that the network and value-space figures show.
    """
    fn = run_fn or _default_run
    start = time.perf_counter()
    cpu_start = time.process_time()
    rec = RunRecord(task.strategy, task.replication, task.seed, 0.0)
    try:
        res = fn(task.scenario, strategy=task.strategy, seed=task.seed,
                 overrides=dict(task.overrides), weeks=task.weeks)
        meta = dict(res.meta)
        ts = res.timeseries.copy()
        rec.outcomes = oc.run_outcomes(ts, meta)
        target = meta.get("target") or {}
        if target and res.agents is not None and len(res.agents):
            rec.acculturation = oc.acculturation(res.agents, target)
        rec.timeseries = ts
        rec.meta = _jsonable(meta)
        if task.keep_detail:
            rec.agents = res.agents.copy()
            parts = [df.assign(week=int(w)) for w, df in (res.edges or {}).items()]
            if parts:
                rec.edges = pd.concat(parts, ignore_index=True)[
                    ["week", "source", "target", "weight"]]
    except Exception as exc:
        rec.error = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=6)}"
    rec.seconds = time.perf_counter() - start
    rec.cpu_seconds = time.process_time() - cpu_start
    rec.peak_rss_mib = _peak_rss_mib()
    return rec


def _peak_rss_mib() -> float:
    """Peak resident memory of this (worker) process so far, in MiB; NaN if unknown."""
    try:
        import resource
    except ImportError:  # not on Windows
        return math.nan
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 2**20 if sys.platform == "darwin" else rss / 2**10


def _jsonable(obj: Any) -> Any:
    """Convert NumPy scalars, paths and tuples in run metadata to JSON-safe values."""
    if isinstance(obj, Mapping):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_jsonable(v) for v in obj]
    if hasattr(obj, "item") and callable(obj.item):
        return obj.item()
    if isinstance(obj, str | int | float | bool) or obj is None:
        return obj
    return str(obj)


@dataclass
class CompareConfig:
    """Everything that defines a comparison; stored in the manifest to reproduce it.

    Attributes:
        scenario_path: path of the scenario file (for the reproduce command), or a label.
        strategies: strategy names in the user's order; the first is the baseline.
        replications: a fixed count, or a StoppingRule for ``auto``.
        base_seed: replication i uses seed base_seed + i.
        overrides: dotted parameter path -> value, applied to every run.
        weeks: horizon override (None: the scenario's).
        workers: worker processes (1: run in this process).
        key_outcome: outcome the stopping rule watches.
        counterfactual: yardsticks of the outcomes over ``none``.
    """

    scenario_path: str
    strategies: list[str]
    replications: int | stats.StoppingRule
    base_seed: int = 0
    overrides: dict[str, Any] = field(default_factory=dict)
    weeks: int | None = None
    workers: int = 1
    key_outcome: str = DEFAULT_KEY_OUTCOME
    counterfactual: cf.Settings = field(default_factory=cf.Settings)

    def command(self, out_dir: Path | str) -> str:
        """The ``merger-sim compare`` command line that reproduces this comparison."""
        parts = ["merger-sim", "compare", self.scenario_path,
                 "--strategies", ",".join(self.strategies)]
        if isinstance(self.replications, stats.StoppingRule):
            rule = self.replications
            parts += ["--replications", "auto", "--precision", f"{rule.precision:g}",
                      "--min-replications", str(rule.min_replications),
                      "--max-replications", str(rule.max_replications),
                      "--batch", str(rule.batch)]
            if rule.half_width is not None:
                parts += ["--half-width", f"{rule.half_width:g}"]
            if self.key_outcome != DEFAULT_KEY_OUTCOME:
                parts += ["--key-outcome", self.key_outcome]
        else:
            parts += ["--replications", str(self.replications)]
        parts += ["--seed", str(self.base_seed)]
        if self.weeks is not None:
            parts += ["--weeks", str(self.weeks)]
        for key, value in self.overrides.items():
            parts += ["--set", f"{key}={_format_value(value)}"]
        parts += _counterfactual_options(self.counterfactual)
        parts += ["--out", str(out_dir)]
        return shlex.join(parts)


def _counterfactual_options(settings: cf.Settings) -> list[str]:
    """Command-line options for counterfactual yardsticks that differ from the defaults."""
    parts: list[str] = []
    if settings.durability_weeks != cf.DEFAULT_DURABILITY_WEEKS:
        parts += ["--durability-weeks", str(settings.durability_weeks)]
    if settings.threshold != cf.DEFAULT_THRESHOLD:
        parts += ["--threshold", f"{settings.threshold:g}"]
    if settings.wtp is not None:
        parts += ["--wtp", f"{settings.wtp[0]:g}:{settings.wtp[1]:g}"]
    return parts


def difference_baseline(strategies: Sequence[str]) -> str:
    """The strategy differences are taken against: ``none`` when compared, else the first."""
    return cf.BASELINE if cf.BASELINE in strategies else strategies[0]


def key_differences(records: Sequence[RunRecord], strategies: Sequence[str],
                    key_outcome: str) -> dict[str, list[float]]:
    """Paired differences of the key outcome, each strategy minus the baseline, by seed."""
    base = difference_baseline(strategies)
    value = {(r.strategy, r.replication): r.outcomes.get(key_outcome, math.nan)
             for r in records if r.ok}
    reps = sorted({rep for (s, rep) in value if s == base})
    return {f"{s} - {base}": [value[(s, i)] - value[(base, i)] for i in reps
                              if (s, i) in value]
            for s in strategies if s != base}


def _format_value(value: Any) -> str:
    """TOML-style text of an override value (true/false, numbers, bare strings)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class _Pool:
    """Run tasks serially (workers = 1) or in a process pool, yielding records as done."""

    def __init__(self, workers: int, run_fn: RunFunction | None) -> None:
        self.workers = workers
        self.run_fn = run_fn
        self.executor: ProcessPoolExecutor | None = None
        self.broken = False
        """True once a worker process died: no further batches are submitted."""
        if workers > 1:
            # forkserver (spawn where missing): forking a parent that already runs BLAS and
            # progress-bar threads can deadlock; workers import sim once and are reused.
            methods = multiprocessing.get_all_start_methods()
            ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods
                                              else "spawn")
            self.executor = ProcessPoolExecutor(max_workers=workers, mp_context=ctx)

    def submit(self, tasks: Sequence[RunTask]) -> list[tuple[Future[RunRecord] | None, RunTask]]:
        """Queue tasks; serial mode keeps the tasks for lazy execution (future None)."""
        if self.executor is None:
            return [(None, t) for t in tasks]
        return [(self.executor.submit(execute, t, self.run_fn), t) for t in tasks]

    def results(self, handles: Sequence[tuple[Future[RunRecord] | None, RunTask]]) -> Any:
        """Yield a RunRecord per handle, in completion order; failures become records."""
        if self.executor is None:
            for _, task in handles:
                yield execute(task, self.run_fn)
            return
        from concurrent.futures import as_completed

        task_of = {fut: task for fut, task in handles if fut is not None}
        for fut in as_completed(task_of):
            try:
                yield fut.result()
            except BrokenProcessPool as exc:  # a worker died (e.g. killed for memory)
                self.broken = True
                t = task_of[fut]
                yield RunRecord(t.strategy, t.replication, t.seed, 0.0,
                                error=f"{type(exc).__name__}: {exc}")
            except Exception as exc:
                t = task_of[fut]
                yield RunRecord(t.strategy, t.replication, t.seed, 0.0,
                                error=f"{type(exc).__name__}: {exc}")

    def close(self) -> None:
        """Shut the pool down (cancels nothing already finished)."""
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)


def _progress(enabled: bool) -> Any:
    """The progress bar of a comparison: runs done / total, elapsed and remaining time."""
    from rich.progress import TextColumn

    return progress_bar(enabled, TextColumn("runs"))


def _resolve_scenario(scenario: Any) -> tuple[Any, str]:
    """Load a scenario given as a path; return (scenario object, label for commands)."""
    if isinstance(scenario, str | Path):
        from sim import load_scenario

        return load_scenario(scenario), str(scenario)
    name = getattr(scenario, "name", None) or (
        scenario.get("name") if isinstance(scenario, Mapping) else None)
    return scenario, str(name or "scenario")


def _scenario_dump(scenario: Any) -> Any:
    """JSON-safe dump of the scenario for the manifest and report."""
    if hasattr(scenario, "model_dump"):
        return scenario.model_dump(mode="json")
    return _jsonable(scenario)


def run_replications(
    scenario: Any,
    config: CompareConfig,
    run_fn: RunFunction | None = None,
    progress: bool = True,
    on_failure: Callable[[RunRecord], None] | None = None,
) -> tuple[list[RunRecord], list[dict[str, Any]]]:
    """Run every strategy under common seeds until the replication target is met.

    Args:
        scenario: scenario object passed to the run function.
        config: the comparison's settings.
        run_fn: run function (default ``sim.run``); must be picklable for workers > 1.
        progress: show the progress bar.
        on_failure: called with each failed run's record as it arrives.

    Returns:
        (all run records, the stopping-rule trace: one dict per check).
    """
    rule = config.replications if isinstance(config.replications, stats.StoppingRule) else None
    target = rule.next_count(0, {}) if rule else int(config.replications)
    total_max = (rule.max_replications if rule else target) * len(config.strategies)
    workers = max(1, min(config.workers, total_max))
    pool = _Pool(workers, run_fn)
    records: list[RunRecord] = []
    trace: list[dict[str, Any]] = []
    done = 0
    bar = _progress(progress)
    try:
        task_id = None
        while target > done:
            tasks = [
                RunTask(scenario, s, i, config.base_seed + i, config.overrides, config.weeks,
                        keep_detail=(i == 0))
                for i in range(done, target) for s in config.strategies
            ]
            handles = pool.submit(tasks)
            if task_id is None:
                bar.start()
                task_id = bar.add_task("compare", total=len(tasks))
            else:
                bar.update(task_id, total=target * len(config.strategies))
            for rec in pool.results(handles):
                records.append(rec)
                if not rec.ok and on_failure is not None:
                    on_failure(rec)
                bar.advance(task_id)
            done = target
            if rule is None or pool.broken:
                break
            samples = {
                s: [r.outcomes.get(config.key_outcome, math.nan)
                    for r in records if r.ok and r.strategy == s]
                for s in config.strategies
            }
            diffs = key_differences(records, config.strategies, config.key_outcome) \
                if rule.half_width is not None else {}
            trace.append({
                "replications": done,
                **{f"relative_precision[{s}]": stats.relative_precision(v, rule.level)
                   for s, v in samples.items()},
                **{f"half_width[{p}]": rule.difference_half_width(d) for p, d in diffs.items()},
                "met": rule.is_met(samples, diffs),
            })
            target = rule.next_count(done, samples, diffs)
    finally:
        bar.stop()
        pool.close()
    return records, trace


def assemble(records: Sequence[RunRecord],
             strategies: Sequence[str] | None = None) -> dict[str, pd.DataFrame]:
    """Raw per-run tables from run records (only successful runs; failures separately).

    Rows are ordered by strategy in the user's order (``strategies``), then replication.
    """
    ok = [r for r in records if r.ok]
    keys = ["strategy", "replication", "seed"]

    def tag(df: pd.DataFrame, r: RunRecord) -> pd.DataFrame:
        return df.assign(strategy=r.strategy, replication=r.replication, seed=r.seed)[
            keys + list(df.columns)]

    def cat(frames: list[pd.DataFrame]) -> pd.DataFrame:
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    out = {
        "timeseries": cat([tag(r.timeseries, r) for r in ok if r.timeseries is not None]),
        "outcomes": pd.DataFrame(
            [{"strategy": r.strategy, "replication": r.replication, "seed": r.seed,
              "seconds": r.seconds, "cpu_seconds": r.cpu_seconds,
              "peak_rss_mib": r.peak_rss_mib, **r.outcomes}
             for r in ok]),
        "acculturation": cat([tag(r.acculturation, r) for r in ok
                              if r.acculturation is not None]),
        "agents": cat([tag(r.agents, r) for r in ok if r.agents is not None]),
        "edges": cat([tag(r.edges, r) for r in ok if r.edges is not None]),
        "failures": pd.DataFrame(
            [{"strategy": r.strategy, "replication": r.replication, "seed": r.seed,
              "error": r.error} for r in records if not r.ok],
            columns=["strategy", "replication", "seed", "error"]),
    }
    rank = {s: i for i, s in enumerate(strategies or sorted({r.strategy for r in records}))}
    for name in ("timeseries", "outcomes", "acculturation", "agents", "edges"):
        df = out[name]
        if not df.empty:
            keys = [c for c in ("strategy", "replication", "week") if c in df.columns]
            out[name] = df.sort_values(
                keys, kind="stable",
                key=lambda col: col.map(rank) if col.name == "strategy" else col,
            ).reset_index(drop=True)
    return out


def outcome_columns(outcomes: pd.DataFrame) -> list[str]:
    """Numeric outcome columns of the per-run table (identifiers and timing excluded)."""
    skip = {"strategy", "replication", "seed", "seconds", "cpu_seconds", "peak_rss_mib"}
    return [c for c in outcomes.columns
            if c not in skip and pd.api.types.is_numeric_dtype(outcomes[c])]


def analyse(raw: Mapping[str, pd.DataFrame], strategies: Sequence[str],
            intervention_weeks: int | None = None,
            counterfactual: cf.Settings | None = None) -> dict[str, pd.DataFrame]:
    """Summary, paired differences (with BH-adjusted p-values), weekly intervals,
    acculturation shares and, when ``none`` is compared and ``intervention_weeks`` is
    given, the counterfactual outcomes of ``sim.counterfactual``."""
    outcomes = raw["outcomes"]
    cols = outcome_columns(outcomes) if not outcomes.empty else []
    order = [s for s in strategies if s in set(outcomes.get("strategy", []))]
    summary = stats.summarise(outcomes, "strategy", cols) if cols else pd.DataFrame()
    if not summary.empty:
        summary["label"] = [oc.label(c) for c in summary["outcome"]]
    paired = stats.paired_table(outcomes, order, cols) if cols and len(order) > 1 \
        else pd.DataFrame()
    if not paired.empty:
        paired["label"] = [oc.label(c) for c in paired["outcome"]]
        paired["p_value_bh"] = stats.fdr_bh(paired["p_value"])
    ts = raw["timeseries"]
    metrics = [m for m in ts.columns if m not in ("strategy", "replication", "seed", "week")
               and pd.api.types.is_numeric_dtype(ts[m])] if not ts.empty else []
    weekly = stats.weekly_intervals(ts, metrics) if metrics else pd.DataFrame()
    acc = raw["acculturation"]
    acc_summary = oc.mode_shares(acc) if not acc.empty else pd.DataFrame()
    cf_tables = cf.counterfactual_tables(ts, intervention_weeks, strategies, counterfactual) \
        if intervention_weeks is not None and not ts.empty \
        else cf.counterfactual_tables(pd.DataFrame(), 0)
    return {"summary": summary, "paired": paired, "weekly": weekly,
            "acculturation_summary": acc_summary, **cf_tables}


def save_raw(raw: Mapping[str, pd.DataFrame], out_dir: Path) -> None:
    """Write the raw per-run tables as Parquet (and CSV for the small ones)."""
    runs = out_dir / RUNS_DIR
    runs.mkdir(parents=True, exist_ok=True)
    for name in ("timeseries", "outcomes", "acculturation", "agents", "edges"):
        raw[name].to_parquet(runs / f"{name}.parquet", index=False)
    raw["outcomes"].to_csv(out_dir / "outcomes.csv", index=False)
    raw["acculturation"].to_csv(out_dir / "acculturation.csv", index=False)
    raw["failures"].to_csv(out_dir / "failures.csv", index=False)


COUNTERFACTUAL_TABLES = ("counterfactual", "counterfactual_weekly", "ce_plane", "ceac")
"""Tables written only when ``none`` is part of the comparison."""


def save_analysis(tables: Mapping[str, pd.DataFrame], out_dir: Path) -> None:
    """Write summary.csv, paired.csv, weekly.csv, acculturation_summary.csv and, when
    present, the counterfactual tables."""
    for name in ("summary", "paired", "weekly", "acculturation_summary"):
        tables[name].to_csv(out_dir / f"{name}.csv", index=False)
    for name in COUNTERFACTUAL_TABLES:
        table = tables.get(name)
        path = out_dir / f"{name}.csv"
        if table is not None and not table.empty:
            table.to_csv(path, index=False)
        else:  # never leave an earlier comparison's table beside this one's
            path.unlink(missing_ok=True)


def load_tables(out_dir: Path | str) -> dict[str, Any]:
    """Load a comparison's saved raw tables and manifest (no rerun).

    Returns:
        Dict with timeseries, outcomes, acculturation, agents, edges, failures (DataFrames)
        and manifest (dict).
    """
    out = Path(out_dir)
    runs = out / RUNS_DIR
    if not (out / "manifest.json").is_file() or not runs.is_dir():
        raise FileNotFoundError(f"{out}: not a comparison folder (no manifest.json or runs/)")
    tables: dict[str, Any] = {
        name: pd.read_parquet(runs / f"{name}.parquet")
        for name in ("timeseries", "outcomes", "acculturation", "agents", "edges")
    }
    failures = out / "failures.csv"
    tables["failures"] = pd.read_csv(failures) if failures.stat().st_size > 1 else pd.DataFrame()
    tables["manifest"] = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return tables


def redraw(out_dir: Path | str) -> Path:
    """Rebuild tables, figures and report.html of a comparison from its saved raw results.

    Args:
        out_dir: a folder written by ``compare``.

    Returns:
        Path of the rewritten report.
    """
    from sim.plots import draw_all
    from sim.report import build_report

    out = Path(out_dir)
    tables = load_tables(out)
    m = tables["manifest"]
    analysis = analyse(tables, m["strategies"], int(m.get("intervention_weeks", 0) or 0),
                       cf.Settings.from_dict(m.get("counterfactual")))
    derived = COMPARE_OUTPUTS - {RUNS_DIR, "manifest.json", "outcomes.csv", "acculturation.csv",
                                 "failures.csv"}
    with staged_outputs(out, derived) as stage:
        save_analysis(analysis, stage)
        figures = draw_all({**tables, **analysis}, stage / "figures")
        build_report(stage, {**tables, **analysis}, figures)
    return out / "report.html"


def _provenance(meta: Mapping[str, Any]) -> dict[str, Any]:
    """Provenance of the comparison: model version and commit, scenario hash, library versions."""
    return {
        "scenario_name": meta.get("scenario_name"),
        "scenario_hash": meta.get("scenario_hash"),
        "package_version": meta.get("package_version"),
        "git_commit": meta.get("git_commit") or git_commit(),
        "git_dirty": git_dirty(),
        "code_fingerprint": code_fingerprint(),
        **library_versions(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
    }


def compare(
    scenario: Any,
    strategies: Sequence[str],
    replications: int | stats.StoppingRule,
    out_dir: Path | str,
    workers: int | None = None,
    base_seed: int = 0,
    overrides: Mapping[str, Any] | None = None,
    weeks: int | None = None,
    key_outcome: str = DEFAULT_KEY_OUTCOME,
    run_fn: RunFunction | None = None,
    progress: bool = True,
    on_failure: Callable[[RunRecord], None] | None = None,
    figures: bool = True,
    counterfactual: cf.Settings | None = None,
    mode: str = "resume",
) -> Path:
    """Run a paired strategy comparison and write all outputs to ``out_dir``.

    Args:
        scenario: a scenario file path, or a loaded scenario object.
        strategies: strategy names, at least one; the first is the baseline in paired.csv.
        replications: number of replications per strategy, or a StoppingRule (``auto``).
        out_dir: output folder (created).
        workers: worker processes (default: all CPUs; 1 runs in this process).
        base_seed: replication i uses seed base_seed + i under every strategy.
        overrides: dotted parameter path -> value for every run.
        weeks: horizon override.
        key_outcome: outcome column watched by the stopping rule.
        run_fn: run function (default ``sim.run``); for tests and other models.
        progress: show a progress bar on stderr.
        on_failure: callback for each failed run as it happens.
        figures: draw the figures (a few seconds each); without them the report has only
            tables, and ``redraw`` can add them later from the saved runs.
        counterfactual: yardsticks of the counterfactual outcomes (used when ``none`` is
            among the strategies; default ``sim.counterfactual.Settings()``).
        mode: when ``out_dir`` holds another experiment: "resume" refuses, "overwrite"
            deletes it first, "extend" accepts a comparison that contains all its runs
            (``sim.sweep.folder``).

    Returns:
        Path of report.html.

    Raises:
        FolderError: ``out_dir`` holds another experiment; nothing was written.
    """
    if not strategies:
        raise ValueError("strategies: give at least one strategy")
    if isinstance(replications, int) and replications < 1:
        raise ValueError(f"replications: must be >= 1, got {replications}")
    sc, label = _resolve_scenario(scenario)
    config = CompareConfig(
        scenario_path=label, strategies=list(strategies), replications=replications,
        base_seed=base_seed, overrides=dict(overrides or {}), weeks=weeks,
        workers=workers or os.cpu_count() or 1, key_outcome=key_outcome,
        counterfactual=counterfactual or cf.Settings(),
    )
    out = Path(out_dir)
    experiment = compare_experiment(sc, config)
    check_folder(out, experiment, mode)  # type: ignore[arg-type]
    lock = RunStore(out)
    lock.open()
    try:
        claim(out, experiment, mode)  # type: ignore[arg-type]
        return _run_and_write(sc, label, config, out, run_fn, progress, on_failure, figures)
    finally:
        lock.close()


#: Everything a comparison derives from its runs; replaced together (``staged_outputs``).
COMPARE_OUTPUTS = frozenset({
    RUNS_DIR, "figures", "report.html", "manifest.json", "summary.csv", "paired.csv",
    "weekly.csv", "outcomes.csv", "acculturation.csv", "acculturation_summary.csv",
    "failures.csv", *(f"{name}.csv" for name in ("counterfactual", "counterfactual_weekly",
                                                   "ce_plane", "ceac")),
})


def compare_experiment(scenario: Any, config: CompareConfig) -> Experiment:
    """The experiment a comparison is, for its folder's record.

    Its runs are named by the same code-independent ids as a sweep's (scenario after the
    overrides, strategy, seed, recording), for every replication it may plan.
    """
    from sim.scenario import apply_overrides, scenario_hash
    from sim.sweep.plan import run_id

    rule = config.replications if isinstance(config.replications, stats.StoppingRule) else None
    count = rule.max_replications if rule else int(config.replications)
    final = apply_overrides(scenario, config.overrides) if config.overrides else scenario
    shash = scenario_hash(final)
    settings = {"record": 1, "weeks": config.weeks, "when": None}
    ids = tuple(run_id(shash, {}, s, config.base_seed + i, settings)
                for i in range(count) for s in config.strategies)
    definition = {
        "scenario_hash": shash,
        "strategies": list(config.strategies),
        "base_seed": config.base_seed,
        "weeks": config.weeks,
        "replications": ({**rule.__dict__, "key_outcome": config.key_outcome} if rule
                         else count),
    }
    name = getattr(final, "name", None) or config.scenario_path
    return Experiment(kind="compare", name=str(name), definition=definition, run_ids=ids)


def _run_and_write(sc: Any, label: str, config: CompareConfig, out: Path,
                   run_fn: RunFunction | None, progress: bool,
                   on_failure: Callable[[RunRecord], None] | None, figures: bool) -> Path:
    """Run the comparison and write its outputs into ``out``, all together."""
    from sim.plots import draw_all
    from sim.report import build_report

    replications, base_seed, weeks = config.replications, config.base_seed, config.weeks
    key_outcome = config.key_outcome
    started = time.perf_counter()
    records, trace = run_replications(sc, config, run_fn, progress, on_failure)
    wall = time.perf_counter() - started
    raw = assemble(records, config.strategies)
    if raw["outcomes"].empty:
        with staged_outputs(out, COMPARE_OUTPUTS) as stage:
            raw["failures"].to_csv(stage / "failures.csv", index=False)
        first = raw["failures"]["error"].iloc[0].splitlines()[0] if len(raw["failures"]) else ""
        raise CompareError(f"all {len(records)} runs failed (see {out / 'failures.csv'}); "
                           f"first error: {first}")
    first_ok = next((r for r in records if r.ok), None)
    meta = first_ok.meta if first_ok else {}
    n_ok = raw["outcomes"].groupby("strategy").size().to_dict() if not raw["outcomes"].empty \
        else {}
    rule = replications if isinstance(replications, stats.StoppingRule) else None
    manifest = {
        "command": config.command(out),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "scenario_path": label,
        "strategies": config.strategies,
        "replications": "auto" if rule else int(replications),  # type: ignore[arg-type]
        "stopping_rule": (
            {**rule.__dict__, "key_outcome": key_outcome, "trace": _jsonable(trace)}
            if rule else None),
        "replications_done": max((r.replication for r in records), default=-1) + 1,
        "runs_ok": {str(k): int(v) for k, v in n_ok.items()},
        "runs_failed": len(raw["failures"]),
        "base_seed": base_seed,
        "seeds": f"{base_seed} .. {base_seed + max((r.replication for r in records), default=0)}",
        "overrides": _jsonable(config.overrides),
        "weeks": weeks,
        "workers": config.workers,
        "wall_seconds": round(wall, 3),
        "intervention_weeks": int(meta.get("intervention_weeks", 0) or 0),
        "followup_weeks": int(meta.get("followup_weeks", 0) or 0),
        "target": meta.get("target", {}),
        "dimensions": meta.get("dimensions", []),
        "cities": meta.get("cities", []),
        "counterfactual": {"baseline": cf.BASELINE, **config.counterfactual.as_dict()},
        "experiment": compare_experiment(sc, config).identity,
        "provenance": _provenance(meta),
        "scenario": _scenario_dump(sc),
    }
    analysis = analyse(raw, config.strategies, manifest["intervention_weeks"],
                       config.counterfactual)
    tables = {**raw, **analysis, "manifest": manifest}
    with staged_outputs(out, COMPARE_OUTPUTS) as stage:
        save_raw(raw, stage)
        (stage / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str),
                                             encoding="utf-8")
        save_analysis(analysis, stage)
        drawn = draw_all(tables, stage / "figures") if figures else {}
        build_report(stage, tables, drawn)
    return out / "report.html"
