"""Bad input never costs a traceback: a hand-made corpus and hypothesis fuzzing of the CLI.

Every input either validates (and, for a small subset, runs one week) or ends with exit code 2
and one ``error: ...`` line that names a field, an option or the file-level problem. The CLI is
called in-process through :func:`sim.cli.main` (the console entry, with its last-resort error
handler), so hundreds of inputs take seconds.

The corpus is ``tests/data/bad/*.toml``: each file's first line is ``# expect: <fragment of the
message>``; an optional second line ``# command: <arguments>`` replaces the default
``scenarios validate`` (the file path is appended).
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from inprocess_cli import cli_in_process

from sim.scenario import iter_parameters, list_presets
from sim.scenario_toml import MAX_FILE_BYTES

ROOT = Path(__file__).resolve().parent.parent
BAD = sorted((ROOT / "tests" / "data" / "bad").glob("*.toml"))

#: A message starts with what it is about: a dotted field path, or an option (with its value).
FIELD = re.compile(r"^(--[a-z-]+( \S+)?|[^\s:]+):")
#: Problems of the file as a whole (they name the file, which comes first).
FILE_PROBLEMS = ("not valid TOML", "not UTF-8 text", "nested too deeply", "larger than the limit",
                 "cannot be read")


def invoke(*args: str) -> tuple[int, str, str]:
    """Run ``merger-sim ARGS`` in this process; (exit code, stdout, stderr)."""
    res = cli_in_process(*args)
    return res.returncode, res.stdout, res.stderr


def assert_one_clear_line(code: int, err: str, file: Path | None = None) -> None:
    """Exit 2, one ``error:`` line, no traceback, naming a field/option or a file problem."""
    assert code == 2, (code, err)
    assert "Traceback" not in err, err
    assert err.startswith("error: ") and err.count("\n") == 1, err
    text = err.removeprefix("error: ").strip()
    if file is not None:
        for prefix in (f"{file}: ", f"{file.name}: "):
            text = text.removeprefix(prefix)
    assert FIELD.match(text) or any(p in text for p in FILE_PROBLEMS), err


# --------------------------------------------------------------------------- the corpus


def _header(path: Path) -> tuple[str, list[str]]:
    lines = path.read_bytes().split(b"\n", 2)
    expect = lines[0].decode("ascii").removeprefix("# expect: ").strip()
    command = ["scenarios", "validate"]
    if lines[1].startswith(b"# command: "):
        command = lines[1].decode("ascii").removeprefix("# command: ").split()
    return expect, command


def test_corpus_is_large_and_every_file_says_what_to_expect():
    assert len(BAD) >= 60
    for path in BAD:
        assert path.read_bytes().startswith(b"# expect: "), path.name
        assert _header(path)[0], path.name


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_file_is_one_clear_line(path, tmp_path):
    expect, command = _header(path)
    out = tmp_path / "out"
    args = [*command, str(path)] + (["--out", str(out)] if command[0] == "run" else [])
    code, _, err = invoke(*args)
    assert_one_clear_line(code, err, path)
    assert expect in err, err
    assert not out.exists()  # refused before any work


def test_file_over_the_size_cap_is_refused_unread(tmp_path):
    path = tmp_path / "big.toml"
    path.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    code, _, err = invoke("scenarios", "validate", str(path))
    assert_one_clear_line(code, err, path)
    assert "larger than the limit of 1,048,576 bytes" in err


def test_a_device_is_not_a_scenario_file():
    code, _, err = invoke("scenarios", "validate", "/dev/zero")
    assert_one_clear_line(code, err)
    assert "no file '/dev/zero'" in err


# --------------------------------------------------------------------------- file fuzzing

PRESETS = {name: tomllib.loads((ROOT / "scenarios" / f"{name}.toml").read_text())
           for name in list_presets()}
#: Presets small enough to run a week of in the fuzz test.
RUNNABLE = ("classroom", "two-cities")

WEIRD_VALUES = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, 1, -1, 500_000, 500_001, 10**6, 2**63, 100_000]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, 1.0, 1.5, -0.5, 1e300, float("nan"), float("inf")]),
    st.booleans(),
    st.text(max_size=12),
    st.sampled_from(["60", "0.5", "true", "cvf", "", "A"]),
    st.lists(st.integers(-3, 300), max_size=5),
    st.dictionaries(st.sampled_from(["clan", "market", "x"]), st.floats(-1, 2), max_size=3),
)


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path into the parsed TOML (tables by key, arrays by index)."""
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _paths(value, (*prefix, i))
    return out


def _get(node: Any, path: tuple) -> Any:
    for part in path:
        node = node[part]
    return node


