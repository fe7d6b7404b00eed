"""The classroom exercises from one source: the guides' sections, answer keys, worksheets.

Why: a teaching guide that promises what the model does not show sends a class after things
that are not there. ``docs/teaching/exercises.toml`` holds every exercise once: its settings
(what the dashboard builds on Reset), what students do, what they should observe and why, and
a check per observation. From it this module

- runs an exercise's settings headless, exactly as the dashboard would build them
  (:class:`~sim.presentation.dashboard.classroom.Classroom`, so every setting is one the page
  offers);
- checks every claim for every listed seed (``tests/test_exercises.py`` does that for all);
- writes the exercise sections of ``docs/teaching/en.md`` and ``nl.md`` (between the
  ``<!-- exercises:start -->`` and ``<!-- exercises:end -->`` markers), the teacher's answer
  keys and the students' worksheets (print-ready HTML) in both languages.

Usage: ``python -m sim.presentation.teaching`` (write) or ``python -m sim.presentation.teaching
--check`` (exit 1 when a
generated file is out of date).
"""

from __future__ import annotations

import argparse
import functools
import html
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import pandas as pd

from sim.presentation.dashboard.i18n import LANGUAGES, scenario_name, strategy_name, t
from sim.presentation.dashboard.numbers import format_euros, format_number, format_setting

REPO: Final[Path] = Path(__file__).resolve().parents[2]
TEACHING: Final[Path] = REPO / "docs" / "teaching"
SOURCE: Final[Path] = TEACHING / "exercises.toml"
START: Final[str] = ("<!-- exercises:start (generated from exercises.toml by "
                     "python -m sim.presentation.teaching) -->")
END: Final[str] = "<!-- exercises:end -->"

CHECK_KINDS: Final[frozenset[str]] = frozenset(
    {"less", "fades", "near", "ratio_below", "ratio_above", "constant", "above", "equals",
     "varies"})

METRIC_LABEL: Final[dict[str, str]] = {"cost_cum": "monitor_cost_so_far"}
"""Label key of a metric where it is not ``monitor_<metric>``."""

WORDS: Final[dict[str, dict[str, str]]] = {
    "exercise": {"en": "Exercise", "nl": "Opdracht"},
    "settings": {"en": "Settings", "nl": "Instellingen"},
    "scenario": {"en": "scenario", "nl": "scenario"},
    "seed": {"en": "seed", "nl": "seed"},
    "until_week": {"en": "until week", "nl": "tot week"},
    "runs": {"en": "runs", "nl": "simulaties"},
    "do": {"en": "Do", "nl": "Doen"},
    "observe": {"en": "Observe", "nl": "Let op"},
    "why": {"en": "why", "nl": "waarom"},
    "discuss": {"en": "Discuss", "nl": "Bespreek"},
    "checked": {"en": "Checked for seeds {seeds} by `tests/test_exercises.py`.",
                "nl": "Gecontroleerd voor de seeds {seeds} door `tests/test_exercises.py`."},
    "answer_key": {"en": "Answer key for teachers", "nl": "Antwoordmodel voor docenten"},
    "worksheet": {"en": "Worksheet", "nl": "Werkblad"},
    "measured": {"en": "Measured with seed {seed}", "nl": "Gemeten met seed {seed}"},
    "record": {"en": "Write down", "nl": "Noteer"},
    "run": {"en": "run", "nl": "simulatie"},
    "week": {"en": "week", "nl": "week"},
    "name": {"en": "Names", "nl": "Namen"},
    "guide_note": {"en": "Generated from docs/teaching/exercises.toml; the guide is "
                         "docs/teaching/en.md.",
                   "nl": "Gegenereerd uit docs/teaching/exercises.toml; de lesbrief is "
                         "docs/teaching/nl.md."},
}
"""The few words of the generated documents that are not dashboard labels."""


def word(key: str, lang: str, **fields: object) -> str:
    text = WORDS[key][lang]
    return text.format(**fields) if fields else text


@dataclass(frozen=True)
class Run:
    """One Reset in the dashboard: a strategy and the sliders moved from their defaults."""

    name: str
    strategy: str
    settings: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Claim:
    """What students should observe, why, and the checks that the model shows it."""

    observe: dict[str, str]
    why: dict[str, str]
    checks: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class Exercise:
    """One exercise of the guide."""

    id: str
    title: dict[str, str]
    preset: str
    seeds: tuple[int, ...]
    weeks: int
    runs: tuple[Run, ...]
    do: dict[str, str]
    record: tuple[dict[str, Any], ...]
    discuss: dict[str, str]
    claims: tuple[Claim, ...]
    all_seeds: bool = False

    def run(self, name: str) -> Run:
        return next(r for r in self.runs if r.name == name)


