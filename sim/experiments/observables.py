"""The registry of observables: every output and outcome declared once.

Why one registry: names, labels, units and which direction is better used to live in four
places that drifted. Each observable is declared here (or by a plugin, ``sim.experiments.plugins``)
with its name, the function that computes it, a label, a unit and its better direction;
tables, figures, the stopping rule, sweep files, ``sensitivity`` and ``discover`` read it
from here. Dutch texts stay in the dashboard's translations.

Two kinds:

- **weekly**: a column of every run's weekly table, computed by the model
  (``sim.metrics.OUTPUTS``; the function is None);
- **run**: one number per run, computed from its weekly table and metadata by
  ``function(ts, meta)`` (``ts`` sorted by week, week 0 = the initial state; ``meta`` holds
  at least ``intervention_weeks``). The value of each weekly metric at the end of the
  intervention and at the end (``<metric>_end_intervention``, ``<metric>_final``) are run
  outcomes too, declared from the weekly ones;
- **effect**: one number per run *over the counterfactual*: ``function(ts, base, meta)``
  with ``base`` the weekly table of the ``none`` run at the same parameter point and seed
  (common random numbers), e.g. the alignment a strategy adds over doing nothing
  (docs/outcomes.md, "Effects over doing nothing"). An effect that is a ratio (durability
  of the effect, ICER) names its numerator and denominator effects in ``ratio``: averaged
  over replications it is the ratio of the means, as in ``sim.experiments.counterfactual``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

Better = Literal["lower", "higher"]
OutcomeFunction = Callable[[pd.DataFrame, Mapping[str, Any]], float]
EffectFunction = Callable[[pd.DataFrame, pd.DataFrame, Mapping[str, Any]], float]
Kind = Literal["weekly", "run", "effect"]
KnownFrom = Literal["end", "end_intervention", "reached"]

#: The counterfactual strategy of the effect outcomes (``sim.experiments.counterfactual.BASELINE``).
BASELINE = "none"


@dataclass(frozen=True)
class Observable:
    """One output or outcome.

    Attributes:
        name: column name (a plain identifier).
        label: human label for tables and axes (English).
        unit: unit of the value.
        better: "lower" or "higher" is better.
        kind: "weekly" (a model output per week), "run" (one number per run) or "effect"
            (one number per run over the ``none`` run on the same point and seed).
        function: for a run outcome, ``function(ts, meta) -> float``; for an effect,
            ``function(ts, base, meta) -> float``; None for weekly ones.
        source: "merger-sim" or the plugin that declared it.
        ratio: for an effect that is a ratio, the names of its numerator and denominator
            effects: a mean over replications is then the ratio of their means.
        known_from: the earliest moment of a run from which its value is final, for a view
            of a run in progress (the dashboard): "end" of the run (the default, and the
            safe choice for a plugin), "end_intervention", or "reached": final as soon as it
            is finite and non-zero (a time to a sustained threshold and its 0/1 indicator,
            which later weeks cannot change); a run that ends without it did not reach it.
    """

    name: str
    label: str
    unit: str
    better: Better
    kind: Kind = "run"
    function: OutcomeFunction | EffectFunction | None = None
    source: str = "merger-sim"
    ratio: tuple[str, str] | None = None
    known_from: KnownFrom = "end"

    def axis_label(self) -> str:
        """"Label (unit)"."""
        return f"{self.label} ({self.unit})" if self.unit else self.label


#: Label, unit and better direction of the model's weekly outputs (DESIGN section 3). An
#: output the model adds without an entry here is still registered, labelled by its name.
WEEKLY_INFO: dict[str, tuple[str, str, Better]] = {
    "distance_to_target": ("Distance to target culture", "normalised, 0-1", "lower"),
    "culture_spread": ("Culture spread", "normalised, 0-1", "lower"),
    "city_divergence": ("Divergence between cities", "normalised, 0-1", "lower"),
    "cross_city_ties": ("Cross-city ties", "share of tie weight", "higher"),
    "city_modularity": ("City modularity", "modularity Q", "lower"),
    "contract_strength": ("Psychological contract", "0-1", "higher"),
    "engagement": ("Engagement", "0-1", "higher"),
    "headcount": ("Headcount", "employees", "higher"),
    "leavers_cum": ("Leavers (cumulative)", "employees", "lower"),
    "cost_cum": ("Cost (cumulative)", "EUR", "lower"),
    "teams_active": ("Active teams", "teams", "higher"),
    "proposals_accepted": ("Proposals accepted", "proposals", "higher"),
    "client_value": ("Client value", "index", "higher"),
    "identification": ("Identification with the organisation", "0-1", "higher"),
    "hours_per_employee": ("Intervention time per employee (cumulative)", "hours", "lower"),
    "team_cross_city_share": ("Team members from another city", "share", "higher"),
    "cities_per_team": ("Cities per team", "cities", "higher"),
}

#: Suffixes of the snapshot outcomes declared for every weekly output.
SNAPSHOTS = (("_end_intervention", " at end of intervention"), ("_final", " at end"))


def _value_at(ts: pd.DataFrame, column: str, week: int) -> float:
    """``column`` at ``week`` (or the last week before it) of a table sorted by week."""
    values = ts[column].to_numpy()[ts["week"].to_numpy() <= week]
    return float(values[-1]) if values.size else math.nan


def _weeks(ts: pd.DataFrame, meta: Mapping[str, Any]) -> tuple[int, int]:
    """(end of the intervention, last week), the former capped at the last week."""
    last = int(ts["week"].max())
    return min(int(meta.get("intervention_weeks", last)), last), last


def _snapshot(metric: str, at_end: bool) -> OutcomeFunction:
    def value(ts: pd.DataFrame, meta: Mapping[str, Any]) -> float:
        week_i, week_f = _weeks(ts, meta)
        return _value_at(ts, metric, week_f if at_end else week_i)
    return value


def _gains(ts: pd.DataFrame, meta: Mapping[str, Any]) -> tuple[float, float, int, int]:
    week_i, week_f = _weeks(ts, meta)
    d0 = float(ts["distance_to_target"].iloc[0])
    return (d0 - _value_at(ts, "distance_to_target", week_i),
            d0 - float(ts["distance_to_target"].iloc[-1]), week_i, week_f)


def _weeks_to(metric: str) -> OutcomeFunction:
    def value(ts: pd.DataFrame, meta: Mapping[str, Any]) -> float:
        from sim.experiments.outcomes import time_to_reduction

        return time_to_reduction(ts, metric)
    return value


def _reached(metric: str) -> OutcomeFunction:
    def value(ts: pd.DataFrame, meta: Mapping[str, Any]) -> float:
        return float(math.isfinite(_weeks_to(metric)(ts, meta)))
    return value


def _gain_intervention(ts: pd.DataFrame, meta: Mapping[str, Any]) -> float:
    return 100.0 * _gains(ts, meta)[0]


def _gain_final(ts: pd.DataFrame, meta: Mapping[str, Any]) -> float:
    return 100.0 * _gains(ts, meta)[1]


def _durability(ts: pd.DataFrame, meta: Mapping[str, Any]) -> float:
    from sim.experiments.outcomes import MIN_GAIN

    gain_i, gain_f, week_i, week_f = _gains(ts, meta)
    return gain_f / gain_i if gain_i >= MIN_GAIN and week_f > week_i else math.nan


def _cost_total(ts: pd.DataFrame, meta: Mapping[str, Any]) -> float:
    return float(ts["cost_cum"].iloc[-1]) if "cost_cum" in ts.columns else math.nan


def _cost_per_point(ts: pd.DataFrame, meta: Mapping[str, Any]) -> float:
    from sim.experiments.outcomes import MIN_GAIN

    gain_f = _gains(ts, meta)[1]
    return _cost_total(ts, meta) / (100.0 * gain_f) if gain_f >= MIN_GAIN else math.nan


def _outflow_per_year(ts: pd.DataFrame, meta: Mapping[str, Any]) -> float:
    """Leavers a year as a percentage of the mean workforce over the run: the figure to set
    against the published 8.8 %/yr, and a cost of the merger no strategy should hide."""
    if not {"leavers_cum", "headcount", "week"} <= set(ts.columns):
        return math.nan
    years = float(ts["week"].iloc[-1] - ts["week"].iloc[0]) / 52.0
    workforce = float(ts["headcount"].mean())
    if years <= 0 or workforce <= 0:
        return math.nan
    leavers = float(ts["leavers_cum"].iloc[-1] - ts["leavers_cum"].iloc[0])
    return 100.0 * leavers / workforce / years


#: The case's derived outcomes (definitions: docs/outcomes.md), in table order.
DERIVED: tuple[Observable, ...] = (
    Observable("weeks_to_integration", "Time to integration", "weeks", "lower",
               function=_weeks_to("city_divergence"), known_from="reached"),
    Observable("integration_reached", "Integration reached", "share of runs", "higher",
               function=_reached("city_divergence"), known_from="reached"),
    Observable("weeks_to_alignment", "Time to alignment", "weeks", "lower",
               function=_weeks_to("distance_to_target"), known_from="reached"),
    Observable("alignment_reached", "Alignment reached", "share of runs", "higher",
               function=_reached("distance_to_target"), known_from="reached"),
    Observable("alignment_gain_intervention", "Alignment gained in intervention",
               "percentage points", "higher", function=_gain_intervention,
               known_from="end_intervention"),
    Observable("alignment_gain_final", "Alignment gained at end", "percentage points",
               "higher", function=_gain_final),
    Observable("durability", "Durability of alignment", "ratio", "higher",
               function=_durability),
    Observable("outflow_per_year", "Staff outflow", "% of the workforce a year", "lower",
               function=_outflow_per_year),
    Observable("cost_total", "Total cost", "EUR", "lower", function=_cost_total),
    Observable("cost_per_alignment_point", "Cost per point of alignment",
               "EUR per percentage point", "lower", function=_cost_per_point),
)

def _effect_at(metric: str, at_end: bool, sign: float) -> EffectFunction:
    """100 x (base - run) of ``metric`` (sign 1) or 100 x (run - base) (sign -1), at the end of
    the intervention or at the end: points over doing nothing, positive is better."""
    def value(ts: pd.DataFrame, base: pd.DataFrame, meta: Mapping[str, Any]) -> float:
        week_i, week_f = _weeks(ts, meta)
        week = week_f if at_end else week_i
        return 100.0 * sign * (_value_at(base, metric, week) - _value_at(ts, metric, week))
    return value


def _incremental_cost(ts: pd.DataFrame, base: pd.DataFrame, meta: Mapping[str, Any]) -> float:
    return _cost_total(ts, meta) - _cost_total(base, meta)


def _ratio(num: EffectFunction, den: EffectFunction) -> EffectFunction:
    def value(ts: pd.DataFrame, base: pd.DataFrame, meta: Mapping[str, Any]) -> float:
        return ratio_of_means([num(ts, base, meta)], [den(ts, base, meta)])
    return value


def ratio_of_means(num: Any, den: Any) -> float:
    """mean(num) / mean(den); NaN when mean(den) is below the smallest effect (0.1 point,
    ``sim.experiments.counterfactual.MIN_EFFECT``): a ratio over a vanishing or reversed
    effect has no meaning, so it is undefined, not huge."""
    import numpy as np

    from sim.experiments.outcomes import MIN_GAIN

    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    num, den = num[np.isfinite(num)], den[np.isfinite(den)]
    d = float(den.mean()) if den.size else math.nan
    if not (math.isfinite(d) and d >= 100.0 * MIN_GAIN) or not num.size:
        return math.nan
    return float(num.mean()) / d


_ALIGN_I = _effect_at("distance_to_target", False, 1.0)
_ALIGN_F = _effect_at("distance_to_target", True, 1.0)

#: The counterfactual outcomes: what a run adds over the ``none`` run on the same point and
#: seed (definitions: docs/outcomes.md, "Effects over doing nothing"; the conventions of
#: ``sim.experiments.counterfactual`` and of the fair-test experiments,
#: ``sim.experiments.fairtest.runs.EFFECTS``).
EFFECTS: tuple[Observable, ...] = (
    Observable("alignment_effect_end_intervention",
               "Alignment over none at end of intervention", "percentage points", "higher",
               kind="effect", function=_ALIGN_I, known_from="end_intervention"),
    Observable("alignment_effect_final", "Alignment over none at end", "percentage points",
               "higher", kind="effect", function=_ALIGN_F),
    Observable("integration_effect_end_intervention",
               "Integration over none at end of intervention",
               "percentage points of divergence", "higher", kind="effect",
               function=_effect_at("city_divergence", False, 1.0),
               known_from="end_intervention"),
    Observable("integration_effect_final", "Integration over none at end",
               "percentage points of divergence", "higher", kind="effect",
               function=_effect_at("city_divergence", True, 1.0)),
    Observable("client_value_effect_end_intervention",
               "Client value over none at end of intervention", "points (x 100)", "higher",
               kind="effect", function=_effect_at("client_value", False, -1.0),
               known_from="end_intervention"),
    Observable("incremental_cost", "Incremental cost over none", "EUR", "lower",
               kind="effect", function=_incremental_cost),
    Observable("effect_durability", "Durability of the alignment over none", "ratio",
               "higher", kind="effect", function=_ratio(_ALIGN_F, _ALIGN_I),
               ratio=("alignment_effect_final", "alignment_effect_end_intervention")),
    Observable("icer", "Incremental cost per point of alignment over none",
               "EUR per percentage point", "lower", kind="effect",
               function=_ratio(_incremental_cost, _ALIGN_F),
               ratio=("incremental_cost", "alignment_effect_final")),
)

#: Run and effect outcomes declared by plugins, in the order they were registered.
_PLUGIN_OUTCOMES: dict[str, Observable] = {}


def weekly() -> dict[str, Observable]:
    """The model's weekly outputs, in column order."""
    from sim.metrics import OUTPUTS

    out = {}
    for name in OUTPUTS:
        label, unit, better = WEEKLY_INFO.get(name, (name.replace("_", " "), "", "higher"))
        out[name] = Observable(name, label, unit, better, kind="weekly")
    return out


