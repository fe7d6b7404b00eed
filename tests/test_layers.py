"""The package's three layers hold: the model, experiments and analysis, presentation.

``sim``'s top-level modules with ``sim.rules`` and ``sim.strategies`` are the model;
``sim.experiments`` (with the fair test, ``sim.experiments.fairtest``) runs and analyses
experiments; ``sim.presentation`` (with the dashboard and the live class) shows them; the
command line (``sim.cli``, ``python -m sim``) sits on top. A layer imports only the layers
below it; the check reads every import statement (also those inside functions) with ``ast``.
The top of ``sim/`` holds no other package, so the tree shows the layers at a glance.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "sim"

#: Layers from the bottom up; a module belongs to the first layer whose prefix it has.
EXPERIMENTS = ("sim.experiments",)
PRESENTATION = ("sim.presentation",)
APPLICATION = ("sim.cli", "sim.__main__")


def layer(module: str) -> int:
    """0 model, 1 experiments, 2 presentation, 3 the command line and the package's own
    ``__init__`` (the flat Python API, ``from sim import run, load_results``, re-exports
    from every layer lazily)."""
    if module == "sim":
        return 3
    for rank, prefixes in ((3, APPLICATION), (2, PRESENTATION), (1, EXPERIMENTS)):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return rank
    return 0


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def sim_imports(path: Path) -> set[str]:
    """The ``sim`` modules a file imports (``from sim import x`` counts as ``sim.x``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_bytes(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "sim")
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module \
                and node.module.split(".")[0] == "sim":
            found.update(f"{node.module}.{a.name}" if node.module == "sim" else node.module
                         for a in node.names)
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))
NAMES = {module_name(p): p for p in MODULES}


def test_the_layers_are_where_the_docs_say() -> None:
    assert {"sim.experiments.sweep", "sim.experiments.results", "sim.presentation.plots",
            "sim.presentation.report", "sim.model", "sim.roster"} <= set(NAMES)
    assert layer("sim.model") == 0 and layer("sim.rules.teams") == 0
    assert layer("sim.experiments.sweep.plan") == 1
    assert layer("sim.experiments.fairtest.verdict") == 1
    assert layer("sim.presentation.plots.style") == 2
    assert layer("sim.presentation.dashboard.app") == 2 and layer("sim.presentation.live.web") == 2
    assert layer("sim.cli.compare") == 3 and layer("sim") == 3


#: The packages at the top of ``sim/``: the model's own and the three layers above it.
TOP_PACKAGES = {"rules", "strategies", "experiments", "presentation", "cli"}


def top_packages(package: Path) -> set[str]:
    """The folders directly in ``package`` that hold Python code (a package, or a namespace
    package a stray ``.py`` file would make importable)."""
    return {d.name for d in package.iterdir()
            if d.is_dir() and d.name != "__pycache__" and any(d.rglob("*.py"))}


def test_the_top_of_sim_holds_only_the_model_and_the_layers() -> None:
    """README, Layout: the dashboard, the live class and the fair test live inside their
    layers (``presentation/``, ``experiments/``), not beside them."""
    found = top_packages(PACKAGE)
    assert found == TOP_PACKAGES, (f"unexpected packages at the top of sim/: "
                                   f"{sorted(found - TOP_PACKAGES)}; missing: "
                                   f"{sorted(TOP_PACKAGES - found)}")


def test_the_top_check_sees_a_stray_package(tmp_path: Path) -> None:
    """The check would fail: a package beside the layers counts, a folder without code and
    a ``__pycache__`` do not."""
    for name in (*TOP_PACKAGES, "dashboard"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text("")
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "x.py").write_text("")
    (tmp_path / "notes").mkdir()
    assert top_packages(tmp_path) == TOP_PACKAGES | {"dashboard"}


@pytest.mark.parametrize("name", sorted(NAMES))
def test_a_module_imports_only_the_layers_below_it(name: str) -> None:
    own = layer(name)
    above = sorted(m for m in sim_imports(NAMES[name]) if layer(m) > own)
    assert not above, f"{name} (layer {own}) imports {above} from a layer above it"


def test_the_check_sees_a_violation(tmp_path: Path) -> None:
    """The check would fail: an import of the presentation inside a function counts."""
    source = tmp_path / "bad.py"
    source.write_text("def f():\n    from sim.presentation.plots import draw_all\n"
                      "    from sim import teaching\n")
    assert sim_imports(source) == {"sim.presentation.plots", "sim.teaching"}
    assert layer("sim.presentation.plots") > layer("sim.experiments.compare")


def test_the_code_fingerprint_covers_the_model_and_no_presentation() -> None:
    """The run keys hash the code a run executes: every module of the model layer (but
    ``sim.replay``, which reads a session file and calls ``sim.runner``) and the run
    outcomes; no drawing code, so editing a figure never makes stored runs stale."""
    from sim.provenance import model_files

    files = {p.relative_to(PACKAGE).as_posix() for p in model_files()}
    model = {module_name(p) for p in MODULES if layer(module_name(p)) == 0}
    covered = {module_name(PACKAGE / f) for f in files}
    assert model - covered == {"sim.replay"}
    assert {"roster.py", "model.py", "strategies/teams.py", "rules/teams.py",
            "experiments/outcomes.py", "experiments/observables.py"} <= files
    assert not [f for f in files if f.startswith("presentation/")]


def test_the_experiments_layer_loads_without_matplotlib() -> None:
    """README: the experiments run headless; importing the engine and the analyses (the
    modules a comparison or a sweep with its analysis runs) loads no Matplotlib."""
    import subprocess
    import sys

    names = ["sim.experiments.compare", "sim.experiments.sweep.runner",
             "sim.experiments.sweep.executors", "sim.experiments.results",
             "sim.experiments.sensitivity", "sim.experiments.discovery"]
    assert all(layer(n) == 1 for n in names)
    code = ("import importlib, sys\n"
            f"for name in {names!r}:\n"
            "    importlib.import_module(name)\n"
            "print('matplotlib' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=PACKAGE.parent, check=True, timeout=120)
    assert out.stdout.strip() == "False", out.stderr
