"""Sensitivity analysis (SALib) and scenario discovery (PRIM) on cases with known answers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.experiments.discovery import Question, find_boxes
from sim.experiments.sensitivity import analyse
from sim.presentation.analysis import discover

ROOT = Path(__file__).resolve().parent.parent

# Ishigami function (Ishigami & Homma 1990) with a = 7, b = 0.1 on [-pi, pi]^3:
# analytic variance shares, e.g. Saltelli et al. 2008, Global Sensitivity Analysis, 4.4.
A, B = 7.0, 0.1
VAR = A**2 / 8 + B * np.pi**4 / 5 + B**2 * np.pi**8 / 18 + 0.5
V1 = 0.5 * (1 + B * np.pi**4 / 5) ** 2
V2 = A**2 / 8
V13 = B**2 * np.pi**8 / 18 - B**2 * np.pi**8 / 50
ISHIGAMI = {
    ("x1", "S1"): V1 / VAR, ("x2", "S1"): V2 / VAR, ("x3", "S1"): 0.0,
    ("x1", "ST"): (V1 + V13) / VAR, ("x2", "ST"): V2 / VAR, ("x3", "ST"): V13 / VAR,
}
PROBLEM = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-np.pi, np.pi]] * 3}


def ishigami(x: np.ndarray) -> np.ndarray:
    return np.sin(x[:, 0]) + A * np.sin(x[:, 1]) ** 2 + B * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_sobol_indices_of_ishigami_match_analytic_values_within_their_intervals() -> None:
    from SALib.sample import sobol

    x = sobol.sample(PROBLEM, 2048, calc_second_order=False, seed=1)
    table = analyse(PROBLEM, x, ishigami(x), "sobol", seed=1)
    assert len(table) == 6
    for row in table.itertuples():
        truth = ISHIGAMI[(row.parameter, row.index)]
        assert abs(row.value - truth) <= row.conf, (row.parameter, row.index, row.value, truth)
        assert row.conf < 0.1  # and the intervals are narrow enough to mean something
    s1 = table[table["index"] == "S1"].set_index("parameter")["value"]
    assert s1.idxmax() == "x2"


def test_morris_screens_out_a_parameter_without_effect() -> None:
    from SALib.sample import morris

    problem = {"num_vars": 4, "names": ["x1", "x2", "x3", "dummy"],
               "bounds": [[-np.pi, np.pi]] * 4}
    x = morris.sample(problem, 40, num_levels=4, seed=2)
    table = analyse(problem, x, ishigami(x[:, :3]), "morris", num_levels=4, seed=2)
    mu_star = table[table["index"] == "mu_star"].set_index("parameter")["value"]
    assert mu_star["dummy"] == pytest.approx(0.0, abs=1e-12)
    assert mu_star[["x1", "x2", "x3"]].min() > 0.5


def test_prim_recovers_a_known_box() -> None:
    pytest.importorskip("ema_workbench")
    rng = np.random.default_rng(5)
    x = pd.DataFrame({"a": rng.uniform(0, 1, 600), "b": rng.uniform(0, 1, 600),
                      "c": rng.uniform(0, 1, 600)})
    cases = ((x["a"] > 0.6) & (x["b"] < 0.3)).to_numpy()
    limits, stats = find_boxes(x, cases, max_boxes=1)
    box = limits[limits["box"] == 1].set_index("parameter")
    assert box.loc["a", "min"] == pytest.approx(0.6, abs=0.05)
    assert box.loc["b", "max"] == pytest.approx(0.3, abs=0.05)
    assert not box.loc["c", "restricted"]
    assert stats.loc[0, "density"] > 0.9 and stats.loc[0, "coverage"] > 0.8


SWEEP = """
name = "sa"
scenario = "classroom"
strategies = ["none", "training"]
replications = 1

[set]
"horizon.intervention_weeks" = 10
"horizon.followup_weeks" = 2
"cities.Noord.headcount" = 25
"cities.Midden.headcount" = 20
"cities.Zuid.headcount" = 15
"training.cohort_size" = 5

[parameters]
"training.dose" = { min = 0.0, max = 1.0 }
"training.days_per_trainee" = { min = 1.0, max = 8.0 }
"interaction.confidence_threshold" = { min = 0.1, max = 0.5 }

[design]
samples = 4
levels = 4

[record]
every = "final"

