"""Check the settings a browser sends against what the page offers.

Why: SolaraViz's Reset rebuilds the model from whatever values the browser holds for the
controls, and a browser can send any value (page JavaScript can set a drop-down to a path or
a slider beyond its end). The page offers presets by name from the shipped list, strategies
from the registry, numbers within each slider's range and switches; :func:`check_settings`
accepts exactly that, one function for every control. A value outside the offer is not
used: the control falls back to its default and a :class:`Rejection` says why, so the page
can tell the user in one line and the session keeps working.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from sim.presentation.dashboard.i18n import t
from sim.presentation.dashboard.params import (
    SEED_MAX,
    SIDE_BY_SIDE_OFF,
    Control,
    classroom_controls,
)
from sim.presentation.dashboard.policy import Policy, current_policy
from sim.presentation.dashboard.presets import available_presets, default_preset, load_preset
from sim.strategies import STRATEGIES

IGNORED: Final[frozenset[str]] = frozenset({"scenario"})
"""Keywords that SolaraViz adds itself on Reset (Mesa's own scenario object), never from the
browser; the Classroom ignores them."""

SHOWN_VALUE_CHARS: Final[int] = 40
"""A rejected value is echoed at most this long (a forged value can be any size)."""


@dataclass(frozen=True)
class Rejection:
    """One value that was not used: which control, what arrived, and why (a label key)."""

    name: str
    value: str
    reason: str
    fields: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        """``<control> <value> (<reason>)`` in ``lang``."""
        reason = t(self.reason, lang, **self.fields)
        return f"{control_name(self.name, lang)} {self.value} ({reason})"


@dataclass(frozen=True)
class Checked:
    """Settings that passed (every value one the page offers) and the values refused."""

    preset: str
    strategy: str
    strategy_b: str
    seed: int
    defaults_from: str
    overrides: dict[str, Any]
    rejections: tuple[Rejection, ...] = ()


def control_name(name: str, lang: str) -> str:
    """The name of a control as the sidebar shows it."""
    labels = {"preset": "scenario", "defaults_from": "scenario", "strategy": "strategy",
              "strategy_b": "strategy_b", "seed": "seed"}
    if name in labels:
        return t(labels[name], lang)
    for control in classroom_controls(load_preset(default_preset())):
        if control.path == name:
            return control.name(lang)
    return t("unknown_control", lang)


def rejection_message(rejections: tuple[Rejection, ...] | list[Rejection], lang: str) -> str:
    """One line for the page: what was not accepted and that defaults run instead."""
    return t("rejected", lang, items="; ".join(r.text(lang) for r in rejections))


def shown(value: Any) -> str:
    """A value as echoed in a message: its repr, cut short."""
    text = repr(value)
    return text if len(text) <= SHOWN_VALUE_CHARS else text[:SHOWN_VALUE_CHARS - 1] + "…"


def _number(value: Any) -> float | None:
    """A real number from the browser (a bool is not one), or None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def check_value(control: Control, value: Any) -> tuple[Any, Rejection | None]:
    """(value to use, None) when ``value`` is one the control offers, else (None, why not)."""
    if control.kind == "bool":
        if isinstance(value, bool):
            return value, None
        return None, Rejection(control.path, shown(value), "reason_not_switch")
    number = _number(value)
    if number is None or (control.kind == "int" and not number.is_integer()):
        return None, Rejection(control.path, shown(value), "reason_not_number")
    if not control.minimum <= number <= control.maximum:
        lo, hi = control.minimum, control.maximum
        if control.kind == "int":
            lo, hi = int(lo), int(hi)
        return None, Rejection(control.path, shown(value), "reason_out_of_range",
                               {"lo": lo, "hi": hi})
    return (int(number) if control.kind == "int" else value), None


def _choice(name: str, value: Any, offered: list[str], default: str,
            rejections: list[Rejection]) -> str:
    """``value`` if it is one of ``offered`` ("" means the default), else the default."""
    if value == "":
        return default
    if isinstance(value, str) and value in offered:
        return value
    rejections.append(Rejection(name, shown(value), "reason_not_offered"))
    return default


def check_settings(settings: Mapping[str, Any], policy: Policy | None = None) -> Checked:
    """Check a Reset's keyword arguments against what the page offers.

    Args:
        settings: the Classroom's keyword arguments as SolaraViz passes them: ``preset``,
            ``strategy``, ``strategy_b``, ``seed``, ``defaults_from`` and classroom
            parameters under their dotted paths; missing ones take their defaults.
        policy: the server's limits (which presets are offered); the current one if None.

    Returns:
        The settings to build with: every offered value as sent, every other one replaced
        by its default, with a :class:`Rejection` for each replacement.
    """
    policy = policy or current_policy()
    rejections: list[Rejection] = []
    presets = available_presets(policy)
    fallback = default_preset() if default_preset() in presets else presets[0]
    preset = _choice("preset", settings.get("preset", ""), presets, fallback, rejections)
    defaults_from = _choice("defaults_from", settings.get("defaults_from", ""), presets,
                            preset, rejections)
    strategies = list(STRATEGIES)
    strategy = _choice("strategy", settings.get("strategy", ""), strategies, strategies[0],
                       rejections)
    strategy_b = _choice("strategy_b", settings.get("strategy_b", SIDE_BY_SIDE_OFF),
                         [SIDE_BY_SIDE_OFF, *strategies], SIDE_BY_SIDE_OFF, rejections)
    raw_seed = settings.get("seed", 0)
    seed_number = _number(raw_seed)
    if seed_number is not None and seed_number.is_integer() and 0 <= seed_number <= SEED_MAX:
        seed = int(seed_number)
    else:
        seed = 0
        rejections.append(Rejection("seed", shown(raw_seed), "reason_out_of_range",
                                    {"lo": 0, "hi": SEED_MAX}))
    controls = {c.path: c for c in classroom_controls(load_preset(preset, policy))}
    baseline = {c.path: c for c in classroom_controls(load_preset(defaults_from, policy))}
    overrides: dict[str, Any] = {}
    known = {"preset", "strategy", "strategy_b", "seed", "defaults_from"}
    for name, value in settings.items():
        if name in known or name in IGNORED:
            continue
        control = controls.get(name)
        if control is None:
            rejections.append(Rejection(name, shown(value), "reason_not_offered"))
            continue
        if name in baseline and value == baseline[name].default:
            continue  # an untouched slider showing the old preset's default: not an override
        accepted, why = check_value(control, value)
        if why is not None:
            rejections.append(why)
        else:
            overrides[name] = accepted
    return Checked(preset=preset, strategy=strategy, strategy_b=strategy_b, seed=seed,
                   defaults_from=defaults_from, overrides=overrides,
                   rejections=tuple(rejections))
