"""Sweep files: validation with field-naming messages (exit code 2), and the plan they expand to."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sim.experiments.sweep import SweepError, load_sweep, plan_sweep

ROOT = Path(__file__).resolve().parent.parent

GOOD = """
name = "t"
scenario = "classroom"
strategies = ["none", "training"]
replications = 3
base_seed = 10
set = { "horizon.intervention_weeks" = 6, "horizon.followup_weeks" = 2 }

[parameters]
"training.dose" = { start = 0.2, stop = 0.6, step = 0.2 }
"interaction.confidence_threshold" = { values = [0.2, 0.4] }
"""


def write(tmp_path: Path, text: str, name: str = "sweep.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_plan_is_full_cross_in_a_fixed_order(tmp_path: Path) -> None:
    plan = plan_sweep(load_sweep(write(tmp_path, GOOD)))
    assert len(plan.runs) == 3 * 2 * 2 * 3
    assert [r.index for r in plan.runs] == list(range(len(plan.runs)))
    doses = sorted({r.params["training.dose"] for r in plan.runs})
    assert doses == [0.2, 0.4, 0.6]  # stepped range, inclusive, no 0.6000000000000001
    again = plan_sweep(load_sweep(write(tmp_path, GOOD, "copy.toml")))
    assert [r.key for r in again.runs] == [r.key for r in plan.runs]


def test_common_random_numbers(tmp_path: Path) -> None:
    """Replication i uses seed base_seed + i for every strategy and every point."""
    plan = plan_sweep(load_sweep(write(tmp_path, GOOD)))
    for run in plan.runs:
        assert run.seed == 10 + run.replication
    seeds_per_cell = {
        (r.point, r.strategy): [x.seed for x in plan.runs
                                if x.point == r.point and x.strategy == r.strategy]
        for r in plan.runs
    }
    assert set(map(tuple, seeds_per_cell.values())) == {(10, 11, 12)}


def test_keys_are_unique_and_change_with_any_input(tmp_path: Path) -> None:
    base = plan_sweep(load_sweep(write(tmp_path, GOOD)))
    assert len(set(r.key for r in base.runs)) == len(base.runs)
    variants = [
        GOOD.replace('"horizon.followup_weeks" = 2', '"horizon.followup_weeks" = 3'),
        GOOD.replace("base_seed = 10", "base_seed = 11"),
        GOOD + "\n[record]\nevery = 2\n",
        GOOD + "\n[stop]\nweeks = 5\n",
    ]
    first = base.runs[0].key
    for i, text in enumerate(variants):
        other = plan_sweep(load_sweep(write(tmp_path, text, f"v{i}.toml")))
        assert other.runs[0].key != first, text
    # formatting and comments do not change keys
    same = plan_sweep(load_sweep(write(tmp_path, "# comment\n" + GOOD, "c.toml")))
    assert same.runs[0].key == first


def test_designs_have_the_expected_sizes(tmp_path: Path) -> None:
    ranged = GOOD.replace(
        '"training.dose" = { start = 0.2, stop = 0.6, step = 0.2 }',
        '"training.dose" = { min = 0.1, max = 0.9 }\n"training.cohort_size" = { min = 1, max = 9 }',
    )
    sizes = {
        'method = "full-factorial"\nlevels = 3': 3 * 3,
        'method = "latin"\nsamples = 7': 7,
        'method = "sobol"\nsamples = 8': 8 * (2 + 2),
        'method = "morris"\nsamples = 3\nlevels = 4': 3 * (2 + 1),
    }
    for i, (design, points) in enumerate(sizes.items()):
        plan = plan_sweep(load_sweep(write(tmp_path, ranged + f"\n[design]\n{design}\n",
                                           f"d{i}.toml")))
        assert plan.samples == points, design
        assert len(plan.runs) == points * 2 * 2 * 3
        for run in plan.runs:
            assert 0.1 <= run.params["training.dose"] <= 0.9
            cohort = run.params["training.cohort_size"]
            assert isinstance(cohort, int) and 1 <= cohort <= 9  # integer parameter stays int


def test_theme_count_is_sweepable_and_sampled_as_an_integer(tmp_path: Path) -> None:
    """Unset by default (every listed theme), yet an integer parameter to designs."""
    text = GOOD.replace(
        '"training.dose" = { start = 0.2, stop = 0.6, step = 0.2 }',
        '"teams.theme_count" = { min = 0, max = 4 }\n"teams.sponsor_invitations" = '
        '{ min = 1, max = 9 }',
    ) + '\n[design]\nmethod = "latin"\nsamples = 6\n'
    plan = plan_sweep(load_sweep(write(tmp_path, text)))
    counts = [r.params["teams.theme_count"] for r in plan.runs]
    assert all(isinstance(c, int) and 0 <= c <= 4 for c in counts)
    assert len(set(counts)) > 2
    too_many = GOOD + '"teams.theme_count" = { values = [2, 5000] }\n'
    with pytest.raises(SweepError, match=r"parameters\.teams\.theme_count\.values: 5000"):
        load_sweep(write(tmp_path, too_many, "bad.toml"))


def test_range_bounds_default_to_the_parameters_own(tmp_path: Path) -> None:
    text = GOOD.replace(
        '"training.dose" = { start = 0.2, stop = 0.6, step = 0.2 }',
        '"training.dose" = { }',
    ) + '\n[design]\nmethod = "latin"\nsamples = 50\n'
    plan = plan_sweep(load_sweep(write(tmp_path, text)))
    assert plan.bounds["training.dose"] == (0.0, 1.0)


BAD = [
    # (what is wrong, text to substitute, field the message must name)
    ("unknown top-level key", GOOD.replace("base_seed = 10", "base_seed = 10\nreplicatons = 3"),
     "replicatons"),
    ("unknown kind of parameter entry",
     GOOD.replace("values = [0.2, 0.4]", "valuse = [0.2, 0.4]"),
     "parameters.interaction.confidence_threshold: give values"),
    ("unknown strategy", GOOD.replace('"training"]', '"trainig"]'), "strategies"),
    ("zero replications", GOOD.replace("replications = 3", "replications = 0"), "replications"),
    ("unknown parameter path", GOOD.replace('"training.dose"', '"training.doze"'),
     "parameters.training.doze"),
    ("value above the bound", GOOD.replace("values = [0.2, 0.4]", "values = [0.2, 1.4]"),
     "parameters.interaction.confidence_threshold.values"),
    ("repeated value", GOOD.replace("values = [0.2, 0.4]", "values = [0.2, 0.2]"),
     "parameters.interaction.confidence_threshold.values"),
    ("step range running backwards",
     GOOD.replace("start = 0.2, stop = 0.6", "start = 0.6, stop = 0.2"),
     "parameters.training.dose"),
    ("range without a design",
     GOOD.replace("start = 0.2, stop = 0.6, step = 0.2", "min = 0.1, max = 0.5"),
     "parameters.training.dose"),
    ("unknown design method", GOOD + '\n[design]\nmethod = "random"\n', "design.method"),
    ("bad record setting", GOOD + '\n[record]\nevery = "sometimes"\n', "record.every"),
    ("unknown stop metric", GOOD + '\n[stop]\nwhen = { metric = "happiness", below = 0.1 }\n',
     "stop.when.metric"),
    ("missing scenario", GOOD.replace('scenario = "classroom"', 'scenario = "nowhere.toml"'),
     "scenario"),
    ("bad fixed override",
     GOOD.replace('"horizon.followup_weeks" = 2', '"horizon.followup_weeks" = -2'),
     "set.horizon.followup_weeks"),
    ("not TOML", "name = \n", "sweep"),
]


@pytest.mark.parametrize(("what", "text", "field"), BAD, ids=[b[0] for b in BAD])
def test_bad_sweep_files_name_the_field(tmp_path: Path, what: str, text: str, field: str) -> None:
    with pytest.raises(SweepError) as info:
        load_sweep(write(tmp_path, text))
    assert str(info.value).startswith(field), (what, str(info.value))


@pytest.mark.parametrize(("what", "text", "field"), [BAD[2], BAD[5], BAD[9], BAD[14]],
                         ids=[BAD[i][0] for i in (2, 5, 9, 14)])
def test_cli_bad_sweep_file_exits_2_with_one_line(tmp_path: Path, what: str, text: str,
                                                  field: str) -> None:
    path = write(tmp_path, text)
    proc = subprocess.run(
        [sys.executable, "-m", "sim", "sweep", str(path), "--out", str(tmp_path / "o")],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {field}"), proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "o").exists()  # nothing is written for a bad file


def test_cli_rejects_bad_options(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    for extra, field in ((["--executor", "cloud"], "--executor"),
                         (["--executor", "dask"], "--scheduler")):
        proc = subprocess.run(
            [sys.executable, "-m", "sim", "sweep", str(path), "--out", str(tmp_path / "o"),
             *extra], capture_output=True, text=True, cwd=ROOT, timeout=120,
        )
        assert proc.returncode == 2
        assert proc.stderr.startswith(f"error: {field}"), proc.stderr
