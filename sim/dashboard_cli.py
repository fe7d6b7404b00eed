"""``merger-sim dashboard``: serve the teaching dashboard on this machine.

Why a subprocess: ``solara run`` owns the web server, its reload logic and its asset
serving; we only choose safe defaults. It listens on 127.0.0.1 unless told otherwise (a
classroom laptop should not expose a server to the network by accident), sends no telemetry,
and serves its JavaScript and CSS from the local cache filled by
``scripts/install_solara_assets.sh``, so it works without internet.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import typer

APP_MODULE = "sim.dashboard.app"

REQUIRED_ASSETS = (
    "@widgetti/solara-vuetify-app@10.1.1",
    "requirejs@2.3.6",
    "font-awesome@4.5.0",
    "@widgetti/vue-grid-layout@2.3.13-alpha.2",
)
"""Asset folders without which the page stays white offline (see the install script)."""


def asset_dir() -> Path:
    """Solara's local CDN cache: ``<sys.prefix>/share/solara/cdn``."""
    return Path(sys.prefix) / "share" / "solara" / "cdn"


def missing_assets(folder: Path | None = None) -> list[str]:
    """Required asset folders that are not installed."""
    folder = folder or asset_dir()
    return [spec for spec in REQUIRED_ASSETS if not (folder / spec / "package.json").is_file()]


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
    missing = missing_assets()
    if missing:
        typer.echo(f"warning: solara web assets missing in {asset_dir()} ({', '.join(missing)});"
                   " the page needs internet until you run scripts/install_solara_assets.sh",
                   err=True)
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
