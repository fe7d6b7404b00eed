"""Global sensitivity analysis of sweep outputs with SALib (Morris screening, Sobol indices).

Which parameters move an outcome, and how much, over their whole ranges? Morris
elementary effects (Morris 1991; mu* of Campolongo et al. 2007) screen many parameters
cheaply; Sobol indices (Sobol 2001; Saltelli et al. 2010 estimators) split the output
variance into first-order (S1) and total (ST) shares. Both come with bootstrap confidence
intervals, written next to the indices so a reader can tell a real ranking from noise.

Replications: a sweep's replications share seeds across design points (common random
numbers); the analysis uses the mean over replications per design point, so the indices
describe the expected outcome, not one draw of the noise. (An effect declared as a ratio,
such as the ICER, is the ratio of the means.)

What a referee asks besides the indices: are they converged (Sobol indices recomputed on
the first N/8, N/4, N/2 and N base samples: ``sobol_convergence.csv`` and its figure), above
the noise (the optional dummy parameter, ``[design] dummy = true``, whose runs differ only
in their random draws: ``sim.experiments.sweep.plan``), and is the Morris screening readable (the
mu*-sigma plane, in the output's unit)? The bootstrap of every interval is seeded from the
experiment's seeds (``bootstrap_seed``), so the same sweep gives the same intervals.
"""

from __future__ import annotations

import hashlib
import math
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

#: Confidence level of the bootstrap intervals.
CONF_LEVEL = 0.95
#: Bootstrap resamples for the intervals (SALib's default).
NUM_RESAMPLES = 100


