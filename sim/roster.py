"""Who is in which theme team: the one owner of the organisation's team state.

The model, the team strategies, the contract rule, the metrics, the live class and the
dashboard all need to know who is in which team, the teams' norms and whether the
contract's team terms count. Before, each of them could write the model's arrays; now only
this roster writes them, through a handful of named operations (join, release, dissolve,
disband, set the norms, count the team terms, count the active teams), and everyone else
reads. The membership array handed out for reading is write-protected, so a stray write
elsewhere fails loudly instead of changing a run.

What the team strategy keeps about its own teams (sponsors, life stage, pitches, the work
done) stays in the strategy: that is its plan, not the organisation's state.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: A slot in no team.
NO_TEAM = -1


class TeamRoster:
    """Team membership per slot, the teams' norms, and the flags the model reads.

    Args:
        slots: number of slots (positions) in the organisation.
        dims: number of value dimensions (the norms' width).
        names: the teams' names (the active themes), in team order.
    """

    def __init__(self, slots: int, dims: int, names: Sequence[str]) -> None:
        self.names: list[str] = list(names)
        self._team = np.full(slots, NO_TEAM, dtype=np.int64)
        self._team.flags.writeable = False
        self._dims = dims
        self._norm = np.zeros((0, dims))
        self._terms = False
        self._active = 0

    # ------------------------------------------------------------------ reading

    @property
    def team(self) -> np.ndarray:
        """Each slot's team index, or -1 (read-only: change it through the roster)."""
        return self._team

    @property
    def norm(self) -> np.ndarray:
        """The teams' norms (members' mean values), one row per team; empty once disbanded."""
        return self._norm

    @property
    def terms(self) -> bool:
        """Whether the contract's team terms count (only where teams examine their values)."""
        return self._terms

    @property
    def active(self) -> int:
        """Teams working this week (the ``teams_active`` output)."""
        return self._active

    def members(self, team: int) -> np.ndarray:
        """Slots of the team's members, in slot order."""
        return np.flatnonzero(self._team == team)

    def sizes(self, n_teams: int) -> np.ndarray:
        """Members per team, for teams ``0 .. n_teams - 1``."""
        return np.bincount(self._team[self._team >= 0], minlength=n_teams)

    # ------------------------------------------------------------------ writing

    def _write(self, slots: np.ndarray | slice, teams: np.ndarray | int) -> None:
        self._team.flags.writeable = True
        try:
            self._team[slots] = teams
        finally:
            self._team.flags.writeable = False

    def join(self, slots: np.ndarray, teams: np.ndarray) -> None:
        """The employees in ``slots`` join ``teams`` (one team each)."""
        self._write(slots, teams)

    def release(self, slots: np.ndarray) -> None:
        """The employees in ``slots`` leave their team (they left, or their team ended)."""
        self._write(slots, NO_TEAM)

    def dissolve(self, teams: np.ndarray) -> None:
        """The ``teams`` dissolve: every member is released."""
        self._write(np.isin(self._team, teams), NO_TEAM)

    def disband(self) -> None:
        """The intervention ends: no teams, no norms, no team terms."""
        self._write(slice(None), NO_TEAM)
        self._norm = np.zeros((0, self._dims))
        self._terms = False
        self._active = 0

    def set_norms(self, norms: np.ndarray) -> None:
        """The teams' norms as the strategy works them out this week."""
        self._norm = norms

    def count_team_terms(self) -> None:
        """Teams examine their values: the contract's team terms count from now on."""
        self._terms = True

    def set_active(self, count: int) -> None:
        """How many teams work this week."""
        self._active = int(count)
