"""Whole-model invariants (hypothesis), reproducibility and common random numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim import MergerModel, run
from sim.metrics import OUTPUTS
from sim.scenario import Scenario, apply_overrides
from sim.strategies import STRATEGIES

DIMS = ("clan", "adhocracy", "market", "hierarchy")


@st.composite
def small_scenarios(draw) -> Scenario:
    """Valid small scenarios with every toggle drawn."""
    n_cities = draw(st.integers(1, 3))
    profile = st.fixed_dictionaries({d: st.floats(0, 1) for d in DIMS})
    cities = [{"name": f"c{i}", "headcount": draw(st.integers(3, 40)), "mean": draw(profile),
               "spread": draw(st.floats(0, 0.3)), "tie_density": draw(st.floats(0, 0.5)),
               "distribution": draw(st.sampled_from(["normal", "uniform"]))}
              for i in range(n_cities)]
    n_themes = draw(st.integers(0, 4))
    data = {
        "name": "hyp",
        "cities": cities,
        "themes": [{"name": f"t{i}", "profile": draw(profile)} for i in range(n_themes)],
        "culture": {"target": draw(profile)},
        "horizon": {"intervention_weeks": draw(st.integers(0, 12)),
                    "followup_weeks": draw(st.integers(0, 6))},
        "network": {"unit_size": draw(st.integers(2, 15)),
                    "cross_city_degree": draw(st.floats(0, 3)),
                    "closure_rate": draw(st.floats(0, 0.3)),
                    "decay": draw(st.floats(0, 0.2))},
        "interaction": {"confidence_threshold": draw(st.floats(0, 1)),
                        "convergence_rate": draw(st.floats(0, 0.5)),
                        "noise_sd": draw(st.floats(0, 0.05)),
                        "contacts_per_week": draw(st.integers(0, 5))},
        "turnover": {"enabled": draw(st.booleans()),
                     "annual_exit_rate": draw(st.floats(0, 0.9)),
                     "vacancy_weeks": draw(st.integers(0, 5))},
        "hiring": {"candidates_per_vacancy": draw(st.integers(1, 5))},
        "merger": {"enabled": draw(st.booleans()),
                   "identification_shock": draw(st.floats(0, 1)),
                   "lasting_loss": draw(st.floats(0, 1)),
                   "recovery_rate": draw(st.floats(0, 1))},
        "training": {"cohort_size": draw(st.integers(0, 20)),
                     "refresher": draw(st.booleans()),
                     "peer_support": draw(st.booleans()),
                     "transfer_projects": draw(st.booleans())},
        "teams": {"theme_count": draw(st.none() | st.integers(0, n_themes)),
                  **{part: draw(st.booleans()) for part in (
                      "self_selection", "open_call", "sessions", "value_work",
                      "external_activities", "pitch", "behaviour_support")}},
        "diffusion": {"enabled": draw(st.booleans())},
        "contract": {"receptivity_slope": draw(st.floats(0, 4))},
    }
    return Scenario.model_validate(data)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=small_scenarios(), strategy=st.sampled_from(sorted(STRATEGIES)),
       seed=st.integers(0, 2**31 - 1))
def test_invariants_hold_every_week(scenario, strategy, seed):
    model = MergerModel(scenario, strategy=strategy, seed=seed)
    initial = int(model.active.sum())
    previous_cost = previous_hours = previous_improvements = 0.0
    for _ in range(scenario.horizon.total_weeks):
        model.step()
        act = model.active
        # values stay in [0, 1]
        assert np.all(model.values >= 0) and np.all(model.values <= 1)
        assert np.all((model.contract >= 0) & (model.contract <= 1))
        assert np.all((model.engagement >= 0) & (model.engagement <= 1))
        # identification never exceeds its pre-merger level and hires carry no merger loss
        assert np.all((model.identification >= 0)
                      & (model.identification <= model.config.merger.pre_identification + 1e-12))
        assert np.all(model.merger_loss[act & (model.tenure < model.week)] == 0.0)
        # headcount bookkeeping is exact: nobody lost or duplicated
        assert act.sum() == initial - model.leavers_cum + model.hires_cum
        assert len(model.agents) == act.sum()
        assert sorted(a.slot for a in model.agents) == np.flatnonzero(act).tolist()
        assert len({a.unique_id for a in model.agents}) == len(model.agents)
        # vacancies hold no ties and belong to no team
        assert not np.any(~act[model.ties.u]) and not np.any(~act[model.ties.v])
        assert np.all(model.team[~act] == -1)
        # costs never decrease
        assert model.cost_cum >= previous_cost
        previous_cost = model.cost_cum
        # time spent and implemented improvements never decrease either
        assert model.hours_cum >= previous_hours
        assert model.improvements >= previous_improvements
        previous_hours, previous_improvements = model.hours_cum, model.improvements
        # receptivity stays within its bounds; members of a team are employed
        receptivity = model.receptivity()
        assert np.all((receptivity >= 0) & (receptivity <= 2))
        assert np.all(act[model.team >= 0])
        # every output is finite
        assert all(np.isfinite(v) for v in model.observables.values())


def test_outputs_have_every_column_and_week_zero():
    res = run("classroom", "training", seed=1, weeks=5)
    assert list(res.timeseries.columns) == ["week", *OUTPUTS]
    assert res.timeseries["week"].tolist() == list(range(6))
    assert {"value_clan", "value_hierarchy", "city", "team", "contract", "degree"} <= set(
        res.agents.columns)
    assert sorted(res.agents["week"].unique()) == [0, 5]


@pytest.mark.parametrize("strategy", sorted(STRATEGIES))
def test_same_seed_same_bytes(short_classroom, strategy):
    a = run(short_classroom, strategy, seed=7)
    b = run(short_classroom, strategy, seed=7)
    pd.testing.assert_frame_equal(a.timeseries, b.timeseries, check_exact=True)
    pd.testing.assert_frame_equal(a.agents, b.agents, check_exact=True)


def test_different_seeds_differ(short_classroom):
    a = run(short_classroom, "training", seed=1)
    b = run(short_classroom, "training", seed=2)
    assert not a.timeseries.equals(b.timeseries)


def test_week_zero_is_identical_across_strategies(short_classroom):
    runs = {s: run(short_classroom, s, seed=11) for s in STRATEGIES}
    first = next(iter(runs.values()))
    for res in runs.values():
        pd.testing.assert_frame_equal(res.timeseries.iloc[[0]], first.timeseries.iloc[[0]])
        pd.testing.assert_frame_equal(res.agents[res.agents.week == 0],
                                      first.agents[first.agents.week == 0])


def test_agents_are_views_onto_the_model_arrays(classroom):
    model = MergerModel(classroom, "none", seed=0)
    agent = next(iter(model.agents))
    agent.values = np.full(len(model.dimensions), 0.25)
    assert np.all(model.values[agent.slot] == 0.25)
    model.values[agent.slot, 0] = 0.75
    assert agent.values[0] == 0.75
    assert agent.city in model.city_names


def test_training_moves_the_culture_toward_the_target_and_costs_money():
    sc = apply_overrides(Scenario(), {"horizon.intervention_weeks": 52,
                                      "horizon.followup_weeks": 0})
    none = run(sc, "none", seed=3).timeseries.iloc[-1]
    trained = run(sc, "training", seed=3).timeseries.iloc[-1]
    assert trained["distance_to_target"] < none["distance_to_target"] - 0.01
    assert trained["cost_cum"] > none["cost_cum"]


def test_training_fades_without_intervention():
    """After the programme stops, the trained culture drifts back (the relapse)."""
    sc = apply_overrides(Scenario(), {"horizon.intervention_weeks": 52,
                                      "horizon.followup_weeks": 52,
                                      "turnover.enabled": False,
                                      "interaction.noise_sd": 0.0})
    ts = run(sc, "training", seed=5).timeseries
    assert ts["distance_to_target"].iloc[-1] > ts["distance_to_target"].iloc[52] + 0.005


def test_turnover_matches_the_published_outflow_roughly():
    sc = apply_overrides(Scenario(), {"horizon.intervention_weeks": 52,
                                      "horizon.followup_weeks": 0})
    ts = run(sc, "none", seed=4).timeseries
    yearly = ts["leavers_cum"].iloc[-1] / ts["headcount"].iloc[0]
    # the hazard is calibrated to 8.8 % a year on the merger's expected path; one seed-year of
    # ~90 leavers varies by about a point (tests/validation/test_outflow.py checks the band)
    assert 0.06 < yearly < 0.12


@pytest.mark.parametrize("strategy", ["training", "teams"])
def test_hofstede_frame_runs_with_six_dimensions(strategy):
    res = run("hofstede-two-cities", strategy, seed=2, weeks=20)
    assert len(res.meta["dimensions"]) == 6
    assert {"value_results_oriented", "value_pragmatic"} <= set(res.agents.columns)
    ts = res.timeseries
    assert ts["distance_to_target"].iloc[-1] < ts["distance_to_target"].iloc[0]
