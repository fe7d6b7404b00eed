"""Figures: each is written as a valid, non-empty PNG and SVG, and its axes carry labels."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib.image as mpimg
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from sim.experiments import stats
from sim.presentation.plots import (
    draw_all,
    plot_cost_alignment,
    plot_network,
    plot_paired,
    plot_timeseries,
    plot_value_space,
)
from sim.presentation.plots.style import OKABE_ITO, save_figure, strategy_colours
from sim.presentation.plots.valuespace import pca_basis

STRATEGIES = ["none", "training", "teams"]
DIMS = ("clan", "adhocracy", "market", "hierarchy")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _timeseries(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for s_i, s in enumerate(STRATEGIES):
        for rep in range(5):
            for w in range(0, 31):
                rows.append({"strategy": s, "replication": rep, "week": w,
                             "distance_to_target": 0.3 - 0.003 * s_i * w + rng.normal(0, .005),
                             "city_divergence": 0.2 * np.exp(-w / (20 - 5 * s_i)),
                             "cost_cum": 1000.0 * s_i * w, "contract_strength": 0.6,
                             "leavers_cum": w // 5})
    return pd.DataFrame(rows)


def _outcomes(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for s_i, s in enumerate(STRATEGIES):
        for rep in range(8):
            rows.append({"strategy": s, "replication": rep, "seed": rep,
                         "alignment_gain_final": 3 + 2 * s_i + rng.normal(0, .5),
                         "cost_total": 1e5 * s_i + rng.normal(0, 1e4),
                         "distance_to_target_end_intervention":
                             0.25 - .02 * s_i + rng.normal(0, .01),
                         "distance_to_target_final": 0.26 - .02 * s_i + rng.normal(0, .01),
                         "cost_cum_end_intervention": 9e4 * s_i + rng.normal(0, 1e3),
                         "cost_cum_final": 1e5 * s_i + rng.normal(0, 1e3)})
    return pd.DataFrame(rows)


def _agents_edges(rng: np.random.Generator, n: int = 60) -> tuple[pd.DataFrame, pd.DataFrame]:
    cities = np.array(["Noord", "Midden", "Zuid"])[np.arange(n) % 3]
    agents, edges = [], []
    for s in STRATEGIES:
        base = rng.uniform(0.2, 0.8, (n, len(DIMS)))
        for w, shrink in ((0, 1.0), (20, 0.5), (30, 0.4)):
            team = np.where((np.arange(n) % 4 == 0) & (w == 20), np.arange(n) % 9, -1)
            vals = 0.5 + (base - 0.5) * shrink
            for i in range(n):
                agents.append({"strategy": s, "week": w, "unique_id": i + 1, "city": cities[i],
                               "team": int(team[i]),
                               **{f"value_{d}": vals[i, k] for k, d in enumerate(DIMS)}})
            for _ in range(3 * n):
                a, b = rng.integers(1, n + 1, 2)
                if a != b:
                    edges.append({"strategy": s, "week": w, "source": int(a), "target": int(b),
                                  "weight": float(rng.uniform(0.1, 1))})
    return pd.DataFrame(agents), pd.DataFrame(edges)


@pytest.fixture(scope="module")
def tables() -> dict:
    rng = np.random.default_rng(42)
    ts = _timeseries(rng)
    outcomes = _outcomes(rng)
    agents, edges = _agents_edges(rng)
    return {
        "weekly": stats.weekly_intervals(ts, ["distance_to_target", "city_divergence",
                                              "cost_cum", "contract_strength",
                                              "leavers_cum"]),
        "paired": stats.paired_table(outcomes, STRATEGIES,
                                     [c for c in outcomes.columns
                                      if c not in ("strategy", "replication", "seed")]),
        "outcomes": outcomes, "agents": agents, "edges": edges,
        "manifest": {"strategies": STRATEGIES, "intervention_weeks": 20, "base_seed": 0,
                     "target": dict.fromkeys(DIMS, 0.6)},
    }


def assert_labelled(fig: Figure) -> None:
    """Every visible axes has a title, an x label and a y label; the figure has a title."""
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert visible
    assert fig.get_suptitle() or all(ax.get_title() for ax in visible)
    for ax in visible:
        assert ax.get_title(), "axes without a title"
        assert ax.get_xlabel(), f"no x label on {ax.get_title()!r}"
        assert ax.get_ylabel() or ax.get_subplotspec().colspan.start > 0, \
            f"no y label on {ax.get_title()!r}"


def assert_valid_files(paths: list[Path]) -> None:
    png, svg = paths
    assert png.suffix == ".png" and svg.suffix == ".svg"
    data = png.read_bytes()
    assert data[:8] == PNG_MAGIC
    img = mpimg.imread(png)
    assert img.shape[0] > 100 and img.shape[1] > 100
    assert float(np.std(img[..., :3])) > 0.01, "blank image"
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg")
    assert svg.stat().st_size > 1000


def test_timeseries_figure(tables: dict, tmp_path: Path) -> None:
    fig = plot_timeseries(tables["weekly"], 20, strategies=STRATEGIES)
    assert_labelled(fig)
    # intervention shaded, one line per strategy, legend present
    ax = fig.axes[0]
    assert any(p.get_label() == "intervention" for p in ax.patches)
    assert [ln.get_label() for ln in ax.lines] == STRATEGIES
    assert fig.legends
    units = {ax.get_title(): ax.get_ylabel() for ax in fig.axes if ax.get_visible()}
    assert units["Cost (cumulative)"] == "thousand EUR"
    assert_valid_files(save_figure(fig, tmp_path, "timeseries"))


def test_paired_figure(tables: dict, tmp_path: Path) -> None:
    fig = plot_paired(tables["paired"])
    assert_labelled(fig)
    titles = [ax.get_title() for ax in fig.axes]
    assert len(fig.axes[0].get_yticklabels()) == 3  # 3 strategies: all 3 pairs
    assert any("end of intervention" in t for t in titles)
    assert any("end of follow-up" in t for t in titles)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert "teams − none" in labels
    assert_valid_files(save_figure(fig, tmp_path, "paired"))


def test_paired_figure_keeps_baseline_pairs_when_many(tables: dict) -> None:
    strategies = [*STRATEGIES, "assigned-teams"]
    outcomes = tables["outcomes"]
    extra = outcomes[outcomes["strategy"] == "teams"].assign(strategy="assigned-teams")
    paired = stats.paired_table(pd.concat([outcomes, extra]), strategies,
                                ["distance_to_target_final", "cost_cum_final"])
    assert len(paired) == 12  # 6 pairs x 2 outcomes
    fig = plot_paired(paired)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["training − none", "teams − none", "assigned-teams − none"]
    assert "pairs with none" in fig.get_suptitle()


def test_cost_alignment_figure(tables: dict, tmp_path: Path) -> None:
    fig = plot_cost_alignment(tables["outcomes"], STRATEGIES)
    assert_labelled(fig)
    assert "EUR" in fig.axes[0].get_ylabel()
    legend = fig.axes[0].get_legend()
    assert legend is not None and len(legend.get_texts()) == 3
    assert_valid_files(save_figure(fig, tmp_path, "cost"))


def test_network_figure(tables: dict, tmp_path: Path) -> None:
    e = tables["edges"][tables["edges"]["strategy"] == "teams"]
    a = tables["agents"][tables["agents"]["strategy"] == "teams"]
    by_week = {int(w): g for w, g in e.groupby("week")}
    fig = plot_network(by_week, a, "teams", seed=1)
    assert_labelled(fig)
    titles = [ax.get_title() for ax in fig.axes]
    assert "week 0, coloured by city" in titles and "week 30, coloured by team" in titles
    assert_valid_files(save_figure(fig, tmp_path, "network"))


def test_network_samples_large_networks(tables: dict) -> None:
    e = tables["edges"][tables["edges"]["strategy"] == "none"]
    a = tables["agents"][tables["agents"]["strategy"] == "none"]
    fig = plot_network({int(w): g for w, g in e.groupby("week")}, a, "none", max_nodes=20)
    assert "sample of 20" in fig.get_suptitle()
    n_points = sum(len(c.get_offsets()) for c in fig.axes[0].collections[1:])
    assert n_points == 20


def test_value_space_figure(tables: dict, tmp_path: Path) -> None:
    fig = plot_value_space(tables["agents"], tables["manifest"]["target"], STRATEGIES)
    assert_labelled(fig)
    assert fig.axes[0].get_xlabel().startswith("PC1 (")
    assert_valid_files(save_figure(fig, tmp_path, "value_space"))


def test_pca_basis_recovers_main_axis() -> None:
    rng = np.random.default_rng(0)
    t = rng.normal(0, 1, 500)
    x = np.c_[t, 2 * t, rng.normal(0, 0.01, 500), np.zeros(500)]
    _, comps, share = pca_basis(x)
    assert share[0] > 0.99
    assert np.allclose(np.abs(comps[0]), np.array([1, 2, 0, 0]) / np.sqrt(5), atol=1e-3)
    assert comps[0][np.argmax(np.abs(comps[0]))] > 0


def test_draw_all_writes_every_figure(tables: dict, tmp_path: Path) -> None:
    written = draw_all(tables, tmp_path)
    expected = {"timeseries", "paired_differences", "cost_alignment", "value_space",
                "network_none", "network_training", "network_teams"}
    assert set(written) == expected
    for paths in written.values():
        assert_valid_files(paths)


def test_same_tables_give_same_svg(tables: dict, tmp_path: Path) -> None:
    a = save_figure(plot_cost_alignment(tables["outcomes"]), tmp_path / "a", "c")[1]
    b = save_figure(plot_cost_alignment(tables["outcomes"]), tmp_path / "b", "c")[1]
    assert a.read_bytes() == b.read_bytes()


def test_colours_are_okabe_ito_and_stable() -> None:
    colours = strategy_colours(["teams", "training", "custom"])
    assert set(colours.values()) <= set(OKABE_ITO.values())
    assert len(set(colours.values())) == 3
    assert strategy_colours(["training"])["training"] == colours["training"]
