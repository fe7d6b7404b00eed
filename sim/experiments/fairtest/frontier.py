"""Equal-budget comparison: each strategy's cost-effectiveness frontier over its design levers.

Why: comparing the strategies' *defaults* says little about the strategies, because each
default spends a different budget. A policy evaluator asks: for the same money, which design
of which strategy aligns more, integrates more, lasts longer? So each strategy's design
levers are varied over a Latin hypercube (McKay, Beckman & Conover 1979; SciPy's ``qmc``),
every design runs on the same paired seeds as ``none``, and each strategy's frontier is the
set of designs that no other design of that strategy beats on both cost and effect
(pymoo's non-dominated sorting; Deb et al. 2002). The frontiers are then compared at a few
budget levels inside the cost range both strategies span: at each level, each strategy's
best affordable design is chosen on the sampling seeds and *re-run on fresh paired seeds*,
so the reported difference is not inflated by having picked the luckiest design (the
winner's curse of selecting and estimating on the same draws).

Definitions and yardsticks: docs/outcomes.md, "Equal budgets".
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.experiments import stats
from sim.experiments.counterfactual import BASELINE
from sim.experiments.fairtest.runs import (
    EFFECTS,
    FairTestError,
    Request,
    RunMeasures,
    design_summary,
    paired_effects,
)

#: Outcomes with a frontier, and the question each answers.
OUTCOMES = {
    "alignment_end": "aligns more (alignment over none at the end of the intervention)",
    "alignment_final": "lasts longer (alignment over none at the end of the run)",
    "integration_end": "integrates more (city divergence closed over none, end of "
                       "intervention)",
    "client_value_end": "serves clients better (client value over none, end of intervention)",
}

#: Short panel titles of the frontier figure.
TITLES = {
    "alignment_end": "aligns more: alignment, end of intervention",
    "alignment_final": "lasts longer: alignment, end of run",
    "integration_end": "integrates more: city divergence closed, end of intervention",
    "client_value_end": "client value, end of intervention",
}

#: The two strategies compared; differences are second − first.
PAIR = ("training", "teams")

#: Seeds of the re-runs start here (far from the sampling seeds 0, 1, ...).
FRESH_SEED_OFFSET = 100_000

#: Budget levels, as shares of the cost range both strategies' frontiers span.
BUDGET_SHARES = (0.25, 0.5, 0.75)


@dataclass(frozen=True)
class Lever:
    """A design lever: a scenario parameter a strategy's designer sets, and its range.

    Attributes:
        path: dotted scenario path.
        low, high: the sampled range (bounds included).
        kind: ``int``, ``float`` or ``bool`` (a bool is on in the upper half of [0, 1)).
        why: what the lever is and where the range comes from.
    """

    path: str
    low: float
    high: float
    kind: str
    why: str

    def value(self, u: float) -> Any:
        """The lever's value at the unit-interval coordinate ``u``."""
        if self.kind == "bool":
            return bool(u >= 0.5)
        if self.kind == "int":
            lo, hi = int(self.low), int(self.high)
            return int(min(hi, lo + math.floor(u * (hi - lo + 1))))
        return float(round(self.low + u * (self.high - self.low), 6))


LEVERS: dict[str, tuple[Lever, ...]] = {
    "training": (
        Lever("training.cohort_size", 5, 40, "int",
              "trainees a week: a quarter to twice the case's 20 (everyone trained in half a "
              "year to four years)"),
        Lever("training.days_per_trainee", 1.0, 8.0, "float",
              "programme length, the dose (cost and effect through the dose-response curve): "
              "one day to two weeks"),
        Lever("training.refresher", 0, 1, "bool", "retrain everyone once all are trained"),
    ),
    "teams": (
        Lever("teams.theme_count", 1, 9, "int",
              "themes with a sponsor and a team: one to all listed (capped at the scenario's "
              "themes)"),
        Lever("teams.sponsor_invitations", 2, 16, "int",
              "sponsor reach: contacts a sponsor invites a week, a quarter to twice the case's 8"),
        Lever("teams.open_call_reach", 0, 30, "int",
              "open-call reach: employees a week who consider the call (0 = no open call in "
              "effect), up to 2.5 times the case's 12"),
        Lever("teams.max_size", 6, 25, "int", "team size cap (the case: 15)"),
        Lever("teams.session_hours", 0.5, 6.0, "float",
              "session hours per member a week: one sixth to twice the case's 3"),
        Lever("teams.coachee_hours", 0.25, 3.0, "float",
              "coaching: member hours per support round, a quarter to three times the case's 1"),
    ),
}
"""The design levers of each strategy (issue 14, point 2), with documented ranges."""


