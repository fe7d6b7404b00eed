"""Plugins and the outcome registry: the worked example runs from the CLI and from a sweep
file (local workers load it too), entry points register, unknown names list what exists,
run outcomes are usable in sensitivity and discovery."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from sim.cli import app
from sim.experiments.results import load_results

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "experiments" / "plugins" / "town_hall.py"


@pytest.fixture(autouse=True)
def _unload_plugins(plugin_registries) -> None:
    """Every test here leaves the registries as they were (tests/conftest.py)."""


def test_the_example_plugin_runs_from_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    res = CliRunner().invoke(app, [
        "--plugin", str(EXAMPLE), "compare", "classroom", "--strategies", "none,town_hall",
        "--replications", "2", "--weeks", "16", "--workers", "2", "--no-figures",
        "--no-progress", "--key-outcome", "peak_alignment_gain", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "town_hall        peak_alignment_gain" in res.output
    outcomes = pd.read_csv(out / "outcomes.csv")
    means = outcomes.groupby("strategy")[["peak_alignment_gain", "cost_total"]].mean()
    assert means.loc["town_hall", "cost_total"] > means.loc["none", "cost_total"]
    assert means.loc["town_hall", "peak_alignment_gain"] > means.loc["none", "peak_alignment_gain"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["plugins"] == [str(EXAMPLE)]
    assert "town_hall.py" in json.dumps(manifest)  # its source is fingerprinted


def _example_sweep(tmp_path: Path) -> Path:
    text = (ROOT / "experiments" / "sweeps" / "plugin_example.toml").read_text()
    text = text.replace('"../plugins/town_hall.py"', json.dumps(str(EXAMPLE)))
    text = text.replace('"../../scenarios/classroom.toml"', '"classroom"')
    text = text.replace("replications = 2", "replications = 1")
    path = tmp_path / "plugin_example.toml"
    path.write_text(text)
    return path


def test_the_example_plugin_runs_from_a_sweep_file_in_local_workers(tmp_path: Path) -> None:
    path = _example_sweep(tmp_path)
    out = tmp_path / "sa"
    res = CliRunner().invoke(app, ["sensitivity", str(path), "--method", "morris", "--out",
                                   str(out), "--workers", "2", "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "0 failed" in res.output
    indices = pd.read_csv(out / "indices.csv")
    assert set(indices["strategy"]) == {"none", "town_hall"}
    assert {"peak_alignment_gain", "alignment_gain_final"} <= set(indices["output"])
    outcomes = load_results(out).outcomes  # a fresh reader loads the sweep's plugins
    assert outcomes["peak_alignment_gain"].notna().all()


def test_a_run_outcome_is_usable_in_discovery(tmp_path: Path) -> None:
    path = _example_sweep(tmp_path)
    out = tmp_path / "sweep"
    assert CliRunner().invoke(app, ["sweep", str(path), "--out", str(out), "--executor",
                                    "serial", "--no-progress"]).exit_code == 0
    found = tmp_path / "found"
    res = CliRunner().invoke(app, ["discover", str(out), "--better", "town_hall", "--than",
                                   "none", "--outcome", "peak_alignment_gain", "--out",
                                   str(found)])
    assert res.exit_code == 0, res.output
    points = pd.read_csv(found / "discovery_town_hall_vs_none_peak_alignment_gain_points.csv")
    assert len(points) == 4
    res = CliRunner().invoke(app, ["discover", str(out), "--better", "town_hall", "--than",
                                   "none", "--outcome", "durability", "--week", "8", "--out",
                                   str(found)])
    assert res.exit_code == 2 and "one number per run" in res.output


def test_entry_point_plugins_register_in_a_new_process(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(EXAMPLE, site / "town_hall_ep.py")
    info = site / "town_hall_ep-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: town-hall-ep\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        "[merger_sim.strategies]\ntown_hall = town_hall_ep:TownHall\n\n"
        "[merger_sim.outcomes]\npeak = town_hall_ep:PEAK_ALIGNMENT_GAIN\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)])}
    res = subprocess.run([sys.executable, "-m", "sim", "run", "classroom", "--strategy",
                          "town_hall", "--weeks", "8", "--out", str(tmp_path / "run")],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert "classroom / town_hall / seed 0" in res.stdout
    meta = json.loads((tmp_path / "run" / "meta.json").read_text())
    assert meta["costs_by_category"]["town_hall"] > 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--plugin", "no/such/file.py", "scenarios", "list"], "--plugin: plugins: no file"),
        (["--plugin", "no_such_module_xyz", "scenarios", "list"],
         "--plugin: plugins: cannot load 'no_such_module_xyz'"),
    ],
)
def test_a_plugin_that_cannot_load_is_one_line(args: list[str], message: str) -> None:
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 2 and message in res.output and "Traceback" not in res.output


def test_unknown_outcome_names_the_known_ones_with_plugins(tmp_path: Path) -> None:
    path = _example_sweep(tmp_path)
    path.write_text(path.read_text().replace('"alignment_gain_final"', '"happiness"'))
    res = CliRunner().invoke(app, ["sweep", str(path), "--out", str(tmp_path / "o")])
    assert res.exit_code == 2
    assert "unknown outcome(s) ['happiness']" in res.output
    for known in ("durability", "weeks_to_integration", "peak_alignment_gain"):
        assert known in res.output


def test_registry_declares_each_observable_once() -> None:
    from sim.experiments import observables
    from sim.experiments.outcomes import METRIC_INFO, OUTCOME_INFO, label
    from sim.metrics import OUTPUTS

    weekly = observables.weekly()
    assert list(weekly) == list(OUTPUTS)
    assert observables.get("distance_to_target").better == "lower"
    assert observables.get("durability").better == "higher"
    assert observables.get("cost_per_alignment_point").unit == "EUR per percentage point"
    assert METRIC_INFO["distance_to_target"] == ("Distance to target culture",
                                                 "normalised, 0-1")
    assert "durability" in OUTCOME_INFO
    assert label("cost_cum_final") == "Cost (cumulative) at end (EUR)"
    with pytest.raises(KeyError, match="known: distance_to_target"):
        observables.get("nonsense")
    with pytest.raises(ValueError, match="built-in"):
        observables.register(observables.Observable(
            "durability", "x", "", "higher", function=lambda ts, meta: 0.0))


def test_an_edited_plugin_changes_the_code_fingerprint(tmp_path: Path) -> None:
    from sim.provenance import code_fingerprint

    copy = tmp_path / "mine.py"
    shutil.copy(EXAMPLE, copy)
    before = code_fingerprint((copy,))
    copy.write_text(copy.read_text().replace("STEP = 0.02", "STEP = 0.03"))
    from sim import provenance

    provenance._fingerprint.cache_clear()
    assert code_fingerprint((copy,)) != before
