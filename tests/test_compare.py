"""The compare workflow end to end on real classroom runs (about 0.15 s per run)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from sim import run
from sim.cli.compare import compare as compare_command
from sim.experiments.compare import CompareError, load_tables
from sim.experiments.stats import StoppingRule
from sim.presentation.comparison import compare, redraw
from sim.presentation.report import SECTIONS

ROOT = Path(__file__).resolve().parents[1]
CLASSROOM = str(ROOT / "scenarios" / "classroom.toml")
WEEKS = 60  # a shorter horizon keeps the suite fast
PAIR = ["none", "training"]


def failing_run(scenario, strategy, seed, overrides, weeks):
    """A run function that fails for seed 11 under training (picklable: module level)."""
    if seed == 11 and strategy == "training":
        raise RuntimeError("boom in the model")
    return run(scenario, strategy=strategy, seed=seed, overrides=overrides, weeks=weeks)


def no_runs(*args, **kwargs):
    """Stand-in for the engine's run loop while redrawing: any call is a failure."""
    raise AssertionError("redraw must not run the model")


@pytest.fixture(scope="module")
def done(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real 2 x 4 comparison, run without figures, then redrawn from the saved runs."""
    import sim.experiments.compare as cmp

    out = tmp_path_factory.mktemp("cmp")
    compare(CLASSROOM, PAIR, 4, out, workers=2, base_seed=10, progress=False, figures=False)
    assert not (out / "figures").exists()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cmp, "execute_plan", no_runs)
        redraw(out)
    return out


def test_outputs_exist(done: Path) -> None:
    for name in ("summary.csv", "paired.csv", "weekly.csv", "outcomes.csv",
                 "acculturation.csv", "acculturation_summary.csv", "failures.csv",
                 "manifest.json", "report.html", "results.parquet", "run_summary.parquet",
                 "counterfactual.csv", "counterfactual_weekly.csv", "ce_plane.csv", "ceac.csv",
                 "experiment.json"):
        assert (done / name).is_file(), name
    tables = load_tables(done)  # agents and edges of replication 0 only, for the figures
    assert set(tables["agents"]["replication"]) == {0} == set(tables["edges"]["replication"])
    assert len(list((done / "runs").glob("*.acculturation.parquet"))) == 8
    figures = {p.name for p in (done / "figures").iterdir()}
    for stem in ("timeseries", "paired_differences", "cost_alignment", "value_space",
                 "network_none", "network_training", "effect_over_none", "ce_plane", "ceac"):
        assert {f"{stem}.png", f"{stem}.svg"} <= figures


def test_common_random_numbers(done: Path) -> None:
    ts = pd.read_parquet(done / "results.parquet")
    outcomes = pd.read_csv(done / "outcomes.csv")
    assert sorted(outcomes["seed"].unique()) == [10, 11, 12, 13]
    assert (outcomes["seed"] == 10 + outcomes["replication"]).all()
    week0 = ts[ts["week"] == 0].set_index(["replication", "strategy"])["distance_to_target"]
    for rep in range(4):
        # same seed, same initial population under both strategies
        assert week0.loc[(rep, "none")] == week0.loc[(rep, "training")]
    assert week0.loc[(0, "none")] != week0.loc[(1, "none")]


def test_summary_and_paired_tables(done: Path) -> None:
    summary = pd.read_csv(done / "summary.csv")
    assert {"strategy", "outcome", "mean", "sd", "low", "high", "n"} <= set(summary.columns)
    key = summary[summary["outcome"] == "distance_to_target_final"]
    assert list(key["strategy"]) == PAIR and (key["n"] == 4).all()
    assert (key["low"] <= key["mean"]).all() and (key["mean"] <= key["high"]).all()
    paired = pd.read_csv(done / "paired.csv")
    row = paired[paired["outcome"] == "cost_total"].iloc[0]
    assert (row["strategy_a"], row["strategy_b"], row["n"]) == ("none", "training", 4)
    assert row["mean_diff"] > 0  # training costs money
    assert {"cohen_dz", "p_value", "welch_half_width"} <= set(paired.columns)
    weekly = pd.read_csv(done / "weekly.csv")
    assert weekly["week"].max() == run(CLASSROOM, "none", 0).meta["weeks"]


def test_report_is_self_contained(done: Path) -> None:
    text = (done / "report.html").read_text(encoding="utf-8")
    for sid, heading in SECTIONS:
        assert f'id="{sid}"' in text and heading in text
    assert "merger-sim compare" in text and "--strategies none,training" in text
    assert text.count('src="data:image/png;base64,') >= 9
    # the counterfactual section holds its table and the CE plane and CEAC figures
    section = text.split('id="counterfactual"')[1].split("</section>")[0]
    assert "ICER" in section and 'id="fig-ce_plane"' in section and 'id="fig-ceac"' in section
    assert "durability after own peak" in section
    assert "comparisons" in text and "p_value_bh" in text
    # nothing fetched from the network: no external src/href, no @import
    assert not re.search(r'(src|href)="(https?:)?//', text)
    assert "@import" not in text
    manifest = json.loads((done / "manifest.json").read_text())
    assert manifest["provenance"]["scenario_hash"]
    assert manifest["replications_done"] == 4


def test_redraw_rebuilt_figures_and_report_from_saved_runs(done: Path) -> None:
    # the fixture ran without figures, then redrew with the model disabled
    assert (done / "figures" / "timeseries.png").stat().st_size > 0
    assert len(load_tables(done)["outcomes"]) == 8
    assert "figures/timeseries.png" in (done / "report.html").read_text(encoding="utf-8")


def test_counterfactual_tables_are_rebuilt_byte_for_byte(done: Path) -> None:
    from sim.experiments import counterfactual as cf
    from sim.experiments.compare import analyse

    tables = load_tables(done)
    m = tables["manifest"]
    again = analyse(tables, m["strategies"], m["intervention_weeks"],
                    cf.Settings.from_dict(m["counterfactual"]))
    for name in ("counterfactual", "ceac"):
        assert again[name].to_csv(index=False) == (done / f"{name}.csv").read_text()
    row = again["counterfactual"].iloc[0]
    assert row["strategy"] == "training" and row["n"] == 4
    # the effect at the end equals the paired difference of the alignment gains
    paired = pd.read_csv(done / "paired.csv").set_index("outcome")
    assert row["effect_final"] == pytest.approx(
        paired.loc["alignment_gain_final", "mean_diff"])
    assert row["incremental_cost"] == pytest.approx(paired.loc["cost_total", "mean_diff"])


def test_failed_run_is_reported_and_rest_kept(tmp_path: Path) -> None:
    failures = []
    compare(CLASSROOM, PAIR, 3, tmp_path, workers=2, base_seed=10, weeks=WEEKS,
            run_fn=failing_run, progress=False, on_failure=failures.append,
            figures=False)
    assert len(failures) == 1 and "boom in the model" in failures[0].error
    assert (failures[0].strategy, failures[0].seed) == ("training", 11)
    table = pd.read_csv(tmp_path / "failures.csv")
    assert table[["strategy", "seed"]].values.tolist() == [["training", 11]]
    outcomes = pd.read_csv(tmp_path / "outcomes.csv")
    assert len(outcomes) == 5
    paired = pd.read_csv(tmp_path / "paired.csv")
    cost = paired[paired["outcome"] == "cost_total"].iloc[0]
    assert cost["n"] == 2  # replication 1 lost its pair
    assert "boom in the model" in (tmp_path / "report.html").read_text(encoding="utf-8")


def test_progress_bar_shows_runs_done_and_time_left() -> None:
    from rich.progress import MofNCompleteColumn, TimeRemainingColumn

    from sim.experiments.progress import progress_bar

    bar = progress_bar(True)
    kinds = {type(c) for c in bar.columns}
    assert {MofNCompleteColumn, TimeRemainingColumn} <= kinds
    assert progress_bar(False).disable


def test_all_runs_failing_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CompareError, match="all 1 runs failed"):
        compare(CLASSROOM, ["training"], 1, tmp_path, workers=1, base_seed=11,
                run_fn=failing_run, progress=False)


def test_serial_and_parallel_agree(tmp_path: Path) -> None:
    order = ["training", "none"]  # not alphabetical: outputs keep the user's order
    compare(CLASSROOM, order, 2, tmp_path / "s", workers=1, weeks=WEEKS, progress=False,
            figures=False)
    compare(CLASSROOM, order, 2, tmp_path / "p", workers=2, weeks=WEEKS, progress=False,
            figures=False)
    for name in ("results.parquet", "summary.csv", "paired.csv", "outcomes.csv"):
        assert (tmp_path / "s" / name).read_bytes() == (tmp_path / "p" / name).read_bytes()
    summary = pd.read_csv(tmp_path / "p" / "summary.csv")
    assert list(dict.fromkeys(summary["strategy"])) == order
    paired = pd.read_csv(tmp_path / "p" / "paired.csv")
    assert (paired["strategy_a"] == "training").all()  # the first listed is the baseline


def test_auto_replications_stop_and_cap(tmp_path: Path) -> None:
    easy = StoppingRule(precision=0.5, min_replications=3, max_replications=9, batch=2)
    compare(CLASSROOM, PAIR, easy, tmp_path / "easy", workers=2, weeks=WEEKS, progress=False,
            figures=False)
    m = json.loads((tmp_path / "easy" / "manifest.json").read_text())
    assert m["replications_done"] == 3 and m["stopping_rule"]["trace"][-1]["met"]
    hard = StoppingRule(precision=1e-6, min_replications=3, max_replications=5, batch=2)
    compare(CLASSROOM, PAIR, hard, tmp_path / "hard", workers=2, weeks=WEEKS, progress=False,
            figures=False)
    m = json.loads((tmp_path / "hard" / "manifest.json").read_text())
    assert m["replications_done"] == 5
    assert [t["replications"] for t in m["stopping_rule"]["trace"]] == [3, 5]
    assert not m["stopping_rule"]["trace"][-1]["met"]
    assert "--replications auto --precision 1e-06 --min-replications 3 " \
        "--max-replications 5 --batch 2" in m["command"]


@pytest.fixture
def cli() -> typer.Typer:
    app = typer.Typer()
    app.command("compare")(compare_command)

    @app.command("other")
    def _other() -> None:  # a second command keeps typer in multi-command mode
        """Unused."""

    return app


def test_cli_runs_and_prints_summary(cli: typer.Typer, tmp_path: Path) -> None:
    out = tmp_path / "c"
    res = CliRunner().invoke(cli, ["compare", CLASSROOM, "--strategies", "none,training",
                                   "--replications", "2", "--workers", "1", "--weeks", "30",
                                   "--set", "interaction.noise_sd=0.01", "--out", str(out),
                                   "--no-progress", "--no-figures"])
    assert res.exit_code == 0, res.output
    assert "distance_to_target_final" in res.output
    # the default durability yardstick (52 weeks) does not fit a 30-week run: said, not fatal
    assert "past the horizon (week 30): durability after intervention undefined" in res.output
    m = json.loads((out / "manifest.json").read_text())
    assert m["overrides"] == {"interaction.noise_sd": 0.01}
    assert "--set interaction.noise_sd=0.01" in m["command"]
    assert not (out / "figures").exists()
    res = CliRunner().invoke(cli, ["compare", "--redraw", "--out", str(out)])
    assert res.exit_code == 0 and "redrew" in res.output
    assert (out / "figures" / "cost_alignment.png").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--strategies", "none,bogus"], "error: --strategies: unknown strategy 'bogus'"),
        (["--strategies", "none,none"], "error: --strategies:"),
        (["--replications", "many"], "error: --replications:"),
        (["--replications", "0"], "error: --replications:"),
        (["--replications", "auto", "--precision", "0"], "error: --precision:"),
        (["--workers", "0"], "error: --workers:"),
        (["--set", "interaction.nonsense=1"], "error: interaction.nonsense"),
        (["--key-outcome", "nothing"], "error: --key-outcome:"),
    ],
)
def test_cli_bad_input_exits_2(cli: typer.Typer, tmp_path: Path, args: list[str],
                               message: str) -> None:
    base = ["--strategies", "none,training"]
    res = CliRunner().invoke(cli, ["compare", CLASSROOM, *base, *args, "--out", str(tmp_path)])
    assert res.exit_code == 2
    assert message in res.output
    assert "Traceback" not in res.output


def test_cli_redraw_of_missing_folder_exits_2(cli: typer.Typer, tmp_path: Path) -> None:
    res = CliRunner().invoke(cli, ["compare", "--redraw", "--out", str(tmp_path / "nope")])
    assert res.exit_code == 2 and "error: --out:" in res.output


def test_cli_key_outcome_may_be_an_effect_over_none(cli: typer.Typer, tmp_path: Path) -> None:
    """``--key-outcome`` accepts the counterfactual effects: the stopping rule watches the
    effect of each strategy over none (none has no effect over itself), its half-width target
    is the effect's (it is a paired difference already), and the summary prints it."""
    out = tmp_path / "effect"
    res = CliRunner().invoke(cli, [
        "compare", CLASSROOM, "--strategies", "none,training", "--replications", "auto",
        "--key-outcome", "alignment_effect_final", "--half-width", "1e-9",
        "--min-replications", "2", "--max-replications", "4", "--batch", "2",
        "--workers", "1", "--weeks", "30", "--out", str(out), "--no-progress",
        "--no-figures"])
    assert res.exit_code == 0, res.output
    rule = json.loads((out / "manifest.json").read_text())["stopping_rule"]
    assert rule["key_outcome"] == "alignment_effect_final"
    trace = rule["trace"]
    assert [t["replications"] for t in trace] == [2, 4]  # the tiny target is never met
    assert "relative_precision[training]" in trace[0]
    assert "relative_precision[none]" not in trace[0]
    assert "half_width[training - none]" in trace[0]
    from sim import load_results

    effects = load_results(out).values(["alignment_effect_final"])
    trained = effects.loc[effects["strategy"] == "training", "alignment_effect_final"]
    assert len(trained) == 4
    line = next(x for x in res.output.splitlines() if x.startswith("training"))
    assert f"alignment_effect_final = {trained.mean():.4f}" in line
    # without none to measure against, the effect is refused before any run
    res = CliRunner().invoke(cli, [
        "compare", CLASSROOM, "--strategies", "training", "--no-counterfactual",
        "--key-outcome", "icer", "--out", str(tmp_path / "no_none")])
    assert res.exit_code == 2 and "--key-outcome: icer is an effect over none" in res.output
    assert not (tmp_path / "no_none").exists()
