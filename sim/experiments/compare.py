"""Compare strategies: paired replications on the experiment engine, statistics, figures, report.

A comparison is an experiment like a sweep: strategies x replications at one parameter point,
planned, executed (serially, in local processes or on Dask), stored and resumed by the sweep
machinery (``sim.experiments.sweep``). The workflow, in order:

1. **Run.** Replication ``i`` uses seed ``base_seed + i`` under *every* strategy (common
   random numbers), so strategy differences are paired on identical initial populations and
   networks. Each run is stored as it finishes (``runs/<key>.parquet``, with its
   acculturation table, and agents and edges for replication 0); a killed comparison
   resumes where it stopped and edited model code recomputes (the run keys hold the code's
   fingerprint). A run that raises is stored with its error and reported; the rest are kept.
2. **Replications.** Either a fixed number, or ``auto``: batches are added until the key
   outcome's 95 % interval is within a relative precision target for every strategy and,
   with a half-width target, the interval of every paired difference with the baseline
   (``none`` when present) is at most that wide, up to a cap
   (``sim.experiments.stats.StoppingRule``;
   Lee et al. 2015, JASSS 18(4) 4).
3. **Combine** the run files into ``results.parquet`` and ``run_summary.parquet`` (the
   sweep's tables); ``sim.experiments.results.load_results`` reads them back.
4. **Analyse** into ``summary.csv``, ``paired.csv``, ``weekly.csv``, ``outcomes.csv``,
   ``acculturation.csv``, ``acculturation_summary.csv``, ``failures.csv`` and
   ``manifest.json``; when ``none`` is compared, also the counterfactual outcomes
   (``sim.experiments.counterfactual``): ``counterfactual.csv``, ``counterfactual_weekly.csv``,
   ``ce_plane.csv``, ``ceac.csv``.
5. **Draw** ``figures/*.png|svg`` and write ``report.html``, through the ``render`` the
   caller passes (this layer imports no presentation code; ``sim.presentation.comparison``
   passes the package's figures and report). Steps 4-5 write into a staging folder and
   replace the previous outputs together. ``redraw(DIR, render)`` repeats them from the
   stored runs.
"""

from __future__ import annotations

import json
import os
import platform
import shlex
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from sim.experiments import counterfactual as cf
from sim.experiments import outcomes as oc
from sim.experiments import stats
from sim.experiments.results import Results, load_results
from sim.experiments.sweep.folder import Experiment, check_folder, claim, staged_outputs
from sim.experiments.sweep.plan import Plan, RunSpec, plan_sweep
from sim.experiments.sweep.runner import (
    Execution,
    execute_plan,
    provenance_record,
    run_settings_record,
)
from sim.experiments.sweep.spec import LoadedSweep, comparison_sweep
from sim.experiments.sweep.store import RunStore, combine, write_results_csv

#: Draws a comparison's figures and writes its report into a staging folder:
#: ``render(stage, tables, figures)`` (``figures`` False: the report only). Passed in by the
#: presentation layer (``sim.presentation.comparison.render``).
Render = Callable[[Path, dict[str, Any], bool], None]

RUNS_DIR = "runs"
"""Sub-folder of the output folder holding the stored runs."""

DEFAULT_KEY_OUTCOME = "distance_to_target_final"
"""Outcome whose precision decides ``--replications auto`` (distance to the target culture
at the end of the follow-up: the durable alignment the case is about)."""

#: The combined tables of a comparison's runs (moved aside while a comparison runs).
COMBINED = ("results.parquet", "run_summary.parquet", "run_summary.csv", "results.csv")


class CompareError(RuntimeError):
    """The comparison produced nothing to analyse (e.g. every run failed)."""


RunFunction = Callable[..., Any]
"""``run(scenario, strategy=..., seed=..., overrides=..., weeks=...) -> RunResult``."""


@dataclass(frozen=True)
class RunFailure:
    """A failed run, as reported while the comparison goes on."""

    strategy: str
    replication: int
    seed: int
    error: str


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
        executor: "local" (process pool), "serial" or "dask".
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
    executor: str = "local"
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




