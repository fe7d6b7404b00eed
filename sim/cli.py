"""The ``merger-sim`` command line (also ``python -m sim``).

Commands: ``run``, ``scenarios list|show|validate``, and the commands registered at the end
(compare, sweep, sensitivity, discover, dashboard). Heavy modules are imported inside the
commands so that ``merger-sim --help`` stays fast.

Errors: every command checks its input (including ``--out``) before any work and reports bad
input as one ``error: <field or option>: <reason>`` line with exit code 2;
:func:`main`, the console entry, turns whatever escapes into one line too (exit 2 for input
and environment problems, 1 for internal errors). ``merger-sim --debug ...`` (or
``MERGER_SIM_DEBUG=1``) shows the traceback.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from sim.cli_support import (
    DEBUG_ENV,
    EXIT_BAD_INPUT,
    check_out,
    check_seed,
    check_strategy,
    check_weeks,
    parse_sets,
    report_unexpected,
    user_errors,
)
from sim.scenario import one_line

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Agent-based simulation of a merger of municipal social services.")
scenarios_app = typer.Typer(no_args_is_help=True, help="List, show and validate scenarios.")
app.add_typer(scenarios_app, name="scenarios")


@app.callback()
def _global_options(
    debug: Annotated[bool, typer.Option(
        "--debug", help=f"show the traceback of any error (also: {DEBUG_ENV}=1)")] = False,
) -> None:
    """Agent-based simulation of a merger of municipal social services."""
    if debug:
        os.environ[DEBUG_ENV] = "1"

SetOption = Annotated[list[str] | None, typer.Option(
    "--set", help="Override a parameter by dotted path, e.g. --set interaction.noise_sd=0.01")]


@app.command()
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
            from sim.cli_support import UserInputError
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


@app.command()
def replay(
    session: Annotated[Path, typer.Argument(help="a session file (JSON) of a class or a run")],
    set_: SetOption = None,
    out: Annotated[Path, typer.Option(help="output folder")] = Path("out/replay"),
    format: Annotated[str, typer.Option("--format", help="parquet or csv")] = "parquet",
) -> None:
    """Rerun a session's run with its people's decisions; --set reruns the same choices
    under other parameters. Writes timeseries, agents, meta.json and decisions.csv to OUT."""
    import pandas as pd

    from sim.replay import load_session
    from sim.replay import replay as replay_session
    from sim.runner import check_run, write_result
    from sim.scenario import apply_overrides

    with user_errors():
        if format not in ("parquet", "csv"):
            from sim.cli_support import UserInputError
            raise UserInputError(f"--format: {format!r} is not one of parquet, csv")
        loaded = load_session(session)
        overrides = parse_sets(set_)
        check_run(apply_overrides(loaded.scenario, overrides), loaded.strategy,
                  seed=loaded.seed)
        check_out(out)
    result, book = replay_session(loaded, overrides=overrides)
    paths = write_result(result, out, format)  # type: ignore[arg-type]
    log = pd.DataFrame([vars(e) for e in book.log],
                       columns=["week", "kind", "actor", "target", "value", "source", "note"])
    log.to_csv(out / "decisions.csv", index=False)
    counts = result.meta.get("decisions", {})
    final = result.timeseries.iloc[-1]
    typer.echo(f"{result.meta['scenario_name']} / {loaded.strategy} / seed {loaded.seed}: "
               f"{counts.get('player', 0)} people's decisions, {counts.get('rule', 0)} by the "
               f"rule, {counts.get('refused', 0)} refused; distance to target "
               f"{final['distance_to_target']:.3f}, cost EUR {final['cost_cum']:,.0f}")
    for path in [*paths, out / "decisions.csv"]:
        typer.echo(f"wrote {path}")


@app.command("class")
def class_session(
    scenario: Annotated[str, typer.Argument(help="scenario file or preset name")] = "classroom",
    seed: Annotated[int, typer.Option(help="the run's seed, 0 .. 2**63 - 1")] = 0,
    host: Annotated[str, typer.Option(help="address to listen on; 0.0.0.0 for a room's "
                                           "network")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port, 1024 .. 65535")] = 8766,
) -> None:
    """A participatory class: students join on /join with the room code and play sponsors
    and employees of the merger; the teacher's screen (URL with its key) advances the weeks
    and judges the pitches, and saves the session file for `merger-sim replay`."""
    import uvicorn

    from sim.live import ClassSession
    from sim.live.web import create_app
    from sim.runner import check_run
    from sim.scenario import load_scenario

    with user_errors():
        check_seed(seed)
        if not 1024 <= port <= 65535:
            from sim.cli_support import UserInputError
            raise UserInputError(f"--port: {port} is not in 1024 .. 65535")
        config = load_scenario(scenario)
        check_run(config, "teams", seed=seed)
    session = ClassSession(config, seed=seed)
    app = create_app(session)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    if host not in ("127.0.0.1", "localhost", "::1"):
        typer.echo(f"warning: listening on {host}: anyone on this network can open the join "
                   "page; the teacher's pages need the key below", err=True)
    typer.echo(f"room code {session.code}")
    typer.echo(f"students: http://{shown}:{port}/join  (Dutch: /join?lang=nl)")
    typer.echo(f"teacher:  http://{shown}:{port}/teacher?key={app.state.teacher_key}")
    uvicorn.run(app, host=host, port=port, log_level="warning")


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


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: the one place where any error becomes one line.

    Raises:
        SystemExit: always; 0 on success, 2 for bad input, 1 for an internal error.
    """
    try:
        code = app(args=argv, prog_name="merger-sim", standalone_mode=False)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        raise SystemExit(130) from None
    except BrokenPipeError:  # the reader went away (`... | head`): stop quietly, as click does
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(1) from None
    except Exception as err:  # the last line of defence, see report_unexpected
        raise SystemExit(_command_line_error(err) if _is_command_line_error(err)
                         else report_unexpected(err)) from None
    raise SystemExit(code if isinstance(code, int) else 0)


def _is_command_line_error(err: Exception) -> bool:
    """A usage error from the option parser (typer's click): an unknown option or command, a
    value of the wrong type, ``Abort``. Recognised by interface, as typer vendors click."""
    return type(err).__name__ == "Abort" or (
        hasattr(err, "format_message") and isinstance(getattr(err, "exit_code", None), int))


def _command_line_error(err: Exception) -> int:
    """Print a usage error as one line naming the option; return its exit code (2)."""
    if type(err).__name__ == "Abort":
        print("error: interrupted", file=sys.stderr)
        return 130
    if type(err).__name__ == "NoArgsIsHelpError":  # the help was shown: no error line
        return int(getattr(err, "exit_code", EXIT_BAD_INPUT))
    ctx = getattr(err, "ctx", None)
    where = f" (see {ctx.command_path} --help)" if ctx is not None else ""
    print(f"error: {one_line(err.format_message())}{where}", file=sys.stderr)  # type: ignore[attr-defined]
    return int(getattr(err, "exit_code", EXIT_BAD_INPUT))


# Commands living in their own modules register here (one line each); those modules import
# their heavy dependencies inside the command, so `merger-sim --help` stays fast.
from sim.compare_cli import compare  # noqa: E402
from sim.dashboard_cli import dashboard  # noqa: E402
from sim.discovery_cli import discover  # noqa: E402
from sim.sweep_cli import sensitivity, sweep  # noqa: E402

app.command("compare")(compare)
app.command("sweep")(sweep)
app.command("sensitivity")(sensitivity)
app.command("discover")(discover)
app.command("dashboard")(dashboard)
