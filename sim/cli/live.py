"""The ``class`` command: serve a participatory class (sim/presentation/live) on this machine.

The options, their checks and the lines the teacher reads are shared with
``merger-sim dashboard --class`` (:func:`class_settings_or_exit`, :func:`class_lines`), which
serves the same class next to the dashboard.
"""

from __future__ import annotations

from typing import Annotated

import typer

from sim.cli.errors import UserInputError, user_errors
from sim.presentation.live.setup import WEEK_SECONDS, ClassSettings

WEEK_SECONDS_HELP = "seconds students have to choose each week (then the rule chooses), 10 .. 3600"
AUTO_HELP = ("close each week by itself at its deadline, on to the next week with a choice "
             "(default: the teacher advances; the teacher's screen can switch it)")


def class_settings_or_exit(scenario: str, seed: int, week_seconds: float,
                           auto_advance: bool, seed_option: str = "--seed"
                           ) -> tuple[ClassSettings, object]:
    """The class's settings checked, or one ``error: ...`` line and exit code 2."""
    from sim.presentation.live.setup import SettingsError, check_settings

    with user_errors():
        try:
            return check_settings(scenario, seed, week_seconds, auto_advance, seed_option)
        except SettingsError as err:
            raise UserInputError(str(err)) from None


def class_lines(settings: ClassSettings, host: str, port: int, prefix: str = "") -> list[str]:
    """What the teacher reads in the terminal: the room code and the two addresses."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    base = f"http://{shown}:{port}{prefix}"
    return [f"room code {settings.code}",
            f"students: {base}/join  (Dutch: {prefix}/join?lang=nl)",
            f"teacher:  {base}/teacher?key={settings.key}  (Dutch: add &lang=nl)"]


def class_session(
    scenario: Annotated[str, typer.Argument(help="scenario file or preset name")] = "classroom",
    seed: Annotated[int, typer.Option(help="the run's seed, 0 .. 2**63 - 1")] = 0,
    host: Annotated[str, typer.Option(help="address to listen on; 0.0.0.0 for a room's "
                                           "network")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port, 1024 .. 65535")] = 8766,
    week_seconds: Annotated[float, typer.Option(help=WEEK_SECONDS_HELP)] = WEEK_SECONDS,
    auto_advance: Annotated[bool, typer.Option(help=AUTO_HELP)] = False,
) -> None:
    """A participatory class: students join on /join with the room code and play sponsors
    and employees of the merger; the teacher's screen (URL with its key) advances the weeks
    and judges the pitches, and saves the session file for `merger-sim replay`."""
    import uvicorn

    from sim.presentation.live.setup import new_session
    from sim.presentation.live.web import create_app

    if not 1024 <= port <= 65535:
        with user_errors():
            raise UserInputError(f"--port: {port} is not in 1024 .. 65535")
    settings, config = class_settings_or_exit(scenario, seed, week_seconds, auto_advance)
    app = create_app(new_session(settings, config), settings.key)
    if host not in ("127.0.0.1", "localhost", "::1"):
        typer.echo(f"warning: listening on {host}: anyone on this network can open the join "
                   "page; the teacher's pages need the key below", err=True)
    for line in class_lines(settings, host, port):
        typer.echo(line)
    uvicorn.run(app, host=host, port=port, log_level="warning")
