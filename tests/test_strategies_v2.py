"""Dose links cost and effect; receptivity; peer support; the time ledger."""

from __future__ import annotations

import numpy as np
import pytest

from sim import MergerModel, run
from sim.rules.dose import dose_factor, saturation
from sim.scenario import Scenario, apply_overrides


def test_dose_factor_is_one_at_the_reference_and_has_diminishing_returns():
    assert dose_factor(4.0, 4.0, 2.0) == pytest.approx(1.0)
    assert dose_factor(0.0, 4.0, 2.0) == 0.0
    assert saturation(2.0, 2.0) == pytest.approx(0.5)
    gains = np.diff([dose_factor(d, 4.0, 2.0) for d in (0, 2, 4, 6, 8)])
    assert np.all(gains > 0) and np.all(np.diff(gains) < 0)


def test_training_days_set_both_cost_and_effect():
    """Doubling the programme's days doubles its cost and raises (less than doubles) its
    effect on the trainees' alignment."""
    sc = apply_overrides(Scenario(), {"horizon.intervention_weeks": 10,
                                      "horizon.followup_weeks": 0, "turnover.enabled": False,
                                      "diffusion.enabled": False})
    shifts, costs = {}, {}
    for days in (2.0, 4.0, 8.0):
        model = MergerModel(sc, "training", seed=1,
                            overrides={"training.days_per_trainee": days})
        start = model.values.copy()
        for _ in range(10):
            model.step()
        trained = model.strategy.trained_week >= 0
        # the first week's shift only, read from the learned (fading) part
        shifts[days] = np.abs(model.values[trained] - start[trained]).mean()
        costs[days] = model.costs["training"]
    assert costs[8.0] == pytest.approx(2 * costs[4.0]) == pytest.approx(4 * costs[2.0])
    assert shifts[2.0] < shifts[4.0] < shifts[8.0] < 2 * shifts[4.0]


def test_receptivity_scales_what_trainees_take_up():
    """Two trainees with the same values: the one with the stronger contract moves further."""
    sc = apply_overrides(Scenario(), {"training.cohort_size": 1000})
    model = MergerModel(sc, "training", seed=2)
    model.contract[:] = 0.5
    model.contract[0], model.contract[1] = 0.2, 0.9
    model.values[1] = model.values[0]
    before = model.values[[0, 1]].copy()
    model.strategy.train(model)
    moved = np.abs(model.values[[0, 1]] - before).sum(axis=1)
    assert moved[1] > moved[0] > 0


def test_peer_support_costs_time_and_changes_the_run():
    sc = apply_overrides(Scenario(), {"horizon.intervention_weeks": 30,
                                      "horizon.followup_weeks": 0})
    on = run(sc, "training", seed=3, overrides={"training.peer_support": True})
    off = run(sc, "training", seed=3)
    assert on.meta["hours_by_category"]["peer_support"] > 0
    assert "peer_support" not in off.meta["hours_by_category"]
    assert (on.timeseries["distance_to_target"].iloc[-1]
            != off.timeseries["distance_to_target"].iloc[-1])


def test_session_hours_set_the_working_contacts():
    """More session hours: more cost, more cross-city ties built in the teams."""
    sc = apply_overrides(Scenario(), {"horizon.intervention_weeks": 40,
                                      "horizon.followup_weeks": 0})
    low = run(sc, "teams", seed=4, overrides={"teams.session_hours": 1.0}).timeseries.iloc[-1]
    high = run(sc, "teams", seed=4, overrides={"teams.session_hours": 6.0}).timeseries.iloc[-1]
    assert high["cost_cum"] > low["cost_cum"]
    assert high["cross_city_ties"] > low["cross_city_ties"]


def test_assigned_teams_differ_from_teams_in_self_selection_only():
    """`assigned-teams` equals `teams` with teams.self_selection off, bit for bit."""
    sc = apply_overrides(Scenario(), {"horizon.intervention_weeks": 30,
                                      "horizon.followup_weeks": 0})
    assigned = run(sc, "assigned-teams", seed=5).timeseries
    switched = run(sc, "teams", seed=5, overrides={"teams.self_selection": False}).timeseries
    assert assigned.equals(switched)


def test_every_hour_booked_is_in_the_ledger():
    res = run("classroom", "teams+training", seed=6)
    hours = res.meta["hours_by_category"]
    final = res.timeseries.iloc[-1]
    assert final["hours_per_employee"] == pytest.approx(
        sum(hours.values()) / res.timeseries["headcount"].iloc[0])
    assert {"training_days", "team_sessions", "value_work", "diffusion"} <= set(hours)


def test_training_can_reach_implemented_improvements_through_transfer_projects():
    """The improvement part of client value is open to training (action learning), at the
    cost of the project hours; switched off (the case's default) it earns none."""
    sc = apply_overrides(Scenario(), {"horizon.intervention_weeks": 30,
                                      "horizon.followup_weeks": 20})
    off = run(sc, "training", seed=5)
    on = run(sc, "training", seed=5, overrides={"training.transfer_projects": True})
    assert off.timeseries["proposals_accepted"].iloc[-1] == 0
    assert "transfer_projects" not in off.meta["hours_by_category"]
    assert on.meta["hours_by_category"]["transfer_projects"] > 0
    assert on.timeseries["proposals_accepted"].iloc[-1] > 0
    assert on.timeseries["cost_cum"].iloc[-1] > off.timeseries["cost_cum"].iloc[-1]
    assert on.timeseries["client_value"].iloc[-1] > off.timeseries["client_value"].iloc[-1]


def test_transfer_projects_without_hours_do_nothing():
    sc = apply_overrides(Scenario(), {"horizon.intervention_weeks": 20,
                                      "horizon.followup_weeks": 0})
    base = run(sc, "training", seed=6).timeseries
    idle = run(sc, "training", seed=6, overrides={"training.transfer_projects": True,
                                                  "training.project_hours": 0.0}).timeseries
    assert idle.equals(base)
