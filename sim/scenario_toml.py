"""Write a scenario as a commented TOML file: every field with its unit and source.

Used by ``merger-sim scenarios show --toml`` and to keep the shipped scenario files
self-documenting. Reading goes through :func:`sim.scenario.load_scenario` (tomllib).
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from sim.scenario import Scenario


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
