"""Running sweeps: executors agree, resume skips stored runs, kills lose and duplicate nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import psutil
import pyarrow.parquet as pq
import pytest

from sim.experiments.sweep import load_sweep, plan_sweep, run_sweep
from sim.experiments.sweep.store import RunStore

ROOT = Path(__file__).resolve().parent.parent

TINY = """
name = "tiny"
scenario = "classroom"
strategies = ["none", "training"]
replications = {reps}

[set]
"horizon.intervention_weeks" = {weeks}
"horizon.followup_weeks" = 4
"cities.Noord.headcount" = 30
"cities.Midden.headcount" = 25
"cities.Zuid.headcount" = 20
"training.cohort_size" = 4

[parameters]
"training.dose" = {{ values = [0.3, 0.7] }}
"interaction.confidence_threshold" = {{ values = {thresholds} }}
{extra}
"""


def tiny_sweep(tmp_path: Path, reps: int = 2, weeks: int = 12, thresholds: str = "[0.2, 0.4]",
               extra: str = "", name: str = "sweep.toml") -> Path:
    path = tmp_path / name
    path.write_text(TINY.format(reps=reps, weeks=weeks, thresholds=thresholds, extra=extra))
    return path


def read(out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    return pd.read_parquet(out / "results.parquet"), pd.read_parquet(out / "summary.parquet")


def assert_same_results(a: Path, b: Path) -> None:
    ta, tb = pq.read_table(a / "results.parquet"), pq.read_table(b / "results.parquet")
    assert ta.equals(tb)
    pd.testing.assert_frame_equal(read(a)[1], read(b)[1])


def test_serial_and_local_agree_and_layout_is_behaviorspace_table(tmp_path: Path) -> None:
    loaded = load_sweep(tiny_sweep(tmp_path))
    report = run_sweep(loaded, tmp_path / "serial", executor="serial", progress=False)
    assert report.computed == report.planned == 2 * 2 * 2 * 2 and not report.failed
    run_sweep(loaded, tmp_path / "local", executor="local", workers=2, progress=False)
    assert_same_results(tmp_path / "serial", tmp_path / "local")

    results, summary = read(tmp_path / "serial")
    weeks = 12 + 4 + 1
    assert len(results) == report.planned * weeks  # one row per run and recorded week
    for column in ("run", "run_key", "strategy", "replication", "seed", "training.dose",
                   "interaction.confidence_threshold", "week", "distance_to_target"):
        assert column in results.columns
    assert results.groupby("run")["week"].apply(list).map(lambda w: w == list(range(weeks))).all()
    assert list(summary["run"]) == list(range(report.planned))
    assert (summary["status"] == "ok").all()
    last = results[results["week"] == weeks - 1].set_index("run")["distance_to_target"]
    assert (summary.set_index("run")["final_distance_to_target"] == last).all()
    manifest = (tmp_path / "serial" / "manifest.json").read_text()
    for word in ("scenario_hash", "package_version", "git_commit", "sweep_sha256"):
        assert word in manifest


def test_common_random_numbers_share_the_initial_state(tmp_path: Path) -> None:
    """Same replication, any strategy or point: the same week-0 organisation."""
    loaded = load_sweep(tiny_sweep(tmp_path))
    run_sweep(loaded, tmp_path / "o", executor="serial", progress=False)
    results, _ = read(tmp_path / "o")
    week0 = results[results["week"] == 0]
    per_rep = week0.groupby("replication")["culture_spread"].nunique()
    assert (per_rep == 1).all()
    assert week0.groupby("replication")["culture_spread"].first().nunique() == 2


def test_resume_skips_stored_runs_and_recomputes_only_missing(tmp_path: Path) -> None:
    loaded = load_sweep(tiny_sweep(tmp_path))
    out = tmp_path / "o"
    first = run_sweep(loaded, out, executor="serial", progress=False)
    again = run_sweep(loaded, out, executor="serial", progress=False)
    assert again.skipped == first.planned and again.computed == 0
    plan = plan_sweep(loaded)
    store = RunStore(out)
    for spec in plan.runs[:3]:
        store.run_path(spec.key).unlink()
    before = {p.name: p.stat().st_mtime_ns for p in (out / "runs").glob("*.parquet")}
    third = run_sweep(loaded, out, executor="serial", progress=False)
    assert third.computed == 3 and third.skipped == first.planned - 3
    after = {p.name: p.stat().st_mtime_ns for p in (out / "runs").glob("*.parquet")}
    assert all(after[name] == t for name, t in before.items())  # stored runs untouched
    run_sweep(loaded, tmp_path / "fresh", executor="serial", progress=False)
    assert_same_results(out, tmp_path / "fresh")


def test_failing_runs_are_recorded_and_the_sweep_goes_on(tmp_path: Path) -> None:
    # transfer_immediate = 0.1 is below the default 6-month transfer: the run is rejected
    extra = '"training.transfer_immediate" = { values = [0.62, 0.1] }'
    path = tiny_sweep(tmp_path, reps=1, thresholds="[0.3]", extra=extra)
    out = tmp_path / "o"
    proc = subprocess.run([sys.executable, "-m", "sim", "sweep", str(path), "--out", str(out),
                           "--executor", "serial", "--no-progress"],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 1, proc.stderr
    assert "4 runs failed" in proc.stderr
    results, summary = read(out)
    failed = summary[summary["status"] == "failed"]
    assert len(failed) == 4 and (failed["training.transfer_immediate"] == 0.1).all()
    assert failed["error"].str.contains("transfer must not rise").all()
    assert set(results["training.transfer_immediate"]) == {0.62}
    assert len(list((out / "runs").glob("*.error.json"))) == 4


def test_record_every_k_final_and_stop_condition(tmp_path: Path) -> None:
    every = load_sweep(tiny_sweep(tmp_path, extra="[record]\nevery = 5", name="a.toml"))
    run_sweep(every, tmp_path / "every", executor="serial", progress=False)
    results, _ = read(tmp_path / "every")
    assert sorted(set(results["week"])) == [0, 5, 10, 15, 16]

    final = load_sweep(tiny_sweep(tmp_path, extra="[record]\nevery = 'final'", name="b.toml"))
    run_sweep(final, tmp_path / "final", executor="serial", progress=False)
    results, _ = read(tmp_path / "final")
    assert list(results["week"].unique()) == [16] and len(results) == 16

    full, _ = read(tmp_path / "every")
    threshold = float(full[full["week"] == 0]["distance_to_target"].iloc[0]) - 0.005
    stop = f"[stop]\nweeks = 14\nwhen = {{ metric = 'distance_to_target', below = {threshold} }}"
    stopped = load_sweep(tiny_sweep(tmp_path, extra=stop, name="c.toml"))
    run_sweep(stopped, tmp_path / "stop", executor="serial", progress=False)
    results, summary = read(tmp_path / "stop")
    for _, run in results.groupby("run"):
        below = (run["distance_to_target"] < threshold).to_numpy()
        assert run["week"].max() <= 14
        if below.any():  # stopped at the first week that meets the condition
            assert below[-1] and not below[:-1].any()
        else:
            assert run["week"].max() == 14
    assert summary["stopped"].any()


def test_a_second_sweep_into_the_same_folder_is_refused(tmp_path: Path) -> None:
    from sim.experiments.sweep.store import SweepLockedError

    holder = RunStore(tmp_path / "o")
    holder.open()
    try:
        with pytest.raises(SweepLockedError):
            run_sweep(load_sweep(tiny_sweep(tmp_path)), tmp_path / "o", executor="serial",
                      progress=False)
    finally:
        holder.close()


def _wait_for_files(folder: Path, n: int, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        count = len(list(folder.glob("*.parquet"))) if folder.is_dir() else 0
        if count >= n:
            return count
        time.sleep(0.02)
    raise AssertionError(f"fewer than {n} runs stored after {timeout} s")


def test_sigkill_mid_sweep_then_rerun_completes_identically(tmp_path: Path) -> None:
    path = tiny_sweep(tmp_path, reps=4, weeks=20, thresholds="[0.2, 0.3, 0.4]")
    out = tmp_path / "killed"
    cmd = [sys.executable, "-m", "sim", "sweep", str(path), "--out", str(out),
           "--workers", "2", "--no-progress"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        stored = _wait_for_files(out / "runs", 8, timeout=120)
        children = psutil.Process(proc.pid).children(recursive=True)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    planned = len(plan_sweep(load_sweep(path)).runs)
    assert proc.returncode == -signal.SIGKILL
    assert stored < planned and not (out / "results.parquet").exists()
    _, still = psutil.wait_procs(children, timeout=15)
    for orphan in still:  # our own orphaned workers, if any outlived the pool
        orphan.kill()

    rerun = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert "already stored" in rerun.stdout
    run_sweep(load_sweep(path), tmp_path / "clean", executor="serial", progress=False)
    assert_same_results(out, tmp_path / "clean")
    keys = sorted(p.name for p in (out / "runs").iterdir())
    assert keys == sorted(p.name for p in (tmp_path / "clean" / "runs").iterdir())
    assert len(keys) == planned  # every run once: nothing lost, nothing duplicated
    results, _ = read(out)
    assert not results.duplicated(["run", "week"]).any()


def test_local_worker_killed_mid_sweep_still_completes_identically(tmp_path: Path) -> None:
    path = tiny_sweep(tmp_path, reps=4, weeks=20, thresholds="[0.2, 0.3, 0.4]")
    loaded = load_sweep(path)
    out = tmp_path / "o"
    killed: list[int] = []

    def killer() -> None:
        _wait_for_files(out / "runs", 4, timeout=120)
        me = psutil.Process()
        for proc in me.children(recursive=True):
            if proc.ppid() != me.pid:  # a pool worker (a child of the fork server)
                proc.kill()
                killed.append(proc.pid)
                return

    thread = threading.Thread(target=killer)
    thread.start()
    report = run_sweep(loaded, out, executor="local", workers=2, progress=False, retries=3)
    thread.join()
    assert killed, "no worker was killed"
    assert not report.failed and report.computed == report.planned
    run_sweep(loaded, tmp_path / "clean", executor="serial", progress=False)
    assert_same_results(out, tmp_path / "clean")
