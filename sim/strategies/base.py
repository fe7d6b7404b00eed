"""The strategy interface: what every change strategy implements.

A strategy is set up once, after the organisation is built, and is asked to act every week.
It decides whether it acts (most act only while ``model.in_intervention``; the fading of a
training effect goes on afterwards) and books its costs in the model's ledger.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Protocol

if TYPE_CHECKING:
    import numpy as np

    from sim.model import MergerModel


class Strategy(Protocol):
    """A change strategy (composable: see :class:`Combined`)."""

    name: ClassVar[str]
    summary: ClassVar[str]

    def setup(self, model: MergerModel) -> None:
        """Prepare the strategy's own state; called once before week 1."""

    def week(self, model: MergerModel) -> None:
        """Act in the current week (``model.week``), after everyday interaction."""

    def vacate(self, model: MergerModel, slots: np.ndarray) -> None:
        """Employees in ``slots`` left this week: drop what the strategy keeps about them."""


class Combined:
    """Several strategies applied in order each week, e.g. teams and training together."""

    name: ClassVar[str] = "combined"
    summary: ClassVar[str] = "several strategies at once"
    parts: ClassVar[tuple[type, ...]] = ()

    def __init__(self) -> None:
        self.members = [part() for part in self.parts]

    def setup(self, model: MergerModel) -> None:
        for member in self.members:
            member.setup(model)

    def week(self, model: MergerModel) -> None:
        for member in self.members:
            member.week(model)

    def vacate(self, model: MergerModel, slots: np.ndarray) -> None:
        for member in self.members:
            member.vacate(model, slots)

    def __getattr__(self, item: str):
        # expose a member's public state (e.g. ``strategy.teams``) for views and tests
        for member in self.__dict__.get("members", []):
            if hasattr(member, item):
                return getattr(member, item)
        raise AttributeError(item)