def load_exercises(path: Path = SOURCE) -> list[Exercise]:
    """The exercises in guide order, checked for shape (a typo fails here, not in class).

    Raises:
        ValueError: a field is missing, a check names an unknown kind or run.
    """
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    exercises = []
    for raw in data["exercise"]:
        runs = tuple(Run(r["name"], r["strategy"], dict(r.get("settings", {})))
                     for r in raw["runs"])
        names = {r.name for r in runs}
        claims = []
        for c in raw["claim"]:
            checks = c["check"] if isinstance(c["check"], list) else [c["check"]]
            for check in checks:
                if check["kind"] not in CHECK_KINDS:
                    raise ValueError(f"{raw['id']}: unknown check kind {check['kind']!r}")
                for key in ("a", "b"):
                    if key in check and check[key] not in names:
                        raise ValueError(f"{raw['id']}: check names no run {check[key]!r}")
            claims.append(Claim(c["observe"], c["why"], tuple(checks)))
        exercises.append(Exercise(
            id=raw["id"], title=raw["title"], preset=raw["preset"],
            seeds=tuple(raw["seeds"]), weeks=int(raw["weeks"]), runs=runs, do=raw["do"],
            record=tuple(raw.get("record", [])), discuss=raw["discuss"],
            claims=tuple(claims), all_seeds=bool(raw.get("all_seeds", False))))
    return exercises


# ----------------------------------------------------------------------------- running


@functools.lru_cache(maxsize=256)
def _run(preset: str, strategy: str, seed: int, settings: tuple[tuple[str, Any], ...],
         weeks: int) -> pd.DataFrame:
    from sim.presentation.dashboard.classroom import Classroom

    room = Classroom(preset=preset, strategy=strategy, seed=seed, **dict(settings))
    if room.rejections:
        refused = ", ".join(r.name for r in room.rejections)
        raise ValueError(f"the dashboard does not offer these settings: {refused}")
    while room.running and room.week < weeks:
        room.step()
    return room.frames()[0]


def outputs(exercise: Exercise, run: str, seed: int) -> pd.DataFrame:
    """Weekly outputs of one run of an exercise (cached: the checks share runs)."""
    spec = exercise.run(run)
    return _run(exercise.preset, spec.strategy, seed, tuple(sorted(spec.settings.items())),
                exercise.weeks)


def value(exercise: Exercise, run: str, seed: int, metric: str, week: int) -> float:
    return float(outputs(exercise, run, seed)[metric].iloc[week])


def check_claim(exercise: Exercise, check: dict[str, Any]) -> list[str]:
    """The seeds (as messages) for which ``check`` fails; empty when it holds for all."""
    kind, metric = check["kind"], check["metric"]
    week = int(check.get("week", exercise.weeks))
    week_b = int(check.get("week_b", week))
    margin = float(check.get("margin", 0.0))
    ratio = float(check.get("ratio", 1.0))
    a, b = check.get("a"), check.get("b")
    failures = []
    if kind == "varies":
        diffs = [value(exercise, b, s, metric, week) - value(exercise, a, s, metric, week)
                 for s in exercise.seeds]
        if min(diffs) <= margin or max(diffs) < ratio * min(diffs):
            failures.append(f"differences per seed {[round(d, 4) for d in diffs]}")
        return failures
    for seed in exercise.seeds:
        va = value(exercise, a, seed, metric, week)
        series = outputs(exercise, a, seed)[metric]
        if kind == "less":
            ok = va + margin < value(exercise, b, seed, metric, week_b)
        elif kind == "near":
            ok = abs(va - value(exercise, b, seed, metric, week_b)) <= margin
        elif kind == "fades":
            ok = float(series.iloc[:week + 1].min()) + margin < va
        elif kind == "ratio_below":
            ok = va < ratio * float(series.iloc[0])
        elif kind == "ratio_above":
            ok = va > ratio * float(series.iloc[0])
        elif kind == "constant":
            ok = series.nunique() == 1
        elif kind == "above":
            ok = va > margin
        else:  # equals
            ok = va == margin
        if not ok:
            shown = {"a": round(va, 4)}
            if b is not None:
                shown["b"] = round(value(exercise, b, seed, metric, week_b), 4)
            failures.append(f"seed {seed}: {check} -> {shown}")
    return failures


# ----------------------------------------------------------------------------- text


def metric_name(metric: str, lang: str) -> str:
    return t(METRIC_LABEL.get(metric, f"monitor_{metric}"), lang)


