#!/usr/bin/env bash
# Rewrite constraints.txt from a fresh virtualenv: install merger-sim[all] from pyproject.toml's
# bounds alone (the newest versions they allow), check that every test module imports and that
# the dashboard's assets are there, then freeze that environment into constraints.txt. Nothing
# is written if a step fails. Review the diff, run the suite (`.venv/bin/python -m pytest -n 2`
# after `bash scripts/setup.sh`), and commit constraints.txt with the change that needed it.
#
# Usage: bash scripts/update_constraints.sh [--keep]   (--keep leaves the venv for inspection)
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"

python_bin="${PYTHON:-python3}"
"$python_bin" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' || {
  echo "error: PYTHON: constraints.txt describes the tested Python 3.12; $python_bin is not 3.12" >&2
  exit 2
}

work="$(mktemp -d)"
[ "${1:-}" = "--keep" ] && echo "venv kept in $work/venv" || trap 'rm -rf "$work"' EXIT

"$python_bin" -m venv "$work/venv"
py="$work/venv/bin/python"
"$py" -m pip install --quiet --upgrade pip
# A non-editable install from a copy (the working tree's pyproject.toml, so edited bounds
# count), which leaves no build folder here and lets the freeze name no path of this checkout.
mkdir "$work/src"
cp -r pyproject.toml README.md LICENSE sim "$work/src/"
"$py" -m pip install --quiet "$work/src[all]"
"$py" -m sim.presentation.dashboard.assets
# The tests' import check: every test module (and what it imports) loads in this environment.
(cd "$repo" && "$py" -m pytest --collect-only -q -p no:cacheprovider >"$work/collect.txt") || {
  tail -n 20 "$work/collect.txt" >&2
  echo "error: the tests do not import with the new versions; constraints.txt is unchanged" >&2
  exit 1
}

{
  sed -n '1,/^[^#]/p' constraints.txt | grep '^#'
  "$py" -m pip freeze --all --exclude-editable | grep -v -i '^merger-sim' | sort -f
} >"$work/constraints.txt"
mv "$work/constraints.txt" constraints.txt
git --no-pager diff --stat -- constraints.txt 2>/dev/null || true
echo "constraints.txt rewritten from $(grep -vc '^#' constraints.txt) pins"
