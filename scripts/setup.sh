#!/usr/bin/env bash
# Set up merger-sim on a fresh machine: a virtualenv in .venv with the package and its extras at
# the exact versions in constraints.txt (the tested environment), the dashboard's web assets
# (the solara-assets package, served locally: no CDN; npm only for the optional katex), and with --test what the tests
# need (Debian's chromium for the browser tests). Safe to run again: it only adds what is
# missing. MERGER_SIM_CONSTRAINTS=none installs from pyproject.toml's bounds alone (what
# scripts/update_constraints.sh does to find newer versions).
set -euo pipefail
cd "$(dirname "$0")/.."

pick_python() {
  for candidate in "${PYTHON:-}" python3 python3.12 python3.13; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  # pyenv installs that .python-version may not have reached
  for candidate in "$HOME"/.pyenv/versions/3.12*/bin/python3 "$HOME"/.pyenv/versions/3.13*/bin/python3; do
    [ -x "$candidate" ] && { echo "$candidate"; return 0; }
  done
  echo "merger-sim needs Python >= 3.12 (Mesa 3.5); none found" >&2
  return 1
}

if [ ! -x .venv/bin/python ]; then
  "$(pick_python)" -m venv .venv
fi
constraints=(-c constraints.txt)
[ "${MERGER_SIM_CONSTRAINTS:-}" = none ] && constraints=()
.venv/bin/python -m pip install --quiet --upgrade pip "${constraints[@]}"
.venv/bin/python -m pip install --quiet -e ".[all]" "${constraints[@]}"
# The dashboard's page stays white without its web assets: say so now, not in the browser.
.venv/bin/python -m sim.presentation.dashboard.assets
# Assets solara-assets lacks (katex for Markdown math), integrity-checked; skipped without npm.
.venv/bin/python scripts/install_solara_assets.py

if [ "${1:-}" = "--test" ] && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "note: /usr/bin/chromium is missing and cannot be installed here; browser tests will skip" >&2
  fi
fi
echo "merger-sim is set up in .venv"
