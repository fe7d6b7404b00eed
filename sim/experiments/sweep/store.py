"""Result storage for sweeps: one file per run, written atomically, combined by streaming.

Layout of an output directory::

    DIR/runs/<key>.parquet      a completed run: its recorded weeks (metadata in the footer)
    DIR/runs/<key>.error.json   a failed run: its error and traceback
    DIR/results.parquet         every run and recorded week (BehaviorSpace "table" layout)
    DIR/summary.parquet, .csv   one row per run: parameters, status, final values
    DIR/manifest.json           provenance: sweep file, scenario hash, versions, counts
    DIR/runs/damaged/           run files that failed their check, moved aside (never deleted)
    DIR/stale/                  the previous combined tables while new ones are made

Why this shape: a run file appears only once it is complete (temp file in the same
directory, fsync, ``os.replace``), so a sweep killed at any instant leaves either the whole
file or none, and "resume" is simply "skip keys that have a file". Combining reads one run
file at a time and appends it to a ``ParquetWriter``, so memory does not grow with the
number of runs.

Why run files are still checked: a disk, a copy or a person can damage a file after it was
written. Each run file records its key and row count in its footer and carries page
checksums; on resume a file that cannot be read, lacks its record, holds another key or
has lost rows is moved aside and recomputed. The combined tables are moved to ``stale/``
before a sweep touches its runs and are published only after every part has been read, so
a failed or interrupted combine never leaves an old table that looks current.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from sim.experiments.sweep.plan import Plan, RunSpec
from sim.experiments.sweep.spec import SweepError
from sim.experiments.sweep.worker import RunOutcome
from sim.fileio import atomic_write, atomic_write_bytes, fsync_dir
from sim.metrics import OUTPUTS

#: Key of the JSON blob in each run file's Parquet footer.
META_KEY = b"merger_sim"

#: Rows per Parquet row group of results.parquet: runs are gathered up to this size, so
#: the file has few, well-sized row groups and the writer's memory stays bounded.
ROW_GROUP_ROWS = 65_536
#: ... or up to this many runs, whichever comes first (many tiny tables cost memory too).
ROW_GROUP_RUNS = 100

#: Columns that label a run in the combined tables, in order, with their Arrow types.
LABEL_TYPES: dict[str, pa.DataType] = {
    "run": pa.int64(), "run_key": pa.string(), "group": pa.int64(), "sample": pa.int64(),
    "point": pa.int64(), "strategy": pa.string(), "replication": pa.int64(), "seed": pa.int64(),
}
RUN_COLUMNS = tuple(LABEL_TYPES)

#: The columns of every run file, in order: the week and the model's weekly outputs.
RUN_FILE_COLUMNS = ("week", *OUTPUTS)

#: The combined outputs of a sweep, derived from the run files (moved to ``stale/`` while a
#: sweep runs, replaced when it has combined).
COMBINED = ("results.parquet", "summary.parquet", "summary.csv", "manifest.json", "results.csv")


class SweepLockedError(RuntimeError):
    """Another sweep process is writing to the same output directory."""


class StoreError(SweepError):
    """A stored file cannot be used; the message names the file (one line)."""


class DamagedRun(Exception):
    """A run file failed its check; the message says why."""


@dataclass(frozen=True)
class Damage:
    """A damaged run file found on resume: where it was, why, and where it was moved."""

    path: Path
    reason: str
    moved_to: Path


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def check_run_file(path: Path, key: str) -> tuple[pa.Table, dict[str, Any]]:
    """Read a run file whole and check it against its footer record.

    Returns:
        The run's table (footer metadata removed) and its footer record.

    Raises:
        DamagedRun: the file cannot be read (truncated, empty, a page checksum fails), has
            no merger-sim record, holds another run's key, or has another number of rows
            than recorded.
    """
    try:
        # ParquetFile reads one small file without the dataset machinery (and its caches)
        table = pq.ParquetFile(path, page_checksum_verification=True).read(use_threads=False)
    except Exception as exc:  # any failure to parse untrusted bytes means "unreadable"
        raise DamagedRun(f"unreadable: {_one_line(exc)}") from None
    raw = (table.schema.metadata or {}).get(META_KEY)
    if raw is None:
        raise DamagedRun("no merger-sim run record in its footer (not a run file of a sweep)")
    try:
        info = json.loads(raw)
        stored_key = info["spec"]["key"]
    except (ValueError, KeyError, TypeError):
        raise DamagedRun("its run record is not readable") from None
    if stored_key != key:
        raise DamagedRun(f"it holds run {stored_key!r}, not {key!r}: a file of another run "
                         "or sweep")
    rows = info.get("rows")  # None: written before row counts were recorded
    if rows is not None and rows != table.num_rows:
        raise DamagedRun(f"it has {table.num_rows} rows where its record says {rows} "
                         "(incomplete)")
    if table.num_rows == 0:
        raise DamagedRun("it holds no recorded weeks")
    numeric = all(pa.types.is_integer(f.type) or pa.types.is_floating(f.type)
                  for f in table.schema)
    if tuple(table.column_names) != RUN_FILE_COLUMNS or not numeric:
        raise DamagedRun("its columns are not the week and the model's numeric outputs")
    return table.replace_schema_metadata(None), info


def spec_record(spec: RunSpec) -> dict[str, Any]:
    """A run spec as plain JSON."""
    return {
        "index": spec.index,
        "key": spec.key,
        "point": spec.point,
        "sample": spec.sample,
        "group": spec.group,
        "strategy": spec.strategy,
        "replication": spec.replication,
        "seed": spec.seed,
        "params": spec.params,
        "id": spec.id,
    }


class RunStore:
    """The run files of one output directory."""

    def __init__(self, out: str | Path, combined: tuple[str, ...] = COMBINED) -> None:
        self.out = Path(out)
        self.runs = self.out / "runs"
        self.combined = combined
        self._lock_fh: Any = None

    def open(self) -> None:
        """Create the directory, take the writer lock, and clear half-written temp files.

        Raises:
            SweepLockedError: another live sweep holds the lock (the OS releases it when
                that process dies, even by SIGKILL).
        """
        self.out.mkdir(parents=True, exist_ok=True)
        fh = open(self.out / ".lock", "a+")  # noqa: SIM115 - held for the sweep's lifetime
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.close()
            raise SweepLockedError(f"another sweep is writing to {self.out}") from None
        self._lock_fh = fh
        ours = [tmp for name in self.combined for tmp in self.out.glob(f".{name}*.tmp")]
        runs = self.runs.glob(".*.tmp") if self.runs.is_dir() else []
        for tmp in [*runs, *ours]:  # only our own names in DIR
            tmp.unlink(missing_ok=True)

    def close(self) -> None:
        """Release the writer lock."""
        if self._lock_fh is not None:
            fcntl.flock(self._lock_fh, fcntl.LOCK_UN)
            self._lock_fh.close()
            self._lock_fh = None

    def run_path(self, key: str) -> Path:
        """Where a completed run is stored."""
        return self.runs / f"{key}.parquet"

    def extra_path(self, key: str, name: str) -> Path:
        """Where a run's extra table (acculturation, agents, edges) is stored."""
        return self.runs / f"{key}.{name}.parquet"

    def error_path(self, key: str) -> Path:
        """Where a failed run's error is stored."""
        return self.runs / f"{key}.error.json"

    @property
    def damaged(self) -> Path:
        """Where damaged run files are moved."""
        return self.runs / "damaged"

    @property
    def stale(self) -> Path:
        """Where the previous combined tables wait while new ones are made."""
        return self.out / "stale"

    def verify(self, keys: Iterable[str]) -> list[Damage]:
        """Check the stored file of each key; move damaged ones aside so they are recomputed.

        Each file is read whole (memory: one run at a time). A key without a file is not
        looked at: it is simply not done.
        """
        with _system_allocator():  # as when combining: memory flat over many files
            return self._verify(keys)

    def _verify(self, keys: Iterable[str]) -> list[Damage]:
        found = []
        for key in dict.fromkeys(keys):
            path = self.run_path(key)
            if not path.exists() and not path.is_symlink():
                continue
            try:
                _, info = check_run_file(path, key)
                for name, rows in (info.get("extras") or {}).items():
                    self.read_extra(key, name, rows)
            except DamagedRun as exc:
                found.append(Damage(path, str(exc), self._move_aside(path)))
        return found

    def read_extra(self, key: str, name: str, rows: int | None = None) -> pa.Table:
        """A run's extra table, checked (page checksums, and the row count when given).

        Raises:
            DamagedRun: missing, unreadable or short.
        """
        path = self.extra_path(key, name)
        try:
            table = pq.ParquetFile(path, page_checksum_verification=True).read(
                use_threads=False)
        except Exception as exc:  # untrusted bytes: any failure means unreadable
            raise DamagedRun(f"its {name} table {path.name} is missing or unreadable "
                             f"({_one_line(exc)})") from None
        if rows is not None and table.num_rows != rows:
            raise DamagedRun(f"its {name} table has {table.num_rows} rows where its record "
                             f"says {rows}")
        return table

    def _move_aside(self, path: Path) -> Path:
        """Move a damaged file into runs/damaged/, named with the time; never overwrite."""
        self.damaged.mkdir(exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        target = self.damaged / f"{stamp}-{path.name}"
        n = 1
        while target.exists():
            target = self.damaged / f"{stamp}-{n}-{path.name}"
            n += 1
        os.rename(path, target)
        fsync_dir(self.runs)
        return target

    def retire_combined(self) -> None:
        """Move the combined outputs into stale/, so none is left looking current.

        Why not delete: they are derived from the run files, but a previous table may hold
        a run whose file has since been damaged; it stays readable in stale/ until the new
        tables are in place.
        """
        present = [name for name in self.combined if (self.out / name).is_file()]
        if not present:
            return
        self.stale.mkdir(exist_ok=True)
        for name in present:
            os.replace(self.out / name, self.stale / name)
        fsync_dir(self.out)

    def clear_stale(self) -> None:
        """Remove stale/ once every combined output has been written anew."""
        if not self.stale.is_dir():
            return
        for name in self.combined:
            (self.stale / name).unlink(missing_ok=True)
        with contextlib.suppress(OSError):  # not empty: something else is in there; keep it
            self.stale.rmdir()

    def done_keys(self) -> set[str]:
        """Keys of the runs that completed (failed runs are tried again on resume)."""
        names = (p.name.removesuffix(".parquet") for p in self.runs.glob("*.parquet"))
        return {name for name in names if "." not in name}  # not the extra tables

    def write_outcome(self, spec: RunSpec, outcome: RunOutcome, attempts: int) -> None:
        """Store a run's outcome atomically (a success also removes an old error file)."""
        if outcome.ok and outcome.table is not None:
            extras = {}
            for name, frame in sorted(outcome.extras.items()):  # before the run file: a
                extra = pa.Table.from_pandas(frame, preserve_index=False)  # run file means
                sink = pa.BufferOutputStream()                              # all is there
                pq.write_table(extra, sink, write_page_checksum=True)
                atomic_write_bytes(self.extra_path(spec.key, name), sink.getvalue().to_pybytes())
                extras[name] = extra.num_rows
            table = pa.Table.from_pandas(outcome.table, preserve_index=False)
            info = {
                "spec": spec_record(spec),
                "meta": outcome.meta,
                "stopped_week": outcome.stopped_week,
                "rows": table.num_rows,
            }
            if extras:
                info["extras"] = extras
            table = table.replace_schema_metadata(
                {META_KEY: json.dumps(info, sort_keys=True, default=str).encode()}
            )
            sink = pa.BufferOutputStream()
            pq.write_table(table, sink, write_page_checksum=True)
            atomic_write_bytes(self.run_path(spec.key), sink.getvalue().to_pybytes())
            self.error_path(spec.key).unlink(missing_ok=True)
        else:
            info = {
                "spec": spec_record(spec),
                "error": outcome.error,
                "traceback": outcome.trace,
                "attempts": attempts,
            }
            data = json.dumps(info, indent=2, sort_keys=True, default=str).encode()
            atomic_write_bytes(self.error_path(spec.key), data)

    def read_run(self, key: str) -> tuple[pa.Table, dict[str, Any]]:
        """A stored run's table and its footer metadata, checked.

        Raises:
            StoreError: the file is damaged (named, with the reason, in one line).
        """
        path = self.run_path(key)
        try:
            return check_run_file(path, key)
        except DamagedRun as exc:
            raise self.combine_error(path, str(exc)) from None

    def read_error(self, key: str) -> dict[str, Any] | None:
        """A failed run's error record, or None.

        Raises:
            StoreError: the record is not readable JSON.
        """
        path = self.error_path(key)
        if not path.is_file():
            return None
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise self.combine_error(path, f"unreadable: {_one_line(exc)}") from None
        if not isinstance(record, dict):
            raise self.combine_error(path, "not an error record")
        return record

    def combine_error(self, path: Path, reason: str) -> StoreError:
        """The one-line error for a file that stops combining."""
        return StoreError(
            f"{path}: {reason}; no combined tables were written (the previous ones, if any, "
            f"are in {self.stale}); rerun the command to move the file aside and recompute it"
        )


def _param_type(values: list[Any]) -> pa.DataType:
    if all(isinstance(v, bool) for v in values):
        return pa.bool_()
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return pa.int64()
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return pa.float64()
    return pa.string()


def parameter_types(plan: Plan) -> dict[str, pa.DataType]:
    """One Arrow type per parameter column, fixed across all runs of the plan."""
    return {
        name: _param_type([r.params[name] for r in plan.runs]) for name in plan.parameter_names
    }


def run_labels(spec: RunSpec, ptypes: dict[str, pa.DataType]) -> dict[str, Any]:
    """A run's label and parameter values, as stored in its rows (string parameters as text)."""
    labels = {"run": spec.index, "run_key": spec.key, "group": spec.group,
              "sample": spec.sample, "point": spec.point, "strategy": spec.strategy,
              "replication": spec.replication, "seed": spec.seed}
    params = {name: spec.params[name] for name in ptypes}  # the plan's column order
    return labels | {name: str(value) if ptypes[name] == pa.string() else value
                     for name, value in params.items()}


def _label_arrays(spec: RunSpec, n: int, ptypes: dict[str, pa.DataType]) -> dict[str, pa.Array]:
    types = LABEL_TYPES | ptypes
    return {name: pa.array([value] * n, type=types[name])
            for name, value in run_labels(spec, ptypes).items()}


def iter_run_tables(
    store: RunStore, plan: Plan, ptypes: dict[str, pa.DataType]
) -> Iterator[tuple[RunSpec, pa.Table | None, dict[str, Any]]]:
    """Each planned run in plan order: its labelled table (None if not completed) and info."""
    done = store.done_keys()
    for spec in plan.runs:
        if spec.key not in done:
            yield spec, None, {}
            continue
        table, info = store.read_run(spec.key)
        labels = _label_arrays(spec, table.num_rows, ptypes)
        columns = list(labels.values()) + table.columns
        names = list(labels) + table.column_names
        yield spec, pa.Table.from_arrays(columns, names=names), info


#: Columns of the per-run summary between the parameters and the final values.
STATUS_COLUMNS: dict[str, pa.DataType] = {
    "status": pa.string(), "error": pa.string(), "final_week": pa.int64(), "stopped": pa.bool_(),
}

def _final_types(store: RunStore, plan: Plan, ptypes: dict[str, pa.DataType]
                 ) -> dict[str, pa.DataType]:
    """``final_<output>`` columns of the summary, typed from the first completed run."""
    done = store.done_keys()
    for spec in plan.runs:
        if spec.key in done:
            schema = store.read_run(spec.key)[0].schema
            return {f"final_{f.name}": f.type for f in schema
                    if f.name not in RUN_COLUMNS and f.name not in ptypes and f.name != "week"}
    return {}


class _SummaryWriter:
    """Writes summary.parquet and summary.csv a batch of runs at a time.

    Why streaming: a summary row is small, but a sweep of 100,000 runs would otherwise hold
    100,000 of them (and a DataFrame of them) in memory at the end of the sweep.
    """

    def __init__(self, out: Path, schema: pa.Schema, name: str = "summary") -> None:
        self.schema = schema
        self.paths = {"parquet": out / f"{name}.parquet", "csv": out / f"{name}.csv"}
        self.tmp = {kind: out / f".{path.name}.tmp" for kind, path in self.paths.items()}
        self._parquet = pq.ParquetWriter(self.tmp["parquet"], schema)
        self._csv = pacsv.CSVWriter(str(self.tmp["csv"]), schema)
        self.rows: list[dict[str, Any]] = []

    def add(self, row: dict[str, Any]) -> None:
        self.rows.append(row)
        if len(self.rows) >= ROW_GROUP_RUNS:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        table = pa.Table.from_pylist(self.rows, schema=self.schema)
        self._parquet.write_table(table)
        self._csv.write_table(table)
        self.rows = []

    def close(self, complete: bool) -> None:
        """Close both files; unless ``complete``, remove them (nothing half-made stays)."""
        if complete:
            self.flush()
        self._parquet.close()
        self._csv.close()
        if not complete:
            for tmp in self.tmp.values():
                tmp.unlink(missing_ok=True)

    def publish(self) -> None:
        """Move both closed files into place."""
        for kind, path in self.paths.items():
            _publish(self.tmp[kind], path)


def _publish(tmp: Path, path: Path) -> None:
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)


