"""Dose-response: how the time put into an intervention sets its effect.

Cost and effect come from the same dose (DESIGN section 9): a training day or a coaching hour
is paid for *and* moves people. Returns diminish: the effect of ``amount`` units is

    effect(amount) = 1 - 2 ** (-amount / half)

of the maximum, where ``half`` units give half of it. Scenarios state an intervention's effect
at a reference amount (the four-day programme, an hour of coaching); the factor returned here
rescales that stated effect to another amount, so the default keeps its calibration exactly.
"""

from __future__ import annotations


def saturation(amount: float, half: float) -> float:
    """Share of the maximal effect that ``amount`` units give (0 at 0, 0.5 at ``half``)."""
    if amount <= 0:
        return 0.0
    return 1.0 - 2.0 ** (-amount / half)


def dose_factor(amount: float, reference: float, half: float) -> float:
    """Effect at ``amount`` relative to the effect at ``reference`` (1.0 at the reference).

    Args:
        amount: units given (days, hours); 0 gives 0.
        reference: the units at which the scenario states the effect (> 0).
        half: units that give half of the maximal effect (> 0).
    """
    return saturation(amount, half) / saturation(reference, half)
