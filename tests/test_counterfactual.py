"""Counterfactual outcomes over ``none``: hand-made tables with known answers, coverage of the
bootstrap interval on synthetic data, BH on a worked example, and the compare CLI."""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from sim.cli.compare import compare as compare_command
from sim.experiments import counterfactual as cf
from sim.experiments.stats import StoppingRule, fdr_bh

ROOT = Path(__file__).resolve().parents[1]
CLASSROOM = str(ROOT / "scenarios" / "classroom.toml")
BASE_DISTANCE = 0.30


def long_table(curves: dict[str, list[np.ndarray]], costs: dict[str, list[float]]
               ) -> pd.DataFrame:
    """Weekly table from effect curves in points (distance = 0.30 − E/100 under each
    strategy, none flat) and final costs (cost grows linearly to the final value)."""
    rows = []
    for strategy, per_seed in curves.items():
        for rep, effect in enumerate(per_seed):
            weeks = np.arange(effect.size)
            final = costs[strategy][rep]
            rows.append(pd.DataFrame({
                "strategy": strategy, "replication": rep, "seed": rep, "week": weeks,
                "distance_to_target": BASE_DISTANCE - effect / 100.0,
                "cost_cum": final * weeks / weeks[-1],
                "hours_per_employee": 1.0 + rep,  # an extra column must not disturb anything
            }))
    return pd.concat(rows, ignore_index=True)


def flat(weeks: int, value: float = 0.0) -> np.ndarray:
    return np.full(weeks + 1, value)


def final_only(weeks: int, value: float) -> np.ndarray:
    """Effect 0 until the last week, ``value`` at the last week (the ICER reads the end)."""
    e = np.zeros(weeks + 1)
    e[-1] = value
    return e


# --- ICER and CEAC on hand-made tables ----------------------------------------------------


def test_icer_of_a_hand_made_table() -> None:
    # per seed: effect 2, 3, 1 points; incremental cost 20 k, 40 k, 30 k EUR
    weeks = 10
    ts = long_table(
        {"none": [flat(weeks)] * 3,
         "a": [final_only(weeks, 2.0), final_only(weeks, 3.0), final_only(weeks, 1.0)]},
        {"none": [1000.0, 1000.0, 1000.0], "a": [21_000.0, 41_000.0, 31_000.0]})
    tables = cf.counterfactual_tables(ts, 5, settings=cf.Settings(durability_weeks=5))
    row = tables["counterfactual"].iloc[0]
    assert tables["ceac"]["wtp"].max() == pytest.approx(30_000.0)  # auto: twice the ICER
    assert row["effect_final"] == pytest.approx(2.0)
    assert row["incremental_cost"] == pytest.approx(30_000.0)
    assert row["icer"] == pytest.approx(15_000.0)  # 30 000 / 2, a ratio of means
    assert row["icer_low"] <= 15_000.0 <= row["icer_high"]
    # the lowest and highest possible resampled ratios bound the interval
    assert row["icer_low"] >= 10_000.0 - 1e-6 and row["icer_high"] <= 30_000.0 + 1e-6


def test_ceac_follows_the_efficient_frontier() -> None:
    # no sampling noise: a buys 2 points for 20 k (ICER 10 k); b buys 4 points for 60 k,
    # i.e. 2 more points for 40 k more than a (incremental ICER 20 k). Theory: none is best
    # below 10 k per point, a between 10 k and 20 k, b above 20 k.
    weeks = 6
    ts = long_table(
        {"none": [flat(weeks)] * 4, "a": [final_only(weeks, 2.0)] * 4,
         "b": [final_only(weeks, 4.0)] * 4},
        {"none": [0.0] * 4, "a": [20_000.0] * 4, "b": [60_000.0] * 4})
    settings = cf.Settings(durability_weeks=3, wtp=(0.0, 30_000.0), resamples=200)
    tables = cf.counterfactual_tables(ts, 3, settings=settings)
    icer = tables["counterfactual"].set_index("strategy")["icer"]
    assert icer["a"] == pytest.approx(10_000.0) and icer["b"] == pytest.approx(15_000.0)
    curve = tables["ceac"].pivot(index="wtp", columns="strategy", values="probability")
    assert len(curve) == cf.WTP_STEPS
    assert np.allclose(curve.sum(axis=1), 1.0)
    for wtp, winner in ((0.0, "none"), (9_000.0, "none"), (12_000.0, "a"), (19_500.0, "a"),
                        (21_000.0, "b"), (30_000.0, "b")):
        row = curve.iloc[int(np.argmin(np.abs(curve.index - wtp)))]
        assert row[winner] == 1.0, (wtp, row.to_dict())


