"""Everyday interaction: bounded confidence (Deffuant et al. 2000) on hand-built cases."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sim.rules.interaction import bounded_confidence_deltas, bounded_confidence_step, drift


def test_close_pair_moves_toward_each_other_by_rate_times_openness():
    values = np.array([[0.2, 0.2], [0.4, 0.4]])
    openness = np.array([1.0, 0.5])
    d = bounded_confidence_deltas(values, np.array([0]), np.array([1]), openness,
                                  rate=0.5, threshold=0.5)
    np.testing.assert_allclose(d[0], 0.5 * 1.0 * (values[1] - values[0]))
    np.testing.assert_allclose(d[1], 0.5 * 0.5 * (values[0] - values[1]))


def test_pair_beyond_threshold_does_not_move():
    values = np.array([[0.0, 0.0], [1.0, 1.0]])
    d = bounded_confidence_deltas(values, np.array([0]), np.array([1]), np.ones(2),
                                  rate=0.5, threshold=0.5)
    assert np.all(d == 0)


def test_threshold_uses_normalised_distance():
    # distance |(0.3, 0.3)| / sqrt(2) = 0.3: influence below 0.31, none below 0.29
    values = np.array([[0.0, 0.0], [0.3, 0.3]])
    args = (values, np.array([0]), np.array([1]), np.ones(2))
    assert np.any(bounded_confidence_deltas(*args, rate=0.1, threshold=0.31) != 0)
    assert np.all(bounded_confidence_deltas(*args, rate=0.1, threshold=0.29) == 0)


def test_infinite_threshold_is_plain_averaging():
    values = np.array([[0.0], [1.0]])
    d = bounded_confidence_deltas(values, np.array([0]), np.array([1]), np.ones(2),
                                  rate=0.5, threshold=np.inf)
    np.testing.assert_allclose(values + d, [[0.5], [0.5]])


def test_many_meetings_are_rescaled_to_a_convex_combination():
    # slot 0 meets four others at rate 0.5: the raw pulls add to 2, rescaled to 1
    values = np.array([[0.0], [1.0], [1.0], [1.0], [1.0]])
    d = bounded_confidence_deltas(values, np.zeros(4, int), np.arange(1, 5), np.ones(5),
                                  rate=0.5, threshold=np.inf)
    assert 0.0 <= values[0, 0] + d[0, 0] <= 1.0
    np.testing.assert_allclose(values[0] + d[0], [1.0])


@given(arrays(float, (6, 3), elements=st.floats(0, 1)),
       st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), min_size=1, max_size=30),
       st.floats(0, 0.5), st.floats(0, 1.5))
def test_values_stay_in_unit_cube(values, pairs, rate, threshold):
    first = np.array([p[0] for p in pairs])
    second = np.array([p[1] for p in pairs])
    new = values + bounded_confidence_deltas(values, first, second, np.ones(6), rate, threshold)
    assert np.all(new >= -1e-12) and np.all(new <= 1 + 1e-12)


def test_averaging_preserves_the_mean_with_equal_openness():
    rng = np.random.default_rng(1)
    values = rng.random((50, 2))
    first, second = rng.integers(0, 50, 40), rng.integers(0, 50, 40)
    keep = first != second
    # distinct pairs, each slot once, so no rescaling: the pair's mean is conserved
    first, second = np.arange(0, 50, 2), np.arange(1, 50, 2)
    new = values + bounded_confidence_deltas(values, first, second, np.ones(50), 0.3, np.inf)
    np.testing.assert_allclose(new.mean(axis=0), values.mean(axis=0))
    assert keep.any()


def test_drift_changes_only_active_rows_and_stays_in_bounds():
    rng = np.random.default_rng(0)
    values = np.full((10, 2), 0.999)
    active = np.arange(10) < 5
    new = drift(values, active, 0.1, rng)
    assert np.all(new[~active] == 0.999)
    assert np.any(new[active] != 0.999)
    assert new.max() <= 1.0


@pytest.mark.parametrize("sd", [0.0])
def test_no_noise_is_identity(sd):
    values = np.random.default_rng(0).random((4, 2))
    assert drift(values, np.ones(4, bool), sd, np.random.default_rng(1)) is values


def test_a_step_is_the_deltas_applied_and_clipped_and_leaves_the_input_alone():
    """A few meetings among many (sessions, carriers): rows that met move by their deltas,
    every other row keeps its bits, the result stays in [0, 1], the input is not changed."""
    rng = np.random.default_rng(3)
    values = rng.random((500, 4))
    before = values.copy()
    first, second = rng.integers(0, 500, 40), rng.integers(0, 500, 40)
    openness = rng.random(500)
    full = bounded_confidence_deltas(values, first, second, openness, 0.3, 0.6)
    stepped = bounded_confidence_step(values, first, second, openness, 0.3, 0.6)
    moved = np.any(full != 0, axis=1)
    assert moved.any() and np.array_equal(values, before)
    assert np.array_equal(stepped[~moved], values[~moved])
    assert np.array_equal(stepped, np.clip(values + full, 0, 1))
    assert stepped.min() >= 0.0 and stepped.max() <= 1.0

