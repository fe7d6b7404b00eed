"""A strategy comparison with its figures and report: the engine's comparison, presented.

The experiments layer plans, runs, stores and analyses a comparison
(:func:`sim.experiments.compare.compare`) and writes its tables; it imports no drawing code.
This module hands it :func:`render`, which draws the figures and writes ``report.html`` into
the same staging folder, so tables, figures and report still replace the previous ones
together. ``compare`` and ``redraw`` here are what the command line, the experiment scripts
and a user who wants the report call.
"""

from __future__ import annotations

from functools import wraps
from pathlib import Path
from typing import Any

from sim.experiments import compare as engine


def render(stage: Path, tables: dict[str, Any], figures: bool) -> None:
    """Draw the comparison's figures (when asked) and write its report into ``stage``."""
    from sim.presentation.plots import draw_all
    from sim.presentation.report import build_report

    drawn = draw_all(tables, stage / "figures") if figures else {}
    build_report(stage, tables, drawn)


@wraps(engine.compare)
def compare(*args: Any, **kwargs: Any) -> Path:
    kwargs.setdefault("render", render)
    return engine.compare(*args, **kwargs)


def redraw(out_dir: Path | str) -> Path:
    """Rebuild tables, figures and report.html of a comparison from its stored runs."""
    return engine.redraw(out_dir, render)
