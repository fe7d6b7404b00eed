"""Regenerate the numbers and figures of docs/results.md that the fair tests produce.

One command, three steps, each in its own folder under ``--out``:

1. ``compare``: ``none``, ``training`` and ``teams`` on the case, 30 paired replications
   (``sim.experiments.compare.compare``, the counterfactual outcomes included), drawn as the main
   figure
   (``docs/figures/main_figure``: alignment, integration and cost over time, panels a-c,
   full axes from 0, and the cost-effectiveness plane, d);
2. ``equal_budget``: the equal-budget frontiers (``experiments/equal_budget.py``'s sizes);
3. ``verdict``: Sobol indices and PRIM boxes (``experiments/verdict.py``'s sizes).

It then copies the figures into ``--docs``/figures and writes the generated tables into
``--docs``/results.md between the markers ``<!-- results_page:NAME -->`` and
``<!-- /results_page:NAME -->`` (NAME = main, equal_budget, verdict); every generated block
is also written to ``--out``/numbers.md. The same options give the same numbers, byte for
byte (fixed seeds; no time stamps in the tables).

A step whose folder already holds a finished result with the same settings is reused (and
the script says so); a folder holding a different or unfinished result is refused (exit code
2, one line naming --out): results are never overwritten or mixed.

Usage (measured on 2 quiet cores: about 1 + 1.5 + 7 minutes; docs/performance.md):
    .venv/bin/python experiments/results_page.py [--out out/results_page] [--docs docs]
        [--scenario case] [--replications 30] [--designs 32] [--seeds 3] [--fresh-seeds 10]
        [--n 64] [--sobol-seeds 1] [--workers 2] [--executor local|serial|dask]
        [--scheduler ADDRESS] [--set KEY=VALUE ...]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "experiments"))

STRATEGIES = ("none", "training", "teams")
FIGURES = {"compare": "main_figure", "equal_budget": "equal_budget_frontier",
           "verdict": "verdict_sobol"}
"""Step -> figure name copied into docs/figures."""


class Refused(ValueError):
    """A step's folder holds a different or unfinished result."""


def _json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def step_state(folder: Path, marker: str, wanted: dict[str, Any]) -> str:
    """``run`` (new or empty folder), ``reuse`` (finished, same settings) or refuse."""
    if not folder.exists() or (folder.is_dir() and not any(folder.iterdir())):
        return "run"
    done = folder / marker
    if not done.is_file():
        raise Refused(f"--out: {folder} holds an unfinished or foreign result (no {marker}); "
                      "remove it or choose another --out")
    found = _json(done)
    differ = [k for k, v in wanted.items() if json.loads(json.dumps(found.get(k),
                                                                     default=str))
              != json.loads(json.dumps(v, default=str))]
    if differ:
        raise Refused(f"--out: {folder} holds a result with other settings ({differ[0]}: "
                      f"{found.get(differ[0])!r}, asked {wanted[differ[0]]!r}); remove it or "
                      "choose another --out")
    return "reuse"


def step_settings(args: argparse.Namespace, step: str, overrides: dict[str, Any]
                  ) -> tuple[str, dict[str, Any]]:
    """The file that marks a finished step, and the settings a reusable result must have
    (``model``: the model's source and scenario fingerprint, so a changed model is refused)."""
    common = {"overrides": overrides, "model": args.model}
    if step == "compare":
        return "results_page_step.json", {
            "strategies": list(STRATEGIES), "replications": args.replications,
            "base_seed": 0, "scenario_label": args.scenario, **common}
    if step == "equal_budget":
        return "equal_budget.json", {
            "designs_per_strategy": args.designs, "seeds": list(range(args.seeds)),
            "scenario": args.scenario, **common}
    return "verdict.json", {"n": args.n, "seeds": list(range(args.sobol_seeds)),
                            "scenario": args.scenario, **common}


def run_compare(args: argparse.Namespace, folder: Path, overrides: dict[str, Any]) -> Path:
    """Step 1: the comparison (or its reuse); returns the folder."""
    from sim.presentation.comparison import compare

    marker, wanted = step_settings(args, "compare", overrides)
    state = step_state(folder, marker, wanted)
    if state == "reuse":
        print(f"compare: reusing {folder} (same settings)")
        return folder
    started = time.perf_counter()
    compare(args.scenario, list(STRATEGIES), args.replications, folder,
            workers=args.workers, overrides=overrides, progress=not args.quiet,
            figures=False)
    print(f"compare: {time.perf_counter() - started:.0f} s")
    (folder / marker).write_text(json.dumps(wanted, indent=2) + "\n", encoding="utf-8")
    return folder


