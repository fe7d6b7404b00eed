"""A reproducibility package: ``export`` a finished experiment folder, ``verify`` an archive.

Why: a referee (or the author, a year later) needs what produced the numbers, not only the
numbers. ``export_folder`` writes one ``.tar.gz`` with the experiment file (the sweep file's
text, or the comparison's command line), the full scenario the runs used, every stored run,
the combined tables, the manifest and the folder's experiment record, the installed
package versions (``pip freeze``), the commit with its dirty flag and the code fingerprint,
and the plugins' source. ``verify_archive`` reruns a sample of the archived runs from the
archive alone and says, run by run, whether each reproduces its stored weekly table byte
for byte (the Parquet bytes of the table, without the footer's provenance, which names the
machine's commit and library versions).
"""

from __future__ import annotations

import io
import json
import random
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Folder name inside the archive.
ROOT = "experiment"

#: Default number of runs ``verify`` reruns.
DEFAULT_SAMPLE = 5


class ArchiveError(ValueError):
    """The folder cannot be exported, or the archive cannot be verified (one line)."""


def _pip_freeze() -> str:
    """The installed packages and versions, as ``pip freeze`` lists them."""
    try:
        out = subprocess.run([sys.executable, "-m", "pip", "freeze", "--all"],
                             capture_output=True, text=True, timeout=120, check=True)
        return out.stdout
    except (OSError, subprocess.SubprocessError):  # no pip: the same facts from metadata
        from importlib import metadata

        return "".join(sorted(f"{d.metadata['Name']}=={d.version}\n"
                              for d in metadata.distributions()))


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(f"{ROOT}/{name}")
    info.size = len(data)
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(data))


def export_folder(folder: str | Path, archive: str | Path) -> Path:
    """Write the reproducibility archive of an experiment folder.

    Raises:
        ArchiveError: the folder holds no finished experiment (no manifest).
    """
    from sim.experiments.sweep.folder import IDENTITY_FILE
    from sim.provenance import git_commit, git_dirty

    folder, archive = Path(folder), Path(archive)
    manifest_path = folder / "manifest.json"
    if not manifest_path.is_file() or not (folder / "runs").is_dir():
        raise ArchiveError(f"FOLDER {str(folder)!r}: no finished experiment (no manifest.json "
                           "or runs/); run the sweep or comparison into it first")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if "run_settings" not in manifest:
        raise ArchiveError(f"FOLDER {str(folder)!r}: written by an older merger-sim (its "
                           "manifest lacks the run settings); run it again to export it")
    kind = manifest.get("kind", "sweep")
    archive.parent.mkdir(parents=True, exist_ok=True)
    tmp = archive.with_name(f".{archive.name}.tmp")
    with tarfile.open(tmp, "w:gz") as tar:
        for name in ("manifest.json", IDENTITY_FILE, "results.parquet", "summary.parquet",
                     "summary.csv", "run_summary.parquet", "run_summary.csv"):
            if (folder / name).is_file():
                tar.add(folder / name, f"{ROOT}/{name}")
        for path in sorted((folder / "runs").glob("*")):
            if path.is_file():
                tar.add(path, f"{ROOT}/runs/{path.name}")
        if kind == "sweep":
            _add_bytes(tar, "sweep.toml", str(manifest.get("sweep_text", "")).encode())
        else:
            _add_bytes(tar, "command.txt", f"{manifest.get('command', '')}\n".encode())
        _add_bytes(tar, "scenario.json",
                   json.dumps(manifest["run_scenario"], indent=2, sort_keys=True).encode())
        _add_bytes(tar, "requirements.txt", _pip_freeze().encode())
        from sim.provenance import code_fingerprint

        provenance = {"git_commit": git_commit(), "git_dirty": git_dirty(),
                      "code_fingerprint_now": code_fingerprint(),
                      "code_fingerprint_of_runs": manifest.get("code_fingerprint")
                      or (manifest.get("provenance") or {}).get("code_fingerprint"),
                      "python": sys.version.split()[0]}
        _add_bytes(tar, "provenance.json", json.dumps(provenance, indent=2).encode())
        for spec in manifest.get("plugins") or []:
            if spec.endswith(".py") and Path(spec).is_file():
                tar.add(spec, f"{ROOT}/plugins/{Path(spec).name}")
    tmp.replace(archive)
    return archive


