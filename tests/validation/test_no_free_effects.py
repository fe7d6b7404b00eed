"""Pattern tests: no effect without a mechanism that costs time or money (DESIGN section 9).

Each test would fail if a strategy gained on an output through something it does not pay for
(v1: idle teams gained +0.19 client value and a flat engagement bonus), or if a component of
the case were inert (v1: runs were bit-identical with value work on or off).
"""

from __future__ import annotations

import numpy as np
import pytest

from sim import MergerModel, run
from sim.scenario import Scenario, apply_overrides

#: outputs that describe what a strategy does rather than its effect
DESCRIPTIVE = {"cost_cum", "hours_per_employee", "teams_active", "team_cross_city_share",
               "cities_per_team"}

ALL_TEAM_PARTS_OFF = {"teams.sessions": False, "teams.value_work": False,
                      "teams.external_activities": False, "teams.pitch": False,
                      "teams.behaviour_support": False}


@pytest.fixture(scope="module")
def short_case() -> Scenario:
    """The case over one year of intervention and a quarter of follow-up (speed)."""
    return apply_overrides(Scenario(), {"horizon.intervention_weeks": 52,
                                        "horizon.followup_weeks": 13})


def effect_columns(frame) -> list[str]:
    return [c for c in frame.columns if c not in DESCRIPTIVE and c != "week"]


@pytest.mark.parametrize("seed", [0, 1])
def test_teams_with_every_part_switched_off_equal_none(short_case, seed):
    """Sponsors appointed and teams recruited, but no sessions, value work, activities, pitch
    or support: every effect output equals `none`, week by week. The cost differs by exactly
    the hunt's bill (the recruitment conversations happened) and by nothing else."""
    none = run(short_case, "none", seed=seed)
    idle_run = run(short_case, "teams", seed=seed, overrides=ALL_TEAM_PARTS_OFF)
    idle = idle_run.timeseries
    assert idle["teams_active"].max() > 0  # the teams did form
    for column in effect_columns(none.timeseries):
        assert np.array_equal(none.timeseries[column].to_numpy(), idle[column].to_numpy()), \
            column
    extra = {k: v for k, v in idle_run.meta["costs_by_category"].items()
             if v != none.meta["costs_by_category"].get(k)}
    assert set(extra) == {"recruitment"} and extra["recruitment"] > 0
    assert idle["cost_cum"].iloc[-1] == pytest.approx(
        none.timeseries["cost_cum"].iloc[-1] + extra["recruitment"])
    assert set(idle_run.meta["hours_by_category"]) == {"recruitment"}


def weekly(config: Scenario, strategy: str, seed: int, overrides: dict | None = None):
    """A run built directly (``run`` refuses the zero doses these tests need)."""
    model = MergerModel(config, strategy, seed=seed, overrides=overrides)
    for _ in range(model.config.horizon.total_weeks):
        model.step()
    return model.timeseries()


@pytest.mark.parametrize("zero", [{"training.cohort_size": 0},
                                  {"training.days_per_trainee": 0.0}])
def test_training_without_trainees_or_days_equals_none(short_case, zero):
    none = weekly(short_case, "none", 3)
    idle = weekly(short_case, "training", 3, zero)
    for column in none.columns:
        assert np.array_equal(none[column].to_numpy(), idle[column].to_numpy()), column


@pytest.mark.parametrize("zero, off", [
    ({"teams.value_work_hours": 0.0}, {"teams.value_work": False}),
    ({"teams.session_hours": 0.0}, {"teams.sessions": False}),
    ({"teams.coachee_hours": 0.0}, {"teams.behaviour_support": False}),
    ({"teams.support_transfer": 0.0}, {"teams.behaviour_support": False}),
    ({"costs.activity_days": 0.0}, {"teams.external_activities": False}),
])
def test_a_component_at_zero_dose_equals_the_component_switched_off(short_case, zero, off):
    """No effect at no dose: a component given no time is the component switched off, on
    every output, cost included (a part with no hours cannot mark carriers, give autonomy
    or make the contract's team terms count)."""
    at_zero = weekly(short_case, "teams", 9, zero)
    switched_off = weekly(short_case, "teams", 9, off)
    for column in at_zero.columns:
        assert np.array_equal(at_zero[column].to_numpy(), switched_off[column].to_numpy()), \
            column


@pytest.mark.parametrize("part, outputs", [
    ("teams.value_work", ["distance_to_target", "contract_strength"]),
    ("teams.sessions", ["cross_city_ties", "client_value", "engagement"]),
    ("teams.behaviour_support", ["distance_to_target"]),
    ("teams.external_activities", ["distance_to_target"]),
    ("teams.pitch", ["client_value", "proposals_accepted"]),
])
def test_each_team_part_changes_its_outputs_and_its_cost(short_case, part, outputs):
    """No inert part: switching a component off changes the outputs it is named for, and
    lowers the cost (it was paid for)."""
    on = run(short_case, "teams", seed=5).timeseries.iloc[-1]
    off = run(short_case, "teams", seed=5, overrides={part: False}).timeseries.iloc[-1]
    for column in outputs:
        # a real difference, not a rounding: at least 0.1 % of the value
        assert abs(on[column] - off[column]) > 1e-3 * abs(on[column]), column
    assert off["cost_cum"] < on["cost_cum"]


@pytest.mark.parametrize("strategy", ["training", "teams"])
def test_the_contract_changes_how_people_change(short_case, strategy):
    """With receptivity_slope = 0 the contract no longer scales organisation-led change:
    alignment differs; under `none` there is nothing for it to scale."""
    slope_off = {"contract.receptivity_slope": 0.0}
    on = run(short_case, strategy, seed=6).timeseries.iloc[-1]
    off = run(short_case, strategy, seed=6, overrides=slope_off).timeseries.iloc[-1]
    assert on["distance_to_target"] != off["distance_to_target"]
    none_on = run(short_case, "none", seed=6).timeseries
    none_off = run(short_case, "none", seed=6, overrides=slope_off).timeseries
    assert none_on.equals(none_off)


def test_diffusion_is_one_rule_for_every_strategy(short_case):
    """Switching the carrier rule off changes training as well as teams, and saves time."""
    for strategy in ("training", "teams"):
        on = run(short_case, strategy, seed=7).timeseries.iloc[-1]
        off = run(short_case, strategy, seed=7, overrides={"diffusion.enabled": False}
                  ).timeseries.iloc[-1]
        assert on["distance_to_target"] != off["distance_to_target"], strategy
        assert off["hours_per_employee"] < on["hours_per_employee"], strategy


@pytest.mark.parametrize("strategy", ["training", "teams", "assigned-teams", "teams+training"])
def test_no_strategy_gains_without_spending(short_case, strategy):
    """Every strategy that moves the culture has spent time and money beyond `none`."""
    none = run(short_case, "none", seed=8).timeseries.iloc[-1]
    res = run(short_case, strategy, seed=8).timeseries.iloc[-1]
    assert res["distance_to_target"] < none["distance_to_target"]
    assert res["cost_cum"] > none["cost_cum"]
    assert res["hours_per_employee"] > 0 == none["hours_per_employee"]
