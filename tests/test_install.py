"""Reproducible installs: the constraints file, the setup that uses it, the dashboard's assets,
and the library versions a run records (issue 11, point 4)."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import io
import json
import re
import subprocess
import sys
import tarfile
from importlib import metadata
from pathlib import Path

import pytest
import typer
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from typer.testing import CliRunner

from sim.cli.dashboard import dashboard
from sim.presentation.dashboard.assets import (
    REQUIRED_ASSETS,
    missing_assets,
    missing_assets_message,
)
from sim.provenance import LIBRARIES, library_versions

REPO = Path(__file__).resolve().parent.parent
CONSTRAINTS = REPO / "constraints.txt"


def _pins() -> dict[str, str]:
    pins = {}
    for line in CONSTRAINTS.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, pinned = line.partition("==")
            assert pinned, f"constraints.txt: {line!r} is not an exact pin"
            pins[canonicalize_name(name)] = pinned
    return pins


def _pyproject_requirements() -> list[Requirement]:
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    reqs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        reqs += [r for r in extra if not r.startswith("merger-sim")]
    return [Requirement(r) for r in reqs]


# ----------------------------------------------------------------------------- constraints


def test_running_environment_is_the_constrained_one():
    """Every pinned package is installed at its pin: fails when setup did not use the file."""
    wrong = {}
    for name, pinned in _pins().items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = "not installed"
        if installed != pinned:
            wrong[name] = f"{installed} (pinned {pinned})"
    assert not wrong, f"environment differs from constraints.txt: {wrong}; run scripts/setup.sh"


def test_constraints_satisfy_pyproject_bounds():
    """The pins lie inside pyproject's bounds, so neither file can drift from the other."""
    pins = _pins()
    for req in _pyproject_requirements():
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} has no pin in constraints.txt"
        assert req.specifier.contains(pins[name], prereleases=True), (
            f"{req.name}=={pins[name]} is outside pyproject's {req.specifier}")


def test_risky_dependencies_have_upper_bounds():
    """A major release known to break (and solara's asset-coupled minor) cannot slip in."""
    bounded = {canonicalize_name(r.name): r.specifier for r in _pyproject_requirements()}
    for name, first_excluded in {"mesa": "4.0", "numpy": "3.0", "pandas": "4.0",
                                 "pydantic": "3.0", "ipyvue": "2.0", "ipyvuetify": "2.0",
                                 "solara": "1.65.0"}.items():
        assert not bounded[name].contains(first_excluded), f"{name} allows {first_excluded}"
    assert str(bounded["solara-assets"]).startswith("=="), "solara-assets must be pinned exactly"


def _lines_with(path: Path, needle: str) -> list[str]:
    return [line for line in path.read_text().splitlines()
            if needle in line and not line.lstrip().startswith("#")]


def test_setup_installs_with_the_constraints_file():
    setup = REPO / "scripts" / "setup.sh"
    assert _lines_with(setup, "constraints=(-c constraints.txt)")
    installs = _lines_with(setup, "pip install")
    assert len(installs) >= 2  # pip itself, then the package with its extras
    for line in installs:
        assert '"${constraints[@]}"' in line, f"setup.sh installs without constraints: {line}"


def test_ci_runs_the_readme_setup_command():
    """CI runs the README's test command, and that command starts with the constrained setup."""
    ci = (REPO / ".ci" / "run").read_text()
    assert 'readme_block test-command' in ci and 'bash -c "$test_command"' in ci
    readme = (REPO / "README.md").read_text()
    block = readme.split("<!-- test-command -->", 1)[1].split("<!-- /test-command -->", 1)[0]
    command = block.replace("```", "").strip()
    assert command.startswith("bash scripts/setup.sh --test && ")


def test_update_procedure_is_documented_and_freezes_a_fresh_venv():
    script = (REPO / "scripts" / "update_constraints.sh").read_text()
    assert '-m venv "$work/venv"' in script
    assert "pytest --collect-only" in script
    assert "pip freeze --all --exclude-editable" in script
    assert "mv \"$work/constraints.txt\" constraints.txt" in script
    doc = (REPO / "docs" / "install.md").read_text()
    assert "scripts/update_constraints.sh" in doc and "constraints.txt" in doc


# ----------------------------------------------------------------------------- dashboard assets


def _solara_dir() -> Path:
    spec = importlib.util.find_spec("solara")
    assert spec and spec.origin
    return Path(spec.origin).parent


def test_required_assets_are_what_the_installed_solara_requests():
    """A solara release that asks for other asset versions fails here, not in a white page."""
    solara = _solara_dir()
    template = (solara / "server" / "templates" / "solara.html.j2").read_text()
    requested = set(re.findall(r"(@widgetti/solara-vuetify-app@[\w.\-]+)/", template))
    requested |= set(re.findall(r"(requirejs@[\w.\-]+)/", template))
    settings = (solara / "server" / "settings.py").read_text()
    requested |= set(re.findall(r'fontawesome_path: str = "/(font-awesome@[\w.\-]+)/', settings))
    grid = (solara / "widgets" / "vue" / "gridlayout.vue").read_text()
    requested |= set(re.findall(r"(@widgetti/vue-grid-layout@[\w.\-]+?)/", grid))
    assert requested == set(REQUIRED_ASSETS)


def test_extra_assets_lock_matches_what_solara_markdown_requests():
    markdown = (_solara_dir() / "components" / "markdown.py").read_text()
    katex = set(re.findall(r"(katex@[\d.]+)/", markdown))
    locked = {spec for spec, _ in _installer().read_lock()}
    assert katex <= locked, f"solara's Markdown requests {katex}, the lock has {locked}"