def test_ceac_probabilities_by_hand() -> None:
    # four draws of (mean cost, mean effect) for one strategy: at 15 k per point the net
    # benefit 15 000 E − C is > 0 in draws 1 and 3 only
    cost = np.array([[10_000.0], [40_000.0], [20_000.0], [50_000.0]])
    effect = np.array([[1.0], [2.0], [2.0], [3.0]])
    table = cf.ceac(cost, effect, ["s"], np.array([0.0, 15_000.0, 100_000.0]))
    p = table.pivot(index="wtp", columns="strategy", values="probability")
    assert p.loc[0.0, "none"] == 1.0
    assert p.loc[15_000.0, "s"] == 0.5 and p.loc[15_000.0, "none"] == 0.5
    assert p.loc[100_000.0, "s"] == 1.0


# --- a strategy equal to none -------------------------------------------------------------


def test_strategy_equal_to_none_has_zero_effect_and_undefined_icer() -> None:
    weeks = 12
    rng = np.random.default_rng(3)
    seeds = [rng.normal(0.0, 0.5, weeks + 1) for _ in range(5)]  # none's own noise
    ts = long_table({"none": seeds, "same": seeds},
                    {"none": [500.0] * 5, "same": [500.0] * 5})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no division by zero, no invalid-value warnings
        tables = cf.counterfactual_tables(ts, 8, settings=cf.Settings(durability_weeks=4,
                                                                       resamples=200))
    row = tables["counterfactual"].iloc[0]
    assert row["effect_final"] == 0.0 and row["effect_end_intervention"] == 0.0
    assert row["incremental_cost"] == 0.0
    assert math.isnan(row["icer"]) and math.isnan(row["icer_low"])
    assert math.isnan(row["durability_after_intervention"])
    weekly = tables["counterfactual_weekly"]
    assert (weekly["mean"] == 0.0).all()
    (message,) = [m for m in cf.messages(tables["counterfactual"]) if m.startswith("same:")]
    assert "no effect on alignment over none" in message and "ICER undefined" in message
    # ties go to none: a strategy equal to doing nothing is never the better buy
    assert (tables["ceac"].query("strategy == 'none'")["probability"] == 1.0).all()
    assert tables["ceac"]["wtp"].max() == cf.FALLBACK_WTP_MAX  # no ICER to scale by


def test_a_strategys_intervals_do_not_depend_on_the_others_compared() -> None:
    rng = np.random.default_rng(5)
    weeks = 8
    curves = {"none": [flat(weeks)] * 6,
              "a": [final_only(weeks, v) for v in rng.normal(2.0, 0.5, 6)],
              "b": [final_only(weeks, v) for v in rng.normal(3.0, 0.5, 6)]}
    costs = {"none": [0.0] * 6, "a": list(rng.normal(2e4, 3e3, 6)),
             "b": list(rng.normal(5e4, 3e3, 6))}
    settings = cf.Settings(durability_weeks=2, resamples=300)
    both = cf.counterfactual_tables(long_table(curves, costs), 4, settings=settings)
    only_b = cf.counterfactual_tables(
        long_table({k: curves[k] for k in ("none", "b")}, costs), 4, settings=settings)
    row_both = both["counterfactual"].set_index("strategy").loc["b"]
    row_b = only_b["counterfactual"].set_index("strategy").loc["b"]
    assert (row_both["icer_low"], row_both["icer_high"]) == (row_b["icer_low"],
                                                             row_b["icer_high"])


