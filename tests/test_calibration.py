"""The exit hazard's calibration on the merger's expected path (sim/calibration.py)."""

import numpy as np
import pytest

from sim.model import MergerModel
from sim.rules.turnover import calibrated_base_hazard

SHORT = {"horizon.intervention_weeks": 4, "horizon.followup_weeks": 0}


def model(strategy: str = "none", **overrides) -> MergerModel:
    return MergerModel("classroom", strategy, seed=3, overrides={**SHORT, **overrides})


def test_week_zero_calibration_is_the_workforce_as_it_stands():
    m = model(**{"turnover.calibration_weeks": 0, "turnover.calibration_contract_drift": 0.0})
    spec = m.config.turnover
    act = m.active
    expected = calibrated_base_hazard(m.contract[act], m.tenure[act] < spec.newcomer_weeks,
                                      spec, m.config.contract.neutral_level)
    assert m.base_exit_hazard == pytest.approx(expected, rel=1e-12)


def test_expected_path_dips_with_identification_and_recovers():
    m = model()
    means = np.array([c.mean() for c in m.expected_contract_path(156)])
    assert means.size == 157
    trough = int(np.argmin(means))
    assert means[trough] < means[0] - 0.01
    assert 0 < trough < 156 and means[156] > means[trough]
    no_merger = model(**{"merger.enabled": False})
    flat = np.array([c.mean() for c in no_merger.expected_contract_path(156)])
    assert np.allclose(flat, flat[0])


def test_calibrating_on_the_dip_lowers_the_base_hazard():
    """A path with weaker contracts has a higher mean relative hazard, so the base is lower;
    an assumed upward drift of contracts works the other way."""
    week0 = model(**{"turnover.calibration_weeks": 0}).base_exit_hazard
    path = model(**{"turnover.calibration_contract_drift": 0.0}).base_exit_hazard
    drifting = model(**{"turnover.calibration_contract_drift": 0.05}).base_exit_hazard
    assert path < week0
    assert drifting > path


@pytest.mark.parametrize("strategy", ["training", "teams"])
def test_calibration_is_the_same_under_every_strategy(strategy):
    assert model(strategy).base_exit_hazard == model().base_exit_hazard
