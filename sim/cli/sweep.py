"""The ``sweep`` and ``sensitivity`` commands of ``merger-sim``.

Only typer is imported at module level; the sweep machinery is imported inside the
commands so that ``merger-sim --help`` stays fast. Bad input (a wrong sweep file, an
unknown executor, an output folder in use or not writable) is one ``error: <field>: <reason>``
line on stderr and exit code 2 (sim.cli.errors), like every other command.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from sim.cli.errors import check_out, fail

#: Exit code when the sweep finished but some runs failed (their errors are stored).
EXIT_RUNS_FAILED = 1

SweepFile = Annotated[Path, typer.Argument(help="sweep file (TOML)", show_default=False)]
OutOption = Annotated[
    Path | None, typer.Option(help="output folder (default: out/sweeps/<sweep name>)")
]
SensitivityOutOption = Annotated[
    Path | None,
    typer.Option(help="output folder (default: out/sensitivity/<sweep name>-<method>)"),
]
ExecutorOption = Annotated[str, typer.Option(help="serial, local (process pool) or dask")]
WorkersOption = Annotated[
    int | None, typer.Option(min=1, help="worker processes for local (default: one per core)")
]
SchedulerOption = Annotated[
    str | None, typer.Option(help="Dask scheduler address, e.g. tcp://10.0.0.5:8786")
]
RetriesOption = Annotated[
    int, typer.Option(min=0, help="extra attempts for a run that failed or was lost")
]
ProgressOption = Annotated[bool, typer.Option(help="show a progress bar with time left")]
TlsCaOption = Annotated[
    Path | None, typer.Option("--tls-ca-file", help="Dask TLS: CA certificate file (PEM)")
]
TlsCertOption = Annotated[
    Path | None, typer.Option("--tls-cert", help="Dask TLS: this client's certificate (PEM)")
]
OverwriteOption = Annotated[bool, typer.Option(
    "--overwrite", help="OUT holds another experiment: delete its files first")]
ExtendOption = Annotated[bool, typer.Option(
    "--extend", help="OUT holds a smaller experiment whose runs this one contains: add the new "
                     "runs (e.g. more points, replications or strategies)")]
CsvOption = Annotated[bool, typer.Option(
    "--csv", help="also write results.csv: every run and recorded week (as results.parquet)")]
TlsKeyOption = Annotated[
    Path | None, typer.Option("--tls-key", help="Dask TLS: this client's private key (PEM)")
]


@contextmanager
def _sweep_errors(checking: bool = True) -> Iterator[None]:
    """Turn bad input into one line on stderr and exit code 2.

    While checking input every ValueError is bad input; while running, only the sweep's
    own errors are (anything else is a bug and keeps its traceback).
    """
    from sim.experiments.sweep.spec import SweepError
    from sim.experiments.sweep.store import SweepLockedError

    errors: tuple[type[BaseException], ...] = (SweepError, SweepLockedError, OSError)
    if checking:
        errors += (ValueError,)
    try:
        yield
    except errors as err:
        raise fail(str(err)) from None


def _load(sweep_file: Path, executor: str, scheduler: str | None, method: str | None = None):
    from sim.experiments.sweep.executors import EXECUTORS
    from sim.experiments.sweep.spec import load_sweep

    if executor not in EXECUTORS:
        raise ValueError(f"--executor: unknown executor {executor!r}; choose "
                         f"{', '.join(EXECUTORS)}")
    if executor == "dask" and not scheduler:
        raise ValueError("--scheduler: the dask executor needs a scheduler address")
    return load_sweep(sweep_file, design_method=method)


def folder_mode(overwrite: bool, extend: bool) -> str:
    """The folder mode of ``--overwrite`` / ``--extend`` (not both)."""
    if overwrite and extend:
        raise ValueError("--overwrite: give --overwrite or --extend, not both")
    return "overwrite" if overwrite else "extend" if extend else "resume"


def _check_start(loaded: Any, out: Path, mode: str = "resume",
                 method: str | None = None) -> None:
    """Before any run: every strategy can run on the scenario, OUT holds no other experiment
    (nothing is written when it does), and OUT can be written."""
    from sim.experiments.sweep.folder import check_folder
    from sim.experiments.sweep.plan import plan_sweep
    from sim.experiments.sweep.runner import sweep_experiment
    from sim.runner import check_run

    for strategy in loaded.spec.strategies:
        check_run(loaded.scenario, strategy)
    check_out(out)
    check_folder(out, sweep_experiment(loaded, plan_sweep(loaded, method)), mode)  # type: ignore[arg-type]


def _connect(executor: str, scheduler: str | None, tls: tuple[Path | None, ...] = ()):
    """Connect to the Dask scheduler up front, so a bad address is bad input (exit 2)."""
    from sim.experiments.sweep.executors import dask_security

    security = dask_security(executor, scheduler, *(tls or (None, None, None)))
    if executor != "dask":
        return None
    from distributed import Client

    try:
        return Client(scheduler, timeout="5s", security=security)
    except (OSError, TimeoutError) as exc:
        raise ValueError(f"--scheduler: cannot reach {scheduler}: {exc}") from None


def _report(report, out: Path) -> None:
    typer.echo(
        f"{report.planned} runs planned ({report.unique} distinct), {report.skipped} already "
        f"stored, {report.computed} computed, {len(report.failed)} failed, "
        f"{report.seconds:.1f} s ({report.runs_per_minute:.0f} runs/min)"
    )
    for name in ("results.parquet", "results.csv", "summary.csv", "manifest.json"):
        if (out / name).exists():
            typer.echo(f"wrote {out / name}")
    if report.failed:
        typer.echo(f"{len(report.failed)} runs failed; errors in {out / 'runs'}/*.error.json "
                   "and summary.csv; rerun the command to try them again", err=True)


def _execute(loaded: Any, out: Path, executor: str, workers: int | None,
             scheduler: str | None, retries: int, progress: bool,
             method: str | None = None, tls: tuple[Path | None, ...] = (),
             mode: str = "resume", csv: bool = False) -> None:
    """Run the sweep's runs into ``out`` (connecting to Dask if asked) and report; exit with
    ``EXIT_RUNS_FAILED`` when runs failed. Shared by ``sweep`` and ``sensitivity``."""
    from sim.experiments.sweep.runner import run_sweep

    with _sweep_errors():
        client = _connect(executor, scheduler, tls)
    try:
        with _sweep_errors(checking=False):
            report = run_sweep(loaded, out, executor=executor, workers=workers,
                               scheduler=client, retries=retries, progress=progress,
                               method=method, mode=mode, csv=csv)  # type: ignore[arg-type]
    finally:
        if client is not None:
            client.close()
    _report(report, out)
    if report.failed:
        raise typer.Exit(EXIT_RUNS_FAILED)


def sweep(
    sweep_file: SweepFile,
    out: OutOption = None,
    executor: ExecutorOption = "local",
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
    retries: RetriesOption = 2,
    progress: ProgressOption = True,
    tls_ca_file: TlsCaOption = None,
    tls_cert: TlsCertOption = None,
    tls_key: TlsKeyOption = None,
    overwrite: OverwriteOption = False,
    extend: ExtendOption = False,
    csv: CsvOption = False,
) -> None:
    """Run a sweep; rerunning the same command resumes and skips stored runs.

    OUT belongs to one experiment: another sweep into it is refused unless --overwrite
    (delete the old one first) or --extend (add points to it).
    """
    with _sweep_errors():
        mode = folder_mode(overwrite, extend)
        loaded = _load(sweep_file, executor, scheduler)
        out = out or Path("out/sweeps") / loaded.spec.name
        _check_start(loaded, out, mode)
    _execute(loaded, out, executor, workers, scheduler, retries, progress,
             tls=(tls_ca_file, tls_cert, tls_key), mode=mode, csv=csv)


def sensitivity(
    sweep_file: SweepFile,
    method: Annotated[str, typer.Option(help="morris or sobol")] = "morris",
    out: SensitivityOutOption = None,
    executor: ExecutorOption = "local",
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
    retries: RetriesOption = 2,
    progress: ProgressOption = True,
    tls_ca_file: TlsCaOption = None,
    tls_cert: TlsCertOption = None,
    tls_key: TlsKeyOption = None,
    overwrite: OverwriteOption = False,
    extend: ExtendOption = False,
) -> None:
    """Sample the sweep's ranges with Morris or Sobol, run them, and write the indices."""
    from sim.presentation.analysis import analyse_sweep

    with _sweep_errors():
        mode = folder_mode(overwrite, extend)
        if method not in ("morris", "sobol"):
            raise ValueError(f"--method: {method!r} is not one of morris, sobol")
        loaded = _load(sweep_file, executor, scheduler, method)
        out = out or Path("out/sensitivity") / f"{loaded.spec.name}-{method}"
        _check_start(loaded, out, mode, method)
    _execute(loaded, out, executor, workers, scheduler, retries, progress, method,
             tls=(tls_ca_file, tls_cert, tls_key), mode=mode)
    with _sweep_errors():
        written = analyse_sweep(loaded, out, method)
    for path in written:
        typer.echo(f"wrote {path}")

