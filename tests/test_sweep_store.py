"""Stored results are checked: damaged run files are named, moved aside and recomputed;
a failed combine leaves no table that looks current; names and seeds stay in bounds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from inprocess_cli import cli_in_process

from sim.experiments.sweep import SweepError, load_sweep, plan_sweep, run_sweep
from sim.experiments.sweep.spec import MAX_SEED
from sim.experiments.sweep.store import COMBINED, META_KEY, RunStore, StoreError, combine

ROOT = Path(__file__).resolve().parent.parent

TINY = """
name = "{name}"
scenario = "classroom"
strategies = ["none", "training"]
replications = 2
base_seed = {base_seed}

[set]
"horizon.intervention_weeks" = 6
"horizon.followup_weeks" = 2
"cities.Noord.headcount" = 30
"cities.Midden.headcount" = 25
"cities.Zuid.headcount" = 20
"training.cohort_size" = 4

[parameters]
"training.dose" = {{ values = [0.3, 0.7] }}
"""

TABLES = ("results.parquet", "summary.parquet", "summary.csv")


def tiny(tmp_path: Path, name: str = "tiny", base_seed: int | str = 0,
         file: str = "sweep.toml") -> Path:
    path = tmp_path / file
    path.write_text(TINY.format(name=name, base_seed=base_seed))
    return path


def cli(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "sim", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=300)


cli_here = cli_in_process  # :func:`cli` keeps the real process for the refusals below


def table_bytes(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in TABLES}


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """An undamaged serial sweep: its sweep file and the bytes of its combined tables."""
    tmp = tmp_path_factory.mktemp("reference")
    path = tiny(tmp)
    run_sweep(load_sweep(path), tmp / "out", executor="serial", progress=False)
    return path, table_bytes(tmp / "out")


def _rewrite(path: Path, table: pa.Table) -> None:
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    path.write_bytes(sink.getvalue().to_pybytes())


def test_truncated_empty_and_foreign_run_files_are_named_moved_and_recomputed(
        tmp_path: Path, reference: tuple[Path, dict[str, bytes]]) -> None:
    path, expected = reference
    out = tmp_path / "out"
    first = cli_here("sweep", path, "--out", out, "--executor", "serial", "--no-progress")
    assert first.returncode == 0, first.stderr
    keys = plan_sweep(load_sweep(path)).unique_keys
    runs = out / "runs"
    files = [runs / f"{key}.parquet" for key in keys]
    truncated, empty, swapped, plain, short = files[:5]
    originals = {p.name: p.read_bytes() for p in files[:5]}
    truncated.write_bytes(originals[truncated.name][: len(originals[truncated.name]) // 2])
    empty.write_bytes(b"")
    swapped.write_bytes(files[6].read_bytes())  # a whole, valid run file with another key
    pd.DataFrame({"week": [0], "x": [1.0]}).to_parquet(plain)  # Parquet, but not a run file
    table = pq.read_table(short)  # readable, its own key, but rows lost since it was written
    _rewrite(short, table.slice(0, table.num_rows - 2).replace_schema_metadata(
        table.schema.metadata))
    damaged = {p.name: p.read_bytes() for p in files[:5]}

    again = cli_here("sweep", path, "--out", out, "--executor", "serial", "--no-progress")
    assert again.returncode == 0, again.stderr
    assert "5 computed" in again.stdout and f"{len(keys) - 5} already stored" in again.stdout
    warnings = again.stderr.strip().splitlines()
    assert len(warnings) == 5 and "Traceback" not in again.stderr
    reasons = {truncated: "unreadable", empty: "0 bytes", swapped: "holds run",
               plain: "no merger-sim run record", short: "rows where its record says"}
    for file, reason in reasons.items():
        line = next(w for w in warnings if f"{file}:" in w)
        assert line.startswith("warning: ") and "damaged" in line and reason in line, line
    # moved aside, never deleted: every damaged file is in runs/damaged with its bytes
    aside = {p.name.split("-", 1)[1]: p.read_bytes() for p in (runs / "damaged").iterdir()}
    assert aside == damaged
    # recomputed: the tables equal an undamaged sweep's, byte for byte
    assert table_bytes(out) == expected
    for file in files[:5]:
        assert file.read_bytes() == originals[file.name]
    assert not (out / "stale").exists()
    manifest = json.loads((out / "manifest.json").read_text())
    assert len(manifest["last_invocation"]["damaged_moved_aside"]) == 5


def test_a_flipped_byte_in_a_page_is_caught_by_its_checksum(
        tmp_path: Path, reference: tuple[Path, dict[str, bytes]]) -> None:
    path, expected = reference
    loaded = load_sweep(path)
    out = tmp_path / "out"
    run_sweep(loaded, out, executor="serial", progress=False)
    victim = RunStore(out).run_path(plan_sweep(loaded).runs[2].key)
    data = bytearray(victim.read_bytes())
    chunk = pq.ParquetFile(victim).metadata.row_group(0).column(1)
    # the last byte of a column chunk is in its last data page's payload, which the page
    # checksum covers (a byte of a page header's unused statistics would not matter)
    start = chunk.dictionary_page_offset if chunk.has_dictionary_page else chunk.data_page_offset
    data[start + chunk.total_compressed_size - 1] ^= 0x55
    victim.write_bytes(bytes(data))
    report = run_sweep(loaded, out, executor="serial", progress=False)
    assert [d.path for d in report.damaged] == [victim] and report.computed == 1
    assert table_bytes(out) == expected


def test_a_failed_combine_leaves_no_table_that_looks_current(
        tmp_path: Path, reference: tuple[Path, dict[str, bytes]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Damage that the resume check did not see (it appeared later) stops the combine."""
    from typer.testing import CliRunner

    from sim.cli import app

    path, expected = reference
    loaded = load_sweep(path)
    out = tmp_path / "out"
    run_sweep(loaded, out, executor="serial", progress=False)
    previous = {name: (out / name).read_bytes() for name in COMBINED
                if (out / name).exists()}  # results.csv only with --csv
    victim = RunStore(out).run_path(plan_sweep(loaded).runs[3].key)
    victim.write_bytes(victim.read_bytes()[:100])
    monkeypatch.setattr(RunStore, "verify", lambda self, keys: [])

    with pytest.raises(StoreError) as info:
        run_sweep(loaded, out, executor="serial", progress=False)
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{victim}: unreadable")
    for name in COMBINED:  # nothing current-looking: the old tables wait in stale/
        assert not (out / name).exists(), name
        if name in previous:
            assert (out / "stale" / name).read_bytes() == previous[name]
    assert not list(out.glob(".*.tmp"))

    result = CliRunner().invoke(app, ["sweep", str(path), "--out", str(out),
                                      "--executor", "serial", "--no-progress"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {victim}: unreadable"), lines
    assert not any((out / name).exists() for name in COMBINED)

    monkeypatch.undo()  # the next resume checks the files again and repairs the sweep
    report = run_sweep(loaded, out, executor="serial", progress=False)
    assert [d.path for d in report.damaged] == [victim]
    assert table_bytes(out) == expected and not (out / "stale").exists()


def test_a_damaged_error_record_is_named_when_combining(
        tmp_path: Path, reference: tuple[Path, dict[str, bytes]]) -> None:
    path, _ = reference
    loaded = load_sweep(path)
    out = tmp_path / "out"
    run_sweep(loaded, out, executor="serial", progress=False)
    plan = plan_sweep(loaded)
    store = RunStore(out)
    key = plan.runs[0].key
    store.run_path(key).unlink()
    store.error_path(key).write_text('{"error": "trunc')
    with pytest.raises(StoreError, match=rf"^{store.error_path(key)}: unreadable"):
        combine(store, plan)
    assert not list(out.glob(".*.tmp"))


ESCAPING = ["../outside", "/tmp/abs", "a/b", "..", ".", "a\\b", "C:evil", "tab\there", " x"]


@pytest.mark.parametrize("name", ESCAPING)
def test_sweep_names_cannot_leave_the_output_folder(tmp_path: Path, name: str) -> None:
    escaped = name.replace("\\", "\\\\").replace("\t", "\\t")
    with pytest.raises(SweepError, match=r"^name: .* is not a plain folder name"):
        load_sweep(tiny(tmp_path, name=escaped))


def test_cli_refuses_an_escaping_name_before_writing(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    path = tiny(tmp_path, name="../../escaped")
    proc = cli("sweep", path, "--executor", "serial", "--no-progress", cwd=work)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: name: "), proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sweep.toml", "work"]
    assert not any(work.iterdir())


@pytest.mark.parametrize(("base_seed", "field"), [
    (2**70, "base_seed"), (MAX_SEED, "base_seed"), (MAX_SEED + 1, "base_seed"),
])
def test_a_seed_beyond_the_generator_range_is_refused(tmp_path: Path, base_seed: int,
                                                      field: str) -> None:
    # two replications: MAX_SEED itself would give MAX_SEED + 1 for the second
    with pytest.raises(SweepError, match=rf"^{field}: .*largest seed {MAX_SEED}"):
        load_sweep(tiny(tmp_path, base_seed=base_seed))


def test_cli_refuses_a_huge_base_seed_with_one_line(tmp_path: Path) -> None:
    proc = cli("sweep", tiny(tmp_path, base_seed=2**70), "--out", tmp_path / "o",
               "--executor", "serial", "--no-progress")
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: base_seed: "), proc.stderr
    assert not (tmp_path / "o").exists()


def test_a_huge_design_seed_is_refused(tmp_path: Path) -> None:
    path = tiny(tmp_path)
    path.write_text(path.read_text() + f"\n[design]\nseed = {MAX_SEED + 1}\n")
    with pytest.raises(SweepError, match=r"^design\.seed: "):
        load_sweep(path)


def test_seeds_near_the_top_of_the_range_are_carried_through_every_table(
        tmp_path: Path) -> None:
    loaded = load_sweep(tiny(tmp_path, base_seed=MAX_SEED - 1))
    out = tmp_path / "out"
    run_sweep(loaded, out, executor="serial", progress=False)
    seeds = {MAX_SEED - 1, MAX_SEED}
    assert {r.seed for r in plan_sweep(loaded).runs} == seeds
    results = pq.read_table(out / "results.parquet").column("seed").to_pylist()
    summary = pq.read_table(out / "summary.parquet").column("seed").to_pylist()
    csv = pd.read_csv(out / "summary.csv")["seed"]
    assert set(results) == set(summary) == set(csv.tolist()) == seeds
    assert csv.dtype == "int64"
    assert set(json.loads((out / "manifest.json").read_text())["seeds"]) == seeds
    for file in (out / "runs").glob("*.parquet"):
        record = json.loads(pq.read_schema(file).metadata[META_KEY])
        assert record["spec"]["seed"] in seeds and record["meta"]["seed"] == record["spec"][
            "seed"]
    by_rep = pq.read_table(out / "summary.parquet").to_pandas().groupby("replication").seed
    assert by_rep.unique().map(list).to_dict() == {0: [MAX_SEED - 1], 1: [MAX_SEED]}


def test_damaged_files_are_never_overwritten_and_other_columns_are_caught(
        tmp_path: Path, reference: tuple[Path, dict[str, bytes]]) -> None:
    path, expected = reference
    loaded = load_sweep(path)
    out = tmp_path / "out"
    run_sweep(loaded, out, executor="serial", progress=False)
    victim = RunStore(out).run_path(plan_sweep(loaded).runs[1].key)
    table = pq.read_table(victim)
    renamed = table.rename_columns(["week", "other", *table.column_names[2:]])
    seen = []
    for forged in (b"", renamed):  # the same key damaged twice: both copies are kept
        if isinstance(forged, bytes):
            victim.write_bytes(forged)
        else:
            _rewrite(victim, forged.replace_schema_metadata(table.schema.metadata))
        seen.append(victim.read_bytes())
        report = run_sweep(loaded, out, executor="serial", progress=False)
        assert [d.path for d in report.damaged] == [victim]
    assert "columns are not the week" in report.damaged[0].reason
    aside = sorted((out / "runs" / "damaged").iterdir())
    assert len(aside) == 2 and sorted(p.read_bytes() for p in aside) == sorted(seen)
    assert table_bytes(out) == expected


def test_an_interrupted_sweep_leaves_no_table_that_looks_current(
        tmp_path: Path, reference: tuple[Path, dict[str, bytes]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    import sim.experiments.sweep.runner as runner

    path, expected = reference
    loaded = load_sweep(path)
    out = tmp_path / "out"
    run_sweep(loaded, out, executor="serial", progress=False)
    RunStore(out).run_path(plan_sweep(loaded).runs[0].key).unlink()

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "_execute", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_sweep(loaded, out, executor="serial", progress=False)
    assert not any((out / name).exists() for name in COMBINED)
    assert (out / "stale" / "results.parquet").read_bytes() == expected["results.parquet"]
    monkeypatch.undo()
    run_sweep(loaded, out, executor="serial", progress=False)
    assert table_bytes(out) == expected and not (out / "stale").exists()
