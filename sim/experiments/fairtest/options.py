"""Command-line helpers shared by the fair-test experiment scripts (experiments/*.py)."""

from __future__ import annotations

from pathlib import Path


def fresh_folder(path: Path) -> None:
    """Refuse an output folder that already holds files (never overwrite results).

    Raises:
        ValueError: naming ``--out``.
    """
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise ValueError(f"--out: {path} already holds results; choose a new folder or "
                         "remove it")


def parse_sets(items: list[str]) -> dict[str, object]:
    """``--set key=value`` options as an overrides mapping (values read as TOML).

    Raises:
        ScenarioError: a malformed assignment, naming it.
    """
    from sim.scenario import parse_assignment

    return dict(parse_assignment(item) for item in items)


#: The fair test's own analyses, as import roots: the verdict (Sobol indices, PRIM), the
#: frontier and the run measures, and through their imports the sweep, sensitivity,
#: discovery, counterfactual and statistics code and the results page's comparison.
ANALYSIS_ROOTS = ("sim.experiments.fairtest.verdict", "sim.experiments.fairtest.frontier",
                  "sim.experiments.fairtest.runs", "sim.presentation.comparison")


def analysis_files() -> list[Path]:
    """Source files of the analyses a stored fair-test result was made by."""
    from sim.provenance import model_files

    return model_files(ANALYSIS_ROOTS)


def model_fingerprint(scenario: object) -> str:
    """Hash of the model code a run executes, of the analysis code that turns runs into the
    stored result, and of the scenario's content.

    Why: a stored experiment may be reused only if it was made by the same model on the same
    scenario and read by the same analyses; a changed rule, default or analysis (an index, a
    box, a table) must make it stale (refused), never mixed with new numbers. The model part
    is the sweep's run-key fingerprint (:func:`sim.provenance.code_fingerprint`: the import
    closure of the run function, and the numerical libraries' versions); the analysis part
    is the import closure of :data:`ANALYSIS_ROOTS`. No hand-kept list of files can fall
    behind either.
    """
    import hashlib

    from sim.provenance import code_fingerprint
    from sim.scenario import scenario_hash

    digest = hashlib.sha256(scenario_hash(scenario).encode())
    digest.update(code_fingerprint().encode())
    for path in analysis_files():
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def add_run_options(parser, out: Path) -> None:
    """The options every fair-test script shares: scenario, design seed, where and how the
    runs go (workers, executor, scheduler), fixed overrides, output folder, quiet."""
    parser.add_argument("--scenario", default="case")
    parser.add_argument("--design-seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--executor", default="local")
    parser.add_argument("--scheduler", default=None)
    parser.add_argument("--set", dest="sets", action="append", default=[])
    parser.add_argument("--out", type=Path, default=out)
    parser.add_argument("--quiet", action="store_true")
