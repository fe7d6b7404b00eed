"""What the verdict depends on: Sobol indices of the *paired differences* and PRIM boxes.

Why: the comparison of training and teams rests on parameters whose values are assumptions
(their ``source`` in ``sim/scenario.py`` says so; docs/ODD.md lists them). A verdict that
flips inside the plausible range of one assumption is that assumption's verdict, not the
model's. So the paired difference teams − training (and each strategy over ``none``) on
alignment, durability and the ICER is treated as a function of those assumptions, and its
variance is split with Sobol indices (first order S1 and total ST, Saltelli et al. 2010
estimators in SALib, bootstrap 95 % intervals). Three guards make the ranking readable:

* a **dummy parameter** that no run reads but that redraws each point's seed: its indices
  are the noise floor (the seed's and the estimator's), and a parameter matters only when
  its ST interval lies above the dummy's (Khorashadi Zadeh et al. 2017);
* a **convergence check**: the indices are recomputed on the first N/4, N/2 and N base
  samples of the same Sobol sequence (SALib's samples are prefixes of each other) and the
  largest change in ST between N/2 and N is reported;
* **paired seeds**: at every design point ``none``, ``training`` and ``teams`` run on the
  same (redrawn) seeds (common random numbers) and the difference is taken per seed first.

PRIM (Friedman & Fisher 1999, EMA Workbench, via ``sim.experiments.discovery.find_boxes``)
then finds the boxes of assumptions in which "teams align at least as much as training at the end of
the run, at equal or lower total cost" holds. Definitions: docs/outcomes.md.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.experiments.counterfactual import BASELINE, MIN_EFFECT, POINTS
from sim.experiments.fairtest.runs import FairTestError, Request, RunMeasures

PARAMETERS = (
    "training.dose",
    "training.days_half_effect",
    "teams.value_work_rate",
    "teams.session_convergence_rate",
    "teams.weight_theme_fit",
    "diffusion.weight",
    "costs.team_hour_eur",
    "costs.trainee_day_eur",
)
"""The assumptions analysed (all with an "assumption" source in sim/scenario.py): the training
content and its dose-response, the teams' value-work and session rates, self-selection on
theme fit, the carriers' influence, and the two prices that set the costs. Chosen as the
parameters the ablation (docs/results.md) shows carry each strategy's effect or cost, within
a 30-minute budget on 2 cores."""

RANGE_FACTOR = 0.5
"""Each parameter varies over default x [1 − f, 1 + f] (clipped to its allowed range): the
assumption stated as 'within half of the assumed value either way'."""

BOOTSTRAP_SEED = 20_141
"""Seed of SALib's bootstrap intervals, offset by the design seed. Why not the design seed
itself: SALib seeds its generator only for a truthy seed, so seed 0 would give intervals
that change from run to run."""

DUMMY = "dummy"
"""Name of the parameter that no run reads (the noise floor)."""

PAIR = ("training", "teams")

OUTPUTS = {
    "teams − training: alignment": "difference of the alignment effects over none at the end "
                                   "of the intervention (points)",
    "teams − training: durability": "difference of the durabilities E(F) / E(I) over none",
    "teams − training: ICER": "difference of the incremental costs per point of alignment at "
                              "the end of the run (EUR per point)",
    "teams − none: alignment": "alignment effect of teams over none, end of intervention",
    "training − none: alignment": "alignment effect of training over none, end of "
                                  "intervention",
    "teams − none: durability": "E(F) / E(I) of teams over none",
    "training − none: durability": "E(F) / E(I) of training over none",
    "teams − none: ICER": "incremental cost per point of teams (EUR per point)",
    "training − none: ICER": "incremental cost per point of training (EUR per point)",
}
"""Outputs of the analysis: the three paired differences, then each strategy over none."""

DIFFERENCES = tuple(k for k in OUTPUTS if k.startswith("teams − training"))

CLAIM = ("teams align at least as much as training at the end of the run, at equal or lower "
         "total cost")
"""The case's claim as PRIM tests it."""


def assumption_parameters(names: Sequence[str] = PARAMETERS) -> list[str]:
    """The names, checked to be scenario parameters whose source is an assumption.

    Raises:
        FairTestError: a name is not a parameter, or its source is not an assumption.
    """
    from sim.scenario import ScenarioError, describe_parameter

    for name in names:
        try:
            info = describe_parameter(name)
        except ScenarioError as exc:
            raise FairTestError(str(exc)) from None
        if "assumption" not in info.source.lower():
            raise FairTestError(f"{name}: its source is not an assumption ({info.source!r})")
    return list(names)