def key_differences(outcomes: pd.DataFrame, strategies: Sequence[str],
                    key_outcome: str) -> dict[str, list[float]]:
    """Paired differences of the key outcome, each strategy minus the baseline, by seed."""
    base = difference_baseline(strategies)
    value = {(r.strategy, r.replication): r.value
             for r in outcomes.assign(value=outcomes.get(key_outcome)).itertuples(index=False)}
    reps = sorted({rep for (s, rep) in value if s == base})
    return {f"{s} - {base}": [value[(s, i)] - value[(base, i)] for i in reps
                              if (s, i) in value]
            for s in strategies if s != base}


def _format_value(value: Any) -> str:
    """TOML-style text of an override value (true/false, numbers, bare strings)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


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
    given, the counterfactual outcomes of ``sim.experiments.counterfactual``."""
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



def _detail(run: RunSpec) -> tuple[str, ...]:
    """The extra tables a comparison keeps per run: the acculturation modes always; agents
    and edges for replication 0, the exemplar the network and value-space figures show."""
    return ("acculturation", "agents", "edges") if run.replication == 0 else ("acculturation",)


def comparison_plan(scenario: Any, config: CompareConfig,
                    replications: int) -> tuple[LoadedSweep, Plan]:
    """The comparison with ``replications`` replications as a sweep, and its plan."""
    loaded = comparison_sweep(scenario, config.scenario_path, list(config.strategies),
                              replications, config.base_seed, dict(config.overrides),
                              config.weeks)
    return loaded, plan_sweep(loaded)


def compare_experiment(scenario: Any, config: CompareConfig) -> Experiment:
    """The experiment a comparison is, for its folder's record.

    Its runs are every run it may plan (up to the cap under ``auto``), named by the same
    code-independent ids as a sweep's.
    """
    rule = config.replications if isinstance(config.replications, stats.StoppingRule) else None
    count = rule.max_replications if rule else int(config.replications)
    _, plan = comparison_plan(scenario, config, count)
    definition = {
        "scenario_hash": plan.scenario_hash,
        "strategies": list(config.strategies),
        "base_seed": config.base_seed,
        "weeks": config.weeks,
        "replications": ({**rule.__dict__, "key_outcome": config.key_outcome} if rule
                         else count),
    }
    name = getattr(scenario, "name", None) or config.scenario_path
    return Experiment(kind="compare", name=str(name), definition=definition,
                      run_ids=tuple(run.id for run in plan.runs))


def _stored_outcomes(store: RunStore, plan: Plan) -> pd.DataFrame:
    """Derived outcomes of the plan's completed runs, read from their files."""
    done = store.done_keys()
    rows = []
    for run in plan.runs:
        if run.key in done:
            table, info = store.read_run(run.key)
            values = oc.run_outcomes(table.to_pandas(), info.get("meta") or {})
            rows.append({"strategy": run.strategy, "replication": run.replication,
                         "seed": run.seed, **values})
    return pd.DataFrame(rows, columns=None if rows else ["strategy", "replication", "seed"])


def _stored_effects(store: RunStore, plan: Plan, name: str) -> pd.DataFrame:
    """One effect over ``none`` (an ``effect`` observable) of the plan's completed runs:
    each run against the ``none`` run of its replication (the same seed)."""
    from sim.experiments.observables import BASELINE, get

    effect = get(name).function
    done = store.done_keys()
    base: dict[int, pd.DataFrame] = {}
    for run in plan.runs:
        if run.strategy == BASELINE and run.key in done:
            base[run.replication] = store.read_run(run.key)[0].to_pandas()
    rows = []
    for run in plan.runs:
        if run.strategy == BASELINE or run.key not in done or run.replication not in base:
            continue
        table, info = store.read_run(run.key)
        value = effect(table.to_pandas(), base[run.replication], info.get("meta") or {})
        rows.append({"strategy": run.strategy, "replication": run.replication,
                     "seed": run.seed, name: value})
    return pd.DataFrame(rows, columns=["strategy", "replication", "seed", name])


def key_samples(store: RunStore, plan: Plan, strategies: Sequence[str], key_outcome: str,
                differences: bool) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """What the stopping rule watches: the key outcome per strategy, and (when asked) its
    paired differences with the baseline.

    An effect over ``none`` is itself a paired difference with ``none`` (same seed), so for
    an effect the samples are the other strategies' effects and the differences are those
    same effects; ``none`` has no effect over itself and is not watched.
    """
    from sim.experiments.observables import BASELINE, effects

    if key_outcome in effects():
        table = _stored_effects(store, plan, key_outcome)
        samples = {s: table.loc[table["strategy"] == s, key_outcome].tolist()
                   for s in strategies if s != BASELINE}
        diffs = {f"{s} - {BASELINE}": v for s, v in samples.items()} if differences else {}
        return samples, diffs
    outcomes = _stored_outcomes(store, plan)
    samples = {s: outcomes.loc[outcomes["strategy"] == s, key_outcome].tolist()
               if key_outcome in outcomes else [] for s in strategies}
    diffs = key_differences(outcomes, strategies, key_outcome) \
        if differences and key_outcome in outcomes else {}
    return samples, diffs