@contextlib.contextmanager
def _system_allocator() -> Iterator[None]:
    """Allocate Arrow buffers with the system allocator while combining.

    Why: Arrow's default allocator (mimalloc) keeps freed memory cached for reuse, so the
    thousands of small run tables that combining reads one after another leave a footprint
    that grows with the number of runs; the system allocator returns it.
    """
    previous = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        yield
    finally:
        pa.set_memory_pool(previous)


def combine(store: RunStore, plan: Plan, summary: str = "summary") -> dict[str, int]:
    """Stream the run files into results.parquet and the per-run summary tables.

    Rows of results.parquet follow the plan order, one per run and recorded week, so the
    same sweep gives the same file on every executor and worker count. Both outputs are
    written a bounded batch of runs at a time, so memory does not grow with the sweep.

    Every run file is read and checked before anything is published: the tables are
    written to temporary files and moved into place only when every part has been read.

    Returns:
        Counts: completed, failed, missing runs and result rows.

    Raises:
        StoreError: a run or error file cannot be read or does not fit the others (named
            in the message); no combined table is written.
    """
    with _system_allocator():
        return _combine(store, plan, summary)


def _combine(store: RunStore, plan: Plan, summary_name: str) -> dict[str, int]:
    ptypes = parameter_types(plan)
    finals = _final_types(store, plan, ptypes)
    summary_schema = pa.schema([*LABEL_TYPES.items(), *ptypes.items(), *STATUS_COLUMNS.items(),
                                *finals.items()])
    summary = _SummaryWriter(store.out, summary_schema, summary_name)
    results_path = store.out / "results.parquet"
    tmp_results = store.out / ".results.parquet.tmp"
    writer: pq.ParquetWriter | None = None
    batch: list[pa.Table] = []
    batch_rows = 0
    counts = {"completed": 0, "failed": 0, "missing": 0, "rows": 0}
    complete = False
    try:
        for spec, table, info in iter_run_tables(store, plan, ptypes):
            row = run_labels(spec, ptypes)
            if table is None:
                err = store.read_error(spec.key)
                status = "failed" if err else "missing"
                counts[status] += 1
                row |= {"status": status, "error": (err or {}).get("error")}
                summary.add(row)
                continue
            counts["completed"] += 1
            counts["rows"] += table.num_rows
            if writer is None:
                writer = pq.ParquetWriter(tmp_results, table.schema)
            try:
                batch.append(table.cast(writer.schema))
            except (ValueError, pa.ArrowException) as exc:
                raise store.combine_error(
                    store.run_path(spec.key),
                    f"its columns do not match the other runs ({_one_line(exc)})") from None
            batch_rows += table.num_rows
            if batch_rows >= ROW_GROUP_ROWS or len(batch) >= ROW_GROUP_RUNS:
                writer.write_table(pa.concat_tables(batch))
                batch, batch_rows = [], 0
            final = table.slice(table.num_rows - 1).to_pylist()[0]
            row |= {"status": "ok", "error": None, "final_week": final.get("week"),
                    "stopped": info.get("stopped_week") is not None}
            row |= {name: final.get(name.removeprefix("final_")) for name in finals}
            summary.add(row)
        if writer is not None and batch:
            writer.write_table(pa.concat_tables(batch))
        complete = True
    finally:
        if writer is not None:
            writer.close()
            if not complete:
                tmp_results.unlink(missing_ok=True)
        summary.close(complete=complete)
    # every part has been read: publish (results first; the summary says what it holds)
    if writer is not None:
        _publish(tmp_results, results_path)
    else:
        results_path.unlink(missing_ok=True)
    summary.publish()
    fsync_dir(store.out)
    return counts


def write_results_csv(out: Path) -> Path | None:
    """Write ``results.csv`` (every run and recorded week) from ``results.parquet``.

    Streamed a row group at a time, through a temporary file: memory stays flat and the
    file appears whole or not at all. Returns the path, or None when there are no results.
    """
    source = out / "results.parquet"
    if not source.is_file():
        return None
    target = out / "results.csv"

    def write(tmp: Path) -> None:
        parquet = pq.ParquetFile(source)
        with pacsv.CSVWriter(str(tmp), parquet.schema_arrow) as writer:
            for i in range(parquet.num_row_groups):
                writer.write_table(parquet.read_row_group(i))

    atomic_write(target, write)
    return target
