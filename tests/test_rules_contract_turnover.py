"""Psychological contract, engagement, turnover, hiring, training fade, business results."""

import numpy as np
import pytest

from sim.rules.business import client_value
from sim.rules.contract import fit_score, implied_contract, implied_engagement, relax
from sim.rules.distance import fit, normalised_distance
from sim.rules.training import fade_curve, retained, training_shift
from sim.rules.turnover import select_hires, socialisation_factor, weekly_exit_probability
from sim.scenario import Scenario


@pytest.fixture
def spec():
    return Scenario()


def test_normalised_distance_bounds():
    assert normalised_distance(np.zeros(4), np.ones(4)) == pytest.approx(1.0)
    assert normalised_distance(np.ones(4) * 0.3, np.ones(4) * 0.3) == 0.0
    assert fit(np.zeros(4), np.ones(4)) == pytest.approx(0.0)


def test_contract_is_neutral_at_reference_fit_and_rises_with_fit(spec):
    c = spec.contract
    assert implied_contract(np.array([c.reference_fit]), c)[0] == pytest.approx(c.neutral_level)
    values = implied_contract(np.linspace(0, 1, 11), c)
    assert np.all(np.diff(values) >= 0)
    assert values[0] == 0.0 and values[-1] == pytest.approx(1.0)


def test_neutral_level_is_read_from_the_schema(spec):
    c = spec.contract.model_copy(update={"neutral_level": 0.6})
    assert implied_contract(np.array([c.reference_fit]), c)[0] == pytest.approx(0.6)
    e = spec.engagement
    assert implied_engagement(np.array([0.6]), np.array([False]), e, 0.6)[0] == pytest.approx(
        e.base)
    p = weekly_exit_probability(np.array([0.6]), np.array([False]), spec.turnover, 0.6)[0]
    assert 1 - (1 - p) ** 52 == pytest.approx(spec.turnover.annual_exit_rate, rel=1e-9)


def test_identification_loss_lowers_contract_and_engagement(spec):
    c, e = spec.contract, spec.engagement
    fit0 = np.array([c.reference_fit, c.reference_fit])
    contract = implied_contract(fit0, c, np.array([0.0, 0.2]))
    assert contract[1] == pytest.approx(c.neutral_level - c.identification_weight * 0.2)
    eng = implied_engagement(np.array([0.5, 0.5]), np.array([False, False]), e, 0.5,
                             np.array([0.0, 0.2]))
    assert eng[1] == pytest.approx(eng[0] - e.identification_weight * 0.2)


def test_team_terms_count_only_for_team_members(spec):
    c = spec.contract
    po, pu = np.array([0.8, 0.8]), np.array([0.8, 0.8])
    pt, to = np.array([0.2, 0.2]), np.array([0.2, 0.2])
    score = fit_score(po, pu, pt, to, np.array([False, True]), c)
    assert score[0] == pytest.approx(0.8)
    assert score[1] < score[0]


def test_relax_moves_part_way_and_stays_in_bounds():
    out = relax(np.array([0.0, 1.0]), np.array([1.0, 0.0]), 0.25)
    np.testing.assert_allclose(out, [0.25, 0.75])


def test_engagement_follows_contract_and_a_documented_boost_only(spec):
    e = spec.engagement
    low, high = implied_engagement(np.array([0.2, 0.8]), 0.0, e, 0.5)
    assert high > low
    assert implied_engagement(np.array([0.5]), 0.0, e, 0.5)[0] == pytest.approx(e.base)
    assert implied_engagement(np.array([0.5]), np.array([0.05]), e, 0.5)[0] == pytest.approx(
        e.base + 0.05)


def test_receptivity_is_one_at_a_neutral_contract_and_rises_with_it(spec):
    from sim.rules.contract import receptivity
    c = spec.contract
    r = receptivity(np.array([0.0, 0.25, 0.5, 0.75, 1.0]), c)
    assert r[2] == pytest.approx(1.0)  # 0.5 is the default neutral level
    assert np.all(np.diff(r) > 0)
    assert np.all((r >= 0) & (r <= c.receptivity_max))
    flat = c.model_copy(update={"receptivity_slope": 0.0})
    assert np.all(receptivity(np.array([0.0, 1.0]), flat) == 1.0)


def test_exit_hazard_is_calibrated_to_the_yearly_outflow(spec):
    p = weekly_exit_probability(np.array([0.5]), np.array([False]), spec.turnover, 0.5)[0]
    assert 1 - (1 - p) ** 52 == pytest.approx(spec.turnover.annual_exit_rate, rel=1e-9)


def test_base_hazard_is_calibrated_on_the_initial_workforce(spec):
    from sim.rules.turnover import calibrated_base_hazard, relative_hazard

    rng = np.random.default_rng(0)
    contract = rng.uniform(0.3, 0.9, 500)
    newcomer = rng.random(500) < 0.25
    base = calibrated_base_hazard(contract, newcomer, spec.turnover, 0.5)
    mean_hazard = np.mean(base * relative_hazard(contract, newcomer, spec.turnover, 0.5))
    assert 1 - np.exp(-52 * mean_hazard) == pytest.approx(spec.turnover.annual_exit_rate)


def test_weak_contract_and_newcomers_raise_the_hazard(spec):
    t = spec.turnover
    p = weekly_exit_probability(np.array([0.2, 0.5, 0.8, 0.5]),
                                np.array([False, False, False, True]), t, 0.5)
    assert p[0] > p[1] > p[2]
    assert p[3] == pytest.approx(p[1] * t.newcomer_exit_multiplier, rel=0.01)


def test_selective_hiring_brings_values_closer_to_the_target():
    rng = np.random.default_rng(3)
    target = np.array([0.8, 0.2, 0.6, 0.4])
    market = np.full(4, 0.5)
    unselective = select_hires(2000, 1, market, 0.2, target, rng)
    selective = select_hires(2000, 10, market, 0.2, target, rng)
    assert fit(selective, target).mean() > fit(unselective, target).mean() + 0.03
    assert selective.min() >= 0 and selective.max() <= 1


def test_socialisation_bonus_halves_after_the_half_life():
    assert socialisation_factor(26.0) ** 26 == pytest.approx(0.5)


def test_fade_curve_passes_through_saks_and_belcourt():
    a, q = fade_curve(0.62, 0.44, 0.34)
    assert retained(0, a, q) == pytest.approx(1.0)
    assert 0.62 * retained(26, a, q) == pytest.approx(0.44)
    assert 0.62 * retained(52, a, q) == pytest.approx(0.34)
    assert 0 < a < 1 and 0 < q < 1


def test_fade_curve_without_loss_keeps_everything():
    assert fade_curve(0.5, 0.5, 0.5) == (1.0, 1.0)


def test_fade_curve_falls_back_to_exponential_for_accelerating_loss():
    a, q = fade_curve(0.6, 0.55, 0.2)
    assert a == 0.0 and 0.6 * retained(52, a, q) == pytest.approx(0.2)


def test_training_shift_moves_part_way_to_target():
    values = np.array([[0.0, 1.0]])
    target = np.array([1.0, 0.0])
    np.testing.assert_allclose(training_shift(values, target, 0.5, 0.62),
                               [[0.31, -0.31]])


def test_client_value_rises_with_each_input(spec):
    b = spec.business
    base = client_value(0.5, 0.3, 0, b)
    assert client_value(0.6, 0.3, 0, b) > base
    assert client_value(0.5, 0.2, 0, b) > base
    assert client_value(0.5, 0.3, 3, b) > base
    assert 0 <= client_value(1.0, 0.0, 100, b) <= 1.0
