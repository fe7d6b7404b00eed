"""`merger-sim discover`: PRIM on a finished sweep, paired runs, and clear errors (exit 2)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from sim.cli import app
from sim.cli.discover import parse_question

ROOT = Path(__file__).resolve().parent.parent
STEM = "discovery_training_vs_none_distance_to_target"

#: A tiny real sweep: the classroom scenario shrunk to 60 employees and 10 + 2 weeks; training
#: against nothing over a grid of training dose x confidence threshold, 2 replications.
SWEEP = """
name = "tiny-discovery"
scenario = "classroom"
strategies = ["none", "training"]
replications = 2

[set]
"horizon.intervention_weeks" = 10
"horizon.followup_weeks" = 2
"cities.Noord.headcount" = 25
"cities.Midden.headcount" = 20
"cities.Zuid.headcount" = 15
"training.cohort_size" = 5

[parameters]
"training.dose" = { values = [0.0, 0.25, 0.5, 0.75, 1.0] }
"interaction.confidence_threshold" = { values = [0.2, 0.4] }

[record]
every = 4
"""


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny sweep, run once (serially) for every test in this file."""
    from sim.experiments.sweep import load_sweep, run_sweep

    base = tmp_path_factory.mktemp("discover")
    path = base / "tiny.toml"
    path.write_text(SWEEP)
    out = base / "sweep"
    report = run_sweep(load_sweep(path), out, executor="serial", progress=False)
    assert report.computed == 5 * 2 * 2 * 2 and not report.failed
    return out


def invoke(*args: str):
    return CliRunner().invoke(app, ["discover", *args])


