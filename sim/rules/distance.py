"""Normalised distances and fit scores in value space."""

from __future__ import annotations

import numpy as np

from sim import kernels


def normalised_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Euclidean distance divided by sqrt(D): 0 for equal vectors, at most 1 in [0,1]^D.

    Broadcasts over leading axes; the last axis is the culture dimension. A table of rows
    against one vector or a table of the same shape (the weekly case) goes through one
    compiled pass (:func:`sim.kernels.row_distances`); other shapes through NumPy, which
    sums the squares in the same order (the same bits).
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.ndim == 2 and b.ndim in (1, 2) and a.shape[0] > 0:
        rows = b.reshape(1, -1) if b.ndim == 1 else b
        if rows.shape[1] == a.shape[1] and rows.shape[0] in (1, a.shape[0]):
            return kernels.row_distances(a, rows)
    diff = np.subtract(a, b, dtype=float)
    dims = diff.shape[-1]
    return np.sqrt(np.sum(diff * diff, axis=-1) / dims)


def fit(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Fit = 1 - normalised distance (DESIGN section 3): 1 for identical values."""
    return 1.0 - normalised_distance(a, b)


def group_means(values: np.ndarray, groups: np.ndarray, weights: np.ndarray,
                n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """Weighted mean value vector per group and the weight per group.

    Args:
        values: (N, D) values.
        groups: (N,) group index in [0, n_groups).
        weights: (N,) weight of each row (0 for vacancies).
        n_groups: number of groups.

    Returns:
        (means (n_groups, D), totals (n_groups,)); a group with zero weight has mean 0.

    One compiled pass over the rows (:func:`sim.kernels.group_means`); each sum adds its
    rows in row order.
    """
    return kernels.group_means(np.asarray(values, dtype=float),
                               np.asarray(groups, dtype=np.int64),
                               np.asarray(weights, dtype=float), int(n_groups))
