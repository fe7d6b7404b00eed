"""The weekly loop's hottest passes, compiled with Numba.

Why compiled: on the case (1,000 employees, about 7,000 ties, 3,000 meetings a week) the
week is a few hundred small NumPy calls, each paying more for its argument handling and
temporaries than for its arithmetic. The passes here are the ones that cost most: building
the network's CSR view, drawing each caller's contact by tie weight, the bounded-confidence
meetings and drift, the tie arrays' merges, reweighting and removals, group means, row
distances, the city-by-city tie weights, the identification's cross-city belonging, the
contract's unit colleagues' means and the fading of learned shifts. Each is one pass over
its data in a loop, doing the same arithmetic in the same order as the NumPy formulation it
replaces, so every result is the same to the bit (``tests/test_kernels.py`` checks each
against that formulation on random inputs, and ``tests/test_golden_run.py`` pins whole
runs).

Rules for the bits to stay the same: no ``fastmath`` (no reassociation, no fused
multiply-add); sums add their terms in the order NumPy's ``bincount`` and ``cumsum`` do
(input order, left to right); random numbers are drawn by the caller, with NumPy's
generator, never inside a kernel.

Each kernel is compiled for one signature when this module is imported (so no run, and no
timed call, pays for compilation mid-week) and the machine code is cached beside this file
(``cache=True``): only the first import on a fresh installation compiles (a few seconds);
later imports load the cache. Callers pass int64 and float64 arrays.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit("UniTuple(int64[:], 3)(int64, int64[:], int64[:])", cache=True)
def csr_structure(n: int, u: np.ndarray, v: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row pointers, neighbours and edge ids of the symmetric CSR view of ties (u_k < v_k,
    sorted by u * n + v).

    Row i lists i's ties by ascending neighbour: first the ties where i is ``v`` (in the
    ties' order, which is by ascending ``u``), then those where i is ``u`` (by ascending
    ``v``). A counting sort: count, prefix sums, one placing pass in tie order.
    """
    e = u.size
    low = np.zeros(n, dtype=np.int64)  # ties where the slot is v
    up = np.zeros(n, dtype=np.int64)  # ties where the slot is u
    for k in range(e):
        low[v[k]] += 1
        up[u[k]] += 1
    indptr = np.zeros(n + 1, dtype=np.int64)
    next_low = np.empty(n, dtype=np.int64)
    next_up = np.empty(n, dtype=np.int64)
    for i in range(n):
        next_low[i] = indptr[i]
        next_up[i] = indptr[i] + low[i]
        indptr[i + 1] = indptr[i] + low[i] + up[i]
    indices = np.empty(2 * e, dtype=np.int64)
    edge = np.empty(2 * e, dtype=np.int64)
    for k in range(e):
        a, b = u[k], v[k]
        at = next_low[b]
        indices[at] = a
        edge[at] = k
        next_low[b] = at + 1
        at = next_up[a]
        indices[at] = b
        edge[at] = k
        next_up[a] = at + 1
    return indptr, indices, edge


@njit("float64[:](float64[:], int64[:])", cache=True)
def cumulative_weights(weight: np.ndarray, edge: np.ndarray) -> np.ndarray:
    """Running sum of the ties' weights in CSR order (``np.cumsum(weight[edge])``)."""
    out = np.empty(edge.size)
    total = 0.0
    for k in range(edge.size):
        total += weight[edge[k]]
        out[k] = total
    return out


@njit("int64[:](int64[:], int64[:])", cache=True)
def with_ties(indptr: np.ndarray, who: np.ndarray) -> np.ndarray:
    """The entries of ``who`` that have at least one tie, in order."""
    keep = np.empty(who.size, dtype=np.int64)
    m = 0
    for k in range(who.size):
        if indptr[who[k] + 1] > indptr[who[k]]:
            keep[m] = who[k]
            m += 1
    return keep[:m]


@njit("int64[:](int64[:], float64[:], int64[:], float64[:])", cache=True)
def weighted_neighbours(indptr: np.ndarray, cumweight: np.ndarray, who: np.ndarray,
                        draws: np.ndarray) -> np.ndarray:
    """For each slot ``who[k]`` (with ties), the CSR position of its neighbour chosen by the
    uniform draw ``draws[k]`` with probability proportional to tie weight.

    The same position as a search of the target ``base + draw * total`` over *all* the
    cumulative weights (``np.searchsorted(..., side="right")``) clipped to the slot's row:
    the cumulative weights rise, so the first entry above the target lies in the row or
    past it; the search here looks in the row only.
    """
    pos = np.empty(who.size, dtype=np.int64)
    for k in range(who.size):
        start, end = indptr[who[k]], indptr[who[k] + 1]
        base = cumweight[start - 1] if start > 0 else 0.0
        total = cumweight[end - 1] - base
        target = base + draws[k] * total
        lo, hi = start, end  # first index in [start, end) whose running sum exceeds target
        while lo < hi:
            mid = (lo + hi) >> 1
            if cumweight[mid] <= target:
                lo = mid + 1
            else:
                hi = mid
        pos[k] = min(lo, end - 1)
    return pos


