"""docs/outcomes.md states the fair tests' levers, ranges and yardsticks as the code has them."""

from __future__ import annotations

import re
from pathlib import Path

from sim.experiments.fairtest import frontier, verdict

ROOT = Path(__file__).resolve().parents[1]
SECTION = (ROOT / "docs" / "outcomes.md").read_text(encoding="utf-8").split(
    "## Equal budgets and what the verdict depends on")[1].split("\n## ")[0]


def _number(value: float) -> str:
    return f"{value:g}"


def test_levers_and_ranges_are_documented() -> None:
    for levers in frontier.LEVERS.values():
        for lever in levers:
            name = lever.path.split(".", 1)[1]
            assert f"`{name}`" in SECTION, name
            if lever.kind == "bool":
                continue
            high = "to the themes listed" if name == "theme_count" else _number(lever.high)
            low = "`min_size`" if name == "max_size" else _number(lever.low)
            around = SECTION[SECTION.index(f"`{name}`"):][:80]
            assert low in around and high in around, (name, around)


def test_yardsticks_are_documented() -> None:
    assert f"{frontier.FRESH_SEED_OFFSET:,}".replace(",", " ") in SECTION
    assert frontier.BUDGET_SHARES == (0.25, 0.5, 0.75)
    assert "a quarter, half and three quarters" in SECTION
    factor = verdict.RANGE_FACTOR
    assert f"default × [{1 - factor:g}, {1 + factor:g}]" in SECTION
    assert re.search(r"N/4, N/2 and N", SECTION)
    assert verdict.convergence_sizes(16) == [4, 8, 16]
