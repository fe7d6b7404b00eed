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


def test_team_state_has_one_owner(short_classroom):
    """Only the roster writes team membership: a write through the model's array fails, and
    the strategy's teams are the roster's."""
    model = MergerModel(short_classroom, "teams", seed=3)
    for _ in range(short_classroom.teams.recruitment_weeks + 1):
        model.step()
    assert model.team is model.roster.team and (model.team >= 0).any()
    with pytest.raises(ValueError, match="read-only"):
        model.team[0] = 0
    sizes = model.strategy.sizes(model)
    assert sizes.sum() == np.count_nonzero(model.team >= 0)
    assert model.teams_active == model.roster.active > 0
    leaver = np.flatnonzero(model.team >= 0)[:1]
    model.vacate(leaver)
    assert model.team[leaver[0]] == -1


def test_a_member_of_a_combined_strategy_is_reached_by_type(short_classroom):
    from sim.strategies import part, parts_of
    from sim.strategies.teams import Teams, TeamsAndTraining
    from sim.strategies.training import Training

    model = MergerModel(short_classroom, "teams+training", seed=3)
    teams, training = part(model.strategy, Teams), part(model.strategy, Training)
    assert isinstance(teams, Teams) and isinstance(training, Training)
    assert part(MergerModel(short_classroom, "training", seed=3).strategy, Teams) is None
    assert parts_of(TeamsAndTraining) == (Teams, Training) and parts_of(Teams) == (Teams,)
    # no attribute forwarding: a member's state is reached through its part, by type
    assert not hasattr(model.strategy, "sponsor")