@dataclass
class Verification:
    """What ``verify`` found."""

    checked: list[str] = field(default_factory=list)
    reproduced: list[str] = field(default_factory=list)
    differing: list[tuple[str, str]] = field(default_factory=list)
    code_matches: bool = True

    @property
    def ok(self) -> bool:
        """Every checked run reproduced byte for byte."""
        return bool(self.checked) and not self.differing


def _table_bytes(table: Any) -> bytes:
    """The Parquet bytes of a table without its footer record (same writer settings)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = pa.BufferOutputStream()
    pq.write_table(table.replace_schema_metadata(None), sink, write_page_checksum=True)
    return sink.getvalue().to_pybytes()


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    """Members that stay inside the extraction folder (the archive is untrusted input)."""
    members = []
    for member in tar.getmembers():
        path = Path(member.name)
        if path.is_absolute() or ".." in path.parts or not (member.isfile() or member.isdir()):
            raise ArchiveError(f"ARCHIVE: member {member.name!r} is not a plain file inside "
                               "the archive's folder")
        members.append(member)
    return members


def verify_archive(archive: str | Path, sample: int = DEFAULT_SAMPLE,
                   seed: int = 0) -> Verification:
    """Rerun ``sample`` archived runs (chosen with ``seed``) and compare their bytes.

    Raises:
        ArchiveError: not a merger-sim archive, or a member outside its folder.
    """
    import pyarrow as pa

    from sim.experiments.sweep.plan import RunSpec
    from sim.experiments.sweep.store import check_run_file
    from sim.experiments.sweep.worker import RunTask, execute_run
    from sim.scenario import Scenario

    archive = Path(archive)
    try:
        tar = tarfile.open(archive, "r:gz")  # noqa: SIM115 - closed by the with below
    except (OSError, tarfile.TarError) as exc:
        raise ArchiveError(f"ARCHIVE {str(archive)!r}: not a readable .tar.gz ({exc})") \
            from None
    with tar, tempfile.TemporaryDirectory() as tmp:
        tar.extractall(tmp, members=_safe_members(tar), filter="data")
        root = Path(tmp) / ROOT
        if not (root / "manifest.json").is_file():
            raise ArchiveError(f"ARCHIVE {str(archive)!r}: not a merger-sim export (no "
                               f"{ROOT}/manifest.json)")
        manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
        from sim.experiments.plugins import ensure

        ensure([str(p) for p in sorted((root / "plugins").glob("*.py"))]
               if (root / "plugins").is_dir() else [])
        scenario = Scenario.model_validate(manifest["run_scenario"])
        settings = manifest["run_settings"]
        files = sorted(p for p in (root / "runs").glob("*.parquet") if p.name.count(".") == 1)
        chosen = random.Random(seed).sample(files, min(sample, len(files)))
        from sim.experiments.sweep import _core

        result = Verification()
        stored_code = manifest.get("code_fingerprint") or \
            (manifest.get("provenance") or {}).get("code_fingerprint")
        result.code_matches = stored_code == _core.code_fingerprint()
        for path in sorted(chosen):
            key = path.name.removesuffix(".parquet")
            table, info = check_run_file(path, key)
            spec = RunSpec(**info["spec"])
            outcome = execute_run(RunTask(spec, scenario, settings["record"],
                                          settings["weeks"], settings["when"]))
            result.checked.append(key)
            if not outcome.ok or outcome.table is None:
                result.differing.append((key, f"the rerun failed: {outcome.error}"))
                continue
            again = pa.Table.from_pandas(outcome.table, preserve_index=False)
            if _table_bytes(again) == _table_bytes(table):
                result.reproduced.append(key)
            else:
                result.differing.append((key, f"{spec.strategy}, seed {spec.seed}: the weekly "
                                         "table differs"))
    return result