def main_block(folder: Path, fig_dir: Path) -> str:
    """Draw the main figure from a comparison folder; return its Markdown block."""
    import pandas as pd

    from sim.experiments import counterfactual as cf
    from sim.experiments.compare import load_tables
    from sim.experiments.stats import weekly_intervals
    from sim.presentation.plots.main_figure import PANELS, plot_main
    from sim.presentation.plots.style import save_figure

    tables = load_tables(folder)
    ts = tables["timeseries"]
    ts = ts[ts["strategy"].isin(STRATEGIES)]
    weekly = weekly_intervals(ts, [p[0] for p in PANELS])
    ce = pd.read_csv(folder / "ce_plane.csv")
    week_i = int(tables["manifest"]["intervention_weeks"])
    save_figure(plot_main(weekly, ce, week_i, STRATEGIES), fig_dir, FIGURES["compare"])
    table = pd.read_csv(folder / "counterfactual.csv")
    rows = cf.display_rows(table)
    reps = int(tables["manifest"]["replications_done"])
    lines = [f"`none`, `training` and `teams`, {reps} paired replications; effects over "
             "`none` with 95 % intervals (`counterfactual.csv`).", "",
             "| measure | " + " | ".join(r for r in STRATEGIES if r != "none") + " |",
             "|---|" + "---|" * (len(STRATEGIES) - 1)]
    for label, cells in rows:
        lines.append(f"| {label} | " + " | ".join(cells.get(s, "") for s in STRATEGIES
                                                  if s != "none") + " |")
    final = weekly[weekly["week"] == weekly["week"].max()]
    parts = []
    for metric, _, title, _, scale in PANELS:
        unit = " (EUR M)" if scale != 1.0 else ""
        cells = [f"{s} {r['mean'] / scale:.4f} [{r['low'] / scale:.4f}, {r['high'] / scale:.4f}]"
                 for s in STRATEGIES
                 for r in final[(final["metric"] == metric)
                                & (final["strategy"] == s)].to_dict("records")]
        parts.append(f"{title.split(':')[0]}{unit}: " + ", ".join(cells))
    lines += ["", f"At week {int(weekly['week'].max())} (means, 95 % CI): "
              + "; ".join(parts) + "."]
    return "\n".join(lines) + "\n"


def run_equal_budget(args: argparse.Namespace, folder: Path, overrides: dict[str, Any]
                     ) -> Path:
    """Step 2 (or its reuse)."""
    import equal_budget

    marker, wanted = step_settings(args, "equal_budget", overrides)
    if step_state(folder, marker, wanted) == "reuse":
        print(f"equal_budget: reusing {folder} (same settings)")
        return folder
    code = equal_budget.main(["--scenario", args.scenario, "--designs", str(args.designs),
                              "--seeds", str(args.seeds), "--fresh-seeds",
                              str(args.fresh_seeds), "--executor", args.executor,
                              "--out", str(folder), *_common(args)])
    if code:
        raise SystemExit(code)
    return folder


def run_verdict(args: argparse.Namespace, folder: Path, overrides: dict[str, Any]) -> Path:
    """Step 3 (or its reuse)."""
    import verdict as verdict_script

    marker, wanted = step_settings(args, "verdict", overrides)
    if step_state(folder, marker, wanted) == "reuse":
        print(f"verdict: reusing {folder} (same settings)")
        return folder
    code = verdict_script.main(["--scenario", args.scenario, "--n", str(args.n), "--seeds",
                                str(args.sobol_seeds), "--executor", args.executor,
                                "--out", str(folder), *_common(args)])
    if code:
        raise SystemExit(code)
    return folder


RUNNERS = {"compare": run_compare, "equal_budget": run_equal_budget, "verdict": run_verdict}


def _common(args: argparse.Namespace) -> list[str]:
    out = [f"--set={s}" for s in args.sets]
    if args.workers:
        out += ["--workers", str(args.workers)]
    if args.scheduler:
        out += ["--scheduler", args.scheduler]
    if args.quiet:
        out.append("--quiet")
    return out


def equal_budget_block(folder: Path) -> str:
    """The fresh-seed comparison table, the frontier sizes and the budgets."""
    import pandas as pd

    settings = _json(folder / "equal_budget.json")
    summary = pd.read_csv(folder / "design_summary.csv")
    fronts = {s: int(summary[(summary["strategy"] == s)
                             & summary["on_front_alignment_end"]].shape[0])
              for s in settings["pair"]}
    head = (f"{settings['designs_per_strategy']} Latin-hypercube designs per strategy plus "
            f"its default, {len(settings['seeds'])} paired sampling seeds; budgets EUR "
            + ", ".join(f"{b / 1e6:.2f}" for b in settings["budgets"])
            + " M (a quarter, half and three quarters into the cost range both strategies "
            "span); designs on the alignment frontier: "
            + ", ".join(f"{s} {n}" for s, n in fronts.items()) + ".")
    return head + "\n\n" + (folder / "equal_budget.md").read_text(encoding="utf-8")


