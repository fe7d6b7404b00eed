"""Command-line helpers shared by the fair-test experiment scripts (experiments/*.py)."""

from __future__ import annotations

from pathlib import Path


def fresh_folder(path: Path) -> None:
    """Refuse an output folder that already holds files (never overwrite results).

    Raises:
        ValueError: naming ``--out``.
    """
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise ValueError(f"--out: {path} already holds results; choose a new folder or "
                         "remove it")


def parse_sets(items: list[str]) -> dict[str, object]:
    """``--set key=value`` options as an overrides mapping (values read as TOML).

    Raises:
        ScenarioError: a malformed assignment, naming it.
    """
    from sim.scenario import parse_assignment

    return dict(parse_assignment(item) for item in items)
