"""Statistics of the compare workflow, checked against scipy and known answers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from sim.experiments.stats import (
    StoppingRule,
    mean_interval,
    paired_difference,
    paired_table,
    proportion_interval,
    relative_precision,
    summarise,
    weekly_intervals,
    welch_difference,
)

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


def test_mean_interval_matches_scipy_t_interval() -> None:
    x = np.random.default_rng(1).normal(10.0, 2.0, size=25)
    ci = mean_interval(x, 0.95)
    low, high = sps.t.interval(0.95, df=24, loc=x.mean(), scale=sps.sem(x))
    assert ci.n == 25
    assert ci.low == pytest.approx(low, rel=1e-12)
    assert ci.high == pytest.approx(high, rel=1e-12)
    assert ci.sd == pytest.approx(x.std(ddof=1))


def test_mean_interval_known_answer_by_hand() -> None:
    # x = 1..5: mean 3, sd sqrt(2.5), t_{0.975,4} = 2.7764451051977987
    ci = mean_interval([1, 2, 3, 4, 5])
    half = 2.7764451051977987 * math.sqrt(2.5) / math.sqrt(5)
    assert ci.mean == 3.0
    assert ci.half_width == pytest.approx(half, rel=1e-12)
    assert (ci.low, ci.high) == pytest.approx((3 - half, 3 + half), rel=1e-12)


def test_mean_interval_drops_nan_and_handles_tiny_samples() -> None:
    assert mean_interval([1.0, np.nan, 3.0]).n == 2
    assert mean_interval([1.0, np.nan, 3.0]).mean == 2.0
    one = mean_interval([4.0])
    assert one.mean == 4.0 and one.n == 1 and math.isnan(one.half_width)
    assert mean_interval([]).n == 0 and math.isnan(mean_interval([]).mean)


def test_interval_coverage_is_nominal_on_known_distribution() -> None:
    """About 95 % of intervals contain the true mean (2,000 samples of n = 10, skewed)."""
    rng = np.random.default_rng(2024)
    true_mean = 3.0
    hits = 0
    trials = 2000
    for _ in range(trials):
        x = rng.gamma(shape=9.0, scale=true_mean / 9.0, size=10)
        ci = mean_interval(x)
        hits += ci.low <= true_mean <= ci.high
    # binomial sd at 0.95 is 0.0049; allow 3 sd plus a little skew bias
    assert abs(hits / trials - 0.95) < 0.02


def test_paired_difference_matches_scipy_ttest_rel() -> None:
    rng = np.random.default_rng(7)
    base = rng.normal(0.0, 3.0, size=30)
    a = base + rng.normal(0.5, 1.0, size=30)
    b = base + rng.normal(0.0, 1.0, size=30)
    res = paired_difference(a, b)
    ref = sps.ttest_rel(a, b)
    ref_ci = ref.confidence_interval(0.95)
    assert res.mean_diff == pytest.approx(np.mean(a - b))
    assert res.t == pytest.approx(ref.statistic, rel=1e-10)
    assert res.p_value == pytest.approx(ref.pvalue, rel=1e-8)
    assert (res.low, res.high) == pytest.approx((ref_ci.low, ref_ci.high), rel=1e-10)
    d = a - b
    assert res.cohen_dz == pytest.approx(d.mean() / d.std(ddof=1))
    assert res.hedges_gz == pytest.approx(res.cohen_dz * (1 - 3 / (4 * 29 - 1)))


def test_paired_difference_known_answer() -> None:
    # differences are 1, 2, 3: mean 2, sd 1, t = 2 / (1/sqrt 3), d_z = 2
    res = paired_difference([2, 4, 6], [1, 2, 3])
    assert res.mean_diff == 2.0
    assert res.sd_diff == pytest.approx(1.0)
    assert res.t == pytest.approx(2.0 * math.sqrt(3))
    assert res.cohen_dz == pytest.approx(2.0)
    half = sps.t.ppf(0.975, 2) / math.sqrt(3)
    assert (res.low, res.high) == pytest.approx((2 - half, 2 + half))


def test_paired_difference_drops_incomplete_pairs_only() -> None:
    res = paired_difference([1.0, np.nan, 3.0, 5.0], [0.0, 1.0, np.nan, 4.0])
    assert res.n == 2
    assert res.mean_diff == pytest.approx(1.0)
    with pytest.raises(ValueError, match="differ in length"):
        paired_difference([1, 2], [1, 2, 3])


def test_constant_differences_give_zero_width() -> None:
    res = paired_difference([2.0, 3.0, 4.0], [1.0, 2.0, 3.0])
    assert res.mean_diff == 1.0 and res.half_width == 0.0 and res.p_value == 0.0


def test_welch_matches_scipy() -> None:
    rng = np.random.default_rng(3)
    a, b = rng.normal(1.0, 1.0, 20), rng.normal(0.0, 2.0, 35)
    ref = sps.ttest_ind(a, b, equal_var=False).confidence_interval(0.95)
    res = welch_difference(a, b)
    assert (res.low, res.high) == pytest.approx((ref.low, ref.high), rel=1e-10)


def test_pairing_narrows_interval_when_runs_are_correlated() -> None:
    """Common random numbers: a shared seed effect makes the paired interval much narrower."""
    rng = np.random.default_rng(11)
    n = 30
    seed_effect = rng.normal(0.0, 5.0, n)  # what the shared seed does to both strategies
    a = 10.0 + seed_effect + rng.normal(0.0, 0.5, n)
    b = 11.0 + seed_effect + rng.normal(0.0, 0.5, n)
    paired = paired_difference(b, a)
    unpaired = welch_difference(b, a)
    assert np.corrcoef(a, b)[0, 1] > 0.9
    assert paired.half_width < 0.25 * unpaired.half_width
    assert paired.low > 0.0  # the true difference of 1 is detected with pairing
    assert unpaired.low < 0.0 < unpaired.high  # and missed without it
    # with independent runs pairing buys nothing (widths agree within sampling noise)
    c, d = rng.normal(10, 5, n), rng.normal(11, 5, n)
    ratio = paired_difference(d, c).half_width / welch_difference(d, c).half_width
    assert 0.6 < ratio < 1.5


@settings(max_examples=60, deadline=None)
@given(st.lists(finite, min_size=2, max_size=40))
def test_interval_contains_mean_and_is_symmetric(xs: list[float]) -> None:
    ci = mean_interval(xs)
    assert ci.low <= ci.mean <= ci.high
    assert ci.mean - ci.low == pytest.approx(ci.high - ci.mean, abs=1e-6 * (1 + abs(ci.mean)))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(finite, finite), min_size=2, max_size=30))
def test_paired_difference_is_antisymmetric(pairs: list[tuple[float, float]]) -> None:
    a = [p[0] for p in pairs]
    b = [p[1] for p in pairs]
    ab, ba = paired_difference(a, b), paired_difference(b, a)
    assert ab.mean_diff == pytest.approx(-ba.mean_diff, abs=1e-6)
    if math.isfinite(ab.half_width):
        assert ab.half_width == pytest.approx(ba.half_width, rel=1e-9, abs=1e-9)


def test_higher_level_gives_wider_interval() -> None:
    x = np.arange(10.0)
    assert mean_interval(x, 0.99).half_width > mean_interval(x, 0.95).half_width
    with pytest.raises(ValueError, match="level"):
        mean_interval(x, 1.5)


def test_relative_precision() -> None:
    ci = mean_interval([9.0, 10.0, 11.0])
    assert relative_precision([9.0, 10.0, 11.0]) == pytest.approx(ci.half_width / 10.0)
    assert relative_precision([1.0]) == math.inf
    assert relative_precision([-1.0, 1.0]) == math.inf


def test_stopping_rule_starts_at_minimum_and_respects_cap() -> None:
    rule = StoppingRule(precision=0.05, min_replications=10, max_replications=25, batch=5)
    assert rule.next_count(0, {}) == 10
    noisy = {"a": np.random.default_rng(0).normal(1.0, 5.0, 10)}
    assert rule.next_count(10, noisy) == 15
    assert rule.next_count(22, noisy) == 25
    assert rule.next_count(25, noisy) == 25  # cap: stop
    tight = {"a": np.random.default_rng(0).normal(100.0, 0.1, 10)}
    assert rule.next_count(10, tight) == 10  # met: stop


def test_stopping_rule_reaches_target_precision_sequentially() -> None:
    """Simulate the sequential procedure: it stops once the relative half-width <= target."""
    rng = np.random.default_rng(5)
    rule = StoppingRule(precision=0.02, min_replications=10, max_replications=2000, batch=5)
    data = {"a": list(rng.normal(10.0, 1.0, 0)), "b": list(rng.normal(5.0, 1.0, 0))}
    done = 0
    target = rule.next_count(done, data)
    while target > done:
        for key, mu in (("a", 10.0), ("b", 5.0)):
            data[key] += list(rng.normal(mu, 1.0, target - done))
        done = target
        target = rule.next_count(done, data)
    assert done < rule.max_replications
    assert all(relative_precision(v) <= 0.02 for v in data.values())
    # b has the larger coefficient of variation (0.2 vs 0.1), so it decides:
    # n ≈ (1.96 * 0.2 / 0.02)^2 ≈ 384
    assert 250 < done < 550


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"precision": 0}, "precision"), ({"min_replications": 1}, "min_replications"),
     ({"min_replications": 10, "max_replications": 5}, "max_replications"),
     ({"batch": 0}, "batch")],
)
def test_stopping_rule_rejects_bad_settings(kwargs: dict, field: str) -> None:
    with pytest.raises(ValueError, match=field):
        StoppingRule(**kwargs)


def _runs() -> pd.DataFrame:
    rng = np.random.default_rng(9)
    rows = []
    for rep in range(12):
        shared = rng.normal()
        for strat, shift in (("none", 0.0), ("training", 1.0), ("teams", 2.0)):
            rows.append({"strategy": strat, "replication": rep,
                         "y": shared + shift + rng.normal(0, 0.1)})
    return pd.DataFrame(rows)


@pytest.mark.parametrize(("k", "n"), [(0, 30), (7, 30), (26, 30), (30, 30), (1, 2)])
def test_proportion_interval_matches_scipy_wilson(k: int, n: int) -> None:
    ci = proportion_interval([1.0] * k + [0.0] * (n - k))
    ref = sps.binomtest(k, n).proportion_ci(0.95, method="wilson")
    assert ci.mean == pytest.approx(k / n)
    assert (ci.low, ci.high) == pytest.approx((ref.low, ref.high), abs=1e-12)
    assert 0.0 <= ci.low <= ci.mean <= ci.high <= 1.0


def test_summarise_uses_wilson_for_indicators() -> None:
    runs = pd.DataFrame({"strategy": ["a"] * 10 + ["b"] * 10,
                         "reached": [1.0] * 10 + [1.0] * 5 + [0.0] * 5,
                         "y": np.linspace(0, 1, 20)})
    out = summarise(runs, "strategy", ["reached", "y"]).set_index(["strategy", "outcome"])
    assert out.loc[("a", "reached"), "interval"] == "wilson"
    assert out.loc[("a", "reached"), "high"] == 1.0
    assert out.loc[("a", "reached"), "low"] < 1.0  # all 10 reached, yet not certain
    assert out.loc[("b", "y"), "interval"] == "t"


def test_summarise_and_paired_table() -> None:
    runs = _runs()
    summary = summarise(runs, "strategy", ["y"])
    assert list(summary["strategy"]) == ["none", "training", "teams"]
    row = summary[summary["strategy"] == "teams"].iloc[0]
    ref = mean_interval(runs.loc[runs["strategy"] == "teams", "y"])
    assert row["low"] == pytest.approx(ref.low) and row["n"] == 12
    paired = paired_table(runs, ["none", "training", "teams"], ["y"])
    assert len(paired) == 3
    r = paired[(paired["strategy_a"] == "none") & (paired["strategy_b"] == "teams")].iloc[0]
    assert r["mean_diff"] == pytest.approx(2.0, abs=0.1)
    assert r["half_width"] < r["welch_half_width"]


def test_paired_table_pairs_by_replication_not_row_order() -> None:
    runs = _runs()
    shuffled = runs.sample(frac=1.0, random_state=1)
    a = paired_table(runs, ["none", "teams"], ["y"]).iloc[0]
    b = paired_table(shuffled, ["none", "teams"], ["y"]).iloc[0]
    assert a["mean_diff"] == pytest.approx(b["mean_diff"])
    assert a["half_width"] == pytest.approx(b["half_width"])


def test_weekly_intervals() -> None:
    rows = [{"strategy": s, "replication": r, "week": w, "m": w + r}
            for s in ("x", "y") for r in range(4) for w in range(3)]
    out = weekly_intervals(pd.DataFrame(rows), ["m"])
    assert len(out) == 6
    row = out[(out["strategy"] == "x") & (out["week"] == 2)].iloc[0]
    ref = mean_interval([2, 3, 4, 5])
    assert row["mean"] == pytest.approx(3.5)
    assert (row["low"], row["high"]) == pytest.approx((ref.low, ref.high))
