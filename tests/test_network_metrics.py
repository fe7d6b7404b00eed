"""The informal network (ties, sampling, closure) and the network metrics."""

import networkx as nx
import numpy as np
import pytest
from networkx.algorithms.community import modularity
from scipy import sparse

from sim import metrics
from sim.network import Ties, build_network, close_triads, sample_neighbours
from sim.population import Role, build_workforce
from sim.scenario import Scenario


def test_add_ignores_self_ties_and_duplicates_in_either_direction():
    ties = Ties(5, np.array([0, 1]), np.array([1, 2]), np.array([0.5, 0.5]))
    added = ties.add(np.array([1, 3, 2, 4]), np.array([0, 3, 1, 0]), 0.2)
    assert added == 1  # only (0, 4); (1,0) and (2,1) exist, (3,3) is a self-tie
    assert ties.size == 3 and np.all(ties.u < ties.v)


def test_remove_slots_drops_every_tie_of_a_leaver():
    ties = Ties(4, np.array([0, 0, 1]), np.array([1, 2, 3]), np.ones(3))
    ties.remove_slots(np.array([0]))
    assert ties.size == 1 and (ties.u[0], ties.v[0]) == (1, 3)
    assert ties.degree()[0] == 0


def test_sampling_is_proportional_to_tie_weight():
    ties = Ties(3, np.array([0, 0]), np.array([1, 2]), np.array([0.8, 0.2]))
    adj = ties.csr()
    _, nbr, edge = sample_neighbours(adj, np.zeros(20000, dtype=np.int64),
                                       np.random.default_rng(0))
    share = np.mean(nbr == 1)
    assert share == pytest.approx(0.8, abs=0.015)
    assert set(np.unique(edge)) == {0, 1}


def test_sampling_skips_isolated_slots_and_only_returns_neighbours():
    ties = Ties(6, np.array([0, 2]), np.array([1, 3]), np.array([1.0, 1.0]))
    src, nbr, _ = sample_neighbours(ties.csr(), np.arange(6), np.random.default_rng(1))
    assert set(src.tolist()) == {0, 1, 2, 3}
    pairs = {tuple(sorted(p)) for p in zip(src.tolist(), nbr.tolist(), strict=True)}
    assert pairs <= {(0, 1), (2, 3)}


def test_triadic_closure_proposes_contacts_of_contacts():
    # a path 0-1-2: the only triad to close is (0, 2)
    ties = Ties(3, np.array([0, 1]), np.array([1, 2]), np.ones(2))
    a, b = close_triads(ties.csr(), np.zeros(200, dtype=np.int64), np.random.default_rng(2))
    assert set(b.tolist()) == {2}
    assert np.all(a == 0)


def test_weights_reinforce_when_used_and_decay_otherwise():
    spec = Scenario().network
    ties = Ties(3, np.array([0, 1]), np.array([1, 2]), np.array([0.5, 0.5]))
    ties.update_weights(np.array([0]), spec)
    assert ties.weight[0] == pytest.approx(0.5 + spec.reinforcement * 0.5)
    assert ties.weight[1] == pytest.approx(0.5 * (1 - spec.decay))


def test_initial_network_is_dense_within_and_sparse_across_cities():
    sc = Scenario()
    wf = build_workforce(sc, np.random.default_rng(0))
    ties = build_network(sc, wf, np.random.default_rng(1))
    cross = wf.city[ties.u] != wf.city[ties.v]
    assert 0 < cross.mean() < 0.1
    # managers bridge far more than staff
    deg_cross = np.bincount(np.r_[ties.u[cross], ties.v[cross]], minlength=wf.city.size)
    assert deg_cross[wf.role == Role.MANAGER].mean() > 2 * deg_cross[wf.role == Role.STAFF].mean()


def _random_graph(seed):
    rng = np.random.default_rng(seed)
    n = 40
    u, v = rng.integers(0, n, 150), rng.integers(0, n, 150)
    ties = Ties(n, u, v, rng.random(150))
    city = rng.integers(0, 3, n)
    return ties, city


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_modularity_matches_networkx(seed):
    ties, city = _random_graph(seed)
    graph = ties.to_networkx(np.arange(ties.n))
    parts = [set(np.flatnonzero(city == c).tolist()) for c in range(3)]
    expected = modularity(graph, parts, weight="weight")
    assert metrics.city_modularity(ties, city, 3) == pytest.approx(expected)


def test_cross_city_share_of_weight():
    ties = Ties(4, np.array([0, 2]), np.array([1, 3]), np.array([0.75, 0.25]))
    city = np.array([0, 0, 0, 1])
    assert metrics.cross_city_ties(ties, city) == pytest.approx(0.25)


def test_city_divergence_and_spread_on_a_hand_built_case():
    values = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 1.0], [1.0, 1.0]])
    city = np.array([0, 0, 1, 1])
    active = np.ones(4, bool)
    assert metrics.city_divergence(values, active, city, 2) == pytest.approx(1.0)
    assert metrics.culture_spread(values, active) == pytest.approx(0.5)
    assert metrics.distance_to_target(values, active, np.array([0.0, 0.0])) == \
        pytest.approx(0.5)
    # an emptied city drops out of the divergence
    active[2:] = False
    assert metrics.city_divergence(values, active, city, 2) == 0.0


def test_to_networkx_round_trip():
    ties, _ = _random_graph(5)
    graph = ties.to_networkx()
    assert graph.number_of_edges() == ties.size
    assert isinstance(graph, nx.Graph)


@pytest.mark.parametrize("n", [6, 300, 40_000])
def test_csr_view_equals_scipys_and_lists_every_tie_from_both_ends(n: int):
    """The weekly CSR view (a radix sort) is the matrix SciPy builds from the same ties,
    rows by ascending neighbour, with the edge ids and the running weights."""
    rng = np.random.default_rng(n)
    ties = Ties(n, rng.integers(0, n, 4 * n), rng.integers(0, n, 4 * n), rng.random(4 * n))
    ties.add(rng.integers(0, n, n), rng.integers(0, n, n), rng.random(n))  # merged in
    adj = ties.csr()
    rows = np.concatenate([ties.v, ties.u])
    cols = np.concatenate([ties.u, ties.v])
    ids = np.concatenate([np.arange(ties.size), np.arange(ties.size)])
    matrix = sparse.csr_array((ids, (rows, cols)), shape=(n, n))
    assert np.array_equal(adj.indptr, matrix.indptr)
    assert np.array_equal(adj.indices, matrix.indices)
    assert np.array_equal(adj.edge, matrix.data)
    assert np.array_equal(adj.cumweight, np.cumsum(ties.weight[matrix.data]))


def test_add_keeps_the_first_weight_of_a_pair_given_twice_and_the_key_order():
    ties = Ties(10, np.array([0, 5]), np.array([9, 6]), np.array([0.1, 0.2]))
    assert ties.add(np.array([3, 4, 3, 2]), np.array([4, 3, 7, 8]),
                    np.array([0.3, 0.4, 0.5, 0.6])) == 3
    assert ties.key.tolist() == sorted(ties.key.tolist())
    assert dict(zip(zip(ties.u.tolist(), ties.v.tolist(), strict=True),
                    ties.weight.tolist(), strict=True)) == {
        (0, 9): 0.1, (5, 6): 0.2, (3, 4): 0.3, (3, 7): 0.5, (2, 8): 0.6}
