"""Counterfactual outcomes: what each strategy adds over doing nothing (``none``).

Why this module exists: a merger changes the organisation's culture by itself. A strategy's
own "alignment gained" or "durability" therefore counts what the merger would have done
anyway (``none`` keeps improving after the intervention ends). A health economist or policy
evaluator asks instead what the strategy adds *over the counterfactual*: the paired
difference with ``none`` run on the same seeds (common random numbers), what that extra
alignment costs, and how likely each strategy is to be the best buy at a given price.

Everything here is a pure function of the saved tables (the long weekly ``timeseries`` of
every run, with columns strategy, replication, week and the metrics), so ``--redraw`` gives
the same numbers. Definitions with formulas are in docs/outcomes.md ("Effects over doing
nothing"). Conventions:

* the alignment effect of strategy *s* in replication *i* at week *t* is
  E_i(t) = 100 · (d_none,i(t) − d_s,i(t)) percentage points of distance to the target
  culture (positive: *s* is closer to the target than doing nothing);
* differences (effects, incremental cost, speed) get paired Student-t intervals over seeds,
  as in paired.csv; ratios (durability, ICER) get paired bootstrap percentile intervals
  (resampling seeds with a seeded NumPy generator, so the same tables give the same bytes);
* the cost-effectiveness acceptability curve uses the same bootstrap draws for all
  strategies (the same resampled seeds), so strategies stay paired.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.experiments import stats
from sim.experiments.outcomes import MIN_GAIN, SUSTAIN_WEEKS, first_sustained_week

BASELINE = "none"
"""The counterfactual strategy: the merger without any change programme."""

ALIGNMENT_METRIC = "distance_to_target"
"""Weekly metric whose reduction is alignment (lower distance = better aligned)."""

COST_METRIC = "cost_cum"
"""Weekly cumulative cost in EUR; its value at the final week is the run's total cost."""

ALIGNMENT_EFFECT = "alignment_effect"
"""Name of the alignment effect (points over ``none``) in the weekly effects table."""

POINTS = 100.0
"""Percentage points per unit of normalised distance."""

MIN_EFFECT = POINTS * MIN_GAIN
"""Smallest effect (0.1 point) treated as an effect; below it ratios are undefined. The
same assumption as ``sim.experiments.outcomes.MIN_GAIN``."""

DEFAULT_DURABILITY_WEEKS = 52
"""Weeks after the yardstick at which durability is read (DESIGN: one year of follow-up)."""

DEFAULT_THRESHOLD = 1.0
"""Effect in points that counts as "reached" for the speed yardstick (assumption: one
percentage point of distance, about a tenth of what the merger closes by itself in the case).
"""

DEFAULT_RESAMPLES = 2000
"""Bootstrap resamples (Efron & Tibshirani 1993 advise >= 1000 for percentile intervals)."""

DEFAULT_BOOTSTRAP_SEED = 20_141
"""Seed of the bootstrap generator (any fixed number: the point is the same bytes)."""

WTP_STEPS = 101
"""Points on the willingness-to-pay grid of the acceptability curve."""

FALLBACK_WTP_MAX = 1_000_000.0
"""Upper end of the automatic WTP range (EUR per point) when no strategy has an ICER."""


