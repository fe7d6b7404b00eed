"""One progress bar for every command that runs many simulations (compare, sweeps)."""

from __future__ import annotations

from typing import Any


def progress_bar(enabled: bool, *extra: Any) -> Any:
    """A rich progress bar on stderr: description, bar, done/total, ``extra`` columns,
    elapsed time and time left. Disabled, it draws nothing.

    Args:
        enabled: draw the bar.
        extra: more rich columns, shown after the done/total count.
    """
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), *extra,
        TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
        console=Console(stderr=True), disable=not enabled, transient=False,
    )
