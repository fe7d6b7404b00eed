"""Normalised distances and fit scores in value space."""

from __future__ import annotations

import numpy as np


def normalised_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Euclidean distance divided by sqrt(D): 0 for equal vectors, at most 1 in [0,1]^D.

    Broadcasts over leading axes; the last axis is the culture dimension.
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    dims = a.shape[-1]
    return np.sqrt(np.sum((a - b) ** 2, axis=-1) / dims)


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
    """
    totals = np.bincount(groups, weights=weights, minlength=n_groups)
    sums = np.stack([np.bincount(groups, weights=weights * values[:, d], minlength=n_groups)
                     for d in range(values.shape[1])], axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(totals[:, None] > 0, sums / np.maximum(totals, 1e-300)[:, None], 0.0)
    return means, totals