@dataclass(frozen=True)
class Settings:
    """Yardsticks of the counterfactual outcomes (stored in the manifest).

    Attributes:
        durability_weeks: N, durability is read N weeks after the end of the intervention
            and N weeks after the strategy's own peak effect.
        threshold: effect in points for the "weeks to threshold" speed yardstick.
        wtp: (min, max) willingness to pay per point, EUR, of the acceptability curve; None
            for automatic (0 to twice the largest ICER).
        resamples: bootstrap resamples.
        seed: bootstrap generator seed.
        level: confidence level.
    """

    durability_weeks: int = DEFAULT_DURABILITY_WEEKS
    threshold: float = DEFAULT_THRESHOLD
    wtp: tuple[float, float] | None = None
    resamples: int = DEFAULT_RESAMPLES
    seed: int = DEFAULT_BOOTSTRAP_SEED
    level: float = stats.DEFAULT_LEVEL

    def __post_init__(self) -> None:
        if self.durability_weeks < 1:
            raise ValueError(f"durability_weeks: must be >= 1, got {self.durability_weeks}")
        if not (math.isfinite(self.threshold) and self.threshold > 0):
            raise ValueError(f"threshold: must be a number > 0 points, got {self.threshold}")
        if self.wtp is not None:
            low, high = self.wtp
            if not (math.isfinite(low) and math.isfinite(high) and 0 <= low < high):
                raise ValueError(f"wtp: need 0 <= MIN < MAX, got {low:g}:{high:g} (empty range)")
        if self.resamples < 100:
            raise ValueError(f"resamples: must be >= 100, got {self.resamples}")

    def as_dict(self) -> dict[str, Any]:
        """JSON-safe dict for the manifest."""
        d = asdict(self)
        d["wtp"] = list(self.wtp) if self.wtp is not None else "auto"
        return d

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Settings:
        """Inverse of ``as_dict`` (missing keys take their defaults)."""
        data = dict(data or {})
        wtp = data.pop("wtp", None)
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known, wtp=tuple(wtp) if isinstance(wtp, list | tuple) else None)


def parse_wtp(text: str) -> tuple[float, float] | None:
    """``MIN:MAX`` in EUR per point (``auto`` gives None); ValueError if malformed or empty."""
    if text.strip().lower() == "auto":
        return None
    parts = text.split(":")
    if len(parts) != 2:
        raise ValueError(f"expected MIN:MAX in EUR per point or 'auto', got {text!r}")
    try:
        low, high = (float(p.replace("_", "")) for p in parts)
    except ValueError:
        raise ValueError(f"expected two numbers MIN:MAX, got {text!r}") from None
    if not (math.isfinite(low) and math.isfinite(high)) or low < 0:
        raise ValueError(f"MIN and MAX must be finite and >= 0, got {text!r}")
    if high <= low:
        raise ValueError(f"the range {text!r} is empty (MAX must exceed MIN)")
    return low, high


def with_baseline(strategies: Sequence[str]) -> tuple[list[str], bool]:
    """The strategies with ``none`` first if it was missing; and whether it was added."""
    names = list(strategies)
    if BASELINE in names:
        return names, False
    return [BASELINE, *names], True


def yardstick_weeks(intervention_weeks: int, last_week: int, durability_weeks: int) -> str | None:
    """Why the durability yardstick cannot be read within the horizon, or None if it can."""
    end = min(intervention_weeks, last_week)
    if end + durability_weeks > last_week:
        return (f"week {end} + {durability_weeks} = {end + durability_weeks} is past the "
                f"horizon (last week {last_week}; end of intervention week {end})")
    return None


# --- building blocks ---------------------------------------------------------------------


def metric_columns(timeseries: pd.DataFrame) -> list[str]:
    """Numeric weekly metrics of the long table (identifiers excluded), by name."""
    skip = {"strategy", "replication", "seed", "week"}
    return [c for c in timeseries.columns
            if c not in skip and pd.api.types.is_numeric_dtype(timeseries[c])]


def paired_curves(timeseries: pd.DataFrame, metric: str,
                  baseline: str = BASELINE) -> dict[str, pd.DataFrame]:
    """Per strategy, the matrix replication x week of ``metric`` minus the baseline's.

    Only replications run under both the strategy and the baseline are kept (pairing is
    never broken); weeks are the columns, sorted.
    """
    wide = timeseries.pivot_table(index=["strategy", "replication"], columns="week",
                                  values=metric, aggfunc="first").sort_index(axis=1)
    if baseline not in wide.index.get_level_values("strategy"):
        return {}
    base = wide.loc[baseline]
    out = {}
    for strategy in dict.fromkeys(timeseries["strategy"]):
        if strategy == baseline:
            continue
        mine = wide.loc[strategy]
        common = mine.index.intersection(base.index).sort_values()
        out[strategy] = mine.loc[common] - base.loc[common]
    return out


def alignment_effects(timeseries: pd.DataFrame,
                      baseline: str = BASELINE) -> dict[str, pd.DataFrame]:
    """Per strategy, E_i(t) = 100 (d_none,i(t) - d_s,i(t)): replications x weeks, in points."""
    return {s: -POINTS * d for s, d in paired_curves(timeseries, ALIGNMENT_METRIC,
                                                       baseline).items()}


