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
    """
    n, dims = values.shape
    diff = values[second] - values[first]  # one gather per side, reused below
    close = np.sqrt(np.sum(diff * diff, axis=1) / dims) < threshold
    a, b, diff = first[close], second[close], diff[close]
    pull_a = rate * openness[a]
    pull_b = rate * openness[b]
    who = np.concatenate([a, b])
    pull = np.concatenate([pull_a, pull_b])
    moves = np.concatenate([pull_a[:, None] * diff, -pull_b[:, None] * diff])
    total_pull = np.bincount(who, weights=pull, minlength=n)
    # one bincount over (row, dimension) cells instead of one per dimension
    cells = (who[:, None] * dims + np.arange(dims)).ravel()
    deltas = np.bincount(cells, weights=moves.ravel(), minlength=n * dims).reshape(n, dims)
    scale = 1.0 / np.maximum(total_pull, 1.0)
    return deltas * scale[:, None]


def drift(values: np.ndarray, active: np.ndarray, noise_sd: float,
          rng: np.random.Generator) -> np.ndarray:
    """Cultural drift: small Gaussian noise on active rows, clipped to [0, 1]."""
    if noise_sd <= 0:
        return values
    noise = rng.normal(0.0, noise_sd, size=values.shape)
    noise[~active] = 0.0
    return np.clip(values + noise, 0.0, 1.0)
