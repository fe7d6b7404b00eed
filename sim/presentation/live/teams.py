"""The one way the live class reaches the team strategy it plays: by type, not by assumption.

A class plays the roles of the team strategy (sponsors, members, the pitches and the
coaching), but the model's strategy may be that strategy alone or combined with others
(``teams+training``). The strategy interface finds the part of a strategy that is of a given
class (:func:`sim.strategies.base.part`); this module asks it for the :class:`Teams` part, so
no view of the class relies on the model's strategy being a plain ``Teams``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.strategies.base import part
from sim.strategies.teams import Teams

if TYPE_CHECKING:
    from sim.model import MergerModel


def team_strategy(model: MergerModel) -> Teams:
    """The team strategy of ``model`` (itself, or the team member of a combined strategy).

    Raises:
        ValueError: the model's strategy has no team part (a class session refuses such a
            strategy when it is set up).
    """
    teams = part(model.strategy, Teams)
    if teams is None:
        raise ValueError(f"strategy {model.strategy.name!r} has no theme teams to play")
    return teams