def test_installed_environment_has_the_required_assets():
    assert missing_assets() == []


def test_missing_assets_message_names_them_and_the_command(tmp_path):
    message = missing_assets_message(tmp_path)
    assert message is not None and "\n" not in message
    assert message.startswith("error: dashboard assets: 4 of 4 missing")
    assert str(tmp_path) in message and message.endswith("run: bash scripts/setup.sh")
    for spec in REQUIRED_ASSETS[:-1]:
        (tmp_path / spec).mkdir(parents=True)
        (tmp_path / spec / "package.json").write_text("{}")
    message = missing_assets_message(tmp_path)
    assert message is not None and "1 of 4 missing" in message and REQUIRED_ASSETS[-1] in message
    (tmp_path / REQUIRED_ASSETS[-1]).mkdir(parents=True)
    (tmp_path / REQUIRED_ASSETS[-1] / "package.json").write_text("{}")
    assert missing_assets_message(tmp_path) is None


def test_dashboard_refuses_to_start_without_assets(tmp_path, monkeypatch):
    monkeypatch.setenv("SOLARA_ASSETS_PROXY_CACHE_DIR", str(tmp_path))
    app = typer.Typer()
    app.command()(dashboard)
    result = CliRunner().invoke(app, ["--port", "8799"])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "run: bash scripts/setup.sh" in lines[0]
    assert "merger-sim dashboard: http" not in result.output  # never started


def test_asset_check_command_exit_codes(tmp_path):
    env = {"SOLARA_ASSETS_PROXY_CACHE_DIR": str(tmp_path), "PYTHONPATH": str(REPO)}
    bad = subprocess.run([sys.executable, "-m", "sim.presentation.dashboard.assets"], env=env,
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "run: bash scripts/setup.sh" in bad.stderr
    for spec in REQUIRED_ASSETS:
        (tmp_path / spec).mkdir(parents=True)
        (tmp_path / spec / "package.json").write_text("{}")
    good = subprocess.run([sys.executable, "-m", "sim.presentation.dashboard.assets"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert good.returncode == 0, good.stderr


# ----------------------------------------------------------------------------- extra assets


def _installer():
    path = REPO / "scripts" / "install_solara_assets.py"
    spec = importlib.util.spec_from_file_location("install_solara_assets", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fake_registry(root: Path, name: str, version: str) -> bytes:
    """A registry in files (file:// URLs): metadata naming a tarball with one package.json."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        body = json.dumps({"name": name, "version": version}).encode()
        info = tarfile.TarInfo("package/package.json")
        info.size = len(body)
        tar.addfile(info, io.BytesIO(body))
    data = buffer.getvalue()
    (root / f"{name}.tgz").write_bytes(data)
    (root / name).mkdir()
    (root / name / version).write_text(json.dumps(
        {"dist": {"tarball": (root / f"{name}.tgz").as_uri()}}))
    return data


@pytest.fixture
def registry(tmp_path, monkeypatch):
    installer = _installer()
    root = tmp_path / "registry"
    root.mkdir()
    data = _fake_registry(root, "demo", "1.2.3")
    monkeypatch.setattr(installer.shutil, "which", lambda _name: None)  # as if npm is absent
    monkeypatch.setenv("npm_config_registry", root.as_uri())
    return installer, data


def test_extra_asset_installs_when_its_hash_matches(registry, tmp_path):
    installer, data = registry
    expected = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    assert installer.integrity(data) == expected
    cdn = tmp_path / "cdn"
    assert installer.install("demo@1.2.3", expected, cdn) == "installed"
    assert json.loads((cdn / "demo@1.2.3" / "package.json").read_text())["version"] == "1.2.3"
    assert installer.install("demo@1.2.3", expected, cdn) == "present"


def test_extra_asset_with_another_hash_is_refused(registry, tmp_path):
    installer, data = registry
    forged = installer.integrity(data + b"x")
    cdn = tmp_path / "cdn"
    with pytest.raises(ValueError, match="integrity"):
        installer.install("demo@1.2.3", forged, cdn)
    assert not (cdn / "demo@1.2.3").exists()


def test_without_npm_or_registry_the_extra_asset_is_skipped(tmp_path, monkeypatch):
    installer = _installer()
    monkeypatch.setattr(installer.shutil, "which", lambda _name: None)
    monkeypatch.delenv("npm_config_registry", raising=False)
    monkeypatch.delenv("NPM_CONFIG_REGISTRY", raising=False)
    assert installer.install("demo@1.2.3", "sha512-x", tmp_path).startswith("skipped")
    assert not any(tmp_path.iterdir())


def test_lock_lines_are_checked(tmp_path):
    installer = _installer()
    lock = tmp_path / "lock"
    lock.write_text("katex@0.16.9 md5-abc\n")
    with pytest.raises(ValueError, match="lock:1"):
        installer.read_lock(lock)
    assert all(i.startswith("sha512-") for _, i in installer.read_lock())


# ----------------------------------------------------------------------------- provenance


def test_run_meta_records_library_versions():
    from sim import run

    meta = run("classroom", strategy="none", seed=1, weeks=1).meta
    versions = meta["versions"]
    assert set(versions) == {"python", *LIBRARIES}
    assert versions["python"] == ".".join(map(str, sys.version_info[:3]))
    for name in LIBRARIES:
        assert versions[name] == metadata.version(name)
    versions["numpy"] = "edited"
    assert library_versions()["numpy"] == metadata.version("numpy")  # callers get copies


def test_compare_provenance_records_library_versions():
    from sim.experiments.compare import _provenance

    prov = _provenance({"scenario_name": "classroom"})
    for name in ("python", *LIBRARIES):
        assert prov[name] == library_versions()[name]
