"""Derived outcomes on hand-built runs with known answers, and on a real classroom run."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.experiments import outcomes as oc

ROOT = Path(__file__).resolve().parents[1]
DIMS = ("clan", "adhocracy", "market", "hierarchy")


def _ts(distance: list[float], divergence: list[float], cost: list[float]) -> pd.DataFrame:
    n = len(distance)
    return pd.DataFrame({"week": np.arange(n), "distance_to_target": distance,
                         "city_divergence": divergence, "cost_cum": cost})


def test_first_sustained_week_needs_a_full_streak() -> None:
    weeks = np.arange(10)
    cond = np.array([0, 1, 0, 1, 1, 1, 1, 0, 0, 0], dtype=bool)
    assert oc.first_sustained_week(weeks, cond, sustain=4) == 3
    assert oc.first_sustained_week(weeks, cond, sustain=5) is not None
    assert math.isnan(oc.first_sustained_week(weeks, cond, sustain=5))
    # a streak cut off by the end of the run is censored
    assert math.isnan(oc.first_sustained_week(weeks, np.r_[np.zeros(8), np.ones(2)] > 0, 4))


def test_run_outcomes_known_answers() -> None:
    # 8 weeks, intervention ends at week 5
    distance = [0.40, 0.35, 0.30, 0.25, 0.22, 0.20, 0.24, 0.25]   # gain 0.20, keep 0.15
    divergence = [0.20, 0.15, 0.12, 0.09, 0.08, 0.08, 0.09, 0.09]  # <= 0.10 from week 3
    cost = [0, 100, 200, 300, 400, 500, 500, 600]
    out = oc.run_outcomes(_ts(distance, divergence, cost), {"intervention_weeks": 5})
    assert out["weeks_to_integration"] == 3
    assert out["integration_reached"] == 1.0
    # distance <= 0.5 * 0.40 only in week 5, then back up: not sustained, so not reached
    assert math.isnan(out["weeks_to_alignment"])
    assert out["alignment_reached"] == 0.0
    assert out["alignment_gain_intervention"] == pytest.approx(20.0)
    assert out["alignment_gain_final"] == pytest.approx(15.0)
    assert out["durability"] == pytest.approx(0.75)
    assert out["cost_total"] == 600
    assert out["cost_per_alignment_point"] == pytest.approx(600 / 15.0)
    assert out["distance_to_target_end_intervention"] == 0.20
    assert out["distance_to_target_final"] == 0.25
    assert out["cost_cum_end_intervention"] == 500


def test_outflow_per_year_by_hand() -> None:
    """104 weeks, 1000 then 980 people (mean 990), 198 leavers: 10 % a year."""
    ts = _ts([0.3] * 105, [0.1] * 105, [0] * 105)
    ts["headcount"] = np.r_[np.full(52, 1000), np.full(53, 980)]
    ts["leavers_cum"] = np.linspace(0, 198, 105)
    expected = 100 * 198 / ts["headcount"].mean() / 2
    assert oc.run_outcomes(ts, {"intervention_weeks": 52})["outflow_per_year"] == \
        pytest.approx(expected)
    assert math.isnan(oc.run_outcomes(_ts([0.3] * 5, [0.1] * 5, [0] * 5),
                                      {"intervention_weeks": 2})["outflow_per_year"])


def test_the_case_loses_near_the_published_outflow_under_every_strategy() -> None:
    """The comparison reports outflow per strategy; under the case's defaults it stays near
    8.8 %/yr (a strategy that drove people out would show here)."""
    from sim import run

    for strategy in ("none", "training", "teams"):
        res = run(ROOT / "scenarios" / "case.toml", strategy=strategy, seed=2)
        rate = oc.run_outcomes(res.timeseries, res.meta)["outflow_per_year"]
        assert 6.5 < rate < 11.0, (strategy, rate)


def test_run_outcomes_alignment_needs_sustain() -> None:
    distance = [0.40, 0.30, 0.20, 0.19, 0.18, 0.17, 0.30, 0.30]
    out = oc.run_outcomes(_ts(distance, [0.1] * 8, [0] * 8), {"intervention_weeks": 5})
    assert out["weeks_to_alignment"] == 2
    assert math.isnan(out["weeks_to_integration"])  # divergence never halves
    assert out["integration_reached"] == 0.0


def test_undefined_ratios_are_nan_not_errors() -> None:
    flat = oc.run_outcomes(_ts([0.3] * 6, [0.1] * 6, [0] * 6), {"intervention_weeks": 3})
    assert math.isnan(flat["durability"])
    assert math.isnan(flat["cost_per_alignment_point"])
    no_followup = oc.run_outcomes(_ts([0.4, 0.3, 0.2], [0.1] * 3, [0, 5, 10]),
                                  {"intervention_weeks": 5})
    assert math.isnan(no_followup["durability"])
    assert no_followup["cost_per_alignment_point"] == pytest.approx(10 / 20.0)


def _agents(city_means: dict[str, dict[int, list[float]]], n: int = 20) -> pd.DataFrame:
    """Snapshots with every employee exactly at the city mean (so means are exact)."""
    rows = []
    uid = 0
    for city, by_week in city_means.items():
        for _ in range(n):
            uid += 1
            for week, mean in by_week.items():
                rows.append({"week": week, "unique_id": uid, "city": city, "team": -1,
                             **{f"value_{d}": v for d, v in zip(DIMS, mean, strict=True)}})
    return pd.DataFrame(rows)


TARGET = dict.fromkeys(DIMS, 0.5)


@pytest.mark.parametrize(
    ("a_end", "b_end", "mode_a"),
    [
        # both move halfway to each other: mutual convergence
        ([0.3, 0.5, 0.5, 0.5], [0.3, 0.5, 0.5, 0.5], "integration"),
        # A moves all the way to B, B stays: A is absorbed
        ([0.4, 0.5, 0.5, 0.5], [0.4, 0.5, 0.5, 0.5], "assimilation"),
        # nobody moves
        ([0.2, 0.5, 0.5, 0.5], [0.4, 0.5, 0.5, 0.5], "separation"),
        # A moves far but sideways, not toward B
        ([0.2, 0.9, 0.5, 0.5], [0.4, 0.5, 0.5, 0.5], "deculturation"),
    ],
)
def test_acculturation_modes(a_end: list[float], b_end: list[float], mode_a: str) -> None:
    agents = _agents({"A": {0: [0.2, 0.5, 0.5, 0.5], 10: a_end},
                      "B": {0: [0.4, 0.5, 0.5, 0.5], 10: b_end}})
    table = oc.acculturation(agents, TARGET).set_index("city")
    assert table.loc["A", "mode"] == mode_a


def test_acculturation_scores_by_hand() -> None:
    agents = _agents({"A": {0: [0.2, 0.5, 0.5, 0.5], 10: [0.35, 0.5, 0.5, 0.5]},
                      "B": {0: [0.4, 0.5, 0.5, 0.5], 10: [0.4, 0.5, 0.5, 0.5]}})
    a = oc.acculturation(agents, TARGET).set_index("city").loc["A"]
    assert a["convergence"] == pytest.approx(0.75)  # gap 0.2 -> 0.05
    assert a["own_share"] == pytest.approx(1.0)     # B did not move
    assert a["movement"] == pytest.approx(0.75)     # moved 0.15 of a 0.2 gap
    assert a["target_adoption"] == pytest.approx(0.5)  # 0.3 from target -> 0.15
    assert a["mode"] == "assimilation"
    b = oc.acculturation(agents, TARGET).set_index("city").loc["B"]
    assert b["own_share"] == pytest.approx(0.0) and b["mode"] == "integration"


def test_single_city_is_undefined() -> None:
    agents = _agents({"A": {0: [0.2] * 4, 5: [0.3] * 4}})
    assert oc.acculturation(agents, TARGET)["mode"].tolist() == ["undefined"]


def test_mode_shares() -> None:
    table = pd.DataFrame({
        "strategy": ["x"] * 4, "city": ["A", "A", "A", "B"],
        "mode": ["integration", "integration", "separation", "assimilation"],
        "convergence": [0.6, 0.7, 0.1, 0.9], "own_share": [0.5] * 4,
        "movement": [0.3] * 4, "target_adoption": [0.2] * 4})
    shares = oc.mode_shares(table).set_index("city")
    assert shares.loc["A", "share_integration"] == pytest.approx(2 / 3)
    assert shares.loc["A", "modal_mode"] == "integration"
    assert shares.loc["B", "share_assimilation"] == 1.0
    assert shares.loc["A", "mean_convergence"] == pytest.approx(1.4 / 3)


def test_labels_carry_units() -> None:
    assert oc.label("distance_to_target_final") == \
        "Distance to target culture at end (normalised, 0-1)"
    assert oc.label("cost_per_alignment_point").endswith("(EUR per percentage point)")


def test_outcomes_of_a_real_classroom_run() -> None:
    from sim import run

    res = run(ROOT / "scenarios" / "classroom.toml", strategy="training", seed=1)
    out = oc.run_outcomes(res.timeseries, res.meta)
    ts = res.timeseries
    wi = res.meta["intervention_weeks"]
    d0 = ts["distance_to_target"].iloc[0]
    assert out["alignment_gain_final"] == pytest.approx(
        100 * (d0 - ts["distance_to_target"].iloc[-1]))
    assert out["distance_to_target_end_intervention"] == pytest.approx(
        ts.loc[ts["week"] == wi, "distance_to_target"].iloc[0])
    assert out["cost_total"] > 0
    acc = oc.acculturation(res.agents, res.meta["target"])
    assert set(acc["city"]) == set(res.meta["cities"])
    assert set(acc["mode"]) <= set(oc.MODES)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(min_value=0.01, max_value=1.0), min_size=3, max_size=40),
    st.lists(st.floats(min_value=0.0, max_value=1.0), min_size=3, max_size=40),
    st.integers(min_value=1, max_value=45),
)
def test_run_outcomes_invariants(distance: list[float], divergence: list[float],
                                 intervention: int) -> None:
    n = min(len(distance), len(divergence))
    ts = _ts(distance[:n], divergence[:n], list(np.linspace(0, 1000, n)))
    out = oc.run_outcomes(ts, {"intervention_weeks": intervention})
    assert out["alignment_gain_final"] == pytest.approx(100 * (distance[0] - distance[n - 1]))
    t = out["weeks_to_integration"]
    assert out["integration_reached"] == float(not math.isnan(t))
    if not math.isnan(t):
        # the condition holds from the reported week for SUSTAIN_WEEKS weeks ...
        window = np.asarray(divergence[int(t):int(t) + oc.SUSTAIN_WEEKS])
        assert len(window) == oc.SUSTAIN_WEEKS
        assert (window <= 0.5 * divergence[0]).all()
        # ... and no earlier week starts such a streak
        for w in range(int(t)):
            earlier = np.asarray(divergence[w:w + oc.SUSTAIN_WEEKS])
            assert not (len(earlier) == oc.SUSTAIN_WEEKS
                        and (earlier <= 0.5 * divergence[0]).all())
    d = out["durability"]
    if not math.isnan(d):
        assert d == pytest.approx(out["alignment_gain_final"]
                                  / out["alignment_gain_intervention"])