def levers_for(strategy: str, scenario: Any) -> tuple[Lever, ...]:
    """The strategy's levers, with ranges that the scenario accepts.

    ``teams.theme_count`` is capped at the scenario's number of themes and
    ``teams.max_size`` starts at ``teams.min_size``.
    """
    if strategy not in LEVERS:
        raise FairTestError(f"strategies: no design levers for {strategy!r}; known: "
                            f"{', '.join(LEVERS)}")
    out = []
    for lever in LEVERS[strategy]:
        if lever.path == "teams.theme_count":
            lever = Lever(lever.path, lever.low, min(lever.high, len(scenario.themes)),
                          lever.kind, lever.why)
        if lever.path == "teams.max_size":
            lever = Lever(lever.path, max(lever.low, scenario.teams.min_size), lever.high,
                          lever.kind, lever.why)
        out.append(lever)
    return tuple(out)


def latin_hypercube(levers: Sequence[Lever], n: int, seed: int) -> list[dict[str, Any]]:
    """``n`` designs from a Latin hypercube over the levers (SciPy ``qmc``, seeded)."""
    from scipy.stats import qmc

    if n < 1:
        raise FairTestError(f"designs: need at least 1 design per strategy, got {n}")
    unit = qmc.LatinHypercube(d=len(levers), rng=np.random.default_rng(seed)).random(n)
    return [{lv.path: lv.value(float(u)) for lv, u in zip(levers, row, strict=True)}
            for row in unit]


def design_table(scenario: Any, n: int, seed: int, strategies: Sequence[str] = PAIR
                 ) -> pd.DataFrame:
    """Every design to run: per strategy its default (the scenario as it is) and ``n``
    Latin-hypercube designs. Columns label, strategy, params (a dict)."""
    rows = []
    for k, strategy in enumerate(strategies):
        rows.append({"label": f"{strategy}:default", "strategy": strategy, "params": {}})
        for i, params in enumerate(latin_hypercube(levers_for(strategy, scenario), n,
                                                   seed + k)):
            rows.append({"label": f"{strategy}:{i}", "strategy": strategy, "params": params})
    return pd.DataFrame(rows)


def requests_for(designs: pd.DataFrame, seeds: Sequence[int]) -> list[Request]:
    """``none`` on every seed, then every design on every seed (paired)."""
    reqs = [Request(BASELINE, BASELINE, int(s)) for s in seeds]
    for d in designs.itertuples(index=False):
        reqs += [Request(d.label, d.strategy, int(s), dict(d.params)) for s in seeds]
    return reqs


def pareto_mask(cost: np.ndarray, effect: np.ndarray) -> np.ndarray:
    """True for the designs on the frontier: no other design costs less *and* does better.

    pymoo's non-dominated sorting on (cost, −effect), both minimised; designs with an
    undefined value are never on the frontier.
    """
    from pymoo.util.nds.non_dominated_sorting import NonDominatedSorting

    c, e = np.asarray(cost, dtype=float), np.asarray(effect, dtype=float)
    ok = np.isfinite(c) & np.isfinite(e)
    mask = np.zeros(c.size, dtype=bool)
    if not ok.any():
        return mask
    idx = np.flatnonzero(ok)
    front = NonDominatedSorting().do(np.column_stack([c[ok], -e[ok]]),
                                     only_non_dominated_front=True)
    mask[idx[np.asarray(front, dtype=int)]] = True
    return mask


