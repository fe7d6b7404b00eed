"""One self-contained HTML report of a strategy comparison.

Why self-contained: the report is what people mail to a colleague or open in a classroom
without internet. Figures are embedded as base64 PNG data URIs, the style sheet is inline,
and nothing is fetched from the network. The page holds, in order: the command that
reproduces it, the scenario and settings, the effects over doing nothing (``none``: effect,
speed, durability, incremental cost and ICER, the cost-effectiveness plane and acceptability
curve), the figures, the summary table, the paired differences (with Benjamini-Hochberg
adjusted p-values), the derived outcomes (acculturation modes), failed runs, the stopping-rule
trace, provenance, and the operational definitions.
"""

from __future__ import annotations

import base64
import html
import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from sim.experiments import counterfactual as cf
from sim.experiments.outcomes import label

SECTIONS: tuple[tuple[str, str], ...] = (
    ("reproduce", "How to reproduce"),
    ("settings", "Scenario and settings"),
    ("counterfactual", "Effects over doing nothing (none)"),
    ("figures", "Figures"),
    ("summary", "Summary per strategy"),
    ("paired", "Paired differences"),
    ("outcomes", "Derived outcomes: acculturation per city"),
    ("failures", "Failed runs"),
    ("provenance", "Provenance"),
    ("definitions", "Definitions"),
)
"""Section id and heading, in page order; tests check that all are present."""

FIGURE_CAPTIONS: dict[str, str] = {
    "timeseries": "Key outputs over time: mean of the replications per strategy with 95 % "
                  "confidence bands; the intervention period is shaded.",
    "paired_differences": "Paired differences between strategies (later minus earlier "
                          "strategy, same seeds) at the end of the intervention and of the "
                          "follow-up, with 95 % intervals. A dashed line marks no difference.",
    "cost_alignment": "Total cost against the alignment gained by the end of the follow-up; "
                      "one dot per run, diamonds are strategy means with 95 % intervals.",
    "value_space": "Employees' value vectors projected on the first two principal "
                   "components, coloured by city; the star is the target culture.",
    "effect_over_none": "Effect on alignment over none: 100 × (distance under none − "
                        "distance under the strategy), mean of the paired seeds with 95 % "
                        "band; the intervention period is shaded.",
    "ce_plane": "Cost-effectiveness plane: incremental cost against incremental effect on "
                "alignment over none at the end of the run, one dot per paired seed; "
                "diamonds are means with 95 % confidence ellipses; none is the origin.",
    "ceac": "Cost-effectiveness acceptability curve: share of paired bootstrap draws in "
            "which each option has the largest net benefit (WTP × effect − cost; none = 0) "
            "at each willingness to pay per point of alignment.",
}
"""Caption per figure name; network figures get a generated caption."""

COUNTERFACTUAL_FIGURES: tuple[str, ...] = ("effect_over_none", "ce_plane", "ceac")
"""Figures shown in the counterfactual section rather than with the other figures."""

