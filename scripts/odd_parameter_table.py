"""Print the ODD's parameter tables, generated from the scenario schema.

The schema (:mod:`sim.scenario`) is the one source of truth for every parameter's default,
unit, range and source. This script renders it as Markdown for ``docs/ODD.md`` so that the
document cannot quietly disagree with the code: ``tests/test_odd.py`` regenerates the block and
compares it with the copy between the ``<!-- parameters:start -->`` and
``<!-- parameters:end -->`` markers.

Usage::

    .venv/bin/python scripts/odd_parameter_table.py              # print the block
    .venv/bin/python scripts/odd_parameter_table.py --update docs/ODD.md   # rewrite the block
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere: make ``sim`` importable
    sys.path.insert(0, str(ROOT))

from sim.scenario import ParameterInfo, Scenario, iter_parameters  # noqa: E402

START = "<!-- parameters:start -->"
END = "<!-- parameters:end -->"

#: How a source string is classified in the summary line (first match on its start wins).
BASIS_PREFIXES: tuple[tuple[str, str], ...] = (
    ("assumption", "assumption"),
    ("case", "the case text"),
    ("DESIGN", "the design (horizon)"),
)


def fmt_number(value: float | int) -> str:
    """A number as a reader expects it: thousands separated, no float noise."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:,}"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:.6g}"