def _first_meta(store: RunStore, plan: Plan) -> dict[str, Any]:
    """The run metadata of the first completed run (scenario facts shared by all runs)."""
    done = store.done_keys()
    for run in plan.runs:
        if run.key in done:
            return dict(store.read_run(run.key)[1].get("meta") or {})
    return {}


def raw_tables(results: Results) -> dict[str, pd.DataFrame]:
    """A comparison's per-run tables from its stored results, labelled by strategy,
    replication and seed in plan order (strategies in the user's order, then replications):
    timeseries, outcomes, acculturation, agents, edges and failures."""
    drop = ["run", "run_key", "group", "sample", "point"]
    weekly = results.weekly
    outcomes = results.outcomes
    return {
        "timeseries": weekly.drop(columns=[c for c in drop if c in weekly.columns]),
        "outcomes": outcomes.drop(columns=[c for c in drop if c in outcomes.columns]),
        "acculturation": results.table("acculturation"),
        "agents": results.table("agents"),
        "edges": results.table("edges"),
        "failures": results.failures,
    }


def save_raw(raw: Mapping[str, pd.DataFrame], out_dir: Path) -> None:
    """Write the per-run tables a reader opens without Python: outcomes, acculturation and
    failures as CSV (the weekly rows are in ``results.parquet``)."""
    raw["outcomes"].to_csv(out_dir / "outcomes.csv", index=False)
    raw["acculturation"].to_csv(out_dir / "acculturation.csv", index=False)
    raw["failures"].to_csv(out_dir / "failures.csv", index=False)


def load_tables(out_dir: Path | str) -> dict[str, Any]:
    """A comparison's stored tables and manifest (no rerun), via ``sim.experiments.results``.

    Raises:
        FileNotFoundError: the folder holds no comparison.
    """
    results = load_results(out_dir)
    if results.kind != "compare":
        raise FileNotFoundError(f"{out_dir}: not a comparison folder")
    return {**raw_tables(results), "manifest": results.manifest}


#: Everything a comparison derives from its stored runs; replaced together.
DERIVED = frozenset({
    "figures", "report.html", "summary.csv", "paired.csv", "weekly.csv",
    "acculturation_summary.csv", *(f"{name}.csv" for name in COUNTERFACTUAL_TABLES),
})
#: ... and what is written beside them once per run of the command.
COMPARE_OUTPUTS = DERIVED | {"manifest.json", "outcomes.csv", "acculturation.csv",
                             "failures.csv"}


def redraw(out_dir: Path | str, render: Render) -> Path:
    """Rebuild tables, figures and report.html of a comparison from its stored runs.

    Args:
        out_dir: a folder written by ``compare``.
        render: draws the figures and writes the report (:data:`Render`).

    Returns:
        Path of the rewritten report.
    """
    out = Path(out_dir)
    tables = load_tables(out)
    m = tables["manifest"]
    analysis = analyse(tables, m["strategies"], int(m.get("intervention_weeks", 0) or 0),
                       cf.Settings.from_dict(m.get("counterfactual")))
    _write_derived(out, DERIVED, {**tables, **analysis}, analysis, True, render)
    return out / "report.html"


def _write_derived(out: Path, names: frozenset[str], tables: dict[str, Any],
                   analysis: Mapping[str, pd.DataFrame], figures: bool,
                   render: Render | None, raw: Mapping[str, pd.DataFrame] | None = None
                   ) -> None:
    """Write tables, figures and report into a staging folder and swap them in together
    (without ``render``, the tables alone: no figures or report of an older run stay)."""
    with staged_outputs(out, names) as stage:
        if raw is not None:
            save_raw(raw, stage)
            (stage / "manifest.json").write_text(
                json.dumps(tables["manifest"], indent=2, default=str), encoding="utf-8")
        save_analysis(analysis, stage)
        if render is not None:
            render(stage, tables, figures)