def format_metric(metric: str, amount: float, lang: str) -> str:
    """A metric's value as the dashboard's monitors show it."""
    if metric == "cost_cum":
        return format_euros(amount, lang)
    if metric == "cross_city_ties":
        return format_number(100.0 * amount, lang, 1) + " %"
    if metric in ("headcount", "teams_active", "proposals_accepted", "leavers_cum"):
        return format_number(amount, lang, 0)
    return format_number(amount, lang, 3)


def run_label(exercise: Exercise, run: Run, lang: str) -> str:
    """What to set, in Markdown: "*Culture training*" or "*No intervention*,
    **Tolerantiegrens** 0,1" (control names in bold, as the guide names controls)."""
    from sim.presentation.dashboard.params import classroom_controls
    from sim.presentation.dashboard.presets import load_preset

    names = {c.path: c.name(lang) for c in classroom_controls(load_preset(exercise.preset))}
    parts = [f"*{strategy_name(run.strategy, lang)}*"]
    parts += [f"**{names.get(path, path)}** {format_setting(v, lang)}"
              for path, v in run.settings.items()]
    return ", ".join(parts)


def seeds_text(seeds: tuple[int, ...]) -> str:
    return ", ".join(str(s) for s in seeds)


def settings_lines(exercise: Exercise, lang: str) -> list[str]:
    seed = seeds_text(exercise.seeds) if exercise.all_seeds else str(exercise.seeds[0])
    head = (f"{word('scenario', lang)} *{scenario_name(exercise.preset, lang)}*; "
            f"{word('seed', lang)} {seed}; {word('until_week', lang)} {exercise.weeks}; "
            f"{word('runs', lang)}:")
    runs = [run_label(exercise, run, lang) for run in exercise.runs]
    return [head, *runs]


def guide_section(exercises: list[Exercise], lang: str) -> str:
    """The Markdown of the exercises for the guide in ``lang``."""
    out = []
    for number, ex in enumerate(exercises, 1):
        head, *runs = settings_lines(ex, lang)
        out.append(f"### {word('exercise', lang)} {number}. {ex.title[lang]}\n")
        out.append(f"- **{word('settings', lang)}:** {head} " + " | ".join(runs) + ".")
        out.append(f"- **{word('do', lang)}:** {ex.do[lang]}")
        out.append(f"- **{word('observe', lang)}:**")
        for claim in ex.claims:
            out.append(f"  - {claim.observe[lang]} (*{word('why', lang)}:* {claim.why[lang]})")
        out.append(f"- **{word('discuss', lang)}:** {ex.discuss[lang]}")
        out.append(f"\n{word('checked', lang, seeds=seeds_text(ex.seeds))}\n")
    return "\n".join(out).rstrip() + "\n"


def replace_section(text: str, section: str) -> str:
    """``text`` with what lies between the markers replaced by ``section``."""
    start, end = text.index(START), text.index(END)
    return text[:start + len(START)] + "\n\n" + section + "\n" + text[end:]


# ----------------------------------------------------------------------------- HTML

PRINT_CSS: Final[str] = """
body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; line-height: 1.4;
  color: #111; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 1.6rem; }
table { border-collapse: collapse; margin: 0.4rem 0; }
td, th { border: 1px solid #999; padding: 0.25rem 0.6rem; text-align: left; }
td.blank { min-width: 6rem; height: 1.6rem; }
.lines div { border-bottom: 1px solid #999; height: 1.8rem; }
.settings { background: #f3f3f3; padding: 0.4rem 0.6rem; }
@media print { body { margin: 0; max-width: none; font-size: 11pt; }
  section { break-inside: avoid; } a { color: inherit; } }
"""


def _inline(text: str) -> str:
    """Markdown's **bold**, *italic* and `code` as HTML, the rest escaped."""
    import re

    out = html.escape(text, quote=False)
    out = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", out)
    out = re.sub(r"\*(.+?)\*", r"<i>\1</i>", out)
    return re.sub(r"`(.+?)`", r"<code>\1</code>", out)


def _page(title: str, lang: str, body: list[str]) -> str:
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(title)}</title>\n<style>{PRINT_CSS}</style>\n</head>\n"
            f"<body>\n<h1>{html.escape(title)}</h1>\n" + "\n".join(body) + "\n</body>\n</html>\n")


def _settings_html(ex: Exercise, lang: str) -> str:
    head, *runs = settings_lines(ex, lang)
    items = "".join(f"<li>{_inline(r)}</li>" for r in runs)
    return (f'<div class="settings"><b>{word("settings", lang)}:</b> {_inline(head)}'
            f"<ul>{items}</ul></div>")