def test_worse_than_none_and_costlier_is_dominated() -> None:
    weeks = 6
    ts = long_table({"none": [flat(weeks)] * 3, "bad": [flat(weeks, -1.0)] * 3},
                    {"none": [0.0] * 3, "bad": [9_000.0] * 3})
    table = cf.counterfactual_tables(ts, 3, settings=cf.Settings(durability_weeks=3))[
        "counterfactual"]
    assert math.isnan(table["icer"].iloc[0])
    assert "dominated by none" in table["note"].iloc[0]


# --- durability and speed on hand-made curves -------------------------------------------


def ramp_and_decay(weeks: int = 40) -> np.ndarray:
    """E(t) = 0.4 t up to the peak at week 9 (3.6 points), then 0.1 point lost per week."""
    t = np.arange(weeks + 1, dtype=float)
    return np.where(t <= 9, 0.4 * t, 3.6 - 0.1 * (t - 9))


def test_durability_after_intervention_and_after_peak() -> None:
    e = ramp_and_decay()
    ts = long_table({"none": [flat(40)] * 3, "s": [e] * 3},
                    {"none": [0.0] * 3, "s": [1.0] * 3})
    row = cf.counterfactual_tables(ts, 20, settings=cf.Settings(durability_weeks=10))[
        "counterfactual"].iloc[0]
    # end of intervention I = 20: E(20) = 2.5, E(30) = 1.5
    assert row["durability_after_intervention"] == pytest.approx(1.5 / 2.5)
    # own peak P = 9: E(9) = 3.6, E(19) = 2.6
    assert row["peak_week"] == 9 and row["peak_effect"] == pytest.approx(3.6)
    assert row["durability_after_peak"] == pytest.approx(2.6 / 3.6)
    # yardstick past the horizon after the intervention (20 + 25 > 40), not after the peak
    row = cf.counterfactual_tables(ts, 20, settings=cf.Settings(durability_weeks=25))[
        "counterfactual"].iloc[0]
    assert math.isnan(row["durability_after_intervention"])
    assert "past the horizon" in row["note"]
    assert row["durability_after_peak"] == pytest.approx((3.6 - 2.5) / 3.6)


def test_speed_on_a_hand_made_curve() -> None:
    e = ramp_and_decay()
    weeks = np.arange(e.size)
    # half of the maximum 3.6 is 1.8, first reached at week 5 (0.4 * 5 = 2.0)
    assert cf.weeks_to_half_max(weeks, e) == 5.0
    # one point: 0.4 t >= 1 from week 3
    assert cf.weeks_to_level(weeks, e, 1.0) == 3.0
    assert math.isnan(cf.weeks_to_level(weeks, e, 5.0))  # never that large
    spike = np.zeros(20)
    spike[2] = 5.0  # one noisy week does not count: the level must hold for 4 weeks
    spike[10:] = 3.0
    assert cf.weeks_to_half_max(np.arange(20), spike) == 10.0
    ts = long_table({"none": [flat(40)] * 2, "s": [e] * 2}, {"none": [0.0] * 2, "s": [1.0] * 2})
    row = cf.counterfactual_tables(ts, 20, settings=cf.Settings(durability_weeks=10,
                                                                threshold=1.0))[
        "counterfactual"].iloc[0]
    assert row["weeks_to_half_max"] == 5.0 and row["weeks_to_threshold"] == 3.0
    assert row["weeks_to_threshold_reached"] == 2


# --- the bootstrap interval's coverage ----------------------------------------------------


def test_icer_bootstrap_interval_covers_about_95_percent() -> None:
    # synthetic paired seeds: effect ~ N(2, 0.5) points, cost = 10 k per point + noise,
    # so the true ratio of mean cost to mean effect is 10 000 EUR per point
    rng = np.random.default_rng(2024)
    boot = np.random.default_rng(7)
    hits, draws, n = 0, 200, 20
    for _ in range(draws):
        effect = rng.normal(2.0, 0.5, n)
        cost = 10_000.0 * effect + rng.normal(0.0, 3_000.0, n)
        idx = cf.bootstrap_indices(n, 1000, boot)
        low, high = cf.percentile_interval(cf.ratio_draws(cost, effect, idx))
        hits += low <= 10_000.0 <= high
    assert 0.90 <= hits / draws <= 0.99, hits / draws


