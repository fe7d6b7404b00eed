"""The ``export`` and ``verify`` commands: a reproducibility archive and its check."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sim.cli.errors import fail
from sim.cli.sweep import EXIT_RUNS_FAILED


def export(
    folder: Annotated[Path, typer.Argument(help="a finished sweep, sensitivity or comparison "
                                                "folder", show_default=False)],
    out: Annotated[Path | None, typer.Option(
        help="the archive to write (default: FOLDER.tar.gz beside the folder)")] = None,
) -> None:
    """Write a reproducibility archive: experiment file, scenario, runs, manifest, versions."""
    from sim.experiments.sweep.archive import ArchiveError, export_folder

    target = out or folder.with_name(f"{folder.name}.tar.gz")
    try:
        written = export_folder(folder, target)
    except (ArchiveError, OSError) as err:
        raise fail(str(err)) from None
    typer.echo(f"wrote {written}")


def verify(
    archive: Annotated[Path, typer.Argument(help="an archive written by export",
                                            show_default=False)],
    sample: Annotated[int, typer.Option(min=1, help="how many runs to rerun")] = 5,
    seed: Annotated[int, typer.Option(min=0, help="seed of the choice of runs")] = 0,
) -> None:
    """Rerun a sample of an archive's runs; say whether each reproduces byte for byte."""
    from sim.experiments.sweep.archive import ArchiveError, verify_archive

    try:
        found = verify_archive(archive, sample, seed)
    except (ArchiveError, OSError) as err:
        raise fail(str(err)) from None
    if not found.code_matches:
        typer.echo("note: this model code differs from the code that made the archive "
                   "(another code fingerprint); runs may still reproduce")
    for key, why in found.differing:
        typer.echo(f"differs: run {key}: {why}")
    typer.echo(f"{len(found.reproduced)} of {len(found.checked)} runs reproduce byte for byte")
    if not found.ok:
        raise typer.Exit(EXIT_RUNS_FAILED)
