#!/usr/bin/env bash
# Fill solara's CDN cache (<venv>/share/solara/cdn/) with the JavaScript and CSS packages the
# dashboard's page loads, so that it works without internet: solara looks in this folder before
# it asks a CDN. The packages come from the npm registry through `npm pack`, one folder per
# package spec, unpacked without the tarball's top folder.
#
# Usage: scripts/install_solara_assets.sh [VENV]   (default: .venv next to this script's repo)
# Idempotent: a package whose folder already holds a package.json is skipped.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${1:-${repo_root}/.venv}"
if [[ ! -x "${venv}/bin/python" ]]; then
    echo "error: venv: no python in ${venv}/bin (pass the virtualenv as the first argument)" >&2
    exit 2
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "error: npm: not found (install Node.js and npm, e.g. apt-get install -y npm)" >&2
    exit 2
fi

# The folder solara reads: settings.assets.proxy_cache_dir, which is <sys.prefix>/share/solara/cdn.
cdn_dir="$("${venv}/bin/python" - <<'PY'
import sys
from pathlib import Path
print(Path(sys.prefix) / "share" / "solara" / "cdn")
PY
)"

# Package specs requested by solara 1.64's page (and, for Altair charts, the vega trio).
specs=(
    "@widgetti/solara-vuetify-app@10.1.1"
    "requirejs@2.3.6"
    "font-awesome@4.5.0"
    "@widgetti/vue-grid-layout@2.3.13-alpha.2"
    "katex@0.16.9"
    "mermaid@10.8.0"
    "vega@5"
    "vega-lite@5"
    "vega-embed@6"
)

mkdir -p "${cdn_dir}"
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT

installed=0
for spec in "${specs[@]}"; do
    target="${cdn_dir}/${spec}"
    if [[ -f "${target}/package.json" ]]; then
        continue
    fi
    echo "fetching ${spec}"
    pack_dir="${work}/pack-${installed}"
    mkdir -p "${pack_dir}"
    tarball="$(cd "${pack_dir}" && npm pack --silent "${spec}" | tail -n 1)"
    staging="${work}/stage-${installed}"
    mkdir -p "${staging}"
    tar -xzf "${pack_dir}/${tarball}" -C "${staging}" --strip-components=1
    # Move into place in one step, so an interrupted run never leaves a half-filled folder.
    mkdir -p "$(dirname "${target}")"
    rm -rf "${target}"
    mv "${staging}" "${target}"
    installed=$((installed + 1))
done

echo "solara assets: ${cdn_dir} (${installed} package(s) added, ${#specs[@]} expected)"
