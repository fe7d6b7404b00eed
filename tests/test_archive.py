"""export writes a reproducibility archive; verify reruns its runs and compares bytes."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from typer.testing import CliRunner

from sim.cli import app
from sim.experiments.sweep import load_sweep, run_sweep
from sim.experiments.sweep.store import META_KEY
from sim.presentation.comparison import compare

ROOT = Path(__file__).resolve().parent.parent

SWEEP = """
name = "arch"
scenario = "classroom"
strategies = ["none", "training"]
replications = 1
[set]
"horizon.intervention_weeks" = 6
"horizon.followup_weeks" = 2
[parameters]
"training.dose" = { values = [0.3, 0.6] }
[record]
every = 2
"""


def _sweep(tmp_path: Path) -> Path:
    path = tmp_path / "arch.toml"
    path.write_text(SWEEP)
    out = tmp_path / "out"
    run_sweep(load_sweep(path), out, executor="serial", progress=False)
    return out


def test_export_then_verify_reproduces_a_sweep(tmp_path: Path) -> None:
    out = _sweep(tmp_path)
    res = CliRunner().invoke(app, ["export", str(out), "--out", str(tmp_path / "a.tar.gz")])
    assert res.exit_code == 0, res.output
    with tarfile.open(tmp_path / "a.tar.gz") as tar:
        names = set(tar.getnames())
        text = tar.extractfile("experiment/sweep.toml").read().decode()  # type: ignore[union-attr]
        prov = json.load(tar.extractfile("experiment/provenance.json"))  # type: ignore[arg-type]
        freeze = tar.extractfile("experiment/requirements.txt").read().decode()  # type: ignore[union-attr]
    for name in ("manifest.json", "experiment.json", "scenario.json", "results.parquet"):
        assert f"experiment/{name}" in names
    assert len([n for n in names if n.startswith("experiment/runs/")]) == 4
    assert text == SWEEP and "git_dirty" in prov and "numpy==" in freeze.lower()
    res = CliRunner().invoke(app, ["verify", str(tmp_path / "a.tar.gz"), "--sample", "10"])
    assert res.exit_code == 0, res.output
    assert "4 of 4 runs reproduce byte for byte" in res.output


def test_export_then_verify_reproduces_a_comparison(tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    compare(str(ROOT / "scenarios" / "classroom.toml"), ["none", "training"], 2, out,
            workers=1, weeks=10, progress=False, figures=False, overrides={"training.dose": 0.4})
    assert CliRunner().invoke(app, ["export", str(out)]).exit_code == 0
    res = CliRunner().invoke(app, ["verify", str(tmp_path / "cmp.tar.gz"), "--sample", "4"])
    assert res.exit_code == 0 and "4 of 4 runs reproduce" in res.output, res.output


def test_verify_says_when_a_run_does_not_reproduce(tmp_path: Path) -> None:
    out = _sweep(tmp_path)
    victim = sorted((out / "runs").glob("*.parquet"))[0]
    table = pq.read_table(victim)
    meta = table.schema.metadata
    column = table.column("distance_to_target").to_pylist()
    column[-1] += 0.001  # a stored number that the model did not produce
    table = table.set_column(table.schema.get_field_index("distance_to_target"),
                             "distance_to_target", pa.array(column))
    pq.write_table(table.replace_schema_metadata({META_KEY: meta[META_KEY]}), victim)
    assert CliRunner().invoke(app, ["export", str(out)]).exit_code == 0
    res = CliRunner().invoke(app, ["verify", str(tmp_path / "out.tar.gz"), "--sample", "4"])
    assert res.exit_code == 1
    assert f"differs: run {victim.stem}" in res.output and "3 of 4 runs" in res.output


def test_bad_folders_and_archives_are_one_line(tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["export", str(tmp_path)])
    assert res.exit_code == 2 and "no finished experiment" in res.output
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(evil, "w:gz") as tar:
        info = tarfile.TarInfo("../outside.txt")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"hi"))
    res = CliRunner().invoke(app, ["verify", str(evil)])
    assert res.exit_code == 2 and "not a plain file inside" in res.output
    assert not (tmp_path.parent / "outside.txt").exists()
    (tmp_path / "junk.tar.gz").write_bytes(b"not a tar")
    res = CliRunner().invoke(app, ["verify", str(tmp_path / "junk.tar.gz")])
    assert res.exit_code == 2 and "not a readable .tar.gz" in res.output