def frontiers(summary: pd.DataFrame, outcomes: Sequence[str] = tuple(OUTCOMES)
              ) -> pd.DataFrame:
    """Frontier membership per design and outcome: columns ``on_front_<outcome>``."""
    out = summary.copy()
    for outcome in outcomes:
        col = np.zeros(len(out), dtype=bool)
        for _, sub in out.groupby("strategy", sort=False):
            col[sub.index.to_numpy()] = pareto_mask(sub["total_cost"].to_numpy(),
                                                    sub[outcome].to_numpy())
        out[f"on_front_{outcome}"] = col
    return out


def budget_levels(summary: pd.DataFrame, pair: Sequence[str] = PAIR,
                  shares: Sequence[float] = BUDGET_SHARES) -> list[float]:
    """Budgets (total cost, EUR) at ``shares`` of the cost range both strategies span.

    Raises:
        FairTestError: the strategies' cost ranges do not overlap (no equal budget exists).
    """
    spans = {s: (summary.loc[summary["strategy"] == s, "total_cost"].min(),
                 summary.loc[summary["strategy"] == s, "total_cost"].max()) for s in pair}
    low = max(lo for lo, _ in spans.values())
    high = min(hi for _, hi in spans.values())
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        text = "; ".join(f"{s} EUR {lo / 1e6:.2f}-{hi / 1e6:.2f} M" for s, (lo, hi)
                         in spans.items())
        raise FairTestError(f"budgets: the strategies' costs do not overlap ({text}); widen "
                            "the levers or add designs")
    return [float(low + f * (high - low)) for f in shares]


def best_within(summary: pd.DataFrame, strategy: str, outcome: str, budget: float
                ) -> str | None:
    """The strategy's design with the largest mean ``outcome`` at a total cost <= budget."""
    sub = summary[(summary["strategy"] == strategy) & (summary["total_cost"] <= budget)]
    sub = sub[np.isfinite(sub[outcome].to_numpy(dtype=float))]
    if sub.empty:
        return None
    return str(sub.loc[sub[outcome].idxmax(), "label"])


def choices(summary: pd.DataFrame, budgets: Sequence[float], pair: Sequence[str] = PAIR,
            outcomes: Sequence[str] = tuple(OUTCOMES)) -> pd.DataFrame:
    """Per budget and outcome, each strategy's best affordable design (chosen on the
    sampling seeds)."""
    rows = []
    for b, budget in enumerate(budgets):
        for outcome in outcomes:
            row: dict[str, Any] = {"budget_level": b, "budget": budget, "outcome": outcome}
            for strategy in pair:
                row[strategy] = best_within(summary, strategy, outcome, budget)
            rows.append(row)
    return pd.DataFrame(rows)


