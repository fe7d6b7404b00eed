"""The compiled kernels give the same bits as the NumPy formulations they replaced.

The oracles below are those formulations (global binary search, stable argsort, one
``bincount`` per dimension), kept here as the independent answer: the kernels must agree to
the bit on random inputs, or a run would no longer be the same function of its seed.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sim import kernels
from sim.network import Ties, sample_neighbours
from sim.rules.distance import group_means, normalised_distance
from sim.rules.identification import cross_city_belonging
from sim.rules.interaction import bounded_confidence_deltas, bounded_confidence_step, drift


def csr_oracle(ties: Ties) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Row i: ties where i is v (by u), then where i is u (by v); stable sorts in NumPy."""
    n, u, v = ties.n, ties.u, ties.v
    src = np.concatenate([v, u])
    dst = np.concatenate([u, v])
    edge = np.concatenate([np.arange(u.size), np.arange(u.size)])
    order = np.lexsort((dst, src))
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
    edge = edge[order]
    return indptr, dst[order], edge, np.cumsum(ties.weight[edge])


def sample_oracle(adj, who: np.ndarray, draws: np.ndarray) -> np.ndarray:
    """Positions by a search over all cumulative weights, clipped to the caller's row."""
    start, end = adj.indptr[who], adj.indptr[who + 1]
    base = np.where(start > 0, adj.cumweight[np.maximum(start - 1, 0)], 0.0)
    target = base + draws * (adj.cumweight[end - 1] - base)
    pos = np.searchsorted(adj.cumweight, target, side="right")
    return np.clip(pos, start, end - 1)


def deltas_oracle(values, first, second, openness, rate, threshold) -> np.ndarray:
    """Bounded confidence with one bincount per dimension (pulls of the first sides, then
    of the second sides), rescaled where the pulls add up to more than 1."""
    n, dims = values.shape
    diff = values[second] - values[first]
    squared = diff[:, 0] * diff[:, 0]
    for k in range(1, dims):
        squared = squared + diff[:, k] * diff[:, k]
    close = np.sqrt(squared / dims) < threshold
    a, b, diff = first[close], second[close], diff[close]
    pull_a, pull_b = rate * openness[a], rate * openness[b]
    who = np.concatenate([a, b])
    moves = np.concatenate([diff * pull_a[:, None], diff * -pull_b[:, None]])
    scale = 1.0 / np.maximum(np.bincount(who, weights=np.concatenate([pull_a, pull_b]),
                                         minlength=n), 1.0)
    return np.stack([np.bincount(who, weights=moves[:, k], minlength=n) * scale
                     for k in range(dims)], axis=1)


def group_means_oracle(values, groups, weights, n_groups):
    """One ``bincount`` per dimension, then the division where a group has weight."""
    totals = np.bincount(groups, weights=weights, minlength=n_groups)
    sums = np.stack([np.bincount(groups, weights=weights * values[:, d], minlength=n_groups)
                     for d in range(values.shape[1])], axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(totals[:, None] > 0, sums / np.maximum(totals, 1e-300)[:, None], 0.0)
    return means, totals


def distance_oracle(a, b):
    """Squares summed column by column, divided by D, root."""
    diff = np.subtract(a, b, dtype=float)
    squared = diff[..., 0] * diff[..., 0]
    for k in range(1, diff.shape[-1]):
        squared = squared + diff[..., k] * diff[..., k]
    return np.sqrt(squared / diff.shape[-1])


def belonging_oracle(u, v, weight, city, loss):
    """Strengths at each end by ``bincount``, the cross-city share over the loss, capped."""
    n = city.size
    cross = city[u] != city[v]
    strength = np.bincount(u, weights=weight, minlength=n) + np.bincount(v, weights=weight,
                                                                         minlength=n)
    cw = weight * cross
    cross_strength = np.bincount(u, weights=cw, minlength=n) + np.bincount(v, weights=cw,
                                                                           minlength=n)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        share = np.where(strength > 0, cross_strength / strength, 0.0)
        rel = np.where(loss > 0, share / loss, 1.0)
    return np.minimum(rel, 1.0)


@st.composite
def networks(draw):
    n = draw(st.integers(2, 40))
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)),
                          max_size=150))
    a = np.array([p[0] for p in pairs], dtype=np.int64)
    b = np.array([p[1] for p in pairs], dtype=np.int64)
    weight = draw(arrays(float, a.size, elements=st.floats(0.05, 1.0)))
    return Ties(n, a, b, weight)