def problem(names: Sequence[str], scenario: Any | None = None,
            factor: float = RANGE_FACTOR) -> dict[str, Any]:
    """SALib problem over default x [1 − f, 1 + f] of each parameter, plus the dummy."""
    from sim.scenario import describe_parameter

    bounds = []
    for name in names:
        info = describe_parameter(name, scenario)
        low, high = info.default * (1 - factor), info.default * (1 + factor)
        if info.minimum is not None:
            low = max(low, info.minimum)
        if info.maximum is not None:
            high = min(high, info.maximum)
        bounds.append([float(low), float(high)])
    return {"num_vars": len(names) + 1, "names": [*names, DUMMY], "bounds": [*bounds, [0, 1]]}


def sobol_design(prob: Mapping[str, Any], n: int, seed: int = 0) -> np.ndarray:
    """Saltelli's design of N (D + 2) rows (first-order and total indices), seeded."""
    from SALib.sample import sobol

    if n < 2 or n & (n - 1):
        raise FairTestError(f"n: the Sobol base sample must be a power of 2 >= 2, got {n}")
    return sobol.sample(dict(prob), n, calc_second_order=False, seed=seed)


def point_requests(prob: Mapping[str, Any], design: np.ndarray, seeds: Sequence[int],
                   strategies: Sequence[str] = (BASELINE, *PAIR),
                   baseline_once: bool = False) -> list[Request]:
    """Runs of every design point under each strategy on each seed.

    The dummy column, when the problem has one, is read by no run's parameters but redraws
    the point's seeds (``sim.experiments.sweep.plan.dummy_seed``, as a sweep's
    ``[design] dummy`` does):
    every strategy at a point runs on the same redrawn seed, so the pairing holds, and a step
    in the dummy alone changes only the seed. Why: with one seed shared by every point the
    runs are a deterministic function of the parameters and the dummy's indices are exactly
    0; redrawn, they measure the seed's noise, the floor an index must clear to count.

    ``baseline_once``: run ``none`` once per (redrawn) seed, labelled ``none``, instead of at
    every point, for parameters that ``none`` does not read (``none_reads_none_of`` checks
    it). With the dummy a Saltelli design has two dummy values per base sample, so ``none``
    runs twice per base sample and seed.
    """
    from sim.experiments.sweep.plan import dummy_seed

    names = list(prob["names"])
    has_dummy = DUMMY in names
    reqs: list[Request] = []
    baselines: dict[int, None] = {}
    for i, row in enumerate(design):
        values = dict(zip(names, (float(v) for v in row), strict=True))
        dummy = values.pop(DUMMY, None)
        point_seeds = [dummy_seed(int(s), dummy) if has_dummy else int(s) for s in seeds]
        for strategy in strategies:
            if baseline_once and strategy == BASELINE:
                baselines.update(dict.fromkeys(point_seeds))
                continue
            reqs += [Request(str(i), strategy, s, values) for s in point_seeds]
    return [Request(BASELINE, BASELINE, s) for s in baselines] + reqs


