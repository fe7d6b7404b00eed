"""The informal network at the snapshot weeks, coloured by city and by team.

The layout is computed once, on the union of all snapshots, with a seeded spring layout,
so a node keeps its place from "before" to "after" and movement in the picture is change in
ties, not a new layout. Large organisations are drawn as a seeded random sample of nodes
(spring layout on 1,000 nodes is slow and unreadable).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from sim.presentation.plots.style import category_colours, figure_style, new_figure

MAX_NODES = 300
"""Largest number of nodes drawn; above it a random sample of this size is drawn."""

NO_TEAM_COLOUR = "#BBBBBB"
"""Colour of employees in no team (team = -1)."""

MARKERS = ("o", "s", "^", "D")
"""Marker shapes, cycled together with colours when there are more than eight teams."""


def sample_nodes(nodes: Sequence[int], max_nodes: int, seed: int) -> list[int]:
    """All nodes, or a seeded random sample of ``max_nodes`` of them (sorted)."""
    nodes = sorted(set(nodes))
    if len(nodes) <= max_nodes:
        return nodes
    rng = np.random.default_rng(seed)
    return sorted(rng.choice(nodes, size=max_nodes, replace=False).tolist())


def shared_layout(
    edges: Mapping[int, pd.DataFrame],
    nodes: Sequence[int],
    seed: int,
) -> dict[int, np.ndarray]:
    """One spring layout for ``nodes`` over the union of the snapshots' ties."""
    g = nx.Graph()
    g.add_nodes_from(nodes)
    keep = set(nodes)
    for df in edges.values():
        for s, t, w in zip(df["source"], df["target"], df["weight"], strict=True):
            if s in keep and t in keep and s != t:
                prev = g.get_edge_data(s, t, {"weight": 0.0})["weight"]
                g.add_edge(s, t, weight=max(prev, float(w)))
    return nx.spring_layout(g, seed=seed, weight="weight", k=1.5 / np.sqrt(max(len(nodes), 1)))


def _team_snapshot(agents: pd.DataFrame) -> pd.Series:
    """Team per employee from the snapshot with the most team members."""
    counts = agents[agents["team"] >= 0].groupby("week").size()
    week = counts.idxmax() if len(counts) else agents["week"].min()
    snap = agents[agents["week"] == week]
    return snap.set_index("unique_id")["team"]


def plot_network(
    edges: Mapping[int, pd.DataFrame],
    agents: pd.DataFrame,
    strategy: str = "",
    seed: int = 0,
    max_nodes: int = MAX_NODES,
) -> Figure:
    """Network at each snapshot week; top row coloured by city, bottom row by team.

    Args:
        edges: week -> DataFrame(source, target, weight) of the informal network.
        agents: agent snapshots (week, unique_id, city, team).
        strategy: strategy name for the title.
        seed: seed of the node sample and the layout.
        max_nodes: sample size above which nodes are sampled.

    Returns:
        The figure. Team colours come from the snapshot with the most team members, so
        the "before" panel shows where future team members sat in the old network.
    """
    weeks = sorted(edges)
    nodes = sample_nodes(agents["unique_id"].unique().tolist(), max_nodes, seed)
    pos = shared_layout(edges, nodes, seed)
    cities = list(dict.fromkeys(agents.sort_values("unique_id")["city"]))
    city_col = category_colours(cities)
    city_of = agents.drop_duplicates("unique_id", keep="last").set_index("unique_id")["city"]
    team_of = _team_snapshot(agents)
    teams = sorted(t for t in team_of.unique() if t >= 0)
    team_col = category_colours(teams)
    team_marker = {t: MARKERS[(i // 8) % len(MARKERS)] for i, t in enumerate(teams)}
    sampled = len(nodes) < agents["unique_id"].nunique()
    with figure_style():
        fig = new_figure(3.6 * len(weeks), 7.4)
        axes = fig.subplots(2, len(weeks), squeeze=False)
        for col, week in enumerate(weeks):
            present = set(agents.loc[agents["week"] == week, "unique_id"])
            shown = [n for n in nodes if n in present]
            df = edges[week]
            keep = df["source"].isin(shown) & df["target"].isin(shown)
            segs = [(pos[s], pos[t]) for s, t in zip(df.loc[keep, "source"],
                                                     df.loc[keep, "target"], strict=True)]
            w = df.loc[keep, "weight"].to_numpy(dtype=float)
            alpha = 0.05 + 0.35 * (w / w.max()) if len(w) and w.max() > 0 else 0.2
            xy = np.array([pos[n] for n in shown]) if shown else np.empty((0, 2))
            for row in range(2):
                ax = axes[row, col]
                ax.add_collection(LineCollection(segs, colors="#777777", linewidths=0.4,
                                                 alpha=alpha))
                if row == 0:
                    colours = [city_col[city_of.get(n)] for n in shown]
                    ax.scatter(xy[:, 0], xy[:, 1], s=10, c=colours, lw=0, zorder=3)
                else:
                    tms = [int(team_of.get(n, -1)) for n in shown]
                    for marker in dict.fromkeys([*MARKERS[:1], *team_marker.values()]):
                        idx = [i for i, t in enumerate(tms)
                               if (t < 0 and marker == MARKERS[0]) or team_marker.get(t) == marker]
                        if not idx:
                            continue
                        colours = [team_col[tms[i]] if tms[i] >= 0 else NO_TEAM_COLOUR
                                   for i in idx]
                        ax.scatter(xy[idx, 0], xy[idx, 1], s=10, c=colours, marker=marker,
                                   lw=0, zorder=3)
                by = "city" if row == 0 else "team"
                ax.set_title(f"week {week}, coloured by {by}")
                ax.set_xlabel("layout x (arbitrary units)")
                ax.set_ylabel("layout y (arbitrary units)")
                ax.set_xticks([])
                ax.set_yticks([])
                ax.grid(False)
                ax.autoscale_view()
        city_handles = [Line2D([], [], ls="", marker="o", color=city_col[c], label=str(c))
                        for c in cities]
        axes[0, -1].legend(handles=city_handles, title="city", loc="center left",
                           bbox_to_anchor=(1.0, 0.5))
        team_handles = [Line2D([], [], ls="", marker=team_marker[t], color=team_col[t],
                               label=f"team {t}") for t in teams]
        team_handles.append(Line2D([], [], ls="", marker="o", color=NO_TEAM_COLOUR,
                                   label="no team"))
        axes[1, -1].legend(handles=team_handles, title="team", loc="center left",
                           bbox_to_anchor=(1.0, 0.5))
        note = f", random sample of {len(nodes)} employees" if sampled else ""
        fig.suptitle(f"Informal network before and after ({strategy}{note})")
    return fig
