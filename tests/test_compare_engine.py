"""A comparison on the experiment engine: resumes after SIGKILL, same bytes on every executor,
one reader of stored results."""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from sim.cli import main
from sim.experiments.results import load_results
from sim.presentation.comparison import compare

ROOT = Path(__file__).resolve().parent.parent
CLASSROOM = str(ROOT / "scenarios" / "classroom.toml")
PAIR = ["none", "training"]
WEEKS = 24

#: Outputs that must be byte-identical however the runs were computed.
SAME = ("results.parquet", "run_summary.csv", "summary.csv", "paired.csv", "outcomes.csv",
        "weekly.csv", "acculturation.csv", "counterfactual.csv", "ceac.csv")


def assert_same_bytes(a: Path, b: Path) -> None:
    for name in SAME:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


@pytest.fixture(scope="module")
def serial(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("serial") / "out"
    compare(CLASSROOM, PAIR, 4, out, workers=1, weeks=WEEKS, progress=False, figures=False)
    return out


def _run_files(folder: Path) -> dict[str, float]:
    if not folder.is_dir():
        return {}
    return {p.name: p.stat().st_mtime_ns for p in folder.glob("*.parquet")
            if p.name.count(".") == 1}


def test_compare_killed_then_rerun_resumes_with_the_same_bytes(tmp_path: Path,
                                                               serial: Path) -> None:
    out = tmp_path / "killed"
    cmd = [sys.executable, "-m", "sim", "compare", CLASSROOM, "--strategies", "none,training",
           "--replications", "4", "--weeks", str(WEEKS), "--workers", "2", "--no-figures",
           "--no-progress", "--out", str(out)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while len(_run_files(out / "runs")) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        children = psutil.Process(proc.pid).children(recursive=True)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    stored = _run_files(out / "runs")
    assert 2 <= len(stored) < 8 and not (out / "report.html").exists()
    _, still = psutil.wait_procs(children, timeout=15)
    for orphan in still:
        orphan.kill()
    rerun = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{8 - len(stored)} computed, {len(stored)} already stored" in rerun.stdout
    after = _run_files(out / "runs")
    assert all(after[name] == stamp for name, stamp in stored.items())  # not recomputed
    assert len(after) == 8
    assert_same_bytes(out, serial)
    # the third time finds everything stored: asked in this process (the console entry), as
    # the killed and the resumed runs above were real processes
    said = io.StringIO()
    with contextlib.redirect_stdout(said), pytest.raises(SystemExit) as done:
        main(cmd[3:])
    assert done.value.code in (0, None)
    assert "0 computed, 8 already stored" in said.getvalue()


def test_local_processes_give_the_serial_bytes(tmp_path: Path, serial: Path) -> None:
    compare(CLASSROOM, PAIR, 4, tmp_path / "local", workers=2, weeks=WEEKS, progress=False,
            figures=False)
    assert_same_bytes(tmp_path / "local", serial)


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    pytest.importorskip("distributed")
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, worker_dashboard_address=None) as lc:
        yield lc


def test_dask_gives_the_serial_bytes(tmp_path: Path, serial: Path, cluster: object) -> None:
    from distributed import Client

    with Client(cluster) as client:  # type: ignore[arg-type]
        compare(CLASSROOM, PAIR, 4, tmp_path / "dask", weeks=WEEKS, progress=False,
                figures=False, executor="dask", scheduler=client)
    assert_same_bytes(tmp_path / "dask", serial)
    manifest = json.loads((tmp_path / "dask" / "manifest.json").read_text())
    assert manifest["executor"] == "dask"


def test_load_results_reads_a_comparison(serial: Path) -> None:
    res = load_results(serial)
    assert res.kind == "compare"
    assert len(res.experiments) == 8 and set(res.experiments["status"]) == {"ok"}
    assert list(res.experiments["strategy"]) == ["none"] * 4 + ["training"] * 4
    assert len(res.weekly) == 8 * (WEEKS + 1)
    outcomes = res.outcomes
    for name in ("durability", "weeks_to_integration", "cost_per_alignment_point",
                 "distance_to_target_final"):
        assert name in outcomes.columns
    # the same numbers as the comparison's own table
    import pandas as pd

    written = pd.read_csv(serial / "outcomes.csv")
    assert written["distance_to_target_final"].tolist() == pytest.approx(
        outcomes["distance_to_target_final"].tolist())
    assert set(res.table("agents")["replication"]) == {0}


def test_load_results_reads_a_sweep(tmp_path: Path) -> None:
    from sim.experiments.sweep import load_sweep, run_sweep

    path = tmp_path / "s.toml"
    path.write_text('name = "s"\nscenario = "classroom"\nstrategies = ["none"]\n'
                    'replications = 2\n[set]\n"horizon.intervention_weeks" = 4\n'
                    '"horizon.followup_weeks" = 2\n[parameters]\n'
                    '"interaction.confidence_threshold" = { values = [0.2, 0.4] }\n')
    run_sweep(load_sweep(path), tmp_path / "out", executor="serial", progress=False)
    res = load_results(tmp_path / "out")
    assert res.kind == "sweep" and len(res.experiments) == 4
    assert "interaction.confidence_threshold" in res.outcomes.columns
    assert len(res.outcomes) == 4
    final = res.experiments.set_index("run")["final_distance_to_target"]
    assert res.outcomes.set_index("run")["distance_to_target_final"].tolist() == \
        pytest.approx(final.tolist())


def test_load_results_of_an_empty_folder_names_it(tmp_path: Path) -> None:
    from sim.experiments.results import ResultsError

    with pytest.raises(ResultsError, match="no stored results"):
        load_results(tmp_path)
