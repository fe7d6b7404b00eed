"""The parameters a class plays with, as slider and switch specifications.

Why: NetLogo taught teachers to expect a handful of sliders and switches next to the view.
Which parameters those are is a teaching choice (listed here); what each one *is* (range,
unit, default, meaning) is read from the scenario schema through
:func:`sim.scenario.describe_parameter`, so there is no second copy to drift out of date.
:func:`model_params` turns them, with the preset and strategy choosers and the seed, into
SolaraViz's ``model_params``: the keys are
:class:`~sim.presentation.dashboard.classroom.Classroom`'s keyword arguments, so Reset passes them
straight to the model. """

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from sim.presentation.dashboard.i18n import PARAMETER_TEXT, t, unit_text
from sim.presentation.dashboard.presets import available_presets
from sim.scenario import Scenario, ScenarioError, describe_parameter
from sim.strategies import STRATEGIES

if TYPE_CHECKING:
    from sim.presentation.dashboard.classroom import Classroom

SIDE_BY_SIDE_OFF: Final[str] = "off"
"""Value of the second-strategy chooser that means "one strategy" (``none`` is a strategy)."""

CLASSROOM_PARAMETERS: Final[tuple[str, ...]] = (
    "interaction.confidence_threshold",
    "interaction.convergence_rate",
    "interaction.contacts_per_week",
    "network.cross_city_degree",
    "training.cohort_size",
    "training.dose",
    "training.refresher",
    "turnover.enabled",
    "hiring.candidates_per_vacancy",
    "teams.recruitment_weeks",
    "teams.min_size",
    "teams.session_hours",
    "teams.value_work",
    "teams.behaviour_support",
    "diffusion.enabled",
)
"""Dotted schema paths shown as controls, in display order. Paths the schema does not (yet)
have are skipped, so the list can name parameters of strategies that arrive later."""

SEED_MAX: Final[int] = 99
"""The seed slider runs from 0 to this: a class compares a few seeds, not particular ones."""

SLIDER_STEPS: Final[int] = 100
"""A float slider moves in about this many steps across its range."""

MAX_STEP_REFINEMENTS: Final[int] = 6
"""How many times the slider step may shrink tenfold to put the default on its grid."""

HEADCOUNT_CAPPED: Final[frozenset[str]] = frozenset({"training.cohort_size", "teams.min_size"})
"""People counts whose schema maximum (sized for any organisation) is replaced by the
scenario's headcount: more trainees a week, or a bigger team, than employees means nothing."""


@dataclass(frozen=True)
class Control:
    """One slider or switch: everything the page needs to draw it."""

    path: str
    kind: str  # "float", "int" or "bool"
    default: Any
    minimum: float
    maximum: float
    step: float
    unit: str
    description: str

    def label(self, lang: str) -> str:
        """The control's label with its unit, e.g. "Training: dose" or "Trainingsdosis"."""
        name = self.name(lang)
        unit = unit_text(self.unit, lang)
        return f"{name} ({unit})" if unit else name

    def name(self, lang: str) -> str:
        """The parameter's name: the schema path in words (English) or its Dutch name."""
        if lang == "nl" and "nl_name" in PARAMETER_TEXT.get(self.path, {}):
            return PARAMETER_TEXT[self.path]["nl_name"]
        section, _, field = self.path.rpartition(".")
        words = field.replace("_", " ")
        return f"{section.split('.')[-1].capitalize()}: {words}" if section else words.capitalize()

    def help(self, lang: str) -> str:
        """What the parameter means: the schema's description, or its Dutch translation."""
        if lang == "nl" and "nl_help" in PARAMETER_TEXT.get(self.path, {}):
            return PARAMETER_TEXT[self.path]["nl_help"]
        text = self.description
        return text[:1].upper() + text[1:] if text else text


def _nice_step(lo: float, hi: float, default: float) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving about SLIDER_STEPS positions.

    The default must lie on the slider's grid (the browser snaps a value to the grid, which
    would silently change the parameter), so the step shrinks until it does.
    """
    raw = (hi - lo) / SLIDER_STEPS
    if raw <= 0:
        return 0.01
    power = 10.0 ** math.floor(math.log10(raw))
    step = next((m * power for m in (1.0, 2.0, 5.0, 10.0) if raw <= m * power), 10.0 * power)
    for _ in range(MAX_STEP_REFINEMENTS):
        ticks = (default - lo) / step
        if abs(ticks - round(ticks)) < 1e-6:
            break
        step /= 10.0
    return step


def make_control(path: str, scenario: Scenario) -> Control:
    """Build the control for ``path`` with the default taken from ``scenario``.

    Raises:
        ScenarioError: ``path`` names no parameter, or the parameter has no finite range.
    """
    info = describe_parameter(path, scenario)
    if isinstance(info.default, bool):
        return Control(path, "bool", info.default, 0.0, 1.0, 1.0, info.unit, info.description)
    if info.minimum is None or info.maximum is None:
        raise ScenarioError(f"{path}: no range in the schema, cannot be a slider")
    lo, hi = float(info.minimum), float(info.maximum)
    if path in HEADCOUNT_CAPPED:
        hi = min(hi, float(scenario.headcount))
    if isinstance(info.default, int):
        return Control(path, "int", int(info.default), int(lo), int(hi), 1, info.unit,
                       info.description)
    step = _nice_step(lo, hi, float(info.default))
    return Control(path, "float", float(info.default), lo, hi, step, info.unit, info.description)


def classroom_controls(scenario: Scenario) -> list[Control]:
    """The classroom controls that the schema knows, with the scenario's defaults."""
    controls = []
    for path in CLASSROOM_PARAMETERS:
        try:
            controls.append(make_control(path, scenario))
        except ScenarioError:
            continue  # a parameter of a strategy not in this version of the schema
    return controls


def current_value(classroom: Classroom, path: str) -> Any:
    """The value a parameter has in the running model (its preset's, or the override)."""
    node: Any = classroom.simulations[0].model.config
    for part in path.split("."):
        node = getattr(node, part)
    return node


def model_params(classroom: Classroom, lang: str) -> dict[str, Any]:
    """SolaraViz's ``model_params`` for a session: choosers, seed and classroom controls.

    Each control shows the running model's value (so what the sidebar shows is what runs
    until the user changes it), with its range and default from the schema. The preset's
    name is passed along as ``defaults_from`` (a fixed parameter) so that, after a switch to
    another preset, sliders nobody touched take the new preset's defaults.
    """
    settings = classroom.settings
    params: dict[str, Any] = {
        "preset": {"type": "Select", "label": t("scenario", lang), "value": settings.preset,
                   "values": available_presets()},
        "strategy": {"type": "Select", "label": t("strategy", lang),
                     "value": settings.strategy, "values": list(STRATEGIES)},
        "strategy_b": {"type": "Select", "label": t("strategy_b", lang),
                       "value": settings.strategy_b,
                       "values": [SIDE_BY_SIDE_OFF, *STRATEGIES]},
        "seed": {"type": "SliderInt", "label": t("seed", lang), "value": settings.seed,
                 "min": 0, "max": max(SEED_MAX, settings.seed), "step": 1},
        "defaults_from": settings.preset,
    }
    for control in classroom_controls(classroom.config):
        value = current_value(classroom, control.path)
        if control.kind == "bool":
            params[control.path] = {"type": "Checkbox", "label": control.label(lang),
                                    "value": bool(value)}
            continue
        params[control.path] = {
            "type": "SliderInt" if control.kind == "int" else "SliderFloat",
            "label": control.label(lang), "value": value, "step": control.step,
            "min": control.minimum, "max": control.maximum,
        }
    return params
