"""``merger-sim dashboard``: serve the teaching dashboard on this machine.

Why the command replaces itself with the server (``exec``): solara's server
(:mod:`sim.presentation.dashboard.server`) is then the very process that was started, so SIGTERM or
Ctrl+C to ``merger-sim dashboard`` stops the server itself (uvicorn shuts down on either),
and no child is left serving. We only choose safe defaults: it listens on 127.0.0.1 unless
told otherwise (a classroom laptop should not expose a server to the network by accident,
and another address prints a warning saying what it exposes), sends no telemetry, makes no
outgoing connection, serves its JavaScript and CSS from the local cache filled by
the solara-assets package (:mod:`sim.presentation.dashboard.assets`), and applies the server's
limits (:class:`~sim.presentation.dashboard.policy.Policy`): a cap on sessions, a cull timeout, the
large presets only with ``--allow-large``.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import sys
from dataclasses import replace
from pathlib import Path

import typer

from sim.cli.live import AUTO_HELP, WEEK_SECONDS_HELP, class_lines, class_settings_or_exit
from sim.presentation.dashboard.assets import (  # noqa: F401
    asset_dir,
    missing_assets,
    missing_assets_message,
    provide_chart_assets,
)
from sim.presentation.dashboard.extensions import plugin_environment
from sim.presentation.dashboard.i18n import LANGUAGES
from sim.presentation.dashboard.link import ENV_LANGUAGE
from sim.presentation.dashboard.policy import (
    DEFAULT_CULL_TIMEOUT,
    DEFAULT_MAX_SESSIONS,
    Policy,
    policy_environment,
)
from sim.presentation.live.mount import PREFIX
from sim.presentation.live.setup import ENV_CLASS, WEEK_SECONDS


def server_command(host: str, port: int) -> list[str]:
    """The command line of the dashboard's server process."""
    return [sys.executable, "-m", "sim.presentation.dashboard.server", "--host", host,
            "--port", str(port)]


def server_environment(policy: Policy | None = None) -> dict[str, str]:
    """This process's environment with solara's telemetry off, its English "This website
    runs on Solara" banner (which covers a plot's corner) hidden, and the server's limits."""
    return {**os.environ, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false",
            "SOLARA_THEME_SHOW_BANNER": "false",
            **policy_environment(policy or Policy())}


def is_loopback(host: str) -> bool:
    """True when ``host`` is reachable from this machine only."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def interface_addresses() -> list[str]:
    """This machine's IPv4 addresses other than loopback, read from the network interfaces
    (no name lookup, no packet sent); empty where the system does not tell (not Linux)."""
    try:
        import fcntl
        import struct
    except ImportError:
        return []
    found: list[str] = []
    for _, name in socket.if_nameindex():
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            try:
                request = struct.pack("256s", name[:15].encode())
                packed = fcntl.ioctl(sock.fileno(), 0x8915, request)  # SIOCGIFADDR
            except OSError:
                continue
        address = socket.inet_ntoa(packed[20:24])
        if not ipaddress.ip_address(address).is_loopback and address not in found:
            found.append(address)
    return found


def exposure_warning(host: str, port: int, policy: Policy) -> str | None:
    """The warning for a ``--host`` other than loopback (None for a loopback address)."""
    if is_loopback(host):
        return None
    wildcard = host.strip("[]") in ("0.0.0.0", "::", "")
    addresses = interface_addresses() if wildcard else [host]
    urls = ", ".join(f"http://{a}:{port}" for a in addresses) if addresses else \
        f"http://<this machine's address>:{port} (find it with `ip addr`)"
    return (f"warning: --host {host} makes the dashboard reachable from "
            f"{'every network this machine is on' if wildcard else 'the network of ' + host}: "
            f"anyone who reaches port {port} can open sessions (at most {policy.max_sessions}) "
            f"and run simulations on this machine; there is no login. "
            f"Students open: {urls}")


def start_server(command: list[str], environment: dict[str, str]) -> None:
    """Replace this process with the server (see the module docstring for why)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(command[0], command, environment)


