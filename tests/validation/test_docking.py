"""Docking with Deffuant et al. (2000): the interaction rule alone, on one dimension.

Configuration (scenarios/docking/deffuant.toml): one city, a complete network with equal
weights, uniform initial opinions, mu = 0.5, no noise, no turnover, no strategy. Published
result: consensus at threshold d = 0.5; for smaller d about 1/(2d) major clusters, an upper
bound in their figure 4.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim import run

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "docking" / "deffuant.toml"
SEEDS = range(4)
MAJOR = 0.05  # a cluster is major when it holds at least 5 % of the population
GAP = 0.02  # opinions further apart than this belong to different clusters


def major_clusters(opinions: np.ndarray) -> int:
    ordered = np.sort(opinions)
    cuts = np.flatnonzero(np.diff(ordered) > GAP)
    sizes = np.diff(np.r_[0, cuts + 1, ordered.size])
    return int(np.sum(sizes >= MAJOR * ordered.size))


def final_clusters(threshold: float, seed: int) -> int:
    res = run(SCENARIO, "none", seed=seed,
              overrides={"interaction.confidence_threshold": threshold,
                         "cities.0.headcount": 300, "network.unit_size": 300})
    last = res.agents[res.agents.week == res.agents.week.max()]
    return major_clusters(last["value_opinion"].to_numpy())


def test_consensus_at_threshold_one_half():
    assert [final_clusters(0.5, s) for s in SEEDS] == [1] * len(SEEDS)


@pytest.mark.parametrize("threshold", [0.2, 0.15, 0.1])
def test_about_one_over_2d_major_clusters(threshold):
    counts = np.array([final_clusters(threshold, s) for s in SEEDS])
    bound = 1 / (2 * threshold)
    assert np.all(counts <= np.floor(bound) + 1e-9)  # the published upper bound
    assert counts.mean() >= np.floor(bound) - 1.5  # and not far below it
    assert counts.mean() > 1.5  # consensus is the exception below the critical threshold
