"""A worked example plugin: one strategy and one outcome, added without editing merger-sim.

Load it on the command line, ``merger-sim --plugin experiments/plugins/town_hall.py compare
classroom --strategies none,town_hall``, or from a sweep file, ``plugins =
["../plugins/town_hall.py"]`` (``experiments/sweeps/plugin_example.toml``). Installed as a
package, the same objects would be entry points::

    [project.entry-points."merger_sim.strategies"]
    town_hall = "town_hall:TownHall"
    [project.entry-points."merger_sim.outcomes"]
    peak_alignment_gain = "town_hall:PEAK_ALIGNMENT_GAIN"

**Town-hall meetings** (strategy ``town_hall``): every four weeks of the intervention,
management presents the stated culture to everyone at once. Each active employee moves a
small step (2 % of the way) toward the target culture; a meeting costs EUR 20 per employee
(an hour of everyone's time). An illustration of the strategy interface, not a calibrated
intervention.

**Peak alignment gain** (outcome ``peak_alignment_gain``): the largest alignment gain over
the run, 100 x (d_0 - min_t d_t) percentage points of the normalised distance to the
target; higher is better. Unlike ``alignment_gain_final`` it does not count later decay.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from sim.experiments.observables import Observable

#: Weeks between two meetings.
EVERY_WEEKS = 4
#: Share of the way to the target culture a meeting moves each employee.
STEP = 0.02
#: Cost of one meeting per active employee (EUR).
COST_PER_EMPLOYEE = 20.0


class TownHall:
    """Town-hall meetings on the stated culture, every four weeks of the intervention."""

    name: ClassVar[str] = "town_hall"
    summary: ClassVar[str] = "example plugin: town-hall meetings on the stated culture"

    def setup(self, model: Any) -> None:
        """Nothing to prepare: the strategy keeps no per-employee state."""

    def vacate(self, model: Any, slots: np.ndarray) -> None:
        """Nothing to forget when employees leave: no per-employee state."""

    def week(self, model: Any) -> None:
        """Hold a meeting in every fourth week of the intervention."""
        if not model.in_intervention or model.week % EVERY_WEEKS:
            return
        active = np.flatnonzero(model.active)
        model.values[active] += STEP * (model.target - model.values[active])
        model.book_cost("town_hall", COST_PER_EMPLOYEE * active.size)


def peak_alignment_gain(ts: pd.DataFrame, meta: Mapping[str, Any]) -> float:
    """The largest alignment gain over the run, in percentage points."""
    distance = ts["distance_to_target"].to_numpy()
    return float(100.0 * (distance[0] - distance.min()))


PEAK_ALIGNMENT_GAIN = Observable(
    "peak_alignment_gain", "Peak alignment gain", "percentage points", "higher",
    function=peak_alignment_gain, source="experiments/plugins/town_hall.py")

STRATEGIES = [TownHall]
OUTCOMES = [PEAK_ALIGNMENT_GAIN]