@settings(max_examples=200, deadline=None)
@given(networks())
def test_csr_is_the_stable_sorted_view(ties: Ties) -> None:
    adj = ties.csr()
    for got, want in zip((adj.indptr, adj.indices, adj.edge, adj.cumweight),
                         csr_oracle(ties), strict=True):
        assert got.dtype == want.dtype
        assert np.array_equal(got, want)


@settings(max_examples=200, deadline=None)
@given(networks(), st.integers(0, 2**32 - 1))
def test_sampling_picks_what_a_global_search_picks(ties: Ties, seed: int) -> None:
    adj = ties.csr()
    who = np.repeat(np.arange(ties.n), 3)
    src, nbr, edge = sample_neighbours(adj, who, np.random.default_rng(seed))
    has = who[adj.indptr[who + 1] > adj.indptr[who]]
    assert np.array_equal(src, has)
    pos = sample_oracle(adj, has, np.random.default_rng(seed).random(has.size))
    assert np.array_equal(nbr, adj.indices[pos])
    assert np.array_equal(edge, adj.edge[pos])


@settings(max_examples=300, deadline=None)
@given(arrays(float, (8, 4), elements=st.floats(0, 1)),
       st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=40),
       arrays(float, 8, elements=st.floats(0, 1)),
       st.floats(0, 0.5), st.floats(0, 1.5) | st.just(np.inf))
def test_meeting_deltas_are_the_bincount_formulation(values, pairs, openness, rate,
                                                     threshold) -> None:
    first = np.array([p[0] for p in pairs], dtype=np.int64)
    second = np.array([p[1] for p in pairs], dtype=np.int64)
    got = bounded_confidence_deltas(values, first, second, openness, rate, threshold)
    want = deltas_oracle(values, first, second, openness, rate, threshold)
    assert np.array_equal(got, want)  # the same bits, not just close
    stepped = bounded_confidence_step(values, first, second, openness, rate, threshold)
    assert np.array_equal(stepped, np.clip(values + want, 0.0, 1.0))  # the fused update too


@settings(max_examples=200, deadline=None)
@given(arrays(float, (9, 3), elements=st.floats(0, 1)),
       arrays(bool, 9), st.floats(0.001, 0.5), st.integers(0, 2**32 - 1))
def test_drift_is_masked_noise_then_clip(values, active, sd, seed) -> None:
    """The fused drift adds the same draws to the active rows and clips, as the NumPy
    formulation (noise of inactive rows set to 0, add, clip) does, to the bit."""
    noise = np.random.default_rng(seed).normal(0.0, sd, size=values.shape)
    noise[~active] = 0.0
    got = drift(values, active, sd, np.random.default_rng(seed))
    assert np.array_equal(got, np.clip(values + noise, 0.0, 1.0))


@settings(max_examples=200, deadline=None)
@given(arrays(float, (30, 4), elements=st.floats(0, 1)),
       arrays(np.int64, 30, elements=st.integers(0, 6)),
       arrays(float, 30, elements=st.sampled_from([0.0, 1.0]) | st.floats(0, 1)))
def test_group_means_are_the_bincount_formulation(values, groups, weights) -> None:
    for got, want in zip(group_means(values, groups.astype(np.int32), weights, 8),
                         group_means_oracle(values, groups, weights, 8), strict=True):
        assert np.array_equal(got, want)


@settings(max_examples=200, deadline=None)
@given(arrays(float, (12, 4), elements=st.floats(0, 1)),
       arrays(float, (12, 4), elements=st.floats(0, 1)))
