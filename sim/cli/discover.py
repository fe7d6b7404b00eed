"""The ``discover`` command of ``merger-sim``: scenario discovery on a finished sweep.

It reads a sweep's output folder through the engine's reader (``sim.experiments.results``), pairs
the
runs of two strategies by parameter point and replication (same seed: common random
numbers), and asks PRIM (:mod:`sim.experiments.discovery`) where the first strategy wins::

    merger-sim discover out/tvt --better teams --than training \\
        --outcome distance_to_target --week 156 --out out/tvt-discovery
    merger-sim discover out/tvt --question "teams beats training on distance_to_target \\
        at week 156"

Every input is checked before anything is computed; bad input is one ``error: <option>:
<reason>`` line on stderr and exit code 2, like every other command. Only typer is imported
at module level, so ``merger-sim --help`` stays fast.
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from sim.cli.errors import UserInputError, check_out, fail, user_errors

#: The free-text form of a question: "A beats B on OUTCOME [at week N | at the end]".
QUESTION_PATTERN = re.compile(
    r"^\s*(?P<better>\S+)\s+beats?\s+(?P<worse>\S+)\s+on\s+(?P<outcome>\S+)"
    r"(?:\s+at\s+(?:week\s+(?P<week>\d+)|(?P<end>the\s+end|final)))?\s*$"
)
QUESTION_FORM = "'A beats B on OUTCOME', optionally followed by 'at week N' or 'at the end'"


@dataclass(frozen=True)
class SweepOutput:
    """What a finished sweep's folder holds, read once for checking the question."""

    path: Path
    strategies: list[str]
    parameters: list[str]
    weeks: list[int]
    replications: int


def parse_question(text: str) -> tuple[str, str, str, int | str]:
    """(better, worse, outcome, week) from the free-text question; week "final" by default.

    Raises:
        UserInputError: the text does not have the expected form.
    """
    match = QUESTION_PATTERN.match(text)
    if match is None:
        raise UserInputError(f"--question: expected {QUESTION_FORM}; got {text!r}")
    week: int | str = int(match["week"]) if match["week"] else "final"
    return match["better"], match["worse"], match["outcome"], week


def parse_week(text: str) -> int | str:
    """``final`` or a week number."""
    if text == "final":
        return "final"
    try:
        week = int(text)
    except ValueError:
        raise UserInputError(f"--week: expected a week number or 'final'; got {text!r}") from None
    if week < 0:
        raise UserInputError(f"--week: {week} is negative")
    return week


def read_sweep_output(path: Path) -> SweepOutput:
    """Check that ``path`` holds a finished experiment and read what the question may refer
    to, through the engine's reader (``sim.experiments.results.load_results``: the folder's
    manifest,
    its plugins and its combined tables).

    Raises:
        UserInputError: no folder, no combined tables, a plugin that cannot be loaded, or no
            completed run.
    """
    from sim.experiments.plugins import PluginError
    from sim.experiments.results import ResultsError, load_results

    where = f"SWEEP_DIR {str(path)!r}"
    if not path.is_dir():
        raise UserInputError(f"{where}: no such folder")
    try:
        results = load_results(path)
    except ResultsError as exc:
        reason = str(exc).removeprefix(f"{path}: ")
        raise UserInputError(f"{where}: {reason}; run `merger-sim sweep` into this folder "
                             "first (it writes the tables when it finishes)") from None
    except PluginError as exc:
        raise UserInputError(f"SWEEP_DIR: {exc}") from None
    except (OSError, ValueError) as exc:
        raise UserInputError(f"{where}: the stored results cannot be read ({exc})") from None
    summary = results.experiments
    needed = {"point", "strategy", "replication", "seed", "status"}
    if not needed <= set(summary.columns):
        raise UserInputError(f"{where}: not an experiment's results (no columns "
                             f"{', '.join(sorted(needed - set(summary.columns)))})")
    ok = summary[summary["status"] == "ok"]
    if ok.empty:
        raise UserInputError(f"{where}: the sweep has no completed run")
    if not (path / "results.parquet").is_file():
        raise UserInputError(f"{where}: no results.parquet; run `merger-sim sweep` into this "
                             "folder first (it writes both when it finishes)")
    return SweepOutput(
        path=path,
        strategies=list(dict.fromkeys(ok["strategy"])),
        parameters=results.parameters or [c for c in summary.columns if "." in c],
        weeks=results.recorded_weeks(),
        replications=int(ok["replication"].nunique()),
    )


def _check_strategy(option: str, name: str, sweep: SweepOutput) -> None:
    from sim.strategies import STRATEGIES

    if name not in STRATEGIES:
        raise UserInputError(f"{option}: unknown strategy {name!r}; known: "
                             f"{', '.join(STRATEGIES)}")
    if name not in sweep.strategies:
        raise UserInputError(f"{option}: strategy {name!r} is not in this sweep (it ran "
                             f"{', '.join(sweep.strategies)})")


def _week_list(weeks: list[int]) -> str:
    """The recorded weeks, shortened when there are many."""
    if len(weeks) <= 8:
        return ", ".join(map(str, weeks))
    return f"{', '.join(map(str, weeks[:3]))}, ..., {', '.join(map(str, weeks[-2:]))}"