def _record_table(ex: Exercise, lang: str, seed: int | None) -> str:
    """Rows: runs; columns: metric at week; cells blank (worksheet) or measured (key)."""
    columns = [(r["metric"], w) for r in ex.record for w in r["weeks"]]
    seeds = ex.seeds if (ex.all_seeds and seed is not None) else (
        [seed] if seed is not None else ([None] * len(ex.seeds) if ex.all_seeds else [None]))
    header = "".join(f"<th>{html.escape(metric_name(m, lang))}, {word('week', lang)} {w}</th>"
                     for m, w in columns)
    seed_head = f"<th>{word('seed', lang)}</th>" if ex.all_seeds else ""
    rows = []
    for i, s in enumerate(seeds):
        for run in ex.runs:
            cells = "".join(
                f"<td>{html.escape(format_metric(m, value(ex, run.name, s, m, w), lang))}</td>"
                if s is not None else '<td class="blank"></td>' for m, w in columns)
            seed_cell = (f"<td>{ex.seeds[i] if s is None else s}</td>"
                         if ex.all_seeds else "")
            rows.append(f"<tr>{seed_cell}<td>{_inline(run_label(ex, run, lang))}</td>{cells}</tr>")
    return (f"<table><tr>{seed_head}<th>{word('run', lang)}</th>{header}</tr>"
            + "".join(rows) + "</table>")


def answer_key(exercises: list[Exercise], lang: str) -> str:
    """The teacher's answer key: settings, observations with reasons, measured numbers."""
    body = [f"<p>{html.escape(word('guide_note', lang))}</p>"]
    for number, ex in enumerate(exercises, 1):
        claims = "".join(f"<li>{_inline(c.observe[lang])}<br><i>{word('why', lang)}:</i> "
                         f"{_inline(c.why[lang])}</li>" for c in ex.claims)
        seed = ex.seeds[0]
        body.append(
            f"<section><h2>{word('exercise', lang)} {number}. {html.escape(ex.title[lang])}</h2>"
            f"{_settings_html(ex, lang)}<p><b>{word('observe', lang)}:</b></p><ol>{claims}</ol>"
            f"<p><b>{word('measured', lang, seed=seeds_text(ex.seeds) if ex.all_seeds else seed)}"
            f":</b></p>{_record_table(ex, lang, seed)}"
            f"<p>{_inline(word('checked', lang, seeds=seeds_text(ex.seeds)))}</p></section>")
    return _page(f"{t('title', lang)}: {word('answer_key', lang)}", lang, body)


def worksheet(exercises: list[Exercise], lang: str) -> str:
    """The students' worksheet: settings, what to do, a table to fill in, discussion."""
    body = [f'<p>{word("name", lang)}: ______________________________</p>']
    for number, ex in enumerate(exercises, 1):
        lines = '<div class="lines">' + "<div></div>" * 4 + "</div>"
        body.append(
            f"<section><h2>{word('exercise', lang)} {number}. {html.escape(ex.title[lang])}</h2>"
            f"{_settings_html(ex, lang)}<p><b>{word('do', lang)}:</b> {_inline(ex.do[lang])}</p>"
            f"<p><b>{word('record', lang)}:</b></p>{_record_table(ex, lang, None)}"
            f"<p><b>{word('discuss', lang)}:</b> {_inline(ex.discuss[lang])}</p>{lines}</section>")
    return _page(f"{t('title', lang)}: {word('worksheet', lang)}", lang, body)


# ----------------------------------------------------------------------------- files


def generated_files(exercises: list[Exercise] | None = None) -> dict[Path, str]:
    """Every file this module writes, with its new content."""
    exercises = exercises if exercises is not None else load_exercises()
    files: dict[Path, str] = {}
    for lang in LANGUAGES:
        guide = TEACHING / f"{lang}.md"
        files[guide] = replace_section(guide.read_text(encoding="utf-8"),
                                       guide_section(exercises, lang))
        files[TEACHING / f"answer-key.{lang}.html"] = answer_key(exercises, lang)
        files[TEACHING / f"worksheet.{lang}.html"] = worksheet(exercises, lang)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sim.presentation.teaching",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when a generated file is out of date; write nothing")
    args = parser.parse_args(argv)
    stale = []
    for path, content in generated_files().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == content:
            continue
        stale.append(path.relative_to(REPO))
        if not args.check:
            path.write_text(content, encoding="utf-8")
    verb = "out of date" if args.check else "written"
    print(f"{verb}: {', '.join(map(str, stale)) or 'nothing'}")
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
