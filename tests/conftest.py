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


#: Modules whose tests take the longest (the slowest 30 of a CI run, 10-80 s each), longest
#: first. They are collected before all others so that pytest-xdist hands them out at the
#: start: a 20-80 s test that starts last keeps one core busy while the other has nothing
#: left to do. Tests within a module keep their order (module fixtures are set up once).
LONG_MODULES = (
    "test_dashboard_browser.py", "test_benchmarks_smoke.py", "test_compare_engine.py",
    "test_fuzz_inputs.py", "test_results_page.py", "test_compare.py", "test_folders.py",
    "test_dashboard_capacity.py", "test_live_dashboard_browser.py", "test_sweep_run.py",
    "test_discover_cli.py", "test_dashboard_security_browser.py", "test_live_browser.py",
    "test_sweep_analysis.py", "test_sweep_tls.py", "test_plugins.py", "test_sweep_dask.py",
    "test_dashboard_server.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Long modules first (in the order above), then the rest in their usual order."""
    rank = {name: i for i, name in enumerate(LONG_MODULES)}
    items.sort(key=lambda item: rank.get(item.path.name, len(LONG_MODULES)))
