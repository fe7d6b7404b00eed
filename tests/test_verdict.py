"""What the verdict depends on: Sobol indices of the Ishigami function through the
paired-difference path, a strategy equal to none, PRIM on a fake world with a known region,
the assumption check, and the experiment script on the classroom scenario."""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import pytest

from sim.experiments.fairtest import runs, verdict

ROOT = Path(__file__).resolve().parents[1]
TINY = {"horizon.intervention_weeks": 20, "horizon.followup_weeks": 10}

# Ishigami & Homma (1990), a = 7, b = 0.1: the analytic indices (Saltelli et al. 2008)
S1 = {"x1": 0.3139, "x2": 0.4424, "x3": 0.0}
ST = {"x1": 0.5576, "x2": 0.4424, "x3": 0.2437}


def ishigami(x1: float, x2: float, x3: float) -> float:
    return math.sin(x1) + 7.0 * math.sin(x2) ** 2 + 0.1 * x3**4 * math.sin(x1)


def fake_measures(teams_effect, training_effect, teams_cost, training_cost):
    """Measures of paired runs: none drifts with the seed; each strategy's effect over none
    (points) and total cost are functions of the point's parameters."""

    def measure(requests: Sequence[runs.Request]) -> pd.DataFrame:
        rows = []
        for req in requests:
            drift = 0.01 * (req.seed % 97 + 1)  # none's own noise: paired away
            p = dict(req.params)
            effect = {"teams": teams_effect, "training": training_effect}.get(
                req.strategy, lambda p: 0.0)(p)
            cost = {"teams": teams_cost, "training": training_cost}.get(
                req.strategy, lambda p: 0.0)(p)
            row = {"label": req.label, "strategy": req.strategy, "seed": req.seed}
            for when, keep in (("end", 1.0), ("final", 0.8)):
                row[f"distance_to_target@{when}"] = 0.3 + drift - keep * effect / 100.0
                row[f"city_divergence@{when}"] = 0.1
                row[f"client_value@{when}"] = 0.5
                row[f"cost_cum@{when}"] = 5000.0 + cost
            rows.append(row)
        return pd.DataFrame(rows)

    return measure


def test_sobol_of_ishigami_through_the_paired_difference_path() -> None:
    prob = {"num_vars": 4, "names": ["x1", "x2", "x3", verdict.DUMMY],
            "bounds": [[-math.pi, math.pi]] * 3 + [[0.0, 1.0]]}
    n = 512
    design = verdict.sobol_design(prob, n, seed=1)
    # teams − training on alignment is the Ishigami function; both share a constant part
    measure = fake_measures(lambda p: 20.0 + ishigami(p["x1"], p["x2"], p["x3"]),
                            lambda p: 20.0, lambda p: 1e5, lambda p: 1e5)
    m = measure(verdict.point_requests(prob, design, seeds=[0, 1]))
    outputs = verdict.point_outputs(m, len(design))
    name = verdict.DIFFERENCES[0]
    raw, messages = verdict.sobol_indices(prob, outputs, n, names=[name], seed=2)
    table = verdict.noise_floor(raw)
    full = table[table["N"] == n].set_index("parameter")
    for p in ("x1", "x2", "x3"):
        assert full.loc[p, "S1"] == pytest.approx(S1[p], abs=0.06), p
        assert full.loc[p, "ST"] == pytest.approx(ST[p], abs=0.06), p
        assert full.loc[p, "above_floor"], p
    assert abs(full.loc[verdict.DUMMY, "ST"]) < 0.02
    assert not full.loc[verdict.DUMMY, "above_floor"]
    assert sorted(set(table["N"])) == [128, 256, 512]  # the convergence check
    assert messages == []
    # the bootstrap intervals are seeded: the same outputs give the same table
    again, _ = verdict.sobol_indices(prob, outputs, n, names=[name], seed=2)
    assert again.equals(raw)
    top = verdict.deciding(table, [name])
    assert top["parameter"].tolist() == ["x1", "x2", "x3"]


