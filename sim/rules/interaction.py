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

from sim.kernels import meeting_deltas


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

    One compiled pass over the meetings (:func:`sim.kernels.meeting_deltas`); the same
    numbers as :func:`bounded_confidence_rows`, which works on the rows that met only.
    """
    return meeting_deltas(values, np.asarray(first, dtype=np.int64),
                          np.asarray(second, dtype=np.int64),
                          np.asarray(openness, dtype=float), float(rate), float(threshold))


def bounded_confidence_rows(values: np.ndarray, first: np.ndarray, second: np.ndarray,
                            openness: np.ndarray, rate: float, threshold: float
                            ) -> tuple[np.ndarray, np.ndarray]:
    """The same changes as :func:`bounded_confidence_deltas`, for the rows that moved only.

    For a few meetings among many employees (a team's session, carriers' conversations):
    the work is proportional to the meetings, not to the workforce. Every row's pulls are
    summed in the same order as there, so the numbers are the same.

    Returns:
        (rows (R,), deltas (R, D)): the slots that met someone close enough, ascending, and
        their changes.
    """
    who, moves, pulls = meeting_pulls(values, first, second, openness, rate, threshold)
    rows, position = np.unique(who, return_inverse=True)
    return rows, summed_pulls(position, moves, pulls, rows.size)


def meeting_pulls(values: np.ndarray, first: np.ndarray, second: np.ndarray,
                  openness: np.ndarray, rate: float, threshold: float
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pulls of the accepted meetings: who is pulled, by how much in each dimension
    ((D, 2M') moves), and how strongly (the pull's weight), both sides of every meeting."""
    dims = values.shape[1]
    diff = (values.take(second, axis=0) - values.take(first, axis=0)).T  # (D, M)
    squared = diff[0] * diff[0]
    for k in range(1, dims):
        squared += diff[k] * diff[k]
    close = np.flatnonzero(np.sqrt(squared / dims) < threshold)
    a, b = first.take(close), second.take(close)
    diff = diff.take(close, axis=1)
    pull_a = rate * openness.take(a)
    pull_b = rate * openness.take(b)
    who = np.concatenate([a, b])
    moves = np.concatenate([diff * pull_a, diff * -pull_b], axis=1)  # (D, 2M')
    return who, moves, np.concatenate([pull_a, pull_b])


def summed_pulls(who: np.ndarray, moves: np.ndarray, pulls: np.ndarray, n: int
                 ) -> np.ndarray:
    """(n, D) sums of the moves per row of ``who``, rescaled where the pulls add up to more
    than 1 (so that a new value stays a convex combination)."""
    dims = moves.shape[0]
    total_pull = np.bincount(who, weights=pulls, minlength=n)
    scale = 1.0 / np.maximum(total_pull, 1.0)
    deltas = np.empty((n, dims))
    for k in range(dims):  # one bincount per dimension: same summation order per cell
        deltas[:, k] = np.bincount(who, weights=moves[k], minlength=n) * scale
    return deltas


def drift(values: np.ndarray, active: np.ndarray, noise_sd: float,
          rng: np.random.Generator) -> np.ndarray:
    """Cultural drift: small Gaussian noise on active rows, clipped to [0, 1]."""
    if noise_sd <= 0:
        return values
    noise = rng.normal(0.0, noise_sd, size=values.shape)
    noise[~active] = 0.0
    return np.clip(values + noise, 0.0, 1.0)