def point_outputs(measures: pd.DataFrame, points: int) -> pd.DataFrame:
    """The analysed outputs per design point, from its paired runs.

    Per point and seed, each strategy's effect over the ``none`` run on that seed (at the
    same point, or the one ``none`` run per seed); then, per point, the mean effect, the
    durability and the ICER as ratios of means over seeds, and the differences teams −
    training. Also the columns the PRIM question needs (``cost_<s>``, ``final_<s>``).
    """
    cols = ["distance_to_target@end", "distance_to_target@final", "cost_cum@final"]
    ms = measures.set_index(["strategy", "label", "seed"])[cols].sort_index()
    labels = [str(i) for i in range(points)]
    out = pd.DataFrame({"point": range(points)})
    for strategy in PAIR:
        try:
            mine = ms.loc[strategy].reindex(labels, level="label")
        except KeyError:
            raise FairTestError(f"no {strategy} runs") from None
        index = mine.index
        if (BASELINE, labels[0]) in ms.index.droplevel("seed"):
            base = ms.loc[BASELINE].reindex(index)
        else:  # one none run per seed, shared by every point
            base = ms.loc[(BASELINE, BASELINE)].reindex(index.get_level_values("seed"))
            base.index = index
        if base.isna().any().any() or mine.isna().any().any():
            raise FairTestError(f"a point lacks its {strategy} or {BASELINE} run on a seed")
        per_seed = pd.DataFrame({
            "end": POINTS * (base[cols[0]] - mine[cols[0]]),
            "final": POINTS * (base[cols[1]] - mine[cols[1]]),
            "dcost": mine[cols[2]] - base[cols[2]],
            "cost": mine[cols[2]]}, index=index)
        mean = per_seed.groupby(level="label").mean().reindex(labels)
        end, final = mean["end"].to_numpy(), mean["final"].to_numpy()
        out[f"{strategy} − none: alignment"] = end
        out[f"{strategy} − none: durability"] = _ratio(final, end)
        out[f"{strategy} − none: ICER"] = _ratio(mean["dcost"].to_numpy(), final)
        out[f"final_{strategy}"] = final
        out[f"cost_{strategy}"] = mean["cost"].to_numpy()
    first, second = PAIR
    for what in ("alignment", "durability", "ICER"):
        out[f"{second} − {first}: {what}"] = (out[f"{second} − none: {what}"]
                                              - out[f"{first} − none: {what}"])
    return out


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """Element-wise num / den, NaN where den is below the smallest effect (as
    ``ratio_of_means``)."""
    ok = np.isfinite(den) & (den >= MIN_EFFECT)
    return np.where(ok, num / np.where(ok, den, 1.0), np.nan)


def convergence_sizes(n: int) -> list[int]:
    """Base sample sizes of the convergence check: N/4, N/2 and N (those >= 2)."""
    return [m for m in (n // 4, n // 2, n) if m >= 2]


def sobol_indices(prob: Mapping[str, Any], outputs: pd.DataFrame, n: int,
                  names: Sequence[str] = tuple(OUTPUTS), seed: int = BOOTSTRAP_SEED
                  ) -> tuple[pd.DataFrame, list[str]]:
    """Sobol S1 and ST with 95 % intervals per output, parameter and base sample size.

    Args:
        prob: the SALib problem the design was drawn from (dummy included).
        outputs: one row per design point in design order (``point_outputs``).
        n: the design's base sample size.
        names: the output columns to analyse.
        seed: bootstrap seed of the intervals (not 0: SALib leaves 0 unseeded).

    Returns:
        (table, messages): table with output, parameter, N, S1, S1_conf, ST, ST_conf; one
        message per output that cannot be analysed (an undefined value at some points: an
        effect below 0.1 point makes durability and ICER undefined there).
    """
    from sim.experiments.sensitivity import analyse

    rows_per_n = len(outputs) // n
    frames, messages = [], []
    for name in names:
        y = outputs[name].to_numpy(dtype=float)
        bad = int((~np.isfinite(y)).sum())
        if bad:
            messages.append(f"{name}: undefined at {bad} of {y.size} points (an effect over "
                            "none below 0.1 point), so it has no Sobol indices")
            continue
        constant = np.ptp(y) == 0.0
        if constant:
            messages.append(f"{name}: the same value at every point, so every index is 0")
        for m in convergence_sizes(n):
            with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
                if constant:  # SALib warns of the constant output named in the message
                    warnings.simplefilter("ignore", UserWarning)
                table = analyse(dict(prob), None, y[:m * rows_per_n], "sobol", seed=seed)
            wide = table.pivot(index="parameter", columns="index", values=["value", "conf"])
            frame = pd.DataFrame({
                "output": name, "parameter": list(prob["names"]), "N": m,
                "S1": wide[("value", "S1")].reindex(prob["names"]).to_numpy(),
                "S1_conf": wide[("conf", "S1")].reindex(prob["names"]).to_numpy(),
                "ST": wide[("value", "ST")].reindex(prob["names"]).to_numpy(),
                "ST_conf": wide[("conf", "ST")].reindex(prob["names"]).to_numpy()})
            frames.append(frame)
    cols = ["output", "parameter", "N", "S1", "S1_conf", "ST", "ST_conf"]
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)
    return table.fillna({"S1": 0.0, "ST": 0.0}), messages


def noise_floor(indices: pd.DataFrame) -> pd.DataFrame:
    """Per output and N: the dummy's ST upper end; and per parameter whether its ST lower
    end lies above it (``above_floor``) and the change of ST from the previous N."""
    out = indices.copy()
    dummy = out[out["parameter"] == DUMMY].set_index(["output", "N"])
    floor = dummy["ST"] + dummy["ST_conf"].fillna(0.0)
    out["floor"] = [floor.get((o, m), np.nan) for o, m in zip(out["output"], out["N"],
                                                               strict=True)]
    out["above_floor"] = (out["ST"] - out["ST_conf"].fillna(0.0)) > out["floor"]
    out = out.sort_values(["output", "parameter", "N"], kind="stable")
    out["ST_change"] = out.groupby(["output", "parameter"])["ST"].diff().abs()
    return out.reset_index(drop=True)


def deciding(indices: pd.DataFrame, outputs: Sequence[str] = DIFFERENCES, k: int = 3
             ) -> pd.DataFrame:
    """The ``k`` assumptions that decide the claim, from the teams − training differences at
    the full N (the dummy excluded).

    Each parameter is represented by its largest total index on an output where it lies
    above the noise floor (or, if on none, its largest index at all); parameters above the
    floor rank first, then by ST. Why: a large ST whose interval reaches the floor is an
    unconverged estimate, not a decisive assumption.
    """
    full = indices[(indices["N"] == indices["N"].max()) & indices["output"].isin(outputs)
                   & (indices["parameter"] != DUMMY)]
    cols = ["parameter", "output", "ST", "ST_conf", "S1", "S1_conf", "above_floor"]
    if full.empty:
        return pd.DataFrame(columns=cols)
    ranked = full.sort_values(["above_floor", "ST"], ascending=False, kind="stable")
    best = ranked.drop_duplicates("parameter")
    return best.head(k)[cols].reset_index(drop=True)


def claim_cases(outputs: pd.DataFrame) -> np.ndarray:
    """True at the points where teams align at least as much as training at the end of the
    run at an equal or lower total cost."""
    first, second = PAIR
    return ((outputs[f"final_{second}"] >= outputs[f"final_{first}"])
            & (outputs[f"cost_{second}"] <= outputs[f"cost_{first}"])).to_numpy()


@dataclass
class VerdictResult:
    """Everything the sensitivity experiment measured."""

    problem: dict[str, Any]
    design: pd.DataFrame         # one row per point: the parameter values (dummy included)
    outputs: pd.DataFrame        # one row per point: the analysed outputs
    indices: pd.DataFrame        # Sobol indices per output, parameter and N, with the floor
    deciding: pd.DataFrame       # the three assumptions that decide the claim
    boxes: pd.DataFrame          # PRIM box limits
    box_stats: pd.DataFrame      # PRIM box statistics
    messages: list[str] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)