def run_outcomes(present: set[str] | None = None) -> dict[str, Observable]:
    """Every run outcome: the snapshots of the weekly outputs (those in ``present``, or
    all), the case's derived outcomes, then the plugins' outcomes."""
    out: dict[str, Observable] = {}
    for metric in weekly().values():
        if present is not None and metric.name not in present:
            continue
        for suffix, when in SNAPSHOTS:
            out[f"{metric.name}{suffix}"] = Observable(
                f"{metric.name}{suffix}", f"{metric.label}{when}", metric.unit, metric.better,
                function=_snapshot(metric.name, suffix == "_final"),
                known_from="end" if suffix == "_final" else "end_intervention")
    out |= {o.name: o for o in DERIVED}
    out |= {n: o for n, o in _PLUGIN_OUTCOMES.items() if o.kind == "run"}
    return out


def effects() -> dict[str, Observable]:
    """Every effect over the counterfactual: the case's, then the plugins'."""
    return {o.name: o for o in EFFECTS} | {
        n: o for n, o in _PLUGIN_OUTCOMES.items() if o.kind == "effect"}


def registry() -> dict[str, Observable]:
    """Every observable by name: weekly outputs, run outcomes, then effects."""
    return weekly() | run_outcomes() | effects()


def get(name: str) -> Observable:
    """The observable of that name.

    Raises:
        KeyError: naming the known observables.
    """
    known = registry()
    if name not in known:
        raise KeyError(f"unknown outcome {name!r}; known: {', '.join(known)}")
    return known[name]


