"""Every exercise of the teaching guides shows what the guides say it shows.

The exercises live in ``docs/teaching/exercises.toml``: settings, observations, reasons and a
check per observation. These tests run every exercise's settings headless, as the dashboard
builds them, for every seed the exercise lists, and assert every check; and they make sure
the guides' exercise sections, the answer keys and the worksheets are generated from that
source as it stands (``python -m sim.presentation.teaching`` rewrites them).
"""

from __future__ import annotations

import pytest

from sim.presentation import teaching
from sim.presentation.dashboard.presets import available_presets
from sim.strategies import STRATEGIES

EXERCISES = teaching.load_exercises()
CLAIMS = [(ex, i, check) for ex in EXERCISES for i, claim in enumerate(ex.claims)
          for check in claim.checks]


def test_every_exercise_states_settings_observation_and_reason_in_both_languages():
    assert len(EXERCISES) >= 7
    for ex in EXERCISES:
        assert ex.preset in available_presets()
        assert all(run.strategy in STRATEGIES for run in ex.runs)
        assert ex.claims and len(ex.seeds) >= 3, ex.id
        for lang in ("en", "nl"):
            assert ex.title[lang] and ex.do[lang] and ex.discuss[lang]
            for claim in ex.claims:
                assert claim.observe[lang].strip() and claim.why[lang].strip(), ex.id


@pytest.mark.parametrize(("exercise", "index", "check"), CLAIMS,
                         ids=[f"{ex.id}-{i}-{c['kind']}" for ex, i, c in CLAIMS])
def test_exercise_claim_holds_for_every_seed(exercise, index, check):
    failures = teaching.check_claim(exercise, check)
    assert not failures, (f"{exercise.id}: '{exercise.claims[index].observe['en']}' does not "
                          f"hold: {failures}")


def test_a_check_can_fail():
    """The checker is not vacuous: the opposite of a true claim fails."""
    ex = EXERCISES[0]
    check = dict(ex.claims[0].checks[0])
    check["a"], check["b"] = check["b"], check["a"]
    assert teaching.check_claim(ex, check)


def test_guides_answer_keys_and_worksheets_are_generated_from_the_source():
    stale = [str(path.name) for path, content in teaching.generated_files(EXERCISES).items()
             if not path.exists() or path.read_text(encoding="utf-8") != content]
    assert not stale, f"run `python -m sim.presentation.teaching`: out of date: {stale}"


def test_guides_have_one_section_per_exercise_and_no_hand_written_exercises():
    for lang, heading in (("en", "### Exercise "), ("nl", "### Opdracht ")):
        text = (teaching.TEACHING / f"{lang}.md").read_text(encoding="utf-8")
        assert text.count(heading) == len(EXERCISES)
        inside = text[text.index(teaching.START):text.index(teaching.END)]
        assert inside.count(heading) == len(EXERCISES)


def test_settings_a_dashboard_does_not_offer_are_refused():
    ex = EXERCISES[0]
    bad = teaching.Exercise(**{**ex.__dict__, "runs": (teaching.Run("x", "training",
                                                                    {"training.dose": 99.0}),)})
    with pytest.raises(ValueError, match="does not offer"):
        teaching.outputs(bad, "x", 0)