def weekly_effects(timeseries: pd.DataFrame, baseline: str = BASELINE,
                   level: float = stats.DEFAULT_LEVEL) -> pd.DataFrame:
    """Effect over the baseline per strategy, week and metric, with paired t intervals.

    Every numeric weekly metric gets ``strategy − baseline`` in its own unit; the alignment
    effect (``alignment_effect``, points, positive = better aligned than the baseline) is
    added as one more metric.

    Returns:
        Long table: strategy, week, metric, mean, sd, low, high, half_width, n, level.
    """
    if baseline not in set(timeseries["strategy"]):
        return pd.DataFrame()
    metrics = metric_columns(timeseries)
    keys = ["replication", "week"]
    base = timeseries[timeseries["strategy"] == baseline].set_index(keys)[metrics]
    parts = []
    for strategy, sub in timeseries.groupby("strategy", sort=False):
        if strategy == baseline:
            continue
        mine = sub.set_index(keys)[metrics]
        diff = (mine - base).dropna(how="all")  # index union; unpaired rows are all NaN
        if ALIGNMENT_METRIC in diff.columns:
            diff[ALIGNMENT_EFFECT] = -POINTS * diff[ALIGNMENT_METRIC]
        long = diff.reset_index().melt(id_vars=keys, var_name="metric", value_name="d")
        g = long.groupby(["week", "metric"], sort=False)["d"]
        part = pd.DataFrame({"mean": g.mean(), "sd": g.std(ddof=1), "n": g.count()})
        part = part.reset_index()
        part.insert(0, "strategy", strategy)
        parts.append(part)
    if not parts:
        return pd.DataFrame()
    out = pd.concat(parts, ignore_index=True)
    tq = np.array([stats.t_quantile(level, int(k)) if k >= 2 else np.nan for k in out["n"]])
    out["half_width"] = tq * out["sd"] / np.sqrt(out["n"])
    out["low"] = out["mean"] - out["half_width"]
    out["high"] = out["mean"] + out["half_width"]
    out["level"] = level
    cols = ["strategy", "week", "metric", "mean", "sd", "low", "high", "half_width", "n",
            "level"]
    return out[cols].sort_values(["metric", "strategy", "week"], kind="stable") \
        .reset_index(drop=True)


def value_at(curves: pd.DataFrame, week: int) -> np.ndarray:
    """Column of ``curves`` at ``week``, or at the last week before it (per replication)."""
    weeks = [w for w in curves.columns if w <= week]
    if not weeks:
        return np.full(len(curves), np.nan)
    return curves[weeks[-1]].to_numpy(dtype=float)


def weeks_to_level(weeks: Sequence[int] | np.ndarray, effect: Sequence[float] | np.ndarray,
                   level: float, sustain: int = SUSTAIN_WEEKS) -> float:
    """First week from which ``effect`` >= ``level`` for ``sustain`` weeks; NaN if never."""
    e = np.asarray(effect, dtype=float)
    return first_sustained_week(np.asarray(weeks), np.isfinite(e) & (e >= level), sustain)


def weeks_to_half_max(weeks: Sequence[int] | np.ndarray, effect: Sequence[float] | np.ndarray,
                      sustain: int = SUSTAIN_WEEKS) -> float:
    """Weeks until the effect reaches half of its maximum (sustained); NaN without effect.

    The maximum is the curve's own largest value; a curve that never exceeds MIN_EFFECT has
    no maximum to speak of (NaN).
    """
    e = np.asarray(effect, dtype=float)
    peak = np.nanmax(e) if np.isfinite(e).any() else math.nan
    if not (math.isfinite(peak) and peak >= MIN_EFFECT):
        return math.nan
    return weeks_to_level(weeks, e, 0.5 * peak, sustain)


def peak_week(mean_curve: pd.Series) -> tuple[int, float]:
    """Week (after week 0) of the largest mean effect, and that effect."""
    later = mean_curve[mean_curve.index > 0].dropna()
    if later.empty:
        return -1, math.nan
    week = int(later.idxmax())
    return week, float(later.loc[week])