def compare_at_budgets(chosen: pd.DataFrame, effects: pd.DataFrame,
                       pair: Sequence[str] = PAIR, level: float = stats.DEFAULT_LEVEL
                       ) -> pd.DataFrame:
    """Paired differences second − first of the chosen designs on the fresh seeds.

    For each budget level and outcome: both designs' mean effect over ``none``, the paired
    difference with its t interval, the difference in total cost, and the verdict (which
    strategy's interval-backed advantage, or "no difference").
    """
    first, second = pair
    rows = []
    for r in chosen.itertuples(index=False):
        a, b = getattr(r, first), getattr(r, second)
        row: dict[str, Any] = {"budget_level": r.budget_level, "budget": r.budget,
                               "outcome": r.outcome, f"{first}_design": a,
                               f"{second}_design": b}
        if a is None or b is None:
            row["verdict"] = "no affordable design for " + (first if a is None else second)
            rows.append(row)
            continue
        ea = effects[effects["label"] == a].set_index("seed").sort_index()
        eb = effects[effects["label"] == b].set_index("seed").sort_index()
        seeds = ea.index.intersection(eb.index)
        ea, eb = ea.loc[seeds], eb.loc[seeds]
        for name, frame in ((first, ea), (second, eb)):
            row[f"{name}_effect"] = float(frame[r.outcome].mean())
            row[f"{name}_cost"] = float(frame["total_cost"].mean())
        diff = stats.paired_difference(eb[r.outcome].to_numpy(), ea[r.outcome].to_numpy(),
                                       level)
        cost = stats.paired_difference(eb["total_cost"].to_numpy(),
                                       ea["total_cost"].to_numpy(), level)
        row.update({"difference": diff.mean_diff, "low": diff.low, "high": diff.high,
                    "p_value": diff.p_value, "cost_difference": cost.mean_diff,
                    "cost_low": cost.low, "cost_high": cost.high, "n": diff.n})
        if diff.low > 0:
            row["verdict"] = f"{second} more"
        elif diff.high < 0:
            row["verdict"] = f"{first} more"
        else:
            row["verdict"] = "no difference shown"
        rows.append(row)
    table = pd.DataFrame(rows)
    if "p_value" in table:
        ok = table["p_value"].notna()
        table.loc[ok, "p_bh"] = stats.fdr_bh(table.loc[ok, "p_value"].to_numpy())
    return table


@dataclass
class EqualBudgetResult:
    """Everything the equal-budget experiment measured (tables in plain pandas)."""

    designs: pd.DataFrame      # label, strategy, params
    summary: pd.DataFrame      # per design: means, intervals, durability, on_front_*
    effects: pd.DataFrame      # per design and sampling seed: effects over none
    budgets: list[float]
    chosen: pd.DataFrame       # per budget and outcome: each strategy's chosen design
    comparison: pd.DataFrame   # per budget and outcome: the fresh-seed paired difference
    settings: dict[str, Any]


def equal_budget(measure: RunMeasures, scenario: Any, designs_per_strategy: int,
                 seeds: int, fresh_seeds: int, design_seed: int = 0,
                 pair: Sequence[str] = PAIR, shares: Sequence[float] = BUDGET_SHARES,
                 level: float = stats.DEFAULT_LEVEL) -> EqualBudgetResult:
    """Run the whole equal-budget experiment.

    Args:
        measure: runs requests and returns their measures (``executor_measures``).
        scenario: the loaded scenario (for the lever ranges).
        designs_per_strategy: Latin-hypercube designs per strategy (plus its default).
        seeds: paired sampling seeds 0 .. seeds-1 per design.
        fresh_seeds: paired seeds of the re-runs (from FRESH_SEED_OFFSET).
        design_seed: seed of the Latin hypercube.
        pair: the two strategies; differences are second − first.
        shares: budget levels as shares of the common cost range.
        level: confidence level.
    """
    if seeds < 2 or fresh_seeds < 2:
        raise FairTestError("seeds: need at least 2 sampling and 2 fresh seeds for intervals")
    designs = design_table(scenario, designs_per_strategy, design_seed, pair)
    sample_seeds = list(range(seeds))
    effects = paired_effects(measure(requests_for(designs, sample_seeds)))
    summary = frontiers(design_summary(effects, level))
    budgets = budget_levels(summary, pair, shares)
    chosen = choices(summary, budgets, pair)
    labels = sorted({x for s in pair for x in chosen[s] if x is not None})
    rerun = designs[designs["label"].isin(labels)]
    fresh = list(range(FRESH_SEED_OFFSET, FRESH_SEED_OFFSET + fresh_seeds))
    fresh_effects = paired_effects(measure(requests_for(rerun, fresh)))
    comparison = compare_at_budgets(chosen, fresh_effects, pair, level)
    settings = {"designs_per_strategy": designs_per_strategy, "seeds": sample_seeds,
                "fresh_seeds": [fresh[0], fresh[-1]], "design_seed": design_seed,
                "pair": list(pair), "budget_shares": list(shares), "level": level,
                "levers": {s: [lv.__dict__ for lv in levers_for(s, scenario)] for s in pair}}
    return EqualBudgetResult(designs, summary, effects, budgets, chosen, comparison, settings)