def test_the_dummy_redraws_each_points_seed_and_keeps_the_pairing() -> None:
    prob = verdict.problem(["training.dose", "costs.team_hour_eur"])
    design = verdict.sobol_design(prob, 4, seed=0)
    reqs = verdict.point_requests(prob, design, [0, 1], baseline_once=True)
    by_point: dict[str, dict[str, set[int]]] = {}
    for req in reqs:
        assert verdict.DUMMY not in req.params  # no run reads the dummy
        by_point.setdefault(req.label, {}).setdefault(req.strategy, set()).add(req.seed)
    baseline_seeds = by_point.pop(verdict.BASELINE)[verdict.BASELINE]
    for point in by_point.values():  # every strategy at a point runs on the same seeds
        assert point["teams"] == point["training"]
        assert point["teams"] <= baseline_seeds  # and each has its none run
    # a Saltelli block (A, AB_1, AB_2, AB_dummy, B) has two dummy values: A's and B's
    assert len(baseline_seeds) == 2 * 4 * 2
    rows = len(design) // 4
    block = [by_point[str(i)]["teams"] for i in range(rows)]
    assert block[0] == block[1] == block[2] != block[3] == block[4]


def test_the_dummy_measures_the_seeds_noise_and_nothing_else() -> None:
    """A difference with seed noise that pairing cannot remove: the dummy's ST is above 0
    (before the redraw it was exactly 0), and a parameter with no influence stays below it."""
    prob = verdict.problem(["training.dose", "costs.team_hour_eur"])
    n = 64
    design = verdict.sobol_design(prob, n, seed=3)

    def measure(requests):
        rows = []
        for req in requests:
            noise = (req.seed % 1000) / 1000.0  # teams' own seed noise, not shared by none
            effect = {"teams": 20.0 * req.params.get("training.dose", 0) + 5.0 * noise,
                      "training": 5.0}.get(req.strategy, 0.0)
            row = {"label": req.label, "strategy": req.strategy, "seed": req.seed}
            for when in ("end", "final"):
                row[f"distance_to_target@{when}"] = 0.3 - effect / 100.0
                row[f"cost_cum@{when}"] = 1e5
            rows.append(row)
        return pd.DataFrame(rows)

    outputs = verdict.point_outputs(
        measure(verdict.point_requests(prob, design, [0], baseline_once=True)), len(design))
    raw, _ = verdict.sobol_indices(prob, outputs, n, names=[verdict.DIFFERENCES[0]], seed=2)
    full = verdict.noise_floor(raw).query("N == @n").set_index("parameter")
    assert full.loc[verdict.DUMMY, "ST"] > 0.02
    assert full.loc["training.dose", "above_floor"]
    assert not full.loc["costs.team_hour_eur", "above_floor"]


