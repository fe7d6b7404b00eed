"""Bad scenario files and --set values: one clear message naming the field, exit code 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from inprocess_cli import cli_in_process

from sim.scenario import (
    Scenario,
    ScenarioError,
    apply_overrides,
    describe_parameter,
    list_presets,
    load_scenario,
)
from sim.scenario_toml import to_toml

ROOT = Path(__file__).resolve().parent.parent
GOOD = (ROOT / "scenarios" / "classroom.toml").read_text()


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


cli_here = cli_in_process  # :func:`cli` keeps the real process for the file errors below

# (name, file text, the field the message must name)
BAD_FILES = [
    ("unknown top-level key", GOOD + "\ncolour = 'red'\n", "colour"),
    ("unknown key in a section", GOOD.replace("cohort_size = 3", "cohort_size = 3\nsize = 2"),
     "training.size"),
    ("value out of range", GOOD.replace("headcount = 60", "headcount = -5"),
     "cities.0.headcount"),
    ("wrong type", GOOD.replace("headcount = 60", "headcount = 'many'"), "cities.0.headcount"),
    ("unknown culture frame", GOOD + "\n[culture]\nframe = 'quinn'\n", "culture.frame"),
    ("missing dimension", GOOD.replace("mean = { clan = 0.45, adhocracy = 0.25, market = 0.30, "
                                       "hierarchy = 0.70 }",
                                       "mean = { clan = 0.45, adhocracy = 0.25, market = 0.30 }"),
     "cities.0.mean"),
    ("unknown dimension", GOOD.replace("hierarchy = 0.70 }", "hierarchy = 0.70, power = 1 }"),
     "cities.0.mean"),
    ("dimension value outside [0,1]", GOOD.replace("market = 0.75", "market = 1.75"),
     "themes.0.profile.market"),
    ("not TOML", GOOD + "\n[training\n", "not valid TOML"),
    ("duplicate city", GOOD.replace('name = "Zuid"', 'name = "Noord"'), "cities"),
    ("rising transfer", GOOD.replace("cohort_size = 3", "cohort_size = 3\n"
                                     "transfer_12_months = 0.9"), "transfer"),
    ("missing required field", GOOD.replace('name = "Zuid"\n', ""), "cities.2.name"),
    ("negative horizon", GOOD + "\n[horizon]\nintervention_weeks = -1\n",
     "horizon.intervention_weeks"),
    ("more themes counted than listed", GOOD + "\n[teams]\ntheme_count = 5\n",
     "teams.theme_count"),
    ("merger shock above 1", GOOD + "\n[merger]\nidentification_shock = 1.5\n",
     "merger.identification_shock"),
    ("unknown merger key", GOOD + "\n[merger]\nsyndrome = 1\n", "merger.syndrome"),
]


@pytest.mark.parametrize(("label", "text", "field"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_names_the_field(tmp_path, label, text, field):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert field in str(err.value)


BAD_SETS = [
    (["--set", "interaction.no_such=1"], "no_such"),
    (["--set", "interaction.confidence_threshold=2"], "interaction.confidence_threshold"),
    (["--set", "interaction.contacts_per_week=lots"], "interaction.contacts_per_week"),
    (["--set", "cities.Atlantis.headcount=3"], "Atlantis"),
    (["--set", "cities.9.headcount=3"], "cities.9"),
    (["--set", "noequals"], "key=value"),
    (["--set", "teams.theme_count=5"], "teams.theme_count: 5 is more than the 4 themes"),
    (["--set", "teams.theme_count=-1"], "teams.theme_count"),
    (["--set", "merger.recovery_rate=2"], "merger.recovery_rate"),
    (["--set", "contract.neutral_level=-0.1"], "contract.neutral_level"),
    (["--set", "turnover.calibration_weeks=-1"], "turnover.calibration_weeks"),
    (["--set", "name="], "name: String should have at least 1 character"),  # found by fuzzing
    (["--strategy", "magic"], "--strategy"),
    (["--format", "xlsx"], "--format"),
]


@pytest.mark.parametrize(("args", "field"), BAD_SETS, ids=[" ".join(a) for a, _ in BAD_SETS])
def test_bad_cli_values_exit_2_with_the_field(tmp_path, args, field):
    res = cli_here("run", "classroom", "--weeks", "1", "--out", str(tmp_path), *args)
    assert res.returncode == 2, res.stderr
    assert field in res.stderr
    assert "Traceback" not in res.stderr


def test_bad_file_on_the_cli_exits_2_without_traceback(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(BAD_FILES[0][1])
    for args in (["run", str(path), "--out", str(tmp_path)], ["scenarios", "validate", str(path)]):
        res = cli(*args)
        assert res.returncode == 2 and "colour" in res.stderr
        assert "Traceback" not in res.stderr


def test_missing_file_exits_2():
    res = cli("scenarios", "validate", "no/such/file.toml")
    assert res.returncode == 2 and "no/such/file.toml" in res.stderr


def test_every_preset_validates():
    assert {"case", "classroom", "two-cities"} <= set(list_presets())
    for name in list_presets():
        load_scenario(name)
    load_scenario(ROOT / "scenarios" / "docking" / "deffuant.toml")


def test_case_has_the_case_structure():
    case = load_scenario("case")
    assert [c.headcount for c in case.cities] == [400, 250, 150, 120, 80]
    assert len(case.themes) == 9
    assert (case.horizon.intervention_weeks, case.horizon.followup_weeks) == (104, 52)


def test_overrides_by_path_index_and_name():
    sc = apply_overrides(Scenario(), {"cities.B.headcount": 7, "cities.0.spread": 0.2,
                                      "culture.target.market": 0.9})
    assert sc.cities[1].headcount == 7 and sc.cities[0].spread == 0.2
    assert sc.culture.target["market"] == 0.9


def test_toml_writer_round_trips():
    for name in list_presets():
        sc = load_scenario(name)
        import tomllib

        assert load_scenario(tomllib.loads(to_toml(sc))) == sc


def test_every_parameter_has_a_unit_and_a_source():
    from sim.scenario import iter_parameters

    params = iter_parameters()
    assert len(params) > 60
    missing = [p.path for p in params if p.kind in ("float", "int") and
               (not p.unit or not p.source)]
    assert not missing, missing


def test_describe_parameter_reports_bounds():
    info = describe_parameter("interaction.confidence_threshold")
    assert (info.minimum, info.maximum) == (0.0, 1.0)
    assert info.default == Scenario().interaction.confidence_threshold
    with pytest.raises(ScenarioError, match="nope"):
        describe_parameter("interaction.nope")


def test_an_unknown_key_is_named_even_when_the_reason_starts_with_its_letters() -> None:
    """A key ``u`` (the first letter of "unknown field") is still named (found by the fuzz
    test: the message used to read as if it had named it)."""
    from sim.scenario import ScenarioError, validate_scenario

    for key in ("u", "un", "unknown"):
        with pytest.raises(ScenarioError) as err:
            validate_scenario({key: 1})
        assert str(err.value).startswith(f"{key}: unknown field"), str(err.value)
