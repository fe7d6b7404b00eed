"""Derived outcomes of one run: the numbers a strategy comparison is about.

A run returns weekly model-level series and agent snapshots. The case's claim is that the
team approach is *fast*, *durable* and *cheap* compared with training, and DESIGN section 3
names four derived outcomes to test it. Their operational definitions (also in
docs/outcomes.md):

* **Time to integration** (weeks): the first week at which the divergence between the
  cities' cultures (``city_divergence``) has fallen to at most ``1 - reduction`` of its
  week-0 value (default: halved) *and stays there* for ``sustain`` consecutive weeks
  (default 4), so one noisy dip does not count. Undefined (NaN, "censored") when it is never
  reached within the horizon; ``integration_reached`` (0/1) records which runs reached it.
  ``weeks_to_alignment`` is the same rule applied to ``distance_to_target``.
* **Durability** (ratio): the share of the alignment gained during the intervention that is
  still there at the end of the follow-up, (d_0 - d_F) / (d_0 - d_I), with d the distance
  to the target culture at week 0, at the end of the intervention (I) and at the final
  week (F). 1 = all kept, below 1 = decay, above 1 = kept improving. Undefined when the
  intervention gained less than ``MIN_GAIN`` or there is no follow-up.
* **Cost per unit of alignment gained** (EUR per percentage point): total cost at the final
  week divided by the durable alignment gain 100 (d_0 - d_F). Undefined when nothing was
  gained (an infinite price); 0 when there was a gain at no cost.
* **Acculturation mode per city** (Berry 1980; Nahavandi & Malekzadeh 1988), from the agent
  snapshots at week 0 and the final snapshot. Nahavandi & Malekzadeh describe how a merging
  partner's culture relates to the others': it joins them in a blend to which both sides
  contribute (*integration*), is absorbed into theirs (*assimilation*), stays apart
  (*separation*), or loses its own culture without joining theirs (*deculturation*). With
  m_c the mean value vector of city c and m_o that of all employees of the other cities:

  - *convergence* K = 1 - |m_c(end) - m_o(end)| / |m_c(0) - m_o(0)|: the share of the
    initial cultural gap between the city and the rest of the organisation that has closed
    (Berry's "contact and participation").
  - *own share* of the movement ρ = |Δm_c| / (|Δm_c| + |Δm_o|): who did the moving. Near
    1 the city alone gave up its culture; around 0.5 both sides moved (mutual contribution).
  - *movement* M = |Δm_c| / |m_c(0) - m_o(0)|: how far the city left its original culture,
    relative to the gap it started with (Berry's "maintenance of one's own culture", reversed).

  Rules: K >= 0.5 and ρ <= 0.75 → integration; K >= 0.5 and ρ > 0.75 → assimilation;
  K < 0.5 and M < 0.5 → separation; K < 0.5 and M >= 0.5 → deculturation (it left its
  culture but did not come closer to the others). ``target_adoption``, the share of the
  city's initial distance to management's stated target culture that it closed, is
  reported beside the mode but does not decide it. The thresholds are stated assumptions,
  not calibrated values.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from sim.metrics import OUTPUTS

MIN_GAIN = 1e-3
"""Smallest alignment gain (normalised distance units) treated as a gain; below it ratios
are undefined. An assumption: about a tenth of a percentage point of the [0, 1] scale."""

INTEGRATION_REDUCTION = 0.5
"""Share of the week-0 city divergence that must be gone for "integrated" (assumption)."""

SUSTAIN_WEEKS = 4
"""Consecutive weeks a threshold must hold to count as reached (assumption: one month)."""

CONVERGENCE_THRESHOLD = 0.5
"""Convergence K at or above which a city is said to have joined the others (assumption)."""

UNILATERAL_SHARE = 0.75
"""Own share of movement above which convergence is one-sided: 3 : 1 (assumption)."""

MOVEMENT_THRESHOLD = 0.5
"""Movement M at or above which a city is said to have left its own culture (assumption)."""

MODES = ("integration", "assimilation", "separation", "deculturation")
"""Acculturation modes of Nahavandi & Malekzadeh (1988), after Berry."""

SNAPSHOT_METRICS = OUTPUTS
"""Weekly metrics whose value at the end of the intervention and at the end are reported."""

def _info(kind: str) -> dict[str, tuple[str, str]]:
    from sim.experiments import observables

    source = observables.weekly() if kind == "weekly" else \
        {o.name: o for o in observables.DERIVED}
    return {name: (o.label, o.unit) for name, o in source.items()}


def __getattr__(name: str) -> dict[str, tuple[str, str]]:
    """``METRIC_INFO`` and ``OUTCOME_INFO``: label and unit per weekly metric and per derived
    outcome, read from the registry (``sim.experiments.observables``), which declares them once."""
    if name == "METRIC_INFO":
        return _info("weekly")
    if name == "OUTCOME_INFO":
        return _info("derived")
    raise AttributeError(f"module 'sim.experiments.outcomes' has no attribute {name!r}")


def label(name: str) -> str:
    """Axis label "Label (unit)" for a weekly metric or a derived outcome column."""
    from sim.experiments.observables import label as _label

    return _label(name)


def first_sustained_week(
    weeks: Sequence[int] | np.ndarray,
    condition: Sequence[bool] | np.ndarray,
    sustain: int = SUSTAIN_WEEKS,
) -> float:
    """First week from which ``condition`` holds for ``sustain`` consecutive weeks.

    A streak still shorter than ``sustain`` when the run ends does not count: the run is
    censored (conservative; a one-week dip in the last week is not integration). Returns
    NaN when never reached.
    """
    w = np.asarray(weeks)
    c = np.asarray(condition, dtype=bool)
    run_len = 0
    for i in range(c.size):
        run_len = run_len + 1 if c[i] else 0
        start = i - run_len + 1
        if run_len >= sustain:
            return float(w[start])
    return math.nan


def time_to_reduction(
    ts: pd.DataFrame,
    column: str,
    reduction: float = INTEGRATION_REDUCTION,
    sustain: int = SUSTAIN_WEEKS,
) -> float:
    """Weeks until ``column`` is at most (1 - reduction) of its week-0 value, sustained."""
    if not ts["week"].is_monotonic_increasing:
        ts = ts.sort_values("week")
    start = float(ts[column].iloc[0])
    if not math.isfinite(start) or start <= 0:
        return math.nan
    cond = ts[column].to_numpy(dtype=float) <= (1.0 - reduction) * start
    return first_sustained_week(ts["week"].to_numpy(), cond, sustain)


def run_outcomes(ts: pd.DataFrame, meta: Mapping[str, Any]) -> dict[str, float]:
    """All scalar derived outcomes of one run (every run outcome of
    ``sim.experiments.observables``).

    Args:
        ts: the run's weekly timeseries (week 0 = initial state).
        meta: the run's metadata; ``intervention_weeks`` is used.

    Returns:
        Flat dict: ``<metric>_end_intervention`` and ``<metric>_final`` for every weekly
        metric present in ``ts``, the case's derived outcomes, and plugins' outcomes.
    """
    from sim.experiments.observables import evaluate

    return evaluate(ts, meta)


def value_columns(agents: pd.DataFrame) -> list[str]:
    """The ``value_<dimension>`` columns of an agent snapshot, in table order."""
    return [c for c in agents.columns if c.startswith("value_")]


def classify_mode(
    convergence: float,
    own_share: float,
    movement: float,
    convergence_threshold: float = CONVERGENCE_THRESHOLD,
    unilateral_share: float = UNILATERAL_SHARE,
    movement_threshold: float = MOVEMENT_THRESHOLD,
) -> str:
    """Map the three scores to a mode of Nahavandi & Malekzadeh; "undefined" if missing."""
    if not (math.isfinite(convergence) and math.isfinite(movement)):
        return "undefined"
    if convergence >= convergence_threshold:
        unilateral = math.isfinite(own_share) and own_share > unilateral_share
        return "assimilation" if unilateral else "integration"
    return "deculturation" if movement >= movement_threshold else "separation"


def acculturation(
    agents: pd.DataFrame,
    target: Mapping[str, float] | None = None,
    start_week: int | None = None,
    end_week: int | None = None,
) -> pd.DataFrame:
    """Acculturation mode per city between two agent snapshots.

    Args:
        agents: agent snapshots with week, city and value_<dim> columns.
        target: target culture, dimension name -> value in [0, 1] (for target_adoption).
        start_week: the "before" snapshot (default: the earliest).
        end_week: the "after" snapshot (default: the latest).

    Returns:
        One row per city: city, headcount_start, headcount_end, convergence, own_share,
        movement, target_adoption, mode. A city without the other cities to compare with,
        or missing from a snapshot, gets NaN scores and mode "undefined".
    """
    cols = value_columns(agents)
    dims = [c.removeprefix("value_") for c in cols]
    t = np.array([float(target[d]) for d in dims]) if target else None
    weeks = sorted(agents["week"].unique())
    snap0 = agents[agents["week"] == (weeks[0] if start_week is None else start_week)]
    snap1 = agents[agents["week"] == (weeks[-1] if end_week is None else end_week)]
    rows = []
    cities = list(dict.fromkeys([*snap0["city"], *snap1["city"]]))
    for city in cities:
        parts = [
            snap.loc[mask, cols].to_numpy(dtype=float)
            for snap in (snap0, snap1)
            for mask in (snap["city"] == city, snap["city"] != city)
        ]
        a0, o0, a1, o1 = parts
        nan = math.nan
        conv = share = move = adopt = nan
        if all(len(p) for p in parts):
            m0, m1, r0, r1 = a0.mean(axis=0), a1.mean(axis=0), o0.mean(axis=0), o1.mean(axis=0)
            gap0 = float(np.linalg.norm(m0 - r0))
            own, other = float(np.linalg.norm(m1 - m0)), float(np.linalg.norm(r1 - r0))
            if gap0 > 0:
                conv = 1.0 - float(np.linalg.norm(m1 - r1)) / gap0
                move = own / gap0
            share = own / (own + other) if own + other > 0 else nan
            if t is not None and float(np.linalg.norm(m0 - t)) > 0:
                adopt = 1.0 - float(np.linalg.norm(m1 - t)) / float(np.linalg.norm(m0 - t))
        rows.append(
            {
                "city": city,
                "headcount_start": len(a0),
                "headcount_end": len(a1),
                "convergence": conv,
                "own_share": share,
                "movement": move,
                "target_adoption": adopt,
                "mode": classify_mode(conv, share, move),
            }
        )
    return pd.DataFrame(rows)


def mode_shares(table: pd.DataFrame, by: Sequence[str] = ("strategy", "city")) -> pd.DataFrame:
    """Share of runs in each acculturation mode, per strategy and city.

    Args:
        table: per-run acculturation rows with the ``by`` columns and ``mode``.
        by: grouping columns.

    Returns:
        One row per group: the group columns, n, a share column per mode (and
        ``undefined`` if any), ``modal_mode`` and the mean of each score.
    """
    keys = list(by)
    counts = pd.crosstab([table[k] for k in keys], table["mode"])
    for mode in MODES:
        if mode not in counts.columns:
            counts[mode] = 0
    ordered = list(MODES) + [c for c in counts.columns if c not in MODES]
    counts = counts[ordered]
    n = counts.sum(axis=1)
    shares = counts.div(n, axis=0)
    shares.columns = [f"share_{c}" for c in shares.columns]
    out = shares.copy()
    out.insert(0, "n", n)
    out["modal_mode"] = counts.idxmax(axis=1)
    scores = [c for c in ("convergence", "own_share", "movement", "target_adoption")
              if c in table.columns]
    means = table.groupby(keys)[scores].mean()
    out = out.join(means.add_prefix("mean_"))
    return out.reset_index()
