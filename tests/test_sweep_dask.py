"""The Dask executor on a real scheduler and worker processes (127.0.0.1) equals serial."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from sim.experiments.sweep import load_sweep, run_sweep

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parent.parent

SWEEP = """
name = "dask"
scenario = "classroom"
strategies = ["none", "training"]
replications = 3

[set]
"horizon.intervention_weeks" = 16
"horizon.followup_weeks" = 4
"cities.Noord.headcount" = 30
"cities.Midden.headcount" = 25
"cities.Zuid.headcount" = 20
"training.cohort_size" = 4

[parameters]
"training.dose" = { values = [0.3, 0.7] }
"interaction.confidence_threshold" = { values = [0.2, 0.3, 0.4] }
"""


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    """Two worker processes on the loopback interface, no dashboard."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, worker_dashboard_address=None) as lc:
        yield lc


@pytest.fixture(scope="module")
def serial(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("serial")
    path = tmp / "sweep.toml"
    path.write_text(SWEEP)
    run_sweep(load_sweep(path), tmp / "out", executor="serial", progress=False)
    return path, tmp / "out"


def assert_same(a: Path, b: Path) -> None:
    assert pq.read_table(a / "results.parquet").equals(pq.read_table(b / "results.parquet"))
    pd.testing.assert_frame_equal(pd.read_parquet(a / "summary.parquet"),
                                  pd.read_parquet(b / "summary.parquet"))


def test_dask_cli_equals_serial(cluster: object, serial: tuple[Path, Path],
                                tmp_path: Path) -> None:
    path, reference = serial
    out = tmp_path / "dask"
    proc = subprocess.run(
        [sys.executable, "-m", "sim", "sweep", str(path), "--out", str(out), "--executor",
         "dask", "--scheduler", cluster.scheduler_address, "--no-progress"],  # type: ignore[attr-defined]
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "36 computed" in proc.stdout
    assert_same(out, reference)


def test_dask_worker_killed_mid_sweep_still_identical(cluster: object,
                                                      serial: tuple[Path, Path],
                                                      tmp_path: Path) -> None:
    from distributed import Client

    path, reference = serial
    out = tmp_path / "dask"
    client = Client(cluster.scheduler_address)  # type: ignore[attr-defined]
    client.wait_for_workers(2, timeout=60)
    pids = client.run(os.getpid)
    killed: list[int] = []

    def killer() -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            runs = out / "runs"
            if runs.is_dir() and len(list(runs.glob("*.parquet"))) >= 4:
                pid = sorted(pids.values())[0]
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
                return
            time.sleep(0.01)

    thread = threading.Thread(target=killer)
    thread.start()
    try:
        report = run_sweep(load_sweep(path), out, executor="dask", scheduler=client,
                           progress=False)
    finally:
        thread.join()
        client.close()
    assert killed, "no worker was killed"
    assert not report.failed and report.computed == report.planned == 36
    assert_same(out, reference)


def test_dask_bad_scheduler_address_is_bad_input(serial: tuple[Path, Path],
                                                 tmp_path: Path) -> None:
    path, _ = serial
    proc = subprocess.run(
        [sys.executable, "-m", "sim", "sweep", str(path), "--out", str(tmp_path / "o"),
         "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9", "--no-progress"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: --scheduler"), proc.stderr
