"""The vectorised interaction rule and the one-agent-at-a-time Mesa reference agree.

Configuration (chosen so that the two *should* agree, and stated here so the comparison is
honest): the classroom scenario (150 employees, three cities), 52 weeks, only everyday
interaction acting (no strategy, no turnover, a static network, no drift noise: see
``benchmarks.reference.common.RULE_ONLY``), the case's threshold 0.3 and a convergence rate of
0.05 (the first model version's; the calibrated everyday rate, 0.001, barely moves the spread
in a year, and a comparison of implementations needs a rule that visibly acts).
One population and one network (seed 0) are shared; only the meeting draws differ between
replications, so the test looks at the part where the implementations differ.

The remaining, inherent difference: the model updates synchronously (all meetings of a week
decided on the week's starting values), the reference sequentially (each meeting sees the
previous one's result). With a pull of rate x openness ~ 0.025 per meeting that difference is
of second order, so final ``culture_spread`` should have the same distribution.

A test that cannot fail says nothing, so the same two-sample test must also *reject* a
reference whose convergence rate is 20 % higher.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # benchmarks/ is not an installed package
    sys.path.insert(0, str(ROOT))

from benchmarks.reference.common import (  # noqa: E402
    rule_only_scenario,
    starting_state,
    with_meeting_seed,
)
from benchmarks.reference.mesa_rule import ReferenceModel, run_reference  # noqa: E402
from benchmarks.reference.vectorised_rule import run_model, run_rule  # noqa: E402
from sim.scenario import apply_overrides  # noqa: E402

WEEKS = 52
REPLICATIONS = 20
#: Convergence rate of the comparison (see the module docstring).
RATE = 0.05
#: Significance level of the agreement test.
ALPHA = 0.05


@pytest.fixture(scope="module")
def setting():
    config = apply_overrides(rule_only_scenario(ROOT / "scenarios" / "classroom.toml", WEEKS),
                             {"interaction.convergence_rate": RATE})
    return config, starting_state(config, seed=0)


@pytest.fixture(scope="module")
def vectorised_spreads(setting) -> np.ndarray:
    config, state = setting
    return np.array([run_rule(config, 0, WEEKS, with_meeting_seed(state, r))
                     for r in range(REPLICATIONS)])


def reference_spreads(config, state, vectors: str = "numpy") -> np.ndarray:
    # meeting seeds disjoint from the vectorised side's: the samples are independent
    return np.array([run_reference(config, 0, WEEKS, with_meeting_seed(state, 1000 + r),
                                   vectors) for r in range(REPLICATIONS)])


def test_reference_agrees_in_distribution(setting, vectorised_spreads):
    config, state = setting
    reference = reference_spreads(config, state)
    initial = ReferenceModel(config, 0, state).culture_spread()
    # the rule does something: both sides narrow the spread clearly
    assert vectorised_spreads.max() < 0.9 * initial
    assert reference.max() < 0.9 * initial
    ks = stats.ks_2samp(vectorised_spreads, reference)
    mw = stats.mannwhitneyu(vectorised_spreads, reference)
    assert ks.pvalue > ALPHA, (ks, vectorised_spreads.mean(), reference.mean())
    assert mw.pvalue > ALPHA, (mw, vectorised_spreads.mean(), reference.mean())


def test_list_reference_is_the_same_rule(setting):
    """The list-valued reference (the faster Python variant) gives the same spreads as the
    NumPy-valued one, up to rounding: the same draws, the same rule."""
    config, state = setting
    as_lists = [run_reference(config, 0, 8, with_meeting_seed(state, r), "list")
                for r in range(3)]
    as_arrays = [run_reference(config, 0, 8, with_meeting_seed(state, r), "numpy")
                 for r in range(3)]
    assert as_lists == pytest.approx(as_arrays, rel=1e-9)


def test_agreement_test_detects_a_different_rule(setting, vectorised_spreads):
    config, state = setting
    faster = apply_overrides(config, {"interaction.convergence_rate":
                                      1.2 * config.interaction.convergence_rate})
    ks = stats.ks_2samp(vectorised_spreads, reference_spreads(faster, state))
    assert ks.pvalue < ALPHA / 10


def test_full_model_reduces_to_the_rule(setting):
    """With the rule-only overrides, MergerModel's values follow the rule alone, bit for bit.

    This is what makes the speed comparison like with like: the full model run in the
    benchmark computes exactly the rule's dynamics (plus its outputs).
    """
    config, _ = setting
    assert run_model(config, 3, 10) == run_rule(config, 3, 10)