def params_text(params: Mapping[str, Any]) -> str:
    """A design's overrides as one short line (``default`` for none)."""
    if not params:
        return "default"
    return ", ".join(f"{k.split('.', 1)[1]}={v:.3g}" if isinstance(v, float) and not
                     isinstance(v, bool) else f"{k.split('.', 1)[1]}={v}"
                     for k, v in params.items())


def comparison_markdown(result: EqualBudgetResult) -> str:
    """The fresh-seed comparison at each budget as a Markdown table (for docs/results.md)."""
    first, second = result.settings["pair"]
    params = dict(zip(result.designs["label"], result.designs["params"], strict=True))
    n_fresh = result.settings["fresh_seeds"][1] - result.settings["fresh_seeds"][0] + 1
    comp = result.comparison
    tested = int(comp["p_value"].notna().sum()) if "p_value" in comp else 0
    lines = [f"Best affordable design of each strategy per budget (chosen on "
             f"{len(result.settings['seeds'])} sampling seeds), re-run on {n_fresh} fresh "
             f"paired seeds; difference {second} − {first} with 95 % interval "
             f"(Benjamini-Hochberg adjusted p over the table's {tested} comparisons).", "",
             f"| budget, EUR M | question | {first} | {second} | {second} − {first} "
             f"[95 % CI] | cost difference, EUR M | p (BH) | verdict |",
             "|---|---|---|---|---|---|---|---|"]
    for r in result.comparison.to_dict("records"):
        if "difference" not in r or not isinstance(r.get("difference"), float) \
                or math.isnan(r["difference"]):
            lines.append(f"| {r['budget'] / 1e6:.2f} | {r['outcome']} | | | | | | "
                         f"{r['verdict']} |")
            continue
        lines.append(
            f"| {r['budget'] / 1e6:.2f} | {OUTCOMES[r['outcome']].split(' (')[0]} | "
            f"{r[first + '_effect']:.2f} ({params_text(params[r[first + '_design']])}) | "
            f"{r[second + '_effect']:.2f} ({params_text(params[r[second + '_design']])}) | "
            f"{r['difference']:+.2f} [{r['low']:+.2f}, {r['high']:+.2f}] | "
            f"{r['cost_difference'] / 1e6:+.2f} [{r['cost_low'] / 1e6:+.2f}, "
            f"{r['cost_high'] / 1e6:+.2f}] | {r['p_bh']:.3g} | {r['verdict']} |")
    return "\n".join(lines) + "\n"


def save(result: EqualBudgetResult, out: Any) -> list[Any]:
    """Write the result's tables (CSV) and settings (JSON) into ``out``; return the paths."""
    from pathlib import Path

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    designs = result.designs.assign(params=[json.dumps(p, sort_keys=True)
                                            for p in result.designs["params"]])
    paths = []
    for name, table in (("designs", designs), ("design_summary", result.summary),
                        ("design_effects", result.effects), ("budget_choices", result.chosen),
                        ("budget_comparison", result.comparison)):
        path = out / f"{name}.csv"
        table.to_csv(path, index=False, float_format="%.10g")
        paths.append(path)
    settings = {**result.settings, "budgets": result.budgets}
    path = out / "equal_budget.json"
    path.write_text(json.dumps(settings, indent=2, default=str) + "\n", encoding="utf-8")
    md = out / "equal_budget.md"
    md.write_text(comparison_markdown(result), encoding="utf-8")
    return [*paths, path, md]


__all__ = ["EFFECTS", "LEVERS", "OUTCOMES", "EqualBudgetResult", "Lever", "equal_budget",
           "pareto_mask"]
