"""Expand a sweep into a deterministic list of run specs, each keyed by its inputs.

A run's id is a hash of what the user asked for: the scenario's content hash (after the
sweep's fixed overrides), the parameter values, the strategy, the seed, what is recorded and
when the run stops. Its key adds the code fingerprint (``sim.provenance.code_fingerprint``:
the source of the model modules a run executes and the numerical libraries' versions). Two
runs with the same key give the same bytes, so a stored key means "done" and a resumed sweep
can skip it; edited model code, another library version or an edited scenario gives new
keys, so stale results are never reused. The id, which does not change with the code, is
what names the experiment's runs in its folder record (``sim.experiments.sweep.folder``).

Common random numbers: replication ``i`` runs with seed ``base_seed + i`` for every
strategy and every parameter point, so differences between strategies or points are not
blurred by different draws.

The dummy parameter (``[design] dummy = true``) is sampled like a range but read by no run:
its value redraws the run's seed (``dummy_seed``), so a step in the dummy changes nothing
but the random draws. Its sensitivity index is then what a parameter without effect gets
from the run-to-run noise and the estimator: the noise floor. Strategies at one point still
share their seed (they stay paired), and a step in any other parameter keeps the seed
(the estimators' differences stay common-random-number differences).
"""

from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.experiments.sweep import _core
from sim.experiments.sweep.spec import DUMMY, LoadedSweep, Range, Steps, Values, range_bounds

#: Length of the hexadecimal run key (64 bits: no collisions in any realistic sweep).
KEY_LENGTH = 16


@dataclass(frozen=True)
class RunSpec:
    """One run of a sweep, with everything needed to carry it out and to label its output.

    Attributes:
        index: position in the plan (0-based), stable for a given sweep file.
        key: hash of the inputs and the code; the name of the run's result file.
        point: index of the parameter point (a row of the design).
        sample: index of the point within its design (for sensitivity analysis).
        group: index of the combination of enumerated values the point belongs to.
        strategy: strategy name.
        replication: 0-based replication number.
        seed: the run's seed (base_seed + replication; with the dummy, ``dummy_seed``).
        params: the swept parameter values, dotted path -> value.
        id: hash of the inputs without the code (the same under edited code).
    """

    index: int
    key: str
    point: int
    sample: int
    group: int
    strategy: str
    replication: int
    seed: int
    params: dict[str, Any] = field(hash=False)
    id: str = ""


@dataclass(frozen=True)
class Plan:
    """The expanded sweep: run specs in a fixed order, plus what analysis needs."""

    runs: list[RunSpec]
    parameter_names: list[str]
    ranged: list[str]
    bounds: dict[str, tuple[float, float]]
    samples: int
    groups: int
    scenario_hash: str
    package_version: str
    code: str = ""

    @property
    def unique_keys(self) -> list[str]:
        """Keys in plan order without repeats (a design may revisit a point)."""
        return list(dict.fromkeys(r.key for r in self.runs))


def _is_int_parameter(info: Any) -> bool:
    default = getattr(info, "default", None)
    if default is None:  # unset by default (teams.theme_count): the type it takes when set
        return getattr(info, "kind", None) == "int"
    return isinstance(default, int) and not isinstance(default, bool)


def _plain(value: Any, integer: bool) -> Any:
    """A JSON-safe Python scalar; integer parameters are rounded to the nearest int."""
    if isinstance(value, np.generic):
        value = value.item()
    if integer and isinstance(value, float):
        return round(value)
    return value


def _enumerated(loaded: LoadedSweep) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for path, param in loaded.spec.parameters.items():
        if isinstance(param, Values):
            out[path] = list(param.values)
        elif isinstance(param, Steps):
            out[path] = param.expand()
    return out


def _bounds(loaded: LoadedSweep) -> dict[str, tuple[float, float]]:
    """Bounds of the sampled parameters, the dummy last (on [0, 1]) when asked for."""
    out = {}
    for path, param in loaded.spec.parameters.items():
        if isinstance(param, Range):
            lo, hi = range_bounds(param, loaded.descriptions[path])
            out[path] = (float(lo), float(hi))  # type: ignore[arg-type]
    if out and loaded.spec.design.dummy:
        out[DUMMY] = (0.0, 1.0)
    return out


