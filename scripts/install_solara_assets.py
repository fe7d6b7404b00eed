"""Add the web assets solara's page requests that the solara-assets package does not ship.

solara-assets (pinned in pyproject.toml) installs the assets the dashboard cannot start without.
solara 1.64's Markdown component also loads ``katex@0.16.9`` (math rendering, and the link set-up
that runs after it); solara-assets 1.58.2 lacks it. This script adds each package listed in
``scripts/solara_assets.lock`` (``<name>@<version> <sha512 integrity>``) to solara's asset folder,
and refuses any tarball whose sha512 differs from the recorded one.

Where the tarball comes from: ``npm pack`` when npm is installed (npm's own registry settings);
otherwise the registry named by the ``npm_config_registry`` environment variable (npm's own
setting), read with the standard library. With neither, it says what is missing and exits 0:
the dashboard runs without these (its Markdown text shows; only math is not rendered).

Usage: python scripts/install_solara_assets.py [--check]   (run with the project's venv python)
Exit codes: 0 done or nothing to do, 1 a download failed, 2 an integrity mismatch or bad lock.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LOCK = REPO / "scripts" / "solara_assets.lock"
sys.path.insert(0, str(REPO))

from sim.presentation.dashboard.assets import asset_dir  # noqa: E402


def read_lock(path: Path = LOCK) -> list[tuple[str, str]]:
    """(spec, integrity) pairs; a malformed line is an error, never skipped."""
    pairs = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 2 or "@" not in parts[0][1:] or not parts[1].startswith("sha512-"):
            raise ValueError(f"{path.name}:{number}: expected '<name>@<version> sha512-...'")
        pairs.append((parts[0], parts[1]))
    return pairs


def integrity(data: bytes) -> str:
    """npm's ``dist.integrity`` form of a tarball: ``sha512-`` and the base64 digest."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def fetch_with_npm(spec: str, work: Path) -> bytes:
    """The tarball ``npm pack`` downloads (npm's registry settings, cache and auth)."""
    out = subprocess.run(["npm", "pack", "--silent", spec], cwd=work, capture_output=True,
                         text=True, check=True, timeout=300)
    return (work / out.stdout.strip().splitlines()[-1]).read_bytes()


def fetch_from_registry(spec: str, registry: str) -> bytes:
    """The tarball named by the registry's metadata for this exact version."""
    name, version = spec[0] + spec[1:].split("@", 1)[0], spec[1:].split("@", 1)[1]
    url = f"{registry.rstrip('/')}/{urllib.parse.quote(name, safe='@')}/{version}"
    with urllib.request.urlopen(url, timeout=60) as response:
        meta = json.load(response)
    with urllib.request.urlopen(meta["dist"]["tarball"], timeout=300) as response:
        return response.read()


def unpack(data: bytes, target: Path, work: Path) -> None:
    """Unpack an npm tarball (top folder stripped) into ``target`` in one rename."""
    staging = work / "stage"
    archive = work / "package.tgz"
    archive.write_bytes(data)
    with tarfile.open(archive) as tar:
        tar.extractall(staging, filter="data")
    tops = list(staging.iterdir())
    source = tops[0] if len(tops) == 1 and tops[0].is_dir() else staging
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        shutil.rmtree(target)
    shutil.move(str(source), str(target))


def install(spec: str, expected: str, folder: Path) -> str:
    """Install one package; returns what happened, raises on a failed or forged download."""
    target = folder / spec
    if (target / "package.json").is_file():
        return "present"
    # npm itself reads the lower-case spelling first
    registry = (os.environ.get("npm_config_registry")  # noqa: SIM112
                or os.environ.get("NPM_CONFIG_REGISTRY"))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if shutil.which("npm"):
            data = fetch_with_npm(spec, work)
        elif registry:
            data = fetch_from_registry(spec, registry)
        else:
            return "skipped (no npm and no npm_config_registry)"
        got = integrity(data)
        if got != expected:
            raise ValueError(f"{spec}: integrity {got} differs from the recorded {expected}")
        unpack(data, target, work)
    return "installed"


def main(argv: list[str]) -> int:
    folder = asset_dir()
    try:
        pairs = read_lock()
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if "--check" in argv:
        missing = [spec for spec, _ in pairs if not (folder / spec / "package.json").is_file()]
        print("extra assets missing: " + (", ".join(missing) or "none"))
        return 0
    for spec, expected in pairs:
        try:
            outcome = install(spec, expected, folder)
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        except (OSError, subprocess.SubprocessError, KeyError, json.JSONDecodeError) as exc:
            print(f"error: {spec}: download failed ({exc})", file=sys.stderr)
            return 1
        if outcome.startswith("skipped"):
            print(f"note: {spec} not installed: {outcome[9:-1]}; the dashboard runs, but "
                  "Markdown math is not rendered", file=sys.stderr)
        else:
            print(f"extra asset {spec}: {outcome}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
