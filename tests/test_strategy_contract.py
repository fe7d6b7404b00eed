"""The shared contract every registered strategy must meet (cf. Axelrod-Python's test_player)."""

from __future__ import annotations

import numpy as np
import pytest

from sim import MergerModel
from sim.strategies import STRATEGIES, make_strategy

TEAM_STRATEGIES = {"teams", "assigned-teams", "teams+training"}


def test_registry_holds_the_five_strategies():
    assert set(STRATEGIES) == {"none", "training", "teams", "assigned-teams", "teams+training"}
    with pytest.raises(KeyError, match="known"):
        make_strategy("magic")


@pytest.mark.parametrize("name", sorted(STRATEGIES))
def test_strategy_contract(name, short_classroom):
    cls = STRATEGIES[name]
    assert cls.name == name and cls.summary and cls.__doc__
    model = MergerModel(short_classroom, name, seed=3)
    before = model.values.copy()
    costs = [model.cost_cum]
    teams_seen = 0
    for _ in range(short_classroom.horizon.total_weeks):
        model.step()
        costs.append(model.cost_cum)
        teams_seen = max(teams_seen, model.teams_active)
        assert np.all((model.values >= 0) & (model.values <= 1))
        assert np.all(model.team[model.team >= 0] < max(1, len(short_classroom.themes)))
    assert np.all(np.diff(costs) >= 0)
    assert not np.array_equal(before, model.values)
    if name in TEAM_STRATEGIES:
        assert teams_seen > 0
        assert model.teams_active == 0  # the follow-up has no teams
    else:
        assert teams_seen == 0 and model.proposals_accepted == 0
    if name != "none":
        assert model.cost_cum > model.costs.get("hiring", 0.0)


@pytest.mark.parametrize("name", sorted(STRATEGIES))
def test_strategy_runs_without_themes(name, short_classroom):
    from sim.scenario import apply_overrides

    sc = apply_overrides(short_classroom, {"themes": []})
    model = MergerModel(sc, name, seed=1)
    for _ in range(5):
        model.step()
    assert model.teams_active == 0
