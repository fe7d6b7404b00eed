"""A Dask scheduler secured with TLS: the CLI's --tls-* options reach the Client, a sweep
through it gives the same bytes as serial, and missing or wrong settings are one line."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sim.experiments.sweep import load_sweep, run_sweep
from sim.experiments.sweep.executors import dask_security

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parent.parent

SWEEP = """
name = "tls"
scenario = "classroom"
strategies = ["none", "training"]
replications = 2

[set]
"horizon.intervention_weeks" = 6
"horizon.followup_weeks" = 2
"cities.Noord.headcount" = 30
"cities.Midden.headcount" = 25
"cities.Zuid.headcount" = 20
"training.cohort_size" = 4

[parameters]
"training.dose" = { values = [0.3, 0.7] }
"""

TABLES = ("results.parquet", "summary.parquet", "summary.csv")


DOC = ROOT / "docs" / "sweeps.md"


def doc_blocks() -> list[str]:
    """The bash code blocks of docs/sweeps.md."""
    return re.findall(r"```bash\n(.*?)```", DOC.read_text(), flags=re.S)


def doc_line(start: str) -> list[str]:
    """The first command line of the docs that starts with ``start``, split into words."""
    for block in doc_blocks():
        for line in block.replace("\\\n", " ").splitlines():
            if line.strip().startswith(start):
                return shlex.split(line, comments=True)
    raise AssertionError(f"docs/sweeps.md has no line starting {start!r}")


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A CA and a key and certificate per role, made by the docs' own openssl commands.

    Why openssl: distributed's ``Security.temporary()`` needs the ``cryptography`` package,
    which the project does not depend on.
    """
    if shutil.which("openssl") is None or shutil.which("bash") is None:
        pytest.skip("the openssl tool and bash are needed to make test certificates")
    block = next(b for b in doc_blocks() if "openssl req -x509" in b)
    tmp = tmp_path_factory.mktemp("tls")
    subprocess.run(["bash", "-euc", block], cwd=tmp, check=True, capture_output=True,
                   timeout=120)
    for role in ("scheduler", "worker", "client"):
        assert (tmp / f"{role}.pem").is_file() and (tmp / f"{role}.key").stat().st_mode & 0o077 == 0
    return tmp


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _local(words: list[str], port: int) -> list[str]:
    """A documented dask command moved onto 127.0.0.1, a free port and two workers."""
    text = " ".join(words[2:]).replace("10.0.0.5:8786", f"127.0.0.1:{port}")
    text = text.replace("10.0.0.5", "127.0.0.1").replace("--port 8786", f"--port {port}")
    text = text.replace("127.0.0.1:8787", "127.0.0.1:0").replace("--nworkers 8", "--nworkers 2")
    return text.split()


@pytest.fixture(scope="module")
def tls_cluster(certs: Path) -> Iterator[str]:
    """The docs' TLS `dask scheduler` and `dask worker` commands, run on 127.0.0.1."""
    from distributed import Client
    from distributed.security import Security

    port = _free_port()
    address = f"tls://127.0.0.1:{port}"
    scheduler = subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_scheduler",
         *_local(doc_line("dask scheduler --host 10.0.0.5"), port)],
        cwd=certs, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker = subprocess.Popen(  # the worker runs the code under test (workers check it)
        [sys.executable, "-m", "distributed.cli.dask_worker",
         *_local(doc_line("dask worker tls://"), port)],
        cwd=certs, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env=os.environ | {"PYTHONPATH": str(ROOT)})
    try:
        security = Security(tls_ca_file=str(certs / "ca.pem"),
                            tls_client_cert=str(certs / "client.pem"),
                            tls_client_key=str(certs / "client.key"), require_encryption=True)
        deadline = time.monotonic() + 90
        while True:
            try:
                with Client(address, security=security, timeout="5s") as client:
                    client.wait_for_workers(2, timeout=60)
                break
            except OSError:
                if time.monotonic() > deadline or scheduler.poll() is not None:
                    raise
                time.sleep(0.5)
        yield address
    finally:
        for proc in (worker, scheduler):
            proc.terminate()
        for proc in (worker, scheduler):
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=30)


@pytest.fixture(scope="module")
def serial(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("serial")
    path = tmp / "sweep.toml"
    path.write_text(SWEEP)
    run_sweep(load_sweep(path), tmp / "out", executor="serial", progress=False)
    return path, tmp / "out"


def cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "sim", *map(str, args)], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=300)


def test_sweep_through_a_tls_scheduler_equals_serial(
        tls_cluster: str, certs: Path, serial: tuple[Path, Path], tmp_path: Path) -> None:
    """The docs' `merger-sim sweep ... --tls-*` line, against the docs' TLS cluster."""
    path, reference = serial
    words = doc_line("merger-sim sweep experiments/sweeps/teams_vs_training.toml")
    options = words[words.index("--executor"):]
    assert options[:4] == ["--executor", "dask", "--scheduler", "tls://10.0.0.5:8786"]
    options[3] = tls_cluster
    options = [str(certs / o) if o.endswith((".pem", ".key")) else o for o in options]
    out = tmp_path / "tls"
    proc = cli("sweep", path, "--out", out, "--no-progress", *options)
    assert proc.returncode == 0, proc.stderr
    assert "8 computed" in proc.stdout
    for name in TABLES:
        assert (out / name).read_bytes() == (reference / name).read_bytes(), name