def verdict(measure: RunMeasures, n: int, seeds: int = 1, names: Sequence[str] = PARAMETERS,
            scenario: Any | None = None, design_seed: int = 0,
            baseline_once: bool = True) -> VerdictResult:
    """Run the sensitivity experiment: Saltelli design, paired runs, Sobol indices, PRIM.

    Args:
        measure: runs requests and returns their measures (``executor_measures``).
        n: Sobol base sample size (a power of 2); N (D + 2) design points.
        seeds: paired seeds 0 .. seeds-1, redrawn at every point by its dummy value.
        names: the assumptions analysed (checked to be assumptions).
        scenario: the scenario whose defaults centre the ranges (None: the case).
        design_seed: seed of the scrambled Sobol sequence and the bootstrap.
        baseline_once: run ``none`` once per redrawn seed rather than at every point (valid when
            ``none`` reads none of the parameters; ``none_reads_none_of`` tests it).
    """
    names = assumption_parameters(names)
    prob = problem(names, scenario)
    design = sobol_design(prob, n, design_seed)
    seed_list = list(range(seeds))
    measures = measure(point_requests(prob, design, seed_list, baseline_once=baseline_once))
    outputs = point_outputs(measures, len(design))
    settings = {"n": n, "points": len(design), "seeds": seed_list, "design_seed": design_seed,
                "range_factor": RANGE_FACTOR, "baseline_once": baseline_once,
                "seeds_redrawn_by_dummy": True,
                "parameters": names, "bounds": prob["bounds"]}
    return analyse_outputs(prob, design, outputs, settings)


