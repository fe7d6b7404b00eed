"""Equal-budget comparison: pymoo's frontier on hand-made points, the Latin hypercube of the
levers, the whole experiment on a fake world with a known answer, and the experiment script
on the classroom scenario (tiny sizes)."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.experiments.fairtest import frontier, runs
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
TINY = {"horizon.intervention_weeks": 20, "horizon.followup_weeks": 10}


def test_pareto_mask_by_hand() -> None:
    # (cost, effect): b dominates a (cheaper, better); c and d are trade-offs; e is dominated
    # by d (same cost, less effect); f has no value and is never on the frontier
    cost = np.array([5.0, 4.0, 1.0, 8.0, 8.0, np.nan])
    effect = np.array([2.0, 3.0, 1.0, 6.0, 5.0, 9.0])
    assert frontier.pareto_mask(cost, effect).tolist() == [False, True, True, True, False,
                                                           False]


def test_latin_hypercube_covers_every_stratum() -> None:
    levers = frontier.levers_for("teams", load_scenario("case"))
    designs = pd.DataFrame(frontier.latin_hypercube(levers, 9, seed=4))
    # one design per ninth of each lever's range: theme_count 1..9 takes every value once
    assert sorted(designs["teams.theme_count"]) == list(range(1, 10))
    for lever in levers:
        assert designs[lever.path].between(lever.low, lever.high).all(), lever.path
    again = pd.DataFrame(frontier.latin_hypercube(levers, 9, seed=4))
    assert designs.equals(again)
    training = pd.DataFrame(frontier.latin_hypercube(
        frontier.levers_for("training", load_scenario("case")), 10, seed=1))
    assert set(training["training.refresher"]) == {True, False}  # five of each stratum half


def test_levers_fit_the_scenario() -> None:
    classroom = load_scenario("classroom")
    theme = {lv.path: lv for lv in frontier.levers_for("teams", classroom)}["teams.theme_count"]
    assert theme.high == len(classroom.themes) == 4
    with pytest.raises(runs.FairTestError, match="no design levers for 'none'"):
        frontier.levers_for("none", classroom)


def test_every_lever_is_a_scenario_parameter_within_its_bounds() -> None:
    from sim.scenario import describe_parameter

    for levers in frontier.LEVERS.values():
        for lever in levers:
            info = describe_parameter(lever.path)
            if lever.kind != "bool":
                assert info.minimum is None or lever.low >= info.minimum, lever.path
                assert info.maximum is None or lever.high <= info.maximum, lever.path


# --- the whole experiment on a fake world with a known answer -----------------------------


def fake_world(teams_gain: float):
    """Measures of a world where cost is set by the levers and the effect over none is
    gain * sqrt(cost / 10 000 EUR) points plus seed noise: teams buy ``teams_gain`` times
    what training buys with the same money."""

    def cost_of(req: runs.Request) -> float:
        p = req.params
        if req.strategy == "training":
            return 600.0 * p.get("training.cohort_size", 20) * p.get(
                "training.days_per_trainee", 4.0) * (2 if p.get("training.refresher") else 1)
        if req.strategy == "teams":
            return 8000.0 * p.get("teams.theme_count", 9) * p.get("teams.session_hours", 3.0)
        return 0.0

    def measure(requests: Sequence[runs.Request]) -> pd.DataFrame:
        rows = []
        for req in requests:
            noise = np.random.default_rng([req.seed, len(req.label)]).normal(0.0, 0.05)
            cost = cost_of(req)
            gain = {"training": 1.0, "teams": teams_gain}.get(req.strategy, 0.0)
            effect = gain * math.sqrt(cost / 1e4) + (noise if gain else 0.0)
            row = {"label": req.label, "strategy": req.strategy, "seed": req.seed,
                   "end_week": 20, "final_week": 30}
            for when, share in (("end", 1.0), ("final", 0.5)):
                row[f"distance_to_target@{when}"] = 0.3 - share * effect / 100
                row[f"city_divergence@{when}"] = 0.1 - share * effect / 200
                row[f"client_value@{when}"] = 0.5 + effect / 100
                row[f"cost_cum@{when}"] = 1000.0 + cost
            rows.append(row)
        return pd.DataFrame(rows)

    return measure


def test_equal_budget_finds_the_known_winner() -> None:
    case = load_scenario("case")
    result = frontier.equal_budget(fake_world(teams_gain=2.0), case, designs_per_strategy=24,
                                   seeds=3, fresh_seeds=5)
    comp = result.comparison
    assert len(comp) == 3 * len(frontier.OUTCOMES)
    # teams buy twice the effect per sqrt(euro): they win at every budget and outcome, and
    # the cheaper-or-equal constraint holds for both designs on the fresh seeds
    assert (comp["verdict"] == "teams more").all(), comp[["budget", "outcome", "verdict"]]
    for strategy in frontier.PAIR:
        assert (comp[f"{strategy}_cost"] <= comp["budget"] + 1e-6).all()
    # durability: the fake keeps half of the effect at the end of the run
    defined = result.summary["durability"].dropna()
    assert np.allclose(defined, 0.5, atol=0.05)
    # the frontier of each strategy is increasing in cost and effect
    for strategy in frontier.PAIR:
        front = result.summary[(result.summary["strategy"] == strategy)
                               & result.summary["on_front_alignment_end"]]
        front = front.sort_values("total_cost")
        assert front["alignment_end"].is_monotonic_increasing
    # the p-values are BH-adjusted over the table's comparisons
    assert (comp["p_bh"] >= comp["p_value"] - 1e-12).all()


def test_equal_strategies_show_no_difference() -> None:
    result = frontier.equal_budget(fake_world(teams_gain=1.0), load_scenario("case"), 24, 3, 6)
    # same cost-effect curve: differences come from where each lever grid lands, never a
    # large one; and no budget sees one strategy beat the other by a point
    assert (result.comparison["difference"].abs() < 1.0).all()


def test_budgets_need_overlapping_costs() -> None:
    summary = pd.DataFrame({"strategy": ["training", "training", "teams", "teams"],
                            "total_cost": [1.0, 2.0, 5.0, 6.0]})
    with pytest.raises(runs.FairTestError, match="do not overlap"):
        frontier.budget_levels(summary)
    summary.loc[2, "total_cost"] = 1.5
    assert frontier.budget_levels(summary) == pytest.approx([1.625, 1.75, 1.875])


def test_paired_effects_refuse_an_unpaired_seed() -> None:
    m = fake_world(1.0)([runs.Request("none", "none", 0), runs.Request("t", "training", 1)])
    with pytest.raises(runs.FairTestError, match="seed 1: no none run"):
        runs.paired_effects(m)


# --- the experiment script on the classroom scenario ------------------------------------


def test_equal_budget_script_on_the_classroom(tmp_path: Path, capsys) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("equal_budget",
                                                  ROOT / "experiments" / "equal_budget.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    out = tmp_path / "eb"
    sets = [f"--set={k}={v}" for k, v in TINY.items()]
    args = ["--scenario", "classroom", "--designs", "3", "--seeds", "2", "--fresh-seeds", "2",
            "--executor", "serial", "--quiet", "--out", str(out), *sets]
    assert script.main(args) == 0
    for name in ("design_summary.csv", "budget_comparison.csv", "equal_budget.json",
                 "equal_budget.md", "figures/equal_budget_frontier.png"):
        assert (out / name).is_file(), name
    settings = json.loads((out / "equal_budget.json").read_text())
    assert settings["overrides"] == TINY and len(settings["budgets"]) == 3
    table = pd.read_csv(out / "budget_comparison.csv")
    assert set(table["outcome"]) == set(frontier.OUTCOMES)
    # never overwrite: the same folder again is refused with one line and exit code 2
    capsys.readouterr()
    assert script.main(args) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: --out:") and "\n" not in err


@pytest.mark.slow
def test_the_fair_test_runs_scale_out_on_dask_unchanged() -> None:
    """The same requests on a Dask cluster give the same measures as in this process."""
    from distributed import LocalCluster

    requests = [runs.Request("none", "none", 3),
                runs.Request("t", "teams", 3, {"teams.theme_count": 2}),
                runs.Request("r", "training", 3, {"training.refresher": True})]
    serial = runs.executor_measures("classroom", TINY, executor="serial")(requests)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, worker_dashboard_address=None) as cluster:
        dask = runs.executor_measures("classroom", TINY, executor="dask",
                                      scheduler=cluster.scheduler_address)(requests)
    pd.testing.assert_frame_equal(serial, dask)


def test_the_fair_test_runs_go_through_the_sweep_run_loop(monkeypatch) -> None:
    """One run loop (issue 13): the fair test's runs go through the sweep's
    :func:`~sim.experiments.sweep.runner.drive`. A run whose worker is lost goes again with
    the same code fingerprint (the workers' code check holds on a retry too) and gives the
    same measures; a run lost on every attempt stops the experiment, naming it."""
    from concurrent.futures.process import BrokenProcessPool

    from sim.experiments.sweep import executors, runner

    requests = [runs.Request("none", "none", 3),
                runs.Request("t", "teams", 3, {"teams.theme_count": 2})]
    plain = runs.executor_measures("classroom", TINY, executor="serial")(requests)

    class Flaky(executors.SerialExecutor):
        """Loses the first ``losses`` attempts of the teams run (a worker that died)."""

        def __init__(self, losses: int) -> None:
            super().__init__()
            self.losses, self.seen = losses, []

        def next_done(self):
            task = self._queue[0]
            self.seen.append(task)
            if task.spec.strategy == "teams" and task.attempt < self.losses:
                self._queue.popleft()
                return task, BrokenProcessPool("a worker died")
            return super().next_done()

    pools: list[Flaky] = []

    def flaky(losses: int):
        def make(*args, **kwargs) -> Flaky:
            pools.append(Flaky(losses))
            return pools[-1]
        return make

    loops: list[int] = []
    drive = runner.drive
    monkeypatch.setattr(runner, "drive", lambda *a, **k: loops.append(1) or drive(*a, **k))
    monkeypatch.setattr(executors, "make_executor", flaky(1))
    again = runs.executor_measures("classroom", TINY, executor="serial")(requests)
    pd.testing.assert_frame_equal(plain, again)
    assert loops == [1]
    tries = [t for t in pools[-1].seen if t.spec.strategy == "teams"]
    assert [t.attempt for t in tries] == [0, 1]
    assert tries[0].code and tries[1].code == tries[0].code
    monkeypatch.setattr(executors, "make_executor", flaky(99))
    with pytest.raises(runs.FairTestError, match=r"run t \(teams, seed 3\) failed: lost"):
        runs.executor_measures("classroom", TINY, executor="serial")(requests)
    assert len([t for t in pools[-1].seen if t.spec.strategy == "teams"]) == 1 + 2
