"""The strategy interface: what every change strategy implements.

A strategy is set up once, after the organisation is built, and is asked to act every week.
It decides whether it acts (most act only while ``model.in_intervention``; the fading of a
training effect goes on afterwards) and books its costs in the model's ledger.

Every hook the model calls is declared here (``setup``, ``week``, ``vacate``); the model
never probes a strategy for optional methods. A strategy's own state is reached by type:
:func:`part` finds the part of a (possibly combined) strategy that is of a given class, so a
view asks ``part(model.strategy, Teams)`` instead of relying on attribute forwarding.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Protocol

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
        self.members: list[Strategy] = [cls() for cls in self.parts]

    def setup(self, model: MergerModel) -> None:
        for member in self.members:
            member.setup(model)

    def week(self, model: MergerModel) -> None:
        for member in self.members:
            member.week(model)

    def vacate(self, model: MergerModel, slots: np.ndarray) -> None:
        for member in self.members:
            member.vacate(model, slots)

    def member[T](self, kind: type[T]) -> T | None:
        """The first member that is a ``kind`` (e.g. ``member(Teams)``), or None."""
        for member in self.members:
            if isinstance(member, kind):
                return member
        return None


def part[T](strategy: Any, kind: type[T]) -> T | None:
    """The part of ``strategy`` that is a ``kind``: the strategy itself, the member of a
    :class:`Combined` strategy, or None when it has no such part."""
    if isinstance(strategy, kind):
        return strategy
    if isinstance(strategy, Combined):
        return strategy.member(kind)
    return None


def parts_of(cls: type) -> tuple[type, ...]:
    """The strategy classes a strategy class is made of: its parts if combined, else itself."""
    if isinstance(cls, type) and issubclass(cls, Combined):
        return cls.parts
    return (cls,)
