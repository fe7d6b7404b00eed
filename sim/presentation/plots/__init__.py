"""Figures of a strategy comparison, drawn from saved tables only (never by rerunning).

Each figure function takes DataFrames as saved by ``sim.experiments.compare`` and returns a
``matplotlib.figure.Figure``; ``draw_all`` draws the standard set (DESIGN section 6) and
writes each as PNG and SVG. Importing this package draws nothing and changes no global
matplotlib setting.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from sim.presentation.plots.cost import plot_cost_alignment
from sim.presentation.plots.counterfactual import plot_ce_plane, plot_ceac, plot_effects
from sim.presentation.plots.network import plot_network
from sim.presentation.plots.paired import plot_paired
from sim.presentation.plots.style import save_figure
from sim.presentation.plots.timeseries import plot_timeseries
from sim.presentation.plots.valuespace import plot_value_space

__all__ = [
    "draw_all",
    "plot_ce_plane",
    "plot_ceac",
    "plot_cost_alignment",
    "plot_effects",
    "plot_network",
    "plot_paired",
    "plot_timeseries",
    "plot_value_space",
]


def _edges_by_week(edges: pd.DataFrame) -> dict[int, pd.DataFrame]:
    """Split a long edges table (week, source, target, weight) into week -> table."""
    return {int(w): g[["source", "target", "weight"]] for w, g in edges.groupby("week")}


def draw_all(tables: Mapping[str, Any], fig_dir: Path | str) -> dict[str, list[Path]]:
    """Draw the standard figures of a comparison and save them as PNG and SVG.

    Args:
        tables: saved results as loaded by ``sim.experiments.compare.load_tables``: ``weekly``,
            ``paired``, ``outcomes``, ``agents``, ``edges`` (DataFrames, the last two may be
            empty) and ``manifest`` (dict with ``strategies``, ``intervention_weeks``,
            ``target`` and ``base_seed``).
        fig_dir: output folder.

    Returns:
        Figure name -> written paths. Figures whose input is missing are skipped.
    """
    manifest = tables["manifest"]
    strategies = list(manifest["strategies"])
    written: dict[str, list[Path]] = {}

    def keep(name: str, fig: Any) -> None:
        written[name] = save_figure(fig, fig_dir, name)

    weekly = tables.get("weekly")
    if weekly is not None and not weekly.empty:
        keep("timeseries", plot_timeseries(weekly, int(manifest["intervention_weeks"]),
                                           strategies=strategies))
    paired = tables.get("paired")
    if paired is not None and not paired.empty:
        keep("paired_differences", plot_paired(paired))
    outcomes = tables.get("outcomes")
    if outcomes is not None and not outcomes.empty:
        keep("cost_alignment", plot_cost_alignment(outcomes, strategies))
    weekly_effects = tables.get("counterfactual_weekly")
    if weekly_effects is not None and not weekly_effects.empty:
        keep("effect_over_none", plot_effects(weekly_effects, int(manifest["intervention_weeks"]),
                                              strategies))
    ce_plane = tables.get("ce_plane")
    if ce_plane is not None and not ce_plane.empty:
        keep("ce_plane", plot_ce_plane(ce_plane, strategies))
    ceac = tables.get("ceac")
    if ceac is not None and not ceac.empty:
        keep("ceac", plot_ceac(ceac, strategies))
    agents = tables.get("agents")
    edges = tables.get("edges")
    if agents is not None and not agents.empty:
        keep("value_space", plot_value_space(agents, manifest.get("target"), strategies))
        if edges is not None and not edges.empty:
            for strategy in strategies:
                e = edges[edges["strategy"] == strategy]
                a = agents[agents["strategy"] == strategy]
                if e.empty or a.empty:
                    continue
                keep(f"network_{_slug(strategy)}",
                     plot_network(_edges_by_week(e), a, strategy,
                                  seed=int(manifest.get("base_seed", 0))))
    return written


def _slug(name: str) -> str:
    """File-name-safe version of a strategy name ("teams+training" -> "teams-training")."""
    return "".join(ch if ch.isalnum() else "-" for ch in name)