def test_distances_are_the_column_sums(a, b) -> None:
    assert np.array_equal(normalised_distance(a, b), distance_oracle(a, b))
    assert np.array_equal(normalised_distance(a, b[0]), distance_oracle(a, b[0]))
    assert np.array_equal(normalised_distance(a[:1], b), distance_oracle(a[:1], b))
    assert np.array_equal(normalised_distance(a[0], b[0]), distance_oracle(a[0], b[0]))
    three = np.stack([a, b])  # other shapes go through NumPy: the same numbers
    assert np.array_equal(normalised_distance(three, b[0]), distance_oracle(three, b[0]))


@settings(max_examples=200, deadline=None)
@given(networks(), st.data())
def test_belonging_is_the_bincount_formulation(ties: Ties, data) -> None:
    city = data.draw(arrays(np.int32, ties.n, elements=st.integers(0, 2)))
    loss = data.draw(arrays(float, ties.n, elements=st.sampled_from([0.0, 0.3]) |
                            st.floats(0, 1)))
    got = cross_city_belonging(ties.u, ties.v, ties.weight, city, loss)
    assert np.array_equal(got, belonging_oracle(ties.u, ties.v, ties.weight, city, loss))


def peer_means_oracle(values, unit, weights, n_units):
    """Unit sums from the means (NumPy), less the own row, over the other rows' weight."""
    means, counts = group_means_oracle(values, unit, weights, n_units)
    own = counts[unit]
    sums = means[unit] * own[:, None] - values * weights[:, None]
    others = own - weights
    with np.errstate(invalid="ignore", divide="ignore"):
        peer = sums / np.maximum(others, 1e-300)[:, None]
    return np.where(others[:, None] > 0, peer, values)


@settings(max_examples=200, deadline=None)
@given(arrays(float, (25, 4), elements=st.floats(0, 1)),
       arrays(np.int64, 25, elements=st.integers(0, 5)),
       arrays(bool, 25), st.lists(st.integers(0, 24), max_size=6))
def test_peer_means_are_the_numpy_formulation(values, unit, active, slots) -> None:
    want = peer_means_oracle(values, unit, active.astype(float), 6)
    rows = np.array(slots, dtype=np.int64)
    got = kernels.unit_peer_means(values, unit, active.astype(float), 6, rows)
    assert np.array_equal(got, want[rows])  # a few rows: the same numbers as for all
    everyone = kernels.unit_peer_means(values, unit, active.astype(float), 6,
                                       np.arange(25, dtype=np.int64))
    assert np.array_equal(everyone, want)


def add_oracle(ties: Ties, lo: np.ndarray, hi: np.ndarray, weight: np.ndarray):
    """First occurrences by a stable argsort, existing ties by ``searchsorted``, the fresh
    ones placed by ``np.insert``."""
    keys = lo * ties.n + hi
    order = np.argsort(keys, kind="stable")
    first = np.r_[True, keys[order][1:] != keys[order][:-1]] if keys.size else keys > 0
    order = order[first]
    pos = np.searchsorted(ties.key, keys[order])
    tied = (pos < ties.size) & (ties.key[np.minimum(pos, max(ties.size - 1, 0))]
                                == keys[order]) if ties.size else np.zeros(order.size, bool)
    pos, order = pos[~tied], order[~tied]
    return ([np.insert(array, pos, new[order]) for array, new in
             ((ties.key, keys), (ties.u, lo), (ties.v, hi), (ties.weight, weight))],
            int(pos.size))