SUMMARY_OUTCOMES: tuple[str, ...] = (
    "distance_to_target_end_intervention",
    "distance_to_target_final",
    "city_divergence_final",
    "cross_city_ties_final",
    "contract_strength_final",
    "leavers_cum_final",
    "outflow_per_year",
    "weeks_to_integration",
    "integration_reached",
    "weeks_to_alignment",
    "durability",
    "cost_total",
    "cost_per_alignment_point",
    "client_value_final",
)
"""Outcomes shown in the report's tables (the CSV files hold all of them)."""

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1100px;
margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0}
th,td{border:1px solid #ddd;padding:3px 6px;text-align:right}
th{background:#f3f3f3}td.l,th.l{text-align:left}
pre{background:#f6f6f6;padding:.7em;overflow-x:auto;font-size:.85em}
figure{margin:1em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{font-size:.9em;color:#444}nav a{margin-right:.8em}
"""


def _fmt(value: Any) -> str:
    """Number formatting for tables: 4 significant digits, thousands separators, NaN as –."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if not math.isfinite(value):
            return "–"
        if value != 0 and (abs(value) >= 1e5 or abs(value) < 1e-3):
            return f"{value:,.4g}" if abs(value) >= 1e5 else f"{value:.3g}"
        return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"
    return html.escape(str(value))


def html_table(df: pd.DataFrame, columns: Sequence[str] | None = None,
               text_columns: Sequence[str] = ()) -> str:
    """Render a DataFrame as a plain HTML table (escaped; text columns left-aligned)."""
    if df is None or df.empty:
        return "<p><em>None.</em></p>"
    cols = [c for c in (columns or df.columns) if c in df.columns]
    head = "".join(
        f'<th class="{"l" if c in text_columns else ""}">{html.escape(str(c))}</th>'
        for c in cols)
    rows = []
    for rec in df[cols].itertuples(index=False):
        cells = "".join(
            f'<td class="{"l" if c in text_columns else ""}">{_fmt(v)}</td>'
            for c, v in zip(cols, rec, strict=True))
        rows.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _figure_html(name: str, paths: Sequence[Path]) -> str:
    """An embedded figure: the PNG as a data URI, captioned."""
    png = next((p for p in paths if p.suffix == ".png"), None)
    if png is None or not png.is_file():
        return ""
    data = base64.b64encode(png.read_bytes()).decode("ascii")
    caption = FIGURE_CAPTIONS.get(name)
    if caption is None and name.startswith("network_"):
        caption = (f"Informal network of the first replication under "
                   f"{name.removeprefix('network_')}, at each snapshot week; top coloured by "
                   "city, bottom by team. One layout is shared by all panels.")
    alt = html.escape(caption or name)
    return (f'<figure id="fig-{html.escape(name)}"><img alt="{alt}" '
            f'src="data:image/png;base64,{data}"><figcaption>{alt} '
            f"(files: figures/{html.escape(name)}.png, .svg)</figcaption></figure>")


def _key_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of the report's key outcomes, in their order, with readable labels."""
    sub = table[table["outcome"].isin(SUMMARY_OUTCOMES)].copy()
    sub["order"] = sub["outcome"].map({o: i for i, o in enumerate(SUMMARY_OUTCOMES)})
    sub = sub.sort_values(["order"], kind="stable")
    sub["outcome"] = [label(o) for o in sub["outcome"]]
    return sub


def _summary_view(summary: pd.DataFrame) -> pd.DataFrame:
    """Key rows of summary.csv with readable labels."""
    if summary is None or summary.empty:
        return pd.DataFrame()
    sub = _key_rows(summary)
    return sub[["outcome", "strategy", "mean", "sd", "low", "high", "n"]]


def _paired_view(paired: pd.DataFrame) -> pd.DataFrame:
    """Key rows of paired.csv with readable labels."""
    if paired is None or paired.empty:
        return pd.DataFrame()
    sub = _key_rows(paired)
    sub["pair"] = sub["strategy_b"] + " − " + sub["strategy_a"]
    cols = ["outcome", "pair", "mean_diff", "low", "high", "welch_half_width", "n",
            "cohen_dz", "p_value", "p_value_bh"]
    return sub[[c for c in cols if c in sub.columns]]


def _multiplicity(paired: pd.DataFrame | None) -> str:
    """How many comparisons paired.csv makes, and how its p-values are adjusted."""
    if paired is None or paired.empty:
        return ""
    pairs = len(set(zip(paired["strategy_a"], paired["strategy_b"], strict=True)))
    tested = int(paired["p_value"].notna().sum())
    return (f"<p><b>Multiplicity.</b> paired.csv makes {len(paired)} comparisons ({pairs} "
            f"pair(s) × {paired['outcome'].nunique()} outcomes), {tested} with a p-value. "
            f"<i>p_value_bh</i> is the Benjamini-Hochberg adjusted p-value over all {tested}: "
            "declaring a difference where it is at most q keeps the expected share of false "
            "discoveries at q. The table shows the key outcomes only.</p>")


def _counterfactual_html(tables: Mapping[str, Any], figures: Mapping[str, Sequence[Path]],
                         manifest: Mapping[str, Any]) -> str:
    """The counterfactual section: yardsticks, the table, notes and its three figures."""
    table = tables.get("counterfactual")
    if table is None or table.empty:
        return ("<p><em>none is not part of this comparison, so there are no effects over "
                "doing nothing. Add it with --strategies none,... (merger-sim compare adds it "
                "unless --no-counterfactual).</em></p>")
    settings = manifest.get("counterfactual") or {}
    rows = cf.display_rows(table)
    strategies = list(table["strategy"])
    view = pd.DataFrame([{"measure": text, **cells} for text, cells in rows],
                        columns=["measure", *strategies])
    wtp = settings.get("wtp", "auto")
    wtp_text = ("0 to twice the largest ICER" if wtp == "auto"
                else f"{wtp[0]:,.0f} to {wtp[1]:,.0f} EUR per point")
    notes = "".join(f"<li>{html.escape(m)}</li>" for m in cf.messages(table))
    body = (
        f"<p>Each strategy against <b>none</b> run on the same seeds (n = "
        f"{', '.join(f'{s}: {k}' for s, k in zip(table['strategy'], table['n'], strict=True))}"
        f" pairs). Effects are percentage points of distance to the target culture closed "
        f"beyond what the merger does by itself. Yardsticks: durability read "
        f"{settings.get('durability_weeks')} weeks after the end of the intervention and "
        f"after each strategy's own peak; speed threshold {settings.get('threshold')} "
        f"point(s); willingness to pay {html.escape(wtp_text)}. Differences: paired Student-t "
        f"95 % intervals; ratios (durability, ICER): paired bootstrap percentile intervals "
        f"({settings.get('resamples')} resamples). All columns in counterfactual.csv; effect "
        f"per week and metric in counterfactual_weekly.csv.</p>"
        + html_table(view, text_columns=("measure", *strategies))
        + (f"<ul>{notes}</ul>" if notes else "")
        + "".join(_figure_html(n, figures[n]) for n in COUNTERFACTUAL_FIGURES if n in figures)
    )
    return body


DEFINITIONS = """
<ul>
<li><b>Replications and pairing.</b> Replication <i>i</i> uses seed base_seed + <i>i</i> under
every strategy (common random numbers): the runs share their initial population and network,
so differences are paired.</li>
<li><b>Intervals.</b> Student-t 95 % intervals of the mean over replications (Wilson
intervals for 0/1 outcomes such as <i>integration_reached</i>). Paired
differences: the t-interval of the mean of the per-replication differences (later strategy
minus earlier one). <i>welch_half_width</i> is the half-width one would get ignoring the
pairing. <i>cohen_dz</i> is the mean difference divided by the standard deviation of the
differences (Lakens 2013).</li>
<li><b>Time to integration</b> (weeks): first week from which the divergence between the
cities' cultures stays at or below half its week-0 value for 4 consecutive weeks; missing when
never reached (<i>integration_reached</i> is the share of runs that reached it).</li>
<li><b>Durability</b> (ratio): alignment gained at the end of the follow-up divided by the
alignment gained at the end of the intervention (1 = all kept). It is measured from the
strategy's own start and so includes what the merger does by itself; the durabilities over
none (below) remove that.</li>
<li><b>Cost per point of alignment</b> (EUR per percentage point): total cost divided by
100 × the reduction of the distance to the target culture at the end of the follow-up.</li>
<li><b>Acculturation mode per city</b> (Berry; Nahavandi &amp; Malekzadeh 1988), week 0 to
the last snapshot: <i>convergence</i> = share of the initial cultural gap between the city and
the other cities that has closed; <i>own_share</i> = the city's share of the movement (near 1:
it alone moved); <i>movement</i> = how far the city left its original culture, relative to
that gap. Convergence ≥ 0.5 with own share ≤ 0.75: integration; with own share &gt; 0.75:
assimilation; no convergence and movement &lt; 0.5: separation; no convergence and movement
≥ 0.5: deculturation. <i>target_adoption</i> (share of the distance to the stated target
culture closed) is reported but does not decide the mode.</li>
<li><b>--replications auto</b>: replications are added in batches until, for every strategy,
the half-width of the 95 % interval of the key outcome is at most the precision target times
its absolute mean and, with a half-width target, the 95 % interval of every paired difference
of the key outcome with the baseline (none when compared) is at most that half-width, up to a
cap (Lee et al. 2015, JASSS 18(4) 4; Law 2015).</li>
<li><b>Effects over none</b>: E(t) = 100 × (d<sub>none</sub>(t) − d<sub>s</sub>(t)) per
paired seed, in percentage points. Speed: first week from which E stays at or above half its
own maximum (or the threshold) for 4 weeks. Durability after intervention: mean E(I + N) /
mean E(I); after peak: mean E(P + N) / mean E(P), P the week of the largest mean effect.
Incremental cost ΔC: cost minus the cost under none. ICER = mean ΔC / mean E(end), undefined
when |mean E(end)| &lt; 0.1 point. CEAC: share of bootstrap draws in which λ × ΔE − ΔC is the
largest (none: 0).</li>
<li><b>Multiplicity</b>: p-values in paired.csv are adjusted with Benjamini-Hochberg over
every comparison that has one (<i>p_value_bh</i>).</li>
</ul>
<p>Full definitions: docs/outcomes.md.</p>
"""


def build_report(
    out_dir: Path | str,
    tables: Mapping[str, Any],
    figures: Mapping[str, Sequence[Path]],
) -> Path:
    """Write ``report.html`` in ``out_dir`` from saved tables and drawn figures.

    Args:
        out_dir: the comparison folder.
        tables: summary, paired, acculturation_summary, failures (DataFrames) and manifest.
        figures: figure name -> paths, as returned by ``sim.presentation.plots.draw_all``.

    Returns:
        The report's path.
    """
    out = Path(out_dir)
    m = tables["manifest"]
    esc = html.escape
    parts: list[str] = []
    title = f"Strategy comparison: {esc(', '.join(m['strategies']))}"
    parts.append(f"<h1>{title}</h1>")
    parts.append("<nav>" + "".join(f'<a href="#{sid}">{esc(h)}</a>' for sid, h in SECTIONS)
                 + "</nav>")

    def section(sid: str, body: str) -> None:
        heading = dict(SECTIONS)[sid]
        parts.append(f'<section id="{sid}"><h2>{esc(heading)}</h2>{body}</section>')

    section("reproduce", f"<pre>{esc(m['command'])}</pre><p>Created {esc(str(m['created']))}. "
            f"Figures and this report can be rebuilt from the saved runs without rerunning: "
            f"<code>merger-sim compare {esc(m['scenario_path'])} --redraw --out "
            f"{esc(str(out))}</code>.</p>")
    runs_ok = ", ".join(f"{esc(k)}: {v}" for k, v in m.get("runs_ok", {}).items())
    settings = (
        f"<p>Scenario <b>{esc(str(m['scenario_path']))}</b>; strategies "
        f"<b>{esc(', '.join(m['strategies']))}</b> (the first is the baseline); replications "
        f"{esc(str(m['replications']))} (done: {m.get('replications_done')}, successful runs "
        f"{runs_ok or 'none'}); seeds {esc(str(m.get('seeds')))}; intervention "
        f"{m.get('intervention_weeks')} weeks, follow-up {m.get('followup_weeks')} weeks; "
        f"workers {m.get('workers')}; wall time {m.get('wall_seconds')} s.</p>"
        f"<p>Overrides: <code>{esc(json.dumps(m.get('overrides', {})))}</code></p>"
        f"<details><summary>Full scenario</summary><pre>"
        f"{esc(json.dumps(m.get('scenario'), indent=2, default=str))}</pre></details>")
    rule = m.get("stopping_rule")
    if rule:
        trace = pd.DataFrame(rule.get("trace", []))
        target = (f"95 % interval half-width of every paired difference of the key outcome "
                  f"(each strategy − the baseline) at most {rule['half_width']:g}, and "
                  if rule.get("half_width") is not None else "")
        met = bool(len(trace)) and bool(trace["met"].iloc[-1])
        outcome = ("Target reached." if met else
                   f"Stopped at the cap of {rule['max_replications']} replications without "
                   "reaching the target.")
        settings += (f"<p>Replications chosen by the stopping rule on "
                     f"<code>{esc(rule['key_outcome'])}</code>: {target}relative precision "
                     f"{rule['precision']:g} for every strategy; minimum "
                     f"{rule['min_replications']}, cap {rule['max_replications']}, batch "
                     f"{rule['batch']}. {outcome} Precision achieved at each check:</p>"
                     + html_table(trace))
    section("settings", settings)
    section("counterfactual", _counterfactual_html(tables, figures, m))
    section("figures", "".join(_figure_html(n, p) for n, p in figures.items()
                               if n not in COUNTERFACTUAL_FIGURES)
            or "<p><em>No figures.</em></p>")
    section("summary", "<p>Mean, standard deviation and 95 % interval over replications "
            "(all outcomes in summary.csv).</p>"
            + html_table(_summary_view(tables.get("summary")), text_columns=("outcome",
                                                                              "strategy")))
    section("paired", "<p>Mean paired difference (later minus earlier strategy) with its "
            "95 % interval (all outcomes in paired.csv).</p>"
            + _multiplicity(tables.get("paired"))
            + html_table(_paired_view(tables.get("paired")), text_columns=("outcome", "pair")))
    acc = tables.get("acculturation_summary")
    section("outcomes", "<p>Share of runs in each acculturation mode per strategy and city, "
            "with the mean scores (acculturation_summary.csv); the derived outcomes time to "
            "integration, durability and cost per point of alignment are in the summary "
            "above.</p>"
            + html_table(acc, text_columns=("strategy", "city", "modal_mode")))
    failures = tables.get("failures")
    section("failures", html_table(failures, text_columns=("strategy", "error"))
            if failures is not None and not failures.empty else "<p>No run failed.</p>")
    prov = m.get("provenance", {})
    section("provenance", html_table(pd.DataFrame(
        {"item": list(prov), "value": [str(v) for v in prov.values()]}),
        text_columns=("item", "value")))
    section("definitions", DEFINITIONS)
    page = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f"<title>{title}</title><style>{CSS}</style></head><body>"
            + "\n".join(parts) + "</body></html>\n")
    path = out / "report.html"
    path.write_text(page, encoding="utf-8")
    return path
