"""English words that must not show in the dashboard's Dutch mode (shared by the browser test
of the page and the component test of the plots, whose text is drawn on a canvas)."""

from __future__ import annotations

import re

ENGLISH_WORDS = (
    "Reset", "Step", "Controls", "Parameters", "Information", "Interval", "Threads", "thread",
    "Time", "Page", "website", "Solara", "False", "True", "business", "Save as", "Strategy",
    "Headcount", "Distance", "Cost", "formed", "lower is better", "run", "Running", "changed",
    "default", "target", "Plots", "Network", "Value space", "hofstede-two-cities",
    "ten-thousand", "one strategy", "No intervention", "Culture training", "grey",
    "follow-up", "redraw", "Language", "Advanced", "Projector", "Colour", "Save",
    "work-first", "income-support", "care-and-participation", "employer-services",
    "client-journey", "debt-assistance", "digital-services", "quality-and-compliance",
    "regional-labour-market", "Outcome", "Outcomes", "reached", "undefined", "reference",
    "higher is better", "doing nothing", "percentage points", "weeks", "Durability",
    "over none", "share of runs", "Alignment", "Integration", "Total cost", "at the end",
)
"""English that showed (or could show) in Dutch mode: SolaraViz's chrome, Python values,
raw preset ids, the scenarios' theme ids (theme teams' names), our own labels (the outcomes
table's and the effect plot's among them). Whole words, case-sensitive."""

DUTCH_OK = ("Competing Values Framework", "Mixing beliefs among interacting agents",
            "Keeping the faith", "Diagnosing and changing organizational culture",
            "Acculturation in mergers and acquisitions", "Psychological contracts in "
            "organizations", "The dissemination of culture", "person-environment fit",
            "Ondernemende Sociale Dienst", "Mesa en Solara")
"""Names and titles that stay English in a Dutch text (literature, a framework's name)."""


def english_in(text: str) -> list[str]:
    """The words of :data:`ENGLISH_WORDS` that occur in ``text``."""
    for allowed in DUTCH_OK:
        text = text.replace(allowed, "")
    return [w for w in ENGLISH_WORDS if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]


ENGLISH_DECIMAL = re.compile(r"(?<![\w.,])\d+\.(?:\d{1,2}|\d{4,})(?![\w.,])")
"""A number with a decimal point ("0.3", "0.15", "1.2345"): Dutch writes a decimal comma
("0,3"). A point before exactly three digits is Dutch's thousands separator ("1.000") and
passes."""


def english_decimals(text: str) -> list[str]:
    """The numbers in ``text`` written with a decimal point (see :data:`ENGLISH_DECIMAL`)."""
    return ENGLISH_DECIMAL.findall(text)


def spec_texts(node: object) -> list[str]:
    """The texts of a Vega-Lite chart spec (titles and labels, drawn on a canvas where the page
    text cannot see them); field names, types and the schema are not text for the reader."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for key, value in node.items() if key not in ("$schema", "field", "type")
                for s in spec_texts(value)]
    if isinstance(node, list):
        return [s for value in node for s in spec_texts(value)]
    return []
