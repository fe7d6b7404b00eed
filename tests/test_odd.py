"""The ODD (docs/ODD.md) must not drift from the code.

Checks: the parameter table between the markers is exactly what the generator prints from the
scenario schema today; every output column and every registered strategy is named in the
document; the seven ODD elements and the results section exist.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

from sim.metrics import OUTPUTS
from sim.scenario import Scenario, apply_overrides, iter_parameters
from sim.strategies import STRATEGIES

ROOT = Path(__file__).resolve().parent.parent
ODD = ROOT / "docs" / "ODD.md"
SCRIPT = ROOT / "scripts" / "odd_parameter_table.py"


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    """The table script, imported from its file (``scripts/`` is not a package)."""
    spec = importlib.util.spec_from_file_location("odd_parameter_table", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def odd_text() -> str:
    return ODD.read_text(encoding="utf-8")


def test_parameter_table_is_up_to_date(generator, odd_text):
    fresh = generator.render()
    stored = generator.extract_block(odd_text)
    assert stored == fresh, (
        "docs/ODD.md's parameter table is stale: run "
        "`.venv/bin/python scripts/odd_parameter_table.py --update docs/ODD.md`")


def test_every_parameter_of_the_schema_has_a_row(generator, odd_text):
    block = generator.extract_block(odd_text)
    rows = set(re.findall(r"^\| `([^`]+)` \|", block, flags=re.MULTILINE))
    expected = {p.path for p in generator.parameter_rows(Scenario())}
    assert expected - rows == set()
    assert rows - expected == set()
    # the labels are left out on purpose; everything else the schema lists is in
    assert {p.path for p in iter_parameters()} - rows <= {
        "name", "description", "cities.0.name", "themes.0.name"}


def test_generator_notices_a_changed_default(generator, odd_text):
    """The comparison above can fail: a different default gives a different block."""
    changed = apply_overrides(Scenario(), {"interaction.noise_sd": 0.004})
    assert generator.render(changed) != generator.extract_block(odd_text)


def test_replace_block_round_trips(generator):
    doc = f"head\n{generator.START}\nold\n{generator.END}\ntail\n"
    new = generator.replace_block(doc, "new table")
    assert generator.extract_block(new) == "new table"
    assert new.startswith("head\n") and new.endswith("tail\n")
    with pytest.raises(ValueError):
        generator.extract_block("no markers here")


def test_ranges_show_exclusive_lower_bounds(generator):
    rows = {p.path: p for p in iter_parameters()}
    assert generator.fmt_range(rows["network.initial_weight"], Scenario()).startswith("> 0")
    assert generator.fmt_range(rows["network.decay"], Scenario()) == "0 – 1"
    assert generator.fmt_range(rows["culture.frame"], Scenario()).count("`") == 6


@pytest.mark.parametrize("column", OUTPUTS)
def test_every_output_column_is_described(odd_text, column):
    assert f"`{column}`" in odd_text


@pytest.mark.parametrize("name", sorted(STRATEGIES))
def test_every_strategy_is_described(odd_text, name):
    assert f"`{name}`" in odd_text
    assert STRATEGIES[name].__name__ in odd_text  # and the class that implements it


def test_the_seven_odd_elements_and_a_results_section(odd_text):
    headings = re.findall(r"^## (\d+) ", odd_text, flags=re.MULTILINE)
    assert [int(h) for h in headings[:7]] == list(range(1, 8))
    assert re.search(r"^## \d+ Results on the case$", odd_text, flags=re.MULTILINE)
