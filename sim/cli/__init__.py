"""The ``merger-sim`` command line (also ``python -m sim``): the app, its global options, and
the one place where any error becomes one line (:func:`main`).

One module per command: ``run`` (``run``, ``scenarios list|show|validate``), ``replay``,
``compare``,
``sweep`` (``sweep``, ``sensitivity``), ``discover``, ``archive`` (``export``, ``verify``),
``dashboard``, ``live`` (``class``); ``errors`` holds the error handling and the input
checks every command shares (one ``EXIT_BAD_INPUT``). Heavy modules are imported inside the
commands so that ``merger-sim --help`` stays fast.

Errors: every command checks its input (including ``--out``) before any work and reports bad
input as one ``error: <field or option>: <reason>`` line with exit code 2;
:func:`main`, the console entry, turns whatever escapes into one line too (exit 2 for input
and environment problems, 1 for internal errors). ``merger-sim --debug ...`` (or
``MERGER_SIM_DEBUG=1``) shows the traceback.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from sim.cli.errors import DEBUG_ENV, EXIT_BAD_INPUT, fail, report_unexpected
from sim.scenario import one_line

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Agent-based simulation of a merger of municipal social services.")


def version_text() -> str:
    """The version line: package version, model code fingerprint, commit (and dirty flag)."""
    from sim.provenance import code_fingerprint, git_commit, git_dirty, package_version

    commit = git_commit()
    where = f", commit {commit[:12]}{' with uncommitted changes' if git_dirty() else ''}" \
        if commit else ""
    return f"merger-sim {package_version()} (model code {code_fingerprint()}{where})"


def _show_version(value: bool) -> None:
    if value:
        typer.echo(version_text())
        raise typer.Exit(0)


@app.callback()
def _global_options(
    debug: Annotated[bool, typer.Option(
        "--debug", help=f"show the traceback of any error (also: {DEBUG_ENV}=1)")] = False,
    version: Annotated[bool, typer.Option(
        "--version", help="print the version and the model code's fingerprint, and exit",
        callback=_show_version, is_eager=True)] = False,
    plugin: Annotated[list[str] | None, typer.Option(
        "--plugin", help="load strategies and outcomes from a module file (.py) or module "
                         "name (repeatable; see docs/outcomes.md, Plugins)")] = None,
) -> None:
    """Agent-based simulation of a merger of municipal social services."""
    if debug:
        os.environ[DEBUG_ENV] = "1"
    from sim.experiments.plugins import PluginError, ensure

    try:
        ensure([str(Path(p).resolve()) if p.endswith(".py") else p for p in plugin or []])
    except PluginError as err:
        raise fail(f"--plugin: {err}") from None

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


# One module per command (sim/cli/<command>.py); each imports its heavy dependencies inside
# the command, so `merger-sim --help` stays fast.
from sim.cli import archive, compare, dashboard, discover, live, replay, run, sweep  # noqa: E402

app.command("run")(run.run)
app.command("replay")(replay.replay)
app.command("class")(live.class_session)
app.add_typer(run.scenarios_app, name="scenarios")
app.command("compare")(compare.compare)
app.command("sweep")(sweep.sweep)
app.command("sensitivity")(sweep.sensitivity)
app.command("discover")(discover.discover)
app.command("dashboard")(dashboard.dashboard)
app.command("export")(archive.export)
app.command("verify")(archive.verify)
