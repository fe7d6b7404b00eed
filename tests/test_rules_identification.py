"""Organisational identification through the merger (sim/rules/identification.py)."""

import numpy as np
import pytest

from sim.rules.identification import (
    cross_city_belonging,
    dominance_loss,
    implied_identification,
    shocked_identification,
)
from sim.scenario import MergerSection


def test_dominance_loss_is_one_minus_the_city_share():
    city = np.array([0, 0, 0, 1])
    np.testing.assert_allclose(dominance_loss(city, 2), [0.25, 0.25, 0.25, 0.75])
    # one organisation merges with nobody: nothing is lost
    np.testing.assert_allclose(dominance_loss(np.zeros(3, dtype=int), 1), 0.0)


def test_the_merger_costs_the_smaller_partner_more_identification():
    spec = MergerSection()
    ident = shocked_identification(np.array([0.0, 0.25, 0.75]), spec)
    assert ident[0] == pytest.approx(spec.pre_identification)
    assert ident[0] > ident[1] > ident[2]
    assert ident[2] == pytest.approx(spec.pre_identification * (1 - spec.identification_shock
                                                                 * 0.75))


def test_belonging_counts_tie_strength_to_other_cities_relative_to_a_city_blind_network():
    city = np.array([0, 0, 1, 1])
    loss = dominance_loss(city, 2)  # 0.5 each
    u, v = np.array([0, 0, 1]), np.array([1, 2, 3])
    w = np.array([1.0, 1.0, 0.5])
    b = cross_city_belonging(u, v, w, city, loss)
    # slot 0: half its strength crosses, as in a city-blind network -> 1; slot 1: 0.5/1.5
    # crosses -> (1/3) / 0.5; slot 3: only a cross tie -> capped at 1
    np.testing.assert_allclose(b, [1.0, (0.5 / 1.5) / 0.5, 1.0, 1.0])
    isolated = cross_city_belonging(np.array([0]), np.array([1]), np.array([1.0]),
                                    np.array([0, 0, 1]), np.array([0.5, 0.5, 0.5]))
    assert isolated[2] == 0.0


def test_lasting_loss_shrinks_with_belonging_and_vanishes_for_hires():
    spec = MergerSection()
    goal = implied_identification(np.array([0.6, 0.6, 0.0]), np.array([0.0, 1.0, 0.0]), spec)
    assert goal[0] == pytest.approx(spec.pre_identification * (1 - spec.lasting_loss * 0.6))
    assert goal[1] == pytest.approx(spec.pre_identification)
    assert goal[2] == pytest.approx(spec.pre_identification)
    # the lasting loss is smaller than the shock: the dip recovers in part
    assert goal[0] > shocked_identification(np.array([0.6]), spec)[0]