def test_discover_writes_boxes_points_and_figure_from_paired_runs(sweep_dir, tmp_path):
    pytest.importorskip("ema_workbench")
    out = tmp_path / "found"
    proc = subprocess.run(
        [sys.executable, "-m", "sim", "discover", str(sweep_dir), "--better", "training",
         "--than", "none", "--outcome", "distance_to_target", "--week", "12", "--margin",
         "0.002", "--out", str(out)],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "training wins at" in proc.stdout and "10 parameter points" in proc.stdout
    points = pd.read_csv(out / f"{STEM}_points.csv")
    boxes = pd.read_csv(out / f"{STEM}_boxes.csv")
    assert (out / f"{STEM}.png").stat().st_size > 1000 and (out / f"{STEM}.svg").is_file()

    # pairing by point and replication, recomputed here from the raw table
    results = pd.read_parquet(sweep_dir / "results.parquet")
    at = results[results["week"] == 12]
    wide = at.pivot_table(index=["point", "replication"], columns="strategy",
                          values="distance_to_target")
    seeds = at.pivot_table(index=["point", "replication"], columns="strategy", values="seed")
    assert (seeds["none"] == seeds["training"]).all()  # common random numbers
    expected = (wide["none"] - wide["training"]).groupby(level="point").mean()
    got = points.set_index("point")["advantage"]
    pd.testing.assert_series_equal(got.sort_index(), expected.sort_index(),
                                   check_names=False, rtol=1e-12)
    assert list(points["win"]) == list(points["advantage"] > 0.002)

    # a dose of zero cannot beat doing nothing by a margin; the full dose does
    by_dose = points.groupby("training.dose")["win"].mean()
    assert by_dose[0.0] == 0.0 and by_dose[1.0] == 1.0
    dose = boxes[(boxes["box"] == 1) & (boxes["parameter"] == "training.dose")].iloc[0]
    assert dose["restricted"] and dose["min"] > 0.0
    assert 0.0 < boxes["coverage"].iloc[0] <= 1.0 and 0.0 < boxes["density"].iloc[0] <= 1.0
    # the table records the question: what a win was (margin, direction), PRIM's settings
    assert set(boxes["margin"]) == {0.002} and set(boxes["direction"]) == {"lower"}
    assert set(boxes["week"].astype(str)) == {"12"} and set(boxes["peel_alpha"]) == {0.05}
    # PRIM's quasi-p-values per restricted limit, its trajectory, feature scores and CART
    assert 0.0 < dose["qp_min"] <= 1.0  # 10 points: a box can still be chance (0.17 here)
    assert boxes[~boxes["restricted"].astype(bool)][["qp_min", "qp_max"]].isna().all().all()
    trajectory = pd.read_csv(out / f"{STEM}_trajectory.csv")
    assert trajectory[trajectory["box"] == 1]["chosen"].sum() == 1
    features = pd.read_csv(out / f"{STEM}_features.csv")
    assert features["parameter"].iloc[0] == "training.dose"  # what makes training win
    cart = pd.read_csv(out / f"{STEM}_cart.csv")
    assert {"leaf", "parameter", "min", "max", "coverage", "density"} <= set(cart.columns)
    assert (out / f"{STEM}_trajectory.png").stat().st_size > 1000


def test_an_effect_over_none_is_the_paired_difference_in_points(sweep_dir, tmp_path):
    """Oracle: between two strategies the ``none`` run cancels, so the advantage on the
    alignment effect over none is 100 x the advantage on distance to target."""
    pytest.importorskip("ema_workbench")
    from sim.experiments.discovery import Question, paired_cases

    _, effect = paired_cases(sweep_dir, Question("training", "none", "alignment_effect_final"))
    _, distance = paired_cases(sweep_dir, Question("training", "none", "distance_to_target"))
    pd.testing.assert_series_equal(effect, 100 * distance, check_names=False, rtol=1e-9)
    res = invoke(str(sweep_dir), "--better", "training", "--than", "none", "--outcome",
                 "alignment_effect_final", "--out", str(tmp_path / "e"))
    assert res.exit_code == 0, res.output
    res = invoke(str(sweep_dir), "--better", "training", "--than", "none", "--outcome",
                 "icer", "--out", str(tmp_path / "i"))  # none has no ICER over itself
    assert res.exit_code == 2 and "icer is undefined at every point" in res.stderr


def test_question_in_words_asks_the_same_as_the_options(sweep_dir, tmp_path):
    pytest.importorskip("ema_workbench")
    words = invoke(str(sweep_dir), "--question",
                   "training beats none on distance_to_target at week 12",
                   "--out", str(tmp_path / "words"))
    options = invoke(str(sweep_dir), "--better", "training", "--than", "none", "--week", "12",
                     "--out", str(tmp_path / "options"))
    assert words.exit_code == 0 and options.exit_code == 0, words.output + options.output
    name = f"{STEM}_points.csv"
    assert (tmp_path / "words" / name).read_bytes() == (tmp_path / "options" / name).read_bytes()


def test_direction_turns_the_question_around(sweep_dir, tmp_path):
    pytest.importorskip("ema_workbench")
    for direction in ("lower", "higher"):
        res = invoke(str(sweep_dir), "--better", "training", "--than", "none", "--direction",
                     direction, "--out", str(tmp_path / direction))
        assert res.exit_code == 0, res.output
    lower = pd.read_csv(tmp_path / "lower" / f"{STEM}_points.csv")
    higher = pd.read_csv(tmp_path / "higher" / f"{STEM}_points.csv")
    pd.testing.assert_series_equal(lower["advantage"], -higher["advantage"])


def test_default_out_is_inside_the_sweep_folder(sweep_dir):
    pytest.importorskip("ema_workbench")
    res = invoke(str(sweep_dir), "--better", "training", "--than", "none")  # week: final
    assert res.exit_code == 0, res.output
    assert (sweep_dir / "discovery" / f"{STEM}_boxes.csv").is_file()


def test_parse_question():
    assert parse_question("teams beats training on distance_to_target at week 156") == (
        "teams", "training", "distance_to_target", 156)
    assert parse_question(" teams+training beat none on cost_cum at the end ") == (
        "teams+training", "none", "cost_cum", "final")
    assert parse_question("a beats b on c")[3] == "final"


# (arguments after SWEEP_DIR, the option the message must name)
BAD = [
    (["--better", "magic", "--than", "none"], "--better: unknown strategy 'magic'"),
    (["--better", "training", "--than", "teams"], "--than: strategy 'teams' is not in this"),
    (["--better", "training", "--than", "training"], "--than"),
    (["--better", "training", "--than", "none", "--outcome", "happiness"], "--outcome"),
    (["--better", "training", "--than", "none", "--week", "5"],
     "--week: week 5 was not recorded in this sweep (recorded: 0, 4, 8, 12"),
    (["--better", "training", "--than", "none", "--week", "soon"], "--week"),
    (["--better", "training", "--than", "none", "--direction", "up"], "--direction"),
    (["--better", "training", "--than", "none", "--margin", "-1"], "--margin"),
    (["--better", "training"], "--than: required"),
    (["--question", "training is better"], "--question: expected"),
    (["--question", "training beats none on cost_cum", "--better", "training"], "--question"),
]


@pytest.mark.parametrize(("args", "message"), BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_input_names_the_option_and_exits_2(sweep_dir, args, message):
    res = invoke(str(sweep_dir), *args)
    assert res.exit_code == 2, res.output
    assert message in res.stderr
    assert res.stderr.startswith("error: ") and res.stderr.count("\n") == 1
    assert isinstance(res.exception, SystemExit)  # a clean exit, not an uncaught error


def test_folder_without_results_exits_2_without_traceback(tmp_path):
    (tmp_path / "runs").mkdir()  # a sweep that never finished: no combined tables
    proc = subprocess.run(
        [sys.executable, "-m", "sim", "discover", str(tmp_path), "--better", "teams",
         "--than", "training"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2
    assert "SWEEP_DIR" in proc.stderr and "no stored results" in proc.stderr
    assert "Traceback" not in proc.stderr
    res = invoke(str(tmp_path / "nowhere"), "--better", "teams", "--than", "training")
    assert res.exit_code == 2 and "no such folder" in res.stderr


def test_an_effect_needs_none_in_the_sweep():
    from sim.cli.discover import SweepOutput, build_question
    from sim.cli.errors import UserInputError

    sweep = SweepOutput(Path("x"), ["training", "teams"], ["training.dose"], [0, 12], 2)
    with pytest.raises(UserInputError, match="icer is an effect over none, and this sweep "
                                             "did not run none"):
        build_question(sweep, "teams", "training", "icer", "final", 0.0, None)
    asked = build_question(sweep, "teams", "training", "cost_cum", "final", 0.0, None)
    assert asked.outcome == "cost_cum"