def dashboard(
    host: str = typer.Option("127.0.0.1", "--host", help="address to listen on"),
    port: int = typer.Option(8765, "--port", help="port to listen on (1-65535)"),
    max_sessions: int = typer.Option(
        DEFAULT_MAX_SESSIONS, "--max-sessions",
        help="browser sessions served at once; the next one is told the server is full"),
    cull_timeout: str = typer.Option(
        DEFAULT_CULL_TIMEOUT, "--cull-timeout",
        help="how long a closed tab's session is kept for a reconnect (30s, 5m, 1h)"),
    allow_large: bool = typer.Option(
        False, "--allow-large",
        help="also offer the presets of 10,000 employees or more (far more memory a session)"),
    lang: str = typer.Option("en", "--lang", help="language the pages start in: en or nl"),
    class_: bool = typer.Option(
        False, "--class", help="also serve a participatory class at /class (as `merger-sim "
                               "class`; the dashboard's sidebar links to its teacher's screen)"),
    class_scenario: str = typer.Option("classroom", "--class-scenario",
                                       help="the class's scenario: file or preset name "
                                            "(the teacher may pick a preset in the lobby)"),
    class_seed: int = typer.Option(0, "--class-seed", help="the class's seed, 0 .. 2**63 - 1"),
    week_seconds: float = typer.Option(WEEK_SECONDS, "--week-seconds", help=WEEK_SECONDS_HELP),
    auto_advance: bool = typer.Option(False, "--auto-advance/--no-auto-advance",
                                      help=AUTO_HELP),
) -> None:
    """Serve the teaching dashboard in the browser (http://HOST:PORT); with --class also a
    participatory class at http://HOST:PORT/class/join."""
    if not 1 <= port <= 65535:
        typer.echo(f"error: --port: {port} is outside 1-65535", err=True)
        raise typer.Exit(code=2)
    if not host.strip():
        typer.echo("error: --host: empty address", err=True)
        raise typer.Exit(code=2)
    try:
        policy = Policy(allow_large=allow_large, max_sessions=max_sessions,
                        cull_timeout=cull_timeout.strip())
    except ValueError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(code=2) from None
    if lang not in LANGUAGES:
        typer.echo(f"error: --lang: {lang!r} is not one of {', '.join(LANGUAGES)}", err=True)
        raise typer.Exit(code=2)
    lesson: dict[str, str] = {}
    if class_:
        settings, _ = class_settings_or_exit(class_scenario, class_seed, week_seconds,
                                             auto_advance, "--class-seed")
        if Path(settings.scenario).is_file():  # the server reads it again: an absolute path
            settings = replace(settings, scenario=str(Path(settings.scenario).resolve()))
        lesson = {ENV_CLASS: settings.to_env()}
    assets_problem = missing_assets_message()
    if assets_problem:
        typer.echo(assets_problem, err=True)
        raise typer.Exit(code=2)
    for name in provide_chart_assets():
        typer.echo(f"note: {name} is not installed: the plots stay empty (run: "
                   f"bash scripts/setup.sh)", err=True)
    warning = exposure_warning(host, port, policy)
    if warning:
        typer.echo(warning, err=True)
    typer.echo(f"merger-sim dashboard: http://{host}:{port}  (Ctrl+C stops it; at most "
               f"{policy.max_sessions} sessions, a closed tab's session freed after "
               f"{policy.cull_timeout}{'; large presets offered' if allow_large else ''})")
    if class_:
        for line in class_lines(settings, host, port, PREFIX):
            typer.echo(line)
    from sim.experiments.plugins import loaded_modules

    environment = {**server_environment(policy), ENV_LANGUAGE: lang,
                   **plugin_environment(loaded_modules())}
    environment.pop(ENV_CLASS, None)  # a class only when asked for, never inherited
    start_server(server_command(host, port), {**environment, **lesson})
