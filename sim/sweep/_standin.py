"""Temporary stand-in for the core API (removed once ``from sim import run`` works)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict

COLUMNS = [
    "distance_to_target", "culture_spread", "city_divergence", "cross_city_ties",
    "city_modularity", "contract_strength", "engagement", "headcount", "leavers_cum",
    "cost_cum", "teams_active", "proposals_accepted", "client_value",
]
PARAMS = {
    "interaction.confidence_threshold": (0.3, 0.0, 1.0),
    "training.intensity": (0.5, 0.0, 1.0),
    "training.transfer": (0.44, 0.0, 1.0),
    "teams.n_themes": (9, 1, 20),
    "teams.sponsor_reach": (0.5, 0.0, 1.0),
    "horizon.intervention_weeks": (104, 1, 520),
    "horizon.followup_weeks": (52, 0, 520),
}


class ScenarioError(ValueError):
    """Bad scenario."""


class Scenario(BaseModel):
    """Flat stand-in scenario."""

    model_config = ConfigDict(extra="allow")
    name: str = "standin"
    values: dict[str, Any] = {}


def load_scenario(path):
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    return Scenario(name=str(data.get("name", "standin")))


def apply_overrides(sc, overrides):
    vals = dict(sc.values)
    for k, v in overrides.items():
        describe_parameter(k)
        vals[k] = v
    return Scenario(name=sc.name, values=vals)


def describe_parameter(path):
    if path not in PARAMS:
        raise ScenarioError(f"{path}: unknown parameter")
    d, lo, hi = PARAMS[path]
    return SimpleNamespace(path=path, default=d, minimum=lo, maximum=hi, unit="", description="")


@dataclass
class Result:
    timeseries: pd.DataFrame
    meta: dict


def run(sc, strategy="none", seed=0, overrides=None, weeks=None):
    if overrides:
        sc = apply_overrides(sc, overrides)
    p = {k: v[0] for k, v in PARAMS.items()} | sc.values
    if weeks is None:
        weeks = int(p["horizon.intervention_weeks"] + p["horizon.followup_weeks"])
    rng = np.random.default_rng(seed)
    w = np.arange(weeks + 1)
    rate = {"none": 0.005, "training": 0.01 * p["training.intensity"] + 0.005}.get(strategy, 0.02)
    rate *= 1 + p["teams.sponsor_reach"] * (strategy != "training")
    d = 0.5 * np.exp(-rate * w) + rng.normal(0, 0.01, size=w.size)
    df = pd.DataFrame({"week": w})
    for c in COLUMNS:
        df[c] = d if c == "distance_to_target" else rng.random(w.size)
    if strategy == "boom":
        raise RuntimeError("boom")
    meta = {"scenario_name": sc.name, "strategy": strategy, "seed": seed, "created": "now",
            "package_version": "0.1.0", "git_commit": "x"}
    return Result(df, meta)