@settings(max_examples=300, deadline=None)
@given(networks(), st.data())
def test_adding_ties_is_the_sort_search_insert_formulation(ties: Ties, data) -> None:
    """Repeated pairs once (the first occurrence's weight), tied pairs left alone, the new
    ones in key order: the same four arrays as the NumPy formulation."""
    pairs = data.draw(st.lists(st.tuples(st.integers(0, ties.n - 1),
                                         st.integers(0, ties.n - 1)), max_size=30))
    pairs = [(min(p), max(p)) for p in pairs if p[0] != p[1]]
    lo = np.array([p[0] for p in pairs], dtype=np.int64)
    hi = np.array([p[1] for p in pairs], dtype=np.int64)
    weight = np.linspace(0.1, 0.9, lo.size)
    want, count = add_oracle(ties, lo, hi, weight)
    *got, added = kernels.added_ties(ties.key, ties.u, ties.v, ties.weight, ties.n, lo, hi,
                                     weight)
    assert added == count
    for array, expected in zip(got, want, strict=True):
        assert array.dtype == expected.dtype and np.array_equal(array, expected)


@settings(max_examples=200, deadline=None)
@given(networks(), st.data(), st.floats(0, 1), st.floats(0, 1), st.floats(0, 0.5))
def test_reweighting_is_the_where_then_mask_formulation(ties: Ties, data, reinforcement,
                                                        decay, min_weight) -> None:
    """Used ties grow, the others decay (``np.where``), weak ones are dropped (a mask)."""
    used = np.array(data.draw(st.lists(st.integers(0, max(ties.size - 1, 0)),
                                       max_size=ties.size)), dtype=np.int64)
    was_used = np.zeros(ties.size, dtype=bool)
    was_used[used] = True
    weight = np.where(was_used, ties.weight + reinforcement * (1.0 - ties.weight),
                      ties.weight * (1.0 - decay))
    keep = weight >= min_weight
    got = kernels.reweighted_ties(ties.key, ties.u, ties.v, ties.weight, used, reinforcement,
                                  decay, min_weight)
    for merged, want in zip(got, (ties.key[keep], ties.u[keep], ties.v[keep], weight[keep]),
                            strict=True):
        assert np.array_equal(merged, want)


@settings(max_examples=200, deadline=None)
@given(networks(), st.data())
def test_city_pair_weights_are_the_bincount_formulation(ties: Ties, data) -> None:
    city = data.draw(arrays(np.int64, ties.n, elements=st.integers(0, 3)))
    pair = city[ties.u] * 4 + city[ties.v]
    want = np.bincount(pair, weights=ties.weight, minlength=16).reshape(4, 4)
    assert np.array_equal(kernels.city_pair_weights(ties.u, ties.v, ties.weight, city, 4),
                          want)


@settings(max_examples=200, deadline=None)
@given(arrays(float, (7, 3), elements=st.floats(0, 1)),
       arrays(float, (7, 3), elements=st.floats(-0.5, 0.5)), st.floats(0, 1))
def test_fading_is_the_numpy_formulation(values, fading, factor) -> None:
    """loss = fading x (1 - factor); fading -= loss; values = clip(values - loss)."""
    loss = fading * (1.0 - factor)
    want_fading = fading - loss
    want = np.clip(values - loss, 0.0, 1.0)
    got = kernels.faded_values(values, fading, factor)  # fading changes in place
    assert np.array_equal(got, want) and np.array_equal(fading, want_fading)


@settings(max_examples=200, deadline=None)
@given(networks(), st.data())
def test_removing_slots_is_the_mask_formulation(ties: Ties, data) -> None:
    gone = data.draw(arrays(bool, ties.n))
    keep = ~(gone[ties.u] | gone[ties.v])
    got = kernels.ties_without(ties.key, ties.u, ties.v, ties.weight, gone)
    for kept, want in zip(got, (ties.key[keep], ties.u[keep], ties.v[keep], ties.weight[keep]),
                          strict=True):
        assert np.array_equal(kept, want)


def test_kernels_are_compiled() -> None:
    """The speed is the point: the kernels are Numba dispatchers, not plain Python."""
    for name in ("csr_structure", "cumulative_weights", "with_ties", "weighted_neighbours",
                 "meeting_deltas", "group_means", "row_distances", "cross_city_belonging",
                 "unit_peer_means", "met_values", "drifted_values", "added_ties",
                 "reweighted_ties", "city_pair_weights", "faded_values",
                 "ties_without"):
        assert hasattr(getattr(kernels, name), "signatures"), name
