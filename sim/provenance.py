"""Provenance: what produced an output (package version, git commit, time)."""

from __future__ import annotations

import datetime as _dt
import subprocess
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def package_version() -> str:
    """The installed merger-sim version."""
    try:
        return version("merger-sim")
    except PackageNotFoundError:
        return "0+unknown"


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