def analyse(
    problem: dict[str, Any],
    x: np.ndarray,
    y: np.ndarray,
    method: str,
    *,
    num_levels: int = 4,
    second_order: bool = False,
    seed: int,
    pairs_out: list[pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """Sensitivity indices of one output, as a tidy table.

    Args:
        problem: SALib problem (``num_vars``, ``names``, ``bounds``).
        x: the design matrix the runs used (rows in sampler order).
        y: the output per row of ``x``.
        method: "morris" or "sobol".
        num_levels: Morris grid levels (as used for sampling).
        second_order: whether the Sobol sample includes second-order rows.
        seed: seed of the bootstrap for the confidence intervals, at least 1 (SALib's
            Sobol analysis leaves a seed of 0 unseeded: its intervals would differ from
            one call to the next); ``bootstrap_seed`` derives one from an experiment.
        pairs_out: with Sobol and ``second_order``, the second-order indices (parameter_a,
            parameter_b, S2, conf) are appended to this list.

    Returns:
        Columns parameter, index, value, conf (half-width of the 95% interval; NaN where
        SALib gives none). Sobol: S1 and ST; Morris: mu_star, mu, sigma.
    """
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 1:
        raise ValueError(f"seed: the bootstrap seed must be a whole number >= 1, got {seed!r} "
                         "(SALib leaves 0 unseeded)")
    y = np.asarray(y, dtype=float)
    rows: list[dict[str, Any]] = []
    if method == "sobol":
        from SALib.analyze import sobol

        with warnings.catch_warnings():  # our own warnings say it in the output's terms
            warnings.simplefilter("ignore")
            si = sobol.analyze(problem, y, calc_second_order=second_order,
                               num_resamples=NUM_RESAMPLES, conf_level=CONF_LEVEL, seed=seed)
        for i, name in enumerate(problem["names"]):
            rows.append({"parameter": name, "index": "S1", "value": si["S1"][i],
                         "conf": si["S1_conf"][i]})
            rows.append({"parameter": name, "index": "ST", "value": si["ST"][i],
                         "conf": si["ST_conf"][i]})
        if second_order:
            names = problem["names"]
            pairs = [{"parameter_a": names[i], "parameter_b": names[j],
                      "S2": si["S2"][i][j], "conf": si["S2_conf"][i][j]}
                     for i in range(len(names)) for j in range(i + 1, len(names))]
            if pairs_out is not None:
                pairs_out.append(pd.DataFrame(
                    pairs, columns=["parameter_a", "parameter_b", "S2", "conf"]))
    elif method == "morris":
        from SALib.analyze import morris

        si = morris.analyze(problem, np.asarray(x, dtype=float), y, num_levels=num_levels,
                            num_resamples=NUM_RESAMPLES, conf_level=CONF_LEVEL, seed=seed)
        for i, name in enumerate(problem["names"]):
            rows.append({"parameter": name, "index": "mu_star", "value": si["mu_star"][i],
                         "conf": si["mu_star_conf"][i]})
            rows.append({"parameter": name, "index": "mu", "value": si["mu"][i],
                         "conf": np.nan})
            rows.append({"parameter": name, "index": "sigma", "value": si["sigma"][i],
                         "conf": np.nan})
    else:
        raise ValueError(f"method: {method!r} is not one of morris, sobol")
    return pd.DataFrame(rows, columns=["parameter", "index", "value", "conf"])


def bootstrap_seed(seed: int, *labels: object) -> int:
    """The bootstrap seed of one analysis: a function of the experiment's seed and of what is
    analysed (output, strategy, group), never 0, so the intervals are the same on every
    rerun and two outputs do not share their resamples."""
    text = repr((int(seed), *map(str, labels)))
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big") | 1


def convergence_sizes(samples: int) -> list[int]:
    """Base sample sizes of the convergence check: N/8, N/4, N/2 and N (those >= 4), N last.

    Why these: the first m rows of Saltelli's design for N are the design for m when m is
    N over a power of two (SALib lays out one block of rows per base sample), so the check
    needs no extra runs.
    """
    return sorted({samples >> k for k in range(4) if samples >> k >= 4} | {samples})


#: Smallest interval half-width that counts as "wider than its index" (an index of a
#: parameter without effect is near 0, and any honest interval is wider than that).
CONF_FLOOR = 0.05
#: Share of the variance of the design-point means that run-to-run noise may make up.
NOISE_SHARE = 0.1


def sobol_warnings(table: pd.DataFrame, samples: int, where: str) -> list[str]:
    """What makes a Sobol table unfit to report, in words (empty: nothing found).

    Checks: N (``samples``) is a power of two (Sobol sequences are balanced only then);
    each index lies in [0, 1] within its interval; no interval is wider than its index
    (above ``CONF_FLOOR``).
    """
    found = []
    if samples & (samples - 1):
        found.append(f"{where}: N = {samples} is not a power of two; Sobol's sequence is "
                     f"balanced at powers of two (use {1 << samples.bit_length()})")
    for row in table.itertuples(index=False):
        value, conf = float(row.value), float(row.conf)
        if not (math.isfinite(value) and math.isfinite(conf)):
            found.append(f"{where}: {row.index} of {row.parameter} is undefined")
            continue
        if value + conf < 0 or value - conf > 1:
            found.append(f"{where}: {row.index} of {row.parameter} = {value:.3g} +- "
                         f"{conf:.3g} lies outside [0, 1] beyond its interval: N is too "
                         "small for these indices")
        elif conf > max(abs(value), CONF_FLOOR):
            found.append(f"{where}: the interval of {row.index} of {row.parameter} "
                         f"(+- {conf:.3g}) is wider than the index ({value:.3g}): "
                         "increase N")
    return found


def noise_warning(data: pd.DataFrame, output: str, where: str) -> str | None:
    """A warning when the replications are too few for the run-to-run noise.

    The indices use the mean over replications per design point; the noise left in those
    means (within-point variance / replications) should be a small share of their spread.
    """
    groups = data.groupby("sample")[output]
    reps = int(groups.size().min()) if len(data) else 0
    means = groups.mean()
    spread = float(means.var(ddof=1)) if len(means) > 1 else 0.0
    if reps < 2:
        return (f"{where}: one replication per design point: the run-to-run noise cannot be "
                "told from the parameters' effects (use replications >= 2)")
    noise = float(groups.var(ddof=1).mean()) / reps
    if spread <= 0 or noise / spread > NOISE_SHARE:
        share = noise / spread if spread > 0 else math.inf
        return (f"{where}: run-to-run noise is {share:.0%} of the variance of the design-point "
                f"means (over {NOISE_SHARE:.0%}): too few replications ({reps}) for this "
                "output")
    return None


def _outcomes(out: Path, outputs: list[str], week: int | str) -> pd.DataFrame:
    """One row per completed run with the analysed outputs at the chosen week, read through
    the engine's reader (``sim.experiments.results.load_results``), which knows every observable."""
    from sim.experiments.results import load_results

    results = load_results(out)
    labels = ["run", "group", "sample", "strategy"]
    if week == "final":
        frame = results.values(outputs)
        extra = [c for c in frame.columns if c not in (*labels, *outputs)
                 and c not in results.parameters and c not in _LABEL_COLUMNS]
        return frame[[*labels, *outputs, *extra]]
    try:
        return results.at_week(int(week), outputs)[[*labels, *outputs]]
    except ValueError:
        raise ValueError(f"sensitivity.week: week {week} is not among the recorded "
                         "weeks") from None


#: The engine's run labels that are not analysed.
_LABEL_COLUMNS = ("run_key", "point", "replication", "seed")


def indices_table(loaded: Any, out: Path | str, method: str) -> pd.DataFrame:
    """Sensitivity indices for every output, strategy and enumerated-value group."""
    return indices_tables(loaded, out, method).indices


@dataclass
class Analysis:
    """What ``indices_tables`` finds.

    Attributes:
        indices: group, strategy, output, parameter, index, value, conf (+ enumerated
            parameters' values).
        second_order: Sobol's S2 per pair of parameters (None unless sampled).
        warnings: what makes the indices unfit to report, in words.
        convergence: Sobol's S1 and ST on the first N/8 .. N base samples (None for
            Morris): group, strategy, output, parameter, N, index, value, conf.
    """

    indices: pd.DataFrame
    second_order: pd.DataFrame | None
    warnings: list[str]
    convergence: pd.DataFrame | None = None


def _analysed_strategies(spec: Any, output: str) -> list[str]:
    """The strategies an output is analysed for: an effect over ``none`` is not analysed
    for ``none`` itself (zero, or undefined, everywhere)."""
    from sim.experiments.observables import BASELINE, effects

    if output in effects():
        return [s for s in spec.strategies if s != BASELINE]
    return list(spec.strategies)


def indices_tables(loaded: Any, out: Path | str, method: str) -> Analysis:
    """Sensitivity indices for every output, strategy and enumerated-value group, the
    second-order Sobol indices (None unless sampled), the warnings and, for Sobol, the
    convergence table.

    Raises:
        ValueError: a design point has no completed run (its indices would be wrong), or an
            output is undefined at a point.
    """
    from sim.experiments.observables import per_point
    from sim.experiments.sweep.plan import design_matrix, plan_sweep, salib_problem

    out = Path(out)
    spec = loaded.spec
    plan = plan_sweep(loaded, method)
    x = design_matrix(loaded, method)
    problem = salib_problem(plan.bounds)
    outputs = list(spec.sensitivity.outputs)
    data = _outcomes(out, outputs, spec.sensitivity.week)
    means = per_point(data, outputs, ["group", "strategy", "sample"])
    counts = data.groupby(["group", "strategy", "sample"]).size()
    rows_per_base = plan.samples // spec.design.samples if method == "sobol" else 0
    frames, second, steps = [], [], []
    found: list[str] = []
    for group in range(plan.groups):
        for strategy in spec.strategies:
            try:
                block = means.loc[(group, strategy)].reindex(range(plan.samples))
            except KeyError:
                block = pd.DataFrame(index=range(plan.samples), columns=outputs)
            done = counts.reindex([(group, strategy, i) for i in range(plan.samples)])
            missing = [i for i, n in enumerate(done.to_numpy()) if not n > 0]
            if missing:
                raise ValueError(f"runs: design point {missing[0]} of {strategy} has no "
                                 "completed run; rerun the command to complete the sweep")
            for output in outputs:
                if strategy not in _analysed_strategies(spec, output):
                    continue
                undefined = block.index[block[output].isna()]
                if len(undefined):
                    raise ValueError(
                        f"sensitivity.outputs: {output} is undefined at design point "
                        f"{int(undefined[0])} of {strategy} in every replication (e.g. a "
                        "durability when nothing was gained); Morris and Sobol need a value "
                        "at every point: analyse another outcome")
            for output in outputs:
                if strategy not in _analysed_strategies(spec, output):
                    continue
                pairs: list[pd.DataFrame] = []
                seed = bootstrap_seed(spec.design.seed, spec.base_seed, group, strategy,
                                      output)
                y = block[output].to_numpy(dtype=float)
                table = analyse(problem, x, y, method, num_levels=spec.design.levels,
                                second_order=spec.design.second_order, seed=seed,
                                pairs_out=pairs)
                where = f"{output}, {strategy}" + (f", group {group}" if plan.groups > 1
                                                    else "")
                labels = {"group": group, "strategy": strategy, "output": output}
                if method == "sobol":
                    found += sobol_warnings(table, spec.design.samples, where)
                    second += [p.assign(**labels) for p in pairs]
                    for m in convergence_sizes(spec.design.samples):
                        part = table if m == spec.design.samples else analyse(
                            problem, None, y[:m * rows_per_base], method,
                            second_order=spec.design.second_order, seed=seed)
                        steps.append(part.assign(N=m, **labels))
                subset = data[(data["group"] == group) & (data["strategy"] == strategy)]
                noise = noise_warning(subset, output, where)
                if noise:
                    found.append(noise)
                for key in ("output", "strategy", "group"):
                    table.insert(0, key, labels[key])
                frames.append(table)
    result = pd.concat(frames, ignore_index=True)
    cols = ["group", "strategy", "output", "parameter_a", "parameter_b", "S2", "conf"]
    pairs_table = pd.concat(second, ignore_index=True)[cols] if second else None
    convergence = None
    if steps:
        convergence = pd.concat(steps, ignore_index=True)[
            ["group", "strategy", "output", "parameter", "N", "index", "value", "conf"]]
    first = {r.group: r.params for r in plan.runs}
    enumerated = [p for p in plan.parameter_names if p not in plan.ranged]
    for name in enumerated:
        result[name] = [first[g][name] for g in result["group"]]
    return Analysis(result, pairs_table, found, convergence)