@st.composite
def mutated_scenario(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """A shipped preset with one to three random mutations (types, ranges, structure, sizes)."""
    name = draw(st.sampled_from(sorted(PRESETS)))
    data = json.loads(json.dumps(PRESETS[name]))
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(data)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent, key = _get(data, path[:-1]), path[-1]
        action = draw(st.sampled_from(["replace", "delete", "unknown", "scale", "nest",
                                       "in-range", "in-range", "in-range"]))
        if action == "in-range":  # a plausible edit: a number of the same kind, nearby
            if isinstance(parent[key], bool):
                parent[key] = draw(st.booleans())
            elif isinstance(parent[key], int):
                # an earlier mutation may have made it negative: stay a valid interval
                parent[key] = draw(st.integers(0, max(1, 2 * parent[key] + 1)))
            elif isinstance(parent[key], float):
                parent[key] = draw(st.floats(0.0, 1.0))
        elif action == "replace":
            parent[key] = draw(WEIRD_VALUES)
        elif action == "delete":
            del parent[key]
        elif action == "unknown" and isinstance(parent, dict):
            parent[draw(st.from_regex(r"[a-z_]{1,8}", fullmatch=True))] = draw(WEIRD_VALUES)
        elif action == "scale" and isinstance(parent[key], int | float) \
                and not isinstance(parent[key], bool):
            parent[key] = parent[key] * draw(st.sampled_from([-1, 0, 10, 1000, 10**6]))
        elif action == "nest":
            value = parent[key]
            for _ in range(draw(st.sampled_from([1, 2, 20]))):
                value = [value]
            parent[key] = value
    return name, data


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(str(k))} = {_toml_value(v)}"
                           for k, v in value.items()) + "}"


def to_toml_text(data: dict[str, Any]) -> str:
    """Any parsed scenario as TOML (every section inline: also where the schema has none)."""
    return "".join(f"{json.dumps(k)} = {_toml_value(v)}\n" for k, v in data.items())


ENCODINGS = st.sampled_from(["utf-8"] * 8 + ["utf-8-sig", "utf-16", "latin-1", "flip-byte",
                                         "truncate"])


def _encode(text: str, how: str, where: int) -> bytes:
    if how == "flip-byte":
        raw = bytearray(text.encode())
        raw[where % len(raw)] ^= 0xFF
        return bytes(raw)
    if how == "truncate":
        raw = text.encode()
        return raw[: where % len(raw)]
    return text.encode(how, errors="replace")


FUZZ = settings(max_examples=200, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FUZZ
@given(case=mutated_scenario(), how=ENCODINGS, where=st.integers(0, 10**6),
       run_it=st.integers(0, 9))
def test_fuzzed_scenario_files_validate_or_fail_cleanly(tmp_path_factory, case, how, where,
                                                        run_it):
    name, data = case
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "fuzz.toml"
    path.write_bytes(_encode(to_toml_text(data), how, where))
    code, out, err = invoke("scenarios", "validate", str(path))
    event(f"validate exit {code}")
    if code == 0:
        assert out.startswith("ok: ") and not err, (out, err)
        if run_it < 3 and name in RUNNABLE:  # about a third of the small ones also run
            code, out, err = invoke("run", str(path), "--weeks", "1", "--strategy", "none",
                                    "--out", str(folder / "out"))
            event(f"run exit {code}")
            if code == 0:
                assert (folder / "out" / "meta.json").is_file()
                return
            # a run-time rule (themes for a strategy, the week bounds) may still refuse it
        else:
            return
    assert_one_clear_line(code, err, path)


# --------------------------------------------------------------------------- --set fuzzing

PARAMETERS = [p for p in iter_parameters() if p.kind in ("int", "float", "bool")]
PARAMETER_PATHS = [p.path for p in iter_parameters()]


def _valid_assignment(info: Any) -> st.SearchStrategy[str]:
    """``path=value`` with a value of the parameter's kind inside its range."""
    if info.kind == "bool":
        return st.sampled_from([f"{info.path}=true", f"{info.path}=false"])
    lo = info.minimum if info.minimum is not None else 0
    hi = info.maximum if info.maximum is not None else lo + 100
    if info.kind == "int":
        return st.integers(int(lo), int(min(hi, lo + 1000))).map(lambda v: f"{info.path}={v}")
    return st.floats(float(lo), float(hi)).map(lambda v: f"{info.path}={v!r}")


VALID_SETS = st.sampled_from(PARAMETERS).flatmap(_valid_assignment)
SET_VALUES = st.one_of(
    st.sampled_from(["true", "false", "'0.5'", '"60"', "nan", "inf", "-inf", "1e400", "-1",
                     "0", "1", "2**63", "9223372036854775808", "[]", "[1, 2]", "{}",
                     "{ a = 1 }", "cvf", "", "=", "1979-05-27", "0x10", "1_000", "[" * 40,
                     "[" * 30 + "]" * 30, "1\nx = 2", "'''a'''", "1.5", "0.25", "100000"]),
    st.integers(-(2**70), 2**70).map(str),
    st.floats().map(repr),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=10),
)
SET_KEYS = st.one_of(
    st.sampled_from(PARAMETER_PATHS),
    st.sampled_from(["cities.0.headcount", "cities.A.headcount", "cities.Noord.tie_density",
                     "cities.9.headcount", "culture.target.market", "culture.target",
                     "themes", "cities", "cities.0", "training", "output.snapshot_weeks",
                     "teams.min_size", "no.such.key", "training[0]", "cities[0].mean.clan"]),
    st.from_regex(r"[a-z_]{1,8}(\.[a-z_0-9]{1,8}){0,3}", fullmatch=True),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=VALID_SETS | st.tuples(SET_KEYS, SET_VALUES).map("=".join),
       second=st.none() | VALID_SETS | st.tuples(SET_KEYS, SET_VALUES).map("=".join))
def test_fuzzed_set_values_apply_or_fail_cleanly(first, second):
    args = ["scenarios", "show", "classroom", "--set", first]
    if second is not None:
        args += ["--set", second]
    code, out, err = invoke(*args)
    event(f"--set exit {code}")
    if code == 0:
        assert json.loads(out)["name"] and not err
        return
    assert_one_clear_line(code, err)
