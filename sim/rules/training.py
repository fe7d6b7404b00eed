"""Culture training: an immediate shift toward the stated culture that fades in the person.

Calibration (Saks & Belcourt 2006): of trainees, 62 % apply training at once, 44 % after six
months and 34 % after a year. We read these shares as the share of the training's content that
is applied: a trainee moves ``dose * transfer_immediate`` of the way to the target at once, and
the retained share of that shift follows

    retained(t) = a + (1 - a) * q**t        (t in weeks, retained(0) = 1),

fitted exactly through 44/62 at 26 weeks and 34/62 at 52 weeks: a is the part that becomes
permanent habit (about 0.35 with the published figures), q the weekly fading factor. Colleagues
who were not trained pull trainees back through everyday interaction (sim.rules.interaction):
that part is not written here, it emerges.
"""

from __future__ import annotations

import numpy as np

HALF_YEAR_WEEKS = 26.0


def fade_curve(immediate: float, half_year: float, year: float) -> tuple[float, float]:
    """Asymptote ``a`` and weekly factor ``q`` of the retention curve.

    Falls back to a pure exponential through the one-year point (a = 0) when the three figures
    do not describe a decelerating decline.
    """
    if immediate <= 0:
        return 1.0, 1.0
    r1, r2 = half_year / immediate, year / immediate
    if r1 >= 1.0:  # nothing lost in the first half year: no fading at all
        return 1.0, 1.0
    x = (r1 - r2) / (1.0 - r1)
    if 0.0 < x < 1.0:
        a = 1.0 - (1.0 - r1) / (1.0 - x)
        if 0.0 <= a < 1.0:
            return a, float(x ** (1.0 / HALF_YEAR_WEEKS))
    q = float(max(r2, 1e-9) ** (1.0 / (2 * HALF_YEAR_WEEKS)))
    return 0.0, q


def retained(weeks: np.ndarray | float, asymptote: float, factor: float) -> np.ndarray:
    """Share of the immediate shift still applied after ``weeks``."""
    return asymptote + (1.0 - asymptote) * np.power(factor, weeks)


def training_shift(values: np.ndarray, target: np.ndarray, dose: float,
                   immediate: float) -> np.ndarray:
    """The immediate change of trainees' values: part of the way to the target."""
    return dose * immediate * (target - values)


def choose_cohort(candidates: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    """A random cohort of at most ``size`` from ``candidates`` (sorted, for determinism)."""
    if size >= candidates.size:
        return candidates
    return np.sort(rng.choice(candidates, size=size, replace=False))
