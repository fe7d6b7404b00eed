"""The debrief after a class: the class's run against the rules' run and against training.

After the run (or whenever the teacher ends the class) the teacher's screen compares three
runs of the same scenario and seed over the same weeks:

- the class's run (students' choices where they made them, the rules elsewhere);
- the same seed with every choice made by the model's rules (``teams`` without people);
- ``training`` on the same seed (the organisation-led alternative).

on the dashboard's main monitors (its labels and number formats,
:mod:`sim.presentation.dashboard.i18n` and :mod:`sim.presentation.dashboard.numbers`), two plots
over the weeks, and what the class did differently: the choices that went against what the rule
chose at the same point (who joined or declined against the rule, pitches judged against the
threshold, other gaps coached, pitches prepared otherwise) and the teams' composition by city at the
end of recruitment, the class's against the rules'.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sim.model import MergerModel
from sim.presentation.dashboard.i18n import t
from sim.presentation.dashboard.numbers import format_euros, format_number
from sim.presentation.live.teams import team_strategy
from sim.presentation.live.texts import (
    KINDS,
    PLANS,
    dimension_text,
    number_text,
    phrase,
    theme_text,
)
from sim.runner import run

if TYPE_CHECKING:
    from sim.presentation.live.session import ClassSession

MONITORS: tuple[tuple[str, str], ...] = (
    ("distance_to_target", "monitor_distance_to_target"),
    ("city_divergence", "monitor_city_divergence"),
    ("cross_city_ties", "monitor_cross_city_ties"),
    ("contract_strength", "monitor_contract_strength"),
    ("headcount", "monitor_headcount"),
    ("teams_active", "monitor_teams_active"),
    ("proposals_accepted", "monitor_proposals_accepted"),
    ("cost_cum", "monitor_cost_so_far"),
)
"""Timeseries column and the dashboard's label key of each monitor, in reading order."""

PLOTS = ("distance_to_target", "cross_city_ties")
RUNS = ("class", "rules", "training")


def monitor_text(row: pd.Series, lang: str) -> dict[str, str]:
    """One run's final monitors as the dashboard writes them."""
    return {
        "distance_to_target": format_number(float(row["distance_to_target"]), lang, 3),
        "city_divergence": format_number(float(row["city_divergence"]), lang, 3),
        "cross_city_ties": format_number(100.0 * float(row["cross_city_ties"]), lang, 1) + " %",
        "contract_strength": format_number(float(row["contract_strength"]), lang, 2),
        "headcount": format_number(int(row["headcount"]), lang, 0),
        "teams_active": str(int(row["teams_active"])),
        "proposals_accepted": str(int(row["proposals_accepted"])),
        "cost_cum": format_euros(float(row["cost_cum"]), lang),
    }


def rules_run(session: ClassSession) -> tuple[pd.DataFrame, np.ndarray | None]:
    """The same seed over the same weeks with every choice by the rules, and its teams'
    composition by city at the end of recruitment."""
    from sim.presentation.live.session import members_per_city

    model = MergerModel(session.config, session.strategy, seed=session.seed)
    recruited = min(session.config.teams.recruitment_weeks, session.config.horizon.total_weeks)
    counts = None
    while model.week < session.model.week:
        model.step()
        if model.week == recruited:
            counts = members_per_city(model)
    return model.timeseries(), counts


def _against_rule(session: ClassSession, lang: str = "en") -> list[dict[str, Any]]:
    """The people's choices that differ from what the rule chose at the same point."""
    model = session.model
    names = [theme_text(n, lang) for n in team_strategy(model).theme_names]
    who = {p.uid: p.nickname for p in session.players.values() if p.role}
    out = []
    for e in session.book.log:
        if e.source != "player" or e.rule < 0 or e.value == e.rule:
            continue
        if e.kind == "respond":
            what = phrase("joined_vs" if e.value else "declined_vs", lang, theme=names[e.target])
            actor = who.get(e.actor, f"#{e.actor}")
        elif e.kind == "verdict":
            what = phrase("verdict_vs", lang,
                          verdict=phrase("accepted_v" if e.value else "rejected_v", lang),
                          theme=names[e.actor], quality=number_text(e.score, lang),
                          rule=phrase("accepted_v" if e.rule else "rejected_v", lang))
            actor = phrase("management", lang)
        elif e.kind == "pitch":
            what = phrase("pitch_vs", lang, plan=PLANS[lang][e.value], rule=PLANS[lang][e.rule])
            actor = names[e.actor]
        elif e.kind == "call":
            what = phrase("call_vs", lang)
            actor = who.get(e.actor, f"#{e.actor}")
        else:
            what = phrase("gap_vs", lang, dim=dimension_text(model.dimensions[e.value], lang),
                          rule=dimension_text(model.dimensions[e.rule], lang))
            actor = names[e.actor]
        out.append({"week": e.week, "kind": e.kind, "who": actor, "what": what})
    return out


def _composition(counts: np.ndarray | None, model: MergerModel,
                 lang: str = "en") -> dict[str, dict[str, int]]:
    names = team_strategy(model).theme_names
    if counts is None:
        return {}
    return {theme_text(names[team], lang): dict(zip(model.city_names, counts[team].tolist(),
                                                    strict=True))
            for team in range(counts.shape[0])}


def debrief(session: ClassSession, lang: str = "en") -> dict[str, Any]:
    """The debrief's content (JSON-ready): monitors, plot series, what the class did
    differently. The two comparison runs take a few seconds (a year and a half: ~6 s)."""
    weeks = session.model.week
    frames = {"class": session.model.timeseries()}
    frames["rules"], rule_counts = rules_run(session)
    frames["training"] = run(session.config, "training", seed=session.seed,
                             weeks=weeks).timeseries
    finals = {name: monitor_text(frame.iloc[-1], lang) for name, frame in frames.items()}
    monitors = [{"key": key, "label": t(label, lang),
                 **{name: finals[name][key] for name in RUNS}} for key, label in MONITORS]
    log = [e for e in session.book.log if e.source == "player"]
    counts = {KINDS[lang][kind]: sum(1 for e in log if e.kind == kind)
              for kind in ("invite", "respond", "pitch", "verdict", "gap", "call")}
    return {
        "weeks": weeks,
        "monitors": monitors,
        "series": {key: {name: [round(float(x), 5) for x in frame[key]]
                         for name, frame in frames.items()} for key in PLOTS},
        "series_labels": {key: t(label, lang) for key, label in MONITORS if key in PLOTS},
        "player_choices": counts,
        "against_rule": _against_rule(session, lang),
        "composition": {"class": _composition(session.composition, session.model, lang),
                        "rules": _composition(rule_counts, session.model, lang)},
    }
