"""The ``class`` command: serve a participatory class (sim/live) on this machine."""

from __future__ import annotations

from typing import Annotated

import typer

from sim.cli.errors import UserInputError, check_seed, user_errors

AWAY_SECONDS = 30.0
"""A student's page polls every 2 s; silent for this long, the rule plays their role."""


def class_session(
    scenario: Annotated[str, typer.Argument(help="scenario file or preset name")] = "classroom",
    seed: Annotated[int, typer.Option(help="the run's seed, 0 .. 2**63 - 1")] = 0,
    host: Annotated[str, typer.Option(help="address to listen on; 0.0.0.0 for a room's "
                                           "network")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port, 1024 .. 65535")] = 8766,
    week_seconds: Annotated[float, typer.Option(help="seconds students have to choose each "
                                                     "week (then the rule chooses), 10 .. 3600"
                                                )] = 90.0,
) -> None:
    """A participatory class: students join on /join with the room code and play sponsors
    and employees of the merger; the teacher's screen (URL with its key) advances the weeks
    and judges the pitches, and saves the session file for `merger-sim replay`."""
    import uvicorn

    from sim.live import ClassSession
    from sim.live.web import create_app
    from sim.runner import check_run
    from sim.scenario import load_scenario

    with user_errors():
        check_seed(seed)
        if not 1024 <= port <= 65535:
            raise UserInputError(f"--port: {port} is not in 1024 .. 65535")
        if not 10 <= week_seconds <= 3600:
            raise UserInputError(f"--week-seconds: {week_seconds:g} is not in 10 .. 3600")
        config = load_scenario(scenario)
        check_run(config, "teams", seed=seed)
    session = ClassSession(config, seed=seed, week_seconds=week_seconds,
                           away_seconds=AWAY_SECONDS)
    app = create_app(session)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    if host not in ("127.0.0.1", "localhost", "::1"):
        typer.echo(f"warning: listening on {host}: anyone on this network can open the join "
                   "page; the teacher's pages need the key below", err=True)
    typer.echo(f"room code {session.code}")
    typer.echo(f"students: http://{shown}:{port}/join  (Dutch: /join?lang=nl)")
    typer.echo(f"teacher:  http://{shown}:{port}/teacher?key={app.state.teacher_key}")
    uvicorn.run(app, host=host, port=port, log_level="warning")
