"""Ablation of each strategy's components on the case (docs/results.md, "What carries each
strategy's effect").

For ``teams`` and ``training``, each component is switched off (or, for an optional one, on)
in turn and compared with the full strategy on the same seeds (common random numbers). The
table gives the paired difference *variant − full* with a 95 % interval for alignment
(distance to the stated culture at the end of the intervention), integration (city
divergence at the end of the intervention), client value (end of the intervention) and cost
(end of the run), and marks each component's parameters as sourced or assumed (docs/ODD.md).

Usage:
    .venv/bin/python experiments/ablation.py [--seeds 20] [--workers 2]
        [--out out/ablation]       # writes ablation.csv and ablation.md there
"""

from __future__ import annotations

import argparse
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]

#: (strategy, variant label, overrides, sourced?) — sourced says whether the component's
#: decisive parameters come from a published figure (docs/ODD.md) or are assumptions.
VARIANTS: list[tuple[str, str, dict[str, object], str]] = [
    ("none", "full", {}, ""),
    ("teams", "full", {}, ""),
    ("teams", "no self-selection (assigned)", {"teams.self_selection": False},
     "case (self-selection); breach size assumed"),
    ("teams", "no open call", {"teams.open_call": False}, "case (hunt); reach assumed"),
    ("teams", "no sessions", {"teams.sessions": False}, "case (weekly); rates assumed"),
    ("teams", "no value work", {"teams.value_work": False}, "case; rate assumed"),
    ("teams", "no external activities", {"teams.external_activities": False},
     "case; pull assumed"),
    ("teams", "no pitch", {"teams.pitch": False}, "case; quality weights assumed"),
    ("teams", "no business work (no sessions, no activities)",
     {"teams.sessions": False, "teams.external_activities": False},
     "case; work rule assumed"),
    ("teams", "no behaviour support", {"teams.behaviour_support": False},
     "case; transfer bounded by Saks & Belcourt / Olivero et al."),
    ("teams", "no carrier talk", {"diffusion.enabled": False}, "assumed"),
    ("teams", "contract does not set receptivity", {"contract.receptivity_slope": 0.0},
     "direction Rousseau / Zhao et al.; size assumed"),
    ("training", "full", {}, ""),
    ("training", "2 days instead of 4", {"training.days_per_trainee": 2.0},
     "transfer Saks & Belcourt; dose-response assumed"),
    ("training", "no carrier talk", {"diffusion.enabled": False}, "assumed"),
    ("training", "contract does not set receptivity", {"contract.receptivity_slope": 0.0},
     "direction Rousseau / Zhao et al.; size assumed"),
    ("training", "no breach from mandatory training", {"training.contract_breach": 0.0},
     "assumed"),
    ("training", "with refreshers", {"training.refresher": True}, "assumed"),
    ("training", "with peer support", {"training.peer_support": True},
     "Baldwin & Ford (lever); size assumed"),
    ("training", "with transfer projects", {"training.transfer_projects": True},
     "Revans (action learning); hours and pitch rule assumed"),
]

OUTCOMES = {
    "alignment (distance to target, end of intervention)": ("distance_to_target", "end"),
    "integration (city divergence, end of intervention)": ("city_divergence", "end"),
    "client value (end of intervention)": ("client_value", "end"),
    "cost, EUR M (end of run)": ("cost_cum", "final"),
}


def one_run(task: tuple[str, str, dict[str, object], int]) -> dict[str, object]:
    """Run one (strategy, variant, seed) and return its outcome row."""
    from sim import run

    strategy, label, overrides, seed = task
    result = run("case", strategy=strategy, seed=seed, overrides=overrides)
    ts = result.timeseries
    end = int(result.meta["intervention_weeks"])
    row: dict[str, object] = {"strategy": strategy, "variant": label, "seed": seed}
    for name, (column, when) in OUTCOMES.items():
        value = float(ts[column].iloc[end if when == "end" else -1])
        row[name] = value / 1e6 if column == "cost_cum" else value
    return row


def ablation_table(raw: pd.DataFrame) -> pd.DataFrame:
    """Paired differences variant − full per strategy and outcome."""
    from sim.experiments.stats import paired_difference

    rows = []
    sources = {(s, label): src for s, label, _, src in VARIANTS}
    baseline = raw[raw["strategy"] == "none"].sort_values("seed")
    for strategy, group in raw.groupby("strategy", sort=False):
        if strategy == "none":
            continue
        full = group[group["variant"] == "full"].sort_values("seed")
        # first the whole strategy's effect over doing nothing, the yardstick for the parts
        row = {"strategy": strategy, "variant": "full strategy − none", "source": ""}
        for name in OUTCOMES:
            diff = paired_difference(full[name].to_numpy(), baseline[name].to_numpy())
            row[name], row[f"{name} low"], row[f"{name} high"] = (diff.mean_diff, diff.low,
                                                                  diff.high)
        rows.append(row)
        for label, variant in group.groupby("variant", sort=False):
            if label == "full":
                continue
            variant = variant.sort_values("seed")
            row: dict[str, object] = {"strategy": strategy, "variant": label,
                                      "source": sources[(strategy, label)]}
            for name in OUTCOMES:
                diff = paired_difference(variant[name].to_numpy(), full[name].to_numpy())
                row[name] = diff.mean_diff
                row[f"{name} low"] = diff.low
                row[f"{name} high"] = diff.high
            rows.append(row)
    return pd.DataFrame(rows)


def markdown(table: pd.DataFrame, raw: pd.DataFrame, seeds: int) -> str:
    """The table as Markdown: one row per variant, 'difference [low, high]' per outcome."""
    names = list(OUTCOMES)
    digits = {names[0]: 4, names[1]: 4, names[2]: 4, names[3]: 3}
    lines = [f"Paired differences, {seeds} paired seeds (common random numbers), 95 % "
             "intervals: first the full strategy against `none`, then each variant against the "
             "full strategy. Lower distance and divergence are better.", ""]
    head = "| strategy | variant | " + " | ".join(names) + " | parameters |"
    lines += [head, "|" + "---|" * (len(names) + 3)]
    for strategy, group in raw.groupby("strategy", sort=False):
        full = group[group["variant"] == "full"]
        if strategy == "none":
            cells = [f"{full[n].mean():.{digits[n]}f}" for n in names]
            lines.append("| `none` | mean | " + " | ".join(cells) + " | |")
            continue
        cells = [f"{full[n].mean():.{digits[n]}f}" for n in names]
        lines.append(f"| `{strategy}` | full (mean) | " + " | ".join(cells) + " | |")
        for _, row in table[table["strategy"] == strategy].iterrows():
            cells = [f"{row[n]:+.{digits[n]}f} [{row[n + ' low']:+.{digits[n]}f}, "
                     f"{row[n + ' high']:+.{digits[n]}f}]" for n in names]
            lines.append(f"| | {row['variant']} | " + " | ".join(cells)
                         + f" | {row['source']} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "ablation")
    args = parser.parse_args(argv)
    tasks = [(s, label, ov, seed) for s, label, ov, _ in VARIANTS for seed in range(args.seeds)]
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        raw = pd.DataFrame(list(pool.map(one_run, tasks, chunksize=4)))
    table = ablation_table(raw)
    args.out.mkdir(parents=True, exist_ok=True)
    raw.to_csv(args.out / "ablation_runs.csv", index=False)
    table.to_csv(args.out / "ablation.csv", index=False)
    text = markdown(table, raw, args.seeds)
    (args.out / "ablation.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
