"""Observables: pure functions of the model's arrays, one per output column.

All distances are normalised to [0, 1] (Euclidean distance / sqrt(D)). Nothing here caches
model state (only the pair indices of a number of cities); a caller that needs two outputs of
the same intermediate passes it in.
"""

from __future__ import annotations

import functools

import numpy as np

from sim import kernels
from sim.network import Ties
from sim.rules.distance import group_means, normalised_distance

#: Model-level outputs, in column order (DESIGN section 3, "Outputs").
OUTPUTS: tuple[str, ...] = (
    "distance_to_target",
    "culture_spread",
    "city_divergence",
    "cross_city_ties",
    "city_modularity",
    "contract_strength",
    "identification",
    "engagement",
    "headcount",
    "leavers_cum",
    "cost_cum",
    "teams_active",
    "proposals_accepted",
    "client_value",
    "hours_per_employee",
    "team_cross_city_share",
    "cities_per_team",
)


def active_rows(values: np.ndarray, active: np.ndarray) -> np.ndarray:
    """The active employees' rows (``take`` on their slots: faster than a boolean mask)."""
    return values.take(np.flatnonzero(active), axis=0)


def mean_or_zero(x: np.ndarray) -> float:
    """The mean of ``x``, 0 when it is empty (no one to average over).

    For a float64 array, ``np.add.reduce(x) / x.size`` is what ``x.mean()`` computes,
    without its argument handling (the same bits).
    """
    if x.size == 0:
        return 0.0
    if x.dtype == np.float64:
        return float(np.add.reduce(x) / x.size)
    return float(x.mean())


def distance_to_target(values: np.ndarray, active: np.ndarray, target: np.ndarray) -> float:
    """Mean normalised distance of the active employees' values to the stated culture."""
    return mean_or_zero(normalised_distance(active_rows(values, active), target))


def practised_culture(values: np.ndarray, active: np.ndarray) -> np.ndarray:
    """The headcount-weighted mean value vector."""
    return active_rows(values, active).mean(axis=0)


def culture_spread(values: np.ndarray, active: np.ndarray) -> float:
    """Mean normalised distance of the active employees to the practised culture."""
    return spread_of(active_rows(values, active))


def spread_of(rows: np.ndarray) -> float:
    """Mean normalised distance of the rows to their mean (0 for no rows)."""
    if rows.shape[0] == 0:
        return 0.0
    return float(normalised_distance(rows, rows.mean(axis=0)).mean())


def city_means(values: np.ndarray, active: np.ndarray, city: np.ndarray,
               n_cities: int) -> tuple[np.ndarray, np.ndarray]:
    """Mean values per city of origin, and the active headcount per city."""
    return group_means(values, city, active.astype(float), n_cities)


def city_divergence(values: np.ndarray, active: np.ndarray, city: np.ndarray,
                    n_cities: int) -> float:
    """Mean normalised distance between the culture means of every pair of cities."""
    means, counts = city_means(values, active, city, n_cities)
    means = means[counts > 0]
    if means.shape[0] < 2:
        return 0.0
    i, j = pairs_of(means.shape[0])
    return float(normalised_distance(means[i], means[j]).mean())


@functools.cache
def pairs_of(k: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices (i, j), i < j, of every pair among ``k`` items (``np.triu_indices(k, 1)``;
    the number of cities hardly ever changes, so it is worked out once per count)."""
    i, j = np.triu_indices(k, k=1)
    i.flags.writeable = j.flags.writeable = False
    return i, j


def city_tie_weights(ties: Ties, city: np.ndarray, n_cities: int) -> np.ndarray:
    """(n_cities, n_cities) matrix of tie weight between cities (u's city, v's city).

    One compiled pass over the ties (:func:`sim.kernels.city_pair_weights`): the tie arrays
    are read once, however many cities there are.
    """
    return kernels.city_pair_weights(ties.u, ties.v, ties.weight,
                                     np.asarray(city, dtype=np.int64), int(n_cities))


def cross_city_ties(ties: Ties, city: np.ndarray, n_cities: int | None = None,
                    matrix: np.ndarray | None = None) -> float:
    """Share of the total tie weight that connects employees of different cities.

    ``matrix``: the week's :func:`city_tie_weights`, if already computed.
    """
    n_cities = int(city.max()) + 1 if n_cities is None else n_cities
    if matrix is None:
        matrix = city_tie_weights(ties, city, n_cities)
    total = matrix.sum()
    if total <= 0:
        return 0.0
    return float((total - np.trace(matrix)) / total)


def city_modularity(ties: Ties, city: np.ndarray, n_cities: int,
                    matrix: np.ndarray | None = None) -> float:
    """Newman's weighted modularity of the partition of the network by city of origin.

    Q = sum_c [ W_c / W - (S_c / 2W)^2 ], W the total tie weight, W_c the weight inside c,
    S_c the summed strength of c's members. High: cities still live apart.
    ``matrix``: the week's :func:`city_tie_weights`, if already computed.
    """
    if matrix is None:
        matrix = city_tie_weights(ties, city, n_cities)
    total = matrix.sum()
    if total <= 0:
        return 0.0
    strength = matrix.sum(axis=0) + matrix.sum(axis=1)
    return float(np.sum(np.diag(matrix) / total - (strength / (2 * total)) ** 2))


def active_mean(x: np.ndarray, active: np.ndarray, slots: np.ndarray | None = None) -> float:
    """Mean of a per-slot quantity over active employees (``slots``: their slots, if the
    caller has them already)."""
    return mean_or_zero(x.take(np.flatnonzero(active) if slots is None else slots))


def team_city_counts(team: np.ndarray, city: np.ndarray, active: np.ndarray,
                     n_cities: int) -> np.ndarray:
    """(teams, n_cities) members per team and city of origin; no rows without members."""
    members = np.flatnonzero(active & (team >= 0))
    if members.size == 0:
        return np.zeros((0, n_cities), dtype=np.int64)
    t = team.take(members)
    return np.bincount(t * n_cities + city.take(members),
                       minlength=(int(t.max()) + 1) * n_cities).reshape(-1, n_cities)


def team_cross_city_share(team: np.ndarray, city: np.ndarray, active: np.ndarray,
                          n_cities: int, counts: np.ndarray | None = None) -> float:
    """Share of theme-team members who come from another city than their team's largest
    city (0 when there are no teams): how far recruitment crossed the old borders.
    ``counts``: the week's :func:`team_city_counts`, if already computed."""
    if counts is None:
        counts = team_city_counts(team, city, active, n_cities)
    members = int(counts.sum())
    if members == 0:
        return 0.0
    return float(1.0 - counts.max(axis=1).sum() / members)


def cities_per_team(team: np.ndarray, city: np.ndarray, active: np.ndarray,
                    n_cities: int, counts: np.ndarray | None = None) -> float:
    """Mean number of cities among the members of each team with members (0 without teams):
    the case's teams were recruited "from across the organisation".
    ``counts``: the week's :func:`team_city_counts`, if already computed."""
    if counts is None:
        counts = team_city_counts(team, city, active, n_cities)
    staffed = counts.sum(axis=1) > 0
    if not staffed.any():
        return 0.0
    return float((counts[staffed] > 0).sum(axis=1).mean())
