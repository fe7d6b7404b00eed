"""``merger-sim dashboard``: serve the teaching dashboard on this machine.

Why a subprocess: ``solara run`` owns the web server, its reload logic and its asset
serving; we only choose safe defaults. It listens on 127.0.0.1 unless told otherwise (a
classroom laptop should not expose a server to the network by accident), sends no telemetry,
and serves its JavaScript and CSS from the local copy the solara-assets package installs
(:mod:`sim.dashboard.assets`), so it works without internet.
"""

from __future__ import annotations

import os
import subprocess
import sys

import typer

from sim.dashboard.assets import asset_dir, missing_assets, missing_assets_message  # noqa: F401

APP_MODULE = "sim.dashboard.app"


def server_command(host: str, port: int) -> list[str]:
    """The ``solara run`` command line for the dashboard."""
    return [sys.executable, "-m", "solara", "run", APP_MODULE, "--host", host,
            "--port", str(port), "--production", "--no-open"]


def server_environment() -> dict[str, str]:
    """This process's environment with solara's telemetry switched off."""
    return {**os.environ, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false"}


def dashboard(
    host: str = typer.Option("127.0.0.1", "--host", help="address to listen on"),
    port: int = typer.Option(8765, "--port", help="port to listen on (1-65535)"),
) -> None:
    """Serve the teaching dashboard in the browser (http://HOST:PORT)."""
    if not 1 <= port <= 65535:
        typer.echo(f"error: --port: {port} is outside 1-65535", err=True)
        raise typer.Exit(code=2)
    if not host.strip():
        typer.echo("error: --host: empty address", err=True)
        raise typer.Exit(code=2)
    assets_problem = missing_assets_message()
    if assets_problem:
        typer.echo(assets_problem, err=True)
        raise typer.Exit(code=2)
    typer.echo(f"merger-sim dashboard: http://{host}:{port}  (Ctrl+C stops it)")
    try:
        code = subprocess.call(server_command(host, port), env=server_environment())
    except KeyboardInterrupt:
        code = 0
    raise typer.Exit(code=code)


def main() -> None:
    """Run the command on its own: ``python -m sim.dashboard_cli``."""
    app = typer.Typer(add_completion=False)
    app.command()(dashboard)
    app()


if __name__ == "__main__":
    main()