def register(observable: Observable) -> Observable:
    """Declare a plugin's run outcome (same name again: replaced, so a reload is harmless).

    Raises:
        ValueError: the name is a built-in observable's, or the outcome has no function.
    """
    builtin = (weekly() | run_outcomes(present=set()) | {o.name: o for o in DERIVED}
               | {o.name: o for o in EFFECTS})
    if observable.name in builtin and observable.name not in _PLUGIN_OUTCOMES:
        raise ValueError(f"outcome {observable.name!r}: a built-in observable has that name")
    if observable.kind not in ("run", "effect") or observable.function is None:
        raise ValueError(f"outcome {observable.name!r}: a plugin outcome is a run outcome "
                         "with a function(ts, meta) -> float, or an effect with a "
                         "function(ts, base, meta) -> float")
    if observable.ratio is not None and (observable.kind != "effect" or any(
            n not in effects() | {observable.name: observable} for n in observable.ratio)):
        raise ValueError(f"outcome {observable.name!r}: ratio names two declared effects")
    if observable.better not in ("lower", "higher"):
        raise ValueError(f"outcome {observable.name!r}: better must be 'lower' or 'higher'")
    if observable.known_from not in ("end", "end_intervention", "reached"):
        raise ValueError(f"outcome {observable.name!r}: known_from must be 'end', "
                         "'end_intervention' or 'reached'")
    _PLUGIN_OUTCOMES[observable.name] = observable
    return observable