def fmt_value(value: Any) -> str:
    """A default value in table form (TOML-like: booleans lower case, profiles as pairs)."""
    if value is None:
        return "unset"
    if isinstance(value, bool | int | float):
        return fmt_number(value)
    if isinstance(value, dict):
        return ", ".join(f"{k} {fmt_value(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(fmt_value(v) for v in value) or "[]"
    return f"`{value}`" if value != "" else '""'


def field_of(path: str, scenario: Scenario) -> Any:
    """The pydantic FieldInfo of the parameter at a dotted path (list items by index)."""
    node: Any = scenario
    parts = path.split(".")
    for part in parts[:-1]:
        node = node[int(part)] if part.isdigit() else getattr(node, part)
    return type(node).model_fields[parts[-1]]


def choices(path: str, scenario: Scenario) -> tuple[str, ...]:
    """The allowed values of a Literal field at ``path``, or () for other fields."""
    annotation = field_of(path, scenario).annotation
    return tuple(str(a) for a in get_args(annotation)) if get_origin(annotation) is Literal \
        else ()


def open_below(path: str, scenario: Scenario) -> bool:
    """True when the lower bound is exclusive (``gt``): ParameterInfo does not say so."""
    return any(getattr(m, "gt", None) is not None for m in field_of(path, scenario).metadata)


def fmt_range(info: ParameterInfo, scenario: Scenario) -> str:
    """The allowed range: bounds, the options of a choice, or a dash."""
    options = choices(info.path, scenario)
    if options:
        return " / ".join(f"`{o}`" for o in options)
    if info.kind == "bool":
        return "true / false"
    if isinstance(info.default, dict):
        return "0 – 1 each"
    lo, hi = info.minimum, info.maximum
    if lo is not None and open_below(info.path, scenario):
        return f"> {fmt_number(lo)}" + (f", ≤ {fmt_number(hi)}" if hi is not None else "")
    if lo is not None and hi is not None:
        return f"{fmt_number(lo)} – {fmt_number(hi)}"
    if lo is not None:
        return f"≥ {fmt_number(lo)}"
    if hi is not None:
        return f"≤ {fmt_number(hi)}"
    return "–"


def cell(text: str) -> str:
    """Text made safe for a Markdown table cell."""
    return (text or "–").replace("|", "\\|").replace("\n", " ")


def basis(source: str) -> str:
    """Classify a source string: assumption, case, design, literature or structural."""
    if source in ("", "-"):
        return "structural"
    for prefix, label in BASIS_PREFIXES:
        if source.startswith(prefix):
            return label
    return "literature or data"


def parameter_rows(scenario: Scenario) -> list[ParameterInfo]:
    """The parameters shown: everything the schema lists except the scenario's own labels."""
    return [p for p in iter_parameters(scenario)
            if p.path not in ("name", "description")
            and not p.path.endswith(".name")]


def summary_line(rows: list[ParameterInfo]) -> str:
    """How many defaults rest on what: keeps the ODD's claim about assumptions honest."""
    counts: dict[str, int] = {}
    for row in rows:
        key = basis(row.source)
        counts[key] = counts.get(key, 0) + 1
    order = ("assumption", "literature or data", "the case text", "the design (horizon)",
             "structural")
    parts = [f"{counts[k]} {k}" for k in order if counts.get(k)]
    return (f"{len(rows)} parameters. Basis of the default, by the first word of its source: "
            f"{'; '.join(parts)}. Sources that begin with \"assumption; <reference>\" are "
            "assumptions whose direction, not value, comes from the reference.")


def parameter_tables(scenario: Scenario) -> str:
    """One table per scenario section, in schema order."""
    rows = parameter_rows(scenario)
    out = [summary_line(rows), ""]
    section = None
    for info in rows:
        head = info.path.split(".")[0]
        if head != section:
            section = head
            if len(out) > 2:
                out.append("")
            title = {"cities": "cities (per city; shown: the first city)",
                     "themes": "themes (per theme; shown: the first theme)"}.get(head, head)
            out += [f"**{title}**", "",
                    "| parameter | default | unit | range | source / assumption | meaning |",
                    "|---|---|---|---|---|---|"]
        out.append("| " + " | ".join([
            f"`{info.path}`", cell(fmt_value(info.default)), cell(info.unit),
            cell(fmt_range(info, scenario)), cell(info.source), cell(info.description),
        ]) + " |")
    return "\n".join(out)


def city_table(scenario: Scenario) -> str:
    """The cities of the scenario, one row each (the per-city parameters in full)."""
    dims = scenario.dimensions
    head = ["city", "headcount", *dims, "distribution", "spread", "tie_density"]
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for c in scenario.cities:
        out.append("| " + " | ".join([
            cell(c.name), fmt_number(c.headcount), *(fmt_number(c.mean[d]) for d in dims),
            c.distribution, fmt_number(c.spread), f"{c.tie_density:.3g}"]) + " |")
    return "\n".join(out)


def theme_table(scenario: Scenario) -> str:
    """The business themes and what each needs, per culture dimension."""
    dims = scenario.dimensions
    head = ["theme", *dims]
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for t in scenario.themes:
        out.append("| " + " | ".join([cell(t.name), *(fmt_number(t.profile[d]) for d in dims)])
                   + " |")
    if scenario.themes:
        mean = {d: sum(t.profile[d] for t in scenario.themes) / len(scenario.themes)
                for d in dims}
        out.append("| " + " | ".join(["*mean of the themes*",
                                      *(f"*{mean[d]:.2f}*" for d in dims)]) + " |")
    target = scenario.culture.target
    out.append("| " + " | ".join(["*target (culture.target)*",
                                  *(f"*{fmt_number(target[d])}*" for d in dims)]) + " |")
    return "\n".join(out)


def render(scenario: Scenario | None = None) -> str:
    """The whole generated block (without the markers)."""
    scenario = scenario or Scenario()
    return "\n".join([
        "<!-- generated by scripts/odd_parameter_table.py from sim/scenario.py; do not edit "
        "by hand -->",
        "",
        parameter_tables(scenario),
        "",
        f"**The {len(scenario.cities)} cities of the default scenario (the case)**",
        "",
        city_table(scenario),
        "",
        f"**The {len(scenario.themes)} business themes of the default scenario and what each "
        "needs**",
        "",
        theme_table(scenario),
    ])


def replace_block(document: str, block: str) -> str:
    """``document`` with the text between the markers replaced by ``block``.

    Raises:
        ValueError: the markers are missing or out of order.
    """
    start, end = document.find(START), document.find(END)
    if start < 0 or end < start:
        raise ValueError(f"markers {START} ... {END} not found in order")
    return document[:start + len(START)] + "\n" + block + "\n" + document[end:]


def extract_block(document: str) -> str:
    """The text between the markers, without the surrounding newlines."""
    start, end = document.find(START), document.find(END)
    if start < 0 or end < start:
        raise ValueError(f"markers {START} ... {END} not found in order")
    return document[start + len(START):end].strip("\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", type=Path, metavar="ODD_MD",
                        help="rewrite the block between the markers in this file")
    args = parser.parse_args(argv)
    block = render()
    if args.update is None:
        print(block)
        return 0
    text = args.update.read_text(encoding="utf-8")
    args.update.write_text(replace_block(text, block), encoding="utf-8")
    print(f"updated {args.update}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
