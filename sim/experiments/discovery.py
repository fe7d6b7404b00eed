"""Scenario discovery: where in parameter space does one strategy beat another?

A sweep gives, per parameter point, paired runs of two strategies (same seeds: common
random numbers). A point is a *case of interest* when the first strategy beats the second
on an outcome, averaged over replications. PRIM, the Patient Rule Induction Method
(Friedman & Fisher 1999), as used for scenario discovery by Bryant & Lempert (2010), then
finds boxes (ranges per parameter) that hold many of those points (coverage) and few
others (density). We use the EMA Workbench's PRIM (Kwakkel 2017), a maintained
implementation built for exactly this use.

Example question: "where does ``teams`` beat ``training`` on ``distance_to_target`` at
week 156?" -> ``Question(better="teams", worse="training", outcome="distance_to_target",
week=156)``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

#: PRIM's default peeling step and minimum box mass (Friedman & Fisher 1999: 0.05).
PEEL_ALPHA = 0.05
MASS_MIN = 0.05
#: A box is chosen on the peeling trajectory as the widest one at most this much less dense
#: than the densest box on it.
DENSITY_SLACK = 0.05


@dataclass(frozen=True)
class Question:
    """Which strategy is hoped to win, against which, on what, and when.

    Attributes:
        better: the strategy whose win is the case of interest.
        worse: the strategy it is compared with.
        outcome: a weekly output (``distance_to_target``, ``cost_cum``, ...) or a run
            outcome (``durability``, ``weeks_to_integration``, ...; at week "final").
        week: the week to compare at, or "final" (each run's last recorded week).
        margin: how much better counts as a win (in the outcome's unit; default 0).
        direction: "lower" or "higher" is better; default: the outcome's own direction,
            as the registry declares it (``sim.experiments.observables``).
    """

    better: str
    worse: str
    outcome: str
    week: int | Literal["final"] = "final"
    margin: float = 0.0
    direction: Literal["lower", "higher"] | None = None

    @property
    def lower_is_better(self) -> bool:
        """Whether a lower outcome value is the better one."""
        if self.direction is not None:
            return self.direction == "lower"
        from sim.experiments.observables import get

        return get(self.outcome).better == "lower"

    def describe(self) -> str:
        """The question in words."""
        when = "at the end" if self.week == "final" else f"at week {self.week}"
        return f"where does {self.better} beat {self.worse} on {self.outcome} {when}?"


def paired_cases(out: Path | str, question: Question) -> tuple[pd.DataFrame, pd.Series]:
    """Parameter values and mean paired advantage of ``better`` over ``worse`` per point.

    Read through the engine's reader (``sim.experiments.results.load_results``): any weekly output
    at a
    recorded week, and run outcomes and effects over ``none`` at the end. An effect declared
    as a ratio (ICER, durability of the effect) is compared as the ratio of its means per
    point and strategy; everything else as the mean over replications of the paired
    difference.

    Returns:
        (x, advantage): x has one row per parameter point and one column per swept
        parameter; advantage > margin means ``better`` wins there (positive is better,
        whatever the outcome's direction).

    Raises:
        ValueError: a strategy is not in the sweep, the week was not recorded, the two
            strategies' runs of a point and replication do not share a seed, or an effect
            is asked of an experiment without ``none``.
    """
    from sim.experiments.observables import per_point, registry
    from sim.experiments.results import load_results

    results = load_results(out)
    summary = results.experiments
    summary = summary[summary["status"] == "ok"]
    params = results.parameters or [c for c in summary.columns if "." in c]
    for name in (question.better, question.worse):
        if name not in set(summary["strategy"]):
            raise ValueError(f"question: strategy {name!r} is not in this sweep")
    outcome = question.outcome
    if question.week == "final":
        values = results.values([outcome])
    else:
        if outcome not in results.weekly_names():
            raise ValueError(f"question.week: {outcome} is one number per run; use the "
                             "final week")
        try:
            values = results.at_week(int(question.week), [outcome])
        except ValueError:
            raise ValueError(f"question.week: week {question.week} was not recorded") from None
    seeds = summary.pivot_table(index=["point", "replication"], columns="strategy",
                                values="seed", aggfunc="first")
    both = seeds[[question.better, question.worse]].dropna()
    if not (both[question.better] == both[question.worse]).all():
        raise ValueError("question: the two strategies' runs do not share seeds per point and "
                         "replication, so they cannot be paired")
    observable = registry().get(outcome)
    if observable is not None and observable.ratio is not None:
        pairs = values[values["replication"].isin(both.index.get_level_values("replication"))]
        wide = per_point(pairs, [outcome], ["point", "strategy"])[outcome].unstack("strategy")
        diff = wide[question.worse] - wide[question.better]
    else:
        wide = values.pivot_table(index=["point", "replication"], columns="strategy",
                                  values=outcome, aggfunc="first")
        diff = wide[question.worse] - wide[question.better]
    if not question.lower_is_better:
        diff = -diff
    advantage = diff.dropna()
    if "replication" in advantage.index.names:
        advantage = advantage.groupby(level="point").mean()
    if advantage.empty:
        raise ValueError(f"question.outcome: {outcome} is undefined at every point for "
                         f"{question.better} or {question.worse}")
    x = summary.drop_duplicates("point").set_index("point")[params].loc[advantage.index]
    return x, advantage


def _choose(box: Any, slack: float) -> int:
    """Index on the peeling trajectory: the widest box nearly as dense as the densest.

    Why: the last box on the trajectory is the densest but often tiny; the first is the
    whole space. Allowing ``slack`` below the best density trades a little purity for
    much more coverage, the usual choice in scenario discovery (Bryant & Lempert 2010).
    """
    traj = box.peeling_trajectory
    good = traj[traj["density"] >= traj["density"].max() - slack]
    return int(good["coverage"].idxmax())


def find_boxes(
    x: pd.DataFrame,
    cases: np.ndarray,
    max_boxes: int = 3,
    slack: float = DENSITY_SLACK,
    mass_min: float = MASS_MIN,
    trajectories_out: list[pd.DataFrame] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run PRIM and return the boxes' limits and their statistics.

    Args:
        x: parameter values, one row per point.
        cases: True where the point is a case of interest.
        max_boxes: stop after this many boxes.
        slack: choose each box as the widest one on its trajectory whose density is at
            most this much below the densest box's.
        mass_min: smallest share of points a box may hold.
        trajectories_out: each box's peeling trajectory is appended to this list: one row
            per step (box, step, coverage, density, mass, res_dim, n, chosen), what the
            EMA Workbench's ``show_tradeoff`` draws.

    Returns:
        (limits, stats): limits has one row per box and parameter (box, parameter, min,
        max, restricted, qp_min, qp_max: the quasi-p-values of the lower and upper limit,
        a one-sided binomial test of Bryant & Lempert (2010) that the restriction adds
        density by chance, as the Workbench computes them; empty where the side is not
        restricted); stats one row per box (box, coverage, density, mass, res_dim, n).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import prim

    x = x.reset_index(drop=True).copy()
    for col in x.columns:  # PRIM pastes fractional limits: keep every number a float
        if x[col].dtype == bool or pd.api.types.is_numeric_dtype(x[col]):
            x[col] = x[col].astype(float)
    y = np.asarray(cases, dtype=bool)
    limits: list[dict[str, Any]] = []
    stats: list[dict[str, Any]] = []
    if y.all() or not y.any():
        return (pd.DataFrame(columns=["box", "parameter", "min", "max", "restricted",
                                      "qp_min", "qp_max"]),
                pd.DataFrame(columns=["box", "coverage", "density", "mass", "res_dim", "n"]))
    with warnings.catch_warnings():  # the Workbench's own pandas deprecation notices
        warnings.simplefilter("ignore")
        finder = prim.Prim(x, y, peel_alpha=PEEL_ALPHA, mass_min=mass_min)
    initial = finder.box_init
    for number in range(1, max_boxes + 1):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            box = finder.find_box()
        if box is None:
            break
        chosen = _choose(box, slack)
        box.select(chosen)
        if float(box.coverage) <= 0.0:  # every case of interest is already in a box
            break
        lim = box.box_lim
        stats.append({"box": number, "coverage": float(box.coverage),
                      "density": float(box.density), "mass": float(box.mass),
                      "res_dim": int(box.res_dim), "n": len(box.yi)})
        if trajectories_out is not None:
            traj = box.peeling_trajectory[["coverage", "density", "mass", "res_dim", "n"]]
            trajectories_out.append(traj.assign(
                box=number, step=range(len(traj)),
                chosen=[i == chosen for i in range(len(traj))])[
                ["box", "step", "coverage", "density", "mass", "res_dim", "n", "chosen"]])
        qp = box.p_values[chosen] if chosen < len(box.p_values) else {}
        for col in x.columns:
            lo, hi = lim[col].iloc[0], lim[col].iloc[1]
            restricted = bool(lo != initial[col].iloc[0] or hi != initial[col].iloc[1])
            low_p, high_p = [*qp.get(col, [-1, -1]), -1, -1][:2]
            limits.append({"box": number, "parameter": col, "min": lo, "max": hi,
                           "restricted": restricted,
                           "qp_min": float(low_p) if low_p >= 0 else np.nan,
                           "qp_max": float(high_p) if high_p >= 0 else np.nan})
        if float(box.density) <= float(y.mean()):  # no better than chance: stop boxing
            break
    return pd.DataFrame(limits), pd.DataFrame(stats)


#: Trees in the extra-trees feature scoring (the EMA Workbench's default is 100).
FEATURE_TREES = 100


def feature_scores(x: pd.DataFrame, cases: np.ndarray, seed: int) -> pd.DataFrame:
    """How much each parameter tells wins from the rest: extra-trees feature scores.

    The EMA Workbench's ``get_ex_feature_scores`` (Jaxa-Rozen & Kwakkel 2018: extra trees,
    a third of the parameters tried per split), seeded so the same sweep gives the same
    scores. A score is the parameter's share of the trees' impurity decrease (they sum to
    1); unlike a PRIM box it also sees parameters that act through interactions.

    Returns:
        parameter, score: one row per parameter, highest score first.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import feature_scoring
        from ema_workbench.analysis.scenario_discovery_util import RuleInductionType

        scores, _ = feature_scoring.get_ex_feature_scores(
            x.reset_index(drop=True), np.asarray(cases, dtype=int),
            mode=RuleInductionType.CLASSIFICATION, nr_trees=FEATURE_TREES,
            max_features=max(1, round(x.shape[1] / 3)), random_state=seed)
    table = scores.reset_index()
    table.columns = ["parameter", "score"]
    return table


def cart_leaves(x: pd.DataFrame, cases: np.ndarray, seed: int,
                mass_min: float = MASS_MIN) -> pd.DataFrame:
    """A classification tree (CART, Breiman et al. 1984) of wins against the rest, as the
    EMA Workbench's ``CART`` reads it for scenario discovery: one box per leaf.

    The tree is scikit-learn's, grown on the Workbench's encoding of ``x`` with leaves of at
    least ``mass_min`` of the points and a fixed ``random_state`` (scikit-learn breaks ties
    between equally good splits at random, and grid designs have many).

    Returns:
        leaf, parameter, min, max, restricted, coverage, density, mass, res_dim: one row
        per leaf and parameter, leaves by density, densest first.
    """
    from sklearn.tree import DecisionTreeClassifier

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import cart

        frame = x.reset_index(drop=True).astype(float)
        y = np.asarray(cases, dtype=int)
        model = cart.CART(frame, y, mass_min=mass_min)
        model.clf = DecisionTreeClassifier(
            min_samples_leaf=max(1, int(mass_min * len(frame))), random_state=seed
        ).fit(model._x, y)
        boxes, stats = model.boxes, model.stats
    initial = frame.agg(["min", "max"])
    rows = []
    for box, st in zip(boxes, stats, strict=True):
        for col in frame.columns:
            lo, hi = float(box[col].iloc[0]), float(box[col].iloc[1])
            rows.append({"parameter": col, "min": lo, "max": hi,
                         "restricted": bool(lo > initial.loc["min", col]
                                            or hi < initial.loc["max", col]),
                         "coverage": float(st["coverage"]), "density": float(st["density"]),
                         "mass": float(st["mass"]), "res_dim": int(st["res dim"])})
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    order = table.groupby(["coverage", "density", "mass"], sort=False).ngroup()
    table.insert(0, "leaf", order + 1)
    ranked = (table.drop_duplicates("leaf").sort_values(["density", "mass"], ascending=False,
                                                         kind="stable")["leaf"].tolist())
    table["leaf"] = table["leaf"].map({old: new + 1 for new, old in enumerate(ranked)})
    return table.sort_values(["leaf"], kind="stable").reset_index(drop=True)


def answer(out: Path | str, question: Question, max_boxes: int = 3) -> dict[str, Any]:
    """Answer a question from a sweep's saved results: every table, nothing written.

    Returns:
        ``stem`` (``discovery_<better>_vs_<worse>_<outcome>``, the files' name), ``share``
        (of points where ``better`` wins), ``x`` and ``cases`` (the points and which are
        wins), the tables ``limits``, ``stats``, ``boxes`` (PRIM's limits with their
        quasi-p-values, joined with the box statistics and the question), ``trajectory``
        (each box's peeling trajectory), ``features`` (extra-trees feature scores) and
        ``cart`` (the leaves of a classification tree), ``asked`` (the question, as columns
        every table carries), ``where`` (what a win was, in words) and ``points``: per
        parameter point its values, the mean paired ``advantage`` and whether it is a
        ``win``. :func:`sim.presentation.analysis.discover` writes them with the figures.
    """
    from sim.experiments.results import load_results
    from sim.experiments.sensitivity import bootstrap_seed

    out = Path(out)
    x, advantage = paired_cases(out, question)
    cases = (advantage > question.margin).to_numpy()
    trajectories: list[pd.DataFrame] = []
    limits, stats = find_boxes(x, cases, max_boxes=max_boxes, trajectories_out=trajectories)
    stem = f"discovery_{question.better}_vs_{question.worse}_{question.outcome}"
    stem = stem.replace("+", "_plus_")
    manifest = load_results(out).manifest
    seed = bootstrap_seed(int((manifest.get("design") or {}).get("seed", 0) or 0),
                          int(manifest.get("base_seed", (manifest.get("seeds") or [0])[0])),
                          stem)
    mixed = 0 < cases.sum() < len(cases)
    features = feature_scores(x, cases, seed) if mixed else pd.DataFrame(
        columns=["parameter", "score"])
    tree = cart_leaves(x, cases, seed) if mixed else pd.DataFrame()
    trajectory = pd.concat(trajectories, ignore_index=True) if trajectories else pd.DataFrame(
        columns=["box", "step", "coverage", "density", "mass", "res_dim", "n", "chosen"])
    table = limits.merge(stats, on="box", how="left") if len(stats) else limits
    direction = "lower" if question.lower_is_better else "higher"
    asked = {"outcome": question.outcome, "week": str(question.week),  # the question, so
             "better": question.better, "worse": question.worse,      # each table says
             "direction": direction, "margin": question.margin}       # what a win was
    table = table.assign(**asked, peel_alpha=PEEL_ALPHA, mass_min=MASS_MIN)
    points = x.assign(advantage=advantage.to_numpy(), win=cases).reset_index()
    share = float(cases.mean()) if len(cases) else float("nan")
    where = (f"a win: {direction} by more than {question.margin:g}; PRIM peel "
             f"{PEEL_ALPHA:g}, minimum mass {MASS_MIN:g}")
    return {"stem": stem, "share": share, "x": x, "cases": cases, "limits": limits,
            "stats": stats, "boxes": table, "points": points, "trajectory": trajectory,
            "features": features, "cart": tree, "asked": asked, "where": where}
