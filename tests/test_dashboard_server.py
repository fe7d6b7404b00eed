"""The dashboard's server process: no outgoing connection, a local-only asset route, and
stopping the command stops the server.

The server is started as a user starts it (``python -m sim dashboard``) with a
``sitecustomize`` that installs an audit hook in every Python process it starts: each
connection to an address other than loopback, each name lookup other than loopback, is
written to a log and refused. A test first checks that the watch does see a connection (so
an empty log means something), then that the server's log stays empty through start-up (no
version check), page requests and asset requests for packages that are not installed.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from sim.cli.dashboard import asset_dir

REPO = Path(__file__).resolve().parent.parent
SERVER_START_SECONDS = 90
STOP_SECONDS = 10
"""SIGTERM or Ctrl+C must leave nothing listening within this time."""
REFUSAL_SECONDS = 2.0
"""An asset that is not installed must be refused at least this fast (solara's fetch with
retries takes 7 s and more)."""

WATCH = '''
import ipaddress, os, socket, sys

_LOG = os.open(os.environ["DASHBOARD_WATCH_LOG"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
_FILES = tuple(x for x in os.environ.get("DASHBOARD_WATCH_FILES", "").split("|") if x)


def _local(host):
    if host is None:
        return True
    host = os.fsdecode(host) if isinstance(host, bytes) else str(host)
    host = host.strip("[]").split("%")[0]
    if host in ("", "localhost", "0.0.0.0", "::"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _literal(host):
    try:
        ipaddress.ip_address(os.fsdecode(host) if isinstance(host, bytes) else str(host))
    except ValueError:
        return False
    return True


def _note(text):
    os.write(_LOG, (text.replace("\\n", " ") + "\\n").encode())


def _hook(event, args):
    if event in ("socket.connect", "socket.sendto"):
        sock, address = args[0], args[1]
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not _local(address[0]):
            _note(f"{os.getpid()} {event} {address!r}")
            raise OSError(101, "outgoing connection refused by the test's watch")
    elif event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr"):
        if not _local(args[0]) and not _literal(args[0]):  # a literal needs no lookup
            _note(f"{os.getpid()} {event} {args[0]!r}")
            raise socket.gaierror(-2, "name lookup refused by the test's watch")
    elif event == "open" and _FILES and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.fsdecode(args[0])
        if any(name in path for name in _FILES):
            _note(f"{os.getpid()} open {path!r}")


sys.addaudithook(_hook)
'''


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Watch:
    """Where the watched processes write what they tried."""

    folder: Path
    log: Path

    def environment(self, files: tuple[str, ...] = ()) -> dict[str, str]:
        return {**os.environ,
                "PYTHONPATH": os.pathsep.join([str(self.folder), str(REPO)]),
                "DASHBOARD_WATCH_LOG": str(self.log),
                "DASHBOARD_WATCH_FILES": "|".join(files)}

    def seen(self) -> list[str]:
        return self.log.read_text().splitlines() if self.log.exists() else []


def make_watch(folder: Path) -> Watch:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sitecustomize.py").write_text(WATCH)
    return Watch(folder, folder / "seen.log")


@dataclass
class Server:
    """A ``merger-sim dashboard`` process (in its own session) and its address."""

    proc: subprocess.Popen
    url: str
    port: int
    log: Path

    def stop(self, sig: int = signal.SIGTERM) -> float:
        """Send ``sig`` to the command; seconds until it exited (killed after STOP_SECONDS)."""
        start = time.monotonic()
        self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
            return float("inf")
        return time.monotonic() - start


def start_dashboard(log: Path, env: dict[str, str] | None = None,
                    args: tuple[str, ...] = ()) -> Server:
    """Start the command on a free local port and wait until it answers 200."""
    port = free_port()
    handle = log.open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim", "dashboard", "--host", "127.0.0.1", "--port", str(port),
         *args],
        cwd=REPO, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True,
        env=env or {**os.environ, "PYTHONPATH": str(REPO)})
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + SERVER_START_SECONDS
    while True:
        if proc.poll() is not None:
            raise AssertionError(f"dashboard exited early: {log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return Server(proc, url, port, log)
        except OSError:
            pass
        if time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            raise AssertionError(f"dashboard did not answer within {SERVER_START_SECONDS} s")
        time.sleep(0.3)


def children_of(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def get(url: str) -> tuple[int, bytes, float]:
    """(status, body, seconds) of a GET."""
    start = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read(), time.monotonic() - start
    except urllib.error.HTTPError as err:
        return err.code, b"", time.monotonic() - start


@pytest.fixture(scope="module")
def watch(tmp_path_factory) -> Watch:
    return make_watch(tmp_path_factory.mktemp("watch"))


@pytest.fixture(scope="module")
def watched_server(watch, tmp_path_factory) -> Iterator[Server]:
    server = start_dashboard(tmp_path_factory.mktemp("server") / "server.log",
                             env=watch.environment())
    try:
        yield server
    finally:
        server.stop()


# ----------------------------------------------------------------------------- network


def test_the_watch_sees_and_refuses_an_outgoing_connection(watch, tmp_path):
    """Without this, an empty log could mean a watch that sees nothing."""
    probe = make_watch(tmp_path / "probe")
    result = subprocess.run(
        [sys.executable, "-c",
         "import socket; socket.create_connection(('192.0.2.1', 443), timeout=2)"],
        env=probe.environment(), capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert any("socket.connect" in line and "192.0.2.1" in line for line in probe.seen())
    lookup = subprocess.run(
        [sys.executable, "-c", "import socket; socket.getaddrinfo('example.org', 443)"],
        env=probe.environment(), capture_output=True, text=True, timeout=60)
    assert lookup.returncode != 0
    assert any("example.org" in line for line in probe.seen())
    reading = subprocess.run(
        [sys.executable, "-c", "from pathlib import Path; Path('/etc/passwd').read_text()"],
        env=probe.environment(("passwd",)), capture_output=True, text=True, timeout=60)
    assert reading.returncode == 0
    assert any("open '/etc/passwd'" in line for line in probe.seen())


def test_start_up_and_page_make_no_outgoing_connection(watched_server, watch):
    status, body, _ = get(watched_server.url)
    assert status == 200 and b"solara" in body.lower()
    status, _, _ = get(watched_server.url + "_solara/cdn/requirejs@2.3.6/require.js")
    assert status == 200  # the local copy is served
    assert watch.seen() == []
    log = watched_server.log.read_text()
    assert "New version of Solara" not in log


@pytest.mark.parametrize("asset", [
    "left-pad@1.3.0/index.js",
    "@widgetti/not-a-package@1.0.0/index.js",
    "left-pad@^1/index.js",
    "left-pad",
    "requirejs@2.3.6/not-there.js",
])
def test_asset_route_refuses_what_is_not_installed_at_once_and_fetches_nothing(
        watched_server, watch, asset):
    status, _, seconds = get(watched_server.url + "_solara/cdn/" + asset)
    assert status == 404
    assert seconds < REFUSAL_SECONDS
    assert watch.seen() == []
    assert not (asset_dir() / asset).exists()  # nothing was stored in the cache either
    assert not (asset_dir() / "left-pad").exists()
    assert "not fetched" in watched_server.log.read_text()


# ----------------------------------------------------------------------------- stopping


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_to_the_command_stops_the_server(sig, tmp_path):
    server = start_dashboard(tmp_path / "server.log")
    pid = server.proc.pid
    assert children_of(pid) == []  # the command is the server: nothing else to stop
    seconds = server.stop(sig)
    assert seconds < STOP_SECONDS, f"still running {STOP_SECONDS} s after {sig.name}"
    assert not port_open(server.port)
    assert not group_alive(pid), "a process of the command is left"