def dummy_seed(seed: int, dummy: float) -> int:
    """The seed of a run at dummy value ``dummy``: a hash of the replication's seed and the
    value, within 0 .. 2**63 - 1 (the stored seed range)."""
    digest = hashlib.sha256(f"{seed}:{float(dummy)!r}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def salib_problem(bounds: dict[str, tuple[float, float]]) -> dict[str, Any]:
    """The SALib problem dictionary for the ranged parameters."""
    return {
        "num_vars": len(bounds),
        "names": list(bounds),
        "bounds": [list(b) for b in bounds.values()],
    }


def design_matrix(loaded: LoadedSweep, method: str | None = None) -> np.ndarray:
    """Sample the ranged parameters: one row per design point, one column per range.

    Args:
        loaded: the validated sweep.
        method: override the sweep's design method (the sensitivity command uses this).

    Returns:
        An array of shape (points, ranges); shape (1, 0) when nothing is ranged.
    """
    design = loaded.spec.design
    method = method or design.method
    bounds = _bounds(loaded)
    if not bounds:
        return np.zeros((1, 0))
    problem = salib_problem(bounds)
    if method in ("grid", "full-factorial"):
        axes = [np.linspace(lo, hi, design.levels) for lo, hi in bounds.values()]
        return np.array(list(itertools.product(*axes)), dtype=float)
    if method == "latin":
        from SALib.sample import latin

        return latin.sample(problem, design.samples, seed=design.seed)
    if method == "sobol":
        from SALib.sample import sobol

        return sobol.sample(
            problem, design.samples, calc_second_order=design.second_order, seed=design.seed
        )
    if method == "morris":
        from SALib.sample import morris

        return morris.sample(problem, design.samples, num_levels=design.levels, seed=design.seed)
    raise ValueError(f"unknown design method {method!r}")


def run_id(
    scenario_hash: str,
    params: dict[str, Any],
    strategy: str,
    seed: int,
    settings: dict[str, Any],
) -> str:
    """Hash of the inputs that determine a run's output, without the code."""
    payload = {
        "scenario": scenario_hash,
        "params": sorted(params.items()),
        "strategy": strategy,
        "seed": seed,
        "settings": settings,
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:KEY_LENGTH]


def run_key(identifier: str, code: str) -> str:
    """The stored run's key: its id and the fingerprint of the code that computes it."""
    return hashlib.sha256(f"{identifier}:{code}".encode()).hexdigest()[:KEY_LENGTH]


def output_settings(loaded: LoadedSweep) -> dict[str, Any]:
    """The sweep settings that shape a run's stored output (recording, stopping)."""
    spec = loaded.spec
    settings = {
        "record": spec.record.every,
        "weeks": spec.stop.weeks,
        "when": spec.stop.when.model_dump() if spec.stop.when else None,
    }
    if loaded.kind != "sweep":  # a comparison's runs also keep extra tables
        settings["kind"] = loaded.kind
    return settings


def plan_sweep(loaded: LoadedSweep, method: str | None = None) -> Plan:
    """Expand a sweep into its run specs, in a deterministic order.

    Order: enumerated combinations (in file order) x design rows x strategies x
    replications. The order never depends on the executor or on what is already stored.
    """
    spec = loaded.spec
    enumerated = _enumerated(loaded)
    bounds = _bounds(loaded)
    matrix = design_matrix(loaded, method)
    integer = {p: _is_int_parameter(info) for p, info in loaded.descriptions.items()}
    scenario_hash = _core.scenario_hash(loaded.scenario)
    version = _core.package_version()
    code = _core.code_fingerprint()
    settings = output_settings(loaded)
    sampled = [p for p in bounds if p != DUMMY]
    names = list(enumerated) + sampled

    runs: list[RunSpec] = []
    point = 0
    combos = list(itertools.product(*enumerated.values()))
    for group, combo in enumerate(combos):
        for sample, row in enumerate(matrix):
            params = {p: _plain(v, integer[p]) for p, v in zip(enumerated, combo, strict=True)}
            drawn = dict(zip(bounds, row, strict=True))
            params |= {p: _plain(drawn[p], integer[p]) for p in sampled}
            for strategy in spec.strategies:
                for rep in range(spec.replications):
                    seed = spec.base_seed + rep
                    if DUMMY in drawn:
                        seed = dummy_seed(seed, drawn[DUMMY])
                    ident = run_id(scenario_hash, params, strategy, seed, settings)
                    runs.append(
                        RunSpec(
                            index=len(runs),
                            key=run_key(ident, code),
                            point=point,
                            sample=sample,
                            group=group,
                            strategy=strategy,
                            replication=rep,
                            seed=seed,
                            params=params,
                            id=ident,
                        )
                    )
            point += 1
    return Plan(
        runs=runs,
        parameter_names=names,
        ranged=list(bounds),
        bounds=bounds,
        samples=len(matrix),
        groups=len(combos),
        scenario_hash=scenario_hash,
        package_version=version,
        code=code,
    )