def build_question(sweep: SweepOutput, better: str, worse: str, outcome: str,
                   week: int | str, margin: float, direction: str | None) -> Any:
    """The :class:`sim.experiments.discovery.Question`, after checking every part against the sweep.

    Raises:
        UserInputError: naming the option that is wrong.
    """
    from sim.experiments.discovery import Question
    from sim.experiments.observables import BASELINE, effects, registry, weekly

    _check_strategy("--better", better, sweep)
    _check_strategy("--than", worse, sweep)
    if better == worse:
        raise UserInputError(f"--than: {worse!r} is also --better; compare two strategies")
    known = registry()
    if outcome not in known:
        raise UserInputError(f"--outcome: unknown outcome {outcome!r}; known: "
                             f"{', '.join(known)}")
    if outcome in effects() and BASELINE not in sweep.strategies:
        raise UserInputError(f"--outcome: {outcome} is an effect over {BASELINE}, and this "
                             f"sweep did not run {BASELINE} (ran "
                             f"{', '.join(sweep.strategies)})")
    if outcome not in weekly() and week != "final":
        raise UserInputError(f"--week: {outcome} is one number per run; use --week final")
    if week != "final" and week not in sweep.weeks:
        raise UserInputError(f"--week: week {week} was not recorded in this sweep (recorded: "
                             f"{_week_list(sweep.weeks)}; or use --week final)")
    if direction not in (None, "lower", "higher"):
        raise UserInputError(f"--direction: {direction!r} is not one of lower, higher")
    if margin < 0:
        raise UserInputError(f"--margin: {margin} is negative (a win is an advantage above it)")
    if not sweep.parameters:
        raise UserInputError(f"SWEEP_DIR {str(sweep.path)!r}: the sweep varies no parameter, "
                             "so there is no region to discover")
    return Question(better=better, worse=worse, outcome=outcome, week=week,  # type: ignore[arg-type]
                    margin=margin, direction=direction)  # type: ignore[arg-type]


def _echo_boxes(found: dict[str, Any], better: str) -> None:
    stats, limits = found["stats"], found["limits"]
    if not len(stats):
        if found["share"] in (0.0, 1.0):
            where = "every" if found["share"] == 1.0 else "no"
            typer.echo(f"no box: {better} wins at {where} point, so there is no region to find")
        else:
            typer.echo("no box: PRIM found no region that holds the wins better than chance")
        return
    for row in stats.itertuples():
        typer.echo(f"box {row.box}: coverage {row.coverage:.2f}, density {row.density:.2f}, "
                   f"mass {row.mass:.2f} ({row.n} points)")
        box = limits[(limits["box"] == row.box) & limits["restricted"]]
        for lim in box.itertuples():
            typer.echo(f"    {lim.parameter}: {lim.min:.3g} .. {lim.max:.3g}")
        if box.empty:
            typer.echo("    (no parameter restricted)")


def discover(
    sweep_dir: Annotated[Path, typer.Argument(
        metavar="SWEEP_DIR", help="output folder of a finished sweep", show_default=False)],
    better: Annotated[str | None, typer.Option(
        help="the strategy whose win is the case of interest, e.g. teams")] = None,
    than: Annotated[str | None, typer.Option(
        help="the strategy it is compared with, e.g. training")] = None,
    outcome: Annotated[str | None, typer.Option(
        help="weekly output to compare, e.g. cost_cum [default: distance_to_target]")] = None,
    week: Annotated[str | None, typer.Option(
        help="a recorded week, or 'final': each run's last recorded week [default: final]"
    )] = None,
    direction: Annotated[str | None, typer.Option(
        help="lower or higher is better (default: the outcome's own direction)")] = None,
    margin: Annotated[float, typer.Option(
        help="a win is an advantage above this, in the outcome's unit")] = 0.0,
    question: Annotated[str | None, typer.Option(
        help="the question in words instead of --better/--than/--outcome/--week, e.g. "
             "'teams beats training on distance_to_target at week 156'")] = None,
    max_boxes: Annotated[int, typer.Option(min=1, help="stop after this many boxes")] = 3,
    out: Annotated[Path | None, typer.Option(
        help="folder for the boxes table and figure (default: SWEEP_DIR/discovery)")] = None,
) -> None:
    """Where in a finished sweep does one strategy beat another? PRIM on paired runs."""
    with user_errors():
        if question is not None:
            if any(v is not None for v in (better, than, outcome, week)):
                raise UserInputError("--question: give the question in words or with "
                                     "--better/--than/--outcome/--week, not both")
            better, than, outcome, parsed_week = parse_question(question)
        else:
            if better is None or than is None:
                missing = "--better" if better is None else "--than"
                raise UserInputError(f"{missing}: required (or give --question)")
            outcome = outcome or "distance_to_target"
            parsed_week = parse_week(week or "final")
        sweep = read_sweep_output(sweep_dir)
        asked = build_question(sweep, better, than, outcome, parsed_week, margin, direction)
        if importlib.util.find_spec("ema_workbench") is None:
            raise UserInputError("discover needs the EMA Workbench for PRIM: pip install "
                                 "ema-workbench (or the project's sweep extra)")
        out = check_out(out or sweep_dir / "discovery")
    from sim.presentation.analysis import discover as run_discovery

    try:
        found = run_discovery(sweep_dir, asked, fig_dir=out, table_dir=out,
                              max_boxes=max_boxes)
    except ValueError as err:  # the tables disagree with what was checked above
        raise fail(f"SWEEP_DIR {str(sweep_dir)!r}: {err}") from None
    points = found["points"]
    stem = found["paths"][0].name.removesuffix("_boxes.csv")
    points_path = out / f"{stem}_points.csv"
    points.to_csv(points_path, index=False)
    typer.echo(f"{asked.describe()} {asked.better} wins at {found['share']:.0%} of "
               f"{len(points)} parameter points (paired runs, {sweep.replications} "
               "replications)")
    _echo_boxes(found, asked.better)
    for path in [found["paths"][0], points_path, *found["paths"][1:]]:
        typer.echo(f"wrote {path}")
