"""The sweep-file schema: what a researcher writes down to ask for many runs.

A sweep file is TOML, validated like a scenario file: unknown keys and bad values are
rejected with the dotted path of the field, so that a typo never silently turns into a
default. Parameter paths are checked against the scenario schema
(``sim.scenario.describe_parameter``) and values against its bounds.

Example::

    name = "small"
    scenario = "../../scenarios/classroom.toml"   # relative to this file
    strategies = ["none", "training"]
    replications = 3          # replication i runs with seed base_seed + i (common random numbers)
    set = { "horizon.followup_weeks" = 4 }        # fixed overrides for every run

    [parameters]
    "interaction.confidence_threshold" = { values = [0.2, 0.3] }
    "training.intensity" = { start = 0.2, stop = 0.6, step = 0.2 }
    "training.transfer" = { min = 0.2, max = 0.8 }    # a range, sampled by the design

    [design]
    method = "latin"          # grid | full-factorial | latin | sobol | morris
    samples = 16
    # dummy = true            # sobol / morris: a parameter no run reads (the noise floor)

    [record]
    every = 4                 # 1 = every week, k = every k weeks (and the last), "final"

    [stop]
    weeks = 52                # run at most this many weeks
    when = { metric = "distance_to_target", below = 0.1 }
"""

from __future__ import annotations

import json
import math
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    field_validator,
    model_validator,
)

from sim.experiments.sweep import _core
from sim.metrics import OUTPUTS

#: Outputs a stop condition or a sensitivity analysis may refer to (the core's weekly columns).
METRICS = OUTPUTS

#: Name of the optional dummy parameter of a sensitivity design (``[design] dummy = true``).
DUMMY = "dummy"

#: Guard against step ranges that would expand into an absurd number of points.
MAX_STEPS = 10_000

#: The largest seed a run may have: seeds are stored as signed 64-bit integers in every
#: table (run files, results, summary). Kept equal to ``sim.scenario.MAX_SEED``, which another
#: change adds to the core; until both are merged, this local copy is the sweep's bound.
MAX_SEED = 2**63 - 1

#: Characters a sweep name may not contain: it becomes a folder name under the output root,
#: so a separator, a drive colon or a control character could point the output elsewhere.
_NAME_FORBIDDEN = frozenset("/\\:") | {chr(c) for c in range(32)} | {chr(127)}


