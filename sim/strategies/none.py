"""The merger without a change programme: only everyday interaction and turnover."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    import numpy as np

    from sim.model import MergerModel


class NoStrategy:
    """Baseline: the cities are merged on paper; culture moves only through everyday contact,
    drift, and the people who leave and are hired."""

    name: ClassVar[str] = "none"
    summary: ClassVar[str] = "merger only: everyday interaction and turnover"

    def setup(self, model: MergerModel) -> None:
        """Nothing to prepare."""

    def week(self, model: MergerModel) -> None:
        """Nothing to do."""

    def vacate(self, model: MergerModel, slots: np.ndarray) -> None:
        """Nothing kept about anyone."""
