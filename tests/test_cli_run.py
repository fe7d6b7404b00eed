"""`merger-sim run` writes the documented files; `scenarios` lists and shows."""

from __future__ import annotations

import json

import pandas as pd
from inprocess_cli import cli_in_process

from sim.metrics import OUTPUTS

cli = cli_in_process  # the five calls: the same command in this process


def test_run_writes_parquet_and_meta(tmp_path):
    res = cli("run", "classroom", "--strategy", "training", "--seed", "3", "--weeks", "8",
              "--set", "interaction.noise_sd=0.01", "--out", str(tmp_path))
    assert res.returncode == 0, res.stderr
    ts = pd.read_parquet(tmp_path / "timeseries.parquet")
    agents = pd.read_parquet(tmp_path / "agents.parquet")
    meta = json.loads((tmp_path / "meta.json").read_text())
    assert list(ts.columns) == ["week", *OUTPUTS] and len(ts) == 9
    assert set(agents["week"]) == {0, 8}
    assert meta["seed"] == 3 and meta["strategy"] == "training"
    assert meta["overrides"] == {"interaction.noise_sd": 0.01}
    assert meta["parameters"]["interaction"]["noise_sd"] == 0.01
    assert len(meta["scenario_hash"]) == 64
    for key in ("package_version", "git_commit", "created"):
        assert key in meta


def test_run_csv_format_and_same_seed_same_bytes(tmp_path):
    for sub in ("a", "b"):
        res = cli("run", "classroom", "--seed", "5", "--weeks", "6", "--format", "csv",
                  "--out", str(tmp_path / sub))
        assert res.returncode == 0, res.stderr
    for name in ("timeseries.csv", "agents.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_scenarios_list_and_show():
    listing = cli("scenarios", "list")
    assert listing.returncode == 0 and "classroom" in listing.stdout
    shown = cli("scenarios", "show", "classroom", "--set", "training.cohort_size=9")
    assert json.loads(shown.stdout)["training"]["cohort_size"] == 9