@njit("float64[:, :](float64[:, :], int64[:], int64[:], float64[:], float64, float64)", cache=True)
def meeting_deltas(values: np.ndarray, first: np.ndarray, second: np.ndarray,
                   openness: np.ndarray, rate: float, threshold: float) -> np.ndarray:
    """The (N, D) changes of bounded-confidence meetings (``sim.rules.interaction``'s rule).

    For each meeting closer than ``threshold`` (normalised distance), each side is pulled
    toward the other by ``rate x openness``; a row's pulls are summed, and rescaled where
    their weights add up to more than 1. Summation order as the NumPy formulation: all the
    first sides' pulls in meeting order, then all the second sides'.
    """
    n, dims = values.shape
    m = first.size
    close = np.empty(m, dtype=np.bool_)
    for k in range(m):
        a, b = first[k], second[k]
        diff = values[b, 0] - values[a, 0]
        squared = diff * diff
        for d in range(1, dims):
            diff = values[b, d] - values[a, d]
            squared += diff * diff
        close[k] = np.sqrt(squared / dims) < threshold
    sums = np.zeros((n, dims))
    total_pull = np.zeros(n)
    for k in range(m):  # the first sides
        if close[k]:
            a, b = first[k], second[k]
            pull = rate * openness[a]
            for d in range(dims):
                sums[a, d] += (values[b, d] - values[a, d]) * pull
            total_pull[a] += pull
    for k in range(m):  # the second sides
        if close[k]:
            a, b = first[k], second[k]
            pull = rate * openness[b]
            for d in range(dims):
                sums[b, d] += (values[b, d] - values[a, d]) * -pull
            total_pull[b] += pull
    for i in range(n):
        scale = 1.0 / max(total_pull[i], 1.0)
        for d in range(dims):
            sums[i, d] *= scale
    return sums


@njit(inline="always")
def _unit_interval(x: float) -> float:
    """``np.clip(x, 0.0, 1.0)`` for one number (NaN stays NaN, as there)."""
    if x < 0.0:
        return 0.0
    if x > 1.0:
        return 1.0
    return x


@njit("float64[:, :](float64[:, :], int64[:], int64[:], float64[:], float64, float64)", cache=True)
def met_values(values: np.ndarray, first: np.ndarray, second: np.ndarray,
               openness: np.ndarray, rate: float, threshold: float) -> np.ndarray:
    """The values after the meetings: ``np.clip(values + meeting_deltas(...), 0, 1)`` in a
    new array (the deltas' array is reused for the result; ``values`` is not changed)."""
    out = meeting_deltas(values, first, second, openness, rate, threshold)
    n, dims = values.shape
    for i in range(n):
        for d in range(dims):
            out[i, d] = _unit_interval(values[i, d] + out[i, d])
    return out


@njit("float64[:, :](float64[:, :], boolean[:], float64[:, :])", cache=True)
def drifted_values(values: np.ndarray, active: np.ndarray, noise: np.ndarray) -> np.ndarray:
    """``np.clip(values + noise, 0, 1)`` in a new array, with the noise of inactive rows taken
    as 0 (their values are only clipped)."""
    n, dims = values.shape
    out = np.empty((n, dims))
    for i in range(n):
        for d in range(dims):
            step = noise[i, d] if active[i] else 0.0
            out[i, d] = _unit_interval(values[i, d] + step)
    return out


@njit("Tuple((float64[:, :], float64[:]))(float64[:, :], int64[:], float64[:], int64)",
      cache=True)
