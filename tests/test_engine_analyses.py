"""What a referee asks of the engine's analyses, on cases with known answers (no model runs).

Effects over ``none`` from hand-made weekly tables; ratio effects averaged as ratios of
means; the dummy parameter's seeds; reproducible bootstrap intervals; convergence sizes;
feature scores and CART on a synthetic box; clear refusals in sweep files.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.experiments.observables import BASELINE, effects, evaluate_effects, per_point, registry
from sim.experiments.results import run_effects_table
from sim.experiments.sensitivity import analyse, bootstrap_seed, convergence_sizes
from sim.experiments.sweep import SweepError, load_sweep
from sim.experiments.sweep.plan import design_matrix, plan_sweep

PROBLEM = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-np.pi, np.pi]] * 3}


def ishigami(x: np.ndarray) -> np.ndarray:
    return np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])


def weekly(distance: list[float], cost: list[float], divergence: float = 0.2,
           value: float = 0.5) -> pd.DataFrame:
    weeks = range(len(distance))
    return pd.DataFrame({"week": list(weeks), "distance_to_target": distance,
                         "cost_cum": cost, "city_divergence": [divergence] * len(distance),
                         "client_value": [value] * len(distance)})


# ----------------------------------------------------------------- effects over none

def test_effects_of_a_run_over_none_by_hand() -> None:
    base = weekly([0.30, 0.28, 0.26, 0.25], [0, 0, 0, 0])
    mine = weekly([0.30, 0.25, 0.20, 0.22], [0, 1e5, 2e5, 3e5], divergence=0.15, value=0.6)
    got = evaluate_effects(mine, base, {"intervention_weeks": 2})
    assert got["alignment_effect_end_intervention"] == pytest.approx(6.0)   # 100 x (.26-.20)
    assert got["alignment_effect_final"] == pytest.approx(3.0)              # 100 x (.25-.22)
    assert got["integration_effect_end_intervention"] == pytest.approx(5.0)
    assert got["client_value_effect_end_intervention"] == pytest.approx(10.0)
    assert got["incremental_cost"] == pytest.approx(3e5)
    assert got["effect_durability"] == pytest.approx(0.5)
    assert got["icer"] == pytest.approx(1e5)


def test_a_strategy_equal_to_none_has_zero_effect_and_no_icer() -> None:
    base = weekly([0.30, 0.28, 0.26, 0.25], [0, 10, 20, 30])
    got = evaluate_effects(base, base, {"intervention_weeks": 2})
    assert got["alignment_effect_final"] == 0.0 and got["incremental_cost"] == 0.0
    assert math.isnan(got["icer"]) and math.isnan(got["effect_durability"])


def test_effects_pair_runs_by_point_and_seed_and_ratios_average_as_ratios_of_means() -> None:
    rows = []
    # point 0, replications 0 and 1: none and training; training gains 2 and 6 points at
    # the end for EUR 1 and EUR 9 (ratio of means 10 / 8 = 1.25; mean of ratios 2.5 / 2)
    for rep, gain, cost in ((0, 0.02, 1.0), (1, 0.06, 9.0)):
        for strategy, d, c in ((BASELINE, 0.30, 0.0), ("training", 0.30 - gain, cost)):
            ts = weekly([0.30, d], [0.0, c]).assign(
                run=f"{strategy}{rep}", run_key="k", group=0, sample=0, point=0,
                strategy=strategy, replication=rep, seed=rep)
            rows.append(ts)
    table = run_effects_table(pd.concat(rows, ignore_index=True), [], 1)
    mine = table[table["strategy"] == "training"].sort_values("replication")
    assert list(mine["alignment_effect_final"]) == pytest.approx([2.0, 6.0])
    assert list(mine["icer"]) == pytest.approx([0.5, 1.5])
    means = per_point(mine, ["icer", "alignment_effect_final"], ["point"])
    assert means.loc[0, "icer"] == pytest.approx(10.0 / 8.0)  # ratio of means, not 1.0
    assert means.loc[0, "alignment_effect_final"] == pytest.approx(4.0)


def test_effects_are_declared_once_with_units_and_directions() -> None:
    known = registry()
    for name, obs in effects().items():
        assert known[name] is obs and obs.kind == "effect" and obs.unit
        assert obs.better in ("lower", "higher")
    assert effects()["icer"].ratio == ("incremental_cost", "alignment_effect_final")


# ----------------------------------------------------------------- sweep files

SWEEP = """
name = "x"
scenario = "classroom"
strategies = {strategies}
replications = 2
[set]
"horizon.intervention_weeks" = 4
"horizon.followup_weeks" = 2
[parameters]
"training.dose" = {{ min = 0.0, max = 1.0 }}
"interaction.confidence_threshold" = {{ min = 0.1, max = 0.5 }}
[design]
method = "sobol"
samples = 4
{design}
[stop]
{stop}
[sensitivity]
outputs = {outputs}
"""


def sweep_file(tmp_path: Path, strategies: str = '["none", "training"]', design: str = "",
               stop: str = "", outputs: str = '["distance_to_target"]') -> Path:
    path = tmp_path / "s.toml"
    path.write_text(SWEEP.format(strategies=strategies, design=design, stop=stop,
                                 outputs=outputs))
    return path


def test_an_effect_needs_none_in_the_sweep(tmp_path: Path) -> None:
    load_sweep(sweep_file(tmp_path, outputs='["icer", "alignment_effect_final"]'))
    with pytest.raises(SweepError, match="icer is an effect over none; add 'none'"):
        load_sweep(sweep_file(tmp_path, strategies='["training"]', outputs='["icer"]'))


def test_a_stop_condition_on_a_run_outcome_says_why_it_cannot(tmp_path: Path) -> None:
    with pytest.raises(SweepError, match="'durability' is one number per run, known only when "
                                         "the run has ended: a stop condition watches a weekly"):
        load_sweep(sweep_file(tmp_path, stop='when = { metric = "durability", below = 0.5 }'))
    with pytest.raises(SweepError, match="unknown metric 'nope'"):
        load_sweep(sweep_file(tmp_path, stop='when = { metric = "nope", below = 0.5 }'))


def test_the_dummy_redraws_the_seed_and_nothing_else(tmp_path: Path) -> None:
    loaded = load_sweep(sweep_file(tmp_path, design="dummy = true"))
    plan = plan_sweep(loaded)
    x = design_matrix(loaded)
    assert plan.ranged[-1] == "dummy" and x.shape[1] == 3
    assert all("dummy" not in run.params for run in plan.runs)  # no run reads it
    by_sample = {}
    for run in plan.runs:
        by_sample.setdefault((run.sample, run.replication), set()).add(run.seed)
    assert all(len(seeds) == 1 for seeds in by_sample.values())  # strategies stay paired
    # Saltelli's block per base sample: A, A_B(x1), A_B(x2), A_B(dummy), B
    seed = {(r.sample, r.replication): r.seed for r in plan.runs}
    assert seed[(0, 0)] == seed[(1, 0)] == seed[(2, 0)]  # other steps keep the seed
    assert seed[(3, 0)] != seed[(0, 0)]                  # the dummy's step redraws it
    with pytest.raises(SweepError, match=r"design\.dummy"):
        load_sweep(sweep_file(tmp_path, design="dummy = true"), design_method="latin")


# ----------------------------------------------------------------- Sobol settings

def test_bootstrap_intervals_are_a_function_of_the_experiment_seed() -> None:
    from SALib.sample import sobol

    x = sobol.sample(PROBLEM, 64, calc_second_order=False, seed=1)
    seed = bootstrap_seed(0, 0, "training", "y")
    first = analyse(PROBLEM, x, ishigami(x), "sobol", seed=seed)
    again = analyse(PROBLEM, x, ishigami(x), "sobol", seed=bootstrap_seed(0, 0, "training", "y"))
    pd.testing.assert_frame_equal(first, again)
    other = analyse(PROBLEM, x, ishigami(x), "sobol", seed=bootstrap_seed(1, 0, "training", "y"))
    assert not np.allclose(first["conf"], other["conf"])
    assert bootstrap_seed(0) >= 1
    with pytest.raises(ValueError, match="seed: the bootstrap seed must be a whole number >= 1"):
        analyse(PROBLEM, x, ishigami(x), "sobol", seed=0)


def test_convergence_sizes_are_prefixes_of_the_design() -> None:
    assert convergence_sizes(64) == [8, 16, 32, 64]
    assert convergence_sizes(4) == [4]
    assert convergence_sizes(20) == [5, 10, 20]


def test_sobol_on_the_first_half_of_a_design_is_the_design_of_half_n() -> None:
    from SALib.sample import sobol

    full = sobol.sample(PROBLEM, 256, calc_second_order=False, seed=3)
    half = sobol.sample(PROBLEM, 128, calc_second_order=False, seed=3)
    assert np.array_equal(full[: len(half)], half)


# ----------------------------------------------------------------- scenario discovery

def synthetic() -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(5)
    x = pd.DataFrame({"a": rng.uniform(0, 1, 400), "b": rng.uniform(0, 1, 400),
                      "c": rng.uniform(0, 1, 400)})
    return x, ((x["a"] > 0.6) & (x["b"] < 0.3)).to_numpy()


def test_feature_scores_rank_the_box_parameters_first() -> None:
    pytest.importorskip("ema_workbench")
    from sim.experiments.discovery import feature_scores

    x, cases = synthetic()
    scores = feature_scores(x, cases, seed=7)
    assert set(scores["parameter"][:2]) == {"a", "b"}
    assert scores["score"].sum() == pytest.approx(1.0)
    pd.testing.assert_frame_equal(scores, feature_scores(x, cases, seed=7))


def test_cart_finds_the_box_as_its_densest_leaf() -> None:
    pytest.importorskip("ema_workbench")
    from sim.experiments.discovery import cart_leaves

    x, cases = synthetic()
    leaves = cart_leaves(x, cases, seed=7)
    best = leaves[leaves["leaf"] == 1].set_index("parameter")
    assert best["density"].iloc[0] == pytest.approx(1.0)
    assert best.loc["a", "min"] == pytest.approx(0.6, abs=0.05)
    assert best.loc["b", "max"] == pytest.approx(0.3, abs=0.05)
    assert not best.loc["c", "restricted"]
    pd.testing.assert_frame_equal(leaves, cart_leaves(x, cases, seed=7))


def test_prim_reports_its_trajectory_and_quasi_p_values() -> None:
    pytest.importorskip("ema_workbench")
    from sim.experiments.discovery import find_boxes

    x, cases = synthetic()
    trajectories: list[pd.DataFrame] = []
    limits, stats = find_boxes(x, cases, max_boxes=1, trajectories_out=trajectories)
    traj = trajectories[0]
    assert traj["chosen"].sum() == 1 and traj["coverage"].iloc[0] == pytest.approx(1.0)
    chosen = traj[traj["chosen"]].iloc[0]
    assert chosen["density"] == pytest.approx(stats.loc[0, "density"])
    box = limits.set_index("parameter")
    assert box.loc["a", "qp_min"] < 1e-6 and math.isnan(box.loc["a", "qp_max"])
    assert box.loc["b", "qp_max"] < 1e-6 and math.isnan(box.loc["c", "qp_min"])


def test_a_plugin_may_declare_an_effect() -> None:
    from sim.experiments import observables

    def gap(ts: pd.DataFrame, base: pd.DataFrame, meta: object) -> float:
        return float(base["cost_cum"].iloc[-1] - ts["cost_cum"].iloc[-1])

    saving = observables.Observable("cost_saving", "Cost saved over none", "EUR", "higher",
                                    kind="effect", function=gap, source="test")
    try:
        observables.register(saving)
        assert observables.effects()["cost_saving"] is saving
        got = evaluate_effects(weekly([0.3, 0.2], [0, 5]), weekly([0.3, 0.3], [0, 8]), {})
        assert got["cost_saving"] == 3.0
    finally:
        observables._PLUGIN_OUTCOMES.pop("cost_saving", None)
    with pytest.raises(ValueError, match="built-in observable"):
        observables.register(observables.Observable("icer", "x", "EUR", "lower", kind="effect",
                                                    function=gap))