def verdict_block(folder: Path) -> str:
    """The Sobol table, the deciding assumptions, the PRIM boxes and the notes."""
    import pandas as pd

    settings = _json(folder / "verdict.json")
    lines = [(folder / "verdict.md").read_text(encoding="utf-8").rstrip(), ""]
    deciding = pd.read_csv(folder / "deciding.csv")
    lines.append("The three assumptions that decide the claim (largest total index on a "
                 "teams − training difference):")
    lines.append("")
    for i, r in enumerate(deciding.to_dict("records"), 1):
        floor = "above" if r["above_floor"] else "not above"
        lines.append(f"{i}. `{r['parameter']}`: ST {r['ST']:.2f} ± {r['ST_conf']:.2f} on "
                     f"{r['output']} ({floor} the noise floor)")
    lines += ["", f"PRIM boxes where {settings['claim']} (share of points where it holds: "
              f"{settings['claim_share']:.0%}):", ""]
    boxes = pd.read_csv(folder / "prim_boxes.csv")
    stats = pd.read_csv(folder / "prim_stats.csv")
    if stats.empty:
        lines.append("no box (the claim holds everywhere or nowhere in the sample)")
    for s in stats.to_dict("records"):
        limits = boxes[(boxes["box"] == s["box"]) & boxes["restricted"]]
        text = "; ".join(f"{r['parameter']} in [{r['min']:.4g}, {r['max']:.4g}]"
                         for r in limits.to_dict("records")) or "no restriction"
        noise = (", restricts the dummy: fitted to noise, not a finding"
                 if "dummy" in set(limits["parameter"]) else "")
        lines.append(f"- box {int(s['box'])}: {text} (coverage {s['coverage']:.2f}, density "
                     f"{s['density']:.2f}, {int(s['n'])} points{noise})")
    notes = [m for m in settings.get("messages", []) if "holds at" not in m]
    if notes:
        lines += ["", "Notes: " + "; ".join(notes) + "."]
    return "\n".join(lines) + "\n"


def fill_markers(page: Path, blocks: dict[str, str]) -> list[str]:
    """Replace each ``<!-- results_page:NAME -->`` ... ``<!-- /results_page:NAME -->``
    block of ``page``; return the names that have no markers there."""
    if not page.is_file():
        return list(blocks)
    text = page.read_text(encoding="utf-8")
    missing = []
    for name, block in blocks.items():
        pattern = re.compile(rf"(<!-- results_page:{name} -->\n).*?(<!-- /results_page:{name} "
                             r"-->)", re.S)
        if not pattern.search(text):
            missing.append(name)
            continue
        text = pattern.sub(lambda m, b=block: m.group(1) + b + m.group(2), text)
    page.write_text(text, encoding="utf-8")
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "results_page")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs")
    parser.add_argument("--scenario", default="case")
    parser.add_argument("--replications", type=int, default=30)
    parser.add_argument("--designs", type=int, default=32)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--fresh-seeds", type=int, default=10)
    parser.add_argument("--n", type=int, default=64)
    parser.add_argument("--sobol-seeds", type=int, default=1)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--executor", default="local")
    parser.add_argument("--scheduler", default=None)
    parser.add_argument("--set", dest="sets", action="append", default=[])
    parser.add_argument("--steps", default=",".join(FIGURES),
                        help="the steps to run or reuse (default: all three)")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)

    from sim.experiments.fairtest.options import model_fingerprint, parse_sets
    from sim.scenario import ScenarioError, apply_overrides, load_scenario

    started = time.perf_counter()
    try:
        overrides = parse_sets(args.sets)
        args.model = model_fingerprint(apply_overrides(load_scenario(args.scenario),
                                                       overrides))
        steps = [s.strip() for s in args.steps.split(",") if s.strip()]
        unknown = [s for s in steps if s not in FIGURES]
        if unknown or not steps:
            raise ValueError(f"--steps: {unknown[0] if unknown else args.steps!r} is not one of "
                             f"{', '.join(FIGURES)}")
        if args.replications < 2:
            raise ValueError(f"--replications: need at least 2, got {args.replications}")
        folders = {s: args.out / s for s in FIGURES}
        # check every step's folder before any work, so a refusal costs nothing
        for step in steps:
            marker, wanted = step_settings(args, step, overrides)
            step_state(folders[step], marker, wanted)
        for step in steps:
            RUNNERS[step](args, folders[step], overrides)
    except (Refused, ValueError, ScenarioError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    fig_dir = args.docs / "figures"
    makers = {"compare": ("main", lambda: main_block(folders["compare"], fig_dir)),
              "equal_budget": ("equal_budget",
                               lambda: equal_budget_block(folders["equal_budget"])),
              "verdict": ("verdict", lambda: verdict_block(folders["verdict"]))}
    blocks = {makers[s][0]: makers[s][1]() for s in steps}
    for step in [s for s in steps if s != "compare"]:
        for ext in (".png", ".svg"):
            shutil.copyfile(folders[step] / "figures" / f"{FIGURES[step]}{ext}",
                            fig_dir / f"{FIGURES[step]}{ext}")
    numbers = "".join(f"<!-- results_page:{k} -->\n{v}<!-- /results_page:{k} -->\n\n"
                      for k, v in blocks.items())
    (args.out / "numbers.md").write_text(numbers, encoding="utf-8")
    missing = fill_markers(args.docs / "results.md", blocks)
    for name in missing:
        print(f"note: {args.docs / 'results.md'} has no results_page:{name} markers; the "
              f"block is in {args.out / 'numbers.md'}")
    print(f"numbers: {args.out / 'numbers.md'}; figures: {fig_dir}; "
          f"{time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
