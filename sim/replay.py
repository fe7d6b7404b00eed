"""Session files: the decisions people made in a run, and their replay.

A session file (JSON) holds everything a run depends on: the full scenario, the strategy, the
seed, the played roles and the decisions that took effect (:mod:`sim.decisions`). Replaying
it gives the same run byte for byte; replaying it with overrides asks "what would the same
choices have done under other parameters?". A class session can thus be handed to students or
used by researchers as data (people's choices against the model's choice rule).

The file is untrusted input: it is read with a size limit, parsed strictly (unknown keys,
wrong types and out-of-range numbers are refused with one line naming the field) and its
scenario goes through the same validation as a scenario file.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sim.decisions import Decision, DecisionBook
from sim.runner import RunResult, run
from sim.scenario import (
    MAX_SEED,
    MAX_WEEKS,
    Scenario,
    ScenarioError,
    format_validation_error,
    validate_scenario,
)

FORMAT = "merger-sim session 1"
"""The format tag of a session file; a future format gets a new tag."""

MAX_SESSION_BYTES = 8 * 1_048_576
"""Largest session file read (8 MiB): a class of 40 over a year makes a few hundred KiB."""

MAX_DEPTH = 16


class DecisionEntry(BaseModel):
    """One decision as stored (see :class:`sim.decisions.Decision`)."""

    model_config = ConfigDict(extra="forbid", strict=True)
    week: int = Field(ge=1, le=MAX_WEEKS)
    kind: Literal["invite", "respond", "pitch", "verdict", "gap", "play", "call"]
    actor: int = Field(ge=0, le=2**62)
    target: int = Field(default=-1, ge=-1, le=2**62)
    value: int = Field(default=1, ge=0, le=1_000)


class SessionFile(BaseModel):
    """The whole file."""

    model_config = ConfigDict(extra="forbid", strict=True)
    format: Literal["merger-sim session 1"]
    scenario: dict[str, Any]
    strategy: str = Field(min_length=1, max_length=64)
    seed: int = Field(ge=0, le=MAX_SEED)
    weeks: int | None = Field(default=None, ge=0, le=MAX_WEEKS)
    played: list[int] = Field(default_factory=list, max_length=1_000_000)
    decisions: list[DecisionEntry] = Field(default_factory=list, max_length=1_000_000)
    note: str = Field(default="", max_length=10_000)


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


def _parse(raw: bytes) -> dict[str, Any]:
    if len(raw) > MAX_SESSION_BYTES:
        raise ScenarioError(f"session: larger than the limit of {MAX_SESSION_BYTES:,} bytes")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ScenarioError("session: not UTF-8 text") from None
    except (ValueError, RecursionError) as err:
        raise ScenarioError(f"session: not a JSON document ({str(err)[:120]})") from None
    if not isinstance(data, dict):
        raise ScenarioError("session: the file must hold one JSON object")
    if _depth(data) > MAX_DEPTH:
        raise ScenarioError(f"session: nested more than {MAX_DEPTH} levels deep")
    return data


class Session:
    """A validated session: scenario, strategy, seed, played roles and decisions."""

    def __init__(self, scenario: Scenario, strategy: str, seed: int,
                 played: frozenset[int], decisions: list[Decision], note: str = "",
                 weeks: int | None = None) -> None:
        self.scenario, self.strategy, self.seed = scenario, strategy, seed
        self.played, self.decisions, self.note = played, decisions, note
        self.weeks = weeks  # how many weeks were run (None: the scenario's horizon)

    def book(self) -> DecisionBook:
        """A fresh decision book for one replay."""
        return DecisionBook(list(self.decisions), self.played)

    def to_json(self) -> str:
        """The session as a file's text (stable key order)."""
        body = {
            "format": FORMAT,
            "strategy": self.strategy,
            "seed": self.seed,
            "weeks": self.weeks,
            "note": self.note,
            "played": sorted(self.played),
            "decisions": [{"week": d.week, "kind": d.kind, "actor": d.actor,
                           "target": d.target, "value": d.value} for d in self.decisions],
            "scenario": self.scenario.model_dump(mode="json"),
        }
        return json.dumps(body, indent=1, sort_keys=False) + "\n"


def session_from_run(scenario: Scenario, strategy: str, seed: int, book: DecisionBook,
                     note: str = "", weeks: int | None = None) -> Session:
    """The session of a run made with ``book``: the choices that took effect (``weeks``:
    how many weeks were run, if not the whole horizon)."""
    return Session(scenario, strategy, int(seed), frozenset(book.played),
                   book.player_decisions(), note, weeks)


def load_session(path: str | Path) -> Session:
    """Read and validate a session file.

    Raises:
        ScenarioError: one line naming the field (prefixed ``session.`` or
            ``session.scenario.``) and the problem.
    """
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_SESSION_BYTES + 1)
    except OSError as err:
        raise ScenarioError(f"session: cannot be read: {err.strerror or err}") from None
    return parse_session(raw)


def parse_session(raw: bytes) -> Session:
    """Validate a session file's bytes (see :func:`load_session`)."""
    data = _parse(raw)
    try:
        body = SessionFile.model_validate(data)
    except ValidationError as err:
        raise ScenarioError("session." + format_validation_error(err)) from None
    try:
        scenario = validate_scenario(body.scenario)
    except ScenarioError as err:
        raise ScenarioError(f"session.scenario.{err}") from None
    decisions = [Decision(d.week, d.kind, d.actor, d.target, d.value) for d in body.decisions]
    return Session(scenario, body.strategy, body.seed, frozenset(body.played), decisions,
                   body.note, body.weeks)


def write_session(session: Session, path: str | Path, overwrite: bool = False) -> Path:
    """Write a session file atomically; an existing file is refused unless ``overwrite``.

    Raises:
        ScenarioError: the file exists (and ``overwrite`` is false).
    """
    path = Path(path)
    if path.exists() and not overwrite:
        raise ScenarioError(f"session: {path.name} exists; choose another name (a session "
                            "file is never replaced silently)")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(session.to_json())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def replay(session: Session | str | Path, overrides: Mapping[str, Any] | None = None,
           weeks: int | None = None) -> tuple[RunResult, DecisionBook]:
    """Rerun a session's run with its decisions (optionally under other parameters).

    Returns the run and the decision book with its log (which choices took effect, which the
    rule made, which were refused under the new parameters).
    """
    if not isinstance(session, Session):
        session = load_session(session)
    book = session.book()
    result = run(session.scenario, session.strategy, seed=session.seed, overrides=overrides,
                 weeks=session.weeks if weeks is None else weeks, decisions=book)
    return result, book