def _provenance(meta: Mapping[str, Any], plan: Plan | None = None) -> dict[str, Any]:
    """Provenance of the comparison: scenario, code fingerprint, commit and dirty flag,
    library versions (the sweep's record, with the versions also at the top level)."""
    from sim.provenance import library_versions

    return {
        "scenario_name": meta.get("scenario_name"),
        "scenario_hash": meta.get("scenario_hash"),
        **(provenance_record(plan) if plan is not None else {}),
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
    on_failure: Callable[[RunFailure], None] | None = None,
    figures: bool = True,
    render: Render | None = None,
    counterfactual: cf.Settings | None = None,
    mode: str = "resume",
    executor: str = "local",
    scheduler: Any = None,
    security: Any = None,
    csv: bool = False,
) -> Path:
    """Run (or resume) a paired strategy comparison and write all outputs to ``out_dir``.

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
        run_fn: run function (default ``sim.run``); for tests (module level, picklable).
        progress: show a progress bar on stderr.
        on_failure: callback for each failed run as it happens.
        figures: draw the figures (a few seconds each); without them the report has only
            tables, and ``redraw`` can add them later from the stored runs.
        render: draws the figures and writes the report (:data:`Render`); without it only
            the tables are written (``sim.presentation.comparison.compare`` passes it).
        counterfactual: yardsticks of the counterfactual outcomes (used when ``none`` is
            among the strategies; default ``sim.experiments.counterfactual.Settings()``).
        mode: when ``out_dir`` holds another experiment: "resume" refuses, "overwrite"
            deletes it first, "extend" accepts a comparison that contains all its runs
            (``sim.experiments.sweep.folder``).
        executor: "local" (process pool), "serial" or "dask" (with ``scheduler``).
        scheduler: Dask scheduler address or a connected Client.
        security: TLS settings for a ``tls://`` scheduler address.
        csv: also write ``results.csv`` (every run and week).

    Returns:
        Path of report.html (written only when ``render`` is given).

    Raises:
        FolderError: ``out_dir`` holds another experiment; nothing was written.
        CompareError: every run failed (``failures.csv`` names them).
    """
    if not strategies:
        raise ValueError("strategies: give at least one strategy")
    if isinstance(replications, int) and replications < 1:
        raise ValueError(f"replications: must be >= 1, got {replications}")
    sc, label = _resolve_scenario(scenario)
    n_workers = workers or os.cpu_count() or 1
    if executor == "local" and n_workers == 1:
        executor = "serial"  # one worker: no pool, as before
    config = CompareConfig(
        scenario_path=label, strategies=list(strategies), replications=replications,
        base_seed=base_seed, overrides=dict(overrides or {}), weeks=weeks,
        workers=n_workers, executor=executor, key_outcome=key_outcome,
        counterfactual=counterfactual or cf.Settings(),
    )
    out = Path(out_dir)
    experiment = compare_experiment(sc, config)
    check_folder(out, experiment, mode)  # type: ignore[arg-type]
    store = RunStore(out, combined=COMBINED)
    store.open()
    try:
        action = claim(out, experiment, mode)  # type: ignore[arg-type]
        store.runs.mkdir(exist_ok=True)

        def failed(spec: RunSpec, error: str) -> None:
            if on_failure is not None:
                on_failure(RunFailure(spec.strategy, spec.replication, spec.seed, error))

        how = Execution(executor=executor, workers=n_workers, scheduler=scheduler,
                        progress=progress, security=security, extras_for=_detail,
                        run_fn=run_fn, on_failure=failed, label="compare")
        return _run_and_write(sc, config, out, store, how, figures, render, experiment,
                              action, csv)
    finally:
        store.close()


