"""An output folder belongs to one experiment: resume it, extend it, replace it, or refuse.

Why: results that are silently replaced or mixed cost a paper. The first command that writes
into a folder records the experiment's identity in ``experiment.json``; every later command
compares its own experiment with it before anything is written:

- the same experiment resumes (stored runs are skipped);
- a different one is refused, with a message naming both and the ways out: another
  ``--out``, ``--overwrite`` (delete the old experiment's files first) or, when the new
  experiment contains every run of the stored one, ``--extend`` (add the new runs);
- a folder with merger-sim results but no record (an older version wrote it) is refused too.

An experiment's identity is a hash of what defines its runs (the runs' code-independent ids
in plan order, or a comparison's settings), not of the code: edited model code gives new run
keys (``sim.provenance.code_fingerprint``) inside the same experiment, so its stored runs are
recomputed, not reused and not mixed.

``--overwrite`` deletes only what merger-sim writes into an experiment folder (the names in
:data:`KNOWN_ENTRIES`); a folder that holds anything else is refused, so a mistyped ``--out``
can never clear a folder of the user's own files.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from sim.experiments.sweep.spec import SweepError
from sim.fileio import atomic_write_bytes, fsync_dir

#: The record of the folder's experiment.
IDENTITY_FILE = "experiment.json"

#: Version of the record's layout.
RECORD_FORMAT = 1

#: What to do with a folder that holds another experiment.
Mode = Literal["resume", "overwrite", "extend"]

#: Everything merger-sim writes into an experiment folder (sweep, sensitivity, comparison,
#: discovery's default folder); ``--overwrite`` removes these and nothing else.
KNOWN_ENTRIES = frozenset({
    IDENTITY_FILE, ".lock", "runs", "stale", "results.parquet", "summary.parquet",
    "summary.csv", "manifest.json", "indices.csv", "sobol_second_order.csv",
    "sensitivity_warnings.txt", "figures", "discovery", "weekly_runs.csv",
    "paired.csv", "weekly.csv", "outcomes.csv", "acculturation.csv",
    "acculturation_summary.csv", "failures.csv", "counterfactual.csv",
    "counterfactual_weekly.csv", "ce_plane.csv", "ceac.csv", "report.html", ".retired",
    "run_summary.parquet", "run_summary.csv", "results.csv",
})


class FolderError(SweepError):
    """The output folder holds another experiment (or files merger-sim did not write)."""


@dataclass(frozen=True)
class Experiment:
    """What defines an experiment's runs, for the folder's record.

    Attributes:
        kind: "sweep" or "compare" (a sensitivity analysis is a sweep).
        name: the user's name for it (sweep name, or the comparison's scenario).
        definition: JSON-safe settings that define the runs; hashed into the identity.
        run_ids: code-independent ids of the planned runs, in plan order (``--extend``
            compares them).
    """

    kind: str
    name: str
    definition: dict[str, Any]
    run_ids: tuple[str, ...] = field(default=())

    @property
    def identity(self) -> str:
        """A short hash of the kind and definition."""
        text = json.dumps({"kind": self.kind, "definition": self.definition}, sort_keys=True,
                          separators=(",", ":"), default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def describe(self) -> str:
        """One phrase naming the experiment."""
        return f"{self.kind} {self.name!r} ({len(self.run_ids)} runs, identity {self.identity})"

    def record(self) -> dict[str, Any]:
        """The JSON record written to ``experiment.json``."""
        return {"format": RECORD_FORMAT, "kind": self.kind, "name": self.name,
                "identity": self.identity, "definition": self.definition,
                "run_ids": list(self.run_ids)}


def _describe_record(record: dict[str, Any]) -> str:
    runs = record.get("run_ids") or []
    return (f"{record.get('kind', '?')} {record.get('name', '?')!r} ({len(runs)} runs, "
            f"identity {record.get('identity', '?')})")


def read_record(out: Path) -> dict[str, Any] | None:
    """The folder's experiment record, or None when it has none.

    Raises:
        FolderError: the record exists but cannot be read.
    """
    path = out / IDENTITY_FILE
    if not path.is_file():
        return None
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FolderError(f"--out: {path} cannot be read ({exc}); give another --out") \
            from None
    if not isinstance(record, dict) or "identity" not in record:
        raise FolderError(f"--out: {path} is not an experiment record; give another --out")
    return record


def _ours(name: str) -> bool:
    """An entry merger-sim writes (temporary and staging files are hidden and ours)."""
    return name in KNOWN_ENTRIES or (name.startswith(".") and (
        name.endswith(".tmp") or name.startswith((".staging-", ".write-check-"))))


def _results_present(out: Path) -> list[str]:
    """Names of merger-sim results in the folder (not counting its lock or temp files)."""
    if not out.is_dir():
        return []
    return sorted(p.name for p in out.iterdir()
                  if _ours(p.name) and not p.name.startswith(".")
                  and not (p.name == "runs" and p.is_dir() and not any(p.iterdir())))


def check_folder(out: Path, experiment: Experiment, mode: Mode = "resume") -> str:
    """Decide what running ``experiment`` into ``out`` does, without writing anything.

    Returns:
        "new" (no results there), "resume" (the same experiment), "extend" (a larger
        experiment, asked for with ``--extend``) or "overwrite" (asked for).

    Raises:
        FolderError: naming both experiments and the ways out.
    """
    out = Path(out)
    record = read_record(out) if out.is_dir() else None
    present = _results_present(out)
    if mode == "overwrite":
        if record is None and not present:
            return "new"
        _check_clearable(out)
        return "overwrite"
    if record is None:
        if not present:
            return "new"
        raise FolderError(
            f"--out {out}: holds merger-sim results ({', '.join(present[:3])}) without an "
            f"experiment record (written by an older version or by hand), not this "
            f"{experiment.describe()}; give another --out, or --overwrite to delete them first")
    if record.get("identity") == experiment.identity and record.get("kind") == experiment.kind:
        return "resume"
    old = _describe_record(record)
    new = experiment.describe()
    extendable = record.get("kind") == experiment.kind and \
        set(record.get("run_ids") or []) <= set(experiment.run_ids)
    if mode == "extend":
        if extendable:
            return "extend"
        missing = len(set(record.get("run_ids") or []) - set(experiment.run_ids))
        reason = ("it is another kind of experiment" if record.get("kind") != experiment.kind
                  else f"it leaves out {missing} of the stored runs (other settings, not "
                       "only more points)")
        raise FolderError(f"--extend: {out} holds {old}; this {new} does not extend it: "
                          f"{reason}; give another --out, or --overwrite to replace it")
    hint = ", or --extend to add this experiment's new runs" if extendable else ""
    raise FolderError(f"--out {out}: holds {old}, not this {new}; give another --out, or "
                      f"--overwrite to delete the stored experiment first{hint}")


def _check_clearable(out: Path) -> None:
    foreign = sorted(p.name for p in out.iterdir() if not _ours(p.name))
    if foreign:
        raise FolderError(f"--overwrite: {out} holds files merger-sim did not write "
                          f"({', '.join(foreign[:3])}); nothing was deleted; give another "
                          "--out (or clear the folder yourself)")


def clear(out: Path) -> None:
    """Delete the experiment files of ``out`` (its lock file stays: it is held)."""
    _check_clearable(out)
    for entry in sorted(out.iterdir()):
        if entry.name == ".lock":
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    fsync_dir(out)


def claim(out: Path, experiment: Experiment, mode: Mode = "resume") -> str:
    """Make ``out`` the folder of ``experiment`` (checked as :func:`check_folder`).

    Call with the folder's writer lock held. ``overwrite`` deletes the old experiment's
    files first; ``extend`` and ``new`` write the new record; ``resume`` leaves it.

    Returns:
        What was done: "new", "resume", "extend" or "overwrite".
    """
    out = Path(out)
    action = check_folder(out, experiment, mode)
    if action == "overwrite":
        clear(out)
    if action != "resume":
        data = json.dumps(experiment.record(), indent=1, sort_keys=True).encode()
        atomic_write_bytes(out / IDENTITY_FILE, data)
    return action


#: Where the previous derived outputs wait while new ones are moved into place.
RETIRED = ".retired"


@contextlib.contextmanager
def staged_outputs(out: Path, derived: frozenset[str] | set[str]) -> Iterator[Path]:
    """Write a set of derived outputs (tables, figures, report) together, or not at all.

    Yields a staging folder inside ``out``; write every output there. When the block ends
    without an error, each name in ``derived`` present in ``out`` is moved aside, the
    staged entries are moved in, and the old ones are deleted; so tables, figures and report
    always come from one invocation (an output this invocation does not make, such as
    figures under ``--no-figures``, is removed, not left from an earlier one). When the
    block raises, the staging folder is removed and ``out`` is as it was.
    """
    stage = Path(tempfile.mkdtemp(dir=out, prefix=".staging-"))
    try:
        yield stage
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    retired = out / RETIRED
    if retired.exists():  # left by an interrupted swap: derived files only
        shutil.rmtree(retired)
    retired.mkdir()
    for name in sorted(derived):
        if (out / name).exists() or (out / name).is_symlink():
            os.replace(out / name, retired / name)
    for entry in sorted(stage.iterdir()):
        os.replace(entry, out / entry.name)
    fsync_dir(out)
    shutil.rmtree(retired)
    stage.rmdir()
