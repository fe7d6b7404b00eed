"""The ``replay`` command: rerun a session's run with its people's decisions."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sim.cli.errors import check_out, parse_sets, user_errors
from sim.cli.run import SetOption


def replay(
    session: Annotated[Path, typer.Argument(help="a session file (JSON) of a class or a run")],
    set_: SetOption = None,
    out: Annotated[Path, typer.Option(help="output folder")] = Path("out/replay"),
    format: Annotated[str, typer.Option("--format", help="parquet or csv")] = "parquet",
) -> None:
    """Rerun a session's run with its people's decisions; --set reruns the same choices
    under other parameters. Writes timeseries, agents, meta.json and decisions.csv to OUT."""
    import pandas as pd

    from sim.replay import load_session
    from sim.replay import replay as replay_session
    from sim.runner import check_run, write_result
    from sim.scenario import apply_overrides

    with user_errors():
        if format not in ("parquet", "csv"):
            from sim.cli.errors import UserInputError
            raise UserInputError(f"--format: {format!r} is not one of parquet, csv")
        loaded = load_session(session)
        overrides = parse_sets(set_)
        check_run(apply_overrides(loaded.scenario, overrides), loaded.strategy,
                  seed=loaded.seed)
        check_out(out)
    result, book = replay_session(loaded, overrides=overrides)
    paths = write_result(result, out, format)  # type: ignore[arg-type]
    log = pd.DataFrame([vars(e) for e in book.log],
                       columns=["week", "kind", "actor", "target", "value", "source", "note",
                                "rule", "score"])
    log.to_csv(out / "decisions.csv", index=False)
    counts = result.meta.get("decisions", {})
    final = result.timeseries.iloc[-1]
    typer.echo(f"{result.meta['scenario_name']} / {loaded.strategy} / seed {loaded.seed}: "
               f"{counts.get('player', 0)} people's decisions, {counts.get('rule', 0)} by the "
               f"rule, {counts.get('refused', 0)} refused; distance to target "
               f"{final['distance_to_target']:.3f}, cost EUR {final['cost_cum']:,.0f}")
    for path in [*paths, out / "decisions.csv"]:
        typer.echo(f"wrote {path}")