def _run_and_write(sc: Any, config: CompareConfig, out: Path, store: RunStore,
                   how: Execution, figures: bool, render: Render | None,
                   experiment: Experiment, action: str, csv: bool = False) -> Path:
    """Run the comparison's batches (resuming), combine, analyse and write the outputs."""
    from sim.experiments.sweep.executors import make_executor

    rule = config.replications if isinstance(config.replications, stats.StoppingRule) \
        else None
    target = rule.next_count(0, {}) if rule else int(config.replications)  # type: ignore[arg-type]
    started = time.perf_counter()
    trace: list[dict[str, Any]] = []
    invocation = {"computed": 0, "skipped": 0, "retried": 0, "cpu_seconds": 0.0,
                  "peak_rss_mib": 0.0}
    store.retire_combined()
    pool = make_executor(how.executor, how.workers, how.scheduler, how.security)
    try:
        while True:
            loaded, plan = comparison_plan(sc, config, target)
            for found in store.verify(plan.unique_keys):
                print(f"warning: {found.path}: damaged ({found.reason}); moved to "
                      f"{found.moved_to}; computing it again", file=sys.stderr)
            report = execute_plan(loaded, plan, store, how, pool)
            for name in ("computed", "retried", "cpu_seconds"):
                invocation[name] += getattr(report, name)
            invocation["skipped"] = report.skipped if not trace else invocation["skipped"]
            invocation["peak_rss_mib"] = max(invocation["peak_rss_mib"], report.peak_rss_mib)
            if rule is None:
                break
            samples, diffs = key_samples(store, plan, config.strategies, config.key_outcome,
                                         rule.half_width is not None)
            trace.append({
                "replications": target,
                **{f"relative_precision[{s}]": stats.relative_precision(v, rule.level)
                   for s, v in samples.items()},
                **{f"half_width[{p}]": rule.difference_half_width(d) for p, d in diffs.items()},
                "met": rule.is_met(samples, diffs),
            })
            following = rule.next_count(target, samples, diffs)
            if following <= target:
                break
            target = following
    finally:
        pool.close()
    counts = combine(store, plan, summary="run_summary")
    if csv:
        write_results_csv(out)
    store.clear_stale()
    wall = time.perf_counter() - started
    meta = _first_meta(store, plan)
    manifest = {
        "kind": "compare",
        "command": config.command(out),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "scenario_path": config.scenario_path,
        "strategies": config.strategies,
        "replications": "auto" if rule else int(config.replications),  # type: ignore[arg-type]
        "stopping_rule": (
            {**rule.__dict__, "key_outcome": config.key_outcome, "trace": _jsonable(trace)}
            if rule else None),
        "replications_done": target,
        "runs_ok": {},
        "runs_failed": counts["failed"],
        "base_seed": config.base_seed,
        "seeds": f"{config.base_seed} .. {config.base_seed + target - 1}",
        "overrides": _jsonable(config.overrides),
        "weeks": config.weeks,
        "workers": config.workers,
        "executor": config.executor,
        "wall_seconds": round(wall, 3),
        "parameters": [],
        "plugins": list(loaded.plugins),
        "intervention_weeks": int(meta.get("intervention_weeks", 0) or 0),
        "followup_weeks": int(meta.get("followup_weeks", 0) or 0),
        "target": meta.get("target", {}),
        "dimensions": meta.get("dimensions", []),
        "cities": meta.get("cities", []),
        "counterfactual": {"baseline": cf.BASELINE, **config.counterfactual.as_dict()},
        "experiment": experiment.identity,
        "folder": action,
        "provenance": _provenance(meta, plan),
        "last_invocation": {**{k: round(v, 3) if isinstance(v, float) else v
                               for k, v in invocation.items()},
                            "wall_seconds": round(wall, 3)},
        "scenario": _scenario_dump(sc),
        **run_settings_record(loaded),
    }
    results = Results(out, manifest, pd.read_parquet(out / "run_summary.parquet"),
                      pd.read_parquet(out / "results.parquet")
                      if (out / "results.parquet").is_file() else pd.DataFrame(), [])
    raw = raw_tables(results)
    manifest["runs_ok"] = {str(k): int(v) for k, v in
                           raw["outcomes"].groupby("strategy", sort=False).size().items()} \
        if not raw["outcomes"].empty else {}
    if raw["outcomes"].empty:
        with staged_outputs(out, COMPARE_OUTPUTS) as stage:
            raw["failures"].to_csv(stage / "failures.csv", index=False)
        first = str(raw["failures"]["error"].iloc[0]).splitlines()[0] \
            if len(raw["failures"]) else ""
        raise CompareError(f"all {counts['failed']} runs failed (see "
                           f"{out / 'failures.csv'}); first error: {first}")
    analysis = analyse(raw, config.strategies, manifest["intervention_weeks"],
                       config.counterfactual)
    tables = {**raw, **analysis, "manifest": manifest}
    _write_derived(out, COMPARE_OUTPUTS, tables, analysis, figures, render, raw)
    return out / "report.html"
