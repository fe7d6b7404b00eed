"""Pattern: the post-merger dip and its partial recovery under ``none``.

Sources: Marks & Mirvis 1986 ("merger syndrome": stress, distrust and us-versus-them after a
merger, easing over months); Weber & Camerer 2003, Management Science 49(4) (performance falls
after a merger and recovers only in part); van Knippenberg, van Knippenberg, Monden & de Lima
2002, British Journal of Social Psychology 41 (post-merger identification depends on how much
of one's own organisation continues; the dominated partner loses more). Mechanism:
docs/ODD.md 7.3a (identification), 7.3 (contract and engagement).
"""

from __future__ import annotations

import numpy as np

from tests.validation.conftest import run_case


def mean_series(runs, column: str) -> np.ndarray:
    return np.mean([r.timeseries[column].to_numpy() for r in runs], axis=0)


def test_engagement_and_contract_fall_in_the_first_months_then_recover(case_runs):
    for column, depth in (("engagement", 0.04), ("contract_strength", 0.03),
                          ("client_value", 0.015)):
        series = mean_series(case_runs, column)
        trough = int(np.argmin(series[:105]))
        # the fall: at least `depth` below the pre-merger level, bottoming out within months
        assert series[trough] < series[0] - depth, column
        assert 8 <= trough <= 39, (column, trough)
        # the recovery: at least half of the loss regained by the end of the second year
        assert series[104] - series[trough] > 0.5 * (series[0] - series[trough]), column
        # and every seed shows the dip, not only the mean
        for run in case_runs:
            own = run.timeseries[column].to_numpy()
            assert own[:40].min() < own[0] - depth / 2, (column, run.seed)


def test_identification_recovers_only_in_part(case_runs):
    series = mean_series(case_runs, "identification")
    pre = 0.7  # merger.pre_identification
    assert series[0] < pre - 0.15  # the shock at the merger
    assert series[104] > series[0] + 0.1  # recovery
    assert series[156] < pre  # ... partial (Weber & Camerer 2003)


def test_the_dominated_smaller_cities_lose_more_identification(case_runs):
    by_size = np.argsort(-case_runs[0].city_headcount)  # largest city first
    for week in (0, 13, 26):
        mean = np.mean([r.city_identification[week] for r in case_runs], axis=0)
        ordered = mean[by_size]
        assert np.all(np.diff(ordered) < 0), (week, ordered)


def test_without_the_merger_shock_there_is_no_dip():
    """The control: switch the mechanism off and the pattern is gone (so the test above
    cannot pass by accident)."""
    run = run_case(0, {"merger.enabled": False})
    engagement = run.timeseries["engagement"].to_numpy()
    assert engagement[:40].min() > engagement[0] - 0.005
    assert np.allclose(run.timeseries["identification"], 0.7)
