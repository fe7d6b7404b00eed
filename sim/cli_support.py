"""Shared CLI plumbing: turn bad user input into one clear line and exit code 2."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer

from sim.scenario import ScenarioError, parse_assignment

#: Exit code for bad input (a malformed file, an unknown field, a value out of range).
EXIT_BAD_INPUT = 2


class UserInputError(ValueError):
    """Bad input that is not a scenario field (an unknown strategy, a bad option value)."""


def fail(message: str) -> typer.Exit:
    """Print ``error: message`` to stderr and return the exit to raise (code 2)."""
    print(f"error: {message}", file=sys.stderr)
    return typer.Exit(EXIT_BAD_INPUT)


@contextmanager
def user_errors() -> Iterator[None]:
    """Report ScenarioError and UserInputError as one line with exit code 2, no traceback."""
    try:
        yield
    except (ScenarioError, UserInputError) as err:
        raise fail(str(err)) from None


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
