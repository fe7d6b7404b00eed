"""Pattern: higher turnover moves the culture toward the hiring profile (Harrison & Carroll
1991, "Keeping the faith", Administrative Science Quarterly 36: culture is carried by
selection, socialisation and turnover; faster turnover lets the hiring profile in faster).

Check: the case under ``none`` with no selection on fit (one candidate per vacancy, so hires
carry the labour-market profile), at a low and a high yearly outflow; after a year the
practised culture of the high-turnover runs is closer to the labour-market profile, for every
seed. Mechanism: docs/ODD.md 7.4-7.5.
"""

from __future__ import annotations

import pytest

from sim.model import MergerModel
from sim.population import vector
from sim.rules.distance import normalised_distance


def distance_to_market(exit_rate: float, seed: int) -> float:
    overrides = {"turnover.annual_exit_rate": exit_rate, "hiring.candidates_per_vacancy": 1,
                 "merger.enabled": False}
    model = MergerModel("case", "none", seed=seed, overrides=overrides)
    for _ in range(52):
        model.step()
    market = vector(model.config.hiring.market_mean, model.dimensions)
    practised = model.values[model.active].mean(axis=0)
    return float(normalised_distance(practised, market))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_higher_turnover_moves_the_culture_toward_the_hiring_profile(seed):
    slow, fast = distance_to_market(0.04, seed), distance_to_market(0.25, seed)
    assert fast < slow - 0.01, (slow, fast)
