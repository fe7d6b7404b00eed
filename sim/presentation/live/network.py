"""The organisation's network on the teacher's screen: teams forming live.

Positions are laid out once per class (a spring layout of the informal ties at the start,
seeded by the class's seed, so the picture stays put while teams form); every view then sends
who is where, in which city and in which team, and the ties of this week.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

from sim.presentation.live.teams import team_strategy
from sim.presentation.live.texts import theme_text

if TYPE_CHECKING:
    from sim.model import MergerModel


def layout(model: MergerModel, seed: int) -> np.ndarray:
    """Slot positions in [0, 1] x [0, 1] from the ties of the current week."""
    graph = nx.Graph()
    graph.add_nodes_from(range(model.active.size))
    graph.add_edges_from(zip(model.ties.u.tolist(), model.ties.v.tolist(), strict=True))
    spring = nx.spring_layout(graph, seed=seed % 2**32, iterations=50)
    pos = np.array([spring[i] for i in range(model.active.size)], dtype=float)
    low, high = pos.min(axis=0), pos.max(axis=0)
    return (pos - low) / np.where(high > low, high - low, 1.0)


def network_view(model: MergerModel, pos: np.ndarray, lang: str = "en") -> dict[str, Any]:
    """Active employees (x, y, city, team) and the ties between them, for drawing (the
    teams' names in ``lang``)."""
    slots = np.flatnonzero(model.active[:pos.shape[0]])
    index = np.full(model.active.size, -1)
    index[slots] = np.arange(slots.size)
    u, v = model.ties.u, model.ties.v
    keep = (u < pos.shape[0]) & (v < pos.shape[0])
    u, v = u[keep], v[keep]
    both = (index[u] >= 0) & (index[v] >= 0)
    return {"cities": list(model.city_names),
            "teams": [theme_text(name, lang) for name in team_strategy(model).theme_names],
            "nodes": [[round(float(pos[s, 0]), 3), round(float(pos[s, 1]), 3),
                       int(model.city[s]), int(model.team[s])] for s in slots],
            "edges": np.column_stack([index[u[both]], index[v[both]]]).tolist()}