class SweepError(ValueError):
    """A sweep file is wrong; the message starts with the dotted path of the field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Values(_Strict):
    """Enumerated values: each is run as given."""

    values: list[float | int | bool | str] = Field(min_length=1)

    @field_validator("values")
    @classmethod
    def _unique(cls, v: list[Any]) -> list[Any]:
        if len(set(map(repr, v))) != len(v):
            raise ValueError("values must not repeat (a repeated value is the same run twice)")
        return v


class Steps(_Strict):
    """A stepped range: start, start + step, ... up to and including stop."""

    start: float
    stop: float
    step: float = Field(gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> Steps:
        if self.stop < self.start:
            raise ValueError("stop must not be below start")
        if (self.stop - self.start) / self.step > MAX_STEPS:
            raise ValueError(f"more than {MAX_STEPS} steps")
        return self

    def expand(self) -> list[float]:
        """The points of the range; rounding keeps 0.1 + 0.2 from becoming 0.30000000000000004."""
        n = math.floor((self.stop - self.start) / self.step + 1e-9)
        return [round(self.start + i * self.step, 12) for i in range(n + 1)]


class Range(_Strict):
    """A continuous range for a design to sample (bounds default to the parameter's own)."""

    min: float | None = None
    max: float | None = None


def _parameter_kind(value: Any) -> str | None:
    """Which kind of parameter entry this is, told by its keys."""
    if isinstance(value, Values | Steps | Range):
        return {Values: "enumerated", Steps: "stepped", Range: "ranged"}[type(value)]
    if not isinstance(value, dict):
        return None
    if "values" in value:
        return "enumerated"
    if {"start", "stop", "step"} & set(value):
        return "stepped"
    if set(value) <= {"min", "max"}:
        return "ranged"
    return None


#: Tags that pydantic puts into error locations; dropped from the messages.
_KIND_TAGS = frozenset({"enumerated", "stepped", "ranged"})

Parameter = Annotated[
    Annotated[Values, Tag("enumerated")]
    | Annotated[Steps, Tag("stepped")]
    | Annotated[Range, Tag("ranged")],
    Discriminator(
        _parameter_kind,
        custom_error_type="parameter_kind",
        custom_error_message="give values = [...], or start/stop/step, or min/max",
    ),
]


class Design(_Strict):
    """How ranges become points: a grid, or a sampler from SALib."""

    method: Literal["grid", "full-factorial", "latin", "sobol", "morris"] = "grid"
    samples: int = Field(default=16, ge=1, le=1_000_000)
    levels: int = Field(default=4, ge=2, le=1000)
    seed: int = Field(default=0, ge=0, le=MAX_SEED)
    second_order: bool = False
    dummy: bool = False


class Record(_Strict):
    """Which weeks of each run are kept: every week, every k weeks, or the final week only."""

    every: int | Literal["final"] = 1

    @field_validator("every")
    @classmethod
    def _positive(cls, v: int | str) -> int | str:
        if isinstance(v, int) and v < 1:
            raise ValueError("must be a positive number of weeks or 'final'")
        return v


class When(_Strict):
    """Stop a run at the first week where a metric crosses a threshold."""

    metric: str
    below: float | None = None
    above: float | None = None

    @field_validator("metric")
    @classmethod
    def _known(cls, v: str) -> str:
        if v not in METRICS:
            from sim.experiments.observables import registry

            why = (f"{v!r} is one number per run, known only when the run has ended"
                   if v in registry() else f"unknown metric {v!r}")
            raise ValueError(f"{why}: a stop condition watches a weekly output; known: "
                             f"{', '.join(METRICS)}")
        return v

    @model_validator(mode="after")
    def _one_threshold(self) -> When:
        if (self.below is None) == (self.above is None):
            raise ValueError("give exactly one of 'below' or 'above'")
        return self


class Stop(_Strict):
    """When runs end: a cap on weeks, and an optional condition."""

    weeks: int | None = Field(default=None, ge=1)
    when: When | None = None


class Sensitivity(_Strict):
    """Which outputs a sensitivity analysis looks at, and at which week."""

    outputs: list[str] = Field(default_factory=lambda: ["distance_to_target"], min_length=1)
    week: int | Literal["final"] = "final"

    @field_validator("outputs")
    @classmethod
    def _known(cls, v: list[str]) -> list[str]:
        from sim.experiments.observables import registry

        known = registry()
        bad = [m for m in v if m not in known]
        if bad:
            raise ValueError(f"unknown outcome(s) {bad}; known: {', '.join(known)}")
        return v

    @model_validator(mode="after")
    def _run_outcomes_at_the_end(self) -> Sensitivity:
        from sim.experiments.observables import weekly

        per_run = [m for m in self.outputs if m not in weekly()]
        if per_run and self.week != "final":
            raise ValueError(f"week: {per_run[0]} is one number per run; analyse it with "
                             "week = \"final\"")
        return self


class SweepSpec(_Strict):
    """A whole sweep: base scenario, strategies, parameters, design, replications, recording."""

    name: str = Field(min_length=1)
    description: str = ""
    scenario: str = Field(
        min_length=1, description="scenario file (relative to the sweep file) or preset name"
    )
    strategies: list[str] = Field(min_length=1)
    replications: int = Field(default=1, ge=1, le=100_000)
    base_seed: int = Field(default=0, ge=0)  # its last seed is checked in _design_fits
    set: dict[str, Any] = Field(default_factory=dict)
    parameters: dict[str, Parameter] = Field(default_factory=dict)
    design: Design = Design()
    record: Record = Record()
    stop: Stop = Stop()
    sensitivity: Sensitivity = Sensitivity()
    plugins: list[str] = Field(default_factory=list)

    @field_validator("name")
    @classmethod
    def _plain_name(cls, v: str) -> str:
        """A single folder name: the default output folder must stay under its root."""
        if v in (".", "..") or v.strip() != v or any(c in _NAME_FORBIDDEN for c in v):
            raise ValueError(
                f"{v!r} is not a plain folder name (no '/', '\\', ':', '.' or '..', control "
                "characters or surrounding spaces): it names the output folder"
            )
        return v

    @field_validator("strategies")
    @classmethod
    def _known_strategies(cls, v: list[str]) -> list[str]:
        known = _core.strategy_names()
        bad = [s for s in v if s not in known]
        if bad:
            raise ValueError(f"unknown strategy {bad[0]!r}; known: {', '.join(known)}")
        if len(set(v)) != len(v):
            raise ValueError("strategies must not repeat")
        return v

    @model_validator(mode="after")
    def _design_fits(self) -> SweepSpec:
        ranges = [p for p, v in self.parameters.items() if isinstance(v, Range)]
        if self.design.method == "grid" and ranges:
            raise ValueError(
                f"parameters.{ranges[0]}: a min/max range needs a design; set design.method "
                "to full-factorial, latin, sobol or morris, or give values or start/stop/step"
            )
        if self.design.method in ("latin", "sobol", "morris") and not ranges:
            raise ValueError(
                f"design.method: {self.design.method} needs at least one min/max range"
            )
        if self.design.dummy and self.design.method not in ("sobol", "morris"):
            raise ValueError("design.dummy: the dummy parameter is for the sobol and morris "
                             "designs (`merger-sim sensitivity`)")
        if DUMMY in self.parameters:
            raise ValueError(f"parameters.{DUMMY}: the name is kept for the dummy parameter")
        if self.design.method == "morris" and len(ranges) < 2:
            raise ValueError("design.method: morris needs at least two min/max ranges")
        last_seed = self.base_seed + self.replications - 1
        if last_seed > MAX_SEED:
            raise ValueError(
                f"base_seed: {self.base_seed} + {self.replications} replications gives seeds up "
                f"to {last_seed}, above the largest seed {MAX_SEED} (2**63 - 1); lower base_seed "
                f"to at most {MAX_SEED - self.replications + 1}"
            )
        from sim.experiments.observables import BASELINE, effects

        needs_baseline = [o for o in self.sensitivity.outputs if o in effects()]
        if needs_baseline and BASELINE not in self.strategies:
            raise ValueError(f"sensitivity.outputs: {needs_baseline[0]} is an effect over "
                             f"{BASELINE}; add {BASELINE!r} to strategies (the "
                             "counterfactual, run on the same points and seeds)")
        overlap = set(self.set) & set(self.parameters)
        if overlap:
            raise ValueError(f"set.{sorted(overlap)[0]}: also listed under parameters")
        return self


def _format_pydantic(err: ValidationError) -> str:
    """First error of a pydantic validation as 'dotted.path: reason'."""
    first = err.errors()[0]
    loc = [str(p) for p in first["loc"] if not _is_union_tag(p)]
    msg = first["msg"].removeprefix("Value error, ")
    if not loc:  # a whole-file check: its message already starts with the field's path
        return msg
    return f"{'.'.join(loc)}: {msg}"


def _is_union_tag(part: Any) -> bool:
    return isinstance(part, str) and part in _KIND_TAGS


def _check_parameters(spec: SweepSpec, scenario: Any) -> dict[str, Any]:
    """Check every parameter path and value against the scenario schema.

    Returns the parameter descriptions, keyed by path, for the planner to use (bounds,
    integer parameters).
    """
    descriptions: dict[str, Any] = {}
    for section, paths in (("set", spec.set), ("parameters", spec.parameters)):
        for path in paths:
            try:
                descriptions[path] = _core.describe_parameter(path, scenario)
            except (KeyError, ValueError, *_core.scenario_error_types()) as exc:
                raise SweepError(f"{section}.{path}: unknown scenario parameter ({exc})") from None
    for path, value in spec.set.items():
        _check_value(f"set.{path}", descriptions[path], value)
    for path, param in spec.parameters.items():
        info = descriptions[path]
        where = f"parameters.{path}"
        if isinstance(param, Values):
            for v in param.values:
                _check_value(f"{where}.values", info, v)
        elif isinstance(param, Steps):
            _check_value(f"{where}.start", info, param.start)
            _check_value(f"{where}.stop", info, param.stop)
            for v in param.expand():
                _check_value(f"{where}.step", info, v)
        else:
            lo, hi = range_bounds(param, info)
            if lo is None or hi is None:
                raise SweepError(f"{where}: the parameter has no bounds; give min and max")
            if not lo < hi:
                raise SweepError(f"{where}: min must be below max")
            _check_value(f"{where}.min", info, lo)
            _check_value(f"{where}.max", info, hi)
    return descriptions


def range_bounds(param: Range, info: Any) -> tuple[float | None, float | None]:
    """The bounds of a design range: the sweep's own, else the parameter's."""
    lo = param.min if param.min is not None else getattr(info, "minimum", None)
    hi = param.max if param.max is not None else getattr(info, "maximum", None)
    return lo, hi


def _check_value(where: str, info: Any, value: Any) -> None:
    """A level must have the parameter's type (a number for a numeric one, a whole number
    for an integer one: never rounded silently) and lie within its bounds."""
    lo = getattr(info, "minimum", None)
    hi = getattr(info, "maximum", None)
    kind = getattr(info, "kind", None)
    path = getattr(info, "path", "the parameter")
    if kind in ("int", "float"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise SweepError(f"{where}: {value!r} is not a number ({path} is numeric)")
        if not math.isfinite(value):
            raise SweepError(f"{where}: {value!r} is not a finite number")
        if kind == "int" and not float(value).is_integer():
            raise SweepError(f"{where}: {value!r} is not a whole number ({path} takes whole "
                             "numbers; it is not rounded)")
    elif kind == "bool" and not isinstance(value, bool):
        raise SweepError(f"{where}: {value!r} is not true or false ({path} is a switch)")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if lo is not None and value < lo:
            raise SweepError(f"{where}: {value} is below the minimum {lo}")
        if hi is not None and value > hi:
            raise SweepError(f"{where}: {value} is above the maximum {hi}")


class LoadedSweep(BaseModel):
    """A validated sweep together with what it refers to (resolved scenario, descriptions)."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    spec: SweepSpec
    path: Path
    scenario_path: Path
    scenario: Any
    descriptions: dict[str, Any]
    text: str
    kind: str = "sweep"
    plugins: tuple[str, ...] = ()


def parse_sweep(data: dict[str, Any]) -> SweepSpec:
    """Validate a sweep given as a dictionary (raises SweepError naming the field)."""
    try:
        return SweepSpec.model_validate(data)
    except ValidationError as err:
        raise SweepError(_format_pydantic(err)) from None


def load_sweep(path: str | Path, design_method: str | None = None) -> LoadedSweep:
    """Read, validate and resolve a sweep file.

    Args:
        path: the sweep file.
        design_method: use this design instead of the file's (the sensitivity command
            samples the same ranges with Morris or Sobol).

    Raises:
        SweepError: the file is missing, is not TOML, or any field is wrong; the message
            names the field (``parameters.training.intensity.values: 1.5 is above ...``).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SweepError(f"sweep: cannot read {path}: {exc.strerror}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SweepError(f"sweep: {path} is not valid TOML: {exc}") from None
    _load_plugins(data.get("plugins"), path.parent)
    if design_method is not None:
        design = data.get("design")
        data["design"] = {**(design if isinstance(design, dict) else {}), "method": design_method}
    spec = parse_sweep(data)
    errors = _core.scenario_error_types()
    scenario_path = (path.parent / spec.scenario).resolve()
    if not scenario_path.is_file():
        try:  # a preset name, as on the run command line
            scenario_path = _core.resolve_scenario_path(spec.scenario).resolve()
        except errors:
            raise SweepError(
                f"scenario: no file {spec.scenario!r} next to the sweep file and no preset "
                "of that name"
            ) from None
    try:
        scenario = _core.load_scenario(scenario_path)
    except errors as exc:
        raise SweepError(f"scenario: {exc}") from None
    descriptions = _check_parameters(spec, scenario)
    if spec.set:
        try:
            scenario = _core.apply_overrides(scenario, dict(spec.set))
        except errors as exc:
            raise SweepError(f"set: {exc}") from None
    return LoadedSweep(
        spec=spec,
        path=path.resolve(),
        scenario_path=scenario_path,
        scenario=scenario,
        descriptions=descriptions,
        text=text,
        plugins=_core_plugins(),
    )


def _load_plugins(specs: Any, base: Path) -> None:
    """Load the sweep file's plugins before its strategies and outcomes are checked."""
    from sim.experiments.plugins import PluginError, ensure

    if specs is None:
        specs = []
    if not isinstance(specs, list) or not all(isinstance(s, str) for s in specs):
        raise SweepError("plugins: give a list of module files or names")
    resolved = [str((base / s).resolve()) if s.endswith(".py") else s for s in specs]
    try:
        ensure(resolved)
    except PluginError as exc:
        raise SweepError(str(exc)) from None


def _core_plugins() -> tuple[str, ...]:
    from sim.experiments.plugins import loaded_modules

    return loaded_modules()


def comparison_sweep(scenario: Any, label: str, strategies: list[str], replications: int,
                     base_seed: int = 0, overrides: dict[str, Any] | None = None,
                     weeks: int | None = None) -> LoadedSweep:
    """A strategy comparison as a sweep: strategies x replications at one parameter point.

    Why: a comparison is planned, executed, stored and resumed by the sweep machinery, so
    it runs on every executor and resumes like a sweep. The overrides are applied to the
    scenario (they are part of its content hash, hence of every run key); ``kind`` marks
    the plan as a comparison's (its runs keep extra tables, see ``sim.experiments.compare``).
    """
    final = _core.apply_overrides(scenario, dict(overrides or {})) if overrides else scenario
    spec = parse_sweep({"name": "compare", "scenario": label or "scenario",
                        "strategies": list(strategies), "replications": replications,
                        "base_seed": base_seed, "stop": {"weeks": weeks}})
    text = json.dumps({"scenario": label, "strategies": list(strategies),
                       "replications": replications, "base_seed": base_seed,
                       "overrides": overrides or {}, "weeks": weeks}, sort_keys=True,
                      default=str)
    return LoadedSweep(spec=spec, path=Path(label or "scenario"),
                       scenario_path=Path(label or "scenario"), scenario=final,
                       descriptions={}, text=text, kind="compare", plugins=_core_plugins())