def group_means(values: np.ndarray, groups: np.ndarray, weights: np.ndarray,
                n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """Weighted mean row per group and the weight per group (``sim.rules.distance``).

    Each cell adds ``value x weight`` of its rows in row order, as ``bincount`` does; a
    group without weight has mean 0.
    """
    n, dims = values.shape
    sums = np.zeros((n_groups, dims))
    totals = np.zeros(n_groups)
    for r in range(n):
        g, w = groups[r], weights[r]
        totals[g] += w
        for d in range(dims):
            sums[g, d] += values[r, d] * w
    for g in range(n_groups):
        if totals[g] > 0:
            total = max(totals[g], 1e-300)
            for d in range(dims):
                sums[g, d] = sums[g, d] / total
        else:
            for d in range(dims):
                sums[g, d] = 0.0
    return sums, totals


@njit("float64[:](float64[:, :], float64[:, :])", cache=True)
def row_distances(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Normalised Euclidean distance of each row of ``a`` to the matching row of ``b`` (or
    to ``b``'s one row): squares summed dimension by dimension, divided by D, root."""
    n, dims = a.shape
    step = 1 if b.shape[0] == n else 0
    out = np.empty(n)
    for i in range(n):
        j = i * step
        diff = a[i, 0] - b[j, 0]
        squared = diff * diff
        for d in range(1, dims):
            diff = a[i, d] - b[j, d]
            squared += diff * diff
        out[i] = np.sqrt(squared / dims)
    return out


@njit("float64[:](int64[:], int64[:], float64[:], int64[:], float64[:])", cache=True)
def cross_city_belonging(u: np.ndarray, v: np.ndarray, weight: np.ndarray, city: np.ndarray,
                         loss: np.ndarray) -> np.ndarray:
    """Each slot's share of tie strength to other cities over its dominance loss, capped at
    1 (``sim.rules.identification``); the strengths at each end summed apart, then added,
    as two ``bincount`` calls do."""
    n = city.size
    strength_u, strength_v = np.zeros(n), np.zeros(n)
    cross_u, cross_v = np.zeros(n), np.zeros(n)
    for k in range(u.size):
        a, b, w = u[k], v[k], weight[k]
        cw = w * (1.0 if city[a] != city[b] else 0.0)
        strength_u[a] += w
        strength_v[b] += w
        cross_u[a] += cw
        cross_v[b] += cw
    out = np.empty(n)
    for i in range(n):
        strength = strength_u[i] + strength_v[i]
        share = (cross_u[i] + cross_v[i]) / strength if strength > 0 else 0.0
        rel = share / loss[i] if loss[i] > 0 else 1.0
        out[i] = min(rel, 1.0)
    return out


@njit("float64[:, :](float64[:, :], int64[:], float64[:], int64, int64[:])", cache=True)
def unit_peer_means(values: np.ndarray, unit: np.ndarray, weights: np.ndarray, n_units: int,
                    slots: np.ndarray) -> np.ndarray:
    """For each of ``slots``, the weighted mean of its unit's other rows (its own row if it
    has no colleague): the unit's sum rebuilt from its mean and weight, less the own row.

    The unit means are :func:`group_means`'s (each unit's rows in row order), so asking
    for a few slots gives the same numbers as asking for all.
    """
    means, counts = group_means(values, unit, weights, n_units)
    dims = values.shape[1]
    out = np.empty((slots.size, dims))
    for k in range(slots.size):
        r = slots[k]
        own = counts[unit[r]]
        others = own - weights[r]
        for d in range(dims):
            if others > 0:
                out[k, d] = ((means[unit[r], d] * own - values[r, d] * weights[r])
                             / max(others, 1e-300))
            else:
                out[k, d] = values[r, d]
    return out


@njit(inline="always")
def _tie_arrays(size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Empty key, u, v and weight arrays for ``size`` ties."""
    return (np.empty(size, dtype=np.int64), np.empty(size, dtype=np.int64),
            np.empty(size, dtype=np.int64), np.empty(size))


@njit(inline="always")
def _compacted(key: np.ndarray, u: np.ndarray, v: np.ndarray, weight: np.ndarray,
               keep: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The ties where ``keep`` is true, in their order."""
    out_key, out_u, out_v, out_weight = _tie_arrays(key.size)
    kept = 0
    for k in range(key.size):
        if keep[k]:
            out_key[kept], out_u[kept], out_v[kept] = key[k], u[k], v[k]
            out_weight[kept] = weight[k]
            kept += 1
    return out_key[:kept], out_u[:kept], out_v[:kept], out_weight[:kept]


@njit(inline="always")
def _first_at_least(key: np.ndarray, target: int) -> int:
    """The first position in the sorted ``key`` whose entry is not below ``target``
    (``np.searchsorted(key, target)``)."""
    lo, hi = 0, key.size
    while lo < hi:
        mid = (lo + hi) >> 1
        if key[mid] < target:
            lo = mid + 1
        else:
            hi = mid
    return lo


@njit("Tuple((int64[:], int64[:], int64[:], float64[:], int64))(int64[:], int64[:], int64[:], "
      "float64[:], int64, int64[:], int64[:], float64[:])", cache=True)
def added_ties(key: np.ndarray, u: np.ndarray, v: np.ndarray, weight: np.ndarray, n: int,
               lo: np.ndarray, hi: np.ndarray, new_weight: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """The tie arrays with the pairs (lo_k, hi_k), lo_k < hi_k, added
    (``sim.network.Ties.add``), and how many were added.

    A pair given more than once is added once, with the weight of its first occurrence (a
    stable sort by key keeps the first of equal keys in front); a pair already tied is left
    alone; the new ties are merged into their key order, as ``np.insert`` would place them.
    """
    keys = lo * n + hi
    order = np.argsort(keys, kind="mergesort")  # stable
    pos = np.empty(keys.size, dtype=np.int64)  # where each fresh pair goes
    source = np.empty(keys.size, dtype=np.int64)  # and which pair it is
    fresh = 0
    for r in range(keys.size):
        j = order[r]
        if r > 0 and keys[order[r - 1]] == keys[j]:
            continue  # a later occurrence of a pair
        at = _first_at_least(key, keys[j])
        if at < key.size and key[at] == keys[j]:
            continue  # tied already
        pos[fresh], source[fresh] = at, j
        fresh += 1
    if fresh == 0:
        return key, u, v, weight, 0
    old = key.size
    out_key, out_u, out_v, out_weight = _tie_arrays(old + fresh)
    j = 0
    at = 0
    for i in range(old + 1):
        while j < fresh and pos[j] == i:  # the new ties that go before old tie i
            s = source[j]
            out_key[at], out_u[at], out_v[at] = keys[s], lo[s], hi[s]
            out_weight[at] = new_weight[s]
            at += 1
            j += 1
        if i < old:
            out_key[at], out_u[at], out_v[at], out_weight[at] = key[i], u[i], v[i], weight[i]
            at += 1
    return out_key, out_u, out_v, out_weight, fresh


@njit("Tuple((int64[:], int64[:], int64[:], float64[:]))(int64[:], int64[:], int64[:], "
      "float64[:], int64[:], float64, float64, float64)", cache=True)
def reweighted_ties(key: np.ndarray, u: np.ndarray, v: np.ndarray, weight: np.ndarray,
                    used: np.ndarray, reinforcement: float, decay: float, min_weight: float
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One week of tie weights (``sim.network.Ties.update_weights``): the ties with an id in
    ``used`` grow toward 1 by ``reinforcement``, the others shrink by ``decay``; ties left
    below ``min_weight`` are dropped, the rest keep their order."""
    was_used = np.zeros(key.size, dtype=np.bool_)
    for k in range(used.size):
        was_used[used[k]] = True
    new_weight = np.empty(key.size)
    for k in range(key.size):
        w = weight[k]
        new_weight[k] = w + reinforcement * (1.0 - w) if was_used[k] else w * (1.0 - decay)
    return _compacted(key, u, v, new_weight, new_weight >= min_weight)


@njit("float64[:, :](int64[:], int64[:], float64[:], int64[:], int64)", cache=True)
def city_pair_weights(u: np.ndarray, v: np.ndarray, weight: np.ndarray, city: np.ndarray,
                      n_cities: int) -> np.ndarray:
    """(n_cities, n_cities) summed tie weight by (u's city, v's city), each cell adding its
    ties in tie order (as ``bincount`` over the pair index does)."""
    out = np.zeros((n_cities, n_cities))
    for k in range(u.size):
        out[city[u[k]], city[v[k]]] += weight[k]
    return out


@njit("float64[:, :](float64[:, :], float64[:, :], float64)", cache=True)
def faded_values(values: np.ndarray, fading: np.ndarray, keep: float) -> np.ndarray:
    """One week of forgetting (``sim.strategies.fading.FadingShifts.fade``): each fading
    shift loses ``fading x (1 - keep)``, taken off ``fading`` in place and off the values,
    which come back clipped to [0, 1] in a new array."""
    n, dims = values.shape
    out = np.empty((n, dims))
    lost = 1.0 - keep
    for i in range(n):
        for d in range(dims):
            loss = fading[i, d] * lost
            fading[i, d] -= loss
            out[i, d] = _unit_interval(values[i, d] - loss)
    return out


@njit("Tuple((int64[:], int64[:], int64[:], float64[:]))(int64[:], int64[:], int64[:], "
      "float64[:], boolean[:])", cache=True)
def ties_without(key: np.ndarray, u: np.ndarray, v: np.ndarray, weight: np.ndarray,
                 gone: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The ties with neither end in a slot marked ``gone``, in their order
    (``sim.network.Ties.remove_slots``)."""
    keep = np.empty(key.size, dtype=np.bool_)
    for k in range(key.size):
        keep[k] = not (gone[u[k]] or gone[v[k]])
    return _compacted(key, u, v, weight, keep)