# --- multiplicity and the stopping rule --------------------------------------------------


def test_benjamini_hochberg_on_a_worked_example() -> None:
    # by hand: sorted 0.01, 0.03, 0.04, 0.2 with m = 4 give 0.04, 0.06, 0.0533, 0.2; the
    # running minimum from the top makes 0.06 -> 0.0533. NaN (no test) stays NaN, uncounted.
    adjusted = fdr_bh([0.01, 0.04, np.nan, 0.03, 0.2])
    expected = [0.04, 0.16 / 3, np.nan, 0.16 / 3, 0.2]
    np.testing.assert_allclose(adjusted, expected, rtol=1e-12)


def test_stopping_rule_watches_the_paired_difference() -> None:
    rule = StoppingRule(precision=0.5, min_replications=4, max_replications=20, batch=2,
                        half_width=0.01)
    levels = {"none": [1.0, 1.1, 0.9, 1.0], "a": [1.2, 1.3, 1.1, 1.2]}
    tight = {"a - none": [0.2, 0.2, 0.201, 0.199]}
    loose = {"a - none": [0.0, 0.4, -0.2, 0.6]}
    assert rule.is_met(levels, tight)
    assert not rule.is_met(levels, loose)
    assert rule.next_count(4, levels, loose) == 6
    assert rule.next_count(4, levels, tight) == 4
    with pytest.raises(ValueError, match="half_width"):
        StoppingRule(half_width=0.0)


# --- settings and parsing ----------------------------------------------------------------


@pytest.mark.parametrize("text", ["5:5", "9:1", "abc", "1:2:3", "-1:5", "0:inf"])
def test_wtp_range_must_be_a_non_empty_interval(text: str) -> None:
    with pytest.raises(ValueError):
        cf.parse_wtp(text)


def test_wtp_parsing_and_settings_round_trip() -> None:
    assert cf.parse_wtp("auto") is None
    assert cf.parse_wtp("0:2_000_000") == (0.0, 2_000_000.0)
    s = cf.Settings(durability_weeks=26, threshold=0.5, wtp=(0.0, 5e5))
    assert cf.Settings.from_dict(json.loads(json.dumps(s.as_dict()))) == s
    assert cf.Settings.from_dict({"baseline": "none"}) == cf.Settings()
    assert cf.with_baseline(["training", "teams"]) == (["none", "training", "teams"], True)
    assert cf.with_baseline(["teams", "none"]) == (["teams", "none"], False)


# --- the compare command -----------------------------------------------------------------


SHORT = ["--set", "horizon.intervention_weeks=12", "--set", "horizon.followup_weeks=8"]


@pytest.fixture
def cli() -> typer.Typer:
    app = typer.Typer()
    app.command("compare")(compare_command)

    @app.command("other")
    def _other() -> None:  # a second command keeps typer in multi-command mode
        """Unused."""

    return app