[sensitivity]
outputs = ["distance_to_target", "cost_cum"]
"""


def test_sensitivity_command_on_a_real_sweep(tmp_path: Path) -> None:
    path = tmp_path / "sa.toml"
    path.write_text(SWEEP)
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "sim", "sensitivity", str(path), "--method", "morris", "--out",
         str(out), "--workers", "2", "--no-progress"],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    table = pd.read_csv(out / "indices.csv")
    assert set(table["strategy"]) == {"none", "training"}
    assert set(table["output"]) == {"distance_to_target", "cost_cum"}
    assert {"value", "conf"} <= set(table.columns)
    mu = table[table["index"] == "mu_star"].set_index(["strategy", "output", "parameter"])["value"]
    # training costs scale with training days; without training there is nothing to pay for
    assert mu["training", "cost_cum", "training.days_per_trainee"] > 0
    assert mu["none", "cost_cum", "training.days_per_trainee"] == 0
    assert mu["none", "distance_to_target", "training.dose"] == 0
    assert (out / "figures" / "sensitivity.png").stat().st_size > 1000
    assert (out / "figures" / "sensitivity.svg").is_file()
    assert (out / "figures" / "morris_mu_sigma.png").stat().st_size > 1000
    assert not (out / "sobol_convergence.csv").exists()  # Sobol only


def test_discovery_on_a_real_sweep_writes_boxes_and_a_figure(tmp_path: Path) -> None:
    pytest.importorskip("ema_workbench")
    from sim.experiments.sweep import load_sweep, run_sweep

    text = SWEEP.replace("samples = 4\n", 'method = "latin"\nsamples = 30\n')
    path = tmp_path / "d.toml"
    path.write_text(text)
    out = tmp_path / "out"
    run_sweep(load_sweep(path), out, executor="serial", progress=False)
    question = Question(better="training", worse="none", outcome="distance_to_target",
                        margin=0.02)
    found = discover(out, question)
    csv = pd.read_csv(found["paths"][0])
    summary = pd.read_parquet(out / "summary.parquet")
    assert 0.0 < found["share"] < 1.0
    assert set(csv["parameter"]) == {"training.dose", "training.days_per_trainee",
                                     "interaction.confidence_threshold"}
    # a bigger dose of training is what makes training win by a margin
    dose = csv[(csv["box"] == 1) & (csv["parameter"] == "training.dose")].iloc[0]
    assert dose["restricted"] and dose["min"] > summary["training.dose"].min()
    assert all(p.is_file() for p in found["paths"])


def test_sobol_warnings_fire_on_a_small_n_and_stay_silent_on_an_adequate_one() -> None:
    from SALib.sample import sobol

    from sim.experiments.sensitivity import sobol_warnings

    x = sobol.sample(PROBLEM, 2048, calc_second_order=False, seed=1)
    assert sobol_warnings(analyse(PROBLEM, x, ishigami(x), "sobol", seed=1), 2048, "y") == []
    small = sobol.sample(PROBLEM, 8, calc_second_order=False, seed=1)
    found = sobol_warnings(analyse(PROBLEM, small, ishigami(small), "sobol", seed=1), 8, "y")
    assert found and any("wider than the index" in w or "outside [0, 1]" in w for w in found)
    odd = sobol_warnings(analyse(PROBLEM, x, ishigami(x), "sobol", seed=1), 2000, "y")
    assert any("not a power of two" in w for w in odd)


def test_sobol_second_order_indices_of_ishigami() -> None:
    from SALib.sample import sobol

    x = sobol.sample(PROBLEM, 4096, calc_second_order=True, seed=3)
    found: list[pd.DataFrame] = []
    analyse(PROBLEM, x, ishigami(x), "sobol", second_order=True, seed=3, pairs_out=found)
    pairs = found[0].set_index(["parameter_a", "parameter_b"])
    assert len(pairs) == 3
    s13 = pairs.loc[("x1", "x3")]
    assert abs(s13["S2"] - V13 / VAR) <= max(s13["conf"], 0.05)
    assert abs(pairs.loc[("x1", "x2"), "S2"]) <= max(pairs.loc[("x1", "x2"), "conf"], 0.05)


def test_noise_warning_asks_for_replications() -> None:
    from sim.experiments.sensitivity import noise_warning

    rng = np.random.default_rng(0)
    signal = pd.DataFrame({"sample": np.repeat(np.arange(20), 3),
                           "y": np.repeat(np.arange(20.0), 3) + rng.normal(0, 0.01, 60)})
    assert noise_warning(signal, "y", "y") is None
    noise = signal.assign(y=rng.normal(0, 1, 60))
    assert "too few replications" in (noise_warning(noise, "y", "y") or "")
    one = signal.drop_duplicates("sample")
    assert "one replication" in (noise_warning(one, "y", "y") or "")


def test_sobol_command_writes_second_order_indices_and_its_warnings(tmp_path: Path) -> None:
    path = tmp_path / "sa.toml"
    path.write_text(SWEEP.replace("levels = 4", "levels = 4\nsecond_order = true\ndummy = true")
                    .replace('outputs = ["distance_to_target", "cost_cum"]',
                             'outputs = ["distance_to_target"]'))
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "sim", "sensitivity", str(path), "--method", "sobol", "--out",
         str(out), "--workers", "2", "--no-progress"],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    pairs = pd.read_csv(out / "sobol_second_order.csv")
    assert len(pairs) == 2 * 6  # two strategies, six pairs of three parameters and the dummy
    indices = pd.read_csv(out / "indices.csv")
    assert "dummy" in set(indices["parameter"])
    steps = pd.read_csv(out / "sobol_convergence.csv")
    assert set(steps["N"]) == {4} and set(steps["parameter"]) == set(indices["parameter"])
    assert (out / "figures" / "sobol_convergence.png").stat().st_size > 1000
    assert {"parameter_a", "parameter_b", "S2", "conf"} <= set(pairs.columns)
    notes = (out / "sensitivity_warnings.txt").read_text()
    assert "one replication per design point" in notes  # N = 4 and 1 replication: warned
    assert "warning: " in proc.stderr and "wider than the index" in notes
