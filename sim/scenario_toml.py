"""Scenario files as TOML: reading them safely, and writing them with comments.

Reading (:func:`read_toml_file`, :func:`loads_value`) is the one place where untrusted bytes
become Python data, so it refuses what could cost a process before any work is done: a file
larger than :data:`MAX_FILE_BYTES` (read with a bounded read, so a device or a pipe cannot
hang or flood it), text that is not UTF-8, and data nested deeper than :data:`MAX_DEPTH`
levels (tomllib recurses per level; the guard turns its RecursionError into a message).
:func:`sim.scenario.load_scenario` wraps these errors into a ``ScenarioError``.

Writing (:func:`to_toml`) is used by ``merger-sim scenarios show --toml`` and keeps the shipped
scenario files self-documenting: every field with its unit and source.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

if TYPE_CHECKING:
    from sim.scenario import Scenario

#: Largest scenario or sweep file read, in bytes (1 MiB). The largest shipped file is a few KiB.
MAX_FILE_BYTES = 1_048_576
#: Deepest nesting of tables and arrays accepted. The schema needs four (``cities`` -> a city
#: -> ``mean`` -> a value); sixteen leaves room and stays far from Python's recursion limit.
MAX_DEPTH = 16


class TomlInputError(ValueError):
    """A file or value that cannot be read as TOML within the limits; the message says why."""


def _depth(data: Any) -> int:
    """Nesting depth of parsed TOML data, computed without recursion."""
    deepest, stack = 0, [(data, 0)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            break
        if isinstance(node, dict):
            stack.extend((v, level + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, level + 1) for v in node)
    return deepest


def _parse(text: str) -> dict[str, Any]:
    """tomllib.loads with the nesting limit; raises TomlInputError."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise TomlInputError(f"not valid TOML: {err}") from None
    except RecursionError:
        raise TomlInputError(f"nested too deeply (more than {MAX_DEPTH} levels of tables or "
                             "arrays)") from None
    if _depth(data) > MAX_DEPTH:
        raise TomlInputError(f"nested too deeply (more than {MAX_DEPTH} levels of tables or "
                             "arrays)")
    return data


def read_toml_file(path: Path) -> dict[str, Any]:
    """Parse a TOML file of at most MAX_FILE_BYTES, UTF-8 (a byte-order mark is allowed).

    Raises:
        TomlInputError: too large, unreadable, not UTF-8, not TOML, or nested too deeply.
    """
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        raise TomlInputError(f"cannot be read: {err.strerror or err}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise TomlInputError(f"larger than the limit of {MAX_FILE_BYTES:,} bytes "
                             "(a scenario file is a few KiB)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise TomlInputError(f"not UTF-8 text (byte 0x{raw[err.start]:02x} at offset "
                             f"{err.start})") from None
    return _parse(text)


def loads_value(raw: str) -> Any:
    """One TOML value (the right-hand side of ``key = value``), within the nesting limit.

    Raises:
        TomlInputError: not a TOML value, or nested too deeply.
    """
    data = _parse(f"v = {raw}")
    if set(data) != {"v"}:  # "1\nother = 2" would set a second key
        raise TomlInputError("not a single TOML value")
    return data["v"]


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if value is None:
        raise ValueError("None is not representable in TOML")
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(type(value))


def _comment(model: BaseModel, name: str) -> str:
    field = type(model).model_fields[name]
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    parts = [field.description or ""]
    if extra.get("unit") not in (None, "", "-"):
        parts.append(f"[{extra['unit']}]")
    if extra.get("source") not in (None, "", "-"):
        parts.append(f"source: {extra['source']}")
    text = " ".join(p for p in parts if p)
    return f"  # {text}" if text else ""


def _scalars(model: BaseModel, comments: bool) -> list[str]:
    lines = []
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, BaseModel) or value is None:
            continue
        if isinstance(value, list) and value and isinstance(value[0], BaseModel):
            continue
        note = _comment(model, name) if comments else ""
        lines.append(f"{name} = {_value(value)}{note}")
    return lines


def to_toml(scenario: Scenario, comments: bool = True) -> str:
    """The scenario as TOML text; loading it back gives an equal scenario."""
    out = _scalars(scenario, comments)
    for name in type(scenario).model_fields:
        value = getattr(scenario, name)
        if isinstance(value, BaseModel):
            out += ["", f"[{name}]", *_scalars(value, comments)]
        elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
            for item in value:
                out += ["", f"[[{name}]]", *_scalars(item, comments)]
    return "\n".join(out) + "\n"
