"""Individually learned shifts that fade: shared by training and behaviour coaching.

A learned shift is applied to the person's values at once; a part of it (1 - a) is held as
'fading' and decays by the weekly factor q of the retention curve fitted to Saks & Belcourt
(2006) in :func:`sim.rules.training.fade_curve`. Both interventions fade the same way, so any
difference in durability between them has to come from elsewhere (the team norm, the network),
not from a rule written in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.kernels import faded_values
from sim.rules.bounds import clip
from sim.rules.training import fade_curve

if TYPE_CHECKING:
    from sim.model import MergerModel
    from sim.scenario import TrainingSection


class FadingShifts:
    """Per-slot learned shifts with individual forgetting."""

    def __init__(self, n: int, dims: int, training: TrainingSection) -> None:
        self.asymptote, self.factor = fade_curve(training.transfer_immediate,
                                                 training.transfer_6_months,
                                                 training.transfer_12_months)
        self.fading = np.zeros((n, dims))

    def learn(self, model: MergerModel, slots: np.ndarray, shift: np.ndarray) -> None:
        """Apply ``shift`` to the slots' values now; keep its fading part."""
        model.values[slots] = clip(model.values[slots] + shift, 0.0, 1.0)
        self.fading[slots] += shift * (1.0 - self.asymptote)

    def fade(self, model: MergerModel) -> None:
        """One week of forgetting."""
        if self.factor >= 1.0:
            return
        # the loss ``fading x (1 - factor)`` leaves both the fading part and the values, in
        # one compiled pass (:func:`sim.kernels.faded_values`)
        model.values = faded_values(model.values, self.fading, float(self.factor))

    def forget(self, slots: np.ndarray) -> None:
        """A leaver's learning leaves with them."""
        self.fading[slots] = 0.0
