"""Solara's web server for the dashboard, with every way out to the network closed.

Why not a plain ``solara run``: at every start it asks the package index for a newer solara
(a synchronous request, so an offline machine also waits for DNS), and its asset route
``/_solara/cdn/<package>@<version>/<file>`` fetches any package from a public CDN for any
client when the file is not in the local cache, and stores it in the virtualenv. The
dashboard needs neither: its assets are installed locally. This module runs solara's own
command line in this process after two changes, made before the server accepts a request:

- the version check is off (``--no-check-version``, and the check itself replaced);
- the asset route serves only the local cache: a file that is not there is refused at once
  (solara's route answers 404) and nothing is fetched. Switching the proxy off would remove
  the route, and the page, which loads its JavaScript through it, would stay blank.

And one change for what leaves the server: solara sends the traceback of an exception that
no component handled to the browser, which shows it over the page (server paths included,
in production mode too). The page handles its own errors (:mod:`sim.presentation.dashboard.app`);
for anything that still escapes, :func:`keep_tracebacks_on_server` (called when solara's server
imports the page) makes solara log it only.

Telemetry is switched off by the environment that ``merger-sim dashboard`` passes
(:func:`sim.cli.dashboard.server_environment`). Run it as ``python -m
sim.presentation.dashboard.server --host 127.0.0.1 --port 8765``; ``merger-sim dashboard`` does
that, with its limits. """

from __future__ import annotations

import argparse
import logging
import sys
from typing import Final

APP_MODULE: Final[str] = "sim.presentation.dashboard.app"

logger = logging.getLogger(__name__)


class AssetNotInstalled(RuntimeError):
    """An asset the local cache does not hold; the dashboard never fetches one."""


def refuse_fetch(url: str) -> bytes:
    """Stand-in for solara's CDN fetch: log and refuse, without touching the network."""
    from solara.settings import assets

    logger.warning("asset not installed locally, not fetched (run "
                   "bash scripts/setup.sh): %s", url.removeprefix(assets.cdn))
    raise AssetNotInstalled(url)


def close_network() -> None:
    """Make solara's server fetch nothing and check no version (idempotent)."""
    import solara.__main__ as solara_cli
    from solara.server import cdn_helper

    cdn_helper.fetch_from_cdn = refuse_fetch
    solara_cli._check_version = lambda: None


def log_only(shell: object) -> None:
    """Stand-in for solara's ``showtraceback``: log the exception, send nothing to the page."""
    del shell
    logger.error("uncaught exception in a dashboard session (logged, not sent to the browser)",
                 exc_info=sys.exc_info()[1])


def keep_tracebacks_on_server() -> None:
    """Make solara log uncaught session exceptions instead of showing them in the browser.

    Called by :mod:`sim.presentation.dashboard.app` when solara's server imports it (solara's server
    modules must be imported in solara's own order, after ``solara run`` configured them).
    """
    from solara.server import patch

    patch.FakeIPython.showtraceback = log_only  # type: ignore[method-assign]


def solara_arguments(host: str, port: int) -> list[str]:
    """The arguments of ``solara run`` for the dashboard: production, no browser, no check."""
    return ["run", APP_MODULE, "--host", host, "--port", str(port), "--production",
            "--no-open", "--no-check-version"]


def main(argv: list[str] | None = None) -> None:
    """Serve the dashboard on ``--host`` and ``--port`` until SIGTERM or Ctrl+C."""
    parser = argparse.ArgumentParser(prog="python -m sim.presentation.dashboard.server",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    close_network()
    from solara.__main__ import cli

    cli(solara_arguments(args.host, args.port), prog_name="merger-sim dashboard")


if __name__ == "__main__":
    main(sys.argv[1:])
