"""Shared fixtures: small scenarios that run fast."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.scenario import Scenario, load_scenario

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def classroom() -> Scenario:
    """The classroom preset (150 employees)."""
    return load_scenario(ROOT / "scenarios" / "classroom.toml")


@pytest.fixture(scope="session")
def short_classroom(classroom: Scenario) -> Scenario:
    """The classroom preset cut to 20 + 10 weeks, for tests that need many runs."""
    from sim.scenario import apply_overrides

    return apply_overrides(classroom, {"horizon.intervention_weeks": 20,
                                       "horizon.followup_weeks": 10})


@pytest.fixture
def plugin_registries():
    """Restore the strategy, outcome and module registries after a test loads a plugin, so
    other tests in this process see no plugin."""
    from sim.experiments import observables, plugins
    from sim.strategies import STRATEGIES

    saved = (dict(STRATEGIES), dict(observables._PLUGIN_OUTCOMES), dict(plugins._modules))
    yield
    STRATEGIES.clear()
    STRATEGIES.update(saved[0])
    observables._PLUGIN_OUTCOMES.clear()
    observables._PLUGIN_OUTCOMES.update(saved[1])
    plugins._modules.clear()
    plugins._modules.update(saved[2])
