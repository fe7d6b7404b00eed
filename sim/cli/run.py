"""The ``run`` and ``scenarios list|show|validate`` commands: one run, and the presets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from sim.cli.errors import (
    check_out,
    check_seed,
    check_strategy,
    check_weeks,
    parse_sets,
    user_errors,
)

scenarios_app = typer.Typer(no_args_is_help=True, help="List, show and validate scenarios.")

SetOption = Annotated[list[str] | None, typer.Option(
    "--set", help="Override a parameter by dotted path, e.g. --set interaction.noise_sd=0.01")]


def run(
    scenario: Annotated[str, typer.Argument(help="scenario file or preset name")] = "case",
    strategy: Annotated[str, typer.Option(help="change strategy")] = "training",
    seed: Annotated[int, typer.Option(help="the run's seed, 0 .. 2**63 - 1")] = 0,
    weeks: Annotated[int | None, typer.Option(
        help="run this many weeks (1 .. 5200) instead of the scenario's horizon")] = None,
    set_: SetOption = None,
    out: Annotated[Path, typer.Option(help="output folder")] = Path("out/run"),
    format: Annotated[str, typer.Option("--format", help="parquet or csv")] = "parquet",
) -> None:
    """Run one simulation; write timeseries, agents and meta.json to OUT."""
    from sim.runner import check_run, write_result
    from sim.runner import run as run_model
    from sim.scenario import apply_overrides, load_scenario

    with user_errors():
        if format not in ("parquet", "csv"):
            from sim.cli.errors import UserInputError
            raise UserInputError(f"--format: {format!r} is not one of parquet, csv")
        check_strategy(strategy)
        check_seed(seed)
        check_weeks(weeks)
        overrides = parse_sets(set_)
        base = load_scenario(scenario)
        check_run(apply_overrides(base, overrides), strategy, seed=seed, weeks=weeks)
        check_out(out)
    result = run_model(base, strategy=strategy, seed=seed, overrides=overrides, weeks=weeks)
    paths = write_result(result, out, format)  # type: ignore[arg-type]
    final = result.timeseries.iloc[-1]
    typer.echo(f"{result.meta['scenario_name']} / {strategy} / seed {seed}: "
               f"{int(final['week'])} weeks, distance to target "
               f"{result.timeseries['distance_to_target'].iloc[0]:.3f} -> "
               f"{final['distance_to_target']:.3f}, cost EUR {final['cost_cum']:,.0f}")
    for path in paths:
        typer.echo(f"wrote {path}")


@scenarios_app.command("list")
def scenarios_list() -> None:
    """List the scenario presets shipped in scenarios/."""
    from sim.scenario import list_presets, load_scenario

    for name in list_presets():
        with user_errors():
            sc = load_scenario(name)
        typer.echo(f"{name:<14} {sc.headcount:>7} employees, {len(sc.cities)} cities, "
                   f"{len(sc.themes)} themes  {sc.description}")


@scenarios_app.command("show")
def scenarios_show(scenario: Annotated[str, typer.Argument(help="file or preset")] = "case",
                   set_: SetOption = None) -> None:
    """Print the fully resolved scenario (defaults filled in) as JSON."""
    from sim.scenario import apply_overrides, load_scenario

    with user_errors():
        sc = apply_overrides(load_scenario(scenario), parse_sets(set_))
    typer.echo(json.dumps(sc.model_dump(mode="json"), indent=2))


@scenarios_app.command("validate")
def scenarios_validate(files: Annotated[list[str], typer.Argument(help="files or presets")]
                       ) -> None:
    """Validate scenario files; exit 2 at the first invalid one."""
    from sim.scenario import load_scenario

    for name in files:
        with user_errors():
            sc = load_scenario(name)
        typer.echo(f"ok: {name} ({sc.headcount} employees, frame {sc.culture.frame})")


