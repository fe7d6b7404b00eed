"""The dashboard's derived outcomes and effects over ``none``
(``sim.presentation.dashboard.derived``):
the registry's numbers for the run on screen, said "not yet" until the run has them.

Pure functions of the weekly tables: synthetic tables for the timing rules, short real runs
for the agreement with the experiment engine's and ``compare``'s code.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from dutch_words import english_decimals, english_in, spec_texts

from sim.experiments import counterfactual, observables
from sim.model import MergerModel
from sim.presentation.dashboard import derived, i18n
from sim.presentation.dashboard.charts import effect_spec, y_domain
from sim.presentation.dashboard.classroom import load_preset
from sim.presentation.dashboard.components import cell_text, outcome_table_rows
from sim.presentation.dashboard.numbers import format_outcome

INTERVENTION, TOTAL = 8, 12


def synthetic(distance: list[float], divergence: list[float], cost: float = 1000.0
              ) -> pd.DataFrame:
    """A weekly table with the columns the case's outcomes read."""
    weeks = np.arange(len(distance))
    return pd.DataFrame({"week": weeks, "distance_to_target": distance,
                         "city_divergence": divergence,
                         "cost_cum": cost * weeks, "headcount": 100.0,
                         "leavers_cum": weeks // 4})


def rows_by_name(rows: list[derived.Row]) -> dict[str, derived.Row]:
    return {row.observable.name: row for row in rows}


@pytest.fixture(scope="module")
def short_runs() -> tuple[list[pd.DataFrame], list[str], int]:
    """training and none on the classroom preset, 8 weeks of intervention and 4 of follow-up,
    seed 3: the frames as the Classroom holds them."""
    config = load_preset("classroom").model_copy(deep=True)
    config.horizon.intervention_weeks, config.horizon.followup_weeks = INTERVENTION, \
        TOTAL - INTERVENTION
    frames = []
    for strategy in ("training", "none"):
        model = MergerModel(config, strategy=strategy, seed=3)
        while model.running:
            model.step()
        frames.append(model.timeseries())
    return frames, ["training", "none"], 3


# ----------------------------------------------------------------------------- the registry


def test_the_registry_says_from_when_each_outcome_is_known():
    known = {o.name: o.known_from for o in observables.DERIVED + observables.EFFECTS}
    assert {n for n, k in known.items() if k == "reached"} == {
        "weeks_to_integration", "integration_reached", "weeks_to_alignment",
        "alignment_reached"}
    assert {n for n, k in known.items() if k == "end_intervention"} == {
        "alignment_gain_intervention", "alignment_effect_end_intervention",
        "integration_effect_end_intervention", "client_value_effect_end_intervention"}
    snapshots = observables.run_outcomes()
    assert snapshots["engagement_end_intervention"].known_from == "end_intervention"
    assert snapshots["engagement_final"].known_from == "end"


def test_a_plugin_outcome_with_an_unknown_moment_is_refused(plugin_registries):
    with pytest.raises(ValueError, match="known_from"):
        observables.register(observables.Observable(
            "soon", "Soon", "", "higher", function=lambda ts, meta: 0.0,
            known_from="tomorrow"))  # type: ignore[arg-type]


def test_shown_are_the_registrys_derived_outcomes_and_effects():
    shown = [o.name for o in derived.shown_outcomes()]
    assert shown[:len(observables.DERIVED)] == [o.name for o in observables.DERIVED]
    assert not [n for n in shown if n.endswith(("_final", "_end_intervention"))
                and n not in {o.name for o in observables.DERIVED}]  # no snapshots
    effects = [o.name for o in derived.shown_effects()]
    assert effects[:len(observables.EFFECTS)] == [o.name for o in observables.EFFECTS]


# ----------------------------------------------------------------------------- timing


def test_a_time_to_integration_appears_once_reached_and_stays():
    divergence = [1.0, 0.9, 0.8, 0.6, 0.45, 0.4, 0.4, 0.4, 0.4, 0.35, 0.3, 0.3, 0.3]
    distance = list(np.linspace(0.5, 0.4, 13))
    full = synthetic(distance, divergence)
    expected = observables.get("weeks_to_integration").function(full, {  # type: ignore[misc]
        "intervention_weeks": INTERVENTION})
    assert expected == 4.0  # at most half of week 0's from week 4, for four weeks
    seen = []
    for week in range(TOTAL + 1):
        rows = rows_by_name(derived.outcome_rows([full[full["week"] <= week]], ["training"], 0,
                                                 INTERVENTION, TOTAL))
        seen.append(rows["weeks_to_integration"].cells[0])
    assert all(c == derived.Cell("pending") for c in seen[:7])  # week 4 + 4 sustained - 1
    assert all(c == derived.Cell("value", 4.0) for c in seen[7:])
    final = rows_by_name(derived.outcome_rows([full], ["training"], 0, INTERVENTION, TOTAL))
    assert final["integration_reached"].cells[0] == derived.Cell("value", 1.0)
    assert final["weeks_to_alignment"].cells[0] == derived.Cell("never", week=TOTAL)
    assert final["alignment_reached"].cells[0] == derived.Cell("value", 0.0)


def test_outcomes_of_the_whole_run_wait_for_its_end_and_say_when():
    full = synthetic(list(np.linspace(0.5, 0.3, 13)), list(np.linspace(1.0, 0.8, 13)))
    for week, gain, final in ((5, INTERVENTION, TOTAL), (INTERVENTION, None, TOTAL),
                              (TOTAL, None, None)):
        rows = rows_by_name(derived.outcome_rows([full[full["week"] <= week]], ["none"], 0,
                                                 INTERVENTION, TOTAL))
        cell = rows["alignment_gain_intervention"].cells[0]
        assert (cell == derived.Cell("pending", week=gain)) if gain else cell.state == "value"
        for name in ("durability", "cost_total", "cost_per_alignment_point",
                     "alignment_gain_final", "outflow_per_year"):
            cell = rows[name].cells[0]
            assert (cell == derived.Cell("pending", week=final)) if final \
                else cell.state == "value", (week, name, cell)
    meta = {"intervention_weeks": INTERVENTION}
    for name, row in rows.items():  # at the end: exactly the registry's values
        assert row.cells[0].value == pytest.approx(
            observables.get(name).function(full, meta), nan_ok=True), name  # type: ignore[misc]
    assert rows["cost_total"].cells[0].value == 12_000.0


def test_an_outcome_without_a_value_at_the_end_is_undefined_not_a_number():
    flat = synthetic([0.5] * 13, [1.0] * 13)  # nothing gained: no durability, no price
    rows = rows_by_name(derived.outcome_rows([flat], ["none"], 0, INTERVENTION, TOTAL))
    assert rows["durability"].cells[0] == derived.Cell("undefined")
    assert rows["cost_per_alignment_point"].cells[0] == derived.Cell("undefined")
    assert cell_text(rows["durability"], rows["durability"].cells[0], "en") == \
        i18n.t("undefined", "en")


# ----------------------------------------------------------------------------- a real run


def test_the_run_outcomes_are_the_engines(short_runs):
    frames, strategies, seed = short_runs
    rows = derived.outcome_rows(frames, strategies, seed, INTERVENTION, TOTAL)
    for frame, strategy, index in zip(frames, strategies, range(2), strict=True):
        engine = observables.evaluate(frame, {"intervention_weeks": INTERVENTION})
        for row in rows:
            cell = row.cells[index]
            if cell.state == "value":
                assert cell.value == engine[row.observable.name], (strategy, row)
            else:
                assert math.isnan(engine[row.observable.name]), (strategy, row)


def test_the_effects_over_none_are_the_engines_and_compares(short_runs):
    """The effect cells are the registry's effects as the engine evaluates every run against
    its none run (``evaluate_effects``), and the alignment effects agree with
    ``merger-sim compare``'s counterfactual table (one replication: the seed on screen)."""
    frames, strategies, seed = short_runs
    rows = rows_by_name(derived.effect_rows(frames, strategies, seed, INTERVENTION, TOTAL))
    engine = observables.evaluate_effects(frames[0], frames[1],
                                          {"intervention_weeks": INTERVENTION})
    assert list(rows) == list(engine)
    for name, row in rows.items():
        assert row.cells[1] == derived.Cell("reference")
        if math.isfinite(engine[name]):
            assert row.cells[0] == derived.Cell("value", engine[name]), name
        else:
            assert row.cells[0] == derived.Cell("undefined"), name
    long = pd.concat([f.assign(strategy=s, replication=0)
                      for f, s in zip(frames, strategies, strict=True)], ignore_index=True)
    table = counterfactual.counterfactual_tables(long, INTERVENTION)["counterfactual"].iloc[0]
    assert rows["alignment_effect_final"].cells[0].value == pytest.approx(table["effect_final"])
    assert rows["alignment_effect_end_intervention"].cells[0].value == pytest.approx(
        table["effect_end_intervention"])
    assert rows["incremental_cost"].cells[0].value == pytest.approx(table["incremental_cost"])
    curves = derived.effect_curves(frames, strategies)
    assert [s for s, _ in curves] == ["training"]
    curve = curves[0][1].set_index("week")[counterfactual.ALIGNMENT_EFFECT]
    assert curve.loc[TOTAL] == pytest.approx(table["effect_final"])
    assert curve.loc[INTERVENTION] == pytest.approx(table["effect_end_intervention"])


def test_effects_apply_only_with_none_beside_another_strategy(short_runs):
    frames, _, seed = short_runs
    for strategies in (["training", "teams"], ["none", "none"]):
        assert derived.effect_rows(frames, strategies, seed, INTERVENTION, TOTAL) == []
        assert derived.effect_curves(frames, strategies) == []
    assert derived.effect_rows(frames[:1], ["none"], seed, INTERVENTION, TOTAL) == []
    flipped = derived.effect_rows(frames[::-1], ["none", "training"], seed, INTERVENTION, TOTAL)
    assert flipped[0].cells[0] == derived.Cell("reference")
    assert flipped[0].cells[1].state == "value"


def test_mid_run_effects_wait_for_their_week(short_runs):
    frames, strategies, seed = short_runs
    early = [f[f["week"] <= 3] for f in frames]
    rows = rows_by_name(derived.effect_rows(early, strategies, seed, INTERVENTION, TOTAL))
    assert rows["alignment_effect_end_intervention"].cells[0] == derived.Cell(
        "pending", week=INTERVENTION)
    assert rows["icer"].cells[0] == derived.Cell("pending", week=TOTAL)
    assert cell_text(rows["icer"], rows["icer"].cells[0], "en") == \
        "at the end (week 12)"
    assert cell_text(rows["alignment_effect_end_intervention"],
                     rows["alignment_effect_end_intervention"].cells[0], "nl") == \
        "einde interventie (week 8)"


# ----------------------------------------------------------------------------- texts


def _texts(element) -> list[str]:
    """The strings inside a table element (built outside a page: reacton elements)."""
    out = []
    for child in element.kwargs.get("children", []):
        out += [child] if isinstance(child, str) else _texts(child)
    return out


def test_every_built_in_outcome_and_effect_reads_in_dutch():
    builtin = observables.DERIVED + observables.EFFECTS
    for obs in builtin:
        label, unit = i18n.outcome_text(obs.name, obs.label, obs.unit, "nl")
        assert (label, unit) != (obs.label, obs.unit), obs.name
        assert not english_in(f"{label} {unit}"), obs.name
        assert i18n.outcome_text(obs.name, obs.label, obs.unit, "en") == (obs.label, obs.unit)
    assert set(i18n.OUTCOME_TEXT_NL) == {o.name for o in builtin}  # none stale, none missing


def test_the_table_in_dutch_has_no_english_and_dutch_numbers(short_runs):
    frames, strategies, seed = short_runs
    names = [i18n.strategy_name(s, "nl") for s in strategies]
    texts = []
    for week in (3, INTERVENTION, TOTAL):
        part = [f[f["week"] <= week] for f in frames]
        rows = outcome_table_rows(
            derived.outcome_rows(part, strategies, seed, INTERVENTION, TOTAL),
            derived.effect_rows(part, strategies, seed, INTERVENTION, TOTAL), names, "nl")
        texts += [s for row in rows for s in _texts(row)]
    text = "\n".join(texts)
    assert "nog niet bereikt" in text or "niet bereikt tot en met week 12" in text
    assert "Wat het toevoegt boven niets doen (zelfde seed)" in text
    assert not english_in(text) and not english_decimals(text), (english_in(text),
                                                                   english_decimals(text))
    english = outcome_table_rows(
        derived.outcome_rows(frames, strategies, seed, INTERVENTION, TOTAL),
        derived.effect_rows(frames, strategies, seed, INTERVENTION, TOTAL), strategies, "en")
    assert english_in("\n".join(s for row in english for s in _texts(row)))  # can fail


def test_values_are_written_the_languages_way():
    assert format_outcome(12.0, "weeks", "nl") == "12"
    assert format_outcome(0.8564, "ratio", "nl") == "0,856"
    assert format_outcome(0.8564, "ratio", "en") == "0.856"
    assert format_outcome(3.456, "percentage points", "en") == "3.46"
    assert format_outcome(173_235.8, "EUR per percentage point", "nl") == "€ 173.236"
    assert format_outcome(4_240_000.0, "EUR", "en") == "EUR 4.24 M"


# ----------------------------------------------------------------------------- the plot


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_effect_plot_is_the_counterfactual_curve_labelled_from_the_registry(short_runs, lang):
    frames, strategies, _ = short_runs
    curves = derived.effect_curves(frames, strategies)
    final = observables.get("alignment_effect_final")
    unit = i18n.outcome_text(final.name, final.label, final.unit, lang)[1]
    spec = effect_spec(curves, unit, lang, INTERVENTION, TOTAL)
    values = spec["data"]["values"]
    assert {v["s"] for v in values} == {i18n.strategy_name("training", lang)}
    assert [v["w"] for v in values] == list(range(TOTAL + 1))
    assert values[-1]["y"] == pytest.approx(curves[0][1][counterfactual.ALIGNMENT_EFFECT]
                                            .iloc[-1], abs=1e-3)
    lines = [layer for layer in spec["layer"] if layer.get("mark", {}).get("type") == "line"]
    assert lines[0]["encoding"]["y"]["scale"]["domain"][1] > 0
    assert unit in str(spec)
    if lang == "nl":
        assert not english_in(" ".join(spec_texts(spec))), english_in(" ".join(spec_texts(spec)))


def test_a_negative_effect_gets_room_below_zero():
    frame = pd.DataFrame({"week": [0, 1, 2], "alignment_effect": [0.0, -2.0, 1.0]})
    low, high = y_domain([frame], "alignment_effect")
    assert low < -2.0 and high > 1.0
    spec = effect_spec([("training", frame)], "points", "en", 1, 2)
    rules = [layer for layer in spec["layer"] if layer.get("data", {}).get("values") == [
        {"y": 0}]]
    assert len(rules) == 1  # the zero line


# ----------------------------------------------------------------------------- plugins


def test_the_example_plugins_strategy_and_outcome_in_the_outcomes_table(plugin_registries):
    """``merger-sim --plugin experiments/plugins/town_hall.py dashboard``: its strategy is
    offered (side by side with none), its outcome is a row of the table under the plugin's
    own label, computed by the plugin's function from the run on screen, and the strategy's
    effects over none are rows too."""
    from pathlib import Path

    from sim.experiments.plugins import ensure
    from sim.presentation.dashboard.classroom import Classroom
    from sim.presentation.dashboard.components import outcome_tables

    ensure([str(Path(__file__).resolve().parent.parent / "experiments" / "plugins"
                 / "town_hall.py")])
    room = Classroom(strategy="town_hall", strategy_b="none")
    assert not room.rejections
    for _ in range(5):
        room.step()
    outcomes, effects = outcome_tables(room)
    mine = rows_by_name(outcomes)["peak_alignment_gain"]
    assert [r.observable.name for r in outcomes][-1] == "peak_alignment_gain"
    assert mine.cells[0] == derived.Cell("pending", week=room.config.horizon.total_weeks)
    assert rows_by_name(effects)["alignment_effect_final"].cells[1] == derived.Cell(
        "reference")
    label = [s for row in outcome_table_rows(outcomes, effects, ["a", "b"], "nl")
             for s in _texts(row) if "Peak" in s]
    assert label == ["Peak alignment gain (percentage points)"]  # the plugin's own text
    frame = room.frames()[0]
    meta = {"intervention_weeks": 5}
    assert derived.cell(mine.observable, lambda: mine.observable.function(  # type: ignore[misc]
        frame, meta), 5, 5, 5) == derived.Cell("value", float(
            100 * (frame["distance_to_target"].iloc[0] - frame["distance_to_target"].min())))
