"""The benchmark suite runs end to end (at tiny sizes); the suite itself is not a test.

``benchmarks/run_all.py --quick`` runs every kind of workload (single runs, a scaled run,
compare, sweep, the Mesa reference side by side, the scaling series) once, each in a fresh
process, and must write the table, the CSV and the scaling figure.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_quick_suite_writes_its_tables(tmp_path: Path):
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run_all.py"), "--quick",
                           "--out", str(tmp_path)], capture_output=True, text=True, cwd=ROOT,
                          timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    with (tmp_path / "results.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert {r["id"] for r in rows} == {"W1", "W3", "W4", "W5", "R1"}
    for row in rows:
        assert float(row["wall_median_s"]) > 0, row
        assert float(row["cpu_median_s"]) > 0, row
        assert float(row["peak_rss_mib"]) >= float(row["baseline_rss_mib"]) > 0, row
    # pooled workloads count their workers' CPU and memory
    pooled = {r["id"]: r for r in rows if r["id"] in ("W4", "W5")}
    assert float(pooled["W5"]["worker_peak_rss_mib"]) > 0
    # the reference comparison has its four sides and the ratio lines
    assert sum(r["id"] == "R1" for r in rows) == 4
    table = (tmp_path / "results.md").read_text()
    assert "vs idiomatic Mesa reference, values as Python lists" in table
    assert "## Targets" in table
    assert "## Machine" in table and "numpy" in table
    with (tmp_path / "scaling.csv").open() as handle:
        scaling = list(csv.DictReader(handle))
    assert [int(r["employees"]) for r in scaling] == [1000, 2000]
    assert (tmp_path / "scaling.png").stat().st_size > 10_000
