"""What the reference and the vectorised run share: the configuration and the starting state.

The comparison isolates the everyday interaction rule (DESIGN section 3, process 1): meetings
sampled by tie weight and bounded-confidence influence. Everything else that moves values or
ties in the full model is switched off by overrides, so that both sides run the same rule:

- no strategy (``none``): no training, no teams;
- no turnover (so no hires, no vacancies);
- a static network: no reinforcement, no decay, no triadic closure;
- no drift noise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.network import Ties, build_network
from sim.population import build_workforce
from sim.rng import spawn_streams
from sim.scenario import Scenario, apply_overrides, load_scenario

#: Overrides that leave only the everyday interaction rule acting on values.
RULE_ONLY: dict[str, Any] = {
    "turnover.enabled": False,
    "network.reinforcement": 0.0,
    "network.decay": 0.0,
    "network.closure_rate": 0.0,
    "interaction.noise_sd": 0.0,
}


def rule_only_scenario(scenario: Scenario | str, weeks: int | None = None) -> Scenario:
    """The scenario with everything but the interaction rule switched off.

    Args:
        scenario: a Scenario, a preset name or a TOML path.
        weeks: if given, the horizon in weeks (all of it counted as intervention).
    """
    overrides = dict(RULE_ONLY)
    if weeks is not None:
        overrides |= {"horizon.intervention_weeks": weeks, "horizon.followup_weeks": 0}
    return apply_overrides(load_scenario(scenario), overrides)


@dataclass
class StartingState:
    """Population and network at the merger, built exactly as the model builds them."""

    values: np.ndarray  # (N, D) in [0, 1]
    openness: np.ndarray  # (N,) in [0, 1]
    ties: Ties
    streams: dict[str, np.random.Generator]


def starting_state(config: Scenario, seed: int) -> StartingState:
    """Build the workforce and the network from the run's seed streams.

    The ``population`` and ``network`` streams are the model's, so for the same seed both
    sides start from the same employees, values and ties; the returned ``streams`` still
    hold the untouched ``interaction`` stream for the meetings.
    """
    streams = spawn_streams(int(seed))
    workforce = build_workforce(config, streams["population"])
    ties = build_network(config, workforce, streams["network"])
    return StartingState(workforce.values.copy(), workforce.openness.copy(), ties, streams)


def with_meeting_seed(state: StartingState, meeting_seed: int) -> StartingState:
    """The same population and network with a different stream for the meetings.

    Lets a test vary only the meetings (the part where the two implementations differ)
    while keeping employees, values and ties fixed.
    """
    streams = dict(state.streams)
    streams["interaction"] = np.random.default_rng(np.random.SeedSequence([int(meeting_seed)]))
    return StartingState(state.values, state.openness, state.ties, streams)