def evaluate(ts: pd.DataFrame, meta: Mapping[str, Any]) -> dict[str, float]:
    """Every run outcome of one run, in registry order."""
    ts = ts.sort_values("week").reset_index(drop=True)
    return {name: float(obs.function(ts, meta))  # type: ignore[misc]
            for name, obs in run_outcomes(set(ts.columns)).items()}


def evaluate_effects(ts: pd.DataFrame, base: pd.DataFrame,
                     meta: Mapping[str, Any]) -> dict[str, float]:
    """Every effect of one run over its ``none`` run (same point and seed), registry order."""
    ts = ts.sort_values("week").reset_index(drop=True)
    base = base.sort_values("week").reset_index(drop=True)
    return {name: float(obs.function(ts, base, meta))  # type: ignore[call-arg,misc]
            for name, obs in effects().items()}


def per_point(frame: pd.DataFrame, names: list[str], by: list[str]) -> pd.DataFrame:
    """Means over replications per group ``by``: the mean of each observable, except an
    effect declared as a ratio, which is the ratio of its parts' means."""
    grouped = frame.groupby(by, sort=True)
    known = registry()
    out = {}
    for name in names:
        obs = known.get(name)
        if obs is not None and obs.ratio is not None and set(obs.ratio) <= set(frame.columns):
            num, den = obs.ratio
            out[name] = grouped.apply(lambda g, n=num, d=den: ratio_of_means(
                g[n].to_numpy(), g[d].to_numpy()), include_groups=False)
        else:
            out[name] = grouped[name].mean()
    return pd.DataFrame(out)


def label(name: str) -> str:
    """Axis label "Label (unit)" of an observable; a name outside the registry, spaced."""
    found = registry().get(name)
    return found.axis_label() if found else name.replace("_", " ")
