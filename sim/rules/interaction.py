"""Everyday interaction: bounded-confidence influence (Deffuant, Neau, Amblard & Weisbuch 2000).

Rule, for every meeting of employees i and j this week:

- their normalised value distance is d = |v_i - v_j| / sqrt(D);
- if d < threshold, each moves toward the other: v_i += mu * o_i * (v_j - v_i), and likewise
  for j (mu the convergence rate, o the openness);
- with an infinite threshold this is plain averaging.

All meetings of a week are decided on the same values and applied together (synchronous
update). An employee in several meetings moves by the *sum* of the pulls, rescaled when the
pulls add up to more than 1, so the new value stays a convex combination of values in [0, 1].
"""

from __future__ import annotations

import numpy as np

from sim.kernels import drifted_values, meeting_deltas, met_values


def bounded_confidence_deltas(values: np.ndarray, first: np.ndarray, second: np.ndarray,
                              openness: np.ndarray, rate: float, threshold: float
                              ) -> np.ndarray:
    """The change of every row of ``values`` caused by the meetings (first_k, second_k).

    Args:
        values: (N, D) values in [0, 1].
        first, second: (M,) slots of the two sides of each meeting.
        openness: (N,) openness to influence in [0, 1].
        rate: convergence rate mu per meeting, in [0, 0.5].
        threshold: normalised distance below which influence happens.

    Returns:
        (N, D) deltas; rows without an accepted meeting are zero.

    One compiled pass over the meetings (:func:`sim.kernels.meeting_deltas`).
    """
    return meeting_deltas(values, np.asarray(first, dtype=np.int64),
                          np.asarray(second, dtype=np.int64),
                          np.asarray(openness, dtype=float), float(rate), float(threshold))


def bounded_confidence_step(values: np.ndarray, first: np.ndarray, second: np.ndarray,
                            openness: np.ndarray, rate: float, threshold: float
                            ) -> np.ndarray:
    """The values after the meetings (first_k, second_k): ``values`` plus
    :func:`bounded_confidence_deltas`, clipped to [0, 1], as a new array.

    One compiled pass (:func:`sim.kernels.met_values`) for any number of meetings: a
    team's session or the carriers' conversations cost what their meetings cost, with no
    NumPy temporaries of the workforce's size beyond the result.
    """
    return met_values(values, np.asarray(first, dtype=np.int64),
                      np.asarray(second, dtype=np.int64),
                      np.asarray(openness, dtype=float), float(rate), float(threshold))


def drift(values: np.ndarray, active: np.ndarray, noise_sd: float,
          rng: np.random.Generator) -> np.ndarray:
    """Cultural drift: small Gaussian noise on active rows, clipped to [0, 1]."""
    if noise_sd <= 0:
        return values
    noise = rng.normal(0.0, noise_sd, size=values.shape)  # drawn for every row, as always
    return drifted_values(values, np.asarray(active, dtype=bool), noise)
