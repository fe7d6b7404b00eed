"""Writing a sweep's analyses: sensitivity indices and scenario discovery, tables and figures.

The experiments layer computes (``sim.experiments.sensitivity.indices_tables``,
``sim.experiments.discovery.answer``) and writes nothing of a figure; these functions draw
and write the tables and figures together, which is what ``merger-sim sweep --analyse``,
``merger-sim discover`` and the experiment scripts call. Everything is computed and drawn
before the first file is written, so a failure leaves the previous analysis whole.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pandas as pd

from sim.experiments.discovery import Question, answer
from sim.experiments.sensitivity import indices_tables
from sim.presentation.plots.discovery import plot_boxes, plot_trajectory
from sim.presentation.plots.sensitivity import plot_convergence, plot_indices, plot_mu_sigma
from sim.presentation.plots.style import save_figure


def analyse_sweep(loaded: Any, out: Path | str, method: str) -> list[Path]:
    """Write the analysis of a completed sweep into ``out``.

    Always ``indices.csv`` and ``figures/sensitivity.{png,svg}``; Sobol: the convergence
    table ``sobol_convergence.csv`` and ``figures/sobol_convergence``, and with the second
    order sampled ``sobol_second_order.csv``; Morris: ``figures/morris_mu_sigma``; the
    warnings (printed on stderr too) in ``sensitivity_warnings.txt``. Everything is
    computed and drawn before the first file is written, so a failure leaves the previous
    analysis whole; a file this analysis does not produce is removed, never left stale.
    """
    out = Path(out)
    found = indices_tables(loaded, out, method)
    name = f"{loaded.spec.name}: {method} sensitivity"
    tables: dict[str, pd.DataFrame | None] = {
        "indices.csv": found.indices,
        "sobol_second_order.csv": found.second_order,
        "sobol_convergence.csv": found.convergence,
    }
    figures = {"sensitivity": plot_indices(found.indices, method, name),
               "sobol_convergence": None, "morris_mu_sigma": None}
    if found.convergence is not None:
        figures["sobol_convergence"] = plot_convergence(
            found.convergence, f"{name}: convergence over N")
    if method == "morris":
        figures["morris_mu_sigma"] = plot_mu_sigma(found.indices, f"{name}: mu* and sigma")
    written = []
    for file, table in tables.items():
        if table is None:
            (out / file).unlink(missing_ok=True)
        else:
            table.to_csv(out / file, index=False)
            written.append(out / file)
    notes = out / "sensitivity_warnings.txt"
    for line in found.warnings:
        print(f"warning: {line}", file=sys.stderr)
    if found.warnings:
        notes.write_text("".join(f"{line}\n" for line in found.warnings), encoding="utf-8")
        written.append(notes)
    else:
        notes.unlink(missing_ok=True)
    for stem, fig in figures.items():
        if fig is None:
            for ext in ("png", "svg"):
                (out / "figures" / f"{stem}.{ext}").unlink(missing_ok=True)
        else:
            written += save_figure(fig, out / "figures", stem)
    return written


def discover(out: Path | str, question: Question, fig_dir: Path | str | None = None,
             max_boxes: int = 3, table_dir: Path | str | None = None) -> dict[str, Any]:
    """Answer a question from a sweep's saved results; write the tables and figures.

    Writes, in ``table_dir`` (default ``out``), with stem
    ``discovery_<better>_vs_<worse>_<outcome>``: ``_boxes.csv`` (PRIM's limits with their
    quasi-p-values, joined with the box statistics and the question), ``_trajectory.csv``
    (each box's peeling trajectory), ``_features.csv`` (extra-trees feature scores) and
    ``_cart.csv`` (the leaves of a classification tree); in ``fig_dir`` (default
    ``out/figures``) the boxes figure and ``_trajectory`` (coverage against density, and the
    feature scores), PNG and SVG. Everything is computed before the first file is written.

    Returns:
        Paths written (the boxes CSV first, then its figures, then the other tables and
        figures), the share of points where ``better`` wins, the tables (``limits``,
        ``stats``, ``trajectory``, ``features``, ``cart``), and ``points``: per parameter
        point its values, the mean paired ``advantage`` and whether it is a ``win``.
    """
    out = Path(out)
    found = answer(out, question, max_boxes)
    stem, share, where, asked = found["stem"], found["share"], found["where"], found["asked"]
    fig = plot_boxes(found["x"], found["cases"], found["limits"], found["stats"],
                     f"{question.describe()} (wins at {share:.0%} of points)\n{where}")
    fig_path = plot_trajectory(found["trajectory"], found["features"],
                               f"{question.describe()}\n{where}")
    table_dir = Path(table_dir) if table_dir is not None else out
    table_dir.mkdir(parents=True, exist_ok=True)
    csv_path = table_dir / f"{stem}_boxes.csv"
    found["boxes"].to_csv(csv_path, index=False)
    figures = save_figure(fig, fig_dir or out / "figures", stem)
    extra = []
    for name in ("trajectory", "features", "cart"):
        frame = found[name]
        path = table_dir / f"{stem}_{name}.csv"
        (frame.assign(**asked) if len(frame) else frame).to_csv(path, index=False)
        extra.append(path)
    extra += save_figure(fig_path, fig_dir or out / "figures", f"{stem}_trajectory")
    return {"paths": [csv_path, *figures, *extra], "share": share, "limits": found["limits"],
            "stats": found["stats"], "points": found["points"],
            "trajectory": found["trajectory"], "features": found["features"],
            "cart": found["cart"]}