def generator(seed: int, label: str) -> np.random.Generator:
    """Bootstrap generator for one strategy (or the CEAC), keyed by its name.

    Keyed by name rather than position so that a strategy's intervals do not change when
    another strategy is added to or left out of the comparison.
    """
    return np.random.default_rng([seed, zlib.crc32(label.encode("utf-8"))])


def bootstrap_indices(n: int, resamples: int, rng: np.random.Generator) -> np.ndarray:
    """Row indices of ``resamples`` paired bootstrap samples of ``n`` seeds: (B, n)."""
    return rng.integers(0, n, size=(resamples, n))


def percentile_interval(draws: np.ndarray, level: float = stats.DEFAULT_LEVEL
                        ) -> tuple[float, float]:
    """Percentile interval of bootstrap draws (order statistics, so +inf draws are allowed).

    NaN draws are dropped; an interval whose end is infinite is returned as such.
    """
    d = np.asarray(draws, dtype=float)
    d = d[~np.isnan(d)]
    if d.size == 0:
        return math.nan, math.nan
    alpha = (1.0 - level) / 2.0
    low, high = np.quantile(d, [alpha, 1.0 - alpha], method="inverted_cdf")
    return float(low), float(high)


def ratio_draws(num: np.ndarray, den: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Bootstrap draws of mean(num) / mean(den); a draw with mean(den) < MIN_EFFECT is +inf.

    Used for the ICER (cost over effect) and durability (later over earlier effect): a
    resample in which the effect vanished or reversed has no finite price or share, and
    counting it as +inf (rather than a negative or huge ratio) keeps the percentile order
    meaningful: the interval's upper end becomes unbounded when that happens in more than
    (1 − level) / 2 of the draws.
    """
    mn = num[idx].mean(axis=1)
    md = den[idx].mean(axis=1)
    out = np.full(mn.shape, np.inf)
    ok = md >= MIN_EFFECT
    out[ok] = mn[ok] / md[ok]
    return out


def ratio_of_means(num: np.ndarray, den: np.ndarray) -> float:
    """mean(num) / mean(den), NaN when mean(den) is below MIN_EFFECT (no division error)."""
    if num.size == 0 or den.size == 0:
        return math.nan
    d = float(np.mean(den))
    return float(np.mean(num)) / d if d >= MIN_EFFECT else math.nan


def ceac(delta_cost: np.ndarray, delta_effect: np.ndarray, strategies: Sequence[str],
         wtp: np.ndarray, baseline: str = BASELINE) -> pd.DataFrame:
    """Cost-effectiveness acceptability curve from joint draws of mean cost and effect.

    Net monetary benefit of strategy s at willingness to pay λ per point:
    NB_s(λ) = λ · ΔE_s − ΔC_s, with NB_none = 0. For each λ, the probability that s is the
    most cost-effective is the share of draws in which NB_s is the largest (ties go to the
    strategy listed first, so a strategy equal to ``none`` is never preferred to it).

    Args:
        delta_cost: (draws, strategies) incremental cost over the baseline, EUR.
        delta_effect: (draws, strategies) incremental effect, points.
        strategies: names of the columns (baseline excluded).
        wtp: willingness-to-pay grid, EUR per point.
        baseline: name of the zero-benefit option.

    Returns:
        Long table: wtp, strategy (baseline first), probability.
    """
    dc = np.asarray(delta_cost, dtype=float)
    de = np.asarray(delta_effect, dtype=float)
    lam = np.asarray(wtp, dtype=float)
    nb = lam[:, None, None] * de[None, :, :] - dc[None, :, :]  # (L, B, S)
    nb = np.concatenate([np.zeros((*nb.shape[:2], 1)), nb], axis=2)
    best = np.argmax(nb, axis=2)  # (L, B)
    names = [baseline, *strategies]
    prob = np.stack([(best == k).mean(axis=1) for k in range(len(names))], axis=1)
    return pd.DataFrame({
        "wtp": np.repeat(lam, len(names)),
        "strategy": names * len(lam),
        "probability": prob.ravel(),
    })


# --- the counterfactual table ------------------------------------------------------------


def _t(values: np.ndarray, level: float) -> stats.Interval:
    return stats.mean_interval(values, level)



def _durability(name: str, eff: Any, start: int, n_w: int, week_f: int, idx: np.ndarray,
                lvl: float, notes: list[str], small_note: str, past_note: str
                ) -> dict[str, float]:
    """E(start + N) / E(start) with its bootstrap interval, or NaN with a note when the
    yardstick is past the horizon or the effect at ``start`` is too small."""
    n = len(eff)
    if start >= 0 and start + n_w <= week_f and n:
        at_start, later = value_at(eff, start), value_at(eff, start + n_w)
        value = ratio_of_means(later, at_start)
        low, high = percentile_interval(ratio_draws(later, at_start, idx), lvl)
        if not math.isfinite(value):
            low = high = math.nan
            notes.append(small_note)
    else:
        value = low = high = math.nan
        notes.append(past_note)
    return {name: value, f"{name}_low": low, f"{name}_high": high}

def _strategy_row(strategy: str, eff: pd.DataFrame, dcost: np.ndarray, week_i: int,
                  week_f: int, settings: Settings, rng: np.random.Generator
                  ) -> tuple[dict[str, Any], list[str]]:
    """All counterfactual outcomes of one strategy from its effect curves and cost deltas."""
    n_w = settings.durability_weeks
    lvl = settings.level
    weeks = np.asarray(eff.columns)
    e = eff.to_numpy(dtype=float)
    e_i, e_f = value_at(eff, week_i), value_at(eff, week_f)
    notes: list[str] = []
    row: dict[str, Any] = {"strategy": strategy, "n": len(eff), "end_intervention_week": week_i,
                           "final_week": week_f}
    for name, vals in (("effect_end_intervention", e_i), ("effect_final", e_f)):
        ci = _t(vals, lvl)
        row.update({name: ci.mean, f"{name}_low": ci.low, f"{name}_high": ci.high})
    mean_curve = eff.mean(axis=0)
    pk_week, pk_effect = peak_week(mean_curve)
    row.update({"peak_week": pk_week, "peak_effect": pk_effect})

    half = np.array([weeks_to_half_max(weeks, r) for r in e])
    thr = np.array([weeks_to_level(weeks, r, settings.threshold) for r in e])
    for name, vals in (("weeks_to_half_max", half), ("weeks_to_threshold", thr)):
        ci = _t(vals, lvl)
        row.update({name: ci.mean, f"{name}_low": ci.low, f"{name}_high": ci.high,
                    f"{name}_reached": int(np.isfinite(vals).sum())})
    row["threshold"] = settings.threshold
    if not np.isfinite(thr).any():
        notes.append(f"never {settings.threshold:g} point(s) better aligned than none for "
                     f"{SUSTAIN_WEEKS} weeks: weeks to threshold undefined")

    n = len(eff)
    idx = bootstrap_indices(n, settings.resamples, rng) if n else np.zeros((0, 0), int)
    row["durability_weeks"] = n_w
    # durability after the end of the intervention: E(I + N) / E(I)
    row.update(_durability(
        "durability_after_intervention", eff, week_i, n_w, week_f, idx, lvl, notes,
        f"effect at end of intervention below {MIN_EFFECT:g} point: durability after "
        "intervention undefined",
        f"week {week_i} + {n_w} is past the horizon (week {week_f}): durability after "
        "intervention undefined"))
    # durability after the strategy's own peak: E(P + N) / E(P)
    row.update(_durability(
        "durability_after_peak", eff, pk_week, n_w, week_f, idx, lvl, notes,
        f"peak effect below {MIN_EFFECT:g} point: durability after peak undefined",
        f"peak at week {pk_week} + {n_w} is past the horizon (week {week_f}): durability "
        "after peak undefined"))

    ci = _t(dcost, lvl)
    row.update({"incremental_cost": ci.mean, "incremental_cost_low": ci.low,
                "incremental_cost_high": ci.high})
    row["incremental_effect"] = row["effect_final"]
    mean_e = float(np.mean(e_f)) if n else math.nan
    mean_c = float(np.mean(dcost)) if n else math.nan
    row["icer"] = ratio_of_means(dcost, e_f)
    if math.isfinite(row["icer"]):
        low, high = percentile_interval(ratio_draws(dcost, e_f, idx), lvl)
        if not math.isfinite(high):
            notes.append("the effect's bootstrap interval reaches zero: ICER interval "
                         "unbounded above")
    else:
        low = high = math.nan
        if not math.isfinite(mean_e):
            notes.append("no paired runs with none: ICER undefined")
        elif abs(mean_e) < MIN_EFFECT:
            notes.insert(0, f"no effect on alignment over none ({mean_e:+.3g} points at "
                         f"week {week_f}, below {MIN_EFFECT:g}): ICER undefined")
        else:
            dominated = " and costs more: dominated by none" if mean_c > 0 else ""
            notes.insert(0, f"less aligned than none at week {week_f} ({mean_e:+.3g} "
                         f"points){dominated}; ICER not reported")
    row.update({"icer_low": low, "icer_high": high})
    row["note"] = "; ".join(notes)
    return row, notes


def counterfactual_tables(timeseries: pd.DataFrame, intervention_weeks: int,
                          strategies: Sequence[str] | None = None,
                          settings: Settings | None = None,
                          baseline: str = BASELINE) -> dict[str, pd.DataFrame]:
    """All counterfactual outcomes of a comparison; empty tables when ``none`` is absent.

    Args:
        timeseries: long weekly table of every run (strategy, replication, week, metrics).
        intervention_weeks: length of the intervention (end-of-intervention week, capped at
            the last simulated week).
        strategies: order of the rows (default: order of appearance).
        settings: yardsticks and bootstrap settings.
        baseline: the counterfactual strategy.

    Returns:
        ``counterfactual`` (one row per strategy: effects, speed, both durabilities,
        incremental cost, ICER, with intervals and a ``note``), ``counterfactual_weekly``
        (effect per week and metric), ``ce_plane`` (incremental cost and effect per paired
        seed) and ``ceac`` (probability of being the most cost-effective per WTP).
    """
    settings = settings or Settings()
    empty = {k: pd.DataFrame() for k in ("counterfactual", "counterfactual_weekly",
                                         "ce_plane", "ceac")}
    if timeseries.empty or baseline not in set(timeseries["strategy"]) \
            or ALIGNMENT_METRIC not in timeseries.columns:
        return empty
    order = [s for s in (strategies or dict.fromkeys(timeseries["strategy"]))
             if s != baseline and s in set(timeseries["strategy"])]
    if not order:
        return empty
    week_f = int(timeseries["week"].max())
    week_i = min(int(intervention_weeks), week_f)
    effects = alignment_effects(timeseries, baseline)
    costs = paired_curves(timeseries, COST_METRIC, baseline) \
        if COST_METRIC in timeseries.columns else {}
    rows, plane = [], []
    for strategy in order:
        eff = effects[strategy]
        dcost = value_at(costs[strategy], week_f) if strategy in costs \
            else np.full(len(eff), np.nan)
        row, _ = _strategy_row(strategy, eff, dcost, week_i, week_f, settings,
                               generator(settings.seed, strategy))
        rows.append(row)
        plane.append(pd.DataFrame({"strategy": strategy, "replication": eff.index.to_numpy(),
                                   "incremental_effect": value_at(eff, week_f),
                                   "incremental_cost": dcost}))
    table = pd.DataFrame(rows)
    ce_plane = pd.concat(plane, ignore_index=True)
    return {
        "counterfactual": table,
        "counterfactual_weekly": weekly_effects(timeseries, baseline, settings.level),
        "ce_plane": ce_plane,
        "ceac": _ceac_table(ce_plane, order, table, settings,
                            generator(settings.seed, "ceac"), baseline),
    }


def wtp_grid(table: pd.DataFrame, settings: Settings) -> np.ndarray:
    """Willingness-to-pay grid: the stated range, or 0 to twice the largest finite ICER."""
    if settings.wtp is not None:
        low, high = settings.wtp
    else:
        icers = table["icer"].to_numpy(dtype=float) if "icer" in table else np.array([])
        icers = icers[np.isfinite(icers) & (icers > 0)]
        low, high = 0.0, (2.0 * float(icers.max()) if icers.size else FALLBACK_WTP_MAX)
    return np.linspace(low, high, WTP_STEPS)


def _ceac_table(ce_plane: pd.DataFrame, order: Sequence[str], table: pd.DataFrame,
                settings: Settings, rng: np.random.Generator, baseline: str) -> pd.DataFrame:
    """Acceptability curve from a joint paired bootstrap over the seeds all strategies share."""
    cost = ce_plane.pivot(index="replication", columns="strategy", values="incremental_cost")
    eff = ce_plane.pivot(index="replication", columns="strategy", values="incremental_effect")
    both = pd.concat([cost[list(order)], eff[list(order)]], axis=1).dropna()
    if both.empty:
        return pd.DataFrame(columns=["wtp", "strategy", "probability"])
    k = len(order)
    c, e = both.iloc[:, :k].to_numpy(dtype=float), both.iloc[:, k:].to_numpy(dtype=float)
    idx = bootstrap_indices(len(both), settings.resamples, rng)
    return ceac(c[idx].mean(axis=1), e[idx].mean(axis=1), order, wtp_grid(table, settings),
                baseline)


def messages(table: pd.DataFrame) -> list[str]:
    """One line per strategy with a note (undefined ICER, durability past the horizon...)."""
    if table is None or table.empty or "note" not in table:
        return []
    return [f"{r.strategy}: {r.note}" for r in table.itertuples(index=False)
            if isinstance(r.note, str) and r.note]


# --- display -----------------------------------------------------------------------------


def _number(value: float) -> str:
    """Compact number: EUR-sized values in k / M, small ones with 3 significant digits."""
    if not math.isfinite(value):
        return "–" if math.isnan(value) else ("∞" if value > 0 else "−∞")
    size = abs(value)
    if size >= 1e6:
        return f"{value / 1e6:.3g} M"
    if size >= 1e4:
        return f"{value / 1e3:.3g} k"
    return f"{value:.3g}"


def with_interval(mean: float, low: float, high: float) -> str:
    """"mean [low, high]", or just the mean when the interval is missing."""
    if not (math.isfinite(low) or math.isfinite(high)):
        return _number(mean)
    return f"{_number(mean)} [{_number(low)}, {_number(high)}]"


def display_rows(table: pd.DataFrame) -> list[tuple[str, dict[str, str]]]:
    """The counterfactual table as (measure label, {strategy: text}) rows, for the terminal
    and the report (one definition of what is shown and how)."""
    if table is None or table.empty:
        return []
    first = table.iloc[0]
    n_w, thr = int(first["durability_weeks"]), float(first["threshold"])
    week_i, week_f = int(first["end_intervention_week"]), int(first["final_week"])
    spec = [
        (f"effect at end of intervention, week {week_i} (points)", "effect_end_intervention"),
        (f"effect at end of run, week {week_f} (points)", "effect_final"),
        ("weeks to half of the maximum effect", "weeks_to_half_max"),
        (f"weeks to an effect of {thr:g} point(s)", "weeks_to_threshold"),
        (f"durability after intervention (E(week {week_i} + {n_w}) / E(week {week_i}))",
         "durability_after_intervention"),
        (f"durability after own peak (E(peak + {n_w}) / E(peak))", "durability_after_peak"),
        ("incremental cost over none (EUR)", "incremental_cost"),
        ("ICER: incremental cost per point (EUR)", "icer"),
    ]
    rows: list[tuple[str, dict[str, str]]] = []
    for text, col in spec:
        cells = {}
        for r in table.to_dict("records"):
            cell = with_interval(float(r[col]), float(r[f"{col}_low"]), float(r[f"{col}_high"]))
            if col.startswith("weeks_to"):
                cell += f" ({int(r[f'{col}_reached'])}/{int(r['n'])} seeds)"
            if col == "durability_after_peak" and int(r["peak_week"]) >= 0:
                cell += f" (peak week {int(r['peak_week'])})"
            cells[str(r["strategy"])] = cell
        rows.append((text, cells))
    return rows
