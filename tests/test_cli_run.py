"""`merger-sim run` writes the documented files; `scenarios` lists and shows."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess

import pandas as pd

from sim.cli import main
from sim.metrics import OUTPUTS


def cli(*args: str) -> subprocess.CompletedProcess:
    """``merger-sim ARGS`` called in this process through the console entry (:func:`sim.cli.main`):
    the same command, options and files, without a fresh interpreter's imports (2-4 s of CPU)
    per call. The ``python -m sim`` process itself is run by test_scenario_errors.py and the
    sweep tests."""
    out, err = io.StringIO(), io.StringIO()
    code: object = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code
    returncode = code if isinstance(code, int) else (0 if code is None else 1)
    return subprocess.CompletedProcess(list(args), returncode, out.getvalue(), err.getvalue())


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
