"""Provenance: what produced an output (package and library versions, git commit, time)."""

from __future__ import annotations

import ast
import datetime as _dt
import hashlib
import json
import platform
import subprocess
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

LIBRARIES = ("numpy", "numba", "llvmlite", "scipy", "pandas", "pyarrow", "mesa", "networkx",
             "pydantic")
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


@cache
def git_dirty() -> bool | None:
    """Whether tracked files of the source tree differ from its commit (None: not a checkout).

    Why recorded: a commit alone does not identify the code when the tree was edited; the
    manifest says so, and the code fingerprint (:func:`code_fingerprint`) keys the runs.
    """
    try:
        out = subprocess.run(["git", "-C", str(REPO_ROOT), "status", "--porcelain",
                              "--untracked-files=no"],
                             capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return bool(out.stdout.strip()) if out.returncode == 0 else None


#: Modules whose code a run executes, as import roots: the run function (and through its
#: imports the model, rules, strategies, metrics, scenario) and the per-run outcomes.
MODEL_ROOTS = ("sim.runner", "sim.strategies", "sim.experiments.outcomes")

_PACKAGE_DIR = Path(__file__).resolve().parent


def _module_path(name: str) -> Path | None:
    """The source file of a ``sim`` module, found on disk without importing it."""
    parts = name.split(".")
    if parts[0] != "sim":
        return None
    base = _PACKAGE_DIR.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imported_names(path: Path) -> set[str]:
    """The ``sim`` modules a source file imports, wherever the import statement stands."""
    tree = ast.parse(path.read_bytes(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names if a.name.split(".")[0] == "sim")
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module \
                and node.module.split(".")[0] == "sim":
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)  # submodules
    return names


def model_files(roots: tuple[str, ...] = MODEL_ROOTS) -> list[Path]:
    """Source files a run executes: the import closure of ``roots`` within ``sim``.

    Static (read from the import statements, also those inside functions), so it is the
    same in every process and costs no import; every package ``__init__`` on the way counts.
    """
    seen: dict[str, Path] = {}
    todo = list(roots)
    while todo:
        name = todo.pop()
        parts = name.split(".")
        for i in range(1, len(parts) + 1):  # the packages on the way, then the module
            sub = ".".join(parts[:i])
            if sub in seen:
                continue
            path = _module_path(sub)
            if path is None:
                continue
            seen[sub] = path
            todo.extend(_imported_names(path))
    return sorted(set(seen.values()))


def code_fingerprint(extra_files: tuple[Path, ...] = ()) -> str:
    """A hash of the model code a run executes and of the numerical libraries' versions.

    Part of every stored run's key: an edited rule, metric or strategy (or another NumPy)
    gives new keys, so a stored run computed by other code is never reused. ``extra_files``
    adds source outside the package (plugins).
    """
    return _fingerprint(tuple(str(p) for p in extra_files))


@cache
def _fingerprint(extra: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for path in [*model_files(), *(Path(p) for p in extra)]:
        label = (path.relative_to(_PACKAGE_DIR).as_posix() if path.is_relative_to(_PACKAGE_DIR)
                 else path.name)
        digest.update(label.encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(json.dumps(_library_versions(), sort_keys=True).encode())
    return digest.hexdigest()[:16]


def now_iso() -> str:
    """The current UTC time, ISO 8601."""
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
