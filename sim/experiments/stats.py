"""Output analysis for replicated runs: intervals, paired differences, stopping rule.

Why this module exists: a strategy comparison is only as good as its statistics. Every
replication of an agent-based model is one draw from the distribution of outcomes, so we
summarise replications with Student-t confidence intervals, compare strategies with paired
differences (common random numbers: replication ``i`` uses the same seed under every
strategy, so the runs share their initial population and network and are positively
correlated), and decide how many replications are enough with a relative-precision rule.

All functions take plain sequences or NumPy arrays and drop NaN values (an outcome that is
undefined for a run, e.g. a time to integration that was never reached). Paired functions
drop a pair when either member is NaN, so pairing is never broken silently.

References:
    Law, A. M. (2015). *Simulation Modeling and Analysis*, 5th ed., ch. 9 (relative
    precision, sequential procedure).
    Lee, J.-S., Filatova, T., Ligmann-Zielinska, A., et al. (2015). The complexities of
    agent-based modeling output analysis. *JASSS* 18(4) 4 (how many replications).
    Lakens, D. (2013). Calculating and reporting effect sizes. *Frontiers in Psychology*
    4:863 (Cohen's d_z for paired designs, Hedges' correction).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import stats as sps

DEFAULT_LEVEL = 0.95
"""Confidence level used throughout the compare outputs (two-sided)."""


@dataclass(frozen=True)
class Interval:
    """A mean with its two-sided Student-t confidence interval.

    Attributes:
        mean: sample mean.
        sd: sample standard deviation (ddof = 1); NaN when n < 2.
        low: lower bound of the interval; NaN when n < 2.
        high: upper bound of the interval; NaN when n < 2.
        half_width: (high - low) / 2.
        n: number of non-missing observations used.
        level: confidence level, e.g. 0.95.
    """

    mean: float
    sd: float
    low: float
    high: float
    half_width: float
    n: int
    level: float

    def as_dict(self) -> dict[str, float]:
        """Return the fields as a plain dict (for DataFrame rows)."""
        return asdict(self)


@dataclass(frozen=True)
class PairedDifference:
    """Mean of the paired differences ``a - b`` with interval, test and effect size.

    Attributes:
        mean_diff: mean of a_i - b_i.
        sd_diff: standard deviation of the differences (ddof = 1).
        low: lower bound of the confidence interval of the mean difference.
        high: upper bound.
        half_width: half the interval width.
        n: number of complete pairs.
        level: confidence level.
        t: paired t statistic.
        p_value: two-sided p-value of the paired t-test.
        cohen_dz: Cohen's d_z = mean_diff / sd_diff, the standardised mean difference for
            paired designs (Lakens 2013, eq. 6).
        hedges_gz: d_z with Hedges' small-sample correction J = 1 - 3 / (4 (n - 1) - 1).
    """

    mean_diff: float
    sd_diff: float
    low: float
    high: float
    half_width: float
    n: int
    level: float
    t: float
    p_value: float
    cohen_dz: float
    hedges_gz: float

    def as_dict(self) -> dict[str, float]:
        """Return the fields as a plain dict (for DataFrame rows)."""
        return asdict(self)


def _clean(values: Sequence[float] | np.ndarray) -> np.ndarray:
    """Return the finite values as a float array (NaN and inf dropped)."""
    arr = np.asarray(values, dtype=float).ravel()
    return arr[np.isfinite(arr)]


@lru_cache(maxsize=1024)
def t_quantile(level: float, n: int) -> float:
    """Two-sided Student-t critical value for ``n`` observations (df = n - 1).

    Cached: the weekly intervals ask for the same few (level, n) thousands of times, and
    scipy's ppf costs about 0.2 ms a call (1.8 of 12 s in a profiled classroom comparison
    before the cache)."""
    if not 0.0 < level < 1.0:
        raise ValueError(f"level: must lie in (0, 1), got {level}")
    return float(sps.t.ppf(0.5 + level / 2.0, df=n - 1))


def mean_interval(values: Sequence[float] | np.ndarray, level: float = DEFAULT_LEVEL) -> Interval:
    """Mean and Student-t confidence interval of independent replications.

    Replications with different seeds are independent and identically distributed, so
    mean ± t_{n-1} s / sqrt(n) is the textbook interval; it is exact for normal outcomes and
    asymptotically right otherwise.

    Args:
        values: one outcome per replication; NaN values are dropped.
        level: two-sided confidence level in (0, 1).

    Returns:
        The interval. With n = 0 every field but n is NaN; with n = 1 the mean is set and
        the spread fields are NaN.
    """
    x = _clean(values)
    n = int(x.size)
    nan = float("nan")
    if n == 0:
        return Interval(nan, nan, nan, nan, nan, 0, level)
    mean = float(x.mean())
    if n < 2:
        return Interval(mean, nan, nan, nan, nan, n, level)
    sd = float(x.std(ddof=1))
    half = t_quantile(level, n) * sd / math.sqrt(n)
    return Interval(mean, sd, mean - half, mean + half, half, n, level)


def proportion_interval(
    values: Sequence[float] | np.ndarray, level: float = DEFAULT_LEVEL
) -> Interval:
    """Share of successes among 0/1 outcomes with its Wilson score interval.

    The t-interval of a share can leave [0, 1] and collapses to zero width when every run
    agrees (e.g. 30 of 30 runs integrated); Wilson's interval stays inside [0, 1] and keeps
    a sensible width there (Wilson 1927; Brown, Cai & DasGupta 2001 recommend it).

    Args:
        values: one 0/1 outcome per replication; NaN values are dropped.
        level: two-sided confidence level.

    Returns:
        Interval with ``mean`` the observed share and ``sd`` the sample standard deviation;
        ``half_width`` is half the (asymmetric) interval's width.
    """
    x = _clean(values)
    n = int(x.size)
    nan = float("nan")
    if n == 0:
        return Interval(nan, nan, nan, nan, nan, 0, level)
    p = float(x.mean())
    sd = float(x.std(ddof=1)) if n > 1 else nan
    z = float(sps.norm.ppf(0.5 + level / 2.0))
    denom = 1.0 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denom
    spread = z * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    # the score interval always contains p; clamp away rounding at p = 0 or 1
    low, high = max(0.0, min(p, centre - spread)), min(1.0, max(p, centre + spread))
    return Interval(p, sd, low, high, (high - low) / 2.0, n, level)


def is_binary(values: Sequence[float] | np.ndarray) -> bool:
    """True when every non-missing value is 0 or 1 (an indicator outcome)."""
    x = _clean(values)
    return bool(x.size) and bool(np.isin(x, (0.0, 1.0)).all())


def paired_difference(
    a: Sequence[float] | np.ndarray,
    b: Sequence[float] | np.ndarray,
    level: float = DEFAULT_LEVEL,
) -> PairedDifference:
    """Paired comparison of two strategies run on the same seeds.

    Under common random numbers the differences d_i = a_i - b_i are independent across
    replications, and their variance is var(a) + var(b) - 2 cov(a, b): positive correlation
    between the paired runs shrinks it, which is why the paired interval is narrower than
    the two-sample one.

    Args:
        a: outcome per replication under strategy A, in replication order.
        b: the same outcome under strategy B, same replications, same order.
        level: two-sided confidence level.

    Returns:
        Mean difference with its Student-t interval, the paired t-test and effect sizes.
        Pairs where either value is missing are dropped.

    Raises:
        ValueError: if a and b differ in length.
    """
    xa = np.asarray(a, dtype=float).ravel()
    xb = np.asarray(b, dtype=float).ravel()
    if xa.shape != xb.shape:
        raise ValueError(f"paired samples differ in length: {xa.size} != {xb.size}")
    keep = np.isfinite(xa) & np.isfinite(xb)
    d = xa[keep] - xb[keep]
    ci = mean_interval(d, level)
    nan = float("nan")
    if ci.n < 2:
        return PairedDifference(ci.mean, nan, nan, nan, nan, ci.n, level, nan, nan, nan, nan)
    if ci.sd == 0.0:
        # Identical differences: no sampling variability; the test is undefined.
        same = ci.mean == 0.0
        t = 0.0 if same else math.copysign(math.inf, ci.mean)
        p = 1.0 if same else 0.0
        dz = 0.0 if same else math.copysign(math.inf, ci.mean)
        return PairedDifference(ci.mean, 0.0, ci.mean, ci.mean, 0.0, ci.n, level, t, p, dz, dz)
    t = ci.mean / (ci.sd / math.sqrt(ci.n))
    p = float(2.0 * sps.t.sf(abs(t), df=ci.n - 1))
    dz = ci.mean / ci.sd
    correction = 1.0 - 3.0 / (4.0 * (ci.n - 1) - 1.0)
    return PairedDifference(
        ci.mean, ci.sd, ci.low, ci.high, ci.half_width, ci.n, level, t, p, dz, dz * correction
    )


def welch_difference(
    a: Sequence[float] | np.ndarray,
    b: Sequence[float] | np.ndarray,
    level: float = DEFAULT_LEVEL,
) -> Interval:
    """Unpaired (Welch) interval of mean(a) - mean(b), for contrast with the paired one.

    This is the interval one would get by ignoring the pairing (independent seeds per
    strategy). It is reported so that users can see what common random numbers bought.

    Args:
        a: outcomes under strategy A.
        b: outcomes under strategy B.
        level: two-sided confidence level.

    Returns:
        An Interval whose ``mean`` is the difference of means, ``sd`` its standard error,
        and ``n`` the smaller sample size.
    """
    xa, xb = _clean(a), _clean(b)
    na, nb = xa.size, xb.size
    nan = float("nan")
    if na < 2 or nb < 2:
        diff = float(xa.mean() - xb.mean()) if na and nb else nan
        return Interval(diff, nan, nan, nan, nan, int(min(na, nb)), level)
    va, vb = xa.var(ddof=1) / na, xb.var(ddof=1) / nb
    se = math.sqrt(va + vb)
    diff = float(xa.mean() - xb.mean())
    if se == 0.0:
        return Interval(diff, 0.0, diff, diff, 0.0, int(min(na, nb)), level)
    df = (va + vb) ** 2 / (va**2 / (na - 1) + vb**2 / (nb - 1))
    half = float(sps.t.ppf(0.5 + level / 2.0, df=df)) * se
    return Interval(diff, se, diff - half, diff + half, half, int(min(na, nb)), level)


def relative_precision(values: Sequence[float] | np.ndarray, level: float = DEFAULT_LEVEL) -> float:
    """Half-width of the confidence interval divided by the absolute mean.

    This is Law's relative error of the estimated mean. It is infinite when fewer than two
    values are available or the mean is zero (no relative statement is possible then).
    """
    ci = mean_interval(values, level)
    if ci.n < 2 or ci.mean == 0.0 or not math.isfinite(ci.half_width):
        return math.inf
    return ci.half_width / abs(ci.mean)


@dataclass(frozen=True)
class StoppingRule:
    """Sequential rule for ``--replications auto``: add replications until precise enough.

    After each batch the rule computes, for every strategy, the relative precision of the
    key outcome (half-width of its 95 % interval over the absolute mean) and, when
    ``half_width`` is set, the half-width of the interval of every paired difference it is
    given (each strategy minus the baseline, same seeds); it stops once all are within their
    targets, or once ``max_replications`` is reached. This is the
    confidence-interval approach to the number of runs that Lee et al. (2015, JASSS 18(4) 4,
    section on the number of replications) recommend over ad-hoc fixed counts, in Law's
    sequential form. A minimum of ``min_replications`` guards against stopping on a lucky
    small sample whose standard deviation is underestimated.

    Attributes:
        precision: target relative half-width, e.g. 0.05 for ±5 % of the mean.
        min_replications: never stop before this many replications (>= 2).
        max_replications: cap; stop here even if the target is not met.
        batch: replications added per strategy between checks.
        level: confidence level of the interval.
        half_width: target half-width of the interval of every *paired difference* (in the
            key outcome's unit); None to check the levels only. A comparison leads with
            differences between strategies, and a relative target on a difference near zero
            can never be met, so the difference gets an absolute target.
    """

    precision: float = 0.05
    min_replications: int = 10
    max_replications: int = 200
    batch: int = 5
    level: float = DEFAULT_LEVEL
    half_width: float | None = None

    def __post_init__(self) -> None:
        if not self.precision > 0:
            raise ValueError(f"precision: must be > 0, got {self.precision}")
        if self.min_replications < 2:
            raise ValueError(f"min_replications: must be >= 2, got {self.min_replications}")
        if self.max_replications < self.min_replications:
            raise ValueError(
                "max_replications: must be >= min_replications "
                f"({self.max_replications} < {self.min_replications})"
            )
        if self.batch < 1:
            raise ValueError(f"batch: must be >= 1, got {self.batch}")
        if self.half_width is not None and not self.half_width > 0:
            raise ValueError(f"half_width: must be > 0, got {self.half_width}")

    def difference_half_width(self, differences: Sequence[float] | np.ndarray) -> float:
        """Half-width of the interval of the mean paired difference (inf below 2 pairs)."""
        ci = mean_interval(differences, self.level)
        return ci.half_width if ci.n >= 2 and math.isfinite(ci.half_width) else math.inf

    def is_met(self, samples: dict[str, Sequence[float] | np.ndarray],
               differences: dict[str, Sequence[float] | np.ndarray] | None = None) -> bool:
        """True when every level's relative precision and every difference's half-width
        (when ``half_width`` is set) are within their targets."""
        levels = all(
            _clean(x).size >= self.min_replications
            and relative_precision(x, self.level) <= self.precision
            for x in samples.values()
        )
        if self.half_width is None or not levels:
            return levels
        return all(
            _clean(d).size >= self.min_replications
            and self.difference_half_width(d) <= self.half_width
            for d in (differences or {}).values()
        )

    def next_count(self, done: int, samples: dict[str, Sequence[float] | np.ndarray],
                   differences: dict[str, Sequence[float] | np.ndarray] | None = None) -> int:
        """Number of replications to have after the next batch; ``done`` means stop.

        Args:
            done: replications completed so far (per strategy).
            samples: key outcome per strategy over the completed replications.
            differences: paired differences of the key outcome per strategy pair.
        """
        if done >= self.max_replications:
            return done
        if done < self.min_replications:
            return min(self.min_replications, self.max_replications)
        if self.is_met(samples, differences):
            return done
        return min(done + self.batch, self.max_replications)


def fdr_bh(p_values: Sequence[float] | np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (false discovery rate), NaN kept as NaN.

    The family is every finite p-value passed in; rejecting where the adjusted value is at
    most q controls the expected share of false discoveries at q for independent or
    positively dependent tests (Benjamini & Hochberg 1995). Uses SciPy's implementation.
    """
    p = np.asarray(p_values, dtype=float).ravel()
    out = np.full(p.shape, np.nan)
    ok = np.isfinite(p)
    if ok.any():
        out[ok] = sps.false_discovery_control(np.clip(p[ok], 0.0, 1.0), method="bh")
    return out


def summarise(
    table: pd.DataFrame,
    group: str | list[str],
    outcomes: Sequence[str],
    level: float = DEFAULT_LEVEL,
) -> pd.DataFrame:
    """Tidy table of mean, sd, interval and n per group and outcome.

    Indicator outcomes (only 0 and 1 across all groups, e.g. ``integration_reached``) get
    the Wilson interval of a share; all others the Student-t interval of a mean.

    Args:
        table: one row per run.
        group: column(s) to group by (e.g. "strategy").
        outcomes: numeric columns to summarise.
        level: confidence level.

    Returns:
        Columns: the group columns, outcome, mean, sd, low, high, half_width, n, level,
        interval ("t" or "wilson").
    """
    keys = [group] if isinstance(group, str) else list(group)
    binary = {o for o in outcomes if is_binary(table[o].to_numpy(dtype=float))}
    rows = []
    for key, sub in table.groupby(keys, sort=False):
        key_t = key if isinstance(key, tuple) else (key,)
        for outcome in outcomes:
            interval = proportion_interval if outcome in binary else mean_interval
            ci = interval(sub[outcome].to_numpy(dtype=float), level)
            rows.append({**dict(zip(keys, key_t, strict=True)), "outcome": outcome,
                         **ci.as_dict(), "interval": "wilson" if outcome in binary else "t"})
    return pd.DataFrame(rows)


def paired_table(
    table: pd.DataFrame,
    strategies: Sequence[str],
    outcomes: Sequence[str],
    pair_on: str = "replication",
    level: float = DEFAULT_LEVEL,
) -> pd.DataFrame:
    """Paired differences for every ordered pair (later strategy minus earlier one).

    The first listed strategy is the usual baseline, so each row reads "B minus A" with A
    listed earlier. The unpaired Welch half-width is reported next to the paired one.

    Args:
        table: one row per run with columns strategy, ``pair_on`` and the outcomes.
        strategies: strategy names in the user's order.
        outcomes: numeric outcome columns.
        pair_on: column that identifies the common seed (replication index).
        level: confidence level.

    Returns:
        Columns: strategy_a, strategy_b (difference is b - a), outcome, the fields of
        PairedDifference, welch_half_width.
    """
    rows = []
    for i, sa in enumerate(strategies):
        for sb in strategies[i + 1 :]:
            a = table[table["strategy"] == sa].set_index(pair_on)
            b = table[table["strategy"] == sb].set_index(pair_on)
            common = a.index.intersection(b.index).sort_values()
            for outcome in outcomes:
                xa = a.loc[common, outcome].to_numpy(dtype=float)
                xb = b.loc[common, outcome].to_numpy(dtype=float)
                pdiff = paired_difference(xb, xa, level)
                welch = welch_difference(xb, xa, level)
                rows.append(
                    {
                        "strategy_a": sa,
                        "strategy_b": sb,
                        "outcome": outcome,
                        **pdiff.as_dict(),
                        "welch_half_width": welch.half_width,
                    }
                )
    return pd.DataFrame(rows)


def weekly_intervals(
    timeseries: pd.DataFrame,
    metrics: Sequence[str],
    level: float = DEFAULT_LEVEL,
) -> pd.DataFrame:
    """Per-strategy, per-week mean of each metric with its confidence interval.

    Args:
        timeseries: long table with columns strategy, replication, week and the metrics.
        metrics: metric columns to summarise.
        level: confidence level.

    Returns:
        Long table: strategy, week, metric, mean, sd, low, high, half_width, n, level.
    """
    grouped = timeseries.groupby(["strategy", "week"], sort=False)
    parts = []
    for metric in metrics:
        g = grouped[metric]
        mean = g.mean()
        sd = g.std(ddof=1)
        n = g.count()
        tq = pd.Series(
            [t_quantile(level, int(k)) if k >= 2 else np.nan for k in n], index=n.index
        )
        half = tq * sd / np.sqrt(n)
        part = pd.DataFrame(
            {
                "mean": mean,
                "sd": sd,
                "low": mean - half,
                "high": mean + half,
                "half_width": half,
                "n": n,
            }
        ).reset_index()
        part.insert(2, "metric", metric)
        part["level"] = level
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values(["metric", "strategy", "week"], kind="stable").reset_index(drop=True)
