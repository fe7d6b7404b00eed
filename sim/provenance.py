"""Provenance: what produced an output (package and library versions, git commit, time)."""

from __future__ import annotations

import datetime as _dt
import platform
import subprocess
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

LIBRARIES = ("numpy", "scipy", "pandas", "pyarrow", "mesa", "networkx", "pydantic")
"""The libraries whose version can change a run's numbers or files (constraints.txt pins them)."""


def package_version() -> str:
    """The installed merger-sim version."""
    try:
        return version("merger-sim")
    except PackageNotFoundError:
        return "0+unknown"


def library_versions() -> dict[str, str]:
    """Python's and each library's installed version ("missing" when it is not installed).

    Recorded in every run's meta and a comparison's provenance, so a result can be traced to
    the exact environment that made it (and compared with constraints.txt). A new dict each
    call, so a caller that edits its copy changes no other run's record.
    """
    return dict(_library_versions())


@cache
def _library_versions() -> tuple[tuple[str, str], ...]:
    out = [("python", platform.python_version())]
    for name in LIBRARIES:
        try:
            out.append((name, version(name)))
        except PackageNotFoundError:
            out.append((name, "missing"))
    return tuple(out)


@cache
def git_commit() -> str | None:
    """The commit of the source tree, when it is a git checkout (None otherwise)."""
    try:
        out = subprocess.run(["git", "-C", str(REPO_ROOT), "rev-parse", "HEAD"],
                             capture_output=True, text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    commit = out.stdout.strip()
    return commit if out.returncode == 0 and commit else None


def now_iso() -> str:
    """The current UTC time, ISO 8601."""
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
