"""Normalised distances and fit scores in value space."""

from __future__ import annotations

import numpy as np


def normalised_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Euclidean distance divided by sqrt(D): 0 for equal vectors, at most 1 in [0,1]^D.

    Broadcasts over leading axes; the last axis is the culture dimension. For a table of
    rows, the squares are summed column by column (the same order as a sum over the last
    axis, so the same bits), because NumPy's reductions over an axis of four are slow.
    """
    diff = np.subtract(a, b, dtype=float)
    dims = diff.shape[-1]
    if diff.ndim != 2:
        return np.sqrt(np.sum(diff * diff, axis=-1) / dims)
    columns = diff.T
    squared = columns[0] * columns[0]
    for k in range(1, dims):
        squared += columns[k] * columns[k]
    squared /= dims
    return np.sqrt(squared, out=squared)


def fit(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Fit = 1 - normalised distance (DESIGN section 3): 1 for identical values."""
    return 1.0 - normalised_distance(a, b)


#: Rows up to which :func:`group_means` sums all dimensions in one pass.
ONE_PASS_ROWS = 20_000


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

    Each sum adds its rows in row order. For a small table, one ``bincount`` over
    (group, dimension) cells (fewer calls); for a large one, a ``bincount`` per dimension
    (no index array four times the rows). Both add the same numbers in the same order, so
    the bits are the same.
    """
    dims = values.shape[1]
    totals = np.bincount(groups, weights=weights, minlength=n_groups)
    if values.shape[0] <= ONE_PASS_ROWS:
        cells = (np.asarray(groups, dtype=np.int64) * dims)[:, None] + np.arange(dims)
        sums = np.bincount(cells.ravel(), weights=(values * weights[:, None]).ravel(),
                           minlength=n_groups * dims).reshape(n_groups, dims)
    else:
        columns = values.T
        sums = np.stack([np.bincount(groups, weights=weights * columns[d], minlength=n_groups)
                         for d in range(dims)], axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(totals[:, None] > 0, sums / np.maximum(totals, 1e-300)[:, None], 0.0)
    return means, totals