def test_a_strategy_equal_to_none_has_zero_effect_and_an_undefined_icer() -> None:
    prob = verdict.problem(["costs.team_hour_eur"])
    design = verdict.sobol_design(prob, 4, seed=0)
    measure = fake_measures(lambda p: 0.0, lambda p: 3.0, lambda p: 0.0, lambda p: 1e5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no division by zero, no invalid-value warnings
        outputs = verdict.point_outputs(measure(verdict.point_requests(prob, design, [0, 1])),
                                        len(design))
        _, messages = verdict.sobol_indices(prob, outputs, 4)
    assert (outputs["teams − none: alignment"] == 0.0).all()
    assert outputs["teams − none: ICER"].isna().all()
    assert outputs["teams − training: ICER"].isna().all()
    assert "teams − none: ICER: undefined at 16 of 16 points (an effect over none below 0.1 " \
           "point), so it has no Sobol indices" in messages
    assert any(m.startswith("teams − none: alignment: the same value at every point")
               for m in messages)
    # training's ICER is defined: 1e5 EUR / (0.8 x 3 points)
    assert outputs["training − none: ICER"].to_numpy() == pytest.approx(1e5 / 2.4)


def test_prim_finds_the_region_where_the_claim_holds() -> None:
    # equal effects; teams cost 1000 EUR per EUR of team_hour_eur, training 45 000: the claim
    # holds exactly where costs.team_hour_eur <= 45 (range 22.5 .. 67.5)
    measure = fake_measures(lambda p: 3.0, lambda p: 3.0,
                            lambda p: 1000.0 * p["costs.team_hour_eur"], lambda p: 45_000.0)
    result = verdict.verdict(measure, n=32, seeds=1,
                             names=["training.dose", "costs.team_hour_eur"])
    first = result.boxes[(result.boxes["box"] == 1) & result.boxes["restricted"]]
    assert first["parameter"].tolist() == ["costs.team_hour_eur"]
    assert first["max"].iloc[0] == pytest.approx(45.0, abs=3.0)
    assert result.box_stats["density"].iloc[0] == pytest.approx(1.0)
    assert any("holds at" in m for m in result.messages)
    # equal effects everywhere: only the ICER difference varies, all of it with the rate
    assert any(m.startswith("teams − training: alignment: the same value") for m in
               result.messages)
    top = result.deciding
    assert top["parameter"].iloc[0] == "costs.team_hour_eur"
    assert top["ST"].iloc[0] == pytest.approx(1.0, abs=0.1)
    assert top["output"].iloc[0] == "teams − training: ICER"


def test_only_assumptions_are_analysed() -> None:
    assert verdict.assumption_parameters() == list(verdict.PARAMETERS)
    with pytest.raises(runs.FairTestError, match=r"turnover\.annual_exit_rate: its source is not"):
        verdict.assumption_parameters(["turnover.annual_exit_rate"])
    with pytest.raises(runs.FairTestError, match="unknown field"):
        verdict.assumption_parameters(["teams.nonsense"])
    with pytest.raises(runs.FairTestError, match="power of 2"):
        verdict.sobol_design(verdict.problem(["training.dose"]), 12)


def test_none_reads_none_of_the_analysed_parameters() -> None:
    measure = runs.executor_measures("classroom", TINY, executor="serial")
    assert verdict.none_reads_none_of(measure, verdict.PARAMETERS, scenario=None)


def test_verdict_script_on_the_classroom(tmp_path: Path, capsys) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("verdict_script",
                                                  ROOT / "experiments" / "verdict.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    out = tmp_path / "v"
    common = ["--scenario", "classroom", "--executor", "serial", "--quiet",
              *[f"--set={k}={v}" for k, v in TINY.items()]]
    args = [*common, "--n", "2", "--out", str(out)]
    assert script.main(args) == 0
    settings = json.loads((out / "verdict.json").read_text())
    assert settings["points"] == 2 * (len(verdict.PARAMETERS) + 3)
    assert (out / "figures" / "verdict_sobol.png").is_file()
    indices = pd.read_csv(out / "indices.csv")
    assert set(indices["parameter"]) == {*verdict.PARAMETERS, verdict.DUMMY}
    capsys.readouterr()
    assert script.main(args) == 2  # never overwrites
    assert capsys.readouterr().err.startswith("error: --out:")
    assert script.main([*common, "--out", str(tmp_path / "w"), "--n", "3"]) == 2
    assert "power of 2" in capsys.readouterr().err


def test_deciding_ranks_parameters_above_the_noise_floor_first() -> None:
    name = verdict.DIFFERENCES
    rows = [  # (output, parameter, ST, ST_conf): "b" has the largest ST, but unconverged
        (name[0], "a", 0.5, 0.1), (name[1], "b", 1.4, 1.6), (name[1], "c", 0.3, 0.1),
        (name[2], "b", 0.04, 0.03), (name[0], verdict.DUMMY, 0.0, 0.0),
        (name[1], verdict.DUMMY, 0.0, 0.0), (name[2], verdict.DUMMY, 0.0, 0.0)]
    table = pd.DataFrame([{"output": o, "parameter": p, "N": 16, "S1": 0.0, "S1_conf": 0.0,
                           "ST": st, "ST_conf": c} for o, p, st, c in rows])
    top = verdict.deciding(verdict.noise_floor(table))
    assert top["parameter"].tolist() == ["a", "c", "b"]
    assert top["above_floor"].tolist() == [True, True, True]
    assert top.loc[2, "output"] == name[2]  # b counts where it is above the floor