def test_run_sweep_takes_a_security_for_a_tls_address(
        tls_cluster: str, certs: Path, serial: tuple[Path, Path], tmp_path: Path) -> None:
    path, reference = serial
    security = dask_security("dask", tls_cluster, certs / "ca.pem", certs / "client.pem",
                             certs / "client.key")
    report = run_sweep(load_sweep(path), tmp_path / "py", executor="dask",
                       scheduler=tls_cluster, security=security, progress=False)
    assert report.computed == 8 and not report.failed
    for name in TABLES:
        assert (tmp_path / "py" / name).read_bytes() == (reference / name).read_bytes(), name


def test_a_tls_scheduler_without_certificates_is_one_line(
        tls_cluster: str, serial: tuple[Path, Path], tmp_path: Path) -> None:
    path, _ = serial
    proc = cli("sweep", path, "--out", tmp_path / "o", "--executor", "dask", "--scheduler",
               tls_cluster, "--no-progress")
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --tls-ca-file: "), proc.stderr
    assert "uses TLS" in lines[0]
    # --out is checked (and made) before any work; nothing is written into it
    out = tmp_path / "o"
    assert not out.exists() or not any(out.iterdir())


def test_bad_tls_settings_name_the_option(certs: Path, tmp_path: Path) -> None:
    ca, cert, key = certs / "ca.pem", certs / "client.pem", certs / "client.key"
    address = "tls://127.0.0.1:8786"
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("not a key\n")
    cases = [
        (("serial", address, ca, cert, key), "--tls-ca-file: TLS options are for --executor dask"),
        (("dask", address, ca, None, key), "--tls-cert: TLS needs"),
        (("dask", address, ca, cert, tmp_path / "nokey.pem"), "--tls-key: no such file"),
        (("dask", "tcp://127.0.0.1:8786", ca, cert, key), "--scheduler: the TLS options need"),
        (("dask", address, ca, cert, garbage), "--tls-cert: cannot load the TLS files"),
    ]
    for args, start in cases:
        with pytest.raises(ValueError) as info:
            dask_security(*args)
        assert str(info.value).startswith(start), (args, str(info.value))
    assert dask_security("dask", "tcp://127.0.0.1:8786", None, None, None) is None
    assert dask_security("dask", address, ca, cert, key).require_encryption


def test_cli_passes_bad_tls_settings_as_one_line(serial: tuple[Path, Path],
                                                 tmp_path: Path) -> None:
    path, _ = serial
    proc = cli("sweep", path, "--out", tmp_path / "o", "--executor", "dask", "--scheduler",
               "tls://127.0.0.1:9", "--no-progress", "--tls-ca-file", tmp_path / "none.pem",
               "--tls-cert", tmp_path / "none.pem", "--tls-key", tmp_path / "none.pem")
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --tls-ca-file: no such file"), lines


def test_the_documented_dask_commands_are_secured_and_dashboards_local() -> None:
    """docs/sweeps.md: every `dask scheduler`/`dask worker` line uses TLS with all three
    files or stays on 127.0.0.1, keeps its dashboard on localhost (or off), and uses only
    options the installed distributed has."""
    lines = [line for block in doc_blocks() for line in block.splitlines()
             if re.match(r"\s*dask (scheduler|worker) ", line)]
    assert len(lines) >= 4
    helps = {role: subprocess.run([sys.executable, "-m", f"distributed.cli.dask_{role}",
                                   "--help"], capture_output=True, text=True,
                                  timeout=120).stdout
             for role in ("scheduler", "worker")}
    for line in lines:
        role = line.split()[1]
        tls = "tls://" in line or "--protocol tls" in line
        if tls:
            for option in ("--tls-ca-file", "--tls-cert", "--tls-key"):
                assert option in line, (option, line)
        else:
            assert "--host 127.0.0.1" in line or "tcp://127.0.0.1:" in line, line
        assert "--no-dashboard" in line or "--dashboard-address 127.0.0.1:" in line, line
        for option in re.findall(r"\s(--[a-z-]+)", line):
            assert option in helps[role], (option, line)
    sweeps = [line for block in doc_blocks() for line in block.replace("\\\n", " ").splitlines()
              if "--executor dask" in line]
    assert sweeps and all("tls://" in line or "tcp://127.0.0.1:" in line for line in sweeps)


def test_sensitivity_takes_the_same_tls_options(tmp_path: Path) -> None:
    path = tmp_path / "ranges.toml"
    path.write_text(SWEEP.replace('{ values = [0.3, 0.7] }', '{ min = 0.3, max = 0.7 }')
                    + '"interaction.confidence_threshold" = { min = 0.2, max = 0.4 }\n')
    pem = tmp_path / "x.pem"
    pem.write_text("x")
    proc = cli("sensitivity", path, "--out", tmp_path / "o", "--executor", "serial",
               "--no-progress", "--tls-ca-file", pem, "--tls-cert", pem, "--tls-key", pem)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert lines == ["error: --tls-ca-file: TLS options are for --executor dask only"], lines
    out = tmp_path / "o"  # checked (and made) before any work; nothing written into it
    assert not out.exists() or not any(out.iterdir())
