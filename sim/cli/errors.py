"""Shared CLI plumbing: every error the user can cause becomes one line and an exit code.

Two layers, used by every command:

- :func:`user_errors` (around input checking inside a command) turns the known input errors,
  ScenarioError and UserInputError, into ``error: <field or option>: <reason>`` on stderr and
  exit code :data:`EXIT_BAD_INPUT` (2), before any work starts.
- :func:`report_unexpected` (called by the console entry, ``sim.cli.main``) catches what is
  left: RecursionError, MemoryError and OSError (reading input or writing output) are input or
  environment problems (exit 2), anything else is an internal error (exit
  :data:`EXIT_INTERNAL` = 1). The traceback is shown only with ``--debug`` or the
  environment variable :data:`DEBUG_ENV` set to 1.

:func:`check_out` checks an output folder before a run, so a bad ``--out`` never costs one.
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer

from sim.scenario import ScenarioError, one_line, parse_assignment

#: Exit code for bad input (a malformed file, an unknown field, a value out of range, an
#: output folder that cannot be written). The one definition; every command uses it.
EXIT_BAD_INPUT = 2
#: Exit code for an internal error (a bug): the message asks for --debug and a report.
EXIT_INTERNAL = 1
#: Longest error line printed, in characters (a message quoting a huge key stays readable).
MAX_MESSAGE = 2000
#: Set to 1 to see the traceback of any error (as the global option --debug does).
DEBUG_ENV = "MERGER_SIM_DEBUG"


class UserInputError(ValueError):
    """Bad input that is not a scenario field (an unknown strategy, a bad option value)."""


def fail(message: str) -> typer.Exit:
    """Print ``error: message`` (one line) to stderr and return the exit to raise (code 2)."""
    print(f"error: {one_line(message)[:MAX_MESSAGE]}", file=sys.stderr)
    return typer.Exit(EXIT_BAD_INPUT)


@contextmanager
def user_errors() -> Iterator[None]:
    """Report ScenarioError and UserInputError as one line with exit code 2, no traceback."""
    try:
        yield
    except (ScenarioError, UserInputError) as err:
        raise fail(str(err)) from None


def debug_enabled() -> bool:
    """Whether tracebacks are wanted (``--debug`` sets the environment variable)."""
    return os.environ.get(DEBUG_ENV, "") not in ("", "0")


def report_unexpected(err: BaseException) -> int:
    """Print one line for an error no command handled; return the exit code (2 or 1).

    Input and environment problems (exit 2): a known input error, RecursionError (input
    nested too deeply), MemoryError (the input is too large for this machine), OSError
    (a file that cannot be read or written). Anything else is an internal error (exit 1).
    """
    if debug_enabled():
        traceback.print_exception(err, file=sys.stderr)
    if isinstance(err, ScenarioError | UserInputError):
        message, code = str(err), EXIT_BAD_INPUT
    elif isinstance(err, RecursionError):
        message, code = "the input is nested too deeply to process", EXIT_BAD_INPUT
    elif isinstance(err, MemoryError):
        message, code = ("out of memory: the scenario is too large for this machine "
                         "(fewer employees or ties, see `merger-sim scenarios validate`)",
                         EXIT_BAD_INPUT)
    elif isinstance(err, OSError):
        where = f" {str(err.filename)!r}" if err.filename is not None else ""
        message = f"cannot read or write{where}: {err.strerror or err}"
        code = EXIT_BAD_INPUT
    else:
        hint = "" if debug_enabled() else f" (run with --debug or {DEBUG_ENV}=1 for the traceback)"
        message = f"internal error: {type(err).__name__}: {err}{hint}; please report it"
        code = EXIT_INTERNAL
    print(f"error: {one_line(message)[:MAX_MESSAGE]}", file=sys.stderr)
    return code


def check_out(path: Path, option: str = "--out") -> Path:
    """Make sure ``path`` is, or can become, a writable folder; before any work starts.

    Creates the folder (and its parents) and writes and removes a probe file in it, so an
    existing file, ``/dev/null``, ``/proc/...`` or a folder without write permission is
    refused here rather than after the run.

    Raises:
        UserInputError: naming the option and the path.
    """
    where = f"{option} {str(path)!r}"
    try:
        if path.exists() and not path.is_dir():
            raise UserInputError(f"{where}: exists and is not a folder (give a folder; the "
                                 "output files go inside it)")
        path.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=path, prefix=".write-check-")
        os.close(fd)
        os.unlink(probe)
    except (OSError, ValueError) as err:
        if isinstance(err, UserInputError):
            raise
        reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        raise UserInputError(f"{where}: cannot write there ({reason})") from None
    return path


def parse_sets(assignments: list[str] | None) -> dict[str, object]:
    """``--set key=value`` options as an overrides mapping (later ones win)."""
    overrides: dict[str, object] = {}
    for text in assignments or []:
        key, value = parse_assignment(text)
        overrides[key] = value
    return overrides


def check_strategy(name: str) -> str:
    """The strategy name, or a UserInputError naming the known ones."""
    from sim.strategies import STRATEGIES

    if name not in STRATEGIES:
        raise UserInputError(f"--strategy: unknown strategy {name!r}; known: "
                             f"{', '.join(STRATEGIES)}")
    return name


def check_seed(seed: int, option: str = "--seed", count: int = 1) -> int:
    """A seed (and the ``count - 1`` after it) within 0 .. MAX_SEED, or a UserInputError."""
    from sim.scenario import MAX_SEED

    if not 0 <= seed <= MAX_SEED - (count - 1):
        span = f" (and the {count - 1} seeds after it)" if count > 1 else ""
        raise UserInputError(f"{option}: {seed} is outside 0 .. {MAX_SEED} (2**63 - 1){span}")
    return seed


def check_weeks(weeks: int | None, option: str = "--weeks") -> int | None:
    """``--weeks`` within 1 .. MAX_WEEKS (None: the scenario's horizon)."""
    from sim.scenario import MAX_WEEKS

    if weeks is not None and not 1 <= weeks <= MAX_WEEKS:
        raise UserInputError(f"{option}: {weeks} is outside 1 .. {MAX_WEEKS}")
    return weeks