def test_cli_adds_none_shows_the_table_and_says_when_auto_hit_the_cap(
        cli: typer.Typer, tmp_path: Path) -> None:
    out = tmp_path / "c"
    res = CliRunner().invoke(cli, [
        "compare", CLASSROOM, "--strategies", "training", "--replications", "auto",
        "--min-replications", "3", "--max-replications", "3", "--half-width", "1e-9",
        "--workers", "1", *SHORT, "--durability-weeks", "6", "--threshold", "0.5",
        "--wtp", "0:200000", "--out", str(out), "--no-progress", "--no-figures"])
    assert res.exit_code == 0, res.output
    assert "added 'none' as the baseline" in res.output
    assert "Effects over none" in res.output and "ICER" in res.output
    assert "durability after own peak" in res.output
    assert "stopped at the cap of 3 replications without reaching the target" in res.output
    assert "paired difference of distance_to_target_final <= 1e-09" in res.output
    assert "auto: achieved: training - none:" in res.output
    m = json.loads((out / "manifest.json").read_text())
    assert m["strategies"] == ["none", "training"]
    assert m["counterfactual"]["durability_weeks"] == 6
    assert m["counterfactual"]["wtp"] == [0.0, 200000.0]
    trace = m["stopping_rule"]["trace"][-1]
    assert "half_width[training - none]" in trace and not trace["met"]
    assert "--half-width 1e-09" in m["command"] and "--durability-weeks 6" in m["command"]
    table = pd.read_csv(out / "counterfactual.csv")
    assert list(table["strategy"]) == ["training"] and (table["n"] == 3).all()
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "paired difference of the key outcome (each strategy − the baseline) at most 1e-09" \
        in report and "Stopped at the cap of 3 replications" in report
    ceac = pd.read_csv(out / "ceac.csv")
    assert ceac["wtp"].min() == 0.0 and ceac["wtp"].max() == 200_000.0
    paired = pd.read_csv(out / "paired.csv")
    assert "p_value_bh" in paired.columns
    assert (paired["p_value_bh"].dropna() >= paired.loc[paired["p_value_bh"].notna(),
                                                         "p_value"]).all()


def test_cli_without_counterfactual_leaves_none_out(cli: typer.Typer, tmp_path: Path) -> None:
    out = tmp_path / "c"
    out.mkdir()
    (out / "counterfactual.csv").write_text("strategy\nfrom an earlier comparison\n")
    res = CliRunner().invoke(cli, [
        "compare", CLASSROOM, "--strategies", "training", "--replications", "2",
        "--workers", "1", "--weeks", "10", "--no-counterfactual", "--out", str(out),
        "--no-progress", "--no-figures", "--overwrite"])  # a table without a record: refused
    assert res.exit_code == 0, res.output                 # unless --overwrite
    assert "added 'none'" not in res.output and "Effects over none" not in res.output
    assert not (out / "counterfactual.csv").exists()
    assert "no effects over doing nothing" in (out / "report.html").read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--durability-weeks", "500"], "error: --durability-weeks: week 12 + 500"),
        (["--durability-weeks", "0"], "error: --durability-weeks:"),
        (["--wtp", "5:5"], "error: --wtp:"),
        (["--wtp", "10:1"], "error: --wtp:"),
        (["--wtp", "cheap"], "error: --wtp:"),
        (["--threshold", "0"], "error: --threshold:"),
        (["--threshold", "inf"], "error: --threshold:"),
        (["--key-outcome", "nothing"], "error: --key-outcome: unknown outcome 'nothing'"),
        (["--replications", "auto", "--key-outcome", "cost_total"], "error: --half-width:"),
        (["--replications", "auto", "--half-width", "-1"], "error: --half-width:"),
    ],
)
def test_cli_bad_counterfactual_options_exit_2_with_one_line(
        cli: typer.Typer, tmp_path: Path, args: list[str], message: str) -> None:
    res = CliRunner().invoke(cli, ["compare", CLASSROOM, "--strategies", "none,training",
                                   *SHORT, *args, "--out", str(tmp_path / "x")])
    assert res.exit_code == 2, res.output
    assert res.output.strip().splitlines() == [res.output.strip()]
    assert res.output.startswith(message), res.output
    assert not (tmp_path / "x").exists()  # nothing ran


def test_readme_main_job_compares_with_none_and_shows_the_table() -> None:
    from sim.cli import compare as compare_cli

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- main-command -->")[1].split("<!-- /main-command -->")[0]
    assert "merger-sim compare" in block and "--strategies" not in block  # the defaults
    import inspect

    default = inspect.signature(compare_cli.compare).parameters["strategies"].default
    assert default.split(",")[0] == "none"
    assert inspect.signature(compare_cli.compare).parameters["counterfactual"].default is True
    intro = text.split("<!-- main-command -->")[0]
    assert "`none`" in intro and "counterfactual table" in intro
