"""Sweep-file levels of the wrong type are refused when the file loads; --version; --csv."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from sim.cli import app
from sim.experiments.sweep import SweepError, load_sweep
from sim.provenance import code_fingerprint

HEAD = """
name = "x"
scenario = "classroom"
strategies = ["none"]
[set]
"horizon.intervention_weeks" = 4
"horizon.followup_weeks" = 2
[parameters]
"""


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('"training.dose" = { values = [0.25, "half"] }',
         "parameters.training.dose.values: 'half' is not a number (training.dose is numeric)"),
        ('"training.cohort_size" = { values = [10, 12.5] }',
         "parameters.training.cohort_size.values: 12.5 is not a whole number"),
        ('"training.cohort_size" = { start = 10, stop = 12, step = 0.5 }',
         "parameters.training.cohort_size.step: 10.5 is not a whole number"),
        ('"training.cohort_size" = { min = 2.5, max = 20 }',
         "parameters.training.cohort_size.min: 2.5 is not a whole number"),
        ('"training.dose" = { values = [nan] }', "is not a finite number"),
    ],
)
def test_levels_of_the_wrong_type_are_refused_at_load(tmp_path: Path, line: str,
                                                      message: str) -> None:
    path = tmp_path / "s.toml"
    design = '\n[design]\nmethod = "latin"\nsamples = 2\n' if "min" in line else ""
    path.write_text(HEAD + line + "\n" + design)
    with pytest.raises(SweepError) as err:
        load_sweep(path)
    assert message in str(err.value)
    res = CliRunner().invoke(app, ["sweep", str(path), "--out", str(tmp_path / "out")])
    assert res.exit_code == 2 and res.output.strip().startswith("error: parameters.")
    assert "Traceback" not in res.output and not (tmp_path / "out").exists()


def test_version_names_the_package_and_the_model_code() -> None:
    res = CliRunner().invoke(app, ["--version"])
    assert res.exit_code == 0
    assert res.output.startswith("merger-sim ") and code_fingerprint() in res.output


def test_weekly_results_as_csv_on_request(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(HEAD + '"training.dose" = { values = [0.2, 0.4] }\n')
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["sweep", str(path), "--out", str(out), "--csv",
                                   "--executor", "serial", "--no-progress"])
    assert res.exit_code == 0, res.output
    csv = pd.read_csv(out / "results.csv")
    parquet = pd.read_parquet(out / "results.parquet")
    assert len(csv) == len(parquet) == 2 * 7
    assert csv["distance_to_target"].tolist() == pytest.approx(
        parquet["distance_to_target"].tolist())
    res = CliRunner().invoke(app, ["sweep", str(path), "--out", str(out), "--executor",
                                   "serial", "--no-progress"])
    assert res.exit_code == 0 and not (out / "results.csv").exists()  # never a stale one
