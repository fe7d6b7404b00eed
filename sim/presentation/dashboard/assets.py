"""The dashboard's web assets: where they live, which the page needs, and what to do if absent.

Solara's page loads its JavaScript and CSS from ``/_solara/cdn/<package>@<version>/...``, which
the server answers from a folder of unpacked npm packages (solara's ``assets.proxy_cache_dir``,
``<sys.prefix>/share/solara/cdn`` unless ``SOLARA_ASSETS_PROXY_CACHE_DIR`` says otherwise). The
``solara-assets`` package fills that folder when it is installed; pyproject.toml pins it together
with the solara release whose page asks for exactly these versions. Without them the page stays
white with no error on the server, so the dashboard command checks them first and
``python -m sim.presentation.dashboard.assets`` (run by scripts/setup.sh) checks them at install
time.

This module imports neither solara nor mesa: the check must work, and be quick, before either
is loaded.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

REQUIRED_ASSETS = (
    "@widgetti/solara-vuetify-app@10.1.1",
    "requirejs@2.3.6",
    "font-awesome@4.5.0",
    "@widgetti/vue-grid-layout@2.3.13-alpha.2",
)
"""Asset folders without which the page stays white (what solara 1.64's Vue 2 page requests)."""

CHART_ASSETS = {
    "vega@5": ("vega@5.21.0", "build/vega.min.js"),
    "vega-lite@5": ("vega-lite@5.2.0", "build/vega-lite.min.js"),
    "vega-embed@6": ("vega-embed@6.20.2", "build/vega-embed.min.js"),
}
"""The plots' scripts: the folder solara's chart widget requests (by major version) -> the
folder solara-assets ships (by exact version) and the one file the widget loads from it."""

SETUP_COMMAND = "bash scripts/setup.sh"
"""What installs the assets (the dashboard extra, with solara-assets, at the pinned versions)."""


def asset_dir() -> Path:
    """The folder solara serves its assets from (solara's own setting, read without solara)."""
    configured = os.environ.get("SOLARA_ASSETS_PROXY_CACHE_DIR")
    return Path(configured) if configured else Path(sys.prefix) / "share" / "solara" / "cdn"


def missing_assets(folder: Path | None = None) -> list[str]:
    """Required asset folders that are not installed (a folder counts once it has package.json)."""
    folder = folder or asset_dir()
    return [spec for spec in REQUIRED_ASSETS if not (folder / spec / "package.json").is_file()]


def provide_chart_assets(folder: Path | None = None) -> list[str]:
    """Put the plots' scripts where the chart widget asks for them; return what is missing.

    Why: solara's chart widget requests ``vega@5/...`` while solara-assets ships
    ``vega@5.21.0/...``, and the server answers only exact folder names (it fetches nothing).
    Copying the one file each needs from the shipped folder is local and idempotent; a
    requested folder is missing only when the shipped one is absent too.
    """
    folder = folder or asset_dir()
    missing = []
    for requested, (shipped, path) in CHART_ASSETS.items():
        target = folder / requested
        if (target / path).is_file():
            continue
        source = folder / shipped
        if not (source / path).is_file():
            missing.append(requested)
            continue
        try:
            (target / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source / "package.json", target / "package.json")
            shutil.copyfile(source / path, target / path)
        except OSError:
            missing.append(requested)
    return missing


def missing_assets_message(folder: Path | None = None) -> str | None:
    """One line saying which assets are missing and what to run, or None when all are there."""
    folder = folder or asset_dir()
    missing = missing_assets(folder)
    if not missing:
        return None
    return (f"error: dashboard assets: {len(missing)} of {len(REQUIRED_ASSETS)} missing in "
            f"{folder} ({', '.join(missing)}), so the page would stay blank; run: "
            f"{SETUP_COMMAND}")


def main() -> int:
    """Check the assets; print the message and return 2 when any is missing, else 0."""
    message = missing_assets_message()
    if message:
        print(message, file=sys.stderr)
        return 2
    charts = provide_chart_assets()
    if charts:
        print(f"note: the plots' scripts are missing ({', '.join(charts)}): the dashboard "
              f"runs, its plots stay empty; run: {SETUP_COMMAND}", file=sys.stderr)
    print(f"dashboard assets: {len(REQUIRED_ASSETS)} packages in {asset_dir()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
