"""Output folders: one experiment each; never overwritten, mixed or stale without being asked.

A different experiment into a folder is refused and touches nothing; ``--overwrite`` leaves
no file of the old one; ``--extend`` only adds runs; edited model code recomputes; the
sweep process and its workers run the same code; files follow the umask; a comparison's
tables, figures and report come from one invocation.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.cli import app
from sim.experiments.sweep import load_sweep, plan_sweep, run_sweep
from sim.fileio import atomic_write_bytes
from sim.provenance import code_fingerprint

ROOT = Path(__file__).resolve().parent.parent

SWEEP = """
name = "{name}"
scenario = "classroom"
strategies = ["none"]
replications = 2

[set]
"horizon.intervention_weeks" = 6
"horizon.followup_weeks" = 2
"cities.Noord.headcount" = 20
"cities.Midden.headcount" = 20
"cities.Zuid.headcount" = 20

[parameters]
"interaction.confidence_threshold" = {{ values = {levels} }}
"""


def sweep_file(tmp_path: Path, name: str = "a", levels: str = "[0.2, 0.4]") -> Path:
    path = tmp_path / f"{name}-{abs(hash(levels)) % 1000}.toml"
    path.write_text(SWEEP.format(name=name, levels=levels))
    return path


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under the folder (hidden ones too) with the hash of its bytes."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def cli(*args: str) -> object:
    return CliRunner().invoke(app, [*args, "--no-progress"])


def test_another_sweep_is_refused_and_touches_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = cli("sweep", str(sweep_file(tmp_path, "a")), "--out", str(out), "--executor",
                "serial")
    assert first.exit_code == 0, first.output
    before = snapshot(out)
    other = cli("sweep", str(sweep_file(tmp_path, "b", "[0.3]")), "--out", str(out),
                "--executor", "serial")
    assert other.exit_code == 2
    message = other.output.strip()
    assert message.count("\n") == 0 and message.startswith("error: --out")
    assert "sweep 'a'" in message and "sweep 'b'" in message and "--overwrite" in message
    assert snapshot(out) == before
    # the same experiment resumes
    again = cli("sweep", str(sweep_file(tmp_path, "a")), "--out", str(out), "--executor",
                "serial")
    assert again.exit_code == 0 and "4 already stored, 0 computed" in again.output


def test_an_edited_sweep_file_is_a_different_experiment(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert cli("sweep", str(sweep_file(tmp_path, "a")), "--out", str(out), "--executor",
               "serial").exit_code == 0
    before = snapshot(out)
    edited = sweep_file(tmp_path, "a", "[0.2, 0.5]")  # same name, other levels
    res = cli("sweep", str(edited), "--out", str(out), "--executor", "serial")
    assert res.exit_code == 2 and "--overwrite" in res.output and snapshot(out) == before
    res = cli("sweep", str(edited), "--out", str(out), "--executor", "serial", "--extend")
    assert res.exit_code == 2 and "--extend" in res.output and "leaves out 2" in res.output
    assert snapshot(out) == before


def test_overwrite_leaves_no_file_of_the_old_experiment(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert cli("sweep", str(sweep_file(tmp_path, "a")), "--out", str(out), "--executor",
               "serial").exit_code == 0
    old = snapshot(out)
    old_runs = {name for name in old if name.startswith("runs/")}
    res = cli("sweep", str(sweep_file(tmp_path, "b", "[0.3]")), "--out", str(out),
              "--executor", "serial", "--overwrite")
    assert res.exit_code == 0, res.output
    new = snapshot(out)
    assert not old_runs & set(new)
    assert len([n for n in new if n.startswith("runs/")]) == 2  # b's two runs only
    assert json.loads((out / "experiment.json").read_text())["name"] == "b"
    assert json.loads((out / "manifest.json").read_text())["sweep"] == "b"


def test_overwrite_never_clears_a_folder_of_other_files(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("years of work")
    (out / "summary.csv").write_text("a,b\n")
    res = cli("sweep", str(sweep_file(tmp_path, "a")), "--out", str(out), "--executor",
              "serial", "--overwrite")
    assert res.exit_code == 2 and "did not write" in res.output and "thesis.tex" in res.output
    assert (out / "thesis.tex").read_text() == "years of work"


def test_extend_adds_only_the_new_points(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert cli("sweep", str(sweep_file(tmp_path, "a", "[0.2]")), "--out", str(out),
               "--executor", "serial").exit_code == 0
    stored = {n: h for n, h in snapshot(out).items() if n.startswith("runs/")}
    larger = sweep_file(tmp_path, "a", "[0.2, 0.4]")
    refused = cli("sweep", str(larger), "--out", str(out), "--executor", "serial")
    assert refused.exit_code == 2 and "--extend" in refused.output
    res = cli("sweep", str(larger), "--out", str(out), "--executor", "serial", "--extend")
    assert res.exit_code == 0 and "2 already stored, 2 computed" in res.output
    after = snapshot(out)
    assert all(after[n] == h for n, h in stored.items())  # stored runs untouched
    again = cli("sweep", str(larger), "--out", str(out), "--executor", "serial")
    assert again.exit_code == 0 and "4 already stored" in again.output


def test_a_comparison_into_another_comparisons_folder_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    common = ["--workers", "1", "--weeks", "8", "--no-counterfactual", "--out", str(out)]
    first = cli("compare", "classroom", "--strategies", "none,training", "--replications",
                "2", *common)
    assert first.exit_code == 0, first.output
    assert (out / "figures").is_dir()
    before = snapshot(out)
    other = cli("compare", "classroom", "--strategies", "none", "--replications", "1",
                "--no-figures", *common)
    assert other.exit_code == 2 and "compare 'classroom'" in other.output
    assert "--overwrite" in other.output and snapshot(out) == before
    # more replications of the same comparison: --extend
    more = cli("compare", "classroom", "--strategies", "none,training", "--replications",
               "3", "--no-figures", *common)
    assert more.exit_code == 2 and "--extend" in more.output and snapshot(out) == before
    # --overwrite: the new comparison's outputs only; no figures left from the old one
    res = cli("compare", "classroom", "--strategies", "none", "--replications", "1",
              "--no-figures", "--overwrite", *common)
    assert res.exit_code == 0, res.output
    assert not (out / "figures").exists()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["strategies"] == ["none"] and manifest["replications"] == 1
    assert manifest["provenance"]["git_dirty"] in (True, False, None)


def test_rerun_without_figures_removes_the_old_figures(tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    common = ["classroom", "--strategies", "none", "--replications", "1", "--workers", "1",
              "--weeks", "6", "--no-counterfactual", "--out", str(out)]
    assert cli("compare", *common).exit_code == 0
    assert (out / "figures" / "timeseries.png").is_file()
    assert cli("compare", *common, "--no-figures").exit_code == 0
    assert not (out / "figures").exists()  # tables and report are new, figures would be old
    assert "No figures" in (out / "report.html").read_text()
    assert not [p for p in out.iterdir() if p.name.startswith((".staging", ".retired"))]


def _checkout(tmp_path: Path) -> Path:
    """A copy of the package (and its scenarios) in a folder of its own."""
    copy = tmp_path / "checkout"
    copy.mkdir()
    shutil.copytree(ROOT / "sim", copy / "sim", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "scenarios", copy / "scenarios")
    return copy


def _sweep(python_path: Path, cwd: Path, sweep: Path, out: Path,
           script: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(python_path)}
    command = script or [sys.executable, "-m", "sim"]
    return subprocess.run([*command, "sweep", str(sweep), "--out", str(out), "--no-progress",
                           "--executor", "local", "--workers", "2"],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_edited_model_code_makes_stored_runs_stale(tmp_path: Path) -> None:
    copy = _checkout(tmp_path)
    sweep = sweep_file(tmp_path, "a")
    out = tmp_path / "out"
    first = _sweep(copy, tmp_path, sweep, out)
    assert first.returncode == 0 and "0 already stored, 4 computed" in first.stdout, first.stderr
    again = _sweep(copy, tmp_path, sweep, out)
    assert "4 already stored, 0 computed" in again.stdout
    rule = copy / "sim" / "rules" / "interaction.py"  # a patched rule: other numbers
    text = rule.read_text()
    assert "def bounded_confidence_deltas(" in text
    rule.write_text(text + "\n_ORIGINAL = bounded_confidence_deltas\n"
                    "def bounded_confidence_deltas(*args, **kwargs):\n"
                    "    return 0.5 * _ORIGINAL(*args, **kwargs)\n")
    edited = _sweep(copy, tmp_path, sweep, out)
    assert edited.returncode == 0, edited.stderr
    assert "0 already stored, 4 computed" in edited.stdout
    manifests = json.loads((out / "manifest.json").read_text())
    assert manifests["code_fingerprint"] != code_fingerprint()
    assert "sim/rules/interaction.py" in " ".join(manifests["model_files"])


@pytest.mark.slow
def test_sweep_process_and_workers_run_the_same_code_wherever_started(tmp_path: Path) -> None:
    """Started from inside another checkout, the workers import this process's sim, not the
    checkout's (Python's fork server would put the working directory first)."""
    other = _checkout(tmp_path)
    rule = other / "sim" / "rules" / "interaction.py"
    rule.write_text(rule.read_text() + "\n# another version of the model\n")
    sweep = sweep_file(tmp_path, "a")
    script = Path(sys.executable).parent / "merger-sim"
    if not script.is_file():
        pytest.skip("no merger-sim console script beside this Python")
    elsewhere = _sweep(ROOT, tmp_path, sweep, tmp_path / "elsewhere", [str(script)])
    inside = _sweep(ROOT, other, sweep, tmp_path / "inside", [str(script)])
    for res in (elsewhere, inside):
        assert res.returncode == 0 and "0 failed" in res.stdout, res.stdout + res.stderr
    prints = {json.loads((tmp_path / d / "manifest.json").read_text())["code_fingerprint"]
              for d in ("elsewhere", "inside")}
    assert prints == {code_fingerprint()}
    a = (tmp_path / "elsewhere" / "results.parquet").read_bytes()
    assert a == (tmp_path / "inside" / "results.parquet").read_bytes()


def test_a_worker_with_other_code_refuses_the_run(tmp_path: Path) -> None:
    from sim.experiments.sweep.worker import RunTask, execute_run

    loaded = load_sweep(sweep_file(tmp_path, "a"))
    run = plan_sweep(loaded).runs[0]
    outcome = execute_run(RunTask(run, loaded.scenario, 1, None, None, code="0" * 16))
    assert not outcome.ok and "CodeMismatch" in (outcome.error or "")
    assert not outcome.retryable


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o077])
def test_files_follow_the_umask(tmp_path: Path, mask: int) -> None:
    old = os.umask(mask)
    try:
        atomic_write_bytes(tmp_path / "f.json", b"{}")
        assert (tmp_path / "f.json").stat().st_mode & 0o777 == 0o666 & ~mask
        if mask == 0o027:
            out = tmp_path / "out"
            run_sweep(load_sweep(sweep_file(tmp_path, "a", "[0.2]")), out, executor="serial",
                      progress=False)
            modes = {p.name: p.stat().st_mode & 0o777 for p in out.rglob("*") if p.is_file()}
            assert set(modes.values()) == {0o640}, modes
    finally:
        os.umask(old)


def test_manifest_records_commit_dirty_flag_and_code(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_sweep(load_sweep(sweep_file(tmp_path, "a", "[0.2]")), out, executor="serial",
              progress=False)
    manifest = json.loads((out / "manifest.json").read_text())
    for key in ("git_commit", "git_dirty", "code_fingerprint", "model_files", "versions"):
        assert key in manifest
    assert manifest["code_fingerprint"] == code_fingerprint()
    for lib in ("numpy", "scipy", "mesa", "networkx", "pandas", "pyarrow"):
        assert lib in manifest["versions"]
    record = json.loads((out / "experiment.json").read_text())
    assert record["kind"] == "sweep" and len(record["run_ids"]) == 2