def analyse_outputs(prob: Mapping[str, Any], design: np.ndarray, outputs: pd.DataFrame,
                    settings: dict[str, Any]) -> VerdictResult:
    """Sobol indices, noise floor, deciding assumptions and PRIM boxes of measured outputs.

    Separate from the runs so that stored outputs (``outputs.csv``) can be analysed again
    without rerunning the model; the bootstrap seed follows ``settings["design_seed"]``.
    """
    from sim.experiments.discovery import find_boxes

    n = int(settings["n"])
    raw, messages = sobol_indices(prob, outputs, n,
                                  seed=BOOTSTRAP_SEED + int(settings["design_seed"]))
    indices = noise_floor(raw)
    x = pd.DataFrame(np.asarray(design), columns=prob["names"])
    cases = claim_cases(outputs)
    boxes, box_stats = find_boxes(x, cases)
    share = float(cases.mean())
    messages.append(f"the claim ({CLAIM}) holds at {int(cases.sum())} of {cases.size} points "
                    f"({share:.0%})")
    settings = {**settings, "claim": CLAIM, "claim_share": share}
    return VerdictResult(dict(prob), x, outputs, indices, deciding(indices), boxes, box_stats,
                         messages, settings)


def none_reads_none_of(measure: RunMeasures, names: Sequence[str], seed: int = 0,
                       scenario: Any | None = None) -> bool:
    """Whether ``none`` gives the same measures at the lower and at the upper ends of every
    parameter (the condition for running it once per seed)."""
    prob = problem(names, scenario)
    low = {n: b[0] for n, b in zip(names, prob["bounds"], strict=False)}
    high = {n: b[1] for n, b in zip(names, prob["bounds"], strict=False)}
    m = measure([Request("a", BASELINE, seed, low), Request("b", BASELINE, seed, high),
                 Request("c", BASELINE, seed)])
    values = m.drop(columns=["label"]).to_numpy()
    return bool((values == values[0]).all())


def indices_markdown(result: VerdictResult, outputs: Sequence[str] = DIFFERENCES) -> str:
    """Total (and first-order) indices of the differences at the full N, with the floor."""
    full = result.indices[result.indices["N"] == result.indices["N"].max()]
    params = [p for p in result.problem["names"]]
    shown = [o for o in outputs if o in set(full["output"])]
    lines = [f"Sobol indices at N = {result.settings['n']} ({result.settings['points']} design "
             f"points x 3 strategies, {len(result.settings['seeds'])} paired seed(s) per "
             "point): ST [95 % CI] (S1). Bold: the ST interval lies above the dummy's (the "
             "noise floor).", "",
             "| parameter | " + " | ".join(shown) + " |", "|---" * (len(shown) + 1) + "|"]
    for p in params:
        cells = []
        for o in shown:
            r = full[(full["output"] == o) & (full["parameter"] == p)].iloc[0]
            text = (f"{r['ST']:.2f} [{r['ST'] - r['ST_conf']:.2f}, {r['ST'] + r['ST_conf']:.2f}]"
                    f" ({r['S1']:.2f})")
            cells.append(f"**{text}**" if r["above_floor"] and p != DUMMY else text)
        lines.append(f"| `{p}` | " + " | ".join(cells) + " |")
    change = result.indices[result.indices["output"].isin(shown)]
    last = change[change["N"] == change["N"].max()]["ST_change"].max()
    sizes = sorted(set(result.indices["N"]))
    lines += ["", f"Convergence: N = {', '.join(map(str, sizes))}; the largest change of an ST "
              f"between the last two is {last:.2f}."]
    return "\n".join(lines) + "\n"


def save(result: VerdictResult, out: Path | str) -> list[Path]:
    """Write the tables (CSV), settings and messages (JSON), and the Markdown summary."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, table in (("design", result.design), ("outputs", result.outputs),
                        ("indices", result.indices), ("deciding", result.deciding),
                        ("prim_boxes", result.boxes), ("prim_stats", result.box_stats)):
        path = out / f"{name}.csv"
        table.to_csv(path, index=False, float_format="%.10g")
        paths.append(path)
    path = out / "verdict.json"
    path.write_text(json.dumps({**result.settings, "messages": result.messages}, indent=2,
                               default=str) + "\n", encoding="utf-8")
    md = out / "verdict.md"
    md.write_text(indices_markdown(result), encoding="utf-8")
    return [*paths, path, md]
