"""The ``merger-sim compare`` command: paired strategy comparison from the command line.

Only typer is imported at module level; the simulation, pandas and matplotlib are imported
inside the command so that ``merger-sim --help`` stays fast. Bad input (unknown strategy,
malformed ``--replications``, an invalid ``--set``) prints one ``error: <option>: <reason>``
line and exits with code 2, like every other command.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

KEY_OUTCOME = "distance_to_target_final"
"""Default outcome for ``--replications auto`` (kept in step with sim.compare)."""


def _parse_strategies(text: str) -> list[str]:
    """Comma-separated strategy names, validated against the registry, order kept."""
    from sim.cli_support import UserInputError
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
                        max_replications: int, batch: int) -> object:
    """An int >= 1, or a StoppingRule for "auto"."""
    from sim.cli_support import UserInputError
    from sim.stats import StoppingRule

    if text.strip().lower() == "auto":
        try:
            return StoppingRule(precision=precision, min_replications=min_replications,
                                max_replications=max_replications, batch=batch)
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
    """Per-run outcome columns the stopping rule may watch."""
    from sim.outcomes import OUTCOME_INFO, SNAPSHOT_METRICS

    return set(OUTCOME_INFO) | {f"{m}{s}" for m in SNAPSHOT_METRICS
                                for s in ("_end_intervention", "_final")}


def compare(
    scenario: Annotated[str, typer.Argument(help="scenario file or preset name")] = "case",
    strategies: Annotated[str, typer.Option(
        help="comma-separated strategies; the first is the baseline")] = "training,teams",
    replications: Annotated[str, typer.Option(
        help="replications per strategy: a number, or 'auto' (see --precision)")] = "30",
    out: Annotated[Path, typer.Option(help="output folder")] = Path("out/compare"),
    workers: Annotated[int | None, typer.Option(
        help="worker processes (default: all CPUs; 1 = no pool)")] = None,
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
    redraw: Annotated[bool, typer.Option(
        "--redraw", help="only rebuild tables, figures and report in OUT from saved runs")]
    = False,
    progress: Annotated[bool, typer.Option(help="show a progress bar")] = True,
    figures: Annotated[bool, typer.Option(
        help="draw figures (--no-figures: tables only; add them later with --redraw)")] = True,
) -> None:
    """Compare strategies with paired replications; write tables, figures and report.html.

    Replication i uses one seed under every strategy, so differences are paired.
    """
    from sim.cli_support import (
        UserInputError,
        check_out,
        check_seed,
        check_weeks,
        fail,
        parse_sets,
        user_errors,
    )

    if redraw:
        from sim.compare import redraw as redraw_dir

        try:
            report = redraw_dir(out)
        except FileNotFoundError as err:
            raise fail(f"--out: {err}") from None
        typer.echo(f"redrew {out}/figures and wrote {report}")
        return

    with user_errors():
        names = _parse_strategies(strategies)
        reps = _parse_replications(replications, precision, min_replications,
                                   max_replications, batch)
        if workers is not None and workers < 1:
            raise UserInputError(f"--workers: must be >= 1, got {workers}")
        check_weeks(weeks)
        check_seed(seed, count=reps if isinstance(reps, int) else max_replications)
        if key_outcome not in _known_outcomes():
            raise UserInputError(f"--key-outcome: unknown outcome {key_outcome!r}")
        overrides = parse_sets(set_)
        from sim.runner import check_run
        from sim.scenario import apply_overrides, load_scenario

        config = apply_overrides(load_scenario(scenario), overrides)  # validate before any run
        for name in names:
            check_run(config, name, seed=seed, weeks=weeks)
        check_out(out)

    from sim.compare import CompareError
    from sim.compare import compare as run_compare

    def report_failure(rec: object) -> None:
        first = str(getattr(rec, "error", "")).splitlines()[0] if rec else ""
        print(f"run failed: {getattr(rec, 'strategy', '?')} replication "
              f"{getattr(rec, 'replication', '?')} (seed {getattr(rec, 'seed', '?')}): {first}",
              file=sys.stderr)

    try:
        report = run_compare(scenario, names, reps, out, workers=workers, base_seed=seed,
                             overrides=overrides, weeks=weeks, key_outcome=key_outcome,
                             progress=progress, on_failure=report_failure, figures=figures)
    except CompareError as err:
        print(f"error: {err}", file=sys.stderr)
        raise typer.Exit(1) from None
    _print_summary(out, key_outcome)
    drawn = ", figures/" if figures else ""
    typer.echo(f"wrote {out}/summary.csv, paired.csv{drawn} and {report}")


def _print_summary(out: Path, key_outcome: str) -> None:
    """One line per strategy: the key outcome's mean and 95 % interval, and failures."""
    import json

    import pandas as pd

    summary = pd.read_csv(out / "summary.csv")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    rows = summary[summary["outcome"] == key_outcome]
    for r in rows.itertuples(index=False):
        typer.echo(f"{r.strategy:<16} {key_outcome} = {r.mean:.4f} "
                   f"[{r.low:.4f}, {r.high:.4f}] (n = {r.n})")
    if manifest.get("runs_failed"):
        typer.echo(f"{manifest['runs_failed']} run(s) failed: see {out}/failures.csv", err=True)
