"""The ``merger-sim compare`` command: paired strategy comparison from the command line.

Only typer is imported at module level; the simulation, pandas and matplotlib are imported
inside the command so that ``merger-sim --help`` stays fast. Bad input (unknown strategy,
malformed ``--replications``, an invalid ``--set``) prints one ``error: <option>: <reason>``
line and exits with code 2, like every other command.

Counterfactual outcomes (effects over ``none``, speed, durability, ICER, CE plane and
acceptability curve; ``sim.experiments.counterfactual``) are computed whenever ``none`` is compared;
``--counterfactual`` (the default) adds ``none`` when it is missing and says so.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Annotated

import typer

KEY_OUTCOME = "distance_to_target_final"
"""Default outcome for ``--replications auto`` (kept in step with sim.experiments.compare)."""

DEFAULT_HALF_WIDTH = 0.001
"""Default target half-width of the paired difference of the default key outcome under
``--replications auto``: 0.001 of normalised distance = 0.1 percentage point, the smallest
alignment gain the outcomes count (sim.experiments.outcomes.MIN_GAIN)."""


def _parse_strategies(text: str) -> list[str]:
    """Comma-separated strategy names, validated against the registry, order kept."""
    from sim.cli.errors import UserInputError
    from sim.strategies import STRATEGIES

    names = [s.strip() for s in text.split(",") if s.strip()]
    if not names:
        raise UserInputError("--strategies: give at least one strategy, e.g. training,teams")
    if len(set(names)) != len(names):
        raise UserInputError(f"--strategies: {text!r} names a strategy twice")
    unknown = [s for s in names if s not in STRATEGIES]
    if unknown:
        raise UserInputError(f"--strategies: unknown strategy {unknown[0]!r}; known: "
                             f"{', '.join(STRATEGIES)}")
    return names


def _parse_replications(text: str, precision: float, min_replications: int,
                        max_replications: int, batch: int,
                        half_width: float | None = None) -> object:
    """An int >= 1, or a StoppingRule for "auto"."""
    from sim.cli.errors import UserInputError
    from sim.experiments.stats import StoppingRule

    if text.strip().lower() == "auto":
        try:
            return StoppingRule(precision=precision, min_replications=min_replications,
                                max_replications=max_replications, batch=batch,
                                half_width=half_width)
        except ValueError as err:
            raise UserInputError(f"--{str(err).replace('_', '-')}") from None
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise UserInputError(f"--replications: expected a whole number >= 1 or 'auto', "
                             f"got {text!r}")
    return n


def _known_outcomes() -> set[str]:
    """Outcomes the stopping rule may watch: the run outcomes and the effects over none
    (with the plugins')."""
    from sim.experiments.observables import effects, run_outcomes
    from sim.experiments.plugins import ensure

    ensure()
    return set(run_outcomes()) | set(effects())


def _check_key_outcome(key_outcome: str, names: list[str]) -> None:
    """The key outcome is known, and an effect over none has none to be measured against."""
    from sim.cli.errors import UserInputError
    from sim.experiments.observables import BASELINE, effects

    known = _known_outcomes()
    if key_outcome not in known:
        raise UserInputError(f"--key-outcome: unknown outcome {key_outcome!r}; known: "
                             f"{', '.join(sorted(known))}")
    if key_outcome in effects():
        if BASELINE not in names:
            raise UserInputError(f"--key-outcome: {key_outcome} is an effect over "
                                 f"{BASELINE}; compare {BASELINE} too (leave out "
                                 "--no-counterfactual, or add it to --strategies)")
        if names == [BASELINE]:
            raise UserInputError(f"--key-outcome: {key_outcome} is an effect over "
                                 f"{BASELINE}; compare another strategy with it")


def _half_width(half_width: float | None, key_outcome: str) -> float:
    """The paired-difference target of ``auto``: given, or the default key outcome's."""
    from sim.cli.errors import UserInputError

    if half_width is not None:
        return half_width
    if key_outcome != KEY_OUTCOME:
        raise UserInputError(f"--half-width: give the target half-width in the unit of "
                             f"--key-outcome {key_outcome} (the default "
                             f"{DEFAULT_HALF_WIDTH:g} is for {KEY_OUTCOME})")
    return DEFAULT_HALF_WIDTH


def _counterfactual_settings(scenario: object, weeks: int | None, strategies: list[str],
                             durability_weeks: int | None, threshold: float,
                             wtp: str) -> object:
    """Validated counterfactual yardsticks.

    A ``--durability-weeks`` the user gives must end within the run; the default (52) is
    kept even for a short run, whose report then says the durability is undefined.
    """
    from sim.cli.errors import UserInputError
    from sim.experiments.counterfactual import (
        BASELINE,
        DEFAULT_DURABILITY_WEEKS,
        Settings,
        parse_wtp,
        yardstick_weeks,
    )

    if not (threshold > 0 and math.isfinite(threshold)):
        raise UserInputError(f"--threshold: must be a number > 0 (points of alignment), "
                             f"got {threshold}")
    try:
        wtp_range = parse_wtp(wtp)
    except ValueError as err:
        raise UserInputError(f"--wtp: {err}") from None
    if durability_weeks is None:
        return Settings(durability_weeks=DEFAULT_DURABILITY_WEEKS, threshold=threshold,
                        wtp=wtp_range)
    if durability_weeks < 1:
        raise UserInputError(f"--durability-weeks: must be >= 1, got {durability_weeks}")
    horizon = scenario.horizon  # type: ignore[attr-defined]
    last = horizon.total_weeks if weeks is None else weeks
    why = yardstick_weeks(horizon.intervention_weeks, last, durability_weeks)
    if why and BASELINE in strategies:
        raise UserInputError(f"--durability-weeks: {why}")
    return Settings(durability_weeks=durability_weeks, threshold=threshold, wtp=wtp_range)


def compare(
    scenario: Annotated[str, typer.Argument(help="scenario file or preset name")] = "case",
    strategies: Annotated[str, typer.Option(
        help="comma-separated strategies; the first is the baseline")] = "none,training,teams",
    replications: Annotated[str, typer.Option(
        help="replications per strategy: a number, or 'auto' (see --half-width, --precision)")
    ] = "30",
    out: Annotated[Path, typer.Option(help="output folder")] = Path("out/compare"),
    workers: Annotated[int | None, typer.Option(
        help="worker processes (default: all CPUs; 1 = no pool)")] = None,
    executor: Annotated[str, typer.Option(
        help="local (process pool), serial or dask (with --scheduler)")] = "local",
    scheduler: Annotated[str | None, typer.Option(
        help="Dask scheduler address, e.g. tcp://10.0.0.5:8786")] = None,
    seed: Annotated[int, typer.Option(
        help="base seed: replication i uses seed+i under every strategy")] = 0,
    set_: Annotated[list[str] | None, typer.Option(
        "--set", help="override a parameter by dotted path, e.g. --set "
                      "interaction.noise_sd=0.01")] = None,
    weeks: Annotated[int | None, typer.Option(help="run this many weeks")] = None,
    precision: Annotated[float, typer.Option(
        help="auto: stop when the 95% CI half-width <= this share of |mean|")] = 0.05,
    min_replications: Annotated[int, typer.Option(help="auto: at least this many")] = 10,
    max_replications: Annotated[int, typer.Option(help="auto: cap")] = 200,
    batch: Annotated[int, typer.Option(help="auto: replications added per check")] = 5,
    key_outcome: Annotated[str, typer.Option(
        help="auto: outcome whose precision decides")] = KEY_OUTCOME,
    half_width: Annotated[float | None, typer.Option(
        help="auto: target 95% CI half-width of each paired difference of the key outcome "
             "with the baseline (none when compared), in its unit (default 0.001 for "
             "distance_to_target_final = 0.1 point)")] = None,
    counterfactual: Annotated[bool, typer.Option(
        help="effects over none (speed, durability, ICER, CE plane, CEAC); adds none to "
             "the strategies when missing")] = True,
    durability_weeks: Annotated[int | None, typer.Option(
        help="durability: share of the effect over none kept this many weeks after the end "
             "of the intervention and after the strategy's own peak (default 52)")] = None,
    threshold: Annotated[float, typer.Option(
        help="speed: weeks until the effect over none reaches this many points")] = 1.0,
    wtp: Annotated[str, typer.Option(
        help="willingness to pay per point (EUR) for the acceptability curve: MIN:MAX, "
             "or auto (0 to twice the largest ICER)")] = "auto",
    redraw: Annotated[bool, typer.Option(
        "--redraw", help="only rebuild tables, figures and report in OUT from saved runs")]
    = False,
    progress: Annotated[bool, typer.Option(help="show a progress bar")] = True,
    figures: Annotated[bool, typer.Option(
        help="draw figures (--no-figures: tables only; add them later with --redraw)")] = True,
    overwrite: Annotated[bool, typer.Option(
        "--overwrite", help="OUT holds another experiment: delete its files first")] = False,
    csv: Annotated[bool, typer.Option(
        "--csv", help="also write results.csv: every run and week (as results.parquet)")]
    = False,
    extend: Annotated[bool, typer.Option(
        "--extend", help="OUT holds a comparison whose runs this one contains (fewer "
                         "replications or strategies): add the new runs")] = False,
) -> None:
    """Compare strategies with paired replications; write tables, figures and report.html.

    Replication i uses one seed under every strategy, so differences are paired. OUT belongs
    to one experiment: another comparison into it is refused unless --overwrite or --extend.
    """
    from sim.cli.errors import (
        UserInputError,
        check_out,
        check_seed,
        check_weeks,
        fail,
        parse_sets,
        user_errors,
    )

    if redraw:
        from sim.presentation.comparison import redraw as redraw_dir

        try:
            report = redraw_dir(out)
        except FileNotFoundError as err:
            raise fail(f"--out: {err}") from None
        typer.echo(f"redrew {out}/figures and wrote {report}")
        return

    with user_errors():
        names = _parse_strategies(strategies)
        added = False
        if counterfactual:
            from sim.experiments.counterfactual import with_baseline

            names, added = with_baseline(names)
        reps = _parse_replications(replications, precision, min_replications,
                                   max_replications, batch,
                                   _half_width(half_width, key_outcome)
                                   if replications.strip().lower() == "auto" else None)
        if workers is not None and workers < 1:
            raise UserInputError(f"--workers: must be >= 1, got {workers}")
        from sim.experiments.sweep.executors import EXECUTORS

        if executor not in EXECUTORS:
            raise UserInputError(f"--executor: unknown executor {executor!r}; choose "
                                 f"{', '.join(EXECUTORS)}")
        if executor == "dask" and not scheduler:
            raise UserInputError("--scheduler: the dask executor needs a scheduler address")
        check_weeks(weeks)
        check_seed(seed, count=reps if isinstance(reps, int) else max_replications)
        _check_key_outcome(key_outcome, names)
        overrides = parse_sets(set_)
        from sim.runner import check_run
        from sim.scenario import apply_overrides, load_scenario

        config = apply_overrides(load_scenario(scenario), overrides)  # validate before any run
        for name in names:
            check_run(config, name, seed=seed, weeks=weeks)
        cf_settings = _counterfactual_settings(config, weeks, names, durability_weeks,
                                               threshold, wtp)
        if overwrite and extend:
            raise UserInputError("--overwrite: give --overwrite or --extend, not both")
        mode = "overwrite" if overwrite else "extend" if extend else "resume"
        check_out(out)
        _check_folder(scenario, names, reps, seed, overrides, weeks, key_outcome, out, mode)

    if added:
        typer.echo("counterfactual: added 'none' as the baseline (the effects over doing "
                   "nothing need it; --no-counterfactual to leave it out)")
    from sim.experiments.compare import CompareError
    from sim.experiments.sweep.folder import FolderError
    from sim.presentation.comparison import compare as run_compare

    def report_failure(rec: object) -> None:
        first = str(getattr(rec, "error", "")).splitlines()[0] if rec else ""
        print(f"run failed: {getattr(rec, 'strategy', '?')} replication "
              f"{getattr(rec, 'replication', '?')} (seed {getattr(rec, 'seed', '?')}): {first}",
              file=sys.stderr)

    client = None
    if executor == "dask":
        from sim.cli.sweep import _connect

        try:
            client = _connect(executor, scheduler)
        except ValueError as err:
            raise fail(str(err)) from None
    try:
        report = run_compare(scenario, names, reps, out, workers=workers, base_seed=seed,
                             overrides=overrides, weeks=weeks, key_outcome=key_outcome,
                             progress=progress, on_failure=report_failure, figures=figures,
                             counterfactual=cf_settings, mode=mode, executor=executor,
                             scheduler=client, csv=csv)
    except FolderError as err:
        raise fail(str(err)) from None
    except CompareError as err:
        print(f"error: {err}", file=sys.stderr)
        raise typer.Exit(1) from None
    finally:
        if client is not None:
            client.close()
    _print_runs(out)
    _print_summary(out, key_outcome)
    _print_counterfactual(out)
    _print_stopping(out)
    drawn = ", figures/" if figures else ""
    typer.echo(f"wrote {out}/summary.csv, paired.csv{drawn} and {report}")


def _check_folder(scenario: str, names: list[str], reps: object, seed: int,
                  overrides: dict[str, object], weeks: int | None, key_outcome: str, out: Path,
                  mode: str) -> None:
    """Refuse, before any run, an OUT that holds another experiment (nothing is written)."""
    from sim.cli.errors import UserInputError
    from sim.experiments.compare import CompareConfig, compare_experiment
    from sim.experiments.sweep.folder import FolderError, check_folder
    from sim.scenario import load_scenario

    config = CompareConfig(scenario_path=scenario, strategies=names,
                           replications=reps, base_seed=seed,  # type: ignore[arg-type]
                           overrides=overrides, weeks=weeks, key_outcome=key_outcome)
    try:
        check_folder(out, compare_experiment(load_scenario(scenario), config), mode)  # type: ignore[arg-type]
    except FolderError as err:
        raise UserInputError(str(err)) from None


def _print_runs(out: Path) -> None:
    """How many runs were computed now and how many were already stored (a resume)."""
    import json

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    last = manifest.get("last_invocation") or {}
    typer.echo(f"runs: {last.get('computed', 0)} computed, {last.get('skipped', 0)} already "
               f"stored, {manifest.get('runs_failed', 0)} failed "
               f"({manifest.get('executor', 'local')}, {last.get('wall_seconds', 0):.1f} s)")


def _print_summary(out: Path, key_outcome: str) -> None:
    """One line per strategy: the key outcome's mean and 95 % interval, and failures."""
    import json

    import pandas as pd

    summary = pd.read_csv(out / "summary.csv")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    rows = summary[summary["outcome"] == key_outcome]
    if rows.empty:
        rows = _effect_summary(out, key_outcome)
    for r in rows.itertuples(index=False):
        typer.echo(f"{r.strategy:<16} {key_outcome} = {r.mean:.4f} "
                   f"[{r.low:.4f}, {r.high:.4f}] (n = {r.n})")
    if manifest.get("runs_failed"):
        typer.echo(f"{manifest['runs_failed']} run(s) failed: see {out}/failures.csv", err=True)


def _effect_summary(out: Path, key_outcome: str):
    """Mean and 95 % interval per strategy of an effect over none (summary.csv holds the
    run outcomes; an effect is read through the engine's reader)."""
    import math

    import pandas as pd

    from sim.experiments.observables import BASELINE, effects, ratio_of_means
    from sim.experiments.results import load_results
    from sim.experiments.stats import mean_interval

    if key_outcome not in effects():
        return pd.DataFrame(columns=["strategy", "mean", "low", "high", "n"])
    values = load_results(out).values([key_outcome])
    ratio = effects()[key_outcome].ratio
    rows = []
    for strategy, group in values.groupby("strategy", sort=False):
        if strategy == BASELINE:
            continue
        ci = mean_interval(group[key_outcome].dropna().to_numpy())
        if ratio:  # a ratio is the ratio of the means (no per-run interval of it)
            ci = type(ci)(ratio_of_means(group[ratio[0]], group[ratio[1]]), math.nan,
                          math.nan, math.nan, math.nan, ci.n, ci.level)
        rows.append({"strategy": strategy, "mean": ci.mean, "low": ci.low, "high": ci.high,
                     "n": ci.n})
    return pd.DataFrame(rows, columns=["strategy", "mean", "low", "high", "n"])


def _print_counterfactual(out: Path) -> None:
    """The counterfactual table (measures x strategies) and its notes, when computed."""
    import pandas as pd

    from sim.experiments.counterfactual import display_rows, messages

    path = out / "counterfactual.csv"
    if not path.is_file():
        return
    table = pd.read_csv(path)
    rows = display_rows(table)
    strategies = [str(s) for s in table["strategy"]]
    first = max(len(text) for text, _ in rows)
    widths = {s: max(len(s), *(len(cells[s]) for _, cells in rows)) for s in strategies}
    typer.echo(f"\nEffects over none (same seeds; 95 % intervals; all in {path}):")
    typer.echo((" " * first + "  " + "  ".join(s.ljust(widths[s]) for s in strategies))
               .rstrip())
    for text, cells in rows:
        typer.echo((text.ljust(first) + "  "
                    + "  ".join(cells[s].ljust(widths[s]) for s in strategies)).rstrip())
    for line in messages(table):
        typer.echo(f"note: {line}")


def _print_stopping(out: Path) -> None:
    """For ``auto``: the target, the precision reached, and whether the cap stopped it."""
    import json

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    rule = manifest.get("stopping_rule")
    if not rule or not rule.get("trace"):
        return
    last = rule["trace"][-1]
    done = manifest.get("replications_done")
    achieved = ", ".join(f"{k.removeprefix('half_width[').removesuffix(']')}: {v:.3g}"
                         for k, v in last.items() if k.startswith("half_width["))
    worst = max((v for k, v in last.items() if k.startswith("relative_precision[")),
                default=float("nan"))
    target = (f"95 % CI half-width of each paired difference of {rule['key_outcome']} "
              f"<= {rule['half_width']:g}" if rule.get("half_width") is not None else "")
    typer.echo(f"auto: {done} replications; target: {target + ' and ' if target else ''}"
               f"relative precision of every strategy <= {rule['precision']:g}")
    typer.echo(f"auto: achieved: {achieved + '; ' if achieved else ''}largest relative "
               f"precision {worst:.3g}")
    if not last.get("met"):
        typer.echo(f"auto: stopped at the cap of {rule['max_replications']} replications "
                   "without reaching the target", err=True)
