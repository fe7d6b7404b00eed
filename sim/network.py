"""The informal network: weighted, undirected ties between slots, held as arrays.

Ties live in three parallel arrays (``u < v``, ``weight``), keyed by ``u * n + v``. The weekly
loop needs neighbour sampling by weight, so :meth:`Ties.csr` builds a compressed sparse row
view (with the edge id of every entry) once per week; everything else is array arithmetic.
``networkx`` is used only for analysis and pictures (:meth:`Ties.to_networkx`).

Initial structure (DESIGN section 3, "Network"): dense inside work units, sparser across a
city, and a few bridges across cities, mostly through managers.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np

from sim.kernels import (
    added_ties,
    csr_structure,
    cumulative_weights,
    reweighted_ties,
    ties_without,
    weighted_neighbours,
    with_ties,
)
from sim.population import Role, Workforce
from sim.scenario import NetworkSection, Scenario


@dataclass
class Adjacency:
    """CSR view of the symmetric network: row i's entries are i's ties."""

    indptr: np.ndarray  # (n + 1,)
    indices: np.ndarray  # (2E,) neighbour slot
    edge: np.ndarray  # (2E,) edge id into the Ties arrays
    cumweight: np.ndarray  # (2E,) running sum of weights in CSR order

    @property
    def degree(self) -> np.ndarray:
        return np.diff(self.indptr)


class Ties:
    """Weighted undirected ties between ``n`` slots.

    Invariant: ties are kept sorted by key ``u * n + v`` (u < v), so membership tests and
    look-ups are binary searches and additions are merges, never a full re-sort.
    """

    def __init__(self, n: int, u: np.ndarray, v: np.ndarray, weight: np.ndarray) -> None:
        self.n = n
        self.u = np.empty(0, dtype=np.int64)
        self.v = np.empty(0, dtype=np.int64)
        self.key = np.empty(0, dtype=np.int64)
        self.weight = np.empty(0, dtype=float)
        self.add(u, v, weight)

    # -- structure ------------------------------------------------------------------------

    @property
    def size(self) -> int:
        """Number of ties."""
        return self.u.size

    def keys(self) -> np.ndarray:
        """Sorted tie keys ``u * n + v``."""
        return self.key

    def find(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Positions of ``keys`` among the ties, and which of them exist."""
        pos = np.searchsorted(self.key, keys)
        if self.key.size == 0:
            return pos, np.zeros(keys.size, dtype=bool)
        found = self.key[np.minimum(pos, self.key.size - 1)] == keys
        return pos, found

    def _pairs(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        a = np.asarray(a, dtype=np.int64)
        b = np.asarray(b, dtype=np.int64)
        keep = a != b
        lo, hi = np.minimum(a, b)[keep], np.maximum(a, b)[keep]
        return lo, hi, keep

    def add(self, a: np.ndarray, b: np.ndarray, weight: np.ndarray | float) -> int:
        """Add ties (a_k, b_k); self-ties and ties that already exist are ignored.

        A pair given twice is added once, with the weight of its first occurrence. The new
        ties are merged into key order in one compiled pass (:func:`sim.kernels.added_ties`).

        Returns:
            The number of ties actually added.
        """
        lo, hi, keep = self._pairs(a, b)
        if lo.size == 0:
            return 0
        if np.ndim(weight) == 0:
            w = np.full(lo.size, float(weight))
        else:
            w = np.ascontiguousarray(np.broadcast_to(np.asarray(weight, dtype=float),
                                                     keep.shape)[keep])
        self.key, self.u, self.v, self.weight, added = added_ties(
            self.key, self.u, self.v, self.weight, self.n, lo, hi, w)
        return int(added)

    def strengthen(self, a: np.ndarray, b: np.ndarray, spec: NetworkSection) -> None:
        """Joint work between pairs (a_k, b_k): existing ties grow as if used, missing ones
        form with the weight of a new tie."""
        lo, hi, _ = self._pairs(a, b)
        if lo.size == 0:
            return
        pos, found = self.find(lo * self.n + hi)
        used = np.zeros(self.size, dtype=bool)  # each tie once, however often it was used
        used[pos[found]] = True
        self.weight[used] += spec.reinforcement * (1.0 - self.weight[used])
        self.add(lo[~found], hi[~found], spec.new_tie_weight)

    def remove_slots(self, slots: np.ndarray) -> None:
        """Drop every tie of the given slots (leavers take their ties with them)."""
        if slots.size:
            gone = np.zeros(self.n, dtype=bool)
            gone[slots] = True
            self.key, self.u, self.v, self.weight = ties_without(self.key, self.u, self.v,
                                                                 self.weight, gone)

    def csr(self) -> Adjacency:
        """Symmetric CSR view with edge ids and cumulative weights, for weighted sampling.

        Row i lists i's ties by ascending neighbour: first the ties where i is ``v`` (their
        ``u`` < i), then those where i is ``u`` (their ``v`` > i). Built by a compiled
        counting sort (:func:`sim.kernels.csr_structure`), linear in the number of ties.
        """
        indptr, indices, edge = csr_structure(self.n, self.u, self.v)
        return Adjacency(indptr, indices, edge, cumulative_weights(self.weight, edge))

    def degree(self) -> np.ndarray:
        """Number of ties per slot."""
        return np.bincount(self.u, minlength=self.n) + np.bincount(self.v, minlength=self.n)

    def strength(self) -> np.ndarray:
        """Sum of tie weights per slot."""
        return (np.bincount(self.u, weights=self.weight, minlength=self.n)
                + np.bincount(self.v, weights=self.weight, minlength=self.n))

    # -- weekly dynamics --------------------------------------------------------------------

    def update_weights(self, used_edges: np.ndarray, spec: NetworkSection) -> None:
        """Ties used this week grow toward 1, unused ones decay; too weak ones are dropped
        (one compiled pass, :func:`sim.kernels.reweighted_ties`)."""
        self.key, self.u, self.v, self.weight = reweighted_ties(
            self.key, self.u, self.v, self.weight, np.asarray(used_edges, dtype=np.int64),
            float(spec.reinforcement), float(spec.decay), float(spec.min_weight))

    def to_networkx(self, nodes: np.ndarray | None = None) -> nx.Graph:
        """A networkx graph of the ties (for analysis and drawing, not for the weekly loop)."""
        graph = nx.Graph()
        if nodes is not None:
            graph.add_nodes_from(int(x) for x in nodes)
        graph.add_weighted_edges_from(zip(self.u.tolist(), self.v.tolist(),
                                          self.weight.tolist(), strict=True))
        return graph


# ------------------------------------------------------------------------------- sampling


def sample_neighbours(adj: Adjacency, who: np.ndarray, rng: np.random.Generator
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each slot in ``who``, one neighbour drawn with probability proportional to weight.

    Slots without ties are skipped. One uniform draw per remaining slot, in order, picks the
    neighbour whose share of the slot's cumulative tie weight it falls in
    (:func:`sim.kernels.weighted_neighbours`).

    Returns:
        (source slot, neighbour slot, edge id), aligned.
    """
    who = with_ties(adj.indptr, np.asarray(who, dtype=np.int64))
    pos = weighted_neighbours(adj.indptr, adj.cumweight, who, rng.random(who.size))
    return who, adj.indices.take(pos), adj.edge.take(pos)


# ------------------------------------------------------------------------------- builders


def _within_unit_pairs(unit: np.ndarray, max_unit: int) -> tuple[np.ndarray, np.ndarray]:
    """All pairs of slots that share a unit (slots are ordered by unit)."""
    idx = np.arange(unit.size)
    us, vs = [], []
    for k in range(1, max_unit):
        same = unit[:-k] == unit[k:]
        us.append(idx[:-k][same])
        vs.append(idx[k:][same])
    return np.concatenate(us), np.concatenate(vs)


def _random_pairs_within(members: np.ndarray, density: float,
                         rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """About ``density * n(n-1)/2`` random pairs among ``members`` (Erdos-Renyi-like)."""
    n = members.size
    if n < 2 or density <= 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    m = rng.binomial(n * (n - 1) // 2, density)
    a = rng.integers(0, n, size=m)
    b = rng.integers(0, n, size=m)
    return members[a], members[b]


def _cross_city_pairs(workforce: Workforce, spec: NetworkSection,
                      rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Bridges: each employee starts about half its expected cross-city ties (the other half
    arrives from the other end); partners in other cities are drawn with the same role
    weighting, so managers bridge far more than staff."""
    n = workforce.city.size
    factor = np.where(workforce.role == Role.MANAGER, spec.manager_bridge_factor, 1.0)
    stubs = rng.poisson(spec.cross_city_degree * factor / 2.0)
    src = np.repeat(np.arange(n), stubs)
    if src.size == 0 or np.unique(workforce.city).size < 2:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    prob = factor / factor.sum()
    dst = rng.choice(n, size=src.size, p=prob)
    same = workforce.city[src] == workforce.city[dst]
    # redraw partners that landed in the own city, a few times; leftovers are dropped
    for _ in range(10):
        if not same.any():
            break
        dst[same] = rng.choice(n, size=int(same.sum()), p=prob)
        same = workforce.city[src] == workforce.city[dst]
    return src[~same], dst[~same]


def build_network(scenario: Scenario, workforce: Workforce, rng: np.random.Generator) -> Ties:
    """The informal network at the merger: unit ties, city ties, and cross-city bridges."""
    spec = scenario.network
    n = workforce.city.size
    ua, ub = _within_unit_pairs(workforce.unit, spec.unit_size)
    keep = rng.random(ua.size) < spec.unit_tie_probability
    parts_a, parts_b = [ua[keep]], [ub[keep]]
    for idx, city in enumerate(scenario.cities):
        members = np.flatnonzero(workforce.city == idx)
        a, b = _random_pairs_within(members, city.tie_density, rng)
        parts_a.append(a)
        parts_b.append(b)
    a, b = _cross_city_pairs(workforce, spec, rng)
    parts_a.append(a)
    parts_b.append(b)
    a = np.concatenate(parts_a)
    b = np.concatenate(parts_b)
    weight = np.clip(spec.initial_weight * rng.uniform(1 - spec.weight_jitter,
                                                     1 + spec.weight_jitter, size=a.size),
                     spec.min_weight, 1.0)
    return Ties(n, a, b, weight)


def close_triads(adj: Adjacency, candidates: np.ndarray, rng: np.random.Generator
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Triadic closure (Granovetter 1973): each candidate meets a contact of a contact.

    Both steps are weighted by tie strength. Returns the proposed pairs (i, k) with k != i;
    :meth:`Ties.add` drops those that are tied already.
    """
    src, mid, _ = sample_neighbours(adj, candidates, rng)
    _, far, _ = sample_neighbours(adj, mid, rng)
    # sample_neighbours skips slots without ties; mid always has one (the tie to src)
    keep = far != src
    return src[keep], far[keep]
