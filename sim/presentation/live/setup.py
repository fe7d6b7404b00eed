"""Setting up a class session: the one place both ``merger-sim class`` and
``merger-sim dashboard --class`` (and the teacher's lobby) make and check one.

Why one place: the two commands serve the same class (one on its own server, one next to the
dashboard), and the teacher may pick another scenario or seed in the lobby from the browser.
Whatever arrives from a browser is checked here: a scenario is a name from the list of
shipped presets offered for a class (never a path), a seed is a whole number in range.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Final

from sim.scenario import MAX_SEED, Scenario, load_scenario

if TYPE_CHECKING:  # the session (and with it the model) is imported when a class is made,
    # not when the command line starts: ``merger-sim --help`` stays light
    from sim.presentation.live.session import ClassSession

AWAY_SECONDS: Final[float] = 30.0
"""A student's page polls every 2 s; silent for this long, the rule plays their role."""

WEEK_SECONDS: Final[float] = 90.0
"""Default time students have to choose each week."""

WEEK_SECONDS_RANGE: Final[tuple[float, float]] = (10.0, 3600.0)

MAX_CLASS_HEADCOUNT: Final[int] = 1000
"""Largest shipped preset offered in the lobby: each change of a choice reruns the week on a
copy of the model (the preview), which stays well under a second up to the case's 1,000."""

ENV_CLASS: Final[str] = "MERGER_SIM_CLASS"
"""Environment variable by which ``merger-sim dashboard --class`` hands the class's settings
to its server process (JSON of :class:`ClassSettings`)."""


class SettingsError(ValueError):
    """A class setting out of range (one line naming the option)."""


@dataclass(frozen=True)
class ClassSettings:
    """What a class session is made from (all checked by :func:`check_settings`)."""

    scenario: str  # a preset name or a scenario file's path (from the command line only)
    seed: int = 0
    week_seconds: float = WEEK_SECONDS
    auto_advance: bool = False
    code: str = ""
    key: str = ""

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls, text: str) -> ClassSettings:
        return cls(**json.loads(text))


def check_settings(scenario: str, seed: int, week_seconds: float,
                   auto_advance: bool = False, seed_option: str = "--seed"
                   ) -> tuple[ClassSettings, Scenario]:
    """The settings of a class from the command line, checked, with a fresh room code and
    teacher key; raises SettingsError (one line naming the option) or ScenarioError."""
    from sim.presentation.live.session import new_code
    from sim.runner import check_run

    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise SettingsError(f"{seed_option}: {seed} is outside 0 .. {MAX_SEED} (2**63 - 1)")
    low, high = WEEK_SECONDS_RANGE
    if not low <= week_seconds <= high:
        raise SettingsError(f"--week-seconds: {week_seconds:g} is not in {low:g} .. {high:g}")
    config = load_scenario(scenario)
    check_run(config, "teams", seed=seed)
    settings = ClassSettings(scenario, seed, float(week_seconds), bool(auto_advance),
                             new_code(), secrets.token_urlsafe(12))
    return settings, config


def new_session(settings: ClassSettings, config: Scenario | None = None) -> ClassSession:
    """The class session the settings describe."""
    from sim.presentation.dashboard.presets import shipped_presets
    from sim.presentation.live.session import ClassSession

    config = config if config is not None else load_scenario(settings.scenario)
    # a file's scenario goes by its own name on the pages (a path is shown to no one)
    name = settings.scenario if settings.scenario in shipped_presets() else config.name
    return ClassSession(config, seed=settings.seed, code=settings.code or None,
                        week_seconds=settings.week_seconds, away_seconds=AWAY_SECONDS,
                        auto_advance=settings.auto_advance, scenario_name=name)


def offered_presets() -> list[str]:
    """Shipped presets a teacher may pick in the lobby (up to :data:`MAX_CLASS_HEADCOUNT`
    employees, with the themes the team strategy needs)."""
    from sim.presentation.dashboard.presets import load_shipped, shipped_presets

    offered = []
    for name in shipped_presets():
        config = load_shipped(name)
        if config.headcount <= MAX_CLASS_HEADCOUNT and config.themes:
            offered.append(name)
    return offered


def reconfigure(session: ClassSession, scenario: Any, seed: Any) -> None:
    """The teacher's lobby choice of scenario and seed (untrusted), checked and applied."""
    from sim.presentation.dashboard.presets import load_shipped
    from sim.presentation.live.session import SessionError

    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise SessionError("seed")
    if scenario == session.scenario_name:
        if seed != session.seed:
            session.configure(session.config, seed, session.scenario_name)
        return
    offered = offered_presets()
    if not isinstance(scenario, str) or scenario not in offered:
        raise SessionError("scenario", names=", ".join(offered))
    session.configure(load_shipped(scenario), seed, scenario)
